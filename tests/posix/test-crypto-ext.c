/* SPDX-License-Identifier: Apache-2.0 */
/*
 * POSIX port: the optional crypto ops of spdm/crypto.h (ECDHE, HMAC, HKDF,
 * AES-256-GCM, zeroize) and the slot 0xFF signing key, on mbedTLS.
 *
 * Known answers come from independent sources, never from our output:
 *  - HMAC: RFC 4231 test cases 1, 2 and 6 (SHA-256 and SHA-384).
 *  - HKDF: RFC 5869 A.1 and A.3 (SHA-256). RFC 5869 has no SHA-384 case:
 *    the SHA-384 values below were computed with Python 3's hmac/hashlib
 *    from the RFC's formulas, with the same inputs as A.1 and A.3:
 *      def hkdf(h, salt, ikm, info, n):
 *          prk = hmac.new(salt or bytes(h().digest_size), ikm, h).digest()
 *          t = okm = b""; i = 1
 *          while len(okm) < n:
 *              t = hmac.new(prk, t + info + bytes([i]), h).digest()
 *              okm += t; i += 1
 *          return prk, okm[:n]
 *  - AES-256-GCM: test cases 13 to 16 of McGrew and Viega, "The
 *    Galois/Counter Mode of Operation (GCM)" (the gcm-spec test vectors).
 *  - ECDH: RFC 5903 sections 8.1 (P-256) and 8.2 (P-384): both private
 *    scalars, both public points, the shared X coordinate.
 *  - Slot 0xFF and the PEM-loaded ECDH key: the test PKI made by the openssl
 *    CLI (tests/pki: leaf.key.pem and the public key openssl printed).
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
#include "spdm/crypto.h"

#ifndef PROT_TEST_PKI_DIR
#error "PROT_TEST_PKI_DIR must name tests/pki"
#endif

static const struct spdm_crypto_ops *const ops = &prot_crypto_ops;

/* ---- helpers ---- */

/* Hex (whitespace ignored) to bytes; returns the length. */
static size_t unhex(const char *s, uint8_t *out, size_t cap)
{
	size_t n = 0;
	int hi = -1;

	for (; *s; s++) {
		int v;

		if (*s >= '0' && *s <= '9')
			v = *s - '0';
		else if (*s >= 'a' && *s <= 'f')
			v = *s - 'a' + 10;
		else if (*s >= 'A' && *s <= 'F')
			v = *s - 'A' + 10;
		else
			continue;
		if (hi < 0) {
			hi = v;
			continue;
		}
		assert_true(n < cap);
		out[n++] = (uint8_t)(hi << 4 | v);
		hi = -1;
	}
	assert_int_equal(hi, -1);
	return n;
}

static size_t load(const char *rel, uint8_t *out, size_t cap)
{
	char path[512];
	size_t n;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", PROT_TEST_PKI_DIR, rel);
	f = fopen(path, "rb");
	if (!f)
		fail_msg("cannot open %s", path);
	n = fread(out, 1, cap, f);
	assert_true(n > 0 && n < cap);
	fclose(f);
	return n;
}

static int setup(void **state)
{
	struct prot_crypto *c = calloc(1, sizeof(*c));

	assert_non_null(c);
	assert_int_equal(prot_crypto_init(c), 0);
	*state = c;
	return 0;
}

static int teardown(void **state)
{
	prot_crypto_free(*state);
	free(*state);
	return 0;
}

static bool all_zero(const uint8_t *p, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (p[i])
			return false;
	return true;
}

/* ---- presence ---- */

static void test_ops_present(void **state)
{
	void *c = *state;

	assert_non_null(ops->dhe_groups);
	assert_non_null(ops->dhe_generate);
	assert_non_null(ops->dhe_compute);
	assert_non_null(ops->dhe_compute_key);
	assert_non_null(ops->dhe_free);
	assert_non_null(ops->hmac);
	assert_non_null(ops->hkdf_extract);
	assert_non_null(ops->hkdf_expand);
	assert_non_null(ops->aead_encrypt);
	assert_non_null(ops->aead_decrypt);
	assert_non_null(ops->zeroize);
	assert_int_equal(ops->dhe_groups(c),
			 1u << SPDM_DHE_SECP256R1 | 1u << SPDM_DHE_SECP384R1);
	assert_int_equal(ops->dhe_groups(NULL), 0);
}

/* ---- HMAC: RFC 4231 ---- */

struct hmac_case {
	const char *key, *data;
	const char *sha256, *sha384;
};

static void test_hmac_rfc4231(void **state)
{
	static const struct hmac_case cases[] = {
		/* Test case 1 */
		{"0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b",
		 "4869205468657265", /* "Hi There" */
		 "b0344c61d8db38535ca8afceaf0bf12b"
		 "881dc200c9833da726e9376c2e32cff7",
		 "afd03944d84895626b0825f4ab46907f"
		 "15f9dadbe4101ec682aa034c7cebc59c"
		 "faea9ea9076ede7f4af152e8b2fa9cb6"},
		/* Test case 2: key "Jefe" */
		{"4a656665",
		 "7768617420646f2079612077616e7420"
		 "666f72206e6f7468696e673f",
		 "5bdcc146bf60754e6a042426089575c7"
		 "5a003f089d2739839dec58b964ec3843",
		 "af45d2e376484031617f78d2b58a6b1b"
		 "9c7ef464f5a01b47e42ec3736322445e"
		 "8e2240ca5e69e2c78b3239ecfab21649"},
	};
	uint8_t key[200], data[200], want[64], mac[64];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		size_t kl = unhex(cases[i].key, key, sizeof(key));
		size_t dl = unhex(cases[i].data, data, sizeof(data));

		unhex(cases[i].sha256, want, sizeof(want));
		assert_int_equal(ops->hmac(*state, SPDM_HASH_SHA256, key, kl,
					   data, dl, mac),
				 0);
		assert_memory_equal(mac, want, 32);
		unhex(cases[i].sha384, want, sizeof(want));
		assert_int_equal(ops->hmac(*state, SPDM_HASH_SHA384, key, kl,
					   data, dl, mac),
				 0);
		assert_memory_equal(mac, want, 48);
	}

	/* Test case 6: a 131-byte key (longer than the block, hashed). */
	{
		static const char msg[] = "Test Using Larger Than Block-Size "
					  "Key - Hash Key First";

		memset(key, 0xaa, 131);
		unhex("60e431591ee0b67f0d8a26aacbf5b77f"
		      "8e0bc6213728c5140546040f0ee37f54",
		      want, sizeof(want));
		assert_int_equal(ops->hmac(*state, SPDM_HASH_SHA256, key, 131,
					   (const uint8_t *)msg,
					   sizeof(msg) - 1, mac),
				 0);
		assert_memory_equal(mac, want, 32);
		unhex("4ece084485813e9088d2c63a041bc5b4"
		      "4f9ef1012a2b588f3cd11f05033ac4c6"
		      "0c2ef6ab4030fe8296248df163f44952",
		      want, sizeof(want));
		assert_int_equal(ops->hmac(*state, SPDM_HASH_SHA384, key, 131,
					   (const uint8_t *)msg,
					   sizeof(msg) - 1, mac),
				 0);
		assert_memory_equal(mac, want, 48);
	}

	/* Refusals. */
	assert_int_equal(ops->hmac(*state, SPDM_HASH_SHA512, key, 4, data, 4,
				   mac),
			 -ENOTSUP);
	assert_int_equal(ops->hmac(*state, SPDM_HASH_NONE, key, 4, data, 4,
				   mac),
			 -EINVAL);
	assert_int_equal(ops->hmac(*state, SPDM_HASH_SHA256, NULL, 4, data, 4,
				   mac),
			 -EINVAL);
	assert_int_equal(ops->hmac(*state, SPDM_HASH_SHA256, key, 4, data, 4,
				   NULL),
			 -EINVAL);
	assert_int_equal(ops->hmac(NULL, SPDM_HASH_SHA256, key, 4, data, 4,
				   mac),
			 -EINVAL);
}

/* An empty HMAC key is the all-zero block (RFC 2104 pads with zeros): the
 * HKDF-Extract of RFC 5869 A.3 (empty salt = hash-size zeros) checks it. */
static void test_hmac_empty_key(void **state)
{
	uint8_t ikm[22], mac[32], want[32];

	memset(ikm, 0x0b, sizeof(ikm));
	unhex("19ef24a32c717b167f33a91d6f648bdf"
	      "96596776afdb6377ac434c1c293ccb04",
	      want, sizeof(want));
	assert_int_equal(ops->hmac(*state, SPDM_HASH_SHA256, NULL, 0, ikm,
				   sizeof(ikm), mac),
			 0);
	assert_memory_equal(mac, want, 32);
}

/* ---- HKDF: RFC 5869 ---- */

struct hkdf_case {
	enum spdm_hash_alg alg;
	const char *ikm, *salt, *info, *prk, *okm;
};

static void test_hkdf(void **state)
{
	static const struct hkdf_case cases[] = {
		/* RFC 5869 A.1 */
		{SPDM_HASH_SHA256,
		 "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b",
		 "000102030405060708090a0b0c", "f0f1f2f3f4f5f6f7f8f9",
		 "077709362c2e32df0ddc3f0dc47bba63"
		 "90b6c73bb50f9c3122ec844ad7c2b3e5",
		 "3cb25f25faacd57a90434f64d0362f2a"
		 "2d2d0a90cf1a5a4c5db02d56ecc4c5bf"
		 "34007208d5b887185865"},
		/* RFC 5869 A.3: no salt, no info */
		{SPDM_HASH_SHA256,
		 "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", "", "",
		 "19ef24a32c717b167f33a91d6f648bdf"
		 "96596776afdb6377ac434c1c293ccb04",
		 "8da4e775a563c18f715f802a063c5a31"
		 "b8a11f5c5ee1879ec3454e5f3c738d2d"
		 "9d201395faa4b61a96c8"},
		/* A.1's inputs with SHA-384 (Python, see the top comment) */
		{SPDM_HASH_SHA384,
		 "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b",
		 "000102030405060708090a0b0c", "f0f1f2f3f4f5f6f7f8f9",
		 "704b39990779ce1dc548052c7dc39f30"
		 "3570dd13fb39f7acc564680bef80e8de"
		 "c70ee9a7e1f3e293ef68eceb072a5ade",
		 "9b5097a86038b805309076a44b3a9f38"
		 "063e25b516dcbf369f394cfab43685f7"
		 "48b6457763e4f0204fc5"},
		/* A.3's inputs with SHA-384 (Python) */
		{SPDM_HASH_SHA384,
		 "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", "", "",
		 "10e40cf072a4c5626e43dd22c1cf727d"
		 "4bb140975c9ad0cbc8e45b40068f8f0b"
		 "a57cdb598af9dfa6963a96899af047e5",
		 "c8c96e710f89b0d7990bca68bcdec8cf"
		 "854062e54c73a7abc743fade9b242daa"
		 "cc1cea5670415b52849c"},
	};
	uint8_t ikm[64], salt[64], info[64], want_prk[64], want_okm[64];
	uint8_t prk[64], okm[64];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct hkdf_case *t = &cases[i];
		size_t il = unhex(t->ikm, ikm, sizeof(ikm));
		size_t sl = unhex(t->salt, salt, sizeof(salt));
		size_t nl = unhex(t->info, info, sizeof(info));
		size_t pl = unhex(t->prk, want_prk, sizeof(want_prk));
		size_t ol = unhex(t->okm, want_okm, sizeof(want_okm));

		assert_int_equal(pl, spdm_hash_size(t->alg));
		memset(prk, 0, sizeof(prk));
		assert_int_equal(ops->hkdf_extract(*state, t->alg,
						   sl ? salt : NULL, sl, ikm,
						   il, prk),
				 0);
		assert_memory_equal(prk, want_prk, pl);
		memset(okm, 0, sizeof(okm));
		assert_int_equal(ops->hkdf_expand(*state, t->alg, prk, pl,
						  nl ? info : NULL, nl, okm,
						  ol),
				 0);
		assert_memory_equal(okm, want_okm, ol);
		/* A prefix of the output is the shorter output. */
		memset(okm, 0, sizeof(okm));
		assert_int_equal(ops->hkdf_expand(*state, t->alg, prk, pl, info,
						  nl, okm, 5),
				 0);
		assert_memory_equal(okm, want_okm, 5);
		assert_true(all_zero(okm + 5, sizeof(okm) - 5));
	}

	/* Refusals: lengths out of RFC 5869's range, other hashes. */
	assert_int_equal(ops->hkdf_expand(*state, SPDM_HASH_SHA256, prk, 31,
					  info, 1, okm, 16),
			 -EINVAL);
	assert_int_equal(ops->hkdf_expand(*state, SPDM_HASH_SHA256, prk, 32,
					  info, 1, okm, 0),
			 -EINVAL);
	assert_int_equal(ops->hkdf_expand(*state, SPDM_HASH_SHA256, prk, 32,
					  info, 1, okm, 255 * 32 + 1),
			 -EINVAL);
	assert_int_equal(ops->hkdf_expand(*state, SPDM_HASH_SHA512, prk, 64,
					  info, 1, okm, 16),
			 -ENOTSUP);
	assert_int_equal(ops->hkdf_extract(*state, SPDM_HASH_SHA3_384, salt, 1,
					   ikm, 1, prk),
			 -ENOTSUP);
	assert_int_equal(ops->hkdf_extract(*state, SPDM_HASH_SHA256, NULL, 3,
					   ikm, 1, prk),
			 -EINVAL);
	assert_int_equal(ops->hkdf_extract(*state, SPDM_HASH_SHA256, salt, 1,
					   ikm, 1, NULL),
			 -EINVAL);
}

/* ---- AES-256-GCM: McGrew-Viega test cases 13 to 16 ---- */

struct gcm_case {
	const char *key, *iv, *pt, *aad, *ct, *tag;
};

static const char gcm_p64[] = "d9313225f88406e5a55909c5aff5269a"
			      "86a7a9531534f7da2e4c303d8a318a72"
			      "1c3c0c95956809532fcf0e2449a6b525"
			      "b16aedf5aa0de657ba637b391aafd255";
static const char gcm_c64[] = "522dc1f099567d07f47f37a32a84427d"
			      "643a8cdcbfe5c0c97598a2bd2555d1aa"
			      "8cb08e48590dbb3da7b08b1056828838"
			      "c5f61e6393ba7a0abcc9f662898015ad";

static const struct gcm_case gcm_cases[] = {
	/* 13 */
	{"0000000000000000000000000000000000000000000000000000000000000000",
	 "000000000000000000000000", "", "", "",
	 "530f8afbc74536b9a963b4f1c4cb738b"},
	/* 14 */
	{"0000000000000000000000000000000000000000000000000000000000000000",
	 "000000000000000000000000", "00000000000000000000000000000000", "",
	 "cea7403d4d606b6e074ec5d3baf39d18",
	 "d0d1c8a799996bf0265b98b5d48ab919"},
	/* 15 */
	{"feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308",
	 "cafebabefacedbaddecaf888", gcm_p64, "", gcm_c64,
	 "b094dac5d93471bdec1a502270e3cc6c"},
	/* 16: 60 bytes of test case 15's plaintext, with AAD */
	{"feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308",
	 "cafebabefacedbaddecaf888",
	 "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
	 "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39",
	 "feedfacedeadbeeffeedfacedeadbeefabaddad2",
	 "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
	 "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662",
	 "76fc6ece0f4e1768cddf8853bb2d551b"},
};

struct gcm_vec {
	uint8_t key[32], iv[12], pt[64], aad[32], ct[64], tag[16];
	size_t pt_len, aad_len;
};

static void gcm_vec(const struct gcm_case *t, struct gcm_vec *v)
{
	memset(v, 0, sizeof(*v));
	assert_int_equal(unhex(t->key, v->key, sizeof(v->key)), 32);
	assert_int_equal(unhex(t->iv, v->iv, sizeof(v->iv)), 12);
	v->pt_len = unhex(t->pt, v->pt, sizeof(v->pt));
	v->aad_len = unhex(t->aad, v->aad, sizeof(v->aad));
	assert_int_equal(unhex(t->ct, v->ct, sizeof(v->ct)), v->pt_len);
	assert_int_equal(unhex(t->tag, v->tag, sizeof(v->tag)), 16);
}

static void test_gcm_known_answers(void **state)
{
	for (size_t i = 0; i < sizeof(gcm_cases) / sizeof(gcm_cases[0]); i++) {
		struct gcm_vec v;
		uint8_t out[64], tag[16];

		gcm_vec(&gcm_cases[i], &v);
		memset(out, 0xee, sizeof(out));
		assert_int_equal(
			ops->aead_encrypt(*state, SPDM_AEAD_AES_256_GCM, v.key,
					  32, v.iv, 12, v.aad, v.aad_len, v.pt,
					  v.pt_len, out, tag, 16),
			0);
		assert_memory_equal(out, v.ct, v.pt_len);
		assert_memory_equal(tag, v.tag, 16);

		memset(out, 0xee, sizeof(out));
		assert_int_equal(
			ops->aead_decrypt(*state, SPDM_AEAD_AES_256_GCM, v.key,
					  32, v.iv, 12, v.aad, v.aad_len, v.ct,
					  v.pt_len, v.tag, 16, out),
			0);
		assert_memory_equal(out, v.pt, v.pt_len);

		/* In place, both ways. */
		memcpy(out, v.pt, v.pt_len);
		assert_int_equal(
			ops->aead_encrypt(*state, SPDM_AEAD_AES_256_GCM, v.key,
					  32, v.iv, 12, v.aad, v.aad_len, out,
					  v.pt_len, out, tag, 16),
			0);
		assert_memory_equal(out, v.ct, v.pt_len);
		assert_int_equal(
			ops->aead_decrypt(*state, SPDM_AEAD_AES_256_GCM, v.key,
					  32, v.iv, 12, v.aad, v.aad_len, out,
					  v.pt_len, tag, 16, out),
			0);
		assert_memory_equal(out, v.pt, v.pt_len);
	}
}

/* Every single-bit flip of the tag, AAD, nonce, ciphertext or key is
 * refused with -EPERM, and the output then holds zeros, not plaintext. */
static void test_gcm_tamper(void **state)
{
	struct gcm_vec v;
	uint8_t out[64];

	gcm_vec(&gcm_cases[3], &v);
	uint8_t *fields[] = {v.tag, v.aad, v.iv, v.ct, v.key};
	size_t lens[] = {16, v.aad_len, 12, v.pt_len, 32};

	for (size_t f = 0; f < 5; f++) {
		for (size_t bit = 0; bit < lens[f] * 8; bit += 7) {
			fields[f][bit / 8] ^= (uint8_t)(1u << (bit % 8));
			memset(out, 0xee, sizeof(out));
			assert_int_equal(
				ops->aead_decrypt(*state, SPDM_AEAD_AES_256_GCM,
						  v.key, 32, v.iv, 12, v.aad,
						  v.aad_len, v.ct, v.pt_len,
						  v.tag, 16, out),
				-EPERM);
			assert_true(all_zero(out, v.pt_len));
			fields[f][bit / 8] ^= (uint8_t)(1u << (bit % 8));
		}
	}
	/* AAD dropped or one byte shorter; ciphertext truncated. */
	assert_int_equal(ops->aead_decrypt(*state, SPDM_AEAD_AES_256_GCM, v.key,
					   32, v.iv, 12, v.aad, 0, v.ct,
					   v.pt_len, v.tag, 16, out),
			 -EPERM);
	assert_int_equal(ops->aead_decrypt(*state, SPDM_AEAD_AES_256_GCM, v.key,
					   32, v.iv, 12, v.aad, v.aad_len - 1,
					   v.ct, v.pt_len, v.tag, 16, out),
			 -EPERM);
	assert_int_equal(ops->aead_decrypt(*state, SPDM_AEAD_AES_256_GCM, v.key,
					   32, v.iv, 12, v.aad, v.aad_len, v.ct,
					   v.pt_len - 1, v.tag, 16, out),
			 -EPERM);
	/* The untouched vector still decrypts. */
	assert_int_equal(ops->aead_decrypt(*state, SPDM_AEAD_AES_256_GCM, v.key,
					   32, v.iv, 12, v.aad, v.aad_len, v.ct,
					   v.pt_len, v.tag, 16, out),
			 0);
}

static void test_gcm_bad_args(void **state)
{
	struct gcm_vec v;
	uint8_t out[64], tag[16];

	gcm_vec(&gcm_cases[3], &v);
	/* Key, nonce and tag lengths other than 32, 12, 16. */
	assert_int_equal(ops->aead_encrypt(*state, SPDM_AEAD_AES_256_GCM, v.key,
					   16, v.iv, 12, v.aad, 0, v.pt, 16,
					   out, tag, 16),
			 -EINVAL);
	assert_int_equal(ops->aead_encrypt(*state, SPDM_AEAD_AES_256_GCM, v.key,
					   32, v.iv, 8, v.aad, 0, v.pt, 16, out,
					   tag, 16),
			 -EINVAL);
	assert_int_equal(ops->aead_encrypt(*state, SPDM_AEAD_AES_256_GCM, v.key,
					   32, v.iv, 12, v.aad, 0, v.pt, 16,
					   out, tag, 12),
			 -EINVAL);
	assert_int_equal(ops->aead_decrypt(*state, SPDM_AEAD_AES_256_GCM, v.key,
					   32, v.iv, 12, v.aad, 0, v.ct, 16,
					   v.tag, 8, out),
			 -EINVAL);
	assert_int_equal(ops->aead_decrypt(*state, SPDM_AEAD_AES_256_GCM, v.key,
					   31, v.iv, 12, v.aad, 0, v.ct, 16,
					   v.tag, 16, out),
			 -EINVAL);
	assert_int_equal(ops->aead_encrypt(*state, SPDM_AEAD_NONE, v.key, 32,
					   v.iv, 12, v.aad, 0, v.pt, 16, out,
					   tag, 16),
			 -EINVAL);
	assert_int_equal(ops->aead_encrypt(*state, (enum spdm_aead_alg)7, v.key,
					   32, v.iv, 12, v.aad, 0, v.pt, 16,
					   out, tag, 16),
			 -ENOTSUP);
	assert_int_equal(ops->aead_encrypt(*state, SPDM_AEAD_AES_256_GCM, v.key,
					   32, v.iv, 12, NULL, 4, v.pt, 16, out,
					   tag, 16),
			 -EINVAL);
	assert_int_equal(ops->aead_encrypt(NULL, SPDM_AEAD_AES_256_GCM, v.key,
					   32, v.iv, 12, v.aad, 0, v.pt, 16,
					   out, tag, 16),
			 -EINVAL);
}

/* ---- ECDH: RFC 5903 8.1 and 8.2 ---- */

struct ecdh_case {
	enum spdm_dhe_group group;
	const char *i, *gi, *r, *gr, *shared;
};

static const struct ecdh_case ecdh_cases[] = {
	{SPDM_DHE_SECP256R1,
	 "C88F01F510D9AC3F70A292DAA2316DE544E9AAB8AFE84049C62A9C57862D1433",
	 "04DAD0B65394221CF9B051E1FECA5787D098DFE637FC90B9EF945D0C3772581180"
	 "5271A0461CDB8252D61F1C456FA3E59AB1F45B33ACCF5F58389E0577B8990BB3",
	 "C6EF9C5D78AE012A011164ACB397CE2088685D8F06BF9BE0B283AB46476BEE53",
	 "04D12DFB5289C8D4F81208B70270398C342296970A0BCCB74C736FC7554494BF63"
	 "56FBF3CA366CC23E8157854C13C58D6AAC23F046ADA30F8353E74F33039872AB",
	 "D6840F6B42F6EDAFD13116E0E12565202FEF8E9ECE7DCE03812464D04B9442DE"},
	{SPDM_DHE_SECP384R1,
	 "099F3C7034D4A2C699884D73A375A67F7624EF7C6B3C0F16"
	 "0647B67414DCE655E35B538041E649EE3FAEF896783AB194",
	 "04667842D7D180AC2CDE6F74F37551F55755C7645C20EF73E3"
	 "1634FE72B4C55EE6DE3AC808ACB4BDB4C88732AEE95F41AA"
	 "9482ED1FC0EEB9CAFC4984625CCFC23F65032149E0E144AD"
	 "A024181535A0F38EEB9FCFF3C2C947DAE69B4C634573A81C",
	 "41CB0779B4BDB85D47846725FBEC3C9430FAB46CC8DC5060"
	 "855CC9BDA0AA2942E0308312916B8ED2960E4BD55A7448FC",
	 "04E558DBEF53EECDE3D3FCCFC1AEA08A89A987475D12FD950D"
	 "83CFA41732BC509D0D1AC43A0336DEF96FDA41D0774A3571"
	 "DCFBEC7AACF3196472169E838430367F66EEBE3C6E70C416"
	 "DD5F0C68759DD1FFF83FA40142209DFF5EAAD96DB9E6386C",
	 "11187331C279962D93D604243FD592CB9D0A926F422E4718"
	 "7521287E7156C5C4D603135569B9E9D09CF5D4A270F59746"},
};

static void test_ecdh_rfc5903(void **state)
{
	struct prot_crypto *c = *state;

	for (size_t k = 0; k < 2; k++) {
		const struct ecdh_case *t = &ecdh_cases[k];
		uint8_t i[48], r[48], gi[97], gr[97], want[48], pub[97], z[48];
		size_t il = unhex(t->i, i, sizeof(i));
		size_t rl = unhex(t->r, r, sizeof(r));
		size_t pl = unhex(t->gi, gi, sizeof(gi));
		size_t zl = unhex(t->shared, want, sizeof(want));
		size_t len;

		assert_int_equal(unhex(t->gr, gr, sizeof(gr)), pl);
		assert_int_equal(pl, 1 + 2 * zl);
		/* Key 0: the initiator's scalar, key 1: the responder's. */
		assert_int_equal(
			prot_crypto_load_dhe_key_raw(c, 0, t->group, i, il), 0);
		assert_int_equal(
			prot_crypto_load_dhe_key_raw(c, 1, t->group, r, rl), 0);
		len = sizeof(pub);
		assert_int_equal(prot_crypto_export_dhe_public(c, 0, pub, &len),
				 0);
		assert_int_equal(len, pl);
		assert_memory_equal(pub, gi, pl);
		len = sizeof(pub);
		assert_int_equal(prot_crypto_export_dhe_public(c, 1, pub, &len),
				 0);
		assert_memory_equal(pub, gr, pl);

		memset(z, 0, sizeof(z));
		assert_int_equal(
			ops->dhe_compute_key(c, 0, t->group, gr, pl, z, zl), 0);
		assert_memory_equal(z, want, zl);
		memset(z, 0, sizeof(z));
		assert_int_equal(
			ops->dhe_compute_key(c, 1, t->group, gi, pl, z, zl), 0);
		assert_memory_equal(z, want, zl);

		/* Invalid peer points: -EBADMSG, nothing in the output. */
		gr[pl - 1] ^= 1; /* Y changed: not on the curve */
		memset(z, 0xee, sizeof(z));
		assert_int_equal(ops->dhe_compute_key(c, 0, t->group, gr, pl, z,
						      zl),
				 -EBADMSG);
		assert_true(all_zero(z, zl));
		gr[pl - 1] ^= 1;
		gr[0] = 0x02; /* compressed prefix */
		assert_int_equal(ops->dhe_compute_key(c, 0, t->group, gr, pl, z,
						      zl),
				 -EBADMSG);
		gr[0] = 0x04;
		memset(gr + 1, 0xff, zl); /* X >= p */
		assert_int_equal(ops->dhe_compute_key(c, 0, t->group, gr, pl, z,
						      zl),
				 -EBADMSG);
		memset(gr + 1, 0, pl - 1); /* (0, 0) */
		assert_int_equal(ops->dhe_compute_key(c, 0, t->group, gr, pl, z,
						      zl),
				 -EBADMSG);
		/* Wrong lengths and groups. */
		assert_int_equal(ops->dhe_compute_key(c, 0, t->group, gi,
						      pl - 1, z, zl),
				 -EINVAL);
		assert_int_equal(ops->dhe_compute_key(c, 0, t->group, gi, pl, z,
						      zl - 1),
				 -EINVAL);
		assert_int_equal(
			ops->dhe_compute_key(c, 0,
					     t->group == SPDM_DHE_SECP256R1
						     ? SPDM_DHE_SECP384R1
						     : SPDM_DHE_SECP256R1,
					     gi, pl, z, zl),
			-EINVAL);
		assert_int_equal(ops->dhe_compute_key(c, 2, t->group, gi, pl, z,
						      zl),
				 -ENOENT);
		assert_int_equal(ops->dhe_compute_key(c,
						      PROT_CRYPTO_MAX_DHE_KEYS,
						      t->group, gi, pl, z, zl),
				 -ENOENT);
	}
	/* Raw scalar refusals: 0 and the wrong size. */
	{
		uint8_t zero[48] = {0};

		assert_int_equal(prot_crypto_load_dhe_key_raw(
					 c, 0, SPDM_DHE_SECP384R1, zero, 48),
				 -EBADMSG);
		assert_int_equal(prot_crypto_load_dhe_key_raw(
					 c, 0, SPDM_DHE_SECP384R1, zero, 32),
				 -EINVAL);
	}
}

/* Ephemeral keys: both sides of a generated pair agree, the public key is
 * a point our own compute accepts, and a freed key is no key. */
static void test_ecdh_ephemeral(void **state)
{
	static const enum spdm_dhe_group groups[] = {SPDM_DHE_SECP256R1,
						     SPDM_DHE_SECP384R1};
	void *c = *state;

	for (size_t g = 0; g < 2; g++) {
		size_t size = g ? 48 : 32, pl = 1 + 2 * size;
		struct spdm_dhe_key a, b;
		uint8_t pa[97], pb[97], za[48], zb[48];

		memset(&a, 0, sizeof(a));
		memset(&b, 0, sizeof(b));
		assert_int_equal(ops->dhe_generate(c, &a, groups[g], pa, pl),
				 0);
		assert_int_equal(ops->dhe_generate(c, &b, groups[g], pb, pl),
				 0);
		assert_int_equal(pa[0], 0x04);
		assert_memory_not_equal(pa, pb, pl);
		assert_int_equal(ops->dhe_compute(c, &a, pb, pl, za, size), 0);
		assert_int_equal(ops->dhe_compute(c, &b, pa, pl, zb, size), 0);
		assert_memory_equal(za, zb, size);
		assert_false(all_zero(za, size));
		/* Usable again until freed. */
		assert_int_equal(ops->dhe_compute(c, &a, pb, pl, zb, size), 0);
		assert_memory_equal(za, zb, size);

		pb[pl / 2] ^= 0x10;
		assert_int_equal(ops->dhe_compute(c, &a, pb, pl, za, size),
				 -EBADMSG);
		assert_int_equal(ops->dhe_compute(c, &a, pb, pl - 1, za, size),
				 -EINVAL);

		ops->dhe_free(c, &a);
		assert_true(all_zero(a.opaque, sizeof(a.opaque)));
		assert_int_equal(ops->dhe_compute(c, &a, pa, pl, za, size),
				 -EINVAL);
		ops->dhe_free(c, &a); /* twice is harmless */
		ops->dhe_free(c, &b);
		ops->zeroize(c, za, sizeof(za));
		assert_true(all_zero(za, sizeof(za)));
	}
	{
		struct spdm_dhe_key a;
		uint8_t p[97];

		assert_int_equal(ops->dhe_generate(c, &a, SPDM_DHE_SECP384R1, p,
						   65),
				 -EINVAL);
		assert_int_equal(ops->dhe_generate(c, &a, SPDM_DHE_NONE, p, 97),
				 -EINVAL);
		assert_int_equal(
			ops->dhe_generate(c, &a, (enum spdm_dhe_group)9, p, 97),
			-ENOTSUP);
		assert_true(all_zero(a.opaque, sizeof(a.opaque)));
	}
}

/* A long-term key loaded from the openssl-made PEM: its public half is the
 * one openssl printed, and ECDH with an ephemeral key agrees both ways. */
static void test_ecdh_pem_key(void **state)
{
	struct prot_crypto *c = *state;
	uint8_t pem[4096], want[97], pub[97], peer[97], z1[48], z2[48];
	size_t n = load("p384/leaf.key.pem", pem, sizeof(pem));
	size_t wl = load("p384/leaf.pub.bin", want, sizeof(want) + 1);
	size_t len = sizeof(pub);
	struct spdm_dhe_key e = {0};

	assert_int_equal(wl, 97);
	assert_int_equal(prot_crypto_load_dhe_key(c, 3, pem, n), 0);
	assert_int_equal(prot_crypto_export_dhe_public(c, 3, pub, &len), 0);
	assert_int_equal(len, 97);
	assert_memory_equal(pub, want, 97);

	assert_int_equal(ops->dhe_generate(c, &e, SPDM_DHE_SECP384R1, peer, 97),
			 0);
	assert_int_equal(ops->dhe_compute(c, &e, pub, 97, z1, 48), 0);
	assert_int_equal(ops->dhe_compute_key(c, 3, SPDM_DHE_SECP384R1, peer,
					      97, z2, 48),
			 0);
	assert_memory_equal(z1, z2, 48);
	ops->dhe_free(c, &e);

	/* A key for agreement only: the same PEM in slot 0 signs, the DHE key
	 * store does not make it a signing key. */
	assert_int_equal(prot_crypto_load_dhe_key(c, PROT_CRYPTO_MAX_DHE_KEYS,
						  pem, n),
			 -EINVAL);
	assert_int_equal(prot_crypto_load_dhe_key(c, 0, pem, 10), -EBADMSG);
	len = 10;
	assert_int_equal(prot_crypto_export_dhe_public(c, 3, pub, &len),
			 -EMSGSIZE);
	len = sizeof(pub);
	assert_int_equal(prot_crypto_export_dhe_public(c, 2, pub, &len),
			 -ENOENT);
}

/* ---- slot 0xFF ---- */

static void test_slot_provisioned(void **state)
{
	struct prot_crypto *c = *state;
	uint8_t pem[4096], want[98], pub[97], digest[48], sig[96];
	size_t n, wl, len = sizeof(pub);
	char path[512];

	for (size_t i = 0; i < sizeof(digest); i++)
		digest[i] = (uint8_t)(i * 7 + 1);
	/* No key yet: refused. */
	assert_int_equal(ops->sign(c, 0xFF, SPDM_ASYM_ECDSA_P384, digest, 48,
				   sig, 96),
			 -EINVAL);
	n = load("p384/leaf.key.pem", pem, sizeof(pem));
	wl = load("p384/leaf.pub.bin", want, sizeof(want));
	assert_int_equal(wl, 97);
	assert_int_equal(prot_crypto_load_slot_key(
				 c, PROT_CRYPTO_SLOT_PROVISIONED, pem, n),
			 0);
	assert_int_equal(prot_crypto_export_slot_public(c, 0xFF, pub, &len), 0);
	assert_int_equal(len, 97);
	assert_memory_equal(pub, want, 97);
	assert_int_equal(ops->sign(c, 0xFF, SPDM_ASYM_ECDSA_P384, digest, 48,
				   sig, 96),
			 0);
	assert_int_equal(ops->verify(c, SPDM_ASYM_ECDSA_P384, want, 97, digest,
				     48, sig, 96),
			 0);
	/* Wrong curve for the slot, other slot numbers. */
	assert_int_equal(ops->sign(c, 0xFF, SPDM_ASYM_ECDSA_P256, digest, 48,
				   sig, 64),
			 -EINVAL);
	assert_int_equal(ops->sign(c, 0xFE, SPDM_ASYM_ECDSA_P384, digest, 48,
				   sig, 96),
			 -EINVAL);
	assert_int_equal(ops->sign(c, 0, SPDM_ASYM_ECDSA_P384, digest, 48, sig,
				   96),
			 -EINVAL);
	assert_int_equal(prot_crypto_load_slot_key(c, 0xFE, pem, n), -EINVAL);
	len = sizeof(pub);
	assert_int_equal(prot_crypto_export_slot_public(c, 0, pub, &len),
			 -EINVAL);

	/* From a file, replacing it with the P-256 key. */
	snprintf(path, sizeof(path), "%s/p256/leaf.key.pem", PROT_TEST_PKI_DIR);
	assert_int_equal(prot_crypto_load_slot_key_file(c, 0xFF, path), 0);
	wl = load("p256/leaf.pub.bin", want, sizeof(want));
	assert_int_equal(wl, 65);
	assert_int_equal(ops->sign(c, 0xFF, SPDM_ASYM_ECDSA_P256, digest, 32,
				   sig, 64),
			 0);
	assert_int_equal(ops->verify(c, SPDM_ASYM_ECDSA_P256, want, 65, digest,
				     32, sig, 64),
			 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_ops_present, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_hmac_rfc4231, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_hmac_empty_key, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_hkdf, setup, teardown),
		cmocka_unit_test_setup_teardown(test_gcm_known_answers, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_gcm_tamper, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_gcm_bad_args, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_ecdh_rfc5903, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_ecdh_ephemeral, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_ecdh_pem_key, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_slot_provisioned, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
