/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The spdm-emu socket protocol: a 12-byte big-endian header and a payload
 * per message, over one stream socket.
 *
 * Every socket call is non-blocking (MSG_DONTWAIT, or a non-blocking fd)
 * and waits go through poll() against a deadline taken at the start of
 * the call, so a signal or a peer that trickles bytes cannot stretch a
 * timeout, and a caller's blocking socketpair behaves like our own fds.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include "prot-posix/clock.h"
#include "prot-posix/spdm-emu.h"

#include "io.h"

/* Read size used to discard an unwanted payload. */
#define SPDM_EMU_DISCARD_CHUNK 256u

/* A point in time on the port's millisecond clock, or none. */
struct spdm_emu_deadline {
	bool forever;
	uint32_t end_ms;
};

static struct spdm_emu_deadline spdm_emu_deadline_in(int timeout_ms)
{
	struct spdm_emu_deadline d = {.forever = timeout_ms < 0};

	if (!d.forever)
		d.end_ms = prot_posix_now_ms() + (uint32_t)timeout_ms;
	return d;
}

/* Milliseconds left for poll(): -1 for no deadline, 0 once it passed.
 * The clock wraps; the difference, read as signed, does not care. */
static int spdm_emu_left_ms(const struct spdm_emu_deadline *d)
{
	int32_t left;

	if (d->forever)
		return -1;
	left = (int32_t)(d->end_ms - prot_posix_now_ms());
	return left > 0 ? (int)left : 0;
}

/*
 * Wait for @events on @fd until the deadline. Returns 0 when the fd is
 * ready (or has an error the next call will report), -ETIMEDOUT, or a
 * negative errno. EINTR only makes it wait again for what is left.
 */
static int spdm_emu_wait(int fd, short events,
			 const struct spdm_emu_deadline *d)
{
	for (;;) {
		int left = spdm_emu_left_ms(d);
		int rc = prot_posix_wait(fd, events, left);

		if (rc < 0)
			return rc;
		if (rc > 0)
			return 0;
		if (!left)
			return -ETIMEDOUT;
	}
}

/* The stream can no longer be parsed: tell the peer and make every later
 * call on it fail, but leave the fd itself to its owner. */
static void spdm_emu_abort(int fd)
{
	(void)shutdown(fd, SHUT_RDWR);
}

/*
 * Read exactly @len bytes into @buf. *@done counts the bytes read so far
 * (also on failure). Returns 0, -ECONNRESET when the peer has closed,
 * -ETIMEDOUT, or a negative errno.
 */
static int spdm_emu_read_all(int fd, uint8_t *buf, size_t len,
			     const struct spdm_emu_deadline *d, size_t *done)
{
	while (*done < len) {
		ssize_t n = recv(fd, buf + *done, len - *done, MSG_DONTWAIT);
		int rc;

		if (n > 0) {
			*done += (size_t)n;
			continue;
		}
		if (!n)
			return -ECONNRESET;
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN && errno != EWOULDBLOCK)
			return errno == EPIPE ? -ECONNRESET : -errno;
		rc = spdm_emu_wait(fd, POLLIN, d);
		if (rc)
			return rc;
	}
	return 0;
}

/* Read and drop @len bytes, so that the next header is found. */
static int spdm_emu_discard(int fd, size_t len,
			    const struct spdm_emu_deadline *d)
{
	uint8_t scratch[SPDM_EMU_DISCARD_CHUNK];

	while (len) {
		size_t chunk = len < sizeof(scratch) ? len : sizeof(scratch);
		size_t done = 0;
		int rc = spdm_emu_read_all(fd, scratch, chunk, d, &done);

		if (rc)
			return rc;
		len -= chunk;
	}
	return 0;
}

void prot_spdm_emu_header_encode(const struct prot_spdm_emu_header *hdr,
				 uint8_t out[PROT_SPDM_EMU_HEADER_SIZE])
{
	const uint32_t field[3] = {hdr->command, hdr->transport_type,
				   hdr->payload_size};

	for (size_t i = 0; i < 3; i++) {
		out[4 * i] = (uint8_t)(field[i] >> 24);
		out[4 * i + 1] = (uint8_t)(field[i] >> 16);
		out[4 * i + 2] = (uint8_t)(field[i] >> 8);
		out[4 * i + 3] = (uint8_t)field[i];
	}
}

static uint32_t spdm_emu_get_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

void prot_spdm_emu_header_decode(const uint8_t in[PROT_SPDM_EMU_HEADER_SIZE],
				 struct prot_spdm_emu_header *hdr)
{
	hdr->command = spdm_emu_get_be32(in);
	hdr->transport_type = spdm_emu_get_be32(in + 4);
	hdr->payload_size = spdm_emu_get_be32(in + 8);
}

int prot_spdm_emu_send(int fd, uint32_t command, uint32_t transport_type,
		       const uint8_t *payload, size_t payload_len,
		       int timeout_ms)
{
	struct prot_spdm_emu_header hdr = {
		.command = command,
		.transport_type = transport_type,
		.payload_size = (uint32_t)payload_len,
	};
	uint8_t raw[PROT_SPDM_EMU_HEADER_SIZE];
	struct spdm_emu_deadline d = spdm_emu_deadline_in(timeout_ms);
	size_t total = sizeof(raw) + payload_len;
	size_t sent = 0;
	int rc = 0;

	if (payload_len > PROT_SPDM_EMU_PAYLOAD_MAX)
		return -EMSGSIZE;
	if (!payload && payload_len)
		return -EINVAL;
	prot_spdm_emu_header_encode(&hdr, raw);

	while (sent < total) {
		struct iovec iov[2];
		struct msghdr msg = {.msg_iov = iov};
		ssize_t n;

		/* Header and payload in one call: one TCP segment for small
		 * messages, and no Nagle delay between the two parts. */
		if (sent < sizeof(raw)) {
			iov[0].iov_base = raw + sent;
			iov[0].iov_len = sizeof(raw) - sent;
			iov[1].iov_base = (void *)payload;
			iov[1].iov_len = payload_len;
			msg.msg_iovlen = payload_len ? 2 : 1;
		} else {
			iov[0].iov_base =
				(void *)(payload + (sent - sizeof(raw)));
			iov[0].iov_len = total - sent;
			msg.msg_iovlen = 1;
		}
		/* MSG_NOSIGNAL: a vanished peer is an error code, not a
		 * signal that kills the process. */
		n = sendmsg(fd, &msg, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n >= 0) {
			sent += (size_t)n;
			continue;
		}
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN && errno != EWOULDBLOCK) {
			rc = -errno;
			break;
		}
		rc = spdm_emu_wait(fd, POLLOUT, &d);
		if (rc)
			break;
	}
	if (rc && sent && rc != -EPIPE && rc != -ECONNRESET)
		spdm_emu_abort(fd);
	return rc;
}

int prot_spdm_emu_recv(int fd, struct prot_spdm_emu_header *hdr,
		       uint8_t *payload, size_t *payload_len, int timeout_ms)
{
	uint8_t raw[PROT_SPDM_EMU_HEADER_SIZE];
	struct spdm_emu_deadline d = spdm_emu_deadline_in(timeout_ms);
	size_t done = 0;
	int rc;

	if (!hdr || !payload_len || (!payload && *payload_len))
		return -EINVAL;

	rc = spdm_emu_read_all(fd, raw, sizeof(raw), &d, &done);
	if (rc) {
		/* Nothing read: the stream is intact and the caller may
		 * try again. */
		if (done && rc != -ECONNRESET)
			spdm_emu_abort(fd);
		return rc;
	}
	prot_spdm_emu_header_decode(raw, hdr);

	if (hdr->payload_size > PROT_SPDM_EMU_PAYLOAD_MAX) {
		/* Neither spdm-emu tool sends this much; a peer that
		 * claims to is broken, and reading up to 4 GiB to stay in
		 * step with it is not worth it. */
		spdm_emu_abort(fd);
		return -EMSGSIZE;
	}
	if (hdr->payload_size > *payload_len) {
		rc = spdm_emu_discard(fd, hdr->payload_size, &d);
		if (rc) {
			if (rc != -ECONNRESET)
				spdm_emu_abort(fd);
			return rc;
		}
		return -EMSGSIZE;
	}
	done = 0;
	rc = spdm_emu_read_all(fd, payload, hdr->payload_size, &d, &done);
	if (rc) {
		if (rc != -ECONNRESET)
			spdm_emu_abort(fd);
		return rc;
	}
	*payload_len = hdr->payload_size;
	return 0;
}

union spdm_emu_sockaddr {
	struct sockaddr sa;
	struct sockaddr_in in4;
	struct sockaddr_in6 in6;
};

/* Numeric addresses only: a name lookup can block for seconds and
 * allocates, and an emulator endpoint is given by address anyway. */
static int spdm_emu_addr(union spdm_emu_sockaddr *a, socklen_t *len,
			 const char *addr, uint16_t port)
{
	memset(a, 0, sizeof(*a));
	if (!addr)
		addr = "127.0.0.1";
	if (inet_pton(AF_INET, addr, &a->in4.sin_addr) == 1) {
		a->in4.sin_family = AF_INET;
		a->in4.sin_port = htons(port);
		*len = sizeof(a->in4);
		return 0;
	}
	if (inet_pton(AF_INET6, addr, &a->in6.sin6_addr) == 1) {
		a->in6.sin6_family = AF_INET6;
		a->in6.sin6_port = htons(port);
		*len = sizeof(a->in6);
		return 0;
	}
	return -EINVAL;
}

/* Messages are small request/response pairs: send each one at once. */
static void spdm_emu_nodelay(int fd)
{
	int one = 1;

	/* Only a latency matter: a failure is not worth failing for. */
	(void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
}

int prot_spdm_emu_listen(const char *addr, uint16_t port)
{
	union spdm_emu_sockaddr a;
	socklen_t len;
	int one = 1;
	int fd, rc;

	rc = spdm_emu_addr(&a, &len, addr, port);
	if (rc)
		return rc;
	fd = socket(a.sa.sa_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
	    bind(fd, &a.sa, len) < 0 || listen(fd, 4) < 0) {
		rc = -errno;
		close(fd);
		return rc;
	}
	return fd;
}

int prot_spdm_emu_local_port(int fd)
{
	union spdm_emu_sockaddr a;
	socklen_t len = sizeof(a);

	if (getsockname(fd, &a.sa, &len) < 0)
		return -errno;
	if (a.sa.sa_family == AF_INET)
		return ntohs(a.in4.sin_port);
	if (a.sa.sa_family == AF_INET6)
		return ntohs(a.in6.sin6_port);
	return -EAFNOSUPPORT;
}

int prot_spdm_emu_accept(int listen_fd, int timeout_ms)
{
	struct spdm_emu_deadline d = spdm_emu_deadline_in(timeout_ms);
	int fd, rc;

	for (;;) {
		rc = spdm_emu_wait(listen_fd, POLLIN, &d);
		if (rc)
			return rc;
		fd = accept4(listen_fd, NULL, NULL,
			     SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd >= 0) {
			spdm_emu_nodelay(fd);
			return fd;
		}
		/* The peer may have given up between poll and accept. */
		if (errno != EINTR && errno != EAGAIN && errno != ECONNABORTED)
			return -errno;
	}
}

int prot_spdm_emu_connect(const char *addr, uint16_t port, int timeout_ms)
{
	struct spdm_emu_deadline d = spdm_emu_deadline_in(timeout_ms);
	union spdm_emu_sockaddr a;
	socklen_t len;
	int err = 0;
	socklen_t err_len = sizeof(err);
	int fd, rc;

	rc = spdm_emu_addr(&a, &len, addr, port ? port : PROT_SPDM_EMU_PORT);
	if (rc)
		return rc;
	fd = socket(a.sa.sa_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
		    0);
	if (fd < 0)
		return -errno;
	if (!connect(fd, &a.sa, len))
		goto connected;
	/* A signal does not cancel a connect in progress; both cases end
	 * the same way. */
	if (errno != EINPROGRESS && errno != EINTR) {
		rc = -errno;
		goto fail;
	}
	rc = spdm_emu_wait(fd, POLLOUT, &d);
	if (rc)
		goto fail;
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &err_len) < 0) {
		rc = -errno;
		goto fail;
	}
	if (err) {
		rc = -err;
		goto fail;
	}
connected:
	spdm_emu_nodelay(fd);
	return fd;
fail:
	close(fd);
	return rc;
}

int prot_spdm_emu_server_init(struct prot_spdm_emu_server *srv,
			      const struct prot_spdm_emu_server_ops *ops,
			      void *ctx, uint32_t transport_type,
			      int io_timeout_ms)
{
	if (!srv || !ops || !ops->normal)
		return -EINVAL;
	srv->ops = ops;
	srv->ctx = ctx;
	srv->transport_type = transport_type;
	srv->io_timeout_ms = io_timeout_ms ? io_timeout_ms
					   : PROT_SPDM_EMU_IO_TIMEOUT_MS;
	return 0;
}

static int spdm_emu_answer(struct prot_spdm_emu_server *srv, int fd,
			   uint32_t command, const uint8_t *payload, size_t len,
			   int result)
{
	int rc = prot_spdm_emu_send(fd, command, srv->transport_type, payload,
				    len, srv->io_timeout_ms);

	return rc ? rc : result;
}

int prot_spdm_emu_server_handle(struct prot_spdm_emu_server *srv, int fd,
				int timeout_ms)
{
	struct spdm_emu_deadline d = spdm_emu_deadline_in(timeout_ms);
	struct prot_spdm_emu_header hdr;
	size_t len = sizeof(srv->req);
	size_t rsp_len;
	int rc;

	/* The caller's timeout is for a requester to speak up; once it
	 * has, the rest of its message gets the server's I/O timeout. */
	rc = spdm_emu_wait(fd, POLLIN, &d);
	if (rc)
		return rc;
	rc = prot_spdm_emu_recv(fd, &hdr, srv->req, &len, srv->io_timeout_ms);
	if (rc)
		return rc;
	/* spdm-emu fixes one transport per run and refuses others; a
	 * mismatch means the two sides were started differently, and an
	 * answer in our transport would not help the requester. */
	if (hdr.transport_type != srv->transport_type)
		return -EPROTO;

	switch (hdr.command) {
	case PROT_SPDM_EMU_CMD_NORMAL:
		rsp_len = sizeof(srv->rsp);
		rc = srv->ops->normal(srv->ctx, hdr.transport_type, srv->req,
				      len, srv->rsp, &rsp_len);
		if (rc)
			return rc < 0 ? rc : -EINVAL;
		if (rsp_len > sizeof(srv->rsp))
			return -EINVAL;
		return spdm_emu_answer(srv, fd, PROT_SPDM_EMU_CMD_NORMAL,
				       srv->rsp, rsp_len,
				       PROT_SPDM_EMU_SERVE_MORE);
	case PROT_SPDM_EMU_CMD_TEST:
		return spdm_emu_answer(srv, fd, PROT_SPDM_EMU_CMD_TEST,
				       srv->req, len, PROT_SPDM_EMU_SERVE_MORE);
	case PROT_SPDM_EMU_CMD_CONTINUE:
		return spdm_emu_answer(srv, fd, PROT_SPDM_EMU_CMD_CONTINUE,
				       NULL, 0, PROT_SPDM_EMU_SERVE_CLOSE);
	case PROT_SPDM_EMU_CMD_SHUTDOWN:
		return spdm_emu_answer(srv, fd, PROT_SPDM_EMU_CMD_SHUTDOWN,
				       NULL, 0, PROT_SPDM_EMU_SERVE_SHUTDOWN);
	default:
		/* The connection stays up: spdm_requester_emu carries on
		 * after an out-of-band trigger whatever the answer. */
		return spdm_emu_answer(srv, fd, PROT_SPDM_EMU_CMD_UNKNOWN, NULL,
				       0, PROT_SPDM_EMU_SERVE_MORE);
	}
}

int prot_spdm_emu_server_run(struct prot_spdm_emu_server *srv, int listen_fd,
			     int timeout_ms)
{
	for (;;) {
		int fd = prot_spdm_emu_accept(listen_fd, timeout_ms);
		int rc;

		if (fd < 0)
			return fd;
		do {
			rc = prot_spdm_emu_server_handle(srv, fd, timeout_ms);
		} while (rc == PROT_SPDM_EMU_SERVE_MORE);
		close(fd);
		if (rc == PROT_SPDM_EMU_SERVE_SHUTDOWN)
			return 0;
		/* Anything else ends this requester only, as with
		 * spdm_responder_emu: wait for the next one. */
	}
}
