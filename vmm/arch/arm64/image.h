/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The arm64 kernel Image header and where the kernel, initramfs and DTB go,
 * per the kernel's Documentation/arm64/booting.rst.
 */
#ifndef NC_ARM64_IMAGE_H
#define NC_ARM64_IMAGE_H

#include <stddef.h>
#include <stdint.h>

#define NC_IMAGE_HEADER_SIZE	64
#define NC_IMAGE_MAGIC		0x644d5241U	/* "ARM\x64", at offset 56 */
#define NC_IMAGE_MAGIC_OFFSET	56
#define NC_IMAGE_LEGACY_TEXT_OFFSET 0x80000ULL	/* when image_size is 0 */

/* Header flags. */
#define NC_IMAGE_F_BE		(1ULL << 0)	/* big-endian kernel */
#define NC_IMAGE_F_PAGE_SHIFT	1		/* 0 unspecified, 1 4K, 2 16K, 3 64K */
#define NC_IMAGE_F_PAGE_MASK	(3ULL << NC_IMAGE_F_PAGE_SHIFT)
#define NC_IMAGE_F_PHYS_ANY	(1ULL << 3)	/* base may be anywhere in RAM */

struct nc_arm64_image {
	uint64_t text_offset;	/* from a 2 MiB aligned base */
	uint64_t image_size;	/* bytes from the load address, BSS included */
	uint64_t flags;		/* NC_IMAGE_F_* */
};

/* Kernel page size from the header flags, 0 when unspecified. */
static inline uint64_t nc_image_page_size(const struct nc_arm64_image *img)
{
	static const uint64_t sizes[] = { 0, 4096, 16384, 65536 };

	return sizes[(img->flags & NC_IMAGE_F_PAGE_MASK) >>
		     NC_IMAGE_F_PAGE_SHIFT];
}

/*
 * Check the len bytes at buf (a whole Image file) and fill out. name is
 * the file's name for messages ("Image" when NULL). Returns 0, or -ENOEXEC
 * for a file that is not an arm64 Image (the message says what it is when
 * it recognises an ELF file, an x86 bzImage, a gzip file or an EFI zboot
 * image) and -EINVAL for a truncated or unsupported one:
 *  - shorter than the 64-byte header;
 *  - a big-endian kernel;
 *  - text_offset not 4 KiB aligned, image_size or text_offset absurd;
 *  - shorter than its EFI stub's PE header says the file is (kernels
 *    without an EFI stub record no file size: image_size includes the BSS,
 *    so a file shorter than image_size is normal);
 *  - longer than image_size.
 * A header with image_size 0 is a kernel older than 3.17: booting.rst says
 * text_offset is then 0x80000; its BSS size is unknown, so out->image_size
 * is set to len.
 */
int nc_image_parse(const void *buf, size_t len, const char *name,
		   struct nc_arm64_image *out, char *err, size_t errlen);

/*
 * Where to load the kernel in the RAM region [ram_gpa, +ram_size): at the
 * lowest 2 MiB aligned base in the region, plus text_offset. The whole
 * image_size must fit in the region. Returns 0 or -EINVAL.
 */
int nc_image_place(const struct nc_arm64_image *img, uint64_t ram_gpa,
		   uint64_t ram_size, uint64_t *kernel_gpa, char *err,
		   size_t errlen);

/*
 * Where the DTB and the initramfs go in the RAM region [ram_gpa, +ram_size)
 * (ram[0] of the layout) that holds a kernel ending at kernel_end:
 *  - the DTB ends at or below the last 2 MiB boundary of the region, 8-byte
 *    aligned, so every 2 MiB block the kernel maps it with is RAM; at most
 *    NC_DTB_MAX_SIZE bytes. A caller that places things before building the
 *    DTB may pass NC_DTB_MAX_SIZE;
 *  - the initramfs right below the DTB, page aligned, above kernel_end;
 *    *initrd_gpa is 0 when initrd_size is 0.
 * Returns 0 or -EINVAL with e.g. "initramfs 300 MiB does not fit in 256 MiB
 * of RAM at 0x80000000".
 */
int nc_boot_place(uint64_t ram_gpa, uint64_t ram_size, uint64_t kernel_end,
		  uint64_t initrd_size, uint64_t dtb_size, uint64_t *initrd_gpa,
		  uint64_t *dtb_gpa, char *err, size_t errlen);

#endif /* NC_ARM64_IMAGE_H */
