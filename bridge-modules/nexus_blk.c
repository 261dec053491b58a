// SPDX-License-Identifier: GPL-2.0
/*
 * nexus_blk: a blk-mq disk, nxblk<id>, for each block valve of the ION
 * window (major 252).
 *
 * One hardware queue on the valve's queue 0, as deep as the ring and the
 * data area allow. Request tag t owns data slot t, [data_off + t * slot_size,
 * + slot_size) in the window: a write is copied from its bio pages into the
 * slot before its SQE is published, a read is copied out after its CQE; that
 * is the one guest copy. The SQE id is seq << 32 | tag, and a completion is
 * taken only when both match a request in flight.
 *
 * Kicks and completions follow virtio_blk: queue_rq rings the doorbell only
 * on bd->last (commit_rqs covers the rest), after dropping the lock; the
 * completion callback drains with interrupts off and loops until
 * re-enabling them holds; a full ring stops the hardware queue and returns
 * BLK_STS_DEV_RESOURCE until a completion restarts it.
 */
#define pr_fmt(fmt) "nexus_blk: " fmt

#include <linux/blk-mq.h>
#include <linux/blkdev.h>
#include <linux/log2.h>
#include <linux/module.h>
#include <linux/random.h>
#include <linux/slab.h>
#include "nexus_ion.h"

#define NXBLK_MAJOR		252
#define NXBLK_MAX_DISKS		ION_MAX_VALVES
#define NXBLK_PART_MINORS	16
#define NXBLK_MAX_BYTES		(U32_MAX & ~(SZ_4K - 1))	/* ion_sqe.len */

static unsigned int irq_batch;
module_param(irq_batch, uint, 0644);
MODULE_PARM_DESC(irq_batch, "Interrupt once this percentage (1-100) of the requests in flight has completed (default 0: at every completion)");

static bool part_scan;
module_param(part_scan, bool, 0444);
MODULE_PARM_DESC(part_scan, "Scan the disks for partitions (default 0: whole disks, no I/O at load)");

struct nxblk_slot {
	struct request *rq;		/* in flight, or NULL */
	u32 seq;
};

struct nxblk {
	struct nexus_ion_valve *valve;
	struct nexus_ion_queue *q;
	struct ion_blk_config cfg;
	u64 data_off;			/* window offset of slot 0 */
	u32 slot_size;
	unsigned int depth;
	spinlock_t lock;		/* the ring, slots[] and seq */
	u32 seq;
	struct nxblk_slot *slots;
	struct blk_mq_tag_set tag_set;
	struct gendisk *disk;
};

struct nxblk_cmd {
	s32 status;			/* from the CQE */
	u32 len;
};

static struct nxblk *nxblk_disks[NXBLK_MAX_DISKS];
static unsigned int nxblk_nr_disks;

static void *nxblk_slot(struct nxblk *nb, unsigned int tag)
{
	return nexus_ion_valve_data(nb->valve, (u64)tag * nb->slot_size,
				    nb->slot_size);
}

static void nxblk_copy_to_slot(struct request *rq, void *slot)
{
	struct req_iterator iter;
	struct bio_vec bv;

	rq_for_each_segment(bv, rq, iter) {
		memcpy_from_bvec(slot, &bv);
		slot += bv.bv_len;
	}
}

static void nxblk_copy_from_slot(struct request *rq, const void *slot)
{
	struct req_iterator iter;
	struct bio_vec bv;

	rq_for_each_segment(bv, rq, iter) {
		memcpy_to_bvec(&bv, slot);
		slot += bv.bv_len;
	}
}

static blk_status_t nxblk_errno(s32 status)
{
	switch (status) {
	case -EOPNOTSUPP:	return BLK_STS_NOTSUPP;
	case -ENOSPC:		return BLK_STS_NOSPC;
	case -ETIMEDOUT:	return BLK_STS_TIMEOUT;
	default:		return BLK_STS_IOERR;
	}
}

static blk_status_t nxblk_queue_rq(struct blk_mq_hw_ctx *hctx,
				   const struct blk_mq_queue_data *bd)
{
	struct nxblk *nb = hctx->queue->queuedata;
	struct request *rq = bd->rq;
	unsigned int tag = rq->tag;
	u32 len = blk_rq_bytes(rq);
	struct ion_sqe *sqe;
	unsigned long flags;
	void *slot = NULL;
	bool kick = false;
	u16 opcode, sflags = 0;
	int err;

	switch (req_op(rq)) {
	case REQ_OP_READ:
		opcode = ION_OP_BLK_READ;
		break;
	case REQ_OP_WRITE:
		opcode = ION_OP_BLK_WRITE;
		if (rq->cmd_flags & REQ_FUA)
			sflags |= ION_SQE_F_FUA;
		break;
	case REQ_OP_FLUSH:
		opcode = ION_OP_BLK_FLUSH;
		len = 0;
		break;
	case REQ_OP_DISCARD:
		opcode = ION_OP_BLK_DISCARD;
		break;
	case REQ_OP_WRITE_ZEROES:
		opcode = ION_OP_BLK_WRITE_ZEROES;
		break;
	default:
		return BLK_STS_NOTSUPP;
	}
	if (opcode == ION_OP_BLK_READ || opcode == ION_OP_BLK_WRITE) {
		slot = nxblk_slot(nb, tag);
		if (WARN_ON_ONCE(!slot || len > nb->slot_size))
			return BLK_STS_IOERR;
	}

	blk_mq_start_request(rq);
	if (opcode == ION_OP_BLK_WRITE)
		nxblk_copy_to_slot(rq, slot);

	spin_lock_irqsave(&nb->lock, flags);
	err = nexus_ion_sq_reserve(nb->q, &sqe);
	if (err) {
		kick = nexus_ion_sq_kick_prepare(nb->q);
		if (err == -ENOSPC)
			blk_mq_stop_hw_queue(hctx);
		spin_unlock_irqrestore(&nb->lock, flags);
		if (kick)
			nexus_ion_sq_notify(nb->q);
		return err == -ENOSPC ? BLK_STS_DEV_RESOURCE : BLK_STS_IOERR;
	}
	nb->slots[tag].rq = rq;
	nb->slots[tag].seq = ++nb->seq;
	sqe->opcode = opcode;
	sqe->flags = sflags;
	sqe->len = len;
	sqe->off = opcode == ION_OP_BLK_FLUSH ? 0 : blk_rq_pos(rq);
	sqe->data_off = slot ? nb->data_off + (u64)tag * nb->slot_size : 0;
	sqe->id = (u64)nb->seq << 32 | tag;
	nexus_ion_sq_submit(nb->q);
	if (bd->last)
		kick = nexus_ion_sq_kick_prepare(nb->q);
	spin_unlock_irqrestore(&nb->lock, flags);

	if (kick)
		nexus_ion_sq_notify(nb->q);
	return BLK_STS_OK;
}

static void nxblk_commit_rqs(struct blk_mq_hw_ctx *hctx)
{
	struct nxblk *nb = hctx->queue->queuedata;
	bool kick;

	spin_lock_irq(&nb->lock);
	kick = nexus_ion_sq_kick_prepare(nb->q);
	spin_unlock_irq(&nb->lock);
	if (kick)
		nexus_ion_sq_notify(nb->q);
}

/* Under nb->lock. Return: true when a request in flight completed. */
static bool nxblk_take_cqe(struct nxblk *nb, const struct ion_cqe *cqe)
{
	u32 tag = lower_32_bits(cqe->id), seq = upper_32_bits(cqe->id);
	struct nxblk_cmd *cmd;
	struct request *rq;

	if (tag >= nb->depth || !nb->slots[tag].rq || nb->slots[tag].seq != seq) {
		pr_err_ratelimited("%s: completion id 0x%llx matches no request in flight: ignored\n",
				   nb->disk->disk_name, cqe->id);
		return false;
	}
	rq = nb->slots[tag].rq;
	nb->slots[tag].rq = NULL;
	cmd = blk_mq_rq_to_pdu(rq);
	cmd->status = cqe->status;
	cmd->len = cqe->len;
	blk_mq_complete_request(rq);
	return true;
}

/*
 * Under nb->lock, once the valve is broken: nothing will complete what is
 * in flight (the host interrupts once when it breaks a valve).
 */
static bool nxblk_fail_all(struct nxblk *nb)
{
	struct nxblk_cmd *cmd;
	struct request *rq;
	bool done = false;
	unsigned int tag;

	for (tag = 0; tag < nb->depth; tag++) {
		rq = nb->slots[tag].rq;
		if (!rq)
			continue;
		nb->slots[tag].rq = NULL;
		cmd = blk_mq_rq_to_pdu(rq);
		cmd->status = -EIO;
		blk_mq_complete_request(rq);
		done = true;
	}
	if (done)
		pr_err_ratelimited("%s: the valve is broken (error %u): failing its requests\n",
				   nb->disk->disk_name,
				   nexus_ion_valve_error(nb->valve));
	return done;
}

/*
 * Under nb->lock: how many completions the next interrupt waits for. With
 * irq_batch, that share of what is in flight (all of which will complete,
 * so the interrupt always comes); else 1.
 */
static u32 nxblk_batch(struct nxblk *nb)
{
	u32 pct = min(READ_ONCE(irq_batch), 100U);

	return max(nexus_ion_queue_outstanding(nb->q) * pct / 100, 1U);
}

/* The valve's notify callback: hard-IRQ context, or the caller's. */
static void nxblk_notify(void *data)
{
	struct nxblk *nb = data;
	struct ion_cqe cqe;
	unsigned long flags;
	bool done = false;

	spin_lock_irqsave(&nb->lock, flags);
	do {
		nexus_ion_cq_disable(nb->q);
		while (nexus_ion_cq_pop(nb->q, &cqe))
			done |= nxblk_take_cqe(nb, &cqe);
	} while (!nexus_ion_cq_enable_batch(nb->q, nxblk_batch(nb)));
	if (unlikely(nexus_ion_valve_broken(nb->valve)))
		done |= nxblk_fail_all(nb);
	/* In case the queue is stopped waiting for ring space. */
	if (done)
		blk_mq_start_stopped_hw_queues(nb->disk->queue, true);
	spin_unlock_irqrestore(&nb->lock, flags);
}

static void nxblk_complete_rq(struct request *rq)
{
	struct nxblk *nb = rq->q->queuedata;
	struct nxblk_cmd *cmd = blk_mq_rq_to_pdu(rq);
	blk_status_t status = BLK_STS_OK;
	enum req_op op = req_op(rq);

	if (cmd->status) {
		status = nxblk_errno(cmd->status);
	} else if (op == REQ_OP_READ || op == REQ_OP_WRITE) {
		if (cmd->len != blk_rq_bytes(rq)) {
			pr_err_ratelimited("%s: %s of %u bytes at sector %llu moved %u bytes\n",
					   nb->disk->disk_name,
					   op == REQ_OP_READ ? "read" : "write",
					   blk_rq_bytes(rq), blk_rq_pos(rq),
					   cmd->len);
			status = BLK_STS_IOERR;
		} else if (op == REQ_OP_READ) {
			nxblk_copy_from_slot(rq, nxblk_slot(nb, rq->tag));
		}
	}
	blk_mq_end_request(rq, status);
}

/*
 * A live host may be slow (the backing store is its business): keep waiting.
 * Once the valve is broken nobody will answer: fail the request.
 */
static enum blk_eh_timer_return nxblk_timeout(struct request *rq)
{
	struct nxblk *nb = rq->q->queuedata;
	struct nxblk_cmd *cmd = blk_mq_rq_to_pdu(rq);
	unsigned long flags;
	bool ours = false;

	if (!nexus_ion_valve_broken(nb->valve)) {
		pr_warn_ratelimited("%s: request at sector %llu still waits for the host\n",
				    nb->disk->disk_name, blk_rq_pos(rq));
		return BLK_EH_RESET_TIMER;
	}
	spin_lock_irqsave(&nb->lock, flags);
	if (nb->slots[rq->tag].rq == rq) {
		nb->slots[rq->tag].rq = NULL;
		ours = true;
	}
	spin_unlock_irqrestore(&nb->lock, flags);
	if (ours) {
		cmd->status = -EIO;
		blk_mq_complete_request(rq);
	}
	return BLK_EH_DONE;
}

static const struct blk_mq_ops nxblk_mq_ops = {
	.queue_rq	= nxblk_queue_rq,
	.commit_rqs	= nxblk_commit_rqs,
	.complete	= nxblk_complete_rq,
	.timeout	= nxblk_timeout,
};

static const struct block_device_operations nxblk_fops = {
	.owner		= THIS_MODULE,
};

/* Checks the valve's config and derives slot size and queue depth. */
static int nxblk_check(struct nxblk *nb, const struct ion_valve *d)
{
	struct ion_blk_config *c = &nb->cfg;
	u64 slots;

	if (!is_power_of_2(c->logical_block_size) ||
	    c->logical_block_size < SECTOR_SIZE ||
	    c->logical_block_size > PAGE_SIZE) {
		pr_err("blk%u: logical block size %u (want a power of two from %u to %lu)\n",
		       d->id, c->logical_block_size, SECTOR_SIZE, PAGE_SIZE);
		return -EINVAL;
	}
	if (c->physical_block_size < c->logical_block_size ||
	    !is_power_of_2(c->physical_block_size))
		c->physical_block_size = c->logical_block_size;
	if (c->slot_size < PAGE_SIZE || c->slot_size > NXBLK_MAX_BYTES ||
	    !IS_ALIGNED(c->slot_size, c->logical_block_size)) {
		pr_err("blk%u: slot size %u (want a multiple of %u from %lu to %u)\n",
		       d->id, c->slot_size, c->logical_block_size, PAGE_SIZE,
		       NXBLK_MAX_BYTES);
		return -EINVAL;
	}
	if (c->max_sectors && c->max_sectors < PAGE_SIZE >> SECTOR_SHIFT) {
		pr_err("blk%u: max_sectors %u is below one page\n", d->id,
		       c->max_sectors);
		return -EINVAL;
	}
	slots = div_u64(d->data_size, c->slot_size);
	nb->depth = min_t(u64, slots, min(d->queues[0].entries, BLK_MQ_MAX_DEPTH));
	if (!nb->depth) {
		pr_err("blk%u: data area of 0x%llx bytes holds no %u-byte slot\n",
		       d->id, d->data_size, c->slot_size);
		return -EINVAL;
	}
	nb->slot_size = c->slot_size;
	nb->data_off = d->data_off;
	return 0;
}

/* A limit in sectors for an op whose length travels in ion_sqe.len. */
static unsigned int nxblk_limit(u32 cfg, u32 cap_bytes, u32 lbs)
{
	u32 max = cap_bytes >> SECTOR_SHIFT;

	if (cfg && cfg < max)
		max = cfg;
	return round_down(max, lbs >> SECTOR_SHIFT);
}

static void nxblk_set_limits(struct nxblk *nb, struct request_queue *q)
{
	const struct ion_blk_config *c = &nb->cfg;
	u32 lbs = c->logical_block_size;

	blk_queue_logical_block_size(q, lbs);
	blk_queue_physical_block_size(q, c->physical_block_size);
	blk_queue_io_min(q, c->physical_block_size);
	blk_queue_max_hw_sectors(q, nxblk_limit(c->max_sectors, nb->slot_size, lbs));
	if (c->flags & ION_BLK_F_DISCARD) {
		blk_queue_max_discard_sectors(q, nxblk_limit(c->max_discard_sectors,
							     NXBLK_MAX_BYTES, lbs));
		q->limits.discard_granularity =
			c->discard_granularity &&
			IS_ALIGNED(c->discard_granularity, lbs) ?
			c->discard_granularity : lbs;
	}
	if (c->flags & ION_BLK_F_WRITE_ZEROES)
		blk_queue_max_write_zeroes_sectors(q, nxblk_limit(c->max_write_zeroes_sectors,
								  NXBLK_MAX_BYTES, lbs));
	blk_queue_write_cache(q, c->flags & ION_BLK_F_FLUSH,
			      c->flags & ION_BLK_F_FLUSH);
}

static void nxblk_free(struct nxblk *nb)
{
	nexus_ion_put_valve(nb->valve);
	kfree(nb->slots);
	kfree(nb);
}

static int nxblk_add(u16 id)
{
	unsigned int minors = part_scan ? NXBLK_PART_MINORS : 1;
	const struct ion_valve *d;
	struct gendisk *disk;
	struct nxblk *nb;
	int ret;

	nb = kzalloc(sizeof(*nb), GFP_KERNEL);
	if (!nb)
		return -ENOMEM;
	spin_lock_init(&nb->lock);
	nb->seq = get_random_u32();
	nb->valve = nexus_ion_get_valve(ION_VALVE_BLK, id);
	if (IS_ERR(nb->valve)) {
		ret = PTR_ERR(nb->valve);
		kfree(nb);
		return ret;
	}
	d = nexus_ion_valve_desc(nb->valve);
	nb->q = nexus_ion_valve_queue(nb->valve, 0);
	nb->cfg = d->config.blk;
	ret = nxblk_check(nb, d);
	if (ret)
		goto err_free;
	nb->slots = kcalloc(nb->depth, sizeof(*nb->slots), GFP_KERNEL);
	ret = -ENOMEM;
	if (!nb->slots)
		goto err_free;

	nb->tag_set.ops = &nxblk_mq_ops;
	nb->tag_set.nr_hw_queues = 1;
	nb->tag_set.queue_depth = nb->depth;
	nb->tag_set.numa_node = NUMA_NO_NODE;
	nb->tag_set.cmd_size = sizeof(struct nxblk_cmd);
	nb->tag_set.flags = BLK_MQ_F_SHOULD_MERGE;
	nb->tag_set.driver_data = nb;
	ret = blk_mq_alloc_tag_set(&nb->tag_set);
	if (ret)
		goto err_free;

	disk = blk_mq_alloc_disk(&nb->tag_set, nb);
	if (IS_ERR(disk)) {
		ret = PTR_ERR(disk);
		goto err_tags;
	}
	nb->disk = disk;
	disk->major = NXBLK_MAJOR;
	disk->first_minor = id * minors;
	disk->minors = minors;
	disk->fops = &nxblk_fops;
	disk->private_data = nb;
	if (!part_scan)
		disk->flags |= GENHD_FL_NO_PART;
	snprintf(disk->disk_name, DISK_NAME_LEN, "nxblk%u", id);
	nxblk_set_limits(nb, disk->queue);
	set_capacity(disk, nb->cfg.capacity);
	set_disk_ro(disk, nb->cfg.flags & ION_BLK_F_RO);

	nexus_ion_valve_set_notify(nb->valve, nxblk_notify, nb);
	/* Entries a previous load left behind are drained (and ignored). */
	if (!nexus_ion_cq_enable(nb->q))
		nxblk_notify(nb);

	ret = add_disk(disk);
	if (ret)
		goto err_disk;
	pr_info("block bridge ready (%s major=%d), %llu sectors%s\n",
		disk->disk_name, NXBLK_MAJOR, nb->cfg.capacity,
		nb->cfg.flags & ION_BLK_F_RO ? ", read-only" : "");
	nxblk_disks[nxblk_nr_disks++] = nb;
	return 0;

err_disk:
	nexus_ion_valve_clear_notify(nb->valve);
	put_disk(disk);
err_tags:
	blk_mq_free_tag_set(&nb->tag_set);
err_free:
	nxblk_free(nb);
	return ret;
}

static void nxblk_remove(struct nxblk *nb)
{
	del_gendisk(nb->disk);
	nexus_ion_valve_clear_notify(nb->valve);
	blk_mq_free_tag_set(&nb->tag_set);
	put_disk(nb->disk);
	nxblk_free(nb);
}

static int __init nxblk_init(void)
{
	u16 ids[NXBLK_MAX_DISKS];
	int i, n, ret;

	n = nexus_ion_find_valves(ION_VALVE_BLK, ids, ARRAY_SIZE(ids));
	if (n < 0) {
		pr_err("nexus_ion is not bound to an ION window: no block bridge\n");
		return -ENODEV;
	}
	if (!n) {
		pr_err("the ION window has no block valve\n");
		return -ENODEV;
	}
	ret = register_blkdev(NXBLK_MAJOR, "nxblk");
	if (ret) {
		pr_err("cannot register major %d: %d\n", NXBLK_MAJOR, ret);
		return ret;
	}
	for (i = 0; i < n; i++) {
		ret = nxblk_add(ids[i]);
		if (ret)
			pr_err("blk%u: no disk: %d\n", ids[i], ret);
	}
	if (!nxblk_nr_disks) {
		unregister_blkdev(NXBLK_MAJOR, "nxblk");
		return -ENODEV;
	}
	return 0;
}

static void __exit nxblk_exit(void)
{
	while (nxblk_nr_disks)
		nxblk_remove(nxblk_disks[--nxblk_nr_disks]);
	unregister_blkdev(NXBLK_MAJOR, "nxblk");
}

module_init(nxblk_init);
module_exit(nxblk_exit);

MODULE_DESCRIPTION("NipCell block bridge: nxblk disks on ION block valves");
MODULE_LICENSE("GPL");
