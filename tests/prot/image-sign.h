/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Test helper: signed images for the update service tests, built as
 * prot-pkg builds them (prot_image_header_encode, SHA-384, ECDSA P-384 with
 * the POSIX port's mbedTLS crypto and the keys of tests/pki), and a device
 * (flash simulator, OTP simulator, update service) to run them on.
 *
 * The crypto ops handed to the device remember ECDSA verdicts (same key,
 * digest and signature give the same answer), so that the power-cut tests
 * can boot thousands of times; hashing is never cached.
 */
#ifndef PROT_TEST_IMAGE_SIGN_H
#define PROT_TEST_IMAGE_SIGN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "flash-sim.h"
#include "prot-posix/crypto.h"
#include "prot/image.h"
#include "prot/update.h"

#define SIGN_SLOT_VENDOR 0
#define SIGN_SLOT_OTHER 1
#define SIGN_MEMO 32u

struct sign_memo {
	uint8_t key[PROT_IMAGE_PUBKEY_SIZE + PROT_IMAGE_DIGEST_SIZE +
		    PROT_IMAGE_SIG_SIZE];
	int result;
	bool used;
};

struct signer {
	struct prot_crypto pc;      /* first: the port's ops get this pointer */
	struct spdm_crypto_ops ops; /* port ops with a remembering verify */
	uint8_t vendor_pub[PROT_IMAGE_PUBKEY_SIZE];
	uint8_t other_pub[PROT_IMAGE_PUBKEY_SIZE];
	uint8_t vendor_hash[PROT_IMAGE_KEY_HASH_SIZE];
	struct sign_memo memo[SIGN_MEMO];
	unsigned int memo_next;
	unsigned int verifies; /* real ECDSA verifications */
};

/* What to build. */
struct image_spec {
	uint16_t component_id;
	uint32_t svn;
	uint32_t stamp;
	uint32_t payload_size;
	uint8_t seed;   /* payload pattern */
	bool other_key; /* signed by and carrying tests/pki/other */
};

/* Returns 0 or -1. */
int signer_init(struct signer *s);
void signer_free(struct signer *s);

/* Lay out the image in @out (@cap bytes); returns its length (> 0) or 0. */
size_t image_build(struct signer *s, const struct image_spec *spec,
		   uint8_t *out, size_t cap);

/* A device: one flash with the metadata region first, then banks A and B
 * of each component; OTP with the vendor key hash committed. */
struct device {
	struct flash_sim sim;
	uint8_t *mem;
	struct otp_sim otp;
	struct prot_update_config cfg;
	struct prot_update up;
	struct prot_boot_report rep;
};

struct geometry {
	uint32_t erase_size;
	uint32_t program_size;
	uint8_t erased_value;
	uint32_t bank_size;
};

/* Set @d up (mem allocated here; device_free() frees it). @key: commit the
 * vendor key hash in OTP. Returns 0 or -1. */
int device_init(struct device *d, struct signer *s, const struct geometry *g,
		unsigned int n_components, bool key);
void device_free(struct device *d);

/* Factory programming: copy @img into bank @bank of component @i without
 * going through the service (the way a programmer would). */
void device_factory(struct device *d, unsigned int i, unsigned int bank,
		    const uint8_t *img, size_t len);

/* Restart: prot_update_init() and prot_boot(). Returns prot_boot()'s
 * result. */
int device_reboot(struct device *d);

/* Download @img into component @i in chunks of @chunk bytes: start,
 * writes, finish. Returns the first error. */
int device_download(struct device *d, unsigned int i, const uint8_t *img,
		    size_t len, size_t chunk);

/* The bytes of the bank component @i runs equal @img (@len bytes). */
bool device_runs(const struct device *d, unsigned int i, const uint8_t *img,
		 size_t len);

#endif /* PROT_TEST_IMAGE_SIGN_H */
