// SPDX-License-Identifier: GPL-2.0
/*
 * The sandbox on this host's kernel: every filter builds; a forbidden call
 * (any call not listed, a forbidden ioctl request, PROT_EXEC) stops a
 * forked child with NC_EXIT_SANDBOX and the one-line report naming thread
 * and call, from the main thread and from another thread (which wakes the
 * main thread through the stop eventfd); allowed calls pass; Landlock
 * refuses opening, creating and executing files while open fds work; the
 * privilege drop; the gate holds threads until the lockdown.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/audit.h>
#include <linux/capability.h>
#include <linux/kvm.h>

#include <check.h>

#include "../nc_check.h"

#include "machine.h"
#include "sandbox/sandbox.h"
#include "sandbox/seccomp.h"

/* Runs fn in a child with stderr on a pipe: its exit status and stderr. */
static int run_child(void (*fn)(void), char *out, size_t len)
{
	int p[2], status;
	size_t have = 0;
	ssize_t n;
	pid_t pid;

	ck_assert_int_eq(pipe(p), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (!pid) {
		dup2(p[1], STDERR_FILENO);
		close(p[0]);
		fn();
		_exit(99);
	}
	close(p[1]);
	while (have < len - 1 && (n = read(p[0], out + have, len - 1 - have)) > 0)
		have += n;
	out[have] = '\0';
	close(p[0]);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static void say(const char *s)
{
	ssize_t n = write(STDERR_FILENO, s, strlen(s));

	(void)n;
}

START_TEST(every_table_builds)
{
	static struct sock_filter insns[NC_SC_MAX_INSNS];
	unsigned k, i, j;
	int n;

	for (k = 0; k < NC_THREAD_KINDS; k++) {
		const struct nc_sc_table *t = &nc_sc_tables[k];

		/* The broker's list is short by design (tests/unit/ublk checks what it lacks). */
		ck_assert_msg(t->nr_rules > (k == NC_THREAD_UBLK_BROKER ? 5u : 10u), "%s: %u rules",
			      nc_thread_kind_name(k), t->nr_rules);
		n = nc_seccomp_build(t, nc_sc_audit_arch, insns, NC_SC_MAX_INSNS);
		ck_assert_msg(n > (int)t->nr_rules, "%s: build %d", nc_thread_kind_name(k), n);
		for (i = 0; i < t->nr_rules; i++) {
			/* The report's name table agrees with the allowlist's. */
			ck_assert_str_eq(nc_syscall_name(t->rules[i].nr), t->rules[i].name);
			for (j = i + 1; j < t->nr_rules; j++)
				ck_assert_msg(t->rules[i].nr != t->rules[j].nr, "%s: %s twice",
					      nc_thread_kind_name(k), t->rules[i].name);
		}
	}
	/* Too small a buffer is an error, never a truncated filter. */
	ck_assert_int_eq(nc_seccomp_build(&nc_sc_tables[0], nc_sc_audit_arch, insns, 8), -E2BIG);
	ck_assert_str_eq(nc_syscall_name(__NR_socket), "socket");
	ck_assert_ptr_null(nc_syscall_name(100000));
}
END_TEST

static void forbidden_socket(void)
{
	if (nc_seccomp_install(NC_THREAD_VCPU, "vcpu0"))
		_exit(98);
	syscall(__NR_socket, AF_INET, SOCK_STREAM, 0);
	say("returned\n");
}

START_TEST(forbidden_call_exits_5_with_its_name)
{
	char out[512], want[128];

	snprintf(want, sizeof(want),
		 "nipcell-vmm: seccomp: thread vcpu0 made a forbidden system call: socket (nr %d)\n",
		 __NR_socket);
	ck_assert_int_eq(run_child(forbidden_socket, out, sizeof(out)), NC_EXIT_SANDBOX);
	ck_assert_str_eq(out, want);
}
END_TEST

/* A filter for another architecture: the first call kills the process. */
static void wrong_arch(void)
{
	static struct sock_filter insns[NC_SC_MAX_INSNS];
	int n = nc_seccomp_build(&nc_sc_tables[NC_THREAD_MAIN],
				 nc_sc_audit_arch == AUDIT_ARCH_X86_64 ? AUDIT_ARCH_AARCH64 :
				 AUDIT_ARCH_X86_64, insns, NC_SC_MAX_INSNS);

	struct rlimit no_core = { 0, 0 };

	setrlimit(RLIMIT_CORE, &no_core);	/* SIGSYS would dump core */
	prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
	if (n <= 0 || nc_seccomp_load(insns, n))
		_exit(98);
	say("not killed\n");	/* write: allowed by the list, but not on this arch */
	_exit(0);
}

START_TEST(filter_checks_the_architecture)
{
	char out[64];

	ck_assert_int_eq(run_child(wrong_arch, out, sizeof(out)), 128 + SIGSYS);
	ck_assert_str_eq(out, "");
}
END_TEST

static void allowed_calls(void)
{
	int fd = open("/dev/null", O_RDWR);
	void *p;

	if (nc_seccomp_install(NC_THREAD_VCPU, "vcpu0"))
		_exit(98);
	/* KVM_RUN is allowed: /dev/null answers it, the filter does not. */
	if (ioctl(fd, KVM_RUN, 0) == -1 && errno == ENOTTY)
		say("ioctl KVM_RUN: ENOTTY\n");
	p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p != MAP_FAILED && !mprotect(p, 4096, PROT_READ) && !munmap(p, 4096))
		say("mmap rw, mprotect r, munmap: ok\n");
	free(malloc(1 << 20));	/* malloc's own calls */
	_exit(0);
}

START_TEST(allowed_calls_pass)
{
	char out[512];

	ck_assert_int_eq(run_child(allowed_calls, out, sizeof(out)), 0);
	ck_assert_str_eq(out, "ioctl KVM_RUN: ENOTTY\nmmap rw, mprotect r, munmap: ok\n");
}
END_TEST

static void forbidden_ioctl(void)
{
	struct winsize ws;
	int fd = open("/dev/null", O_RDWR);

	if (nc_seccomp_install(NC_THREAD_VCPU, "vcpu1"))
		_exit(98);
	ioctl(fd, TIOCGWINSZ, &ws);	/* not a vCPU request */
	_exit(0);
}

static void exec_mapping(void)
{
	if (nc_seccomp_install(NC_THREAD_ION, "ion"))
		_exit(98);
	mmap(NULL, 4096, PROT_READ | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	_exit(0);
}

static void exec_mprotect(void)
{
	static char page[4096] __attribute__((aligned(4096)));

	if (nc_seccomp_install(NC_THREAD_MAIN, "main"))
		_exit(98);
	mprotect(page, sizeof(page), PROT_READ | PROT_EXEC);
	_exit(0);
}

static void uring_setup_on_service(void)
{
	if (nc_seccomp_install(NC_THREAD_ION, "ion"))
		_exit(98);
	syscall(__NR_io_uring_setup, 8, NULL);	/* only io_uring_enter after setup */
	_exit(0);
}

/*
 * main-restart ([cell] restart): a thread created under it installs its
 * own filter and runs under both; clone3 fails with ENOSYS (glibc falls
 * back to clone); a process (fork: clone without CLONE_THREAD) traps.
 */
static int restart_null_fd;	/* opened before the filters, as at setup */

static void *restart_vcpu(void *arg)
{
	int fd = restart_null_fd;

	(void)arg;
	if (nc_seccomp_install(NC_THREAD_VCPU, "vcpu0"))
		return NULL;
	if (ioctl(fd, KVM_RUN, 0) == -1 && errno == ENOTTY)
		say("new thread: own filter, KVM_RUN: ENOTTY\n");
	return NULL;
}

static void *nothing(void *arg)
{
	return arg;
}

static void restart_main(void)
{
	pthread_t t;

	/* As in run, threads were created before the lockdown (glibc's first-thread setup). */
	if (pthread_create(&t, NULL, nothing, NULL) || pthread_join(t, NULL))
		_exit(96);
	restart_null_fd = open("/dev/null", O_RDWR);
	prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
	if (nc_seccomp_install(NC_THREAD_MAIN_RESTART, "main"))
		_exit(98);
	if (pthread_create(&t, NULL, restart_vcpu, NULL) || pthread_join(t, NULL))
		_exit(97);
	if (syscall(__NR_clone3, NULL, 0) == -1 && errno == ENOSYS)
		say("clone3: ENOSYS\n");
	fork();
	say("fork returned\n");
	_exit(0);
}

START_TEST(main_restart_creates_threads_not_processes)
{
	char out[512], want[256];

	snprintf(want, sizeof(want),
		 "new thread: own filter, KVM_RUN: ENOTTY\nclone3: ENOSYS\n"
		 "nipcell-vmm: seccomp: thread main made a forbidden system call: clone (nr %d)\n",
		 __NR_clone);
	ck_assert_int_eq(run_child(restart_main, out, sizeof(out)), NC_EXIT_SANDBOX);
	ck_assert_str_eq(out, want);
}
END_TEST

START_TEST(argument_filters)
{
	char out[512], want[128];

	snprintf(want, sizeof(want),
		 "nipcell-vmm: seccomp: thread vcpu1 made a forbidden system call: ioctl (nr %d)\n",
		 __NR_ioctl);
	ck_assert_int_eq(run_child(forbidden_ioctl, out, sizeof(out)), NC_EXIT_SANDBOX);
	ck_assert_str_eq(out, want);
	snprintf(want, sizeof(want),
		 "nipcell-vmm: seccomp: thread ion made a forbidden system call: mmap (nr %d)\n",
		 __NR_mmap);
	ck_assert_int_eq(run_child(exec_mapping, out, sizeof(out)), NC_EXIT_SANDBOX);
	ck_assert_str_eq(out, want);
	snprintf(want, sizeof(want),
		 "nipcell-vmm: seccomp: thread main made a forbidden system call: mprotect (nr %d)\n",
		 __NR_mprotect);
	ck_assert_int_eq(run_child(exec_mprotect, out, sizeof(out)), NC_EXIT_SANDBOX);
	ck_assert_str_eq(out, want);
	snprintf(want, sizeof(want),
		 "nipcell-vmm: seccomp: thread ion made a forbidden system call: io_uring_setup (nr %d)\n",
		 __NR_io_uring_setup);
	ck_assert_int_eq(run_child(uring_setup_on_service, out, sizeof(out)), NC_EXIT_SANDBOX);
	ck_assert_str_eq(out, want);
}
END_TEST

/* A control thread breaks the rules; the main thread learns it from the stop eventfd. */
static void *rogue_control(void *arg)
{
	sigset_t all;

	(void)arg;
	/*
	 * Every signal blocked, as the VMM starts its threads: a blocked
	 * SIGSYS would kill the process silently (exit by signal, no report),
	 * so the install must unblock it.
	 */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, NULL);
	if (nc_seccomp_install(NC_THREAD_CONTROL, "control"))
		_exit(98);
	open("/etc/hostname", O_RDONLY);
	return NULL;
}

static void thread_violation(void)
{
	int efd = eventfd(0, 0);
	struct pollfd pfd = { .fd = efd, .events = POLLIN };
	pthread_t t;

	nc_sandbox_set_stop_fd(efd);
	pthread_create(&t, NULL, rogue_control, NULL);
	if (poll(&pfd, 1, 5000) == 1 && nc_sandbox_violated()) {
		say("main: woken, violation\n");
		_exit(NC_EXIT_SANDBOX);
	}
	_exit(97);
}

START_TEST(thread_violation_wakes_main)
{
	char out[512], want[160];

	snprintf(want, sizeof(want),
		 "nipcell-vmm: seccomp: thread control made a forbidden system call: %s (nr %d)\n"
		 "main: woken, violation\n", nc_syscall_name(__NR_openat), __NR_openat);
	ck_assert_int_eq(run_child(thread_violation, out, sizeof(out)), NC_EXIT_SANDBOX);
	ck_assert_str_eq(out, want);
}
END_TEST

static void landlock_child(void)
{
	int abi = nc_landlock_abi(), rs, keep = open("/proc/self/status", O_RDONLY);
	char buf[16];
	char *argv[] = { "true", NULL };

	if (abi < 1)
		_exit(96);
	rs = nc_landlock_ruleset(abi);
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) || rs < 0 || nc_landlock_restrict(rs))
		_exit(95);
	if (open("/etc/passwd", O_RDONLY) < 0 && errno == EACCES)
		say("open: EACCES\n");
	if (open("/tmp/nc-landlock-test", O_WRONLY | O_CREAT, 0600) < 0 && errno == EACCES)
		say("create: EACCES\n");
	execv("/bin/true", argv);
	if (errno == EACCES)
		say("exec: EACCES\n");
	if (read(keep, buf, sizeof(buf)) == sizeof(buf))
		say("open fd: readable\n");
	_exit(0);
}

START_TEST(landlock_refuses_new_files)
{
	char out[512];
	int abi = nc_landlock_abi();

	if (abi < 1) {
		/* No Landlock here: the probe says why, and arming goes on. */
		ck_assert_msg(abi == -ENOSYS || abi == -EOPNOTSUPP, "abi %d", abi);
		return;
	}
	ck_assert_int_eq(run_child(landlock_child, out, sizeof(out)), 0);
	ck_assert_str_eq(out, "open: EACCES\ncreate: EACCES\nexec: EACCES\nopen fd: readable\n");
}
END_TEST

static void privs_child(void)
{
	struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct d[2];
	char err[256];

	if (nc_privs_prepare(err, sizeof(err)) || prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) != 1)
		_exit(90);
	if (getuid() == 0 && nc_privs_switch(65534, 65534, err, sizeof(err)))
		_exit(91);
	if (nc_privs_drop_caps() || syscall(__NR_capget, &h, d))
		_exit(92);
	if (d[0].effective | d[0].permitted | d[1].effective | d[1].permitted)
		_exit(93);
	if (getuid() == 65534 && geteuid() == 65534 && getgid() == 65534)
		say("uid 65534\n");
	_exit(0);
}

START_TEST(privileges_dropped)
{
	char out[128];

	ck_assert_int_eq(run_child(privs_child, out, sizeof(out)), 0);
	ck_assert_str_eq(out, getuid() == 0 ? "uid 65534\n" : "");
}
END_TEST

static volatile int entered = -1, status_read;
static volatile pid_t worker_tid;

static void *gated_worker(void *arg)
{
	(void)arg;
	worker_tid = gettid();
	entered = nc_sandbox_thread_enter(NC_THREAD_CONSOLE_OUT, 3);
	while (!entered && !status_read)
		sched_yield();	/* alive until main has read its status */
	return NULL;
}

static void gate_child(void)
{
	struct nc_sandbox_opts o = { .seccomp = true, .landlock = true };
	char err[256], path[64], status[4096];
	pthread_t t;
	ssize_t n;
	int fd;

	if (nc_sandbox_arm(&o, err, sizeof(err)))
		_exit(80);
	pthread_create(&t, NULL, gated_worker, NULL);
	while (!worker_tid)
		usleep(1000);
	usleep(50000);
	if (entered != -1)
		_exit(81);	/* through the gate before the lockdown */
	snprintf(path, sizeof(path), "/proc/self/task/%d/status", (int)worker_tid);
	fd = open(path, O_RDONLY);	/* before the lockdown forbids it */
	if (nc_sandbox_lockdown(err, sizeof(err)))
		_exit(82);
	while (entered == -1)
		sched_yield();
	if (entered != 0)
		_exit(83);
	n = read(fd, status, sizeof(status) - 1);
	status[n > 0 ? n : 0] = '\0';
	status_read = 1;
	pthread_join(t, NULL);
	if (strstr(status, "Seccomp:\t2\n") && strstr(status, "NoNewPrivs:\t1\n") &&
	    strstr(status, "CapEff:\t0000000000000000\n") && strstr(status, "Name:\tnc-console-out"))
		say("worker: filtered, no caps\n");
	else
		say(status);
	_exit(0);
}

static void release_child(void)
{
	struct nc_sandbox_opts o = { .seccomp = true };
	char err[256];
	pthread_t t;

	if (nc_sandbox_arm(&o, err, sizeof(err)))
		_exit(80);
	pthread_create(&t, NULL, gated_worker, NULL);
	usleep(20000);
	nc_sandbox_release();
	pthread_join(t, NULL);
	_exit(entered == -ECANCELED ? 0 : 84);
}

START_TEST(gate_holds_threads_until_lockdown)
{
	char out[256];

	ck_assert_int_eq(run_child(gate_child, out, sizeof(out)), 0);
	ck_assert_str_eq(out, "worker: filtered, no caps\n");
	ck_assert_int_eq(run_child(release_child, out, sizeof(out)), 0);
	ck_assert_str_eq(out, "");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("sandbox");
	TCase *tc = tcase_create("sandbox");

	tcase_add_test(tc, every_table_builds);
	tcase_add_test(tc, forbidden_call_exits_5_with_its_name);
	tcase_add_test(tc, filter_checks_the_architecture);
	tcase_add_test(tc, allowed_calls_pass);
	tcase_add_test(tc, argument_filters);
	tcase_add_test(tc, main_restart_creates_threads_not_processes);
	tcase_add_test(tc, thread_violation_wakes_main);
	tcase_add_test(tc, landlock_refuses_new_files);
	tcase_add_test(tc, privileges_dropped);
	tcase_add_test(tc, gate_holds_threads_until_lockdown);
	suite_add_tcase(s, tc);
	return nc_check_run(s);
}
