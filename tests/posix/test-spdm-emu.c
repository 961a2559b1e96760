/* SPDX-License-Identifier: Apache-2.0 */
/*
 * POSIX port: the spdm-emu socket protocol. Golden header bytes written by
 * hand from the protocol definition (three big-endian u32: command,
 * transport type, payload size; see docs/spdm-emu.md), round trips over
 * a socketpair and over TCP on 127.0.0.1 (ephemeral ports), trickled and
 * interrupted reads from a forked writer, oversized payloads, peers that
 * vanish mid-message, timeouts, and the responder-side command semantics.
 * Every wait is bounded; forked children arm alarm() as well.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "prot-posix/clock.h"
#include "prot-posix/spdm-emu.h"

/* Bound on every wait that should succeed. */
#define WAIT_MS 3000
/* Short timeouts, for the waits that should time out. */
#define SHORT_MS 100
/* A forked helper is killed by SIGALRM after this long whatever happens. */
#define CHILD_ALARM_S 10

/* What spdm_requester_emu sends first: the string with its NUL. */
static const uint8_t client_hello[] = "Client Hello!";

/* An SPDM GET_VERSION (DSP0274: version 0x10, code 0x84, two zero
 * params) behind the MCTP message type byte for SPDM. */
static const uint8_t mctp_get_version[] = {0x05, 0x10, 0x84, 0x00, 0x00};

/* ---- helpers ---- */

static void stream_pair(int fds[2])
{
	assert_int_equal(
		socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds), 0);
}

/* A TCP connection on 127.0.0.1: *lfd listening, *cfd the requester's
 * end, *sfd the responder's end. */
static void tcp_pair(int *lfd, int *cfd, int *sfd)
{
	int port;

	*lfd = prot_spdm_emu_listen(NULL, 0);
	assert_true(*lfd >= 0);
	port = prot_spdm_emu_local_port(*lfd);
	assert_true(port > 0 && port <= 65535);
	*cfd = prot_spdm_emu_connect("127.0.0.1", (uint16_t)port, WAIT_MS);
	assert_true(*cfd >= 0);
	*sfd = prot_spdm_emu_accept(*lfd, WAIT_MS);
	assert_true(*sfd >= 0);
}

static void close3(int a, int b, int c)
{
	close(a);
	close(b);
	close(c);
}

/* Write all of @buf with plain write() (not the code under test). */
static void raw_write(int fd, const uint8_t *buf, size_t len)
{
	while (len) {
		ssize_t n = write(fd, buf, len);

		if (n < 0 && errno == EINTR)
			continue;
		assert_true(n > 0);
		buf += n;
		len -= (size_t)n;
	}
}

/* Read up to @len bytes with plain read(), until the peer closes or
 * WAIT_MS passes. Returns the count read. */
static size_t raw_read(int fd, uint8_t *buf, size_t len)
{
	size_t got = 0;
	uint32_t start = prot_posix_now_ms();

	while (got < len && prot_posix_now_ms() - start < WAIT_MS) {
		struct pollfd p = {.fd = fd, .events = POLLIN};
		ssize_t n;

		if (poll(&p, 1, 50) <= 0)
			continue;
		n = read(fd, buf + got, len - got);
		if (n == 0)
			break;
		if (n < 0) {
			assert_true(errno == EINTR || errno == EAGAIN);
			continue;
		}
		got += (size_t)n;
	}
	return got;
}

/* True when the peer of @fd has shut down or closed its end: read()
 * sees end of file within WAIT_MS. */
static bool sees_eof(int fd)
{
	uint8_t byte;
	uint32_t start = prot_posix_now_ms();

	while (prot_posix_now_ms() - start < WAIT_MS) {
		struct pollfd p = {.fd = fd, .events = POLLIN};
		ssize_t n;

		if (poll(&p, 1, 50) <= 0)
			continue;
		n = read(fd, &byte, 1);
		if (n == 0)
			return true;
		if (n < 0 && (errno == ECONNRESET || errno == EPIPE))
			return true;
	}
	return false;
}

/*
 * Fork a child that writes @len bytes of @buf to @fd one byte at a time,
 * @delay_us apart, after @start_delay_us; then closes @fd and exits.
 * The parent's copy of @fd is closed, so that the child's close is the
 * peer's close. @other (or -1) is the parent's end, closed in the child.
 */
static pid_t spawn_trickle(int fd, int other, const uint8_t *buf, size_t len,
			   useconds_t start_delay_us, useconds_t delay_us)
{
	pid_t pid = fork();

	assert_true(pid >= 0);
	if (!pid) {
		alarm(CHILD_ALARM_S);
		/* A reader that gave up is an exit code, not a death. */
		signal(SIGPIPE, SIG_IGN);
		if (other >= 0)
			close(other);
		usleep(start_delay_us);
		for (size_t i = 0; i < len; i++) {
			if (write(fd, buf + i, 1) != 1)
				_exit(3);
			usleep(delay_us);
		}
		close(fd);
		_exit(0);
	}
	close(fd);
	return pid;
}

/* Wait for @pid for at most WAIT_MS, then kill it. Returns its exit code,
 * or -1 when it did not exit normally. */
static int reap(pid_t pid)
{
	uint32_t start = prot_posix_now_ms();
	int status = 0;

	while (prot_posix_now_ms() - start < WAIT_MS) {
		pid_t r = waitpid(pid, &status, WNOHANG);

		if (r == pid)
			return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
		usleep(5000);
	}
	kill(pid, SIGKILL);
	(void)waitpid(pid, &status, 0);
	return -1;
}

/* Receive one message and check all of it. */
static void expect_msg(int fd, uint32_t command, uint32_t transport,
		       const uint8_t *payload, size_t len)
{
	static uint8_t buf[PROT_SPDM_EMU_PAYLOAD_MAX];
	struct prot_spdm_emu_header hdr;
	size_t got = sizeof(buf);

	memset(&hdr, 0xA5, sizeof(hdr));
	assert_int_equal(prot_spdm_emu_recv(fd, &hdr, buf, &got, WAIT_MS), 0);
	assert_int_equal(hdr.command, command);
	assert_int_equal(hdr.transport_type, transport);
	assert_int_equal(hdr.payload_size, len);
	assert_int_equal(got, len);
	if (len)
		assert_memory_equal(buf, payload, len);
}

/* True when nothing at all is waiting on @fd. */
static bool nothing_waiting(int fd)
{
	struct pollfd p = {.fd = fd, .events = POLLIN};

	return poll(&p, 1, 20) == 0;
}

static void fill_pattern(uint8_t *buf, size_t len)
{
	for (size_t i = 0; i < len; i++)
		buf[i] = (uint8_t)(i * 31u + 7u);
}

/* ---- golden bytes ---- */

struct golden {
	struct prot_spdm_emu_header hdr;
	uint8_t wire[PROT_SPDM_EMU_HEADER_SIZE];
};

/* Written by hand: each field big-endian, command first. */
static const struct golden goldens[] = {
	{{0x0001, 0x01, 5}, {0, 0, 0x00, 0x01, 0, 0, 0, 0x01, 0, 0, 0, 0x05}},
	{{0xDEAD, 0x01, 14}, {0, 0, 0xDE, 0xAD, 0, 0, 0, 0x01, 0, 0, 0, 0x0E}},
	{{0xFFFD, 0x00, 0}, {0, 0, 0xFF, 0xFD, 0, 0, 0, 0x00, 0, 0, 0, 0x00}},
	{{0xFFFE, 0x02, 0}, {0, 0, 0xFF, 0xFE, 0, 0, 0, 0x02, 0, 0, 0, 0x00}},
	{{0xFFFF, 0x01, 0}, {0, 0, 0xFF, 0xFF, 0, 0, 0, 0x01, 0, 0, 0, 0x00}},
	{{0x8001, 0x01, 0}, {0, 0, 0x80, 0x01, 0, 0, 0, 0x01, 0, 0, 0, 0x00}},
	{{0x8002, 0x01, 0}, {0, 0, 0x80, 0x02, 0, 0, 0, 0x01, 0, 0, 0, 0x00}},
	{{0x0001, 0x00, 0x1280},
	 {0, 0, 0x00, 0x01, 0, 0, 0, 0x00, 0, 0, 0x12, 0x80}},
	/* Every byte distinct, so a swapped field or byte shows. */
	{{0x12345678, 0x9ABCDEF0, 0x01020304},
	 {0x12, 0x34, 0x56, 0x78, 0x9A, 0xBC, 0xDE, 0xF0, 1, 2, 3, 4}},
};

static void test_constants(void **state)
{
	(void)state;
	/* The values of the spdm-emu protocol definition. */
	assert_int_equal(PROT_SPDM_EMU_PORT, 2323);
	assert_int_equal(PROT_SPDM_EMU_HEADER_SIZE, 12);
	assert_int_equal(PROT_SPDM_EMU_PAYLOAD_MAX, 0x1200 + 64 + 64);
	assert_int_equal(PROT_SPDM_EMU_CMD_NORMAL, 0x0001);
	assert_int_equal(PROT_SPDM_EMU_CMD_OOB_ENCAP_KEY_UPDATE, 0x8001);
	assert_int_equal(PROT_SPDM_EMU_CMD_OOB_ENCAP_ENDPOINT_INFO, 0x8002);
	assert_int_equal(PROT_SPDM_EMU_CMD_TEST, 0xDEAD);
	assert_int_equal(PROT_SPDM_EMU_CMD_CONTINUE, 0xFFFD);
	assert_int_equal(PROT_SPDM_EMU_CMD_SHUTDOWN, 0xFFFE);
	assert_int_equal(PROT_SPDM_EMU_CMD_UNKNOWN, 0xFFFF);
	assert_int_equal(PROT_SPDM_EMU_TRANSPORT_NONE, 0x00);
	assert_int_equal(PROT_SPDM_EMU_TRANSPORT_MCTP, 0x01);
	assert_int_equal(PROT_SPDM_EMU_TRANSPORT_PCI_DOE, 0x02);
	assert_int_equal(PROT_SPDM_EMU_MCTP_TYPE_SPDM, 0x05);
	assert_int_equal(PROT_SPDM_EMU_MCTP_TYPE_SECURED_SPDM, 0x06);
}

static void test_header_golden(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(goldens) / sizeof(goldens[0]); i++) {
		uint8_t out[PROT_SPDM_EMU_HEADER_SIZE];
		struct prot_spdm_emu_header hdr;

		memset(out, 0xA5, sizeof(out));
		prot_spdm_emu_header_encode(&goldens[i].hdr, out);
		assert_memory_equal(out, goldens[i].wire, sizeof(out));

		memset(&hdr, 0xA5, sizeof(hdr));
		prot_spdm_emu_header_decode(goldens[i].wire, &hdr);
		assert_int_equal(hdr.command, goldens[i].hdr.command);
		assert_int_equal(hdr.transport_type,
				 goldens[i].hdr.transport_type);
		assert_int_equal(hdr.payload_size, goldens[i].hdr.payload_size);
	}
}

/* What send() puts on the wire, read back with plain read(). */
static void test_send_wire_bytes(void **state)
{
	static const uint8_t normal[] = {
		0x00, 0x00, 0x00, 0x01, /* NORMAL */
		0x00, 0x00, 0x00, 0x01, /* MCTP */
		0x00, 0x00, 0x00, 0x05, /* 5 bytes */
		0x05, 0x10, 0x84, 0x00, 0x00,
	};
	static const uint8_t test[] = {
		0x00, 0x00, 0xDE, 0xAD, 0x00, 0x00, 0x00, 0x01, 0x00,
		0x00, 0x00, 0x0E, 'C',  'l',  'i',  'e',  'n',  't',
		' ',  'H',  'e',  'l',  'l',  'o',  '!',  0x00,
	};
	static const uint8_t shutdown_pci_doe[] = {
		0x00, 0x00, 0xFF, 0xFE, 0x00, 0x00,
		0x00, 0x02, 0x00, 0x00, 0x00, 0x00,
	};
	static const uint8_t continue_none[] = {
		0x00, 0x00, 0xFF, 0xFD, 0x00, 0x00,
		0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	};
	uint8_t buf[64];
	int fds[2];

	(void)state;
	stream_pair(fds);
	assert_int_equal(prot_spdm_emu_send(fds[0], PROT_SPDM_EMU_CMD_NORMAL,
					    PROT_SPDM_EMU_TRANSPORT_MCTP,
					    mctp_get_version,
					    sizeof(mctp_get_version), WAIT_MS),
			 0);
	assert_int_equal(raw_read(fds[1], buf, sizeof(normal)), sizeof(normal));
	assert_memory_equal(buf, normal, sizeof(normal));

	assert_int_equal(prot_spdm_emu_send(fds[0], PROT_SPDM_EMU_CMD_TEST,
					    PROT_SPDM_EMU_TRANSPORT_MCTP,
					    client_hello, sizeof(client_hello),
					    WAIT_MS),
			 0);
	assert_int_equal(raw_read(fds[1], buf, sizeof(test)), sizeof(test));
	assert_memory_equal(buf, test, sizeof(test));

	assert_int_equal(prot_spdm_emu_send(fds[0], PROT_SPDM_EMU_CMD_SHUTDOWN,
					    PROT_SPDM_EMU_TRANSPORT_PCI_DOE,
					    NULL, 0, WAIT_MS),
			 0);
	assert_int_equal(raw_read(fds[1], buf, sizeof(shutdown_pci_doe)),
			 sizeof(shutdown_pci_doe));
	assert_memory_equal(buf, shutdown_pci_doe, sizeof(shutdown_pci_doe));

	assert_int_equal(prot_spdm_emu_send(fds[0], PROT_SPDM_EMU_CMD_CONTINUE,
					    PROT_SPDM_EMU_TRANSPORT_NONE, NULL,
					    0, WAIT_MS),
			 0);
	assert_int_equal(raw_read(fds[1], buf, sizeof(continue_none)),
			 sizeof(continue_none));
	assert_memory_equal(buf, continue_none, sizeof(continue_none));
	assert_true(nothing_waiting(fds[1]));
	close(fds[0]);
	close(fds[1]);
}

/* Hand-written wire bytes in, through recv(). */
static void test_recv_wire_bytes(void **state)
{
	static const uint8_t wire[] = {
		0x00,
		0x00,
		0x00,
		0x01,
		0x00,
		0x00,
		0x00,
		0x01,
		0x00,
		0x00,
		0x00,
		0x05,
		0x05,
		0x10,
		0x84,
		0x00,
		0x00,
		/* then an empty UNKNOWN */
		0x00,
		0x00,
		0xFF,
		0xFF,
		0x00,
		0x00,
		0x00,
		0x01,
		0x00,
		0x00,
		0x00,
		0x00,
	};
	struct prot_spdm_emu_header hdr;
	size_t len = 0;
	int fds[2];

	(void)state;
	stream_pair(fds);
	raw_write(fds[1], wire, sizeof(wire));
	expect_msg(fds[0], PROT_SPDM_EMU_CMD_NORMAL,
		   PROT_SPDM_EMU_TRANSPORT_MCTP, mctp_get_version,
		   sizeof(mctp_get_version));
	/* An empty payload needs no buffer. */
	assert_int_equal(prot_spdm_emu_recv(fds[0], &hdr, NULL, &len, WAIT_MS),
			 0);
	assert_int_equal(hdr.command, PROT_SPDM_EMU_CMD_UNKNOWN);
	assert_int_equal(hdr.payload_size, 0);
	assert_int_equal(len, 0);
	close(fds[0]);
	close(fds[1]);
}

/* ---- round trips ---- */

static void round_trips(int a, int b)
{
	static uint8_t big[PROT_SPDM_EMU_PAYLOAD_MAX];

	fill_pattern(big, sizeof(big));
	/* Requester to responder and back, each size class. */
	assert_int_equal(prot_spdm_emu_send(a, PROT_SPDM_EMU_CMD_TEST,
					    PROT_SPDM_EMU_TRANSPORT_MCTP,
					    client_hello, sizeof(client_hello),
					    WAIT_MS),
			 0);
	expect_msg(b, PROT_SPDM_EMU_CMD_TEST, PROT_SPDM_EMU_TRANSPORT_MCTP,
		   client_hello, sizeof(client_hello));
	assert_int_equal(prot_spdm_emu_send(b, PROT_SPDM_EMU_CMD_NORMAL,
					    PROT_SPDM_EMU_TRANSPORT_PCI_DOE,
					    big, sizeof(big), WAIT_MS),
			 0);
	expect_msg(a, PROT_SPDM_EMU_CMD_NORMAL, PROT_SPDM_EMU_TRANSPORT_PCI_DOE,
		   big, sizeof(big));
	assert_int_equal(prot_spdm_emu_send(a, PROT_SPDM_EMU_CMD_SHUTDOWN,
					    PROT_SPDM_EMU_TRANSPORT_NONE, NULL,
					    0, WAIT_MS),
			 0);
	expect_msg(b, PROT_SPDM_EMU_CMD_SHUTDOWN, PROT_SPDM_EMU_TRANSPORT_NONE,
		   NULL, 0);
	/* Several messages queued back to back keep their boundaries. */
	for (uint32_t i = 1; i <= 8; i++)
		assert_int_equal(prot_spdm_emu_send(a, 0x100u + i, i, big, i,
						    WAIT_MS),
				 0);
	for (uint32_t i = 1; i <= 8; i++)
		expect_msg(b, 0x100u + i, i, big, i);
	assert_true(nothing_waiting(a));
	assert_true(nothing_waiting(b));
}

static void test_round_trip_socketpair(void **state)
{
	int fds[2];

	(void)state;
	stream_pair(fds);
	round_trips(fds[0], fds[1]);
	close(fds[0]);
	close(fds[1]);
}

static void test_round_trip_tcp(void **state)
{
	int lfd, cfd, sfd;

	(void)state;
	tcp_pair(&lfd, &cfd, &sfd);
	round_trips(cfd, sfd);
	close3(lfd, cfd, sfd);
}

static void test_round_trip_tcp_ipv6(void **state)
{
	int lfd, cfd, sfd, port;

	(void)state;
	lfd = prot_spdm_emu_listen("::1", 0);
	if (lfd == -EADDRNOTAVAIL || lfd == -EAFNOSUPPORT) {
		skip(); /* no IPv6 loopback in this sandbox */
		return;
	}
	assert_true(lfd >= 0);
	port = prot_spdm_emu_local_port(lfd);
	assert_true(port > 0);
	cfd = prot_spdm_emu_connect("::1", (uint16_t)port, WAIT_MS);
	assert_true(cfd >= 0);
	sfd = prot_spdm_emu_accept(lfd, WAIT_MS);
	assert_true(sfd >= 0);
	round_trips(cfd, sfd);
	close3(lfd, cfd, sfd);
}

/* ---- partial reads, EINTR ---- */

static uint8_t trickle_msg[PROT_SPDM_EMU_HEADER_SIZE + 5];

static void make_trickle_msg(void)
{
	struct prot_spdm_emu_header hdr = {PROT_SPDM_EMU_CMD_NORMAL,
					   PROT_SPDM_EMU_TRANSPORT_MCTP, 5};

	prot_spdm_emu_header_encode(&hdr, trickle_msg);
	memcpy(trickle_msg + PROT_SPDM_EMU_HEADER_SIZE, mctp_get_version, 5);
}

static void test_partial_reads_socketpair(void **state)
{
	int fds[2];
	pid_t pid;

	(void)state;
	make_trickle_msg();
	stream_pair(fds);
	pid = spawn_trickle(fds[1], fds[0], trickle_msg, sizeof(trickle_msg), 0,
			    2000);
	expect_msg(fds[0], PROT_SPDM_EMU_CMD_NORMAL,
		   PROT_SPDM_EMU_TRANSPORT_MCTP, mctp_get_version, 5);
	assert_int_equal(reap(pid), 0);
	close(fds[0]);
}

static void test_partial_reads_tcp(void **state)
{
	int lfd, cfd, sfd;
	pid_t pid;

	(void)state;
	make_trickle_msg();
	tcp_pair(&lfd, &cfd, &sfd);
	close(lfd);
	pid = spawn_trickle(cfd, sfd, trickle_msg, sizeof(trickle_msg), 0,
			    2000);
	expect_msg(sfd, PROT_SPDM_EMU_CMD_NORMAL, PROT_SPDM_EMU_TRANSPORT_MCTP,
		   mctp_get_version, 5);
	assert_int_equal(reap(pid), 0);
	close(sfd);
}

static volatile sig_atomic_t alarms;

static void on_alarm(int sig)
{
	(void)sig;
	alarms++;
}

/* A signal every 5 ms interrupts the waits; the message still arrives
 * whole and in time. */
static void test_eintr(void **state)
{
	struct sigaction sa = {.sa_handler = on_alarm}, old;
	struct itimerval tick = {{0, 5000}, {0, 5000}}, off = {{0, 0}, {0, 0}};
	int fds[2];
	pid_t pid;

	(void)state;
	make_trickle_msg();
	stream_pair(fds);
	pid = spawn_trickle(fds[1], fds[0], trickle_msg, sizeof(trickle_msg),
			    60000, 3000);
	alarms = 0;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = 0; /* no SA_RESTART: calls do see EINTR */
	assert_int_equal(sigaction(SIGALRM, &sa, &old), 0);
	assert_int_equal(setitimer(ITIMER_REAL, &tick, NULL), 0);
	expect_msg(fds[0], PROT_SPDM_EMU_CMD_NORMAL,
		   PROT_SPDM_EMU_TRANSPORT_MCTP, mctp_get_version, 5);
	assert_int_equal(setitimer(ITIMER_REAL, &off, NULL), 0);
	assert_int_equal(sigaction(SIGALRM, &old, NULL), 0);
	assert_true(alarms > 3);
	assert_int_equal(reap(pid), 0);
	close(fds[0]);
}

/* Large messages through tiny socket buffers: the sender's partial
 * writes and the receiver's partial reads, in two processes. */
static void test_partial_writes(void **state)
{
	static uint8_t big[PROT_SPDM_EMU_PAYLOAD_MAX];
	int small = 1; /* the kernel rounds it up to its minimum */
	int fds[2];
	pid_t pid;

	(void)state;
	fill_pattern(big, sizeof(big));
	stream_pair(fds);
	assert_int_equal(setsockopt(fds[1], SOL_SOCKET, SO_SNDBUF, &small,
				    sizeof(small)),
			 0);
	assert_int_equal(setsockopt(fds[0], SOL_SOCKET, SO_RCVBUF, &small,
				    sizeof(small)),
			 0);
	pid = fork();
	assert_true(pid >= 0);
	if (!pid) {
		alarm(CHILD_ALARM_S);
		close(fds[0]);
		for (int i = 0; i < 4; i++)
			if (prot_spdm_emu_send(fds[1], PROT_SPDM_EMU_CMD_NORMAL,
					       PROT_SPDM_EMU_TRANSPORT_MCTP,
					       big, sizeof(big), WAIT_MS))
				_exit(4);
		_exit(0);
	}
	close(fds[1]);
	for (int i = 0; i < 4; i++)
		expect_msg(fds[0], PROT_SPDM_EMU_CMD_NORMAL,
			   PROT_SPDM_EMU_TRANSPORT_MCTP, big, sizeof(big));
	assert_int_equal(reap(pid), 0);
	close(fds[0]);
}

/* ---- oversize ---- */

static void test_oversize_drained(void **state)
{
	/* Several discard chunks' worth, not a multiple of any power of 2. */
	static uint8_t payload[1000];
	uint8_t small[10];
	struct prot_spdm_emu_header hdr;
	size_t len = sizeof(small);
	int fds[2];

	(void)state;
	fill_pattern(payload, sizeof(payload));
	stream_pair(fds);
	assert_int_equal(prot_spdm_emu_send(fds[1], PROT_SPDM_EMU_CMD_NORMAL,
					    PROT_SPDM_EMU_TRANSPORT_MCTP,
					    payload, sizeof(payload), WAIT_MS),
			 0);
	assert_int_equal(prot_spdm_emu_send(fds[1], PROT_SPDM_EMU_CMD_TEST,
					    PROT_SPDM_EMU_TRANSPORT_MCTP,
					    client_hello, sizeof(client_hello),
					    WAIT_MS),
			 0);
	assert_int_equal(prot_spdm_emu_recv(fds[0], &hdr, small, &len, WAIT_MS),
			 -EMSGSIZE);
	assert_int_equal(hdr.command, PROT_SPDM_EMU_CMD_NORMAL);
	assert_int_equal(hdr.payload_size, sizeof(payload));
	assert_int_equal(len, sizeof(small)); /* unchanged */
	/* The payload was skipped: the next message is found whole. */
	expect_msg(fds[0], PROT_SPDM_EMU_CMD_TEST, PROT_SPDM_EMU_TRANSPORT_MCTP,
		   client_hello, sizeof(client_hello));
	close(fds[0]);
	close(fds[1]);
}

/* A size beyond what the tools ever send: not read, connection shut. */
static void over_limit(uint32_t size)
{
	static uint8_t buf[PROT_SPDM_EMU_PAYLOAD_MAX];
	uint8_t wire[PROT_SPDM_EMU_HEADER_SIZE + 4] = {0};
	struct prot_spdm_emu_header hdr = {PROT_SPDM_EMU_CMD_NORMAL,
					   PROT_SPDM_EMU_TRANSPORT_MCTP, size};
	size_t len = sizeof(buf);
	int fds[2];

	stream_pair(fds);
	prot_spdm_emu_header_encode(&hdr, wire);
	raw_write(fds[1], wire, sizeof(wire));
	memset(&hdr, 0, sizeof(hdr));
	assert_int_equal(prot_spdm_emu_recv(fds[0], &hdr, buf, &len, WAIT_MS),
			 -EMSGSIZE);
	assert_int_equal(hdr.payload_size, size);
	assert_true(sees_eof(fds[1]));
	assert_int_equal(prot_spdm_emu_recv(fds[0], &hdr, buf, &len, WAIT_MS),
			 -ECONNRESET);
	close(fds[0]);
	close(fds[1]);
}

static void test_oversize_over_limit(void **state)
{
	(void)state;
	over_limit(PROT_SPDM_EMU_PAYLOAD_MAX + 1);
	over_limit(0xFFFFFFFFu);
}

static void test_send_rejects(void **state)
{
	static uint8_t big[PROT_SPDM_EMU_PAYLOAD_MAX + 1];
	int fds[2];

	(void)state;
	stream_pair(fds);
	assert_int_equal(prot_spdm_emu_send(fds[0], PROT_SPDM_EMU_CMD_NORMAL,
					    PROT_SPDM_EMU_TRANSPORT_MCTP, big,
					    sizeof(big), WAIT_MS),
			 -EMSGSIZE);
	assert_int_equal(prot_spdm_emu_send(fds[0], PROT_SPDM_EMU_CMD_NORMAL,
					    PROT_SPDM_EMU_TRANSPORT_MCTP, NULL,
					    3, WAIT_MS),
			 -EINVAL);
	/* Nothing reached the wire. */
	assert_true(nothing_waiting(fds[1]));
	close(fds[0]);
	close(fds[1]);
}

static void test_recv_rejects(void **state)
{
	struct prot_spdm_emu_header hdr;
	size_t len = 4;
	int fds[2];

	(void)state;
	stream_pair(fds);
	assert_int_equal(prot_spdm_emu_recv(fds[0], NULL, NULL, &len, 0),
			 -EINVAL);
	assert_int_equal(prot_spdm_emu_recv(fds[0], &hdr, NULL, NULL, 0),
			 -EINVAL);
	assert_int_equal(prot_spdm_emu_recv(fds[0], &hdr, NULL, &len, 0),
			 -EINVAL);
	close(fds[0]);
	close(fds[1]);
}

/* ---- peer close ---- */

static void peer_closes_after(const uint8_t *wire, size_t n)
{
	static uint8_t buf[PROT_SPDM_EMU_PAYLOAD_MAX];
	struct prot_spdm_emu_header hdr;
	size_t len = sizeof(buf);
	int fds[2];

	stream_pair(fds);
	if (n)
		raw_write(fds[1], wire, n);
	close(fds[1]);
	assert_int_equal(prot_spdm_emu_recv(fds[0], &hdr, buf, &len, WAIT_MS),
			 -ECONNRESET);
	close(fds[0]);
}

static void test_peer_close(void **state)
{
	static const uint8_t wire[] = {
		0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01,
		0x00, 0x00, 0x00, 0x0A, 1,    2,    3,    4,
	};

	(void)state;
	peer_closes_after(wire, 0);  /* between messages */
	peer_closes_after(wire, 5);  /* mid-header */
	peer_closes_after(wire, 12); /* header only, 10 bytes announced */
	peer_closes_after(wire, 16); /* mid-payload */
}

static void test_peer_close_tcp_mid_payload(void **state)
{
	static uint8_t buf[64];
	static const uint8_t wire[] = {
		0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01,
		0x00, 0x00, 0x00, 0x0A, 1,    2,    3,    4,
	};
	struct prot_spdm_emu_header hdr;
	size_t len = sizeof(buf);
	int lfd, cfd, sfd;
	pid_t pid;

	(void)state;
	tcp_pair(&lfd, &cfd, &sfd);
	close(lfd);
	/* The writer stops after 16 bytes and its process exits: a real
	 * FIN from another process. */
	pid = spawn_trickle(cfd, sfd, wire, sizeof(wire), 0, 0);
	assert_int_equal(prot_spdm_emu_recv(sfd, &hdr, buf, &len, WAIT_MS),
			 -ECONNRESET);
	assert_int_equal(reap(pid), 0);
	close(sfd);
}

static void test_send_to_closed_peer(void **state)
{
	int fds[2];

	(void)state;
	stream_pair(fds);
	close(fds[1]);
	/* No SIGPIPE: the test would die of it. */
	assert_int_equal(prot_spdm_emu_send(fds[0], PROT_SPDM_EMU_CMD_TEST,
					    PROT_SPDM_EMU_TRANSPORT_MCTP,
					    client_hello, sizeof(client_hello),
					    WAIT_MS),
			 -EPIPE);
	close(fds[0]);
}

/* ---- timeouts ---- */

static void test_recv_timeout_idle(void **state)
{
	struct prot_spdm_emu_header hdr;
	uint8_t buf[16];
	size_t len = sizeof(buf);
	uint32_t start, took;
	int fds[2];

	(void)state;
	stream_pair(fds);
	start = prot_posix_now_ms();
	assert_int_equal(prot_spdm_emu_recv(fds[0], &hdr, buf, &len, SHORT_MS),
			 -ETIMEDOUT);
	took = prot_posix_now_ms() - start;
	assert_true(took >= SHORT_MS - 5 && took < WAIT_MS);
	/* 0: only what is already there. */
	assert_int_equal(prot_spdm_emu_recv(fds[0], &hdr, buf, &len, 0),
			 -ETIMEDOUT);
	/* Nothing was consumed: the connection still works. */
	assert_int_equal(prot_spdm_emu_send(fds[1], PROT_SPDM_EMU_CMD_TEST,
					    PROT_SPDM_EMU_TRANSPORT_MCTP,
					    client_hello, sizeof(client_hello),
					    WAIT_MS),
			 0);
	expect_msg(fds[0], PROT_SPDM_EMU_CMD_TEST, PROT_SPDM_EMU_TRANSPORT_MCTP,
		   client_hello, sizeof(client_hello));
	close(fds[0]);
	close(fds[1]);
}

/* A peer that stops mid-message: timeout, and the connection is shut
 * down since its framing is lost. */
static void stall_after(size_t n)
{
	static const uint8_t wire[] = {
		0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01,
		0x00, 0x00, 0x00, 0x0A, 1,    2,    3,    4,
	};
	struct prot_spdm_emu_header hdr;
	uint8_t buf[16];
	size_t len = sizeof(buf);
	int fds[2];

	stream_pair(fds);
	raw_write(fds[1], wire, n);
	assert_int_equal(prot_spdm_emu_recv(fds[0], &hdr, buf, &len, SHORT_MS),
			 -ETIMEDOUT);
	assert_true(sees_eof(fds[1]));
	assert_int_equal(prot_spdm_emu_recv(fds[0], &hdr, buf, &len, SHORT_MS),
			 -ECONNRESET);
	close(fds[0]);
	close(fds[1]);
}

static void test_recv_timeout_stalled(void **state)
{
	(void)state;
	stall_after(3);  /* mid-header */
	stall_after(14); /* mid-payload */
}

/* The deadline covers the whole message: a peer trickling a byte every
 * 60 ms (the message would be complete after about 1 s) cannot keep a
 * 100 ms receive going. */
static void test_recv_timeout_trickle(void **state)
{
	struct prot_spdm_emu_header hdr;
	uint8_t buf[16];
	size_t len = sizeof(buf);
	uint32_t start, took;
	int fds[2];
	pid_t pid;

	(void)state;
	make_trickle_msg();
	stream_pair(fds);
	pid = spawn_trickle(fds[1], fds[0], trickle_msg, sizeof(trickle_msg), 0,
			    60000);
	start = prot_posix_now_ms();
	assert_int_equal(prot_spdm_emu_recv(fds[0], &hdr, buf, &len, SHORT_MS),
			 -ETIMEDOUT);
	took = prot_posix_now_ms() - start;
	assert_true(took < 900);
	close(fds[0]);
	/* The socket was shut down: the child's next write fails (exit
	 * code 3). */
	assert_int_equal(reap(pid), 3);
}

static void test_send_timeout(void **state)
{
	static uint8_t big[PROT_SPDM_EMU_PAYLOAD_MAX];
	int small = 1;
	int rc = 0;
	int fds[2];

	(void)state;
	stream_pair(fds);
	assert_int_equal(setsockopt(fds[0], SOL_SOCKET, SO_SNDBUF, &small,
				    sizeof(small)),
			 0);
	/* The peer never reads: the buffers fill up, then send waits and
	 * gives up. */
	for (int i = 0; i < 10000 && !rc; i++)
		rc = prot_spdm_emu_send(fds[0], PROT_SPDM_EMU_CMD_NORMAL,
					PROT_SPDM_EMU_TRANSPORT_MCTP, big,
					sizeof(big), 20);
	assert_int_equal(rc, -ETIMEDOUT);
	close(fds[0]);
	close(fds[1]);
}

/* ---- connections ---- */

static void test_connect_refused(void **state)
{
	int lfd, port;

	(void)state;
	/* A port that was free a moment ago, and is closed again. */
	lfd = prot_spdm_emu_listen(NULL, 0);
	assert_true(lfd >= 0);
	port = prot_spdm_emu_local_port(lfd);
	assert_true(port > 0);
	close(lfd);
	assert_int_equal(prot_spdm_emu_connect(NULL, (uint16_t)port, WAIT_MS),
			 -ECONNREFUSED);
}

static void test_accept_timeout(void **state)
{
	int lfd;

	(void)state;
	lfd = prot_spdm_emu_listen("127.0.0.1", 0);
	assert_true(lfd >= 0);
	assert_int_equal(prot_spdm_emu_accept(lfd, SHORT_MS), -ETIMEDOUT);
	close(lfd);
}

static void test_bad_address(void **state)
{
	(void)state;
	/* Numeric only: no name lookups. */
	assert_int_equal(prot_spdm_emu_listen("localhost", 0), -EINVAL);
	assert_int_equal(prot_spdm_emu_connect("localhost", 2323, SHORT_MS),
			 -EINVAL);
	assert_int_equal(prot_spdm_emu_listen("127.0.0.256", 0), -EINVAL);
}

/* ---- server ---- */

struct fake_spdm {
	int calls;
	uint32_t transport_type;
	uint8_t req[64];
	size_t req_len;
	int rc;          /* what normal() returns */
	size_t rsp_over; /* added to the response length, to test checks */
};

/* An SPDM 1.0 VERSION response behind the MCTP type byte: version 0x10,
 * code 0x04, reserved, count 1, entry 1.0 (0x1000 little-endian). */
static const uint8_t mctp_version_rsp[] = {0x05, 0x10, 0x04, 0x00, 0x00,
					   0x00, 0x01, 0x00, 0x10};

static int fake_normal(void *ctx, uint32_t transport_type, const uint8_t *req,
		       size_t req_len, uint8_t *rsp, size_t *rsp_len)
{
	struct fake_spdm *f = ctx;

	f->calls++;
	f->transport_type = transport_type;
	f->req_len = req_len;
	memcpy(f->req, req,
	       req_len < sizeof(f->req) ? req_len : sizeof(f->req));
	if (f->rc)
		return f->rc;
	if (*rsp_len < sizeof(mctp_version_rsp))
		return -ENOSPC;
	memcpy(rsp, mctp_version_rsp, sizeof(mctp_version_rsp));
	*rsp_len = sizeof(mctp_version_rsp) + f->rsp_over;
	return 0;
}

static const struct prot_spdm_emu_server_ops fake_ops = {
	.normal = fake_normal,
};

/* Large: static storage. */
static struct prot_spdm_emu_server server;

struct server_fixture {
	struct fake_spdm fake;
	int req_fd; /* requester's end */
	int srv_fd; /* server's end */
};

static int server_setup(void **state)
{
	static struct server_fixture fx;
	int fds[2];

	memset(&fx, 0, sizeof(fx));
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds))
		return -1;
	fx.req_fd = fds[0];
	fx.srv_fd = fds[1];
	if (prot_spdm_emu_server_init(&server, &fake_ops, &fx.fake,
				      PROT_SPDM_EMU_TRANSPORT_MCTP, WAIT_MS))
		return -1;
	*state = &fx;
	return 0;
}

static int server_teardown(void **state)
{
	struct server_fixture *fx = *state;

	close(fx->req_fd);
	close(fx->srv_fd);
	return 0;
}

/* The requester sends, the server handles it (same thread: the socket
 * buffers hold both directions). Returns what handle() returned. */
static int serve_one(struct server_fixture *fx, uint32_t command,
		     uint32_t transport, const uint8_t *payload, size_t len)
{
	assert_int_equal(prot_spdm_emu_send(fx->req_fd, command, transport,
					    payload, len, WAIT_MS),
			 0);
	return prot_spdm_emu_server_handle(&server, fx->srv_fd, WAIT_MS);
}

static void test_server_init(void **state)
{
	static const struct prot_spdm_emu_server_ops no_normal = {0};

	(void)state;
	assert_int_equal(prot_spdm_emu_server_init(NULL, &fake_ops, NULL, 1, 0),
			 -EINVAL);
	assert_int_equal(prot_spdm_emu_server_init(&server, NULL, NULL, 1, 0),
			 -EINVAL);
	assert_int_equal(prot_spdm_emu_server_init(&server, &no_normal, NULL, 1,
						   0),
			 -EINVAL);
	assert_int_equal(
		prot_spdm_emu_server_init(&server, &fake_ops, NULL, 1, 0), 0);
}

static void test_server_test(void **state)
{
	struct server_fixture *fx = *state;

	assert_int_equal(serve_one(fx, PROT_SPDM_EMU_CMD_TEST,
				   PROT_SPDM_EMU_TRANSPORT_MCTP, client_hello,
				   sizeof(client_hello)),
			 PROT_SPDM_EMU_SERVE_MORE);
	expect_msg(fx->req_fd, PROT_SPDM_EMU_CMD_TEST,
		   PROT_SPDM_EMU_TRANSPORT_MCTP, client_hello,
		   sizeof(client_hello));
	assert_int_equal(fx->fake.calls, 0);
}

static void test_server_normal(void **state)
{
	struct server_fixture *fx = *state;

	assert_int_equal(serve_one(fx, PROT_SPDM_EMU_CMD_NORMAL,
				   PROT_SPDM_EMU_TRANSPORT_MCTP,
				   mctp_get_version, sizeof(mctp_get_version)),
			 PROT_SPDM_EMU_SERVE_MORE);
	assert_int_equal(fx->fake.calls, 1);
	assert_int_equal(fx->fake.transport_type, PROT_SPDM_EMU_TRANSPORT_MCTP);
	assert_int_equal(fx->fake.req_len, sizeof(mctp_get_version));
	assert_memory_equal(fx->fake.req, mctp_get_version,
			    sizeof(mctp_get_version));
	expect_msg(fx->req_fd, PROT_SPDM_EMU_CMD_NORMAL,
		   PROT_SPDM_EMU_TRANSPORT_MCTP, mctp_version_rsp,
		   sizeof(mctp_version_rsp));
}

static void test_server_shutdown(void **state)
{
	struct server_fixture *fx = *state;

	assert_int_equal(serve_one(fx, PROT_SPDM_EMU_CMD_SHUTDOWN,
				   PROT_SPDM_EMU_TRANSPORT_MCTP, NULL, 0),
			 PROT_SPDM_EMU_SERVE_SHUTDOWN);
	expect_msg(fx->req_fd, PROT_SPDM_EMU_CMD_SHUTDOWN,
		   PROT_SPDM_EMU_TRANSPORT_MCTP, NULL, 0);
}

static void test_server_continue(void **state)
{
	struct server_fixture *fx = *state;

	assert_int_equal(serve_one(fx, PROT_SPDM_EMU_CMD_CONTINUE,
				   PROT_SPDM_EMU_TRANSPORT_MCTP, NULL, 0),
			 PROT_SPDM_EMU_SERVE_CLOSE);
	expect_msg(fx->req_fd, PROT_SPDM_EMU_CMD_CONTINUE,
		   PROT_SPDM_EMU_TRANSPORT_MCTP, NULL, 0);
}

static void test_server_unknown(void **state)
{
	struct server_fixture *fx = *state;
	static const uint32_t commands[] = {
		PROT_SPDM_EMU_CMD_OOB_ENCAP_KEY_UPDATE,
		PROT_SPDM_EMU_CMD_OOB_ENCAP_ENDPOINT_INFO,
		0x0002, /* DECAP_TDISP: not ours */
		0x1234,
		0x0000,
		PROT_SPDM_EMU_CMD_UNKNOWN,
	};
	uint8_t junk[3] = {1, 2, 3};

	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		assert_int_equal(serve_one(fx, commands[i],
					   PROT_SPDM_EMU_TRANSPORT_MCTP, junk,
					   i % 2 ? sizeof(junk) : 0),
				 PROT_SPDM_EMU_SERVE_MORE);
		expect_msg(fx->req_fd, PROT_SPDM_EMU_CMD_UNKNOWN,
			   PROT_SPDM_EMU_TRANSPORT_MCTP, NULL, 0);
	}
	/* The connection is still served. */
	assert_int_equal(serve_one(fx, PROT_SPDM_EMU_CMD_TEST,
				   PROT_SPDM_EMU_TRANSPORT_MCTP, client_hello,
				   sizeof(client_hello)),
			 PROT_SPDM_EMU_SERVE_MORE);
	expect_msg(fx->req_fd, PROT_SPDM_EMU_CMD_TEST,
		   PROT_SPDM_EMU_TRANSPORT_MCTP, client_hello,
		   sizeof(client_hello));
	assert_int_equal(fx->fake.calls, 0);
}

static void test_server_wrong_transport(void **state)
{
	struct server_fixture *fx = *state;

	assert_int_equal(serve_one(fx, PROT_SPDM_EMU_CMD_TEST,
				   PROT_SPDM_EMU_TRANSPORT_PCI_DOE,
				   client_hello, sizeof(client_hello)),
			 -EPROTO);
	assert_int_equal(serve_one(fx, PROT_SPDM_EMU_CMD_NORMAL,
				   PROT_SPDM_EMU_TRANSPORT_NONE,
				   mctp_get_version + 1, 4),
			 -EPROTO);
	assert_true(nothing_waiting(fx->req_fd));
	assert_int_equal(fx->fake.calls, 0);
}

static void test_server_callback_errors(void **state)
{
	struct server_fixture *fx = *state;

	fx->fake.rc = -EIO;
	assert_int_equal(serve_one(fx, PROT_SPDM_EMU_CMD_NORMAL,
				   PROT_SPDM_EMU_TRANSPORT_MCTP,
				   mctp_get_version, sizeof(mctp_get_version)),
			 -EIO);
	fx->fake.rc = 7; /* not an errno: refused all the same */
	assert_int_equal(serve_one(fx, PROT_SPDM_EMU_CMD_NORMAL,
				   PROT_SPDM_EMU_TRANSPORT_MCTP,
				   mctp_get_version, sizeof(mctp_get_version)),
			 -EINVAL);
	fx->fake.rc = 0;
	fx->fake.rsp_over = PROT_SPDM_EMU_PAYLOAD_MAX;
	assert_int_equal(serve_one(fx, PROT_SPDM_EMU_CMD_NORMAL,
				   PROT_SPDM_EMU_TRANSPORT_MCTP,
				   mctp_get_version, sizeof(mctp_get_version)),
			 -EINVAL);
	assert_int_equal(fx->fake.calls, 3);
	assert_true(nothing_waiting(fx->req_fd));
}

static void test_server_oversize(void **state)
{
	struct server_fixture *fx = *state;
	uint8_t wire[PROT_SPDM_EMU_HEADER_SIZE];
	struct prot_spdm_emu_header hdr = {PROT_SPDM_EMU_CMD_NORMAL,
					   PROT_SPDM_EMU_TRANSPORT_MCTP,
					   PROT_SPDM_EMU_PAYLOAD_MAX + 1};

	prot_spdm_emu_header_encode(&hdr, wire);
	raw_write(fx->req_fd, wire, sizeof(wire));
	assert_int_equal(prot_spdm_emu_server_handle(&server, fx->srv_fd,
						     WAIT_MS),
			 -EMSGSIZE);
	assert_int_equal(fx->fake.calls, 0);
	assert_true(sees_eof(fx->req_fd));
}

static void test_server_idle_and_close(void **state)
{
	struct server_fixture *fx = *state;
	uint32_t start = prot_posix_now_ms();

	assert_int_equal(prot_spdm_emu_server_handle(&server, fx->srv_fd,
						     SHORT_MS),
			 -ETIMEDOUT);
	assert_true(prot_posix_now_ms() - start >= SHORT_MS - 5);
	shutdown(fx->req_fd, SHUT_WR);
	assert_int_equal(prot_spdm_emu_server_handle(&server, fx->srv_fd,
						     WAIT_MS),
			 -ECONNRESET);
}

/*
 * The whole responder over TCP in a child process, driven the way
 * spdm_requester_emu drives spdm_responder_emu: TEST first, SPDM in
 * NORMAL messages, CONTINUE to end a connection, a second connection,
 * SHUTDOWN.
 */
static void test_server_run_tcp(void **state)
{
	struct fake_spdm fake = {0};
	int lfd, fd, port;
	pid_t pid;
	struct prot_spdm_emu_header hdr;
	size_t len = 0;

	(void)state;
	lfd = prot_spdm_emu_listen(NULL, 0);
	assert_true(lfd >= 0);
	port = prot_spdm_emu_local_port(lfd);
	assert_true(port > 0);
	pid = fork();
	assert_true(pid >= 0);
	if (!pid) {
		alarm(CHILD_ALARM_S);
		if (prot_spdm_emu_server_init(&server, &fake_ops, &fake,
					      PROT_SPDM_EMU_TRANSPORT_MCTP, 0))
			_exit(5);
		_exit(prot_spdm_emu_server_run(&server, lfd, WAIT_MS) ? 6 : 0);
	}
	close(lfd);

	fd = prot_spdm_emu_connect(NULL, (uint16_t)port, WAIT_MS);
	assert_true(fd >= 0);
	assert_int_equal(prot_spdm_emu_send(fd, PROT_SPDM_EMU_CMD_TEST,
					    PROT_SPDM_EMU_TRANSPORT_MCTP,
					    client_hello, sizeof(client_hello),
					    WAIT_MS),
			 0);
	expect_msg(fd, PROT_SPDM_EMU_CMD_TEST, PROT_SPDM_EMU_TRANSPORT_MCTP,
		   client_hello, sizeof(client_hello));
	assert_int_equal(prot_spdm_emu_send(fd, PROT_SPDM_EMU_CMD_NORMAL,
					    PROT_SPDM_EMU_TRANSPORT_MCTP,
					    mctp_get_version,
					    sizeof(mctp_get_version), WAIT_MS),
			 0);
	expect_msg(fd, PROT_SPDM_EMU_CMD_NORMAL, PROT_SPDM_EMU_TRANSPORT_MCTP,
		   mctp_version_rsp, sizeof(mctp_version_rsp));
	assert_int_equal(
		prot_spdm_emu_send(fd, PROT_SPDM_EMU_CMD_OOB_ENCAP_KEY_UPDATE,
				   PROT_SPDM_EMU_TRANSPORT_MCTP, NULL, 0,
				   WAIT_MS),
		0);
	expect_msg(fd, PROT_SPDM_EMU_CMD_UNKNOWN, PROT_SPDM_EMU_TRANSPORT_MCTP,
		   NULL, 0);
	assert_int_equal(prot_spdm_emu_send(fd, PROT_SPDM_EMU_CMD_CONTINUE,
					    PROT_SPDM_EMU_TRANSPORT_MCTP, NULL,
					    0, WAIT_MS),
			 0);
	expect_msg(fd, PROT_SPDM_EMU_CMD_CONTINUE, PROT_SPDM_EMU_TRANSPORT_MCTP,
		   NULL, 0);
	/* The server hangs up after CONTINUE... */
	assert_int_equal(prot_spdm_emu_recv(fd, &hdr, NULL, &len, WAIT_MS),
			 -ECONNRESET);
	close(fd);

	/* ...and takes the next requester. */
	fd = prot_spdm_emu_connect(NULL, (uint16_t)port, WAIT_MS);
	assert_true(fd >= 0);
	assert_int_equal(prot_spdm_emu_send(fd, PROT_SPDM_EMU_CMD_SHUTDOWN,
					    PROT_SPDM_EMU_TRANSPORT_MCTP, NULL,
					    0, WAIT_MS),
			 0);
	expect_msg(fd, PROT_SPDM_EMU_CMD_SHUTDOWN, PROT_SPDM_EMU_TRANSPORT_MCTP,
		   NULL, 0);
	assert_int_equal(prot_spdm_emu_recv(fd, &hdr, NULL, &len, WAIT_MS),
			 -ECONNRESET);
	close(fd);
	/* SHUTDOWN ends the server: run() returned 0. */
	assert_int_equal(reap(pid), 0);
	/* Nobody listens any more. */
	assert_int_equal(prot_spdm_emu_connect(NULL, (uint16_t)port, WAIT_MS),
			 -ECONNREFUSED);
}

static void test_server_run_no_requester(void **state)
{
	int lfd;

	(void)state;
	assert_int_equal(prot_spdm_emu_server_init(&server, &fake_ops, NULL,
						   PROT_SPDM_EMU_TRANSPORT_MCTP,
						   0),
			 0);
	lfd = prot_spdm_emu_listen(NULL, 0);
	assert_true(lfd >= 0);
	assert_int_equal(prot_spdm_emu_server_run(&server, lfd, SHORT_MS),
			 -ETIMEDOUT);
	close(lfd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_constants),
		cmocka_unit_test(test_header_golden),
		cmocka_unit_test(test_send_wire_bytes),
		cmocka_unit_test(test_recv_wire_bytes),
		cmocka_unit_test(test_round_trip_socketpair),
		cmocka_unit_test(test_round_trip_tcp),
		cmocka_unit_test(test_round_trip_tcp_ipv6),
		cmocka_unit_test(test_partial_reads_socketpair),
		cmocka_unit_test(test_partial_reads_tcp),
		cmocka_unit_test(test_eintr),
		cmocka_unit_test(test_partial_writes),
		cmocka_unit_test(test_oversize_drained),
		cmocka_unit_test(test_oversize_over_limit),
		cmocka_unit_test(test_send_rejects),
		cmocka_unit_test(test_recv_rejects),
		cmocka_unit_test(test_peer_close),
		cmocka_unit_test(test_peer_close_tcp_mid_payload),
		cmocka_unit_test(test_send_to_closed_peer),
		cmocka_unit_test(test_recv_timeout_idle),
		cmocka_unit_test(test_recv_timeout_stalled),
		cmocka_unit_test(test_recv_timeout_trickle),
		cmocka_unit_test(test_send_timeout),
		cmocka_unit_test(test_connect_refused),
		cmocka_unit_test(test_accept_timeout),
		cmocka_unit_test(test_bad_address),
		cmocka_unit_test(test_server_init),
		cmocka_unit_test_setup_teardown(test_server_test, server_setup,
						server_teardown),
		cmocka_unit_test_setup_teardown(test_server_normal,
						server_setup, server_teardown),
		cmocka_unit_test_setup_teardown(test_server_shutdown,
						server_setup, server_teardown),
		cmocka_unit_test_setup_teardown(test_server_continue,
						server_setup, server_teardown),
		cmocka_unit_test_setup_teardown(test_server_unknown,
						server_setup, server_teardown),
		cmocka_unit_test_setup_teardown(test_server_wrong_transport,
						server_setup, server_teardown),
		cmocka_unit_test_setup_teardown(test_server_callback_errors,
						server_setup, server_teardown),
		cmocka_unit_test_setup_teardown(test_server_oversize,
						server_setup, server_teardown),
		cmocka_unit_test_setup_teardown(test_server_idle_and_close,
						server_setup, server_teardown),
		cmocka_unit_test(test_server_run_tcp),
		cmocka_unit_test(test_server_run_no_requester),
	};

	/* SIGPIPE keeps its default action: a send without MSG_NOSIGNAL
	 * would kill the run. */
	return cmocka_run_group_tests_name("posix spdm-emu", tests, NULL, NULL);
}
