// SPDX-License-Identifier: GPL-2.0
/*
 * The guest console backends: the output ring and the thread that drains
 * it, and the stdin reader.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "config/config.h"
#include "console.h"
#include "devices/uart.h"
#include "sandbox/sandbox.h"
#include "util/errf.h"

#define CON_MASK	(NC_CONSOLE_RING - 1)
#define CON_NOTE_MAX	128		/* the truncation line; always has room */
#define CON_CHUNK	PIPE_BUF	/* after POLLOUT, a pipe takes this much */

_Static_assert(!(NC_CONSOLE_RING & CON_MASK), "NC_CONSOLE_RING: a power of two");

static struct termios saved_tio;

static int64_t con_now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* Copies len bytes into the ring at head; the caller checked the room. */
static void con_put(struct nc_console *con, const char *p, size_t len)
{
	size_t off = con->head & CON_MASK, first = NC_CONSOLE_RING - off;

	if (first > len)
		first = len;
	memcpy(con->ring + off, p, first);
	memcpy(con->ring, p + first, len - first);
	con->head += len;
}

/*
 * The output thread: writes ring[tail..head) out, one chunk after each
 * POLLOUT, so that a reader that stops reading stalls only this thread.
 * The lock is never held across poll() or write(), and only there can the
 * thread be cancelled (nc_console_close(), when a write still blocks, as on
 * a terminal with less room than a chunk).
 */
static void *console_output_thread(void *arg)
{
	struct nc_console *con = arg;
	struct pollfd pfd[2] = {
		{ .fd = con->out_fd, .events = POLLOUT },
		{ .fd = con->wake_fd, .events = POLLIN },
	};
	bool closing = false;
	size_t off, len;
	int64_t left = -1;
	sigset_t pipe_sig;
	ssize_t n;
	int ret, error;
	static unsigned nr_out;

	/* Restricted before the first byte of guest output (sandbox.h). */
	if (nc_sandbox_thread_enter(NC_THREAD_CONSOLE_OUT,
				    __atomic_fetch_add(&nr_out, 1, __ATOMIC_RELAXED)))
		return NULL;
	/* A reader that went away is an error (EPIPE) here, not a signal. */
	sigemptyset(&pipe_sig);
	sigaddset(&pipe_sig, SIGPIPE);
	pthread_sigmask(SIG_BLOCK, &pipe_sig, NULL);
	pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, NULL);
	pthread_mutex_lock(&con->lock);
	for (;;) {
		while (con->head == con->tail && !con->closing)
			pthread_cond_wait(&con->cond, &con->lock);
		if (con->head == con->tail)
			break;
		closing = con->closing;
		if (closing) {
			left = con->close_by_ms - con_now_ms();
			if (left <= 0)
				break;
		}
		off = con->tail & CON_MASK;
		len = con->head - con->tail;
		if (len > NC_CONSOLE_RING - off)
			len = NC_CONSOLE_RING - off;
		if (len > CON_CHUNK)
			len = CON_CHUNK;
		pthread_mutex_unlock(&con->lock);

		/* ring[off, off + len) is the writer's alone until tail moves. */
		pthread_setcancelstate(PTHREAD_CANCEL_ENABLE, NULL);
		n = 0;
		error = 0;
		ret = poll(pfd, closing ? 1 : 2, closing ? (int)left : -1);
		if (ret > 0 && (pfd[0].revents & POLLOUT)) {
			n = write(con->out_fd, con->ring + off, len);
			error = n < 0 ? errno : 0;
		} else if (ret > 0 && (pfd[0].revents & (POLLERR | POLLHUP | POLLNVAL))) {
			error = EPIPE;
		} else if (ret < 0) {
			error = errno;
		}
		pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, NULL);

		pthread_mutex_lock(&con->lock);
		if (n > 0)
			con->tail += n;
		if (error && error != EINTR && error != EAGAIN) {
			/* The output is gone: what is queued and all that follows is lost. */
			con->out_broken = true;
			con->dropped += con->head - con->tail;
			con->tail = con->head;
		}
	}
	pthread_mutex_unlock(&con->lock);
	return NULL;
}

static int con_start_output(struct nc_console *con, char *err, size_t errlen)
{
	int ret;

	con->wake_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (con->wake_fd < 0)
		return nc_errf(-errno, err, errlen, "console: eventfd: %s", strerror(errno));
	con->ring = malloc(NC_CONSOLE_RING);
	if (!con->ring) {
		close(con->wake_fd);
		con->wake_fd = -1;
		return nc_errf(-ENOMEM, err, errlen, "console: no memory for the output ring");
	}
	pthread_mutex_init(&con->lock, NULL);
	pthread_cond_init(&con->cond, NULL);
	ret = pthread_create(&con->out_thread, NULL, console_output_thread, con);
	if (ret)
		return nc_errf(-ret, err, errlen, "console output thread: %s", strerror(ret));
	con->out_started = true;
	return 0;
}

static void con_init(struct nc_console *con, enum nc_console_kind kind)
{
	memset(con, 0, sizeof(*con));
	con->kind = kind;
	con->out_fd = -1;
	con->stop_fd = -1;
	con->room_fd = -1;
	con->wake_fd = -1;
}

int nc_console_open(struct nc_console *con, enum nc_console_kind kind,
		    const char *path, char *err, size_t errlen)
{
	con_init(con, kind);
	switch (kind) {
	case NC_CON_STDIO:
		con->out_fd = STDOUT_FILENO;
		break;
	case NC_CON_FILE:
		con->out_fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
		if (con->out_fd < 0)
			return nc_errf(-errno, err, errlen, "console file %s: %s", path,
				       strerror(errno));
		con->out_own_fd = true;
		con->max_size = NC_CONSOLE_MAX_SIZE_DEFAULT;
		break;
	case NC_CON_OFF:
		return 0;
	}
	return con_start_output(con, err, errlen);
}

int nc_console_open_fd(struct nc_console *con, int fd, char *err, size_t errlen)
{
	con_init(con, NC_CON_STDIO);
	con->out_fd = fd;
	return con_start_output(con, err, errlen);
}

void nc_console_set_max_size(struct nc_console *con, uint64_t max)
{
	if (!con->ring)
		return;
	pthread_mutex_lock(&con->lock);
	con->max_size = max;
	pthread_mutex_unlock(&con->lock);
}

/* At the cap: one line saying so, in the room kept for it. */
static void con_note_truncated(struct nc_console *con)
{
	char note[CON_NOTE_MAX], size[32];
	bool nl = con->taken && con->ring[(con->head - 1) & CON_MASK] == '\n';
	size_t len;

	snprintf(note, sizeof(note),
		 "%s[nipcell-vmm: console output truncated at %s (max_size); the rest is dropped]\n",
		 nl ? "" : "\n", nc_size_str(size, sizeof(size), con->max_size));
	len = strlen(note);
	if (len <= NC_CONSOLE_RING - (con->head - con->tail))
		con_put(con, note, len);
	con->truncated = true;
}

void nc_console_write(struct nc_console *con, const void *buf, size_t len)
{
	size_t take = len, used, keep, room;
	bool was_empty;

	if (!con->ring)
		return;		/* off: discarded, not lost */
	pthread_mutex_lock(&con->lock);
	if (con->out_broken || con->closing || con->truncated)
		take = 0;
	if (con->max_size) {
		uint64_t left = con->taken < con->max_size ? con->max_size - con->taken : 0;

		if (take > left)
			take = left;
	}
	/* With a cap, the truncation line always finds room. */
	used = con->head - con->tail;
	keep = con->max_size ? CON_NOTE_MAX : 0;
	room = used + keep < NC_CONSOLE_RING ? NC_CONSOLE_RING - used - keep : 0;
	if (take > room)
		take = room;
	was_empty = !used;
	con_put(con, buf, take);
	con->taken += take;
	con->dropped += len - take;
	if (con->max_size && !con->truncated && take < len && con->taken >= con->max_size)
		con_note_truncated(con);
	if (was_empty && con->head != con->tail)
		pthread_cond_signal(&con->cond);
	pthread_mutex_unlock(&con->lock);
}

size_t nc_console_out_pending(struct nc_console *con)
{
	size_t n;

	if (!con->ring)
		return 0;
	pthread_mutex_lock(&con->lock);
	n = con->head - con->tail;
	pthread_mutex_unlock(&con->lock);
	return n;
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

	if (nc_sandbox_thread_enter(NC_THREAD_CONSOLE_IN, 0))
		return NULL;
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
	int ret;

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
	ret = pthread_create(&con->thread, NULL, console_input_thread, con);
	if (ret)
		return -ret;
	con->thread_started = true;
	return 0;
}

/* Ends the output thread within NC_CONSOLE_CLOSE_MS (and a little). */
static void con_stop_output(struct nc_console *con)
{
	struct timespec by;
	uint64_t one = 1;

	pthread_mutex_lock(&con->lock);
	con->closing = true;
	con->close_by_ms = con_now_ms() + NC_CONSOLE_CLOSE_MS;
	pthread_cond_broadcast(&con->cond);
	pthread_mutex_unlock(&con->lock);
	if (write(con->wake_fd, &one, sizeof(one)) < 0)
		one = 0;	/* already non-zero: the thread wakes anyway */
	clock_gettime(CLOCK_REALTIME, &by);
	by.tv_nsec += (NC_CONSOLE_CLOSE_MS + 100) * 1000000LL;
	by.tv_sec += by.tv_nsec / 1000000000;
	by.tv_nsec %= 1000000000;
	if (pthread_timedjoin_np(con->out_thread, NULL, &by)) {
		/* Blocked in write() on a reader that takes nothing more. */
		pthread_cancel(con->out_thread);
		pthread_join(con->out_thread, NULL);
	}
	con->out_started = false;
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
	if (con->ring) {
		if (con->out_started)
			con_stop_output(con);
		con->dropped += con->head - con->tail;	/* not written in time */
		con->tail = con->head;
		pthread_cond_destroy(&con->cond);
		pthread_mutex_destroy(&con->lock);
		free(con->ring);
		con->ring = NULL;
		close(con->wake_fd);
	}
	if (con->out_own_fd && con->out_fd >= 0)
		close(con->out_fd);
	con->out_own_fd = false;
	con->out_fd = con->stop_fd = con->room_fd = con->wake_fd = -1;
}
