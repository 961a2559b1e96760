/* SPDX-License-Identifier: Apache-2.0 */
/*
 * GET_MEASUREMENTS / MEASUREMENTS, both roles, with real ECDSA and hashes
 * (the POSIX port on mbedTLS) and the committed test PKI (tests/pki).
 *
 * Golden bytes: the requests and unsigned responses below are written by
 * hand from the DSP0274 tables ("GET_MEASUREMENTS request message format",
 * "Successful MEASUREMENTS response message format", "Measurement block
 * format", "DMTF measurement specification format"); the digests of the
 * raw block value were computed with `openssl dgst -sha384 / -sha256`.
 * The signed 1.2 response in golden_signed_12 was recorded once and its
 * signature checked with the openssl CLI (see the comment there).
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
#include "spdm/measurements.h"

#ifndef PROT_TEST_PKI_DIR
#error "PROT_TEST_PKI_DIR must name tests/pki"
#endif

/* ---- the measurement source: blocks 1, 2, 3 and 5 (4 is missing) ---- */

static const uint8_t rom_value[] = {'i', 'm', 'm', 'u', 't', 'a', 'b', 'l',
				    'e', '-', 'r', 'o', 'm', '-', 'v', '1'};
/* openssl dgst -sha384 / -sha256 of rom_value */
static const uint8_t rom_sha384[48] = {
	0x0b, 0x45, 0xb7, 0x7c, 0xe1, 0xd7, 0x33, 0xd0, 0x90, 0xab, 0xa6, 0x98,
	0x94, 0x17, 0x98, 0xe5, 0x82, 0x8b, 0x16, 0xf5, 0xe8, 0xea, 0x22, 0xec,
	0x5b, 0x12, 0x93, 0x9d, 0x50, 0xab, 0xbe, 0x30, 0x7d, 0xa9, 0x5a, 0x25,
	0xdf, 0x57, 0x98, 0xec, 0xcf, 0x87, 0xdf, 0xe2, 0xef, 0x1f, 0x86, 0xe1};
static const uint8_t rom_sha256[32] = {0xb9, 0x88, 0xc3, 0x91, 0x71, 0x13, 0x6d,
				       0xa4, 0xd6, 0xac, 0x96, 0xcb, 0xd0, 0x36,
				       0xf2, 0x8b, 0xa1, 0x38, 0xa0, 0x7d, 0xa6,
				       0x16, 0xe2, 0x8c, 0xee, 0x3b, 0x3f, 0xc2,
				       0xc8, 0x66, 0xa2, 0x57};

struct device {
	unsigned int block_calls;
	bool fail;
};

static int dev_count(void *ctx)
{
	(void)ctx;
	return 4;
}

static int dev_block(void *ctx, uint8_t index, enum spdm_hash_alg hash,
		     uint8_t *type, bool *raw, uint8_t *value,
		     size_t *value_len)
{
	struct device *d = ctx;
	size_t i, n;

	d->block_calls++;
	if (d->fail)
		return -EIO;
	switch (index) {
	case 1: /* immutable ROM, raw */
		n = sizeof(rom_value);
		if (*value_len < n)
			return -EMSGSIZE;
		memcpy(value, rom_value, n);
		*type = SPDM_MEAS_TYPE_IMMUTABLE_ROM;
		*raw = true;
		break;
	case 2: /* mutable firmware, raw, 200 bytes */
		n = 200;
		if (*value_len < n)
			return -EMSGSIZE;
		for (i = 0; i < n; i++)
			value[i] = (uint8_t)i;
		*type = SPDM_MEAS_TYPE_MUTABLE_FIRMWARE;
		*raw = true;
		break;
	case 3: /* hardware configuration, already a digest */
		n = spdm_hash_size(hash);
		if (!n)
			return -ENOENT;
		memset(value, 0x33, n);
		*type = SPDM_MEAS_TYPE_HARDWARE_CONFIG;
		*raw = false;
		break;
	case 5: /* security version number, raw */
		n = 8;
		memset(value, 0, n);
		value[0] = 7;
		*type = SPDM_MEAS_TYPE_SECURITY_VERSION;
		*raw = true;
		break;
	default:
		return -ENOENT;
	}
	*value_len = n;
	return 0;
}

static const struct spdm_measurement_ops dev_ops = {dev_count, dev_block};

/* ---- one requester and one responder ---- */

struct env {
	struct test_crypto rc, qc;
	struct device dev;
	struct spdm_responder_config rcfg;
	struct spdm_requester_config qcfg;
	struct spdm_responder r;
	struct spdm_requester q;
	uint8_t version;
	/* the last exchange */
	uint8_t req[SPDM_REQUESTER_REQ_SIZE];
	size_t req_len;
	uint8_t rsp[SPDM_MAX_MSG_SIZE];
	size_t rsp_len;
	/* a hook on each response before the requester sees it */
	void (*mutate)(struct env *e);
	/* blocks handed out */
	unsigned int n_blocks;
	struct {
		uint8_t index, type;
		bool raw;
		uint16_t len;
		uint8_t value[256];
	} blocks[8];
};

static struct env env;

static void on_block(void *ctx, const struct spdm_measurement_block *b)
{
	struct env *e = ctx;

	assert_true(e->n_blocks < 8);
	e->blocks[e->n_blocks].index = b->index;
	e->blocks[e->n_blocks].type = b->type;
	e->blocks[e->n_blocks].raw = b->raw;
	e->blocks[e->n_blocks].len = b->value_len;
	assert_true(b->value_len <= 256);
	memcpy(e->blocks[e->n_blocks].value, b->value, b->value_len);
	e->n_blocks++;
}

/* One requester/responder exchange after another until the flow ends. */
/* The responder's public key as setup() read it. */
static uint8_t env_key[97];
static size_t env_key_len;

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

/* @p384: P-384/SHA-384, else P-256/SHA-256. @meas_cap: the responder's
 * MEAS_CAP flag. */
static void setup(uint8_t version, bool p384, uint32_t meas_cap)
{
	static uint8_t versions[1];
	const char *dir = p384 ? "p384" : "p256";
	uint8_t key[SPDM_MAX_PUBKEY_SIZE];
	char name[64];
	size_t n;

	memset(&env, 0, sizeof(env));
	test_ops = prot_crypto_ops;
	test_ops.random = test_random;
	test_ops.sign = test_sign;
	versions[0] = version;
	env.version = version;
	assert_int_equal(prot_crypto_init(&env.rc.pc), 0);
	assert_int_equal(prot_crypto_init(&env.qc.pc), 0);
	snprintf(name, sizeof(name), "%s/%s/leaf.key.pem", PROT_TEST_PKI_DIR,
		 dir);
	assert_int_equal(prot_crypto_load_slot_key_file(&env.rc.pc, 0, name),
			 0);
	env.rc.det_random = true;
	env.rc.next_byte = 0xA0;
	env.qc.det_random = true;
	env.qc.next_byte = 0x50;

	env.rcfg = rsp_config(versions, 1);
	env.rcfg.flags = (env.rcfg.flags & ~SPDM_RSP_MEAS_CAP_MASK) | meas_cap;
	env.rcfg.base_asym_algo = p384 ? SPDM_ASYM_ALGO_ECDSA_P384
				       : SPDM_ASYM_ALGO_ECDSA_P256;
	env.rcfg.base_hash_algo = p384 ? SPDM_HASH_ALGO_SHA_384
				       : SPDM_HASH_ALGO_SHA_256;
	env.rcfg.measurement_hash_algo = p384 ? SPDM_MEAS_HASH_SHA_384
					      : SPDM_MEAS_HASH_SHA_256;
	env.rcfg.measurement_ops = &dev_ops;
	env.rcfg.measurement_ctx = &env.dev;
	assert_int_equal(
		spdm_responder_init(&env.r, &env.rcfg, &test_ops, &env.rc), 0);
	env.qcfg = req_config(versions, 1);
	assert_int_equal(
		spdm_requester_init(&env.q, &env.qcfg, &test_ops, &env.qc), 0);
	assert_int_equal(spdm_requester_connect(&env.q), 0);
	assert_int_equal(pump(), 0);
	snprintf(name, sizeof(name), "%s/leaf.pub.bin", dir);
	n = read_file(name, key, sizeof(key));
	assert_int_equal(n, p384 ? 97 : 65);
	memcpy(env_key, key, n);
	env_key_len = n;
	assert_int_equal(
		spdm_requester_set_peer_pubkey(&env.q,
					       p384 ? SPDM_ASYM_ECDSA_P384
						    : SPDM_ASYM_ECDSA_P256,
					       key, n),
		0);
}

static void teardown(void)
{
	prot_crypto_free(&env.rc.pc);
	prot_crypto_free(&env.qc.pc);
}

static int measure(uint8_t op, uint8_t attrs)
{
	env.n_blocks = 0;
	assert_int_equal(spdm_requester_measurements(&env.q, op, attrs, 0,
						     on_block, &env),
			 0);
	return pump();
}

static uint32_t verdict(void)
{
	struct spdm_measurement_result res;

	assert_int_equal(spdm_requester_measurement_result(&env.q, &res), 0);
	return res.verdict;
}

/* ---- golden bytes ---- */

/* Requests: unsigned "all"; signed index 2 (nonce 0x50.. from the
 * deterministic RNG, 1.1+ SlotIDParam 0); 1.3 RequesterContext after. */
static void test_golden_requests(void **state)
{
	unsigned int i, k;

	(void)state;
	for (i = 0; i < 4; i++) {
		uint8_t v = all_versions[i], exp[64];
		size_t n = 0;

		setup(v, true, SPDM_RSP_MEAS_CAP_SIG);
		/* Unsigned, all blocks: header only (1.3: context). */
		assert_int_equal(spdm_requester_measurements(&env.q, 0xFF, 0, 0,
							     NULL, NULL),
				 0);
		env.req_len = sizeof(env.req);
		assert_int_equal(
			spdm_requester_next(&env.q, env.req, &env.req_len), 0);
		exp[n++] = v;
		exp[n++] = 0xE0;
		exp[n++] = 0x00;
		exp[n++] = 0xFF;
		if (v >= 0x13)
			for (k = 0; k < 8; k++)
				exp[n++] = (uint8_t)(0x50 + k);
		assert_int_equal(env.req_len, n);
		assert_memory_equal(env.req, exp, n);
		assert_int_equal(spdm_requester_timeout(&env.q), -EAGAIN);
		teardown();

		setup(v, true, SPDM_RSP_MEAS_CAP_SIG);
		assert_int_equal(spdm_requester_measurements(
					 &env.q, 2, SPDM_MEAS_ATTR_SIGNATURE, 0,
					 NULL, NULL),
				 0);
		env.req_len = sizeof(env.req);
		assert_int_equal(
			spdm_requester_next(&env.q, env.req, &env.req_len), 0);
		n = 0;
		exp[n++] = v;
		exp[n++] = 0xE0;
		exp[n++] = 0x01;
		exp[n++] = 0x02;
		for (k = 0; k < 32; k++)
			exp[n++] = (uint8_t)(0x50 + k);
		if (v >= 0x11)
			exp[n++] = 0x00;
		if (v >= 0x13)
			for (k = 0; k < 8; k++)
				exp[n++] = (uint8_t)(0x70 + k);
		assert_int_equal(env.req_len, n);
		assert_memory_equal(env.req, exp, n);
		teardown();
	}
}

/* Unsigned responses to index 1: 1.0/1.1 the SHA-384 digest (type 0x00,
 * digest), 1.2/1.3 with RawBitStreamRequested the raw value (type 0x80);
 * nonce 0xA0.. (deterministic RNG), OpaqueDataLength 0, 1.3 the context
 * echoed. Also P-256 / SHA-256 at 1.1. */
static void golden_response(uint8_t v, bool p384)
{
	uint8_t req[12] = {v, 0xE0, 0x00, 0x01}, exp[160], rsp[256];
	size_t n = 0, req_len = 4, rsp_len = sizeof(rsp), k;
	bool raw = v >= 0x12;
	const uint8_t *dig = p384 ? rom_sha384 : rom_sha256;
	size_t dlen = p384 ? 48 : 32, vlen = raw ? 16 : dlen;

	setup(v, p384, SPDM_RSP_MEAS_CAP_SIG);
	if (raw)
		req[2] = 0x02;
	if (v >= 0x13) {
		for (k = 0; k < 8; k++)
			req[4 + k] = (uint8_t)(0xC0 + k);
		req_len = 12;
	}
	exp[n++] = v;
	exp[n++] = 0x60;
	exp[n++] = 0x00;                /* Param1: not a count */
	exp[n++] = 0x00;                /* Param2: unsigned */
	exp[n++] = 0x01;                /* NumberOfBlocks */
	exp[n++] = (uint8_t)(7 + vlen); /* MeasurementRecordLength */
	exp[n++] = 0x00;
	exp[n++] = 0x00;
	exp[n++] = 0x01;                /* Index */
	exp[n++] = 0x01;                /* MeasurementSpecification: DMTF */
	exp[n++] = (uint8_t)(3 + vlen); /* MeasurementSize */
	exp[n++] = 0x00;
	exp[n++] = raw ? 0x80 : 0x00; /* immutable ROM, raw or digest */
	exp[n++] = (uint8_t)vlen;
	exp[n++] = 0x00;
	memcpy(exp + n, raw ? rom_value : dig, vlen);
	n += vlen;
	for (k = 0; k < 32; k++)
		exp[n++] = (uint8_t)(0xA0 + k); /* Nonce */
	exp[n++] = 0x00;                        /* OpaqueDataLength */
	exp[n++] = 0x00;
	if (v >= 0x13)
		for (k = 0; k < 8; k++)
			exp[n++] = (uint8_t)(0xC0 + k);
	assert_int_equal(
		spdm_responder_handle(&env.r, req, req_len, rsp, &rsp_len), 0);
	assert_int_equal(rsp_len, n);
	assert_memory_equal(rsp, exp, n);
	teardown();
}

static void test_golden_responses(void **state)
{
	unsigned int i;

	(void)state;
	for (i = 0; i < 4; i++)
		golden_response(all_versions[i], true);
	golden_response(0x11, false);
	golden_response(0x12, false);
}

/* Count: Param1 = 4, no blocks. */
static void test_golden_count(void **state)
{
	const uint8_t req[] = {0x12, 0xE0, 0x00, 0x00};
	uint8_t rsp[64];
	size_t rsp_len = sizeof(rsp);

	(void)state;
	setup(0x12, true, SPDM_RSP_MEAS_CAP_SIG);
	assert_int_equal(spdm_responder_handle(&env.r, req, sizeof(req), rsp,
					       &rsp_len),
			 0);
	assert_int_equal(rsp_len, 8 + 32 + 2);
	assert_int_equal(rsp[1], 0x60);
	assert_int_equal(rsp[2], 4);
	assert_int_equal(rsp[4], 0);
	assert_int_equal(rsp[5] | rsp[6] | rsp[7], 0);
	teardown();
}

/* A signed 1.2 MEASUREMENTS (index 1, P-384, SHA-384) recorded once from
 * this responder with the deterministic RNG, for the request of setup()
 * (nonce 0x50..0x6F, slot 0). Its signature was checked with the openssl
 * CLI: message = "dmtf-spdm-v1.2.*" x 4 || 6 zero bytes ||
 * "responder-measurements signing" || SHA-384(message A || request ||
 * response without signature), `openssl dgst -sha384 -verify
 * p384/leaf.pub.der -signature sig.der message` (r || s turned into DER):
 * "Verified OK"; with one byte appended: "Verification failure". */
static const uint8_t golden_signed_12[193] = {
	0x12, 0x60, 0x00, 0x00, 0x01, 0x37, 0x00, 0x00, 0x01, 0x01, 0x33, 0x00,
	0x00, 0x30, 0x00, 0x0b, 0x45, 0xb7, 0x7c, 0xe1, 0xd7, 0x33, 0xd0, 0x90,
	0xab, 0xa6, 0x98, 0x94, 0x17, 0x98, 0xe5, 0x82, 0x8b, 0x16, 0xf5, 0xe8,
	0xea, 0x22, 0xec, 0x5b, 0x12, 0x93, 0x9d, 0x50, 0xab, 0xbe, 0x30, 0x7d,
	0xa9, 0x5a, 0x25, 0xdf, 0x57, 0x98, 0xec, 0xcf, 0x87, 0xdf, 0xe2, 0xef,
	0x1f, 0x86, 0xe1, 0xa0, 0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7, 0xa8,
	0xa9, 0xaa, 0xab, 0xac, 0xad, 0xae, 0xaf, 0xb0, 0xb1, 0xb2, 0xb3, 0xb4,
	0xb5, 0xb6, 0xb7, 0xb8, 0xb9, 0xba, 0xbb, 0xbc, 0xbd, 0xbe, 0xbf, 0x00,
	0x00, 0x38, 0x82, 0x46, 0xe1, 0x37, 0xcf, 0x43, 0xbd, 0xee, 0xb6, 0x52,
	0x1b, 0x87, 0x7b, 0xbf, 0x24, 0xba, 0x98, 0xab, 0xff, 0x27, 0xb8, 0x0e,
	0x6f, 0xa5, 0x42, 0x5c, 0x22, 0x4f, 0xe4, 0x7f, 0x5f, 0x3c, 0xf8, 0xd5,
	0xbc, 0xa5, 0x0a, 0xa4, 0x4c, 0xd6, 0x38, 0xc2, 0x91, 0x2c, 0xf0, 0x77,
	0xf4, 0x2d, 0x55, 0x1b, 0x05, 0xf0, 0x26, 0x82, 0xf6, 0x3c, 0x1d, 0x20,
	0x98, 0x64, 0x89, 0x9c, 0x40, 0xa0, 0x7d, 0x4f, 0x71, 0x86, 0xff, 0x8f,
	0xeb, 0xe0, 0xf5, 0xa1, 0xda, 0x32, 0xfd, 0x20, 0x11, 0x38, 0xf3, 0xe1,
	0xf4, 0xf4, 0x48, 0x74, 0x10, 0xd2, 0x01, 0xbe, 0x04, 0xeb, 0xe4, 0x6e,
	0x90,
};

static void test_golden_signed(void **state)
{
	uint8_t rsp[sizeof(golden_signed_12)];
	const uint8_t *exp_req;
	size_t sig = 96;
	unsigned int i;

	(void)state;
	for (i = 0; i < 3; i++) {
		setup(0x12, true, SPDM_RSP_MEAS_CAP_SIG);
		memcpy(rsp, golden_signed_12, sizeof(rsp));
		if (i == 1)
			rsp[sizeof(rsp) - sig - 40] ^= 0x01; /* the nonce */
		if (i == 2)
			rsp[sizeof(rsp) - 1] ^= 0x01; /* the signature */
		assert_int_equal(spdm_requester_measurements(
					 &env.q, 1, SPDM_MEAS_ATTR_SIGNATURE, 0,
					 on_block, &env),
				 0);
		env.req_len = sizeof(env.req);
		assert_int_equal(
			spdm_requester_next(&env.q, env.req, &env.req_len), 0);
		assert_int_equal(env.req_len, 37);
		exp_req = env.req;
		assert_int_equal(exp_req[36], 0);
		assert_int_equal(spdm_requester_rx(&env.q, rsp, sizeof(rsp)),
				 i == 0 ? 0 : -EPERM);
		assert_int_equal(verdict(), i == 0 ? SPDM_MEAS_VERDICT_VERIFIED
						   : SPDM_MEAS_VERDICT_NONE);
		if (i == 0) {
			/* Our responder writes the same bytes before the
			 * (randomised) signature. */
			env.rsp_len = sizeof(env.rsp);
			assert_int_equal(spdm_responder_handle(
						 &env.r, env.req, env.req_len,
						 env.rsp, &env.rsp_len),
					 0);
			assert_int_equal(env.rsp_len, sizeof(rsp));
			assert_memory_equal(env.rsp, rsp, sizeof(rsp) - sig);
			assert_int_equal(env.n_blocks, 1);
			assert_memory_equal(env.blocks[0].value, rom_sha384,
					    48);
		}
		teardown();
	}
}

/* ---- requester against responder ---- */

static void check_all_blocks(bool raw_requested, bool p384)
{
	size_t h = p384 ? 48 : 32;

	assert_int_equal(env.n_blocks, 4);
	assert_int_equal(env.blocks[0].index, 1);
	assert_int_equal(env.blocks[1].index, 2);
	assert_int_equal(env.blocks[2].index, 3);
	assert_int_equal(env.blocks[3].index, 5);
	assert_int_equal(env.blocks[2].type, SPDM_MEAS_TYPE_HARDWARE_CONFIG);
	assert_false(env.blocks[2].raw);
	assert_int_equal(env.blocks[2].len, h);
	assert_int_equal(env.blocks[3].type & 0x7F,
			 SPDM_MEAS_TYPE_SECURITY_VERSION);
	if (raw_requested) {
		assert_int_equal(env.blocks[0].type, 0x80);
		assert_int_equal(env.blocks[0].len, 16);
		assert_memory_equal(env.blocks[0].value, rom_value, 16);
		assert_int_equal(env.blocks[1].len, 200);
		assert_int_equal(env.blocks[3].len, 8);
	} else {
		assert_int_equal(env.blocks[0].type, 0x00);
		assert_int_equal(env.blocks[0].len, h);
		assert_memory_equal(env.blocks[0].value,
				    p384 ? rom_sha384 : rom_sha256, h);
		assert_int_equal(env.blocks[1].len, h);
		assert_int_equal(env.blocks[3].len, h);
	}
}

static void test_roundtrip(void **state)
{
	unsigned int i, a;
	struct spdm_measurement_result res;

	(void)state;
	for (a = 0; a < 2; a++) {
		bool p384 = a == 0;

		for (i = 0; i < 4; i++) {
			uint8_t v = all_versions[i];
			bool raw = v >= 0x12;

			setup(v, p384, SPDM_RSP_MEAS_CAP_SIG);
			env.qc.det_random = false;
			env.rc.det_random = false;
			/* count */
			assert_int_equal(measure(0, 0), 0);
			assert_int_equal(verdict(), SPDM_MEAS_VERDICT_UNSIGNED);
			assert_int_equal(
				spdm_requester_measurement_result(&env.q, &res),
				0);
			assert_int_equal(res.total_blocks, 4);
			assert_int_equal(env.n_blocks, 0);
			/* all, unsigned, digests */
			assert_int_equal(measure(0xFF, 0), 0);
			check_all_blocks(false, p384);
			/* one index, unsigned */
			assert_int_equal(measure(5, 0), 0);
			assert_int_equal(env.n_blocks, 1);
			assert_int_equal(env.blocks[0].index, 5);
			/* one index, signed: L1 covers the three before */
			assert_int_equal(measure(1, SPDM_MEAS_ATTR_SIGNATURE),
					 0);
			assert_int_equal(verdict(), SPDM_MEAS_VERDICT_VERIFIED);
			assert_int_equal(env.n_blocks, 1);
			assert_int_equal(env.blocks[0].index, 1);
			/* all, signed, raw where the version allows it */
			assert_int_equal(
				measure(0xFF,
					SPDM_MEAS_ATTR_SIGNATURE |
						(raw ? SPDM_MEAS_ATTR_RAW_BIT_STREAM
						     : 0)),
				0);
			assert_int_equal(verdict(), SPDM_MEAS_VERDICT_VERIFIED);
			check_all_blocks(raw, p384);
			/* signed count, twice in a row */
			assert_int_equal(measure(0, SPDM_MEAS_ATTR_SIGNATURE),
					 0);
			assert_int_equal(measure(0, SPDM_MEAS_ATTR_SIGNATURE),
					 0);
			assert_int_equal(verdict(), SPDM_MEAS_VERDICT_VERIFIED);
			teardown();
		}
	}
}

/* ---- negative paths ---- */

static void flip_last(struct env *e)
{
	e->rsp[e->rsp_len - 1] ^= 0x01;
}

static void flip_block(struct env *e)
{
	if (e->rsp[1] == 0x60)
		e->rsp[20] ^= 0x80;
}

static uint8_t replay[SPDM_MAX_MSG_SIZE];
static size_t replay_len;

static void use_replay(struct env *e)
{
	memcpy(e->rsp, replay, replay_len);
	e->rsp_len = replay_len;
}

static void truncate_record(struct env *e)
{
	/* Cut the last block short but keep the lengths consistent
	 * otherwise: the record length now runs into the nonce. */
	e->rsp_len -= 10;
}

static void size_lie(struct env *e)
{
	e->rsp[10] = (uint8_t)(e->rsp[10] + 1); /* MeasurementSize */
}

static void value_size_lie(struct env *e)
{
	e->rsp[13] = (uint8_t)(e->rsp[13] - 1); /* DMTF value size */
}

static void count_lie(struct env *e)
{
	e->rsp[4] = 3; /* NumberOfBlocks */
}

static void test_tampered(void **state)
{
	uint8_t other[SPDM_MAX_PUBKEY_SIZE], code = 0;
	size_t n;

	(void)state;
	/* A flipped signature byte, a flipped measurement byte. */
	setup(0x12, true, SPDM_RSP_MEAS_CAP_SIG);
	env.mutate = flip_last;
	assert_int_equal(measure(0xFF, SPDM_MEAS_ATTR_SIGNATURE), -EPERM);
	assert_int_equal(verdict(), SPDM_MEAS_VERDICT_NONE);
	teardown();
	setup(0x11, true, SPDM_RSP_MEAS_CAP_SIG);
	env.mutate = flip_block;
	assert_int_equal(measure(0xFF, SPDM_MEAS_ATTR_SIGNATURE), -EPERM);
	assert_int_equal(env.n_blocks, 0); /* nothing handed out */
	teardown();

	/* Wrong key: the other PKI's leaf. */
	setup(0x13, true, SPDM_RSP_MEAS_CAP_SIG);
	n = read_file("other/leaf.pub.bin", other, sizeof(other));
	assert_int_equal(spdm_requester_set_peer_pubkey(
				 &env.q, SPDM_ASYM_ECDSA_P384, other, n),
			 0);
	assert_int_equal(measure(1, SPDM_MEAS_ATTR_SIGNATURE), -EPERM);
	teardown();

	/* Replay: a signed response to an earlier request (other nonce). */
	setup(0x12, true, SPDM_RSP_MEAS_CAP_SIG);
	env.qc.det_random = false;
	assert_int_equal(measure(1, SPDM_MEAS_ATTR_SIGNATURE), 0);
	memcpy(replay, env.rsp, env.rsp_len);
	replay_len = env.rsp_len;
	env.mutate = use_replay;
	assert_int_equal(measure(1, SPDM_MEAS_ATTR_SIGNATURE), -EPERM);
	teardown();

	/* Structure lies in unsigned responses. */
	setup(0x12, true, SPDM_RSP_MEAS_CAP_SIG);
	env.mutate = truncate_record;
	assert_int_equal(measure(0xFF, 0), -EBADMSG);
	teardown();
	setup(0x12, true, SPDM_RSP_MEAS_CAP_SIG);
	env.mutate = size_lie;
	assert_int_equal(measure(1, 0), -EBADMSG);
	teardown();
	setup(0x10, true, SPDM_RSP_MEAS_CAP_SIG);
	env.mutate = value_size_lie;
	assert_int_equal(measure(1, 0), -EBADMSG);
	teardown();
	setup(0x13, true, SPDM_RSP_MEAS_CAP_SIG);
	env.mutate = count_lie;
	assert_int_equal(measure(0xFF, 0), -EBADMSG);
	teardown();

	/* Bad index: InvalidRequest, the flow ends with -EPROTO. */
	setup(0x12, true, SPDM_RSP_MEAS_CAP_SIG);
	assert_int_equal(measure(4, 0), -EPROTO);
	assert_true(spdm_requester_error(&env.q, &code, NULL));
	assert_int_equal(code, SPDM_ERROR_INVALID_REQUEST);
	teardown();
}

/* Each malformed response is refused whatever byte is cut. */
static void test_truncations(void **state)
{
	uint8_t good[SPDM_MAX_MSG_SIZE];
	size_t good_len, cut;

	(void)state;
	setup(0x13, false, SPDM_RSP_MEAS_CAP_SIG);
	assert_int_equal(measure(0xFF, SPDM_MEAS_ATTR_SIGNATURE), 0);
	memcpy(good, env.rsp, env.rsp_len);
	good_len = env.rsp_len;
	teardown();
	for (cut = 4; cut < good_len; cut += 7) {
		setup(0x13, false, SPDM_RSP_MEAS_CAP_SIG);
		assert_int_equal(spdm_requester_measurements(
					 &env.q, 0xFF, SPDM_MEAS_ATTR_SIGNATURE,
					 0, NULL, NULL),
				 0);
		env.req_len = sizeof(env.req);
		assert_int_equal(
			spdm_requester_next(&env.q, env.req, &env.req_len), 0);
		assert_int_not_equal(spdm_requester_rx(&env.q, good, cut), 0);
		teardown();
	}
}

static void test_responder_errors(void **state)
{
	uint8_t rsp[64];
	size_t rsp_len;
	uint8_t req[48] = {0x12, 0xE0, 0x01, 0x01};

	(void)state;
	/* Signed request without MEAS_CAP 10b: InvalidRequest; the
	 * requester does not even ask. */
	setup(0x12, true, SPDM_RSP_MEAS_CAP_NO_SIG);
	rsp_len = sizeof(rsp);
	assert_int_equal(spdm_responder_handle(&env.r, req, 37, rsp, &rsp_len),
			 0);
	assert_int_equal(rsp_len, 4);
	assert_int_equal(rsp[1], SPDM_ERROR);
	assert_int_equal(rsp[2], SPDM_ERROR_INVALID_REQUEST);
	assert_int_equal(spdm_requester_measurements(&env.q, 1,
						     SPDM_MEAS_ATTR_SIGNATURE,
						     0, NULL, NULL),
			 -EOPNOTSUPP);
	assert_int_equal(measure(1, 0), 0); /* unsigned still works */
	teardown();

	setup(0x12, true, SPDM_RSP_MEAS_CAP_SIG);
	/* Wrong lengths, slot out of range, bad index, wrong version. */
	rsp_len = sizeof(rsp);
	assert_int_equal(spdm_responder_handle(&env.r, req, 36, rsp, &rsp_len),
			 0);
	assert_int_equal(rsp[2], SPDM_ERROR_INVALID_REQUEST);
	req[36] = 7;
	rsp_len = sizeof(rsp);
	assert_int_equal(spdm_responder_handle(&env.r, req, 37, rsp, &rsp_len),
			 0);
	assert_int_equal(rsp[2], SPDM_ERROR_INVALID_REQUEST);
	req[2] = 0;
	req[3] = 0xFE;
	rsp_len = sizeof(rsp);
	assert_int_equal(spdm_responder_handle(&env.r, req, 4, rsp, &rsp_len),
			 0);
	assert_int_equal(rsp[2], SPDM_ERROR_INVALID_REQUEST);
	req[0] = 0x11;
	rsp_len = sizeof(rsp);
	assert_int_equal(spdm_responder_handle(&env.r, req, 4, rsp, &rsp_len),
			 0);
	assert_int_equal(rsp[2], SPDM_ERROR_VERSION_MISMATCH);
	/* The source failing: Unspecified. */
	req[0] = 0x12;
	req[3] = 1;
	env.dev.fail = true;
	rsp_len = sizeof(rsp);
	assert_int_equal(spdm_responder_handle(&env.r, req, 4, rsp, &rsp_len),
			 0);
	assert_int_equal(rsp[2], SPDM_ERROR_UNSPECIFIED);
	teardown();

	/* No measurement source: UnsupportedRequest. */
	setup(0x12, true, SPDM_RSP_MEAS_CAP_SIG);
	env.rcfg.measurement_ops = NULL;
	rsp_len = sizeof(rsp);
	assert_int_equal(spdm_responder_handle(&env.r, req, 4, rsp, &rsp_len),
			 0);
	assert_int_equal(rsp[2], SPDM_ERROR_UNSUPPORTED_REQUEST);
	assert_int_equal(rsp[3], 0xE0);
	teardown();
}

/* L1/L2: any other request discards it at the responder (a requester
 * that did not see that request fails the signature); both sides end it
 * after a signed response. */
static void test_transcript_reset(void **state)
{
	const uint8_t rif[] = {0x12, 0xFF, 0xE0, 0x00};
	uint8_t rsp[512];
	size_t rsp_len;

	(void)state;
	setup(0x12, true, SPDM_RSP_MEAS_CAP_SIG);
	assert_int_equal(measure(1, 0), 0);
	assert_true(env.r.meas.l_active);
	rsp_len = sizeof(rsp);
	assert_int_equal(spdm_responder_handle(&env.r, rif, 4, rsp, &rsp_len),
			 0);
	assert_false(env.r.meas.l_active);
	/* The request went to the responder behind the requester's back:
	 * only the responder restarted L1, so the signature cannot match. */
	assert_int_equal(measure(2, SPDM_MEAS_ATTR_SIGNATURE), -EPERM);
	teardown();

	setup(0x13, true, SPDM_RSP_MEAS_CAP_SIG);
	assert_int_equal(measure(1, 0), 0);
	assert_int_equal(measure(2, SPDM_MEAS_ATTR_SIGNATURE), 0);
	assert_false(env.r.meas.l_active);
	assert_false(env.q.meas.l_active);
	teardown();
}

/* ResponseNotReady, then RESPOND_IF_READY. */
static void test_not_ready(void **state)
{
	uint8_t rif[4], rsp[512];
	size_t rsp_len;

	(void)state;
	/* Through the requester: two busy answers, then the response. */
	setup(0x12, true, SPDM_RSP_MEAS_CAP_SIG);
	env.rc.sign_busy = 2;
	assert_int_equal(measure(0xFF, SPDM_MEAS_ATTR_SIGNATURE), 0);
	assert_int_equal(verdict(), SPDM_MEAS_VERDICT_VERIFIED);
	assert_int_equal(env.rc.sign_calls, 3);
	check_all_blocks(false, true);
	teardown();

	/* Busy beyond the retries: -EBUSY. */
	setup(0x11, false, SPDM_RSP_MEAS_CAP_SIG);
	env.rc.sign_busy = 10;
	assert_int_equal(measure(1, SPDM_MEAS_ATTR_SIGNATURE), -EBUSY);
	teardown();

	/* By hand: the ERROR, a wrong token, then the right one. */
	setup(0x13, true, SPDM_RSP_MEAS_CAP_SIG);
	env.rc.sign_busy = 1;
	assert_int_equal(spdm_requester_measurements(&env.q, 1,
						     SPDM_MEAS_ATTR_SIGNATURE,
						     0, NULL, NULL),
			 0);
	env.req_len = sizeof(env.req);
	assert_int_equal(spdm_requester_next(&env.q, env.req, &env.req_len), 0);
	rsp_len = sizeof(rsp);
	assert_int_equal(spdm_responder_handle(&env.r, env.req, env.req_len,
					       rsp, &rsp_len),
			 0);
	assert_int_equal(rsp_len, 8);
	assert_int_equal(rsp[0], 0x13);
	assert_int_equal(rsp[1], SPDM_ERROR);
	assert_int_equal(rsp[2], SPDM_ERROR_RESPONSE_NOT_READY);
	assert_int_equal(rsp[3], 0);
	assert_int_equal(rsp[4], 12); /* RDTExponent = CTExponent */
	assert_int_equal(rsp[5], 0xE0);
	assert_int_equal(rsp[7], 1); /* RDTM */
	assert_int_equal(spdm_requester_rx(&env.q, rsp, rsp_len), -EAGAIN);
	env.req_len = sizeof(env.req);
	assert_int_equal(spdm_requester_next(&env.q, env.req, &env.req_len), 0);
	assert_int_equal(env.req_len, 4);
	assert_int_equal(env.req[1], 0xFF);
	assert_int_equal(env.req[2], 0xE0);
	assert_int_equal(env.req[3], rsp[6]);
	/* Wrong token, wrong code: InvalidRequest, still pending. */
	memcpy(rif, env.req, 4);
	rif[3] ^= 0x5A;
	rsp_len = sizeof(rsp);
	assert_int_equal(spdm_responder_handle(&env.r, rif, 4, rsp, &rsp_len),
			 0);
	assert_int_equal(rsp[1], SPDM_ERROR);
	assert_int_equal(rsp[2], SPDM_ERROR_INVALID_REQUEST);
	rif[3] = env.req[3];
	rif[2] = 0x81;
	rsp_len = sizeof(rsp);
	assert_int_equal(spdm_responder_handle(&env.r, rif, 4, rsp, &rsp_len),
			 0);
	assert_int_equal(rsp[2], SPDM_ERROR_INVALID_REQUEST);
	/* The right one. */
	rsp_len = sizeof(rsp);
	assert_int_equal(spdm_responder_handle(&env.r, env.req, env.req_len,
					       rsp, &rsp_len),
			 0);
	assert_int_equal(rsp[1], 0x60);
	assert_int_equal(spdm_requester_rx(&env.q, rsp, rsp_len), 0);
	assert_int_equal(verdict(), SPDM_MEAS_VERDICT_VERIFIED);
	/* Nothing pending any more. */
	rsp_len = sizeof(rsp);
	assert_int_equal(spdm_responder_handle(&env.r, env.req, env.req_len,
					       rsp, &rsp_len),
			 0);
	assert_int_equal(rsp[2], SPDM_ERROR_UNEXPECTED_REQUEST);
	teardown();

	/* ResponseNotReady naming another request: -EBADMSG. */
	setup(0x12, true, SPDM_RSP_MEAS_CAP_SIG);
	env.rc.sign_busy = 1;
	assert_int_equal(spdm_requester_measurements(&env.q, 1,
						     SPDM_MEAS_ATTR_SIGNATURE,
						     0, NULL, NULL),
			 0);
	env.req_len = sizeof(env.req);
	assert_int_equal(spdm_requester_next(&env.q, env.req, &env.req_len), 0);
	rsp_len = sizeof(rsp);
	assert_int_equal(spdm_responder_handle(&env.r, env.req, env.req_len,
					       rsp, &rsp_len),
			 0);
	rsp[5] = 0x81;
	assert_int_equal(spdm_requester_rx(&env.q, rsp, rsp_len), -EBADMSG);
	teardown();
}

/* RequestResynch in the middle of a measurement flow: the requester
 * connects again, then reports -ECONNRESET rather than a finished flow,
 * and nothing is verified until the flow is run again. */
static void test_resynch_mid_flow(void **state)
{
	uint8_t rsp[4];

	(void)state;
	setup(0x12, true, SPDM_RSP_MEAS_CAP_SIG);
	assert_int_equal(spdm_requester_measurements(&env.q, 0xFF,
						     SPDM_MEAS_ATTR_SIGNATURE,
						     0, on_block, &env),
			 0);
	env.req_len = sizeof(env.req);
	assert_int_equal(spdm_requester_next(&env.q, env.req, &env.req_len), 0);
	rsp[0] = 0x12;
	rsp[1] = SPDM_ERROR;
	rsp[2] = SPDM_ERROR_REQUEST_RESYNCH;
	rsp[3] = 0;
	assert_int_equal(spdm_requester_rx(&env.q, rsp, sizeof(rsp)), -EAGAIN);
	/* The new connection runs to its end, then the cut flow is
	 * reported. */
	assert_int_equal(pump(), -ECONNRESET);
	assert_int_equal(env.req[1], SPDM_NEGOTIATE_ALGORITHMS);
	assert_non_null(spdm_requester_connection(&env.q));
	assert_int_equal(verdict(), SPDM_MEAS_VERDICT_NONE);
	/* A new connection forgot the peer key: a signed flow is refused
	 * until the key is known again. */
	assert_int_equal(spdm_requester_measurements(&env.q, 0xFF,
						     SPDM_MEAS_ATTR_SIGNATURE,
						     0, on_block, &env),
			 -EPERM);
	assert_int_equal(spdm_requester_set_peer_pubkey(&env.q,
							SPDM_ASYM_ECDSA_P384,
							env_key, env_key_len),
			 0);
	assert_int_equal(measure(0xFF, SPDM_MEAS_ATTR_SIGNATURE), 0);
	assert_int_equal(verdict(), SPDM_MEAS_VERDICT_VERIFIED);
	teardown();
}

static void test_api(void **state)
{
	uint8_t key[97] = {0x04};

	(void)state;
	setup(0x10, true, SPDM_RSP_MEAS_CAP_SIG);
	assert_int_equal(spdm_requester_measurements(NULL, 1, 0, 0, NULL, NULL),
			 -EINVAL);
	/* 1.0: no raw bit, no slot but 0. */
	assert_int_equal(spdm_requester_measurements(
				 &env.q, 1, SPDM_MEAS_ATTR_RAW_BIT_STREAM, 0,
				 NULL, NULL),
			 -EINVAL);
	assert_int_equal(spdm_requester_measurements(&env.q, 1,
						     SPDM_MEAS_ATTR_SIGNATURE,
						     1, NULL, NULL),
			 -EINVAL);
	assert_int_equal(spdm_requester_set_peer_pubkey(
				 &env.q, SPDM_ASYM_ECDSA_P256, key, 65),
			 -EINVAL);
	assert_int_equal(
		spdm_requester_measurements(&env.q, 1, 0, 0, NULL, NULL), 0);
	assert_int_equal(spdm_requester_measurements(&env.q, 1, 0, 0, NULL,
						     NULL),
			 -EBUSY);
	teardown();
	/* Signed without a key. */
	setup(0x12, true, SPDM_RSP_MEAS_CAP_SIG);
	env.q.cert.pubkey_len = 0;
	assert_int_equal(spdm_requester_measurements(&env.q, 1,
						     SPDM_MEAS_ATTR_SIGNATURE,
						     0, NULL, NULL),
			 -EPERM);
	teardown();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_golden_requests),
		cmocka_unit_test(test_golden_responses),
		cmocka_unit_test(test_golden_count),
		cmocka_unit_test(test_golden_signed),
		cmocka_unit_test(test_roundtrip),
		cmocka_unit_test(test_tampered),
		cmocka_unit_test(test_truncations),
		cmocka_unit_test(test_responder_errors),
		cmocka_unit_test(test_transcript_reset),
		cmocka_unit_test(test_not_ready),
		cmocka_unit_test(test_resynch_mid_flow),
		cmocka_unit_test(test_api),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
