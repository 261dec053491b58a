# The cell powered off because the host asked (exit 0 was checked by
# vmm-exit-cell); the file the guest wrote without sync is on disk and the
# filesystem is clean.
err=$NC_SCENARIO/../runner/cell.stderr
if [ "$(cat shutdown.rc 2>/dev/null)" = 0 ] && [ "$(cat shutdown.out)" = ok ]; then
	echo "NCT PASS shutdown-requested nipcell-vmm ctl cell.sock shutdown answered ok"
else
	echo "NCT FAIL shutdown-requested ctl exited '$(cat shutdown.rc 2>/dev/null)': $(cat shutdown.out 2>/dev/null | tr '\n' ' ')"
fi
if grep -q 'File not found' before.txt 2>/dev/null; then
	echo "NCT PASS shutdown-not-on-disk-before /unsynced.txt was not in disk.img before the request"
else
	echo "NCT FAIL shutdown-not-on-disk-before before the request debugfs said: $(head -2 before.txt 2>/dev/null | tr '\n' ' ')"
fi
why=$(grep -o 'nipcell-vmm: guest powered off (vcpu [0-9]*) after' "$err" 2>/dev/null)
if [ -n "$why" ]; then
	echo "NCT PASS shutdown-powered-off ${why#nipcell-vmm: }"
else
	echo "NCT FAIL shutdown-powered-off nipcell-vmm's exit line: $(grep ' after ' "$err" | head -1)"
fi
if out=$(e2fsck -fn disk.img 2>&1); then
	echo "NCT PASS shutdown-fs-clean e2fsck -fn: $(echo "$out" | tail -1)"
else
	echo "NCT FAIL shutdown-fs-clean e2fsck -fn: $(echo "$out" | tail -3 | tr '\n' ' ')"
fi
want=$(yes "nipcell shutdown unsynced 0123456789" | head -c 65536 | md5sum | cut -d' ' -f1)
got=$(debugfs -R 'cat /unsynced.txt' disk.img 2>/dev/null | md5sum | cut -d' ' -f1)
if [ "$got" = "$want" ]; then
	echo "NCT PASS shutdown-file-intact /unsynced.txt read from disk.img by debugfs matches"
else
	echo "NCT FAIL shutdown-file-intact /unsynced.txt md5 $got, want $want"
fi

# The metrics the running cell answered (setup.sh): data only, no closing
# ok, with the vCPU's MMIO exits (the console) and blk0's requests counted.
mmio=$(sed -n 's/.*"vcpu": 0, "exits": {"mmio": \([0-9]*\),.*/\1/p' stats.json 2>/dev/null)
req=$(sed -n 's/.*"name": "blk0", "type": "blk", "requests": \([0-9]*\),.*/\1/p' stats.json 2>/dev/null)
prom=$(sed -n 's/^nipcell_vcpu_exits_total{vcpu="0",reason="mmio"} \([0-9]*\)$/\1/p' metrics.prom 2>/dev/null)
if [ "${mmio:-0}" -gt 0 ] && [ "${req:-0}" -gt 0 ] && [ "${prom:-0}" -gt 0 ] &&
   [ "$(tail -c 3 stats.json)" = "]}" ] && grep -q '^# TYPE nipcell_vcpu_exits_total counter$' metrics.prom &&
   ! grep -q '^ok$' metrics.prom; then
	echo "NCT PASS shutdown-metrics stats --json: vcpu 0 mmio exits $mmio, blk0 requests $req; metrics: mmio $prom"
else
	echo "NCT FAIL shutdown-metrics stats.json: $(head -c 200 stats.json 2>/dev/null); metrics.prom: $(grep -c . metrics.prom 2>/dev/null) lines"
fi

# run -v --report, then run -q, on a cell that powers off by itself.
rm -f report.json
nipcell-vmm run -v --report report.json quick.toml >quick.out 2>quick.err
rc=$?
if [ $rc = 0 ] && grep -q '"stop": "poweroff", "stop_message": "guest powered off (vcpu 0)", "exit_status": 0, ' report.json &&
   grep -q '"guest_reported": true, "guest_exit": 0, "guest_failed_checks": 0, ' report.json &&
   grep -q '"vcpus": \[{"vcpu": 0, "exits": {"mmio": [1-9]' report.json; then
	echo "NCT PASS run-report report.json: $(grep -o '"stop": "[a-z]*"' report.json), $(grep -o '"run_seconds": [0-9.]*' report.json)"
else
	echo "NCT FAIL run-report exit $rc, report.json: $(head -c 300 report.json 2>/dev/null)"
fi
steps=$(grep -c '^nipcell-vmm: step: ' quick.err)
if [ "$steps" -ge 3 ] && grep -q '^nipcell-vmm: guest powered off (vcpu 0) after' quick.err; then
	echo "NCT PASS run-verbose -v printed $steps timed steps, e.g. '$(grep -m1 'step: ' quick.err | sed 's/^nipcell-vmm: step: *//; s/  */ /g')'"
else
	echo "NCT FAIL run-verbose $steps step lines: $(head -3 quick.err | tr '\n' '|')"
fi
nipcell-vmm run -q quick.toml >quick-q.out 2>quick-q.err
rc=$?
if [ $rc = 0 ] && [ ! -s quick-q.err ] && grep -q 'NCT PASS init-reached' quick-q.out; then
	echo "NCT PASS run-quiet -q: exit 0, nothing on stderr"
else
	echo "NCT FAIL run-quiet exit $rc, stderr: $(head -3 quick-q.err | tr '\n' '|')"
fi
