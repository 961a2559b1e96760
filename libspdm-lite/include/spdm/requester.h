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
 *   ERROR RequestResynch  the flow restarts with GET_VERSION, at most
 *                         SPDM_REQUESTER_MAX_RESYNCH times; then -EPROTO
 *   timeout               spdm_requester_timeout(): the same request again,
 *                         at most SPDM_REQUESTER_MAX_RETRIES times; then
 *                         -ETIMEDOUT
 *   other ERROR           -EPROTO; the code and data through
 *                         spdm_requester_error(). ResponseNotReady is not
 *                         allowed for the VCA requests (their answer is
 *                         immediate) and ends the flow with -EPROTO too.
 * After any error other than -EAGAIN the flow is over and nothing is
 * negotiated; spdm_requester_connect() starts again.
 */
#ifndef SPDM_REQUESTER_H
#define SPDM_REQUESTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "spdm/crypto.h"
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
};

enum spdm_requester_state {
	SPDM_REQUESTER_STATE_IDLE = 0, /* no flow, nothing negotiated */
	/* connect flow: the request to send (or in flight) */
	SPDM_REQUESTER_STATE_GET_VERSION,
	SPDM_REQUESTER_STATE_GET_CAPABILITIES,
	SPDM_REQUESTER_STATE_NEGOTIATE_ALGORITHMS,
	SPDM_REQUESTER_STATE_NEGOTIATED, /* no flow, connection ready */
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

#ifdef __cplusplus
}
#endif

#endif /* SPDM_REQUESTER_H */
