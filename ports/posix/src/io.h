/* SPDX-License-Identifier: Apache-2.0 */
/* Helpers shared by the POSIX port's links. */
#ifndef PROT_POSIX_SRC_IO_H
#define PROT_POSIX_SRC_IO_H

/*
 * Wait up to @timeout_ms (negative: forever) for @events (POLLIN/POLLOUT)
 * on @fd. Returns 1 when ready (including hang-up and error conditions,
 * which the next read or write reports), 0 on timeout or EINTR, or a
 * negative errno.
 */
int prot_posix_wait(int fd, short events, int timeout_ms);

/* Set O_NONBLOCK on @fd. Returns 0 or a negative errno. */
int prot_posix_set_nonblock(int fd);

#endif
