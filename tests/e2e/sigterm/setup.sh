# Stop the cell with SIGTERM once its disk valve has moved the guest's 4 MiB
# pattern (the valve statistics say so), while the guest keeps writing.
dd if=/dev/zero of=disk.img bs=1M count=0 seek=32 2>/dev/null
(
	i=0
	while [ $i -lt 600 ]; do
		bytes=$(nipcell-vmm ctl cell.sock stats 2>/dev/null |
			sed -n 's/^valve 0 blk0 .* bytes=\([0-9]*\) .*/\1/p')
		if [ "${bytes:-0}" -ge 8388608 ]; then
			# A second cell on the same disk, while this one writes to it.
			nipcell-vmm run second-cell.toml </dev/null >second.out 2>&1
			echo $? >second.rc
			echo "$bytes" >stats.at-kill
			kill -TERM "$(pidof nipcell-vmm)"
			exit 0
		fi
		i=$((i + 1))
		sleep 0.1
	done
) &
