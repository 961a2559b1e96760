/* SPDX-License-Identifier: Apache-2.0 */
/* Sizes of the algorithms the crypto ops work with. */
#include "spdm/crypto.h"

size_t spdm_hash_size(enum spdm_hash_alg alg)
{
	switch (alg) {
	case SPDM_HASH_SHA256:
	case SPDM_HASH_SHA3_256:
		return 32;
	case SPDM_HASH_SHA384:
	case SPDM_HASH_SHA3_384:
		return 48;
	case SPDM_HASH_SHA512:
	case SPDM_HASH_SHA3_512:
		return 64;
	default:
		return 0;
	}
}

size_t spdm_sig_size(enum spdm_asym_alg alg)
{
	switch (alg) {
	case SPDM_ASYM_ECDSA_P256:
		return 64;
	case SPDM_ASYM_ECDSA_P384:
		return 96;
	default:
		return 0;
	}
}
