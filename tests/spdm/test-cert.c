/* SPDX-License-Identifier: Apache-2.0 */
/*
 * GET_DIGESTS / DIGESTS and GET_CERTIFICATE / CERTIFICATE, both roles,
 * with the POSIX port's mbedTLS crypto ops and the openssl-made test PKI
 * (tests/pki).
 *
 * Golden bytes: the DSP0274 1.3 tables "GET_DIGESTS request message
 * format", "Successful DIGESTS response message format",
 * "GET_CERTIFICATE request message format", "Successful CERTIFICATE
 * response message format" (1.0-1.2: DIGESTS Param2 SlotMask; 1.3: Param1
 * SupportedSlotMask, Param2 ProvisionedSlotMask, GET_CERTIFICATE Param2
 * bit 0 SlotSizeRequested). The test chain and its digests were made with
 * the openssl CLI:
 *   printf '\x30\x0e\x01...\x0e' > cert.bin         (a 16-byte "cert")
 *   openssl dgst -sha384 -binary cert.bin > rh.bin  (RootHash)
 *   (printf '\x44\x00\x00\x00'; cat rh.bin cert.bin) > chain.bin
 *   openssl dgst -sha384 -binary chain.bin          (its DIGESTS digest)
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
#include "prot-posix/crypto.h"

#ifndef PROT_TEST_PKI_DIR
#error "PROT_TEST_PKI_DIR must name tests/pki"
#endif

/* ---- the small golden chain (SHA-384 RootHash) ---- */

#define G_CHAIN_LEN 68u
static const uint8_t g_chain[G_CHAIN_LEN] = {
	0x44, 0x00, 0x00, 0x00,
	/* RootHash = SHA-384 of the 16 bytes below */
	0xf9, 0x82, 0x95, 0x84, 0x94, 0xc4, 0x63, 0x7e, 0xf8, 0xad, 0x30, 0xb4,
	0xb4, 0x54, 0x9d, 0xb7, 0xe9, 0xe5, 0xa0, 0x0c, 0xbc, 0xfb, 0x11, 0x77,
	0x9a, 0xfe, 0x38, 0x2f, 0x68, 0x2a, 0x06, 0x38, 0x3b, 0x16, 0xdf, 0x34,
	0x39, 0xbb, 0xd4, 0x5c, 0xb0, 0x2c, 0xb5, 0xf4, 0xa6, 0x62, 0xe5, 0xfd,
	/* "certificate" */
	0x30, 0x0e, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a,
	0x0b, 0x0c, 0x0d, 0x0e};
/* openssl dgst -sha384 of g_chain */
static const uint8_t g_chain_digest[48] = {
	0xe7, 0x7a, 0xf8, 0x81, 0xdc, 0x8e, 0x32, 0x78, 0x76, 0x8e, 0x08, 0x75,
	0xed, 0x4b, 0x0c, 0xef, 0xd2, 0x76, 0x0e, 0x13, 0xcb, 0x9a, 0x8a, 0x90,
	0xe7, 0x56, 0xb7, 0x38, 0x2f, 0x44, 0xf9, 0x4f, 0x88, 0x16, 0xfe, 0xba,
	0xbe, 0x0f, 0xa5, 0x95, 0xa0, 0x38, 0xf4, 0x90, 0x20, 0x73, 0x71, 0xc2};

/* ---- files of the test PKI ---- */

static size_t load(const char *rel, uint8_t *buf, size_t cap)
{
	char path[512];
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "%s/%s", PROT_TEST_PKI_DIR, rel);
	f = fopen(path, "rb");
	assert_non_null(f);
	n = fread(buf, 1, cap, f);
	assert_int_equal(fgetc(f), EOF); /* all of it fitted */
	fclose(f);
	return n;
}

/* ---- responder driven by golden requests ---- */

struct rsp_env {
	struct prot_crypto crypto;
	struct spdm_responder_config cfg;
	struct spdm_responder r;
	/* what M1 must be: message A, then every successful exchange */
	uint8_t m1[1024];
	size_t m1_len;
};

static struct rsp_env renv;

static void rsp_setup(const struct spdm_cert_slot *slot0, uint32_t hash)
{
	(void)fake_crypto_ops; /* fixtures.h: the VCA tests' fake ops */
	memset(&renv, 0, sizeof(renv));
	assert_int_equal(prot_crypto_init(&renv.crypto), 0);
	renv.cfg = rsp_config(all_versions, 4);
	if (slot0)
		renv.cfg.cert_slots[0] = *slot0;
	renv.cfg.cert_chain_hash_algo = hash;
	assert_int_equal(spdm_responder_init(&renv.r, &renv.cfg,
					     &prot_crypto_ops, &renv.crypto),
			 0);
}

static void rsp_teardown(void)
{
	if (renv.r.cert.m1.started)
		prot_crypto_ops.hash_abort(&renv.crypto, &renv.r.cert.m1.state);
	prot_crypto_free(&renv.crypto);
}

static void m1_expect(const uint8_t *p, size_t n)
{
	assert_true(renv.m1_len + n <= sizeof(renv.m1));
	memcpy(renv.m1 + renv.m1_len, p, n);
	renv.m1_len += n;
}

/* Send @req, expect exactly @exp back; a success joins the expected M1. */
static void xfer(const uint8_t *req, size_t req_len, const uint8_t *exp,
		 size_t exp_len)
{
	uint8_t rsp[SPDM_MAX_MSG_SIZE];
	size_t len = sizeof(rsp);

	assert_int_equal(
		spdm_responder_handle(&renv.r, req, req_len, rsp, &len), 0);
	assert_int_equal(len, exp_len);
	assert_memory_equal(rsp, exp, exp_len);
	if (rsp[1] != SPDM_ERROR &&
	    (req[1] == SPDM_GET_DIGESTS || req[1] == SPDM_GET_CERTIFICATE)) {
		m1_expect(req, req_len);
		m1_expect(rsp, len);
	}
}

static void expect_error(const uint8_t *req, size_t req_len, uint8_t version,
			 uint8_t code, uint8_t data)
{
	const uint8_t exp[4] = {version, 0x7F, code, data};

	xfer(req, req_len, exp, sizeof(exp));
}

static void vca(unsigned int i)
{
	const uint8_t *a;
	size_t len;

	xfer(golden_get_version, 4, golden_version, sizeof(golden_version));
	xfer(golden_get_caps[i], golden_get_caps_len[i], golden_caps[i],
	     golden_caps_len[i]);
	xfer(golden_negotiate[i], golden_negotiate_len[i], golden_algorithms[i],
	     golden_algorithms_len[i]);
	a = spdm_responder_vca(&renv.r, &len);
	renv.m1_len = 0;
	m1_expect(a, len);
}

/* Finish the responder's M1 and compare it with a one-shot hash of the
 * messages it should hold. */
static void check_m1(void)
{
	uint8_t got[48], exp[48];
	struct spdm_hash_state s;

	assert_true(renv.r.cert.m1.started);
	assert_int_equal(prot_crypto_ops.hash_final(&renv.crypto,
						    &renv.r.cert.m1.state, got),
			 0);
	renv.r.cert.m1.started = false;
	assert_int_equal(prot_crypto_ops.hash_init(&renv.crypto, &s,
						   SPDM_HASH_SHA384),
			 0);
	assert_int_equal(prot_crypto_ops.hash_update(&renv.crypto, &s, renv.m1,
						     renv.m1_len),
			 0);
	assert_int_equal(prot_crypto_ops.hash_final(&renv.crypto, &s, exp), 0);
	assert_memory_equal(got, exp, 48);
}

static const struct spdm_cert_slot g_slot = {g_chain, G_CHAIN_LEN};

static void test_golden_all_versions(void **state)
{
	uint8_t digests[4 + 48];
	uint8_t get_cert[8], cert[8 + G_CHAIN_LEN];
	unsigned int i;
	uint8_t v;

	(void)state;
	for (i = 0; i < 4; i++) {
		v = (uint8_t)(0x10 + i);
		rsp_setup(&g_slot, SPDM_HASH_ALGO_SHA_384);
		vca(i);
		{
			const uint8_t get_digests[4] = {v, 0x81, 0x00, 0x00};

			/* 1.0-1.2: Param1 reserved, Param2 SlotMask; 1.3:
			 * Param1 SupportedSlotMask, Param2
			 * ProvisionedSlotMask. */
			digests[0] = v;
			digests[1] = 0x01;
			digests[2] = i == 3 ? 0x01 : 0x00;
			digests[3] = 0x01;
			memcpy(digests + 4, g_chain_digest, 48);
			xfer(get_digests, 4, digests, sizeof(digests));
		}
		/* Offset 0, Length 32: PortionLength 32, RemainderLength
		 * 36. */
		memcpy(get_cert,
		       (const uint8_t[]){v, 0x82, 0x00, 0x00, 0x00, 0x00, 0x20,
					 0x00},
		       8);
		memcpy(cert,
		       (const uint8_t[]){v, 0x02, 0x00, 0x00, 0x20, 0x00, 0x24,
					 0x00},
		       8);
		memcpy(cert + 8, g_chain, 32);
		xfer(get_cert, 8, cert, 8 + 32);
		/* An ERROR is not part of M1: Offset past the end. */
		get_cert[4] = 0x44;
		expect_error(get_cert, 8, v, 0x01, 0x00);
		/* Offset 32, Length 256: the 36 bytes left, remainder 0. */
		get_cert[4] = 0x20;
		get_cert[6] = 0x00;
		get_cert[7] = 0x01;
		cert[4] = 0x24;
		cert[6] = 0x00;
		memcpy(cert + 8, g_chain + 32, 36);
		xfer(get_cert, 8, cert, 8 + 36);
		if (v == SPDM_VERSION_13) {
			/* SlotSizeRequested: Offset/Length ignored,
			 * PortionLength 0, RemainderLength the size. */
			static const uint8_t req[8] = {0x13, 0x82, 0x00, 0x01,
						       0xFF, 0xFF, 0x10, 0x00};
			static const uint8_t exp[8] = {0x13, 0x02, 0x00, 0x00,
						       0x00, 0x00, 0x44, 0x00};

			xfer(req, 8, exp, 8);
		} else {
			/* Param2 is reserved before 1.3: ignored. */
			static const uint8_t exp[8 + 4] = {0x00, 0x02, 0x00,
							   0x00, 0x04, 0x00,
							   0x40, 0x00, 0x44,
							   0x00, 0x00, 0x00};
			uint8_t req[8] = {v,    0x82, 0x00, 0x01,
					  0x00, 0x00, 0x04, 0x00};
			uint8_t e[12];

			memcpy(e, exp, sizeof(e));
			e[0] = v;
			xfer(req, 8, e, sizeof(e));
		}
		check_m1();
		rsp_teardown();
	}
}

static void test_rsp_errors(void **state)
{
	static const uint8_t get_digests12[4] = {0x12, 0x81, 0x00, 0x00};
	static const uint8_t get_cert12[8] = {0x12, 0x82, 0x00, 0x00,
					      0x00, 0x00, 0x00, 0x01};
	uint8_t req[9];

	(void)state;
	/* No chain provisioned: UnsupportedRequest (data: the code). */
	rsp_setup(NULL, 0);
	vca(2);
	expect_error(get_digests12, 4, 0x12, 0x07, 0x81);
	expect_error(get_cert12, 8, 0x12, 0x07, 0x82);
	rsp_teardown();

	rsp_setup(&g_slot, SPDM_HASH_ALGO_SHA_384);
	/* Before ALGORITHMS: UnexpectedRequest. */
	xfer(golden_get_version, 4, golden_version, sizeof(golden_version));
	xfer(golden_get_caps[2], 20, golden_caps[2], 20);
	expect_error(get_digests12, 4, 0x12, 0x04, 0x00);
	expect_error(get_cert12, 8, 0x12, 0x04, 0x00);
	xfer(golden_negotiate[2], 48, golden_algorithms[2], 52);
	/* Wrong sizes. */
	memcpy(req, get_digests12, 4);
	req[4] = 0;
	expect_error(req, 5, 0x12, 0x01, 0x00);
	expect_error(get_cert12, 7, 0x12, 0x01, 0x00);
	memcpy(req, get_cert12, 8);
	req[8] = 0;
	expect_error(req, 9, 0x12, 0x01, 0x00);
	/* Wrong version. */
	memcpy(req, get_digests12, 4);
	req[0] = 0x11;
	expect_error(req, 4, 0x12, 0x41, 0x00);
	/* Empty slot 1, slot 7, SlotID 15: InvalidRequest. */
	memcpy(req, get_cert12, 8);
	req[2] = 1;
	expect_error(req, 8, 0x12, 0x01, 0x00);
	req[2] = 7;
	expect_error(req, 8, 0x12, 0x01, 0x00);
	req[2] = 0x0F;
	expect_error(req, 8, 0x12, 0x01, 0x00);
	/* Offset = chain size, Offset = 0xFFFF. */
	req[2] = 0;
	req[4] = 0x44;
	expect_error(req, 8, 0x12, 0x01, 0x00);
	req[4] = 0xFF;
	req[5] = 0xFF;
	expect_error(req, 8, 0x12, 0x01, 0x00);
	/* Nothing went into M1. */
	assert_false(renv.r.cert.m1.started);
	rsp_teardown();
}

/* With a 1.2 DataTransferSize of 42 a portion is at most 34 bytes. */
static void test_rsp_data_transfer_size(void **state)
{
	uint8_t caps[20], neg[32], alg[36];
	static const uint8_t get_cert[8] = {0x12, 0x82, 0x00, 0x00,
					    0x00, 0x00, 0x00, 0x01};
	uint8_t exp[8 + 34] = {0x12, 0x02, 0x00, 0x00, 0x22, 0x00, 0x22, 0x00};

	(void)state;
	rsp_setup(&g_slot, SPDM_HASH_ALGO_SHA_384);
	memcpy(caps, golden_get_caps[2], 20);
	caps[12] = 42; /* DataTransferSize = MaxSPDMmsgSize = 42 */
	caps[13] = 0;
	caps[16] = 42;
	caps[17] = 0;
	/* Requester flags CERT_CAP | CHAL_CAP only, so that an ALGORITHMS
	 * without structures (36 bytes) is enough. */
	caps[8] = 0x06;
	caps[9] = 0x00;
	memcpy(neg, golden_negotiate[2], 32);
	neg[2] = 0;
	neg[4] = 0x20;
	memcpy(alg, golden_algorithms[2], 36);
	alg[2] = 0;
	alg[4] = 0x24;
	xfer(golden_get_version, 4, golden_version, sizeof(golden_version));
	xfer(caps, 20, golden_caps[2], 20);
	xfer(neg, 32, alg, 36);
	memcpy(exp + 8, g_chain, 34);
	xfer(get_cert, 8, exp, sizeof(exp));
	{
		/* DIGESTS (52 bytes) does not fit: ResponseTooLarge, with
		 * the size. */
		static const uint8_t get_digests[4] = {0x12, 0x81, 0, 0};
		static const uint8_t too_large[8] = {0x12, 0x7F, 0x0D, 0x00,
						     52,   0,    0,    0};

		xfer(get_digests, 4, too_large, 8);
	}
	rsp_teardown();
}

/* M1 is discarded by GET_VERSION and by GET_MEASUREMENTS (CHALLENGE
 * skipped), not by an ERROR or a GET_CAPABILITIES out of order. */
static void test_rsp_m1_reset(void **state)
{
	static const uint8_t get_digests13[4] = {0x13, 0x81, 0x00, 0x00};
	static const uint8_t get_meas13[4] = {0x13, 0xE0, 0x00, 0x00};
	uint8_t rsp[SPDM_MAX_MSG_SIZE];
	size_t len;

	(void)state;
	rsp_setup(&g_slot, SPDM_HASH_ALGO_SHA_384);
	vca(3);
	len = sizeof(rsp);
	assert_int_equal(
		spdm_responder_handle(&renv.r, get_digests13, 4, rsp, &len), 0);
	assert_int_equal(rsp[1], SPDM_DIGESTS);
	assert_true(renv.r.cert.m1.started);
	len = sizeof(rsp);
	assert_int_equal(spdm_responder_handle(&renv.r, golden_get_caps[3], 20,
					       rsp, &len),
			 0);
	assert_int_equal(rsp[1], SPDM_ERROR);
	assert_true(renv.r.cert.m1.started);
	len = sizeof(rsp);
	assert_int_equal(
		spdm_responder_handle(&renv.r, get_meas13, 4, rsp, &len), 0);
	assert_false(renv.r.cert.m1.started);
	len = sizeof(rsp);
	assert_int_equal(
		spdm_responder_handle(&renv.r, get_digests13, 4, rsp, &len), 0);
	assert_true(renv.r.cert.m1.started);
	len = sizeof(rsp);
	assert_int_equal(spdm_responder_handle(&renv.r, golden_get_version, 4,
					       rsp, &len),
			 0);
	assert_false(renv.r.cert.m1.started);
	rsp_teardown();
}

/* Configuration checks. */
static void test_rsp_config(void **state)
{
	static uint8_t bad[G_CHAIN_LEN];
	struct spdm_responder r;
	struct spdm_responder_config cfg;
	struct prot_crypto c;

	(void)state;
	assert_int_equal(prot_crypto_init(&c), 0);
	cfg = rsp_config(all_versions, 4);
	cfg.cert_slots[0] = g_slot;
	/* No hash named for the chains, two hashes. */
	assert_int_equal(spdm_responder_init(&r, &cfg, &prot_crypto_ops, &c),
			 -EINVAL);
	cfg.cert_chain_hash_algo = SPDM_HASH_ALGO_SHA_384 |
				   SPDM_HASH_ALGO_SHA_256;
	assert_int_equal(spdm_responder_init(&r, &cfg, &prot_crypto_ops, &c),
			 -EINVAL);
	/* A hash the configuration does not offer. */
	cfg.cert_chain_hash_algo = SPDM_HASH_ALGO_SHA_512;
	assert_int_equal(spdm_responder_init(&r, &cfg, &prot_crypto_ops, &c),
			 -EINVAL);
	/* Length field that disagrees; a length without a chain. */
	cfg.cert_chain_hash_algo = SPDM_HASH_ALGO_SHA_384;
	memcpy(bad, g_chain, sizeof(bad));
	bad[0] = 0x45;
	cfg.cert_slots[0].chain = bad;
	assert_int_equal(spdm_responder_init(&r, &cfg, &prot_crypto_ops, &c),
			 -EINVAL);
	cfg.cert_slots[0].chain = NULL;
	assert_int_equal(spdm_responder_init(&r, &cfg, &prot_crypto_ops, &c),
			 -EINVAL);
	/* Only the chains' hash is offered. */
	cfg.cert_slots[0] = g_slot;
	assert_int_equal(spdm_responder_init(&r, &cfg, &prot_crypto_ops, &c),
			 0);
	assert_int_equal(r.offer_hash, SPDM_HASH_ALGO_SHA_384);
	prot_crypto_free(&c);
}

/* ---- requester against responder ---- */

static uint8_t p384_chain[4096], p256_chain[4096], other_chain[4096];
static uint8_t p256_chain384[4096], p384_pub[97], p256_pub[65];
static size_t p384_len, p256_len, other_len, p256_384_len;

struct tamper {
	/* Change the request before the responder sees it / the response
	 * before the requester does; @n counts exchanges (0 = GET_DIGESTS). */
	void (*req)(uint8_t *req, size_t *len, unsigned int n);
	void (*rsp)(uint8_t *rsp, size_t *len, unsigned int n);
};

struct pair {
	struct prot_crypto rc, qc;
	struct spdm_responder_config rcfg;
	struct spdm_requester_config qcfg;
	struct spdm_responder r;
	struct spdm_requester q;
	unsigned int exchanges;
};

static struct pair P;

static int pump(const struct tamper *t)
{
	uint8_t req[SPDM_REQUESTER_REQ_SIZE], rsp[SPDM_MAX_MSG_SIZE];
	size_t req_len, rsp_len;
	int err;

	do {
		req_len = sizeof(req);
		assert_int_equal(spdm_requester_next(&P.q, req, &req_len), 0);
		if (t && t->req)
			t->req(req, &req_len, P.exchanges);
		rsp_len = sizeof(rsp);
		assert_int_equal(spdm_responder_handle(&P.r, req, req_len, rsp,
						       &rsp_len),
				 0);
		if (t && t->rsp)
			t->rsp(rsp, &rsp_len, P.exchanges);
		err = spdm_requester_rx(&P.q, rsp, rsp_len);
		P.exchanges++;
	} while (err == -EAGAIN);
	return err;
}

/* Responder serving @chain in slot 0 (made for @hash, signing @asym);
 * requester trusting @root, both at version @v; connected. */
static void pair_setup(const uint8_t *chain, size_t len, uint32_t hash,
		       uint32_t asym, const char *root, uint8_t v)
{
	static uint8_t version[1];

	memset(&P, 0, sizeof(P));
	version[0] = v;
	assert_int_equal(prot_crypto_init(&P.rc), 0);
	assert_int_equal(prot_crypto_init(&P.qc), 0);
	assert_int_equal(prot_crypto_add_trust_anchor_file(&P.qc, root), 0);
	P.rcfg = rsp_config(all_versions, 4);
	P.rcfg.cert_slots[0].chain = chain;
	P.rcfg.cert_slots[0].len = len;
	P.rcfg.cert_chain_hash_algo = hash;
	P.rcfg.base_asym_algo = asym;
	P.qcfg = req_config(version, 1);
	assert_int_equal(
		spdm_responder_init(&P.r, &P.rcfg, &prot_crypto_ops, &P.rc), 0);
	assert_int_equal(
		spdm_requester_init(&P.q, &P.qcfg, &prot_crypto_ops, &P.qc), 0);
	assert_int_equal(spdm_requester_connect(&P.q), 0);
	assert_int_equal(pump(NULL), 0);
	P.exchanges = 0;
}

static void pair_teardown(void)
{
	if (P.r.cert.m1.started)
		prot_crypto_ops.hash_abort(&P.rc, &P.r.cert.m1.state);
	if (P.q.cert.m1.started)
		prot_crypto_ops.hash_abort(&P.qc, &P.q.cert.m1.state);
	prot_crypto_free(&P.rc);
	prot_crypto_free(&P.qc);
}

static void expect_verified(const uint8_t *chain, size_t len,
			    const uint8_t *pub, size_t pub_len,
			    enum spdm_hash_alg hash)
{
	uint8_t a[SPDM_MAX_HASH_SIZE], b[SPDM_MAX_HASH_SIZE];
	const uint8_t *key, *got;
	size_t key_len, got_len;

	assert_int_equal(spdm_requester_cert_verdict(&P.q), SPDM_VERIFIED);
	assert_int_equal(spdm_requester_cert_reason(&P.q),
			 SPDM_CERT_REASON_NONE);
	assert_non_null(spdm_requester_connection(&P.q));
	assert_int_equal(spdm_requester_peer_pubkey(&P.q, &key, &key_len), 0);
	assert_int_equal(key_len, pub_len);
	assert_memory_equal(key, pub, pub_len);
	got = spdm_requester_cert_chain(&P.q, &got_len);
	assert_non_null(got);
	assert_int_equal(got_len, len);
	assert_memory_equal(got, chain, len);
	/* Both sides hold the same M1 so far. */
	assert_true(P.q.cert.m1.started && P.r.cert.m1.started);
	assert_int_equal(
		prot_crypto_ops.hash_final(&P.qc, &P.q.cert.m1.state, a), 0);
	assert_int_equal(
		prot_crypto_ops.hash_final(&P.rc, &P.r.cert.m1.state, b), 0);
	P.q.cert.m1.started = false;
	P.r.cert.m1.started = false;
	assert_memory_equal(a, b, spdm_hash_size(hash));
}

static void run_ok(const uint8_t *chain, size_t len, uint32_t hash,
		   uint32_t asym, const char *root, const uint8_t *pub,
		   size_t pub_len)
{
	static const uint16_t portions[] = {0, 1000, 100, 7};
	unsigned int i, p;
	size_t expect;

	for (i = 0; i < 4; i++) {
		for (p = 0; p < 4; p++) {
			pair_setup(chain, len, hash, asym, root,
				   (uint8_t)(0x10 + i));
			assert_int_equal(spdm_requester_get_certificate(
						 &P.q, 0, portions[p]),
					 0);
			assert_int_equal(spdm_requester_cert_verdict(&P.q), 0);
			assert_int_equal(pump(NULL), 0);
			/* GET_DIGESTS, then ceil(len / portion). */
			expect = portions[p]
					 ? (len + portions[p] - 1) / portions[p]
					 : 1;
			assert_int_equal(P.exchanges, 1 + expect);
			expect_verified(chain, len, pub, pub_len,
					spdm_hash_alg_from_wire(hash));
			/* A new connection forgets the verdict. */
			assert_int_equal(spdm_requester_connect(&P.q), 0);
			assert_int_not_equal(spdm_requester_cert_verdict(&P.q),
					     SPDM_VERIFIED);
			pair_teardown();
		}
	}
}

static void test_p384_sha384(void **state)
{
	(void)state;
	run_ok(p384_chain, p384_len, SPDM_HASH_ALGO_SHA_384,
	       SPDM_ASYM_ALGO_ECDSA_P384,
	       PROT_TEST_PKI_DIR "/p384/root.cert.der", p384_pub,
	       sizeof(p384_pub));
}

/* A key set by hand after a verified chain is not that chain's key: the
 * verdict must not go on vouching for it. */
static void test_manual_key_clears_verdict(void **state)
{
	(void)state;
	pair_setup(p384_chain, p384_len, SPDM_HASH_ALGO_SHA_384,
		   SPDM_ASYM_ALGO_ECDSA_P384,
		   PROT_TEST_PKI_DIR "/p384/root.cert.der", 0x12);
	assert_int_equal(spdm_requester_get_certificate(&P.q, 0, 0), 0);
	assert_int_equal(pump(NULL), 0);
	assert_int_equal(spdm_requester_cert_verdict(&P.q), SPDM_VERIFIED);
	assert_int_equal(
		spdm_requester_set_peer_pubkey(&P.q, SPDM_ASYM_ECDSA_P384,
					       p384_pub, sizeof(p384_pub)),
		0);
	assert_int_not_equal(spdm_requester_cert_verdict(&P.q), SPDM_VERIFIED);
	pair_teardown();
}

static void test_p256_sha256(void **state)
{
	(void)state;
	run_ok(p256_chain, p256_len, SPDM_HASH_ALGO_SHA_256,
	       SPDM_ASYM_ALGO_ECDSA_P256,
	       PROT_TEST_PKI_DIR "/p256/root.cert.der", p256_pub,
	       sizeof(p256_pub));
}

/* Run the flow for slot @slot with tampering @t; expect @err and
 * @reason, and nothing verified. */
static void expect_fail(const struct tamper *t, uint8_t slot, uint16_t portion,
			int err, enum spdm_cert_reason reason)
{
	const uint8_t *key;
	size_t key_len;

	assert_int_equal(spdm_requester_get_certificate(&P.q, slot, portion),
			 0);
	assert_int_equal(pump(t), err);
	assert_int_equal(spdm_requester_cert_reason(&P.q), reason);
	assert_int_not_equal(spdm_requester_cert_verdict(&P.q), SPDM_VERIFIED);
	assert_int_equal(spdm_requester_peer_pubkey(&P.q, &key, &key_len),
			 -EPERM);
	assert_false(P.q.cert.m1.started);
	/* The connection is over. */
	assert_null(spdm_requester_connection(&P.q));
}

static void setup_p384(uint8_t v)
{
	pair_setup(p384_chain, p384_len, SPDM_HASH_ALGO_SHA_384,
		   SPDM_ASYM_ALGO_ECDSA_P384,
		   PROT_TEST_PKI_DIR "/p384/root.cert.der", v);
}

static void test_req_order_and_args(void **state)
{
	struct spdm_requester q;
	struct spdm_requester_config cfg = req_config(all_versions, 4);
	struct prot_crypto c;

	(void)state;
	assert_int_equal(prot_crypto_init(&c), 0);
	assert_int_equal(spdm_requester_init(&q, &cfg, &prot_crypto_ops, &c),
			 0);
	/* Not connected, then during connect. */
	assert_int_equal(spdm_requester_get_certificate(&q, 0, 0), -EPERM);
	assert_int_equal(spdm_requester_connect(&q), 0);
	assert_int_equal(spdm_requester_get_certificate(&q, 0, 0), -EBUSY);
	assert_int_equal(spdm_requester_get_certificate(NULL, 0, 0), -EINVAL);
	assert_int_equal(spdm_requester_get_certificate(&q, 8, 0), -EINVAL);
	prot_crypto_free(&c);

	setup_p384(SPDM_VERSION_12);
	assert_int_equal(spdm_requester_get_certificate(&P.q, 0, 0), 0);
	assert_int_equal(spdm_requester_get_certificate(&P.q, 0, 0), -EBUSY);
	assert_int_equal(pump(NULL), 0);
	pair_teardown();
}

static void test_req_bad_slot(void **state)
{
	(void)state;
	setup_p384(SPDM_VERSION_13);
	expect_fail(NULL, 1, 0, -EBADMSG,
		    SPDM_CERT_REASON_SLOT_NOT_PROVISIONED);
	pair_teardown();
}

/* The responder's ERROR (here: a request the tamper sent to slot 3)
 * ends the flow with -EPROTO; the reason stays INCOMPLETE. */
static void req_slot3(uint8_t *req, size_t *len, unsigned int n)
{
	(void)len;
	if (n == 1)
		req[2] = 3;
}

static void test_req_error_response(void **state)
{
	const struct tamper t = {req_slot3, NULL};
	uint8_t code, data;

	(void)state;
	setup_p384(SPDM_VERSION_11);
	expect_fail(&t, 0, 0, -EPROTO, SPDM_CERT_REASON_INCOMPLETE);
	assert_true(spdm_requester_error(&P.q, &code, &data));
	assert_int_equal(code, SPDM_ERROR_INVALID_REQUEST);
	pair_teardown();
}

/* The responder ends the chain early (RemainderLength 0 after 100 bytes):
 * the Length field disagrees. */
static void rsp_truncate(uint8_t *rsp, size_t *len, unsigned int n)
{
	(void)len;
	if (n == 1) {
		rsp[6] = 0;
		rsp[7] = 0;
	}
}

/* A CERTIFICATE one byte shorter than its PortionLength. */
static void rsp_short(uint8_t *rsp, size_t *len, unsigned int n)
{
	(void)rsp;
	if (n == 2)
		(*len)--;
}

static void test_req_truncated(void **state)
{
	const struct tamper t1 = {NULL, rsp_truncate}, t2 = {NULL, rsp_short};

	(void)state;
	setup_p384(SPDM_VERSION_12);
	expect_fail(&t1, 0, 100, -EBADMSG, SPDM_CERT_REASON_LENGTH_FIELD);
	pair_teardown();
	setup_p384(SPDM_VERSION_12);
	expect_fail(&t2, 0, 100, -EBADMSG, SPDM_CERT_REASON_MALFORMED);
	pair_teardown();
}

/* A responder that gives more than asked: the tamper raises Length in
 * the request (the requester asked 100). */
static void req_longer(uint8_t *req, size_t *len, unsigned int n)
{
	(void)len;
	if (n == 1)
		req[6] = 101;
}

/* RemainderLength lies in the second portion. */
static void rsp_remainder_lie(uint8_t *rsp, size_t *len, unsigned int n)
{
	(void)len;
	if (n == 2)
		rsp[6]++;
}

/* The digest in DIGESTS does not match the chain. */
static void rsp_bad_digest(uint8_t *rsp, size_t *len, unsigned int n)
{
	(void)len;
	if (n == 0)
		rsp[4] ^= 1;
}

/* An empty portion with more to come. */
static void rsp_empty_portion(uint8_t *rsp, size_t *len, unsigned int n)
{
	if (n == 1) {
		rsp[4] = 0;
		rsp[5] = 0;
		*len = 8;
	}
}

/* DIGESTS one digest short. */
static void rsp_digests_short(uint8_t *rsp, size_t *len, unsigned int n)
{
	(void)rsp;
	if (n == 0)
		*len -= 48;
}

/* Busy once on the second portion: the same request goes again. The
 * responder must not have answered it, so the request is spoilt into one
 * it rejects (slot 3) and the rejection turned into Busy. */
static void req_spoil_once(uint8_t *req, size_t *len, unsigned int n)
{
	(void)len;
	if (n == 2)
		req[2] = 3;
}

static void rsp_busy_once(uint8_t *rsp, size_t *len, unsigned int n)
{
	if (n == 2) {
		rsp[1] = SPDM_ERROR;
		rsp[2] = SPDM_ERROR_BUSY;
		rsp[3] = 0;
		*len = 4;
	}
}

static void test_req_lies(void **state)
{
	const struct tamper longer = {req_longer, NULL},
			    lie = {NULL, rsp_remainder_lie},
			    digest = {NULL, rsp_bad_digest},
			    empty = {NULL, rsp_empty_portion},
			    dshort = {NULL, rsp_digests_short},
			    busy = {req_spoil_once, rsp_busy_once};

	(void)state;
	setup_p384(SPDM_VERSION_12);
	expect_fail(&longer, 0, 100, -EBADMSG,
		    SPDM_CERT_REASON_PORTION_TOO_LONG);
	pair_teardown();
	setup_p384(SPDM_VERSION_10);
	expect_fail(&lie, 0, 100, -EBADMSG,
		    SPDM_CERT_REASON_REMAINDER_MISMATCH);
	pair_teardown();
	setup_p384(SPDM_VERSION_13);
	expect_fail(&digest, 0, 0, -EPERM, SPDM_CERT_REASON_DIGEST_MISMATCH);
	pair_teardown();
	setup_p384(SPDM_VERSION_13);
	expect_fail(&empty, 0, 0, -EBADMSG, SPDM_CERT_REASON_MALFORMED);
	pair_teardown();
	setup_p384(SPDM_VERSION_11);
	expect_fail(&dshort, 0, 0, -EBADMSG, SPDM_CERT_REASON_MALFORMED);
	pair_teardown();
	/* Busy is retried; the M1 of both sides still agree. */
	setup_p384(SPDM_VERSION_12);
	assert_int_equal(spdm_requester_get_certificate(&P.q, 0, 500), 0);
	assert_int_equal(pump(&busy), 0);
	expect_verified(p384_chain, p384_len, p384_pub, sizeof(p384_pub),
			SPDM_HASH_SHA384);
	pair_teardown();
}

static void test_req_oversized(void **state)
{
#if SPDM_MAX_CERT_CHAIN_SIZE < 0xFFFF
	static uint8_t big[SPDM_MAX_CERT_CHAIN_SIZE + 1];
	const size_t n = sizeof(big);

	(void)state;
	memcpy(big, p384_chain, p384_len);
	big[0] = (uint8_t)n;
	big[1] = (uint8_t)(n >> 8);
	pair_setup(big, n, SPDM_HASH_ALGO_SHA_384, SPDM_ASYM_ALGO_ECDSA_P384,
		   PROT_TEST_PKI_DIR "/p384/root.cert.der", SPDM_VERSION_12);
	expect_fail(NULL, 0, 0, -EBADMSG, SPDM_CERT_REASON_CHAIN_TOO_LARGE);
	pair_teardown();
#else
	(void)state;
	skip();
#endif
}

static void test_req_untrusted(void **state)
{
	static uint8_t bad[4096];

	(void)state;
	/* A chain from another root. */
	pair_setup(other_chain, other_len, SPDM_HASH_ALGO_SHA_384,
		   SPDM_ASYM_ALGO_ECDSA_P384,
		   PROT_TEST_PKI_DIR "/p384/root.cert.der", SPDM_VERSION_12);
	expect_fail(NULL, 0, 0, -EPERM, SPDM_CERT_REASON_UNTRUSTED);
	pair_teardown();
	/* The last byte of the leaf's signature changed. */
	memcpy(bad, p384_chain, p384_len);
	bad[p384_len - 1] ^= 0x01;
	pair_setup(bad, p384_len, SPDM_HASH_ALGO_SHA_384,
		   SPDM_ASYM_ALGO_ECDSA_P384,
		   PROT_TEST_PKI_DIR "/p384/root.cert.der", SPDM_VERSION_13);
	expect_fail(NULL, 0, 300, -EPERM, SPDM_CERT_REASON_UNTRUSTED);
	pair_teardown();
	/* RootHash changed. */
	memcpy(bad, p384_chain, p384_len);
	bad[4] ^= 0x80;
	pair_setup(bad, p384_len, SPDM_HASH_ALGO_SHA_384,
		   SPDM_ASYM_ALGO_ECDSA_P384,
		   PROT_TEST_PKI_DIR "/p384/root.cert.der", SPDM_VERSION_11);
	expect_fail(NULL, 0, 0, -EPERM, SPDM_CERT_REASON_ROOT_HASH_MISMATCH);
	pair_teardown();
	/* The first certificate is not DER. */
	memcpy(bad, p384_chain, p384_len);
	bad[4 + 48] = 0x31;
	pair_setup(bad, p384_len, SPDM_HASH_ALGO_SHA_384,
		   SPDM_ASYM_ALGO_ECDSA_P384,
		   PROT_TEST_PKI_DIR "/p384/root.cert.der", SPDM_VERSION_12);
	expect_fail(NULL, 0, 0, -EBADMSG, SPDM_CERT_REASON_BAD_CERT);
	pair_teardown();
	/* A valid P-256 chain (SHA-384 RootHash) on a P-384 connection. */
	pair_setup(p256_chain384, p256_384_len, SPDM_HASH_ALGO_SHA_384,
		   SPDM_ASYM_ALGO_ECDSA_P384,
		   PROT_TEST_PKI_DIR "/p256/root.cert.der", SPDM_VERSION_12);
	expect_fail(NULL, 0, 0, -EPERM, SPDM_CERT_REASON_KEY_MISMATCH);
	pair_teardown();
}

static int load_pki(void **state)
{
	(void)state;
	p384_len =
		load("p384/chain-sha384.bin", p384_chain, sizeof(p384_chain));
	p256_len =
		load("p256/chain-sha256.bin", p256_chain, sizeof(p256_chain));
	p256_384_len = load("p256/chain-sha384.bin", p256_chain384,
			    sizeof(p256_chain384));
	other_len = load("other/chain-sha384.bin", other_chain,
			 sizeof(other_chain));
	assert_int_equal(load("p384/leaf.pub.bin", p384_pub, sizeof(p384_pub)),
			 97);
	assert_int_equal(load("p256/leaf.pub.bin", p256_pub, sizeof(p256_pub)),
			 65);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_golden_all_versions),
		cmocka_unit_test(test_rsp_errors),
		cmocka_unit_test(test_rsp_data_transfer_size),
		cmocka_unit_test(test_rsp_m1_reset),
		cmocka_unit_test(test_rsp_config),
		cmocka_unit_test(test_p384_sha384),
		cmocka_unit_test(test_p256_sha256),
		cmocka_unit_test(test_manual_key_clears_verdict),
		cmocka_unit_test(test_req_order_and_args),
		cmocka_unit_test(test_req_bad_slot),
		cmocka_unit_test(test_req_error_response),
		cmocka_unit_test(test_req_truncated),
		cmocka_unit_test(test_req_lies),
		cmocka_unit_test(test_req_oversized),
		cmocka_unit_test(test_req_untrusted),
	};

	return cmocka_run_group_tests(tests, load_pki, NULL);
}
