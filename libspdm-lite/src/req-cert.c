/* SPDX-License-Identifier: Apache-2.0 */
/* Requester, certificate flow: GET_DIGESTS, GET_CERTIFICATE in portions
 * into the requester's chain buffer, then the verification of the chain
 * (DSP0274 "Certificate chain format"; the X.509 path through the crypto
 * ops' chain_verify), and the M1/M2 running hash. */
#include <errno.h>
#include <string.h>

#include "cert-internal.h"
#include "internal.h"
#include "requester-internal.h"

int spdm_requester_get_certificate(struct spdm_requester *q, uint8_t slot,
				   uint16_t portion)
{
	const struct spdm_crypto_ops *c;

	if (!q || !q->cfg || slot >= SPDM_SLOT_COUNT)
		return -EINVAL;
	if (q->state != SPDM_REQUESTER_STATE_NEGOTIATED)
		return q->state == SPDM_REQUESTER_STATE_IDLE ? -EPERM : -EBUSY;
	c = q->crypto;
	if (!c->hash_init || !c->hash_update || !c->hash_final ||
	    !c->hash_abort || !c->chain_verify)
		return -EINVAL;
	if (!(q->conn.peer_flags & SPDM_RSP_CERT_CAP))
		return -EOPNOTSUPP;
	q->cert.slot = slot;
	q->cert.portion = portion;
	q->cert.offset = 0;
	q->cert.total = 0;
	q->cert.slot_mask = 0;
	q->cert.pubkey_len = 0;
	q->cert.verdict = 0;
	q->cert.reason = SPDM_CERT_REASON_INCOMPLETE;
	spdm_requester_set_state(q, SPDM_REQUESTER_STATE_GET_DIGESTS);
	return 0;
}

void spdm_req_cert_on_request(struct spdm_requester *q, uint8_t code)
{
	if (spdm_code_resets_m1(code))
		spdm_running_hash_reset(q->crypto, q->crypto_ctx, &q->cert.m1);
}

void spdm_req_cert_forget(struct spdm_requester *q)
{
	spdm_running_hash_reset(q->crypto, q->crypto_ctx, &q->cert.m1);
	q->cert.verdict = 0;
	q->cert.pubkey_len = 0;
}

/* Largest CERTIFICATE we accept: our DataTransferSize from 1.2, else our
 * message buffer size. */
static size_t max_portion(const struct spdm_requester *q)
{
	size_t cap = q->conn.version >= SPDM_VERSION_12
			     ? q->cfg->data_transfer_size
			     : SPDM_MAX_MSG_SIZE;

	cap -= SPDM_CERTIFICATE_FIXED_SIZE;
	return cap > 0xFFFFu ? 0xFFFFu : cap;
}

int spdm_req_cert_build(struct spdm_requester *q, struct spdm_writer *w)
{
	size_t len;

	spdm_write_u8(w, q->conn.version);
	if (q->state == SPDM_REQUESTER_STATE_GET_DIGESTS) {
		spdm_write_u8(w, SPDM_GET_DIGESTS);
		spdm_write_zero(w, 2);
		return spdm_writer_status(w);
	}
	if (q->state != SPDM_REQUESTER_STATE_GET_CERTIFICATE)
		return -EINVAL;
	len = max_portion(q);
	if (q->cert.portion && q->cert.portion < len)
		len = q->cert.portion;
	if (q->cert.total && q->cert.total - q->cert.offset < len)
		len = q->cert.total - q->cert.offset;
	q->cert.asked = (uint16_t)len;
	spdm_write_u8(w, SPDM_GET_CERTIFICATE);
	spdm_write_u8(w, q->cert.slot);
	spdm_write_u8(w, 0);
	spdm_write_le16(w, (uint16_t)q->cert.offset);
	spdm_write_le16(w, (uint16_t)len);
	return spdm_writer_status(w);
}

static int reject(struct spdm_requester *q, enum spdm_cert_reason reason,
		  int err)
{
	q->cert.reason = reason;
	return err;
}

static int m1_add(struct spdm_requester *q, const uint8_t *rsp, size_t rsp_len)
{
	if (spdm_running_hash_add(q->crypto, q->crypto_ctx, &q->cert.m1,
				  q->conn.hash, &q->vca, q->req, q->req_len,
				  rsp, rsp_len))
		return reject(q, SPDM_CERT_REASON_CRYPTO, -EIO);
	return 0;
}

static unsigned int popcount8(unsigned int v)
{
	unsigned int n = 0;

	for (; v; v &= v - 1)
		n++;
	return n;
}

static int parse_digests(struct spdm_requester *q, const uint8_t *rsp,
			 size_t rsp_len)
{
	size_t h = spdm_hash_size(q->conn.hash);
	uint8_t mask = rsp[3], slot = q->cert.slot;
	unsigned int index;
	int err;

	if (rsp[1] != SPDM_DIGESTS)
		return reject(q, SPDM_CERT_REASON_MALFORMED, -EBADMSG);
	/* 1.3: ProvisionedSlotMask (Param2) within SupportedSlotMask
	 * (Param1). No MultiKeyConn (never offered): nothing after the
	 * digests. */
	if (!h || !mask ||
	    (q->conn.version >= SPDM_VERSION_13 && (mask & ~rsp[2])) ||
	    rsp_len != SPDM_HEADER_SIZE + h * popcount8(mask))
		return reject(q, SPDM_CERT_REASON_MALFORMED, -EBADMSG);
	if (!(mask & (1u << slot)))
		return reject(q, SPDM_CERT_REASON_SLOT_NOT_PROVISIONED,
			      -EBADMSG);
	index = popcount8(mask & ((1u << slot) - 1u));
	err = m1_add(q, rsp, rsp_len);
	if (err)
		return err;
	memcpy(q->cert.digest, rsp + SPDM_HEADER_SIZE + h * index, h);
	q->cert.slot_mask = mask;
	spdm_requester_set_state(q, SPDM_REQUESTER_STATE_GET_CERTIFICATE);
	return -EAGAIN;
}

/* The chain is complete: check it (see spdm_requester_get_certificate()
 * in spdm/requester.h for the order). */
static int verify_chain(struct spdm_requester *q)
{
	const struct spdm_crypto_ops *c = q->crypto;
	const uint8_t *chain = q->cert.chain;
	size_t h = spdm_hash_size(q->conn.hash), total = q->cert.total;
	size_t first, key_len = sizeof(q->cert.pubkey);
	uint8_t digest[SPDM_MAX_HASH_SIZE];
	const uint8_t *certs = chain + SPDM_CERT_CHAIN_HEADER_SIZE + h;
	size_t certs_len = total - SPDM_CERT_CHAIN_HEADER_SIZE - h;
	int err;

	if ((chain[0] | (size_t)chain[1] << 8) != total)
		return reject(q, SPDM_CERT_REASON_LENGTH_FIELD, -EBADMSG);
	if (spdm_hash_buf(c, q->crypto_ctx, q->conn.hash, chain, total, digest))
		return reject(q, SPDM_CERT_REASON_CRYPTO, -EIO);
	if (memcmp(digest, q->cert.digest, h) != 0)
		return reject(q, SPDM_CERT_REASON_DIGEST_MISMATCH, -EPERM);
	if (spdm_der_seq_size(certs, certs_len, &first))
		return reject(q, SPDM_CERT_REASON_BAD_CERT, -EBADMSG);
	if (spdm_hash_buf(c, q->crypto_ctx, q->conn.hash, certs, first, digest))
		return reject(q, SPDM_CERT_REASON_CRYPTO, -EIO);
	if (memcmp(digest, chain + SPDM_CERT_CHAIN_HEADER_SIZE, h) != 0)
		return reject(q, SPDM_CERT_REASON_ROOT_HASH_MISMATCH, -EPERM);
	err = c->chain_verify(q->crypto_ctx, certs, certs_len, q->cert.pubkey,
			      &key_len);
	if (err == -EBADMSG)
		return reject(q, SPDM_CERT_REASON_BAD_CERT, -EBADMSG);
	if (err)
		return reject(q, SPDM_CERT_REASON_UNTRUSTED, -EPERM);
	if (key_len != 1 + spdm_sig_size(q->conn.asym))
		return reject(q, SPDM_CERT_REASON_KEY_MISMATCH, -EPERM);
	q->cert.pubkey_len = (uint8_t)key_len;
	q->cert.reason = SPDM_CERT_REASON_NONE;
	q->cert.verdict = SPDM_VERIFIED;
	spdm_requester_set_state(q, SPDM_REQUESTER_STATE_NEGOTIATED);
	return 0;
}

static int parse_certificate(struct spdm_requester *q, const uint8_t *rsp,
			     size_t rsp_len)
{
	struct spdm_reader rd;
	size_t h = spdm_hash_size(q->conn.hash), portion, remainder, end;
	int err;

	if (rsp[1] != SPDM_CERTIFICATE ||
	    (rsp[2] & SPDM_CERT_SLOT_ID_MASK) != q->cert.slot)
		return reject(q, SPDM_CERT_REASON_MALFORMED, -EBADMSG);
	spdm_reader_init(&rd, rsp, rsp_len);
	spdm_read_skip(&rd, SPDM_HEADER_SIZE);
	portion = spdm_read_le16(&rd);
	remainder = spdm_read_le16(&rd);
	if (spdm_reader_status(&rd) ||
	    rsp_len != SPDM_CERTIFICATE_FIXED_SIZE + portion)
		return reject(q, SPDM_CERT_REASON_MALFORMED, -EBADMSG);
	if (portion > q->cert.asked)
		return reject(q, SPDM_CERT_REASON_PORTION_TOO_LONG, -EBADMSG);
	/* An empty portion with more to come would never end. */
	if (!portion)
		return reject(q, SPDM_CERT_REASON_MALFORMED, -EBADMSG);
	end = q->cert.offset + portion + remainder;
	if (!q->cert.total) {
		if (end > SPDM_MAX_CERT_CHAIN_SIZE)
			return reject(q, SPDM_CERT_REASON_CHAIN_TOO_LARGE,
				      -EBADMSG);
		/* Header, root hash, and a DER element of two bytes. */
		if (end < SPDM_CERT_CHAIN_HEADER_SIZE + h + 2)
			return reject(q, SPDM_CERT_REASON_CHAIN_TOO_SHORT,
				      -EBADMSG);
		q->cert.total = (uint32_t)end;
	} else if (end != q->cert.total) {
		return reject(q, SPDM_CERT_REASON_REMAINDER_MISMATCH, -EBADMSG);
	}
	err = m1_add(q, rsp, rsp_len);
	if (err)
		return err;
	memcpy(q->cert.chain + q->cert.offset,
	       rsp + SPDM_CERTIFICATE_FIXED_SIZE, portion);
	q->cert.offset += (uint32_t)portion;
	if (remainder) {
		q->retries = 0; /* a new request: its own retries */
		return -EAGAIN;
	}
	return verify_chain(q);
}

int spdm_req_cert_parse(struct spdm_requester *q, const uint8_t *rsp,
			size_t rsp_len)
{
	if (q->state == SPDM_REQUESTER_STATE_GET_DIGESTS)
		return parse_digests(q, rsp, rsp_len);
	if (q->state == SPDM_REQUESTER_STATE_GET_CERTIFICATE)
		return parse_certificate(q, rsp, rsp_len);
	return -EINVAL;
}

uint32_t spdm_requester_cert_verdict(const struct spdm_requester *q)
{
	if (!q || q->state != SPDM_REQUESTER_STATE_NEGOTIATED)
		return 0;
	return q->cert.verdict;
}

enum spdm_cert_reason spdm_requester_cert_reason(const struct spdm_requester *q)
{
	return q ? q->cert.reason : SPDM_CERT_REASON_INCOMPLETE;
}

int spdm_requester_peer_pubkey(const struct spdm_requester *q,
			       const uint8_t **key, size_t *len)
{
	if (!q || !key || !len)
		return -EINVAL;
	if (spdm_requester_cert_verdict(q) != SPDM_VERIFIED)
		return -EPERM;
	*key = q->cert.pubkey;
	*len = q->cert.pubkey_len;
	return 0;
}

const uint8_t *spdm_requester_cert_chain(const struct spdm_requester *q,
					 size_t *len)
{
	if (!q || !len || spdm_requester_cert_verdict(q) != SPDM_VERIFIED)
		return NULL;
	*len = q->cert.total;
	return q->cert.chain;
}
