#!/bin/sh
# nested-compare's guest side (the same initramfs under nipcell-vmm and
# kvmtool): the disk is nxblk0 (after loading the bridge modules, when the
# command line names an ION window) or virtio-blk's vda. Three phases of
# BENCH_SECS each; ioload prints the "@@" lines the host times.
. ./bench-env.sh
cmdline=" $(cat /proc/cmdline) "
batch=
case $cmdline in
*" nc.irq_batch="*) batch=${cmdline##* nc.irq_batch=}; batch="irq_batch=${batch%% *}" ;;
esac
case $cmdline in
*" ion_base="*)
	insmod /lib/nexus/nexus_ion.ko && insmod /lib/nexus/nexus_blk.ko $batch ||
		{ echo "NCT FAIL bench-modules insmod failed"; exit 1; } ;;
esac
dev=
for d in /dev/nxblk0 /dev/vda; do
	[ -b $d ] && { dev=$d; break; }
done
[ -n "$dev" ] || { echo "NCT FAIL bench-disk no /dev/nxblk0 or /dev/vda"; exit 1; }
echo "@@ disk $dev $(cat /sys/block/${dev#/dev/}/size) sectors, $(nproc) cpus"
rc=0
ioload -d $dev -n qd1 -m rand -b 4096 -q 1 -t "$BENCH_SECS" || rc=1
ioload -d $dev -n qd32 -m rand -b 4096 -q 32 -t "$BENCH_SECS" || rc=1
ioload -d $dev -n seq1m -m seq -b 1048576 -q 4 -t "$BENCH_SECS" || rc=1
exit $rc
