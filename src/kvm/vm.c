#include "vm.h"

#include <errno.h>
#include <linux/kvm.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "x86_boot.h"

void vb_vm_init(struct vb_vm *vm, int kvm_fd, size_t mem_size, const struct vb_guest *guest)
{
	*vm = (struct vb_vm){ .kvm_fd = kvm_fd, .fd = -1, .mem = MAP_FAILED,
			      .mem_size = mem_size, .guest = guest };
}

int vb_vm_create(struct vb_vm *vm)
{
	/* Type 0: the default VM type, as every VMM creates it. */
	vm->fd = ioctl(vm->kvm_fd, KVM_CREATE_VM, 0UL);
	return vm->fd < 0 ? -errno : 0;
}

/* Where VMMs put them: the three pages below the 4 GiB boundary's BIOS. */
#define VB_TSS_ADDR          0xfffbd000ul
#define VB_IDENTITY_MAP_ADDR 0xfffbc000ull

int vb_vm_set_tss_addr(struct vb_vm *vm)
{
	return ioctl(vm->fd, KVM_SET_TSS_ADDR, VB_TSS_ADDR) < 0 ? -errno : 0;
}

int vb_vm_set_identity_map(struct vb_vm *vm)
{
	uint64_t addr = VB_IDENTITY_MAP_ADDR;

	return ioctl(vm->fd, KVM_SET_IDENTITY_MAP_ADDR, &addr) < 0 ? -errno : 0;
}

int vb_vm_create_irqchip(struct vb_vm *vm)
{
	return ioctl(vm->fd, KVM_CREATE_IRQCHIP, 0) < 0 ? -errno : 0;
}

int vb_vm_irq_line(struct vb_vm *vm, unsigned irq, bool level)
{
	struct kvm_irq_level l = { .irq = irq, .level = level };

	return ioctl(vm->fd, KVM_IRQ_LINE, &l) < 0 ? -errno : 0;
}

int vb_vm_create_pit(struct vb_vm *vm)
{
	/* A dummy speaker port, as VMMs without sound ask for. */
	struct kvm_pit_config pit = { .flags = KVM_PIT_SPEAKER_DUMMY };

	return ioctl(vm->fd, KVM_CREATE_PIT2, &pit) < 0 ? -errno : 0;
}

int vb_vm_setup_memory(struct vb_vm *vm)
{
	struct kvm_userspace_memory_region region;

	/* NORESERVE: a 1024-VM run must not commit 1024 x --mem up front. */
	vm->mem = mmap(NULL, vm->mem_size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (vm->mem == MAP_FAILED)
		return -errno;
	region = (struct kvm_userspace_memory_region){
		.slot = 0,
		.guest_phys_addr = 0,
		.memory_size = vm->mem_size,
		.userspace_addr = (uint64_t)(uintptr_t)vm->mem,
	};
	if (ioctl(vm->fd, KVM_SET_USER_MEMORY_REGION, &region) < 0)
		return -errno;
	return 0;
}

int vb_vm_load_code(struct vb_vm *vm)
{
	if (vm->mem_size < VB_GUEST_ENTRY || vm->guest->size > vm->mem_size - VB_GUEST_ENTRY)
		return -EFBIG;
	memcpy((char *)vm->mem + VB_GUEST_ENTRY, vm->guest->code, vm->guest->size);
	if (vm->ap_guest) {
		if (vm->ap_guest->size > VB_SIPI_PAGE)
			return -EFBIG;
		memcpy((char *)vm->mem + VB_SIPI_ENTRY, vm->ap_guest->code, vm->ap_guest->size);
	}
	if (vm->lapic) {
		uint32_t flags = VB_BOOT_FLAG_LAPIC;

		memcpy((char *)vm->mem + VB_BOOT_VCPUS_ADDR, &vm->vcpus, sizeof(vm->vcpus));
		memcpy((char *)vm->mem + VB_BOOT_FLAGS_ADDR, &flags, sizeof(flags));
	}
	return 0;
}

int vb_vm_write_gdt(struct vb_vm *vm)
{
	uint64_t gdt[VB_BOOT_GDT_MAX];

	vb_x86_boot_gdt(gdt);
	return vb_x86_gdt_write(vm->mem, vm->mem_size, gdt, VB_BOOT_GDT_MAX, VB_BOOT_GDT_OFFSET);
}

int vb_vm_write_idt(struct vb_vm *vm)
{
	return vb_x86_idt_write(vm->mem, vm->mem_size, 0, VB_BOOT_IDT_OFFSET);
}

int vb_vm_write_pagetables(struct vb_vm *vm)
{
	return vb_x86_pagetable_write(vm->mem, vm->mem_size);
}

int vb_vm_teardown(struct vb_vm *vm)
{
	int err = 0;

	/* Close first: with the VM gone its memory unmaps without MMU-notifier
	 * work, so the destroy cost is not hidden inside munmap. */
	if (vm->fd >= 0 && close(vm->fd) < 0)
		err = -errno;
	vm->fd = -1;
	if (vm->mem != MAP_FAILED && munmap(vm->mem, vm->mem_size) < 0 && !err)
		err = -errno;
	vm->mem = MAP_FAILED;
	return err;
}
