/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Responder VCA: golden responses for every version (fixtures.h, from the
 * DSP0274 tables), the state machine, and ERROR responses for requests out
 * of order, malformed, at the wrong version or not supported. ERROR
 * responses are SPDMVersion, 0x7F, ErrorCode, ErrorData ("ERROR response
 * message format"; codes from the "Error code and error data" table).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "fixtures.h"

struct rsp_env {
	struct fake_crypto crypto;
	struct spdm_responder_config cfg;
	struct spdm_responder r;
};

static struct rsp_env env;

static void setup_rsp(const uint8_t *versions, size_t n)
{
	memset(&env, 0, sizeof(env));
	env.crypto.hash_algos = FAKE_HASH_ALL;
	env.crypto.asym_algos = FAKE_ASYM_ALL;
	env.cfg = rsp_config(versions, n);
	assert_int_equal(spdm_responder_init(&env.r, &env.cfg, &fake_crypto_ops,
					     &env.crypto),
			 0);
}

/* Send @req, expect exactly @exp back. */
static void xfer(const uint8_t *req, size_t req_len, const uint8_t *exp,
		 size_t exp_len)
{
	uint8_t rsp[SPDM_MAX_MSG_SIZE];
	size_t len = sizeof(rsp);

	assert_int_equal(spdm_responder_handle(&env.r, req, req_len, rsp, &len),
			 0);
	assert_int_equal(len, exp_len);
	assert_memory_equal(rsp, exp, exp_len);
}

static void expect_error(const uint8_t *req, size_t req_len, uint8_t version,
			 uint8_t code, uint8_t data)
{
	const uint8_t exp[4] = {version, 0x7F, code, data};

	xfer(req, req_len, exp, sizeof(exp));
}

/* Run the VCA at version index @i (0..3 = 1.0..1.3). */
static void vca(unsigned int i)
{
	xfer(golden_get_version, 4, golden_version, sizeof(golden_version));
	assert_int_equal(env.r.state, SPDM_RESPONDER_STATE_AFTER_VERSION);
	xfer(golden_get_caps[i], golden_get_caps_len[i], golden_caps[i],
	     golden_caps_len[i]);
	assert_int_equal(env.r.state, SPDM_RESPONDER_STATE_AFTER_CAPABILITIES);
	assert_null(spdm_responder_connection(&env.r));
	xfer(golden_negotiate[i], golden_negotiate_len[i], golden_algorithms[i],
	     golden_algorithms_len[i]);
	assert_int_equal(env.r.state, SPDM_RESPONDER_STATE_NEGOTIATED);
}

static void test_golden_all_versions(void **state)
{
	const struct spdm_connection_info *c;
	const uint8_t *a;
	size_t len, off, i;

	(void)state;
	for (i = 0; i < 4; i++) {
		setup_rsp(all_versions, 4);
		vca((unsigned int)i);
		c = spdm_responder_connection(&env.r);
		assert_non_null(c);
		assert_int_equal(c->version, 0x10 + i);
		assert_int_equal(c->hash, SPDM_HASH_SHA384);
		assert_int_equal(c->asym, SPDM_ASYM_ECDSA_P384);
		assert_int_equal(c->measurement_hash, SPDM_HASH_SHA384);
		assert_int_equal(c->peer_ct_exponent, i ? 10 : 0);
		assert_int_equal(c->peer_flags, i ? REQ_FLAGS : 0);
		assert_int_equal(c->dhe_named_group,
				 i ? SPDM_DHE_SECP384R1 : 0);
		assert_int_equal(c->peer_data_transfer_size, i >= 2 ? 4096 : 0);
		/* Message A is the six messages, back to back. */
		a = spdm_responder_vca(&env.r, &len);
		assert_int_equal(len, 4 + sizeof(golden_version) +
					      golden_get_caps_len[i] +
					      golden_caps_len[i] +
					      golden_negotiate_len[i] +
					      golden_algorithms_len[i]);
		assert_memory_equal(a, golden_get_version, 4);
		off = 4 + sizeof(golden_version);
		assert_memory_equal(a + off, golden_get_caps[i],
				    golden_get_caps_len[i]);
		off += golden_get_caps_len[i] + golden_caps_len[i];
		assert_memory_equal(a + off, golden_negotiate[i],
				    golden_negotiate_len[i]);
	}
}

/* VERSION lists only the configured versions, in ascending order. */
static void test_version_subset(void **state)
{
	static const uint8_t versions[] = {SPDM_VERSION_13, SPDM_VERSION_11};
	static const uint8_t exp[] = {0x10, 0x04, 0x00, 0x00, 0x00,
				      0x02, 0x00, 0x11, 0x00, 0x13};
	static const uint8_t caps12[20] = {0x12, 0xE1, 0, 0, 0, 0x0A, 0, 0,
					   0xC6, 0x02, 0, 0, 0, 0x10, 0, 0,
					   0,    0x10, 0, 0};

	(void)state;
	setup_rsp(versions, 2);
	xfer(golden_get_version, 4, exp, sizeof(exp));
	/* 1.2 is not offered: VersionMismatch, reported at 1.0. */
	expect_error(caps12, sizeof(caps12), 0x10, 0x41, 0x00);
	assert_int_equal(env.r.state, SPDM_RESPONDER_STATE_AFTER_VERSION);
	xfer(golden_get_caps[1], 12, golden_caps[1], 12);
}

static void test_wrong_order(void **state)
{
	(void)state;
	setup_rsp(all_versions, 4);
	/* Nothing before GET_VERSION. */
	expect_error(golden_get_caps[2], 20, 0x12, 0x04, 0x00);
	expect_error(golden_negotiate[2], 48, 0x12, 0x04, 0x00);
	assert_int_equal(env.r.state, SPDM_RESPONDER_STATE_IDLE);
	xfer(golden_get_version, 4, golden_version, sizeof(golden_version));
	/* NEGOTIATE_ALGORITHMS before GET_CAPABILITIES. */
	expect_error(golden_negotiate[2], 48, 0x12, 0x04, 0x00);
	xfer(golden_get_caps[2], 20, golden_caps[2], 20);
	/* GET_CAPABILITIES twice: the version is now fixed at 1.2. */
	expect_error(golden_get_caps[2], 20, 0x12, 0x04, 0x00);
	xfer(golden_negotiate[2], 48, golden_algorithms[2], 52);
	/* Negotiated: VCA requests again are unexpected. */
	expect_error(golden_negotiate[2], 48, 0x12, 0x04, 0x00);
	expect_error(golden_get_caps[2], 20, 0x12, 0x04, 0x00);
	assert_non_null(spdm_responder_connection(&env.r));
	/* RESPOND_IF_READY with nothing pending. */
	{
		const uint8_t rir[] = {0x12, 0xFF, 0xE3, 0x01};

		expect_error(rir, 4, 0x12, 0x04, 0x00);
	}
	/* GET_VERSION at any time starts over. */
	xfer(golden_get_version, 4, golden_version, sizeof(golden_version));
	assert_int_equal(env.r.state, SPDM_RESPONDER_STATE_AFTER_VERSION);
	assert_null(spdm_responder_connection(&env.r));
	{
		size_t len;

		spdm_responder_vca(&env.r, &len);
		assert_int_equal(len, 4 + sizeof(golden_version));
	}
	vca(3);
}

static void test_unsupported(void **state)
{
	const uint8_t get_digests[] = {0x12, 0x81, 0x00, 0x00};
	const uint8_t not_a_request[] = {0x10, 0x12, 0x00, 0x00};
	const uint8_t challenge[36] = {0x10, 0x83};

	(void)state;
	setup_rsp(all_versions, 4);
	/* UnsupportedRequest carries the request code as error data. */
	expect_error(get_digests, 4, 0x12, 0x07, 0x81);
	expect_error(not_a_request, 4, 0x10, 0x07, 0x12);
	vca(2);
	expect_error(challenge, sizeof(challenge), 0x12, 0x07, 0x83);
	assert_int_equal(env.r.state, SPDM_RESPONDER_STATE_NEGOTIATED);
}

static void test_bad_lengths(void **state)
{
	uint8_t buf[64];

	(void)state;
	setup_rsp(all_versions, 4);
	expect_error(golden_get_version, 3, 0x10, 0x01, 0x00);
	expect_error(golden_get_version, 0, 0x10, 0x01, 0x00);
	memcpy(buf, golden_get_version, 4);
	buf[4] = 0;
	expect_error(buf, 5, 0x10, 0x01, 0x00);
	assert_int_equal(env.r.state, SPDM_RESPONDER_STATE_IDLE);
	xfer(golden_get_version, 4, golden_version, sizeof(golden_version));
	/* A 1.2 GET_CAPABILITIES needs 20 bytes; 1.1 needs 12, 1.0 4. */
	expect_error(golden_get_caps[2], 12, 0x12, 0x01, 0x00);
	expect_error(golden_get_caps[1], 20, 0x11, 0x01, 0x00);
	expect_error(golden_get_caps[1], 4, 0x11, 0x01, 0x00);
	expect_error(golden_get_caps[0], 12, 0x10, 0x01, 0x00);
	/* DataTransferSize below 42; MaxSPDMmsgSize below it; unequal
	 * without CHUNK_CAP. */
	memcpy(buf, golden_get_caps[2], 20);
	buf[12] = 41;
	buf[13] = 0;
	expect_error(buf, 20, 0x12, 0x01, 0x00);
	memcpy(buf, golden_get_caps[2], 20);
	buf[17] = 0x0F;
	expect_error(buf, 20, 0x12, 0x01, 0x00);
	/* Reserved PSK_CAP encoding (11b). */
	memcpy(buf, golden_get_caps[2], 20);
	buf[9] |= 0x0C;
	expect_error(buf, 20, 0x12, 0x01, 0x00);
	/* ENCRYPT_CAP without KEY_EX_CAP or PSK_CAP. */
	memcpy(buf, golden_get_caps[2], 20);
	buf[9] &= (uint8_t)~0x02;
	expect_error(buf, 20, 0x12, 0x01, 0x00);
	/* Reserved bytes are ignored. */
	memcpy(buf, golden_get_caps[2], 20);
	buf[2] = 0x5A;
	buf[4] = 0xA5;
	buf[6] = 0xFF;
	xfer(buf, 20, golden_caps[2], 20);

	/* NEGOTIATE_ALGORITHMS: truncated, Length disagreeing, trailing
	 * bytes, structures out of order or with a bad AlgCount. */
	expect_error(golden_negotiate[2], 47, 0x12, 0x01, 0x00);
	expect_error(golden_negotiate[2], 31, 0x12, 0x01, 0x00);
	memcpy(buf, golden_negotiate[2], 48);
	buf[4] = 0x2F;
	expect_error(buf, 48, 0x12, 0x01, 0x00);
	buf[4] = 0x31;
	buf[48] = 0;
	expect_error(buf, 49, 0x12, 0x01, 0x00);
	memcpy(buf, golden_negotiate[2], 48);
	buf[36] = 0x02; /* AEAD structure typed DHE: not increasing */
	expect_error(buf, 48, 0x12, 0x01, 0x00);
	memcpy(buf, golden_negotiate[2], 48);
	buf[33] = 0x30;
	expect_error(buf, 48, 0x12, 0x01, 0x00);
	memcpy(buf, golden_negotiate[2], 48);
	buf[32] = 0x06; /* unknown AlgType */
	expect_error(buf, 48, 0x12, 0x01, 0x00);
	/* Two opaque data formats at once. */
	memcpy(buf, golden_negotiate[2], 48);
	buf[7] = 0x03;
	expect_error(buf, 48, 0x12, 0x01, 0x00);
	/* An extended algorithm counted but missing. */
	memcpy(buf, golden_negotiate[2], 48);
	buf[28] = 1;
	expect_error(buf, 48, 0x12, 0x01, 0x00);
	assert_int_equal(env.r.state, SPDM_RESPONDER_STATE_AFTER_CAPABILITIES);
	/* The same request with the extended algorithm present is fine
	 * (it is never selected). */
	memcpy(buf, golden_negotiate[2], 32);
	buf[4] = 0x34;
	buf[28] = 1;
	memset(buf + 32, 0, 4);
	memcpy(buf + 36, golden_negotiate[2] + 32, 16);
	xfer(buf, 52, golden_algorithms[2], 52);
}

static void test_version_mismatch(void **state)
{
	const uint8_t get_version_11[] = {0x11, 0x84, 0x00, 0x00};
	uint8_t caps[20];
	uint8_t neg[48];

	(void)state;
	setup_rsp(all_versions, 4);
	/* GET_VERSION must be sent at 1.0. */
	expect_error(get_version_11, 4, 0x11, 0x41, 0x00);
	assert_int_equal(env.r.state, SPDM_RESPONDER_STATE_IDLE);
	xfer(golden_get_version, 4, golden_version, sizeof(golden_version));
	/* 1.4 is not a version we speak. */
	memcpy(caps, golden_get_caps[3], 20);
	caps[0] = 0x14;
	expect_error(caps, 20, 0x10, 0x41, 0x00);
	xfer(golden_get_caps[2], 20, golden_caps[2], 20);
	/* 1.2 was negotiated: anything else is a mismatch. */
	memcpy(neg, golden_negotiate[3], 48);
	expect_error(neg, 48, 0x12, 0x41, 0x00);
	xfer(golden_negotiate[2], 48, golden_algorithms[2], 52);
}

static void test_selection(void **state)
{
	uint8_t neg[48];
	uint8_t exp[52];
	const struct spdm_connection_info *c;

	(void)state;
	/* The requester offers P-256/SHA-256 only: that is selected. */
	setup_rsp(all_versions, 4);
	xfer(golden_get_version, 4, golden_version, sizeof(golden_version));
	xfer(golden_get_caps[3], 20, golden_caps[3], 20);
	memcpy(neg, golden_negotiate[3], 48);
	neg[8] = 0x10;
	neg[12] = 0x01;
	neg[34] = 0x08; /* DHE secp256r1 */
	neg[38] = 0x01; /* AES-128-GCM */
	memcpy(exp, golden_algorithms[3], 52);
	exp[12] = 0x10;
	exp[16] = 0x01;
	exp[38] = 0x08;
	exp[42] = 0x01;
	xfer(neg, 48, exp, 52);
	c = spdm_responder_connection(&env.r);
	assert_int_equal(c->hash, SPDM_HASH_SHA256);
	assert_int_equal(c->asym, SPDM_ASYM_ECDSA_P256);

	/* No common hash (SHA-512 only): InvalidRequest, state kept. */
	setup_rsp(all_versions, 4);
	xfer(golden_get_version, 4, golden_version, sizeof(golden_version));
	xfer(golden_get_caps[3], 20, golden_caps[3], 20);
	memcpy(neg, golden_negotiate[3], 48);
	neg[12] = 0x04;
	expect_error(neg, 48, 0x13, 0x01, 0x00);
	/* No common DHE group while both sides declared KEY_EX_CAP. */
	memcpy(neg, golden_negotiate[3], 48);
	neg[34] = 0x20;
	expect_error(neg, 48, 0x13, 0x01, 0x00);
	/* Only what the crypto ops have is offered: P-384 gone. */
	env.crypto.asym_algos = 1u << SPDM_ASYM_ECDSA_P256;
	assert_int_equal(spdm_responder_init(&env.r, &env.cfg, &fake_crypto_ops,
					     &env.crypto),
			 0);
	xfer(golden_get_version, 4, golden_version, sizeof(golden_version));
	xfer(golden_get_caps[3], 20, golden_caps[3], 20);
	memcpy(exp, golden_algorithms[3], 52);
	exp[12] = 0x10; /* BaseAsymSel P-256 */
	exp[46] = 0x10; /* ReqBaseAsymAlg P-256 */
	xfer(golden_negotiate[3], 48, exp, 52);
	/* A 1.1 request with no structures gets none back. */
	setup_rsp(all_versions, 4);
	xfer(golden_get_version, 4, golden_version, sizeof(golden_version));
	env.cfg.flags = SPDM_RSP_CERT_CAP | SPDM_RSP_CHAL_CAP;
	{
		const uint8_t caps11[12] = {0x11, 0xE1, 0,    0, 0, 0x0A,
					    0,    0,    0x06, 0, 0, 0};
		const uint8_t caps_rsp[12] = {0x11, 0x61, 0,    0, 0, 0x0C,
					      0,    0,    0x06, 0, 0, 0};
		xfer(caps11, 12, caps_rsp, 12);
	}
	memcpy(neg, golden_negotiate[1], 32);
	neg[2] = 0;
	neg[4] = 0x20;
	memcpy(exp, golden_algorithms[1], 36);
	exp[2] = 0;
	exp[4] = 0x24;
	exp[6] = 0; /* no MEAS_CAP now: no measurement specification */
	exp[8] = 0;
	xfer(neg, 32, exp, 36);
}

/* A 1.2 requester with CHUNK_CAP and DataTransferSize 42: the 52-byte
 * ALGORITHMS does not fit, so ResponseTooLarge with the size (0x34) as
 * extended error data, and the state stays. */
static void test_response_too_large(void **state)
{
	static const uint8_t exp[] = {0x12, 0x7F, 0x0D, 0x00,
				      0x34, 0x00, 0x00, 0x00};
	uint8_t caps[20];

	(void)state;
	setup_rsp(all_versions, 4);
	xfer(golden_get_version, 4, golden_version, sizeof(golden_version));
	memcpy(caps, golden_get_caps[2], 20);
	caps[10] |= 0x02; /* CHUNK_CAP */
	caps[12] = 42;
	caps[13] = 0;
	xfer(caps, 20, golden_caps[2], 20);
	xfer(golden_negotiate[2], 48, exp, sizeof(exp));
	assert_int_equal(env.r.state, SPDM_RESPONDER_STATE_AFTER_CAPABILITIES);
	/* Without the structures ALGORITHMS is 36 bytes: it fits. */
	{
		uint8_t neg[32], rsp36[36];

		memcpy(neg, golden_negotiate[2], 32);
		neg[2] = 0;
		neg[4] = 0x20;
		env.cfg.flags = SPDM_RSP_CERT_CAP | SPDM_RSP_CHAL_CAP |
				SPDM_RSP_MEAS_CAP_SIG;
		memcpy(rsp36, golden_algorithms[2], 36);
		rsp36[2] = 0;
		rsp36[4] = 0x24;
		xfer(neg, 32, rsp36, 36);
	}
}

static void test_buffers_and_init(void **state)
{
	uint8_t rsp[8];
	size_t len = 3;
	struct spdm_responder_config cfg;
	static const uint8_t bad_versions[] = {0x10, 0x10};
	static const uint8_t v14[] = {0x14};
	const struct spdm_crypto_ops no_ops = {0};

	(void)state;
	setup_rsp(all_versions, 4);
	assert_int_equal(spdm_responder_handle(&env.r, golden_get_version, 4,
					       rsp, &len),
			 -EMSGSIZE);
	/* Room for an ERROR but not for VERSION: Unspecified, no state
	 * change. */
	len = sizeof(rsp);
	assert_int_equal(spdm_responder_handle(&env.r, golden_get_version, 4,
					       rsp, &len),
			 0);
	assert_int_equal(len, 4);
	assert_int_equal(rsp[2], 0x05);
	assert_int_equal(env.r.state, SPDM_RESPONDER_STATE_IDLE);
	assert_int_equal(spdm_responder_handle(NULL, golden_get_version, 4, rsp,
					       &len),
			 -EINVAL);

	cfg = rsp_config(bad_versions, 2);
	assert_int_equal(spdm_responder_init(&env.r, &cfg, &fake_crypto_ops,
					     &env.crypto),
			 -EINVAL);
	cfg = rsp_config(v14, 1);
	assert_int_equal(spdm_responder_init(&env.r, &cfg, &fake_crypto_ops,
					     &env.crypto),
			 -EINVAL);
	cfg = rsp_config(all_versions, 0);
	assert_int_equal(spdm_responder_init(&env.r, &cfg, &fake_crypto_ops,
					     &env.crypto),
			 -EINVAL);
	cfg = rsp_config(all_versions, 4);
	assert_int_equal(spdm_responder_init(&env.r, &cfg, &no_ops, NULL),
			 -EINVAL);
	cfg.data_transfer_size = 41;
	cfg.max_spdm_msg_size = 41;
	assert_int_equal(spdm_responder_init(&env.r, &cfg, &fake_crypto_ops,
					     &env.crypto),
			 -EINVAL);
	cfg = rsp_config(all_versions, 4);
	cfg.flags |= SPDM_RSP_MEAS_CAP_MASK;
	assert_int_equal(spdm_responder_init(&env.r, &cfg, &fake_crypto_ops,
					     &env.crypto),
			 -EINVAL);
	cfg = rsp_config(all_versions, 4);
	cfg.measurement_hash_algo = SPDM_MEAS_HASH_SHA_512;
	assert_int_equal(spdm_responder_init(&env.r, &cfg, &fake_crypto_ops,
					     &env.crypto),
			 -EINVAL);
	/* Chunking is not implemented. */
	cfg = rsp_config(all_versions, 4);
	cfg.flags |= SPDM_RSP_CHUNK_CAP;
	assert_int_equal(spdm_responder_init(&env.r, &cfg, &fake_crypto_ops,
					     &env.crypto),
			 -EINVAL);
	/* 1.0/1.1 only: the 1.2 sizes are not checked. */
	cfg = rsp_config(all_versions, 2);
	cfg.data_transfer_size = 0;
	assert_int_equal(spdm_responder_init(&env.r, &cfg, &fake_crypto_ops,
					     &env.crypto),
			 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_golden_all_versions),
		cmocka_unit_test(test_version_subset),
		cmocka_unit_test(test_wrong_order),
		cmocka_unit_test(test_unsupported),
		cmocka_unit_test(test_bad_lengths),
		cmocka_unit_test(test_version_mismatch),
		cmocka_unit_test(test_selection),
		cmocka_unit_test(test_response_too_large),
		cmocka_unit_test(test_buffers_and_init),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
