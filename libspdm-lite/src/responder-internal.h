/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The responder's request handlers. A handler decodes the request, writes
 * the whole response through @w and only then commits: on any error it
 * returns a negative errno (mapped to the ERROR response by
 * spdm_errno_to_error_code()) and leaves @r untouched.
 */
#ifndef SPDM_SRC_RESPONDER_INTERNAL_H
#define SPDM_SRC_RESPONDER_INTERNAL_H

#include "codec.h"
#include "internal.h"
#include "spdm/responder.h"

void spdm_responder_set_state(struct spdm_responder *r,
			      enum spdm_responder_state state);

/* A provisioned public key (SlotID 0xFF) is configured and PUB_KEY_ID_CAP
 * is among the flags of the negotiated version. */
static inline bool spdm_rsp_has_pubkey(const struct spdm_responder *r)
{
	return r->cfg->provisioned_pubkey_len &&
	       (r->cfg->flags & spdm_rsp_flags_mask(r->conn.version) &
		SPDM_RSP_PUB_KEY_ID_CAP);
}

int spdm_rsp_get_version(struct spdm_responder *r, const uint8_t *req,
			 size_t req_len, struct spdm_writer *w);
int spdm_rsp_get_capabilities(struct spdm_responder *r, const uint8_t *req,
			      size_t req_len, struct spdm_writer *w);
int spdm_rsp_negotiate_algorithms(struct spdm_responder *r, const uint8_t *req,
				  size_t req_len, struct spdm_writer *w);

/* rsp-cert.c: check the configured slots and limit the hashes offered
 * (-EINVAL); forget M1 on a request that ends it, or on a new
 * connection; the two handlers. */
int spdm_rsp_cert_init(struct spdm_responder *r);
void spdm_rsp_cert_on_request(struct spdm_responder *r, uint8_t code);
void spdm_rsp_m1_reset(struct spdm_responder *r);
int spdm_rsp_get_digests(struct spdm_responder *r, const uint8_t *req,
			 size_t req_len, struct spdm_writer *w);
int spdm_rsp_get_certificate(struct spdm_responder *r, const uint8_t *req,
			     size_t req_len, struct spdm_writer *w);

/* rsp-meas.c: discard L1/L2 (and a pending response) on any other
 * request; GET_MEASUREMENTS; RESPOND_IF_READY (-EPERM: nothing pending). */
void spdm_rsp_meas_on_request(struct spdm_responder *r, uint8_t code);
int spdm_rsp_get_measurements(struct spdm_responder *r, const uint8_t *req,
			      size_t req_len, struct spdm_writer *w);
int spdm_rsp_meas_respond_if_ready(struct spdm_responder *r, const uint8_t *req,
				   struct spdm_writer *w);
/* Write measurement block @index at @w as MEASUREMENTS carries it (1: it
 * exists, 0: no such block, or a negative errno); ERROR ResponseNotReady
 * (8 bytes, replacing what @w holds) for request @code and @token. */
int spdm_rsp_meas_write_block(struct spdm_responder *r, struct spdm_writer *w,
			      uint8_t index, bool raw_requested);
void spdm_rsp_write_not_ready(struct spdm_responder *r, struct spdm_writer *w,
			      uint8_t code, uint8_t token);

/* rsp-challenge.c: forget a pending response on another request;
 * CHALLENGE; RESPOND_IF_READY for a pending CHALLENGE_AUTH. */
void spdm_rsp_chal_on_request(struct spdm_responder *r, uint8_t code);
int spdm_rsp_challenge(struct spdm_responder *r, const uint8_t *req,
		       size_t req_len, struct spdm_writer *w);
int spdm_rsp_chal_respond_if_ready(struct spdm_responder *r, const uint8_t *req,
				   struct spdm_writer *w);

#endif
