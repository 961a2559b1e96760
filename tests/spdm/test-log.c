/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The log op of the requester and the responder: the state changes of a
 * connection at SPDM_LOG_INFO, refusals (an ERROR sent by the responder,
 * an ERROR received by the requester, the failed flow) at SPDM_LOG_DEBUG,
 * log_level filtering, and nothing with no op. With -Dspdm_log=false the
 * op is never called.
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
#include "spdm/config.h"

#define MAX_LOG 32u

struct sink {
	enum spdm_log_level level[MAX_LOG];
	char text[MAX_LOG][80];
	unsigned int n;
};

__attribute__((format(printf, 3, 4))) static void
sink_log(void *ctx, enum spdm_log_level level, const char *fmt, ...)
{
	struct sink *s = ctx;
	va_list ap;

	assert_true(s->n < MAX_LOG);
	s->level[s->n] = level;
	va_start(ap, fmt);
	vsnprintf(s->text[s->n], sizeof(s->text[0]), fmt, ap);
	va_end(ap);
	s->n++;
}

static const struct spdm_log_ops sink_ops = {.log = sink_log};

struct env {
	struct fake_crypto crypto;
	struct spdm_requester_config qc;
	struct spdm_responder_config rc;
	struct spdm_requester q;
	struct spdm_responder r;
	struct sink qlog, rlog;
};

static struct env env;

static void setup(bool with_log, enum spdm_log_level level)
{
	memset(&env, 0, sizeof(env));
	env.crypto.hash_algos = FAKE_HASH_ALL;
	env.crypto.asym_algos = FAKE_ASYM_ALL;
	env.qc = req_config(all_versions, 4);
	env.rc = rsp_config(all_versions, 4);
	if (with_log) {
		env.qc.log_ops = &sink_ops;
		env.qc.log_ctx = &env.qlog;
		env.qc.log_level = level;
		env.rc.log_ops = &sink_ops;
		env.rc.log_ctx = &env.rlog;
		env.rc.log_level = level;
	}
	assert_int_equal(spdm_requester_init(&env.q, &env.qc, &fake_crypto_ops,
					     &env.crypto),
			 0);
	assert_int_equal(spdm_responder_init(&env.r, &env.rc, &fake_crypto_ops,
					     &env.crypto),
			 0);
}

static int connect(void)
{
	uint8_t req[SPDM_REQUESTER_REQ_SIZE], rsp[SPDM_MAX_MSG_SIZE];
	size_t req_len, rsp_len;
	int err, steps = 0;

	assert_int_equal(spdm_requester_connect(&env.q), 0);
	do {
		req_len = sizeof(req);
		rsp_len = sizeof(rsp);
		assert_int_equal(spdm_requester_next(&env.q, req, &req_len), 0);
		assert_int_equal(spdm_responder_handle(&env.r, req, req_len,
						       rsp, &rsp_len),
				 0);
		err = spdm_requester_rx(&env.q, rsp, rsp_len);
		assert_true(++steps < 20);
	} while (err == -EAGAIN);
	return err;
}

static void expect(const struct sink *s, unsigned int i,
		   enum spdm_log_level level, const char *text)
{
	assert_true(i < s->n);
	assert_int_equal(s->level[i], level);
	assert_string_equal(s->text[i], text);
}

static void test_connection_logged(void **state)
{
	(void)state;
	setup(true, 0);
	assert_int_equal(connect(), 0);
	if (!SPDM_LOG_ENABLED) {
		assert_int_equal(env.qlog.n + env.rlog.n, 0);
		return;
	}
	/* IDLE -> AFTER_VERSION -> AFTER_CAPABILITIES -> NEGOTIATED */
	assert_int_equal(env.rlog.n, 3);
	expect(&env.rlog, 0, SPDM_LOG_INFO, "responder: state 0 -> 1");
	expect(&env.rlog, 1, SPDM_LOG_INFO, "responder: state 1 -> 2");
	expect(&env.rlog, 2, SPDM_LOG_INFO, "responder: state 2 -> 3");
	/* IDLE -> GET_VERSION -> GET_CAPABILITIES -> NEGOTIATE_ALGORITHMS ->
	 * NEGOTIATED */
	assert_int_equal(env.qlog.n, 4);
	expect(&env.qlog, 0, SPDM_LOG_INFO, "requester: state 0 -> 1");
	expect(&env.qlog, 1, SPDM_LOG_INFO, "requester: state 1 -> 2");
	expect(&env.qlog, 2, SPDM_LOG_INFO, "requester: state 2 -> 3");
	expect(&env.qlog, 3, SPDM_LOG_INFO, "requester: state 3 -> 4");
	/* A new GET_VERSION restarts the responder's connection. */
	env.rlog.n = env.qlog.n = 0;
	assert_int_equal(connect(), 0);
	expect(&env.rlog, 0, SPDM_LOG_INFO, "responder: state 3 -> 1");
	expect(&env.qlog, 0, SPDM_LOG_INFO, "requester: state 4 -> 0");
	expect(&env.qlog, 1, SPDM_LOG_INFO, "requester: state 0 -> 1");
}

static void test_refusals_logged(void **state)
{
	/* GET_CAPABILITIES 1.0 before GET_VERSION */
	static const uint8_t early[] = {0x10, 0xE1, 0x00, 0x00};
	/* ERROR InvalidRequest (0x01) */
	static const uint8_t error[] = {0x10, 0x7F, 0x01, 0x00};
	uint8_t req[SPDM_REQUESTER_REQ_SIZE], rsp[64];
	size_t req_len = sizeof(req), rsp_len = sizeof(rsp);

	(void)state;
	setup(true, 0);
	assert_int_equal(spdm_responder_handle(&env.r, early, sizeof(early),
					       rsp, &rsp_len),
			 0);
	assert_int_equal(rsp[1], SPDM_ERROR);
	assert_int_equal(spdm_requester_connect(&env.q), 0);
	assert_int_equal(spdm_requester_next(&env.q, req, &req_len), 0);
	assert_int_equal(spdm_requester_rx(&env.q, error, sizeof(error)),
			 -EPROTO);
	if (!SPDM_LOG_ENABLED) {
		assert_int_equal(env.qlog.n + env.rlog.n, 0);
		return;
	}
	assert_int_equal(env.rlog.n, 1);
	expect(&env.rlog, 0, SPDM_LOG_DEBUG,
	       "responder: request 0xe1 refused: error 0x4");
	assert_int_equal(env.qlog.n, 4);
	expect(&env.qlog, 0, SPDM_LOG_INFO, "requester: state 0 -> 1");
	expect(&env.qlog, 1, SPDM_LOG_DEBUG,
	       "requester: ERROR 0x1 to request 0x84");
	char failed[32];

	snprintf(failed, sizeof(failed), "requester: flow failed (%d)",
		 -EPROTO);
	expect(&env.qlog, 2, SPDM_LOG_DEBUG, failed);
	expect(&env.qlog, 3, SPDM_LOG_INFO, "requester: state 1 -> 0");

	/* log_level INFO: the refusals are not passed */
	setup(true, SPDM_LOG_INFO);
	rsp_len = sizeof(rsp);
	assert_int_equal(spdm_responder_handle(&env.r, early, sizeof(early),
					       rsp, &rsp_len),
			 0);
	assert_int_equal(env.rlog.n, 0);
	assert_int_equal(connect(), 0);
	assert_int_equal(env.rlog.n, 3);
	for (unsigned int i = 0; i < env.rlog.n; i++)
		assert_int_equal(env.rlog.level[i], SPDM_LOG_INFO);
}

static void test_no_log_op(void **state)
{
	static const struct spdm_log_ops empty = {0};

	(void)state;
	setup(false, 0);
	assert_int_equal(connect(), 0);
	assert_int_equal(env.qlog.n + env.rlog.n, 0);
	/* an ops table without a function is no op either */
	setup(false, 0);
	env.qc.log_ops = &empty;
	env.rc.log_ops = &empty;
	assert_int_equal(connect(), 0);
	assert_int_equal(env.qlog.n + env.rlog.n, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_connection_logged),
		cmocka_unit_test(test_refusals_logged),
		cmocka_unit_test(test_no_log_op),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
