// SPDX-License-Identifier: GPL-2.0
/*
 * The metrics snapshot and its two formats (metrics.h). Every value comes
 * from the host's own state: valve statistics from ion_host_stats(), vCPU
 * exits from the counters the vCPU threads keep, never from the window.
 */
#include <stdio.h>
#include <string.h>

#include "footprint.h"
#include "metrics.h"

void nc_metrics_collect(const struct nc_machine *m, struct ion_host *ion,
			struct nc_metrics *mx)
{
	unsigned v, i, r;

	memset(mx, 0, sizeof(*mx));
	mx->rss_kib = -1;
	if (m && m->start_ms)
		mx->uptime_s = (nc_now_ms() - m->start_ms) / 1e3;
	if (m)
		mx->rss_kib = nc_footprint_kib(m->smaps_fd, m->ram_map, m->ram_map_size,
					       ion ? ion_host_window(ion) : NULL,
					       ion ? ion_host_window_size(ion) : 0);
	for (v = 0; ion && v < ion_host_nr_valves(ion) && v < ION_MAX_VALVES; v++) {
		const struct ion_valve *d = ion_host_valve(ion, v);
		const char *type = d ? ion_host_valve_type_name(d->type) : NULL;

		if (!d || ion_host_stats(ion, v, &mx->valve[v].st))
			break;
		mx->valve[v].throttled = mx->valve[v].st.throttled;
		mx->valve[v].type = type ? type : "unknown";
		snprintf(mx->valve[v].name, sizeof(mx->valve[v].name), "%s%u",
			 mx->valve[v].type, d->id);
		mx->nr_valves++;
	}
	for (i = 0; m && m->vexits && i < m->nr_vexits && i < NC_METRICS_MAX_VCPUS; i++) {
		for (r = 0; r < NC_VEXIT_NR; r++)
			mx->vcpu[i].n[r] = __atomic_load_n(&m->vexits[i].n[r], __ATOMIC_RELAXED);
		mx->nr_vcpus++;
	}
}

void nc_metrics_json_members(const struct nc_metrics *mx, struct nc_sbuf *b)
{
	unsigned v, i, r;

	nc_sbuf_printf(b, "\"uptime_seconds\": %.3f, \"vmm_rss_kib\": ", mx->uptime_s);
	if (mx->rss_kib >= 0)
		nc_sbuf_printf(b, "%ld", mx->rss_kib);
	else
		nc_sbuf_printf(b, "null");
	nc_sbuf_printf(b, ", \"valves\": [");
	for (v = 0; v < mx->nr_valves; v++) {
		const struct ion_valve_stats *st = &mx->valve[v].st;

		nc_sbuf_printf(b, "%s{\"index\": %u, \"name\": ", v ? ", " : "", v);
		nc_sbuf_json_str(b, mx->valve[v].name);
		nc_sbuf_printf(b, ", \"type\": ");
		nc_sbuf_json_str(b, mx->valve[v].type);
		nc_sbuf_printf(b, ", \"requests\": %llu, \"bytes\": %llu, \"doorbells\": %llu, "
			       "\"interrupts\": %llu, \"errors\": %llu, \"throttled\": %llu, "
			       "\"broken\": %s, \"error\": %u}",
			       (unsigned long long)st->requests, (unsigned long long)st->bytes,
			       (unsigned long long)st->doorbells,
			       (unsigned long long)st->interrupts,
			       (unsigned long long)st->errors,
			       (unsigned long long)mx->valve[v].throttled,
			       st->broken ? "true" : "false", st->error);
	}
	nc_sbuf_printf(b, "], \"vcpus\": [");
	for (i = 0; i < mx->nr_vcpus; i++) {
		nc_sbuf_printf(b, "%s{\"vcpu\": %u, \"exits\": {", i ? ", " : "", i);
		for (r = 0; r < NC_VEXIT_NR; r++)
			nc_sbuf_printf(b, "%s\"%s\": %llu", r ? ", " : "", nc_vexit_name(r),
				       (unsigned long long)mx->vcpu[i].n[r]);
		nc_sbuf_printf(b, "}}");
	}
	nc_sbuf_printf(b, "]");
}

void nc_metrics_json(const struct nc_metrics *mx, struct nc_sbuf *b)
{
	nc_sbuf_printf(b, "{");
	nc_metrics_json_members(mx, b);
	nc_sbuf_printf(b, "}\n");
}

static void prom_family(struct nc_sbuf *b, const char *name, const char *type,
			const char *help)
{
	nc_sbuf_printf(b, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/* The valve statistics, one family each. */
static const struct {
	const char *name, *type, *help;
} prom_valve[] = {
	{ "nipcell_valve_requests_total", "counter", "Submission entries the host took." },
	{ "nipcell_valve_bytes_total", "counter", "Bytes moved by successful requests." },
	{ "nipcell_valve_doorbells_total", "counter", "Doorbell wake-ups from the guest." },
	{ "nipcell_valve_interrupts_total", "counter", "Interrupts raised to the guest." },
	{ "nipcell_valve_errors_total", "counter", "Requests completed with an error status." },
	{ "nipcell_valve_throttled_total", "counter", "Requests held back by a budget." },
	{ "nipcell_valve_broken", "gauge", "1 when the host stopped serving the valve." },
};

static uint64_t prom_valve_value(const struct nc_metrics *mx, unsigned v, unsigned f)
{
	const struct ion_valve_stats *st = &mx->valve[v].st;

	switch (f) {
	case 0: return st->requests;
	case 1: return st->bytes;
	case 2: return st->doorbells;
	case 3: return st->interrupts;
	case 4: return st->errors;
	case 5: return mx->valve[v].throttled;
	default: return st->broken;
	}
}

void nc_metrics_prometheus(const struct nc_metrics *mx, struct nc_sbuf *b)
{
	unsigned f, v, i, r;

	prom_family(b, "nipcell_uptime_seconds", "gauge", "Seconds since the cell started.");
	nc_sbuf_printf(b, "nipcell_uptime_seconds %.3f\n", mx->uptime_s);
	if (mx->rss_kib >= 0) {
		prom_family(b, "nipcell_vmm_resident_bytes", "gauge",
			    "Resident memory of the VMM outside guest RAM and the ION window.");
		nc_sbuf_printf(b, "nipcell_vmm_resident_bytes %lld\n",
			       (long long)mx->rss_kib * 1024);
	}
	for (f = 0; f < sizeof(prom_valve) / sizeof(prom_valve[0]); f++) {
		prom_family(b, prom_valve[f].name, prom_valve[f].type, prom_valve[f].help);
		/* Valve names and types are the host's own: [a-z0-9] only. */
		for (v = 0; v < mx->nr_valves; v++)
			nc_sbuf_printf(b, "%s{valve=\"%s\",type=\"%s\"} %llu\n", prom_valve[f].name,
				       mx->valve[v].name, mx->valve[v].type,
				       (unsigned long long)prom_valve_value(mx, v, f));
	}
	prom_family(b, "nipcell_vcpu_exits_total", "counter",
		    "KVM_RUN exits per vCPU and reason.");
	for (i = 0; i < mx->nr_vcpus; i++)
		for (r = 0; r < NC_VEXIT_NR; r++)
			nc_sbuf_printf(b, "nipcell_vcpu_exits_total{vcpu=\"%u\",reason=\"%s\"} %llu\n",
				       i, nc_vexit_name(r), (unsigned long long)mx->vcpu[i].n[r]);
}
