/* SPDX-License-Identifier: Apache-2.0 */
/*
 * SPDM over MCTP (DSP0275) glue: two MCTP stacks in one process joined by
 * the in-memory harness link, a requester glue (EID 8) against a responder
 * glue (EID 9), with the POSIX port's mbedTLS crypto ops.
 *
 * Golden bytes (DSP0274 GET_VERSION and VERSION tables; DSP0275: the MCTP
 * message type 0x05 and nothing else before the SPDM message):
 *   request   05 | 10 84 00 00
 *             SPDMVersion 1.0, RequestResponseCode 0x84, Param1/2 0
 *   response  05 | 10 04 00 00 00 04 00 10 00 11 00 12 00 13
 *             VERSION (0x04), Reserved, VersionNumberEntryCount 4, then
 *             16-bit little-endian entries, the version in bits 15:8
 * The MCTP headers are built field by field by harness_make_hdr().
 * Storage is static: nothing here or in the libraries uses the heap.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "harness.h"
#include "mctp/mctp.h"
#include "prot-posix/crypto.h"
#include "prot/spdm-mctp.h"
#include "spdm/requester.h"
#include "spdm/responder.h"

#define A_EID 0x08u /* requester */
#define B_EID 0x09u /* responder */
#define TAG_TIMEOUT_MS 100u

static const uint8_t all_versions[] = {SPDM_VERSION_10, SPDM_VERSION_11,
				       SPDM_VERSION_12, SPDM_VERSION_13};

struct env {
	struct mctp a, b;
	struct harness_link link_a, link_b;
	struct prot_crypto crypto_a, crypto_b;
	struct spdm_requester q, q_b; /* q_b, r_a: both-roles test */
	struct spdm_responder r, r_a;
	struct spdm_requester_config qcfg;
	struct spdm_responder_config rcfg;
	struct prot_spdm_mctp sm_a, sm_b;
	uint8_t version;
	unsigned int done_calls;
	int done_result;
	uint8_t done_eid;
	uint32_t now;
};

static struct env env;

static void on_done(void *ctx, struct prot_spdm_mctp *sm, uint8_t eid,
		    int result)
{
	struct env *e = ctx;

	assert_ptr_equal(sm, &e->sm_a);
	e->done_calls++;
	e->done_result = result;
	e->done_eid = eid;
}

static const struct prot_spdm_mctp_ops done_ops = {.done = on_done};

static void env_setup(uint8_t version)
{
	struct mctp_config ca = {.eid = A_EID,
				 .tag_timeout_ms = TAG_TIMEOUT_MS};
	struct mctp_config cb = {.eid = B_EID,
				 .tag_timeout_ms = TAG_TIMEOUT_MS};
	struct env *e = &env;

	prot_crypto_free(&e->crypto_a);
	prot_crypto_free(&e->crypto_b);
	memset(e, 0, sizeof(*e));
	e->version = version;
	assert_int_equal(prot_crypto_init(&e->crypto_a), 0);
	assert_int_equal(prot_crypto_init(&e->crypto_b), 0);

	assert_int_equal(mctp_init(&e->a, &ca), 0);
	assert_int_equal(mctp_init(&e->b, &cb), 0);
	harness_link_init(&e->link_a, MCTP_MAX_MTU);
	harness_link_init(&e->link_b, MCTP_MAX_MTU);
	assert_int_equal(mctp_bus_register(&e->a, &e->link_a.binding), 0);
	assert_int_equal(mctp_bus_register(&e->b, &e->link_b.binding), 0);

	e->qcfg = (struct spdm_requester_config){
		.versions = &e->version,
		.n_versions = 1,
		.ct_exponent = 12,
		.flags = SPDM_REQ_CERT_CAP | SPDM_REQ_CHAL_CAP,
		.data_transfer_size = 1024,
		.max_spdm_msg_size = 1024,
		.base_asym_algo = SPDM_ASYM_ALGO_ECDSA_P384 |
				  SPDM_ASYM_ALGO_ECDSA_P256,
		.base_hash_algo = SPDM_HASH_ALGO_SHA_384 |
				  SPDM_HASH_ALGO_SHA_256,
	};
	e->rcfg = (struct spdm_responder_config){
		.versions = all_versions,
		.n_versions = sizeof(all_versions),
		.ct_exponent = 12,
		.data_transfer_size = 1024,
		.max_spdm_msg_size = 1024,
		.base_asym_algo = SPDM_ASYM_ALGO_ECDSA_P384 |
				  SPDM_ASYM_ALGO_ECDSA_P256,
		.base_hash_algo = SPDM_HASH_ALGO_SHA_384 |
				  SPDM_HASH_ALGO_SHA_256,
	};
	assert_int_equal(spdm_requester_init(&e->q, &e->qcfg, &prot_crypto_ops,
					     &e->crypto_a),
			 0);
	assert_int_equal(spdm_responder_init(&e->r, &e->rcfg, &prot_crypto_ops,
					     &e->crypto_b),
			 0);
	assert_int_equal(prot_spdm_mctp_init(&e->sm_a, &e->a, NULL, &e->q,
					     &done_ops, e),
			 0);
	assert_int_equal(prot_spdm_mctp_init(&e->sm_b, &e->b, &e->r, NULL, NULL,
					     NULL),
			 0);
}

static int teardown(void **state)
{
	(void)state;
	prot_crypto_free(&env.crypto_a);
	prot_crypto_free(&env.crypto_b);
	return 0;
}

/* Move packets both ways until both links are quiet. */
static void pump(void)
{
	for (int i = 0; i < 100; i++) {
		size_t n = harness_link_deliver_all(&env.link_a,
						    &env.link_b.binding);

		n += harness_link_deliver_all(&env.link_b, &env.link_a.binding);
		if (!n)
			return;
	}
	fail_msg("links never went quiet");
}

/* The one queued packet of @link: header, then @payload. */
static void expect_packet(const struct harness_link *link, uint8_t dest,
			  uint8_t src, bool tag_owner, uint8_t tag,
			  const uint8_t *payload, size_t len)
{
	uint8_t hdr[MCTP_HEADER_SIZE];

	assert_int_equal(link->count, 1);
	harness_make_hdr(hdr, dest, src, true, true, 0, tag_owner, tag);
	assert_int_equal(link->queue[0].len, MCTP_HEADER_SIZE + len);
	assert_memory_equal(link->queue[0].data, hdr, MCTP_HEADER_SIZE);
	assert_memory_equal(link->queue[0].data + MCTP_HEADER_SIZE, payload,
			    len);
}

static const uint8_t golden_get_version[] = {0x05, 0x10, 0x84, 0x00, 0x00};
static const uint8_t golden_version[] = {0x05, 0x10, 0x04, 0x00, 0x00,
					 0x00, 0x04, 0x00, 0x10, 0x00,
					 0x11, 0x00, 0x12, 0x00, 0x13};

static void test_vca_each_version(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(all_versions); i++) {
		const struct spdm_connection_info *qc, *rc;
		const struct prot_spdm_mctp_counters *ca, *cb;

		env_setup(all_versions[i]);
		assert_int_equal(prot_spdm_mctp_connect(&env.sm_a, B_EID), 0);
		assert_true(prot_spdm_mctp_busy(&env.sm_a));
		pump();
		assert_false(prot_spdm_mctp_busy(&env.sm_a));
		assert_int_equal(env.done_calls, 1);
		assert_int_equal(env.done_result, 0);
		assert_int_equal(env.done_eid, B_EID);
		assert_int_equal(prot_spdm_mctp_result(&env.sm_a), 0);

		qc = spdm_requester_connection(&env.q);
		rc = spdm_responder_connection(&env.r);
		assert_non_null(qc);
		assert_non_null(rc);
		assert_int_equal(qc->version, all_versions[i]);
		assert_int_equal(rc->version, all_versions[i]);
		assert_int_equal(qc->base_hash_algo, SPDM_HASH_ALGO_SHA_384);
		assert_int_equal(qc->base_asym_algo, SPDM_ASYM_ALGO_ECDSA_P384);
		assert_int_equal(rc->base_hash_algo, qc->base_hash_algo);
		assert_int_equal(rc->base_asym_algo, qc->base_asym_algo);

		/* Three requests, three responses, nothing dropped. */
		ca = prot_spdm_mctp_get_counters(&env.sm_a);
		cb = prot_spdm_mctp_get_counters(&env.sm_b);
		assert_int_equal(ca->tx_requests, 3);
		assert_int_equal(ca->rx_responses, 3);
		assert_int_equal(cb->rx_requests, 3);
		assert_int_equal(cb->tx_responses, 3);
		assert_int_equal(ca->drop_ic + ca->drop_unexpected +
					 ca->drop_no_role + ca->tx_errors +
					 ca->timeouts,
				 0);
		assert_int_equal(cb->drop_ic + cb->drop_no_role +
					 cb->drop_responder + cb->tx_errors,
				 0);
		assert_int_equal(mctp_get_counters(&env.a)->rx_drop_unexpected,
				 0);

		/* A second connect over the same glue works too. */
		assert_int_equal(prot_spdm_mctp_connect(&env.sm_a, B_EID), 0);
		pump();
		assert_int_equal(env.done_calls, 2);
		assert_int_equal(env.done_result, 0);
	}
}

static void test_golden_bytes(void **state)
{
	uint8_t tag;

	(void)state;
	env_setup(SPDM_VERSION_12);
	assert_int_equal(prot_spdm_mctp_connect(&env.sm_a, B_EID), 0);
	tag = env.sm_a.tag;
	expect_packet(&env.link_a, B_EID, A_EID, true, tag, golden_get_version,
		      sizeof(golden_get_version));
	harness_link_deliver_all(&env.link_a, &env.link_b.binding);
	expect_packet(&env.link_b, A_EID, B_EID, false, tag, golden_version,
		      sizeof(golden_version));
	pump();
	assert_int_equal(env.done_calls, 1);
	assert_int_equal(env.done_result, 0);
}

/* A hand-made single-packet message from A to B's stack. */
static void push_to_b(const uint8_t *msg, size_t len, bool tag_owner,
		      uint8_t tag)
{
	uint8_t pkt[MCTP_HEADER_SIZE + 64];

	assert_true(len <= 64);
	harness_make_hdr(pkt, B_EID, A_EID, true, true, 0, tag_owner, tag);
	memcpy(pkt + MCTP_HEADER_SIZE, msg, len);
	assert_int_equal(
		harness_link_push(&env.link_a, pkt, MCTP_HEADER_SIZE + len), 0);
	harness_link_deliver_all(&env.link_a, &env.link_b.binding);
}

static void test_request_ic_dropped(void **state)
{
	uint8_t msg[sizeof(golden_get_version)];

	(void)state;
	env_setup(SPDM_VERSION_12);
	memcpy(msg, golden_get_version, sizeof(msg));
	msg[0] |= MCTP_MSG_TYPE_IC;
	push_to_b(msg, sizeof(msg), true, 3);
	assert_int_equal(env.link_b.count, 0);
	assert_int_equal(env.link_b.tx_calls, 0);
	assert_int_equal(prot_spdm_mctp_get_counters(&env.sm_b)->drop_ic, 1);
	assert_int_equal(prot_spdm_mctp_get_counters(&env.sm_b)->rx_requests,
			 0);
	/* The responder was not touched: still waiting for GET_VERSION. */
	assert_int_equal(env.r.state, SPDM_RESPONDER_STATE_IDLE);

	/* The same request without the IC bit is answered. */
	push_to_b(golden_get_version, sizeof(golden_get_version), true, 3);
	expect_packet(&env.link_b, A_EID, B_EID, false, 3, golden_version,
		      sizeof(golden_version));
}

static void test_other_type_not_spdm(void **state)
{
	/* Secured SPDM (type 6) is not handled here: the core drops it for
	 * want of a handler and the glue never sees it. */
	static const uint8_t msg[] = {0x06, 0x10, 0x84, 0x00, 0x00};

	(void)state;
	env_setup(SPDM_VERSION_12);
	push_to_b(msg, sizeof(msg), true, 1);
	assert_int_equal(env.link_b.count, 0);
	assert_int_equal(mctp_get_counters(&env.b)->rx_drop_no_handler, 1);
	assert_int_equal(prot_spdm_mctp_get_counters(&env.sm_b)->rx_requests,
			 0);
}

static void test_response_without_request(void **state)
{
	uint8_t pkt[MCTP_HEADER_SIZE + sizeof(golden_version)];
	int tag;

	(void)state;
	env_setup(SPDM_VERSION_12);
	/* A VERSION response to A that A never asked for. */
	harness_make_hdr(pkt, A_EID, B_EID, true, true, 0, false, 0);
	memcpy(pkt + MCTP_HEADER_SIZE, golden_version, sizeof(golden_version));
	assert_int_equal(harness_link_push(&env.link_b, pkt, sizeof(pkt)), 0);
	harness_link_deliver_all(&env.link_b, &env.link_a.binding);
	assert_int_equal(mctp_get_counters(&env.a)->rx_drop_unexpected, 1);
	assert_int_equal(prot_spdm_mctp_get_counters(&env.sm_a)->rx_responses,
			 0);
	assert_int_equal(env.done_calls, 0);
	assert_int_equal(env.q.state, SPDM_REQUESTER_STATE_IDLE);

	/* A request reaching a requester-only glue (A): dropped, no
	 * answer. B sends it on its stack directly (not through its glue). */
	tag = mctp_request_tx(&env.b, A_EID, golden_get_version,
			      sizeof(golden_get_version));
	assert_true(tag >= 0);
	harness_link_deliver_all(&env.link_b, &env.link_a.binding);
	assert_int_equal(env.link_a.count, 0);
	assert_int_equal(prot_spdm_mctp_get_counters(&env.sm_a)->drop_no_role,
			 1);

	/* A response to that request reaches B's responder-only glue (the
	 * core matches it to the tag B used): dropped too. */
	harness_make_hdr(pkt, B_EID, A_EID, true, true, 0, false, (uint8_t)tag);
	assert_int_equal(harness_link_push(&env.link_a, pkt, sizeof(pkt)), 0);
	harness_link_deliver_all(&env.link_a, &env.link_b.binding);
	assert_int_equal(mctp_get_counters(&env.b)->rx_messages, 1);
	assert_int_equal(prot_spdm_mctp_get_counters(&env.sm_b)->drop_no_role,
			 1);
	assert_int_equal(env.link_b.count, 0);
}

/* Expire A's request tags. */
static void expire(void)
{
	env.now += TAG_TIMEOUT_MS + 1;
	mctp_poll(&env.a, env.now);
}

static void test_tag_timeout(void **state)
{
	unsigned int sends;

	(void)state;
	env_setup(SPDM_VERSION_12);
	assert_int_equal(prot_spdm_mctp_connect(&env.sm_a, B_EID), 0);
	/* The request and each retry is lost; after the requester's
	 * retries the flow ends with -ETIMEDOUT. */
	for (sends = 1; sends <= 1 + SPDM_REQUESTER_MAX_RETRIES; sends++) {
		assert_int_equal(env.link_a.count, 1);
		assert_memory_equal(env.link_a.queue[0].data + MCTP_HEADER_SIZE,
				    golden_get_version,
				    sizeof(golden_get_version));
		assert_int_equal(harness_link_drop(&env.link_a, 0), 0);
		assert_int_equal(env.done_calls, 0);
		expire();
	}
	assert_int_equal(env.link_a.count, 0);
	assert_int_equal(env.done_calls, 1);
	assert_int_equal(env.done_result, -ETIMEDOUT);
	assert_false(prot_spdm_mctp_busy(&env.sm_a));
	assert_int_equal(prot_spdm_mctp_get_counters(&env.sm_a)->timeouts,
			 1 + SPDM_REQUESTER_MAX_RETRIES);
	assert_int_equal(prot_spdm_mctp_get_counters(&env.sm_a)->tx_requests,
			 1 + SPDM_REQUESTER_MAX_RETRIES);
	assert_null(spdm_requester_connection(&env.q));

	/* One lost request, then the retry gets through. */
	assert_int_equal(prot_spdm_mctp_connect(&env.sm_a, B_EID), 0);
	assert_int_equal(harness_link_drop(&env.link_a, 0), 0);
	expire();
	pump();
	assert_int_equal(env.done_calls, 2);
	assert_int_equal(env.done_result, 0);
	assert_non_null(spdm_requester_connection(&env.q));
}

static void test_response_ic_is_lost(void **state)
{
	(void)state;
	env_setup(SPDM_VERSION_12);
	assert_int_equal(prot_spdm_mctp_connect(&env.sm_a, B_EID), 0);
	harness_link_deliver_all(&env.link_a, &env.link_b.binding);
	/* Set the IC bit of the VERSION response's type byte. */
	assert_int_equal(env.link_b.count, 1);
	assert_int_equal(harness_link_corrupt(&env.link_b, 0, MCTP_HEADER_SIZE,
					      MCTP_MSG_TYPE_IC),
			 0);
	harness_link_deliver_all(&env.link_b, &env.link_a.binding);
	assert_int_equal(prot_spdm_mctp_get_counters(&env.sm_a)->drop_ic, 1);
	assert_int_equal(prot_spdm_mctp_get_counters(&env.sm_a)->rx_responses,
			 0);
	/* Handled as lost: GET_VERSION is sent again at once. */
	expect_packet(&env.link_a, B_EID, A_EID, true, env.sm_a.tag,
		      golden_get_version, sizeof(golden_get_version));
	pump();
	assert_int_equal(env.done_calls, 1);
	assert_int_equal(env.done_result, 0);
}

static void test_stale_response_dropped(void **state)
{
	uint8_t pkt[MCTP_HEADER_SIZE + sizeof(golden_version)];
	uint8_t tag;

	(void)state;
	env_setup(SPDM_VERSION_12);
	assert_int_equal(prot_spdm_mctp_connect(&env.sm_a, B_EID), 0);
	tag = env.sm_a.tag;
	/* A response from another EID with our tag: the core drops it
	 * (no request to that peer). */
	harness_make_hdr(pkt, A_EID, 0x0Au, true, true, 0, false, tag);
	memcpy(pkt + MCTP_HEADER_SIZE, golden_version, sizeof(golden_version));
	assert_int_equal(harness_link_push(&env.link_b, pkt, sizeof(pkt)), 0);
	harness_link_deliver_all(&env.link_b, &env.link_a.binding);
	assert_int_equal(mctp_get_counters(&env.a)->rx_drop_unexpected, 1);
	assert_true(prot_spdm_mctp_busy(&env.sm_a));
	pump();
	assert_int_equal(env.done_calls, 1);
	assert_int_equal(env.done_result, 0);

	/* A type-5 request sent on A's stack around the glue: the core
	 * hands its response to the glue, which has nothing in flight. */
	assert_true(mctp_request_tx(&env.a, B_EID, golden_get_version,
				    sizeof(golden_get_version)) >= 0);
	pump();
	assert_int_equal(
		prot_spdm_mctp_get_counters(&env.sm_a)->drop_unexpected, 1);
	assert_int_equal(env.done_calls, 1);
	assert_non_null(spdm_requester_connection(&env.q));
}

static void test_responder_error_is_forwarded(void **state)
{
	/* GET_CAPABILITIES before GET_VERSION: the responder answers
	 * ERROR UnexpectedRequest (0x04), and the glue sends it back. */
	static const uint8_t req[] = {0x05, 0x10, 0xE1, 0x00, 0x00};
	static const uint8_t rsp[] = {0x05, 0x10, 0x7F, 0x04, 0x00};

	(void)state;
	env_setup(SPDM_VERSION_12);
	push_to_b(req, sizeof(req), true, 5);
	expect_packet(&env.link_b, A_EID, B_EID, false, 5, rsp, sizeof(rsp));
	/* An empty SPDM message gets an ERROR as well. */
	harness_link_clear(&env.link_b);
	push_to_b(req, 1, true, 6);
	assert_int_equal(env.link_b.count, 1);
	assert_int_equal(env.link_b.queue[0].data[MCTP_HEADER_SIZE + 2], 0x7F);
}

static void test_tx_errors(void **state)
{
	(void)state;
	env_setup(SPDM_VERSION_12);
	env.link_a.tx_error = -EIO;
	/* Every attempt fails: the requester's retries, then the error. */
	assert_int_equal(prot_spdm_mctp_connect(&env.sm_a, B_EID), -EIO);
	assert_int_equal(env.link_a.tx_calls, 1 + SPDM_REQUESTER_MAX_RETRIES);
	assert_int_equal(prot_spdm_mctp_get_counters(&env.sm_a)->tx_errors,
			 1 + SPDM_REQUESTER_MAX_RETRIES);
	assert_false(prot_spdm_mctp_busy(&env.sm_a));
	assert_int_equal(prot_spdm_mctp_result(&env.sm_a), -EIO);
	assert_int_equal(env.done_calls, 0);

	/* The link comes back: connect works again. */
	env.link_a.tx_error = 0;
	assert_int_equal(prot_spdm_mctp_connect(&env.sm_a, B_EID), 0);
	pump();
	assert_int_equal(env.done_result, 0);

	/* A response that cannot be sent is counted at the responder. */
	env.link_b.tx_error = -EIO;
	push_to_b(golden_get_version, sizeof(golden_get_version), true, 2);
	assert_int_equal(prot_spdm_mctp_get_counters(&env.sm_b)->tx_errors, 1);
}

static void test_api_errors(void **state)
{
	(void)state;
	env_setup(SPDM_VERSION_12);
	assert_int_equal(prot_spdm_mctp_init(NULL, &env.a, NULL, &env.q, NULL,
					     NULL),
			 -EINVAL);
	assert_int_equal(prot_spdm_mctp_init(&env.sm_a, NULL, NULL, &env.q,
					     NULL, NULL),
			 -EINVAL);
	assert_int_equal(prot_spdm_mctp_init(&env.sm_a, &env.a, NULL, NULL,
					     NULL, NULL),
			 -EINVAL);
	assert_int_equal(prot_spdm_mctp_init(&env.sm_a, &env.a, NULL, &env.q,
					     &done_ops, &env),
			 0);
	/* No requester, reserved or broadcast EID, no flow started. */
	assert_int_equal(prot_spdm_mctp_connect(&env.sm_b, A_EID), -EINVAL);
	assert_int_equal(prot_spdm_mctp_start(&env.sm_b, A_EID), -EINVAL);
	assert_int_equal(prot_spdm_mctp_connect(&env.sm_a, 0x03), -EINVAL);
	assert_int_equal(prot_spdm_mctp_connect(&env.sm_a, MCTP_EID_BROADCAST),
			 -EINVAL);
	assert_int_equal(prot_spdm_mctp_start(&env.sm_a, B_EID), -EINVAL);
	assert_int_equal(env.link_a.tx_calls, 0);
	/* One flow at a time. */
	assert_int_equal(prot_spdm_mctp_connect(&env.sm_a, B_EID), 0);
	assert_int_equal(prot_spdm_mctp_connect(&env.sm_a, B_EID), -EBUSY);
	assert_int_equal(prot_spdm_mctp_start(&env.sm_a, B_EID), -EBUSY);
	pump();
	assert_int_equal(env.done_calls, 1);
	assert_int_equal(env.done_result, 0);
	/* Type 5 is registered: Get Message Type Support would list it. */
	{
		uint8_t types[4];

		assert_int_equal(mctp_get_types(&env.b, types, 4), 1);
		assert_int_equal(types[0], MCTP_MSG_TYPE_SPDM);
	}
}

static void on_done_b(void *ctx, struct prot_spdm_mctp *sm, uint8_t eid,
		      int result)
{
	int *out = ctx;

	assert_ptr_equal(sm, &env.sm_b);
	assert_int_equal(eid, A_EID);
	*out = result;
}

static void test_both_roles(void **state)
{
	static const struct prot_spdm_mctp_ops ops_b = {.done = on_done_b};
	int result_b = 1;

	(void)state;
	env_setup(SPDM_VERSION_11);
	/* Each glue is requester and responder at once; both connect to
	 * the other at the same time, their messages interleaved. */
	assert_int_equal(spdm_requester_init(&env.q_b, &env.qcfg,
					     &prot_crypto_ops, &env.crypto_b),
			 0);
	assert_int_equal(spdm_responder_init(&env.r_a, &env.rcfg,
					     &prot_crypto_ops, &env.crypto_a),
			 0);
	assert_int_equal(prot_spdm_mctp_init(&env.sm_a, &env.a, &env.r_a,
					     &env.q, &done_ops, &env),
			 0);
	assert_int_equal(prot_spdm_mctp_init(&env.sm_b, &env.b, &env.r,
					     &env.q_b, &ops_b, &result_b),
			 0);
	assert_int_equal(prot_spdm_mctp_connect(&env.sm_a, B_EID), 0);
	assert_int_equal(prot_spdm_mctp_connect(&env.sm_b, A_EID), 0);
	pump();
	assert_int_equal(env.done_calls, 1);
	assert_int_equal(env.done_result, 0);
	assert_int_equal(result_b, 0);
	assert_int_equal(spdm_requester_connection(&env.q)->version,
			 SPDM_VERSION_11);
	assert_int_equal(spdm_requester_connection(&env.q_b)->version,
			 SPDM_VERSION_11);
	assert_non_null(spdm_responder_connection(&env.r));
	assert_non_null(spdm_responder_connection(&env.r_a));
	assert_int_equal(prot_spdm_mctp_get_counters(&env.sm_a)->tx_requests,
			 3);
	assert_int_equal(prot_spdm_mctp_get_counters(&env.sm_a)->tx_responses,
			 3);
	assert_int_equal(prot_spdm_mctp_get_counters(&env.sm_b)->tx_requests,
			 3);
	assert_int_equal(prot_spdm_mctp_get_counters(&env.sm_b)->tx_responses,
			 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_vca_each_version, teardown),
		cmocka_unit_test_teardown(test_golden_bytes, teardown),
		cmocka_unit_test_teardown(test_request_ic_dropped, teardown),
		cmocka_unit_test_teardown(test_other_type_not_spdm, teardown),
		cmocka_unit_test_teardown(test_response_without_request,
					  teardown),
		cmocka_unit_test_teardown(test_tag_timeout, teardown),
		cmocka_unit_test_teardown(test_response_ic_is_lost, teardown),
		cmocka_unit_test_teardown(test_stale_response_dropped,
					  teardown),
		cmocka_unit_test_teardown(test_responder_error_is_forwarded,
					  teardown),
		cmocka_unit_test_teardown(test_tx_errors, teardown),
		cmocka_unit_test_teardown(test_api_errors, teardown),
		cmocka_unit_test_teardown(test_both_roles, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
