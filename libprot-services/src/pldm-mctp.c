/* SPDX-License-Identifier: Apache-2.0 */
/* PLDM over MCTP (DSP0241): see prot/pldm-mctp.h. */
#include <errno.h>
#include <string.h>

#include "prot/pldm-mctp.h"

/* ---- Common ------------------------------------------------------------- */

static bool eid_usable(uint8_t eid)
{
	return eid != MCTP_EID_BROADCAST &&
	       (eid == MCTP_EID_NULL || eid >= MCTP_EID_FIRST_VALID);
}

/* Room for a PLDM message in a buffer of @buf_size bytes (the type byte
 * first), within what one MCTP message holds. */
static size_t pldm_cap(size_t buf_size)
{
	size_t cap = buf_size - 1u;

	if (cap > (size_t)MCTP_MAX_MESSAGE_SIZE - 1u)
		cap = (size_t)MCTP_MAX_MESSAGE_SIZE - 1u;
	return cap;
}

/* True when @a is earlier than @b on the wrapping millisecond clock. */
static bool earlier(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) < 0;
}

static void take_deadline(bool *have, uint32_t *dl, uint32_t t)
{
	if (!*have || earlier(t, *dl))
		*dl = t;
	*have = true;
}

/* When the MCTP core next has work (reassembly or tag timeouts). */
static void mctp_deadline(const struct mctp *mctp, bool *have, uint32_t *dl)
{
	uint32_t t;

	if (mctp_next_deadline(mctp, &t) == 1)
		take_deadline(have, dl, t);
}

/*
 * The checks every message goes through. Returns 0 or the refusal (and
 * counts it).
 */
static int check_msg(struct prot_pldm_mctp_counters *c,
		     const struct mctp_msg_info *info, const uint8_t *msg,
		     size_t len, size_t max_pldm)
{
	bool rq;

	if (!len || (msg[0] & MCTP_MSG_TYPE_MASK) != MCTP_MSG_TYPE_PLDM ||
	    info->type != MCTP_MSG_TYPE_PLDM) {
		c->drop_type++;
		return -EPROTOTYPE;
	}
	if (len < PROT_PLDM_MCTP_MIN_MSG) {
		c->drop_short++;
		return -EBADMSG;
	}
	if ((msg[0] & MCTP_MSG_TYPE_IC) || info->ic) {
		c->drop_ic++;
		return -EPROTO;
	}
	if (len - 1u > max_pldm) {
		c->drop_oversized++;
		return -EMSGSIZE;
	}
	rq = (msg[1] & PLDM_HDR_RQ) != 0;
	if (rq != info->tag_owner) {
		c->drop_mismatch++;
		return -EILSEQ;
	}
	return 0;
}

/*
 * The glue's own answer to a request of a PLDM type nobody serves:
 * ERROR_INVALID_PLDM_TYPE. Nothing for a malformed header or an
 * unacknowledged request. Returns 0 with *@out_len set, or -ENOMSG.
 */
static int answer_bad_type(const uint8_t *req, size_t len, uint8_t *out,
			   size_t *out_len)
{
	struct pldm_header hdr;

	if (pldm_header_decode(req, len, &hdr) || hdr.datagram ||
	    *out_len < PLDM_HDR_LEN + 1u)
		return -ENOMSG;
	hdr.request = false;
	if (pldm_header_encode(&hdr, out, *out_len))
		return -ENOMSG;
	out[PLDM_HDR_LEN] = PLDM_CC_ERROR_INVALID_PLDM_TYPE;
	*out_len = PLDM_HDR_LEN + 1u;
	return 0;
}

static int send_response(struct prot_pldm_mctp_counters *c, struct mctp *mctp,
			 const struct mctp_msg_info *info, uint8_t *buf,
			 size_t pldm_len)
{
	int rc;

	buf[0] = MCTP_MSG_TYPE_PLDM;
	rc = mctp_response_tx(mctp, info, buf, pldm_len + 1u);
	if (rc < 0) {
		c->tx_errors++;
		return rc;
	}
	c->tx_responses++;
	return 0;
}

static int send_request(struct prot_pldm_mctp_counters *c, struct mctp *mctp,
			uint8_t eid, uint8_t *buf, size_t pldm_len)
{
	int rc;

	buf[0] = MCTP_MSG_TYPE_PLDM;
	rc = mctp_request_tx(mctp, eid, buf, pldm_len + 1u);
	if (rc < 0) {
		c->tx_errors++;
		return rc;
	}
	c->tx_requests++;
	return 0;
}

/* ---- Device side -------------------------------------------------------- */

/* Send the FD's next request, if it has one. */
static void device_pump(struct prot_pldm_mctp_device *dev)
{
	const struct prot_pldm_mctp_device_config *cfg = dev->cfg;
	size_t len = pldm_cap(cfg->buf_size);

	if (!cfg->fd)
		return;
	if (pldm_fd_poll(cfg->fd, dev->now_ms, cfg->buf + 1, &len) || !len)
		return;
	if (!dev->ua_known) {
		/* Cannot happen (the FD requests only after a RequestUpdate,
		 * which teaches the UA's EID): count it, send nothing. */
		dev->counters.tx_errors++;
		return;
	}
	(void)send_request(&dev->counters, dev->mctp, dev->ua_eid, cfg->buf,
			   len);
}

static int device_request(struct prot_pldm_mctp_device *dev,
			  const struct mctp_msg_info *info, const uint8_t *req,
			  size_t len)
{
	const struct prot_pldm_mctp_device_config *cfg = dev->cfg;
	uint8_t type = req[1] & PLDM_HDR_TYPE_MASK;
	uint8_t *out = cfg->buf + 1;
	size_t out_len = pldm_cap(cfg->buf_size);
	int rc;

	if (type == PLDM_TYPE_FW_UPDATE && cfg->fixed_ua &&
	    info->src_eid != cfg->ua_eid) {
		dev->counters.drop_foreign++;
		return -EACCES;
	}
	if (type == PLDM_TYPE_BASE && cfg->base) {
		rc = pldm_base_handle(cfg->base, req, len, out, &out_len);
	} else if (type == PLDM_TYPE_FW_UPDATE && cfg->fd) {
		rc = pldm_fd_handle(cfg->fd, dev->now_ms, req, len, out,
				    &out_len);
	} else {
		rc = answer_bad_type(req, len, out, &out_len);
		if (!rc)
			dev->counters.unsupported_type++;
	}
	if (rc < 0 || !out_len) {
		dev->counters.drop_unanswered++;
		return -ENOMSG;
	}
	dev->counters.rx_requests++;
	if (type == PLDM_TYPE_FW_UPDATE && !cfg->fixed_ua &&
	    req[2] == PLDM_FW_REQUEST_UPDATE && out_len > PLDM_HDR_LEN &&
	    out[PLDM_HDR_LEN] == PLDM_CC_SUCCESS) {
		dev->ua_eid = info->src_eid;
		dev->ua_known = true;
	}
	rc = send_response(&dev->counters, dev->mctp, info, cfg->buf, out_len);
	device_pump(dev);
	return rc;
}

int prot_pldm_mctp_device_rx(struct prot_pldm_mctp_device *dev,
			     const struct mctp_msg_info *info,
			     const uint8_t *msg, size_t len)
{
	int rc;

	if (!dev || !info || !msg)
		return -EINVAL;
	rc = check_msg(&dev->counters, info, msg, len,
		       pldm_cap(dev->cfg->buf_size));
	if (rc)
		return rc;
	if (info->tag_owner)
		return device_request(dev, info, msg + 1, len - 1u);
	if (!dev->cfg->fd) {
		dev->counters.drop_rejected++;
		return -ENOTCONN;
	}
	rc = pldm_fd_handle_response(dev->cfg->fd, dev->now_ms, msg + 1,
				     len - 1u);
	if (rc) {
		dev->counters.drop_rejected++;
		return rc;
	}
	dev->counters.rx_responses++;
	device_pump(dev);
	return 0;
}

static void device_mctp_rx(void *ctx, struct mctp *mctp,
			   const struct mctp_msg_info *info, const uint8_t *msg,
			   size_t len)
{
	(void)mctp;
	(void)prot_pldm_mctp_device_rx(ctx, info, msg, len);
}

static void device_mctp_timeout(void *ctx, struct mctp *mctp, uint8_t eid,
				uint8_t tag)
{
	struct prot_pldm_mctp_device *dev = ctx;

	(void)mctp;
	(void)eid;
	(void)tag;
	/* The FD sends again after FD_T2 on its own. */
	dev->counters.tag_timeouts++;
}

static const struct mctp_handler_ops device_handler_ops = {
	.rx = device_mctp_rx,
	.timeout = device_mctp_timeout,
};

int prot_pldm_mctp_device_init(struct prot_pldm_mctp_device *dev,
			       struct mctp *mctp,
			       const struct prot_pldm_mctp_device_config *cfg,
			       uint32_t now_ms)
{
	if (!dev || !mctp || !cfg || (!cfg->base && !cfg->fd) || !cfg->buf ||
	    cfg->buf_size < PROT_PLDM_MCTP_DEVICE_BUF_MIN ||
	    (cfg->fixed_ua && !eid_usable(cfg->ua_eid)))
		return -EINVAL;
	memset(dev, 0, sizeof(*dev));
	dev->mctp = mctp;
	dev->cfg = cfg;
	dev->now_ms = now_ms;
	dev->ua_known = cfg->fixed_ua;
	dev->ua_eid = cfg->fixed_ua ? cfg->ua_eid : MCTP_EID_NULL;
	return mctp_register_handler(mctp, MCTP_MSG_TYPE_PLDM,
				     &device_handler_ops, dev);
}

int prot_pldm_mctp_device_poll(struct prot_pldm_mctp_device *dev,
			       uint32_t now_ms, uint32_t *deadline_ms)
{
	bool have = false;
	uint32_t dl = 0, t;

	if (!dev)
		return -EINVAL;
	dev->now_ms = now_ms;
	mctp_poll(dev->mctp, now_ms);
	device_pump(dev);
	if (dev->cfg->fd && !pldm_fd_next_deadline(dev->cfg->fd, &t))
		take_deadline(&have, &dl, t);
	mctp_deadline(dev->mctp, &have, &dl);
	if (have && deadline_ms)
		*deadline_ms = dl;
	return have ? 1 : 0;
}

int prot_pldm_mctp_device_ua_eid(const struct prot_pldm_mctp_device *dev,
				 uint8_t *eid)
{
	if (!dev || !eid)
		return -EINVAL;
	if (!dev->ua_known)
		return -ENOENT;
	*eid = dev->ua_eid;
	return 0;
}

const struct prot_pldm_mctp_counters *
prot_pldm_mctp_device_counters(const struct prot_pldm_mctp_device *dev)
{
	return &dev->counters;
}

/* ---- Agent side --------------------------------------------------------- */

static uint32_t base_timeout(const struct prot_pldm_mctp_agent *ag)
{
	return ag->cfg->base_timeout_ms ? ag->cfg->base_timeout_ms
					: PLDM_FW_PT1_MS;
}

/* Send the UA's next request, if it has one. */
static void agent_pump(struct prot_pldm_mctp_agent *ag)
{
	const struct prot_pldm_mctp_agent_config *cfg = ag->cfg;
	size_t len = pldm_cap(cfg->buf_size);

	if (pldm_ua_poll(cfg->ua, ag->now_ms, cfg->buf + 1, &len) || !len)
		return;
	(void)send_request(&ag->counters, ag->mctp, cfg->fd_eid, cfg->buf, len);
}

static bool disc_running(const struct prot_pldm_mctp_agent *ag)
{
	return ag->disc_state == PROT_PLDM_MCTP_DISC_GET_TID ||
	       ag->disc_state == PROT_PLDM_MCTP_DISC_GET_TYPES;
}

static void disc_end(struct prot_pldm_mctp_agent *ag, int result)
{
	ag->disc_state = PROT_PLDM_MCTP_DISC_DONE;
	ag->disc_result = result;
}

/* (Re)send the discovery request of the current step. */
static void disc_send(struct prot_pldm_mctp_agent *ag)
{
	const struct prot_pldm_mctp_agent_config *cfg = ag->cfg;
	size_t len = pldm_cap(cfg->buf_size);
	int rc;

	if (ag->disc_state == PROT_PLDM_MCTP_DISC_GET_TID)
		rc = pldm_base_encode_get_tid_req(ag->disc_iid, cfg->buf + 1,
						  &len);
	else
		rc = pldm_base_encode_get_types_req(ag->disc_iid, cfg->buf + 1,
						    &len);
	ag->disc_sent_ms = ag->now_ms;
	if (rc) {
		/* The buffer holds at least PLDM_UA_REQ_MAX_LEN: cannot
		 * happen; end rather than loop. */
		disc_end(ag, rc);
		return;
	}
	/* A failed send is retried on the timeout like a lost one. */
	(void)send_request(&ag->counters, ag->mctp, cfg->fd_eid, cfg->buf, len);
}

static void disc_next_step(struct prot_pldm_mctp_agent *ag, uint8_t state)
{
	ag->disc_state = state;
	ag->disc_iid = (uint8_t)((ag->disc_iid + 1u) & PLDM_HDR_INSTANCE_MASK);
	ag->disc_tries = 0;
	disc_send(ag);
}

/* A type-0 response. Returns 0 (acted on) or -ESTALE (not ours). */
static int disc_rx(struct prot_pldm_mctp_agent *ag, const uint8_t *rsp,
		   size_t len)
{
	struct pldm_header hdr;
	uint8_t cc = 0;
	int rc;

	if (!disc_running(ag) || pldm_header_decode(rsp, len, &hdr) ||
	    hdr.instance_id != ag->disc_iid)
		return -ESTALE;
	if (ag->disc_state == PROT_PLDM_MCTP_DISC_GET_TID) {
		if (hdr.command != PLDM_BASE_CMD_GET_TID)
			return -ESTALE;
		rc = pldm_base_decode_get_tid_rsp(rsp, len, &cc, &ag->tid);
	} else {
		if (hdr.command != PLDM_BASE_CMD_GET_PLDM_TYPES)
			return -ESTALE;
		rc = pldm_base_decode_get_types_rsp(rsp, len, &cc, ag->types);
	}
	if (rc)
		disc_end(ag, -EBADMSG);
	else if (cc != PLDM_CC_SUCCESS)
		disc_end(ag, pldm_cc_to_errno(cc));
	else if (ag->disc_state == PROT_PLDM_MCTP_DISC_GET_TID)
		disc_next_step(ag, PROT_PLDM_MCTP_DISC_GET_TYPES);
	else
		disc_end(ag, 0);
	return 0;
}

static int agent_request(struct prot_pldm_mctp_agent *ag,
			 const struct mctp_msg_info *info, const uint8_t *req,
			 size_t len)
{
	const struct prot_pldm_mctp_agent_config *cfg = ag->cfg;
	uint8_t type = req[1] & PLDM_HDR_TYPE_MASK;
	uint8_t *out = cfg->buf + 1;
	size_t out_len = pldm_cap(cfg->buf_size);
	int rc;

	if (type == PLDM_TYPE_FW_UPDATE && info->src_eid != cfg->fd_eid) {
		ag->counters.drop_foreign++;
		return -EACCES;
	}
	if (type == PLDM_TYPE_BASE && cfg->base) {
		rc = pldm_base_handle(cfg->base, req, len, out, &out_len);
	} else if (type == PLDM_TYPE_FW_UPDATE) {
		rc = pldm_ua_rx(cfg->ua, ag->now_ms, req, len, out, &out_len);
	} else {
		rc = answer_bad_type(req, len, out, &out_len);
		if (!rc)
			ag->counters.unsupported_type++;
	}
	if (rc < 0 || !out_len) {
		ag->counters.drop_unanswered++;
		return -ENOMSG;
	}
	ag->counters.rx_requests++;
	rc = send_response(&ag->counters, ag->mctp, info, cfg->buf, out_len);
	agent_pump(ag);
	return rc;
}

int prot_pldm_mctp_agent_rx(struct prot_pldm_mctp_agent *ag,
			    const struct mctp_msg_info *info,
			    const uint8_t *msg, size_t len)
{
	const uint8_t *rsp;
	size_t rsp_len, out_len;
	int rc;

	if (!ag || !info || !msg)
		return -EINVAL;
	rc = check_msg(&ag->counters, info, msg, len,
		       pldm_cap(ag->cfg->buf_size));
	if (rc)
		return rc;
	if (info->tag_owner)
		return agent_request(ag, info, msg + 1, len - 1u);
	rsp = msg + 1;
	rsp_len = len - 1u;
	switch (rsp[1] & PLDM_HDR_TYPE_MASK) {
	case PLDM_TYPE_BASE:
		rc = disc_rx(ag, rsp, rsp_len);
		break;
	case PLDM_TYPE_FW_UPDATE:
		out_len = pldm_cap(ag->cfg->buf_size);
		rc = pldm_ua_rx(ag->cfg->ua, ag->now_ms, rsp, rsp_len,
				ag->cfg->buf + 1, &out_len);
		break;
	default:
		rc = -ESTALE; /* we send no request of another type */
		break;
	}
	if (rc) {
		ag->counters.drop_rejected++;
		return rc;
	}
	ag->counters.rx_responses++;
	agent_pump(ag);
	return 0;
}

static void agent_mctp_rx(void *ctx, struct mctp *mctp,
			  const struct mctp_msg_info *info, const uint8_t *msg,
			  size_t len)
{
	(void)mctp;
	(void)prot_pldm_mctp_agent_rx(ctx, info, msg, len);
}

static void agent_mctp_timeout(void *ctx, struct mctp *mctp, uint8_t eid,
			       uint8_t tag)
{
	struct prot_pldm_mctp_agent *ag = ctx;

	(void)mctp;
	(void)eid;
	(void)tag;
	/* The UA (PT1) and discovery retry on their own timers. */
	ag->counters.tag_timeouts++;
}

static const struct mctp_handler_ops agent_handler_ops = {
	.rx = agent_mctp_rx,
	.timeout = agent_mctp_timeout,
};

int prot_pldm_mctp_agent_init(struct prot_pldm_mctp_agent *ag,
			      struct mctp *mctp,
			      const struct prot_pldm_mctp_agent_config *cfg,
			      uint32_t now_ms)
{
	if (!ag || !mctp || !cfg || !cfg->ua || !cfg->buf ||
	    cfg->buf_size < PROT_PLDM_MCTP_AGENT_BUF_MIN ||
	    !eid_usable(cfg->fd_eid))
		return -EINVAL;
	memset(ag, 0, sizeof(*ag));
	ag->mctp = mctp;
	ag->cfg = cfg;
	ag->now_ms = now_ms;
	ag->disc_result = -ENOENT;
	return mctp_register_handler(mctp, MCTP_MSG_TYPE_PLDM,
				     &agent_handler_ops, ag);
}

int prot_pldm_mctp_agent_poll(struct prot_pldm_mctp_agent *ag, uint32_t now_ms,
			      uint32_t *deadline_ms)
{
	bool have = false;
	uint32_t dl = 0, t;

	if (!ag)
		return -EINVAL;
	ag->now_ms = now_ms;
	mctp_poll(ag->mctp, now_ms);
	if (disc_running(ag) &&
	    !earlier(now_ms, ag->disc_sent_ms + base_timeout(ag))) {
		if (ag->disc_tries >= ag->cfg->base_retries) {
			disc_end(ag, -ETIMEDOUT);
		} else {
			ag->disc_tries++;
			disc_send(ag);
		}
	}
	agent_pump(ag);
	if (pldm_ua_next_deadline(ag->cfg->ua, &t) == 1)
		take_deadline(&have, &dl, t);
	if (disc_running(ag))
		take_deadline(&have, &dl, ag->disc_sent_ms + base_timeout(ag));
	mctp_deadline(ag->mctp, &have, &dl);
	if (have && deadline_ms)
		*deadline_ms = dl;
	return have ? 1 : 0;
}

int prot_pldm_mctp_agent_discover(struct prot_pldm_mctp_agent *ag)
{
	if (!ag)
		return -EINVAL;
	if (disc_running(ag))
		return -EBUSY;
	disc_next_step(ag, PROT_PLDM_MCTP_DISC_GET_TID);
	if (disc_running(ag))
		ag->disc_result = -EINPROGRESS;
	return 0;
}

int prot_pldm_mctp_agent_discovery(const struct prot_pldm_mctp_agent *ag,
				   uint8_t *tid, uint8_t types[8])
{
	if (!ag)
		return -EINVAL;
	if (ag->disc_state == PROT_PLDM_MCTP_DISC_IDLE)
		return -ENOENT;
	if (disc_running(ag))
		return -EINPROGRESS;
	if (ag->disc_result)
		return ag->disc_result;
	if (tid)
		*tid = ag->tid;
	if (types)
		memcpy(types, ag->types, sizeof(ag->types));
	return 0;
}

const struct prot_pldm_mctp_counters *
prot_pldm_mctp_agent_counters(const struct prot_pldm_mctp_agent *ag)
{
	return &ag->counters;
}
