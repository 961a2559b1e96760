/* SPDX-License-Identifier: Apache-2.0 */
/*
 * PLDM over MCTP (DSP0241) glue: an agent stack (EID 8) running the
 * libpldm-fw Update Agent against a device stack (EID 9) with the PLDM
 * base responder and the Firmware Device, in one process.
 *
 * Two links: the libmctp test harness link (hand-made packets, golden
 * bytes, tags and EIDs, base discovery), and the SMBus binding (DSP0237)
 * with a frame queue of our own that can lose frames, for the whole update
 * from the shared vector sample-v1.3.pldm with a transfer size (128) above
 * the 64-byte MTU, so that RequestFirmwareData answers are fragmented. The
 * device's images are compared with the vector's component files.
 *
 * Golden bytes (DSP0241: MCTP type 0x01, then the PLDM message; DSP0240
 * header: Rq|D|rsvd|instance, version|type, command; GetTID = 0x02):
 *   request  01 | 81 00 02           Rq, instance 1, type 0, GetTID
 *   response 01 | 01 00 02 00 2A     instance 1, CC SUCCESS, TID 0x2A
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "harness.h"
#include "mctp/mctp.h"
#include "mctp/smbus.h"
#include "pldm/base.h"
#include "pldm/fw-agent.h"
#include "pldm/fw-device.h"
#include "pldm/fw-package.h"
#include "prot/pldm-mctp.h"

#ifndef PLDM_VECTOR_DIR
#error "PLDM_VECTOR_DIR must be set by the build"
#endif

#define A_EID 0x08u /* agent */
#define B_EID 0x09u /* device */
#define C_EID 0x20u /* a third endpoint, hand-made packets only */
#define A_ADDR 0x10u
#define B_ADDR 0x20u
#define TID 0x2Au
#define TAG_TIMEOUT_MS 500u
#define STEP_MS 10u
#define XFER 128u
#define MAX_IMG 4096u
#define DEV_BUF 512u
#define AGENT_BUF PROT_PLDM_MCTP_AGENT_BUF_SIZE(XFER)
#define QLEN 64u

/* ---- Vectors ------------------------------------------------------------ */

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

/* ---- The device behind the FD ------------------------------------------- */

struct dev {
	uint8_t img[2][MAX_IMG];
	uint32_t len[2];
	bool bad_write;
	unsigned int activates;
};

static int dev_write(void *ctx, uint16_t index, uint32_t offset,
		     const uint8_t *data, size_t len)
{
	struct dev *d = ctx;

	if (index > 1 || offset != d->len[index] || offset + len > MAX_IMG) {
		d->bad_write = true;
		return PLDM_FW_TRANSFER_GENERIC_ERROR;
	}
	memcpy(&d->img[index][offset], data, len);
	d->len[index] += (uint32_t)len;
	return 0;
}

static int dev_verify(void *ctx, uint16_t index)
{
	(void)ctx;
	(void)index;
	return PLDM_FW_VERIFY_SUCCESS;
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
	struct dev *d = ctx;

	(void)self_contained;
	*est = 0;
	d->activates++;
	return 0;
}

static const uint8_t iana[] = {0x47, 0x16, 0x00, 0x00};
static const uint8_t pci_dev[] = {0x34, 0x12};
static const uint8_t vendor[] = {0x01, 0x04, 'D', 'e', 'm', 'o', 0xCA, 0xFE};
static const uint8_t v_active[] = "active-1";
static const uint8_t v_set[] = "set-1";

static const uint32_t base_versions[] = {0xF1F1F000u};
static const uint32_t fw_versions[] = {0xF1F3F000u};
static const uint8_t base_commands[32] = {0x3E};
static const uint8_t fw_commands[32] = {0xFF, 0xFF, 0xFF};
static const struct pldm_base_type base_types[] = {
	{.type = PLDM_TYPE_BASE,
	 .versions = base_versions,
	 .n_versions = 1,
	 .commands = base_commands},
	{.type = PLDM_TYPE_FW_UPDATE,
	 .versions = fw_versions,
	 .n_versions = 1,
	 .commands = fw_commands},
};
static const struct pldm_base_config base_cfg = {
	.types = base_types,
	.n_types = 2,
	.tid = TID,
};

/* ---- SMBus frame queues -------------------------------------------------- */

struct fq {
	uint8_t f[QLEN][MCTP_SMBUS_FRAME_MAX];
	size_t len[QLEN];
	size_t head, n;
	unsigned int pushed;  /* frames handed to tx */
	unsigned int drop_at; /* drop the frame with this number (1-based) */
	unsigned int dropped;
	uint8_t dropped_flags; /* SOM, EOM, seq, TO, tag of the lost one */
	uint8_t dropped_pldm;
};

static int fq_tx(void *ctx, const uint8_t *frame, size_t len)
{
	struct fq *q = ctx;
	size_t slot;

	q->pushed++;
	if (q->drop_at && q->pushed == q->drop_at) {
		assert_true(len > 8);
		q->dropped_flags = frame[7]; /* MCTP header byte 3 */
		q->dropped_pldm = frame[8];  /* type byte, if start */
		q->dropped++;
		return 0; /* lost on the wire: the sender cannot tell */
	}
	if (q->n == QLEN)
		return -ENOBUFS;
	assert_true(len <= MCTP_SMBUS_FRAME_MAX);
	slot = (q->head + q->n) % QLEN;
	memcpy(q->f[slot], frame, len);
	q->len[slot] = len;
	q->n++;
	return 0;
}

static const struct mctp_smbus_ops fq_ops = {.tx = fq_tx};

/* ---- The two stacks ------------------------------------------------------ */

struct env {
	struct mctp a, b;
	bool smbus;
	struct harness_link link_a, link_b;
	struct mctp_smbus sa, sb;
	struct fq qa, qb; /* frames sent by a, by b */

	struct dev dev;
	struct pldm_fd_descriptor descs[3];
	struct pldm_fd_component comps[2];
	struct pldm_fd_config fd_cfg;
	struct pldm_fd_ops fd_ops;
	struct pldm_fd fd;
	struct pldm_base base;

	struct pldm_ua_config ua_cfg;
	struct pldm_ua ua;
	struct pldm_package pkg;

	struct prot_pldm_mctp_device_config dcfg;
	struct prot_pldm_mctp_agent_config acfg;
	struct prot_pldm_mctp_device dv;
	struct prot_pldm_mctp_agent ag;
	uint8_t dbuf[DEV_BUF];
	uint8_t abuf[AGENT_BUF];
	uint32_t now;
};

static struct env env;
static struct file v13, comp0, comp1;

static void env_setup(bool smbus)
{
	struct env *e = &env;
	struct mctp_config ca = {.eid = A_EID,
				 .tag_timeout_ms = TAG_TIMEOUT_MS};
	struct mctp_config cb = {.eid = B_EID,
				 .tag_timeout_ms = TAG_TIMEOUT_MS};

	memset(e, 0, sizeof(*e));
	e->now = 0xFFFFF000u; /* the clock wraps during the update */
	ca.now_ms = cb.now_ms = e->now;
	e->smbus = smbus;
	assert_int_equal(mctp_init(&e->a, &ca), 0);
	assert_int_equal(mctp_init(&e->b, &cb), 0);
	if (smbus) {
		assert_int_equal(
			mctp_smbus_init(&e->sa, &fq_ops, &e->qa, A_ADDR), 0);
		assert_int_equal(
			mctp_smbus_init(&e->sb, &fq_ops, &e->qb, B_ADDR), 0);
		assert_int_equal(
			mctp_smbus_set_neighbour(&e->sa, B_EID, B_ADDR), 0);
		assert_int_equal(
			mctp_smbus_set_neighbour(&e->sb, A_EID, A_ADDR), 0);
		assert_int_equal(mctp_bus_register(&e->a, &e->sa.binding), 0);
		assert_int_equal(mctp_bus_register(&e->b, &e->sb.binding), 0);
	} else {
		harness_link_init(&e->link_a, MCTP_MAX_MTU);
		harness_link_init(&e->link_b, MCTP_MAX_MTU);
		assert_int_equal(mctp_bus_register(&e->a, &e->link_a.binding),
				 0);
		assert_int_equal(mctp_bus_register(&e->b, &e->link_b.binding),
				 0);
	}

	e->descs[0] = (struct pldm_fd_descriptor){0x0001, sizeof(iana), iana};
	e->descs[1] =
		(struct pldm_fd_descriptor){0x0100, sizeof(pci_dev), pci_dev};
	e->descs[2] =
		(struct pldm_fd_descriptor){0xFFFF, sizeof(vendor), vendor};
	for (unsigned int i = 0; i < 2; i++) {
		struct pldm_fd_component *c = &e->comps[i];

		c->classification = PLDM_FW_CLASS_FIRMWARE;
		c->identifier = (uint16_t)(i + 1);
		c->active_version = (struct pldm_fd_string){
			PLDM_FD_STRING_ASCII, sizeof(v_active) - 1, v_active};
		c->pending_comparison_stamp = PLDM_FW_NO_COMPARISON_STAMP;
		c->activation_methods = PLDM_FW_ACTIVATION_AUTOMATIC;
	}
	e->comps[0].active_comparison_stamp = 1;
	e->fd_cfg = (struct pldm_fd_config){
		.descriptors = e->descs,
		.n_descriptors = 3,
		.components = e->comps,
		.n_components = 2,
		.active_image_set_version = {PLDM_FD_STRING_ASCII,
					     sizeof(v_set) - 1, v_set},
		.max_transfer_size = 1024,
	};
	e->fd_ops = (struct pldm_fd_ops){
		.ctx = &e->dev,
		.write = dev_write,
		.verify = dev_verify,
		.apply = dev_apply,
		.activate = dev_activate,
	};
	assert_int_equal(pldm_fd_init(&e->fd, &e->fd_cfg, &e->fd_ops), 0);
	assert_int_equal(pldm_base_init(&e->base, &base_cfg), 0);

	e->ua_cfg = (struct pldm_ua_config){
		.tid = TID,
		.max_transfer_size = XFER,
		.retries = PLDM_FW_PN1_RETRIES,
		.skip_not_updatable = true,
	};
	assert_int_equal(pldm_ua_init(&e->ua, &e->ua_cfg), 0);

	e->dcfg = (struct prot_pldm_mctp_device_config){
		.base = &e->base,
		.fd = &e->fd,
		.buf = e->dbuf,
		.buf_size = sizeof(e->dbuf),
	};
	e->acfg = (struct prot_pldm_mctp_agent_config){
		.ua = &e->ua,
		.fd_eid = B_EID,
		.base_retries = 2,
		.buf = e->abuf,
		.buf_size = sizeof(e->abuf),
	};
	assert_int_equal(
		prot_pldm_mctp_device_init(&e->dv, &e->b, &e->dcfg, e->now), 0);
	assert_int_equal(
		prot_pldm_mctp_agent_init(&e->ag, &e->a, &e->acfg, e->now), 0);
}

static size_t fq_deliver(struct fq *q, struct mctp_smbus *to)
{
	uint8_t frame[MCTP_SMBUS_FRAME_MAX];
	size_t n = 0;

	while (q->n) {
		size_t len = q->len[q->head];

		memcpy(frame, q->f[q->head], len);
		q->head = (q->head + 1) % QLEN;
		q->n--;
		assert_int_equal(mctp_smbus_rx(to, frame, len), 0);
		n++;
	}
	return n;
}

/*
 * Look at the device's packets before they leave (harness link): a start
 * of message with Tag Owner set is one of the FD's own requests: type
 * 0x01 without IC, PLDM Rq set, to the agent. Counted in fd_requests_seen.
 */
static unsigned int fd_requests_seen;

static void scan_device_packets(void)
{
	for (size_t i = 0; i < env.link_b.count; i++) {
		const uint8_t *p = env.link_b.queue[i].data;

		if (!(p[3] & 0x80u) || !(p[3] & 0x08u))
			continue;
		assert_int_equal(p[1], A_EID);
		assert_int_equal(p[2], B_EID);
		assert_int_equal(p[MCTP_HEADER_SIZE], MCTP_MSG_TYPE_PLDM);
		assert_true(p[MCTP_HEADER_SIZE + 1] & PLDM_HDR_RQ);
		assert_int_equal(p[MCTP_HEADER_SIZE + 2], PLDM_TYPE_FW_UPDATE);
		fd_requests_seen++;
	}
}

/* Move packets both ways until both links are quiet. */
static void pump(void)
{
	for (int i = 0; i < 1000; i++) {
		size_t n;

		if (env.smbus) {
			n = fq_deliver(&env.qa, &env.sb);
			n += fq_deliver(&env.qb, &env.sa);
		} else {
			n = harness_link_deliver_all(&env.link_a,
						     &env.link_b.binding);
			scan_device_packets();
			n += harness_link_deliver_all(&env.link_b,
						      &env.link_a.binding);
		}
		if (!n)
			return;
	}
	fail_msg("links never went quiet");
}

/* One time step: both polls, then the links. */
static void step(void)
{
	uint32_t dl;

	env.now += STEP_MS;
	assert_true(prot_pldm_mctp_agent_poll(&env.ag, env.now, &dl) >= 0);
	assert_true(prot_pldm_mctp_device_poll(&env.dv, env.now, &dl) >= 0);
	pump();
}

static enum pldm_ua_result run_update(void)
{
	assert_int_equal(pldm_package_parse(&env.pkg, v13.buf, v13.len), 0);
	assert_int_equal(pldm_ua_start(&env.ua, &env.pkg, env.now), 0);
	for (unsigned int i = 0; i < 20000; i++) {
		step();
		if (pldm_ua_result(&env.ua, NULL) != PLDM_UA_RESULT_NONE)
			break;
	}
	return pldm_ua_result(&env.ua, NULL);
}

static void check_images(void)
{
	assert_false(env.dev.bad_write);
	assert_true(env.dev.len[0] >= comp0.len);
	assert_true(env.dev.len[1] >= comp1.len);
	assert_memory_equal(env.dev.img[0], comp0.buf, comp0.len);
	assert_memory_equal(env.dev.img[1], comp1.buf, comp1.len);
	assert_int_equal(env.dev.activates, 1);
	assert_int_equal(pldm_fd_state(&env.fd), PLDM_FW_STATE_IDLE);
}

static uint32_t counted(const struct prot_pldm_mctp_counters *c)
{
	return c->rx_requests + c->rx_responses + c->drop_type + c->drop_short +
	       c->drop_ic + c->drop_oversized + c->drop_mismatch +
	       c->drop_foreign + c->drop_unanswered + c->drop_rejected;
}

/* ---- Tests --------------------------------------------------------------- */

static void test_update_smbus(void **state)
{
	const struct prot_pldm_mctp_counters *cd, *ca;
	uint8_t eid = 0;

	(void)state;
	env_setup(true);
	assert_int_equal(prot_pldm_mctp_device_ua_eid(&env.dv, &eid), -ENOENT);
	assert_int_equal(run_update(), PLDM_UA_RESULT_SUCCESS);
	check_images();

	/* The UA's EID was learned from RequestUpdate. */
	assert_int_equal(prot_pldm_mctp_device_ua_eid(&env.dv, &eid), 0);
	assert_int_equal(eid, A_EID);

	/* Both ends sent requests and answered the other's; nothing lost,
	 * every message counted once, each handed to the glue. */
	cd = prot_pldm_mctp_device_counters(&env.dv);
	ca = prot_pldm_mctp_agent_counters(&env.ag);
	assert_true(cd->tx_requests > 0 && ca->tx_requests > 0);
	assert_int_equal(cd->rx_requests, ca->tx_requests);
	assert_int_equal(cd->tx_responses, cd->rx_requests);
	assert_int_equal(ca->rx_responses, ca->tx_requests);
	assert_int_equal(ca->rx_requests, cd->tx_requests);
	assert_int_equal(ca->tx_responses, ca->rx_requests);
	assert_int_equal(cd->rx_responses, cd->tx_requests);
	assert_int_equal(counted(cd), mctp_get_counters(&env.b)->rx_messages);
	assert_int_equal(counted(ca), mctp_get_counters(&env.a)->rx_messages);
	assert_int_equal(cd->tx_errors + ca->tx_errors + cd->tag_timeouts +
				 ca->tag_timeouts,
			 0);

	/* Fragmentation: more SMBus frames than messages (RequestFirmware-
	 * Data answers of 1 + 4 + 128 bytes over a 64-byte MTU). */
	assert_true(env.sa.counters.tx_frames >
		    ca->tx_requests + ca->tx_responses);
	assert_int_equal(env.sb.counters.rx_bad_pec, 0);
}

static uint32_t sent_requests(void)
{
	return env.dv.counters.tx_requests + env.ag.counters.tx_requests;
}

static void test_update_lost_frame(void **state)
{
	uint32_t clean;

	(void)state;
	env_setup(true);
	assert_int_equal(run_update(), PLDM_UA_RESULT_SUCCESS);
	clean = sent_requests();

	/* Again, losing the last fragment of the agent's answer to the first
	 * RequestFirmwareData (frame 8: 1 + 3 + 1 + 100 bytes over a 64-byte
	 * MTU), then a frame of one of the FD's own requests: the PLDM
	 * retries (FD after FD_T2, UA after PT1) recover. */
	for (unsigned int lost = 0; lost < 2; lost++) {
		env_setup(true);
		if (lost == 0)
			env.qa.drop_at = 8;
		else
			env.qb.drop_at = 8;
		assert_int_equal(run_update(), PLDM_UA_RESULT_SUCCESS);
		check_images();
		assert_int_equal(env.qa.dropped + env.qb.dropped, 1);
		if (lost == 0) {
			/* end of message, not start, tag owner clear */
			assert_int_equal(env.qa.dropped_flags & 0xC8u, 0x40u);
		} else {
			/* a whole request: start and end, tag owner set */
			assert_int_equal(env.qb.dropped_flags & 0xC8u, 0xC8u);
			assert_int_equal(env.qb.dropped_pldm,
					 MCTP_MSG_TYPE_PLDM);
		}
		assert_true(sent_requests() > clean);
	}
}

static void test_discovery(void **state)
{
	static const uint8_t get_tid[] = {0x01, 0x81, 0x00, 0x02};
	static const uint8_t tid_rsp[] = {0x01, 0x01, 0x00, 0x02, 0x00, TID};
	uint8_t hdr[MCTP_HEADER_SIZE], types[8], tid = 0, tag;
	uint32_t dl = 0;

	(void)state;
	env_setup(false);
	assert_int_equal(prot_pldm_mctp_agent_discovery(&env.ag, NULL, NULL),
			 -ENOENT);
	assert_int_equal(prot_pldm_mctp_agent_discover(&env.ag), 0);
	assert_int_equal(prot_pldm_mctp_agent_discover(&env.ag), -EBUSY);
	assert_int_equal(prot_pldm_mctp_agent_discovery(&env.ag, NULL, NULL),
			 -EINPROGRESS);

	/* GetTID: tag owner, to the FD. */
	assert_int_equal(env.link_a.count, 1);
	tag = env.link_a.queue[0].data[3] & 0x07u;
	harness_make_hdr(hdr, B_EID, A_EID, true, true, 0, true, tag);
	assert_int_equal(env.link_a.queue[0].len,
			 MCTP_HEADER_SIZE + sizeof(get_tid));
	assert_memory_equal(env.link_a.queue[0].data, hdr, MCTP_HEADER_SIZE);
	assert_memory_equal(env.link_a.queue[0].data + MCTP_HEADER_SIZE,
			    get_tid, sizeof(get_tid));
	harness_link_deliver_all(&env.link_a, &env.link_b.binding);

	/* The answer echoes the tag, tag owner clear, to the requester. */
	assert_int_equal(env.link_b.count, 1);
	harness_make_hdr(hdr, A_EID, B_EID, true, true, 0, false, tag);
	assert_int_equal(env.link_b.queue[0].len,
			 MCTP_HEADER_SIZE + sizeof(tid_rsp));
	assert_memory_equal(env.link_b.queue[0].data, hdr, MCTP_HEADER_SIZE);
	assert_memory_equal(env.link_b.queue[0].data + MCTP_HEADER_SIZE,
			    tid_rsp, sizeof(tid_rsp));
	pump();

	assert_int_equal(prot_pldm_mctp_agent_discovery(&env.ag, &tid, types),
			 0);
	assert_int_equal(tid, TID);
	/* types 0 and 5 */
	assert_int_equal(types[0], 0x21);
	for (unsigned int i = 1; i < 8; i++)
		assert_int_equal(types[i], 0);
	assert_int_equal(env.ag.counters.tx_requests, 2);
	assert_int_equal(env.ag.counters.rx_responses, 2);

	/* Nothing timed on either side: no update, no discovery, no tag. */
	assert_int_equal(prot_pldm_mctp_agent_poll(&env.ag, env.now, &dl), 0);
	assert_int_equal(prot_pldm_mctp_device_poll(&env.dv, env.now, &dl), 0);

	/* A lost GetTID is sent again after base_timeout_ms; meanwhile the
	 * agent's deadline is that retry. */
	assert_int_equal(prot_pldm_mctp_agent_discover(&env.ag), 0);
	harness_link_clear(&env.link_a);
	assert_int_equal(prot_pldm_mctp_agent_poll(&env.ag, env.now, &dl), 1);
	assert_int_equal(dl, env.now + PLDM_FW_PT1_MS);
	step();
	assert_int_equal(prot_pldm_mctp_agent_discovery(&env.ag, NULL, NULL),
			 -EINPROGRESS);
	for (unsigned int i = 0; i < PLDM_FW_PT1_MS / STEP_MS; i++)
		step();
	assert_int_equal(prot_pldm_mctp_agent_discovery(&env.ag, &tid, NULL),
			 0);

	/* A silent FD: -ETIMEDOUT after the retries. */
	assert_int_equal(prot_pldm_mctp_agent_discover(&env.ag), 0);
	env.link_a.tx_error = -EIO;
	for (unsigned int i = 0; i < 4 * PLDM_FW_PT1_MS / STEP_MS; i++)
		step();
	assert_int_equal(prot_pldm_mctp_agent_discovery(&env.ag, NULL, NULL),
			 -ETIMEDOUT);
	assert_int_equal(env.ag.counters.tx_errors, 3);
}

/* A hand-made request from @src to the device, one packet. */
static void push_to_b(uint8_t src, const uint8_t *msg, size_t len,
		      bool tag_owner, uint8_t tag)
{
	uint8_t pkt[MCTP_HEADER_SIZE + 64];

	assert_true(len <= 64);
	harness_make_hdr(pkt, B_EID, src, true, true, 0, tag_owner, tag);
	memcpy(pkt + MCTP_HEADER_SIZE, msg, len);
	assert_int_equal(
		harness_link_push(&env.link_a, pkt, MCTP_HEADER_SIZE + len), 0);
	harness_link_deliver_all(&env.link_a, &env.link_b.binding);
}

static void test_tags_eids(void **state)
{
	/* GetTID from a third endpoint, tag 5; GetPLDMTypes of type 2
	 * (platform, not served): answered INVALID_PLDM_TYPE by the glue. */
	static const uint8_t get_tid[] = {0x01, 0x87, 0x00, 0x02};
	static const uint8_t tid_rsp[] = {0x01, 0x07, 0x00, 0x02, 0x00, TID};
	static const uint8_t platform[] = {0x01, 0x83, 0x02, 0x11};
	static const uint8_t bad_type[] = {0x01, 0x03, 0x02, 0x11, 0x20};
	uint8_t hdr[MCTP_HEADER_SIZE];

	(void)state;
	env_setup(false);
	push_to_b(C_EID, get_tid, sizeof(get_tid), true, 5);
	assert_int_equal(env.link_b.count, 1);
	harness_make_hdr(hdr, C_EID, B_EID, true, true, 0, false, 5);
	assert_memory_equal(env.link_b.queue[0].data, hdr, MCTP_HEADER_SIZE);
	assert_memory_equal(env.link_b.queue[0].data + MCTP_HEADER_SIZE,
			    tid_rsp, sizeof(tid_rsp));
	harness_link_clear(&env.link_b);

	push_to_b(C_EID, platform, sizeof(platform), true, 2);
	assert_int_equal(env.link_b.count, 1);
	harness_make_hdr(hdr, C_EID, B_EID, true, true, 0, false, 2);
	assert_memory_equal(env.link_b.queue[0].data, hdr, MCTP_HEADER_SIZE);
	assert_int_equal(env.link_b.queue[0].len,
			 MCTP_HEADER_SIZE + sizeof(bad_type));
	assert_memory_equal(env.link_b.queue[0].data + MCTP_HEADER_SIZE,
			    bad_type, sizeof(bad_type));
	assert_int_equal(env.dv.counters.unsupported_type, 1);
	assert_int_equal(env.dv.counters.rx_requests, 2);
	harness_link_clear(&env.link_b);
	fd_requests_seen = 0;

	/* An update over the harness link: the FD's own requests
	 * (RequestFirmwareData...) go to the learned UA with tag owner set
	 * and the agent's answers echo their tags. */
	assert_int_equal(run_update(), PLDM_UA_RESULT_SUCCESS);
	check_images();
	assert_true(env.dv.counters.tx_requests > 0);
	assert_int_equal(fd_requests_seen, env.dv.counters.tx_requests);
	assert_int_equal(env.ag.counters.rx_requests,
			 env.dv.counters.tx_requests);
	assert_int_equal(env.dv.counters.rx_responses,
			 env.dv.counters.tx_requests);
	assert_int_equal(mctp_get_counters(&env.b)->rx_drop_unexpected, 0);
	assert_int_equal(mctp_get_counters(&env.a)->rx_drop_unexpected, 0);
}

static void test_refusals(void **state)
{
	static uint8_t big[DEV_BUF + 1];
	static const uint8_t get_tid[] = {0x01, 0x81, 0x00, 0x02};
	static const uint8_t ic_tid[] = {0x81, 0x81, 0x00, 0x02};
	static const uint8_t rsp_as_req[] = {0x01, 0x01, 0x00, 0x02};
	static const uint8_t unacked[] = {0x01, 0xC1, 0x00, 0x02};
	static const uint8_t fw_status[] = {0x01, 0x81, 0x05, 0x1B};
	static const uint8_t stale_rsp[] = {0x01, 0x01, 0x05, 0x15, 0x00};
	static const uint8_t spdm[] = {0x05, 0x10, 0x84, 0x00, 0x00};
	static const uint8_t tid_rsp[] = {0x01, 0x01, 0x00, 0x02, 0x00, TID};
	struct mctp_msg_info req = {.src_eid = C_EID,
				    .dest_eid = B_EID,
				    .tag = 1,
				    .tag_owner = true,
				    .type = MCTP_MSG_TYPE_PLDM};
	struct mctp_msg_info rsp = req;
	struct mctp_msg_info info;
	struct prot_pldm_mctp_device_config bad;
	struct prot_pldm_mctp_device d2;
	uint8_t eid = 0;
	const struct prot_pldm_mctp_counters *c;

	(void)state;
	env_setup(false);
	rsp.tag_owner = false;
	c = prot_pldm_mctp_device_counters(&env.dv);

	info = req;
	info.type = MCTP_MSG_TYPE_SPDM;
	assert_int_equal(prot_pldm_mctp_device_rx(&env.dv, &info, spdm,
						  sizeof(spdm)),
			 -EPROTOTYPE);
	assert_int_equal(c->drop_type, 1);
	assert_int_equal(prot_pldm_mctp_device_rx(&env.dv, &req, get_tid, 3),
			 -EBADMSG);
	assert_int_equal(c->drop_short, 1);
	info = req;
	info.ic = true;
	assert_int_equal(prot_pldm_mctp_device_rx(&env.dv, &info, ic_tid,
						  sizeof(ic_tid)),
			 -EPROTO);
	assert_int_equal(c->drop_ic, 1);
	memcpy(big, get_tid, sizeof(get_tid));
	assert_int_equal(prot_pldm_mctp_device_rx(&env.dv, &req, big,
						  sizeof(big)),
			 -EMSGSIZE);
	assert_int_equal(c->drop_oversized, 1);
	assert_int_equal(prot_pldm_mctp_device_rx(&env.dv, &req, rsp_as_req,
						  sizeof(rsp_as_req)),
			 -EILSEQ);
	assert_int_equal(prot_pldm_mctp_device_rx(&env.dv, &rsp, get_tid,
						  sizeof(get_tid)),
			 -EILSEQ);
	assert_int_equal(c->drop_mismatch, 2);
	assert_int_equal(prot_pldm_mctp_device_rx(&env.dv, &req, unacked,
						  sizeof(unacked)),
			 -ENOMSG);
	assert_int_equal(c->drop_unanswered, 1);
	assert_int_equal(prot_pldm_mctp_device_rx(&env.dv, &rsp, stale_rsp,
						  sizeof(stale_rsp)),
			 -ESTALE);
	assert_int_equal(c->drop_rejected, 1);
	assert_int_equal(prot_pldm_mctp_device_rx(NULL, &req, get_tid,
						  sizeof(get_tid)),
			 -EINVAL);
	/* None of these was answered. */
	assert_int_equal(env.link_b.count, 0);
	assert_int_equal(c->rx_requests + c->tx_responses, 0);

	/* The same refusals through the stack: IC bit, another type is not
	 * ours (libmctp keeps it: no handler). */
	push_to_b(C_EID, ic_tid, sizeof(ic_tid), true, 3);
	assert_int_equal(c->drop_ic, 2);
	push_to_b(C_EID, spdm, sizeof(spdm), true, 3);
	assert_int_equal(mctp_get_counters(&env.b)->rx_drop_no_handler, 1);
	assert_int_equal(env.link_b.count, 0);

	/* A type-5 request is served for anyone in learned mode ... */
	assert_int_equal(prot_pldm_mctp_device_rx(&env.dv, &req, fw_status,
						  sizeof(fw_status)),
			 0);
	assert_int_equal(env.link_b.count, 1);
	harness_link_clear(&env.link_b);

	/* ... and only for the UA when it is configured; base commands still
	 * for everyone. */
	env.dcfg.fixed_ua = true;
	env.dcfg.ua_eid = A_EID;
	mctp_init(&env.b, NULL);
	assert_int_equal(mctp_set_eid(&env.b, B_EID), 0);
	assert_true(mctp_bus_register(&env.b, &env.link_b.binding) >= 0);
	assert_int_equal(prot_pldm_mctp_device_init(&env.dv, &env.b, &env.dcfg,
						    env.now),
			 0);
	assert_int_equal(prot_pldm_mctp_device_rx(&env.dv, &req, fw_status,
						  sizeof(fw_status)),
			 -EACCES);
	assert_int_equal(c->drop_foreign, 1);
	assert_int_equal(prot_pldm_mctp_device_rx(&env.dv, &req, get_tid,
						  sizeof(get_tid)),
			 0);
	info = req;
	info.src_eid = A_EID;
	assert_int_equal(prot_pldm_mctp_device_rx(&env.dv, &info, fw_status,
						  sizeof(fw_status)),
			 0);
	assert_int_equal(prot_pldm_mctp_device_ua_eid(&env.dv, &eid), 0);
	assert_int_equal(eid, A_EID);

	/* The agent takes type-5 requests from its FD only. */
	assert_int_equal(prot_pldm_mctp_agent_rx(&env.ag, &req, fw_status,
						 sizeof(fw_status)),
			 -EACCES);
	assert_int_equal(env.ag.counters.drop_foreign, 1);
	/* and no response it did not ask for */
	info = rsp;
	info.src_eid = B_EID;
	assert_int_equal(prot_pldm_mctp_agent_rx(&env.ag, &info, tid_rsp,
						 sizeof(tid_rsp)),
			 -ESTALE);

	/* init refusals */
	{
		struct prot_pldm_mctp_agent_config abad = env.acfg;
		struct prot_pldm_mctp_agent a2;

		abad.buf_size = PROT_PLDM_MCTP_AGENT_BUF_MIN - 1;
		assert_int_equal(prot_pldm_mctp_agent_init(&a2, &env.a, &abad,
							   0),
				 -EINVAL);
		abad = env.acfg;
		abad.fd_eid = MCTP_EID_BROADCAST;
		assert_int_equal(prot_pldm_mctp_agent_init(&a2, &env.a, &abad,
							   0),
				 -EINVAL);
		abad = env.acfg;
		abad.ua = NULL;
		assert_int_equal(prot_pldm_mctp_agent_init(&a2, &env.a, &abad,
							   0),
				 -EINVAL);
	}
	bad = env.dcfg;
	bad.base = NULL;
	bad.fd = NULL;
	assert_int_equal(prot_pldm_mctp_device_init(&d2, &env.b, &bad, 0),
			 -EINVAL);
	bad = env.dcfg;
	bad.buf_size = PROT_PLDM_MCTP_DEVICE_BUF_MIN - 1;
	assert_int_equal(prot_pldm_mctp_device_init(&d2, &env.b, &bad, 0),
			 -EINVAL);
	bad = env.dcfg;
	bad.ua_eid = 0x03;
	assert_int_equal(prot_pldm_mctp_device_init(&d2, &env.b, &bad, 0),
			 -EINVAL);
}

static int group_setup(void **state)
{
	(void)state;
	load(&v13, "sample-v1.3.pldm");
	load(&comp0, "fw_comp0.bin");
	load(&comp1, "fw_comp1.bin");
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_update_smbus),
		cmocka_unit_test(test_update_lost_frame),
		cmocka_unit_test(test_discovery),
		cmocka_unit_test(test_tags_eids),
		cmocka_unit_test(test_refusals),
	};

	return cmocka_run_group_tests(tests, group_setup, NULL);
}
