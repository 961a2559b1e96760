#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Section sizes for bench/run.sh.

  size.py archive              sum the sections of every object of an archive
                               (output of arm-none-eabi-size -A on stdin)
  size.py map MAPFILE LIBNAME  sum the input sections that a linked image
                               kept from LIBNAME (GNU ld map file)

Prints one JSON object: text, rodata, data, bss (bytes), and for an
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


def main():
    if len(sys.argv) == 2 and sys.argv[1] == 'archive':
        sums = archive(sys.stdin)
    elif len(sys.argv) == 4 and sys.argv[1] == 'map':
        sums = linked(sys.argv[2], sys.argv[3])
    else:
        sys.exit(__doc__)
    print(json.dumps(sums))


if __name__ == '__main__':
    main()
