// SPDX-License-Identifier: GPL-2.0
/*
 * The cell file schema: which tables and keys exist, their types, ranges and
 * defaults (docs/cell-toml.md has one section per key), on top of the TOML
 * subset reader in toml.c.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/un.h>

#include <nipcell/ion.h>

#include "arch/arm64/layout.h"
#include "config.h"
#include "internal.h"
#include "toml.h"

#define SZ_4K		0x1000ULL
#define SZ_2M		0x200000ULL
#define NC_IPA_LIMIT	(1ULL << 40)	/* KVM's default guest IPA size */
#define MAX_KEYS	4		/* per table */

static const uint8_t default_mac[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };

struct ctx;

struct key {
	const char *name;
	int (*set)(struct ctx *x, const struct nc_toml_value *v);
};

struct table {
	const char *name;
	bool array;			/* [[name]] */
	const struct key *keys;
	unsigned nr_keys;
	int (*open)(struct ctx *x);	/* at its header */
	int (*close)(struct ctx *x);	/* at the next header or the end */
};

struct ctx {
	struct nc_config *c;
	char *err;
	size_t errlen;
	const struct table *cur;	/* NULL before the first header */
	struct nc_toml_pos cur_pos;	/* of cur's header */
	const struct key *key;		/* the key being set */
	struct nc_toml_pos key_pos;
	struct nc_toml_pos seen[MAX_KEYS];	/* of cur's keys; line 0: unset */
	struct nc_toml_pos first[16];	/* first header of each table */
};

static int fail(struct ctx *x, struct nc_toml_pos p, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(struct ctx *x, struct nc_toml_pos p, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	nc_config_verror(x->err, x->errlen, x->c->file, p.line, p.col, fmt, ap);
	va_end(ap);
	return -1;
}

/* ---- value helpers: each names x->key in its messages ---- */

/* s, for quoting in a message, which must stay one line */
static const char *shown(const char *s)
{
	return nc_printable(s) ? s : "(with control characters)";
}

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

static int want(struct ctx *x, const struct nc_toml_value *v,
		enum nc_toml_type t)
{
	if (v->type == t)
		return 0;
	return fail(x, v->pos, "%s must be %s, not %s", x->key->name,
		    type_name(t), type_name(v->type));
}

static int get_uint(struct ctx *x, const struct nc_toml_value *v,
		    uint64_t min, uint64_t max, uint64_t *out)
{
	if (want(x, v, NC_TOML_INTEGER))
		return -1;
	if (v->i < 0 || (uint64_t)v->i < min || (uint64_t)v->i > max)
		return fail(x, v->pos, max > 0xffff ?
			    "%s must be between 0x%llx and 0x%llx, not %lld" :
			    "%s must be between %llu and %llu, not %lld",
			    x->key->name, (unsigned long long)min,
			    (unsigned long long)max, (long long)v->i);
	*out = v->i;
	return 0;
}

static int get_size(struct ctx *x, const struct nc_toml_value *v,
		    uint64_t min, uint64_t max, uint64_t align, uint64_t *out)
{
	char a[24], b[24], c[24];
	uint64_t n = 0;

	if (v->type == NC_TOML_STRING) {
		if (nc_parse_size(v->str, &n))
			return fail(x, v->pos, "%s: invalid size \"%s\": use digits with an optional K, M or G suffix, e.g. \"512M\"",
				    x->key->name, shown(v->str));
	} else if (v->type == NC_TOML_INTEGER) {
		if (v->i < 0)
			return fail(x, v->pos, "%s must be between %s and %s, not %lld",
				    x->key->name,
				    nc_format_size(min, a, sizeof(a)),
				    nc_format_size(max, b, sizeof(b)),
				    (long long)v->i);
		n = v->i;
	} else {
		return fail(x, v->pos, "%s must be a size (a string such as \"512M\", or an integer), not %s",
			    x->key->name, type_name(v->type));
	}
	if (n < min || n > max)
		return fail(x, v->pos, "%s must be between %s and %s, not %s",
			    x->key->name, nc_format_size(min, a, sizeof(a)),
			    nc_format_size(max, b, sizeof(b)),
			    nc_format_size(n, c, sizeof(c)));
	if (n & (align - 1))
		return fail(x, v->pos, "%s must be a multiple of %s, not %s",
			    x->key->name, nc_format_size(align, a, sizeof(a)),
			    nc_format_size(n, b, sizeof(b)));
	*out = n;
	return 0;
}

static int get_bool(struct ctx *x, const struct nc_toml_value *v, bool *out)
{
	if (want(x, v, NC_TOML_BOOLEAN))
		return -1;
	*out = v->b;
	return 0;
}

static int get_str(struct ctx *x, const struct nc_toml_value *v, char **out)
{
	if (want(x, v, NC_TOML_STRING))
		return -1;
	if (!nc_printable(v->str))
		return fail(x, v->pos, "%s must not contain control characters",
			    x->key->name);
	*out = strdup(v->str);
	if (!*out)
		return fail(x, v->pos, "out of memory");
	return 0;
}

/* A path, resolved against the cell file's folder. */
static int get_path(struct ctx *x, const struct nc_toml_value *v, char **out)
{
	if (want(x, v, NC_TOML_STRING))
		return -1;
	if (!v->str[0])
		return fail(x, v->pos, "%s must not be empty", x->key->name);
	if (!nc_printable(v->str))
		return fail(x, v->pos, "%s must not contain control characters",
			    x->key->name);
	*out = nc_path_resolve(x->c->dir, v->str);
	if (!*out)
		return fail(x, v->pos, "out of memory");
	if (strlen(*out) >= PATH_MAX)
		return fail(x, v->pos, "%s: path is longer than %d bytes",
			    x->key->name, PATH_MAX - 1);
	return 0;
}

/* ---- [cell] ---- */

static int set_name(struct ctx *x, const struct nc_toml_value *v)
{
	if (get_str(x, v, &x->c->name))
		return -1;
	if (!nc_valid_name(x->c->name))
		return fail(x, v->pos, "name \"%s\" is invalid: use 1 to %d letters, digits, '_', '.' or '-', starting with a letter or digit",
			    x->c->name, NC_CONFIG_NAME_MAX);
	return 0;
}

static int set_vcpus(struct ctx *x, const struct nc_toml_value *v)
{
	uint64_t n = 0;

	if (get_uint(x, v, 1, NC_MAX_VCPUS, &n))
		return -1;
	x->c->vcpus = n;
	x->c->line_vcpus = x->key_pos.line;
	return 0;
}

static int set_memory(struct ctx *x, const struct nc_toml_value *v)
{
	x->c->line_memory = x->key_pos.line;
	return get_size(x, v, NC_RAM_MIN, NC_RAM_MAX, SZ_2M, &x->c->memory);
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
	if (get_str(x, v, &x->c->cmdline))
		return -1;
	if (v->len > NC_CONFIG_CMDLINE_MAX)
		return fail(x, v->pos, "cmdline is %zu bytes, more than %d",
			    v->len, NC_CONFIG_CMDLINE_MAX);
	for (s = v->str; (s = strstr(s, "ion_base=")); s++) {
		if (s == v->str || s[-1] == ' ' || s[-1] == '\t')
			return fail(x, v->pos, "cmdline must not set ion_base=: the VMM sets it from [ion] base");
	}
	return 0;
}

/* ---- [ion] ---- */

static int set_ion_base(struct ctx *x, const struct nc_toml_value *v)
{
	uint64_t n = 0;

	x->c->line_ion_base = x->key_pos.line;
	if (get_uint(x, v, 0, NC_IPA_LIMIT - 1, &n))
		return -1;
	if (n & (SZ_2M - 1))
		return fail(x, v->pos, "base 0x%llx is not a multiple of 2M (0x%llx)",
			    (unsigned long long)n, SZ_2M);
	x->c->ion_base = n;
	return 0;
}

static int set_ion_size(struct ctx *x, const struct nc_toml_value *v)
{
	x->c->line_ion_size = x->key_pos.line;
	return get_size(x, v, ION_MIN_SIZE, ION_MAX_SIZE, SZ_4K,
			&x->c->ion_size);
}

static int set_ion_corrupt(struct ctx *x, const struct nc_toml_value *v)
{
	return get_bool(x, v, &x->c->ion_corrupt_magic);
}

static int close_ion(struct ctx *x)
{
	struct nc_config *c = x->c;

	if (c->ion_base + c->ion_size > NC_IPA_LIMIT)
		return fail(x, x->seen[0].line ? x->seen[0] : x->seen[1],
			    "ion window [0x%llx, 0x%llx) ends above 2^40 (0x%llx)",
			     (unsigned long long)c->ion_base,
			     (unsigned long long)(c->ion_base + c->ion_size),
			     NC_IPA_LIMIT);
	return 0;
}

/* ---- [console] ---- */

static int set_console_mode(struct ctx *x, const struct nc_toml_value *v)
{
	static const char *const modes[] = {
		[NC_CONSOLE_STDIO] = "stdio",
		[NC_CONSOLE_FILE] = "file",
		[NC_CONSOLE_OFF] = "off",
	};
	unsigned i;

	if (want(x, v, NC_TOML_STRING))
		return -1;
	for (i = 0; i < NC_ARRAY_SIZE(modes); i++) {
		if (!strcmp(v->str, modes[i])) {
			x->c->console_mode = i;
			return 0;
		}
	}
	return fail(x, v->pos, "mode must be \"stdio\", \"file\" or \"off\", not \"%s\"",
		    shown(v->str));
}

static int set_console_path(struct ctx *x, const struct nc_toml_value *v)
{
	x->c->line_console_path = x->key_pos.line;
	return get_path(x, v, &x->c->console_path);
}

static int close_console(struct ctx *x)
{
	struct nc_config *c = x->c;

	if (c->console_mode == NC_CONSOLE_FILE && !c->console_path)
		return fail(x, x->seen[0],
			    "mode = \"file\" needs a path = \"...\" in [console]");
	if (c->console_mode != NC_CONSOLE_FILE && c->console_path)
		return fail(x, x->seen[1],
			    "path is only used with mode = \"file\"; the console mode is \"%s\"",
			    c->console_mode == NC_CONSOLE_OFF ? "off" : "stdio");
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
		return fail(x, x->cur_pos, "too many disks: at most %d [[blk]] tables",
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
		return fail(x, x->cur_pos, "[[blk]] needs a path = \"...\"");
	for (i = 0; i < n; i++) {
		if (!strcmp(c->blk[i].path, c->blk[n].path))
			return fail(x, x->seen[0],
				    "path '%s' is already the disk of the [[blk]] on line %u",
				    c->blk[n].path, c->line_blk[i]);
	}
	return 0;
}

/* ---- [net] ---- */

static int open_net(struct ctx *x)
{
	x->c->net = true;
	x->c->line_net = x->cur_pos.line;
	return 0;
}

static int set_net_tap(struct ctx *x, const struct nc_toml_value *v)
{
	x->c->line_net_tap = x->key_pos.line;
	if (get_str(x, v, &x->c->net_tap))
		return -1;
	if (!nc_valid_ifname(x->c->net_tap))
		return fail(x, v->pos, "tap \"%s\" is not an interface name: 1 to 15 bytes without '/', ':' or blanks",
			    x->c->net_tap);
	return 0;
}

static int set_net_mac(struct ctx *x, const struct nc_toml_value *v)
{
	static const uint8_t zero[6];
	uint8_t *mac = x->c->net_mac;

	if (want(x, v, NC_TOML_STRING))
		return -1;
	if (!nc_printable(v->str) || nc_parse_mac(v->str, mac))
		return fail(x, v->pos, "mac \"%s\" is not a MAC address: write 6 hex pairs such as \"52:54:00:12:34:56\"",
			    shown(v->str));
	if (mac[0] & 1)
		return fail(x, v->pos, "mac \"%s\" is a multicast address: the first byte must be even",
			    v->str);
	if (!memcmp(mac, zero, sizeof(zero)))
		return fail(x, v->pos, "mac must not be all zeros");
	return 0;
}

static int set_net_mtu(struct ctx *x, const struct nc_toml_value *v)
{
	uint64_t n = 0;

	if (get_uint(x, v, 68, 9000, &n))
		return -1;
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
		return -1;
	if (strlen(x->c->control_socket) > max)
		return fail(x, v->pos, "socket path '%s' is %zu bytes; a Unix socket path has at most %zu",
			    x->c->control_socket,
			    strlen(x->c->control_socket), max);
	return 0;
}

/* ---- the schema ---- */

#define KEYS(k) .keys = k, .nr_keys = NC_ARRAY_SIZE(k)

static const struct key cell_keys[] = {
	{ "name", set_name },
	{ "vcpus", set_vcpus },
	{ "memory", set_memory },
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
};
static const struct key blk_keys[] = {	/* path first: close_blk */
	{ "path", set_blk_path },
	{ "readonly", set_blk_readonly },
	{ "direct", set_blk_direct },
};
static const struct key net_keys[] = {
	{ "tap", set_net_tap },
	{ "mac", set_net_mac },
	{ "mtu", set_net_mtu },
};
static const struct key input_keys[] = {
	{ "enabled", set_input },
};
static const struct key control_keys[] = {
	{ "socket", set_control_socket },
};

static int close_boot(struct ctx *x);

static const struct table tables[] = {
	{ "cell", false, KEYS(cell_keys) },
	{ "boot", false, KEYS(boot_keys), .close = close_boot },
	{ "ion", false, KEYS(ion_keys), .close = close_ion },
	{ "console", false, KEYS(console_keys), .close = close_console },
	{ "blk", true, KEYS(blk_keys), .open = open_blk, .close = close_blk },
	{ "net", false, KEYS(net_keys), .open = open_net },
	{ "input", false, KEYS(input_keys) },
	{ "control", false, KEYS(control_keys) },
};

_Static_assert(NC_ARRAY_SIZE(tables) <= NC_ARRAY_SIZE(((struct ctx *)0)->first),
	       "struct ctx: first[] too small");

static int close_boot(struct ctx *x)
{
	if (!x->c->kernel)
		return fail(x, x->cur_pos, "[boot] needs a kernel = \"...\"");
	return 0;
}

/* "kernel" -> "boot", for "unknown key" messages; NULL when none. */
static const char *owner(const char *key)
{
	unsigned t, k;

	for (t = 0; t < NC_ARRAY_SIZE(tables); t++)
		for (k = 0; k < tables[t].nr_keys; k++)
			if (!strcmp(tables[t].keys[k].name, key))
				return tables[t].name;
	return NULL;
}

static void list_names(char *buf, size_t len, const struct table *t)
{
	size_t n = 0;
	unsigned i, nr = t ? t->nr_keys : NC_ARRAY_SIZE(tables);

	buf[0] = '\0';
	for (i = 0; i < nr && n < len; i++)
		n += snprintf(buf + n, len - n, "%s%s", i ? ", " : "",
			      t ? t->keys[i].name : tables[i].name);
}

static int close_table(struct ctx *x)
{
	const struct table *t = x->cur;

	x->cur = NULL;
	return t && t->close ? t->close(x) : 0;
}

static int on_table(void *ctx, const char *name, bool array,
		    struct nc_toml_pos pos)
{
	struct ctx *x = ctx;
	const struct table *t = NULL;
	char names[128];
	unsigned i;

	if (close_table(x))
		return -1;
	for (i = 0; i < NC_ARRAY_SIZE(tables) && !t; i++)
		if (!strcmp(tables[i].name, name))
			t = &tables[i];
	if (!t) {
		list_names(names, sizeof(names), NULL);
		return fail(x, pos, "unknown table [%s] (known tables: %s)",
			    name, names);
	}
	i = t - tables;
	if (t->array && !array)
		return fail(x, pos, "%s is an array of tables: write [[%s]]",
			    name, name);
	if (!t->array && array)
		return fail(x, pos, "%s is a table, not an array of tables: write [%s]",
			    name, name);
	if (!t->array && x->first[i].line)
		return fail(x, pos, "duplicate table [%s] (first on line %u)",
			    name, x->first[i].line);
	if (!x->first[i].line)
		x->first[i] = pos;
	x->cur = t;
	x->cur_pos = pos;
	memset(x->seen, 0, sizeof(x->seen));
	return t->open ? t->open(x) : 0;
}

static int on_keyval(void *ctx, const char *name, struct nc_toml_pos pos,
		     const struct nc_toml_value *v)
{
	struct ctx *x = ctx;
	const struct table *t = x->cur;
	const char *o = owner(name);
	char names[128];
	unsigned i;

	if (!t) {
		if (o)
			return fail(x, pos, "key '%s' is outside any table: it belongs in [%s]",
				    name, o);
		return fail(x, pos, "unknown key '%s' outside any table", name);
	}
	for (i = 0; i < t->nr_keys; i++)
		if (!strcmp(t->keys[i].name, name))
			break;
	if (i == t->nr_keys) {
		if (o)
			return fail(x, pos, "unknown key '%s' in [%s]: it belongs in [%s]",
				    name, t->name, o);
		list_names(names, sizeof(names), t);
		return fail(x, pos, "unknown key '%s' in [%s] (known keys: %s)",
			    name, t->name, names);
	}
	if (x->seen[i].line)
		return fail(x, pos, "duplicate key '%s' in [%s] (first on line %u)",
			    name, t->name, x->seen[i].line);
	x->seen[i] = pos;
	x->key = &t->keys[i];
	x->key_pos = pos;
	return x->key->set(x, v);
}

static int on_end(void *ctx, struct nc_toml_pos eof)
{
	struct ctx *x = ctx;
	struct nc_config *c = x->c;
	struct nc_toml_pos cell = x->first[0];

	if (close_table(x))
		return -1;
	if (!c->kernel)
		return fail(x, eof, "missing [boot] table with kernel = \"...\"");
	if (!c->name) {
		c->name = nc_path_base(c->dir);
		if (!c->name)
			return fail(x, eof, "out of memory");
		if (!nc_valid_name(c->name))
			return fail(x, cell.line ? cell : eof,
				    "the folder name \"%s\" is not a valid cell name: set name in [cell]",
				    shown(c->name));
	}
	return 0;
}

static const struct nc_toml_handler handler = {
	.table = on_table,
	.keyval = on_keyval,
	.end = on_end,
};

int nc_config_parse(struct nc_config *c, const char *file, const char *text,
		    size_t len, char *err, size_t errlen)
{
	struct ctx x = { .c = c, .err = err, .errlen = errlen };

	memset(c, 0, sizeof(*c));
	c->file = strdup(file);
	c->dir = nc_path_dir(file);
	if (!c->file || !c->dir) {
		nc_config_error(err, errlen, file, 0, 0, "%s", strerror(ENOMEM));
		goto fail;
	}
	c->vcpus = 1;
	c->memory = 256ULL << 20;
	c->ion_base = ION_DEFAULT_BASE;
	c->ion_size = ION_DEFAULT_SIZE;
	c->console_mode = NC_CONSOLE_STDIO;
	memcpy(c->net_mac, default_mac, sizeof(c->net_mac));
	c->net_mtu = 1500;

	if (len > NC_CONFIG_MAX_SIZE) {
		nc_config_error(err, errlen, file, 0, 0,
				"file is larger than the limit of %d bytes",
				NC_CONFIG_MAX_SIZE);
		goto fail;
	}
	if (nc_toml_parse(file, text, len, &handler, &x, err, errlen))
		goto fail;
	return 0;
fail:
	nc_config_free(c);
	return -1;
}

void nc_config_free(struct nc_config *c)
{
	unsigned i;

	free(c->file);
	free(c->dir);
	free(c->name);
	free(c->kernel);
	free(c->initramfs);
	free(c->cmdline);
	free(c->console_path);
	for (i = 0; i < NC_MAX_BLK; i++)
		free(c->blk[i].path);
	free(c->net_tap);
	free(c->control_socket);
	memset(c, 0, sizeof(*c));
}
