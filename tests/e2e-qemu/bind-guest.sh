# guest.sh of tests/e2e-qemu/modules-bind, case dt-bind: runs in plain QEMU
# after /init loaded the bridge modules against a seeded header (no host
# services the valves). Checks the valve interrupts, the header words
# nexus_ion writes, and that all four modules unload and load again cleanly.
. /etc/nipcell-ion.sh
base=$(sed -n 's/.*ion_base=\([^ ]*\).*/\1/p' /proc/cmdline)
word() { echo $(($(devmem $((base + $1)) 32))); }
check() {	# check NAME GOT WANT DETAIL
	if [ "$2" = "$3" ]; then
		echo "NCT PASS $1 $4"
	else
		echo "NCT FAIL $1 got '$2', want '$3' ($4)"
	fi
}

check valve-irqs "$(grep -c 'nexus_ion:' /proc/interrupts)" 3 \
	"one interrupt per valve in /proc/interrupts"
check guest-state-bound "$(word $ION_OFF_GUEST_STATE)" $ION_GUEST_BOUND \
	"guest_state after binding"
echo 0x1234abcd >/sys/module/nexus_ion/parameters/guest_status
check guest-status-param "$(word $ION_OFF_GUEST_STATUS)" $((0x1234abcd)) \
	"guest_status written through nexus_ion"

rmmod nexus_input nexus_net nexus_blk nexus_ion
check unload "$(ls -d /sys/module/nexus_* 2>/dev/null | wc -l)" 0 \
	"all four modules removed"
check guest-state-none "$(word $ION_OFF_GUEST_STATE)" $ION_GUEST_NONE \
	"guest_state after nexus_ion's removal"

for m in nexus_ion nexus_blk nexus_net nexus_input; do
	insmod /lib/nexus/$m.ko
done
check reload "$(cat /sys/module/nexus_ion/parameters/state) $(cat /sys/block/nxblk0/dev) $(cat /sys/class/net/nx0/address)" \
	"bound 252:0 52:54:00:12:34:56" "bound again, nxblk0 and nx0 back"
check kernel-warnings "$(dmesg | grep -cE 'WARNING:|BUG:|Oops|refcount_t')" 0 \
	"a clean kernel log"

# A job left behind holds guest.sh's output pipe: /init must not wait for it.
sleep 600 &
