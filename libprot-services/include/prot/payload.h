/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Encrypted payloads (envelope format version 1, laid out byte by byte in
 * docs/payload-encryption.md): data sent to one device over an untrusted
 * link, readable only by the holder of the device's long-term ECDH key.
 *
 * The sender makes an ephemeral key pair on the device key's curve (P-256
 * or P-384) and derives, with HKDF-SHA-384 over the ECDH shared secret:
 *
 *   PRK       = HKDF-Extract(salt = ephemeral public key, IKM = Z)
 *   enc_key   = HKDF-Expand(PRK, "prot payload v1 key", 32)
 *   mac_key   = HKDF-Expand(PRK, "prot payload v1 mac", 48)
 *   key_check = HKDF-Expand(PRK, "prot payload v1 check", 16)
 *
 * Header (little-endian integers; K = 65 on P-256, 97 on P-384):
 *
 *   offset  size  what
 *   0       4     magic "PENC"
 *   4       1     format version (1)
 *   5       1     curve: 1 P-256, 2 P-384
 *   6       1     recipient key id (the device's ECDH key)
 *   7       1     chunk shift: chunks are 1 << shift bytes (8 .. 16)
 *   8       4     payload length (plaintext = ciphertext bytes, >= 1)
 *   12      4     flags (none defined: must be 0)
 *   16      K     sender's ephemeral public key 0x04 || X || Y
 *   16+K    16    key_check
 *   32+K    12    nonce (random, per envelope)
 *   44+K    16    nonce_check  = HMAC-SHA-384(mac_key, "nonce" || nonce)
 *                                truncated to 16 bytes
 *   60+K    16    header_check = HMAC-SHA-384(mac_key, "header" ||
 *                                bytes 0 .. 32+K) truncated to 16 bytes
 *   76+K          end of the header (141 or 173 bytes)
 *
 * Then one record per chunk, in order: chunk index (4 bytes), ciphertext
 * (chunk size bytes, the last chunk the remainder), GCM tag (16). Chunk i
 * is AES-256-GCM with enc_key, the nonce with its last four bytes XORed
 * with i (big endian), AAD = the whole header || i (4 bytes, little
 * endian) || 1 if it is the last chunk else 0. So every chunk is bound to
 * the header, its position and whether it ends the payload: reordered,
 * dropped, repeated or appended chunks and truncation are all refused.
 *
 * Decryption streams: bytes are fed in pieces of any size, each chunk is
 * authenticated before its plaintext is handed to the caller's write
 * callback (e.g. a flash write), and RAM use is the decryptor struct plus
 * one record buffer (chunk size + 20 bytes) that the caller provides. The
 * plaintext of the chunks already written is authentic but the payload is
 * complete only when prot_payload_dec_finish() returns 0: a caller must
 * not use (boot, install) what was written before that.
 *
 * All crypto goes through the optional ops of libspdm-lite's struct
 * spdm_crypto_ops (dhe_compute_key to decrypt; dhe_generate, dhe_compute,
 * random to encrypt; hkdf_extract, hkdf_expand, hmac, aead_*, zeroize).
 * Keys are wiped on every exit path. No heap, no globals, no I/O.
 */
#ifndef PROT_PAYLOAD_H
#define PROT_PAYLOAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "spdm/crypto.h"

#ifdef __cplusplus
extern "C" {
#endif

/* "PENC" in the first four bytes (0x50 0x45 0x4E 0x43), read as a
 * little-endian 32-bit value. */
#define PROT_PAYLOAD_MAGIC 0x434E4550u
#define PROT_PAYLOAD_FORMAT_VERSION 1u

/* Curve byte of the header. */
#define PROT_PAYLOAD_CURVE_P256 1u
#define PROT_PAYLOAD_CURVE_P384 2u

#define PROT_PAYLOAD_FIXED_SIZE 16u /* magic .. flags */
#define PROT_PAYLOAD_CHECK_SIZE 16u /* key_check, nonce_check, header_check */
#define PROT_PAYLOAD_NONCE_SIZE 12u
#define PROT_PAYLOAD_TAG_SIZE 16u
#define PROT_PAYLOAD_INDEX_SIZE 4u
/* Header size for a public key of @k bytes (65 or 97). */
#define PROT_PAYLOAD_HEADER_SIZE(k) (PROT_PAYLOAD_FIXED_SIZE + (k) + 60u)
#define PROT_PAYLOAD_MAX_HEADER_SIZE PROT_PAYLOAD_HEADER_SIZE(97u)

#define PROT_PAYLOAD_MIN_CHUNK_SHIFT 8u  /* 256 bytes */
#define PROT_PAYLOAD_MAX_CHUNK_SHIFT 16u /* 64 KiB */
/* Bytes of record buffer the decryptor needs for chunks of @size bytes. */
#define PROT_PAYLOAD_RECORD_SIZE(size)                                         \
	((size) + PROT_PAYLOAD_INDEX_SIZE + PROT_PAYLOAD_TAG_SIZE)

/*
 * Why a payload was refused. Every refusal has its own reason and its own
 * negative errno (given beside each), except ERR_ARGS / ERR_STATE and
 * ERR_WRITE / ERR_CRYPTO, which are not verdicts on the data.
 */
enum prot_payload_reason {
	PROT_PAYLOAD_OK = 0,
	PROT_PAYLOAD_ERR_ARGS,       /* -EINVAL: NULL pointer, bad size */
	PROT_PAYLOAD_ERR_STATE,      /* -EINVAL: call after a refusal or
				       after finish */
	PROT_PAYLOAD_ERR_FORMAT,     /* -EPROTO: bad magic or version,
				       unknown flag, chunk shift out of
				       range, length 0 */
	PROT_PAYLOAD_ERR_CURVE,      /* -ENOTSUP: unknown curve, or one the
				       crypto ops lack */
	PROT_PAYLOAD_ERR_KEY_ID,     /* -ENOENT: made for another key id than
				       the decryptor's */
	PROT_PAYLOAD_ERR_CHUNK_SIZE, /* -ENOSPC: chunks larger than the
					record buffer */
	PROT_PAYLOAD_ERR_KEY_SHARE,  /* -EACCES: the ephemeral public key is
				       not a point of the curve, or the
				       key_check does not match (wrong key
				       share, or not for this device) */
	PROT_PAYLOAD_ERR_HEADER,     /* -EBADMSG: header_check does not match
				       (a header field was changed) */
	PROT_PAYLOAD_ERR_NONCE,      /* -ENOMSG: nonce_check does not match */
	PROT_PAYLOAD_ERR_ORDER,      /* -EILSEQ: a record's chunk index is not
				       the next one (reordered, dropped or
				       repeated chunk) */
	PROT_PAYLOAD_ERR_CHUNK_AUTH, /* -EPERM: a chunk's GCM tag does not
					verify: its ciphertext or its tag
					was changed (GCM cannot tell which)
					*/
	PROT_PAYLOAD_ERR_TRUNCATED,  /* -ENODATA: finish before the last
				       chunk was complete */
	PROT_PAYLOAD_ERR_TRAILING,   /* -E2BIG: bytes after the last chunk */
	PROT_PAYLOAD_ERR_WRITE,      /* -EIO: the write callback failed */
	PROT_PAYLOAD_ERR_CRYPTO,     /* -EIO: an op is missing or failed */
};

#define PROT_PAYLOAD_REASON_COUNT (PROT_PAYLOAD_ERR_CRYPTO + 1)

/**
 * Where authenticated plaintext goes: @write(ctx, offset, data, len) is
 * called once per chunk, in order, offset 0 first; it returns 0 or a
 * negative errno (the decryptor then fails with PROT_PAYLOAD_ERR_WRITE).
 * @data is only valid during the call.
 */
struct prot_payload_out {
	int (*write)(void *ctx, uint32_t offset, const uint8_t *data,
		     size_t len);
	void *ctx;
};

/**
 * Streaming decryptor, owned by the caller; fields are private to
 * payload.c. RAM: about 300 bytes plus the record buffer.
 */
struct prot_payload_dec {
	const struct spdm_crypto_ops *ops;
	void *crypto_ctx;
	struct prot_payload_out out;
	uint8_t *rec;
	size_t rec_size;
	uint8_t key_id;
	uint8_t state;
	uint8_t reason; /* enum prot_payload_reason */
	uint8_t curve;
	/* The header, then 5 bytes of per-chunk AAD after it. */
	uint8_t hdr[PROT_PAYLOAD_MAX_HEADER_SIZE + 5];
	size_t hdr_len; /* 0 until the curve byte is known */
	size_t hdr_fill;
	uint8_t enc_key[SPDM_AES_256_GCM_KEY_SIZE];
	uint32_t length;
	uint32_t chunk_size;
	uint32_t chunks;
	uint32_t next;   /* index of the next chunk */
	size_t rec_fill; /* bytes of the current record in rec */
};

/**
 * Set up @d to decrypt one envelope made for the device's long-term ECDH
 * key @key_id (the dhe_compute_key op's key id), writing plaintext through
 * @out. @rec (@rec_size bytes) holds one record at a time: at least
 * PROT_PAYLOAD_RECORD_SIZE(chunk size) for the envelopes to accept.
 * Returns 0, -EINVAL (NULL, @rec_size below
 * PROT_PAYLOAD_RECORD_SIZE(256)) or -ENOTSUP (an op the decryptor needs
 * is NULL).
 */
int prot_payload_dec_init(struct prot_payload_dec *d,
			  const struct spdm_crypto_ops *ops, void *crypto_ctx,
			  uint8_t key_id, const struct prot_payload_out *out,
			  uint8_t *rec, size_t rec_size);

/**
 * Feed the next @len bytes of the envelope (any split). Checks the header
 * once it is complete, then authenticates, decrypts and writes each chunk
 * once its record is complete. Returns 0 or the negative errno of the
 * refusal (see enum prot_payload_reason); after a refusal every call
 * fails with the same error, the keys are wiped and nothing more is
 * written.
 */
int prot_payload_dec_write(struct prot_payload_dec *d, const uint8_t *data,
			   size_t len);

/**
 * End of the envelope: returns 0 only if every chunk was authenticated
 * and written (the payload is complete), else the refusal's errno
 * (-ENODATA when the envelope was cut short). Wipes the keys either way.
 */
int prot_payload_dec_finish(struct prot_payload_dec *d);

/** Wipe the keys and the record buffer; @d can then only be set up again. */
void prot_payload_dec_abort(struct prot_payload_dec *d);

/** The reason of the refusal (PROT_PAYLOAD_OK when none). */
enum prot_payload_reason
prot_payload_dec_reason(const struct prot_payload_dec *d);

/** Payload length from the checked header, 0 before the header was
 * accepted. */
uint32_t prot_payload_dec_length(const struct prot_payload_dec *d);

/**
 * Size of the envelope for @len bytes of payload on @curve
 * (PROT_PAYLOAD_CURVE_*) with chunks of 1 << @chunk_shift bytes, or 0 for
 * bad arguments (or a size that does not fit 32 bits).
 */
size_t prot_payload_envelope_size(uint8_t curve, uint8_t chunk_shift,
				  uint32_t len);

/**
 * Encrypt (sender side, for host tools): @len bytes at @in to the device
 * public key @recipient (0x04 || X || Y, @recipient_len 65 for P-256 or 97
 * for P-384) with key id @key_id, chunks of 1 << @chunk_shift bytes, into
 * @env (capacity @env_cap; *@env_len gets prot_payload_envelope_size()).
 * Uses a fresh ephemeral key and nonce from the ops. Returns 0, -EINVAL
 * (bad arguments, @len 0), -EMSGSIZE (@env_cap too small), -ENOTSUP
 * (ops missing, or the curve), -EBADMSG (@recipient not a curve point) or
 * -EIO. On failure @env holds nothing usable.
 */
int prot_payload_encrypt(const struct spdm_crypto_ops *ops, void *crypto_ctx,
			 const uint8_t *recipient, size_t recipient_len,
			 uint8_t key_id, uint8_t chunk_shift, const uint8_t *in,
			 uint32_t len, uint8_t *env, size_t env_cap,
			 size_t *env_len);

#ifdef __cplusplus
}
#endif

#endif /* PROT_PAYLOAD_H */
