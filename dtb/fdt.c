// SPDX-License-Identifier: GPL-2.0
/*
 * The NipCell device tree, built like kvmtool's arm/fdt.c: fixed nodes in
 * order with libfdt's sequential-write API, then fdt_open_into() and
 * fdt_pack(). Every libfdt call goes through NC_FDT(), which keeps the
 * first failure (the call as written and fdt_strerror()) and skips the
 * calls after it, so the node writers read as straight lines.
 */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <libfdt.h>

#include "util/errf.h"
#include "dtb/bootargs.h"
#include "dtb/fdt.h"

/* The GIC binding's interrupt specifier: <type number flags>. */
#define GIC_SPI			0
#define GIC_PPI			1
#define IRQ_TYPE_EDGE_RISING	1
#define IRQ_TYPE_LEVEL_HIGH	4

struct fdt_ctx {
	void *fdt;
	int ret;		/* first libfdt error, 0 while all went well */
	const char *call;	/* the call that returned it, as written */
};

/*
 * Run a libfdt call unless one failed before; keep its error and its text
 * if it fails. Expects struct fdt_ctx *c in scope.
 */
#define NC_FDT(expr)							\
	do {								\
		if (!c->ret) {						\
			int _nc_r = (expr);				\
			if (_nc_r < 0) {				\
				c->ret = _nc_r;				\
				c->call = #expr;			\
			}						\
		}							\
	} while (0)

__attribute__((format(printf, 2, 3)))
static void begin_node(struct fdt_ctx *c, const char *fmt, ...)
{
	char name[64];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(name, sizeof(name), fmt, ap);
	va_end(ap);
	NC_FDT(fdt_begin_node(c->fdt, name));
}

/*
 * reg with #address-cells = #size-cells = 2: n (address, size) pairs, at
 * most two (the memory node and the GIC have two).
 */
static void prop_reg64(struct fdt_ctx *c, const char *name,
		       const struct nc_region *r, unsigned int n)
{
	fdt64_t cells[2 * 2];
	unsigned int i;

	for (i = 0; i < n && i < 2; i++) {
		cells[2 * i] = cpu_to_fdt64(r[i].gpa);
		cells[2 * i + 1] = cpu_to_fdt64(r[i].size);
	}
	NC_FDT(fdt_property(c->fdt, name, cells, i * 2 * sizeof(cells[0])));
}

static void prop_cells(struct fdt_ctx *c, const char *name,
		       const uint32_t *v, unsigned int n)
{
	fdt32_t cells[3 * ION_MAX_VALVES];
	unsigned int i;

	for (i = 0; i < n && i < sizeof(cells) / sizeof(cells[0]); i++)
		cells[i] = cpu_to_fdt32(v[i]);
	NC_FDT(fdt_property(c->fdt, name, cells, i * sizeof(cells[0])));
}

static void prop_irq(struct fdt_ctx *c, uint32_t type, uint32_t nr,
		     uint32_t flags)
{
	const uint32_t irq[3] = { type, nr, flags };

	prop_cells(c, "interrupts", irq, 3);
}

static void node_chosen(struct fdt_ctx *c, const struct nc_fdt_params *p,
			const char *bootargs)
{
	char path[32];

	snprintf(path, sizeof(path), "/uart@%" PRIx64, p->uart_base);
	NC_FDT(fdt_begin_node(c->fdt, "chosen"));
	NC_FDT(fdt_property_string(c->fdt, "bootargs", bootargs));
	NC_FDT(fdt_property_string(c->fdt, "stdout-path", path));
	if (p->initrd_end) {
		NC_FDT(fdt_property_u64(c->fdt, "linux,initrd-start",
					p->initrd_start));
		NC_FDT(fdt_property_u64(c->fdt, "linux,initrd-end",
					p->initrd_end));
	}
	NC_FDT(fdt_end_node(c->fdt));
}

static void node_aliases(struct fdt_ctx *c, const struct nc_fdt_params *p)
{
	char path[32];

	snprintf(path, sizeof(path), "/uart@%" PRIx64, p->uart_base);
	NC_FDT(fdt_begin_node(c->fdt, "aliases"));
	NC_FDT(fdt_property_string(c->fdt, "serial0", path));
	NC_FDT(fdt_end_node(c->fdt));
}

static void node_memory(struct fdt_ctx *c, const struct nc_fdt_params *p)
{
	begin_node(c, "memory@%" PRIx64, p->ram.ram[0].gpa);
	NC_FDT(fdt_property_string(c->fdt, "device_type", "memory"));
	prop_reg64(c, "reg", p->ram.ram, p->ram.nr_ram);
	NC_FDT(fdt_end_node(c->fdt));
}

static uint64_t vcpu_mpidr(const struct nc_fdt_params *p, unsigned int i)
{
	unsigned int j;

	for (j = 0; j < p->vcpus; j++)
		if (p->mpidr[j])
			return p->mpidr[i] & NC_MPIDR_AFF_MASK;
	return i;
}

static void node_cpus(struct fdt_ctx *c, const struct nc_fdt_params *p)
{
	unsigned int i, cells = 1;
	uint64_t mpidr;

	for (i = 0; i < p->vcpus; i++)
		if (vcpu_mpidr(p, i) >> 32)
			cells = 2;	/* Aff3 is set somewhere */

	NC_FDT(fdt_begin_node(c->fdt, "cpus"));
	NC_FDT(fdt_property_cell(c->fdt, "#address-cells", cells));
	NC_FDT(fdt_property_cell(c->fdt, "#size-cells", 0));
	for (i = 0; i < p->vcpus; i++) {
		mpidr = vcpu_mpidr(p, i);
		begin_node(c, "cpu@%" PRIx64, mpidr);
		NC_FDT(fdt_property_string(c->fdt, "device_type", "cpu"));
		NC_FDT(fdt_property_string(c->fdt, "compatible", "arm,arm-v8"));
		NC_FDT(fdt_property_string(c->fdt, "enable-method", "psci"));
		if (cells == 2)
			NC_FDT(fdt_property_u64(c->fdt, "reg", mpidr));
		else
			NC_FDT(fdt_property_cell(c->fdt, "reg", (uint32_t)mpidr));
		NC_FDT(fdt_end_node(c->fdt));
	}
	NC_FDT(fdt_end_node(c->fdt));
}

static void node_psci(struct fdt_ctx *c)
{
	NC_FDT(fdt_begin_node(c->fdt, "psci"));
	NC_FDT(fdt_property_string(c->fdt, "compatible", "arm,psci-0.2"));
	NC_FDT(fdt_property_string(c->fdt, "method", "hvc"));
	NC_FDT(fdt_end_node(c->fdt));
}

static void node_gic(struct fdt_ctx *c, const struct nc_fdt_params *p)
{
	unsigned int nr_redist = p->gic_redist_count ?: p->vcpus;
	const struct nc_region reg[2] = {
		{ p->gic_dist, NC_GIC_DIST_SIZE },
		{ p->gic_redist, nr_redist * NC_GIC_REDIST_STRIDE },
	};

	begin_node(c, "intc@%" PRIx64, p->gic_dist);
	NC_FDT(fdt_property_string(c->fdt, "compatible", "arm,gic-v3"));
	NC_FDT(fdt_property_cell(c->fdt, "#interrupt-cells", 3));
	NC_FDT(fdt_property(c->fdt, "interrupt-controller", NULL, 0));
	/* No children (no ITS); dtc wants it stated. */
	NC_FDT(fdt_property_cell(c->fdt, "#address-cells", 0));
	prop_reg64(c, "reg", reg, 2);
	NC_FDT(fdt_property_cell(c->fdt, "phandle", NC_FDT_PHANDLE_GIC));
	NC_FDT(fdt_end_node(c->fdt));
}

static void node_timer(struct fdt_ctx *c)
{
	/* The binding's order: secure, non-secure physical, virtual, hyp. */
	static const uint32_t ppis[] = {
		NC_PPI_TIMER_SEC, NC_PPI_TIMER_PHYS,
		NC_PPI_TIMER_VIRT, NC_PPI_TIMER_HYP,
	};
	uint32_t irqs[3 * 4];
	unsigned int i;

	for (i = 0; i < 4; i++) {
		irqs[3 * i] = GIC_PPI;
		irqs[3 * i + 1] = ppis[i];
		irqs[3 * i + 2] = IRQ_TYPE_LEVEL_HIGH;
	}
	NC_FDT(fdt_begin_node(c->fdt, "timer"));
	NC_FDT(fdt_property_string(c->fdt, "compatible", "arm,armv8-timer"));
	prop_cells(c, "interrupts", irqs, 3 * 4);
	NC_FDT(fdt_property(c->fdt, "always-on", NULL, 0));
	NC_FDT(fdt_end_node(c->fdt));
}

static void node_uart(struct fdt_ctx *c, const struct nc_fdt_params *p)
{
	const struct nc_region reg = { p->uart_base, NC_UART_SIZE };

	begin_node(c, "uart@%" PRIx64, p->uart_base);
	NC_FDT(fdt_property_string(c->fdt, "compatible", "ns16550a"));
	prop_reg64(c, "reg", &reg, 1);
	NC_FDT(fdt_property_cell(c->fdt, "clock-frequency", NC_UART_CLOCK));
	prop_irq(c, GIC_SPI, p->uart_spi, IRQ_TYPE_LEVEL_HIGH);
	NC_FDT(fdt_property_cell(c->fdt, "reg-shift", 0));
	NC_FDT(fdt_property_cell(c->fdt, "reg-io-width", 1));
	NC_FDT(fdt_end_node(c->fdt));
}

static void node_reserved(struct fdt_ctx *c, const struct nc_fdt_params *p)
{
	const struct nc_region win = { p->ion_base, p->ion_size };

	NC_FDT(fdt_begin_node(c->fdt, "reserved-memory"));
	NC_FDT(fdt_property_cell(c->fdt, "#address-cells", 2));
	NC_FDT(fdt_property_cell(c->fdt, "#size-cells", 2));
	NC_FDT(fdt_property(c->fdt, "ranges", NULL, 0));
	begin_node(c, "ion@%" PRIx64, p->ion_base);
	NC_FDT(fdt_property_string(c->fdt, "compatible", "nipcell,ion-window"));
	prop_reg64(c, "reg", &win, 1);
	NC_FDT(fdt_property(c->fdt, "no-map", NULL, 0));
	NC_FDT(fdt_property_cell(c->fdt, "phandle", NC_FDT_PHANDLE_ION));
	NC_FDT(fdt_end_node(c->fdt));
	NC_FDT(fdt_end_node(c->fdt));
}

static void node_ion(struct fdt_ctx *c, const struct nc_fdt_params *p)
{
	const struct nc_region reg = { p->doorbell_gpa, ION_DOORBELL_SIZE };
	const fdt64_t window[2] = {
		cpu_to_fdt64(p->ion_base), cpu_to_fdt64(p->ion_size),
	};
	const uint32_t abi[2] = { ION_ABI_MAJOR, ION_ABI_MINOR };
	uint32_t irqs[3 * ION_MAX_VALVES];
	unsigned int i;

	for (i = 0; i < p->nr_ion_irqs; i++) {
		irqs[3 * i] = GIC_SPI;
		irqs[3 * i + 1] = p->ion_spi[i];
		irqs[3 * i + 2] = IRQ_TYPE_EDGE_RISING;
	}
	begin_node(c, "ion@%" PRIx64, p->doorbell_gpa);
	NC_FDT(fdt_property_string(c->fdt, "compatible", "nipcell,ion"));
	prop_reg64(c, "reg", &reg, 1);
	NC_FDT(fdt_property_cell(c->fdt, "memory-region", NC_FDT_PHANDLE_ION));
	NC_FDT(fdt_property(c->fdt, "nipcell,window", window, sizeof(window)));
	if (p->nr_ion_irqs)
		prop_cells(c, "interrupts", irqs, 3 * p->nr_ion_irqs);
	prop_cells(c, "nipcell,abi", abi, 2);
	NC_FDT(fdt_end_node(c->fdt));
}

static void build(struct fdt_ctx *c, const struct nc_fdt_params *p,
		  const char *bootargs, int bufsz)
{
	static const char compatible[] = "nipcell,cell\0linux,dummy-virt";

	NC_FDT(fdt_create(c->fdt, bufsz));
	NC_FDT(fdt_finish_reservemap(c->fdt));
	NC_FDT(fdt_begin_node(c->fdt, ""));
	NC_FDT(fdt_property(c->fdt, "compatible", compatible, sizeof(compatible)));
	NC_FDT(fdt_property_string(c->fdt, "model", "NipCell"));
	NC_FDT(fdt_property_cell(c->fdt, "#address-cells", 2));
	NC_FDT(fdt_property_cell(c->fdt, "#size-cells", 2));
	NC_FDT(fdt_property_cell(c->fdt, "interrupt-parent",
				 NC_FDT_PHANDLE_GIC));
	node_chosen(c, p, bootargs);
	node_aliases(c, p);
	node_memory(c, p);
	node_cpus(c, p);
	node_psci(c);
	node_gic(c, p);
	node_timer(c);
	node_uart(c, p);
	node_reserved(c, p);
	node_ion(c, p);
	NC_FDT(fdt_end_node(c->fdt));
	NC_FDT(fdt_finish(c->fdt));
	NC_FDT(fdt_open_into(c->fdt, c->fdt, bufsz));
	NC_FDT(fdt_pack(c->fdt));
}

void nc_fdt_params_default(struct nc_fdt_params *p,
			   const struct nc_ram_layout *ram)
{
	unsigned int i;

	memset(p, 0, sizeof(*p));
	p->vcpus = 1;
	p->uart_base = NC_UART_BASE;
	p->uart_spi = NC_SPI_UART;
	p->gic_dist = NC_GIC_DIST_BASE;
	p->gic_redist = NC_GIC_REDIST_BASE;
	p->ion_base = ION_DEFAULT_BASE;
	p->ion_size = ION_DEFAULT_SIZE;
	p->doorbell_gpa = NC_DOORBELL_BASE;
	for (i = 0; i < ION_MAX_VALVES; i++)
		p->ion_spi[i] = NC_SPI_ION_FIRST + i;
	if (ram) {
		p->ram = *ram;
		if (ram->ion.size) {
			p->ion_base = ram->ion.gpa;
			p->ion_size = ram->ion.size;
		}
	}
}

static int check_cpus(const struct nc_fdt_params *p, char *err, size_t errlen)
{
	unsigned int i, j;

	if (p->vcpus < 1 || p->vcpus > NC_MAX_VCPUS)
		return nc_errf(-EINVAL, err, errlen, "device tree: %u vCPUs; 1 to %d are supported",
			    p->vcpus, NC_MAX_VCPUS);
	if (p->gic_redist_count && (p->gic_redist_count < p->vcpus ||
				    p->gic_redist_count > NC_MAX_VCPUS))
		return nc_errf(-EINVAL, err, errlen,
			    "device tree: %u GIC redistributors for %u vCPUs (at most %d)",
			    p->gic_redist_count, p->vcpus, NC_MAX_VCPUS);
	for (i = 0; i < p->vcpus; i++)
		for (j = 0; j < i; j++)
			if (vcpu_mpidr(p, i) == vcpu_mpidr(p, j))
				return nc_errf(-EINVAL, err, errlen,
					    "device tree: vCPUs %u and %u have the same MPIDR affinity 0x%" PRIx64,
					    j, i, vcpu_mpidr(p, i));
	return 0;
}

static int check_params(const struct nc_fdt_params *p, char *err,
			size_t errlen)
{
	unsigned int i;
	int ret;

	ret = check_cpus(p, err, errlen);
	if (ret)
		return ret;
	if (p->ram.nr_ram < 1 || p->ram.nr_ram > 2 || !p->ram.ram[0].size ||
	    (p->ram.nr_ram == 2 && !p->ram.ram[1].size))
		return nc_errf(-EINVAL, err, errlen,
			    "device tree: RAM layout has %u regions; lay it out with nc_ram_layout()",
			    p->ram.nr_ram);
	if (!p->ion_size)
		return nc_errf(-EINVAL, err, errlen, "device tree: the ion window is empty");
	if (p->ram.ion.size && (p->ram.ion.gpa != p->ion_base ||
				p->ram.ion.size != p->ion_size))
		return nc_errf(-EINVAL, err, errlen,
			    "device tree: ion window [0x%08" PRIx64 "-0x%08" PRIx64 "] is not the RAM layout's [0x%08" PRIx64 "-0x%08" PRIx64 "]",
			    p->ion_base, p->ion_base + p->ion_size - 1,
			    p->ram.ion.gpa, nc_region_end(&p->ram.ion) - 1);
	if ((p->initrd_start || p->initrd_end) &&
	    p->initrd_end <= p->initrd_start)
		return nc_errf(-EINVAL, err, errlen,
			    "device tree: initrd [0x%" PRIx64 ", 0x%" PRIx64 ") is empty or reversed",
			    p->initrd_start, p->initrd_end);
	if (p->nr_ion_irqs > ION_MAX_VALVES)
		return nc_errf(-EINVAL, err, errlen,
			    "device tree: %u ion interrupts; at most %d",
			    p->nr_ion_irqs, ION_MAX_VALVES);
	if (p->uart_spi >= NC_NR_SPIS)
		return nc_errf(-EINVAL, err, errlen, "device tree: UART SPI %u; SPIs are 0 to %d",
			    p->uart_spi, NC_NR_SPIS - 1);
	for (i = 0; i < p->nr_ion_irqs; i++)
		if (p->ion_spi[i] >= NC_NR_SPIS)
			return nc_errf(-EINVAL, err, errlen,
				    "device tree: valve %u SPI %u; SPIs are 0 to %d",
				    i, p->ion_spi[i], NC_NR_SPIS - 1);
	return 0;
}

int nc_fdt_build(void *buf, size_t bufsz, const struct nc_fdt_params *p,
		 size_t *out_size, char *err, size_t errlen)
{
	struct fdt_ctx c = { .fdt = buf };
	char bootargs[NC_CMDLINE_MAX];
	int ret;

	*out_size = 0;
	ret = check_params(p, err, errlen);
	if (ret)
		return ret;
	ret = nc_bootargs_ion(bootargs, sizeof(bootargs), p->bootargs,
			      p->ion_base, err, errlen);
	if (ret < 0)
		return ret;
	if (bufsz > INT_MAX)
		bufsz = INT_MAX;

	build(&c, p, bootargs, (int)bufsz);
	if (c.ret == -FDT_ERR_NOSPACE) {
		nc_errf(-EINVAL, err, errlen, "device tree does not fit in %zu bytes: %s: %s",
		     bufsz, c.call, fdt_strerror(c.ret));
		return -ENOSPC;
	}
	if (c.ret)
		return nc_errf(-EINVAL, err, errlen, "device tree: %s: %s", c.call,
			    fdt_strerror(c.ret));
	*out_size = fdt_totalsize(buf);
	return 0;
}
