/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libspdm-lite: SPDM (DMTF DSP0274 1.0 to 1.3) protocol constants and the
 * types both roles share.
 *
 * Values are the DSP0274 ones (request and response codes, error codes,
 * capability flags, algorithm bits), checked against the tables of
 * DSP0274 1.3.
 *
 * Errors: library functions return 0 or a negative errno, never an SPDM
 * error code. The two are kept apart; spdm_errno_to_error_code() is the one
 * place that turns a handler's errno into the ERROR response a responder
 * sends. Conventions:
 *   -EINVAL      bad arguments from the caller (NULL, bad configuration)
 *   -EMSGSIZE    a caller's buffer is too small
 *   -EBADMSG     a malformed message from the peer (length, field value,
 *                a selection the peer was not offered)
 *   -EPERM       a request that is not allowed in the current state
 *   -EOPNOTSUPP  a request code this build does not handle
 *   -EPROTO      the peer answered with an SPDM ERROR (requester), or a
 *                version mismatch (responder)
 *   -ENOTSUP     no common version or algorithm
 *   -EBUSY       the peer (or the instance) is busy
 *   -ETIMEDOUT   no answer in time, retries exhausted
 *   -EAGAIN      more work to do (requester: send the next request)
 */
#ifndef SPDM_SPDM_H
#define SPDM_SPDM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "spdm/config.h"
#include "spdm/crypto.h"

#ifdef __cplusplus
extern "C" {
#endif

/* SPDMVersion byte: major in bits 7:4, minor in bits 3:0. */
#define SPDM_VERSION_10 0x10u
#define SPDM_VERSION_11 0x11u
#define SPDM_VERSION_12 0x12u
#define SPDM_VERSION_13 0x13u
/* Version number entry of VERSION (16 bits, LE on the wire): major 15:12,
 * minor 11:8, update 7:4, alpha 3:0. */
#define SPDM_VERSION_ENTRY(version) ((uint16_t)((unsigned int)(version) << 8))
#define SPDM_VERSION_COUNT 4u /* versions this library speaks */

/* Every message starts with SPDMVersion, RequestResponseCode, Param1,
 * Param2. */
#define SPDM_HEADER_SIZE 4u

/* Request codes (DSP0274 "SPDM request codes"). */
enum spdm_request_code {
	SPDM_GET_DIGESTS = 0x81,
	SPDM_GET_CERTIFICATE = 0x82,
	SPDM_CHALLENGE = 0x83,
	SPDM_GET_VERSION = 0x84,
	SPDM_CHUNK_SEND = 0x85,
	SPDM_CHUNK_GET = 0x86,
	SPDM_GET_ENDPOINT_INFO = 0x87,
	SPDM_GET_MEASUREMENTS = 0xE0,
	SPDM_GET_CAPABILITIES = 0xE1,
	SPDM_GET_SUPPORTED_EVENT_TYPES = 0xE2,
	SPDM_NEGOTIATE_ALGORITHMS = 0xE3,
	SPDM_KEY_EXCHANGE = 0xE4,
	SPDM_FINISH = 0xE5,
	SPDM_PSK_EXCHANGE = 0xE6,
	SPDM_PSK_FINISH = 0xE7,
	SPDM_HEARTBEAT = 0xE8,
	SPDM_KEY_UPDATE = 0xE9,
	SPDM_GET_ENCAPSULATED_REQUEST = 0xEA,
	SPDM_DELIVER_ENCAPSULATED_RESPONSE = 0xEB,
	SPDM_END_SESSION = 0xEC,
	SPDM_GET_CSR = 0xED,
	SPDM_SET_CERTIFICATE = 0xEE,
	SPDM_GET_MEASUREMENT_EXTENSION_LOG = 0xEF,
	SPDM_SUBSCRIBE_EVENT_TYPES = 0xF0,
	SPDM_SEND_EVENT = 0xF1,
	SPDM_GET_KEY_PAIR_INFO = 0xFC,
	SPDM_SET_KEY_PAIR_INFO = 0xFD,
	SPDM_VENDOR_DEFINED_REQUEST = 0xFE,
	SPDM_RESPOND_IF_READY = 0xFF,
};

/* Response codes (DSP0274 "SPDM response codes"). */
enum spdm_response_code {
	SPDM_DIGESTS = 0x01,
	SPDM_CERTIFICATE = 0x02,
	SPDM_CHALLENGE_AUTH = 0x03,
	SPDM_VERSION = 0x04,
	SPDM_CHUNK_SEND_ACK = 0x05,
	SPDM_CHUNK_RESPONSE = 0x06,
	SPDM_ENDPOINT_INFO = 0x07,
	SPDM_MEASUREMENTS = 0x60,
	SPDM_CAPABILITIES = 0x61,
	SPDM_SUPPORTED_EVENT_TYPES = 0x62,
	SPDM_ALGORITHMS = 0x63,
	SPDM_KEY_EXCHANGE_RSP = 0x64,
	SPDM_FINISH_RSP = 0x65,
	SPDM_PSK_EXCHANGE_RSP = 0x66,
	SPDM_PSK_FINISH_RSP = 0x67,
	SPDM_HEARTBEAT_ACK = 0x68,
	SPDM_KEY_UPDATE_ACK = 0x69,
	SPDM_ENCAPSULATED_REQUEST = 0x6A,
	SPDM_ENCAPSULATED_RESPONSE_ACK = 0x6B,
	SPDM_END_SESSION_ACK = 0x6C,
	SPDM_CSR = 0x6D,
	SPDM_SET_CERTIFICATE_RSP = 0x6E,
	SPDM_MEASUREMENT_EXTENSION_LOG = 0x6F,
	SPDM_SUBSCRIBE_EVENT_TYPES_ACK = 0x70,
	SPDM_EVENT_ACK = 0x71,
	SPDM_KEY_PAIR_INFO = 0x7C,
	SPDM_SET_KEY_PAIR_INFO_ACK = 0x7D,
	SPDM_VENDOR_DEFINED_RESPONSE = 0x7E,
	SPDM_ERROR = 0x7F,
};

/* ERROR response: Param1 is the error code, Param2 the error data. */
enum spdm_error_code {
	SPDM_ERROR_INVALID_REQUEST = 0x01,
	SPDM_ERROR_BUSY = 0x03,
	SPDM_ERROR_UNEXPECTED_REQUEST = 0x04,
	SPDM_ERROR_UNSPECIFIED = 0x05,
	SPDM_ERROR_DECRYPT_ERROR = 0x06,
	SPDM_ERROR_UNSUPPORTED_REQUEST = 0x07, /* data: the request code */
	SPDM_ERROR_REQUEST_IN_FLIGHT = 0x08,
	SPDM_ERROR_INVALID_RESPONSE_CODE = 0x09,
	SPDM_ERROR_SESSION_LIMIT_EXCEEDED = 0x0A,
	SPDM_ERROR_SESSION_REQUIRED = 0x0B,
	SPDM_ERROR_RESET_REQUIRED = 0x0C,
	SPDM_ERROR_RESPONSE_TOO_LARGE = 0x0D,
	SPDM_ERROR_REQUEST_TOO_LARGE = 0x0E,
	SPDM_ERROR_LARGE_RESPONSE = 0x0F,
	SPDM_ERROR_MESSAGE_LOST = 0x10,
	SPDM_ERROR_INVALID_POLICY = 0x11,
	SPDM_ERROR_VERSION_MISMATCH = 0x41,
	SPDM_ERROR_RESPONSE_NOT_READY = 0x42, /* 4 bytes of extended data */
	SPDM_ERROR_REQUEST_RESYNCH = 0x43,
	SPDM_ERROR_OPERATION_FAILED = 0x44,
	SPDM_ERROR_NO_PENDING_REQUESTS = 0x45,
	SPDM_ERROR_VENDOR_DEFINED = 0xFF,
};

/* CAPABILITIES flags of a responder (DSP0274 "CAPABILITIES Flags").
 * MEAS_CAP and PSK_CAP are two-bit fields; the value 11b is reserved. */
#define SPDM_RSP_CACHE_CAP 0x00000001u
#define SPDM_RSP_CERT_CAP 0x00000002u
#define SPDM_RSP_CHAL_CAP 0x00000004u
#define SPDM_RSP_MEAS_CAP_MASK 0x00000018u
#define SPDM_RSP_MEAS_CAP_NO_SIG 0x00000008u
#define SPDM_RSP_MEAS_CAP_SIG 0x00000010u
#define SPDM_RSP_MEAS_FRESH_CAP 0x00000020u
#define SPDM_RSP_ENCRYPT_CAP 0x00000040u /* 1.1 */
#define SPDM_RSP_MAC_CAP 0x00000080u
#define SPDM_RSP_MUT_AUTH_CAP 0x00000100u
#define SPDM_RSP_KEY_EX_CAP 0x00000200u
#define SPDM_RSP_PSK_CAP_MASK 0x00000C00u
#define SPDM_RSP_PSK_CAP 0x00000400u
#define SPDM_RSP_PSK_CAP_WITH_CONTEXT 0x00000800u
#define SPDM_RSP_ENCAP_CAP 0x00001000u
#define SPDM_RSP_HBEAT_CAP 0x00002000u
#define SPDM_RSP_KEY_UPD_CAP 0x00004000u
#define SPDM_RSP_HANDSHAKE_IN_THE_CLEAR_CAP 0x00008000u
#define SPDM_RSP_PUB_KEY_ID_CAP 0x00010000u
#define SPDM_RSP_CHUNK_CAP 0x00020000u /* 1.2 */
#define SPDM_RSP_ALIAS_CERT_CAP 0x00040000u
#define SPDM_RSP_SET_CERT_CAP 0x00080000u
#define SPDM_RSP_CSR_CAP 0x00100000u
#define SPDM_RSP_CERT_INSTALL_RESET_CAP 0x00200000u
#define SPDM_RSP_EP_INFO_CAP_MASK 0x00C00000u /* 1.3 */
#define SPDM_RSP_EP_INFO_CAP_NO_SIG 0x00400000u
#define SPDM_RSP_EP_INFO_CAP_SIG 0x00800000u
#define SPDM_RSP_MEL_CAP 0x01000000u
#define SPDM_RSP_EVENT_CAP 0x02000000u
#define SPDM_RSP_MULTI_KEY_CAP_MASK 0x0C000000u
#define SPDM_RSP_MULTI_KEY_CAP_ONLY 0x04000000u
#define SPDM_RSP_MULTI_KEY_CAP_NEG 0x08000000u
#define SPDM_RSP_GET_KEY_PAIR_INFO_CAP 0x10000000u
#define SPDM_RSP_SET_KEY_PAIR_INFO_CAP 0x20000000u
/* Flags defined in each version (the others are reserved). */
#define SPDM_RSP_FLAGS_10 0x0000003Fu
#define SPDM_RSP_FLAGS_11 0x0001FFFFu
#define SPDM_RSP_FLAGS_12 0x003FFFFFu
#define SPDM_RSP_FLAGS_13 0x3FFFFFFFu

/* GET_CAPABILITIES flags of a requester (1.1 and later; a 1.0 request
 * has none). PSK_CAP: only 01b is defined for a requester. */
#define SPDM_REQ_CERT_CAP 0x00000002u
#define SPDM_REQ_CHAL_CAP 0x00000004u
#define SPDM_REQ_ENCRYPT_CAP 0x00000040u
#define SPDM_REQ_MAC_CAP 0x00000080u
#define SPDM_REQ_MUT_AUTH_CAP 0x00000100u
#define SPDM_REQ_KEY_EX_CAP 0x00000200u
#define SPDM_REQ_PSK_CAP_MASK 0x00000C00u
#define SPDM_REQ_PSK_CAP 0x00000400u
#define SPDM_REQ_ENCAP_CAP 0x00001000u
#define SPDM_REQ_HBEAT_CAP 0x00002000u
#define SPDM_REQ_KEY_UPD_CAP 0x00004000u
#define SPDM_REQ_HANDSHAKE_IN_THE_CLEAR_CAP 0x00008000u
#define SPDM_REQ_PUB_KEY_ID_CAP 0x00010000u
#define SPDM_REQ_CHUNK_CAP 0x00020000u        /* 1.2 */
#define SPDM_REQ_EP_INFO_CAP_MASK 0x00C00000u /* 1.3 */
#define SPDM_REQ_EP_INFO_CAP_NO_SIG 0x00400000u
#define SPDM_REQ_EP_INFO_CAP_SIG 0x00800000u
#define SPDM_REQ_EVENT_CAP 0x02000000u
#define SPDM_REQ_MULTI_KEY_CAP_MASK 0x0C000000u
#define SPDM_REQ_MULTI_KEY_CAP_ONLY 0x04000000u
#define SPDM_REQ_MULTI_KEY_CAP_NEG 0x08000000u
#define SPDM_REQ_FLAGS_11 0x0001FFC6u
#define SPDM_REQ_FLAGS_12 0x0003FFC6u
#define SPDM_REQ_FLAGS_13 0x0EC3FFC6u

/* GET_CAPABILITIES / CAPABILITIES Param1 bit 0 (1.3): Supported
 * Algorithms block asked for / present (see spdm/responder.h). The block:
 * 30 fixed bytes and 4 per algorithm structure (at most 4 here). */
#define SPDM_CAP_PARAM1_SUPPORTED_ALGS 0x01u
#define SPDM_SUPPORTED_ALGS_FIXED_SIZE 30u
#define SPDM_SUPPORTED_ALGS_MAX_SIZE 46u

/* DataTransferSize may not be smaller than this (1.2 and later). */
#define SPDM_MIN_DATA_TRANSFER_SIZE 42u

/* MeasurementSpecification (bit mask). */
#define SPDM_MEASUREMENT_SPEC_DMTF 0x01u
/* MELspecification (1.3). */
#define SPDM_MEL_SPEC_DMTF 0x01u

/* BaseAsymAlgo, and the ReqBaseAsymAlg structure (16 bits). */
#define SPDM_ASYM_ALGO_RSASSA_2048 0x00000001u
#define SPDM_ASYM_ALGO_RSAPSS_2048 0x00000002u
#define SPDM_ASYM_ALGO_RSASSA_3072 0x00000004u
#define SPDM_ASYM_ALGO_RSAPSS_3072 0x00000008u
#define SPDM_ASYM_ALGO_ECDSA_P256 0x00000010u
#define SPDM_ASYM_ALGO_RSASSA_4096 0x00000020u
#define SPDM_ASYM_ALGO_RSAPSS_4096 0x00000040u
#define SPDM_ASYM_ALGO_ECDSA_P384 0x00000080u
#define SPDM_ASYM_ALGO_ECDSA_P521 0x00000100u
#define SPDM_ASYM_ALGO_SM2_P256 0x00000200u /* 1.2 */
#define SPDM_ASYM_ALGO_EDDSA_ED25519 0x00000400u
#define SPDM_ASYM_ALGO_EDDSA_ED448 0x00000800u

/* BaseHashAlgo. */
#define SPDM_HASH_ALGO_SHA_256 0x00000001u
#define SPDM_HASH_ALGO_SHA_384 0x00000002u
#define SPDM_HASH_ALGO_SHA_512 0x00000004u
#define SPDM_HASH_ALGO_SHA3_256 0x00000008u
#define SPDM_HASH_ALGO_SHA3_384 0x00000010u
#define SPDM_HASH_ALGO_SHA3_512 0x00000020u
#define SPDM_HASH_ALGO_SM3_256 0x00000040u /* 1.2 */

/* MeasurementHashAlgo (ALGORITHMS). */
#define SPDM_MEAS_HASH_RAW_BIT_STREAM_ONLY 0x00000001u
#define SPDM_MEAS_HASH_SHA_256 0x00000002u
#define SPDM_MEAS_HASH_SHA_384 0x00000004u
#define SPDM_MEAS_HASH_SHA_512 0x00000008u
#define SPDM_MEAS_HASH_SHA3_256 0x00000010u
#define SPDM_MEAS_HASH_SHA3_384 0x00000020u
#define SPDM_MEAS_HASH_SHA3_512 0x00000040u
#define SPDM_MEAS_HASH_SM3_256 0x00000080u /* 1.2 */

/* Algorithm structure types (NEGOTIATE_ALGORITHMS 1.1 and later). Each
 * structure is AlgType, AlgCount (fixed byte count 2 in bits 7:4, external
 * count in bits 3:0), AlgSupported (16 bits), external algorithms. */
enum spdm_alg_type {
	SPDM_ALG_TYPE_DHE = 2,
	SPDM_ALG_TYPE_AEAD = 3,
	SPDM_ALG_TYPE_REQ_BASE_ASYM_ALG = 4,
	SPDM_ALG_TYPE_KEY_SCHEDULE = 5,
};
#define SPDM_ALG_COUNT_FIXED_2 0x20u

/* DHE named groups. */
#define SPDM_DHE_FFDHE_2048 0x0001u
#define SPDM_DHE_FFDHE_3072 0x0002u
#define SPDM_DHE_FFDHE_4096 0x0004u
#define SPDM_DHE_SECP256R1 0x0008u
#define SPDM_DHE_SECP384R1 0x0010u
#define SPDM_DHE_SECP521R1 0x0020u
#define SPDM_DHE_SM2_P256 0x0040u /* 1.2 */

/* AEAD cipher suites. */
#define SPDM_AEAD_AES_128_GCM 0x0001u
#define SPDM_AEAD_AES_256_GCM 0x0002u
#define SPDM_AEAD_CHACHA20_POLY1305 0x0004u
#define SPDM_AEAD_SM4_GCM 0x0008u /* 1.2 */

/* Key schedules. */
#define SPDM_KEY_SCHEDULE_SPDM 0x0001u

/* OtherParamsSupport / OtherParamsSelection (1.2 and later). */
#define SPDM_OPAQUE_DATA_FMT_MASK 0x0Fu
#define SPDM_OPAQUE_DATA_FMT_0 0x01u
#define SPDM_OPAQUE_DATA_FMT_1 0x02u
#define SPDM_MULTI_KEY_CONN 0x10u /* 1.3 */

/* OpaqueData of CHALLENGE_AUTH and MEASUREMENTS: at most 1024 bytes
 * (DSP0274 "OpaqueDataLength ... shall be no more than 1024"). */
#define SPDM_MAX_OPAQUE_SIZE 1024u
/* General opaque data format (OtherParams format 1, DSP0274 1.2 "General
 * opaque data format"): TotalElements (1, at least 1), Reserved (3), then
 * TotalElements elements of ID (1: a registry ID, 0x00 DMTF .. 0x0A IANA
 * CBOR), VendorLen (1), VendorID (VendorLen), OpaqueElementDataLen (2,
 * little endian), OpaqueElementData, zero padding to a multiple of 4
 * bytes; the elements fill the data exactly (so its length is a multiple
 * of 4). */
#define SPDM_OPAQUE_REGISTRY_ID_MAX 0x0Au
/* SlotID of the provisioned public key (CHALLENGE Param1; SlotIDParam
 * 0xF in GET_MEASUREMENTS and in the responses' slot fields). */
#define SPDM_PROVISIONED_KEY_SLOT 0xFFu

/*
 * Message A (DSP0274 "transcript"): GET_VERSION, VERSION,
 * GET_CAPABILITIES, CAPABILITIES, NEGOTIATE_ALGORITHMS and ALGORITHMS as
 * exchanged, the start of the M1/M2 and L1/L2 transcripts. Both roles keep
 * it in a buffer of SPDM_VCA_MAX_SIZE bytes: GET_VERSION (4) + VERSION with
 * up to SPDM_MAX_VERSION_ENTRIES entries (6 + 2 x 16) + GET_CAPABILITIES
 * (20) + CAPABILITIES (20, + 46 for a 1.3 Supported Algorithms block) +
 * NEGOTIATE_ALGORITHMS (at most 128 bytes, the DSP0274 limit) +
 * ALGORITHMS (at most 128) = 384. A requester refuses a
 * VERSION response with more entries (-EBADMSG); nothing else can exceed
 * its share.
 */
#define SPDM_MAX_VERSION_ENTRIES 16u
#define SPDM_NEGOTIATE_ALGORITHMS_MAX_SIZE 128u
#define SPDM_NEGOTIATE_ALGORITHMS_MAX_SIZE_10 64u
#define SPDM_ALGORITHMS_MAX_SIZE 128u
#define SPDM_VCA_MAX_SIZE 384u

struct spdm_transcript {
	uint16_t len;
	uint8_t buf[SPDM_VCA_MAX_SIZE];
};

/**
 * What one connection negotiated (after ALGORITHMS), as both roles record
 * it. Algorithm fields hold the selected wire bit (0: none selected).
 */
struct spdm_connection_info {
	uint8_t version; /* SPDMVersion in use, SPDM_VERSION_1x */
	uint8_t peer_ct_exponent;
	uint32_t peer_flags; /* the peer's capability flags */
	/* 1.2 and later; 0 before. */
	uint32_t peer_data_transfer_size;
	uint32_t peer_max_spdm_msg_size;
	uint8_t measurement_specification;
	uint8_t other_params; /* OtherParamsSelection */
	uint8_t mel_specification;
	uint32_t measurement_hash_algo;
	uint32_t base_asym_algo;
	uint32_t base_hash_algo;
	uint16_t dhe_named_group;
	uint16_t aead_cipher_suite;
	uint16_t req_base_asym_alg;
	uint16_t key_schedule;
	/* The selections above in the crypto ops' names. */
	enum spdm_hash_alg hash;
	enum spdm_asym_alg asym;
	enum spdm_hash_alg measurement_hash;
};

/**
 * The SPDM error code a responder sends for a handler's negative errno:
 * -EBADMSG/-EINVAL InvalidRequest, -EBUSY Busy, -EPERM UnexpectedRequest,
 * -EOPNOTSUPP UnsupportedRequest, -EPROTO VersionMismatch, anything else
 * (-EMSGSIZE included) Unspecified.
 */
uint8_t spdm_errno_to_error_code(int err);

/** true when @len bytes at @p follow the general opaque data format
 * (format 1, above); false otherwise (a NULL @p with @len 0 included). */
bool spdm_opaque_fmt1_valid(const uint8_t *p, size_t len);

/** BaseHashAlgo bit of @alg, 0 for none. */
uint32_t spdm_hash_alg_to_wire(enum spdm_hash_alg alg);
/** The hash named by a single BaseHashAlgo bit, SPDM_HASH_NONE if none. */
enum spdm_hash_alg spdm_hash_alg_from_wire(uint32_t bit);
/** BaseAsymAlgo bit of @alg, 0 for none. */
uint32_t spdm_asym_alg_to_wire(enum spdm_asym_alg alg);
/** The algorithm named by a single BaseAsymAlgo bit, SPDM_ASYM_NONE if
 * none. */
enum spdm_asym_alg spdm_asym_alg_from_wire(uint32_t bit);

#ifdef __cplusplus
}
#endif

#endif /* SPDM_SPDM_H */
