/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libFuzzer harness: the PLDM base (DSP0240 Type 0) responder fed a
 * sequence of requests on one instance, so the GetPLDMVersion multipart
 * transfer state carries from one request to the next; each response is
 * also run through the requester's decoder for its command.
 *
 * Input: byte 0 holds flags: bits 0-2 the GetPLDMVersion part size
 * (0: unlimited, else that many bytes), bits 3-4 the response buffer
 * capacity (36, 37, 48 or 255 bytes). Then records, each a length byte
 * and that many request bytes (header included); a short last record is
 * used as it is.
 *
 * Oracle besides the sanitizers: a request is answered exactly when it has
 * a header with version 00, Rq set and D clear; the answer has the
 * request's instance ID, type and command, Rq and D clear, a completion
 * code, and exactly the length that code and command imply (GetPLDMVersion:
 * at least one data byte, within the part size and the buffer); the
 * requester decoders accept every response; GetNextPart succeeds only for
 * the next part or a retry of the last one, and a GetPLDMVersion transfer
 * followed from GetFirstPart to its last part reassembles into version data
 * whose CRC-32 checks; the TID is never 0xFF and only changes through a
 * successful SetTID.
 */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pldm/base.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(x)                                                               \
	do {                                                                   \
		if (!(x))                                                      \
			abort();                                               \
	} while (0)

static const uint32_t base_versions[] = {0xF1F1F000u, 0xF1F0F000u};
static const uint32_t fw_versions[] = {0xF1F3F000u};
static const uint32_t oem_versions[] = {0xF1F0FF00u, 0xF2F0F000u, 0xF3F1F247u};
static const uint8_t base_commands[32] = {0x3E};
static const uint8_t fw_commands[32] = {0x06, 0x00, 0x01};
static const uint8_t oem_commands[32] = {[31] = 0x80};

static const struct pldm_base_type types[] = {
	{PLDM_TYPE_BASE, base_versions, 2, base_commands},
	{PLDM_TYPE_FW_UPDATE, fw_versions, 1, fw_commands},
	{PLDM_TYPE_OEM, oem_versions, 3, oem_commands},
};

static const size_t capacities[4] = {PLDM_BASE_RSP_MIN_CAPACITY, 37, 48, 255};

/* GetPLDMVersion reassembly, followed from a successful GetFirstPart. */
struct reassembly {
	bool valid;
	uint8_t type;
	uint32_t last; /* offset of the part last received */
	size_t len;
	uint8_t buf[64];
};

static void check_version_rsp(const uint8_t *rsp, size_t len, size_t part,
			      const uint8_t *req, struct reassembly *ra)
{
	uint32_t next, handle, versions[4];
	const uint8_t *p;
	size_t n, plen;
	uint8_t cc, flag, op, type;

	CHECK(pldm_base_decode_get_version_rsp(rsp, len, &cc, &next, &flag, &p,
					       &plen) == 0);
	CHECK(cc == 0);
	CHECK(plen >= 1 && plen == len - 9);
	if (part)
		CHECK(plen <= part);
	handle = (uint32_t)req[3] | (uint32_t)req[4] << 8 |
		 (uint32_t)req[5] << 16 | (uint32_t)req[6] << 24;
	op = req[7];
	type = req[8];
	if (op == PLDM_TRANSFER_OP_GET_FIRST_PART) {
		CHECK(flag == PLDM_TRANSFER_FLAG_START ||
		      flag == PLDM_TRANSFER_FLAG_START_AND_END);
		ra->valid = true;
		ra->type = type;
		ra->len = 0;
		ra->last = 0;
	} else {
		CHECK(flag == PLDM_TRANSFER_FLAG_MIDDLE ||
		      flag == PLDM_TRANSFER_FLAG_END);
		/* only the transfer we followed continues: the next part,
		 * or the last one again */
		CHECK(ra->valid && ra->type == type && handle != 0);
		CHECK(handle == ra->len || handle == ra->last);
		ra->len = handle;
		ra->last = handle;
	}
	CHECK(ra->len + plen <= sizeof(ra->buf));
	memcpy(ra->buf + ra->len, p, plen);
	ra->len += plen;
	if (flag == PLDM_TRANSFER_FLAG_END ||
	    flag == PLDM_TRANSFER_FLAG_START_AND_END) {
		CHECK(next == 0);
		CHECK(pldm_base_version_data_parse(ra->buf, ra->len, versions,
						   4, &n) == 0);
		CHECK(n >= 1);
	} else {
		CHECK(next == ra->len);
	}
}

static void one(struct pldm_base *b, const uint8_t *req, size_t len, size_t cap,
		size_t part, struct reassembly *ra)
{
	uint8_t rsp[255], cc, tid, bits[32], flag;
	uint8_t tid_before = pldm_base_tid(b);
	size_t rsp_len = cap, plen;
	uint32_t next;
	const uint8_t *p;
	bool valid;
	int rc;

	rc = pldm_base_handle(b, req, len, rsp, &rsp_len);
	valid = len >= 3 && (req[1] >> 6) == 0 && (req[0] & PLDM_HDR_RQ) &&
		!(req[0] & PLDM_HDR_D);
	if (!valid) {
		CHECK(rc < 0 && rsp_len == 0);
		CHECK(pldm_base_tid(b) == tid_before);
		return;
	}
	CHECK(rc == 0);
	CHECK(rsp_len >= 4 && rsp_len <= cap);
	CHECK(rsp[0] == (req[0] & PLDM_HDR_INSTANCE_MASK));
	CHECK(rsp[1] == req[1] && rsp[2] == req[2]);
	cc = rsp[3];
	if (cc != PLDM_CC_SUCCESS) {
		CHECK(rsp_len == 4);
		CHECK(pldm_base_tid(b) == tid_before);
		if (req[1] == PLDM_TYPE_BASE &&
		    req[2] == PLDM_BASE_CMD_GET_PLDM_VERSION && len == 9 &&
		    req[7] == PLDM_TRANSFER_OP_GET_FIRST_PART)
			ra->valid = false; /* the responder dropped it too */
		return;
	}
	CHECK(req[1] == PLDM_TYPE_BASE);
	switch (req[2]) {
	case PLDM_BASE_CMD_SET_TID:
		CHECK(rsp_len == 4 && len == 4);
		CHECK(pldm_base_decode_set_tid_rsp(rsp, rsp_len, &cc) == 0);
		CHECK(pldm_base_tid(b) == req[3]);
		break;
	case PLDM_BASE_CMD_GET_TID:
		CHECK(rsp_len == 5);
		CHECK(pldm_base_decode_get_tid_rsp(rsp, rsp_len, &cc, &tid) ==
		      0);
		CHECK(tid == tid_before);
		break;
	case PLDM_BASE_CMD_GET_PLDM_VERSION:
		CHECK(len == 9);
		check_version_rsp(rsp, rsp_len, part, req, ra);
		break;
	case PLDM_BASE_CMD_GET_PLDM_TYPES:
		CHECK(rsp_len == 12);
		CHECK(pldm_base_decode_get_types_rsp(rsp, rsp_len, &cc, bits) ==
		      0);
		CHECK(bits[0] == 0x21 && bits[7] == 0x80);
		break;
	case PLDM_BASE_CMD_GET_PLDM_COMMANDS:
		CHECK(rsp_len == 36);
		CHECK(pldm_base_decode_get_commands_rsp(rsp, rsp_len, &cc,
							bits) == 0);
		break;
	default:
		CHECK(0);
	}
	CHECK(pldm_base_tid(b) != PLDM_TID_RESERVED);
	/* decoders on the raw request bytes: must not crash, and a request
	 * (Rq set) is never accepted as a response */
	CHECK(pldm_base_decode_get_version_rsp(req, len, &cc, &next, &flag, &p,
					       &plen) == -EBADMSG);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pldm_base_config cfg = {
		.types = types,
		.n_types = 3,
		.tid = 0,
	};
	struct reassembly ra = {0};
	struct pldm_base b;
	size_t cap, pos, n;

	if (size < 1)
		return 0;
	cfg.version_part_size = data[0] & 0x07u;
	cap = capacities[(data[0] >> 3) & 0x03u];
	CHECK(pldm_base_init(&b, &cfg) == 0);
	pos = 1;
	while (pos < size) {
		n = data[pos++];
		if (n > size - pos)
			n = size - pos;
		one(&b, data + pos, n, cap, cfg.version_part_size, &ra);
		pos += n;
	}
	return 0;
}
