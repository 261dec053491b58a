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

# 1b. The cell that restarts: the first guest's threads, and after the crash
# the new guest's, whose vCPU threads are new (other TIDs) and carry two
# filters (main-restart, inherited, and their own vcpu one); all Seccomp: 2.
# "NAME TID FILTERS" per vCPU thread of a tasks file.
vcpus() {
	awk '/^task / { name = $3; tid = $2 } /^Seccomp_filters:/ && name ~ /^nc-vcpu/ { print name, tid, $2 }' "$1" | sort
}
if [ -s cell-restart.before.tasks ] && [ -s cell-restart.tasks ]; then
	n=$(grep -c '^task ' cell-restart.tasks)
	names=$(sed -n 's/^task [0-9]* //p' cell-restart.tasks | sort | tr '\n' ' ')
	before=$(vcpus cell-restart.before.tasks | tr '\n' ' ') after=$(vcpus cell-restart.tasks | tr '\n' ' ')
	old_tids=$(vcpus cell-restart.before.tasks | cut -d' ' -f2 | sort)
	new_tids=$(vcpus cell-restart.tasks | cut -d' ' -f2 | sort)
	if [ "$(field Seccomp cell-restart.before.tasks)" = 2 ] && [ "$(field Seccomp cell-restart.tasks)" = 2 ] &&
	   [ "$n" -ge 5 ] && [ "$(vcpus cell-restart.tasks | cut -d' ' -f1 | tr '\n' ' ')" = "nc-vcpu0 nc-vcpu1 " ] &&
	   [ "$(vcpus cell-restart.tasks | cut -d' ' -f3 | sort -u)" = 2 ] &&
	   [ -z "$(printf '%s\n%s\n' "$old_tids" "$new_tids" | sort | uniq -d)" ]; then
		echo "NCT PASS confinement-restart-every-thread after the restart $n threads, all Seccomp: 2 ($names); vCPU threads (name tid filters) before: $before; after: $after"
	else
		echo "NCT FAIL confinement-restart-every-thread Seccomp before '$(field Seccomp cell-restart.before.tasks)' after '$(field Seccomp cell-restart.tasks)' over $n threads ($names); vCPUs before: $before; after: $after"
	fi
	uids=$(field Uid cell-restart.tasks) gids=$(field Gid cell-restart.tasks)
	caps="$(field CapEff cell-restart.tasks) $(field CapPrm cell-restart.tasks) $(field CapAmb cell-restart.tasks)"
	if [ "$uids" = "4242 4242 4242 4242" ] && [ "$gids" = "4343 4343 4343 4343" ] &&
	   [ "$(field NoNewPrivs cell-restart.tasks)" = 1 ] &&
	   [ "$caps" = "0000000000000000 0000000000000000 0000000000000000" ]; then
		echo "NCT PASS confinement-restart-user after the restart every thread runs as nc-cell (uid 4242, gid 4343), no_new_privs, CapEff/CapPrm/CapAmb 0"
	else
		echo "NCT FAIL confinement-restart-user Uid '$uids' Gid '$gids' NoNewPrivs '$(field NoNewPrivs cell-restart.tasks)' caps '$caps'"
	fi
else
	echo "NCT FAIL confinement-restart-every-thread the cell was not seen before and after its restart ($(cat ttyS1-restart.log 2>/dev/null | tr '\n' ';'))"
	echo "NCT FAIL confinement-restart-user the cell was not seen after its restart"
fi
err=$runner/cell-restart.stderr
if grep -q '^nipcell-vmm: sandbox: seccomp on, Landlock ABI [1-9]' "$err" &&
   grep -q 'restart 1 of 1, a new guest started' "$err" && grep -q 'cell restarts=1 ' "$err" &&
   ! grep -q 'WARNING' "$err" && grep -q '^cell restarts=1$' cell-restart.ctl &&
   [ "$(grep -c 'confinement-restart boot' ttyS1-restart.log)" = 2 ]; then
	echo "NCT PASS confinement-restart-run-says $(grep -o 'sandbox: .*' "$err"); $(grep -o 'restart 1 of 1.*' "$err"); no WARNING; both guests wrote to the serial file opened at setup"
else
	echo "NCT FAIL confinement-restart-run-says $(grep -E 'sandbox|restart|WARNING' "$err" | tr '\n' ';'); stats '$(grep restarts cell-restart.ctl)'; ttyS1: $(tr '\n' ';' <ttyS1-restart.log)"
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
