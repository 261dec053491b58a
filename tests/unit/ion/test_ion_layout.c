// SPDX-License-Identifier: GPL-2.0
/* Window creation, layout, seeding and spec errors. */
#include "../nc_check.h"
#include <errno.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include "sim_guest.h"
#include "testutil.h"

static char img0[256], img1[256];

static void setup(void)
{
	make_image(img0, sizeof(img0), 64 << 20);
	make_image(img1, sizeof(img1), 1 << 20);
}

static void teardown(void)
{
	unlink(img0);
	unlink(img1);
}

static struct ion_host_spec two_disks(void)
{
	struct ion_host_spec s = default_spec(img0);

	s.nr_blk = 2;
	s.blk[1].path = img1;
	s.blk[1].readonly = true;
	return s;
}

START_TEST(seeded_header)
{
	struct ion_host_spec s = two_disks();
	struct ion_host *h = create_ok(&s);
	struct ion_header *hd = ion_host_window(h);

	ck_assert_uint_eq(hd->magic, ION_MAGIC);
	ck_assert_uint_eq(hd->abi_major, ION_ABI_MAJOR);
	ck_assert_uint_eq(hd->abi_minor, ION_ABI_MINOR);
	ck_assert_uint_eq(hd->window_size, ION_DEFAULT_SIZE);
	ck_assert_uint_eq(hd->header_size, ION_HEADER_SIZE);
	ck_assert_uint_eq(hd->nr_valves, 4);
	ck_assert_uint_eq(hd->features, ION_F_EVENT_IDX);
	ck_assert_uint_eq(hd->host_state, ION_HOST_READY);
	ck_assert_uint_eq(hd->guest_state, ION_GUEST_NONE);
	ck_assert_uint_eq(hd->doorbell_gpa, 0x09010000);
	ck_assert_uint_eq(hd->doorbell_size, ION_DOORBELL_SIZE);
	ck_assert_uint_eq(hd->valves[0].type, ION_VALVE_BLK);
	ck_assert_uint_eq(hd->valves[1].type, ION_VALVE_BLK);
	ck_assert_uint_eq(hd->valves[1].id, 1);
	ck_assert_uint_eq(hd->valves[2].type, ION_VALVE_NET);
	ck_assert_uint_eq(hd->valves[3].type, ION_VALVE_INPUT);
	ck_assert_uint_eq(hd->valves[4].type, ION_VALVE_NONE);
	/* blk: capacity from the file, read-only from the spec */
	ck_assert_uint_eq(hd->valves[0].config.blk.capacity, (64 << 20) / 512);
	ck_assert_uint_eq(hd->valves[0].config.blk.logical_block_size, 512);
	ck_assert_uint_eq(hd->valves[0].config.blk.flags & ION_BLK_F_RO, 0);
	ck_assert_uint_ne(hd->valves[0].config.blk.flags & ION_BLK_F_FLUSH, 0);
	ck_assert_uint_ne(hd->valves[1].config.blk.flags & ION_BLK_F_RO, 0);
	ck_assert_uint_eq(hd->valves[1].config.blk.capacity, 2048);
	ck_assert_uint_eq(hd->valves[0].config.blk.slot_size *
			  hd->valves[0].queues[0].entries,
			  hd->valves[0].data_size);
	ck_assert_uint_eq(hd->valves[2].config.net.mtu, 1500);
	ck_assert_uint_eq(hd->valves[2].config.net.mac[0], 0x02);
	ck_assert_uint_eq(hd->valves[2].config.net.mac[5], 0x01);
	ck_assert_uint_eq(hd->valves[2].nr_queues, 2);
	ck_assert_str_eq(hd->valves[3].config.input.name, "NipCell input");
	/* the private copy matches what the guest sees */
	for (unsigned v = 0; v < 4; v++)
		ck_assert_mem_eq(ion_host_valve(h, v), &hd->valves[v],
				 sizeof(struct ion_valve));
	ck_assert_ptr_null(ion_host_valve(h, 4));
	ion_host_destroy(h);
}
END_TEST

struct range {
	uint64_t off, len;
};

static void add_range(struct range *r, unsigned *n, uint64_t off, uint64_t len)
{
	ck_assert_uint_eq(off % ION_ALIGN, 0);
	ck_assert_uint_le(off + len, ION_DEFAULT_SIZE);
	for (unsigned i = 0; i < *n; i++)
		ck_assert_msg(off + len <= r[i].off || r[i].off + r[i].len <= off,
			      "[0x%llx+0x%llx) overlaps [0x%llx+0x%llx)",
			      (unsigned long long)off, (unsigned long long)len,
			      (unsigned long long)r[i].off,
			      (unsigned long long)r[i].len);
	r[(*n)++] = (struct range){ off, len };
}

START_TEST(layout_aligned_disjoint)
{
	struct ion_host_spec s = two_disks();
	struct ion_host *h = create_ok(&s);
	struct range r[64];
	unsigned n = 0, doorbells[16], nd = 0;

	add_range(r, &n, 0, ION_HEADER_SIZE);
	for (unsigned v = 0; v < ion_host_nr_valves(h); v++) {
		const struct ion_valve *d = ion_host_valve(h, v);

		ck_assert_uint_eq(d->irq, v);
		if (d->data_size)
			add_range(r, &n, d->data_off, d->data_size);
		for (unsigned q = 0; q < d->nr_queues; q++) {
			const struct ion_queue *qd = &d->queues[q];

			ck_assert_uint_eq(qd->entries & (qd->entries - 1), 0);
			ck_assert_uint_eq(qd->sqe_size, sizeof(struct ion_sqe));
			ck_assert_uint_eq(qd->cqe_size, sizeof(struct ion_cqe));
			add_range(r, &n, qd->sq_off,
				  ion_ring_bytes(qd->entries, qd->sqe_size));
			add_range(r, &n, qd->cq_off,
				  ion_ring_bytes(qd->entries, qd->cqe_size));
			ck_assert_uint_lt(qd->doorbell, ION_DOORBELL_SIZE);
			ck_assert_uint_eq(qd->doorbell % ION_DOORBELL_STRIDE, 0);
			for (unsigned i = 0; i < nd; i++)
				ck_assert_uint_ne(doorbells[i], qd->doorbell);
			doorbells[nd++] = qd->doorbell;
			ck_assert_int_ge(ion_host_doorbell_fd(h, v, q), 0);
		}
		ck_assert_int_eq(ion_host_doorbell_fd(h, v, d->nr_queues), -EINVAL);
		ck_assert_int_ge(ion_host_irq_fd(h, v), 0);
	}
	ck_assert_int_eq(ion_host_irq_fd(h, 9), -EINVAL);
	ion_host_destroy(h);
}
END_TEST

START_TEST(memfd_shared_and_sealed)
{
	struct ion_host_spec s = default_spec(img0);
	struct ion_host *h = create_ok(&s);
	int fd = ion_host_memfd(h);
	struct ion_header *other;
	struct stat st;

	ck_assert_int_eq(fstat(fd, &st), 0);
	ck_assert_uint_eq(st.st_size, ION_DEFAULT_SIZE);
	ck_assert_uint_eq(ion_host_window_size(h), ION_DEFAULT_SIZE);
	/* a second mapping (as another process would make) sees the header */
	other = mmap(NULL, ION_DEFAULT_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED,
		     fd, 0);
	ck_assert_ptr_ne(other, MAP_FAILED);
	ck_assert_uint_eq(other->magic, ION_MAGIC);
	other->guest_state = ION_GUEST_BOUND;
	ck_assert_uint_eq(((struct ion_header *)ion_host_window(h))->guest_state,
			  ION_GUEST_BOUND);
	munmap(other, ION_DEFAULT_SIZE);
	/* nobody may shrink it under the host */
	ck_assert_int_eq(ftruncate(fd, 4096), -1);
	ck_assert_int_eq(errno, EPERM);
	ion_host_destroy(h);
}
END_TEST

START_TEST(guest_binds_default_cell)
{
	struct ion_host_spec s = two_disks();
	struct ion_host *h = create_ok(&s);
	struct sim_guest g;
	struct sim_q q;

	ck_assert_int_eq(sim_guest_bind(&g, ion_host_window(h), ION_DEFAULT_SIZE,
					true), 0);
	for (unsigned v = 0; v < 4; v++)
		for (unsigned i = 0; i < ion_host_valve(h, v)->nr_queues; i++)
			ck_assert_int_eq(sim_queue(&g, v, i, -1, -1, &q), 0);
	ion_host_destroy(h);
}
END_TEST

START_TEST(corrupt_magic_refused)
{
	struct ion_host_spec s = default_spec(NULL);
	struct ion_host *h;
	struct sim_guest g;

	s.corrupt_magic = true;
	h = create_ok(&s);
	ck_assert_uint_ne(((struct ion_header *)ion_host_window(h))->magic,
			  ION_MAGIC);
	ck_assert_int_eq(sim_guest_bind(&g, ion_host_window(h), ION_DEFAULT_SIZE,
					true), -EPROTO);
	ck_assert_uint_eq(g.hdr->guest_state, ION_GUEST_REFUSED);
	ion_host_destroy(h);
}
END_TEST

/* ion_host_create() fails with rc and an error containing want. */
static void create_fails(const struct ion_host_spec *s, int rc, const char *want)
{
	struct ion_host *h = (void *)1;
	char err[256] = "";

	ck_assert_int_eq(ion_host_create(&h, s, err, sizeof(err)), rc);
	ck_assert_ptr_null(h);
	ck_assert_msg(strstr(err, want), "error \"%s\" lacks \"%s\"", err, want);
}

START_TEST(spec_errors)
{
	struct ion_host_spec s = default_spec("/nonexistent/disk.img");

	create_fails(&s, -ENOENT,
		     "blk[0] /nonexistent/disk.img: No such file or directory");
	s = default_spec(NULL);
	s.size = ION_DEFAULT_SIZE + 100;
	create_fails(&s, -EINVAL, "not a multiple of 4096");
	s.size = ION_MAX_SIZE * 2;
	create_fails(&s, -EINVAL, "ion window size 0x80000000 outside");
	s = default_spec(NULL);
	s.nr_blk = 5;
	create_fails(&s, -EINVAL, "nr_blk 5 > 4");
	s = default_spec(NULL);
	s.nr_blk = 1;
	create_fails(&s, -EINVAL, "blk[0]: no path");
	s = default_spec(NULL);
	s.net_cfg.mtu = 9000;
	create_fails(&s, -EINVAL, "net mtu 9000 outside");
	s = default_spec(NULL);
	s.net_cfg.mac[0] = 0x01;
	create_fails(&s, -EINVAL, "net mac 01:00:00:00:00:01 is a multicast");
	s = default_spec(NULL);
	s.net_cfg.null = false;
	s.net_cfg.tap = "a-very-long-tap-name";
	create_fails(&s, -EINVAL, "net tap \"a-very-long-tap-name\": name longer");
	s = default_spec(NULL);
	s.nr_blk = 1;
	s.blk[0].null = true;
	s.blk[0].null_size = 1000;
	create_fails(&s, -EINVAL, "blk[0] null_size 1000");
	s = default_spec("/dev/null");
	create_fails(&s, -EINVAL, "blk[0] /dev/null: not a regular file");
}
END_TEST

START_TEST(window_too_small)
{
	struct ion_host_spec s = default_spec(img0);

	s.nr_blk = 4;
	for (unsigned i = 0; i < 4; i++)
		s.blk[i].path = img0;
	create_fails(&s, -ENOSPC,
		     "ion window 16 MiB too small for 4 block valves, net, input: needs");
	s = default_spec(img0);
	s.size = ION_MIN_SIZE;
	create_fails(&s, -ENOSPC, "ion window 1 MiB too small for 1 block valve");
	/* the same cell fits once the window grows (one image: read-only) */
	s.size = 32 << 20;
	s.nr_blk = 4;
	for (unsigned i = 0; i < 4; i++) {
		s.blk[i].path = img0;
		s.blk[i].readonly = true;
	}
	ion_host_destroy(create_ok(&s));
	/* an image smaller than a block */
	s = default_spec(img0);
	ck_assert_int_eq(truncate(img1, 100), 0);
	s.blk[0].path = img1;
	create_fails(&s, -EINVAL, "smaller than one 512-byte block");
}
END_TEST

/* ion_host_check() fails with rc and an error containing want. */
static void check_fails(const struct ion_host_spec *s, int rc, const char *want)
{
	char err[256] = "";

	ck_assert_int_eq(ion_host_check(s, err, sizeof(err)), rc);
	ck_assert_msg(strstr(err, want), "error \"%s\" lacks \"%s\"", err, want);
}

/* `check`: the spec and layout checks of create, without opening anything. */
START_TEST(check_without_files)
{
	struct ion_host_spec s = default_spec("/nonexistent/disk0.img");
	char err[256] = "stale";

	/* the default cell: two disks, net on a tap, input; nothing is opened */
	s.nr_blk = 2;
	s.blk[1].path = "/nonexistent/disk1.img";
	s.blk[1].readonly = true;
	s.net_cfg.null = false;
	s.net_cfg.tap = "nc-no-such-tap";
	ck_assert_int_eq(ion_host_check(&s, err, sizeof(err)), 0);
	ck_assert_str_eq(err, "");
	/* the MTU range is the host's, and its limit is the named constant */
	s.net_cfg.mtu = 9000;
	check_fails(&s, -EINVAL, "net mtu 9000 outside 68..2030");
	s.net_cfg.mtu = ION_HOST_NET_MAX_MTU;
	ck_assert_int_eq(ion_host_check(&s, err, sizeof(err)), 0);
	s.net_cfg.mtu = ION_HOST_NET_MAX_MTU + 1;
	check_fails(&s, -EINVAL, "net mtu 2031 outside");
	s.net_cfg.mtu = ION_HOST_NET_MIN_MTU - 1;
	check_fails(&s, -EINVAL, "net mtu 67 outside");
	/* a window too small for its valves */
	s = default_spec(NULL);
	s.size = ION_MIN_SIZE;
	s.input = false;
	s.nr_blk = 4;
	for (unsigned i = 0; i < 4; i++)
		s.blk[i].path = "/nonexistent/disk.img";
	check_fails(&s, -ENOSPC,
		    "ion window 1 MiB too small for 4 block valves, net: needs 17.1 MiB");
	/* and ion_host_create() says the same, before it opens a file */
	create_fails(&s, -ENOSPC,
		     "ion window 1 MiB too small for 4 block valves, net: needs 17.1 MiB");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("ion_layout");
	TCase *tc = tcase_create("layout");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, seeded_header);
	tcase_add_test(tc, layout_aligned_disjoint);
	tcase_add_test(tc, memfd_shared_and_sealed);
	tcase_add_test(tc, guest_binds_default_cell);
	tcase_add_test(tc, corrupt_magic_refused);
	tcase_add_test(tc, spec_errors);
	tcase_add_test(tc, window_too_small);
	tcase_add_test(tc, check_without_files);
	suite_add_tcase(s, tc);
	return nc_check_run(s);
}
