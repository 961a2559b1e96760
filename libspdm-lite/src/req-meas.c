/* SPDX-License-Identifier: Apache-2.0 */
/* Requester, measurements flow: GET_MEASUREMENTS, the checks on
 * MEASUREMENTS (DSP0274 "GET_MEASUREMENTS request and MEASUREMENTS
 * response"), L1/L2 and the signature. */
#include <errno.h>
#include <string.h>

#include "internal.h"
#include "meas-internal.h"
#include "requester-internal.h"

static void l_reset(struct spdm_requester *q)
{
	spdm_meas_l_reset(q->crypto, q->crypto_ctx, &q->meas.l_active,
			  &q->meas.l);
}

int spdm_requester_set_peer_pubkey(struct spdm_requester *q,
				   enum spdm_asym_alg alg, const uint8_t *key,
				   size_t len)
{
	if (!q || !key || !len || len > sizeof(q->cert.pubkey))
		return -EINVAL;
	if (q->state != SPDM_REQUESTER_STATE_NEGOTIATED)
		return -EPERM;
	if (alg != q->conn.asym)
		return -EINVAL;
	memcpy(q->cert.pubkey, key, len);
	q->cert.pubkey_len = (uint8_t)len;
	/* A key set by hand did not come from a verified chain: the
	 * certificate verdict no longer describes it. */
	q->cert.verdict = 0;
	return 0;
}

int spdm_requester_set_opaque_buffer(struct spdm_requester *q, uint8_t *buf,
				     size_t cap)
{
	if (!q || (!buf && cap))
		return -EINVAL;
	q->opaque_buf = buf;
	q->opaque_cap = cap;
	return 0;
}

void spdm_req_copy_opaque(struct spdm_requester *q, const uint8_t *p,
			  size_t len)
{
	if (len > q->opaque_cap)
		len = q->opaque_cap;
	if (len)
		memcpy(q->opaque_buf, p, len);
}

int spdm_requester_measurements(
	struct spdm_requester *q, uint8_t operation, uint8_t attributes,
	uint8_t slot,
	void (*on_block)(void *ctx, const struct spdm_measurement_block *b),
	void *ctx)
{
	const struct spdm_crypto_ops *c;
	uint8_t v, allowed = SPDM_MEAS_ATTR_SIGNATURE;
	bool sig;

	if (!q || !q->cfg)
		return -EINVAL;
	if (q->state != SPDM_REQUESTER_STATE_NEGOTIATED)
		return q->state == SPDM_REQUESTER_STATE_IDLE ? -EPERM : -EBUSY;
	c = q->crypto;
	v = q->conn.version;
	if (v >= SPDM_VERSION_12)
		allowed |= SPDM_MEAS_ATTR_RAW_BIT_STREAM;
	sig = attributes & SPDM_MEAS_ATTR_SIGNATURE;
	if ((attributes & ~allowed) ||
	    (slot >= SPDM_SLOT_COUNT && slot != SPDM_PROVISIONED_KEY_SLOT) ||
	    (slot && v < SPDM_VERSION_11) || (slot && !sig))
		return -EINVAL;
	if (!(q->conn.peer_flags & SPDM_RSP_MEAS_CAP_MASK) ||
	    !q->conn.measurement_specification ||
	    (sig && !(q->conn.peer_flags & SPDM_RSP_MEAS_CAP_SIG)) ||
	    (slot == SPDM_PROVISIONED_KEY_SLOT &&
	     !(q->conn.peer_flags & SPDM_RSP_PUB_KEY_ID_CAP)))
		return -EOPNOTSUPP;
	if (!c->hash_init || !c->hash_update || !c->hash_final ||
	    !c->hash_abort || !c->random || (sig && !c->verify))
		return -EOPNOTSUPP;
	if (sig && !q->cert.pubkey_len)
		return -EPERM;
	if ((sig && c->random(q->crypto_ctx, q->meas.nonce, SPDM_NONCE_SIZE)) ||
	    (v >= SPDM_VERSION_13 && c->random(q->crypto_ctx, q->meas.context,
					       SPDM_REQUESTER_CONTEXT_SIZE)))
		return -EIO;
	q->meas.operation = operation;
	q->meas.attributes = attributes;
	q->meas.slot = slot;
	q->meas.on_block = on_block;
	q->meas.on_block_ctx = ctx;
	q->meas.fresh = true;
	memset(&q->meas.result, 0, sizeof(q->meas.result));
	spdm_requester_set_state(q, SPDM_REQUESTER_STATE_MEASUREMENTS);
	q->error_code = 0;
	return 0;
}

int spdm_req_meas_build(struct spdm_requester *q, struct spdm_writer *w)
{
	uint8_t v = q->conn.version;

	/* q->req still holds the previous request: L1/L2 goes on only
	 * across consecutive GET_MEASUREMENTS (DSP0274; the responder
	 * discards it on any other request too). */
	if (q->meas.fresh && q->req[1] != SPDM_GET_MEASUREMENTS)
		l_reset(q);
	q->meas.fresh = false;
	spdm_write_u8(w, v);
	spdm_write_u8(w, SPDM_GET_MEASUREMENTS);
	spdm_write_u8(w, q->meas.attributes);
	spdm_write_u8(w, q->meas.operation);
	if (q->meas.attributes & SPDM_MEAS_ATTR_SIGNATURE) {
		spdm_write_bytes(w, q->meas.nonce, SPDM_NONCE_SIZE);
		if (v >= SPDM_VERSION_11) /* SlotIDParam: 0xF for 0xFF */
			spdm_write_u8(w, q->meas.slot & SPDM_MEAS_SLOT_ID_MASK);
	}
	if (v >= SPDM_VERSION_13)
		spdm_write_bytes(w, q->meas.context,
				 SPDM_REQUESTER_CONTEXT_SIZE);
	return spdm_writer_status(w);
}

/* Walk the measurement record: every block well-formed and inside it.
 * With @deliver, hand each block to the callback. Returns the number of
 * blocks or -EBADMSG. */
static int walk_blocks(struct spdm_requester *q, const uint8_t *rec, size_t len,
		       bool deliver)
{
	enum spdm_hash_alg hash = q->conn.measurement_hash;
	struct spdm_measurement_block b;
	struct spdm_reader rd;
	uint16_t size, vsize;
	int n = 0;

	spdm_reader_init(&rd, rec, len);
	while (spdm_reader_left(&rd) > 0) {
		b.index = spdm_read_u8(&rd);
		if (spdm_read_u8(&rd) != SPDM_MEASUREMENT_SPEC_DMTF)
			return -EBADMSG;
		size = spdm_read_le16(&rd);
		b.type = spdm_read_u8(&rd);
		vsize = spdm_read_le16(&rd);
		b.value = spdm_read_bytes(&rd, vsize);
		if (spdm_reader_status(&rd) || size != vsize + 3u ||
		    b.index == 0 || b.index == 0xFF)
			return -EBADMSG;
		b.raw = b.type & SPDM_MEAS_TYPE_RAW_BIT_STREAM;
		b.value_len = vsize;
		if (hash == SPDM_HASH_NONE
			    ? !b.raw
			    : (!b.raw && vsize != spdm_hash_size(hash)))
			return -EBADMSG;
		if (deliver && q->meas.on_block)
			q->meas.on_block(q->meas.on_block_ctx, &b);
		n++;
	}
	return n;
}

static int parse(struct spdm_requester *q, const uint8_t *rsp, size_t rsp_len)
{
	const struct spdm_crypto_ops *c = q->crypto;
	struct spdm_measurement_result *res = &q->meas.result;
	uint8_t v = q->conn.version, op = q->meas.operation, n_blocks, param2;
	uint8_t digest[SPDM_MAX_HASH_SIZE], changed;
	const uint8_t *rec, *nonce, *opaque, *ctx = NULL, *sig = NULL;
	bool signed_req = q->meas.attributes & SPDM_MEAS_ATTR_SIGNATURE;
	size_t sig_len = signed_req ? spdm_sig_size(q->conn.asym) : 0;
	struct spdm_reader rd;
	uint32_t rec_len;
	uint16_t opaque_len;
	int n, err;

	if (rsp[1] != SPDM_MEASUREMENTS)
		return -EBADMSG;
	spdm_reader_init(&rd, rsp, rsp_len);
	spdm_read_skip(&rd, 2);
	res->total_blocks = spdm_read_u8(&rd);
	param2 = spdm_read_u8(&rd);
	n_blocks = spdm_read_u8(&rd);
	rec_len = spdm_read_u8(&rd);
	rec_len |= (uint32_t)spdm_read_le16(&rd) << 8;
	rec = spdm_read_bytes(&rd, rec_len);
	nonce = spdm_read_bytes(&rd, SPDM_NONCE_SIZE);
	opaque_len = spdm_read_le16(&rd);
	opaque = spdm_read_bytes(&rd, opaque_len);
	if (v >= SPDM_VERSION_13)
		ctx = spdm_read_bytes(&rd, SPDM_REQUESTER_CONTEXT_SIZE);
	if (signed_req)
		sig = spdm_read_bytes(&rd, sig_len);
	/* A length that overruns the message shows here. */
	if (spdm_reader_status(&rd) || spdm_reader_left(&rd) ||
	    !sig_len != !signed_req ||
	    spdm_opaque_check(&q->conn, opaque, opaque_len))
		return -EBADMSG;
	if (ctx && memcmp(ctx, q->meas.context, SPDM_REQUESTER_CONTEXT_SIZE))
		return -EBADMSG;
	/* Param2: the slot asked (0xF: provisioned key) when signed (1.1+);
	 * content changed (1.2+) 00b unless signed, never 11b. */
	changed = v >= SPDM_VERSION_12 ? param2 & SPDM_MEAS_CONTENT_MASK : 0;
	if ((signed_req && v >= SPDM_VERSION_11 &&
	     (param2 & SPDM_MEAS_SLOT_ID_MASK) !=
		     (q->meas.slot & SPDM_MEAS_SLOT_ID_MASK)) ||
	    changed == SPDM_MEAS_CONTENT_MASK || (changed && !signed_req))
		return -EBADMSG;
	n = walk_blocks(q, rec, rec_len, false);
	if (n < 0 || n != n_blocks)
		return -EBADMSG;
	if (op == SPDM_MEAS_OP_COUNT ? n != 0
	    : op == SPDM_MEAS_OP_ALL ? false
				     : (n != 1 || rec[0] != op))
		return -EBADMSG;
	if (op != SPDM_MEAS_OP_COUNT)
		res->total_blocks = 0;
	/* A responder nonce equal to ours is a reflection, not fresh. */
	if (signed_req && !memcmp(nonce, q->meas.nonce, SPDM_NONCE_SIZE))
		return -EBADMSG;

	err = spdm_meas_l_add(c, q->crypto_ctx, &q->meas.l_active, &q->meas.l,
			      q->conn.hash, v, &q->vca, q->req, q->req_len, rsp,
			      rsp_len - sig_len);
	if (err)
		return -EIO;
	if (signed_req) {
		err = spdm_meas_signed_digest(c, q->crypto_ctx,
					      &q->meas.l_active, &q->meas.l,
					      q->conn.hash, v, digest);
		if (err)
			return -EIO;
		err = c->verify(q->crypto_ctx, q->conn.asym, q->cert.pubkey,
				q->cert.pubkey_len, digest,
				spdm_hash_size(q->conn.hash), sig, sig_len);
		if (err)
			return -EPERM;
	}
	res->n_blocks = n_blocks;
	res->slot = signed_req ? q->meas.slot : 0;
	res->content_changed = changed;
	res->opaque_len = opaque_len;
	spdm_req_copy_opaque(q, opaque, opaque_len);
	memcpy(res->nonce, nonce, SPDM_NONCE_SIZE);
	(void)walk_blocks(q, rec, rec_len, true);
	res->verdict = signed_req ? SPDM_MEAS_VERDICT_VERIFIED
				  : SPDM_MEAS_VERDICT_UNSIGNED;
	spdm_requester_set_state(q, SPDM_REQUESTER_STATE_NEGOTIATED);
	return 0;
}

int spdm_req_meas_parse(struct spdm_requester *q, const uint8_t *rsp,
			size_t rsp_len)
{
	int err = parse(q, rsp, rsp_len);

	if (err) {
		l_reset(q);
		memset(&q->meas.result, 0, sizeof(q->meas.result));
	}
	return err;
}

int spdm_requester_measurement_result(const struct spdm_requester *q,
				      struct spdm_measurement_result *res)
{
	if (!q || !res)
		return -EINVAL;
	*res = q->meas.result;
	if (q->state == SPDM_REQUESTER_STATE_IDLE ||
	    q->state < SPDM_REQUESTER_STATE_NEGOTIATED)
		res->verdict = SPDM_MEAS_VERDICT_NONE;
	return 0;
}
