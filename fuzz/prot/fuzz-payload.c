/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libFuzzer harness: the streaming decryptor of encrypted payloads
 * (prot/payload.h).
 *
 * Input: 4 control bytes, then an envelope. The crypto ops are fakes that
 * a mutation can satisfy, so that every stage is reached: ECDH refuses a
 * key share whose first byte is not 0x04 (as an invalid point) and
 * otherwise "succeeds"; HKDF and HMAC output zeros, so the key, nonce and
 * header checks pass when those fields are zero; the "AEAD" accepts a tag
 * of zeros and "decrypts" by XOR with 0x5A.
 *
 *   ctl[0]: bytes per dec_write call - 1 (1 .. 256)
 *   ctl[1]: record buffer for chunks of 1 << (8 + ctl[1] % 4) bytes
 *   ctl[2]: bit 0: ECDH fails with -EIO; bit 1: the write callback fails
 *           at the chunk numbered ctl[3]
 *   ctl[3]: see ctl[2] bit 1
 *
 * Oracle besides the sanitizers: the write callback sees offsets in order
 * with no gap, never more bytes than the header's length, and only data
 * that passed the fake tag; every return is 0 or the errno of the reason
 * the decryptor reports; a refusal is sticky; finish returns 0 only when
 * exactly the header's length was written.
 */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "prot/payload.h"

struct fake {
	bool ecdh_fails;
};

static uint32_t fake_groups(void *ctx)
{
	(void)ctx;
	return 1u << SPDM_DHE_SECP256R1 | 1u << SPDM_DHE_SECP384R1;
}

static int fake_compute_key(void *ctx, uint8_t key_id,
			    enum spdm_dhe_group group, const uint8_t *peer,
			    size_t peer_len, uint8_t *secret, size_t secret_len)
{
	const struct fake *f = ctx;
	size_t size = group == SPDM_DHE_SECP256R1 ? 32 : 48;

	(void)key_id;
	if (!peer || !secret || peer_len != 1 + 2 * size || secret_len != size)
		abort();
	if (f->ecdh_fails)
		return -EIO;
	if (peer[0] != 0x04)
		return -EBADMSG;
	memcpy(secret, peer + 1, size);
	return 0;
}

static int fake_extract(void *ctx, enum spdm_hash_alg alg, const uint8_t *salt,
			size_t salt_len, const uint8_t *ikm, size_t ikm_len,
			uint8_t *prk)
{
	(void)ctx;
	(void)salt;
	(void)salt_len;
	(void)ikm;
	(void)ikm_len;
	if (alg != SPDM_HASH_SHA384)
		abort();
	memset(prk, 0, 48);
	return 0;
}

static int fake_expand(void *ctx, enum spdm_hash_alg alg, const uint8_t *prk,
		       size_t prk_len, const uint8_t *info, size_t info_len,
		       uint8_t *okm, size_t okm_len)
{
	(void)ctx;
	(void)prk;
	(void)info;
	(void)info_len;
	if (alg != SPDM_HASH_SHA384 || prk_len != 48 || !okm_len ||
	    okm_len > 255 * 48)
		abort();
	memset(okm, 0, okm_len);
	return 0;
}

static int fake_hmac(void *ctx, enum spdm_hash_alg alg, const uint8_t *key,
		     size_t key_len, const uint8_t *data, size_t len,
		     uint8_t *mac)
{
	(void)ctx;
	(void)key;
	(void)key_len;
	if (alg != SPDM_HASH_SHA384 || (!data && len))
		abort();
	memset(mac, 0, 48);
	return 0;
}

static int fake_decrypt(void *ctx, enum spdm_aead_alg alg, const uint8_t *key,
			size_t key_len, const uint8_t *nonce, size_t nonce_len,
			const uint8_t *aad, size_t aad_len, const uint8_t *in,
			size_t len, const uint8_t *tag, size_t tag_len,
			uint8_t *out)
{
	uint8_t any = 0;

	(void)ctx;
	(void)key;
	(void)nonce;
	(void)aad;
	if (alg != SPDM_AEAD_AES_256_GCM || key_len != 32 || nonce_len != 12 ||
	    !aad_len || tag_len != 16)
		abort();
	for (size_t i = 0; i < tag_len; i++)
		any |= tag[i];
	if (any) {
		memset(out, 0, len);
		return -EPERM;
	}
	for (size_t i = 0; i < len; i++)
		out[i] = (uint8_t)(in[i] ^ 0x5A);
	return 0;
}

static void fake_zeroize(void *ctx, void *buf, size_t len)
{
	(void)ctx;
	memset(buf, 0, len);
}

static const struct spdm_crypto_ops fake_ops = {
	.dhe_groups = fake_groups,
	.dhe_compute_key = fake_compute_key,
	.hmac = fake_hmac,
	.hkdf_extract = fake_extract,
	.hkdf_expand = fake_expand,
	.aead_decrypt = fake_decrypt,
	.zeroize = fake_zeroize,
};

struct sink {
	uint32_t written;
	unsigned int calls;
	int fail_at;
};

static int sink_write(void *ctx, uint32_t offset, const uint8_t *data,
		      size_t len)
{
	struct sink *s = ctx;

	if (offset != s->written || !data || !len || len > 4096)
		abort();
	if ((int)s->calls == s->fail_at)
		return -EIO;
	s->written += (uint32_t)len;
	s->calls++;
	return 0;
}

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

static void check_rc(const struct prot_payload_dec *d, int rc)
{
	enum prot_payload_reason r = prot_payload_dec_reason(d);

	if (r >= PROT_PAYLOAD_REASON_COUNT)
		abort();
	if (rc != reason_errno[r])
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t rec[PROT_PAYLOAD_RECORD_SIZE(4096)];
	struct prot_payload_dec d;
	struct fake fake;
	struct sink sink = {0, 0, -1};
	const struct prot_payload_out out = {sink_write, &sink};
	size_t piece, pos;
	int rc = 0;

	if (size < 4)
		return 0;
	piece = (size_t)data[0] + 1;
	fake.ecdh_fails = data[2] & 1;
	if (data[2] & 2)
		sink.fail_at = data[3];
	if (prot_payload_dec_init(&d, &fake_ops, &fake, 0, &out, rec,
				  PROT_PAYLOAD_RECORD_SIZE((size_t)256
							   << (data[1] % 4))))
		abort();
	data += 4;
	size -= 4;

	for (pos = 0; pos < size && !rc; pos += piece) {
		size_t n = size - pos < piece ? size - pos : piece;

		rc = prot_payload_dec_write(&d, data + pos, n);
		check_rc(&d, rc);
	}
	if (rc) {
		/* Sticky. */
		if (prot_payload_dec_write(&d, data, size ? 1 : 0) != rc ||
		    prot_payload_dec_finish(&d) != rc)
			abort();
	} else {
		rc = prot_payload_dec_finish(&d);
		check_rc(&d, rc);
		if (!rc && sink.written != prot_payload_dec_length(&d))
			abort();
	}
	if (sink.written > prot_payload_dec_length(&d) &&
	    prot_payload_dec_length(&d))
		abort();
	prot_payload_dec_abort(&d);
	return 0;
}
