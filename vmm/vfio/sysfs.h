/* SPDX-License-Identifier: GPL-2.0 */
/* A host PCI device's readiness for passthrough, from sysfs (sysfs.c). */
#ifndef NC_VFIO_SYSFS_H
#define NC_VFIO_SYSFS_H

#include <stddef.h>

struct nc_config;

/*
 * addr ("0000:00:01.0") exists, has an IOMMU group, is bound to vfio-pci,
 * every other member of its group is bound to vfio-pci, pci-stub, pcieport
 * or nothing, and /dev/vfio/<group> exists. Every path is under root ("":
 * the real one). Returns 0 with *group set, or -errno with msg saying what
 * is wrong and what to run to fix it.
 */
int nc_vfio_sysfs_check(const char *root, const char *addr, unsigned *group,
			char *msg, size_t len);

/* Every [[pci]] device of c; the message starts "FILE:LINE: [[pci]] host ADDR: ". */
int nc_vfio_check_cell(const struct nc_config *c, const char *root, char *err,
		       size_t errlen);

#endif /* NC_VFIO_SYSFS_H */
