/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The seccomp allowlists and the filter builder. The lists are data, one
 * file per architecture (vmm/arch/<arch>/seccomp.c), like Firecracker's
 * resources/seccomp/<target>.json; the builder (bpf.c) is the same for all.
 *
 * Classic BPF built by hand rather than with libseccomp: the filters are a
 * few hundred instructions of one simple shape (arch check, then one
 * comparison per allowed call, some with an argument check), the builder is
 * ~150 lines that the unit tests cover on x86_64 and the nested scenarios
 * on arm64, and it spares the static arm64 build another cross library.
 */
#ifndef NC_SANDBOX_SECCOMP_H
#define NC_SANDBOX_SECCOMP_H

#include <stdint.h>
#include <linux/filter.h>

#include "sandbox.h"

enum nc_sc_check {
	NC_SC_ANY,		/* any arguments */
	NC_SC_IN,		/* the low 32 bits of arg are one of vals */
	NC_SC_CLEAR,		/* arg has none of the bits in mask (and < 2^32) */
	NC_SC_FAIL,		/* not allowed: fails with errno mask, never traps */
};

struct nc_sc_rule {
	int			nr;		/* __NR_* */
	const char		*name;
	enum nc_sc_check	check;
	unsigned		arg;		/* argument index, 0..5 */
	const uint32_t		*vals;		/* NC_SC_IN */
	unsigned		nr_vals;
	uint32_t		mask;		/* NC_SC_CLEAR; NC_SC_FAIL: the errno */
};

struct nc_sc_table {
	const struct nc_sc_rule	*rules;
	unsigned		nr_rules;
};

#define NC_SC_COUNT(a)	(sizeof(a) / sizeof((a)[0]))
/* One allowed call, any arguments. */
#define NC_SC(call)	{ .nr = __NR_##call, .name = #call, .check = NC_SC_ANY }
/* One allowed call whose argument arg (low 32 bits) is in the array list. */
#define NC_SC_ARG_IN(call, a, list) \
	{ .nr = __NR_##call, .name = #call, .check = NC_SC_IN, .arg = (a), \
	  .vals = (list), .nr_vals = NC_SC_COUNT(list) }
/* One allowed call whose argument arg has none of the bits in m. */
#define NC_SC_ARG_CLEAR(call, a, m) \
	{ .nr = __NR_##call, .name = #call, .check = NC_SC_CLEAR, .arg = (a), .mask = (m) }

/*
 * A call that fails with errno e instead of trapping: for a library that
 * falls back when the call is missing (glibc's clone3 -> clone on ENOSYS).
 */
#define NC_SC_FAIL_ERRNO(call, e) \
	{ .nr = __NR_##call, .name = #call, .check = NC_SC_FAIL, .mask = (e) }

/*
 * Per architecture (vmm/arch/<arch>/seccomp.c): the AUDIT_ARCH_* value the
 * filter requires, and one table per thread kind.
 */
extern const uint32_t nc_sc_audit_arch;
extern const struct nc_sc_table nc_sc_tables[NC_THREAD_KINDS];

/* The system call's name on this architecture, or NULL (syscall_names.c). */
const char *nc_syscall_name(long nr);

#define NC_SC_MAX_INSNS	1024

/*
 * Builds the filter for table into insns (room for max): the architecture
 * must be nc_sc_audit_arch (else the process is killed), each rule allows
 * its call, everything else traps (SECCOMP_RET_TRAP). Returns the number of
 * instructions, or -E2BIG, or -EINVAL for a rule with a bad argument index.
 */
int nc_seccomp_build(const struct nc_sc_table *table, uint32_t audit_arch,
		     struct sock_filter *insns, unsigned max);
/* Installs a built filter on the calling thread (no TSYNC). 0 or -errno. */
int nc_seccomp_load(const struct sock_filter *insns, unsigned n);

#endif /* NC_SANDBOX_SECCOMP_H */
