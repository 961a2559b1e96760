/* SPDX-License-Identifier: Apache-2.0 */
/* What the requester and the responder share: versions, capability flag
 * rules, algorithm bits and preferences, message A, errno mapping. */
#include <errno.h>
#include <string.h>

#include "internal.h"

uint8_t spdm_errno_to_error_code(int err)
{
	switch (err) {
	case -EBADMSG:
	case -EINVAL:
		return SPDM_ERROR_INVALID_REQUEST;
	case -EBUSY:
		return SPDM_ERROR_BUSY;
	case -EPERM:
		return SPDM_ERROR_UNEXPECTED_REQUEST;
	case -EOPNOTSUPP:
		return SPDM_ERROR_UNSUPPORTED_REQUEST;
	case -EPROTO:
		return SPDM_ERROR_VERSION_MISMATCH;
	default:
		return SPDM_ERROR_UNSPECIFIED;
	}
}

uint32_t spdm_hash_alg_to_wire(enum spdm_hash_alg alg)
{
	if (alg < SPDM_HASH_SHA256 || alg > SPDM_HASH_SHA3_512)
		return 0;
	return 1u << ((unsigned int)alg - 1u);
}

enum spdm_hash_alg spdm_hash_alg_from_wire(uint32_t bit)
{
	unsigned int alg;

	for (alg = SPDM_HASH_SHA256; alg <= SPDM_HASH_SHA3_512; alg++)
		if (bit == 1u << (alg - 1u))
			return (enum spdm_hash_alg)alg;
	return SPDM_HASH_NONE;
}

uint32_t spdm_asym_alg_to_wire(enum spdm_asym_alg alg)
{
	switch (alg) {
	case SPDM_ASYM_ECDSA_P256:
		return SPDM_ASYM_ALGO_ECDSA_P256;
	case SPDM_ASYM_ECDSA_P384:
		return SPDM_ASYM_ALGO_ECDSA_P384;
	default:
		return 0;
	}
}

enum spdm_asym_alg spdm_asym_alg_from_wire(uint32_t bit)
{
	switch (bit) {
	case SPDM_ASYM_ALGO_ECDSA_P256:
		return SPDM_ASYM_ECDSA_P256;
	case SPDM_ASYM_ALGO_ECDSA_P384:
		return SPDM_ASYM_ECDSA_P384;
	default:
		return SPDM_ASYM_NONE;
	}
}

enum spdm_hash_alg spdm_meas_hash_alg(uint32_t bit)
{
	return bit & 1u ? SPDM_HASH_NONE : spdm_hash_alg_from_wire(bit >> 1);
}

int spdm_version_mask(const uint8_t *versions, size_t n, uint8_t *mask)
{
	size_t i;
	uint8_t m = 0, bit;

	if (!versions || n == 0 || n > SPDM_VERSION_COUNT)
		return -EINVAL;
	for (i = 0; i < n; i++) {
		if (!spdm_version_known(versions[i]))
			return -EINVAL;
		bit = (uint8_t)(1u << (versions[i] - SPDM_VERSION_10));
		if (m & bit)
			return -EINVAL;
		m |= bit;
	}
	*mask = m;
	return 0;
}

uint32_t spdm_req_flags_mask(uint8_t version)
{
	switch (version) {
	case SPDM_VERSION_10:
		return 0;
	case SPDM_VERSION_11:
		return SPDM_REQ_FLAGS_11;
	case SPDM_VERSION_12:
		return SPDM_REQ_FLAGS_12;
	default:
		return SPDM_REQ_FLAGS_13;
	}
}

uint32_t spdm_rsp_flags_mask(uint8_t version)
{
	switch (version) {
	case SPDM_VERSION_10:
		return SPDM_RSP_FLAGS_10;
	case SPDM_VERSION_11:
		return SPDM_RSP_FLAGS_11;
	case SPDM_VERSION_12:
		return SPDM_RSP_FLAGS_12;
	default:
		return SPDM_RSP_FLAGS_13;
	}
}

/* The flag dependencies of the CAPABILITIES flag tables. The same bit
 * positions serve both roles for these rules. */
bool spdm_flags_valid(uint32_t flags, uint8_t version, bool responder)
{
	uint32_t psk = flags & SPDM_RSP_PSK_CAP_MASK;
	bool session = flags & (SPDM_RSP_ENCRYPT_CAP | SPDM_RSP_MAC_CAP);
	bool exchange = (flags & SPDM_RSP_KEY_EX_CAP) || psk;

	if (responder &&
	    (flags & SPDM_RSP_MEAS_CAP_MASK) == SPDM_RSP_MEAS_CAP_MASK)
		return false;
	if (version < SPDM_VERSION_11)
		return true;
	if (psk == SPDM_RSP_PSK_CAP_MASK ||
	    (!responder && psk == SPDM_RSP_PSK_CAP_WITH_CONTEXT))
		return false;
	if (session != exchange)
		return false;
	if ((flags & SPDM_RSP_HANDSHAKE_IN_THE_CLEAR_CAP) &&
	    !(flags & SPDM_RSP_KEY_EX_CAP))
		return false;
	if ((flags & SPDM_RSP_CERT_CAP) && (flags & SPDM_RSP_PUB_KEY_ID_CAP))
		return false;
	if (version >= SPDM_VERSION_13 &&
	    ((flags & SPDM_RSP_EP_INFO_CAP_MASK) == SPDM_RSP_EP_INFO_CAP_MASK ||
	     (flags & SPDM_RSP_MULTI_KEY_CAP_MASK) ==
		     SPDM_RSP_MULTI_KEY_CAP_MASK))
		return false;
	return true;
}

uint32_t spdm_crypto_hash_bits(const struct spdm_crypto_ops *c, void *ctx)
{
	uint32_t have = c->hash_algos(ctx), bits = 0;
	unsigned int alg;

	for (alg = SPDM_HASH_SHA256; alg <= SPDM_HASH_SHA3_512; alg++)
		if (have & (1u << alg))
			bits |= spdm_hash_alg_to_wire((enum spdm_hash_alg)alg);
	return bits;
}

uint32_t spdm_crypto_asym_bits(const struct spdm_crypto_ops *c, void *ctx)
{
	uint32_t have = c->asym_algos(ctx), bits = 0;

	if (have & (1u << SPDM_ASYM_ECDSA_P256))
		bits |= SPDM_ASYM_ALGO_ECDSA_P256;
	if (have & (1u << SPDM_ASYM_ECDSA_P384))
		bits |= SPDM_ASYM_ALGO_ECDSA_P384;
	return bits;
}

static const uint32_t pref_asym[] = {SPDM_ASYM_ALGO_ECDSA_P384,
				     SPDM_ASYM_ALGO_ECDSA_P256};
static const uint32_t pref_hash[] = {
	SPDM_HASH_ALGO_SHA_384,  SPDM_HASH_ALGO_SHA_256,
	SPDM_HASH_ALGO_SHA_512,  SPDM_HASH_ALGO_SHA3_384,
	SPDM_HASH_ALGO_SHA3_256, SPDM_HASH_ALGO_SHA3_512,
};
static const uint32_t pref_meas_hash[] = {
	SPDM_MEAS_HASH_SHA_384,  SPDM_MEAS_HASH_SHA_256,
	SPDM_MEAS_HASH_SHA_512,  SPDM_MEAS_HASH_SHA3_384,
	SPDM_MEAS_HASH_SHA3_256, SPDM_MEAS_HASH_SHA3_512,
};
static const uint32_t pref_dhe[] = {
	SPDM_DHE_SECP384R1,  SPDM_DHE_SECP256R1,  SPDM_DHE_SECP521R1,
	SPDM_DHE_FFDHE_4096, SPDM_DHE_FFDHE_3072, SPDM_DHE_FFDHE_2048,
};
static const uint32_t pref_aead[] = {SPDM_AEAD_AES_256_GCM,
				     SPDM_AEAD_AES_128_GCM,
				     SPDM_AEAD_CHACHA20_POLY1305};

uint32_t spdm_pick(uint32_t mask, enum spdm_pref pref)
{
	static const struct {
		const uint32_t *bits;
		size_t n;
	} tables[] = {
		[SPDM_PREF_ASYM] = {pref_asym, 2},
		[SPDM_PREF_HASH] = {pref_hash, 6},
		[SPDM_PREF_MEAS_HASH] = {pref_meas_hash, 6},
		[SPDM_PREF_DHE] = {pref_dhe, 6},
		[SPDM_PREF_AEAD] = {pref_aead, 3},
		[SPDM_PREF_LOWEST] = {pref_aead, 0},
	};
	size_t i;

	for (i = 0; i < tables[pref].n; i++)
		if (mask & tables[pref].bits[i])
			return tables[pref].bits[i];
	return mask & (~mask + 1u);
}

void spdm_transcript_reset(struct spdm_transcript *t)
{
	t->len = 0;
}

int spdm_transcript_append(struct spdm_transcript *t, const uint8_t *p,
			   size_t n)
{
	if (n > sizeof(t->buf) - t->len)
		return -EMSGSIZE;
	memcpy(t->buf + t->len, p, n);
	t->len = (uint16_t)(t->len + n);
	return 0;
}

/* Every capability both sides declared needs its algorithm. @ours are the
 * responder's flags, @peer the requester's (same bit positions). */
int spdm_check_selection(const struct spdm_connection_info *c, uint32_t ours,
			 uint32_t peer)
{
	bool key_ex = (ours & SPDM_RSP_KEY_EX_CAP) &&
		      (peer & SPDM_REQ_KEY_EX_CAP);
	bool psk = (ours & SPDM_RSP_PSK_CAP_MASK) &&
		   (peer & SPDM_REQ_PSK_CAP_MASK);

	if ((ours & (SPDM_RSP_CERT_CAP | SPDM_RSP_CHAL_CAP |
		     SPDM_RSP_MEAS_CAP_MASK) ||
	     key_ex || psk) &&
	    !c->base_hash_algo)
		return -EBADMSG;
	if ((ours & (SPDM_RSP_CERT_CAP | SPDM_RSP_CHAL_CAP |
		     SPDM_RSP_MEAS_CAP_SIG) ||
	     key_ex) &&
	    !c->base_asym_algo)
		return -EBADMSG;
	if (c->version < SPDM_VERSION_11)
		return 0;
	if (key_ex && !c->dhe_named_group)
		return -EBADMSG;
	if ((ours & peer & (SPDM_RSP_ENCRYPT_CAP | SPDM_RSP_MAC_CAP)) &&
	    !c->aead_cipher_suite)
		return -EBADMSG;
	if ((ours & peer & SPDM_RSP_MUT_AUTH_CAP) && !c->req_base_asym_alg)
		return -EBADMSG;
	if ((key_ex || psk) && !c->key_schedule)
		return -EBADMSG;
	return 0;
}

void spdm_conn_set_struct(struct spdm_connection_info *c, uint8_t type,
			  uint16_t selected)
{
	switch (type) {
	case SPDM_ALG_TYPE_DHE:
		c->dhe_named_group = selected;
		break;
	case SPDM_ALG_TYPE_AEAD:
		c->aead_cipher_suite = selected;
		break;
	case SPDM_ALG_TYPE_REQ_BASE_ASYM_ALG:
		c->req_base_asym_alg = selected;
		break;
	default:
		c->key_schedule = selected;
		break;
	}
}
