// SPDX-License-Identifier: GPL-2.0
/*
 * Writes the device trees of a few cell shapes into the directory argv[1],
 * one .dtb each, for dtc_check.cmake to run dtc over. Each tree is built the
 * way `run` builds it, from cell.toml text (nc_cell_plan(), nc_cell_fdt()).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../nc_cell_test.h"

#define MiB (1ULL << 20)

struct sample {
	const char *name;
	const char *toml;
	uint64_t mpidr0;	/* 0: default MPIDRs; else vCPU i has mpidr0 + i */
	int initrd;
};

#define BOOT "[boot]\nkernel = \"Image\"\n"

static const struct sample samples[] = {
	{ "ram128m", "[cell]\nmemory = \"128M\"\n" BOOT, 0, 0 },
	{ "ram512m-split", "[cell]\nmemory = \"512M\"\nvcpus = 4\n" BOOT
	  "cmdline = \"earlycon\"\n[[blk]]\npath = \"a.img\"\n[net]\n"
	  "[input]\nenabled = true\n", 0, 1 },
	{ "window-at-ram-base", "[cell]\nmemory = \"256M\"\nvcpus = 2\n" BOOT
	  "cmdline = \"quiet -- init-arg\"\n[ion]\nbase = 0x80000000\n"
	  "[[blk]]\npath = \"a.img\"\n", 0, 1 },
	{ "max", "[cell]\nmemory = \"16G\"\nvcpus = 8\n" BOOT
	  "[ion]\nsize = \"32M\"\n[serial]\nmode = \"file\"\npath = \"s.log\"\n"
	  "[[blk]]\npath = \"a.img\"\n[[blk]]\npath = \"b.img\"\n"
	  "[[blk]]\npath = \"c.img\"\n[[blk]]\npath = \"d.img\"\n"
	  "[net]\n[input]\nenabled = true\n", 0x80000000, 1 },
	{ "aff3", "[cell]\nmemory = \"1G\"\nvcpus = 2\n" BOOT
	  "[ion]\nbase = 0x40000000\n", 0x100000000ULL, 0 },
	{ "pci", "[cell]\nmemory = \"512M\"\nvcpus = 2\n" BOOT
	  "[[blk]]\npath = \"a.img\"\n[[pci]]\nhost = \"0000:00:01.0\"\n"
	  "[[pci]]\nhost = \"0000:00:02.0\"\n", 0, 1 },
};

static int write_one(const char *dir, const struct sample *s)
{
	static char blob[64 * 1024];
	uint64_t mpidr[NC_MAX_VCPUS];
	char err[512], path[512];
	struct nc_cell cell;
	unsigned int i;
	size_t size;
	FILE *f;

	if (nc_test_cell(&cell, err, sizeof(err), "%s", s->toml)) {
		fprintf(stderr, "%s: %s\n", s->name, err);
		return -1;
	}
	for (i = 0; i < NC_MAX_VCPUS; i++)
		mpidr[i] = s->mpidr0 + i;
	if (s->initrd) {
		cell.initrd_gpa = cell.ram.ram[0].gpa + 64 * MiB;
		cell.initrd_size = 3 * MiB + 5;
	}
	if (nc_cell_fdt(&cell, s->mpidr0 ? mpidr : NULL, blob, sizeof(blob), &size,
			err, sizeof(err))) {
		fprintf(stderr, "%s: %s\n", s->name, err);
		nc_cell_free(&cell);
		return -1;
	}
	nc_cell_free(&cell);
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
