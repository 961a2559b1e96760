/* SPDX-License-Identifier: Apache-2.0 */
/* Crypto ops for the VCA tests: only the algorithm masks are needed (no
 * message of these exchanges is hashed or signed). */
#ifndef TESTS_SPDM_FAKE_CRYPTO_H
#define TESTS_SPDM_FAKE_CRYPTO_H

#include "spdm/crypto.h"

struct fake_crypto {
	uint32_t hash_algos; /* 1u << enum spdm_hash_alg */
	uint32_t asym_algos; /* 1u << enum spdm_asym_alg */
};

static inline uint32_t fake_hash_algos(void *ctx)
{
	return ((struct fake_crypto *)ctx)->hash_algos;
}

static inline uint32_t fake_asym_algos(void *ctx)
{
	return ((struct fake_crypto *)ctx)->asym_algos;
}

static const struct spdm_crypto_ops fake_crypto_ops = {
	.hash_algos = fake_hash_algos,
	.asym_algos = fake_asym_algos,
};

#define FAKE_HASH_ALL ((1u << SPDM_HASH_SHA256) | (1u << SPDM_HASH_SHA384))
#define FAKE_ASYM_ALL                                                          \
	((1u << SPDM_ASYM_ECDSA_P256) | (1u << SPDM_ASYM_ECDSA_P384))

#endif
