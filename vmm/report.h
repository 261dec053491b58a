/* SPDX-License-Identifier: GPL-2.0 */
/*
 * `run --report FILE`: the exit report as one JSON object, the metrics
 * (metrics.h) and how the run ended (docs/nipcell-vmm.md).
 */
#ifndef NC_REPORT_H
#define NC_REPORT_H

#include <stddef.h>
#include <stdint.h>

#include "machine.h"
#include "metrics.h"

struct nc_run_result {
	enum nc_stop	stop;
	const char	*stop_message;	/* "guest powered off (vcpu 0)" */
	int		exit_status;	/* what run returns */
	uint32_t	guest_status;	/* ion_header.guest_status at the end */
	double		run_s;		/* from start to the report */
};

/* The report into b: one JSON object and a newline. */
void nc_report_json(const struct nc_metrics *mx, const struct nc_run_result *res,
		    struct nc_sbuf *b);
/*
 * Writes the report to path (replaced through a temporary file next to
 * it, so a reader never sees half of one). 0, or -errno with err filled.
 */
int nc_report_write(const char *path, const struct nc_metrics *mx,
		    const struct nc_run_result *res, char *err, size_t errlen);

#endif /* NC_REPORT_H */
