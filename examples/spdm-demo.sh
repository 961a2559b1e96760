#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# SPDM demo: the emulated PRoT (prot-device) and the update agent and
# verifier (prot-ua), two processes on an SMBus wire (a UNIX
# SOCK_SEQPACKET socket carrying DSP0237 frames), SPDM over MCTP (DSP0275).
#
# The device gets the test PKI's P-384 chain (root and leaf in PEM, the
# intermediate in DER) and the leaf's key for slot 0, and a firmware image
# made here, which it measures as index 2.
#
#   1. prot-ua discover        assigns the device's EID, reads what it
#                              supports (MCTP control protocol): exit 0;
#   2. prot-ua attest          with the P-384 root as trust anchor and
#                              --expect the image's SHA-384 (computed by
#                              sha384sum, not by our code): connect,
#                              certificate chain, challenge, signed
#                              measurements; must exit 0 (authenticated);
#   3. prot-ua attest --json   the same, as one JSON object;
#   4. prot-ua attest          with the unrelated root of tests/pki/other:
#                              must exit 4 (verification failure);
#   5. prot-ua measurements    with a wrong --expect digest: must exit 5
#                              (measurement mismatch);
#   6. the same device on the spdm-emu TCP protocol (DMTF spdm-emu's
#      socket framing, transport MCTP, a port the kernel picks):
#      prot-ua attest --spdm-emu must exit 0.
#
# Usage: spdm-demo.sh [-v]   (-v: libmctp debug logs from both programs)
# Run from the build tree (build/examples/spdm-demo.sh): the programs are
# looked for next to this script; the test PKI is the source tree's
# tests/pki, named in spdm-demo.env next to it (SPDM_DEMO_PKI overrides). Exits 0 when every step behaved as
# described above.
set -u

bindir=$(cd "$(dirname "$0")" && pwd)
device="$bindir/prot-device"
ua="$bindir/prot-ua"
TEST_PKI_DIR=
if [ -f "$bindir/spdm-demo.env" ]; then
	# shellcheck disable=SC1091 # made by examples/meson.build
	. "$bindir/spdm-demo.env"
fi
pki=${SPDM_DEMO_PKI:-$TEST_PKI_DIR}
for prog in "$device" "$ua"; do
	if [ ! -x "$prog" ]; then
		echo "spdm-demo: $prog not found; build first (meson compile -C build)" >&2
		exit 1
	fi
done
if [ ! -f "$pki/p384/root.cert.pem" ] || [ ! -f "$pki/other/root.cert.pem" ]; then
	echo "spdm-demo: test PKI not found in $pki (set SPDM_DEMO_PKI)" >&2
	exit 1
fi
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

# The emulated device's firmware image, and its digest as a verifier's
# reference value would give it.
fw="$tmp/firmware.bin"
printf 'PRoT demo firmware image, version 2.1.0\n' >"$fw"
i=0
while [ $i -lt 64 ]; do
	printf 'block %02d: emulated code and data of the demo firmware\n' $i >>"$fw"
	i=$((i + 1))
done
fw_sha384=$(sha384sum "$fw" | cut -d ' ' -f 1)
wrong_sha384=$(printf 'another firmware' | sha384sum | cut -d ' ' -f 1)

sock="$tmp/smbus.sock"
echo "\$ prot-device run --smbus $sock --slot0-certs $pki/p384/{root.cert.pem,inter.cert.der,leaf.cert.pem} --slot0-key $pki/p384/leaf.key.pem --firmware $fw"
# shellcheck disable=SC2086 # $verbose is empty or one word
"$device" run --smbus "$sock" --timeout 60 \
	--slot0-certs "$pki/p384/root.cert.pem,$pki/p384/inter.cert.der,$pki/p384/leaf.cert.pem" \
	--slot0-key "$pki/p384/leaf.key.pem" --firmware "$fw" $verbose &
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
	echo
	echo "\$ prot-ua $*"
	# shellcheck disable=SC2086
	"$ua" "$@" $verbose
	got=$?
	if [ "$got" -ne "$want" ]; then
		echo "spdm-demo: prot-ua $1 exited $got, expected $want" >&2
		rc=1
	else
		echo "(exit status $got, as expected)"
	fi
}

step 0 discover --smbus "$sock"
step 0 attest --smbus "$sock" --root "$pki/p384/root.cert.pem" \
	--expect "$fw_sha384"
echo
echo "\$ prot-ua attest --smbus $sock --root $pki/p384/root.cert.pem --expect ... --json"
json=$("$ua" attest --smbus "$sock" --root "$pki/p384/root.cert.pem" \
	--expect "$fw_sha384" --json)
got=$?
echo "$json"
if [ $got -ne 0 ]; then
	echo "spdm-demo: prot-ua attest --json exited $got, expected 0" >&2
	rc=1
fi
case $json in
*'"authenticated":true'*'"certificate":{"slot":0,"verified":true'*"$fw_sha384"*'"expect":{"matched":true}'*) ;;
*)
	echo "spdm-demo: the JSON lacks the verified chain, the firmware digest or the match" >&2
	rc=1
	;;
esac
echo
echo "Bad paths:"
step 4 attest --smbus "$sock" --root "$pki/other/root.cert.pem"
step 5 measurements --smbus "$sock" --root "$pki/p384/root.cert.pem" \
	--expect "$wrong_sha384"

# Stop the device: it exits 0 on SIGTERM.
stop_device() {
	kill "$dev_pid" 2>/dev/null
	wait "$dev_pid"
	dev_rc=$?
	dev_pid=
	if [ $dev_rc -ne 0 ]; then
		echo "spdm-demo: prot-device exited with status $dev_rc" >&2
		rc=1
	fi
}
stop_device

echo
echo "SPDM over the spdm-emu TCP protocol:"
log="$tmp/device-emu.log"
"$device" run --spdm-emu-listen 0 --timeout 60 \
	--slot0-certs "$pki/p384/root.cert.pem,$pki/p384/inter.cert.der,$pki/p384/leaf.cert.pem" \
	--slot0-key "$pki/p384/leaf.key.pem" --firmware "$fw" >"$log" 2>&1 &
dev_pid=$!
port=
i=0
while [ -z "$port" ] && kill -0 "$dev_pid" 2>/dev/null && [ $i -lt 50 ]; do
	sleep 0.1
	port=$(sed -n 's/.*spdm-emu requesters on .* port \([0-9][0-9]*\).*/\1/p' "$log")
	i=$((i + 1))
done
if [ -z "$port" ]; then
	cat "$log"
	echo "spdm-demo: prot-device --spdm-emu-listen did not start" >&2
	rc=1
else
	step 0 attest --spdm-emu "127.0.0.1:$port" \
		--root "$pki/p384/root.cert.pem" --expect "$fw_sha384"
fi
stop_device
cat "$log"
echo
if [ $rc -eq 0 ]; then
	echo "spdm-demo: OK (attestation over MCTP and over spdm-emu authenticated the device; the wrong root and the wrong firmware digest were refused)"
else
	echo "spdm-demo: FAILED" >&2
fi
exit $rc
