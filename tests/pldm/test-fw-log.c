/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The log op of the FD and the UA: the transition tables against
 * DSP0267's FD state machine (written out here independently), the
 * transitions a complete update and a cancelled one log, at which level,
 * each of them allowed by the table; nothing logged with no op, or above
 * log_level. With -Dpldm_log=false the op is never called.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "pldm/base.h"
#include "pldm/config.h"
#include "pldm/fw-agent.h"
#include "pldm/fw-device.h"
#include "pldm/fw-package.h"
#include "pldm/fw-update.h"

#ifndef PLDM_VECTOR_DIR
#error "PLDM_VECTOR_DIR must be set by the build"
#endif

#define MAX_MSG 1100u
#define MAX_LOG 256u

/* ---- The log sink --------------------------------------------------- */

struct entry {
	enum pldm_log_level level;
	char text[96];
	/* "FD: state %u -> %u": the numbers */
	bool fd_transition;
	unsigned from, to;
};

struct sink {
	struct entry e[MAX_LOG];
	unsigned n;
	bool overflow;
};

__attribute__((format(printf, 3, 4))) static void
sink_log(void *ctx, enum pldm_log_level level, const char *fmt, ...)
{
	struct sink *s = ctx;
	struct entry *e;
	va_list ap;

	if (s->n == MAX_LOG) {
		s->overflow = true;
		return;
	}
	e = &s->e[s->n++];
	e->level = level;
	va_start(ap, fmt);
	if (strcmp(fmt, "FD: state %u -> %u") == 0) {
		e->fd_transition = true;
		e->from = va_arg(ap, unsigned int);
		e->to = va_arg(ap, unsigned int);
		snprintf(e->text, sizeof(e->text), "FD: state %u -> %u",
			 e->from, e->to);
	} else {
		vsnprintf(e->text, sizeof(e->text), fmt, ap);
	}
	va_end(ap);
}

static const struct pldm_log_ops sink_ops = {.log = sink_log};

/* ---- A device that takes everything ---------------------------------- */

static uint8_t dev_component(void *ctx,
			     const struct pldm_fd_component_request *req,
			     bool update)
{
	(void)ctx;
	(void)req;
	(void)update;
	return PLDM_FW_CRC_CAN_BE_UPDATED;
}

static int dev_write(void *ctx, uint16_t index, uint32_t offset,
		     const uint8_t *data, size_t len)
{
	(void)ctx;
	(void)index;
	(void)offset;
	(void)data;
	(void)len;
	return 0;
}

static int dev_verify(void *ctx, uint16_t index)
{
	(void)ctx;
	(void)index;
	return 0;
}

static int dev_apply(void *ctx, uint16_t index, uint16_t *mod)
{
	(void)ctx;
	(void)index;
	(void)mod;
	return PLDM_FW_APPLY_SUCCESS;
}

static int dev_activate(void *ctx, bool self_contained, uint16_t *est)
{
	(void)ctx;
	(void)self_contained;
	*est = 0;
	return 0;
}

static const uint8_t iana[] = {0x47, 0x16, 0x00, 0x00};
static const uint8_t pci_dev[] = {0x34, 0x12};
static const uint8_t vendor[] = {0x01, 0x04, 'D', 'e', 'm', 'o', 0xCA, 0xFE};
static const uint8_t v_active[] = "active-1";
static const uint8_t v_set[] = "set-1";

static const struct pldm_fd_ops fd_ops = {
	.component = dev_component,
	.write = dev_write,
	.verify = dev_verify,
	.apply = dev_apply,
	.activate = dev_activate,
};

struct world {
	struct pldm_fd_descriptor descs[3];
	struct pldm_fd_component comps[2];
	struct pldm_fd_config fd_cfg;
	struct pldm_fd fd;
	struct pldm_ua_config ua_cfg;
	struct pldm_ua ua;
	struct pldm_package pkg;
	uint32_t now;
	struct sink fd_log, ua_log;
	enum pldm_ua_phase cancel_at; /* IDLE: none */
};

static uint8_t pkg_buf[4096];
static size_t pkg_len;

static int setup_files(void **state)
{
	char path[512];
	FILE *fp;

	(void)state;
	snprintf(path, sizeof(path), "%s/sample-v1.3.pldm", PLDM_VECTOR_DIR);
	fp = fopen(path, "rb");
	if (!fp)
		return -1;
	pkg_len = fread(pkg_buf, 1, sizeof(pkg_buf), fp);
	fclose(fp);
	return pkg_len > 0 && pkg_len < sizeof(pkg_buf) ? 0 : -1;
}

static void world_init(struct world *w, bool with_log)
{
	memset(w, 0, sizeof(*w));
	w->descs[0] = (struct pldm_fd_descriptor){0x0001, sizeof(iana), iana};
	w->descs[1] =
		(struct pldm_fd_descriptor){0x0100, sizeof(pci_dev), pci_dev};
	w->descs[2] =
		(struct pldm_fd_descriptor){0xFFFF, sizeof(vendor), vendor};
	for (unsigned i = 0; i < 2; i++) {
		struct pldm_fd_component *c = &w->comps[i];

		c->classification = PLDM_FW_CLASS_FIRMWARE;
		c->identifier = (uint16_t)(i + 1);
		c->active_version = (struct pldm_fd_string){
			PLDM_FD_STRING_ASCII, sizeof(v_active) - 1, v_active};
		c->pending_comparison_stamp = PLDM_FW_NO_COMPARISON_STAMP;
		c->activation_methods = PLDM_FW_ACTIVATION_AUTOMATIC;
	}
	w->comps[0].active_comparison_stamp = 1;
	w->fd_cfg.descriptors = w->descs;
	w->fd_cfg.n_descriptors = 3;
	w->fd_cfg.components = w->comps;
	w->fd_cfg.n_components = 2;
	w->fd_cfg.active_image_set_version = (struct pldm_fd_string){
		PLDM_FD_STRING_ASCII, sizeof(v_set) - 1, v_set};
	w->fd_cfg.max_transfer_size = 1024;
	w->ua_cfg.tid = 9;
	w->ua_cfg.max_transfer_size = 64;
	w->ua_cfg.retries = PLDM_FW_PN1_RETRIES;
	if (with_log) {
		w->fd_cfg.log_ops = &sink_ops;
		w->fd_cfg.log_ctx = &w->fd_log;
		w->ua_cfg.log_ops = &sink_ops;
		w->ua_cfg.log_ctx = &w->ua_log;
	}
	w->now = 1000;
}

static void world_start(struct world *w)
{
	assert_int_equal(pldm_package_parse(&w->pkg, pkg_buf, pkg_len), 0);
	assert_int_equal(pldm_fd_init(&w->fd, &w->fd_cfg, &fd_ops), 0);
	assert_int_equal(pldm_ua_init(&w->ua, &w->ua_cfg), 0);
	assert_int_equal(pldm_ua_start(&w->ua, &w->pkg, w->now), 0);
}

static void to_ua(struct world *w, const uint8_t *m, size_t len);

/* A message from the UA to the FD; what comes back goes to the UA. */
static void to_fd(struct world *w, const uint8_t *m, size_t len)
{
	uint8_t out[MAX_MSG];
	size_t out_len = sizeof(out);

	if (m[0] & PLDM_HDR_RQ) {
		assert_int_equal(pldm_fd_handle(&w->fd, w->now, m, len, out,
						&out_len),
				 0);
		to_ua(w, out, out_len);
	} else {
		assert_int_equal(
			pldm_fd_handle_response(&w->fd, w->now, m, len), 0);
	}
}

static void to_ua(struct world *w, const uint8_t *m, size_t len)
{
	uint8_t out[MAX_MSG];
	size_t out_len = sizeof(out);

	assert_int_equal(pldm_ua_rx(&w->ua, w->now, m, len, out, &out_len), 0);
	if (w->cancel_at != PLDM_UA_PHASE_IDLE &&
	    pldm_ua_phase(&w->ua) == w->cancel_at) {
		assert_int_equal(pldm_ua_cancel(&w->ua, w->now), 0);
		w->cancel_at = PLDM_UA_PHASE_IDLE;
	}
	if (out_len)
		to_fd(w, out, out_len);
}

static enum pldm_ua_result run(struct world *w)
{
	uint8_t out[MAX_MSG];
	size_t len;

	for (unsigned i = 0; i < 2000; i++) {
		len = sizeof(out);
		assert_int_equal(pldm_ua_poll(&w->ua, w->now, out, &len), 0);
		if (len)
			to_fd(w, out, len);
		len = sizeof(out);
		assert_int_equal(pldm_fd_poll(&w->fd, w->now, out, &len), 0);
		if (len)
			to_ua(w, out, len);
		if (pldm_ua_result(&w->ua, NULL) != PLDM_UA_RESULT_NONE &&
		    pldm_fd_state(&w->fd) == PLDM_FW_STATE_IDLE)
			break;
		w->now += 10;
	}
	return pldm_ua_result(&w->ua, NULL);
}

/* ---- The tables ------------------------------------------------------- */

/* DSP0267 FD state machine, written out from the spec's state table. */
static bool dsp0267_allows(unsigned from, unsigned to)
{
	enum { I, L, R, D, V, A, T }; /* IDLE .. ACTIVATE */
	static const char *const next[] = {
		[I] = "L",   [L] = "RI", [R] = "DTI", [D] = "VRI",
		[V] = "ARI", [A] = "RI", [T] = "I",
	};
	static const char names[] = "ILRDVAT";

	return from < 7 && to < 7 && strchr(next[from], names[to]) != NULL;
}

static void test_fd_table(void **state)
{
	unsigned allowed = 0;

	(void)state;
	for (unsigned from = 0; from < 9; from++)
		for (unsigned to = 0; to < 9; to++) {
			bool a = pldm_fd_transition_allowed((uint8_t)from,
							    (uint8_t)to);

			if (a != dsp0267_allows(from, to))
				fail_msg("FD %u -> %u: table says %d", from, to,
					 a);
			allowed += a;
		}
	assert_int_equal(allowed, 15);
	assert_false(pldm_fd_transition_allowed(0xFF, 0));
}

static void test_ua_table(void **state)
{
	(void)state;
	/* the forward path of an update */
	const enum pldm_ua_phase path[] = {
		PLDM_UA_PHASE_IDLE,
		PLDM_UA_PHASE_IDENTIFY,
		PLDM_UA_PHASE_GET_PARAMETERS,
		PLDM_UA_PHASE_REQUEST_UPDATE,
		PLDM_UA_PHASE_PACKAGE_DATA,
		PLDM_UA_PHASE_DEVICE_METADATA,
		PLDM_UA_PHASE_PASS_COMPONENT_TABLE,
		PLDM_UA_PHASE_UPDATE_COMPONENT,
		PLDM_UA_PHASE_DOWNLOAD,
		PLDM_UA_PHASE_VERIFY,
		PLDM_UA_PHASE_APPLY,
		PLDM_UA_PHASE_ACTIVATE,
		PLDM_UA_PHASE_DONE,
		PLDM_UA_PHASE_IDENTIFY,
	};
	for (unsigned i = 0; i + 1 < sizeof(path) / sizeof(path[0]); i++)
		assert_true(pldm_ua_transition_allowed(path[i], path[i + 1]));
	/* staying is always allowed */
	for (unsigned p = 0; p <= PLDM_UA_PHASE_DEVICE_METADATA; p++)
		assert_true(pldm_ua_transition_allowed(p, p));
	/* backwards, skipping RequestUpdate, leaving DONE or IDLE other than
	 * to start, CANCEL other than to DONE: all refused */
	assert_false(pldm_ua_transition_allowed(PLDM_UA_PHASE_VERIFY,
						PLDM_UA_PHASE_DOWNLOAD));
	assert_false(
		pldm_ua_transition_allowed(PLDM_UA_PHASE_GET_PARAMETERS,
					   PLDM_UA_PHASE_PASS_COMPONENT_TABLE));
	assert_false(pldm_ua_transition_allowed(PLDM_UA_PHASE_DONE,
						PLDM_UA_PHASE_CANCEL));
	assert_false(pldm_ua_transition_allowed(PLDM_UA_PHASE_IDLE,
						PLDM_UA_PHASE_DONE));
	assert_false(pldm_ua_transition_allowed(PLDM_UA_PHASE_CANCEL,
						PLDM_UA_PHASE_IDENTIFY));
	assert_false(pldm_ua_transition_allowed(PLDM_UA_PHASE_ACTIVATE,
						PLDM_UA_PHASE_DOWNLOAD));
	assert_false(pldm_ua_transition_allowed(PLDM_UA_PHASE_IDLE, 40));
	assert_false(pldm_ua_transition_allowed(40, PLDM_UA_PHASE_IDLE));
}

/* ---- Logged flows ----------------------------------------------------- */

/* Every FD transition logged is allowed and chains from the last one;
 * returns how many there were. */
static unsigned check_fd_chain(const struct sink *s)
{
	unsigned cur = PLDM_FW_STATE_IDLE, n = 0;

	assert_false(s->overflow);
	for (unsigned i = 0; i < s->n; i++) {
		const struct entry *e = &s->e[i];

		if (!e->fd_transition)
			continue;
		assert_int_equal(e->level, PLDM_LOG_INFO);
		assert_int_equal(e->from, cur);
		assert_true(pldm_fd_transition_allowed((uint8_t)e->from,
						       (uint8_t)e->to));
		cur = e->to;
		n++;
	}
	return n;
}

static unsigned count(const struct sink *s, enum pldm_log_level level,
		      const char *text)
{
	unsigned n = 0;

	for (unsigned i = 0; i < s->n; i++)
		n += s->e[i].level == level && !strcmp(s->e[i].text, text);
	return n;
}

static void test_log_complete_update(void **state)
{
	static struct world w;
	/* IDLE, LEARN, READY, (DOWNLOAD, VERIFY, APPLY, READY) x 2,
	 * ACTIVATE, IDLE */
	static const unsigned expect[][2] = {
		{0, 1}, {1, 2}, {2, 3}, {3, 4}, {4, 5}, {5, 2},
		{2, 3}, {3, 4}, {4, 5}, {5, 2}, {2, 6}, {6, 0},
	};
	unsigned k = 0;

	(void)state;
	world_init(&w, true);
	world_start(&w);
	assert_int_equal(run(&w), PLDM_UA_RESULT_SUCCESS);
	if (!PLDM_LOG_ENABLED) {
		assert_int_equal(w.fd_log.n, 0);
		assert_int_equal(w.ua_log.n, 0);
		return;
	}
	assert_int_equal(check_fd_chain(&w.fd_log), 12);
	for (unsigned i = 0; i < w.fd_log.n; i++) {
		if (!w.fd_log.e[i].fd_transition)
			continue;
		assert_int_equal(w.fd_log.e[i].from, expect[k][0]);
		assert_int_equal(w.fd_log.e[i].to, expect[k][1]);
		k++;
	}
	assert_int_equal(count(&w.fd_log, PLDM_LOG_NOTICE,
			       "FD: update mode entered"),
			 1);
	assert_int_equal(count(&w.fd_log, PLDM_LOG_NOTICE,
			       "FD: update mode left, reason 1"),
			 1);
	assert_int_equal(w.fd_log.n, 14); /* nothing else */

	assert_false(w.ua_log.overflow);
	assert_int_equal(
		count(&w.ua_log, PLDM_LOG_NOTICE, "UA: update started"), 1);
	assert_int_equal(count(&w.ua_log, PLDM_LOG_NOTICE,
			       "UA: update ended: success"),
			 1);
	assert_int_equal(count(&w.ua_log, PLDM_LOG_INFO,
			       "UA: phase idle -> identify"),
			 1);
	assert_int_equal(count(&w.ua_log, PLDM_LOG_INFO,
			       "UA: phase verify -> apply"),
			 2);
	assert_int_equal(count(&w.ua_log, PLDM_LOG_INFO,
			       "UA: phase apply -> update-component"),
			 1);
	assert_int_equal(count(&w.ua_log, PLDM_LOG_INFO,
			       "UA: phase apply -> activate"),
			 1);
	assert_int_equal(count(&w.ua_log, PLDM_LOG_INFO,
			       "UA: phase activate -> done"),
			 1);
	for (unsigned i = 0; i < w.ua_log.n; i++)
		assert_true(w.ua_log.e[i].level == PLDM_LOG_INFO ||
			    w.ua_log.e[i].level == PLDM_LOG_NOTICE);

	/* log_level NOTICE drops the INFO transitions */
	world_init(&w, true);
	w.fd_cfg.log_level = PLDM_LOG_NOTICE;
	w.ua_cfg.log_level = PLDM_LOG_NOTICE;
	world_start(&w);
	assert_int_equal(run(&w), PLDM_UA_RESULT_SUCCESS);
	assert_int_equal(w.fd_log.n, 2);
	assert_int_equal(w.ua_log.n, 2);
}

static void test_log_cancel(void **state)
{
	static struct world w;

	(void)state;
	world_init(&w, true);
	w.cancel_at = PLDM_UA_PHASE_DOWNLOAD;
	world_start(&w);
	assert_int_equal(run(&w), PLDM_UA_RESULT_CANCELLED);
	if (!PLDM_LOG_ENABLED) {
		assert_int_equal(w.fd_log.n + w.ua_log.n, 0);
		return;
	}
	check_fd_chain(&w.fd_log);
	assert_int_equal(pldm_fd_state(&w.fd), PLDM_FW_STATE_IDLE);
	assert_int_equal(count(&w.fd_log, PLDM_LOG_WARNING,
			       "FD: update mode left, reason 2"),
			 1);
	assert_int_equal(count(&w.fd_log, PLDM_LOG_INFO, "FD: state 3 -> 0"),
			 1);
	assert_int_equal(count(&w.ua_log, PLDM_LOG_INFO,
			       "UA: phase download -> cancel"),
			 1);
	assert_int_equal(count(&w.ua_log, PLDM_LOG_WARNING,
			       "UA: update ended: cancelled"),
			 1);
}

static void test_no_log_op(void **state)
{
	static struct world w;

	(void)state;
	world_init(&w, false);
	world_start(&w);
	assert_int_equal(run(&w), PLDM_UA_RESULT_SUCCESS);
	assert_int_equal(w.fd_log.n, 0);
	assert_int_equal(w.ua_log.n, 0);

	/* an ops table without a function is no op either */
	static const struct pldm_log_ops empty = {0};

	world_init(&w, false);
	w.fd_cfg.log_ops = &empty;
	w.ua_cfg.log_ops = &empty;
	world_start(&w);
	assert_int_equal(run(&w), PLDM_UA_RESULT_SUCCESS);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fd_table),
		cmocka_unit_test(test_ua_table),
		cmocka_unit_test(test_log_complete_update),
		cmocka_unit_test(test_log_cancel),
		cmocka_unit_test(test_no_log_op),
	};

	return cmocka_run_group_tests(tests, setup_files, NULL);
}
