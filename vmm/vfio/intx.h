/* SPDX-License-Identifier: GPL-2.0 */
/*
 * INTx of a passthrough function (intx.c), the fallback when the guest
 * enables no MSI-X: VFIO signals a trigger eventfd and masks the line; a
 * resampling irqfd holds the SPI at level until the guest's EOI, then
 * signals the unmask eventfd VFIO listens on.
 */
#ifndef NC_VFIO_INTX_H
#define NC_VFIO_INTX_H

#include <stdbool.h>

struct nc_machine;
struct nc_vfio_dev;

struct nc_intx {
	struct nc_machine	*m;
	struct nc_vfio_dev	*dev;
	unsigned		spi;
	int			trigger, unmask;	/* eventfds, -1: none */
	bool			wired, on;
};

/* Eventfds and the resampling irqfd on spi; then nc_intx_on(). 0 or -errno. */
int nc_intx_init(struct nc_intx *x, struct nc_machine *m, struct nc_vfio_dev *dev,
		 unsigned spi);
/* VFIO delivers INTx (off: it does not, as MSI-X requires). 0 or -errno. */
int nc_intx_on(struct nc_intx *x);
void nc_intx_off(struct nc_intx *x);
void nc_intx_exit(struct nc_intx *x);

#endif /* NC_VFIO_INTX_H */
