// SPDX-License-Identifier: GPL-2.0
/*
 * Input valve: host-to-guest events shaped like struct input_event, carried
 * in queue 0's completion ring. Any VMM thread injects them, under the
 * valve's lock (the service thread takes it too). The guest's SQ carries
 * only ION_OP_INPUT_STATUS entries (LED/sound state), which are counted and
 * get no completion.
 */
#include <linux/input.h>
#include <string.h>
#include <time.h>

#include "host.h"

#define ION_INPUT_VENDOR	0x4e43		/* "NC" */
#define ION_INPUT_PRODUCT	0x0001
#define ION_INPUT_VERSION	0x0001
#define ION_INPUT_NAME		"NipCell input"

static void set_bit(uint64_t *map, unsigned bit)
{
	map[bit / 64] |= 1ULL << (bit % 64);
}

static bool test_bit(const uint64_t *map, unsigned bit)
{
	return map[bit / 64] >> (bit % 64) & 1;
}

/* A keyboard with every key up to KEY_MICMUTE plus a three-button wheel mouse. */
static void input_config(struct ion_input_config *c)
{
	memset(c, 0, sizeof(*c));
	c->bustype = BUS_VIRTUAL;
	c->vendor = ION_INPUT_VENDOR;
	c->product = ION_INPUT_PRODUCT;
	c->version = ION_INPUT_VERSION;
	c->evbit = 1ULL << EV_SYN | 1ULL << EV_KEY | 1ULL << EV_REL;
	c->relbit = 1ULL << REL_X | 1ULL << REL_Y | 1ULL << REL_WHEEL;
	for (unsigned k = KEY_ESC; k <= KEY_MICMUTE; k++)
		set_bit((uint64_t *)c->keybit, k);
	set_bit((uint64_t *)c->keybit, BTN_LEFT);
	set_bit((uint64_t *)c->keybit, BTN_RIGHT);
	set_bit((uint64_t *)c->keybit, BTN_MIDDLE);
	_Static_assert(sizeof(ION_INPUT_NAME) <= sizeof(c->name), "input name");
	memcpy(c->name, ION_INPUT_NAME, sizeof(ION_INPUT_NAME));
}

/* The event is one the valve's capabilities announce. */
static bool input_capable(const struct ion_input_config *c, uint16_t type,
			  uint16_t code)
{
	if (type >= 64 || !(c->evbit >> type & 1))
		return false;
	switch (type) {
	case EV_SYN:
		return code == SYN_REPORT;
	case EV_KEY:
		return code < ION_INPUT_KEY_WORDS * 64 &&
		       test_bit((const uint64_t *)c->keybit, code);
	case EV_REL:
		return code < 64 && (c->relbit >> code & 1);
	default:
		return false;
	}
}

int ion_host_input_inject(struct ion_host *h, uint16_t type, uint16_t code,
			  int32_t value)
{
	struct ion_hvalve *v = h->input;
	struct ion_input_event *ev;
	struct timespec ts;
	struct ion_hq *q;
	int rc = 0;

	if (!v)
		return -ENODEV;
	if (!input_capable(&v->desc.config.input, type, code))
		return -EINVAL;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	q = &v->q[0];
	pthread_mutex_lock(&v->lock);
	if (v->broken || !ion_valve_layout_ok(v) || !ion_queue_cq_refresh(q)) {
		rc = -EIO;
		goto out;
	}
	if (q->cq_prod - q->cq_cons >= q->entries) {
		rc = -ENOSPC;
		goto out;
	}
	_Static_assert(sizeof(*ev) == sizeof(struct ion_cqe), "input event size");
	ev = (struct ion_input_event *)&q->cqes[q->cq_prod & (q->entries - 1)];
	ev->time_ns = (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
	ev->type = type;
	ev->code = code;
	ev->value = value;
	q->cq_prod++;
	__atomic_store_n(&q->cq->prod, q->cq_prod, __ATOMIC_RELEASE);
	ion_stat_add(&v->st.requests, 1);
	ion_stat_add(&v->st.bytes, sizeof(*ev));
	v->posted = true;
	ion_valve_notify(v);
out:
	pthread_mutex_unlock(&v->lock);
	return rc;
}

static void input_submit(struct ion_hq *q, uint32_t tag)
{
	if (q->reqs[tag].sqe.opcode != ION_OP_INPUT_STATUS)
		ion_stat_add(&q->v->st.errors, 1);
	ion_queue_release(q, tag);
}

static void input_complete(struct ion_hq *q, uint32_t tag, int res)
{
	(void)q;
	(void)tag;
	(void)res;
}

static const struct ion_valve_ops input_ops = {
	.submit = input_submit,
	.complete = input_complete,
	.no_completions = true,
};

static unsigned input_count(const struct ion_host_spec *s)
{
	return s->input ? 1 : 0;
}

static uint64_t input_data_size(const struct ion_host_spec *s, unsigned id)
{
	(void)s;
	(void)id;
	return 0;
}

static int input_open(struct ion_hvalve *v, char *err, size_t errlen)
{
	(void)err;
	(void)errlen;
	input_config(&v->desc.config.input);
	v->h->input = v;
	return 0;
}

const struct ion_valve_type ion_input_type = {
	.type = ION_VALVE_INPUT,
	.name = ION_VALVE_INPUT_NAME,
	.nr_queues = ION_INPUT_QUEUES,
	.entries = ION_INPUT_ENTRIES,
	.count = input_count,
	.data_size = input_data_size,
	.open = input_open,
	.ops = &input_ops,
};
