/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * ION window ABI, version 1.1: the one contract between a NipCell guest and
 * its host (nipcell-vmm). Usable unchanged from Linux kernel modules and from
 * user space: it includes only <linux/types.h> and uses no libc.
 * docs/abi.md describes every field; tests/unit/ion/test_ion_abi_doc.c
 * checks that table against this header.
 *
 * The window
 * ----------
 * A window of guest physical memory (default ION_DEFAULT_BASE, size
 * ION_DEFAULT_SIZE, both set per cell) shared by host and guest. Offset 0
 * holds struct ion_header; everything else in the window (rings, data areas)
 * is addressed by byte offset from the window base, never by pointer or by
 * guest physical address. The host lays the window out and seeds the header
 * before the guest runs; the guest only reads the layout.
 *
 * Doorbells are not in the window: they are a separate MMIO region (its guest
 * physical address is in the header and in the device tree) where a 32-bit
 * store at a queue's doorbell offset notifies the host. Each valve has one
 * interrupt (a GIC SPI, listed in the device tree ION node) that notifies the
 * guest.
 *
 * Rings and memory ordering
 * -------------------------
 * Each valve queue has two single-producer single-consumer rings of the same
 * power-of-two number of entries:
 *   submission ring (SQ): guest produces, host consumes;
 *   completion ring (CQ): host produces, guest consumes.
 * A ring is a struct ion_ring followed by its entries. Indices are free
 * running 32-bit counters; the slot of index i is i & (entries - 1); the ring
 * is empty when prod == cons and full when prod - cons == entries.
 *
 * Every word has exactly one writer:
 *   prod  - the producer;       cons, event - the consumer.
 * Producer: write the entry, then store-release prod.
 * Consumer: load-acquire prod, read the entries below it, then store-release
 *           cons (the slots may be reused from then on).
 * Kernel side: smp_store_release()/smp_load_acquire(); host side: C11
 * __atomic_store_n(..., __ATOMIC_RELEASE)/__atomic_load_n(..., __ATOMIC_ACQUIRE).
 *
 * Notification suppression (ION_F_EVENT_IDX)
 * ------------------------------------------
 * The consumer of a ring writes into its event word the index it wants to be
 * woken at: "notify me when prod moves past event". After publishing prod,
 * the producer issues a full barrier (smp_mb() / __atomic_thread_fence(
 * __ATOMIC_SEQ_CST)), reads event and notifies only when
 * ion_need_event(event, new_prod, old_prod) is true:
 *   SQ: the host is the consumer; the guest rings the queue's doorbell.
 *   CQ: the guest is the consumer; the host raises the valve's interrupt.
 * A consumer going idle writes event = cons, issues a full barrier and checks
 * prod once more before sleeping, so a notification is never lost. A busy
 * consumer leaves event behind and polls: a busy valve runs without exits.
 *
 * The host trusts nothing in the window: it checks every index, offset,
 * length and opcode it reads, completes a bad request with an error status,
 * and marks the valve ION_VALVE_S_BROKEN (with a reason in error) when the
 * ring itself is corrupt (indices that jump backwards or past the ring).
 */
#ifndef _UAPI_NIPCELL_ION_H
#define _UAPI_NIPCELL_ION_H

#include <linux/types.h>

#define ION_MAGIC		0x494F4E52U	/* "IONR" as a big-endian word */
#define ION_ABI_MAJOR		1		/* incompatible layout changes */
#define ION_ABI_MINOR		1		/* compatible additions (1: host_request, init_uptime_us, export valve) */

#define ION_DEFAULT_BASE	0x90000000ULL
#define ION_DEFAULT_SIZE	0x01000000ULL	/* 16 MiB */
#define ION_MIN_SIZE		0x00100000ULL	/* 1 MiB */
#define ION_MAX_SIZE		0x40000000ULL	/* 1 GiB */
#define ION_HEADER_SIZE		0x1000U		/* bytes reserved at offset 0 */
#define ION_ALIGN		0x1000U		/* rings and data areas start here */
#define ION_MAX_VALVES		8
#define ION_MAX_QUEUES		2		/* per valve */
#define ION_CACHELINE		64
#define ION_DOORBELL_SIZE	0x1000U		/* the doorbell MMIO region */
#define ION_DOORBELL_STRIDE	4		/* one 32-bit doorbell per queue */

/* ion_header.features: offered by the host; guest_features: accepted. */
#define ION_F_EVENT_IDX		(1ULL << 0)	/* event words are honoured */

/* ion_header.host_state, written by the host. */
#define ION_HOST_INIT		0
#define ION_HOST_READY		1		/* layout valid, valves serviced */
#define ION_HOST_STOPPING	2		/* no new requests are taken */

/* ion_header.guest_state, written by the guest. */
#define ION_GUEST_NONE		0
#define ION_GUEST_BOUND		1		/* nexus_ion accepted the window */
#define ION_GUEST_REFUSED	2		/* nexus_ion refused it */

/*
 * ion_header.guest_status, written by the guest's /init just before it
 * powers off; the VMM prints it. 0 means the guest never reported.
 */
#define ION_GUEST_STATUS_REPORTED	(1U << 31)
#define ION_GUEST_STATUS_RC_SHIFT	16	/* bits 23..16: the scenario's exit status */
#define ION_GUEST_STATUS_RC_MASK	0xffU
#define ION_GUEST_STATUS_FAILS_MASK	0xffffU	/* bits 15..0: failed checks */

/*
 * ion_header.host_request (ABI 1.1), written by the host: what it asks of
 * the guest. After storing it (release) the host raises one valve's
 * interrupt; a guest that knows the word reads it (acquire) on every valve
 * interrupt. 0 means nothing asked (and is all an ABI 1.0 host writes); a
 * guest ignores values it does not know.
 */
#define ION_HOST_REQ_NONE	0
#define ION_HOST_REQ_POWEROFF	1		/* power off in an orderly way */

/*
 * ion_header.init_uptime_us (ABI 1.1), written once by the guest's /init as
 * its first act: the guest's uptime (CLOCK_BOOTTIME) in microseconds when
 * /init started, never 0 (0 means "not written"). The host timestamps the
 * moment it first sees the word set: VMM start to /init, by one clock.
 */

/* ion_valve.type */
#define ION_VALVE_NONE		0
#define ION_VALVE_BLK		1
#define ION_VALVE_NET		2
#define ION_VALVE_INPUT		3
#define ION_VALVE_EXPORT	4		/* ABI 1.1: host submits, guest completes */

/*
 * What both sides know of each valve type besides its number: its name
 * (the guest names its devices after it, the host its statistics) and its
 * number of queues. ion_valve_type_name() and ion_valve_type_queues() below
 * read them; the host's table of types (ion/host/types.c) uses the same
 * macros. Adding a type means a number above, a name and a queue count
 * here, a case in each helper and an entry in that table.
 */
#define ION_VALVE_BLK_NAME	"blk"
#define ION_VALVE_NET_NAME	"net"
#define ION_VALVE_INPUT_NAME	"input"
#define ION_VALVE_EXPORT_NAME	"export"
#define ION_BLK_QUEUES		1
#define ION_NET_QUEUES		2		/* ION_NET_QUEUE_RX, ION_NET_QUEUE_TX */
#define ION_INPUT_QUEUES	1
#define ION_EXPORT_QUEUES	1

/* ion_valve.status, written by the host. */
#define ION_VALVE_S_BROKEN	(1U << 0)	/* no longer serviced */

/* ion_valve.error: why a valve was marked broken. */
#define ION_ERR_NONE		0
#define ION_ERR_SQ_INDEX	1		/* SQ prod jumped backwards or past the ring */
#define ION_ERR_CQ_INDEX	2		/* CQ cons jumped backwards or past prod */
#define ION_ERR_LAYOUT		3		/* ring geometry in the window was altered */
#define ION_ERR_HOST		4		/* the host's service failed; nothing is served */
#define ION_ERR_CQ_ENTRY	5		/* export: a completion matching no request, or
						 * with a status or length it cannot have */
#define ION_ERR_EXPORT_CONFIG	6		/* export: the guest's device report is invalid */

/*
 * Opcodes (ion_sqe.opcode). The block read/write and net TX/RX numbers are
 * the upstream Rumpk command numbers.
 */
#define ION_OP_NET_TX		0x500	/* frame in data_off/len to the wire */
#define ION_OP_NET_RX		0x501	/* empty buffer for one received frame */
#define ION_OP_BLK_READ		0x600
#define ION_OP_BLK_WRITE	0x601
#define ION_OP_BLK_FLUSH	0x602	/* make completed writes durable */
#define ION_OP_BLK_DISCARD	0x603	/* deallocate [off, off + len) */
#define ION_OP_BLK_WRITE_ZEROES	0x604	/* zero [off, off + len) */
#define ION_OP_INPUT_STATUS	0x700	/* guest to host: LED/sound state (counted) */

/* ion_sqe.flags */
#define ION_SQE_F_FUA		(1U << 0)	/* write is durable before completion */

/*
 * Submission entry, guest to host. For block requests off is the first
 * 512-byte sector and len the length in bytes (a multiple of the logical
 * block size); data_off/len name the data buffer inside the valve's data
 * area (none for flush, discard and write-zeroes). data_off is a byte
 * offset from the window base, never an address. For NET_RX, len is the
 * buffer's capacity. id is the guest's and is echoed in the completion.
 */
struct ion_sqe {
	__u16	opcode;
	__u16	flags;
	__u32	len;
	__u64	off;
	__u64	data_off;
	__u64	id;
};

/*
 * Completion entry, host to guest. status is 0 or a negative errno in the
 * asm-generic numbering (the same on arm64 and x86_64: -EIO is -5, -EINVAL
 * -22, -EROFS -30, -EOPNOTSUPP -95, -ENOSPC -28, -EMSGSIZE -90). len is the
 * number of bytes transferred (for NET_RX, the frame length).
 */
struct ion_cqe {
	__u64	id;
	__s32	status;
	__u32	len;
};

/*
 * Input event, host to guest, carried in the completion ring of the input
 * valve's queue 0 (the same size as struct ion_cqe). Shaped like Linux
 * struct input_event: type, code and value have its meaning.
 */
struct ion_input_event {
	__u64	time_ns;	/* host CLOCK_MONOTONIC */
	__u16	type;		/* EV_* */
	__u16	code;
	__s32	value;
};

/* Ring header; ring entries follow it at offset sizeof(struct ion_ring). */
struct ion_ring {
	__u32	prod;			/* producer-written */
	__u32	prod_pad[15];
	__u32	cons;			/* consumer-written */
	__u32	event;			/* consumer-written: wake me past this */
	__u32	cons_pad[14];
};

struct ion_queue {
	__u64	sq_off;		/* window offset of the SQ's struct ion_ring */
	__u64	cq_off;		/* window offset of the CQ's struct ion_ring */
	__u32	entries;	/* per ring, a power of two */
	__u16	sqe_size;	/* sizeof(struct ion_sqe) */
	__u16	cqe_size;	/* sizeof(struct ion_cqe) */
	__u32	doorbell;	/* byte offset in the doorbell region */
	__u32	reserved;
};

/* Block valve: one queue. */
#define ION_BLK_F_RO		(1U << 0)	/* writes, discards fail -EROFS */
#define ION_BLK_F_FLUSH		(1U << 1)	/* volatile cache: send FLUSH */
#define ION_BLK_F_DISCARD	(1U << 2)
#define ION_BLK_F_WRITE_ZEROES	(1U << 3)

struct ion_blk_config {
	__u64	capacity;		/* in 512-byte sectors */
	__u32	logical_block_size;	/* bytes */
	__u32	physical_block_size;	/* bytes */
	__u32	max_sectors;		/* largest READ/WRITE, 512-byte sectors */
	__u32	flags;			/* ION_BLK_F_* */
	__u32	max_discard_sectors;
	__u32	max_write_zeroes_sectors;
	__u32	discard_granularity;	/* bytes */
	__u32	slot_size;		/* data area bytes per in-flight request */
	__u32	reserved[6];
};

/* Net valve: queue 0 receives (ION_OP_NET_RX), queue 1 transmits. */
#define ION_NET_QUEUE_RX	0
#define ION_NET_QUEUE_TX	1
#define ION_NET_F_LINK_UP	(1U << 0)

struct ion_net_config {
	__u8	mac[6];
	__u16	mtu;			/* L3 MTU; frames carry 14 bytes more */
	__u32	buf_size;		/* data area bytes per frame buffer */
	__u32	flags;			/* ION_NET_F_* */
	__u32	reserved[12];
};

/*
 * Input valve: queue 0's completion ring carries struct ion_input_event.
 * The capability bitmaps use Linux's bit numbering (EV_*, KEY_*, REL_*).
 */
#define ION_INPUT_KEY_WORDS	12		/* KEY_CNT (0x300) bits */

struct ion_input_config {
	__u16	bustype;
	__u16	vendor;
	__u16	product;
	__u16	version;
	__u64	evbit;
	__u64	relbit;
	__u64	keybit[ION_INPUT_KEY_WORDS];
	char	name[32];
	__u32	reserved[8];
};

/*
 * Export valve (ABI 1.1): the direction is reversed. The guest serves a
 * block device of its own to the host: on queue 0 the HOST produces the SQ
 * (struct ion_sqe with the ION_OP_BLK_* opcodes; off is the first 512-byte
 * sector, data_off/len a slot of the data area, id the host's cookie) and
 * consumes the CQ; the GUEST consumes the SQ and produces the CQ (struct
 * ion_cqe: the request's id, 0 or a negative errno, len bytes moved).
 * Notifications follow the same rule the other way round: the host raises
 * the valve's interrupt when the SQ passes the guest's SQ event, the guest
 * rings the queue's doorbell when the CQ passes the host's CQ event.
 *
 * The config has two halves with one writer each. The host writes the
 * guest block device to serve (a name under /dev such as "loop0", or a
 * path) and the slot size; the guest fills in the device's geometry, then
 * store-releases state = ION_EXPORT_S_READY (or ION_EXPORT_S_FAILED with a
 * negative errno in error), and rings the doorbell once.
 */
#define ION_EXPORT_S_NONE	0		/* the guest has not reported yet */
#define ION_EXPORT_S_READY	1		/* geometry below is valid */
#define ION_EXPORT_S_FAILED	2		/* the guest cannot serve: see error */
#define ION_EXPORT_DEVICE_MAX	64		/* bytes in guest_device, NUL included */

struct ion_export_config {
	/* host-written */
	char	guest_device[ION_EXPORT_DEVICE_MAX];	/* NUL-terminated */
	__u32	slot_size;		/* data area bytes per request slot */
	__u32	host_reserved[7];
	/* guest-written */
	__u32	state;			/* ION_EXPORT_S_* (store-release last) */
	__s32	error;			/* -errno with ION_EXPORT_S_FAILED */
	__u64	capacity;		/* in 512-byte sectors */
	__u32	logical_block_size;	/* bytes */
	__u32	physical_block_size;	/* bytes */
	__u32	max_sectors;		/* largest READ/WRITE, 512-byte sectors */
	__u32	flags;			/* ION_BLK_F_RO/FLUSH/DISCARD/WRITE_ZEROES */
	__u32	max_discard_sectors;
	__u32	max_write_zeroes_sectors;
	__u32	discard_granularity;	/* bytes */
	__u32	guest_reserved[13];
};

struct ion_valve {
	__u16	type;		/* ION_VALVE_* */
	__u16	id;		/* instance number per type: nxblk<id>, nx<id> */
	__u16	nr_queues;
	__u16	irq;		/* index into the ION node's interrupts */
	__u32	status;		/* host-written ION_VALVE_S_* */
	__u32	error;		/* host-written ION_ERR_* when broken */
	__u64	data_off;	/* window offset of the valve's data area */
	__u64	data_size;
	struct ion_queue queues[ION_MAX_QUEUES];
	union {
		struct ion_blk_config	blk;
		struct ion_net_config	net;
		struct ion_input_config	input;
		struct ion_export_config export;
		__u8			raw[224];
	} config;
};

struct ion_header {
	__u32	magic;		/* ION_MAGIC */
	__u16	abi_major;	/* ION_ABI_MAJOR */
	__u16	abi_minor;	/* ION_ABI_MINOR */
	__u64	window_size;	/* bytes */
	__u32	header_size;	/* ION_HEADER_SIZE */
	__u32	nr_valves;
	__u64	features;	/* host-offered ION_F_* */
	__u64	guest_features;	/* guest-written: accepted ION_F_* */
	__u32	host_state;	/* host-written ION_HOST_* */
	__u32	guest_state;	/* guest-written ION_GUEST_* */
	__u64	doorbell_gpa;	/* guest physical base of the doorbell region */
	__u32	doorbell_size;	/* ION_DOORBELL_SIZE */
	__u32	guest_status;	/* guest-written: /init's status at power-off */
	struct ion_valve valves[ION_MAX_VALVES];
	/* ABI 1.1: in what 1.0 left zero at the end of the header page. */
	__u32	host_request;	/* host-written ION_HOST_REQ_* */
	__u32	reserved;	/* 0 */
	__u64	init_uptime_us;	/* ABI 1.1, guest-written: uptime when /init started */
};

/* 1 when a producer that moved prod from old to new_idx must notify. */
static inline int ion_need_event(__u32 event, __u32 new_idx, __u32 old)
{
	return (__u32)(new_idx - event - 1) < (__u32)(new_idx - old);
}

/* Window offset of entry idx of the ring at ring_off. */
static inline __u64 ion_ring_entry_off(__u64 ring_off, __u32 entries,
				       __u32 esize, __u32 idx)
{
	return ring_off + sizeof(struct ion_ring) +
	       (__u64)(idx & (entries - 1)) * esize;
}

/* Bytes a ring of entries entries of esize bytes occupies. */
static inline __u64 ion_ring_bytes(__u32 entries, __u32 esize)
{
	return sizeof(struct ion_ring) + (__u64)entries * esize;
}

/* The name of valve type type ("blk", "net", "input"), 0 when unknown. */
static inline const char *ion_valve_type_name(__u16 type)
{
	switch (type) {
	case ION_VALVE_BLK:	return ION_VALVE_BLK_NAME;
	case ION_VALVE_NET:	return ION_VALVE_NET_NAME;
	case ION_VALVE_INPUT:	return ION_VALVE_INPUT_NAME;
	case ION_VALVE_EXPORT:	return ION_VALVE_EXPORT_NAME;
	default:		return (const char *)0;
	}
}

/* The number of queues a valve of type type has, 0 when unknown. */
static inline unsigned int ion_valve_type_queues(__u16 type)
{
	switch (type) {
	case ION_VALVE_BLK:	return ION_BLK_QUEUES;
	case ION_VALVE_NET:	return ION_NET_QUEUES;
	case ION_VALVE_INPUT:	return ION_INPUT_QUEUES;
	case ION_VALVE_EXPORT:	return ION_EXPORT_QUEUES;
	default:		return 0;
	}
}

/* Layout checks: the same on every compiler and both sides of the window. */
#define ION_ASSERT_SIZE(t, n) \
	_Static_assert(sizeof(t) == (n), "ion ABI: sizeof(" #t ") != " #n)
#define ION_ASSERT_OFF(t, f, n) \
	_Static_assert(__builtin_offsetof(t, f) == (n), \
		       "ion ABI: offsetof(" #t ", " #f ") != " #n)

ION_ASSERT_SIZE(struct ion_sqe, 32);
ION_ASSERT_SIZE(struct ion_cqe, 16);
ION_ASSERT_SIZE(struct ion_input_event, 16);
ION_ASSERT_SIZE(struct ion_ring, 128);
ION_ASSERT_OFF(struct ion_ring, cons, ION_CACHELINE);
ION_ASSERT_SIZE(struct ion_queue, 32);
ION_ASSERT_SIZE(struct ion_blk_config, 64);
ION_ASSERT_SIZE(struct ion_net_config, 64);
ION_ASSERT_SIZE(struct ion_input_config, 184);
ION_ASSERT_SIZE(struct ion_export_config, 192);
ION_ASSERT_OFF(struct ion_export_config, state, 96);
ION_ASSERT_SIZE(struct ion_valve, 320);
ION_ASSERT_OFF(struct ion_valve, queues, 32);
ION_ASSERT_OFF(struct ion_valve, config, 96);
ION_ASSERT_OFF(struct ion_header, doorbell_gpa, 48);
ION_ASSERT_OFF(struct ion_header, guest_status, 60);
ION_ASSERT_OFF(struct ion_header, valves, 64);
ION_ASSERT_OFF(struct ion_header, host_request, 64 + ION_MAX_VALVES * 320);
ION_ASSERT_OFF(struct ion_header, init_uptime_us, 72 + ION_MAX_VALVES * 320);
ION_ASSERT_SIZE(struct ion_header, 80 + ION_MAX_VALVES * 320);
_Static_assert(ION_NET_QUEUE_RX < ION_NET_QUEUES &&
	       ION_NET_QUEUE_TX < ION_NET_QUEUES, "ion ABI: net queue numbers");
_Static_assert(ION_BLK_QUEUES <= ION_MAX_QUEUES && ION_NET_QUEUES <= ION_MAX_QUEUES &&
	       ION_INPUT_QUEUES <= ION_MAX_QUEUES &&
	       ION_EXPORT_QUEUES <= ION_MAX_QUEUES, "ion ABI: queues per valve");
_Static_assert(sizeof(struct ion_header) <= ION_HEADER_SIZE,
	       "ion ABI: header does not fit ION_HEADER_SIZE");

#endif /* _UAPI_NIPCELL_ION_H */
