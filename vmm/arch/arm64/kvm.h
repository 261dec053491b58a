/* SPDX-License-Identifier: GPL-2.0 */
/* An arm64 KVM VM: memslots, the in-kernel vGICv3, interrupt lines, eventfds. */
#ifndef NC_ARM64_KVM_H
#define NC_ARM64_KVM_H

#include <stddef.h>
#include <stdint.h>

struct nc_vm {
	int	kvm_fd;
	int	vm_fd;
	int	gic_fd;
	int	run_size;	/* bytes of each vCPU's struct kvm_run mapping */
	unsigned nr_slots;
	int	can_inject_dabt;	/* KVM_CAP_ARM_INJECT_EXT_DABT */
};

/* Every function returns 0, or -errno with err saying which call failed and why. */
int nc_vm_open(struct nc_vm *vm, char *err, size_t errlen);
void nc_vm_close(struct nc_vm *vm);
int nc_vm_add_memory(struct nc_vm *vm, uint64_t gpa, uint64_t size, void *hva,
		     char *err, size_t errlen);

/* vGICv3: create before the vCPUs, finalise (init) after them. */
int nc_vm_gic_create(struct nc_vm *vm, unsigned nr_vcpus, char *err, size_t errlen);
int nc_vm_gic_init(struct nc_vm *vm, char *err, size_t errlen);
int nc_vm_spi_line(struct nc_vm *vm, unsigned spi, int level);

/* A 32-bit guest store to gpa signals fd (KVM_IOEVENTFD). */
int nc_vm_ioeventfd(struct nc_vm *vm, uint64_t gpa, int fd, char *err, size_t errlen);
/* A write to fd raises the edge SPI spi (KVM_IRQFD). */
int nc_vm_irqfd(struct nc_vm *vm, unsigned spi, int fd, char *err, size_t errlen);

#endif /* NC_ARM64_KVM_H */
