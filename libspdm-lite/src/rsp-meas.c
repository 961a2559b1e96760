/* SPDX-License-Identifier: Apache-2.0 */
/* Responder: GET_MEASUREMENTS and MEASUREMENTS (DSP0274 "GET_MEASUREMENTS
 * request and MEASUREMENTS response"), the L1/L2 transcript, and
 * ResponseNotReady / RESPOND_IF_READY for a signer that is busy. */
#include <errno.h>
#include <string.h>

#include "internal.h"
#include "meas-internal.h"
#include "responder-internal.h"

#define MEAS_MAX_INDEX 0xFEu
#define ERROR_NOT_READY_SIZE 8u
#define RDTM 1u

static void l_reset(struct spdm_responder *r)
{
	spdm_meas_l_reset(r->crypto, r->crypto_ctx, &r->meas.l_active,
			  &r->meas.l);
}

void spdm_rsp_meas_on_request(struct spdm_responder *r, uint8_t code)
{
	if (code != SPDM_RESPOND_IF_READY)
		r->meas.pending = false;
	if (code != SPDM_GET_MEASUREMENTS)
		l_reset(r);
}

/* One block straight into the response: the integrator writes the value
 * where it goes, and a raw value to be sent as a digest is hashed in
 * place. Returns 1 when the block exists, 0 when it does not. */
int spdm_rsp_meas_write_block(struct spdm_responder *r, struct spdm_writer *w,
			      uint8_t index, bool raw_requested)
{
	const struct spdm_measurement_ops *ops = r->cfg->measurement_ops;
	enum spdm_hash_alg hash = r->conn.measurement_hash;
	size_t hlen = spdm_hash_size(hash), cap, len;
	uint8_t digest[SPDM_MAX_HASH_SIZE], type = 0, *value;
	bool raw = false, send_raw;
	int err;

	if (w->overrun || w->cap - w->pos < SPDM_MEAS_BLOCK_HEADER_SIZE)
		return -EMSGSIZE;
	cap = w->cap - w->pos - SPDM_MEAS_BLOCK_HEADER_SIZE;
	if (cap > 0xFFFFu - 3u)
		cap = 0xFFFFu - 3u;
	value = w->buf + w->pos + SPDM_MEAS_BLOCK_HEADER_SIZE;
	len = cap;
	err = ops->block(r->cfg->measurement_ctx, index, hash, &type, &raw,
			 value, &len);
	if (err == -ENOENT)
		return 0;
	if (err == -EMSGSIZE)
		return -EMSGSIZE;
	if (err || len > cap || (type & SPDM_MEAS_TYPE_RAW_BIT_STREAM))
		return -EIO;
	if (hash == SPDM_HASH_NONE) /* raw bit stream only */
		send_raw = true;
	else
		send_raw = raw && raw_requested;
	if (!raw && (send_raw || len != hlen))
		return -EIO;
	if (raw && !send_raw) {
		if (hlen > cap)
			return -EMSGSIZE;
		err = r->crypto->hash_init(r->crypto_ctx, &r->meas.scratch,
					   hash);
		if (!err)
			err = r->crypto->hash_update(
				r->crypto_ctx, &r->meas.scratch, value, len);
		if (!err)
			err = r->crypto->hash_final(r->crypto_ctx,
						    &r->meas.scratch, digest);
		else
			r->crypto->hash_abort(r->crypto_ctx, &r->meas.scratch);
		if (err)
			return -EIO;
		memcpy(value, digest, hlen);
		len = hlen;
	}
	spdm_write_u8(w, index);
	spdm_write_u8(w, SPDM_MEASUREMENT_SPEC_DMTF);
	spdm_write_le16(w, (uint16_t)(len + 3u));
	spdm_write_u8(w, (uint8_t)(type | (send_raw ? 0x80u : 0u)));
	spdm_write_le16(w, (uint16_t)len);
	(void)spdm_write_space(w, len); /* already in place */
	return 1;
}

/* The MEASUREMENTS response without its signature, from the request's
 * parameters kept in r->meas and the responder nonce already there. */
static int write_response(struct spdm_responder *r, struct spdm_writer *w)
{
	const struct spdm_measurement_ops *ops = r->cfg->measurement_ops;
	uint8_t v = r->conn.version, op = r->meas.operation;
	bool raw_req = v >= SPDM_VERSION_12 &&
		       (r->meas.attributes & SPDM_MEAS_ATTR_RAW_BIT_STREAM);
	bool sig = r->meas.attributes & SPDM_MEAS_ATTR_SIGNATURE;
	unsigned int index, found = 0;
	int count = 0, err;
	size_t rec;

	if (op == SPDM_MEAS_OP_COUNT || op == SPDM_MEAS_OP_ALL) {
		count = ops->count(r->cfg->measurement_ctx);
		if (count < 0 || count > (int)MEAS_MAX_INDEX)
			return -EIO;
	}
	spdm_write_u8(w, v);
	spdm_write_u8(w, SPDM_MEASUREMENTS);
	spdm_write_u8(w, op == SPDM_MEAS_OP_COUNT ? (uint8_t)count : 0);
	/* Param2: SlotIDParam (0xF for the provisioned key), 1.2+ content
	 * changed in bits 5:4 (set only when signed). */
	spdm_write_u8(w, sig && v >= SPDM_VERSION_11
				 ? (uint8_t)((r->meas.slot & 0x0Fu) |
					     r->meas.content_changed)
				 : 0);
	spdm_write_zero(w, 4); /* NumberOfBlocks, MeasurementRecordLength */
	err = spdm_writer_status(w);
	if (err)
		return err;
	if (op == SPDM_MEAS_OP_ALL) {
		for (index = 1;
		     index <= MEAS_MAX_INDEX && found < (unsigned)count;
		     index++) {
			err = spdm_rsp_meas_write_block(r, w, (uint8_t)index,
							raw_req);
			if (err < 0)
				return err;
			found += (unsigned int)err;
		}
	} else if (op != SPDM_MEAS_OP_COUNT) {
		err = spdm_rsp_meas_write_block(r, w, op, raw_req);
		if (err < 0)
			return err;
		if (!err)
			return -EBADMSG; /* no such index */
		found = 1;
	}
	rec = w->pos - 8u;
	if (rec > 0xFFFFFFu)
		return -EMSGSIZE;
	w->buf[4] = (uint8_t)found;
	w->buf[5] = (uint8_t)rec;
	w->buf[6] = (uint8_t)(rec >> 8);
	w->buf[7] = (uint8_t)(rec >> 16);
	spdm_write_bytes(w, r->meas.nonce, SPDM_NONCE_SIZE);
	rec = spdm_opaque_to_send(&r->conn, r->cfg->opaque_data_format,
				  r->cfg->opaque_measurements_len);
	spdm_write_le16(w, (uint16_t)rec); /* OpaqueDataLength */
	spdm_write_bytes(w, r->cfg->opaque_measurements, rec);
	if (v >= SPDM_VERSION_13)
		spdm_write_bytes(w, r->meas.context,
				 SPDM_REQUESTER_CONTEXT_SIZE);
	return spdm_writer_status(w);
}

void spdm_rsp_write_not_ready(struct spdm_responder *r, struct spdm_writer *w,
			      uint8_t code, uint8_t token)
{
	w->pos = 0;
	w->want = 0;
	w->overrun = false;
	spdm_write_u8(w, r->conn.version);
	spdm_write_u8(w, SPDM_ERROR);
	spdm_write_u8(w, SPDM_ERROR_RESPONSE_NOT_READY);
	spdm_write_u8(w, 0);
	spdm_write_u8(w, r->cfg->ct_exponent); /* RDTExponent */
	spdm_write_u8(w, code);
	spdm_write_u8(w, token);
	spdm_write_u8(w, RDTM);
}

/* Sign r->meas.digest into the space reserved after the response body;
 * -EAGAIN turns the answer into ResponseNotReady (pending). */
static int sign_response(struct spdm_responder *r, struct spdm_writer *w,
			 uint8_t *sig, size_t sig_len, bool again)
{
	int err = r->crypto->sign(r->crypto_ctx, r->meas.slot, r->conn.asym,
				  r->meas.digest, spdm_hash_size(r->conn.hash),
				  sig, sig_len);

	if (err == -EAGAIN) {
		if (!again) {
			r->meas.token = ++r->meas.next_token;
			r->meas.pending = true;
		}
		if (w->cap < ERROR_NOT_READY_SIZE) {
			r->meas.pending = false;
			return -EMSGSIZE;
		}
		spdm_rsp_write_not_ready(r, w, SPDM_GET_MEASUREMENTS,
					 r->meas.token);
		return 0;
	}
	r->meas.pending = false;
	return err ? -EIO : 0;
}

static int get_measurements(struct spdm_responder *r, const uint8_t *req,
			    size_t req_len, struct spdm_writer *w)
{
	const struct spdm_responder_config *cfg = r->cfg;
	uint32_t flags = cfg->flags & spdm_rsp_flags_mask(r->conn.version);
	uint8_t v = r->conn.version, attrs, *sig;
	size_t sig_len = 0, body;
	const uint8_t *p;
	uint32_t gen;
	bool signed_req;
	int err;

	if (!(flags & SPDM_RSP_MEAS_CAP_MASK) || !cfg->measurement_ops)
		return -EOPNOTSUPP;
	if (r->state != SPDM_RESPONDER_STATE_NEGOTIATED)
		return -EPERM;
	if (req[0] != v)
		return -EPROTO;
	if (!r->conn.measurement_specification ||
	    !r->conn.measurement_hash_algo)
		return -EPERM;
	attrs = req[2];
	if (v < SPDM_VERSION_12)
		attrs &= SPDM_MEAS_ATTR_SIGNATURE;
	else
		attrs &= SPDM_MEAS_ATTR_SIGNATURE |
			 SPDM_MEAS_ATTR_RAW_BIT_STREAM;
	signed_req = attrs & SPDM_MEAS_ATTR_SIGNATURE;
	if (req_len != spdm_meas_request_size(v, attrs))
		return -EBADMSG;
	r->meas.operation = req[3];
	r->meas.attributes = attrs;
	r->meas.slot = 0;
	p = req + SPDM_HEADER_SIZE;
	if (signed_req) {
		if (!(flags & SPDM_RSP_MEAS_CAP_SIG))
			return -EBADMSG;
		p += SPDM_NONCE_SIZE;
		if (v >= SPDM_VERSION_11)
			r->meas.slot = *p++ & 0x0Fu;
		/* SlotIDParam 0xF: the provisioned public key. */
		if (r->meas.slot == 0x0Fu && spdm_rsp_has_pubkey(r))
			r->meas.slot = SPDM_PROVISIONED_KEY_SLOT;
		else if (r->meas.slot >= SPDM_MAX_SLOTS)
			return -EBADMSG;
		sig_len = spdm_sig_size(r->conn.asym);
		if (!sig_len || !r->crypto->sign)
			return -EIO;
	}
	if (v >= SPDM_VERSION_13)
		memcpy(r->meas.context, p, SPDM_REQUESTER_CONTEXT_SIZE);
	if (!r->crypto->random || !r->crypto->hash_init ||
	    !r->crypto->hash_update || !r->crypto->hash_final ||
	    !r->crypto->hash_abort)
		return -EIO;
	if (r->crypto->random(r->crypto_ctx, r->meas.nonce, SPDM_NONCE_SIZE))
		return -EIO;
	/* Content changed (1.2+, signed only): the integrator's generation
	 * counter at the start of this L1/L2 log against now. */
	r->meas.content_changed = 0;
	if (cfg->measurement_generation) {
		gen = cfg->measurement_generation(cfg->measurement_ctx);
		if (!r->meas.l_active)
			r->meas.generation = gen;
		if (signed_req && v >= SPDM_VERSION_12)
			r->meas.content_changed =
				gen != r->meas.generation
					? SPDM_MEAS_CONTENT_CHANGED
					: SPDM_MEAS_CONTENT_UNCHANGED;
	}
	err = write_response(r, w);
	if (err)
		return err;
	body = w->pos;
	sig = spdm_write_space(w, sig_len);
	err = spdm_writer_status(w);
	if (err)
		return err;
	err = spdm_meas_l_add(r->crypto, r->crypto_ctx, &r->meas.l_active,
			      &r->meas.l, r->conn.hash, v, &r->vca, req,
			      req_len, w->buf, body);
	if (err)
		return -EIO;
	if (!signed_req)
		return 0;
	err = spdm_meas_signed_digest(r->crypto, r->crypto_ctx,
				      &r->meas.l_active, &r->meas.l,
				      r->conn.hash, v, r->meas.digest);
	if (err)
		return -EIO;
	return sign_response(r, w, sig, sig_len, false);
}

int spdm_rsp_get_measurements(struct spdm_responder *r, const uint8_t *req,
			      size_t req_len, struct spdm_writer *w)
{
	int err = get_measurements(r, req, req_len, w);

	/* An ERROR ends L1/L2 in both roles. */
	if (err)
		l_reset(r);
	return err;
}

int spdm_rsp_meas_respond_if_ready(struct spdm_responder *r, const uint8_t *req,
				   struct spdm_writer *w)
{
	size_t sig_len = spdm_sig_size(r->conn.asym);
	uint8_t *sig;
	int err;

	if (!r->meas.pending || r->state != SPDM_RESPONDER_STATE_NEGOTIATED)
		return -EPERM;
	if (req[2] != SPDM_GET_MEASUREMENTS || req[3] != r->meas.token)
		return -EBADMSG;
	err = write_response(r, w);
	if (!err) {
		sig = spdm_write_space(w, sig_len);
		err = spdm_writer_status(w);
	}
	if (err) {
		r->meas.pending = false;
		return err;
	}
	return sign_response(r, w, sig, sig_len, true);
}
