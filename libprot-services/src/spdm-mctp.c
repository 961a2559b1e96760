/* SPDX-License-Identifier: Apache-2.0 */
/* SPDM over MCTP (DSP0275): see prot/spdm-mctp.h. */
#include <errno.h>
#include <string.h>

#include "prot/spdm-mctp.h"

/* The largest SPDM message that fits in one MCTP message after the type
 * byte, and in our buffer. */
#define SPDM_MCTP_MAX_SPDM                                                     \
	((size_t)(MCTP_MAX_MESSAGE_SIZE - 1u) < (size_t)SPDM_MAX_MSG_SIZE      \
		 ? (size_t)(MCTP_MAX_MESSAGE_SIZE - 1u)                        \
		 : (size_t)SPDM_MAX_MSG_SIZE)

static void flow_end(struct prot_spdm_mctp *sm, int result)
{
	uint8_t eid = sm->peer_eid;

	sm->running = false;
	sm->in_flight = false;
	sm->result = result;
	if (sm->ops && sm->ops->done)
		sm->ops->done(sm->ctx, sm, eid, result);
}

/*
 * Send the requester's next request. A send that fails is handled like a
 * request that got no response, so the requester's retry limit bounds the
 * attempts. Returns 0 (sent), or the error that ended the flow (the flow
 * is then over, but flow_end() is left to the caller).
 */
static int send_next(struct prot_spdm_mctp *sm)
{
	for (;;) {
		size_t len = SPDM_MCTP_MAX_SPDM;
		int rc, step;

		rc = spdm_requester_next(sm->requester, sm->buf + 1, &len);
		if (rc < 0)
			return rc;
		sm->buf[0] = MCTP_MSG_TYPE_SPDM;
		rc = mctp_request_tx(sm->mctp, sm->peer_eid, sm->buf, len + 1);
		if (rc >= 0) {
			sm->tag = (uint8_t)rc;
			sm->in_flight = true;
			sm->counters.tx_requests++;
			return 0;
		}
		sm->counters.tx_errors++;
		step = spdm_requester_timeout(sm->requester);
		if (step != -EAGAIN)
			return rc;
	}
}

/* The outcome of one step of the flow: go on or finish. */
static void flow_step(struct prot_spdm_mctp *sm, int step)
{
	if (step == -EAGAIN) {
		step = send_next(sm);
		if (!step)
			return;
	}
	flow_end(sm, step);
}

static void handle_request(struct prot_spdm_mctp *sm, struct mctp *mctp,
			   const struct mctp_msg_info *info, const uint8_t *msg,
			   size_t len)
{
	size_t rsp_len = SPDM_MCTP_MAX_SPDM;
	int rc;

	if (!sm->responder) {
		sm->counters.drop_no_role++;
		return;
	}
	sm->counters.rx_requests++;
	rc = spdm_responder_handle(sm->responder, msg + 1, len - 1, sm->buf + 1,
				   &rsp_len);
	if (rc < 0) {
		sm->counters.drop_responder++;
		return;
	}
	sm->buf[0] = MCTP_MSG_TYPE_SPDM;
	rc = mctp_response_tx(mctp, info, sm->buf, rsp_len + 1);
	if (rc < 0)
		sm->counters.tx_errors++;
	else
		sm->counters.tx_responses++;
}

static void handle_response(struct prot_spdm_mctp *sm,
			    const struct mctp_msg_info *info,
			    const uint8_t *msg, size_t len)
{
	if (!sm->requester) {
		sm->counters.drop_no_role++;
		return;
	}
	if (!sm->in_flight || info->src_eid != sm->peer_eid ||
	    info->tag != sm->tag) {
		sm->counters.drop_unexpected++;
		return;
	}
	sm->in_flight = false;
	if (info->ic) {
		/* The core has released the tag: no timeout will come for
		 * this request, so count the response as lost now. */
		sm->counters.drop_ic++;
		sm->counters.timeouts++;
		flow_step(sm, spdm_requester_timeout(sm->requester));
		return;
	}
	sm->counters.rx_responses++;
	flow_step(sm, spdm_requester_rx(sm->requester, msg + 1, len - 1));
}

static void spdm_mctp_rx(void *ctx, struct mctp *mctp,
			 const struct mctp_msg_info *info, const uint8_t *msg,
			 size_t len)
{
	struct prot_spdm_mctp *sm = ctx;

	/* The core never delivers an empty message; the check keeps the
	 * len - 1 below safe whatever happens. */
	if (!len)
		return;
	if (info->tag_owner) {
		if (info->ic) {
			sm->counters.drop_ic++;
			return;
		}
		handle_request(sm, mctp, info, msg, len);
	} else {
		handle_response(sm, info, msg, len);
	}
}

static void spdm_mctp_timeout(void *ctx, struct mctp *mctp, uint8_t eid,
			      uint8_t tag)
{
	struct prot_spdm_mctp *sm = ctx;

	(void)mctp;
	if (!sm->in_flight || eid != sm->peer_eid || tag != sm->tag)
		return;
	sm->in_flight = false;
	sm->counters.timeouts++;
	flow_step(sm, spdm_requester_timeout(sm->requester));
}

static const struct mctp_handler_ops spdm_mctp_handler_ops = {
	.rx = spdm_mctp_rx,
	.timeout = spdm_mctp_timeout,
};

int prot_spdm_mctp_init(struct prot_spdm_mctp *sm, struct mctp *mctp,
			struct spdm_responder *responder,
			struct spdm_requester *requester,
			const struct prot_spdm_mctp_ops *ops, void *ctx)
{
	if (!sm || !mctp || (!responder && !requester))
		return -EINVAL;
	memset(sm, 0, sizeof(*sm));
	sm->mctp = mctp;
	sm->responder = responder;
	sm->requester = requester;
	sm->ops = ops;
	sm->ctx = ctx;
	return mctp_register_handler(mctp, MCTP_MSG_TYPE_SPDM,
				     &spdm_mctp_handler_ops, sm);
}

static bool peer_eid_valid(uint8_t eid)
{
	return eid != MCTP_EID_BROADCAST &&
	       (eid == MCTP_EID_NULL || eid >= MCTP_EID_FIRST_VALID);
}

int prot_spdm_mctp_start(struct prot_spdm_mctp *sm, uint8_t eid)
{
	int rc;

	if (!sm || !sm->requester || !peer_eid_valid(eid))
		return -EINVAL;
	if (sm->running)
		return -EBUSY;
	sm->peer_eid = eid;
	sm->running = true;
	rc = send_next(sm);
	if (rc < 0) {
		sm->running = false;
		sm->result = rc;
	}
	return rc;
}

int prot_spdm_mctp_connect(struct prot_spdm_mctp *sm, uint8_t eid)
{
	int rc;

	/* Check everything start() checks before the requester is touched,
	 * so that a refused call leaves no flow behind. */
	if (!sm || !sm->requester || !peer_eid_valid(eid))
		return -EINVAL;
	if (sm->running)
		return -EBUSY;
	rc = spdm_requester_connect(sm->requester);
	if (rc < 0)
		return rc;
	return prot_spdm_mctp_start(sm, eid);
}

bool prot_spdm_mctp_busy(const struct prot_spdm_mctp *sm)
{
	return sm && sm->running;
}

int prot_spdm_mctp_result(const struct prot_spdm_mctp *sm)
{
	return sm ? sm->result : -EINVAL;
}

const struct prot_spdm_mctp_counters *
prot_spdm_mctp_get_counters(const struct prot_spdm_mctp *sm)
{
	return &sm->counters;
}
