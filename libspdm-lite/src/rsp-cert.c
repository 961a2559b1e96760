/* SPDX-License-Identifier: Apache-2.0 */
/* Responder: certificate slots, GET_DIGESTS and GET_CERTIFICATE (DSP0274
 * "GET_DIGESTS request and DIGESTS response", "GET_CERTIFICATE request and
 * CERTIFICATE response"), and the M1/M2 running hash. */
#include <errno.h>
#include <string.h>

#include "cert-internal.h"
#include "internal.h"
#include "responder-internal.h"

int spdm_rsp_cert_init(struct spdm_responder *r)
{
	const struct spdm_responder_config *cfg = r->cfg;
	enum spdm_hash_alg alg =
		spdm_hash_alg_from_wire(cfg->cert_chain_hash_algo);
	size_t h = spdm_hash_size(alg), len;
	unsigned int i;

	r->cert.provisioned = 0;
	for (i = 0; i < SPDM_MAX_SLOTS; i++) {
		const struct spdm_cert_slot *s = &cfg->cert_slots[i];

		len = s->len;
		if (!s->chain) {
			if (len)
				return -EINVAL;
			continue;
		}
		/* Header, root hash, at least the smallest DER element;
		 * the Length field tells the size. */
		if (!h || len < SPDM_CERT_CHAIN_HEADER_SIZE + h + 2 ||
		    len > 0xFFFFu ||
		    (s->chain[0] | (size_t)s->chain[1] << 8) != len)
			return -EINVAL;
		r->cert.provisioned |= (uint8_t)(1u << i);
	}
	if (!r->cert.provisioned)
		return 0;
	if (!r->crypto->hash_init || !r->crypto->hash_update ||
	    !r->crypto->hash_final || !r->crypto->hash_abort)
		return -EINVAL;
	/* The chains' RootHash is of one hash: only that one may be
	 * negotiated. */
	r->offer_hash &= cfg->cert_chain_hash_algo;
	return r->offer_hash ? 0 : -EINVAL;
}

void spdm_rsp_cert_on_request(struct spdm_responder *r, uint8_t code)
{
	if (spdm_code_resets_m1(code))
		spdm_running_hash_reset(r->crypto, r->crypto_ctx, &r->cert.m1);
}

void spdm_rsp_m1_reset(struct spdm_responder *r)
{
	spdm_running_hash_reset(r->crypto, r->crypto_ctx, &r->cert.m1);
}

/* Common checks: CERT_CAP with a provisioned slot, after ALGORITHMS, at
 * the negotiated version, with the hash the chains were made for. */
static int cert_request_ok(const struct spdm_responder *r, const uint8_t *req)
{
	if (!(r->cfg->flags & SPDM_RSP_CERT_CAP) || !r->cert.provisioned)
		return -EOPNOTSUPP;
	if (r->state != SPDM_RESPONDER_STATE_NEGOTIATED)
		return -EPERM;
	if (req[0] != r->conn.version)
		return -EPROTO;
	if (r->conn.base_hash_algo != r->cfg->cert_chain_hash_algo)
		return -EIO; /* not reached: see spdm_rsp_cert_init() */
	return 0;
}

static int m1_add(struct spdm_responder *r, const uint8_t *req, size_t req_len,
		  const struct spdm_writer *w)
{
	int err = spdm_running_hash_add(r->crypto, r->crypto_ctx, &r->cert.m1,
					r->conn.hash, &r->vca, req, req_len,
					w->buf, w->pos);

	return err ? -EIO : 0;
}

int spdm_rsp_get_digests(struct spdm_responder *r, const uint8_t *req,
			 size_t req_len, struct spdm_writer *w)
{
	const struct spdm_responder_config *cfg = r->cfg;
	uint8_t mask = r->cert.provisioned, *digest;
	size_t h = spdm_hash_size(r->conn.hash);
	unsigned int i;
	int err = cert_request_ok(r, req);

	if (err)
		return err;
	if (req_len != SPDM_GET_DIGESTS_SIZE)
		return -EBADMSG;
	spdm_write_u8(w, r->conn.version);
	spdm_write_u8(w, SPDM_DIGESTS);
	/* 1.3: Param1 SupportedSlotMask, Param2 ProvisionedSlotMask. Slots
	 * are filled only by the configuration (no SET_CERTIFICATE), so the
	 * supported ones are the provisioned ones. Before 1.3 Param1 is
	 * reserved and Param2 is the SlotMask. No MULTI_KEY_CONN: no
	 * KeyPairID, CertificateInfo or KeyUsageMask fields. */
	spdm_write_u8(w, r->conn.version >= SPDM_VERSION_13 ? mask : 0);
	spdm_write_u8(w, mask);
	for (i = 0; i < SPDM_MAX_SLOTS; i++) {
		if (!(mask & (1u << i)))
			continue;
		digest = spdm_write_space(w, h);
		if (!digest)
			break;
		if (spdm_hash_buf(r->crypto, r->crypto_ctx, r->conn.hash,
				  cfg->cert_slots[i].chain,
				  cfg->cert_slots[i].len, digest))
			return -EIO;
	}
	err = spdm_writer_status(w);
	if (err)
		return err;
	return m1_add(r, req, req_len, w);
}

int spdm_rsp_get_certificate(struct spdm_responder *r, const uint8_t *req,
			     size_t req_len, struct spdm_writer *w)
{
	const struct spdm_cert_slot *s;
	struct spdm_reader rd;
	uint8_t slot, attributes;
	size_t offset, length, portion, room;
	int err = cert_request_ok(r, req);

	if (err)
		return err;
	if (req_len != SPDM_GET_CERTIFICATE_SIZE)
		return -EBADMSG;
	spdm_reader_init(&rd, req, req_len);
	spdm_read_skip(&rd, 2);
	slot = spdm_read_u8(&rd) & SPDM_CERT_SLOT_ID_MASK;
	attributes = spdm_read_u8(&rd);
	offset = spdm_read_le16(&rd);
	length = spdm_read_le16(&rd);
	err = spdm_reader_status(&rd);
	if (err)
		return err;
	if (slot >= SPDM_MAX_SLOTS || !(r->cert.provisioned & (1u << slot)))
		return -EBADMSG;
	s = &r->cfg->cert_slots[slot];
	/* 1.3 SlotSizeRequested: no data, RemainderLength is the size;
	 * Offset and Length are ignored. */
	if (r->conn.version >= SPDM_VERSION_13 &&
	    (attributes & SPDM_GET_CERT_SLOT_SIZE_REQUESTED)) {
		offset = 0;
		length = 0;
	} else if (offset >= s->len) {
		return -EBADMSG;
	}
	/* The portion is limited by what was asked, what is left, and the
	 * response buffer (already limited to a 1.2+ DataTransferSize). */
	room = w->cap > SPDM_CERTIFICATE_FIXED_SIZE
		       ? w->cap - SPDM_CERTIFICATE_FIXED_SIZE
		       : 0;
	portion = length;
	if (portion > s->len - offset)
		portion = s->len - offset;
	if (portion > room)
		portion = room;
	if (length && !portion)
		return -EMSGSIZE;
	spdm_write_u8(w, r->conn.version);
	spdm_write_u8(w, SPDM_CERTIFICATE);
	spdm_write_u8(w, slot);
	spdm_write_u8(w, 0); /* 1.3 CertificateInfo: reserved without
			      * MULTI_KEY_CONN */
	spdm_write_le16(w, (uint16_t)portion);
	spdm_write_le16(w, (uint16_t)(s->len - offset - portion));
	spdm_write_bytes(w, s->chain + offset, portion);
	err = spdm_writer_status(w);
	if (err)
		return err;
	return m1_add(r, req, req_len, w);
}
