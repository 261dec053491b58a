// SPDX-License-Identifier: GPL-2.0
/* The architecture-neutral device tree writer: see fdt.h. */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>

#include "util/errf.h"
#include "dtb/fdt.h"

void nc_fdt_begin_node(struct nc_fdt *f, const char *fmt, ...)
{
	char name[64];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(name, sizeof(name), fmt, ap);
	va_end(ap);
	NC_FDT(f, fdt_begin_node(f->fdt, name));
}

void nc_fdt_end_node(struct nc_fdt *f)
{
	NC_FDT(f, fdt_end_node(f->fdt));
}

void nc_fdt_prop_reg(struct nc_fdt *f, const char *name,
		     const struct nc_fdt_reg *r, unsigned int n)
{
	fdt64_t cells[2 * 4];
	unsigned int i;

	for (i = 0; i < n && i < 4; i++) {
		cells[2 * i] = cpu_to_fdt64(r[i].gpa);
		cells[2 * i + 1] = cpu_to_fdt64(r[i].size);
	}
	NC_FDT(f, fdt_property(f->fdt, name, cells, i * 2 * sizeof(cells[0])));
}

void nc_fdt_prop_cells(struct nc_fdt *f, const char *name,
		       const uint32_t *v, unsigned int n)
{
	fdt32_t cells[NC_FDT_MAX_CELLS];
	unsigned int i;

	for (i = 0; i < n && i < NC_FDT_MAX_CELLS; i++)
		cells[i] = cpu_to_fdt32(v[i]);
	NC_FDT(f, fdt_property(f->fdt, name, cells, i * sizeof(cells[0])));
}

void nc_fdt_prop_irq(struct nc_fdt *f, uint32_t type, uint32_t nr,
		     uint32_t flags)
{
	const uint32_t irq[3] = { type, nr, flags };

	nc_fdt_prop_cells(f, "interrupts", irq, 3);
}

void nc_fdt_start(struct nc_fdt *f, void *buf, size_t bufsz)
{
	f->fdt = buf;
	f->bufsz = bufsz > INT_MAX ? INT_MAX : (int)bufsz;
	f->ret = 0;
	f->call = NULL;
	NC_FDT(f, fdt_create(f->fdt, f->bufsz));
	NC_FDT(f, fdt_finish_reservemap(f->fdt));
}

int nc_fdt_finish(struct nc_fdt *f, size_t *out_size, char *err,
		  size_t errlen)
{
	*out_size = 0;
	NC_FDT(f, fdt_finish(f->fdt));
	NC_FDT(f, fdt_open_into(f->fdt, f->fdt, f->bufsz));
	NC_FDT(f, fdt_pack(f->fdt));
	if (f->ret == -FDT_ERR_NOSPACE)
		return nc_errf(-ENOSPC, err, errlen,
			       "device tree does not fit in %d bytes: %s: %s",
			       f->bufsz, f->call, fdt_strerror(f->ret));
	if (f->ret)
		return nc_errf(-EINVAL, err, errlen, "device tree: %s: %s",
			       f->call, fdt_strerror(f->ret));
	*out_size = fdt_totalsize(f->fdt);
	return 0;
}
