/* SPDX-License-Identifier: Apache-2.0 */
/*
 * GET_MEASUREMENTS / MEASUREMENTS (DSP0274 1.0 to 1.3): the constants and
 * types both roles share, the measurement source a responder's integrator
 * provides (struct spdm_measurement_ops) and the per-connection state each
 * role keeps for the L1/L2 transcript.
 *
 * GET_MEASUREMENTS request: SPDMVersion, 0xE0, Param1 (request attributes:
 * bit 0 signature requested; 1.2+ bit 1 raw bit stream requested), Param2
 * (measurement operation: 0 the number of blocks, 1..0xFE one block, 0xFF
 * all blocks); when a signature is requested, Nonce (32 bytes) and (1.1+)
 * SlotIDParam (slot in bits 3:0); 1.3: RequesterContext (8 bytes).
 *
 * MEASUREMENTS response: SPDMVersion, 0x60, Param1 (operation 0: the
 * number of blocks, else 0), Param2 (signed, 1.1+: the slot in bits 3:0,
 * 0xF for the provisioned public key; bits 5:4 content changed, 1.2+,
 * see SPDM_MEAS_CONTENT_* and spdm_responder_config.measurement_generation),
 * NumberOfBlocks (1), MeasurementRecordLength (3, little endian), the
 * record, Nonce (32, the responder's), OpaqueDataLength (2), opaque data,
 * 1.3: RequesterContext (8, echoed), then the signature when requested.
 *
 * Measurement block (DMTF specification): Index (1), MeasurementSpecification
 * (1, 0x01 DMTF), MeasurementSize (2), then DMTFSpecMeasurementValueType
 * (1: bits 6:0 the type, bit 7 set for a raw bit stream, clear for a
 * digest), DMTFSpecMeasurementValueSize (2), DMTFSpecMeasurementValue.
 */
#ifndef SPDM_MEASUREMENTS_H
#define SPDM_MEASUREMENTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "spdm/crypto.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SPDM_NONCE_SIZE 32u
#define SPDM_REQUESTER_CONTEXT_SIZE 8u /* 1.3 */

/* GET_MEASUREMENTS Param1. */
#define SPDM_MEAS_ATTR_SIGNATURE 0x01u
#define SPDM_MEAS_ATTR_RAW_BIT_STREAM 0x02u /* 1.2 and later */
/* GET_MEASUREMENTS Param2. */
#define SPDM_MEAS_OP_COUNT 0x00u
#define SPDM_MEAS_OP_ALL 0xFFu

/* MEASUREMENTS Param2: SlotIDParam in bits 3:0 (0xF: the provisioned
 * public key), 1.2+ content changed in bits 5:4 (signed responses only;
 * 00b no detection or unsigned, 01b changed during the L1/L2 log, 10b no
 * change detected, 11b reserved). */
#define SPDM_MEAS_SLOT_ID_MASK 0x0Fu
#define SPDM_MEAS_CONTENT_MASK 0x30u
#define SPDM_MEAS_CONTENT_NOT_DETECTED 0x00u
#define SPDM_MEAS_CONTENT_CHANGED 0x10u
#define SPDM_MEAS_CONTENT_UNCHANGED 0x20u

/* DMTFSpecMeasurementValueType, bits 6:0 (bit 7: raw bit stream). */
#define SPDM_MEAS_TYPE_IMMUTABLE_ROM 0x00u
#define SPDM_MEAS_TYPE_MUTABLE_FIRMWARE 0x01u
#define SPDM_MEAS_TYPE_HARDWARE_CONFIG 0x02u
#define SPDM_MEAS_TYPE_FIRMWARE_CONFIG 0x03u
#define SPDM_MEAS_TYPE_MANIFEST 0x04u
#define SPDM_MEAS_TYPE_DEVICE_MODE 0x05u      /* 1.2 */
#define SPDM_MEAS_TYPE_VERSION 0x06u          /* 1.2 */
#define SPDM_MEAS_TYPE_SECURITY_VERSION 0x07u /* 1.2: SVN */
#define SPDM_MEAS_TYPE_RAW_BIT_STREAM 0x80u
/* Bytes before a block's value: block header (4) + DMTF header (3). */
#define SPDM_MEAS_BLOCK_HEADER_SIZE 7u

/**
 * The measurements of a responder, provided by the integrator (const,
 * may live in ROM). Blocks are produced on demand, one at a time, straight
 * into the response: nothing is buffered by the library.
 *
 * count: the number of blocks the device has now (0..254).
 * block: write block @index (1..0xFE) to @value (capacity *@value_len
 *     in, length out) and its DMTFSpecMeasurementValueType (bits 6:0 only,
 *     SPDM_MEAS_TYPE_*) to *@type. Set *@raw true when @value is the raw
 *     measurement (the library hashes it with @hash, the negotiated
 *     MeasurementHashAlgo, unless the requester asked for raw bit streams
 *     or @hash is SPDM_HASH_NONE, "raw bit stream only"); false when
 *     @value already is the digest under @hash (then its length must be
 *     spdm_hash_size(@hash)). Returns 0, -ENOENT when there is no block
 *     @index, -EMSGSIZE when it does not fit, another negative errno on
 *     failure (answered as ERROR Unspecified). Indices need not be
 *     contiguous; "all" asks for indices in increasing order until count
 *     blocks were found.
 * Between a ResponseNotReady and the RESPOND_IF_READY that collects the
 * response, the blocks are produced again and must not have changed (the
 * signature covers the first production).
 */
struct spdm_measurement_ops {
	int (*count)(void *ctx);
	int (*block)(void *ctx, uint8_t index, enum spdm_hash_alg hash,
		     uint8_t *type, bool *raw, uint8_t *value,
		     size_t *value_len);
};

/** One block of a MEASUREMENTS response, as the requester hands it out;
 * @value points into the response given to spdm_requester_rx() and is
 * valid only during the callback. */
struct spdm_measurement_block {
	uint8_t index;
	uint8_t type; /* DMTFSpecMeasurementValueType, bit 7 included */
	bool raw;     /* bit 7: raw bit stream, else a digest */
	const uint8_t *value;
	uint16_t value_len;
};

/* Verdicts of a completed measurements flow (distinct constants, never
 * 0/1): VERIFIED only when the response was signed and every check,
 * the signature included, passed. */
#define SPDM_MEAS_VERDICT_NONE 0u
#define SPDM_MEAS_VERDICT_UNSIGNED 0x3C55A10Fu
#define SPDM_MEAS_VERDICT_VERIFIED 0xA5C3965Au

/** The outcome of the last measurements flow of a requester. */
struct spdm_measurement_result {
	uint32_t verdict;     /* SPDM_MEAS_VERDICT_* */
	uint8_t total_blocks; /* operation 0: Param1 of the response */
	uint8_t n_blocks;     /* blocks in the response */
	uint8_t slot; /* signed: slot of the signing key (0xFF: provisioned) */
	uint8_t content_changed;        /* signed 1.2+: SPDM_MEAS_CONTENT_* */
	uint16_t opaque_len;            /* OpaqueDataLength of the response */
	uint8_t nonce[SPDM_NONCE_SIZE]; /* the responder's nonce */
};

/* Responder state for GET_MEASUREMENTS (inside struct spdm_responder). */
struct spdm_rsp_meas {
	bool l_active; /* @l holds the L1/L2 hash so far */
	bool pending;  /* a signature answered with ResponseNotReady */
	uint8_t token; /* of the pending response */
	uint8_t next_token;
	uint8_t operation, attributes, slot;
	uint8_t content_changed; /* Param2 bits 5:4 of the response */
	uint32_t generation;     /* measurement_generation at the log's start */
	uint8_t nonce[SPDM_NONCE_SIZE];
	uint8_t context[SPDM_REQUESTER_CONTEXT_SIZE];
	uint8_t digest[SPDM_MAX_HASH_SIZE]; /* to sign */
	/* L1/L2, live only between consecutive GET_MEASUREMENTS; also the
	 * storage of CHALLENGE's summary hash (rsp-challenge.c), which only
	 * runs while @l_active is false. */
	struct spdm_hash_state l;
	struct spdm_hash_state scratch; /* block digests */
};

/* Requester state for the measurements flow (inside struct
 * spdm_requester). */
struct spdm_req_meas {
	bool l_active;
	bool fresh; /* flow started, no request built yet */
	uint8_t operation, attributes, slot;
	uint8_t nonce[SPDM_NONCE_SIZE];
	uint8_t context[SPDM_REQUESTER_CONTEXT_SIZE];
	void (*on_block)(void *ctx, const struct spdm_measurement_block *b);
	void *on_block_ctx;
	struct spdm_measurement_result result;
	struct spdm_hash_state l;
};

#ifdef __cplusplus
}
#endif

#endif /* SPDM_MEASUREMENTS_H */
