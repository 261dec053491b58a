// SPDX-License-Identifier: GPL-2.0
/* Preparing a cell: the part of booting that needs no KVM. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <nipcell/ion.h>

#include "arch/arm64/layout.h"
#include "cell.h"
#include "dtb/fdt.h"

#define CELL_ERR(...) (snprintf(err, errlen, __VA_ARGS__), -1)

int nc_read_file(const char *path, void *buf, uint64_t max, uint64_t *len,
		 char *err, size_t errlen)
{
	uint64_t done = 0;
	struct stat st;
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return CELL_ERR("%s: %s", path, strerror(errno));
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return CELL_ERR("%s: not a regular file", path);
	}
	if ((uint64_t)st.st_size > max) {
		close(fd);
		return CELL_ERR("%s: %llu bytes does not fit in %llu", path,
				(unsigned long long)st.st_size, (unsigned long long)max);
	}
	while (done < (uint64_t)st.st_size) {
		n = read(fd, (char *)buf + done, st.st_size - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			close(fd);
			return CELL_ERR("%s: read: %s", path, n ? strerror(errno) :
					"file shrank while reading");
		}
		done += n;
	}
	close(fd);
	*len = done;
	return 0;
}

static int file_size(const char *path, uint64_t *size, char *err, size_t errlen)
{
	struct stat st;

	if (stat(path, &st) < 0)
		return CELL_ERR("%s: %s", path, strerror(errno));
	*size = st.st_size;
	return 0;
}

/*
 * Reads the Image once: its header and whole length are checked here, and
 * `run` copies these bytes into guest RAM instead of reading the file again.
 */
static int cell_check_image(struct nc_cell *cell, char *err, size_t errlen)
{
	const struct nc_config *c = &cell->cfg;
	char msg[384];
	uint8_t *buf;
	uint64_t len;
	int ret;

	if (file_size(c->kernel, &cell->kernel_file_size, err, errlen))
		return -1;
	if (cell->kernel_file_size > c->memory)
		return CELL_ERR("%s:%u: kernel '%s' (%llu bytes) is larger than the cell's memory",
				c->file, c->line_kernel, c->kernel,
				(unsigned long long)cell->kernel_file_size);
	buf = malloc(cell->kernel_file_size ? cell->kernel_file_size : 1);
	if (!buf)
		return CELL_ERR("%s: out of memory", c->kernel);
	cell->kernel = buf;
	ret = nc_read_file(c->kernel, buf, cell->kernel_file_size, &len, err, errlen);
	if (ret)
		return ret;
	cell->kernel_file_size = len;
	if (nc_image_parse(buf, len, c->kernel, &cell->img, msg, sizeof(msg)))
		return CELL_ERR("%s:%u: %s", c->file, c->line_kernel, msg);
	return 0;
}

static int cell_place(struct nc_cell *cell, char *err, size_t errlen)
{
	const struct nc_config *c = &cell->cfg;
	const struct nc_region *r0 = &cell->ram.ram[0];
	uint64_t kernel_end;
	char msg[384];

	if (nc_ram_layout(&cell->ram, c->memory, c->ion_base, c->ion_size, msg, sizeof(msg)))
		return CELL_ERR("%s:%u: %s", c->file,
				c->line_ion_base ? c->line_ion_base : c->line_memory, msg);
	if (nc_image_place(&cell->img, r0->gpa, r0->size, &cell->kernel_gpa, msg, sizeof(msg)))
		return CELL_ERR("%s:%u: %s", c->file, c->line_kernel, msg);
	kernel_end = cell->kernel_gpa + cell->img.image_size;
	if (c->initramfs && file_size(c->initramfs, &cell->initrd_size, err, errlen))
		return -1;
	if (nc_boot_place(r0->gpa, r0->size, kernel_end, cell->initrd_size, NC_FDT_MAX,
			  &cell->initrd_gpa, &cell->dtb_gpa, msg, sizeof(msg)))
		return CELL_ERR("%s:%u: %s", c->file,
				c->line_initramfs ? c->line_initramfs : c->line_memory, msg);
	if (!c->initramfs)
		cell->initrd_gpa = 0;
	return 0;
}

int nc_cell_prepare(struct nc_cell *cell, const char *path, char *err, size_t errlen)
{
	struct nc_config *c = &cell->cfg;
	int n;

	memset(cell, 0, sizeof(*cell));
	if (nc_config_load(c, path, err, errlen) || nc_config_check_files(c, err, errlen))
		return -1;
	if (cell_check_image(cell, err, errlen) || cell_place(cell, err, errlen))
		return -1;
	cell->nr_valves = c->nr_blk + c->net + c->input;

	/* console= first, then the cell's own words, then ion_base= always. */
	n = snprintf(cell->bootargs, sizeof(cell->bootargs), "console=ttyS0%s%s ion_base=0x%llx",
		     c->cmdline ? " " : "", c->cmdline ? c->cmdline : "",
		     (unsigned long long)c->ion_base);
	if (n < 0 || (size_t)n >= sizeof(cell->bootargs))
		return CELL_ERR("%s:%u: cmdline too long", c->file, c->line_cmdline);
	return 0;
}

void nc_cell_drop_kernel(struct nc_cell *cell)
{
	free(cell->kernel);
	cell->kernel = NULL;
}

void nc_cell_free(struct nc_cell *cell)
{
	nc_cell_drop_kernel(cell);
	nc_config_free(&cell->cfg);
}

int nc_cell_fdt(const struct nc_cell *cell, const uint64_t *mpidr, void *buf,
		size_t bufsz, size_t *size, char *err, size_t errlen)
{
	struct nc_fdt_params p;
	unsigned i;

	memset(&p, 0, sizeof(p));
	p.vcpus = cell->cfg.vcpus;
	for (i = 0; i < p.vcpus; i++)
		p.mpidr[i] = mpidr ? mpidr[i] : i;
	p.ram = cell->ram;
	p.bootargs = cell->bootargs;
	if (cell->initrd_gpa) {
		p.initrd_start = cell->initrd_gpa;
		p.initrd_end = cell->initrd_gpa + cell->initrd_size;
	}
	p.uart_base = NC_UART_BASE;
	p.uart_spi = NC_SPI_UART;
	p.gic_dist = NC_GIC_DIST_BASE;
	p.gic_redist = NC_GIC_REDIST_BASE;
	p.gic_redist_count = cell->cfg.vcpus;
	p.ion_base = cell->cfg.ion_base;
	p.ion_size = cell->cfg.ion_size;
	p.doorbell_gpa = NC_DOORBELL_BASE;
	p.nr_ion_irqs = cell->nr_valves;
	for (i = 0; i < cell->nr_valves; i++)
		p.ion_spi[i] = NC_SPI_ION_FIRST + i;
	return nc_fdt_build(buf, bufsz, &p, size, err, errlen);
}
