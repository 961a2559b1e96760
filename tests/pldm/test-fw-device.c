/* SPDX-License-Identifier: Apache-2.0 */
/*
 * DSP0267 1.3 Firmware Device (libpldm-fw fw-device.c).
 *
 * Golden bytes are worked out by hand from the DSP0267 message tables
 * (field order and widths cross-checked against openbmc/libpldm's
 * include/libpldm/firmware_update.h and, for the 1.3 fields, OpenPRoT's
 * pldm-lib), one comment per field, never taken from this code's output.
 * Header: Rq(7) D(6) rsvd(5) instance(4:0) | ver 00, type 5 | command;
 * a UA request with instance 3 starts 83 05, its response 03 05.
 * All multi-byte fields little-endian.
 *
 * The UA side here is hand-made requests and responses (not fw-agent.c).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "pldm/base.h"
#include "pldm/fw-device.h"

#define T1 10000u
#define T2 1000u

/* ---- the device under test ---------------------------------------------- */

/* IANA enterprise ID 0x0000A015, as its 4 value bytes */
static const uint8_t iana[] = {0x15, 0xA0, 0x00, 0x00};
/* vendor defined: title type ASCII, title length 2, "ab", data 01 02 */
static const uint8_t vendor[] = {0x01, 0x02, 'a', 'b', 0x01, 0x02};

static const struct pldm_fd_descriptor descriptors[] = {
	{0x0001, sizeof(iana), iana},
	{0xFFFF, sizeof(vendor), vendor},
};

static const struct pldm_fd_component components[] = {
	{
		.classification = PLDM_FW_CLASS_FIRMWARE, /* 0x000A */
		.identifier = 0x0001,
		.classification_index = 0,
		.active_comparison_stamp = 0x10,
		.active_version = {1, 3, (const uint8_t *)"1.0"},
		.active_release_date = {'2', '0', '2', '5', '0', '1', '0', '1'},
		.pending_comparison_stamp = PLDM_FW_NO_COMPARISON_STAMP,
		.pending_version = {0, 0, NULL},
		.activation_methods = 0x000A,
		.capabilities_during_update = 0,
	},
	{
		.classification = PLDM_FW_CLASS_FIRMWARE,
		.identifier = 0x0002,
		.classification_index = 0,
		.active_comparison_stamp = 0x05,
		.active_version = {1, 1, (const uint8_t *)"A"},
		.pending_comparison_stamp = PLDM_FW_NO_COMPARISON_STAMP,
		.activation_methods = 0x0008,
		.capabilities_during_update = 0x00000002,
	},
};

static uint8_t metadata[40];

static struct pldm_fd_config cfg = {
	.descriptors = descriptors,
	.n_descriptors = 2,
	.components = components,
	.n_components = 2,
	.active_image_set_version = {1, 2, (const uint8_t *)"v1"},
	.pending_image_set_version = {1, 0, NULL},
	.capabilities_during_update = 0x00000001,
	.max_transfer_size = 64,
	.fd_t1_ms = T1,
	.fd_t2_ms = T2,
	.time_before_request_fw_data = 5,
	.device_metadata = metadata,
	.device_metadata_length = sizeof(metadata),
};

/* A fake device recording what the FD asks of it. */
struct dev {
	uint8_t image[2][256];
	uint32_t written[2];
	int write_rc;
	int verify_rc, apply_rc, activate_rc;
	uint16_t apply_mod, estimate;
	uint8_t comp_code;
	int comp_calls, verify_calls, apply_calls, activate_calls;
	bool last_update, self_contained;
	int cancels, cancel_index;
	bool cancel_whole;
	uint64_t cancel_map;
	uint8_t pkg[64];
	uint32_t pkg_len;
	bool pkg_last;
	int pkg_rc;
	uint8_t md[64]; /* GetMetaData */
	uint32_t md_len;
	bool md_last;
	int md_rc;
	int ru_calls; /* request_update op */
	uint8_t ru_type, ru_len, ru_ver[8], ru_cc;
	uint16_t ru_pkg_len;
};

static uint8_t
op_component(void *ctx, const struct pldm_fd_component_request *q, bool update)
{
	struct dev *d = ctx;

	(void)q;
	d->comp_calls++;
	d->last_update = update;
	return d->comp_code;
}

static int op_write(void *ctx, uint16_t index, uint32_t offset,
		    const uint8_t *data, size_t len)
{
	struct dev *d = ctx;

	assert_true(index < 2);
	assert_int_equal(offset, d->written[index]);
	assert_true(offset + len <= sizeof(d->image[0]));
	memcpy(d->image[index] + offset, data, len);
	d->written[index] += (uint32_t)len;
	return d->write_rc;
}

static int op_verify(void *ctx, uint16_t index)
{
	struct dev *d = ctx;

	(void)index;
	d->verify_calls++;
	return d->verify_rc;
}

static int op_apply(void *ctx, uint16_t index, uint16_t *mod)
{
	struct dev *d = ctx;

	(void)index;
	d->apply_calls++;
	*mod = d->apply_mod;
	return d->apply_rc;
}

static int op_activate(void *ctx, bool self_contained, uint16_t *estimate)
{
	struct dev *d = ctx;

	d->activate_calls++;
	d->self_contained = self_contained;
	*estimate = d->estimate;
	return d->activate_rc;
}

static uint64_t op_cancel(void *ctx, int index, bool whole)
{
	struct dev *d = ctx;

	d->cancels++;
	d->cancel_index = index;
	d->cancel_whole = whole;
	return d->cancel_map;
}

static int op_package(void *ctx, uint32_t offset, const uint8_t *data,
		      size_t len, bool last)
{
	struct dev *d = ctx;

	assert_int_equal(offset, d->pkg_len);
	memcpy(d->pkg + offset, data, len);
	d->pkg_len += (uint32_t)len;
	d->pkg_last = last;
	return d->pkg_rc;
}

static int op_meta(void *ctx, uint32_t offset, const uint8_t *data, size_t len,
		   bool last)
{
	struct dev *d = ctx;

	assert_int_equal(offset, d->md_len);
	assert_true(offset + len <= sizeof(d->md));
	memcpy(d->md + offset, data, len);
	d->md_len += (uint32_t)len;
	d->md_last = last;
	return d->md_rc;
}

static uint8_t op_request_update(void *ctx, const struct pldm_fd_string *v,
				 uint16_t package_data_length)
{
	struct dev *d = ctx;

	d->ru_calls++;
	d->ru_type = v->type;
	d->ru_len = v->length;
	assert_true(v->length <= sizeof(d->ru_ver));
	if (v->length)
		memcpy(d->ru_ver, v->data, v->length);
	d->ru_pkg_len = package_data_length;
	return d->ru_cc;
}

static struct dev dev;
static struct pldm_fd_ops ops = {
	.ctx = &dev,
	.component = op_component,
	.write = op_write,
	.verify = op_verify,
	.apply = op_apply,
	.activate = op_activate,
	.cancel = op_cancel,
	.package_data = NULL,
};

static struct pldm_fd fd;

/* exchange buffers */
static uint8_t rsp[512];
static size_t rsp_len;
static int rc;

static void handle(uint32_t now, const uint8_t *req, size_t len)
{
	rsp_len = sizeof(rsp);
	rc = pldm_fd_handle(&fd, now, req, len, rsp, &rsp_len);
}

static void poll_at(uint32_t now)
{
	rsp_len = sizeof(rsp);
	rc = pldm_fd_poll(&fd, now, rsp, &rsp_len);
	assert_int_equal(rc, 0);
}

#define HANDLE(now, ...)                                                       \
	do {                                                                   \
		static const uint8_t q_[] = {__VA_ARGS__};                     \
		handle((now), q_, sizeof(q_));                                 \
	} while (0)

#define EXPECT(...)                                                            \
	do {                                                                   \
		static const uint8_t want_[] = {__VA_ARGS__};                  \
		assert_int_equal(rc, 0);                                       \
		assert_int_equal(rsp_len, sizeof(want_));                      \
		assert_memory_equal(rsp, want_, sizeof(want_));                \
	} while (0)

/* the UA's response @... to the FD's request; sets rc */
#define RESPOND(now, ...)                                                      \
	do {                                                                   \
		static const uint8_t r_[] = {__VA_ARGS__};                     \
		rc = pldm_fd_handle_response(&fd, (now), r_, sizeof(r_));      \
	} while (0)

static uint8_t cc(void)
{
	assert_int_equal(rc, 0);
	assert_true(rsp_len >= 4);
	return rsp[3];
}

static void setup_fd(void)
{
	memset(&dev, 0, sizeof(dev));
	ops.package_data = NULL;
	ops.meta_data = NULL;
	ops.request_update = NULL;
	cfg.get_meta_data = false;
	for (size_t i = 0; i < sizeof(metadata); i++)
		metadata[i] = (uint8_t)(0xA0 + i);
	assert_int_equal(pldm_fd_init(&fd, &cfg, &ops), 0);
}

/* A component image: byte i is i ^ seed. */
static uint8_t img(uint32_t i, uint8_t seed)
{
	return (uint8_t)(i ^ seed);
}

/*
 * The UA's side of the FD-driven phase: poll, answer every request
 * (RequestFirmwareData from a @size-byte image made by img(), each
 * Complete with SUCCESS) until the FD has nothing more to send. Returns
 * the number of requests answered.
 */
static int ua_serve(uint32_t *now, uint32_t size, uint8_t seed)
{
	uint8_t out[256];
	int n = 0;

	for (;;) {
		uint32_t off, len, i;

		poll_at(*now);
		if (rsp_len == 0)
			return n;
		n++;
		assert_int_equal(rsp[0] & 0xC0, 0x80); /* Rq, not D */
		assert_int_equal(rsp[1], 0x05);
		out[0] = rsp[0] & 0x1F;
		out[1] = 0x05;
		out[2] = rsp[2];
		out[3] = 0x00;
		if (rsp[2] == PLDM_FW_REQUEST_FIRMWARE_DATA) {
			assert_int_equal(rsp_len, 11);
			off = rsp[3] | rsp[4] << 8 | (uint32_t)rsp[5] << 16 |
			      (uint32_t)rsp[6] << 24;
			len = rsp[7] | rsp[8] << 8 | (uint32_t)rsp[9] << 16 |
			      (uint32_t)rsp[10] << 24;
			assert_true(len > 0 && len <= 64);
			assert_true(off + len <= size);
			for (i = 0; i < len; i++)
				out[4 + i] = img(off + i, seed);
			assert_int_equal(pldm_fd_handle_response(&fd, *now, out,
								 4 + len),
					 0);
		} else {
			assert_true(rsp[2] >= PLDM_FW_TRANSFER_COMPLETE &&
				    rsp[2] <= PLDM_FW_APPLY_COMPLETE);
			assert_int_equal(rsp[3], 0x00); /* result SUCCESS */
			assert_int_equal(
				pldm_fd_handle_response(&fd, *now, out, 4), 0);
		}
		*now += 10;
	}
}

/* RequestUpdate: max transfer 256, 1 (or 2) components, 1 outstanding,
 * no package data, image set version "1.1". */
static void request_update(uint32_t now, uint8_t n_components)
{
	uint8_t q[] =
		{
			0x81,         0x05,
			0x10, /* Rq, instance 1 | type 5 | RequestUpdate */
			0x00,         0x01,
			0x00,         0x00, /* MaximumTransferSize 256 */
			n_components, 0x00, /* NumberOfComponents */
			0x01, /* MaximumOutstandingTransferRequests */
			0x00,         0x00, /* PackageDataLength 0 */
			0x01,         0x03, /* version string ASCII, 3 bytes */
			'1',          '.',
			'1',
		};

	handle(now, q, sizeof(q));
	assert_int_equal(cc(), 0);
	assert_int_equal(pldm_fd_state(&fd), PLDM_FW_STATE_LEARN_COMPONENTS);
}

/* PassComponentTable for component @id (0x0001/0x0002) with stamp 0x11. */
static void pass_component(uint32_t now, uint8_t flag, uint8_t id)
{
	uint8_t q[] = {
		0x82, 0x05, 0x13,       /* instance 2 | PassComponentTable */
		flag,                   /* TransferFlag */
		0x0A, 0x00,             /* ComponentClassification Firmware */
		id,   0x00,             /* ComponentIdentifier */
		0x00,                   /* ComponentClassificationIndex */
		0x11, 0x00, 0x00, 0x00, /* ComponentComparisonStamp 0x11 */
		0x01, 0x01, 'x',        /* version ASCII, 1 byte */
	};

	handle(now, q, sizeof(q));
	assert_int_equal(cc(), 0);
}

/* UpdateComponent for component @id, stamp 0x11, image @size bytes. */
static void update_component(uint32_t now, uint8_t id, uint8_t size)
{
	uint8_t q[] = {
		0x83, 0x05, 0x14,       /* instance 3 | UpdateComponent */
		0x0A, 0x00,             /* classification */
		id,   0x00,             /* identifier */
		0x00,                   /* classification index */
		0x11, 0x00, 0x00, 0x00, /* comparison stamp */
		size, 0x00, 0x00, 0x00, /* ComponentImageSize */
		0x00, 0x00, 0x00, 0x00, /* UpdateOptionFlags */
		0x01, 0x01, 'x',        /* version */
	};

	handle(now, q, sizeof(q));
	assert_int_equal(cc(), 0);
	assert_int_equal(rsp[4], 0); /* ComponentCompatibilityResponse */
	assert_int_equal(pldm_fd_state(&fd), PLDM_FW_STATE_DOWNLOAD);
}

static uint8_t get_status_byte(uint32_t now, size_t i)
{
	HANDLE(now, 0x80, 0x05, 0x1B);
	assert_int_equal(cc(), 0);
	assert_int_equal(rsp_len, 14);
	return rsp[i];
}

/* ---- inventory ------------------------------------------------------------ */

static void test_query_device_identifiers(void **state)
{
	(void)state;
	setup_fd();
	HANDLE(0, 0x81, 0x05, 0x01);   /* Rq, instance 1 | type 5 | QDI */
	EXPECT(0x01, 0x05, 0x01,       /* response, instance 1 */
	       0x00,                   /* CompletionCode SUCCESS */
	       0x12, 0x00, 0x00, 0x00, /* DeviceIdentifiersLength 18 */
	       0x02,                   /* DescriptorCount */
	       0x01, 0x00,             /* type: IANA enterprise ID */
	       0x04, 0x00,             /* length 4 */
	       0x15, 0xA0, 0x00, 0x00, /* 0x0000A015 */
	       0xFF, 0xFF,             /* type: vendor defined */
	       0x06, 0x00,             /* length 6 */
	       0x01, 0x02, 'a', 'b',   /* title ASCII, 2, "ab" */
	       0x01, 0x02);            /* vendor data */
	/* a request byte too many */
	HANDLE(0, 0x81, 0x05, 0x01, 0x00);
	EXPECT(0x01, 0x05, 0x01, 0x03); /* ERROR_INVALID_LENGTH */
}

static void test_get_firmware_parameters(void **state)
{
	(void)state;
	setup_fd();
	HANDLE(0, 0x82, 0x05, 0x02);
	EXPECT(0x02, 0x05, 0x02, 0x00, /* header, SUCCESS */
	       0x01, 0x00, 0x00, 0x00, /* CapabilitiesDuringUpdate */
	       0x02, 0x00,             /* ComponentCount 2 */
	       0x01, 0x02,             /* active image set: ASCII, 2 */
	       0x01, 0x00,             /* pending image set: ASCII, 0 */
	       'v', '1',               /* active image set version */
	       /* component 0 */
	       0x0A, 0x00,             /* classification Firmware */
	       0x01, 0x00,             /* identifier 1 */
	       0x00,                   /* classification index */
	       0x10, 0x00, 0x00, 0x00, /* active comparison stamp */
	       0x01, 0x03,             /* active version ASCII, 3 */
	       '2', '0', '2', '5', '0', '1', '0', '1', /* release date */
	       0xFF, 0xFF, 0xFF, 0xFF,                 /* pending stamp: none */
	       0x00, 0x00,             /* pending version type 0, len 0 */
	       0, 0, 0, 0, 0, 0, 0, 0, /* pending release date */
	       0x0A, 0x00,             /* activation: self-contained|reboot */
	       0x00, 0x00, 0x00, 0x00, /* capabilities during update */
	       '1', '.', '0',          /* active version */
	       /* component 1 */
	       0x0A, 0x00, 0x02, 0x00, 0x00,       /* class, id 2, index */
	       0x05, 0x00, 0x00, 0x00,             /* active stamp 5 */
	       0x01, 0x01,                         /* ASCII, 1 */
	       0, 0, 0, 0, 0, 0, 0, 0,             /* no date */
	       0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x00, /* pending: none */
	       0, 0, 0, 0, 0, 0, 0, 0, 0x08,
	       0x00,                   /* activation: system reboot */
	       0x02, 0x00, 0x00, 0x00, /* capabilities */
	       'A');
	/* a response buffer too small for the table: ERROR, not truncation */
	{
		static const uint8_t q[] = {0x82, 0x05, 0x02};
		uint8_t small[20];
		size_t n = sizeof(small);

		assert_int_equal(pldm_fd_handle(&fd, 0, q, 3, small, &n), 0);
		assert_int_equal(n, 4);
		assert_int_equal(small[3], PLDM_CC_ERROR);
	}
}

/* ---- update mode ----------------------------------------------------------- */

static void test_request_update(void **state)
{
	(void)state;
	setup_fd();
	HANDLE(0, 0x81, 0x05, 0x10, 0x00, 0x01, 0x00,
	       0x00,       /* MaximumTransferSize 256 */
	       0x01, 0x00, /* NumberOfComponents 1 */
	       0x01,       /* MaximumOutstandingTransferRequests */
	       0x00, 0x00, /* PackageDataLength 0 */
	       0x01, 0x03, '1', '.', '1');
	EXPECT(0x01, 0x05, 0x10, 0x00, /* SUCCESS */
	       0x28, 0x00,             /* FirmwareDeviceMetaDataLength 40 */
	       0x00);                  /* FDWillSendGetPackageDataCommand no */
	assert_int_equal(pldm_fd_state(&fd), PLDM_FW_STATE_LEARN_COMPONENTS);
	/* again: ALREADY_IN_UPDATE_MODE */
	HANDLE(0, 0x81, 0x05, 0x10, 0x00, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01,
	       0x00, 0x00, 0x01, 0x00);
	EXPECT(0x01, 0x05, 0x10, 0x81);

	setup_fd();
	/* MaximumTransferSize 31 < baseline 32 */
	HANDLE(0, 0x81, 0x05, 0x10, 0x1F, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01,
	       0x00, 0x00, 0x01, 0x00);
	EXPECT(0x01, 0x05, 0x10, 0x83);
	/* NumberOfComponents 0 */
	HANDLE(0, 0x81, 0x05, 0x10, 0x20, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,
	       0x00, 0x00, 0x01, 0x00);
	EXPECT(0x01, 0x05, 0x10, 0x02);
	/* MaximumOutstandingTransferRequests 0 */
	HANDLE(0, 0x81, 0x05, 0x10, 0x20, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00,
	       0x00, 0x00, 0x01, 0x00);
	EXPECT(0x01, 0x05, 0x10, 0x02);
	/* string type 6 is undefined */
	HANDLE(0, 0x81, 0x05, 0x10, 0x20, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01,
	       0x00, 0x00, 0x06, 0x00);
	EXPECT(0x01, 0x05, 0x10, 0x02);
	/* string length 2 with 1 byte present, and 1 with 2 */
	HANDLE(0, 0x81, 0x05, 0x10, 0x20, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01,
	       0x00, 0x00, 0x01, 0x02, 'x');
	EXPECT(0x01, 0x05, 0x10, 0x03);
	HANDLE(0, 0x81, 0x05, 0x10, 0x20, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01,
	       0x00, 0x00, 0x01, 0x01, 'x', 'y');
	EXPECT(0x01, 0x05, 0x10, 0x03);
	/* fixed part cut short */
	HANDLE(0, 0x81, 0x05, 0x10, 0x20, 0x00, 0x00);
	EXPECT(0x01, 0x05, 0x10, 0x03);
	assert_int_equal(pldm_fd_state(&fd), PLDM_FW_STATE_IDLE);
}

static void test_get_device_meta_data(void **state)
{
	struct pldm_fd_config c = cfg;

	(void)state;
	setup_fd();
	/* not in update mode */
	HANDLE(0, 0x83, 0x05, 0x12, 0x00, 0x00, 0x00, 0x00, 0x01);
	EXPECT(0x03, 0x05, 0x12, 0x80);
	/* UA MaximumTransferSize 32: parts of 32 then 8 bytes */
	HANDLE(0, 0x81, 0x05, 0x10, 0x20, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01,
	       0x00, 0x00, 0x01, 0x00);
	assert_int_equal(cc(), 0);
	HANDLE(0, 0x83, 0x05, 0x12, 0x00, 0x00, 0x00,
	       0x00,  /* DataTransferHandle 0 */
	       0x01); /* GetFirstPart */
	assert_int_equal(rc, 0);
	assert_int_equal(rsp_len, 4 + 5 + 32);
	assert_memory_equal(
		rsp,
		((const uint8_t[]){0x03, 0x05, 0x12, 0x00, 0x20, 0x00, 0x00,
				   0x00,   /* NextDataTransferHandle 32 */
				   0x01}), /* TransferFlag Start */
		9);
	assert_memory_equal(rsp + 9, metadata, 32);
	/* a wrong handle, a bad operation flag */
	HANDLE(0, 0x83, 0x05, 0x12, 0x21, 0x00, 0x00, 0x00, 0x00);
	EXPECT(0x03, 0x05, 0x12, 0x90); /* INVALID_TRANSFER_HANDLE */
	HANDLE(0, 0x83, 0x05, 0x12, 0x20, 0x00, 0x00, 0x00, 0x02);
	EXPECT(0x03, 0x05, 0x12, 0x91); /* INVALID_TRANSFER_OPERATION_FLAG */
	HANDLE(0, 0x83, 0x05, 0x12, 0x20, 0x00, 0x00, 0x00, /* handle 32 */
	       0x00);                                       /* GetNextPart */
	assert_int_equal(rsp_len, 4 + 5 + 8);
	assert_memory_equal(
		rsp,
		((const uint8_t[]){0x03, 0x05, 0x12, 0x00, 0x00, 0x00, 0x00,
				   0x00,   /* NextDataTransferHandle 0: last */
				   0x04}), /* TransferFlag End */
		9);
	assert_memory_equal(rsp + 9, metadata + 32, 8);
	/* the last part again (retry) */
	HANDLE(0, 0x83, 0x05, 0x12, 0x20, 0x00, 0x00, 0x00, 0x00);
	assert_int_equal(cc(), 0);
	assert_int_equal(rsp[8], 0x04);
	/* past the end: handle 40 was never returned */
	HANDLE(0, 0x83, 0x05, 0x12, 0x28, 0x00, 0x00, 0x00, 0x00);
	EXPECT(0x03, 0x05, 0x12, 0x90);
	/* wrong length */
	HANDLE(0, 0x83, 0x05, 0x12, 0x00, 0x00, 0x00, 0x00);
	EXPECT(0x03, 0x05, 0x12, 0x03);

	/* no metadata */
	c.device_metadata = NULL;
	c.device_metadata_length = 0;
	assert_int_equal(pldm_fd_init(&fd, &c, &ops), 0);
	HANDLE(0, 0x81, 0x05, 0x10, 0x20, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01,
	       0x00, 0x00, 0x01, 0x00);
	EXPECT(0x01, 0x05, 0x10, 0x00, 0x00, 0x00, 0x00); /* length 0 */
	HANDLE(0, 0x83, 0x05, 0x12, 0x00, 0x00, 0x00, 0x00, 0x01);
	EXPECT(0x03, 0x05, 0x12, 0x8D); /* NO_DEVICE_METADATA */
}

static void test_pass_component_table(void **state)
{
	(void)state;
	setup_fd();
	request_update(0, 2);
	/* Middle first: out of order */
	HANDLE(0, 0x82, 0x05, 0x13, 0x02, 0x0A, 0x00, 0x01, 0x00, 0x00, 0x11,
	       0x00, 0x00, 0x00, 0x01, 0x00);
	EXPECT(0x02, 0x05, 0x13, 0x02);
	/* undefined flag 0x03 */
	HANDLE(0, 0x82, 0x05, 0x13, 0x03, 0x0A, 0x00, 0x01, 0x00, 0x00, 0x11,
	       0x00, 0x00, 0x00, 0x01, 0x00);
	EXPECT(0x02, 0x05, 0x13, 0x02);
	HANDLE(0, 0x82, 0x05, 0x13, 0x01, /* TransferFlag Start */
	       0x0A, 0x00,                /* classification Firmware */
	       0x01, 0x00,                /* identifier 1 */
	       0x00,                      /* classification index */
	       0x11, 0x00, 0x00, 0x00,    /* comparison stamp 0x11 > 0x10 */
	       0x01, 0x03, '1', '.', '1');
	EXPECT(0x02, 0x05, 0x13, 0x00,
	       0x00,  /* ComponentResponse: can be updated */
	       0x00); /* ComponentResponseCode: can be updated */
	assert_int_equal(dev.comp_calls, 1);
	assert_false(dev.last_update);
	/* a second Start: out of order */
	HANDLE(0, 0x82, 0x05, 0x13, 0x01, 0x0A, 0x00, 0x01, 0x00, 0x00, 0x11,
	       0x00, 0x00, 0x00, 0x01, 0x00);
	EXPECT(0x02, 0x05, 0x13, 0x02);
	/* identical stamp */
	HANDLE(0, 0x82, 0x05, 0x13, 0x02, 0x0A, 0x00, 0x01, 0x00, 0x00, 0x10,
	       0x00, 0x00, 0x00, 0x01, 0x00);
	EXPECT(0x02, 0x05, 0x13, 0x00, 0x01, /* may be updateable */
	       0x01);                        /* COMPARISON_STAMP_IDENTICAL */
	/* lower stamp on component 2 (active 5) */
	HANDLE(0, 0x82, 0x05, 0x13, 0x02, 0x0A, 0x00, 0x02, 0x00, 0x00, 0x04,
	       0x00, 0x00, 0x00, 0x01, 0x00);
	EXPECT(0x02, 0x05, 0x13, 0x00, 0x01, 0x02); /* STAMP_LOWER */
	/* unknown identifier, and unknown classification index */
	HANDLE(0, 0x82, 0x05, 0x13, 0x02, 0x0A, 0x00, 0x09, 0x00, 0x00, 0x11,
	       0x00, 0x00, 0x00, 0x01, 0x00);
	EXPECT(0x02, 0x05, 0x13, 0x00, 0x01, 0x06); /* NOT_SUPPORTED */
	HANDLE(0, 0x82, 0x05, 0x13, 0x02, 0x0A, 0x00, 0x01, 0x00, 0x01, 0x11,
	       0x00, 0x00, 0x00, 0x01, 0x00);
	EXPECT(0x02, 0x05, 0x13, 0x00, 0x01, 0x06);
	/* the device refuses component 2 */
	dev.comp_code = PLDM_FW_CRC_SECURITY_RESTRICTIONS;
	HANDLE(0, 0x82, 0x05, 0x13, 0x04, 0x0A, 0x00, 0x02, 0x00, 0x00, 0x11,
	       0x00, 0x00, 0x00, 0x01, 0x00);
	EXPECT(0x02, 0x05, 0x13, 0x00, 0x01, 0x07);
	assert_int_equal(pldm_fd_state(&fd), PLDM_FW_STATE_READY_XFER);
	assert_int_equal(get_status_byte(0, 5), PLDM_FW_STATE_LEARN_COMPONENTS);
	/* in READY XFER */
	HANDLE(0, 0x82, 0x05, 0x13, 0x01, 0x0A, 0x00, 0x01, 0x00, 0x00, 0x11,
	       0x00, 0x00, 0x00, 0x01, 0x00);
	EXPECT(0x02, 0x05, 0x13, 0x84);
}

static void test_update_component(void **state)
{
	(void)state;
	setup_fd();
	request_update(0, 2);
	pass_component(0, PLDM_FW_TRANSFER_FLAG_START, 1);
	pass_component(0, PLDM_FW_TRANSFER_FLAG_END, 2);
	/* identical stamp without force */
	HANDLE(0, 0x83, 0x05, 0x14, 0x0A, 0x00, 0x01, 0x00,
	       0x00,                   /* classification, id 1, index */
	       0x10, 0x00, 0x00, 0x00, /* stamp 0x10 = active */
	       0x64, 0x00, 0x00, 0x00, /* image size 100 */
	       0x00, 0x00, 0x00, 0x00, /* UpdateOptionFlags */
	       0x01, 0x00);
	EXPECT(0x03, 0x05, 0x14, 0x00,
	       0x01,                   /* ComponentCompatibilityResponse: no */
	       0x01,                   /* code: stamp identical */
	       0x00, 0x00, 0x00, 0x00, /* UpdateOptionFlagsEnabled */
	       0x05, 0x00);            /* TimeBeforeRequestFWData 5 s */
	assert_int_equal(pldm_fd_state(&fd), PLDM_FW_STATE_READY_XFER);
	/* image size 0 */
	HANDLE(0, 0x83, 0x05, 0x14, 0x0A, 0x00, 0x01, 0x00, 0x00, 0x11, 0x00,
	       0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,
	       0x00);
	EXPECT(0x03, 0x05, 0x14, 0x02);
	/* a component PassComponentTable did not name: no match */
	{
		struct pldm_fd_component two[3] = {components[0], components[1],
						   components[1]};
		struct pldm_fd_config c = cfg;

		two[2].identifier = 3;
		c.components = two;
		c.n_components = 3;
		assert_int_equal(pldm_fd_init(&fd, &c, &ops), 0);
		request_update(0, 1);
		pass_component(0, PLDM_FW_TRANSFER_FLAG_START_AND_END, 1);
		HANDLE(0, 0x83, 0x05, 0x14, 0x0A, 0x00, 0x03, 0x00, 0x00, 0x11,
		       0x00, 0x00, 0x00, 0x64, 0x00, 0x00, 0x00, 0x00, 0x00,
		       0x00, 0x00, 0x01, 0x00);
		EXPECT(0x03, 0x05, 0x14, 0x00, 0x01,
		       0x09, /* component information no match */
		       0x00, 0x00, 0x00, 0x00, 0x05, 0x00);
	}
	/* force update of the identical stamp */
	setup_fd();
	request_update(0, 1);
	pass_component(0, PLDM_FW_TRANSFER_FLAG_START_AND_END, 1);
	HANDLE(0, 0x83, 0x05, 0x14, 0x0A, 0x00, 0x01, 0x00, 0x00, 0x10, 0x00,
	       0x00, 0x00,             /* stamp = active */
	       0x64, 0x00, 0x00, 0x00, /* 100 bytes */
	       0x05, 0x00, 0x00, 0x00, /* force update + bit 2 */
	       0x01, 0x00);
	EXPECT(0x03, 0x05, 0x14, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00,
	       0x00, /* only force update enabled */
	       0x05, 0x00);
	assert_int_equal(pldm_fd_state(&fd), PLDM_FW_STATE_DOWNLOAD);
	assert_true(dev.last_update);
	/* GetStatus in DOWNLOAD */
	HANDLE(0, 0x84, 0x05, 0x1B);
	EXPECT(0x04, 0x05, 0x1B, 0x00, 0x03, /* CurrentState DOWNLOAD */
	       0x02,                         /* PreviousState READY XFER */
	       0x00,                    /* AuxState operation in progress */
	       0x00,                    /* AuxStateStatus */
	       0x00,                    /* ProgressPercent 0 */
	       0x00,                    /* ReasonCode (IDLE only) */
	       0x01, 0x00, 0x00, 0x00); /* UpdateOptionFlagsEnabled */
}

static void test_download_verify_apply_golden(void **state)
{
	uint8_t data[4 + 64];
	uint32_t i;

	(void)state;
	setup_fd();
	request_update(0, 1);
	pass_component(0, PLDM_FW_TRANSFER_FLAG_START_AND_END, 1);
	update_component(0, 1, 100);
	poll_at(0);
	EXPECT(0x80, 0x05, 0x15, /* Rq, instance 0 | RequestFirmwareData */
	       0x00, 0x00, 0x00, 0x00,  /* Offset 0 */
	       0x40, 0x00, 0x00, 0x00); /* Length 64 (the FD's max) */
	data[0] = 0x00;                 /* response, instance 0 */
	data[1] = 0x05;
	data[2] = 0x15;
	data[3] = 0x00; /* SUCCESS */
	for (i = 0; i < 64; i++)
		data[4 + i] = img(i, 0x5A);
	assert_int_equal(pldm_fd_handle_response(&fd, 5, data, sizeof(data)),
			 0);
	assert_int_equal(get_status_byte(5, 8), 64); /* 64 of 100 bytes */
	poll_at(5);
	EXPECT(0x81, 0x05, 0x15, 0x40, 0x00, 0x00, 0x00, /* offset 64 */
	       0x24, 0x00, 0x00, 0x00);                  /* length 36 */
	data[0] = 0x01;
	for (i = 0; i < 36; i++)
		data[4 + i] = img(64 + i, 0x5A);
	/* 35 bytes: malformed, ignored */
	assert_int_equal(pldm_fd_handle_response(&fd, 6, data, 4 + 35),
			 -EBADMSG);
	assert_int_equal(pldm_fd_handle_response(&fd, 6, data, 4 + 36), 0);
	for (i = 0; i < 100; i++)
		assert_int_equal(dev.image[0][i], img(i, 0x5A));
	poll_at(6);
	EXPECT(0x82, 0x05, 0x16, /* instance 2 | TransferComplete */
	       0x00);            /* TransferResult success */
	assert_int_equal(get_status_byte(6, 6), 0x01); /* aux: successful */
	assert_int_equal(get_status_byte(6, 8), 100);
	RESPOND(7, 0x02, 0x05, 0x16, 0x00);
	assert_int_equal(rc, 0);
	assert_int_equal(pldm_fd_state(&fd), PLDM_FW_STATE_VERIFY);
	assert_int_equal(dev.verify_calls, 1);
	poll_at(7);
	EXPECT(0x83, 0x05, 0x17, /* VerifyComplete */
	       0x00);            /* VerifyResult success */
	RESPOND(8, 0x03, 0x05, 0x17, 0x00);
	assert_int_equal(rc, 0);
	assert_int_equal(pldm_fd_state(&fd), PLDM_FW_STATE_APPLY);
	poll_at(8);
	EXPECT(0x84, 0x05, 0x18, /* ApplyComplete */
	       0x00,             /* ApplyResult success */
	       0x00, 0x00);      /* ComponentActivationMethodsModification */
	RESPOND(9, 0x04, 0x05, 0x18, 0x00);
	assert_int_equal(rc, 0);
	assert_int_equal(pldm_fd_state(&fd), PLDM_FW_STATE_READY_XFER);
	/* ActivateFirmware, self-contained, estimated 10 s */
	dev.estimate = 10;
	HANDLE(10, 0x85, 0x05, 0x1A, 0x01);
	EXPECT(0x05, 0x05, 0x1A, 0x00, 0x0A,
	       0x00); /* EstimatedTimeForSelfContainedActivation */
	assert_true(dev.self_contained);
	assert_int_equal(pldm_fd_state(&fd), PLDM_FW_STATE_IDLE);
	HANDLE(10, 0x86, 0x05, 0x1B);
	EXPECT(0x06, 0x05, 0x1B, 0x00, 0x00, /* IDLE */
	       0x06,                         /* previous: ACTIVATE */
	       0x03,                         /* aux: idle/learn/ready */
	       0x00, 0x65,                   /* progress not supported */
	       0x01,                         /* reason ACTIVATE_FW */
	       0x00, 0x00, 0x00, 0x00);
}

static void test_apply_with_activation_method(void **state)
{
	uint32_t now = 0;

	(void)state;
	setup_fd();
	dev.apply_rc = PLDM_FW_APPLY_SUCCESS_WITH_ACTIVATION_METHOD;
	dev.apply_mod = 0x0004; /* medium-specific reset */
	request_update(0, 1);
	pass_component(0, PLDM_FW_TRANSFER_FLAG_START_AND_END, 1);
	update_component(0, 1, 10);
	poll_at(now); /* RFD 0, 10 */
	{
		uint8_t r[14] = {0x00, 0x05, 0x15, 0x00};

		assert_int_equal(pldm_fd_handle_response(&fd, 1, r, 14), 0);
	}
	poll_at(1);
	RESPOND(1, 0x01, 0x05, 0x16, 0x00);
	poll_at(1);
	RESPOND(1, 0x02, 0x05, 0x17, 0x00);
	assert_int_equal(rc, 0);
	poll_at(1);
	EXPECT(0x83, 0x05, 0x18,
	       0x01,        /* ApplyResult: success with activation method */
	       0x04, 0x00); /* modification: medium-specific reset */
	RESPOND(1, 0x03, 0x05, 0x18, 0x00);
	assert_int_equal(rc, 0);
	assert_int_equal(pldm_fd_state(&fd), PLDM_FW_STATE_READY_XFER);
}

static void test_get_package_data(void **state)
{
	uint8_t r[4 + 5 + 32];

	(void)state;
	setup_fd();
	ops.package_data = op_package;
	HANDLE(0, 0x81, 0x05, 0x10, 0x00, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01,
	       0x30, 0x00, /* PackageDataLength 48 */
	       0x01, 0x00);
	EXPECT(0x01, 0x05, 0x10, 0x00, 0x28, 0x00,
	       0x01); /* FDWillSendGetPackageDataCommand: yes */
	poll_at(0);
	EXPECT(0x80, 0x05, 0x11,       /* Rq, instance 0 | GetPackageData */
	       0x00, 0x00, 0x00, 0x00, /* DataTransferHandle 0 */
	       0x01);                  /* GetFirstPart */
	/* UpdateComponent now: the FD is still fetching package data */
	pass_component(0, PLDM_FW_TRANSFER_FLAG_START_AND_END, 1);
	HANDLE(0, 0x83, 0x05, 0x14, 0x0A, 0x00, 0x01, 0x00, 0x00, 0x11, 0x00,
	       0x00, 0x00, 0x64, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,
	       0x00);
	EXPECT(0x03, 0x05, 0x14, 0x04); /* ERROR_NOT_READY */
	memset(r, 0x77, sizeof(r));
	r[0] = 0x00; /* response, instance 0 */
	r[1] = 0x05;
	r[2] = 0x11;
	r[3] = 0x00;
	r[4] = 0x99; /* NextDataTransferHandle 0x99 (the UA's choice) */
	r[5] = r[6] = r[7] = 0x00;
	r[8] = 0x02; /* TransferFlag Middle: wrong for a first part */
	assert_int_equal(pldm_fd_handle_response(&fd, 1, r, sizeof(r)),
			 -EBADMSG);
	r[8] = 0x01; /* Start */
	assert_int_equal(pldm_fd_handle_response(&fd, 1, r, sizeof(r)), 0);
	assert_int_equal(dev.pkg_len, 32);
	assert_false(dev.pkg_last);
	poll_at(1);
	EXPECT(0x81, 0x05, 0x11, 0x99, 0x00, 0x00,
	       0x00,  /* the handle the UA gave */
	       0x00); /* GetNextPart */
	r[0] = 0x01;
	r[4] = 0x00;
	r[8] = 0x04; /* End, 16 bytes */
	/* 17 bytes would pass PackageDataLength 48 */
	assert_int_equal(pldm_fd_handle_response(&fd, 2, r, 9 + 17), -EBADMSG);
	assert_int_equal(pldm_fd_handle_response(&fd, 2, r, 9 + 16), 0);
	assert_int_equal(dev.pkg_len, 48);
	assert_true(dev.pkg_last);
	poll_at(2);
	assert_int_equal(rsp_len, 0);
	update_component(3, 1, 100);

	/* the UA has no package data after all: the FD stops asking */
	setup_fd();
	ops.package_data = op_package;
	HANDLE(0, 0x81, 0x05, 0x10, 0x00, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01,
	       0x30, 0x00, 0x01, 0x00);
	poll_at(0);
	RESPOND(0, 0x00, 0x05, 0x11, 0x8F); /* NO_PACKAGE_DATA */
	assert_int_equal(rc, 0);
	poll_at(5000);
	assert_int_equal(rsp_len, 0);
	assert_int_equal(dev.pkg_len, 0);
}

/* ---- GetMetaData (FD -> UA) and the RequestUpdate op ------------------- */

/* The UA's GetMetaData response: instance @iid, NextDataTransferHandle
 * @next, TransferFlag @flag, @n bytes 0x40 + offset from @off. */
static int meta_rsp(uint32_t now, uint8_t iid, uint32_t next, uint8_t flag,
		    uint32_t off, size_t n)
{
	uint8_t r[9 + 64];

	r[0] = iid; /* response, instance */
	r[1] = 0x05;
	r[2] = 0x19;                 /* GetMetaData */
	r[3] = 0x00;                 /* SUCCESS */
	r[4] = (uint8_t)next;        /* NextDataTransferHandle */
	r[5] = (uint8_t)(next >> 8); /* (little-endian) */
	r[6] = (uint8_t)(next >> 16);
	r[7] = (uint8_t)(next >> 24);
	r[8] = flag; /* TransferFlag */
	for (size_t i = 0; i < n; i++)
		r[9 + i] = (uint8_t)(0x40 + off + i); /* PortionOfMetaData */
	return pldm_fd_handle_response(&fd, now, r, 9 + n);
}

static void test_get_meta_data(void **state)
{
	uint32_t t;

	(void)state;
	setup_fd();
	ops.meta_data = op_meta;
	cfg.get_meta_data = true;
	request_update(0, 1);
	/* nothing in LEARN COMPONENTS */
	poll_at(0);
	assert_int_equal(rsp_len, 0);
	pass_component(0, PLDM_FW_TRANSFER_FLAG_START_AND_END, 1);
	assert_int_equal(pldm_fd_state(&fd), PLDM_FW_STATE_READY_XFER);
	/* GetMetaData is due now; UpdateComponent must wait for it */
	assert_int_equal(pldm_fd_next_deadline(&fd, &t), 0);
	assert_int_equal(t, 0);
	HANDLE(0, 0x83, 0x05, 0x14, 0x0A, 0x00, 0x01, 0x00, 0x00, 0x11, 0x00,
	       0x00, 0x00, 0x64, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,
	       0x00);
	EXPECT(0x03, 0x05, 0x14, 0x04); /* ERROR_NOT_READY */
	poll_at(0);
	EXPECT(0x80, 0x05, 0x19,       /* Rq, instance 0 | GetMetaData */
	       0x00, 0x00, 0x00, 0x00, /* DataTransferHandle 0 */
	       0x01);                  /* TransferOperationFlag GetFirstPart */
	/* Middle is wrong for a first part */
	assert_int_equal(meta_rsp(1, 0x00, 0x20, 0x02, 0, 32), -EBADMSG);
	assert_int_equal(dev.md_len, 0);
	assert_int_equal(meta_rsp(1, 0x00, 0x20, 0x01, 0, 32), 0); /* Start */
	assert_int_equal(dev.md_len, 32);
	assert_false(dev.md_last);
	assert_int_equal(dev.md[31], 0x40 + 31);
	poll_at(1);
	EXPECT(0x81, 0x05, 0x19,       /* instance 1 | GetMetaData */
	       0x20, 0x00, 0x00, 0x00, /* DataTransferHandle: the UA's 32 */
	       0x00);                  /* GetNextPart */
	/* a lost answer: the same request again after FD_T2 */
	poll_at(1 + T2);
	EXPECT(0x81, 0x05, 0x19, 0x20, 0x00, 0x00, 0x00, 0x00);
	/* StartAndEnd is wrong for a later part */
	assert_int_equal(meta_rsp(1 + T2, 0x01, 0, 0x05, 32, 8), -EBADMSG);
	assert_int_equal(meta_rsp(1 + T2, 0x01, 0, 0x04, 32, 8), 0); /* End */
	assert_int_equal(dev.md_len, 40);
	assert_true(dev.md_last);
	assert_int_equal(dev.md[39], 0x40 + 39);
	/* a duplicate of that answer changes nothing */
	assert_int_equal(meta_rsp(1 + T2, 0x01, 0, 0x04, 32, 8), -EALREADY);
	poll_at(2 + T2);
	assert_int_equal(rsp_len, 0);
	update_component(2 + T2, 1, 100);

	/* the UA holds no metadata: the transfer ends, the update goes on */
	setup_fd();
	ops.meta_data = op_meta;
	cfg.get_meta_data = true;
	request_update(0, 1);
	pass_component(0, PLDM_FW_TRANSFER_FLAG_START_AND_END, 1);
	poll_at(0);
	assert_int_equal(rsp[2], PLDM_FW_GET_META_DATA);
	RESPOND(0, 0x00, 0x05, 0x19, 0x88); /* COMMAND_NOT_EXPECTED */
	assert_int_equal(rc, 0);
	assert_int_equal(dev.md_len, 0);
	assert_false(dev.md_last);
	poll_at(5000);
	assert_int_equal(rsp_len, 0);
	update_component(5000, 1, 100);

	/* the device stops it (negative return) after the first part */
	setup_fd();
	ops.meta_data = op_meta;
	cfg.get_meta_data = true;
	dev.md_rc = -EIO;
	request_update(0, 1);
	pass_component(0, PLDM_FW_TRANSFER_FLAG_START_AND_END, 1);
	poll_at(0);
	assert_int_equal(meta_rsp(0, 0x00, 0x10, 0x01, 0, 16), 0);
	poll_at(5000);
	assert_int_equal(rsp_len, 0);
	update_component(5000, 1, 100);

	/* not wanted (flag clear), or no op: no GetMetaData */
	setup_fd();
	ops.meta_data = op_meta;
	request_update(0, 1);
	pass_component(0, PLDM_FW_TRANSFER_FLAG_START_AND_END, 1);
	poll_at(0);
	assert_int_equal(rsp_len, 0);
	setup_fd();
	cfg.get_meta_data = true;
	request_update(0, 1);
	pass_component(0, PLDM_FW_TRANSFER_FLAG_START_AND_END, 1);
	poll_at(0);
	assert_int_equal(rsp_len, 0);
	update_component(0, 1, 100);

	/* CancelUpdate during GetMetaData drops it */
	setup_fd();
	ops.meta_data = op_meta;
	cfg.get_meta_data = true;
	request_update(0, 1);
	pass_component(0, PLDM_FW_TRANSFER_FLAG_START_AND_END, 1);
	poll_at(0);
	HANDLE(0, 0x84, 0x05, 0x1D);
	assert_int_equal(cc(), 0);
	assert_int_equal(meta_rsp(1, 0x00, 0, 0x05, 0, 8), -ESTALE);
	assert_int_equal(dev.md_len, 0);
	poll_at(5000);
	assert_int_equal(rsp_len, 0);
}

/* GetPackageData still running at PassComponentTable End (its last answer
 * was lost): GetMetaData follows once it is over. */
static void test_package_then_meta_data(void **state)
{
	uint8_t r[9 + 16];
	uint32_t t;

	(void)state;
	setup_fd();
	ops.package_data = op_package;
	ops.meta_data = op_meta;
	cfg.get_meta_data = true;
	HANDLE(0, 0x81, 0x05, 0x10, 0x00, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01,
	       0x10, 0x00, /* PackageDataLength 16 */
	       0x01, 0x00);
	EXPECT(0x01, 0x05, 0x10, 0x00, 0x28, 0x00, 0x01);
	poll_at(0);
	EXPECT(0x80, 0x05, 0x11, 0x00, 0x00, 0x00, 0x00, 0x01);
	/* (the UA's answer is lost; the UA goes on) */
	pass_component(0, PLDM_FW_TRANSFER_FLAG_START_AND_END, 1);
	poll_at(1);
	assert_int_equal(rsp_len, 0); /* GetPackageData waits for FD_T2 */
	assert_int_equal(pldm_fd_next_deadline(&fd, &t), 0);
	assert_int_equal(t, T2);
	poll_at(T2);
	EXPECT(0x80, 0x05, 0x11, 0x00, 0x00, 0x00, 0x00, 0x01); /* again */
	memset(r, 0x55, sizeof(r));
	r[0] = 0x00;
	r[1] = 0x05;
	r[2] = 0x11;
	r[3] = 0x00;
	r[4] = r[5] = r[6] = r[7] = 0x00;
	r[8] = 0x05; /* StartAndEnd */
	assert_int_equal(pldm_fd_handle_response(&fd, T2, r, sizeof(r)), 0);
	assert_true(dev.pkg_last);
	/* the slot is free: GetMetaData is due at once */
	assert_int_equal(pldm_fd_next_deadline(&fd, &t), 0);
	assert_true((int32_t)(T2 - t) >= 0);
	HANDLE(T2, 0x83, 0x05, 0x14, 0x0A, 0x00, 0x01, 0x00, 0x00, 0x11, 0x00,
	       0x00, 0x00, 0x64, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,
	       0x00);
	EXPECT(0x03, 0x05, 0x14, 0x04); /* ERROR_NOT_READY */
	poll_at(T2);
	EXPECT(0x81, 0x05, 0x19, 0x00, 0x00, 0x00, 0x00, 0x01);
	assert_int_equal(meta_rsp(T2, 0x01, 0, 0x05, 0, 5), 0);
	assert_int_equal(dev.md_len, 5);
	assert_true(dev.md_last);
	update_component(T2, 1, 100);
}

static void test_request_update_op(void **state)
{
	(void)state;
	setup_fd();
	ops.request_update = op_request_update;
	dev.ru_cc = PLDM_FW_CC_RETRY_REQUEST_UPDATE;
	HANDLE(0, 0x81, 0x05, 0x10, 0x00, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01,
	       0x30, 0x00,                      /* PackageDataLength 48 */
	       0x02, 0x04, 'v', '2', '.', '0'); /* UTF-8, 4 bytes "v2.0" */
	EXPECT(0x01, 0x05, 0x10, 0x8E);         /* RETRY_REQUEST_UPDATE */
	assert_int_equal(pldm_fd_state(&fd), PLDM_FW_STATE_IDLE);
	assert_int_equal(dev.ru_calls, 1);
	assert_int_equal(dev.ru_type, 2);
	assert_int_equal(dev.ru_len, 4);
	assert_memory_equal(dev.ru_ver, "v2.0", 4);
	assert_int_equal(dev.ru_pkg_len, 48);
	dev.ru_cc = 0;
	HANDLE(0, 0x82, 0x05, 0x10, 0x00, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01,
	       0x00, 0x00, 0x01, 0x00); /* ASCII, empty */
	EXPECT(0x02, 0x05, 0x10, 0x00, 0x28, 0x00, 0x00);
	assert_int_equal(pldm_fd_state(&fd), PLDM_FW_STATE_LEARN_COMPONENTS);
	assert_int_equal(dev.ru_calls, 2);
	assert_int_equal(dev.ru_type, 1);
	assert_int_equal(dev.ru_len, 0);
	assert_int_equal(dev.ru_pkg_len, 0);
	/* a request refused before the op (bad transfer size): not called */
	setup_fd();
	ops.request_update = op_request_update;
	HANDLE(0, 0x81, 0x05, 0x10, 0x1F, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01,
	       0x00, 0x00, 0x01, 0x00);
	EXPECT(0x01, 0x05, 0x10, 0x83);
	assert_int_equal(dev.ru_calls, 0);
}

/* ---- the state table ------------------------------------------------------ */

static const uint8_t req_qdi[] = {0x81, 0x05, 0x01};
static const uint8_t req_gfp[] = {0x81, 0x05, 0x02};
static const uint8_t req_ru[] = {0x81, 0x05, 0x10, 0x00, 0x01, 0x00, 0x00,
				 0x01, 0x00, 0x01, 0x00, 0x00, 0x01, 0x00};
static const uint8_t req_gdmd[] = {0x81, 0x05, 0x12, 0x00,
				   0x00, 0x00, 0x00, 0x01};
static const uint8_t req_pct[] = {0x81, 0x05, 0x13, 0x05, 0x0A,
				  0x00, 0x02, 0x00, 0x00, 0x11,
				  0x00, 0x00, 0x00, 0x01, 0x00};
static const uint8_t req_uc[] = {0x81, 0x05, 0x14, 0x0A, 0x00, 0x01, 0x00, 0x00,
				 0x11, 0x00, 0x00, 0x00, 0x64, 0x00, 0x00, 0x00,
				 0x00, 0x00, 0x00, 0x00, 0x01, 0x00};
static const uint8_t req_af[] = {0x81, 0x05, 0x1A, 0x00};
static const uint8_t req_gs[] = {0x81, 0x05, 0x1B};
static const uint8_t req_cuc[] = {0x81, 0x05, 0x1C};
static const uint8_t req_cu[] = {0x81, 0x05, 0x1D};

static const struct {
	const uint8_t *req;
	size_t len;
	/* completion code in IDLE, LEARN, READY, DOWNLOAD, VERIFY, APPLY,
	 * ACTIVATE */
	uint8_t cc[7];
} table[] = {
	{req_qdi, sizeof(req_qdi), {0, 0, 0, 0, 0, 0, 0}},
	{req_gfp, sizeof(req_gfp), {0, 0, 0, 0, 0, 0, 0}},
	{req_gs, sizeof(req_gs), {0, 0, 0, 0, 0, 0, 0}},
	{req_ru, sizeof(req_ru), {0, 0x81, 0x81, 0x81, 0x81, 0x81, 0x81}},
	{req_gdmd, sizeof(req_gdmd), {0x80, 0, 0x84, 0x84, 0x84, 0x84, 0x84}},
	{req_pct, sizeof(req_pct), {0x80, 0, 0x84, 0x84, 0x84, 0x84, 0x84}},
	{req_uc, sizeof(req_uc), {0x80, 0x84, 0, 0x84, 0x84, 0x84, 0x84}},
	/* READY XFER: component 1 passed but not applied */
	{req_af, sizeof(req_af), {0x80, 0x84, 0x85, 0x84, 0x84, 0x84, 0x84}},
	{req_cuc, sizeof(req_cuc), {0x80, 0x84, 0x84, 0, 0, 0, 0x84}},
	{req_cu, sizeof(req_cu), {0x80, 0, 0, 0, 0, 0, 0x84}},
};

/*
 * Bring a fresh FD to @target: VERIFY and APPLY wait for the device
 * (async op), ACTIVATE for the end of a self-contained activation.
 */
static void goto_state(uint8_t target)
{
	uint32_t now = 100;

	setup_fd();
	dev.verify_rc = target == PLDM_FW_STATE_VERIFY ? -EINPROGRESS : 0;
	dev.apply_rc = target == PLDM_FW_STATE_APPLY ? -EINPROGRESS : 0;
	dev.activate_rc = -EINPROGRESS;
	if (target == PLDM_FW_STATE_IDLE)
		return;
	request_update(now, 1);
	if (target == PLDM_FW_STATE_LEARN_COMPONENTS)
		return;
	pass_component(now, PLDM_FW_TRANSFER_FLAG_START_AND_END, 1);
	if (target == PLDM_FW_STATE_READY_XFER)
		return;
	update_component(now, 1, 100);
	if (target == PLDM_FW_STATE_DOWNLOAD)
		return;
	ua_serve(&now, 100, 1);
	if (target != PLDM_FW_STATE_ACTIVATE)
		return;
	assert_int_equal(pldm_fd_state(&fd), PLDM_FW_STATE_READY_XFER);
	HANDLE(now, 0x81, 0x05, 0x1A, 0x01);
	assert_int_equal(cc(), 0);
}

static void test_state_table(void **state)
{
	uint8_t before[14], after[14];
	uint8_t s;
	size_t i;

	(void)state;
	for (s = 0; s <= PLDM_FW_STATE_ACTIVATE; s++) {
		for (i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
			goto_state(s);
			assert_int_equal(pldm_fd_state(&fd), s);
			HANDLE(200, 0x80, 0x05, 0x1B);
			memcpy(before, rsp, sizeof(before));
			handle(200, table[i].req, table[i].len);
			assert_int_equal(rc, 0);
			assert_int_equal(rsp[0], 0x01);
			assert_int_equal(rsp[1], 0x05);
			assert_int_equal(rsp[2], table[i].req[2]);
			if (cc() != table[i].cc[s])
				fail_msg("state %u command 0x%02x: cc 0x%02x, "
					 "want 0x%02x",
					 s, table[i].req[2], cc(),
					 table[i].cc[s]);
			if (table[i].cc[s] == 0)
				continue;
			assert_int_equal(rsp_len, 4); /* the code alone */
			HANDLE(200, 0x80, 0x05, 0x1B);
			memcpy(after, rsp, sizeof(after));
			assert_memory_equal(before, after, sizeof(after));
		}
	}
}

static void test_unsupported_commands(void **state)
{
	static const uint8_t codes[] = {
		0x00, 0x03, 0x04, 0x05,             /* downstream inventory */
		0x11, 0x15, 0x16, 0x17, 0x18, 0x19, /* FD -> UA commands */
		0x1E, 0x1F, 0x20, 0x21, 0x22, 0x23, 0x7F, 0xFF,
	};
	uint8_t q[3] = {0x81, 0x05, 0};
	uint8_t s;
	size_t i;

	(void)state;
	for (s = 0; s <= PLDM_FW_STATE_ACTIVATE; s++) {
		goto_state(s);
		for (i = 0; i < sizeof(codes); i++) {
			q[2] = codes[i];
			handle(1, q, 3);
			assert_int_equal(rsp_len, 4);
			assert_int_equal(rsp[2], codes[i]);
			assert_int_equal(cc(),
					 PLDM_CC_ERROR_UNSUPPORTED_PLDM_CMD);
		}
		assert_int_equal(pldm_fd_state(&fd), s);
	}
	/* another PLDM type */
	HANDLE(0, 0x81, 0x00, 0x02);
	EXPECT(0x01, 0x00, 0x02, 0x20); /* ERROR_INVALID_PLDM_TYPE */
	/* not requests */
	HANDLE(0, 0x01, 0x05, 0x01);
	assert_int_equal(rc, -EBADMSG);
	assert_int_equal(rsp_len, 0);
	HANDLE(0, 0xC1, 0x05, 0x01);
	assert_int_equal(rc, -ENOMSG);
	HANDLE(0, 0x81, 0x45, 0x01); /* header version 01 */
	assert_int_equal(rc, -EBADMSG);
	HANDLE(0, 0x81, 0x05);
	assert_int_equal(rc, -EBADMSG);
	rsp_len = PLDM_FD_RSP_MIN_CAPACITY - 1;
	assert_int_equal(pldm_fd_handle(&fd, 0, req_gs, 3, rsp, &rsp_len),
			 -EMSGSIZE);
	assert_int_equal(rsp_len, 0);
	rsp_len = sizeof(rsp);
	assert_int_equal(pldm_fd_handle(NULL, 0, req_gs, 3, rsp, &rsp_len),
			 -EINVAL);
}

/* ---- timeouts, retries, stale responses ---------------------------------- */

static void test_idle_timeouts(void **state)
{
	uint8_t s;

	(void)state;
	for (s = PLDM_FW_STATE_LEARN_COMPONENTS; s <= PLDM_FW_STATE_APPLY;
	     s++) {
		uint32_t dl;

		goto_state(s);
		if (s == PLDM_FW_STATE_VERIFY || s == PLDM_FW_STATE_APPLY) {
			/* while the device works, no FD_T1 */
			assert_int_equal(pldm_fd_next_deadline(&fd, &dl),
					 -ENOENT);
			poll_at(100 + 5 * T1);
			assert_int_equal(pldm_fd_state(&fd), s);
			if (s == PLDM_FW_STATE_VERIFY)
				assert_int_equal(pldm_fd_verify_done(&fd, 0),
						 0);
			else
				assert_int_equal(pldm_fd_apply_done(&fd, 0, 0),
						 0);
			/* the Complete request goes out, unanswered */
			poll_at(1000000);
			assert_int_equal(rsp_len,
					 s == PLDM_FW_STATE_VERIFY ? 4 : 6);
			dev.cancels = 0;
			assert_int_equal(pldm_fd_next_deadline(&fd, &dl), 0);
			assert_int_equal(dl, 1000000 + T2); /* resend first */
			poll_at(1000000 + T1 - 1);
			assert_int_equal(pldm_fd_state(&fd), s);
			poll_at(1000000 + T1);
		} else {
			HANDLE(1000, 0x80, 0x05, 0x1B); /* UA activity */
			if (s != PLDM_FW_STATE_DOWNLOAD) {
				assert_int_equal(
					pldm_fd_next_deadline(&fd, &dl), 0);
				assert_int_equal(dl, 1000 + T1);
			}
			poll_at(1000 + T1 - 1);
			assert_int_equal(pldm_fd_state(&fd), s);
			dev.cancels = 0;
			poll_at(1000 + T1);
		}
		assert_int_equal(pldm_fd_state(&fd), PLDM_FW_STATE_IDLE);
		assert_int_equal(dev.cancels, 1);
		assert_true(dev.cancel_whole);
		assert_int_equal(get_status_byte(0, 5), s);     /* previous */
		assert_int_equal(get_status_byte(0, 9), s + 2); /* reason */
	}
	/* explicitly: the reason code values */
	assert_int_equal(PLDM_FW_REASON_TIMEOUT_LEARN_COMPONENT, 3);
	assert_int_equal(PLDM_FW_REASON_TIMEOUT_APPLY, 7);
	/* no timeout in IDLE or ACTIVATE */
	goto_state(PLDM_FW_STATE_ACTIVATE);
	poll_at(100 + 10 * T1);
	assert_int_equal(pldm_fd_state(&fd), PLDM_FW_STATE_ACTIVATE);
	assert_int_equal(pldm_fd_activate_done(&fd), 0);
	assert_int_equal(pldm_fd_state(&fd), PLDM_FW_STATE_IDLE);
	assert_int_equal(pldm_fd_activate_done(&fd), -EPERM);
}

static void test_retry_and_stale(void **state)
{
	uint8_t data[4 + 64] = {0x00, 0x05, 0x15, 0x00};
	uint8_t first[11];
	uint32_t dl;

	(void)state;
	goto_state(PLDM_FW_STATE_DOWNLOAD);
	poll_at(1000);
	assert_int_equal(rsp_len, 11);
	assert_int_equal(rsp[0], 0x80); /* instance 0 */
	memcpy(first, rsp, sizeof(first));
	assert_int_equal(pldm_fd_next_deadline(&fd, &dl), 0);
	assert_int_equal(dl, 1000 + T2);
	poll_at(1000 + T2 - 1);
	assert_int_equal(rsp_len, 0);
	poll_at(1000 + T2);
	assert_int_equal(rsp_len, 11);
	assert_memory_equal(rsp, first, 11); /* same request, same ID */
	/* a response with another instance ID: stale */
	data[0] = 0x05;
	assert_int_equal(pldm_fd_handle_response(&fd, 2100, data, sizeof(data)),
			 -ESTALE);
	/* another command with the right ID: stale */
	RESPOND(2100, 0x00, 0x05, 0x16, 0x00);
	assert_int_equal(rc, -ESTALE);
	/* a request, not a response; another type; no completion code */
	RESPOND(2100, 0x80, 0x05, 0x15, 0x00);
	assert_int_equal(rc, -EBADMSG);
	RESPOND(2100, 0x00, 0x00, 0x15, 0x00);
	assert_int_equal(rc, -EBADMSG);
	RESPOND(2100, 0x00, 0x05, 0x15);
	assert_int_equal(rc, -EBADMSG);
	data[0] = 0x00;
	assert_int_equal(pldm_fd_handle_response(&fd, 2100, data, sizeof(data)),
			 0);
	/* the answer to the retry: a duplicate */
	assert_int_equal(pldm_fd_handle_response(&fd, 2100, data, sizeof(data)),
			 -EALREADY);
	poll_at(2100);
	EXPECT(0x81, 0x05, 0x15, 0x40, 0x00, 0x00, 0x00, 0x24, 0x00, 0x00,
	       0x00);
	/* the UA is busy: RETRY_REQUEST_FW_DATA, asked again after FD_T2
	 * with a new instance ID */
	RESPOND(2200, 0x01, 0x05, 0x15, 0x89);
	assert_int_equal(rc, 0);
	poll_at(2200 + T2 - 1);
	assert_int_equal(rsp_len, 0);
	poll_at(2200 + T2);
	EXPECT(0x82, 0x05, 0x15, 0x40, 0x00, 0x00, 0x00, 0x24, 0x00, 0x00,
	       0x00);
	/* the UA cancels the component; the late answer is stale */
	HANDLE(3300, 0x85, 0x05, 0x1C);
	EXPECT(0x05, 0x05, 0x1C, 0x00);
	assert_int_equal(pldm_fd_state(&fd), PLDM_FW_STATE_READY_XFER);
	data[0] = 0x02;
	assert_int_equal(pldm_fd_handle_response(&fd, 3300, data, 4 + 36),
			 -ESTALE);
	poll_at(3300 + 5 * T2);
	assert_int_equal(rsp_len, 0);
	/* NULLs and a small buffer */
	assert_int_equal(pldm_fd_handle_response(NULL, 0, data, 4), -EINVAL);
	rsp_len = PLDM_FD_REQ_MIN_CAPACITY - 1;
	assert_int_equal(pldm_fd_poll(&fd, 0, rsp, &rsp_len), -EMSGSIZE);
	assert_int_equal(pldm_fd_next_deadline(&fd, NULL), -EINVAL);
}

static void test_transfer_failures(void **state)
{
	(void)state;
	/* the UA answers RequestFirmwareData with an error */
	goto_state(PLDM_FW_STATE_DOWNLOAD);
	poll_at(200);
	RESPOND(200, 0x00, 0x05, 0x15, 0x82); /* DATA_OUT_OF_RANGE */
	assert_int_equal(rc, 0);
	poll_at(200);
	EXPECT(0x81, 0x05, 0x16, 0x03); /* TransferComplete: FD aborted */
	assert_int_equal(get_status_byte(200, 6), 0x02); /* aux: failed */
	assert_int_equal(get_status_byte(200, 7), 0x0A); /* generic error */
	RESPOND(200, 0x01, 0x05, 0x16, 0x00);
	assert_int_equal(rc, 0);
	/* stays in DOWNLOAD, sends nothing, waits for a cancel */
	assert_int_equal(pldm_fd_state(&fd), PLDM_FW_STATE_DOWNLOAD);
	poll_at(200 + 5 * T2);
	assert_int_equal(rsp_len, 0);
	dev.cancels = 0;
	HANDLE(200, 0x81, 0x05, 0x1C);
	EXPECT(0x01, 0x05, 0x1C, 0x00);
	assert_int_equal(dev.cancels, 1);
	assert_int_equal(dev.cancel_index, 0);
	assert_false(dev.cancel_whole);
}

static void test_transfer_failure_result(void **state)
{
	uint8_t data[4 + 64] = {0x00, 0x05, 0x15, 0x00};

	(void)state;
	goto_state(PLDM_FW_STATE_DOWNLOAD);
	dev.write_rc = PLDM_FW_TRANSFER_FD_ABORTED_STORAGE_ISSUE;
	poll_at(200);
	assert_int_equal(pldm_fd_handle_response(&fd, 200, data, sizeof(data)),
			 0);
	poll_at(200);
	EXPECT(0x81, 0x05, 0x16, 0x0D); /* storage issue */
	/* a negative errno: generic error */
	goto_state(PLDM_FW_STATE_DOWNLOAD);
	dev.write_rc = -EIO;
	poll_at(200);
	assert_int_equal(pldm_fd_handle_response(&fd, 200, data, sizeof(data)),
			 0);
	poll_at(200);
	EXPECT(0x81, 0x05, 0x16, 0x0A);
	/* verify fails */
	goto_state(PLDM_FW_STATE_VERIFY);
	assert_int_equal(pldm_fd_verify_done(&fd, 0x01), 0);
	assert_int_equal(pldm_fd_verify_done(&fd, 0x00), -EPERM);
	poll_at(200);
	assert_int_equal(rsp[2], 0x17);
	assert_int_equal(rsp[3], 0x01); /* VerifyResult failure */
	{
		/* the answer carries the request's instance ID */
		uint8_t r[4] = {(uint8_t)(rsp[0] & 0x1F), 0x05, 0x17, 0x00};

		assert_int_equal(get_status_byte(200, 6), 0x02);

		assert_int_equal(pldm_fd_handle_response(&fd, 200, r, 4), 0);
	}
	assert_int_equal(pldm_fd_state(&fd), PLDM_FW_STATE_VERIFY);
	assert_int_equal(dev.apply_calls, 0);
}

static void test_cancel_each_state(void **state)
{
	uint8_t s;

	(void)state;
	for (s = PLDM_FW_STATE_LEARN_COMPONENTS; s <= PLDM_FW_STATE_APPLY;
	     s++) {
		goto_state(s);
		dev.cancels = 0;
		dev.cancel_map = s == PLDM_FW_STATE_APPLY ? 0x3 : 0;
		HANDLE(300, 0x81, 0x05, 0x1D);
		if (s == PLDM_FW_STATE_APPLY)
			EXPECT(0x01, 0x05, 0x1D, 0x00,
			       0x01, /* NonFunctioningComponentIndication */
			       0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
			       0x00); /* NonFunctioningComponentBitmap */
		else
			EXPECT(0x01, 0x05, 0x1D, 0x00, 0x00, 0x00, 0x00, 0x00,
			       0x00, 0x00, 0x00, 0x00, 0x00);
		assert_int_equal(dev.cancels, 1);
		assert_true(dev.cancel_whole);
		assert_int_equal(dev.cancel_index,
				 s >= PLDM_FW_STATE_DOWNLOAD ? 0 : -1);
		assert_int_equal(pldm_fd_state(&fd), PLDM_FW_STATE_IDLE);
		assert_int_equal(get_status_byte(300, 9),
				 PLDM_FW_REASON_CANCEL_UPDATE);
		poll_at(300 + 10 * T1);
		assert_int_equal(rsp_len, 0);
		/* a late verify/apply completion is refused */
		assert_int_equal(pldm_fd_verify_done(&fd, 0), -EPERM);
		assert_int_equal(pldm_fd_apply_done(&fd, 0, 0), -EPERM);
	}
	for (s = PLDM_FW_STATE_DOWNLOAD; s <= PLDM_FW_STATE_APPLY; s++) {
		goto_state(s);
		HANDLE(300, 0x81, 0x05, 0x1C);
		EXPECT(0x01, 0x05, 0x1C, 0x00);
		assert_int_equal(pldm_fd_state(&fd), PLDM_FW_STATE_READY_XFER);
		assert_int_equal(get_status_byte(300, 5), s);
		assert_false(dev.cancel_whole);
		/* the component can be sent again */
		update_component(300, 1, 100);
	}
}

static void test_async_verify_apply(void **state)
{
	uint32_t now = 100, dl;

	(void)state;
	goto_state(PLDM_FW_STATE_VERIFY);
	assert_int_equal(dev.verify_calls, 1);
	assert_int_equal(get_status_byte(now, 6), 0x00); /* in progress */
	poll_at(now);
	assert_int_equal(rsp_len, 0);
	assert_int_equal(pldm_fd_next_deadline(&fd, &dl), -ENOENT);
	dev.apply_rc = -EINPROGRESS;
	assert_int_equal(pldm_fd_apply_done(&fd, 0, 0), -EPERM);
	assert_int_equal(pldm_fd_verify_done(&fd, PLDM_FW_VERIFY_SUCCESS), 0);
	assert_int_equal(pldm_fd_next_deadline(&fd, &dl), 0);
	ua_serve(&now, 100, 1);
	assert_int_equal(pldm_fd_state(&fd), PLDM_FW_STATE_APPLY);
	assert_int_equal(dev.apply_calls, 1);
	poll_at(now);
	assert_int_equal(rsp_len, 0);
	assert_int_equal(pldm_fd_apply_done(&fd, PLDM_FW_APPLY_SUCCESS, 0), 0);
	ua_serve(&now, 100, 1);
	assert_int_equal(pldm_fd_state(&fd), PLDM_FW_STATE_READY_XFER);
	/* activation: the device refuses self-contained */
	dev.activate_rc = PLDM_FW_CC_SELF_CONTAINED_ACTIVATION_NOT_PERMITTED;
	HANDLE(now, 0x81, 0x05, 0x1A, 0x01);
	EXPECT(0x01, 0x05, 0x1A, 0x8C);
	assert_int_equal(pldm_fd_state(&fd), PLDM_FW_STATE_READY_XFER);
	/* an invalid SelfContainedActivationRequest */
	HANDLE(now, 0x81, 0x05, 0x1A, 0x02);
	EXPECT(0x01, 0x05, 0x1A, 0x02);
	/* accepted, pending: ACTIVATE until activate_done */
	dev.activate_rc = -EINPROGRESS;
	dev.estimate = 0x0102;
	HANDLE(now, 0x81, 0x05, 0x1A, 0x00);
	EXPECT(0x01, 0x05, 0x1A, 0x00, 0x02, 0x01);
	assert_false(dev.self_contained);
	assert_int_equal(pldm_fd_state(&fd), PLDM_FW_STATE_ACTIVATE);
	assert_int_equal(get_status_byte(now, 6), 0x00);
	assert_int_equal(pldm_fd_activate_done(&fd), 0);
	assert_int_equal(get_status_byte(now, 9), PLDM_FW_REASON_ACTIVATE_FW);
}

static void test_activation_not_required(void **state)
{
	(void)state;
	setup_fd();
	request_update(0, 1);
	dev.comp_code = PLDM_FW_CRC_SECURITY_RESTRICTIONS;
	pass_component(0, PLDM_FW_TRANSFER_FLAG_START_AND_END, 1);
	HANDLE(0, 0x81, 0x05, 0x1A, 0x00);
	EXPECT(0x01, 0x05, 0x1A, 0x8B); /* ACTIVATION_NOT_REQUIRED */
	assert_int_equal(pldm_fd_state(&fd), PLDM_FW_STATE_IDLE);
	assert_int_equal(dev.activate_calls, 0);
}

/* ---- whole updates ----------------------------------------------------------- */

static void test_full_update_one(void **state)
{
	uint32_t now = 0;
	uint32_t i;

	(void)state;
	setup_fd();
	request_update(now, 1);
	pass_component(now, PLDM_FW_TRANSFER_FLAG_START_AND_END, 1);
	update_component(now, 1, 200);
	/* 200 bytes in 64-byte requests, then 3 Completes */
	assert_int_equal(ua_serve(&now, 200, 0x33), 4 + 3);
	assert_int_equal(dev.written[0], 200);
	for (i = 0; i < 200; i++)
		assert_int_equal(dev.image[0][i], img(i, 0x33));
	assert_int_equal(pldm_fd_state(&fd), PLDM_FW_STATE_READY_XFER);
	HANDLE(now, 0x81, 0x05, 0x1A, 0x00);
	assert_int_equal(cc(), 0);
	assert_int_equal(pldm_fd_state(&fd), PLDM_FW_STATE_IDLE);
	assert_int_equal(dev.activate_calls, 1);
}

static void test_full_update_two(void **state)
{
	uint32_t now = 0;

	(void)state;
	setup_fd();
	request_update(now, 2);
	pass_component(now, PLDM_FW_TRANSFER_FLAG_START, 1);
	assert_int_equal(pldm_fd_state(&fd), PLDM_FW_STATE_LEARN_COMPONENTS);
	pass_component(now, PLDM_FW_TRANSFER_FLAG_END, 2);
	assert_int_equal(pldm_fd_state(&fd), PLDM_FW_STATE_READY_XFER);
	update_component(now, 1, 100);
	ua_serve(&now, 100, 0x11);
	/* component 2 still to do */
	HANDLE(now, 0x81, 0x05, 0x1A, 0x00);
	EXPECT(0x01, 0x05, 0x1A, 0x85); /* INCOMPLETE_UPDATE */
	update_component(now, 2, 90);
	assert_int_equal(ua_serve(&now, 90, 0x22), 2 + 3);
	assert_int_equal(dev.written[0], 100);
	assert_int_equal(dev.written[1], 90);
	assert_int_equal(dev.image[1][89], img(89, 0x22));
	dev.activate_rc = -EINPROGRESS;
	HANDLE(now, 0x81, 0x05, 0x1A, 0x00);
	assert_int_equal(cc(), 0);
	assert_int_equal(pldm_fd_state(&fd), PLDM_FW_STATE_ACTIVATE);
	assert_int_equal(pldm_fd_activate_done(&fd), 0);
	assert_int_equal(pldm_fd_state(&fd), PLDM_FW_STATE_IDLE);
}

/* ---- lost messages ------------------------------------------------------------ */

static void test_retried_request(void **state)
{
	uint8_t first[16];
	size_t first_len;

	(void)state;
	setup_fd();
	request_update(0, 1);
	first_len = rsp_len;
	memcpy(first, rsp, rsp_len);
	/* the response was lost: the UA sends the same bytes again */
	request_update(100, 1);
	assert_int_equal(rsp_len, first_len);
	assert_memory_equal(rsp, first, first_len); /* not 0x81 */
	/* the same command with another instance ID is a new request */
	HANDLE(200, 0x82, 0x05, 0x10, 0x00, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01,
	       0x00, 0x00, 0x01, 0x03, '1', '.', '1');
	EXPECT(0x02, 0x05, 0x10, 0x81);
	/* PassComponentTable Start, its answer lost: the retry must not be
	 * refused as a second Start */
	pass_component(300, PLDM_FW_TRANSFER_FLAG_START, 1);
	pass_component(300, PLDM_FW_TRANSFER_FLAG_START, 1);
	assert_int_equal(rsp[4], 0x00);
	assert_int_equal(dev.comp_calls, 1); /* asked once */
	/* GetStatus is answered afresh each time */
	HANDLE(300, 0x80, 0x05, 0x1B);
	HANDLE(300, 0x80, 0x05, 0x1B);
	assert_int_equal(rsp_len, 14);
}

/* Two components passed, component 1 (10 bytes) through to its
 * ApplyComplete, which is sent and not answered. */
static void to_apply_complete(void)
{
	uint8_t r[14] = {0x00, 0x05, 0x15, 0x00};

	request_update(0, 2);
	pass_component(0, PLDM_FW_TRANSFER_FLAG_START, 1);
	pass_component(0, PLDM_FW_TRANSFER_FLAG_END, 2);
	update_component(0, 1, 10);
	poll_at(0);
	assert_int_equal(pldm_fd_handle_response(&fd, 0, r, 14), 0);
	poll_at(0);
	RESPOND(0, 0x01, 0x05, 0x16, 0x00);
	poll_at(0);
	RESPOND(0, 0x02, 0x05, 0x17, 0x00);
	poll_at(0);
	assert_int_equal(rsp_len, 6);
	assert_int_equal(rsp[2], PLDM_FW_APPLY_COMPLETE);
	assert_int_equal(pldm_fd_state(&fd), PLDM_FW_STATE_APPLY);
}

static void test_lost_apply_complete_answer(void **state)
{
	(void)state;
	setup_fd();
	to_apply_complete();
	assert_int_equal(rsp[3], 0x00); /* success */
	/* the answer is lost; the UA goes on with the next component,
	 * which it could only do after receiving the ApplyComplete */
	update_component(10, 2, 10);
	assert_int_equal(get_status_byte(10, 5), PLDM_FW_STATE_READY_XFER);
	/* the answer turns up late: stale */
	RESPOND(10, 0x03, 0x05, 0x18, 0x00);
	assert_int_equal(rc, -ESTALE);

	/* not when the ApplyComplete reports a failure */
	setup_fd();
	dev.apply_rc = PLDM_FW_APPLY_FAILURE_MEMORY_ISSUE;
	to_apply_complete();
	assert_int_equal(rsp[3], 0x02);
	HANDLE(10, 0x84, 0x05, 0x14, 0x0A, 0x00, 0x02, 0x00, 0x00, 0x11, 0x00,
	       0x00, 0x00, 0x0A, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,
	       0x00);
	EXPECT(0x04, 0x05, 0x14, 0x84);
	assert_int_equal(pldm_fd_state(&fd), PLDM_FW_STATE_APPLY);
	/* nor for commands valid elsewhere */
	setup_fd();
	to_apply_complete();
	HANDLE(10, 0x84, 0x05, 0x13, 0x05, 0x0A, 0x00, 0x02, 0x00, 0x00, 0x11,
	       0x00, 0x00, 0x00, 0x01, 0x00);
	EXPECT(0x04, 0x05, 0x13, 0x84);
	assert_int_equal(pldm_fd_state(&fd), PLDM_FW_STATE_APPLY);
}

static void test_complete_not_taken(void **state)
{
	(void)state;
	goto_state(PLDM_FW_STATE_DOWNLOAD);
	dev.verify_rc = 0;
	poll_at(1000);
	{
		uint8_t r[4 + 64] = {0x00, 0x05, 0x15, 0x00};

		assert_int_equal(pldm_fd_handle_response(&fd, 1000, r, 68), 0);
		poll_at(1000);
		r[0] = 0x01;
		assert_int_equal(pldm_fd_handle_response(&fd, 1000, r, 4 + 36),
				 0);
	}
	poll_at(1000);
	EXPECT(0x82, 0x05, 0x16, 0x00); /* TransferComplete */
	/* the UA is not expecting it yet */
	RESPOND(1000, 0x02, 0x05, 0x16, 0x88); /* COMMAND_NOT_EXPECTED */
	assert_int_equal(rc, 0);
	assert_int_equal(pldm_fd_state(&fd), PLDM_FW_STATE_DOWNLOAD);
	assert_int_equal(dev.verify_calls, 0);
	poll_at(1000 + T2 - 1);
	assert_int_equal(rsp_len, 0);
	poll_at(1000 + T2);
	EXPECT(0x83, 0x05, 0x16, 0x00); /* again, new instance ID */
	RESPOND(1000 + T2, 0x03, 0x05, 0x16, 0x00);
	assert_int_equal(rc, 0);
	assert_int_equal(pldm_fd_state(&fd), PLDM_FW_STATE_VERIFY);
}

static void test_init_errors(void **state)
{
	struct pldm_fd_config c = cfg;
	struct pldm_fd_ops o = ops;
	struct pldm_fd_component comp[2] = {components[0], components[1]};

	(void)state;
	assert_int_equal(pldm_fd_init(NULL, &cfg, &ops), -EINVAL);
	assert_int_equal(pldm_fd_init(&fd, NULL, &ops), -EINVAL);
	assert_int_equal(pldm_fd_init(&fd, &cfg, NULL), -EINVAL);
	o.write = NULL;
	assert_int_equal(pldm_fd_init(&fd, &cfg, &o), -EINVAL);
	o = ops;
	o.activate = NULL;
	assert_int_equal(pldm_fd_init(&fd, &cfg, &o), -EINVAL);
	o = ops;
	o.component = NULL; /* optional */
	o.cancel = NULL;
	assert_int_equal(pldm_fd_init(&fd, &cfg, &o), 0);
	c.n_descriptors = 0;
	assert_int_equal(pldm_fd_init(&fd, &c, &ops), -EINVAL);
	c = cfg;
	c.n_components = 0;
	assert_int_equal(pldm_fd_init(&fd, &c, &ops), -EINVAL);
	c.n_components = PLDM_FD_MAX_COMPONENTS + 1;
	assert_int_equal(pldm_fd_init(&fd, &c, &ops), -EINVAL);
	c = cfg;
	c.max_transfer_size = 31;
	assert_int_equal(pldm_fd_init(&fd, &c, &ops), -EINVAL);
	c = cfg;
	c.device_metadata = NULL;
	assert_int_equal(pldm_fd_init(&fd, &c, &ops), -EINVAL);
	c = cfg;
	c.active_image_set_version.type = 6;
	assert_int_equal(pldm_fd_init(&fd, &c, &ops), -EINVAL);
	c = cfg;
	c.components = comp;
	comp[1].pending_version.length = 3; /* no data */
	assert_int_equal(pldm_fd_init(&fd, &c, &ops), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_init_errors),
		cmocka_unit_test(test_query_device_identifiers),
		cmocka_unit_test(test_get_firmware_parameters),
		cmocka_unit_test(test_request_update),
		cmocka_unit_test(test_get_device_meta_data),
		cmocka_unit_test(test_pass_component_table),
		cmocka_unit_test(test_update_component),
		cmocka_unit_test(test_download_verify_apply_golden),
		cmocka_unit_test(test_apply_with_activation_method),
		cmocka_unit_test(test_get_package_data),
		cmocka_unit_test(test_get_meta_data),
		cmocka_unit_test(test_package_then_meta_data),
		cmocka_unit_test(test_request_update_op),
		cmocka_unit_test(test_state_table),
		cmocka_unit_test(test_unsupported_commands),
		cmocka_unit_test(test_idle_timeouts),
		cmocka_unit_test(test_retry_and_stale),
		cmocka_unit_test(test_transfer_failures),
		cmocka_unit_test(test_transfer_failure_result),
		cmocka_unit_test(test_cancel_each_state),
		cmocka_unit_test(test_async_verify_apply),
		cmocka_unit_test(test_activation_not_required),
		cmocka_unit_test(test_full_update_one),
		cmocka_unit_test(test_full_update_two),
		cmocka_unit_test(test_retried_request),
		cmocka_unit_test(test_lost_apply_complete_answer),
		cmocka_unit_test(test_complete_not_taken),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
