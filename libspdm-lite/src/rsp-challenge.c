/* SPDX-License-Identifier: Apache-2.0 */
/* Responder: CHALLENGE and CHALLENGE_AUTH (DSP0274 "CHALLENGE request and
 * CHALLENGE_AUTH response"): the measurement summary hash, the signature
 * over M1/M2, and ResponseNotReady / RESPOND_IF_READY for a busy signer. */
#include <errno.h>
#include <string.h>

#include "cert-internal.h"
#include "internal.h"
#include "meas-internal.h"
#include "responder-internal.h"

#define ERROR_NOT_READY_SIZE 8u
#define MEAS_MAX_INDEX 0xFEu

static const char chal_context[] = "responder-challenge_auth signing";

void spdm_rsp_chal_on_request(struct spdm_responder *r, uint8_t code)
{
	if (code != SPDM_RESPOND_IF_READY)
		r->chal.pending = false;
}

/* MeasurementSummaryHash (spdm/challenge.h): each block is produced in
 * the unused end of the response buffer, hashed if it belongs, and
 * overwritten by the next one.
 *
 * The hash state is the one of L1/L2 (r->meas.l), to save a state in
 * struct spdm_responder. The two are never live together:
 * - this hash lives only inside this call (started here, finalised or
 *   aborted before it returns); a pending CHALLENGE_AUTH keeps the
 *   signed body and digest (r->chal), never this state;
 * - L1/L2 lives only from one GET_MEASUREMENTS to the next:
 *   spdm_rsp_meas_on_request() aborts it before the handler of any other
 *   request (CHALLENGE and RESPOND_IF_READY included) runs, and a signed
 *   MEASUREMENTS finalises it before a ResponseNotReady; so it is never
 *   active during a CHALLENGE.
 * The other states cannot be borrowed: M1/M2 (r->cert.m1) runs through
 * this request, and the block digests use r->meas.scratch while this
 * hash is open (spdm_rsp_meas_write_block()).
 * The reset below is a no-op under that invariant; should it ever break,
 * L1/L2 is abandoned (its signature will not verify) instead of being
 * overwritten while it runs. */
static int summary_hash(struct spdm_responder *r, uint8_t type,
			const struct spdm_writer *w, uint8_t *out)
{
	const struct spdm_measurement_ops *ops = r->cfg->measurement_ops;
	const struct spdm_crypto_ops *c = r->crypto;
	struct spdm_hash_state *h = &r->meas.l;
	struct spdm_writer s;
	unsigned int index, found = 0;
	int count, err;

	count = ops->count(r->cfg->measurement_ctx);
	if (count < 0 || count > (int)MEAS_MAX_INDEX)
		return -EIO;
	spdm_meas_l_reset(c, r->crypto_ctx, &r->meas.l_active, h);
	if (c->hash_init(r->crypto_ctx, h, r->conn.hash))
		return -EIO;
	for (index = 1; index <= MEAS_MAX_INDEX && found < (unsigned)count;
	     index++) {
		spdm_writer_init(&s, w->buf + w->pos, w->cap - w->pos);
		err = spdm_rsp_meas_write_block(r, &s, (uint8_t)index, false);
		if (err < 0)
			goto fail;
		if (!err)
			continue;
		found++;
		if (type != SPDM_CHAL_SUMMARY_ALL &&
		    (s.buf[4] & 0x7Fu) != SPDM_MEAS_TYPE_IMMUTABLE_ROM)
			continue;
		err = c->hash_update(r->crypto_ctx, h, s.buf, s.pos);
		if (err) {
			err = -EIO;
			goto fail;
		}
	}
	return c->hash_final(r->crypto_ctx, h, out) ? -EIO : 0;
fail:
	c->hash_abort(r->crypto_ctx, h);
	return err;
}

/* Sign r->chal.digest into @sig; -EAGAIN turns the answer into
 * ResponseNotReady (pending). */
static int sign_response(struct spdm_responder *r, struct spdm_writer *w,
			 uint8_t *sig, size_t sig_len, bool again)
{
	int err = r->crypto->sign(r->crypto_ctx, r->chal.slot, r->conn.asym,
				  r->chal.digest, spdm_hash_size(r->conn.hash),
				  sig, sig_len);

	if (err == -EAGAIN) {
		if (!again) {
			r->chal.token = ++r->chal.next_token;
			r->chal.pending = true;
		}
		if (w->cap < ERROR_NOT_READY_SIZE) {
			r->chal.pending = false;
			return -EMSGSIZE;
		}
		spdm_rsp_write_not_ready(r, w, SPDM_CHALLENGE, r->chal.token);
		return 0;
	}
	r->chal.pending = false;
	return err ? -EIO : 0;
}

/* OpaqueDataLength, OpaqueData (spdm_responder_config) and the 1.3
 * RequesterContext: what follows the part kept in r->chal.body. */
static void write_tail(struct spdm_responder *r, struct spdm_writer *w)
{
	size_t n = spdm_opaque_to_send(&r->conn, r->cfg->opaque_data_format,
				       r->cfg->opaque_challenge_auth_len);

	spdm_write_le16(w, (uint16_t)n);
	spdm_write_bytes(w, r->cfg->opaque_challenge_auth, n);
	if (r->conn.version >= SPDM_VERSION_13)
		spdm_write_bytes(w, r->chal.context,
				 SPDM_REQUESTER_CONTEXT_SIZE);
}

static int challenge(struct spdm_responder *r, const uint8_t *req,
		     size_t req_len, struct spdm_writer *w)
{
	const struct spdm_responder_config *cfg = r->cfg;
	const struct spdm_crypto_ops *c = r->crypto;
	uint32_t flags = cfg->flags & spdm_rsp_flags_mask(r->conn.version);
	uint8_t v = r->conn.version, slot, type, th[SPDM_MAX_HASH_SIZE];
	uint8_t summary[SPDM_MAX_HASH_SIZE], *p, *sig;
	const uint8_t *chain;
	size_t hlen = spdm_hash_size(r->conn.hash), sig_len, body, chain_len;
	int err;

	if (!(flags & SPDM_RSP_CHAL_CAP) ||
	    (!r->cert.provisioned && !cfg->provisioned_pubkey_len))
		return -EOPNOTSUPP;
	if (r->state != SPDM_RESPONDER_STATE_NEGOTIATED)
		return -EPERM;
	if (req[0] != v)
		return -EPROTO;
	if (req_len != (v >= SPDM_VERSION_13 ? SPDM_CHALLENGE_SIZE_13
					     : SPDM_CHALLENGE_SIZE))
		return -EBADMSG;
	slot = req[2];
	type = req[3];
	if (slot == SPDM_PROVISIONED_KEY_SLOT
		    ? !spdm_rsp_has_pubkey(r)
		    : slot >= SPDM_MAX_SLOTS ||
			      !(r->cert.provisioned & (1u << slot)))
		return -EBADMSG;
	if (type != SPDM_CHAL_SUMMARY_NONE && type != SPDM_CHAL_SUMMARY_TCB &&
	    type != SPDM_CHAL_SUMMARY_ALL)
		return -EBADMSG;
	if (type != SPDM_CHAL_SUMMARY_NONE &&
	    (!(flags & SPDM_RSP_MEAS_CAP_MASK) || !cfg->measurement_ops ||
	     !r->conn.measurement_specification ||
	     !r->conn.measurement_hash_algo))
		return -EBADMSG;
	sig_len = spdm_sig_size(r->conn.asym);
	if (!sig_len || !hlen || !c->sign || !c->random || !c->hash_init ||
	    !c->hash_update || !c->hash_final || !c->hash_abort)
		return -EIO;
	r->chal.slot = slot;

	spdm_write_u8(w, v);
	spdm_write_u8(w, SPDM_CHALLENGE_AUTH);
	/* Param1: the slot (0xF for the provisioned key), BasicMutAuthReq
	 * 0; Param2: the slots holding a chain, 0 for the provisioned key
	 * (as DMTF's libspdm). CertChainHash: H(chain), or H(the public key
	 * as provisioned). */
	spdm_write_u8(w, slot & SPDM_CHAL_AUTH_SLOT_MASK);
	if (slot == SPDM_PROVISIONED_KEY_SLOT) {
		spdm_write_u8(w, 0);
		chain = cfg->provisioned_pubkey;
		chain_len = cfg->provisioned_pubkey_len;
	} else {
		spdm_write_u8(w, r->cert.provisioned);
		chain = cfg->cert_slots[slot].chain;
		chain_len = cfg->cert_slots[slot].len;
	}
	p = spdm_write_space(w, hlen);
	if (p &&
	    spdm_hash_buf(c, r->crypto_ctx, r->conn.hash, chain, chain_len, p))
		return -EIO;
	p = spdm_write_space(w, SPDM_NONCE_SIZE);
	if (p && c->random(r->crypto_ctx, p, SPDM_NONCE_SIZE))
		return -EIO;
	err = spdm_writer_status(w);
	if (err)
		return err;
	if (type != SPDM_CHAL_SUMMARY_NONE) {
		err = summary_hash(r, type, w, summary);
		if (err)
			return err;
		spdm_write_bytes(w, summary, hlen);
	}
	if (w->pos > sizeof(r->chal.body))
		return -EIO; /* not reached: see SPDM_CHAL_AUTH_BODY_MAX */
	memcpy(r->chal.body, w->buf, w->pos);
	r->chal.body_len = (uint8_t)w->pos;
	if (v >= SPDM_VERSION_13)
		memcpy(r->chal.context,
		       req + SPDM_HEADER_SIZE + SPDM_NONCE_SIZE,
		       SPDM_REQUESTER_CONTEXT_SIZE);
	write_tail(r, w);
	body = w->pos;
	sig = spdm_write_space(w, sig_len);
	err = spdm_writer_status(w);
	if (err)
		return err;

	/* M1/M2 ends here: message A, [B], this exchange without the
	 * signature. */
	if (spdm_running_hash_add(c, r->crypto_ctx, &r->cert.m1, r->conn.hash,
				  &r->vca, req, req_len, w->buf, body))
		return -EIO;
	r->cert.m1.started = false;
	if (c->hash_final(r->crypto_ctx, &r->cert.m1.state, th) ||
	    spdm_signing_digest(c, r->crypto_ctx, r->conn.hash, v, chal_context,
				th, r->chal.digest))
		return -EIO;
	return sign_response(r, w, sig, sig_len, false);
}

int spdm_rsp_challenge(struct spdm_responder *r, const uint8_t *req,
		       size_t req_len, struct spdm_writer *w)
{
	int err = challenge(r, req, req_len, w);

	/* Any CHALLENGE ends M1/M2, whatever the answer. */
	spdm_rsp_m1_reset(r);
	return err;
}

int spdm_rsp_chal_respond_if_ready(struct spdm_responder *r, const uint8_t *req,
				   struct spdm_writer *w)
{
	size_t sig_len = spdm_sig_size(r->conn.asym);
	uint8_t *sig;
	int err;

	if (!r->chal.pending || r->state != SPDM_RESPONDER_STATE_NEGOTIATED)
		return -EPERM;
	if (req[2] != SPDM_CHALLENGE || req[3] != r->chal.token)
		return -EBADMSG;
	spdm_write_bytes(w, r->chal.body, r->chal.body_len);
	write_tail(r, w);
	sig = spdm_write_space(w, sig_len);
	err = spdm_writer_status(w);
	if (err) {
		r->chal.pending = false;
		return err;
	}
	return sign_response(r, w, sig, sig_len, true);
}
