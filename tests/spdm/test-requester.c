/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Requester connect flow: golden requests for every version (fixtures.h,
 * from the DSP0274 tables) against golden responses; requester against
 * responder in one process for every version pair and every P-256/P-384 x
 * SHA-256/SHA-384 combination; garbage and hostile responses; Busy,
 * RequestResynch and timeouts.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "fixtures.h"

struct req_env {
	struct fake_crypto crypto;
	struct spdm_requester_config cfg;
	struct spdm_requester q;
};

static struct req_env env;

static void setup_req(const uint8_t *versions, size_t n)
{
	memset(&env, 0, sizeof(env));
	env.crypto.hash_algos = FAKE_HASH_ALL;
	env.crypto.asym_algos = FAKE_ASYM_ALL;
	env.cfg = req_config(versions, n);
	assert_int_equal(spdm_requester_init(&env.q, &env.cfg, &fake_crypto_ops,
					     &env.crypto),
			 0);
	assert_int_equal(spdm_requester_connect(&env.q), 0);
}

/* The next request must be @exp. */
static void expect_request(const uint8_t *exp, size_t exp_len)
{
	uint8_t req[SPDM_REQUESTER_REQ_SIZE];
	size_t len = sizeof(req);

	assert_int_equal(spdm_requester_next(&env.q, req, &len), 0);
	assert_int_equal(len, exp_len);
	assert_memory_equal(req, exp, exp_len);
}

static void send_any(void)
{
	uint8_t req[SPDM_REQUESTER_REQ_SIZE];
	size_t len = sizeof(req);

	assert_int_equal(spdm_requester_next(&env.q, req, &len), 0);
}

/* Version index @i: the requester accepts only that version. */
static void golden_flow(unsigned int i)
{
	const struct spdm_connection_info *c;

	setup_req(&all_versions[i], 1);
	expect_request(golden_get_version, 4);
	assert_int_equal(spdm_requester_rx(&env.q, golden_version,
					   sizeof(golden_version)),
			 -EAGAIN);
	expect_request(golden_get_caps[i], golden_get_caps_len[i]);
	assert_int_equal(spdm_requester_rx(&env.q, golden_caps[i],
					   golden_caps_len[i]),
			 -EAGAIN);
	assert_null(spdm_requester_connection(&env.q));
	expect_request(golden_negotiate[i], golden_negotiate_len[i]);
	assert_int_equal(spdm_requester_rx(&env.q, golden_algorithms[i],
					   golden_algorithms_len[i]),
			 0);
	c = spdm_requester_connection(&env.q);
	assert_non_null(c);
	assert_int_equal(c->version, 0x10 + i);
	assert_int_equal(c->hash, SPDM_HASH_SHA384);
	assert_int_equal(c->asym, SPDM_ASYM_ECDSA_P384);
	assert_int_equal(c->measurement_hash, SPDM_HASH_SHA384);
	assert_int_equal(c->peer_ct_exponent, 12);
	assert_int_equal(c->peer_flags, i ? RSP_FLAGS : 0x16);
	assert_int_equal(c->aead_cipher_suite, i ? SPDM_AEAD_AES_256_GCM : 0);
	assert_int_equal(c->other_params, i >= 2 ? SPDM_OPAQUE_DATA_FMT_1 : 0);
}

static void test_golden_all_versions(void **state)
{
	unsigned int i;

	(void)state;
	for (i = 0; i < 4; i++)
		golden_flow(i);
}

/* Drive a requester and a responder against each other. */
static int run_pair(struct spdm_requester *q, struct spdm_responder *r)
{
	uint8_t req[SPDM_REQUESTER_REQ_SIZE], rsp[SPDM_MAX_MSG_SIZE];
	size_t req_len, rsp_len;
	int err, steps = 0;

	assert_int_equal(spdm_requester_connect(q), 0);
	do {
		req_len = sizeof(req);
		rsp_len = sizeof(rsp);
		assert_int_equal(spdm_requester_next(q, req, &req_len), 0);
		assert_int_equal(spdm_responder_handle(r, req, req_len, rsp,
						       &rsp_len),
				 0);
		err = spdm_requester_rx(q, rsp, rsp_len);
		assert_true(++steps < 20);
	} while (err == -EAGAIN);
	return err;
}

static void test_version_pairs(void **state)
{
	struct fake_crypto crypto = {FAKE_HASH_ALL, FAKE_ASYM_ALL};
	struct spdm_requester_config qc;
	struct spdm_responder_config rc;
	struct spdm_requester q;
	struct spdm_responder r;
	const uint8_t *qa, *ra;
	size_t qlen, rlen;
	unsigned int a, b, lo_a, lo_b;

	(void)state;
	/* Requester versions lo_a..a, responder lo_b..b, every range. */
	for (lo_a = 0; lo_a < 4; lo_a++)
		for (a = lo_a; a < 4; a++)
			for (lo_b = 0; lo_b < 4; lo_b++)
				for (b = lo_b; b < 4; b++) {
					unsigned int best = a < b ? a : b;
					int exp = best >= lo_a && best >= lo_b
							  ? 0
							  : -ENOTSUP;

					qc = req_config(&all_versions[lo_a],
							a - lo_a + 1);
					rc = rsp_config(&all_versions[lo_b],
							b - lo_b + 1);
					assert_int_equal(
						spdm_requester_init(
							&q, &qc,
							&fake_crypto_ops,
							&crypto),
						0);
					assert_int_equal(
						spdm_responder_init(
							&r, &rc,
							&fake_crypto_ops,
							&crypto),
						0);
					assert_int_equal(run_pair(&q, &r), exp);
					if (exp)
						continue;
					assert_int_equal(
						spdm_requester_connection(&q)
							->version,
						0x10 + best);
					assert_int_equal(
						spdm_responder_connection(&r)
							->version,
						0x10 + best);
					/* Both sides hold the same
					 * message A. */
					qa = spdm_requester_vca(&q, &qlen);
					ra = spdm_responder_vca(&r, &rlen);
					assert_int_equal(qlen, rlen);
					assert_memory_equal(qa, ra, qlen);
				}
}

static void test_algorithm_pairs(void **state)
{
	static const enum spdm_asym_alg asyms[] = {SPDM_ASYM_ECDSA_P256,
						   SPDM_ASYM_ECDSA_P384};
	static const enum spdm_hash_alg hashes[] = {SPDM_HASH_SHA256,
						    SPDM_HASH_SHA384};
	struct fake_crypto all = {FAKE_HASH_ALL, FAKE_ASYM_ALL}, one;
	struct spdm_requester_config qc;
	struct spdm_responder_config rc;
	struct spdm_requester q;
	struct spdm_responder r;
	const struct spdm_connection_info *qi, *ri;
	unsigned int v, i, j, side;

	(void)state;
	for (v = 0; v < 4; v++)
		for (i = 0; i < 2; i++)
			for (j = 0; j < 2; j++)
				for (side = 0; side < 2; side++) {
					/* One side's crypto has only this
					 * pair; the other has both. */
					one.asym_algos = 1u << asyms[i];
					one.hash_algos = 1u << hashes[j];
					qc = req_config(&all_versions[v], 1);
					rc = rsp_config(all_versions, 4);
					rc.measurement_hash_algo =
						SPDM_MEAS_HASH_SHA_256 |
						SPDM_MEAS_HASH_SHA_384;
					assert_int_equal(
						spdm_requester_init(
							&q, &qc,
							&fake_crypto_ops,
							side ? &one : &all),
						0);
					assert_int_equal(
						spdm_responder_init(
							&r, &rc,
							&fake_crypto_ops,
							side ? &all : &one),
						0);
					assert_int_equal(run_pair(&q, &r), 0);
					qi = spdm_requester_connection(&q);
					ri = spdm_responder_connection(&r);
					assert_int_equal(qi->asym, asyms[i]);
					assert_int_equal(qi->hash, hashes[j]);
					assert_int_equal(ri->asym, asyms[i]);
					assert_int_equal(ri->hash, hashes[j]);
					assert_int_equal(qi->base_asym_algo,
							 ri->base_asym_algo);
					assert_int_equal(qi->dhe_named_group,
							 ri->dhe_named_group);
					assert_int_equal(qi->req_base_asym_alg,
							 ri->req_base_asym_alg);
				}
}

/* Get to the ALGORITHMS step at version index @i. */
static void to_algorithms(unsigned int i)
{
	setup_req(&all_versions[i], 1);
	send_any();
	assert_int_equal(spdm_requester_rx(&env.q, golden_version,
					   sizeof(golden_version)),
			 -EAGAIN);
	send_any();
	assert_int_equal(spdm_requester_rx(&env.q, golden_caps[i],
					   golden_caps_len[i]),
			 -EAGAIN);
	send_any();
}

static void expect_bad_algorithms(unsigned int i, const uint8_t *rsp,
				  size_t len, int err)
{
	to_algorithms(i);
	assert_int_equal(spdm_requester_rx(&env.q, rsp, len), err);
	assert_int_equal(env.q.state, SPDM_REQUESTER_STATE_IDLE);
	assert_null(spdm_requester_connection(&env.q));
}

static void test_not_offered(void **state)
{
	uint8_t a[64];

	(void)state;
	/* SHA-512 selected, never offered. */
	memcpy(a, golden_algorithms[2], 52);
	a[16] = 0x04;
	expect_bad_algorithms(2, a, 52, -EBADMSG);
	/* Two hashes selected. */
	memcpy(a, golden_algorithms[2], 52);
	a[16] = 0x03;
	expect_bad_algorithms(2, a, 52, -EBADMSG);
	/* RSA selected. */
	memcpy(a, golden_algorithms[2], 52);
	a[12] = 0x01;
	expect_bad_algorithms(2, a, 52, -EBADMSG);
	/* P-384 offered by config but not by our crypto: not acceptable. */
	to_algorithms(2);
	env.q.offer_asym = SPDM_ASYM_ALGO_ECDSA_P256;
	assert_int_equal(spdm_requester_rx(&env.q, golden_algorithms[2], 52),
			 -EBADMSG);
	/* DHE secp521r1 not offered. */
	memcpy(a, golden_algorithms[2], 52);
	a[38] = 0x20;
	expect_bad_algorithms(2, a, 52, -EBADMSG);
	/* An extended algorithm selected. */
	memcpy(a, golden_algorithms[2], 52);
	a[32] = 1;
	expect_bad_algorithms(2, a, 52, -EBADMSG);
	/* Opaque data format 0 selected while we offered format 1. */
	memcpy(a, golden_algorithms[2], 52);
	a[7] = 0x01;
	expect_bad_algorithms(2, a, 52, -EBADMSG);
	/* No hash selected while the responder has CERT_CAP. */
	memcpy(a, golden_algorithms[1], 52);
	a[16] = 0;
	expect_bad_algorithms(1, a, 52, -EBADMSG);
	/* Structures out of order / one we did not send / too many. */
	memcpy(a, golden_algorithms[3], 52);
	a[40] = 0x02;
	expect_bad_algorithms(3, a, 52, -EBADMSG);
	memcpy(a, golden_algorithms[3], 36);
	memcpy(a + 36, golden_algorithms[3] + 36, 16);
	memcpy(a + 52, golden_algorithms[3] + 48, 4);
	a[2] = 5;
	a[4] = 56;
	expect_bad_algorithms(3, a, 56, -EBADMSG);
	/* MEL selected in 1.3 while none was offered. */
	memcpy(a, golden_algorithms[3], 52);
	a[31] = 0x01;
	expect_bad_algorithms(3, a, 52, -EBADMSG);
}

static void test_garbage(void **state)
{
	uint8_t a[64];
	static const uint8_t v20_only[] = {0x10, 0x04, 0, 0, 0, 1, 0x00, 0x20};
	static const uint8_t v_zero[] = {0x10, 0x04, 0, 0, 0, 0};
	static const uint8_t v_short[] = {0x10, 0x04, 0, 0, 0, 2, 0x00, 0x12};

	(void)state;
	/* Too short for a header. */
	setup_req(all_versions, 4);
	send_any();
	assert_int_equal(spdm_requester_rx(&env.q, golden_version, 3),
			 -EBADMSG);
	/* Nothing in flight any more. */
	assert_int_equal(spdm_requester_rx(&env.q, golden_version, 14),
			 -EINVAL);
	/* Wrong response code, wrong version byte. */
	setup_req(all_versions, 4);
	send_any();
	assert_int_equal(spdm_requester_rx(&env.q, golden_caps[0], 12),
			 -EBADMSG);
	setup_req(all_versions, 4);
	send_any();
	memcpy(a, golden_version, 14);
	a[0] = 0x12;
	assert_int_equal(spdm_requester_rx(&env.q, a, 14), -EBADMSG);
	/* VERSION: no entry, entries missing, trailing byte, no common
	 * version. */
	setup_req(all_versions, 4);
	send_any();
	assert_int_equal(spdm_requester_rx(&env.q, v_zero, sizeof(v_zero)),
			 -EBADMSG);
	setup_req(all_versions, 4);
	send_any();
	assert_int_equal(spdm_requester_rx(&env.q, v_short, sizeof(v_short)),
			 -EBADMSG);
	setup_req(all_versions, 4);
	send_any();
	memcpy(a, golden_version, 14);
	a[14] = 0;
	assert_int_equal(spdm_requester_rx(&env.q, a, 15), -EBADMSG);
	setup_req(all_versions, 4);
	send_any();
	assert_int_equal(spdm_requester_rx(&env.q, v20_only, sizeof(v20_only)),
			 -ENOTSUP);
	/* Too many entries for our message A. */
	setup_req(all_versions, 4);
	send_any();
	memset(a, 0, sizeof(a));
	memcpy(a, golden_version, 6);
	a[5] = 17;
	a[7] = 0x12;
	assert_int_equal(spdm_requester_rx(&env.q, a, 6 + 34), -EBADMSG);
	/* CAPABILITIES: wrong length, DataTransferSize 41, reserved
	 * MEAS_CAP. */
	setup_req(&all_versions[2], 1);
	send_any();
	assert_int_equal(spdm_requester_rx(&env.q, golden_version, 14),
			 -EAGAIN);
	send_any();
	assert_int_equal(spdm_requester_rx(&env.q, golden_caps[2], 12),
			 -EBADMSG);
	setup_req(&all_versions[2], 1);
	send_any();
	spdm_requester_rx(&env.q, golden_version, 14);
	send_any();
	memcpy(a, golden_caps[2], 20);
	a[12] = 41;
	a[13] = 0;
	assert_int_equal(spdm_requester_rx(&env.q, a, 20), -EBADMSG);
	setup_req(&all_versions[0], 1);
	send_any();
	spdm_requester_rx(&env.q, golden_version, 14);
	send_any();
	memcpy(a, golden_caps[0], 12);
	a[8] = 0x18;
	assert_int_equal(spdm_requester_rx(&env.q, a, 12), -EBADMSG);
	/* ALGORITHMS: Length disagreeing, truncated, trailing. */
	memcpy(a, golden_algorithms[2], 52);
	a[4] = 0x33;
	expect_bad_algorithms(2, a, 52, -EBADMSG);
	expect_bad_algorithms(2, golden_algorithms[2], 51, -EBADMSG);
	expect_bad_algorithms(0, golden_algorithms[0], 35, -EBADMSG);
	memcpy(a, golden_algorithms[0], 36);
	a[4] = 37;
	a[36] = 0;
	expect_bad_algorithms(0, a, 37, -EBADMSG);
	/* A good response after a failure is refused: no flow. */
	assert_int_equal(spdm_requester_rx(&env.q, golden_algorithms[0], 36),
			 -EINVAL);
}

static void test_errors_and_retries(void **state)
{
	uint8_t err12[4] = {0x12, 0x7F, 0x03, 0x00};
	const uint8_t busy10[4] = {0x10, 0x7F, 0x03, 0x00};
	const uint8_t resynch10[4] = {0x10, 0x7F, 0x43, 0x00};
	const uint8_t invalid12[4] = {0x12, 0x7F, 0x01, 0x00};
	const uint8_t rnr12[8] = {0x12, 0x7F, 0x42, 0x00,
				  0x05, 0xE1, 0x01, 0x02};
	uint8_t code = 0, data = 0;
	uint8_t req[64];
	size_t len;
	unsigned int n;

	(void)state;
	/* Busy: the same request again, up to the limit. */
	setup_req(all_versions, 4);
	for (n = 0; n < SPDM_REQUESTER_MAX_RETRIES; n++) {
		expect_request(golden_get_version, 4);
		assert_int_equal(spdm_requester_rx(&env.q, busy10, 4), -EAGAIN);
	}
	expect_request(golden_get_version, 4);
	assert_int_equal(spdm_requester_rx(&env.q, busy10, 4), -EBUSY);
	assert_true(spdm_requester_error(&env.q, &code, &data));
	assert_int_equal(code, SPDM_ERROR_BUSY);

	/* Busy on GET_CAPABILITIES then success: retries count per step. */
	setup_req(&all_versions[2], 1);
	send_any();
	spdm_requester_rx(&env.q, golden_version, 14);
	expect_request(golden_get_caps[2], 20);
	assert_int_equal(spdm_requester_rx(&env.q, err12, 4), -EAGAIN);
	expect_request(golden_get_caps[2], 20);
	assert_int_equal(spdm_requester_rx(&env.q, golden_caps[2], 20),
			 -EAGAIN);
	expect_request(golden_negotiate[2], 48);
	assert_int_equal(spdm_requester_rx(&env.q, golden_algorithms[2], 52),
			 0);
	{
		/* Message A holds no trace of the Busy exchange. */
		size_t alen;
		const uint8_t *a = spdm_requester_vca(&env.q, &alen);

		assert_int_equal(alen, 4 + 14 + 20 + 20 + 48 + 52);
		assert_memory_equal(a + 18, golden_get_caps[2], 20);
	}

	/* RequestResynch: back to GET_VERSION, message A restarted. */
	setup_req(&all_versions[2], 1);
	send_any();
	spdm_requester_rx(&env.q, golden_version, 14);
	send_any();
	spdm_requester_rx(&env.q, golden_caps[2], 20);
	send_any();
	err12[2] = 0x43;
	assert_int_equal(spdm_requester_rx(&env.q, err12, 4), -EAGAIN);
	expect_request(golden_get_version, 4);
	assert_int_equal(spdm_requester_rx(&env.q, resynch10, 4), -EAGAIN);
	expect_request(golden_get_version, 4);
	assert_int_equal(spdm_requester_rx(&env.q, resynch10, 4), -EPROTO);

	/* Any other ERROR ends the flow with the code readable. */
	setup_req(&all_versions[2], 1);
	assert_false(spdm_requester_error(&env.q, &code, &data));
	send_any();
	spdm_requester_rx(&env.q, golden_version, 14);
	send_any();
	assert_int_equal(spdm_requester_rx(&env.q, invalid12, 4), -EPROTO);
	assert_true(spdm_requester_error(&env.q, &code, &data));
	assert_int_equal(code, SPDM_ERROR_INVALID_REQUEST);
	/* ResponseNotReady is not allowed for VCA requests. */
	setup_req(&all_versions[2], 1);
	send_any();
	spdm_requester_rx(&env.q, golden_version, 14);
	send_any();
	assert_int_equal(spdm_requester_rx(&env.q, rnr12, 8), -EPROTO);
	assert_true(spdm_requester_error(&env.q, &code, &data));
	assert_int_equal(code, SPDM_ERROR_RESPONSE_NOT_READY);
	/* An ERROR at another version than the request's is malformed. */
	setup_req(&all_versions[2], 1);
	send_any();
	spdm_requester_rx(&env.q, golden_version, 14);
	send_any();
	assert_int_equal(spdm_requester_rx(&env.q, busy10, 4), -EBADMSG);

	/* Timeouts: resend, then give up. */
	setup_req(all_versions, 4);
	assert_int_equal(spdm_requester_timeout(&env.q), -EINVAL);
	for (n = 0; n < SPDM_REQUESTER_MAX_RETRIES; n++) {
		expect_request(golden_get_version, 4);
		assert_int_equal(spdm_requester_timeout(&env.q), -EAGAIN);
	}
	expect_request(golden_get_version, 4);
	assert_int_equal(spdm_requester_timeout(&env.q), -ETIMEDOUT);
	len = sizeof(req);
	assert_int_equal(spdm_requester_next(&env.q, req, &len), -EINVAL);
	assert_int_equal(spdm_requester_connect(&env.q), 0);

	/* Step API misuse. */
	setup_req(all_versions, 4);
	len = 3;
	assert_int_equal(spdm_requester_next(&env.q, req, &len), -EMSGSIZE);
	send_any();
	len = sizeof(req);
	assert_int_equal(spdm_requester_next(&env.q, req, &len), -EBUSY);
	assert_int_equal(spdm_requester_connect(&env.q), -EBUSY);
}

static void test_init(void **state)
{
	struct spdm_requester_config cfg;
	struct fake_crypto crypto = {FAKE_HASH_ALL, FAKE_ASYM_ALL};
	struct fake_crypto none = {0, 0};
	struct spdm_requester q;
	static const uint8_t dup[] = {0x12, 0x12};

	(void)state;
	cfg = req_config(all_versions, 4);
	assert_int_equal(
		spdm_requester_init(&q, &cfg, &fake_crypto_ops, &crypto), 0);
	assert_int_equal(spdm_requester_init(&q, &cfg, &fake_crypto_ops, &none),
			 -EINVAL);
	assert_int_equal(spdm_requester_init(NULL, &cfg, &fake_crypto_ops,
					     &crypto),
			 -EINVAL);
	cfg = req_config(dup, 2);
	assert_int_equal(spdm_requester_init(&q, &cfg, &fake_crypto_ops,
					     &crypto),
			 -EINVAL);
	cfg = req_config(all_versions, 4);
	cfg.flags |= SPDM_REQ_PSK_CAP_MASK;
	assert_int_equal(spdm_requester_init(&q, &cfg, &fake_crypto_ops,
					     &crypto),
			 -EINVAL);
	cfg = req_config(all_versions, 4);
	cfg.max_spdm_msg_size = 8192;
	assert_int_equal(spdm_requester_init(&q, &cfg, &fake_crypto_ops,
					     &crypto),
			 -EINVAL);
	/* Chunking is not implemented: CHUNK_CAP is refused. */
	cfg.flags |= SPDM_REQ_CHUNK_CAP;
	assert_int_equal(spdm_requester_init(&q, &cfg, &fake_crypto_ops,
					     &crypto),
			 -EINVAL);
	cfg = req_config(all_versions, 4);
	cfg.other_params_support = 3;
	assert_int_equal(spdm_requester_init(&q, &cfg, &fake_crypto_ops,
					     &crypto),
			 -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_golden_all_versions),
		cmocka_unit_test(test_version_pairs),
		cmocka_unit_test(test_algorithm_pairs),
		cmocka_unit_test(test_not_offered),
		cmocka_unit_test(test_garbage),
		cmocka_unit_test(test_errors_and_retries),
		cmocka_unit_test(test_init),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
