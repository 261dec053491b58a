// SPDX-License-Identifier: GPL-2.0
/* The VMM's own resident memory: everything but guest RAM and the window. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>

#include "footprint.h"

static int inside(uintptr_t lo, uintptr_t hi, const void *base, size_t len)
{
	uintptr_t b = (uintptr_t)base;

	return base && lo >= b && hi <= b + len;
}

long nc_footprint_kib(const void *ram, size_t ram_len, const void *win, size_t win_len)
{
	unsigned long lo, hi;
	long total = 0, kib;
	int skip = 0;
	char line[512];
	FILE *f;

	f = fopen("/proc/self/smaps", "re");
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%lx-%lx ", &lo, &hi) == 2)
			skip = inside(lo, hi, ram, ram_len) || inside(lo, hi, win, win_len);
		else if (!skip && sscanf(line, "Rss: %ld kB", &kib) == 1)
			total += kib;
	}
	fclose(f);
	return total;
}
