/* SPDX-License-Identifier: GPL-2.0 */
/*
 * MSI-X of a passthrough function (msix.c). The guest's table lives here,
 * never on the device: a vector the guest enables and unmasks becomes an
 * MSI route of KVM (GSI gsi_base + v: address, data and the requester ID
 * the vITS translates) and an irqfd on the eventfd VFIO signals for that
 * vector. So an interrupt goes device -> VFIO eventfd -> irqfd -> ITS ->
 * guest without leaving the kernel. A masked vector's irqfd is removed:
 * the eventfd counts what arrives, and KVM delivers it when the irqfd
 * comes back (unmask), as the PBA would.
 *
 * Plain MSI is the same machinery with one vector and VFIO's MSI index
 * (nc_msix_use_msi()): its address, data and mask bit come from the
 * emulated capability (pcicfg.c) through nc_msix_set_entry().
 */
#ifndef NC_VFIO_MSIX_H
#define NC_VFIO_MSIX_H

#include <stdbool.h>
#include <stdint.h>

#include "arch/arm64/layout.h"

struct nc_machine;
struct nc_vfio_dev;

struct nc_msix_vec {
	uint32_t	addr_lo, addr_hi, data, ctrl;	/* the guest's entry */
	int		efd;		/* VFIO signals it; -1 until enabled */
	bool		wired;		/* the irqfd is assigned */
	bool		dirty;		/* the route must be written (again) */
};

struct nc_msix {
	struct nc_machine	*m;
	struct nc_vfio_dev	*dev;
	const char		*name;		/* for messages */
	unsigned		qsize;		/* table entries the device has */
	unsigned		nr;		/* of them wired: NC_PCI_MAX_VECTORS at most */
	unsigned		gsi_base;
	uint32_t		devid;		/* the requester ID */
	unsigned		index;		/* VFIO_PCI_MSIX_IRQ_INDEX or _MSI_ */
	bool			enabled, maskall;	/* the guest's control bits */
	bool			on;		/* VFIO has the eventfds */
	bool			warned;
	/* nc_vfio_dev_set_irqs(); the tests put a fake here. */
	int			(*set_irqs)(struct nc_vfio_dev *d, unsigned index,
					    uint32_t action, unsigned start,
					    unsigned count, const int *fds);
	struct nc_msix_vec	vec[NC_PCI_MAX_VECTORS];
};

void nc_msix_init(struct nc_msix *x, struct nc_machine *m, struct nc_vfio_dev *dev,
		  const char *name, unsigned qsize, unsigned gsi_base, uint32_t devid);
/* A guest access at off into the table (qsize * 16 bytes). */
void nc_msix_table(struct nc_msix *x, uint64_t off, uint8_t *data, unsigned len,
		   bool is_write);
/* Plain MSI: one vector, VFIO's MSI index. Right after nc_msix_init(). */
void nc_msix_use_msi(struct nc_msix *x);
/* Vector v's address, data and mask as one update (MSI's registers). */
void nc_msix_set_entry(struct nc_msix *x, unsigned v, uint64_t addr, uint32_t data,
		       bool masked);
/* The guest wrote the control word: ENABLE and MASKALL. 0 or -errno. */
int nc_msix_control(struct nc_msix *x, uint16_t ctrl);
/* Disables it on the device, removes irqfds and routes, closes the eventfds. */
void nc_msix_exit(struct nc_msix *x);

#endif /* NC_VFIO_MSIX_H */
