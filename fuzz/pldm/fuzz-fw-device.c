/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libFuzzer harness: one DSP0267 Firmware Device fed a sequence of UA
 * requests, UA responses, time steps and device events, so the state
 * machine, the FD's own requests and their retries carry from one step to
 * the next.
 *
 * Input: byte 0 holds flags: bit 0 the device wants package data, bit 1
 * verify completes asynchronously, bit 2 apply does, bit 3 activation
 * does, bit 4 write() fails, bits 5-6 the response buffer capacity (16,
 * 24, 64 or 512 bytes), bit 7 the device wants its metadata back
 * (get_meta_data and a meta_data op: GetMetaData after PassComponentTable
 * End). The request_update op is always set: it refuses with
 * RETRY_REQUEST_UPDATE a version string of exactly one byte. Then records,
 * each an opcode byte:
 *   op % 5 == 0: a length byte and that many request bytes (header
 *                included) to pldm_fd_handle();
 *   op % 5 == 1: a length byte and that many bytes to
 *                pldm_fd_handle_response();
 *   op % 5 == 2: time advances by (next byte) * 64 ms, then poll;
 *   op % 5 == 3: the device finishes: verify_done / apply_done /
 *                activate_done with the next byte as result;
 *   op % 5 == 4: poll, and answer the request it returned well-formed
 *                (the next byte as completion code for a Complete), so
 *                that whole updates are reachable.
 * A short last record is used as it is.
 *
 * Oracle besides the sanitizers: a request is answered exactly when it has
 * a valid request header; the answer echoes instance ID, type and
 * command with Rq and D clear; an error completion code comes alone and
 * leaves the state unchanged (except ACTIVATION_NOT_REQUIRED, which ends
 * the update, an FD_T1 expiry, and APPLY -> READY XFER when an unanswered
 * successful ApplyComplete is taken as answered); the state stays within IDLE..ACTIVATE; a response changes
 * the state only when accepted (0); every request the FD sends is a Type 5
 * request for one of the FD->UA commands with that command's length (no
 * GetMetaData unless bit 7 is set), and
 * a RequestFirmwareData never asks for 0 bytes or more than the FD's
 * transfer size; pldm_fd_next_deadline() returns 0 or -ENOENT.
 */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pldm/base.h"
#include "pldm/fw-device.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(x)                                                               \
	do {                                                                   \
		if (!(x))                                                      \
			abort();                                               \
	} while (0)

static const uint8_t iana[] = {0x15, 0xA0, 0x00, 0x00};
static const struct pldm_fd_descriptor descriptors[] = {
	{0x0001, sizeof(iana), iana},
};
static const uint8_t metadata[70] = {1, 2, 3};

static const struct pldm_fd_component components[] = {
	{.classification = 0x000A,
	 .identifier = 1,
	 .active_comparison_stamp = 0x10,
	 .active_version = {1, 3, (const uint8_t *)"1.0"},
	 .pending_comparison_stamp = PLDM_FW_NO_COMPARISON_STAMP,
	 .activation_methods = 0x000A},
	{.classification = 0x000A,
	 .identifier = 2,
	 .active_comparison_stamp = PLDM_FW_NO_COMPARISON_STAMP,
	 .pending_comparison_stamp = PLDM_FW_NO_COMPARISON_STAMP},
};

static const struct pldm_fd_config cfg = {
	.descriptors = descriptors,
	.n_descriptors = 1,
	.components = components,
	.n_components = 2,
	.active_image_set_version = {1, 2, (const uint8_t *)"v1"},
	.max_transfer_size = 48,
	.fd_t1_ms = 5000,
	.fd_t2_ms = 300,
	.device_metadata = metadata,
	.device_metadata_length = sizeof(metadata),
};

struct dev {
	uint8_t flags;
};

static int op_write(void *ctx, uint16_t index, uint32_t offset,
		    const uint8_t *p, size_t len)
{
	struct dev *d = ctx;

	CHECK(index < 2 && len > 0 && len <= 48 && p);
	(void)offset;
	return (d->flags & 0x10) ? PLDM_FW_TRANSFER_FD_ABORTED_STORAGE_ISSUE
				 : 0;
}

static int op_verify(void *ctx, uint16_t index)
{
	struct dev *d = ctx;

	CHECK(index < 2);
	return (d->flags & 0x02) ? -EINPROGRESS : 0;
}

static int op_apply(void *ctx, uint16_t index, uint16_t *mod)
{
	struct dev *d = ctx;

	CHECK(index < 2);
	*mod = 0;
	return (d->flags & 0x04) ? -EINPROGRESS : 0;
}

static int op_activate(void *ctx, bool self_contained, uint16_t *t)
{
	struct dev *d = ctx;

	*t = self_contained ? 5 : 0;
	return (d->flags & 0x08) ? -EINPROGRESS : 0;
}

static uint64_t op_cancel(void *ctx, int index, bool whole)
{
	(void)ctx;
	(void)whole;
	CHECK(index >= -1 && index < 2);
	return 0;
}

static int op_package(void *ctx, uint32_t offset, const uint8_t *p, size_t len,
		      bool last)
{
	(void)ctx;
	(void)last;
	CHECK(len == 0 || p);
	CHECK(offset + len <= 0xFFFFu);
	return 0;
}

static int op_meta(void *ctx, uint32_t offset, const uint8_t *p, size_t len,
		   bool last)
{
	struct dev *d = ctx;

	(void)last;
	CHECK(d->flags & 0x80);
	CHECK(len == 0 || p);
	CHECK(offset + len <= 0xFFFFu);
	return 0;
}

static uint8_t op_request_update(void *ctx, const struct pldm_fd_string *v,
				 uint16_t package_data_length)
{
	(void)ctx;
	(void)package_data_length;
	CHECK(v->type <= PLDM_FD_STRING_UTF16BE);
	CHECK(v->length == 0 || v->data);
	return v->length == 1 ? PLDM_FW_CC_RETRY_REQUEST_UPDATE : 0;
}

static const size_t capacities[4] = {PLDM_FD_RSP_MIN_CAPACITY, 24, 64, 512};

static void do_request(struct pldm_fd *fd, uint32_t now, const uint8_t *req,
		       size_t len, size_t cap)
{
	uint8_t rsp[512], before = pldm_fd_state(fd);
	size_t rsp_len = cap;
	bool valid;
	int rc;

	rc = pldm_fd_handle(fd, now, req, len, rsp, &rsp_len);
	valid = len >= 3 && (req[1] >> 6) == 0 && (req[0] & PLDM_HDR_RQ) &&
		!(req[0] & PLDM_HDR_D);
	if (!valid) {
		CHECK(rc < 0 && rsp_len == 0);
		return;
	}
	CHECK(rc == 0 && rsp_len >= 4 && rsp_len <= cap);
	CHECK(rsp[0] == (req[0] & PLDM_HDR_INSTANCE_MASK));
	CHECK(rsp[1] == req[1] && rsp[2] == req[2]);
	if (rsp[3] != PLDM_CC_SUCCESS) {
		CHECK(rsp_len == 4);
		if (rsp[3] != PLDM_FW_CC_ACTIVATION_NOT_REQUIRED)
			CHECK(pldm_fd_state(fd) == before ||
			      /* FD_T1 may have expired first */
			      pldm_fd_state(fd) == PLDM_FW_STATE_IDLE ||
			      /* an unanswered successful ApplyComplete is
			       * taken as answered first */
			      (before == PLDM_FW_STATE_APPLY &&
			       pldm_fd_state(fd) == PLDM_FW_STATE_READY_XFER));
	}
	CHECK(pldm_fd_state(fd) <= PLDM_FW_STATE_ACTIVATE);
}

/* Poll; check the request; with @answer, answer it well-formed. */
static void do_poll(struct pldm_fd *fd, uint32_t now, bool answer, uint8_t code,
		    bool meta)
{
	uint8_t out[64], rsp[4 + 48];
	size_t n = sizeof(out), len;
	uint32_t want;

	CHECK(pldm_fd_poll(fd, now, out, &n) == 0);
	if (n == 0)
		return;
	CHECK((out[0] & 0xC0) == PLDM_HDR_RQ && out[1] == PLDM_TYPE_FW_UPDATE);
	switch (out[2]) {
	case PLDM_FW_GET_META_DATA:
		CHECK(meta);
		/* fall through */
	case PLDM_FW_GET_PACKAGE_DATA:
		CHECK(n == 8 && out[7] <= 1);
		break;
	case PLDM_FW_REQUEST_FIRMWARE_DATA:
		CHECK(n == 11);
		want = out[7] | out[8] << 8 | (uint32_t)out[9] << 16 |
		       (uint32_t)out[10] << 24;
		CHECK(want >= 1 && want <= 48);
		break;
	case PLDM_FW_TRANSFER_COMPLETE:
	case PLDM_FW_VERIFY_COMPLETE:
		CHECK(n == 4);
		break;
	case PLDM_FW_APPLY_COMPLETE:
		CHECK(n == 6);
		break;
	default:
		CHECK(0);
	}
	if (!answer)
		return;
	memset(rsp, 0xEE, sizeof(rsp));
	rsp[0] = out[0] & PLDM_HDR_INSTANCE_MASK;
	rsp[1] = PLDM_TYPE_FW_UPDATE;
	rsp[2] = out[2];
	rsp[3] = 0;
	len = 4;
	if (out[2] == PLDM_FW_REQUEST_FIRMWARE_DATA) {
		len += out[7];
	} else if (out[2] == PLDM_FW_GET_PACKAGE_DATA ||
		   out[2] == PLDM_FW_GET_META_DATA) {
		/* an empty last part: StartAndEnd for GetFirstPart, else End */
		rsp[4] = rsp[5] = rsp[6] = rsp[7] = 0;
		rsp[8] = out[7] ? PLDM_FW_TRANSFER_FLAG_START_AND_END
				: PLDM_FW_TRANSFER_FLAG_END;
		len = 9;
	} else {
		rsp[3] = code;
	}
	CHECK(pldm_fd_handle_response(fd, now, rsp, len) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pldm_fd_config c = cfg;
	struct pldm_fd_ops ops = {
		.request_update = op_request_update,
		.write = op_write,
		.verify = op_verify,
		.apply = op_apply,
		.activate = op_activate,
		.cancel = op_cancel,
	};
	struct dev dev;
	struct pldm_fd fd;
	uint32_t now = 1000, dl;
	size_t cap, pos, n;
	uint8_t op, arg, before;
	int rc;

	if (size < 1)
		return 0;
	dev.flags = data[0];
	ops.ctx = &dev;
	if (data[0] & 0x01)
		ops.package_data = op_package;
	if (data[0] & 0x80) {
		c.get_meta_data = true;
		ops.meta_data = op_meta;
	}
	cap = capacities[(data[0] >> 5) & 0x03u];
	CHECK(pldm_fd_init(&fd, &c, &ops) == 0);
	pos = 1;
	while (pos < size) {
		op = data[pos++] % 5u;
		arg = pos < size ? data[pos] : 0;
		switch (op) {
		case 0:
		case 1:
			n = pos < size ? data[pos++] : 0;
			if (n > size - pos)
				n = size - pos;
			if (op == 0) {
				do_request(&fd, now, data + pos, n, cap);
			} else {
				before = pldm_fd_state(&fd);
				rc = pldm_fd_handle_response(&fd, now,
							     data + pos, n);
				CHECK(rc == 0 || rc == -EALREADY ||
				      rc == -ESTALE || rc == -EBADMSG);
				if (rc)
					CHECK(pldm_fd_state(&fd) == before ||
					      pldm_fd_state(&fd) ==
						      PLDM_FW_STATE_IDLE);
			}
			pos += n;
			break;
		case 2:
			pos++;
			now += (uint32_t)arg * 64u;
			do_poll(&fd, now, false, 0, c.get_meta_data);
			break;
		case 3:
			pos++;
			rc = pldm_fd_verify_done(&fd, arg);
			CHECK(rc == 0 || rc == -EPERM);
			rc = pldm_fd_apply_done(&fd, arg, 0);
			CHECK(rc == 0 || rc == -EPERM);
			if (arg & 1) {
				rc = pldm_fd_activate_done(&fd);
				CHECK(rc == 0 || rc == -EPERM);
			}
			break;
		default:
			pos++;
			do_poll(&fd, now, true, (uint8_t)(arg & 0x81),
				c.get_meta_data);
			break;
		}
		rc = pldm_fd_next_deadline(&fd, &dl);
		CHECK(rc == 0 || rc == -ENOENT);
		CHECK(pldm_fd_state(&fd) <= PLDM_FW_STATE_ACTIVATE);
	}
	return 0;
}
