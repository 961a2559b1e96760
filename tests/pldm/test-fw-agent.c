/* SPDX-License-Identifier: Apache-2.0 */
/*
 * DSP0267 1.3 Update Agent against a scripted fake FD written in this file
 * (hand-written responses and FD requests; not libpldm-fw's FD).
 *
 * Golden bytes are worked out by hand from the DSP0267 1.3 message tables
 * (checked field by field against openbmc/libpldm's firmware_update.h
 * structs), with a comment per field. Header byte 0 is Rq(7) D(6)
 * rsvd(5) instance(4:0); byte 1 is header version 00 and type 05; byte 2
 * the command. So a UA request with instance 3 starts 83 05, its
 * response 03 05. Multi-byte fields are little-endian.
 *
 * Package vectors (PLDM_VECTOR_DIR): sample-v1.3.pldm, one FD record with
 * descriptors IANA 0x1647 (47 16 00 00), PCI device ID 0x1234 (34 12),
 * vendor-defined "Demo" (01 04 'Demo' CA FE), image set version
 * "demo-fw-1.0", no package data; component 0: classification 0x000A, id
 * 1, stamp 2, ComponentOptions 0x0002 (bit 1, use comparison stamp; the
 * .json lists bit numbers), 100 bytes
 * (fw_comp0.bin), "comp0-v2"; component 1: 0x000A, id 2, stamp
 * 0xFFFFFFFF, 54 bytes (fw_comp1.bin), "comp1-v1". sample-v1.0.pldm holds
 * the same; the test inserts 40 bytes of FD package data into it.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "pldm/fw-agent.h"

#ifndef PLDM_VECTOR_DIR
#error "PLDM_VECTOR_DIR must be set by the build"
#endif

#define MAX_FILE 4096

struct file {
	uint8_t data[MAX_FILE];
	size_t len;
};

static struct file v10, v13, comp0, comp1, v10_pkgdata;

static void load(struct file *f, const char *name)
{
	char path[512];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s", PLDM_VECTOR_DIR, name);
	fp = fopen(path, "rb");
	if (!fp)
		fail_msg("missing vector %s", path);
	f->len = fread(f->data, 1, sizeof(f->data), fp);
	fclose(fp);
	assert_true(f->len > 0 && f->len < sizeof(f->data));
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)v);
	put16(p + 2, (uint16_t)(v >> 16));
}

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)get16(p) | (uint32_t)get16(p + 2) << 16;
}

#define PKGDATA_LEN 40u

/*
 * sample-v1.0.pldm with 40 bytes of FirmwareDevicePackageData (0xD0 +
 * i) inserted after the record's descriptors (offset 0x62), and every
 * length, offset and the header checksum adjusted. Offsets (v1.0 layout):
 * 0x11 PackageHeaderSize, 0x31 RecordLength, 0x3A
 * FirmwareDevicePackageDataLength, 0x70 and 0x8E the two
 * ComponentLocationOffsets (before the insertion), header checksum in
 * the last 4 header bytes.
 */
static void make_v10_pkgdata(void)
{
	const size_t at = 0x62;
	uint16_t hs;
	size_t i;

	memcpy(v10_pkgdata.data, v10.data, at);
	for (i = 0; i < PKGDATA_LEN; i++)
		v10_pkgdata.data[at + i] = (uint8_t)(0xD0 + i);
	memcpy(v10_pkgdata.data + at + PKGDATA_LEN, v10.data + at,
	       v10.len - at);
	v10_pkgdata.len = v10.len + PKGDATA_LEN;
	hs = get16(v10.data + 0x11);
	assert_int_equal(hs, 0xA4);
	put16(v10_pkgdata.data + 0x11, (uint16_t)(hs + PKGDATA_LEN));
	assert_int_equal(get16(v10.data + 0x31), 0x31);
	put16(v10_pkgdata.data + 0x31, 0x31 + PKGDATA_LEN);
	put16(v10_pkgdata.data + 0x3A, PKGDATA_LEN);
	assert_int_equal(get32(v10.data + 0x70), 0xA4);
	put32(v10_pkgdata.data + 0x70 + PKGDATA_LEN, 0xA4 + PKGDATA_LEN);
	assert_int_equal(get32(v10.data + 0x8E), 0x108);
	put32(v10_pkgdata.data + 0x8E + PKGDATA_LEN, 0x108 + PKGDATA_LEN);
	put32(v10_pkgdata.data + hs + PKGDATA_LEN - 4,
	      pldm_crc32(v10_pkgdata.data, hs + PKGDATA_LEN - 4));
}

static int setup(void **state)
{
	(void)state;
	load(&v10, "sample-v1.0.pldm");
	load(&v13, "sample-v1.3.pldm");
	load(&comp0, "fw_comp0.bin");
	load(&comp1, "fw_comp1.bin");
	assert_int_equal(comp0.len, 100);
	assert_int_equal(comp1.len, 54);
	make_v10_pkgdata();
	return 0;
}

/* ---- Test environment ---------------------------------------------------- */

#define MAX_EVENTS 256

struct env {
	struct pldm_ua_config cfg;
	struct pldm_ua ua;
	struct pldm_package pkg;
	uint8_t out[600];
	size_t out_len;
	uint8_t iid;   /* the UA's next instance ID */
	uint8_t fdiid; /* the fake FD's next instance ID */
	uint32_t now;
	struct pldm_ua_progress events[MAX_EVENTS];
	size_t n_events;
};

static void on_progress(void *ctx, const struct pldm_ua_progress *p)
{
	struct env *e = ctx;

	if (e->n_events < MAX_EVENTS)
		e->events[e->n_events++] = *p;
}

static void env_init(struct env *e, const struct file *pkg)
{
	memset(e, 0, sizeof(*e));
	e->cfg.tid = 9;
	e->cfg.max_transfer_size = 64;
	e->cfg.response_timeout_ms = 100;
	e->cfg.retries = 2;
	e->cfg.fd_silence_ms = 1000;
	e->cfg.status_probes = 2;
	e->cfg.retry_request_update_ms = 500;
	e->cfg.request_update_retries = 1;
	e->cfg.progress = on_progress;
	e->cfg.ctx = e;
	e->now = 1000;
	assert_int_equal(pldm_package_parse(&e->pkg, pkg->data, pkg->len), 0);
	assert_int_equal(pldm_ua_init(&e->ua, &e->cfg), 0);
}

static void env_start(struct env *e)
{
	assert_int_equal(pldm_ua_start(&e->ua, &e->pkg, e->now), 0);
}

static void expect_poll(struct env *e, const uint8_t *want, size_t n)
{
	e->out_len = sizeof(e->out);
	assert_int_equal(pldm_ua_poll(&e->ua, e->now, e->out, &e->out_len), 0);
	assert_int_equal(e->out_len, n);
	assert_memory_equal(e->out, want, n);
}

#define EXPECT_POLL(e, ...)                                                    \
	do {                                                                   \
		const uint8_t w_[] = {__VA_ARGS__};                            \
		expect_poll(e, w_, sizeof(w_));                                \
	} while (0)

static void expect_nothing(struct env *e)
{
	e->out_len = sizeof(e->out);
	assert_int_equal(pldm_ua_poll(&e->ua, e->now, e->out, &e->out_len), 0);
	assert_int_equal(e->out_len, 0);
}

static int rx(struct env *e, const uint8_t *msg, size_t n)
{
	e->out_len = sizeof(e->out);
	return pldm_ua_rx(&e->ua, e->now, msg, n, e->out, &e->out_len);
}

/* A response from the FD, consumed with nothing sent back. */
#define RX_OK(e, ...)                                                          \
	do {                                                                   \
		const uint8_t m_[] = {__VA_ARGS__};                            \
		assert_int_equal(rx(e, m_, sizeof(m_)), 0);                    \
		assert_int_equal((e)->out_len, 0);                             \
	} while (0)

#define RX_RC(e, rc, ...)                                                      \
	do {                                                                   \
		const uint8_t m_[] = {__VA_ARGS__};                            \
		assert_int_equal(rx(e, m_, sizeof(m_)), rc);                   \
	} while (0)

/* The UA's answer to the last FD request. */
#define EXPECT_OUT(e, ...)                                                     \
	do {                                                                   \
		const uint8_t w_[] = {__VA_ARGS__};                            \
		assert_int_equal((e)->out_len, sizeof(w_));                    \
		assert_memory_equal((e)->out, w_, sizeof(w_));                 \
	} while (0)

#define RQ(iid) (uint8_t)(0x80u | (iid))
#define Z8 0, 0, 0, 0, 0, 0, 0, 0

static enum pldm_ua_result result(struct env *e, struct pldm_ua_outcome *o)
{
	return pldm_ua_result(&e->ua, o);
}

/* ---- Flow steps (golden bytes) ------------------------------------------ */

static void answer_identify(struct env *e)
{
	RX_OK(e, e->iid, 0x05, 0x01, 0x00, /* CompletionCode */
	      0x20, 0x00, 0x00, 0x00,      /* DeviceIdentifiersLength 32 */
	      0x04,                        /* DescriptorCount */
	      0x00, 0x00, 0x02, 0x00, 0x86, 0x80, /* PCI vendor 0x8086 */
	      0x01, 0x00, 0x04, 0x00, 0x47, 0x16, 0x00, 0x00, /* IANA */
	      0x00, 0x01, 0x02, 0x00, 0x34, 0x12, /* PCI device 0x1234 */
	      0xFF, 0xFF, 0x08, 0x00,             /* vendor defined, 8 */
	      0x01, 0x04, 'D', 'e', 'm', 'o',     /* title ASCII "Demo" */
	      0xCA, 0xFE);                        /* data */
	e->iid++;
	assert_int_equal(pldm_ua_phase(&e->ua), PLDM_UA_PHASE_GET_PARAMETERS);
}

static void step_identify(struct env *e)
{
	/* QueryDeviceIdentifiers request: header only */
	EXPECT_POLL(e, RQ(e->iid), 0x05, 0x01);
	answer_identify(e);
}

/* GetFirmwareParameters response listing component ids 1 and 2. */
#define GFP_HEAD(iid, count)                                                   \
	(iid), 0x05, 0x02, 0x00,        /* CompletionCode */                   \
		0x00, 0x00, 0x00, 0x00, /* CapabilitiesDuringUpdate */         \
		(count), 0x00,          /* ComponentCount */                   \
		0x01, 0x03,             /* active set version ASCII, 3 */      \
		0x00, 0x00,             /* pending set version: none */        \
		'1', '.', '0'
/* One component parameter table entry (39 bytes + "v1"). */
#define GFP_ENTRY(id, index)                                                   \
	0x0A, 0x00,                     /* ComponentClassification */          \
		(id), 0x00,             /* ComponentIdentifier */              \
		(index),                /* ComponentClassificationIndex */     \
		0x01, 0x00, 0x00, 0x00, /* ActiveComponentComparisonStamp */   \
		0x01, 0x02,             /* active version string ASCII, 2 */   \
		Z8,                     /* ActiveComponentReleaseDate */       \
		0x00, 0x00, 0x00, 0x00, /* PendingComponentComparisonStamp */  \
		0x00, 0x00,             /* pending version string none */      \
		Z8,                     /* PendingComponentReleaseDate */      \
		0x00, 0x00,             /* ComponentActivationMethods */       \
		0x00, 0x00, 0x00, 0x00, /* CapabilitiesDuringUpdate */         \
		'v', '1'                /* ActiveComponentVersionString */

static void step_params(struct env *e)
{
	EXPECT_POLL(e, RQ(e->iid), 0x05, 0x02);
	RX_OK(e, GFP_HEAD(e->iid, 2), GFP_ENTRY(1, 0), GFP_ENTRY(2, 1));
	e->iid++;
}

/* The FD lists component 7 (not in the package) and component 2 only. */
static void step_params_one(struct env *e)
{
	EXPECT_POLL(e, RQ(e->iid), 0x05, 0x02);
	RX_OK(e, GFP_HEAD(e->iid, 2), GFP_ENTRY(7, 0), GFP_ENTRY(2, 5));
	e->iid++;
}

static void poll_request_update(struct env *e, uint8_t n_comps)
{
	EXPECT_POLL(e, RQ(e->iid), 0x05, 0x10, 0x40, 0x00, 0x00,
		    0x00,          /* MaximumTransferSize 64 */
		    n_comps, 0x00, /* NumberOfComponents */
		    0x01,          /* MaximumOutstandingTransferRequests */
		    0x00, 0x00,    /* PackageDataLength 0 */
		    0x01, 0x0B,    /* set version ASCII, 11 */
		    'd', 'e', 'm', 'o', '-', 'f', 'w', '-', '1', '.', '0');
}

static void step_request_update(struct env *e, uint8_t n_comps)
{
	poll_request_update(e, n_comps);
	RX_OK(e, e->iid, 0x05, 0x10, 0x00, /* CompletionCode */
	      0x00, 0x00,                  /* FirmwareDeviceMetaDataLength */
	      0x00);                       /* FDWillSendGetPackageData: no */
	e->iid++;
}

static void pass_comp0(struct env *e, uint8_t flag)
{
	EXPECT_POLL(e, RQ(e->iid), 0x05, 0x13, flag, /* TransferFlag */
		    0x0A, 0x00,             /* ComponentClassification */
		    0x01, 0x00,             /* ComponentIdentifier */
		    0x00,                   /* ComponentClassificationIndex */
		    0x02, 0x00, 0x00, 0x00, /* ComponentComparisonStamp */
		    0x01, 0x08,             /* version ASCII, 8 */
		    'c', 'o', 'm', 'p', '0', '-', 'v', '2');
}

static void pass_comp1(struct env *e, uint8_t flag, uint8_t index)
{
	EXPECT_POLL(e, RQ(e->iid), 0x05, 0x13, flag, 0x0A, 0x00, 0x02, 0x00,
		    index, 0xFF, 0xFF, 0xFF, 0xFF, /* no comparison stamp */
		    0x01, 0x08, 'c', 'o', 'm', 'p', '1', '-', 'v', '1');
}

static void pass_ok(struct env *e)
{
	RX_OK(e, e->iid, 0x05, 0x13, 0x00, /* CompletionCode */
	      0x00,                        /* ComponentResponse: can update */
	      0x00);                       /* ComponentResponseCode */
	e->iid++;
}

static void step_pass_table(struct env *e)
{
	pass_comp0(e, 0x01); /* Start */
	pass_ok(e);
	pass_comp1(e, 0x04, 0x01); /* End */
	pass_ok(e);
}

static void update_comp0_flags(struct env *e, uint8_t flags)
{
	EXPECT_POLL(e, RQ(e->iid), 0x05, 0x14, 0x0A, 0x00, /* classification */
		    0x01, 0x00,              /* ComponentIdentifier */
		    0x00,                    /* ComponentClassificationIndex */
		    0x02, 0x00, 0x00, 0x00,  /* ComponentComparisonStamp */
		    0x64, 0x00, 0x00, 0x00,  /* ComponentImageSize 100 */
		    flags, 0x00, 0x00, 0x00, /* UpdateOptionFlags */
		    0x01, 0x08, 'c', 'o', 'm', 'p', '0', '-', 'v', '2');
}

static void update_comp0(struct env *e)
{
	update_comp0_flags(e, 0x00);
}

static void update_comp1(struct env *e, uint8_t index)
{
	EXPECT_POLL(e, RQ(e->iid), 0x05, 0x14, 0x0A, 0x00, 0x02, 0x00, index,
		    0xFF, 0xFF, 0xFF, 0xFF, /* ComponentComparisonStamp */
		    0x36, 0x00, 0x00, 0x00, /* ComponentImageSize 54 */
		    0x00, 0x00, 0x00, 0x00, /* UpdateOptionFlags */
		    0x01, 0x08, 'c', 'o', 'm', 'p', '1', '-', 'v', '1');
}

static void update_ok(struct env *e)
{
	RX_OK(e, e->iid, 0x05, 0x14, 0x00, /* CompletionCode */
	      0x00,                        /* ComponentCompatibilityResponse */
	      0x00,                   /* ComponentCompatibilityResponseCode */
	      0x00, 0x00, 0x00, 0x00, /* UpdateOptionFlagsEnabled */
	      0x00, 0x00);            /* EstimatedTimeUntilUpdateComponent */
	e->iid++;
	assert_int_equal(pldm_ua_phase(&e->ua), PLDM_UA_PHASE_DOWNLOAD);
}

/* FD: RequestFirmwareData(offset, length); the UA answers cc 00 and
 * length bytes: the image from offset, zero-padded past its end. */
static void fetch(struct env *e, const struct file *img, uint32_t offset,
		  uint32_t length)
{
	uint8_t req[11] = {RQ(e->fdiid), 0x05, 0x15};
	size_t n, i;

	put32(req + 3, offset); /* Offset */
	put32(req + 7, length); /* Length */
	assert_int_equal(rx(e, req, sizeof(req)), 0);
	assert_int_equal(e->out_len, 4 + length);
	assert_int_equal(e->out[0], e->fdiid); /* Rq clear, FD's instance */
	assert_int_equal(e->out[1], 0x05);
	assert_int_equal(e->out[2], 0x15);
	assert_int_equal(e->out[3], 0x00); /* CompletionCode */
	n = img->len - offset < length ? img->len - offset : length;
	assert_memory_equal(e->out + 4, img->data + offset, n);
	for (i = n; i < length; i++)
		assert_int_equal(e->out[4 + i], 0x00);
	e->fdiid = (uint8_t)((e->fdiid + 1) & 0x1F);
}

/* FD request with a one-byte (or three-byte for ApplyComplete) result;
 * the UA answers the CompletionCode only. */
static void fd_complete(struct env *e, uint8_t cmd, uint8_t result)
{
	uint8_t req[6] = {RQ(e->fdiid), 0x05, cmd, result, 0x00, 0x00};
	size_t n = cmd == 0x18 ? 6 : 4;

	assert_int_equal(rx(e, req, n), 0);
	EXPECT_OUT(e, e->fdiid, 0x05, cmd, 0x00);
	e->fdiid = (uint8_t)((e->fdiid + 1) & 0x1F);
}

static void step_download(struct env *e, const struct file *img)
{
	uint32_t off;

	for (off = 0; off < img->len; off += 64)
		fetch(e, img, off, 64);
	fd_complete(e, 0x16, 0x00); /* TransferComplete: success */
	assert_int_equal(pldm_ua_phase(&e->ua), PLDM_UA_PHASE_VERIFY);
	fd_complete(e, 0x17, 0x00); /* VerifyComplete: success */
	assert_int_equal(pldm_ua_phase(&e->ua), PLDM_UA_PHASE_APPLY);
	fd_complete(e, 0x18, 0x00); /* ApplyComplete: success, no change */
}

static void step_activate(struct env *e)
{
	EXPECT_POLL(e, RQ(e->iid), 0x05, 0x1A,
		    0x00); /* SelfContainedActivationRequest: false */
	RX_OK(e, e->iid, 0x05, 0x1A, 0x00, /* CompletionCode */
	      0x0A, 0x00); /* EstimatedTimeForSelfContainedActivation */
	e->iid++;
}

/* CancelUpdate, answered SUCCESS with all components functioning. */
static void step_cancel(struct env *e)
{
	EXPECT_POLL(e, RQ(e->iid), 0x05, 0x1D);
	RX_OK(e, e->iid, 0x05, 0x1D, 0x00, /* CompletionCode */
	      0x00, /* NonFunctioningComponentIndication */
	      Z8);  /* NonFunctioningComponentBitmap */
	e->iid++;
	assert_int_equal(pldm_ua_phase(&e->ua), PLDM_UA_PHASE_DONE);
}

/* Up to the download of component 0 of sample-v1.3. */
static void to_download(struct env *e)
{
	env_init(e, &v13);
	env_start(e);
	step_identify(e);
	step_params(e);
	step_request_update(e, 2);
	step_pass_table(e);
	update_comp0(e);
	update_ok(e);
}

/* ---- Tests ---------------------------------------------------------------- */

static void test_init_and_start_errors(void **state)
{
	struct env e;
	struct pldm_package bad;
	uint32_t t;

	(void)state;
	env_init(&e, &v13);
	assert_int_equal(pldm_ua_init(NULL, &e.cfg), -EINVAL);
	assert_int_equal(pldm_ua_init(&e.ua, NULL), -EINVAL);
	e.cfg.max_transfer_size = 31;
	assert_int_equal(pldm_ua_init(&e.ua, &e.cfg), -EINVAL);
	e.cfg.max_transfer_size = 32;
	assert_int_equal(pldm_ua_init(&e.ua, &e.cfg), 0);
	assert_int_equal(pldm_ua_start(&e.ua, NULL, 0), -EINVAL);
	/* a package that failed to parse */
	assert_int_not_equal(pldm_package_parse(&bad, v13.data, 10), 0);
	assert_true(pldm_ua_start(&e.ua, &bad, 0) < 0);
	assert_int_equal(pldm_ua_result(&e.ua, NULL), PLDM_UA_RESULT_NONE);
	assert_int_equal(pldm_ua_next_deadline(&e.ua, &t), 0);
	assert_int_equal(pldm_ua_cancel(&e.ua, 0), -EALREADY);
	env_start(&e);
	assert_int_equal(pldm_ua_start(&e.ua, &e.pkg, 0), -EBUSY);
	assert_int_equal(pldm_ua_poll(&e.ua, 0, NULL, &e.out_len), -EINVAL);
	/* too small for QueryDeviceIdentifiers: nothing sent, retry works */
	e.out_len = 2;
	assert_int_equal(pldm_ua_poll(&e.ua, e.now, e.out, &e.out_len),
			 -EMSGSIZE);
	e.iid = 1; /* the ID allocated for the failed poll is skipped */
	step_identify(&e);
	/* not a PLDM type 5 message, too short */
	RX_RC(&e, -EBADMSG, 0x01, 0x00, 0x02, 0x00);
	RX_RC(&e, -EBADMSG, 0x01, 0x05);
}

static void test_update_two_components(void **state)
{
	struct env e;
	struct pldm_ua_outcome o;
	const struct pldm_ua_component *c;
	uint16_t n;
	size_t i, served_events = 0;

	(void)state;
	env_init(&e, &v13);
	env_start(&e);
	assert_int_equal(e.events[0].phase, PLDM_UA_PHASE_IDENTIFY);
	step_identify(&e);
	step_params(&e);
	c = pldm_ua_components(&e.ua, &n);
	assert_int_equal(n, 2);
	assert_int_equal(c[0].identifier, 1);
	assert_int_equal(c[1].classification_index, 1);
	assert_int_equal(c[0].fd_active_comparison_stamp, 1);
	assert_ptr_equal(c[0].image.ptr, e.pkg.buf + 0xB5); /* zero copy */
	step_request_update(&e, 2);
	step_pass_table(&e);
	update_comp0(&e);
	update_ok(&e);
	step_download(&e, &comp0);
	update_comp1(&e, 0x01);
	update_ok(&e);
	step_download(&e, &comp1);
	assert_int_equal(result(&e, NULL), PLDM_UA_RESULT_NONE);
	step_activate(&e);
	assert_int_equal(result(&e, &o), PLDM_UA_RESULT_SUCCESS);
	assert_int_equal(o.raw, 0x00);
	assert_int_equal(pldm_ua_phase(&e.ua), PLDM_UA_PHASE_DONE);
	expect_nothing(&e);
	c = pldm_ua_components(&e.ua, &n);
	assert_true(c[0].updated && c[1].updated);
	/* progress: bytes served grow to the image size, per component */
	for (i = 0; i < e.n_events; i++) {
		if (e.events[i].phase != PLDM_UA_PHASE_DOWNLOAD ||
		    e.events[i].bytes_served == 0)
			continue;
		served_events++;
		assert_true(e.events[i].bytes_served <=
			    e.events[i].component_size);
		assert_int_equal(e.events[i].component_count, 2);
	}
	assert_int_equal(served_events, 3); /* 2 + 1 fetches */
	assert_int_equal(e.events[e.n_events - 1].phase, PLDM_UA_PHASE_DONE);
}

static void test_update_one_component(void **state)
{
	struct env e;

	(void)state;
	env_init(&e, &v13);
	e.cfg.self_contained_activation = true;
	env_start(&e);
	step_identify(&e);
	step_params_one(&e);
	step_request_update(&e, 1);
	pass_comp1(&e, 0x05, 0x05); /* StartAndEnd, the FD's index 5 */
	pass_ok(&e);
	update_comp1(&e, 0x05);
	update_ok(&e);
	step_download(&e, &comp1);
	EXPECT_POLL(&e, RQ(e.iid), 0x05, 0x1A, 0x01); /* self-contained */
	RX_OK(&e, e.iid, 0x05, 0x1A, 0x8B); /* ACTIVATION_NOT_REQUIRED */
	assert_int_equal(result(&e, NULL), PLDM_UA_RESULT_SUCCESS);
}

static void test_package_data(void **state)
{
	struct env e;
	size_t i;

	(void)state;
	env_init(&e, &v10_pkgdata);
	env_start(&e);
	step_identify(&e);
	step_params(&e);
	EXPECT_POLL(&e, RQ(e.iid), 0x05, 0x10, 0x40, 0x00, 0x00, 0x00, 0x02,
		    0x00, 0x01, 0x28, 0x00, /* PackageDataLength 40 */
		    0x01, 0x0B, 'd', 'e', 'm', 'o', '-', 'f', 'w', '-', '1',
		    '.', '0');
	RX_OK(&e, e.iid, 0x05, 0x10, 0x00, 0x00, 0x00,
	      0x02,                    /* will send, with a maximum (1.3) */
	      0x10, 0x00, 0x00, 0x00); /* GetPackageDataMaximumTransferSize */
	e.iid++;
	assert_int_equal(pldm_ua_phase(&e.ua), PLDM_UA_PHASE_PACKAGE_DATA);
	expect_nothing(&e); /* waits for GetPackageData */
	RX_RC(&e, 0, 0x81, 0x05, 0x11, 0x00, 0x00, 0x00, 0x00, 0x01);
	assert_int_equal(e.out_len, 4 + 5 + 16);
	EXPECT_OUT(&e, 0x01, 0x05, 0x11, 0x00, /* CompletionCode */
		   0x10, 0x00, 0x00, 0x00,     /* NextDataTransferHandle 16 */
		   0x01,                       /* TransferFlag Start */
		   0xD0, 0xD1, 0xD2, 0xD3, 0xD4, 0xD5, 0xD6, 0xD7, 0xD8, 0xD9,
		   0xDA, 0xDB, 0xDC, 0xDD, 0xDE, 0xDF);
	RX_RC(&e, 0, 0x82, 0x05, 0x11, 0x10, 0x00, 0x00, 0x00, 0x00);
	assert_int_equal(e.out[8], 0x02); /* Middle */
	assert_int_equal(get32(e.out + 4), 32);
	/* a bad handle and a bad operation flag */
	RX_RC(&e, 0, 0x83, 0x05, 0x11, 0x28, 0x00, 0x00, 0x00, 0x00);
	EXPECT_OUT(&e, 0x03, 0x05, 0x11, 0x90); /* INVALID_TRANSFER_HANDLE */
	RX_RC(&e, 0, 0x84, 0x05, 0x11, 0x10, 0x00, 0x00, 0x00, 0x02);
	EXPECT_OUT(&e, 0x04, 0x05, 0x11, 0x91); /* INVALID_..._OPERATION_FLAG */
	RX_RC(&e, 0, 0x85, 0x05, 0x11, 0x10, 0x00, 0x00, 0x00);
	EXPECT_OUT(&e, 0x05, 0x05, 0x11, 0x03); /* ERROR_INVALID_LENGTH */
	assert_int_equal(pldm_ua_phase(&e.ua), PLDM_UA_PHASE_PACKAGE_DATA);
	RX_RC(&e, 0, 0x86, 0x05, 0x11, 0x20, 0x00, 0x00, 0x00, 0x00);
	EXPECT_OUT(&e, 0x06, 0x05, 0x11, 0x00, 0x00, 0x00, 0x00, 0x00,
		   0x04, /* End */
		   0xF0, 0xF1, 0xF2, 0xF3, 0xF4, 0xF5, 0xF6, 0xF7);
	for (i = 0; i < 8; i++)
		assert_int_equal(e.out[9 + i], 0xF0 + i);
	assert_int_equal(pldm_ua_phase(&e.ua),
			 PLDM_UA_PHASE_PASS_COMPONENT_TABLE);
	pass_comp0(&e, 0x01);
}

static void test_no_package_data(void **state)
{
	struct env e;

	(void)state;
	env_init(&e, &v13);
	env_start(&e);
	/* before RequestUpdate: not expected */
	RX_RC(&e, 0, 0x80, 0x05, 0x11, 0x00, 0x00, 0x00, 0x00, 0x01);
	EXPECT_OUT(&e, 0x00, 0x05, 0x11, 0x88); /* COMMAND_NOT_EXPECTED */
	step_identify(&e);
	step_params(&e);
	step_request_update(&e, 2);
	RX_RC(&e, 0, 0x81, 0x05, 0x11, 0x00, 0x00, 0x00, 0x00, 0x01);
	EXPECT_OUT(&e, 0x01, 0x05, 0x11, 0x8F); /* NO_PACKAGE_DATA */
}

static void test_meta_data(void **state)
{
	static const uint8_t meta[3] = {0xA1, 0xA2, 0xA3};
	struct env e;

	(void)state;
	to_download(&e);
	RX_RC(&e, 0, 0x80, 0x05, 0x19, 0x00, 0x00, 0x00, 0x00, 0x01);
	EXPECT_OUT(&e, 0x00, 0x05, 0x19, 0x88); /* none configured */
	e.cfg.metadata = meta;
	e.cfg.metadata_len = sizeof(meta);
	RX_RC(&e, 0, 0x81, 0x05, 0x19, 0x00, 0x00, 0x00, 0x00, 0x01);
	EXPECT_OUT(&e, 0x01, 0x05, 0x19, 0x00, /* CompletionCode */
		   0x00, 0x00, 0x00, 0x00,     /* NextDataTransferHandle */
		   0x05,                       /* StartAndEnd */
		   0xA1, 0xA2, 0xA3);          /* PortionOfMetaData */
	/* unknown FD command, and an unacknowledged request */
	RX_RC(&e, 0, 0x82, 0x05, 0x7F);
	EXPECT_OUT(&e, 0x02, 0x05, 0x7F, 0x05); /* UNSUPPORTED_PLDM_CMD */
	RX_RC(&e, -ENOMSG, 0xC3, 0x05, 0x15, 0, 0, 0, 0, 0x20, 0, 0, 0);
}

/* ---- GetDeviceMetaData (UA -> FD) and GetMetaData from it ---------------- */

#define MD_LEN 70u

/* RequestUpdate (2 components) answered with FirmwareDeviceMetaDataLength
 * @md_len. */
static void request_update_md(struct env *e, uint16_t md_len)
{
	poll_request_update(e, 2);
	RX_OK(e, e->iid, 0x05, 0x10, 0x00,             /* CompletionCode */
	      (uint8_t)md_len, (uint8_t)(md_len >> 8), /* ...MetaDataLength */
	      0x00); /* FDWillSendGetPackageDataCommand: no */
	e->iid++;
}

/* The FD's GetDeviceMetaData response: NextDataTransferHandle @next,
 * TransferFlag @flag, @n bytes 0xB0 + offset from @off. Returns rx(). */
static int md_part(struct env *e, uint32_t next, uint8_t flag, uint32_t off,
		   size_t n)
{
	uint8_t m[9 + 80];

	m[0] = e->iid; /* response, the UA's instance */
	m[1] = 0x05;
	m[2] = 0x12;        /* GetDeviceMetaData */
	m[3] = 0x00;        /* CompletionCode */
	put32(m + 4, next); /* NextDataTransferHandle */
	m[8] = flag;        /* TransferFlag */
	for (size_t i = 0; i < n; i++)
		m[9 + i] = (uint8_t)(0xB0 + off + i); /* PortionOf... */
	return rx(e, m, 9 + n);
}

static void test_get_device_meta_data(void **state)
{
	static uint8_t store[80];
	uint8_t req[8] = {0, 0x05, 0x19};
	const uint8_t *md;
	size_t len, i;
	struct env e;

	(void)state;
	memset(store, 0, sizeof(store));
	env_init(&e, &v13);
	e.cfg.device_metadata = store;
	e.cfg.device_metadata_capacity = sizeof(store);
	e.cfg.state_retry_ms = 300;
	env_start(&e);
	step_identify(&e);
	step_params(&e);
	request_update_md(&e, MD_LEN);
	assert_int_equal(pldm_ua_phase(&e.ua), PLDM_UA_PHASE_DEVICE_METADATA);
	EXPECT_POLL(&e, RQ(e.iid), 0x05, 0x12, /* GetDeviceMetaData */
		    0x00, 0x00, 0x00, 0x00,    /* DataTransferHandle 0 */
		    0x01);                     /* GetFirstPart */
	assert_int_equal(md_part(&e, 0x40, 0x01, 0, 64), 0); /* Start, 64 */
	e.iid++;
	EXPECT_POLL(&e, RQ(e.iid), 0x05, 0x12, 0x40, 0x00, 0x00,
		    0x00,  /* DataTransferHandle: the FD's 0x40 */
		    0x00); /* GetNextPart */
	/* lost answer: the same request after PT1 */
	e.now += 100;
	EXPECT_POLL(&e, RQ(e.iid), 0x05, 0x12, 0x40, 0x00, 0x00, 0x00, 0x00);
	assert_null(pldm_ua_device_metadata(&e.ua, &len));
	assert_int_equal(len, 0);
	assert_int_equal(md_part(&e, 0, 0x04, 64, 6), 0); /* End, 6 bytes */
	e.iid++;
	md = pldm_ua_device_metadata(&e.ua, &len);
	assert_ptr_equal(md, store);
	assert_int_equal(len, MD_LEN);
	for (i = 0; i < MD_LEN; i++)
		assert_int_equal(store[i], 0xB0 + i);
	assert_int_equal(store[MD_LEN], 0x00);
	/* then PassComponentTable, and the update as usual */
	step_pass_table(&e);
	update_comp0(&e);
	update_ok(&e);
	step_download(&e, &comp0);
	update_comp1(&e, 0x01);
	update_ok(&e);
	step_download(&e, &comp1);
	step_activate(&e);
	assert_int_equal(result(&e, NULL), PLDM_UA_RESULT_SUCCESS);
	assert_ptr_equal(pldm_ua_device_metadata(&e.ua, &len), store);
	assert_int_equal(len, MD_LEN);

	/* The FD was reset by the activation. Second update: it has no
	 * metadata to give, and asks for what it gave (GetMetaData). */
	env_start(&e);
	assert_int_equal(pldm_ua_device_metadata(&e.ua, &len), store);
	assert_int_equal(len, MD_LEN);
	step_identify(&e);
	step_params(&e);
	request_update_md(&e, 0);
	step_pass_table(&e);
	update_comp0(&e);
	RX_OK(&e, e.iid, 0x05, 0x14, 0x04); /* ERROR_NOT_READY */
	e.iid++;
	expect_nothing(&e);
	req[0] = RQ(e.fdiid);
	put32(req + 3, 0); /* DataTransferHandle */
	req[7] = 0x01;     /* GetFirstPart */
	assert_int_equal(rx(&e, req, sizeof(req)), 0);
	assert_int_equal(e.out_len, 9 + 64);
	assert_memory_equal(
		e.out,
		((const uint8_t[]){
			e.fdiid, 0x05, 0x19, 0x00, /* CompletionCode */
			0x40, 0x00, 0x00, 0x00,    /* NextDataTransferHandle */
			0x01}),                    /* TransferFlag Start */
		9);
	assert_memory_equal(e.out + 9, store, 64);
	e.fdiid++;
	req[0] = RQ(e.fdiid);
	put32(req + 3, 0x40); /* DataTransferHandle 64 */
	req[7] = 0x00;        /* GetNextPart */
	assert_int_equal(rx(&e, req, sizeof(req)), 0);
	assert_int_equal(e.out_len, 9 + 6);
	assert_memory_equal(e.out,
			    ((const uint8_t[]){e.fdiid, 0x05, 0x19, 0x00, 0x00,
					       0x00, 0x00,
					       0x00,   /* 0: last part */
					       0x04}), /* TransferFlag End */
			    9);
	assert_memory_equal(e.out + 9, store + 64, 6);
	e.fdiid++;
	/* UpdateComponent again, new instance ID, once the FD has been
	 * quiet for twice state_retry_ms (each GetMetaData pushes it back) */
	e.now += 599;
	expect_nothing(&e);
	e.now += 1;
	update_comp0(&e);
	update_ok(&e);
	step_download(&e, &comp0);
	update_comp1(&e, 0x01);
	update_ok(&e);
	step_download(&e, &comp1);
	step_activate(&e);
	assert_int_equal(result(&e, NULL), PLDM_UA_RESULT_SUCCESS);
	/* no new metadata was read: the old stays */
	assert_int_equal(pldm_ua_device_metadata(&e.ua, &len), store);
	assert_int_equal(len, MD_LEN);
}

static void test_device_meta_data_errors(void **state)
{
	static uint8_t store[80];
	struct pldm_ua_outcome o;
	size_t len;
	struct env e;

	(void)state;
	/* FirmwareDeviceMetaDataLength 81 > capacity 80 */
	env_init(&e, &v13);
	e.cfg.device_metadata = store;
	e.cfg.device_metadata_capacity = sizeof(store);
	env_start(&e);
	step_identify(&e);
	step_params(&e);
	request_update_md(&e, 81);
	step_cancel(&e);
	assert_int_equal(result(&e, &o), PLDM_UA_RESULT_METADATA_TOO_LARGE);
	assert_int_equal(o.command, 0x10);
	assert_string_equal(pldm_ua_result_name(o.result),
			    "metadata-too-large");

	/* no storage: no GetDeviceMetaData, straight to PassComponentTable */
	env_init(&e, &v13);
	env_start(&e);
	step_identify(&e);
	step_params(&e);
	request_update_md(&e, MD_LEN);
	pass_comp0(&e, 0x01);
	assert_null(pldm_ua_device_metadata(&e.ua, &len));

	/* malformed parts: each a PROTOCOL_ERROR, then CancelUpdate */
	for (int k = 0; k < 5; k++) {
		env_init(&e, &v13);
		e.cfg.device_metadata = store;
		e.cfg.device_metadata_capacity = sizeof(store);
		env_start(&e);
		step_identify(&e);
		step_params(&e);
		request_update_md(&e, MD_LEN);
		EXPECT_POLL(&e, RQ(e.iid), 0x05, 0x12, 0x00, 0x00, 0x00, 0x00,
			    0x01);
		switch (k) {
		case 0: /* Middle first */
			assert_int_equal(md_part(&e, 0x40, 0x02, 0, 64), 0);
			break;
		case 1: /* StartAndEnd short of the 70 bytes */
			assert_int_equal(md_part(&e, 0, 0x05, 0, 64), 0);
			break;
		case 2: /* Start with more than 70 bytes */
			assert_int_equal(md_part(&e, 0x47, 0x01, 0, 71), 0);
			break;
		case 3: /* Start with nothing: would never end */
			assert_int_equal(md_part(&e, 0x00, 0x01, 0, 0), 0);
			break;
		default: /* cut short after the completion code */
		{
			const uint8_t m[] = {e.iid, 0x05, 0x12, 0x00, 0x00};

			assert_int_equal(rx(&e, m, sizeof(m)), 0);
			break;
		}
		}
		e.iid++;
		step_cancel(&e);
		assert_int_equal(result(&e, &o), PLDM_UA_RESULT_PROTOCOL_ERROR);
		assert_int_equal(o.command, 0x12);
		assert_null(pldm_ua_device_metadata(&e.ua, &len));
	}

	/* the FD refuses: NO_DEVICE_METADATA */
	env_init(&e, &v13);
	e.cfg.device_metadata = store;
	e.cfg.device_metadata_capacity = sizeof(store);
	env_start(&e);
	step_identify(&e);
	step_params(&e);
	request_update_md(&e, MD_LEN);
	EXPECT_POLL(&e, RQ(e.iid), 0x05, 0x12, 0x00, 0x00, 0x00, 0x00, 0x01);
	RX_OK(&e, e.iid, 0x05, 0x12, 0x8D);
	e.iid++;
	step_cancel(&e);
	assert_int_equal(result(&e, &o), PLDM_UA_RESULT_REFUSED);
	assert_int_equal(o.raw, 0x8D);
	assert_int_equal(o.command, 0x12);
	assert_null(pldm_ua_device_metadata(NULL, &len));
	assert_int_equal(len, 0);
}

static void test_request_firmware_data_errors(void **state)
{
	struct env e;

	(void)state;
	env_init(&e, &v13);
	env_start(&e);
	/* before UpdateComponent */
	RX_RC(&e, 0, 0x80, 0x05, 0x15, 0, 0, 0, 0, 0x20, 0, 0, 0);
	EXPECT_OUT(&e, 0x00, 0x05, 0x15, 0x88); /* COMMAND_NOT_EXPECTED */
	to_download(&e);
	RX_RC(&e, 0, 0x81, 0x05, 0x15, 0, 0, 0, 0, 0x41, 0, 0, 0);
	EXPECT_OUT(&e, 0x01, 0x05, 0x15, 0x83); /* 65 > 64 */
	RX_RC(&e, 0, 0x82, 0x05, 0x15, 0, 0, 0, 0, 0x00, 0, 0, 0);
	EXPECT_OUT(&e, 0x02, 0x05, 0x15, 0x83); /* length 0 */
	RX_RC(&e, 0, 0x83, 0x05, 0x15, 0x64, 0, 0, 0, 0x20, 0, 0, 0);
	EXPECT_OUT(&e, 0x03, 0x05, 0x15, 0x82); /* offset 100: out of range */
	RX_RC(&e, 0, 0x84, 0x05, 0x15, 0xFF, 0xFF, 0xFF, 0xFF, 0x20, 0, 0, 0);
	EXPECT_OUT(&e, 0x04, 0x05, 0x15, 0x82);
	RX_RC(&e, 0, 0x85, 0x05, 0x15, 0, 0, 0, 0, 0x20, 0, 0);
	EXPECT_OUT(&e, 0x05, 0x05, 0x15, 0x03); /* ERROR_INVALID_LENGTH */
	/* an answer that does not fit: -EMSGSIZE, nothing changes */
	{
		const uint8_t m[] = {0x86, 0x05, 0x15, 0, 0, 0,
				     0,    0x40, 0,    0, 0};

		e.out_len = 20;
		assert_int_equal(pldm_ua_rx(&e.ua, e.now, m, sizeof(m), e.out,
					    &e.out_len),
				 -EMSGSIZE);
	}
	/* the last bytes: 4 image bytes (96..99), 28 zero bytes of padding */
	e.fdiid = 7;
	fetch(&e, &comp0, 96, 32);
	assert_int_equal(e.ua.bytes_served, 100);
	/* the same request again is answered again */
	e.fdiid = 7;
	fetch(&e, &comp0, 96, 32);
	/* a small length is allowed */
	fetch(&e, &comp0, 3, 1);
	RX_RC(&e, 0, 0x91, 0x05, 0x16);
	EXPECT_OUT(&e, 0x11, 0x05, 0x16, 0x03); /* missing TransferResult */
	assert_int_equal(pldm_ua_phase(&e.ua), PLDM_UA_PHASE_DOWNLOAD);
	/* VerifyComplete: the TransferComplete was lost, the FD moved on */
	RX_RC(&e, 0, 0x90, 0x05, 0x17, 0x00);
	EXPECT_OUT(&e, 0x10, 0x05, 0x17, 0x00);
	assert_int_equal(pldm_ua_phase(&e.ua), PLDM_UA_PHASE_APPLY);
	/* data and a step behind the UA's phase are not expected now */
	RX_RC(&e, 0, 0x92, 0x05, 0x15, 0, 0, 0, 0, 0x20, 0, 0, 0);
	EXPECT_OUT(&e, 0x12, 0x05, 0x15, 0x88);
	RX_RC(&e, 0, 0x93, 0x05, 0x16, 0x01);
	EXPECT_OUT(&e, 0x13, 0x05, 0x16, 0x88);
	assert_int_equal(pldm_ua_phase(&e.ua), PLDM_UA_PHASE_APPLY);
}

static void test_no_matching_record(void **state)
{
	struct env e;
	struct pldm_ua_outcome o;

	(void)state;
	env_init(&e, &v13);
	env_start(&e);
	EXPECT_POLL(&e, 0x80, 0x05, 0x01);
	/* IANA 0x1648: the record's IANA descriptor is not there */
	RX_OK(&e, 0x00, 0x05, 0x01, 0x00, 0x1A, 0x00, 0x00, 0x00, 0x03, 0x01,
	      0x00, 0x04, 0x00, 0x48, 0x16, 0x00, 0x00, 0x00, 0x01, 0x02, 0x00,
	      0x34, 0x12, 0xFF, 0xFF, 0x08, 0x00, 0x01, 0x04, 'D', 'e', 'm',
	      'o', 0xCA, 0xFE);
	assert_int_equal(result(&e, &o), PLDM_UA_RESULT_NO_MATCHING_RECORD);
	assert_int_equal(o.command, 0x01);
	expect_nothing(&e); /* not in update mode: no CancelUpdate */
	/* vendor data differs (CA FF) */
	env_init(&e, &v13);
	env_start(&e);
	EXPECT_POLL(&e, 0x80, 0x05, 0x01);
	RX_OK(&e, 0x00, 0x05, 0x01, 0x00, 0x1A, 0x00, 0x00, 0x00, 0x03, 0x01,
	      0x00, 0x04, 0x00, 0x47, 0x16, 0x00, 0x00, 0x00, 0x01, 0x02, 0x00,
	      0x34, 0x12, 0xFF, 0xFF, 0x08, 0x00, 0x01, 0x04, 'D', 'e', 'm',
	      'o', 0xCA, 0xFF);
	assert_int_equal(result(&e, NULL), PLDM_UA_RESULT_NO_MATCHING_RECORD);
	/* vendor data shorter (CA only): a prefix is not a match */
	env_init(&e, &v13);
	env_start(&e);
	EXPECT_POLL(&e, 0x80, 0x05, 0x01);
	RX_OK(&e, 0x00, 0x05, 0x01, 0x00, 0x19, 0x00, 0x00, 0x00, 0x03, 0x01,
	      0x00, 0x04, 0x00, 0x47, 0x16, 0x00, 0x00, 0x00, 0x01, 0x02, 0x00,
	      0x34, 0x12, 0xFF, 0xFF, 0x07, 0x00, 0x01, 0x04, 'D', 'e', 'm',
	      'o', 0xCA);
	assert_int_equal(result(&e, NULL), PLDM_UA_RESULT_NO_MATCHING_RECORD);
	/* the FD lists none of the package's components */
	env_init(&e, &v13);
	env_start(&e);
	step_identify(&e);
	EXPECT_POLL(&e, RQ(e.iid), 0x05, 0x02);
	RX_OK(&e, GFP_HEAD(e.iid, 1), GFP_ENTRY(9, 0));
	assert_int_equal(result(&e, &o), PLDM_UA_RESULT_NOT_UPDATABLE);
	assert_int_equal(o.raw, 0x06);
}

static void test_timeout_and_retries(void **state)
{
	struct env e;
	struct pldm_ua_outcome o;
	uint32_t t;

	(void)state;
	env_init(&e, &v13);
	env_start(&e);
	assert_int_equal(pldm_ua_next_deadline(&e.ua, &t), 1);
	assert_int_equal(t, 1000); /* send now */
	EXPECT_POLL(&e, 0x80, 0x05, 0x01);
	assert_int_equal(pldm_ua_next_deadline(&e.ua, &t), 1);
	assert_int_equal(t, 1100);
	e.now = 1099;
	expect_nothing(&e);
	e.now = 1100;
	EXPECT_POLL(&e, 0x80, 0x05, 0x01); /* retry 1, same instance */
	e.now = 1200;
	EXPECT_POLL(&e, 0x80, 0x05, 0x01); /* retry 2 */
	e.now = 1299;
	expect_nothing(&e);
	e.now = 1300;
	expect_nothing(&e);
	assert_int_equal(result(&e, &o), PLDM_UA_RESULT_TIMEOUT);
	assert_int_equal(o.raw, 0x01);
	assert_int_equal(pldm_ua_next_deadline(&e.ua, &t), 0);
	/* the late response is ignored */
	RX_RC(&e, -ENOMSG, 0x00, 0x05, 0x01, 0x00);

	/* answered after a retry; then its duplicate and a stale one */
	env_init(&e, &v13);
	env_start(&e);
	EXPECT_POLL(&e, 0x80, 0x05, 0x01);
	e.now += 100;
	EXPECT_POLL(&e, 0x80, 0x05, 0x01);
	e.iid = 0;
	answer_identify(&e);
	RX_RC(&e, -EALREADY, 0x00, 0x05, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00,
	      0x00);
	RX_RC(&e, -ESTALE, 0x11, 0x05, 0x02, 0x00);
	/* a response with our instance ID to another command */
	EXPECT_POLL(&e, 0x81, 0x05, 0x02);
	RX_RC(&e, -EBADMSG, 0x01, 0x05, 0x10, 0x00);
	assert_int_equal(pldm_ua_phase(&e.ua), PLDM_UA_PHASE_GET_PARAMETERS);
}

static void test_timeout_in_update_mode(void **state)
{
	struct env e;
	struct pldm_ua_outcome o;
	uint8_t iid;

	(void)state;
	to_download(&e);
	fd_complete(&e, 0x16, 0x00);
	fd_complete(&e, 0x17, 0x00);
	fd_complete(&e, 0x18, 0x00);
	update_comp1(&e, 0x01);
	iid = e.iid;
	e.now += 100;
	update_comp1(&e, 0x01);
	e.now += 100;
	update_comp1(&e, 0x01);
	e.now += 100;
	e.iid++;
	EXPECT_POLL(&e, RQ(e.iid), 0x05, 0x1D); /* CancelUpdate */
	assert_int_equal(result(&e, NULL), PLDM_UA_RESULT_NONE);
	RX_OK(&e, e.iid, 0x05, 0x1D, 0x80); /* NOT_IN_UPDATE_MODE is fine */
	assert_int_equal(result(&e, &o), PLDM_UA_RESULT_TIMEOUT);
	assert_int_equal(o.raw, 0x14);
	assert_int_equal(o.component, 1);
	/* the UpdateComponent answer, too late */
	RX_RC(&e, -ENOMSG, iid, 0x05, 0x14, 0x00, 0, 0, 0, 0, 0, 0, 0, 0);
}

static void test_duplicates(void **state)
{
	struct env e;

	(void)state;
	to_download(&e);
	fetch(&e, &comp0, 0, 64);
	e.fdiid = 0;
	fetch(&e, &comp0, 0, 64); /* the FD missed the answer: again */
	fetch(&e, &comp0, 64, 64);
	e.fdiid = 5;
	fd_complete(&e, 0x16, 0x00);
	assert_int_equal(pldm_ua_phase(&e.ua), PLDM_UA_PHASE_VERIFY);
	/* TransferComplete retried (same instance ID): same answer */
	e.fdiid = 5;
	fd_complete(&e, 0x16, 0x00);
	assert_int_equal(pldm_ua_phase(&e.ua), PLDM_UA_PHASE_VERIFY);
	/* retried under a new instance ID, same result: same answer */
	RX_RC(&e, 0, RQ(8), 0x05, 0x16, 0x00);
	EXPECT_OUT(&e, 0x08, 0x05, 0x16, 0x00);
	assert_int_equal(pldm_ua_phase(&e.ua), PLDM_UA_PHASE_VERIFY);
	/* another TransferComplete now is not expected */
	RX_RC(&e, 0, RQ(9), 0x05, 0x16, 0x01);
	EXPECT_OUT(&e, 0x09, 0x05, 0x16, 0x88);
	fd_complete(&e, 0x17, 0x00);
	fd_complete(&e, 0x18, 0x00);
	e.fdiid = (uint8_t)(e.fdiid - 1);
	fd_complete(&e, 0x18, 0x00); /* ApplyComplete retried */
	update_comp1(&e, 0x01);
	/* the UpdateComponent answer twice */
	update_ok(&e);
	e.iid--;
	RX_RC(&e, -EALREADY, e.iid, 0x05, 0x14, 0x00, 0x00, 0x00, 0x00, 0x00,
	      0x00, 0x00, 0x00, 0x00);
	assert_int_equal(pldm_ua_phase(&e.ua), PLDM_UA_PHASE_DOWNLOAD);
}

static void fail_case(uint8_t cmd, uint8_t code, enum pldm_ua_result want)
{
	struct env e;
	struct pldm_ua_outcome o;

	to_download(&e);
	fetch(&e, &comp0, 0, 64);
	if (cmd >= 0x17)
		fd_complete(&e, 0x16, 0x00);
	if (cmd >= 0x18)
		fd_complete(&e, 0x17, 0x00);
	fd_complete(&e, cmd, code); /* answered SUCCESS */
	assert_int_equal(pldm_ua_phase(&e.ua), PLDM_UA_PHASE_CANCEL);
	step_cancel(&e);
	assert_int_equal(result(&e, &o), want);
	assert_int_equal(o.raw, code);
	assert_int_equal(o.command, cmd);
	assert_int_equal(o.component, 0);
	/* a retry of the failed completion still gets its answer */
	e.fdiid = (uint8_t)(e.fdiid - 1);
	fd_complete(&e, cmd, code);
}

/* The UpdateComponent answer is lost; the FD already asks for data. */
static void test_lost_update_component_response(void **state)
{
	struct env e;

	(void)state;
	env_init(&e, &v13);
	env_start(&e);
	step_identify(&e);
	step_params(&e);
	step_request_update(&e, 2);
	step_pass_table(&e);
	update_comp0(&e);
	fetch(&e, &comp0, 0, 64); /* served while UpdateComponent waits */
	assert_int_equal(pldm_ua_phase(&e.ua), PLDM_UA_PHASE_UPDATE_COMPONENT);
	e.now += 100;
	update_comp0(&e); /* retried, same instance ID */
	update_ok(&e);
	fetch(&e, &comp0, 64, 64);
	fd_complete(&e, 0x16, 0x00);
	assert_int_equal(pldm_ua_phase(&e.ua), PLDM_UA_PHASE_VERIFY);

	/* lost for good: the FD's TransferComplete shows it was accepted */
	env_init(&e, &v13);
	env_start(&e);
	step_identify(&e);
	step_params(&e);
	step_request_update(&e, 2);
	step_pass_table(&e);
	update_comp0(&e);
	fetch(&e, &comp0, 0, 64);
	fetch(&e, &comp0, 64, 64);
	fd_complete(&e, 0x16, 0x00);
	assert_int_equal(pldm_ua_phase(&e.ua), PLDM_UA_PHASE_VERIFY);
	assert_int_equal(
		pldm_ua_components(&e.ua, NULL)[0].compatibility_response, 0);
	/* the UpdateComponent answer, late: stale */
	RX_RC(&e, -ESTALE, e.iid, 0x05, 0x14, 0x00, 0x00, 0x00, 0x00, 0x00,
	      0x00, 0x00, 0x00, 0x00);
	e.iid++;
	e.now += 150;
	expect_nothing(&e); /* no retry of UpdateComponent */
	fd_complete(&e, 0x17, 0x00);
	fd_complete(&e, 0x18, 0x00);
	update_comp1(&e, 0x01);
}

/* The answer to ApplyComplete is lost: the FD is still in APPLY when
 * UpdateComponent arrives and refuses it; the UA asks again later. */
static void test_state_retry(void **state)
{
	struct env e;
	struct pldm_ua_outcome o;
	uint32_t t;

	(void)state;
	to_download(&e);
	step_download(&e, &comp0);
	update_comp1(&e, 0x01);
	RX_OK(&e, e.iid, 0x05, 0x14, 0x84); /* INVALID_STATE_FOR_COMMAND */
	e.iid++;
	assert_int_equal(pldm_ua_next_deadline(&e.ua, &t), 1);
	assert_int_equal(t, e.now + 1000); /* FD_T2 by default */
	e.fdiid = (uint8_t)(e.fdiid - 1);
	fd_complete(&e, 0x18, 0x00); /* the FD's retry, answered again */
	e.now += 999;
	expect_nothing(&e);
	e.now += 1;
	update_comp1(&e, 0x01); /* a new instance ID */
	update_ok(&e);

	/* twice (retries = 2), then refused */
	to_download(&e);
	e.cfg.state_retry_ms = 10;
	step_download(&e, &comp0);
	update_comp1(&e, 0x01);
	RX_OK(&e, e.iid, 0x05, 0x14, 0x84);
	e.iid++;
	e.now += 10;
	update_comp1(&e, 0x01);
	RX_OK(&e, e.iid, 0x05, 0x14, 0x84);
	e.iid++;
	e.now += 10;
	update_comp1(&e, 0x01);
	RX_OK(&e, e.iid, 0x05, 0x14, 0x84);
	e.iid++;
	step_cancel(&e);
	assert_int_equal(result(&e, &o), PLDM_UA_RESULT_REFUSED);
	assert_int_equal(o.raw, 0x84);
}

static void test_fd_reports_failure(void **state)
{
	(void)state;
	fail_case(0x16, 0x01, PLDM_UA_RESULT_TRANSFER_FAILED); /* corrupt */
	fail_case(0x17, 0x01, PLDM_UA_RESULT_VERIFY_FAILED);
	fail_case(0x18, 0x02, PLDM_UA_RESULT_APPLY_FAILED); /* memory */
}

static void test_apply_success_with_activation_method(void **state)
{
	struct env e;

	(void)state;
	to_download(&e);
	fd_complete(&e, 0x16, 0x00);
	fd_complete(&e, 0x17, 0x00);
	fd_complete(&e, 0x18, 0x01); /* success with method modification */
	update_comp1(&e, 0x01);
}

/* GetStatus response with the given states. */
static void status_rsp(struct env *e, uint8_t current, uint8_t aux,
		       uint8_t aux_status, uint8_t reason)
{
	EXPECT_POLL(e, RQ(e->iid), 0x05, 0x1B); /* GetStatus */
	RX_OK(e, e->iid, 0x05, 0x1B, 0x00,      /* CompletionCode */
	      current,                          /* CurrentState */
	      0x02,                             /* PreviousState */
	      aux,                              /* AuxState */
	      aux_status,                       /* AuxStateStatus */
	      0x65,                    /* ProgressPercent: unsupported */
	      reason,                  /* ReasonCode */
	      0x00, 0x00, 0x00, 0x00); /* UpdateOptionFlagsEnabled */
	e->iid++;
}

static void test_fd_goes_idle(void **state)
{
	struct env e;
	struct pldm_ua_outcome o;
	uint32_t t;

	(void)state;
	to_download(&e);
	fetch(&e, &comp0, 0, 64);
	assert_int_equal(pldm_ua_next_deadline(&e.ua, &t), 1);
	assert_int_equal(t, e.now + 1000);
	e.now += 999;
	expect_nothing(&e);
	e.now += 1;
	/* IDLE, ReasonCode 5: timeout in download */
	status_rsp(&e, 0x00, 0x00, 0x00, 0x05);
	assert_int_equal(result(&e, &o), PLDM_UA_RESULT_CANCELLED_BY_FD);
	assert_int_equal(o.raw, 0x05);
	expect_nothing(&e); /* FD idle: no CancelUpdate */
}

static void test_get_status_failed_and_stall(void **state)
{
	struct env e;
	struct pldm_ua_outcome o;

	(void)state;
	to_download(&e);
	fd_complete(&e, 0x16, 0x00);
	e.now += 1000;
	/* VERIFY, AuxState failed, GENERIC_ERROR */
	status_rsp(&e, 0x04, 0x02, 0x0A, 0x00);
	step_cancel(&e);
	assert_int_equal(result(&e, &o), PLDM_UA_RESULT_VERIFY_FAILED);
	assert_int_equal(o.raw, 0x0A);
	assert_int_equal(o.command, 0x1B);

	/* still in progress: keep waiting; a request from the FD resets the
	 * count; two probes in a row without one give up */
	to_download(&e);
	e.now += 1000;
	status_rsp(&e, 0x03, 0x00, 0x00, 0x00);
	fetch(&e, &comp0, 0, 64);
	e.now += 1000;
	status_rsp(&e, 0x03, 0x00, 0x00, 0x00);
	assert_int_equal(result(&e, NULL), PLDM_UA_RESULT_NONE);
	e.now += 999;
	expect_nothing(&e);
	e.now += 1;
	status_rsp(&e, 0x03, 0x00, 0x00, 0x00);
	step_cancel(&e);
	assert_int_equal(result(&e, &o), PLDM_UA_RESULT_TIMEOUT);
	assert_int_equal(o.raw, 0x1B);

	/* GetStatus finds the FD back in READY_XFER from APPLY: the
	 * component was applied, its completions missed; go on */
	to_download(&e);
	fetch(&e, &comp0, 0, 64);
	e.now += 1000;
	EXPECT_POLL(&e, RQ(e.iid), 0x05, 0x1B);
	RX_OK(&e, e.iid, 0x05, 0x1B, 0x00, 0x02, /* READY_XFER */
	      0x05,                              /* from APPLY */
	      0x03, 0x00, 0x65, 0x00, 0x00, 0x00, 0x00, 0x00);
	e.iid++;
	assert_true(pldm_ua_components(&e.ua, NULL)[0].updated);
	update_comp1(&e, 0x01);

	/* READY_XFER from elsewhere is not taken as success */
	to_download(&e);
	e.now += 1000;
	status_rsp(&e, 0x02, 0x03, 0x00, 0x00); /* previous 02 */
	assert_int_equal(pldm_ua_phase(&e.ua), PLDM_UA_PHASE_DOWNLOAD);

	/* the FD moves on while the GetStatus is outstanding */
	to_download(&e);
	e.now += 1000;
	EXPECT_POLL(&e, RQ(e.iid), 0x05, 0x1B);
	e.iid++;
	fd_complete(&e, 0x16, 0x00);
	fd_complete(&e, 0x17, 0x00);
	fd_complete(&e, 0x18, 0x00);
	update_comp1(&e, 0x01); /* the GetStatus is abandoned */
	RX_RC(&e, -ESTALE, (uint8_t)(e.iid - 1), 0x05, 0x1B, 0x00, 0x03, 0x02,
	      0x00, 0x00, 0x65, 0x00, 0x00, 0x00, 0x00, 0x00);
	update_ok(&e);
}

static void test_retry_request_update(void **state)
{
	struct env e;
	struct pldm_ua_outcome o;
	uint32_t t;

	(void)state;
	env_init(&e, &v13);
	env_start(&e);
	step_identify(&e);
	step_params(&e);
	EXPECT_POLL(&e, RQ(e.iid), 0x05, 0x10, 0x40, 0x00, 0x00, 0x00, 0x02,
		    0x00, 0x01, 0x00, 0x00, 0x01, 0x0B, 'd', 'e', 'm', 'o', '-',
		    'f', 'w', '-', '1', '.', '0');
	RX_OK(&e, e.iid, 0x05, 0x10, 0x8E); /* RETRY_REQUEST_UPDATE */
	e.iid++;
	assert_int_equal(pldm_ua_next_deadline(&e.ua, &t), 1);
	assert_int_equal(t, e.now + 500);
	e.now += 499;
	expect_nothing(&e);
	e.now += 1;
	step_request_update(&e, 2); /* again, a new instance ID */
	pass_comp0(&e, 0x01);

	/* retries exhausted: refused */
	env_init(&e, &v13);
	env_start(&e);
	step_identify(&e);
	step_params(&e);
	EXPECT_POLL(&e, RQ(e.iid), 0x05, 0x10, 0x40, 0x00, 0x00, 0x00, 0x02,
		    0x00, 0x01, 0x00, 0x00, 0x01, 0x0B, 'd', 'e', 'm', 'o', '-',
		    'f', 'w', '-', '1', '.', '0');
	RX_OK(&e, e.iid, 0x05, 0x10, 0x8E);
	e.iid++;
	e.now += 500;
	EXPECT_POLL(&e, RQ(e.iid), 0x05, 0x10, 0x40, 0x00, 0x00, 0x00, 0x02,
		    0x00, 0x01, 0x00, 0x00, 0x01, 0x0B, 'd', 'e', 'm', 'o', '-',
		    'f', 'w', '-', '1', '.', '0');
	RX_OK(&e, e.iid, 0x05, 0x10, 0x8E);
	assert_int_equal(result(&e, &o), PLDM_UA_RESULT_REFUSED);
	assert_int_equal(o.raw, 0x8E);
	expect_nothing(&e);
}

static void test_refused(void **state)
{
	struct env e;
	struct pldm_ua_outcome o;

	(void)state;
	env_init(&e, &v13);
	env_start(&e);
	step_identify(&e);
	step_params(&e);
	EXPECT_POLL(&e, RQ(e.iid), 0x05, 0x10, 0x40, 0x00, 0x00, 0x00, 0x02,
		    0x00, 0x01, 0x00, 0x00, 0x01, 0x0B, 'd', 'e', 'm', 'o', '-',
		    'f', 'w', '-', '1', '.', '0');
	RX_OK(&e, e.iid, 0x05, 0x10, 0x81); /* ALREADY_IN_UPDATE_MODE */
	assert_int_equal(result(&e, &o), PLDM_UA_RESULT_REFUSED);
	assert_int_equal(o.raw, 0x81);
	assert_int_equal(o.command, 0x10);
	expect_nothing(&e);

	/* refused in update mode: CancelUpdate follows */
	env_init(&e, &v13);
	env_start(&e);
	step_identify(&e);
	step_params(&e);
	step_request_update(&e, 2);
	pass_comp0(&e, 0x01);
	RX_OK(&e, e.iid, 0x05, 0x13, 0x84); /* INVALID_STATE_FOR_COMMAND */
	e.iid++;
	step_cancel(&e);
	assert_int_equal(result(&e, &o), PLDM_UA_RESULT_REFUSED);
	assert_int_equal(o.raw, 0x84);
	assert_int_equal(o.command, 0x13);

	/* the FD is not in update mode (any more): no CancelUpdate */
	to_download(&e);
	step_download(&e, &comp0);
	update_comp1(&e, 0x01);
	RX_OK(&e, e.iid, 0x05, 0x14, 0x80); /* NOT_IN_UPDATE_MODE */
	assert_int_equal(result(&e, &o), PLDM_UA_RESULT_REFUSED);
	assert_int_equal(o.raw, 0x80);
	assert_int_equal(o.component, 1);
	expect_nothing(&e);

	/* ActivateFirmware refused */
	to_download(&e);
	step_download(&e, &comp0);
	update_comp1(&e, 0x01);
	update_ok(&e);
	step_download(&e, &comp1);
	EXPECT_POLL(&e, RQ(e.iid), 0x05, 0x1A, 0x00);
	RX_OK(&e, e.iid, 0x05, 0x1A, 0x85); /* INCOMPLETE_UPDATE */
	e.iid++;
	step_cancel(&e);
	assert_int_equal(result(&e, &o), PLDM_UA_RESULT_REFUSED);
	assert_int_equal(o.raw, 0x85);
}

static void test_not_updatable(void **state)
{
	struct env e;
	struct pldm_ua_outcome o;
	const struct pldm_ua_component *c;

	(void)state;
	/* PassComponentTable: comp0 "may be updateable", stamp identical;
	 * policy: fail */
	env_init(&e, &v13);
	env_start(&e);
	step_identify(&e);
	step_params(&e);
	step_request_update(&e, 2);
	pass_comp0(&e, 0x01);
	RX_OK(&e, e.iid, 0x05, 0x13, 0x00, 0x01, 0x01);
	e.iid++;
	pass_comp1(&e, 0x04, 0x01);
	pass_ok(&e);
	step_cancel(&e);
	assert_int_equal(result(&e, &o), PLDM_UA_RESULT_NOT_UPDATABLE);
	assert_int_equal(o.raw, 0x01);
	assert_int_equal(o.component, 0);

	/* policy: skip; comp1's UpdateComponent is refused too (0x09) */
	env_init(&e, &v13);
	e.cfg.skip_not_updatable = true;
	env_start(&e);
	step_identify(&e);
	step_params(&e);
	step_request_update(&e, 2);
	pass_comp0(&e, 0x01);
	RX_OK(&e, e.iid, 0x05, 0x13, 0x00, 0x01, 0x01);
	e.iid++;
	pass_comp1(&e, 0x04, 0x01);
	pass_ok(&e);
	update_comp1(&e, 0x01);
	RX_OK(&e, e.iid, 0x05, 0x14, 0x00, 0x01, 0x09, 0x00, 0x00, 0x00, 0x00,
	      0x00, 0x00);
	e.iid++;
	step_cancel(&e); /* nothing left to update */
	assert_int_equal(result(&e, &o), PLDM_UA_RESULT_NOT_UPDATABLE);
	assert_int_equal(o.raw, 0x09);
	c = pldm_ua_components(&e.ua, NULL);
	assert_true(c[0].skipped && c[1].skipped);

	/* skip comp0 at UpdateComponent, update comp1 */
	env_init(&e, &v13);
	e.cfg.skip_not_updatable = true;
	env_start(&e);
	step_identify(&e);
	step_params(&e);
	step_request_update(&e, 2);
	step_pass_table(&e);
	update_comp0(&e);
	RX_OK(&e, e.iid, 0x05, 0x14, 0x00, 0x01, 0x01, 0x00, 0x00, 0x00, 0x00,
	      0x00, 0x00);
	e.iid++;
	update_comp1(&e, 0x01);
	update_ok(&e);
	step_download(&e, &comp1);
	step_activate(&e);
	assert_int_equal(result(&e, NULL), PLDM_UA_RESULT_SUCCESS);

	/* force update: "may be updateable" is tried, with the force flag */
	env_init(&e, &v13);
	e.cfg.force_update = true;
	env_start(&e);
	step_identify(&e);
	step_params(&e);
	step_request_update(&e, 2);
	pass_comp0(&e, 0x01);
	pass_ok(&e);
	pass_comp1(&e, 0x04, 0x01);
	RX_OK(&e, e.iid, 0x05, 0x13, 0x00, 0x01, 0x02);
	e.iid++;
	update_comp0_flags(&e, 0x01); /* force */
	update_ok(&e);
	step_download(&e, &comp0);
	EXPECT_POLL(&e, RQ(e.iid), 0x05, 0x14, 0x0A, 0x00, 0x02, 0x00, 0x01,
		    0xFF, 0xFF, 0xFF, 0xFF, 0x36, 0x00, 0x00, 0x00, 0x01, 0x00,
		    0x00, 0x00, /* UpdateOptionFlags: force */
		    0x01, 0x08, 'c', 'o', 'm', 'p', '1', '-', 'v', '1');
}

/* Run the flow up to @phase, cancel, and check the end. */
static void cancel_in(enum pldm_ua_phase phase)
{
	struct env e;
	struct pldm_ua_outcome o;
	bool update_mode = phase >= PLDM_UA_PHASE_REQUEST_UPDATE;

	env_init(&e, &v13);
	env_start(&e);
	if (phase == PLDM_UA_PHASE_IDENTIFY)
		EXPECT_POLL(&e, 0x80, 0x05, 0x01);
	if (phase > PLDM_UA_PHASE_IDENTIFY)
		step_identify(&e);
	if (phase == PLDM_UA_PHASE_GET_PARAMETERS)
		EXPECT_POLL(&e, RQ(e.iid), 0x05, 0x02);
	if (phase > PLDM_UA_PHASE_GET_PARAMETERS)
		step_params(&e);
	if (phase == PLDM_UA_PHASE_REQUEST_UPDATE)
		poll_request_update(&e, 2);
	if (phase > PLDM_UA_PHASE_REQUEST_UPDATE)
		step_request_update(&e, 2);
	if (phase == PLDM_UA_PHASE_PASS_COMPONENT_TABLE)
		pass_comp0(&e, 0x01);
	if (phase > PLDM_UA_PHASE_PASS_COMPONENT_TABLE)
		step_pass_table(&e);
	if (phase == PLDM_UA_PHASE_UPDATE_COMPONENT)
		update_comp0(&e);
	if (phase > PLDM_UA_PHASE_UPDATE_COMPONENT) {
		update_comp0(&e);
		update_ok(&e);
		fetch(&e, &comp0, 0, 64);
	}
	if (phase > PLDM_UA_PHASE_DOWNLOAD)
		fd_complete(&e, 0x16, 0x00);
	if (phase > PLDM_UA_PHASE_VERIFY)
		fd_complete(&e, 0x17, 0x00);
	if (phase == PLDM_UA_PHASE_ACTIVATE) {
		fd_complete(&e, 0x18, 0x00);
		update_comp1(&e, 0x01);
		update_ok(&e);
		step_download(&e, &comp1);
		EXPECT_POLL(&e, RQ(e.iid), 0x05, 0x1A, 0x00);
	}
	assert_int_equal(pldm_ua_phase(&e.ua), phase);
	assert_int_equal(pldm_ua_cancel(&e.ua, e.now), 0);
	assert_int_equal(pldm_ua_cancel(&e.ua, e.now), -EALREADY);
	if (update_mode) {
		if (phase == PLDM_UA_PHASE_PASS_COMPONENT_TABLE ||
		    phase == PLDM_UA_PHASE_UPDATE_COMPONENT ||
		    phase == PLDM_UA_PHASE_ACTIVATE ||
		    phase == PLDM_UA_PHASE_REQUEST_UPDATE)
			e.iid++; /* that request is abandoned */
		step_cancel(&e);
	} else {
		expect_nothing(&e);
	}
	assert_int_equal(result(&e, &o), PLDM_UA_RESULT_CANCELLED);
	assert_int_equal(pldm_ua_cancel(&e.ua, e.now), -EALREADY);
	if (phase == PLDM_UA_PHASE_IDENTIFY)
		RX_RC(&e, -ENOMSG, 0x00, 0x05, 0x01, 0x00);
}

static void test_ua_cancel_each_phase(void **state)
{
	(void)state;
	cancel_in(PLDM_UA_PHASE_IDENTIFY);
	cancel_in(PLDM_UA_PHASE_GET_PARAMETERS);
	cancel_in(PLDM_UA_PHASE_REQUEST_UPDATE);
	cancel_in(PLDM_UA_PHASE_PASS_COMPONENT_TABLE);
	cancel_in(PLDM_UA_PHASE_UPDATE_COMPONENT);
	cancel_in(PLDM_UA_PHASE_DOWNLOAD);
	cancel_in(PLDM_UA_PHASE_VERIFY);
	cancel_in(PLDM_UA_PHASE_APPLY);
	cancel_in(PLDM_UA_PHASE_ACTIVATE);
}

static void test_cancel_unanswered(void **state)
{
	struct env e;
	struct pldm_ua_outcome o;

	(void)state;
	to_download(&e);
	assert_int_equal(pldm_ua_cancel(&e.ua, e.now), 0);
	EXPECT_POLL(&e, RQ(e.iid), 0x05, 0x1D);
	e.now += 100;
	EXPECT_POLL(&e, RQ(e.iid), 0x05, 0x1D);
	e.now += 100;
	EXPECT_POLL(&e, RQ(e.iid), 0x05, 0x1D);
	e.now += 100;
	expect_nothing(&e);
	assert_int_equal(result(&e, &o), PLDM_UA_RESULT_TIMEOUT);
	assert_int_equal(o.raw, 0x1D);

	/* the FD says a component no longer works */
	to_download(&e);
	assert_int_equal(pldm_ua_cancel(&e.ua, e.now), 0);
	EXPECT_POLL(&e, RQ(e.iid), 0x05, 0x1D);
	RX_OK(&e, e.iid, 0x05, 0x1D, 0x00, /* CompletionCode */
	      0x01,                        /* NonFunctioning...Indication */
	      0x02, 0x00, 0x00, 0x00,      /* bitmap: component 1 */
	      0x00, 0x00, 0x00, 0x80);     /* and component 63 */
	assert_int_equal(result(&e, &o), PLDM_UA_RESULT_CANCELLED);
	assert_int_equal(o.non_functioning, 1);
	assert_true(o.non_functioning_bitmap == 0x8000000000000002ull);
}

/* A malformed response to the request of the step ends the update. */
static void malformed(int step, const uint8_t *rsp, size_t n, bool cancel)
{
	struct env e;
	struct pldm_ua_outcome o;
	uint8_t msg[64];

	env_init(&e, &v13);
	env_start(&e);
	if (step > 0)
		step_identify(&e);
	if (step > 1)
		step_params(&e);
	if (step > 2)
		step_request_update(&e, 2);
	if (step > 3)
		step_pass_table(&e);
	if (step == 5)
		update_comp0(&e);
	else {
		e.out_len = sizeof(e.out);
		assert_int_equal(pldm_ua_poll(&e.ua, e.now, e.out, &e.out_len),
				 0);
		assert_true(e.out_len >= 3);
	}
	memcpy(msg, rsp, n);
	msg[0] = e.iid;
	assert_int_equal(rx(&e, msg, n), 0);
	e.iid++;
	if (cancel)
		step_cancel(&e);
	else
		expect_nothing(&e);
	assert_int_equal(result(&e, &o), PLDM_UA_RESULT_PROTOCOL_ERROR);
	assert_int_equal(o.command, msg[2]);
}

static void test_malformed_responses(void **state)
{
	/* QueryDeviceIdentifiers: length says 8, 6 bytes follow */
	static const uint8_t qdi1[] = {0, 5, 0x01, 0, 8, 0,    0,   0,
				       1, 1, 0,    4, 0, 0x47, 0x16};
	/* count 2, one descriptor */
	static const uint8_t qdi2[] = {0, 5, 0x01, 0, 8,    0,    0, 0, 2,
				       1, 0, 4,    0, 0x47, 0x16, 0, 0};
	/* no descriptor */
	static const uint8_t qdi3[] = {0, 5, 0x01, 0, 0, 0, 0, 0, 0};
	/* GetFirmwareParameters: one entry announced, none there */
	static const uint8_t gfp[] = {0, 5, 0x02, 0, 0, 0, 0,
				      0, 1, 0,    1, 0, 1, 0};
	/* RequestUpdate: FDWillSendGetPackageData 3 (reserved) */
	static const uint8_t ru1[] = {0, 5, 0x10, 0, 0, 0, 3};
	/* 0x02 without its maximum transfer size */
	static const uint8_t ru2[] = {0, 5, 0x10, 0, 0, 0, 2};
	/* a byte too many */
	static const uint8_t ru3[] = {0, 5, 0x10, 0, 0, 0, 0, 0};
	/* PassComponentTable: ComponentResponse 2 */
	static const uint8_t pct[] = {0, 5, 0x13, 0, 2, 0};
	/* UpdateComponent: truncated */
	static const uint8_t uc[] = {0, 5, 0x14, 0, 0, 0, 0, 0};
	/* an empty response (no completion code) */
	static const uint8_t empty[] = {0, 5, 0x01};

	(void)state;
	malformed(0, qdi1, sizeof(qdi1), false);
	malformed(0, qdi2, sizeof(qdi2), false);
	malformed(0, qdi3, sizeof(qdi3), false);
	malformed(0, empty, sizeof(empty), false);
	malformed(1, gfp, sizeof(gfp), false);
	malformed(2, ru1, sizeof(ru1), true);
	malformed(2, ru2, sizeof(ru2), true);
	malformed(2, ru3, sizeof(ru3), true);
	malformed(3, pct, sizeof(pct), true);
	malformed(5, uc, sizeof(uc), true);
}

static void test_malformed_get_status(void **state)
{
	struct env e;
	struct pldm_ua_outcome o;

	(void)state;
	to_download(&e);
	e.now += 1000;
	EXPECT_POLL(&e, RQ(e.iid), 0x05, 0x1B);
	/* CurrentState 7 is reserved */
	RX_OK(&e, e.iid, 0x05, 0x1B, 0x00, 0x07, 0x02, 0x00, 0x00, 0x65, 0x00,
	      0x00, 0x00, 0x00, 0x00);
	e.iid++;
	step_cancel(&e);
	assert_int_equal(result(&e, &o), PLDM_UA_RESULT_PROTOCOL_ERROR);
	assert_int_equal(o.command, 0x1B);
}

static void test_names(void **state)
{
	(void)state;
	assert_string_equal(pldm_ua_result_name(PLDM_UA_RESULT_SUCCESS),
			    "success");
	assert_string_equal(pldm_ua_result_name(PLDM_UA_RESULT_TIMEOUT),
			    "timeout");
	assert_string_equal(pldm_ua_result_name(PLDM_UA_RESULT_CANCELLED_BY_FD),
			    "cancelled-by-fd");
	assert_string_equal(pldm_ua_result_name(PLDM_UA_RESULT_PROTOCOL_ERROR),
			    "protocol-error");
	assert_string_equal(pldm_ua_result_name((enum pldm_ua_result)99),
			    "unknown");
	assert_string_equal(pldm_ua_phase_name(PLDM_UA_PHASE_DOWNLOAD),
			    "download");
	assert_string_equal(pldm_ua_phase_name((enum pldm_ua_phase)99),
			    "unknown");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_init_and_start_errors),
		cmocka_unit_test(test_update_two_components),
		cmocka_unit_test(test_update_one_component),
		cmocka_unit_test(test_package_data),
		cmocka_unit_test(test_no_package_data),
		cmocka_unit_test(test_meta_data),
		cmocka_unit_test(test_request_firmware_data_errors),
		cmocka_unit_test(test_no_matching_record),
		cmocka_unit_test(test_timeout_and_retries),
		cmocka_unit_test(test_timeout_in_update_mode),
		cmocka_unit_test(test_duplicates),
		cmocka_unit_test(test_lost_update_component_response),
		cmocka_unit_test(test_state_retry),
		cmocka_unit_test(test_fd_reports_failure),
		cmocka_unit_test(test_apply_success_with_activation_method),
		cmocka_unit_test(test_fd_goes_idle),
		cmocka_unit_test(test_get_status_failed_and_stall),
		cmocka_unit_test(test_retry_request_update),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_not_updatable),
		cmocka_unit_test(test_ua_cancel_each_phase),
		cmocka_unit_test(test_cancel_unanswered),
		cmocka_unit_test(test_malformed_responses),
		cmocka_unit_test(test_malformed_get_status),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_get_device_meta_data),
		cmocka_unit_test(test_device_meta_data_errors),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
