/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The cell file schema, shared by config.c (which walks it) and keys.c
 * (which defines it).
 */
#ifndef NC_CONFIG_SCHEMA_H
#define NC_CONFIG_SCHEMA_H

#include "config.h"
#include "toml.h"

#define NC_CFG_MAX_KEYS		12	/* per table (KEYS() checks it) */
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

/* keys.c: value helpers that name x->key in their messages */
int nc_cfg_want(struct ctx *x, const struct nc_toml_value *v, enum nc_toml_type t);
int nc_cfg_get_str(struct ctx *x, const struct nc_toml_value *v, char **out);
int nc_cfg_get_count(struct ctx *x, const struct nc_toml_value *v,
		     uint64_t min, uint64_t max, uint64_t *out);
int nc_cfg_get_size(struct ctx *x, const struct nc_toml_value *v,
		    uint64_t min, uint64_t max, uint64_t align, uint64_t *out);

/*
 * budget_keys.c: the six budget keys, listed by NC_CFG_BUDGET_KEYS at
 * index NC_CFG_BUDGET_KEY0 of both [[blk]] and [net]; b is the closing
 * table's budget.
 */
#define NC_CFG_BUDGET_KEY0	3
int nc_cfg_set_bw_size(struct ctx *x, const struct nc_toml_value *v);
int nc_cfg_set_bw_burst(struct ctx *x, const struct nc_toml_value *v);
int nc_cfg_set_bw_refill(struct ctx *x, const struct nc_toml_value *v);
int nc_cfg_set_ops_size(struct ctx *x, const struct nc_toml_value *v);
int nc_cfg_set_ops_burst(struct ctx *x, const struct nc_toml_value *v);
int nc_cfg_set_ops_refill(struct ctx *x, const struct nc_toml_value *v);
int nc_cfg_close_budget(struct ctx *x, const struct ion_budget *b);
#define NC_CFG_BUDGET_KEYS \
	{ "bw_size", nc_cfg_set_bw_size }, \
	{ "bw_burst", nc_cfg_set_bw_burst }, \
	{ "bw_refill_ms", nc_cfg_set_bw_refill }, \
	{ "ops_size", nc_cfg_set_ops_size }, \
	{ "ops_burst", nc_cfg_set_ops_burst }, \
	{ "ops_refill_ms", nc_cfg_set_ops_refill }

/* device_keys.c: [[pci]] and [[export]] */
int nc_cfg_open_pci(struct ctx *x);
int nc_cfg_set_pci_host(struct ctx *x, const struct nc_toml_value *v);
int nc_cfg_close_pci(struct ctx *x);
int nc_cfg_open_export(struct ctx *x);
int nc_cfg_set_export_device(struct ctx *x, const struct nc_toml_value *v);
int nc_cfg_close_export(struct ctx *x);

/* Fill x->err with "FILE:LINE:COL: message" at p; returns -1. */
int nc_cfg_fail(struct ctx *x, struct nc_toml_pos p, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif /* NC_CONFIG_SCHEMA_H */
