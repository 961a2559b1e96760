#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Generate the test PKI in tests/pki/ with the openssl CLI (not with our
# code, so that the files are an independent reference for the crypto
# tests). The outputs are committed: tests never run this script. Run it
# again only to change the PKI, then commit every file it writes.
#
#   scripts/gen-test-pki.sh [OUTDIR]      (default: tests/pki)
#
# For each of p384 (NIST P-384, certificates signed with ECDSA-SHA384) and
# p256 (NIST P-256, ECDSA-SHA256), and for "other" (an unrelated P-384
# root with its own intermediate and leaf, for wrong-root tests):
#   root.*   self-signed root CA (CA:TRUE, keyCertSign, cRLSign)
#   inter.*  intermediate CA (CA:TRUE, pathlen:0, keyCertSign, cRLSign)
#   leaf.*   device certificate (CA:FALSE, digitalSignature)
#   X.cert.der / X.cert.pem   the certificate
#   X.key.pem                 private key, PKCS#8 PEM
#   leaf.key.der              leaf private key, SEC1 DER (ECPrivateKey)
#   leaf.pub.der              leaf public key, SubjectPublicKeyInfo DER
#                             (openssl ec -pubout)
#   leaf.pub.bin              leaf public key as SPDM carries it: the
#                             uncompressed point 0x04 || X || Y (the tail
#                             of leaf.pub.der)
#   chain-sha384.bin / chain-sha256.bin
#       SPDM certificate chains (DSP0274 "Certificate chain format"):
#       Length (2 bytes, little endian: the whole chain, header included),
#       Reserved (2 bytes, 0), RootHash (SHA-384 or SHA-256 of root.cert.der,
#       the negotiated BaseHashAlgo), then root, intermediate and leaf
#       certificates in DER, root first.
#   leaf.sig-<hash>.der / .raw
#       openssl dgst -<hash> -sign leaf.key.pem over ../msg.bin: the DER
#       ECDSA-Sig-Value, and the same signature as SPDM carries it, r || s,
#       each left-padded to the curve size (from openssl asn1parse).
# Top level: msg.bin (the signed message), msg.sha256 / msg.sha384 (its
# digests, openssl dgst -binary).
#
# Validity: 2025-01-01 to 2125-01-01, so that the tests do not expire.
set -euo pipefail

cd "$(dirname "$0")/.."
out=${1:-tests/pki}
mkdir -p "$out"
out=$(cd "$out" && pwd)

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

start=20250101000000Z
end=21250101000000Z

cat >"$work/ca.cnf" <<CNF
[ca]
default_ca = test_ca

[test_ca]
database = $work/index.txt
new_certs_dir = $work/new
serial = $work/serial
policy = policy_any
unique_subject = no
email_in_dn = no
copy_extensions = none
default_md = sha384

[policy_any]
organizationName = supplied
commonName = supplied

[req]
distinguished_name = req_dn
prompt = no

[req_dn]
CN = unused

[v3_root]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash

[v3_inter]
basicConstraints = critical, CA:TRUE, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always

[v3_leaf]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
CNF
mkdir "$work/new"
: >"$work/index.txt"

# $1 curve name, $2 output key (PKCS#8 PEM)
gen_key() {
	openssl genpkey -algorithm EC -pkeyopt "ec_paramgen_curve:$1" \
		-pkeyopt ec_param_enc:named_curve -out "$2" 2>/dev/null
}

# $1 dir, $2 name, $3 subject, $4 extensions section, $5 md, $6 serial,
# $7 issuer name (empty: self-signed)
issue() {
	local dir=$1 name=$2 subj=$3 ext=$4 md=$5 serial=$6 issuer=$7
	local sign_args
	echo "$serial" >"$work/serial"
	openssl req -new -config "$work/ca.cnf" -key "$dir/$name.key.pem" \
		-subj "$subj" -out "$work/$name.csr"
	if [ -z "$issuer" ]; then
		sign_args=(-selfsign -keyfile "$dir/$name.key.pem")
	else
		sign_args=(-cert "$dir/$issuer.cert.pem"
			-keyfile "$dir/$issuer.key.pem")
	fi
	openssl ca -batch -config "$work/ca.cnf" "${sign_args[@]}" \
		-in "$work/$name.csr" -out "$dir/$name.cert.pem" \
		-extensions "$ext" -md "$md" -notext \
		-startdate "$start" -enddate "$end" 2>/dev/null
	openssl x509 -in "$dir/$name.cert.pem" -outform DER \
		-out "$dir/$name.cert.der"
}

# Little-endian 16-bit value as raw bytes.
le16() {
	printf '%b' "$(printf '\\x%02x\\x%02x' $(($1 & 255)) $(($1 >> 8)))"
}

# $1 dir, $2 hash (sha256 or sha384)
spdm_chain() {
	local dir=$1 hash=$2 hlen certs_len total
	case $hash in
	sha256) hlen=32 ;;
	sha384) hlen=48 ;;
	esac
	cat "$dir/root.cert.der" "$dir/inter.cert.der" "$dir/leaf.cert.der" \
		>"$work/certs"
	certs_len=$(stat -c %s "$work/certs")
	total=$((4 + hlen + certs_len))
	if [ "$total" -gt 65535 ]; then
		echo "gen-test-pki: chain too long" >&2
		exit 1
	fi
	{
		le16 "$total"
		le16 0
		openssl dgst "-$hash" -binary "$dir/root.cert.der"
		cat "$work/certs"
	} >"$dir/chain-$hash.bin"
	test "$(stat -c %s "$dir/chain-$hash.bin")" -eq "$total"
}

# DER ECDSA-Sig-Value to r || s, each $2 bytes, big endian.
sig_raw() {
	local der=$1 size=$2 ints
	mapfile -t ints < <(openssl asn1parse -inform DER -in "$der" |
		awk -F: '/INTEGER/ {print $NF}')
	if [ ${#ints[@]} -ne 2 ]; then
		echo "gen-test-pki: $der is not an ECDSA signature" >&2
		exit 1
	fi
	local v
	for v in "${ints[@]}"; do
		# Left-pad to the curve size; a leading 00 (sign byte) is
		# already stripped by asn1parse.
		v=$(printf "%$((size * 2))s" "$v" | tr ' ' 0)
		if [ ${#v} -ne $((size * 2)) ]; then
			echo "gen-test-pki: integer too long in $der" >&2
			exit 1
		fi
		printf '%b' "$(printf '%s' "$v" | sed 's/../\\x&/g')"
	done
}

# $1 dir, $2 curve, $3 md for certificates, $4 organisation, $5 serial base
pki() {
	local dir=$out/$1 curve=$2 md=$3 org=$4 base=$5 n
	mkdir -p "$dir"
	for n in root inter leaf; do
		gen_key "$curve" "$dir/$n.key.pem"
	done
	issue "$dir" root "/O=$org/CN=$org Test Root CA" v3_root "$md" \
		"${base}01" ""
	issue "$dir" inter "/O=$org/CN=$org Test Intermediate CA" v3_inter \
		"$md" "${base}02" root
	issue "$dir" leaf "/O=$org/CN=$org Test Device" v3_leaf "$md" \
		"${base}03" inter
	openssl ec -in "$dir/leaf.key.pem" -outform DER \
		-out "$dir/leaf.key.der" 2>/dev/null
	openssl ec -in "$dir/leaf.key.pem" -pubout -outform DER \
		-conv_form uncompressed -out "$dir/leaf.pub.der" 2>/dev/null
	# The BIT STRING holding the point ends the SubjectPublicKeyInfo.
	local size=$(( ($(openssl ec -in "$dir/leaf.key.pem" -text -noout \
		2>/dev/null | awk '/Private-Key:/ {gsub(/[(]/, ""); print $2}') + 7) / 8 ))
	tail -c $((1 + 2 * size)) "$dir/leaf.pub.der" >"$dir/leaf.pub.bin"
	test "$(head -c 1 "$dir/leaf.pub.bin" | od -An -tx1 | tr -d ' ')" = 04
	echo "$size" >"$work/$1.size"
}

# $1 dir, $2 hash
sign_golden() {
	local dir=$out/$1 hash=$2 size
	size=$(cat "$work/$1.size")
	openssl dgst "-$hash" -sign "$dir/leaf.key.pem" \
		-out "$dir/leaf.sig-$hash.der" "$out/msg.bin"
	sig_raw "$dir/leaf.sig-$hash.der" "$size" >"$dir/leaf.sig-$hash.raw"
	# Self-check with openssl itself.
	openssl dgst "-$hash" -verify "$dir/leaf.pub.der" -keyform DER \
		-signature "$dir/leaf.sig-$hash.der" "$out/msg.bin" >/dev/null
}

printf 'libspdm-lite interop message: signed by openssl dgst -sign\n' \
	>"$out/msg.bin"
openssl dgst -sha256 -binary "$out/msg.bin" >"$out/msg.sha256"
openssl dgst -sha384 -binary "$out/msg.bin" >"$out/msg.sha384"

pki p384 P-384 sha384 "PRoT P384" 10
pki p256 P-256 sha256 "PRoT P256" 20
pki other P-384 sha384 "Other" 30

for d in p384 p256; do
	spdm_chain "$out/$d" sha384
	spdm_chain "$out/$d" sha256
done
spdm_chain "$out/other" sha384

sign_golden p384 sha384
sign_golden p256 sha256
# P-256 key over a SHA-384 digest (SPDM allows any BaseHashAlgo with any
# BaseAsymAlgo): ECDSA uses the leftmost 256 bits of the digest.
sign_golden p256 sha384

# Each chain must verify with openssl too.
for d in p384 p256 other; do
	openssl verify -CAfile "$out/$d/root.cert.pem" \
		-untrusted "$out/$d/inter.cert.pem" "$out/$d/leaf.cert.pem" \
		>/dev/null
done
echo "gen-test-pki: wrote $out"
