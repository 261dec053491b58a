// SPDX-License-Identifier: GPL-2.0
/* A VFIO PCI device: fd, regions, interrupts, reset (device.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "util/errf.h"
#include "vfio/device.h"
#include "vfio/sysfs.h"
#include "vfio/vfio.h"

#define VERR(...) nc_errf(-(errno ? errno : EIO), err, errlen, __VA_ARGS__)

int nc_vfio_dev_open(struct nc_vfio_dev *d, struct nc_vfio *v, const char *host,
		     char *err, size_t errlen)
{
	struct vfio_device_info info = { .argsz = sizeof(info) };
	unsigned i, group;
	char msg[512];
	int gfd, ret;

	memset(d, 0, sizeof(*d));
	d->fd = -1;
	snprintf(d->host, sizeof(d->host), "%s", host);
	/* check made the same checks; the host may have changed since. */
	ret = nc_vfio_sysfs_check("", host, &group, msg, sizeof(msg));
	if (ret)
		return nc_errf(ret, err, errlen, "%s: %s", host, msg);
	gfd = nc_vfio_group(v, group, host, err, errlen);
	if (gfd < 0)
		return gfd;
	d->fd = ioctl(gfd, VFIO_GROUP_GET_DEVICE_FD, host);
	if (d->fd < 0)
		return VERR("%s: VFIO_GROUP_GET_DEVICE_FD: %s", host, strerror(errno));
	if (ioctl(d->fd, VFIO_DEVICE_GET_INFO, &info) < 0)
		return VERR("%s: VFIO_DEVICE_GET_INFO: %s", host, strerror(errno));
	if (!(info.flags & VFIO_DEVICE_FLAGS_PCI) ||
	    info.num_regions <= VFIO_PCI_CONFIG_REGION_INDEX)
		return nc_errf(-ENODEV, err, errlen, "%s: not a VFIO PCI device", host);
	d->flags = info.flags;
	for (i = 0; i < NC_VFIO_NR_REGIONS; i++) {
		struct vfio_region_info r = { .argsz = sizeof(r), .index = i };

		if (ioctl(d->fd, VFIO_DEVICE_GET_REGION_INFO, &r) < 0)
			return VERR("%s: VFIO_DEVICE_GET_REGION_INFO %u: %s", host, i,
				    strerror(errno));
		d->region[i] = (struct nc_vfio_region){ r.size, r.offset, r.flags };
	}
	for (i = 0; i <= VFIO_PCI_MSIX_IRQ_INDEX && i < info.num_irqs; i++) {
		struct vfio_irq_info q = { .argsz = sizeof(q), .index = i };

		if (ioctl(d->fd, VFIO_DEVICE_GET_IRQ_INFO, &q) < 0)
			return VERR("%s: VFIO_DEVICE_GET_IRQ_INFO %u: %s", host, i,
				    strerror(errno));
		d->nr_irqs[i] = (q.flags & VFIO_IRQ_INFO_EVENTFD) ? q.count : 0;
	}
	return 0;
}

void nc_vfio_dev_close(struct nc_vfio_dev *d)
{
	if (d->fd >= 0)
		close(d->fd);
	d->fd = -1;
}

int nc_vfio_dev_reset(struct nc_vfio_dev *d)
{
	if (!(d->flags & VFIO_DEVICE_FLAGS_RESET))
		return -EOPNOTSUPP;
	return ioctl(d->fd, VFIO_DEVICE_RESET) < 0 ? -errno : 0;
}

int nc_vfio_dev_rw(struct nc_vfio_dev *d, unsigned idx, uint64_t off, void *buf,
		   unsigned len, bool is_write)
{
	const struct nc_vfio_region *r;
	ssize_t n;

	if (idx >= NC_VFIO_NR_REGIONS)
		return -EINVAL;
	r = &d->region[idx];
	if (off >= r->size || len > r->size - off)
		return -ERANGE;
	n = is_write ? pwrite(d->fd, buf, len, r->offset + off) :
		       pread(d->fd, buf, len, r->offset + off);
	if (n < 0)
		return -errno;
	return (unsigned)n == len ? 0 : -EIO;
}

int nc_vfio_dev_set_irqs(struct nc_vfio_dev *d, unsigned index, uint32_t action,
			 unsigned start, unsigned count, const int *fds)
{
	/* On the stack: vCPU threads call this and must not need the allocator. */
	union {
		struct vfio_irq_set s;
		uint8_t buf[sizeof(struct vfio_irq_set) + NC_VFIO_MAX_IRQS * sizeof(int)];
	} u;
	struct vfio_irq_set *s = &u.s;

	if (count > NC_VFIO_MAX_IRQS)
		return -E2BIG;
	memset(&u, 0, sizeof(u));
	s->argsz = sizeof(*s) + count * sizeof(int);
	s->flags = action | (count ? VFIO_IRQ_SET_DATA_EVENTFD : VFIO_IRQ_SET_DATA_NONE);
	s->index = index;
	s->start = start;
	s->count = count;
	if (count)
		memcpy(s->data, fds, count * sizeof(int));
	return ioctl(d->fd, VFIO_DEVICE_SET_IRQS, s) < 0 ? -errno : 0;
}
