// SPDX-License-Identifier: GPL-2.0
/* nc_config: cell files that parse, and what they parse to. */
#include <glob.h>
#include <stdbool.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <check.h>

#include "../nc_check.h"
#include <nipcell/ion.h>

#include "config/internal.h"
#include "helpers.h"

static const uint8_t default_mac[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };

START_TEST(example_cell)
{
	struct nc_config c;
	char err[ERR_LEN] = "";

	ck_assert_msg(!nc_config_load(&c, NC_SOURCE_DIR "/cells/example/cell.toml",
				      err, sizeof(err)), "%s", err);
	ck_assert_str_eq(c.file, NC_SOURCE_DIR "/cells/example/cell.toml");
	ck_assert_str_eq(c.dir, NC_SOURCE_DIR "/cells/example");
	ck_assert_str_eq(c.name, "example");
	ck_assert_uint_eq(c.vcpus, 2);
	ck_assert_uint_eq(c.memory, 512ULL << 20);
	ck_assert_str_eq(c.kernel, NC_SOURCE_DIR "/cells/example/Image");
	ck_assert_str_eq(c.initramfs,
			 NC_SOURCE_DIR "/cells/example/initramfs.cpio.gz");
	ck_assert_str_eq(c.cmdline, "quiet");
	ck_assert_uint_eq(c.ion_base, 0x90000000);
	ck_assert_uint_eq(c.ion_size, 16 << 20);
	ck_assert(!c.ion_corrupt_magic);
	ck_assert_int_eq(c.console_mode, NC_CONSOLE_FILE);
	ck_assert_str_eq(c.console_path,
			 NC_SOURCE_DIR "/cells/example/console.log");
	ck_assert_uint_eq(c.nr_blk, 1);
	ck_assert_str_eq(c.blk[0].path, NC_SOURCE_DIR "/cells/example/disk.img");
	ck_assert(!c.blk[0].readonly && !c.blk[0].direct);
	ck_assert_uint_eq(c.blk[0].budget.bw.size, 64 << 20);
	ck_assert_uint_eq(c.blk[0].budget.bw.refill_ms, 100);
	ck_assert_uint_eq(c.blk[0].budget.bw.one_time_burst, 1 << 30);
	ck_assert_uint_eq(c.blk[0].budget.ops.size, 5000);
	ck_assert_uint_eq(c.net_budget.ops.size, 20000);
	ck_assert(c.net);
	ck_assert_str_eq(c.net_tap, "nxtap0");
	ck_assert_mem_eq(c.net_mac, default_mac, 6);
	ck_assert_uint_eq(c.net_mtu, 1500);
	ck_assert(c.input);
	ck_assert_str_eq(c.control_socket,
			 NC_SOURCE_DIR "/cells/example/cell.sock");
	ck_assert(c.sandbox_seccomp);
	ck_assert_str_eq(c.sandbox_user, "nobody");
	ck_assert_str_eq(c.sandbox_group, "nogroup");
	ck_assert_uint_gt(c.line_kernel, 0);
	ck_assert_uint_gt(c.line_blk[0], c.line_kernel);
	nc_config_free(&c);
	ck_assert_ptr_null(c.kernel);
}
END_TEST

START_TEST(minimal_cell_defaults)
{
	struct nc_config c;
	char err[ERR_LEN];

	ck_assert_msg(!parse_as(&c, "cells/min/cell.toml",
				"[boot]\nkernel = \"Image\"\n", err), "%s", err);
	ck_assert_str_eq(c.dir, "cells/min");
	ck_assert_str_eq(c.name, "min");
	ck_assert_uint_eq(c.vcpus, 1);
	ck_assert_uint_eq(c.memory, 256ULL << 20);
	ck_assert_str_eq(c.kernel, "cells/min/Image");
	ck_assert_uint_eq(c.line_kernel, 2);
	ck_assert_ptr_null(c.initramfs);
	ck_assert_ptr_null(c.cmdline);
	ck_assert(c.sandbox_seccomp);		/* the sandbox is on by default */
	ck_assert_ptr_null(c.sandbox_user);
	ck_assert_uint_eq(c.ion_base, ION_DEFAULT_BASE);
	ck_assert_uint_eq(c.ion_size, ION_DEFAULT_SIZE);
	ck_assert(!c.ion_corrupt_magic);
	ck_assert_int_eq(c.console_mode, NC_CONSOLE_STDIO);
	ck_assert_ptr_null(c.console_path);
	ck_assert_uint_eq(c.nr_blk, 0);
	ck_assert(!c.net);
	ck_assert_ptr_null(c.net_tap);
	ck_assert_mem_eq(c.net_mac, default_mac, 6);
	ck_assert_uint_eq(c.net_mtu, 1500);
	ck_assert(!c.input);
	ck_assert_ptr_null(c.control_socket);
	ck_assert_uint_eq(c.line_initramfs + c.line_memory + c.line_blk[0], 0);
	nc_config_free(&c);
}
END_TEST

/* Every key, non-default values, and the syntax the subset allows. */
static const char all_keys[] =
	"# a comment\r\n"
	"\r\n"
	"[ cell ]  # spaces inside brackets are fine\r\n"
	"name = \"proof-1.a_b\"\n"
	"\tvcpus\t=\t8\n"
	"memory = 1_073_741_824\n"
	"[boot]\n"
	"kernel = \"/abs/Image\"\n"
	"initramfs = \"sub/initrd\"\n"
	"cmdline = \"quiet x=\\\"\\u00e9\\U0001F600\\\" \\\\ xion_base=1\"\n"
	"[ion]\n"
	"base = 0x1_0000_0000\n"
	"size = \"1G\"\n"
	"test_corrupt_magic = true\n"
	"[console]\n"
	"mode = \"off\"\n"
	"[[blk]]\n"
	"path = \"a.img\"\n"
	"readonly = true\n"
	"direct = true\n"
	"[[ blk ]]\n"
	"path = \"b.img\"\n"
	"[[blk]]\n"
	"path = \"c.img\"\n"
	"[[blk]]\n"
	"direct = false\n"
	"path = \"/dev/null\"\n"
	"[net]\n"
	"mac = \"0A:bc:DE:f0:00:01\"\n"
	"mtu = 2030\n"
	"[input]\n"
	"enabled = false\n"
	"[control]\n"
	"socket = \"run/ctl.sock\"\n"
	"[[pci]]\n"
	"host = \"0000:0A:1f.7\"\n"
	"[[pci]]\n"
	"host = \"0000:00:01.0\"\n"
	"# no newline at the end";

START_TEST(all_keys_cell)
{
	static const uint8_t mac[6] = { 0x0a, 0xbc, 0xde, 0xf0, 0x00, 0x01 };
	struct nc_config c;
	char err[ERR_LEN];

	ck_assert_msg(!parse_as(&c, "/srv/cells/p/cell.toml", all_keys, err),
		      "%s", err);
	ck_assert_str_eq(c.dir, "/srv/cells/p");
	ck_assert_str_eq(c.name, "proof-1.a_b");
	ck_assert_uint_eq(c.vcpus, 8);
	ck_assert_uint_eq(c.memory, 1ULL << 30);
	ck_assert_uint_eq(c.line_memory, 6);
	ck_assert_str_eq(c.kernel, "/abs/Image");
	ck_assert_str_eq(c.initramfs, "/srv/cells/p/sub/initrd");
	ck_assert_str_eq(c.cmdline,
			 "quiet x=\"\xc3\xa9\xf0\x9f\x98\x80\" \\ xion_base=1");
	ck_assert_uint_eq(c.ion_base, 0x100000000ULL);
	ck_assert_uint_eq(c.ion_size, 1ULL << 30);
	ck_assert(c.ion_corrupt_magic);
	ck_assert_int_eq(c.console_mode, NC_CONSOLE_OFF);
	ck_assert_uint_eq(c.nr_blk, 4);
	ck_assert_str_eq(c.blk[0].path, "/srv/cells/p/a.img");
	ck_assert(c.blk[0].readonly && c.blk[0].direct);
	ck_assert_str_eq(c.blk[1].path, "/srv/cells/p/b.img");
	ck_assert(!c.blk[1].readonly && !c.blk[1].direct);
	ck_assert_str_eq(c.blk[3].path, "/dev/null");
	ck_assert_uint_eq(c.line_blk[0], 18);
	ck_assert_uint_eq(c.line_blk[3], 27);
	ck_assert(c.net);
	ck_assert_uint_eq(c.line_net, 28);
	ck_assert_ptr_null(c.net_tap);
	ck_assert_mem_eq(c.net_mac, mac, 6);
	ck_assert_uint_eq(c.net_mtu, 2030);
	ck_assert(!c.input);
	ck_assert_str_eq(c.control_socket, "/srv/cells/p/run/ctl.sock");
	ck_assert_uint_eq(c.line_control_socket, 34);
	ck_assert_uint_eq(c.nr_pci, 2);
	ck_assert_str_eq(c.pci[0].host, "0000:0a:1f.7");
	ck_assert_str_eq(c.pci[1].host, "0000:00:01.0");
	ck_assert_uint_eq(c.line_pci[0], 36);
	ck_assert_uint_eq(c.line_pci[1], 38);
	nc_config_free(&c);
}
END_TEST

START_TEST(console_file_and_sizes)
{
	struct nc_config c;
	char err[ERR_LEN];

	ck_assert_msg(!parse_as(&c, "cell.toml",
				"[console]\npath = \"log/console.txt\"\n"
				"mode = \"file\"\n"
				"[boot]\nkernel = \"Image\"\n"
				"[cell]\nmemory = \"64M\"\n"
				"[ion]\nsize = 1052672\nbase = 0\n", err),
		      "%s", err);
	ck_assert_int_eq(c.console_mode, NC_CONSOLE_FILE);
	ck_assert_str_eq(c.console_path, "log/console.txt");
	ck_assert_uint_eq(c.line_console_path, 2);
	ck_assert_str_eq(c.kernel, "Image");
	ck_assert_uint_eq(c.memory, 64ULL << 20);
	ck_assert_uint_eq(c.ion_size, (1 << 20) + 4096);
	ck_assert_uint_eq(c.ion_base, 0);
	nc_config_free(&c);
}
END_TEST

/* [console] max_size: a size, default 64M with mode = "file", 0 otherwise. */
START_TEST(console_max_size)
{
	struct nc_config c;
	char err[ERR_LEN];

	ck_assert_msg(!parse_as(&c, "cell.toml", "[boot]\nkernel = \"Image\"\n"
				"[console]\nmode = \"file\"\npath = \"c.log\"\n", err), "%s", err);
	ck_assert_uint_eq(c.console_max_size, 64ULL << 20);
	ck_assert_uint_eq(c.console_max_size, NC_CONSOLE_MAX_SIZE_DEFAULT);
	nc_config_free(&c);
	ck_assert_msg(!parse_as(&c, "cell.toml", "[boot]\nkernel = \"Image\"\n"
				"[console]\nmax_size = \"16M\"\nmode = \"file\"\n"
				"path = \"c.log\"\n", err), "%s", err);
	ck_assert_uint_eq(c.console_max_size, 16ULL << 20);
	nc_config_free(&c);
	ck_assert_msg(!parse_as(&c, "cell.toml", "[boot]\nkernel = \"Image\"\n"
				"[console]\nmode = \"file\"\npath = \"c.log\"\n"
				"max_size = 4097\n", err), "%s", err);
	ck_assert_uint_eq(c.console_max_size, 4097);
	nc_config_free(&c);
	ck_assert_msg(!parse_as(&c, "cell.toml", "[boot]\nkernel = \"Image\"\n"
				"[console]\nmode = \"file\"\npath = \"c.log\"\n"
				"max_size = \"16G\"\n", err), "%s", err);
	ck_assert_uint_eq(c.console_max_size, 16ULL << 30);
	nc_config_free(&c);
	/* Not a file console: no cap to speak of. */
	ck_assert_msg(!parse_as(&c, "cell.toml", "[boot]\nkernel = \"Image\"\n"
				"[console]\nmode = \"stdio\"\n", err), "%s", err);
	ck_assert_uint_eq(c.console_max_size, 0);
	nc_config_free(&c);
}
END_TEST

/* len bounds the text: the bytes after it are never looked at. */
START_TEST(text_not_nul_terminated)
{
	static const char text[] = "[boot]\nkernel = \"Image\"XYZ = \"";
	struct nc_config c;
	char err[ERR_LEN];
	char *copy;
	size_t len = strlen("[boot]\nkernel = \"Image\"");

	copy = malloc(len);
	ck_assert_ptr_nonnull(copy);
	memcpy(copy, text, len);
	ck_assert_msg(!nc_config_parse(&c, "cell.toml", copy, len, err,
				       sizeof(err)), "%s", err);
	ck_assert_str_eq(c.kernel, "Image");
	nc_config_free(&c);

	/* cut inside the string: unterminated, not a read past len */
	ck_assert_int_eq(nc_config_parse(&c, "cell.toml", copy, len - 1, err,
					 sizeof(err)), -EINVAL);
	ck_assert_str_eq(err, "cell.toml:2:10: unterminated string for key 'kernel'");
	ck_assert_ptr_null(c.file);
	free(copy);
}
END_TEST

START_TEST(default_name_from_cwd)
{
	char *dir = make_tmpdir(), *sub, old[PATH_MAX];
	struct nc_config c;
	char err[ERR_LEN];

	ck_assert_int_gt(asprintf(&sub, "%s/my-cell", dir), 0);
	ck_assert_int_eq(mkdir(sub, 0755), 0);
	ck_assert_ptr_nonnull(getcwd(old, sizeof(old)));
	ck_assert_int_eq(chdir(sub), 0);
	ck_assert_msg(!parse_as(&c, "cell.toml", "[boot]\nkernel = \"I\"\n", err),
		      "%s", err);
	ck_assert_str_eq(c.dir, ".");
	ck_assert_str_eq(c.name, "my-cell");
	nc_config_free(&c);
	ck_assert_int_eq(chdir(old), 0);
	free(sub);
	remove_tmpdir(dir);
}
END_TEST

START_TEST(err_buffer_small_or_absent)
{
	struct nc_config c;
	char err[8];

	ck_assert_int_eq(nc_config_parse(&c, "cell.toml", "x", 1, err,
					 sizeof(err)), -EINVAL);
	ck_assert_str_eq(err, "cell.to");
	ck_assert_int_eq(nc_config_parse(&c, "cell.toml", "x", 1, NULL, 0), -EINVAL);
	nc_config_free(&c);	/* after a failure: empty, freeing is harmless */
}
END_TEST

START_TEST(helpers_size_mac_paths)
{
	uint64_t n;
	uint8_t mac[6];
	char buf[24], *s;

	ck_assert_int_eq(nc_parse_size("0", &n), 0);
	ck_assert_uint_eq(n, 0);
	ck_assert_int_eq(nc_parse_size("4K", &n), 0);
	ck_assert_uint_eq(n, 4096);
	ck_assert_int_eq(nc_parse_size("16G", &n), 0);
	ck_assert_uint_eq(n, 16ULL << 30);
	ck_assert_int_eq(nc_parse_size("18446744073709551615", &n), 0);
	ck_assert_int_eq(nc_parse_size("18446744073709551616", &n), -EINVAL);
	ck_assert_int_eq(nc_parse_size("17179869184G", &n), -EINVAL);
	ck_assert_int_eq(nc_parse_size("1k", &n), -EINVAL);
	ck_assert_int_eq(nc_parse_size("1MB", &n), -EINVAL);
	ck_assert_int_eq(nc_parse_size("M", &n), -EINVAL);
	ck_assert_int_eq(nc_parse_size("", &n), -EINVAL);
	ck_assert_int_eq(nc_parse_size(" 1M", &n), -EINVAL);

	ck_assert_str_eq(nc_format_size(512ULL << 20, buf, sizeof(buf)), "512M");
	ck_assert_str_eq(nc_format_size(1ULL << 30, buf, sizeof(buf)), "1G");
	ck_assert_str_eq(nc_format_size(12288, buf, sizeof(buf)), "12K");
	ck_assert_str_eq(nc_format_size(4097, buf, sizeof(buf)), "4097");
	ck_assert_str_eq(nc_format_size(0, buf, sizeof(buf)), "0");

	ck_assert_int_eq(nc_parse_mac("52:54:00:12:34:5f", mac), 0);
	ck_assert_uint_eq(mac[5], 0x5f);
	ck_assert_int_eq(nc_parse_mac("52:54:00:12:34:5", mac), -EINVAL);
	ck_assert_int_eq(nc_parse_mac("52-54-00-12-34-56", mac), -EINVAL);
	ck_assert_int_eq(nc_parse_mac("52:54:00:12:34:56:", mac), -EINVAL);
	ck_assert_int_eq(nc_parse_mac("5g:54:00:12:34:56", mac), -EINVAL);

	ck_assert(nc_valid_ifname("nxtap0"));
	ck_assert(nc_valid_ifname("a23456789012345"));
	ck_assert(!nc_valid_ifname("a234567890123456"));
	ck_assert(!nc_valid_ifname(".."));
	ck_assert(!nc_valid_ifname("a b"));
	ck_assert(!nc_valid_ifname(""));

	s = nc_path_dir("/cell.toml");
	ck_assert_str_eq(s, "/");
	free(s);
	s = nc_path_dir("a//cell.toml");
	ck_assert_str_eq(s, "a");
	free(s);
	s = nc_path_resolve("a/", "b");
	ck_assert_str_eq(s, "a/b");
	free(s);
	s = nc_path_resolve("/", "b");
	ck_assert_str_eq(s, "/b");
	free(s);
	s = nc_path_base("x/cells/proof/");
	ck_assert_str_eq(s, "proof");
	free(s);
}
END_TEST

/* Text of the file at path, NUL-terminated; free() it. */
static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf;
	long n;

	ck_assert_msg(f != NULL, "%s", path);
	ck_assert_int_eq(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	rewind(f);
	buf = malloc(n + 1);
	ck_assert_ptr_nonnull(buf);
	ck_assert_int_eq(fread(buf, 1, n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

/* The list after "known ...: " in err, up to ')', into out. */
static void known_list(const char *err, char *out, size_t len)
{
	const char *s = strstr(err, "known"), *e;

	ck_assert_msg(s != NULL, "%s", err);
	s = strchr(s, ':') + 2;
	e = strchr(s, ')');
	ck_assert_ptr_nonnull(e);
	ck_assert_uint_lt((size_t)(e - s), len);
	memcpy(out, s, e - s);
	out[e - s] = '\0';
}

/*
 * docs/cell-toml.md has a "### table.key" section for every key the parser
 * knows, and no other: the parser lists its tables and keys in its
 * "unknown ..." messages.
 */
START_TEST(doc_lists_every_key)
{
	char *doc = slurp(NC_SOURCE_DIR "/docs/cell-toml.md");
	char err[ERR_LEN], tables[256], keys[256], text[64], head[96];
	char *t, *k, *tsave, *ksave;
	unsigned nr_keys = 0, nr_sections = 0;
	struct nc_config c;
	const char *p;

	ck_assert_int_eq(parse_as(&c, "cell.toml", "[zzz]\n", err), -EINVAL);
	known_list(err, tables, sizeof(tables));
	for (t = strtok_r(tables, ", ", &tsave); t; t = strtok_r(NULL, ", ", &tsave)) {
		/* the arrays of tables */
		bool array = !strcmp(t, "blk") || !strcmp(t, "pci") || !strcmp(t, "export");

		snprintf(text, sizeof(text), "%s%s%s\nzzz = 1\n",
			 array ? "[[" : "[", t, array ? "]]" : "]");
		ck_assert_int_eq(parse_as(&c, "cell.toml", text, err), -EINVAL);
		known_list(err, keys, sizeof(keys));
		for (k = strtok_r(keys, ", ", &ksave); k; k = strtok_r(NULL, ", ", &ksave)) {
			snprintf(head, sizeof(head), "\n### %s.%s\n", t, k);
			ck_assert_msg(strstr(doc, head), "docs/cell-toml.md lacks '### %s.%s'",
				      t, k);
			nr_keys++;
		}
	}
	for (p = doc; (p = strstr(p, "\n### ")); p++)
		nr_sections++;
	ck_assert_uint_eq(nr_sections, nr_keys);
	free(doc);
}
END_TEST

/* The budget keys of [[blk]] and [net] fill the budgets; absent ones are 0. */
START_TEST(budget_keys)
{
	static const char text[] =
		"[boot]\nkernel = \"Image\"\n"
		"[[blk]]\npath = \"a.img\"\n"
		"bw_size = \"4M\"\nbw_refill_ms = 100\nbw_burst = \"256M\"\n"
		"ops_size = 500\nops_refill_ms = 10\nops_burst = 7\n"
		"[[blk]]\npath = \"b.img\"\n"
		"[net]\nbw_size = 1048576\nbw_refill_ms = 3600000\n"
		"ops_refill_ms = 1\nops_size = 0x10\n";
	struct nc_config c;
	char err[ERR_LEN];

	ck_assert_msg(!parse_as(&c, "cell.toml", text, err), "%s", err);
	ck_assert_uint_eq(c.blk[0].budget.bw.size, 4 << 20);
	ck_assert_uint_eq(c.blk[0].budget.bw.refill_ms, 100);
	ck_assert_uint_eq(c.blk[0].budget.bw.one_time_burst, 256 << 20);
	ck_assert_uint_eq(c.blk[0].budget.ops.size, 500);
	ck_assert_uint_eq(c.blk[0].budget.ops.refill_ms, 10);
	ck_assert_uint_eq(c.blk[0].budget.ops.one_time_burst, 7);
	ck_assert_uint_eq(c.blk[1].budget.bw.size + c.blk[1].budget.bw.refill_ms +
			  c.blk[1].budget.ops.size + c.blk[1].budget.ops.refill_ms, 0);
	ck_assert_uint_eq(c.net_budget.bw.size, 1 << 20);
	ck_assert_uint_eq(c.net_budget.bw.refill_ms, 3600000);
	ck_assert_uint_eq(c.net_budget.bw.one_time_burst, 0);
	ck_assert_uint_eq(c.net_budget.ops.size, 16);
	ck_assert_uint_eq(c.net_budget.ops.refill_ms, 1);
	nc_config_free(&c);
}
END_TEST

/* Every cell file in the tree parses: the example and the e2e scenarios. */
START_TEST(tree_cells_parse)
{
	glob_t g;
	size_t i;
	struct nc_config c;
	char err[ERR_LEN];

	ck_assert_int_eq(glob(NC_SOURCE_DIR "/cells/*/*.toml", 0, NULL, &g), 0);
	glob(NC_SOURCE_DIR "/tests/e2e/*/*.toml", GLOB_APPEND, NULL, &g);
	for (i = 0; i < g.gl_pathc; i++) {
		ck_assert_msg(!nc_config_load(&c, g.gl_pathv[i], err, sizeof(err)),
			      "%s", err);
		nc_config_free(&c);
	}
	ck_assert_uint_ge(g.gl_pathc, 1);
	globfree(&g);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("config_parse");
	TCase *tc = tcase_create("parse");

	tcase_add_test(tc, example_cell);
	tcase_add_test(tc, minimal_cell_defaults);
	tcase_add_test(tc, all_keys_cell);
	tcase_add_test(tc, console_file_and_sizes);
	tcase_add_test(tc, console_max_size);
	tcase_add_test(tc, text_not_nul_terminated);
	tcase_add_test(tc, default_name_from_cwd);
	tcase_add_test(tc, err_buffer_small_or_absent);
	tcase_add_test(tc, helpers_size_mac_paths);
	tcase_add_test(tc, doc_lists_every_key);
	tcase_add_test(tc, budget_keys);
	tcase_add_test(tc, tree_cells_parse);
	suite_add_tcase(s, tc);
	return nc_check_run(s);
}
