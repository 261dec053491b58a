// SPDX-License-Identifier: GPL-2.0
/*
 * ion-seed: writes a seeded ION header page for tests/e2e-qemu/modules-bind,
 * which QEMU loads at the window base (-device loader). The rest of the
 * window is QEMU's zeroed RAM, which is what empty rings look like.
 *
 *   ion-seed OUT [bad-magic] [abi2] [ring-outside] [no-valves] [blk-only]
 *
 * The default is one block, one net and one input valve, laid out the way
 * the ABI asks: rings then data areas, each ION_ALIGN-aligned, after the
 * header. The words change one thing each, for the refusal cases.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <nipcell/ion.h>

#define EV_SYN		0x00
#define EV_KEY		0x01
#define EV_REL		0x02
#define KEY_A		30
#define REL_X		0x00
#define SIZE		ION_DEFAULT_SIZE

static __u64 off = ION_HEADER_SIZE;

static __u64 take(__u64 bytes)
{
	__u64 at = off;

	off = (off + bytes + ION_ALIGN - 1) & ~(__u64)(ION_ALIGN - 1);
	return at;
}

static void rings(struct ion_valve *v, unsigned int n, __u32 entries,
		  unsigned int index)
{
	unsigned int q;

	v->nr_queues = n;
	for (q = 0; q < n; q++) {
		v->queues[q].entries = entries;
		v->queues[q].sqe_size = sizeof(struct ion_sqe);
		v->queues[q].cqe_size = sizeof(struct ion_cqe);
		v->queues[q].doorbell = (index * ION_MAX_QUEUES + q) * ION_DOORBELL_STRIDE;
		v->queues[q].sq_off = take(ion_ring_bytes(entries, sizeof(struct ion_sqe)));
		v->queues[q].cq_off = take(ion_ring_bytes(entries, sizeof(struct ion_cqe)));
	}
}

static int has(int argc, char **argv, const char *word)
{
	int i;

	for (i = 2; i < argc; i++)
		if (!strcmp(argv[i], word))
			return 1;
	return 0;
}

int main(int argc, char **argv)
{
	static unsigned char page[ION_HEADER_SIZE];
	struct ion_header *h = (struct ion_header *)page;
	struct ion_valve *blk = &h->valves[0], *net = &h->valves[1];
	struct ion_valve *in = &h->valves[2];
	FILE *f;

	if (argc < 2) {
		fprintf(stderr, "usage: ion-seed OUT [bad-magic] [abi2] [ring-outside] [no-valves] [blk-only] [minor0] [poweroff]\n");
		return 2;
	}
	h->magic = has(argc, argv, "bad-magic") ? ~ION_MAGIC : ION_MAGIC;
	h->abi_major = has(argc, argv, "abi2") ? ION_ABI_MAJOR + 1 : ION_ABI_MAJOR;
	/* minor0: an ABI 1.0 host, whose header has no host_request word. */
	h->abi_minor = has(argc, argv, "minor0") ? 0 : ION_ABI_MINOR;
	/* poweroff: the host asked for a power-off before the guest bound. */
	h->host_request = has(argc, argv, "poweroff") ? ION_HOST_REQ_POWEROFF : 0;
	h->window_size = SIZE;
	h->header_size = ION_HEADER_SIZE;
	h->features = ION_F_EVENT_IDX;
	h->host_state = ION_HOST_READY;
	h->doorbell_size = ION_DOORBELL_SIZE;
	if (!has(argc, argv, "no-valves")) {
		h->nr_valves = 3;
		blk->type = ION_VALVE_BLK;
		net->type = ION_VALVE_NET;
		in->type = ION_VALVE_INPUT;
		net->irq = 1;
		in->irq = 2;
		rings(blk, 1, 32, 0);
		rings(net, 2, 256, 1);
		rings(in, 1, 128, 2);

		blk->config.blk.capacity = 64 << 11;	/* 64 MiB */
		blk->config.blk.logical_block_size = 512;
		blk->config.blk.physical_block_size = 4096;
		blk->config.blk.max_sectors = 256;
		blk->config.blk.slot_size = 128 << 10;
		blk->config.blk.flags = ION_BLK_F_FLUSH | ION_BLK_F_DISCARD |
					ION_BLK_F_WRITE_ZEROES;
		blk->config.blk.max_discard_sectors = 0xfffff000U / 512;
		blk->config.blk.max_write_zeroes_sectors = 0xfffff000U / 512;
		blk->config.blk.discard_granularity = 4096;
		blk->data_size = 32ULL * blk->config.blk.slot_size;
		blk->data_off = take(blk->data_size);

		memcpy(net->config.net.mac, "\x52\x54\x00\x12\x34\x56", 6);
		net->config.net.mtu = 1500;
		net->config.net.buf_size = 2048;
		net->config.net.flags = ION_NET_F_LINK_UP;
		net->data_size = 2ULL * 256 * net->config.net.buf_size;
		net->data_off = take(net->data_size);

		in->config.input.evbit = 1ULL << EV_SYN | 1ULL << EV_KEY | 1ULL << EV_REL;
		in->config.input.relbit = 1ULL << REL_X;
		in->config.input.keybit[KEY_A / 64] = 1ULL << (KEY_A % 64);
		strcpy(in->config.input.name, "NipCell input");
		if (has(argc, argv, "ring-outside"))
			net->queues[1].cq_off = SIZE - ION_ALIGN;
		if (has(argc, argv, "blk-only"))
			h->nr_valves = 1;
	}
	if (off > SIZE) {
		fprintf(stderr, "ion-seed: layout needs 0x%llx bytes\n", (unsigned long long)off);
		return 1;
	}
	f = fopen(argv[1], "wb");
	if (!f || fwrite(page, sizeof(page), 1, f) != 1 || fclose(f)) {
		perror(argv[1]);
		return 1;
	}
	return 0;
}
