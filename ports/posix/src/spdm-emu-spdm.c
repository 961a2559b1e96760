/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libspdm-lite's roles over the spdm-emu socket protocol. The framing,
 * the connections and the command semantics are spdm-emu.c's; this file
 * only adds the transport byte and drives the SPDM cores.
 */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <poll.h>

#include "prot-posix/spdm-emu-spdm.h"

/* Bounds the loop that ends a flow after a transport error: each round
 * uses one of the requester's retries, of which there are only a few. */
#define SPDM_EMU_END_FLOW_ROUNDS 16u

static bool spdm_emu_transport_ok(uint32_t transport_type)
{
	return transport_type == PROT_SPDM_EMU_TRANSPORT_MCTP ||
	       transport_type == PROT_SPDM_EMU_TRANSPORT_NONE;
}

/* Bytes before the SPDM message in a NORMAL payload. */
static size_t spdm_emu_prefix(uint32_t transport_type)
{
	return transport_type == PROT_SPDM_EMU_TRANSPORT_MCTP ? 1u : 0u;
}

/* ---- responder ---- */

static int spdm_emu_rsp_normal(void *ctx, uint32_t transport_type,
			       const uint8_t *req, size_t req_len, uint8_t *rsp,
			       size_t *rsp_len)
{
	struct prot_spdm_emu_responder *er = ctx;
	size_t off = spdm_emu_prefix(transport_type);
	size_t cap;
	int rc;

	if (req_len <= off) {
		er->counters.drop_bad_type++;
		return -EOPNOTSUPP;
	}
	if (off && req[0] != PROT_SPDM_EMU_MCTP_TYPE_SPDM) {
		/* spdm_responder_emu cannot decode a secured message of a
		 * session it does not have: it sends nothing and drops the
		 * connection. We have no sessions at all yet. */
		if (req[0] == PROT_SPDM_EMU_MCTP_TYPE_SECURED_SPDM)
			er->counters.drop_secured++;
		else
			er->counters.drop_bad_type++;
		return -EOPNOTSUPP;
	}
	if (*rsp_len <= off)
		return -EINVAL;
	cap = *rsp_len - off;
	rc = spdm_responder_handle(er->responder, req + off, req_len - off,
				   rsp + off, &cap);
	if (rc)
		return rc;
	if (off)
		rsp[0] = PROT_SPDM_EMU_MCTP_TYPE_SPDM;
	*rsp_len = off + cap;
	er->counters.requests++;
	return 0;
}

static const struct prot_spdm_emu_server_ops spdm_emu_rsp_ops = {
	.normal = spdm_emu_rsp_normal,
};

int prot_spdm_emu_responder_init(struct prot_spdm_emu_responder *er,
				 struct spdm_responder *responder,
				 uint32_t transport_type, int io_timeout_ms)
{
	if (!er || !responder || !spdm_emu_transport_ok(transport_type))
		return -EINVAL;
	memset(&er->counters, 0, sizeof(er->counters));
	er->responder = responder;
	return prot_spdm_emu_server_init(&er->srv, &spdm_emu_rsp_ops, er,
					 transport_type, io_timeout_ms);
}

int prot_spdm_emu_responder_serve(struct prot_spdm_emu_responder *er, int fd,
				  int timeout_ms)
{
	int rc;

	if (!er)
		return -EINVAL;
	do {
		rc = prot_spdm_emu_server_handle(&er->srv, fd, timeout_ms);
	} while (rc == PROT_SPDM_EMU_SERVE_MORE);
	return rc;
}

int prot_spdm_emu_responder_run(struct prot_spdm_emu_responder *er,
				int listen_fd, int timeout_ms)
{
	if (!er)
		return -EINVAL;
	return prot_spdm_emu_server_run(&er->srv, listen_fd, timeout_ms);
}

const struct prot_spdm_emu_responder_counters *
prot_spdm_emu_responder_get_counters(const struct prot_spdm_emu_responder *er)
{
	return er ? &er->counters : NULL;
}

/* ---- requester ---- */

int prot_spdm_emu_requester_init(struct prot_spdm_emu_requester *c, int fd,
				 uint32_t transport_type, int timeout_ms)
{
	if (!c || fd < 0 || !spdm_emu_transport_ok(transport_type))
		return -EINVAL;
	memset(c, 0, sizeof(*c));
	c->fd = fd;
	c->transport_type = transport_type;
	c->timeout_ms = timeout_ms ? timeout_ms
				   : PROT_SPDM_EMU_RESPONSE_TIMEOUT_MS;
	return 0;
}

/*
 * Receive one message that must be of our transport type. Returns 0,
 * -EPROTO for another transport type, or the error of
 * prot_spdm_emu_recv().
 */
static int spdm_emu_req_recv(struct prot_spdm_emu_requester *c,
			     struct prot_spdm_emu_header *hdr, size_t *len,
			     int timeout_ms)
{
	int rc;

	*len = sizeof(c->buf);
	rc = prot_spdm_emu_recv(c->fd, hdr, c->buf, len, timeout_ms);
	if (rc)
		return rc;
	return hdr->transport_type == c->transport_type ? 0 : -EPROTO;
}

/* Something is waiting to be read (or the peer has gone). */
static bool spdm_emu_readable(int fd)
{
	struct pollfd p = {.fd = fd, .events = POLLIN};

	return poll(&p, 1, 0) > 0;
}

/*
 * Drop the NORMAL messages that arrived while no request was in flight:
 * late answers to a request we already gave up on. Once a message has
 * begun to arrive, the rest of it gets the usual timeout. Returns 0 or a
 * transport error (-EPROTO for anything but NORMAL).
 */
static int spdm_emu_req_drain(struct prot_spdm_emu_requester *c)
{
	struct prot_spdm_emu_header hdr;
	size_t len;
	int rc;

	while (spdm_emu_readable(c->fd)) {
		rc = spdm_emu_req_recv(c, &hdr, &len, c->timeout_ms);
		if (rc)
			return rc;
		if (hdr.command != PROT_SPDM_EMU_CMD_NORMAL)
			return -EPROTO;
		c->counters.drop_stale++;
	}
	return 0;
}

int prot_spdm_emu_requester_hello(struct prot_spdm_emu_requester *c)
{
	static const char hello[] = PROT_SPDM_EMU_CLIENT_HELLO;
	struct prot_spdm_emu_header hdr;
	size_t len;
	int rc;

	if (!c)
		return -EINVAL;
	if (c->transport_type == PROT_SPDM_EMU_TRANSPORT_NONE)
		return 0;
	rc = prot_spdm_emu_send(c->fd, PROT_SPDM_EMU_CMD_TEST,
				c->transport_type, (const uint8_t *)hello,
				sizeof(hello), c->timeout_ms);
	if (rc)
		return rc;
	rc = spdm_emu_req_recv(c, &hdr, &len, c->timeout_ms);
	if (rc)
		return rc;
	return hdr.command == PROT_SPDM_EMU_CMD_TEST ? 0 : -EPROTO;
}

/*
 * The connection failed with @err while the request of @q was in flight:
 * end the flow on @q so that it can be connected again. The requester has
 * no abort call; its timeout path ends the flow once the retries are
 * used up, so give it timeouts (and take the resends it asks for, which
 * go nowhere) until it does.
 */
static int spdm_emu_req_fail(struct prot_spdm_emu_requester *c,
			     struct spdm_requester *q, int err)
{
	unsigned int i;

	for (i = 0; i < SPDM_EMU_END_FLOW_ROUNDS; i++) {
		size_t len = sizeof(c->buf);

		if (spdm_requester_timeout(q) != -EAGAIN)
			break;
		if (spdm_requester_next(q, c->buf, &len))
			break;
	}
	c->io_error = err;
	return err;
}

/*
 * Wait for the answer to the request just sent. Returns 0 with the SPDM
 * message at *@msg (*@msg_len bytes), -ETIMEDOUT when none came, -EAGAIN
 * when the answer was not an SPDM message (dropped), or a transport
 * error.
 */
static int spdm_emu_req_await(struct prot_spdm_emu_requester *c,
			      const uint8_t **msg, size_t *msg_len)
{
	size_t off = spdm_emu_prefix(c->transport_type);
	struct prot_spdm_emu_header hdr;
	size_t len;
	int rc;

	rc = spdm_emu_req_recv(c, &hdr, &len, c->timeout_ms);
	if (rc)
		return rc;
	if (hdr.command != PROT_SPDM_EMU_CMD_NORMAL)
		return -EPROTO;
	if (len <= off || (off && c->buf[0] != PROT_SPDM_EMU_MCTP_TYPE_SPDM)) {
		c->counters.drop_bad++;
		return -EAGAIN;
	}
	*msg = c->buf + off;
	*msg_len = len - off;
	return 0;
}

int prot_spdm_emu_requester_run(struct prot_spdm_emu_requester *c,
				struct spdm_requester *q)
{
	size_t off;
	int rc, step;

	if (!c || !q)
		return -EINVAL;
	c->io_error = 0;
	off = spdm_emu_prefix(c->transport_type);
	for (;;) {
		const uint8_t *msg = NULL;
		size_t len = sizeof(c->buf) - off;
		size_t msg_len = 0;

		/* Before the request is built: the drain uses c->buf. */
		rc = spdm_emu_req_drain(c);
		if (rc) {
			/* Put the request in flight, so that the flow can
			 * be ended the usual way. */
			if (spdm_requester_next(q, c->buf, &len)) {
				c->io_error = rc;
				return rc;
			}
			return spdm_emu_req_fail(c, q, rc);
		}
		rc = spdm_requester_next(q, c->buf + off, &len);
		if (rc)
			return rc;
		if (off)
			c->buf[0] = PROT_SPDM_EMU_MCTP_TYPE_SPDM;
		rc = prot_spdm_emu_send(c->fd, PROT_SPDM_EMU_CMD_NORMAL,
					c->transport_type, c->buf, off + len,
					c->timeout_ms);
		if (rc)
			return spdm_emu_req_fail(c, q, rc);
		c->counters.tx_requests++;

		rc = spdm_emu_req_await(c, &msg, &msg_len);
		if (!rc) {
			c->counters.rx_responses++;
			step = spdm_requester_rx(q, msg, msg_len);
		} else if (rc == -ETIMEDOUT || rc == -EAGAIN) {
			/* A stalled message has shut the socket down: the
			 * resend then fails and ends the flow. */
			if (rc == -ETIMEDOUT)
				c->counters.timeouts++;
			step = spdm_requester_timeout(q);
		} else {
			return spdm_emu_req_fail(c, q, rc);
		}
		if (step != -EAGAIN)
			return step;
	}
}

int prot_spdm_emu_requester_io_error(const struct prot_spdm_emu_requester *c)
{
	return c ? c->io_error : -EINVAL;
}

int prot_spdm_emu_requester_end(struct prot_spdm_emu_requester *c,
				uint32_t command)
{
	struct prot_spdm_emu_header hdr;
	size_t len;
	int rc;

	if (!c || (command != PROT_SPDM_EMU_CMD_SHUTDOWN &&
		   command != PROT_SPDM_EMU_CMD_CONTINUE))
		return -EINVAL;
	rc = prot_spdm_emu_send(c->fd, command, c->transport_type, NULL, 0,
				c->timeout_ms);
	if (rc)
		return rc;
	for (;;) {
		rc = spdm_emu_req_recv(c, &hdr, &len, c->timeout_ms);
		if (rc)
			return rc;
		if (hdr.command == command)
			return 0;
		if (hdr.command != PROT_SPDM_EMU_CMD_NORMAL)
			return -EPROTO;
		c->counters.drop_stale++;
	}
}

const struct prot_spdm_emu_requester_counters *
prot_spdm_emu_requester_get_counters(const struct prot_spdm_emu_requester *c)
{
	return c ? &c->counters : NULL;
}
