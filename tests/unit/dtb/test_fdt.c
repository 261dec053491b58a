// SPDX-License-Identifier: GPL-2.0
/*
 * The device tree of a cell, built the way `run` builds it: cell.toml text,
 * nc_cell_plan() (RAM layout, device table, bootargs), nc_cell_fdt(); then
 * read back with libfdt.
 */
#include <check.h>

#include "../nc_check.h"
#include "../nc_cell_test.h"
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <libfdt.h>

#include "dtb/fdt.h"

#define MiB (1ULL << 20)
#define MAX_VALVES \
	"[[blk]]\npath = \"a.img\"\n[[blk]]\npath = \"b.img\"\n" \
	"[[blk]]\npath = \"c.img\"\n[[blk]]\npath = \"d.img\"\n" \
	"[net]\n[input]\nenabled = true\n"

static char blob[64 * 1024];
static size_t blob_size;
static struct nc_cell cell;
static const uint64_t *mpidr;	/* NULL: as KVM assigns them */
static char err[512];

/*
 * A cell of ram bytes with its window at ion_base, vcpus vCPUs and the
 * extra tables (cell.toml text after [ion]).
 */
static void cell_with(uint64_t ram, uint64_t ion_base, unsigned vcpus,
		      const char *extra)
{
	nc_cell_free(&cell);
	mpidr = NULL;
	ck_assert_msg(nc_test_cell(&cell, err, sizeof(err),
				   "[cell]\nmemory = %llu\nvcpus = %u\n"
				   "[boot]\nkernel = \"Image\"\n"
				   "[ion]\nbase = 0x%llx\nsize = \"%s\"\n%s",
				   (unsigned long long)ram, vcpus,
				   (unsigned long long)ion_base,
				   strstr(extra, "d.img") ? "32M" : "16M", extra) == 0,
		      "cell: %s", err);
}

static void params(uint64_t ram, uint64_t ion_base)
{
	cell_with(ram, ion_base, 1, "");
}

static int build(void)
{
	memset(err, 0, sizeof(err));
	memset(blob, 0, sizeof(blob));
	return nc_cell_fdt(&cell, mpidr, blob, sizeof(blob), &blob_size, err,
			   sizeof(err));
}

static void build_ok(void)
{
	ck_assert_msg(build() == 0, "nc_fdt_build: %s", err);
	ck_assert_int_eq(fdt_check_header(blob), 0);
	ck_assert_uint_eq(fdt_totalsize(blob), blob_size);
	ck_assert_uint_lt(blob_size, sizeof(blob));	/* packed */
}

static int node(const char *path)
{
	int off = fdt_path_offset(blob, path);

	ck_assert_msg(off >= 0, "%s: %s", path, fdt_strerror(off));
	return off;
}

static const void *prop(const char *path, const char *name, int *len)
{
	const void *v = fdt_getprop(blob, node(path), name, len);

	ck_assert_msg(v != NULL, "%s: no %s", path, name);
	return v;
}

static void assert_str(const char *path, const char *name, const char *want)
{
	int len;
	const char *v = prop(path, name, &len);

	ck_assert_int_eq(len, (int)strlen(want) + 1);
	ck_assert_str_eq(v, want);
}

static void assert_cells(const char *path, const char *name,
			 const uint32_t *want, int n)
{
	const fdt32_t *v;
	int i, len;

	v = prop(path, name, &len);
	ck_assert_int_eq(len, n * 4);
	for (i = 0; i < n; i++)
		ck_assert_msg(fdt32_to_cpu(v[i]) == want[i],
			      "%s %s[%d] = 0x%x, want 0x%x", path, name, i,
			      fdt32_to_cpu(v[i]), want[i]);
}

static void assert_u32(const char *path, const char *name, uint32_t want)
{
	assert_cells(path, name, &want, 1);
}

static void assert_u64s(const char *path, const char *name,
			const uint64_t *want, int n)
{
	const fdt64_t *v;
	int i, len;

	v = prop(path, name, &len);
	ck_assert_int_eq(len, n * 8);
	for (i = 0; i < n; i++) {
		uint64_t got;

		memcpy(&got, &v[i], 8);
		ck_assert_msg(fdt64_to_cpu(got) == want[i],
			      "%s %s[%d] = 0x%llx, want 0x%llx", path, name, i,
			      (unsigned long long)fdt64_to_cpu(got),
			      (unsigned long long)want[i]);
	}
}

static void assert_empty(const char *path, const char *name)
{
	int len;

	prop(path, name, &len);
	ck_assert_int_eq(len, 0);
}

static int count(const char *hay, const char *needle)
{
	int n = 0;

	for (; (hay = strstr(hay, needle)); hay++)
		n++;
	return n;
}

START_TEST(root_nodes)
{
	static const char *const want[] = {
		"chosen", "aliases", "memory@80000000", "cpus", "psci",
		"timer", "intc@8000000", "uart@9000000", "reserved-memory",
		"ion@9010000",
	};
	unsigned int i = 0;
	const char *name;
	int off;

	params(256 * MiB, ION_DEFAULT_BASE);
	build_ok();
	fdt_for_each_subnode(off, blob, 0) {
		name = fdt_get_name(blob, off, NULL);
		ck_assert_uint_lt(i, sizeof(want) / sizeof(want[0]));
		ck_assert_str_eq(name, want[i]);
		i++;
	}
	ck_assert_uint_eq(i, sizeof(want) / sizeof(want[0]));

	ck_assert_int_eq(fdt_stringlist_search(blob, 0, "compatible",
					       "linux,dummy-virt"), 1);
	ck_assert_int_eq(fdt_stringlist_search(blob, 0, "compatible",
					       "nipcell,cell"), 0);
	assert_u32("/", "#address-cells", 2);
	assert_u32("/", "#size-cells", 2);
	assert_u32("/", "interrupt-parent",
		   fdt_get_phandle(blob, node("/intc@8000000")));
	ck_assert_uint_eq(fdt_get_phandle(blob, node("/intc@8000000")),
			  NC_FDT_PHANDLE_GIC);
	ck_assert_int_eq(fdt_num_mem_rsv(blob), 0);
}
END_TEST

START_TEST(memory_unsplit)
{
	const uint64_t want[] = { NC_RAM_BASE, 128 * MiB };

	params(128 * MiB, ION_DEFAULT_BASE);
	build_ok();
	assert_str("/memory@80000000", "device_type", "memory");
	assert_u64s("/memory@80000000", "reg", want, 2);
}
END_TEST

START_TEST(memory_split)
{
	const uint64_t want[] = {
		NC_RAM_BASE, 256 * MiB, 0x91000000, 256 * MiB,
	};

	params(512 * MiB, ION_DEFAULT_BASE);
	build_ok();
	assert_u64s("/memory@80000000", "reg", want, 4);
	/* One memory node only. */
	ck_assert_int_eq(fdt_node_offset_by_prop_value(blob,
			 node("/memory@80000000"), "device_type", "memory", 7),
			 -FDT_ERR_NOTFOUND);
}
END_TEST

START_TEST(memory_after_window_at_ram_base)
{
	const uint64_t want[] = { NC_RAM_BASE + ION_DEFAULT_SIZE, 256 * MiB };
	const uint64_t win[] = { NC_RAM_BASE, ION_DEFAULT_SIZE };

	params(256 * MiB, NC_RAM_BASE);
	build_ok();
	assert_u64s("/memory@81000000", "reg", want, 2);
	assert_u64s("/reserved-memory/ion@80000000", "reg", win, 2);
	ck_assert_ptr_nonnull(strstr(prop("/chosen", "bootargs", NULL),
				     "ion_base=0x80000000"));
}
END_TEST

START_TEST(cpus_default_mpidr)
{
	char path[32];
	unsigned int i, n = 0;
	int off;

	cell_with(256 * MiB, ION_DEFAULT_BASE, 4, "");
	build_ok();
	assert_u32("/cpus", "#address-cells", 1);
	assert_u32("/cpus", "#size-cells", 0);
	fdt_for_each_subnode(off, blob, node("/cpus"))
		n++;
	ck_assert_uint_eq(n, 4);
	for (i = 0; i < 4; i++) {
		snprintf(path, sizeof(path), "/cpus/cpu@%x", i);
		assert_u32(path, "reg", i);
		assert_str(path, "device_type", "cpu");
		assert_str(path, "compatible", "arm,arm-v8");
		assert_str(path, "enable-method", "psci");
	}
	/* The GIC has one redistributor per vCPU. */
	{
		const uint64_t want[] = {
			NC_GIC_DIST_BASE, NC_GIC_DIST_SIZE,
			NC_GIC_REDIST_BASE, 4 * NC_GIC_REDIST_STRIDE,
		};

		assert_u64s("/intc@8000000", "reg", want, 4);
	}
}
END_TEST

START_TEST(cpus_kvm_mpidr)
{
	uint64_t m[2];

	cell_with(256 * MiB, ION_DEFAULT_BASE, 2, "");
	/* As KVM reports them: bit 31 (RES1) set, Aff1 used. */
	m[0] = 0x80000000;
	m[1] = 0x80000100;
	build_ok();
	mpidr = m;
	build_ok();
	assert_u32("/cpus", "#address-cells", 1);
	assert_u32("/cpus/cpu@0", "reg", 0);
	assert_u32("/cpus/cpu@100", "reg", 0x100);

	/* Aff3 needs two address cells. */
	m[1] = 0x100000000ULL;
	build_ok();
	assert_u32("/cpus", "#address-cells", 2);
	{
		const uint64_t want = 0x100000000ULL;

		assert_u64s("/cpus/cpu@100000000", "reg", &want, 1);
	}

	/* Two vCPUs with one affinity are refused. */
	m[1] = 0x80000000;
	ck_assert_int_eq(build(), -EINVAL);
	ck_assert_str_eq(err, "device tree: vCPUs 0 and 1 have the same MPIDR affinity 0x0");
}
END_TEST

START_TEST(psci_timer_gic)
{
	const uint32_t timer[] = {
		1, 13, 4, 1, 14, 4, 1, 11, 4, 1, 10, 4,
	};
	const uint64_t gic[] = {
		NC_GIC_DIST_BASE, NC_GIC_DIST_SIZE,
		NC_GIC_REDIST_BASE, NC_GIC_REDIST_STRIDE,
	};

	params(256 * MiB, ION_DEFAULT_BASE);
	build_ok();
	assert_str("/psci", "compatible", "arm,psci-0.2");
	assert_str("/psci", "method", "hvc");

	assert_str("/timer", "compatible", "arm,armv8-timer");
	assert_cells("/timer", "interrupts", timer, 12);
	assert_empty("/timer", "always-on");

	assert_str("/intc@8000000", "compatible", "arm,gic-v3");
	assert_u32("/intc@8000000", "#interrupt-cells", 3);
	assert_empty("/intc@8000000", "interrupt-controller");
	assert_u64s("/intc@8000000", "reg", gic, 4);
	ck_assert_int_lt(fdt_subnode_offset(blob, node("/intc@8000000"), "its"), 0);
}
END_TEST

START_TEST(uart_and_chosen)
{
	const uint64_t reg[] = { NC_UART_BASE, NC_UART_SIZE };
	const uint32_t irq[] = { 0, NC_SPI_UART, 4 };
	const char *stdout_path;

	params(256 * MiB, ION_DEFAULT_BASE);
	build_ok();
	assert_str("/uart@9000000", "compatible", "ns16550a");
	assert_u64s("/uart@9000000", "reg", reg, 2);
	assert_u32("/uart@9000000", "clock-frequency", NC_UART_CLOCK);
	assert_cells("/uart@9000000", "interrupts", irq, 3);
	assert_u32("/uart@9000000", "reg-shift", 0);
	assert_u32("/uart@9000000", "reg-io-width", 1);

	assert_str("/chosen", "stdout-path", "/uart@9000000");
	stdout_path = prop("/chosen", "stdout-path", NULL);
	ck_assert_int_eq(fdt_path_offset(blob, stdout_path), node("/uart@9000000"));
	assert_str("/aliases", "serial0", "/uart@9000000");
	ck_assert_str_eq(fdt_get_alias(blob, "serial0"), "/uart@9000000");
	ck_assert_int_eq(fdt_path_offset(blob, "serial0"), node("/uart@9000000"));
}
END_TEST

START_TEST(bootargs_ion_base_once)
{
	const char *args;

	params(256 * MiB, ION_DEFAULT_BASE);
	build_ok();
	args = prop("/chosen", "bootargs", NULL);
	ck_assert_str_eq(args, "console=ttyS0 ion_base=0x90000000");
	ck_assert_str_eq(cell.bootargs, args);	/* what check prints */
	ck_assert_int_eq(count(args, "ion_base="), 1);
}
END_TEST

START_TEST(bootargs_cmdline)
{
	const char *args;

	nc_cell_free(&cell);
	ck_assert_int_eq(nc_test_cell(&cell, err, sizeof(err),
				      "[boot]\nkernel = \"Image\"\ncmdline = \"quiet -- init-arg\"\n"), 0);
	build_ok();
	args = prop("/chosen", "bootargs", NULL);
	/* ion_base= goes to the kernel's part, before init's arguments. */
	ck_assert_str_eq(args, "console=ttyS0 quiet ion_base=0x90000000 -- init-arg");
	ck_assert_int_eq(count(args, "ion_base="), 1);
}
END_TEST

START_TEST(initrd)
{
	const uint64_t start = 0x8e000000, end = 0x8e300005;
	int len;

	params(256 * MiB, ION_DEFAULT_BASE);
	build_ok();
	ck_assert_ptr_null(fdt_getprop(blob, node("/chosen"),
				       "linux,initrd-start", &len));
	ck_assert_ptr_null(fdt_getprop(blob, node("/chosen"),
				       "linux,initrd-end", &len));

	cell.initrd_gpa = start;
	cell.initrd_size = end - start;
	build_ok();
	assert_u64s("/chosen", "linux,initrd-start", &start, 1);
	assert_u64s("/chosen", "linux,initrd-end", &end, 1);

	cell.initrd_size = 0;
	ck_assert_int_eq(build(), -EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "initrd"));
}
END_TEST

START_TEST(reserved_memory)
{
	const uint64_t win[] = { ION_DEFAULT_BASE, ION_DEFAULT_SIZE };
	const char *rsv = "/reserved-memory/ion@90000000";

	params(512 * MiB, ION_DEFAULT_BASE);
	build_ok();
	assert_u32("/reserved-memory", "#address-cells", 2);
	assert_u32("/reserved-memory", "#size-cells", 2);
	assert_empty("/reserved-memory", "ranges");
	assert_u64s(rsv, "reg", win, 2);
	assert_empty(rsv, "no-map");
	assert_str(rsv, "compatible", "nipcell,ion-window");
	ck_assert_uint_eq(fdt_get_phandle(blob, node(rsv)), NC_FDT_PHANDLE_ION);
}
END_TEST

START_TEST(ion_node)
{
	const uint64_t reg[] = { NC_DOORBELL_BASE, ION_DOORBELL_SIZE };
	const uint64_t win[] = { ION_DEFAULT_BASE, ION_DEFAULT_SIZE };
	const uint32_t abi[] = { ION_ABI_MAJOR, ION_ABI_MINOR };
	uint32_t irqs[3 * ION_MAX_VALVES];
	const fdt32_t *mr;
	char path[64];
	unsigned int i;
	int len;

	cell_with(512 * MiB, ION_DEFAULT_BASE, 1,
		  "[[blk]]\npath = \"a.img\"\n[[blk]]\npath = \"b.img\"\n"
		  "[input]\nenabled = true\n");
	build_ok();
	assert_str("/ion@9010000", "compatible", "nipcell,ion");
	assert_u64s("/ion@9010000", "reg", reg, 2);
	assert_u64s("/ion@9010000", "nipcell,window", win, 2);
	assert_cells("/ion@9010000", "nipcell,abi", abi, 2);
	for (i = 0; i < 3; i++) {
		irqs[3 * i] = 0;			/* SPI */
		irqs[3 * i + 1] = NC_SPI_ION_FIRST + i;
		irqs[3 * i + 2] = 1;			/* edge rising */
	}
	assert_cells("/ion@9010000", "interrupts", irqs, 9);

	/* memory-region points at the reserved window node. */
	mr = prop("/ion@9010000", "memory-region", &len);
	ck_assert_int_eq(len, 4);
	ck_assert_int_eq(fdt_get_path(blob, fdt_node_offset_by_phandle(blob,
				      fdt32_to_cpu(*mr)), path, sizeof(path)), 0);
	ck_assert_str_eq(path, "/reserved-memory/ion@90000000");

	/* Every valve a cell can have: four disks, net and input. */
	cell_with(512 * MiB, ION_DEFAULT_BASE, 1, MAX_VALVES);
	for (i = 0; i < NC_MAX_BLK + 2; i++) {
		irqs[3 * i] = 0;
		irqs[3 * i + 1] = NC_SPI_ION_FIRST + i;
		irqs[3 * i + 2] = 1;
	}
	build_ok();
	assert_cells("/ion@9010000", "interrupts", irqs, 3 * (NC_MAX_BLK + 2));

	/* No valves: no interrupts property. */
	params(512 * MiB, ION_DEFAULT_BASE);
	build_ok();
	ck_assert_ptr_null(fdt_getprop(blob, node("/ion@9010000"), "interrupts",
				       &len));
}
END_TEST

START_TEST(buffer_too_small)
{
	static const size_t sizes[] = { 0, 16, 40, 100, 1000 };
	static char small[8192];
	size_t i, size;

	cell_with(512 * MiB, ION_DEFAULT_BASE, NC_MAX_VCPUS, MAX_VALVES);
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		memset(small, 0x5a, sizeof(small));
		size = 1;
		ck_assert_int_eq(nc_cell_fdt(&cell, NULL, small, sizes[i], &size, err,
					     sizeof(err)), -ENOSPC);
		ck_assert_uint_eq(size, 0);
		ck_assert_ptr_nonnull(strstr(err, "does not fit in"));
		ck_assert_ptr_nonnull(strstr(err, "FDT_ERR_NOSPACE"));
		/* Nothing written past the buffer. */
		ck_assert_uint_eq((unsigned char)small[sizes[i]], 0x5a);
		ck_assert_uint_eq((unsigned char)small[sizeof(small) - 1], 0x5a);
	}
	ck_assert_int_eq(nc_cell_fdt(&cell, NULL, small, 100, &size, NULL, 0), -ENOSPC);

	/*
	 * A buffer a little larger than the tree is enough (sequential
	 * write needs a few bytes of slack), one smaller than it is not.
	 */
	build_ok();
	memset(small, 0x5a, sizeof(small));
	ck_assert_uint_le(blob_size + 64, sizeof(small) - 1);
	ck_assert_int_eq(nc_cell_fdt(&cell, NULL, small, blob_size + 64, &size, err,
				     sizeof(err)), 0);
	ck_assert_uint_eq(size, blob_size);
	ck_assert_int_eq(memcmp(small, blob, blob_size), 0);
	ck_assert_uint_eq((unsigned char)small[blob_size + 64], 0x5a);
	ck_assert_int_eq(nc_cell_fdt(&cell, NULL, small, blob_size - 1, &size, err,
				     sizeof(err)), -ENOSPC);
}
END_TEST

START_TEST(bad_params)
{
	params(256 * MiB, ION_DEFAULT_BASE);
	cell.cfg.vcpus = 0;
	ck_assert_int_eq(build(), -EINVAL);
	ck_assert_str_eq(err, "device tree: 0 vCPUs; 1 to 8 are supported");
	cell.cfg.vcpus = NC_MAX_VCPUS + 1;
	ck_assert_int_eq(build(), -EINVAL);

	params(256 * MiB, ION_DEFAULT_BASE);
	cell.ram.nr_ram = 0;
	ck_assert_int_eq(build(), -EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "RAM layout has 0 regions"));
}
END_TEST

/* [serial]: a second UART, ttyS1 in the guest through the serial1 alias. */
START_TEST(second_uart)
{
	const uint64_t reg[] = { NC_UART_BASE + NC_UART_STRIDE, NC_UART_SIZE };
	const uint32_t irq[] = { 0, NC_SPI_UART + 1, 4 };

	params(256 * MiB, ION_DEFAULT_BASE);
	build_ok();
	ck_assert_int_lt(fdt_path_offset(blob, "/uart@9001000"), 0);
	ck_assert_ptr_null(fdt_get_alias(blob, "serial1"));

	cell_with(256 * MiB, ION_DEFAULT_BASE, 1,
		  "[serial]\nmode = \"file\"\npath = \"serial.log\"\n");
	build_ok();
	assert_str("/uart@9001000", "compatible", "ns16550a");
	assert_u64s("/uart@9001000", "reg", reg, 2);
	assert_cells("/uart@9001000", "interrupts", irq, 3);
	ck_assert_str_eq(fdt_get_alias(blob, "serial0"), "/uart@9000000");
	ck_assert_str_eq(fdt_get_alias(blob, "serial1"), "/uart@9001000");
	/* The console stays on uart0. */
	assert_str("/chosen", "stdout-path", "/uart@9000000");
	/* The valves' SPIs do not move. */
	ck_assert_uint_eq(nc_devices_find(&cell.devs, "ion", 0)->spi, NC_SPI_ION_FIRST);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("fdt");
	TCase *tc = tcase_create("build");

	tcase_add_test(tc, root_nodes);
	tcase_add_test(tc, memory_unsplit);
	tcase_add_test(tc, memory_split);
	tcase_add_test(tc, memory_after_window_at_ram_base);
	tcase_add_test(tc, cpus_default_mpidr);
	tcase_add_test(tc, cpus_kvm_mpidr);
	tcase_add_test(tc, psci_timer_gic);
	tcase_add_test(tc, uart_and_chosen);
	tcase_add_test(tc, bootargs_ion_base_once);
	tcase_add_test(tc, bootargs_cmdline);
	tcase_add_test(tc, initrd);
	tcase_add_test(tc, reserved_memory);
	tcase_add_test(tc, ion_node);
	tcase_add_test(tc, buffer_too_small);
	tcase_add_test(tc, bad_params);
	tcase_add_test(tc, second_uart);
	suite_add_tcase(s, tc);

	return nc_check_run(s);
}
