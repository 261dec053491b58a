// SPDX-License-Identifier: GPL-2.0
/*
 * 16550A UART. Transmission is instant (each THR write goes straight to the
 * console), so the transmitter is always empty; the receiver is a bounded
 * FIFO filled by the console input thread.
 */
#include <string.h>

#include "uart.h"

/* Register offsets (DLAB = 0 unless noted) and bits, from the 16550 data sheet. */
#define UART_RBR	0	/* read: receive buffer; write: THR; DLAB: DLL */
#define UART_IER	1	/* DLAB: DLM */
#define UART_IIR	2	/* read; write: FCR */
#define UART_LCR	3
#define UART_MCR	4
#define UART_LSR	5
#define UART_MSR	6
#define UART_SCR	7

#define IER_RDI		0x01
#define IER_THRI	0x02
#define IER_MASK	0x0f

#define IIR_NO_INT	0x01
#define IIR_THRI	0x02
#define IIR_RDI		0x04
#define IIR_FIFO	0xc0	/* FIFOs enabled */

#define FCR_ENABLE	0x01
#define FCR_CLEAR_RX	0x02

#define LCR_DLAB	0x80
#define MCR_LOOP	0x10

#define LSR_DR		0x01
#define LSR_THRE	0x20
#define LSR_TEMT	0x40

#define MSR_DCD		0x80
#define MSR_DSR		0x20
#define MSR_CTS		0x10

void nc_uart_init(struct nc_uart *u, const struct nc_uart_ops *ops, void *opaque)
{
	memset(u, 0, sizeof(*u));
	pthread_mutex_init(&u->lock, NULL);
	u->ops = ops;
	u->opaque = opaque;
	u->mcr = 0x08;		/* OUT2: interrupts routed */
}

static size_t uart_rx_room(const struct nc_uart *u);

static void uart_update_irq(struct nc_uart *u)
{
	int level = ((u->ier & IER_RDI) && u->rx_len) ||
		    ((u->ier & IER_THRI) && u->thre_pending);

	if (level != u->irq_level) {
		u->irq_level = level;
		u->ops->set_irq(u->opaque, level);
	}
}

static uint8_t uart_iir(struct nc_uart *u)
{
	uint8_t fifo = (u->fcr & FCR_ENABLE) ? IIR_FIFO : 0;

	if ((u->ier & IER_RDI) && u->rx_len)
		return fifo | IIR_RDI;
	if ((u->ier & IER_THRI) && u->thre_pending) {
		u->thre_pending = false;	/* reading IIR clears it */
		return fifo | IIR_THRI;
	}
	return fifo | IIR_NO_INT;
}

static uint8_t uart_read(struct nc_uart *u, unsigned reg)
{
	uint8_t v;

	switch (reg) {
	case UART_RBR:
		if (u->lcr & LCR_DLAB)
			return u->dll;
		if (!u->rx_len)
			return 0;
		v = u->rx[u->rx_head];
		u->rx_head = (u->rx_head + 1) % NC_UART_FIFO;
		u->rx_len--;
		return v;
	case UART_IER:
		return (u->lcr & LCR_DLAB) ? u->dlm : u->ier;
	case UART_IIR:
		return uart_iir(u);
	case UART_LCR:
		return u->lcr;
	case UART_MCR:
		return u->mcr;
	case UART_LSR:
		return LSR_THRE | LSR_TEMT | (u->rx_len ? LSR_DR : 0);
	case UART_MSR:
		return MSR_DCD | MSR_DSR | MSR_CTS;
	default:
		return u->scr;
	}
}

static void uart_write(struct nc_uart *u, unsigned reg, uint8_t v)
{
	switch (reg) {
	case UART_RBR:
		if (u->lcr & LCR_DLAB) {
			u->dll = v;
			break;
		}
		if (!(u->mcr & MCR_LOOP))
			u->ops->tx(u->opaque, &v, 1);
		u->thre_pending = true;		/* sent at once: empty again */
		break;
	case UART_IER:
		if (u->lcr & LCR_DLAB) {
			u->dlm = v;
			break;
		}
		/* Enabling THRI with the transmitter empty raises it at once. */
		if ((v & IER_THRI) && !(u->ier & IER_THRI))
			u->thre_pending = true;
		u->ier = v & IER_MASK;
		break;
	case UART_IIR:
		u->fcr = v;
		if (v & FCR_CLEAR_RX)
			u->rx_head = u->rx_len = 0;
		break;
	case UART_LCR:
		u->lcr = v;
		break;
	case UART_MCR:
		u->mcr = v;
		break;
	case UART_SCR:
		u->scr = v;
		break;
	default:			/* LSR and MSR are read-only */
		break;
	}
}

void nc_uart_mmio(void *opaque, uint64_t off, uint8_t *data, uint32_t len,
		  bool is_write)
{
	struct nc_uart *u = opaque;

	size_t room_before;

	/* Byte registers; a wider access touches only its low byte. */
	pthread_mutex_lock(&u->lock);
	room_before = uart_rx_room(u);
	if (off >= 8) {
		if (!is_write)
			memset(data, 0, len);
	} else if (is_write) {
		uart_write(u, off, data[0]);
	} else {
		memset(data, 0, len);
		data[0] = uart_read(u, off);
	}
	uart_update_irq(u);
	if (u->ops->rx_room && uart_rx_room(u) && !room_before)
		u->ops->rx_room(u->opaque);
	pthread_mutex_unlock(&u->lock);
}

/*
 * Input is taken only while the guest has receive interrupts enabled: Linux
 * clears the FIFO when it opens the port, so earlier bytes would be lost.
 * Until then the console thread keeps them (bounded, never dropped).
 */
static size_t uart_rx_room(const struct nc_uart *u)
{
	return (u->ier & IER_RDI) ? NC_UART_FIFO - u->rx_len : 0;
}

size_t nc_uart_rx(struct nc_uart *u, const uint8_t *buf, size_t len)
{
	size_t n = 0;

	pthread_mutex_lock(&u->lock);
	while (n < len && uart_rx_room(u)) {
		u->rx[(u->rx_head + u->rx_len) % NC_UART_FIFO] = buf[n++];
		u->rx_len++;
	}
	uart_update_irq(u);
	pthread_mutex_unlock(&u->lock);
	return n;
}

size_t nc_uart_rx_space(struct nc_uart *u)
{
	size_t n;

	pthread_mutex_lock(&u->lock);
	n = uart_rx_room(u);
	pthread_mutex_unlock(&u->lock);
	return n;
}
