/* The Pushgateway push through libcurl (push.h). */
#include "push.h"

#include <curl/curl.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

/* Keeps the first line of the server's answer for the message. */
struct answer {
	char line[256];
	size_t n;
};

static size_t keep_answer(char *data, size_t size, size_t nmemb, void *arg)
{
	struct answer *a = arg;
	size_t len = size * nmemb;

	for (size_t i = 0; i < len && a->n + 1 < sizeof(a->line); i++) {
		if (data[i] == '\n')
			a->n = sizeof(a->line); /* the first line is enough */
		else
			a->line[a->n++] = data[i];
	}
	if (a->n < sizeof(a->line))
		a->line[a->n] = '\0';
	return len;
}

/* @url with the grouping key appended, in *@out (curl_free()). */
static int push_url(const char *url, const char *instance, char **out, char *err, size_t errlen)
{
	CURLU *u = curl_url();
	char *scheme = NULL, *path = NULL, *inst = NULL, full[4096];
	int r = -EINVAL;

	if (!u)
		return -ENOMEM;
	if (curl_url_set(u, CURLUPART_URL, url, 0) ||
	    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) ||
	    (strcmp(scheme, "http") != 0 && strcmp(scheme, "https") != 0)) {
		snprintf(err, errlen, "not an http:// or https:// URL");
		goto out;
	}
	inst = curl_easy_escape(NULL, instance, 0);
	if (!inst || curl_url_get(u, CURLUPART_PATH, &path, 0)) {
		r = -ENOMEM;
		goto out;
	}
	snprintf(full, sizeof(full), "%s%smetrics/job/vcpubench/instance/%s", path,
		 path[strlen(path) - 1] == '/' ? "" : "/", inst);
	if (curl_url_set(u, CURLUPART_PATH, full, 0) || curl_url_get(u, CURLUPART_URL, out, 0)) {
		snprintf(err, errlen, "not a URL with the grouping key appended");
		goto out;
	}
	r = 0;
out:
	curl_free(scheme);
	curl_free(path);
	curl_free(inst);
	curl_url_cleanup(u);
	return r;
}

static int curl_errno(CURLcode c)
{
	switch (c) {
	case CURLE_COULDNT_CONNECT: return -ECONNREFUSED;
	case CURLE_OPERATION_TIMEDOUT: return -ETIMEDOUT;
	case CURLE_OUT_OF_MEMORY: return -ENOMEM;
	case CURLE_URL_MALFORMAT: return -EINVAL;
	default: return -EIO;
	}
}

static int put(CURL *c, const char *url, const char *body, size_t len, char *err, size_t errlen)
{
	struct curl_slist *hdr = curl_slist_append(NULL, "Content-Type: text/plain; version=0.0.4");
	struct answer a = { .n = 0 };
	CURLcode cc;
	long status = 0;

	if (!hdr)
		return -ENOMEM;
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, "PUT");
	curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdr);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, keep_answer);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &a);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 10L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 30L);
	a.line[0] = '\0';
	cc = curl_easy_perform(c);
	curl_slist_free_all(hdr);
	if (cc) {
		snprintf(err, errlen, "%s", curl_easy_strerror(cc));
		return curl_errno(cc);
	}
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	if (status < 200 || status > 299) {
		snprintf(err, errlen, "HTTP %ld%s%s", status, a.line[0] ? ": " : "", a.line);
		return -EIO;
	}
	return 0;
}

int vb_push_metrics(const char *url, const char *instance, const char *body, size_t len,
		    char *err, size_t errlen)
{
	char *full = NULL;
	CURL *c;
	int r;

	if (curl_global_init(CURL_GLOBAL_DEFAULT))
		return -ENOMEM;
	r = push_url(url, instance, &full, err, errlen);
	c = r ? NULL : curl_easy_init();
	if (!r && !c)
		r = -ENOMEM;
	if (!r)
		r = put(c, full, body, len, err, errlen);
	if (r == -ENOMEM && !err[0])
		snprintf(err, errlen, "%s", strerror(ENOMEM));
	curl_easy_cleanup(c);
	curl_free(full);
	curl_global_cleanup();
	return r;
}
