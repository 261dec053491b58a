// SPDX-License-Identifier: GPL-2.0
/*
 * The budget keys of [[blk]] and [net] (docs/cell-toml.md, "Budgets"):
 * bw_size, bw_burst, bw_refill_ms, ops_size, ops_burst, ops_refill_ms, the
 * three numbers of a token bucket each for bandwidth and operations. Flat
 * keys: the parser has no inline tables. Both tables list them at
 * NC_CFG_BUDGET_KEY0, after three keys of their own, so that x->seen[]
 * finds them alike.
 */
#include <errno.h>

#include <nipcell/ion_host.h>

#include "config.h"
#include "schema.h"

enum { BW_SIZE, BW_BURST, BW_REFILL, OPS_SIZE, OPS_BURST, OPS_REFILL };

/* While a key of [[blk]] or [net] is set. */
static struct ion_budget *cur_budget(struct ctx *x)
{
	return x->cur->array ? &x->c->blk[x->c->nr_blk - 1].budget :
	       &x->c->net_budget;
}

int nc_cfg_set_bw_size(struct ctx *x, const struct nc_toml_value *v)
{
	return nc_cfg_get_size(x, v, 0, ION_BUCKET_MAX_SIZE, 1,
			       &cur_budget(x)->bw.size);
}

int nc_cfg_set_bw_burst(struct ctx *x, const struct nc_toml_value *v)
{
	return nc_cfg_get_size(x, v, 0, ION_BUCKET_MAX_SIZE, 1,
			       &cur_budget(x)->bw.one_time_burst);
}

int nc_cfg_set_bw_refill(struct ctx *x, const struct nc_toml_value *v)
{
	return nc_cfg_get_count(x, v, 1, ION_BUCKET_MAX_REFILL_MS,
				&cur_budget(x)->bw.refill_ms);
}

int nc_cfg_set_ops_size(struct ctx *x, const struct nc_toml_value *v)
{
	return nc_cfg_get_count(x, v, 0, ION_BUCKET_MAX_SIZE,
				&cur_budget(x)->ops.size);
}

int nc_cfg_set_ops_burst(struct ctx *x, const struct nc_toml_value *v)
{
	return nc_cfg_get_count(x, v, 0, ION_BUCKET_MAX_SIZE,
				&cur_budget(x)->ops.one_time_burst);
}

int nc_cfg_set_ops_refill(struct ctx *x, const struct nc_toml_value *v)
{
	return nc_cfg_get_count(x, v, 1, ION_BUCKET_MAX_REFILL_MS,
				&cur_budget(x)->ops.refill_ms);
}

/* A bucket's keys together: a size needs a refill time, the other two a size. */
static int close_bucket(struct ctx *x, const struct ion_bucket_cfg *b,
			const char *pre, unsigned k)
{
	const struct nc_toml_pos *seen = x->seen + NC_CFG_BUDGET_KEY0 + k;

	if (b->size && !b->refill_ms)
		return nc_cfg_fail(x, seen[0],
				   "%s_size needs %s_refill_ms: the time in ms the bucket takes to refill",
				   pre, pre);
	if (!b->size && (b->one_time_burst || b->refill_ms))
		return nc_cfg_fail(x, b->refill_ms ? seen[2] : seen[1],
				   "%s_%s needs a %s_size (no %s_size, or 0, is no limit)",
				   pre, b->refill_ms ? "refill_ms" : "burst", pre, pre);
	return 0;
}

/* At the table's close (x->cur is NULL by then): b is its budget. */
int nc_cfg_close_budget(struct ctx *x, const struct ion_budget *b)
{
	if (close_bucket(x, &b->bw, "bw", BW_SIZE))
		return -EINVAL;
	return close_bucket(x, &b->ops, "ops", OPS_SIZE);
}
