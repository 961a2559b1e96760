/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Signed firmware images of the update service (format version 1, laid out
 * byte by byte in docs/image-format.md).
 *
 *   offset   size  what
 *   0        128   header (little-endian fields, see struct prot_image_header)
 *   128      97    signer public key: P-384 point 0x04 || X || Y
 *   225      96    ECDSA P-384 signature r || s (big-endian, 48 bytes each)
 *                  over SHA-384(header || public key)
 *   321      191   reserved, zero
 *   512      n     payload (n = payload_size); its SHA-384 is in the header
 *
 * The signature covers the header and the public key; the header carries
 * the payload's SHA-384, so the signature covers every byte of the image
 * except the reserved block, which must be zero. A device trusts a key
 * only if its SHA-384 equals the vendor key hash held in OTP.
 *
 * All crypto goes through libspdm-lite's struct spdm_crypto_ops (SHA-384,
 * ECDSA P-384). No heap, no globals, no I/O of its own: the image is read
 * through a callback in chunks, so a whole bank never has to sit in RAM.
 */
#ifndef PROT_IMAGE_H
#define PROT_IMAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "spdm/crypto.h"

#ifdef __cplusplus
extern "C" {
#endif

/* "PRIM" in the first four bytes (0x50 0x52 0x49 0x4D), read as a
 * little-endian 32-bit value. */
#define PROT_IMAGE_MAGIC 0x4D495250u
/* The only format version this code reads and writes. */
#define PROT_IMAGE_FORMAT_VERSION 1u

#define PROT_IMAGE_HEADER_SIZE 128u
#define PROT_IMAGE_DIGEST_SIZE 48u   /* SHA-384 */
#define PROT_IMAGE_KEY_HASH_SIZE 48u /* SHA-384 of the public key */
#define PROT_IMAGE_KEY_ID_SIZE 16u   /* its first 16 bytes */
#define PROT_IMAGE_PUBKEY_SIZE 97u   /* 0x04 || X || Y on P-384 */
#define PROT_IMAGE_SIG_SIZE 96u      /* r || s on P-384 */

/* Where each part of an image starts. */
#define PROT_IMAGE_PUBKEY_OFFSET PROT_IMAGE_HEADER_SIZE
#define PROT_IMAGE_SIG_OFFSET                                                  \
	(PROT_IMAGE_PUBKEY_OFFSET + PROT_IMAGE_PUBKEY_SIZE)
#define PROT_IMAGE_RESERVED_OFFSET (PROT_IMAGE_SIG_OFFSET + PROT_IMAGE_SIG_SIZE)
#define PROT_IMAGE_PAYLOAD_OFFSET 512u
#define PROT_IMAGE_RESERVED_SIZE                                               \
	(PROT_IMAGE_PAYLOAD_OFFSET - PROT_IMAGE_RESERVED_OFFSET)

/* Largest payload_size: the whole image must be addressable with 32 bits. */
#define PROT_IMAGE_MAX_PAYLOAD_SIZE (UINT32_MAX - PROT_IMAGE_PAYLOAD_OFFSET)

/* Header flags. Format version 1 defines none: every bit is reserved and
 * an image with any bit set is refused (PROT_IMAGE_ERR_HEADER), so that an
 * image needing a feature a device does not know is never accepted. */
#define PROT_IMAGE_FLAGS_KNOWN 0x0000u

/* Bytes of payload hashed per read; the size of struct prot_image_work's
 * chunk buffer. */
#define PROT_IMAGE_CHUNK_SIZE 256u

/* struct prot_image_result.verdict: set to PROT_IMAGE_VERDICT_AUTHENTIC
 * only when every check passed. Compare against this constant (not
 * against non-zero) before an irreversible step. */
#define PROT_IMAGE_VERDICT_NONE 0u
#define PROT_IMAGE_VERDICT_AUTHENTIC 0x3CA5965Au

/*
 * Why an image was refused. Every refusal has its own reason; the
 * functions return the negative errno given beside each (ERR_KEY_ID shares
 * -EPROTO with ERR_HEADER, ERR_READ and ERR_CRYPTO share -EIO: tell them
 * apart by the reason).
 */
enum prot_image_reason {
	PROT_IMAGE_OK = 0,
	PROT_IMAGE_ERR_ARGS,             /* -EINVAL: NULL pointer, bad size */
	PROT_IMAGE_ERR_TRUNCATED,        /* -ENODATA: fewer bytes than the
					    header, or than the image it
					    declares */
	PROT_IMAGE_ERR_MAGIC,            /* -EBADMSG: not "PRIM" */
	PROT_IMAGE_ERR_VERSION,          /* -EPROTONOSUPPORT: format version
					    other than 1 */
	PROT_IMAGE_ERR_HEADER,           /* -EPROTO: header size not 128,
					    unknown flag, reserved byte not
					    zero, payload size 0 or too
					    large for 32-bit offsets */
	PROT_IMAGE_ERR_COMPONENT,        /* -ENODEV: not the expected
					    component */
	PROT_IMAGE_ERR_OVERSIZED,        /* -EFBIG: image larger than the
					    bank (max_image_size) */
	PROT_IMAGE_ERR_KEY_UNPROGRAMMED, /* -ENOENT: the OTP key hash is all
					    0xFF or all 0x00 */
	PROT_IMAGE_ERR_KEY_MISMATCH,     /* -EACCES: SHA-384 of the image's
					    public key is not the OTP hash */
	PROT_IMAGE_ERR_KEY_ID,           /* -EPROTO: header key_id is not the
					    start of SHA-384(public key) */
	PROT_IMAGE_ERR_SIGNATURE,        /* -EPERM: signature does not verify
					    (or the key is not a P-384
					    point) */
	PROT_IMAGE_ERR_DIGEST,           /* -EILSEQ: payload SHA-384 differs
					    from the header's */
	PROT_IMAGE_ERR_SVN,              /* -ESTALE: SVN below the floor
					    (anti-rollback) */
	PROT_IMAGE_ERR_READ,             /* -EIO: the read callback failed */
	PROT_IMAGE_ERR_CRYPTO,           /* -EIO: the crypto provider lacks
					    SHA-384 or P-384, or failed */
};

/* Number of reasons (for tables indexed by reason). */
#define PROT_IMAGE_REASON_COUNT (PROT_IMAGE_ERR_CRYPTO + 1)

/**
 * The decoded header (what prot_image_parse_header() fills and
 * prot_image_header_encode() writes). Magic, format version, header size
 * and the reserved bytes are not stored: they are constants of format
 * version 1, checked on parse and written on encode.
 *
 * @component_id: the component this image is for (a PLDM
 *     ComponentIdentifier, DSP0267).
 * @flags: PROT_IMAGE_FLAGS_KNOWN bits only (none in version 1).
 * @version_major, @version_minor, @version_patch, @version_build: the
 *     human-facing version major.minor.patch+build.
 * @comparison_stamp: PLDM ComponentComparisonStamp (higher is newer);
 *     prot-pkg sets it to (major << 24) | (minor << 16) | patch by
 *     default. Reported, never used to decide.
 * @svn: security version number; the anti-rollback check compares it to
 *     the component's floor (prot_image_check_svn()).
 * @payload_size: bytes of payload (1 to PROT_IMAGE_MAX_PAYLOAD_SIZE).
 * @payload_digest: SHA-384 of the payload.
 * @key_id: first PROT_IMAGE_KEY_ID_SIZE bytes of SHA-384 of the signer's
 *     public key (what prot_image_key_hash() gives).
 */
struct prot_image_header {
	uint16_t component_id;
	uint16_t flags;
	uint8_t version_major;
	uint8_t version_minor;
	uint16_t version_patch;
	uint32_t version_build;
	uint32_t comparison_stamp;
	uint32_t svn;
	uint32_t payload_size;
	uint8_t payload_digest[PROT_IMAGE_DIGEST_SIZE];
	uint8_t key_id[PROT_IMAGE_KEY_ID_SIZE];
};

/**
 * Where the image bytes come from.
 * @read: copy @len bytes at @offset (from the start of the image) to
 *     @buf; return 0 or a negative errno. Only called for ranges inside
 *     [0, @len of this struct). Must not fail partially without saying so.
 * @ctx: handed to @read.
 * @len: bytes available (what was written to the bank so far, or the
 *     bank's size). Bytes past the image's end are never read.
 */
struct prot_image_source {
	int (*read)(void *ctx, uint32_t offset, uint8_t *buf, size_t len);
	void *ctx;
	uint32_t len;
};

/**
 * A read callback over memory: @ctx is a struct prot_image_span. Returns
 * 0, or -EINVAL for a range outside the span.
 */
struct prot_image_span {
	const uint8_t *ptr;
	size_t len;
};
int prot_image_span_read(void *ctx, uint32_t offset, uint8_t *buf, size_t len);

/**
 * What the device accepts.
 * @key_hash: PROT_IMAGE_KEY_HASH_SIZE bytes: SHA-384 of the vendor public
 *     key, as read from OTP. All 0xFF or all 0x00 (unprogrammed) refuses
 *     every image. Read only during the call.
 * @max_image_size: the bank size: the whole image (PROT_IMAGE_PAYLOAD_OFFSET
 *     + payload_size) must fit.
 * @svn_floor: the component's anti-rollback floor; an image with a lower
 *     SVN is refused.
 * @component_id: the component being updated.
 */
struct prot_image_policy {
	const uint8_t *key_hash;
	uint32_t max_image_size;
	uint32_t svn_floor;
	uint16_t component_id;
};

/**
 * Scratch memory of prot_image_verify(), owned by the caller (1152 bytes
 * with the default 512-byte hash state: give it static storage rather
 * than a small stack). Holds nothing secret; contents are undefined
 * between calls.
 */
struct prot_image_work {
	struct spdm_hash_state hash;
	uint8_t block[PROT_IMAGE_PAYLOAD_OFFSET - PROT_IMAGE_HEADER_SIZE];
	uint8_t chunk[PROT_IMAGE_CHUNK_SIZE];
};

/**
 * The outcome of prot_image_verify().
 * @header: the decoded header; meaningful when @header_valid.
 * @header_valid: the header parsed (its fields passed every format check;
 *     it is not authentic unless @verdict says so).
 * @reason: PROT_IMAGE_OK or why the image was refused.
 * @verdict: PROT_IMAGE_VERDICT_AUTHENTIC if and only if the call returned
 *     0; PROT_IMAGE_VERDICT_NONE otherwise.
 */
struct prot_image_result {
	struct prot_image_header header;
	bool header_valid;
	enum prot_image_reason reason;
	uint32_t verdict;
};

/**
 * Decode and check the header at the start of @buf (@len bytes available,
 * at least PROT_IMAGE_HEADER_SIZE; the rest is not looked at). Checks, in
 * this order: length, magic, format version, header size, flags, reserved
 * bytes, payload size (not 0, at most PROT_IMAGE_MAX_PAYLOAD_SIZE). Fills
 * @hdr only on success. @reason may be NULL; otherwise it gets the reason
 * (PROT_IMAGE_OK on success).
 *
 * Returns 0 or the errno of the reason: -EINVAL (ERR_ARGS: @buf or @hdr
 * NULL), -ENODATA (ERR_TRUNCATED), -EBADMSG (ERR_MAGIC),
 * -EPROTONOSUPPORT (ERR_VERSION), -EPROTO (ERR_HEADER).
 */
int prot_image_parse_header(const uint8_t *buf, size_t len,
			    struct prot_image_header *hdr,
			    enum prot_image_reason *reason);

/**
 * Encode @hdr as the PROT_IMAGE_HEADER_SIZE header bytes of format
 * version 1 (magic, version and header size written by this function,
 * reserved bytes zero) into @out. *@out_len: capacity on entry, bytes
 * written (PROT_IMAGE_HEADER_SIZE) on return. The fields are checked as
 * prot_image_parse_header() would, so every header encoded parses.
 *
 * Returns 0, -EINVAL (NULL pointer), -EMSGSIZE (capacity below
 * PROT_IMAGE_HEADER_SIZE) or -EPROTO (an unknown flag, payload_size 0 or
 * above PROT_IMAGE_MAX_PAYLOAD_SIZE). @out is untouched on error.
 */
int prot_image_header_encode(const struct prot_image_header *hdr, uint8_t *out,
			     size_t *out_len);

/**
 * SHA-384 of the public key @pubkey (PROT_IMAGE_PUBKEY_SIZE bytes) into
 * @hash (PROT_IMAGE_KEY_HASH_SIZE bytes): the value to program in OTP,
 * and whose first PROT_IMAGE_KEY_ID_SIZE bytes are the header's key_id.
 * @state is scratch. Returns 0, -EINVAL (NULL pointer) or -EIO (the
 * provider failed or lacks SHA-384).
 */
int prot_image_key_hash(const struct spdm_crypto_ops *crypto, void *crypto_ctx,
			struct spdm_hash_state *state, const uint8_t *pubkey,
			uint8_t *hash);

/**
 * The digest the signer signs: SHA-384 of @header (the
 * PROT_IMAGE_HEADER_SIZE encoded bytes) followed by @pubkey
 * (PROT_IMAGE_PUBKEY_SIZE bytes), into @digest (PROT_IMAGE_DIGEST_SIZE
 * bytes). For prot-pkg: encode the header, take this digest, sign it
 * with ECDSA P-384 (r || s), lay out the image. @state is scratch.
 * Returns 0, -EINVAL (NULL pointer) or -EIO (provider failure).
 */
int prot_image_signed_digest(const struct spdm_crypto_ops *crypto,
			     void *crypto_ctx, struct spdm_hash_state *state,
			     const uint8_t *header, const uint8_t *pubkey,
			     uint8_t *digest);

/**
 * Anti-rollback: 0 if @svn >= @floor, -ESTALE (PROT_IMAGE_ERR_SVN)
 * otherwise. The update service calls it again right before it installs.
 */
int prot_image_check_svn(uint32_t svn, uint32_t floor);

/**
 * Verify the image read through @src against @policy, with @crypto
 * (SHA-384 and ECDSA P-384 needed). Checks, in this order, stopping at
 * the first failure:
 *  1. arguments; the OTP key hash is programmed (ERR_KEY_UNPROGRAMMED);
 *  2. the crypto provider offers SHA-384 and P-384 (ERR_CRYPTO);
 *  3. the header parses (as prot_image_parse_header(); fewer than 128
 *     bytes: ERR_TRUNCATED);
 *  4. component (ERR_COMPONENT); image size <= max_image_size
 *     (ERR_OVERSIZED); image size <= src->len (ERR_TRUNCATED);
 *  5. the 191 reserved bytes after the signature are zero (ERR_HEADER);
 *  6. SHA-384(public key) equals policy->key_hash (ERR_KEY_MISMATCH), and
 *     key_id is its start (ERR_KEY_ID);
 *  7. the signature over SHA-384(header || public key) (ERR_SIGNATURE);
 *  8. SHA-384 of the payload, read PROT_IMAGE_CHUNK_SIZE bytes at a time,
 *     equals payload_digest (ERR_DIGEST);
 *  9. svn >= svn_floor (ERR_SVN).
 * Steps 3-5 read unauthenticated fields: they only pick the reason for a
 * refusal, never accept anything. Any read error is ERR_READ.
 *
 * @work is scratch owned by the caller. @result (required) gets the
 * header, the reason and the verdict; it is written even on failure.
 *
 * Returns 0 (and result->verdict == PROT_IMAGE_VERDICT_AUTHENTIC) only if
 * every check passed; otherwise the errno of the reason (see enum
 * prot_image_reason).
 */
int prot_image_verify(const struct spdm_crypto_ops *crypto, void *crypto_ctx,
		      const struct prot_image_source *src,
		      const struct prot_image_policy *policy,
		      struct prot_image_work *work,
		      struct prot_image_result *result);

/** The negative errno that goes with @reason (0 for PROT_IMAGE_OK). */
int prot_image_reason_errno(enum prot_image_reason reason);

/** A short English name of @reason, for logs and tools ("?" if unknown). */
const char *prot_image_reason_str(enum prot_image_reason reason);

#ifdef __cplusplus
}
#endif

#endif /* PROT_IMAGE_H */
