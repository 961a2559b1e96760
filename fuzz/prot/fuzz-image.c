/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libFuzzer harness: signed image header parsing and verification
 * (prot/image.h).
 *
 * Input: 8 control bytes, then an image. The image is parsed as given,
 * then verified through a read callback with fake crypto ops (a cheap
 * non-cryptographic "hash" and a verify that accepts or refuses as the
 * control byte says), so that the checks after the signature are reached.
 * Control byte 0 lets the harness repair fields a mutation cannot easily
 * get right: the fixed header fields, the payload size, the payload
 * digest, the key id, and an OTP hash that matches the image's key.
 *
 *   ctl[0] bit 0: write the fake digest of the payload into the header
 *          bit 1: write the key id of the image's key into the header
 *          bit 2: OTP key hash = fake hash of the image's key (else bit 3
 *                 picks all 0xFF or all 0x00, unprogrammed, with ctl[6]
 *                 as its first byte when ctl[6] is not 0: programmed,
 *                 wrong)
 *          bit 4: the fake verify accepts every signature
 *          bit 5: write magic, version, header size, zero reserved bytes
 *          bit 6: payload size = the bytes after the payload offset
 *   ctl[1..2]: expected component (little-endian)
 *   ctl[3]:    SVN floor
 *   ctl[4..5]: bank size in units of 16 bytes (little-endian)
 *   ctl[6]:    first byte of a wrong OTP key hash (see bit 2)
 *   ctl[7]:    reserved
 *
 * Oracle besides the sanitizers: the return value is 0 exactly when the
 * verdict is authentic and is the errno of the reason otherwise; the
 * reader never goes past the bytes available; a header that parses
 * encodes back to the same bytes; an authentic image satisfies every
 * policy bound (component, bank size, bytes available, SVN floor) and its
 * payload's fake digest is the header's.
 */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "prot/image.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CTL_SIZE 8
#define MAX_IMAGE (PROT_IMAGE_PAYLOAD_OFFSET + 8192)

/* ---- fake crypto ---- */

struct fake_hash {
	uint8_t acc[PROT_IMAGE_DIGEST_SIZE];
	uint32_t n;
	bool started;
};

_Static_assert(sizeof(struct fake_hash) <= SPDM_HASH_STATE_SIZE,
	       "fits the hash state");

struct fake_crypto {
	bool accept;
};

static uint32_t fake_hash_algos(void *ctx)
{
	(void)ctx;
	return 1u << SPDM_HASH_SHA384;
}

static uint32_t fake_asym_algos(void *ctx)
{
	(void)ctx;
	return 1u << SPDM_ASYM_ECDSA_P384;
}

static int fake_hash_init(void *ctx, struct spdm_hash_state *state,
			  enum spdm_hash_alg alg)
{
	struct fake_hash *h = (struct fake_hash *)(void *)state->opaque;

	(void)ctx;
	if (alg != SPDM_HASH_SHA384)
		abort(); /* the image code only ever asks for SHA-384 */
	memset(h, 0, sizeof(*h));
	h->started = true;
	return 0;
}

static int fake_hash_update(void *ctx, struct spdm_hash_state *state,
			    const uint8_t *data, size_t len)
{
	struct fake_hash *h = (struct fake_hash *)(void *)state->opaque;
	size_t i;

	(void)ctx;
	if (!h->started)
		abort();
	for (i = 0; i < len; i++, h->n++) {
		uint8_t *a = &h->acc[h->n % PROT_IMAGE_DIGEST_SIZE];

		*a = (uint8_t)(*a * 31u + data[i] + 1u);
	}
	return 0;
}

static int fake_hash_final(void *ctx, struct spdm_hash_state *state,
			   uint8_t *digest)
{
	struct fake_hash *h = (struct fake_hash *)(void *)state->opaque;

	(void)ctx;
	if (!h->started)
		abort();
	memcpy(digest, h->acc, sizeof(h->acc));
	digest[0] ^= (uint8_t)h->n;
	digest[1] ^= (uint8_t)(h->n >> 8);
	h->started = false;
	return 0;
}

static void fake_hash_abort(void *ctx, struct spdm_hash_state *state)
{
	struct fake_hash *h = (struct fake_hash *)(void *)state->opaque;

	(void)ctx;
	h->started = false;
}

static int fake_verify(void *ctx, enum spdm_asym_alg alg, const uint8_t *pubkey,
		       size_t pubkey_len, const uint8_t *digest,
		       size_t digest_len, const uint8_t *sig, size_t sig_len)
{
	const struct fake_crypto *c = ctx;

	if (alg != SPDM_ASYM_ECDSA_P384 || !pubkey ||
	    pubkey_len != PROT_IMAGE_PUBKEY_SIZE || !digest ||
	    digest_len != PROT_IMAGE_DIGEST_SIZE || !sig ||
	    sig_len != PROT_IMAGE_SIG_SIZE)
		abort();
	return c->accept ? 0 : -EPERM;
}

static const struct spdm_crypto_ops fake_ops = {
	.hash_algos = fake_hash_algos,
	.asym_algos = fake_asym_algos,
	.hash_init = fake_hash_init,
	.hash_update = fake_hash_update,
	.hash_final = fake_hash_final,
	.hash_abort = fake_hash_abort,
	.verify = fake_verify,
};

static void fake_digest(const uint8_t *p, size_t len, uint8_t *digest)
{
	struct spdm_hash_state s;

	fake_hash_init(NULL, &s, SPDM_HASH_SHA384);
	fake_hash_update(NULL, &s, p, len);
	fake_hash_final(NULL, &s, digest);
}

/* ---- the image source ---- */

struct reader {
	const uint8_t *img;
	uint32_t len;
};

static int reader_read(void *ctx, uint32_t offset, uint8_t *buf, size_t len)
{
	const struct reader *r = ctx;

	if (offset > r->len || len > r->len - offset)
		abort(); /* read past the bytes available */
	memcpy(buf, r->img + offset, len);
	return 0;
}

static uint8_t img[MAX_IMAGE];

static void put_le16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void put_le32(uint8_t *p, uint32_t v)
{
	put_le16(p, (uint16_t)v);
	put_le16(p + 2, (uint16_t)(v >> 16));
}

static void check_parse(const uint8_t *buf, size_t len)
{
	struct prot_image_header h;
	enum prot_image_reason reason = PROT_IMAGE_ERR_ARGS;
	uint8_t out[PROT_IMAGE_HEADER_SIZE];
	size_t out_len = sizeof(out);
	int rc;

	rc = prot_image_parse_header(buf, len, &h, &reason);
	if (rc != prot_image_reason_errno(reason))
		abort();
	if (rc != 0)
		return;
	if (prot_image_header_encode(&h, out, &out_len) != 0 ||
	    out_len != PROT_IMAGE_HEADER_SIZE ||
	    memcmp(out, buf, PROT_IMAGE_HEADER_SIZE) != 0)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct prot_image_work work;
	struct prot_image_result result;
	struct prot_image_policy policy;
	struct fake_crypto fc;
	struct reader r;
	struct prot_image_source src;
	uint8_t otp[PROT_IMAGE_KEY_HASH_SIZE];
	uint8_t digest[PROT_IMAGE_DIGEST_SIZE];
	const uint8_t *ctl = data;
	size_t len;
	int rc;

	/* The whole input as an image header, unaided. */
	check_parse(data, size);
	if (size < CTL_SIZE)
		return 0;

	len = size - CTL_SIZE;
	if (len > sizeof(img))
		len = sizeof(img);
	memcpy(img, data + CTL_SIZE, len);

	if ((ctl[0] & 0x20) && len >= PROT_IMAGE_HEADER_SIZE) {
		put_le32(img, PROT_IMAGE_MAGIC);
		put_le16(img + 4, PROT_IMAGE_FORMAT_VERSION);
		put_le16(img + 6, PROT_IMAGE_HEADER_SIZE);
		memset(img + 0x60, 0, PROT_IMAGE_HEADER_SIZE - 0x60);
		img[0x0A] = 0;
		img[0x0B] = 0;
	}
	if ((ctl[0] & 0x40) && len > PROT_IMAGE_PAYLOAD_OFFSET)
		put_le32(img + 0x1C,
			 (uint32_t)(len - PROT_IMAGE_PAYLOAD_OFFSET));
	if ((ctl[0] & 0x01) && len > PROT_IMAGE_PAYLOAD_OFFSET) {
		uint32_t n = (uint32_t)img[0x1C] | (uint32_t)img[0x1D] << 8 |
			     (uint32_t)img[0x1E] << 16 |
			     (uint32_t)img[0x1F] << 24;

		if (n <= len - PROT_IMAGE_PAYLOAD_OFFSET) {
			fake_digest(img + PROT_IMAGE_PAYLOAD_OFFSET, n, digest);
			memcpy(img + 0x20, digest, sizeof(digest));
		}
	}
	if (len >= PROT_IMAGE_SIG_OFFSET) {
		fake_digest(img + PROT_IMAGE_PUBKEY_OFFSET,
			    PROT_IMAGE_PUBKEY_SIZE, digest);
		if (ctl[0] & 0x02)
			memcpy(img + 0x50, digest, PROT_IMAGE_KEY_ID_SIZE);
	} else {
		memset(digest, 0x5A, sizeof(digest));
	}
	if (ctl[0] & 0x04)
		memcpy(otp, digest, sizeof(otp));
	else
		memset(otp, (ctl[0] & 0x08) ? 0xFF : 0x00, sizeof(otp));
	if (!(ctl[0] & 0x04) && ctl[6])
		otp[0] = ctl[6];

	check_parse(img, len);

	fc.accept = (ctl[0] & 0x10) != 0;
	policy.key_hash = otp;
	policy.component_id = (uint16_t)(ctl[1] | ctl[2] << 8);
	policy.svn_floor = ctl[3];
	policy.max_image_size = (uint32_t)(ctl[4] | ctl[5] << 8) * 16u;
	r.img = img;
	r.len = (uint32_t)len;
	src.read = reader_read;
	src.ctx = &r;
	src.len = (uint32_t)len;

	rc = prot_image_verify(&fake_ops, &fc, &src, &policy, &work, &result);
	if (rc != prot_image_reason_errno(result.reason))
		abort();
	if ((rc == 0) != (result.verdict == PROT_IMAGE_VERDICT_AUTHENTIC))
		abort();
	if (rc != 0 && result.verdict != PROT_IMAGE_VERDICT_NONE)
		abort();
	if (rc == 0) {
		const struct prot_image_header *h = &result.header;
		uint64_t end =
			(uint64_t)PROT_IMAGE_PAYLOAD_OFFSET + h->payload_size;

		if (!result.header_valid || !fc.accept ||
		    h->component_id != policy.component_id ||
		    h->svn < policy.svn_floor || end > policy.max_image_size ||
		    end > len || memcmp(otp, digest, sizeof(otp)) != 0)
			abort();
		fake_digest(img + PROT_IMAGE_PAYLOAD_OFFSET, h->payload_size,
			    digest);
		if (memcmp(digest, h->payload_digest, sizeof(digest)) != 0)
			abort();
	}
	return 0;
}
