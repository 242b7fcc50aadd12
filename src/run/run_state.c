/* The run's shared state (run_state.h). */
#include "run_state.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>

__attribute__((format(printf, 2, 0)))
static void record_error(struct runner *r, const char *fmt, va_list ap)
{
	pthread_mutex_lock(&r->error_lock);
	if (!r->error[0])
		vsnprintf(r->error, sizeof(r->error), fmt, ap);
	pthread_mutex_unlock(&r->error_lock);
}

void vb_runner_fail(struct runner *r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	record_error(r, fmt, ap);
	va_end(ap);
	atomic_store(&r->stop, true);
}

void vb_runner_fail_guest(struct runner *r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	record_error(r, fmt, ap);
	va_end(ap);
}
