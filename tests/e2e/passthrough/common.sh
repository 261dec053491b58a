# Shared by setup.sh, host.sh and guest.sh.
NC_PAT_AT_MIB=40		# the pattern's offset on each NVMe
NC_PAT_MIB=4
NC_FS_BLOCKS=32768		# ext2 on the first 32 MiB (1 KiB blocks)
NC_CELL_IP=10.77.0.1
NC_PEER_IP=10.77.0.2
# Ports of the TCP streams (NIC cells 3 and 5: TAG msix, intx): the upload
# (the peer listens) and the download (the cell listens).
nc_port_up() { case $1 in msix) echo 5077 ;; *) echo 5079 ;; esac; }
nc_port_down() { case $1 in msix) echo 5078 ;; *) echo 5080 ;; esac; }
NC_NET_BYTES=4194304		# each way
nc_pattern() {	# TAG BYTES: the same bytes everywhere
	yes "nipcell passthrough $1 pattern 0123456789abcdef" | head -c "$2"
}
nc_md5() { md5sum | cut -d' ' -f1; }
NC_FIG_AT_SECTOR=$((60 * 2048))	# where the cell leaves its figure on nvB
# randread_qd32 DEV NAME: 4 KiB O_DIRECT random reads, 32 in flight, 5 s;
# prints the IOPS (empty on failure).
randread_qd32() {
	ioload -d "$1" -n "$2" -m rand -b 4096 -q 32 -t 5 2>/dev/null |
		sed -n 's/^@@ end .* iops=\([0-9]*\).* errors=0.*/\1/p'
}
