// SPDX-License-Identifier: GPL-2.0
/* The 16550 UART as Linux's 8250 driver drives it. */
#include <check.h>

#include "../nc_check.h"
#include <string.h>

#include "devices/uart.h"

struct fake {
	int	rooms;
	int	level;
	int	edges;
	char	out[256];
	size_t	nout;
};

static void fake_irq(void *o, int level)
{
	struct fake *f = o;

	f->level = level;
	f->edges++;
}

static void fake_tx(void *o, const uint8_t *buf, size_t len)
{
	struct fake *f = o;

	memcpy(f->out + f->nout, buf, len);
	f->nout += len;
}

static void fake_room(void *o)
{
	((struct fake *)o)->rooms++;
}

static const struct nc_uart_ops ops = {
	.set_irq = fake_irq, .tx = fake_tx, .rx_room = fake_room,
};
static struct nc_uart u;
static struct fake f;

static void setup(void)
{
	memset(&f, 0, sizeof(f));
	nc_uart_init(&u, &ops, &f);
}

static uint8_t rd(unsigned reg)
{
	uint8_t d[8];

	nc_uart_mmio(&u, reg, d, 1, false);
	return d[0];
}

static void wr(unsigned reg, uint8_t v)
{
	uint8_t d[8] = { v };

	nc_uart_mmio(&u, reg, d, 1, true);
}

START_TEST(tx_reaches_console_and_lsr_says_empty)
{
	wr(0, 'h');
	wr(0, 'i');
	ck_assert_uint_eq(f.nout, 2);
	ck_assert(!memcmp(f.out, "hi", 2));
	ck_assert_uint_eq(rd(5) & 0x60, 0x60);	/* THRE | TEMT */
	ck_assert_uint_eq(rd(5) & 0x01, 0);	/* no data */
	ck_assert_int_eq(f.level, 0);		/* no interrupt enabled */
}
END_TEST

START_TEST(rx_fifo_bounded_and_ordered)
{
	uint8_t buf[100];
	size_t i;

	for (i = 0; i < sizeof(buf); i++)
		buf[i] = i;
	wr(1, 0x01);				/* the guest opened the port */
	ck_assert_uint_eq(nc_uart_rx(&u, buf, sizeof(buf)), NC_UART_FIFO);
	ck_assert_uint_eq(nc_uart_rx_space(&u), 0);
	ck_assert_uint_eq(nc_uart_rx(&u, buf, 1), 0);
	for (i = 0; i < NC_UART_FIFO; i++) {
		ck_assert_uint_eq(rd(5) & 0x01, 1);
		ck_assert_uint_eq(rd(0), i);
	}
	ck_assert_uint_eq(rd(5) & 0x01, 0);
	ck_assert_uint_eq(nc_uart_rx_space(&u), NC_UART_FIFO);
}
END_TEST

START_TEST(rx_held_until_the_guest_enables_it)
{
	uint8_t c = 'x';

	ck_assert_uint_eq(nc_uart_rx_space(&u), 0);
	ck_assert_uint_eq(nc_uart_rx(&u, &c, 1), 0);	/* not taken, not lost */
	ck_assert_uint_eq(rd(5) & 0x01, 0);
	wr(1, 0x01);
	ck_assert_uint_eq(nc_uart_rx_space(&u), NC_UART_FIFO);
	ck_assert_uint_eq(nc_uart_rx(&u, &c, 1), 1);
}
END_TEST

START_TEST(rx_room_announced_when_it_appears)
{
	uint8_t buf[NC_UART_FIFO] = { 0 };

	ck_assert_int_eq(f.rooms, 0);
	wr(1, 0x01);				/* the guest opens the port */
	ck_assert_int_eq(f.rooms, 1);
	wr(1, 0x01);				/* no change, no call */
	ck_assert_int_eq(f.rooms, 1);
	ck_assert_uint_eq(nc_uart_rx(&u, buf, sizeof(buf)), NC_UART_FIFO);
	rd(5);					/* still full: no call */
	ck_assert_int_eq(f.rooms, 1);
	rd(0);					/* a byte taken: room again */
	ck_assert_int_eq(f.rooms, 2);
}
END_TEST

START_TEST(rx_interrupt_follows_data_and_ier)
{
	uint8_t c = 'x';

	wr(1, 0x01);				/* ERBFI */
	nc_uart_rx(&u, &c, 1);
	ck_assert_int_eq(f.level, 1);
	ck_assert_uint_eq(rd(2) & 0x0f, 0x04);	/* IIR: RX data */
	ck_assert_uint_eq(rd(0), 'x');
	ck_assert_int_eq(f.level, 0);
	ck_assert_uint_eq(rd(2) & 0x01, 0x01);	/* IIR: none */
}
END_TEST

START_TEST(thre_interrupt_raised_on_enable_cleared_by_iir)
{
	wr(1, 0x02);				/* ETBEI with THR empty */
	ck_assert_int_eq(f.level, 1);
	ck_assert_uint_eq(rd(2) & 0x0f, 0x02);	/* IIR: THR empty, and clears */
	ck_assert_int_eq(f.level, 0);
	wr(0, 'a');				/* transmit: empty again */
	ck_assert_int_eq(f.level, 1);
	wr(1, 0);
	ck_assert_int_eq(f.level, 0);
}
END_TEST

START_TEST(divisor_latch_and_scratch)
{
	wr(3, 0x80);				/* DLAB */
	wr(0, 0x01);
	wr(1, 0x02);
	ck_assert_uint_eq(rd(0), 0x01);
	ck_assert_uint_eq(rd(1), 0x02);
	ck_assert_uint_eq(f.nout, 0);		/* DLL write is not data */
	wr(3, 0x03);
	ck_assert_uint_eq(rd(1), 0);		/* IER again */
	wr(7, 0x5a);
	ck_assert_uint_eq(rd(7), 0x5a);
	wr(2, 0x07);				/* FIFO on, clear */
	ck_assert_uint_eq(rd(2) & 0xc0, 0xc0);
}
END_TEST

START_TEST(out_of_range_reads_zero)
{
	uint8_t d[8];

	memset(d, 0xff, sizeof(d));
	nc_uart_mmio(&u, 0x100, d, 4, false);
	ck_assert_uint_eq(d[0] | d[1] | d[2] | d[3], 0);
	nc_uart_mmio(&u, 0x100, d, 4, true);	/* ignored, no crash */
	ck_assert_uint_eq(f.nout, 0);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("uart");
	TCase *tc = tcase_create("16550");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, tx_reaches_console_and_lsr_says_empty);
	tcase_add_test(tc, rx_fifo_bounded_and_ordered);
	tcase_add_test(tc, rx_held_until_the_guest_enables_it);
	tcase_add_test(tc, rx_room_announced_when_it_appears);
	tcase_add_test(tc, rx_interrupt_follows_data_and_ier);
	tcase_add_test(tc, thre_interrupt_raised_on_enable_cleared_by_iir);
	tcase_add_test(tc, divisor_latch_and_scratch);
	tcase_add_test(tc, out_of_range_reads_zero);
	suite_add_tcase(s, tc);
	return nc_check_run(s);
}
