/* SPDX-License-Identifier: Apache-2.0 */
/* Requester, challenge flow: CHALLENGE, the checks on CHALLENGE_AUTH
 * (DSP0274 "CHALLENGE request and CHALLENGE_AUTH response"), the end of
 * M1/M2 and the signature; the attestation verdict. */
#include <errno.h>
#include <string.h>

#include "cert-internal.h"
#include "internal.h"
#include "meas-internal.h"
#include "requester-internal.h"

static const char chal_context[] = "responder-challenge_auth signing";

void spdm_req_chal_forget(struct spdm_requester *q)
{
	q->chal.digest_given = false;
	q->chal.from_chain = false;
	memset(&q->chal.result, 0, sizeof(q->chal.result));
}

int spdm_requester_set_peer_chain_digest(struct spdm_requester *q, uint8_t slot,
					 const uint8_t *digest, size_t len)
{
	if (!q || !q->cfg || !digest ||
	    (slot >= SPDM_SLOT_COUNT && slot != SPDM_PROVISIONED_KEY_SLOT))
		return -EINVAL;
	if (q->state != SPDM_REQUESTER_STATE_NEGOTIATED)
		return -EPERM;
	if (!len || len != spdm_hash_size(q->conn.hash))
		return -EINVAL;
	memcpy(q->chal.given, digest, len);
	q->chal.given_slot = slot;
	q->chal.digest_given = true;
	return 0;
}

int spdm_requester_challenge(struct spdm_requester *q, uint8_t slot,
			     uint8_t summary_type)
{
	const struct spdm_crypto_ops *c;
	size_t hlen;
	uint8_t v;

	if (!q || !q->cfg ||
	    (slot >= SPDM_SLOT_COUNT && slot != SPDM_PROVISIONED_KEY_SLOT) ||
	    (summary_type != SPDM_CHAL_SUMMARY_NONE &&
	     summary_type != SPDM_CHAL_SUMMARY_TCB &&
	     summary_type != SPDM_CHAL_SUMMARY_ALL))
		return -EINVAL;
	if (q->state != SPDM_REQUESTER_STATE_NEGOTIATED)
		return q->state == SPDM_REQUESTER_STATE_IDLE ? -EPERM : -EBUSY;
	c = q->crypto;
	v = q->conn.version;
	hlen = spdm_hash_size(q->conn.hash);
	if (!(q->conn.peer_flags & SPDM_RSP_CHAL_CAP) ||
	    (summary_type != SPDM_CHAL_SUMMARY_NONE &&
	     !(q->conn.peer_flags & SPDM_RSP_MEAS_CAP_MASK)) ||
	    (slot == SPDM_PROVISIONED_KEY_SLOT &&
	     !(q->conn.peer_flags & SPDM_RSP_PUB_KEY_ID_CAP)))
		return -EOPNOTSUPP;
	if (!c->hash_init || !c->hash_update || !c->hash_final ||
	    !c->hash_abort || !c->random || !c->verify || !hlen)
		return -EOPNOTSUPP;
	if (!q->cert.pubkey_len)
		return -EPERM;
	/* The CertChainHash to expect, and whether the key is that chain's
	 * leaf key. Slot 0xFF: H(the provisioned key), the one given with
	 * spdm_requester_set_peer_chain_digest() (e.g. of the key's DER
	 * form) or else of the key set with spdm_requester_set_peer_pubkey(). */
	if (q->chal.digest_given && q->chal.given_slot == slot &&
	    slot == SPDM_PROVISIONED_KEY_SLOT) {
		memcpy(q->chal.expected, q->chal.given, hlen);
		q->chal.from_chain = false;
	} else if (slot == SPDM_PROVISIONED_KEY_SLOT) {
		if (spdm_hash_buf(c, q->crypto_ctx, q->conn.hash,
				  q->cert.pubkey, q->cert.pubkey_len,
				  q->chal.expected))
			return -EIO;
		q->chal.from_chain = false;
	} else if (q->cert.verdict == SPDM_VERIFIED) {
		if (q->cert.slot != slot)
			return -EPERM;
		memcpy(q->chal.expected, q->cert.digest, hlen);
		q->chal.from_chain = true;
	} else if (q->chal.digest_given && q->chal.given_slot == slot) {
		memcpy(q->chal.expected, q->chal.given, hlen);
		q->chal.from_chain = false;
	} else {
		return -EPERM;
	}
	if (c->random(q->crypto_ctx, q->chal.nonce, SPDM_NONCE_SIZE) ||
	    (v >= SPDM_VERSION_13 && c->random(q->crypto_ctx, q->chal.context,
					       SPDM_REQUESTER_CONTEXT_SIZE)))
		return -EIO;
	q->chal.slot = slot;
	q->chal.summary_type = summary_type;
	memset(&q->chal.result, 0, sizeof(q->chal.result));
	spdm_requester_set_state(q, SPDM_REQUESTER_STATE_CHALLENGE);
	q->error_code = 0;
	return 0;
}

int spdm_req_chal_build(struct spdm_requester *q, struct spdm_writer *w)
{
	uint8_t v = q->conn.version;

	spdm_write_u8(w, v);
	spdm_write_u8(w, SPDM_CHALLENGE);
	spdm_write_u8(w, q->chal.slot);
	spdm_write_u8(w, q->chal.summary_type);
	spdm_write_bytes(w, q->chal.nonce, SPDM_NONCE_SIZE);
	if (v >= SPDM_VERSION_13)
		spdm_write_bytes(w, q->chal.context,
				 SPDM_REQUESTER_CONTEXT_SIZE);
	return spdm_writer_status(w);
}

static int parse(struct spdm_requester *q, const uint8_t *rsp, size_t rsp_len)
{
	const struct spdm_crypto_ops *c = q->crypto;
	struct spdm_challenge_result *res = &q->chal.result;
	uint8_t v = q->conn.version, slot = q->chal.slot, param1, param2;
	uint8_t th[SPDM_MAX_HASH_SIZE], digest[SPDM_MAX_HASH_SIZE];
	const uint8_t *chain_hash, *nonce, *summary = NULL, *ctx = NULL, *sig;
	const uint8_t *opaque;
	size_t hlen = spdm_hash_size(q->conn.hash);
	size_t sig_len = spdm_sig_size(q->conn.asym);
	bool want_summary = q->chal.summary_type != SPDM_CHAL_SUMMARY_NONE;
	struct spdm_reader rd;
	uint16_t opaque_len;
	int err;

	if (rsp[1] != SPDM_CHALLENGE_AUTH || !hlen || !sig_len)
		return -EBADMSG;
	spdm_reader_init(&rd, rsp, rsp_len);
	spdm_read_skip(&rd, 2);
	param1 = spdm_read_u8(&rd);
	param2 = spdm_read_u8(&rd);
	chain_hash = spdm_read_bytes(&rd, hlen);
	nonce = spdm_read_bytes(&rd, SPDM_NONCE_SIZE);
	if (want_summary)
		summary = spdm_read_bytes(&rd, hlen);
	opaque_len = spdm_read_le16(&rd);
	opaque = spdm_read_bytes(&rd, opaque_len);
	if (v >= SPDM_VERSION_13)
		ctx = spdm_read_bytes(&rd, SPDM_REQUESTER_CONTEXT_SIZE);
	sig = spdm_read_bytes(&rd, sig_len);
	/* A missing or extra summary hash, or an OpaqueDataLength that
	 * overruns the message, shows as a length mismatch. */
	if (spdm_reader_status(&rd) || spdm_reader_left(&rd) ||
	    spdm_opaque_check(&q->conn, opaque, opaque_len))
		return -EBADMSG;
	/* Param1: our slot (0xF for the provisioned key); Param2, the slot
	 * mask, has its bit (no chain, no bit, for the provisioned key). */
	if ((param1 & SPDM_CHAL_AUTH_SLOT_MASK) !=
		    (slot & SPDM_CHAL_AUTH_SLOT_MASK) ||
	    (slot != SPDM_PROVISIONED_KEY_SLOT && !(param2 & (1u << slot))))
		return -EBADMSG;
	/* No mutual authentication: a request for it cannot be honoured. */
	if ((v == SPDM_VERSION_11 || v == SPDM_VERSION_12) &&
	    (param1 & SPDM_CHAL_AUTH_BASIC_MUT_AUTH_REQ))
		return -EBADMSG;
	if (memcmp(chain_hash, q->chal.expected, hlen))
		return -EBADMSG;
	if (ctx && memcmp(ctx, q->chal.context, SPDM_REQUESTER_CONTEXT_SIZE))
		return -EBADMSG;
	/* Our own nonce reflected, or the responder's last one again, is
	 * not fresh. */
	if (!memcmp(nonce, q->chal.nonce, SPDM_NONCE_SIZE) ||
	    (q->chal.seen_valid &&
	     !memcmp(nonce, q->chal.seen_nonce, SPDM_NONCE_SIZE)))
		return -EBADMSG;

	if (spdm_running_hash_add(c, q->crypto_ctx, &q->cert.m1, q->conn.hash,
				  &q->vca, q->req, q->req_len, rsp,
				  rsp_len - sig_len))
		return -EIO;
	q->cert.m1.started = false;
	if (c->hash_final(q->crypto_ctx, &q->cert.m1.state, th) ||
	    spdm_signing_digest(c, q->crypto_ctx, q->conn.hash, v, chal_context,
				th, digest))
		return -EIO;
	err = c->verify(q->crypto_ctx, q->conn.asym, q->cert.pubkey,
			q->cert.pubkey_len, digest, hlen, sig, sig_len);
	if (err)
		return -EPERM;
	memcpy(q->chal.seen_nonce, nonce, SPDM_NONCE_SIZE);
	q->chal.seen_valid = true;
	res->slot = slot;
	res->summary_type = q->chal.summary_type;
	res->summary_len = want_summary ? (uint8_t)hlen : 0;
	if (summary)
		memcpy(res->summary, summary, hlen);
	memcpy(res->nonce, nonce, SPDM_NONCE_SIZE);
	res->opaque_len = opaque_len;
	spdm_req_copy_opaque(q, opaque, opaque_len);
	res->verdict = SPDM_CHAL_VERDICT_VERIFIED;
	spdm_requester_set_state(q, SPDM_REQUESTER_STATE_NEGOTIATED);
	return 0;
}

int spdm_req_chal_parse(struct spdm_requester *q, const uint8_t *rsp,
			size_t rsp_len)
{
	int err = parse(q, rsp, rsp_len);

	/* M1/M2 ends with the challenge, verified or not. */
	spdm_running_hash_reset(q->crypto, q->crypto_ctx, &q->cert.m1);
	if (err)
		memset(&q->chal.result, 0, sizeof(q->chal.result));
	return err;
}

int spdm_requester_challenge_result(const struct spdm_requester *q,
				    struct spdm_challenge_result *res)
{
	if (!q || !res)
		return -EINVAL;
	*res = q->chal.result;
	if (q->state < SPDM_REQUESTER_STATE_NEGOTIATED)
		res->verdict = SPDM_CHAL_VERDICT_NONE;
	return 0;
}

uint32_t spdm_requester_attestation(const struct spdm_requester *q)
{
	size_t hlen;

	if (!q || !q->cfg || q->state < SPDM_REQUESTER_STATE_NEGOTIATED)
		return 0;
	hlen = spdm_hash_size(q->conn.hash);
	/* Re-checked here, not cached: each verdict, and that the challenge
	 * was answered for this chain with its leaf key. */
	if (spdm_requester_cert_verdict(q) != SPDM_VERIFIED ||
	    q->chal.result.verdict != SPDM_CHAL_VERDICT_VERIFIED ||
	    !q->chal.from_chain || q->chal.result.slot != q->cert.slot ||
	    !hlen || memcmp(q->chal.expected, q->cert.digest, hlen))
		return 0;
	return SPDM_ATTESTED;
}
