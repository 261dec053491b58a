// SPDX-License-Identifier: GPL-2.0
/*
 * The valve types this host has, in the order valves are numbered (block
 * first, then net, then input, then export). Layout, opening and naming all go through
 * this table; a type that is not in it is an error, never shaped like
 * another. Each entry is defined in its valve's file.
 */
#include "host.h"

const struct ion_valve_type *const ion_valve_types[] = {
	&ion_blk_type,
	&ion_net_type,
	&ion_input_type,
	&ion_export_type,
};
const unsigned ion_nr_valve_types = ARRAY_SIZE(ion_valve_types);

const struct ion_valve_type *ion_valve_type_find(uint16_t type)
{
	for (unsigned i = 0; i < ion_nr_valve_types; i++)
		if (ion_valve_types[i]->type == type)
			return ion_valve_types[i];
	return NULL;
}

const char *ion_host_valve_type_name(uint16_t type)
{
	const struct ion_valve_type *t = ion_valve_type_find(type);

	return t ? t->name : NULL;
}
