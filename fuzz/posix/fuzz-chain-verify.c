/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libFuzzer harness: the POSIX port's certificate-chain check,
 * prot_crypto_ops.chain_verify (ports/posix/src/crypto-mbedtls.c), which
 * splits a concatenation of DER certificates itself and then hands them
 * to mbedTLS.
 *
 * Input: the certificate part of an SPDM certificate chain (the bytes
 * after its Length, Reserved and RootHash), as the requester passes it.
 * Trust anchors: the P-384 and P-256 roots of tests/pki/, loaded once at
 * start-up from PROT_TEST_PKI_DIR. The root of tests/pki/other/ is not
 * loaded, so its chain is a wrong-root seed.
 *
 * Oracle besides the sanitizers (leaks included): chain_verify returns 0
 * or one of the errors its header documents; on 0 the key is 65 or 97
 * bytes starting with 0x04, and the first certificate of the input (its
 * extent read here from its DER header, independently of the port) is
 * byte for byte one of the loaded roots.
 */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "prot-posix/crypto.h"
#include "spdm/crypto.h"

#ifndef PROT_TEST_PKI_DIR
#error "PROT_TEST_PKI_DIR must name tests/pki"
#endif

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define ROOT_COUNT 2
#define ROOT_MAX 4096

static const char *const root_files[ROOT_COUNT] = {
	"p384/root.cert.der",
	"p256/root.cert.der",
};

static struct prot_crypto crypto;
static uint8_t roots[ROOT_COUNT][ROOT_MAX];
static size_t root_len[ROOT_COUNT];
static bool loaded;

static void check(bool ok)
{
	if (!ok)
		abort();
}

static void fail_setup(const char *what, const char *rel)
{
	fprintf(stderr, "fuzz-chain-verify: %s %s/%s\n", what,
		PROT_TEST_PKI_DIR, rel);
	abort();
}

static size_t read_root(const char *rel, uint8_t *buf, size_t cap)
{
	char path[512];
	size_t n;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", PROT_TEST_PKI_DIR, rel);
	f = fopen(path, "rb");
	if (!f)
		fail_setup("cannot open", rel);
	n = fread(buf, 1, cap, f);
	/* A file filling the buffer may have been cut short. */
	if (ferror(f) || n == 0 || n == cap)
		fail_setup("cannot read", rel);
	fclose(f);
	return n;
}

static void free_crypto(void)
{
	prot_crypto_free(&crypto);
}

static void load_anchors(void)
{
	if (loaded)
		return;
	if (prot_crypto_init(&crypto))
		fail_setup("prot_crypto_init failed for", "");
	for (size_t i = 0; i < ROOT_COUNT; i++) {
		root_len[i] = read_root(root_files[i], roots[i], ROOT_MAX);
		if (prot_crypto_add_trust_anchor(&crypto, roots[i],
						 root_len[i]))
			fail_setup("trust anchor refused:", root_files[i]);
	}
	atexit(free_crypto);
	loaded = true;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	load_anchors();
	return 0;
}

/* Size of the DER element (tag, length, contents) at the start of @data,
 * or 0 if its header does not fit. Only definite lengths of up to four
 * bytes, which covers any certificate chain_verify can accept. */
static size_t der_size(const uint8_t *data, size_t size)
{
	size_t len, hdr;

	if (size < 2)
		return 0;
	if (data[1] < 0x80) {
		len = data[1];
		hdr = 2;
	} else {
		size_t n = data[1] & 0x7fu;

		if (n == 0 || n > 4 || size < 2 + n)
			return 0;
		len = 0;
		for (size_t i = 0; i < n; i++)
			len = (len << 8) | data[2 + i];
		hdr = 2 + n;
	}
	if (len > size - hdr)
		return 0;
	return hdr + len;
}

static bool first_is_root(const uint8_t *data, size_t size)
{
	size_t first = der_size(data, size);

	if (!first)
		return false;
	for (size_t i = 0; i < ROOT_COUNT; i++)
		if (root_len[i] == first && !memcmp(roots[i], data, first))
			return true;
	return false;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t key[128];
	size_t key_len = sizeof(key);
	int rc;

	load_anchors();
	memset(key, 0xa5, sizeof(key));
	rc = prot_crypto_ops.chain_verify(&crypto, size ? data : NULL, size,
					  key, &key_len);
	check(rc == 0 || rc == -EBADMSG || rc == -EPERM || rc == -ENOTSUP ||
	      rc == -EIO);
	if (rc == 0) {
		check(key_len == 65 || key_len == 97);
		check(key[0] == 0x04);
		check(first_is_root(data, size));
	}
	return 0;
}
