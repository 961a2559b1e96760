/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Instruction counts of libmctp over the SMBus binding, for callgrind.
 *
 *   mctp-bench send   measure only: fragment a 1 KiB message, build each
 *                     frame with its PEC and hand it to the bus op
 *   mctp-bench recv   measure only: check each frame's PEC, reassemble the
 *                     1 KiB message and deliver it to the handler
 *
 * Two stacks (EIDs 8 and 9, SMBus addresses 0x10 and 0x20) are wired
 * through an in-memory frame queue. One warm-up exchange runs before the
 * measured part so that lazy symbol binding and first-touch effects are
 * not counted; only the code between the callgrind macros is (run with
 * valgrind --tool=callgrind --collect-atstart=no --instr-atstart=no).
 * The program checks the message arrived intact and exits non-zero if not,
 * so a figure is never reported for a broken exchange.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <valgrind/callgrind.h>

#include "mctp/mctp.h"
#include "mctp/smbus.h"

#define BENCH_MSG_LEN 1024u
#define BENCH_EID_A 8u
#define BENCH_EID_B 9u
#define BENCH_ADDR_A 0x10u
#define BENCH_ADDR_B 0x20u
#define BENCH_QUEUE 64u

struct bench_frame {
	size_t len;
	uint8_t data[MCTP_SMBUS_FRAME_MAX];
};

struct bench_wire {
	size_t count;
	struct bench_frame frames[BENCH_QUEUE];
};

struct bench_sink {
	size_t messages;
	size_t len;
	uint8_t msg[BENCH_MSG_LEN];
};

struct bench {
	struct mctp a, b;
	struct mctp_smbus a_smbus, b_smbus;
	struct bench_wire wire; /* frames sent by a, not yet received by b */
	struct bench_sink sink;
	uint8_t msg[BENCH_MSG_LEN];
};

static int wire_tx(void *ctx, const uint8_t *frame, size_t len)
{
	struct bench_wire *wire = ctx;
	struct bench_frame *f;

	if (wire->count == BENCH_QUEUE || len > sizeof(f->data))
		return -ENOBUFS;
	f = &wire->frames[wire->count++];
	memcpy(f->data, frame, len);
	f->len = len;
	return 0;
}

/* Frames from b (there are none in this one-way exchange) go nowhere. */
static int null_tx(void *ctx, const uint8_t *frame, size_t len)
{
	(void)ctx;
	(void)frame;
	(void)len;
	return 0;
}

static const struct mctp_smbus_ops wire_ops = {.tx = wire_tx};
static const struct mctp_smbus_ops null_ops = {.tx = null_tx};

static void sink_rx(void *ctx, struct mctp *mctp,
		    const struct mctp_msg_info *info, const uint8_t *msg,
		    size_t len)
{
	struct bench_sink *sink = ctx;

	(void)mctp;
	(void)info;
	sink->messages++;
	sink->len = len;
	if (len <= sizeof(sink->msg))
		memcpy(sink->msg, msg, len);
}

static const struct mctp_handler_ops sink_ops = {.rx = sink_rx};

static int bench_init(struct bench *bench)
{
	struct mctp_config cfg = {0};
	size_t i;

	cfg.eid = BENCH_EID_A;
	if (mctp_init(&bench->a, &cfg))
		return -1;
	cfg.eid = BENCH_EID_B;
	if (mctp_init(&bench->b, &cfg))
		return -1;
	if (mctp_smbus_init(&bench->a_smbus, &wire_ops, &bench->wire,
			    BENCH_ADDR_A) ||
	    mctp_smbus_init(&bench->b_smbus, &null_ops, NULL, BENCH_ADDR_B))
		return -1;
	if (mctp_bus_register(&bench->a, &bench->a_smbus.binding) < 0 ||
	    mctp_bus_register(&bench->b, &bench->b_smbus.binding) < 0)
		return -1;
	if (mctp_smbus_set_neighbour(&bench->a_smbus, BENCH_EID_B,
				     BENCH_ADDR_B))
		return -1;
	if (mctp_register_handler(&bench->b, MCTP_MSG_TYPE_PLDM, &sink_ops,
				  &bench->sink))
		return -1;

	bench->msg[0] = MCTP_MSG_TYPE_PLDM;
	for (i = 1; i < sizeof(bench->msg); i++)
		bench->msg[i] = (uint8_t)(i * 7u + 3u);
	return 0;
}

static int bench_send(struct bench *bench)
{
	return mctp_request_tx(&bench->a, BENCH_EID_B, bench->msg,
			       sizeof(bench->msg));
}

static int bench_recv(struct bench *bench)
{
	size_t i;
	int rc;

	for (i = 0; i < bench->wire.count; i++) {
		rc = mctp_smbus_rx(&bench->b_smbus, bench->wire.frames[i].data,
				   bench->wire.frames[i].len);
		if (rc)
			return rc;
	}
	bench->wire.count = 0;
	return 0;
}

/* The message arrived (again), whole and unchanged. */
static int bench_check(const struct bench *bench, size_t want_messages)
{
	if (bench->sink.messages != want_messages ||
	    bench->sink.len != sizeof(bench->msg))
		return -1;
	return memcmp(bench->sink.msg, bench->msg, sizeof(bench->msg)) ? -1 : 0;
}

int main(int argc, char **argv)
{
	static struct bench bench;
	size_t frames;
	int send_mode, rc;

	if (argc != 2 ||
	    (strcmp(argv[1], "send") != 0 && strcmp(argv[1], "recv") != 0)) {
		fprintf(stderr, "usage: %s send|recv\n", argv[0]);
		return 2;
	}
	send_mode = strcmp(argv[1], "send") == 0;

	if (bench_init(&bench)) {
		fprintf(stderr, "mctp-bench: set-up failed\n");
		return 1;
	}

	/* Warm-up: one whole exchange, not measured. */
	if (bench_send(&bench) < 0 || bench_recv(&bench) ||
	    bench_check(&bench, 1)) {
		fprintf(stderr, "mctp-bench: warm-up exchange failed\n");
		return 1;
	}

	if (send_mode) {
		CALLGRIND_START_INSTRUMENTATION;
		CALLGRIND_TOGGLE_COLLECT;
		rc = bench_send(&bench);
		CALLGRIND_TOGGLE_COLLECT;
		CALLGRIND_STOP_INSTRUMENTATION;
		frames = bench.wire.count;
		if (rc < 0 || bench_recv(&bench))
			rc = -1;
	} else {
		if (bench_send(&bench) < 0) {
			fprintf(stderr, "mctp-bench: send failed\n");
			return 1;
		}
		frames = bench.wire.count;
		CALLGRIND_START_INSTRUMENTATION;
		CALLGRIND_TOGGLE_COLLECT;
		rc = bench_recv(&bench);
		CALLGRIND_TOGGLE_COLLECT;
		CALLGRIND_STOP_INSTRUMENTATION;
	}
	if (rc < 0 || bench_check(&bench, 2)) {
		fprintf(stderr, "mctp-bench: %s failed (%d)\n", argv[1], rc);
		return 1;
	}
	printf("%s: %u-byte message in %zu SMBus frames\n", argv[1],
	       BENCH_MSG_LEN, frames);
	return 0;
}
