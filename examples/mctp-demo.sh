#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# MCTP demo: an endpoint and a bus owner, two processes, talk MCTP over an
# SMBus wire (a UNIX SOCK_SEQPACKET socket carrying DSP0237 frames) and a
# serial line (a pseudo-terminal carrying DSP0253 frames). The bus owner
# assigns the endpoint's EID, discovers it with the control protocol and
# checks a multi-packet echo on each link.
#
# Usage: mctp-demo.sh [bus owner options, e.g. --size 4096 or -v]
# Run from the build tree (build/examples/mctp-demo.sh): the programs are
# looked for next to this script. Exits 0 when both processes succeed.
set -u

bindir=$(cd "$(dirname "$0")" && pwd)
endpoint="$bindir/mctp-endpoint"
busowner="$bindir/mctp-busowner"
for prog in "$endpoint" "$busowner"; do
	if [ ! -x "$prog" ]; then
		echo "mctp-demo: $prog not found; build first (meson compile -C build)" >&2
		exit 1
	fi
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/mctp-demo.XXXXXX") || exit 1
ep_pid=
# shellcheck disable=SC2317 # called by the trap
cleanup() {
	if [ -n "$ep_pid" ]; then
		kill "$ep_pid" 2>/dev/null
		wait "$ep_pid" 2>/dev/null
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

"$endpoint" --smbus "$tmp/smbus.sock" --serial "$tmp/tty" --timeout 60 &
ep_pid=$!

# Let the endpoint announce itself before the bus owner starts talking
# (the bus owner would wait for it anyway; this only keeps the output in
# order).
i=0
while { [ ! -S "$tmp/smbus.sock" ] || [ ! -L "$tmp/tty" ]; } &&
	kill -0 "$ep_pid" 2>/dev/null && [ $i -lt 50 ]; do
	sleep 0.1
	i=$((i + 1))
done

# The bus owner waits for the endpoint's socket and line to appear.
"$busowner" --smbus "$tmp/smbus.sock" --serial "$tmp/tty" --timeout 20 "$@"
rc=$?

# The endpoint exits by itself once the bus owner has hung up on both
# links; give it a few seconds, then stop it.
i=0
while kill -0 "$ep_pid" 2>/dev/null && [ $i -lt 50 ]; do
	sleep 0.1
	i=$((i + 1))
done
stuck=0
if kill -0 "$ep_pid" 2>/dev/null; then
	echo "mctp-demo: endpoint did not notice the hang-up; stopping it" >&2
	kill "$ep_pid"
	stuck=1
fi
wait "$ep_pid"
ep_rc=$?
ep_pid=
[ $stuck -eq 1 ] && ep_rc=1

if [ $rc -eq 0 ] && [ $ep_rc -ne 0 ]; then
	echo "mctp-demo: endpoint exited with status $ep_rc" >&2
	rc=1
fi
if [ $rc -eq 0 ]; then
	echo "mctp-demo: OK"
else
	echo "mctp-demo: FAILED (status $rc)" >&2
fi
exit $rc
