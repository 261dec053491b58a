// SPDX-License-Identifier: GPL-2.0
/*
 * Privileges: no_new_privs (needed for seccomp and Landlock without
 * CAP_SYS_ADMIN, and it makes execve grant nothing), the bounding and
 * ambient sets emptied, the capability sets of each thread emptied, and an
 * optional switch to another uid/gid after everything is open.
 */
#include <errno.h>
#include <grp.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/capability.h>

#include "sandbox.h"
#include "util/errf.h"

int nc_privs_prepare(char *err, size_t errlen)
{
	int cap;

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		return nc_errf(-errno, err, errlen, "sandbox: PR_SET_NO_NEW_PRIVS: %s",
			       strerror(errno));
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) && errno != EINVAL)
		return nc_errf(-errno, err, errlen, "sandbox: clearing the ambient capabilities: %s",
			       strerror(errno));
	/*
	 * The bounding set only limits what execve could grant; emptying it
	 * needs CAP_SETPCAP, which an unprivileged VMM does not have and
	 * does not need (no_new_privs already forbids the gain): EPERM is fine.
	 */
	for (cap = 0; cap < 64; cap++)
		if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) && errno != EPERM)
			break;	/* EINVAL: past the last capability */
	return 0;
}

int nc_privs_switch(uid_t uid, gid_t gid, char *err, size_t errlen)
{
	/* glibc makes every thread of the process switch, not only this one. */
	if (setgroups(1, &gid))
		return nc_errf(-errno, err, errlen, "sandbox: setgroups(%u): %s", (unsigned)gid,
			       strerror(errno));
	if (setresgid(gid, gid, gid))
		return nc_errf(-errno, err, errlen, "sandbox: group %u: %s", (unsigned)gid,
			       strerror(errno));
	if (setresuid(uid, uid, uid))
		return nc_errf(-errno, err, errlen, "sandbox: user %u: %s", (unsigned)uid,
			       strerror(errno));
	return 0;
}

int nc_privs_drop_caps(void)
{
	struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct d[2];

	memset(d, 0, sizeof(d));
	return syscall(__NR_capset, &h, d) ? -errno : 0;
}
