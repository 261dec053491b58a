// SPDX-License-Identifier: GPL-2.0
/*
 * nc_config_parse() and nc_config_free(): the TOML subset reader (toml.c)
 * feeds tables and keys to the schema (keys.c); this file checks that each
 * exists, is set once and is in its place, and fills in the defaults.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <nipcell/ion.h>

#include "config.h"
#include "internal.h"
#include "schema.h"

static const uint8_t default_mac[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };

int nc_cfg_fail(struct ctx *x, struct nc_toml_pos p, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	nc_config_verror(x->err, x->errlen, x->c->file, p.line, p.col, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

/* "kernel" -> "boot", for "unknown key" messages; NULL when none. */
static const char *owner(const char *key)
{
	unsigned t, k;

	for (t = 0; t < nc_cfg_nr_tables; t++)
		for (k = 0; k < nc_cfg_tables[t].nr_keys; k++)
			if (!strcmp(nc_cfg_tables[t].keys[k].name, key))
				return nc_cfg_tables[t].name;
	return NULL;
}

static void list_names(char *buf, size_t len, const struct table *t)
{
	size_t n = 0;
	unsigned i, nr = t ? t->nr_keys : nc_cfg_nr_tables;

	buf[0] = '\0';
	for (i = 0; i < nr && n < len; i++)
		n += snprintf(buf + n, len - n, "%s%s", i ? ", " : "",
			      t ? t->keys[i].name : nc_cfg_tables[i].name);
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
		return -EINVAL;
	for (i = 0; i < nc_cfg_nr_tables && !t; i++)
		if (!strcmp(nc_cfg_tables[i].name, name))
			t = &nc_cfg_tables[i];
	if (!t) {
		list_names(names, sizeof(names), NULL);
		return nc_cfg_fail(x, pos, "unknown table [%s] (known tables: %s)",
				   name, names);
	}
	i = t - nc_cfg_tables;
	if (t->array && !array)
		return nc_cfg_fail(x, pos, "%s is an array of tables: write [[%s]]",
				   name, name);
	if (!t->array && array)
		return nc_cfg_fail(x, pos, "%s is a table, not an array of tables: write [%s]",
				   name, name);
	if (!t->array && x->first[i].line)
		return nc_cfg_fail(x, pos, "duplicate table [%s] (first on line %u)",
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
			return nc_cfg_fail(x, pos, "key '%s' is outside any table: it belongs in [%s]",
					   name, o);
		return nc_cfg_fail(x, pos, "unknown key '%s' outside any table", name);
	}
	for (i = 0; i < t->nr_keys; i++)
		if (!strcmp(t->keys[i].name, name))
			break;
	if (i == t->nr_keys) {
		if (o)
			return nc_cfg_fail(x, pos, "unknown key '%s' in [%s]: it belongs in [%s]",
					   name, t->name, o);
		list_names(names, sizeof(names), t);
		return nc_cfg_fail(x, pos, "unknown key '%s' in [%s] (known keys: %s)",
				   name, t->name, names);
	}
	if (x->seen[i].line)
		return nc_cfg_fail(x, pos, "duplicate key '%s' in [%s] (first on line %u)",
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
	struct nc_toml_pos cell = x->first[0];	/* [cell] is table 0 */

	if (close_table(x))
		return -EINVAL;
	if (!c->kernel)
		return nc_cfg_fail(x, eof, "missing [boot] table with kernel = \"...\"");
	if (!c->name) {
		c->name = nc_path_base(c->dir);
		if (!c->name)
			return nc_cfg_fail(x, eof, "out of memory");
		if (!nc_valid_name(c->name))
			return nc_cfg_fail(x, cell.line ? cell : eof,
					   "the folder name \"%s\" is not a valid cell name: set name in [cell]",
					   nc_shown(c->name));
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
	c->restart_limit = NC_RESTART_LIMIT_DEFAULT;
	c->ion_base = ION_DEFAULT_BASE;
	c->ion_size = ION_DEFAULT_SIZE;
	c->console_mode = NC_CONSOLE_STDIO;
	c->log = NC_LOG_NORMAL;
	memcpy(c->net_mac, default_mac, sizeof(c->net_mac));
	c->net_mtu = 1500;
	c->sandbox_seccomp = true;

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
	return -EINVAL;
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
	free(c->serial_path);
	for (i = 0; i < NC_MAX_BLK; i++)
		free(c->blk[i].path);
	free(c->net_tap);
	free(c->control_socket);
	free(c->sandbox_user);
	free(c->sandbox_group);
	for (i = 0; i < NC_MAX_EXPORT; i++)
		free(c->export_device[i]);
	memset(c, 0, sizeof(*c));
}
