/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The host half of the ION window: the window itself (a memfd the VMM maps
 * into the guest), the valves behind it and the one service thread that runs
 * them on io_uring. The guest half speaks only <nipcell/ion.h>.
 *
 * Life cycle: ion_host_create() -> bind the fds to KVM (ion_host_memfd(),
 * ion_host_doorbell_fd(), ion_host_irq_fd()) -> ion_host_start() -> guest
 * runs, the VMM watching ion_host_fail_fd() -> ion_host_stop() ->
 * ion_host_destroy(). After ion_host_stop() and ion_host_reset() (a guest
 * reboot) ion_host_start() may run again. `check` runs only
 * ion_host_check(). Tests and the fuzz target may drive the host without
 * the thread through ion_host_poll().
 *
 * Every function returns 0 or a negative errno; ion_host_check() and
 * ion_host_create() also write a message naming the offending field or
 * file into err.
 */
#ifndef NIPCELL_ION_HOST_H
#define NIPCELL_ION_HOST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <nipcell/ion.h>

#define ION_HOST_MAX_BLK	4
#define ION_HOST_MAX_EXPORT	2	/* export valves (ABI 1.1) */

/*
 * The net valve's frame buffers and the MTU range they allow: a frame is
 * the MTU plus up to 18 bytes of Ethernet and VLAN header, and must fit one
 * buffer. The cell file's net.mtu takes the same range.
 */
#define ION_HOST_NET_BUF_SIZE	2048U
#define ION_HOST_ETH_VLAN_HLEN	18U
#define ION_HOST_NET_MIN_MTU	68U		/* IPv4's minimum */
#define ION_HOST_NET_MAX_MTU	(ION_HOST_NET_BUF_SIZE - ION_HOST_ETH_VLAN_HLEN)
#define ION_HOST_NET_DEFAULT_MTU 1500U
_Static_assert(ION_HOST_NET_MAX_MTU + ION_HOST_ETH_VLAN_HLEN <= ION_HOST_NET_BUF_SIZE,
	       "the largest frame must fit one net buffer");
_Static_assert(ION_HOST_NET_MIN_MTU <= ION_HOST_NET_DEFAULT_MTU &&
	       ION_HOST_NET_DEFAULT_MTU <= ION_HOST_NET_MAX_MTU,
	       "the default MTU is in range");

struct ion_host;

/*
 * A token bucket of a valve budget, with the three numbers of Firecracker's
 * rate limiter: it holds up to size tokens (bytes or operations) and starts
 * full; it refills continuously, size tokens per refill_ms; one_time_burst
 * tokens more are there once, spent first, and never refill. size 0: no
 * limit (then the other two must be 0 too). docs/valves.md, "Budgets".
 */
struct ion_bucket_cfg {
	uint64_t size;			/* 0, or 1..ION_BUCKET_MAX_SIZE */
	uint64_t one_time_burst;	/* 0..ION_BUCKET_MAX_SIZE */
	uint64_t refill_ms;		/* 1..ION_BUCKET_MAX_REFILL_MS with a size */
};
#define ION_BUCKET_MAX_SIZE	(1ULL << 40)	/* 1 TiB, or 2^40 operations */
#define ION_BUCKET_MAX_REFILL_MS 3600000ULL	/* one hour */

/*
 * The budget of a block or net valve: bytes moved and requests taken (net:
 * TX frames and received frames together). Throttled requests wait in the
 * guest's ring; they are delayed, never failed.
 */
struct ion_budget {
	struct ion_bucket_cfg bw;	/* bytes */
	struct ion_bucket_cfg ops;	/* operations */
};

enum ion_budget_kind {
	ION_BUDGET_BW,
	ION_BUDGET_OPS,
};

struct ion_host_spec {
	uint64_t size;		/* window bytes: ION_MIN_SIZE..ION_MAX_SIZE, 4 KiB multiple */
	uint64_t doorbell_gpa;	/* written into the header (NC_DOORBELL_BASE) */
	unsigned nr_blk;	/* 0..ION_HOST_MAX_BLK block valves, ids 0.. */
	struct {
		const char *path;	/* raw image file or block device */
		bool readonly;		/* writes, discards fail -EROFS */
		bool direct;		/* O_DIRECT; logical block size 4096 */
		bool null;		/* no backing file: reads leave the slot
					 * as it is, writes are dropped (bench,
					 * fuzz); capacity null_size bytes */
		uint64_t null_size;
		struct ion_budget budget;	/* all 0: unlimited */
	} blk[ION_HOST_MAX_BLK];
	bool net;
	struct {
		const char *tap;	/* existing tap to attach; NULL: create one */
		uint8_t mac[6];		/* the guest's MAC */
		uint16_t mtu;		/* 0: 1500; else ION_HOST_NET_MIN_MTU..MAX */
		bool null;		/* no tap: TX is dropped, RX never fills */
		struct ion_budget budget;	/* all 0: unlimited */
	} net_cfg;
	bool input;
	unsigned nr_export;	/* 0..ION_HOST_MAX_EXPORT export valves, ids 0.. */
	struct {
		/* the guest's block device: a name under /dev, or a path */
		const char *guest_device;
	} export[ION_HOST_MAX_EXPORT];
	bool corrupt_magic;	/* test only: seed a wrong magic */
	uint32_t ring_start;	/* test only: first index of every ring */
	int fail_thread;	/* test only: -errno the service thread's
				 * first pass fails with (see ion_host_fail_fd()) */
	/*
	 * Called first on the service thread, before it touches a valve (the
	 * VMM installs its sandbox there: vmm/sandbox/sandbox.h). A negative
	 * return ends the thread as a failure would (ion_host_fail_fd()).
	 * NULL: nothing.
	 */
	int (*thread_enter)(void *arg);
	void *thread_arg;
};

struct ion_valve_stats {
	uint64_t requests;	/* SQ entries taken */
	uint64_t bytes;		/* data moved by successful requests */
	uint64_t doorbells;	/* doorbell eventfd wake-ups */
	uint64_t interrupts;	/* irq eventfd writes */
	uint64_t errors;	/* requests completed with an error status */
	/*
	 * From the host's own state, never from the guest-writable window:
	 * the host broke the valve (and stopped serving it), and why
	 * (ION_ERR_*; ION_ERR_NONE while it is not broken).
	 */
	bool broken;
	uint32_t error;
	/*
	 * Budgets: how often a queue stopped because the request at its head
	 * had to wait for its budget, and how long such requests waited in
	 * all (a net valve's two queues add up).
	 */
	uint64_t throttled;
	uint64_t throttled_ns;
};

/*
 * What `nipcell-vmm check` runs, and ion_host_create() runs first: the spec's
 * fields, then the window layout (-ENOSPC "ion window 16 MiB too small for
 * 4 block valves, net, input: needs 17.1 MiB"), with the same code as
 * ion_host_create() but without opening a file, a tap or a memfd. Returns 0
 * or -errno with a message in err.
 */
int ion_host_check(const struct ion_host_spec *spec, char *err, size_t errlen);

/*
 * Opens the backends, creates the memfd window, lays it out and seeds the
 * header with host_state ION_HOST_READY. Valves are numbered blk 0..nr_blk-1,
 * then net, then input. On error returns -errno and writes a message such as
 * "blk[0] disk.img: No such file or directory" into err.
 */
int ion_host_create(struct ion_host **out, const struct ion_host_spec *spec,
		    char *err, size_t errlen);
void ion_host_destroy(struct ion_host *h);

void *ion_host_window(struct ion_host *h);
uint64_t ion_host_window_size(struct ion_host *h);
int ion_host_memfd(struct ion_host *h);
unsigned ion_host_nr_valves(struct ion_host *h);
/* The seeded descriptor: a host-private copy, not the guest-writable one. */
const struct ion_valve *ion_host_valve(struct ion_host *h, unsigned v);
/*
 * The name of valve type type in the host's table of valve types ("blk",
 * "net", "input"), or NULL for a type this host does not have.
 */
const char *ion_host_valve_type_name(uint16_t type);
/* Name of the tap the net valve uses (created or attached), or NULL. */
const char *ion_host_tap_name(struct ion_host *h);

/* The eventfd the VMM binds with KVM_IOEVENTFD at doorbell_gpa + doorbell. */
int ion_host_doorbell_fd(struct ion_host *h, unsigned v, unsigned q);
/* The eventfd the VMM binds with KVM_IRQFD to the valve's SPI. */
int ion_host_irq_fd(struct ion_host *h, unsigned v);

/* Starts the service thread (one thread, one io_uring, sleeps when idle). */
int ion_host_start(struct ion_host *h);
/*
 * Graceful and bounded stop: host_state becomes ION_HOST_STOPPING, no new
 * request is taken, in-flight I/O completes (pending net RX buffers complete
 * with -ECANCELED; a write-zeroes being zero-filled is not continued and
 * completes with -ECANCELED), what is still in flight after 250 ms is
 * cancelled, every writable disk is fdatasync'ed, the thread is joined.
 * Returns within about 2 s plus the fdatasync: -ETIMEDOUT when I/O was
 * still in flight then, the thread's error if it died (see
 * ion_host_fail_fd()), else 0.
 */
int ion_host_stop(struct ion_host *h);

/*
 * For the VMM's main wait loop (poll it next to its stop eventfd): an
 * eventfd that becomes readable when the service thread exited on its own,
 * with an error (an io_uring failure), not through ion_host_stop(). By then
 * every valve is broken (ION_ERR_HOST) and host_state is ION_HOST_STOPPING,
 * so the guest sees it; guest I/O is no longer served, and the VMM should
 * stop the cell, report ion_host_thread_error() and exit with an error.
 * ion_host_stop() still joins the thread and syncs the disks.
 */
int ion_host_fail_fd(struct ion_host *h);
/* The service thread's -errno once it ended with an error, else 0. */
int ion_host_thread_error(struct ion_host *h);

/*
 * Without the thread (tests, fuzzing; never after ion_host_start()): one
 * service pass. Waits up to timeout_ms for backend I/O when some is in
 * flight. Returns the number of backend operations still in flight.
 */
int ion_host_poll(struct ion_host *h, int timeout_ms);
/*
 * Guest reset: drains backend I/O, empties every ring, clears broken valves
 * and re-seeds the header as ion_host_create() did. Export valves keep the
 * host's requests the guest had not completed and give them to the next
 * guest. While the service thread runs it does the reset itself (ublk ties
 * an export queue to that thread) and this call waits for it (-ETIMEDOUT
 * after about 5 s).
 */
int ion_host_reset(struct ion_host *h);

/* Thread-safe. -ENODEV without an input valve, -ENOSPC when its ring is
 * full, -EIO when the valve is broken. */
int ion_host_input_inject(struct ion_host *h, uint16_t type, uint16_t code,
			  int32_t value);
/*
 * Thread-safe: stores req (ION_HOST_REQ_*) into the header's host_request
 * word (release), then raises the interrupt of the first valve that is not
 * broken (abi.md, "Host requests"). Whether the guest acts on it is the
 * guest's business. -ENODEV when the cell has no valve to interrupt with
 * (the word is written all the same), -errno when the eventfd write fails.
 */
int ion_host_request(struct ion_host *h, uint32_t req);
/* Thread-safe. */
int ion_host_stats(struct ion_host *h, unsigned v, struct ion_valve_stats *st);

/*
 * The rules every bucket of a spec or of ion_host_set_budget() follows; what
 * names it in the message ("blk[0] bandwidth"). 0 or -EINVAL.
 */
int ion_bucket_cfg_check(const struct ion_bucket_cfg *b, const char *what,
			 char *err, size_t errlen);
/*
 * Thread-safe (the control socket's `budget` command): replaces one bucket
 * of a block or net valve's budget; all zeros turns it off. The new bucket
 * starts full, with its one-time burst; the service thread picks it up at
 * once (a throttled queue is looked at again). -EINVAL for a bad bucket or
 * valve number, -EOPNOTSUPP for a valve that has no budget (input).
 */
int ion_host_set_budget(struct ion_host *h, unsigned v, enum ion_budget_kind k,
			const struct ion_bucket_cfg *b);
/* Thread-safe: the budget valve v has now (all zeros: none). */
int ion_host_get_budget(struct ion_host *h, unsigned v, struct ion_budget *out);

/*
 * Export valves (ABI 1.1; docs/export.md): the guest serves a block device
 * to the host. The VMM creates a ublk device per export valve (vmm/ublk.c)
 * and attaches its queue 0 before ion_host_start(); the service thread
 * then fetches ublk's requests and gives them to the guest.
 */
struct ion_export_geometry {
	uint64_t capacity;		/* 512-byte sectors */
	uint32_t logical_block_size, physical_block_size;
	uint32_t max_sectors;		/* capped at the slot size */
	uint32_t flags;			/* ION_BLK_F_* */
	uint32_t max_discard_sectors, max_write_zeroes_sectors;
	uint32_t discard_granularity;
};

/* The valve index of export valve id, or -ENOENT. */
int ion_host_export_valve(struct ion_host *h, unsigned id);
/* Queue depth (= ublk tags = data slots) and slot size of export valve v. */
uint32_t ion_host_export_depth(struct ion_host *h, unsigned v);
uint32_t ion_host_export_slot_size(struct ion_host *h, unsigned v);
/*
 * Before ion_host_start(): ublk queue 0 of /dev/ublkcN (cdev_fd, kept open
 * by the caller), its mapped descriptor array, and N (dev_id).
 */
int ion_host_export_attach(struct ion_host *h, unsigned v, int cdev_fd,
			   const void *iod, int dev_id);
/* The VMM says /dev/ublkbN exists (START_DEV succeeded) or no longer does. */
void ion_host_export_set_ready(struct ion_host *h, unsigned v, bool ready);
/*
 * Thread-safe. For `stats`: "export 0 /dev/ublkb0 ready=1 sectors=131072
 * guest=nxblk0" ("none" before a ublk device is attached).
 */
int ion_host_export_line(struct ion_host *h, unsigned v, char *buf, size_t len);
/* Readable when the guest reported its device (or failed, or broke). */
int ion_host_export_event_fd(struct ion_host *h, unsigned v);
/*
 * 0 and *g once the guest reported a valid device (its first report sizes
 * the ublk device; a later guest must report the same capacity);
 * -EAGAIN before; the guest's -errno when it cannot serve; -EIO broken.
 */
int ion_host_export_geometry(struct ion_host *h, unsigned v,
			     struct ion_export_geometry *g);
/*
 * From now on every held and new host request completes with -EIO (the
 * VMM calls it before it stops the ublk devices at exit).
 */
void ion_host_export_shutdown(struct ion_host *h);

#endif /* NIPCELL_ION_HOST_H */
