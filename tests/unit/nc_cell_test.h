/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A planned cell from cell.toml text, the way check, dtb and run plan one
 * (nc_config_parse() then nc_cell_plan()), without any file: for the tests
 * of the device tree and the device table.
 */
#ifndef NC_CELL_TEST_H
#define NC_CELL_TEST_H

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cell.h"

/* 0 or the -errno of the step that failed, with err set. */
__attribute__((format(printf, 4, 5)))
static inline int nc_test_cell(struct nc_cell *cell, char *err, size_t errlen,
			       const char *fmt, ...)
{
	char text[4096];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	memset(cell, 0, sizeof(*cell));
	if (nc_config_parse(&cell->cfg, "cell.toml", text, strlen(text), err, errlen))
		return -EINVAL;
	return nc_cell_plan(cell, err, errlen);
}

#endif /* NC_CELL_TEST_H */
