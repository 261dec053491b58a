// SPDX-License-Identifier: GPL-2.0
/*
 * Is a host PCI device ready to be passed through? Read from sysfs only,
 * without opening anything: `check` runs this, and `run` before it starts.
 * Every path is under root ("" on a real host; a fake tree in the tests),
 * and messages show the path as it is on a real host.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config/config.h"
#include "util/errf.h"
#include "vfio/sysfs.h"

#define SYS_PCI	"/sys/bus/pci/devices"

/* The last component of the symbolic link root + path, or "" if none. */
static int link_name(const char *root, const char *path, char *out, size_t len)
{
	char full[PATH_MAX], target[PATH_MAX];
	const char *slash;
	ssize_t n;

	snprintf(full, sizeof(full), "%s%s", root, path);
	n = readlink(full, target, sizeof(target) - 1);
	if (n < 0) {
		out[0] = 0;
		return -errno;
	}
	target[n] = 0;
	slash = strrchr(target, '/');
	slash = slash ? slash + 1 : target;
	if (strlen(slash) >= len) {
		out[0] = 0;
		return -ENAMETOOLONG;
	}
	memcpy(out, slash, strlen(slash) + 1);
	return 0;
}

/* Drivers a member of the group may have for the group to be viable. */
static int driver_ok(const char *drv)
{
	return !drv[0] || !strcmp(drv, "vfio-pci") || !strcmp(drv, "pci-stub") ||
	       !strcmp(drv, "pcieport");
}

static int check_group(const char *root, const char *addr, const char *group,
		       char *msg, size_t len)
{
	char dir[PATH_MAX], path[PATH_MAX], drv[NAME_MAX + 1];
	struct dirent *e;
	DIR *d;
	int ret = 0;

	snprintf(dir, sizeof(dir), "%s/sys/kernel/iommu_groups/%s/devices", root,
		 group);
	d = opendir(dir);
	if (!d)
		return nc_errf(-errno, msg, len,
			       "its IOMMU group %s: /sys/kernel/iommu_groups/%s/devices: %s",
			       group, group, strerror(errno));
	while (!ret && (e = readdir(d))) {
		if (e->d_name[0] == '.' || !strcmp(e->d_name, addr))
			continue;
		snprintf(path, sizeof(path), "%s/%s/driver", SYS_PCI, e->d_name);
		link_name(root, path, drv, sizeof(drv));
		if (!driver_ok(drv))
			ret = nc_errf(-EBUSY, msg, len,
				      "its IOMMU group %s is not viable: member %s is bound to %s; hand it to vfio-pci too (echo vfio-pci > %s/%s/driver_override; echo %s > %s/%s/driver/unbind; echo %s > /sys/bus/pci/drivers_probe) or unbind it",
				      group, e->d_name, drv, SYS_PCI, e->d_name,
				      e->d_name, SYS_PCI, e->d_name, e->d_name);
	}
	closedir(d);
	return ret;
}

int nc_vfio_sysfs_check(const char *root, const char *addr, unsigned *group,
			char *msg, size_t len)
{
	char path[PATH_MAX], grp[NAME_MAX + 1], drv[NAME_MAX + 1];
	struct stat st;
	char *end;
	int ret;

	snprintf(path, sizeof(path), "%s%s/%s", root, SYS_PCI, addr);
	if (stat(path, &st) || !S_ISDIR(st.st_mode))
		return nc_errf(-ENODEV, msg, len,
			       "no such device (%s/%s does not exist; lspci -D lists the host's devices)",
			       SYS_PCI, addr);
	snprintf(path, sizeof(path), "%s/%s/iommu_group", SYS_PCI, addr);
	if (link_name(root, path, grp, sizeof(grp)) || !grp[0])
		return nc_errf(-ENXIO, msg, len,
			       "it has no IOMMU group (%s): the host has no IOMMU for it; enable the IOMMU (SMMU, VT-d, AMD-Vi) in firmware and the kernel",
			       path);
	*group = strtoul(grp, &end, 10);
	if (*end)
		return nc_errf(-EINVAL, msg, len, "its IOMMU group '%s' is not a number",
			       grp);
	snprintf(path, sizeof(path), "%s/%s/driver", SYS_PCI, addr);
	link_name(root, path, drv, sizeof(drv));
	if (!drv[0])
		return nc_errf(-EBUSY, msg, len,
			       "it is bound to no driver; bind it to vfio-pci: echo vfio-pci > %s/%s/driver_override; echo %s > /sys/bus/pci/drivers_probe",
			       SYS_PCI, addr, addr);
	if (strcmp(drv, "vfio-pci"))
		return nc_errf(-EBUSY, msg, len,
			       "it is bound to %s, not vfio-pci; hand it over: echo vfio-pci > %s/%s/driver_override; echo %s > %s/%s/driver/unbind; echo %s > /sys/bus/pci/drivers_probe",
			       drv, SYS_PCI, addr, addr, SYS_PCI, addr, addr);
	ret = check_group(root, addr, grp, msg, len);
	if (ret)
		return ret;
	snprintf(path, sizeof(path), "%s/dev/vfio/%u", root, *group);
	if (stat(path, &st))
		return nc_errf(-ENOENT, msg, len,
			       "/dev/vfio/%u (its IOMMU group): %s; is /dev a devtmpfs?",
			       *group, strerror(errno));
	return 0;
}

int nc_vfio_check_cell(const struct nc_config *c, const char *root, char *err,
		       size_t errlen)
{
	unsigned i, group;
	char msg[768];
	int ret;

	for (i = 0; i < c->nr_pci; i++) {
		ret = nc_vfio_sysfs_check(root, c->pci[i].host, &group, msg,
					  sizeof(msg));
		if (ret)
			return nc_errf(ret, err, errlen, "%s:%u: [[pci]] host %s: %s",
				       c->file, c->line_pci[i], c->pci[i].host, msg);
	}
	return 0;
}
