/* SPDX-License-Identifier: Apache-2.0 */
/*
 * SPDM over MCTP (DMTF DSP0275): the glue between libmctp and
 * libspdm-lite. An MCTP message of type 0x05 is the type byte followed by
 * one SPDM message, nothing else: no extra header, no integrity check.
 *
 * struct prot_spdm_mctp registers the handler for message type 0x05 on a
 * struct mctp and serves one or both roles:
 *
 * Responder: a request ([0x05][SPDM request], tag owner set) goes to
 *     spdm_responder_handle(); the response it writes (always one, SPDM
 *     ERROR included) is sent back with mctp_response_tx() as
 *     [0x05][SPDM response], with the request's tag. Any number of peers
 *     may send requests; they share the one SPDM connection state of the
 *     responder.
 *
 * Requester: drives the flow started on the struct spdm_requester against
 *     one peer EID: each request from spdm_requester_next() is sent with
 *     mctp_request_tx(); the response (the core matches it to our tag) is
 *     fed to spdm_requester_rx(), and the MCTP tag timeout (the handler's
 *     timeout op) to spdm_requester_timeout(). While the flow returns
 *     -EAGAIN the next request is sent at once; when it ends,
 *     ops->done() reports the result. Time reaches the requester only
 *     through mctp_poll() (the tag timeout, struct
 *     mctp_config.tag_timeout_ms).
 *
 * Dropped (counted, never answered): any message with the IC bit set
 * (DSP0275 defines no integrity check for type 5), requests when there is
 * no responder, responses that do not answer the request in flight. A
 * response that arrives with the IC bit set has already released its MCTP
 * tag: it is dropped and handled as a lost response (the requester's
 * timeout path: the request is sent again, within the requester's retry
 * limit).
 *
 * Nothing here blocks or allocates; the caller owns every struct. The glue
 * is not reentrant: call it from one thread, and use a binding that does
 * not deliver packets back into the same stack from inside its tx op.
 */
#ifndef PROT_SPDM_MCTP_H
#define PROT_SPDM_MCTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mctp/mctp.h"
#include "spdm/requester.h"
#include "spdm/responder.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The buffer for one message: the MCTP type byte and an SPDM message. */
#define PROT_SPDM_MCTP_BUF_SIZE (1u + SPDM_MAX_MSG_SIZE)

struct prot_spdm_mctp;

/**
 * done: the requester flow against @eid is over. @result is 0 (the flow
 *     completed: read the outcome from the struct spdm_requester), the
 *     flow's error from spdm_requester_rx()/spdm_requester_timeout()
 *     (-EPROTO, -EBUSY, -EBADMSG, -ENOTSUP, -ETIMEDOUT...), or the MCTP
 *     transmit error that ended it (see prot_spdm_mctp_start()). Called
 *     from inside mctp_bus_rx() or mctp_poll(); it may start another flow.
 */
struct prot_spdm_mctp_ops {
	void (*done)(void *ctx, struct prot_spdm_mctp *sm, uint8_t eid,
		     int result);
};

/** Counters, one per event; each received type-5 message counts once in
 * rx_requests, rx_responses or one drop_* counter. */
struct prot_spdm_mctp_counters {
	uint32_t rx_requests;     /* handed to the responder */
	uint32_t tx_responses;    /* responses sent */
	uint32_t rx_responses;    /* handed to the requester */
	uint32_t tx_requests;     /* requests sent */
	uint32_t tx_errors;       /* sends that failed (either role) */
	uint32_t timeouts;        /* tag timeouts handed to the requester */
	uint32_t drop_ic;         /* IC bit set */
	uint32_t drop_no_role;    /* a request without responder, or a
				  response without requester */
	uint32_t drop_unexpected; /* response not for the request in
				     flight (wrong peer or tag, none) */
	uint32_t drop_responder;  /* the responder wrote no response */
};

/** One instance; caller-owned, fields private. */
struct prot_spdm_mctp {
	struct mctp *mctp;
	struct spdm_responder *responder;
	struct spdm_requester *requester;
	const struct prot_spdm_mctp_ops *ops;
	void *ctx;
	bool running;   /* a requester flow is being driven */
	bool in_flight; /* a request of the flow awaits its response */
	uint8_t peer_eid;
	uint8_t tag;
	int result; /* of the last flow that ended */
	struct prot_spdm_mctp_counters counters;
	uint8_t buf[PROT_SPDM_MCTP_BUF_SIZE];
};

/**
 * Set up @sm on @mctp and register it as the handler for message type
 * 0x05 (MCTP_MSG_TYPE_SPDM). @responder and @requester are initialised
 * libspdm-lite instances, either may be NULL (not both); they, @mctp and
 * @ops must outlive @sm. @ops (and its done op) may be NULL: then watch
 * prot_spdm_mctp_busy(). Returns 0, -EINVAL (NULL @sm or @mctp, no role)
 * or the error of mctp_register_handler() (-ENOSPC).
 */
int prot_spdm_mctp_init(struct prot_spdm_mctp *sm, struct mctp *mctp,
			struct spdm_responder *responder,
			struct spdm_requester *requester,
			const struct prot_spdm_mctp_ops *ops, void *ctx);

/**
 * Drive the flow already started on the requester (spdm_requester_connect()
 * or any later flow) against @eid: send its first request now.
 * Returns 0 when the request is on its way (the end comes through
 * ops->done), or, with no callback, a negative errno: -EINVAL (NULL @sm,
 * no requester, a reserved or broadcast @eid, no flow started on the
 * requester), -EBUSY (a flow is already being driven), or the transmit
 * error (mctp_request_tx(): -ENETUNREACH, -EBUSY for no tag, the
 * binding's error) after the requester's retries, the flow then being
 * over. A send that fails later in the flow is retried the same way and
 * reported through ops->done.
 */
int prot_spdm_mctp_start(struct prot_spdm_mctp *sm, uint8_t eid);

/**
 * spdm_requester_connect() (VCA: GET_VERSION, GET_CAPABILITIES,
 * NEGOTIATE_ALGORITHMS), then prot_spdm_mctp_start(). Returns as
 * prot_spdm_mctp_start(), or -EBUSY when the requester already runs a
 * flow.
 */
int prot_spdm_mctp_connect(struct prot_spdm_mctp *sm, uint8_t eid);

/** True while a requester flow is being driven. */
bool prot_spdm_mctp_busy(const struct prot_spdm_mctp *sm);

/** The result of the last flow that ended (0 before any). */
int prot_spdm_mctp_result(const struct prot_spdm_mctp *sm);

/** The counters (valid as long as @sm). */
const struct prot_spdm_mctp_counters *
prot_spdm_mctp_get_counters(const struct prot_spdm_mctp *sm);

#ifdef __cplusplus
}
#endif

#endif /* PROT_SPDM_MCTP_H */
