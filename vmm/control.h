/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The control socket: a Unix stream socket at the cell's [control] socket
 * path (mode 0600; only the VMM's own user and root may connect), serving up
 * to NC_CONTROL_MAX_CLIENTS clients at once, one command per line
 * (docs/control.md):
 *   input TYPE CODE VALUE   inject an input event (EV_KEY 30 1, or numbers)
 *   budget VALVE ...        show or change a valve's budget (bw, ops, off)
 *   stats                   one line per valve, then "ok"
 *   stats --json            the metrics as one JSON object (metrics.h)
 *   metrics                 the metrics in the Prometheus text format
 *   shutdown [--timeout S]  ask the guest to power off; stop after S s
 *   stop                    stop the cell cleanly
 *   help
 * Every command answers "ok" or "error: why" as its last line.
 */
#ifndef NC_CONTROL_H
#define NC_CONTROL_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include <sys/un.h>

#define NC_CONTROL_MAX_CLIENTS	8	/* beyond: "error: too many clients" */
#define NC_SHUTDOWN_TIMEOUT_S	30	/* shutdown without --timeout */
#define NC_CONTROL_ANSWER_MAX	12288	/* the longest answer to one command */

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
	char			answer[NC_CONTROL_ANSWER_MAX];	/* the thread's */
};

/*
 * Listens on path (replacing a socket left there) and starts the control
 * thread. Returns 0, or -errno with err filled ("control socket PATH: why").
 */
int nc_control_start(struct nc_control *ctl, const char *path, struct nc_machine *m,
		     struct ion_host *ion, char *err, size_t errlen);
/*
 * Stops the thread, closes every client and removes the socket (under the
 * sandbox Landlock refuses the removal and the file stays until the next
 * run replaces it: docs/security.md). Returns at
 * once whatever the clients do; safe on a ctl that never started (listen_fd
 * and stop_fd -1) and twice.
 */
void nc_control_stop(struct nc_control *ctl);

/* May a client whose effective uid is peer use a VMM running as self? */
bool nc_control_peer_allowed(uid_t peer, uid_t self);

/*
 * One command line (without newline) -> reply lines in out (give it
 * NC_CONTROL_ANSWER_MAX bytes). For tests too. A shutdown sets
 * m->shutdown_at_ms, which the control thread enforces.
 */
void nc_control_handle(struct ion_host *ion, struct nc_machine *m, const char *line,
		       char *out, size_t outlen);

/*
 * One valve's statistics as one line (no newline), for the stats command
 * and the report at exit: "valve 0 blk0 requests=.. ... broken=0
 * throttled=.. throttled_ms=..".
 */
int nc_valve_stats_line(struct ion_host *ion, unsigned v, char *buf, size_t len);

#endif /* NC_CONTROL_H */
