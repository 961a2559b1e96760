/* SPDX-License-Identifier: Apache-2.0 */
/*
 * MCTP control protocol (DSP0236 section 12): mctp_ctrl_init(), the type
 * 0x00 handler and the responder. The bus-owner requester lives in
 * control-requester.c and is reached only when MCTP_CONTROL_REQUESTER is
 * 1, so that endpoint firmware carries the responder alone.
 *
 * The responder is written for size. It checks a request's data length
 * against one table (DSP0236 1.3.3 tables 14 to 19: every supported
 * request has a fixed length) before it reads a byte past the header, and
 * builds the response with plain stores into a stack buffer that the
 * static assertions size for the largest response.
 */
#include <errno.h>
#include <string.h>

#include "mctp/control.h"

#include "control-internal.h"
#include "log.h"

#define SET_EID_OP_MASK 0x03u
#define SET_EID_ASSIGNMENT_SHIFT 4
#define ENDPOINT_TYPE_SHIFT 4
#define VENDOR_SETS_MAX 255u

#if MCTP_CONTROL_RESPONDER

_Static_assert(MCTP_CTRL_RSP_HDR_SIZE + 1 + 4 * MCTP_CTRL_MAX_VERSIONS <=
		       MCTP_CTRL_MSG_MAX,
	       "versions response must fit the stack buffer");
_Static_assert(MCTP_CTRL_RSP_HDR_SIZE + 1 + MCTP_MAX_HANDLERS <=
		       MCTP_CTRL_MSG_MAX,
	       "message type response must fit the stack buffer");
_Static_assert(MCTP_CTRL_RSP_HDR_SIZE + 16 <= MCTP_CTRL_MSG_MAX,
	       "UUID response must fit the stack buffer");

/* Request data bytes (after the command code), by command code - 1. */
static const uint8_t request_len[] = {
	[MCTP_CTRL_CMD_SET_ENDPOINT_ID - 1] = 2,
	[MCTP_CTRL_CMD_GET_ENDPOINT_ID - 1] = 0,
	[MCTP_CTRL_CMD_GET_ENDPOINT_UUID - 1] = 0,
	[MCTP_CTRL_CMD_GET_VERSION_SUPPORT - 1] = 1,
	[MCTP_CTRL_CMD_GET_MESSAGE_TYPE_SUPPORT - 1] = 0,
	[MCTP_CTRL_CMD_GET_VENDOR_MESSAGE_SUPPORT - 1] = 1,
};

static const uint32_t builtin_versions[] = {
	MCTP_CTRL_VERSION_NO_UPDATE(1, 0),
	MCTP_CTRL_VERSION_NO_UPDATE(1, 1),
	MCTP_CTRL_VERSION_NO_UPDATE(1, 2),
	MCTP_CTRL_VERSION(1, 3, 3),
};

static const struct mctp_ctrl_config default_config = {0};

static bool eid_assignable(uint8_t eid)
{
	return eid >= MCTP_EID_FIRST_VALID && eid != MCTP_EID_BROADCAST;
}

/* The low 16 bits of @v, big-endian; returns the end. */
static uint8_t *put_be16(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
	return p + 2;
}

/*
 * Runs one supported command whose request data @req has its table
 * length. Writes the response data at @out and returns its end, or NULL
 * with *@cc set to the error: an error response is the completion code
 * alone.
 */
static uint8_t *ctrl_command(struct mctp_ctrl *ctrl,
			     const struct mctp_msg_info *info, uint8_t command,
			     const uint8_t *req, uint8_t *out, uint8_t *cc)
{
	const struct mctp_ctrl_config *cfg = ctrl->cfg;
	struct mctp *mctp = ctrl->mctp;
	const struct mctp_ctrl_version_set *vset;
	const uint32_t *versions;
	size_t count;
	uint8_t op, eid, status;

	switch (command) {
	case MCTP_CTRL_CMD_SET_ENDPOINT_ID:
		op = req[0] & SET_EID_OP_MASK;
		/* A reset returns to the static EID; mctp_ctrl_init() made
		 * sure that is assignable or null, and null refuses it. */
		eid = op == MCTP_CTRL_SET_EID_RESET ? cfg->static_eid : req[1];
		/* Set Discovered Flag belongs to bindings with a discovered
		 * flag (PCIe VDM); DSP0236 wants ERROR_INVALID_DATA from the
		 * others, and every binding we have is one of those. */
		if (op == MCTP_CTRL_SET_EID_SET_DISCOVERED ||
		    !eid_assignable(eid))
			break;
		status = MCTP_CTRL_SET_EID_REJECTED << SET_EID_ASSIGNMENT_SHIFT;
		/* A bus owner without an EID asks from the null EID; then
		 * every null-EID requester counts as that bus owner, as
		 * nothing else tells them apart. */
		if (op != MCTP_CTRL_SET_EID_SET || !ctrl->assigned ||
		    info->src_eid == ctrl->bus_owner_eid) {
			/* Before the response, so that it goes out from the
			 * new EID; eid_assignable() is stricter than the
			 * core's check. A reset forgets the bus owner. */
			mctp->eid = eid;
			ctrl->assigned = op != MCTP_CTRL_SET_EID_RESET;
			ctrl->bus_owner_eid = info->src_eid;
			status = MCTP_CTRL_SET_EID_ACCEPTED;
		}
		/* Allocation status 0: we use no EID pool, so pool size 0. */
		out[0] = status;
		out[1] = mctp->eid;
		out[2] = 0;
		return out + 3;
	case MCTP_CTRL_CMD_GET_ENDPOINT_ID:
		eid = mctp->eid;
		status = MCTP_CTRL_EID_TYPE_DYNAMIC; /* the EID type */
		if (cfg->static_eid != MCTP_EID_NULL)
			status = eid == cfg->static_eid
					 ? MCTP_CTRL_EID_TYPE_STATIC_MATCH
					 : MCTP_CTRL_EID_TYPE_STATIC_MISMATCH;
		out[0] = eid;
		out[1] = (uint8_t)(cfg->endpoint_type << ENDPOINT_TYPE_SHIFT |
				   status);
		/* Medium-specific information: none for SMBus or serial. */
		out[2] = 0;
		return out + 3;
	case MCTP_CTRL_CMD_GET_ENDPOINT_UUID:
		memcpy(out, cfg->uuid, sizeof(cfg->uuid));
		return out + sizeof(cfg->uuid);
	case MCTP_CTRL_CMD_GET_VERSION_SUPPORT:
		versions = builtin_versions;
		count = sizeof(builtin_versions) / sizeof(builtin_versions[0]);
		/* Counting down: no arithmetic on a NULL @versions. */
		vset = cfg->versions;
		for (size_t n = cfg->n_versions; n; n--, vset++) {
			if (vset->type == req[0]) {
				versions = vset->versions;
				count = vset->count;
				goto found;
			}
		}
		if (req[0] != MCTP_CTRL_VERSION_BASE &&
		    req[0] != MCTP_MSG_TYPE_CONTROL) {
			*cc = MCTP_CTRL_CC_MESSAGE_TYPE_NOT_SUPPORTED;
			return NULL;
		}
found:
		/* mctp_ctrl_init() checked the count; this guards the stack
		 * buffer should the configuration change afterwards. */
		if (count > MCTP_CTRL_MAX_VERSIONS)
			break;
		*out++ = (uint8_t)count;
		while (count--) {
			uint32_t v = *versions++;

			out = put_be16(put_be16(out, v >> 16), v);
		}
		return out;
	case MCTP_CTRL_CMD_GET_MESSAGE_TYPE_SUPPORT:
		count = mctp_get_types(mctp, out + 1, MCTP_MAX_HANDLERS);
		if (count > MCTP_MAX_HANDLERS)
			count = MCTP_MAX_HANDLERS;
		out[0] = (uint8_t)count;
		return out + 1 + count;
	default: { /* MCTP_CTRL_CMD_GET_VENDOR_MESSAGE_SUPPORT */
		const struct mctp_ctrl_vendor_set *set;
		uint8_t selector = req[0], format;
		uint32_t vendor_id;
		uint16_t command_set;

		if (selector >= cfg->n_vendor_sets)
			break;
		/* Read before the stores through @out, which may alias. */
		set = &cfg->vendor_sets[selector];
		format = set->format;
		vendor_id = set->vendor_id;
		command_set = set->command_set;
		out[0] = selector + 1u == cfg->n_vendor_sets
				 ? MCTP_CTRL_VENDOR_SELECTOR_END
				 : (uint8_t)(selector + 1u);
		out[1] = format;
		out += 2;
		if (format != MCTP_CTRL_VENDOR_FORMAT_PCI)
			out = put_be16(out, vendor_id >> 16);
		return put_be16(put_be16(out, vendor_id), command_set);
	}
	}
	*cc = MCTP_CTRL_CC_ERROR_INVALID_DATA;
	return NULL;
}

static void ctrl_respond(struct mctp_ctrl *ctrl,
			 const struct mctp_msg_info *info, const uint8_t *msg,
			 size_t len)
{
	uint8_t buf[MCTP_CTRL_MSG_MAX];
	uint8_t *end = NULL;
	uint8_t cc = MCTP_CTRL_CC_ERROR_UNSUPPORTED_CMD;
	unsigned int index;
	int rc;

	/* DSP0236 control message format: no integrity check ever, so IC
	 * set makes the message invalid; a datagram is never answered and
	 * we support no control datagram; a tag owner with Rq clear is
	 * neither request nor response. None of them gets a response, nor
	 * does a message too short to hold a command code. */
	if (len < MCTP_CTRL_HDR_SIZE || msg[0] != MCTP_MSG_TYPE_CONTROL ||
	    (msg[1] & (MCTP_CTRL_HDR_RQ | MCTP_CTRL_HDR_D)) !=
		    MCTP_CTRL_HDR_RQ) {
		mctp_log(ctrl->mctp, MCTP_LOG_INFO,
			 "ctrl: dropped request of %zu bytes", len);
		return;
	}

	index = msg[2] - 1u;
	if (index < sizeof(request_len)) {
		cc = MCTP_CTRL_CC_ERROR_INVALID_LENGTH;
		if (len - MCTP_CTRL_HDR_SIZE == request_len[index]) {
			cc = MCTP_CTRL_CC_SUCCESS;
			end = ctrl_command(ctrl, info, msg[2],
					   msg + MCTP_CTRL_HDR_SIZE,
					   buf + MCTP_CTRL_RSP_HDR_SIZE, &cc);
		}
	}
	if (!end)
		end = buf + MCTP_CTRL_RSP_HDR_SIZE;
	/* Type 0x00, instance ID and command echoed; Rq, D and the
	 * reserved bit clear. */
	memcpy(buf, msg, MCTP_CTRL_HDR_SIZE);
	buf[1] &= MCTP_CTRL_HDR_INSTANCE_MASK;
	buf[3] = cc;

	rc = mctp_response_tx(ctrl->mctp, info, buf, (size_t)(end - buf));
	if (rc)
		mctp_log(ctrl->mctp, MCTP_LOG_WARNING,
			 "ctrl: response to %u failed: %d", info->src_eid, rc);
	/* The response itself tells whether a Set Endpoint ID was
	 * accepted (status byte 0: accepted, no pool). */
	if (buf[2] == MCTP_CTRL_CMD_SET_ENDPOINT_ID &&
	    buf[3] == MCTP_CTRL_CC_SUCCESS &&
	    buf[4] == MCTP_CTRL_SET_EID_ACCEPTED && ctrl->ops &&
	    ctrl->ops->eid_changed)
		ctrl->ops->eid_changed(ctrl->ctx, ctrl->mctp->eid);
}

static bool config_valid(const struct mctp_ctrl_config *cfg)
{
	const struct mctp_ctrl_version_set *v = cfg->versions;
	const struct mctp_ctrl_vendor_set *set = cfg->vendor_sets;

	if (cfg->endpoint_type > MCTP_CTRL_ENDPOINT_TYPE_BRIDGE ||
	    (cfg->static_eid != MCTP_EID_NULL &&
	     !eid_assignable(cfg->static_eid)) ||
	    (cfg->n_versions && !v) || (cfg->n_vendor_sets && !set) ||
	    cfg->n_vendor_sets > VENDOR_SETS_MAX)
		return false;
	/* Counting down: no arithmetic on a NULL pointer. */
	for (size_t n = cfg->n_versions; n; n--, v++) {
		/* count 0 wraps round and fails too */
		if (!v->versions || v->count - 1u >= MCTP_CTRL_MAX_VERSIONS)
			return false;
	}
	for (size_t n = cfg->n_vendor_sets; n; n--, set++) {
		if (set->format > MCTP_CTRL_VENDOR_FORMAT_IANA ||
		    (set->format == MCTP_CTRL_VENDOR_FORMAT_PCI &&
		     set->vendor_id > 0xFFFFu))
			return false;
	}
	return true;
}

#endif /* MCTP_CONTROL_RESPONDER */

static void ctrl_rx(void *ctx, struct mctp *mctp,
		    const struct mctp_msg_info *info, const uint8_t *msg,
		    size_t len)
{
	(void)mctp;
	if (!info->tag_owner) {
#if MCTP_CONTROL_REQUESTER
		mctp_ctrl_rx_response(ctx, info, msg, len);
#endif
		return;
	}
#if MCTP_CONTROL_RESPONDER
	ctrl_respond(ctx, info, msg, len);
#else
	/* Without a responder, requests go unanswered. */
	(void)ctx;
	(void)msg;
	(void)len;
#endif
}

static const struct mctp_handler_ops ctrl_handler_ops = {
	.rx = ctrl_rx,
#if MCTP_CONTROL_REQUESTER
	.timeout = mctp_ctrl_tag_timeout,
#endif
};

int mctp_ctrl_init(struct mctp_ctrl *ctrl, struct mctp *mctp,
		   const struct mctp_ctrl_config *cfg,
		   const struct mctp_ctrl_ops *ops, void *ctx)
{
	if (!ctrl || !mctp)
		return -EINVAL;
#if MCTP_CONTROL_RESPONDER
	if (!cfg)
		cfg = &default_config;
	if (!config_valid(cfg))
		return -EINVAL;
#endif
	memset(ctrl, 0, sizeof(*ctrl));
	/* Without a responder nothing reads the configuration. */
	ctrl->cfg = cfg;
	ctrl->mctp = mctp;
	ctrl->ops = ops;
	ctrl->ctx = ctx;
	return mctp_register_handler(mctp, MCTP_MSG_TYPE_CONTROL,
				     &ctrl_handler_ops, ctrl);
}
