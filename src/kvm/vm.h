/* One VM: its fd, its guest memory, and the per-VM setup phases. Each
 * vb_vm_* step is one phase of the brief, measured by the runner around the
 * call; all return 0 or -errno and leave the VM in a state vb_vm_teardown()
 * can undo. Not thread-safe: one thread (vCPU 0's) owns a VM's setup. */
#ifndef VB_VM_H
#define VB_VM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "guest.h"

struct vb_vm {
	int kvm_fd;       /* borrowed /dev/kvm fd */
	int fd;
	void *mem;        /* guest-physical 0 */
	size_t mem_size;
	const struct vb_guest *guest;
	/* --smp sipi: the APs' real-mode entry code. */
	const struct vb_guest *ap_guest;
	/* --irqchip kernel: the VM has an in-kernel APIC; load_code tells the
	 * guests so, and how many vCPUs there are (x86_boot.h, boot words). */
	bool lapic;
	uint32_t vcpus;
};

/* Make @vm empty: no fd, no memory. @kvm_fd and @guest are borrowed. */
void vb_vm_init(struct vb_vm *vm, int kvm_fd, size_t mem_size, const struct vb_guest *guest);

/* vm_create: KVM_CREATE_VM. */
int vb_vm_create(struct vb_vm *vm);

/* --irqchip kernel, before any vCPU exists, each one ioctl as VMMs issue
 * them: vm_tss_addr (KVM_SET_TSS_ADDR) and vm_identity_map
 * (KVM_SET_IDENTITY_MAP_ADDR), which VMX needs below 4 GiB; vm_irqchip
 * (KVM_CREATE_IRQCHIP: PIC, IOAPIC, and a LAPIC per vCPU created after);
 * vm_pit (KVM_CREATE_PIT2). */
int vb_vm_set_tss_addr(struct vb_vm *vm);
int vb_vm_set_identity_map(struct vb_vm *vm);
int vb_vm_create_irqchip(struct vb_vm *vm);
int vb_vm_create_pit(struct vb_vm *vm);
/* Drive the in-kernel irqchip's input @irq (the PIC's and the IOAPIC's
 * pin) to @level (KVM_IRQ_LINE): a device's interrupt line. */
int vb_vm_irq_line(struct vb_vm *vm, unsigned irq, bool level);

/* vm_memory: mmap the guest memory and KVM_SET_USER_MEMORY_REGION slot 0 at
 * guest-physical 0. */
int vb_vm_setup_memory(struct vb_vm *vm);

/* The guest_load steps: the code at VB_GUEST_ENTRY (-EFBIG if it does not
 * fit), the boot GDT, the IDT entry, the page tables. */
int vb_vm_load_code(struct vb_vm *vm);
int vb_vm_write_gdt(struct vb_vm *vm);
int vb_vm_write_idt(struct vb_vm *vm);
int vb_vm_write_pagetables(struct vb_vm *vm);

/* vm_teardown: close the VM fd (KVM destroys the VM when its last vCPU fd
 * is closed too) and unmap its memory. Idempotent; returns the first error. */
int vb_vm_teardown(struct vb_vm *vm);

#endif
