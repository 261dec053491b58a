// SPDX-License-Identifier: GPL-2.0
/* The VMM's own resident memory: everything but guest RAM and the window. */
#include <stdint.h>
#include <stdio.h>

#include "footprint.h"

static int inside(uintptr_t lo, uintptr_t hi, const void *base, size_t len)
{
	uintptr_t b = (uintptr_t)base;

	return base && lo >= b && hi <= b + len;
}

long nc_footprint_kib(const void *a, size_t alen, const void *b, size_t blen,
		      const void *c, size_t clen)
{
	unsigned long lo, hi;
	long total = 0, kib;
	int skip = 0;
	char line[512];
	FILE *f;

	f = fopen("/proc/self/smaps", "re");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%lx-%lx ", &lo, &hi) == 2)
			skip = inside(lo, hi, a, alen) || inside(lo, hi, b, blen) ||
			       inside(lo, hi, c, clen);
		else if (!skip && sscanf(line, "Rss: %ld kB", &kib) == 1)
			total += kib;
	}
	fclose(f);
	return total;
}
