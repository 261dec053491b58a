// SPDX-License-Identifier: GPL-2.0
/*
 * The keys of a cell file: for each table and key, its type, range, default
 * and the field it sets (docs/cell-toml.md has one section per key). Every
 * message names the key.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/un.h>

#include <nipcell/ion.h>

#include "arch/arm64/layout.h"
#include "config.h"
#include "internal.h"
#include "schema.h"

#define SZ_4K		0x1000ULL
#define SZ_2M		0x200000ULL

/* Room for the VMM's console= and ion_base= in the kernel's limit. */
_Static_assert(NC_CONFIG_CMDLINE_MAX + 128 <= NC_CMDLINE_MAX,
	       "NC_CONFIG_CMDLINE_MAX leaves the VMM no room");

/* ---- value helpers: each names x->key in its messages ---- */

static const char *type_name(enum nc_toml_type t)
{
	switch (t) {
	case NC_TOML_STRING:
		return "a string";
	case NC_TOML_INTEGER:
		return "an integer";
	default:
		return "a boolean";
	}
}

int nc_cfg_want(struct ctx *x, const struct nc_toml_value *v,
		enum nc_toml_type t)
{
	if (v->type == t)
		return 0;
	return nc_cfg_fail(x, v->pos, "%s must be %s, not %s", x->key->name,
			   type_name(t), type_name(v->type));
}

static int get_uint(struct ctx *x, const struct nc_toml_value *v,
		    uint64_t min, uint64_t max, uint64_t *out)
{
	if (nc_cfg_want(x, v, NC_TOML_INTEGER))
		return -EINVAL;
	if (v->i < 0 || (uint64_t)v->i < min || (uint64_t)v->i > max)
		return nc_cfg_fail(x, v->pos, max > 0xffff ?
				   "%s must be between 0x%llx and 0x%llx, not %lld" :
				   "%s must be between %llu and %llu, not %lld",
				   x->key->name, (unsigned long long)min,
				   (unsigned long long)max, (long long)v->i);
	*out = v->i;
	return 0;
}

/* A count or a time: an integer, in decimal in messages whatever its size. */
int nc_cfg_get_count(struct ctx *x, const struct nc_toml_value *v,
		     uint64_t min, uint64_t max, uint64_t *out)
{
	if (nc_cfg_want(x, v, NC_TOML_INTEGER))
		return -EINVAL;
	if (v->i < 0 || (uint64_t)v->i < min || (uint64_t)v->i > max)
		return nc_cfg_fail(x, v->pos, "%s must be between %llu and %llu, not %lld",
				   x->key->name, (unsigned long long)min,
				   (unsigned long long)max, (long long)v->i);
	*out = v->i;
	return 0;
}

int nc_cfg_get_size(struct ctx *x, const struct nc_toml_value *v,
		    uint64_t min, uint64_t max, uint64_t align, uint64_t *out)
{
	char a[24], b[24], c[24];
	uint64_t n = 0;

	if (v->type == NC_TOML_STRING) {
		if (nc_parse_size(v->str, &n))
			return nc_cfg_fail(x, v->pos, "%s: invalid size \"%s\": use digits with an optional K, M or G suffix, e.g. \"512M\"",
					   x->key->name, nc_shown(v->str));
	} else if (v->type == NC_TOML_INTEGER) {
		if (v->i < 0)
			return nc_cfg_fail(x, v->pos, "%s must be between %s and %s, not %lld",
					   x->key->name,
					   nc_format_size(min, a, sizeof(a)),
					   nc_format_size(max, b, sizeof(b)),
					   (long long)v->i);
		n = v->i;
	} else {
		return nc_cfg_fail(x, v->pos, "%s must be a size (a string such as \"512M\", or an integer), not %s",
				   x->key->name, type_name(v->type));
	}
	if (n < min || n > max)
		return nc_cfg_fail(x, v->pos, "%s must be between %s and %s, not %s",
				   x->key->name, nc_format_size(min, a, sizeof(a)),
				   nc_format_size(max, b, sizeof(b)),
				   nc_format_size(n, c, sizeof(c)));
	if (n & (align - 1))
		return nc_cfg_fail(x, v->pos, "%s must be a multiple of %s, not %s",
				   x->key->name, nc_format_size(align, a, sizeof(a)),
				   nc_format_size(n, b, sizeof(b)));
	*out = n;
	return 0;
}

static int get_bool(struct ctx *x, const struct nc_toml_value *v, bool *out)
{
	if (nc_cfg_want(x, v, NC_TOML_BOOLEAN))
		return -EINVAL;
	*out = v->b;
	return 0;
}

int nc_cfg_get_str(struct ctx *x, const struct nc_toml_value *v, char **out)
{
	if (nc_cfg_want(x, v, NC_TOML_STRING))
		return -EINVAL;
	if (!nc_printable(v->str))
		return nc_cfg_fail(x, v->pos, "%s must not contain control characters",
				   x->key->name);
	*out = strdup(v->str);
	if (!*out)
		return nc_cfg_fail(x, v->pos, "out of memory");
	return 0;
}

/* A path, resolved against the cell file's folder. */
static int get_path(struct ctx *x, const struct nc_toml_value *v, char **out)
{
	if (nc_cfg_want(x, v, NC_TOML_STRING))
		return -EINVAL;
	if (!v->str[0])
		return nc_cfg_fail(x, v->pos, "%s must not be empty", x->key->name);
	if (!nc_printable(v->str))
		return nc_cfg_fail(x, v->pos, "%s must not contain control characters",
				   x->key->name);
	*out = nc_path_resolve(x->c->dir, v->str);
	if (!*out)
		return nc_cfg_fail(x, v->pos, "out of memory");
	if (strlen(*out) >= PATH_MAX)
		return nc_cfg_fail(x, v->pos, "%s: path is longer than %d bytes",
				   x->key->name, PATH_MAX - 1);
	return 0;
}

/* ---- [cell] ---- */

static int set_name(struct ctx *x, const struct nc_toml_value *v)
{
	if (nc_cfg_get_str(x, v, &x->c->name))
		return -EINVAL;
	if (!nc_valid_name(x->c->name))
		return nc_cfg_fail(x, v->pos, "name \"%s\" is invalid: use 1 to %d letters, digits, '_', '.' or '-', starting with a letter or digit",
				   x->c->name, NC_CONFIG_NAME_MAX);
	return 0;
}

static int set_vcpus(struct ctx *x, const struct nc_toml_value *v)
{
	uint64_t n = 0;

	if (get_uint(x, v, 1, NC_MAX_VCPUS, &n))
		return -EINVAL;
	x->c->vcpus = n;
	x->c->line_vcpus = x->key_pos.line;
	return 0;
}

static int set_memory(struct ctx *x, const struct nc_toml_value *v)
{
	x->c->line_memory = x->key_pos.line;
	return nc_cfg_get_size(x, v, NC_RAM_MIN, NC_RAM_MAX, SZ_2M, &x->c->memory);
}

static int set_ksm(struct ctx *x, const struct nc_toml_value *v)
{
	return get_bool(x, v, &x->c->ksm);
}

static int set_log(struct ctx *x, const struct nc_toml_value *v)
{
	static const char *const levels[] = {
		[NC_LOG_QUIET] = "quiet", [NC_LOG_NORMAL] = "normal",
		[NC_LOG_VERBOSE] = "verbose",
	};
	unsigned i;

	if (nc_cfg_want(x, v, NC_TOML_STRING))
		return -EINVAL;
	for (i = 0; i < NC_ARRAY_SIZE(levels); i++) {
		if (!strcmp(v->str, levels[i])) {
			x->c->log = i;
			return 0;
		}
	}
	return nc_cfg_fail(x, v->pos, "log must be \"quiet\", \"normal\" or \"verbose\", not \"%s\"",
			   nc_shown(v->str));
	return 0;
}

static int set_restart(struct ctx *x, const struct nc_toml_value *v)
{
	if (nc_cfg_want(x, v, NC_TOML_STRING))
		return -EINVAL;
	if (!strcmp(v->str, "no"))
		x->c->restart = NC_RESTART_NO;
	else if (!strcmp(v->str, "on-failure"))
		x->c->restart = NC_RESTART_ON_FAILURE;
	else
		return nc_cfg_fail(x, v->pos, "restart must be \"no\" or \"on-failure\", not \"%s\"",
				   nc_shown(v->str));
	return 0;
}

static int set_restart_limit(struct ctx *x, const struct nc_toml_value *v)
{
	uint64_t n = 0;

	if (get_uint(x, v, 1, NC_RESTART_LIMIT_MAX, &n))
		return -EINVAL;
	x->c->restart_limit = n;
	return 0;
}

/* restart_limit means nothing without restart = "on-failure". */
static int close_cell(struct ctx *x)
{
	if (x->seen[6].line && x->c->restart != NC_RESTART_ON_FAILURE)
		return nc_cfg_fail(x, x->seen[6],
				   "restart_limit is only used with restart = \"on-failure\"");
	return 0;
}

/* ---- [boot] ---- */

static int set_kernel(struct ctx *x, const struct nc_toml_value *v)
{
	x->c->line_kernel = x->key_pos.line;
	return get_path(x, v, &x->c->kernel);
}

static int set_initramfs(struct ctx *x, const struct nc_toml_value *v)
{
	x->c->line_initramfs = x->key_pos.line;
	return get_path(x, v, &x->c->initramfs);
}

static int set_cmdline(struct ctx *x, const struct nc_toml_value *v)
{
	const char *s;

	x->c->line_cmdline = x->key_pos.line;
	if (nc_cfg_get_str(x, v, &x->c->cmdline))
		return -EINVAL;
	if (v->len > NC_CONFIG_CMDLINE_MAX)
		return nc_cfg_fail(x, v->pos, "cmdline is %zu bytes, more than %d",
				   v->len, NC_CONFIG_CMDLINE_MAX);
	for (s = v->str; (s = strstr(s, "ion_base=")); s++) {
		if (s == v->str || s[-1] == ' ' || s[-1] == '\t')
			return nc_cfg_fail(x, v->pos, "cmdline must not set ion_base=: the VMM sets it from [ion] base");
	}
	return 0;
}

/* ---- [ion] ---- */

static int set_ion_base(struct ctx *x, const struct nc_toml_value *v)
{
	uint64_t n = 0;

	x->c->line_ion_base = x->key_pos.line;
	if (get_uint(x, v, 0, NC_GPA_LIMIT - 1, &n))
		return -EINVAL;
	if (n & (SZ_2M - 1))
		return nc_cfg_fail(x, v->pos, "base 0x%llx is not a multiple of 2M (0x%llx)",
				   (unsigned long long)n, SZ_2M);
	x->c->ion_base = n;
	return 0;
}

static int set_ion_size(struct ctx *x, const struct nc_toml_value *v)
{
	x->c->line_ion_size = x->key_pos.line;
	return nc_cfg_get_size(x, v, ION_MIN_SIZE, ION_MAX_SIZE, SZ_4K,
			&x->c->ion_size);
}

static int set_ion_corrupt(struct ctx *x, const struct nc_toml_value *v)
{
	return get_bool(x, v, &x->c->ion_corrupt_magic);
}

static int close_ion(struct ctx *x)
{
	struct nc_config *c = x->c;

	if (c->ion_base + c->ion_size > NC_GPA_LIMIT)
		return nc_cfg_fail(x, x->seen[0].line ? x->seen[0] : x->seen[1],
				   "ion window [0x%llx, 0x%llx) ends above 2^40 (0x%llx)",
				   (unsigned long long)c->ion_base,
				   (unsigned long long)(c->ion_base + c->ion_size),
				   NC_GPA_LIMIT);
	return 0;
}

/* ---- [console] ---- */

static const char *const console_modes[] = {
	[NC_CONSOLE_STDIO] = "stdio",
	[NC_CONSOLE_FILE] = "file",
	[NC_CONSOLE_OFF] = "off",
};

static int set_console_mode(struct ctx *x, const struct nc_toml_value *v)
{
	unsigned i;

	if (nc_cfg_want(x, v, NC_TOML_STRING))
		return -EINVAL;
	for (i = 0; i < NC_ARRAY_SIZE(console_modes); i++) {
		if (!strcmp(v->str, console_modes[i])) {
			x->c->console_mode = i;
			return 0;
		}
	}
	return nc_cfg_fail(x, v->pos, "mode must be \"stdio\", \"file\" or \"off\", not \"%s\"",
			   nc_shown(v->str));
}

static int set_console_path(struct ctx *x, const struct nc_toml_value *v)
{
	x->c->line_console_path = x->key_pos.line;
	return get_path(x, v, &x->c->console_path);
}

static int set_console_max_size(struct ctx *x, const struct nc_toml_value *v)
{
	return nc_cfg_get_size(x, v, NC_CONSOLE_MAX_SIZE_MIN, NC_CONSOLE_MAX_SIZE_MAX, 1,
			&x->c->console_max_size);
}

static int close_console(struct ctx *x)
{
	struct nc_config *c = x->c;
	const char *mode = c->console_mode == NC_CONSOLE_OFF ? "off" : "stdio";

	if (c->console_mode == NC_CONSOLE_FILE && !c->console_path)
		return nc_cfg_fail(x, x->seen[0],
				   "mode = \"file\" needs a path = \"...\" in [console]");
	if (c->console_mode != NC_CONSOLE_FILE && c->console_path)
		return nc_cfg_fail(x, x->seen[1],
				   "path is only used with mode = \"file\"; the console mode is \"%s\"",
				   mode);
	if (c->console_mode != NC_CONSOLE_FILE && c->console_max_size)
		return nc_cfg_fail(x, x->seen[2],
				   "max_size is only used with mode = \"file\"; the console mode is \"%s\"",
				   mode);
	if (c->console_mode == NC_CONSOLE_FILE && !c->console_max_size)
		c->console_max_size = NC_CONSOLE_MAX_SIZE_DEFAULT;
	return 0;
}

/* ---- [serial] ---- */

static int open_serial(struct ctx *x)
{
	x->c->serial = true;
	x->c->serial_mode = NC_CONSOLE_FILE;
	return 0;
}

/* stdout and stdin are the console's: the second port is a file or off. */
static int set_serial_mode(struct ctx *x, const struct nc_toml_value *v)
{
	if (nc_cfg_want(x, v, NC_TOML_STRING))
		return -EINVAL;
	if (!strcmp(v->str, console_modes[NC_CONSOLE_FILE]))
		x->c->serial_mode = NC_CONSOLE_FILE;
	else if (!strcmp(v->str, console_modes[NC_CONSOLE_OFF]))
		x->c->serial_mode = NC_CONSOLE_OFF;
	else
		return nc_cfg_fail(x, v->pos, "mode must be \"file\" or \"off\", not \"%s\" (stdio belongs to [console])",
				   nc_shown(v->str));
	return 0;
}

static int set_serial_path(struct ctx *x, const struct nc_toml_value *v)
{
	x->c->line_serial_path = x->key_pos.line;
	return get_path(x, v, &x->c->serial_path);
}

static int close_serial(struct ctx *x)
{
	struct nc_config *c = x->c;

	if (c->serial_mode == NC_CONSOLE_FILE && !c->serial_path)
		return nc_cfg_fail(x, x->seen[0].line ? x->seen[0] : x->cur_pos,
				   "[serial] with mode = \"file\" needs a path = \"...\"");
	if (c->serial_mode != NC_CONSOLE_FILE && c->serial_path)
		return nc_cfg_fail(x, x->seen[1],
				   "path is only used with mode = \"file\"; the serial mode is \"off\"");
	if (c->serial_path && c->console_path &&
	    !strcmp(c->serial_path, c->console_path))
		return nc_cfg_fail(x, x->seen[1],
				   "path '%s' is already the [console] path", c->serial_path);
	return 0;
}

/* ---- [[blk]] ---- */

static struct nc_blk_cfg *cur_blk(struct ctx *x)
{
	return &x->c->blk[x->c->nr_blk - 1];
}

static int open_blk(struct ctx *x)
{
	if (x->c->nr_blk == NC_MAX_BLK)
		return nc_cfg_fail(x, x->cur_pos, "too many disks: at most %d [[blk]] tables",
				   NC_MAX_BLK);
	x->c->nr_blk++;
	return 0;
}

static int set_blk_path(struct ctx *x, const struct nc_toml_value *v)
{
	x->c->line_blk[x->c->nr_blk - 1] = x->key_pos.line;
	return get_path(x, v, &cur_blk(x)->path);
}

static int set_blk_readonly(struct ctx *x, const struct nc_toml_value *v)
{
	return get_bool(x, v, &cur_blk(x)->readonly);
}

static int set_blk_direct(struct ctx *x, const struct nc_toml_value *v)
{
	return get_bool(x, v, &cur_blk(x)->direct);
}

static int close_blk(struct ctx *x)
{
	struct nc_config *c = x->c;
	unsigned i, n = c->nr_blk - 1;

	if (!c->blk[n].path)
		return nc_cfg_fail(x, x->cur_pos, "[[blk]] needs a path = \"...\"");
	for (i = 0; i < n; i++) {
		if (!strcmp(c->blk[i].path, c->blk[n].path))
			return nc_cfg_fail(x, x->seen[0],
					   "path '%s' is already the disk of the [[blk]] on line %u",
					   c->blk[n].path, c->line_blk[i]);
	}
	return nc_cfg_close_budget(x, &c->blk[n].budget);
}

/* ---- [net] ---- */

static int open_net(struct ctx *x)
{
	x->c->net = true;
	x->c->line_net = x->cur_pos.line;
	return 0;
}

static int close_net(struct ctx *x)
{
	return nc_cfg_close_budget(x, &x->c->net_budget);
}

static int set_net_tap(struct ctx *x, const struct nc_toml_value *v)
{
	x->c->line_net_tap = x->key_pos.line;
	if (nc_cfg_get_str(x, v, &x->c->net_tap))
		return -EINVAL;
	if (!nc_valid_ifname(x->c->net_tap))
		return nc_cfg_fail(x, v->pos, "tap \"%s\" is not an interface name: 1 to 15 bytes without '/', ':' or blanks",
				   x->c->net_tap);
	return 0;
}

static int set_net_mac(struct ctx *x, const struct nc_toml_value *v)
{
	static const uint8_t zero[6];
	uint8_t *mac = x->c->net_mac;

	if (nc_cfg_want(x, v, NC_TOML_STRING))
		return -EINVAL;
	if (!nc_printable(v->str) || nc_parse_mac(v->str, mac))
		return nc_cfg_fail(x, v->pos, "mac \"%s\" is not a MAC address: write 6 hex pairs such as \"52:54:00:12:34:56\"",
				   nc_shown(v->str));
	if (mac[0] & 1)
		return nc_cfg_fail(x, v->pos, "mac \"%s\" is a multicast address: the first byte must be even",
				   v->str);
	if (!memcmp(mac, zero, sizeof(zero)))
		return nc_cfg_fail(x, v->pos, "mac must not be all zeros");
	return 0;
}

/* The ION host's own limits (config.h includes <nipcell/ion_host.h>). */
static int set_net_mtu(struct ctx *x, const struct nc_toml_value *v)
{
	uint64_t n = 0;

	if (get_uint(x, v, ION_HOST_NET_MIN_MTU, ION_HOST_NET_MAX_MTU, &n))
		return -EINVAL;
	x->c->net_mtu = n;
	return 0;
}

/* ---- [input], [control] ---- */

static int set_input(struct ctx *x, const struct nc_toml_value *v)
{
	return get_bool(x, v, &x->c->input);
}

static int set_control_socket(struct ctx *x, const struct nc_toml_value *v)
{
	size_t max = sizeof(((struct sockaddr_un *)0)->sun_path) - 1;

	x->c->line_control_socket = x->key_pos.line;
	if (get_path(x, v, &x->c->control_socket))
		return -EINVAL;
	if (strlen(x->c->control_socket) > max)
		return nc_cfg_fail(x, v->pos, "socket path '%s' is %zu bytes; a Unix socket path has at most %zu",
				   x->c->control_socket,
				   strlen(x->c->control_socket), max);
	return 0;
}

/* ---- [sandbox] ---- */

static int set_sandbox_seccomp(struct ctx *x, const struct nc_toml_value *v)
{
	return get_bool(x, v, &x->c->sandbox_seccomp);
}

/* A user or group: a name as in /etc/passwd, or a number. */
static int get_id(struct ctx *x, const struct nc_toml_value *v, char **out)
{
	if (nc_cfg_get_str(x, v, out))
		return -EINVAL;
	if (!**out || strlen(*out) > 32 || strpbrk(*out, ": \t/"))
		return nc_cfg_fail(x, v->pos, "%s must be a user or group name (1 to 32 characters, no ':', '/' or blanks) or a number, not \"%s\"",
				   x->key->name, nc_shown(*out));
	return 0;
}

static int set_sandbox_user(struct ctx *x, const struct nc_toml_value *v)
{
	x->c->line_sandbox_user = x->key_pos.line;
	return get_id(x, v, &x->c->sandbox_user);
}

static int set_sandbox_group(struct ctx *x, const struct nc_toml_value *v)
{
	x->c->line_sandbox_group = x->key_pos.line;
	return get_id(x, v, &x->c->sandbox_group);
}

/* ---- the schema ---- */

#define KEYS(k) .keys = k, \
	.nr_keys = NC_ARRAY_SIZE(k) + 0 * sizeof(char[NC_ARRAY_SIZE(k) <= NC_CFG_MAX_KEYS ? 1 : -1])

static const struct key cell_keys[] = {
	{ "name", set_name },
	{ "vcpus", set_vcpus },
	{ "memory", set_memory },
	{ "ksm", set_ksm },
	{ "log", set_log },
	{ "restart", set_restart },
	{ "restart_limit", set_restart_limit },	/* index 6: close_cell */
};
static const struct key boot_keys[] = {
	{ "kernel", set_kernel },
	{ "initramfs", set_initramfs },
	{ "cmdline", set_cmdline },
};
static const struct key ion_keys[] = {	/* base, size first: close_ion */
	{ "base", set_ion_base },
	{ "size", set_ion_size },
	{ "test_corrupt_magic", set_ion_corrupt },
};
static const struct key console_keys[] = {	/* close_console's order */
	{ "mode", set_console_mode },
	{ "path", set_console_path },
	{ "max_size", set_console_max_size },
};
static const struct key serial_keys[] = {	/* close_serial's order */
	{ "mode", set_serial_mode },
	{ "path", set_serial_path },
};
static const struct key blk_keys[] = {	/* path first: close_blk */
	{ "path", set_blk_path },
	{ "readonly", set_blk_readonly },
	{ "direct", set_blk_direct },
	NC_CFG_BUDGET_KEYS,	/* at NC_CFG_BUDGET_KEY0 */
};
static const struct key pci_keys[] = {
	{ "host", nc_cfg_set_pci_host },
};
static const struct key net_keys[] = {
	{ "tap", set_net_tap },
	{ "mac", set_net_mac },
	{ "mtu", set_net_mtu },
	NC_CFG_BUDGET_KEYS,	/* at NC_CFG_BUDGET_KEY0 */
};
static const struct key export_keys[] = {
	{ "guest_device", nc_cfg_set_export_device },
};
static const struct key input_keys[] = {
	{ "enabled", set_input },
};
static const struct key control_keys[] = {
	{ "socket", set_control_socket },
};

static const struct key sandbox_keys[] = {
	{ "seccomp", set_sandbox_seccomp },
	{ "user", set_sandbox_user },
	{ "group", set_sandbox_group },
};

static int close_boot(struct ctx *x)
{
	if (!x->c->kernel)
		return nc_cfg_fail(x, x->cur_pos, "[boot] needs a kernel = \"...\"");
	return 0;
}

const struct table nc_cfg_tables[] = {
	{ "cell", false, KEYS(cell_keys), .close = close_cell },
	{ "boot", false, KEYS(boot_keys), .close = close_boot },
	{ "ion", false, KEYS(ion_keys), .close = close_ion },
	{ "console", false, KEYS(console_keys), .close = close_console },
	{ "serial", false, KEYS(serial_keys), .open = open_serial,
	  .close = close_serial },
	{ "blk", true, KEYS(blk_keys), .open = open_blk, .close = close_blk },
	{ "net", false, KEYS(net_keys), .open = open_net, .close = close_net },
	{ "pci", true, KEYS(pci_keys), .open = nc_cfg_open_pci, .close = nc_cfg_close_pci },
	{ "input", false, KEYS(input_keys) },
	{ "control", false, KEYS(control_keys) },
	{ "sandbox", false, KEYS(sandbox_keys) },
	{ "export", true, KEYS(export_keys), .open = nc_cfg_open_export,
	  .close = nc_cfg_close_export },
};

const unsigned nc_cfg_nr_tables = NC_ARRAY_SIZE(nc_cfg_tables);

_Static_assert(NC_ARRAY_SIZE(nc_cfg_tables) <= NC_CFG_MAX_TABLES,
	       "schema.h: NC_CFG_MAX_TABLES too small");
_Static_assert(NC_ARRAY_SIZE(blk_keys) <= NC_CFG_MAX_KEYS &&
	       NC_ARRAY_SIZE(net_keys) <= NC_CFG_MAX_KEYS,
	       "schema.h: NC_CFG_MAX_KEYS too small");
_Static_assert(NC_ARRAY_SIZE(blk_keys) == NC_CFG_BUDGET_KEY0 + 6 &&
	       NC_ARRAY_SIZE(net_keys) == NC_CFG_BUDGET_KEY0 + 6,
	       "the budget keys follow three keys of the table's own");
