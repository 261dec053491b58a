# Runs in the cell. ttyS1 is the [serial] UART: the guest finds it at the
# address the device tree gives, and what it writes there reaches the
# host's ttyS1.log, not the console.
line="nipcell ttyS1 says hello $$"
if [ -c /dev/ttyS1 ] && echo "$line" >/dev/ttyS1; then
	echo "$line" >/tmp/ttyS1.sent
	echo "NCT PASS guest-ttyS1-write wrote '$line' to /dev/ttyS1"
else
	echo "NCT FAIL guest-ttyS1-write /dev/ttyS1 is missing or refused a write"
fi
ports=$(grep -c 'uart:16550A mmio:0x0900[01]000' /proc/tty/driver/serial 2>/dev/null)
if [ "$ports" = 2 ]; then
	echo "NCT PASS guest-uart-ports 2 16550A ports, at 0x09000000 and 0x09001000"
else
	echo "NCT FAIL guest-uart-ports $ports 16550A ports at 0x09000000/0x09001000, want 2: $(tr '\n' ';' </proc/tty/driver/serial 2>/dev/null)"
fi

# A load pair from the UART: no valid syndrome, so KVM cannot emulate it.
# nipcell-vmm injects an external abort: this process dies of SIGBUS (135),
# and the cell goes on to power off normally (vmm-exit-cell).
out=$(mmio-ldp 0x09000000 2>&1)
rc=$?
if [ $rc = 135 ]; then
	echo "NCT PASS guest-mmio-abort an LDP from the UART got an external abort (SIGBUS); the guest runs on"
else
	echo "NCT FAIL guest-mmio-abort mmio-ldp exited $rc, want 135 (SIGBUS): $out"
fi
