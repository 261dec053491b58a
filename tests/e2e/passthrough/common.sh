# Shared by setup.sh, host.sh and guest.sh.
NC_PAT_AT_MIB=40		# the pattern's offset on each NVMe
NC_PAT_MIB=4
NC_FS_BLOCKS=32768		# ext2 on the first 32 MiB (1 KiB blocks)
NC_CELL_IP=10.77.0.1
NC_PEER_IP=10.77.0.2
NC_PORT=5077
NC_NET_BYTES=1048576
nc_pattern() {	# TAG BYTES: the same bytes everywhere
	yes "nipcell passthrough $1 pattern 0123456789abcdef" | head -c "$2"
}
nc_md5() { md5sum | cut -d' ' -f1; }
