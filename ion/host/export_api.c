// SPDX-License-Identifier: GPL-2.0
/*
 * The VMM's side of the export valves (<nipcell/ion_host.h>): attaching a
 * ublk queue, the guest's device report, the shutdown before the ublk
 * devices stop. The valve itself is export.c.
 */
#include <stdio.h>
#include <unistd.h>

#include "export.h"

static struct ion_hvalve *export_valve(struct ion_host *h, unsigned v)
{
	if (v >= h->nr_valves || h->valves[v]->desc.type != ION_VALVE_EXPORT)
		return NULL;
	return h->valves[v];
}

int ion_host_export_valve(struct ion_host *h, unsigned id)
{
	for (unsigned i = 0; i < h->nr_valves; i++)
		if (h->valves[i]->desc.type == ION_VALVE_EXPORT &&
		    h->valves[i]->desc.id == id)
			return (int)i;
	return -ENOENT;
}

int ion_host_export_attach(struct ion_host *h, unsigned v, int cdev_fd,
			   const void *iod, int dev_id)
{
	struct ion_hvalve *hv = export_valve(h, v);

	if (!hv || cdev_fd < 0 || !iod)
		return -EINVAL;
	if (h->running || hv->exp->cdev_fd >= 0)
		return -EBUSY;
	hv->exp->cdev_fd = cdev_fd;
	hv->exp->iod = iod;
	hv->exp->dev_id = dev_id;
	return 0;
}

uint32_t ion_host_export_depth(struct ion_host *h, unsigned v)
{
	struct ion_hvalve *hv = export_valve(h, v);

	return hv ? hv->q[0].entries : 0;
}

uint32_t ion_host_export_slot_size(struct ion_host *h, unsigned v)
{
	struct ion_hvalve *hv = export_valve(h, v);

	return hv ? hv->desc.config.export.slot_size : 0;
}

int ion_host_export_event_fd(struct ion_host *h, unsigned v)
{
	struct ion_hvalve *hv = export_valve(h, v);

	return hv ? hv->exp->event_fd : -EINVAL;
}

int ion_host_export_geometry(struct ion_host *h, unsigned v,
			     struct ion_export_geometry *g)
{
	struct ion_hvalve *hv = export_valve(h, v);
	int rc;

	if (!hv)
		return -EINVAL;
	pthread_mutex_lock(&hv->lock);
	rc = hv->exp->report;
	if (__atomic_load_n(&hv->broken, __ATOMIC_ACQUIRE))
		rc = -EIO;
	if (rc == 1) {
		*g = hv->exp->geo;
		hv->exp->started = true;
		rc = 0;
	} else if (!rc) {
		rc = -EAGAIN;
	}
	pthread_mutex_unlock(&hv->lock);
	return rc;
}

void ion_host_export_shutdown(struct ion_host *h)
{
	uint64_t one = 1;

	for (unsigned i = 0; i < h->nr_valves; i++)
		if (h->valves[i]->exp)
			__atomic_store_n(&h->valves[i]->exp->dead, 1, __ATOMIC_RELEASE);
	/* Wakes the service thread: its next pass fails what is held. */
	if (h->ctl_fd >= 0 && write(h->ctl_fd, &one, sizeof(one)) != sizeof(one))
		return;
}

void ion_host_export_set_ready(struct ion_host *h, unsigned v, bool ready)
{
	struct ion_hvalve *hv = export_valve(h, v);

	if (!hv)
		return;
	pthread_mutex_lock(&hv->lock);
	hv->exp->ready = ready;
	pthread_mutex_unlock(&hv->lock);
}

int ion_host_export_line(struct ion_host *h, unsigned v, char *buf, size_t len)
{
	struct ion_hvalve *hv = export_valve(h, v);
	int dev_id;
	bool ready;
	uint64_t sectors;

	if (!hv)
		return -EINVAL;
	pthread_mutex_lock(&hv->lock);
	dev_id = hv->exp->dev_id;
	ready = hv->exp->ready;
	sectors = hv->exp->started ? hv->exp->geo.capacity : 0;
	pthread_mutex_unlock(&hv->lock);
	if (dev_id < 0)
		snprintf(buf, len, "export %u none ready=0 sectors=0 guest=%s", hv->desc.id,
			 hv->desc.config.export.guest_device);
	else
		snprintf(buf, len, "export %u /dev/ublkb%d ready=%d sectors=%llu guest=%s",
			 hv->desc.id, dev_id, ready, (unsigned long long)sectors,
			 hv->desc.config.export.guest_device);
	return 0;
}
