/* SPDX-License-Identifier: Apache-2.0 */
/*
 * POSIX port: the socket protocol of DMTF's spdm-emu tools
 * (spdm_requester_emu, spdm_responder_emu), so that our SPDM requester
 * and responder can be run against theirs. Framing and connections only:
 * nothing here parses SPDM.
 *
 * One TCP stream (by default port 2323) carries messages in both
 * directions. Each message is a 12-byte header of three big-endian 32-bit
 * fields, command, transport type and payload size, followed by that many
 * payload bytes. See docs/spdm-emu.md for the whole protocol.
 *
 * The functions work on any connected stream socket (TCP, or a
 * socketpair() in tests). Every wait is bounded by a caller's timeout in
 * milliseconds (negative: forever). Nothing allocates: payloads go to and
 * from caller buffers, and the server keeps its two buffers inside its
 * caller-owned struct.
 *
 * Framing errors: when a message cannot be completed (the peer stalled
 * mid-message past the timeout, or announced a payload larger than
 * PROT_SPDM_EMU_PAYLOAD_MAX), the stream can no longer be parsed. The
 * port then shuts the socket down (shutdown(2), both directions): the
 * peer sees the connection end, later calls on it fail, and the caller
 * still owns and closes the fd.
 */
#ifndef PROT_POSIX_SPDM_EMU_H
#define PROT_POSIX_SPDM_EMU_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The TCP port spdm_responder_emu listens on. */
#define PROT_SPDM_EMU_PORT 2323u

/* Command, transport type, payload size: three big-endian u32. */
#define PROT_SPDM_EMU_HEADER_SIZE 12u

/*
 * Largest payload sent or accepted. It is the receive buffer of the
 * spdm-emu tools in their default build (0x1200 bytes of SPDM message
 * plus 64 + 64 bytes of transport header and tail room), so anything
 * larger would be refused by them too.
 */
#define PROT_SPDM_EMU_PAYLOAD_MAX 0x1280u

/* Commands (the first header field). */
#define PROT_SPDM_EMU_CMD_NORMAL 0x0001u /* payload: one transport message */
/* Out-of-band triggers an SPDM 1.3 requester may send to ask the
 * responder to start an encapsulated KEY_UPDATE or GET_ENDPOINT_INFO. */
#define PROT_SPDM_EMU_CMD_OOB_ENCAP_KEY_UPDATE 0x8001u
#define PROT_SPDM_EMU_CMD_OOB_ENCAP_ENDPOINT_INFO 0x8002u
#define PROT_SPDM_EMU_CMD_TEST 0xDEADu     /* liveness check, echoed */
#define PROT_SPDM_EMU_CMD_CONTINUE 0xFFFDu /* end connection, keep state */
#define PROT_SPDM_EMU_CMD_SHUTDOWN 0xFFFEu /* end connection and server */
#define PROT_SPDM_EMU_CMD_UNKNOWN 0xFFFFu  /* answer to an unknown command */

/* Transport types (the second header field). */
#define PROT_SPDM_EMU_TRANSPORT_NONE 0x00u    /* payload: the SPDM message */
#define PROT_SPDM_EMU_TRANSPORT_MCTP 0x01u    /* payload: type byte + msg */
#define PROT_SPDM_EMU_TRANSPORT_PCI_DOE 0x02u /* payload: DOE object */

/*
 * With PROT_SPDM_EMU_TRANSPORT_MCTP a NORMAL payload is one MCTP message
 * type byte followed by the message; there is no MCTP packet header.
 */
#define PROT_SPDM_EMU_MCTP_TYPE_SPDM 0x05u
#define PROT_SPDM_EMU_MCTP_TYPE_SECURED_SPDM 0x06u

/**
 * One message header, in host byte order.
 * @command: PROT_SPDM_EMU_CMD_* (any value may arrive).
 * @transport_type: PROT_SPDM_EMU_TRANSPORT_*.
 * @payload_size: number of payload bytes that follow the header.
 */
struct prot_spdm_emu_header {
	uint32_t command;
	uint32_t transport_type;
	uint32_t payload_size;
};

/** Write @hdr as the 12 wire bytes at @out. Never fails. */
void prot_spdm_emu_header_encode(const struct prot_spdm_emu_header *hdr,
				 uint8_t out[PROT_SPDM_EMU_HEADER_SIZE]);

/** Read the 12 wire bytes at @in into @hdr. Any value is accepted. */
void prot_spdm_emu_header_decode(const uint8_t in[PROT_SPDM_EMU_HEADER_SIZE],
				 struct prot_spdm_emu_header *hdr);

/**
 * Create a listening TCP socket on @addr (a numeric IPv4 or IPv6
 * address; NULL: 127.0.0.1, so that nothing outside the host can reach an
 * emulated device by accident) and @port (0: the kernel picks a free
 * port, see prot_spdm_emu_local_port()). SO_REUSEADDR is set so that a
 * restarted responder can bind again at once. Returns the fd
 * (close-on-exec), -EINVAL for an address that is not numeric, or
 * another negative errno (-EADDRINUSE...).
 */
int prot_spdm_emu_listen(const char *addr, uint16_t port);

/**
 * The local port of the socket @fd (a listening socket bound to port 0,
 * typically). Returns the port (1 to 65535) or a negative errno.
 */
int prot_spdm_emu_local_port(int fd);

/**
 * Wait up to @timeout_ms (negative: forever) for a requester on
 * @listen_fd. Returns the connected fd (non-blocking, close-on-exec,
 * TCP_NODELAY), -ETIMEDOUT, or a negative errno.
 */
int prot_spdm_emu_accept(int listen_fd, int timeout_ms);

/**
 * Connect to a responder at @addr (numeric IPv4 or IPv6; NULL:
 * 127.0.0.1) and @port (0: PROT_SPDM_EMU_PORT), waiting up to
 * @timeout_ms (negative: forever). Returns the connected fd
 * (non-blocking, close-on-exec, TCP_NODELAY) or a negative errno:
 * -ECONNREFUSED when nobody listens (yet), so a caller may retry;
 * -ETIMEDOUT; -EINVAL for an address that is not numeric.
 */
int prot_spdm_emu_connect(const char *addr, uint16_t port, int timeout_ms);

/**
 * Send one message: the header built from @command, @transport_type and
 * @payload_len, then @payload_len bytes of @payload (may be NULL when
 * @payload_len is 0). Partial writes and EINTR are handled; the whole
 * message must leave within @timeout_ms (negative: forever). No SIGPIPE
 * is raised.
 *
 * Returns 0, or:
 * -EMSGSIZE   @payload_len > PROT_SPDM_EMU_PAYLOAD_MAX (nothing sent);
 * -EINVAL     @payload NULL with a non-zero length;
 * -ETIMEDOUT  the peer did not take the message in time; when part of it
 *             had been written, the socket is shut down (framing lost);
 * -EPIPE      the peer has closed (-ECONNRESET: it reset the TCP
 *             connection); or another negative errno.
 */
int prot_spdm_emu_send(int fd, uint32_t command, uint32_t transport_type,
		       const uint8_t *payload, size_t payload_len,
		       int timeout_ms);

/**
 * Receive one message: its header into @hdr and its payload into
 * @payload, whose capacity is *@payload_len on entry; on success
 * *@payload_len is the payload size. Partial reads and EINTR are
 * handled; the whole message must arrive within @timeout_ms (negative:
 * forever; 0: only what is already there).
 *
 * Returns 0, or:
 * -ETIMEDOUT   no complete message in time. When none of it had arrived
 *              nothing was consumed and the call may be repeated; when
 *              part had, the socket is shut down (framing lost).
 * -ECONNRESET  the peer closed the connection (between messages or in
 *              the middle of one) or reset it.
 * -EMSGSIZE    the payload is larger than *@payload_len; @hdr is filled
 *              in. Up to PROT_SPDM_EMU_PAYLOAD_MAX the payload is read
 *              and discarded, and the connection stays usable; a larger
 *              announced size is not read: the socket is shut down.
 * -EINVAL      a NULL argument; or another negative errno.
 */
int prot_spdm_emu_recv(int fd, struct prot_spdm_emu_header *hdr,
		       uint8_t *payload, size_t *payload_len, int timeout_ms);

/*
 * Responder side: the command semantics of spdm_responder_emu, with the
 * SPDM work left to a callback.
 */

/**
 * Operations of a server.
 * @normal: (mandatory) handle the payload @req (@req_len bytes) of a
 *     NORMAL message that arrived with @transport_type (the server's own,
 *     see prot_spdm_emu_server_init()). Write the response payload to
 *     @rsp: *@rsp_len is its capacity (PROT_SPDM_EMU_PAYLOAD_MAX) on
 *     entry and must be set to the response length. Both buffers belong
 *     to the server and are valid only during the call. Return 0 to send
 *     the response as a NORMAL message, or a negative errno to send
 *     nothing and end the connection (prot_spdm_emu_server_handle()
 *     returns that errno).
 */
struct prot_spdm_emu_server_ops {
	int (*normal)(void *ctx, uint32_t transport_type, const uint8_t *req,
		      size_t req_len, uint8_t *rsp, size_t *rsp_len);
};

/**
 * A server: caller-owned (about 9.5 KiB, the two payload buffers), set up
 * by prot_spdm_emu_server_init(); the fields are private.
 */
struct prot_spdm_emu_server {
	const struct prot_spdm_emu_server_ops *ops;
	void *ctx;
	uint32_t transport_type;
	int io_timeout_ms;
	uint8_t req[PROT_SPDM_EMU_PAYLOAD_MAX];
	uint8_t rsp[PROT_SPDM_EMU_PAYLOAD_MAX];
};

/* What the requester asked for, as returned by the server functions. */
enum prot_spdm_emu_serve {
	/* Message answered: keep serving this connection. */
	PROT_SPDM_EMU_SERVE_MORE = 0,
	/* CONTINUE answered: close this connection and accept the next
	 * one; the SPDM state is kept. */
	PROT_SPDM_EMU_SERVE_CLOSE = 1,
	/* SHUTDOWN answered: close this connection and stop serving. */
	PROT_SPDM_EMU_SERVE_SHUTDOWN = 2,
};

/* How long the server may take to send one answer when io_timeout_ms
 * is 0. */
#define PROT_SPDM_EMU_IO_TIMEOUT_MS 2000

/**
 * Set up @srv to serve messages of @transport_type with @ops and @ctx.
 * @io_timeout_ms bounds the sending of each answer and the arrival of
 * the rest of a message once its first byte is in (0:
 * PROT_SPDM_EMU_IO_TIMEOUT_MS). Returns 0, or -EINVAL when @srv, @ops or
 * @ops->normal is NULL.
 */
int prot_spdm_emu_server_init(struct prot_spdm_emu_server *srv,
			      const struct prot_spdm_emu_server_ops *ops,
			      void *ctx, uint32_t transport_type,
			      int io_timeout_ms);

/**
 * Wait up to @timeout_ms (negative: forever) for one message on the
 * connected socket @fd and answer it as spdm_responder_emu would:
 * - TEST: a TEST message carrying the same payload back;
 * - NORMAL: the payload to ops->normal, its response in a NORMAL message;
 * - CONTINUE, SHUTDOWN: the same command with an empty payload;
 * - any other command (OOB_ENCAP_* included): UNKNOWN, empty payload.
 * Every answer carries the server's transport type.
 *
 * Returns a PROT_SPDM_EMU_SERVE_* value (>= 0), or:
 * -ETIMEDOUT   no message arrived (call again), or one stalled (the
 *              socket is then shut down);
 * -ECONNRESET  the requester closed the connection;
 * -EPROTO      the message had another transport type than the server's
 *              (not answered: a requester set up for another transport);
 * -EMSGSIZE    the payload was larger than PROT_SPDM_EMU_PAYLOAD_MAX;
 * -EINVAL      ops->normal set a response length larger than its buffer;
 * an error from ops->normal, or from sending the answer.
 * On any negative value but -ETIMEDOUT the caller should close @fd.
 */
int prot_spdm_emu_server_handle(struct prot_spdm_emu_server *srv, int fd,
				int timeout_ms);

/**
 * Serve requesters one connection at a time on @listen_fd until one asks
 * for SHUTDOWN, like spdm_responder_emu: a connection ends on CONTINUE,
 * on the requester's close, on an error (see
 * prot_spdm_emu_server_handle()) or after @timeout_ms without a message;
 * then the next requester is accepted. @timeout_ms (negative: forever)
 * also bounds the wait for each new requester.
 *
 * Returns 0 after SHUTDOWN was answered, -ETIMEDOUT when no requester
 * came in time, or a negative errno from accept.
 */
int prot_spdm_emu_server_run(struct prot_spdm_emu_server *srv, int listen_fd,
			     int timeout_ms);

#ifdef __cplusplus
}
#endif

#endif /* PROT_POSIX_SPDM_EMU_H */
