/* vcpubench info: the host facts a result depends on, as meta.json records
 * them, readable on a terminal (--json: the raw object). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "host_info.h"
#include "kvm.h"
#include "trace.h"

static void print_value(const char *key, json_t *v, int depth)
{
	const char *k;
	json_t *child;

	printf("%*s%-*s", depth * 2, "", 28 - depth * 2, key);
	if (json_is_object(v)) {
		putchar('\n');
		json_object_foreach(v, k, child)
			print_value(k, child, depth + 1);
		return;
	}
	if (json_is_array(v)) { /* a list of names: one line, comma separated */
		size_t i;

		json_array_foreach(v, i, child)
			printf("%s%s", i ? ", " : " ", json_is_string(child) ? json_string_value(child) : "?");
		putchar('\n');
	} else if (json_is_string(v))
		printf(" %s\n", json_string_value(v));
	else if (json_is_null(v))
		printf(" (unknown)\n");
	else {
		char *s = json_dumps(v, JSON_ENCODE_ANY);

		printf(" %s\n", s ? s : "?");
		free(s);
	}
}

/* What kvm.stock_guest_kernel means for run --kernel, in words. */
static void stock_note(json_t *kvm)
{
	json_t *stock = json_object_get(kvm, "stock_guest_kernel");

	if (json_is_false(stock))
		printf("note: this host's KVM (%s) runs only guest kernels made for it, not a stock\n"
		       "      Linux: 'run --kernel' needs kvm_intel or kvm_amd (here: the test VM,\n"
		       "      tools/vm); the bzImage protocol guest runs here\n",
		       json_string_value(json_object_get(kvm, "backend")));
}

int vb_cmd_info(int argc, char **argv)
{
	struct vb_kvm kvm;
	int have_kvm, r;
	json_t *info;
	const char *k;
	json_t *v;

	if (argc > 2 || (argc == 2 && strcmp(argv[1], "--json") != 0)) {
		vb_error("info: '%s': unknown argument (info takes only --json)", argv[1]);
		return 2;
	}
	r = vb_kvm_open(&kvm, "/dev/kvm");
	have_kvm = r == 0 && vb_kvm_get_vcpu_mmap_size(&kvm) == 0;
	info = vb_host_info_collect(have_kvm ? &kvm : NULL);
	if (!have_kvm)
		json_object_set_new(info, "kvm", json_pack("{ss++}", "error", "cannot open '/dev/kvm': ",
							   strerror(r ? -r : errno),
							   r == -EACCES || r == -EPERM
							   ? " (add the user to group 'kvm' or run as root)" : ""));
	json_object_set_new(info, "tracing", vb_trace_host_json());
	if (argc == 2) {
		json_dumpf(info, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		putchar('\n');
	} else {
		json_object_foreach(info, k, v)
			print_value(k, v, 0);
		stock_note(json_object_get(info, "kvm"));
	}
	json_decref(info);
	vb_kvm_release(&kvm);
	return 0;
}
