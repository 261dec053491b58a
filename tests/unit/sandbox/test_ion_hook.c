// SPDX-License-Identifier: GPL-2.0
/*
 * The ION service thread's sandbox hook (ion_host_spec.thread_enter), on a
 * real io_uring: it runs first, on the service thread; a failing hook ends
 * the thread as a failure (fail_fd, the error); and with the VMM's own
 * sandbox behind it, the service thread serves and stops under its seccomp
 * filter (Seccomp: 2 in its /proc status) while the main thread has its own.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <check.h>
#include <nipcell/ion_host.h>

#include "../nc_check.h"

#include "sandbox/sandbox.h"

static volatile pid_t hook_tid;
static volatile int hook_calls, hook_ret = 1;

static int record_hook(void *arg)
{
	hook_tid = gettid();
	hook_calls++;
	return *(int *)arg;
}

static int sandbox_hook(void *arg)
{
	(void)arg;
	hook_tid = gettid();
	hook_ret = nc_sandbox_thread_enter(NC_THREAD_ION, 0);
	return hook_ret;
}

static struct ion_host *make_host(int (*hook)(void *), void *arg)
{
	struct ion_host_spec s;
	struct ion_host *h;
	char err[256];

	memset(&s, 0, sizeof(s));
	s.size = ION_DEFAULT_SIZE;
	s.nr_blk = 1;
	s.blk[0].null = true;
	s.blk[0].null_size = 1 << 20;
	s.input = true;
	s.thread_enter = hook;
	s.thread_arg = arg;
	ck_assert_msg(!ion_host_create(&h, &s, err, sizeof(err)), "%s", err);
	return h;
}

START_TEST(hook_runs_first_on_the_service_thread)
{
	int ok = 0;
	struct ion_host *h = make_host(record_hook, &ok);

	ck_assert_int_eq(ion_host_start(h), 0);
	while (!hook_calls)
		sched_yield();
	ck_assert_int_ne(hook_tid, gettid());
	ck_assert_int_eq(ion_host_input_inject(h, 1, 30, 1), 0);	/* still served */
	ck_assert_int_eq(ion_host_stop(h), 0);
	ck_assert_int_eq(hook_calls, 1);
	ion_host_destroy(h);
}
END_TEST

START_TEST(failing_hook_fails_the_thread)
{
	int eperm = -EPERM;
	struct ion_host *h = make_host(record_hook, &eperm);
	struct pollfd p = { .fd = ion_host_fail_fd(h), .events = POLLIN };

	ck_assert_int_eq(ion_host_start(h), 0);
	ck_assert_int_eq(poll(&p, 1, 2000), 1);
	ck_assert_int_eq(ion_host_thread_error(h), -EPERM);
	ck_assert_int_eq(ion_host_stop(h), -EPERM);
	ion_host_destroy(h);
}
END_TEST

/* In a child: the VMM's order (arm, start, lockdown), then serve and stop. */
static int sandboxed_child(void)
{
	struct nc_sandbox_opts o = { .seccomp = true, .landlock = true };
	char err[256], path[64], status[4096];
	struct ion_host *h;
	ssize_t n;
	int fd;

	if (nc_sandbox_arm(&o, err, sizeof(err)))
		return 10;
	h = make_host(sandbox_hook, NULL);
	if (ion_host_start(h))
		return 11;
	while (!hook_tid)
		sched_yield();
	snprintf(path, sizeof(path), "/proc/self/task/%d/status", (int)hook_tid);
	fd = open(path, O_RDONLY);
	if (fd < 0 || nc_sandbox_lockdown(err, sizeof(err)))
		return 12;
	while (hook_ret == 1)
		sched_yield();
	if (hook_ret)
		return 13;
	n = read(fd, status, sizeof(status) - 1);
	status[n > 0 ? n : 0] = '\0';
	if (!strstr(status, "Seccomp:\t2\n") || !strstr(status, "Name:\tnc-ion\n"))
		return 14;
	if (ion_host_input_inject(h, 1, 30, 1))
		return 15;
	if (ion_host_stop(h))	/* the service thread's stop, under its filter */
		return 16;
	ion_host_destroy(h);
	return 0;
}

START_TEST(service_thread_runs_under_its_filter)
{
	int status;
	pid_t pid = fork();

	ck_assert_int_ge(pid, 0);
	if (!pid)
		_exit(sandboxed_child());
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_msg(WIFEXITED(status), "child killed by signal %d", WTERMSIG(status));
	ck_assert_int_eq(WEXITSTATUS(status), 0);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("ion-hook");
	TCase *tc = tcase_create("ion-hook");

	tcase_add_test(tc, hook_runs_first_on_the_service_thread);
	tcase_add_test(tc, failing_hook_fails_the_thread);
	tcase_add_test(tc, service_thread_runs_under_its_filter);
	suite_add_tcase(s, tc);
	return nc_check_run(s);
}
