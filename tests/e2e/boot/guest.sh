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
