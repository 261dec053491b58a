// SPDX-License-Identifier: GPL-2.0
/* nc_image_parse(), nc_image_place() and nc_boot_place(). */
#include <check.h>

#include "../nc_check.h"
#include <endian.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "arch/arm64/image.h"
#include "arch/arm64/layout.h"

#define MiB (1ULL << 20)
#define KERNEL_SIZE 0x5f0000ULL		/* image_size of a real 6.1 build */

static uint8_t file[0x4000];
static struct nc_arm64_image img;
static char err[512];

static void put32(size_t off, uint32_t v)
{
	v = htole32(v);
	memcpy(file + off, &v, sizeof(v));
}

static void put64(size_t off, uint64_t v)
{
	v = htole64(v);
	memcpy(file + off, &v, sizeof(v));
}

/* A header like a 6.1 kernel's without an EFI stub (code0 is a nop). */
static void header(uint64_t text_offset, uint64_t image_size, uint64_t flags)
{
	memset(file, 0, sizeof(file));
	put32(0, 0xd503201f);
	put32(4, 0x1412d18d);
	put64(8, text_offset);
	put64(16, image_size);
	put64(24, flags);
	put32(56, NC_IMAGE_MAGIC);
}

/*
 * An EFI stub: "MZ" in code0, the PE header at res5 (0x40), two sections
 * whose raw data ends at raw_end.
 */
static void efi_header(uint64_t raw_end)
{
	header(0, KERNEL_SIZE, 0xa);
	file[0] = 'M';
	file[1] = 'Z';
	put32(60, 0x40);
	memcpy(file + 0x40, "PE\0\0", 4);
	file[0x44] = 0x64;		/* Machine 0xaa64 */
	file[0x45] = 0xaa;
	file[0x46] = 2;			/* NumberOfSections */
	file[0x54] = 0x10;		/* SizeOfOptionalHeader 16 */
	/* Section table at 0x40 + 24 + 16 = 0x68. */
	memcpy(file + 0x68, ".text", 5);
	put32(0x68 + 16, 0x1000);	/* SizeOfRawData */
	put32(0x68 + 20, 0x1000);	/* PointerToRawData */
	memcpy(file + 0x90, ".data", 5);
	put32(0x90 + 16, (uint32_t)raw_end - 0x2000);
	put32(0x90 + 20, 0x2000);
}

static int parse(size_t len, const char *name)
{
	memset(err, 0, sizeof(err));
	memset(&img, 0xa5, sizeof(img));
	return nc_image_parse(file, len, name, &img, err, sizeof(err));
}

START_TEST(good)
{
	header(0, KERNEL_SIZE, 0xa);
	ck_assert_int_eq(parse(sizeof(file), NULL), 0);
	ck_assert_uint_eq(img.text_offset, 0);
	ck_assert_uint_eq(img.image_size, KERNEL_SIZE);
	ck_assert_uint_eq(img.flags, 0xa);
	ck_assert_uint_eq(nc_image_page_size(&img), 4096);
	ck_assert_str_eq(err, "");

	/* text_offset 0x80000, 64K pages, no flags beyond that. */
	header(0x80000, KERNEL_SIZE, 3 << 1);
	ck_assert_int_eq(parse(sizeof(file), NULL), 0);
	ck_assert_uint_eq(img.text_offset, 0x80000);
	ck_assert_uint_eq(nc_image_page_size(&img), 65536);

	/* The header alone is a (useless but well-formed) Image. */
	header(0, 64, 0);
	ck_assert_int_eq(parse(64, NULL), 0);
	ck_assert_uint_eq(nc_image_page_size(&img), 0);
}
END_TEST

START_TEST(truncated)
{
	header(0, KERNEL_SIZE, 0xa);
	ck_assert_int_eq(parse(0, NULL), -EINVAL);
	ck_assert_str_eq(err, "Image: truncated: 0 bytes, an arm64 Image header is 64");
	ck_assert_int_eq(parse(10, NULL), -EINVAL);
	ck_assert_str_eq(err, "Image: truncated: 10 bytes, an arm64 Image header is 64");
	ck_assert_int_eq(parse(63, "boot/Image"), -EINVAL);
	ck_assert_str_eq(err, "boot/Image: truncated: 63 bytes, an arm64 Image header is 64");
	/* out is zeroed on failure. */
	ck_assert_uint_eq(img.image_size, 0);
	ck_assert_uint_eq(img.text_offset, 0);
}
END_TEST

START_TEST(bad_magic)
{
	header(0, KERNEL_SIZE, 0xa);
	put32(56, 0x12345678);
	ck_assert_int_eq(parse(sizeof(file), NULL), -ENOEXEC);
	ck_assert_str_eq(err, "Image: not an arm64 Image (magic 0x12345678 at offset 56, want 0x644d5241)");
	memset(file, 0, sizeof(file));
	ck_assert_int_eq(parse(sizeof(file), "zeros"), -ENOEXEC);
	ck_assert_str_eq(err, "zeros: not an arm64 Image (magic 0x00000000 at offset 56, want 0x644d5241)");
}
END_TEST

START_TEST(elf)
{
	memset(file, 0, sizeof(file));
	memcpy(file, "\x7f" "ELF\x02\x01\x01", 7);	/* 64-bit LE */
	file[18] = 183;					/* EM_AARCH64 */
	ck_assert_int_eq(parse(sizeof(file), "vmlinux"), -ENOEXEC);
	ck_assert_str_eq(err, "vmlinux: not an arm64 Image: it is an ELF file (aarch64, a vmlinux?); boot arch/arm64/boot/Image instead");

	file[18] = 62;					/* EM_X86_64 */
	ck_assert_int_eq(parse(sizeof(file), NULL), -ENOEXEC);
	ck_assert_ptr_nonnull(strstr(err, "ELF file (x86-64)"));

	file[5] = 2;					/* big-endian ELF */
	file[18] = 0;
	file[19] = 183;
	ck_assert_int_eq(parse(sizeof(file), NULL), -ENOEXEC);
	ck_assert_ptr_nonnull(strstr(err, "ELF file (aarch64"));
}
END_TEST

START_TEST(bzimage)
{
	memset(file, 0, sizeof(file));
	file[0] = 'M';
	file[1] = 'Z';
	file[0x1fe] = 0x55;
	file[0x1ff] = 0xaa;
	memcpy(file + 0x202, "HdrS", 4);
	ck_assert_int_eq(parse(sizeof(file), "bzImage"), -ENOEXEC);
	ck_assert_str_eq(err, "bzImage: not an arm64 Image: it is an x86 bzImage; a NipCell boots an arm64 Image");
	/* Too short to hold the setup header: not recognised, still refused. */
	ck_assert_int_eq(parse(0x205, "bzImage"), -ENOEXEC);
	ck_assert_ptr_nonnull(strstr(err, "(magic 0x00000000 at offset 56"));
}
END_TEST

START_TEST(gzip_and_zboot)
{
	memset(file, 0, sizeof(file));
	file[0] = 0x1f;
	file[1] = 0x8b;
	ck_assert_int_eq(parse(sizeof(file), "Image.gz"), -ENOEXEC);
	ck_assert_str_eq(err, "Image.gz: not an arm64 Image: it is gzip-compressed (Image.gz?); decompress it first");

	memset(file, 0, sizeof(file));
	memcpy(file, "MZ\0\0zimg", 8);
	ck_assert_int_eq(parse(sizeof(file), NULL), -ENOEXEC);
	ck_assert_ptr_nonnull(strstr(err, "EFI zboot image"));
}
END_TEST

START_TEST(big_endian)
{
	header(0, KERNEL_SIZE, 0xb);
	ck_assert_int_eq(parse(sizeof(file), NULL), -EINVAL);
	ck_assert_str_eq(err, "Image: big-endian kernel (header flags 0xb); a NipCell runs little-endian kernels only");
}
END_TEST

START_TEST(text_offset_checks)
{
	header(0x80800, KERNEL_SIZE, 0xa);
	ck_assert_int_eq(parse(sizeof(file), NULL), -EINVAL);
	ck_assert_str_eq(err, "Image: text_offset 0x80800 is not 4 KiB aligned");
	header(NC_RAM_MAX, KERNEL_SIZE, 0xa);
	ck_assert_int_eq(parse(sizeof(file), NULL), -EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "more than the largest cell's RAM"));
	header(0, NC_RAM_MAX + 1, 0xa);
	ck_assert_int_eq(parse(sizeof(file), NULL), -EINVAL);
}
END_TEST

START_TEST(legacy_image_size_zero)
{
	/* Before 3.17: image_size 0, text_offset 0x80000 in kernel order. */
	header(0x80000, 0, 0);
	put64(24, 0xdeadbeef);
	ck_assert_int_eq(parse(sizeof(file), NULL), 0);
	ck_assert_uint_eq(img.text_offset, NC_IMAGE_LEGACY_TEXT_OFFSET);
	ck_assert_uint_eq(img.image_size, sizeof(file));
	ck_assert_uint_eq(img.flags, 0);
	/* A big-endian legacy kernel's text_offset is not trusted either. */
	header(be64toh(0x80000), 0, 0);
	ck_assert_int_eq(parse(sizeof(file), NULL), 0);
	ck_assert_uint_eq(img.text_offset, 0x80000);
}
END_TEST

START_TEST(file_vs_image_size)
{
	/* image_size includes the BSS: a shorter file is normal... */
	header(0, KERNEL_SIZE, 0xa);
	ck_assert_int_eq(parse(4096, NULL), 0);
	ck_assert_uint_eq(img.image_size, KERNEL_SIZE);
	/* ...a longer one is not. */
	header(0, 0x1000, 0xa);
	ck_assert_int_eq(parse(0x1001, NULL), -EINVAL);
	ck_assert_str_eq(err, "Image: file is 4097 bytes but its header says image_size 4096 (BSS included): corrupt header?");
}
END_TEST

START_TEST(efi_stub_file_size)
{
	/* The PE sections say how long the file is. */
	efi_header(0x3000);
	ck_assert_int_eq(parse(0x3000, NULL), 0);
	ck_assert_uint_eq(img.image_size, KERNEL_SIZE);
	ck_assert_int_eq(parse(sizeof(file), NULL), 0);

	ck_assert_int_eq(parse(0x2fff, NULL), -EINVAL);
	ck_assert_str_eq(err, "Image: truncated: file is 12287 bytes, header says 12288");
	ck_assert_int_eq(parse(0x1000, "Image"), -EINVAL);
	ck_assert_str_eq(err, "Image: truncated: file is 4096 bytes, header says 12288");
	/* Cut inside the section table, or before the PE header. */
	ck_assert_int_eq(parse(0x70, NULL), -EINVAL);
	ck_assert_str_eq(err, "Image: truncated: file is 112 bytes, its PE section table ends at 184");
	ck_assert_int_eq(parse(64, NULL), -EINVAL);
	ck_assert_str_eq(err, "Image: truncated: file is 64 bytes, its PE header is at 64");

	/* "MZ" without a PE signature: nothing to check against. */
	efi_header(0x3000);
	file[0x40] = 'X';
	ck_assert_int_eq(parse(0x1000, NULL), 0);
}
END_TEST

START_TEST(place_kernel)
{
	uint64_t gpa = 0;

	header(0, KERNEL_SIZE, 0xa);
	ck_assert_int_eq(parse(sizeof(file), NULL), 0);
	ck_assert_int_eq(nc_image_place(&img, NC_RAM_BASE, 256 * MiB, &gpa,
					err, sizeof(err)), 0);
	ck_assert_uint_eq(gpa, NC_RAM_BASE);

	img.text_offset = 0x80000;
	ck_assert_int_eq(nc_image_place(&img, NC_RAM_BASE, 256 * MiB, &gpa,
					err, sizeof(err)), 0);
	ck_assert_uint_eq(gpa, NC_RAM_BASE + 0x80000);

	/* A region that does not start on 2 MiB: the next 2 MiB boundary. */
	ck_assert_int_eq(nc_image_place(&img, 0x90101000, 256 * MiB, &gpa,
					err, sizeof(err)), 0);
	ck_assert_uint_eq(gpa, 0x90200000 + 0x80000);
	ck_assert_uint_eq(gpa % NC_KERNEL_ALIGN, img.text_offset);
}
END_TEST

START_TEST(place_kernel_too_big)
{
	struct nc_arm64_image big = { 0, 300 * MiB, 0xa };
	uint64_t gpa = 1;

	ck_assert_int_eq(nc_image_place(&big, NC_RAM_BASE, 256 * MiB, &gpa,
					err, sizeof(err)), -EINVAL);
	ck_assert_str_eq(err, "kernel (image_size 300 MiB, BSS included) does not fit in 256 MiB of RAM at 0x80000000: at 0x80000000 it would end at 0x92c00000");
	ck_assert_uint_eq(gpa, 1);

	/* Exactly fits, and one page over once rounded up to 2 MiB. */
	big.image_size = 32 * MiB;
	ck_assert_int_eq(nc_image_place(&big, NC_RAM_BASE, 32 * MiB, &gpa,
					NULL, 0), 0);
	ck_assert_int_eq(nc_image_place(&big, NC_RAM_BASE + 4096, 32 * MiB,
					&gpa, NULL, 0), -EINVAL);
}
END_TEST

static uint64_t initrd, dtb;

static int boot(uint64_t gpa, uint64_t size, uint64_t kend, uint64_t isz,
		uint64_t dsz)
{
	memset(err, 0, sizeof(err));
	initrd = dtb = 1;
	return nc_boot_place(gpa, size, kend, isz, dsz, &initrd, &dtb, err,
			     sizeof(err));
}

START_TEST(boot_place_fits)
{
	uint64_t kend = NC_RAM_BASE + KERNEL_SIZE;

	ck_assert_int_eq(boot(NC_RAM_BASE, 256 * MiB, kend, 16 * MiB, 0x10000), 0);
	ck_assert_uint_eq(dtb, 0x90000000 - 0x10000);
	ck_assert_uint_eq(initrd, dtb - 16 * MiB);
	ck_assert_str_eq(err, "");

	/* Odd sizes: DTB 8-byte aligned, initrd page aligned, no overlap. */
	ck_assert_int_eq(boot(NC_RAM_BASE, 256 * MiB, kend, 1000001, 4097), 0);
	ck_assert_uint_eq(dtb % NC_DTB_ALIGN, 0);
	ck_assert_uint_le(dtb + 4097, 0x90000000);
	ck_assert_uint_gt(dtb + 8, 0x90000000 - 4097);
	ck_assert_uint_eq(initrd % NC_INITRD_ALIGN, 0);
	ck_assert_uint_le(initrd + 1000001, dtb);
	ck_assert_uint_ge(initrd, kend);

	/* A region that ends off a 2 MiB boundary: the DTB stays below it. */
	ck_assert_int_eq(boot(NC_RAM_BASE, 64 * MiB + 0x1000, kend, 0,
			      NC_DTB_MAX_SIZE), 0);
	ck_assert_uint_eq(dtb, NC_RAM_BASE + 62 * MiB);
	ck_assert_uint_eq(initrd, 0);

	/* The initramfs fills all the room between kernel and DTB. */
	ck_assert_int_eq(boot(NC_RAM_BASE, 64 * MiB, kend, 0, 0x10000), 0);
	ck_assert_int_eq(boot(NC_RAM_BASE, 64 * MiB, kend, dtb - kend, 0x10000), 0);
	ck_assert_uint_eq(initrd, kend);
	ck_assert_int_eq(boot(NC_RAM_BASE, 64 * MiB, kend, dtb - kend + 1,
			      0x10000), -EINVAL);
}
END_TEST

START_TEST(boot_place_too_big)
{
	uint64_t kend = NC_RAM_BASE + KERNEL_SIZE;

	ck_assert_int_eq(boot(NC_RAM_BASE, 256 * MiB, kend, 300 * MiB, 0x10000),
			 -EINVAL);
	ck_assert_str_eq(err, "initramfs 300 MiB does not fit in 256 MiB of RAM at 0x80000000");
	ck_assert_uint_eq(initrd, 1);
	ck_assert_uint_eq(dtb, 1);

	ck_assert_int_eq(boot(NC_RAM_BASE, 256 * MiB, kend, 251 * MiB, 0x10000),
			 -EINVAL);
	ck_assert_str_eq(err, "initramfs 251 MiB does not fit between the kernel (ends at 0x805f0000) and the DTB (at 0x8fff0000): 250 MiB free; give the cell more RAM");
	ck_assert_int_eq(boot(NC_RAM_BASE, 256 * MiB, kend, 0, NC_DTB_MAX_SIZE + 1),
			 -EINVAL);
	ck_assert_str_eq(err, "DTB is 2097153 bytes; booting.rst allows 1 byte to 2 MiB");
	ck_assert_int_eq(boot(NC_RAM_BASE, 256 * MiB, kend, 0, 0), -EINVAL);
	/* No room for the DTB above the kernel. */
	ck_assert_int_eq(boot(NC_RAM_BASE, 8 * MiB, NC_RAM_BASE + 8 * MiB - 0x8000, 0,
			      0x10000), -EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "DTB (64 KiB) does not fit"));
	/* A kernel end outside the region. */
	ck_assert_int_eq(boot(NC_RAM_BASE, 256 * MiB, 0x90000001, 0, 0x10000),
			 -EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "outside RAM"));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("image");
	TCase *hdr = tcase_create("header");
	TCase *place = tcase_create("placement");

	tcase_add_test(hdr, good);
	tcase_add_test(hdr, truncated);
	tcase_add_test(hdr, bad_magic);
	tcase_add_test(hdr, elf);
	tcase_add_test(hdr, bzimage);
	tcase_add_test(hdr, gzip_and_zboot);
	tcase_add_test(hdr, big_endian);
	tcase_add_test(hdr, text_offset_checks);
	tcase_add_test(hdr, legacy_image_size_zero);
	tcase_add_test(hdr, file_vs_image_size);
	tcase_add_test(hdr, efi_stub_file_size);
	tcase_add_test(place, place_kernel);
	tcase_add_test(place, place_kernel_too_big);
	tcase_add_test(place, boot_place_fits);
	tcase_add_test(place, boot_place_too_big);
	suite_add_tcase(s, hdr);
	suite_add_tcase(s, place);

	return nc_check_run(s);
}
