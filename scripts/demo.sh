#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# The end-to-end demo: installs missing build dependencies, builds the
# POSIX programs, then runs three demos, each in a temporary directory with
# its processes on UNIX sockets:
#   1. MCTP: a bus owner and an endpoint over an emulated SMBus and a
#      serial line (examples/mctp-demo.sh);
#   2. SPDM: prot-ua attests prot-device (examples/spdm-demo.sh);
#   3. the main one, the end-to-end secure firmware update
#      (examples/update-demo.sh, walked through in docs/tutorial.md): the
#      vendor signs firmware 1.0 and 1.1, a device is provisioned with 1.0
#      and started, prot-ua discovers and attests it, updates it to 1.1 over
#      PLDM and attests it again; then a tampered package, an unknown
#      signer and a lower SVN are refused, and a device killed mid-transfer
#      restarts on 1.1 and takes the retried update. It ends with a summary.
# Exits non-zero if any of the three fails (all three run).
#
# Usage: scripts/demo.sh [bus owner options of the MCTP demo, e.g. --size
#        4096 or -v]
# Environment:
#   DEMO_BUILD  build directory (default build-demo)
set -euo pipefail

cd "$(dirname "$0")/.."

DEMO_BUILD=${DEMO_BUILD:-build-demo}

./scripts/setup.sh

if [ ! -f "$DEMO_BUILD/build.ninja" ]; then
	meson setup "$DEMO_BUILD" -Dport=posix -Dexamples=true -Dtests=false
fi
meson compile -C "$DEMO_BUILD"

# ---------------------------------------------------------------------------
# The demo itself (owned by examples/: keep the set-up and build above).
# ---------------------------------------------------------------------------
# examples/meson.build copies the demo scripts next to the programs they
# run; extra arguments go to the MCTP demo's bus owner (e.g. --size 4096).
rc=0
failed=
for name in mctp-demo spdm-demo update-demo; do
	demo=$DEMO_BUILD/examples/$name.sh
	echo
	echo "===== $name ====="
	if [ ! -f "$demo" ]; then
		echo "demo: $demo was not built (see examples/meson.build)" >&2
		rc=1
		failed="$failed $name"
		continue
	fi
	if [ "$name" = mctp-demo ]; then
		sh "$demo" "$@" || { rc=1; failed="$failed $name"; }
	else
		sh "$demo" || { rc=1; failed="$failed $name"; }
	fi
done
echo
if [ $rc -eq 0 ]; then
	echo "demo: all three demos passed (MCTP, SPDM, secure update)"
else
	echo "demo: FAILED:$failed" >&2
fi
exit $rc
