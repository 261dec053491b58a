# Runs in each boot cell: the CPUs the cell was given are online, and RAM
# is what the cell asked for.
want=$(sed -n 's/.*nc\.cpus=\([0-9]*\).*/\1/p' /proc/cmdline)
got=$(grep -c '^processor' /proc/cpuinfo)
if [ "$got" = "$want" ]; then
	echo "NCT PASS guest-cpus $got online"
else
	echo "NCT FAIL guest-cpus $got online, want $want"
fi

# RAM: the cell's memory setting comes on the command line too (nc.mem=MiB,
# the same number as [cell] memory in its toml). The device tree's memory
# node, (address, size) pairs of 64 bits each, must add up to it exactly;
# MemTotal is RAM minus what the kernel keeps (its image, page tables,
# reservations), so it must be within 80% and 100% of it.
mib=$(sed -n 's/.*nc\.mem=\([0-9]*\).*/\1/p' /proc/cmdline)
reg=$(hexdump -v -e '1/1 "%02x"' /proc/device-tree/memory@*/reg 2>/dev/null)
dt=0 i=0
while [ $((i * 32 + 32)) -le ${#reg} ]; do
	dt=$((dt + 0x$(echo "$reg" | cut -c$((i * 32 + 17))-$((i * 32 + 32)))))
	i=$((i + 1))
done
if [ -z "$mib" ]; then
	echo "NCT FAIL guest-memory-map no nc.mem= on the command line to compare with"
elif [ $i -gt 0 ] && [ $dt = $((mib * 1048576)) ]; then
	echo "NCT PASS guest-memory-map the device tree gives $mib MiB of RAM in $i region(s), as configured"
else
	echo "NCT FAIL guest-memory-map the device tree gives $((dt / 1048576)) MiB in $i region(s), the cell $mib MiB"
fi
kib=$(sed -n 's/^MemTotal: *\([0-9]*\) kB$/\1/p' /proc/meminfo)
want=$((${mib:-0} * 1024))
if [ -n "$kib" ] && [ $((kib * 100)) -ge $((want * 80)) ] && [ "$kib" -le $want ]; then
	echo "NCT PASS guest-memory MemTotal $kib kB is $((kib * 100 / want))% of the cell's $mib MiB (80..100%)"
else
	echo "NCT FAIL guest-memory MemTotal '${kib}' kB, want 80..100% of the cell's ${mib:-?} MiB ($want kB)"
fi

# The 1-vCPU cell gets a line on its console (cell.stdin): the UART's
# receive path, through the guest's tty, into this shell.
if grep -q 'nc\.stdin=1' /proc/cmdline; then
	if read -t 15 line && [ "$line" = "nipcell console input 42" ]; then
		echo "NCT PASS console-input read '$line' from the console"
	else
		echo "NCT FAIL console-input want 'nipcell console input 42', got '$line'"
	fi
fi
