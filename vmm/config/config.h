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
#define NC_MAX_PCI		4		/* [[pci]] tables */
#define NC_PCI_ADDR_LEN		12		/* "DDDD:BB:DD.F" */
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
	struct ion_budget budget;	/* bw_* and ops_* keys; 0: no limit */
};

/* [cell] log: how much `run` prints (errors always print). */
enum nc_log_level {
	NC_LOG_QUIET,			/* errors and warnings only */
	NC_LOG_NORMAL,			/* the start line and the exit report */
	NC_LOG_VERBOSE,			/* and every setup step's time */
};

/* A host PCI device passed through to the cell (VFIO). */
struct nc_pci_cfg {
	char host[NC_PCI_ADDR_LEN + 1];	/* "0000:00:01.0", lower case */
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
	enum nc_log_level log;		/* default NC_LOG_NORMAL */
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
	struct ion_budget net_budget;	/* bw_* and ops_* keys; 0: no limit */

	/* [[pci]] */
	unsigned nr_pci;
	struct nc_pci_cfg pci[NC_MAX_PCI];

	/* [[export]]: guest block devices served to the host (ublk) */
	unsigned nr_export;
	char *export_device[NC_MAX_EXPORT];

	/* [input] */
	bool input;

	/* [control] */
	char *control_socket;		/* resolved, or NULL */

	/* [sandbox] (docs/security.md) */
	bool sandbox_seccomp;		/* default true */
	char *sandbox_user;		/* a name or a number, or NULL */
	char *sandbox_group;		/* likewise */
	/* resolved by nc_config_check_files() */
	bool sandbox_set_ids;		/* user (and group) given */
	unsigned sandbox_uid, sandbox_gid;

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
	unsigned line_pci[NC_MAX_PCI];	/* the host = line of each device */
	unsigned line_control_socket;
	unsigned line_sandbox_user, line_sandbox_group;
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
 * folders of the console file and of the control socket exist; [sandbox]
 * user and group name a user and group of /etc/passwd and /etc/group (or
 * are numbers), resolved into sandbox_uid and sandbox_gid. Returns 0, or
 * -EINVAL with err filled ("cell.toml:5: kernel 'Image': No such file or
 * directory").
 */
int nc_config_check_files(const struct nc_config *c, char *err, size_t errlen);

/*
 * [sandbox] user and group into c->sandbox_uid/gid, names looked up in
 * passwd and group (files in /etc/passwd format). A user without group
 * takes its primary group from passwd; a number need not be in passwd, but
 * then group must be set. Returns 0, or -EINVAL with err filled
 * ("cell.toml:12: [sandbox] user 'nc-cell': no such user in /etc/passwd").
 */
int nc_config_resolve_ids(struct nc_config *c, const char *passwd, const char *group,
			  char *err, size_t errlen);

/* Valves the cell has, in ION order: every blk, then net, input, export. */
static inline unsigned nc_config_nr_valves(const struct nc_config *c)
{
	return c->nr_blk + c->net + c->input + c->nr_export;
}

/* Free everything c owns and zero it. */
void nc_config_free(struct nc_config *c);

#endif /* NC_CONFIG_H */
