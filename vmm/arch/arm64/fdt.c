// SPDX-License-Identifier: GPL-2.0
/* The arm64 device tree: the fixed nodes, then every device's (fdt.h). */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "arch/arm64/fdt.h"
#include "devices/device.h"
#include "dtb/fdt.h"
#include "util/errf.h"

static const struct nc_dev *console_dev(const struct nc_devset *devs)
{
	unsigned i;

	for (i = 0; i < devs->nr; i++)
		if (devs->dev[i].type->alias && devs->dev[i].idx == 0)
			return &devs->dev[i];
	return NULL;
}

static void dev_path(const struct nc_dev *d, char *buf, size_t len)
{
	snprintf(buf, len, "/%s@%" PRIx64, d->type->name, d->reg[0].base);
}

static void node_chosen(struct nc_fdt *f, const struct nc_fdt_params *p,
			const struct nc_devset *devs)
{
	const struct nc_dev *con = console_dev(devs);
	char path[48];

	NC_FDT(f, fdt_begin_node(f->fdt, "chosen"));
	NC_FDT(f, fdt_property_string(f->fdt, "bootargs",
				      p->bootargs ? p->bootargs : ""));
	if (con) {
		dev_path(con, path, sizeof(path));
		NC_FDT(f, fdt_property_string(f->fdt, "stdout-path", path));
	}
	if (p->initrd_end) {
		NC_FDT(f, fdt_property_u64(f->fdt, "linux,initrd-start",
					   p->initrd_start));
		NC_FDT(f, fdt_property_u64(f->fdt, "linux,initrd-end",
					   p->initrd_end));
	}
	NC_FDT(f, fdt_end_node(f->fdt));
}

/* serial0, serial1...: one alias per instance of a device with a stem. */
static void node_aliases(struct nc_fdt *f, const struct nc_devset *devs)
{
	char name[32], path[48];
	unsigned i;

	NC_FDT(f, fdt_begin_node(f->fdt, "aliases"));
	for (i = 0; i < devs->nr; i++) {
		const struct nc_dev *d = &devs->dev[i];

		if (!d->type->alias)
			continue;
		snprintf(name, sizeof(name), "%s%u", d->type->alias, d->idx);
		dev_path(d, path, sizeof(path));
		NC_FDT(f, fdt_property_string(f->fdt, name, path));
	}
	NC_FDT(f, fdt_end_node(f->fdt));
}

static void node_memory(struct nc_fdt *f, const struct nc_fdt_params *p)
{
	struct nc_fdt_reg reg[2];
	unsigned int i;

	for (i = 0; i < p->ram.nr_ram && i < 2; i++)
		reg[i] = (struct nc_fdt_reg){ p->ram.ram[i].gpa, p->ram.ram[i].size };
	nc_fdt_begin_node(f, "memory@%" PRIx64, p->ram.ram[0].gpa);
	NC_FDT(f, fdt_property_string(f->fdt, "device_type", "memory"));
	nc_fdt_prop_reg(f, "reg", reg, i);
	nc_fdt_end_node(f);
}

static uint64_t vcpu_mpidr(const struct nc_fdt_params *p, unsigned int i)
{
	unsigned int j;

	for (j = 0; j < p->vcpus; j++)
		if (p->mpidr[j])
			return p->mpidr[i] & NC_MPIDR_AFF_MASK;
	return i;
}

static void node_cpus(struct nc_fdt *f, const struct nc_fdt_params *p)
{
	unsigned int i, cells = 1;
	uint64_t mpidr;

	for (i = 0; i < p->vcpus; i++)
		if (vcpu_mpidr(p, i) >> 32)
			cells = 2;	/* Aff3 is set somewhere */

	NC_FDT(f, fdt_begin_node(f->fdt, "cpus"));
	NC_FDT(f, fdt_property_cell(f->fdt, "#address-cells", cells));
	NC_FDT(f, fdt_property_cell(f->fdt, "#size-cells", 0));
	for (i = 0; i < p->vcpus; i++) {
		mpidr = vcpu_mpidr(p, i);
		nc_fdt_begin_node(f, "cpu@%" PRIx64, mpidr);
		NC_FDT(f, fdt_property_string(f->fdt, "device_type", "cpu"));
		NC_FDT(f, fdt_property_string(f->fdt, "compatible", "arm,arm-v8"));
		NC_FDT(f, fdt_property_string(f->fdt, "enable-method", "psci"));
		if (cells == 2)
			NC_FDT(f, fdt_property_u64(f->fdt, "reg", mpidr));
		else
			NC_FDT(f, fdt_property_cell(f->fdt, "reg", (uint32_t)mpidr));
		nc_fdt_end_node(f);
	}
	nc_fdt_end_node(f);
}

static void node_psci(struct nc_fdt *f)
{
	NC_FDT(f, fdt_begin_node(f->fdt, "psci"));
	NC_FDT(f, fdt_property_string(f->fdt, "compatible", "arm,psci-0.2"));
	NC_FDT(f, fdt_property_string(f->fdt, "method", "hvc"));
	nc_fdt_end_node(f);
}

static void node_timer(struct nc_fdt *f)
{
	/* The binding's order: secure, non-secure physical, virtual, hyp. */
	static const uint32_t ppis[] = {
		NC_PPI_TIMER_SEC, NC_PPI_TIMER_PHYS,
		NC_PPI_TIMER_VIRT, NC_PPI_TIMER_HYP,
	};
	uint32_t irqs[3 * 4];
	unsigned int i;

	for (i = 0; i < 4; i++) {
		irqs[3 * i] = NC_FDT_GIC_PPI;
		irqs[3 * i + 1] = ppis[i];
		irqs[3 * i + 2] = NC_FDT_IRQ_LEVEL_HIGH;
	}
	NC_FDT(f, fdt_begin_node(f->fdt, "timer"));
	NC_FDT(f, fdt_property_string(f->fdt, "compatible", "arm,armv8-timer"));
	nc_fdt_prop_cells(f, "interrupts", irqs, 3 * 4);
	NC_FDT(f, fdt_property(f->fdt, "always-on", NULL, 0));
	nc_fdt_end_node(f);
}

static int check_params(const struct nc_fdt_params *p, char *err,
			size_t errlen)
{
	unsigned int i, j;

	if (p->vcpus < 1 || p->vcpus > NC_MAX_VCPUS)
		return nc_errf(-EINVAL, err, errlen,
			       "device tree: %u vCPUs; 1 to %d are supported",
			       p->vcpus, NC_MAX_VCPUS);
	for (i = 0; i < p->vcpus; i++)
		for (j = 0; j < i; j++)
			if (vcpu_mpidr(p, i) == vcpu_mpidr(p, j))
				return nc_errf(-EINVAL, err, errlen,
					       "device tree: vCPUs %u and %u have the same MPIDR affinity 0x%" PRIx64,
					       j, i, vcpu_mpidr(p, i));
	if (p->ram.nr_ram < 1 || p->ram.nr_ram > 2 || !p->ram.ram[0].size ||
	    (p->ram.nr_ram == 2 && !p->ram.ram[1].size))
		return nc_errf(-EINVAL, err, errlen,
			       "device tree: RAM layout has %u regions; lay it out with nc_ram_layout()",
			       p->ram.nr_ram);
	if ((p->initrd_start || p->initrd_end) &&
	    p->initrd_end <= p->initrd_start)
		return nc_errf(-EINVAL, err, errlen,
			       "device tree: initrd [0x%" PRIx64 ", 0x%" PRIx64 ") is empty or reversed",
			       p->initrd_start, p->initrd_end);
	return 0;
}

int nc_arm64_fdt_build(void *buf, size_t bufsz, const struct nc_fdt_params *p,
		       const struct nc_devset *devs, const struct nc_config *c,
		       size_t *out_size, char *err, size_t errlen)
{
	static const char compatible[] = "nipcell,cell\0linux,dummy-virt";
	struct nc_fdt f;
	unsigned int i;
	int ret;

	*out_size = 0;
	ret = check_params(p, err, errlen);
	if (ret)
		return ret;
	nc_fdt_start(&f, buf, bufsz);
	NC_FDT(&f, fdt_begin_node(f.fdt, ""));
	NC_FDT(&f, fdt_property(f.fdt, "compatible", compatible, sizeof(compatible)));
	NC_FDT(&f, fdt_property_string(f.fdt, "model", "NipCell"));
	NC_FDT(&f, fdt_property_cell(f.fdt, "#address-cells", 2));
	NC_FDT(&f, fdt_property_cell(f.fdt, "#size-cells", 2));
	NC_FDT(&f, fdt_property_cell(f.fdt, "interrupt-parent", NC_FDT_PHANDLE_GIC));
	node_chosen(&f, p, devs);
	node_aliases(&f, devs);
	node_memory(&f, p);
	node_cpus(&f, p);
	node_psci(&f);
	node_timer(&f);
	for (i = 0; i < devs->nr; i++)
		if (devs->dev[i].type->fdt)
			devs->dev[i].type->fdt(&f, &devs->dev[i], c);
	nc_fdt_end_node(&f);
	return nc_fdt_finish(&f, out_size, err, errlen);
}
