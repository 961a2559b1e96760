/* SPDX-License-Identifier: Apache-2.0 */
/*
 * SPDM requester (DSP0274 1.0 to 1.3), sans-I/O. A flow (now: "connect",
 * the GET_VERSION / GET_CAPABILITIES / NEGOTIATE_ALGORITHMS exchange that
 * opens every connection) is driven one request at a time:
 *
 *   spdm_requester_connect(q);
 *   do {
 *           spdm_requester_next(q, req, &req_len);  // send req
 *           ...wait for the response (or time out)...
 *           err = got ? spdm_requester_rx(q, rsp, rsp_len)
 *                     : spdm_requester_timeout(q);
 *   } while (err == -EAGAIN);
 *
 * The requester never blocks, allocates or reads a clock: the caller owns
 * the transport and the timer (DSP0274 RTT and CT timeouts).
 *
 * Connect: GET_VERSION (always at version 1.0); the highest version both
 * the VERSION response and the configuration list is chosen;
 * GET_CAPABILITIES at that version; NEGOTIATE_ALGORITHMS offering the
 * configured algorithms limited to what the crypto ops report. The
 * ALGORITHMS response must select at most one of what was offered for
 * each field (and nothing we did not offer, no extended algorithms);
 * anything else is -EBADMSG.
 *
 * Framework behaviour for every request:
 *   ERROR Busy            the same request is sent again (next() returns
 *                         it), at most SPDM_REQUESTER_MAX_RETRIES times;
 *                         then -EBUSY
 *   ERROR RequestResynch  the connection restarts with GET_VERSION, at
 *                         most SPDM_REQUESTER_MAX_RESYNCH times; then
 *                         -EPROTO. When it interrupted a flow on a
 *                         negotiated connection (certificate,
 *                         measurements, challenge), rx() returns
 *                         -ECONNRESET once the new connection is
 *                         negotiated: the connection is usable, the
 *                         interrupted flow did not complete (its verdict
 *                         is not set) and must be started again
 *   timeout               spdm_requester_timeout(): the same request again,
 *                         at most SPDM_REQUESTER_MAX_RETRIES times; then
 *                         -ETIMEDOUT
 *   other ERROR           -EPROTO; the code and data through
 *                         spdm_requester_error(). ResponseNotReady is not
 *                         allowed for the VCA requests (their answer is
 *                         immediate) and ends the flow with -EPROTO too.
 *   ResponseNotReady      (other requests) rx() returns -EAGAIN and next()
 *                         gives RESPOND_IF_READY with the request code and
 *                         token of the ERROR (its 4 bytes of extended data
 *                         must be there and name the request in flight,
 *                         else -EBADMSG); the caller should wait
 *                         2^RDTExponent us x RDTM first. At most
 *                         SPDM_REQUESTER_MAX_RETRIES times, then -EBUSY.
 * After any error other than -EAGAIN the flow is over and nothing is
 * negotiated; spdm_requester_connect() starts again.
 */
#ifndef SPDM_REQUESTER_H
#define SPDM_REQUESTER_H

#include <stdbool.h>
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

#define SPDM_REQUESTER_MAX_RETRIES 3u
#define SPDM_REQUESTER_MAX_RESYNCH 2u
/* Largest request the requester builds (NEGOTIATE_ALGORITHMS with four
 * algorithm structures is 48 bytes). */
#define SPDM_REQUESTER_REQ_SIZE 64u

/**
 * Requester configuration; must stay valid as long as the instance.
 *
 * versions / n_versions: SPDMVersion values accepted (SPDM_VERSION_10 to
 *     SPDM_VERSION_13), 1 to 4 distinct entries.
 * ct_exponent, flags (SPDM_REQ_*): sent in GET_CAPABILITIES (1.1+), the
 *     flags limited to those defined in the negotiated version.
 * data_transfer_size, max_spdm_msg_size: sent in 1.2+; equal (no
 *     chunking: SPDM_REQ_CHUNK_CAP is refused), at least 42 and at most
 *     SPDM_MAX_MSG_SIZE.
 * measurement_specification: offered (SPDM_MEASUREMENT_SPEC_DMTF or 0).
 * other_params_support: opaque data format offered in 1.2+: 0,
 *     SPDM_OPAQUE_DATA_FMT_0 or SPDM_OPAQUE_DATA_FMT_1.
 * base_asym_algo, base_hash_algo: SPDM_ASYM_ALGO_* / SPDM_HASH_ALGO_*
 *     offered (limited to what the crypto ops have; at least one each must
 *     remain).
 * dhe_named_group, aead_cipher_suite, req_base_asym_alg, key_schedule:
 *     offered in 1.1+ algorithm structures; a structure is sent only when
 *     its mask is not 0 (req_base_asym_alg is limited by the crypto ops).
 * log_ops, log_ctx, log_level: optional (spdm/log.h; NULL: no logging):
 *     state changes at SPDM_LOG_INFO, each ERROR response
 *     received and each failed flow at SPDM_LOG_DEBUG; levels above
 *     log_level are not passed (0: every level). Ignored (no code at all)
 *     when built with -Dspdm_log=false.
 */
struct spdm_requester_config {
	const uint8_t *versions;
	size_t n_versions;
	uint8_t ct_exponent;
	uint32_t flags;
	uint32_t data_transfer_size;
	uint32_t max_spdm_msg_size;
	uint8_t measurement_specification;
	uint8_t other_params_support;
	uint32_t base_asym_algo;
	uint32_t base_hash_algo;
	uint16_t dhe_named_group;
	uint16_t aead_cipher_suite;
	uint16_t req_base_asym_alg;
	uint16_t key_schedule;
	const struct spdm_log_ops *log_ops;
	void *log_ctx;
	enum spdm_log_level log_level;
};

enum spdm_requester_state {
	SPDM_REQUESTER_STATE_IDLE = 0, /* no flow, nothing negotiated */
	/* connect flow: the request to send (or in flight) */
	SPDM_REQUESTER_STATE_GET_VERSION,
	SPDM_REQUESTER_STATE_GET_CAPABILITIES,
	SPDM_REQUESTER_STATE_NEGOTIATE_ALGORITHMS,
	SPDM_REQUESTER_STATE_NEGOTIATED, /* no flow, connection ready */
	/* certificate flow (req-cert.c) */
	SPDM_REQUESTER_STATE_GET_DIGESTS,
	SPDM_REQUESTER_STATE_GET_CERTIFICATE,
	/* measurements flow (req-meas.c) */
	SPDM_REQUESTER_STATE_MEASUREMENTS,
	/* challenge flow (req-challenge.c) */
	SPDM_REQUESTER_STATE_CHALLENGE,
};

/** One requester instance; caller-owned, opaque in use. */
struct spdm_requester {
	const struct spdm_requester_config *cfg;
	const struct spdm_crypto_ops *crypto;
	void *crypto_ctx;
	enum spdm_requester_state state;
	bool in_flight; /* next() gave a request; rx()/timeout() pending */
	uint8_t retries;
	uint8_t resynchs;
	uint8_t error_code; /* last ERROR response received */
	uint8_t error_data;
	uint8_t version_mask;
	uint32_t offer_hash;
	uint32_t offer_asym;
	uint16_t offer_req_asym;
	uint8_t req_len;
	uint8_t req[SPDM_REQUESTER_REQ_SIZE]; /* the request in flight */
	struct spdm_connection_info conn;
	struct spdm_transcript vca; /* message A */
	struct spdm_req_cert cert;  /* certificate flow, M1/M2 (req-cert.c) */
	bool rif_pending; /* ResponseNotReady: next() sends RESPOND_IF_READY */
	bool flow_lost;   /* RequestResynch interrupted a flow */
	uint8_t rif_token;
	struct spdm_req_meas meas; /* measurements flow, L1/L2 (req-meas.c) */
	struct spdm_req_chal chal; /* challenge flow (req-challenge.c) */
	uint8_t *opaque_buf;       /* spdm_requester_set_opaque_buffer() */
	size_t opaque_cap;
};

/**
 * Initialise @q. @crypto must provide hash_algos and asym_algos; @cfg and
 * @crypto must outlive @q. Returns 0 or -EINVAL (NULL argument or op, a
 * configuration field outside the ranges above, reserved capability
 * encodings, no hash or no signature algorithm left to offer).
 */
int spdm_requester_init(struct spdm_requester *q,
			const struct spdm_requester_config *cfg,
			const struct spdm_crypto_ops *crypto, void *crypto_ctx);

/**
 * Start the connect flow (also to reconnect: the previous connection is
 * forgotten). Returns 0, -EINVAL (NULL), or -EBUSY when a flow is running.
 */
int spdm_requester_connect(struct spdm_requester *q);

/**
 * Write the next request of the current flow to @req (capacity *@req_len
 * in, length out). After a Busy answer or a timeout it is the same request
 * again. Returns 0, -EINVAL (NULL, or no flow running), -EBUSY (a request
 * is in flight: call rx or timeout first), -EMSGSIZE (@req too small).
 */
int spdm_requester_next(struct spdm_requester *q, uint8_t *req,
			size_t *req_len);

/**
 * Consume the response to the request in flight. Returns 0 (the flow is
 * complete), -EAGAIN (call next() for the following request), or an error
 * that ends the flow: -EPROTO (an ERROR response, see
 * spdm_requester_error(), or too many RequestResynch), -EBUSY (still Busy
 * after the retries), -EBADMSG (malformed response, wrong response code or
 * version, a selection that was not offered), -ENOTSUP (no common
 * version). -EINVAL: NULL, or no request in flight (nothing changes).
 */
int spdm_requester_rx(struct spdm_requester *q, const uint8_t *rsp,
		      size_t rsp_len);

/**
 * The response to the request in flight did not come in time. Returns
 * -EAGAIN (call next() to send it again), -ETIMEDOUT (retries exhausted,
 * the flow is over) or -EINVAL (NULL, nothing in flight).
 */
int spdm_requester_timeout(struct spdm_requester *q);

/** The error code and data of the last ERROR response received; returns
 * false if none has been received since connect. */
bool spdm_requester_error(const struct spdm_requester *q, uint8_t *code,
			  uint8_t *data);

/** The negotiated connection, or NULL unless connect completed. */
const struct spdm_connection_info *
spdm_requester_connection(const struct spdm_requester *q);

/** Message A so far; its length in *@len. */
const uint8_t *spdm_requester_vca(const struct spdm_requester *q, size_t *len);

/**
 * Start the certificate flow on a negotiated connection: GET_DIGESTS,
 * then GET_CERTIFICATE for @slot from Offset 0 asking @portion bytes at a
 * time (0: as much as our buffer takes, i.e. DataTransferSize - 8 in 1.2+,
 * SPDM_MAX_MSG_SIZE - 8 before; never more than is left), until
 * RemainderLength is 0. Drive it with next()/rx()/timeout() as connect.
 * The crypto ops must have the hash ops and chain_verify.
 *
 * Each response is checked: DIGESTS has exactly one digest (of the
 * negotiated hash) per bit of its slot mask (1.3: ProvisionedSlotMask
 * within SupportedSlotMask) and @slot among them; CERTIFICATE is for
 * @slot, PortionLength is not 0, not above the Length asked and matches
 * the bytes received, offset + PortionLength + RemainderLength is the
 * same in every portion and at most SPDM_MAX_CERT_CHAIN_SIZE. Then the
 * whole chain: its Length field equals its size; H(chain) equals the
 * digest DIGESTS gave for @slot; RootHash equals H(first certificate);
 * chain_verify() accepts the certificates (trusted root, X.509 path) and
 * gives the leaf key, which must be of the negotiated BaseAsymAlgo. Only
 * then the verdict becomes SPDM_VERIFIED and rx() returns 0.
 *
 * Each exchange is added to the M1/M2 running hash (q->cert.m1) after
 * message A (spdm/cert.h).
 *
 * rx() errors besides the framework's: -EBADMSG (a malformed response or
 * a chain that breaks the format), -EPERM (a chain that does not verify),
 * -EIO (a hash op failed); spdm_requester_cert_reason() says which check.
 * As for every flow, an error ends the connection (connect again).
 *
 * Returns 0, -EINVAL (NULL, @slot > 7, missing crypto ops), -EPERM (not
 * connected), -EBUSY (a flow is running), -EOPNOTSUPP (the responder has
 * no CERT_CAP).
 */
int spdm_requester_get_certificate(struct spdm_requester *q, uint8_t slot,
				   uint16_t portion);

/** SPDM_VERIFIED when the last certificate flow verified its chain and
 * the connection is still up; anything else means not verified. */
uint32_t spdm_requester_cert_verdict(const struct spdm_requester *q);

/** Why the last certificate flow did not verify (SPDM_CERT_REASON_NONE
 * when it did). */
enum spdm_cert_reason
spdm_requester_cert_reason(const struct spdm_requester *q);

/**
 * The verified leaf public key (0x04 || X || Y), kept for signature
 * checks: valid while the verdict is SPDM_VERIFIED. Returns 0, -EINVAL
 * (NULL) or -EPERM (no verified chain).
 */
int spdm_requester_peer_pubkey(const struct spdm_requester *q,
			       const uint8_t **key, size_t *len);

/** The verified certificate chain (NULL unless the verdict is
 * SPDM_VERIFIED); its size in *@len. */
const uint8_t *spdm_requester_cert_chain(const struct spdm_requester *q,
					 size_t *len);

/**
 * Give the responder's public key (0x04 || X || Y, @len bytes, of @alg:
 * the negotiated signature algorithm) for checking measurement
 * signatures, when it is known by other means than the certificate flow.
 * It is kept where the certificate flow keeps the leaf key it verified
 * (q->cert.pubkey): either one sets it, a new connection or a new
 * certificate flow forgets it. Setting it clears the certificate verdict
 * (the key did not come from a verified chain). Call it after connect.
 * Returns 0, -EINVAL
 * (NULL, @len 0 or above SPDM_MAX_PUBKEY_SIZE, @alg not the negotiated
 * one) or -EPERM (not connected, or a flow is running).
 */
int spdm_requester_set_peer_pubkey(struct spdm_requester *q,
				   enum spdm_asym_alg alg, const uint8_t *key,
				   size_t len);

/**
 * Start the measurements flow on a negotiated connection: one
 * GET_MEASUREMENTS with Param2 @operation (SPDM_MEAS_OP_COUNT, an index
 * 1..0xFE, SPDM_MEAS_OP_ALL) and Param1 @attributes
 * (SPDM_MEAS_ATTR_SIGNATURE, SPDM_MEAS_ATTR_RAW_BIT_STREAM from 1.2; others
 * refused), signed by the key of @slot (1.1+; 0 before; 0xFF, sent as
 * SlotIDParam 0xF: the responder's provisioned public key, which needs its
 * PUB_KEY_ID_CAP and spdm_requester_set_peer_pubkey()). A signed request
 * carries a fresh nonce from crypto->random, 1.3 a fresh RequesterContext.
 * Drive it with next()/rx()/timeout() as connect; ResponseNotReady is
 * answered with RESPOND_IF_READY.
 *
 * The response is checked against the request before anything is given
 * out: code, Param1/NumberOfBlocks for the operation (0: no blocks; an
 * index: exactly that block; all: NumberOfBlocks blocks), every block
 * inside MeasurementRecordLength with MeasurementSize = 3 + value size, the
 * DMTF specification, a digest of the negotiated MeasurementHashAlgo size
 * unless raw (raw bit stream only: every block raw), indices 1..0xFE, the
 * signed slot in Param2 bits 3:0 (0xF for 0xFF), Param2 bits 5:4 (1.2+
 * content changed: 00b in an unsigned response, never 11b; given in the
 * result), the opaque data (spdm_requester_set_opaque_buffer()), 1.3 the
 * RequesterContext echoed, the exact length. Every
 * exchange is added to L1/L2 (1.2+: after message A) and, for a signed
 * response, the signature (over DSP0274's signed digest, see
 * spdm/measurements.h) is verified with crypto->verify and the peer key.
 * Only then are the blocks handed, in order, to @on_block (may be NULL)
 * with @ctx, and rx() returns 0; spdm_requester_measurement_result() then
 * gives SPDM_MEAS_VERDICT_VERIFIED (signed) or SPDM_MEAS_VERDICT_UNSIGNED.
 *
 * rx() errors besides the framework's: -EBADMSG (a response that fails a
 * check), -EPERM (the signature does not verify), -EIO (a crypto op
 * failed). As for every flow, an error ends the connection.
 *
 * Returns 0, -EINVAL (NULL, attributes or slot out of range), -EPERM (not
 * connected, or signed without a peer key), -EBUSY (a flow is running),
 * -EOPNOTSUPP (the responder has no MEAS_CAP, or no signature capability
 * for a signed request; missing crypto ops), -EIO (crypto->random
 * failed).
 */
int spdm_requester_measurements(
	struct spdm_requester *q, uint8_t operation, uint8_t attributes,
	uint8_t slot,
	void (*on_block)(void *ctx, const struct spdm_measurement_block *b),
	void *ctx);

/**
 * Where the OpaqueData of a verified CHALLENGE_AUTH or MEASUREMENTS is
 * copied (@buf, @cap bytes, caller-owned, kept until changed; NULL/0: not
 * copied). The result structs give OpaqueDataLength (opaque_len); when it
 * is above @cap only the first @cap bytes were copied. The bytes are
 * those the signature covers, copied only after every check passed.
 * Opaque data is checked in every response: OpaqueDataLength at most
 * 1024 and inside the message, and, when 1.2+ ALGORITHMS selected the
 * general opaque data format (SPDM_OPAQUE_DATA_FMT_1), that format
 * (spdm_opaque_fmt1_valid()); else -EBADMSG. Returns 0 or -EINVAL (NULL
 * @q, or NULL @buf with @cap).
 */
int spdm_requester_set_opaque_buffer(struct spdm_requester *q, uint8_t *buf,
				     size_t cap);

/** The outcome of the last measurements flow: -EINVAL (NULL) or 0 with
 * *@res filled (verdict SPDM_MEAS_VERDICT_NONE unless it completed on
 * this connection). */
int spdm_requester_measurement_result(const struct spdm_requester *q,
				      struct spdm_measurement_result *res);

/**
 * Start the challenge flow on a negotiated connection: one CHALLENGE for
 * @slot (0..7, or 0xFF: the responder's provisioned public key, which
 * needs its PUB_KEY_ID_CAP and the key from
 * spdm_requester_set_peer_pubkey(); CertChainHash expected = the digest
 * given with spdm_requester_set_peer_chain_digest() for 0xFF, else H(that
 * key as given, 0x04 || X || Y)) with MeasurementSummaryHashType @summary_type
 * (SPDM_CHAL_SUMMARY_NONE, _TCB, _ALL; not NONE needs the responder's
 * MEAS_CAP), a fresh nonce from crypto->random and, 1.3, a fresh
 * RequesterContext. Drive it with next()/rx()/timeout() as connect;
 * ResponseNotReady is answered with RESPOND_IF_READY.
 *
 * The expected CertChainHash is the digest of the chain the certificate
 * flow verified (for that slot), else the one given with
 * spdm_requester_set_peer_chain_digest(); the signature is checked with
 * the peer key (the verified leaf key, or spdm_requester_set_peer_pubkey).
 * The GET_DIGESTS / GET_CERTIFICATE exchanges may precede it on this
 * connection or not (M1 is then message A and the challenge).
 *
 * CHALLENGE_AUTH checks: code, slot in Param1 bits 3:0 (0xF for 0xFF),
 * BasicMutAuthReq clear, the slot's bit in Param2 (not for 0xFF),
 * CertChainHash equal to the expected
 * one, a responder nonce different from ours and from the last one seen,
 * the MeasurementSummaryHash present (H bytes) exactly when asked for,
 * the opaque data (spdm_requester_set_opaque_buffer()), 1.3 the
 * RequesterContext echoed, the exact length, then the signature over
 * DSP0274's digest of M1 (spdm/challenge.h) with crypto->verify. Only then
 * rx() returns 0 and spdm_requester_challenge_result() gives
 * SPDM_CHAL_VERDICT_VERIFIED. M1 ends with the challenge in any case.
 *
 * rx() errors besides the framework's: -EBADMSG (a check failed), -EPERM
 * (the signature does not verify), -EIO (a crypto op failed).
 *
 * Returns 0, -EINVAL (NULL, @slot not 0..7 or 0xFF, @summary_type not
 * 0/1/0xFF),
 * -EPERM (not connected, no peer key, no expected CertChainHash for
 * @slot), -EBUSY (a flow is running), -EOPNOTSUPP (no CHAL_CAP, a summary
 * without MEAS_CAP, missing crypto ops), -EIO (crypto->random failed).
 */
int spdm_requester_challenge(struct spdm_requester *q, uint8_t slot,
			     uint8_t summary_type);

/**
 * Give the digest of the certificate chain of @slot (H(chain) with the
 * negotiated hash, @len bytes), known from an earlier connection, for a
 * challenge without the certificate flow; for @slot 0xFF the expected
 * CertChainHash of the provisioned public key. Forgotten with the
 * connection. Returns 0, -EINVAL (NULL, @slot not 0..7 or 0xFF, @len not
 * the hash size) or -EPERM
 * (not connected, or a flow is running).
 */
int spdm_requester_set_peer_chain_digest(struct spdm_requester *q, uint8_t slot,
					 const uint8_t *digest, size_t len);

/** The outcome of the last challenge: -EINVAL (NULL) or 0 with *@res
 * filled (verdict SPDM_CHAL_VERDICT_NONE unless it completed on this
 * connection). */
int spdm_requester_challenge_result(const struct spdm_requester *q,
				    struct spdm_challenge_result *res);

/**
 * The attestation verdict programs should rely on: SPDM_ATTESTED only when
 * the certificate flow verified a chain (SPDM_VERIFIED) AND the last
 * challenge was verified (SPDM_CHAL_VERDICT_VERIFIED) for the same slot,
 * the same chain digest and the leaf key of that chain, on the current
 * connection. Anything else means not attested.
 */
uint32_t spdm_requester_attestation(const struct spdm_requester *q);

#ifdef __cplusplus
}
#endif

#endif /* SPDM_REQUESTER_H */
