// SPDX-License-Identifier: GPL-2.0
/*
 * docs/abi.md against ion.h: every byte-table row must carry the offset and
 * size the compiler gives, every field of the documented structures must
 * have a row, and every structure's "Size:" line must match sizeof.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "../nc_check.h"
#include <nipcell/ion.h>

struct field {
	const char *type, *name;
	size_t off, size;
	bool seen;
};

#define F(T, f) { #T, #f, offsetof(struct T, f), sizeof(((struct T *)0)->f), false }

static struct field fields[] = {
	F(ion_header, magic), F(ion_header, abi_major), F(ion_header, abi_minor),
	F(ion_header, window_size), F(ion_header, header_size),
	F(ion_header, nr_valves), F(ion_header, features),
	F(ion_header, guest_features), F(ion_header, host_state),
	F(ion_header, guest_state), F(ion_header, doorbell_gpa),
	F(ion_header, doorbell_size), F(ion_header, guest_status),
	F(ion_header, valves), F(ion_header, host_request),
	F(ion_header, reserved), F(ion_header, init_uptime_us),
	F(ion_valve, type), F(ion_valve, id), F(ion_valve, nr_queues),
	F(ion_valve, irq), F(ion_valve, status), F(ion_valve, error),
	F(ion_valve, data_off), F(ion_valve, data_size), F(ion_valve, queues),
	F(ion_valve, config),
	F(ion_queue, sq_off), F(ion_queue, cq_off), F(ion_queue, entries),
	F(ion_queue, sqe_size), F(ion_queue, cqe_size), F(ion_queue, doorbell),
	F(ion_queue, reserved),
	F(ion_ring, prod), F(ion_ring, prod_pad), F(ion_ring, cons),
	F(ion_ring, event), F(ion_ring, cons_pad),
	F(ion_sqe, opcode), F(ion_sqe, flags), F(ion_sqe, len), F(ion_sqe, off),
	F(ion_sqe, data_off), F(ion_sqe, id),
	F(ion_cqe, id), F(ion_cqe, status), F(ion_cqe, len),
	F(ion_input_event, time_ns), F(ion_input_event, type),
	F(ion_input_event, code), F(ion_input_event, value),
	F(ion_blk_config, capacity), F(ion_blk_config, logical_block_size),
	F(ion_blk_config, physical_block_size), F(ion_blk_config, max_sectors),
	F(ion_blk_config, flags), F(ion_blk_config, max_discard_sectors),
	F(ion_blk_config, max_write_zeroes_sectors),
	F(ion_blk_config, discard_granularity), F(ion_blk_config, slot_size),
	F(ion_blk_config, reserved),
	F(ion_net_config, mac), F(ion_net_config, mtu), F(ion_net_config, buf_size),
	F(ion_net_config, flags), F(ion_net_config, reserved),
	F(ion_input_config, bustype), F(ion_input_config, vendor),
	F(ion_input_config, product), F(ion_input_config, version),
	F(ion_input_config, evbit), F(ion_input_config, relbit),
	F(ion_input_config, keybit), F(ion_input_config, name),
	F(ion_input_config, reserved),
	F(ion_export_config, guest_device), F(ion_export_config, slot_size),
	F(ion_export_config, host_reserved), F(ion_export_config, state),
	F(ion_export_config, error), F(ion_export_config, capacity),
	F(ion_export_config, logical_block_size),
	F(ion_export_config, physical_block_size),
	F(ion_export_config, max_sectors), F(ion_export_config, flags),
	F(ion_export_config, max_discard_sectors),
	F(ion_export_config, max_write_zeroes_sectors),
	F(ion_export_config, discard_granularity),
	F(ion_export_config, guest_reserved),
};

static const struct {
	const char *type;
	size_t size;
} sizes[] = {
	{ "ion_header", sizeof(struct ion_header) },
	{ "ion_valve", sizeof(struct ion_valve) },
	{ "ion_queue", sizeof(struct ion_queue) },
	{ "ion_ring", sizeof(struct ion_ring) },
	{ "ion_sqe", sizeof(struct ion_sqe) },
	{ "ion_cqe", sizeof(struct ion_cqe) },
	{ "ion_input_event", sizeof(struct ion_input_event) },
	{ "ion_blk_config", sizeof(struct ion_blk_config) },
	{ "ion_net_config", sizeof(struct ion_net_config) },
	{ "ion_input_config", sizeof(struct ion_input_config) },
	{ "ion_export_config", sizeof(struct ion_export_config) },
};

static struct field *lookup(const char *type, const char *name)
{
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		if (!strcmp(fields[i].type, type) && !strcmp(fields[i].name, name))
			return &fields[i];
	return NULL;
}

static size_t size_of(const char *type)
{
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
		if (!strcmp(sizes[i].type, type))
			return sizes[i].size;
	return 0;
}

START_TEST(doc_matches_header)
{
	FILE *f = fopen(NC_ABI_DOC, "r");
	char line[512], type[64] = "", name[64];
	unsigned structs = 0, rows = 0, lineno = 0;
	size_t off, size;

	ck_assert_msg(f, "cannot open %s", NC_ABI_DOC);
	while (fgets(line, sizeof(line), f)) {
		lineno++;
		if (sscanf(line, "### struct %63s", type) == 1) {
			ck_assert_msg(size_of(type), "%s:%u: struct %s is not in ion.h",
				      NC_ABI_DOC, lineno, type);
			structs++;
			continue;
		}
		if (!*type)
			continue;
		if (sscanf(line, "Size: %zu bytes.", &size) == 1) {
			ck_assert_msg(size == size_of(type),
				      "%s:%u: sizeof(struct %s) is %zu, the doc says %zu",
				      NC_ABI_DOC, lineno, type, size_of(type), size);
			continue;
		}
		if (sscanf(line, "| `%63[a-z_]` | %zu | %zu |", name, &off, &size) == 3) {
			struct field *fl = lookup(type, name);

			ck_assert_msg(fl, "%s:%u: %s.%s is not in ion.h (or this test)",
				      NC_ABI_DOC, lineno, type, name);
			ck_assert_msg(fl->off == off && fl->size == size,
				      "%s:%u: %s.%s is at %zu, %zu bytes; the doc says %zu, %zu",
				      NC_ABI_DOC, lineno, type, name, fl->off, fl->size,
				      off, size);
			ck_assert_msg(!fl->seen, "%s:%u: %s.%s documented twice",
				      NC_ABI_DOC, lineno, type, name);
			fl->seen = true;
			rows++;
		}
	}
	fclose(f);
	ck_assert_uint_eq(structs, sizeof(sizes) / sizeof(sizes[0]));
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		ck_assert_msg(fields[i].seen, "%s: no row for %s.%s", NC_ABI_DOC,
			      fields[i].type, fields[i].name);
	ck_assert_uint_eq(rows, sizeof(fields) / sizeof(fields[0]));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("ion_abi_doc");
	TCase *tc = tcase_create("abi_doc");

	tcase_add_test(tc, doc_matches_header);
	suite_add_tcase(s, tc);
	return nc_check_run(s);
}
