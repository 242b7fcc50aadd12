#include "check.h"
#include "phase.h"

int main(void)
{
	for (int p = 0; p < VB_PHASE_COUNT; p++) {
		CHECK(vb_phase_name[p] != NULL);
		CHECK(vb_phase_from_name(vb_phase_name[p]) == (enum vb_phase)p);
		for (int q = 0; q < p; q++)
			CHECK(strcmp(vb_phase_name[p], vb_phase_name[q]) != 0);
	}
	CHECK(vb_phase_from_name("nosuch") == VB_PHASE_COUNT);
	CHECK(vb_phase_scope(VB_PHASE_KVM_OPEN) == VB_SCOPE_PROCESS);
	CHECK(vb_phase_scope(VB_PHASE_VM_CREATE) == VB_SCOPE_VM);
	CHECK(vb_phase_scope(VB_PHASE_VM_TEARDOWN) == VB_SCOPE_VM);
	CHECK(vb_phase_scope(VB_PHASE_VM_BOOT) == VB_SCOPE_VM);
	CHECK(vb_phase_scope(VB_PHASE_VCPU_CREATE) == VB_SCOPE_VCPU);
	CHECK(vb_phase_scope(VB_PHASE_BOOT_TOTAL) == VB_SCOPE_VCPU);
	CHECK_EQ_STR(vb_phase_name[VB_PHASE_FIRST_RUN], "first_run");
	return vb_check_exit();
}
