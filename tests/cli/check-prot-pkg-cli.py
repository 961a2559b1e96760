#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Command-line tests of prot-pkg: keys, signed images, packages.

usage: check-prot-pkg-cli.py PROT_PKG

- every subcommand's --help (stdout, exit 0) and the usage on errors;
- bad arguments (exit 2) and missing files (exit 1), nothing written;
- keygen -> sign -> verify: the image laid out as docs/image-format.md
  says (fields, SHA-384 of the payload and of the key, checked here with
  hashlib; the signature checked with openssl when it is installed);
- tampered, truncated or extended images and a wrong --pub refused with
  exit 6 and the reason;
- create from signed images -> info --json shows each component with the
  image's identifier, version and stamp, framing the image bytes ->
  verify the package; packages with a bad component refused.
"""
import base64
import hashlib
import json
import os
import shutil
import stat
import struct
import subprocess
import sys
import tempfile

PROT_PKG = sys.argv[1]
EXIT_IO, EXIT_USAGE, EXIT_BAD_PACKAGE, EXIT_BAD_INPUT, EXIT_WRITE, \
    EXIT_VERIFY = 1, 2, 3, 4, 5, 6
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what)


def run(*args):
    return subprocess.run([PROT_PKG, *args], capture_output=True, text=True)


def expect(args, code, what, stderr_has=None, stdout_has=None):
    r = run(*args)
    check(r.returncode == code,
          f"{what}: exit {r.returncode}, expected {code}: {r.stderr!r}")
    if stderr_has is not None:
        check(stderr_has in r.stderr,
              f"{what}: {stderr_has!r} not in stderr {r.stderr!r}")
    if stdout_has is not None:
        check(stdout_has in r.stdout,
              f"{what}: {stdout_has!r} not in stdout {r.stdout!r}")
    return r


def read(path):
    with open(path, "rb") as f:
        return f.read()


def write(path, data):
    with open(path, "wb") as f:
        f.write(data)


def pem_point(path):
    """The P-384 point at the end of a SubjectPublicKeyInfo PEM."""
    lines = read(path).decode().strip().splitlines()
    check(lines[0] == "-----BEGIN PUBLIC KEY-----", f"{path}: PEM header")
    der = base64.b64decode("".join(lines[1:-1]))
    return der[-97:]


def check_help():
    for cmd in ([], ["keygen"], ["sign"], ["verify"], ["create"], ["info"]):
        for flag in ("--help", "-h"):
            r = run(*cmd, flag)
            check(r.returncode == 0 and "usage:" in r.stdout
                  and "exit status" in r.stdout and r.stderr == "",
                  f"{cmd} {flag}: exit {r.returncode}")
            for sub in ("keygen", "sign", "verify", "create", "info"):
                check(f"prot-pkg {sub}" in r.stdout,
                      f"{cmd} {flag}: usage lacks {sub}")
    r = run("verify", "--pub", "x.pem", "--help")
    check(r.returncode == 0 and "usage:" in r.stdout,
          "--help after other options")


def check_bad_args(tmp):
    key, pub = os.path.join(tmp, "k.pem"), os.path.join(tmp, "p.pem")
    out = os.path.join(tmp, "never-written")
    bin_ = os.path.join(tmp, "fw.bin")
    write(bin_, b"firmware")
    sign = ["sign", "--key", key, "--component", "1", "--version", "1.0.0",
            "--svn", "1", "--in", bin_, "--out", out]
    cases = [
        (["keygen"], "--out-key is required"),
        (["keygen", "--out-key"], None),
        (["keygen", "--out-key", key, "--out-pub", key], "same file"),
        (["keygen", "--out-key", key, "--frob"], None),
        (["sign"], "are required"),
        (sign[:-2], "are required"),
        ([*sign, "--extra"], None),
        ([*sign, "--bogus", "1"], None),
        (["sign", *sign[1:4], "65536", *sign[5:]], "--component"),
        (["sign", *sign[1:4], "-1", *sign[5:]], "--component"),
        (["sign", *sign[1:6], "1.0", *sign[7:]], "--version"),
        (["sign", *sign[1:6], "256.0.0", *sign[7:]], "--version"),
        (["sign", *sign[1:6], "1.0.65536", *sign[7:]], "--version"),
        (["sign", *sign[1:6], "1.2.3.4.5", *sign[7:]], "--version"),
        (["sign", *sign[1:6], "1.x.3", *sign[7:]], "--version"),
        (["sign", *sign[1:8], "4294967296", *sign[9:]], "--svn"),
        ([*sign, "--stamp", "abc"], "--stamp"),
        (["verify"], "FILE is required"),
        (["verify", "a", "b"], None),
        (["verify", "--frob", "a"], None),
        (["create", "--out", out, "--image", bin_], "are required"),
        (["create", "--out", out, "--descriptor", "0x0001=D5B40000"],
         "are required"),
        (["create", "--out", out, "--descriptor", "1=XYZ0", "--image",
          bin_], "not TYPE=HEX"),
        (["create", "--out", out, "--descriptor", "1=D5B", "--image", bin_],
         "not TYPE=HEX"),
        (["create", "--out", out, "--descriptor", "0x10000=00", "--image",
          bin_], "not TYPE=HEX"),
        (["create", "--out", out, "--descriptor", "0xFFFF=00", "--image",
          bin_], "not TYPE=HEX"),
        (["create", "--out", out, "--descriptor", "1=D5B40000", "--image",
          bin_, "--format-revision", "5"], "1 to 4"),
        (["create", "--out", out, "--descriptor", "1=D5B40000", "--image",
          bin_, "--pub", pub, "--no-verify"], "--no-verify"),
        (["frobnicate"], None),
    ]
    for args, message in cases:
        r = expect(args, EXIT_USAGE, f"bad args {args}", message)
        # A bad value is named; a bad command line gets the usage too.
        check("usage:" in r.stderr or "not TYPE=HEX" in r.stderr,
              f"{args}: usage on stderr")
    check(not os.path.exists(out), "a refused command wrote its output")
    check(not os.path.exists(key), "a refused keygen wrote a key")


def keygen(tmp, name):
    key = os.path.join(tmp, name + ".key.pem")
    pub = os.path.join(tmp, name + ".pub.pem")
    r = expect(["keygen", "--out-key", key, "--out-pub", pub], 0,
               f"keygen {name}")
    point = pem_point(pub)
    check(len(point) == 97 and point[0] == 4, f"{name}: not a P-384 point")
    digest = hashlib.sha384(point).hexdigest()
    check(f"key-hash: {digest}\n" in r.stdout
          and f"key-id: {digest[:32]}\n" in r.stdout,
          f"{name}: key hash printed {r.stdout!r}")
    check(stat.S_IMODE(os.stat(key).st_mode) == 0o600,
          f"{name}: private key not mode 0600")
    check(read(key).startswith(b"-----BEGIN EC PRIVATE KEY-----"),
          f"{name}: private key not SEC1 PEM")
    return key, pub, point


def check_keygen(tmp):
    key, pub, point = keygen(tmp, "vendor")
    before = read(key), read(pub)
    expect(["keygen", "--out-key", key], EXIT_IO, "keygen over a key",
           "--force")
    other = os.path.join(tmp, "fresh.pem")
    expect(["keygen", "--out-key", other, "--out-pub", pub], EXIT_IO,
           "keygen over a public key", "exists")
    check(not os.path.exists(other), "keygen wrote a key then refused")
    check((read(key), read(pub)) == before, "keygen overwrote a key")
    expect(["keygen", "--out-key", os.path.join(tmp, "no", "dir", "k")],
           EXIT_IO, "keygen into a missing directory")
    scratch = os.path.join(tmp, "scratch.pem")
    shutil.copy(key, scratch)
    expect(["keygen", "--out-key", scratch, "--force"], 0, "keygen --force")
    check(read(scratch) != before[0], "keygen --force kept the old key")
    return key, pub, point


def sign(tmp, key, name, payload, component, version, svn, extra=()):
    bin_ = os.path.join(tmp, name + ".bin")
    img = os.path.join(tmp, name + ".img")
    write(bin_, payload)
    expect(["sign", "--key", key, "--component", str(component),
            "--version", version, "--svn", str(svn), "--in", bin_,
            "--out", img, *extra], 0, f"sign {name}")
    return img


def check_layout(img, payload, point, component, version, stamp, svn):
    data = read(img)
    check(len(data) == 512 + len(payload), "image size")
    check(data[:8] == b"PRIM\x01\x00\x80\x00", "magic, version, size")
    (comp, flags, major, minor, patch, build, stamp_, svn_,
     size) = struct.unpack_from("<HHBBHIIII", data, 8)
    check(comp == component and flags == 0, "component, flags")
    check((major, minor, patch, build) == version, "version fields")
    check(stamp_ == stamp and svn_ == svn and size == len(payload),
          f"stamp 0x{stamp_:08x}, svn {svn_}, size {size}")
    check(data[0x20:0x50] == hashlib.sha384(payload).digest(),
          "payload_digest is not SHA-384 of the payload")
    check(data[0x50:0x60] == hashlib.sha384(point).digest()[:16], "key_id")
    check(data[0x60:0x80] == bytes(32), "header reserved bytes")
    check(data[128:225] == point, "embedded public key")
    check(data[321:512] == bytes(191), "reserved block")
    check(data[512:] == payload, "payload")
    return data


def der_sig(raw):
    def integer(b):
        b = b.lstrip(b"\x00") or b"\x00"
        if b[0] & 0x80:
            b = b"\x00" + b
        return b"\x02" + bytes([len(b)]) + b
    body = integer(raw[:48]) + integer(raw[48:])
    return b"\x30" + bytes([len(body)]) + body


def check_openssl(tmp, data, pub):
    """The signature, checked by a second implementation."""
    openssl = shutil.which("openssl")
    if not openssl:
        print("note: openssl not installed, signature not cross-checked")
        return
    digest = os.path.join(tmp, "digest.bin")
    sig = os.path.join(tmp, "sig.der")
    write(digest, hashlib.sha384(data[:128] + data[128:225]).digest())
    write(sig, der_sig(data[225:321]))
    r = subprocess.run([openssl, "pkeyutl", "-verify", "-pubin", "-inkey",
                        pub, "-in", digest, "-sigfile", sig],
                       capture_output=True, text=True)
    check(r.returncode == 0, f"openssl does not verify the signature: "
          f"{r.stdout} {r.stderr}")


def check_sign_verify(tmp, key, pub, point):
    payload = bytes(range(256)) * 7 + b"tail"
    img = sign(tmp, key, "fw", payload, 1, "1.2.3", 5)
    data = check_layout(img, payload, point, 1, (1, 2, 3, 0),
                        0x01020003, 5)
    check_openssl(tmp, data, pub)
    img2 = sign(tmp, key, "fw2", b"\x01", 0x1234, "255.254.65535.7", 9,
                ("--stamp", "0x42"))
    check_layout(img2, b"\x01", point, 0x1234, (255, 254, 65535, 7), 0x42,
                 9)

    expect(["verify", img], 0, "verify", stdout_has="authentic: component "
           "0x0001, version 1.2.3.0, svn 5, stamp 0x01020003")
    expect(["verify", "--pub", pub, img], 0, "verify --pub")
    r = expect(["verify", "--json", img], 0, "verify --json")
    j = json.loads(r.stdout)
    check(j == {"File": img, "Type": "image", "Verified": True,
                "Reason": "ok", "ImageComponentIdentifier": 1,
                "ImageVersion": "1.2.3.0",
                "ImageComparisonStamp": "0x01020003", "ImageSVN": 5,
                "ImagePayloadSize": len(payload),
                "ImagePayloadDigest": hashlib.sha384(payload).hexdigest(),
                "ImageKeyId": hashlib.sha384(point).hexdigest()[:32],
                "KeyChecked": "embedded"}, f"verify --json: {j}")
    _, pub2, _ = keygen(tmp, "other")
    expect(["verify", "--pub", pub2, img], EXIT_VERIFY, "wrong --pub",
           "not signed by the --pub key")

    spoiled = [
        ("payload byte", 600, "payload digest mismatch"),
        ("svn field", 0x18, "signature"),
        ("payload_digest", 0x20, "signature"),
        ("embedded key", 200, None),
        ("signature", 260, "signature"),
        ("reserved block", 400, "bad header"),
        ("magic", 0, "neither a signed image nor a valid package"),
    ]
    for what, offset, reason in spoiled:
        bad = bytearray(data)
        bad[offset] ^= 0x01
        path = os.path.join(tmp, "bad.img")
        write(path, bad)
        r = expect(["verify", path], EXIT_BAD_PACKAGE if offset == 0
                   else EXIT_VERIFY, f"tampered {what}", reason)
        check(r.stdout == "" or offset == 0,
              f"tampered {what}: reported as authentic")
        r = expect(["verify", "--pub", pub, "--json", path],
                   EXIT_BAD_PACKAGE if offset == 0 else EXIT_VERIFY,
                   f"tampered {what} --pub")
        j = json.loads(r.stdout)
        check(j["Verified"] is False and j["KeyChecked"] == "--pub"
              and (reason is None or offset == 0 or reason in j["Reason"]),
              f"tampered {what} --json: {j}")
    for what, content, reason in [
            ("truncated payload", data[:-1], "truncated"),
            ("header only", data[:200], "truncated"),
            ("trailing byte", data + b"\x00", "after the image's end")]:
        path = os.path.join(tmp, "bad.img")
        write(path, content)
        expect(["verify", path], EXIT_VERIFY, what, reason)

    # A re-signed image with the other key embedded verifies on its own
    # but not against the vendor key.
    key2 = os.path.join(tmp, "other.key.pem")
    img3 = sign(tmp, key2, "fw-other", payload, 1, "1.2.3", 5)
    expect(["verify", img3], 0, "other key, no --pub")
    expect(["verify", "--pub", pub, img3], EXIT_VERIFY,
           "other key against the vendor key")

    # Missing files, bad keys and inputs.
    missing = os.path.join(tmp, "missing")
    bin_ = os.path.join(tmp, "fw.bin")
    out = os.path.join(tmp, "out.img")
    args = ["--component", "1", "--version", "1.0.0", "--svn", "1"]
    expect(["verify", missing], EXIT_IO, "verify a missing file", missing)
    expect(["verify", "--pub", missing, img], EXIT_IO, "missing --pub")
    expect(["sign", "--key", missing, *args, "--in", bin_, "--out", out],
           EXIT_IO, "missing key", missing)
    expect(["sign", "--key", key, *args, "--in", missing, "--out", out],
           EXIT_IO, "missing input", missing)
    expect(["sign", "--key", pub, *args, "--in", bin_, "--out", out],
           EXIT_BAD_INPUT, "a public key to sign with", "not a private key")
    expect(["verify", "--pub", key, img], EXIT_BAD_INPUT,
           "a private key as --pub", "not a public key")
    empty = os.path.join(tmp, "empty.bin")
    write(empty, b"")
    expect(["sign", "--key", key, *args, "--in", empty, "--out", out],
           EXIT_BAD_INPUT, "empty input", "empty")
    expect(["sign", "--key", key, *args, "--in", bin_, "--out",
            os.path.join(tmp, "no", "dir", "x.img")], EXIT_IO,
           "unwritable output")
    check(not os.path.exists(out), "sign wrote an output after an error")
    neither = os.path.join(tmp, "neither.bin")
    write(neither, b"neither an image nor a package" * 4)
    expect(["verify", neither], EXIT_BAD_PACKAGE, "neither",
           "neither a signed image nor a valid package")
    return img, img2, img3, pub2


def check_packages(tmp, key, pub, img, img2, img3, pub2):
    pkg = os.path.join(tmp, "fw.pldm")
    r = expect(["create", "--out", pkg, "--descriptor", "0x0001=D5B40000",
                "--descriptor", "0xFFFF=prot-device:0102", "--image", img,
                "--image", img2, "--pub", pub,
                "--release-date-time", "2026-01-02 03:04:05"], 0, "create")
    check(f"{pkg}: " in r.stdout, "create reports what it wrote")
    r = expect(["info", "--json", pkg], 0, "info --json")
    info = json.loads(r.stdout)
    hdr = info["PackageHeaderInformation"]
    check(hdr["PackageHeaderFormatVersion"] == 4, "format revision 4")
    check(hdr["PackageReleaseDateTime"] == "2026-01-02 03:04:05", "date")
    check(hdr["PackageVersionString"] == "1.2.3", "package version string")
    fd = info["FirmwareDeviceIdentificationArea"]
    check(len(fd) == 1 and fd[0]["ApplicableComponents"] == [0, 1],
          "one FD record for both components")
    check(fd[0]["Descriptors"] == [
        {"DescriptorType": 1, "DescriptorTypeName": "IANA Enterprise ID",
         "DescriptorData": "D5B40000"},
        {"DescriptorType": 0xFFFF, "DescriptorTypeName": "Vendor Defined",
         "VendorDefinedDescriptorTitleStringType": 1,
         "VendorDefinedDescriptorTitleString": "prot-device",
         "VendorDefinedDescriptorData": "0102"}],
          f"descriptors {fd[0]['Descriptors']}")
    data = read(pkg)
    expected = [(img, 1, "0x01020003", "1.2.3"),
                (img2, 0x1234, "0x00000042", "255.254.65535.7")]
    comps = info["ComponentImageInformationArea"]
    check(len(comps) == 2, "two components")
    for comp, (path, ident, stamp, version) in zip(comps, expected):
        check(comp["ComponentIdentifier"] == ident
              and comp["ComponentComparisonStamp"] == stamp
              and comp["ComponentVersionString"] == version
              and comp["ComponentClassification"] == 0x000A
              and comp["ComponentOptions"] == [1],
              f"component {ident:#x}: {comp}")
        off, size = comp["ComponentLocationOffset"], comp["ComponentSize"]
        check(data[off:off + size] == read(path),
              f"component {ident:#x} does not frame its image")
    r = expect(["verify", pkg], 0, "verify the package",
               stdout_has="verified (2 signed component(s))")
    check("component 1 (0x1234): authentic" in r.stdout, r.stdout)
    expect(["verify", "--pub", pub, pkg], 0, "verify the package --pub")
    r = expect(["verify", "--json", "--pub", pub2, pkg], EXIT_VERIFY,
               "verify the package --json, wrong key")
    j = json.loads(r.stdout)
    check(j["Type"] == "package" and j["Verified"] is False
          and j["ChecksumsVerified"] is True
          and [(c["Index"], c["ComponentIdentifier"], c["Signed"],
                c["Verified"], c["Reason"], c["ImageSVN"])
               for c in j["Components"]]
          == [(0, 1, True, False, "signer key not the vendor key", 5),
              (1, 0x1234, True, False, "signer key not the vendor key", 9)],
          f"package --json: {j}")
    r = expect(["verify", "--json", pkg], 0, "verify the package --json")
    j = json.loads(r.stdout)
    check(j["Verified"] is True and j["Reason"] == "ok" and
          [c["ImagePayloadDigest"] for c in j["Components"]]
          == [hashlib.sha384(read(i)[512:]).hexdigest() for i in (img, img2)],
          f"package --json digests: {j}")
    expect(["verify", "--pub", pub2, pkg], EXIT_VERIFY,
           "package against the wrong key", "2 of 2 signed component(s)")

    # A byte of a component: the package checksum catches it.
    bad = bytearray(data)
    bad[comps[0]["ComponentLocationOffset"] + 600] ^= 1
    path = os.path.join(tmp, "bad.pldm")
    write(path, bad)
    expect(["verify", path], EXIT_BAD_PACKAGE, "tampered package",
           "payload checksum")

    # A tampered image packaged with fresh checksums: the signature check
    # catches it.
    tampered = bytearray(read(img))
    tampered[700] ^= 1
    timg = os.path.join(tmp, "tampered.img")
    write(timg, tampered)
    expect(["create", "--out", path, "--descriptor", "1=D5B40000",
            "--image", timg], EXIT_VERIFY, "create from a tampered image",
           "payload digest mismatch")
    expect(["create", "--out", path, "--descriptor", "1=D5B40000",
            "--image", timg, "--no-verify"], 0, "create --no-verify")
    r = expect(["verify", path], EXIT_VERIFY, "package of a tampered image",
               "payload digest mismatch")
    expect(["create", "--out", path, "--descriptor", "1=D5B40000",
            "--image", img3, "--pub", pub], EXIT_VERIFY,
           "create with an image of another key", "--pub")

    # Other refusals, and no output left behind.
    os.remove(path)
    plain = os.path.join(tmp, "fw.bin")
    for args, code, message in [
            (["--image", plain], EXIT_BAD_INPUT, "not a signed image"),
            (["--image", img, "--image", img3], EXIT_BAD_INPUT,
             "both for component 0x0001"),
            (["--image", os.path.join(tmp, "missing")], EXIT_IO, "missing"),
            (["--image", img, "--pub", os.path.join(tmp, "missing")],
             EXIT_IO, "missing")]:
        expect(["create", "--out", path, "--descriptor", "1=D5B40000",
                *args], code, f"create {args}", message)
        check(not os.path.exists(path), f"create {args} left an output")
    # The first descriptor must be of an initial type (the writer says).
    expect(["create", "--out", path, "--descriptor", "0x0100=0100",
            "--image", img], EXIT_WRITE, "non-initial first descriptor")

    # Older format revision, own version string.
    r = expect(["create", "--out", path, "--descriptor", "1=D5B40000",
                "--image", img, "--format-revision", "2",
                "--version-string", "release-7"], 0, "create revision 2")
    info = json.loads(run("info", "--json", path).stdout)
    check(info["PackageHeaderInformation"]["PackageHeaderFormatVersion"] == 2
          and info["PackageHeaderInformation"]["PackageVersionString"]
          == "release-7"
          and info["FirmwareDeviceIdentificationArea"][0][
              "ComponentImageSetVersionString"] == "release-7",
          "--format-revision / --version-string")
    expect(["verify", path], 0, "verify revision 2")


def main():
    with tempfile.TemporaryDirectory() as tmp:
        check_help()
        check_bad_args(tmp)
        key, pub, point = check_keygen(tmp)
        img, img2, img3, pub2 = check_sign_verify(tmp, key, pub, point)
        check_packages(tmp, key, pub, img, img2, img3, pub2)
    if failures:
        print(f"{len(failures)} failure(s)")
        return 1
    print("check-prot-pkg-cli: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
