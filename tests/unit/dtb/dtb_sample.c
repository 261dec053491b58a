// SPDX-License-Identifier: GPL-2.0
/*
 * Writes the device trees of a few cell shapes into the directory argv[1],
 * one .dtb each, for dtc_check.cmake to run dtc over.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dtb/fdt.h"

#define MiB (1ULL << 20)

struct sample {
	const char *name;
	uint64_t ram_size, ion_base;
	unsigned int vcpus, valves;
	uint64_t mpidr0;	/* 0: default MPIDRs; else vCPU i has mpidr0 + i */
	int initrd;
	const char *bootargs;
};

static const struct sample samples[] = {
	{ "ram128m", 128 * MiB, ION_DEFAULT_BASE, 1, 0, 0, 0, NULL },
	{ "ram512m-split", 512 * MiB, ION_DEFAULT_BASE, 4, 3, 0, 1,
	  "console=ttyS0 earlycon" },
	{ "window-at-ram-base", 256 * MiB, NC_RAM_BASE, 2, 1, 0, 1,
	  "console=ttyS0 ion_base=0x80000000 -- init-arg" },
	{ "max", NC_RAM_MAX, ION_DEFAULT_BASE, NC_MAX_VCPUS, ION_MAX_VALVES,
	  0x80000000, 1, "console=ttyS0" },
	{ "aff3", 1024 * MiB, 0x40000000, 2, 1, 0x100000000ULL, 0, NULL },
};

static int write_one(const char *dir, const struct sample *s)
{
	static char blob[64 * 1024];
	struct nc_fdt_params p;
	struct nc_ram_layout l;
	char err[512], path[512];
	unsigned int i;
	size_t size;
	FILE *f;

	if (nc_ram_layout(&l, s->ram_size, s->ion_base, ION_DEFAULT_SIZE, err,
			  sizeof(err))) {
		fprintf(stderr, "%s: %s\n", s->name, err);
		return -1;
	}
	nc_fdt_params_default(&p, &l);
	p.vcpus = s->vcpus;
	for (i = 0; s->mpidr0 && i < s->vcpus; i++)
		p.mpidr[i] = s->mpidr0 + i;
	p.nr_ion_irqs = s->valves;
	p.bootargs = s->bootargs;
	if (s->initrd) {
		p.initrd_start = l.ram[0].gpa + 64 * MiB;
		p.initrd_end = p.initrd_start + 3 * MiB + 5;
	}
	if (nc_fdt_build(blob, sizeof(blob), &p, &size, err, sizeof(err))) {
		fprintf(stderr, "%s: %s\n", s->name, err);
		return -1;
	}
	snprintf(path, sizeof(path), "%s/%s.dtb", dir, s->name);
	f = fopen(path, "wb");
	if (!f || fwrite(blob, 1, size, f) != size || fclose(f)) {
		perror(path);
		return -1;
	}
	printf("%s\n", path);
	return 0;
}

int main(int argc, char **argv)
{
	size_t i;

	if (argc != 2) {
		fprintf(stderr, "usage: %s DIR\n", argv[0]);
		return 2;
	}
	for (i = 0; i < sizeof(samples) / sizeof(samples[0]); i++)
		if (write_one(argv[1], &samples[i]))
			return 1;
	return 0;
}
