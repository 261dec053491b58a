# Write a file on ext2 without sync, with periodic writeback off so that it
# stays in the page cache; tell the host (a sector on nxblk1, synced); then
# idle until the host's shutdown request powers the cell off.
# quick.toml (nc.quick=1): nothing to do, /init powers off at once.
case " $(cat /proc/cmdline) " in *" nc.quick=1 "*) exit 0 ;; esac
echo 0 >/proc/sys/vm/dirty_writeback_centisecs
echo 360000 >/proc/sys/vm/dirty_expire_centisecs
if ! mke2fs -q -b 1024 /dev/nxblk0 >/dev/null 2>&1 || ! sync ||
   ! mount -t ext2 /dev/nxblk0 /mnt; then
	echo "NCT FAIL shutdown-file-written mke2fs or mount of /dev/nxblk0 failed"
	exit 1
fi
yes "nipcell shutdown unsynced 0123456789" | head -c 65536 >/mnt/unsynced.txt
dirty=$(sed -n 's/^Dirty: *\([0-9]*\) kB/\1/p' /proc/meminfo)
echo "NCT PASS shutdown-file-written /mnt/unsynced.txt, 65536 bytes, no sync (Dirty: $dirty kB)"
printf 'nipcell-shutdown-ready\n' | dd of=/dev/nxblk1 bs=512 count=1 conv=sync,fsync 2>/dev/null
while :; do sleep 1; done
