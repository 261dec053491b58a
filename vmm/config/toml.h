/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A reader for the strict TOML subset cell files use (docs/cell-toml.md,
 * "Syntax"): comments, [table], [[array-of-tables]], and key = value with
 * basic strings, integers and booleans. Everything else is rejected with a
 * message saying what is not supported.
 *
 * The reader knows no table or key names: it calls the handler once per
 * table header and once per key, in file order, and stops at the first
 * error, its own or the handler's.
 */
#ifndef NC_CONFIG_TOML_H
#define NC_CONFIG_TOML_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define NC_TOML_KEY_MAX		64	/* bytes in a key or table name */
#define NC_TOML_STR_MAX		4096	/* bytes in a decoded string */

struct nc_toml_pos {
	unsigned line;			/* from 1 */
	unsigned col;			/* from 1, in bytes */
};

enum nc_toml_type {
	NC_TOML_STRING,
	NC_TOML_INTEGER,
	NC_TOML_BOOLEAN,
};

struct nc_toml_value {
	enum nc_toml_type type;
	struct nc_toml_pos pos;		/* of the value's first byte */
	const char *str;		/* STRING: decoded, NUL-terminated, */
	size_t len;			/*   valid UTF-8 without NUL bytes */
	int64_t i;			/* INTEGER */
	bool b;				/* BOOLEAN */
};

struct nc_toml_handler {
	/* [name] (array false) or [[name]] (array true) */
	int (*table)(void *ctx, const char *name, bool array,
		     struct nc_toml_pos pos);
	/* key = v; v->str is valid only during the call */
	int (*keyval)(void *ctx, const char *key, struct nc_toml_pos pos,
		      const struct nc_toml_value *v);
	/* after the last line; eof is where more text would go */
	int (*end)(void *ctx, struct nc_toml_pos eof);
};

/*
 * Read len bytes of text, never past len. Returns 0, or -EINVAL with err filled
 * by the reader or by a handler (which must fill it, e.g. with
 * nc_config_error() from internal.h, before returning -1).
 */
int nc_toml_parse(const char *file, const char *text, size_t len,
		  const struct nc_toml_handler *h, void *ctx,
		  char *err, size_t errlen);

#endif /* NC_CONFIG_TOML_H */
