/* SPDX-License-Identifier: Apache-2.0 */
/*
 * SMBus wire over a UNIX SOCK_SEQPACKET socket: the socket keeps datagram
 * boundaries, so one send() is one I2C transaction and the receiver gets
 * the frame exactly as the sender's binding built it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdbool.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "prot-posix/clock.h"
#include "prot-posix/smbus.h"

#include "io.h"

/* Datagrams read per service call at most. */
#define PROT_POSIX_SERVICE_BATCH 64

static int smbus_tx(void *ctx, const uint8_t *frame, size_t len)
{
	const struct prot_posix_smbus *port = ctx;
	int timeout = port->tx_timeout_ms ? port->tx_timeout_ms
					  : PROT_POSIX_TX_TIMEOUT_MS;
	ssize_t n;
	int rc;

	for (;;) {
		/* MSG_NOSIGNAL: a vanished peer is an error code, not a
		 * signal that kills the process. */
		n = send(port->fd, frame, len, MSG_NOSIGNAL);
		if (n >= 0)
			/* A SEQPACKET send is all or nothing. */
			return (size_t)n == len ? 0 : -EIO;
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN && errno != EWOULDBLOCK)
			return -errno;
		rc = prot_posix_wait(port->fd, POLLOUT, timeout);
		if (rc < 0)
			return rc;
		if (!rc)
			return -ETIMEDOUT;
	}
}

const struct mctp_smbus_ops prot_posix_smbus_ops = {
	.tx = smbus_tx,
};

static int smbus_addr(struct sockaddr_un *sun, const char *path)
{
	size_t len = strlen(path);

	if (!len)
		return -EINVAL;
	if (len >= sizeof(sun->sun_path))
		return -ENAMETOOLONG;
	memset(sun, 0, sizeof(*sun));
	sun->sun_family = AF_UNIX;
	memcpy(sun->sun_path, path, len + 1);
	return 0;
}

int prot_posix_smbus_listen(const char *path)
{
	struct sockaddr_un sun;
	struct stat st;
	int fd, rc;

	if (!path)
		return -EINVAL;
	rc = smbus_addr(&sun, path);
	if (rc)
		return rc;
	/* A socket file outlives its listener; remove only that, so that a
	 * mistyped path cannot delete a user's file. */
	if (!lstat(path, &st) && S_ISSOCK(st.st_mode))
		(void)unlink(path);

	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (bind(fd, (const struct sockaddr *)&sun, sizeof(sun)) < 0 ||
	    listen(fd, 1) < 0) {
		rc = -errno;
		close(fd);
		return rc;
	}
	return fd;
}

int prot_posix_smbus_accept(int listen_fd, int timeout_ms)
{
	int fd, rc;

	for (;;) {
		rc = prot_posix_wait(listen_fd, POLLIN, timeout_ms);
		if (rc < 0)
			return rc;
		if (!rc)
			return -ETIMEDOUT;
		fd = accept4(listen_fd, NULL, NULL,
			     SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd >= 0)
			return fd;
		/* The peer may have given up between poll and accept. */
		if (errno != EINTR && errno != EAGAIN && errno != ECONNABORTED)
			return -errno;
	}
}

int prot_posix_smbus_connect(const char *path)
{
	struct sockaddr_un sun;
	int fd, rc;

	if (!path)
		return -EINVAL;
	rc = smbus_addr(&sun, path);
	if (rc)
		return rc;
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	/* A UNIX connect completes at once or fails; only then go
	 * non-blocking so that it is never left in progress. */
	if (connect(fd, (const struct sockaddr *)&sun, sizeof(sun)) < 0 ||
	    prot_posix_set_nonblock(fd) < 0) {
		rc = -errno;
		close(fd);
		return rc;
	}
	return fd;
}

static bool smbus_hung_up(int fd)
{
	struct pollfd p = {.fd = fd, .events = POLLIN};

	return poll(&p, 1, 0) == 1 && (p.revents & POLLHUP);
}

int prot_posix_smbus_read(struct prot_posix_smbus *port,
			  struct mctp_smbus *smbus)
{
	uint8_t frame[MCTP_SMBUS_FRAME_MAX];
	ssize_t n;

	do {
		/* MSG_TRUNC makes recv() return the datagram's real length
		 * even when it did not fit, so an oversized one is seen as
		 * such rather than passed on cut short. */
		n = recv(port->fd, frame, sizeof(frame),
			 MSG_DONTWAIT | MSG_TRUNC);
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		return errno == EWOULDBLOCK ? -EAGAIN : -errno;
	/* Zero is the peer's close, or an empty datagram from a live peer:
	 * only a hang-up tells them apart. */
	if (!n && smbus_hung_up(port->fd))
		return -ECONNRESET;
	if ((size_t)n > MCTP_SMBUS_FRAME_MAX)
		return -EMSGSIZE;
	/* Bad frames are counted by the binding; they are not an error of
	 * the link. */
	(void)mctp_smbus_rx(smbus, frame, (size_t)n);
	return 0;
}

int prot_posix_smbus_service(struct prot_posix_smbus *port,
			     struct mctp_smbus *smbus, int timeout_ms)
{
	int count = 0;
	int rc = prot_posix_wait(port->fd, POLLIN, timeout_ms);

	/* Time first, so that packets read now are stamped now. */
	if (smbus->binding.mctp)
		mctp_poll(smbus->binding.mctp, prot_posix_now_ms());
	/* Bounded, so that a flooding peer cannot starve the caller's other
	 * links. */
	while (rc > 0 && count < PROT_POSIX_SERVICE_BATCH) {
		rc = prot_posix_smbus_read(port, smbus);
		if (!rc || rc == -EMSGSIZE) {
			count++;
			rc = 1;
		}
	}
	if (rc == -EAGAIN || rc >= 0)
		return count;
	return rc;
}
