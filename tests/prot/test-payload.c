/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Encrypted payloads (prot/payload.h) with the POSIX port's mbedTLS ops.
 *
 * The format is checked against an envelope made independently: the
 * python3-cryptography script in the comment above envelope_py[] builds it
 * from docs/payload-encryption.md (RFC 5903 8.2's P-384 scalars as device
 * and ephemeral key, a fixed nonce); our decryptor must open it. Round
 * trips cover both curves, payload sizes around chunk boundaries and every
 * split of the input stream; each kind of tampering must be refused with
 * its own reason and errno, and nothing unauthenticated may be written.
 */
#define _GNU_SOURCE
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
#include "prot/payload.h"

static const struct spdm_crypto_ops *const ops = &prot_crypto_ops;

/* RFC 5903 8.2: r (the responder's scalar) is the device key here. */
static const uint8_t dev_p384[48] = {
	0x41, 0xCB, 0x07, 0x79, 0xB4, 0xBD, 0xB8, 0x5D, 0x47, 0x84, 0x67, 0x25,
	0xFB, 0xEC, 0x3C, 0x94, 0x30, 0xFA, 0xB4, 0x6C, 0xC8, 0xDC, 0x50, 0x60,
	0x85, 0x5C, 0xC9, 0xBD, 0xA0, 0xAA, 0x29, 0x42, 0xE0, 0x30, 0x83, 0x12,
	0x91, 0x6B, 0x8E, 0xD2, 0x96, 0x0E, 0x4B, 0xD5, 0x5A, 0x74, 0x48, 0xFC,
};
/* RFC 5903 8.1: r, for a P-256 device key. */
static const uint8_t dev_p256[32] = {
	0xC6, 0xEF, 0x9C, 0x5D, 0x78, 0xAE, 0x01, 0x2A, 0x01, 0x11, 0x64,
	0xAC, 0xB3, 0x97, 0xCE, 0x20, 0x88, 0x68, 0x5D, 0x8F, 0x06, 0xBF,
	0x9B, 0xE0, 0xB2, 0x83, 0xAB, 0x46, 0x47, 0x6B, 0xEE, 0x53,
};

/*
 * 300 bytes ((i * 7 + 3) & 0xff), chunk shift 8, key id 0, made by this
 * Python 3 script (the "cryptography" package), not by our code:
 *
 *   dev = ec.derive_private_key(<RFC 5903 8.2 r>, ec.SECP384R1())
 *   eph = ec.derive_private_key(<RFC 5903 8.2 i>, ec.SECP384R1())
 *   E = eph.public_key().public_bytes(X962, UncompressedPoint)
 *   Z = eph.exchange(ec.ECDH(), dev.public_key())
 *   prk = HMAC-SHA384(key=E, Z)                  # HKDF-Extract
 *   kenc, kmac, kchk = HKDF-Expand(prk, b"prot payload v1 key", 32),
 *       (..., b"prot payload v1 mac", 48), (..., b"prot payload v1 check", 16)
 *   nonce = bytes(range(0xa0, 0xac))
 *   h = b"PENC" + bytes([1, 2, 0, 8]) + pack("<II", 300, 0) + E + kchk
 *   hdr = h + nonce + HMAC(kmac, b"nonce" + nonce)[:16]
 *             + HMAC(kmac, b"header" + h)[:16]
 *   for i, pt in enumerate(256-byte chunks):
 *       n = nonce with pack(">I", i) XORed into bytes 8..11
 *       aad = hdr + pack("<I", i) + bytes([i == last])
 *       env += pack("<I", i) + AESGCM(kenc).encrypt(n, pt, aad)
 */
static const char envelope_py[] =
	"50454e43010200082c0100000000000004667842d7d180ac2cde6f74f37551f5"
	"5755c7645c20ef73e31634fe72b4c55ee6de3ac808acb4bdb4c88732aee95f41"
	"aa9482ed1fc0eeb9cafc4984625ccfc23f65032149e0e144ada024181535a0f3"
	"8eeb9fcff3c2c947dae69b4c634573a81c98975c314213193a2f46e10aa7f03b"
	"48a0a1a2a3a4a5a6a7a8a9aaab05328fe2e606836592b6c6e91b2e781cf61839"
	"7f4534563ebf1931e163f829cb00000000095ed33abc7e68cb05ff09d4578a6f"
	"159f0f5c1b647654e7dbc0e1dfe8aa00b0367f4e2ba6fc2e12e2d0fd06f90df5"
	"99ecc050a9df1088fa0a91554ecbf1de806770bc480dd1bd0c70dc55c040aa4d"
	"442eb095ba3f0b906fec35642e63e15bd1b4b5bc0c9f3094404fe7b64ec34f94"
	"de78061a3c6c0f3c9035922a6424422667024e10d4e3d20eedc70184a404e8ad"
	"8d20eb847a96739cc45c580b15febaa02b8c89e50a42fb50cbfb1f284e573d81"
	"6121d02697c32982325b1a49b11b03c489486dca24855207c6398cd8c4ce377b"
	"d3e5dc6138277da032d7567e73e1482b5e8e1152a2c2911c65f1b72df6bdad03"
	"51156ed6b23bbed4de38f76b3c96939be614f04bb3ff7d22326207ecf364a023"
	"38010000006b8c0e581bdde45ea68997fca5abe8a5bc3ba8d076e1effb0ae164"
	"40379da892431fff71671b67deb6bb92e578513492897d20219f4ffd271d2490"
	"28";

/* ---- helpers ---- */

static size_t unhex(const char *s, uint8_t *out, size_t cap)
{
	size_t n = 0;

	for (; s[0] && s[1]; s += 2) {
		unsigned int v;

		assert_int_equal(sscanf(s, "%2x", &v), 1);
		assert_true(n < cap);
		out[n++] = (uint8_t)v;
	}
	return n;
}

struct sink {
	uint8_t data[70000];
	size_t len;
	unsigned int calls;
	int fail_at; /* call number that fails, -1 never */
};

static int sink_write(void *ctx, uint32_t offset, const uint8_t *data,
		      size_t len)
{
	struct sink *s = ctx;

	/* In order, no gaps, no overlap. */
	assert_int_equal(offset, s->len);
	assert_true(s->len + len <= sizeof(s->data));
	if ((int)s->calls == s->fail_at)
		return -ENOSPC;
	memcpy(s->data + s->len, data, len);
	s->len += len;
	s->calls++;
	return 0;
}

struct fixture {
	struct prot_crypto crypto;
	uint8_t pub384[97], pub256[65];
	struct sink sink;
	struct prot_payload_dec dec;
	uint8_t rec[PROT_PAYLOAD_RECORD_SIZE(4096)];
	uint8_t plain[70000];
	uint8_t env[80000];
	size_t env_len;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	size_t len;

	assert_non_null(f);
	assert_int_equal(prot_crypto_init(&f->crypto), 0);
	assert_int_equal(prot_crypto_load_dhe_key_raw(&f->crypto, 0,
						      SPDM_DHE_SECP384R1,
						      dev_p384, 48),
			 0);
	assert_int_equal(prot_crypto_load_dhe_key_raw(&f->crypto, 1,
						      SPDM_DHE_SECP256R1,
						      dev_p256, 32),
			 0);
	len = sizeof(f->pub384);
	assert_int_equal(prot_crypto_export_dhe_public(&f->crypto, 0, f->pub384,
						       &len),
			 0);
	len = sizeof(f->pub256);
	assert_int_equal(prot_crypto_export_dhe_public(&f->crypto, 1, f->pub256,
						       &len),
			 0);
	for (size_t i = 0; i < sizeof(f->plain); i++)
		f->plain[i] = (uint8_t)(i * 31 + (i >> 8));
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	prot_crypto_free(&f->crypto);
	free(f);
	return 0;
}

static void dec_init(struct fixture *f, uint8_t key_id, size_t rec_size)
{
	const struct prot_payload_out out = {sink_write, &f->sink};

	memset(&f->sink, 0, sizeof(f->sink));
	f->sink.fail_at = -1;
	assert_int_equal(prot_payload_dec_init(&f->dec, ops, &f->crypto, key_id,
					       &out, f->rec, rec_size),
			 0);
}

/* Feed @env in pieces of @piece bytes; the first error, or finish. */
static int feed(struct fixture *f, const uint8_t *env, size_t len, size_t piece)
{
	for (size_t pos = 0; pos < len; pos += piece) {
		size_t n = len - pos < piece ? len - pos : piece;
		int rc = prot_payload_dec_write(&f->dec, env + pos, n);

		if (rc)
			return rc;
	}
	return prot_payload_dec_finish(&f->dec);
}

static void encrypt(struct fixture *f, bool p384, uint8_t shift, uint32_t len)
{
	assert_int_equal(prot_payload_encrypt(
				 ops, &f->crypto, p384 ? f->pub384 : f->pub256,
				 p384 ? 97 : 65, p384 ? 0 : 1, shift, f->plain,
				 len, f->env, sizeof(f->env), &f->env_len),
			 0);
	assert_int_equal(f->env_len, prot_payload_envelope_size(
					     p384 ? PROT_PAYLOAD_CURVE_P384
						  : PROT_PAYLOAD_CURVE_P256,
					     shift, len));
}

static bool all_zero(const uint8_t *p, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (p[i])
			return false;
	return true;
}

/* Decrypt f->env (P-384, key 0) expecting @reason. */
static void expect_refused(struct fixture *f, enum prot_payload_reason reason,
			   int err)
{
	dec_init(f, 0, sizeof(f->rec));
	assert_int_equal(feed(f, f->env, f->env_len, 97), err);
	assert_int_equal(prot_payload_dec_reason(&f->dec), reason);
	/* Sticky: the same error again, and the key is gone. */
	assert_int_equal(prot_payload_dec_write(&f->dec, f->env, 1), err);
	assert_int_equal(prot_payload_dec_finish(&f->dec), err);
	assert_true(all_zero(f->dec.enc_key, sizeof(f->dec.enc_key)));
}

/* ---- the independent envelope ---- */

static void test_python_envelope(void **state)
{
	struct fixture *f = *state;
	size_t len = unhex(envelope_py, f->env, sizeof(f->env));

	assert_int_equal(len, 513);
	assert_int_equal(len, prot_payload_envelope_size(
				      PROT_PAYLOAD_CURVE_P384, 8, 300));
	for (size_t piece = 1; piece <= len; piece = piece * 3 + 1) {
		dec_init(f, 0, sizeof(f->rec));
		assert_int_equal(feed(f, f->env, len, piece), 0);
		assert_int_equal(prot_payload_dec_length(&f->dec), 300);
		assert_int_equal(f->sink.len, 300);
		assert_int_equal(f->sink.calls, 2);
		for (size_t i = 0; i < 300; i++)
			assert_int_equal(f->sink.data[i],
					 (uint8_t)((i * 7 + 3) & 0xff));
		assert_true(all_zero(f->dec.enc_key, sizeof(f->dec.enc_key)));
		assert_true(all_zero(f->rec, sizeof(f->rec)));
	}
}

/* Our encrypt side writes the documented layout. */
static void test_layout(void **state)
{
	struct fixture *f = *state;
	static const uint8_t fixed[16] = {'P',  'E',  'N', 'C', 1, 2, 0, 9,
					  0x34, 0x12, 0,   0,   0, 0, 0, 0};

	encrypt(f, true, 9, 0x1234);
	assert_memory_equal(f->env, fixed, 16);
	assert_int_equal(f->env[16], 0x04);
	/* 10 records of 512 bytes, the last 0x1234 - 9 * 512 = 52 bytes. */
	assert_int_equal(f->env_len, 173 + 0x1234 + 10 * 20);
	for (uint32_t i = 0; i < 10; i++) {
		const uint8_t *r = f->env + 173 + i * 532;

		assert_int_equal(r[0] | r[1] << 8 | r[2] << 16 | r[3] << 24, i);
	}
	/* The plaintext does not appear in the clear. */
	assert_memory_not_equal(f->env + 177, f->plain, 64);
	/* Two encryptions of the same data differ (fresh key and nonce). */
	{
		uint8_t first[173];

		memcpy(first, f->env, sizeof(first));
		encrypt(f, true, 9, 0x1234);
		assert_memory_equal(first, f->env, 16);
		assert_memory_not_equal(first + 16, f->env + 16, 97);
	}
	/* P-256: 141-byte header. */
	encrypt(f, false, 8, 100);
	assert_int_equal(f->env[5], PROT_PAYLOAD_CURVE_P256);
	assert_int_equal(f->env[6], 1);
	assert_int_equal(f->env_len, 141 + 100 + 20);
}

/* ---- round trips ---- */

static void test_round_trip(void **state)
{
	static const uint32_t sizes[] = {1, 255, 256, 257, 1000, 4096, 65537};
	static const size_t pieces[] = {1, 13, 300, 100000};
	struct fixture *f = *state;

	for (int curve = 0; curve < 2; curve++) {
		for (size_t s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
			uint8_t shift = (uint8_t)(8 + (s % 5));

			encrypt(f, curve, shift, sizes[s]);
			for (size_t p = 0; p < 4; p++) {
				if (pieces[p] == 1 && sizes[s] > 5000)
					continue;
				dec_init(f, curve ? 0 : 1, sizeof(f->rec));
				assert_int_equal(feed(f, f->env, f->env_len,
						      pieces[p]),
						 0);
				assert_int_equal(f->sink.len, sizes[s]);
				assert_memory_equal(f->sink.data, f->plain,
						    sizes[s]);
			}
		}
	}
}

/* The smallest record buffer: 256-byte chunks in 276 bytes of RAM. */
static void test_small_buffer(void **state)
{
	struct fixture *f = *state;

	encrypt(f, true, 8, 3000);
	dec_init(f, 0, PROT_PAYLOAD_RECORD_SIZE(256));
	assert_int_equal(feed(f, f->env, f->env_len, 64), 0);
	assert_memory_equal(f->sink.data, f->plain, 3000);

	/* 512-byte chunks do not fit: refused before any key work. */
	encrypt(f, true, 9, 3000);
	dec_init(f, 0, PROT_PAYLOAD_RECORD_SIZE(256));
	assert_int_equal(feed(f, f->env, f->env_len, 64), -ENOSPC);
	assert_int_equal(prot_payload_dec_reason(&f->dec),
			 PROT_PAYLOAD_ERR_CHUNK_SIZE);
	assert_int_equal(f->sink.len, 0);
}

/* ---- refusals ---- */

/* Header offsets for P-384 (K = 97). */
enum {
	OFF_PUB = 16,
	OFF_CHECK = 113,
	OFF_NONCE = 129,
	OFF_NONCE_CHECK = 141,
	OFF_HEADER_CHECK = 157,
	HDR = 173,
	REC = 4 + 256 + 16,
};

static void test_tamper_key_share(void **state)
{
	struct fixture *f = *state;
	uint8_t other[97];
	struct spdm_dhe_key k = {0};

	/* A point off the curve. */
	encrypt(f, true, 8, 1000);
	f->env[OFF_PUB + 40] ^= 0x01;
	expect_refused(f, PROT_PAYLOAD_ERR_KEY_SHARE, -EACCES);
	assert_int_equal(f->sink.len, 0);

	/* Another valid point: the key check catches it. */
	encrypt(f, true, 8, 1000);
	assert_int_equal(ops->dhe_generate(&f->crypto, &k, SPDM_DHE_SECP384R1,
					   other, 97),
			 0);
	ops->dhe_free(&f->crypto, &k);
	memcpy(f->env + OFF_PUB, other, 97);
	expect_refused(f, PROT_PAYLOAD_ERR_KEY_SHARE, -EACCES);
	assert_int_equal(f->sink.len, 0);

	/* The key check itself. */
	encrypt(f, true, 8, 1000);
	f->env[OFF_CHECK + 15] ^= 0x80;
	expect_refused(f, PROT_PAYLOAD_ERR_KEY_SHARE, -EACCES);

	/* Not for this device: key 0 replaced by another P-384 key. */
	encrypt(f, true, 8, 1000);
	{
		uint8_t d[48];

		memcpy(d, dev_p384, 48);
		d[47] ^= 0x02;
		assert_int_equal(
			prot_crypto_load_dhe_key_raw(&f->crypto, 0,
						     SPDM_DHE_SECP384R1, d, 48),
			0);
	}
	expect_refused(f, PROT_PAYLOAD_ERR_KEY_SHARE, -EACCES);
	assert_int_equal(f->sink.len, 0);
}

static void test_tamper_nonce(void **state)
{
	struct fixture *f = *state;

	encrypt(f, true, 8, 1000);
	f->env[OFF_NONCE] ^= 0x01;
	expect_refused(f, PROT_PAYLOAD_ERR_NONCE, -ENOMSG);
	assert_int_equal(f->sink.len, 0);

	encrypt(f, true, 8, 1000);
	f->env[OFF_NONCE + 11] ^= 0x01; /* the byte the chunk index XORs */
	expect_refused(f, PROT_PAYLOAD_ERR_NONCE, -ENOMSG);

	encrypt(f, true, 8, 1000);
	f->env[OFF_NONCE_CHECK + 3] ^= 0x40;
	expect_refused(f, PROT_PAYLOAD_ERR_NONCE, -ENOMSG);
}

static void test_tamper_header(void **state)
{
	struct fixture *f = *state;

	/* Authenticated fields: the length, the chunk shift, the check. */
	encrypt(f, true, 8, 1000);
	f->env[8] ^= 0x01;
	expect_refused(f, PROT_PAYLOAD_ERR_HEADER, -EBADMSG);
	assert_int_equal(f->sink.len, 0);

	encrypt(f, true, 8, 1000);
	f->env[7] = 9;
	expect_refused(f, PROT_PAYLOAD_ERR_HEADER, -EBADMSG);

	encrypt(f, true, 8, 1000);
	f->env[OFF_HEADER_CHECK] ^= 0x01;
	expect_refused(f, PROT_PAYLOAD_ERR_HEADER, -EBADMSG);

	/* Structural errors, refused before any crypto. */
	encrypt(f, true, 8, 1000);
	f->env[0] = 'X';
	expect_refused(f, PROT_PAYLOAD_ERR_FORMAT, -EPROTO);
	encrypt(f, true, 8, 1000);
	f->env[4] = 2;
	expect_refused(f, PROT_PAYLOAD_ERR_FORMAT, -EPROTO);
	encrypt(f, true, 8, 1000);
	f->env[14] = 1;
	expect_refused(f, PROT_PAYLOAD_ERR_FORMAT, -EPROTO);
	encrypt(f, true, 8, 1000);
	f->env[7] = 7;
	expect_refused(f, PROT_PAYLOAD_ERR_FORMAT, -EPROTO);
	encrypt(f, true, 8, 1000);
	f->env[7] = 17;
	expect_refused(f, PROT_PAYLOAD_ERR_FORMAT, -EPROTO);
	encrypt(f, true, 8, 1000);
	memset(f->env + 8, 0, 4);
	expect_refused(f, PROT_PAYLOAD_ERR_FORMAT, -EPROTO);
	encrypt(f, true, 8, 1000);
	f->env[5] = 3;
	expect_refused(f, PROT_PAYLOAD_ERR_CURVE, -ENOTSUP);
	encrypt(f, true, 8, 1000);
	f->env[6] = 1;
	expect_refused(f, PROT_PAYLOAD_ERR_KEY_ID, -ENOENT);
	/* A key id the port has no key for. */
	encrypt(f, true, 8, 1000);
	f->env[6] = 3;
	dec_init(f, 3, sizeof(f->rec));
	assert_int_equal(feed(f, f->env, f->env_len, 500), -ENOENT);
	assert_int_equal(prot_payload_dec_reason(&f->dec),
			 PROT_PAYLOAD_ERR_KEY_ID);
}

static void test_tamper_chunks(void **state)
{
	struct fixture *f = *state;
	uint8_t tmp[REC];

	/* Tag of chunk 1: chunk 0 was written, chunk 1 never. */
	encrypt(f, true, 8, 1000);
	f->env[HDR + 2 * REC - 1] ^= 0x01;
	expect_refused(f, PROT_PAYLOAD_ERR_CHUNK_AUTH, -EPERM);
	assert_int_equal(f->sink.len, 256);
	assert_memory_equal(f->sink.data, f->plain, 256);

	/* Ciphertext of chunk 0: nothing written. */
	encrypt(f, true, 8, 1000);
	f->env[HDR + 4 + 100] ^= 0x20;
	expect_refused(f, PROT_PAYLOAD_ERR_CHUNK_AUTH, -EPERM);
	assert_int_equal(f->sink.len, 0);

	/* Chunks 0 and 1 swapped. */
	encrypt(f, true, 8, 1000);
	memcpy(tmp, f->env + HDR, REC);
	memmove(f->env + HDR, f->env + HDR + REC, REC);
	memcpy(f->env + HDR + REC, tmp, REC);
	expect_refused(f, PROT_PAYLOAD_ERR_ORDER, -EILSEQ);
	assert_int_equal(f->sink.len, 0);

	/* Swapped and the clear indices fixed up: the tag (bound to the
	 * position through nonce and AAD) catches it. */
	f->env[HDR] = 0;
	f->env[HDR + REC] = 1;
	expect_refused(f, PROT_PAYLOAD_ERR_CHUNK_AUTH, -EPERM);
	assert_int_equal(f->sink.len, 0);

	/* Chunk 1 dropped. */
	encrypt(f, true, 8, 1000);
	memmove(f->env + HDR + REC, f->env + HDR + 2 * REC,
		f->env_len - HDR - 2 * REC);
	f->env_len -= REC;
	expect_refused(f, PROT_PAYLOAD_ERR_ORDER, -EILSEQ);
	assert_int_equal(f->sink.len, 256);

	/* Chunk 0 repeated. */
	encrypt(f, true, 8, 1000);
	memcpy(f->env + HDR + REC, f->env + HDR, REC);
	expect_refused(f, PROT_PAYLOAD_ERR_ORDER, -EILSEQ);
}

static void test_truncation(void **state)
{
	struct fixture *f = *state;

	/* Cut anywhere: in the header, at a record boundary, one byte
	 * short. */
	static const size_t cuts[] = {0, 10, 100, HDR, HDR + REC, HDR + 3 * REC,
				      0};
	for (size_t i = 0; i < sizeof(cuts) / sizeof(cuts[0]); i++) {
		encrypt(f, true, 8, 1000);
		f->env_len = cuts[i] ? cuts[i] : f->env_len - 1;
		expect_refused(f, PROT_PAYLOAD_ERR_TRUNCATED, -ENODATA);
	}
	/* Full chunks, cut at a boundary and the length field lowered to
	 * match: the header check refuses it (and would the last-chunk flag
	 * in the AAD). */
	encrypt(f, true, 8, 1024);
	f->env[8] = 0;
	f->env[9] = 3; /* 768 */
	f->env_len = HDR + 3 * REC;
	expect_refused(f, PROT_PAYLOAD_ERR_HEADER, -EBADMSG);
}

static void test_trailing_and_write_error(void **state)
{
	struct fixture *f = *state;

	encrypt(f, true, 8, 1000);
	f->env[f->env_len++] = 0;
	expect_refused(f, PROT_PAYLOAD_ERR_TRAILING, -E2BIG);
	assert_int_equal(f->sink.len, 1000);

	encrypt(f, true, 8, 1000);
	dec_init(f, 0, sizeof(f->rec));
	f->sink.fail_at = 2;
	assert_int_equal(feed(f, f->env, f->env_len, 1000), -EIO);
	assert_int_equal(prot_payload_dec_reason(&f->dec),
			 PROT_PAYLOAD_ERR_WRITE);
	assert_int_equal(f->sink.len, 512);
}

/* ---- API edges ---- */

static void test_api(void **state)
{
	struct fixture *f = *state;
	const struct prot_payload_out out = {sink_write, &f->sink};
	const struct prot_payload_out no_out = {NULL, NULL};
	struct spdm_crypto_ops lacking = *ops;
	size_t len = 0;

	assert_int_equal(prot_payload_dec_init(NULL, ops, &f->crypto, 0, &out,
					       f->rec, sizeof(f->rec)),
			 -EINVAL);
	assert_int_equal(prot_payload_dec_init(&f->dec, ops, &f->crypto, 0,
					       &no_out, f->rec, sizeof(f->rec)),
			 -EINVAL);
	assert_int_equal(prot_payload_dec_init(&f->dec, ops, &f->crypto, 0,
					       &out, f->rec, 275),
			 -EINVAL);
	lacking.aead_decrypt = NULL;
	assert_int_equal(prot_payload_dec_init(&f->dec, &lacking, &f->crypto, 0,
					       &out, f->rec, sizeof(f->rec)),
			 -ENOTSUP);
	lacking = *ops;
	lacking.dhe_generate = NULL;
	assert_int_equal(prot_payload_encrypt(&lacking, &f->crypto, f->pub384,
					      97, 0, 8, f->plain, 10, f->env,
					      sizeof(f->env), &len),
			 -ENOTSUP);

	/* Sizes. */
	assert_int_equal(prot_payload_envelope_size(PROT_PAYLOAD_CURVE_P384, 8,
						    1),
			 173 + 1 + 20);
	assert_int_equal(prot_payload_envelope_size(PROT_PAYLOAD_CURVE_P256, 16,
						    65536),
			 141 + 65536 + 20);
	assert_int_equal(prot_payload_envelope_size(PROT_PAYLOAD_CURVE_P256, 16,
						    65537),
			 141 + 65537 + 40);
	assert_int_equal(prot_payload_envelope_size(3, 8, 1), 0);
	assert_int_equal(
		prot_payload_envelope_size(PROT_PAYLOAD_CURVE_P384, 7, 1), 0);
	assert_int_equal(
		prot_payload_envelope_size(PROT_PAYLOAD_CURVE_P384, 8, 0), 0);
	assert_int_equal(prot_payload_envelope_size(PROT_PAYLOAD_CURVE_P384, 8,
						    UINT32_MAX),
			 0);

	/* Encrypt refusals. */
	assert_int_equal(prot_payload_encrypt(ops, &f->crypto, f->pub384, 97, 0,
					      8, f->plain, 1000, f->env, 1000,
					      &len),
			 -EMSGSIZE);
	assert_int_equal(prot_payload_encrypt(ops, &f->crypto, f->pub384, 96, 0,
					      8, f->plain, 1000, f->env,
					      sizeof(f->env), &len),
			 -EINVAL);
	assert_int_equal(prot_payload_encrypt(ops, &f->crypto, f->pub384, 97, 0,
					      8, f->plain, 0, f->env,
					      sizeof(f->env), &len),
			 -EINVAL);
	{
		uint8_t bad[97];

		memcpy(bad, f->pub384, 97);
		bad[96] ^= 1;
		memset(f->env, 0xee, 300);
		assert_int_equal(prot_payload_encrypt(ops, &f->crypto, bad, 97,
						      0, 8, f->plain, 10,
						      f->env, sizeof(f->env),
						      &len),
				 -EBADMSG);
		assert_true(all_zero(f->env, 173 + 10 + 20));
	}

	/* Finish twice, write after finish, abort. */
	encrypt(f, true, 8, 10);
	dec_init(f, 0, sizeof(f->rec));
	assert_int_equal(prot_payload_dec_length(&f->dec), 0);
	assert_int_equal(feed(f, f->env, f->env_len, 50), 0);
	assert_int_equal(prot_payload_dec_length(&f->dec), 10);
	assert_int_equal(prot_payload_dec_finish(&f->dec), -EINVAL);
	assert_int_equal(prot_payload_dec_write(&f->dec, f->env, 1), -EINVAL);
	assert_int_equal(prot_payload_dec_reason(&f->dec), PROT_PAYLOAD_OK);

	dec_init(f, 0, sizeof(f->rec));
	assert_int_equal(prot_payload_dec_write(&f->dec, f->env, HDR + 5), 0);
	assert_false(all_zero(f->dec.enc_key, sizeof(f->dec.enc_key)));
	prot_payload_dec_abort(&f->dec);
	assert_true(all_zero(f->dec.enc_key, sizeof(f->dec.enc_key)));
	assert_true(all_zero(f->rec, sizeof(f->rec)));
	assert_int_equal(prot_payload_dec_write(&f->dec, f->env, 1), -EINVAL);
	assert_int_equal(prot_payload_dec_write(NULL, f->env, 1), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_python_envelope, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_layout, setup, teardown),
		cmocka_unit_test_setup_teardown(test_round_trip, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_small_buffer, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_tamper_key_share, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_tamper_nonce, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_tamper_header, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_tamper_chunks, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_truncation, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_trailing_and_write_error,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_api, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
