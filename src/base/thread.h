/* The tool's own helper threads (the results writer, the trace reader and
 * its setup and removal threads): none of them handles a signal, so each
 * starts with every signal blocked. SIGINT, SIGTERM and the vCPU kick then
 * reach only the threads that act on them, whichever thread the kernel
 * would otherwise pick. */
#ifndef VB_THREAD_H
#define VB_THREAD_H

#include <pthread.h>

/* Start @fn(@arg) on a new thread named @name (a string literal of at most
 * 15 characters, for top and perf), every signal blocked from its first
 * instruction. Returns 0 or an error number (pthread_create()'s, ENOMEM). */
int vb_thread_start(pthread_t *th, void *(*fn)(void *), void *arg, const char *name);

#endif
