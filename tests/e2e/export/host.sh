# After the cells: the backing itself, read by the host directly (the first
# cell's disk.img, which the guest served as nxblk0), and the figures.
. ./common.sh
i=0
while [ ! -f driver.done ] && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
[ -f driver.done ] || echo "NCT FAIL export-driver setup.sh's driver did not finish"
cat driver.markers
if out=$(e2fsck -fn disk.img 2>&1); then
	echo "NCT PASS export-backing-e2fsck disk.img: $(echo "$out" | tail -1)"
else
	echo "NCT FAIL export-backing-e2fsck disk.img: $(echo "$out" | tail -3 | tr '\n' ' ')"
fi
bad=0 n=0
for i in $(cat acked 2>/dev/null); do
	n=$((n + 1))
	[ "$(debugfs -R "cat /f$i" disk.img 2>/dev/null | nc_md5)" = "$(nc_pattern "file $i" $((NC_FILE_KIB * 1024)) | nc_md5)" ] ||
		bad=$((bad + 1))
done
if [ "$n" -gt 0 ] && [ "$bad" = 0 ]; then
	echo "NCT PASS export-backing-files all $n acknowledged files are in disk.img (debugfs)"
else
	echo "NCT FAIL export-backing-files $bad of $n acknowledged files differ in disk.img"
fi
restart=$(grep -h 'restart 1 of' "$NC_SCENARIO/../runner/cell.stderr" 2>/dev/null | sed 's/^nipcell-vmm: //')
echo "NCT INFO export-figures $(cat figures 2>/dev/null | tr '\n' ' ') vmm: ${restart:-no restart line}"
