/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The cell file schema, shared by config.c (which walks it) and keys.c
 * (which defines it).
 */
#ifndef NC_CONFIG_SCHEMA_H
#define NC_CONFIG_SCHEMA_H

#include "config.h"
#include "toml.h"

#define NC_CFG_MAX_KEYS		6	/* per table */
#define NC_CFG_MAX_TABLES	16

struct ctx;

struct key {
	const char *name;
	int (*set)(struct ctx *x, const struct nc_toml_value *v);
};

struct table {
	const char *name;
	bool array;			/* [[name]] */
	const struct key *keys;
	unsigned nr_keys;		/* at most NC_CFG_MAX_KEYS */
	int (*open)(struct ctx *x);	/* at its header */
	int (*close)(struct ctx *x);	/* at the next header or the end */
};

/* The state of one parse. */
struct ctx {
	struct nc_config *c;
	char *err;
	size_t errlen;
	const struct table *cur;	/* NULL before the first header */
	struct nc_toml_pos cur_pos;	/* of cur's header */
	const struct key *key;		/* the key being set */
	struct nc_toml_pos key_pos;
	struct nc_toml_pos seen[NC_CFG_MAX_KEYS];	/* of cur's keys, by index */
	struct nc_toml_pos first[NC_CFG_MAX_TABLES];	/* first header of each */
};

extern const struct table nc_cfg_tables[];
extern const unsigned nc_cfg_nr_tables;

/* Fill x->err with "FILE:LINE:COL: message" at p; returns -1. */
int nc_cfg_fail(struct ctx *x, struct nc_toml_pos p, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif /* NC_CONFIG_SCHEMA_H */
