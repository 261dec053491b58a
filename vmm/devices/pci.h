/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The PCI bus of a cell (devices/pci.c): one bus behind an ECAM host
 * bridge, a 32-bit memory window, and up to NC_PCI_MAX_SLOTS functions,
 * slot i at 00:0i.0. A function (today only VFIO passthrough, vfio/pci.c)
 * answers config accesses and, for the parts of its BARs that are not
 * memslots, trapped MMIO. It claims the window ranges its BARs decode; the
 * bus refuses a claim outside the window or over another claim.
 */
#ifndef NC_DEVICES_PCI_H
#define NC_DEVICES_PCI_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "arch/arm64/layout.h"

#define NC_PCI_MAX_CLAIMS	(NC_PCI_MAX_SLOTS * 6)

struct nc_pci_fn_ops {
	/* A config access at off (0..4095) of len 1, 2 or 4, naturally aligned. */
	void	(*cfg)(void *fn, unsigned off, uint8_t *data, unsigned len,
		       bool is_write);
	/* A trapped access at off into BAR bar (claimed by fn). */
	void	(*bar)(void *fn, unsigned bar, uint64_t off, uint8_t *data,
		       unsigned len, bool is_write);
};

struct nc_pci_claim {
	void		*fn;		/* NULL: free */
	unsigned	bar;
	uint64_t	base, size;
};

struct nc_pci_bus {
	pthread_mutex_t		lock;	/* claims change from vCPU threads */
	unsigned		nr;
	struct {
		const struct nc_pci_fn_ops *ops;
		void			*fn;
	} slot[NC_PCI_MAX_SLOTS];
	struct nc_pci_claim	claim[NC_PCI_MAX_CLAIMS];
};

/*
 * BAR bar of fn decodes [base, +size). 0, or -ERANGE (outside the window)
 * or -EBUSY (over another BAR) with msg saying which.
 */
int nc_pci_bus_claim(struct nc_pci_bus *bus, void *fn, unsigned bar, uint64_t base,
		     uint64_t size, char *msg, size_t len);
void nc_pci_bus_release(struct nc_pci_bus *bus, void *fn, unsigned bar);

/* The ECAM and window accesses, for the tests; false: no function there. */
bool nc_pci_bus_cfg(struct nc_pci_bus *bus, uint64_t off, uint8_t *data,
		    unsigned len, bool is_write);
bool nc_pci_bus_mmio(struct nc_pci_bus *bus, uint64_t gpa, uint8_t *data,
		     unsigned len, bool is_write);

#endif /* NC_DEVICES_PCI_H */
