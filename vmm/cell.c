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

#include "arch/arm64/fdt.h"
#include "arch/arm64/layout.h"
#include "cell.h"
#include "dtb/bootargs.h"
#include "util/errf.h"
#include "vfio/sysfs.h"

#define CELL_ERR(ret, ...) nc_errf(ret, err, errlen, __VA_ARGS__)

int nc_read_file(const char *path, void *buf, uint64_t max, uint64_t *len,
		 char *err, size_t errlen)
{
	uint64_t done = 0;
	struct stat st;
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return CELL_ERR(-errno, "%s: %s", path, strerror(errno));
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return CELL_ERR(-EINVAL, "%s: not a regular file", path);
	}
	if ((uint64_t)st.st_size > max) {
		close(fd);
		return CELL_ERR(-EFBIG, "%s: %llu bytes does not fit in %llu", path,
				(unsigned long long)st.st_size, (unsigned long long)max);
	}
	while (done < (uint64_t)st.st_size) {
		n = read(fd, (char *)buf + done, st.st_size - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			int e = n ? errno : EIO;

			close(fd);
			return CELL_ERR(-e, "%s: read: %s", path, n ? strerror(e) :
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
		return CELL_ERR(-errno, "%s: %s", path, strerror(errno));
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

	ret = file_size(c->kernel, &cell->kernel_file_size, err, errlen);
	if (ret)
		return ret;
	if (cell->kernel_file_size > c->memory)
		return CELL_ERR(-EFBIG, "%s:%u: kernel '%s' (%llu bytes) is larger than the cell's memory",
				c->file, c->line_kernel, c->kernel,
				(unsigned long long)cell->kernel_file_size);
	buf = malloc(cell->kernel_file_size ? cell->kernel_file_size : 1);
	if (!buf)
		return CELL_ERR(-ENOMEM, "%s: out of memory", c->kernel);
	cell->kernel = buf;
	ret = nc_read_file(c->kernel, buf, cell->kernel_file_size, &len, err, errlen);
	if (ret)
		return ret;
	cell->kernel_file_size = len;
	ret = nc_image_parse(buf, len, c->kernel, &cell->img, msg, sizeof(msg));
	if (ret)
		return CELL_ERR(ret, "%s:%u: %s", c->file, c->line_kernel, msg);
	return 0;
}

/* Where kernel, initramfs and DTB go in RAM region 0. */
static int cell_place(struct nc_cell *cell, char *err, size_t errlen)
{
	const struct nc_config *c = &cell->cfg;
	const struct nc_region *r0 = &cell->ram.ram[0];
	uint64_t kernel_end;
	char msg[384];
	int ret;

	ret = nc_image_place(&cell->img, r0->gpa, r0->size, &cell->kernel_gpa, msg,
			     sizeof(msg));
	if (ret)
		return CELL_ERR(ret, "%s:%u: %s", c->file, c->line_kernel, msg);
	kernel_end = cell->kernel_gpa + cell->img.image_size;
	if (c->initramfs) {
		ret = file_size(c->initramfs, &cell->initrd_size, err, errlen);
		if (ret)
			return ret;
	}
	ret = nc_boot_place(r0->gpa, r0->size, kernel_end, cell->initrd_size,
			    NC_FDT_MAX, &cell->initrd_gpa, &cell->dtb_gpa, msg,
			    sizeof(msg));
	if (ret)
		return CELL_ERR(ret, "%s:%u: %s", c->file,
				c->line_initramfs ? c->line_initramfs : c->line_memory, msg);
	if (!c->initramfs)
		cell->initrd_gpa = 0;
	return 0;
}

void nc_cell_ion_spec(const struct nc_cell *cell, struct ion_host_spec *spec)
{
	const struct nc_config *c = &cell->cfg;
	unsigned i;

	memset(spec, 0, sizeof(*spec));
	spec->size = c->ion_size;
	spec->doorbell_gpa = NC_DOORBELL_BASE;
	spec->nr_blk = c->nr_blk;
	for (i = 0; i < c->nr_blk; i++) {
		spec->blk[i].path = c->blk[i].path;
		spec->blk[i].readonly = c->blk[i].readonly;
		spec->blk[i].direct = c->blk[i].direct;
		spec->blk[i].budget = c->blk[i].budget;
	}
	spec->net = c->net;
	spec->net_cfg.tap = c->net_tap;
	memcpy(spec->net_cfg.mac, c->net_mac, sizeof(spec->net_cfg.mac));
	spec->net_cfg.mtu = c->net_mtu;
	spec->net_cfg.budget = c->net_budget;
	spec->input = c->input;
	spec->nr_export = c->nr_export;
	for (i = 0; i < c->nr_export; i++)
		spec->export[i].guest_device = c->export_device[i];
	spec->corrupt_magic = c->ion_corrupt_magic;
}

/* The line of the cell file a window or device message is about. */
static unsigned layout_line(const struct nc_config *c)
{
	return c->line_ion_base ? c->line_ion_base :
	       c->line_ion_size ? c->line_ion_size : c->line_memory;
}

/*
 * The valves' own checks, as `run` will make them (ion_host_create() runs
 * the same code first): a window too small for its valves is about [ion]
 * size, anything else (MTU, tap, MAC) about [net].
 */
static int cell_check_ion(const struct nc_cell *cell, char *err, size_t errlen)
{
	const struct nc_config *c = &cell->cfg;
	struct ion_host_spec spec;
	unsigned line;
	char msg[384];
	int ret;

	nc_cell_ion_spec(cell, &spec);
	ret = ion_host_check(&spec, msg, sizeof(msg));
	if (!ret)
		return 0;
	if (ret == -ENOSPC)
		line = c->line_ion_size ? c->line_ion_size :
		       c->nr_blk ? c->line_blk[0] :
		       c->nr_export ? c->line_export[0] : c->line_net;
	else
		line = c->line_net;
	if (line)
		return CELL_ERR(ret, "%s:%u: %s", c->file, line, msg);
	return CELL_ERR(ret, "%s: %s", c->file, msg);
}

int nc_cell_plan(struct nc_cell *cell, char *err, size_t errlen)
{
	const struct nc_config *c = &cell->cfg;
	char msg[384], args[NC_CMDLINE_MAX];
	int ret, n;

	ret = nc_ram_layout(&cell->ram, c->memory, c->ion_base, c->ion_size, msg,
			    sizeof(msg));
	if (ret)
		return CELL_ERR(ret, "%s:%u: %s", c->file, layout_line(c), msg);
	ret = nc_devices_plan(&cell->devs, c, &cell->ram, msg, sizeof(msg));
	if (ret)
		return CELL_ERR(ret, "%s:%u: %s", c->file, layout_line(c), msg);
	cell->nr_valves = nc_config_nr_valves(c);
	ret = cell_check_ion(cell, err, errlen);
	if (ret)
		return ret;

	/* console= first, then the cell's own words; ion_base= is added once. */
	n = snprintf(args, sizeof(args), "console=ttyS0%s%s", c->cmdline ? " " : "",
		     c->cmdline ? c->cmdline : "");
	if (n < 0 || (size_t)n >= sizeof(args))
		return CELL_ERR(-E2BIG, "%s:%u: cmdline too long", c->file, c->line_cmdline);
	ret = nc_bootargs_ion(cell->bootargs, sizeof(cell->bootargs), args, c->ion_base,
			      msg, sizeof(msg));
	if (ret < 0)
		return CELL_ERR(ret, "%s:%u: %s", c->file, c->line_cmdline, msg);
	return 0;
}

int nc_cell_prepare(struct nc_cell *cell, const char *path, char *err, size_t errlen)
{
	struct nc_config *c = &cell->cfg;
	int ret;

	memset(cell, 0, sizeof(*cell));
	ret = nc_config_load(c, path, err, errlen);
	if (!ret)
		ret = nc_config_check_files(c, err, errlen);
	/* [sandbox] user and group: now, while /etc may still be read. */
	if (!ret)
		ret = nc_config_resolve_ids(c, "/etc/passwd", "/etc/group", err, errlen);
	if (!ret)
		ret = nc_vfio_check_cell(c, "", err, errlen);
	if (ret)
		return ret;
	ret = cell_check_image(cell, err, errlen);
	if (!ret)
		ret = nc_cell_plan(cell, err, errlen);
	if (!ret)
		ret = cell_place(cell, err, errlen);
	return ret;
}

void nc_cell_drop_kernel(struct nc_cell *cell)
{
	free(cell->kernel);
	cell->kernel = NULL;
}

void nc_cell_free(struct nc_cell *cell)
{
	nc_cell_drop_kernel(cell);
	free(cell->initrd);
	cell->initrd = NULL;
	nc_config_free(&cell->cfg);
}

int nc_cell_fdt(const struct nc_cell *cell, const uint64_t *mpidr, void *buf,
		size_t bufsz, size_t *size, char *err, size_t errlen)
{
	struct nc_fdt_params p;
	unsigned i;

	memset(&p, 0, sizeof(p));
	p.vcpus = cell->cfg.vcpus;
	for (i = 0; i < p.vcpus && i < NC_MAX_VCPUS; i++)
		p.mpidr[i] = mpidr ? mpidr[i] : i;
	p.ram = cell->ram;
	p.bootargs = cell->bootargs;
	if (cell->initrd_gpa) {
		p.initrd_start = cell->initrd_gpa;
		p.initrd_end = cell->initrd_gpa + cell->initrd_size;
	}
	return nc_arm64_fdt_build(buf, bufsz, &p, &cell->devs, &cell->cfg, size,
				  err, errlen);
}
