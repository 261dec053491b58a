/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A passthrough function on the cell's PCI bus (pci.c): a VFIO device whose
 * config space is virtualised (pcicfg.c), whose BARs are mmapped into
 * memslots where the guest places them, except the pages of the MSI-X
 * table and PBA, which trap (msix.c); the rest of a trapped page, and any
 * BAR that cannot be a memslot, is forwarded to the device by pread/pwrite.
 */
#ifndef NC_VFIO_PCI_H
#define NC_VFIO_PCI_H

#include <stddef.h>
#include <stdint.h>

#include "devices/pci.h"
#include "vfio/vfio.h"

struct nc_machine;

extern const struct nc_pci_fn_ops nc_vfio_pci_ops;

/*
 * The function of host (a PCI address) in slot of bus: opens and resets
 * it, reads its config space, maps nothing yet (the guest places the
 * BARs). *fn is for nc_vfio_pci_ops and nc_vfio_pci_destroy().
 */
int nc_vfio_pci_create(void **fn, struct nc_vfio *v, struct nc_machine *m,
		       struct nc_pci_bus *bus, unsigned slot, const char *host,
		       char *err, size_t errlen);
/*
 * The memslots of a BAR of size bytes: what is left of it without the
 * pages (page bytes) of trap[0] and trap[1] ({offset, length}; length 0:
 * none), as up to 3 {offset, length} pieces. Returns how many.
 */
unsigned nc_vfio_bar_pieces(uint64_t size, uint64_t page, const uint64_t trap[2][2],
			    uint64_t piece[3][2]);

/* Interrupts off, memslots removed, reset, closed. NULL: nothing. */
void nc_vfio_pci_destroy(void *fn);

#endif /* NC_VFIO_PCI_H */
