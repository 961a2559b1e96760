/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The optional crypto ops of spdm/crypto.h on mbedTLS (2.28 and 3.6):
 *
 *  - ECDHE key generation and ECDH (P-256, P-384): PSA Crypto
 *    (psa_generate_key, psa_raw_key_agreement), which validates the peer
 *    point (on the curve, coordinates below p) before using it.
 *  - HMAC-SHA-256/384: PSA Crypto (psa_mac_compute).
 *  - HKDF-Extract and HKDF-Expand: the classic mbedtls_hkdf_* functions.
 *    The PSA Crypto of 2.28 has only the combined extract-then-expand
 *    (PSA_ALG_HKDF); the separate steps came with 3.x.
 *  - AES-256-GCM: the classic mbedtls_gcm_* functions. PSA's one-shot AEAD
 *    takes and produces ciphertext || tag in one buffer, the op keeps the
 *    tag apart and may work in place; mbedtls_gcm_auth_decrypt() also
 *    checks the tag in constant time and wipes the output on a mismatch.
 *  - zeroize: mbedtls_platform_zeroize().
 *
 * No secret is ever logged; local copies are wiped before returning.
 */
#include <errno.h>
#include <string.h>

#include <mbedtls/gcm.h>
#include <mbedtls/hkdf.h>
#include <mbedtls/md.h>
#include <mbedtls/platform_util.h>
#include <psa/crypto.h>

#include "crypto-ext.h"

/* Marks a struct spdm_dhe_key holding a key made by dhe_generate. */
#define DHE_MAGIC 0x44484B31u

struct dhe_state {
	uint32_t magic;
	uint32_t group; /* enum spdm_dhe_group */
	mbedtls_svc_key_id_t id;
};

_Static_assert(sizeof(struct dhe_state) <= SPDM_DHE_KEY_STATE_SIZE,
	       "struct spdm_dhe_key too small for a PSA key handle");
_Static_assert(_Alignof(struct dhe_state) <= _Alignof(struct spdm_dhe_key),
	       "struct spdm_dhe_key is not aligned enough");

static struct dhe_state *dhe_state(struct spdm_dhe_key *key)
{
	return (struct dhe_state *)(void *)key->opaque;
}

size_t prot_crypto_dhe_size(enum spdm_dhe_group group)
{
	switch (group) {
	case SPDM_DHE_SECP256R1:
		return 32;
	case SPDM_DHE_SECP384R1:
		return 48;
	default:
		return 0;
	}
}

uint32_t prot_crypto_dhe_groups(void *ctx)
{
	if (!prot_crypto_ready(ctx))
		return 0;
	return 1u << SPDM_DHE_SECP256R1 | 1u << SPDM_DHE_SECP384R1;
}

int prot_crypto_dhe_generate(void *ctx, struct spdm_dhe_key *key,
			     enum spdm_dhe_group group, uint8_t *pubkey,
			     size_t pubkey_len)
{
	psa_key_attributes_t attr = PSA_KEY_ATTRIBUTES_INIT;
	mbedtls_svc_key_id_t id = MBEDTLS_SVC_KEY_ID_INIT;
	size_t size = prot_crypto_dhe_size(group), out_len = 0;
	struct dhe_state *s;
	psa_status_t st;

	if (!prot_crypto_ready(ctx) || !key || !pubkey)
		return -EINVAL;
	s = dhe_state(key);
	memset(key, 0, sizeof(*key));
	if (!size)
		return group == SPDM_DHE_NONE ? -EINVAL : -ENOTSUP;
	if (pubkey_len != 1 + 2 * size)
		return -EINVAL;
	psa_set_key_type(&attr,
			 PSA_KEY_TYPE_ECC_KEY_PAIR(PSA_ECC_FAMILY_SECP_R1));
	psa_set_key_bits(&attr, size * 8);
	psa_set_key_usage_flags(&attr, PSA_KEY_USAGE_DERIVE);
	psa_set_key_algorithm(&attr, PSA_ALG_ECDH);
	st = psa_generate_key(&attr, &id);
	psa_reset_key_attributes(&attr);
	if (st != PSA_SUCCESS)
		return -EIO;
	st = psa_export_public_key(id, pubkey, pubkey_len, &out_len);
	if (st != PSA_SUCCESS || out_len != pubkey_len) {
		psa_destroy_key(id);
		memset(pubkey, 0, pubkey_len);
		return -EIO;
	}
	s->id = id;
	s->group = (uint32_t)group;
	s->magic = DHE_MAGIC;
	return 0;
}

/* ECDH of PSA key @id (on @group) with @peer, checked and mapped. */
static int agree(mbedtls_svc_key_id_t id, enum spdm_dhe_group group,
		 const uint8_t *peer, size_t peer_len, uint8_t *secret,
		 size_t secret_len)
{
	size_t size = prot_crypto_dhe_size(group), out_len = 0;
	psa_status_t st;

	if (!peer || !secret || !size)
		return -EINVAL;
	if (peer_len != 1 + 2 * size || secret_len != size)
		return -EINVAL;
	/* Only uncompressed points (PSA would also refuse the others). */
	if (peer[0] != 0x04)
		return -EBADMSG;
	st = psa_raw_key_agreement(PSA_ALG_ECDH, id, peer, peer_len, secret,
				   secret_len, &out_len);
	if (st == PSA_SUCCESS && out_len == secret_len)
		return 0;
	mbedtls_platform_zeroize(secret, secret_len);
	if (st == PSA_ERROR_INVALID_ARGUMENT || st == PSA_ERROR_NOT_SUPPORTED)
		return -EBADMSG;
	return -EIO;
}

int prot_crypto_dhe_compute(void *ctx, const struct spdm_dhe_key *key,
			    const uint8_t *peer, size_t peer_len,
			    uint8_t *secret, size_t secret_len)
{
	const struct dhe_state *s;

	if (!prot_crypto_ready(ctx) || !key)
		return -EINVAL;
	s = (const struct dhe_state *)(const void *)key->opaque;
	if (s->magic != DHE_MAGIC)
		return -EINVAL;
	return agree(s->id, (enum spdm_dhe_group)s->group, peer, peer_len,
		     secret, secret_len);
}

int prot_crypto_dhe_compute_key(void *ctx, uint8_t key_id,
				enum spdm_dhe_group group, const uint8_t *peer,
				size_t peer_len, uint8_t *secret,
				size_t secret_len)
{
	struct prot_crypto *c = prot_crypto_ready(ctx);

	if (!c)
		return -EINVAL;
	if (key_id >= PROT_CRYPTO_MAX_DHE_KEYS ||
	    mbedtls_svc_key_id_is_null(c->dhe_key[key_id]))
		return -ENOENT;
	if (c->dhe_group[key_id] != group)
		return -EINVAL;
	return agree(c->dhe_key[key_id], group, peer, peer_len, secret,
		     secret_len);
}

void prot_crypto_dhe_free(void *ctx, struct spdm_dhe_key *key)
{
	struct dhe_state *s;

	(void)ctx;
	if (!key)
		return;
	s = dhe_state(key);
	if (s->magic == DHE_MAGIC)
		psa_destroy_key(s->id); /* PSA wipes the key material */
	mbedtls_platform_zeroize(key, sizeof(*key));
}

static psa_algorithm_t psa_hash_alg(enum spdm_hash_alg alg)
{
	return alg == SPDM_HASH_SHA256   ? PSA_ALG_SHA_256
	       : alg == SPDM_HASH_SHA384 ? PSA_ALG_SHA_384
					 : 0;
}

int prot_crypto_hmac(void *ctx, enum spdm_hash_alg alg, const uint8_t *key,
		     size_t key_len, const uint8_t *data, size_t len,
		     uint8_t *mac)
{
	static const uint8_t zero_key[1] = {0};
	psa_key_attributes_t attr = PSA_KEY_ATTRIBUTES_INIT;
	mbedtls_svc_key_id_t id = MBEDTLS_SVC_KEY_ID_INIT;
	psa_algorithm_t h = psa_hash_alg(alg);
	size_t size = spdm_hash_size(alg), out_len = 0;
	psa_status_t st;

	if (!prot_crypto_ready(ctx) || (!key && key_len) || (!data && len) ||
	    !mac)
		return -EINVAL;
	if (!h)
		return alg == SPDM_HASH_NONE ? -EINVAL : -ENOTSUP;
	/* PSA refuses an empty key; HMAC pads a short key with zero bytes to
	 * the block size, so the key "" and the key 0x00 give the same MAC. */
	if (!key_len) {
		key = zero_key;
		key_len = sizeof(zero_key);
	}
	psa_set_key_type(&attr, PSA_KEY_TYPE_HMAC);
	psa_set_key_usage_flags(&attr, PSA_KEY_USAGE_SIGN_MESSAGE);
	psa_set_key_algorithm(&attr, PSA_ALG_HMAC(h));
	st = psa_import_key(&attr, key, key_len, &id);
	psa_reset_key_attributes(&attr);
	if (st != PSA_SUCCESS)
		return -EIO;
	st = psa_mac_compute(id, PSA_ALG_HMAC(h), data ? data : zero_key, len,
			     mac, size, &out_len);
	psa_destroy_key(id);
	if (st != PSA_SUCCESS || out_len != size) {
		mbedtls_platform_zeroize(mac, size);
		return -EIO;
	}
	return 0;
}

static const mbedtls_md_info_t *md_of(enum spdm_hash_alg alg)
{
	switch (alg) {
	case SPDM_HASH_SHA256:
		return mbedtls_md_info_from_type(MBEDTLS_MD_SHA256);
	case SPDM_HASH_SHA384:
		return mbedtls_md_info_from_type(MBEDTLS_MD_SHA384);
	default:
		return NULL;
	}
}

int prot_crypto_hkdf_extract(void *ctx, enum spdm_hash_alg alg,
			     const uint8_t *salt, size_t salt_len,
			     const uint8_t *ikm, size_t ikm_len, uint8_t *prk)
{
	static const uint8_t empty[1] = {0};
	const mbedtls_md_info_t *md = md_of(alg);

	if (!prot_crypto_ready(ctx) || (!salt && salt_len) ||
	    (!ikm && ikm_len) || !prk)
		return -EINVAL;
	if (!md)
		return alg == SPDM_HASH_NONE ? -EINVAL : -ENOTSUP;
	/* mbedTLS takes a NULL salt as "hash-size zeros" (RFC 5869). */
	if (mbedtls_hkdf_extract(md, salt_len ? salt : NULL, salt_len,
				 ikm ? ikm : empty, ikm_len, prk)) {
		mbedtls_platform_zeroize(prk, spdm_hash_size(alg));
		return -EIO;
	}
	return 0;
}

int prot_crypto_hkdf_expand(void *ctx, enum spdm_hash_alg alg,
			    const uint8_t *prk, size_t prk_len,
			    const uint8_t *info, size_t info_len, uint8_t *okm,
			    size_t okm_len)
{
	static const uint8_t empty[1] = {0};
	const mbedtls_md_info_t *md = md_of(alg);
	size_t size = spdm_hash_size(alg);

	if (!prot_crypto_ready(ctx) || !prk || (!info && info_len) || !okm)
		return -EINVAL;
	if (!md)
		return alg == SPDM_HASH_NONE ? -EINVAL : -ENOTSUP;
	if (prk_len < size || !okm_len || okm_len > 255 * size)
		return -EINVAL;
	if (mbedtls_hkdf_expand(md, prk, prk_len, info ? info : empty, info_len,
				okm, okm_len)) {
		mbedtls_platform_zeroize(okm, okm_len);
		return -EIO;
	}
	return 0;
}

static int gcm_args(void *ctx, enum spdm_aead_alg alg, const uint8_t *key,
		    size_t key_len, const uint8_t *nonce, size_t nonce_len,
		    const uint8_t *aad, size_t aad_len, const uint8_t *in,
		    size_t len, const void *out, const void *tag,
		    size_t tag_len)
{
	if (!prot_crypto_ready(ctx) || !key || !nonce || (!aad && aad_len) ||
	    (len && (!in || !out)) || !tag)
		return -EINVAL;
	if (alg != SPDM_AEAD_AES_256_GCM)
		return alg == SPDM_AEAD_NONE ? -EINVAL : -ENOTSUP;
	if (key_len != SPDM_AES_256_GCM_KEY_SIZE ||
	    nonce_len != SPDM_AES_256_GCM_NONCE_SIZE ||
	    tag_len != SPDM_AES_256_GCM_TAG_SIZE)
		return -EINVAL;
	return 0;
}

int prot_crypto_aead_encrypt(void *ctx, enum spdm_aead_alg alg,
			     const uint8_t *key, size_t key_len,
			     const uint8_t *nonce, size_t nonce_len,
			     const uint8_t *aad, size_t aad_len,
			     const uint8_t *in, size_t len, uint8_t *out,
			     uint8_t *tag, size_t tag_len)
{
	mbedtls_gcm_context gcm;
	int rc;

	rc = gcm_args(ctx, alg, key, key_len, nonce, nonce_len, aad, aad_len,
		      in, len, out, tag, tag_len);
	if (rc)
		return rc;
	mbedtls_gcm_init(&gcm);
	rc = mbedtls_gcm_setkey(&gcm, MBEDTLS_CIPHER_ID_AES, key,
				(unsigned int)(key_len * 8));
	if (!rc)
		rc = mbedtls_gcm_crypt_and_tag(&gcm, MBEDTLS_GCM_ENCRYPT, len,
					       nonce, nonce_len, aad, aad_len,
					       in, out, tag_len, tag);
	mbedtls_gcm_free(&gcm); /* wipes the key schedule */
	if (rc) {
		if (len)
			mbedtls_platform_zeroize(out, len);
		mbedtls_platform_zeroize(tag, tag_len);
		return -EIO;
	}
	return 0;
}

int prot_crypto_aead_decrypt(void *ctx, enum spdm_aead_alg alg,
			     const uint8_t *key, size_t key_len,
			     const uint8_t *nonce, size_t nonce_len,
			     const uint8_t *aad, size_t aad_len,
			     const uint8_t *in, size_t len, const uint8_t *tag,
			     size_t tag_len, uint8_t *out)
{
	mbedtls_gcm_context gcm;
	int rc;

	rc = gcm_args(ctx, alg, key, key_len, nonce, nonce_len, aad, aad_len,
		      in, len, out, tag, tag_len);
	if (rc)
		return rc;
	mbedtls_gcm_init(&gcm);
	rc = mbedtls_gcm_setkey(&gcm, MBEDTLS_CIPHER_ID_AES, key,
				(unsigned int)(key_len * 8));
	if (!rc)
		rc = mbedtls_gcm_auth_decrypt(&gcm, len, nonce, nonce_len, aad,
					      aad_len, tag, tag_len, in, out);
	mbedtls_gcm_free(&gcm);
	if (!rc)
		return 0;
	/* mbedTLS wipes @out on a bad tag; do it on every failure. */
	if (len)
		mbedtls_platform_zeroize(out, len);
	return rc == MBEDTLS_ERR_GCM_AUTH_FAILED ? -EPERM : -EIO;
}

void prot_crypto_zeroize(void *ctx, void *buf, size_t len)
{
	(void)ctx;
	if (buf && len)
		mbedtls_platform_zeroize(buf, len);
}
