/* SPDX-License-Identifier: Apache-2.0 */
/*
 * POSIX port, internal: the optional crypto ops of spdm/crypto.h (ECDHE,
 * HMAC, HKDF, AES-256-GCM, zeroize), in crypto-mbedtls-ext.c, shared with
 * crypto-mbedtls.c, which puts them in prot_crypto_ops. Contracts: in
 * spdm/crypto.h and prot-posix/crypto.h.
 */
#ifndef PROT_POSIX_CRYPTO_EXT_H
#define PROT_POSIX_CRYPTO_EXT_H

#include <stddef.h>
#include <stdint.h>

#include "prot-posix/crypto.h"

/* @ctx as a set-up struct prot_crypto, or NULL. */
struct prot_crypto *prot_crypto_ready(void *ctx);

/* Coordinate size of @group in bytes (32, 48), 0 if unknown. */
size_t prot_crypto_dhe_size(enum spdm_dhe_group group);

uint32_t prot_crypto_dhe_groups(void *ctx);
int prot_crypto_dhe_generate(void *ctx, struct spdm_dhe_key *key,
			     enum spdm_dhe_group group, uint8_t *pubkey,
			     size_t pubkey_len);
int prot_crypto_dhe_compute(void *ctx, const struct spdm_dhe_key *key,
			    const uint8_t *peer, size_t peer_len,
			    uint8_t *secret, size_t secret_len);
int prot_crypto_dhe_compute_key(void *ctx, uint8_t key_id,
				enum spdm_dhe_group group, const uint8_t *peer,
				size_t peer_len, uint8_t *secret,
				size_t secret_len);
void prot_crypto_dhe_free(void *ctx, struct spdm_dhe_key *key);
int prot_crypto_hmac(void *ctx, enum spdm_hash_alg alg, const uint8_t *key,
		     size_t key_len, const uint8_t *data, size_t len,
		     uint8_t *mac);
int prot_crypto_hkdf_extract(void *ctx, enum spdm_hash_alg alg,
			     const uint8_t *salt, size_t salt_len,
			     const uint8_t *ikm, size_t ikm_len, uint8_t *prk);
int prot_crypto_hkdf_expand(void *ctx, enum spdm_hash_alg alg,
			    const uint8_t *prk, size_t prk_len,
			    const uint8_t *info, size_t info_len, uint8_t *okm,
			    size_t okm_len);
int prot_crypto_aead_encrypt(void *ctx, enum spdm_aead_alg alg,
			     const uint8_t *key, size_t key_len,
			     const uint8_t *nonce, size_t nonce_len,
			     const uint8_t *aad, size_t aad_len,
			     const uint8_t *in, size_t len, uint8_t *out,
			     uint8_t *tag, size_t tag_len);
int prot_crypto_aead_decrypt(void *ctx, enum spdm_aead_alg alg,
			     const uint8_t *key, size_t key_len,
			     const uint8_t *nonce, size_t nonce_len,
			     const uint8_t *aad, size_t aad_len,
			     const uint8_t *in, size_t len, const uint8_t *tag,
			     size_t tag_len, uint8_t *out);
void prot_crypto_zeroize(void *ctx, void *buf, size_t len);

#endif /* PROT_POSIX_CRYPTO_EXT_H */
