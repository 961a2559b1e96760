/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Signed images (prot/image.h): the header codec against golden bytes
 * worked out by hand from docs/image-format.md, and verification of images
 * signed here with the POSIX port's mbedTLS crypto and the test PKI
 * (tests/pki/p384: the vendor key; tests/pki/other: an unknown key).
 * Every refusal is checked for its own reason and errno.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "prot-posix/crypto.h"
#include "prot/image.h"

#ifndef PROT_TEST_PKI_DIR
#error "PROT_TEST_PKI_DIR must name tests/pki"
#endif

/* Slots of the port's crypto holding the two signing keys. */
#define SLOT_VENDOR 0
#define SLOT_OTHER 1

#define BANK_SIZE (64u * 1024u)
#define COMPONENT 0x1234u

/* ---- golden values, not computed by our code ---- */

/*
 * A header worked out by hand from docs/image-format.md (format version
 * 1), one line per field.
 */
static const uint8_t golden_header[PROT_IMAGE_HEADER_SIZE] = {
	0x50, 0x52, 0x49, 0x4D, /* 0x00 magic "PRIM" (0x4D495250 LE) */
	0x01, 0x00,             /* 0x04 format_version 1 */
	0x80, 0x00,             /* 0x06 header_size 128 */
	0x34, 0x12,             /* 0x08 component_id 0x1234 */
	0x00, 0x00,             /* 0x0A flags 0 */
	0x02,                   /* 0x0C version_major 2 */
	0x07,                   /* 0x0D version_minor 7 */
	0x05, 0x01,             /* 0x0E version_patch 0x0105 (261) */
	0x0D, 0x0C, 0x0B, 0x0A, /* 0x10 version_build 0x0A0B0C0D */
	0x05, 0x01, 0x07, 0x02, /* 0x14 comparison_stamp 0x02070105 */
	0x44, 0x33, 0x22, 0x11, /* 0x18 svn 0x11223344 */
	0x45, 0x23, 0x01, 0x00, /* 0x1C payload_size 0x00012345 */
	/* 0x20 payload_digest: 48 bytes 0xA0..0xCF */
	0xA0, 0xA1, 0xA2, 0xA3, 0xA4, 0xA5, 0xA6, 0xA7, /* 0x20 */
	0xA8, 0xA9, 0xAA, 0xAB, 0xAC, 0xAD, 0xAE, 0xAF, /* 0x28 */
	0xB0, 0xB1, 0xB2, 0xB3, 0xB4, 0xB5, 0xB6, 0xB7, /* 0x30 */
	0xB8, 0xB9, 0xBA, 0xBB, 0xBC, 0xBD, 0xBE, 0xBF, /* 0x38 */
	0xC0, 0xC1, 0xC2, 0xC3, 0xC4, 0xC5, 0xC6, 0xC7, /* 0x40 */
	0xC8, 0xC9, 0xCA, 0xCB, 0xCC, 0xCD, 0xCE, 0xCF, /* 0x48 */
	/* 0x50 key_id: first 16 bytes of SHA-384(p384/leaf.pub.bin) */
	0xD7, 0x30, 0x25, 0xC0, 0x79, 0xEC, 0x94, 0x69, /* 0x50 */
	0x8B, 0x3D, 0xD8, 0x0B, 0xAD, 0x9B, 0x4F, 0x71, /* 0x58 */
	/* 0x60 reserved: 32 zero bytes */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /* 0x60 */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /* 0x68 */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /* 0x70 */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /* 0x78 */
};

/* `openssl dgst -sha384 tests/pki/p384/leaf.pub.bin`: the vendor key hash
 * OTP holds. */
static const uint8_t vendor_key_hash[PROT_IMAGE_KEY_HASH_SIZE] = {
	0xd7, 0x30, 0x25, 0xc0, 0x79, 0xec, 0x94, 0x69, 0x8b, 0x3d, 0xd8, 0x0b,
	0xad, 0x9b, 0x4f, 0x71, 0xfa, 0xec, 0x49, 0x7e, 0x00, 0x8d, 0xcb, 0x40,
	0x7b, 0x03, 0x0a, 0xf6, 0x5f, 0x81, 0x5f, 0xfd, 0x0e, 0x6f, 0x11, 0x6e,
	0x92, 0x7a, 0x7f, 0xff, 0x4f, 0x87, 0xc7, 0x82, 0xee, 0xf8, 0x06, 0x7b,
};

/* `openssl dgst -sha384` of golden_header followed by
 * p384/leaf.pub.bin: what the signer signs for that header. */
static const uint8_t golden_signed_digest[PROT_IMAGE_DIGEST_SIZE] = {
	0xb6, 0xa2, 0xd4, 0x96, 0x42, 0xcb, 0x77, 0xc9, 0x15, 0xa1, 0x83, 0xf0,
	0x2c, 0x99, 0xd4, 0xc3, 0xab, 0x6a, 0x1a, 0x45, 0xf5, 0x54, 0x60, 0x66,
	0x63, 0xe0, 0xa1, 0xa2, 0x76, 0x7e, 0xa4, 0x9f, 0x56, 0x44, 0xa5, 0xb0,
	0xaf, 0xc7, 0x96, 0xe8, 0x78, 0xae, 0xe0, 0x50, 0x97, 0x84, 0xd9, 0x03,
};

/* ---- the crypto: the port's ops, wrapped so that faults can be
 * injected ---- */

struct test_crypto {
	struct prot_crypto pc;    /* first: the port's ops get this pointer */
	uint32_t hash_algos_mask; /* ANDed with the port's */
	uint32_t asym_algos_mask;
	int fail_hash_update_at; /* 1-based call number, 0: never */
	int hash_update_calls;
	int verify_result_override; /* used when verify_override is set */
	bool verify_override;
};

static uint32_t tc_hash_algos(void *ctx)
{
	struct test_crypto *t = ctx;

	return prot_crypto_ops.hash_algos(ctx) & t->hash_algos_mask;
}

static uint32_t tc_asym_algos(void *ctx)
{
	struct test_crypto *t = ctx;

	return prot_crypto_ops.asym_algos(ctx) & t->asym_algos_mask;
}

static int tc_hash_update(void *ctx, struct spdm_hash_state *s,
			  const uint8_t *data, size_t len)
{
	struct test_crypto *t = ctx;

	if (++t->hash_update_calls == t->fail_hash_update_at)
		return -EIO;
	return prot_crypto_ops.hash_update(ctx, s, data, len);
}

static int tc_verify(void *ctx, enum spdm_asym_alg alg, const uint8_t *pubkey,
		     size_t pubkey_len, const uint8_t *digest,
		     size_t digest_len, const uint8_t *sig, size_t sig_len)
{
	struct test_crypto *t = ctx;

	if (t->verify_override)
		return t->verify_result_override;
	return prot_crypto_ops.verify(ctx, alg, pubkey, pubkey_len, digest,
				      digest_len, sig, sig_len);
}

static struct spdm_crypto_ops ops;

/* ---- fixture ---- */

struct env {
	struct test_crypto tc;
	uint8_t vendor_pub[PROT_IMAGE_PUBKEY_SIZE];
	uint8_t other_pub[PROT_IMAGE_PUBKEY_SIZE];
	struct prot_image_work work;
	struct prot_image_result result;
	uint8_t image[BANK_SIZE + 64];
	size_t image_len;
	uint8_t copy[BANK_SIZE + 64];
};

static struct env *env;

static void read_pki(const char *rel, uint8_t *buf, size_t len)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", PROT_TEST_PKI_DIR, rel);
	f = fopen(path, "rb");
	assert_non_null(f);
	assert_int_equal(fread(buf, 1, len, f), len);
	assert_int_equal(fgetc(f), EOF);
	fclose(f);
}

static void reset_faults(void)
{
	env->tc.hash_algos_mask = UINT32_MAX;
	env->tc.asym_algos_mask = UINT32_MAX;
	env->tc.fail_hash_update_at = 0;
	env->tc.hash_update_calls = 0;
	env->tc.verify_override = false;
}

static int group_setup(void **state)
{
	char path[512];

	(void)state;
	env = calloc(1, sizeof(*env));
	if (!env)
		return -1;
	ops = prot_crypto_ops;
	ops.hash_algos = tc_hash_algos;
	ops.asym_algos = tc_asym_algos;
	ops.hash_update = tc_hash_update;
	ops.verify = tc_verify;
	if (prot_crypto_init(&env->tc.pc) != 0)
		return -1;
	snprintf(path, sizeof(path), "%s/p384/leaf.key.pem", PROT_TEST_PKI_DIR);
	if (prot_crypto_load_slot_key_file(&env->tc.pc, SLOT_VENDOR, path))
		return -1;
	snprintf(path, sizeof(path), "%s/other/leaf.key.pem",
		 PROT_TEST_PKI_DIR);
	if (prot_crypto_load_slot_key_file(&env->tc.pc, SLOT_OTHER, path))
		return -1;
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	prot_crypto_free(&env->tc.pc);
	free(env);
	return 0;
}

static int test_setup(void **state)
{
	(void)state;
	read_pki("p384/leaf.pub.bin", env->vendor_pub, PROT_IMAGE_PUBKEY_SIZE);
	read_pki("other/leaf.pub.bin", env->other_pub, PROT_IMAGE_PUBKEY_SIZE);
	reset_faults();
	return 0;
}

/* ---- building images, as prot-pkg will ---- */

static uint8_t payload_byte(size_t i)
{
	return (uint8_t)(i * 7u + 3u + (i >> 8));
}

struct build {
	uint16_t component_id;
	uint32_t svn;
	uint32_t payload_size;
	uint8_t sign_slot;        /* key that signs */
	const uint8_t *pubkey;    /* key placed in the image */
	const uint8_t *key_id_of; /* key whose hash gives key_id */
};

static struct build default_build(void)
{
	struct build b = {
		.component_id = COMPONENT,
		.svn = 5,
		.payload_size = 1000,
		.sign_slot = SLOT_VENDOR,
		.pubkey = env->vendor_pub,
		.key_id_of = env->vendor_pub,
	};
	return b;
}

/* Lay out a signed image in env->image (env->image_len bytes). */
static void build_image(const struct build *b)
{
	struct spdm_hash_state hs;
	struct prot_image_header h = {
		.component_id = b->component_id,
		.version_major = 1,
		.version_minor = 2,
		.version_patch = 3,
		.version_build = 44,
		.comparison_stamp = 1u << 24 | 2u << 16 | 3u,
		.svn = b->svn,
		.payload_size = b->payload_size,
	};
	uint8_t key_hash[PROT_IMAGE_KEY_HASH_SIZE];
	uint8_t digest[PROT_IMAGE_DIGEST_SIZE];
	uint8_t *img = env->image;
	size_t len = PROT_IMAGE_HEADER_SIZE;
	size_t i;

	assert_true(PROT_IMAGE_PAYLOAD_OFFSET + (size_t)b->payload_size <=
		    sizeof(env->image));
	memset(img, 0, sizeof(env->image));
	for (i = 0; i < b->payload_size; i++)
		img[PROT_IMAGE_PAYLOAD_OFFSET + i] = payload_byte(i);

	assert_int_equal(
		prot_crypto_ops.hash_init(&env->tc, &hs, SPDM_HASH_SHA384), 0);
	assert_int_equal(prot_crypto_ops.hash_update(
				 &env->tc, &hs, img + PROT_IMAGE_PAYLOAD_OFFSET,
				 b->payload_size),
			 0);
	assert_int_equal(
		prot_crypto_ops.hash_final(&env->tc, &hs, h.payload_digest), 0);
	assert_int_equal(prot_image_key_hash(&prot_crypto_ops, &env->tc, &hs,
					     b->key_id_of, key_hash),
			 0);
	memcpy(h.key_id, key_hash, PROT_IMAGE_KEY_ID_SIZE);

	assert_int_equal(prot_image_header_encode(&h, img, &len), 0);
	assert_int_equal(len, PROT_IMAGE_HEADER_SIZE);
	memcpy(img + PROT_IMAGE_PUBKEY_OFFSET, b->pubkey,
	       PROT_IMAGE_PUBKEY_SIZE);
	assert_int_equal(prot_image_signed_digest(
				 &prot_crypto_ops, &env->tc, &hs, img,
				 img + PROT_IMAGE_PUBKEY_OFFSET, digest),
			 0);
	assert_int_equal(prot_crypto_ops.sign(&env->tc, b->sign_slot,
					      SPDM_ASYM_ECDSA_P384, digest,
					      sizeof(digest),
					      img + PROT_IMAGE_SIG_OFFSET,
					      PROT_IMAGE_SIG_SIZE),
			 0);
	env->image_len = PROT_IMAGE_PAYLOAD_OFFSET + (size_t)b->payload_size;
}

static void build_default(void)
{
	struct build b = default_build();

	build_image(&b);
}

/* ---- verifying, through a read callback that checks the calls ---- */

struct reader {
	const uint8_t *img;
	uint32_t len;
	size_t largest_read;
	unsigned int calls;
	unsigned int fail_at; /* 1-based call number, 0: never */
};

static int reader_read(void *ctx, uint32_t offset, uint8_t *buf, size_t len)
{
	struct reader *r = ctx;

	r->calls++;
	/* The verifier never reads past the bytes it was told exist. */
	assert_true(offset <= r->len && len <= r->len - offset);
	if (len > r->largest_read)
		r->largest_read = len;
	if (r->calls == r->fail_at)
		return -EIO;
	memcpy(buf, r->img + offset, len);
	return 0;
}

static struct prot_image_policy policy(void)
{
	struct prot_image_policy p = {
		.key_hash = vendor_key_hash,
		.max_image_size = BANK_SIZE,
		.svn_floor = 5,
		.component_id = COMPONENT,
	};
	return p;
}

/* Verify @img (@len bytes available) under @p with a fresh reader. */
static int verify_with(const uint8_t *img, size_t len,
		       const struct prot_image_policy *p, struct reader *r)
{
	struct prot_image_source src = {
		.read = reader_read,
		.ctx = r,
		.len = (uint32_t)len,
	};

	r->img = img;
	r->len = (uint32_t)len;
	return prot_image_verify(&ops, &env->tc, &src, p, &env->work,
				 &env->result);
}

static int verify_buf(const uint8_t *img, size_t len)
{
	struct prot_image_policy p = policy();
	struct reader r = {0};

	return verify_with(img, len, &p, &r);
}

/* The call failed with @reason, its errno, and no authentic verdict. */
static void assert_refused(int rc, enum prot_image_reason reason)
{
	if (env->result.reason != reason)
		fail_msg("reason %d (%s), expected %d (%s)", env->result.reason,
			 prot_image_reason_str(env->result.reason), reason,
			 prot_image_reason_str(reason));
	assert_int_equal(rc, prot_image_reason_errno(reason));
	assert_true(rc < 0);
	assert_int_equal(env->result.verdict, PROT_IMAGE_VERDICT_NONE);
}

static void assert_authentic(int rc)
{
	if (rc != 0)
		fail_msg("refused: %s",
			 prot_image_reason_str(env->result.reason));
	assert_int_equal(env->result.reason, PROT_IMAGE_OK);
	assert_int_equal(env->result.verdict, PROT_IMAGE_VERDICT_AUTHENTIC);
	assert_true(env->result.header_valid);
}

/* ---- header codec ---- */

static void test_golden_header_parse(void **state)
{
	struct prot_image_header h;
	enum prot_image_reason reason = PROT_IMAGE_ERR_ARGS;
	size_t i;

	(void)state;
	assert_int_equal(prot_image_parse_header(golden_header,
						 sizeof(golden_header), &h,
						 &reason),
			 0);
	assert_int_equal(reason, PROT_IMAGE_OK);
	assert_int_equal(h.component_id, 0x1234);
	assert_int_equal(h.flags, 0);
	assert_int_equal(h.version_major, 2);
	assert_int_equal(h.version_minor, 7);
	assert_int_equal(h.version_patch, 0x0105);
	assert_int_equal(h.version_build, 0x0A0B0C0D);
	assert_int_equal(h.comparison_stamp, 0x02070105);
	assert_int_equal(h.svn, 0x11223344);
	assert_int_equal(h.payload_size, 0x00012345);
	for (i = 0; i < PROT_IMAGE_DIGEST_SIZE; i++)
		assert_int_equal(h.payload_digest[i], 0xA0 + i);
	assert_memory_equal(h.key_id, vendor_key_hash, PROT_IMAGE_KEY_ID_SIZE);

	/* Longer buffers are fine (the header is at the start of an image);
	 * the reason pointer is optional. */
	memset(&h, 0, sizeof(h));
	memcpy(env->copy, golden_header, sizeof(golden_header));
	assert_int_equal(prot_image_parse_header(env->copy, 4096, &h, NULL), 0);
	assert_int_equal(h.svn, 0x11223344);
}

static void test_golden_header_encode(void **state)
{
	struct prot_image_header h = {
		.component_id = 0x1234,
		.version_major = 2,
		.version_minor = 7,
		.version_patch = 0x0105,
		.version_build = 0x0A0B0C0D,
		.comparison_stamp = 0x02070105,
		.svn = 0x11223344,
		.payload_size = 0x00012345,
	};
	uint8_t out[PROT_IMAGE_HEADER_SIZE + 8];
	size_t len = sizeof(out);
	size_t i;

	(void)state;
	for (i = 0; i < PROT_IMAGE_DIGEST_SIZE; i++)
		h.payload_digest[i] = (uint8_t)(0xA0 + i);
	memcpy(h.key_id, vendor_key_hash, PROT_IMAGE_KEY_ID_SIZE);
	memset(out, 0xEE, sizeof(out));
	assert_int_equal(prot_image_header_encode(&h, out, &len), 0);
	assert_int_equal(len, PROT_IMAGE_HEADER_SIZE);
	assert_memory_equal(out, golden_header, sizeof(golden_header));
	/* Nothing written past the header. */
	for (i = PROT_IMAGE_HEADER_SIZE; i < sizeof(out); i++)
		assert_int_equal(out[i], 0xEE);
}

static void test_encode_refusals(void **state)
{
	struct prot_image_header h;
	uint8_t out[PROT_IMAGE_HEADER_SIZE];
	size_t len;
	unsigned int bit;

	(void)state;
	assert_int_equal(prot_image_parse_header(golden_header,
						 sizeof(golden_header), &h,
						 NULL),
			 0);
	memset(out, 0xEE, sizeof(out));

	len = PROT_IMAGE_HEADER_SIZE - 1;
	assert_int_equal(prot_image_header_encode(&h, out, &len), -EMSGSIZE);
	assert_int_equal(len, PROT_IMAGE_HEADER_SIZE - 1);
	len = sizeof(out);
	assert_int_equal(prot_image_header_encode(NULL, out, &len), -EINVAL);
	assert_int_equal(prot_image_header_encode(&h, NULL, &len), -EINVAL);
	assert_int_equal(prot_image_header_encode(&h, out, NULL), -EINVAL);

	for (bit = 0; bit < 16; bit++) {
		h.flags = (uint16_t)(1u << bit);
		assert_int_equal(prot_image_header_encode(&h, out, &len),
				 -EPROTO);
	}
	h.flags = 0;
	h.payload_size = 0;
	assert_int_equal(prot_image_header_encode(&h, out, &len), -EPROTO);
	h.payload_size = PROT_IMAGE_MAX_PAYLOAD_SIZE + 1;
	assert_int_equal(prot_image_header_encode(&h, out, &len), -EPROTO);
	/* Untouched by every refusal. */
	for (len = 0; len < sizeof(out); len++)
		assert_int_equal(out[len], 0xEE);

	/* The largest payload encodes and parses back. */
	h.payload_size = PROT_IMAGE_MAX_PAYLOAD_SIZE;
	len = sizeof(out);
	assert_int_equal(prot_image_header_encode(&h, out, &len), 0);
	memset(&h, 0, sizeof(h));
	assert_int_equal(prot_image_parse_header(out, len, &h, NULL), 0);
	assert_int_equal(h.payload_size, 0xFFFFFDFFu);
}

/* Parse a copy of golden_header with byte @off set to @val. */
static int parse_patched(size_t off, uint8_t val,
			 enum prot_image_reason *reason)
{
	struct prot_image_header h;

	memcpy(env->copy, golden_header, sizeof(golden_header));
	env->copy[off] = val;
	return prot_image_parse_header(env->copy, sizeof(golden_header), &h,
				       reason);
}

static void expect_parse(size_t off, uint8_t val, int err,
			 enum prot_image_reason want)
{
	enum prot_image_reason reason = PROT_IMAGE_OK;

	assert_int_equal(parse_patched(off, val, &reason), err);
	assert_int_equal(reason, want);
}

static void test_parse_refusals(void **state)
{
	struct prot_image_header h, untouched;
	enum prot_image_reason reason;
	size_t off, len;
	unsigned int bit;

	(void)state;
	/* Too short: every length below the header size. */
	for (len = 0; len < PROT_IMAGE_HEADER_SIZE; len++) {
		reason = PROT_IMAGE_OK;
		assert_int_equal(prot_image_parse_header(golden_header, len, &h,
							 &reason),
				 -ENODATA);
		assert_int_equal(reason, PROT_IMAGE_ERR_TRUNCATED);
	}
	/* Each magic byte. */
	for (off = 0; off < 4; off++)
		expect_parse(off, (uint8_t)(golden_header[off] ^ 0x20),
			     -EBADMSG, PROT_IMAGE_ERR_MAGIC);
	/* Format version 0, 2, 0x0101. */
	expect_parse(4, 0x00, -EPROTONOSUPPORT, PROT_IMAGE_ERR_VERSION);
	expect_parse(4, 0x02, -EPROTONOSUPPORT, PROT_IMAGE_ERR_VERSION);
	expect_parse(5, 0x01, -EPROTONOSUPPORT, PROT_IMAGE_ERR_VERSION);
	/* Header size 127, 129, 0x180. */
	expect_parse(6, 0x7F, -EPROTO, PROT_IMAGE_ERR_HEADER);
	expect_parse(6, 0x81, -EPROTO, PROT_IMAGE_ERR_HEADER);
	expect_parse(7, 0x01, -EPROTO, PROT_IMAGE_ERR_HEADER);
	/* Every flag bit. */
	for (bit = 0; bit < 16; bit++)
		expect_parse(0x0A + bit / 8, (uint8_t)(1u << (bit % 8)),
			     -EPROTO, PROT_IMAGE_ERR_HEADER);
	/* Every reserved byte, with each bit. */
	for (off = 0x60; off < PROT_IMAGE_HEADER_SIZE; off++)
		for (bit = 0; bit < 8; bit++)
			expect_parse(off, (uint8_t)(1u << bit), -EPROTO,
				     PROT_IMAGE_ERR_HEADER);
	/* Payload size 0, and above the 32-bit image limit. */
	memcpy(env->copy, golden_header, sizeof(golden_header));
	memset(env->copy + 0x1C, 0, 4);
	assert_int_equal(prot_image_parse_header(env->copy, 128, &h, &reason),
			 -EPROTO);
	assert_int_equal(reason, PROT_IMAGE_ERR_HEADER);
	memset(env->copy + 0x1C, 0xFF, 4);
	assert_int_equal(prot_image_parse_header(env->copy, 128, &h, &reason),
			 -EPROTO);
	env->copy[0x1C] = 0xFF;
	env->copy[0x1D] = 0xFD; /* 0xFFFFFDFF: the largest allowed */
	assert_int_equal(prot_image_parse_header(env->copy, 128, &h, &reason),
			 0);
	env->copy[0x1D] = 0xFE; /* 0xFFFFFEFF: one 256 too many */
	assert_int_equal(prot_image_parse_header(env->copy, 128, &h, &reason),
			 -EPROTO);

	/* Fields that are free values parse whatever they hold. */
	for (off = 0x08; off < 0x60; off++) {
		if (off == 0x0A || off == 0x0B)
			continue; /* flags */
		if (off >= 0x1C && off < 0x20)
			continue; /* payload size, above */
		expect_parse(off, (uint8_t)~golden_header[off], 0,
			     PROT_IMAGE_OK);
	}

	/* @hdr is written only on success. */
	memset(&h, 0x5A, sizeof(h));
	untouched = h;
	expect_parse(0, 0, -EBADMSG, PROT_IMAGE_ERR_MAGIC);
	assert_int_equal(parse_patched(0, 0, NULL), -EBADMSG);
	assert_memory_equal(&h, &untouched, sizeof(h));

	/* Arguments. */
	assert_int_equal(prot_image_parse_header(NULL, 128, &h, &reason),
			 -EINVAL);
	assert_int_equal(reason, PROT_IMAGE_ERR_ARGS);
	assert_int_equal(prot_image_parse_header(golden_header, 128, NULL,
						 &reason),
			 -EINVAL);
}

static void test_key_hash_and_signed_digest(void **state)
{
	struct spdm_hash_state hs;
	uint8_t out[PROT_IMAGE_DIGEST_SIZE];

	(void)state;
	assert_int_equal(prot_image_key_hash(&ops, &env->tc, &hs,
					     env->vendor_pub, out),
			 0);
	assert_memory_equal(out, vendor_key_hash, sizeof(out));
	assert_int_equal(prot_image_signed_digest(&ops, &env->tc, &hs,
						  golden_header,
						  env->vendor_pub, out),
			 0);
	assert_memory_equal(out, golden_signed_digest, sizeof(out));

	assert_int_equal(prot_image_key_hash(NULL, &env->tc, &hs,
					     env->vendor_pub, out),
			 -EINVAL);
	assert_int_equal(prot_image_key_hash(&ops, &env->tc, &hs, NULL, out),
			 -EINVAL);
	assert_int_equal(prot_image_signed_digest(&ops, &env->tc, &hs, NULL,
						  env->vendor_pub, out),
			 -EINVAL);
	assert_int_equal(prot_image_signed_digest(&ops, &env->tc, NULL,
						  golden_header,
						  env->vendor_pub, out),
			 -EINVAL);
	/* A provider failure is reported, not hidden. */
	env->tc.hash_update_calls = 0;
	env->tc.fail_hash_update_at = 1;
	assert_int_equal(prot_image_signed_digest(&ops, &env->tc, &hs,
						  golden_header,
						  env->vendor_pub, out),
			 -EIO);
	env->tc.hash_update_calls = 0;
	assert_int_equal(prot_image_key_hash(&ops, &env->tc, &hs,
					     env->vendor_pub, out),
			 -EIO);
}

static void test_reasons(void **state)
{
	/* The errno of each reason, as image.h documents it. */
	static const int want[PROT_IMAGE_REASON_COUNT] = {
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
	/* The refusals of an image (not of the platform or the caller):
	 * each must have an errno of its own, except ERR_KEY_ID, a header
	 * inconsistency that shares -EPROTO with ERR_HEADER. */
	static const enum prot_image_reason refusals[] = {
		PROT_IMAGE_ERR_TRUNCATED,
		PROT_IMAGE_ERR_MAGIC,
		PROT_IMAGE_ERR_VERSION,
		PROT_IMAGE_ERR_HEADER,
		PROT_IMAGE_ERR_COMPONENT,
		PROT_IMAGE_ERR_OVERSIZED,
		PROT_IMAGE_ERR_KEY_UNPROGRAMMED,
		PROT_IMAGE_ERR_KEY_MISMATCH,
		PROT_IMAGE_ERR_SIGNATURE,
		PROT_IMAGE_ERR_DIGEST,
		PROT_IMAGE_ERR_SVN,
	};
	size_t i, j;

	(void)state;
	for (i = 0; i < PROT_IMAGE_REASON_COUNT; i++) {
		enum prot_image_reason r = (enum prot_image_reason)i;

		assert_int_equal(prot_image_reason_errno(r), want[i]);
		assert_string_not_equal(prot_image_reason_str(r), "?");
		for (j = 0; j < i; j++)
			assert_string_not_equal(
				prot_image_reason_str(r),
				prot_image_reason_str(
					(enum prot_image_reason)j));
	}
	for (i = 0; i < sizeof(refusals) / sizeof(refusals[0]); i++)
		for (j = 0; j < i; j++)
			assert_int_not_equal(
				prot_image_reason_errno(refusals[i]),
				prot_image_reason_errno(refusals[j]));
	assert_string_equal(
		prot_image_reason_str(
			(enum prot_image_reason)PROT_IMAGE_REASON_COUNT),
		"?");
	assert_int_equal(
		prot_image_reason_errno(
			(enum prot_image_reason)PROT_IMAGE_REASON_COUNT),
		-EINVAL);
	assert_int_equal(prot_image_check_svn(0, 0), 0);
	assert_int_equal(prot_image_check_svn(7, 7), 0);
	assert_int_equal(prot_image_check_svn(8, 7), 0);
	assert_int_equal(prot_image_check_svn(6, 7), -ESTALE);
	assert_int_equal(prot_image_check_svn(0, 1), -ESTALE);
	assert_int_equal(prot_image_check_svn(UINT32_MAX, UINT32_MAX), 0);
	assert_int_equal(prot_image_check_svn(UINT32_MAX - 1, UINT32_MAX),
			 -ESTALE);
}

/* ---- verification ---- */

static void test_verify_authentic(void **state)
{
	/* Payload sizes around the chunk size, and one large image. */
	static const uint32_t sizes[] = {
		1,
		2,
		PROT_IMAGE_CHUNK_SIZE - 1,
		PROT_IMAGE_CHUNK_SIZE,
		PROT_IMAGE_CHUNK_SIZE + 1,
		1000,
		40000,
	};
	struct prot_image_policy p = policy();
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		struct build b = default_build();
		struct reader r = {0};

		b.payload_size = sizes[i];
		build_image(&b);
		assert_authentic(
			verify_with(env->image, env->image_len, &p, &r));
		assert_int_equal(env->result.header.payload_size, sizes[i]);
		assert_int_equal(env->result.header.component_id, COMPONENT);
		assert_int_equal(env->result.header.svn, 5);
		assert_int_equal(env->result.header.version_major, 1);
		assert_int_equal(env->result.header.version_minor, 2);
		assert_int_equal(env->result.header.version_patch, 3);
		assert_int_equal(env->result.header.version_build, 44);
		assert_int_equal(env->result.header.comparison_stamp,
				 0x01020003);
		/* Small reads: the payload is hashed chunk by chunk. */
		assert_true(r.largest_read <= sizeof(env->work.block));
		assert_int_equal(r.calls,
				 2 + (sizes[i] + PROT_IMAGE_CHUNK_SIZE - 1) /
						 PROT_IMAGE_CHUNK_SIZE);
		/* Bytes after the image (the rest of the bank) are ignored. */
		memset(env->image + env->image_len, 0xA5, 64);
		assert_authentic(verify_buf(env->image, env->image_len + 64));
	}

	/* Through the memory read callback. */
	{
		struct prot_image_span span = {env->image, env->image_len};
		struct prot_image_source src = {
			.read = prot_image_span_read,
			.ctx = &span,
			.len = (uint32_t)env->image_len,
		};
		uint8_t b;

		assert_authentic(prot_image_verify(&ops, &env->tc, &src, &p,
						   &env->work, &env->result));
		assert_int_equal(prot_image_span_read(&span,
						      (uint32_t)env->image_len,
						      &b, 1),
				 -EINVAL);
		assert_int_equal(prot_image_span_read(&span, 0xFFFFFFFFu, &b,
						      1),
				 -EINVAL);
		assert_int_equal(prot_image_span_read(
					 &span, (uint32_t)env->image_len - 1,
					 &b, 1),
				 0);
		assert_int_equal(b, env->image[env->image_len - 1]);
	}
}

static void test_verify_exact_bank_size(void **state)
{
	struct prot_image_policy p = policy();
	struct build b = default_build();
	struct reader r = {0};

	(void)state;
	b.payload_size = BANK_SIZE - PROT_IMAGE_PAYLOAD_OFFSET;
	build_image(&b);
	assert_int_equal(env->image_len, BANK_SIZE);
	assert_authentic(verify_with(env->image, env->image_len, &p, &r));
	/* One byte less of bank: oversized. */
	p.max_image_size = BANK_SIZE - 1;
	assert_refused(verify_with(env->image, env->image_len, &p, &r),
		       PROT_IMAGE_ERR_OVERSIZED);
}

/* What a one-bit change at header offset @off gives, given the checks'
 * order in prot_image_verify() (image.h). */
static enum prot_image_reason header_flip_reason(size_t off, uint8_t bit,
						 uint32_t good_size)
{
	uint32_t size;

	if (off < 0x04)
		return PROT_IMAGE_ERR_MAGIC;
	if (off < 0x06)
		return PROT_IMAGE_ERR_VERSION;
	if (off < 0x08)
		return PROT_IMAGE_ERR_HEADER;
	if (off < 0x0A)
		return PROT_IMAGE_ERR_COMPONENT;
	if (off < 0x0C)
		return PROT_IMAGE_ERR_HEADER; /* flags */
	if (off < 0x1C)
		return PROT_IMAGE_ERR_SIGNATURE; /* version, stamp, SVN */
	if (off < 0x20) {
		size = good_size ^ (1u << (8 * (off - 0x1C) + bit));
		if (size == 0 || size > PROT_IMAGE_MAX_PAYLOAD_SIZE)
			return PROT_IMAGE_ERR_HEADER;
		if ((uint64_t)size + PROT_IMAGE_PAYLOAD_OFFSET > BANK_SIZE)
			return PROT_IMAGE_ERR_OVERSIZED;
		if (size + PROT_IMAGE_PAYLOAD_OFFSET > env->image_len)
			return PROT_IMAGE_ERR_TRUNCATED;
		return PROT_IMAGE_ERR_SIGNATURE;
	}
	if (off < 0x50)
		return PROT_IMAGE_ERR_SIGNATURE; /* payload digest */
	if (off < 0x60)
		return PROT_IMAGE_ERR_KEY_ID;
	return PROT_IMAGE_ERR_HEADER; /* reserved */
}

static void test_header_bit_flips(void **state)
{
	unsigned int seen[PROT_IMAGE_REASON_COUNT] = {0};
	uint32_t good_size;
	size_t off;
	uint8_t bit;

	(void)state;
	build_default();
	assert_authentic(verify_buf(env->image, env->image_len));
	good_size = env->result.header.payload_size;
	assert_int_equal(good_size, 1000);
	for (off = 0; off < PROT_IMAGE_HEADER_SIZE; off++) {
		for (bit = 0; bit < 8; bit++) {
			enum prot_image_reason want;

			want = header_flip_reason(off, bit, good_size);
			memcpy(env->copy, env->image, env->image_len);
			env->copy[off] ^= (uint8_t)(1u << bit);
			assert_refused(verify_buf(env->copy, env->image_len),
				       want);
			seen[want]++;
		}
	}
	/* Every kind of header refusal was met. */
	assert_true(seen[PROT_IMAGE_ERR_MAGIC] == 32);
	assert_true(seen[PROT_IMAGE_ERR_VERSION] == 16);
	assert_true(seen[PROT_IMAGE_ERR_COMPONENT] == 16);
	assert_true(seen[PROT_IMAGE_ERR_KEY_ID] == 128);
	assert_true(seen[PROT_IMAGE_ERR_OVERSIZED] > 0);
	assert_true(seen[PROT_IMAGE_ERR_TRUNCATED] > 0);
	assert_true(seen[PROT_IMAGE_ERR_SIGNATURE] >= 8 * (16 + 48));
}

static void test_pubkey_bit_flips(void **state)
{
	size_t off;

	(void)state;
	build_default();
	for (off = 0; off < PROT_IMAGE_PUBKEY_SIZE; off++) {
		memcpy(env->copy, env->image, env->image_len);
		env->copy[PROT_IMAGE_PUBKEY_OFFSET + off] ^=
			(uint8_t)(1u << (off % 8));
		assert_refused(verify_buf(env->copy, env->image_len),
			       PROT_IMAGE_ERR_KEY_MISMATCH);
	}
}

static void test_signature_bit_flips(void **state)
{
	size_t off;

	(void)state;
	build_default();
	for (off = 0; off < PROT_IMAGE_SIG_SIZE; off++) {
		memcpy(env->copy, env->image, env->image_len);
		env->copy[PROT_IMAGE_SIG_OFFSET + off] ^=
			(uint8_t)(1u << (off % 8));
		assert_refused(verify_buf(env->copy, env->image_len),
			       PROT_IMAGE_ERR_SIGNATURE);
	}
	/* An all-zero signature (r = s = 0 is out of range). */
	memcpy(env->copy, env->image, env->image_len);
	memset(env->copy + PROT_IMAGE_SIG_OFFSET, 0, PROT_IMAGE_SIG_SIZE);
	assert_refused(verify_buf(env->copy, env->image_len),
		       PROT_IMAGE_ERR_SIGNATURE);
}

static void test_reserved_block(void **state)
{
	size_t off;

	(void)state;
	build_default();
	for (off = PROT_IMAGE_RESERVED_OFFSET; off < PROT_IMAGE_PAYLOAD_OFFSET;
	     off++) {
		memcpy(env->copy, env->image, env->image_len);
		env->copy[off] = (uint8_t)(1u << (off % 8));
		assert_refused(verify_buf(env->copy, env->image_len),
			       PROT_IMAGE_ERR_HEADER);
	}
}

static void test_payload_bit_flips(void **state)
{
	struct build b = default_build();
	size_t i, off;
	/* First and last bytes, both sides of each chunk boundary, and a
	 * stride through the rest. */
	size_t sample[64];
	size_t n = 0;

	(void)state;
	b.payload_size = 3000;
	build_image(&b);
	sample[n++] = 0;
	sample[n++] = b.payload_size - 1;
	for (off = PROT_IMAGE_CHUNK_SIZE; off < b.payload_size;
	     off += PROT_IMAGE_CHUNK_SIZE) {
		sample[n++] = off - 1;
		sample[n++] = off;
	}
	for (off = 37; off < b.payload_size && n < 64; off += 211)
		sample[n++] = off;
	for (i = 0; i < n; i++) {
		memcpy(env->copy, env->image, env->image_len);
		env->copy[PROT_IMAGE_PAYLOAD_OFFSET + sample[i]] ^=
			(uint8_t)(1u << (i % 8));
		assert_refused(verify_buf(env->copy, env->image_len),
			       PROT_IMAGE_ERR_DIGEST);
	}
}

static void test_wrong_key(void **state)
{
	struct build b = default_build();

	(void)state;
	/* Signed by an unknown key that the image carries, key id
	 * consistent: the key is not the vendor's. */
	b.sign_slot = SLOT_OTHER;
	b.pubkey = env->other_pub;
	b.key_id_of = env->other_pub;
	build_image(&b);
	assert_refused(verify_buf(env->image, env->image_len),
		       PROT_IMAGE_ERR_KEY_MISMATCH);

	/* The same image is authentic for a device whose OTP holds the
	 * other key's hash: the refusal came from the key, nothing else. */
	{
		struct prot_image_policy p = policy();
		struct spdm_hash_state hs;
		uint8_t other_hash[PROT_IMAGE_KEY_HASH_SIZE];
		struct reader r = {0};

		assert_int_equal(prot_image_key_hash(&ops, &env->tc, &hs,
						     env->other_pub,
						     other_hash),
				 0);
		p.key_hash = other_hash;
		assert_authentic(
			verify_with(env->image, env->image_len, &p, &r));
	}

	/* Carries the vendor key but was signed by another. */
	b = default_build();
	b.sign_slot = SLOT_OTHER;
	build_image(&b);
	assert_refused(verify_buf(env->image, env->image_len),
		       PROT_IMAGE_ERR_SIGNATURE);

	/* Vendor key and signature, key id of another key. */
	b = default_build();
	b.key_id_of = env->other_pub;
	build_image(&b);
	assert_refused(verify_buf(env->image, env->image_len),
		       PROT_IMAGE_ERR_KEY_ID);

	/* A public key that is not a point of the curve, whose hash is in
	 * OTP: the signature cannot verify. */
	{
		struct prot_image_policy p = policy();
		struct spdm_hash_state hs;
		uint8_t bad_pub[PROT_IMAGE_PUBKEY_SIZE];
		uint8_t bad_hash[PROT_IMAGE_KEY_HASH_SIZE];
		struct reader r = {0};

		memcpy(bad_pub, env->vendor_pub, sizeof(bad_pub));
		bad_pub[PROT_IMAGE_PUBKEY_SIZE - 1] ^= 1;
		assert_int_equal(prot_image_key_hash(&ops, &env->tc, &hs,
						     bad_pub, bad_hash),
				 0);
		b = default_build();
		b.pubkey = bad_pub;
		b.key_id_of = bad_pub;
		build_image(&b);
		p.key_hash = bad_hash;
		assert_refused(verify_with(env->image, env->image_len, &p, &r),
			       PROT_IMAGE_ERR_SIGNATURE);
	}
}

static void test_unprogrammed_otp(void **state)
{
	struct prot_image_policy p = policy();
	uint8_t otp[PROT_IMAGE_KEY_HASH_SIZE];
	struct reader r = {0};
	size_t i;

	(void)state;
	build_default();
	p.key_hash = otp;
	memset(otp, 0xFF, sizeof(otp));
	assert_refused(verify_with(env->image, env->image_len, &p, &r),
		       PROT_IMAGE_ERR_KEY_UNPROGRAMMED);
	assert_int_equal(r.calls, 0); /* decided before reading anything */
	memset(otp, 0x00, sizeof(otp));
	assert_refused(verify_with(env->image, env->image_len, &p, &r),
		       PROT_IMAGE_ERR_KEY_UNPROGRAMMED);
	/* Programmed but wrong (one byte differs from erased): a mismatch,
	 * not "unprogrammed". */
	for (i = 0; i < sizeof(otp); i += 47) {
		memset(otp, 0xFF, sizeof(otp));
		otp[i] = 0xFE;
		assert_refused(verify_with(env->image, env->image_len, &p, &r),
			       PROT_IMAGE_ERR_KEY_MISMATCH);
		memset(otp, 0x00, sizeof(otp));
		otp[i] = 0x01;
		assert_refused(verify_with(env->image, env->image_len, &p, &r),
			       PROT_IMAGE_ERR_KEY_MISMATCH);
	}
	/* The vendor hash with one bit changed. */
	memcpy(otp, vendor_key_hash, sizeof(otp));
	otp[47] ^= 0x80;
	assert_refused(verify_with(env->image, env->image_len, &p, &r),
		       PROT_IMAGE_ERR_KEY_MISMATCH);
}

static void test_svn_floor(void **state)
{
	struct prot_image_policy p = policy();
	struct build b = default_build();
	struct reader r = {0};

	(void)state;
	b.svn = 9;
	build_image(&b);
	p.svn_floor = 0;
	assert_authentic(verify_with(env->image, env->image_len, &p, &r));
	p.svn_floor = 9;
	assert_authentic(verify_with(env->image, env->image_len, &p, &r));
	p.svn_floor = 10;
	assert_refused(verify_with(env->image, env->image_len, &p, &r),
		       PROT_IMAGE_ERR_SVN);
	/* The image itself was authentic: the header is reported. */
	assert_true(env->result.header_valid);
	assert_int_equal(env->result.header.svn, 9);
	p.svn_floor = UINT32_MAX;
	assert_refused(verify_with(env->image, env->image_len, &p, &r),
		       PROT_IMAGE_ERR_SVN);

	b.svn = UINT32_MAX;
	build_image(&b);
	assert_authentic(verify_with(env->image, env->image_len, &p, &r));
}

static void test_truncated(void **state)
{
	struct build b = default_build();
	size_t len;

	(void)state;
	b.payload_size = 300;
	build_image(&b);
	for (len = 0; len < env->image_len; len++)
		assert_refused(verify_buf(env->image, len),
			       PROT_IMAGE_ERR_TRUNCATED);
	assert_authentic(verify_buf(env->image, env->image_len));
}

static void test_oversized(void **state)
{
	struct prot_image_policy p = policy();
	struct build b = default_build();
	struct reader r = {0};

	(void)state;
	build_image(&b);
	p.max_image_size = (uint32_t)env->image_len - 1;
	assert_refused(verify_with(env->image, env->image_len, &p, &r),
		       PROT_IMAGE_ERR_OVERSIZED);
	p.max_image_size = 0;
	assert_refused(verify_with(env->image, env->image_len, &p, &r),
		       PROT_IMAGE_ERR_OVERSIZED);

	/* A header declaring the largest payload (the signature no longer
	 * matches, but size checks come first): oversized without any
	 * arithmetic wrapping. */
	{
		struct prot_image_header h;
		size_t len = PROT_IMAGE_HEADER_SIZE;

		build_default();
		assert_int_equal(prot_image_parse_header(
					 env->image, env->image_len, &h, NULL),
				 0);
		h.payload_size = PROT_IMAGE_MAX_PAYLOAD_SIZE;
		assert_int_equal(prot_image_header_encode(&h, env->image, &len),
				 0);
		p = policy();
		p.max_image_size = UINT32_MAX - 1;
		assert_refused(verify_with(env->image, env->image_len, &p, &r),
			       PROT_IMAGE_ERR_OVERSIZED);
		/* A bank as large as the address space: then truncated. */
		p.max_image_size = UINT32_MAX;
		assert_refused(verify_with(env->image, env->image_len, &p, &r),
			       PROT_IMAGE_ERR_TRUNCATED);
	}
}

static void test_wrong_component(void **state)
{
	struct prot_image_policy p = policy();
	struct build b = default_build();
	struct reader r = {0};

	(void)state;
	b.component_id = COMPONENT + 1;
	build_image(&b);
	assert_refused(verify_with(env->image, env->image_len, &p, &r),
		       PROT_IMAGE_ERR_COMPONENT);
	assert_true(env->result.header_valid);
	assert_int_equal(env->result.header.component_id, COMPONENT + 1);
	p.component_id = COMPONENT + 1;
	assert_authentic(verify_with(env->image, env->image_len, &p, &r));
}

static void test_read_errors(void **state)
{
	struct prot_image_policy p = policy();
	struct build b = default_build();
	struct reader r = {0};
	unsigned int calls, n;

	(void)state;
	b.payload_size = 1000;
	build_image(&b);
	assert_authentic(verify_with(env->image, env->image_len, &p, &r));
	calls = r.calls;
	assert_int_equal(calls, 2 + 4);
	for (n = 1; n <= calls; n++) {
		memset(&r, 0, sizeof(r));
		r.fail_at = n;
		assert_refused(verify_with(env->image, env->image_len, &p, &r),
			       PROT_IMAGE_ERR_READ);
		assert_int_equal(r.calls, n); /* stops at the failure */
	}
}

static void test_crypto_faults(void **state)
{
	struct prot_image_policy p = policy();
	struct reader r = {0};
	int calls, n;

	(void)state;
	build_default();

	env->tc.hash_algos_mask = ~(1u << SPDM_HASH_SHA384);
	assert_refused(verify_with(env->image, env->image_len, &p, &r),
		       PROT_IMAGE_ERR_CRYPTO);
	reset_faults();
	env->tc.asym_algos_mask = ~(1u << SPDM_ASYM_ECDSA_P384);
	assert_refused(verify_with(env->image, env->image_len, &p, &r),
		       PROT_IMAGE_ERR_CRYPTO);
	reset_faults();

	/* A failing hash update at each call. */
	assert_authentic(verify_with(env->image, env->image_len, &p, &r));
	calls = env->tc.hash_update_calls;
	assert_true(calls >= 4);
	for (n = 1; n <= calls; n++) {
		reset_faults();
		env->tc.fail_hash_update_at = n;
		assert_refused(verify_with(env->image, env->image_len, &p, &r),
			       PROT_IMAGE_ERR_CRYPTO);
	}
	reset_faults();

	/* verify: a provider error is not a bad signature, and a value
	 * other than 0 (even positive) never passes. */
	env->tc.verify_override = true;
	env->tc.verify_result_override = -EIO;
	assert_refused(verify_with(env->image, env->image_len, &p, &r),
		       PROT_IMAGE_ERR_CRYPTO);
	env->tc.verify_result_override = 1;
	assert_refused(verify_with(env->image, env->image_len, &p, &r),
		       PROT_IMAGE_ERR_CRYPTO);
	env->tc.verify_result_override = -EPERM;
	assert_refused(verify_with(env->image, env->image_len, &p, &r),
		       PROT_IMAGE_ERR_SIGNATURE);
	/* An always-accepting verify still cannot pass a payload whose
	 * digest is wrong. */
	env->tc.verify_result_override = 0;
	env->image[PROT_IMAGE_PAYLOAD_OFFSET] ^= 1;
	assert_refused(verify_with(env->image, env->image_len, &p, &r),
		       PROT_IMAGE_ERR_DIGEST);
	reset_faults();
}

static void test_verify_args(void **state)
{
	struct prot_image_policy p = policy();
	struct reader r = {0};
	struct prot_image_source src = {
		.read = reader_read,
		.ctx = &r,
		.len = 4096,
	};
	struct spdm_crypto_ops no_hash = ops;

	(void)state;
	build_default();
	r.img = env->image;
	r.len = 4096;
	no_hash.hash_final = NULL;

	assert_int_equal(prot_image_verify(&ops, &env->tc, &src, &p, &env->work,
					   NULL),
			 -EINVAL);
	assert_refused(prot_image_verify(NULL, &env->tc, &src, &p, &env->work,
					 &env->result),
		       PROT_IMAGE_ERR_ARGS);
	assert_refused(prot_image_verify(&no_hash, &env->tc, &src, &p,
					 &env->work, &env->result),
		       PROT_IMAGE_ERR_ARGS);
	assert_refused(prot_image_verify(&ops, &env->tc, NULL, &p, &env->work,
					 &env->result),
		       PROT_IMAGE_ERR_ARGS);
	assert_refused(prot_image_verify(&ops, &env->tc, &src, NULL, &env->work,
					 &env->result),
		       PROT_IMAGE_ERR_ARGS);
	assert_refused(prot_image_verify(&ops, &env->tc, &src, &p, NULL,
					 &env->result),
		       PROT_IMAGE_ERR_ARGS);
	p.key_hash = NULL;
	assert_refused(prot_image_verify(&ops, &env->tc, &src, &p, &env->work,
					 &env->result),
		       PROT_IMAGE_ERR_ARGS);
	p = policy();
	src.read = NULL;
	assert_refused(prot_image_verify(&ops, &env->tc, &src, &p, &env->work,
					 &env->result),
		       PROT_IMAGE_ERR_ARGS);
	assert_int_equal(r.calls, 0);
}

#define T(fn) cmocka_unit_test_setup(fn, test_setup)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_golden_header_parse),
		T(test_golden_header_encode),
		T(test_encode_refusals),
		T(test_parse_refusals),
		T(test_key_hash_and_signed_digest),
		T(test_reasons),
		T(test_verify_authentic),
		T(test_verify_exact_bank_size),
		T(test_header_bit_flips),
		T(test_pubkey_bit_flips),
		T(test_signature_bit_flips),
		T(test_reserved_block),
		T(test_payload_bit_flips),
		T(test_wrong_key),
		T(test_unprogrammed_otp),
		T(test_svn_floor),
		T(test_truncated),
		T(test_oversized),
		T(test_wrong_component),
		T(test_read_errors),
		T(test_crypto_faults),
		T(test_verify_args),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
