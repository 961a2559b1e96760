/* SPDX-License-Identifier: Apache-2.0 */
/*
 * POSIX port: an SMBus "wire" for the DSP0237 binding over a UNIX
 * SOCK_SEQPACKET socket.
 *
 * One datagram is one I2C transaction and carries the whole frame the
 * binding builds: destination address byte first, PEC last. The receiving
 * side hands each datagram to mctp_smbus_rx() unchanged, so the binding
 * checks the address, byte count and PEC exactly as it would on real I2C.
 * A connection joins two devices; there is no arbitration to emulate.
 */
#ifndef PROT_POSIX_SMBUS_H
#define PROT_POSIX_SMBUS_H

#include "mctp/smbus.h"

#ifdef __cplusplus
extern "C" {
#endif

/* How long tx waits for room in the peer's queue when tx_timeout_ms is 0. */
#define PROT_POSIX_TX_TIMEOUT_MS 1000

/**
 * Context for prot_posix_smbus_ops (the ctx of mctp_smbus_init()).
 * @fd: a connected SOCK_SEQPACKET socket, owned by the caller.
 * @tx_timeout_ms: how long a send may wait for the peer to make room
 *     (0: PROT_POSIX_TX_TIMEOUT_MS).
 */
struct prot_posix_smbus {
	int fd;
	int tx_timeout_ms;
};

/**
 * Bus ops for mctp_smbus_init(): tx sends the frame as one datagram.
 * Returns 0, or -ETIMEDOUT (peer's queue stayed full), -EPIPE (peer gone,
 * no SIGPIPE is raised) or another negative errno from send().
 */
extern const struct mctp_smbus_ops prot_posix_smbus_ops;

/**
 * Create a listening socket bound to filesystem path @path. A stale
 * socket left at @path is removed first; any other kind of file there is
 * left alone (-EADDRINUSE). Returns the fd (close-on-exec) or a negative
 * errno (-ENAMETOOLONG when @path does not fit in sockaddr_un).
 */
int prot_posix_smbus_listen(const char *path);

/**
 * Wait up to @timeout_ms (negative: forever) for a peer on @listen_fd.
 * Returns the connected fd (non-blocking, close-on-exec), -ETIMEDOUT, or a
 * negative errno.
 */
int prot_posix_smbus_accept(int listen_fd, int timeout_ms);

/**
 * Connect to the socket at @path. Returns the connected fd (non-blocking,
 * close-on-exec) or a negative errno: -ENOENT or -ECONNREFUSED when
 * nobody listens there (yet), so a caller may retry.
 */
int prot_posix_smbus_connect(const char *path);

/**
 * Receive at most one datagram, without blocking, and hand it to
 * mctp_smbus_rx() (which counts and drops bad frames). Returns 0 when a
 * datagram was handed over, -EAGAIN when none was waiting, -EMSGSIZE for a
 * datagram longer than any valid frame (dropped), -ECONNRESET when the
 * peer has closed, or another negative errno.
 */
int prot_posix_smbus_read(struct prot_posix_smbus *port,
			  struct mctp_smbus *smbus);

/**
 * One turn of an event loop: wait up to @timeout_ms (negative: forever)
 * for a datagram, give the core the time with mctp_poll(), then read the
 * datagrams waiting (at most 64, so that one busy link cannot starve
 * others). Returns the number read (0 on timeout or EINTR), -ECONNRESET
 * when the peer has closed, or another negative errno. Oversized
 * datagrams are dropped, counted in the return value, and not fatal.
 */
int prot_posix_smbus_service(struct prot_posix_smbus *port,
			     struct mctp_smbus *smbus, int timeout_ms);

#ifdef __cplusplus
}
#endif

#endif /* PROT_POSIX_SMBUS_H */
