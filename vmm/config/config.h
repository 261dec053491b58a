/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cell.toml: the configuration of one NipCell. docs/cell-toml.md is the
 * reference for every table and key; this header is the parsed result.
 *
 * Every error is one line in err, in the form compilers use:
 *   FILE:LINE:COL: message    a syntax or value error (LINE, COL from 1;
 *                             COL counts bytes)
 *   FILE:LINE: message        nc_config_check_files(), about a path
 *   FILE: message             the file as a whole (missing, too large)
 * FILE is the path as the caller gave it.
 */
#ifndef NC_CONFIG_H
#define NC_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <nipcell/ion_host.h>

#define NC_MAX_BLK		ION_HOST_MAX_BLK	/* [[blk]] tables */
#define NC_MAX_EXPORT		ION_HOST_MAX_EXPORT	/* [[export]] tables */
#define NC_RESTART_LIMIT_DEFAULT	3	/* [cell] restart_limit */
#define NC_RESTART_LIMIT_MAX		100
#define NC_CONFIG_MAX_SIZE	65536		/* bytes in a cell file */
#define NC_CONFIG_NAME_MAX	64		/* characters in [cell] name */
#define NC_CONFIG_CMDLINE_MAX	1536		/* bytes in [boot] cmdline */

/* [console] max_size: the bytes one run writes to a file console */
#define NC_CONSOLE_MAX_SIZE_DEFAULT	(64ULL << 20)
#define NC_CONSOLE_MAX_SIZE_MIN		(4ULL << 10)
#define NC_CONSOLE_MAX_SIZE_MAX		(16ULL << 30)

struct nc_blk_cfg {
	char *path;			/* resolved against nc_config.dir */
	bool readonly;
	bool direct;			/* open with O_DIRECT */
};

/* [cell] restart: what a guest reset or crash does to the cell */
enum nc_restart {
	NC_RESTART_NO,			/* the VMM exits (NC_EXIT_RESET/CRASH) */
	NC_RESTART_ON_FAILURE,		/* a new guest, in the same process */
};

enum nc_console_mode {
	NC_CONSOLE_STDIO,
	NC_CONSOLE_FILE,
	NC_CONSOLE_OFF,
};

struct nc_config {
	char *file;			/* the cell file, as given */
	char *dir;			/* its folder ("." for a bare file name) */

	/* [cell] */
	char *name;			/* default: the folder's name */
	unsigned vcpus;
	uint64_t memory;		/* bytes */
	bool ksm;			/* MADV_MERGEABLE on guest RAM */
	enum nc_restart restart;
	unsigned restart_limit;		/* restarts per run */

	/* [boot]: kernel and initramfs resolved against dir */
	char *kernel;
	char *initramfs;		/* or NULL */
	char *cmdline;			/* or NULL; appended to the VMM's own */

	/* [ion] */
	uint64_t ion_base;		/* guest physical */
	uint64_t ion_size;		/* bytes */
	bool ion_corrupt_magic;		/* test only: seed a wrong magic */

	/* [console] */
	enum nc_console_mode console_mode;
	char *console_path;		/* resolved; set only for NC_CONSOLE_FILE */
	uint64_t console_max_size;	/* bytes; set only for NC_CONSOLE_FILE */

	/* [serial]: a second UART (ttyS1); serial is true when present */
	bool serial;
	enum nc_console_mode serial_mode;	/* NC_CONSOLE_FILE or _OFF */
	char *serial_path;		/* resolved; set only for NC_CONSOLE_FILE */

	/* [[blk]] */
	unsigned nr_blk;
	struct nc_blk_cfg blk[NC_MAX_BLK];

	/* [net]: net is true when the table is present */
	bool net;
	char *net_tap;			/* or NULL: the VMM creates a tap */
	uint8_t net_mac[6];
	uint16_t net_mtu;

	/* [[export]]: guest block devices served to the host (ublk) */
	unsigned nr_export;
	char *export_device[NC_MAX_EXPORT];

	/* [input] */
	bool input;

	/* [control] */
	char *control_socket;		/* resolved, or NULL */

	/*
	 * The line each setting came from (0: not in the file), so that later
	 * checks can report FILE:LINE like the parser does.
	 */
	unsigned line_vcpus, line_memory;
	unsigned line_kernel, line_initramfs, line_cmdline;
	unsigned line_ion_base, line_ion_size;
	unsigned line_console_path, line_serial_path;
	unsigned line_blk[NC_MAX_BLK];	/* the path = line of each disk */
	unsigned line_export[NC_MAX_EXPORT];	/* each [[export]] header */
	unsigned line_net, line_net_tap;
	unsigned line_control_socket;
};

/*
 * Parse len bytes of text (need not be NUL-terminated; never read past len)
 * as the cell file named file (not NULL; relative paths in it resolve
 * against its folder). Returns 0, or -EINVAL with err filled and *c left empty
 * (safe to nc_config_free()). *c need not be initialised.
 */
int nc_config_parse(struct nc_config *c, const char *file, const char *text,
		    size_t len, char *err, size_t errlen);

/*
 * Read and parse the cell file at path: at most NC_CONFIG_MAX_SIZE bytes, no
 * NUL bytes. Returns 0, or -errno (-ENOENT, -EISDIR, -EFBIG, -EINVAL...) with
 * err filled ("cell.toml: No such file or
 * directory").
 */
int nc_config_load(struct nc_config *c, const char *path, char *err,
		   size_t errlen);

/*
 * Check that every file the cell refers to is usable: kernel and initramfs
 * readable regular files; each disk a regular file or block device, readable
 * and, unless readonly, writable, and no two disks the same file; the
 * folders of the console file and of the control socket exist. Returns 0, or
 * -EINVAL with err filled ("cell.toml:5: kernel 'Image': No such file or
 * directory").
 */
int nc_config_check_files(const struct nc_config *c, char *err, size_t errlen);

/* Valves the cell has, in ION order: every blk, then net, input, export. */
static inline unsigned nc_config_nr_valves(const struct nc_config *c)
{
	return c->nr_blk + c->net + c->input + c->nr_export;
}

/* Free everything c owns and zero it. */
void nc_config_free(struct nc_config *c);

#endif /* NC_CONFIG_H */
