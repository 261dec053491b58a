// SPDX-License-Identifier: GPL-2.0
/* Walking the device table: placing, checking, starting and stopping. */
#include <errno.h>
#include <stdbool.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "arch/arm64/layout.h"
#include "arch/arm64/ram_layout.h"
#include "devices/device.h"
#include "machine.h"
#include "util/errf.h"

static int overlaps(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
	return a < b + blen && b < a + alen;
}

static int overlap_err(const char *what, uint64_t base, uint64_t size,
		       const struct nc_dev_reg *r, char *err, size_t errlen)
{
	return nc_errf(-EINVAL, err, errlen,
		       "%s [0x%08" PRIx64 "-0x%08" PRIx64 "] overlaps %s [0x%08" PRIx64 "-0x%08" PRIx64 "]",
		       what, base, base + size - 1, r->name, r->base,
		       r->base + r->size - 1);
}

/* r against RAM, the window and the ranges of the instances before d. */
static int check_reg(const struct nc_devset *s, const struct nc_dev *d,
		     const struct nc_dev_reg *r, const struct nc_ram_layout *ram,
		     char *err, size_t errlen)
{
	unsigned i, j;

	if (!r->size || r->base + r->size < r->base ||
	    r->base + r->size > NC_GPA_LIMIT)
		return nc_errf(-EINVAL, err, errlen,
			       "%s: range 0x%" PRIx64 " +0x%" PRIx64 " is empty or outside the guest physical space",
			       r->name, r->base, r->size);
	if (overlaps(ram->ion.gpa, ram->ion.size, r->base, r->size))
		return overlap_err("ion window", ram->ion.gpa, ram->ion.size, r,
				   err, errlen);
	for (i = 0; i < ram->nr_ram; i++)
		if (overlaps(ram->ram[i].gpa, ram->ram[i].size, r->base, r->size))
			return overlap_err("RAM", ram->ram[i].gpa,
					   ram->ram[i].size, r, err, errlen);
	for (i = 0; &s->dev[i] != d; i++)
		for (j = 0; j < s->dev[i].nr_regs; j++) {
			const struct nc_dev_reg *o = &s->dev[i].reg[j];

			if (overlaps(o->base, o->size, r->base, r->size))
				return overlap_err(r->name, r->base, r->size, o,
						   err, errlen);
		}
	return 0;
}

static int check_spis(const struct nc_devset *s, const struct nc_dev *d,
		      char *err, size_t errlen)
{
	unsigned i;

	if (!d->nr_spis)
		return 0;
	if (d->spi + d->nr_spis > NC_NR_SPIS)
		return nc_errf(-EINVAL, err, errlen,
			       "%s: SPIs %u..%u; the GIC has SPIs 0 to %d",
			       d->name, d->spi, d->spi + d->nr_spis - 1,
			       NC_NR_SPIS - 1);
	for (i = 0; &s->dev[i] != d; i++) {
		const struct nc_dev *o = &s->dev[i];

		if (o->nr_spis && overlaps(o->spi, o->nr_spis, d->spi, d->nr_spis))
			return nc_errf(-EINVAL, err, errlen,
				       "%s: SPI %u is also raised by %s",
				       d->name, d->spi > o->spi ? d->spi : o->spi,
				       o->name);
	}
	return 0;
}

int nc_devices_plan(struct nc_devset *s, const struct nc_config *c,
		    const struct nc_ram_layout *ram, char *err, size_t errlen)
{
	const struct nc_device *const *t;
	unsigned i, n, r;
	int ret;

	memset(s, 0, sizeof(*s));
	for (t = nc_device_table; *t; t++) {
		n = (*t)->count ? (*t)->count(c) : 1;
		if (n > (*t)->max)
			return nc_errf(-EINVAL, err, errlen,
				       "%u %s devices; at most %u", n,
				       (*t)->name, (*t)->max);
		for (i = 0; i < n; i++) {
			struct nc_dev *d = &s->dev[s->nr];

			if (s->nr == NC_MAX_DEVS)
				return nc_errf(-EINVAL, err, errlen,
					       "more than %d device instances",
					       NC_MAX_DEVS);
			d->type = *t;
			d->idx = i;
			snprintf(d->name, sizeof(d->name), "%s%u", (*t)->name, i);
			(*t)->place(d, c);
			for (r = 0; r < d->nr_regs; r++) {
				ret = check_reg(s, d, &d->reg[r], ram, err, errlen);
				if (ret)
					return ret;
			}
			ret = check_spis(s, d, err, errlen);
			if (ret)
				return ret;
			s->nr++;
		}
	}
	return 0;
}

const struct nc_dev *nc_devices_find(const struct nc_devset *s,
				     const char *type, unsigned idx)
{
	unsigned i;

	for (i = 0; i < s->nr; i++)
		if (!strcmp(s->dev[i].type->name, type) && s->dev[i].idx == idx)
			return &s->dev[i];
	return NULL;
}

int nc_devices_init(struct nc_devset *s, struct nc_machine *m, char *err,
		    size_t errlen)
{
	int ret;

	for (s->nr_init = 0; s->nr_init < s->nr; s->nr_init++) {
		struct nc_dev *d = &s->dev[s->nr_init];

		if (d->type->reset && d->state) {
			d->type->reset(d, m);	/* kept through a restart */
		} else if (d->type->init) {
			ret = d->type->init(d, m, err, errlen);
			if (ret)
				return ret;
		}
		if (d->type->mmio) {
			struct nc_mmio_dev mdev = {
				.name = d->name, .base = d->reg[0].base,
				.size = d->reg[0].size, .access = d->type->mmio,
				.opaque = d->state,
			};

			ret = nc_mmio_register(&m->mmio, &mdev, err, errlen);
			if (ret) {
				s->nr_init++;	/* .init ran: .exit must too */
				return ret;
			}
		}
	}
	return 0;
}

/* A device kept through a restart (.reset) that nc_devices_init() has not reset yet. */
static bool kept(const struct nc_dev *d)
{
	return d->type->reset && d->state;
}

void nc_devices_exit(struct nc_devset *s, struct nc_machine *m)
{
	unsigned i = s->nr;

	while (i--) {
		struct nc_dev *d = &s->dev[i];

		if ((i < s->nr_init || kept(d)) && d->type->exit)
			d->type->exit(d, m);
	}
	s->nr_init = 0;
}

void nc_devices_exit_for_restart(struct nc_devset *s, struct nc_machine *m)
{
	while (s->nr_init) {
		struct nc_dev *d = &s->dev[--s->nr_init];

		if (!kept(d) && d->type->exit)
			d->type->exit(d, m);
	}
}
