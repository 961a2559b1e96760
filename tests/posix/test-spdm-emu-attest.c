/* SPDX-License-Identifier: Apache-2.0 */
/*
 * POSIX port: libspdm-lite's requester and responder over the spdm-emu
 * socket protocol (prot-posix/spdm-emu-spdm.h), with the port's mbedTLS
 * crypto and the committed test PKI (tests/pki, made by openssl).
 *
 * Our requester attests our responder over real TCP on 127.0.0.1: the
 * responder runs prot_spdm_emu_responder_run() in a forked child, as
 * spdm_responder_emu would. Golden wire bytes are written by hand from
 * the spdm-emu framing (three big-endian u32: command, transport type,
 * payload size; see docs/spdm-emu.md), the MCTP message type for SPDM
 * (0x05, DSP0275) and the DSP0274 tables (GET_VERSION: 10 84 00 00;
 * VERSION: 10 04 00 00, Reserved, VersionNumberEntryCount, then 16-bit
 * little-endian entries major << 12 | minor << 8).
 *
 * Every wait is bounded: sockets have timeouts, children arm alarm() and
 * are killed if they outlive WAIT_MS.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "prot-posix/clock.h"
#include "prot-posix/crypto.h"
#include "prot-posix/spdm-emu-spdm.h"

#ifndef PROT_TEST_PKI_DIR
#error "PROT_TEST_PKI_DIR must name tests/pki"
#endif

/* Bound on every wait that should succeed. */
#define WAIT_MS 5000
/* A forked responder is killed by SIGALRM after this long. */
#define CHILD_ALARM_S 20

/* ---- the device: a P-384 chain in slot 0 and three measurements ---- */

static uint8_t chain[SPDM_MAX_CERT_CHAIN_SIZE];
static size_t chain_len;

static int dev_count(void *ctx)
{
	(void)ctx;
	return 3;
}

static int dev_block(void *ctx, uint8_t index, enum spdm_hash_alg hash,
		     uint8_t *type, bool *raw, uint8_t *value,
		     size_t *value_len)
{
	size_t n = index == 3 ? spdm_hash_size(hash) : 16;

	(void)ctx;
	if (index < 1 || index > 3)
		return -ENOENT;
	if (!n || *value_len < n)
		return -EMSGSIZE;
	memset(value, 0x40 + index, n);
	*type = index == 1   ? SPDM_MEAS_TYPE_IMMUTABLE_ROM
		: index == 2 ? SPDM_MEAS_TYPE_MUTABLE_FIRMWARE
			     : SPDM_MEAS_TYPE_HARDWARE_CONFIG;
	*raw = index != 3;
	*value_len = n;
	return 0;
}

static const struct spdm_measurement_ops dev_ops = {dev_count, dev_block};

static const uint8_t both_versions[] = {SPDM_VERSION_12, SPDM_VERSION_13};

static struct spdm_responder_config rsp_cfg(void)
{
	struct spdm_responder_config c = {
		.versions = both_versions,
		.n_versions = 2,
		.ct_exponent = 12,
		.flags = SPDM_RSP_CERT_CAP | SPDM_RSP_MEAS_CAP_SIG,
		.data_transfer_size = 4096,
		.max_spdm_msg_size = 4096,
		.measurement_specification = SPDM_MEASUREMENT_SPEC_DMTF,
		.measurement_hash_algo = SPDM_MEAS_HASH_SHA_384,
		.base_asym_algo = SPDM_ASYM_ALGO_ECDSA_P384,
		.base_hash_algo = SPDM_HASH_ALGO_SHA_384,
		.cert_chain_hash_algo = SPDM_HASH_ALGO_SHA_384,
		.measurement_ops = &dev_ops,
	};

	c.cert_slots[0].chain = chain;
	c.cert_slots[0].len = chain_len;
	return c;
}

static struct spdm_requester_config req_cfg(const uint8_t *version)
{
	struct spdm_requester_config c = {
		.versions = version,
		.n_versions = 1,
		.ct_exponent = 10,
		.flags = SPDM_REQ_CERT_CAP,
		.data_transfer_size = 4096,
		.max_spdm_msg_size = 4096,
		.measurement_specification = SPDM_MEASUREMENT_SPEC_DMTF,
		.base_asym_algo = SPDM_ASYM_ALGO_ECDSA_P384,
		.base_hash_algo = SPDM_HASH_ALGO_SHA_384,
	};
	return c;
}

static size_t read_pki(const char *name, uint8_t *buf, size_t cap)
{
	char path[512];
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "%s/%s", PROT_TEST_PKI_DIR, name);
	f = fopen(path, "rb");
	assert_non_null(f);
	n = fread(buf, 1, cap, f);
	fclose(f);
	assert_true(n > 0 && n < cap);
	return n;
}

/* ---- processes ---- */

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

/*
 * Fork our responder serving @transport on a fresh listening socket, as
 * spdm_responder_emu does; *@port is where it listens. The child exits 0
 * when prot_spdm_emu_responder_run() returned 0 (SHUTDOWN), 10 + -rc
 * otherwise, 2 when its set-up failed. No cmocka in the child.
 */
static pid_t spawn_responder(uint32_t transport, uint16_t *port)
{
	int lfd = prot_spdm_emu_listen(NULL, 0);
	int p;
	pid_t pid;

	assert_true(lfd >= 0);
	p = prot_spdm_emu_local_port(lfd);
	assert_true(p > 0 && p <= 65535);
	*port = (uint16_t)p;
	pid = fork();
	assert_true(pid >= 0);
	if (!pid) {
		static struct prot_crypto pc;
		static struct spdm_responder r;
		static struct spdm_responder_config cfg;
		static struct prot_spdm_emu_responder er;
		char path[512];
		int rc;

		alarm(CHILD_ALARM_S);
		/* PSA Crypto is process-wide and a fork copies its random
		 * generator: start it afresh, or both sides would draw the
		 * same nonces (and our requester rightly refuses a
		 * responder nonce equal to its own). */
		mbedtls_psa_crypto_free();
		snprintf(path, sizeof(path), "%s/p384/leaf.key.pem",
			 PROT_TEST_PKI_DIR);
		cfg = rsp_cfg();
		if (prot_crypto_init(&pc) ||
		    prot_crypto_load_slot_key_file(&pc, 0, path) ||
		    spdm_responder_init(&r, &cfg, &prot_crypto_ops, &pc) ||
		    prot_spdm_emu_responder_init(&er, &r, transport, 0))
			_exit(2);
		rc = prot_spdm_emu_responder_run(&er, lfd, WAIT_MS);
		prot_crypto_free(&pc);
		_exit(rc ? 10 + (-rc & 0x7F) : 0);
	}
	close(lfd);
	return pid;
}

/* ---- the requester side ---- */

struct verifier {
	struct prot_crypto pc;
	struct spdm_requester_config cfg;
	struct spdm_requester q;
	struct prot_spdm_emu_requester link;
	int fd;
	unsigned int n_blocks;
	uint8_t block_index[8];
};

static struct verifier ver;

static void verifier_init(uint8_t *version)
{
	memset(&ver, 0, sizeof(ver));
	ver.fd = -1;
	assert_int_equal(prot_crypto_init(&ver.pc), 0);
	assert_int_equal(
		prot_crypto_add_trust_anchor_file(&ver.pc, PROT_TEST_PKI_DIR
						  "/p384/root.cert.der"),
		0);
	ver.cfg = req_cfg(version);
	assert_int_equal(spdm_requester_init(&ver.q, &ver.cfg, &prot_crypto_ops,
					     &ver.pc),
			 0);
}

static void verifier_connect(uint16_t port, uint32_t transport)
{
	ver.fd = prot_spdm_emu_connect("127.0.0.1", port, WAIT_MS);
	assert_true(ver.fd >= 0);
	assert_int_equal(prot_spdm_emu_requester_init(&ver.link, ver.fd,
						      transport, WAIT_MS),
			 0);
	assert_int_equal(prot_spdm_emu_requester_hello(&ver.link), 0);
}

static void verifier_close(void)
{
	if (ver.fd >= 0)
		close(ver.fd);
	ver.fd = -1;
}

static void verifier_free(void)
{
	verifier_close();
	prot_crypto_free(&ver.pc);
}

static void on_block(void *ctx, const struct spdm_measurement_block *b)
{
	struct verifier *v = ctx;

	assert_true(v->n_blocks < 8);
	v->block_index[v->n_blocks++] = b->index;
}

static void run_vca(uint8_t version)
{
	const struct spdm_connection_info *ci;

	assert_int_equal(spdm_requester_connect(&ver.q), 0);
	assert_int_equal(prot_spdm_emu_requester_run(&ver.link, &ver.q), 0);
	ci = spdm_requester_connection(&ver.q);
	assert_non_null(ci);
	assert_int_equal(ci->version, version);
}

static void run_cert(void)
{
	assert_int_equal(spdm_requester_get_certificate(&ver.q, 0, 0), 0);
	assert_int_equal(prot_spdm_emu_requester_run(&ver.link, &ver.q), 0);
	assert_int_equal(spdm_requester_cert_verdict(&ver.q), SPDM_VERIFIED);
}

static void run_signed_meas(void)
{
	struct spdm_measurement_result res;

	ver.n_blocks = 0;
	assert_int_equal(spdm_requester_measurements(&ver.q, SPDM_MEAS_OP_ALL,
						     SPDM_MEAS_ATTR_SIGNATURE,
						     0, on_block, &ver),
			 0);
	assert_int_equal(prot_spdm_emu_requester_run(&ver.link, &ver.q), 0);
	assert_int_equal(spdm_requester_measurement_result(&ver.q, &res), 0);
	assert_int_equal(res.verdict, SPDM_MEAS_VERDICT_VERIFIED);
	assert_int_equal(ver.n_blocks, 3);
	assert_int_equal(ver.block_index[0], 1);
	assert_int_equal(ver.block_index[2], 3);
}

/* ---- our requester attests our responder ---- */

static void attest(uint8_t version, uint32_t transport)
{
	static uint8_t v[1];
	const struct prot_spdm_emu_requester_counters *cnt;
	uint16_t port;
	pid_t pid = spawn_responder(transport, &port);

	v[0] = version;
	verifier_init(v);
	verifier_connect(port, transport);
	run_vca(version);
	run_cert();
	run_signed_meas();
	cnt = prot_spdm_emu_requester_get_counters(&ver.link);
	assert_true(cnt->tx_requests >= 5);
	assert_int_equal(cnt->tx_requests, cnt->rx_responses);
	assert_int_equal(cnt->timeouts, 0);
	assert_int_equal(cnt->drop_bad + cnt->drop_stale, 0);
	assert_int_equal(prot_spdm_emu_requester_io_error(&ver.link), 0);
	assert_int_equal(prot_spdm_emu_requester_end(
				 &ver.link, PROT_SPDM_EMU_CMD_SHUTDOWN),
			 0);
	verifier_free();
	/* SHUTDOWN ended the child's serve loop: run() returned 0. */
	assert_int_equal(reap(pid), 0);
	/* Nobody listens any more. */
	assert_int_equal(prot_spdm_emu_connect("127.0.0.1", port, WAIT_MS),
			 -ECONNREFUSED);
}

static void test_attest_12_mctp(void **state)
{
	(void)state;
	attest(SPDM_VERSION_12, PROT_SPDM_EMU_TRANSPORT_MCTP);
}

static void test_attest_13_mctp(void **state)
{
	(void)state;
	attest(SPDM_VERSION_13, PROT_SPDM_EMU_TRANSPORT_MCTP);
}

static void test_attest_12_none(void **state)
{
	(void)state;
	attest(SPDM_VERSION_12, PROT_SPDM_EMU_TRANSPORT_NONE);
}

/* CONTINUE ends the connection but the responder keeps its SPDM state:
 * on the next connection, signed measurements need no new VCA. */
static void test_continue_keeps_state(void **state)
{
	static uint8_t v[1] = {SPDM_VERSION_12};
	uint16_t port;
	pid_t pid = spawn_responder(PROT_SPDM_EMU_TRANSPORT_MCTP, &port);

	(void)state;
	verifier_init(v);
	verifier_connect(port, PROT_SPDM_EMU_TRANSPORT_MCTP);
	run_vca(SPDM_VERSION_12);
	run_cert();
	assert_int_equal(prot_spdm_emu_requester_end(
				 &ver.link, PROT_SPDM_EMU_CMD_CONTINUE),
			 0);
	verifier_close();
	verifier_connect(port, PROT_SPDM_EMU_TRANSPORT_MCTP);
	run_signed_meas();
	assert_int_equal(prot_spdm_emu_requester_end(
				 &ver.link, PROT_SPDM_EMU_CMD_SHUTDOWN),
			 0);
	verifier_free();
	assert_int_equal(reap(pid), 0);
}

/* ---- wire bytes ---- */

/* A TCP connection on 127.0.0.1: *cfd the requester's end, *sfd the
 * responder's end. */
static void tcp_pair(int *cfd, int *sfd)
{
	int lfd = prot_spdm_emu_listen(NULL, 0);
	int port;

	assert_true(lfd >= 0);
	port = prot_spdm_emu_local_port(lfd);
	assert_true(port > 0);
	*cfd = prot_spdm_emu_connect("127.0.0.1", (uint16_t)port, WAIT_MS);
	assert_true(*cfd >= 0);
	*sfd = prot_spdm_emu_accept(lfd, WAIT_MS);
	assert_true(*sfd >= 0);
	close(lfd);
}

/* Read exactly @len bytes from @fd within WAIT_MS (plain recv). */
static void read_exact(int fd, uint8_t *buf, size_t len)
{
	uint32_t start = prot_posix_now_ms();
	size_t done = 0;

	while (done < len) {
		ssize_t n = recv(fd, buf + done, len - done, MSG_DONTWAIT);

		if (n > 0) {
			done += (size_t)n;
			continue;
		}
		assert_true(n < 0 && (errno == EAGAIN || errno == EINTR));
		assert_true(prot_posix_now_ms() - start < WAIT_MS);
		usleep(1000);
	}
}

/* NORMAL (1), MCTP (1), 5 bytes: SPDM message type, GET_VERSION. */
static const uint8_t golden_get_version_msg[17] = {0x00, 0x00, 0x00, 0x01, 0x00,
						   0x00, 0x00, 0x01, 0x00, 0x00,
						   0x00, 0x05, 0x05, 0x10, 0x84,
						   0x00, 0x00};

/* TEST (0xDEAD), MCTP, 14 bytes: "Client Hello!" and its NUL. */
static const uint8_t golden_hello_msg[26] = {0x00, 0x00, 0xDE, 0xAD, 0x00, 0x00,
					     0x00, 0x01, 0x00, 0x00, 0x00, 0x0E,
					     'C',  'l',  'i',  'e',  'n',  't',
					     ' ',  'H',  'e',  'l',  'l',  'o',
					     '!',  0x00};

/* The hello and the first request as bytes on the wire; a responder that
 * never answers gets the same request MAX_RETRIES more times, then the
 * flow ends with -ETIMEDOUT (a timeout, not a transport error). */
static void test_golden_first_messages(void **state)
{
	static uint8_t v[1] = {SPDM_VERSION_12};
	static const uint8_t server_hello[] = "Server Hello!";
	const struct prot_spdm_emu_requester_counters *cnt;
	uint8_t got[sizeof(golden_get_version_msg)];
	uint8_t hello[sizeof(golden_hello_msg)];
	struct spdm_requester_config cfg = req_cfg(v);
	struct spdm_requester q;
	struct prot_crypto pc;
	struct prot_spdm_emu_requester link;
	uint32_t start;
	unsigned int i;
	int cfd, sfd;

	(void)state;
	tcp_pair(&cfd, &sfd);
	assert_int_equal(prot_crypto_init(&pc), 0);
	assert_int_equal(spdm_requester_init(&q, &cfg, &prot_crypto_ops, &pc),
			 0);
	assert_int_equal(prot_spdm_emu_requester_init(
				 &link, cfd, PROT_SPDM_EMU_TRANSPORT_MCTP, 50),
			 0);
	/* The TEST answer is queued before the hello is sent. */
	assert_int_equal(prot_spdm_emu_send(sfd, PROT_SPDM_EMU_CMD_TEST,
					    PROT_SPDM_EMU_TRANSPORT_MCTP,
					    server_hello, sizeof(server_hello),
					    WAIT_MS),
			 0);
	assert_int_equal(prot_spdm_emu_requester_hello(&link), 0);
	read_exact(sfd, hello, sizeof(hello));
	assert_memory_equal(hello, golden_hello_msg, sizeof(hello));

	assert_int_equal(spdm_requester_connect(&q), 0);
	start = prot_posix_now_ms();
	assert_int_equal(prot_spdm_emu_requester_run(&link, &q), -ETIMEDOUT);
	assert_true(prot_posix_now_ms() - start < 2000);
	assert_int_equal(prot_spdm_emu_requester_io_error(&link), 0);
	cnt = prot_spdm_emu_requester_get_counters(&link);
	assert_int_equal(cnt->tx_requests, 1 + SPDM_REQUESTER_MAX_RETRIES);
	assert_int_equal(cnt->timeouts, 1 + SPDM_REQUESTER_MAX_RETRIES);
	for (i = 0; i < 1 + SPDM_REQUESTER_MAX_RETRIES; i++) {
		read_exact(sfd, got, sizeof(got));
		assert_memory_equal(got, golden_get_version_msg, sizeof(got));
	}
	/* The flow is over: it can start again. */
	assert_int_equal(spdm_requester_connect(&q), 0);
	prot_crypto_free(&pc);
	close(cfd);
	close(sfd);
}

/* Our responder served in this process, requests queued by hand: the
 * VERSION answer as wire bytes (MCTP and NONE), TEST echoed, SHUTDOWN
 * answered and returned. */
static void serve_golden(uint32_t transport)
{
	static const uint8_t version[10] = {0x10, 0x04, 0x00, 0x00, 0x00,
					    0x02, 0x00, 0x12, 0x00, 0x13};
	static const uint8_t get_version[5] = {0x05, 0x10, 0x84, 0x00, 0x00};
	bool mctp = transport == PROT_SPDM_EMU_TRANSPORT_MCTP;
	size_t off = mctp ? 0 : 1;
	struct spdm_responder_config cfg = rsp_cfg();
	struct spdm_responder r;
	struct prot_spdm_emu_responder er;
	struct prot_crypto pc;
	uint8_t exp[12 + 11], got[sizeof(exp)];
	size_t n = 0;
	int cfd, sfd;

	tcp_pair(&cfd, &sfd);
	assert_int_equal(prot_crypto_init(&pc), 0);
	assert_int_equal(spdm_responder_init(&r, &cfg, &prot_crypto_ops, &pc),
			 0);
	assert_int_equal(prot_spdm_emu_responder_init(&er, &r, transport, 0),
			 0);
	assert_int_equal(prot_spdm_emu_send(cfd, PROT_SPDM_EMU_CMD_NORMAL,
					    transport, get_version + off,
					    sizeof(get_version) - off, WAIT_MS),
			 0);
	assert_int_equal(prot_spdm_emu_send(cfd, PROT_SPDM_EMU_CMD_SHUTDOWN,
					    transport, NULL, 0, WAIT_MS),
			 0);
	assert_int_equal(prot_spdm_emu_responder_serve(&er, sfd, WAIT_MS),
			 PROT_SPDM_EMU_SERVE_SHUTDOWN);
	assert_int_equal(prot_spdm_emu_responder_get_counters(&er)->requests,
			 1);

	/* NORMAL, the transport, the size; [0x05] and VERSION. */
	exp[n++] = 0x00;
	exp[n++] = 0x00;
	exp[n++] = 0x00;
	exp[n++] = 0x01;
	exp[n++] = 0x00;
	exp[n++] = 0x00;
	exp[n++] = 0x00;
	exp[n++] = (uint8_t)transport;
	exp[n++] = 0x00;
	exp[n++] = 0x00;
	exp[n++] = 0x00;
	exp[n++] = mctp ? 11 : 10;
	if (mctp)
		exp[n++] = 0x05;
	memcpy(exp + n, version, sizeof(version));
	n += sizeof(version);
	read_exact(cfd, got, n);
	assert_memory_equal(got, exp, n);
	/* SHUTDOWN (0xFFFE), the transport, empty. */
	{
		const uint8_t shut[12] = {0x00, 0x00, 0xFF, 0xFE,
					  0x00, 0x00, 0x00, (uint8_t)transport,
					  0x00, 0x00, 0x00, 0x00};

		read_exact(cfd, got, sizeof(shut));
		assert_memory_equal(got, shut, sizeof(shut));
	}
	prot_crypto_free(&pc);
	close(cfd);
	close(sfd);
}

static void test_serve_golden_mctp(void **state)
{
	(void)state;
	serve_golden(PROT_SPDM_EMU_TRANSPORT_MCTP);
}

static void test_serve_golden_none(void **state)
{
	(void)state;
	serve_golden(PROT_SPDM_EMU_TRANSPORT_NONE);
}

/* ---- bad paths ---- */

/*
 * A responder that answers GET_VERSION (VERSION 1.2 only, by hand) and
 * closes the connection on the next request: the requester's flow ends
 * with -ECONNRESET at once, not after timeouts, and can start again.
 */
static void test_responder_closes_mid_flow(void **state)
{
	static const uint8_t version[] = {0x05, 0x10, 0x04, 0x00, 0x00,
					  0x00, 0x01, 0x00, 0x12};
	static uint8_t v[1] = {SPDM_VERSION_12};
	int lfd = prot_spdm_emu_listen(NULL, 0);
	int port, rc;
	uint32_t start;
	pid_t pid;

	(void)state;
	assert_true(lfd >= 0);
	port = prot_spdm_emu_local_port(lfd);
	assert_true(port > 0);
	pid = fork();
	assert_true(pid >= 0);
	if (!pid) {
		struct prot_spdm_emu_header hdr;
		uint8_t buf[64];
		size_t len = sizeof(buf);
		int fd;

		alarm(CHILD_ALARM_S);
		fd = prot_spdm_emu_accept(lfd, WAIT_MS);
		if (fd < 0 || prot_spdm_emu_recv(fd, &hdr, buf, &len, WAIT_MS))
			_exit(2);
		if (prot_spdm_emu_send(fd, PROT_SPDM_EMU_CMD_NORMAL,
				       PROT_SPDM_EMU_TRANSPORT_MCTP, version,
				       sizeof(version), WAIT_MS))
			_exit(3);
		len = sizeof(buf);
		if (prot_spdm_emu_recv(fd, &hdr, buf, &len, WAIT_MS))
			_exit(4);
		close(fd);
		_exit(0);
	}
	close(lfd);
	verifier_init(v);
	ver.fd = prot_spdm_emu_connect("127.0.0.1", (uint16_t)port, WAIT_MS);
	assert_true(ver.fd >= 0);
	assert_int_equal(prot_spdm_emu_requester_init(
				 &ver.link, ver.fd,
				 PROT_SPDM_EMU_TRANSPORT_MCTP, WAIT_MS),
			 0);
	assert_int_equal(spdm_requester_connect(&ver.q), 0);
	start = prot_posix_now_ms();
	rc = prot_spdm_emu_requester_run(&ver.link, &ver.q);
	assert_true(rc == -ECONNRESET || rc == -EPIPE);
	assert_int_equal(prot_spdm_emu_requester_io_error(&ver.link), rc);
	assert_true(prot_posix_now_ms() - start < WAIT_MS / 2);
	assert_int_equal(
		prot_spdm_emu_requester_get_counters(&ver.link)->rx_responses,
		1);
	assert_null(spdm_requester_connection(&ver.q));
	assert_int_equal(spdm_requester_connect(&ver.q), 0);
	/* Running on the dead connection fails at once too. */
	rc = prot_spdm_emu_requester_run(&ver.link, &ver.q);
	assert_true(rc == -ECONNRESET || rc == -EPIPE);
	assert_int_equal(spdm_requester_connect(&ver.q), 0);
	verifier_free();
	assert_int_equal(reap(pid), 0);
}

/*
 * Against the forked responder, by hand: an unknown command is answered
 * UNKNOWN (0xFFFF, empty) and the connection goes on; a secured message
 * (MCTP type 0x06) gets no answer and ends the connection, as
 * spdm_responder_emu does for a session it does not know, but the server
 * goes on; SHUTDOWN ends the serve loop.
 */
static void test_unknown_secured_shutdown(void **state)
{
	static const uint8_t unknown_answer[12] = {
		0x00, 0x00, 0xFF, 0xFF, 0x00, 0x00, 0x00, 0x01, 0, 0, 0, 0};
	static const uint8_t secured[] = {0x06, 0xFF, 0xFF, 0xFF, 0xFF,
					  0x00, 0x00, 0x00, 0x00};
	static uint8_t v[1] = {SPDM_VERSION_13};
	struct prot_spdm_emu_header hdr;
	uint8_t got[12], buf[16];
	size_t len = sizeof(buf);
	uint16_t port;
	pid_t pid = spawn_responder(PROT_SPDM_EMU_TRANSPORT_MCTP, &port);
	int fd;

	(void)state;
	fd = prot_spdm_emu_connect("127.0.0.1", port, WAIT_MS);
	assert_true(fd >= 0);
	assert_int_equal(prot_spdm_emu_send(fd, 0x1234u,
					    PROT_SPDM_EMU_TRANSPORT_MCTP, NULL,
					    0, WAIT_MS),
			 0);
	read_exact(fd, got, sizeof(got));
	assert_memory_equal(got, unknown_answer, sizeof(got));
	/* Still served: TEST is echoed. */
	assert_int_equal(prot_spdm_emu_send(fd, PROT_SPDM_EMU_CMD_TEST,
					    PROT_SPDM_EMU_TRANSPORT_MCTP,
					    secured, 3, WAIT_MS),
			 0);
	assert_int_equal(prot_spdm_emu_recv(fd, &hdr, buf, &len, WAIT_MS), 0);
	assert_int_equal(hdr.command, PROT_SPDM_EMU_CMD_TEST);
	assert_int_equal(len, 3);
	/* Secured: no answer, the connection is closed. */
	assert_int_equal(prot_spdm_emu_send(fd, PROT_SPDM_EMU_CMD_NORMAL,
					    PROT_SPDM_EMU_TRANSPORT_MCTP,
					    secured, sizeof(secured), WAIT_MS),
			 0);
	len = sizeof(buf);
	assert_int_equal(prot_spdm_emu_recv(fd, &hdr, buf, &len, WAIT_MS),
			 -ECONNRESET);
	close(fd);

	/* The next requester is served: VCA at 1.3, then SHUTDOWN. */
	verifier_init(v);
	verifier_connect(port, PROT_SPDM_EMU_TRANSPORT_MCTP);
	run_vca(SPDM_VERSION_13);
	assert_int_equal(prot_spdm_emu_requester_end(
				 &ver.link, PROT_SPDM_EMU_CMD_SHUTDOWN),
			 0);
	verifier_free();
	assert_int_equal(reap(pid), 0);
}

/* Arguments the functions refuse. */
static void test_invalid(void **state)
{
	struct prot_spdm_emu_requester link;
	struct prot_spdm_emu_responder er;
	struct spdm_responder r;

	(void)state;
	memset(&r, 0, sizeof(r));
	assert_int_equal(prot_spdm_emu_responder_init(NULL, &r, 1, 0), -EINVAL);
	assert_int_equal(prot_spdm_emu_responder_init(&er, NULL, 1, 0),
			 -EINVAL);
	assert_int_equal(prot_spdm_emu_responder_init(
				 &er, &r, PROT_SPDM_EMU_TRANSPORT_PCI_DOE, 0),
			 -EINVAL);
	assert_int_equal(prot_spdm_emu_requester_init(&link, -1, 1, 0),
			 -EINVAL);
	assert_int_equal(prot_spdm_emu_requester_init(
				 &link, 0, PROT_SPDM_EMU_TRANSPORT_PCI_DOE, 0),
			 -EINVAL);
	assert_int_equal(prot_spdm_emu_requester_init(&link, 0, 1, 0), 0);
	assert_int_equal(prot_spdm_emu_requester_run(&link, NULL), -EINVAL);
	assert_int_equal(prot_spdm_emu_requester_end(&link, 0x1234u), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_attest_12_mctp),
		cmocka_unit_test(test_attest_13_mctp),
		cmocka_unit_test(test_attest_12_none),
		cmocka_unit_test(test_continue_keeps_state),
		cmocka_unit_test(test_golden_first_messages),
		cmocka_unit_test(test_serve_golden_mctp),
		cmocka_unit_test(test_serve_golden_none),
		cmocka_unit_test(test_responder_closes_mid_flow),
		cmocka_unit_test(test_unknown_secured_shutdown),
		cmocka_unit_test(test_invalid),
	};

	signal(SIGPIPE, SIG_IGN);
	chain_len = read_pki("p384/chain-sha384.bin", chain, sizeof(chain));
	return cmocka_run_group_tests(tests, NULL, NULL);
}
