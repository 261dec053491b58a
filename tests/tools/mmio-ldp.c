// SPDX-License-Identifier: GPL-2.0
/*
 * mmio-ldp PHYS: a load pair (LDP) from guest physical address PHYS through
 * /dev/mem, in the guest. An LDP to MMIO carries no valid syndrome, so KVM
 * cannot emulate it: nipcell-vmm answers with an external abort, and this
 * process dies of SIGBUS (exit 135 in a shell) while the cell runs on. If
 * it survives, it prints what it read and exits 0 (the scenario's failure).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	unsigned long long phys;
	volatile uint64_t *p;
	uint64_t a = 0, b = 0;
	char *end;
	void *map;
	int fd;

	if (argc != 2) {
		fprintf(stderr, "usage: mmio-ldp PHYS\n");
		return 2;
	}
	errno = 0;
	phys = strtoull(argv[1], &end, 0);
	if (errno || *end || phys % 16) {
		fprintf(stderr, "mmio-ldp: %s: not a 16-byte aligned address\n", argv[1]);
		return 2;
	}
	fd = open("/dev/mem", O_RDWR | O_SYNC);
	if (fd < 0) {
		fprintf(stderr, "mmio-ldp: /dev/mem: %s\n", strerror(errno));
		return 2;
	}
	map = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, phys & ~4095ULL);
	if (map == MAP_FAILED) {
		fprintf(stderr, "mmio-ldp: mmap 0x%llx: %s\n", phys, strerror(errno));
		return 2;
	}
	p = (volatile uint64_t *)((char *)map + (phys & 4095));
#ifdef __aarch64__
	__asm__ volatile("ldp %0, %1, [%2]" : "=r"(a), "=r"(b) : "r"(p) : "memory");
#else
	a = p[0];
	b = p[1];
#endif
	printf("mmio-ldp: 0x%llx: read 0x%llx 0x%llx\n", phys, (unsigned long long)a,
	       (unsigned long long)b);
	return 0;
}
