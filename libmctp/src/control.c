/* SPDX-License-Identifier: Apache-2.0 */
/*
 * MCTP control protocol (DSP0236 section 12): responder and a bus-owner
 * requester. Message layouts follow DSP0236 1.3.3 tables 12 to 25; every
 * byte goes through the codec.
 */
#include <errno.h>
#include <string.h>

#include "mctp/control.h"

#include "codec.h"
#include "log.h"

/* Every control message we build fits here: the largest is Get MCTP
 * Version Support with MCTP_CTRL_MAX_VERSIONS entries (4 + 1 + 56). */
#define CTRL_MSG_MAX 64u
#define CTRL_HDR_SIZE 3u     /* type, Rq/D/instance, command */
#define CTRL_RSP_HDR_SIZE 4u /* ... and the completion code */

/* pending_tag while mctp_request_tx() runs: a binding that delivers
 * synchronously can bring the answer back before the tag is known. */
#define CTRL_TAG_IN_FLIGHT 0xFFu

#define SET_EID_OP_MASK 0x03u
#define SET_EID_ASSIGNMENT_SHIFT 4
#define SET_EID_STATUS_MASK 0x03u
#define ENDPOINT_TYPE_SHIFT 4
#define TYPE_BITS_MASK 0x03u
#define VENDOR_SETS_MAX 255u

_Static_assert(CTRL_RSP_HDR_SIZE + 1 + 4 * MCTP_CTRL_MAX_VERSIONS <=
		       CTRL_MSG_MAX,
	       "versions response must fit the stack buffer");
_Static_assert(CTRL_RSP_HDR_SIZE + 1 + MCTP_MAX_HANDLERS <= CTRL_MSG_MAX,
	       "message type response must fit the stack buffer");
_Static_assert(CTRL_MSG_MAX <= MCTP_MAX_MESSAGE_SIZE,
	       "control messages must fit the core's maximum message");

static const uint32_t builtin_versions[] = {
	MCTP_CTRL_VERSION_NO_UPDATE(1, 0),
	MCTP_CTRL_VERSION_NO_UPDATE(1, 1),
	MCTP_CTRL_VERSION_NO_UPDATE(1, 2),
	MCTP_CTRL_VERSION(1, 3, 3),
};

static const struct mctp_ctrl_config default_config = { 0 };

static bool eid_assignable(uint8_t eid)
{
	return eid >= MCTP_EID_FIRST_VALID && eid != MCTP_EID_BROADCAST;
}

static uint8_t ctrl_set_eid(struct mctp_ctrl *ctrl,
			    const struct mctp_msg_info *info,
			    struct mctp_reader *r, struct mctp_writer *w,
			    bool *changed)
{
	uint8_t status = MCTP_CTRL_SET_EID_ACCEPTED;
	uint8_t op, eid;

	if (mctp_reader_left(r) != 2)
		return MCTP_CTRL_CC_ERROR_INVALID_LENGTH;
	op = mctp_read_u8(r) & SET_EID_OP_MASK;
	eid = mctp_read_u8(r);

	switch (op) {
	case MCTP_CTRL_SET_EID_SET:
	case MCTP_CTRL_SET_EID_FORCE:
		if (!eid_assignable(eid))
			return MCTP_CTRL_CC_ERROR_INVALID_DATA;
		/* A bus owner without an EID asks from the null EID; then
		 * every null-EID requester counts as that bus owner, as
		 * nothing else tells them apart. */
		if (op == MCTP_CTRL_SET_EID_SET && ctrl->assigned &&
		    info->src_eid != ctrl->bus_owner_eid) {
			status = MCTP_CTRL_SET_EID_REJECTED;
			break;
		}
		/* Cannot fail: eid_assignable() is stricter. Set before the
		 * response so that it goes out from the new EID. */
		(void)mctp_set_eid(ctrl->mctp, eid);
		ctrl->assigned = true;
		ctrl->bus_owner_eid = info->src_eid;
		*changed = true;
		break;
	case MCTP_CTRL_SET_EID_RESET:
		if (ctrl->cfg->static_eid == MCTP_EID_NULL)
			return MCTP_CTRL_CC_ERROR_INVALID_DATA;
		(void)mctp_set_eid(ctrl->mctp, ctrl->cfg->static_eid);
		ctrl->assigned = false;
		*changed = true;
		break;
	default:
		/* Set Discovered Flag belongs to bindings with a discovered
		 * flag (PCIe VDM); DSP0236 wants ERROR_INVALID_DATA from the
		 * others, and every binding we have is one of those. */
		return MCTP_CTRL_CC_ERROR_INVALID_DATA;
	}

	/* Allocation status 0: we use no EID pool, so the pool size is 0. */
	mctp_write_u8(w, (uint8_t)(status << SET_EID_ASSIGNMENT_SHIFT));
	mctp_write_u8(w, mctp_get_eid(ctrl->mctp));
	mctp_write_u8(w, 0);
	return MCTP_CTRL_CC_SUCCESS;
}

static uint8_t ctrl_get_eid(struct mctp_ctrl *ctrl, struct mctp_reader *r,
			    struct mctp_writer *w)
{
	uint8_t eid = mctp_get_eid(ctrl->mctp);
	uint8_t eid_type = MCTP_CTRL_EID_TYPE_DYNAMIC;

	if (mctp_reader_left(r))
		return MCTP_CTRL_CC_ERROR_INVALID_LENGTH;
	if (ctrl->cfg->static_eid != MCTP_EID_NULL)
		eid_type = eid == ctrl->cfg->static_eid ?
				   MCTP_CTRL_EID_TYPE_STATIC_MATCH :
				   MCTP_CTRL_EID_TYPE_STATIC_MISMATCH;
	mctp_write_u8(w, eid);
	mctp_write_u8(w, (uint8_t)(ctrl->cfg->endpoint_type
					   << ENDPOINT_TYPE_SHIFT |
				   eid_type));
	/* Medium-specific information: none for SMBus or serial. */
	mctp_write_u8(w, 0);
	return MCTP_CTRL_CC_SUCCESS;
}

static uint8_t ctrl_get_uuid(struct mctp_ctrl *ctrl, struct mctp_reader *r,
			     struct mctp_writer *w)
{
	if (mctp_reader_left(r))
		return MCTP_CTRL_CC_ERROR_INVALID_LENGTH;
	mctp_write_bytes(w, ctrl->cfg->uuid, sizeof(ctrl->cfg->uuid));
	return MCTP_CTRL_CC_SUCCESS;
}

static uint8_t ctrl_get_version(struct mctp_ctrl *ctrl, struct mctp_reader *r,
				struct mctp_writer *w)
{
	const struct mctp_ctrl_config *cfg = ctrl->cfg;
	const uint32_t *versions = NULL;
	size_t count = 0;
	uint8_t type;

	if (mctp_reader_left(r) != 1)
		return MCTP_CTRL_CC_ERROR_INVALID_LENGTH;
	type = mctp_read_u8(r);

	for (size_t i = 0; i < cfg->n_versions; i++) {
		if (cfg->versions[i].type == type) {
			versions = cfg->versions[i].versions;
			count = cfg->versions[i].count;
			break;
		}
	}
	if (!versions && (type == MCTP_CTRL_VERSION_BASE ||
			  type == MCTP_MSG_TYPE_CONTROL)) {
		versions = builtin_versions;
		count = sizeof(builtin_versions) / sizeof(builtin_versions[0]);
	}
	if (!versions)
		return MCTP_CTRL_CC_MESSAGE_TYPE_NOT_SUPPORTED;

	mctp_write_u8(w, (uint8_t)count);
	for (size_t i = 0; i < count; i++)
		mctp_write_be32(w, versions[i]);
	return MCTP_CTRL_CC_SUCCESS;
}

static uint8_t ctrl_get_types(struct mctp_ctrl *ctrl, struct mctp_reader *r,
			      struct mctp_writer *w)
{
	uint8_t types[MCTP_MAX_HANDLERS];
	size_t n;

	if (mctp_reader_left(r))
		return MCTP_CTRL_CC_ERROR_INVALID_LENGTH;
	n = mctp_get_types(ctrl->mctp, types, sizeof(types));
	if (n > sizeof(types))
		n = sizeof(types);
	mctp_write_u8(w, (uint8_t)n);
	mctp_write_bytes(w, types, n);
	return MCTP_CTRL_CC_SUCCESS;
}

static uint8_t ctrl_get_vendor(struct mctp_ctrl *ctrl, struct mctp_reader *r,
			       struct mctp_writer *w)
{
	const struct mctp_ctrl_vendor_set *set;
	uint8_t selector, next;

	if (mctp_reader_left(r) != 1)
		return MCTP_CTRL_CC_ERROR_INVALID_LENGTH;
	selector = mctp_read_u8(r);
	if (selector >= ctrl->cfg->n_vendor_sets)
		return MCTP_CTRL_CC_ERROR_INVALID_DATA;

	set = &ctrl->cfg->vendor_sets[selector];
	next = selector + 1u == ctrl->cfg->n_vendor_sets ?
		       MCTP_CTRL_VENDOR_SELECTOR_END :
		       (uint8_t)(selector + 1u);
	mctp_write_u8(w, next);
	mctp_write_u8(w, set->format);
	if (set->format == MCTP_CTRL_VENDOR_FORMAT_PCI)
		mctp_write_be16(w, (uint16_t)set->vendor_id);
	else
		mctp_write_be32(w, set->vendor_id);
	mctp_write_be16(w, set->command_set);
	return MCTP_CTRL_CC_SUCCESS;
}

static void ctrl_handle_request(struct mctp_ctrl *ctrl,
				const struct mctp_msg_info *info,
				const uint8_t *msg, size_t len)
{
	uint8_t buf[CTRL_MSG_MAX];
	struct mctp_reader r;
	struct mctp_writer w;
	uint8_t type, hdr, command, cc;
	bool changed = false;
	int rc;

	mctp_reader_init(&r, msg, len);
	type = mctp_read_u8(&r);
	hdr = mctp_read_u8(&r);
	command = mctp_read_u8(&r);
	if (mctp_reader_status(&r)) {
		mctp_log(ctrl->mctp, MCTP_LOG_INFO, "ctrl: short request");
		return;
	}
	/* DSP0236 12.1: control messages never carry an integrity check, so
	 * IC set makes the message invalid; a datagram is never answered and
	 * we support no control datagram; a tag owner with Rq clear is
	 * neither request nor response. None of them gets a response. */
	if (type & MCTP_MSG_TYPE_IC || hdr & MCTP_CTRL_HDR_D ||
	    !(hdr & MCTP_CTRL_HDR_RQ)) {
		mctp_log(ctrl->mctp, MCTP_LOG_INFO,
			 "ctrl: dropped request (type %#x, hdr %#x)", type, hdr);
		return;
	}

	mctp_writer_init(&w, buf, sizeof(buf));
	mctp_write_u8(&w, MCTP_MSG_TYPE_CONTROL);
	mctp_write_u8(&w, hdr & MCTP_CTRL_HDR_INSTANCE_MASK);
	mctp_write_u8(&w, command);
	mctp_write_u8(&w, MCTP_CTRL_CC_SUCCESS);

	switch (command) {
	case MCTP_CTRL_CMD_SET_ENDPOINT_ID:
		cc = ctrl_set_eid(ctrl, info, &r, &w, &changed);
		break;
	case MCTP_CTRL_CMD_GET_ENDPOINT_ID:
		cc = ctrl_get_eid(ctrl, &r, &w);
		break;
	case MCTP_CTRL_CMD_GET_ENDPOINT_UUID:
		cc = ctrl_get_uuid(ctrl, &r, &w);
		break;
	case MCTP_CTRL_CMD_GET_VERSION_SUPPORT:
		cc = ctrl_get_version(ctrl, &r, &w);
		break;
	case MCTP_CTRL_CMD_GET_MESSAGE_TYPE_SUPPORT:
		cc = ctrl_get_types(ctrl, &r, &w);
		break;
	case MCTP_CTRL_CMD_GET_VENDOR_MESSAGE_SUPPORT:
		cc = ctrl_get_vendor(ctrl, &r, &w);
		break;
	default:
		cc = MCTP_CTRL_CC_ERROR_UNSUPPORTED_CMD;
		break;
	}
	/* An error response is the completion code alone. */
	if (cc != MCTP_CTRL_CC_SUCCESS) {
		buf[CTRL_RSP_HDR_SIZE - 1] = cc;
		w.pos = CTRL_RSP_HDR_SIZE;
	}
	/* The static asserts size buf for every response; an overrun here
	 * would be a bug, and a truncated answer is worse than none. */
	if (mctp_writer_status(&w))
		return;

	rc = mctp_response_tx(ctrl->mctp, info, buf, w.pos);
	if (rc)
		mctp_log(ctrl->mctp, MCTP_LOG_WARNING,
			 "ctrl: response to %u failed: %d", info->src_eid, rc);
	if (changed && ctrl->ops && ctrl->ops->eid_changed)
		ctrl->ops->eid_changed(ctrl->ctx, mctp_get_eid(ctrl->mctp));
}

static void ctrl_complete(struct mctp_ctrl *ctrl,
			  struct mctp_ctrl_response *rsp)
{
	/* Free before the callback, which may send the next request. */
	ctrl->pending = false;
	if (ctrl->ops && ctrl->ops->response)
		ctrl->ops->response(ctrl->ctx, rsp);
}

static void ctrl_handle_response(struct mctp_ctrl *ctrl,
				 const struct mctp_msg_info *info,
				 const uint8_t *msg, size_t len)
{
	struct mctp_ctrl_response rsp = { 0 };
	struct mctp_reader r;
	uint8_t type, hdr, command;

	/* The core matched the tag to an outstanding request of type 0 to
	 * this peer (or to the null EID), but that may be a request someone
	 * else sent with mctp_request_tx(): check it is ours. */
	if (!ctrl->pending ||
	    (ctrl->pending_tag != CTRL_TAG_IN_FLIGHT &&
	     info->tag != ctrl->pending_tag) ||
	    (ctrl->pending_eid != MCTP_EID_NULL &&
	     info->src_eid != ctrl->pending_eid))
		return;

	rsp.eid = info->src_eid;
	rsp.command = ctrl->pending_command;

	mctp_reader_init(&r, msg, len);
	type = mctp_read_u8(&r);
	hdr = mctp_read_u8(&r);
	command = mctp_read_u8(&r);
	rsp.completion_code = mctp_read_u8(&r);
	/* Our tag is spent on this message whatever it holds, so a wrong one
	 * ends the request rather than leaving it waiting for an answer the
	 * core would now drop. */
	if (mctp_reader_status(&r) || type & MCTP_MSG_TYPE_IC ||
	    hdr & (MCTP_CTRL_HDR_RQ | MCTP_CTRL_HDR_D) ||
	    (hdr & MCTP_CTRL_HDR_INSTANCE_MASK) != ctrl->pending_instance ||
	    command != ctrl->pending_command) {
		mctp_log(ctrl->mctp, MCTP_LOG_INFO,
			 "ctrl: ignored mismatched response from %u",
			 info->src_eid);
		rsp.status = -EBADMSG;
		rsp.completion_code = 0;
		ctrl_complete(ctrl, &rsp);
		return;
	}
	rsp.len = mctp_reader_left(&r);
	rsp.data = rsp.len ? mctp_read_bytes(&r, rsp.len) : NULL;
	ctrl_complete(ctrl, &rsp);
}

static void ctrl_rx(void *ctx, struct mctp *mctp,
		    const struct mctp_msg_info *info, const uint8_t *msg,
		    size_t len)
{
	struct mctp_ctrl *ctrl = ctx;

	(void)mctp;
	if (info->tag_owner)
		ctrl_handle_request(ctrl, info, msg, len);
	else
		ctrl_handle_response(ctrl, info, msg, len);
}

static void ctrl_timeout(void *ctx, struct mctp *mctp, uint8_t eid,
			 uint8_t tag)
{
	struct mctp_ctrl *ctrl = ctx;
	struct mctp_ctrl_response rsp = { 0 };

	(void)mctp;
	if (!ctrl->pending || tag != ctrl->pending_tag ||
	    eid != ctrl->pending_eid)
		return;
	rsp.status = -ETIMEDOUT;
	rsp.eid = eid;
	rsp.command = ctrl->pending_command;
	ctrl_complete(ctrl, &rsp);
}

static const struct mctp_handler_ops ctrl_handler_ops = {
	.rx = ctrl_rx,
	.timeout = ctrl_timeout,
};

static bool config_valid(const struct mctp_ctrl_config *cfg)
{
	if (cfg->endpoint_type > MCTP_CTRL_ENDPOINT_TYPE_BRIDGE ||
	    (cfg->static_eid != MCTP_EID_NULL &&
	     !eid_assignable(cfg->static_eid)) ||
	    (cfg->n_versions && !cfg->versions) ||
	    (cfg->n_vendor_sets && !cfg->vendor_sets) ||
	    cfg->n_vendor_sets > VENDOR_SETS_MAX)
		return false;
	for (size_t i = 0; i < cfg->n_versions; i++) {
		const struct mctp_ctrl_version_set *v = &cfg->versions[i];

		if (!v->count || !v->versions ||
		    v->count > MCTP_CTRL_MAX_VERSIONS)
			return false;
	}
	for (size_t i = 0; i < cfg->n_vendor_sets; i++) {
		const struct mctp_ctrl_vendor_set *v = &cfg->vendor_sets[i];

		if (v->format == MCTP_CTRL_VENDOR_FORMAT_PCI) {
			if (v->vendor_id > 0xFFFFu)
				return false;
		} else if (v->format != MCTP_CTRL_VENDOR_FORMAT_IANA) {
			return false;
		}
	}
	return true;
}

int mctp_ctrl_init(struct mctp_ctrl *ctrl, struct mctp *mctp,
		   const struct mctp_ctrl_config *cfg,
		   const struct mctp_ctrl_ops *ops, void *ctx)
{
	if (!ctrl || !mctp)
		return -EINVAL;
	if (!cfg)
		cfg = &default_config;
	if (!config_valid(cfg))
		return -EINVAL;

	memset(ctrl, 0, sizeof(*ctrl));
	ctrl->mctp = mctp;
	ctrl->cfg = cfg;
	ctrl->ops = ops;
	ctrl->ctx = ctx;
	return mctp_register_handler(mctp, MCTP_MSG_TYPE_CONTROL,
				     &ctrl_handler_ops, ctrl);
}

/*
 * A request still pending a tag timeout after it was sent has lost its tag
 * without reaching us: the core releases a tag for any response carrying
 * it, even one of another message type that it then gives to another
 * handler or drops. mctp_poll() would have expired a tag still held, so
 * this cannot cut a live request short. Time out the lost one rather than
 * stay busy for ever.
 */
static void ctrl_expire_lost(struct mctp_ctrl *ctrl)
{
	struct mctp_ctrl_response rsp = { 0 };
	const struct mctp *mctp = ctrl->mctp;

	if (!ctrl->pending || ctrl->pending_tag == CTRL_TAG_IN_FLIGHT ||
	    mctp->now_ms - ctrl->pending_since_ms < mctp->tag_timeout_ms)
		return;
	mctp_log(ctrl->mctp, MCTP_LOG_NOTICE, "ctrl: request to %u lost its tag",
		 ctrl->pending_eid);
	rsp.status = -ETIMEDOUT;
	rsp.eid = ctrl->pending_eid;
	rsp.command = ctrl->pending_command;
	ctrl_complete(ctrl, &rsp);
}

int mctp_ctrl_request(struct mctp_ctrl *ctrl, uint8_t dest, uint8_t command,
		      const uint8_t *data, size_t len)
{
	uint8_t buf[CTRL_MSG_MAX];
	struct mctp_writer w;
	uint8_t instance;
	int rc;

	if (!ctrl || !ctrl->mctp || (len && !data) ||
	    len > CTRL_MSG_MAX - CTRL_HDR_SIZE)
		return -EINVAL;
	ctrl_expire_lost(ctrl);
	if (ctrl->pending)
		return -EBUSY;

	instance = ctrl->next_instance;
	mctp_writer_init(&w, buf, sizeof(buf));
	mctp_write_u8(&w, MCTP_MSG_TYPE_CONTROL);
	mctp_write_u8(&w, (uint8_t)(MCTP_CTRL_HDR_RQ | instance));
	mctp_write_u8(&w, command);
	mctp_write_bytes(&w, data, len);
	rc = mctp_writer_status(&w);
	if (rc)
		return rc;

	ctrl->next_instance =
		(uint8_t)((instance + 1u) & MCTP_CTRL_HDR_INSTANCE_MASK);
	ctrl->pending = true;
	ctrl->pending_eid = dest;
	ctrl->pending_tag = CTRL_TAG_IN_FLIGHT;
	ctrl->pending_instance = instance;
	ctrl->pending_command = command;
	ctrl->pending_since_ms = ctrl->mctp->now_ms;

	rc = mctp_request_tx(ctrl->mctp, dest, buf, w.pos);
	/* The answer may already have come (and a new request been sent
	 * from the callback): only touch the request we started. */
	if (ctrl->pending && ctrl->pending_tag == CTRL_TAG_IN_FLIGHT &&
	    ctrl->pending_instance == instance) {
		if (rc < 0)
			ctrl->pending = false;
		else
			ctrl->pending_tag = (uint8_t)rc;
	}
	return rc < 0 ? rc : 0;
}

int mctp_ctrl_set_eid(struct mctp_ctrl *ctrl, uint8_t dest,
		      enum mctp_ctrl_set_eid_op op, uint8_t eid)
{
	uint8_t data[2];

	if ((unsigned int)op > SET_EID_OP_MASK)
		return -EINVAL;
	data[0] = (uint8_t)op;
	data[1] = eid;
	return mctp_ctrl_request(ctrl, dest, MCTP_CTRL_CMD_SET_ENDPOINT_ID, data,
				 sizeof(data));
}

int mctp_ctrl_get_eid(struct mctp_ctrl *ctrl, uint8_t dest)
{
	return mctp_ctrl_request(ctrl, dest, MCTP_CTRL_CMD_GET_ENDPOINT_ID, NULL,
				 0);
}

int mctp_ctrl_get_uuid(struct mctp_ctrl *ctrl, uint8_t dest)
{
	return mctp_ctrl_request(ctrl, dest, MCTP_CTRL_CMD_GET_ENDPOINT_UUID,
				 NULL, 0);
}

int mctp_ctrl_get_version(struct mctp_ctrl *ctrl, uint8_t dest, uint8_t type)
{
	return mctp_ctrl_request(ctrl, dest, MCTP_CTRL_CMD_GET_VERSION_SUPPORT,
				 &type, 1);
}

int mctp_ctrl_get_types(struct mctp_ctrl *ctrl, uint8_t dest)
{
	return mctp_ctrl_request(ctrl, dest,
				 MCTP_CTRL_CMD_GET_MESSAGE_TYPE_SUPPORT, NULL, 0);
}

int mctp_ctrl_get_vendor_support(struct mctp_ctrl *ctrl, uint8_t dest,
				 uint8_t selector)
{
	return mctp_ctrl_request(ctrl, dest,
				 MCTP_CTRL_CMD_GET_VENDOR_MESSAGE_SUPPORT,
				 &selector, 1);
}

/* Common checks of every decoder; leaves @r over the response data. */
static int decode_start(const struct mctp_ctrl_response *rsp, uint8_t command,
			struct mctp_reader *r)
{
	if (!rsp)
		return -EINVAL;
	if (rsp->status)
		return rsp->status;
	if (rsp->command != command || (rsp->len && !rsp->data))
		return -EINVAL;
	if (rsp->completion_code != MCTP_CTRL_CC_SUCCESS)
		return -EPROTO;
	mctp_reader_init(r, rsp->data, rsp->len);
	return 0;
}

/* Every field read and nothing left over. */
static int decode_end(const struct mctp_reader *r)
{
	if (mctp_reader_status(r) || mctp_reader_left(r))
		return -EBADMSG;
	return 0;
}

int mctp_ctrl_decode_set_eid(const struct mctp_ctrl_response *rsp,
			     struct mctp_ctrl_set_eid_rsp *out)
{
	struct mctp_reader r;
	uint8_t status;
	int rc;

	if (!out)
		return -EINVAL;
	rc = decode_start(rsp, MCTP_CTRL_CMD_SET_ENDPOINT_ID, &r);
	if (rc)
		return rc;
	status = mctp_read_u8(&r);
	out->assignment_status = (uint8_t)(status >> SET_EID_ASSIGNMENT_SHIFT &
					   SET_EID_STATUS_MASK);
	out->allocation_status = status & SET_EID_STATUS_MASK;
	out->eid = mctp_read_u8(&r);
	out->pool_size = mctp_read_u8(&r);
	return decode_end(&r);
}

int mctp_ctrl_decode_get_eid(const struct mctp_ctrl_response *rsp,
			     struct mctp_ctrl_get_eid_rsp *out)
{
	struct mctp_reader r;
	uint8_t type;
	int rc;

	if (!out)
		return -EINVAL;
	rc = decode_start(rsp, MCTP_CTRL_CMD_GET_ENDPOINT_ID, &r);
	if (rc)
		return rc;
	out->eid = mctp_read_u8(&r);
	type = mctp_read_u8(&r);
	out->endpoint_type =
		(uint8_t)(type >> ENDPOINT_TYPE_SHIFT & TYPE_BITS_MASK);
	out->eid_type = type & TYPE_BITS_MASK;
	out->medium_specific = mctp_read_u8(&r);
	return decode_end(&r);
}

int mctp_ctrl_decode_uuid(const struct mctp_ctrl_response *rsp,
			  uint8_t uuid[16])
{
	struct mctp_reader r;
	const uint8_t *p;
	int rc;

	if (!uuid)
		return -EINVAL;
	rc = decode_start(rsp, MCTP_CTRL_CMD_GET_ENDPOINT_UUID, &r);
	if (rc)
		return rc;
	p = mctp_read_bytes(&r, 16);
	rc = decode_end(&r);
	if (!rc)
		memcpy(uuid, p, 16);
	return rc;
}

int mctp_ctrl_decode_versions(const struct mctp_ctrl_response *rsp,
			      uint32_t *versions, size_t cap, size_t *count)
{
	struct mctp_reader r;
	size_t n;
	int rc;

	if (!count || (cap && !versions))
		return -EINVAL;
	rc = decode_start(rsp, MCTP_CTRL_CMD_GET_VERSION_SUPPORT, &r);
	if (rc)
		return rc;
	n = mctp_read_u8(&r);
	if (mctp_reader_status(&r) || mctp_reader_left(&r) != 4 * n)
		return -EBADMSG;
	for (size_t i = 0; i < n; i++) {
		uint32_t v = mctp_read_be32(&r);

		if (i < cap)
			versions[i] = v;
	}
	*count = n;
	return decode_end(&r);
}

int mctp_ctrl_decode_types(const struct mctp_ctrl_response *rsp, uint8_t *types,
			   size_t cap, size_t *count)
{
	struct mctp_reader r;
	const uint8_t *p;
	size_t n;
	int rc;

	if (!count || (cap && !types))
		return -EINVAL;
	rc = decode_start(rsp, MCTP_CTRL_CMD_GET_MESSAGE_TYPE_SUPPORT, &r);
	if (rc)
		return rc;
	n = mctp_read_u8(&r);
	p = mctp_read_bytes(&r, n);
	rc = decode_end(&r);
	if (rc)
		return rc;
	if (n && cap)
		memcpy(types, p, n < cap ? n : cap);
	*count = n;
	return 0;
}

int mctp_ctrl_decode_vendor_support(const struct mctp_ctrl_response *rsp,
				    struct mctp_ctrl_vendor_rsp *out)
{
	struct mctp_reader r;
	int rc;

	if (!out)
		return -EINVAL;
	rc = decode_start(rsp, MCTP_CTRL_CMD_GET_VENDOR_MESSAGE_SUPPORT, &r);
	if (rc)
		return rc;
	out->next_selector = mctp_read_u8(&r);
	out->set.format = mctp_read_u8(&r);
	if (mctp_reader_status(&r))
		return -EBADMSG;
	if (out->set.format == MCTP_CTRL_VENDOR_FORMAT_PCI)
		out->set.vendor_id = mctp_read_be16(&r);
	else if (out->set.format == MCTP_CTRL_VENDOR_FORMAT_IANA)
		out->set.vendor_id = mctp_read_be32(&r);
	else
		return -EBADMSG;
	out->set.command_set = mctp_read_be16(&r);
	return decode_end(&r);
}
