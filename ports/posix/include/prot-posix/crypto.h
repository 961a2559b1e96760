/* SPDX-License-Identifier: Apache-2.0 */
/*
 * POSIX port: the libspdm-lite crypto operations (struct spdm_crypto_ops)
 * on mbedTLS, through its PSA Crypto API (hash, ECDSA sign and verify,
 * random) and its X.509 module (certificate chains). Builds against
 * mbedTLS 2.28 and 3.6.
 *
 * What it offers: SHA-256, SHA-384 and SHA-512 always, SHA3-256/384/512
 * only when this mbedTLS has them in PSA (2.28 does not); ECDSA on NIST
 * P-256 and P-384. The hash used inside ECDSA follows the digest length
 * (32, 48 or 64 bytes), so a P-256 key can sign a SHA-384 digest as SPDM
 * allows.
 *
 * PSA Crypto is process-wide in mbedTLS: prot_crypto_init() starts it
 * (psa_crypto_init() may be called any number of times) and
 * prot_crypto_free() leaves it running for other instances. Several
 * struct prot_crypto may exist at once (a requester and a responder in one
 * process); they share nothing but the PSA random generator.
 *
 * The optional ops of spdm/crypto.h are all offered (crypto-mbedtls-ext.c):
 * ECDHE on P-256 and P-384 (PSA key agreement), HMAC-SHA-256/384 (PSA
 * MAC), HKDF-Extract / HKDF-Expand (mbedTLS's classic hkdf module: the
 * PSA Crypto of 2.28 has only the combined HKDF), AES-256-GCM (mbedTLS's
 * classic gcm module: PSA's AEAD wants the tag appended to the ciphertext,
 * the op keeps it apart and works in place) and zeroize.
 */
#ifndef PROT_POSIX_CRYPTO_H
#define PROT_POSIX_CRYPTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <mbedtls/x509_crt.h>
#include <psa/crypto.h>

#include "spdm/crypto.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Certificates in one SPDM certificate chain that chain_verify accepts
 * (root and leaf included). */
#define PROT_CRYPTO_MAX_CHAIN_CERTS 8
/* Largest key or certificate file the *_file loaders read. */
#define PROT_CRYPTO_MAX_FILE_SIZE 65536
/* The slot number of the key whose public half was provisioned to
 * requesters (SPDM SlotID 0xFF). */
#define PROT_CRYPTO_SLOT_PROVISIONED 0xFFu
/* Long-term ECDH keys (dhe_compute_key @key_id 0 .. n - 1), e.g. the
 * device key that encrypted payloads are sent to. */
#define PROT_CRYPTO_MAX_DHE_KEYS 4u

/**
 * Context of prot_crypto_ops (the ctx handed to libspdm-lite), owned by
 * the caller. Set it up with prot_crypto_init(), then load what the role
 * needs: slot keys for a responder (slot 0xFF included), trust anchors for
 * a requester, long-term ECDH keys for a receiver of encrypted payloads. Fields
 * are private to crypto-mbedtls.c.
 * @slot_key: PSA key of each certificate slot (0: none).
 * @slot_alg: curve of each slot key.
 * @anchors: trusted root certificates (a list parsed by mbedTLS).
 * @anchor_count: certificates in @anchors.
 * @prov_key: PSA key of slot 0xFF (PROT_CRYPTO_SLOT_PROVISIONED; 0: none).
 * @prov_alg: its curve.
 * @dhe_key: PSA key of each long-term ECDH key (0: none).
 * @dhe_group: its group.
 * @ready: prot_crypto_init() succeeded and prot_crypto_free() was not
 *     called since.
 */
struct prot_crypto {
	mbedtls_svc_key_id_t slot_key[SPDM_MAX_SLOTS];
	enum spdm_asym_alg slot_alg[SPDM_MAX_SLOTS];
	mbedtls_x509_crt anchors;
	unsigned int anchor_count;
	mbedtls_svc_key_id_t prov_key;
	enum spdm_asym_alg prov_alg;
	mbedtls_svc_key_id_t dhe_key[PROT_CRYPTO_MAX_DHE_KEYS];
	enum spdm_dhe_group dhe_group[PROT_CRYPTO_MAX_DHE_KEYS];
	bool ready;
};

/**
 * Crypto ops for spdm_*_init(), with a struct prot_crypto as ctx.
 * Errors, beyond those of spdm/crypto.h:
 *  hash_init: -ENOTSUP for an algorithm not in hash_algos, -EINVAL for
 *      SPDM_HASH_NONE; hash_update / hash_final: -EINVAL on a state that
 *      was not started (or was already finished or aborted), -EIO if
 *      mbedTLS fails.
 *  sign: -EINVAL for a slot >= SPDM_MAX_SLOTS other than 0xFF
 *      (PROT_CRYPTO_SLOT_PROVISIONED), a slot without a key, @alg
 *      not the slot key's curve, @digest_len not 32, 48 or 64, or @sig_len
 *      not spdm_sig_size(@alg); -EIO if mbedTLS fails. Never -EAGAIN.
 *  verify: -EINVAL for an unknown @alg, @pubkey_len not 1 + 2 x curve
 *      size, @digest_len not 32, 48 or 64, or @sig_len not
 *      spdm_sig_size(@alg); -EBADMSG for a public key that is not a point
 *      of the curve; -EPERM for a signature that does not verify.
 *  chain_verify: -EBADMSG for an empty chain, bytes that are not a
 *      sequence of DER certificates, or more than
 *      PROT_CRYPTO_MAX_CHAIN_CERTS; -EPERM when the first certificate is
 *      not one of the trust anchors (byte for byte), the X.509 path does
 *      not verify (signatures, validity dates, CA basic constraints, key
 *      usage keyCertSign of issuers), or the leaf's key usage does not
 *      allow digitalSignature; -ENOTSUP when the leaf key is not on P-256
 *      or P-384; -EMSGSIZE when *@pubkey_len is too small; -EINVAL with
 *      no trust anchor loaded.
 *  random: -EIO if the generator fails.
 *  dhe_generate / dhe_compute / dhe_compute_key: -EIO if PSA fails;
 *      dhe_compute_key: -ENOENT for a @key_id >= PROT_CRYPTO_MAX_DHE_KEYS
 *      or one without a key.
 *  hmac / hkdf_*: -EINVAL for NULL pointers with a non-zero length.
 *  aead_*: -EIO if mbedTLS fails for another reason than the tag.
 */
extern const struct spdm_crypto_ops prot_crypto_ops;

/**
 * Set up @c with no keys and no trust anchors, starting PSA Crypto.
 * Returns 0, -EINVAL (@c NULL) or -EIO (psa_crypto_init() failed, e.g.
 * no entropy source).
 */
int prot_crypto_init(struct prot_crypto *c);

/**
 * Destroy the slot keys and trust anchors of @c (keys are wiped by PSA).
 * @c may be set up again with prot_crypto_init(). Safe on a zeroed or
 * already freed @c.
 */
void prot_crypto_free(struct prot_crypto *c);

/**
 * Load the private key of certificate slot @slot (0 .. SPDM_MAX_SLOTS - 1,
 * or PROT_CRYPTO_SLOT_PROVISIONED for SlotID 0xFF) from @key (@len bytes):
 * PEM (PKCS#8 or SEC1 "EC PRIVATE KEY", unencrypted; a terminating NUL is
 * optional) or DER (PKCS#8 or SEC1). The key must be on P-256 or P-384.
 * The bytes are only read during the call; the copies made are wiped.
 * Replaces a key already in the slot. Returns 0, -EINVAL (@c not set up,
 * @slot >= SPDM_MAX_SLOTS), -EBADMSG (not a key we can parse, or
 * encrypted), -ENOTSUP (not an EC key on P-256 or P-384), -EFBIG (longer
 * than PROT_CRYPTO_MAX_FILE_SIZE) or -EIO (PSA refused the key).
 */
int prot_crypto_load_slot_key(struct prot_crypto *c, uint8_t slot,
			      const uint8_t *key, size_t len);

/**
 * Write the public key (0x04 || X || Y) of certificate slot @slot (or 0xFF)
 * to @pubkey (capacity *@pubkey_len in, length out): what a requester is
 * provisioned with for slot 0xFF. Returns 0, -EINVAL (@c not set up, bad
 * slot, no key in it), -EMSGSIZE or -EIO.
 */
int prot_crypto_export_slot_public(struct prot_crypto *c, uint8_t slot,
				   uint8_t *pubkey, size_t *pubkey_len);

/**
 * Load long-term ECDH private key @key_id (< PROT_CRYPTO_MAX_DHE_KEYS) for
 * dhe_compute_key, from PEM or DER as prot_crypto_load_slot_key() (same
 * errors; P-256 or P-384). It is usable for key agreement only, never for
 * signing. Replaces a key already there.
 */
int prot_crypto_load_dhe_key(struct prot_crypto *c, uint8_t key_id,
			     const uint8_t *key, size_t len);

/** As prot_crypto_load_dhe_key(), from the file at @path. */
int prot_crypto_load_dhe_key_file(struct prot_crypto *c, uint8_t key_id,
				  const char *path);

/**
 * As prot_crypto_load_dhe_key(), from the raw big-endian private scalar
 * @d (@len: 32 for P-256, 48 for P-384, as @group says). Returns 0,
 * -EINVAL (bad arguments or length), -EBADMSG (0 or not below the curve
 * order) or -EIO.
 */
int prot_crypto_load_dhe_key_raw(struct prot_crypto *c, uint8_t key_id,
				 enum spdm_dhe_group group, const uint8_t *d,
				 size_t len);

/**
 * Write the public key (0x04 || X || Y) of long-term ECDH key @key_id to
 * @pubkey (capacity *@pubkey_len in, length out): what a sender encrypts
 * to. Returns 0, -EINVAL, -ENOENT (no such key), -EMSGSIZE or -EIO.
 */
int prot_crypto_export_dhe_public(struct prot_crypto *c, uint8_t key_id,
				  uint8_t *pubkey, size_t *pubkey_len);

/**
 * As prot_crypto_load_slot_key(), from the file at @path. Also returns
 * the negative errno of open() or read() (-ENOENT, -EACCES...).
 */
int prot_crypto_load_slot_key_file(struct prot_crypto *c, uint8_t slot,
				   const char *path);

/**
 * Add the trusted root certificate(s) in @cert (@len bytes): one DER
 * certificate, or PEM with one or more certificates. chain_verify accepts
 * a chain only if its first certificate is byte for byte one of them.
 * Returns 0, -EINVAL (@c not set up, @len 0), -EBADMSG (a certificate
 * does not parse: nothing is added then) or -EFBIG.
 */
int prot_crypto_add_trust_anchor(struct prot_crypto *c, const uint8_t *cert,
				 size_t len);

/**
 * As prot_crypto_add_trust_anchor(), from the file at @path (DER or PEM).
 * Also returns the negative errno of open() or read().
 */
int prot_crypto_add_trust_anchor_file(struct prot_crypto *c, const char *path);

#ifdef __cplusplus
}
#endif

#endif /* PROT_POSIX_CRYPTO_H */
