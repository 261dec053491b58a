/* SPDX-License-Identifier: GPL-2.0 */
/* The end of every Check test's main(): run the suite, report, exit status. */
#ifndef NC_CHECK_H
#define NC_CHECK_H

#include <check.h>
#include <stdlib.h>

static inline int nc_check_run(Suite *s)
{
	SRunner *sr = srunner_create(s);
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

#endif /* NC_CHECK_H */
