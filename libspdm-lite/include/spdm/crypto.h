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

/* Ephemeral (EC)DHE groups, as the library names them (not the wire
 * bits). */
enum spdm_dhe_group {
	SPDM_DHE_NONE = 0,
	SPDM_DHE_SECP256R1,
	SPDM_DHE_SECP384R1,
};

/* AEAD algorithms (not the wire bits). */
enum spdm_aead_alg {
	SPDM_AEAD_NONE = 0,
	SPDM_AEAD_AES_256_GCM,
};

/* ECDH shared secrets are the X coordinate of the shared point, big
 * endian: 32 bytes on P-256, 48 on P-384. */
#define SPDM_MAX_DHE_SECRET_SIZE 48u
#define SPDM_AES_256_GCM_KEY_SIZE 32u
#define SPDM_AES_256_GCM_NONCE_SIZE 12u
#define SPDM_AES_256_GCM_TAG_SIZE 16u

/* Bytes a port may keep for one ephemeral ECDH private key (a key handle,
 * or the scalar itself). A port must check at build time that its state
 * fits; override with -DSPDM_DHE_KEY_STATE_SIZE=n if a port needs more. */
#ifndef SPDM_DHE_KEY_STATE_SIZE
#define SPDM_DHE_KEY_STATE_SIZE 64u
#endif

/* Storage for one ephemeral ECDH private key, owned by the caller, opaque
 * to it: only the port reads and writes it (dhe_generate fills it,
 * dhe_compute uses it, dhe_free wipes it). All-zero bytes mean "no key". */
struct spdm_dhe_key {
	_Alignas(16) uint8_t opaque[SPDM_DHE_KEY_STATE_SIZE];
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
 *
 * The ops below are optional: a port without them leaves them NULL, and
 * code that needs them checks for NULL first (then returns -ENOTSUP).
 * Secrets (private keys, shared secrets, PRKs, AEAD keys) are never logged
 * by a port; every temporary copy a port makes of one is zeroised before
 * the op returns. Output buffers of secrets are the caller's to wipe (with
 * zeroize).
 *
 * dhe_groups: the (EC)DHE groups dhe_generate / dhe_compute /
 *     dhe_compute_key support, as a mask of (1u << enum spdm_dhe_group).
 * dhe_generate: make a fresh ephemeral key pair on @group; keep the private
 *     key in @key (any previous content is overwritten without being
 *     released: call dhe_free first) and write the public key 0x04 || X ||
 *     Y to @pubkey, @pubkey_len exactly 1 + 2 x coordinate size (65 for
 *     P-256, 97 for P-384). Returns -ENOTSUP for a group not in
 *     dhe_groups, -EINVAL for a wrong @pubkey_len. On failure @key holds
 *     no key.
 * dhe_compute: the ECDH shared secret (X coordinate of the shared point,
 *     big endian) of the private key in @key and the peer's public key
 *     @peer (0x04 || X || Y on the same curve), into @secret, @secret_len
 *     exactly the coordinate size (32 or 48). The peer point is validated:
 *     a wrong prefix, coordinates out of range or a point not on the curve
 *     give -EBADMSG; a @peer_len that does not match the curve -EINVAL;
 *     -EINVAL too when @key holds no key. @key stays usable (dhe_free
 *     releases it). On failure nothing usable is in @secret.
 * dhe_compute_key: as dhe_compute, with a long-term private key the port
 *     holds, named by @key_id (port-defined, e.g. a device decryption key
 *     provisioned at manufacturing), on @group. -ENOENT when the port has
 *     no such key, -EINVAL when the key is not on @group. For the receiver
 *     of data encrypted to the device.
 * dhe_free: wipe and release the private key in @key (never fails; safe on
 *     an all-zero or already freed @key).
 * hmac: HMAC with @alg (SHA-256 or SHA-384; -ENOTSUP for others) of @data
 *     keyed with @key, writing spdm_hash_size(@alg) bytes to @mac. A
 *     @key_len of 0 is allowed (@key may then be NULL).
 * hkdf_extract: HKDF-Extract (RFC 5869) with HMAC-@alg: PRK =
 *     HMAC(@salt, @ikm), spdm_hash_size(@alg) bytes to @prk. An empty salt
 *     (@salt_len 0) means hash-size zero bytes, as RFC 5869 says.
 * hkdf_expand: HKDF-Expand (RFC 5869): @okm_len bytes (1 .. 255 x hash
 *     size, else -EINVAL) from @prk (@prk_len >= hash size, else -EINVAL)
 *     and @info (may be empty).
 * aead_encrypt: AEAD (@alg: SPDM_AEAD_AES_256_GCM) with @key (32 bytes),
 *     @nonce (12 bytes), additional data @aad (may be empty) over @len
 *     bytes of @in, writing @len bytes of ciphertext to @out and the tag
 *     (@tag_len 16) to @tag. @out may be @in (in place), no other overlap.
 *     -EINVAL for any other key, nonce or tag length.
 * aead_decrypt: the inverse: checks @tag (16 bytes) over @aad, @nonce and
 *     the @len ciphertext bytes @in, and writes the plaintext to @out (may
 *     be @in). Returns 0 only if the tag is right; -EPERM if not, and then
 *     @out holds nothing usable (a port zeroes it). Lengths as
 *     aead_encrypt (-EINVAL).
 * zeroize: overwrite @len bytes at @buf with zeros in a way the compiler
 *     cannot drop (never fails). For the caller's copies of secrets.
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

	/* Optional: NULL when a port lacks them (see above). */
	uint32_t (*dhe_groups)(void *ctx);
	int (*dhe_generate)(void *ctx, struct spdm_dhe_key *key,
			    enum spdm_dhe_group group, uint8_t *pubkey,
			    size_t pubkey_len);
	int (*dhe_compute)(void *ctx, const struct spdm_dhe_key *key,
			   const uint8_t *peer, size_t peer_len,
			   uint8_t *secret, size_t secret_len);
	int (*dhe_compute_key)(void *ctx, uint8_t key_id,
			       enum spdm_dhe_group group, const uint8_t *peer,
			       size_t peer_len, uint8_t *secret,
			       size_t secret_len);
	void (*dhe_free)(void *ctx, struct spdm_dhe_key *key);
	int (*hmac)(void *ctx, enum spdm_hash_alg alg, const uint8_t *key,
		    size_t key_len, const uint8_t *data, size_t len,
		    uint8_t *mac);
	int (*hkdf_extract)(void *ctx, enum spdm_hash_alg alg,
			    const uint8_t *salt, size_t salt_len,
			    const uint8_t *ikm, size_t ikm_len, uint8_t *prk);
	int (*hkdf_expand)(void *ctx, enum spdm_hash_alg alg,
			   const uint8_t *prk, size_t prk_len,
			   const uint8_t *info, size_t info_len, uint8_t *okm,
			   size_t okm_len);
	int (*aead_encrypt)(void *ctx, enum spdm_aead_alg alg,
			    const uint8_t *key, size_t key_len,
			    const uint8_t *nonce, size_t nonce_len,
			    const uint8_t *aad, size_t aad_len,
			    const uint8_t *in, size_t len, uint8_t *out,
			    uint8_t *tag, size_t tag_len);
	int (*aead_decrypt)(void *ctx, enum spdm_aead_alg alg,
			    const uint8_t *key, size_t key_len,
			    const uint8_t *nonce, size_t nonce_len,
			    const uint8_t *aad, size_t aad_len,
			    const uint8_t *in, size_t len, const uint8_t *tag,
			    size_t tag_len, uint8_t *out);
	void (*zeroize)(void *ctx, void *buf, size_t len);
};

/** Digest size of @alg in bytes, 0 for SPDM_HASH_NONE or unknown. */
size_t spdm_hash_size(enum spdm_hash_alg alg);

/** Raw signature size (r || s) of @alg in bytes, 0 if unknown. */
size_t spdm_sig_size(enum spdm_asym_alg alg);

#ifdef __cplusplus
}
#endif

#endif /* SPDM_CRYPTO_H */
