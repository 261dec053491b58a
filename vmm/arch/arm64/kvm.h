/* SPDX-License-Identifier: GPL-2.0 */
/* An arm64 KVM VM: memslots, the in-kernel vGICv3, interrupt lines, eventfds. */
#ifndef NC_ARM64_KVM_H
#define NC_ARM64_KVM_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arch/arm64/layout.h"

#define NC_VM_MAX_SLOTS		64	/* memslots: RAM, the window, BAR pieces */

/* An MSI route of the GSI routing table (GSI NC_GSI_MSI_FIRST + index). */
struct nc_vm_msi {
	uint64_t	addr;
	uint32_t	data;
	uint32_t	devid;
	bool		valid;
};

struct nc_vm {
	int	kvm_fd;
	int	vm_fd;
	int	gic_fd;
	int	its_fd;		/* -1: no ITS (no [[pci]]) */
	int	run_size;	/* bytes of each vCPU's struct kvm_run mapping */
	uint64_t slots;		/* memslots in use, one bit each */
	int	can_inject_dabt;	/* KVM_CAP_ARM_INJECT_EXT_DABT */
	/* Memslot and routing changes come from any vCPU thread. */
	pthread_mutex_t lock;
	struct nc_vm_msi msi[NC_GSI_MSI_NR];
};

/* Every function returns 0, or -errno with err saying which call failed and why. */
int nc_vm_open(struct nc_vm *vm, char *err, size_t errlen);
void nc_vm_close(struct nc_vm *vm);
/*
 * A restart: nc_vm_close_vm() closes the VM (its vGIC, ITS) but keeps the
 * /dev/kvm fd, on which nc_vm_reopen() creates the next VM: no file is
 * opened after the sandbox's lockdown (docs/security.md).
 */
void nc_vm_close_vm(struct nc_vm *vm);
int nc_vm_reopen(struct nc_vm *vm, char *err, size_t errlen);
int nc_vm_add_memory(struct nc_vm *vm, uint64_t gpa, uint64_t size, void *hva,
		     char *err, size_t errlen);
/* A memslot for [gpa, +size) at hva; *slot names it for nc_vm_del_memory(). */
int nc_vm_map(struct nc_vm *vm, uint64_t gpa, uint64_t size, void *hva, int *slot,
	      char *err, size_t errlen);
void nc_vm_del_memory(struct nc_vm *vm, int slot);

/*
 * vGICv3 (and, with its, the vITS at NC_GIC_ITS_BASE): create before the
 * vCPUs, finalise (init) after them.
 */
int nc_vm_gic_create(struct nc_vm *vm, unsigned nr_vcpus, bool its, char *err,
		     size_t errlen);
int nc_vm_gic_init(struct nc_vm *vm, char *err, size_t errlen);
int nc_vm_spi_line(struct nc_vm *vm, unsigned spi, int level);

/* A 32-bit guest store to gpa signals fd (KVM_IOEVENTFD). */
int nc_vm_ioeventfd(struct nc_vm *vm, uint64_t gpa, int fd, char *err, size_t errlen);
/* A write to fd raises the edge SPI spi (KVM_IRQFD). */
int nc_vm_irqfd(struct nc_vm *vm, unsigned spi, int fd, char *err, size_t errlen);
/*
 * KVM_IRQFD on any GSI; resample_fd >= 0 makes it a level that holds until
 * the guest's EOI, which signals resample_fd. assign false removes it.
 */
int nc_vm_irqfd_gsi(struct nc_vm *vm, unsigned gsi, int fd, int resample_fd,
		    bool assign, char *err, size_t errlen);
/*
 * Sets (valid) or clears the MSI route of gsi (NC_GSI_MSI_FIRST...) and
 * commits the whole routing table: an irqchip route for every SPI (GSI n
 * is SPI n, as before any table was set) and every valid MSI route, with
 * devid for the ITS.
 */
int nc_vm_msi_route(struct nc_vm *vm, unsigned gsi, uint64_t addr, uint32_t data,
		    uint32_t devid, bool valid, char *err, size_t errlen);

#endif /* NC_ARM64_KVM_H */
