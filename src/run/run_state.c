/* The run's shared state (run_state.h). */
#include "run_state.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>

void vb_runner_fail(struct runner *r, const char *fmt, ...)
{
	va_list ap;

	pthread_mutex_lock(&r->error_lock);
	if (!r->error[0]) {
		va_start(ap, fmt);
		vsnprintf(r->error, sizeof(r->error), fmt, ap);
		va_end(ap);
	}
	pthread_mutex_unlock(&r->error_lock);
	atomic_store(&r->stop, true);
}
