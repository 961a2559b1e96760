/* SPDX-License-Identifier: Apache-2.0 */
/*
 * CHALLENGE / CHALLENGE_AUTH (DSP0274 1.0 to 1.3): the constants and types
 * both roles share, and the per-connection state each role keeps.
 *
 * CHALLENGE request: SPDMVersion, 0x83, Param1 (SlotID: 0..7, or 0xFF
 * for the responder's provisioned public key, PUB_KEY_ID_CAP), Param2
 * (MeasurementSummaryHashType: 0 none, 1 TCB, 0xFF all), Nonce (32);
 * 1.3: RequesterContext (8).
 *
 * CHALLENGE_AUTH response: SPDMVersion, 0x03, Param1 (bits 3:0 the slot,
 * 0xF for 0xFF; bit 7 BasicMutAuthReq in 1.1/1.2, always 0 here), Param2
 * (SlotMask: bit K set when slot K holds a certificate chain; 0 for slot
 * 0xFF, as DMTF's libspdm), CertChainHash (H: the digest of the slot's
 * whole chain; for 0xFF the digest of the public key as provisioned,
 * see spdm_responder_config), Nonce (32, the responder's),
 * MeasurementSummaryHash (H, absent for type 0), OpaqueDataLength (2, at
 * most 1024), OpaqueData (the configured opaque data; 1.2+ format rules in
 * spdm/spdm.h), 1.3: RequesterContext (8, echoed), Signature (S).
 *
 * The signature covers M1/M2 = message A, [the GET_DIGESTS /
 * GET_CERTIFICATE exchanges, spdm/cert.h], CHALLENGE and CHALLENGE_AUTH
 * without its signature. Before 1.2 the signed digest is H(M1); from 1.2
 * it is H(prefix || H(M1)), the prefix being "dmtf-spdm-v1.X.*" four times
 * and the context "responder-challenge_auth signing" (100 bytes).
 *
 * MeasurementSummaryHash: H of the concatenation of the measurement blocks
 * (the whole block, DSP0274 "Measurement block format", as GET_MEASUREMENTS
 * with operation 0xFF and no raw bit stream request would send it), in
 * increasing index order: every block for type 0xFF; for type 1 (TCB)
 * only the blocks of type SPDM_MEAS_TYPE_IMMUTABLE_ROM (DSP0274 leaves
 * which components form the TCB to the device; here the immutable ROM
 * measurements do). With no such block it is H of nothing.
 */
#ifndef SPDM_CHALLENGE_H
#define SPDM_CHALLENGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "spdm/crypto.h"
#include "spdm/measurements.h"

#ifdef __cplusplus
extern "C" {
#endif

/* MeasurementSummaryHashType (CHALLENGE Param2). */
#define SPDM_CHAL_SUMMARY_NONE 0x00u
#define SPDM_CHAL_SUMMARY_TCB 0x01u
#define SPDM_CHAL_SUMMARY_ALL 0xFFu
/* CHALLENGE_AUTH Param1. */
#define SPDM_CHAL_AUTH_SLOT_MASK 0x0Fu
#define SPDM_CHAL_AUTH_BASIC_MUT_AUTH_REQ 0x80u /* 1.1, 1.2 */
/* CHALLENGE size: header + nonce (+ 1.3 RequesterContext). */
#define SPDM_CHALLENGE_SIZE 36u
#define SPDM_CHALLENGE_SIZE_13 44u
/* Largest opaque data the requester accepts. */
#define SPDM_CHAL_MAX_OPAQUE 1024u /* = SPDM_MAX_OPAQUE_SIZE */
/* CHALLENGE_AUTH up to its MeasurementSummaryHash: header, two hashes,
 * nonce (the rest is rebuilt from the configuration and the context). */
#define SPDM_CHAL_AUTH_BODY_MAX (4u + 2u * SPDM_MAX_HASH_SIZE + SPDM_NONCE_SIZE)

/* Verdict of a challenge (distinct constants, never 0/1): VERIFIED only
 * when every check of the CHALLENGE_AUTH, the signature included, passed. */
#define SPDM_CHAL_VERDICT_NONE 0u
#define SPDM_CHAL_VERDICT_VERIFIED 0xC3A55A3Cu
/* The complete attestation: a verified certificate chain AND a verified
 * CHALLENGE_AUTH signed by its leaf key for that chain. */
#define SPDM_ATTESTED 0x6996A55Au

/** The outcome of the last challenge of a requester. */
struct spdm_challenge_result {
	uint32_t verdict; /* SPDM_CHAL_VERDICT_* */
	uint8_t slot;
	uint8_t summary_type;
	uint8_t summary_len;                 /* 0 for type 0 */
	uint8_t summary[SPDM_MAX_HASH_SIZE]; /* MeasurementSummaryHash */
	uint16_t opaque_len;                 /* OpaqueDataLength (see
			      * spdm_requester_set_opaque_buffer()) */
	uint8_t nonce[SPDM_NONCE_SIZE];      /* the responder's nonce */
};

/* Responder state for CHALLENGE (inside struct spdm_responder). */
struct spdm_rsp_chal {
	bool pending; /* a signature answered with ResponseNotReady */
	uint8_t token;
	uint8_t next_token;
	uint8_t slot;
	uint8_t body_len;
	uint8_t body[SPDM_CHAL_AUTH_BODY_MAX];        /* the response's start */
	uint8_t context[SPDM_REQUESTER_CONTEXT_SIZE]; /* 1.3, echoed */
	uint8_t digest[SPDM_MAX_HASH_SIZE];           /* to sign */
	/* No hash state of its own: the measurement summary hash borrows
	 * the L1/L2 state (spdm_rsp_meas.l); see summary_hash() in
	 * rsp-challenge.c for why the two are never live together. */
};

/* Requester state for the challenge flow (inside struct spdm_requester). */
struct spdm_req_chal {
	uint8_t slot, summary_type;
	uint8_t nonce[SPDM_NONCE_SIZE];
	uint8_t context[SPDM_REQUESTER_CONTEXT_SIZE];
	uint8_t expected[SPDM_MAX_HASH_SIZE]; /* CertChainHash expected */
	bool from_chain;    /* the key and hash come from a verified chain */
	bool digest_given;  /* spdm_requester_set_peer_chain_digest() */
	uint8_t given_slot; /* its slot */
	uint8_t given[SPDM_MAX_HASH_SIZE];
	bool seen_valid;
	uint8_t seen_nonce[SPDM_NONCE_SIZE]; /* last responder nonce */
	struct spdm_challenge_result result;
};

#ifdef __cplusplus
}
#endif

#endif /* SPDM_CHALLENGE_H */
