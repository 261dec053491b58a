// SPDX-License-Identifier: GPL-2.0
/* Guest RAM on a 2 MiB-aligned mapping, advised onto huge pages (guest_ram.h). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#include "guest_ram.h"

static void advise(void *base, uint64_t size, bool ksm)
{
	static bool warned;

	/*
	 * EINVAL: a kernel without THP; ENOSYS: without madvise() at all
	 * (CONFIG_ADVISE_SYSCALLS). Both leave plain pages, which work.
	 */
	madvise(base, size, MADV_HUGEPAGE);
	/*
	 * KSM merges equal pages across VMs, which opens timing side channels
	 * between them: only when the cell asks ([cell] ksm = true).
	 */
	if (ksm && madvise(base, size, MADV_MERGEABLE) < 0 && !warned) {
		warned = true;
		fprintf(stderr, "nipcell-vmm: warning: [cell] ksm: madvise(MADV_MERGEABLE): %s\n",
			strerror(errno));
	}
}

void *nc_guest_ram_map(uint64_t size, bool ksm)
{
	uint64_t slack = NC_GUEST_RAM_ALIGN, head, len = size + slack;
	char *p, *base;

	if (size == 0 || len < size) {
		errno = EINVAL;
		return NULL;
	}
	/* Over-allocate, then give back what lies outside the aligned range. */
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
		 -1, 0);
	if (p == MAP_FAILED)
		return NULL;
	base = (char *)(((uintptr_t)p + slack - 1) & ~(uintptr_t)(slack - 1));
	head = base - p;
	if (head)
		munmap(p, head);
	if (slack - head)
		munmap(base + size, slack - head);
	advise(base, size, ksm);
	return base;
}

int nc_guest_ram_clear(void *base, uint64_t size, bool ksm)
{
	if (mmap(base, size, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED, -1, 0) == MAP_FAILED)
		return -errno;
	advise(base, size, ksm);
	return 0;
}

void nc_guest_ram_unmap(void *base, uint64_t size)
{
	if (base)
		munmap(base, size);
}
