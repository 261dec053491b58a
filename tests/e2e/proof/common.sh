# Shared by setup.sh, guest.sh and host.sh of the proof scenario: the
# addresses, ports and deterministic data both sides generate and compare.
# The network exists only between the arm64 host and its cell (a tap).
NC_HOST_IP=169.254.77.1
NC_GUEST_IP=169.254.77.2
NC_PORT_UP=7001			# guest -> host transfer
NC_PORT_DOWN=7002		# host -> guest transfer
NC_NET_BYTES=4194304		# 4 MiB each way
NC_BLK_PATTERN_MIB=8		# pattern at the end of the disk
NC_BLK_PATTERN_AT_MIB=56	# ... from this MiB on
NC_BLK_FS_KIB=49152		# ext2 in the first 48 MiB
NC_BLK_DISCARD_AT_MIB=50	# 1 MiB discarded (a hole in the image)
NC_BLK_ZERO_AT_MIB=52		# 1 MiB write-zeroes
NC_DISK_MIB=64
NC_RO_MIB=4			# the read-only disk, nxblk1

# nc_pattern TAG BYTES: the same bytes on every host and guest.
nc_pattern() {
	yes "nipcell $1 pattern 0123456789abcdef" | head -c "$2"
}

nc_md5() {
	md5sum | cut -d' ' -f1
}
