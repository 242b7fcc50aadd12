/* Sending a report to a Prometheus Pushgateway: the other way out of the
 * tool for report output, next to files (outfile.h). It is here, not in
 * report/, because report/ renders to a stream and does no I/O of its own
 * beyond reading results; libcurl is linked to this layer only.
 *
 * The grouping key is job "vcpubench" and instance the host's name (the
 * first run's, for several): URL/metrics/job/vcpubench/instance/<host>. It is a PUT, which replaces
 * every metric of that group, so a host's newest run stands alone and no
 * phase of an older run lingers beside it (a POST would keep those). */
#ifndef VB_PUSH_H
#define VB_PUSH_H

#include <stddef.h>

/* PUT @len bytes of @body, Prometheus' text format 0.0.4, to the
 * Pushgateway at @url (http:// or https://, its root) for @instance.
 * 0; -EINVAL for a URL that does not parse or is not HTTP; -ECONNREFUSED,
 * -ETIMEDOUT, -EIO for a server that is down, slow, or answers other than
 * 2xx; -ENOMEM. @err receives the cause in a few words (the HTTP status and
 * the first line of the answer for a refused push). */
int vb_push_metrics(const char *url, const char *instance, const char *body, size_t len,
		    char *err, size_t errlen);

#endif
