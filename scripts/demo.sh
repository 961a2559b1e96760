#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# The end-to-end demo: installs missing build dependencies, builds the
# POSIX programs, then runs the demo. It grows with the project; for now it
# is an MCTP exchange between two processes over the POSIX port.
#
# Usage: scripts/demo.sh [bus owner options, e.g. --size 4096 or -v]
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
# examples/meson.build copies mctp-demo.sh next to the programs it runs;
# extra arguments go to the bus owner (e.g. --size 4096, -v).
demo=$DEMO_BUILD/examples/mctp-demo.sh
if [ ! -f "$demo" ]; then
	echo "demo: $demo was not built (see examples/meson.build)" >&2
	exit 1
fi
sh "$demo" "$@"
# Then the PRoT programs: MCTP discovery and the SPDM connection.
spdm_demo=$DEMO_BUILD/examples/spdm-demo.sh
if [ ! -f "$spdm_demo" ]; then
	echo "demo: $spdm_demo was not built (see examples/meson.build)" >&2
	exit 1
fi
exec sh "$spdm_demo"
