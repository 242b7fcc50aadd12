/* The Pushgateway push through libcurl (push.h). */
#include "push.h"

/* Calls go through the pointers below, which the type checker macros would hide. */
#define CURL_DISABLE_TYPECHECK
#include <curl/curl.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "dl.h"

/*
 * libcurl is loaded on the first push, not linked: linked, it and the
 * dozen libraries it pulls in (TLS, LDAP, SSH, Kerberos...) are mapped and
 * relocated at the start of every vcpubench process, run or not.
 */
#define VB_CURL_FNS(X)                                                               \
	X(curl_global_init) X(curl_global_cleanup) X(curl_easy_init) X(curl_easy_cleanup) \
	X(curl_easy_setopt) X(curl_easy_perform) X(curl_easy_getinfo) X(curl_easy_strerror) \
	X(curl_easy_escape) X(curl_free) X(curl_slist_append) X(curl_slist_free_all)     \
	X(curl_url) X(curl_url_set) X(curl_url_get) X(curl_url_cleanup)

VB_DL_TABLE(curl_lib, VB_CURL_FNS);

#define CU curl_lib.fn
#define VB_CURL_LIB "libcurl.so.4"

/* Fills @curl_lib once; on failure @err names the library and what is missing. */
static int curl_load(char *err, size_t errlen)
{
	static void *lib;

	return VB_DL_LOAD(curl_lib, &lib, VB_CURL_LIB, err, errlen);
}

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
	CURLU *u = CU.curl_url();
	char *scheme = NULL, *path = NULL, *inst = NULL, full[4096];
	int r = -EINVAL;

	if (!u)
		return -ENOMEM;
	if (CU.curl_url_set(u, CURLUPART_URL, url, 0) ||
	    CU.curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) ||
	    (strcmp(scheme, "http") != 0 && strcmp(scheme, "https") != 0)) {
		snprintf(err, errlen, "not an http:// or https:// URL");
		goto out;
	}
	inst = CU.curl_easy_escape(NULL, instance, 0);
	if (!inst || CU.curl_url_get(u, CURLUPART_PATH, &path, 0)) {
		r = -ENOMEM;
		goto out;
	}
	snprintf(full, sizeof(full), "%s%smetrics/job/vcpubench/instance/%s", path,
		 path[strlen(path) - 1] == '/' ? "" : "/", inst);
	if (CU.curl_url_set(u, CURLUPART_PATH, full, 0) ||
	    CU.curl_url_get(u, CURLUPART_URL, out, 0)) {
		snprintf(err, errlen, "not a URL with the grouping key appended");
		goto out;
	}
	r = 0;
out:
	CU.curl_free(scheme);
	CU.curl_free(path);
	CU.curl_free(inst);
	CU.curl_url_cleanup(u);
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
	struct curl_slist *hdr =
		CU.curl_slist_append(NULL, "Content-Type: text/plain; version=0.0.4");
	struct answer a = { .n = 0 };
	CURLcode cc;
	long status = 0;

	if (!hdr)
		return -ENOMEM;
	CU.curl_easy_setopt(c, CURLOPT_URL, url);
	CU.curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, "PUT");
	CU.curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
	CU.curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
	CU.curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdr);
	CU.curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, keep_answer);
	CU.curl_easy_setopt(c, CURLOPT_WRITEDATA, &a);
	CU.curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	CU.curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 10L);
	CU.curl_easy_setopt(c, CURLOPT_TIMEOUT, 30L);
	a.line[0] = '\0';
	cc = CU.curl_easy_perform(c);
	CU.curl_slist_free_all(hdr);
	if (cc) {
		snprintf(err, errlen, "%s", CU.curl_easy_strerror(cc));
		return curl_errno(cc);
	}
	CU.curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
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

	r = curl_load(err, errlen);
	if (r)
		return r;
	if (CU.curl_global_init(CURL_GLOBAL_DEFAULT))
		return -ENOMEM;
	r = push_url(url, instance, &full, err, errlen);
	c = r ? NULL : CU.curl_easy_init();
	if (!r && !c)
		r = -ENOMEM;
	if (!r)
		r = put(c, full, body, len, err, errlen);
	if (r == -ENOMEM && !err[0])
		snprintf(err, errlen, "%s", strerror(ENOMEM));
	CU.curl_easy_cleanup(c);
	CU.curl_free(full);
	CU.curl_global_cleanup();
	return r;
}
