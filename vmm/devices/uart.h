/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A 16550A UART, enough for Linux's 8250/of_serial driver as the guest
 * console: transmit, a receive FIFO fed from the host, the RX-data and
 * THR-empty interrupts, divisor latch and scratch registers.
 */
#ifndef NC_UART_H
#define NC_UART_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define NC_UART_FIFO	64

struct nc_uart_ops {
	/* Drive the interrupt line (level). Called with the UART lock held. */
	void	(*set_irq)(void *opaque, int level);
	/* Transmit bytes; may drop them when the console is off. */
	void	(*tx)(void *opaque, const uint8_t *buf, size_t len);
	/* Optional: the receiver may take bytes again. UART lock held. */
	void	(*rx_room)(void *opaque);
};

struct nc_uart {
	pthread_mutex_t		lock;
	const struct nc_uart_ops *ops;
	void			*opaque;
	uint8_t			ier, lcr, mcr, scr, dll, dlm, fcr;
	bool			thre_pending;	/* THR-empty interrupt owed */
	int			irq_level;
	uint8_t			rx[NC_UART_FIFO];
	unsigned		rx_head, rx_len;
};

void nc_uart_init(struct nc_uart *u, const struct nc_uart_ops *ops, void *opaque);
/* Registers and FIFO as nc_uart_init() leaves them (a guest restart). */
void nc_uart_reset(struct nc_uart *u);

/* The MMIO handler (nc_mmio_fn); registers are one byte apart (reg-shift 0). */
void nc_uart_mmio(void *opaque, uint64_t off, uint8_t *data, uint32_t len,
		  bool is_write);

/*
 * Queue received bytes; returns how many were taken: none until the guest
 * enables receive interrupts, at most the free FIFO space after that.
 */
size_t nc_uart_rx(struct nc_uart *u, const uint8_t *buf, size_t len);

/* Bytes nc_uart_rx() would take now; the input thread waits while 0. */
size_t nc_uart_rx_space(struct nc_uart *u);

#endif /* NC_UART_H */
