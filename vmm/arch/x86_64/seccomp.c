// SPDX-License-Identifier: GPL-2.0
/*
 * The seccomp allowlists of nipcell-vmm on x86_64, one per thread kind
 * (docs/security.md explains each). Every entry names its user. The
 * filters are installed after setup, so nothing that only setup does
 * (opening files, creating the VM, io_uring_setup/register, threads) is
 * here. Anything not listed traps: the cell stops with NC_EXIT_SANDBOX and
 * the call's name (vmm/sandbox/violation.c).
 *
 * Hot calls come first in each list (the filter compares in order).
 *
 * nipcell-vmm runs cells only on arm64 (docs/design.md): this table is the
 * arm64 one with x86_64's names, so that the filter mechanism (builder,
 * argument checks, the SIGSYS report) is unit-tested on x86_64 hosts
 * (tests/unit/sandbox). glibc on x86_64 calls poll, not ppoll; unlink, not
 * unlinkat; and the same KVM ioctl names have x86_64's numbers.
 */
#include <asm/unistd.h>
#include <linux/audit.h>
#include <linux/kvm.h>
#include <linux/vfio.h>
#include <sys/mman.h>
#include <sys/ioctl.h>
#include <fcntl.h>
#include <errno.h>
#include <sched.h>
#include <sys/prctl.h>

#include "sandbox/seccomp.h"

const uint32_t nc_sc_audit_arch = AUDIT_ARCH_X86_64;

/*
 * What glibc, pthread and malloc need in any thread after it started:
 * futex for every lock, condition variable and join; malloc's arenas
 * (mmap/mprotect never with PROT_EXEC, munmap, madvise, brk, mremap);
 * signal returns and masks; thread exit (madvise of the stack, exit); the
 * SIGSYS handler's own calls (write, gettid, getpid, exit_group).
 */
#define NC_SC_RUNTIME							\
	NC_SC(futex),			/* mutexes, condvars, pthread_join */	\
	NC_SC(write),			/* stderr messages, eventfd signals */	\
	NC_SC_ARG_CLEAR(mmap, 2, PROT_EXEC),	/* malloc (never executable) */	\
	NC_SC_ARG_CLEAR(mprotect, 2, PROT_EXEC), /* malloc arena growth */	\
	NC_SC(munmap),			/* free() of large blocks */		\
	NC_SC(madvise),			/* free(), thread stack at exit */	\
	NC_SC(brk),			/* malloc main arena */			\
	NC_SC(mremap),			/* realloc() of large blocks */		\
	NC_SC(rt_sigreturn),		/* return from the kick handler */	\
	NC_SC(rt_sigprocmask),		/* pthread_sigmask, thread exit */	\
	NC_SC(restart_syscall),		/* a call restarted after a signal */	\
	NC_SC(clock_gettime),		/* time, when the vDSO cannot */	\
	NC_SC(gettid),			/* SIGSYS handler, glibc */		\
	NC_SC(getpid),			/* SIGSYS handler, pthread_kill */	\
	NC_SC(sched_yield),		/* glibc lock back-off */		\
	NC_SC(getrandom),		/* malloc's tcache key (first malloc) */\
	NC_SC(exit),			/* thread exit */			\
	NC_SC(exit_group)		/* process exit, SIGSYS handler */

/* The vCPU fd and the VM fd, from a vCPU thread. */
static const uint32_t vcpu_ioctls[] = {
	KVM_RUN,		/* the run loop */
	KVM_IRQ_LINE,		/* UART interrupt line (vm fd), on an MMIO exit */
	KVM_SET_VCPU_EVENTS,	/* (arm64: external abort for an undecodable MMIO access) */
	KVM_GET_ONE_REG,	/* the guest pc in error messages */
	/*
	 * PCI passthrough, from the guest's config-space and MSI-X table
	 * accesses (vmm/vfio/): BARs mapped and moved, vectors routed.
	 */
	KVM_SET_USER_MEMORY_REGION,	/* a BAR's memslots, as the guest places it */
	KVM_SET_GSI_ROUTING,	/* an MSI-X vector's route through the ITS */
	KVM_IRQFD,		/* ... and its eventfd */
	VFIO_DEVICE_SET_IRQS,	/* MSI-X or INTx on/off on the device */
};

/* The main thread after setup: waits for a stop, then tears down. */
static const uint32_t main_ioctls[] = {
	TCSETS,			/* console: the terminal's mode restored at exit */
	TCGETS,			/* ... glibc's tcsetattr() reads it back to check it */
	/* PCI passthrough's teardown (vmm/vfio/): the device quiet and reset. */
	VFIO_DEVICE_SET_IRQS,	/* interrupts off */
	VFIO_DEVICE_RESET,	/* the host gets the device back reset */
	KVM_IRQFD,		/* irqfds deassigned */
	KVM_SET_GSI_ROUTING,	/* routes removed */
	KVM_SET_USER_MEMORY_REGION,	/* BAR memslots deleted */
	VFIO_IOMMU_UNMAP_DMA,	/* guest RAM unmapped from the IOMMU */
	VFIO_GROUP_UNSET_CONTAINER,
};

static const uint32_t main_fcntls[] = {
	F_OFD_SETLK,		/* blk: the image lock released at destroy */
};

#define NC_SC_MAIN							\
	NC_SC(poll),		/* wait for the stop eventfd, signalfd, ION failure */ \
	NC_SC(read),		/* signalfd, the footprint's smaps fd */	\
	NC_SC(lseek),		/* the footprint: smaps read from its start */	\
	NC_SC(close),		/* teardown: every fd */			\
	NC_SC(tgkill),		/* vCPU kicks, pthread_cancel of a stuck console writer */ \
	NC_SC_ARG_IN(fcntl, 1, main_fcntls),				\
	NC_SC(sendto),		/* export: STOP/DEL asked of the ublk broker (send) */	\
	NC_SC(recvfrom),	/* ... its answer (recv) */			\
	NC_SC(unlink)		/* the control socket (Landlock refuses: it stays) */

static const struct nc_sc_rule main_rules[] = {
	NC_SC_MAIN,
	NC_SC_ARG_IN(ioctl, 1, main_ioctls),
	NC_SC_RUNTIME,
};

/* [cell] restart's main thread: the arm64 list (which explains it), x86 names. */
static const uint32_t main_restart_ioctls[] = {
	TCSETS, TCGETS, VFIO_DEVICE_SET_IRQS, VFIO_DEVICE_RESET, KVM_IRQFD,
	KVM_SET_GSI_ROUTING, KVM_SET_USER_MEMORY_REGION, VFIO_IOMMU_UNMAP_DMA,
	VFIO_GROUP_UNSET_CONTAINER,
	KVM_GET_API_VERSION, KVM_CHECK_EXTENSION, KVM_GET_VCPU_MMAP_SIZE,
	KVM_CREATE_VM, KVM_ENABLE_CAP, KVM_CREATE_DEVICE, KVM_SET_DEVICE_ATTR,
	KVM_CREATE_VCPU, KVM_SET_ONE_REG, KVM_IOEVENTFD,	/* (no KVM_ARM_*) */
	KVM_RUN, KVM_IRQ_LINE, KVM_SET_VCPU_EVENTS, KVM_GET_ONE_REG,
};

static const uint32_t thread_clone_flags[] = {
	CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SYSVSEM | CLONE_SIGHAND |
	CLONE_THREAD | CLONE_SETTLS | CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID,
};

static const uint32_t thread_prctls[] = {
	PR_SET_NAME,
};

static const struct nc_sc_rule main_restart_rules[] = {
	NC_SC_MAIN,
	NC_SC_ARG_IN(ioctl, 1, main_restart_ioctls),
	NC_SC_FAIL_ERRNO(clone3, ENOSYS),
	NC_SC_ARG_IN(clone, 0, thread_clone_flags),
	NC_SC(set_robust_list),
	NC_SC(rseq),
	NC_SC_ARG_IN(prctl, 0, thread_prctls),
	NC_SC(landlock_restrict_self),
	NC_SC(capset),
	NC_SC(seccomp),
	NC_SC_RUNTIME,
};

static const struct nc_sc_rule vcpu_rules[] = {
	NC_SC_ARG_IN(ioctl, 1, vcpu_ioctls),
	NC_SC(pread64),		/* passthrough: config space, trapped BAR pages */
	NC_SC(pwrite64),	/* ... written to the VFIO device */
	NC_SC(eventfd2),	/* passthrough: an MSI-X vector's eventfd */
	NC_SC_RUNTIME,		/* write: console ring, doorbell eventfds, stop */
};

static const struct nc_sc_rule ion_rules[] = {
	NC_SC(io_uring_enter),	/* all valve I/O; no io_uring_setup/register */
	NC_SC(fdatasync),	/* disks synced at stop */
	NC_SC_RUNTIME,		/* write: irq eventfds, fail eventfd */
};

/* Console input: stdin into uart0, whose interrupt line it raises. */
static const uint32_t console_in_ioctls[] = {
	KVM_IRQ_LINE,		/* uart0's receive interrupt (vm fd) */
};

static const struct nc_sc_rule console_in_rules[] = {
	NC_SC(poll),		/* stdin, room and stop eventfds */
	NC_SC(read),		/* stdin, the room eventfd */
	NC_SC_ARG_IN(ioctl, 1, console_in_ioctls),
	NC_SC_RUNTIME,
};

static const struct nc_sc_rule console_out_rules[] = {
	NC_SC(poll),		/* POLLOUT on the console fd, the wake eventfd */
	NC_SC_RUNTIME,		/* write: the console fd */
};

static const struct nc_sc_rule control_rules[] = {
	NC_SC(poll),		/* listening socket, clients, stop eventfd */
	NC_SC(accept4),		/* a new client */
	NC_SC(getsockopt),	/* SO_PEERCRED of a new client */
	NC_SC(geteuid),		/* ... compared with ours */
	NC_SC(recvfrom),	/* a client's command (recv) */
	NC_SC(sendto),		/* its answer (send) */
	NC_SC(close),		/* a client that is done */
	NC_SC(read),		/* metrics: the VMM's RSS from the smaps fd */
	NC_SC(lseek),		/* ... read from its start */
	NC_SC_RUNTIME,		/* write: the input valve's irq, the stop eventfd */
};

/*
 * An export's start thread (vmm/ublk.c): waits for the guest's report,
 * then asks the ublk broker for SET_PARAMS and START_DEV.
 */
static const struct nc_sc_rule ublk_rules[] = {
	NC_SC(poll),		/* the export's event eventfd, stop eventfd; the broker's answer */
	NC_SC(read),		/* the event eventfd's count */
	NC_SC(sendto),		/* SET_PARAMS, START to the broker (send) */
	NC_SC(recvfrom),	/* ... its answers (recv) */
	NC_SC_RUNTIME,		/* futex: the broker socket's lock; write: messages */
};

/*
 * The ublk broker process (vmm/ublk_broker.c), single-threaded: its
 * socket, its one io_uring for the control commands, and nothing else (no
 * malloc, no file, no thread).
 */
static const struct nc_sc_rule ublk_broker_rules[] = {
	NC_SC(io_uring_enter),	/* each control command: submit and wait (SQE128 ring) */
	NC_SC(recvfrom),	/* the VMM's requests (recv); EOF when it is gone */
	NC_SC(sendto),		/* the answers (send) */
	NC_SC(exit_group),	/* exit after the cleanup; SIGSYS handler */
	NC_SC(write),		/* SIGSYS handler: its report (stderr is closed: EBADF) */
	NC_SC(gettid),		/* SIGSYS handler */
	NC_SC(getpid),		/* SIGSYS handler */
};

#define TABLE(r)	{ r, NC_SC_COUNT(r) }

const struct nc_sc_table nc_sc_tables[NC_THREAD_KINDS] = {
	[NC_THREAD_MAIN]	= TABLE(main_rules),
	[NC_THREAD_VCPU]	= TABLE(vcpu_rules),
	[NC_THREAD_ION]		= TABLE(ion_rules),
	[NC_THREAD_CONSOLE_IN]	= TABLE(console_in_rules),
	[NC_THREAD_CONSOLE_OUT]	= TABLE(console_out_rules),
	[NC_THREAD_CONTROL]	= TABLE(control_rules),
	[NC_THREAD_MAIN_RESTART] = TABLE(main_restart_rules),
	[NC_THREAD_UBLK]	= TABLE(ublk_rules),
	[NC_THREAD_UBLK_BROKER]	= TABLE(ublk_broker_rules),
};
