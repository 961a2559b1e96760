/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Signed images: header codec and verification (docs/image-format.md).
 *
 * The header has a fixed size, so decoding is one length check followed by
 * reads at fixed offsets; nothing past the checked length is touched.
 */
#include <errno.h>
#include <string.h>

#include "prot/image.h"

/* Header field offsets (format version 1). */
enum {
	OFF_MAGIC = 0x00,
	OFF_FORMAT_VERSION = 0x04,
	OFF_HEADER_SIZE = 0x06,
	OFF_COMPONENT_ID = 0x08,
	OFF_FLAGS = 0x0A,
	OFF_VERSION_MAJOR = 0x0C,
	OFF_VERSION_MINOR = 0x0D,
	OFF_VERSION_PATCH = 0x0E,
	OFF_VERSION_BUILD = 0x10,
	OFF_COMPARISON_STAMP = 0x14,
	OFF_SVN = 0x18,
	OFF_PAYLOAD_SIZE = 0x1C,
	OFF_PAYLOAD_DIGEST = 0x20,
	OFF_KEY_ID = 0x50,
	OFF_RESERVED = 0x60,
};

_Static_assert(OFF_KEY_ID == OFF_PAYLOAD_DIGEST + PROT_IMAGE_DIGEST_SIZE,
	       "digest then key id");
_Static_assert(OFF_RESERVED == OFF_KEY_ID + PROT_IMAGE_KEY_ID_SIZE,
	       "key id then reserved");
_Static_assert(PROT_IMAGE_RESERVED_OFFSET == 321, "layout of version 1");
_Static_assert(PROT_IMAGE_CHUNK_SIZE >= PROT_IMAGE_HEADER_SIZE,
	       "the header is read into the chunk buffer");
_Static_assert(PROT_IMAGE_KEY_ID_SIZE <= PROT_IMAGE_KEY_HASH_SIZE,
	       "key id is a prefix of the key hash");

static const int reason_errno[PROT_IMAGE_REASON_COUNT] = {
	[PROT_IMAGE_OK] = 0,
	[PROT_IMAGE_ERR_ARGS] = -EINVAL,
	[PROT_IMAGE_ERR_TRUNCATED] = -ENODATA,
	[PROT_IMAGE_ERR_MAGIC] = -EBADMSG,
	[PROT_IMAGE_ERR_VERSION] = -EPROTONOSUPPORT,
	[PROT_IMAGE_ERR_HEADER] = -EPROTO,
	[PROT_IMAGE_ERR_COMPONENT] = -ENODEV,
	[PROT_IMAGE_ERR_OVERSIZED] = -EFBIG,
	[PROT_IMAGE_ERR_KEY_UNPROGRAMMED] = -ENOENT,
	[PROT_IMAGE_ERR_KEY_MISMATCH] = -EACCES,
	[PROT_IMAGE_ERR_KEY_ID] = -EPROTO,
	[PROT_IMAGE_ERR_SIGNATURE] = -EPERM,
	[PROT_IMAGE_ERR_DIGEST] = -EILSEQ,
	[PROT_IMAGE_ERR_SVN] = -ESTALE,
	[PROT_IMAGE_ERR_READ] = -EIO,
	[PROT_IMAGE_ERR_CRYPTO] = -EIO,
};

static const char *const reason_names[PROT_IMAGE_REASON_COUNT] = {
	[PROT_IMAGE_OK] = "ok",
	[PROT_IMAGE_ERR_ARGS] = "invalid arguments",
	[PROT_IMAGE_ERR_TRUNCATED] = "truncated image",
	[PROT_IMAGE_ERR_MAGIC] = "bad magic",
	[PROT_IMAGE_ERR_VERSION] = "unsupported format version",
	[PROT_IMAGE_ERR_HEADER] = "bad header",
	[PROT_IMAGE_ERR_COMPONENT] = "wrong component",
	[PROT_IMAGE_ERR_OVERSIZED] = "image larger than the bank",
	[PROT_IMAGE_ERR_KEY_UNPROGRAMMED] = "OTP key hash unprogrammed",
	[PROT_IMAGE_ERR_KEY_MISMATCH] = "signer key not the vendor key",
	[PROT_IMAGE_ERR_KEY_ID] = "key id does not match the key",
	[PROT_IMAGE_ERR_SIGNATURE] = "signature invalid",
	[PROT_IMAGE_ERR_DIGEST] = "payload digest mismatch",
	[PROT_IMAGE_ERR_SVN] = "security version below the floor",
	[PROT_IMAGE_ERR_READ] = "read error",
	[PROT_IMAGE_ERR_CRYPTO] = "crypto provider error",
};

int prot_image_reason_errno(enum prot_image_reason reason)
{
	if ((unsigned int)reason >= PROT_IMAGE_REASON_COUNT)
		return -EINVAL;
	return reason_errno[reason];
}

const char *prot_image_reason_str(enum prot_image_reason reason)
{
	if ((unsigned int)reason >= PROT_IMAGE_REASON_COUNT)
		return "?";
	return reason_names[reason];
}

static uint16_t get_le16(const uint8_t *p)
{
	return (uint16_t)((unsigned int)p[1] << 8 | p[0]);
}

static uint32_t get_le32(const uint8_t *p)
{
	return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[1] << 8 | p[0];
}

static void put_le16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void put_le32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

/* Zero when every byte of @p is zero, whatever the data (no early exit). */
static uint8_t or_bytes(const uint8_t *p, size_t len)
{
	uint8_t acc = 0;
	size_t i;

	for (i = 0; i < len; i++)
		acc |= p[i];
	return acc;
}

/* Zero when @a and @b are equal; the time does not depend on where they
 * differ. */
static uint8_t diff_bytes(const uint8_t *a, const uint8_t *b, size_t len)
{
	uint8_t acc = 0;
	size_t i;

	for (i = 0; i < len; i++)
		acc |= (uint8_t)(a[i] ^ b[i]);
	return acc;
}

static int fail(enum prot_image_reason *out, enum prot_image_reason reason)
{
	if (out)
		*out = reason;
	return reason_errno[reason];
}

/* The checks on decoded fields that encode and parse share. */
static bool fields_valid(uint16_t flags, uint32_t payload_size)
{
	return (flags & ~PROT_IMAGE_FLAGS_KNOWN) == 0 && payload_size != 0 &&
	       payload_size <= PROT_IMAGE_MAX_PAYLOAD_SIZE;
}

int prot_image_parse_header(const uint8_t *buf, size_t len,
			    struct prot_image_header *hdr,
			    enum prot_image_reason *reason)
{
	struct prot_image_header h;

	if (!buf || !hdr)
		return fail(reason, PROT_IMAGE_ERR_ARGS);
	if (len < PROT_IMAGE_HEADER_SIZE)
		return fail(reason, PROT_IMAGE_ERR_TRUNCATED);
	if (get_le32(buf + OFF_MAGIC) != PROT_IMAGE_MAGIC)
		return fail(reason, PROT_IMAGE_ERR_MAGIC);
	if (get_le16(buf + OFF_FORMAT_VERSION) != PROT_IMAGE_FORMAT_VERSION)
		return fail(reason, PROT_IMAGE_ERR_VERSION);
	if (get_le16(buf + OFF_HEADER_SIZE) != PROT_IMAGE_HEADER_SIZE)
		return fail(reason, PROT_IMAGE_ERR_HEADER);

	h.component_id = get_le16(buf + OFF_COMPONENT_ID);
	h.flags = get_le16(buf + OFF_FLAGS);
	h.version_major = buf[OFF_VERSION_MAJOR];
	h.version_minor = buf[OFF_VERSION_MINOR];
	h.version_patch = get_le16(buf + OFF_VERSION_PATCH);
	h.version_build = get_le32(buf + OFF_VERSION_BUILD);
	h.comparison_stamp = get_le32(buf + OFF_COMPARISON_STAMP);
	h.svn = get_le32(buf + OFF_SVN);
	h.payload_size = get_le32(buf + OFF_PAYLOAD_SIZE);
	memcpy(h.payload_digest, buf + OFF_PAYLOAD_DIGEST,
	       sizeof(h.payload_digest));
	memcpy(h.key_id, buf + OFF_KEY_ID, sizeof(h.key_id));

	if (!fields_valid(h.flags, h.payload_size) ||
	    or_bytes(buf + OFF_RESERVED,
		     PROT_IMAGE_HEADER_SIZE - OFF_RESERVED) != 0)
		return fail(reason, PROT_IMAGE_ERR_HEADER);

	*hdr = h;
	if (reason)
		*reason = PROT_IMAGE_OK;
	return 0;
}

int prot_image_header_encode(const struct prot_image_header *hdr, uint8_t *out,
			     size_t *out_len)
{
	if (!hdr || !out || !out_len)
		return -EINVAL;
	if (*out_len < PROT_IMAGE_HEADER_SIZE)
		return -EMSGSIZE;
	if (!fields_valid(hdr->flags, hdr->payload_size))
		return -EPROTO;

	memset(out, 0, PROT_IMAGE_HEADER_SIZE);
	put_le32(out + OFF_MAGIC, PROT_IMAGE_MAGIC);
	put_le16(out + OFF_FORMAT_VERSION, PROT_IMAGE_FORMAT_VERSION);
	put_le16(out + OFF_HEADER_SIZE, PROT_IMAGE_HEADER_SIZE);
	put_le16(out + OFF_COMPONENT_ID, hdr->component_id);
	put_le16(out + OFF_FLAGS, hdr->flags);
	out[OFF_VERSION_MAJOR] = hdr->version_major;
	out[OFF_VERSION_MINOR] = hdr->version_minor;
	put_le16(out + OFF_VERSION_PATCH, hdr->version_patch);
	put_le32(out + OFF_VERSION_BUILD, hdr->version_build);
	put_le32(out + OFF_COMPARISON_STAMP, hdr->comparison_stamp);
	put_le32(out + OFF_SVN, hdr->svn);
	put_le32(out + OFF_PAYLOAD_SIZE, hdr->payload_size);
	memcpy(out + OFF_PAYLOAD_DIGEST, hdr->payload_digest,
	       PROT_IMAGE_DIGEST_SIZE);
	memcpy(out + OFF_KEY_ID, hdr->key_id, PROT_IMAGE_KEY_ID_SIZE);
	*out_len = PROT_IMAGE_HEADER_SIZE;
	return 0;
}

int prot_image_span_read(void *ctx, uint32_t offset, uint8_t *buf, size_t len)
{
	const struct prot_image_span *span = ctx;

	if (!span || !buf || offset > span->len || len > span->len - offset)
		return -EINVAL;
	memcpy(buf, span->ptr + offset, len);
	return 0;
}

int prot_image_check_svn(uint32_t svn, uint32_t floor)
{
	return svn >= floor ? 0 : reason_errno[PROT_IMAGE_ERR_SVN];
}

/* SHA-384 over up to two buffers. 0 or -EIO. */
static int sha384(const struct spdm_crypto_ops *crypto, void *crypto_ctx,
		  struct spdm_hash_state *state, const uint8_t *a, size_t a_len,
		  const uint8_t *b, size_t b_len, uint8_t *digest)
{
	if (crypto->hash_init(crypto_ctx, state, SPDM_HASH_SHA384) != 0)
		return -EIO;
	if (crypto->hash_update(crypto_ctx, state, a, a_len) != 0 ||
	    (b_len && crypto->hash_update(crypto_ctx, state, b, b_len) != 0)) {
		crypto->hash_abort(crypto_ctx, state);
		return -EIO;
	}
	if (crypto->hash_final(crypto_ctx, state, digest) != 0)
		return -EIO;
	return 0;
}

static bool crypto_usable(const struct spdm_crypto_ops *crypto)
{
	return crypto && crypto->hash_init && crypto->hash_update &&
	       crypto->hash_final && crypto->hash_abort;
}

int prot_image_key_hash(const struct spdm_crypto_ops *crypto, void *crypto_ctx,
			struct spdm_hash_state *state, const uint8_t *pubkey,
			uint8_t *hash)
{
	if (!crypto_usable(crypto) || !state || !pubkey || !hash)
		return -EINVAL;
	return sha384(crypto, crypto_ctx, state, pubkey, PROT_IMAGE_PUBKEY_SIZE,
		      NULL, 0, hash);
}

int prot_image_signed_digest(const struct spdm_crypto_ops *crypto,
			     void *crypto_ctx, struct spdm_hash_state *state,
			     const uint8_t *header, const uint8_t *pubkey,
			     uint8_t *digest)
{
	if (!crypto_usable(crypto) || !state || !header || !pubkey || !digest)
		return -EINVAL;
	return sha384(crypto, crypto_ctx, state, header, PROT_IMAGE_HEADER_SIZE,
		      pubkey, PROT_IMAGE_PUBKEY_SIZE, digest);
}

/* The OTP hash reads as erased or as never-written fuse bits. */
static bool key_hash_unprogrammed(const uint8_t *h)
{
	uint8_t all_or = 0, all_and = 0xFF;
	size_t i;

	for (i = 0; i < PROT_IMAGE_KEY_HASH_SIZE; i++) {
		all_or |= h[i];
		all_and &= h[i];
	}
	return all_or == 0 || all_and == 0xFF;
}

/* Hash the payload through the read callback, one chunk at a time. */
static enum prot_image_reason
hash_payload(const struct spdm_crypto_ops *crypto, void *crypto_ctx,
	     const struct prot_image_source *src, uint32_t size,
	     struct prot_image_work *work, uint8_t *digest)
{
	uint32_t offset = PROT_IMAGE_PAYLOAD_OFFSET;
	uint32_t left = size;

	if (crypto->hash_init(crypto_ctx, &work->hash, SPDM_HASH_SHA384) != 0)
		return PROT_IMAGE_ERR_CRYPTO;
	while (left) {
		uint32_t n = left < PROT_IMAGE_CHUNK_SIZE
				     ? left
				     : PROT_IMAGE_CHUNK_SIZE;

		if (src->read(src->ctx, offset, work->chunk, n) != 0) {
			crypto->hash_abort(crypto_ctx, &work->hash);
			return PROT_IMAGE_ERR_READ;
		}
		if (crypto->hash_update(crypto_ctx, &work->hash, work->chunk,
					n) != 0) {
			crypto->hash_abort(crypto_ctx, &work->hash);
			return PROT_IMAGE_ERR_CRYPTO;
		}
		offset += n;
		left -= n;
	}
	if (crypto->hash_final(crypto_ctx, &work->hash, digest) != 0)
		return PROT_IMAGE_ERR_CRYPTO;
	return PROT_IMAGE_OK;
}

/* One bit per check of prot_image_verify(): the verdict is written only
 * when all were set, so that skipping a check (a glitch, a later edit that
 * returns early with 0) cannot produce an authentic verdict. */
enum {
	PASSED_KEY_PROGRAMMED = 1u << 0,
	PASSED_HEADER = 1u << 1,
	PASSED_COMPONENT = 1u << 2,
	PASSED_SIZE = 1u << 3,
	PASSED_RESERVED = 1u << 4,
	PASSED_KEY = 1u << 5,
	PASSED_KEY_ID = 1u << 6,
	PASSED_SIGNATURE = 1u << 7,
	PASSED_DIGEST = 1u << 8,
	PASSED_SVN = 1u << 9,
	PASSED_ALL = (1u << 10) - 1,
};

static enum prot_image_reason
verify(const struct spdm_crypto_ops *crypto, void *crypto_ctx,
       const struct prot_image_source *src,
       const struct prot_image_policy *policy, struct prot_image_work *work,
       struct prot_image_result *result, unsigned int *passed)
{
	const uint32_t hash_bit = 1u << SPDM_HASH_SHA384;
	const uint32_t asym_bit = 1u << SPDM_ASYM_ECDSA_P384;
	const uint8_t *pubkey = work->block;
	const uint8_t *sig = work->block + PROT_IMAGE_PUBKEY_SIZE;
	const uint8_t *reserved = sig + PROT_IMAGE_SIG_SIZE;
	struct prot_image_header *hdr = &result->header;
	uint8_t key_hash[PROT_IMAGE_KEY_HASH_SIZE];
	uint8_t digest[PROT_IMAGE_DIGEST_SIZE];
	enum prot_image_reason reason;
	uint64_t image_size;

	if (key_hash_unprogrammed(policy->key_hash))
		return PROT_IMAGE_ERR_KEY_UNPROGRAMMED;
	*passed |= PASSED_KEY_PROGRAMMED;

	if (!crypto->hash_algos || !crypto->asym_algos || !crypto->verify ||
	    (crypto->hash_algos(crypto_ctx) & hash_bit) == 0 ||
	    (crypto->asym_algos(crypto_ctx) & asym_bit) == 0)
		return PROT_IMAGE_ERR_CRYPTO;

	if (src->len < PROT_IMAGE_HEADER_SIZE)
		return PROT_IMAGE_ERR_TRUNCATED;
	if (src->read(src->ctx, 0, work->chunk, PROT_IMAGE_HEADER_SIZE) != 0)
		return PROT_IMAGE_ERR_READ;
	(void)prot_image_parse_header(work->chunk, PROT_IMAGE_HEADER_SIZE, hdr,
				      &reason);
	if (reason != PROT_IMAGE_OK)
		return reason;
	result->header_valid = true;
	*passed |= PASSED_HEADER;

	if (hdr->component_id != policy->component_id)
		return PROT_IMAGE_ERR_COMPONENT;
	*passed |= PASSED_COMPONENT;

	image_size = (uint64_t)PROT_IMAGE_PAYLOAD_OFFSET + hdr->payload_size;
	if (image_size > policy->max_image_size)
		return PROT_IMAGE_ERR_OVERSIZED;
	if (image_size > src->len)
		return PROT_IMAGE_ERR_TRUNCATED;
	*passed |= PASSED_SIZE;

	if (src->read(src->ctx, PROT_IMAGE_PUBKEY_OFFSET, work->block,
		      sizeof(work->block)) != 0)
		return PROT_IMAGE_ERR_READ;
	if (or_bytes(reserved, PROT_IMAGE_RESERVED_SIZE) != 0)
		return PROT_IMAGE_ERR_HEADER;
	*passed |= PASSED_RESERVED;

	if (sha384(crypto, crypto_ctx, &work->hash, pubkey,
		   PROT_IMAGE_PUBKEY_SIZE, NULL, 0, key_hash) != 0)
		return PROT_IMAGE_ERR_CRYPTO;
	if (diff_bytes(key_hash, policy->key_hash, sizeof(key_hash)) != 0)
		return PROT_IMAGE_ERR_KEY_MISMATCH;
	*passed |= PASSED_KEY;
	if (diff_bytes(key_hash, hdr->key_id, PROT_IMAGE_KEY_ID_SIZE) != 0)
		return PROT_IMAGE_ERR_KEY_ID;
	*passed |= PASSED_KEY_ID;

	/* The header bytes are still in the chunk buffer. */
	if (sha384(crypto, crypto_ctx, &work->hash, work->chunk,
		   PROT_IMAGE_HEADER_SIZE, pubkey, PROT_IMAGE_PUBKEY_SIZE,
		   digest) != 0)
		return PROT_IMAGE_ERR_CRYPTO;
	switch (crypto->verify(crypto_ctx, SPDM_ASYM_ECDSA_P384, pubkey,
			       PROT_IMAGE_PUBKEY_SIZE, digest, sizeof(digest),
			       sig, PROT_IMAGE_SIG_SIZE)) {
	case 0:
		break;
	case -EPERM:
	case -EBADMSG: /* not a point of the curve */
		return PROT_IMAGE_ERR_SIGNATURE;
	default:
		return PROT_IMAGE_ERR_CRYPTO;
	}
	*passed |= PASSED_SIGNATURE;

	reason = hash_payload(crypto, crypto_ctx, src, hdr->payload_size, work,
			      digest);
	if (reason != PROT_IMAGE_OK)
		return reason;
	if (diff_bytes(digest, hdr->payload_digest, sizeof(digest)) != 0)
		return PROT_IMAGE_ERR_DIGEST;
	*passed |= PASSED_DIGEST;

	if (prot_image_check_svn(hdr->svn, policy->svn_floor) != 0)
		return PROT_IMAGE_ERR_SVN;
	*passed |= PASSED_SVN;
	return PROT_IMAGE_OK;
}

int prot_image_verify(const struct spdm_crypto_ops *crypto, void *crypto_ctx,
		      const struct prot_image_source *src,
		      const struct prot_image_policy *policy,
		      struct prot_image_work *work,
		      struct prot_image_result *result)
{
	enum prot_image_reason reason;
	unsigned int passed = 0;

	if (!result)
		return -EINVAL;
	memset(result, 0, sizeof(*result));
	result->verdict = PROT_IMAGE_VERDICT_NONE;
	if (!crypto_usable(crypto) || !src || !src->read || !policy ||
	    !policy->key_hash || !work) {
		result->reason = PROT_IMAGE_ERR_ARGS;
		return reason_errno[PROT_IMAGE_ERR_ARGS];
	}

	reason = verify(crypto, crypto_ctx, src, policy, work, result, &passed);
	if (reason == PROT_IMAGE_OK && passed != PASSED_ALL)
		reason = PROT_IMAGE_ERR_CRYPTO; /* unreachable: fail closed */
	result->reason = reason;
	if (reason != PROT_IMAGE_OK)
		return reason_errno[reason];
	result->verdict = PROT_IMAGE_VERDICT_AUTHENTIC;
	return 0;
}
