/* SPDX-License-Identifier: Apache-2.0 */
/*
 * POSIX port: the SMBus wire (SOCK_SEQPACKET), the serial line (a real
 * pseudo-terminal, pipes for the write op's edge cases) and the clock,
 * with two libmctp stacks talking to each other in one process.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "mctp/mctp.h"
#include "mctp/serial.h"
#include "mctp/smbus.h"
#include "prot-posix/clock.h"
#include "prot-posix/serial.h"
#include "prot-posix/smbus.h"

#define EID_A 8u
#define EID_B 9u
#define ADDR_A 0x10u
#define ADDR_B 0x1du
#define MSG_TYPE MCTP_MSG_TYPE_VENDOR_PCI
/* Bound on every wait, so that a broken link fails instead of hanging. */
#define WAIT_MS 2000

struct sink {
	size_t count;
	struct mctp_msg_info info;
	size_t len;
	uint8_t msg[MCTP_MAX_MESSAGE_SIZE];
	size_t timeouts;
	bool echo; /* answer every request with the same bytes */
	int echo_rc;
};

struct node {
	struct mctp mctp;
	struct sink sink;
	struct prot_posix_smbus smbus_port;
	struct mctp_smbus smbus;
	struct prot_posix_serial serial_port;
	struct mctp_serial serial;
};

/* Large: static storage, reset by each test's setup. */
static struct node node_a, node_b;

static void sink_rx(void *ctx, struct mctp *mctp,
		    const struct mctp_msg_info *info, const uint8_t *msg,
		    size_t len)
{
	struct sink *s = ctx;

	s->count++;
	s->info = *info;
	s->len = len;
	memcpy(s->msg, msg, len);
	if (s->echo && info->tag_owner)
		s->echo_rc = mctp_response_tx(mctp, info, msg, len);
}

static void sink_timeout(void *ctx, struct mctp *mctp, uint8_t eid, uint8_t tag)
{
	struct sink *s = ctx;

	(void)mctp;
	(void)eid;
	(void)tag;
	s->timeouts++;
}

static const struct mctp_handler_ops sink_ops = {
	.rx = sink_rx,
	.timeout = sink_timeout,
};

static void node_init(struct node *n, uint8_t eid, uint32_t tag_timeout_ms)
{
	struct mctp_config cfg = {.eid = eid, .tag_timeout_ms = tag_timeout_ms};

	memset(n, 0, sizeof(*n));
	assert_int_equal(mctp_init(&n->mctp, &cfg), 0);
	assert_int_equal(mctp_register_handler(&n->mctp, MSG_TYPE, &sink_ops,
					       &n->sink),
			 0);
	mctp_poll(&n->mctp, prot_posix_now_ms());
}

static void node_smbus(struct node *n, int fd, uint8_t own_addr,
		       uint8_t peer_eid, uint8_t peer_addr)
{
	n->smbus_port.fd = fd;
	assert_int_equal(mctp_smbus_init(&n->smbus, &prot_posix_smbus_ops,
					 &n->smbus_port, own_addr),
			 0);
	assert_int_equal(mctp_bus_register(&n->mctp, &n->smbus.binding), 0);
	assert_int_equal(
		mctp_smbus_set_neighbour(&n->smbus, peer_eid, peer_addr), 0);
}

static void node_serial(struct node *n, int fd)
{
	n->serial_port.fd = fd;
	assert_int_equal(mctp_serial_init(&n->serial, &prot_posix_serial_ops,
					  &n->serial_port),
			 0);
	assert_int_equal(mctp_bus_register(&n->mctp, &n->serial.binding), 0);
}

static void fill(uint8_t *msg, size_t len)
{
	msg[0] = MSG_TYPE;
	/* Every byte value, so the framing's flag and escape bytes and a
	 * terminal's special characters (CR, LF, ^C, XON, XOFF) all
	 * cross the link. */
	for (size_t i = 1; i < len; i++)
		msg[i] = (uint8_t)(i * 7u + 3u);
}

/* SMBus PEC from its definition: CRC-8, x^8 + x^2 + x + 1, initial 0,
 * MSB first, one bit at a time (not the binding's table). */
static uint8_t pec_bitwise(const uint8_t *p, size_t n)
{
	uint8_t crc = 0;

	while (n--) {
		crc ^= *p++;
		for (int i = 0; i < 8; i++)
			crc = (uint8_t)(crc & 0x80u ? (crc << 1) ^ 0x07
						    : crc << 1);
	}
	return crc;
}

/* DSP0253 FCS from its definition: reflected CRC-16 0x8408, initial
 * 0xFFFF, no final complement, one bit at a time. */
static uint16_t fcs_bitwise(const uint8_t *p, size_t n)
{
	uint16_t crc = 0xFFFFu;

	while (n--) {
		crc ^= *p++;
		for (int i = 0; i < 8; i++)
			crc = (uint16_t)(crc & 1u ? (crc >> 1) ^ 0x8408
						  : crc >> 1);
	}
	return crc;
}

static int smbus_pump(struct node *n, size_t want)
{
	uint32_t start = prot_posix_now_ms();

	while (n->sink.count < want) {
		int rc =
			prot_posix_smbus_service(&n->smbus_port, &n->smbus, 50);

		if (rc < 0)
			return rc;
		if (prot_posix_now_ms() - start > WAIT_MS)
			return -ETIMEDOUT;
	}
	return 0;
}

static int serial_pump(struct node *n, size_t want)
{
	uint32_t start = prot_posix_now_ms();

	while (n->sink.count < want) {
		int rc = prot_posix_serial_service(&n->serial_port, &n->serial,
						   50);

		if (rc < 0)
			return rc;
		if (prot_posix_now_ms() - start > WAIT_MS)
			return -ETIMEDOUT;
	}
	return 0;
}

static void smbus_pair(int fds[2])
{
	assert_int_equal(socketpair(AF_UNIX,
				    SOCK_SEQPACKET | SOCK_NONBLOCK |
					    SOCK_CLOEXEC,
				    0, fds),
			 0);
	node_init(&node_a, EID_A, 0);
	node_init(&node_b, EID_B, 0);
	node_smbus(&node_a, fds[0], ADDR_A, EID_B, ADDR_B);
	node_smbus(&node_b, fds[1], ADDR_B, EID_A, ADDR_A);
}

static void test_clock_monotonic(void **state)
{
	struct timespec pause = {.tv_nsec = 30 * 1000 * 1000};
	uint32_t prev = prot_posix_now_ms(), now, before;

	(void)state;
	for (int i = 0; i < 100000; i++) {
		now = prot_posix_now_ms();
		/* Wrap-aware: the count is allowed to wrap at 2^32. */
		assert_true((int32_t)(now - prev) >= 0);
		prev = now;
	}
	before = prot_posix_now_ms();
	assert_int_equal(nanosleep(&pause, NULL), 0);
	now = prot_posix_now_ms();
	assert_true(now - before >= 30u);
	assert_true(now - before < 1000u);
}

/* One frame, checked byte for byte: the datagram is the binding's frame,
 * unchanged, dest address byte first and PEC last. */
static void test_smbus_golden_datagram(void **state)
{
	const uint8_t msg[] = {MSG_TYPE, 0xFF, 0xFF, 0x5A};
	uint8_t expect[13], got[64];
	ssize_t n;
	int fds[2], tag;

	(void)state;
	smbus_pair(fds);
	tag = mctp_request_tx(&node_a.mctp, EID_B, msg, sizeof(msg));
	assert_in_range(tag, 0, 7);

	/* DSP0237: dest 0x1D << 1, command 0x0F, byte count = source byte
	 * + 4 header + 4 payload = 9, source 0x10 << 1 | 1; DSP0236 header:
	 * version 1, dest 9, source 8, SOM | EOM | TO | tag. For tag 0 the
	 * PEC is 0x52:
	 *   python3 -c 'c=0
	 *   for b in bytes.fromhex("3a0f0921010908c87effff5a"):
	 *    c^=b
	 *    for _ in range(8): c=((c<<1)^7)&255 if c&128 else (c<<1)&255
	 *   print(hex(c))'
	 */
	expect[0] = 0x3A;
	expect[1] = 0x0F;
	expect[2] = 0x09;
	expect[3] = 0x21;
	expect[4] = 0x01;
	expect[5] = EID_B;
	expect[6] = EID_A;
	expect[7] = (uint8_t)(0xC8u | (unsigned int)tag);
	memcpy(&expect[8], msg, sizeof(msg));
	expect[12] = pec_bitwise(expect, 12);
	if (tag == 0)
		assert_int_equal(expect[12], 0x52);

	n = recv(fds[1], got, sizeof(got), MSG_PEEK);
	assert_int_equal(n, sizeof(expect));
	assert_memory_equal(got, expect, sizeof(expect));

	assert_int_equal(
		prot_posix_smbus_read(&node_b.smbus_port, &node_b.smbus), 0);
	assert_int_equal(node_b.sink.count, 1);
	assert_int_equal(node_b.sink.len, sizeof(msg));
	assert_memory_equal(node_b.sink.msg, msg, sizeof(msg));
	assert_int_equal(prot_posix_smbus_read(&node_b.smbus_port,
					       &node_b.smbus),
			 -EAGAIN);
	close(fds[0]);
	close(fds[1]);
}

/* A multi-packet message and its echo: one datagram per packet. */
static void test_smbus_message_exchange(void **state)
{
	static uint8_t msg[1000];
	size_t datagrams = 0;
	int fds[2], rc;

	(void)state;
	smbus_pair(fds);
	node_b.sink.echo = true;
	fill(msg, sizeof(msg));
	assert_in_range(mctp_request_tx(&node_a.mctp, EID_B, msg, sizeof(msg)),
			0, 7);

	/* 1000 bytes at the 64-byte baseline: 16 packets, 16 datagrams. */
	while ((rc = prot_posix_smbus_read(&node_b.smbus_port,
					   &node_b.smbus)) == 0)
		datagrams++;
	assert_int_equal(rc, -EAGAIN);
	assert_int_equal(datagrams, 16);
	assert_int_equal(node_b.smbus.counters.rx_frames, 16);
	assert_int_equal(node_b.sink.count, 1);
	assert_int_equal(node_b.sink.len, sizeof(msg));
	assert_memory_equal(node_b.sink.msg, msg, sizeof(msg));
	assert_int_equal(node_b.sink.echo_rc, 0);

	assert_int_equal(smbus_pump(&node_a, 1), 0);
	assert_false(node_a.sink.info.tag_owner);
	assert_int_equal(node_a.sink.info.src_eid, EID_B);
	assert_int_equal(node_a.sink.len, sizeof(msg));
	assert_memory_equal(node_a.sink.msg, msg, sizeof(msg));
	close(fds[0]);
	close(fds[1]);
}

static void test_smbus_bad_datagrams(void **state)
{
	const uint8_t msg[] = {MSG_TYPE, 1, 2, 3};
	uint8_t frame[MCTP_SMBUS_FRAME_MAX + 1];
	ssize_t n;
	int fds[2];

	(void)state;
	smbus_pair(fds);

	/* A corrupted frame reaches the binding, which drops and counts
	 * it: the link itself reports no error. */
	assert_in_range(mctp_request_tx(&node_a.mctp, EID_B, msg, sizeof(msg)),
			0, 7);
	n = recv(fds[1], frame, sizeof(frame), 0);
	assert_int_equal(n, 13);
	frame[9] ^= 0x01;
	assert_int_equal(send(fds[0], frame, (size_t)n, 0), n);
	assert_int_equal(
		prot_posix_smbus_read(&node_b.smbus_port, &node_b.smbus), 0);
	assert_int_equal(node_b.smbus.counters.rx_bad_pec, 1);
	assert_int_equal(node_b.sink.count, 0);

	/* Longer than any frame: dropped by the port, the next datagram is
	 * still read normally. */
	memset(frame, 0, sizeof(frame));
	assert_int_equal(send(fds[0], frame, sizeof(frame), 0),
			 (ssize_t)sizeof(frame));
	assert_int_equal(prot_posix_smbus_read(&node_b.smbus_port,
					       &node_b.smbus),
			 -EMSGSIZE);
	assert_in_range(mctp_request_tx(&node_a.mctp, EID_B, msg, sizeof(msg)),
			0, 7);
	assert_int_equal(smbus_pump(&node_b, 1), 0);
	assert_memory_equal(node_b.sink.msg, msg, sizeof(msg));

	/* An empty datagram is a bad frame, not a hang-up. */
	assert_int_equal(send(fds[0], frame, 0, 0), 0);
	assert_int_equal(
		prot_posix_smbus_read(&node_b.smbus_port, &node_b.smbus), 0);
	assert_int_equal(node_b.smbus.counters.rx_bad_length, 1);

	/* The peer goes away: reads see it, sends fail with -EPIPE and no
	 * SIGPIPE kills the process. */
	close(fds[0]);
	assert_int_equal(prot_posix_smbus_read(&node_b.smbus_port,
					       &node_b.smbus),
			 -ECONNRESET);
	assert_int_equal(prot_posix_smbus_service(&node_b.smbus_port,
						  &node_b.smbus, 10),
			 -ECONNRESET);
	signal(SIGPIPE, SIG_DFL);
	assert_int_equal(mctp_request_tx(&node_b.mctp, EID_A, msg, sizeof(msg)),
			 -EPIPE);
	signal(SIGPIPE, SIG_IGN);
	assert_int_equal(node_b.smbus.counters.tx_errors, 1);
	close(fds[1]);
}

/* A full peer queue makes tx wait, then give up, instead of blocking. */
static void test_smbus_tx_timeout(void **state)
{
	const uint8_t msg[] = {MSG_TYPE, 1};
	uint8_t junk[MCTP_SMBUS_FRAME_MAX] = {0};
	uint32_t start;
	int fds[2];

	(void)state;
	smbus_pair(fds);
	node_a.smbus_port.tx_timeout_ms = 20;
	/* Nobody reads fds[1]: fill its queue. */
	while (send(fds[0], junk, sizeof(junk), MSG_DONTWAIT) > 0)
		;
	assert_int_equal(errno, EAGAIN);
	start = prot_posix_now_ms();
	assert_int_equal(mctp_request_tx(&node_a.mctp, EID_B, msg, sizeof(msg)),
			 -ETIMEDOUT);
	assert_true(prot_posix_now_ms() - start >= 20u);
	assert_true(prot_posix_now_ms() - start < 1000u);
	assert_int_equal(node_a.smbus.counters.tx_errors, 1);
	close(fds[0]);
	close(fds[1]);
}

static void test_smbus_listen_connect(void **state)
{
	const uint8_t msg[] = {MSG_TYPE, 0xAB};
	char dir[] = "/tmp/test-posix.XXXXXX";
	char path[128], file[128], longpath[200];
	int lfd, cfd, afd;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/smbus.sock", dir);
	snprintf(file, sizeof(file), "%s/regular", dir);

	assert_int_equal(prot_posix_smbus_connect(path), -ENOENT);
	lfd = prot_posix_smbus_listen(path);
	assert_true(lfd >= 0);
	assert_int_equal(prot_posix_smbus_accept(lfd, 10), -ETIMEDOUT);
	cfd = prot_posix_smbus_connect(path);
	assert_true(cfd >= 0);
	afd = prot_posix_smbus_accept(lfd, 1000);
	assert_true(afd >= 0);
	/* Both ends come back non-blocking. */
	assert_true(fcntl(cfd, F_GETFL) & O_NONBLOCK);
	assert_true(fcntl(afd, F_GETFL) & O_NONBLOCK);

	node_init(&node_a, EID_A, 0);
	node_init(&node_b, EID_B, 0);
	node_smbus(&node_a, cfd, ADDR_A, EID_B, ADDR_B);
	node_smbus(&node_b, afd, ADDR_B, EID_A, ADDR_A);
	assert_in_range(mctp_request_tx(&node_a.mctp, EID_B, msg, sizeof(msg)),
			0, 7);
	assert_int_equal(smbus_pump(&node_b, 1), 0);
	assert_memory_equal(node_b.sink.msg, msg, sizeof(msg));
	close(cfd);
	close(afd);
	close(lfd);

	/* Nobody listens on the stale socket; a new listener replaces it. */
	assert_int_equal(prot_posix_smbus_connect(path), -ECONNREFUSED);
	lfd = prot_posix_smbus_listen(path);
	assert_true(lfd >= 0);
	close(lfd);
	assert_int_equal(unlink(path), 0);

	/* Any other file is left alone. */
	close(open(file, O_CREAT | O_WRONLY | O_CLOEXEC, 0600));
	assert_int_equal(prot_posix_smbus_listen(file), -EADDRINUSE);
	assert_int_equal(access(file, F_OK), 0);
	assert_int_equal(unlink(file), 0);

	memset(longpath, 'x', sizeof(longpath) - 1);
	longpath[sizeof(longpath) - 1] = '\0';
	assert_int_equal(prot_posix_smbus_listen(longpath), -ENAMETOOLONG);
	assert_int_equal(prot_posix_smbus_connect(longpath), -ENAMETOOLONG);
	assert_int_equal(prot_posix_smbus_listen(""), -EINVAL);
	assert_int_equal(rmdir(dir), 0);
}

/* The service helper gives the core the clock: request tags expire. */
static void test_service_drives_timeouts(void **state)
{
	const uint8_t msg[] = {MSG_TYPE, 1};
	uint32_t start;
	int fds[2];

	(void)state;
	assert_int_equal(
		socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK, 0, fds), 0);
	node_init(&node_a, EID_A, 50);
	node_smbus(&node_a, fds[0], ADDR_A, EID_B, ADDR_B);
	assert_in_range(mctp_request_tx(&node_a.mctp, EID_B, msg, sizeof(msg)),
			0, 7);
	start = prot_posix_now_ms();
	while (!node_a.sink.timeouts && prot_posix_now_ms() - start < WAIT_MS)
		assert_int_equal(prot_posix_smbus_service(&node_a.smbus_port,
							  &node_a.smbus, 10),
				 0);
	assert_int_equal(node_a.sink.timeouts, 1);
	/* Not before the 50 ms tag timeout. */
	assert_true(prot_posix_now_ms() - start >= 50u);
	close(fds[0]);
	close(fds[1]);
}

static void pty_pair(int *master, int *slave)
{
	char name[128];
	struct termios t;

	*master = prot_posix_pty_open(name, sizeof(name));
	assert_true(*master >= 0);
	*slave = prot_posix_tty_open(name);
	assert_true(*slave >= 0);
	assert_int_equal(tcgetattr(*slave, &t), 0);
	assert_false(t.c_lflag & (ICANON | ECHO | ISIG));
	assert_false(t.c_iflag & (ICRNL | IXON));
	assert_false(t.c_oflag & OPOST);
	node_init(&node_a, EID_A, 0);
	node_init(&node_b, EID_B, 0);
	node_serial(&node_a, *master);
	node_serial(&node_b, *slave);
}

/*
 * Read @want bytes from the line. A pty hands bytes over asynchronously,
 * in whatever pieces they were written, so collect them.
 */
static size_t read_line(int fd, uint8_t *buf, size_t want)
{
	struct pollfd p = {.fd = fd, .events = POLLIN};
	size_t got = 0;
	ssize_t n;

	while (got < want && poll(&p, 1, WAIT_MS) == 1) {
		n = read(fd, buf + got, want - got);
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	return got;
}

/* One frame, checked byte for byte after crossing the pty. */
static void test_serial_golden_frame(void **state)
{
	/* 0x7E and 0x7D in the payload: both must be escaped. */
	const uint8_t msg[] = {MSG_TYPE, 0xFF, 0x7D, 0x0D};
	uint8_t fcs_in[10], expect[18], got[64];
	uint16_t fcs;
	size_t len = 0;
	int master, slave, tag;

	(void)state;
	pty_pair(&master, &slave);
	tag = mctp_request_tx(&node_a.mctp, EID_B, msg, sizeof(msg));
	assert_in_range(tag, 0, 7);

	/* DSP0253: flag, revision 1, byte count 8 (header + 4 payload),
	 * the packet with 0x7E -> 7D 5E and 0x7D -> 7D 5D, FCS high byte
	 * first over revision, count and the unescaped packet, flag. */
	fcs_in[0] = 0x01;
	fcs_in[1] = 0x08;
	fcs_in[2] = 0x01;
	fcs_in[3] = EID_B;
	fcs_in[4] = EID_A;
	fcs_in[5] = (uint8_t)(0xC8u | (unsigned int)tag);
	memcpy(&fcs_in[6], msg, sizeof(msg));
	fcs = fcs_bitwise(fcs_in, sizeof(fcs_in));
	expect[len++] = 0x7E;
	memcpy(&expect[len], fcs_in, 6);
	len += 6;
	expect[len++] = 0x7D;
	expect[len++] = 0x5E;
	expect[len++] = 0xFF;
	expect[len++] = 0x7D;
	expect[len++] = 0x5D;
	/* CR: a cooked terminal would turn it into LF. */
	expect[len++] = 0x0D;
	expect[len++] = (uint8_t)(fcs >> 8);
	expect[len++] = (uint8_t)fcs;
	expect[len++] = 0x7E;

	assert_int_equal(read_line(slave, got, len), len);
	assert_memory_equal(got, expect, len);
	/* And nothing more. */
	assert_int_equal(read(slave, got, sizeof(got)), -1);
	assert_int_equal(errno, EAGAIN);

	/* Fed to the binding, the same bytes make the message. */
	mctp_serial_rx(&node_b.serial, got, len);
	assert_int_equal(node_b.sink.count, 1);
	assert_memory_equal(node_b.sink.msg, msg, sizeof(msg));
	close(master);
	close(slave);
}

/* A multi-packet message over the pty and its echo back. */
static void test_serial_message_exchange(void **state)
{
	static uint8_t msg[1024];
	int master, slave;

	(void)state;
	pty_pair(&master, &slave);
	node_b.sink.echo = true;
	fill(msg, sizeof(msg));
	assert_in_range(mctp_request_tx(&node_a.mctp, EID_B, msg, sizeof(msg)),
			0, 7);
	assert_int_equal(serial_pump(&node_b, 1), 0);
	assert_int_equal(node_b.serial.counters.rx_frames, 16);
	assert_int_equal(node_b.serial.counters.rx_bad_fcs, 0);
	assert_int_equal(node_b.sink.len, sizeof(msg));
	assert_memory_equal(node_b.sink.msg, msg, sizeof(msg));
	assert_int_equal(node_b.sink.echo_rc, 0);

	assert_int_equal(serial_pump(&node_a, 1), 0);
	assert_false(node_a.sink.info.tag_owner);
	assert_int_equal(node_a.sink.len, sizeof(msg));
	assert_memory_equal(node_a.sink.msg, msg, sizeof(msg));

	/* The slave side closes: the master sees a hang-up. */
	close(slave);
	assert_int_equal(prot_posix_serial_read(&node_a.serial_port,
						&node_a.serial),
			 -ECONNRESET);
	close(master);
}

static void test_tty_open_errors(void **state)
{
	char small[4];

	(void)state;
	assert_int_equal(prot_posix_tty_open("/nonexistent/tty"), -ENOENT);
	assert_int_equal(prot_posix_tty_open("/dev/null"), -ENOTTY);
	assert_int_equal(prot_posix_pty_open(small, sizeof(small)), -ERANGE);
}

/*
 * The write op on a non-blocking pipe much larger than the pipe buffer:
 * partial writes and EAGAIN must be resumed until every byte is through,
 * in order. A child process drains the pipe slowly and checks the bytes.
 */
static void test_serial_write_partial(void **state)
{
	static uint8_t buf[256 * 1024];
	struct prot_posix_serial port = {0};
	int data[2], status;
	pid_t child;

	(void)state;
	for (size_t i = 0; i < sizeof(buf); i++)
		buf[i] = (uint8_t)(i ^ (i >> 8));
	assert_int_equal(pipe(data), 0);
	child = fork();
	assert_true(child >= 0);
	if (child == 0) {
		static uint8_t in[4096];
		size_t pos = 0;
		ssize_t n;
		struct timespec pause = {.tv_nsec = 20 * 1000 * 1000};

		close(data[1]);
		nanosleep(&pause, NULL);
		while ((n = read(data[0], in, sizeof(in))) > 0) {
			if (pos + (size_t)n > sizeof(buf) ||
			    memcmp(in, buf + pos, (size_t)n))
				_exit(1);
			pos += (size_t)n;
		}
		_exit(pos == sizeof(buf) ? 0 : 2);
	}
	close(data[0]);
	assert_int_equal(fcntl(data[1], F_SETFL, O_NONBLOCK), 0);
	port.fd = data[1];
	assert_int_equal(prot_posix_serial_ops.write(&port, buf, sizeof(buf)),
			 0);
	close(data[1]);
	assert_int_equal(waitpid(child, &status, 0), child);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

/* A line nobody drains: the write gives up after tx_timeout_ms; a line
 * whose reader is gone fails with -EPIPE. */
static void test_serial_write_stuck(void **state)
{
	static uint8_t buf[256 * 1024];
	struct prot_posix_serial port = {.tx_timeout_ms = 20};
	int data[2];
	uint32_t start;

	(void)state;
	assert_int_equal(pipe(data), 0);
	assert_int_equal(fcntl(data[1], F_SETFL, O_NONBLOCK), 0);
	port.fd = data[1];
	start = prot_posix_now_ms();
	assert_int_equal(prot_posix_serial_ops.write(&port, buf, sizeof(buf)),
			 -ETIMEDOUT);
	assert_true(prot_posix_now_ms() - start >= 20u);
	assert_true(prot_posix_now_ms() - start < 1000u);

	close(data[0]);
	assert_int_equal(prot_posix_serial_ops.write(&port, buf, 1), -EPIPE);
	close(data[1]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_clock_monotonic),
		cmocka_unit_test(test_smbus_golden_datagram),
		cmocka_unit_test(test_smbus_message_exchange),
		cmocka_unit_test(test_smbus_bad_datagrams),
		cmocka_unit_test(test_smbus_tx_timeout),
		cmocka_unit_test(test_smbus_listen_connect),
		cmocka_unit_test(test_service_drives_timeouts),
		cmocka_unit_test(test_serial_golden_frame),
		cmocka_unit_test(test_serial_message_exchange),
		cmocka_unit_test(test_tty_open_errors),
		cmocka_unit_test(test_serial_write_partial),
		cmocka_unit_test(test_serial_write_stuck),
	};

	/* The write op reports a vanished reader as -EPIPE only when the
	 * signal does not kill us first (see prot-posix/serial.h). */
	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests_name("posix", tests, NULL, NULL);
}
