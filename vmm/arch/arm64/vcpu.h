/* SPDX-License-Identifier: GPL-2.0 */
/* arm64 vCPUs: creation with PSCI 0.2, boot registers, the run loop. */
#ifndef NC_ARM64_VCPU_H
#define NC_ARM64_VCPU_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include "machine.h"

struct nc_vm;

struct nc_vcpu {
	unsigned		id;
	int			fd;
	struct kvm_run		*run;
	size_t			run_size;
	uint64_t		mpidr;		/* MPIDR_EL1 as KVM set it */
	pthread_t		thread;
	int			started;
	struct nc_machine	*m;
	struct nc_vm		*vm;
	unsigned long		aborts;		/* external aborts injected */
	struct nc_vexit_counts	*exits;		/* m->vexits[id], or a private one */
	struct nc_vexit_counts	own_exits;
};

/* Secondary vCPUs start powered off; the guest wakes them with PSCI CPU_ON. */
int nc_vcpu_create(struct nc_vcpu *c, struct nc_vm *vm, unsigned id,
		   char *err, size_t errlen);
/* Boot protocol (Documentation/arm64/booting.rst): x0 = DTB, EL1h, DAIF masked. */
int nc_vcpu_set_boot(struct nc_vcpu *c, uint64_t pc, uint64_t dtb,
		     char *err, size_t errlen);
int nc_vcpu_start(struct nc_vcpu *c, struct nc_machine *m);
/* Makes KVM_RUN return on that vCPU's thread; the loop then sees the stop. */
void nc_vcpu_kick(struct nc_vcpu *c);
void nc_vcpu_join(struct nc_vcpu *c);
void nc_vcpu_destroy(struct nc_vcpu *c);

/* Once per process: the signal nc_vcpu_kick uses, with a no-op handler. */
int nc_vcpu_signal_setup(void);

#endif /* NC_ARM64_VCPU_H */
