// SPDX-License-Identifier: GPL-2.0
/*
 * The ION device: the doorbell page, one edge SPI per valve, and the device
 * tree nodes nexus_ion binds to (the window as reserved memory, no-map, and
 * the nipcell,ion node). The window itself is a memslot (run.c) and its
 * valves are the ION host's (ion/): this file only wires them to the guest.
 *
 * Doorbells are ioeventfds, so a 32-bit store never leaves the kernel; the
 * MMIO handler catches what KVM did not (another access width) and
 * delivers it all the same.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <nipcell/ion.h>
#include <nipcell/ion_host.h>

#include "arch/arm64/layout.h"
#include "config/config.h"
#include "devices/device.h"
#include "dtb/fdt.h"
#include "machine.h"
#include "util/errf.h"

_Static_assert(NC_SPI_ION_FIRST + ION_MAX_VALVES <= NC_NR_SPIS,
	       "layout.h: not enough SPIs for every valve");

struct ion_dev {
	unsigned	nr_db;
	struct { uint32_t off; int fd; } db[ION_MAX_VALVES * ION_MAX_QUEUES];
};

static void ion_place(struct nc_dev *d, const struct nc_config *c)
{
	d->nr_regs = 1;
	d->reg[0] = (struct nc_dev_reg){ "ION doorbells", NC_DOORBELL_BASE,
					 ION_DOORBELL_SIZE };
	d->spi = NC_SPI_ION_FIRST;
	d->nr_spis = nc_config_nr_valves(c);
}

/* A doorbell store KVM did not catch (another width): deliver it anyway. */
static void ion_mmio(void *opaque, uint64_t off, uint8_t *data, uint32_t len,
		     bool is_write)
{
	struct ion_dev *s = opaque;
	uint64_t one = 1;
	unsigned i;

	if (!is_write) {
		memset(data, 0, len);
		return;
	}
	for (i = 0; i < s->nr_db; i++)
		if (s->db[i].off == (off & ~(uint64_t)(ION_DOORBELL_STRIDE - 1)))
			if (write(s->db[i].fd, &one, sizeof(one)) < 0)
				break;
}

static void node_reserved(struct nc_fdt *f, const struct nc_config *c)
{
	const struct nc_fdt_reg win = { c->ion_base, c->ion_size };

	NC_FDT(f, fdt_begin_node(f->fdt, "reserved-memory"));
	NC_FDT(f, fdt_property_cell(f->fdt, "#address-cells", 2));
	NC_FDT(f, fdt_property_cell(f->fdt, "#size-cells", 2));
	NC_FDT(f, fdt_property(f->fdt, "ranges", NULL, 0));
	nc_fdt_begin_node(f, "ion@%" PRIx64, c->ion_base);
	NC_FDT(f, fdt_property_string(f->fdt, "compatible", "nipcell,ion-window"));
	nc_fdt_prop_reg(f, "reg", &win, 1);
	NC_FDT(f, fdt_property(f->fdt, "no-map", NULL, 0));
	NC_FDT(f, fdt_property_cell(f->fdt, "phandle", NC_FDT_PHANDLE_ION));
	nc_fdt_end_node(f);
	nc_fdt_end_node(f);
}

static void ion_fdt(struct nc_fdt *f, const struct nc_dev *d,
		    const struct nc_config *c)
{
	const struct nc_fdt_reg reg = { d->reg[0].base, d->reg[0].size };
	const fdt64_t window[2] = {
		cpu_to_fdt64(c->ion_base), cpu_to_fdt64(c->ion_size),
	};
	const uint32_t abi[2] = { ION_ABI_MAJOR, ION_ABI_MINOR };
	uint32_t irqs[3 * ION_MAX_VALVES];
	unsigned int i;

	for (i = 0; i < d->nr_spis && i < ION_MAX_VALVES; i++) {
		irqs[3 * i] = NC_FDT_GIC_SPI;
		irqs[3 * i + 1] = d->spi + i;
		irqs[3 * i + 2] = NC_FDT_IRQ_EDGE_RISING;
	}
	node_reserved(f, c);
	nc_fdt_begin_node(f, "ion@%" PRIx64, d->reg[0].base);
	NC_FDT(f, fdt_property_string(f->fdt, "compatible", "nipcell,ion"));
	nc_fdt_prop_reg(f, "reg", &reg, 1);
	NC_FDT(f, fdt_property_cell(f->fdt, "memory-region", NC_FDT_PHANDLE_ION));
	NC_FDT(f, fdt_property(f->fdt, "nipcell,window", window, sizeof(window)));
	if (i)
		nc_fdt_prop_cells(f, "interrupts", irqs, 3 * i);
	nc_fdt_prop_cells(f, "nipcell,abi", abi, 2);
	nc_fdt_end_node(f);
}

/* Binds every queue's doorbell (ioeventfd) and every valve's SPI (irqfd). */
static int ion_init(struct nc_dev *d, struct nc_machine *m, char *err,
		    size_t errlen)
{
	struct ion_dev *s = calloc(1, sizeof(*s));
	unsigned v, q, nr = ion_host_nr_valves(m->ion);
	int ret;

	if (!s)
		return nc_errf(-ENOMEM, err, errlen, "ion: out of memory");
	d->state = s;
	if (nr != d->nr_spis)
		return nc_errf(-EINVAL, err, errlen,
			       "ion: %u valves, the device tree has %u interrupts",
			       nr, d->nr_spis);
	for (v = 0; v < nr; v++) {
		const struct ion_valve *valve = ion_host_valve(m->ion, v);

		for (q = 0; q < valve->nr_queues; q++) {
			uint32_t off = valve->queues[q].doorbell;
			int fd = ion_host_doorbell_fd(m->ion, v, q);

			ret = m->ops->ioeventfd(m, d->reg[0].base + off, fd, err,
						errlen);
			if (ret)
				return ret;
			s->db[s->nr_db].off = off;
			s->db[s->nr_db++].fd = fd;
		}
		ret = m->ops->irqfd(m, d->spi + valve->irq,
				    ion_host_irq_fd(m->ion, v), err, errlen);
		if (ret)
			return ret;
	}
	return 0;
}

static void ion_exit(struct nc_dev *d, struct nc_machine *m)
{
	(void)m;
	free(d->state);
	d->state = NULL;
}

const struct nc_device nc_ion_device = {
	.name = "ion",
	.max = 1,
	.place = ion_place,
	.mmio = ion_mmio,
	.fdt = ion_fdt,
	.init = ion_init,
	.exit = ion_exit,
};
