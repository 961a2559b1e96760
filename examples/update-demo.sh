#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# The end-to-end secure firmware update (the project's main demo): the
# vendor signs firmware, an emulated Platform Root of Trust (prot-device)
# boots it, and an update agent and verifier (prot-ua, the BMC's role)
# attests the device with SPDM and updates it with PLDM, both over MCTP on
# an emulated SMBus wire (a UNIX socket). Every command is printed before
# it runs, as in a tutorial (docs/tutorial.md walks the same steps).
#
#   vendor    prot-pkg keygen (the vendor key and an unknown one), sign
#             firmware 1.0 (SVN 1), 1.1 (SVN 2), 1.2 (SVN 2; and 1.2 with
#             SVN 1, and 1.2 signed by the unknown key), create packages;
#   1. provision a device with 1.0, run it;
#   2. prot-ua discover, then attest: trusted, firmware digest = 1.0's;
#   3. prot-ua update to 1.1 (progress lines), the device reboots into it;
#   4. attest again: the digest is 1.1's, as in the package;
#   bad paths, each refused while the device keeps running 1.1 (attested
#   after each): a tampered package (prot-ua exit 7), a package signed by
#   the unknown key (the device refuses: exit 6), 1.2 with SVN 1, below
#   the device's floor 2 (exit 6), and an update to 1.2 whose device is
#   killed (SIGKILL) mid-transfer: the restarted device boots 1.1, the
#   retried update completes and attest shows 1.2.
#
# Ends with a summary, one line per step, and exits 0 only if every step
# behaved as expected. Everything happens in a temporary directory
# (removed on exit); no TCP port is used.
#
# Usage: update-demo.sh   (from the build tree: build/examples/; the
# programs are looked for next to this script, the test PKI (the device's
# identity and the verifier's root) is the source tree's tests/pki, named
# in spdm-demo.env next to it; UPDATE_DEMO_PKI overrides)
set -u

bindir=$(cd "$(dirname "$0")" && pwd)
TEST_PKI_DIR=
if [ -f "$bindir/spdm-demo.env" ]; then
	# shellcheck disable=SC1091 # made by examples/meson.build
	. "$bindir/spdm-demo.env"
fi
pki=${UPDATE_DEMO_PKI:-$TEST_PKI_DIR}
for prog in prot-pkg prot-device prot-ua; do
	if [ ! -x "$bindir/$prog" ]; then
		echo "update-demo: $bindir/$prog not found; build first (meson compile -C build)" >&2
		exit 1
	fi
done
if [ ! -f "$pki/p384/root.cert.pem" ]; then
	echo "update-demo: test PKI not found in $pki (set UPDATE_DEMO_PKI)" >&2
	exit 1
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/update-demo.XXXXXX") || exit 1
dev_pid=
ua_pid=
# shellcheck disable=SC2317 # called by the trap
cleanup() {
	for p in $ua_pid $dev_pid; do
		kill "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
cd "$tmp" || exit 1

start=$(date +%s)
rc=0
summary=
# note LABEL OK|FAILED: one line of the summary.
note() {
	summary="$summary$(printf '  %-7s %s' "$2" "$1")
"
	if [ "$2" != ok ]; then
		rc=1
	fi
}

# x PROGRAM ARGS...: print the command as typed in this directory, run it.
x() {
	echo "\$ $*"
	prog=$1
	shift
	"$bindir/$prog" "$@"
}

# After the first discover, prot-ua's discovery lines (the same each time)
# are left out of what is shown.
brief=0
shown() {
	if [ $brief -eq 1 ]; then
		grep -v -e '^Set Endpoint ID' -e '^Get Endpoint' -e '^Get MCTP' \
			-e '^Get Message Type' -e '^  accepted, EID' -e '^  EID [0-9]' \
			-e '^  UUID ' -e '^  versions ' -e '^  0x0[0-9] [a-zA-Z]' "$1"
	else
		cat "$1"
	fi
}

# step LABEL WANT PROGRAM ARGS...: run, the exit status must be WANT.
# The step labelled $on_terminal writes to the terminal directly, if
# there is one (prot-ua draws a progress bar there, plain lines otherwise).
on_terminal=
step() {
	label=$1
	want=$2
	shift 2
	echo
	if [ "$label" = "$on_terminal" ] && [ -t 1 ]; then
		# On a terminal: prot-ua's own output, with its progress bar.
		x "$@"
		got=$?
	else
		x "$@" >step.out 2>&1
		got=$?
		shown step.out
	fi
	if [ "$got" -eq "$want" ]; then
		echo "(exit status $got, as expected)"
		note "$label (exit $got)" ok
	else
		echo "update-demo: exit status $got, expected $want" >&2
		note "$label (exit $got, expected $want)" FAILED
	fi
}

# The device's output (its log file), from the line after the last shown,
# without the lines every connection prints. A running device ends each
# agent's session with a line "EID 9; N MCTP messages in ...": wait for it
# (at most 5 s) so that what the session caused is shown with it.
log_seen=0
device_log() {
	i=0
	while [ -n "$dev_pid" ] && kill -0 "$dev_pid" 2>/dev/null &&
		! tail -n 1 device.log | grep -q -e 'MCTP messages in' \
			-e 'listening on' -e 'stopped by' && [ $i -lt 50 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	n=$(wc -l <device.log)
	if [ "$n" -gt "$log_seen" ]; then
		sed -n "$((log_seen + 1)),${n}p" device.log |
			grep -v -e 'update agent connected' -e 'set our EID to' \
				-e 'update agent hung up' -e 'MCTP messages in' \
				-e 'SPDM 1.3 connection negotiated' |
			sed 's/^/  [device] /'
		log_seen=$n
	fi
}

start_device() {
	before=$(grep -c 'listening on' device.log 2>/dev/null)
	echo
	echo "\$ prot-device run --state dev --smbus smbus.sock &"
	"$bindir/prot-device" run --state dev --smbus smbus.sock \
		--timeout 300 >>device.log 2>&1 &
	dev_pid=$!
	i=0
	while [ "$(grep -c 'listening on' device.log)" -le "${before:-0}" ] &&
		kill -0 "$dev_pid" 2>/dev/null && [ $i -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	device_log
	if grep -q 'listening on' device.log && kill -0 "$dev_pid" 2>/dev/null; then
		return 0
	fi
	return 1
}

# attest LABEL DIGEST VERSION [full]: the device is trusted and runs
# DIGEST. Only the firmware measurement and the verdict are shown, unless
# "full".
attest() {
	echo
	x prot-ua attest --smbus smbus.sock --root root.pem --expect "$2" \
		>attest.out 2>&1
	got=$?
	if [ "${4:-}" = full ]; then
		shown attest.out
	else
		echo "(as above; the firmware measurement and the verdict:)"
		grep -e 'type 0x01 mutable firmware' -e 'matches --expect' \
			-e '^VERDICT' -e 'prot-ua:' attest.out
	fi
	if [ $got -eq 0 ] && grep -q '^VERDICT: AUTHENTICATED' attest.out; then
		echo "trusted: the certified device runs firmware $3 (digest $(echo "$2" | cut -c1-16)...)"
		note "$1: trusted, runs $3" ok
	else
		echo "update-demo: attest exited $got: the device does not run $3 or is not trusted" >&2
		note "$1: expected trusted $3 (exit $got)" FAILED
	fi
}

# payload_digest FILE: what the device measures (index 2), from the
# image header of FILE (an image or a one-component package).
payload_digest() {
	"$bindir/prot-pkg" verify --json "$1" |
		sed -n 's/.*"ImagePayloadDigest": *"\([0-9a-f]*\)".*/\1/p' | head -n 1
}

# firmware NAME SIZE: a deterministic "binary" of SIZE bytes.
firmware() {
	yes "PRoT demo firmware $1: code and data" | head -c "$2" >"fw-$1.bin"
}

echo "== The vendor: keys, signed images, packages (in $tmp) =="
ok=1
echo
x prot-pkg keygen --out-key vendor.key --out-pub vendor.pub || ok=0
x prot-pkg keygen --out-key unknown.key --out-pub unknown.pub || ok=0
# 1.1 and 1.2 are 4 MiB: long enough to cut the power mid-transfer.
firmware 1.0 65536
firmware 1.1 4194304
firmware 1.2 4194304
firmware 1.2-small 65536
echo "(firmware binaries: fw-1.0.bin 64 KiB, fw-1.1.bin and fw-1.2.bin 4 MiB, fw-1.2-small.bin 64 KiB)"
x prot-pkg sign --key vendor.key --component 1 --version 1.0.0 --svn 1 \
	--in fw-1.0.bin --out fw-1.0.img || ok=0
x prot-pkg sign --key vendor.key --component 1 --version 1.1.0 --svn 2 \
	--in fw-1.1.bin --out fw-1.1.img || ok=0
x prot-pkg sign --key vendor.key --component 1 --version 1.2.0 --svn 2 \
	--in fw-1.2.bin --out fw-1.2.img || ok=0
x prot-pkg sign --key vendor.key --component 1 --version 1.2.0 --svn 1 \
	--in fw-1.2-small.bin --out fw-1.2-svn1.img || ok=0
x prot-pkg sign --key unknown.key --component 1 --version 1.2.0 --svn 2 \
	--in fw-1.2-small.bin --out fw-1.2-unknown-key.img || ok=0
for p in 1.1 1.2 1.2-svn1; do
	x prot-pkg create --out "fw-$p.pldm" --descriptor 0x0001=D5B40000 \
		--image "fw-$p.img" --pub vendor.pub || ok=0
done
# The unknown signer's own package: valid, but not from our vendor.
x prot-pkg create --out fw-1.2-unknown-key.pldm --descriptor 0x0001=D5B40000 \
	--image fw-1.2-unknown-key.img || ok=0
# A tampered package: one byte of the 1.1 image flipped.
cp fw-1.1.pldm fw-1.1-tampered.pldm
size=$(wc -c <fw-1.1-tampered.pldm)
echo "\$ printf X | dd of=fw-1.1-tampered.pldm bs=1 seek=$((size - 1000)) conv=notrunc"
printf X | dd of=fw-1.1-tampered.pldm bs=1 seek=$((size - 1000)) \
	conv=notrunc 2>/dev/null || ok=0
x prot-pkg verify --json fw-1.0.img || ok=0
d10=$(payload_digest fw-1.0.img)
d11=$(payload_digest fw-1.1.pldm)
d12=$(payload_digest fw-1.2.pldm)
echo "digests the device will measure (ImagePayloadDigest of prot-pkg verify --json):"
echo "  1.0  $d10"
echo "  1.1  $d11"
echo "  1.2  $d12"
if [ $ok -eq 1 ] && [ -n "$d10" ] && [ -n "$d11" ] && [ -n "$d12" ]; then
	note "vendor: keys, 5 signed images, 4 packages, 1 tampered copy" ok
else
	note "vendor: keys, images and packages" FAILED
	echo "update-demo: could not make the keys, images or packages" >&2
	echo "$summary"
	exit 1
fi
# The verifier's trust anchor: the root CA of the device's identity.
cp "$pki/p384/root.cert.pem" root.pem

echo
echo "== 1. Provision a device with firmware 1.0 and start it =="
echo
x prot-device provision --state dev --vendor-pub vendor.pub \
	--image fw-1.0.img --bank-size 8388608
got=$?
if [ $got -eq 0 ]; then
	note "1. provision the device with 1.0 (vendor key hash in OTP, SVN floor 1)" ok
else
	note "1. provision (exit $got)" FAILED
fi
: >device.log
if start_device; then
	note "1. the device boots 1.0 and listens on smbus.sock" ok
else
	note "1. the device did not start" FAILED
	echo "$summary"
	exit 1
fi

echo
echo "== 2. Discover and attest =="
step "2. discover: EID assigned, PLDM and SPDM supported" 0 \
	prot-ua discover --smbus smbus.sock
brief=1
echo "(from here on, the discovery lines that every prot-ua command prints first are left out)"
attest "2. attest" "$d10" 1.0 full

echo
echo "== 3. Update to 1.1 =="
on_terminal="3. update to 1.1 (PLDM, activate, the device reboots)"
step "$on_terminal" 0 \
	prot-ua update fw-1.1.pldm --smbus smbus.sock
device_log

echo
echo "== 4. Attest again: the new digest matches the package =="
attest "4. attest after the update" "$d11" 1.1 full

echo
echo "== Bad paths: each refused, the device keeps running 1.1 =="
echo
echo "-- a tampered package (one byte of the image changed):"
step "bad: tampered package refused by prot-ua" 7 \
	prot-ua update fw-1.1-tampered.pldm --smbus smbus.sock
attest "bad: still 1.1 after the tampered package" "$d11" 1.1
echo
echo "-- a package signed by a key the device does not know:"
step "bad: unknown signer refused by the device" 6 \
	prot-ua update fw-1.2-unknown-key.pldm --smbus smbus.sock
device_log
echo "(VerifyComplete 0x03: the image failed the device's security checks: not signed by the vendor key in its OTP)"
attest "bad: still 1.1 after the unknown signer" "$d11" 1.1
echo
echo "-- 1.2 with SVN 1, below the device's SVN floor (2 since it accepted 1.1):"
step "bad: SVN 1 < floor 2 refused by the device" 6 \
	prot-ua update fw-1.2-svn1.pldm --smbus smbus.sock
device_log
echo "(VerifyComplete 0x10: security revision check failed: a rollback to SVN 1)"
attest "bad: still 1.1 after the lower SVN" "$d11" 1.1

echo
echo "-- the device killed (SIGKILL) in the middle of the update to 1.2:"
echo
echo "\$ prot-ua update fw-1.2.pldm --smbus smbus.sock &"
"$bindir/prot-ua" update fw-1.2.pldm --smbus smbus.sock >update-kill.out 2>&1 &
ua_pid=$!
i=0
while ! grep -q 'download [1-8]0%' update-kill.out &&
	kill -0 "$ua_pid" 2>/dev/null && [ $i -lt 600 ]; do
	sleep 0.02
	i=$((i + 1))
done
at=$(sed -n 's/.*download \([0-9]*%\).*/\1/p' update-kill.out | tail -n 1)
echo "\$ kill -KILL $dev_pid    # the device, at ${at:-?} of the transfer"
kill -KILL "$dev_pid" 2>/dev/null
wait "$dev_pid" 2>/dev/null
dev_pid=
wait "$ua_pid"
got=$?
ua_pid=
shown update-kill.out
device_log
case $at in
[1-8]0%)
	if [ $got -eq 1 ] && ! grep -q 'download 100%' update-kill.out; then
		echo "(exit status $got: the link is gone, as expected)"
		note "kill: device killed at $at of the transfer, prot-ua exit 1" ok
	else
		note "kill: prot-ua exit $got, expected 1 with the transfer cut" FAILED
	fi
	;;
*)
	echo "update-demo: the transfer was not seen between 10% and 80%" >&2
	note "kill: the device was not killed mid-transfer" FAILED
	;;
esac
if start_device; then
	note "kill: the device restarts" ok
else
	note "kill: the device did not restart" FAILED
fi
attest "kill: the restarted device boots 1.1" "$d11" 1.1
step "kill: the retried update to 1.2 completes" 0 \
	prot-ua update fw-1.2.pldm --smbus smbus.sock
device_log
attest "kill: attest after the retry" "$d12" 1.2

# Stop the device: it exits 0 on SIGTERM.
echo
echo "\$ kill -TERM $dev_pid"
kill "$dev_pid" 2>/dev/null
wait "$dev_pid"
got=$?
dev_pid=
device_log
if [ $got -eq 0 ]; then
	note "the device stops cleanly on SIGTERM" ok
else
	note "the device exited $got on SIGTERM" FAILED
fi

echo
echo "== Summary ($(($(date +%s) - start)) s) =="
printf '%s' "$summary"
if [ $rc -eq 0 ]; then
	echo "update-demo: OK: provisioned 1.0, attested, updated to 1.1 and attested; tampered, unknown-signer and rollback packages refused; killed mid-transfer, restarted on 1.1, updated to 1.2"
else
	echo "update-demo: FAILED (see the lines above marked FAILED)" >&2
fi
exit $rc
