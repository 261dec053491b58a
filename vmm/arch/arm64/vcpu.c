// SPDX-License-Identifier: GPL-2.0
/*
 * arm64 vCPUs. Each vCPU thread only runs KVM_RUN and dispatches MMIO exits
 * to the user-space devices; the valves run on the ION service thread.
 */
#include <errno.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>
#include <linux/kvm.h>

#include "arch/arm64/kvm.h"
#include "arch/arm64/layout.h"
#include "arch/arm64/vcpu.h"
#include "machine.h"
#include "util/errf.h"

#define VCPU_KICK_SIGNAL	SIGUSR1
#define CORE_REG(x)	(KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM_CORE | \
			 (offsetof(struct kvm_regs, x) / sizeof(uint32_t)))
#define MPIDR_EL1	ARM64_SYS_REG(3, 0, 0, 0, 5)

/* PSTATE at entry: EL1h with D, A, I and F masked (booting.rst). */
#define BOOT_PSTATE	(0x5 | 0x40 | 0x80 | 0x100 | 0x200)

static int set_reg(struct nc_vcpu *c, uint64_t id, uint64_t val)
{
	struct kvm_one_reg r = { .id = id, .addr = (uintptr_t)&val };

	return ioctl(c->fd, KVM_SET_ONE_REG, &r);
}

static int get_reg(struct nc_vcpu *c, uint64_t id, uint64_t *val)
{
	struct kvm_one_reg r = { .id = id, .addr = (uintptr_t)val };

	return ioctl(c->fd, KVM_GET_ONE_REG, &r);
}

int nc_vcpu_create(struct nc_vcpu *c, struct nc_vm *vm, unsigned id,
		   char *err, size_t errlen)
{
	struct kvm_vcpu_init init;

	memset(c, 0, sizeof(*c));
	c->id = id;
	c->vm = vm;
	c->fd = ioctl(vm->vm_fd, KVM_CREATE_VCPU, id);
	if (c->fd < 0)
		return nc_errf(-errno, err, errlen, "vcpu %u: KVM_CREATE_VCPU: %s", id,
			       strerror(errno));
	c->run_size = vm->run_size;
	c->run = mmap(NULL, c->run_size, PROT_READ | PROT_WRITE, MAP_SHARED, c->fd, 0);
	if (c->run == MAP_FAILED) {
		c->run = NULL;
		return nc_errf(-errno, err, errlen, "vcpu %u: mmap kvm_run: %s", id,
			       strerror(errno));
	}
	if (ioctl(vm->vm_fd, KVM_ARM_PREFERRED_TARGET, &init) < 0)
		return nc_errf(-errno, err, errlen, "KVM_ARM_PREFERRED_TARGET: %s",
			       strerror(errno));
	init.features[0] |= 1u << KVM_ARM_VCPU_PSCI_0_2;
	if (id)
		init.features[0] |= 1u << KVM_ARM_VCPU_POWER_OFF;
	if (ioctl(c->fd, KVM_ARM_VCPU_INIT, &init) < 0)
		return nc_errf(-errno, err, errlen, "vcpu %u: KVM_ARM_VCPU_INIT (target %u): %s",
			       id, init.target, strerror(errno));
	if (get_reg(c, MPIDR_EL1, &c->mpidr) < 0)
		return nc_errf(-errno, err, errlen, "vcpu %u: read MPIDR_EL1: %s", id,
			       strerror(errno));
	c->mpidr &= NC_MPIDR_AFF_MASK;
	return 0;
}

int nc_vcpu_set_boot(struct nc_vcpu *c, uint64_t pc, uint64_t dtb,
		     char *err, size_t errlen)
{
	if (set_reg(c, CORE_REG(regs.pstate), BOOT_PSTATE) < 0 ||
	    set_reg(c, CORE_REG(regs.regs[0]), dtb) < 0 ||
	    set_reg(c, CORE_REG(regs.regs[1]), 0) < 0 ||
	    set_reg(c, CORE_REG(regs.regs[2]), 0) < 0 ||
	    set_reg(c, CORE_REG(regs.regs[3]), 0) < 0 ||
	    set_reg(c, CORE_REG(regs.pc), pc) < 0)
		return nc_errf(-errno, err, errlen, "vcpu %u: set boot registers: %s",
			       c->id, strerror(errno));
	return 0;
}

static uint64_t vcpu_pc(struct nc_vcpu *c)
{
	uint64_t pc = 0;

	get_reg(c, CORE_REG(regs.pc), &pc);
	return pc;
}

static void vcpu_mmio(struct nc_vcpu *c)
{
	struct kvm_run *r = c->run;
	static unsigned unclaimed;

	if (nc_mmio_dispatch(&c->m->mmio, r->mmio.phys_addr, r->mmio.data,
			     r->mmio.len, r->mmio.is_write))
		return;
	/* Nothing there: reads see zeros, writes vanish, like an empty bus. */
	if (!r->mmio.is_write)
		memset(r->mmio.data, 0, sizeof(r->mmio.data));
	if (__atomic_fetch_add(&unclaimed, 1, __ATOMIC_RELAXED) < 8)
		fprintf(stderr, "nipcell-vmm: vcpu %u: %s of %u bytes at unclaimed 0x%llx (pc 0x%llx)\n",
			c->id, r->mmio.is_write ? "write" : "read", r->mmio.len,
			(unsigned long long)r->mmio.phys_addr,
			(unsigned long long)vcpu_pc(c));
}

/*
 * The guest touched MMIO in a way KVM cannot decode for us (no valid ISS:
 * a load/store pair, writeback addressing...). That is the guest's fault,
 * as on real hardware: an external data abort is injected and the guest
 * handles it (Linux kills the process, or oopses in the kernel). Returns
 * false when KVM cannot inject one, and the cell must stop.
 */
static bool vcpu_inject_abort(struct nc_vcpu *c, uint64_t addr)
{
	struct kvm_vcpu_events ev;
	static unsigned reported;

	if (!c->vm->can_inject_dabt) {
		nc_machine_stop(c->m, NC_STOP_ERROR,
				"vcpu %u: guest MMIO access at 0x%llx without a valid syndrome (pc 0x%llx), and KVM cannot inject an external abort",
				c->id, (unsigned long long)addr,
				(unsigned long long)vcpu_pc(c));
		return false;
	}
	memset(&ev, 0, sizeof(ev));
	ev.exception.ext_dabt_pending = 1;
	if (ioctl(c->fd, KVM_SET_VCPU_EVENTS, &ev) < 0) {
		nc_machine_stop(c->m, NC_STOP_ERROR, "vcpu %u: KVM_SET_VCPU_EVENTS: %s",
				c->id, strerror(errno));
		return false;
	}
	c->aborts++;
	if (__atomic_fetch_add(&reported, 1, __ATOMIC_RELAXED) < 8)
		fprintf(stderr, "nipcell-vmm: vcpu %u: guest MMIO access at 0x%llx without a valid syndrome (pc 0x%llx): external abort injected\n",
			c->id, (unsigned long long)addr, (unsigned long long)vcpu_pc(c));
	return true;
}

static void vcpu_system_event(struct nc_vcpu *c)
{
	switch (c->run->system_event.type) {
	case KVM_SYSTEM_EVENT_SHUTDOWN:
		nc_machine_stop(c->m, NC_STOP_POWEROFF, "guest powered off (vcpu %u)", c->id);
		break;
	case KVM_SYSTEM_EVENT_RESET:
		nc_machine_stop(c->m, NC_STOP_RESET, "guest asked for a reset (vcpu %u)", c->id);
		break;
	case KVM_SYSTEM_EVENT_CRASH:
		nc_machine_stop(c->m, NC_STOP_CRASH, "guest crashed (vcpu %u)", c->id);
		break;
	default:
		nc_machine_stop(c->m, NC_STOP_ERROR, "vcpu %u: unknown system event %u",
				c->id, c->run->system_event.type);
	}
}

/* The metrics' name for a KVM exit reason. */
static enum nc_vexit vcpu_exit_class(uint32_t reason)
{
	switch (reason) {
	case KVM_EXIT_MMIO:		return NC_VEXIT_MMIO;
	case KVM_EXIT_ARM_NISV:		return NC_VEXIT_NISV;
	case KVM_EXIT_SYSTEM_EVENT:	return NC_VEXIT_SYSTEM_EVENT;
	case KVM_EXIT_INTR:		return NC_VEXIT_INTR;
	case KVM_EXIT_FAIL_ENTRY:	return NC_VEXIT_FAIL_ENTRY;
	default:			return NC_VEXIT_OTHER;
	}
}

static void *vcpu_thread(void *arg)
{
	struct nc_vcpu *c = arg;
	struct kvm_run *r = c->run;
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, VCPU_KICK_SIGNAL);
	pthread_sigmask(SIG_UNBLOCK, &set, NULL);

	while (!c->m->stopping) {
		if (ioctl(c->fd, KVM_RUN, 0) < 0) {
			if (errno == EINTR || errno == EAGAIN) {
				nc_vexit_count(c->exits, NC_VEXIT_INTR);
				r->immediate_exit = 0;
				continue;
			}
			/* An undecodable MMIO access, without NISV_TO_USER. */
			if (errno == ENOSYS) {
				nc_vexit_count(c->exits, NC_VEXIT_NISV);
				if (vcpu_inject_abort(c, 0))
					continue;
				break;
			}
			nc_machine_stop(c->m, NC_STOP_ERROR, "vcpu %u: KVM_RUN: %s (pc 0x%llx)",
					c->id, strerror(errno),
					(unsigned long long)vcpu_pc(c));
			break;
		}
		nc_vexit_count(c->exits, vcpu_exit_class(r->exit_reason));
		switch (r->exit_reason) {
		case KVM_EXIT_MMIO:
			vcpu_mmio(c);
			break;
		case KVM_EXIT_ARM_NISV:
			if (!vcpu_inject_abort(c, r->arm_nisv.fault_ipa))
				return NULL;
			break;
		case KVM_EXIT_SYSTEM_EVENT:
			vcpu_system_event(c);
			return NULL;
		case KVM_EXIT_INTR:
			break;
		case KVM_EXIT_FAIL_ENTRY:
			nc_machine_stop(c->m, NC_STOP_ERROR,
					"vcpu %u: entry failed, reason 0x%llx (pc 0x%llx)", c->id,
					(unsigned long long)r->fail_entry.hardware_entry_failure_reason,
					(unsigned long long)vcpu_pc(c));
			return NULL;
		default:
			nc_machine_stop(c->m, NC_STOP_ERROR,
					"vcpu %u: unexpected exit reason %u (pc 0x%llx)", c->id,
					r->exit_reason, (unsigned long long)vcpu_pc(c));
			return NULL;
		}
	}
	return NULL;
}

static void vcpu_kick_handler(int sig)
{
	(void)sig;	/* only there to interrupt KVM_RUN */
}

int nc_vcpu_signal_setup(void)
{
	struct sigaction sa = { .sa_handler = vcpu_kick_handler };

	sigemptyset(&sa.sa_mask);
	return sigaction(VCPU_KICK_SIGNAL, &sa, NULL);	/* no SA_RESTART */
}

int nc_vcpu_start(struct nc_vcpu *c, struct nc_machine *m)
{
	sigset_t all, old;
	int ret;

	c->m = m;
	c->exits = m->vexits && c->id < m->nr_vexits ? &m->vexits[c->id] : &c->own_exits;
	/* The thread starts with every signal blocked, then unblocks the kick. */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	ret = pthread_create(&c->thread, NULL, vcpu_thread, c);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (ret)
		return -ret;
	c->started = 1;
	return 0;
}

void nc_vcpu_kick(struct nc_vcpu *c)
{
	if (!c->started)
		return;
	/* immediate_exit covers a kick that lands just before KVM_RUN. */
	__atomic_store_n(&c->run->immediate_exit, 1, __ATOMIC_SEQ_CST);
	pthread_kill(c->thread, VCPU_KICK_SIGNAL);
}

void nc_vcpu_join(struct nc_vcpu *c)
{
	if (c->started)
		pthread_join(c->thread, NULL);
	c->started = 0;
}

void nc_vcpu_destroy(struct nc_vcpu *c)
{
	if (c->run)
		munmap(c->run, c->run_size);
	if (c->fd > 0)
		close(c->fd);
	c->run = NULL;
	c->fd = -1;
}
