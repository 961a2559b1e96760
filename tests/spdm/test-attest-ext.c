/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The attestation details beyond the basic flows, both roles, with real
 * ECDSA P-384 / SHA-384 (the POSIX port on mbedTLS) and tests/pki:
 * - OpaqueDataLength / OpaqueData of CHALLENGE_AUTH and MEASUREMENTS
 *   (configured data, the 1024-byte bound, the 1.2 general opaque data
 *   format when ALGORITHMS selected format 1, the requester's copy);
 * - MEASUREMENTS Param2: SlotIDParam and the 1.2 content changed field;
 * - SlotID 0xFF, the responder's provisioned public key, for CHALLENGE and
 *   signed GET_MEASUREMENTS.
 *
 * Golden bytes are written by hand from the DSP0274 tables ("Successful
 * CHALLENGE_AUTH response message format", "Successful MEASUREMENTS
 * response message format", "General opaque data format" of 1.2); the
 * CertChainHash of slot 0xFF is `openssl dgst -sha384 -binary
 * tests/pki/p384/leaf.pub.bin` (the key as provisioned, 0x04 || X || Y).
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

/* openssl dgst -sha384 -binary tests/pki/p384/leaf.pub.bin */
static const uint8_t pubkey_hash_384[48] = {
	0xd7, 0x30, 0x25, 0xc0, 0x79, 0xec, 0x94, 0x69, 0x8b, 0x3d, 0xd8, 0x0b,
	0xad, 0x9b, 0x4f, 0x71, 0xfa, 0xec, 0x49, 0x7e, 0x00, 0x8d, 0xcb, 0x40,
	0x7b, 0x03, 0x0a, 0xf6, 0x5f, 0x81, 0x5f, 0xfd, 0x0e, 0x6f, 0x11, 0x6e,
	0x92, 0x7a, 0x7f, 0xff, 0x4f, 0x87, 0xc7, 0x82, 0xee, 0xf8, 0x06, 0x7b};

/* General opaque data (format 1), by hand: TotalElements 1, Reserved
 * (3); element: ID 0x00 (DMTF), VendorLen 0, OpaqueElementDataLen 3,
 * "abc", one byte of zero padding (7 -> 8). */
static const uint8_t opaque_fmt1[12] = {0x01, 0x00, 0x00, 0x00, 0x00, 0x00,
					0x03, 0x00, 0x61, 0x62, 0x63, 0x00};
/* Two elements: ID 0x03 (PCI-SIG), VendorLen 2, VendorID 0x8086 (LE),
 * OpaqueElementDataLen 0, 2 bytes padding (6 -> 8); ID 0x0A (IANA CBOR),
 * VendorLen 0, OpaqueElementDataLen 4, 4 bytes, no padding (8). */
static const uint8_t opaque_fmt1_two[20] = {0x02, 0x00, 0x00, 0x00, 0x03,
					    0x02, 0x86, 0x80, 0x00, 0x00,
					    0x00, 0x00, 0x0A, 0x00, 0x04,
					    0x00, 0xDE, 0xAD, 0xBE, 0xEF};

/* ---- measurements: one immutable ROM block (a digest of 0x11 bytes) ---- */

static uint32_t generation;

static int dev_count(void *ctx)
{
	(void)ctx;
	return 2;
}

static int dev_block(void *ctx, uint8_t index, enum spdm_hash_alg hash,
		     uint8_t *type, bool *raw, uint8_t *value,
		     size_t *value_len)
{
	size_t n = spdm_hash_size(hash);

	(void)ctx;
	if (index != 1 && index != 2)
		return -ENOENT;
	memset(value, index == 1 ? 0x11 : 0x22, n);
	*type = (uint8_t)(index == 1 ? SPDM_MEAS_TYPE_IMMUTABLE_ROM
				     : SPDM_MEAS_TYPE_MUTABLE_FIRMWARE);
	*raw = false;
	*value_len = n;
	return 0;
}

static uint32_t dev_generation(void *ctx)
{
	(void)ctx;
	return generation;
}

static const struct spdm_measurement_ops dev_ops = {dev_count, dev_block};

/* ---- one requester and one responder (P-384, SHA-384) ---- */

struct env {
	struct test_crypto rc, qc;
	struct spdm_responder_config rcfg;
	struct spdm_requester_config qcfg;
	struct spdm_responder r;
	struct spdm_requester q;
	uint8_t chain[4096];
	size_t chain_len;
	uint8_t pub[SPDM_MAX_PUBKEY_SIZE];
	size_t pub_len;
	uint8_t req[SPDM_REQUESTER_REQ_SIZE];
	size_t req_len;
	uint8_t rsp[SPDM_MAX_MSG_SIZE];
	size_t rsp_len;
	void (*mutate)(struct env *e);
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
		err = spdm_requester_rx(&env.q, env.rsp, env.rsp_len);
	} while (err == -EAGAIN);
	return err;
}

/* Slot 0xFF signs with the key loaded in slot 1 (the POSIX port has keys
 * for slots 0..SPDM_MAX_SLOTS-1 only). */
static int sign_ff(void *ctx, uint8_t slot, enum spdm_asym_alg alg,
		   const uint8_t *digest, size_t digest_len, uint8_t *sig,
		   size_t sig_len)
{
	if (slot == SPDM_PROVISIONED_KEY_SLOT)
		slot = 1;
	return test_sign(ctx, slot, alg, digest, digest_len, sig, sig_len);
}

enum mode {
	MODE_CERT,   /* slot 0 holds the chain (CERT_CAP) */
	MODE_PUBKEY, /* no chain, the provisioned key (PUB_KEY_ID_CAP) */
};

/* Prepare both sides at @version (not connected): the caller may change
 * env.rcfg / env.qcfg, then calls start(). */
static void prepare(uint8_t version, enum mode mode)
{
	static uint8_t versions[1];
	char name[512];

	memset(&env, 0, sizeof(env));
	generation = 0;
	test_ops = prot_crypto_ops;
	test_ops.random = test_random;
	test_ops.sign = sign_ff;
	versions[0] = version;
	assert_int_equal(prot_crypto_init(&env.rc.pc), 0);
	assert_int_equal(prot_crypto_init(&env.qc.pc), 0);
	snprintf(name, sizeof(name), "%s/p384/leaf.key.pem", PROT_TEST_PKI_DIR);
	assert_int_equal(prot_crypto_load_slot_key_file(&env.rc.pc, 0, name),
			 0);
	assert_int_equal(prot_crypto_load_slot_key_file(&env.rc.pc, 1, name),
			 0);
	snprintf(name, sizeof(name), "%s/p384/root.cert.der",
		 PROT_TEST_PKI_DIR);
	assert_int_equal(prot_crypto_add_trust_anchor_file(&env.qc.pc, name),
			 0);
	env.chain_len = read_file("p384/chain-sha384.bin", env.chain,
				  sizeof(env.chain));
	env.pub_len = read_file("p384/leaf.pub.bin", env.pub, sizeof(env.pub));
	env.rc.det_random = true;
	env.rc.next_byte = 0xA0;
	env.qc.det_random = true;
	env.qc.next_byte = 0x50;

	env.rcfg = rsp_config(versions, 1);
	env.rcfg.base_asym_algo = SPDM_ASYM_ALGO_ECDSA_P384;
	env.rcfg.base_hash_algo = SPDM_HASH_ALGO_SHA_384;
	env.rcfg.measurement_hash_algo = SPDM_MEAS_HASH_SHA_384;
	env.rcfg.measurement_ops = &dev_ops;
	env.rcfg.cert_chain_hash_algo = SPDM_HASH_ALGO_SHA_384;
	if (mode == MODE_CERT) {
		env.rcfg.cert_slots[0].chain = env.chain;
		env.rcfg.cert_slots[0].len = env.chain_len;
	} else {
		env.rcfg.flags = (RSP_FLAGS & ~SPDM_RSP_CERT_CAP) |
				 SPDM_RSP_PUB_KEY_ID_CAP;
		env.rcfg.provisioned_pubkey = env.pub;
		env.rcfg.provisioned_pubkey_len = env.pub_len;
	}
	env.qcfg = req_config(versions, 1);
}

static void start(void)
{
	assert_int_equal(
		spdm_responder_init(&env.r, &env.rcfg, &test_ops, &env.rc), 0);
	assert_int_equal(
		spdm_requester_init(&env.q, &env.qcfg, &test_ops, &env.qc), 0);
	assert_int_equal(spdm_requester_connect(&env.q), 0);
	assert_int_equal(pump(), 0);
}

static void setup(uint8_t version, enum mode mode)
{
	prepare(version, mode);
	start();
}

static void teardown(void)
{
	if (env.r.cert.m1.started)
		prot_crypto_ops.hash_abort(&env.rc, &env.r.cert.m1.state);
	if (env.q.cert.m1.started)
		prot_crypto_ops.hash_abort(&env.qc, &env.q.cert.m1.state);
	if (env.r.meas.l_active)
		prot_crypto_ops.hash_abort(&env.rc, &env.r.meas.l);
	if (env.q.meas.l_active)
		prot_crypto_ops.hash_abort(&env.qc, &env.q.meas.l);
	prot_crypto_free(&env.rc.pc);
	prot_crypto_free(&env.qc.pc);
}

static void raw(const uint8_t *req, size_t len)
{
	env.rsp_len = sizeof(env.rsp);
	assert_int_equal(spdm_responder_handle(&env.r, req, len, env.rsp,
					       &env.rsp_len),
			 0);
}

static void expect_error(uint8_t code)
{
	assert_int_equal(env.rsp_len, 4);
	assert_int_equal(env.rsp[1], SPDM_ERROR);
	assert_int_equal(env.rsp[2], code);
}

/* CHALLENGE for @slot, type 0, nonce 0xC0.., 1.3 context 0xE0.. */
static size_t make_challenge(uint8_t *req, uint8_t v, uint8_t slot)
{
	size_t n = 0, k;

	req[n++] = v;
	req[n++] = 0x83;
	req[n++] = slot;
	req[n++] = 0x00;
	for (k = 0; k < 32; k++)
		req[n++] = (uint8_t)(0xC0 + k);
	if (v >= 0x13)
		for (k = 0; k < 8; k++)
			req[n++] = (uint8_t)(0xE0 + k);
	return n;
}

/* GET_MEASUREMENTS operation @op, signed when @slot_param is not 0xEE
 * (then nonce 0xC0.., 1.1+ SlotIDParam @slot_param), 1.3 context 0xE0.. */
static size_t make_get_meas(uint8_t *req, uint8_t v, uint8_t op,
			    uint8_t slot_param)
{
	size_t n = 0, k;
	bool sig = slot_param != 0xEE;

	req[n++] = v;
	req[n++] = 0xE0;
	req[n++] = sig ? 0x01 : 0x00;
	req[n++] = op;
	if (sig) {
		for (k = 0; k < 32; k++)
			req[n++] = (uint8_t)(0xC0 + k);
		if (v >= 0x11)
			req[n++] = slot_param;
	}
	if (v >= 0x13)
		for (k = 0; k < 8; k++)
			req[n++] = (uint8_t)(0xE0 + k);
	return n;
}

/* ---- opaque data ---- */

/* The general opaque data format check, on hand-made tables. */
static void test_fmt1_check(void **state)
{
	uint8_t b[24];

	(void)state;
	assert_true(spdm_opaque_fmt1_valid(opaque_fmt1, sizeof(opaque_fmt1)));
	assert_true(spdm_opaque_fmt1_valid(opaque_fmt1_two,
					   sizeof(opaque_fmt1_two)));
	assert_false(spdm_opaque_fmt1_valid(NULL, 0));
	assert_false(spdm_opaque_fmt1_valid(opaque_fmt1, 0));
	/* TotalElements 0. */
	memcpy(b, opaque_fmt1, 12);
	b[0] = 0;
	assert_false(spdm_opaque_fmt1_valid(b, 12));
	/* Non-zero padding. */
	memcpy(b, opaque_fmt1, 12);
	b[11] = 0x01;
	assert_false(spdm_opaque_fmt1_valid(b, 12));
	/* Registry ID above 0x0A. */
	memcpy(b, opaque_fmt1, 12);
	b[4] = 0x0B;
	assert_false(spdm_opaque_fmt1_valid(b, 12));
	/* Element data longer than the table. */
	memcpy(b, opaque_fmt1, 12);
	b[6] = 0x05;
	assert_false(spdm_opaque_fmt1_valid(b, 12));
	/* One element announced, two present (trailing bytes). */
	memcpy(b, opaque_fmt1_two, 20);
	b[0] = 1;
	assert_false(spdm_opaque_fmt1_valid(b, 20));
	/* Two announced, one present. */
	memcpy(b, opaque_fmt1, 12);
	b[0] = 2;
	assert_false(spdm_opaque_fmt1_valid(b, 12));
	/* Not a multiple of 4. */
	memcpy(b, opaque_fmt1, 12);
	b[12] = 0;
	assert_false(spdm_opaque_fmt1_valid(b, 13));
	/* VendorLen past the end. */
	memcpy(b, opaque_fmt1, 12);
	b[5] = 0x20;
	assert_false(spdm_opaque_fmt1_valid(b, 12));
}

static void test_opaque_config(void **state)
{
	static uint8_t big[SPDM_MAX_OPAQUE_SIZE + 1];
	uint8_t bad[12];

	(void)state;
	prepare(0x12, MODE_CERT);
	env.rcfg.opaque_challenge_auth = opaque_fmt1;
	env.rcfg.opaque_challenge_auth_len = sizeof(opaque_fmt1);
	/* Data without a format. */
	assert_int_equal(spdm_responder_init(&env.r, &env.rcfg, &test_ops,
					     &env.rc),
			 -EINVAL);
	env.rcfg.opaque_data_format = SPDM_OPAQUE_DATA_FMT_1;
	assert_int_equal(
		spdm_responder_init(&env.r, &env.rcfg, &test_ops, &env.rc), 0);
	/* Format 1 data that breaks the format. */
	memcpy(bad, opaque_fmt1, sizeof(bad));
	bad[11] = 0xFF;
	env.rcfg.opaque_measurements = bad;
	env.rcfg.opaque_measurements_len = sizeof(bad);
	assert_int_equal(spdm_responder_init(&env.r, &env.rcfg, &test_ops,
					     &env.rc),
			 -EINVAL);
	/* ... is fine as format 0 (the device's own). */
	env.rcfg.opaque_data_format = SPDM_OPAQUE_DATA_FMT_0;
	assert_int_equal(
		spdm_responder_init(&env.r, &env.rcfg, &test_ops, &env.rc), 0);
	/* Over 1024 bytes; a length without data. */
	env.rcfg.opaque_measurements = big;
	env.rcfg.opaque_measurements_len = sizeof(big);
	assert_int_equal(spdm_responder_init(&env.r, &env.rcfg, &test_ops,
					     &env.rc),
			 -EINVAL);
	env.rcfg.opaque_measurements_len = SPDM_MAX_OPAQUE_SIZE;
	assert_int_equal(
		spdm_responder_init(&env.r, &env.rcfg, &test_ops, &env.rc), 0);
	env.rcfg.opaque_measurements = NULL;
	assert_int_equal(spdm_responder_init(&env.r, &env.rcfg, &test_ops,
					     &env.rc),
			 -EINVAL);
	env.rcfg.opaque_measurements_len = 0;
	env.rcfg.provisioned_pubkey_len = 97;
	assert_int_equal(spdm_responder_init(&env.r, &env.rcfg, &test_ops,
					     &env.rc),
			 -EINVAL);
	assert_int_equal(spdm_requester_set_opaque_buffer(NULL, NULL, 0),
			 -EINVAL);
	assert_int_equal(spdm_requester_set_opaque_buffer(&env.q, NULL, 4),
			 -EINVAL);
	teardown();
}

/* CHALLENGE_AUTH (slot 0, type 0) with the format-1 opaque data: sent at
 * 1.0/1.1 (no format is negotiated), at 1.2/1.3 when ALGORITHMS selected
 * format 1 (the requester offers it: OtherParamsSupport 0x02), and
 * OpaqueDataLength 0 when it selected format 0. */
static void chal_auth_golden(uint8_t v, uint8_t offer, bool sent)
{
	uint8_t req[44], exp[160];
	size_t n = 0, k;

	prepare(v, MODE_CERT);
	env.qcfg.other_params_support = offer;
	env.rcfg.opaque_challenge_auth = opaque_fmt1;
	env.rcfg.opaque_challenge_auth_len = sizeof(opaque_fmt1);
	env.rcfg.opaque_data_format = SPDM_OPAQUE_DATA_FMT_1;
	start();
	raw(req, make_challenge(req, v, 0));
	exp[n++] = v;
	exp[n++] = 0x03;
	exp[n++] = 0x00; /* slot 0 */
	exp[n++] = 0x01; /* SlotMask */
	n += 48;         /* CertChainHash: test-challenge.c */
	for (k = 0; k < 32; k++)
		exp[n++] = (uint8_t)(0xA0 + k);
	exp[n++] = sent ? 12 : 0; /* OpaqueDataLength */
	exp[n++] = 0x00;
	if (sent) {
		memcpy(exp + n, opaque_fmt1, 12);
		n += 12;
	}
	if (v >= 0x13)
		for (k = 0; k < 8; k++)
			exp[n++] = (uint8_t)(0xE0 + k);
	assert_int_equal(env.rsp_len, n + 96);
	assert_memory_equal(env.rsp, exp, 4);
	assert_memory_equal(env.rsp + 52, exp + 52, n - 52);
	teardown();
}

/* MEASUREMENTS for operation 0 (count), unsigned: Param1 2 blocks, Param2
 * 0, NumberOfBlocks 0, MeasurementRecordLength 0, nonce 0xA0..,
 * OpaqueDataLength, the data, 1.3 context. */
static void meas_golden(uint8_t v, uint8_t offer, bool sent)
{
	uint8_t req[16], exp[80];
	size_t n = 0, k;

	prepare(v, MODE_CERT);
	env.qcfg.other_params_support = offer;
	env.rcfg.opaque_measurements = opaque_fmt1_two;
	env.rcfg.opaque_measurements_len = sizeof(opaque_fmt1_two);
	env.rcfg.opaque_data_format = SPDM_OPAQUE_DATA_FMT_1;
	start();
	raw(req, make_get_meas(req, v, 0x00, 0xEE));
	exp[n++] = v;
	exp[n++] = 0x60;
	exp[n++] = 0x02;
	exp[n++] = 0x00;
	exp[n++] = 0x00;
	exp[n++] = 0x00;
	exp[n++] = 0x00;
	exp[n++] = 0x00;
	for (k = 0; k < 32; k++)
		exp[n++] = (uint8_t)(0xA0 + k);
	exp[n++] = sent ? 20 : 0;
	exp[n++] = 0x00;
	if (sent) {
		memcpy(exp + n, opaque_fmt1_two, 20);
		n += 20;
	}
	if (v >= 0x13)
		for (k = 0; k < 8; k++)
			exp[n++] = (uint8_t)(0xE0 + k);
	assert_int_equal(env.rsp_len, n);
	assert_memory_equal(env.rsp, exp, n);
	teardown();
}

static void test_opaque_golden(void **state)
{
	(void)state;
	chal_auth_golden(0x10, 0, true);
	chal_auth_golden(0x11, 0, true);
	chal_auth_golden(0x12, SPDM_OPAQUE_DATA_FMT_1, true);
	chal_auth_golden(0x13, SPDM_OPAQUE_DATA_FMT_1, true);
	chal_auth_golden(0x12, SPDM_OPAQUE_DATA_FMT_0, false);
	chal_auth_golden(0x13, 0, false);
	meas_golden(0x10, 0, true);
	meas_golden(0x11, 0, true);
	meas_golden(0x12, SPDM_OPAQUE_DATA_FMT_1, true);
	meas_golden(0x13, SPDM_OPAQUE_DATA_FMT_1, true);
	meas_golden(0x12, SPDM_OPAQUE_DATA_FMT_0, false);
}

static void cert_flow(void)
{
	assert_int_equal(spdm_requester_get_certificate(&env.q, 0, 0), 0);
	assert_int_equal(pump(), 0);
}

/* The requester verifies the signature over the opaque data and copies
 * it, whole or the part that fits. */
static void test_opaque_roundtrip(void **state)
{
	struct spdm_challenge_result cres;
	struct spdm_measurement_result mres;
	uint8_t buf[32], small[5];
	unsigned int i;

	(void)state;
	for (i = 0; i < 4; i++) {
		uint8_t v = all_versions[i];

		prepare(v, MODE_CERT);
		env.rcfg.opaque_challenge_auth = opaque_fmt1;
		env.rcfg.opaque_challenge_auth_len = sizeof(opaque_fmt1);
		env.rcfg.opaque_measurements = opaque_fmt1_two;
		env.rcfg.opaque_measurements_len = sizeof(opaque_fmt1_two);
		env.rcfg.opaque_data_format = SPDM_OPAQUE_DATA_FMT_1;
		start();
		cert_flow();
		memset(buf, 0xEE, sizeof(buf));
		assert_int_equal(spdm_requester_set_opaque_buffer(&env.q, buf,
								  sizeof(buf)),
				 0);
		assert_int_equal(spdm_requester_challenge(&env.q, 0, 0), 0);
		assert_int_equal(pump(), 0);
		assert_int_equal(spdm_requester_challenge_result(&env.q, &cres),
				 0);
		assert_int_equal(cres.verdict, SPDM_CHAL_VERDICT_VERIFIED);
		assert_int_equal(cres.opaque_len, 12);
		assert_memory_equal(buf, opaque_fmt1, 12);
		assert_int_equal(buf[12], 0xEE);
		assert_int_equal(
			spdm_requester_measurements(&env.q, SPDM_MEAS_OP_ALL,
						    SPDM_MEAS_ATTR_SIGNATURE, 0,
						    NULL, NULL),
			0);
		assert_int_equal(pump(), 0);
		assert_int_equal(
			spdm_requester_measurement_result(&env.q, &mres), 0);
		assert_int_equal(mres.verdict, SPDM_MEAS_VERDICT_VERIFIED);
		assert_int_equal(mres.opaque_len, 20);
		assert_memory_equal(buf, opaque_fmt1_two, 20);
		/* A buffer too small: the first bytes, the whole length. */
		memset(small, 0xEE, sizeof(small));
		assert_int_equal(spdm_requester_set_opaque_buffer(
					 &env.q, small, sizeof(small)),
				 0);
		assert_int_equal(spdm_requester_measurements(&env.q,
							     SPDM_MEAS_OP_COUNT,
							     0, 0, NULL, NULL),
				 0);
		assert_int_equal(pump(), 0);
		assert_int_equal(
			spdm_requester_measurement_result(&env.q, &mres), 0);
		assert_int_equal(mres.verdict, SPDM_MEAS_VERDICT_UNSIGNED);
		assert_int_equal(mres.opaque_len, 20);
		assert_memory_equal(small, opaque_fmt1_two, 5);
		teardown();
	}
}

/* Offset of OpaqueDataLength in a CHALLENGE_AUTH (type 0) or in a
 * MEASUREMENTS response. */
static size_t opaque_at(const struct env *e)
{
	size_t rec;

	if (e->rsp[1] == SPDM_CHALLENGE_AUTH)
		return 4 + 48 + 32;
	rec = e->rsp[5] | (size_t)e->rsp[6] << 8 | (size_t)e->rsp[7] << 16;
	return 8 + rec + 32;
}

static void opaque_len_plus_one(struct env *e)
{
	e->rsp[opaque_at(e)]++;
}

static void opaque_len_max(struct env *e)
{
	e->rsp[opaque_at(e)] = 0xFF;
	e->rsp[opaque_at(e) + 1] = 0xFF;
}

/* OpaqueDataLength 1100 with 1100 bytes really there (a response that is
 * consistent but over the limit). */
static void opaque_too_long(struct env *e)
{
	size_t at = opaque_at(e),
	       old = e->rsp[at] | (size_t)e->rsp[at + 1] << 8;
	size_t tail = e->rsp_len - at - 2 - old;

	memmove(e->rsp + at + 2 + 1100, e->rsp + at + 2 + old, tail);
	memset(e->rsp + at + 2, 0, 1100);
	e->rsp[at] = (uint8_t)(1100 & 0xFF);
	e->rsp[at + 1] = (uint8_t)(1100 >> 8);
	e->rsp_len = at + 2 + 1100 + tail;
}

/* A non-zero padding byte in the format-1 data (last byte of
 * opaque_fmt1). */
static void opaque_bad_padding(struct env *e)
{
	e->rsp[opaque_at(e) + 2 + 11] = 0x01;
}

static int run_mutated(uint8_t v, bool meas, void (*m)(struct env *e))
{
	int err;

	prepare(v, MODE_CERT);
	env.rcfg.opaque_challenge_auth = opaque_fmt1;
	env.rcfg.opaque_challenge_auth_len = sizeof(opaque_fmt1);
	env.rcfg.opaque_measurements = opaque_fmt1;
	env.rcfg.opaque_measurements_len = sizeof(opaque_fmt1);
	env.rcfg.opaque_data_format = SPDM_OPAQUE_DATA_FMT_1;
	start();
	cert_flow();
	if (meas)
		assert_int_equal(spdm_requester_measurements(
					 &env.q, 1, SPDM_MEAS_ATTR_SIGNATURE, 0,
					 NULL, NULL),
				 0);
	else
		assert_int_equal(spdm_requester_challenge(&env.q, 0, 0), 0);
	env.mutate = m;
	err = pump();
	teardown();
	return err;
}

static void test_opaque_rejected(void **state)
{
	unsigned int i, m;

	(void)state;
	for (i = 0; i < 4; i++) {
		for (m = 0; m < 2; m++) {
			uint8_t v = all_versions[i];

			assert_int_equal(run_mutated(v, m, opaque_len_plus_one),
					 -EBADMSG);
			assert_int_equal(run_mutated(v, m, opaque_len_max),
					 -EBADMSG);
			assert_int_equal(run_mutated(v, m, opaque_too_long),
					 -EBADMSG);
			/* Format 1 is checked from 1.2 (format 1 selected);
			 * before, the changed byte fails the signature. */
			assert_int_equal(run_mutated(v, m, opaque_bad_padding),
					 v >= 0x12 ? -EBADMSG : -EPERM);
		}
	}
}

/* ---- MEASUREMENTS Param2 ---- */

static uint8_t meas_param2(uint8_t v, uint8_t op, uint8_t slot_param)
{
	uint8_t req[56];

	raw(req, make_get_meas(req, v, op, slot_param));
	assert_int_equal(env.rsp[1], SPDM_MEASUREMENTS);
	return env.rsp[3];
}

/* Responder: content changed 10b / 01b from 1.2 in signed responses only,
 * 00b without a generation op, before 1.2 and when unsigned; SlotIDParam
 * echoed in bits 3:0. */
static void test_content_changed_rsp(void **state)
{
	unsigned int i;

	(void)state;
	for (i = 0; i < 4; i++) {
		uint8_t v = all_versions[i];
		bool c = v >= 0x12;

		prepare(v, MODE_CERT);
		env.rcfg.measurement_generation = dev_generation;
		start();
		/* One signed request: a log of itself, nothing changed. */
		assert_int_equal(meas_param2(v, 1, 0x00), c ? 0x20 : 0x00);
		/* Unsigned, the measurements change, then signed: changed. */
		assert_int_equal(meas_param2(v, 1, 0xEE), 0x00);
		generation++;
		assert_int_equal(meas_param2(v, 2, 0x00), c ? 0x10 : 0x00);
		/* A new log starts after the signed response. */
		assert_int_equal(meas_param2(v, 0xFF, 0x01), c ? 0x21
							     : v >= 0x11
								     ? 0x01
								     : 0x00);
		/* A change between two requests of one log. */
		assert_int_equal(meas_param2(v, 1, 0xEE), 0x00);
		assert_int_equal(meas_param2(v, 2, 0xEE), 0x00);
		generation++;
		assert_int_equal(meas_param2(v, 1, 0x00), c ? 0x10 : 0x00);
		/* Another request ends the log: no change seen afterwards. */
		assert_int_equal(meas_param2(v, 1, 0xEE), 0x00);
		generation++;
		{
			uint8_t req[4] = {v, 0x81, 0, 0};

			raw(req, sizeof(req)); /* GET_DIGESTS */
		}
		assert_int_equal(meas_param2(v, 1, 0x00), c ? 0x20 : 0x00);
		teardown();

		/* Without the op: 00b. */
		setup(v, MODE_CERT);
		assert_int_equal(meas_param2(v, 1, 0x00),
				 v >= 0x11 ? 0x00 : 0x00);
		generation++;
		assert_int_equal(meas_param2(v, 1, 0x01),
				 v >= 0x11 ? 0x01 : 0x00);
		teardown();
	}
}

static void set_changed(struct env *e)
{
	e->rsp[3] = (uint8_t)((e->rsp[3] & 0x0F) | 0x10);
}

static void set_reserved_changed(struct env *e)
{
	e->rsp[3] = (uint8_t)(e->rsp[3] | 0x30);
}

static void flip_slot_param(struct env *e)
{
	e->rsp[3] ^= 0x01;
}

static int meas_flow(uint8_t attrs, uint8_t slot, void (*m)(struct env *e))
{
	env.mutate = m;
	assert_int_equal(spdm_requester_measurements(&env.q, 1, attrs, slot,
						     NULL, NULL),
			 0);
	return pump();
}

/* Requester: the field is given in the result; 11b, or a changed field
 * in an unsigned response, or another slot, is refused. */
static void test_content_changed_req(void **state)
{
	struct spdm_measurement_result res;
	unsigned int i;

	(void)state;
	for (i = 0; i < 4; i++) {
		uint8_t v = all_versions[i], sig = SPDM_MEAS_ATTR_SIGNATURE;

		prepare(v, MODE_CERT);
		env.rcfg.measurement_generation = dev_generation;
		start();
		cert_flow();
		assert_int_equal(meas_flow(sig, 0, NULL), 0);
		assert_int_equal(
			spdm_requester_measurement_result(&env.q, &res), 0);
		assert_int_equal(res.verdict, SPDM_MEAS_VERDICT_VERIFIED);
		assert_int_equal(res.content_changed, v >= 0x12 ? 0x20 : 0);
		assert_int_equal(meas_flow(0, 0, NULL), 0);
		generation++;
		assert_int_equal(meas_flow(sig, 0, NULL), 0);
		assert_int_equal(
			spdm_requester_measurement_result(&env.q, &res), 0);
		assert_int_equal(res.content_changed, v >= 0x12 ? 0x10 : 0);
		/* 1.2+: checked before the signature; before 1.2 the bits
		 * are reserved (ignored) but signed over. */
		assert_int_equal(meas_flow(sig, 0, set_reserved_changed),
				 v >= 0x12 ? -EBADMSG : -EPERM);
		teardown();

		setup(v, MODE_CERT);
		cert_flow();
		assert_int_equal(meas_flow(0, 0, set_changed),
				 v >= 0x12 ? -EBADMSG : 0);
		teardown();
		if (v >= 0x11) {
			setup(v, MODE_CERT);
			cert_flow();
			assert_int_equal(meas_flow(sig, 0, flip_slot_param),
					 -EBADMSG);
			teardown();
		}
	}
}

/* ---- SlotID 0xFF: the provisioned public key ---- */

static void set_pubkey(void)
{
	assert_int_equal(spdm_requester_set_peer_pubkey(&env.q,
							SPDM_ASYM_ECDSA_P384,
							env.pub, env.pub_len),
			 0);
}

/* CHALLENGE_AUTH for slot 0xFF: Param1 0x0F, Param2 0 (no chain),
 * CertChainHash H(public key as provisioned), nonce, OpaqueDataLength 0,
 * 1.3 context, signature. */
static void test_pubkey_golden(void **state)
{
	unsigned int i;

	(void)state;
	for (i = 1; i < 4; i++) {
		uint8_t v = all_versions[i], req[56], exp[128];
		size_t n = 0, k;

		setup(v, MODE_PUBKEY);
		raw(req, make_challenge(req, v, 0xFF));
		exp[n++] = v;
		exp[n++] = 0x03;
		exp[n++] = 0x0F;
		exp[n++] = 0x00;
		memcpy(exp + n, pubkey_hash_384, 48);
		n += 48;
		for (k = 0; k < 32; k++)
			exp[n++] = (uint8_t)(0xA0 + k);
		exp[n++] = 0x00;
		exp[n++] = 0x00;
		if (v >= 0x13)
			for (k = 0; k < 8; k++)
				exp[n++] = (uint8_t)(0xE0 + k);
		assert_int_equal(env.rsp_len, n + 96);
		assert_memory_equal(env.rsp, exp, n);
		/* No chain: slot 0 does not exist. */
		raw(req, make_challenge(req, v, 0x00));
		expect_error(SPDM_ERROR_INVALID_REQUEST);
		/* Signed GET_MEASUREMENTS with SlotIDParam 0xF: Param2 0x0F
		 * (1.2+: | 10b no change detected is not set: no op). */
		raw(req, make_get_meas(req, v, 1, 0x0F));
		assert_int_equal(env.rsp[1], SPDM_MEASUREMENTS);
		assert_int_equal(env.rsp[3], 0x0F);
		/* Slot 0 has no key here. */
		teardown();

		/* A responder with a chain but no provisioned key. */
		setup(v, MODE_CERT);
		raw(req, make_challenge(req, v, 0xFF));
		expect_error(SPDM_ERROR_INVALID_REQUEST);
		raw(req, make_get_meas(req, v, 1, 0x0F));
		expect_error(SPDM_ERROR_INVALID_REQUEST);
		teardown();
	}
	/* 1.0 has no PUB_KEY_ID_CAP: the key is never used. */
	prepare(0x10, MODE_PUBKEY);
	env.rcfg.flags = RSP_FLAGS;
	env.rcfg.cert_slots[0].chain = env.chain;
	env.rcfg.cert_slots[0].len = env.chain_len;
	start();
	{
		uint8_t req[36];

		raw(req, make_challenge(req, 0x10, 0xFF));
		expect_error(SPDM_ERROR_INVALID_REQUEST);
	}
	teardown();
}

/* The requester's slot 0xFF flows: request bytes, verification with the
 * key given, the expected CertChainHash computed or given. */
static void test_pubkey_roundtrip(void **state)
{
	struct spdm_challenge_result cres;
	struct spdm_measurement_result mres;
	uint8_t bad[48];
	unsigned int i;

	(void)state;
	for (i = 1; i < 4; i++) {
		uint8_t v = all_versions[i];

		setup(v, MODE_PUBKEY);
		/* No key yet. */
		assert_int_equal(spdm_requester_challenge(&env.q, 0xFF, 0),
				 -EPERM);
		set_pubkey();
		assert_int_equal(spdm_requester_challenge(&env.q, 0xFF, 0), 0);
		env.req_len = sizeof(env.req);
		assert_int_equal(
			spdm_requester_next(&env.q, env.req, &env.req_len), 0);
		assert_int_equal(env.req[2], 0xFF); /* Param1 SlotID */
		assert_int_equal(spdm_requester_timeout(&env.q), -EAGAIN);
		assert_int_equal(pump(), 0);
		assert_int_equal(spdm_requester_challenge_result(&env.q, &cres),
				 0);
		assert_int_equal(cres.verdict, SPDM_CHAL_VERDICT_VERIFIED);
		assert_int_equal(cres.slot, 0xFF);
		/* Not a chain: never "attested". */
		assert_int_not_equal(spdm_requester_attestation(&env.q),
				     SPDM_ATTESTED);
		/* Signed measurements with SlotIDParam 0xF. */
		assert_int_equal(spdm_requester_measurements(
					 &env.q, 1, SPDM_MEAS_ATTR_SIGNATURE,
					 0xFF, NULL, NULL),
				 0);
		env.req_len = sizeof(env.req);
		assert_int_equal(
			spdm_requester_next(&env.q, env.req, &env.req_len), 0);
		assert_int_equal(env.req[4 + 32], 0x0F); /* SlotIDParam */
		assert_int_equal(spdm_requester_timeout(&env.q), -EAGAIN);
		assert_int_equal(pump(), 0);
		assert_int_equal(
			spdm_requester_measurement_result(&env.q, &mres), 0);
		assert_int_equal(mres.verdict, SPDM_MEAS_VERDICT_VERIFIED);
		assert_int_equal(mres.slot, 0xFF);
		/* The digest given by hand: right, then wrong. */
		assert_int_equal(spdm_requester_set_peer_chain_digest(
					 &env.q, 0xFF, pubkey_hash_384, 48),
				 0);
		assert_int_equal(spdm_requester_challenge(&env.q, 0xFF, 0), 0);
		assert_int_equal(pump(), 0);
		memcpy(bad, pubkey_hash_384, 48);
		bad[0] ^= 1;
		assert_int_equal(spdm_requester_set_peer_chain_digest(
					 &env.q, 0xFF, bad, 48),
				 0);
		assert_int_equal(spdm_requester_challenge(&env.q, 0xFF, 0), 0);
		assert_int_equal(pump(), -EBADMSG);
		teardown();

		/* The requester's key is another one: CertChainHash differs. */
		setup(v, MODE_PUBKEY);
		{
			uint8_t other[SPDM_MAX_PUBKEY_SIZE];

			memcpy(other, env.pub, env.pub_len);
			other[10] ^= 0x01;
			assert_int_equal(spdm_requester_set_peer_pubkey(
						 &env.q, SPDM_ASYM_ECDSA_P384,
						 other, env.pub_len),
					 0);
		}
		assert_int_equal(spdm_requester_challenge(&env.q, 0xFF, 0), 0);
		assert_int_equal(pump(), -EBADMSG);
		teardown();

		/* A peer without PUB_KEY_ID_CAP. */
		setup(v, MODE_CERT);
		set_pubkey();
		assert_int_equal(spdm_requester_challenge(&env.q, 0xFF, 0),
				 -EOPNOTSUPP);
		assert_int_equal(spdm_requester_measurements(
					 &env.q, 1, SPDM_MEAS_ATTR_SIGNATURE,
					 0xFF, NULL, NULL),
				 -EOPNOTSUPP);
		assert_int_equal(spdm_requester_challenge(&env.q, 0xFE, 0),
				 -EINVAL);
		teardown();
	}
}

/* ---- 1.3 Supported Algorithms block ---- */

/* GET_CAPABILITIES 1.3: Param1 @param1, CTExponent 10, flags CERT | CHAL
 * | CHUNK_CAP (0x00020006) or without CHUNK_CAP (0x00000006),
 * DataTransferSize @dts, MaxSPDMmsgSize 4096. */
static size_t make_get_caps(uint8_t *req, uint8_t param1, bool chunk,
			    uint32_t dts)
{
	const uint8_t head[] = {0x13,
				0xE1,
				param1,
				0x00,
				0x00,
				0x0A,
				0x00,
				0x00,
				0x06,
				0x00,
				chunk ? 0x02 : 0x00,
				0x00};

	memcpy(req, head, sizeof(head));
	req[12] = (uint8_t)dts;
	req[13] = (uint8_t)(dts >> 8);
	req[14] = (uint8_t)(dts >> 16);
	req[15] = (uint8_t)(dts >> 24);
	req[16] = 0x00;
	req[17] = 0x10;
	req[18] = 0x00;
	req[19] = 0x00;
	return 20;
}

static void test_supported_algs(void **state)
{
	static const uint8_t get_version[] = {0x10, 0x84, 0x00, 0x00};
	/* CAPABILITIES 1.3 with the block: Param1 0x01, CTExponent 12,
	 * flags 0x2D6, DataTransferSize = MaxSPDMmsgSize = 4096; block:
	 * Param1 4 structures, Param2 0, Length 46, MeasurementSpecification
	 * DMTF, OtherParamsSupport formats 0 and 1 (0x03), BaseAsymAlgo
	 * P-384 (0x80), BaseHashAlgo SHA-384 (0x02), Reserved (12),
	 * ExtAsymCount 0, ExtHashCount 0, Reserved, MELspecification 0; DHE
	 * secp256r1 | secp384r1 (0x0018), AEAD AES-128/256-GCM (0x0003),
	 * ReqBaseAsymAlg P-256 | P-384 (0x0090), KeySchedule SPDM (0x0001),
	 * each AlgType, AlgCount 0x20, AlgSupported. */
	static const uint8_t caps[66] = {
		0x13, 0x61, 0x01, 0x00, 0x00, 0x0C, 0x00, 0x00, 0xD6, 0x02,
		0x00, 0x00, 0x00, 0x10, 0x00, 0x00, 0x00, 0x10, 0x00, 0x00,
		0x04, 0x00, 0x2E, 0x00, 0x01, 0x03, 0x80, 0x00, 0x00, 0x00,
		0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
		0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
		0x02, 0x20, 0x18, 0x00, 0x03, 0x20, 0x03, 0x00, 0x04, 0x20,
		0x90, 0x00, 0x05, 0x20, 0x01, 0x00};
	uint8_t req[20];
	const uint8_t *a;
	size_t a_len;

	(void)state;
	prepare(0x13, MODE_CERT);
	assert_int_equal(
		spdm_responder_init(&env.r, &env.rcfg, &test_ops, &env.rc), 0);
	raw(get_version, sizeof(get_version));
	/* Without CHUNK_CAP: InvalidRequest, state unchanged. */
	raw(req, make_get_caps(req, 0x01, false, 4096));
	expect_error(SPDM_ERROR_INVALID_REQUEST);
	raw(req, make_get_caps(req, 0x01, true, 4096));
	assert_int_equal(env.rsp_len, sizeof(caps));
	assert_memory_equal(env.rsp, caps, sizeof(caps));
	/* Message A holds the whole response. */
	a = spdm_responder_vca(&env.r, &a_len);
	assert_int_equal(a_len, 4 + 8 + 20 + sizeof(caps)); /* one version */
	assert_memory_equal(a + a_len - sizeof(caps), caps, sizeof(caps));
	/* A DataTransferSize the block does not fit: no block. */
	raw(get_version, sizeof(get_version));
	raw(req, make_get_caps(req, 0x01, true, 64));
	assert_int_equal(env.rsp_len, 20);
	assert_int_equal(env.rsp[2], 0x00);
	/* Not asked: no block. */
	raw(get_version, sizeof(get_version));
	raw(req, make_get_caps(req, 0x00, true, 4096));
	assert_int_equal(env.rsp_len, 20);
	assert_int_equal(env.rsp[2], 0x00);
	teardown();

	/* 1.2: Param1 is reserved, ignored. */
	prepare(0x12, MODE_CERT);
	assert_int_equal(
		spdm_responder_init(&env.r, &env.rcfg, &test_ops, &env.rc), 0);
	raw(get_version, sizeof(get_version));
	make_get_caps(req, 0x01, false, 4096);
	req[0] = 0x12;
	raw(req, 20);
	assert_int_equal(env.rsp_len, 20);
	assert_int_equal(env.rsp[1], SPDM_CAPABILITIES);
	assert_int_equal(env.rsp[2], 0x00);
	teardown();
}

/* Our requester never asks for the block (it needs CHUNK_CAP): a
 * CAPABILITIES that carries one anyway is refused. */
static void add_block(struct env *e)
{
	if (e->rsp[1] != SPDM_CAPABILITIES)
		return;
	e->rsp[2] = 0x01;
	memset(e->rsp + e->rsp_len, 0, 46);
	e->rsp[e->rsp_len + 2] = 46;
	e->rsp_len += 46;
}

static void test_supported_algs_req(void **state)
{
	(void)state;
	prepare(0x13, MODE_CERT);
	assert_int_equal(
		spdm_responder_init(&env.r, &env.rcfg, &test_ops, &env.rc), 0);
	assert_int_equal(
		spdm_requester_init(&env.q, &env.qcfg, &test_ops, &env.qc), 0);
	assert_int_equal(spdm_requester_connect(&env.q), 0);
	env.mutate = add_block;
	assert_int_equal(pump(), -EBADMSG);
	teardown();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fmt1_check),
		cmocka_unit_test(test_opaque_config),
		cmocka_unit_test(test_opaque_golden),
		cmocka_unit_test(test_opaque_roundtrip),
		cmocka_unit_test(test_opaque_rejected),
		cmocka_unit_test(test_content_changed_rsp),
		cmocka_unit_test(test_content_changed_req),
		cmocka_unit_test(test_pubkey_golden),
		cmocka_unit_test(test_pubkey_roundtrip),
		cmocka_unit_test(test_supported_algs),
		cmocka_unit_test(test_supported_algs_req),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
