/* SPDX-License-Identifier: GPL-2.0 */
#ifndef NC_RUN_H
#define NC_RUN_H

/* `run`'s options (main.c parses them). */
struct nc_run_opts {
	int		log;		/* enum nc_log_level, or -1: the cell's [cell] log */
	const char	*report;	/* --report FILE: the exit report as JSON, or NULL */
};

/* `nipcell-vmm run [OPTIONS] CELL`: boots the cell; returns an enum nc_exit status. */
int nc_run(const char *cell_path, const struct nc_run_opts *opts);

#endif /* NC_RUN_H */
