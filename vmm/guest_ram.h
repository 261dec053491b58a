/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Guest RAM: one anonymous host mapping for all of a cell's RAM, aligned
 * to 2 MiB and advised onto transparent huge pages (as QEMU does), so that
 * each 2 MiB of guest-physical memory is physically contiguous on the host
 * wherever the kernel can give it: fewer TLB and IOMMU entries, and a DMA
 * buffer of a passed-through device that crosses a 4 KiB page stays one
 * contiguous host range (docs/design.md: QEMU's emulated e1000e drops
 * a TX buffer that is not). Advice only: without THP it is 4 KiB pages.
 */
#ifndef NC_GUEST_RAM_H
#define NC_GUEST_RAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define NC_GUEST_RAM_ALIGN	(2u << 20)

/* The mapping (size bytes at a 2 MiB-aligned address), or NULL with errno. */
void *nc_guest_ram_map(uint64_t size, bool ksm);
/*
 * Zeroes it for a new guest: a fresh mapping at the same address (no
 * memslot may refer to it), advised again. 0 or -errno.
 */
int nc_guest_ram_clear(void *base, uint64_t size, bool ksm);
void nc_guest_ram_unmap(void *base, uint64_t size);

#endif /* NC_GUEST_RAM_H */
