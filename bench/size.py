#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Section sizes for bench/run.sh.

  size.py archive              sum the sections of every object of an archive
                               (output of arm-none-eabi-size -A on stdin)
  size.py map MAPFILE LIBNAME  sum the input sections that a linked image
                               kept from LIBNAME (GNU ld map file)
  size.py stack BUILDDIR LIB OUTDIR ROOT...
                               worst-case stack depth from each ROOT
                               function over the call graph of LIB's
                               objects (see stack() below)

Prints one JSON object (archive, map): text, rodata, data, bss (bytes), and for an
archive "objects": text+rodata per object. .text* and
.ARM.exidx* count as text, .rodata* as rodata, .data* as data, .bss* and
COMMON as bss; debug and note sections are ignored.
"""
import json
import re
import sys


def classify(name):
    if name.startswith('.text') or name.startswith('.ARM.exidx'):
        return 'text'
    if name.startswith('.rodata'):
        return 'rodata'
    if name.startswith('.data'):
        return 'data'
    if name.startswith('.bss') or name == 'COMMON':
        return 'bss'
    return None


def archive(lines):
    sums = dict(text=0, rodata=0, data=0, bss=0, objects={})
    obj = None
    for line in lines:
        f = line.split()
        if len(f) >= 2 and f[1] == '(ex':
            # "src_core.c.o   (ex libmctp.a):" starts an object
            obj = re.sub(r'^src_|\.c\.o$', '', f[0])
            sums['objects'][obj] = 0
        elif len(f) == 3 and f[1].isdigit():
            kind = classify(f[0])
            if kind:
                sums[kind] += int(f[1])
                if obj and kind in ('text', 'rodata'):
                    sums['objects'][obj] += int(f[1])
    return sums


def linked(path, libname):
    sums = dict(text=0, rodata=0, data=0, bss=0)
    text = open(path).read()
    # Only the memory map: the discarded sections are listed before it.
    start = text.find('Linker script and memory map')
    if start < 0:
        sys.exit('size.py: no memory map in ' + path)
    lines = text[start:].splitlines()
    entry = re.compile(r'^ (\.\S+|COMMON)(?:\s+0x([0-9a-f]+)\s+0x([0-9a-f]+)\s+(\S+))?\s*$')
    cont = re.compile(r'^\s+0x([0-9a-f]+)\s+0x([0-9a-f]+)\s+(\S+)\s*$')
    pending = None
    for line in lines:
        m = entry.match(line)
        if m:
            if m.group(2):
                size, origin, pending = int(m.group(3), 16), m.group(4), None
                name = m.group(1)
            else:
                pending = m.group(1)
                continue
        elif pending:
            c = cont.match(line)
            name, pending = pending, None
            if not c:
                continue
            size, origin = int(c.group(2), 16), c.group(3)
        else:
            continue
        if libname + '(' not in origin:
            continue
        kind = classify(name)
        if kind:
            sums[kind] += size
    return sums


def stack(builddir, lib, outdir, roots):
    """Recompile every object of LIB (e.g. "libspdm-lite.a") with the exact
    command in BUILDDIR/compile_commands.json plus -fcallgraph-info=su, so
    that gcc writes each function's frame size and its calls (.ci files in
    OUTDIR), then take the deepest path from each root. Calls through a
    function pointer the caller supplies (the crypto and measurement ops)
    and calls to functions outside LIB (libc: memcpy, memset, memcmp)
    count 0 bytes; a library's own function-pointer table is followed
    (see below):
    the result is the library's own stack. Fails on dynamic frames (VLA,
    alloca) and on recursion, where no bound exists."""
    import os
    import shlex
    import subprocess
    os.makedirs(outdir, exist_ok=True)
    cmds = json.load(open(os.path.join(builddir, 'compile_commands.json')))
    keep = []
    for c in cmds:
        if '/' + lib + '.p/' not in c['output']:
            continue
        args = shlex.split(c['command'])
        keep, skip = [], False
        for a in args:
            if skip:
                skip = False
                continue
            if a in ('-MQ', '-MF', '-o'):
                skip = True
                continue
            if a in ('-MD', '-fdiagnostics-color=always'):
                continue
            keep.append(a)
        out = os.path.join(os.path.abspath(outdir),
                           os.path.basename(c['output']))
        subprocess.run(keep + ['-fcallgraph-info=su', '-o', out],
                       cwd=c['directory'], check=True)
    node = re.compile(r'^node: \{ title: "([^"]+)" label: "[^"]*?'
                      r'(?:\\n(\d+) bytes \(([a-z,]+)\))?" ')
    edge = re.compile(r'^edge: \{ sourcename: "([^"]+)" targetname: "([^"]+)"')
    if not keep:
        sys.exit('size.py: no object of %s in %s' % (lib, builddir))
    # arm-none-eabi-gcc -> arm-none-eabi-objdump
    objdump = re.sub(r'(cc|gcc|clang)$', 'objdump', keep[0])
    frame, calls = {}, {}
    for name in sorted(os.listdir(outdir)):
        if not name.endswith('.ci'):
            continue
        here = set()
        for line in open(os.path.join(outdir, name)):
            m = node.match(line)
            if m and m.group(2):
                if m.group(3) != 'static':
                    sys.exit('size.py: dynamic stack in ' + m.group(1))
                frame[m.group(1)] = int(m.group(2))
                here.add(m.group(1))
                continue
            m = edge.match(line)
            if m:
                calls.setdefault(m.group(1), set()).add(m.group(2))
        # Function-pointer tables of the library itself (the responder's
        # request handlers): an indirect call in this object may reach any
        # function whose address a data section of this object holds.
        # Other indirect calls are the caller's ops: not followed.
        relocs = subprocess.run(
            [objdump, '-r', os.path.join(outdir, name[:-3] + '.o')],
            check=True, capture_output=True, text=True).stdout
        targets, in_data = set(), False
        for line in relocs.splitlines():
            if line.startswith('RELOCATION RECORDS FOR ['):
                sec = line.split('[')[1].rstrip(']:')
                in_data = sec.startswith(('.rodata', '.data'))
                continue
            f = line.split()
            if in_data and len(f) == 3:
                for t in here:
                    if t.split(':')[-1] == f[2]:
                        targets.add(t)
        for f in here:
            if '__indirect_call' in calls.get(f, ()):
                calls[f] |= targets
    # Static functions are titled "file:name", the others "name": an edge
    # names its target either way.
    memo = {}

    def deepest(f, seen):
        if f in seen:
            sys.exit('size.py: recursion through ' + f)
        if f in memo:
            return memo[f]
        best = (0, [])
        for g in calls.get(f, ()):
            d = deepest(g, seen | {f})
            if d[0] > best[0]:
                best = d
        memo[f] = (frame.get(f, 0) + best[0],
                   [f.split(':')[-1]] + best[1] if f in frame else best[1])
        return memo[f]

    res = {}
    for r in roots:
        if r not in frame:
            sys.exit('size.py: no function ' + r)
        depth, path = deepest(r, frozenset())
        res[r] = dict(bytes=depth, path=path)
    return res


def main():
    if len(sys.argv) == 2 and sys.argv[1] == 'archive':
        sums = archive(sys.stdin)
    elif len(sys.argv) == 4 and sys.argv[1] == 'map':
        sums = linked(sys.argv[2], sys.argv[3])
    elif len(sys.argv) >= 6 and sys.argv[1] == 'stack':
        sums = stack(sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5:])
    else:
        sys.exit(__doc__)
    print(json.dumps(sums))


if __name__ == '__main__':
    main()
