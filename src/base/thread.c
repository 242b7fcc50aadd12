#include "thread.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>

struct start {
	void *(*fn)(void *);
	void *arg;
	const char *name;
};

/* The new thread names itself: for the calling thread glibc is one prctl(),
 * for another an open, write and close of /proc/self/task/TID/comm, which
 * would sit on the caller's path (the start-up of a run). */
static void *named_start(void *p)
{
	struct start s = *(struct start *)p;

	free(p);
	pthread_setname_np(pthread_self(), s.name); /* a name is for people: its failure is not the thread's */
	return s.fn(s.arg);
}

int vb_thread_start(pthread_t *th, void *(*fn)(void *), void *arg, const char *name)
{
	struct start *s = malloc(sizeof(*s));
	pthread_attr_t attr;
	sigset_t all;
	int r;

	if (!s)
		return ENOMEM;
	*s = (struct start){ fn, arg, name };
	/* The mask goes in the attributes, set by glibc as the thread starts
	 * (it sets one anyway): no window in which the thread could take a
	 * signal, and no two sigprocmask calls around the create. */
	sigfillset(&all);
	r = pthread_attr_init(&attr);
	if (r) {
		free(s);
		return r;
	}
	r = pthread_attr_setsigmask_np(&attr, &all);
	if (!r)
		r = pthread_create(th, &attr, named_start, s);
	pthread_attr_destroy(&attr);
	if (r)
		free(s);
	return r;
}
