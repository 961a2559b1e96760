/* SPDX-License-Identifier: Apache-2.0 */
/*
 * MCTP control protocol (DSP0236 section 12), bus-owner side: requests,
 * matching their responses, timeouts and the response decoders. Message
 * layouts follow DSP0236 1.3.3 tables 12 to 25; every byte goes through
 * the codec. control.c registers the handler and calls in here.
 */
#include <errno.h>
#include <string.h>

#include "mctp/control.h"

#include "codec.h"
#include "control-internal.h"
#include "log.h"

/* pending_tag while mctp_request_tx() runs: a binding that delivers
 * synchronously can bring the answer back before the tag is known. */
#define CTRL_TAG_IN_FLIGHT 0xFFu

#define SET_EID_OP_MASK 0x03u
#define SET_EID_ASSIGNMENT_SHIFT 4
#define SET_EID_STATUS_MASK 0x03u
#define ENDPOINT_TYPE_SHIFT 4
#define TYPE_BITS_MASK 0x03u

static void ctrl_complete(struct mctp_ctrl *ctrl,
			  struct mctp_ctrl_response *rsp)
{
	/* Free before the callback, which may send the next request. */
	ctrl->pending = false;
	if (ctrl->ops && ctrl->ops->response)
		ctrl->ops->response(ctrl->ctx, rsp);
}

void mctp_ctrl_rx_response(struct mctp_ctrl *ctrl,
			   const struct mctp_msg_info *info, const uint8_t *msg,
			   size_t len)
{
	struct mctp_ctrl_response rsp = {0};
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

void mctp_ctrl_tag_timeout(void *ctx, struct mctp *mctp, uint8_t eid,
			   uint8_t tag)
{
	struct mctp_ctrl *ctrl = ctx;
	struct mctp_ctrl_response rsp = {0};

	(void)mctp;
	if (!ctrl->pending || tag != ctrl->pending_tag ||
	    eid != ctrl->pending_eid)
		return;
	rsp.status = -ETIMEDOUT;
	rsp.eid = eid;
	rsp.command = ctrl->pending_command;
	ctrl_complete(ctrl, &rsp);
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
	struct mctp_ctrl_response rsp = {0};
	const struct mctp *mctp = ctrl->mctp;

	if (!ctrl->pending || ctrl->pending_tag == CTRL_TAG_IN_FLIGHT ||
	    mctp->now_ms - ctrl->pending_since_ms < mctp->tag_timeout_ms)
		return;
	mctp_log(ctrl->mctp, MCTP_LOG_NOTICE,
		 "ctrl: request to %u lost its tag", ctrl->pending_eid);
	rsp.status = -ETIMEDOUT;
	rsp.eid = ctrl->pending_eid;
	rsp.command = ctrl->pending_command;
	ctrl_complete(ctrl, &rsp);
}

int mctp_ctrl_request(struct mctp_ctrl *ctrl, uint8_t dest, uint8_t command,
		      const uint8_t *data, size_t len)
{
	uint8_t buf[MCTP_CTRL_MSG_MAX];
	struct mctp_writer w;
	uint8_t instance;
	int rc;

	if (!ctrl || !ctrl->mctp || (len && !data) ||
	    len > MCTP_CTRL_MSG_MAX - MCTP_CTRL_HDR_SIZE)
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
	return mctp_ctrl_request(ctrl, dest, MCTP_CTRL_CMD_SET_ENDPOINT_ID,
				 data, sizeof(data));
}

int mctp_ctrl_get_eid(struct mctp_ctrl *ctrl, uint8_t dest)
{
	return mctp_ctrl_request(ctrl, dest, MCTP_CTRL_CMD_GET_ENDPOINT_ID,
				 NULL, 0);
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
	return mctp_ctrl_request(
		ctrl, dest, MCTP_CTRL_CMD_GET_MESSAGE_TYPE_SUPPORT, NULL, 0);
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
