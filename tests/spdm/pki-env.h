/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What the SPDM tests on the POSIX port's crypto share (test-meas.c,
 * test-challenge.c): the port's ops with a deterministic RNG and a signer
 * that can be made busy, and a reader for the files of tests/pki. Include
 * after <cmocka.h>; PROT_TEST_PKI_DIR names tests/pki.
 */
#ifndef TESTS_SPDM_PKI_ENV_H
#define TESTS_SPDM_PKI_ENV_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "prot-posix/crypto.h"

#ifndef PROT_TEST_PKI_DIR
#error "PROT_TEST_PKI_DIR must name tests/pki"
#endif

/* ---- crypto: the port's ops, with a deterministic RNG and a signer that
 * can be made busy ---- */

struct test_crypto {
	struct prot_crypto pc; /* first: the port's ops get this pointer */
	bool det_random;
	uint8_t next_byte;
	unsigned int sign_busy; /* sign returns -EAGAIN this many times */
	unsigned int sign_calls;
};

static inline int test_random(void *ctx, uint8_t *out, size_t len)
{
	struct test_crypto *t = ctx;
	size_t i;

	if (!t->det_random)
		return prot_crypto_ops.random(ctx, out, len);
	for (i = 0; i < len; i++)
		out[i] = t->next_byte++;
	return 0;
}

static inline int test_sign(void *ctx, uint8_t slot, enum spdm_asym_alg alg,
			    const uint8_t *digest, size_t digest_len,
			    uint8_t *sig, size_t sig_len)
{
	struct test_crypto *t = ctx;

	t->sign_calls++;
	if (t->sign_busy) {
		t->sign_busy--;
		return -EAGAIN;
	}
	return prot_crypto_ops.sign(ctx, slot, alg, digest, digest_len, sig,
				    sig_len);
}

static struct spdm_crypto_ops test_ops;

/* The bytes of tests/pki/@name (at most @cap). */
static inline size_t read_file(const char *name, uint8_t *buf, size_t cap)
{
	char path[512];
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "%s/%s", PROT_TEST_PKI_DIR, name);
	f = fopen(path, "rb");
	assert_non_null(f);
	n = fread(buf, 1, cap, f);
	fclose(f);
	return n;
}

#endif
