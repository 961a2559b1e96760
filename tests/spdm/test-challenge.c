/* SPDX-License-Identifier: Apache-2.0 */
/*
 * CHALLENGE / CHALLENGE_AUTH, both roles, with real ECDSA and hashes (the
 * POSIX port on mbedTLS) and the committed test PKI (tests/pki).
 *
 * Golden bytes: CHALLENGE and the unsigned part of CHALLENGE_AUTH are
 * written by hand from the DSP0274 tables ("CHALLENGE request message
 * format", "Successful CHALLENGE_AUTH response message format",
 * "Measurement block format"). CertChainHash values are
 * `openssl dgst -sha384 / -sha256 -binary` of tests/pki/<dir>/chain-*.bin;
 * the measurement summary hashes are openssl digests of the measurement
 * blocks written by hand (see summary_*). The signed 1.2 response in
 * golden_signed_12 was recorded once and its signature checked with the
 * openssl CLI (see the comment there).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "fixtures.h"
#include "pki-env.h"
#include "prot-posix/crypto.h"
#include "spdm/challenge.h"

/* ---- measurements: 1 immutable ROM (raw), 2 mutable firmware (raw, 200
 * bytes 0..199), 3 hardware configuration (a digest of 0x33 bytes) ---- */

static const uint8_t rom_value[] = {'i', 'm', 'm', 'u', 't', 'a', 'b', 'l',
				    'e', '-', 'r', 'o', 'm', '-', 'v', '1'};

static int dev_count(void *ctx)
{
	(void)ctx;
	return 3;
}

static int dev_block(void *ctx, uint8_t index, enum spdm_hash_alg hash,
		     uint8_t *type, bool *raw, uint8_t *value,
		     size_t *value_len)
{
	size_t i, n;

	(void)ctx;
	switch (index) {
	case 1:
		n = sizeof(rom_value);
		memcpy(value, rom_value, n);
		*type = SPDM_MEAS_TYPE_IMMUTABLE_ROM;
		*raw = true;
		break;
	case 2:
		n = 200;
		if (*value_len < n)
			return -EMSGSIZE;
		for (i = 0; i < n; i++)
			value[i] = (uint8_t)i;
		*type = SPDM_MEAS_TYPE_MUTABLE_FIRMWARE;
		*raw = true;
		break;
	case 3:
		n = spdm_hash_size(hash);
		memset(value, 0x33, n);
		*type = SPDM_MEAS_TYPE_HARDWARE_CONFIG;
		*raw = false;
		break;
	default:
		return -ENOENT;
	}
	*value_len = n;
	return 0;
}

static const struct spdm_measurement_ops dev_ops = {dev_count, dev_block};

/* openssl dgst -binary of tests/pki/p384/chain-sha384.bin (SHA-384) and
 * p256/chain-sha256.bin (SHA-256). */
static const uint8_t chain_hash_384[48] = {
	0xa1, 0x41, 0xa7, 0xe0, 0xe5, 0x88, 0x05, 0x33, 0x0e, 0x1e, 0x60, 0x49,
	0x6b, 0xa4, 0xda, 0xe8, 0x00, 0x75, 0xb7, 0x25, 0x06, 0xfe, 0xdd, 0xfe,
	0x55, 0x65, 0x75, 0x5c, 0x65, 0xda, 0x9c, 0x7b, 0x93, 0x5b, 0xc9, 0xd8,
	0x39, 0xec, 0xcc, 0x2d, 0x91, 0x26, 0x21, 0x8b, 0xa9, 0xfd, 0x13, 0xe2};
static const uint8_t chain_hash_256[32] = {
	0x43, 0xa6, 0x49, 0x1c, 0xdb, 0x61, 0xaf, 0xc9, 0xaf, 0x8e, 0x22,
	0x07, 0x95, 0x9b, 0x01, 0xf8, 0xe1, 0x47, 0x87, 0xf3, 0x41, 0x3e,
	0xa3, 0x27, 0x59, 0xd8, 0x12, 0x74, 0xe6, 0x44, 0x27, 0xdb};

/* Measurement summary hashes, by openssl dgst -binary over the blocks as
 * MEASUREMENTS carries them (digests, H = 48 or 32):
 *   B1 = 01 01 (3+H) 00 | 00 H 00 | H("immutable-rom-v1")
 *   B2 = 02 01 (3+H) 00 | 01 H 00 | H(bytes 0..199)
 *   B3 = 03 01 (3+H) 00 | 02 H 00 | 0x33 x H
 * TCB: H(B1) (the immutable ROM block); all: H(B1 || B2 || B3). */
static const uint8_t summary_tcb_384[48] = {
	0xf9, 0x7e, 0x97, 0xae, 0x87, 0x1e, 0x39, 0xe9, 0x99, 0x94, 0x57, 0xf8,
	0xde, 0xac, 0x34, 0x0b, 0xd4, 0x86, 0x56, 0x59, 0xe7, 0xce, 0xff, 0x9b,
	0x06, 0x8b, 0x1c, 0x70, 0x8d, 0xf8, 0x1a, 0x5c, 0x1e, 0x67, 0x0d, 0x24,
	0x43, 0x4e, 0x2c, 0x5e, 0x98, 0x38, 0x99, 0x99, 0x26, 0xe2, 0xc6, 0xa0};
static const uint8_t summary_all_384[48] = {
	0x16, 0x70, 0x02, 0xb4, 0xe7, 0x88, 0x8d, 0x52, 0x34, 0x48, 0x3d, 0x54,
	0xef, 0xb5, 0x67, 0xa3, 0xa4, 0xfb, 0x53, 0xa2, 0xfe, 0xcc, 0x67, 0xfc,
	0x33, 0x9e, 0x61, 0xab, 0xa6, 0xe5, 0x3e, 0xb6, 0xf2, 0x1c, 0xa6, 0x4a,
	0xbc, 0xf9, 0x61, 0x09, 0x4d, 0x5d, 0x63, 0x2f, 0xac, 0x60, 0xbe, 0x72};
static const uint8_t summary_tcb_256[32] = {
	0x7e, 0x49, 0x12, 0x58, 0x60, 0x27, 0x52, 0xd2, 0xe8, 0xa7, 0xb9,
	0xd7, 0x56, 0x36, 0x70, 0x4f, 0x1c, 0xa0, 0xdf, 0x6b, 0xf9, 0x9d,
	0x25, 0xc0, 0x4d, 0xd2, 0xff, 0xa2, 0x20, 0x6e, 0xe5, 0x5f};
static const uint8_t summary_all_256[32] = {
	0x75, 0xe2, 0xcd, 0x45, 0x87, 0x3c, 0x79, 0xa4, 0x27, 0x06, 0xdb,
	0x0b, 0x9b, 0x44, 0xbc, 0x90, 0x9f, 0xdc, 0x64, 0x27, 0x0f, 0xec,
	0xa7, 0x91, 0x1d, 0x92, 0x8c, 0xa3, 0x4a, 0x5a, 0x7e, 0xb5};

static const uint8_t *expected_summary(bool p384, uint8_t type)
{
	if (type == SPDM_CHAL_SUMMARY_TCB)
		return p384 ? summary_tcb_384 : summary_tcb_256;
	return p384 ? summary_all_384 : summary_all_256;
}

/* ---- one requester and one responder ---- */

struct env {
	struct test_crypto rc, qc;
	struct spdm_responder_config rcfg;
	struct spdm_requester_config qcfg;
	struct spdm_responder r;
	struct spdm_requester q;
	bool p384;
	uint8_t chain[4096];
	size_t chain_len;
	uint8_t req[SPDM_REQUESTER_REQ_SIZE];
	size_t req_len;
	uint8_t rsp[SPDM_MAX_MSG_SIZE];
	size_t rsp_len;
	void (*mutate)(struct env *e);
	unsigned int exchanges;
};

static struct env env;

static int pump(void)
{
	int err;

	do {
		env.req_len = sizeof(env.req);
		assert_int_equal(
			spdm_requester_next(&env.q, env.req, &env.req_len), 0);
		env.rsp_len = sizeof(env.rsp);
		assert_int_equal(spdm_responder_handle(&env.r, env.req,
						       env.req_len, env.rsp,
						       &env.rsp_len),
				 0);
		if (env.mutate)
			env.mutate(&env);
		env.exchanges++;
		err = spdm_requester_rx(&env.q, env.rsp, env.rsp_len);
	} while (err == -EAGAIN);
	return err;
}

/* Responder (slot 0: the chain of @p384 ? p384 : p256, its leaf key;
 * @flags) and requester trusting the matching root, both at @version,
 * connected. */
static void setup_flags(uint8_t version, bool p384, uint32_t flags)
{
	static uint8_t versions[1];
	const char *dir = p384 ? "p384" : "p256";
	char name[512], rel[64];

	memset(&env, 0, sizeof(env));
	test_ops = prot_crypto_ops;
	test_ops.random = test_random;
	test_ops.sign = test_sign;
	versions[0] = version;
	env.p384 = p384;
	assert_int_equal(prot_crypto_init(&env.rc.pc), 0);
	assert_int_equal(prot_crypto_init(&env.qc.pc), 0);
	snprintf(name, sizeof(name), "%s/%s/leaf.key.pem", PROT_TEST_PKI_DIR,
		 dir);
	assert_int_equal(prot_crypto_load_slot_key_file(&env.rc.pc, 0, name),
			 0);
	snprintf(name, sizeof(name), "%s/%s/root.cert.der", PROT_TEST_PKI_DIR,
		 dir);
	assert_int_equal(prot_crypto_add_trust_anchor_file(&env.qc.pc, name),
			 0);
	snprintf(rel, sizeof(rel), "%s/chain-%s.bin", dir,
		 p384 ? "sha384" : "sha256");
	env.chain_len = read_file(rel, env.chain, sizeof(env.chain));
	env.rc.det_random = true;
	env.rc.next_byte = 0xA0;
	env.qc.det_random = true;
	env.qc.next_byte = 0x50;

	env.rcfg = rsp_config(versions, 1);
	env.rcfg.flags = flags;
	env.rcfg.base_asym_algo = p384 ? SPDM_ASYM_ALGO_ECDSA_P384
				       : SPDM_ASYM_ALGO_ECDSA_P256;
	env.rcfg.base_hash_algo = p384 ? SPDM_HASH_ALGO_SHA_384
				       : SPDM_HASH_ALGO_SHA_256;
	env.rcfg.measurement_hash_algo = p384 ? SPDM_MEAS_HASH_SHA_384
					      : SPDM_MEAS_HASH_SHA_256;
	if (!(flags & SPDM_RSP_MEAS_CAP_MASK))
		env.rcfg.measurement_specification = 0;
	env.rcfg.measurement_ops = &dev_ops;
	env.rcfg.cert_slots[0].chain = env.chain;
	env.rcfg.cert_slots[0].len = env.chain_len;
	env.rcfg.cert_chain_hash_algo = env.rcfg.base_hash_algo;
	assert_int_equal(
		spdm_responder_init(&env.r, &env.rcfg, &test_ops, &env.rc), 0);
	env.qcfg = req_config(versions, 1);
	assert_int_equal(
		spdm_requester_init(&env.q, &env.qcfg, &test_ops, &env.qc), 0);
	assert_int_equal(spdm_requester_connect(&env.q), 0);
	assert_int_equal(pump(), 0);
}

static void setup(uint8_t version, bool p384)
{
	setup_flags(version, p384, RSP_FLAGS);
}

static void teardown(void)
{
	if (env.r.cert.m1.started)
		prot_crypto_ops.hash_abort(&env.rc, &env.r.cert.m1.state);
	if (env.q.cert.m1.started)
		prot_crypto_ops.hash_abort(&env.qc, &env.q.cert.m1.state);
	prot_crypto_free(&env.rc.pc);
	prot_crypto_free(&env.qc.pc);
}

static size_t hsize(void)
{
	return env.p384 ? 48 : 32;
}

static const uint8_t *chain_hash(void)
{
	return env.p384 ? chain_hash_384 : chain_hash_256;
}

/* The certificate flow for slot 0 (verified). */
static void cert_flow(void)
{
	assert_int_equal(spdm_requester_get_certificate(&env.q, 0, 0), 0);
	assert_int_equal(pump(), 0);
	assert_int_equal(spdm_requester_cert_verdict(&env.q), SPDM_VERIFIED);
}

/* No certificate flow: the leaf key and the chain digest known from
 * elsewhere (the openssl digest above, tests/pki leaf.pub.bin). */
static void known_key(const char *pub)
{
	uint8_t key[SPDM_MAX_PUBKEY_SIZE];
	size_t n = read_file(pub, key, sizeof(key));

	assert_int_equal(
		spdm_requester_set_peer_pubkey(&env.q,
					       env.p384 ? SPDM_ASYM_ECDSA_P384
							: SPDM_ASYM_ECDSA_P256,
					       key, n),
		0);
	assert_int_equal(spdm_requester_set_peer_chain_digest(
				 &env.q, 0, chain_hash(), hsize()),
			 0);
}

static void known_leaf(void)
{
	known_key(env.p384 ? "p384/leaf.pub.bin" : "p256/leaf.pub.bin");
}

static int challenge(uint8_t slot, uint8_t type)
{
	assert_int_equal(spdm_requester_challenge(&env.q, slot, type), 0);
	return pump();
}

static uint32_t chal_verdict(void)
{
	struct spdm_challenge_result res;

	assert_int_equal(spdm_requester_challenge_result(&env.q, &res), 0);
	return res.verdict;
}

/* Send @req straight to the responder; the response lands in env.rsp. */
static void raw(const uint8_t *req, size_t len)
{
	env.rsp_len = sizeof(env.rsp);
	assert_int_equal(spdm_responder_handle(&env.r, req, len, env.rsp,
					       &env.rsp_len),
			 0);
}

static void expect_error(uint8_t code, uint8_t data)
{
	assert_int_equal(env.rsp_len, 4);
	assert_int_equal(env.rsp[1], SPDM_ERROR);
	assert_int_equal(env.rsp[2], code);
	assert_int_equal(env.rsp[3], data);
}

/* A CHALLENGE for slot 0 with summary @type, nonce 0xC0.., 1.3 context
 * 0xE0..; its length. */
static size_t make_challenge(uint8_t *req, uint8_t v, uint8_t slot,
			     uint8_t type)
{
	size_t n = 0, k;

	req[n++] = v;
	req[n++] = 0x83;
	req[n++] = slot;
	req[n++] = type;
	for (k = 0; k < 32; k++)
		req[n++] = (uint8_t)(0xC0 + k);
	if (v >= 0x13)
		for (k = 0; k < 8; k++)
			req[n++] = (uint8_t)(0xE0 + k);
	return n;
}

/* ---- golden bytes ---- */

/* CHALLENGE: SPDMVersion, 0x83, SlotID, MeasurementSummaryHashType, nonce
 * 0x50.. (the requester's deterministic RNG), 1.3 RequesterContext 0x70..
 * (the next RNG bytes). */
static void test_golden_request(void **state)
{
	static const uint8_t types[] = {0x00, 0x01, 0xFF};
	unsigned int i, t, k;

	(void)state;
	for (i = 0; i < 4; i++) {
		for (t = 0; t < 3; t++) {
			uint8_t v = all_versions[i], exp[44];
			size_t n = 0;

			setup(v, true);
			cert_flow();
			env.qc.next_byte = 0x50;
			assert_int_equal(spdm_requester_challenge(&env.q, 0,
								  types[t]),
					 0);
			env.req_len = sizeof(env.req);
			assert_int_equal(spdm_requester_next(&env.q, env.req,
							     &env.req_len),
					 0);
			exp[n++] = v;
			exp[n++] = 0x83;
			exp[n++] = 0x00;
			exp[n++] = types[t];
			for (k = 0; k < 32; k++)
				exp[n++] = (uint8_t)(0x50 + k);
			if (v >= 0x13)
				for (k = 0; k < 8; k++)
					exp[n++] = (uint8_t)(0x70 + k);
			assert_int_equal(env.req_len, n);
			assert_memory_equal(env.req, exp, n);
			assert_int_equal(spdm_requester_timeout(&env.q),
					 -EAGAIN);
			teardown();
		}
	}
}

/* CHALLENGE_AUTH before the signature: SPDMVersion, 0x03, Param1 slot 0,
 * Param2 SlotMask 0x01, CertChainHash, nonce 0xA0.. (the responder's
 * deterministic RNG), MeasurementSummaryHash (not for type 0),
 * OpaqueDataLength 0, 1.3 RequesterContext echoed; then S bytes. */
static void golden_response(uint8_t v, bool p384, uint8_t type)
{
	uint8_t req[44], exp[256];
	size_t n = 0, k, h, req_len;

	setup(v, p384);
	h = hsize();
	req_len = make_challenge(req, v, 0, type);
	raw(req, req_len);
	exp[n++] = v;
	exp[n++] = 0x03;
	exp[n++] = 0x00;
	exp[n++] = 0x01;
	memcpy(exp + n, chain_hash(), h);
	n += h;
	for (k = 0; k < 32; k++)
		exp[n++] = (uint8_t)(0xA0 + k);
	if (type) {
		memcpy(exp + n, expected_summary(p384, type), h);
		n += h;
	}
	exp[n++] = 0x00;
	exp[n++] = 0x00;
	if (v >= 0x13)
		for (k = 0; k < 8; k++)
			exp[n++] = (uint8_t)(0xE0 + k);
	assert_int_equal(env.rsp_len, n + (p384 ? 96 : 64));
	assert_memory_equal(env.rsp, exp, n);
	teardown();
}

static void test_golden_responses(void **state)
{
	static const uint8_t types[] = {0x00, 0x01, 0xFF};
	unsigned int i, t;

	(void)state;
	for (i = 0; i < 4; i++)
		for (t = 0; t < 3; t++) {
			golden_response(all_versions[i], true, types[t]);
			golden_response(all_versions[i], false, types[t]);
		}
}

/* A signed 1.2 CHALLENGE_AUTH (slot 0, type 0, P-384, SHA-384) recorded
 * once from this responder with the deterministic RNGs, for the CHALLENGE
 * of test_golden_signed (nonce 0x50..0x6F) right after connect (no
 * certificate flow: M1 = message A || CHALLENGE || CHALLENGE_AUTH without
 * the signature). Its signature was checked with the openssl CLI:
 * message = "dmtf-spdm-v1.2.*" x 4 || 4 zero bytes ||
 * "responder-challenge_auth signing" || SHA-384(M1), `openssl dgst
 * -sha384 -verify p384/leaf.pub.der -signature sig.der message` (r || s
 * turned into DER): "Verified OK"; with one byte of M1 changed:
 * "Verification failure". */
static const uint8_t golden_signed_12[182] = {
	0x12, 0x03, 0x00, 0x01, 0xa1, 0x41, 0xa7, 0xe0, 0xe5, 0x88, 0x05, 0x33,
	0x0e, 0x1e, 0x60, 0x49, 0x6b, 0xa4, 0xda, 0xe8, 0x00, 0x75, 0xb7, 0x25,
	0x06, 0xfe, 0xdd, 0xfe, 0x55, 0x65, 0x75, 0x5c, 0x65, 0xda, 0x9c, 0x7b,
	0x93, 0x5b, 0xc9, 0xd8, 0x39, 0xec, 0xcc, 0x2d, 0x91, 0x26, 0x21, 0x8b,
	0xa9, 0xfd, 0x13, 0xe2, 0xa0, 0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7,
	0xa8, 0xa9, 0xaa, 0xab, 0xac, 0xad, 0xae, 0xaf, 0xb0, 0xb1, 0xb2, 0xb3,
	0xb4, 0xb5, 0xb6, 0xb7, 0xb8, 0xb9, 0xba, 0xbb, 0xbc, 0xbd, 0xbe, 0xbf,
	0x00, 0x00, 0x01, 0x8c, 0x89, 0x23, 0x70, 0xae, 0x8b, 0x71, 0x3b, 0x1a,
	0x16, 0x7b, 0x52, 0x66, 0x40, 0xe9, 0xd2, 0x98, 0x79, 0x98, 0x96, 0x5c,
	0x15, 0xcc, 0xf6, 0xd8, 0x11, 0xdd, 0x74, 0x0a, 0x49, 0x39, 0x51, 0x62,
	0x60, 0xc1, 0x3a, 0xc0, 0x5c, 0x41, 0xad, 0x75, 0xb4, 0xd0, 0xf9, 0x00,
	0x98, 0x11, 0x4a, 0x2c, 0xb1, 0x21, 0x88, 0xc0, 0x36, 0x7e, 0x8a, 0x0d,
	0xce, 0x93, 0x0d, 0x77, 0x4a, 0x09, 0x4e, 0x03, 0xf7, 0x49, 0x9f, 0xf5,
	0x2e, 0x81, 0x1f, 0x87, 0xdf, 0x10, 0xbf, 0x9b, 0xa9, 0x2b, 0xee, 0x72,
	0x33, 0x19, 0x4c, 0x9c, 0xfa, 0x92, 0xcf, 0x7a, 0xa2, 0x86, 0xb8, 0x1d,
	0xce, 0x9b,
};

static void test_golden_signed(void **state)
{
	uint8_t rsp[sizeof(golden_signed_12)];
	unsigned int i;

	(void)state;
	for (i = 0; i < 4; i++) {
		setup(0x12, true);
		known_leaf();
		memcpy(rsp, golden_signed_12, sizeof(rsp));
		if (i == 1)
			rsp[4 + 48] ^= 0x01; /* the responder nonce */
		if (i == 2)
			rsp[sizeof(rsp) - 1] ^= 0x01; /* the signature */
		if (i == 3)
			rsp[3] = 0x03; /* SlotMask: still has slot 0 */
		assert_int_equal(spdm_requester_challenge(&env.q, 0, 0), 0);
		env.req_len = sizeof(env.req);
		assert_int_equal(
			spdm_requester_next(&env.q, env.req, &env.req_len), 0);
		assert_int_equal(env.req_len, 36);
		assert_int_equal(spdm_requester_rx(&env.q, rsp, sizeof(rsp)),
				 i == 0 ? 0 : -EPERM);
		assert_int_equal(chal_verdict(),
				 i == 0 ? SPDM_CHAL_VERDICT_VERIFIED
					: SPDM_CHAL_VERDICT_NONE);
		if (i == 0) {
			/* Our responder writes the same bytes before the
			 * (randomised) signature. */
			raw(env.req, env.req_len);
			assert_int_equal(env.rsp_len, sizeof(rsp));
			assert_memory_equal(env.rsp, rsp, sizeof(rsp) - 96);
		}
		teardown();
	}
}

/* ---- requester against responder ---- */

static void check_result(uint8_t type)
{
	struct spdm_challenge_result res;

	assert_int_equal(spdm_requester_challenge_result(&env.q, &res), 0);
	assert_int_equal(res.verdict, SPDM_CHAL_VERDICT_VERIFIED);
	assert_int_equal(res.slot, 0);
	assert_int_equal(res.summary_type, type);
	if (type == 0) {
		assert_int_equal(res.summary_len, 0);
	} else {
		assert_int_equal(res.summary_len, hsize());
		assert_memory_equal(res.summary,
				    expected_summary(env.p384, type), hsize());
	}
}

static void test_roundtrip(void **state)
{
	static const uint8_t types[] = {0x00, 0x01, 0xFF};
	unsigned int i, t, k, with_cert;

	(void)state;
	for (i = 0; i < 4; i++)
		for (k = 0; k < 2; k++)
			for (with_cert = 0; with_cert < 2; with_cert++)
				for (t = 0; t < 3; t++) {
					setup(all_versions[i], k == 0);
					if (with_cert)
						cert_flow();
					else
						known_leaf();
					env.rc.det_random = false;
					env.qc.det_random = false;
					assert_int_equal(challenge(0, types[t]),
							 0);
					check_result(types[t]);
					assert_int_equal(
						spdm_requester_attestation(
							&env.q),
						with_cert ? SPDM_ATTESTED : 0);
					/* Again on the same connection: M1
					 * is new (A || C), fresh nonces. */
					assert_int_equal(challenge(0, types[t]),
							 0);
					check_result(types[t]);
					/* A new connection forgets it. */
					assert_int_equal(
						spdm_requester_connect(&env.q),
						0);
					assert_int_equal(pump(), 0);
					assert_int_equal(
						chal_verdict(),
						SPDM_CHAL_VERDICT_NONE);
					assert_int_equal(
						spdm_requester_attestation(
							&env.q),
						0);
					teardown();
				}
}

/* Certificate flow, then GET_MEASUREMENTS (which ends M1 on both sides),
 * then the challenge: M1 = A || C. */
static void test_m1_reset_by_measurements(void **state)
{
	(void)state;
	setup(0x12, true);
	cert_flow();
	assert_int_equal(
		spdm_requester_measurements(&env.q, 0, 0, 0, NULL, NULL), 0);
	assert_int_equal(pump(), 0);
	assert_int_equal(challenge(0, SPDM_CHAL_SUMMARY_ALL), 0);
	assert_int_equal(spdm_requester_attestation(&env.q), SPDM_ATTESTED);
	teardown();
}

/* ---- negatives ---- */

static void test_wrong_order(void **state)
{
	uint8_t req[44];
	size_t n;
	struct spdm_requester q;
	static const uint8_t v12[] = {0x12};
	struct spdm_requester_config qcfg = req_config(v12, 1);
	struct fake_crypto fc = {FAKE_HASH_ALL, FAKE_ASYM_ALL};

	(void)state;
	/* Responder: CHALLENGE before NEGOTIATE_ALGORITHMS. */
	setup(0x12, true);
	n = make_challenge(req, 0x12, 0, 0);
	raw(golden_get_version, sizeof(golden_get_version));
	raw(req, n);
	expect_error(SPDM_ERROR_UNEXPECTED_REQUEST, 0);
	raw(golden_get_caps[2], golden_get_caps_len[2]);
	raw(req, n);
	expect_error(SPDM_ERROR_UNEXPECTED_REQUEST, 0);
	/* Another version than the negotiated one. */
	raw(golden_negotiate[2], golden_negotiate_len[2]);
	assert_int_equal(env.rsp[1], 0x63);
	req[0] = 0x11;
	raw(req, n);
	expect_error(SPDM_ERROR_VERSION_MISMATCH, 0);
	/* Wrong length. */
	req[0] = 0x12;
	raw(req, n - 1);
	expect_error(SPDM_ERROR_INVALID_REQUEST, 0);
	raw(req, n);
	assert_int_equal(env.rsp[1], 0x03);
	teardown();

	/* Requester: not connected; a flow running. */
	assert_int_equal(spdm_requester_init(&q, &qcfg, &fake_crypto_ops, &fc),
			 0);
	assert_int_equal(spdm_requester_challenge(&q, 0, 0), -EPERM);
	assert_int_equal(spdm_requester_connect(&q), 0);
	assert_int_equal(spdm_requester_challenge(&q, 0, 0), -EBUSY);
	assert_int_equal(spdm_requester_challenge(NULL, 0, 0), -EINVAL);
}

static void test_bad_slot(void **state)
{
	uint8_t req[44];
	size_t n;

	(void)state;
	setup(0x13, true);
	n = make_challenge(req, 0x13, 1, 0); /* empty slot */
	raw(req, n);
	expect_error(SPDM_ERROR_INVALID_REQUEST, 0);
	req[2] = 0xFF; /* provisioned public key: not supported */
	raw(req, n);
	expect_error(SPDM_ERROR_INVALID_REQUEST, 0);
	req[2] = 0x08;
	raw(req, n);
	expect_error(SPDM_ERROR_INVALID_REQUEST, 0);
	req[2] = 0;
	req[3] = 0x02; /* reserved summary type */
	raw(req, n);
	expect_error(SPDM_ERROR_INVALID_REQUEST, 0);

	/* Requester: a verified chain for slot 0 does not vouch for slot 1,
	 * and a slot out of range is refused. */
	cert_flow();
	assert_int_equal(spdm_requester_challenge(&env.q, 1, 0), -EPERM);
	assert_int_equal(spdm_requester_challenge(&env.q, 8, 0), -EINVAL);
	assert_int_equal(spdm_requester_challenge(&env.q, 0, 2), -EINVAL);
	teardown();

	/* A digest given for slot 1: the responder refuses the slot. */
	setup(0x12, true);
	known_leaf();
	assert_int_equal(spdm_requester_set_peer_chain_digest(
				 &env.q, 1, chain_hash(), hsize()),
			 0);
	assert_int_equal(challenge(1, 0), -EPROTO);
	teardown();

	/* No key or digest at all. */
	setup(0x12, true);
	assert_int_equal(spdm_requester_challenge(&env.q, 0, 0), -EPERM);
	assert_int_equal(spdm_requester_set_peer_chain_digest(&env.q, 0,
							      chain_hash(), 20),
			 -EINVAL);
	teardown();
}

static void flip_last(struct env *e)
{
	if (e->rsp[1] == 0x03)
		e->rsp[e->rsp_len - 1] ^= 0x01;
}

static void flip_chain_hash(struct env *e)
{
	if (e->rsp[1] == 0x03)
		e->rsp[4] ^= 0x01;
}

static void flip_slot_mask(struct env *e)
{
	if (e->rsp[1] == 0x03)
		e->rsp[3] = 0x02;
}

static void set_mut_auth(struct env *e)
{
	if (e->rsp[1] == 0x03)
		e->rsp[2] |= 0x80;
}

static void flip_context(struct env *e)
{
	if (e->rsp[1] == 0x03)
		e->rsp[e->rsp_len - 96 - 1] ^= 0x01;
}

/* Our nonce reflected as the responder's. */
static void reflect_nonce(struct env *e)
{
	if (e->rsp[1] == 0x03)
		memcpy(e->rsp + 4 + 48, e->req + 4, 32);
}

/* Summary hash removed (asked for) or inserted (not asked for). */
static void drop_summary(struct env *e)
{
	size_t at = 4 + 48 + 32;

	if (e->rsp[1] != 0x03)
		return;
	memmove(e->rsp + at, e->rsp + at + 48, e->rsp_len - at - 48);
	e->rsp_len -= 48;
}

static void add_summary(struct env *e)
{
	size_t at = 4 + 48 + 32;

	if (e->rsp[1] != 0x03)
		return;
	memmove(e->rsp + at + 48, e->rsp + at, e->rsp_len - at);
	memset(e->rsp + at, 0x5A, 48);
	e->rsp_len += 48;
}

static void truncate_one(struct env *e)
{
	if (e->rsp[1] == 0x03)
		e->rsp_len--;
}

static void expect_rejected(void (*mutate)(struct env *e), uint8_t v,
			    uint8_t type, int err)
{
	setup(v, true);
	cert_flow();
	env.mutate = mutate;
	assert_int_equal(challenge(0, type), err);
	assert_int_equal(chal_verdict(), SPDM_CHAL_VERDICT_NONE);
	assert_int_equal(spdm_requester_attestation(&env.q), 0);
	/* The connection is gone: connect again. */
	assert_null(spdm_requester_connection(&env.q));
	teardown();
}

static void test_tampered(void **state)
{
	unsigned int i;

	(void)state;
	for (i = 0; i < 4; i++) {
		uint8_t v = all_versions[i];

		expect_rejected(flip_last, v, 0, -EPERM);
		expect_rejected(flip_chain_hash, v, 0, -EBADMSG);
		expect_rejected(flip_slot_mask, v, 0, -EBADMSG);
		expect_rejected(reflect_nonce, v, 0, -EBADMSG);
		expect_rejected(drop_summary, v, SPDM_CHAL_SUMMARY_TCB,
				-EBADMSG);
		expect_rejected(add_summary, v, SPDM_CHAL_SUMMARY_NONE,
				-EBADMSG);
		expect_rejected(truncate_one, v, SPDM_CHAL_SUMMARY_ALL,
				-EBADMSG);
	}
	expect_rejected(set_mut_auth, 0x11, 0, -EBADMSG);
	expect_rejected(set_mut_auth, 0x12, 0, -EBADMSG);
	expect_rejected(flip_context, 0x13, 0, -EBADMSG);
}

/* The key of another PKI (tests/pki/other): the signature fails. */
static void test_wrong_key(void **state)
{
	(void)state;
	setup(0x12, true);
	known_key("other/leaf.pub.bin");
	assert_int_equal(challenge(0, 0), -EPERM);
	assert_int_equal(chal_verdict(), SPDM_CHAL_VERDICT_NONE);
	teardown();
	/* The right key with a wrong chain digest. */
	setup(0x12, true);
	known_leaf();
	{
		uint8_t bad[48];

		memcpy(bad, chain_hash_384, 48);
		bad[47] ^= 0x80;
		assert_int_equal(spdm_requester_set_peer_chain_digest(&env.q, 0,
								      bad, 48),
				 0);
	}
	assert_int_equal(challenge(0, 0), -EBADMSG);
	teardown();
}

/* A CHALLENGE_AUTH recorded from one challenge and replayed to the next
 * one: refused (its responder nonce was seen; its signature covers the
 * old requester nonce). */
static uint8_t recorded[512];
static size_t recorded_len;

static void record(struct env *e)
{
	if (e->rsp[1] == 0x03) {
		memcpy(recorded, e->rsp, e->rsp_len);
		recorded_len = e->rsp_len;
	}
}

static void replay(struct env *e)
{
	if (e->rsp[1] == 0x03) {
		memcpy(e->rsp, recorded, recorded_len);
		e->rsp_len = recorded_len;
	}
}

/* Replayed with a changed responder nonce: only the signature stops it. */
static void replay_new_nonce(struct env *e)
{
	replay(e);
	e->rsp[4 + 48] ^= 0xFF;
}

static void test_replay(void **state)
{
	(void)state;
	setup(0x12, true);
	cert_flow();
	env.mutate = record;
	assert_int_equal(challenge(0, 0), 0);
	env.mutate = replay;
	assert_int_equal(challenge(0, 0), -EBADMSG);
	teardown();

	setup(0x12, true);
	cert_flow();
	env.mutate = record;
	assert_int_equal(challenge(0, 0), 0);
	env.mutate = replay_new_nonce;
	assert_int_equal(challenge(0, 0), -EPERM);
	teardown();
}

static void test_no_chal_cap(void **state)
{
	uint8_t req[44];
	size_t n;

	(void)state;
	setup_flags(0x12, true, RSP_FLAGS & ~SPDM_RSP_CHAL_CAP);
	cert_flow();
	assert_int_equal(spdm_requester_challenge(&env.q, 0, 0), -EOPNOTSUPP);
	n = make_challenge(req, 0x12, 0, 0);
	raw(req, n);
	expect_error(SPDM_ERROR_UNSUPPORTED_REQUEST, 0x83);
	teardown();

	/* No MEAS_CAP: a summary cannot be asked for, nor answered. */
	setup_flags(0x12, true, RSP_FLAGS & ~SPDM_RSP_MEAS_CAP_MASK);
	cert_flow();
	assert_int_equal(spdm_requester_challenge(&env.q, 0, 1), -EOPNOTSUPP);
	n = make_challenge(req, 0x12, 0, 1);
	raw(req, n);
	expect_error(SPDM_ERROR_INVALID_REQUEST, 0);
	n = make_challenge(req, 0x12, 0, 0);
	raw(req, n);
	assert_int_equal(env.rsp[1], 0x03);
	teardown();
}

/* ResponseNotReady, then RESPOND_IF_READY. */
static void test_not_ready(void **state)
{
	uint8_t req[44], rif[4];
	size_t n;

	(void)state;
	/* Through the requester: two busy answers, then the response. */
	setup(0x13, true);
	cert_flow();
	env.rc.sign_busy = 2;
	env.exchanges = 0;
	assert_int_equal(challenge(0, SPDM_CHAL_SUMMARY_ALL), 0);
	assert_int_equal(env.exchanges, 3);
	check_result(SPDM_CHAL_SUMMARY_ALL);
	assert_int_equal(spdm_requester_attestation(&env.q), SPDM_ATTESTED);
	/* Busy for good: the requester gives up. */
	env.rc.sign_busy = 100;
	assert_int_equal(challenge(0, 0), -EBUSY);
	teardown();

	/* By hand: the token must match. */
	setup(0x12, true);
	n = make_challenge(req, 0x12, 0, SPDM_CHAL_SUMMARY_TCB);
	env.rc.sign_busy = 1;
	raw(req, n);
	assert_int_equal(env.rsp_len, 8);
	assert_int_equal(env.rsp[1], SPDM_ERROR);
	assert_int_equal(env.rsp[2], SPDM_ERROR_RESPONSE_NOT_READY);
	assert_int_equal(env.rsp[4], 12); /* RDTExponent = CTExponent */
	assert_int_equal(env.rsp[5], 0x83);
	assert_int_equal(env.rsp[7], 1);
	rif[0] = 0x12;
	rif[1] = 0xFF;
	rif[2] = 0x83;
	rif[3] = (uint8_t)(env.rsp[6] + 1); /* wrong token */
	raw(rif, 4);
	expect_error(SPDM_ERROR_INVALID_REQUEST, 0);
	rif[3]--;
	rif[2] = 0xE0; /* wrong request code */
	raw(rif, 4);
	expect_error(SPDM_ERROR_INVALID_REQUEST, 0);
	rif[2] = 0x83;
	raw(rif, 4); /* still pending: collected now */
	assert_int_equal(env.rsp_len, 4 + 48 + 32 + 48 + 2 + 96);
	assert_int_equal(env.rsp[1], 0x03);
	assert_memory_equal(env.rsp + 4 + 48 + 32, summary_tcb_384, 48);
	/* Collected once only. */
	raw(rif, 4);
	expect_error(SPDM_ERROR_UNEXPECTED_REQUEST, 0);
	/* Another request in between drops the pending response. */
	env.rc.sign_busy = 1;
	raw(req, n);
	assert_int_equal(env.rsp[2], SPDM_ERROR_RESPONSE_NOT_READY);
	rif[3] = env.rsp[6];
	raw(golden_get_version, sizeof(golden_get_version));
	raw(rif, 4);
	assert_int_equal(env.rsp[1], SPDM_ERROR);
	teardown();
}

/* ---- CHALLENGE and GET_MEASUREMENTS interleaved ----
 * The responder's summary hash borrows the L1/L2 hash state
 * (rsp-challenge.c): every order of the two flows, pending responses
 * included, must still verify on both sides or get the documented
 * error. */

static void measure_signed(void)
{
	struct spdm_measurement_result res;

	assert_int_equal(spdm_requester_measurements(&env.q, 0xFF,
						     SPDM_MEAS_ATTR_SIGNATURE,
						     0, NULL, NULL),
			 0);
	assert_int_equal(pump(), 0);
	assert_int_equal(spdm_requester_measurement_result(&env.q, &res), 0);
	assert_int_equal(res.verdict, SPDM_MEAS_VERDICT_VERIFIED);
	assert_false(env.r.meas.l_active);
}

static void measure_unsigned(void)
{
	struct spdm_measurement_result res;

	assert_int_equal(
		spdm_requester_measurements(&env.q, 0xFF, 0, 0, NULL, NULL), 0);
	assert_int_equal(pump(), 0);
	assert_int_equal(spdm_requester_measurement_result(&env.q, &res), 0);
	assert_int_equal(res.verdict, SPDM_MEAS_VERDICT_UNSIGNED);
	assert_true(env.r.meas.l_active); /* L1/L2 open on the responder */
}

/* A signed GET_MEASUREMENTS of all blocks, slot 0; its length. */
static size_t make_get_meas(uint8_t *req, uint8_t v)
{
	size_t n = 0, k;

	req[n++] = v;
	req[n++] = 0xE0;
	req[n++] = SPDM_MEAS_ATTR_SIGNATURE;
	req[n++] = 0xFF;
	for (k = 0; k < 32; k++)
		req[n++] = (uint8_t)(0x30 + k);
	if (v >= 0x11)
		req[n++] = 0; /* SlotIDParam */
	if (v >= 0x13)
		for (k = 0; k < 8; k++)
			req[n++] = (uint8_t)(0x90 + k);
	return n;
}

static void expect_not_ready(uint8_t code, uint8_t *rif)
{
	assert_int_equal(env.rsp_len, 8);
	assert_int_equal(env.rsp[1], SPDM_ERROR);
	assert_int_equal(env.rsp[2], SPDM_ERROR_RESPONSE_NOT_READY);
	assert_int_equal(env.rsp[5], code);
	rif[0] = env.rsp[0];
	rif[1] = 0xFF;
	rif[2] = code;
	rif[3] = env.rsp[6];
}

static void test_interleaved(void **state)
{
	uint8_t req[64], rif[4];
	unsigned int i;
	size_t n;

	(void)state;
	for (i = 0; i < sizeof(all_versions); i++) {
		uint8_t v = all_versions[i];

		/* Measurements (L1/L2 left open), the certificate flow
		 * (which ends L1/L2; M1 runs through the challenge), then
		 * a challenge with the summary of all blocks: attested. */
		setup(v, true);
		measure_unsigned();
		cert_flow();
		assert_false(env.r.meas.l_active);
		assert_true(env.r.cert.m1.started);
		assert_int_equal(challenge(0, SPDM_CHAL_SUMMARY_ALL), 0);
		check_result(SPDM_CHAL_SUMMARY_ALL);
		assert_int_equal(spdm_requester_attestation(&env.q),
				 SPDM_ATTESTED);
		/* L1/L2 open right up to a CHALLENGE: the challenge
		 * verifies and the next measurements start a new L1/L2
		 * (in the state the summary hash used), on both sides. */
		measure_unsigned();
		assert_int_equal(challenge(0, SPDM_CHAL_SUMMARY_ALL), 0);
		assert_false(env.r.meas.l_active);
		check_result(SPDM_CHAL_SUMMARY_ALL);
		measure_unsigned();
		measure_signed();
		/* The same with a busy signer: CHALLENGE_AUTH collected
		 * with RESPOND_IF_READY. */
		measure_unsigned();
		env.rc.sign_busy = 1;
		env.exchanges = 0;
		assert_int_equal(challenge(0, SPDM_CHAL_SUMMARY_TCB), 0);
		assert_int_equal(env.exchanges, 2);
		check_result(SPDM_CHAL_SUMMARY_TCB);
		measure_signed();
		teardown();

		/* CHALLENGE left pending (its summary computed), then
		 * GET_MEASUREMENTS: the measurements verify, the pending
		 * CHALLENGE_AUTH is gone (UnexpectedRequest); a new
		 * challenge verifies. */
		setup(v, true);
		cert_flow();
		measure_signed();
		n = make_challenge(req, v, 0, SPDM_CHAL_SUMMARY_ALL);
		env.rc.sign_busy = 1;
		raw(req, n);
		expect_not_ready(SPDM_CHALLENGE, rif);
		measure_signed();
		raw(rif, 4);
		expect_error(SPDM_ERROR_UNEXPECTED_REQUEST, 0);
		assert_int_equal(challenge(0, SPDM_CHAL_SUMMARY_ALL), 0);
		check_result(SPDM_CHAL_SUMMARY_ALL);
		teardown();

		/* Measurements pending (L1/L2 already final), then a
		 * CHALLENGE with a summary: it verifies, the pending
		 * MEASUREMENTS is gone; new measurements verify. */
		setup(v, true);
		known_leaf();
		measure_unsigned();
		n = make_get_meas(req, v);
		env.rc.sign_busy = 1;
		raw(req, n);
		expect_not_ready(SPDM_GET_MEASUREMENTS, rif);
		assert_false(env.r.meas.l_active);
		assert_int_equal(challenge(0, SPDM_CHAL_SUMMARY_ALL), 0);
		check_result(SPDM_CHAL_SUMMARY_ALL);
		raw(rif, 4);
		expect_error(SPDM_ERROR_UNEXPECTED_REQUEST, 0);
		measure_signed();
		teardown();

		/* A pending MEASUREMENTS collected with RESPOND_IF_READY,
		 * then a challenge with a summary, then measurements: all
		 * verify. */
		setup(v, true);
		known_leaf();
		n = make_get_meas(req, v);
		env.rc.sign_busy = 1;
		raw(req, n);
		expect_not_ready(SPDM_GET_MEASUREMENTS, rif);
		raw(rif, 4);
		assert_int_equal(env.rsp[1], SPDM_MEASUREMENTS);
		assert_int_equal(challenge(0, SPDM_CHAL_SUMMARY_ALL), 0);
		check_result(SPDM_CHAL_SUMMARY_ALL);
		measure_signed();
		teardown();
	}
}

static void test_api(void **state)
{
	struct spdm_challenge_result res;

	(void)state;
	assert_int_equal(spdm_requester_challenge_result(NULL, &res), -EINVAL);
	assert_int_equal(spdm_requester_attestation(NULL), 0);
	assert_int_equal(spdm_requester_set_peer_chain_digest(
				 NULL, 0, chain_hash_384, 48),
			 -EINVAL);
	setup(0x12, true);
	assert_int_equal(spdm_requester_set_peer_chain_digest(
				 &env.q, 8, chain_hash_384, 48),
			 -EINVAL);
	/* A hand-given key: verified challenge, but no attestation (no
	 * verified chain). */
	known_leaf();
	assert_int_equal(challenge(0, 0), 0);
	assert_int_equal(chal_verdict(), SPDM_CHAL_VERDICT_VERIFIED);
	assert_int_equal(spdm_requester_attestation(&env.q), 0);
	/* The certificate flow afterwards does not make it attested: the
	 * challenge was not checked with that chain's key. */
	cert_flow();
	assert_int_equal(spdm_requester_attestation(&env.q), 0);
	assert_int_equal(challenge(0, 0), 0);
	assert_int_equal(spdm_requester_attestation(&env.q), SPDM_ATTESTED);
	teardown();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_golden_request),
		cmocka_unit_test(test_golden_responses),
		cmocka_unit_test(test_golden_signed),
		cmocka_unit_test(test_roundtrip),
		cmocka_unit_test(test_m1_reset_by_measurements),
		cmocka_unit_test(test_wrong_order),
		cmocka_unit_test(test_bad_slot),
		cmocka_unit_test(test_tampered),
		cmocka_unit_test(test_wrong_key),
		cmocka_unit_test(test_replay),
		cmocka_unit_test(test_no_chal_cap),
		cmocka_unit_test(test_not_ready),
		cmocka_unit_test(test_interleaved),
		cmocka_unit_test(test_api),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
