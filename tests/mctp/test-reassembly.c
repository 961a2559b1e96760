/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libmctp core: fragmentation (DSP0236 packetization) and reassembly.
 *
 * Sending side: a message of N bytes at transmission unit M leaves as
 * ceil(N/M) packets, all carrying M payload bytes but the last; SOM on the
 * first, EOM on the last, the sequence number counting mod 4.
 *
 * Receiving side: packets are built here by hand (frag() below follows the
 * rules above, independently of the core), pushed on a queue, damaged with
 * the harness fault functions, then handed to the stack under test. Each
 * fault is followed by a good message to show the stack recovered.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "harness.h"
#include "mctp/mctp.h"

#define OUR_EID 0x08u
#define PEER_EID 0x09u
#define TIMEOUT MCTP_DEFAULT_REASSEMBLY_TIMEOUT_MS

struct fixture {
	/* The stack under test. */
	struct mctp dut;
	struct harness_link link;
	struct harness_sink sink;
	/* A second stack that sends with the core's own fragmentation. */
	struct mctp peer;
	struct harness_link peer_link;
	struct harness_sink peer_sink;
	/* Hand-made packets wait here before going to the dut. */
	struct harness_link wire;
	struct harness_link wire2;
	struct mctp_counters want;
	uint8_t msg[MCTP_MAX_MESSAGE_SIZE + 1];
	uint8_t msg2[MCTP_MAX_MESSAGE_SIZE + 1];
};

static struct fixture fixture_storage;

static int setup(void **state)
{
	struct fixture *f = &fixture_storage;

	memset(f, 0, sizeof(*f));
	assert_int_equal(mctp_init(&f->dut,
				   &(struct mctp_config){
					   .eid = OUR_EID,
				   }),
			 0);
	harness_link_init(&f->link, MCTP_MAX_MTU);
	assert_int_equal(mctp_bus_register(&f->dut, &f->link.binding), 0);
	assert_int_equal(mctp_register_handler(&f->dut, MCTP_MSG_TYPE_PLDM,
					       &harness_sink_ops, &f->sink),
			 0);

	assert_int_equal(mctp_init(&f->peer,
				   &(struct mctp_config){
					   .eid = PEER_EID,
				   }),
			 0);
	harness_link_init(&f->peer_link, MCTP_MAX_MTU);
	assert_int_equal(mctp_bus_register(&f->peer, &f->peer_link.binding), 0);
	assert_int_equal(mctp_register_handler(&f->peer, MCTP_MSG_TYPE_PLDM,
					       &harness_sink_ops,
					       &f->peer_sink),
			 0);

	harness_link_init(&f->wire, MCTP_MAX_MTU);
	harness_link_init(&f->wire2, MCTP_MAX_MTU);
	f->want = *mctp_get_counters(&f->dut);
	*state = f;
	return 0;
}

static void fill(uint8_t *msg, size_t len, uint8_t seed)
{
	size_t i;

	for (i = 0; i < len; i++)
		msg[i] = (uint8_t)(seed + i * 31u);
	msg[0] = MCTP_MSG_TYPE_PLDM;
}

/* Split @msg into packets of @unit payload bytes and queue them on @wire. */
static size_t frag(struct harness_link *wire, uint8_t src, uint8_t dest,
		   bool tag_owner, uint8_t tag, const uint8_t *msg, size_t len,
		   size_t unit)
{
	uint8_t pkt[HARNESS_PKT_MAX];
	size_t off = 0, n_pkts = 0;
	uint8_t seq = 0;

	assert_true(unit <= MCTP_MAX_MTU);
	do {
		size_t n = len - off < unit ? len - off : unit;

		harness_make_hdr(pkt, dest, src, off == 0, off + n == len, seq,
				 tag_owner, tag);
		memcpy(pkt + MCTP_HEADER_SIZE, msg + off, n);
		assert_int_equal(
			harness_link_push(wire, pkt, MCTP_HEADER_SIZE + n), 0);
		off += n;
		seq = (uint8_t)((seq + 1) & 3);
		n_pkts++;
	} while (off < len);
	return n_pkts;
}

static void deliver(struct fixture *f)
{
	harness_link_deliver_all(&f->wire, &f->link.binding);
}

static void check_counters(struct fixture *f)
{
	assert_int_equal(harness_counters_check(mctp_get_counters(&f->dut),
						&f->want),
			 0);
}

/* A 150-byte request from PEER_EID tag 1 (the key most tests damage)
 * arrives intact, and nothing else is counted. */
static void good_message_arrives(struct fixture *f)
{
	size_t before = f->sink.count;
	size_t n;

	fill(f->msg2, 150, 0x3C);
	n = frag(&f->wire, PEER_EID, OUR_EID, true, 1, f->msg2, 150, 64);
	deliver(f);
	assert_int_equal(f->sink.count, before + 1);
	assert_int_equal(f->sink.last_len, 150);
	assert_memory_equal(f->sink.last, f->msg2, 150);
	f->want.rx_packets += (uint32_t)n;
	f->want.rx_messages++;
	check_counters(f);
}

/* ---- fragmentation by the core, checked packet by packet ---- */

static void check_fragments(struct fixture *f, size_t len, uint16_t mtu)
{
	size_t n_pkts = (len + mtu - 1) / mtu;
	size_t i, off = 0, seq0;
	int tag;

	fill(f->msg, len, (uint8_t)len);
	tag = mctp_request_tx(&f->peer, OUR_EID, f->msg, len);
	assert_in_range(tag, 0, 7);
	assert_int_equal(f->peer_link.count, n_pkts);
	seq0 = (f->peer_link.queue[0].data[3] >> 4) & 3u;
	for (i = 0; i < n_pkts; i++) {
		const struct harness_pkt *p = &f->peer_link.queue[i];
		size_t want_len = i + 1 < n_pkts ? mtu : len - off;
		/* The first sequence number is free; then +1 mod 4. */
		uint8_t flags = (uint8_t)((((i + seq0) & 3u) << 4) | 0x08u |
					  (unsigned)tag);

		if (i == 0)
			flags |= 0x80;
		if (i + 1 == n_pkts)
			flags |= 0x40;
		assert_int_equal(p->len, MCTP_HEADER_SIZE + want_len);
		assert_int_equal(p->data[0], 0x01);
		assert_int_equal(p->data[1], OUR_EID);
		assert_int_equal(p->data[2], PEER_EID);
		assert_int_equal(p->data[3], flags);
		assert_memory_equal(p->data + MCTP_HEADER_SIZE, f->msg + off,
				    want_len);
		off += want_len;
	}
	assert_int_equal(off, len);

	/* The dut reassembles it and echoes it back: the response releases
	 * the peer's tag and must come back intact too. */
	harness_link_deliver_all(&f->peer_link, &f->link.binding);
	assert_int_equal(f->sink.last_len, len);
	assert_memory_equal(f->sink.last, f->msg, len);
	assert_int_equal(f->sink.echo_result, 0);
	harness_link_deliver_all(&f->link, &f->peer_link.binding);
	assert_int_equal(f->peer_sink.last_len, len);
	assert_memory_equal(f->peer_sink.last, f->msg, len);
	assert_false(f->peer_sink.msgs[0].info.tag_owner);
	f->peer_sink.count = 0;
}

static void fragment_sizes(struct fixture *f, uint16_t mtu)
{
	const size_t sizes[] = {1,        mtu - 1u, mtu,
				mtu + 1u, 2u * mtu, MCTP_MAX_MESSAGE_SIZE};
	const struct mctp_counters *c = mctp_get_counters(&f->dut);
	const struct mctp_counters *pc = mctp_get_counters(&f->peer);
	size_t i;

	f->sink.echo = true;
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		if (sizes[i] > MCTP_MAX_MESSAGE_SIZE)
			continue;
		check_fragments(f, sizes[i], mtu);
	}
	assert_int_equal(c->rx_messages, f->sink.count);
	assert_int_equal(pc->rx_messages, f->sink.count);
	assert_int_equal(c->rx_drop_seq + c->rx_drop_size + c->rx_drop_no_som +
				 c->rx_drop_too_large + c->rx_drop_unexpected,
			 0);
	assert_int_equal(pc->rx_drop_unexpected, 0);
}

static void test_fragment_baseline(void **state)
{
	fragment_sizes(*state, 64);
}

static void test_fragment_max_mtu(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(mctp_binding_set_mtu(&f->peer_link.binding,
					      (uint16_t)MCTP_MAX_MTU),
			 0);
	assert_int_equal(mctp_binding_set_mtu(&f->link.binding,
					      (uint16_t)MCTP_MAX_MTU),
			 0);
	fragment_sizes(f, (uint16_t)MCTP_MAX_MTU);
}

/* ---- reassembly of good messages ---- */

static void reassemble(struct fixture *f, size_t len, size_t unit)
{
	size_t n;

	fill(f->msg, len, (uint8_t)(len ^ unit));
	n = frag(&f->wire, PEER_EID, OUR_EID, true, 3, f->msg, len, unit);
	deliver(f);
	assert_int_equal(f->sink.last_len, len);
	assert_memory_equal(f->sink.last, f->msg, len);
	f->want.rx_packets += (uint32_t)n;
	f->want.rx_messages++;
	check_counters(f);
}

static void test_reassemble_units(void **state)
{
	struct fixture *f = *state;
	/* The unit is whatever the first packet carries: any MTU from the
	 * baseline up to the binding maximum. */
	const size_t units[] = {64, 80, 100, MCTP_MAX_MTU};
	size_t u;

	for (u = 0; u < sizeof(units) / sizeof(units[0]); u++) {
		reassemble(f, 1, units[u]);
		reassemble(f, units[u], units[u]);
		reassemble(f, units[u] + 1, units[u]);
		reassemble(f, 3 * units[u] - 7, units[u]);
		reassemble(f, MCTP_MAX_MESSAGE_SIZE, units[u]);
	}
	assert_int_equal(f->sink.msgs[0].info.src_eid, PEER_EID);
	assert_int_equal(f->sink.msgs[0].info.tag, 3);
	assert_true(f->sink.msgs[0].info.tag_owner);
}

static void test_reassemble_ic(void **state)
{
	struct fixture *f = *state;

	fill(f->msg, 150, 9);
	f->msg[0] = 0x81;
	frag(&f->wire, PEER_EID, OUR_EID, true, 0, f->msg, 150, 64);
	deliver(f);
	assert_int_equal(f->sink.count, 1);
	assert_true(f->sink.msgs[0].info.ic);
	assert_int_equal(f->sink.msgs[0].info.type, MCTP_MSG_TYPE_PLDM);
	assert_int_equal(f->sink.last_len, 150);
	assert_memory_equal(f->sink.last, f->msg, 150);
}

/* ---- faults on a 200-byte message: packets 64, 64, 64, 8 (seq 0..3) ---- */

static void queue_200(struct fixture *f)
{
	fill(f->msg, 200, 0x11);
	assert_int_equal(
		frag(&f->wire, PEER_EID, OUR_EID, true, 1, f->msg, 200, 64), 4);
}

static void expect_nothing(struct fixture *f, uint32_t packets)
{
	assert_int_equal(f->sink.count, 0);
	f->want.rx_packets += packets;
	check_counters(f);
}

static void test_drop_first(void **state)
{
	struct fixture *f = *state;

	queue_200(f);
	assert_int_equal(harness_link_drop(&f->wire, 0), 0);
	deliver(f);
	f->want.rx_drop_no_som = 3;
	expect_nothing(f, 3);
	good_message_arrives(f);
}

static void test_drop_middle(void **state)
{
	struct fixture *f = *state;

	queue_200(f);
	assert_int_equal(harness_link_drop(&f->wire, 1), 0);
	deliver(f);
	/* seq 2 where 1 was due ends it; the EOM then has no reassembly. */
	f->want.rx_drop_seq = 1;
	f->want.rx_drop_no_som = 1;
	expect_nothing(f, 3);
	good_message_arrives(f);
}

static void test_drop_last_then_stall(void **state)
{
	struct fixture *f = *state;

	mctp_poll(&f->dut, 5000);
	queue_200(f);
	assert_int_equal(harness_link_drop(&f->wire, 3), 0);
	deliver(f);
	expect_nothing(f, 3);
	mctp_poll(&f->dut, 5000 + TIMEOUT - 1);
	check_counters(f);
	mctp_poll(&f->dut, 5000 + TIMEOUT + 1);
	f->want.rx_drop_timeout = 1;
	check_counters(f);
	mctp_poll(&f->dut, 5000 + 3 * TIMEOUT);
	check_counters(f);
	good_message_arrives(f);
}

static void test_stall_then_rest_arrives(void **state)
{
	struct fixture *f = *state;

	mctp_poll(&f->dut, 100);
	queue_200(f);
	harness_link_deliver_one(&f->wire, &f->link.binding);
	harness_link_deliver_one(&f->wire, &f->link.binding);
	mctp_poll(&f->dut, 100 + TIMEOUT + 1);
	deliver(f); /* the last two packets, too late */
	f->want.rx_drop_timeout = 1;
	f->want.rx_drop_no_som = 2;
	expect_nothing(f, 4);
	good_message_arrives(f);
}

static void test_stall_counts_from_first_packet(void **state)
{
	struct fixture *f = *state;

	/* "Not completed within" the timeout: progress does not extend it. */
	mctp_poll(&f->dut, 0);
	queue_200(f);
	harness_link_deliver_one(&f->wire, &f->link.binding);
	mctp_poll(&f->dut, TIMEOUT / 2);
	harness_link_deliver_one(&f->wire, &f->link.binding);
	harness_link_deliver_one(&f->wire, &f->link.binding);
	mctp_poll(&f->dut, TIMEOUT + 1);
	f->want.rx_drop_timeout = 1;
	expect_nothing(f, 3);
	harness_link_clear(&f->wire);
	good_message_arrives(f);
}

static void test_stall_clock_wraps(void **state)
{
	struct fixture *f = *state;
	const uint32_t t0 = 0xFFFFFFFFu - TIMEOUT / 2;

	mctp_poll(&f->dut, t0);
	queue_200(f);
	assert_int_equal(harness_link_drop(&f->wire, 3), 0);
	deliver(f);
	/* Just after the wrap, half the timeout has passed: keep it. */
	mctp_poll(&f->dut, t0 + TIMEOUT / 2 + 10);
	mctp_poll(&f->dut, t0 + TIMEOUT - 1);
	expect_nothing(f, 3);
	mctp_poll(&f->dut, t0 + TIMEOUT + 1);
	f->want.rx_drop_timeout = 1;
	check_counters(f);
	good_message_arrives(f);
}

static void test_duplicate_first(void **state)
{
	struct fixture *f = *state;

	queue_200(f);
	assert_int_equal(harness_link_duplicate(&f->wire, 0), 0);
	deliver(f);
	/* The second SOM restarts the same message, which then completes. */
	assert_int_equal(f->sink.count, 1);
	assert_int_equal(f->sink.last_len, 200);
	assert_memory_equal(f->sink.last, f->msg, 200);
	f->want.rx_packets = 5;
	f->want.rx_messages = 1;
	f->want.rx_drop_restarted = 1;
	check_counters(f);
	good_message_arrives(f);
}

static void test_duplicate_middle(void **state)
{
	struct fixture *f = *state;

	queue_200(f);
	assert_int_equal(harness_link_duplicate(&f->wire, 1), 0);
	deliver(f);
	f->want.rx_drop_seq = 1;
	f->want.rx_drop_no_som = 2;
	expect_nothing(f, 5);
	good_message_arrives(f);
}

static void test_duplicate_last(void **state)
{
	struct fixture *f = *state;

	queue_200(f);
	assert_int_equal(harness_link_duplicate(&f->wire, 3), 0);
	deliver(f);
	assert_int_equal(f->sink.count, 1);
	assert_memory_equal(f->sink.last, f->msg, 200);
	f->want.rx_packets = 5;
	f->want.rx_messages = 1;
	f->want.rx_drop_no_som = 1;
	check_counters(f);
	good_message_arrives(f);
}

static void test_reorder_middle(void **state)
{
	struct fixture *f = *state;

	queue_200(f);
	assert_int_equal(harness_link_swap(&f->wire, 1, 2), 0);
	deliver(f);
	f->want.rx_drop_seq = 1;
	f->want.rx_drop_no_som = 2;
	expect_nothing(f, 4);
	good_message_arrives(f);
}

static void test_reorder_first(void **state)
{
	struct fixture *f = *state;

	queue_200(f);
	assert_int_equal(harness_link_swap(&f->wire, 0, 1), 0);
	deliver(f);
	/* seq 1 without SOM; SOM; seq 2 where 1 was due; EOM alone. */
	f->want.rx_drop_no_som = 2;
	f->want.rx_drop_seq = 1;
	expect_nothing(f, 4);
	good_message_arrives(f);
}

static void test_wrong_seq(void **state)
{
	struct fixture *f = *state;

	queue_200(f);
	/* Packet 2 claims seq 3. */
	assert_int_equal(harness_link_corrupt(&f->wire, 2, 3, 0x10), 0);
	deliver(f);
	f->want.rx_drop_seq = 1;
	f->want.rx_drop_no_som = 1;
	expect_nothing(f, 4);
	good_message_arrives(f);
}

static void test_seq_wraps_mod_4(void **state)
{
	struct fixture *f = *state;

	/* 9 packets: sequence 0 1 2 3 0 1 2 3 0. */
	reassemble(f, 8 * 64 + 5, 64);
	assert_int_equal(f->sink.count, 1);
}

static void test_truncated_middle(void **state)
{
	struct fixture *f = *state;

	queue_200(f);
	assert_int_equal(
		harness_link_truncate(&f->wire, 1, MCTP_HEADER_SIZE + 10), 0);
	deliver(f);
	f->want.rx_drop_size = 1;
	f->want.rx_drop_no_som = 2;
	expect_nothing(f, 4);
	good_message_arrives(f);
}

static void test_truncated_to_header(void **state)
{
	struct fixture *f = *state;

	queue_200(f);
	assert_int_equal(harness_link_truncate(&f->wire, 1, MCTP_HEADER_SIZE),
			 0);
	deliver(f);
	/* The empty packet is dropped on its own; the message then misses
	 * seq 1. */
	f->want.rx_drop_short = 1;
	f->want.rx_drop_seq = 1;
	f->want.rx_drop_no_som = 1;
	expect_nothing(f, 4);
	good_message_arrives(f);
}

static void test_corrupt_source(void **state)
{
	struct fixture *f = *state;

	queue_200(f);
	/* Packet 1 now seems to come from another endpoint. */
	assert_int_equal(harness_link_corrupt(&f->wire, 1, 2, 0x40), 0);
	deliver(f);
	f->want.rx_drop_no_som = 2;
	f->want.rx_drop_seq = 1;
	expect_nothing(f, 4);
	good_message_arrives(f);
}

static void test_corrupt_tag_owner(void **state)
{
	struct fixture *f = *state;

	queue_200(f);
	/* TO flipped on packet 1: a different key, no reassembly for it. */
	assert_int_equal(harness_link_corrupt(&f->wire, 1, 3, 0x08), 0);
	deliver(f);
	f->want.rx_drop_no_som = 2;
	f->want.rx_drop_seq = 1;
	expect_nothing(f, 4);
	good_message_arrives(f);
}

/* ---- packet size rules ---- */

static void test_size_middle_smaller(void **state)
{
	struct fixture *f = *state;
	uint8_t pkt[HARNESS_PKT_MAX];

	fill(f->msg, 64, 1);
	harness_make_hdr(pkt, OUR_EID, PEER_EID, true, false, 0, true, 1);
	memcpy(pkt + 4, f->msg, 64);
	harness_link_push(&f->wire, pkt, 4 + 64);
	harness_make_hdr(pkt, OUR_EID, PEER_EID, false, false, 1, true, 1);
	harness_link_push(&f->wire, pkt, 4 + 63);
	harness_make_hdr(pkt, OUR_EID, PEER_EID, false, true, 2, true, 1);
	harness_link_push(&f->wire, pkt, 4 + 10);
	deliver(f);
	f->want.rx_drop_size = 1;
	f->want.rx_drop_no_som = 1;
	expect_nothing(f, 3);
	good_message_arrives(f);
}

static void test_size_middle_larger(void **state)
{
	struct fixture *f = *state;
	uint8_t pkt[HARNESS_PKT_MAX];

	memset(pkt, 0x01, sizeof(pkt));
	harness_make_hdr(pkt, OUR_EID, PEER_EID, true, false, 0, true, 1);
	harness_link_push(&f->wire, pkt, 4 + 64);
	harness_make_hdr(pkt, OUR_EID, PEER_EID, false, false, 1, true, 1);
	harness_link_push(&f->wire, pkt, 4 + 65);
	harness_make_hdr(pkt, OUR_EID, PEER_EID, false, true, 2, true, 1);
	harness_link_push(&f->wire, pkt, 4 + 10);
	deliver(f);
	f->want.rx_drop_size = 1;
	f->want.rx_drop_no_som = 1;
	expect_nothing(f, 3);
	good_message_arrives(f);
}

static void test_size_last_larger(void **state)
{
	struct fixture *f = *state;
	uint8_t pkt[HARNESS_PKT_MAX];

	memset(pkt, 0x01, sizeof(pkt));
	harness_make_hdr(pkt, OUR_EID, PEER_EID, true, false, 0, true, 1);
	harness_link_push(&f->wire, pkt, 4 + 64);
	harness_make_hdr(pkt, OUR_EID, PEER_EID, false, true, 1, true, 1);
	harness_link_push(&f->wire, pkt, 4 + 65);
	deliver(f);
	f->want.rx_drop_size = 1;
	expect_nothing(f, 2);
	good_message_arrives(f);
}

static void test_som_any_seq(void **state)
{
	struct fixture *f = *state;
	uint8_t pkt[HARNESS_PKT_MAX];
	size_t i;

	/* DSP0236: the first packet may carry any sequence number; the
	 * following ones count on from it. Here 2, 3, 0, 1. */
	fill(f->msg, 200, 0x42);
	for (i = 0; i < 4; i++) {
		size_t n = i < 3 ? 64 : 8;

		harness_make_hdr(pkt, OUR_EID, PEER_EID, i == 0, i == 3,
				 (uint8_t)((2 + i) & 3), true, 1);
		memcpy(pkt + 4, f->msg + 64 * i, n);
		harness_link_push(&f->wire, pkt, 4 + n);
	}
	deliver(f);
	assert_int_equal(f->sink.count, 1);
	assert_int_equal(f->sink.last_len, 200);
	assert_memory_equal(f->sink.last, f->msg, 200);
	f->want.rx_packets = 4;
	f->want.rx_messages = 1;
	check_counters(f);
}

static void test_size_first_below_baseline(void **state)
{
	struct fixture *f = *state;
	uint8_t pkt[HARNESS_PKT_MAX];

	/* Every packet but the last carries a full transmission unit, and
	 * no unit is below the 64-byte baseline: a 63-byte first packet
	 * without EOM cannot start a valid message. */
	memset(pkt, 0x01, sizeof(pkt));
	harness_make_hdr(pkt, OUR_EID, PEER_EID, true, false, 0, true, 1);
	harness_link_push(&f->wire, pkt, 4 + 63);
	harness_make_hdr(pkt, OUR_EID, PEER_EID, false, true, 1, true, 1);
	harness_link_push(&f->wire, pkt, 4 + 10);
	deliver(f);
	f->want.rx_drop_size = 1;
	f->want.rx_drop_no_som = 1;
	expect_nothing(f, 2);
	good_message_arrives(f);
}

static void test_size_last_smaller_ok(void **state)
{
	struct fixture *f = *state;

	queue_200(f);
	/* A shorter final packet is normal: the message is just shorter. */
	assert_int_equal(
		harness_link_truncate(&f->wire, 3, MCTP_HEADER_SIZE + 3), 0);
	deliver(f);
	assert_int_equal(f->sink.count, 1);
	assert_int_equal(f->sink.last_len, 195);
	assert_memory_equal(f->sink.last, f->msg, 195);
}

static void test_too_large(void **state)
{
	struct fixture *f = *state;
	size_t n;

	fill(f->msg, MCTP_MAX_MESSAGE_SIZE + 1, 7);
	n = frag(&f->wire, PEER_EID, OUR_EID, true, 1, f->msg,
		 MCTP_MAX_MESSAGE_SIZE + 1, 64);
	deliver(f);
	f->want.rx_drop_too_large = 1;
	expect_nothing(f, (uint32_t)n);
	good_message_arrives(f);
}

static void test_too_large_no_eom(void **state)
{
	struct fixture *f = *state;
	uint8_t pkt[HARNESS_PKT_MAX];
	/* Full packets past the maximum, never an EOM until the end. */
	const size_t full = MCTP_MAX_MESSAGE_SIZE / 64 + 1;
	size_t i;

	memset(pkt, 0x01, sizeof(pkt));
	for (i = 0; i < full; i++) {
		harness_make_hdr(pkt, OUR_EID, PEER_EID, i == 0, false,
				 (uint8_t)(i & 3), true, 1);
		harness_link_push(&f->wire, pkt, 4 + 64);
	}
	harness_make_hdr(pkt, OUR_EID, PEER_EID, false, true,
			 (uint8_t)(full & 3), true, 1);
	harness_link_push(&f->wire, pkt, 4 + 1);
	deliver(f);
	f->want.rx_drop_too_large = 1;
	f->want.rx_drop_no_som = 1;
	expect_nothing(f, (uint32_t)full + 1);
	good_message_arrives(f);
}

/* ---- contexts, restarts, interleaving ---- */

static void test_no_context(void **state)
{
	struct fixture *f = *state;
	size_t i, n;

	/* One 100-byte message (64 + 36) per source, first packets only. */
	for (i = 0; i <= MCTP_REASSEMBLY_CONTEXTS; i++) {
		fill(f->msg, 100, (uint8_t)i);
		n = frag(&f->wire2, (uint8_t)(0x10 + i), OUR_EID, true, 0,
			 f->msg, 100, 64);
		assert_int_equal(n, 2);
		harness_link_deliver_one(&f->wire2, &f->link.binding);
		assert_int_equal(harness_link_push(&f->wire,
						   f->wire2.queue[0].data,
						   f->wire2.queue[0].len),
				 0);
		harness_link_clear(&f->wire2);
	}
	f->want.rx_drop_no_context = 1;
	expect_nothing(f, MCTP_REASSEMBLY_CONTEXTS + 1);
	/* Second halves: all complete but the one that found no room. */
	deliver(f);
	assert_int_equal(f->sink.count, MCTP_REASSEMBLY_CONTEXTS);
	for (i = 0; i < MCTP_REASSEMBLY_CONTEXTS; i++) {
		assert_int_equal(f->sink.msgs[i].info.src_eid, 0x10 + i);
		assert_int_equal(f->sink.msgs[i].len, 100);
	}
	f->want.rx_packets += MCTP_REASSEMBLY_CONTEXTS + 1;
	f->want.rx_messages += MCTP_REASSEMBLY_CONTEXTS;
	f->want.rx_drop_no_som = 1;
	check_counters(f);
	good_message_arrives(f);
}

static void test_timeout_frees_contexts(void **state)
{
	struct fixture *f = *state;
	uint8_t pkt[HARNESS_PKT_MAX];
	size_t i;

	memset(pkt, 0x01, sizeof(pkt));
	mctp_poll(&f->dut, 1);
	for (i = 0; i < MCTP_REASSEMBLY_CONTEXTS; i++) {
		harness_make_hdr(pkt, OUR_EID, (uint8_t)(0x10 + i), true, false,
				 0, true, 0);
		mctp_bus_rx(&f->link.binding, pkt, 4 + 64);
	}
	mctp_poll(&f->dut, 1 + TIMEOUT + 1);
	f->want.rx_drop_timeout = MCTP_REASSEMBLY_CONTEXTS;
	expect_nothing(f, MCTP_REASSEMBLY_CONTEXTS);
	good_message_arrives(f);
}

static void test_contexts_reused(void **state)
{
	struct fixture *f = *state;
	size_t i;

	/* Far more messages than contexts, one after the other. */
	for (i = 0; i < 4 * MCTP_REASSEMBLY_CONTEXTS + 3; i++)
		reassemble(f, 130, 64);
	assert_int_equal(f->sink.count, 4 * MCTP_REASSEMBLY_CONTEXTS + 3);
}

static void test_restart(void **state)
{
	struct fixture *f = *state;

	queue_200(f); /* a0..a3 on wire */
	fill(f->msg2, 150, 0x99);
	frag(&f->wire2, PEER_EID, OUR_EID, true, 1, f->msg2, 150, 64);
	harness_link_deliver_one(&f->wire, &f->link.binding);  /* a0 */
	harness_link_deliver_one(&f->wire, &f->link.binding);  /* a1 */
	harness_link_deliver_all(&f->wire2, &f->link.binding); /* b0..b2 */
	assert_int_equal(f->sink.count, 1);
	assert_int_equal(f->sink.last_len, 150);
	assert_memory_equal(f->sink.last, f->msg2, 150);
	deliver(f); /* a2, a3: their message is gone */
	assert_int_equal(f->sink.count, 1);
	f->want.rx_packets = 7;
	f->want.rx_messages = 1;
	f->want.rx_drop_restarted = 1;
	f->want.rx_drop_no_som = 2;
	check_counters(f);
	good_message_arrives(f);
}

static void test_restart_by_single_packet(void **state)
{
	struct fixture *f = *state;
	static const uint8_t single[] = {0x01, OUR_EID, PEER_EID,
					 0xC9, 0x01,    0x55};

	queue_200(f);
	harness_link_deliver_one(&f->wire, &f->link.binding);
	harness_link_deliver_one(&f->wire, &f->link.binding);
	mctp_bus_rx(&f->link.binding, single, sizeof(single));
	assert_int_equal(f->sink.count, 1);
	assert_int_equal(f->sink.last_len, 2);
	assert_int_equal(f->sink.last[1], 0x55);
	f->want.rx_packets = 3;
	f->want.rx_messages = 1;
	f->want.rx_drop_restarted = 1;
	check_counters(f);
	harness_link_clear(&f->wire);
	good_message_arrives(f);
}

static void test_other_tag_does_not_restart(void **state)
{
	struct fixture *f = *state;
	/* Tag 2, TO: 0xCA. */
	static const uint8_t single[] = {0x01, OUR_EID, PEER_EID,
					 0xCA, 0x01,    0x66};

	queue_200(f);
	harness_link_deliver_one(&f->wire, &f->link.binding);
	harness_link_deliver_one(&f->wire, &f->link.binding);
	mctp_bus_rx(&f->link.binding, single, sizeof(single));
	deliver(f);
	assert_int_equal(f->sink.count, 2);
	assert_int_equal(f->sink.msgs[0].len, 2);
	assert_int_equal(f->sink.msgs[0].info.tag, 2);
	assert_int_equal(f->sink.msgs[1].len, 200);
	assert_int_equal(f->sink.msgs[1].info.tag, 1);
	assert_memory_equal(f->sink.last, f->msg, 200);
	f->want.rx_packets = 5;
	f->want.rx_messages = 2;
	check_counters(f);
}

/* Deliver @wire and @wire2 alternately, one packet from each. */
static void deliver_interleaved(struct fixture *f)
{
	while (f->wire.count || f->wire2.count) {
		harness_link_deliver_one(&f->wire, &f->link.binding);
		harness_link_deliver_one(&f->wire2, &f->link.binding);
	}
}

static void check_two(struct fixture *f, size_t len1, size_t len2)
{
	assert_int_equal(f->sink.count, 2);
	/* The shorter one completes first. */
	assert_int_equal(f->sink.msgs[0].len, len2);
	assert_int_equal(f->sink.msgs[1].len, len1);
	assert_memory_equal(f->sink.msgs[0].head, f->msg2, HARNESS_SINK_HEAD);
	assert_memory_equal(f->sink.msgs[1].head, f->msg, HARNESS_SINK_HEAD);
	assert_memory_equal(f->sink.last, f->msg, len1);
	assert_int_equal(mctp_get_counters(&f->dut)->rx_drop_seq +
				 mctp_get_counters(&f->dut)->rx_drop_no_som +
				 mctp_get_counters(&f->dut)->rx_drop_restarted,
			 0);
}

static void test_interleave_sources(void **state)
{
	struct fixture *f = *state;

	if (MCTP_REASSEMBLY_CONTEXTS < 2)
		skip();
	fill(f->msg, 300, 1);
	fill(f->msg2, 200, 2);
	frag(&f->wire, 0x20, OUR_EID, true, 1, f->msg, 300, 64);
	frag(&f->wire2, 0x21, OUR_EID, true, 1, f->msg2, 200, 64);
	deliver_interleaved(f);
	check_two(f, 300, 200);
	assert_int_equal(f->sink.msgs[0].info.src_eid, 0x21);
	assert_int_equal(f->sink.msgs[1].info.src_eid, 0x20);
}

static void test_interleave_tags(void **state)
{
	struct fixture *f = *state;

	if (MCTP_REASSEMBLY_CONTEXTS < 2)
		skip();
	fill(f->msg, 300, 3);
	fill(f->msg2, 200, 4);
	frag(&f->wire, PEER_EID, OUR_EID, true, 6, f->msg, 300, 64);
	frag(&f->wire2, PEER_EID, OUR_EID, true, 7, f->msg2, 200, 64);
	deliver_interleaved(f);
	check_two(f, 300, 200);
	assert_int_equal(f->sink.msgs[0].info.tag, 7);
	assert_int_equal(f->sink.msgs[1].info.tag, 6);
}

static void test_interleave_tag_owner(void **state)
{
	struct fixture *f = *state;
	static const uint8_t req[] = {0x01, 0x02};
	int tag;

	if (MCTP_REASSEMBLY_CONTEXTS < 2)
		skip();
	/* Our request to the peer holds tag t; the peer's own request with
	 * the same tag number and its response to ours are two messages. */
	tag = mctp_request_tx(&f->dut, PEER_EID, req, sizeof(req));
	assert_in_range(tag, 0, 7);
	harness_link_clear(&f->link);
	fill(f->msg, 300, 5);
	fill(f->msg2, 200, 6);
	frag(&f->wire, PEER_EID, OUR_EID, true, (uint8_t)tag, f->msg, 300, 64);
	frag(&f->wire2, PEER_EID, OUR_EID, false, (uint8_t)tag, f->msg2, 200,
	     64);
	deliver_interleaved(f);
	check_two(f, 300, 200);
	assert_false(f->sink.msgs[0].info.tag_owner);
	assert_true(f->sink.msgs[1].info.tag_owner);
	assert_int_equal(f->sink.msgs[0].info.tag, tag);
	assert_int_equal(f->sink.msgs[1].info.tag, tag);
}

#define T(fn) cmocka_unit_test_setup(fn, setup)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_fragment_baseline),
		T(test_fragment_max_mtu),
		T(test_reassemble_units),
		T(test_reassemble_ic),
		T(test_drop_first),
		T(test_drop_middle),
		T(test_drop_last_then_stall),
		T(test_stall_then_rest_arrives),
		T(test_stall_counts_from_first_packet),
		T(test_stall_clock_wraps),
		T(test_duplicate_first),
		T(test_duplicate_middle),
		T(test_duplicate_last),
		T(test_reorder_middle),
		T(test_reorder_first),
		T(test_wrong_seq),
		T(test_seq_wraps_mod_4),
		T(test_truncated_middle),
		T(test_truncated_to_header),
		T(test_corrupt_source),
		T(test_corrupt_tag_owner),
		T(test_size_middle_smaller),
		T(test_size_middle_larger),
		T(test_size_last_larger),
		T(test_size_last_smaller_ok),
		T(test_som_any_seq),
		T(test_size_first_below_baseline),
		T(test_too_large),
		T(test_too_large_no_eom),
		T(test_no_context),
		T(test_timeout_frees_contexts),
		T(test_contexts_reused),
		T(test_restart),
		T(test_restart_by_single_packet),
		T(test_other_tag_does_not_restart),
		T(test_interleave_sources),
		T(test_interleave_tags),
		T(test_interleave_tag_owner),
	};

	return cmocka_run_group_tests_name("mctp-reassembly", tests, NULL,
					   NULL);
}
