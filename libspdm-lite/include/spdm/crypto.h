/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The crypto operations libspdm-lite needs, implemented by a port (the
 * POSIX port uses mbedTLS). The library never does crypto itself.
 *
 * Every op takes the port's context pointer first. Ops return 0 or a
 * negative errno: -ENOTSUP for an algorithm the provider lacks, -EINVAL for
 * bad arguments, -EBADMSG for malformed input (a certificate, a key), -EPERM
 * for a failed verification, -EIO when the provider itself fails. A verification op returns 0 ONLY when the
 * check passed.
 *
 * Hash state lives in storage the library owns (struct spdm_hash_state,
 * SPDM_HASH_STATE_SIZE bytes, set by the spdm_hash_state_size Meson option):
 * a port must check at build time that its hash context fits.
 */
#ifndef SPDM_CRYPTO_H
#define SPDM_CRYPTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "spdm/config.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Hash algorithms, as the library names them (not the wire bits). */
enum spdm_hash_alg {
	SPDM_HASH_NONE = 0,
	SPDM_HASH_SHA256,
	SPDM_HASH_SHA384,
	SPDM_HASH_SHA512,
	SPDM_HASH_SHA3_256,
	SPDM_HASH_SHA3_384,
	SPDM_HASH_SHA3_512,
};

/* Asymmetric signature algorithms (not the wire bits). */
enum spdm_asym_alg {
	SPDM_ASYM_NONE = 0,
	SPDM_ASYM_ECDSA_P256,
	SPDM_ASYM_ECDSA_P384,
};

#define SPDM_MAX_HASH_SIZE 64u
/* ECDSA signatures are r || s, each the size of the curve order, big
 * endian (DSP0274 "ECDSA signature"): 64 bytes for P-256, 96 for P-384. */
#define SPDM_MAX_SIG_SIZE 96u
/* Public keys are uncompressed points: 0x04 || X || Y. */
#define SPDM_MAX_PUBKEY_SIZE 97u

struct spdm_hash_state {
	_Alignas(16) uint8_t opaque[SPDM_HASH_STATE_SIZE];
};

/**
 * Crypto operations (const, may live in ROM).
 *
 * hash_algos / asym_algos: what the provider can do, as masks of
 *     (1u << enum value), e.g. 1u << SPDM_HASH_SHA384. Only these are ever
 *     offered or accepted in algorithm negotiation.
 * hash_init: start a hash of @alg in @state.
 * hash_update: add @len bytes.
 * hash_final: write the digest (the algorithm's size) to @digest and
 *     release the state. After it, or after hash_abort, @state may be
 *     started again.
 * hash_abort: release the state without a digest (never fails).
 * sign: sign @digest (the algorithm's hash size) with the private key of
 *     certificate slot @slot (0..7; 0xFF: the key whose public half was
 *     provisioned to requesters, SPDM SlotID 0xFF), writing the raw r || s signature (2 x curve
 *     size) to @sig. May return -EAGAIN when the signer is busy (a slow
 *     engine): the responder then answers ResponseNotReady and calls again
 *     on RESPOND_IF_READY. Responder only; NULL on a requester.
 * verify: check raw r || s @sig over @digest with the public key @pubkey
 *     (0x04 || X || Y). Returns 0 only if the signature is valid, -EPERM
 *     if not. Requester only; NULL on a responder.
 * chain_verify: @certs are the DER certificates of an SPDM certificate
 *     chain (after its header and root hash), root first. Validate the
 *     X.509 path from a trust anchor the port holds to the last
 *     (leaf) certificate, and copy the leaf's public key (0x04 || X || Y)
 *     to @pubkey (capacity *@pubkey_len in, length out). Returns 0 only if
 *     the path is valid and the first certificate is a trusted root.
 *     Requester only.
 * random: fill @out with @len bytes from a cryptographic RNG.
 */
struct spdm_crypto_ops {
	uint32_t (*hash_algos)(void *ctx);
	uint32_t (*asym_algos)(void *ctx);
	int (*hash_init)(void *ctx, struct spdm_hash_state *state,
			 enum spdm_hash_alg alg);
	int (*hash_update)(void *ctx, struct spdm_hash_state *state,
			   const uint8_t *data, size_t len);
	int (*hash_final)(void *ctx, struct spdm_hash_state *state,
			  uint8_t *digest);
	void (*hash_abort)(void *ctx, struct spdm_hash_state *state);
	int (*sign)(void *ctx, uint8_t slot, enum spdm_asym_alg alg,
		    const uint8_t *digest, size_t digest_len, uint8_t *sig,
		    size_t sig_len);
	int (*verify)(void *ctx, enum spdm_asym_alg alg, const uint8_t *pubkey,
		      size_t pubkey_len, const uint8_t *digest,
		      size_t digest_len, const uint8_t *sig, size_t sig_len);
	int (*chain_verify)(void *ctx, const uint8_t *certs, size_t len,
			    uint8_t *pubkey, size_t *pubkey_len);
	int (*random)(void *ctx, uint8_t *out, size_t len);
};

/** Digest size of @alg in bytes, 0 for SPDM_HASH_NONE or unknown. */
size_t spdm_hash_size(enum spdm_hash_alg alg);

/** Raw signature size (r || s) of @alg in bytes, 0 if unknown. */
size_t spdm_sig_size(enum spdm_asym_alg alg);

#ifdef __cplusplus
}
#endif

#endif /* SPDM_CRYPTO_H */
