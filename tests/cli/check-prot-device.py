#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""prot-device CLI and end-to-end test (suite cli).

check-prot-device.py PROT_DEVICE PROT_UA MKIMAGE PKI_DIR [PROT_PKG]

--help, bad arguments, missing and corrupt state directories (clear error,
nothing overwritten), provisioning (refusals leave nothing behind), then a
device run in the background on a UNIX socket in a temporary directory:
prot-ua discover and attest with --expect of the image's payload digest;
with PROT_PKG, a PLDM update to a second image and attest again.
"""
import hashlib
import os
import signal
import subprocess
import sys
import tempfile
import time

DEV, UA, MKIMAGE, PKI = sys.argv[1:5]
PKG = sys.argv[5] if len(sys.argv) > 5 and sys.argv[5] else None
ROOT = os.path.join(PKI, "p384", "root.cert.pem")
VENDOR = os.path.join(PKI, "p384", "leaf.cert.pem")
failures = []


def run(args, timeout=30):
    p = subprocess.run(args, capture_output=True, text=True, timeout=timeout)
    return p.returncode, p.stdout + p.stderr


def check(cond, what, out=""):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        failures.append(what)
        if out:
            print("     " + out.strip().replace("\n", "\n     "))


def expect(args, code, what, needle=None):
    rc, out = run(args)
    ok = rc == code and (needle is None or needle in out)
    check(ok, "%s (exit %d, want %d%s)" % (what, rc, code,
                                           ", '%s'" % needle if needle else ""),
          out)
    return out


def digest(img):
    with open(img, "rb") as f:
        return hashlib.sha384(f.read()[512:]).hexdigest()


def snapshot(d):
    res = {}
    for root, _, files in os.walk(d):
        for n in files:
            p = os.path.join(root, n)
            with open(p, "rb") as f:
                res[p] = hashlib.sha256(f.read()).hexdigest()
    return res


def mkimage(out, comp, svn, stamp, size, seed, other=False):
    args = [MKIMAGE, out, str(comp), str(svn), hex(stamp), str(size),
            str(seed)]
    if other:
        args.append("other")
    subprocess.run(args, check=True)


def start_device(state, sock, log):
    f = open(log, "w")
    p = subprocess.Popen([DEV, "run", "--state", state, "--smbus", sock,
                          "--log", "info"], stdout=f, stderr=subprocess.STDOUT)
    for _ in range(100):
        if os.path.exists(sock) or p.poll() is not None:
            break
        time.sleep(0.05)
    return p


def stop_device(p, what):
    p.send_signal(signal.SIGTERM)
    try:
        rc = p.wait(timeout=10)
    except subprocess.TimeoutExpired:
        p.kill()
        rc = -1
    check(rc == 0, "%s: exit 0 on SIGTERM (got %d)" % (what, rc))


with tempfile.TemporaryDirectory(prefix="check-prot-device-") as tmp:
    img1 = os.path.join(tmp, "fw1.img")
    img2 = os.path.join(tmp, "fw2.img")
    bad = os.path.join(tmp, "other.img")
    mkimage(img1, 1, 1, 0x01000000, 3000, 7)
    mkimage(img2, 1, 2, 0x01010000, 5000, 9)
    mkimage(bad, 1, 1, 0x01000000, 3000, 7, other=True)
    state = os.path.join(tmp, "state")

    # --help and usage errors.
    out = expect([DEV, "--help"], 0, "--help")
    check("provision" in out and "--state" in out, "--help names provision")
    expect([DEV], 2, "no command", "command")
    expect([DEV, "frob"], 2, "unknown command", "unknown command")
    expect([DEV, "provision", "--state", state], 2,
           "provision without --vendor-pub/--image", "provision needs")
    expect([DEV, "provision", "--state", state, "--vendor-pub", VENDOR,
            "--image", img1, "--smbus", "x"], 2, "provision with --smbus")
    expect([DEV, "run", "--state", state, "--smbus", "x", "--log", "loud"],
           2, "bad --log", "bad value")
    expect([DEV, "run", "--state", state, "--smbus", "x", "--image", img1],
           2, "run with --image", "provision options")
    expect([DEV, "run", "--state", state], 2, "run without a transport")
    expect([DEV, "provision", "--state", state, "--vendor-pub", VENDOR,
            "--image", img1, "--bank-size", "5000"], 2, "bad --bank-size",
           "bad value")
    expect([DEV, "run", "--state", state, "--smbus", "x", "--bank-size",
            "65536"], 2, "run with --bank-size", "provision options")
    check(not os.path.exists(state), "usage errors created nothing")

    # Missing state.
    sock = os.path.join(tmp, "sock")
    expect([DEV, "run", "--state", state, "--smbus", sock], 1,
           "run: missing state dir", "provision")
    check(not os.path.exists(sock), "missing state: no socket left")

    # Provisioning refusals leave nothing behind.
    expect([DEV, "provision", "--state", state, "--vendor-pub", VENDOR,
            "--image", bad], 1, "provision: image of another key",
           "not signed by the vendor key")
    check(not os.path.exists(os.path.join(state, "flash.bin")),
          "refused provisioning left no flash.bin")
    expect([DEV, "provision", "--state", state, "--vendor-pub", img1,
            "--image", img1], 1, "provision: bad vendor key", "P-384")
    expect([DEV, "provision", "--state", state, "--vendor-pub", VENDOR,
            "--image", VENDOR], 1, "provision: not an image",
           "not a signed image")
    expect([DEV, "provision", "--state", state, "--vendor-pub", VENDOR,
            "--image", img1, "--image", img2], 1,
           "provision: component twice", "twice")

    # Provision.
    out = expect([DEV, "provision", "--state", state, "--vendor-pub", VENDOR,
                  "--image", img1], 0, "provision")
    check(digest(img1) in out, "provision reports the image digest", out)
    for n in ("flash.bin", "otp.bin", "layout", "identity/leaf.key.pem"):
        check(os.path.exists(os.path.join(state, n)), "state has " + n)
    before = snapshot(state)
    expect([DEV, "provision", "--state", state, "--vendor-pub", VENDOR,
            "--image", img2], 1, "provision again refused",
           "already provisioned")
    check(snapshot(state) == before, "provision again changed nothing")

    # Corrupt states: refused, nothing written.
    for name, how in (("flash.bin", "truncate"), ("layout", "garble"),
                      ("otp.bin", "truncate")):
        c = os.path.join(tmp, "corrupt-" + name)
        subprocess.run(["cp", "-a", state, c], check=True)
        p = os.path.join(c, name)
        with open(p, "r+b") as f:
            if how == "truncate":
                f.truncate(100)
            else:
                f.write(b"garbage")
        snap = snapshot(c)
        expect([DEV, "run", "--state", c, "--smbus", sock], 1,
               "run: corrupt " + name, "corrupt")
        check(snapshot(c) == snap, "corrupt %s: nothing written" % name)
        check(not os.path.exists(sock), "corrupt %s: no socket" % name)

    # Run, discover, attest.
    log = os.path.join(tmp, "device.log")
    dev = start_device(state, sock, log)
    check(dev.poll() is None and os.path.exists(sock), "device listening")
    expect([UA, "discover", "--smbus", sock], 0, "prot-ua discover")
    expect([UA, "attest", "--smbus", sock, "--root", ROOT, "--expect",
            digest(img1)], 0, "prot-ua attest --expect image digest",
           "matches --expect")
    expect([UA, "attest", "--smbus", sock, "--root", ROOT, "--expect",
            digest(img2)], 5, "prot-ua attest --expect other digest")
    if PKG:
        pkg = os.path.join(tmp, "fw2.pkg")
        expect([PKG, "create", "--out", pkg, "--descriptor",
                "0x0001=D5B40000", "--image", img2, "--no-verify"], 0,
               "prot-pkg create")
        expect([UA, "update", pkg, "--smbus", sock], 0, "prot-ua update")
        expect([UA, "attest", "--smbus", sock, "--root", ROOT, "--expect",
                digest(img2)], 0, "attest after update: new digest",
               "matches --expect")
    stop_device(dev, "device")
    with open(log) as f:
        text = f.read()
    if PKG:
        check("trial image started: accepted" in text,
              "device log: trial accepted", text)
        # Restarted, it boots the accepted new image.
        dev = start_device(state, sock, log)
        expect([UA, "attest", "--smbus", sock, "--root", ROOT, "--expect",
                digest(img2)], 0, "after restart: new image runs",
               "matches --expect")
        stop_device(dev, "device restarted")

if failures:
    print("%d check(s) failed" % len(failures))
    sys.exit(1)
print("all checks passed")
