#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Apply .clang-format to the project's C sources.
#   scripts/format.sh            reformat every tracked .c/.h in place
#   scripts/format.sh --check    list files that would change; exit 1 if any
#   scripts/format.sh FILE...    only these files (with or without --check)
# Needs clang-format (Debian: apt-get install clang-format).
set -euo pipefail

cd "$(dirname "$0")/.."

check=0
if [ "${1:-}" = "--check" ]; then
	check=1
	shift
fi

if ! command -v clang-format >/dev/null; then
	echo "format: clang-format not found (apt-get install clang-format)" >&2
	exit 2
fi

files=("$@")
if [ ${#files[@]} -eq 0 ]; then
	if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
		mapfile -t files < <(git ls-files --cached --others \
			--exclude-standard -- '*.c' '*.h')
	else
		mapfile -t files < <(find . -path './build*' -prune -o \
			\( -name '*.c' -o -name '*.h' \) -print | sed 's|^\./||')
	fi
fi

changed=0
for f in "${files[@]}"; do
	[ -f "$f" ] || continue
	if [ "$check" -eq 1 ]; then
		if ! clang-format "$f" | cmp -s "$f" -; then
			echo "$f"
			changed=1
		fi
	else
		clang-format -i "$f"
	fi
done

if [ "$check" -eq 1 ] && [ "$changed" -eq 1 ]; then
	echo "format: the files above differ from .clang-format" >&2
	exit 1
fi
