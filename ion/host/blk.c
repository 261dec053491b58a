// SPDX-License-Identifier: GPL-2.0
/*
 * Block valve: a raw image file (or block device) serviced with io_uring.
 * Data moves between the file and the window with READ_FIXED/WRITE_FIXED
 * on the registered window: no host copy. FLUSH is a datasync fsync,
 * DISCARD punches a hole, WRITE_ZEROES zeroes a range (or, where the file
 * system refuses ZERO_RANGE, writes zeroes).
 */
#include <fcntl.h>
#include <linux/falloc.h>
#include <linux/fs.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "host.h"

#define ION_BLK_SECTOR		512U
#define ION_BLK_PBS		4096U
/* Largest DISCARD/WRITE_ZEROES: what fits ion_sqe.len, 4 KiB aligned. */
#define ION_BLK_MAX_RANGE	0xfffff000U
#define ION_ZERO_CHUNK		(64U * 1024)

static const char zeroes[ION_ZERO_CHUNK] __attribute__((aligned(4096)));

/*
 * Locks the image as QEMU does, with an open-file-description lock on the
 * whole file: shared for a read-only valve, exclusive for a writable one,
 * so two cells (or a cell and a tool that locks alike) never write one
 * image at once. The lock goes with the fd. Two valves of the same cell on
 * one image conflict too, unless both are read-only.
 */
static int blk_lock(struct ion_hvalve *v, const char *path, char *err,
		    size_t errlen)
{
	struct flock fl = {
		.l_type = v->ro ? F_RDLCK : F_WRLCK,
		.l_whence = SEEK_SET,
	};
	struct stat st, o;

	if (fcntl(v->fd, F_OFD_SETLK, &fl) == 0)
		return 0;
	if (errno != EAGAIN && errno != EACCES)
		return nc_errf(-errno, err, errlen, "blk[%u] %s: locking: %s",
			       v->desc.id, path, strerror(errno));
	if (fstat(v->fd, &st) == 0)
		for (unsigned i = 0; i < v->idx; i++) {
			const struct ion_hvalve *w = v->h->valves[i];

			if (w->desc.type == ION_VALVE_BLK && w->fd >= 0 &&
			    fstat(w->fd, &o) == 0 && o.st_dev == st.st_dev &&
			    o.st_ino == st.st_ino)
				return nc_errf(-EBUSY, err, errlen,
					       "blk[%u] %s: the same image as blk[%u], and not both read-only",
					       v->desc.id, path, w->desc.id);
		}
	return nc_errf(-EBUSY, err, errlen,
		       "blk[%u] %s: locked by another process (is another cell or tool using it?)",
		       v->desc.id, path);
}

/*
 * Drops the lock before the fd is closed: the io_uring's file table holds
 * the open file description (and with it the lock) until the kernel has
 * torn the ring down, which it does asynchronously after close.
 */
static void blk_release(struct ion_hvalve *v)
{
	struct flock fl = { .l_type = F_UNLCK, .l_whence = SEEK_SET };

	if (v->fd >= 0)
		fcntl(v->fd, F_OFD_SETLK, &fl);
}

static int blk_open(struct ion_hvalve *v, char *err, size_t errlen)
{
	unsigned i = v->desc.id;
	const struct ion_host_spec *s = &v->h->spec;
	struct ion_blk_config *c = &v->desc.config.blk;
	const char *path = s->blk[i].path;
	uint32_t lbs = s->blk[i].direct ? 4096 : ION_BLK_SECTOR;
	uint64_t bytes;
	struct stat st;
	int flags, rc;

	v->ro = s->blk[i].readonly;
	v->direct = s->blk[i].direct;
	v->null = s->blk[i].null;
	if (v->null) {
		bytes = s->blk[i].null_size;
		path = "(null)";
	} else {
		flags = (v->ro ? O_RDONLY : O_RDWR) | O_CLOEXEC |
			(v->direct ? O_DIRECT : 0);
		v->fd = open(path, flags);
		if (v->fd < 0)
			return nc_errf(-errno, err, errlen, "blk[%u] %s: %s%s", i,
					path, v->direct && errno == EINVAL ?
					"O_DIRECT: " : "", strerror(errno));
		if (fstat(v->fd, &st) < 0)
			return nc_errf(-errno, err, errlen, "blk[%u] %s: %s", i,
					path, strerror(errno));
		rc = blk_lock(v, path, err, errlen);
		if (rc)
			return rc;
		if (S_ISREG(st.st_mode)) {
			bytes = st.st_size;
		} else if (S_ISBLK(st.st_mode)) {
			if (ioctl(v->fd, BLKGETSIZE64, &bytes) < 0)
				return nc_errf(-errno, err, errlen,
						"blk[%u] %s: BLKGETSIZE64: %s", i,
						path, strerror(errno));
		} else {
			return nc_errf(-EINVAL, err, errlen,
					"blk[%u] %s: not a regular file or block device",
					i, path);
		}
	}
	bytes &= ~(uint64_t)(lbs - 1);
	if (!bytes)
		return nc_errf(-EINVAL, err, errlen,
				"blk[%u] %s: smaller than one %u-byte block", i,
				path, lbs);
	v->bytes = bytes;
	c->capacity = bytes / ION_BLK_SECTOR;
	c->logical_block_size = lbs;
	c->physical_block_size = ION_BLK_PBS;
	c->max_sectors = ION_BLK_SLOT / ION_BLK_SECTOR;
	c->slot_size = ION_BLK_SLOT;
	c->flags = v->ro ? ION_BLK_F_RO : ION_BLK_F_FLUSH | ION_BLK_F_DISCARD |
					  ION_BLK_F_WRITE_ZEROES;
	if (!v->ro) {
		c->max_discard_sectors = ION_BLK_MAX_RANGE / ION_BLK_SECTOR;
		c->max_write_zeroes_sectors = ION_BLK_MAX_RANGE / ION_BLK_SECTOR;
		c->discard_granularity = ION_BLK_PBS;
	}
	return 0;
}

/* 0, or the status a request gets without reaching the backend. */
static int32_t blk_check(const struct ion_hvalve *v, const struct ion_sqe *s)
{
	const struct ion_blk_config *c = &v->desc.config.blk;
	uint32_t lbs = c->logical_block_size;
	bool rw = false;
	uint64_t pos;

	switch (s->opcode) {
	case ION_OP_BLK_READ:
		rw = true;
		break;
	case ION_OP_BLK_WRITE:
		rw = true;
		__attribute__((fallthrough));
	case ION_OP_BLK_DISCARD:
	case ION_OP_BLK_WRITE_ZEROES:
		if (v->ro)
			return -EROFS;
		break;
	case ION_OP_BLK_FLUSH:
		return s->flags ? -EINVAL : 0;
	default:
		return -EOPNOTSUPP;
	}
	if (s->flags & ~(uint16_t)(s->opcode == ION_OP_BLK_WRITE ? ION_SQE_F_FUA : 0))
		return -EINVAL;
	if (!s->len || s->len % lbs || s->off > c->capacity)
		return -EINVAL;
	pos = s->off * ION_BLK_SECTOR;
	if (pos % lbs || s->len > v->bytes - pos)
		return -EINVAL;
	if (!rw)
		return s->len > ION_BLK_MAX_RANGE ? -EINVAL : 0;
	if (s->len > c->max_sectors * ION_BLK_SECTOR || s->data_off % lbs ||
	    !ion_data_ok(v, s->data_off, s->len))
		return -EINVAL;
	return 0;
}

/* Queues the (rest of the) backend operation of request tag. */
static void blk_issue(struct ion_hq *q, uint32_t tag)
{
	struct ion_hvalve *v = q->v;
	struct ion_req *r = &q->reqs[tag];
	const struct ion_sqe *s = &r->sqe;
	struct io_uring_sqe *sqe = ion_get_sqe(v->h);
	uint64_t pos = s->off * ION_BLK_SECTOR + r->done;
	uint32_t rest = s->len - r->done;
	/* data_off is checked for READ/WRITE only: no pointer from it else */
	bool rw = s->opcode == ION_OP_BLK_READ || s->opcode == ION_OP_BLK_WRITE;
	void *buf = rw ? ion_win_ptr(v, s->data_off + r->done) : NULL;

	switch (s->opcode) {
	case ION_OP_BLK_READ:
		io_uring_prep_read_fixed(sqe, v->fd_fixed, buf, rest, pos, 0);
		break;
	case ION_OP_BLK_WRITE:
		io_uring_prep_write_fixed(sqe, v->fd_fixed, buf, rest, pos, 0);
		if (s->flags & ION_SQE_F_FUA)
			sqe->rw_flags = RWF_DSYNC;
		break;
	case ION_OP_BLK_FLUSH:
		io_uring_prep_fsync(sqe, v->fd_fixed, IORING_FSYNC_DATASYNC);
		break;
	case ION_OP_BLK_DISCARD:
		io_uring_prep_fallocate(sqe, v->fd_fixed,
					FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
					pos, rest);
		break;
	default:	/* ION_OP_BLK_WRITE_ZEROES */
		if (r->zero_fill)
			io_uring_prep_write(sqe, v->fd_fixed, zeroes,
					    rest < ION_ZERO_CHUNK ? rest : ION_ZERO_CHUNK,
					    pos);
		else
			io_uring_prep_fallocate(sqe, v->fd_fixed,
						FALLOC_FL_ZERO_RANGE | FALLOC_FL_KEEP_SIZE,
						pos, rest);
		break;
	}
	sqe->flags |= IOSQE_FIXED_FILE;
	sqe->user_data = ion_ud(ION_UD_IO, v->idx, q->q, tag);
	v->h->inflight_io++;
}

static void blk_submit(struct ion_hq *q, uint32_t tag)
{
	struct ion_hvalve *v = q->v;
	const struct ion_sqe *s = &q->reqs[tag].sqe;
	int32_t st = blk_check(v, s);

	if (st)
		ion_queue_post(q, tag, st, 0);
	else if (v->null)
		ion_queue_post(q, tag, 0, s->opcode == ION_OP_BLK_FLUSH ? 0 : s->len);
	else
		blk_issue(q, tag);
}

/*
 * A zero fill writes up to 4 GiB in 64 KiB pieces; once the host stops it
 * is not continued: it completes with -ECANCELED (it was never
 * acknowledged, so nothing the guest was promised is lost). True when so.
 */
static bool zero_fill_stopped(struct ion_hq *q, uint32_t tag)
{
	struct ion_req *r = &q->reqs[tag];

	if (!r->zero_fill || !q->v->h->stopping)
		return false;
	ion_queue_post(q, tag, -ECANCELED, r->done);
	return true;
}

static void blk_complete(struct ion_hq *q, uint32_t tag, int res)
{
	struct ion_req *r = &q->reqs[tag];
	const struct ion_sqe *s = &r->sqe;

	if (res < 0) {
		if (s->opcode == ION_OP_BLK_WRITE_ZEROES && !r->zero_fill &&
		    (res == -EOPNOTSUPP || res == -EINVAL)) {
			r->zero_fill = true;
			if (zero_fill_stopped(q, tag))
				return;
			blk_issue(q, tag);
			return;
		}
		ion_queue_post(q, tag, res, r->done);
		return;
	}
	switch (s->opcode) {
	case ION_OP_BLK_FLUSH:
		ion_queue_post(q, tag, 0, 0);
		return;
	case ION_OP_BLK_DISCARD:
		ion_queue_post(q, tag, 0, s->len);
		return;
	case ION_OP_BLK_WRITE_ZEROES:
		if (!r->zero_fill) {
			ion_queue_post(q, tag, 0, s->len);
			return;
		}
		break;
	}
	/* A transfer: short ones continue where they stopped; EOF is -EIO. */
	if (!res) {
		ion_queue_post(q, tag, -EIO, r->done);
		return;
	}
	r->done += res;
	if (r->done >= s->len)
		ion_queue_post(q, tag, 0, s->len);
	else if (!zero_fill_stopped(q, tag))
		blk_issue(q, tag);
}

/*
 * Every request is one operation; READ, WRITE and WRITE_ZEROES cost the
 * bytes they name (a zero fill writes them), FLUSH and DISCARD none.
 */
static void blk_cost(const struct ion_hq *q, const struct ion_sqe *s,
		     uint64_t *bytes, uint64_t *ops)
{
	(void)q;
	*ops = 1;
	*bytes = s->opcode == ION_OP_BLK_READ || s->opcode == ION_OP_BLK_WRITE ||
		 s->opcode == ION_OP_BLK_WRITE_ZEROES ? s->len : 0;
}

static void blk_sync(struct ion_hvalve *v)
{
	if (v->fd >= 0 && !v->ro)
		fdatasync(v->fd);
}

static const struct ion_valve_ops blk_ops = {
	.submit = blk_submit,
	.complete = blk_complete,
	.sync = blk_sync,
	.release = blk_release,
	.cost = blk_cost,
};

static unsigned blk_count(const struct ion_host_spec *s)
{
	return s->nr_blk;
}

/* One slot per ring entry; blk_open() announces the same slot_size. */
static uint64_t blk_data_size(const struct ion_host_spec *s, unsigned id)
{
	(void)s;
	(void)id;
	return (uint64_t)ION_BLK_ENTRIES * ION_BLK_SLOT;
}

static const struct ion_budget *blk_budget(const struct ion_host_spec *s,
					   unsigned id)
{
	return &s->blk[id].budget;
}

const struct ion_valve_type ion_blk_type = {
	.type = ION_VALVE_BLK,
	.name = ION_VALVE_BLK_NAME,
	.nr_queues = ION_BLK_QUEUES,
	.entries = ION_BLK_ENTRIES,
	.count = blk_count,
	.data_size = blk_data_size,
	.open = blk_open,
	.ops = &blk_ops,
	.budget = blk_budget,
	.noun = "block valve",
};
