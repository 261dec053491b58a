// SPDX-License-Identifier: GPL-2.0
/*
 * The PCI host bridge, present when the cell has [[pci]]: a generic ECAM
 * host (Linux's pci-host-ecam-generic) with one bus, a 32-bit memory
 * window the guest places BARs in, INTx on four SPIs and MSIs through the
 * vITS (msi-map: requester ID = ITS device ID). Each [[pci]] device is a
 * VFIO passthrough function (vfio/pci.c) in slot i, 00:0i.0.
 *
 * The ECAM is reg[0], emulated here; the window is reg[1], registered on
 * the MMIO bus too: what the guest touches there and no memslot backs (an
 * MSI-X table page, a BAR that could not be mapped) comes here and goes to
 * the function that claimed the range.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arch/arm64/layout.h"
#include "config/config.h"
#include "devices/device.h"
#include "devices/pci.h"
#include "dtb/fdt.h"
#include "machine.h"
#include "util/errf.h"
#include "vfio/pci.h"

_Static_assert(NC_MAX_PCI <= NC_PCI_MAX_SLOTS, "layout.h: fewer PCI slots than [[pci]]");

struct pci_dev {
	struct nc_pci_bus	bus;
	struct nc_vfio		*vfio;
};

static unsigned pci_count(const struct nc_config *c)
{
	return c->nr_pci ? 1 : 0;
}

static void pci_place(struct nc_dev *d, const struct nc_config *c)
{
	(void)c;
	d->nr_regs = 2;
	d->reg[0] = (struct nc_dev_reg){ "PCI ECAM", NC_PCI_ECAM_BASE, NC_PCI_ECAM_SIZE };
	d->reg[1] = (struct nc_dev_reg){ "PCI memory window", NC_PCI_MMIO_BASE,
					 NC_PCI_MMIO_SIZE };
	d->spi = NC_SPI_PCI_FIRST;
	d->nr_spis = NC_PCI_MAX_SLOTS;
}

/* ---- the bus ---- */

int nc_pci_bus_claim(struct nc_pci_bus *bus, void *fn, unsigned bar, uint64_t base,
		     uint64_t size, char *msg, size_t len)
{
	struct nc_pci_claim *free_slot = NULL;
	unsigned i;
	int ret = 0;

	if (!size || base < NC_PCI_MMIO_BASE || base + size < base ||
	    base + size > NC_PCI_MMIO_BASE + NC_PCI_MMIO_SIZE)
		return nc_errf(-ERANGE, msg, len,
			       "[0x%" PRIx64 "-0x%" PRIx64 "] is outside the PCI memory window [0x%llx-0x%llx]",
			       base, base + size - 1, NC_PCI_MMIO_BASE,
			       NC_PCI_MMIO_BASE + NC_PCI_MMIO_SIZE - 1);
	pthread_mutex_lock(&bus->lock);
	for (i = 0; i < NC_PCI_MAX_CLAIMS; i++) {
		struct nc_pci_claim *c = &bus->claim[i];

		if (!c->fn) {
			if (!free_slot)
				free_slot = c;
			continue;
		}
		if (c->fn == fn && c->bar == bar)
			continue;	/* its own old place: released below */
		if (base < c->base + c->size && c->base < base + size) {
			unsigned s;

			for (s = 0; s < bus->nr && bus->slot[s].fn != c->fn; s++)
				;
			ret = nc_errf(-EBUSY, msg, len,
				      "[0x%" PRIx64 "-0x%" PRIx64 "] overlaps BAR%u of 00:%02x.0 [0x%" PRIx64 "-0x%" PRIx64 "]",
				      base, base + size - 1, c->bar, s, c->base,
				      c->base + c->size - 1);
			break;
		}
	}
	if (!ret) {
		for (i = 0; i < NC_PCI_MAX_CLAIMS; i++)
			if (bus->claim[i].fn == fn && bus->claim[i].bar == bar)
				free_slot = &bus->claim[i];
		if (free_slot)
			*free_slot = (struct nc_pci_claim){ fn, bar, base, size };
		else
			ret = nc_errf(-ENOSPC, msg, len, "too many BARs");
	}
	pthread_mutex_unlock(&bus->lock);
	return ret;
}

void nc_pci_bus_release(struct nc_pci_bus *bus, void *fn, unsigned bar)
{
	unsigned i;

	pthread_mutex_lock(&bus->lock);
	for (i = 0; i < NC_PCI_MAX_CLAIMS; i++)
		if (bus->claim[i].fn == fn && bus->claim[i].bar == bar)
			bus->claim[i].fn = NULL;
	pthread_mutex_unlock(&bus->lock);
}

bool nc_pci_bus_cfg(struct nc_pci_bus *bus, uint64_t off, uint8_t *data,
		    unsigned len, bool is_write)
{
	unsigned dev = (off >> 15) & 31, func = (off >> 12) & 7, reg = off & 0xfff;

	if (off >= NC_PCI_ECAM_SIZE || func || dev >= bus->nr ||
	    (len != 1 && len != 2 && len != 4) || (reg & (len - 1))) {
		if (!is_write)
			memset(data, 0xff, len);	/* no function: all ones */
		return false;
	}
	bus->slot[dev].ops->cfg(bus->slot[dev].fn, reg, data, len, is_write);
	return true;
}

bool nc_pci_bus_mmio(struct nc_pci_bus *bus, uint64_t gpa, uint8_t *data,
		     unsigned len, bool is_write)
{
	const struct nc_pci_fn_ops *ops = NULL;
	void *fn = NULL;
	uint64_t off = 0;
	unsigned i, s, bar = 0;

	pthread_mutex_lock(&bus->lock);
	for (i = 0; i < NC_PCI_MAX_CLAIMS; i++) {
		struct nc_pci_claim *c = &bus->claim[i];

		if (c->fn && gpa >= c->base && gpa - c->base < c->size &&
		    len <= c->size - (gpa - c->base)) {
			fn = c->fn;
			bar = c->bar;
			off = gpa - c->base;
			break;
		}
	}
	pthread_mutex_unlock(&bus->lock);
	for (s = 0; fn && s < bus->nr; s++)
		if (bus->slot[s].fn == fn)
			ops = bus->slot[s].ops;
	if (!ops) {
		if (!is_write)
			memset(data, 0xff, len);
		return false;
	}
	/* The function checks its BAR again under its own lock. */
	ops->bar(fn, bar, off, data, len, is_write);
	return true;
}

static void pci_ecam_mmio(void *opaque, uint64_t off, uint8_t *data, uint32_t len,
			  bool is_write)
{
	struct pci_dev *s = opaque;

	nc_pci_bus_cfg(&s->bus, off, data, len, is_write);
}

static void pci_window_mmio(void *opaque, uint64_t off, uint8_t *data, uint32_t len,
			    bool is_write)
{
	struct pci_dev *s = opaque;

	nc_pci_bus_mmio(&s->bus, NC_PCI_MMIO_BASE + off, data, len, is_write);
}

/* ---- the device tree ---- */

static void pci_fdt(struct nc_fdt *f, const struct nc_dev *d,
		    const struct nc_config *c)
{
	const struct nc_fdt_reg reg = { d->reg[0].base, d->reg[0].size };
	/* <pci flags: 32-bit memory, pci address (2), cpu address (2), size (2)> */
	const uint32_t ranges[7] = {
		0x02000000, 0, (uint32_t)d->reg[1].base,
		(uint32_t)(d->reg[1].base >> 32), (uint32_t)d->reg[1].base,
		(uint32_t)(d->reg[1].size >> 32), (uint32_t)d->reg[1].size,
	};
	const uint32_t bus_range[2] = { 0, 0 };
	/* Requester ID n is ITS device ID n. */
	const uint32_t msi_map[4] = { 0, NC_FDT_PHANDLE_ITS, 0, 0x10000 };
	const uint32_t mask[4] = { 0xf800, 0, 0, 7 };
	/*
	 * INTA of slot i (the only pin functions report) is SPI
	 * NC_SPI_PCI_FIRST + i: <devfn 0 0 pin  gic  0 0  SPI nr level>.
	 */
	uint32_t map[NC_PCI_MAX_SLOTS * 10];
	unsigned i;

	(void)c;
	for (i = 0; i < NC_PCI_MAX_SLOTS; i++) {
		uint32_t *e = &map[i * 10];

		e[0] = i << 11;
		e[1] = e[2] = 0;
		e[3] = 1;
		e[4] = NC_FDT_PHANDLE_GIC;
		e[5] = e[6] = 0;
		e[7] = NC_FDT_GIC_SPI;
		e[8] = d->spi + i;
		e[9] = NC_FDT_IRQ_LEVEL_HIGH;
	}
	nc_fdt_begin_node(f, "pci@%" PRIx64, d->reg[0].base);
	NC_FDT(f, fdt_property_string(f->fdt, "compatible", "pci-host-ecam-generic"));
	NC_FDT(f, fdt_property_string(f->fdt, "device_type", "pci"));
	NC_FDT(f, fdt_property_cell(f->fdt, "#address-cells", 3));
	NC_FDT(f, fdt_property_cell(f->fdt, "#size-cells", 2));
	NC_FDT(f, fdt_property_cell(f->fdt, "#interrupt-cells", 1));
	nc_fdt_prop_cells(f, "bus-range", bus_range, 2);
	nc_fdt_prop_reg(f, "reg", &reg, 1);
	nc_fdt_prop_cells(f, "ranges", ranges, 7);
	nc_fdt_prop_cells(f, "msi-map", msi_map, 4);
	NC_FDT(f, fdt_property(f->fdt, "dma-coherent", NULL, 0));
	nc_fdt_prop_cells(f, "interrupt-map-mask", mask, 4);
	nc_fdt_prop_cells(f, "interrupt-map", map, NC_PCI_MAX_SLOTS * 10);
	nc_fdt_end_node(f);
}

/* ---- run time ---- */

static void pci_exit(struct nc_dev *d, struct nc_machine *m)
{
	struct pci_dev *s = d->state;
	unsigned i;

	(void)m;
	if (!s)
		return;
	for (i = s->bus.nr; i--;)
		nc_vfio_pci_destroy(s->bus.slot[i].fn);
	if (s->vfio)
		nc_vfio_close(s->vfio);
	pthread_mutex_destroy(&s->bus.lock);
	free(s);
	d->state = NULL;
}

static int pci_init(struct nc_dev *d, struct nc_machine *m, char *err,
		    size_t errlen)
{
	const struct nc_config *c = m->cfg;
	struct pci_dev *s = calloc(1, sizeof(*s));
	struct nc_mmio_dev win;
	unsigned i;
	int ret;

	if (!s)
		return nc_errf(-ENOMEM, err, errlen, "pci: out of memory");
	pthread_mutex_init(&s->bus.lock, NULL);
	d->state = s;
	ret = nc_vfio_open(&s->vfio, m, err, errlen);
	for (i = 0; !ret && i < c->nr_pci; i++) {
		ret = nc_vfio_pci_create(&s->bus.slot[i].fn, s->vfio, m, &s->bus, i,
					 c->pci[i].host, err, errlen);
		if (!ret) {
			s->bus.slot[i].ops = &nc_vfio_pci_ops;
			s->bus.nr++;
		}
	}
	if (ret) {
		pci_exit(d, m);	/* nc_devices_init() runs no .exit after a failed .init */
		return ret;
	}
	win = (struct nc_mmio_dev){
		.name = d->reg[1].name, .base = d->reg[1].base,
		.size = d->reg[1].size, .access = pci_window_mmio, .opaque = s,
	};
	return nc_mmio_register(&m->mmio, &win, err, errlen);
}

const struct nc_device nc_pci_device = {
	.name = "pci",
	.count = pci_count,
	.max = 1,
	.place = pci_place,
	.mmio = pci_ecam_mmio,
	.fdt = pci_fdt,
	.init = pci_init,
	.exit = pci_exit,
};
