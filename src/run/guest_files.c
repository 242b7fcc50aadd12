#include "guest_files.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>

#include "csv.h"

int vb_guest_files_open(struct vb_guest_files *g, const char *dir)
{
	char path[4096];
	int r;

	*g = (struct vb_guest_files){ .vms = json_array() };
	if (!g->vms)
		return -ENOMEM;
	snprintf(path, sizeof(path), "%s/console.csv", dir);
	r = vb_outfile_open(&g->console, path);
	if (r)
		goto err;
	snprintf(path, sizeof(path), "%s/absent.csv", dir);
	r = vb_outfile_open(&g->absent, path);
	if (r) {
		vb_outfile_abort(&g->console);
		goto err;
	}
	pthread_mutex_init(&g->lock, NULL);
	fputs("ts_ns,vm,line\n", g->console.f);
	fputs("vm,kind,addr,write,count,total_ns\n", g->absent.f);
	return 0;
err:
	json_decref(g->vms);
	return r;
}

static void write_console(struct vb_guest_files *g, unsigned vm, const struct vb_uart *u)
{
	for (size_t i = 0; i < vb_uart_line_count(u); i++) {
		const struct vb_console_line *l = vb_uart_line(u, i);

		fprintf(g->console.f, "%" PRIu64 ",%u,", l->ts_ns, vm);
		vb_csv_write_field(g->console.f, l->text);
		fputc('\n', g->console.f);
	}
	g->console_truncated += vb_uart_truncated(u);
}

static void write_absent(struct vb_guest_files *g, unsigned vm, const struct vb_absent *a)
{
	const struct vb_absent_entry *e;
	uint64_t ns;
	size_t pos = 0;

	while ((e = vb_absent_next(a, &pos)))
		fprintf(g->absent.f, "%u,%s,0x%" PRIx64 ",%d,%" PRIu64 ",%" PRIu64 "\n", vm,
			e->kind == VB_ACCESS_PIO ? "pio" : "mmio", e->addr, e->write, e->count,
			e->total_ns);
	g->absent_overflow += vb_absent_overflow(a, &ns);
}

static json_t *vm_json(const struct vb_vm_end *e)
{
	const struct vb_dev_milestones *m = e->milestones;
	json_t *o = json_pack("{sisisIsIss}", "iteration", e->iteration, "vm", e->vm, "io_exits",
			      (json_int_t)e->io_exits, "mmio_exits", (json_int_t)e->mmio_exits,
			      "milestone",
			      m->reset ? "guest_reset" : m->init ? "guest_init"
			      : m->first_output ? "guest_first_output" : "none");

	if (o && m->has_cpus)
		json_object_set_new(o, "cpus", json_integer(m->cpus));
	if (o && m->has_mem)
		json_object_set_new(o, "mem_kib", json_integer(m->mem_kib));
	if (o)
		json_object_set_new(o, "init", json_boolean(m->init));
	return o;
}

void vb_guest_files_vm_end(void *arg, const struct vb_vm_end *e)
{
	struct vb_guest_files *g = arg;

	if (e->iteration < 0)
		return;
	pthread_mutex_lock(&g->lock);
	write_console(g, e->vm, vb_devices_console(e->devices));
	write_absent(g, e->vm, vb_devices_absent(e->devices));
	if (json_array_append_new(g->vms, vm_json(e)) && !g->error)
		g->error = -ENOMEM;
	if ((ferror(g->console.f) || ferror(g->absent.f)) && !g->error)
		g->error = -EIO;
	pthread_mutex_unlock(&g->lock);
}

int vb_guest_files_close(struct vb_guest_files *g, json_t **meta)
{
	int r = g->error, r2;

	if (r) {
		vb_outfile_abort(&g->console);
		vb_outfile_abort(&g->absent);
	} else {
		r = vb_outfile_commit(&g->console);
		r2 = vb_outfile_commit(&g->absent);
		r = r ? r : r2;
	}
	pthread_mutex_destroy(&g->lock);
	*meta = json_pack("{sIsIso}", "console_truncated_bytes", (json_int_t)g->console_truncated,
			  "absent_overflow", (json_int_t)g->absent_overflow, "vms", g->vms);
	return r;
}
