/* SPDX-License-Identifier: Apache-2.0 */
/*
 * POSIX port: the libspdm-lite crypto ops on mbedTLS. Hashes against the
 * FIPS 180-4 example vectors (NIST CSRC "Examples with Intermediate
 * Values"); signatures and certificate chains against the test PKI in
 * tests/pki/, made by the openssl CLI (scripts/gen-test-pki.sh): a
 * signature from `openssl dgst -sign` must verify, and the leaf key we
 * extract must be the one `openssl ec -pubout` printed.
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

#include <mbedtls/version.h>

#include "prot-posix/crypto.h"
#include "spdm/crypto.h"

#ifndef PROT_TEST_PKI_DIR
#error "PROT_TEST_PKI_DIR must name tests/pki"
#endif

static const struct spdm_crypto_ops *const ops = &prot_crypto_ops;

/* ---- helpers ---- */

struct blob {
	uint8_t *data;
	size_t len;
};

static struct blob load(const char *rel)
{
	char path[512];
	struct blob b = {0};
	FILE *f;
	long n;

	snprintf(path, sizeof(path), "%s/%s", PROT_TEST_PKI_DIR, rel);
	f = fopen(path, "rb");
	if (!f)
		fail_msg("cannot open %s", path);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	assert_true(n > 0);
	rewind(f);
	b.len = (size_t)n;
	b.data = malloc(b.len);
	assert_non_null(b.data);
	assert_int_equal(fread(b.data, 1, b.len, f), b.len);
	fclose(f);
	return b;
}

static void pki_path(char *out, size_t cap, const char *rel)
{
	snprintf(out, cap, "%s/%s", PROT_TEST_PKI_DIR, rel);
}

static size_t unhex(const char *hex, uint8_t *out, size_t cap)
{
	size_t n = strlen(hex) / 2;
	unsigned int v;

	assert_true(n <= cap);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(sscanf(hex + 2 * i, "%2x", &v), 1);
		out[i] = (uint8_t)v;
	}
	return n;
}

static struct prot_crypto *new_crypto(void)
{
	struct prot_crypto *c = calloc(1, sizeof(*c));

	assert_non_null(c);
	assert_int_equal(prot_crypto_init(c), 0);
	return c;
}

static void del_crypto(struct prot_crypto *c)
{
	prot_crypto_free(c);
	free(c);
}

static int setup(void **state)
{
	*state = new_crypto();
	return 0;
}

static int teardown(void **state)
{
	del_crypto(*state);
	return 0;
}

/* Hash @len bytes of @msg, feeding them in pieces of @chunk (0: one
 * update). */
static void hash_chunked(struct prot_crypto *c, enum spdm_hash_alg alg,
			 const uint8_t *msg, size_t len, size_t chunk,
			 uint8_t *digest)
{
	struct spdm_hash_state st;

	memset(&st, 0xa5, sizeof(st)); /* no assumption of a zeroed state */
	assert_int_equal(ops->hash_init(c, &st, alg), 0);
	if (!chunk)
		chunk = len ? len : 1;
	for (size_t off = 0; off < len; off += chunk) {
		size_t n = len - off < chunk ? len - off : chunk;
		assert_int_equal(ops->hash_update(c, &st, msg + off, n), 0);
	}
	assert_int_equal(ops->hash_final(c, &st, digest), 0);
}

static void hash_blob(struct prot_crypto *c, enum spdm_hash_alg alg,
		      const struct blob *b, uint8_t *digest)
{
	hash_chunked(c, alg, b->data, b->len, 0, digest);
}

/* ---- hashes ---- */

#define ABC "abc"
#define TWO_BLOCK_256 "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"
#define TWO_BLOCK_512                                                          \
	"abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmno"     \
	"ijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu"

struct hash_vector {
	enum spdm_hash_alg alg;
	const char *msg;
	const char *digest;
};

/* FIPS 180-4 examples: one-block "abc", the two-block messages and the
 * empty message. */
static const struct hash_vector sha2_vectors[] = {
	{SPDM_HASH_SHA256, ABC,
	 "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
	{SPDM_HASH_SHA256, TWO_BLOCK_256,
	 "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
	{SPDM_HASH_SHA256, "",
	 "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
	{SPDM_HASH_SHA384, ABC,
	 "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded163"
	 "1a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7"},
	{SPDM_HASH_SHA384, TWO_BLOCK_512,
	 "09330c33f71147e83d192fc782cd1b4753111b173b3b05d2"
	 "2fa08086e3b0f712fcc7c71a557e2db966c3e9fa91746039"},
	{SPDM_HASH_SHA384, "",
	 "38b060a751ac96384cd9327eb1b1e36a21fdb71114be0743"
	 "4c0cc7bf63f6e1da274edebfe76f65fbd51ad2f14898b95b"},
	{SPDM_HASH_SHA512, ABC,
	 "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
	 "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f"},
	{SPDM_HASH_SHA512, TWO_BLOCK_512,
	 "8e959b75dae313da8cf4f72814fc143f8f7779c6eb9f7fa17299aeadb6889018"
	 "501d289e4900f7e4331b99dec4b5433ac7d329eeb6dd26545e96e55b874be909"},
	{SPDM_HASH_SHA512, "",
	 "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce"
	 "47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e"},
};

/* FIPS 202 examples ("abc"), checked only where the provider has SHA3. */
static const struct hash_vector sha3_vectors[] = {
	{SPDM_HASH_SHA3_256, ABC,
	 "3a985da74fe225b2045c172d6bd390bd855f086e3e9d525b46bfe24511431532"},
	{SPDM_HASH_SHA3_384, ABC,
	 "ec01498288516fc926459f58e2c6ad8df9b473cb0fc08c25"
	 "96da7cf0e49be4b298d88cea927ac7f539f1edf228376d25"},
	{SPDM_HASH_SHA3_512, ABC,
	 "b751850b1a57168a5693cd924b6b096e08f621827444f70d884f5d0240d2712e"
	 "10e116e9192af3c91a7ec57647e3934057340b4cf408d5a56592f8274eec53f0"},
};

/* Update splits: one call, byte by byte, and sizes around the block. */
static const size_t splits[] = {0, 1, 2, 3, 7, 55, 56, 63, 64, 65, 111, 128};

static void check_vector(struct prot_crypto *c, const struct hash_vector *v)
{
	uint8_t want[SPDM_MAX_HASH_SIZE], got[SPDM_MAX_HASH_SIZE];
	size_t n = unhex(v->digest, want, sizeof(want));

	assert_int_equal(n, spdm_hash_size(v->alg));
	for (size_t i = 0; i < sizeof(splits) / sizeof(splits[0]); i++) {
		memset(got, 0, sizeof(got));
		hash_chunked(c, v->alg, (const uint8_t *)v->msg, strlen(v->msg),
			     splits[i], got);
		assert_memory_equal(got, want, n);
	}
}

static void test_algos(void **state)
{
	struct prot_crypto *c = *state;
	uint32_t h = ops->hash_algos(c);
	uint32_t sha3 = 1u << SPDM_HASH_SHA3_256 | 1u << SPDM_HASH_SHA3_384 |
			1u << SPDM_HASH_SHA3_512;

	assert_int_equal(h & ~sha3, 1u << SPDM_HASH_SHA256 |
					    1u << SPDM_HASH_SHA384 |
					    1u << SPDM_HASH_SHA512);
#if MBEDTLS_VERSION_NUMBER < 0x03000000
	/* mbedTLS 2.28 has no SHA3: it must not be offered. */
	assert_int_equal(h & sha3, 0);
#endif
	assert_int_equal(ops->asym_algos(c),
			 1u << SPDM_ASYM_ECDSA_P256 |
				 1u << SPDM_ASYM_ECDSA_P384);
}

static void test_sha2_vectors(void **state)
{
	for (size_t i = 0; i < sizeof(sha2_vectors) / sizeof(sha2_vectors[0]);
	     i++)
		check_vector(*state, &sha2_vectors[i]);
}

/* One million 'a' (FIPS 180-4 long message), in uneven pieces. */
static void test_sha2_million_a(void **state)
{
	static const char *const want[] = {
		"cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0",
		"9d0e1809716474cb086e834e310a4a1ced149e9c00f24852"
		"7972cec5704c2a5b07b8b3dc38ecc4ebae97ddd87f3d8985",
		"e718483d0ce769644e2e42c7bc15b4638e1f98b13b2044285632a803afa973eb"
		"de0ff244877ea60a4cb0432ce577c31beb009c5c2c49aa2e4eadb217ad8cc09b",
	};
	static const enum spdm_hash_alg algs[] = {
		SPDM_HASH_SHA256, SPDM_HASH_SHA384, SPDM_HASH_SHA512};
	uint8_t *msg = malloc(1000000);
	uint8_t exp[SPDM_MAX_HASH_SIZE], got[SPDM_MAX_HASH_SIZE];

	assert_non_null(msg);
	memset(msg, 'a', 1000000);
	for (size_t i = 0; i < 3; i++) {
		size_t n = unhex(want[i], exp, sizeof(exp));
		hash_chunked(*state, algs[i], msg, 1000000, 997, got);
		assert_memory_equal(got, exp, n);
	}
	free(msg);
}

static void test_sha3(void **state)
{
	struct prot_crypto *c = *state;
	struct spdm_hash_state st;
	uint32_t algos = ops->hash_algos(c);

	for (size_t i = 0; i < sizeof(sha3_vectors) / sizeof(sha3_vectors[0]);
	     i++) {
		const struct hash_vector *v = &sha3_vectors[i];

		if (algos & 1u << v->alg) {
			check_vector(c, v);
		} else {
			memset(&st, 0, sizeof(st));
			assert_int_equal(ops->hash_init(c, &st, v->alg),
					 -ENOTSUP);
			/* A failed init leaves nothing running. */
			assert_int_equal(ops->hash_update(c, &st,
							  (const uint8_t *)"a",
							  1),
					 -EINVAL);
		}
	}
}

static void test_hash_state_rules(void **state)
{
	struct prot_crypto *c = *state;
	struct spdm_hash_state a, b;
	uint8_t d1[SPDM_MAX_HASH_SIZE], d2[SPDM_MAX_HASH_SIZE];
	uint8_t want[SPDM_MAX_HASH_SIZE];

	unhex(sha2_vectors[0].digest, want, sizeof(want));

	/* Bad algorithms. */
	assert_int_equal(ops->hash_init(c, &a, SPDM_HASH_NONE), -EINVAL);
	assert_int_equal(ops->hash_init(c, &a, (enum spdm_hash_alg)99),
			 -EINVAL);
	assert_int_equal(ops->hash_init(NULL, &a, SPDM_HASH_SHA256), -EINVAL);

	/* A state never started, finished, or aborted is not running. */
	memset(&a, 0, sizeof(a));
	assert_int_equal(ops->hash_update(c, &a, d1, 1), -EINVAL);
	assert_int_equal(ops->hash_final(c, &a, d1), -EINVAL);
	ops->hash_abort(c, &a);

	/* Two states at once, interleaved: independent. */
	assert_int_equal(ops->hash_init(c, &a, SPDM_HASH_SHA256), 0);
	assert_int_equal(ops->hash_init(c, &b, SPDM_HASH_SHA384), 0);
	assert_int_equal(ops->hash_update(c, &a, (const uint8_t *)"ab", 2), 0);
	assert_int_equal(ops->hash_update(c, &b, (const uint8_t *)"a", 1), 0);
	assert_int_equal(ops->hash_update(c, &a, (const uint8_t *)"c", 1), 0);
	assert_int_equal(ops->hash_update(c, &b, (const uint8_t *)"bc", 2), 0);
	assert_int_equal(ops->hash_update(c, &a, NULL, 0), 0);
	assert_int_equal(ops->hash_final(c, &a, d1), 0);
	assert_memory_equal(d1, want, 32);
	assert_int_equal(ops->hash_final(c, &b, d2), 0);
	unhex(sha2_vectors[3].digest, want, sizeof(want));
	assert_memory_equal(d2, want, 48);

	/* Finished: no more updates; may be started again. */
	assert_int_equal(ops->hash_update(c, &a, d1, 1), -EINVAL);
	assert_int_equal(ops->hash_final(c, &a, d1), -EINVAL);
	assert_int_equal(ops->hash_init(c, &a, SPDM_HASH_SHA256), 0);
	assert_int_equal(ops->hash_update(c, &a, (const uint8_t *)"xyz", 3), 0);
	ops->hash_abort(c, &a);
	assert_int_equal(ops->hash_update(c, &a, d1, 1), -EINVAL);
	ops->hash_abort(c, &a); /* twice: harmless */

	/* Restart after abort: no trace of the aborted data. */
	assert_int_equal(ops->hash_init(c, &a, SPDM_HASH_SHA256), 0);
	assert_int_equal(ops->hash_update(c, &a, (const uint8_t *)"abc", 3), 0);
	assert_int_equal(ops->hash_update(c, &a, NULL, 1), -EINVAL);
	assert_int_equal(ops->hash_final(c, &a, d1), 0);
	unhex(sha2_vectors[0].digest, want, sizeof(want));
	assert_memory_equal(d1, want, 32);

	/* Final without an output releases the state. */
	assert_int_equal(ops->hash_init(c, &a, SPDM_HASH_SHA512), 0);
	assert_int_equal(ops->hash_final(c, &a, NULL), -EINVAL);
	assert_int_equal(ops->hash_update(c, &a, d1, 1), -EINVAL);
}

/* ---- signatures ---- */

struct curve_case {
	const char *dir;
	enum spdm_asym_alg alg;
};

static const struct curve_case curves[] = {
	{"p384", SPDM_ASYM_ECDSA_P384},
	{"p256", SPDM_ASYM_ECDSA_P256},
};

static void test_sign_verify(void **state)
{
	struct prot_crypto *c = *state;
	static const size_t digest_lens[] = {32, 48, 64};
	uint8_t digest[64], sig[SPDM_MAX_SIG_SIZE], sig2[SPDM_MAX_SIG_SIZE];
	char path[512];
	struct blob wrong = load("other/leaf.pub.bin");

	for (size_t k = 0; k < 2; k++) {
		const struct curve_case *cv = &curves[k];
		size_t sig_len = spdm_sig_size(cv->alg);
		uint8_t slot = (uint8_t)(k % SPDM_MAX_SLOTS);
		struct blob pub;

		snprintf(path, sizeof(path), "%s/leaf.pub.bin", cv->dir);
		pub = load(path);
		/* PEM (PKCS#8) for P-384, DER (SEC1) for P-256. */
		snprintf(path, sizeof(path), "%s/%s/leaf.key.%s",
			 PROT_TEST_PKI_DIR, cv->dir, k ? "der" : "pem");
		assert_int_equal(prot_crypto_load_slot_key_file(c, slot, path),
				 0);

		for (size_t d = 0; d < 3; d++) {
			size_t dl = digest_lens[d];
			size_t used = dl < sig_len / 2 ? dl : sig_len / 2;

			for (size_t i = 0; i < dl; i++)
				digest[i] = (uint8_t)(i * 7 + d);
			assert_int_equal(ops->sign(c, slot, cv->alg, digest, dl,
						   sig, sig_len),
					 0);
			assert_int_equal(ops->verify(c, cv->alg, pub.data,
						     pub.len, digest, dl, sig,
						     sig_len),
					 0);
			/* ECDSA here is randomised: a second signature
			 * differs and verifies too. */
			assert_int_equal(ops->sign(c, slot, cv->alg, digest, dl,
						   sig2, sig_len),
					 0);
			assert_memory_not_equal(sig, sig2, sig_len);
			assert_int_equal(ops->verify(c, cv->alg, pub.data,
						     pub.len, digest, dl, sig2,
						     sig_len),
					 0);

			/* Flipped digest byte (first and last). */
			digest[0] ^= 1;
			assert_int_equal(ops->verify(c, cv->alg, pub.data,
						     pub.len, digest, dl, sig,
						     sig_len),
					 -EPERM);
			digest[0] ^= 1;
			digest[used - 1] ^= 0x80;
			assert_int_equal(ops->verify(c, cv->alg, pub.data,
						     pub.len, digest, dl, sig,
						     sig_len),
					 -EPERM);
			digest[used - 1] ^= 0x80;
			/* ECDSA uses only the leftmost curve-size bytes of a
			 * longer digest (FIPS 186-4 6.4): the rest is not
			 * signed. */
			if (dl > used) {
				digest[dl - 1] ^= 0x80;
				assert_int_equal(ops->verify(c, cv->alg,
							     pub.data, pub.len,
							     digest, dl, sig,
							     sig_len),
						 0);
				digest[dl - 1] ^= 0x80;
			}

			/* Flipped signature byte, in r and in s. */
			sig[3] ^= 0x10;
			assert_int_equal(ops->verify(c, cv->alg, pub.data,
						     pub.len, digest, dl, sig,
						     sig_len),
					 -EPERM);
			sig[3] ^= 0x10;
			sig[sig_len - 1] ^= 1;
			assert_int_equal(ops->verify(c, cv->alg, pub.data,
						     pub.len, digest, dl, sig,
						     sig_len),
					 -EPERM);
			sig[sig_len - 1] ^= 1;

			/* r and s swapped. */
			memcpy(sig2, sig + sig_len / 2, sig_len / 2);
			memcpy(sig2 + sig_len / 2, sig, sig_len / 2);
			assert_int_equal(ops->verify(c, cv->alg, pub.data,
						     pub.len, digest, dl, sig2,
						     sig_len),
					 -EPERM);

			/* All zero: r = s = 0 is never valid. */
			memset(sig2, 0, sig_len);
			assert_int_equal(ops->verify(c, cv->alg, pub.data,
						     pub.len, digest, dl, sig2,
						     sig_len),
					 -EPERM);

			/* Still valid after all that. */
			assert_int_equal(ops->verify(c, cv->alg, pub.data,
						     pub.len, digest, dl, sig,
						     sig_len),
					 0);
		}

		/* Wrong key: the other PKI's P-384 leaf. */
		if (cv->alg == SPDM_ASYM_ECDSA_P384)
			assert_int_equal(ops->verify(c, cv->alg, wrong.data,
						     wrong.len, digest, 64, sig,
						     sig_len),
					 -EPERM);
		free(pub.data);
	}
	free(wrong.data);
}

/* Signatures made by `openssl dgst -sign`, converted to r || s when the
 * PKI was generated: they must verify over the digest openssl printed,
 * which must also be our digest of the message. */
static void test_verify_openssl_signature(void **state)
{
	struct prot_crypto *c = *state;
	static const struct {
		const char *pub, *sig, *digest;
		enum spdm_asym_alg alg;
		enum spdm_hash_alg hash;
	} cases[] = {
		{"p384/leaf.pub.bin", "p384/leaf.sig-sha384.raw", "msg.sha384",
		 SPDM_ASYM_ECDSA_P384, SPDM_HASH_SHA384},
		{"p256/leaf.pub.bin", "p256/leaf.sig-sha256.raw", "msg.sha256",
		 SPDM_ASYM_ECDSA_P256, SPDM_HASH_SHA256},
		/* P-256 over a SHA-384 digest: ECDSA takes its leftmost 256
		 * bits. */
		{"p256/leaf.pub.bin", "p256/leaf.sig-sha384.raw", "msg.sha384",
		 SPDM_ASYM_ECDSA_P256, SPDM_HASH_SHA384},
	};
	struct blob msg = load("msg.bin");
	uint8_t ours[SPDM_MAX_HASH_SIZE];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct blob pub = load(cases[i].pub);
		struct blob sig = load(cases[i].sig);
		struct blob dg = load(cases[i].digest);

		assert_int_equal(sig.len, spdm_sig_size(cases[i].alg));
		assert_int_equal(dg.len, spdm_hash_size(cases[i].hash));
		hash_blob(c, cases[i].hash, &msg, ours);
		assert_memory_equal(ours, dg.data, dg.len);

		assert_int_equal(ops->verify(c, cases[i].alg, pub.data, pub.len,
					     dg.data, dg.len, sig.data,
					     sig.len),
				 0);
		dg.data[5] ^= 4;
		assert_int_equal(ops->verify(c, cases[i].alg, pub.data, pub.len,
					     dg.data, dg.len, sig.data,
					     sig.len),
				 -EPERM);
		dg.data[5] ^= 4;
		sig.data[sig.len / 2] ^= 0x40;
		assert_int_equal(ops->verify(c, cases[i].alg, pub.data, pub.len,
					     dg.data, dg.len, sig.data,
					     sig.len),
				 -EPERM);
		free(pub.data);
		free(sig.data);
		free(dg.data);
	}
	free(msg.data);
}

static void test_sign_verify_errors(void **state)
{
	struct prot_crypto *c = *state;
	struct blob pub = load("p384/leaf.pub.bin");
	struct blob key = load("p384/leaf.key.pem");
	uint8_t digest[48] = {1}, sig[SPDM_MAX_SIG_SIZE] = {0};
	uint8_t bad[SPDM_MAX_PUBKEY_SIZE];
	const enum spdm_asym_alg p384 = SPDM_ASYM_ECDSA_P384;

	/* No key in the slot yet. */
	assert_int_equal(ops->sign(c, 0, p384, digest, 48, sig, 96), -EINVAL);
	assert_int_equal(prot_crypto_load_slot_key(c, 0, key.data, key.len), 0);
	assert_int_equal(ops->sign(c, 0, p384, digest, 48, sig, 96), 0);
	/* Slot out of range, curve not the key's, odd sizes. */
	assert_int_equal(ops->sign(c, SPDM_MAX_SLOTS, p384, digest, 48, sig,
				   96),
			 -EINVAL);
	assert_int_equal(ops->sign(c, 0, SPDM_ASYM_ECDSA_P256, digest, 48, sig,
				   64),
			 -EINVAL);
	assert_int_equal(ops->sign(c, 0, p384, digest, 47, sig, 96), -EINVAL);
	assert_int_equal(ops->sign(c, 0, p384, digest, 48, sig, 95), -EINVAL);
	assert_int_equal(ops->sign(c, 0, p384, digest, 48, sig, 97), -EINVAL);
	assert_int_equal(ops->sign(c, 0, SPDM_ASYM_NONE, digest, 48, sig, 96),
			 -EINVAL);

	assert_int_equal(ops->sign(c, 0, p384, digest, 48, sig, 96), 0);
	assert_int_equal(ops->verify(c, p384, pub.data, pub.len, digest, 48,
				     sig, 96),
			 0);
	/* Sizes that do not match the algorithm. */
	assert_int_equal(ops->verify(c, p384, pub.data, pub.len - 1, digest, 48,
				     sig, 96),
			 -EINVAL);
	assert_int_equal(ops->verify(c, p384, pub.data, pub.len, digest, 47,
				     sig, 96),
			 -EINVAL);
	assert_int_equal(ops->verify(c, p384, pub.data, pub.len, digest, 48,
				     sig, 64),
			 -EINVAL);
	assert_int_equal(ops->verify(c, SPDM_ASYM_ECDSA_P256, pub.data, pub.len,
				     digest, 48, sig, 96),
			 -EINVAL);
	assert_int_equal(ops->verify(c, SPDM_ASYM_NONE, pub.data, pub.len,
				     digest, 48, sig, 96),
			 -EINVAL);
	/* Public keys that are not points of the curve. */
	memcpy(bad, pub.data, pub.len);
	bad[0] = 0x02;
	assert_int_equal(ops->verify(c, p384, bad, pub.len, digest, 48, sig,
				     96),
			 -EBADMSG);
	memcpy(bad, pub.data, pub.len);
	bad[pub.len - 1] ^= 1; /* Y off the curve */
	assert_int_equal(ops->verify(c, p384, bad, pub.len, digest, 48, sig,
				     96),
			 -EBADMSG);

	/* A freed context does nothing. */
	prot_crypto_free(c);
	assert_int_equal(ops->sign(c, 0, p384, digest, 48, sig, 96), -EINVAL);
	assert_int_equal(ops->verify(c, p384, pub.data, pub.len, digest, 48,
				     sig, 96),
			 -EINVAL);
	assert_int_equal(ops->hash_algos(c), 0);
	assert_int_equal(prot_crypto_init(c), 0);

	free(pub.data);
	free(key.data);
}

static void test_load_keys(void **state)
{
	struct prot_crypto *c = *state;
	struct blob pem = load("p256/leaf.key.pem");
	struct blob cert = load("p256/leaf.cert.der");
	struct blob pub = load("p256/leaf.pub.bin");
	uint8_t digest[32] = {9}, sig[SPDM_MAX_SIG_SIZE];
	char path[512];

	pki_path(path, sizeof(path), "no-such-key.pem");
	assert_int_equal(prot_crypto_load_slot_key_file(c, 0, path), -ENOENT);
	assert_int_equal(prot_crypto_load_slot_key_file(c, 0,
							PROT_TEST_PKI_DIR),
			 -EINVAL);
	/* Not private keys. */
	assert_int_equal(prot_crypto_load_slot_key(c, 0, cert.data, cert.len),
			 -EBADMSG);
	pki_path(path, sizeof(path), "p256/leaf.pub.der");
	assert_int_equal(prot_crypto_load_slot_key_file(c, 0, path), -EBADMSG);
	assert_int_equal(prot_crypto_load_slot_key(c, 0, pem.data, 0),
			 -EBADMSG);
	assert_int_equal(prot_crypto_load_slot_key(c, 0, pem.data, pem.len / 2),
			 -EBADMSG);
	assert_int_equal(prot_crypto_load_slot_key(c, SPDM_MAX_SLOTS, pem.data,
						   pem.len),
			 -EINVAL);

	/* A P-384 key, replaced by a P-256 key (PEM with its NUL). */
	pki_path(path, sizeof(path), "p384/root.key.pem");
	assert_int_equal(prot_crypto_load_slot_key_file(c, 0, path), 0);
	assert_int_equal(
		ops->sign(c, 0, SPDM_ASYM_ECDSA_P384, digest, 32, sig, 96), 0);
	pem.data = realloc(pem.data, pem.len + 1);
	assert_non_null(pem.data);
	pem.data[pem.len] = 0;
	assert_int_equal(prot_crypto_load_slot_key(c, 0, pem.data, pem.len + 1),
			 0);
	assert_int_equal(ops->sign(c, 0, SPDM_ASYM_ECDSA_P384, digest, 32, sig,
				   96),
			 -EINVAL);
	assert_int_equal(
		ops->sign(c, 0, SPDM_ASYM_ECDSA_P256, digest, 32, sig, 64), 0);
	assert_int_equal(ops->verify(c, SPDM_ASYM_ECDSA_P256, pub.data, pub.len,
				     digest, 32, sig, 64),
			 0);

	free(pem.data);
	free(cert.data);
	free(pub.data);
}

static void test_random(void **state)
{
	struct prot_crypto *c = *state;
	uint8_t a[32], b[32], zero[32] = {0};

	memset(a, 0, sizeof(a));
	memset(b, 0, sizeof(b));
	assert_int_equal(ops->random(c, a, sizeof(a)), 0);
	assert_int_equal(ops->random(c, b, sizeof(b)), 0);
	assert_memory_not_equal(a, b, sizeof(a));
	assert_memory_not_equal(a, zero, sizeof(a));
	assert_int_equal(ops->random(c, NULL, 0), 0);
	assert_int_equal(ops->random(c, NULL, 1), -EINVAL);
	assert_int_equal(ops->random(NULL, a, 1), -EINVAL);
}

/* ---- certificate chains ---- */

/* The certificates of SPDM chain file @rel, checking its DSP0274 header:
 * Length (LE16, whole chain), Reserved, RootHash of the first
 * certificate (which must be @dir/root.cert.der). */
static struct blob chain_certs(struct prot_crypto *c, const char *dir,
			       enum spdm_hash_alg hash)
{
	char rel[128];
	struct blob file, root, inter, leaf, certs;
	uint8_t digest[SPDM_MAX_HASH_SIZE];
	size_t hlen = spdm_hash_size(hash);

	snprintf(rel, sizeof(rel), "%s/chain-%s.bin", dir,
		 hash == SPDM_HASH_SHA384 ? "sha384" : "sha256");
	file = load(rel);
	snprintf(rel, sizeof(rel), "%s/root.cert.der", dir);
	root = load(rel);
	snprintf(rel, sizeof(rel), "%s/inter.cert.der", dir);
	inter = load(rel);
	snprintf(rel, sizeof(rel), "%s/leaf.cert.der", dir);
	leaf = load(rel);

	assert_int_equal(file.data[0] | file.data[1] << 8, file.len);
	assert_int_equal(file.data[2] | file.data[3], 0);
	hash_blob(c, hash, &root, digest);
	assert_memory_equal(file.data + 4, digest, hlen);

	certs.len = file.len - 4 - hlen;
	certs.data = malloc(certs.len);
	assert_non_null(certs.data);
	memcpy(certs.data, file.data + 4 + hlen, certs.len);
	assert_int_equal(certs.len, root.len + inter.len + leaf.len);
	assert_memory_equal(certs.data, root.data, root.len);
	assert_memory_equal(certs.data + root.len, inter.data, inter.len);
	assert_memory_equal(certs.data + root.len + inter.len, leaf.data,
			    leaf.len);
	free(file.data);
	free(root.data);
	free(inter.data);
	free(leaf.data);
	return certs;
}

static void add_anchor(struct prot_crypto *c, const char *rel)
{
	char path[512];

	pki_path(path, sizeof(path), rel);
	assert_int_equal(prot_crypto_add_trust_anchor_file(c, path), 0);
}

static void test_chain_verify_ok(void **state)
{
	struct prot_crypto *c = *state;
	static const enum spdm_hash_alg hashes[] = {SPDM_HASH_SHA384,
						    SPDM_HASH_SHA256};
	uint8_t key[SPDM_MAX_PUBKEY_SIZE];
	size_t key_len;

	add_anchor(c, "p384/root.cert.der");
	add_anchor(c, "p256/root.cert.pem");
	for (size_t k = 0; k < 2; k++) {
		char rel[64];
		struct blob want;

		snprintf(rel, sizeof(rel), "%s/leaf.pub.bin", curves[k].dir);
		want = load(rel);
		for (size_t h = 0; h < 2; h++) {
			struct blob certs =
				chain_certs(c, curves[k].dir, hashes[h]);

			memset(key, 0, sizeof(key));
			key_len = sizeof(key);
			assert_int_equal(ops->chain_verify(c, certs.data,
							   certs.len, key,
							   &key_len),
					 0);
			assert_int_equal(key_len, want.len);
			assert_int_equal(key_len,
					 1 + spdm_sig_size(curves[k].alg));
			assert_memory_equal(key, want.data, want.len);

			/* Exactly the size needed is enough; one less is
			 * not. */
			key_len = want.len;
			assert_int_equal(ops->chain_verify(c, certs.data,
							   certs.len, key,
							   &key_len),
					 0);
			key_len = want.len - 1;
			assert_int_equal(ops->chain_verify(c, certs.data,
							   certs.len, key,
							   &key_len),
					 -EMSGSIZE);
			free(certs.data);
		}
		free(want.data);
	}
}

static int verify_certs(struct prot_crypto *c, const uint8_t *certs, size_t len)
{
	uint8_t key[SPDM_MAX_PUBKEY_SIZE];
	size_t key_len = sizeof(key);

	return ops->chain_verify(c, certs, len, key, &key_len);
}

/* Concatenation of the DER files named in the NULL-terminated list. */
static struct blob concat(const char *first, ...)
{
	struct blob out = {0};
	va_list ap;

	va_start(ap, first);
	for (const char *rel = first; rel; rel = va_arg(ap, const char *)) {
		struct blob b = load(rel);

		out.data = realloc(out.data, out.len + b.len);
		assert_non_null(out.data);
		memcpy(out.data + out.len, b.data, b.len);
		out.len += b.len;
		free(b.data);
	}
	va_end(ap);
	return out;
}

static void test_chain_verify_bad(void **state)
{
	struct prot_crypto *c = *state;
	struct blob good, other, b;
	size_t root_len, inter_len;
	uint8_t key[SPDM_MAX_PUBKEY_SIZE];
	size_t key_len = sizeof(key);

	good = chain_certs(c, "p384", SPDM_HASH_SHA384);
	other = chain_certs(c, "other", SPDM_HASH_SHA384);
	b = load("p384/root.cert.der");
	root_len = b.len;
	free(b.data);
	b = load("p384/inter.cert.der");
	inter_len = b.len;
	free(b.data);

	/* No trust anchor loaded at all. */
	assert_int_equal(verify_certs(c, good.data, good.len), -EINVAL);
	add_anchor(c, "p384/root.cert.pem");
	assert_int_equal(verify_certs(c, good.data, good.len), 0);

	/* A chain from another (valid, untrusted) root. */
	assert_int_equal(verify_certs(c, other.data, other.len), -EPERM);

	/* Our root, then the other PKI's intermediate and leaf: the root is
	 * trusted but the path does not start there. */
	b = concat("p384/root.cert.der", "other/inter.cert.der",
		   "other/leaf.cert.der", NULL);
	assert_int_equal(verify_certs(c, b.data, b.len), -EPERM);
	free(b.data);

	/* Intermediate missing. */
	b = concat("p384/root.cert.der", "p384/leaf.cert.der", NULL);
	assert_int_equal(verify_certs(c, b.data, b.len), -EPERM);
	free(b.data);

	/* Wrong order. */
	b = concat("p384/root.cert.der", "p384/leaf.cert.der",
		   "p384/inter.cert.der", NULL);
	assert_int_equal(verify_certs(c, b.data, b.len), -EPERM);
	free(b.data);

	/* Root alone: it is its own leaf, but may not sign (no
	 * digitalSignature key usage). */
	assert_int_equal(verify_certs(c, good.data, root_len), -EPERM);

	/* Root and intermediate only: the intermediate is a CA without
	 * digitalSignature. */
	assert_int_equal(verify_certs(c, good.data, root_len + inter_len),
			 -EPERM);

	/* Empty and truncated chains. */
	assert_int_equal(verify_certs(c, good.data, 0), -EBADMSG);
	assert_int_equal(verify_certs(c, NULL, 0), -EBADMSG);
	assert_int_equal(verify_certs(c, good.data, good.len - 1), -EBADMSG);
	assert_int_equal(verify_certs(c, good.data, good.len - 100), -EBADMSG);
	assert_int_equal(verify_certs(c, good.data, root_len + 1), -EBADMSG);
	assert_int_equal(verify_certs(c, good.data, 3), -EBADMSG);

	/* Trailing byte after the leaf. */
	b.len = good.len + 1;
	b.data = malloc(b.len);
	assert_non_null(b.data);
	memcpy(b.data, good.data, good.len);
	b.data[good.len] = 0;
	assert_int_equal(verify_certs(c, b.data, b.len), -EBADMSG);
	free(b.data);

	/* One corrupted byte: in the root (no longer the anchor), in the
	 * intermediate's name, in the leaf's public key, in the leaf's
	 * signature. */
	b.len = good.len;
	b.data = malloc(b.len);
	assert_non_null(b.data);
	static const size_t from_end[] = {1, 10, 120};
	const size_t at[] = {root_len / 2, root_len + inter_len / 2};
	for (size_t i = 0; i < 2 + 3; i++) {
		size_t pos = i < 2 ? at[i] : good.len - from_end[i - 2];
		int rc;

		memcpy(b.data, good.data, good.len);
		b.data[pos] ^= 0x01;
		rc = verify_certs(c, b.data, b.len);
		if (rc != -EPERM && rc != -EBADMSG)
			fail_msg("byte %zu corrupted: chain_verify gave %d",
				 pos, rc);
	}
	free(b.data);

	/* More certificates than PROT_CRYPTO_MAX_CHAIN_CERTS. */
	b = load("p384/inter.cert.der");
	{
		struct blob many;

		many.len = root_len + PROT_CRYPTO_MAX_CHAIN_CERTS * b.len;
		many.data = malloc(many.len);
		assert_non_null(many.data);
		memcpy(many.data, good.data, root_len);
		for (size_t i = 0; i < PROT_CRYPTO_MAX_CHAIN_CERTS; i++)
			memcpy(many.data + root_len + i * b.len, b.data, b.len);
		assert_int_equal(verify_certs(c, many.data, many.len),
				 -EBADMSG);
		free(many.data);
	}
	free(b.data);

	/* Bad arguments. */
	assert_int_equal(ops->chain_verify(c, good.data, good.len, NULL,
					   &key_len),
			 -EINVAL);
	assert_int_equal(ops->chain_verify(c, good.data, good.len, key, NULL),
			 -EINVAL);

	/* Still fine after all the failures. */
	assert_int_equal(verify_certs(c, good.data, good.len), 0);
	free(good.data);
	free(other.data);
}

static void test_trust_anchors(void **state)
{
	struct prot_crypto *c = *state;
	struct blob p384 = load("p384/root.cert.pem");
	struct blob p256 = load("p256/root.cert.pem");
	struct blob good = chain_certs(c, "p256", SPDM_HASH_SHA256);
	struct blob bundle;
	char path[512];

	pki_path(path, sizeof(path), "missing.pem");
	assert_int_equal(prot_crypto_add_trust_anchor_file(c, path), -ENOENT);
	pki_path(path, sizeof(path), "msg.bin");
	assert_int_equal(prot_crypto_add_trust_anchor_file(c, path), -EBADMSG);
	assert_int_equal(prot_crypto_add_trust_anchor(c, p384.data, 0),
			 -EINVAL);
	assert_int_equal(c->anchor_count, 0);

	/* A PEM bundle with a broken second certificate adds nothing. */
	bundle.len = p384.len + p256.len;
	bundle.data = malloc(bundle.len);
	assert_non_null(bundle.data);
	memcpy(bundle.data, p384.data, p384.len);
	memcpy(bundle.data + p384.len, p256.data, p256.len);
	bundle.data[p384.len + 100] ^= 0x08; /* inside the base64 */
	assert_int_equal(prot_crypto_add_trust_anchor(c, bundle.data,
						      bundle.len),
			 -EBADMSG);
	assert_int_equal(c->anchor_count, 0);

	/* The intact bundle adds both roots. */
	bundle.data[p384.len + 100] ^= 0x08;
	assert_int_equal(
		prot_crypto_add_trust_anchor(c, bundle.data, bundle.len), 0);
	assert_int_equal(c->anchor_count, 2);
	assert_int_equal(verify_certs(c, good.data, good.len), 0);

	free(bundle.data);
	free(p384.data);
	free(p256.data);
	free(good.data);
}

/* A requester and a responder in one process, each with its own
 * context. */
static void test_two_instances(void **state)
{
	struct prot_crypto *resp = new_crypto(), *req = new_crypto();
	struct blob certs = chain_certs(req, "p256", SPDM_HASH_SHA384);
	uint8_t key[SPDM_MAX_PUBKEY_SIZE], digest[48], sig[64];
	size_t key_len = sizeof(key);
	char path[512];

	(void)state;
	pki_path(path, sizeof(path), "p256/leaf.key.pem");
	assert_int_equal(prot_crypto_load_slot_key_file(resp, 0, path), 0);
	add_anchor(req, "p256/root.cert.der");

	assert_int_equal(ops->random(req, digest, sizeof(digest)), 0);
	assert_int_equal(ops->sign(resp, 0, SPDM_ASYM_ECDSA_P256, digest, 48,
				   sig, 64),
			 0);
	assert_int_equal(ops->chain_verify(req, certs.data, certs.len, key,
					   &key_len),
			 0);
	assert_int_equal(ops->verify(req, SPDM_ASYM_ECDSA_P256, key, key_len,
				     digest, 48, sig, 64),
			 0);
	/* The requester holds no key, the responder no anchor. */
	assert_int_equal(ops->sign(req, 0, SPDM_ASYM_ECDSA_P256, digest, 48,
				   sig, 64),
			 -EINVAL);
	{
		uint8_t key2[SPDM_MAX_PUBKEY_SIZE];
		size_t key2_len = sizeof(key2);

		assert_int_equal(ops->chain_verify(resp, certs.data, certs.len,
						   key2, &key2_len),
				 -EINVAL);
	}

	/* Freeing one leaves the other working. */
	del_crypto(resp);
	assert_int_equal(ops->verify(req, SPDM_ASYM_ECDSA_P256, key, key_len,
				     digest, 48, sig, 64),
			 0);
	del_crypto(req);
	free(certs.data);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_algos, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sha2_vectors, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_sha2_million_a, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_sha3, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hash_state_rules, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_sign_verify, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_verify_openssl_signature,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_sign_verify_errors, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_load_keys, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_random, setup, teardown),
		cmocka_unit_test_setup_teardown(test_chain_verify_ok, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_chain_verify_bad, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_trust_anchors, setup,
						teardown),
		cmocka_unit_test(test_two_instances),
	};

	return cmocka_run_group_tests_name("posix-crypto", tests, NULL, NULL);
}
