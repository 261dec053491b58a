/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Writing a device tree with libfdt's sequential-write API, the way kvmtool
 * does: nodes in order, then fdt_open_into() and fdt_pack(). This is the
 * architecture-neutral half; the arm64 tree (root, chosen, cpus, psci,
 * timer) is vmm/arch/arm64/fdt.c, and every device writes its own node
 * (struct nc_device.fdt). Include it as "dtb/fdt.h": libfdt has a <fdt.h>
 * of its own.
 *
 * Every libfdt call goes through NC_FDT(), which keeps the first failure
 * (the call as written and its libfdt error) and skips the calls after it,
 * so node writers read as straight lines and report once, at the end.
 */
#ifndef NC_DTB_FDT_H
#define NC_DTB_FDT_H

#include <stddef.h>
#include <stdint.h>

#include <libfdt.h>

/* Phandles the writers share. */
#define NC_FDT_PHANDLE_GIC	1
#define NC_FDT_PHANDLE_ION	2
#define NC_FDT_PHANDLE_ITS	3

/* The GIC binding's interrupt specifier: <type number flags>. */
#define NC_FDT_GIC_SPI		0
#define NC_FDT_GIC_PPI		1
#define NC_FDT_IRQ_EDGE_RISING	1
#define NC_FDT_IRQ_LEVEL_HIGH	4

#define NC_FDT_MAX_CELLS	64	/* in one nc_fdt_prop_cells() */

struct nc_fdt {
	void *fdt;
	int bufsz;
	int ret;		/* first libfdt error, 0 while all went well */
	const char *call;	/* the call that returned it, as written */
};

#define NC_FDT(f, expr)							\
	do {								\
		if (!(f)->ret) {					\
			int _nc_r = (expr);				\
			if (_nc_r < 0) {				\
				(f)->ret = _nc_r;			\
				(f)->call = #expr;			\
			}						\
		}							\
	} while (0)

/* A (gpa, size) pair of a reg property with 2 address and 2 size cells. */
struct nc_fdt_reg {
	uint64_t gpa;
	uint64_t size;
};

void nc_fdt_begin_node(struct nc_fdt *f, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void nc_fdt_end_node(struct nc_fdt *f);
/* reg with #address-cells = #size-cells = 2: n pairs, at most 4. */
void nc_fdt_prop_reg(struct nc_fdt *f, const char *name,
		     const struct nc_fdt_reg *r, unsigned int n);
/* n 32-bit cells, at most NC_FDT_MAX_CELLS. */
void nc_fdt_prop_cells(struct nc_fdt *f, const char *name,
		       const uint32_t *v, unsigned int n);
/* interrupts = <type nr flags>, one interrupt. */
void nc_fdt_prop_irq(struct nc_fdt *f, uint32_t type, uint32_t nr,
		     uint32_t flags);

/* Starts a tree in buf (fdt_create + empty reserve map). */
void nc_fdt_start(struct nc_fdt *f, void *buf, size_t bufsz);
/*
 * Finishes the tree: fdt_finish, fdt_open_into and fdt_pack. Returns 0 and
 * the packed size in *out_size, or -ENOSPC when buf was too small and
 * -EINVAL for any other libfdt failure, with a message naming the failing
 * call and fdt_strerror().
 */
int nc_fdt_finish(struct nc_fdt *f, size_t *out_size, char *err,
		  size_t errlen);

#endif /* NC_DTB_FDT_H */
