/* SPDX-License-Identifier: Apache-2.0 */
/*
 * PLDM over MCTP (DMTF DSP0241): the glue between libmctp and libpldm-fw.
 * An MCTP message of type 0x01 is the type byte (IC bit clear: DSP0241
 * defines no integrity check) followed by one PLDM message, header first.
 * A PLDM request (Rq set) travels with the MCTP Tag Owner bit set and a
 * tag of the sender's; its response (Rq clear) echoes that tag with Tag
 * Owner clear. In a firmware update both ends send requests: the Update
 * Agent (UA) its commands, the Firmware Device (FD) its own requests
 * (RequestFirmwareData, TransferComplete, ...). Each side here therefore
 * answers requests with mctp_response_tx() and sends its own with
 * mctp_request_tx(); the MCTP core delivers a response only when it
 * matches a tag we own, and the PLDM layers match it to their request by
 * instance ID and command.
 *
 * Device side (struct prot_pldm_mctp_device): a PLDM terminus with an
 * optional base responder (struct pldm_base, PLDM type 0) and an optional
 * FD (struct pldm_fd, type 5), at least one of them. Requests of type 0
 * go to pldm_base_handle(), of type 5 to pldm_fd_handle(); a request of a
 * type not served is answered ERROR_INVALID_PLDM_TYPE by the glue. The
 * answer goes back to the requester's EID with its tag. Responses go to
 * pldm_fd_handle_response(). The FD's own requests (pldm_fd_poll()) go to
 * the UA's EID with a fresh tag:
 *   - learned (default, fixed_ua false): the UA is the source EID of the
 *     last RequestUpdate the FD accepted (completion code SUCCESS); until
 *     then the FD has nothing to send. Any EID may send any request.
 *   - configured (fixed_ua true): the UA is ua_eid, and type-5 requests
 *     from any other EID are dropped (PROT_PLDM_MCTP_* -EACCES); base
 *     requests are served for every EID.
 *
 * Agent side (struct prot_pldm_mctp_agent): drives a struct pldm_ua
 * against the FD at one configured EID: the UA's requests (pldm_ua_poll())
 * go to that EID; every type-5 message from it (responses, and the FD's
 * requests, whose answers go back with the tag echoed) goes to
 * pldm_ua_rx(); type-5 requests from other EIDs are dropped (-EACCES).
 * It also has a small base requester (prot_pldm_mctp_agent_discover():
 * GetTID then GetPLDMTypes) and an optional base responder for the
 * agent's own terminus.
 *
 * Time: each PLDM layer takes now_ms. The glue hands them the time of
 * the last prot_pldm_mctp_*_poll() call: call it with the current time
 * before delivering packets (or at least by the deadline it returns).
 * The poll functions also call mctp_poll() (harmless when the caller does
 * too) and, after every message handled, the glue polls its PLDM layer at
 * once so that a request the message made due leaves without waiting.
 *
 * Refusals, each with its own return from the *_rx() functions and its
 * own counter (the handlers registered with libmctp call them and keep
 * only the counters): a message of another MCTP type (-EPROTOTYPE: not
 * this glue's; only reachable through *_rx() directly), shorter than the
 * type byte and a PLDM header (-EBADMSG), IC bit set (-EPROTO), longer
 * than the configured largest PLDM message (-EMSGSIZE), Tag Owner and Rq
 * disagreeing (-EILSEQ), from an EID not allowed (-EACCES), a request the
 * PLDM layer gave no answer to (-ENOMSG, e.g. an unacknowledged Rq+D
 * request), a response the PLDM layer did not act on (its error:
 * -EALREADY, -ESTALE, -EBADMSG... or -ENOTCONN when no layer takes
 * responses).
 *
 * Buffers: one caller-owned buffer per instance (config buf/buf_size),
 * used for every message sent: the type byte and the largest PLDM message,
 * see the PROT_PLDM_MCTP_*_BUF_SIZE macros. Nothing is allocated; the
 * glue never blocks. It is not reentrant: call it from one thread and use
 * a binding that does not deliver packets back into the same stack from
 * inside its tx op.
 */
#ifndef PROT_PLDM_MCTP_H
#define PROT_PLDM_MCTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mctp/mctp.h"
#include "pldm/base.h"
#include "pldm/fw-agent.h"
#include "pldm/fw-device.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The type byte plus a PLDM header: the shortest message accepted. */
#define PROT_PLDM_MCTP_MIN_MSG (1u + PLDM_HDR_LEN)

/* Smallest buffer the device side accepts: the type byte and the largest
 * fixed-size answer of the base responder. GetFirmwareParameters needs
 * more (its component table with version strings: the FD answers ERROR
 * when it does not fit): size it for the device's table. */
#define PROT_PLDM_MCTP_DEVICE_BUF_MIN (1u + PLDM_BASE_RSP_MIN_CAPACITY)

/* Smallest buffer the agent side accepts: the type byte and the UA's
 * largest request. */
#define PROT_PLDM_MCTP_AGENT_BUF_MIN (1u + PLDM_UA_REQ_MAX_LEN)

/* An agent buffer for the UA's MaximumTransferSize @max_transfer: its
 * requests, and its answers to RequestFirmwareData (header, completion
 * code, data) and GetPackageData/GetMetaData (header, completion code,
 * next handle, transfer flag, data). */
#define PROT_PLDM_MCTP_AGENT_BUF_SIZE(max_transfer)                            \
	(1u + ((PLDM_HDR_LEN + 6u + (max_transfer)) > PLDM_UA_REQ_MAX_LEN      \
		       ? (PLDM_HDR_LEN + 6u + (max_transfer))                  \
		       : PLDM_UA_REQ_MAX_LEN))

/**
 * Counters. Each message given to *_rx() (by libmctp or directly) counts
 * exactly once: in rx_requests, rx_responses or one drop_* counter.
 */
struct prot_pldm_mctp_counters {
	uint32_t rx_requests;  /* requests answered (sent or not: tx_*) */
	uint32_t rx_responses; /* responses the PLDM layer acted on */
	uint32_t tx_requests;  /* our requests sent */
	uint32_t tx_responses; /* answers sent */
	uint32_t tx_errors;    /* sends that failed (the PLDM layers retry) */
	uint32_t tag_timeouts; /* MCTP tag timeouts of our requests */
	uint32_t unsupported_type; /* requests answered INVALID_PLDM_TYPE by
				      the glue (also in rx_requests) */
	uint32_t drop_type;        /* not MCTP type 0x01 */
	uint32_t drop_short;       /* no room for a PLDM header */
	uint32_t drop_ic;          /* IC bit set */
	uint32_t drop_oversized;   /* above the configured PLDM message */
	uint32_t drop_mismatch;    /* Tag Owner and Rq disagree */
	uint32_t drop_foreign;     /* type-5 request from an EID not allowed */
	uint32_t drop_unanswered;  /* request the PLDM layer did not answer */
	uint32_t drop_rejected;    /* response the PLDM layer did not take */
};

/* ---- Device side -------------------------------------------------------- */

/** Device configuration; must outlive the instance. */
struct prot_pldm_mctp_device_config {
	/* Initialised libpldm-fw instances; either may be NULL, not both. */
	struct pldm_base *base;
	struct pldm_fd *fd;
	/* The UA: see the file comment (false: learned from RequestUpdate). */
	bool fixed_ua;
	uint8_t ua_eid; /* fixed_ua only: NULL EID 0 or 8..0xFE */
	/* Buffer for the messages sent, at least
	 * PROT_PLDM_MCTP_DEVICE_BUF_MIN; buf_size - 1 is also the largest
	 * PLDM message accepted. */
	uint8_t *buf;
	size_t buf_size;
};

/** Device instance; caller-owned, fields private. */
struct prot_pldm_mctp_device {
	struct mctp *mctp;
	const struct prot_pldm_mctp_device_config *cfg;
	uint32_t now_ms;
	bool ua_known;
	uint8_t ua_eid;
	struct prot_pldm_mctp_counters counters;
};

/**
 * Set up @dev on @mctp and register it as the handler for MCTP message
 * type 0x01. @now_ms is the current time (the PLDM layers' clock). Returns
 * 0, -EINVAL (NULL @dev, @mctp or @cfg, neither base nor FD, no buffer or
 * one below PROT_PLDM_MCTP_DEVICE_BUF_MIN, fixed_ua with a broadcast or
 * reserved ua_eid) or the error of mctp_register_handler() (-ENOSPC).
 */
int prot_pldm_mctp_device_init(struct prot_pldm_mctp_device *dev,
			       struct mctp *mctp,
			       const struct prot_pldm_mctp_device_config *cfg,
			       uint32_t now_ms);

/**
 * One MCTP message for the device (@msg: type byte first, @len bytes,
 * @info as libmctp gives it). The registered handler calls this; tests
 * and fuzzers may too. Returns 0 (a request answered, or a response acted
 * on), the transmit error of the answer (counted in tx_errors), or a
 * refusal listed in the file comment (-EINVAL for NULL pointers).
 */
int prot_pldm_mctp_device_rx(struct prot_pldm_mctp_device *dev,
			     const struct mctp_msg_info *info,
			     const uint8_t *msg, size_t len);

/**
 * Give the device the time: mctp_poll(), then send what pldm_fd_poll()
 * has for the UA. Writes in *@deadline_ms (may be NULL) the time of the
 * next call needed: the earliest of the FD's deadline and the MCTP
 * core's (mctp_next_deadline(): tag expiries, reassembly timeouts). Returns 1 with the deadline set, 0 when nothing
 * is timed, -EINVAL (NULL @dev). Transmit failures are counted (the FD
 * sends again after FD_T2).
 */
int prot_pldm_mctp_device_poll(struct prot_pldm_mctp_device *dev,
			       uint32_t now_ms, uint32_t *deadline_ms);

/**
 * The UA's EID the FD's requests go to: returns 0 with *@eid set, or
 * -ENOENT (learned mode, no RequestUpdate accepted yet), -EINVAL.
 */
int prot_pldm_mctp_device_ua_eid(const struct prot_pldm_mctp_device *dev,
				 uint8_t *eid);

/** The counters (valid as long as @dev). */
const struct prot_pldm_mctp_counters *
prot_pldm_mctp_device_counters(const struct prot_pldm_mctp_device *dev);

/* ---- Agent side --------------------------------------------------------- */

/** Agent configuration; must outlive the instance. */
struct prot_pldm_mctp_agent_config {
	struct pldm_ua *ua;     /* initialised; required */
	struct pldm_base *base; /* optional: our own base responder */
	uint8_t fd_eid;         /* NULL EID 0 or 8..0xFE */
	/* Base requests (discover): wait for an answer before sending again
	 * (0: PLDM_FW_PT1_MS), and retries (taken as is). */
	uint32_t base_timeout_ms;
	uint8_t base_retries;
	/* At least PROT_PLDM_MCTP_AGENT_BUF_MIN; size it with
	 * PROT_PLDM_MCTP_AGENT_BUF_SIZE(max_transfer_size): with less, the
	 * larger RequestFirmwareData answers cannot be written and are not
	 * sent (drop_unanswered).
	 * buf_size - 1 is also the largest PLDM message accepted. */
	uint8_t *buf;
	size_t buf_size;
};

/* Discovery progress (prot_pldm_mctp_agent_discovery()). */
enum prot_pldm_mctp_disc_state {
	PROT_PLDM_MCTP_DISC_IDLE = 0,
	PROT_PLDM_MCTP_DISC_GET_TID,
	PROT_PLDM_MCTP_DISC_GET_TYPES,
	PROT_PLDM_MCTP_DISC_DONE,
};

/** Agent instance; caller-owned, fields private. */
struct prot_pldm_mctp_agent {
	struct mctp *mctp;
	const struct prot_pldm_mctp_agent_config *cfg;
	uint32_t now_ms;
	/* discovery */
	uint8_t disc_state;
	uint8_t disc_iid;
	uint8_t disc_tries;
	bool disc_pending; /* request to send at the next poll */
	uint32_t disc_sent_ms;
	int disc_result;
	uint8_t tid;
	uint8_t types[8];
	struct prot_pldm_mctp_counters counters;
};

/**
 * Set up @ag on @mctp and register it as the handler for MCTP message
 * type 0x01. Returns 0, -EINVAL (NULL pointer, no UA, no buffer or one
 * below PROT_PLDM_MCTP_AGENT_BUF_MIN, broadcast or reserved fd_eid) or
 * the error of mctp_register_handler().
 */
int prot_pldm_mctp_agent_init(struct prot_pldm_mctp_agent *ag,
			      struct mctp *mctp,
			      const struct prot_pldm_mctp_agent_config *cfg,
			      uint32_t now_ms);

/** One MCTP message for the agent; as prot_pldm_mctp_device_rx(). */
int prot_pldm_mctp_agent_rx(struct prot_pldm_mctp_agent *ag,
			    const struct mctp_msg_info *info,
			    const uint8_t *msg, size_t len);

/**
 * Give the agent the time: mctp_poll(), base request retries, then send
 * what pldm_ua_poll() has for the FD (start the update with
 * pldm_ua_start() and read its end with pldm_ua_result()). *@deadline_ms
 * (may be NULL): the earliest of the UA's deadline, the base request's
 * and the MCTP core's (mctp_next_deadline()). Returns 1 with the deadline
 * set, 0 when nothing is timed, -EINVAL.
 */
int prot_pldm_mctp_agent_poll(struct prot_pldm_mctp_agent *ag, uint32_t now_ms,
			      uint32_t *deadline_ms);

/**
 * Start discovery of the FD: GetTID, then GetPLDMTypes (type 0 requests,
 * independent of a running update), sent at once. Returns 0, -EINVAL,
 * -EBUSY (discovery running); a send that fails is retried at the next
 * poll after base_timeout_ms.
 */
int prot_pldm_mctp_agent_discover(struct prot_pldm_mctp_agent *ag);

/**
 * The discovery's outcome: 0 with *@tid and @types (8 bytes, bit n % 8 of
 * byte n / 8 for PLDM type n; both optional) set, -EINPROGRESS (running),
 * -ENOENT (never started), or how it failed: -ETIMEDOUT (no answer after
 * the retries), the completion code as pldm_cc_to_errno() maps it, or
 * -EBADMSG (malformed answer).
 */
int prot_pldm_mctp_agent_discovery(const struct prot_pldm_mctp_agent *ag,
				   uint8_t *tid, uint8_t types[8]);

/** The counters (valid as long as @ag). */
const struct prot_pldm_mctp_counters *
prot_pldm_mctp_agent_counters(const struct prot_pldm_mctp_agent *ag);

#ifdef __cplusplus
}
#endif

#endif /* PROT_PLDM_MCTP_H */
