#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# libmctp figures: Cortex-M4 code size and host instruction counts.
#
#   (a) core + SMBus binding + control responder (no requester), logging
#       off, 2 reassembly contexts of 1 KiB, MTU 64; arm-none-eabi-gcc -Os
#       (Meson buildtype minsize), -DNDEBUG, no -fPIC
#   (a) again with -Dmctp_max_routes=0 (an endpoint only, no bridge)
#   (b) everything on: the default options (both bindings, both control
#       roles, logging, 4 contexts of 4 KiB, MTU 250), same compiler flags
# For each: text (.text*), rodata (.rodata*), data, bss summed over every
# object in libmctp.a; for (a) also what a control-responder firmware
# linked with --gc-sections keeps from it (bench/responder-fw.c), and the
# RAM the caller owns (sizeof the structs).
#
# Then callgrind instruction counts (x86-64 host, gcc -O2, NDEBUG, logging
# off) to send and to receive a 1 KiB message over the SMBus binding
# (bench/mctp-bench.c).
#
# Environment: BENCH_DIR (default build-bench) holds the builds and
# results.json.
set -euo pipefail

cd "$(dirname "$0")/.."

BENCH_DIR=${BENCH_DIR:-build-bench}
CROSS_FILE=ports/ast1060/cross-arm-none-eabi.txt
ARM_FLAGS=(-mcpu=cortex-m4 -mthumb -mfloat-abi=hard -mfpu=fpv4-sp-d16)

./scripts/setup.sh >/dev/null

mkdir -p "$BENCH_DIR"

config_a=(-Dmctp_log=false -Dmctp_bindings=smbus -Dmctp_control=responder
	-Dmctp_reassembly_contexts=2 -Dmctp_max_message_size=1024
	-Dmctp_max_mtu=64)
# (a) as an endpoint only: routing compiled out (no bridge).
config_a0=("${config_a[@]}" -Dmctp_max_routes=0)
config_b=()

cross_build() {
	local dir=$1
	shift
	rm -rf "$dir"
	meson setup "$dir" --cross-file "$CROSS_FILE" -Dport=none \
		-Dtests=false -Dexamples=false --buildtype=minsize \
		-Db_ndebug=true "$@" >"$dir.setup.log" 2>&1 ||
		{ cat "$dir.setup.log" >&2; return 1; }
	meson compile -C "$dir" >"$dir.build.log" 2>&1 ||
		{ cat "$dir.build.log" >&2; return 1; }
}

# sizeof() of the caller-owned structs, read back from an object file
# without running target code: each becomes the size of a char array.
struct_sizes() {
	local dir=$1
	local src=$dir/sizes.c
	{
		echo '#include "mctp/mctp.h"'
		echo 'char sizeof_mctp[sizeof(struct mctp)];'
		if [ -f "$dir/libmctp/libmctp.a.p/src_smbus.c.o" ]; then
			echo '#include "mctp/smbus.h"'
			echo 'char sizeof_mctp_smbus[sizeof(struct mctp_smbus)];'
		fi
		if [ -f "$dir/libmctp/libmctp.a.p/src_serial.c.o" ]; then
			echo '#include "mctp/serial.h"'
			echo 'char sizeof_mctp_serial[sizeof(struct mctp_serial)];'
		fi
		if [ -f "$dir/libmctp/libmctp.a.p/src_control.c.o" ]; then
			echo '#include "mctp/control.h"'
			echo 'char sizeof_mctp_ctrl[sizeof(struct mctp_ctrl)];'
		fi
	} >"$src"
	arm-none-eabi-gcc "${ARM_FLAGS[@]}" -std=c11 -fno-common \
		-Ilibmctp/include -I"$dir/libmctp/include" -c "$src" \
		-o "$dir/sizes.o"
	arm-none-eabi-nm -S "$dir/sizes.o" | python3 -c '
import json, sys
out = {}
for line in sys.stdin:
    f = line.split()
    if len(f) == 4 and f[3].startswith("sizeof_"):
        out[f[3][len("sizeof_"):]] = int(f[1], 16)
print(json.dumps(out))'
}

# What bench/responder-fw.c keeps from libmctp.a after --gc-sections.
linked_size() {
	local dir=$1
	arm-none-eabi-gcc "${ARM_FLAGS[@]}" -std=c11 -Os -DNDEBUG \
		-ffunction-sections -fdata-sections --specs=nosys.specs \
		-Ilibmctp/include -I"$dir/libmctp/include" \
		bench/responder-fw.c "$dir/libmctp/libmctp.a" \
		-Wl,--gc-sections -Wl,-Map="$dir/responder-fw.map" \
		-o "$dir/responder-fw.elf"
	python3 bench/size.py map "$dir/responder-fw.map" libmctp.a
}

archive_size() {
	arm-none-eabi-size -A "$1/libmctp/libmctp.a" | python3 bench/size.py archive
}

echo "bench: cross builds (a) and (b)..." >&2
cross_build "$BENCH_DIR/arm-a" "${config_a[@]}"
cross_build "$BENCH_DIR/arm-a0" "${config_a0[@]}"
cross_build "$BENCH_DIR/arm-b" "${config_b[@]}"
size_a0=$(archive_size "$BENCH_DIR/arm-a0")
linked_a0=$(linked_size "$BENCH_DIR/arm-a0")
size_a=$(archive_size "$BENCH_DIR/arm-a")
size_b=$(archive_size "$BENCH_DIR/arm-b")
linked_a=$(linked_size "$BENCH_DIR/arm-a")
ram_a=$(struct_sizes "$BENCH_DIR/arm-a")
ram_b=$(struct_sizes "$BENCH_DIR/arm-b")

echo "bench: host build and callgrind..." >&2
host=$BENCH_DIR/host
rm -rf "$host"
meson setup "$host" -Dport=none -Dtests=false -Dexamples=false \
	-Dmctp_log=false -Doptimization=2 -Ddebug=false -Db_ndebug=true \
	>"$host.setup.log" 2>&1 || { cat "$host.setup.log" >&2; exit 1; }
meson compile -C "$host" >"$host.build.log" 2>&1 ||
	{ cat "$host.build.log" >&2; exit 1; }
# -z now: resolve every symbol at start-up, so that the dynamic linker's
# lazy binding never runs inside the measured part.
cc -std=c11 -O2 -DNDEBUG -Wall -Wextra -Werror -Ilibmctp/include \
	-I"$host/libmctp/include" bench/mctp-bench.c "$host/libmctp/libmctp.a" \
	-Wl,-z,now -o "$host/mctp-bench"

callgrind() {
	local mode=$1 out=$host/callgrind.out.$1
	valgrind --tool=callgrind --collect-atstart=no --instr-atstart=no \
		--callgrind-out-file="$out" "$host/mctp-bench" "$mode" \
		>"$host/$mode.log" 2>&1 || { cat "$host/$mode.log" >&2; return 1; }
	# "totals:" is the sum of every event; older files only have
	# "summary:".
	awk '/^totals:/ {t = $2} /^summary:/ {s = $2}
	     END {print (t != "" ? t : s)}' "$out"
}
ir_send=$(callgrind send)
ir_recv=$(callgrind recv)
frames=$(grep -o 'in [0-9]* SMBus frames' "$host/send.log" | grep -o '[0-9]*')
# Share of the PEC (the bitwise CRC-8) in each count.
pec_share() {
	callgrind_annotate "$host/callgrind.out.$1" 2>/dev/null |
		awk '/:mctp_smbus_pec / {gsub(",", "", $1); print $1; exit}'
}
pec_send=$(pec_share send)
pec_recv=$(pec_share recv)

python3 - "$size_a" "$size_b" "$linked_a" "$ram_a" "$ram_b" "$ir_send" \
	"$ir_recv" "$frames" "$BENCH_DIR/results.json" \
	"$(arm-none-eabi-gcc -dumpversion)" "$(cc -dumpfullversion)" \
	"${pec_send:-0}" "${pec_recv:-0}" "$size_a0" "$linked_a0" <<'EOF'
import json, sys
a, b, linked, ram_a, ram_b = (json.loads(x) for x in sys.argv[1:6])
ir_send, ir_recv, frames = int(sys.argv[6]), int(sys.argv[7]), int(sys.argv[8])
out, arm_gcc, host_cc = sys.argv[9], sys.argv[10], sys.argv[11]
pec_send, pec_recv = int(sys.argv[12]), int(sys.argv[13])
a0, linked0 = json.loads(sys.argv[14]), json.loads(sys.argv[15])

def row(name, s):
    code = s['text'] + s['rodata']
    return '%-44s %6d %6d %6d %6d %5d' % (name, s['text'], s['rodata'],
                                         code, s['data'], s['bss'])

print('libmctp on Cortex-M4 (arm-none-eabi-gcc %s -Os, NDEBUG, no -fPIC), '
      'bytes' % arm_gcc)
print('%-44s %6s %6s %6s %6s %5s' % ('configuration', 'text', 'rodata',
                                      'text+ro', 'data', 'bss'))
print(row('(a) core+SMBus+ctrl responder, log off: .a', a))
print(row('(a) linked into a control responder', linked))
print(row('(a) without routing (max_routes=0): .a', a0))
print(row('(a) without routing, linked responder', linked0))
print(row('(b) everything on: libmctp.a', b))
for name, s in (('(a)', a), ('(b)', b)):
    print('  %s text+rodata per object: %s' % (name, ', '.join(
        '%s %d' % kv for kv in sorted(s['objects'].items()))))
print('%-44s %27s' % ('reference: openbmc libmctp f1d3857 (a)', '~3.6 KiB text+ro'))
print('%-44s %27s' % ('target for (a)', '< 3000 text+ro'))
verdict = 'meets' if a['text'] + a['rodata'] < 3000 else 'MISSES'
print('(a) libmctp.a text+rodata = %d B: %s the < 3000 B target '
      '(rodata counted)' % (a['text'] + a['rodata'], verdict))
verdict = 'meets' if linked['text'] + linked['rodata'] < 3000 else 'MISSES'
print('(a) linked responder text+rodata = %d B: %s the < 3000 B target'
      % (linked['text'] + linked['rodata'], verdict))
print()
print('caller-owned RAM (sizeof), bytes:')
for k in sorted(set(ram_a) | set(ram_b)):
    print('  struct %-12s (a) %6s   (b) %6s' % (k, ram_a.get(k, '-'),
                                                ram_b.get(k, '-')))
print()
print('callgrind, x86-64 host (cc %s -O2, NDEBUG, log off), 1 KiB message '
      'over SMBus at MTU 64 (%d frames):' % (host_cc, frames))
def pec(part, total):
    return ' (%d in the PEC, %.0f%%)' % (part, 100.0 * part / total) \
        if part and total else ''
print('  %-36s %8d instructions%s' % ('send (fragment, frame, PEC)', ir_send,
                                     pec(pec_send, ir_send)))
print('  %-36s %8d instructions%s' % ('receive (PEC, reassemble, deliver)',
                                     ir_recv, pec(pec_recv, ir_recv)))

json.dump(dict(arm_gcc=arm_gcc, host_cc=host_cc,
               size_a_archive=a, size_a_linked_responder=linked,
               size_a_no_routing_archive=a0,
               size_a_no_routing_linked_responder=linked0,
               size_b_archive=b, ram_a=ram_a, ram_b=ram_b,
               callgrind=dict(message_bytes=1024, frames=frames,
                              send_instructions=ir_send,
                              recv_instructions=ir_recv,
                              send_pec_instructions=pec_send,
                              recv_pec_instructions=pec_recv)),
          open(out, 'w'), indent=2)
print()
print('written to ' + out)
EOF
