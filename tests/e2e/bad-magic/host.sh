# The guest never bound, so the valves saw no request and the disk is untouched.
if [ -z "$(tr -d '\0' <disk.img | head -c 1)" ]; then
	echo "NCT PASS bad-magic-disk-untouched disk.img still all zeros"
else
	echo "NCT FAIL bad-magic-disk-untouched disk.img was written"
fi
# nipcell-vmm's exit report (kept by scenario-run in runner/cell.stderr):
# three valves, none of which saw a doorbell or a request.
st=$NC_SCENARIO/../runner/cell.stderr
nv=$(grep -c '^nipcell-vmm: valve ' "$st" 2>/dev/null)
busy=$(grep '^nipcell-vmm: valve ' "$st" 2>/dev/null | grep -v ' requests=0 bytes=0 doorbells=0 ')
if [ "$nv" = 3 ] && [ -z "$busy" ]; then
	echo "NCT PASS bad-magic-valves-idle blk0, net0, input0: no doorbell, no request"
else
	echo "NCT FAIL bad-magic-valves-idle $nv valve lines in $st, busy: $(echo "$busy" | tr '\n' ';')"
fi
