/* A minimal test harness: CHECK* report file:line and the values, and a
 * test's main() returns vb_check_exit(). Tests needing /dev/kvm or tracefs
 * call VB_SKIP() where the device or permission is really absent (exit 4,
 * CTest SKIP_RETURN_CODE). */
#ifndef VB_TEST_CHECK_H
#define VB_TEST_CHECK_H

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int vb_check_failures;

#define CHECK(cond)                                                          \
	do {                                                                 \
		if (!(cond)) {                                               \
			fprintf(stderr, "%s:%d: CHECK(%s) failed\n", __FILE__, \
				__LINE__, #cond);                            \
			vb_check_failures++;                                 \
		}                                                            \
	} while (0)

/* |got - want| <= tol, for doubles. */
#define CHECK_NEAR(got, want, tol)                                                     \
	do {                                                                           \
		double g_ = (got), w_ = (want);                                        \
		if (!(fabs(g_ - w_) <= (tol))) {                                       \
			fprintf(stderr, "%s:%d: %s is %.17g, want %.17g\n", __FILE__,  \
				__LINE__, #got, g_, w_);                               \
			vb_check_failures++;                                           \
		}                                                                      \
	} while (0)

#define CHECK_EQ_U64(got, want)                                              \
	do {                                                                 \
		uint64_t g_ = (uint64_t)(got), w_ = (uint64_t)(want);        \
		if (g_ != w_) {                                              \
			fprintf(stderr,                                      \
				"%s:%d: %s is 0x%" PRIx64 " (%" PRIu64       \
				"), want 0x%" PRIx64 " (%" PRIu64 ")\n",     \
				__FILE__, __LINE__, #got, g_, g_, w_, w_);    \
			vb_check_failures++;                                 \
		}                                                            \
	} while (0)

#define CHECK_EQ_STR(got, want)                                              \
	do {                                                                 \
		const char *g_ = (got), *w_ = (want);                        \
		if (!g_ || !w_ || strcmp(g_, w_) != 0) {                     \
			fprintf(stderr, "%s:%d: %s is \"%s\", want \"%s\"\n", \
				__FILE__, __LINE__, #got, g_ ? g_ : "(null)", \
				w_ ? w_ : "(null)");                         \
			vb_check_failures++;                                 \
		}                                                            \
	} while (0)

#define VB_SKIP(...)                                                         \
	do {                                                                 \
		fprintf(stderr, "skip: " __VA_ARGS__);                       \
		fputc('\n', stderr);                                         \
		exit(4);                                                     \
	} while (0)

static inline int vb_check_exit(void)
{
	if (vb_check_failures)
		fprintf(stderr, "%d check(s) failed\n", vb_check_failures);
	return vb_check_failures ? 1 : 0;
}

#endif
