// SPDX-License-Identifier: GPL-2.0
/* The guest console backends and the stdin reader. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/eventfd.h>
#include <termios.h>
#include <unistd.h>

#include "console.h"
#include "devices/uart.h"

static struct termios saved_tio;

int nc_console_open(struct nc_console *con, enum nc_console_kind kind,
		    const char *path, char *err, size_t errlen)
{
	memset(con, 0, sizeof(*con));
	con->kind = kind;
	con->out_fd = -1;
	con->stop_fd = -1;
	con->room_fd = -1;
	switch (kind) {
	case NC_CON_STDIO:
		con->out_fd = STDOUT_FILENO;
		break;
	case NC_CON_FILE:
		con->out_fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
		if (con->out_fd < 0) {
			snprintf(err, errlen, "console file %s: %s", path, strerror(errno));
			return -1;
		}
		break;
	case NC_CON_OFF:
		break;
	}
	return 0;
}

void nc_console_write(struct nc_console *con, const void *buf, size_t len)
{
	const char *p = buf;
	ssize_t n;

	if (con->out_fd < 0)
		return;
	while (len) {
		n = write(con->out_fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			/* A console that cannot take output never stalls the guest. */
			con->dropped += len;
			return;
		}
		p += n;
		len -= n;
	}
}

void nc_console_rx_room(struct nc_console *con)
{
	uint64_t one = 1;

	if (con->room_fd >= 0 && write(con->room_fd, &one, sizeof(one)) < 0)
		return;	/* the counter is already non-zero: the thread wakes */
}

static void *console_input_thread(void *arg)
{
	struct nc_console *con = arg;
	struct pollfd pfd[3] = {
		{ .fd = con->stop_fd, .events = POLLIN },
		{ .fd = con->room_fd, .events = POLLIN },
		{ .fd = STDIN_FILENO, .events = POLLIN },
	};
	uint8_t buf[NC_UART_FIFO];
	uint64_t cnt;
	size_t space;
	ssize_t n;

	for (;;) {
		/*
		 * Read only what the FIFO can take: input is bounded, never
		 * dropped. Without room, sleep until the UART says it has some.
		 */
		space = nc_uart_rx_space(con->uart);
		if (poll(pfd, space ? 3 : 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (pfd[0].revents)
			break;
		if (pfd[1].revents && read(con->room_fd, &cnt, sizeof(cnt)) < 0 &&
		    errno != EAGAIN)
			break;
		if (!space || !(pfd[2].revents & (POLLIN | POLLHUP)))
			continue;
		n = read(STDIN_FILENO, buf, space < sizeof(buf) ? space : sizeof(buf));
		if (n <= 0)
			break;		/* EOF: the guest just gets no more input */
		nc_uart_rx(con->uart, buf, n);
	}
	return NULL;
}

int nc_console_start_input(struct nc_console *con, struct nc_uart *uart)
{
	struct termios tio;

	if (con->kind != NC_CON_STDIO)
		return 0;
	con->uart = uart;
	con->stop_fd = eventfd(0, EFD_CLOEXEC);
	con->room_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (con->stop_fd < 0 || con->room_fd < 0)
		return -errno;
	if (isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &saved_tio) == 0) {
		tio = saved_tio;
		/* Raw input for the guest's shell; ISIG stays, so Ctrl-C stops the cell. */
		tio.c_iflag &= ~(IGNBRK | BRKINT | PARMRK | ISTRIP | INLCR | IGNCR | ICRNL | IXON);
		tio.c_lflag &= ~(ECHO | ECHONL | ICANON | IEXTEN);
		tio.c_cc[VMIN] = 1;
		tio.c_cc[VTIME] = 0;
		if (tcsetattr(STDIN_FILENO, TCSANOW, &tio) == 0)
			con->tty_raw = true;
	}
	if (pthread_create(&con->thread, NULL, console_input_thread, con))
		return -EAGAIN;
	con->thread_started = true;
	return 0;
}

void nc_console_close(struct nc_console *con)
{
	uint64_t one = 1;

	if (con->thread_started) {
		if (write(con->stop_fd, &one, sizeof(one)) < 0)
			pthread_cancel(con->thread);
		pthread_join(con->thread, NULL);
		con->thread_started = false;
	}
	if (con->tty_raw)
		tcsetattr(STDIN_FILENO, TCSANOW, &saved_tio);
	if (con->stop_fd >= 0)
		close(con->stop_fd);
	if (con->room_fd >= 0)
		close(con->room_fd);
	if (con->kind == NC_CON_FILE && con->out_fd >= 0)
		close(con->out_fd);
	con->out_fd = con->stop_fd = con->room_fd = -1;
}
