/* SPDX-License-Identifier: Apache-2.0 */
/* Requester framework: configuration, the step API, retries on Busy and
 * timeouts, resynchronisation and ERROR responses. The flows' messages
 * live in req-*.c. */
#include <errno.h>
#include <string.h>

#include "internal.h"
#include "log.h"
#include "requester-internal.h"

int spdm_requester_init(struct spdm_requester *q,
			const struct spdm_requester_config *cfg,
			const struct spdm_crypto_ops *crypto, void *crypto_ctx)
{
	uint8_t mask;
	uint32_t flags;

	if (!q || !cfg || !crypto || !crypto->hash_algos || !crypto->asym_algos)
		return -EINVAL;
	memset(q, 0, sizeof(*q));
	if (spdm_version_mask(cfg->versions, cfg->n_versions, &mask))
		return -EINVAL;
	flags = cfg->flags;
	/* Chunking (CHUNK_SEND/CHUNK_GET) is not implemented. */
	if ((flags & (~SPDM_REQ_FLAGS_13 | SPDM_REQ_CHUNK_CAP)) ||
	    !spdm_flags_valid(flags, SPDM_VERSION_13, false))
		return -EINVAL;
	if ((mask & 0xCu) &&
	    (cfg->data_transfer_size < SPDM_MIN_DATA_TRANSFER_SIZE ||
	     cfg->max_spdm_msg_size < cfg->data_transfer_size ||
	     cfg->max_spdm_msg_size > SPDM_MAX_MSG_SIZE ||
	     cfg->data_transfer_size != cfg->max_spdm_msg_size))
		return -EINVAL;
	if (cfg->other_params_support > SPDM_OPAQUE_DATA_FMT_1 ||
	    cfg->measurement_specification & ~SPDM_MEASUREMENT_SPEC_DMTF)
		return -EINVAL;
	q->offer_hash = cfg->base_hash_algo &
			spdm_crypto_hash_bits(crypto, crypto_ctx);
	q->offer_asym = cfg->base_asym_algo &
			spdm_crypto_asym_bits(crypto, crypto_ctx);
	q->offer_req_asym =
		(uint16_t)(cfg->req_base_asym_alg &
			   spdm_crypto_asym_bits(crypto, crypto_ctx));
	if (!q->offer_hash || !q->offer_asym)
		return -EINVAL;
	q->cfg = cfg;
	q->crypto = crypto;
	q->crypto_ctx = crypto_ctx;
	q->version_mask = mask;
	q->state = SPDM_REQUESTER_STATE_IDLE;
	return 0;
}

static bool flow_running(const struct spdm_requester *q)
{
	return q->state != SPDM_REQUESTER_STATE_IDLE &&
	       q->state != SPDM_REQUESTER_STATE_NEGOTIATED;
}

/* The one place the state changes: a flow starts from IDLE or NEGOTIATED
 * (or restarts on RequestResynch), moves one step at a time, and any
 * failure returns to IDLE. */
void spdm_requester_set_state(struct spdm_requester *q,
			      enum spdm_requester_state state)
{
	if (state != SPDM_REQUESTER_STATE_IDLE &&
	    state != SPDM_REQUESTER_STATE_GET_VERSION &&
	    (unsigned int)state != (unsigned int)q->state + 1u &&
	    /* flows on a negotiated connection start from NEGOTIATED and
	     * come back to it */
	    !(state >= SPDM_REQUESTER_STATE_NEGOTIATED &&
	      q->state >= SPDM_REQUESTER_STATE_NEGOTIATED))
		state = SPDM_REQUESTER_STATE_IDLE; /* never reached */
	if (state <= SPDM_REQUESTER_STATE_GET_VERSION) {
		memset(&q->conn, 0, sizeof(q->conn));
		spdm_transcript_reset(&q->vca);
		spdm_req_cert_forget(q);
		spdm_req_chal_forget(q);
	}
	if (state != q->state) {
		spdm_log(q->cfg, SPDM_LOG_INFO, "requester: state %u -> %u",
			 (unsigned int)q->state, (unsigned int)state);
		q->retries = 0;
	}
	q->state = state;
	q->in_flight = false;
	q->rif_pending = false;
}

int spdm_requester_connect(struct spdm_requester *q)
{
	if (!q || !q->cfg)
		return -EINVAL;
	if (flow_running(q))
		return -EBUSY;
	spdm_requester_set_state(q, SPDM_REQUESTER_STATE_IDLE);
	spdm_requester_set_state(q, SPDM_REQUESTER_STATE_GET_VERSION);
	q->resynchs = 0;
	q->error_code = 0;
	q->flow_lost = false;
	return 0;
}

int spdm_requester_next(struct spdm_requester *q, uint8_t *req, size_t *req_len)
{
	struct spdm_writer w;
	int err;

	if (!q || !req || !req_len || !flow_running(q))
		return -EINVAL;
	if (q->in_flight)
		return -EBUSY;
	if (q->rif_pending) {
		/* RESPOND_IF_READY; q->req keeps the request it collects. */
		if (*req_len < SPDM_HEADER_SIZE)
			return -EMSGSIZE;
		req[0] = q->req[0];
		req[1] = SPDM_RESPOND_IF_READY;
		req[2] = q->req[1];
		req[3] = q->rif_token;
		*req_len = SPDM_HEADER_SIZE;
		q->in_flight = true;
		return 0;
	}
	spdm_writer_init(&w, q->req, sizeof(q->req));
	switch (q->state) {
	case SPDM_REQUESTER_STATE_GET_DIGESTS:
	case SPDM_REQUESTER_STATE_GET_CERTIFICATE:
		err = spdm_req_cert_build(q, &w);
		break;
	case SPDM_REQUESTER_STATE_MEASUREMENTS:
		err = spdm_req_meas_build(q, &w);
		break;
	case SPDM_REQUESTER_STATE_CHALLENGE:
		err = spdm_req_chal_build(q, &w);
		break;
	default:
		err = spdm_req_vca_build(q, &w);
		break;
	}
	if (err)
		return err;
	spdm_req_cert_on_request(q, q->req[1]);
	if (*req_len < w.pos)
		return -EMSGSIZE;
	q->req_len = (uint8_t)w.pos;
	memcpy(req, q->req, w.pos);
	*req_len = w.pos;
	q->in_flight = true;
	return 0;
}

static int fail(struct spdm_requester *q, int err)
{
	spdm_log(q->cfg, SPDM_LOG_DEBUG, "requester: flow failed (%d)", err);
	q->flow_lost = false;
	spdm_requester_set_state(q, SPDM_REQUESTER_STATE_IDLE);
	return err;
}

static int rx_error(struct spdm_requester *q, const uint8_t *rsp,
		    size_t rsp_len)
{
	spdm_log(q->cfg, SPDM_LOG_DEBUG,
		 "requester: ERROR 0x%x to request 0x%x", (unsigned int)rsp[2],
		 (unsigned int)q->req[1]);
	q->error_code = rsp[2];
	q->error_data = rsp[3];
	switch (rsp[2]) {
	case SPDM_ERROR_BUSY:
		if (++q->retries > SPDM_REQUESTER_MAX_RETRIES)
			return fail(q, -EBUSY);
		return -EAGAIN;
	case SPDM_ERROR_RESPONSE_NOT_READY:
		/* Extended data: RDTExponent, RequestCode, Token, RDTM. The
		 * VCA requests are always answered at once. */
		if (q->req[1] == SPDM_GET_VERSION ||
		    q->req[1] == SPDM_GET_CAPABILITIES ||
		    q->req[1] == SPDM_NEGOTIATE_ALGORITHMS)
			return fail(q, -EPROTO);
		if (rsp_len != SPDM_ERROR_SIZE + 4 || rsp[5] != q->req[1])
			return fail(q, -EBADMSG);
		if (++q->retries > SPDM_REQUESTER_MAX_RETRIES)
			return fail(q, -EBUSY);
		q->rif_pending = true;
		q->rif_token = rsp[6];
		return -EAGAIN;
	case SPDM_ERROR_REQUEST_RESYNCH:
		if (++q->resynchs > SPDM_REQUESTER_MAX_RESYNCH)
			return fail(q, -EPROTO);
		/* The new connection will not finish the flow it interrupted:
		 * say so when it is negotiated rather than report success. */
		if (q->state > SPDM_REQUESTER_STATE_NEGOTIATED)
			q->flow_lost = true;
		spdm_requester_set_state(q, SPDM_REQUESTER_STATE_GET_VERSION);
		q->retries = 0;
		return -EAGAIN;
	default:
		return fail(q, -EPROTO);
	}
}

int spdm_requester_rx(struct spdm_requester *q, const uint8_t *rsp,
		      size_t rsp_len)
{
	int err;

	if (!q || (!rsp && rsp_len) || !q->in_flight)
		return -EINVAL;
	q->in_flight = false;
	q->rif_pending = false;
	if (rsp_len < SPDM_HEADER_SIZE)
		return fail(q, -EBADMSG);
	/* Every response, ERROR included, comes at the request's version
	 * (GET_VERSION: 1.0). */
	if (rsp[0] != q->req[0])
		return fail(q, -EBADMSG);
	if (rsp[1] == SPDM_ERROR)
		return rx_error(q, rsp, rsp_len);
	switch (q->state) {
	case SPDM_REQUESTER_STATE_GET_DIGESTS:
	case SPDM_REQUESTER_STATE_GET_CERTIFICATE:
		err = spdm_req_cert_parse(q, rsp, rsp_len);
		break;
	case SPDM_REQUESTER_STATE_MEASUREMENTS:
		err = spdm_req_meas_parse(q, rsp, rsp_len);
		break;
	case SPDM_REQUESTER_STATE_CHALLENGE:
		err = spdm_req_chal_parse(q, rsp, rsp_len);
		break;
	default:
		err = spdm_req_vca_parse(q, rsp, rsp_len);
		break;
	}
	if (err && err != -EAGAIN)
		return fail(q, err);
	if (!err && q->flow_lost) {
		q->flow_lost = false;
		return -ECONNRESET;
	}
	return err;
}

int spdm_requester_timeout(struct spdm_requester *q)
{
	if (!q || !q->in_flight)
		return -EINVAL;
	q->in_flight = false;
	if (++q->retries > SPDM_REQUESTER_MAX_RETRIES)
		return fail(q, -ETIMEDOUT);
	return -EAGAIN;
}

bool spdm_requester_error(const struct spdm_requester *q, uint8_t *code,
			  uint8_t *data)
{
	if (!q || !q->error_code)
		return false;
	if (code)
		*code = q->error_code;
	if (data)
		*data = q->error_data;
	return true;
}

const struct spdm_connection_info *
spdm_requester_connection(const struct spdm_requester *q)
{
	if (!q || q->state != SPDM_REQUESTER_STATE_NEGOTIATED)
		return NULL;
	return &q->conn;
}

const uint8_t *spdm_requester_vca(const struct spdm_requester *q, size_t *len)
{
	*len = q->vca.len;
	return q->vca.buf;
}
