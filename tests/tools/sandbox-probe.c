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
 *   sandbox-probe bench N         what a filter costs per system call: N
 *                                 KVM_RUN ioctls (on a bad fd: the filter's
 *                                 first rule, a vCPU's hot call) and N getpid
 *                                 (near the end of the vCPU list), without
 *                                 and then with the vCPU filter
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <linux/kvm.h>

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

static double now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e9 + t.tv_nsec;
}

/* ns per call of each kind: [0] KVM_RUN on a bad fd, [1] getpid. */
static void time_calls(long n, double ns[2])
{
	double t0;
	long i;

	t0 = now_ns();
	for (i = 0; i < n; i++)
		syscall(__NR_ioctl, -1, KVM_RUN, 0);
	ns[0] = (now_ns() - t0) / n;
	t0 = now_ns();
	for (i = 0; i < n; i++)
		syscall(__NR_getpid);
	ns[1] = (now_ns() - t0) / n;
}

#define BENCH_ROUNDS	7

/*
 * Rounds alternate between this process (no filter) and a child with the
 * vCPU filter, handing over through shared memory (sched_yield and plain
 * loads: no call the filter lacks); the fastest round of each counts, as
 * the machine's other load only ever slows one down.
 */
static int probe_bench(long n)
{
	struct shared { volatile int turn; double ns[2]; } *sh;
	double off[2] = { 1e30, 1e30 }, on[2] = { 1e30, 1e30 }, t[2];
	int r, status;
	pid_t pid;

	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (n < 1 || sh == MAP_FAILED)
		return 2;
	sh->turn = 0;
	pid = fork();
	if (!pid) {
		if (nc_seccomp_install(NC_THREAD_VCPU, "vcpu0"))
			_exit(2);
		for (r = 0; r < BENCH_ROUNDS; r++) {
			while (sh->turn != 2 * r + 1)
				sched_yield();
			time_calls(n, sh->ns);
			__atomic_store_n(&sh->turn, 2 * r + 2, __ATOMIC_RELEASE);
		}
		_exit(0);
	}
	if (pid < 0)
		return 2;
	for (r = 0; r < BENCH_ROUNDS; r++) {
		time_calls(n, t);
		off[0] = t[0] < off[0] ? t[0] : off[0];
		off[1] = t[1] < off[1] ? t[1] : off[1];
		__atomic_store_n(&sh->turn, 2 * r + 1, __ATOMIC_RELEASE);
		while (__atomic_load_n(&sh->turn, __ATOMIC_ACQUIRE) != 2 * r + 2)
			sched_yield();
		on[0] = sh->ns[0] < on[0] ? sh->ns[0] : on[0];
		on[1] = sh->ns[1] < on[1] ? sh->ns[1] : on[1];
	}
	if (waitpid(pid, &status, 0) != pid || status)
		return 1;
	printf("KVM_RUN ioctl %.0f ns without, %.0f ns with the vCPU filter (ratio %.2f); "
	       "getpid %.0f ns without, %.0f ns with (ratio %.2f); fastest of %d rounds of %ld calls\n",
	       off[0], on[0], on[0] / off[0], off[1], on[1], on[1] / off[1], BENCH_ROUNDS, n);
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
	if (argc == 3 && !strcmp(argv[1], "bench"))
		return probe_bench(atol(argv[2]));
	fprintf(stderr, "usage: sandbox-probe landlock FILE | seccomp | ids UID GID | bench N\n");
	return 2;
}
