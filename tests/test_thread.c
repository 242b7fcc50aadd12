/* The tool's helper threads: started with every signal blocked (so a
 * process-directed SIGINT never lands on one), named from the thread
 * itself, and their function's value returned through pthread_join(),
 * while the caller's own mask is left as it was. */
#include <pthread.h>
#include <signal.h>

#include "check.h"
#include "thread.h"

struct seen {
	sigset_t mask;
	char name[16];
	int token;
};

static void *observe(void *arg)
{
	struct seen *s = arg;

	pthread_sigmask(SIG_BLOCK, NULL, &s->mask);
	pthread_getname_np(pthread_self(), s->name, sizeof(s->name));
	return &s->token;
}

int main(void)
{
	struct seen s = { 0 };
	sigset_t before, after;
	pthread_t th;
	void *ret = NULL;

	sigemptyset(&before);
	sigaddset(&before, SIGUSR1);
	pthread_sigmask(SIG_SETMASK, &before, NULL);

	CHECK(vb_thread_start(&th, observe, &s, "vb-test-helper") == 0);
	CHECK(pthread_join(th, &ret) == 0);
	CHECK(ret == &s.token);
	CHECK_EQ_STR(s.name, "vb-test-helper");
	for (int sig = 1; sig < NSIG; sig++) {
		/* glibc keeps its own two (cancellation, setxid) unblockable. */
		if (sig == SIGKILL || sig == SIGSTOP || (sig >= 32 && sig < SIGRTMIN))
			continue;
		if (!sigismember(&s.mask, sig))
			fprintf(stderr, "signal %d not blocked in the helper\n", sig);
		CHECK(sigismember(&s.mask, sig) == 1);
	}

	pthread_sigmask(SIG_BLOCK, NULL, &after);
	for (int sig = 1; sig < NSIG; sig++)
		CHECK(sigismember(&after, sig) == sigismember(&before, sig));
	return vb_check_exit();
}
