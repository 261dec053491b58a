// SPDX-License-Identifier: GPL-2.0
/*
 * The GICv3 as a device of the table: where the distributor and the
 * redistributors sit and its device tree node. KVM emulates it in the
 * kernel (kvm.c creates it before the vCPUs and finalises it after them),
 * so it has no MMIO handler and no init here. A cell with [[pci]] also has
 * the vITS (reg[2]), the msi-controller of the PCI bus's msi-map; without,
 * the node is what it always was.
 */
#include <inttypes.h>

#include "arch/arm64/layout.h"
#include "config/config.h"
#include "devices/device.h"
#include "dtb/fdt.h"

static void gic_place(struct nc_dev *d, const struct nc_config *c)
{
	d->nr_regs = 2;
	d->reg[0] = (struct nc_dev_reg){ "GIC distributor", NC_GIC_DIST_BASE,
					 NC_GIC_DIST_SIZE };
	d->reg[1] = (struct nc_dev_reg){ "GIC redistributors", NC_GIC_REDIST_BASE,
					 c->vcpus * NC_GIC_REDIST_STRIDE };
	if (c->nr_pci) {
		d->nr_regs = 3;
		d->reg[2] = (struct nc_dev_reg){ "GIC ITS", NC_GIC_ITS_BASE,
						 NC_GIC_ITS_SIZE };
	}
}

static void node_its(struct nc_fdt *f, const struct nc_dev_reg *r)
{
	const struct nc_fdt_reg reg = { r->base, r->size };

	nc_fdt_begin_node(f, "its@%" PRIx64, r->base);
	NC_FDT(f, fdt_property_string(f->fdt, "compatible", "arm,gic-v3-its"));
	NC_FDT(f, fdt_property(f->fdt, "msi-controller", NULL, 0));
	NC_FDT(f, fdt_property_cell(f->fdt, "#msi-cells", 1));
	nc_fdt_prop_reg(f, "reg", &reg, 1);
	NC_FDT(f, fdt_property_cell(f->fdt, "phandle", NC_FDT_PHANDLE_ITS));
	nc_fdt_end_node(f);
}

static void gic_fdt(struct nc_fdt *f, const struct nc_dev *d,
		    const struct nc_config *c)
{
	const struct nc_fdt_reg reg[2] = {
		{ d->reg[0].base, d->reg[0].size },
		{ d->reg[1].base, d->reg[1].size },
	};

	(void)c;
	nc_fdt_begin_node(f, "intc@%" PRIx64, d->reg[0].base);
	NC_FDT(f, fdt_property_string(f->fdt, "compatible", "arm,gic-v3"));
	NC_FDT(f, fdt_property_cell(f->fdt, "#interrupt-cells", 3));
	NC_FDT(f, fdt_property(f->fdt, "interrupt-controller", NULL, 0));
	if (d->nr_regs > 2) {
		/* The ITS child: reg in the root's cells. */
		NC_FDT(f, fdt_property_cell(f->fdt, "#address-cells", 2));
		NC_FDT(f, fdt_property_cell(f->fdt, "#size-cells", 2));
		NC_FDT(f, fdt_property(f->fdt, "ranges", NULL, 0));
	} else {
		/* No children (no ITS); dtc wants it stated. */
		NC_FDT(f, fdt_property_cell(f->fdt, "#address-cells", 0));
	}
	nc_fdt_prop_reg(f, "reg", reg, 2);
	NC_FDT(f, fdt_property_cell(f->fdt, "phandle", NC_FDT_PHANDLE_GIC));
	if (d->nr_regs > 2)
		node_its(f, &d->reg[2]);
	nc_fdt_end_node(f);
}

const struct nc_device nc_gic_device = {
	.name = "gic",
	.max = 1,
	.place = gic_place,
	.fdt = gic_fdt,
};
