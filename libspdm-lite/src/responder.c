/* SPDX-License-Identifier: Apache-2.0 */
/* Responder framework: configuration, dispatch by request code, the state
 * machine and ERROR responses. The handlers live in rsp-*.c. */
#include <errno.h>
#include <string.h>

#include "internal.h"
#include "log.h"
#include "responder-internal.h"

static int rsp_respond_if_ready(struct spdm_responder *r, const uint8_t *req,
				size_t req_len, struct spdm_writer *w);

static const struct {
	uint8_t code;
	int (*fn)(struct spdm_responder *r, const uint8_t *req, size_t req_len,
		  struct spdm_writer *w);
} handlers[] = {
	{SPDM_GET_VERSION, spdm_rsp_get_version},
	{SPDM_GET_CAPABILITIES, spdm_rsp_get_capabilities},
	{SPDM_NEGOTIATE_ALGORITHMS, spdm_rsp_negotiate_algorithms},
	{SPDM_GET_DIGESTS, spdm_rsp_get_digests},
	{SPDM_GET_CERTIFICATE, spdm_rsp_get_certificate},
	{SPDM_GET_MEASUREMENTS, spdm_rsp_get_measurements},
	{SPDM_CHALLENGE, spdm_rsp_challenge},
	{SPDM_RESPOND_IF_READY, rsp_respond_if_ready},
};

/* One opaque data configuration: bounded, present when a length is
 * given, of the declared format. */
static bool opaque_ok(const uint8_t *p, size_t len, uint8_t format)
{
	return !len || (p && len <= SPDM_MAX_OPAQUE_SIZE &&
			(format == SPDM_OPAQUE_DATA_FMT_0 ||
			 (format == SPDM_OPAQUE_DATA_FMT_1 &&
			  spdm_opaque_fmt1_valid(p, len))));
}

int spdm_responder_init(struct spdm_responder *r,
			const struct spdm_responder_config *cfg,
			const struct spdm_crypto_ops *crypto, void *crypto_ctx)
{
	uint8_t mask, top;
	uint32_t flags;

	if (!r || !cfg || !crypto || !crypto->hash_algos || !crypto->asym_algos)
		return -EINVAL;
	memset(r, 0, sizeof(*r));
	if (spdm_version_mask(cfg->versions, cfg->n_versions, &mask))
		return -EINVAL;
	top = (uint8_t)(SPDM_VERSION_10 + (mask & 8u   ? 3
					   : mask & 4u ? 2
					   : mask & 2u ? 1
						       : 0));
	flags = cfg->flags;
	/* Chunking (CHUNK_SEND/CHUNK_GET) is not implemented. */
	if ((flags & (~SPDM_RSP_FLAGS_13 | SPDM_RSP_CHUNK_CAP)) ||
	    !spdm_flags_valid(flags & spdm_rsp_flags_mask(top), top, true))
		return -EINVAL;
	if (top >= SPDM_VERSION_12 &&
	    (cfg->data_transfer_size < SPDM_MIN_DATA_TRANSFER_SIZE ||
	     cfg->max_spdm_msg_size < cfg->data_transfer_size ||
	     cfg->max_spdm_msg_size > SPDM_MAX_MSG_SIZE ||
	     cfg->data_transfer_size != cfg->max_spdm_msg_size))
		return -EINVAL;
	r->cfg = cfg;
	r->crypto = crypto;
	r->crypto_ctx = crypto_ctx;
	r->version_mask = mask;
	r->offer_hash = cfg->base_hash_algo &
			spdm_crypto_hash_bits(crypto, crypto_ctx);
	r->offer_asym = cfg->base_asym_algo &
			spdm_crypto_asym_bits(crypto, crypto_ctx);
	r->offer_meas_hash = cfg->measurement_hash_algo &
			     spdm_meas_hash_from_base(
				     spdm_crypto_hash_bits(crypto, crypto_ctx));
	r->offer_req_asym =
		(uint16_t)(cfg->req_base_asym_alg &
			   spdm_crypto_asym_bits(crypto, crypto_ctx));
	if ((flags & SPDM_RSP_MEAS_CAP_MASK) &&
	    (!(cfg->measurement_specification & SPDM_MEASUREMENT_SPEC_DMTF) ||
	     !r->offer_meas_hash))
		return -EINVAL;
	if (spdm_rsp_cert_init(r) ||
	    !opaque_ok(cfg->opaque_challenge_auth,
		       cfg->opaque_challenge_auth_len,
		       cfg->opaque_data_format) ||
	    !opaque_ok(cfg->opaque_measurements, cfg->opaque_measurements_len,
		       cfg->opaque_data_format) ||
	    cfg->provisioned_pubkey_len > SPDM_MAX_OPAQUE_SIZE ||
	    (cfg->provisioned_pubkey_len && !cfg->provisioned_pubkey))
		return -EINVAL;
	r->state = SPDM_RESPONDER_STATE_IDLE;
	return 0;
}

/* The one place the state changes. GET_VERSION may restart from any
 * state; otherwise the connection only moves one step forward. */
void spdm_responder_set_state(struct spdm_responder *r,
			      enum spdm_responder_state state)
{
	if (state != SPDM_RESPONDER_STATE_IDLE &&
	    state != SPDM_RESPONDER_STATE_AFTER_VERSION &&
	    (unsigned int)state != (unsigned int)r->state + 1u)
		state = SPDM_RESPONDER_STATE_IDLE; /* never reached */
	if (state <= SPDM_RESPONDER_STATE_AFTER_VERSION) {
		memset(&r->conn, 0, sizeof(r->conn));
		spdm_rsp_m1_reset(r);
	}
	if (state != r->state)
		spdm_log(r->cfg, SPDM_LOG_INFO, "responder: state %u -> %u",
			 (unsigned int)r->state, (unsigned int)state);
	r->state = state;
}

/* Only a signed MEASUREMENTS (rsp-meas.c) or CHALLENGE_AUTH
 * (rsp-challenge.c) response can be left pending; otherwise a
 * RESPOND_IF_READY has nothing to collect. */
static int rsp_respond_if_ready(struct spdm_responder *r, const uint8_t *req,
				size_t req_len, struct spdm_writer *w)
{
	(void)w;
	if (r->state >= SPDM_RESPONDER_STATE_AFTER_CAPABILITIES &&
	    req[0] != r->conn.version)
		return -EPROTO;
	if (req_len != SPDM_HEADER_SIZE)
		return -EBADMSG;
	if (r->chal.pending)
		return spdm_rsp_chal_respond_if_ready(r, req, w);
	return spdm_rsp_meas_respond_if_ready(r, req, w);
}

static uint8_t error_version(const struct spdm_responder *r, uint8_t req_ver)
{
	if (r->state >= SPDM_RESPONDER_STATE_AFTER_CAPABILITIES)
		return r->conn.version;
	if (spdm_version_known(req_ver) &&
	    (r->version_mask & (1u << (req_ver - SPDM_VERSION_10))))
		return req_ver;
	return SPDM_VERSION_10;
}

/* Once a 1.2+ requester has given its DataTransferSize, no response may
 * exceed it (chunking is not implemented). */
static size_t response_limit(const struct spdm_responder *r, size_t cap)
{
	uint32_t dts = r->conn.peer_data_transfer_size;

	if (r->state >= SPDM_RESPONDER_STATE_AFTER_CAPABILITIES &&
	    r->conn.version >= SPDM_VERSION_12 && dts < cap)
		return dts;
	return cap;
}

int spdm_responder_handle(struct spdm_responder *r, const uint8_t *req,
			  size_t req_len, uint8_t *rsp, size_t *rsp_len)
{
	struct spdm_writer w;
	uint8_t code = 0, version = 0, error, data = 0;
	size_t i, len = SPDM_ERROR_SIZE;
	uint32_t want = 0;
	int err = -EBADMSG;

	if (!r || !r->cfg || (!req && req_len) || !rsp || !rsp_len)
		return -EINVAL;
	if (*rsp_len < SPDM_ERROR_SIZE)
		return -EMSGSIZE;
	if (req_len >= SPDM_HEADER_SIZE) {
		version = req[0];
		code = req[1];
		err = -EOPNOTSUPP;
		spdm_rsp_cert_on_request(r, code);
		spdm_rsp_meas_on_request(r, code);
		spdm_rsp_chal_on_request(r, code);
		for (i = 0; i < sizeof(handlers) / sizeof(handlers[0]); i++) {
			if (handlers[i].code != code)
				continue;
			spdm_writer_init(&w, rsp, response_limit(r, *rsp_len));
			err = handlers[i].fn(r, req, req_len, &w);
			if (!err) {
				*rsp_len = w.pos;
				return 0;
			}
			if (err == -EMSGSIZE && w.want > w.cap &&
			    w.cap < *rsp_len)
				want = (uint32_t)w.want;
			break;
		}
	}
	error = spdm_errno_to_error_code(err);
	if (err == -EOPNOTSUPP)
		data = code;
	/* ResponseTooLarge carries the size of the response. */
	if (want && *rsp_len >= SPDM_ERROR_SIZE + 4) {
		error = SPDM_ERROR_RESPONSE_TOO_LARGE;
		rsp[4] = (uint8_t)want;
		rsp[5] = (uint8_t)(want >> 8);
		rsp[6] = (uint8_t)(want >> 16);
		rsp[7] = (uint8_t)(want >> 24);
		len += 4;
	}
	spdm_log(r->cfg, SPDM_LOG_DEBUG,
		 "responder: request 0x%x refused: error 0x%x",
		 (unsigned int)code, (unsigned int)error);
	rsp[0] = error_version(r, version);
	rsp[1] = SPDM_ERROR;
	rsp[2] = error;
	rsp[3] = data;
	*rsp_len = len;
	return 0;
}

const struct spdm_connection_info *
spdm_responder_connection(const struct spdm_responder *r)
{
	if (!r || r->state != SPDM_RESPONDER_STATE_NEGOTIATED)
		return NULL;
	return &r->conn;
}

const uint8_t *spdm_responder_vca(const struct spdm_responder *r, size_t *len)
{
	*len = r->vca.len;
	return r->vca.buf;
}
