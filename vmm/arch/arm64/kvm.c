// SPDX-License-Identifier: GPL-2.0
/* An arm64 KVM VM with an in-kernel vGICv3 and arch timer. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/kvm.h>

#include "arch/arm64/kvm.h"
#include "arch/arm64/layout.h"
#include "util/errf.h"

/* -errno from the call that just failed, with a message. */
#define VM_ERR(...) nc_errf(-(errno ? errno : EIO), err, errlen, __VA_ARGS__)

static const struct {
	unsigned	cap;
	const char	*name;
} vm_caps[] = {
	{ KVM_CAP_USER_MEMORY,		"KVM_CAP_USER_MEMORY" },
	{ KVM_CAP_ONE_REG,		"KVM_CAP_ONE_REG" },
	{ KVM_CAP_ARM_PSCI_0_2,		"KVM_CAP_ARM_PSCI_0_2" },
	{ KVM_CAP_IRQFD,		"KVM_CAP_IRQFD" },
	{ KVM_CAP_IOEVENTFD,		"KVM_CAP_IOEVENTFD" },
	{ KVM_CAP_DEVICE_CTRL,		"KVM_CAP_DEVICE_CTRL" },
	{ KVM_CAP_IMMEDIATE_EXIT,	"KVM_CAP_IMMEDIATE_EXIT" },
};

/* A new VM on vm->kvm_fd: the checks, KVM_CREATE_VM, its capabilities. */
static int vm_create(struct nc_vm *vm, char *err, size_t errlen)
{
	unsigned i;
	int v;

	v = ioctl(vm->kvm_fd, KVM_GET_API_VERSION, 0);
	if (v != KVM_API_VERSION)
		return nc_errf(-EPROTO, err, errlen, "/dev/kvm: API version %d, want %d", v,
			       KVM_API_VERSION);
	for (i = 0; i < sizeof(vm_caps) / sizeof(vm_caps[0]); i++)
		if (ioctl(vm->kvm_fd, KVM_CHECK_EXTENSION, vm_caps[i].cap) <= 0)
			return nc_errf(-EOPNOTSUPP, err, errlen, "/dev/kvm: missing %s",
				       vm_caps[i].name);
	errno = 0;
	vm->run_size = ioctl(vm->kvm_fd, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (vm->run_size < (int)sizeof(struct kvm_run))
		return VM_ERR("KVM_GET_VCPU_MMAP_SIZE: %s", errno ? strerror(errno) :
			      "too small");
	vm->vm_fd = ioctl(vm->kvm_fd, KVM_CREATE_VM, 0);
	if (vm->vm_fd < 0)
		return VM_ERR("KVM_CREATE_VM: %s", strerror(errno));
	/*
	 * A guest MMIO access KVM cannot decode (no valid syndrome: LDP, a
	 * post-indexed store...) comes to user space as KVM_EXIT_ARM_NISV,
	 * which vcpu.c answers with an external abort into the guest. Without
	 * the capability KVM_RUN fails with ENOSYS and vcpu.c does the same.
	 */
	if (ioctl(vm->kvm_fd, KVM_CHECK_EXTENSION, KVM_CAP_ARM_NISV_TO_USER) > 0) {
		struct kvm_enable_cap cap = { .cap = KVM_CAP_ARM_NISV_TO_USER };

		if (ioctl(vm->vm_fd, KVM_ENABLE_CAP, &cap) < 0)
			return VM_ERR("KVM_ENABLE_CAP KVM_CAP_ARM_NISV_TO_USER: %s",
				      strerror(errno));
	}
	vm->can_inject_dabt = ioctl(vm->kvm_fd, KVM_CHECK_EXTENSION,
				    KVM_CAP_ARM_INJECT_EXT_DABT) > 0;
	return 0;
}

int nc_vm_open(struct nc_vm *vm, char *err, size_t errlen)
{
	memset(vm, 0, sizeof(*vm));
	vm->vm_fd = vm->gic_fd = vm->its_fd = -1;
	pthread_mutex_init(&vm->lock, NULL);
	vm->kvm_fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (vm->kvm_fd < 0)
		return VM_ERR("/dev/kvm: %s%s", strerror(errno),
			      errno == ENOENT ? " (this host has no KVM: is the kvm module"
			      " loaded and the kernel running at EL2?)" : "");
	return vm_create(vm, err, errlen);
}

int nc_vm_reopen(struct nc_vm *vm, char *err, size_t errlen)
{
	int kvm_fd = vm->kvm_fd;

	if (kvm_fd < 0)
		return nc_vm_open(vm, err, errlen);
	pthread_mutex_destroy(&vm->lock);
	memset(vm, 0, sizeof(*vm));
	vm->kvm_fd = kvm_fd;
	vm->vm_fd = vm->gic_fd = vm->its_fd = -1;
	pthread_mutex_init(&vm->lock, NULL);
	return vm_create(vm, err, errlen);
}

void nc_vm_close_vm(struct nc_vm *vm)
{
	if (vm->its_fd >= 0)
		close(vm->its_fd);
	if (vm->gic_fd >= 0)
		close(vm->gic_fd);
	if (vm->vm_fd >= 0)
		close(vm->vm_fd);
	vm->its_fd = vm->gic_fd = vm->vm_fd = -1;
}

void nc_vm_close(struct nc_vm *vm)
{
	nc_vm_close_vm(vm);
	if (vm->kvm_fd >= 0)
		close(vm->kvm_fd);
	vm->kvm_fd = -1;
}

int nc_vm_map(struct nc_vm *vm, uint64_t gpa, uint64_t size, void *hva, int *slot,
	      char *err, size_t errlen)
{
	struct kvm_userspace_memory_region r = {
		.guest_phys_addr = gpa,
		.memory_size = size,
		.userspace_addr = (uintptr_t)hva,
	};
	int ret = 0;

	pthread_mutex_lock(&vm->lock);
	while (r.slot < NC_VM_MAX_SLOTS && (vm->slots & (1ULL << r.slot)))
		r.slot++;
	if (r.slot == NC_VM_MAX_SLOTS)
		ret = nc_errf(-ENOSPC, err, errlen, "memslot for [0x%llx-0x%llx]: all %d in use",
			      (unsigned long long)gpa, (unsigned long long)(gpa + size - 1),
			      NC_VM_MAX_SLOTS);
	else if (ioctl(vm->vm_fd, KVM_SET_USER_MEMORY_REGION, &r) < 0)
		ret = VM_ERR("memslot %u [0x%llx-0x%llx]: %s", r.slot,
			     (unsigned long long)gpa,
			     (unsigned long long)(gpa + size - 1), strerror(errno));
	else
		vm->slots |= 1ULL << r.slot;
	pthread_mutex_unlock(&vm->lock);
	if (!ret && slot)
		*slot = r.slot;
	return ret;
}

int nc_vm_add_memory(struct nc_vm *vm, uint64_t gpa, uint64_t size, void *hva,
		     char *err, size_t errlen)
{
	return nc_vm_map(vm, gpa, size, hva, NULL, err, errlen);
}

/* Size 0 deletes the slot. */
void nc_vm_del_memory(struct nc_vm *vm, int slot)
{
	struct kvm_userspace_memory_region r = { .slot = slot };

	if (slot < 0 || slot >= NC_VM_MAX_SLOTS)
		return;
	pthread_mutex_lock(&vm->lock);
	if ((vm->slots & (1ULL << slot)) &&
	    !ioctl(vm->vm_fd, KVM_SET_USER_MEMORY_REGION, &r))
		vm->slots &= ~(1ULL << slot);
	pthread_mutex_unlock(&vm->lock);
}

static int gic_attr(struct nc_vm *vm, uint32_t group, uint64_t attr, void *val)
{
	struct kvm_device_attr a = {
		.group = group,
		.attr = attr,
		.addr = (uintptr_t)val,
	};

	return ioctl(vm->gic_fd, KVM_SET_DEVICE_ATTR, &a);
}

/* The vITS: created with the vGIC, initialised after it. */
static int its_create(struct nc_vm *vm, char *err, size_t errlen)
{
	struct kvm_create_device dev = { .type = KVM_DEV_TYPE_ARM_VGIC_ITS };
	uint64_t base = NC_GIC_ITS_BASE;
	struct kvm_device_attr a = {
		.group = KVM_DEV_ARM_VGIC_GRP_ADDR,
		.attr = KVM_VGIC_ITS_ADDR_TYPE,
		.addr = (uintptr_t)&base,
	};

	if (ioctl(vm->vm_fd, KVM_CHECK_EXTENSION, KVM_CAP_IRQ_ROUTING) <= 0)
		return nc_errf(-EOPNOTSUPP, err, errlen,
			       "/dev/kvm: no KVM_CAP_IRQ_ROUTING: [[pci]] needs MSI routes");
	if (ioctl(vm->vm_fd, KVM_CREATE_DEVICE, &dev) < 0)
		return VM_ERR("KVM_CREATE_DEVICE vITS: %s ([[pci]] needs the host's GICv3 ITS support in KVM)",
			      strerror(errno));
	vm->its_fd = dev.fd;
	/* The VM reports it once it has an ITS: MSI routes then carry devid. */
	if (ioctl(vm->vm_fd, KVM_CHECK_EXTENSION, KVM_CAP_MSI_DEVID) <= 0)
		return nc_errf(-EOPNOTSUPP, err, errlen,
			       "KVM: no KVM_CAP_MSI_DEVID with the vITS");
	if (ioctl(vm->its_fd, KVM_SET_DEVICE_ATTR, &a) < 0)
		return VM_ERR("vITS address: %s", strerror(errno));
	return 0;
}

int nc_vm_gic_create(struct nc_vm *vm, unsigned nr_vcpus, bool its, char *err,
		     size_t errlen)
{
	struct kvm_create_device dev = { .type = KVM_DEV_TYPE_ARM_VGIC_V3 };
	uint64_t dist = NC_GIC_DIST_BASE, redist = NC_GIC_REDIST_BASE;
	uint32_t nr_irqs = 32 + NC_NR_SPIS;

	(void)nr_vcpus;	/* the redistributor region grows with the vCPUs */
	if (ioctl(vm->vm_fd, KVM_CREATE_DEVICE, &dev) < 0)
		return VM_ERR("KVM_CREATE_DEVICE vGICv3: %s (the host needs a GICv3)",
			      strerror(errno));
	vm->gic_fd = dev.fd;
	if (gic_attr(vm, KVM_DEV_ARM_VGIC_GRP_ADDR, KVM_VGIC_V3_ADDR_TYPE_DIST, &dist) < 0)
		return VM_ERR("vGICv3 distributor address: %s", strerror(errno));
	if (gic_attr(vm, KVM_DEV_ARM_VGIC_GRP_ADDR, KVM_VGIC_V3_ADDR_TYPE_REDIST, &redist) < 0)
		return VM_ERR("vGICv3 redistributor address: %s", strerror(errno));
	if (gic_attr(vm, KVM_DEV_ARM_VGIC_GRP_NR_IRQS, 0, &nr_irqs) < 0)
		return VM_ERR("vGICv3 %u interrupts: %s", nr_irqs, strerror(errno));
	return its ? its_create(vm, err, errlen) : 0;
}

int nc_vm_gic_init(struct nc_vm *vm, char *err, size_t errlen)
{
	if (gic_attr(vm, KVM_DEV_ARM_VGIC_GRP_CTRL, KVM_DEV_ARM_VGIC_CTRL_INIT, NULL) < 0)
		return VM_ERR("vGICv3 init: %s", strerror(errno));
	if (vm->its_fd >= 0) {
		struct kvm_device_attr a = {
			.group = KVM_DEV_ARM_VGIC_GRP_CTRL,
			.attr = KVM_DEV_ARM_VGIC_CTRL_INIT,
		};

		if (ioctl(vm->its_fd, KVM_SET_DEVICE_ATTR, &a) < 0)
			return VM_ERR("vITS init: %s", strerror(errno));
	}
	return 0;
}

int nc_vm_spi_line(struct nc_vm *vm, unsigned spi, int level)
{
	struct kvm_irq_level l = {
		.irq = (KVM_ARM_IRQ_TYPE_SPI << KVM_ARM_IRQ_TYPE_SHIFT) | (32 + spi),
		.level = level,
	};

	return ioctl(vm->vm_fd, KVM_IRQ_LINE, &l);
}

int nc_vm_ioeventfd(struct nc_vm *vm, uint64_t gpa, int fd, char *err, size_t errlen)
{
	struct kvm_ioeventfd e = { .addr = gpa, .len = 4, .fd = fd };

	if (ioctl(vm->vm_fd, KVM_IOEVENTFD, &e) < 0)
		return VM_ERR("KVM_IOEVENTFD at 0x%llx: %s", (unsigned long long)gpa,
			      strerror(errno));
	return 0;
}

int nc_vm_irqfd(struct nc_vm *vm, unsigned spi, int fd, char *err, size_t errlen)
{
	/* With the vGIC's default routing, GSI n is SPI n (INTID 32 + n). */
	struct kvm_irqfd i = { .fd = fd, .gsi = spi };

	if (ioctl(vm->vm_fd, KVM_IRQFD, &i) < 0)
		return VM_ERR("KVM_IRQFD for SPI %u: %s", spi, strerror(errno));
	return 0;
}

int nc_vm_irqfd_gsi(struct nc_vm *vm, unsigned gsi, int fd, int resample_fd,
		    bool assign, char *err, size_t errlen)
{
	struct kvm_irqfd i = { .fd = fd, .gsi = gsi };

	if (!assign)
		i.flags = KVM_IRQFD_FLAG_DEASSIGN;
	else if (resample_fd >= 0) {
		i.flags = KVM_IRQFD_FLAG_RESAMPLE;
		i.resamplefd = resample_fd;
	}
	if (ioctl(vm->vm_fd, KVM_IRQFD, &i) < 0)
		return VM_ERR("KVM_IRQFD %s GSI %u: %s", assign ? "for" : "off",
			      gsi, strerror(errno));
	return 0;
}

/*
 * KVM_SET_GSI_ROUTING replaces the whole table: the SPIs' routes, then the
 * MSIs'. Built in a static buffer under vm->lock: vCPU threads call this
 * (MSI-X table writes) and must not need the allocator.
 */
static int commit_routes(struct nc_vm *vm, char *err, size_t errlen)
{
	static union {
		struct kvm_irq_routing r;
		uint8_t buf[sizeof(struct kvm_irq_routing) +
			    (NC_NR_SPIS + NC_GSI_MSI_NR) * sizeof(struct kvm_irq_routing_entry)];
	} table;
	struct kvm_irq_routing *r = &table.r;
	unsigned i, n = 0;

	memset(&table, 0, sizeof(table));
	for (i = 0; i < NC_NR_SPIS; i++, n++) {
		r->entries[n].gsi = i;
		r->entries[n].type = KVM_IRQ_ROUTING_IRQCHIP;
		r->entries[n].u.irqchip.irqchip = 0;
		r->entries[n].u.irqchip.pin = i;
	}
	for (i = 0; i < NC_GSI_MSI_NR; i++) {
		if (!vm->msi[i].valid)
			continue;
		r->entries[n].gsi = NC_GSI_MSI_FIRST + i;
		r->entries[n].type = KVM_IRQ_ROUTING_MSI;
		r->entries[n].flags = KVM_MSI_VALID_DEVID;
		r->entries[n].u.msi.address_lo = (uint32_t)vm->msi[i].addr;
		r->entries[n].u.msi.address_hi = vm->msi[i].addr >> 32;
		r->entries[n].u.msi.data = vm->msi[i].data;
		r->entries[n].u.msi.devid = vm->msi[i].devid;
		n++;
	}
	r->nr = n;
	if (ioctl(vm->vm_fd, KVM_SET_GSI_ROUTING, r) < 0)
		return VM_ERR("KVM_SET_GSI_ROUTING (%u routes): %s", n, strerror(errno));
	return 0;
}

int nc_vm_msi_route(struct nc_vm *vm, unsigned gsi, uint64_t addr, uint32_t data,
		    uint32_t devid, bool valid, char *err, size_t errlen)
{
	struct nc_vm_msi *e;
	int ret;

	if (gsi < NC_GSI_MSI_FIRST || gsi - NC_GSI_MSI_FIRST >= NC_GSI_MSI_NR)
		return nc_errf(-EINVAL, err, errlen, "GSI %u is not an MSI route", gsi);
	pthread_mutex_lock(&vm->lock);
	e = &vm->msi[gsi - NC_GSI_MSI_FIRST];
	e->addr = addr;
	e->data = data;
	e->devid = devid;
	e->valid = valid;
	ret = commit_routes(vm, err, errlen);
	pthread_mutex_unlock(&vm->lock);
	return ret;
}
