/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The guest console: UART output goes to stdout, a log file or nowhere, per
 * the cell's [console] mode; in stdio mode, stdin feeds the UART's receive
 * FIFO (a terminal is put in raw mode, keeping Ctrl-C for a clean stop).
 *
 * Output never waits for its reader: nc_console_write() (called by the vCPU
 * that emulates the UART) only copies into a bounded ring, which an output
 * thread drains with poll() and write(), leaving the fd's flags alone. What
 * does not fit is dropped and counted in dropped; so is what comes after
 * max_size bytes, once one line says the output was truncated.
 */
#ifndef NC_CONSOLE_H
#define NC_CONSOLE_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct nc_uart;

enum nc_console_kind { NC_CON_STDIO, NC_CON_FILE, NC_CON_OFF };

#define NC_CONSOLE_RING		(64 * 1024)	/* output bytes held for a slow reader */
#define NC_CONSOLE_CLOSE_MS	200		/* the longest nc_console_close() flushes */

struct nc_console {
	enum nc_console_kind	kind;
	int			out_fd;		/* -1 when off */
	int			stop_fd;	/* eventfd ending the input thread */
	int			room_fd;	/* eventfd: the UART may take input */
	struct nc_uart		*uart;
	pthread_t		thread;
	bool			thread_started;
	bool			tty_raw;
	unsigned long long	dropped;	/* output bytes lost */

	/* Output: everything below is under lock, and set up only when ring is. */
	char			*ring;		/* NC_CONSOLE_RING bytes, or NULL */
	pthread_mutex_t		lock;
	pthread_cond_t		cond;		/* data in the ring, or closing */
	size_t			head, tail;	/* free-running: ring[tail..head) unsent */
	int			wake_fd;	/* eventfd: wakes the output thread to close */
	pthread_t		out_thread;
	bool			out_started;
	bool			out_own_fd;	/* close out_fd at the end */
	bool			out_broken;	/* the fd failed: drop everything */
	bool			closing;
	bool			truncated;	/* max_size reached, the line written */
	int64_t			close_by_ms;	/* CLOCK_MONOTONIC, once closing */
	uint64_t		max_size;	/* output bytes taken at most; 0: no cap */
	uint64_t		taken;		/* output bytes taken into the ring */
};

/*
 * Opens the console's output (stdout for stdio, path for file, nothing for
 * off) and starts its output thread. A file console is capped at
 * NC_CONSOLE_MAX_SIZE_DEFAULT bytes (config/config.h) until
 * nc_console_set_max_size() says otherwise. Returns 0, or -errno with err
 * filled ("console file PATH: why"). nc_console_close() is safe after a
 * failure, and on a console that was only zeroed with out_fd, stop_fd and
 * room_fd -1 and kind NC_CON_OFF.
 */
int nc_console_open(struct nc_console *con, enum nc_console_kind kind,
		    const char *path, char *err, size_t errlen);
/* A stdio console whose output goes to fd (not closed at the end). */
int nc_console_open_fd(struct nc_console *con, int fd, char *err, size_t errlen);
/* At most max bytes of output in this run (0: no cap). */
void nc_console_set_max_size(struct nc_console *con, uint64_t max);
/* The UART's rx_room callback: wakes the input thread. */
void nc_console_rx_room(struct nc_console *con);
/* Starts feeding stdin into uart (stdio mode only). 0 or -errno. */
int nc_console_start_input(struct nc_console *con, struct nc_uart *uart);
/* Never blocks on the reader: takes what fits, drops and counts the rest. */
void nc_console_write(struct nc_console *con, const void *buf, size_t len);
/* Output bytes taken but not yet written out. */
size_t nc_console_out_pending(struct nc_console *con);
/*
 * Stops the threads, writes out what the reader takes within
 * NC_CONSOLE_CLOSE_MS (the rest counts as dropped), and closes.
 */
void nc_console_close(struct nc_console *con);

#endif /* NC_CONSOLE_H */
