// SPDX-License-Identifier: GPL-2.0
/*
 * 16550A UART. Transmission is instant (each THR write goes straight to the
 * console), so the transmitter is always empty; the receiver is a bounded
 * FIFO filled by the console input thread.
 *
 * As a device of the table (nc_uart_device, at the end): uart0 is the
 * cell's console ([console]), uart1 the optional second port ([serial]),
 * each with its own console backend; Linux names them ttyS0 and ttyS1
 * through the serial0/serial1 aliases.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arch/arm64/layout.h"
#include "config/config.h"
#include "console.h"
#include "devices/device.h"
#include "dtb/fdt.h"
#include "machine.h"
#include "uart.h"
#include "util/errf.h"

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

void nc_uart_reset(struct nc_uart *u)
{
	pthread_mutex_lock(&u->lock);
	u->ier = u->lcr = u->scr = u->dll = u->dlm = u->fcr = 0;
	u->mcr = 0x08;
	u->thre_pending = false;
	u->irq_level = 0;
	u->rx_head = u->rx_len = 0;
	pthread_mutex_unlock(&u->lock);
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

/* ---- the device ---- */

struct uart_dev {
	struct nc_uart		uart;	/* first: the MMIO handler's opaque */
	struct nc_console	con;
	struct nc_machine	*m;
	const struct nc_dev	*d;
};

static void dev_set_irq(void *opaque, int level)
{
	struct uart_dev *u = opaque;

	u->m->ops->set_irq(u->m, u->d->spi, level);
}

static void dev_tx(void *opaque, const uint8_t *buf, size_t len)
{
	struct uart_dev *u = opaque;

	nc_console_write(&u->con, buf, len);
}

static void dev_rx_room(void *opaque)
{
	struct uart_dev *u = opaque;

	nc_console_rx_room(&u->con);
}

static const struct nc_uart_ops dev_uart_ops = {
	.set_irq = dev_set_irq,
	.tx = dev_tx,
	.rx_room = dev_rx_room,
};

static unsigned uart_count(const struct nc_config *c)
{
	return c->serial ? 2 : 1;
}

static void uart_place(struct nc_dev *d, const struct nc_config *c)
{
	(void)c;
	d->nr_regs = 1;
	d->reg[0].name = d->name;
	d->reg[0].base = NC_UART_BASE + d->idx * NC_UART_STRIDE;
	d->reg[0].size = NC_UART_SIZE;
	d->spi = NC_SPI_UART + d->idx;
	d->nr_spis = 1;
}

static void uart_fdt(struct nc_fdt *f, const struct nc_dev *d,
		     const struct nc_config *c)
{
	const struct nc_fdt_reg reg = { d->reg[0].base, d->reg[0].size };

	(void)c;
	nc_fdt_begin_node(f, "uart@%" PRIx64, d->reg[0].base);
	NC_FDT(f, fdt_property_string(f->fdt, "compatible", "ns16550a"));
	nc_fdt_prop_reg(f, "reg", &reg, 1);
	NC_FDT(f, fdt_property_cell(f->fdt, "clock-frequency", NC_UART_CLOCK));
	nc_fdt_prop_irq(f, NC_FDT_GIC_SPI, d->spi, NC_FDT_IRQ_LEVEL_HIGH);
	NC_FDT(f, fdt_property_cell(f->fdt, "reg-shift", 0));
	NC_FDT(f, fdt_property_cell(f->fdt, "reg-io-width", 1));
	nc_fdt_end_node(f);
}

static int uart_init(struct nc_dev *d, struct nc_machine *m, char *err,
		     size_t errlen)
{
	const struct nc_config *c = m->cfg;
	struct uart_dev *u = calloc(1, sizeof(*u));
	enum nc_console_mode mode = d->idx ? c->serial_mode : c->console_mode;
	const char *path = d->idx ? c->serial_path : c->console_path;
	char msg[256];
	int ret;

	if (!u)
		return nc_errf(-ENOMEM, err, errlen, "%s: out of memory", d->name);
	u->m = m;
	u->d = d;
	nc_uart_init(&u->uart, &dev_uart_ops, u);
	d->state = u;
	ret = nc_console_open(&u->con, (enum nc_console_kind)mode, path, msg,
			      sizeof(msg));
	if (ret)
		return nc_errf(ret < 0 ? ret : -EIO, err, errlen, "%s: %s",
			       d->name, msg);
	/* uart0 has [console] max_size; uart1 keeps the default cap. */
	if (!d->idx && c->console_max_size)
		nc_console_set_max_size(&u->con, c->console_max_size);
	ret = nc_console_start_input(&u->con, &u->uart);
	if (ret)
		return nc_errf(ret < 0 ? ret : -EAGAIN, err, errlen,
			       "%s: console input thread: %s", d->name,
			       strerror(ret < 0 ? -ret : EAGAIN));
	return 0;
}

static void uart_exit(struct nc_dev *d, struct nc_machine *m)
{
	struct uart_dev *u = d->state;

	(void)m;
	if (!u)
		return;
	nc_console_close(&u->con);
	if (u->con.dropped)
		fprintf(stderr, "nipcell-vmm: %s: %llu output bytes dropped\n",
			d->name, u->con.dropped);
	free(u);
	d->state = NULL;
}

/* A restart: the 16550 as at power-on, its console (fds, threads) kept. */
static void uart_reset(struct nc_dev *d, struct nc_machine *m)
{
	struct uart_dev *u = d->state;

	(void)m;
	nc_uart_reset(&u->uart);
}

const struct nc_device nc_uart_device = {
	.name = "uart",
	.alias = "serial",
	.count = uart_count,
	.max = NC_MAX_UARTS,
	.place = uart_place,
	.mmio = nc_uart_mmio,
	.fdt = uart_fdt,
	.init = uart_init,
	.exit = uart_exit,
	.reset = uart_reset,
};
