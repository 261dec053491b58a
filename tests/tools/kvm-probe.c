// SPDX-License-Identifier: GPL-2.0
/*
 * kvm-probe: proves an arm64 host can run a KVM guest. It creates a VM with
 * one 64 KiB memslot, one vCPU (preferred target, PSCI 0.2), points PC at a
 * four-instruction guest that stores 0x42 to an unbacked address, and checks
 * that KVM_RUN comes back with exactly that MMIO write.
 *
 * Prints "NCT PASS kvm-vcpu-exit ..." or "NCT FAIL kvm-... <why>" (the
 * marker format of ci/nct-report) and exits 0 or 1.
 */
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>
#include <linux/kvm.h>

#include "../../vmm/arch/arm64/layout.h"

#define PROBE_MEM_SIZE	0x10000
#define PROBE_MMIO_ADDR	0x0a000000ULL	/* no memslot, no device: an exit */
#define PROBE_VALUE	0x42

static const uint32_t probe_code[] = {
	0xd2800840,	/* movz x0, #0x42 */
	0xd2a14001,	/* movz x1, #0x0a00, lsl #16 */
	0xf9000020,	/* str  x0, [x1] */
	0x14000000,	/* b    . */
};

static double now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static int fail(const char *what)
{
	printf("NCT FAIL kvm-%s: %s\n", what, strerror(errno));
	return 1;
}

int main(void)
{
	struct kvm_userspace_memory_region region = { 0 };
	struct kvm_vcpu_init init;
	struct kvm_one_reg reg;
	struct kvm_run *run;
	uint64_t pc = NC_RAM_BASE;
	double t0 = now_ms();
	int kvm, vm, vcpu, run_size;
	void *mem;

	kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (kvm < 0)
		return fail("open /dev/kvm");
	if (ioctl(kvm, KVM_GET_API_VERSION, 0) != KVM_API_VERSION) {
		printf("NCT FAIL kvm-api: unexpected KVM API version\n");
		return 1;
	}
	vm = ioctl(kvm, KVM_CREATE_VM, 0);
	if (vm < 0)
		return fail("create-vm");

	mem = mmap(NULL, PROBE_MEM_SIZE, PROT_READ | PROT_WRITE,
		   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED)
		return fail("mmap");
	memcpy(mem, probe_code, sizeof(probe_code));
	region.guest_phys_addr = NC_RAM_BASE;
	region.memory_size = PROBE_MEM_SIZE;
	region.userspace_addr = (uintptr_t)mem;
	if (ioctl(vm, KVM_SET_USER_MEMORY_REGION, &region) < 0)
		return fail("memslot");

	vcpu = ioctl(vm, KVM_CREATE_VCPU, 0);
	if (vcpu < 0)
		return fail("create-vcpu");
	run_size = ioctl(kvm, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (run_size < (int)sizeof(*run))
		return fail("vcpu-mmap-size");
	run = mmap(NULL, run_size, PROT_READ | PROT_WRITE, MAP_SHARED, vcpu, 0);
	if (run == MAP_FAILED)
		return fail("vcpu-mmap");
	if (ioctl(vm, KVM_ARM_PREFERRED_TARGET, &init) < 0)
		return fail("preferred-target");
	init.features[0] |= 1u << KVM_ARM_VCPU_PSCI_0_2;
	if (ioctl(vcpu, KVM_ARM_VCPU_INIT, &init) < 0)
		return fail("vcpu-init");

	reg.id = KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM_CORE |
		 (offsetof(struct kvm_regs, regs.pc) / sizeof(uint32_t));
	reg.addr = (uintptr_t)&pc;
	if (ioctl(vcpu, KVM_SET_ONE_REG, &reg) < 0)
		return fail("set-pc");

	if (ioctl(vcpu, KVM_RUN, 0) < 0)
		return fail("run");
	if (run->exit_reason != KVM_EXIT_MMIO || !run->mmio.is_write ||
	    run->mmio.phys_addr != PROBE_MMIO_ADDR || run->mmio.len != 8 ||
	    run->mmio.data[0] != PROBE_VALUE) {
		printf("NCT FAIL kvm-vcpu-exit: exit %u addr 0x%llx len %u data 0x%x, want MMIO write of 0x%x to 0x%llx\n",
		       run->exit_reason, (unsigned long long)run->mmio.phys_addr,
		       run->mmio.len, run->mmio.data[0], PROBE_VALUE,
		       PROBE_MMIO_ADDR);
		return 1;
	}
	printf("NCT PASS kvm-vcpu-exit mmio write 0x%x to 0x%llx, target %u, %.1f ms\n",
	       run->mmio.data[0], (unsigned long long)run->mmio.phys_addr,
	       init.target, now_ms() - t0);
	return 0;
}
