// SPDX-License-Identifier: GPL-2.0
/* The MMIO bus: a short, fixed table of emulated ranges. */
#include <errno.h>
#include <stdio.h>

#include "util/errf.h"

#include "mmio.h"

int nc_mmio_register(struct nc_mmio_bus *bus, const struct nc_mmio_dev *dev,
		     char *err, size_t errlen)
{
	unsigned i;

	if (!dev->size || dev->base + dev->size < dev->base)
		return nc_errf(-EINVAL, err, errlen, "mmio %s: empty or wrapping range",
			       dev->name);
	for (i = 0; i < bus->nr; i++) {
		const struct nc_mmio_dev *o = &bus->devs[i];

		if (dev->base < o->base + o->size && o->base < dev->base + dev->size)
			return nc_errf(-EINVAL, err, errlen,
				 "mmio %s [0x%08llx-0x%08llx] overlaps %s [0x%08llx-0x%08llx]",
				 dev->name, (unsigned long long)dev->base,
				 (unsigned long long)(dev->base + dev->size - 1),
				 o->name, (unsigned long long)o->base,
				 (unsigned long long)(o->base + o->size - 1));
	}
	if (bus->nr == NC_MMIO_MAX_DEVS)
		return nc_errf(-ENOSPC, err, errlen, "mmio %s: bus full", dev->name);
	bus->devs[bus->nr++] = *dev;
	return 0;
}

bool nc_mmio_dispatch(const struct nc_mmio_bus *bus, uint64_t addr,
		      uint8_t *data, uint32_t len, bool is_write)
{
	unsigned i;

	for (i = 0; i < bus->nr; i++) {
		const struct nc_mmio_dev *d = &bus->devs[i];

		if (addr >= d->base && addr - d->base < d->size &&
		    len <= d->size - (addr - d->base)) {
			d->access(d->opaque, addr - d->base, data, len, is_write);
			return true;
		}
	}
	return false;
}
