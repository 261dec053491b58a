// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for nc_config_parse(): any bytes, never read past their
 * end (libFuzzer's copy is exactly size bytes, so ASan sees an overread).
 * Beyond "no crash, no leak, no UB", it checks the parser's promises: an
 * error is one FILE:... line and leaves the struct empty; a success only
 * ever holds values inside the documented ranges.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <nipcell/ion.h>

#include "arch/arm64/layout.h"
#include "config/config.h"

#define FILE_NAME	"fuzz/cell.toml"

#define REQUIRE(cond)	do { if (!(cond)) __builtin_trap(); } while (0)

static void check_error(const struct nc_config *c, const char *err)
{
	const char *p;

	REQUIRE(!strncmp(err, FILE_NAME ":", strlen(FILE_NAME ":")));
	for (p = err; *p; p++)
		REQUIRE((unsigned char)*p >= 0x20 && *p != 0x7f);
	REQUIRE(!c->file && !c->kernel && !c->nr_blk);
}

static void check_config(const struct nc_config *c)
{
	unsigned i;

	REQUIRE(c->name && c->name[0] && c->kernel && c->kernel[0]);
	REQUIRE(c->vcpus >= 1 && c->vcpus <= NC_MAX_VCPUS);
	REQUIRE(c->memory >= NC_RAM_MIN && c->memory <= NC_RAM_MAX);
	REQUIRE(!(c->memory & 0x1fffff));
	REQUIRE(c->ion_size >= ION_MIN_SIZE && c->ion_size <= ION_MAX_SIZE);
	REQUIRE(!(c->ion_size & 0xfff) && !(c->ion_base & 0x1fffff));
	REQUIRE(c->ion_base + c->ion_size <= 1ULL << 40);
	REQUIRE((c->console_mode == NC_CONSOLE_FILE) == !!c->console_path);
	REQUIRE(c->nr_blk <= NC_MAX_BLK);
	for (i = 0; i < NC_MAX_BLK; i++)
		REQUIRE(!!c->blk[i].path == (i < c->nr_blk));
	REQUIRE(c->net_mtu >= 68 && c->net_mtu <= 9000);
	REQUIRE(!(c->net_mac[0] & 1));
	REQUIRE(!c->cmdline || strlen(c->cmdline) <= NC_CONFIG_CMDLINE_MAX);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct nc_config c;
	char err[512];

	memset(err, 0x55, sizeof(err));
	if (nc_config_parse(&c, FILE_NAME, (const char *)data, size, err,
			    sizeof(err))) {
		REQUIRE(memchr(err, '\0', sizeof(err)));
		check_error(&c, err);
		return 0;
	}
	check_config(&c);
	nc_config_free(&c);
	REQUIRE(!c.file && !c.kernel);
	return 0;
}
