// SPDX-License-Identifier: GPL-2.0
/*
 * The sandbox's life cycle (sandbox.h): arm, the gate the threads wait at,
 * the main thread's lockdown, and what each thread does once it opens.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "sandbox.h"
#include "util/errf.h"

enum gate { GATE_CLOSED, GATE_OPEN, GATE_FAILED };

static struct {
	bool			armed;
	struct nc_sandbox_opts	o;
	int			abi;		/* Landlock ABI, or -errno */
	int			ruleset_fd;	/* -1 without Landlock */
	pthread_mutex_t		lock;
	pthread_cond_t		cond;
	enum gate		gate;
	char			summary[256];
} sb = {
	.ruleset_fd = -1,
	.lock = PTHREAD_MUTEX_INITIALIZER,
	.cond = PTHREAD_COND_INITIALIZER,
};

static const char *const kind_names[NC_THREAD_KINDS] = {
	[NC_THREAD_MAIN] = "main",
	[NC_THREAD_VCPU] = "vcpu",
	[NC_THREAD_ION] = "ion",
	[NC_THREAD_CONSOLE_IN] = "console-in",
	[NC_THREAD_CONSOLE_OUT] = "console-out",
	[NC_THREAD_CONTROL] = "control",
	[NC_THREAD_MAIN_RESTART] = "main-restart",
	[NC_THREAD_UBLK] = "ublk",
	[NC_THREAD_UBLK_BROKER] = "ublk-broker",
};

const char *nc_thread_kind_name(enum nc_thread_kind kind)
{
	return (unsigned)kind < NC_THREAD_KINDS ? kind_names[kind] : "?";
}

const char *nc_sandbox_summary(void)
{
	return sb.summary;
}

int nc_sandbox_arm(const struct nc_sandbox_opts *o, char *err, size_t errlen)
{
	int ret;

	sb.o = *o;
	sb.gate = GATE_CLOSED;
	ret = nc_privs_prepare(err, errlen);
	if (ret)
		return ret;
	sb.abi = o->landlock ? nc_landlock_abi() : -ENOSYS;
	if (sb.abi > 0) {
		sb.ruleset_fd = nc_landlock_ruleset(sb.abi);
		if (sb.ruleset_fd < 0)
			return nc_errf(sb.ruleset_fd, err, errlen, "sandbox: Landlock ruleset: %s",
				       strerror(-sb.ruleset_fd));
	}
	snprintf(sb.summary, sizeof(sb.summary), "seccomp %s, %s%d, no_new_privs, no capabilities%s",
		 o->seccomp ? "on" : "OFF",
		 sb.abi > 0 ? "Landlock ABI " : "no Landlock: ", sb.abi > 0 ? sb.abi : -sb.abi,
		 o->set_ids ? ", switched user" : "");
	if (o->landlock && sb.abi <= 0)
		snprintf(sb.summary, sizeof(sb.summary),
			 "seccomp %s, no Landlock (%s), no_new_privs, no capabilities%s",
			 o->seccomp ? "on" : "OFF", strerror(-sb.abi),
			 o->set_ids ? ", switched user" : "");
	sb.armed = true;
	return 0;
}

static void open_gate(enum gate g)
{
	pthread_mutex_lock(&sb.lock);
	sb.gate = g;
	pthread_cond_broadcast(&sb.cond);
	pthread_mutex_unlock(&sb.lock);
}

void nc_sandbox_release(void)
{
	if (sb.armed)
		open_gate(GATE_FAILED);
}

/* Landlock, capabilities and the filter for the calling thread. */
static int restrict_thread(enum nc_thread_kind kind, const char *name)
{
	char comm[16];
	int ret;

	snprintf(comm, sizeof(comm), "nc-%.12s", name);
	prctl(PR_SET_NAME, comm, 0, 0, 0);	/* what /proc/PID/task/TID/comm shows */
	if (sb.ruleset_fd >= 0) {
		ret = nc_landlock_restrict(sb.ruleset_fd);
		if (ret)
			return ret;
	}
	ret = nc_privs_drop_caps();
	if (ret)
		return ret;
	return sb.o.seccomp ? nc_seccomp_install(kind, name) : 0;
}

int nc_sandbox_lockdown(char *err, size_t errlen)
{
	int ret = 0;

	if (!sb.armed)
		return 0;
	if (sb.o.set_ids)
		ret = nc_privs_switch(sb.o.uid, sb.o.gid, err, errlen);
	if (!ret) {
		/* Everything but seccomp: the others need a few calls to wake. */
		if (sb.ruleset_fd >= 0)
			ret = nc_landlock_restrict(sb.ruleset_fd);
		ret = ret ?: nc_privs_drop_caps();
		if (ret)
			nc_errf(ret, err, errlen, "sandbox: restricting the main thread: %s",
				strerror(-ret));
	}
	open_gate(ret ? GATE_FAILED : GATE_OPEN);
	if (!ret && sb.o.seccomp) {
		/*
		 * A restart builds a new VM and starts its vCPU threads from
		 * here: they inherit this filter, so main-restart also allows
		 * what they need before and after their own (vmm/arch/.../seccomp.c).
		 */
		ret = nc_seccomp_install(sb.o.restart ? NC_THREAD_MAIN_RESTART : NC_THREAD_MAIN,
					 "main");
		if (ret)
			nc_errf(ret, err, errlen, "sandbox: seccomp filter of the main thread: %s",
				strerror(-ret));
	}
	return ret;
}

int nc_sandbox_thread_enter(enum nc_thread_kind kind, unsigned idx)
{
	char name[24];
	enum gate g;
	int ret;

	if (!sb.armed)
		return 0;
	pthread_mutex_lock(&sb.lock);
	while (sb.gate == GATE_CLOSED)
		pthread_cond_wait(&sb.cond, &sb.lock);
	g = sb.gate;
	pthread_mutex_unlock(&sb.lock);
	if (g != GATE_OPEN)
		return -ECANCELED;
	if (kind == NC_THREAD_VCPU || kind == NC_THREAD_CONSOLE_OUT || kind == NC_THREAD_UBLK)
		snprintf(name, sizeof(name), "%s%u", nc_thread_kind_name(kind), idx);
	else
		snprintf(name, sizeof(name), "%s", nc_thread_kind_name(kind));
	ret = restrict_thread(kind, name);
	if (ret)
		fprintf(stderr, "nipcell-vmm: sandbox: thread %s: %s\n", name, strerror(-ret));
	return ret;
}
