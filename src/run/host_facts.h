/* meta.json's host facts gathered beside the run: ~90 sysfs and procfs
 * files and the KVM capabilities, which do not change while it runs, read
 * on a thread from before the first phase when the run leaves a CPU idle
 * (fewer vCPUs than CPUs online), so that the idle CPU does the work and
 * the process does not wait for it after the last phase. Not when every
 * CPU has a vCPU: there the thread would take CPU time from the measured
 * windows (and, at the lowest priority, it stalled the run instead: 1x64
 * on 2 CPUs took 43 ms against 33, a preempted thread holding what the
 * vCPU threads wait for), so the facts are read after the run, as before.
 * The clock-read cost, a measurement, is always taken after the run, on
 * the quiet process. */
#ifndef VB_HOST_FACTS_H
#define VB_HOST_FACTS_H

#include <jansson.h>
#include <pthread.h>
#include <stdbool.h>

#include "kvm.h"

struct vb_host_facts {
	const struct vb_kvm *kvm;
	pthread_t thread;
	bool started;
	json_t *facts;
};

/* Start gathering on a thread when @beside; @kvm must stay open until the
 * join. Otherwise, or without a thread (it cannot be created),
 * vb_host_facts_take() gathers them then. */
void vb_host_facts_start(struct vb_host_facts *f, const struct vb_kvm *kvm, bool beside);

/* Wait for the facts, add the clock-read cost and hand them over (the
 * caller owns them); NULL when out of memory. Once. */
json_t *vb_host_facts_take(struct vb_host_facts *f);

/* Join a thread nobody took the facts of (a run that failed early). */
void vb_host_facts_release(struct vb_host_facts *f);

#endif
