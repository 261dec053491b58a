// SPDX-License-Identifier: GPL-2.0
/*
 * nexus_input: an input device for each input valve of the ION window.
 *
 * The host produces struct ion_input_event entries into the completion ring
 * of the valve's queue 0; each becomes one input_event(), EV_SYN included,
 * so the host's SYN_REPORTs delimit the packets. The name, ids and the
 * EV/KEY/REL capability bitmaps come from the valve's config.
 */
#define pr_fmt(fmt) "nexus_input: " fmt

#include <linux/bitmap.h>
#include <linux/ctype.h>
#include <linux/input.h>
#include <linux/module.h>
#include <linux/slab.h>
#include "nexus_ion.h"

#define NXINPUT_MAX_DEVS	ION_MAX_VALVES
/* The event types the config describes; the others have no code bitmaps. */
#define NXINPUT_EV_MASK		(BIT(EV_SYN) | BIT(EV_KEY) | BIT(EV_REL) | BIT(EV_REP))

struct nxinput {
	struct input_dev *idev;
	struct nexus_ion_valve *valve;
	struct nexus_ion_queue *q;
	spinlock_t lock;		/* the completion ring */
	char name[sizeof_field(struct ion_input_config, name) + 1];
	char phys[32];
};

static struct nxinput *nxinput_devs[NXINPUT_MAX_DEVS];
static unsigned int nxinput_nr_devs;

/* The valve's notify callback: hard-IRQ context, or the caller's. */
static void nxinput_notify(void *data)
{
	struct nxinput *ni = data;
	struct ion_input_event ev;
	unsigned long flags;

	spin_lock_irqsave(&ni->lock, flags);
	do {
		nexus_ion_cq_disable(ni->q);
		/* input_event() drops types and codes the device lacks. */
		while (nexus_ion_cq_pop(ni->q, &ev))
			input_event(ni->idev, ev.type, ev.code, ev.value);
	} while (!nexus_ion_cq_enable(ni->q));
	spin_unlock_irqrestore(&ni->lock, flags);
}

static void nxinput_set_caps(struct input_dev *idev,
			     const struct ion_input_config *c)
{
	u64 evbit = (c->evbit | BIT(EV_SYN)) & NXINPUT_EV_MASK;

	idev->id.bustype = c->bustype ? c->bustype : BUS_VIRTUAL;
	idev->id.vendor = c->vendor;
	idev->id.product = c->product;
	idev->id.version = c->version;
	bitmap_from_arr64(idev->evbit, &evbit, EV_CNT);
	bitmap_from_arr64(idev->relbit, &c->relbit, REL_CNT);
	bitmap_from_arr64(idev->keybit, c->keybit, KEY_CNT);
}

/* config.name need not be NUL-terminated, nor printable. */
static void nxinput_set_name(struct nxinput *ni, const struct ion_valve *d)
{
	const char *src = d->config.input.name;
	size_t i;

	for (i = 0; i < sizeof(ni->name) - 1 && src[i]; i++)
		ni->name[i] = isprint(src[i]) ? src[i] : '?';
	ni->name[i] = '\0';
	if (!i)
		snprintf(ni->name, sizeof(ni->name), "nexus input %u", d->id);
	snprintf(ni->phys, sizeof(ni->phys), "nexus_ion/input%u", d->id);
}

static void nxinput_free(struct nxinput *ni)
{
	nexus_ion_put_valve(ni->valve);
	kfree(ni);
}

static int nxinput_add(u16 id)
{
	const struct ion_valve *d;
	struct input_dev *idev;
	struct nxinput *ni;
	int ret;

	ni = kzalloc(sizeof(*ni), GFP_KERNEL);
	if (!ni)
		return -ENOMEM;
	spin_lock_init(&ni->lock);
	ni->valve = nexus_ion_get_valve(ION_VALVE_INPUT, id);
	if (IS_ERR(ni->valve)) {
		ret = PTR_ERR(ni->valve);
		kfree(ni);
		return ret;
	}
	d = nexus_ion_valve_desc(ni->valve);
	ni->q = nexus_ion_valve_queue(ni->valve, 0);
	nxinput_set_name(ni, d);

	idev = input_allocate_device();
	if (!idev) {
		ret = -ENOMEM;
		goto err_free;
	}
	ni->idev = idev;
	idev->name = ni->name;
	idev->phys = ni->phys;
	idev->dev.parent = nexus_ion_valve_dev(ni->valve);
	nxinput_set_caps(idev, &d->config.input);
	input_set_drvdata(idev, ni);

	ret = input_register_device(idev);
	if (ret) {
		input_free_device(idev);
		goto err_free;
	}
	nexus_ion_valve_set_notify(ni->valve, nxinput_notify, ni);
	/* Takes what is pending and arms the completion event. */
	nxinput_notify(ni);
	pr_info("input bridge ready (%s, %s)\n", dev_name(&idev->dev), ni->name);
	nxinput_devs[nxinput_nr_devs++] = ni;
	return 0;

err_free:
	nxinput_free(ni);
	return ret;
}

static void nxinput_remove(struct nxinput *ni)
{
	nexus_ion_valve_clear_notify(ni->valve);
	input_unregister_device(ni->idev);
	nxinput_free(ni);
}

static int __init nxinput_init(void)
{
	u16 ids[NXINPUT_MAX_DEVS];
	int i, n, ret;

	n = nexus_ion_find_valves(ION_VALVE_INPUT, ids, ARRAY_SIZE(ids));
	if (n < 0) {
		pr_err("nexus_ion is not bound to an ION window: no input bridge\n");
		return -ENODEV;
	}
	if (!n) {
		pr_err("the ION window has no input valve\n");
		return -ENODEV;
	}
	for (i = 0; i < n; i++) {
		ret = nxinput_add(ids[i]);
		if (ret)
			pr_err("input%u: no device: %d\n", ids[i], ret);
	}
	return nxinput_nr_devs ? 0 : -ENODEV;
}

static void __exit nxinput_exit(void)
{
	while (nxinput_nr_devs)
		nxinput_remove(nxinput_devs[--nxinput_nr_devs]);
}

module_init(nxinput_init);
module_exit(nxinput_exit);

MODULE_DESCRIPTION("NipCell input bridge: input devices on ION input valves");
MODULE_LICENSE("GPL");
