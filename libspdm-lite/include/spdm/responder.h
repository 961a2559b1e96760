/* SPDX-License-Identifier: Apache-2.0 */
/*
 * SPDM responder (DSP0274 1.0 to 1.3), sans-I/O: the transport hands each
 * request to spdm_responder_handle(), which always writes a response (an
 * SPDM ERROR for anything it cannot answer) and leaves the connection in a
 * defined state. The responder never blocks, allocates or reads a clock.
 *
 * Handled now: GET_VERSION, GET_CAPABILITIES, NEGOTIATE_ALGORITHMS (the
 * "VCA" that opens every connection) and RESPOND_IF_READY. Every other
 * request code gets ERROR UnsupportedRequest. A 1.3 GET_CAPABILITIES with
 * Param1 bit 0 (SPDM_CAP_PARAM1_SUPPORTED_ALGS) gets the Supported
 * Algorithms block after MaxSPDMmsgSize (Param1 bit 0 set) when the
 * requester has CHUNK_CAP (else InvalidRequest, as DMTF's libspdm) and
 * the response fits its DataTransferSize (else no block: this responder
 * cannot chunk). The block lists what ALGORITHMS may select: the
 * measurement specification, opaque data formats 0 and 1, the offered
 * BaseAsymAlgo and BaseHashAlgo, and one structure per configured DHE,
 * AEAD, ReqBaseAsymAlg and KeySchedule mask.
 *
 * Certificates (rsp-cert.c; spdm/cert.h): GET_DIGESTS and GET_CERTIFICATE
 * are served in state NEGOTIATED when the flags have CERT_CAP and a slot
 * holds a chain (else UnsupportedRequest); before ALGORITHMS they get
 * UnexpectedRequest, at another version VersionMismatch. DIGESTS: the
 * digest H(chain) of each provisioned slot, computed when asked; 1.3
 * Param1 SupportedSlotMask = Param2 ProvisionedSlotMask. CERTIFICATE:
 * PortionLength = min(Length, bytes left from Offset, response buffer
 * (DataTransferSize in 1.2+) - 8), RemainderLength = what is left after
 * it; 1.3 SlotSizeRequested answers PortionLength 0 and RemainderLength
 * the chain size. InvalidRequest for a wrong size, an empty or
 * nonexistent slot, Offset >= chain size. Both feed the M1/M2 running
 * hash (r->cert.m1) after message A.
 *
 * Measurements (rsp-meas.c; spdm/measurements.h): GET_MEASUREMENTS in
 * state NEGOTIATED with a MEAS_CAP flag and measurement_ops (else
 * UnsupportedRequest). Operation 0 (count), one index, 0xFF (all);
 * digests with the negotiated MeasurementHashAlgo unless the block is
 * raw-only or (1.2+) raw bit streams were requested. A signature request
 * needs MEAS_CAP 10b and a slot < SPDM_MAX_SLOTS (else InvalidRequest);
 * InvalidRequest too for a wrong length or an index with no block. L1/L2
 * (1.2+: message A first) runs from the first GET_MEASUREMENTS after any
 * other request to the signed response (its signature excluded); any
 * other request and any ERROR to GET_MEASUREMENTS discard it. When
 * crypto->sign returns -EAGAIN the answer is ERROR ResponseNotReady
 * (RDTExponent = CTExponent, the request code, a token, RDTM 1); a
 * RESPOND_IF_READY with that code and token gets the signed response
 * (produced again, signed over the digest already computed); a wrong
 * code or token gets InvalidRequest and the response stays pending until
 * another request arrives.
 *
 * Challenge (rsp-challenge.c; spdm/challenge.h): CHALLENGE in state
 * NEGOTIATED with SPDM_RSP_CHAL_CAP and a provisioned slot or public key
 * (else UnsupportedRequest; before ALGORITHMS UnexpectedRequest, at
 * another version VersionMismatch). InvalidRequest for a wrong length, a
 * slot without a chain, 0xFF without a provisioned public key and
 * PUB_KEY_ID_CAP, a MeasurementSummaryHashType other than 0, 1, 0xFF, or
 * not 0 without MEAS_CAP and measurement_ops. CHALLENGE_AUTH: Param1 the
 * slot (0xF for 0xFF), Param2 the provisioned slot mask (0 for 0xFF),
 * H(chain) (H(public key) for 0xFF), a nonce from crypto->random, the
 * summary hash, the configured opaque data, 1.3 the RequesterContext, and the
 * signature of the slot's key over M1 (spdm/challenge.h). Any CHALLENGE,
 * answered or not, ends M1. A busy signer (-EAGAIN) gets
 * ResponseNotReady and RESPOND_IF_READY as for measurements.
 *
 * Connection state (enum spdm_responder_state):
 *   IDLE --GET_VERSION--> AFTER_VERSION --GET_CAPABILITIES-->
 *   AFTER_CAPABILITIES --NEGOTIATE_ALGORITHMS--> NEGOTIATED
 * GET_VERSION is accepted in any state and starts a new connection (the
 * negotiated values and message A are discarded). A request out of this
 * order gets UnexpectedRequest; a rejected request leaves the state as it
 * was.
 *
 * ERROR responses (4 bytes: version, 0x7F, error code, error data):
 *   InvalidRequest      a request shorter or longer than its DSP0274 table,
 *                       a field value the table does not allow (reserved
 *                       capability encodings, DataTransferSize below 42 or
 *                       above MaxSPDMmsgSize, algorithm structures out of
 *                       order, a Length field that disagrees, no common
 *                       algorithm for a capability both sides declared)
 *   UnexpectedRequest   a request in the wrong state, RESPOND_IF_READY with
 *                       nothing pending
 *   UnsupportedRequest  a request code not handled (error data: the code)
 *   VersionMismatch     GET_VERSION not at version 1.0; GET_CAPABILITIES at
 *                       a version not offered; any later request at another
 *                       version than the negotiated one
 *   ResponseTooLarge    (1.2+) a response longer than the requester's
 *                       DataTransferSize; 4 more bytes of extended error
 *                       data give the response's size (little-endian).
 *                       Chunking is not implemented.
 *   Unspecified         a response that does not fit the caller's buffer
 * Reserved fields and reserved flag bits are ignored, as DSP0274 asks of
 * receivers. The version byte of an ERROR is the negotiated version once
 * GET_CAPABILITIES has succeeded, before that the request's version when
 * it is one we offer, else 1.0.
 *
 * Algorithm selection (ALGORITHMS): among what both sides offer, by the
 * responder's preference: ECDSA P-384 then P-256; SHA-384, SHA-256,
 * SHA-512, SHA3-384, SHA3-256, SHA3-512; the same hash order for
 * MeasurementHashAlgo; DHE secp384r1, secp256r1, secp521r1, then FFDHE
 * 4096/3072/2048; AEAD AES-256-GCM, AES-128-GCM, ChaCha20-Poly1305. Only
 * hash and signature algorithms that the crypto ops report (hash_algos,
 * asym_algos) are offered. Structures (1.1 and later) are answered in the
 * order and number requested, with 0 when nothing is in common. Extended
 * (registry) algorithms are never selected. OtherParamsSelection echoes
 * the requester's opaque data format (0, format 0 or format 1).
 */
#ifndef SPDM_RESPONDER_H
#define SPDM_RESPONDER_H

#include <stddef.h>
#include <stdint.h>

#include "spdm/cert.h"
#include "spdm/challenge.h"
#include "spdm/crypto.h"
#include "spdm/log.h"
#include "spdm/measurements.h"
#include "spdm/spdm.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Responder configuration; must stay valid as long as the instance.
 *
 * versions / n_versions: the SPDMVersion values offered (SPDM_VERSION_10
 *     to SPDM_VERSION_13), 1 to 4 distinct entries, any order; VERSION
 *     lists them in ascending order.
 * ct_exponent: CTExponent (cryptographic timeout 2^ct_exponent us).
 * flags: capability flags (SPDM_RSP_*). The CAPABILITIES response carries
 *     only the flags defined in the negotiated version. SPDM_RSP_CHUNK_CAP
 *     is refused (not implemented).
 * data_transfer_size, max_spdm_msg_size: for 1.2 and later; equal (no
 *     chunking), at least 42 and at most SPDM_MAX_MSG_SIZE.
 * measurement_specification: SPDM_MEASUREMENT_SPEC_DMTF when the flags
 *     include a MEAS_CAP, else 0.
 * measurement_hash_algo: SPDM_MEAS_HASH_* usable for measurements (only
 *     with a MEAS_CAP).
 * base_asym_algo, base_hash_algo: SPDM_ASYM_ALGO_* / SPDM_HASH_ALGO_* the
 *     responder may select (further limited to what the crypto ops have).
 * dhe_named_group, aead_cipher_suite, req_base_asym_alg, key_schedule:
 *     what the 1.1+ algorithm structures may select (0: none).
 * cert_slots, cert_chain_hash_algo: certificate chains (spdm/cert.h) for
 *     GET_DIGESTS / GET_CERTIFICATE, and the one SPDM_HASH_ALGO_* bit
 *     their RootHash was made with. When any slot holds a chain, only
 *     that hash is offered in ALGORITHMS (so every chain matches the
 *     negotiated hash) and the crypto ops must have the hash ops. Served
 *     only with SPDM_RSP_CERT_CAP; with CERT_CAP but no chain the two
 *     requests get UnsupportedRequest.
 * measurement_ops, measurement_ctx: the measurement source (see
 *     spdm/measurements.h) for GET_MEASUREMENTS, served with a MEAS_CAP
 *     flag when measurement_ops is set (else UnsupportedRequest). It also
 *     needs the crypto ops hash_*, random and, with MEAS_CAP 10b (signed
 *     measurements), sign (else Unspecified).
 * provisioned_pubkey, provisioned_pubkey_len: the responder's public key
 *     as it was provisioned to requesters (SlotID 0xFF, "provisioned
 *     public key"; with SPDM_RSP_PUB_KEY_ID_CAP, which excludes CERT_CAP),
 *     NULL/0 for none. The library only hashes these bytes: CHALLENGE_AUTH
 *     for slot 0xFF carries H(them) as CertChainHash (DMTF's libspdm hashes
 *     the key as provisioned, a DER SubjectPublicKeyInfo there; our
 *     requester hashes the 0x04 || X || Y point it was given, see
 *     spdm_requester_set_peer_pubkey()). CHALLENGE and signed
 *     GET_MEASUREMENTS for slot 0xFF (SlotIDParam 0xF) are signed by
 *     crypto->sign with slot 0xFF. At most 1024 bytes.
 * opaque_challenge_auth, opaque_challenge_auth_len, opaque_measurements,
 *     opaque_measurements_len: the OpaqueData of CHALLENGE_AUTH and of
 *     MEASUREMENTS (NULL/0: OpaqueDataLength 0), at most
 *     SPDM_MAX_OPAQUE_SIZE (1024, the DSP0274 limit) bytes each.
 * opaque_data_format: the format of both (required when either is set):
 *     SPDM_OPAQUE_DATA_FMT_0 (defined by the device) or
 *     SPDM_OPAQUE_DATA_FMT_1 (DSP0274 1.2 general opaque data format,
 *     checked at init: see spdm_opaque_fmt1_valid()). Before 1.2 the data
 *     is always sent (no format is negotiated); from 1.2 only when
 *     ALGORITHMS selected this format in OtherParamsSelection, otherwise
 *     OpaqueDataLength is 0.
 * measurement_generation: optional (NULL: no change detection, the 1.2+
 *     MEASUREMENTS "content changed" field stays 00b). A counter the
 *     integrator changes whenever any measurement changes; read at the
 *     first GET_MEASUREMENTS of an L1/L2 log and again at the signed one
 *     that ends it: 01b "changed" when it differs (conservative: any
 *     change, not only of blocks already sent), 10b "no change" when not.
 * log_ops, log_ctx, log_level: optional (spdm/log.h; NULL: no logging):
 *     state changes at SPDM_LOG_INFO, each ERROR response sent at SPDM_LOG_DEBUG; levels above
 *     log_level are not passed (0: every level). Ignored (no code at all)
 *     when built with -Dspdm_log=false.
 */
struct spdm_responder_config {
	const uint8_t *versions;
	size_t n_versions;
	uint8_t ct_exponent;
	uint32_t flags;
	uint32_t data_transfer_size;
	uint32_t max_spdm_msg_size;
	uint8_t measurement_specification;
	uint32_t measurement_hash_algo;
	uint32_t base_asym_algo;
	uint32_t base_hash_algo;
	uint16_t dhe_named_group;
	uint16_t aead_cipher_suite;
	uint16_t req_base_asym_alg;
	uint16_t key_schedule;
	struct spdm_cert_slot cert_slots[SPDM_MAX_SLOTS];
	uint32_t cert_chain_hash_algo;
	const struct spdm_measurement_ops *measurement_ops;
	void *measurement_ctx;
	const uint8_t *provisioned_pubkey;
	size_t provisioned_pubkey_len;
	const uint8_t *opaque_challenge_auth;
	size_t opaque_challenge_auth_len;
	const uint8_t *opaque_measurements;
	size_t opaque_measurements_len;
	uint8_t opaque_data_format;
	uint32_t (*measurement_generation)(void *measurement_ctx);
	const struct spdm_log_ops *log_ops;
	void *log_ctx;
	enum spdm_log_level log_level;
};

enum spdm_responder_state {
	SPDM_RESPONDER_STATE_IDLE = 0, /* waiting for GET_VERSION */
	SPDM_RESPONDER_STATE_AFTER_VERSION,
	SPDM_RESPONDER_STATE_AFTER_CAPABILITIES,
	SPDM_RESPONDER_STATE_NEGOTIATED,
};

/** One responder instance; caller-owned, opaque in use. */
struct spdm_responder {
	const struct spdm_responder_config *cfg;
	const struct spdm_crypto_ops *crypto;
	void *crypto_ctx;
	enum spdm_responder_state state;
	/* Algorithms offered: the configuration limited to the crypto ops. */
	uint32_t offer_hash;
	uint32_t offer_asym;
	uint32_t offer_meas_hash;
	uint16_t offer_req_asym;
	uint8_t version_mask; /* bit n: version 0x10 + n offered */
	struct spdm_connection_info conn;
	struct spdm_transcript vca; /* message A */
	struct spdm_rsp_cert cert;  /* slots and M1/M2 (rsp-cert.c) */
	struct spdm_rsp_meas meas;  /* GET_MEASUREMENTS, L1/L2 (rsp-meas.c) */
	struct spdm_rsp_chal chal;  /* CHALLENGE (rsp-challenge.c) */
};

/**
 * Initialise @r. @crypto must provide hash_algos and asym_algos (the
 * commands handled now use no other op); @crypto and @cfg must outlive
 * @r. Returns 0 or -EINVAL (a NULL argument or op, a configuration field
 * out of the ranges documented above, reserved capability encodings).
 */
int spdm_responder_init(struct spdm_responder *r,
			const struct spdm_responder_config *cfg,
			const struct spdm_crypto_ops *crypto, void *crypto_ctx);

/**
 * Answer one request: @req_len bytes at @req (the SPDM message, without
 * transport header). The response is written to @rsp, capacity *@rsp_len
 * on entry, its length on return. Returns 0 whenever a response was
 * written (including every SPDM ERROR), -EINVAL for NULL arguments, or
 * -EMSGSIZE when *@rsp_len cannot hold even a 4-byte ERROR (no response).
 * @req and @rsp must not overlap.
 */
int spdm_responder_handle(struct spdm_responder *r, const uint8_t *req,
			  size_t req_len, uint8_t *rsp, size_t *rsp_len);

/** The negotiated connection, or NULL before ALGORITHMS was sent. */
const struct spdm_connection_info *
spdm_responder_connection(const struct spdm_responder *r);

/** Message A so far (valid until the next spdm_responder_handle()); its
 * length in *@len. */
const uint8_t *spdm_responder_vca(const struct spdm_responder *r, size_t *len);

#ifdef __cplusplus
}
#endif

#endif /* SPDM_RESPONDER_H */
