/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The running cell's metrics: per valve (requests, bytes, doorbells,
 * interrupts, errors, throttled, broken), per vCPU exits by reason, uptime
 * and the VMM's own resident memory. Collected into one snapshot, printed
 * as JSON (`ctl SOCKET stats --json`, `run --report FILE`) or in the
 * Prometheus text exposition format (`ctl SOCKET metrics`); docs/control.md
 * lists every field.
 */
#ifndef NC_METRICS_H
#define NC_METRICS_H

#include <stdint.h>

#include <nipcell/ion_host.h>

#include "machine.h"
#include "util/sbuf.h"

#define NC_METRICS_MAX_VCPUS	8	/* NC_MAX_VCPUS (run.c checks it) */

struct nc_metrics {
	double		uptime_s;	/* since the cell started */
	long		rss_kib;	/* outside guest RAM and the window; <0: unknown */
	unsigned	nr_valves;
	struct {
		char			name[24];	/* "blk0" */
		const char		*type;		/* "blk" */
		struct ion_valve_stats	st;
		uint64_t		throttled;	/* st.throttled (budgets) */
	} valve[ION_MAX_VALVES];
	unsigned	nr_vcpus;
	struct nc_vexit_counts vcpu[NC_METRICS_MAX_VCPUS];
};

/*
 * A snapshot of ion's valves, m's vCPU exits, uptime and RSS (m may be
 * NULL: valves only). Thread-safe.
 */
void nc_metrics_collect(const struct nc_machine *m, struct ion_host *ion,
			struct nc_metrics *mx);
/*
 * The members of the JSON object (no braces): "uptime_seconds",
 * "vmm_rss_kib", "valves": [...], "vcpus": [...]. The run report adds its own.
 */
void nc_metrics_json_members(const struct nc_metrics *mx, struct nc_sbuf *b);
/* One JSON object and a newline: what `stats --json` answers. */
void nc_metrics_json(const struct nc_metrics *mx, struct nc_sbuf *b);
/* The Prometheus text exposition format (HELP and TYPE for every family). */
void nc_metrics_prometheus(const struct nc_metrics *mx, struct nc_sbuf *b);

#endif /* NC_METRICS_H */
