// SPDX-License-Identifier: GPL-2.0
/*
 * The seccomp filter builder: classic BPF from an allowlist (seccomp.h).
 *
 *	ld  arch;  jeq AUDIT_ARCH ? next : KILL_PROCESS
 *	ld  nr;    (x86_64: nr >= __X32_SYSCALL_BIT -> TRAP)
 *	per rule:  jeq rule.nr ? body : next rule
 *	           body: ALLOW, ERRNO(e), or an argument check ending in ALLOW or TRAP
 *	TRAP
 *
 * Every jump goes forward by a few instructions, well within the 8-bit
 * offsets of classic BPF. A body that loads an argument always returns, so
 * the accumulator holds the call number for every rule comparison.
 */
#include <errno.h>
#include <stddef.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/audit.h>
#include <linux/seccomp.h>

#include "seccomp.h"

#define SC_DATA(f)	offsetof(struct seccomp_data, f)
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define SC_ARG_LO(i)	(SC_DATA(args) + 8 * (i))
#define SC_ARG_HI(i)	(SC_DATA(args) + 8 * (i) + 4)
#else
#define SC_ARG_LO(i)	(SC_DATA(args) + 8 * (i) + 4)
#define SC_ARG_HI(i)	(SC_DATA(args) + 8 * (i))
#endif

struct prog {
	struct sock_filter	*insns;
	unsigned		n, max;
};

static int emit(struct prog *p, uint16_t code, uint8_t jt, uint8_t jf, uint32_t k)
{
	if (p->n >= p->max)
		return -E2BIG;
	p->insns[p->n++] = (struct sock_filter){ code, jt, jf, k };
	return 0;
}

#define LD(p, off)	emit(p, BPF_LD | BPF_W | BPF_ABS, 0, 0, off)
#define RET(p, v)	emit(p, BPF_RET | BPF_K, 0, 0, v)
#define JEQ(p, k, t, f)	emit(p, BPF_JMP | BPF_JEQ | BPF_K, t, f, k)
#define JGE(p, k, t, f)	emit(p, BPF_JMP | BPF_JGE | BPF_K, t, f, k)
#define JSET(p, k, t, f) emit(p, BPF_JMP | BPF_JSET | BPF_K, t, f, k)

/* Instructions in a rule's body, after its jeq on the call number. */
static unsigned body_len(const struct nc_sc_rule *r)
{
	switch (r->check) {
	case NC_SC_IN:
		return 1 + r->nr_vals + 2;	/* ld, jeq each, TRAP, ALLOW */
	case NC_SC_CLEAR:
		return 6;			/* ld hi, jeq 0, ld lo, jset, TRAP, ALLOW */
	default:
		return 1;			/* ALLOW, or ERRNO */
	}
}

static int emit_rule(struct prog *p, const struct nc_sc_rule *r)
{
	unsigned len = body_len(r), i;
	int ret;

	if (len > 255 || r->arg > 5 || (r->check == NC_SC_IN && !r->nr_vals) ||
	    (r->check == NC_SC_FAIL && (!r->mask || r->mask > SECCOMP_RET_DATA)))
		return -EINVAL;
	ret = JEQ(p, (uint32_t)r->nr, 0, len);
	switch (r->check) {
	case NC_SC_IN:
		ret = ret ?: LD(p, SC_ARG_LO(r->arg));
		for (i = 0; i < r->nr_vals; i++)	/* a match skips the rest and TRAP */
			ret = ret ?: JEQ(p, r->vals[i], r->nr_vals - i, 0);
		ret = ret ?: RET(p, SECCOMP_RET_TRAP);
		return ret ?: RET(p, SECCOMP_RET_ALLOW);
	case NC_SC_CLEAR:
		ret = ret ?: LD(p, SC_ARG_HI(r->arg));
		ret = ret ?: JEQ(p, 0, 0, 2);		/* high bits set: TRAP */
		ret = ret ?: LD(p, SC_ARG_LO(r->arg));
		ret = ret ?: JSET(p, r->mask, 0, 1);	/* a forbidden bit: TRAP */
		ret = ret ?: RET(p, SECCOMP_RET_TRAP);
		return ret ?: RET(p, SECCOMP_RET_ALLOW);
	case NC_SC_FAIL:
		return ret ?: RET(p, SECCOMP_RET_ERRNO | r->mask);
	default:
		return ret ?: RET(p, SECCOMP_RET_ALLOW);
	}
}

int nc_seccomp_build(const struct nc_sc_table *table, uint32_t audit_arch,
		     struct sock_filter *insns, unsigned max)
{
	struct prog p = { insns, 0, max };
	unsigned i;
	int ret;

	ret = LD(&p, SC_DATA(arch));
	ret = ret ?: JEQ(&p, audit_arch, 1, 0);
	ret = ret ?: RET(&p, SECCOMP_RET_KILL_PROCESS);
	ret = ret ?: LD(&p, SC_DATA(nr));
#ifdef __x86_64__
	/* x32 calls share the arch value: refuse them all. */
	ret = ret ?: JGE(&p, 0x40000000u, 0, 1);
	ret = ret ?: RET(&p, SECCOMP_RET_TRAP);
#endif
	for (i = 0; !ret && i < table->nr_rules; i++)
		ret = emit_rule(&p, &table->rules[i]);
	ret = ret ?: RET(&p, SECCOMP_RET_TRAP);
	return ret ? ret : (int)p.n;
}

int nc_seccomp_load(const struct sock_filter *insns, unsigned n)
{
	struct sock_fprog prog = { .len = (unsigned short)n, .filter = (struct sock_filter *)insns };

	if (syscall(__NR_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) == 0)
		return 0;
	if (errno != ENOSYS)
		return -errno;
	return prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) ? -errno : 0;
}
