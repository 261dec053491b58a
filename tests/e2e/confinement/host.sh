# After both cells: what /proc showed of their threads, what they said on
# stderr, and the project's sandbox code path refusing new files
# (sandbox-probe, the same nc_sandbox_* functions run calls).
runner=$NC_SCENARIO/../runner
# The distinct values of one status field over every thread: "4242 4242 4242 4242".
field() { grep "^$1:" "$2" | cut -f2- | tr '\t' ' ' | sed 's/ *$//' | sort -u | tr '\n' '/' | sed 's|/$||'; }

# 1. The sandboxed cell: every thread filtered, nc-cell's ids, no capabilities.
if [ -s cell.tasks ]; then
	n=$(grep -c '^task ' cell.tasks)
	names=$(sed -n 's/^task [0-9]* //p' cell.tasks | sort | tr '\n' ' ')
	if [ "$(field Seccomp cell.tasks)" = 2 ] && [ "$n" -ge 5 ]; then
		echo "NCT PASS confinement-seccomp-every-thread $n threads, all Seccomp: 2 ($names)"
	else
		echo "NCT FAIL confinement-seccomp-every-thread Seccomp values '$(field Seccomp cell.tasks)' over $n threads ($names)"
	fi
	uids=$(field Uid cell.tasks) gids=$(field Gid cell.tasks)
	caps="$(field CapEff cell.tasks) $(field CapPrm cell.tasks) $(field CapBnd cell.tasks) $(field CapAmb cell.tasks)"
	if [ "$uids" = "4242 4242 4242 4242" ] && [ "$gids" = "4343 4343 4343 4343" ] &&
	   [ "$(field Groups cell.tasks)" = 4343 ] && [ "$(field NoNewPrivs cell.tasks)" = 1 ] &&
	   [ "$caps" = "0000000000000000 0000000000000000 0000000000000000 0000000000000000" ]; then
		echo "NCT PASS confinement-user every thread runs as nc-cell (uid 4242, gid 4343), no_new_privs, CapEff/CapPrm/CapBnd/CapAmb 0"
	else
		echo "NCT FAIL confinement-user Uid '$uids' Gid '$gids' Groups '$(field Groups cell.tasks)' NoNewPrivs '$(field NoNewPrivs cell.tasks)' caps '$caps'"
	fi
else
	echo "NCT FAIL confinement-seccomp-every-thread the running cell was never seen"
	echo "NCT FAIL confinement-user the running cell was never seen"
fi
if grep -q '^valve 0 blk0 requests=' cell.ctl 2>/dev/null && grep -qx ok cell.ctl; then
	echo "NCT PASS confinement-control the control socket answers under the sandbox"
else
	echo "NCT FAIL confinement-control stats: $(head -c 200 cell.ctl 2>/dev/null)"
fi
if grep -q '^nipcell-vmm: sandbox: seccomp on, Landlock ABI [1-9]' "$runner/cell.stderr" &&
   grep -q ', switched user' "$runner/cell.stderr"; then
	echo "NCT PASS confinement-run-says $(grep -o 'sandbox: .*' "$runner/cell.stderr")"
else
	echo "NCT FAIL confinement-run-says no 'sandbox: seccomp on, Landlock ABI ...' line on stderr"
fi

# 2. The cell without filters: run warns, and its threads show none.
if grep -q 'WARNING: \[sandbox\] seccomp = false' "$runner/cell-noseccomp.stderr" &&
   [ "$(field Seccomp cell-noseccomp.tasks)" = 0 ]; then
	echo "NCT PASS confinement-seccomp-off run warns, and its threads have no filter (Seccomp: 0)"
else
	echo "NCT FAIL confinement-seccomp-off warning or Seccomp '$(field Seccomp cell-noseccomp.tasks 2>/dev/null)'"
fi

# 3. What the filters cost: the VMM's start-up and the guest's I/O, on vs off.
start() { sed -n 's/.*; started in \([0-9.]*\) ms$/\1/p' "$runner/$1.stderr"; }
lock() { sed -n 's/.*; lockdown in \([0-9.]*\) ms$/\1/p' "$runner/$1.stderr"; }
on=$(start cell) off=$(start cell-noseccomp)
if [ -n "$on" ] && [ -n "$off" ]; then
	echo "NCT PASS confinement-cost VMM start-up $on ms with seccomp, $off ms without (ratio $(awk "BEGIN { printf \"%.2f\", $on / $off }")); of which the lockdown $(lock cell) ms and $(lock cell-noseccomp) ms; guest I/O in the two confinement-blk-io lines"
else
	echo "NCT FAIL confinement-cost no 'started in' line"
fi

# 4. The sandbox code path refuses new files and traps a forbidden call.
echo probe >probe.txt
out=$(sandbox-probe landlock "$PWD/probe.txt" 2>&1)
if [ $? = 0 ]; then
	echo "NCT PASS confinement-landlock-refuses $(echo "$out" | tr '\n' ';')"
else
	echo "NCT FAIL confinement-landlock-refuses $(echo "$out" | tr '\n' ';')"
fi
out=$(sandbox-probe seccomp 2>&1)
rc=$?
if [ $rc = 5 ] && echo "$out" | grep -q '^nipcell-vmm: seccomp: thread main made a forbidden system call: openat (nr 56)$'; then
	echo "NCT PASS confinement-seccomp-trap exit 5: $(echo "$out" | tail -n 1)"
else
	echo "NCT FAIL confinement-seccomp-trap exit $rc: $(echo "$out" | tr '\n' ';')"
fi

# 5. The filter's own cost per system call, in this host (sandbox-probe bench).
out=$(sandbox-probe bench 10000 2>&1)
if [ $? = 0 ]; then
	echo "NCT PASS confinement-filter-cost $out"
else
	echo "NCT FAIL confinement-filter-cost $out"
fi
