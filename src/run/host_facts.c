/* Host facts beside the run (host_facts.h). */
#include "host_facts.h"

#include "host_info.h"

static void *gather(void *arg)
{
	struct vb_host_facts *f = arg;

	f->facts = vb_host_info_facts(f->kvm);
	return NULL;
}

void vb_host_facts_start(struct vb_host_facts *f, const struct vb_kvm *kvm, bool beside)
{
	*f = (struct vb_host_facts){ .kvm = kvm };
	f->started = beside && pthread_create(&f->thread, NULL, gather, f) == 0;
}

static void join(struct vb_host_facts *f)
{
	if (f->started)
		pthread_join(f->thread, NULL);
	f->started = false;
}

json_t *vb_host_facts_take(struct vb_host_facts *f)
{
	json_t *o;

	join(f);
	if (!f->facts) /* not gathered beside the run: all of it now */
		return vb_host_info_collect(f->kvm);
	o = f->facts;
	f->facts = NULL;
	if (vb_host_info_add_clock(o)) {
		json_decref(o);
		return NULL;
	}
	return o;
}

void vb_host_facts_release(struct vb_host_facts *f)
{
	join(f);
	json_decref(f->facts);
	f->facts = NULL;
}
