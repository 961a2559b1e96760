/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The Update Agent against the Firmware Device, in one process: complete
 * updates of one, two and three components from the shared vectors and
 * from packages made by the writer, over a simulated link that can lose,
 * duplicate or cut messages, with time injected. Each run ends with the
 * device's stored images compared byte for byte with the package's, and
 * the FD's state read back with a hand-encoded GetStatus.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pldm/base.h"
#include "pldm/fw-agent.h"
#include "pldm/fw-device.h"
#include "pldm/fw-package.h"
#include "pldm/fw-update.h"

#ifndef PLDM_VECTOR_DIR
#error "PLDM_VECTOR_DIR must be set by the build"
#endif

#define MAX_MSG 1100u
#define QLEN 8u
#define MAX_IMG 12000u
#define STEP_MS 10u

/* ---- Files ---------------------------------------------------------- */

struct file {
	uint8_t buf[4096];
	size_t len;
};

static void load(struct file *f, const char *name)
{
	char path[512];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s", PLDM_VECTOR_DIR, name);
	fp = fopen(path, "rb");
	if (!fp)
		fail_msg("cannot open %s", path);
	f->len = fread(f->buf, 1, sizeof(f->buf), fp);
	fclose(fp);
	assert_true(f->len > 0 && f->len < sizeof(f->buf));
}

/* ---- The device behind the FD's ops ------------------------------------ */

struct dev {
	uint8_t img[3][MAX_IMG];
	uint32_t len[3];
	unsigned writes, verifies, applies, activates, cancels;
	bool out_of_order;
	/* behaviour */
	int refuse_index; /* component op refuses this index, or -1 */
	uint8_t refuse_code;
	uint32_t abort_at; /* write at this offset aborts (0: never) */
	uint8_t verify_result;
	bool verify_async, apply_async;
	bool verify_pending, apply_pending;
	uint32_t pending_since;
	/* GetMetaData (meta_data op) and RequestUpdate (request_update op) */
	uint8_t md[512];
	uint32_t md_len;
	unsigned md_lasts;
	bool md_bad;
	unsigned request_updates;
	uint8_t set_version[32];
	uint8_t set_version_len;
};

static uint8_t dev_component(void *ctx,
			     const struct pldm_fd_component_request *req,
			     bool update)
{
	struct dev *d = ctx;

	(void)update;
	if (d->refuse_index >= 0 && req->index == (uint16_t)d->refuse_index)
		return d->refuse_code;
	return PLDM_FW_CRC_CAN_BE_UPDATED;
}

static int dev_write(void *ctx, uint16_t index, uint32_t offset,
		     const uint8_t *data, size_t len)
{
	struct dev *d = ctx;

	d->writes++;
	if (index > 2 || offset != d->len[index] || offset + len > MAX_IMG) {
		d->out_of_order = true;
		return PLDM_FW_TRANSFER_GENERIC_ERROR;
	}
	if (d->abort_at && offset + len > d->abort_at)
		return PLDM_FW_TRANSFER_FD_ABORTED_STORAGE_ISSUE;
	memcpy(&d->img[index][offset], data, len);
	d->len[index] += (uint32_t)len;
	return 0;
}

static int dev_verify(void *ctx, uint16_t index)
{
	struct dev *d = ctx;

	(void)index;
	d->verifies++;
	if (d->verify_async) {
		d->verify_pending = true;
		return -EINPROGRESS;
	}
	return d->verify_result;
}

static int dev_apply(void *ctx, uint16_t index, uint16_t *mod)
{
	struct dev *d = ctx;

	(void)index;
	(void)mod;
	d->applies++;
	if (d->apply_async) {
		d->apply_pending = true;
		return -EINPROGRESS;
	}
	return PLDM_FW_APPLY_SUCCESS;
}

static int dev_activate(void *ctx, bool self_contained, uint16_t *est)
{
	struct dev *d = ctx;

	(void)self_contained;
	*est = 0;
	d->activates++;
	return 0;
}

static uint64_t dev_cancel(void *ctx, int index, bool whole)
{
	struct dev *d = ctx;

	(void)index;
	(void)whole;
	d->cancels++;
	/* a cancelled verify or apply never completes */
	d->verify_pending = d->apply_pending = false;
	d->pending_since = 0;
	return 0;
}

static int dev_meta_data(void *ctx, uint32_t offset, const uint8_t *data,
			 size_t len, bool last)
{
	struct dev *d = ctx;

	if (offset != d->md_len || offset + len > sizeof(d->md)) {
		d->md_bad = true;
		return -EINVAL;
	}
	memcpy(d->md + offset, data, len);
	d->md_len += (uint32_t)len;
	d->md_lasts += last;
	return 0;
}

static uint8_t dev_request_update(void *ctx, const struct pldm_fd_string *v,
				  uint16_t package_data_length)
{
	struct dev *d = ctx;

	(void)package_data_length;
	d->request_updates++;
	if (v->length > sizeof(d->set_version))
		return PLDM_FW_CC_UNABLE_TO_INITIATE_UPDATE;
	memcpy(d->set_version, v->data, v->length);
	d->set_version_len = v->length;
	return 0;
}

/* ---- FD description: the device the vectors were made for -------------- */

static const uint8_t iana[] = {0x47, 0x16, 0x00, 0x00};
static const uint8_t pci_dev[] = {0x34, 0x12};
/* vendor defined: title string type ASCII, length 4, "Demo", data CA FE */
static const uint8_t vendor[] = {0x01, 0x04, 'D', 'e', 'm', 'o', 0xCA, 0xFE};
static const uint8_t other_iana[] = {0x47, 0x16, 0x00, 0x01};

static const uint8_t v_active[] = "active-1";
static const uint8_t v_set[] = "set-1";

struct world {
	struct dev dev;
	struct pldm_fd_descriptor descs[3];
	struct pldm_fd_component comps[3];
	struct pldm_fd_config fd_cfg;
	struct pldm_fd_ops fd_ops;
	struct pldm_fd fd;

	struct pldm_ua_config ua_cfg;
	struct pldm_ua ua;
	struct pldm_package pkg;

	uint32_t now;
	/* link: a queue each way, and what it does to messages */
	struct {
		uint8_t m[QLEN][MAX_MSG];
		size_t len[QLEN];
		unsigned head, n;
		unsigned count;
		unsigned drop_every, drop_phase, dup_every;
		bool down;
		unsigned dropped, duplicated;
	} q[2]; /* 0: UA -> FD, 1: FD -> UA */

	/* hooks */
	enum pldm_ua_phase cancel_at;
	bool cancelled;
	enum pldm_ua_phase cut_at;
	uint32_t cut_for_ms, cut_since;
	bool cut_done;
	uint32_t async_delay_ms;

	/* progress seen */
	unsigned phases_seen; /* bit per phase */
	uint32_t served[3];
};

static void on_progress(void *ctx, const struct pldm_ua_progress *p)
{
	struct world *w = ctx;

	w->phases_seen |= 1u << p->phase;
	if (p->component < 3 && p->bytes_served > w->served[p->component])
		w->served[p->component] = p->bytes_served;
}

static void world_init(struct world *w, uint32_t stamp0, uint32_t stamp1)
{
	memset(w, 0, sizeof(*w));
	w->dev.refuse_index = -1;
	w->descs[0] = (struct pldm_fd_descriptor){0x0001, sizeof(iana), iana};
	w->descs[1] =
		(struct pldm_fd_descriptor){0x0100, sizeof(pci_dev), pci_dev};
	w->descs[2] =
		(struct pldm_fd_descriptor){0xFFFF, sizeof(vendor), vendor};
	for (unsigned i = 0; i < 3; i++) {
		struct pldm_fd_component *c = &w->comps[i];

		c->classification = PLDM_FW_CLASS_FIRMWARE;
		c->identifier = (uint16_t)(i + 1);
		c->active_version = (struct pldm_fd_string){
			PLDM_FD_STRING_ASCII, sizeof(v_active) - 1, v_active};
		c->pending_comparison_stamp = PLDM_FW_NO_COMPARISON_STAMP;
		c->activation_methods = PLDM_FW_ACTIVATION_AUTOMATIC |
					PLDM_FW_ACTIVATION_SELF_CONTAINED;
	}
	w->comps[0].active_comparison_stamp = stamp0;
	w->comps[1].active_comparison_stamp = stamp1;
	w->comps[2].active_comparison_stamp = 0;

	w->fd_cfg.descriptors = w->descs;
	w->fd_cfg.n_descriptors = 3;
	w->fd_cfg.components = w->comps;
	w->fd_cfg.n_components = 2;
	w->fd_cfg.active_image_set_version = (struct pldm_fd_string){
		PLDM_FD_STRING_ASCII, sizeof(v_set) - 1, v_set};
	w->fd_cfg.max_transfer_size = 1024;

	w->fd_ops = (struct pldm_fd_ops){
		.ctx = &w->dev,
		.component = dev_component,
		.write = dev_write,
		.verify = dev_verify,
		.apply = dev_apply,
		.activate = dev_activate,
		.cancel = dev_cancel,
	};

	w->ua_cfg.tid = 9;
	w->ua_cfg.max_transfer_size = 32;
	w->ua_cfg.retries = PLDM_FW_PN1_RETRIES;
	w->ua_cfg.skip_not_updatable = true;
	w->ua_cfg.progress = on_progress;
	w->ua_cfg.ctx = w;

	w->cancel_at = PLDM_UA_PHASE_IDLE; /* none */
	w->cut_at = PLDM_UA_PHASE_IDLE;    /* none */
	w->now = 0xFFFF0000u; /* the millisecond clock wraps during runs */
}

static void world_start(struct world *w, const uint8_t *pkg, size_t len)
{
	assert_int_equal(pldm_package_parse(&w->pkg, pkg, len), 0);
	assert_int_equal(pldm_fd_init(&w->fd, &w->fd_cfg, &w->fd_ops), 0);
	assert_int_equal(pldm_ua_init(&w->ua, &w->ua_cfg), 0);
	assert_int_equal(pldm_ua_start(&w->ua, &w->pkg, w->now), 0);
}

/* ---- Link --------------------------------------------------------------- */

static void push(struct world *w, unsigned dir, const uint8_t *m, size_t len)
{
	unsigned copies = 1;
	unsigned c;

	assert_true(len > 0 && len <= MAX_MSG);
	c = ++w->q[dir].count;
	if (w->q[dir].down) {
		w->q[dir].dropped++;
		return;
	}
	if (w->q[dir].drop_every &&
	    c % w->q[dir].drop_every == w->q[dir].drop_phase) {
		w->q[dir].dropped++;
		return;
	}
	if (w->q[dir].dup_every && c % w->q[dir].dup_every == 0) {
		copies = 2;
		w->q[dir].duplicated++;
	}
	while (copies--) {
		unsigned slot;

		/* A full queue loses the message, as a busy bus would. */
		if (w->q[dir].n == QLEN) {
			w->q[dir].dropped++;
			return;
		}
		slot = (w->q[dir].head + w->q[dir].n) % QLEN;
		memcpy(w->q[dir].m[slot], m, len);
		w->q[dir].len[slot] = len;
		w->q[dir].n++;
	}
}

static bool pop(struct world *w, unsigned dir, uint8_t *m, size_t *len)
{
	unsigned slot;

	if (!w->q[dir].n)
		return false;
	slot = w->q[dir].head;
	*len = w->q[dir].len[slot];
	memcpy(m, w->q[dir].m[slot], *len);
	w->q[dir].head = (slot + 1) % QLEN;
	w->q[dir].n--;
	return true;
}

static void poll_ua(struct world *w)
{
	uint8_t out[MAX_MSG];
	size_t len = sizeof(out);

	assert_int_equal(pldm_ua_poll(&w->ua, w->now, out, &len), 0);
	if (len)
		push(w, 0, out, len);
}

static void poll_fd(struct world *w)
{
	uint8_t out[MAX_MSG];
	size_t len = sizeof(out);

	assert_int_equal(pldm_fd_poll(&w->fd, w->now, out, &len), 0);
	if (len)
		push(w, 1, out, len);
}

static void hooks(struct world *w);

static void deliver(struct world *w)
{
	uint8_t m[MAX_MSG], out[MAX_MSG];
	size_t len, out_len;
	int rc;

	for (unsigned guard = 0; guard < 64; guard++) {
		bool any = false;

		if (pop(w, 0, m, &len)) {
			any = true;
			if (m[0] & PLDM_HDR_RQ) {
				out_len = sizeof(out);
				rc = pldm_fd_handle(&w->fd, w->now, m, len, out,
						    &out_len);
				assert_int_equal(rc, 0);
				push(w, 1, out, out_len);
			} else {
				rc = pldm_fd_handle_response(&w->fd, w->now, m,
							     len);
				/* duplicates and late answers are told apart,
				 * never acted on twice */
				assert_true(rc == 0 || rc == -EALREADY ||
					    rc == -ESTALE);
			}
			poll_fd(w);
		}
		if (pop(w, 1, m, &len)) {
			any = true;
			out_len = sizeof(out);
			rc = pldm_ua_rx(&w->ua, w->now, m, len, out, &out_len);
			assert_true(rc == 0 || rc == -EALREADY ||
				    rc == -ESTALE || rc == -ENOMSG);
			if (rc == 0 && out_len)
				push(w, 0, out, out_len);
			/* phases can pass within one step: look at each */
			hooks(w);
			poll_ua(w);
		}
		if (!any)
			return;
	}
}

static void hooks(struct world *w)
{
	enum pldm_ua_phase ph = pldm_ua_phase(&w->ua);

	if (!w->cancelled && w->cancel_at != PLDM_UA_PHASE_IDLE &&
	    ph == w->cancel_at) {
		assert_int_equal(pldm_ua_cancel(&w->ua, w->now), 0);
		w->cancelled = true;
	}
	if (!w->cut_done && w->cut_at != PLDM_UA_PHASE_IDLE) {
		if (!w->q[0].down && ph == w->cut_at) {
			w->q[0].down = w->q[1].down = true;
			w->cut_since = w->now;
		} else if (w->q[0].down &&
			   w->now - w->cut_since >= w->cut_for_ms) {
			w->q[0].down = w->q[1].down = false;
			w->cut_done = true;
		}
	}
	if ((w->dev.verify_pending || w->dev.apply_pending) &&
	    !w->dev.pending_since)
		w->dev.pending_since = w->now | 1u;
	if (w->dev.pending_since &&
	    w->now - w->dev.pending_since >= w->async_delay_ms) {
		if (w->dev.verify_pending) {
			w->dev.verify_pending = false;
			assert_int_equal(pldm_fd_verify_done(
						 &w->fd, w->dev.verify_result),
					 0);
		} else if (w->dev.apply_pending) {
			w->dev.apply_pending = false;
			assert_int_equal(
				pldm_fd_apply_done(&w->fd,
						   PLDM_FW_APPLY_SUCCESS, 0),
				0);
		}
		w->dev.pending_since = 0;
	}
}

/* Run until the UA has a result and the link is quiet (plus a little time
 * for the FD to settle), or @max_ms of simulated time. */
static enum pldm_ua_result run(struct world *w, uint32_t max_ms)
{
	uint32_t start = w->now, done_at = 0;
	bool done = false;

	while (w->now - start < max_ms) {
		hooks(w);
		poll_ua(w);
		poll_fd(w);
		deliver(w);
		if (!done &&
		    pldm_ua_result(&w->ua, NULL) != PLDM_UA_RESULT_NONE) {
			done = true;
			done_at = w->now;
		}
		if (done && w->now - done_at > 200 && !w->q[0].n && !w->q[1].n)
			break;
		w->now += STEP_MS;
	}
	return pldm_ua_result(&w->ua, NULL);
}

/* GetStatus by hand (DSP0267 GetStatus response: CompletionCode,
 * CurrentState, PreviousState, AuxState, AuxStateStatus, ProgressPercent,
 * ReasonCode, UpdateOptionFlagsEnabled (4)). */
struct fd_status {
	uint8_t current, previous, aux, aux_status, progress, reason;
};

static struct fd_status fd_status(struct world *w)
{
	const uint8_t req[] = {0x80 | 0x1E, 0x05, 0x1B};
	uint8_t rsp[64];
	size_t len = sizeof(rsp);
	struct fd_status s;

	assert_int_equal(
		pldm_fd_handle(&w->fd, w->now, req, sizeof(req), rsp, &len), 0);
	assert_int_equal(len, 3 + 11);
	assert_int_equal(rsp[0], 0x1E); /* response, same instance */
	assert_int_equal(rsp[1], 0x05);
	assert_int_equal(rsp[2], 0x1B);
	assert_int_equal(rsp[3], PLDM_CC_SUCCESS);
	s.current = rsp[4];
	s.previous = rsp[5];
	s.aux = rsp[6];
	s.aux_status = rsp[7];
	s.progress = rsp[8];
	s.reason = rsp[9];
	assert_int_equal(s.current, pldm_fd_state(&w->fd));
	return s;
}

static void assert_image(const struct world *w, unsigned i,
			 const struct file *f)
{
	assert_int_equal(w->dev.len[i], f->len);
	assert_memory_equal(w->dev.img[i], f->buf, f->len);
}

static struct file v10, v13, comp0, comp1;

static int setup_files(void **state)
{
	(void)state;
	load(&v10, "sample-v1.0.pldm");
	load(&v13, "sample-v1.3.pldm");
	load(&comp0, "fw_comp0.bin");
	load(&comp1, "fw_comp1.bin");
	return 0;
}

/* ---- Complete updates ------------------------------------------------ */

static void check_success(struct world *w)
{
	struct pldm_ua_outcome o;
	struct fd_status s;

	assert_int_equal(pldm_ua_result(&w->ua, &o), PLDM_UA_RESULT_SUCCESS);
	assert_int_equal(o.raw, PLDM_CC_SUCCESS);
	assert_image(w, 0, &comp0);
	assert_image(w, 1, &comp1);
	assert_false(w->dev.out_of_order);
	assert_int_equal(w->dev.verifies, 2);
	assert_int_equal(w->dev.applies, 2);
	assert_int_equal(w->dev.activates, 1);
	s = fd_status(w);
	assert_int_equal(s.current, PLDM_FW_STATE_IDLE);
	assert_int_equal(s.reason, PLDM_FW_REASON_ACTIVATE_FW);
	assert_int_equal(w->served[0], comp0.len);
	assert_int_equal(w->served[1], comp1.len);
}

static void test_update_vectors(void **state)
{
	static struct world w;
	const struct file *pkgs[] = {&v10, &v13};

	(void)state;
	for (unsigned i = 0; i < 2; i++) {
		world_init(&w, 1, 0);
		world_start(&w, pkgs[i]->buf, pkgs[i]->len);
		assert_int_equal(run(&w, 60000), PLDM_UA_RESULT_SUCCESS);
		check_success(&w);
		/* every phase of a full update was reported */
		for (unsigned p = PLDM_UA_PHASE_IDENTIFY;
		     p <= PLDM_UA_PHASE_ACTIVATE; p++) {
			if (p == PLDM_UA_PHASE_PACKAGE_DATA)
				continue;
			if (!(w.phases_seen & (1u << p)))
				fail_msg("package %u: phase %s not reported", i,
					 pldm_ua_phase_name(p));
		}
	}
}

/* Transfer sizes: the UA's offer caps the FD's requests. */
static void test_transfer_sizes(void **state)
{
	static struct world w;
	const uint32_t ua_max[] = {32, 33, 54, 100, 1024};

	(void)state;
	for (unsigned i = 0; i < 5; i++) {
		world_init(&w, 1, 0);
		w.ua_cfg.max_transfer_size = ua_max[i];
		world_start(&w, v13.buf, v13.len);
		assert_int_equal(run(&w, 60000), PLDM_UA_RESULT_SUCCESS);
		check_success(&w);
		/* ceil(100 / n) + ceil(54 / n) writes */
		assert_int_equal(w.dev.writes,
				 (100 + ua_max[i] - 1) / ua_max[i] +
					 (54 + ua_max[i] - 1) / ua_max[i]);
	}
}

/* A package made by the writer: three components, one of them unknown to
 * the FD, images larger than a transfer. */
static uint8_t big_pkg[40000];
static uint8_t imgs[3][MAX_IMG];
static const uint32_t img_len[3] = {4097, 33, 10000};

static size_t make_package(uint16_t third_identifier)
{
	static const uint8_t ver[] = "big-1";
	struct pldm_package_write_descriptor d[2] = {
		{.descriptor_type = 0x0001,
		 .descriptor_data = {iana, sizeof(iana)}},
		{.descriptor_type = 0x0100,
		 .descriptor_data = {pci_dev, sizeof(pci_dev)}},
	};
	static const uint8_t applicable[] = {0x07};
	struct pldm_package_write_fd_record rec = {
		.component_image_set_version_string = {1, ver, 5},
		.applicable_components = {applicable, 1},
		.descriptors = d,
		.descriptor_count = 2,
	};
	struct pldm_package_write_component c[3];
	struct pldm_package_description desc = {
		.package_header_format_revision = PLDM_PACKAGE_FORMAT_1_2,
		.package_version_string = {1, ver, 5},
		.fd_records = &rec,
		.fd_record_count = 1,
		.components = c,
		.component_count = 3,
	};
	size_t len = sizeof(big_pkg);
	uint32_t x = 12345;

	memset(c, 0, sizeof(c));
	for (unsigned i = 0; i < 3; i++) {
		for (uint32_t j = 0; j < img_len[i]; j++) {
			x = x * 1103515245u + 12345u;
			imgs[i][j] = (uint8_t)(x >> 16);
		}
		c[i].component_classification = PLDM_FW_CLASS_FIRMWARE;
		c[i].component_identifier = (uint16_t)(i + 1);
		c[i].component_comparison_stamp = 7;
		c[i].component_options =
			PLDM_PACKAGE_COMPONENT_OPTION_USE_COMPARISON_STAMP;
		c[i].component_version_string =
			(struct pldm_package_write_string){1, ver, 5};
		c[i].image = (struct pldm_package_span){imgs[i], img_len[i]};
	}
	c[2].component_identifier = third_identifier;
	assert_int_equal(pldm_package_write(&desc, big_pkg, &len, NULL), 0);
	return len;
}

static void test_update_three_components(void **state)
{
	static struct world w;
	size_t len = make_package(3);

	(void)state;
	world_init(&w, 1, 1);
	w.fd_cfg.n_components = 3;
	w.ua_cfg.max_transfer_size = 512;
	world_start(&w, big_pkg, len);
	assert_int_equal(run(&w, 120000), PLDM_UA_RESULT_SUCCESS);
	for (unsigned i = 0; i < 3; i++) {
		assert_int_equal(w.dev.len[i], img_len[i]);
		assert_memory_equal(w.dev.img[i], imgs[i], img_len[i]);
	}
	assert_int_equal(w.dev.activates, 1);
	assert_int_equal(fd_status(&w).current, PLDM_FW_STATE_IDLE);
}

/* The third component is one the FD does not have: skipped by policy, or
 * the end of the update. */
static void test_wrong_component(void **state)
{
	static struct world w;
	size_t len = make_package(0x77);
	const struct pldm_ua_component *uc;
	struct pldm_ua_outcome o;
	uint16_t n;

	(void)state;
	world_init(&w, 1, 1);
	w.fd_cfg.n_components = 3;
	w.ua_cfg.max_transfer_size = 512;
	world_start(&w, big_pkg, len);
	assert_int_equal(run(&w, 120000), PLDM_UA_RESULT_SUCCESS);
	assert_int_equal(w.dev.len[0], img_len[0]);
	assert_int_equal(w.dev.len[1], img_len[1]);
	assert_int_equal(w.dev.len[2], 0);
	uc = pldm_ua_components(&w.ua, &n);
	/* the UA passes only what the FD lists */
	assert_int_equal(n, 2);
	assert_true(uc[0].updated && uc[1].updated);

	/* The FD refuses one it lists (security restrictions): policy
	 * "skip" updates the rest; policy "stop" ends the update and
	 * leaves the FD idle with nothing activated. */
	world_init(&w, 1, 1);
	w.fd_cfg.n_components = 3;
	w.dev.refuse_index = 1;
	w.dev.refuse_code = PLDM_FW_CRC_SECURITY_RESTRICTIONS;
	w.ua_cfg.max_transfer_size = 512;
	world_start(&w, big_pkg, make_package(3));
	assert_int_equal(run(&w, 120000), PLDM_UA_RESULT_SUCCESS);
	assert_int_equal(w.dev.len[1], 0);
	assert_int_equal(w.dev.len[2], img_len[2]);

	world_init(&w, 1, 1);
	w.fd_cfg.n_components = 3;
	w.dev.refuse_index = 1;
	w.dev.refuse_code = PLDM_FW_CRC_SECURITY_RESTRICTIONS;
	w.ua_cfg.max_transfer_size = 512;
	w.ua_cfg.skip_not_updatable = false;
	world_start(&w, big_pkg, make_package(3));
	assert_int_equal(run(&w, 120000), PLDM_UA_RESULT_NOT_UPDATABLE);
	assert_int_equal(pldm_ua_result(&w.ua, &o),
			 PLDM_UA_RESULT_NOT_UPDATABLE);
	assert_int_equal(o.raw, PLDM_FW_CRC_SECURITY_RESTRICTIONS);
	assert_int_equal(w.dev.activates, 0);
	assert_int_equal(fd_status(&w).current, PLDM_FW_STATE_IDLE);
}

/* Comparison stamps: the package's component 0 (stamp 2) is older than
 * the FD's active one (5): refused as lower unless forced. */
static void test_comparison_stamp(void **state)
{
	static struct world w;
	const struct pldm_ua_component *uc;
	uint16_t n;

	(void)state;
	world_init(&w, 5, 0);
	world_start(&w, v13.buf, v13.len);
	assert_int_equal(run(&w, 60000), PLDM_UA_RESULT_SUCCESS);
	uc = pldm_ua_components(&w.ua, &n);
	assert_int_equal(n, 2);
	assert_true(uc[0].skipped);
	assert_int_equal(uc[0].component_response_code,
			 PLDM_FW_CRC_COMPARISON_STAMP_LOWER);
	assert_int_equal(w.dev.len[0], 0);
	assert_image(&w, 1, &comp1);

	/* identical stamp */
	world_init(&w, 2, 0);
	world_start(&w, v13.buf, v13.len);
	assert_int_equal(run(&w, 60000), PLDM_UA_RESULT_SUCCESS);
	uc = pldm_ua_components(&w.ua, &n);
	assert_int_equal(uc[0].component_response_code,
			 PLDM_FW_CRC_COMPARISON_STAMP_IDENTICAL);
	assert_int_equal(w.dev.len[0], 0);

	/* forced */
	world_init(&w, 5, 0);
	w.ua_cfg.force_update = true;
	world_start(&w, v13.buf, v13.len);
	assert_int_equal(run(&w, 60000), PLDM_UA_RESULT_SUCCESS);
	check_success(&w);
}

/* ---- Lost and duplicated messages ---------------------------------------- */

static void test_lossy_link(void **state)
{
	static struct world w;
	unsigned runs = 0, failures = 0;

	(void)state;
	for (unsigned dir = 0; dir < 2; dir++) {
		for (unsigned every = 2; every <= 7; every++) {
			for (unsigned phase = 0; phase < every; phase++) {
				world_init(&w, 1, 0);
				w.q[dir].drop_every = every;
				w.q[dir].drop_phase = phase;
				/* enough retries to get through 1 in 2 */
				w.ua_cfg.retries = 6;
				world_start(&w, v13.buf, v13.len);
				if (run(&w, 600000) != PLDM_UA_RESULT_SUCCESS) {
					struct pldm_ua_outcome o;

					pldm_ua_result(&w.ua, &o);
					print_message(
						"dir %u drop every %u phase %u: %s "
						"(command 0x%02x code 0x%02x)\n",
						dir, every, phase,
						pldm_ua_result_name(o.result),
						o.command, o.raw);
					failures++;
					continue;
				}
				assert_true(w.q[dir].dropped > 0);
				check_success(&w);
				runs++;
			}
		}
	}
	print_message("lossy link: %u complete updates\n", runs);
	assert_int_equal(failures, 0);
}

static void test_duplicates(void **state)
{
	static struct world w;

	(void)state;
	for (unsigned every = 1; every <= 3; every++) {
		world_init(&w, 1, 0);
		w.q[0].dup_every = every;
		w.q[1].dup_every = every;
		world_start(&w, v13.buf, v13.len);
		assert_int_equal(run(&w, 120000), PLDM_UA_RESULT_SUCCESS);
		assert_true(w.q[0].duplicated > 0 && w.q[1].duplicated > 0);
		/* nothing was written, verified or applied twice */
		check_success(&w);
	}
}

/* ---- Cancel, failures, silence ------------------------------------------ */

static void test_cancel_each_phase(void **state)
{
	static struct world w;
	const enum pldm_ua_phase phases[] = {
		PLDM_UA_PHASE_IDENTIFY,
		PLDM_UA_PHASE_GET_PARAMETERS,
		PLDM_UA_PHASE_REQUEST_UPDATE,
		PLDM_UA_PHASE_PASS_COMPONENT_TABLE,
		PLDM_UA_PHASE_UPDATE_COMPONENT,
		PLDM_UA_PHASE_DOWNLOAD,
		PLDM_UA_PHASE_VERIFY,
		PLDM_UA_PHASE_APPLY,
	};

	(void)state;
	for (unsigned i = 0; i < sizeof(phases) / sizeof(phases[0]); i++) {
		struct fd_status s;

		world_init(&w, 1, 0);
		w.cancel_at = phases[i];
		/* slow verify/apply so that those phases last */
		w.dev.verify_async = w.dev.apply_async = true;
		w.async_delay_ms = 300;
		world_start(&w, v13.buf, v13.len);
		if (run(&w, 60000) != PLDM_UA_RESULT_CANCELLED)
			fail_msg("cancel in %s: %s",
				 pldm_ua_phase_name(phases[i]),
				 pldm_ua_result_name(
					 pldm_ua_result(&w.ua, NULL)));
		assert_true(w.cancelled);
		assert_int_equal(w.dev.activates, 0);
		s = fd_status(&w);
		assert_int_equal(s.current, PLDM_FW_STATE_IDLE);
		if (phases[i] >= PLDM_UA_PHASE_PASS_COMPONENT_TABLE) {
			/* the FD was in update mode: CancelUpdate reached it */
			assert_int_equal(s.reason,
					 PLDM_FW_REASON_CANCEL_UPDATE);
			assert_true(w.dev.cancels > 0);
		}
	}
}

static void test_verify_fails(void **state)
{
	static struct world w;
	struct pldm_ua_outcome o;

	(void)state;
	world_init(&w, 1, 0);
	w.dev.verify_result = PLDM_FW_VERIFY_ERROR_VERIFICATION_FAILURE;
	world_start(&w, v13.buf, v13.len);
	assert_int_equal(run(&w, 60000), PLDM_UA_RESULT_VERIFY_FAILED);
	pldm_ua_result(&w.ua, &o);
	assert_int_equal(o.raw, PLDM_FW_VERIFY_ERROR_VERIFICATION_FAILURE);
	assert_int_equal(o.command, PLDM_FW_VERIFY_COMPLETE);
	assert_int_equal(w.dev.applies, 0);
	assert_int_equal(w.dev.activates, 0);
	assert_int_equal(fd_status(&w).current, PLDM_FW_STATE_IDLE);
}

static void test_transfer_aborted(void **state)
{
	static struct world w;
	struct pldm_ua_outcome o;

	(void)state;
	world_init(&w, 1, 0);
	w.dev.abort_at = 50;
	world_start(&w, v13.buf, v13.len);
	assert_int_equal(run(&w, 60000), PLDM_UA_RESULT_TRANSFER_FAILED);
	pldm_ua_result(&w.ua, &o);
	assert_int_equal(o.raw, PLDM_FW_TRANSFER_FD_ABORTED_STORAGE_ISSUE);
	assert_int_equal(w.dev.verifies, 0);
	assert_int_equal(w.dev.activates, 0);
	assert_int_equal(fd_status(&w).current, PLDM_FW_STATE_IDLE);
}

static void test_async_verify_apply(void **state)
{
	static struct world w;

	(void)state;
	world_init(&w, 1, 0);
	w.dev.verify_async = w.dev.apply_async = true;
	w.async_delay_ms = 2000;
	world_start(&w, v13.buf, v13.len);
	assert_int_equal(run(&w, 60000), PLDM_UA_RESULT_SUCCESS);
	check_success(&w);
}

static void test_unreachable(void **state)
{
	static struct world w;
	struct pldm_ua_outcome o;

	(void)state;
	world_init(&w, 1, 0);
	w.q[0].down = true;
	world_start(&w, v13.buf, v13.len);
	assert_int_equal(run(&w, 60000), PLDM_UA_RESULT_TIMEOUT);
	pldm_ua_result(&w.ua, &o);
	assert_int_equal(o.command, PLDM_FW_QUERY_DEVICE_IDENTIFIERS);
	/* the first try and PN1 retries */
	assert_int_equal(w.q[0].count, 1 + PLDM_FW_PN1_RETRIES);
}

static void test_wrong_device(void **state)
{
	static struct world w;

	(void)state;
	world_init(&w, 1, 0);
	w.descs[0].data = other_iana;
	world_start(&w, v13.buf, v13.len);
	assert_int_equal(run(&w, 60000), PLDM_UA_RESULT_NO_MATCHING_RECORD);
	assert_int_equal(fd_status(&w).current, PLDM_FW_STATE_IDLE);
	assert_int_equal(fd_status(&w).reason, PLDM_FW_REASON_INITIALIZATION);
	assert_int_equal(w.dev.writes, 0);
}

/* The link goes down during the download for longer than FD_T1: the FD
 * gives up and goes idle; when the link is back the UA learns it through
 * GetStatus and reports the FD's reason. */
static void test_fd_times_out(void **state)
{
	static struct world w;
	struct pldm_ua_outcome o;

	(void)state;
	world_init(&w, 1, 0);
	w.fd_cfg.fd_t1_ms = 5000;
	w.ua_cfg.fd_silence_ms = 1000;
	w.ua_cfg.status_probes = 20;
	w.ua_cfg.retries = 20;
	w.ua_cfg.response_timeout_ms = 1000;
	w.cut_at = PLDM_UA_PHASE_DOWNLOAD;
	w.cut_for_ms = 8000;
	world_start(&w, v13.buf, v13.len);
	assert_int_equal(run(&w, 120000), PLDM_UA_RESULT_CANCELLED_BY_FD);
	pldm_ua_result(&w.ua, &o);
	assert_int_equal(o.raw, PLDM_FW_REASON_TIMEOUT_DOWNLOAD);
	assert_int_equal(w.dev.activates, 0);
	assert_int_equal(fd_status(&w).current, PLDM_FW_STATE_IDLE);
	assert_int_equal(fd_status(&w).reason, PLDM_FW_REASON_TIMEOUT_DOWNLOAD);
}

/* A cut shorter than the FD's patience: both sides retry through it. */
static void test_short_outage(void **state)
{
	static struct world w;
	const enum pldm_ua_phase at[] = {
		PLDM_UA_PHASE_REQUEST_UPDATE,
		PLDM_UA_PHASE_DOWNLOAD,
		PLDM_UA_PHASE_VERIFY,
		PLDM_UA_PHASE_APPLY,
	};

	(void)state;
	for (unsigned i = 0; i < 4; i++) {
		world_init(&w, 1, 0);
		w.ua_cfg.retries = 10;
		w.ua_cfg.response_timeout_ms = 500;
		w.ua_cfg.fd_silence_ms = 3000;
		w.ua_cfg.status_probes = 10;
		w.dev.verify_async = w.dev.apply_async = true;
		w.async_delay_ms = 100;
		w.cut_at = at[i];
		w.cut_for_ms = 2500;
		world_start(&w, v13.buf, v13.len);
		if (run(&w, 120000) != PLDM_UA_RESULT_SUCCESS)
			fail_msg("outage in %s: %s", pldm_ua_phase_name(at[i]),
				 pldm_ua_result_name(
					 pldm_ua_result(&w.ua, NULL)));
		assert_true(w.cut_done);
		check_success(&w);
	}
}

/* ---- Device metadata across an activation ------------------------------- */

#define MD_BYTES 300u

static void expect_success(struct world *w, unsigned dir, unsigned every,
			   unsigned phase)
{
	struct pldm_ua_outcome o;

	if (run(w, 600000) == PLDM_UA_RESULT_SUCCESS)
		return;
	pldm_ua_result(&w->ua, &o);
	fail_msg("dir %u drop every %u phase %u: %s (command 0x%02x code "
		 "0x%02x), FD got %u metadata bytes",
		 dir, every, phase, pldm_ua_result_name(o.result), o.command,
		 o.raw, w->dev.md_len);
}

/*
 * The FD has 300 bytes of device metadata (FirmwareDeviceMetaDataLength
 * in RequestUpdate's answer); the UA reads them with GetDeviceMetaData
 * (32-byte parts) into its storage. The FD activates and "resets" (a new
 * pldm_fd_init() with no metadata and get_meta_data set); a second update
 * runs with the same UA, whose storage serves the FD's GetMetaData: the
 * FD gets back exactly what it gave. The device also sees the package's
 * ComponentImageSetVersionString ("demo-fw-1.0") through request_update.
 * With @drop_every, the link loses messages in direction @dir.
 */
static void metadata_round_trip(struct world *w, uint8_t *store, unsigned dir,
				unsigned drop_every, unsigned drop_phase)
{
	static uint8_t fd_md[MD_BYTES];
	const uint8_t *md;
	size_t len;

	for (unsigned i = 0; i < MD_BYTES; i++)
		fd_md[i] = (uint8_t)(i * 7u + 3u);
	world_init(w, 1, 0);
	w->fd_cfg.device_metadata = fd_md;
	w->fd_cfg.device_metadata_length = MD_BYTES;
	w->fd_ops.meta_data = dev_meta_data;
	w->fd_ops.request_update = dev_request_update;
	w->ua_cfg.device_metadata = store;
	w->ua_cfg.device_metadata_capacity = 512;
	w->ua_cfg.retries = 6;
	w->q[dir].drop_every = drop_every;
	w->q[dir].drop_phase = drop_phase;
	world_start(w, v13.buf, v13.len);
	expect_success(w, dir, drop_every, drop_phase);
	check_success(w);
	assert_true(w->phases_seen & (1u << PLDM_UA_PHASE_DEVICE_METADATA));
	md = pldm_ua_device_metadata(&w->ua, &len);
	assert_ptr_equal(md, store);
	assert_int_equal(len, MD_BYTES);
	assert_memory_equal(md, fd_md, MD_BYTES);
	assert_int_equal(w->dev.md_len, 0); /* not asked for this time */
	assert_true(w->dev.request_updates >= 1);
	assert_int_equal(w->dev.set_version_len, 11);
	assert_memory_equal(w->dev.set_version, "demo-fw-1.0", 11);

	/* activation reset the FD: its metadata is gone, it wants it back */
	w->fd_cfg.device_metadata = NULL;
	w->fd_cfg.device_metadata_length = 0;
	w->fd_cfg.get_meta_data = true;
	memset(w->dev.len, 0, sizeof(w->dev.len));
	w->dev.verifies = w->dev.applies = w->dev.activates = 0;
	memset(w->served, 0, sizeof(w->served));
	w->phases_seen = 0;
	assert_int_equal(pldm_fd_init(&w->fd, &w->fd_cfg, &w->fd_ops), 0);
	assert_int_equal(pldm_ua_start(&w->ua, &w->pkg, w->now), 0);
	expect_success(w, dir, drop_every, drop_phase);
	check_success(w);
	assert_false(w->phases_seen & (1u << PLDM_UA_PHASE_DEVICE_METADATA));
	assert_false(w->dev.md_bad);
	assert_int_equal(w->dev.md_len, MD_BYTES);
	assert_int_equal(w->dev.md_lasts, 1);
	assert_memory_equal(w->dev.md, fd_md, MD_BYTES);
	/* the UA still holds it */
	assert_ptr_equal(pldm_ua_device_metadata(&w->ua, &len), store);
	assert_int_equal(len, MD_BYTES);
}

static void test_metadata_round_trip(void **state)
{
	static struct world w;
	static uint8_t store[512];

	(void)state;
	metadata_round_trip(&w, store, 0, 0, 0);
	/* and over a lossy link, each way */
	for (unsigned dir = 0; dir < 2; dir++)
		for (unsigned every = 2; every <= 5; every++)
			for (unsigned phase = 0; phase < every; phase++) {
				memset(store, 0, sizeof(store));
				metadata_round_trip(&w, store, dir, every,
						    phase);
				assert_true(w.q[dir].dropped > 0);
			}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_update_vectors),
		cmocka_unit_test(test_transfer_sizes),
		cmocka_unit_test(test_update_three_components),
		cmocka_unit_test(test_wrong_component),
		cmocka_unit_test(test_comparison_stamp),
		cmocka_unit_test(test_lossy_link),
		cmocka_unit_test(test_duplicates),
		cmocka_unit_test(test_cancel_each_phase),
		cmocka_unit_test(test_verify_fails),
		cmocka_unit_test(test_transfer_aborted),
		cmocka_unit_test(test_async_verify_apply),
		cmocka_unit_test(test_unreachable),
		cmocka_unit_test(test_wrong_device),
		cmocka_unit_test(test_fd_times_out),
		cmocka_unit_test(test_short_outage),
		cmocka_unit_test(test_metadata_round_trip),
	};

	return cmocka_run_group_tests(tests, setup_files, NULL);
}
