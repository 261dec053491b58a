// SPDX-License-Identifier: GPL-2.0
/*
 * arm64 Image header parsing and boot placement, per the kernel's
 * Documentation/arm64/booting.rst. The header, all fields little-endian:
 *
 *   0  u32 code0, u32 code1   executable code ("MZ" with an EFI stub)
 *   8  u64 text_offset        load offset from a 2 MiB aligned base
 *  16  u64 image_size         bytes from the load address, BSS included
 *  24  u64 flags              bit 0 BE, bits 1-2 page size, bit 3 placement
 *  32  u64 res2, res3, res4
 *  56  u32 magic              "ARM\x64"
 *  60  u32 res5               offset of the PE header with an EFI stub
 */
#include <endian.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "util/errf.h"
#include "image.h"
#include "layout.h"

#define MiB (1ULL << 20)

#define PE_SIG_SIZE		4	/* "PE\0\0" */
#define PE_COFF_SIZE		20	/* COFF file header */
#define PE_SECTION_SIZE		40
#define PE_MACHINE_ARM64	0xaa64

static uint16_t get_le16(const uint8_t *p)
{
	uint16_t v;

	memcpy(&v, p, sizeof(v));
	return le16toh(v);
}

static uint32_t get_le32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return le32toh(v);
}

static uint64_t get_le64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return le64toh(v);
}

static const char *elf_machine(uint16_t machine, char *buf, size_t len)
{
	switch (machine) {
	case 3:		return "i386";
	case 40:	return "arm";
	case 62:	return "x86-64";
	case 183:	return "aarch64";
	case 243:	return "riscv";
	}
	snprintf(buf, len, "machine %u", machine);
	return buf;
}

/* Say what a file without the arm64 magic is, when we know. */
static int not_an_image(const uint8_t *b, size_t len, const char *name,
			char *err, size_t errlen)
{
	uint16_t machine;
	char m[24];

	if (!memcmp(b, "\x7f" "ELF", 4)) {
		/* e_machine at 18, in the byte order of EI_DATA (5). */
		machine = b[5] == 2 ? (uint16_t)(b[18] << 8 | b[19]) :
				      get_le16(b + 18);
		return nc_errf(-ENOEXEC, err, errlen,
			    "%s: not an arm64 Image: it is an ELF file (%s%s); boot arch/arm64/boot/Image instead",
			    name, elf_machine(machine, m, sizeof(m)),
			    machine == 183 ? ", a vmlinux?" : "");
	}
	if (!memcmp(b, "MZ", 2) && !memcmp(b + 4, "zimg", 4))
		return nc_errf(-ENOEXEC, err, errlen,
			    "%s: not an arm64 Image: it is an EFI zboot image (vmlinuz.efi); boot arch/arm64/boot/Image instead",
			    name);
	if (len >= 0x206 && b[0x1fe] == 0x55 && b[0x1ff] == 0xaa &&
	    !memcmp(b + 0x202, "HdrS", 4))
		return nc_errf(-ENOEXEC, err, errlen,
			    "%s: not an arm64 Image: it is an x86 bzImage; a NipCell boots an arm64 Image",
			    name);
	if (b[0] == 0x1f && b[1] == 0x8b)
		return nc_errf(-ENOEXEC, err, errlen,
			    "%s: not an arm64 Image: it is gzip-compressed (Image.gz?); decompress it first",
			    name);
	return nc_errf(-ENOEXEC, err, errlen,
		    "%s: not an arm64 Image (magic 0x%08x at offset %d, want 0x%08x)",
		    name, get_le32(b + NC_IMAGE_MAGIC_OFFSET),
		    NC_IMAGE_MAGIC_OFFSET, NC_IMAGE_MAGIC);
}

/*
 * With an EFI stub the Image is also a PE file whose sections' raw data
 * covers the whole file: a shorter file lost its tail. Without a stub (no
 * "MZ", or no PE header) there is nothing to check against.
 */
static int check_pe_size(const uint8_t *b, size_t len, const char *name,
			 char *err, size_t errlen)
{
	uint64_t pe, sec, end, raw_end = 0;
	uint16_t nsec;
	unsigned int i;

	if (memcmp(b, "MZ", 2))
		return 0;
	pe = get_le32(b + 60);
	if (pe < NC_IMAGE_HEADER_SIZE)
		return 0;
	if (len < pe + PE_SIG_SIZE + PE_COFF_SIZE)
		return nc_errf(-EINVAL, err, errlen,
			    "%s: truncated: file is %zu bytes, its PE header is at %" PRIu64,
			    name, len, pe);
	if (memcmp(b + pe, "PE\0\0", 4) ||
	    get_le16(b + pe + 4) != PE_MACHINE_ARM64)
		return 0;
	nsec = get_le16(b + pe + 6);
	sec = pe + PE_SIG_SIZE + PE_COFF_SIZE + get_le16(b + pe + 20);
	end = sec + (uint64_t)nsec * PE_SECTION_SIZE;
	if (len < end)
		return nc_errf(-EINVAL, err, errlen,
			    "%s: truncated: file is %zu bytes, its PE section table ends at %" PRIu64,
			    name, len, end);
	for (i = 0; i < nsec; i++, sec += PE_SECTION_SIZE) {
		/* SizeOfRawData at 16, PointerToRawData at 20. */
		end = (uint64_t)get_le32(b + sec + 20) + get_le32(b + sec + 16);
		if (end > raw_end)
			raw_end = end;
	}
	if (len < raw_end)
		return nc_errf(-EINVAL, err, errlen,
			    "%s: truncated: file is %zu bytes, header says %" PRIu64,
			    name, len, raw_end);
	return 0;
}

int nc_image_parse(const void *buf, size_t len, const char *name,
		   struct nc_arm64_image *out, char *err, size_t errlen)
{
	const uint8_t *b = buf;
	struct nc_arm64_image img;
	char s[32];
	int ret;

	if (!name)
		name = "Image";
	memset(out, 0, sizeof(*out));
	if (len < NC_IMAGE_HEADER_SIZE)
		return nc_errf(-EINVAL, err, errlen,
			    "%s: truncated: %zu bytes, an arm64 Image header is %d",
			    name, len, NC_IMAGE_HEADER_SIZE);
	if (get_le32(b + NC_IMAGE_MAGIC_OFFSET) != NC_IMAGE_MAGIC)
		return not_an_image(b, len, name, err, errlen);

	img.text_offset = get_le64(b + 8);
	img.image_size = get_le64(b + 16);
	img.flags = get_le64(b + 24);
	if (img.image_size == 0) {
		/* Before 3.17: text_offset in kernel byte order, no flags. */
		img.text_offset = NC_IMAGE_LEGACY_TEXT_OFFSET;
		img.image_size = len;
		img.flags = 0;
	}
	if (img.flags & NC_IMAGE_F_BE)
		return nc_errf(-EINVAL, err, errlen,
			    "%s: big-endian kernel (header flags 0x%" PRIx64 "); a NipCell runs little-endian kernels only",
			    name, img.flags);
	if (img.text_offset % NC_RAM_ALIGN)
		return nc_errf(-EINVAL, err, errlen,
			    "%s: text_offset 0x%" PRIx64 " is not 4 KiB aligned",
			    name, img.text_offset);
	if (img.text_offset >= NC_RAM_MAX || img.image_size > NC_RAM_MAX)
		return nc_errf(-EINVAL, err, errlen,
			    "%s: header says text_offset 0x%" PRIx64 ", image_size 0x%" PRIx64 ": more than the largest cell's RAM (%s)",
			    name, img.text_offset, img.image_size,
			    nc_size_str(s, sizeof(s), NC_RAM_MAX));
	ret = check_pe_size(b, len, name, err, errlen);
	if (ret)
		return ret;
	if (len > img.image_size)
		return nc_errf(-EINVAL, err, errlen,
			    "%s: file is %zu bytes but its header says image_size %" PRIu64 " (BSS included): corrupt header?",
			    name, len, img.image_size);
	*out = img;
	return 0;
}

int nc_image_place(const struct nc_arm64_image *img, uint64_t ram_gpa,
		   uint64_t ram_size, uint64_t *kernel_gpa, char *err,
		   size_t errlen)
{
	uint64_t base = (ram_gpa + NC_KERNEL_ALIGN - 1) & ~(NC_KERNEL_ALIGN - 1);
	uint64_t gpa = base + img->text_offset;
	uint64_t ram_end = ram_gpa + ram_size;
	char s1[32], s2[32];

	if (gpa + img->image_size > ram_end || gpa + img->image_size < gpa)
		return nc_errf(-EINVAL, err, errlen,
			    "kernel (image_size %s, BSS included) does not fit in %s of RAM at 0x%08" PRIx64 ": at 0x%08" PRIx64 " it would end at 0x%08" PRIx64,
			    nc_size_str(s1, sizeof(s1), img->image_size),
			    nc_size_str(s2, sizeof(s2), ram_size), ram_gpa, gpa,
			    gpa + img->image_size);
	*kernel_gpa = gpa;
	return 0;
}

int nc_boot_place(uint64_t ram_gpa, uint64_t ram_size, uint64_t kernel_end,
		  uint64_t initrd_size, uint64_t dtb_size, uint64_t *initrd_gpa,
		  uint64_t *dtb_gpa, char *err, size_t errlen)
{
	uint64_t ram_end = ram_gpa + ram_size;
	uint64_t top = ram_end & ~(NC_KERNEL_ALIGN - 1);
	uint64_t low = (kernel_end + NC_INITRD_ALIGN - 1) & ~(NC_INITRD_ALIGN - 1);
	uint64_t dtb, initrd = 0;
	char s1[32], s2[32];

	if (kernel_end < ram_gpa || kernel_end > ram_end)
		return nc_errf(-EINVAL, err, errlen,
			    "kernel end 0x%08" PRIx64 " is outside RAM [0x%08" PRIx64 "-0x%08" PRIx64 "]",
			    kernel_end, ram_gpa, ram_end - 1);
	if (dtb_size == 0 || dtb_size > NC_DTB_MAX_SIZE)
		return nc_errf(-EINVAL, err, errlen,
			    "DTB is %" PRIu64 " bytes; booting.rst allows 1 byte to 2 MiB",
			    dtb_size);
	/* Also keep the 2 MiB block the DTB starts in inside the region. */
	if (top < ram_gpa + dtb_size ||
	    ((top - dtb_size) & ~(NC_DTB_ALIGN - 1)) < low ||
	    ((top - dtb_size) & ~(NC_KERNEL_ALIGN - 1)) < ram_gpa)
		return nc_errf(-EINVAL, err, errlen,
			    "DTB (%s) does not fit between the kernel (ends at 0x%08" PRIx64 ") and the end of RAM at 0x%08" PRIx64,
			    nc_size_str(s1, sizeof(s1), dtb_size), kernel_end,
			    ram_end);
	dtb = (top - dtb_size) & ~(NC_DTB_ALIGN - 1);

	if (initrd_size) {
		if (initrd_size > ram_size)
			return nc_errf(-EINVAL, err, errlen,
				    "initramfs %s does not fit in %s of RAM at 0x%08" PRIx64,
				    nc_size_str(s1, sizeof(s1), initrd_size),
				    nc_size_str(s2, sizeof(s2), ram_size), ram_gpa);
		if (dtb < low + initrd_size)
			return nc_errf(-EINVAL, err, errlen,
				    "initramfs %s does not fit between the kernel (ends at 0x%08" PRIx64 ") and the DTB (at 0x%08" PRIx64 "): %s free; give the cell more RAM",
				    nc_size_str(s1, sizeof(s1), initrd_size),
				    kernel_end, dtb,
				    nc_size_str(s2, sizeof(s2), dtb - low));
		initrd = (dtb - initrd_size) & ~(NC_INITRD_ALIGN - 1);
	}
	*dtb_gpa = dtb;
	*initrd_gpa = initrd;
	return 0;
}
