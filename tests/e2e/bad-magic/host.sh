# The guest never bound, so the valves saw no request and the disk is untouched.
if [ -z "$(tr -d '\0' <disk.img | head -c 1)" ]; then
	echo "NCT PASS bad-magic-disk-untouched disk.img still all zeros"
else
	echo "NCT FAIL bad-magic-disk-untouched disk.img was written"
fi
