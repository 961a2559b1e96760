/* SPDX-License-Identifier: Apache-2.0 */
/*
 * POSIX port: a serial line for the DSP0253 binding, over a terminal
 * device: the master side of a pseudo-terminal, its slave, or a real
 * UART. Every terminal is put in raw mode (8 data bits, no echo, no
 * CR/LF translation, no XON/XOFF, no signals) so that every byte value
 * crosses the line unchanged.
 */
#ifndef PROT_POSIX_SERIAL_H
#define PROT_POSIX_SERIAL_H

#include <stddef.h>

#include "mctp/serial.h"

#ifdef __cplusplus
extern "C" {
#endif

/* How long a write waits for room on the line when tx_timeout_ms is 0. */
#define PROT_POSIX_SERIAL_TX_TIMEOUT_MS 1000

/**
 * Context for prot_posix_serial_ops (the ctx of mctp_serial_init()).
 * @fd: the open line (any fd that read()/write() work on, blocking or
 *     not), owned by the caller.
 * @tx_timeout_ms: how long a write may wait for the line to take more
 *     bytes (0: PROT_POSIX_SERIAL_TX_TIMEOUT_MS).
 */
struct prot_posix_serial {
	int fd;
	int tx_timeout_ms;
};

/**
 * Bus ops for mctp_serial_init(): write sends every byte, resuming after
 * partial writes and EINTR. Returns 0, or -ETIMEDOUT (the line took no
 * bytes for tx_timeout_ms), -EIO (pty whose other side closed), -EPIPE
 * (pipe or socket whose reader is gone; the process must ignore SIGPIPE to
 * get this rather than die) or another negative errno from write().
 */
extern const struct mctp_serial_ops prot_posix_serial_ops;

/**
 * Create a pseudo-terminal in raw mode. Writes the path of its slave side
 * (for the peer to open) to @name, capacity @cap. Returns the master fd
 * (non-blocking, close-on-exec) or a negative errno (-ERANGE: @cap too
 * small).
 */
int prot_posix_pty_open(char *name, size_t cap);

/**
 * Open the terminal at @path (a pty slave or a serial device) without
 * making it our controlling terminal, and put it in raw mode. Returns the
 * fd (non-blocking, close-on-exec) or a negative errno (-ENOTTY: not a
 * terminal).
 */
int prot_posix_tty_open(const char *path);

/**
 * Read what the line has, without blocking if @port->fd is non-blocking,
 * and feed it to mctp_serial_rx() (which delivers complete frames to the
 * core during the call). Returns the number of bytes fed, -EAGAIN when
 * none were waiting, -ECONNRESET when the peer has hung up (end of file,
 * or EIO on a pty whose other side closed), or another negative errno.
 */
int prot_posix_serial_read(struct prot_posix_serial *port,
			   struct mctp_serial *serial);

/**
 * One turn of an event loop: wait up to @timeout_ms (negative: forever)
 * for bytes, give the core the time with mctp_poll(), then read what is
 * waiting (at most 64 reads, so that one busy line cannot starve others).
 * @serial must be registered on a struct mctp. Returns the number of bytes
 * read (0 on timeout or EINTR), -ECONNRESET when the peer has hung up, or
 * another negative errno.
 */
int prot_posix_serial_service(struct prot_posix_serial *port,
			      struct mctp_serial *serial, int timeout_ms);

#ifdef __cplusplus
}
#endif

#endif /* PROT_POSIX_SERIAL_H */
