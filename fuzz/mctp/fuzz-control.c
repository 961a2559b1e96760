/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libFuzzer harness: MCTP control messages (DSP0236 section 12) through the
 * core into the control handler, as requests to the responder or as the
 * response to an outstanding request, plus the response decoders.
 *
 * Input: byte 0 holds flags, the rest is the control message (message type
 * byte first), sent in 64-byte packets.
 * Flags: bit 0 feed it as the response to a request we sent (else as a
 * request), bit 1 start with EID 0x1D (else the null EID), bit 2 use the
 * configuration with a static EID, bit 3 let a bus owner assign EID 0x30
 * first, bits 4-6 the command of our request (response mode), bit 7 send
 * the request from another EID than that bus owner.
 *
 * Oracle besides the sanitizers: a request is answered exactly when it is a
 * well-formed request (type 0x00 without IC, Rq set, D clear, 3 bytes at
 * least); the answer is one packet with the instance ID and command
 * echoed and the length its completion code and command imply; our EID is
 * never reserved; a response completes our request exactly once, with
 * status 0 exactly when its header matches; decoders accept only data of
 * their table's length.
 */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mctp/control.h"
#include "mctp/mctp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FLAG_RESPONSE 0x01u
#define FLAG_HAS_EID 0x02u
#define FLAG_STATIC 0x04u
#define FLAG_ASSIGNED 0x08u
#define FLAG_CMD_SHIFT 4
#define FLAG_CMD_MASK 0x07u
#define FLAG_OTHER_SRC 0x80u

#define OWNER_EID 0x08u
#define OTHER_EID 0x0Au
#define PEER_EID 0x09u
#define UNIT MCTP_BASELINE_MTU
#define SENT_MAX 4u

struct fuzz_state {
	struct mctp mctp;
	struct mctp_binding binding;
	struct mctp_ctrl ctrl;
	uint8_t tx_buf[MCTP_HEADER_SIZE + UNIT];
	size_t sent;
	size_t sent_len;
	uint8_t sent_pkt[MCTP_HEADER_SIZE + UNIT];
	int responses;
	struct mctp_ctrl_response rsp;
	uint8_t rsp_data[MCTP_MAX_MESSAGE_SIZE];
};

static struct fuzz_state st;

static const uint32_t spdm_versions[] = {MCTP_CTRL_VERSION(1, 2, 0)};
static const uint32_t many_versions[MCTP_CTRL_MAX_VERSIONS] = {0xF1F0FF00};
static const struct mctp_ctrl_version_set version_sets[] = {
	{.type = MCTP_MSG_TYPE_SPDM, .count = 1, .versions = spdm_versions},
	{.type = MCTP_MSG_TYPE_PLDM,
	 .count = MCTP_CTRL_MAX_VERSIONS,
	 .versions = many_versions},
};
static const struct mctp_ctrl_vendor_set vendor_sets[] = {
	{.format = MCTP_CTRL_VENDOR_FORMAT_PCI,
	 .vendor_id = 0x1AB4,
	 .command_set = 1},
	{.format = MCTP_CTRL_VENDOR_FORMAT_IANA,
	 .vendor_id = 0x0000019C,
	 .command_set = 2},
};
static const struct mctp_ctrl_config cfg_dynamic = {
	.uuid = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16},
	.endpoint_type = MCTP_CTRL_ENDPOINT_TYPE_BRIDGE,
	.versions = version_sets,
	.n_versions = 2,
	.vendor_sets = vendor_sets,
	.n_vendor_sets = 2,
};
static const struct mctp_ctrl_config cfg_static = {
	.static_eid = 0x1D,
	.vendor_sets = vendor_sets,
	.n_vendor_sets = 1,
};

static int fake_tx(struct mctp_binding *binding, size_t len, uint8_t phys)
{
	(void)phys;
	if (len < MCTP_HEADER_SIZE + 1 || len > sizeof(st.sent_pkt))
		abort();
	st.sent++;
	st.sent_len = len;
	memcpy(st.sent_pkt, binding->tx_pkt, len);
	return 0;
}

static const struct mctp_binding_ops fake_ops = {.tx = fake_tx};

static void on_response(void *ctx, const struct mctp_ctrl_response *rsp)
{
	(void)ctx;
	st.responses++;
	st.rsp = *rsp;
	if (rsp->len > sizeof(st.rsp_data) || (rsp->len && !rsp->data))
		abort();
	if (rsp->len)
		memcpy(st.rsp_data, rsp->data, rsp->len);
}

static const struct mctp_ctrl_ops ctrl_ops = {.response = on_response};

static void noop_rx(void *ctx, struct mctp *mctp,
		    const struct mctp_msg_info *info, const uint8_t *msg,
		    size_t len)
{
	(void)ctx;
	(void)mctp;
	(void)info;
	(void)msg;
	(void)len;
}

static const struct mctp_handler_ops noop_ops = {.rx = noop_rx};

/* Send @msg from @src to @dest in baseline-sized packets. */
static void feed(uint8_t src, uint8_t dest, bool tag_owner, uint8_t tag,
		 const uint8_t *msg, size_t len)
{
	uint8_t pkt[MCTP_HEADER_SIZE + UNIT];
	uint8_t seq = 0;

	for (size_t off = 0; off < len; off += UNIT) {
		size_t chunk = len - off < UNIT ? len - off : UNIT;

		pkt[0] = MCTP_HEADER_VERSION;
		pkt[1] = dest;
		pkt[2] = src;
		pkt[3] = (uint8_t)((off ? 0 : 0x80) |
				   (off + chunk == len ? 0x40 : 0) | seq << 4 |
				   (tag_owner ? 0x08 : 0) | tag);
		memcpy(pkt + MCTP_HEADER_SIZE, msg + off, chunk);
		mctp_bus_rx(&st.binding, pkt, MCTP_HEADER_SIZE + chunk);
		seq = (uint8_t)((seq + 1) & 3);
	}
}

static bool eid_ok(uint8_t eid)
{
	return eid == MCTP_EID_NULL ||
	       (eid >= MCTP_EID_FIRST_VALID && eid != MCTP_EID_BROADCAST);
}

/* The length a successful response must have, 0: anything is wrong. */
static size_t success_len(uint8_t command, const uint8_t *rsp, size_t len)
{
	switch (command) {
	case MCTP_CTRL_CMD_SET_ENDPOINT_ID:
	case MCTP_CTRL_CMD_GET_ENDPOINT_ID:
		return 7;
	case MCTP_CTRL_CMD_GET_ENDPOINT_UUID:
		return 20;
	case MCTP_CTRL_CMD_GET_VERSION_SUPPORT:
		return len > 4 ? 5 + 4 * (size_t)rsp[4] : 0;
	case MCTP_CTRL_CMD_GET_MESSAGE_TYPE_SUPPORT:
		return len > 4 ? 5 + (size_t)rsp[4] : 0;
	case MCTP_CTRL_CMD_GET_VENDOR_MESSAGE_SUPPORT:
		return len > 5 ? (rsp[5] ? 12 : 10) : 0;
	default:
		return 0;
	}
}

static void check_request(uint8_t src, const uint8_t *msg, size_t len)
{
	bool valid = len >= 3 && msg[0] == MCTP_MSG_TYPE_CONTROL &&
		     (msg[1] & (MCTP_CTRL_HDR_RQ | MCTP_CTRL_HDR_D)) ==
			     MCTP_CTRL_HDR_RQ;
	const uint8_t *rsp = st.sent_pkt + MCTP_HEADER_SIZE;
	size_t rlen = st.sent_len - MCTP_HEADER_SIZE;

	if (!eid_ok(mctp_get_eid(&st.mctp)))
		abort();
	if (st.sent != (valid ? 1u : 0u))
		abort();
	if (!valid)
		return;
	/* Single packet, tag owner clear, our tag 3. */
	if (st.sent_pkt[1] != src || st.sent_pkt[3] != 0xC3 || rlen < 4 ||
	    rsp[0] != 0x00 ||
	    rsp[1] != (msg[1] & MCTP_CTRL_HDR_INSTANCE_MASK) ||
	    rsp[2] != msg[2])
		abort();
	if (rsp[3] != MCTP_CTRL_CC_SUCCESS) {
		if (rlen != 4)
			abort();
		return;
	}
	if (rlen != success_len(msg[2], rsp, rlen))
		abort();
	/* The EID we report is the EID we have, and the packet is from it. */
	if ((msg[2] == MCTP_CTRL_CMD_SET_ENDPOINT_ID &&
	     rsp[5] != mctp_get_eid(&st.mctp)) ||
	    (msg[2] == MCTP_CTRL_CMD_GET_ENDPOINT_ID &&
	     rsp[4] != mctp_get_eid(&st.mctp)) ||
	    st.sent_pkt[2] != mctp_get_eid(&st.mctp))
		abort();
}

static void run_decoders(const struct mctp_ctrl_response *rsp)
{
	struct mctp_ctrl_set_eid_rsp set;
	struct mctp_ctrl_get_eid_rsp get;
	struct mctp_ctrl_vendor_rsp vendor;
	uint32_t versions[4];
	uint8_t types[4], uuid[16];
	size_t count;
	int rc;

	rc = mctp_ctrl_decode_set_eid(rsp, &set);
	if (rc == 0 && rsp->len != 3)
		abort();
	rc = mctp_ctrl_decode_get_eid(rsp, &get);
	if (rc == 0 && rsp->len != 3)
		abort();
	rc = mctp_ctrl_decode_uuid(rsp, uuid);
	if (rc == 0 && rsp->len != 16)
		abort();
	rc = mctp_ctrl_decode_versions(rsp, versions, 4, &count);
	if (rc == 0 && rsp->len != 1 + 4 * count)
		abort();
	rc = mctp_ctrl_decode_types(rsp, types, 4, &count);
	if (rc == 0 && rsp->len != 1 + count)
		abort();
	rc = mctp_ctrl_decode_vendor_support(rsp, &vendor);
	if (rc == 0 && rsp->len != (vendor.set.format ? 8u : 6u))
		abort();
}

static void check_response_mode(uint8_t flags, const uint8_t *msg, size_t len)
{
	static const uint8_t commands[8] = {1, 2, 3, 4, 5, 6, 0x07, 0x55};
	const uint8_t req_data[2] = {0, 0x20};
	uint8_t command = commands[flags >> FLAG_CMD_SHIFT & FLAG_CMD_MASK];
	uint8_t tag, instance;
	bool valid;

	st.sent = 0;
	if (mctp_ctrl_request(&st.ctrl, PEER_EID, command, req_data,
			      sizeof(req_data)) != 0 ||
	    st.sent != 1)
		abort();
	tag = st.sent_pkt[3] & 7;
	instance = st.sent_pkt[5] & MCTP_CTRL_HDR_INSTANCE_MASK;
	feed(PEER_EID, mctp_get_eid(&st.mctp), false, tag, msg, len);
	if (!len) {
		if (st.responses)
			abort();
		return;
	}
	/* Another message type never reaches the control handler (the core
	 * may spend our tag on it: see the end). */
	if ((msg[0] & MCTP_MSG_TYPE_MASK) != MCTP_MSG_TYPE_CONTROL) {
		if (st.responses)
			abort();
		goto done;
	}
	valid = len >= 4 && msg[0] == MCTP_MSG_TYPE_CONTROL &&
		(msg[1] & (MCTP_CTRL_HDR_RQ | MCTP_CTRL_HDR_D)) == 0 &&
		(msg[1] & MCTP_CTRL_HDR_INSTANCE_MASK) == instance &&
		msg[2] == command;
	if (st.responses != 1 || st.rsp.command != command ||
	    st.rsp.eid != PEER_EID || st.rsp.status != (valid ? 0 : -EBADMSG))
		abort();
	if (valid &&
	    (st.rsp.completion_code != msg[3] || st.rsp.len != len - 4 ||
	     (st.rsp.len && memcmp(st.rsp_data, msg + 4, st.rsp.len) != 0)))
		abort();
	st.rsp.data = st.rsp_data;
	run_decoders(&st.rsp);
done:
	/* After a tag timeout the request is over, answered or timed out,
	 * exactly once, and a new one may go. */
	mctp_poll(&st.mctp, 10u * MCTP_DEFAULT_TAG_TIMEOUT_MS);
	if (mctp_ctrl_get_eid(&st.ctrl, PEER_EID) != 0 || st.responses != 1)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mctp_config mcfg = {0};
	struct mctp_ctrl_response raw;
	uint8_t flags, src, dest;

	if (size < 1)
		return 0;
	flags = data[0];
	data++;
	size--;
	if (size > MCTP_MAX_MESSAGE_SIZE)
		size = MCTP_MAX_MESSAGE_SIZE;

	memset(&st, 0, sizeof(st));
	mcfg.eid = flags & FLAG_HAS_EID ? 0x1D : MCTP_EID_NULL;
	if (mctp_init(&st.mctp, &mcfg))
		abort();
	st.binding.ops = &fake_ops;
	st.binding.tx_pkt = st.tx_buf;
	st.binding.max_mtu = UNIT;
	st.binding.mtu = UNIT;
	if (mctp_bus_register(&st.mctp, &st.binding) < 0 ||
	    mctp_ctrl_init(&st.ctrl, &st.mctp,
			   flags & FLAG_STATIC ? &cfg_static : &cfg_dynamic,
			   &ctrl_ops, NULL) ||
	    mctp_register_handler(&st.mctp, MCTP_MSG_TYPE_SPDM, &noop_ops,
				  NULL))
		abort();

	if (flags & FLAG_ASSIGNED) {
		const uint8_t set[] = {0x00, 0x80, 0x01, 0x00, 0x30};

		feed(OWNER_EID, MCTP_EID_NULL, true, 1, set, sizeof(set));
		if (mctp_get_eid(&st.mctp) != 0x30)
			abort();
	}

	if (flags & FLAG_RESPONSE) {
		check_response_mode(flags, data, size);
	} else {
		src = flags & FLAG_OTHER_SRC ? OTHER_EID : OWNER_EID;
		dest = mctp_get_eid(&st.mctp);
		st.sent = 0;
		feed(src, dest, true, 3, data, size);
		check_request(src, data, size);
	}

	/* The decoders straight on the input, as each command's data. */
	raw.status = 0;
	raw.eid = PEER_EID;
	raw.completion_code = 0;
	raw.data = size ? data : NULL;
	raw.len = size;
	for (uint8_t command = 1; command <= 6; command++) {
		raw.command = command;
		run_decoders(&raw);
	}
	return 0;
}
