#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# SPDM demo (first cut): the emulated PRoT (prot-device) and the update
# agent (prot-ua), two processes on an SMBus wire (a UNIX SOCK_SEQPACKET
# socket carrying DSP0237 frames).
#
#   1. prot-ua discover          assigns the device's EID and reads what it
#                                supports (MCTP control protocol);
#   2. prot-ua attest            discovers again, then opens an SPDM
#                                connection over MCTP (DSP0275): version,
#                                capabilities, algorithms. It must exit 3:
#                                the device is NOT verified yet
#                                (certificates, challenge and measurements
#                                are still to come);
#   3. prot-ua attest --json     the same, as one JSON object.
#
# Usage: spdm-demo.sh [-v]   (-v: libmctp debug logs from both programs)
# Run from the build tree (build/examples/spdm-demo.sh): the programs are
# looked for next to this script. Exits 0 when every step behaved as
# described above.
set -u

bindir=$(cd "$(dirname "$0")" && pwd)
device="$bindir/prot-device"
ua="$bindir/prot-ua"
for prog in "$device" "$ua"; do
	if [ ! -x "$prog" ]; then
		echo "spdm-demo: $prog not found; build first (meson compile -C build)" >&2
		exit 1
	fi
done
verbose=
if [ "${1:-}" = "-v" ]; then
	verbose=-v
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/spdm-demo.XXXXXX") || exit 1
dev_pid=
# shellcheck disable=SC2317 # called by the trap
cleanup() {
	if [ -n "$dev_pid" ]; then
		kill "$dev_pid" 2>/dev/null
		wait "$dev_pid" 2>/dev/null
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

sock="$tmp/smbus.sock"
# shellcheck disable=SC2086 # $verbose is empty or one word
"$device" run --smbus "$sock" --timeout 60 $verbose &
dev_pid=$!
i=0
while [ ! -S "$sock" ] && kill -0 "$dev_pid" 2>/dev/null && [ $i -lt 50 ]; do
	sleep 0.1
	i=$((i + 1))
done

rc=0
step() {
	want=$1
	shift
	echo "\$ prot-ua $*"
	# shellcheck disable=SC2086
	"$ua" "$@" $verbose
	got=$?
	if [ "$got" -ne "$want" ]; then
		echo "spdm-demo: prot-ua $1 exited $got, expected $want" >&2
		rc=1
	fi
}

step 0 discover --smbus "$sock"
step 3 attest --smbus "$sock"
json=$("$ua" attest --smbus "$sock" --json)
got=$?
echo "\$ prot-ua attest --smbus $sock --json"
echo "$json"
if [ $got -ne 3 ]; then
	echo "spdm-demo: prot-ua attest --json exited $got, expected 3" >&2
	rc=1
fi
case $json in
*'"spdm":{"version":'*'"verified":false'*) ;;
*)
	echo "spdm-demo: the JSON lacks the SPDM connection or verified:false" >&2
	rc=1
	;;
esac

# Stop the device: it exits 0 on SIGTERM.
kill "$dev_pid" 2>/dev/null
wait "$dev_pid"
dev_rc=$?
dev_pid=
if [ $dev_rc -ne 0 ]; then
	echo "spdm-demo: prot-device exited with status $dev_rc" >&2
	rc=1
fi
if [ $rc -eq 0 ]; then
	echo "spdm-demo: OK (MCTP discovery and SPDM connection; attestation itself is not implemented yet)"
else
	echo "spdm-demo: FAILED" >&2
fi
exit $rc
