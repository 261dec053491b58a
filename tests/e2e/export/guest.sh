# Inside the cell: nexus_export serves nxblk0 to the host; then act on the
# keys the host injects: R crashes the guest (a kernel panic; panic=-1
# resets: PSCI SYSTEM_RESET), C corrupts the next completion (cell-garbage), Q ends.
. ./common.sh
role=$(sed -n 's/.*nc\.role=\([a-z]*\).*/\1/p' /proc/cmdline)
boot=$(sed -n 's/.*nc\.restarts=\([0-9]*\).*/\1/p' /proc/cmdline)
boot=${boot:-0}
klog() { dmesg | grep -m1 "$1" | sed 's/^\[[^]]*\] *//'; }

# cell-norestart exports loop0: nexus_export waits until it has a
# backing (it polls; a losetup that meets its probe's open gets EBUSY).
if [ "$role" = norestart ]; then
	dd if=/dev/zero of=/tmp/export.img bs=1M count=32 2>/dev/null
	i=0
	until losetup /dev/loop0 /tmp/export.img 2>/dev/null; do
		i=$((i + 1))
		[ $i -lt 20 ] || { echo "NCT FAIL export-guest-serving losetup /dev/loop0 failed"; break; }
		sleep 0.2
	done
fi
i=0
while [ $i -lt 300 ] && [ -z "$(klog 'nexus_export: export0: serving')" ]; do
	sleep 0.1
	i=$((i + 1))
done
line=$(klog 'nexus_export: export0: serving')
if [ -n "$line" ]; then
	echo "NCT PASS export-guest-serving $role boot $boot: $line"
else
	echo "NCT FAIL export-guest-serving $role boot $boot: $(klog 'nexus_export')"
fi

dev=
for e in /sys/class/input/event*; do
	[ -e "$e" ] && dev=/dev/input/${e##*/} && break
done
[ -n "$dev" ] || { echo "NCT FAIL export-guest-keys no input device"; exit 1; }
# One open file for the whole loop: no event is lost between reads.
exec 3<"$dev"
while :; do
	ev=$(dd bs=24 count=1 <&3 2>/dev/null | hexdump -v -e '24/1 "%02x"')
	[ -n "$ev" ] || exit 1
	[ "$(echo "$ev" | cut -c41-48)" = 01000000 ] || continue	# key presses
	[ "$(echo "$ev" | cut -c33-36)" = 0100 ] || continue		# EV_KEY
	code=$((0x$(echo "$ev" | cut -c39-40)$(echo "$ev" | cut -c37-38)))
	case $code in
	$NC_KEY_RESET)
		# A kernel panic: /init exits on USR1 (initramfs/init), the
		# kernel panics and, with panic=-1, resets at once.
		echo "NCT INFO export: the host asked for a crash: a kernel panic at $(cut -d' ' -f1 /proc/uptime) s"
		kill -USR1 1
		sleep 60 ;;
	$NC_KEY_CORRUPT)
		[ "$role" = garbage ] || continue
		[ -f /tmp/corrupted ] && continue
		touch /tmp/corrupted
		# One kind of garbage per boot: 1, 2, 3.
		mode=$((boot + 1))
		case $mode in
		1) what="a wrong id" ;;
		2) what="a length past its slot" ;;
		*) what="a CQ index jump"; mode=3 ;;
		esac
		echo $mode >/sys/module/nexus_export/parameters/corrupt &&
			echo "NCT PASS export-guest-corrupt boot $boot: the next completion carries $what (corrupt=$mode)" ;;
	$NC_KEY_QUIT)
		break ;;
	esac
done
exit 0
