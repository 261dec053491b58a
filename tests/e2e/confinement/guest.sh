# Inside the cell: the same block I/O under both cells (nc.seccomp= says
# which), timed, so that the filters' cost shows in one run; and output on
# ttyS1 (a second console output thread).
mode=$(sed -n 's/.*nc\.seccomp=\([a-z]*\).*/\1/p' /proc/cmdline)
role=$(sed -n 's/.*nc\.role=\([a-z]*\).*/\1/p' /proc/cmdline)
boot=$(sed -n 's/.*nc\.restarts=\([0-9]*\).*/\1/p' /proc/cmdline)
up() { cut -d' ' -f1 /proc/uptime; }

# cell-restart.toml: the first guest crashes, the second reports and ends;
# the host looks at the threads of both (setup.sh) by what ttyS1 says.
if [ "$role" = restart ]; then
	if [ -z "$boot" ]; then
		echo "confinement-restart boot 0 at $(up) s" >/dev/ttyS1
		echo "NCT INFO confinement-restart boot 0: reboot -f in 4 s"
		sleep 4
		reboot -f
		sleep 60	# the reset ends this guest
	fi
	echo "confinement-restart boot $boot at $(up) s" >/dev/ttyS1
	if [ "$boot" = 1 ]; then
		echo "NCT PASS confinement-restart-guest a new guest (nc.restarts=$boot) reached guest.sh after the crash, under the sandbox"
	else
		echo "NCT FAIL confinement-restart-guest nc.restarts='$boot', want 1"
	fi
	sleep 4
	exit 0
fi
rate() { awk "BEGIN { t = $3 - $2; if (t < 0.01) t = 0.01; printf \"%.1f\", $1 / 1048576 / t }"; }
ops() { awk "BEGIN { t = $3 - $2; if (t < 0.01) t = 0.01; printf \"%.0f\", $1 / t }"; }

echo "guest.sh started at $(up) s" >/dev/ttyS1
# Small, as the nested host is emulated (about 1 MiB/s); reads are the
# best of 3 rounds, as the machine's other load only ever slows one down.
bytes=$((4 * 1048576))
t0=$(up)
dd if=/dev/zero of=/dev/nxblk0 bs=1M count=4 conv=fsync 2>/dev/null
t1=$(up)
write=$(rate $bytes $t0 $t1)
read=0 small=0
for round in 1 2 3; do
	t1=$(up)
	dd if=/dev/nxblk0 of=/dev/null bs=1M count=4 iflag=direct 2>/dev/null
	t2=$(up)
	dd if=/dev/nxblk0 of=/dev/null bs=4k count=200 iflag=direct 2>/dev/null
	t3=$(up)
	read=$(awk "BEGIN { r = $(rate $bytes $t1 $t2); print (r > $read) ? r : $read }")
	small=$(awk "BEGIN { r = $(ops 200 $t2 $t3); print (r > $small) ? r : $small }")
done
if [ -n "$mode" ]; then
	echo "NCT PASS confinement-blk-io seccomp=$mode guest.sh at $t0 s; write $write MiB/s; direct read $read MiB/s; 4 KiB direct reads $small /s"
else
	echo "NCT FAIL confinement-blk-io no nc.seccomp= on the command line"
fi
# The host looks at every VMM thread while this cell runs (setup.sh).
sleep 2
