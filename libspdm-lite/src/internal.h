/* SPDX-License-Identifier: Apache-2.0 */
/* Helpers both roles share (common.c). */
#ifndef SPDM_SRC_INTERNAL_H
#define SPDM_SRC_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "spdm/crypto.h"
#include "spdm/spdm.h"

/* Fixed parts of the VCA messages (DSP0274 tables). */
#define SPDM_GET_VERSION_SIZE 4u
#define SPDM_VERSION_FIXED_SIZE 6u
#define SPDM_CAPABILITIES_SIZE_10 4u /* GET_CAPABILITIES 1.0: header only */
#define SPDM_CAPABILITIES_SIZE_11 12u
#define SPDM_CAPABILITIES_SIZE_12 20u
#define SPDM_CAPABILITIES_RSP_SIZE_10 12u
#define SPDM_NEGOTIATE_ALGORITHMS_FIXED_SIZE 32u
#define SPDM_ALGORITHMS_FIXED_SIZE 36u
#define SPDM_ALG_STRUCT_SIZE 4u
#define SPDM_ERROR_SIZE 4u
/* A 1.0 request may carry at most 8 extended algorithms, a 1.1+ one 20. */
#define SPDM_MAX_EXT_ALG_10 8u
#define SPDM_MAX_EXT_ALG_11 20u

static inline bool spdm_version_known(uint8_t v)
{
	return v >= SPDM_VERSION_10 && v <= SPDM_VERSION_13;
}

static inline bool spdm_single_bit(uint32_t v)
{
	return v != 0 && (v & (v - 1)) == 0;
}

/* Bit n set: version 0x10 + n is in @versions. -EINVAL for an unknown
 * version, a duplicate, or a count outside 1..4. */
int spdm_version_mask(const uint8_t *versions, size_t n, uint8_t *mask);

/* Capability flags defined in @version for a requester / responder. */
uint32_t spdm_req_flags_mask(uint8_t version);
uint32_t spdm_rsp_flags_mask(uint8_t version);
/* false when @flags (already limited to @version) use a reserved encoding
 * or break a DSP0274 dependency between flags. */
bool spdm_flags_valid(uint32_t flags, uint8_t version, bool responder);

/* BaseHashAlgo / BaseAsymAlgo bits of what the crypto ops can do. */
uint32_t spdm_crypto_hash_bits(const struct spdm_crypto_ops *c, void *ctx);
uint32_t spdm_crypto_asym_bits(const struct spdm_crypto_ops *c, void *ctx);
/* MeasurementHashAlgo bits for BaseHashAlgo bits (same hashes). */
static inline uint32_t spdm_meas_hash_from_base(uint32_t base)
{
	return (base & 0x7Fu) << 1;
}
enum spdm_hash_alg spdm_meas_hash_alg(uint32_t bit);

/* Preference tables, best first. */
enum spdm_pref {
	SPDM_PREF_ASYM,
	SPDM_PREF_HASH,
	SPDM_PREF_MEAS_HASH,
	SPDM_PREF_DHE,
	SPDM_PREF_AEAD,
	SPDM_PREF_LOWEST, /* no table: the lowest bit */
};
/* The preferred bit of @mask, else its lowest bit, 0 if empty. */
uint32_t spdm_pick(uint32_t mask, enum spdm_pref pref);

/* -EBADMSG unless every capability both sides declared has a selected
 * algorithm in @c (@rsp_flags: the responder's, @req_flags: the
 * requester's). */
int spdm_check_selection(const struct spdm_connection_info *c,
			 uint32_t rsp_flags, uint32_t req_flags);

/* Record @selected for the 1.1+ algorithm structure of @type (DHE, AEAD,
 * ReqBaseAsymAlg, else KeySchedule) in @c. */
void spdm_conn_set_struct(struct spdm_connection_info *c, uint8_t type,
			  uint16_t selected);

void spdm_transcript_reset(struct spdm_transcript *t);
int spdm_transcript_append(struct spdm_transcript *t, const uint8_t *p,
			   size_t n);

#endif
