/* SPDX-License-Identifier: GPL-2.0 */
/* The MMIO bus: guest physical ranges emulated in user space. */
#ifndef NC_MMIO_H
#define NC_MMIO_H

#include <stdbool.h>
#include <stdint.h>

#define NC_MMIO_MAX_DEVS	16	/* NC_MAX_DEVS */

/* off is relative to the device base; data holds len (1..8) bytes. */
typedef void (*nc_mmio_fn)(void *opaque, uint64_t off, uint8_t *data,
			   uint32_t len, bool is_write);

struct nc_mmio_dev {
	const char	*name;
	uint64_t	base;
	uint64_t	size;
	nc_mmio_fn	access;
	void		*opaque;
};

/*
 * Devices are registered before any vCPU runs and never removed, so lookups
 * take no lock; each device serialises its own state.
 */
struct nc_mmio_bus {
	unsigned		nr;
	struct nc_mmio_dev	devs[NC_MMIO_MAX_DEVS];
};

/* 0, or -EINVAL with err naming both ranges when the new one overlaps another. */
int nc_mmio_register(struct nc_mmio_bus *bus, const struct nc_mmio_dev *dev,
		     char *err, size_t errlen);

/* false when no device covers [addr, addr + len): the caller decides. */
bool nc_mmio_dispatch(const struct nc_mmio_bus *bus, uint64_t addr,
		      uint8_t *data, uint32_t len, bool is_write);

#endif /* NC_MMIO_H */
