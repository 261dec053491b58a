// SPDX-License-Identifier: GPL-2.0
/* nc_bootargs_ion(): the kernel command line always names the window. */
#include <check.h>

#include "../nc_check.h"
#include <errno.h>
#include <string.h>

#include "arch/arm64/layout.h"
#include "dtb/bootargs.h"

#define BASE 0x90000000ULL

static char out[NC_CMDLINE_MAX + 64];
static char err[256];

static int run(const char *in, uint64_t base)
{
	memset(out, 0x55, sizeof(out));
	memset(err, 0, sizeof(err));
	return nc_bootargs_ion(out, sizeof(out), in, base, err, sizeof(err));
}

static void expect(const char *in, const char *want)
{
	ck_assert_int_eq(run(in, BASE), (int)strlen(want));
	ck_assert_str_eq(out, want);
	ck_assert_str_eq(err, "");
}

START_TEST(appended_when_absent)
{
	expect(NULL, "ion_base=0x90000000");
	expect("", "ion_base=0x90000000");
	expect("   ", "ion_base=0x90000000");
	expect("console=ttyS0", "console=ttyS0 ion_base=0x90000000");
	expect("console=ttyS0  ", "console=ttyS0 ion_base=0x90000000");
	/* Lookalikes are other parameters. */
	expect("xion_base=0x90000000 ion_base2=1",
	       "xion_base=0x90000000 ion_base2=1 ion_base=0x90000000");
}
END_TEST

START_TEST(kept_when_present)
{
	expect("console=ttyS0 ion_base=0x90000000",
	       "console=ttyS0 ion_base=0x90000000");
	expect("ion_base=0x90000000 quiet", "ion_base=0x90000000 quiet");
	/* Any spelling of the same number. */
	expect("ion_base=2415919104", "ion_base=2415919104");
	expect("ion_base=0X90000000", "ion_base=0X90000000");
	expect("ion_base=\"0x90000000\"", "ion_base=\"0x90000000\"");
}
END_TEST

START_TEST(before_init_args)
{
	expect("console=ttyS0 -- ion_base=0x1 single",
	       "console=ttyS0 ion_base=0x90000000 -- ion_base=0x1 single");
	expect("-- single", "ion_base=0x90000000 -- single");
	/* A quoted value with spaces is one token. */
	expect("dyndbg=\"file a.c +p\" -- x",
	       "dyndbg=\"file a.c +p\" ion_base=0x90000000 -- x");
	/* "--" inside a token does not end the kernel's part. */
	expect("a--b", "a--b ion_base=0x90000000");
}
END_TEST

START_TEST(other_base_refused)
{
	ck_assert_int_eq(run("console=ttyS0 ion_base=0x80000000", BASE), -EINVAL);
	ck_assert_str_eq(err, "bootargs say ion_base=0x80000000 but the ion window is at 0x90000000");
	ck_assert_int_eq(run("ion_base=0x90000000 ion_base=0x1", BASE), -EINVAL);
	ck_assert_int_eq(run("ion_base=", BASE), -EINVAL);
	ck_assert_int_eq(run("ion_base=0x90000000junk", BASE), -EINVAL);
	ck_assert_int_eq(run("ion_base=-1", BASE), -EINVAL);
	ck_assert_int_eq(run("ion_base=0x1234567890123456789012345678901234", BASE),
			 -EINVAL);
}
END_TEST

START_TEST(too_long)
{
	char in[NC_CMDLINE_MAX + 16];
	size_t n;

	/* Room for exactly " ion_base=0x90000000" (20 bytes) and the NUL. */
	n = NC_CMDLINE_MAX - 1 - 20;
	memset(in, 'a', n);
	in[n] = '\0';
	ck_assert_int_eq(run(in, BASE), NC_CMDLINE_MAX - 1);
	in[n] = 'a';
	in[n + 1] = '\0';
	ck_assert_int_eq(run(in, BASE), -EINVAL);
	ck_assert_str_eq(err, "bootargs are 2048 bytes with ion_base=; the arm64 kernel takes at most 2047");

	/* A small output buffer is an error, never an overrun. */
	memset(out, 0x55, sizeof(out));
	ck_assert_int_eq(nc_bootargs_ion(out, 8, "console=ttyS0", BASE, err,
					 sizeof(err)), -EINVAL);
	ck_assert_uint_eq((unsigned char)out[8], 0x55);
	ck_assert_int_eq(nc_bootargs_ion(out, 8, "x", BASE, NULL, 0), -EINVAL);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("bootargs");
	TCase *tc = tcase_create("ion_base");

	tcase_add_test(tc, appended_when_absent);
	tcase_add_test(tc, kept_when_present);
	tcase_add_test(tc, before_init_args);
	tcase_add_test(tc, other_base_refused);
	tcase_add_test(tc, too_long);
	suite_add_tcase(s, tc);

	return nc_check_run(s);
}
