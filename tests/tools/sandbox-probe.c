// SPDX-License-Identifier: GPL-2.0
/*
 * sandbox-probe: runs nipcell-vmm's own sandbox code path (vmm/sandbox:
 * nc_sandbox_arm(), nc_sandbox_lockdown(), the same functions `run` calls)
 * and then tries what the sandbox must refuse, for tests/e2e/confinement:
 *
 *   sandbox-probe landlock FILE   seccomp off: opening FILE, creating
 *                                 FILE.new and executing /bin/sh must fail
 *                                 with EACCES (Landlock); exit 0 if so
 *   sandbox-probe seccomp         the main thread's filter on: openat traps;
 *                                 the process exits 5 with the report
 *   sandbox-probe ids UID GID     switches to UID/GID: prints the ids and the
 *                                 capability line of /proc/self/status
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sandbox/sandbox.h"

static int lockdown(struct nc_sandbox_opts *o)
{
	char err[256];

	if (nc_sandbox_arm(o, err, sizeof(err))) {
		fprintf(stderr, "sandbox-probe: %s\n", err);
		return -1;
	}
	/* stdout's first use (an fstat) before the filter, as run prints to stderr. */
	printf("sandbox: %s\n", nc_sandbox_summary());
	fflush(stdout);
	if (nc_sandbox_lockdown(err, sizeof(err))) {
		fprintf(stderr, "sandbox-probe: %s\n", err);
		return -1;
	}
	return 0;
}

/* One attempt: prints what happened; 1 when it was refused with EACCES. */
static int refused(const char *what, int rc)
{
	printf("%s: %s\n", what, rc < 0 ? strerror(errno) : "ALLOWED");
	return rc < 0 && errno == EACCES;
}

static int probe_landlock(const char *file)
{
	struct nc_sandbox_opts o = { .seccomp = false, .landlock = true };
	char *argv[] = { "sh", "-c", "true", NULL };
	char created[4096];
	int ok = 0, keep = open(file, O_RDONLY | O_CLOEXEC);
	char c;

	snprintf(created, sizeof(created), "%s.new", file);
	if (keep < 0 || lockdown(&o))
		return 2;
	ok += refused("open", open(file, O_RDONLY));
	ok += refused("create", open(created, O_WRONLY | O_CREAT | O_EXCL, 0600));
	execv("/bin/sh", argv);
	ok += refused("exec", -1);
	/* What was open before stays usable. */
	printf("read an fd opened before: %s\n", read(keep, &c, 1) == 1 ? "ok" : strerror(errno));
	return ok == 3 ? 0 : 1;
}

static int probe_seccomp(void)
{
	struct nc_sandbox_opts o = { .seccomp = true, .landlock = true };

	if (lockdown(&o))
		return 2;
	open("/etc/passwd", O_RDONLY);	/* traps: the handler exits 5 */
	printf("open returned: the filter did not trap\n");
	return 1;
}

static int probe_ids(const char *uid, const char *gid)
{
	struct nc_sandbox_opts o = { .landlock = true, .set_ids = true,
				     .uid = strtoul(uid, NULL, 10), .gid = strtoul(gid, NULL, 10) };
	char buf[4096], *cap;
	int fd = open("/proc/self/status", O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0 || lockdown(&o))
		return 2;
	n = read(fd, buf, sizeof(buf) - 1);
	buf[n > 0 ? n : 0] = '\0';
	cap = strstr(buf, "CapEff:");
	printf("uid %u euid %u gid %u egid %u %.24s\n", getuid(), geteuid(), getgid(), getegid(),
	       cap ? cap : "CapEff: ?");
	return 0;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc == 3 && !strcmp(argv[1], "landlock"))
		return probe_landlock(argv[2]);
	if (argc == 2 && !strcmp(argv[1], "seccomp"))
		return probe_seccomp();
	if (argc == 4 && !strcmp(argv[1], "ids"))
		return probe_ids(argv[2], argv[3]);
	fprintf(stderr, "usage: sandbox-probe landlock FILE | seccomp | ids UID GID\n");
	return 2;
}
