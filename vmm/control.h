/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The control socket: a Unix stream socket at the cell's [control] socket
 * path, speaking one command per line (docs/control.md):
 *   input TYPE CODE VALUE   inject an input event (EV_KEY 30 1, or numbers)
 *   stats                   one line per valve, then "ok"
 *   stop                    stop the cell cleanly
 *   help
 * Every command answers "ok" or "error: why" as its last line.
 */
#ifndef NC_CONTROL_H
#define NC_CONTROL_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/un.h>

struct ion_host;
struct nc_machine;

struct nc_control {
	int			listen_fd;
	int			stop_fd;
	pthread_t		thread;
	bool			started;
	struct sockaddr_un	addr;
	struct nc_machine	*m;
	struct ion_host		*ion;
};

int nc_control_start(struct nc_control *ctl, const char *path, struct nc_machine *m,
		     struct ion_host *ion, char *err, size_t errlen);
void nc_control_stop(struct nc_control *ctl);

/* One command line (without newline) -> reply lines in out. For tests too. */
void nc_control_handle(struct ion_host *ion, struct nc_machine *m, const char *line,
		       char *out, size_t outlen);

/*
 * One valve's statistics as one line (no newline), for the stats command
 * and the report at exit: "valve 0 blk0 requests=.. ... broken=0".
 */
int nc_valve_stats_line(struct ion_host *ion, unsigned v, char *buf, size_t len);

#endif /* NC_CONTROL_H */
