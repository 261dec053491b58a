// SPDX-License-Identifier: GPL-2.0
/*
 * ion_host life cycle: checking the spec, opening the backends, creating
 * the memfd window, and the accessors the VMM binds to KVM.
 */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <unistd.h>

#include "host.h"

#define ION_GUARD	4096

/* Both buckets of a budget; prefix names the valve ("blk[0]", "net"). */
static int check_budget(const struct ion_budget *b, const char *prefix,
			char *err, size_t errlen)
{
	char what[32];
	int rc;

	snprintf(what, sizeof(what), "%s bandwidth", prefix);
	rc = ion_bucket_cfg_check(&b->bw, what, err, errlen);
	if (rc)
		return rc;
	snprintf(what, sizeof(what), "%s ops", prefix);
	return ion_bucket_cfg_check(&b->ops, what, err, errlen);
}

static int check_spec(const struct ion_host_spec *s, char *err, size_t errlen)
{
	char name[16];
	int rc;

	unsigned long long size = s->size;

	if (s->size < ION_MIN_SIZE || s->size > ION_MAX_SIZE)
		return nc_errf(-EINVAL, err, errlen,
				"ion window size 0x%llx outside 0x%llx..0x%llx",
				size, ION_MIN_SIZE, ION_MAX_SIZE);
	if (s->size % ION_ALIGN)
		return nc_errf(-EINVAL, err, errlen,
				"ion window size 0x%llx is not a multiple of 4096",
				size);
	if (s->nr_blk > ION_HOST_MAX_BLK)
		return nc_errf(-EINVAL, err, errlen, "nr_blk %u > %d",
				s->nr_blk, ION_HOST_MAX_BLK);
	for (unsigned i = 0; i < s->nr_blk; i++) {
		if (s->blk[i].null) {
			if (!s->blk[i].null_size || s->blk[i].null_size % 4096)
				return nc_errf(-EINVAL, err, errlen,
						"blk[%u] null_size %llu is not a positive multiple of 4096",
						i, (unsigned long long)s->blk[i].null_size);
		} else if (!s->blk[i].path || !*s->blk[i].path) {
			return nc_errf(-EINVAL, err, errlen, "blk[%u]: no path", i);
		}
		snprintf(name, sizeof(name), "blk[%u]", i);
		rc = check_budget(&s->blk[i].budget, name, err, errlen);
		if (rc)
			return rc;
	}
	if (s->nr_export > ION_HOST_MAX_EXPORT)
		return nc_errf(-EINVAL, err, errlen, "nr_export %u > %d",
				s->nr_export, ION_HOST_MAX_EXPORT);
	for (unsigned i = 0; i < s->nr_export; i++) {
		const char *d = s->export[i].guest_device;

		if (!d || !*d || strlen(d) >= ION_EXPORT_DEVICE_MAX)
			return nc_errf(-EINVAL, err, errlen,
					"export[%u] guest_device: 1 to %d bytes",
					i, ION_EXPORT_DEVICE_MAX - 1);
	}
	if (s->net) {
		unsigned mtu = s->net_cfg.mtu;

		if (mtu && (mtu < ION_HOST_NET_MIN_MTU || mtu > ION_HOST_NET_MAX_MTU))
			return nc_errf(-EINVAL, err, errlen,
					"net mtu %u outside %u..%u", mtu,
					ION_HOST_NET_MIN_MTU, ION_HOST_NET_MAX_MTU);
		if (s->net_cfg.tap && strlen(s->net_cfg.tap) >= 16)
			return nc_errf(-EINVAL, err, errlen,
					"net tap \"%s\": name longer than 15 bytes",
					s->net_cfg.tap);
		if (s->net_cfg.mac[0] & 1)
			return nc_errf(-EINVAL, err, errlen,
					"net mac %02x:%02x:%02x:%02x:%02x:%02x is a multicast address",
					s->net_cfg.mac[0], s->net_cfg.mac[1],
					s->net_cfg.mac[2], s->net_cfg.mac[3],
					s->net_cfg.mac[4], s->net_cfg.mac[5]);
		rc = check_budget(&s->net_cfg.budget, "net", err, errlen);
		if (rc)
			return rc;
	}
	return 0;
}

/* A valve laid out as d (from ion_plan()), its backend not open yet. */
static struct ion_hvalve *valve_new(struct ion_host *h, const struct ion_valve *d)
{
	struct ion_hvalve *v = calloc(1, sizeof(*v));

	if (!v)
		return NULL;
	v->h = h;
	v->idx = h->nr_valves;
	v->desc = *d;
	v->type = ion_valve_type_find(d->type);
	v->ops = v->type->ops;
	v->fd = -1;
	v->irq_fd = -1;
	for (unsigned q = 0; q < ION_MAX_QUEUES; q++) {
		v->q[q].v = v;
		v->q[q].q = q;
		v->q[q].doorbell_fd = -1;
	}
	pthread_mutex_init(&v->lock, NULL);
	pthread_mutex_init(&v->budget.lock, NULL);
	h->valves[h->nr_valves++] = v;
	return v;
}

/* Private copies of the caller's strings. */
static int copy_spec(struct ion_host *h, const struct ion_host_spec *spec)
{
	h->spec = *spec;
	for (unsigned i = 0; i < spec->nr_blk && i < ION_HOST_MAX_BLK; i++) {
		if (!spec->blk[i].path)
			continue;
		h->paths[i] = strdup(spec->blk[i].path);
		if (!h->paths[i])
			return -ENOMEM;
		h->spec.blk[i].path = h->paths[i];
	}
	for (unsigned i = 0; i < spec->nr_export && i < ION_HOST_MAX_EXPORT; i++) {
		h->export_dev[i] = strdup(spec->export[i].guest_device);
		if (!h->export_dev[i])
			return -ENOMEM;
		h->spec.export[i].guest_device = h->export_dev[i];
	}
	if (spec->net_cfg.tap) {
		h->paths[ION_HOST_MAX_BLK] = strdup(spec->net_cfg.tap);
		if (!h->paths[ION_HOST_MAX_BLK])
			return -ENOMEM;
		h->spec.net_cfg.tap = h->paths[ION_HOST_MAX_BLK];
	}
	return 0;
}

/* One valve per planned descriptor, each opened by its type. */
static int open_valves(struct ion_host *h, const struct ion_valve *d,
		       unsigned nr, char *err, size_t errlen)
{
	for (unsigned i = 0; i < nr; i++) {
		struct ion_hvalve *v = valve_new(h, &d[i]);
		int rc;

		if (!v)
			return -ENOMEM;
		rc = v->type->open(v, err, errlen);
		if (rc)
			return rc;
		ion_budget_init(v, v->type->budget ?
				v->type->budget(&h->spec, v->desc.id) : NULL);
	}
	return 0;
}

/*
 * A sealed memfd: another process may map it, nobody may resize it. The
 * mapping sits between two PROT_NONE guard pages, so a host access that
 * strayed past either end would fault rather than touch other memory.
 */
static int create_window(struct ion_host *h, char *err, size_t errlen)
{
	void *base;

	h->memfd = memfd_create("nipcell-ion", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (h->memfd < 0)
		return nc_errf(-errno, err, errlen, "ion window memfd: %s",
				strerror(errno));
	if (ftruncate(h->memfd, h->size) < 0 ||
	    fcntl(h->memfd, F_ADD_SEALS,
		  F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL) < 0)
		return nc_errf(-errno, err, errlen, "ion window memfd size 0x%llx: %s",
				(unsigned long long)h->size, strerror(errno));
	base = mmap(NULL, h->size + 2 * ION_GUARD, PROT_NONE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (base == MAP_FAILED)
		return nc_errf(-errno, err, errlen, "ion window mmap: %s",
				strerror(errno));
	h->win = mmap((char *)base + ION_GUARD, h->size, PROT_READ | PROT_WRITE,
		      MAP_SHARED | MAP_FIXED, h->memfd, 0);
	if (h->win == MAP_FAILED) {
		munmap(base, h->size + 2 * ION_GUARD);
		h->win = NULL;
		return nc_errf(-errno, err, errlen, "ion window mmap: %s",
				strerror(errno));
	}
	return 0;
}

static int create_queues(struct ion_host *h, char *err, size_t errlen)
{
	for (unsigned i = 0; i < h->nr_valves; i++) {
		struct ion_hvalve *v = h->valves[i];

		v->irq_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
		if (v->irq_fd < 0)
			return nc_errf(-errno, err, errlen, "valve %u irq eventfd: %s",
					i, strerror(errno));
		for (unsigned q = 0; q < v->desc.nr_queues; q++) {
			/* Blocking: io_uring returns -EAGAIN on O_NONBLOCK fds. */
			v->q[q].doorbell_fd = eventfd(0, EFD_CLOEXEC);
			if (v->q[q].doorbell_fd < 0)
				return nc_errf(-errno, err, errlen,
						"valve %u queue %u doorbell eventfd: %s",
						i, q, strerror(errno));
			if (ion_queue_alloc(&v->q[q]))
				return nc_errf(-ENOMEM, err, errlen,
						"valve %u queue %u: out of memory", i, q);
		}
	}
	h->ctl_fd = eventfd(0, EFD_CLOEXEC);
	if (h->ctl_fd < 0)
		return nc_errf(-errno, err, errlen, "ion control eventfd: %s",
				strerror(errno));
	h->fail_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (h->fail_fd < 0)
		return nc_errf(-errno, err, errlen, "ion failure eventfd: %s",
				strerror(errno));
	h->reset_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (h->reset_fd < 0)
		return nc_errf(-errno, err, errlen, "ion reset eventfd: %s",
				strerror(errno));
	return 0;
}

/* The spec's fields, then the layout: ion_host_check() and ion_host_create(). */
static int plan(const struct ion_host_spec *spec, struct ion_valve *d,
		unsigned *nr, char *err, size_t errlen)
{
	int rc;

	if (err && errlen)
		*err = 0;
	rc = check_spec(spec, err, errlen);
	return rc ? rc : ion_plan(spec, d, nr, err, errlen);
}

int ion_host_check(const struct ion_host_spec *spec, char *err, size_t errlen)
{
	struct ion_valve d[ION_MAX_VALVES];
	unsigned nr;

	return plan(spec, d, &nr, err, errlen);
}

int ion_host_create(struct ion_host **out, const struct ion_host_spec *spec,
		    char *err, size_t errlen)
{
	struct ion_valve d[ION_MAX_VALVES];
	struct ion_host *h;
	unsigned nr;
	int rc;

	*out = NULL;
	rc = plan(spec, d, &nr, err, errlen);
	if (rc)
		return rc;
	h = calloc(1, sizeof(*h));
	if (!h)
		return nc_errf(-ENOMEM, err, errlen, "ion host: out of memory");
	h->memfd = -1;
	h->ctl_fd = -1;
	h->fail_fd = -1;
	h->reset_fd = -1;
	h->size = spec->size;
	rc = copy_spec(h, spec);
	if (rc) {
		nc_errf(rc, err, errlen, "ion host: out of memory");
		goto fail;
	}
	rc = open_valves(h, d, nr, err, errlen);
	if (!rc)
		rc = create_window(h, err, errlen);
	if (rc)
		goto fail;
	ion_seed(h);
	rc = create_queues(h, err, errlen);
	if (!rc)
		rc = ion_ring_setup(h, err, errlen);
	if (rc)
		goto fail;
	*out = h;
	return 0;
fail:
	if (rc == -ENOMEM && err && errlen && !*err)
		nc_errf(rc, err, errlen, "ion host: out of memory");
	ion_host_destroy(h);
	return rc;
}

void ion_host_destroy(struct ion_host *h)
{
	if (!h)
		return;
	if (h->running)
		ion_host_stop(h);
	for (unsigned i = 0; i < h->nr_valves; i++)
		if (h->valves[i]->ops->release)
			h->valves[i]->ops->release(h->valves[i]);
	if (h->ring_ok)
		io_uring_queue_exit(&h->ring);
	for (unsigned i = 0; i < h->nr_valves; i++) {
		struct ion_hvalve *v = h->valves[i];

		for (unsigned q = 0; q < ION_MAX_QUEUES; q++) {
			if (v->q[q].doorbell_fd >= 0)
				close(v->q[q].doorbell_fd);
			ion_queue_free(&v->q[q]);
		}
		if (v->irq_fd >= 0)
			close(v->irq_fd);
		if (v->fd >= 0)
			close(v->fd);
		pthread_mutex_destroy(&v->lock);
		pthread_mutex_destroy(&v->budget.lock);
		free(v);
	}
	if (h->ctl_fd >= 0)
		close(h->ctl_fd);
	if (h->fail_fd >= 0)
		close(h->fail_fd);
	if (h->reset_fd >= 0)
		close(h->reset_fd);
	if (h->win)
		munmap((char *)h->win - ION_GUARD, h->size + 2 * ION_GUARD);
	if (h->memfd >= 0)
		close(h->memfd);
	for (unsigned i = 0; i <= ION_HOST_MAX_BLK; i++)
		free(h->paths[i]);
	for (unsigned i = 0; i < ION_HOST_MAX_EXPORT; i++)
		free(h->export_dev[i]);
	free(h);
}

void *ion_host_window(struct ion_host *h)
{
	return h->win;
}

uint64_t ion_host_window_size(struct ion_host *h)
{
	return h->size;
}

int ion_host_memfd(struct ion_host *h)
{
	return h->memfd;
}

unsigned ion_host_nr_valves(struct ion_host *h)
{
	return h->nr_valves;
}

const struct ion_valve *ion_host_valve(struct ion_host *h, unsigned v)
{
	return v < h->nr_valves ? &h->valves[v]->desc : NULL;
}

const char *ion_host_tap_name(struct ion_host *h)
{
	for (unsigned i = 0; i < h->nr_valves; i++)
		if (h->valves[i]->desc.type == ION_VALVE_NET)
			return h->valves[i]->tap[0] ? h->valves[i]->tap : NULL;
	return NULL;
}

int ion_host_doorbell_fd(struct ion_host *h, unsigned v, unsigned q)
{
	if (v >= h->nr_valves || q >= h->valves[v]->desc.nr_queues)
		return -EINVAL;
	return h->valves[v]->q[q].doorbell_fd;
}

int ion_host_fail_fd(struct ion_host *h)
{
	return h->fail_fd;
}

int ion_host_thread_error(struct ion_host *h)
{
	return __atomic_load_n(&h->thread_err, __ATOMIC_ACQUIRE);
}

int ion_host_irq_fd(struct ion_host *h, unsigned v)
{
	if (v >= h->nr_valves)
		return -EINVAL;
	return h->valves[v]->irq_fd;
}

int ion_host_stats(struct ion_host *h, unsigned v, struct ion_valve_stats *st)
{
	const struct ion_valve_stats *s;
	struct ion_hvalve *hv;

	if (v >= h->nr_valves)
		return -EINVAL;
	hv = h->valves[v];
	s = &hv->st;
	/* The host's own record; the window's status word is the guest's too. */
	st->broken = __atomic_load_n(&hv->broken, __ATOMIC_ACQUIRE);
	st->error = st->broken ? __atomic_load_n(&hv->error, __ATOMIC_RELAXED) : 0;
	st->requests = __atomic_load_n(&s->requests, __ATOMIC_RELAXED);
	st->bytes = __atomic_load_n(&s->bytes, __ATOMIC_RELAXED);
	st->doorbells = __atomic_load_n(&s->doorbells, __ATOMIC_RELAXED);
	st->interrupts = __atomic_load_n(&s->interrupts, __ATOMIC_RELAXED);
	st->errors = __atomic_load_n(&s->errors, __ATOMIC_RELAXED);
	st->throttled = __atomic_load_n(&s->throttled, __ATOMIC_RELAXED);
	st->throttled_ns = __atomic_load_n(&s->throttled_ns, __ATOMIC_RELAXED);
	return 0;
}

int ion_host_request(struct ion_host *h, uint32_t req)
{
	struct ion_header *hdr = h->win;
	uint64_t one = 1;
	unsigned v;

	__atomic_store_n(&hdr->host_request, req, __ATOMIC_RELEASE);
	if (!h->nr_valves)
		return -ENODEV;
	/* One interrupt is enough: the guest reads the word on any valve's. */
	for (v = 0; v < h->nr_valves - 1; v++)
		if (!__atomic_load_n(&h->valves[v]->broken, __ATOMIC_ACQUIRE))
			break;
	if (write(h->valves[v]->irq_fd, &one, sizeof(one)) != sizeof(one))
		return -errno;
	return 0;
}
