/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A VFIO PCI device (device.c): its fd, its regions (BARs, config space)
 * and interrupts as VFIO describes them, reset, and access to a region
 * by pread/pwrite on the device fd.
 */
#ifndef NC_VFIO_DEVICE_H
#define NC_VFIO_DEVICE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/vfio.h>

#define NC_VFIO_NR_REGIONS	(VFIO_PCI_CONFIG_REGION_INDEX + 1)
#define NC_VFIO_MAX_IRQS	128	/* eventfds in one VFIO_DEVICE_SET_IRQS */

struct nc_vfio;

struct nc_vfio_region {
	uint64_t	size;		/* 0: none */
	uint64_t	offset;		/* in the device fd */
	uint32_t	flags;		/* VFIO_REGION_INFO_FLAG_* */
};

struct nc_vfio_dev {
	char			host[16];	/* "0000:00:01.0" */
	int			fd;
	uint32_t		flags;		/* VFIO_DEVICE_FLAGS_* */
	struct nc_vfio_region	region[NC_VFIO_NR_REGIONS];
	uint32_t		nr_irqs[VFIO_PCI_MSIX_IRQ_INDEX + 1];	/* INTx, MSI, MSI-X */
};

/* Opens host's group (in v) and device, reads its regions and interrupts. */
int nc_vfio_dev_open(struct nc_vfio_dev *d, struct nc_vfio *v, const char *host,
		     char *err, size_t errlen);
void nc_vfio_dev_close(struct nc_vfio_dev *d);

/* VFIO_DEVICE_RESET when the device can; 0, -EOPNOTSUPP or -errno. */
int nc_vfio_dev_reset(struct nc_vfio_dev *d);

/* Region idx at off: 0, or -errno (short access, out of the region). */
int nc_vfio_dev_rw(struct nc_vfio_dev *d, unsigned idx, uint64_t off, void *buf,
		   unsigned len, bool is_write);

/*
 * VFIO_DEVICE_SET_IRQS: index's vectors [start, start + count) to the
 * eventfds fds (-1: none) with ACTION_TRIGGER; count 0 disables them all.
 * action VFIO_IRQ_SET_ACTION_UNMASK with one fd sets an unmask eventfd.
 */
int nc_vfio_dev_set_irqs(struct nc_vfio_dev *d, unsigned index, uint32_t action,
			 unsigned start, unsigned count, const int *fds);

#endif /* NC_VFIO_DEVICE_H */
