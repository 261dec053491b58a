// SPDX-License-Identifier: GPL-2.0
/*
 * The ublk control broker (vmm/ublk_broker.h) without ublk: the request
 * check refuses a dev_id the broker did not add, a START for another
 * process, malformed requests and an ADD past its table; the real broker
 * process starts confined (Seccomp 2, no_new_privs, at most CAP_SYS_ADMIN),
 * answers with the request's seq, refuses a foreign dev_id with EPERM,
 * ignores SIGINT/SIGTERM/SIGHUP, and exits 0 once the VMM's end of the
 * socket closes; a dead broker makes the VMM's calls fail with EPIPE at
 * once. Its allowlist has no
 * call that opens a file, maps memory or makes a process.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <check.h>

#include "../nc_check.h"

#include "sandbox/sandbox.h"
#include "sandbox/seccomp.h"
#include "ublk_broker.h"

static struct nc_ublk_req req(uint32_t op, int dev_id)
{
	struct nc_ublk_req r;

	memset(&r, 0, sizeof(r));
	r.op = op;
	r.dev_id = dev_id;
	r.params.len = sizeof(r.params);
	return r;
}

START_TEST(check_refuses_what_it_did_not_add)
{
	static const uint32_t ops[] = { NC_UBLK_SET_PARAMS, NC_UBLK_START, NC_UBLK_STOP,
					NC_UBLK_DEL };
	struct nc_ublk_owned o = { .n = 0 };
	struct nc_ublk_req r;
	pid_t me = 4242;
	unsigned i;

	/* Nothing added: every command on a device is refused, ADD is not. */
	r = req(NC_UBLK_ADD, -1);
	ck_assert_int_eq(nc_ublk_broker_check(&o, &r, sizeof(r), me), 0);
	for (i = 0; i < 4; i++) {
		r = req(ops[i], 3);
		r.pid = me;
		ck_assert_int_eq(nc_ublk_broker_check(&o, &r, sizeof(r), me), -EPERM);
		r.dev_id = -1;
		ck_assert_int_eq(nc_ublk_broker_check(&o, &r, sizeof(r), me), -EPERM);
	}
	/* Device 3 added: its commands pass, device 4's are refused. */
	ck_assert_int_eq(nc_ublk_owned_add(&o, 3), 0);
	for (i = 0; i < 4; i++) {
		r = req(ops[i], 3);
		r.pid = me;
		ck_assert_int_eq(nc_ublk_broker_check(&o, &r, sizeof(r), me), 0);
		r.dev_id = 4;
		ck_assert_int_eq(nc_ublk_broker_check(&o, &r, sizeof(r), me), -EPERM);
	}
	/* START for another process than the VMM. */
	r = req(NC_UBLK_START, 3);
	r.pid = me + 1;
	ck_assert_int_eq(nc_ublk_broker_check(&o, &r, sizeof(r), me), -EPERM);
	/* Deleted: refused again. */
	nc_ublk_owned_del(&o, 3);
	ck_assert(!nc_ublk_owned_has(&o, 3));
	r = req(NC_UBLK_STOP, 3);
	ck_assert_int_eq(nc_ublk_broker_check(&o, &r, sizeof(r), me), -EPERM);
}
END_TEST

START_TEST(check_refuses_malformed_requests)
{
	struct nc_ublk_owned o = { .n = 0 };
	struct nc_ublk_req r;
	int i;

	ck_assert_int_eq(nc_ublk_owned_add(&o, 0), 0);
	r = req(NC_UBLK_STOP, 0);
	ck_assert_int_eq(nc_ublk_broker_check(&o, &r, sizeof(r), 1), 0);
	ck_assert_int_eq(nc_ublk_broker_check(&o, &r, sizeof(r) - 1, 1), -EINVAL);
	ck_assert_int_eq(nc_ublk_broker_check(&o, &r, 0, 1), -EINVAL);
	r = req(0, 0);
	ck_assert_int_eq(nc_ublk_broker_check(&o, &r, sizeof(r), 1), -EINVAL);
	r = req(NC_UBLK_DEL + 1, 0);
	ck_assert_int_eq(nc_ublk_broker_check(&o, &r, sizeof(r), 1), -EINVAL);
	r = req(NC_UBLK_SET_PARAMS, 0);
	r.params.len = sizeof(r.params) + 8;
	ck_assert_int_eq(nc_ublk_broker_check(&o, &r, sizeof(r), 1), -EINVAL);
	/* A full table: no ADD (it could not be cleaned up at EOF). */
	for (i = 1; i < NC_UBLK_BROKER_MAX; i++)
		ck_assert_int_eq(nc_ublk_owned_add(&o, i), 0);
	ck_assert_int_eq(nc_ublk_owned_add(&o, 99), -ENOSPC);
	r = req(NC_UBLK_ADD, -1);
	ck_assert_int_eq(nc_ublk_broker_check(&o, &r, sizeof(r), 1), -ENOSPC);
	for (i = 0; i < NC_UBLK_BROKER_MAX; i++)
		ck_assert(nc_ublk_owned_has(&o, i));
}
END_TEST

START_TEST(broker_allowlist_is_small)
{
	static const int never[] = { __NR_openat, __NR_mmap, __NR_clone, __NR_execve,
				     __NR_io_uring_setup, __NR_ioctl, __NR_socket };
	const struct nc_sc_table *t = &nc_sc_tables[NC_THREAD_UBLK_BROKER];
	unsigned i, j;

	ck_assert_str_eq(nc_thread_kind_name(NC_THREAD_UBLK_BROKER), "ublk-broker");
	ck_assert_str_eq(nc_thread_kind_name(NC_THREAD_UBLK), "ublk");
	for (i = 0; i < t->nr_rules; i++)
		for (j = 0; j < sizeof(never) / sizeof(never[0]); j++)
			ck_assert_msg(t->rules[i].nr != never[j], "broker allows %s", t->rules[i].name);
	ck_assert_uint_le(t->nr_rules, 8);
}
END_TEST

/* A status field of process pid, or "" */
static void status_field(pid_t pid, const char *name, char *out, size_t len)
{
	char path[64], line[256];
	size_t n = strlen(name);
	FILE *f;

	out[0] = '\0';
	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	f = fopen(path, "r");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, name, n) && line[n] == ':') {
			snprintf(out, len, "%s", line + n + 2);
			out[strcspn(out, "\n")] = '\0';
			break;
		}
	fclose(f);
}

START_TEST(broker_process_refuses_and_exits_at_eof)
{
	struct nc_ublk_req r;
	struct nc_ublk_ans a;
	char err[256], v[64];
	pid_t pid;
	int st;

	ck_assert_int_eq(nc_ublk_broker_call(&r, &a, 100), -ENOTCONN);	/* none yet */
	ck_assert_msg(nc_ublk_broker_spawn(err, sizeof(err)) == 0, "%s", err);
	pid = nc_ublk_broker_pid();
	ck_assert_int_gt(pid, 0);
	/* Confined before its first answer. */
	status_field(pid, "Seccomp", v, sizeof(v));
	ck_assert_str_eq(v, "2");
	status_field(pid, "NoNewPrivs", v, sizeof(v));
	ck_assert_str_eq(v, "1");
	status_field(pid, "CapEff", v, sizeof(v));
	ck_assert_str_eq(v, geteuid() == 0 ? "0000000000200000" : "0000000000000000");
	status_field(pid, "CapInh", v, sizeof(v));
	ck_assert_str_eq(v, "0000000000000000");
	status_field(pid, "Name", v, sizeof(v));
	ck_assert_str_eq(v, "nc-ublk-broker");

	/* Refused, with the request's seq, and the broker lives on. */
	r = req(NC_UBLK_STOP, 7);
	a.seq = 0;
	ck_assert_int_eq(nc_ublk_broker_call(&r, &a, 5000), -EPERM);
	ck_assert_uint_eq(a.seq, r.seq);
	ck_assert_uint_eq(a.op, NC_UBLK_STOP);
	r = req(NC_UBLK_DEL, 0);
	ck_assert_int_eq(nc_ublk_broker_call(&r, &a, 5000), -EPERM);
	r = req(NC_UBLK_START, 7);
	r.pid = getpid();
	ck_assert_int_eq(nc_ublk_broker_call(&r, &a, 5000), -EPERM);
	r = req(99, 0);
	ck_assert_int_eq(nc_ublk_broker_call(&r, &a, 5000), -EINVAL);
	ck_assert_uint_gt(r.seq, 1);
	/* Without ublk here, an ADD fails with open()'s errno (never a device). */
	if (access("/dev/ublk-control", F_OK) < 0) {
		r = req(NC_UBLK_ADD, -1);
		ck_assert_int_eq(nc_ublk_broker_call(&r, &a, 5000), -ENOENT);
	}

	/* EOF: it exits, cleanly. */
	nc_ublk_broker_close();
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 0, "broker status 0x%x", st);
	ck_assert_int_eq(nc_ublk_broker_call(&r, &a, 100), -ENOTCONN);
}
END_TEST

/* The broker dies (as after a violation): the VMM's calls fail at once. */
START_TEST(broker_death_fails_calls_without_hanging)
{
	struct nc_ublk_req r;
	struct nc_ublk_ans a;
	char err[256];
	pid_t pid;
	int st;

	ck_assert_msg(nc_ublk_broker_spawn(err, sizeof(err)) == 0, "%s", err);
	pid = nc_ublk_broker_pid();
	ck_assert_int_eq(kill(pid, SIGKILL), 0);
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	r = req(NC_UBLK_STOP, 0);
	ck_assert_int_eq(nc_ublk_broker_call(&r, &a, -1), -EPIPE);	/* no timeout: EOF */
	r = req(NC_UBLK_DEL, 0);
	ck_assert_int_eq(nc_ublk_broker_call(&r, &a, -1), -EPIPE);
}
END_TEST

/* SIGINT and SIGTERM to the process group leave the broker running. */
START_TEST(broker_ignores_sigint_sigterm)
{
	struct nc_ublk_req r;
	struct nc_ublk_ans a;
	char err[256];
	pid_t pid;

	ck_assert_msg(nc_ublk_broker_spawn(err, sizeof(err)) == 0, "%s", err);
	pid = nc_ublk_broker_pid();
	ck_assert_int_eq(kill(pid, SIGINT), 0);
	ck_assert_int_eq(kill(pid, SIGTERM), 0);
	ck_assert_int_eq(kill(pid, SIGHUP), 0);
	r = req(NC_UBLK_STOP, 1);
	ck_assert_int_eq(nc_ublk_broker_call(&r, &a, 5000), -EPERM);	/* still answers */
	nc_ublk_broker_close();
	ck_assert_int_eq(waitpid(pid, NULL, 0), pid);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("ublk_broker");
	TCase *tc = tcase_create("ublk_broker");

	tcase_add_test(tc, check_refuses_what_it_did_not_add);
	tcase_add_test(tc, check_refuses_malformed_requests);
	tcase_add_test(tc, broker_allowlist_is_small);
	tcase_add_test(tc, broker_process_refuses_and_exits_at_eof);
	tcase_add_test(tc, broker_death_fails_calls_without_hanging);
	tcase_add_test(tc, broker_ignores_sigint_sigterm);
	suite_add_tcase(s, tc);
	return nc_check_run(s);
}
