// SPDX-License-Identifier: GPL-2.0
/* The VFIO container and its groups (vfio.h); DMA maps of guest RAM. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>
#include <linux/vfio.h>

#include "machine.h"
#include "util/errf.h"
#include "vfio/vfio.h"

#define VERR(...) nc_errf(-(errno ? errno : EIO), err, errlen, __VA_ARGS__)

int nc_vfio_open(struct nc_vfio **out, struct nc_machine *m, char *err, size_t errlen)
{
	struct nc_vfio *v = calloc(1, sizeof(*v));
	int ver;

	*out = NULL;
	if (!v)
		return nc_errf(-ENOMEM, err, errlen, "vfio: out of memory");
	v->m = m;
	v->fd = open("/dev/vfio/vfio", O_RDWR | O_CLOEXEC);
	if (v->fd < 0) {
		int e = errno;

		free(v);
		return nc_errf(-e, err, errlen, "/dev/vfio/vfio: %s (is the vfio module loaded?)",
			       strerror(e));
	}
	*out = v;
	ver = ioctl(v->fd, VFIO_GET_API_VERSION);
	if (ver != VFIO_API_VERSION)
		return nc_errf(-EPROTO, err, errlen, "/dev/vfio/vfio: API version %d, want %d",
			       ver, VFIO_API_VERSION);
	if (ioctl(v->fd, VFIO_CHECK_EXTENSION, VFIO_TYPE1v2_IOMMU) <= 0)
		return nc_errf(-EOPNOTSUPP, err, errlen,
			       "/dev/vfio/vfio: no type1 v2 IOMMU (CONFIG_VFIO_IOMMU_TYPE1)");
	return 0;
}

/* Every RAM region at iova = gpa, readable and writable by the device. */
static int map_ram(struct nc_vfio *v, char *err, size_t errlen)
{
	struct timespec t0, t1;
	uint64_t total = 0;
	char sz[24];
	unsigned i;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (ioctl(v->fd, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU) < 0)
		return VERR("VFIO_SET_IOMMU type1 v2: %s", strerror(errno));
	v->mapped = 1;
	for (i = 0; i < v->m->nr_ram; i++) {
		const struct nc_machine_ram *r = &v->m->ram[i];
		struct vfio_iommu_type1_dma_map map = {
			.argsz = sizeof(map),
			.flags = VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE,
			.vaddr = (uintptr_t)r->hva,
			.iova = r->gpa,
			.size = r->size,
		};

		if (ioctl(v->fd, VFIO_IOMMU_MAP_DMA, &map) < 0)
			return VERR("VFIO_IOMMU_MAP_DMA of guest RAM [0x%llx-0x%llx]: %s%s",
				    (unsigned long long)r->gpa,
				    (unsigned long long)(r->gpa + r->size - 1),
				    strerror(errno), errno == ENOMEM ?
				    " (the RAM is pinned: RLIMIT_MEMLOCK or CAP_IPC_LOCK)" : "");
		total += r->size;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	fprintf(stderr, "nipcell-vmm: vfio: guest RAM (%s) mapped for DMA and pinned in %.1f ms\n",
		nc_size_str(sz, sizeof(sz), total),
		(t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6);
	return 0;
}

int nc_vfio_group(struct nc_vfio *v, unsigned nr, const char *host, char *err,
		  size_t errlen)
{
	struct vfio_group_status st = { .argsz = sizeof(st) };
	char path[32];
	unsigned i;
	int fd, ret;

	for (i = 0; i < v->nr_groups; i++)
		if (v->group[i].nr == nr)
			return v->group[i].fd;
	if (v->nr_groups == NC_VFIO_MAX_GROUPS)
		return nc_errf(-ENOSPC, err, errlen, "%s: more than %d IOMMU groups", host,
			       NC_VFIO_MAX_GROUPS);
	snprintf(path, sizeof(path), "/dev/vfio/%u", nr);
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return VERR("%s: %s: %s%s", host, path, strerror(errno),
			    errno == EBUSY ? " (another process has the group open)" : "");
	v->group[v->nr_groups].nr = nr;
	v->group[v->nr_groups++].fd = fd;
	if (ioctl(fd, VFIO_GROUP_GET_STATUS, &st) < 0)
		return VERR("%s: VFIO_GROUP_GET_STATUS: %s", host, strerror(errno));
	if (!(st.flags & VFIO_GROUP_FLAGS_VIABLE))
		return nc_errf(-EBUSY, err, errlen,
			       "%s: IOMMU group %u is not viable: bind every device in /sys/kernel/iommu_groups/%u/devices to vfio-pci or unbind it",
			       host, nr, nr);
	if (ioctl(fd, VFIO_GROUP_SET_CONTAINER, &v->fd) < 0)
		return VERR("%s: VFIO_GROUP_SET_CONTAINER: %s", host, strerror(errno));
	if (!v->mapped) {
		ret = map_ram(v, err, errlen);
		if (ret)
			return ret;
	}
	return fd;
}

void nc_vfio_close(struct nc_vfio *v)
{
	unsigned i;

	if (!v)
		return;
	for (i = 0; v->mapped && i < v->m->nr_ram; i++) {
		struct vfio_iommu_type1_dma_unmap unmap = {
			.argsz = sizeof(unmap),
			.iova = v->m->ram[i].gpa,
			.size = v->m->ram[i].size,
		};

		ioctl(v->fd, VFIO_IOMMU_UNMAP_DMA, &unmap);
	}
	for (i = 0; i < v->nr_groups; i++) {
		ioctl(v->group[i].fd, VFIO_GROUP_UNSET_CONTAINER);
		close(v->group[i].fd);
	}
	if (v->fd >= 0)
		close(v->fd);
	free(v);
}
