# Shared by setup.sh, host.sh and guest.sh.
NC_CELL_IP=10.77.1.1		# the cell's bridge br0 (only for its own checks)
NC_PEER_IP=10.77.1.2		# the far NIC, in the host's namespace "peer"
NC_HOST_IP=10.77.1.3		# the host's tap, the cell's nx0 behind it
NC_PORT_UP=5081			# host -> peer: the peer listens
NC_PORT_DOWN=5082		# peer -> host: the host listens
NC_PORT_DONE=5089		# host -> cell: "done", the guest may power off
NC_NET_BYTES=4194304		# each way
nc_pattern() {	# TAG BYTES: the same bytes everywhere
	yes "nipcell network driver cell $1 pattern 0123456789abcdef" | head -c "$2"
}
nc_md5() { md5sum | cut -d' ' -f1; }
# Seconds since boot, as an integer.
nc_uptime() { cut -d. -f1 /proc/uptime; }
