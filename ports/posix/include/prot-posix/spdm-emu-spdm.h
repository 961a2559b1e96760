/* SPDX-License-Identifier: Apache-2.0 */
/*
 * POSIX port: libspdm-lite's two roles over the spdm-emu socket protocol
 * (prot-posix/spdm-emu.h), so that our requester can attest DMTF's
 * spdm_responder_emu and their spdm_requester_emu can attest our
 * responder. See docs/spdm-emu.md.
 *
 * Transport types: PROT_SPDM_EMU_TRANSPORT_MCTP (the tools' default: a
 * NORMAL payload is the MCTP message type byte, 0x05 for SPDM, then the
 * SPDM message, as in DSP0275 without the packet header) and
 * PROT_SPDM_EMU_TRANSPORT_NONE (the payload is the bare SPDM message; the
 * tools' NONE transport has no secured messages and spdm_requester_emu
 * sends no TEST with it). PCI_DOE is not supported.
 *
 * Secured messages (MCTP type 0x06, DSP0277) are not supported yet:
 * sessions come with a later issue. They are treated as spdm_responder_emu
 * treats a secured message it cannot decode (an unknown session): no
 * answer, and the connection is ended; the server goes on with the next
 * requester.
 *
 * Nothing allocates: both structs are caller-owned and carry their
 * buffers. The functions block (poll) with the caller's timeouts; no call
 * waits forever unless given a negative timeout.
 */
#ifndef PROT_POSIX_SPDM_EMU_SPDM_H
#define PROT_POSIX_SPDM_EMU_SPDM_H

#include <stddef.h>
#include <stdint.h>

#include "prot-posix/spdm-emu.h"
#include "spdm/requester.h"
#include "spdm/responder.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The TEST payload spdm_requester_emu sends first (NUL included). */
#define PROT_SPDM_EMU_CLIENT_HELLO "Client Hello!"

/*
 * Responder side.
 */

/** Counters of a responder (one per event). */
struct prot_spdm_emu_responder_counters {
	uint32_t requests;      /* SPDM requests answered */
	uint32_t drop_secured;  /* MCTP type 0x06: connection ended */
	uint32_t drop_bad_type; /* empty payload, other MCTP type: ended */
};

/** A responder on spdm-emu connections; caller-owned, fields private. */
struct prot_spdm_emu_responder {
	struct prot_spdm_emu_server srv;
	struct spdm_responder *responder;
	struct prot_spdm_emu_responder_counters counters;
};

/**
 * Set up @er to answer NORMAL messages of @transport_type
 * (PROT_SPDM_EMU_TRANSPORT_MCTP or _NONE) with @responder, an initialised
 * libspdm-lite responder that must outlive @er. @io_timeout_ms is the
 * server's (prot_spdm_emu_server_init(); 0: PROT_SPDM_EMU_IO_TIMEOUT_MS).
 *
 * A NORMAL payload is handled so:
 * - MCTP: [0x05][request] -> spdm_responder_handle() -> [0x05][response]
 *   (always a response: an SPDM ERROR for what the responder cannot
 *   answer); [0x06]... (secured) and any other type byte or an empty
 *   payload: no answer, the connection ends (-EOPNOTSUPP);
 * - NONE: [request] -> [response]; an empty payload ends the connection.
 * TEST, CONTINUE, SHUTDOWN and unknown commands are answered by the
 * spdm-emu server (prot_spdm_emu_server_handle()).
 *
 * Returns 0, or -EINVAL (NULL @er or @responder, another transport).
 */
int prot_spdm_emu_responder_init(struct prot_spdm_emu_responder *er,
				 struct spdm_responder *responder,
				 uint32_t transport_type, int io_timeout_ms);

/**
 * Serve one connected requester on @fd until it asks for CONTINUE or
 * SHUTDOWN, closes, goes quiet for @timeout_ms (negative: forever) or
 * breaks the protocol. The SPDM state is kept in the responder either
 * way. @fd is not closed.
 *
 * Returns PROT_SPDM_EMU_SERVE_CLOSE (CONTINUE answered),
 * PROT_SPDM_EMU_SERVE_SHUTDOWN (SHUTDOWN answered), or a negative errno
 * from prot_spdm_emu_server_handle(): -ECONNRESET (the requester closed),
 * -ETIMEDOUT, -EOPNOTSUPP (a secured or non-SPDM message), -EPROTO
 * (another transport type), -EMSGSIZE, a send error.
 */
int prot_spdm_emu_responder_serve(struct prot_spdm_emu_responder *er, int fd,
				  int timeout_ms);

/**
 * Serve requesters on @listen_fd one connection at a time, as
 * spdm_responder_emu does, until one asks for SHUTDOWN
 * (prot_spdm_emu_server_run()). Returns 0 after SHUTDOWN, -ETIMEDOUT when
 * no requester came within @timeout_ms, or a negative errno from accept.
 */
int prot_spdm_emu_responder_run(struct prot_spdm_emu_responder *er,
				int listen_fd, int timeout_ms);

/** The counters of @er (valid as long as @er). */
const struct prot_spdm_emu_responder_counters *
prot_spdm_emu_responder_get_counters(const struct prot_spdm_emu_responder *er);

/*
 * Requester side.
 */

/* How long to wait for each response when timeout_ms is 0. */
#define PROT_SPDM_EMU_RESPONSE_TIMEOUT_MS 5000

/** Counters of a requester link (one per event). */
struct prot_spdm_emu_requester_counters {
	uint32_t tx_requests;  /* NORMAL messages sent (resends included) */
	uint32_t rx_responses; /* responses handed to the requester */
	uint32_t timeouts;     /* no response in time */
	uint32_t drop_stale;   /* NORMAL found queued before a request */
	uint32_t drop_bad;     /* response not [0x05][SPDM] (MCTP), empty,
				  or larger than the buffer */
};

/**
 * A requester link: caller-owned, set up by
 * prot_spdm_emu_requester_init(); the fields are private.
 */
struct prot_spdm_emu_requester {
	int fd;
	uint32_t transport_type;
	int timeout_ms;
	int io_error; /* transport error that ended the last flow, or 0 */
	struct prot_spdm_emu_requester_counters counters;
	uint8_t buf[PROT_SPDM_EMU_PAYLOAD_MAX];
};

/**
 * Set up @c on the connected socket @fd (prot_spdm_emu_connect(); @c
 * does not own it) for @transport_type (PROT_SPDM_EMU_TRANSPORT_MCTP or
 * _NONE). @timeout_ms bounds each send and the wait for each response (0:
 * PROT_SPDM_EMU_RESPONSE_TIMEOUT_MS; negative: forever). Returns 0 or
 * -EINVAL (NULL @c, negative @fd, another transport).
 */
int prot_spdm_emu_requester_init(struct prot_spdm_emu_requester *c, int fd,
				 uint32_t transport_type, int timeout_ms);

/**
 * Open the session as spdm_requester_emu does: with MCTP, send TEST with
 * PROT_SPDM_EMU_CLIENT_HELLO and wait for the TEST answer (its content is
 * not checked); with NONE, nothing. Returns 0, -EPROTO (the answer is not
 * TEST of our transport type), or a transport error (-ECONNRESET,
 * -ETIMEDOUT, -EPIPE, ...).
 */
int prot_spdm_emu_requester_hello(struct prot_spdm_emu_requester *c);

/**
 * Drive the flow already started on @q (spdm_requester_connect() or any
 * later flow) to its end: each request from spdm_requester_next() goes
 * out as a NORMAL message ([0x05][request] with MCTP); the NORMAL answer
 * is fed to spdm_requester_rx(); while that returns -EAGAIN the next
 * request follows. No answer within the timeout is
 * spdm_requester_timeout() (the request is sent again within the
 * requester's retry limit). An answer that is not an SPDM message of our
 * transport (wrong type byte, empty, too large) is dropped and handled
 * as a lost response at once. Before each request, NORMAL messages
 * already waiting (late answers to an earlier, timed-out request) are
 * dropped, so that an answer is never matched with the wrong request.
 * A ResponseNotReady is answered with RESPOND_IF_READY at once (the
 * responder's RDT wait is not applied). Blocks until the flow ends.
 *
 * Returns the flow's result: 0 (complete: read the outcome from @q), an
 * error of spdm_requester_rx() or spdm_requester_timeout() (-EPROTO,
 * -EBUSY, -EBADMSG, -ENOTSUP, -EPERM, -ETIMEDOUT...), or a transport error
 * that ended it: the connection is then unusable, the flow has been
 * ended on @q (spdm_requester_connect() may start again on a new
 * connection) and prot_spdm_emu_requester_io_error() gives the same
 * value: -ECONNRESET (the responder closed), -EPIPE, -EPROTO (a message
 * other than NORMAL of our transport type), or another send/receive
 * error. -EINVAL: NULL, or no flow running on @q.
 */
int prot_spdm_emu_requester_run(struct prot_spdm_emu_requester *c,
				struct spdm_requester *q);

/** The transport error that ended the last run(), or 0 when the last run
 * ended for an SPDM reason (or completed). */
int prot_spdm_emu_requester_io_error(const struct prot_spdm_emu_requester *c);

/**
 * End the session: send @command (PROT_SPDM_EMU_CMD_SHUTDOWN, which
 * stops spdm_responder_emu, or PROT_SPDM_EMU_CMD_CONTINUE, which keeps
 * it and its SPDM state for the next connection) and wait for the same
 * command back. Stale NORMAL messages are skipped. The caller closes the
 * fd afterwards. Returns 0, -EINVAL (another command), -EPROTO (another
 * answer), or a transport error.
 */
int prot_spdm_emu_requester_end(struct prot_spdm_emu_requester *c,
				uint32_t command);

/** The counters of @c (valid as long as @c). */
const struct prot_spdm_emu_requester_counters *
prot_spdm_emu_requester_get_counters(const struct prot_spdm_emu_requester *c);

#ifdef __cplusplus
}
#endif

#endif /* PROT_POSIX_SPDM_EMU_SPDM_H */
