/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The cell's sandbox (docs/security.md): pledge and unveil for nipcell-vmm.
 *
 *   pledge   one seccomp filter per thread kind, from the allowlists in
 *            vmm/arch/<arch>/seccomp.c, installed by each thread itself
 *            (never SECCOMP_FILTER_FLAG_TSYNC); a forbidden call traps
 *            (SIGSYS), is reported by thread and name, and stops the cell
 *            with NC_EXIT_SANDBOX.
 *   unveil   Landlock with no rule at all: once set, no file can be opened,
 *            created, removed or executed; the cell's files were all opened
 *            before.
 *   privs    no_new_privs, the bounding and ambient sets emptied, every
 *            capability dropped, and optionally another uid/gid.
 *
 * Life cycle (vmm/run.c): nc_sandbox_arm() on the main thread before any
 * other thread exists; setup opens everything and starts the threads, each
 * of which calls nc_sandbox_thread_enter() first and waits there; then
 * nc_sandbox_lockdown() switches ids, restricts the main thread and opens
 * the gate: every waiting thread restricts itself before it does anything
 * else (a vCPU before its first KVM_RUN). Without nc_sandbox_arm(),
 * nc_sandbox_thread_enter() returns at once and restricts nothing (unit
 * tests of the console, the control socket and the valves).
 */
#ifndef NC_SANDBOX_H
#define NC_SANDBOX_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

enum nc_thread_kind {
	NC_THREAD_MAIN,		/* waits for a stop, tears down */
	NC_THREAD_VCPU,		/* KVM_RUN, MMIO exits */
	NC_THREAD_ION,		/* the ION service thread (io_uring) */
	NC_THREAD_CONSOLE_IN,	/* stdin into uart0 */
	NC_THREAD_CONSOLE_OUT,	/* a UART's output ring to its fd */
	NC_THREAD_CONTROL,	/* the control socket */
	NC_THREAD_MAIN_RESTART,	/* main of a cell with [cell] restart: builds new VMs */
	NC_THREAD_UBLK,		/* an export's start thread: asks the broker to start it */
	NC_THREAD_UBLK_BROKER,	/* the ublk broker process (vmm/ublk_broker.h) */
	NC_THREAD_KINDS
};

/*
 * "main", "vcpu", "ion", "console-in", "console-out", "control",
 * "main-restart", "ublk", "ublk-broker".
 */
const char *nc_thread_kind_name(enum nc_thread_kind kind);

struct nc_sandbox_opts {
	bool	seccomp;	/* per-thread filters ([sandbox] seccomp) */
	bool	landlock;	/* restrict with Landlock when the kernel has it */
	bool	set_ids;	/* switch to uid/gid ([sandbox] user/group) */
	bool	restart;	/* [cell] restart: main gets NC_THREAD_MAIN_RESTART */
	uid_t	uid;
	gid_t	gid;
};

/*
 * Main thread, before any other thread exists: no_new_privs, the bounding
 * and ambient capability sets emptied (where allowed), the SIGSYS handler,
 * every filter built, the Landlock ruleset created (or a warning that the
 * kernel has none). Nothing is restricted yet. 0 or -errno with err.
 */
int nc_sandbox_arm(const struct nc_sandbox_opts *o, char *err, size_t errlen);
/* The eventfd a SIGSYS handler writes to stop the machine. */
void nc_sandbox_set_stop_fd(int fd);
/*
 * Main thread, after setup and before the guest runs: switches ids,
 * restricts itself (Landlock, capabilities, seccomp) and opens the gate for
 * the others. On failure the gate opens with the threads told to quit
 * (nc_sandbox_thread_enter() returns -ECANCELED); 0 or -errno with err.
 */
int nc_sandbox_lockdown(char *err, size_t errlen);
/* Setup failed: opens the gate, every waiting thread quits (-ECANCELED). */
void nc_sandbox_release(void);
/*
 * First thing in every thread: waits for the lockdown, then restricts the
 * calling thread (Landlock, capabilities, its kind's filter). 0, or
 * -ECANCELED when the thread should end at once. idx numbers threads of one
 * kind ("vcpu1").
 */
int nc_sandbox_thread_enter(enum nc_thread_kind kind, unsigned idx);
/* A thread made a forbidden system call (the SIGSYS handler ran). */
bool nc_sandbox_violated(void);
/* What the sandbox did, for run's stderr: "seccomp on, Landlock ABI 2, ..." */
const char *nc_sandbox_summary(void);

/* ---- the parts, for the tests and tests/tools/sandbox-probe ---- */

/* Landlock ABI version of this kernel, or -errno (-ENOSYS, -EOPNOTSUPP). */
int nc_landlock_abi(void);
/*
 * A ruleset handling every file access the ABI knows, with no rule: fd or
 * -errno. nc_landlock_restrict() applies it to the calling thread.
 */
int nc_landlock_ruleset(int abi);
int nc_landlock_restrict(int ruleset_fd);

/* no_new_privs, bounding set (where allowed) and ambient set emptied. */
int nc_privs_prepare(char *err, size_t errlen);
/* setgroups({gid}), setresgid, setresuid: every thread (glibc). */
int nc_privs_switch(uid_t uid, gid_t gid, char *err, size_t errlen);
/* The calling thread's effective, permitted and inheritable sets emptied. */
int nc_privs_drop_caps(void);

/*
 * Installs the SIGSYS handler (once per process) and the filter of kind on
 * the calling thread, naming it name in a violation report. 0 or -errno.
 */
int nc_seccomp_install(enum nc_thread_kind kind, const char *name);

#endif /* NC_SANDBOX_H */
