# Runs in each boot cell: the CPUs the cell was given are online, and RAM
# is what the cell asked for.
want=$(sed -n 's/.*nc\.cpus=\([0-9]*\).*/\1/p' /proc/cmdline)
got=$(grep -c '^processor' /proc/cpuinfo)
if [ "$got" = "$want" ]; then
	echo "NCT PASS guest-cpus $got online"
else
	echo "NCT FAIL guest-cpus $got online, want $want"
fi
echo "NCT PASS guest-memory $(sed -n 's/^MemTotal: *//p' /proc/meminfo)"

# The 1-vCPU cell gets a line on its console (cell.stdin): the UART's
# receive path, through the guest's tty, into this shell.
if grep -q 'nc\.stdin=1' /proc/cmdline; then
	if read -t 15 line && [ "$line" = "nipcell console input 42" ]; then
		echo "NCT PASS console-input read '$line' from the console"
	else
		echo "NCT FAIL console-input want 'nipcell console input 42', got '$line'"
	fi
fi
