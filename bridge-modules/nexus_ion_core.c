// SPDX-License-Identifier: GPL-2.0
/*
 * nexus_ion: binds a NipCell guest to its ION window and hands its valves to
 * nexus_blk, nexus_net and nexus_input (nexus_ion.h).
 *
 * The window is found, in this order:
 *  1. a device tree node, compatible "nipcell,ion": reg is the doorbell
 *     region, "nipcell,window" = <base-hi base-lo size-hi size-lo>,
 *     "memory-region" the /reserved-memory guard of the window, "interrupts"
 *     one per valve (ion_valve.irq indexes them), "nipcell,abi" = <maj min>;
 *  2. ion_base= on the kernel command line (/chosen bootargs), or the
 *     ion_base module parameter: the size is the header's window_size, the
 *     doorbells are at header.doorbell_gpa (0: none, the host polls), and
 *     with no interrupts a timer polls the completion rings.
 *
 * Binding validates the header (magic, ABI major, sizes, every ring and data
 * area inside the window and apart from each other) into a private copy that
 * everything later uses; on any mismatch nexus_ion refuses, says why, writes
 * guest_state = ION_GUEST_REFUSED and stays loaded unbound, so that the
 * other bridge modules fail with -ENODEV instead of unresolved symbols.
 */
#define pr_fmt(fmt) "nexus_ion: " fmt

#include <linux/interrupt.h>
#include <linux/io.h>
#include <linux/ioport.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/of.h>
#include <linux/of_address.h>
#include <linux/platform_device.h>
#include <linux/reboot.h>
#include <linux/slab.h>
#include "nexus_ion_priv.h"

#define ION_FEATURES		ION_F_EVENT_IDX	/* what this guest accepts */

enum { ION_STATE_NONE, ION_STATE_BOUND, ION_STATE_REFUSED };

static DEFINE_MUTEX(nexus_ion_lock);
static struct nexus_ion *nexus_ion_bound;	/* under nexus_ion_lock */
static int nexus_ion_state;
static struct platform_device *nexus_ion_pdev;	/* ion_base= mode */

static unsigned long long ion_base;
module_param(ion_base, ullong, 0444);
MODULE_PARM_DESC(ion_base, "Window base when there is no DT node (default: ion_base= from the kernel command line)");

static unsigned int poll_us = 1000;
module_param(poll_us, uint, 0444);
MODULE_PARM_DESC(poll_us, "Completion polling period without interrupts, in microseconds (default 1000, at least 10)");

/*
 * The header's host_request word (ABI 1.1, abi.md "Host requests"), read on
 * every valve interrupt and poll: the host raises a valve's interrupt after
 * writing it. Each request is acted on once; an ABI 1.0 host never writes
 * the word, and unknown values are ignored.
 */
static void ion_host_request(struct nexus_ion *ion)
{
	u32 req;

	if (ion->snap.abi_minor < 1)
		return;
	req = smp_load_acquire(&ion->hdr->host_request);
	if (req != ION_HOST_REQ_POWEROFF ||
	    test_and_set_bit(ION_HOST_REQ_POWEROFF, &ion->host_req_done))
		return;
	pr_info("the host asks for a power-off\n");
	orderly_poweroff(false);	/* from any context: it queues work */
}

static enum hrtimer_restart ion_poll(struct hrtimer *t)
{
	struct nexus_ion *ion = container_of(t, struct nexus_ion, poll_timer);
	unsigned int v, qi;

	ion_host_request(ion);

	for (v = 0; v < ion->snap.nr_valves; v++) {
		struct nexus_ion_valve *valve = &ion->valves[v];

		if (!valve->claimed || valve->irq)
			continue;
		for (qi = 0; qi < valve->desc.nr_queues; qi++) {
			/* An export valve's host-produced ring is its SQ. */
			struct ion_ring *r = valve->desc.type == ION_VALVE_EXPORT ?
					     valve->queues[qi].sq :
					     valve->queues[qi].cq;

			if (READ_ONCE(r->prod) != READ_ONCE(r->cons)) {
				nexus_ion_valve_run_notify(valve);
				break;
			}
		}
	}
	hrtimer_forward_now(t, ion->poll_period);
	return HRTIMER_RESTART;
}

static irqreturn_t ion_irq(int irq, void *data)
{
	struct nexus_ion_valve *valve = data;

	ion_host_request(valve->ion);
	nexus_ion_valve_run_notify(valve);
	return IRQ_HANDLED;
}

static int ion_setup_valves(struct nexus_ion *ion, struct platform_device *pdev)
{
	unsigned int v, qi;
	int irq, ret;

	for (v = 0; v < ion->snap.nr_valves; v++) {
		struct nexus_ion_valve *valve = &ion->valves[v];
		const struct ion_valve *d = &ion->snap.valves[v];

		valve->ion = ion;
		valve->desc = *d;
		valve->live = &ion->hdr->valves[v];
		spin_lock_init(&valve->notify_lock);
		if (!nexus_ion_type_name(d->type))
			continue;
		snprintf(valve->name, sizeof(valve->name), "nexus_ion:%s%u",
			 nexus_ion_type_name(d->type), d->id);
		for (qi = 0; qi < d->nr_queues; qi++) {
			const struct ion_queue *dq = &d->queues[qi];
			struct nexus_ion_queue *q = &valve->queues[qi];

			q->valve = valve;
			q->sq = (void *)ion->hdr + dq->sq_off;
			q->cq = (void *)ion->hdr + dq->cq_off;
			q->sqes = (void *)q->sq + sizeof(struct ion_ring);
			q->cqes = (void *)q->cq + sizeof(struct ion_ring);
			q->entries = dq->entries;
			q->mask = dq->entries - 1;
			q->event_idx = ion->features & ION_F_EVENT_IDX;
			q->doorbell = ion->db ? ion->db + dq->doorbell : NULL;
		}
		if (!ion->nr_irqs) {
			ion->polling = true;
			continue;
		}
		irq = platform_get_irq(pdev, d->irq);
		if (irq < 0)
			return irq;
		ret = devm_request_irq(ion->dev, irq, ion_irq, 0, valve->name,
				       valve);
		if (ret) {
			pr_err("%s: cannot request interrupt %d: %d\n",
			       valve->name, irq, ret);
			return ret;
		}
		valve->irq = irq;
	}
	return 0;
}

/* The DT node: the window, its guard, the doorbells and the interrupts. */
static int ion_parse_dt(struct nexus_ion *ion, struct platform_device *pdev)
{
	struct device_node *np = pdev->dev.of_node, *rnp;
	struct resource *db, rres;
	u32 w[4], abi[2];
	bool have_win;
	int ret;

	if (!of_property_read_u32_array(np, "nipcell,abi", abi, 2) &&
	    abi[0] != ION_ABI_MAJOR)
		return nexus_ion_refuse(ion, "%pOF is ABI %u.%u, this guest speaks %u.%u",
					np, abi[0], abi[1], ION_ABI_MAJOR, ION_ABI_MINOR);
	have_win = !of_property_read_u32_array(np, "nipcell,window", w, 4);
	if (have_win) {
		ion->base = (u64)w[0] << 32 | w[1];
		ion->size = (u64)w[2] << 32 | w[3];
	}
	rnp = of_parse_phandle(np, "memory-region", 0);
	if (rnp) {
		ret = of_address_to_resource(rnp, 0, &rres);
		if (!ret && !of_property_read_bool(rnp, "no-map"))
			pr_warn("%pOF has no no-map: the window is in the linear map\n",
				rnp);
		of_node_put(rnp);
		if (ret)
			return nexus_ion_refuse(ion, "%pOF: memory-region has no reg", np);
		if (!have_win) {
			ion->base = rres.start;
			ion->size = resource_size(&rres);
			have_win = true;
		} else if (rres.start != ion->base ||
			   resource_size(&rres) != ion->size) {
			return nexus_ion_refuse(ion, "%pOF: memory-region %pR is not nipcell,window [0x%llx+0x%llx]",
						np, &rres, ion->base, ion->size);
		}
		ion->guarded = true;
	} else {
		pr_warn("%pOF has no memory-region: no reserved-memory guard for the window\n",
			np);
	}
	if (!have_win)
		return nexus_ion_refuse(ion, "%pOF has neither nipcell,window nor memory-region",
					np);

	db = platform_get_resource(pdev, IORESOURCE_MEM, 0);
	if (db) {
		ion->db = devm_ioremap_resource(&pdev->dev, db);
		if (IS_ERR(ion->db))
			return PTR_ERR(ion->db);
		ion->db_size = resource_size(db);
	}
	ret = platform_irq_count(pdev);
	if (ret < 0)
		return ret;
	ion->nr_irqs = ret;
	return 0;
}

/* ion_base= mode: the doorbells are where the header says, if anywhere. */
static int ion_map_doorbells(struct nexus_ion *ion)
{
	u64 gpa = ion->snap.doorbell_gpa, size = ion->snap.doorbell_size;

	if (!gpa)
		return 0;
	if (!PAGE_ALIGNED(gpa) || size < ION_DOORBELL_STRIDE ||
	    size > ION_DOORBELL_SIZE)
		return nexus_ion_refuse(ion, "doorbell region 0x%llx+0x%llx (want page-aligned, up to 0x%x bytes)",
					gpa, size, ION_DOORBELL_SIZE);
	ion->db = devm_ioremap(ion->dev, gpa, size);
	if (!ion->db)
		return nexus_ion_refuse(ion, "cannot map the doorbell region at 0x%llx", gpa);
	ion->db_size = size;
	return 0;
}

static int ion_check_ram(struct nexus_ion *ion, u64 size)
{
	if (ion->guarded || region_intersects(ion->base, size,
					      IORESOURCE_SYSTEM_RAM,
					      IORES_DESC_NONE) == REGION_DISJOINT)
		return 0;
	return nexus_ion_refuse(ion, "window [0x%llx+0x%llx] is System RAM with no reserved-memory guard",
				ion->base, size);
}

/*
 * Maps the window and takes the copy of its header that nexus_ion_check_header()
 * validates. In ion_base= mode the size is not known yet: a first map of
 * one page reads it.
 */
static int ion_map(struct nexus_ion *ion)
{
	void *h;
	int ret;

	if (!ion->base || !PAGE_ALIGNED(ion->base))
		return nexus_ion_refuse(ion, "window base 0x%llx is zero or not page-aligned",
					ion->base);
	if (!ion->size) {
		ret = ion_check_ram(ion, PAGE_SIZE);
		if (ret)
			return ret;
		h = memremap(ion->base, PAGE_SIZE, MEMREMAP_WB);
		if (!h)
			return nexus_ion_refuse(ion, "cannot map the window header at 0x%llx",
						ion->base);
		memcpy(&ion->snap, h, sizeof(ion->snap));
		ion->hdr = h;	/* for nexus_ion_refuse() */
							ret = nexus_ion_check_ident(ion);
		ion->hdr = NULL;
		memunmap(h);
		if (ret)
			return ret;
		ion->size = ion->snap.window_size;
	}
	ret = ion_check_ram(ion, ion->size);
	if (ret)
		return ret;
	h = devm_memremap(ion->dev, ion->base, ion->size, MEMREMAP_WB);
	if (IS_ERR(h))
		return nexus_ion_refuse(ion, "cannot map the window [0x%llx+0x%llx]",
					ion->base, ion->size);
	ion->hdr = h;
	memcpy(&ion->snap, h, sizeof(ion->snap));
	return nexus_ion_check_ident(ion);
}

static int nexus_ion_probe(struct platform_device *pdev)
{
	struct nexus_ion *ion;
	const u64 *pbase;
	int ret;

	if (nexus_ion_bound)
		return -EBUSY;
	ion = devm_kzalloc(&pdev->dev, sizeof(*ion), GFP_KERNEL);
	if (!ion)
		return -ENOMEM;
	ion->dev = &pdev->dev;
	nexus_ion_state = ION_STATE_REFUSED;

	if (pdev->dev.of_node) {
		ret = ion_parse_dt(ion, pdev);
	} else {
		pbase = dev_get_platdata(&pdev->dev);
		ion->base = pbase ? *pbase : 0;
		ret = 0;
	}
	if (!ret)
		ret = ion_map(ion);
	if (!ret && !ion->db && !pdev->dev.of_node)
		ret = ion_map_doorbells(ion);
	if (!ret)
		ret = nexus_ion_check_header(ion);
	/* Negotiated before the queues are set up: they copy event_idx. */
	if (!ret)
		ion->features = ion->snap.features & ION_FEATURES;
	if (!ret)
		ret = ion_setup_valves(ion, pdev);
	if (ret) {
		if (ion->hdr)
			WRITE_ONCE(ion->hdr->guest_state, ION_GUEST_REFUSED);
		return ret;
	}

	if (ion->snap.host_state != ION_HOST_READY)
		pr_warn("host state %u, not ready: valves may not be serviced\n",
			ion->snap.host_state);
	WRITE_ONCE(ion->hdr->guest_features, ion->features);
	/* The features are visible before the host sees BOUND. */
	smp_wmb();
	WRITE_ONCE(ion->hdr->guest_state, ION_GUEST_BOUND);
	if (ion->polling) {
		ion->poll_period = ns_to_ktime((u64)max(poll_us, 10U) * NSEC_PER_USEC);
		hrtimer_init(&ion->poll_timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL);
		ion->poll_timer.function = ion_poll;
		hrtimer_start(&ion->poll_timer, ion->poll_period, HRTIMER_MODE_REL);
	}
	platform_set_drvdata(pdev, ion);

	mutex_lock(&nexus_ion_lock);
	nexus_ion_bound = ion;
	nexus_ion_state = ION_STATE_BOUND;
	mutex_unlock(&nexus_ion_lock);

	pr_info("ION window 0x%llx size 0x%llx magic 0x%08x abi %u.%u, %u valves%s\n",
		ion->base, ion->size, ion->snap.magic, ion->snap.abi_major,
		ion->snap.abi_minor, ion->snap.nr_valves,
		ion->polling ? " (polled)" : "");
	ion_host_request(ion);	/* one asked before there was a handler */
	return 0;
}

static int nexus_ion_remove(struct platform_device *pdev)
{
	struct nexus_ion *ion = platform_get_drvdata(pdev);

	mutex_lock(&nexus_ion_lock);
	nexus_ion_bound = NULL;
	nexus_ion_state = ION_STATE_NONE;
	mutex_unlock(&nexus_ion_lock);
	if (ion->polling)
		hrtimer_cancel(&ion->poll_timer);
	WRITE_ONCE(ion->hdr->guest_state, ION_GUEST_NONE);
	return 0;
}

/* The valve API (nexus_ion.h). */

void nexus_ion_valve_run_notify(struct nexus_ion_valve *valve)
{
	spin_lock(&valve->notify_lock);
	if (valve->notify)
		valve->notify(valve->notify_data);
	spin_unlock(&valve->notify_lock);
}

int nexus_ion_find_valves(u16 type, u16 *ids, unsigned int max)
{
	struct nexus_ion *ion;
	unsigned int v, n = 0;

	mutex_lock(&nexus_ion_lock);
	ion = nexus_ion_bound;
	for (v = 0; ion && v < ion->snap.nr_valves; v++) {
		if (ion->snap.valves[v].type != type)
			continue;
		if (n < max)
			ids[n] = ion->snap.valves[v].id;
		n++;
	}
	mutex_unlock(&nexus_ion_lock);
	return ion ? min(n, max) : -ENODEV;
}
EXPORT_SYMBOL_GPL(nexus_ion_find_valves);

/**
 * nexus_ion_get_valve - claim a valve
 * @type: ION_VALVE_*
 * @id: its instance number
 *
 * Return: the valve, or ERR_PTR(-ENODEV) when nexus_ion is not bound,
 * -ENOENT when there is no such valve, -EBUSY when it is claimed already.
 */
struct nexus_ion_valve *nexus_ion_get_valve(u16 type, u16 id)
{
	struct nexus_ion_valve *valve = ERR_PTR(-ENODEV);
	struct nexus_ion *ion;
	unsigned int v, qi;

	mutex_lock(&nexus_ion_lock);
	ion = nexus_ion_bound;
	if (ion)
		valve = ERR_PTR(-ENOENT);
	for (v = 0; ion && v < ion->snap.nr_valves; v++) {
		struct nexus_ion_valve *c = &ion->valves[v];

		if (c->desc.type != type || c->desc.id != id ||
		    !nexus_ion_type_name(type))
			continue;
		if (c->claimed) {
			valve = ERR_PTR(-EBUSY);
			break;
		}
		/*
		 * Resume from the window's indices and kick every queue once
		 * (abi.md: on reset or restore), in case a previous load left
		 * entries the host was not told about.
		 */
		for (qi = 0; qi < c->desc.nr_queues; qi++) {
			nexus_ion_queue_init(&c->queues[qi]);
			nexus_ion_sq_notify(&c->queues[qi]);
		}
		c->claimed = true;
		valve = c;
		break;
	}
	mutex_unlock(&nexus_ion_lock);
	return valve;
}
EXPORT_SYMBOL_GPL(nexus_ion_get_valve);

void nexus_ion_put_valve(struct nexus_ion_valve *valve)
{
	nexus_ion_valve_clear_notify(valve);
	mutex_lock(&nexus_ion_lock);
	valve->claimed = false;
	mutex_unlock(&nexus_ion_lock);
}
EXPORT_SYMBOL_GPL(nexus_ion_put_valve);

const struct ion_valve *nexus_ion_valve_desc(const struct nexus_ion_valve *valve)
{
	return &valve->desc;
}
EXPORT_SYMBOL_GPL(nexus_ion_valve_desc);

struct device *nexus_ion_valve_dev(const struct nexus_ion_valve *valve)
{
	return valve->ion->dev;
}
EXPORT_SYMBOL_GPL(nexus_ion_valve_dev);

/* The host marked it broken, or the guest found one of its rings corrupt. */
bool nexus_ion_valve_broken(const struct nexus_ion_valve *valve)
{
	unsigned int qi;

	if (READ_ONCE(valve->live->status) & ION_VALVE_S_BROKEN)
		return true;
	for (qi = 0; qi < valve->desc.nr_queues; qi++)
		if (valve->queues[qi].broken)
			return true;
	return false;
}
EXPORT_SYMBOL_GPL(nexus_ion_valve_broken);

/* The host's ION_ERR_* for a broken valve. */
u32 nexus_ion_valve_error(const struct nexus_ion_valve *valve)
{
	return READ_ONCE(valve->live->error);
}
EXPORT_SYMBOL_GPL(nexus_ion_valve_error);

void *nexus_ion_valve_live_config(const struct nexus_ion_valve *valve)
{
	return &valve->live->config;
}
EXPORT_SYMBOL_GPL(nexus_ion_valve_live_config);

/* [off, off + len) of the valve's data area, or NULL when outside it. */
void *nexus_ion_valve_data(const struct nexus_ion_valve *valve, u64 off, u64 len)
{
	if (!nexus_ion_range_ok(off, len, 0, valve->desc.data_size))
		return NULL;
	return (void *)valve->ion->hdr + valve->desc.data_off + off;
}
EXPORT_SYMBOL_GPL(nexus_ion_valve_data);

void nexus_ion_valve_set_notify(struct nexus_ion_valve *valve,
				void (*notify)(void *data), void *data)
{
	unsigned long flags;

	spin_lock_irqsave(&valve->notify_lock, flags);
	valve->notify_data = data;
	valve->notify = notify;
	spin_unlock_irqrestore(&valve->notify_lock, flags);
}
EXPORT_SYMBOL_GPL(nexus_ion_valve_set_notify);

void nexus_ion_valve_clear_notify(struct nexus_ion_valve *valve)
{
	unsigned long flags;

	spin_lock_irqsave(&valve->notify_lock, flags);
	valve->notify = NULL;
	valve->notify_data = NULL;
	spin_unlock_irqrestore(&valve->notify_lock, flags);
}
EXPORT_SYMBOL_GPL(nexus_ion_valve_clear_notify);

struct nexus_ion_queue *nexus_ion_valve_queue(struct nexus_ion_valve *valve,
					      unsigned int index)
{
	return index < valve->desc.nr_queues ? &valve->queues[index] : NULL;
}
EXPORT_SYMBOL_GPL(nexus_ion_valve_queue);

/* Module parameters that /init reads and writes. */

static int ion_state_get(char *buf, const struct kernel_param *kp)
{
	static const char * const names[] = { "none", "bound", "refused" };

	return sysfs_emit(buf, "%s\n", names[READ_ONCE(nexus_ion_state)]);
}

static const struct kernel_param_ops ion_state_ops = {
	.get = ion_state_get,
};
module_param_cb(state, &ion_state_ops, NULL, 0444);
MODULE_PARM_DESC(state, "none, bound or refused");

/*
 * guest_status through the kernel's cacheable mapping of the window, so that
 * /init need not write it through an uncached /dev/mem alias of the line
 * that also holds guest_state.
 */
static int ion_status_set(const char *val, const struct kernel_param *kp)
{
	u32 status;
	int ret = kstrtou32(val, 0, &status);

	if (ret)
		return ret;
	mutex_lock(&nexus_ion_lock);
	if (nexus_ion_bound)
		WRITE_ONCE(nexus_ion_bound->hdr->guest_status, status);
	else
		ret = -ENODEV;
	mutex_unlock(&nexus_ion_lock);
	return ret;
}

static int ion_status_get(char *buf, const struct kernel_param *kp)
{
	u32 status = 0;

	mutex_lock(&nexus_ion_lock);
	if (nexus_ion_bound)
		status = READ_ONCE(nexus_ion_bound->hdr->guest_status);
	mutex_unlock(&nexus_ion_lock);
	return sysfs_emit(buf, "0x%08x\n", status);
}

static const struct kernel_param_ops ion_status_ops = {
	.set = ion_status_set,
	.get = ion_status_get,
};
module_param_cb(guest_status, &ion_status_ops, NULL, 0644);
MODULE_PARM_DESC(guest_status, "The header's guest_status word (bound only)");

static const struct of_device_id nexus_ion_of_match[] = {
	{ .compatible = "nipcell,ion" },
	{ }
};
MODULE_DEVICE_TABLE(of, nexus_ion_of_match);

static struct platform_driver nexus_ion_driver = {
	.probe = nexus_ion_probe,
	.remove = nexus_ion_remove,
	.driver = {
		.name = "nexus_ion",
		.of_match_table = nexus_ion_of_match,
		.suppress_bind_attrs = true,
	},
};

/* ion_base=<addr> in /chosen bootargs. */
static int ion_cmdline_base(u64 *base)
{
	struct device_node *np;
	const char *args, *p;
	char tok[24];
	size_t n;
	int ret = -ENOENT;

	if (ion_base) {
		*base = ion_base;
		return 0;
	}
	np = of_find_node_by_path("/chosen");
	if (!np)
		return -ENOENT;
	if (of_property_read_string(np, "bootargs", &args))
		goto out;
	for (p = args; (p = strstr(p, "ion_base=")); p++) {
		if (p != args && p[-1] != ' ')
			continue;
		p += strlen("ion_base=");
		n = strcspn(p, " ");
		if (n >= sizeof(tok))
			break;
		memcpy(tok, p, n);
		tok[n] = '\0';
		ret = kstrtou64(tok, 0, base);
		if (ret)
			pr_err("ion_base=%s on the command line is not a number\n", tok);
		break;
	}
out:
	of_node_put(np);
	return ret;
}

static int __init nexus_ion_init(void)
{
	struct device_node *np;
	u64 base;
	int ret;

	ret = platform_driver_register(&nexus_ion_driver);
	if (ret)
		return ret;

	/* A DT node was probed just now, by platform_driver_register(). */
	np = of_find_compatible_node(NULL, NULL, "nipcell,ion");
	if (np) {
		if (!nexus_ion_bound && nexus_ion_state == ION_STATE_NONE)
			pr_err("%pOF was not probed (disabled?): not bound\n", np);
		of_node_put(np);
		return 0;
	}
	if (ion_cmdline_base(&base)) {
		pr_err("no nipcell,ion device tree node and no ion_base= on the command line: not bound\n");
		return 0;
	}
	nexus_ion_pdev = platform_device_register_data(NULL, "nexus_ion",
						       PLATFORM_DEVID_NONE,
						       &base, sizeof(base));
	if (IS_ERR(nexus_ion_pdev)) {
		pr_err("cannot register the ion_base device: %ld\n",
		       PTR_ERR(nexus_ion_pdev));
		nexus_ion_pdev = NULL;
	}
	return 0;
}

static void __exit nexus_ion_exit(void)
{
	platform_device_unregister(nexus_ion_pdev);
	platform_driver_unregister(&nexus_ion_driver);
}

module_init(nexus_ion_init);
module_exit(nexus_ion_exit);

MODULE_DESCRIPTION("NipCell ION window and ring API for the Nexus bridge modules");
MODULE_LICENSE("GPL");
