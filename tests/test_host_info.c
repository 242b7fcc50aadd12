/* host.vm from a kernel command line: what tools/vm says about the VM a
 * result was measured in, and nothing for an ordinary host. */
#include "check.h"
#include "host_info.h"
#include "json_path.h"

static void test_vm(void)
{
	json_t *vm = vb_host_info_vm("console=ttyS0 clocksource=tsc rdinit=/init "
				     "vcpubench.accel=tcg vcpubench.kernel=linux-image-6.1.0-57-amd64_6.1.192-3"
				     "  vcpubench.l0_host=dev1 vcpubench.l0_kernel=6.18.44 kvm_amd.npt=0\n");

	CHECK(vm != NULL);
	CHECK_EQ_U64(json_object_size(vm), 4);
	CHECK_EQ_STR(vb_json_path_str(vm, "accel", ""), "tcg");
	CHECK_EQ_STR(vb_json_path_str(vm, "kernel", ""), "linux-image-6.1.0-57-amd64_6.1.192-3");
	CHECK_EQ_STR(vb_json_path_str(vm, "l0_host", ""), "dev1");
	CHECK_EQ_STR(vb_json_path_str(vm, "l0_kernel", ""), "6.18.44");
	json_decref(vm);
}

static void test_not_a_vm(void)
{
	CHECK(vb_host_info_vm(NULL) == NULL);
	CHECK(vb_host_info_vm("") == NULL);
	/* Without '=', or with nothing after the prefix: not a vcpubench key. */
	CHECK(vb_host_info_vm("BOOT_IMAGE=/vmlinuz root=/dev/vda1 vcpubench.accel vcpubench.=x") ==
	      NULL);
}

int main(void)
{
	test_vm();
	test_not_a_vm();
	return vb_check_exit();
}
