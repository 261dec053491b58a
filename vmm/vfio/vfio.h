/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The VFIO container of a cell (container.c): /dev/vfio/vfio with the
 * type1 (v2) IOMMU, the IOMMU groups of its [[pci]] devices, and DMA maps
 * of all guest RAM at iova = guest physical address. Not the ION window,
 * not MMIO: a device can reach guest RAM and nothing else of the host.
 */
#ifndef NC_VFIO_VFIO_H
#define NC_VFIO_VFIO_H

#include <stddef.h>

#define NC_VFIO_MAX_GROUPS	4	/* NC_MAX_PCI */

struct nc_machine;

struct nc_vfio {
	int			fd;		/* the container */
	struct nc_machine	*m;		/* its RAM regions */
	unsigned		nr_groups;
	struct {
		unsigned	nr;
		int		fd;
	} group[NC_VFIO_MAX_GROUPS];
	int			mapped;		/* the IOMMU is set, RAM mapped */
};

/* Opens the container and checks its API; the IOMMU is set with the first group. */
int nc_vfio_open(struct nc_vfio **v, struct nc_machine *m, char *err, size_t errlen);
/* Unmaps the RAM, closes the groups and the container, frees v. */
void nc_vfio_close(struct nc_vfio *v);

/*
 * The fd of IOMMU group nr (opened once, viable, in the container; the
 * first one sets the IOMMU and maps guest RAM), or -errno with err set
 * about host (a PCI address).
 */
int nc_vfio_group(struct nc_vfio *v, unsigned nr, const char *host, char *err,
		  size_t errlen);

#endif /* NC_VFIO_VFIO_H */
