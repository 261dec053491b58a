# nexus_ion refused the window: no bridge device may exist.
for d in /sys/block/nxblk0 /sys/class/net/nx0; do
	if [ -e "$d" ]; then
		echo "NCT FAIL bad-magic-no-devices $d exists although nexus_ion refused"
		exit 0
	fi
done
echo "NCT PASS bad-magic-no-devices no nxblk0, no nx0"
