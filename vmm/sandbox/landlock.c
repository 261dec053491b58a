// SPDX-License-Identifier: GPL-2.0
/*
 * Unveil with Landlock: a ruleset that handles every file-system access the
 * kernel's Landlock ABI knows and grants none, so that once a thread is
 * restricted it can open, create, remove, rename, link or execute no file
 * by path (files it already has open keep working: the cell's disks, taps,
 * console files, /dev/kvm, the control socket, the footprint's smaps fd).
 * Cloud Hypervisor does the same with rules per configured path; a cell
 * needs none, because everything is opened during setup.
 */
#include <errno.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/landlock.h>

#include "sandbox.h"

#ifndef __NR_landlock_create_ruleset	/* the same number on every architecture */
#define __NR_landlock_create_ruleset	444
#define __NR_landlock_restrict_self	446
#endif

/* ABI 1 knows 13 file access rights; 2 adds REFER; 3 adds TRUNCATE. */
static uint64_t fs_rights(int abi)
{
	uint64_t r = (1ULL << 13) - 1;		/* EXECUTE .. MAKE_SYM */

	if (abi >= 2)
		r |= 1ULL << 13;		/* LANDLOCK_ACCESS_FS_REFER */
	if (abi >= 3)
		r |= 1ULL << 14;		/* LANDLOCK_ACCESS_FS_TRUNCATE */
	return r;
}

int nc_landlock_abi(void)
{
	long v = syscall(__NR_landlock_create_ruleset, NULL, 0,
			 LANDLOCK_CREATE_RULESET_VERSION);

	return v < 0 ? -errno : (int)v;
}

int nc_landlock_ruleset(int abi)
{
	struct landlock_ruleset_attr attr = { .handled_access_fs = fs_rights(abi) };
	long fd;

	if (abi < 1)
		return -EINVAL;
	fd = syscall(__NR_landlock_create_ruleset, &attr, sizeof(attr), 0);
	return fd < 0 ? -errno : (int)fd;
}

int nc_landlock_restrict(int ruleset_fd)
{
	return syscall(__NR_landlock_restrict_self, ruleset_fd, 0) ? -errno : 0;
}
