/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The guest console: UART output goes to stdout, a log file or nowhere, per
 * the cell's [console] mode; in stdio mode, stdin feeds the UART's receive
 * FIFO (a terminal is put in raw mode, keeping Ctrl-C for a clean stop).
 */
#ifndef NC_CONSOLE_H
#define NC_CONSOLE_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

struct nc_uart;

enum nc_console_kind { NC_CON_STDIO, NC_CON_FILE, NC_CON_OFF };

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
};

int nc_console_open(struct nc_console *con, enum nc_console_kind kind,
		    const char *path, char *err, size_t errlen);
/* The UART's rx_room callback: wakes the input thread. */
void nc_console_rx_room(struct nc_console *con);
/* Starts feeding stdin into uart (stdio mode only). */
int nc_console_start_input(struct nc_console *con, struct nc_uart *uart);
void nc_console_write(struct nc_console *con, const void *buf, size_t len);
void nc_console_close(struct nc_console *con);

#endif /* NC_CONSOLE_H */
