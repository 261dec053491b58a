// SPDX-License-Identifier: GPL-2.0
/*
 * MSI-X of a passthrough function (vmm/vfio/msix.c) against a recording
 * machine: which vectors get a KVM MSI route (address, data, requester ID)
 * and an irqfd as the guest enables, masks and reprograms them, what VFIO
 * is asked for, and table accesses that are refused. The eventfds are real.
 */
#include <check.h>
#include <errno.h>
#include <string.h>

#include "../nc_check.h"
#include "machine.h"
#include "vfio/device.h"
#include "vfio/msix.h"
#include "vfio/pcicfg.h"

#define GSI0	(NC_GSI_MSI_FIRST + 2 * NC_PCI_MAX_VECTORS)	/* slot 2 */

static struct nc_msix x;
static unsigned nr_routes, nr_sets, set_count, want_index = VFIO_PCI_MSIX_IRQ_INDEX;
static uint64_t route_addr;
static uint32_t route_data, route_devid;
static bool irqfd_on[NC_PCI_MAX_VECTORS];

static int rec_route(struct nc_machine *m, unsigned gsi, uint64_t addr, uint32_t data,
		     uint32_t devid, bool valid, char *err, size_t errlen)
{
	(void)m, (void)err, (void)errlen;
	ck_assert_uint_ge(gsi, GSI0);
	if (valid) {
		nr_routes++;
		route_addr = addr;
		route_data = data;
		route_devid = devid;
	}
	return 0;
}

static int rec_irqfd(struct nc_machine *m, unsigned gsi, int fd, int resample,
		     bool assign, char *err, size_t errlen)
{
	(void)m, (void)err, (void)errlen;
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(resample, -1);
	ck_assert(irqfd_on[gsi - GSI0] != assign);	/* never twice the same */
	irqfd_on[gsi - GSI0] = assign;
	return 0;
}

static int rec_set_irqs(struct nc_vfio_dev *d, unsigned index, uint32_t action,
			unsigned start, unsigned count, const int *fds)
{
	unsigned i;

	(void)d;
	ck_assert_uint_eq(index, want_index);
	ck_assert_uint_eq(action, VFIO_IRQ_SET_ACTION_TRIGGER);
	ck_assert_uint_eq(start, 0);
	for (i = 0; i < count; i++)
		ck_assert_int_ge(fds[i], 0);
	nr_sets++;
	set_count = count;
	return 0;
}

static const struct nc_machine_ops ops = { .msi_route = rec_route, .gsi_irqfd = rec_irqfd };
static struct nc_machine m = { .ops = &ops };

static void tbl_w(unsigned v, unsigned word, uint32_t val)
{
	nc_msix_table(&x, v * 16 + word * 4, (uint8_t *)&val, 4, true);
}

static uint32_t tbl_r(unsigned v, unsigned word)
{
	uint32_t val = 0xdeadbeef;

	nc_msix_table(&x, v * 16 + word * 4, (uint8_t *)&val, 4, false);
	return val;
}

static unsigned nr_irqfds(void)
{
	unsigned i, n = 0;

	for (i = 0; i < NC_PCI_MAX_VECTORS; i++)
		n += irqfd_on[i];
	return n;
}

static void start(unsigned qsize)
{
	nr_routes = nr_sets = set_count = 0;
	want_index = VFIO_PCI_MSIX_IRQ_INDEX;
	memset(irqfd_on, 0, sizeof(irqfd_on));
	nc_msix_init(&x, &m, NULL, "test", qsize, GSI0, 2 << 3);
	x.set_irqs = rec_set_irqs;
}

static void setup(void)
{
	start(65);
}

static void teardown(void)
{
	nc_msix_exit(&x);
	ck_assert_uint_eq(nr_irqfds(), 0);
}

START_TEST(enable_unmask_route)
{
	ck_assert_uint_eq(tbl_r(0, 3), 1);		/* masked at reset */
	ck_assert_int_eq(nc_msix_control(&x, PCICFG_MSIX_ENABLE | PCICFG_MSIX_MASKALL), 0);
	ck_assert_uint_eq(nr_sets, 1);
	ck_assert_uint_eq(set_count, 65);		/* every vector at once */
	tbl_w(3, 0, 0x08090040);
	tbl_w(3, 1, 0);
	tbl_w(3, 2, 7);
	tbl_w(3, 3, 0);
	ck_assert_uint_eq(nr_irqfds(), 0);		/* function still masked */
	ck_assert_int_eq(nc_msix_control(&x, PCICFG_MSIX_ENABLE), 0);
	ck_assert_uint_eq(nr_irqfds(), 1);
	ck_assert(irqfd_on[3]);
	ck_assert_uint_eq(nr_routes, 1);
	ck_assert_uint_eq(route_addr, 0x08090040);
	ck_assert_uint_eq(route_data, 7);
	ck_assert_uint_eq(route_devid, 0x10);		/* 00:02.0 */
	ck_assert_uint_eq(tbl_r(3, 0), 0x08090040);
	ck_assert_uint_eq(tbl_r(3, 2), 7);
}
END_TEST

START_TEST(mask_keeps_route)
{
	nc_msix_control(&x, PCICFG_MSIX_ENABLE);
	tbl_w(0, 0, 0x08090040);
	tbl_w(0, 2, 1);
	tbl_w(0, 3, 0);
	ck_assert(irqfd_on[0]);
	tbl_w(0, 3, 1);					/* mask: irqfd off */
	ck_assert(!irqfd_on[0]);
	tbl_w(0, 3, 0);					/* unmask: back, same route */
	ck_assert(irqfd_on[0]);
	ck_assert_uint_eq(nr_routes, 1);
	tbl_w(0, 2, 2);					/* new data while live: rerouted */
	ck_assert_uint_eq(nr_routes, 2);
	ck_assert_uint_eq(route_data, 2);
	ck_assert_int_eq(nc_msix_control(&x, 0), 0);	/* disable: all off */
	ck_assert_uint_eq(nr_irqfds(), 0);
	ck_assert_uint_eq(nr_sets, 2);
	ck_assert_uint_eq(set_count, 0);
}
END_TEST

/* Plain MSI: one vector on VFIO's MSI index, its entry from the capability. */
START_TEST(msi_one_vector)
{
	nc_msix_exit(&x);
	start(1);
	nc_msix_use_msi(&x);
	want_index = VFIO_PCI_MSI_IRQ_INDEX;
	nc_msix_set_entry(&x, 0, 0x08090040, 0x21, false);
	ck_assert_uint_eq(nr_irqfds(), 0);		/* not enabled yet */
	ck_assert_int_eq(nc_msix_control(&x, PCICFG_MSIX_ENABLE), 0);
	ck_assert_uint_eq(nr_sets, 1);
	ck_assert_uint_eq(set_count, 1);
	ck_assert(irqfd_on[0]);
	ck_assert_uint_eq(route_addr, 0x08090040);
	ck_assert_uint_eq(route_data, 0x21);
	nc_msix_set_entry(&x, 0, 0x08090040, 0x21, true);	/* the mask bit */
	ck_assert(!irqfd_on[0]);
	nc_msix_set_entry(&x, 0, 0x08090040, 0x22, false);	/* new data, unmasked */
	ck_assert(irqfd_on[0]);
	ck_assert_uint_eq(route_data, 0x22);
	nc_msix_set_entry(&x, 1, 0, 0, false);		/* no second vector */
	ck_assert(!irqfd_on[1]);
	ck_assert_int_eq(nc_msix_control(&x, 0), 0);
	ck_assert_uint_eq(nr_irqfds(), 0);
	ck_assert_uint_eq(set_count, 0);
}
END_TEST

START_TEST(bad_table_accesses)
{
	uint16_t half = 0xffff;
	uint32_t v = 0;

	nc_msix_control(&x, PCICFG_MSIX_ENABLE);
	nc_msix_table(&x, 0, (uint8_t *)&half, 2, true);	/* no such width */
	ck_assert_uint_eq(tbl_r(0, 0), 0);
	nc_msix_table(&x, 2, (uint8_t *)&v, 4, false);		/* unaligned */
	ck_assert_uint_eq(v, 0);
	tbl_w(65, 3, 0);					/* past the table */
	ck_assert_uint_eq(nr_irqfds(), 0);
	tbl_w(1, 3, 0xfffffffe);				/* reserved bits dropped */
	ck_assert_uint_eq(tbl_r(1, 3), 0);
	ck_assert(irqfd_on[1]);					/* garbage route, no harm */
}
END_TEST

START_TEST(more_vectors_than_wired)
{
	nc_msix_exit(&x);
	start(200);
	nc_msix_control(&x, PCICFG_MSIX_ENABLE);
	ck_assert_uint_eq(set_count, NC_PCI_MAX_VECTORS);
	ck_assert_uint_eq(tbl_r(150, 3), 1);			/* beyond: masked */
	tbl_w(150, 3, 0);
	ck_assert_uint_eq(tbl_r(150, 3), 1);
	ck_assert_uint_eq(nr_irqfds(), 0);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("msix");
	TCase *tc = tcase_create("msix");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, enable_unmask_route);
	tcase_add_test(tc, mask_keeps_route);
	tcase_add_test(tc, bad_table_accesses);
	tcase_add_test(tc, msi_one_vector);
	tcase_add_test(tc, more_vectors_than_wired);
	suite_add_tcase(s, tc);
	return nc_check_run(s);
}
