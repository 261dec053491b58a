// SPDX-License-Identifier: GPL-2.0
/*
 * The host's table of valve types (ion/host/types.c) against the helpers
 * host and guest share in ion.h, and the layout refusing a type it does not
 * know. Uses the host's private header: the table is not public API.
 */
#include "../nc_check.h"
#include <errno.h>
#include <string.h>

#include "../../../ion/host/host.h"
#include "testutil.h"

START_TEST(table_matches_abi_helpers)
{
	uint16_t seen[16];

	ck_assert_uint_eq(ion_nr_valve_types, 4);
	for (unsigned i = 0; i < ion_nr_valve_types; i++) {
		const struct ion_valve_type *t = ion_valve_types[i];

		ck_assert_ptr_nonnull(ion_valve_type_name(t->type));
		ck_assert_str_eq(t->name, ion_valve_type_name(t->type));
		ck_assert_str_eq(ion_host_valve_type_name(t->type), t->name);
		ck_assert_uint_eq(t->nr_queues, ion_valve_type_queues(t->type));
		ck_assert_uint_ge(t->nr_queues, 1);
		ck_assert_uint_le(t->nr_queues, ION_MAX_QUEUES);
		ck_assert_uint_eq(t->entries & (t->entries - 1), 0);
		ck_assert_ptr_eq(ion_valve_type_find(t->type), t);
		ck_assert_ptr_nonnull(t->open);
		ck_assert_ptr_nonnull(t->ops);
		for (unsigned j = 0; j < i; j++)
			ck_assert_uint_ne(seen[j], t->type);
		seen[i] = t->type;
	}
	/* numbering order: block, net, input */
	ck_assert_uint_eq(ion_valve_types[0]->type, ION_VALVE_BLK);
	ck_assert_uint_eq(ion_valve_types[1]->type, ION_VALVE_NET);
	ck_assert_uint_eq(ion_valve_types[2]->type, ION_VALVE_INPUT);
	ck_assert_uint_eq(ion_valve_type_queues(ION_VALVE_NET), 2);
	ck_assert_str_eq(ion_valve_type_name(ION_VALVE_INPUT), "input");
}
END_TEST

START_TEST(unknown_types)
{
	ck_assert_ptr_null(ion_valve_type_name(ION_VALVE_NONE));
	ck_assert_ptr_null(ion_valve_type_name(99));
	ck_assert_uint_eq(ion_valve_type_queues(ION_VALVE_NONE), 0);
	ck_assert_uint_eq(ion_valve_type_queues(0xffff), 0);
	ck_assert_ptr_null(ion_host_valve_type_name(99));
	ck_assert_ptr_null(ion_valve_type_find(ION_VALVE_NONE));
}
END_TEST

/* A descriptor of a type the table lacks is refused, not shaped. */
START_TEST(layout_refuses_unknown_type)
{
	struct ion_host_spec s = default_spec(NULL);
	struct ion_valve d[2];
	char err[256] = "";

	memset(d, 0, sizeof(d));
	d[0].type = ION_VALVE_INPUT;
	d[1].type = 99;
	ck_assert_int_eq(ion_layout(&s, d, 2, err, sizeof(err)), -EINVAL);
	ck_assert_str_eq(err, "ion valve 1: unknown valve type 99");
	ck_assert_uint_eq(d[1].nr_queues, 0);
	ck_assert_uint_eq(d[1].queues[0].entries, 0);
	/* the known ones are laid out from the table */
	d[1].type = ION_VALVE_NET;
	ck_assert_int_eq(ion_layout(&s, d, 2, err, sizeof(err)), 0);
	ck_assert_uint_eq(d[0].nr_queues, ION_INPUT_QUEUES);
	ck_assert_uint_eq(d[0].queues[0].entries, ion_input_type.entries);
	ck_assert_uint_eq(d[0].data_size, 0);
	ck_assert_uint_eq(d[1].nr_queues, ION_NET_QUEUES);
	ck_assert_uint_eq(d[1].data_size, 2ULL * ion_net_type.entries *
			  ION_HOST_NET_BUF_SIZE);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("ion_types");
	TCase *tc = tcase_create("types");

	tcase_add_test(tc, table_matches_abi_helpers);
	tcase_add_test(tc, unknown_types);
	tcase_add_test(tc, layout_refuses_unknown_type);
	suite_add_tcase(s, tc);
	return nc_check_run(s);
}
