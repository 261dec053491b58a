// SPDX-License-Identifier: GPL-2.0
/*
 * nipcell-vmm: runs a NipCell, a Linux guest on arm64 KVM whose only link
 * to its host is the ION window.
 *
 *   nipcell-vmm run [-v|-q] [--report FILE] CELL
 *                                 boot the cell (arm64 hosts with /dev/kvm)
 *   nipcell-vmm check CELL        validate the cell file and every file it names
 *   nipcell-vmm dtb CELL -o FILE  write the device tree `run` would give the guest
 *   nipcell-vmm ctl SOCKET CMD... send one command to a running cell's control socket
 *
 * Exit status: enum nc_exit (machine.h, docs/nipcell-vmm.md).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <nipcell/ion.h>

#include "cell.h"
#include "ctl_client.h"
#include "machine.h"
#include "config/config.h"
#include "run.h"

#define NC_VERSION	"0.1.0"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: nipcell-vmm run [-v|-q] [--report FILE] CELL\n"
		"       nipcell-vmm check CELL\n"
		"       nipcell-vmm dtb CELL -o FILE\n"
		"       nipcell-vmm ctl SOCKET COMMAND...   (docs/control.md)\n"
		"       nipcell-vmm --version\n"
		"CELL is a cell.toml file (docs/cell-toml.md).\n"
		"run options:\n"
		"  -v, --verbose    also print every setup step that takes over 1 ms\n"
		"  -q, --quiet      print only errors and warnings\n"
		"                   (default: [cell] log, else the start line and the exit report)\n"
		"  --report FILE    write the exit report as JSON to FILE (docs/nipcell-vmm.md)\n");
}

static const char *valve_desc(const struct nc_config *c, unsigned v, char *buf, size_t len)
{
	if (v < c->nr_blk)
		snprintf(buf, len, "blk%u %s (%s%s)", v, c->blk[v].path,
			 c->blk[v].readonly ? "read-only" : "read-write",
			 c->blk[v].direct ? ", O_DIRECT" : "");
	else if (c->net && v == c->nr_blk)
		snprintf(buf, len, "net nx0 (tap %s, mac %02x:%02x:%02x:%02x:%02x:%02x, mtu %u)",
			 c->net_tap ? c->net_tap : "created at run", c->net_mac[0], c->net_mac[1],
			 c->net_mac[2], c->net_mac[3], c->net_mac[4], c->net_mac[5], c->net_mtu);
	else if (c->input && v == c->nr_blk + c->net)
		snprintf(buf, len, "input");
	else	/* the exports come last (ION order) */
		snprintf(buf, len, "export%u guest %s -> host /dev/ublkb* (ublk)",
			 v - c->nr_blk - c->net - c->input,
			 c->export_device[v - c->nr_blk - c->net - c->input]);
	return buf;
}

/* "uart1 0x09001000-0x09001fff SPI 2": where an instance sits. */
static const char *device_desc(const struct nc_dev *d, char *buf, size_t len)
{
	size_t n = snprintf(buf, len, "%-6s", d->name);
	unsigned r;

	for (r = 0; r < d->nr_regs && n < len; r++)
		n += snprintf(buf + n, len - n, " 0x%08llx-0x%08llx",
			      (unsigned long long)d->reg[r].base,
			      (unsigned long long)(d->reg[r].base + d->reg[r].size - 1));
	if (n < len && d->nr_spis == 1)
		snprintf(buf + n, len - n, " SPI %u", d->spi);
	else if (n < len && d->nr_spis)
		snprintf(buf + n, len - n, " SPIs %u-%u", d->spi, d->spi + d->nr_spis - 1);
	return buf;
}

/* What `run` will confine ([sandbox], docs/security.md). */
static void print_sandbox(const struct nc_config *c)
{
	if (c->sandbox_seccomp)
		printf("  sandbox    seccomp: on, one allowlist per thread (main, vcpu, ion, console-in, console-out, control); a forbidden call stops the cell (exit %d)\n",
		       NC_EXIT_SANDBOX);
	else
		printf("  sandbox    seccomp: OFF ([sandbox] seccomp = false; for debugging only)\n");
	printf("  sandbox    Landlock: will apply if the kernel has it (no file opened, created or executed after setup)\n");
	printf("  sandbox    privileges: no_new_privs, every capability dropped\n");
	if (c->sandbox_set_ids)
		printf("  sandbox    runs as uid %u (%s), gid %u%s%s%s after setup\n", c->sandbox_uid,
		       c->sandbox_user, c->sandbox_gid, c->sandbox_group ? " (" : "",
		       c->sandbox_group ? c->sandbox_group : "", c->sandbox_group ? ")" : "");
	else
		printf("  sandbox    keeps the uid and gid it is started with\n");
}

/* The device tree `run` would build; check and dtb build it too. */
static char dtb[NC_FDT_MAX];

/*
 * Prepares the cell and builds its device tree into dtb. On failure prints
 * why, frees the cell and returns -errno.
 */
static int load_cell(const char *path, struct nc_cell *cell, size_t *size)
{
	char err[512];
	int ret;

	ret = nc_cell_prepare(cell, path, err, sizeof(err));
	if (!ret)
		ret = nc_cell_fdt(cell, NULL, dtb, sizeof(dtb), size, err, sizeof(err));
	if (ret) {
		fprintf(stderr, "nipcell-vmm: %s\n", err);
		nc_cell_free(cell);
	}
	return ret;
}

static int cmd_check(const char *path)
{
	struct nc_cell cell;
	char buf[256];
	size_t size;
	unsigned i;

	if (load_cell(path, &cell, &size))
		return NC_EXIT_USAGE;
	printf("%s: ok: cell '%s', %u vCPU%s, %llu MiB RAM\n", path, cell.cfg.name,
	       cell.cfg.vcpus, cell.cfg.vcpus > 1 ? "s" : "",
	       (unsigned long long)(cell.cfg.memory >> 20));
	for (i = 0; i < cell.ram.nr_ram; i++)
		printf("  ram[%u]     0x%09llx-0x%09llx\n", i,
		       (unsigned long long)cell.ram.ram[i].gpa,
		       (unsigned long long)(cell.ram.ram[i].gpa + cell.ram.ram[i].size - 1));
	printf("  ion window 0x%09llx-0x%09llx%s\n", (unsigned long long)cell.cfg.ion_base,
	       (unsigned long long)(cell.cfg.ion_base + cell.cfg.ion_size - 1),
	       cell.cfg.ion_corrupt_magic ? " (test: corrupt magic)" : "");
	printf("  kernel     %s at 0x%llx (%llu bytes, image size %llu)\n", cell.cfg.kernel,
	       (unsigned long long)cell.kernel_gpa, (unsigned long long)cell.kernel_file_size,
	       (unsigned long long)cell.img.image_size);
	if (cell.initrd_gpa)
		printf("  initramfs  %s at 0x%llx (%llu bytes)\n", cell.cfg.initramfs,
		       (unsigned long long)cell.initrd_gpa, (unsigned long long)cell.initrd_size);
	printf("  dtb        at 0x%llx (%zu bytes)\n", (unsigned long long)cell.dtb_gpa, size);
	printf("  bootargs   %s\n", cell.bootargs);
	for (i = 0; i < cell.devs.nr; i++)
		printf("  device     %s\n", device_desc(&cell.devs.dev[i], buf, sizeof(buf)));
	for (i = 0; i < cell.nr_valves; i++)
		printf("  valve %u    %s\n", i, valve_desc(&cell.cfg, i, buf, sizeof(buf)));
	print_sandbox(&cell.cfg);
	for (i = 0; i < cell.cfg.nr_pci; i++)
		printf("  pci %u      host %s (vfio-pci) as 00:%02x.0\n", i, cell.cfg.pci[i].host, i);
	nc_cell_free(&cell);
	return NC_EXIT_OK;
}

static int cmd_dtb(const char *path, const char *out)
{
	struct nc_cell cell;
	size_t size, done = 0;
	ssize_t n;
	int fd, ret = NC_EXIT_OK;

	if (load_cell(path, &cell, &size))
		return NC_EXIT_USAGE;
	nc_cell_free(&cell);
	fd = open(out, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		fprintf(stderr, "nipcell-vmm: %s: %s\n", out, strerror(errno));
		return NC_EXIT_ERROR;
	}
	while (done < size) {
		n = write(fd, dtb + done, size - done);
		if (n <= 0) {
			fprintf(stderr, "nipcell-vmm: %s: %s\n", out, strerror(errno));
			ret = NC_EXIT_ERROR;
			break;
		}
		done += n;
	}
	if (close(fd) < 0 && ret == NC_EXIT_OK) {
		fprintf(stderr, "nipcell-vmm: %s: %s\n", out, strerror(errno));
		ret = NC_EXIT_ERROR;
	}
	return ret;
}

/* run [-v|-q] [--report FILE] CELL: NULL after printing why on a bad one. */
static const char *run_args(int argc, char **argv, struct nc_run_opts *o)
{
	int i;

	o->log = -1;
	o->report = NULL;
	for (i = 0; i < argc - 1; i++) {
		if (!strcmp(argv[i], "-v") || !strcmp(argv[i], "--verbose")) {
			o->log = NC_LOG_VERBOSE;
		} else if (!strcmp(argv[i], "-q") || !strcmp(argv[i], "--quiet")) {
			o->log = NC_LOG_QUIET;
		} else if (!strcmp(argv[i], "--report") && i + 2 < argc) {
			o->report = argv[++i];
		} else if (!strncmp(argv[i], "--report=", 9) && argv[i][9]) {
			o->report = argv[i] + 9;
		} else {
			fprintf(stderr, "nipcell-vmm: run: unknown option or missing argument '%s'\n",
				argv[i]);
			return NULL;
		}
	}
	if (argc < 1 || argv[argc - 1][0] == '-') {
		fprintf(stderr, "nipcell-vmm: run: no CELL given\n");
		return NULL;
	}
	return argv[argc - 1];
}

static int cmd_run(const char *path, const struct nc_run_opts *opts)
{
#ifdef __aarch64__
	return nc_run(path, opts);
#else
	(void)opts;
	struct nc_cell cell;
	size_t size;

	/* Still check the cell, so its errors show up on any machine. */
	if (load_cell(path, &cell, &size))
		return NC_EXIT_USAGE;
	nc_cell_free(&cell);
	fprintf(stderr,
		"nipcell-vmm: run needs an arm64 host with /dev/kvm; this build is for another\n"
		"architecture. On x86_64, run cells inside the nested arm64 KVM host, from a\n"
		"clone of the nipcell-vmm sources:\n"
		"  bash ci/nested-run SCENARIO_DIR    (docs/scenarios.md)\n"
		"`check`, `dtb` and `ctl` work here.\n");
	return NC_EXIT_ERROR;
#endif
}

int main(int argc, char **argv)
{
	if (argc == 2 && (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V"))) {
		printf("nipcell-vmm %s (ION ABI %d.%d)\n", NC_VERSION, ION_ABI_MAJOR, ION_ABI_MINOR);
		return NC_EXIT_OK;
	}
	if (argc == 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		usage(stdout);
		return NC_EXIT_OK;
	}
	if (argc >= 3 && !strcmp(argv[1], "run")) {
		struct nc_run_opts opts;
		const char *cell = run_args(argc - 2, argv + 2, &opts);

		if (!cell) {
			usage(stderr);
			return NC_EXIT_USAGE;
		}
		return cmd_run(cell, &opts);
	}
	if (argc == 3 && !strcmp(argv[1], "check"))
		return cmd_check(argv[2]);
	if (argc == 5 && !strcmp(argv[1], "dtb") && !strcmp(argv[3], "-o"))
		return cmd_dtb(argv[2], argv[4]);
	if (argc >= 4 && !strcmp(argv[1], "ctl"))
		return nc_ctl_client(argv[2], argc - 3, argv + 3);
	usage(stderr);
	return NC_EXIT_USAGE;
}
