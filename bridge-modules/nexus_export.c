// SPDX-License-Identifier: GPL-2.0
/*
 * nexus_export: serves one of the guest's block devices to the host over an
 * ION export valve (ABI 1.1), the reversed direction: the host submits
 * block requests into the valve's SQ, this module does them with the
 * guest's own driver and completes them into the CQ.
 *
 * The device is the one the host names in the valve's config
 * (guest_device: a name under /dev such as "nxblk0" or "loop0", or a
 * path). A delayed work looks for it every 100 ms until it exists and has
 * a capacity (a loop device gets one at losetup), opens it exclusively
 * (nobody in the guest may mount it meanwhile), writes its geometry into
 * the guest half of the config and store-releases state READY.
 *
 * Each request runs as a work item of its own on an unbound workqueue, so
 * up to a ring's worth are in flight: READ and WRITE are one bio each on a
 * bounce buffer of physically contiguous pages (the window itself is not
 * in the linear map, so it cannot be a bio page), with one copy between the
 * window slot and the bounce; FLUSH is an empty preflush bio; DISCARD and
 * WRITE_ZEROES go through blkdev_issue_discard()/blkdev_issue_zeroout().
 * Errors go back as their negative errno.
 *
 * Nothing from the host is trusted: every SQE is a private copy whose
 * opcode, range and buffer are checked before use (-EINVAL, -EOPNOTSUPP).
 *
 * corrupt (test only, writable): 1 completes the next request with a wrong
 * id, 2 with a length past its slot, 3 moves the CQ index past what is in
 * flight. The host must then break the valve and fail its own I/O.
 */
#define pr_fmt(fmt) "nexus_export: " fmt

#include <linux/blkdev.h>
#include <linux/bio.h>
#include <linux/ctype.h>
#include <linux/gfp.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/workqueue.h>
#include "nexus_ion.h"

#define NXEXP_MAX		ION_MAX_VALVES
#define NXEXP_POLL_MS		100

static int corrupt;
module_param(corrupt, int, 0644);
MODULE_PARM_DESC(corrupt, "Test only: corrupt the next completion (1 wrong id, 2 length past the slot, 3 CQ index jump)");

struct nxexp;

struct nxexp_item {
	struct nxexp *xp;
	struct work_struct work;
	struct ion_sqe sqe;		/* private copy */
	struct page *bounce;		/* slot_size bytes, contiguous */
	void *buf;
	bool busy;
};

struct nxexp {
	struct nexus_ion_valve *valve;
	struct nexus_ion_queue *q;
	const struct ion_valve *desc;
	struct ion_export_config *live;	/* the window's config */
	char path[ION_EXPORT_DEVICE_MAX + 8];
	u32 slot_size;
	unsigned int nr_items;
	struct nxexp_item *items;
	spinlock_t lock;		/* SQ, CQ, items' busy */
	struct block_device *bdev;
	fmode_t mode;
	u64 capacity;			/* sectors */
	u32 lbs;
	bool ready;
	bool stopping;
	struct delayed_work probe;
	struct workqueue_struct *wq;
	u16 id;
};

static struct nxexp *nxexp_devs[NXEXP_MAX];
static unsigned int nxexp_nr;

static int nxexp_check(struct nxexp *xp, const struct ion_sqe *s, void **slot)
{
	u64 end;

	*slot = NULL;
	switch (s->opcode) {
	case ION_OP_BLK_FLUSH:
		return s->flags || s->len ? -EINVAL : 0;
	case ION_OP_BLK_READ:
	case ION_OP_BLK_WRITE:
	case ION_OP_BLK_DISCARD:
	case ION_OP_BLK_WRITE_ZEROES:
		break;
	default:
		return -EOPNOTSUPP;
	}
	if (s->flags & ~(s->opcode == ION_OP_BLK_WRITE ? ION_SQE_F_FUA : 0))
		return -EINVAL;
	if (!s->len || s->len % xp->lbs || s->off % (xp->lbs >> SECTOR_SHIFT))
		return -EINVAL;
	end = s->off + (s->len >> SECTOR_SHIFT);
	if (s->off >= xp->capacity || end > xp->capacity)
		return -EINVAL;
	if (s->opcode == ION_OP_BLK_READ || s->opcode == ION_OP_BLK_WRITE) {
		if (s->len > xp->slot_size || s->data_off < xp->desc->data_off)
			return -EINVAL;
		*slot = nexus_ion_valve_data(xp->valve, s->data_off - xp->desc->data_off,
					     s->len);
		if (!*slot)
			return -EINVAL;
	}
	if ((s->opcode == ION_OP_BLK_WRITE || s->opcode == ION_OP_BLK_DISCARD ||
	     s->opcode == ION_OP_BLK_WRITE_ZEROES) && bdev_read_only(xp->bdev))
		return -EROFS;
	return 0;
}

static int nxexp_rw(struct nxexp *xp, struct nxexp_item *it, void *slot)
{
	const struct ion_sqe *s = &it->sqe;
	blk_opf_t opf;
	struct bio bio;
	struct bio_vec bv;
	int ret;

	if (s->opcode == ION_OP_BLK_FLUSH)
		return blkdev_issue_flush(xp->bdev);
	if (s->opcode == ION_OP_BLK_DISCARD)
		return blkdev_issue_discard(xp->bdev, s->off, s->len >> SECTOR_SHIFT,
					    GFP_NOIO);
	if (s->opcode == ION_OP_BLK_WRITE_ZEROES)
		return blkdev_issue_zeroout(xp->bdev, s->off, s->len >> SECTOR_SHIFT,
					    GFP_NOIO, 0);
	if (s->opcode == ION_OP_BLK_WRITE) {
		memcpy(it->buf, slot, s->len);
		opf = REQ_OP_WRITE | REQ_SYNC;
		if (s->flags & ION_SQE_F_FUA)
			opf |= REQ_FUA;
	} else {
		opf = REQ_OP_READ;
	}
	bio_init(&bio, xp->bdev, &bv, 1, opf);
	bio.bi_iter.bi_sector = s->off;
	if (bio_add_page(&bio, it->bounce, s->len, 0) != s->len) {
		bio_uninit(&bio);
		return -EIO;
	}
	ret = submit_bio_wait(&bio);
	bio_uninit(&bio);
	if (!ret && s->opcode == ION_OP_BLK_READ)
		memcpy(slot, it->buf, s->len);
	return ret;
}

static void nxexp_dispatch(struct nxexp *xp);

/* Under xp->lock. */
static void nxexp_complete(struct nxexp *xp, struct nxexp_item *it, int err)
{
	struct ion_cqe *cqe;
	u32 jump = 0;
	int c;

	if (nexus_ion_cq_reserve(xp->q, &cqe))
		return;	/* broken, or a host that took no completions */
	cqe->id = it->sqe.id;
	cqe->status = err;
	cqe->len = err ? 0 : it->sqe.len;
	c = READ_ONCE(corrupt);
	if (c) {
		WRITE_ONCE(corrupt, 0);
		if (c == 1)
			cqe->id ^= 0x5a5a5a5a00000000ULL;
		else if (c == 2)
			cqe->len = xp->slot_size + SZ_4K;
		else
			jump = 2 * nexus_ion_queue_entries(xp->q);
		pr_warn("export%u: corrupting a completion on purpose (corrupt=%d)\n",
			xp->id, c);
	}
	nexus_ion_cq_submit(xp->q, jump);
}

static void nxexp_work(struct work_struct *work)
{
	struct nxexp_item *it = container_of(work, struct nxexp_item, work);
	struct nxexp *xp = it->xp;
	unsigned long flags;
	void *slot;
	bool kick;
	int err;

	err = nxexp_check(xp, &it->sqe, &slot);
	if (!err)
		err = nxexp_rw(xp, it, slot);
	spin_lock_irqsave(&xp->lock, flags);
	nxexp_complete(xp, it, err);
	kick = nexus_ion_cq_kick_prepare(xp->q);
	it->busy = false;
	spin_unlock_irqrestore(&xp->lock, flags);
	if (kick)
		nexus_ion_sq_notify(xp->q);
	nxexp_dispatch(xp);
}

/* Pops requests while an item is free. Any context. */
static void nxexp_dispatch(struct nxexp *xp)
{
	unsigned long flags;
	unsigned int i;

	spin_lock_irqsave(&xp->lock, flags);
	if (!xp->ready || xp->stopping)
		goto out;
	do {
		nexus_ion_sq_disable(xp->q);
		for (;;) {
			struct nxexp_item *it = NULL;

			for (i = 0; i < xp->nr_items; i++)
				if (!xp->items[i].busy) {
					it = &xp->items[i];
					break;
				}
			if (!it)
				goto out;	/* a completion dispatches again */
			if (!nexus_ion_sq_pop(xp->q, &it->sqe))
				break;
			it->busy = true;
			queue_work(xp->wq, &it->work);
		}
	} while (!nexus_ion_sq_enable(xp->q));
out:
	spin_unlock_irqrestore(&xp->lock, flags);
}

static void nxexp_notify(void *data)
{
	nxexp_dispatch(data);
}

/* The guest half of the config, then state READY (store-release last). */
static void nxexp_report(struct nxexp *xp, int err)
{
	struct ion_export_config *c = xp->live;
	struct block_device *b = xp->bdev;
	u32 flags = ION_BLK_F_FLUSH | ION_BLK_F_WRITE_ZEROES;

	if (err) {
		WRITE_ONCE(c->error, err);
		smp_store_release(&c->state, ION_EXPORT_S_FAILED);
		nexus_ion_sq_notify(xp->q);
		return;
	}
	if (bdev_read_only(b))
		flags = ION_BLK_F_RO;
	else if (bdev_max_discard_sectors(b))
		flags |= ION_BLK_F_DISCARD;
	WRITE_ONCE(c->capacity, xp->capacity);
	WRITE_ONCE(c->logical_block_size, xp->lbs);
	WRITE_ONCE(c->physical_block_size, bdev_physical_block_size(b));
	WRITE_ONCE(c->max_sectors, xp->slot_size >> SECTOR_SHIFT);
	WRITE_ONCE(c->flags, flags);
	WRITE_ONCE(c->max_discard_sectors, flags & ION_BLK_F_DISCARD ?
		   min_t(u32, bdev_max_discard_sectors(b), U32_MAX >> SECTOR_SHIFT) : 0);
	WRITE_ONCE(c->max_write_zeroes_sectors, flags & ION_BLK_F_WRITE_ZEROES ?
		   (U32_MAX & ~(SZ_4K - 1)) >> SECTOR_SHIFT : 0);
	WRITE_ONCE(c->discard_granularity, flags & ION_BLK_F_DISCARD ?
		   max(bdev_discard_granularity(b), xp->lbs) : 0);
	smp_store_release(&c->state, ION_EXPORT_S_READY);
	/* The host learns of it at its next pass. */
	nexus_ion_sq_notify(xp->q);
}

/* Looks for the device until it is there with a capacity. */
static void nxexp_probe(struct work_struct *work)
{
	struct nxexp *xp = container_of(to_delayed_work(work), struct nxexp, probe);
	struct block_device *b;
	unsigned long flags;

	if (READ_ONCE(xp->stopping))
		return;
	xp->mode = FMODE_READ | FMODE_WRITE | FMODE_EXCL;
	b = blkdev_get_by_path(xp->path, xp->mode, xp);
	if (IS_ERR(b) && PTR_ERR(b) == -EACCES) {
		xp->mode = FMODE_READ | FMODE_EXCL;	/* a read-only device */
		b = blkdev_get_by_path(xp->path, xp->mode, xp);
	}
	if (IS_ERR(b) || !bdev_nr_sectors(b)) {
		if (!IS_ERR(b))
			blkdev_put(b, xp->mode);
		schedule_delayed_work(&xp->probe, msecs_to_jiffies(NXEXP_POLL_MS));
		return;
	}
	xp->bdev = b;
	xp->capacity = bdev_nr_sectors(b);
	xp->lbs = bdev_logical_block_size(b);
	nxexp_report(xp, 0);
	pr_info("export%u: serving %s to the host, %llu sectors of %u bytes\n",
		xp->id, xp->path, xp->capacity, xp->lbs);
	spin_lock_irqsave(&xp->lock, flags);
	xp->ready = true;
	spin_unlock_irqrestore(&xp->lock, flags);
	nxexp_dispatch(xp);
}

static int nxexp_device_path(struct nxexp *xp)
{
	const char *name = xp->desc->config.export.guest_device;
	size_t n = strnlen(name, ION_EXPORT_DEVICE_MAX), i;

	if (!n || n == ION_EXPORT_DEVICE_MAX)
		return -EINVAL;
	for (i = 0; i < n; i++)
		if (!isgraph(name[i]))
			return -EINVAL;
	snprintf(xp->path, sizeof(xp->path), "%s%.*s", name[0] == '/' ? "" : "/dev/",
		 (int)n, name);
	return 0;
}

static void nxexp_free(struct nxexp *xp)
{
	unsigned int i;

	if (xp->wq)
		destroy_workqueue(xp->wq);
	for (i = 0; xp->items && i < xp->nr_items; i++)
		if (xp->items[i].bounce)
			__free_pages(xp->items[i].bounce, get_order(xp->slot_size));
	kfree(xp->items);
	nexus_ion_put_valve(xp->valve);
	kfree(xp);
}

static int nxexp_add(u16 id)
{
	struct nxexp *xp;
	unsigned int i;
	int ret;

	xp = kzalloc(sizeof(*xp), GFP_KERNEL);
	if (!xp)
		return -ENOMEM;
	xp->id = id;
	spin_lock_init(&xp->lock);
	INIT_DELAYED_WORK(&xp->probe, nxexp_probe);
	xp->valve = nexus_ion_get_valve(ION_VALVE_EXPORT, id);
	if (IS_ERR(xp->valve)) {
		ret = PTR_ERR(xp->valve);
		kfree(xp);
		return ret;
	}
	xp->desc = nexus_ion_valve_desc(xp->valve);
	xp->q = nexus_ion_valve_queue(xp->valve, 0);
	/* The union's export member: the guest-written half lives there. */
	xp->live = nexus_ion_valve_live_config(xp->valve);
	xp->slot_size = xp->desc->config.export.slot_size;
	ret = -EINVAL;
	if (nxexp_device_path(xp)) {
		pr_err("export%u: guest_device is not a NUL-terminated name\n", id);
		goto err;
	}
	if (xp->slot_size < PAGE_SIZE || xp->slot_size > SZ_1M ||
	    !IS_ALIGNED(xp->slot_size, PAGE_SIZE)) {
		pr_err("export%u: slot size %u (want 4 KiB to 1 MiB, page aligned)\n",
		       id, xp->slot_size);
		goto err;
	}
	xp->nr_items = min_t(u64, nexus_ion_queue_entries(xp->q),
			     div_u64(xp->desc->data_size, xp->slot_size));
	if (!xp->nr_items) {
		pr_err("export%u: the data area holds no slot\n", id);
		goto err;
	}
	ret = -ENOMEM;
	xp->items = kcalloc(xp->nr_items, sizeof(*xp->items), GFP_KERNEL);
	xp->wq = alloc_workqueue("nexus_export%u", WQ_UNBOUND | WQ_MEM_RECLAIM,
				 xp->nr_items, id);
	if (!xp->items || !xp->wq)
		goto err;
	for (i = 0; i < xp->nr_items; i++) {
		struct nxexp_item *it = &xp->items[i];

		it->xp = xp;
		INIT_WORK(&it->work, nxexp_work);
		it->bounce = alloc_pages(GFP_KERNEL, get_order(xp->slot_size));
		if (!it->bounce)
			goto err;
		it->buf = page_address(it->bounce);
	}
	nexus_ion_valve_set_notify(xp->valve, nxexp_notify, xp);
	nxexp_devs[nxexp_nr++] = xp;
	pr_info("export%u: waiting for %s\n", id, xp->path);
	schedule_delayed_work(&xp->probe, 0);
	return 0;
err:
	nxexp_free(xp);
	return ret;
}

static void nxexp_remove(struct nxexp *xp)
{
	unsigned long flags;

	spin_lock_irqsave(&xp->lock, flags);
	xp->stopping = true;
	spin_unlock_irqrestore(&xp->lock, flags);
	cancel_delayed_work_sync(&xp->probe);
	nexus_ion_valve_clear_notify(xp->valve);
	flush_workqueue(xp->wq);
	if (xp->bdev)
		blkdev_put(xp->bdev, xp->mode);
	nxexp_free(xp);
}

static int __init nxexp_init(void)
{
	u16 ids[NXEXP_MAX];
	int i, n, ret;

	n = nexus_ion_find_valves(ION_VALVE_EXPORT, ids, ARRAY_SIZE(ids));
	if (n < 0) {
		pr_err("nexus_ion is not bound to an ION window: no export bridge\n");
		return -ENODEV;
	}
	if (!n) {
		pr_err("the ION window has no export valve\n");
		return -ENODEV;
	}
	for (i = 0; i < n; i++) {
		ret = nxexp_add(ids[i]);
		if (ret)
			pr_err("export%u: not served: %d\n", ids[i], ret);
	}
	if (!nxexp_nr)
		return -ENODEV;
	pr_info("export bridge ready (%u valve%s)\n", nxexp_nr, nxexp_nr == 1 ? "" : "s");
	return 0;
}

static void __exit nxexp_exit(void)
{
	while (nxexp_nr)
		nxexp_remove(nxexp_devs[--nxexp_nr]);
}

module_init(nxexp_init);
module_exit(nxexp_exit);

MODULE_DESCRIPTION("NipCell export bridge: a guest block device served to the host over an ION export valve");
MODULE_LICENSE("GPL");
