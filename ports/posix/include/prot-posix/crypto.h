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

/**
 * Context of prot_crypto_ops (the ctx handed to libspdm-lite), owned by
 * the caller. Set it up with prot_crypto_init(), then load what the role
 * needs: slot keys for a responder, trust anchors for a requester. Fields
 * are private to crypto-mbedtls.c.
 * @slot_key: PSA key of each certificate slot (0: none).
 * @slot_alg: curve of each slot key.
 * @anchors: trusted root certificates (a list parsed by mbedTLS).
 * @anchor_count: certificates in @anchors.
 * @ready: prot_crypto_init() succeeded and prot_crypto_free() was not
 *     called since.
 */
struct prot_crypto {
	mbedtls_svc_key_id_t slot_key[SPDM_MAX_SLOTS];
	enum spdm_asym_alg slot_alg[SPDM_MAX_SLOTS];
	mbedtls_x509_crt anchors;
	unsigned int anchor_count;
	bool ready;
};

/**
 * Crypto ops for spdm_*_init(), with a struct prot_crypto as ctx.
 * Errors, beyond those of spdm/crypto.h:
 *  hash_init: -ENOTSUP for an algorithm not in hash_algos, -EINVAL for
 *      SPDM_HASH_NONE; hash_update / hash_final: -EINVAL on a state that
 *      was not started (or was already finished or aborted), -EIO if
 *      mbedTLS fails.
 *  sign: -EINVAL for a slot >= SPDM_MAX_SLOTS, a slot without a key, @alg
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
 * Load the private key of certificate slot @slot from @key (@len bytes):
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
