// SPDX-License-Identifier: GPL-2.0
/*
 * nc_config: cell files that must be refused, each with the exact
 * FILE:LINE:COL: of the error and the key (or construct) the message names.
 */
#include <stdio.h>
#include <stdlib.h>
#include <errno.h>
#include <string.h>

#include <check.h>

#include "../nc_check.h"

#include "helpers.h"

struct bad {
	const char *text;
	const char *prefix;	/* the whole "cell.toml:L:C: " */
	const char *needle;	/* must appear in the message */
};

#define BOOT "[boot]\nkernel = \"Image\"\n"	/* two lines */

static const struct bad bad[] = {
	/* ---- syntax ---- */
	{ "[boot]\nkernel \"Image\"\n", "cell.toml:2:8: ",
	  "expected '=' after key 'kernel'" },
	{ "[cell]\nvcpus\n", "cell.toml:2:6: ", "missing '=' after key 'vcpus'" },
	{ "[cell]\nvcpus = # none\n", "cell.toml:2:9: ",
	  "missing value for key 'vcpus'" },
	{ "[boot]\nkernel = \"Image\n", "cell.toml:2:10: ",
	  "unterminated string for key 'kernel'" },
	{ "[boot]\nkernel = \"Image", "cell.toml:2:10: ",
	  "unterminated string for key 'kernel'" },
	{ "[boot]\ncmdline = \"a\\qb\"\n", "cell.toml:2:13: ",
	  "invalid escape '\\q' in string for key 'cmdline'" },
	{ "[boot]\ncmdline = \"\\u00e\"\n", "cell.toml:2:12: ",
	  "'\\u' needs 4 hex digits (key 'cmdline')" },
	{ "[boot]\ncmdline = \"\\uD800\"\n", "cell.toml:2:12: ",
	  "not a Unicode scalar value (key 'cmdline')" },
	{ "[boot]\ncmdline = \"\\u0000\"\n", "cell.toml:2:12: ",
	  "NUL is not allowed (key 'cmdline')" },
	{ "[boot]\nkernel = \"a\x01\"\n", "cell.toml:2:12: ",
	  "control character 0x01 in string for key 'kernel'" },
	{ "[boot]\nkernel = \"\xc3\x28\"\n", "cell.toml:2:11: ",
	  "invalid UTF-8 in string for key 'kernel'" },
	{ "[cell]\nvcpus = 2 x\n", "cell.toml:2:11: ",
	  "unexpected 'x' after the value of key 'vcpus'" },
	{ "[cell]\nvcpus = 2 \"\n", "cell.toml:2:11: ",
	  "after the value of key 'vcpus'" },
	{ "[cell] x\n", "cell.toml:1:8: ",
	  "unexpected 'x' after table header [cell]" },
	{ "[cell\n", "cell.toml:1:6: ", "expected ']' to close '[cell'" },
	{ "[ce ll]\n", "cell.toml:1:5: ", "expected ']' to close '[ce'" },
	{ "[[blk]\npath = \"d\"\n", "cell.toml:1:6: ",
	  "expected ']]' to close '[[blk'" },
	{ "[]\n", "cell.toml:1:2: ", "empty table name" },
	{ "[cell.x]\n", "cell.toml:1:6: ", "dotted table names ([cell...]) are not supported" },
	{ "[\"cell\"]\n", "cell.toml:1:2: ", "quoted table names" },
	{ "[cell]\n\"vcpus\" = 2\n", "cell.toml:2:1: ", "quoted keys" },
	{ "[cell]\nvcpus.x = 2\n", "cell.toml:2:6: ",
	  "dotted keys are not supported (key 'vcpus')" },
	{ "= 2\n", "cell.toml:1:1: ", "missing key before '='" },
	{ "[boot]\nkernel = 'Image'\n", "cell.toml:2:10: ",
	  "literal strings ('...') are not supported, use \"...\" (key 'kernel')" },
	{ "[boot]\nkernel = \"\"\"Image\"\"\"\n", "cell.toml:2:10: ",
	  "multi-line strings are not supported (key 'kernel')" },
	{ "[cell]\nvcpus = [1]\n", "cell.toml:2:9: ",
	  "arrays are not supported (key 'vcpus')" },
	{ "[cell]\nvcpus = { a = 1 }\n", "cell.toml:2:9: ",
	  "inline tables are not supported (key 'vcpus')" },
	{ "[cell]\nvcpus = 1.5\n", "cell.toml:2:9: ",
	  "floats are not supported (key 'vcpus')" },
	{ "[cell]\nvcpus = 1e3\n", "cell.toml:2:9: ",
	  "floats are not supported (key 'vcpus')" },
	{ "[cell]\nvcpus = nan\n", "cell.toml:2:9: ",
	  "floats are not supported (key 'vcpus')" },
	{ "[cell]\nvcpus = 2024-01-02\n", "cell.toml:2:9: ",
	  "dates and times are not supported (key 'vcpus')" },
	{ "[cell]\nmemory = 512M\n", "cell.toml:2:13: ",
	  "unexpected 'M' in integer for key 'memory' (strings need double quotes)" },
	{ "[cell]\nname = proof\n", "cell.toml:2:8: ",
	  "invalid value 'proof' for key 'name' (strings need double quotes)" },
	{ "[cell]\nvcpus = 02\n", "cell.toml:2:9: ",
	  "leading zeros are not allowed in integer for key 'vcpus'" },
	{ "[cell]\nvcpus = 1__0\n", "cell.toml:2:10: ",
	  "'_' in an integer must be between digits (key 'vcpus')" },
	{ "[cell]\nvcpus = 1_\n", "cell.toml:2:10: ",
	  "'_' in an integer must be between digits (key 'vcpus')" },
	{ "[cell]\nvcpus = 0x\n", "cell.toml:2:9: ",
	  "invalid integer '0x' for key 'vcpus'" },
	{ "[cell]\nvcpus = 0o7\n", "cell.toml:2:9: ",
	  "octal and binary integers are not supported (key 'vcpus')" },
	{ "[cell]\nvcpus = -0x1\n", "cell.toml:2:9: ",
	  "hex integers take no sign (key 'vcpus')" },
	{ "[cell]\nvcpus = 9223372036854775808\n", "cell.toml:2:9: ",
	  "integer for key 'vcpus' is too large" },
	{ "[cell]\nvcpus = tru\n", "cell.toml:2:9: ",
	  "invalid value 'tru' for key 'vcpus'" },
	{ "[cell]\rvcpus = 2\n", "cell.toml:1:7: ",
	  "carriage return not followed by a line feed" },
	{ "# \xff\n", "cell.toml:1:3: ", "invalid UTF-8 in comment" },
	{ "# a\x1b[0m\n", "cell.toml:1:4: ", "control character 0x1b in comment" },
	{ "\xef\xbb\xbf[cell]\n", "cell.toml:1:1: ", "unexpected byte 0xef" },
	{ "[cell]\nvcpus = @\n", "cell.toml:2:9: ",
	  "unexpected '@' in the value of key 'vcpus'" },
	{ "[cell]\n"
	  "k12345678901234567890123456789012345678901234567890123456789012345 = 1\n",
	  "cell.toml:2:1: ", "key 'k1234567890123456789...' is longer than 64 bytes" },

	/* ---- tables and keys ---- */
	{ "[cell]\n[memory]\n", "cell.toml:2:1: ",
	  "unknown table [memory] (known tables: cell, boot, ion, console, serial, blk, net, pci, input, control, sandbox, export)" },
	{ "[cell]\nname = \"x\"\n\n\n\n\nmemroy = \"512M\"\n", "cell.toml:7:1: ",
	  "unknown key 'memroy' in [cell]" },
	{ "[cell]\nkernel = \"Image\"\n", "cell.toml:2:1: ",
	  "unknown key 'kernel' in [cell]: it belongs in [boot]" },
	{ "vcpus = 2\n" BOOT, "cell.toml:1:1: ",
	  "key 'vcpus' is outside any table: it belongs in [cell]" },
	{ "bogus = 2\n", "cell.toml:1:1: ", "unknown key 'bogus' outside any table" },
	{ BOOT "[cell]\nvcpus = 2\n  vcpus = 3\n", "cell.toml:5:3: ",
	  "duplicate key 'vcpus' in [cell] (first on line 4)" },
	{ "[[blk]]\npath = \"a\"\npath = \"b\"\n", "cell.toml:3:1: ",
	  "duplicate key 'path' in [blk]" },
	{ "[cell]\n" BOOT "[cell]\n", "cell.toml:4:1: ",
	  "duplicate table [cell] (first on line 1)" },
	{ BOOT "[blk]\npath = \"d\"\n", "cell.toml:3:1: ",
	  "blk is an array of tables: write [[blk]]" },
	{ "[[cell]]\n", "cell.toml:1:1: ",
	  "cell is a table, not an array of tables: write [cell]" },

	/* ---- types ---- */
	{ "[cell]\nvcpus = \"2\"\n", "cell.toml:2:9: ",
	  "vcpus must be an integer, not a string" },
	{ "[boot]\nkernel = 1\n", "cell.toml:2:10: ",
	  "kernel must be a string, not an integer" },
	{ BOOT "[[blk]]\npath = \"d\"\nreadonly = 0\n", "cell.toml:5:12: ",
	  "readonly must be a boolean, not an integer" },
	{ "[cell]\nmemory = true\n", "cell.toml:2:10: ",
	  "memory must be a size (a string such as \"512M\", or an integer), not a boolean" },
	{ "[input]\nenabled = \"yes\"\n", "cell.toml:2:11: ",
	  "enabled must be a boolean, not a string" },
	{ "[net]\nmac = 5\n", "cell.toml:2:7: ", "mac must be a string" },

	/* ---- ranges ---- */
	{ "[cell]\nvcpus = 0\n", "cell.toml:2:9: ",
	  "vcpus must be between 1 and 8, not 0" },
	{ "[cell]\nvcpus = 9\n", "cell.toml:2:9: ",
	  "vcpus must be between 1 and 8, not 9" },
	{ "[cell]\nvcpus = -1\n", "cell.toml:2:9: ",
	  "vcpus must be between 1 and 8, not -1" },
	{ "[cell]\nmemory = \"32M\"\n", "cell.toml:2:10: ",
	  "memory must be between 64M and 16G, not 32M" },
	{ "[cell]\nmemory = \"17G\"\n", "cell.toml:2:10: ",
	  "memory must be between 64M and 16G, not 17G" },
	{ "[cell]\nmemory = -5\n", "cell.toml:2:10: ",
	  "memory must be between 64M and 16G, not -5" },
	{ "[cell]\nmemory = \"513M\"\n", "cell.toml:2:10: ",
	  "memory must be a multiple of 2M, not 513M" },
	{ "[ion]\nsize = \"512K\"\n", "cell.toml:2:8: ",
	  "size must be between 1M and 1G, not 512K" },
	{ "[ion]\nsize = \"2G\"\n", "cell.toml:2:8: ",
	  "size must be between 1M and 1G, not 2G" },
	{ "[ion]\nsize = 1048577\n", "cell.toml:2:8: ",
	  "size must be a multiple of 4K, not 1048577" },
	{ "[ion]\nbase = 0x90001000\n", "cell.toml:2:8: ",
	  "base 0x90001000 is not a multiple of 2M" },
	{ "[ion]\nbase = 0x100_0000_0000\n", "cell.toml:2:8: ",
	  "base must be between 0x0 and 0xffffffffff" },
	{ "[ion]\nsize = \"16M\"\nbase = 0xffffe00000\n", "cell.toml:3:1: ",
	  "ion window [0xffffe00000, 0x10000e00000) ends above 2^40" },
	{ "[net]\nmtu = 67\n", "cell.toml:2:7: ",
	  "mtu must be between 68 and 2030, not 67" },
	{ "[net]\nmtu = 2031\n", "cell.toml:2:7: ",
	  "mtu must be between 68 and 2030, not 2031" },

	/* ---- sizes ---- */
	{ "[cell]\nmemory = \"512Q\"\n", "cell.toml:2:10: ",
	  "memory: invalid size \"512Q\"" },
	{ "[cell]\nmemory = \"512MB\"\n", "cell.toml:2:10: ",
	  "memory: invalid size \"512MB\"" },
	{ "[cell]\nmemory = \"512m\"\n", "cell.toml:2:10: ",
	  "memory: invalid size \"512m\"" },
	{ "[ion]\nsize = \"1.5M\"\n", "cell.toml:2:8: ",
	  "size: invalid size \"1.5M\"" },
	{ "[ion]\nsize = \"\"\n", "cell.toml:2:8: ", "size: invalid size \"\"" },

	/* ---- values ---- */
	{ "[net]\nmac = \"53:54:00:12:34:56\"\n", "cell.toml:2:7: ",
	  "mac \"53:54:00:12:34:56\" is a multicast address" },
	{ "[net]\nmac = \"52:54:00:12:34\"\n", "cell.toml:2:7: ",
	  "mac \"52:54:00:12:34\" is not a MAC address" },
	{ "[net]\nmac = \"52:54:00:12:34:zz\"\n", "cell.toml:2:7: ",
	  "mac \"52:54:00:12:34:zz\" is not a MAC address" },
	{ "[net]\nmac = \"00:00:00:00:00:00\"\n", "cell.toml:2:7: ",
	  "mac must not be all zeros" },
	{ "[net]\ntap = \"nx/tap\"\n", "cell.toml:2:7: ",
	  "tap \"nx/tap\" is not an interface name" },
	{ "[net]\ntap = \"a234567890123456\"\n", "cell.toml:2:7: ",
	  "tap \"a234567890123456\" is not an interface name" },
	{ "[cell]\nname = \"-proof\"\n", "cell.toml:2:8: ",
	  "name \"-proof\" is invalid" },
	{ "[cell]\nname = \"\"\n", "cell.toml:2:8: ", "name \"\" is invalid" },
	{ "[boot]\nkernel = \"\"\n", "cell.toml:2:10: ",
	  "kernel must not be empty" },
	{ "[boot]\nkernel = \"a\\nb\"\n", "cell.toml:2:10: ",
	  "kernel must not contain control characters" },
	{ BOOT "cmdline = \"quiet ion_base=0x1\"\n", "cell.toml:3:11: ",
	  "cmdline must not set ion_base=" },
	{ BOOT "cmdline = \"a\\tb\"\n", "cell.toml:3:11: ",
	  "cmdline must not contain control characters" },
	{ BOOT "[console]\nmode = \"tty\"\n", "cell.toml:4:8: ",
	  "mode must be \"stdio\", \"file\" or \"off\", not \"tty\"" },
	{ BOOT "[console]\nmode = \"file\"\n", "cell.toml:4:1: ",
	  "mode = \"file\" needs a path" },
	{ BOOT "[console]\nmode = \"off\"\n\npath = \"c.log\"\n", "cell.toml:6:1: ",
	  "path is only used with mode = \"file\"; the console mode is \"off\"" },
	{ BOOT "[console]\npath = \"c.log\"\n", "cell.toml:4:1: ",
	  "path is only used with mode = \"file\"; the console mode is \"stdio\"" },
	{ BOOT "[serial]\nmode = \"stdio\"\n", "cell.toml:4:8: ",
	  "mode must be \"file\" or \"off\", not \"stdio\" (stdio belongs to [console])" },
	{ BOOT "[serial]\n", "cell.toml:3:1: ",
	  "[serial] with mode = \"file\" needs a path = \"...\"" },
	{ BOOT "[serial]\nmode = \"off\"\npath = \"s.log\"\n", "cell.toml:5:1: ",
	  "path is only used with mode = \"file\"; the serial mode is \"off\"" },
	{ BOOT "[console]\nmode = \"file\"\npath = \"c.log\"\n[serial]\npath = \"c.log\"\n",
	  "cell.toml:7:1: ", "path '" },
	{ BOOT "[cell]\nksm = 1\n", "cell.toml:4:7: ",
	  "ksm must be a boolean, not an integer" },
	{ BOOT "[cell]\nrestart = \"always\"\n", "cell.toml:4:11: ",
	  "restart must be \"no\" or \"on-failure\", not \"always\"" },
	{ BOOT "[cell]\nrestart = \"on-failure\"\nrestart_limit = 0\n", "cell.toml:5:17: ",
	  "restart_limit must be between 1 and 100, not 0" },
	{ BOOT "[cell]\nrestart_limit = 2\n", "cell.toml:4:1: ",
	  "restart_limit is only used with restart = \"on-failure\"" },
	{ BOOT "[[export]]\n", "cell.toml:3:1: ",
	  "[[export]] needs a guest_device = \"...\"" },
	{ BOOT "[[export]]\nguest_device = \"dev/loop0\"\n", "cell.toml:4:16: ",
	  "guest_device \"dev/loop0\" must be a device name under /dev" },
	{ BOOT "[[export]]\nguest_device = \"\"\n", "cell.toml:4:16: ",
	  "guest_device must be 1 to 63 bytes" },
	{ BOOT "[[export]]\nguest_device = \"loop0\"\n[[export]]\nguest_device = \"loop0\"\n",
	  "cell.toml:6:1: ", "guest_device 'loop0' is already exported by the [[export]] on line 3" },
	{ BOOT "[[export]]\nguest_device = \"a\"\n[[export]]\nguest_device = \"b\"\n[[export]]\n",
	  "cell.toml:7:1: ", "too many exports: at most 2 [[export]] tables" },
	{ BOOT "[export]\nguest_device = \"a\"\n", "cell.toml:3:1: ",
	  "export is an array of tables: write [[export]]" },
#define FILECON BOOT "[console]\nmode = \"file\"\npath = \"c.log\"\n"	/* five lines */
	{ FILECON "max_size = \"2K\"\n", "cell.toml:6:12: ",
	  "max_size must be between 4K and 16G, not 2K" },
	{ FILECON "max_size = 4095\n", "cell.toml:6:12: ",
	  "max_size must be between 4K and 16G, not 4095" },
	{ FILECON "max_size = \"17G\"\n", "cell.toml:6:12: ",
	  "max_size must be between 4K and 16G, not 17G" },
	{ FILECON "max_size = -1\n", "cell.toml:6:12: ",
	  "max_size must be between 4K and 16G, not -1" },
	{ FILECON "max_size = \"16MB\"\n", "cell.toml:6:12: ",
	  "max_size: invalid size \"16MB\": use digits with an optional K, M or G suffix" },
	{ FILECON "max_size = true\n", "cell.toml:6:12: ",
	  "max_size must be a size (a string such as \"512M\", or an integer), not a boolean" },
	{ BOOT "[console]\nmax_size = \"1M\"\n", "cell.toml:4:1: ",
	  "max_size is only used with mode = \"file\"; the console mode is \"stdio\"" },
	{ BOOT "[console]\nmode = \"off\"\nmax_size = \"1M\"\n", "cell.toml:5:1: ",
	  "max_size is only used with mode = \"file\"; the console mode is \"off\"" },
	{ BOOT "[control]\nsocket = \"0123456789012345678901234567890123456789"
	  "012345678901234567890123456789012345678901234567890123456789"
	  "0123456789.sock\"\n", "cell.toml:4:10: ",
	  "a Unix socket path has at most 107" },

	/* ---- disks ---- */
	{ BOOT "[[blk]]\npath = \"a\"\n[[blk]]\npath = \"b\"\n"
	  "[[blk]]\npath = \"c\"\n[[blk]]\npath = \"d\"\n[[blk]]\npath = \"e\"\n",
	  "cell.toml:11:1: ", "too many disks: at most 4 [[blk]] tables" },
	{ BOOT "[[blk]]\nreadonly = true\n[net]\n", "cell.toml:3:1: ",
	  "[[blk]] needs a path" },
	{ BOOT "[[blk]]\nreadonly = true\n", "cell.toml:3:1: ",
	  "[[blk]] needs a path" },
	{ BOOT "[[blk]]\npath = \"d.img\"\n[[blk]]\npath = \"d.img\"\n",
	  "cell.toml:6:1: ", "path 'd.img' is already the disk of the [[blk]] on line 4" },
	{ BOOT "[[pci]]\nhost = \"0000:00:01\"\n", "cell.toml:4:8: ",
	  "host \"0000:00:01\" is not a PCI address" },
	{ BOOT "[[pci]]\nhost = \"0000:00:20.0\"\n", "cell.toml:4:8: ",
	  "is not a PCI address" },
	{ BOOT "[[pci]]\nhost = \"0000:00:01.8\"\n", "cell.toml:4:8: ",
	  "is not a PCI address" },
	{ BOOT "[[pci]]\nhost = \"0000-00:01.0\"\n", "cell.toml:4:8: ",
	  "is not a PCI address" },
	{ BOOT "[[pci]]\nhost = 1\n", "cell.toml:4:8: ", "host must be a string" },
	{ BOOT "[[pci]]\n", "cell.toml:3:1: ", "[[pci]] needs a host" },
	{ BOOT "[pci]\nhost = \"0000:00:01.0\"\n", "cell.toml:3:1: ",
	  "pci is an array of tables: write [[pci]]" },
	{ BOOT "[[pci]]\nhost = \"0000:00:01.0\"\n[[pci]]\nhost = \"0000:00:01.0\"\n",
	  "cell.toml:6:8: ", "host 0000:00:01.0 is already the device of the [[pci]] on line 4" },
	{ BOOT "[[pci]]\nhost = \"0000:00:01.0\"\n[[pci]]\nhost = \"0000:00:02.0\"\n"
	  "[[pci]]\nhost = \"0000:00:03.0\"\n[[pci]]\nhost = \"0000:00:04.0\"\n"
	  "[[pci]]\nhost = \"0000:00:05.0\"\n",
	  "cell.toml:11:1: ", "too many PCI devices: at most 4 [[pci]] tables" },

	/* ---- budgets ---- */
	{ BOOT "[[blk]]\npath = \"d\"\nbw_size = \"1M\"\n", "cell.toml:5:1: ",
	  "bw_size needs bw_refill_ms: the time in ms the bucket takes to refill" },
	{ BOOT "[net]\nops_refill_ms = 10\n", "cell.toml:4:1: ",
	  "ops_refill_ms needs a ops_size (no ops_size, or 0, is no limit)" },
	{ BOOT "[net]\nbw_burst = \"1M\"\n[input]\n", "cell.toml:4:1: ",
	  "bw_burst needs a bw_size" },
	{ BOOT "[[blk]]\npath = \"d\"\nops_size = 0\nops_burst = 5\n", "cell.toml:6:1: ",
	  "ops_burst needs a ops_size" },
	{ BOOT "[[blk]]\npath = \"d\"\nbw_refill_ms = 0\n", "cell.toml:5:16: ",
	  "bw_refill_ms must be between 1 and 3600000, not 0" },
	{ BOOT "[net]\nops_refill_ms = 3600001\n", "cell.toml:4:17: ",
	  "ops_refill_ms must be between 1 and 3600000, not 3600001" },
	{ BOOT "[net]\nbw_size = \"2048G\"\n", "cell.toml:4:11: ",
	  "bw_size must be between 0 and 1024G, not 2048G" },
	{ BOOT "[net]\nops_size = -1\n", "cell.toml:4:12: ",
	  "ops_size must be between 0 and 1099511627776, not -1" },
	{ BOOT "[net]\nops_size = \"5\"\n", "cell.toml:4:12: ",
	  "ops_size must be an integer, not a string" },
	{ BOOT "[[blk]]\npath = \"d\"\nbw_size = 1\nbw_size = 2\n", "cell.toml:6:1: ",
	  "duplicate key 'bw_size' in [blk] (first on line 5)" },
	{ BOOT "[cell]\nbw_size = 1\n", "cell.toml:4:1: ",
	  "unknown key 'bw_size' in [cell]: it belongs in [blk]" },

	/* ---- required, and the empty file ---- */
	{ "", "cell.toml:1:1: ", "missing [boot] table with kernel" },
	{ "# only a comment\n[cell]\nvcpus = 2\n", "cell.toml:4:1: ",
	  "missing [boot] table with kernel" },
	{ "[boot]\ninitramfs = \"i\"\n[cell]\n", "cell.toml:1:1: ",
	  "[boot] needs a kernel" },
};

START_TEST(bad_file)
{
	const struct bad *b = &bad[_i];
	struct nc_config c;
	char err[ERR_LEN];

	ck_assert_msg(parse_as(&c, "cell.toml", b->text, err) == -EINVAL,
		      "case %d parsed", _i);
	ck_assert_msg(!strncmp(err, b->prefix, strlen(b->prefix)),
		      "case %d: '%s' does not start with '%s'", _i, err,
		      b->prefix);
	ck_assert_msg(strstr(err + strlen(b->prefix), b->needle),
		      "case %d: '%s' does not name '%s'", _i, err, b->needle);
	ck_assert_ptr_null(c.file);
	ck_assert_ptr_null(c.kernel);
}
END_TEST

/* A NUL byte, wherever it is, is refused where it is. */
START_TEST(nul_byte_parse)
{
	static const char text[] = "[boot]\nkernel = \"a\0b\"\n# x\0\n";
	struct nc_config c;
	char err[ERR_LEN];

	ck_assert_int_eq(nc_config_parse(&c, "cell.toml", text, sizeof(text) - 1,
					 err, sizeof(err)), -EINVAL);
	ck_assert_str_eq(err, "cell.toml:2:12: NUL byte in string for key 'kernel': write it as an escape");
	ck_assert_int_eq(nc_config_parse(&c, "cell.toml", "\0", 1, err,
					 sizeof(err)), -EINVAL);
	ck_assert_str_eq(err, "cell.toml:1:1: unexpected NUL byte");
}
END_TEST

START_TEST(nul_byte_load)
{
	static const char text[] = "[boot]\nkernel = \"Image\"\n# x\0\n";
	char *dir = make_tmpdir(), *path, err[ERR_LEN], want[ERR_LEN];
	struct nc_config c;

	path = write_file(dir, "cell.toml", text, sizeof(text) - 1, 0644);
	ck_assert_int_eq(nc_config_load(&c, path, err, sizeof(err)), -EINVAL);
	snprintf(want, sizeof(want), "%s:3:4: NUL byte: a cell file is text",
		 path);
	ck_assert_str_eq(err, want);
	free(path);
	remove_tmpdir(dir);
}
END_TEST

START_TEST(huge_file)
{
	char *dir = make_tmpdir(), *path, *text, err[ERR_LEN], want[ERR_LEN];
	size_t len = NC_CONFIG_MAX_SIZE + 1;
	struct nc_config c;

	text = malloc(len);
	ck_assert_ptr_nonnull(text);
	memset(text, '\n', len);
	memcpy(text, BOOT, strlen(BOOT));
	path = write_file(dir, "cell.toml", text, len, 0644);
	ck_assert_int_eq(nc_config_load(&c, path, err, sizeof(err)), -EFBIG);
	snprintf(want, sizeof(want),
		 "%s: file is larger than the limit of 65536 bytes", path);
	ck_assert_str_eq(err, want);
	ck_assert_int_eq(nc_config_parse(&c, "cell.toml", text, len, err,
					 sizeof(err)), -EINVAL);
	ck_assert_str_eq(err, "cell.toml: file is larger than the limit of 65536 bytes");
	free(path);

	/* exactly at the limit is fine */
	path = write_file(dir, "cell.toml", text, len - 1, 0644);
	ck_assert_msg(!nc_config_load(&c, path, err, sizeof(err)), "%s", err);
	nc_config_free(&c);
	free(path);
	free(text);
	remove_tmpdir(dir);
}
END_TEST

START_TEST(missing_and_directory)
{
	struct nc_config c;
	char err[ERR_LEN];

	ck_assert_int_eq(nc_config_load(&c, "no/such/cell.toml", err,
					sizeof(err)), -ENOENT);
	ck_assert_str_eq(err, "no/such/cell.toml: No such file or directory");
	ck_assert_int_eq(nc_config_load(&c, "/", err, sizeof(err)), -EISDIR);
	ck_assert_str_eq(err, "/: Is a directory");
	ck_assert_int_eq(nc_config_load(&c, "/dev/null", err, sizeof(err)), -EINVAL);
	ck_assert_str_eq(err, "/dev/null: not a regular file");
}
END_TEST

START_TEST(folder_name_unusable)
{
	struct nc_config c;
	char err[ERR_LEN];

	ck_assert_int_eq(parse_as(&c, "my cell/cell.toml", BOOT "[cell]\n", err),
			 -EINVAL);
	ck_assert_str_eq(err, "my cell/cell.toml:3:1: the folder name \"my cell\" is not a valid cell name: set name in [cell]");
	ck_assert_msg(!parse_as(&c, "my cell/cell.toml",
				BOOT "[cell]\nname = \"mine\"\n", err), "%s", err);
	ck_assert_str_eq(c.name, "mine");
	nc_config_free(&c);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("config_errors");
	TCase *tc = tcase_create("errors");

	tcase_add_loop_test(tc, bad_file, 0, sizeof(bad) / sizeof(bad[0]));
	tcase_add_test(tc, nul_byte_parse);
	tcase_add_test(tc, nul_byte_load);
	tcase_add_test(tc, huge_file);
	tcase_add_test(tc, missing_and_directory);
	tcase_add_test(tc, folder_name_unusable);
	suite_add_tcase(s, tc);
	return nc_check_run(s);
}
