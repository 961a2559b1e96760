/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Encrypted payloads: envelope format version 1 (include/prot/payload.h,
 * docs/payload-encryption.md). Every crypto step goes through the
 * optional ops of struct spdm_crypto_ops.
 */
#include <errno.h>
#include <string.h>

#include "prot/payload.h"

enum dec_state {
	ST_NONE = 0, /* not set up, aborted */
	ST_HEADER,   /* reading the header */
	ST_CHUNKS,   /* header accepted, reading records */
	ST_DONE,     /* every chunk written, waiting for finish */
	ST_FINISHED, /* finish returned 0 */
	ST_FAILED,   /* refused: see reason */
};

/* HKDF labels and HMAC prefixes (ASCII, no terminating NUL on the wire). */
static const char label_key[] = "prot payload v1 key";
static const char label_mac[] = "prot payload v1 mac";
static const char label_check[] = "prot payload v1 check";
static const char prefix_nonce[] = "nonce";
static const char prefix_header[] = "header";

#define MAC_KEY_SIZE 48u
#define PRK_SIZE 48u
#define LABEL_LEN(s) (sizeof(s) - 1u)

static const int reason_errno[PROT_PAYLOAD_REASON_COUNT] = {
	[PROT_PAYLOAD_OK] = 0,
	[PROT_PAYLOAD_ERR_ARGS] = -EINVAL,
	[PROT_PAYLOAD_ERR_STATE] = -EINVAL,
	[PROT_PAYLOAD_ERR_FORMAT] = -EPROTO,
	[PROT_PAYLOAD_ERR_CURVE] = -ENOTSUP,
	[PROT_PAYLOAD_ERR_KEY_ID] = -ENOENT,
	[PROT_PAYLOAD_ERR_CHUNK_SIZE] = -ENOSPC,
	[PROT_PAYLOAD_ERR_KEY_SHARE] = -EACCES,
	[PROT_PAYLOAD_ERR_HEADER] = -EBADMSG,
	[PROT_PAYLOAD_ERR_NONCE] = -ENOMSG,
	[PROT_PAYLOAD_ERR_ORDER] = -EILSEQ,
	[PROT_PAYLOAD_ERR_CHUNK_AUTH] = -EPERM,
	[PROT_PAYLOAD_ERR_TRUNCATED] = -ENODATA,
	[PROT_PAYLOAD_ERR_TRAILING] = -E2BIG,
	[PROT_PAYLOAD_ERR_WRITE] = -EIO,
	[PROT_PAYLOAD_ERR_CRYPTO] = -EIO,
};

/* Keys derived from one shared secret. */
struct keys {
	uint8_t enc[SPDM_AES_256_GCM_KEY_SIZE];
	uint8_t mac[MAC_KEY_SIZE];
	uint8_t check[PROT_PAYLOAD_CHECK_SIZE];
};

static uint32_t get_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static void put_le32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

/* Public key size of header curve @curve, 0 if unknown. */
static size_t pub_size(uint8_t curve)
{
	return curve == PROT_PAYLOAD_CURVE_P256   ? 65u
	       : curve == PROT_PAYLOAD_CURVE_P384 ? 97u
						  : 0u;
}

static enum spdm_dhe_group group_of(uint8_t curve)
{
	return curve == PROT_PAYLOAD_CURVE_P256   ? SPDM_DHE_SECP256R1
	       : curve == PROT_PAYLOAD_CURVE_P384 ? SPDM_DHE_SECP384R1
						  : SPDM_DHE_NONE;
}

/* Offsets inside the header for a public key of @k bytes. */
static size_t off_check(size_t k)
{
	return PROT_PAYLOAD_FIXED_SIZE + k;
}

static size_t off_nonce(size_t k)
{
	return off_check(k) + PROT_PAYLOAD_CHECK_SIZE;
}

static size_t off_nonce_check(size_t k)
{
	return off_nonce(k) + PROT_PAYLOAD_NONCE_SIZE;
}

static size_t off_header_check(size_t k)
{
	return off_nonce_check(k) + PROT_PAYLOAD_CHECK_SIZE;
}

/* Every op an envelope needs on both sides. */
static bool has_common_ops(const struct spdm_crypto_ops *ops)
{
	return ops && ops->hkdf_extract && ops->hkdf_expand && ops->hmac &&
	       ops->zeroize && ops->dhe_groups;
}

static bool same(const uint8_t *a, const uint8_t *b, size_t len)
{
	uint8_t diff = 0;

	for (size_t i = 0; i < len; i++)
		diff |= (uint8_t)(a[i] ^ b[i]);
	return diff == 0;
}

/* The three keys from the shared secret @z and the ephemeral public key
 * @pub (the HKDF salt). */
static int derive(const struct spdm_crypto_ops *ops, void *ctx,
		  const uint8_t *pub, size_t pub_len, const uint8_t *z,
		  size_t z_len, struct keys *k)
{
	uint8_t prk[PRK_SIZE];
	int rc;

	rc = ops->hkdf_extract(ctx, SPDM_HASH_SHA384, pub, pub_len, z, z_len,
			       prk);
	if (!rc)
		rc = ops->hkdf_expand(ctx, SPDM_HASH_SHA384, prk, sizeof(prk),
				      (const uint8_t *)label_key,
				      LABEL_LEN(label_key), k->enc,
				      sizeof(k->enc));
	if (!rc)
		rc = ops->hkdf_expand(ctx, SPDM_HASH_SHA384, prk, sizeof(prk),
				      (const uint8_t *)label_mac,
				      LABEL_LEN(label_mac), k->mac,
				      sizeof(k->mac));
	if (!rc)
		rc = ops->hkdf_expand(ctx, SPDM_HASH_SHA384, prk, sizeof(prk),
				      (const uint8_t *)label_check,
				      LABEL_LEN(label_check), k->check,
				      sizeof(k->check));
	ops->zeroize(ctx, prk, sizeof(prk));
	return rc;
}

/* HMAC-SHA-384(@mac_key, @prefix || @data) truncated to 16 bytes. */
static int check_value(const struct spdm_crypto_ops *ops, void *ctx,
		       const uint8_t *mac_key, const char *prefix,
		       size_t prefix_len, const uint8_t *data, size_t len,
		       uint8_t *out)
{
	uint8_t msg[8 + PROT_PAYLOAD_MAX_HEADER_SIZE];
	uint8_t mac[48];
	int rc;

	if (prefix_len + len > sizeof(msg))
		return -EINVAL;
	memcpy(msg, prefix, prefix_len);
	memcpy(msg + prefix_len, data, len);
	rc = ops->hmac(ctx, SPDM_HASH_SHA384, mac_key, MAC_KEY_SIZE, msg,
		       prefix_len + len, mac);
	if (!rc)
		memcpy(out, mac, PROT_PAYLOAD_CHECK_SIZE);
	ops->zeroize(ctx, mac, sizeof(mac));
	return rc;
}

/* Nonce of chunk @index: the envelope nonce, last four bytes XOR @index
 * (big endian). */
static void chunk_nonce(const uint8_t *base, uint32_t index, uint8_t *nonce)
{
	memcpy(nonce, base, PROT_PAYLOAD_NONCE_SIZE);
	nonce[8] ^= (uint8_t)(index >> 24);
	nonce[9] ^= (uint8_t)(index >> 16);
	nonce[10] ^= (uint8_t)(index >> 8);
	nonce[11] ^= (uint8_t)index;
}

/* Bytes of plaintext in chunk @index. */
static uint32_t chunk_len(uint32_t length, uint32_t chunk_size, uint32_t index)
{
	uint32_t start = index * chunk_size;

	return length - start < chunk_size ? length - start : chunk_size;
}

/* ---- decryption ---- */

static int fail(struct prot_payload_dec *d, enum prot_payload_reason reason)
{
	d->ops->zeroize(d->crypto_ctx, d->enc_key, sizeof(d->enc_key));
	d->ops->zeroize(d->crypto_ctx, d->rec, d->rec_size);
	d->state = ST_FAILED;
	d->reason = (uint8_t)reason;
	return reason_errno[reason];
}

int prot_payload_dec_init(struct prot_payload_dec *d,
			  const struct spdm_crypto_ops *ops, void *crypto_ctx,
			  uint8_t key_id, const struct prot_payload_out *out,
			  uint8_t *rec, size_t rec_size)
{
	if (!d || !ops || !out || !out->write || !rec ||
	    rec_size < PROT_PAYLOAD_RECORD_SIZE(
			       1u << PROT_PAYLOAD_MIN_CHUNK_SHIFT))
		return -EINVAL;
	if (!has_common_ops(ops) || !ops->dhe_compute_key || !ops->aead_decrypt)
		return -ENOTSUP;
	memset(d, 0, sizeof(*d));
	d->ops = ops;
	d->crypto_ctx = crypto_ctx;
	d->out = *out;
	d->rec = rec;
	d->rec_size = rec_size;
	d->key_id = key_id;
	d->state = ST_HEADER;
	return 0;
}

/* The 16 fixed bytes are in: check them, learn the header size. */
static int parse_fixed(struct prot_payload_dec *d)
{
	const uint8_t *h = d->hdr;
	uint8_t curve = h[5], shift = h[7];
	uint32_t length = get_le32(h + 8);

	if (get_le32(h) != PROT_PAYLOAD_MAGIC ||
	    h[4] != PROT_PAYLOAD_FORMAT_VERSION || get_le32(h + 12) != 0 ||
	    shift < PROT_PAYLOAD_MIN_CHUNK_SHIFT ||
	    shift > PROT_PAYLOAD_MAX_CHUNK_SHIFT || length == 0)
		return fail(d, PROT_PAYLOAD_ERR_FORMAT);
	if (!pub_size(curve) ||
	    !(d->ops->dhe_groups(d->crypto_ctx) & (1u << group_of(curve))))
		return fail(d, PROT_PAYLOAD_ERR_CURVE);
	if (h[6] != d->key_id)
		return fail(d, PROT_PAYLOAD_ERR_KEY_ID);
	if (PROT_PAYLOAD_RECORD_SIZE((size_t)1 << shift) > d->rec_size)
		return fail(d, PROT_PAYLOAD_ERR_CHUNK_SIZE);
	d->curve = curve;
	d->chunk_size = 1u << shift;
	d->length = length;
	d->chunks = length / d->chunk_size + (length % d->chunk_size ? 1 : 0);
	d->hdr_len = PROT_PAYLOAD_HEADER_SIZE(pub_size(curve));
	return 0;
}

/* The whole header is in: agree on the key, check key, header, nonce. */
static int accept_header(struct prot_payload_dec *d)
{
	const struct spdm_crypto_ops *ops = d->ops;
	void *ctx = d->crypto_ctx;
	size_t k = pub_size(d->curve), z_len = (k - 1) / 2;
	const uint8_t *pub = d->hdr + PROT_PAYLOAD_FIXED_SIZE;
	enum prot_payload_reason reason = PROT_PAYLOAD_OK;
	uint8_t z[SPDM_MAX_DHE_SECRET_SIZE], check[PROT_PAYLOAD_CHECK_SIZE];
	struct keys keys;
	int rc;

	rc = ops->dhe_compute_key(ctx, d->key_id, group_of(d->curve), pub, k, z,
				  z_len);
	if (rc) {
		ops->zeroize(ctx, z, sizeof(z));
		return fail(d, rc == -EBADMSG  ? PROT_PAYLOAD_ERR_KEY_SHARE
			       : rc == -ENOENT ? PROT_PAYLOAD_ERR_KEY_ID
					       : PROT_PAYLOAD_ERR_CRYPTO);
	}
	rc = derive(ops, ctx, pub, k, z, z_len, &keys);
	ops->zeroize(ctx, z, sizeof(z));
	if (rc)
		reason = PROT_PAYLOAD_ERR_CRYPTO;
	else if (!same(keys.check, d->hdr + off_check(k),
		       PROT_PAYLOAD_CHECK_SIZE))
		reason = PROT_PAYLOAD_ERR_KEY_SHARE;
	else if (check_value(ops, ctx, keys.mac, prefix_header,
			     LABEL_LEN(prefix_header), d->hdr, off_nonce(k),
			     check))
		reason = PROT_PAYLOAD_ERR_CRYPTO;
	else if (!same(check, d->hdr + off_header_check(k),
		       PROT_PAYLOAD_CHECK_SIZE))
		reason = PROT_PAYLOAD_ERR_HEADER;
	else if (check_value(ops, ctx, keys.mac, prefix_nonce,
			     LABEL_LEN(prefix_nonce), d->hdr + off_nonce(k),
			     PROT_PAYLOAD_NONCE_SIZE, check))
		reason = PROT_PAYLOAD_ERR_CRYPTO;
	else if (!same(check, d->hdr + off_nonce_check(k),
		       PROT_PAYLOAD_CHECK_SIZE))
		reason = PROT_PAYLOAD_ERR_NONCE;
	if (reason == PROT_PAYLOAD_OK)
		memcpy(d->enc_key, keys.enc, sizeof(d->enc_key));
	ops->zeroize(ctx, &keys, sizeof(keys));
	if (reason != PROT_PAYLOAD_OK)
		return fail(d, reason);
	d->state = ST_CHUNKS;
	return 0;
}

/* Size of the record of the next chunk. */
static size_t record_size(const struct prot_payload_dec *d)
{
	return PROT_PAYLOAD_RECORD_SIZE(
		(size_t)chunk_len(d->length, d->chunk_size, d->next));
}

/* A complete record is in d->rec: check, decrypt in place, write. */
static int open_record(struct prot_payload_dec *d)
{
	const struct spdm_crypto_ops *ops = d->ops;
	uint32_t len = chunk_len(d->length, d->chunk_size, d->next);
	size_t k = pub_size(d->curve);
	uint8_t nonce[PROT_PAYLOAD_NONCE_SIZE];
	uint8_t *ct = d->rec + PROT_PAYLOAD_INDEX_SIZE;
	bool last = d->next + 1 == d->chunks;
	int rc;

	if (get_le32(d->rec) != d->next)
		return fail(d, PROT_PAYLOAD_ERR_ORDER);
	put_le32(d->hdr + d->hdr_len, d->next);
	d->hdr[d->hdr_len + 4] = (uint8_t)last;
	chunk_nonce(d->hdr + off_nonce(k), d->next, nonce);
	rc = ops->aead_decrypt(d->crypto_ctx, SPDM_AEAD_AES_256_GCM, d->enc_key,
			       sizeof(d->enc_key), nonce, sizeof(nonce), d->hdr,
			       d->hdr_len + 5, ct, len, ct + len,
			       PROT_PAYLOAD_TAG_SIZE, ct);
	if (rc)
		return fail(d, rc == -EPERM ? PROT_PAYLOAD_ERR_CHUNK_AUTH
					    : PROT_PAYLOAD_ERR_CRYPTO);
	rc = d->out.write(d->out.ctx, d->next * d->chunk_size, ct, len);
	ops->zeroize(d->crypto_ctx, d->rec, PROT_PAYLOAD_RECORD_SIZE(len));
	if (rc)
		return fail(d, PROT_PAYLOAD_ERR_WRITE);
	d->next++;
	d->rec_fill = 0;
	if (d->next == d->chunks) {
		ops->zeroize(d->crypto_ctx, d->enc_key, sizeof(d->enc_key));
		d->state = ST_DONE;
	}
	return 0;
}

int prot_payload_dec_write(struct prot_payload_dec *d, const uint8_t *data,
			   size_t len)
{
	size_t n;
	int rc;

	if (!d || (!data && len))
		return -EINVAL;
	if (d->state == ST_FAILED)
		return reason_errno[d->reason];
	if (d->state != ST_HEADER && d->state != ST_CHUNKS &&
	    d->state != ST_DONE)
		return -EINVAL;
	while (len) {
		if (d->state == ST_DONE)
			return fail(d, PROT_PAYLOAD_ERR_TRAILING);
		if (d->state == ST_HEADER) {
			size_t want = d->hdr_len ? d->hdr_len
						 : PROT_PAYLOAD_FIXED_SIZE;

			n = want - d->hdr_fill < len ? want - d->hdr_fill : len;
			memcpy(d->hdr + d->hdr_fill, data, n);
			d->hdr_fill += n;
			data += n;
			len -= n;
			if (d->hdr_fill < want)
				break;
			rc = d->hdr_len ? accept_header(d) : parse_fixed(d);
			if (rc)
				return rc;
			continue;
		}
		n = record_size(d) - d->rec_fill;
		if (n > len)
			n = len;
		memcpy(d->rec + d->rec_fill, data, n);
		d->rec_fill += n;
		data += n;
		len -= n;
		if (d->rec_fill == record_size(d)) {
			rc = open_record(d);
			if (rc)
				return rc;
		}
	}
	return 0;
}

int prot_payload_dec_finish(struct prot_payload_dec *d)
{
	if (!d)
		return -EINVAL;
	switch (d->state) {
	case ST_DONE:
		d->state = ST_FINISHED;
		return 0;
	case ST_FAILED:
		return reason_errno[d->reason];
	case ST_HEADER:
	case ST_CHUNKS:
		return fail(d, PROT_PAYLOAD_ERR_TRUNCATED);
	default:
		return -EINVAL;
	}
}

void prot_payload_dec_abort(struct prot_payload_dec *d)
{
	if (!d || d->state == ST_NONE)
		return;
	d->ops->zeroize(d->crypto_ctx, d->enc_key, sizeof(d->enc_key));
	d->ops->zeroize(d->crypto_ctx, d->rec, d->rec_size);
	d->state = ST_NONE;
}

enum prot_payload_reason
prot_payload_dec_reason(const struct prot_payload_dec *d)
{
	if (!d)
		return PROT_PAYLOAD_ERR_ARGS;
	return (enum prot_payload_reason)d->reason;
}

uint32_t prot_payload_dec_length(const struct prot_payload_dec *d)
{
	if (!d || (d->state != ST_CHUNKS && d->state != ST_DONE &&
		   d->state != ST_FINISHED))
		return 0;
	return d->length;
}

/* ---- encryption ---- */

size_t prot_payload_envelope_size(uint8_t curve, uint8_t chunk_shift,
				  uint32_t len)
{
	size_t k = pub_size(curve);
	uint64_t chunks, size;

	if (!k || !len || chunk_shift < PROT_PAYLOAD_MIN_CHUNK_SHIFT ||
	    chunk_shift > PROT_PAYLOAD_MAX_CHUNK_SHIFT)
		return 0;
	chunks = ((uint64_t)len + (1u << chunk_shift) - 1) >> chunk_shift;
	size = PROT_PAYLOAD_HEADER_SIZE(k) + (uint64_t)len +
	       chunks * (PROT_PAYLOAD_INDEX_SIZE + PROT_PAYLOAD_TAG_SIZE);
	if (size > UINT32_MAX || size > SIZE_MAX)
		return 0;
	return (size_t)size;
}

/* Ephemeral key, shared secret and key derivation; the header's fixed
 * part and public key are written. */
static int sender_keys(const struct spdm_crypto_ops *ops, void *ctx,
		       const uint8_t *recipient, size_t k, uint8_t *env,
		       struct keys *keys)
{
	struct spdm_dhe_key eph;
	uint8_t z[SPDM_MAX_DHE_SECRET_SIZE];
	size_t z_len = (k - 1) / 2;
	int rc;

	memset(&eph, 0, sizeof(eph));
	rc = ops->dhe_generate(
		ctx, &eph, k == 65 ? SPDM_DHE_SECP256R1 : SPDM_DHE_SECP384R1,
		env + PROT_PAYLOAD_FIXED_SIZE, k);
	if (rc)
		return rc;
	rc = ops->dhe_compute(ctx, &eph, recipient, k, z, z_len);
	ops->dhe_free(ctx, &eph);
	if (!rc)
		rc = derive(ops, ctx, env + PROT_PAYLOAD_FIXED_SIZE, k, z,
			    z_len, keys);
	ops->zeroize(ctx, z, sizeof(z));
	return rc;
}

int prot_payload_encrypt(const struct spdm_crypto_ops *ops, void *crypto_ctx,
			 const uint8_t *recipient, size_t recipient_len,
			 uint8_t key_id, uint8_t chunk_shift, const uint8_t *in,
			 uint32_t len, uint8_t *env, size_t env_cap,
			 size_t *env_len)
{
	uint8_t aad[PROT_PAYLOAD_MAX_HEADER_SIZE + 5];
	uint8_t nonce[PROT_PAYLOAD_NONCE_SIZE];
	uint8_t curve = recipient_len == 65   ? PROT_PAYLOAD_CURVE_P256
			: recipient_len == 97 ? PROT_PAYLOAD_CURVE_P384
					      : 0;
	size_t size = prot_payload_envelope_size(curve, chunk_shift, len);
	size_t k = recipient_len, hdr_len, pos;
	uint32_t chunk_size, chunks;
	struct keys keys;
	int rc;

	if (!recipient || !in || !env || !env_len || !size)
		return -EINVAL;
	if (!has_common_ops(ops) || !ops->dhe_generate || !ops->dhe_compute ||
	    !ops->dhe_free || !ops->random || !ops->aead_encrypt)
		return -ENOTSUP;
	if (!(ops->dhe_groups(crypto_ctx) & (1u << group_of(curve))))
		return -ENOTSUP;
	if (env_cap < size)
		return -EMSGSIZE;

	hdr_len = PROT_PAYLOAD_HEADER_SIZE(k);
	chunk_size = 1u << chunk_shift;
	chunks = (uint32_t)((len + (uint64_t)chunk_size - 1) >> chunk_shift);
	put_le32(env, PROT_PAYLOAD_MAGIC);
	env[4] = PROT_PAYLOAD_FORMAT_VERSION;
	env[5] = curve;
	env[6] = key_id;
	env[7] = chunk_shift;
	put_le32(env + 8, len);
	put_le32(env + 12, 0);

	memset(&keys, 0, sizeof(keys));
	rc = sender_keys(ops, crypto_ctx, recipient, k, env, &keys);
	if (rc)
		goto out;
	memcpy(env + off_check(k), keys.check, PROT_PAYLOAD_CHECK_SIZE);
	rc = ops->random(crypto_ctx, env + off_nonce(k),
			 PROT_PAYLOAD_NONCE_SIZE);
	if (!rc)
		rc = check_value(ops, crypto_ctx, keys.mac, prefix_nonce,
				 LABEL_LEN(prefix_nonce), env + off_nonce(k),
				 PROT_PAYLOAD_NONCE_SIZE,
				 env + off_nonce_check(k));
	if (!rc)
		rc = check_value(ops, crypto_ctx, keys.mac, prefix_header,
				 LABEL_LEN(prefix_header), env, off_nonce(k),
				 env + off_header_check(k));
	if (rc)
		goto out;

	memcpy(aad, env, hdr_len);
	pos = hdr_len;
	for (uint32_t i = 0; i < chunks; i++) {
		uint32_t n = chunk_len(len, chunk_size, i);

		put_le32(env + pos, i);
		put_le32(aad + hdr_len, i);
		aad[hdr_len + 4] = (uint8_t)(i + 1 == chunks);
		chunk_nonce(env + off_nonce(k), i, nonce);
		rc = ops->aead_encrypt(crypto_ctx, SPDM_AEAD_AES_256_GCM,
				       keys.enc, sizeof(keys.enc), nonce,
				       sizeof(nonce), aad, hdr_len + 5,
				       in + (size_t)i * chunk_size, n,
				       env + pos + PROT_PAYLOAD_INDEX_SIZE,
				       env + pos + PROT_PAYLOAD_INDEX_SIZE + n,
				       PROT_PAYLOAD_TAG_SIZE);
		if (rc)
			goto out;
		pos += PROT_PAYLOAD_RECORD_SIZE((size_t)n);
	}
	*env_len = pos;
out:
	ops->zeroize(crypto_ctx, &keys, sizeof(keys));
	if (rc) {
		ops->zeroize(crypto_ctx, env, size);
		if (rc != -EBADMSG && rc != -ENOTSUP && rc != -EINVAL)
			rc = -EIO;
	}
	return rc;
}
