// SPDX-License-Identifier: GPL-2.0
/*
 * A forbidden system call: SECCOMP_RET_TRAP raises SIGSYS in the thread
 * that made it. The handler, async-signal-safe (no stdio, no locks, raw
 * system calls every filter allows), writes
 *
 *   nipcell-vmm: seccomp: thread vcpu0 made a forbidden system call: openat (nr 56)
 *
 * to stderr and stops the cell: it marks the violation and writes the
 * machine's stop eventfd, the main thread wakes and exits with
 * NC_EXIT_SANDBOX without the usual teardown (the thread may be
 * compromised). The thread itself never returns to the code that made the
 * call: it waits, and exits the process with NC_EXIT_SANDBOX itself if the
 * main thread has not within 2 s (or at once, when it is the main thread or
 * no stop eventfd is set).
 *
 * A SIGSYS that is blocked when seccomp raises it kills the process
 * silently (the kernel resets the action), so every thread unblocks it
 * before installing its filter (nc_seccomp_install()).
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/futex.h>
#include <time.h>

#include "machine.h"	/* NC_EXIT_SANDBOX */
#include "sandbox.h"
#include "seccomp.h"

struct nc_syscall_name { long nr; const char *name; };
extern const struct nc_syscall_name nc_syscall_names[];
extern const size_t nc_syscall_nr_names;

static volatile sig_atomic_t violated;
static volatile int stop_fd = -1;
static __thread char thread_name[24];

const char *nc_syscall_name(long nr)
{
	size_t i;

	for (i = 0; i < nc_syscall_nr_names; i++)
		if (nc_syscall_names[i].nr == nr)
			return nc_syscall_names[i].name;
	return NULL;
}

bool nc_sandbox_violated(void)
{
	return violated;
}

void nc_sandbox_set_stop_fd(int fd)
{
	stop_fd = fd;
}

static size_t put(char *buf, size_t at, size_t max, const char *s)
{
	while (*s && at < max)
		buf[at++] = *s++;
	return at;
}

static size_t put_num(char *buf, size_t at, size_t max, long v)
{
	char d[24];
	int n = 0;
	unsigned long u = v < 0 ? -(unsigned long)v : (unsigned long)v;

	do
		d[n++] = '0' + u % 10;
	while ((u /= 10) && n < (int)sizeof(d));
	if (v < 0 && at < max)
		buf[at++] = '-';
	while (n && at < max)
		buf[at++] = d[--n];
	return at;
}

static void sigsys_handler(int sig, siginfo_t *si, void *uc)
{
	struct timespec wait = { .tv_sec = 2 };
	const char *name = nc_syscall_name(si->si_syscall);
	uint64_t one = 1;
	char msg[192];
	size_t n = 0;
	int word = 0;
	long rc;

	(void)sig;
	(void)uc;
	n = put(msg, n, sizeof(msg), "nipcell-vmm: seccomp: thread ");
	n = put(msg, n, sizeof(msg), thread_name[0] ? thread_name : "?");
	n = put(msg, n, sizeof(msg), " made a forbidden system call: ");
	n = put(msg, n, sizeof(msg), name ? name : "unknown");
	n = put(msg, n, sizeof(msg), " (nr ");
	n = put_num(msg, n, sizeof(msg), si->si_syscall);
	n = put(msg, n, sizeof(msg) - 1, ")");
	msg[n++] = '\n';
	rc = syscall(__NR_write, STDERR_FILENO, msg, n);
	(void)rc;
	violated = 1;
	if (stop_fd >= 0 && syscall(__NR_gettid) != syscall(__NR_getpid)) {
		rc = syscall(__NR_write, stop_fd, &one, sizeof(one));
		/* Nothing wakes this word: a bounded wait for the main thread. */
		if (rc == sizeof(one))
			syscall(__NR_futex, &word, FUTEX_WAIT_PRIVATE, 0, &wait, NULL, 0);
	}
	syscall(__NR_exit_group, NC_EXIT_SANDBOX);
}

int nc_seccomp_install(enum nc_thread_kind kind, const char *name)
{
	struct sock_filter insns[NC_SC_MAX_INSNS];	/* 8 KiB: threads install at once */
	static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
	static bool handler_set;
	struct sigaction sa;
	sigset_t sys;
	int n, ret = 0;

	if ((unsigned)kind >= NC_THREAD_KINDS)
		return -EINVAL;
	strncpy(thread_name, name, sizeof(thread_name) - 1);
	pthread_mutex_lock(&lock);
	if (!handler_set) {
		memset(&sa, 0, sizeof(sa));
		sa.sa_sigaction = sigsys_handler;
		sa.sa_flags = SA_SIGINFO;
		sigfillset(&sa.sa_mask);	/* nothing interrupts the report */
		if (sigaction(SIGSYS, &sa, NULL) < 0)
			ret = -errno;
		handler_set = !ret;
	}
	pthread_mutex_unlock(&lock);
	n = ret ? ret : nc_seccomp_build(&nc_sc_tables[kind], nc_sc_audit_arch, insns,
					 NC_SC_MAX_INSNS);
	if (n > 0) {
		sigemptyset(&sys);
		sigaddset(&sys, SIGSYS);
		ret = pthread_sigmask(SIG_UNBLOCK, &sys, NULL) ? -EINVAL : 0;
		ret = ret ?: nc_seccomp_load(insns, n);
	} else {
		ret = n;
	}
	return ret;
}
