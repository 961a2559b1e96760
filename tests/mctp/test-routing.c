/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libmctp core: static routing and bridging (DSP0236 MCTP bridging).
 *
 *   A (EID 8) --link a-- [bus 0] bridge (EID 20) [bus 1] --link b-- B (EID 30)
 *
 * A bridge forwards a packet for an EID routed to another bus unchanged
 * (same header, same payload: it does not reassemble), never forwards
 * broadcast, and drops what would go back out of the bus it came in on.
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

#define A_EID 0x08u
#define BRIDGE_EID 0x14u
#define B_EID 0x1Eu
#define B_PHYS 0x42u

struct fixture {
	struct mctp a, bridge, b;
	struct harness_link a_link;   /* A's bus 0 */
	struct harness_link br0_link; /* bridge bus 0, towards A */
	struct harness_link br1_link; /* bridge bus 1, towards B */
	struct harness_link b_link;   /* B's bus 0 */
	struct harness_sink a_sink, bridge_sink, b_sink;
	struct mctp_counters want; /* the bridge's */
	uint8_t msg[MCTP_MAX_MESSAGE_SIZE];
};

static struct fixture fixture_storage;

static void init_stack(struct mctp *m, uint8_t eid, struct harness_sink *sink)
{
	assert_int_equal(mctp_init(m, &(struct mctp_config){.eid = eid}), 0);
	assert_int_equal(mctp_register_handler(m, MCTP_MSG_TYPE_PLDM,
					       &harness_sink_ops, sink),
			 0);
}

static void build(struct fixture *f, uint16_t br1_max_mtu)
{
	memset(f, 0, sizeof(*f));
	init_stack(&f->a, A_EID, &f->a_sink);
	init_stack(&f->bridge, BRIDGE_EID, &f->bridge_sink);
	init_stack(&f->b, B_EID, &f->b_sink);
	harness_link_init(&f->a_link, MCTP_MAX_MTU);
	harness_link_init(&f->br0_link, MCTP_MAX_MTU);
	harness_link_init(&f->br1_link, br1_max_mtu);
	harness_link_init(&f->b_link, MCTP_MAX_MTU);
	assert_int_equal(mctp_bus_register(&f->a, &f->a_link.binding), 0);
	assert_int_equal(mctp_bus_register(&f->bridge, &f->br0_link.binding),
			 0);
	assert_int_equal(mctp_bus_register(&f->bridge, &f->br1_link.binding),
			 1);
	assert_int_equal(mctp_bus_register(&f->b, &f->b_link.binding), 0);

	assert_int_equal(mctp_route_add(&f->a, BRIDGE_EID, B_EID, 0,
					MCTP_PHYS_ANY, 0),
			 0);
	assert_int_equal(mctp_route_add(&f->bridge, A_EID, A_EID, 0,
					MCTP_PHYS_ANY, 0),
			 0);
	assert_int_equal(
		mctp_route_add(&f->bridge, B_EID, B_EID + 9, 1, B_PHYS, 0), 0);
	assert_int_equal(mctp_route_add(&f->b, A_EID, BRIDGE_EID, 0,
					MCTP_PHYS_ANY, 0),
			 0);
	f->want = *mctp_get_counters(&f->bridge);
}

static int setup(void **state)
{
	if (MCTP_MAX_BUSES < 2)
		skip();
	build(&fixture_storage, MCTP_MAX_MTU);
	*state = &fixture_storage;
	return 0;
}

/* Move packets along every link until all are quiet. */
static void pump(struct fixture *f)
{
	unsigned rounds = 0;

	while (f->a_link.count || f->br0_link.count || f->br1_link.count ||
	       f->b_link.count) {
		harness_link_deliver_all(&f->a_link, &f->br0_link.binding);
		harness_link_deliver_all(&f->br0_link, &f->a_link.binding);
		harness_link_deliver_all(&f->br1_link, &f->b_link.binding);
		harness_link_deliver_all(&f->b_link, &f->br1_link.binding);
		assert_true(++rounds < 100);
	}
}

static void fill(uint8_t *msg, size_t len, uint8_t seed)
{
	size_t i;

	for (i = 0; i < len; i++)
		msg[i] = (uint8_t)(seed ^ (i * 13u));
	msg[0] = MCTP_MSG_TYPE_PLDM;
}

/* The bridge's counters, with its tx counters taken as they are (whether
 * forwarded packets count as sent is not part of the contract). */
static void check_bridge(struct fixture *f)
{
	const struct mctp_counters *c = mctp_get_counters(&f->bridge);

	f->want.tx_packets = c->tx_packets;
	f->want.tx_messages = c->tx_messages;
	assert_int_equal(harness_counters_check(c, &f->want), 0);
}

static void test_forward_a_to_b(void **state)
{
	struct fixture *f = *state;
	static struct harness_link sent;
	size_t i;
	int tag;

	fill(f->msg, 300, 1);
	tag = mctp_request_tx(&f->a, B_EID, f->msg, 300);
	assert_in_range(tag, 0, 7);
	assert_int_equal(f->a_link.count, 5);
	sent = f->a_link;

	harness_link_deliver_all(&f->a_link, &f->br0_link.binding);
	/* Forwarded packet by packet, byte for byte, not reassembled. */
	assert_int_equal(f->br1_link.count, 5);
	assert_int_equal(f->br0_link.count, 0);
	for (i = 0; i < 5; i++) {
		assert_int_equal(f->br1_link.queue[i].len, sent.queue[i].len);
		assert_memory_equal(f->br1_link.queue[i].data,
				    sent.queue[i].data, sent.queue[i].len);
		assert_int_equal(f->br1_link.queue[i].phys, B_PHYS);
	}
	assert_int_equal(f->bridge_sink.count, 0);
	f->want.rx_packets = 5;
	f->want.forwarded = 5;
	check_bridge(f);

	harness_link_deliver_all(&f->br1_link, &f->b_link.binding);
	assert_int_equal(f->b_sink.count, 1);
	assert_int_equal(f->b_sink.msgs[0].info.src_eid, A_EID);
	assert_int_equal(f->b_sink.msgs[0].info.dest_eid, B_EID);
	assert_int_equal(f->b_sink.msgs[0].info.tag, tag);
	assert_true(f->b_sink.msgs[0].info.tag_owner);
	assert_int_equal(f->b_sink.last_len, 300);
	assert_memory_equal(f->b_sink.last, f->msg, 300);
}

static void test_round_trip(void **state)
{
	struct fixture *f = *state;
	uint32_t packets = 0;
	size_t len;

	/* B answers each request; the response crosses the bridge back and
	 * releases A's tag (so more than 8 requests go through). */
	f->b_sink.echo = true;
	for (len = 1; len <= 700; len += 29) {
		fill(f->msg, len, (uint8_t)len);
		assert_in_range(mctp_request_tx(&f->a, B_EID, f->msg, len), 0,
				7);
		pump(f);
		assert_int_equal(f->b_sink.echo_result, 0);
		assert_int_equal(f->b_sink.last_len, len);
		assert_memory_equal(f->b_sink.last, f->msg, len);
		assert_int_equal(f->a_sink.last_len, len);
		assert_memory_equal(f->a_sink.last, f->msg, len);
		packets += 2 * (uint32_t)((len + 63) / 64);
	}
	assert_int_equal(f->a_sink.count, f->b_sink.count);
	assert_int_equal(mctp_get_counters(&f->a)->rx_drop_unexpected, 0);
	f->want.rx_packets = packets;
	f->want.forwarded = packets;
	check_bridge(f);
}

static void test_forward_without_reassembly_rules(void **state)
{
	struct fixture *f = *state;
	uint8_t pkt[8];

	/* A lone continuation, a response nobody asked the bridge for and a
	 * type the bridge has no handler for: none is the bridge's business. */
	harness_make_hdr(pkt, B_EID, A_EID, false, false, 2, true, 1);
	memset(pkt + 4, 0x11, 4);
	mctp_bus_rx(&f->br0_link.binding, pkt, sizeof(pkt));
	harness_make_hdr(pkt, B_EID, A_EID, true, true, 0, false, 1);
	mctp_bus_rx(&f->br0_link.binding, pkt, sizeof(pkt));
	harness_make_hdr(pkt, B_EID + 3, A_EID, true, true, 0, true, 1);
	pkt[4] = 0xFE;
	mctp_bus_rx(&f->br0_link.binding, pkt, sizeof(pkt));
	assert_int_equal(f->br1_link.count, 3);
	assert_memory_equal(f->br1_link.queue[2].data, pkt, sizeof(pkt));
	f->want.rx_packets = 3;
	f->want.forwarded = 3;
	check_bridge(f);
}

static void test_bridge_sends_on_route(void **state)
{
	struct fixture *f = *state;
	static const uint8_t msg[] = {0x01, 0x02};

	assert_in_range(mctp_request_tx(&f->bridge, B_EID, msg, sizeof(msg)), 0,
			7);
	assert_int_equal(f->br0_link.count, 0);
	assert_int_equal(f->br1_link.count, 1);
	assert_int_equal(f->br1_link.queue[0].phys, B_PHYS);
	assert_in_range(mctp_request_tx(&f->bridge, A_EID, msg, sizeof(msg)), 0,
			7);
	assert_int_equal(f->br0_link.count, 1);
	assert_int_equal(f->br0_link.queue[0].phys, MCTP_PHYS_ANY);
	assert_int_equal(f->br1_link.count, 1);
}

static void test_route_mtu(void **state)
{
	struct fixture *f = *state;
	size_t i;

	mctp_route_clear(&f->a);
	assert_int_equal(mctp_route_add(&f->a, B_EID, B_EID, 0, 0x33, 128), 0);
	fill(f->msg, 300, 3);
	assert_in_range(mctp_request_tx(&f->a, B_EID, f->msg, 300), 0, 7);
	assert_int_equal(f->a_link.count, 3);
	assert_int_equal(f->a_link.queue[0].len, 4 + 128);
	assert_int_equal(f->a_link.queue[1].len, 4 + 128);
	assert_int_equal(f->a_link.queue[2].len, 4 + 44);
	for (i = 0; i < 3; i++)
		assert_int_equal(f->a_link.queue[i].phys, 0x33);
	/* The bridge forwards the bigger packets as they are. */
	pump(f);
	assert_int_equal(f->b_sink.last_len, 300);
	assert_memory_equal(f->b_sink.last, f->msg, 300);
	assert_int_equal(mctp_get_counters(&f->bridge)->forwarded, 3);
}

static void test_route_mtu_default(void **state)
{
	struct fixture *f = *state;

	fill(f->msg, 300, 4);
	/* Route MTU 0: the binding's default, 64 ... */
	assert_in_range(mctp_request_tx(&f->a, B_EID, f->msg, 300), 0, 7);
	assert_int_equal(f->a_link.count, 5);
	assert_int_equal(f->a_link.queue[0].len, 4 + 64);
	harness_link_clear(&f->a_link);
	/* ... or whatever it was raised to. */
	assert_int_equal(mctp_binding_set_mtu(&f->a_link.binding, 100), 0);
	assert_in_range(mctp_request_tx(&f->a, B_EID, f->msg, 300), 0, 7);
	assert_int_equal(f->a_link.count, 3);
	assert_int_equal(f->a_link.queue[0].len, 4 + 100);
	assert_int_equal(f->a_link.queue[2].len, 4 + 100);
}

static void test_no_route_phys_any(void **state)
{
	struct fixture *f = *state;
	static const uint8_t msg[] = {0x01};

	mctp_route_clear(&f->a);
	assert_in_range(mctp_request_tx(&f->a, 0x50, msg, sizeof(msg)), 0, 7);
	assert_int_equal(f->a_link.count, 1);
	assert_int_equal(f->a_link.queue[0].phys, MCTP_PHYS_ANY);
}

static void test_same_bus_dropped(void **state)
{
	struct fixture *f = *state;
	uint8_t pkt[6];

	/* For A, but arriving from A's side. */
	harness_make_hdr(pkt, A_EID, 0x09, true, true, 0, true, 0);
	pkt[4] = 0x01;
	pkt[5] = 0x02;
	mctp_bus_rx(&f->br0_link.binding, pkt, sizeof(pkt));
	/* For B, arriving from B's side. */
	harness_make_hdr(pkt, B_EID, 0x25, true, true, 0, true, 0);
	mctp_bus_rx(&f->br1_link.binding, pkt, sizeof(pkt));
	assert_int_equal(f->br0_link.count + f->br1_link.count, 0);
	assert_int_equal(f->bridge_sink.count, 0);
	f->want.rx_packets = 2;
	f->want.rx_drop_route = 2;
	check_bridge(f);
}

static void test_too_big_for_next_bus(void **state)
{
	struct fixture *f = *state;
	uint8_t pkt[4 + 128];

	/* The bus towards B carries 64-byte payloads at most. */
	build(f, 64);
	memset(pkt, 0x01, sizeof(pkt));
	harness_make_hdr(pkt, B_EID, A_EID, true, false, 0, true, 0);
	mctp_bus_rx(&f->br0_link.binding, pkt, sizeof(pkt));
	assert_int_equal(f->br1_link.count, 0);
	/* 64 fits. */
	mctp_bus_rx(&f->br0_link.binding, pkt, 4 + 64);
	assert_int_equal(f->br1_link.count, 1);
	f->want.rx_packets = 2;
	f->want.rx_drop_route = 1;
	f->want.forwarded = 1;
	check_bridge(f);
}

static void test_broadcast_not_forwarded(void **state)
{
	struct fixture *f = *state;
	uint8_t pkt[6];

	harness_make_hdr(pkt, MCTP_EID_BROADCAST, A_EID, true, true, 0, true,
			 2);
	pkt[4] = 0x01;
	pkt[5] = 0x5A;
	mctp_bus_rx(&f->br0_link.binding, pkt, sizeof(pkt));
	assert_int_equal(f->br1_link.count + f->br0_link.count, 0);
	assert_int_equal(f->bridge_sink.count, 1);
	assert_int_equal(f->bridge_sink.msgs[0].info.dest_eid,
			 MCTP_EID_BROADCAST);
	f->want.rx_packets = 1;
	f->want.rx_messages = 1;
	check_bridge(f);
}

static void test_bridge_own_eid_local(void **state)
{
	struct fixture *f = *state;
	uint8_t pkt[6];

	harness_make_hdr(pkt, BRIDGE_EID, B_EID, true, true, 0, true, 2);
	pkt[4] = 0x01;
	pkt[5] = 0x5A;
	mctp_bus_rx(&f->br1_link.binding, pkt, sizeof(pkt));
	assert_int_equal(f->bridge_sink.count, 1);
	assert_int_equal(f->bridge_sink.msgs[0].info.bus, 1);
	assert_int_equal(f->br1_link.count + f->br0_link.count, 0);
}

static void test_not_ours_without_route(void **state)
{
	struct fixture *f = *state;
	uint8_t pkt[6];

	harness_make_hdr(pkt, B_EID + 10, A_EID, true, true, 0, true, 0);
	pkt[4] = 0x01;
	pkt[5] = 0x00;
	mctp_bus_rx(&f->br0_link.binding, pkt, sizeof(pkt));
	/* Inside the routed range 30..39: forwarded. */
	pkt[1] = B_EID + 9;
	mctp_bus_rx(&f->br0_link.binding, pkt, sizeof(pkt));
	assert_int_equal(f->br1_link.count, 1);
	assert_int_equal(f->br1_link.queue[0].data[1], B_EID + 9);
	/* No route left at all. */
	mctp_route_clear(&f->bridge);
	mctp_bus_rx(&f->br0_link.binding, pkt, sizeof(pkt));
	assert_int_equal(f->br1_link.count, 1);
	f->want.rx_packets = 3;
	f->want.forwarded = 1;
	f->want.rx_drop_not_ours = 2;
	check_bridge(f);
}

static void test_bad_source_not_forwarded(void **state)
{
	struct fixture *f = *state;
	uint8_t pkt[6];

	harness_make_hdr(pkt, B_EID, MCTP_EID_BROADCAST, true, true, 0, true,
			 0);
	pkt[4] = 0x01;
	pkt[5] = 0x00;
	mctp_bus_rx(&f->br0_link.binding, pkt, sizeof(pkt));
	pkt[0] = 0x02; /* header version 2 */
	pkt[2] = A_EID;
	mctp_bus_rx(&f->br0_link.binding, pkt, sizeof(pkt));
	assert_int_equal(f->br1_link.count, 0);
	f->want.rx_packets = 2;
	f->want.rx_drop_src_eid = 1;
	f->want.rx_drop_version = 1;
	check_bridge(f);
}

static void test_response_returns_on_arrival_bus(void **state)
{
	struct fixture *f = *state;
	uint8_t pkt[6];
	unsigned i;
	/* Sources the bridge has no route for: an EID, and the null EID an
	 * endpoint uses before it has one. */
	static const uint8_t srcs[] = {0x50, MCTP_EID_NULL};

	/* The only way back to an unrouted requester is the bus its
	 * request came in on (msg_info.bus); bus 0 would be the wrong
	 * network. */
	f->bridge_sink.echo = true;
	for (i = 0; i < sizeof(srcs); i++) {
		harness_make_hdr(pkt, BRIDGE_EID, srcs[i], true, true, 0, true,
				 4);
		pkt[4] = 0x01;
		pkt[5] = 0x77;
		mctp_bus_rx(&f->br1_link.binding, pkt, sizeof(pkt));
		assert_int_equal(f->bridge_sink.count, i + 1);
		assert_int_equal(f->bridge_sink.msgs[i].info.bus, 1);
		assert_int_equal(f->bridge_sink.echo_result, 0);
		assert_int_equal(f->br0_link.count, 0);
		assert_int_equal(f->br1_link.count, 1);
		assert_int_equal(f->br1_link.queue[0].data[1], srcs[i]);
		harness_link_clear(&f->br1_link);
	}
}

static void test_route_add_errors(void **state)
{
	struct fixture *f = *state;
	unsigned i;

	mctp_route_clear(&f->bridge);
	assert_int_equal(mctp_route_add(&f->bridge, 0x30, 0x2F, 0,
					MCTP_PHYS_ANY, 0),
			 -EINVAL);
	assert_int_equal(mctp_route_add(&f->bridge, 0, 0, 0, MCTP_PHYS_ANY, 0),
			 -EINVAL);
	assert_int_equal(mctp_route_add(&f->bridge, 0x30, 0x30, 2,
					MCTP_PHYS_ANY, 0),
			 -EINVAL);
	assert_int_equal(mctp_route_add(&f->bridge, 0x30, 0x30, 0,
					MCTP_PHYS_ANY, 63),
			 -EINVAL);
	assert_int_equal(mctp_route_add(&f->bridge, 0x30, 0x30, 0,
					MCTP_PHYS_ANY,
					(uint16_t)(MCTP_MAX_MTU + 1)),
			 -EINVAL);
	assert_int_equal(mctp_route_add(&f->bridge, 0x30, 0x30, 0,
					MCTP_PHYS_ANY, (uint16_t)MCTP_MAX_MTU),
			 0);
	assert_int_equal(mctp_route_add(&f->bridge, 0x31, 0x31, 0,
					MCTP_PHYS_ANY, 64),
			 0);
	for (i = 2; i < MCTP_MAX_ROUTES; i++)
		assert_int_equal(mctp_route_add(&f->bridge, (uint8_t)(0x40 + i),
						(uint8_t)(0x40 + i), 1,
						MCTP_PHYS_ANY, 0),
				 0);
	assert_int_equal(mctp_route_add(&f->bridge, 0xA0, 0xA0, 1,
					MCTP_PHYS_ANY, 0),
			 -ENOSPC);
	mctp_route_clear(&f->bridge);
	assert_int_equal(
		mctp_route_add(&f->bridge, 0xA0, 0xA0, 1, MCTP_PHYS_ANY, 0), 0);
}

static void test_route_mtu_above_bus_max(void **state)
{
	struct fixture *f = *state;

	build(f, 64);
	assert_int_equal(mctp_route_add(&f->bridge, 0x30, 0x30, 1,
					MCTP_PHYS_ANY, 65),
			 -EINVAL);
	assert_int_equal(mctp_route_add(&f->bridge, 0x30, 0x30, 1,
					MCTP_PHYS_ANY, 64),
			 0);
}

#define T(fn) cmocka_unit_test_setup(fn, setup)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_forward_a_to_b),
		T(test_round_trip),
		T(test_forward_without_reassembly_rules),
		T(test_bridge_sends_on_route),
		T(test_route_mtu),
		T(test_route_mtu_default),
		T(test_no_route_phys_any),
		T(test_same_bus_dropped),
		T(test_too_big_for_next_bus),
		T(test_broadcast_not_forwarded),
		T(test_bridge_own_eid_local),
		T(test_not_ours_without_route),
		T(test_bad_source_not_forwarded),
		T(test_response_returns_on_arrival_bus),
		T(test_route_add_errors),
		T(test_route_mtu_above_bus_max),
	};

	return cmocka_run_group_tests_name("mctp-routing", tests, NULL, NULL);
}
