/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Serial line over a terminal: a pseudo-terminal stands in for the UART
 * between two processes. The binding does the DSP0253 framing; this file
 * only moves bytes, in whatever chunks the terminal gives.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "prot-posix/clock.h"
#include "prot-posix/serial.h"

#include "io.h"

/* Bytes read per read() call; any size works, the binding reassembles. */
#define SERIAL_READ_CHUNK 256
/* Reads per service call at most. */
#define SERIAL_SERVICE_BATCH 64

static int serial_write(void *ctx, const uint8_t *buf, size_t len)
{
	const struct prot_posix_serial *port = ctx;
	int timeout = port->tx_timeout_ms ? port->tx_timeout_ms
					  : PROT_POSIX_SERIAL_TX_TIMEOUT_MS;
	ssize_t n;
	int rc;

	while (len) {
		n = write(port->fd, buf, len);
		if (n > 0) {
			buf += n;
			len -= (size_t)n;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK)
			return -errno;
		/* The line is full (or took nothing): wait for room, but
		 * not forever, so a stuck peer cannot hang the stack. */
		rc = prot_posix_wait(port->fd, POLLOUT, timeout);
		if (rc < 0)
			return rc;
		if (!rc)
			return -ETIMEDOUT;
	}
	return 0;
}

const struct mctp_serial_ops prot_posix_serial_ops = {
	.write = serial_write,
};

/* Raw mode, and non-blocking so that a read never stalls the loop. */
static int tty_setup(int fd)
{
	struct termios t;

	if (tcgetattr(fd, &t) < 0)
		return -errno;
	cfmakeraw(&t);
	/* Return from read() with whatever is there; poll() does the
	 * waiting. */
	t.c_cc[VMIN] = 1;
	t.c_cc[VTIME] = 0;
	if (tcsetattr(fd, TCSANOW, &t) < 0)
		return -errno;
	return prot_posix_set_nonblock(fd);
}

int prot_posix_pty_open(char *name, size_t cap)
{
	int fd, rc;

	if (!name || !cap)
		return -EINVAL;
	fd = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (grantpt(fd) < 0 || unlockpt(fd) < 0) {
		rc = -errno;
		goto fail;
	}
	/* ptsname_r: ptsname() returns a static buffer. */
	rc = ptsname_r(fd, name, cap);
	if (rc) {
		rc = -rc;
		goto fail;
	}
	/* On Linux the pair shares one termios, so the master can put the
	 * line in raw mode before the peer has opened the slave: the peer
	 * never sees a cooked line. */
	rc = tty_setup(fd);
	if (rc)
		goto fail;
	return fd;
fail:
	close(fd);
	return rc;
}

int prot_posix_tty_open(const char *path)
{
	int fd, rc;

	if (!path)
		return -EINVAL;
	fd = open(path, O_RDWR | O_NOCTTY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return -errno;
	if (!isatty(fd)) {
		close(fd);
		return -ENOTTY;
	}
	rc = tty_setup(fd);
	if (rc) {
		close(fd);
		return rc;
	}
	return fd;
}

int prot_posix_serial_read(struct prot_posix_serial *port,
			   struct mctp_serial *serial)
{
	uint8_t buf[SERIAL_READ_CHUNK];
	ssize_t n;

	do {
		n = read(port->fd, buf, sizeof(buf));
	} while (n < 0 && errno == EINTR);
	if (n < 0) {
		/* A pty master reads EIO once its slave side is closed. */
		if (errno == EIO)
			return -ECONNRESET;
		return errno == EWOULDBLOCK ? -EAGAIN : -errno;
	}
	if (!n)
		return -ECONNRESET;
	mctp_serial_rx(serial, buf, (size_t)n);
	return (int)n;
}

int prot_posix_serial_service(struct prot_posix_serial *port,
			      struct mctp_serial *serial, int timeout_ms)
{
	int reads = 0, count = 0;
	int rc = prot_posix_wait(port->fd, POLLIN, timeout_ms);

	/* Time first, so that packets read now are stamped now. */
	if (serial->binding.mctp)
		mctp_poll(serial->binding.mctp, prot_posix_now_ms());
	while (rc > 0 && reads++ < SERIAL_SERVICE_BATCH) {
		rc = prot_posix_serial_read(port, serial);
		if (rc > 0)
			count += rc;
	}
	if (rc == -EAGAIN || rc >= 0)
		return count;
	return rc;
}
