# The disk: 256 MiB on the host's tmpfs, its first MiB a known pattern.
# Once the valve has taken the guest's 32 WRITE_ZEROES plus its write (33 requests),
# SIGTERM nipcell-vmm and time how long it takes to exit.
dd if=/dev/zero of=disk.img bs=1M count=0 seek=256 2>/dev/null
yes "stop-bounded host pattern" | head -c 1048576 | dd of=disk.img conv=notrunc 2>/dev/null
(
	i=0
	while [ $i -lt 1200 ]; do
		req=$(nipcell-vmm ctl cell.sock stats 2>/dev/null |
			sed -n 's/^valve 0 blk0 requests=\([0-9]*\) .*/\1/p')
		if [ "${req:-0}" -ge 33 ]; then
			pid=$(pidof nipcell-vmm)
			echo "$req" >requests.at-kill
			t0=$(cut -d' ' -f1 /proc/uptime)
			kill -TERM $pid
			while kill -0 $pid 2>/dev/null; do sleep 0.05; done
			t1=$(cut -d' ' -f1 /proc/uptime)
			awk "BEGIN { printf \"%.2f\n\", $t1 - $t0 }" >stop.secs
			exit 0
		fi
		i=$((i + 1))
		sleep 0.1
	done
) &
