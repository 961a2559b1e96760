#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""CLI tests of prot-ua (no device needed).

usage: check-prot-ua.py PROT_UA VECTOR_DIR

- --help of the program and of every subcommand: exit 0, every command
  and every exit code (0..7) documented.
- bad arguments: exit 2 with a message on stderr, nothing on stdout.
- update with a missing, empty, garbage or corrupted (checksum) package:
  exit 7 before any device is touched (no socket at --smbus), text and
  --json.
- an unreachable device (no socket; a socket where nobody answers): exit
  1 within the --timeout, text and --json.
"""
import json
import os
import socket
import subprocess
import sys
import tempfile
import time

PROT_UA, VECTORS = sys.argv[1], sys.argv[2]
PACKAGE = os.path.join(VECTORS, "sample-v1.3.pldm")
COMMANDS = ["discover", "attest", "measurements", "update", "status"]
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what)


def run(*args, timeout=30):
    t0 = time.monotonic()
    p = subprocess.run([PROT_UA, *args], capture_output=True, text=True,
                       timeout=timeout)
    p.seconds = time.monotonic() - t0
    return p


def json_of(p, what):
    try:
        return json.loads(p.stdout)
    except ValueError:
        check(False, f"{what}: stdout is not one JSON object: {p.stdout!r}")
        return {}


# --help, for the program and each subcommand.
for args in [["--help"], ["-h"]] + [[c, "--help"] for c in COMMANDS]:
    p = run(*args)
    what = "prot-ua " + " ".join(args)
    check(p.returncode == 0, f"{what}: exit {p.returncode}")
    check(p.stdout.startswith("usage: prot-ua"), f"{what}: no usage")
    for c in COMMANDS:
        check(f"prot-ua {c} " in p.stdout, f"{what}: {c} not listed")
    for code in range(8):
        check(f"\n  {code}  " in p.stdout, f"{what}: exit code {code} "
              "not documented")
    check("update PACKAGE" in p.stdout and "--self-contained" in p.stdout,
          f"{what}: update options missing")

with tempfile.TemporaryDirectory() as tmp:
    nosock = os.path.join(tmp, "nobody")
    garbage = os.path.join(tmp, "garbage.pldm")
    empty = os.path.join(tmp, "empty.pldm")
    corrupt = os.path.join(tmp, "corrupt.pldm")
    with open(garbage, "wb") as f:
        f.write(b"this is not a package\n" * 4)
    open(empty, "wb").close()
    with open(PACKAGE, "rb") as f:
        data = bytearray(f.read())
    data[-1] ^= 0x01  # payload checksum (format 0x04) no longer matches
    with open(corrupt, "wb") as f:
        f.write(data)

    # Bad arguments: exit 2, message on stderr, stdout empty.
    bad = [
        [],
        ["frobnicate", "--smbus", nosock],
        ["update", "--smbus", nosock],
        ["update", PACKAGE, PACKAGE, "--smbus", nosock],
        ["update", PACKAGE],
        ["update", PACKAGE, "--smbus", nosock, "--transfer-size", "16"],
        ["update", PACKAGE, "--smbus", nosock, "--transfer-size", "x"],
        ["update", PACKAGE, "--spdm-emu", "127.0.0.1:2323"],
        ["update", PACKAGE, "--smbus", nosock, "--bogus"],
        ["status", "--smbus", nosock, "extra"],
        ["status", "--smbus", nosock, "--self-contained"],
        ["status", "--spdm-emu", "127.0.0.1:2323"],
        ["status", "--smbus", nosock, "--timeout", "0"],
        ["discover", "--smbus", nosock, PACKAGE],
        ["attest", "--smbus", nosock],
    ]
    for args in bad:
        p = run(*args)
        what = "prot-ua " + " ".join(args)
        check(p.returncode == 2, f"{what}: exit {p.returncode}, not 2")
        check("prot-ua" in p.stderr, f"{what}: no message")
        check(p.stdout == "", f"{what}: stdout {p.stdout!r}")

    # Bad packages: exit 7, before the device (there is none) is tried.
    for pkg, reason in [(os.path.join(tmp, "missing.pldm"),
                         "No such file"),
                        (empty, "not a regular file of 1 byte"),
                        (garbage, "not a valid DSP0267 package"),
                        (corrupt, "payload checksum")]:
        p = run("update", pkg, "--smbus", nosock, "--timeout", "5")
        what = f"update {os.path.basename(pkg)}"
        check(p.returncode == 7, f"{what}: exit {p.returncode}, not 7")
        check(p.seconds < 3, f"{what}: took {p.seconds:.1f} s")
        check(reason in p.stderr, f"{what}: stderr {p.stderr!r}")
        check("bad package" in p.stdout and "exit status 7" in p.stdout,
              f"{what}: stdout {p.stdout!r}")
        p = run("update", pkg, "--smbus", nosock, "--json")
        j = json_of(p, what + " --json")
        check(p.returncode == 7 and j.get("status") == 7 and
              j.get("result") == "bad package" and
              j.get("command") == "update" and j.get("package") == pkg and
              reason in j.get("error", ""),
              f"{what} --json: {p.returncode} {j}")

    # Unreachable device: no socket at all.
    for args in (["update", PACKAGE], ["status"], ["discover"]):
        p = run(*args, "--smbus", nosock, "--timeout", "1")
        what = f"{args[0]} with no device"
        check(p.returncode == 1, f"{what}: exit {p.returncode}, not 1")
        check(1 <= p.seconds < 4, f"{what}: took {p.seconds:.1f} s")
        check(nosock in p.stderr, f"{what}: stderr {p.stderr!r}")
    p = run("update", PACKAGE, "--smbus", nosock, "--timeout", "1",
            "--json")
    j = json_of(p, "update with no device --json")
    check(p.returncode == 1 and j.get("status") == 1 and
          j.get("result") == "transport failure" and "update" not in j,
          f"update with no device --json: {p.returncode} {j}")

    # A socket where nobody answers: Set Endpoint ID times out.
    silent = os.path.join(tmp, "silent")
    srv = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    srv.bind(silent)
    srv.listen(4)
    for args in (["update", PACKAGE], ["status"]):
        p = run(*args, "--smbus", silent, "--timeout", "1", "--json")
        what = f"{args[0]} with a silent device"
        j = json_of(p, what)
        check(p.returncode == 1, f"{what}: exit {p.returncode}, not 1")
        check(p.seconds < 4, f"{what}: took {p.seconds:.1f} s")
        check("timed out" in j.get("error", ""), f"{what}: {j}")
    srv.close()

if failures:
    print(f"{len(failures)} failure(s)")
    sys.exit(1)
print("prot-ua CLI: all checks passed")
