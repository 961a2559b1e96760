/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Configurations and golden messages shared by the VCA tests. Every
 * golden message below was written by hand from the DSP0274 1.3 tables
 * ("GET_VERSION request message format", "Successful VERSION response
 * message format", "GET_CAPABILITIES request message format", "Successful
 * CAPABILITIES response message format", "NEGOTIATE_ALGORITHMS request
 * message format", "Successful ALGORITHMS response message format",
 * "ERROR response message format"), little-endian multi-byte fields.
 */
#ifndef TESTS_SPDM_FIXTURES_H
#define TESTS_SPDM_FIXTURES_H

#include <stdint.h>
#include <string.h>

#include "fake-crypto.h"
#include "spdm/requester.h"
#include "spdm/responder.h"

static const uint8_t all_versions[] = {SPDM_VERSION_10, SPDM_VERSION_11,
				       SPDM_VERSION_12, SPDM_VERSION_13};

/* Responder: CERT, CHAL, MEAS_CAP (signed) [0x16]; KEY_EX, ENCRYPT, MAC
 * [0x2C0] from 1.1; CTExponent 12; DataTransferSize = MaxSPDMmsgSize =
 * 4096. */
#define RSP_FLAGS                                                              \
	(SPDM_RSP_CERT_CAP | SPDM_RSP_CHAL_CAP | SPDM_RSP_MEAS_CAP_SIG |       \
	 SPDM_RSP_KEY_EX_CAP | SPDM_RSP_ENCRYPT_CAP | SPDM_RSP_MAC_CAP)

static inline struct spdm_responder_config rsp_config(const uint8_t *versions,
						      size_t n)
{
	struct spdm_responder_config c = {
		.versions = versions,
		.n_versions = n,
		.ct_exponent = 12,
		.flags = RSP_FLAGS,
		.data_transfer_size = 4096,
		.max_spdm_msg_size = 4096,
		.measurement_specification = SPDM_MEASUREMENT_SPEC_DMTF,
		.measurement_hash_algo = SPDM_MEAS_HASH_SHA_256 |
					 SPDM_MEAS_HASH_SHA_384,
		.base_asym_algo = SPDM_ASYM_ALGO_ECDSA_P256 |
				  SPDM_ASYM_ALGO_ECDSA_P384,
		.base_hash_algo = SPDM_HASH_ALGO_SHA_256 |
				  SPDM_HASH_ALGO_SHA_384,
		.dhe_named_group = SPDM_DHE_SECP256R1 | SPDM_DHE_SECP384R1,
		.aead_cipher_suite = SPDM_AEAD_AES_128_GCM |
				     SPDM_AEAD_AES_256_GCM,
		.req_base_asym_alg = SPDM_ASYM_ALGO_ECDSA_P256 |
				     SPDM_ASYM_ALGO_ECDSA_P384,
		.key_schedule = SPDM_KEY_SCHEDULE_SPDM,
	};
	return c;
}

/* Requester: CERT, CHAL, ENCRYPT, MAC, KEY_EX [0x2C6]; CTExponent 10;
 * opaque data format 1. */
#define REQ_FLAGS                                                              \
	(SPDM_REQ_CERT_CAP | SPDM_REQ_CHAL_CAP | SPDM_REQ_ENCRYPT_CAP |        \
	 SPDM_REQ_MAC_CAP | SPDM_REQ_KEY_EX_CAP)

static inline struct spdm_requester_config req_config(const uint8_t *versions,
						      size_t n)
{
	struct spdm_requester_config c = {
		.versions = versions,
		.n_versions = n,
		.ct_exponent = 10,
		.flags = REQ_FLAGS,
		.data_transfer_size = 4096,
		.max_spdm_msg_size = 4096,
		.measurement_specification = SPDM_MEASUREMENT_SPEC_DMTF,
		.other_params_support = SPDM_OPAQUE_DATA_FMT_1,
		.base_asym_algo = SPDM_ASYM_ALGO_ECDSA_P256 |
				  SPDM_ASYM_ALGO_ECDSA_P384,
		.base_hash_algo = SPDM_HASH_ALGO_SHA_256 |
				  SPDM_HASH_ALGO_SHA_384,
		.dhe_named_group = SPDM_DHE_SECP256R1 | SPDM_DHE_SECP384R1,
		.aead_cipher_suite = SPDM_AEAD_AES_128_GCM |
				     SPDM_AEAD_AES_256_GCM,
		.req_base_asym_alg = SPDM_ASYM_ALGO_ECDSA_P256 |
				     SPDM_ASYM_ALGO_ECDSA_P384,
		.key_schedule = SPDM_KEY_SCHEDULE_SPDM,
	};
	return c;
}

/* GET_VERSION (always 1.0) and VERSION listing 1.0, 1.1, 1.2, 1.3 (entries
 * major<<12 | minor<<8, update 0, alpha 0). */
static const uint8_t golden_get_version[] = {0x10, 0x84, 0x00, 0x00};
static const uint8_t golden_version[] = {0x10, 0x04, 0x00, 0x00, 0x00,
					 0x04, 0x00, 0x10, 0x00, 0x11,
					 0x00, 0x12, 0x00, 0x13};

/* GET_CAPABILITIES / CAPABILITIES per version (index 0..3 = 1.0..1.3).
 * 1.0 request: header only. 1.1: Reserved, CTExponent, Reserved(2),
 * Flags(4). 1.2+: then DataTransferSize(4), MaxSPDMmsgSize(4). The 1.0
 * response carries only the 1.0 flags (0x16). */
static const uint8_t golden_get_caps[4][20] = {
	{0x10, 0xE1, 0x00, 0x00},
	{0x11, 0xE1, 0x00, 0x00, 0x00, 0x0A, 0x00, 0x00, 0xC6, 0x02, 0x00,
	 0x00},
	{0x12, 0xE1, 0x00, 0x00, 0x00, 0x0A, 0x00, 0x00, 0xC6, 0x02,
	 0x00, 0x00, 0x00, 0x10, 0x00, 0x00, 0x00, 0x10, 0x00, 0x00},
	{0x13, 0xE1, 0x00, 0x00, 0x00, 0x0A, 0x00, 0x00, 0xC6, 0x02,
	 0x00, 0x00, 0x00, 0x10, 0x00, 0x00, 0x00, 0x10, 0x00, 0x00},
};
static const size_t golden_get_caps_len[4] = {4, 12, 20, 20};
static const uint8_t golden_caps[4][20] = {
	{0x10, 0x61, 0x00, 0x00, 0x00, 0x0C, 0x00, 0x00, 0x16, 0x00, 0x00,
	 0x00},
	{0x11, 0x61, 0x00, 0x00, 0x00, 0x0C, 0x00, 0x00, 0xD6, 0x02, 0x00,
	 0x00},
	{0x12, 0x61, 0x00, 0x00, 0x00, 0x0C, 0x00, 0x00, 0xD6, 0x02,
	 0x00, 0x00, 0x00, 0x10, 0x00, 0x00, 0x00, 0x10, 0x00, 0x00},
	{0x13, 0x61, 0x00, 0x00, 0x00, 0x0C, 0x00, 0x00, 0xD6, 0x02,
	 0x00, 0x00, 0x00, 0x10, 0x00, 0x00, 0x00, 0x10, 0x00, 0x00},
};
static const size_t golden_caps_len[4] = {12, 12, 20, 20};

/* NEGOTIATE_ALGORITHMS: Param1 = structure count (1.1+), Length,
 * MeasurementSpecification DMTF, OtherParamsSupport (1.2+: opaque format
 * 1 = 0x02), BaseAsymAlgo P-256|P-384 = 0x90, BaseHashAlgo SHA-256|SHA-384
 * = 0x03, Reserved(12), ExtAsymCount 0, ExtHashCount 0, Reserved,
 * MELspecification 0; then (1.1+) DHE secp256r1|secp384r1 (0x18), AEAD
 * AES-128|256-GCM (0x03), ReqBaseAsymAlg 0x90, KeySchedule SPDM (0x01),
 * each AlgType, AlgCount 0x20, AlgSupported(2). */
#define NEG_FIXED(v, n, len, other)                                            \
	v, 0xE3, n, 0x00, len, 0x00, 0x01, other, 0x90, 0x00, 0x00, 0x00,      \
		0x03, 0x00, 0x00, 0x00, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,    \
		0x00, 0x00, 0x00, 0x00
#define NEG_STRUCTS                                                            \
	0x02, 0x20, 0x18, 0x00, 0x03, 0x20, 0x03, 0x00, 0x04, 0x20, 0x90,      \
		0x00, 0x05, 0x20, 0x01, 0x00
static const uint8_t golden_negotiate[4][48] = {
	{NEG_FIXED(0x10, 0x00, 0x20, 0x00)},
	{NEG_FIXED(0x11, 0x04, 0x30, 0x00), NEG_STRUCTS},
	{NEG_FIXED(0x12, 0x04, 0x30, 0x02), NEG_STRUCTS},
	{NEG_FIXED(0x13, 0x04, 0x30, 0x02), NEG_STRUCTS},
};
static const size_t golden_negotiate_len[4] = {32, 48, 48, 48};

/* ALGORITHMS: Param1 = structure count, Length, MeasurementSpecificationSel
 * DMTF, OtherParamsSelection, MeasurementHashAlgo SHA-384 (0x04),
 * BaseAsymSel P-384 (0x80), BaseHashSel SHA-384 (0x02), Reserved(11),
 * MELspecificationSel 0, ExtAsymSelCount 0, ExtHashSelCount 0,
 * Reserved(2); structures: DHE secp384r1 (0x10), AEAD AES-256-GCM (0x02),
 * ReqBaseAsymAlg P-384 (0x80), KeySchedule SPDM (0x01). */
#define ALG_FIXED(v, n, len, other)                                            \
	v, 0x63, n, 0x00, len, 0x00, 0x01, other, 0x04, 0x00, 0x00, 0x00,      \
		0x80, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0, 0, 0, 0, 0, \
		0, 0, 0, 0, 0, 0, 0x00, 0x00, 0x00, 0x00, 0x00
#define ALG_STRUCTS                                                            \
	0x02, 0x20, 0x10, 0x00, 0x03, 0x20, 0x02, 0x00, 0x04, 0x20, 0x80,      \
		0x00, 0x05, 0x20, 0x01, 0x00
static const uint8_t golden_algorithms[4][52] = {
	{ALG_FIXED(0x10, 0x00, 0x24, 0x00)},
	{ALG_FIXED(0x11, 0x04, 0x34, 0x00), ALG_STRUCTS},
	{ALG_FIXED(0x12, 0x04, 0x34, 0x02), ALG_STRUCTS},
	{ALG_FIXED(0x13, 0x04, 0x34, 0x02), ALG_STRUCTS},
};
static const size_t golden_algorithms_len[4] = {36, 52, 52, 52};

#endif
