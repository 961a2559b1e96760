#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Install the build dependencies that are missing on a Debian 12 (or
# Ubuntu) machine. Shared by scripts/test.sh and scripts/demo.sh; safe to
# run again (it only acts on what is missing).
#
# As root it runs apt-get; otherwise it prints the exact apt-get line to run
# and exits non-zero.
set -euo pipefail

packages=(
	meson             # >= 1.0 (Debian 12: 1.0.1)
	ninja-build
	pkg-config
	gcc
	clang             # ASan/UBSan and libFuzzer builds
	libclang-rt-14-dev # libFuzzer and sanitizer runtimes for clang 14
	libcmocka-dev
	gcc-arm-none-eabi
	libnewlib-arm-none-eabi
	binutils-arm-none-eabi
	valgrind          # callgrind for bench/run.sh
	python3
	libmbedtls-dev    # POSIX port crypto (mbedTLS 2.28: PSA Crypto, X.509)
	openssl           # scripts/gen-test-pki.sh (test PKI in tests/pki)
	libjson-c-dev     # examples/prot-pkg (package config and info --json)
)

missing=()
for p in "${packages[@]}"; do
	status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
	if [ "$status" != "install ok installed" ]; then
		missing+=("$p")
	fi
done

if [ ${#missing[@]} -gt 0 ]; then
	install_cmd="apt-get install -y --no-install-recommends ${missing[*]}"
	if [ "$(id -u)" -eq 0 ]; then
		echo "setup: installing ${missing[*]}"
		apt-get update
		DEBIAN_FRONTEND=noninteractive $install_cmd
	else
		echo "setup: missing packages: ${missing[*]}" >&2
		echo "setup: run as root:" >&2
		echo "  apt-get update && DEBIAN_FRONTEND=noninteractive $install_cmd" >&2
		exit 1
	fi
fi

# Meson >= 1.0 is required by meson.build.
meson_version=$(meson --version)
if ! printf '1.0\n%s\n' "$meson_version" | sort -V -C; then
	echo "setup: meson $meson_version is too old (need >= 1.0)" >&2
	exit 1
fi
echo "setup: all build dependencies present (meson $meson_version)"
