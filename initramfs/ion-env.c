// SPDX-License-Identifier: GPL-2.0
/*
 * Prints the ION header constants the guest's /init needs as shell
 * assignments (/etc/nipcell-ion.sh in the initramfs), so that no script
 * spells the magic or a field offset itself. Built and run on the build
 * host by initramfs/build-guest: the header layout is the same on every
 * architecture (ion.h asserts it).
 */
#include <stddef.h>
#include <stdio.h>

#include <nipcell/ion.h>

#define OFF(name, f) \
	printf("ION_OFF_%s=%zu\n", name, offsetof(struct ion_header, f))

int main(void)
{
	printf("ION_MAGIC=0x%08X\n", ION_MAGIC);
	printf("ION_ABI=%u.%u\n", ION_ABI_MAJOR, ION_ABI_MINOR);
	printf("ION_GUEST_NONE=%u\n", ION_GUEST_NONE);
	printf("ION_GUEST_BOUND=%u\n", ION_GUEST_BOUND);
	printf("ION_GUEST_REFUSED=%u\n", ION_GUEST_REFUSED);
	printf("ION_GUEST_STATUS_REPORTED=0x%08X\n", ION_GUEST_STATUS_REPORTED);
	printf("ION_GUEST_STATUS_RC_SHIFT=%u\n", ION_GUEST_STATUS_RC_SHIFT);
	printf("ION_GUEST_STATUS_RC_MASK=0x%X\n", ION_GUEST_STATUS_RC_MASK);
	printf("ION_GUEST_STATUS_FAILS_MASK=0x%X\n", ION_GUEST_STATUS_FAILS_MASK);
	printf("ION_MAX_VALVES=%u\n", ION_MAX_VALVES);
	printf("ION_VALVE_BLK=%u\n", ION_VALVE_BLK);
	printf("ION_VALVE_NET=%u\n", ION_VALVE_NET);
	printf("ION_VALVE_INPUT=%u\n", ION_VALVE_INPUT);
	printf("ION_VALVE_EXPORT=%u\n", ION_VALVE_EXPORT);
	printf("ION_VALVE_SIZE=%zu\n", sizeof(struct ion_valve));
	printf("ION_VALVE_OFF_TYPE=%zu\n", offsetof(struct ion_valve, type));
	OFF("MAGIC", magic);
	OFF("WINDOW_SIZE", window_size);
	OFF("NR_VALVES", nr_valves);
	OFF("GUEST_STATE", guest_state);
	OFF("GUEST_STATUS", guest_status);
	OFF("VALVES", valves);
	OFF("DOORBELL_GPA", doorbell_gpa);
	/* For guests that drive a ring by hand (initramfs/raw-ring.sh). */
	printf("ION_VALVE_OFF_DATA=%zu\n", offsetof(struct ion_valve, data_off));
	printf("ION_VALVE_OFF_STATUS=%zu\n", offsetof(struct ion_valve, status));
	printf("ION_VALVE_OFF_ERROR=%zu\n", offsetof(struct ion_valve, error));
	printf("ION_VALVE_OFF_Q0_SQ=%zu\n", offsetof(struct ion_valve, queues[0].sq_off));
	printf("ION_VALVE_OFF_Q0_CQ=%zu\n", offsetof(struct ion_valve, queues[0].cq_off));
	printf("ION_VALVE_OFF_Q0_ENTRIES=%zu\n", offsetof(struct ion_valve, queues[0].entries));
	printf("ION_VALVE_OFF_Q0_DOORBELL=%zu\n", offsetof(struct ion_valve, queues[0].doorbell));
	printf("ION_VALVE_OFF_BLK_CAPACITY=%zu\n",
	       offsetof(struct ion_valve, config.blk.capacity));
	printf("ION_RING_SIZE=%zu\n", sizeof(struct ion_ring));
	printf("ION_RING_OFF_CONS=%zu\n", offsetof(struct ion_ring, cons));
	printf("ION_SQE_SIZE=%zu\n", sizeof(struct ion_sqe));
	printf("ION_CQE_SIZE=%zu\n", sizeof(struct ion_cqe));
	printf("ION_CQE_OFF_STATUS=%zu\n", offsetof(struct ion_cqe, status));
	printf("ION_OP_BLK_READ=0x%x\n", ION_OP_BLK_READ);
	printf("ION_OP_BLK_WRITE=0x%x\n", ION_OP_BLK_WRITE);
	printf("ION_OP_BLK_WRITE_ZEROES=0x%x\n", ION_OP_BLK_WRITE_ZEROES);
	OFF("INIT_UPTIME_US", init_uptime_us);
	return 0;
}
