#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Run prot-pkg on the shared DSP0267 vectors.

usage: check-prot-pkg.py PROT_PKG VECTOR_DIR

- info --json: every field of the vector's .json appears with the same
  value (the .json is the input of the public generator that made the
  vector); offsets and sizes point at the component images; valid JSON.
- info (text): every field printed, checksums stated as checked.
- corrupted, truncated and missing files: the parser's reason and the
  documented exit code.
- create from the vector's .json and images reproduces the vector byte
  for byte; so does create from info --json's own output; bad configs
  are refused with their exit code.
"""
import json
import os
import subprocess
import sys
import tempfile

PROT_PKG, VECTORS = sys.argv[1], sys.argv[2]
VECTOR_NAMES = ["sample-v1.0", "sample-v1.3"]
IMAGES = [os.path.join(VECTORS, n) for n in ("fw_comp0.bin", "fw_comp1.bin")]
EXIT_IO, EXIT_USAGE, EXIT_BAD_PACKAGE, EXIT_BAD_CONFIG, EXIT_WRITE = 1, 2, 3, 4, 5
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what)


def run(*args):
    return subprocess.run([PROT_PKG, *args], capture_output=True, text=True)


def read(path):
    with open(path, "rb") as f:
        return f.read()


def contains(expected, actual, path="$"):
    """Every key/element of expected is in actual with the same value."""
    if isinstance(expected, dict):
        check(isinstance(actual, dict), f"{path}: not an object")
        if not isinstance(actual, dict):
            return
        for key, value in expected.items():
            check(key in actual, f"{path}.{key}: missing from info --json")
            if key in actual:
                contains(value, actual[key], f"{path}.{key}")
    elif isinstance(expected, list):
        check(isinstance(actual, list) and len(actual) == len(expected),
              f"{path}: list of {len(expected)} expected, got {actual!r}")
        if isinstance(actual, list):
            for i, (e, a) in enumerate(zip(expected, actual)):
                contains(e, a, f"{path}[{i}]")
    else:
        check(expected == actual and type(expected) is type(actual),
              f"{path}: {expected!r} expected, got {actual!r}")


def check_info_json(name):
    pkg = os.path.join(VECTORS, name + ".pldm")
    with open(os.path.join(VECTORS, name + ".json")) as f:
        expected = json.load(f)
    r = run("info", "--json", pkg)
    check(r.returncode == 0, f"{name}: info --json exit {r.returncode}")
    out = json.loads(r.stdout)  # valid JSON, or this raises
    contains(expected, out)

    # What the .json does not carry, checked against the file itself.
    data = read(pkg)
    hdr = out["PackageHeaderInformation"]
    check(hdr["PackageHeaderSize"] == data[17] | data[18] << 8,
          f"{name}: PackageHeaderSize")
    check(hdr["ChecksumsVerified"] is True, f"{name}: checksums")
    check(("PackagePayloadChecksum" in hdr)
          == (hdr["PackageHeaderFormatVersion"] == 4),
          f"{name}: payload checksum only in 0x04")
    for i, comp in enumerate(out["ComponentImageInformationArea"]):
        off, size = comp["ComponentLocationOffset"], comp["ComponentSize"]
        check(data[off:off + size] == read(IMAGES[i]),
              f"{name}: component {i} offset/size do not frame its image")
    return out


def check_info_text(name):
    r = run("info", os.path.join(VECTORS, name + ".pldm"))
    check(r.returncode == 0, f"{name}: info exit {r.returncode}")
    for text in [
            "PackageHeaderIdentifier: ", "PackageHeaderFormatRevision: ",
            "PackageHeaderSize: ", "PackageReleaseDateTime: 2025-01-02 "
            "03:04:05", "ComponentBitmapBitLength: 8",
            'PackageVersionString: ASCII (1), 12 bytes, "demo-pkg-1.0"',
            "DeviceUpdateOptionFlags: 0x00000001",
            '"demo-fw-1.0"', "ApplicableComponents (bitmap 03): 0 1",
            "(IANA Enterprise ID)", "DescriptorData: 4 bytes, hex 47160000",
            "(PCI Device ID)", "(Vendor Defined)",
            'VendorDefinedDescriptorTitleString: ASCII (1), 4 bytes, "Demo"',
            "VendorDefinedDescriptorData: 2 bytes, hex CAFE",
            "FirmwareDevicePackageData: 0 bytes",
            "ComponentClassification: 0x000A (Firmware)",
            "ComponentIdentifier: 0x0001", "ComponentIdentifier: 0x0002",
            "ComponentComparisonStamp: 0x00000002",
            "ComponentComparisonStamp: 0xFFFFFFFF",
            "ComponentOptions: 0x0002 [bit 1: use component comparison stamp]",
            "RequestedComponentActivationMethod: 0x0001 [bit 0: automatic]",
            "ComponentLocationOffset: ", "ComponentSize: 100",
            "ComponentSize: 54", '"comp0-v2"', '"comp1-v1"',
            "PackageHeaderChecksum: 0x", "(checked: matches)"]:
        check(text in r.stdout, f"{name}: info lacks {text!r}")
    v13 = name.endswith("1.3")
    for text in ["PackagePayloadChecksum: 0x", "ReferenceManifestData: ",
                 "ComponentOpaqueData: ",
                 "DownstreamDeviceIdentificationArea: 0 record(s)"]:
        check((text in r.stdout) == v13,
              f"{name}: {text!r} only in format 0x04")


def check_bad_packages(tmp):
    data = bytearray(read(os.path.join(VECTORS, "sample-v1.3.pldm")))
    cases = []
    spoiled = bytearray(data)
    spoiled[0x24] ^= 0x01  # a byte of the version string
    cases.append(("header byte flipped", spoiled, "header checksum"))
    spoiled = bytearray(data)
    spoiled[-1] ^= 0x80  # a byte of the last image
    cases.append(("image byte flipped", spoiled, "payload checksum"))
    cases.append(("truncated to 10 bytes", data[:10], "truncated"))
    spoiled = bytearray(data)
    spoiled[0] ^= 0xff
    cases.append(("identifier spoiled", spoiled, "unknown header identifier"))
    for what, content, reason in cases:
        path = os.path.join(tmp, "bad.pldm")
        with open(path, "wb") as f:
            f.write(content)
        for args in (["info", path], ["info", "--json", path]):
            r = run(*args)
            check(r.returncode == EXIT_BAD_PACKAGE,
                  f"{what}: {args[:-1]} exit {r.returncode}")
            check(reason in r.stderr,
                  f"{what}: reason {reason!r} not in {r.stderr!r}")
            check(r.stdout == "", f"{what}: fields printed for a bad package")
    r = run("info", os.path.join(tmp, "no-such-file"))
    check(r.returncode == EXIT_IO, f"missing file: exit {r.returncode}")
    for args in ([], ["info"], ["frobnicate"], ["create", "--out", "x"]):
        r = run(*args)
        check(r.returncode == EXIT_USAGE, f"{args}: exit {r.returncode}")
        check("usage:" in r.stderr and "exit status" in r.stderr,
              f"{args}: usage with the exit codes")


def create(tmp, config, images=IMAGES, extra=()):
    cfg = os.path.join(tmp, "config.json")
    with open(cfg, "w") as f:
        json.dump(config, f)
    out = os.path.join(tmp, "out.pldm")
    if os.path.exists(out):
        os.remove(out)
    r = run("create", "--config", cfg, "--out", out, *extra, *images)
    return r, out


def check_create(tmp, name, info):
    vector = read(os.path.join(VECTORS, name + ".pldm"))
    out = os.path.join(tmp, name + ".pldm")
    r = run("create", "--config", os.path.join(VECTORS, name + ".json"),
            "--out", out, *IMAGES)
    check(r.returncode == 0, f"{name}: create exit {r.returncode}: {r.stderr}")
    check(os.path.exists(out) and read(out) == vector,
          f"{name}: create does not reproduce the vector")

    # info --json output is a config too: the same bytes again.
    r, out = create(tmp, info)
    check(r.returncode == 0 and read(out) == vector,
          f"{name}: create from info --json differs: {r.stderr}")

    with open(os.path.join(VECTORS, name + ".json")) as f:
        config = json.load(f)
    # Options override the config.
    r, out = create(tmp, config, extra=("--format-revision", "2",
                                        "--release-date-time",
                                        "2030-12-31T23:59:58"))
    check(r.returncode == 0, f"{name}: create with options: {r.stderr}")
    info2 = json.loads(run("info", "--json", out).stdout)
    h = info2["PackageHeaderInformation"]
    check(h["PackageHeaderFormatVersion"] == 2
          and h["PackageReleaseDateTime"] == "2030-12-31 23:59:58",
          f"{name}: --format-revision / --release-date-time ignored")

    # Refusals: config errors (4), writer errors (5).
    bad = json.loads(json.dumps(config))
    del bad["PackageHeaderInformation"]["PackageVersionString"]
    r, out = create(tmp, bad)
    check(r.returncode == EXIT_BAD_CONFIG
          and "PackageVersionString: missing" in r.stderr,
          f"{name}: missing string: {r.returncode} {r.stderr!r}")
    check(not os.path.exists(out), f"{name}: output left after an error")
    r, out = create(tmp, config, images=IMAGES[:1])
    check(r.returncode == EXIT_BAD_CONFIG and "1 image(s)" in r.stderr,
          f"{name}: image count: {r.returncode} {r.stderr!r}")
    bad = json.loads(json.dumps(config))
    bad["FirmwareDeviceIdentificationArea"][0]["Descriptors"][0][
        "DescriptorData"] = "471600"
    r, out = create(tmp, bad)
    check(r.returncode == EXIT_WRITE and "bad descriptor length" in r.stderr
          and "Descriptors[0]" in r.stderr,
          f"{name}: descriptor length: {r.returncode} {r.stderr!r}")
    bad = json.loads(json.dumps(config))
    bad["PackageHeaderInformation"]["PackageVersionString"] = "x" * 256
    r, out = create(tmp, bad)
    check(r.returncode == EXIT_WRITE and "string too long" in r.stderr,
          f"{name}: long string: {r.returncode} {r.stderr!r}")
    bad = json.loads(json.dumps(config))
    bad["FirmwareDeviceIdentificationArea"][0]["ApplicableComponents"] = [2]
    r, out = create(tmp, bad)
    check(r.returncode == EXIT_BAD_CONFIG and "index of no component"
          in r.stderr, f"{name}: applicable: {r.returncode} {r.stderr!r}")
    bad = json.loads(json.dumps(config))
    bad["PackageHeaderInformation"]["PackageHeaderIdentifier"] = "00" * 16
    r, out = create(tmp, bad)
    check(r.returncode == EXIT_BAD_CONFIG
          and "PackageHeaderIdentifier" in r.stderr,
          f"{name}: identifier: {r.returncode} {r.stderr!r}")
    bad = json.loads(json.dumps(config))
    del bad["ComponentImageInformationArea"][0]["ComponentComparisonStamp"]
    r, out = create(tmp, bad)
    check(r.returncode == EXIT_BAD_CONFIG
          and "ComponentComparisonStamp: missing" in r.stderr,
          f"{name}: stamp with option 1: {r.returncode} {r.stderr!r}")
    cfg = os.path.join(tmp, "broken.json")
    with open(cfg, "w") as f:
        f.write("{ \"PackageHeaderInformation\": ")
    r = run("create", "--config", cfg, "--out", out, *IMAGES)
    check(r.returncode == EXIT_BAD_CONFIG, f"{name}: broken JSON exit "
          f"{r.returncode}")


def check_extensions(tmp):
    """Fields the reference generator cannot set, through create and info."""
    with open(os.path.join(VECTORS, "sample-v1.3.json")) as f:
        config = json.load(f)
    fd = config["FirmwareDeviceIdentificationArea"][0]
    fd["FirmwareDevicePackageData"] = "D0D1"
    fd["ReferenceManifestData"] = "E0E1E2"
    config["DownstreamDeviceIdentificationArea"] = [{
        "DownstreamDeviceUpdateOptionFlags": [0],
        "DownstreamDeviceSelfContainedActivationMinVersionString": "min-1",
        "DownstreamDeviceSelfContainedActivationMinVersionComparisonStamp":
            0x12345678,
        "ApplicableComponents": [1],
        "Descriptors": [{"DescriptorType": 0, "DescriptorData": "8680"}],
        "DownstreamDevicePackageData": "AB",
        "DownstreamDeviceReferenceManifestData": "CD",
    }]
    config["ComponentImageInformationArea"][1]["ComponentOpaqueData"] = "0F"
    config["ComponentImageInformationArea"][1]["ComponentVersionStringHex"] = \
        "00FF"
    del config["ComponentImageInformationArea"][1]["ComponentVersionString"]
    h = config["PackageHeaderInformation"]
    h["PackageReleaseDateTimeMicrosecond"] = 123456
    h["PackageReleaseDateTimeUTCOffset"] = -120
    h["ComponentBitmapBitLength"] = 16
    r, out = create(tmp, config)
    check(r.returncode == 0, f"extensions: create: {r.stderr}")
    r = run("info", "--json", out)
    check(r.returncode == 0, f"extensions: info: {r.stderr}")
    info = json.loads(r.stdout)
    contains(config, info, "extensions")
    text = run("info", out).stdout
    check("hex 00FF" in text and "SelfContainedActivationMinVersion"
          "ComparisonStamp: 0x12345678" in text,
          "extensions: text info lacks the downstream stamp or hex string")


def main():
    with tempfile.TemporaryDirectory() as tmp:
        for name in VECTOR_NAMES:
            info = check_info_json(name)
            check_info_text(name)
            check_create(tmp, name, info)
        check_bad_packages(tmp)
        check_extensions(tmp)
    if failures:
        print(f"{len(failures)} failure(s)")
        return 1
    print("check-prot-pkg: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
