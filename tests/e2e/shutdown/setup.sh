# Two disks: the guest's ext2 (disk.img) and a flag sector (flag.img) the
# guest writes once its file is written. Then, in the background: look
# into disk.img once (the file must not be there yet: the guest did not
# sync), take the metrics, and ask the guest to power off through the
# control socket.
dd if=/dev/zero of=disk.img bs=1M count=0 seek=32 2>/dev/null
dd if=/dev/zero of=flag.img bs=1M count=0 seek=1 2>/dev/null
(
	i=0
	while [ $i -lt 900 ]; do
		if grep -q nipcell-shutdown-ready flag.img 2>/dev/null; then
			debugfs -R 'stat /unsynced.txt' disk.img >before.txt 2>&1
			nipcell-vmm ctl cell.sock stats --json >stats.json 2>&1
			nipcell-vmm ctl cell.sock metrics >metrics.prom 2>&1
			nipcell-vmm ctl cell.sock shutdown --timeout 60 >shutdown.out 2>&1
			echo $? >shutdown.rc
			exit 0
		fi
		i=$((i + 1))
		sleep 0.1
	done
) &
