/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libmctp core: message tags (DSP0236, tag owner and message tag). A
 * request carries tag owner = 1 and a tag chosen by the requester; the
 * response carries the same tag with tag owner = 0, from the endpoint the
 * request went to (any endpoint when the request went to the null EID).
 * The core holds a tag per peer until the response or the tag timeout.
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
#define TAG_TIMEOUT 100u

struct fixture {
	struct mctp dut;
	struct harness_link link;
	struct harness_sink sink;            /* type 1 */
	struct harness_sink sink5;           /* type 5 */
	struct harness_sink no_timeout_sink; /* type 0x7E, rx op only */
	struct mctp_counters want;
	/* A second stack for end-to-end exchanges. */
	struct mctp other;
	struct harness_link other_link;
	struct harness_sink other_sink;
};

static struct fixture fixture_storage;

static void rx_only(void *ctx, struct mctp *mctp,
		    const struct mctp_msg_info *info, const uint8_t *msg,
		    size_t len)
{
	harness_sink_ops.rx(ctx, mctp, info, msg, len);
}

static const struct mctp_handler_ops rx_only_ops = {.rx = rx_only};

static void init_dut(struct fixture *f, uint32_t tag_timeout_ms)
{
	assert_int_equal(mctp_init(&f->dut,
				   &(struct mctp_config){
					   .eid = OUR_EID,
					   .tag_timeout_ms = tag_timeout_ms,
				   }),
			 0);
	harness_link_init(&f->link, MCTP_MAX_MTU);
	assert_int_equal(mctp_bus_register(&f->dut, &f->link.binding), 0);
	assert_int_equal(mctp_register_handler(&f->dut, MCTP_MSG_TYPE_PLDM,
					       &harness_sink_ops, &f->sink),
			 0);
	assert_int_equal(mctp_register_handler(&f->dut, MCTP_MSG_TYPE_SPDM,
					       &harness_sink_ops, &f->sink5),
			 0);
	assert_int_equal(
		mctp_register_handler(&f->dut, MCTP_MSG_TYPE_VENDOR_PCI,
				      &rx_only_ops, &f->no_timeout_sink),
		0);
	f->want = *mctp_get_counters(&f->dut);
}

static int setup(void **state)
{
	struct fixture *f = &fixture_storage;

	memset(f, 0, sizeof(*f));
	init_dut(f, TAG_TIMEOUT);
	*state = f;
	return 0;
}

/* Send a 2-byte request of @type to @dest; check the packet carries the
 * returned tag with tag owner set. Returns the tag or the error. */
static int req(struct fixture *f, uint8_t dest, uint8_t type)
{
	const uint8_t msg[] = {type, 0xAB};
	int tag;

	harness_link_clear(&f->link);
	tag = mctp_request_tx(&f->dut, dest, msg, sizeof(msg));
	if (tag < 0) {
		assert_int_equal(f->link.count, 0);
		return tag;
	}
	assert_in_range(tag, 0, 7);
	assert_int_equal(f->link.count, 1);
	assert_int_equal(f->link.queue[0].data[1], dest);
	assert_int_equal(f->link.queue[0].data[2], OUR_EID);
	/* SOM|EOM|TO and the tag; the first sequence number is free. */
	assert_int_equal(f->link.queue[0].data[3] & 0xCF, 0xC8 | tag);
	harness_link_clear(&f->link);
	return tag;
}

/* A single-packet response (tag owner clear) from @src with @tag. */
static void resp(struct fixture *f, uint8_t src, uint8_t tag, uint8_t type)
{
	uint8_t pkt[6];

	harness_make_hdr(pkt, OUR_EID, src, true, true, 0, false, tag);
	pkt[4] = type;
	pkt[5] = 0xCD;
	mctp_bus_rx(&f->link.binding, pkt, sizeof(pkt));
}

static void check_counters(struct fixture *f)
{
	assert_int_equal(harness_counters_check(mctp_get_counters(&f->dut),
						&f->want),
			 0);
}

/* Fill every tag for @dest; returns the bitmask of tags handed out. */
static unsigned fill_tags(struct fixture *f, uint8_t dest, unsigned n)
{
	unsigned mask = 0, i;

	for (i = 0; i < n; i++) {
		int tag = req(f, dest, MCTP_MSG_TYPE_PLDM);

		assert_in_range(tag, 0, 7);
		assert_false(mask & (1u << tag));
		mask |= 1u << tag;
	}
	return mask;
}

static void test_eight_tags_per_peer(void **state)
{
	struct fixture *f = *state;
	size_t calls;

	assert_int_equal(fill_tags(f, PEER_EID, 8), 0xFF);
	calls = f->link.tx_calls;
	assert_int_equal(req(f, PEER_EID, MCTP_MSG_TYPE_PLDM), -EBUSY);
	assert_int_equal(req(f, PEER_EID, MCTP_MSG_TYPE_SPDM), -EBUSY);
	assert_int_equal(f->link.tx_calls, calls);
	/* Another peer has its own eight. */
	assert_int_equal(fill_tags(f, 0x0A, 8), 0xFF);
	assert_int_equal(req(f, 0x0A, MCTP_MSG_TYPE_PLDM), -EBUSY);
	f->want.tx_packets = 16;
	f->want.tx_messages = 16;
	check_counters(f);
}

static void test_response_releases_tag(void **state)
{
	struct fixture *f = *state;
	int tag;

	fill_tags(f, PEER_EID, 8);
	resp(f, PEER_EID, 3, MCTP_MSG_TYPE_PLDM);
	assert_int_equal(f->sink.count, 1);
	assert_int_equal(f->sink.msgs[0].info.src_eid, PEER_EID);
	assert_int_equal(f->sink.msgs[0].info.tag, 3);
	assert_false(f->sink.msgs[0].info.tag_owner);
	assert_int_equal(f->sink.msgs[0].head[1], 0xCD);
	/* Tag 3 is the only one free. */
	tag = req(f, PEER_EID, MCTP_MSG_TYPE_PLDM);
	assert_int_equal(tag, 3);
	assert_int_equal(req(f, PEER_EID, MCTP_MSG_TYPE_PLDM), -EBUSY);
	/* One response per request: the second is unexpected. */
	resp(f, PEER_EID, 3, MCTP_MSG_TYPE_PLDM);
	resp(f, PEER_EID, 3, MCTP_MSG_TYPE_PLDM);
	assert_int_equal(f->sink.count, 2);
	f->want.tx_packets = 9;
	f->want.tx_messages = 9;
	f->want.rx_packets = 3;
	f->want.rx_messages = 2;
	f->want.rx_drop_unexpected = 1;
	check_counters(f);
}

static void test_unexpected_responses(void **state)
{
	struct fixture *f = *state;
	int tag;

	/* Nothing outstanding at all. */
	resp(f, PEER_EID, 0, MCTP_MSG_TYPE_PLDM);
	tag = req(f, PEER_EID, MCTP_MSG_TYPE_PLDM);
	assert_in_range(tag, 0, 7);
	/* Right tag, wrong peer. */
	resp(f, 0x0A, (uint8_t)tag, MCTP_MSG_TYPE_PLDM);
	/* Right peer, a tag not outstanding. */
	resp(f, PEER_EID, (uint8_t)((tag + 1) & 7), MCTP_MSG_TYPE_PLDM);
	assert_int_equal(f->sink.count, 0);
	f->want.tx_packets = 1;
	f->want.tx_messages = 1;
	f->want.rx_packets = 3;
	f->want.rx_drop_unexpected = 3;
	check_counters(f);
	/* None of them released the tag: seven more fill the peer. */
	fill_tags(f, PEER_EID, 7);
	assert_int_equal(req(f, PEER_EID, MCTP_MSG_TYPE_PLDM), -EBUSY);
	/* The right one is still delivered. */
	resp(f, PEER_EID, (uint8_t)tag, MCTP_MSG_TYPE_PLDM);
	assert_int_equal(f->sink.count, 1);
	assert_int_equal(f->sink.msgs[0].info.tag, tag);
}

/* A response with our tag but another message type is not the answer to
 * the request: it is dropped and the request stays outstanding. */
static void test_response_of_other_type_keeps_tag(void **state)
{
	struct fixture *f = *state;
	int tag;

	tag = req(f, PEER_EID, MCTP_MSG_TYPE_PLDM);
	assert_in_range(tag, 0, 7);
	resp(f, PEER_EID, (uint8_t)tag, MCTP_MSG_TYPE_SPDM);
	assert_int_equal(f->sink.count, 0);
	assert_int_equal(f->sink5.count, 0);
	f->want.tx_packets = 1;
	f->want.tx_messages = 1;
	f->want.rx_packets = 1;
	f->want.rx_drop_unexpected = 1;
	check_counters(f);
	/* The real answer still ends the request. */
	resp(f, PEER_EID, (uint8_t)tag, MCTP_MSG_TYPE_PLDM);
	assert_int_equal(f->sink.count, 1);
	assert_int_equal(f->sink.msgs[0].info.tag, tag);
	assert_int_equal(mctp_get_counters(&f->dut)->rx_drop_unexpected, 1);
}

static void test_response_releases_only_its_peer(void **state)
{
	struct fixture *f = *state;

	fill_tags(f, PEER_EID, 8);
	fill_tags(f, 0x0A, 8);
	resp(f, 0x0A, 5, MCTP_MSG_TYPE_PLDM);
	assert_int_equal(f->sink.count, 1);
	assert_int_equal(req(f, PEER_EID, MCTP_MSG_TYPE_PLDM), -EBUSY);
	assert_int_equal(req(f, 0x0A, MCTP_MSG_TYPE_PLDM), 5);
}

static void test_null_eid_request(void **state)
{
	struct fixture *f = *state;
	int tag;

	tag = req(f, MCTP_EID_NULL, MCTP_MSG_TYPE_PLDM);
	assert_in_range(tag, 0, 7);
	/* Whoever answers a request sent to the null EID answers it. */
	resp(f, 0x30, (uint8_t)tag, MCTP_MSG_TYPE_PLDM);
	assert_int_equal(f->sink.count, 1);
	assert_int_equal(f->sink.msgs[0].info.src_eid, 0x30);
	assert_int_equal(f->sink.msgs[0].info.tag, tag);
	assert_false(f->sink.msgs[0].info.tag_owner);
	/* And the tag is released by it. */
	resp(f, 0x30, (uint8_t)tag, MCTP_MSG_TYPE_PLDM);
	resp(f, 0x31, (uint8_t)tag, MCTP_MSG_TYPE_PLDM);
	assert_int_equal(f->sink.count, 1);
	assert_int_equal(mctp_get_counters(&f->dut)->rx_drop_unexpected, 2);
}

static void test_null_eid_tags_exhaust(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(fill_tags(f, MCTP_EID_NULL, 8), 0xFF);
	assert_int_equal(req(f, MCTP_EID_NULL, MCTP_MSG_TYPE_PLDM), -EBUSY);
	resp(f, 0x44, 6, MCTP_MSG_TYPE_PLDM);
	assert_int_equal(f->sink.count, 1);
	assert_int_equal(req(f, MCTP_EID_NULL, MCTP_MSG_TYPE_PLDM), 6);
}

/* The clock given at init (struct mctp_config.now_ms) is where a request
 * sent before the first poll starts its timeout. */
static void test_init_time(void **state)
{
	struct fixture *f = *state;
	const uint32_t t0 = 0x80000000u;
	int tag;

	assert_int_equal(mctp_init(&f->dut,
				   &(struct mctp_config){
					   .eid = OUR_EID,
					   .now_ms = t0,
					   .tag_timeout_ms = TAG_TIMEOUT,
				   }),
			 0);
	harness_link_init(&f->link, MCTP_MAX_MTU);
	assert_int_equal(mctp_bus_register(&f->dut, &f->link.binding), 0);
	assert_int_equal(mctp_register_handler(&f->dut, MCTP_MSG_TYPE_PLDM,
					       &harness_sink_ops, &f->sink),
			 0);
	tag = req(f, PEER_EID, MCTP_MSG_TYPE_PLDM);
	assert_in_range(tag, 0, 7);
	mctp_poll(&f->dut, t0 + TAG_TIMEOUT - 1);
	assert_int_equal(f->sink.timeouts, 0);
	mctp_poll(&f->dut, t0 + TAG_TIMEOUT);
	assert_int_equal(f->sink.timeouts, 1);
	assert_int_equal(f->sink.timeout_tag[0], tag);
}

static void test_expiry(void **state)
{
	struct fixture *f = *state;
	int tag;

	mctp_poll(&f->dut, 1000);
	tag = req(f, PEER_EID, MCTP_MSG_TYPE_PLDM);
	mctp_poll(&f->dut, 1000 + TAG_TIMEOUT - 1);
	assert_int_equal(f->sink.timeouts, 0);
	assert_int_equal(mctp_get_counters(&f->dut)->tag_timeouts, 0);
	mctp_poll(&f->dut, 1000 + TAG_TIMEOUT + 1);
	assert_int_equal(f->sink.timeouts, 1);
	assert_int_equal(f->sink.timeout_eid[0], PEER_EID);
	assert_int_equal(f->sink.timeout_tag[0], tag);
	assert_int_equal(f->sink5.timeouts, 0);
	assert_int_equal(mctp_get_counters(&f->dut)->tag_timeouts, 1);
	/* Once only. */
	mctp_poll(&f->dut, 1000 + 5 * TAG_TIMEOUT);
	assert_int_equal(f->sink.timeouts, 1);
	/* A late response is unexpected. */
	resp(f, PEER_EID, (uint8_t)tag, MCTP_MSG_TYPE_PLDM);
	assert_int_equal(f->sink.count, 0);
	assert_int_equal(mctp_get_counters(&f->dut)->rx_drop_unexpected, 1);
	/* All eight are free again. */
	assert_int_equal(fill_tags(f, PEER_EID, 8), 0xFF);
}

static void test_expiry_goes_to_request_type(void **state)
{
	struct fixture *f = *state;
	int tag;

	mctp_poll(&f->dut, 0);
	tag = req(f, 0x0B, MCTP_MSG_TYPE_SPDM);
	mctp_poll(&f->dut, TAG_TIMEOUT + 1);
	assert_int_equal(f->sink.timeouts, 0);
	assert_int_equal(f->sink5.timeouts, 1);
	assert_int_equal(f->sink5.timeout_eid[0], 0x0B);
	assert_int_equal(f->sink5.timeout_tag[0], tag);
}

static void test_expiry_ic_request(void **state)
{
	struct fixture *f = *state;
	static const uint8_t msg[] = {0x85, 0x01};
	int tag;

	/* The IC bit is not part of the type the timeout is routed by. */
	mctp_poll(&f->dut, 0);
	tag = mctp_request_tx(&f->dut, PEER_EID, msg, sizeof(msg));
	assert_in_range(tag, 0, 7);
	mctp_poll(&f->dut, TAG_TIMEOUT + 1);
	assert_int_equal(f->sink5.timeouts, 1);
	assert_int_equal(f->sink5.timeout_tag[0], tag);
}

static void test_each_tag_own_deadline(void **state)
{
	struct fixture *f = *state;
	int a, b;

	mctp_poll(&f->dut, 0);
	a = req(f, PEER_EID, MCTP_MSG_TYPE_PLDM);
	mctp_poll(&f->dut, 50);
	b = req(f, PEER_EID, MCTP_MSG_TYPE_PLDM);
	mctp_poll(&f->dut, TAG_TIMEOUT + 1);
	assert_int_equal(f->sink.timeouts, 1);
	assert_int_equal(f->sink.timeout_tag[0], a);
	mctp_poll(&f->dut, 50 + TAG_TIMEOUT - 1);
	assert_int_equal(f->sink.timeouts, 1);
	mctp_poll(&f->dut, 50 + TAG_TIMEOUT + 1);
	assert_int_equal(f->sink.timeouts, 2);
	assert_int_equal(f->sink.timeout_tag[1], b);
	assert_int_equal(mctp_get_counters(&f->dut)->tag_timeouts, 2);
}

static void test_answered_request_does_not_expire(void **state)
{
	struct fixture *f = *state;
	int tag;

	mctp_poll(&f->dut, 0);
	tag = req(f, PEER_EID, MCTP_MSG_TYPE_PLDM);
	resp(f, PEER_EID, (uint8_t)tag, MCTP_MSG_TYPE_PLDM);
	mctp_poll(&f->dut, 10 * TAG_TIMEOUT);
	assert_int_equal(f->sink.count, 1);
	assert_int_equal(f->sink.timeouts, 0);
	assert_int_equal(mctp_get_counters(&f->dut)->tag_timeouts, 0);
}

static void test_default_timeout(void **state)
{
	struct fixture *f = *state;

	init_dut(f, 0);
	mctp_poll(&f->dut, 0);
	req(f, PEER_EID, MCTP_MSG_TYPE_PLDM);
	mctp_poll(&f->dut, MCTP_DEFAULT_TAG_TIMEOUT_MS - 1);
	assert_int_equal(f->sink.timeouts, 0);
	mctp_poll(&f->dut, MCTP_DEFAULT_TAG_TIMEOUT_MS + 1);
	assert_int_equal(f->sink.timeouts, 1);
}

static void test_clock_wraps(void **state)
{
	struct fixture *f = *state;
	const uint32_t t0 = 0xFFFFFFF0u;
	int tag;

	mctp_poll(&f->dut, t0);
	tag = req(f, PEER_EID, MCTP_MSG_TYPE_PLDM);
	/* The deadline is past the wrap: a plain now >= deadline would fire
	 * at once. */
	mctp_poll(&f->dut, t0);
	mctp_poll(&f->dut, t0 + 0x20);
	mctp_poll(&f->dut, t0 + TAG_TIMEOUT - 1);
	assert_int_equal(f->sink.timeouts, 0);
	mctp_poll(&f->dut, t0 + TAG_TIMEOUT + 1);
	assert_int_equal(f->sink.timeouts, 1);
	assert_int_equal(f->sink.timeout_tag[0], tag);
}

static void test_clock_wraps_before_request(void **state)
{
	struct fixture *f = *state;

	/* A clock that already wrapped (small values after huge ones). */
	mctp_poll(&f->dut, 0xFFFFFF00u);
	mctp_poll(&f->dut, 0x10);
	req(f, PEER_EID, MCTP_MSG_TYPE_PLDM);
	mctp_poll(&f->dut, 0x10 + TAG_TIMEOUT - 1);
	assert_int_equal(f->sink.timeouts, 0);
	mctp_poll(&f->dut, 0x10 + TAG_TIMEOUT + 1);
	assert_int_equal(f->sink.timeouts, 1);
}

static void test_expiry_without_timeout_op(void **state)
{
	struct fixture *f = *state;

	mctp_poll(&f->dut, 0);
	/* A handler without a timeout op, and a type with no handler. */
	req(f, PEER_EID, MCTP_MSG_TYPE_VENDOR_PCI);
	req(f, PEER_EID, 0x02);
	mctp_poll(&f->dut, TAG_TIMEOUT + 1);
	assert_int_equal(mctp_get_counters(&f->dut)->tag_timeouts, 2);
	assert_int_equal(f->sink.timeouts + f->sink5.timeouts, 0);
	assert_int_equal(fill_tags(f, PEER_EID, 8), 0xFF);
}

static void test_tx_error_releases_tag(void **state)
{
	struct fixture *f = *state;
	static const uint8_t msg[] = {0x01, 0x02};

	fill_tags(f, PEER_EID, 7);
	f->link.tx_error = -EIO;
	assert_int_equal(mctp_request_tx(&f->dut, PEER_EID, msg, sizeof(msg)),
			 -EIO);
	assert_int_equal(mctp_request_tx(&f->dut, PEER_EID, msg, sizeof(msg)),
			 -EIO);
	f->link.tx_error = 0;
	assert_in_range(req(f, PEER_EID, MCTP_MSG_TYPE_PLDM), 0, 7);
	assert_int_equal(req(f, PEER_EID, MCTP_MSG_TYPE_PLDM), -EBUSY);
	assert_int_equal(mctp_get_counters(&f->dut)->tx_errors, 2);
	/* No timeout is reported for a request that never left. */
	mctp_poll(&f->dut, 10 * TAG_TIMEOUT);
	assert_int_equal(f->sink.timeouts, 8);
	assert_int_equal(mctp_get_counters(&f->dut)->tag_timeouts, 8);
}

static void test_peer_slots(void **state)
{
	struct fixture *f = *state;
	int tags[2];
	unsigned i;

	for (i = 0; i < MCTP_TAG_PEERS; i++)
		assert_in_range(req(f, (uint8_t)(0x10 + i), 1), 0, 7);
	/* Every slot holds a peer with a request outstanding. */
	assert_int_equal(req(f, 0x60, 1), -EBUSY);
	/* Known peers still get tags. */
	tags[0] = req(f, 0x10, 1);
	assert_in_range(tags[0], 0, 7);
	/* Once the first peer has nothing outstanding its slot is free. */
	resp(f, 0x10, (uint8_t)tags[0], 1);
	assert_int_equal(req(f, 0x60, 1), -EBUSY);
	for (i = 0; i < 8; i++)
		resp(f, 0x10, (uint8_t)i, 1);
	assert_int_equal(f->sink.count, 2);
	tags[1] = req(f, 0x60, 1);
	assert_in_range(tags[1], 0, 7);
	resp(f, 0x60, (uint8_t)tags[1], 1);
	assert_int_equal(f->sink.count, 3);
	assert_int_equal(f->sink.msgs[2].info.src_eid, 0x60);
}

static void test_peer_slot_freed_by_timeout(void **state)
{
	struct fixture *f = *state;
	unsigned i;

	mctp_poll(&f->dut, 0);
	for (i = 0; i < MCTP_TAG_PEERS; i++)
		assert_in_range(req(f, (uint8_t)(0x10 + i), 1), 0, 7);
	assert_int_equal(req(f, 0x60, 1), -EBUSY);
	mctp_poll(&f->dut, TAG_TIMEOUT + 1);
	assert_int_equal(f->sink.timeouts, MCTP_TAG_PEERS);
	assert_in_range(req(f, 0x60, 1), 0, 7);
}

static void test_responses_need_no_tag(void **state)
{
	struct fixture *f = *state;
	static const uint8_t msg[] = {0x01, 0x02};
	const struct mctp_msg_info info = {
		.src_eid = PEER_EID,
		.dest_eid = OUR_EID,
		.tag = 4,
		.tag_owner = true,
		.type = 1,
	};
	unsigned i;

	for (i = 0; i < 20; i++)
		assert_int_equal(
			mctp_response_tx(&f->dut, &info, msg, sizeof(msg)), 0);
	assert_int_equal(f->link.count, 20);
	assert_int_equal(f->link.queue[19].data[3] & 0xCF, 0xC4);
	/* And they do not use up request tags either. */
	assert_int_equal(fill_tags(f, PEER_EID, 8), 0xFF);
}

static void test_exchange_releases(void **state)
{
	struct fixture *f = *state;
	uint8_t msg[40];
	unsigned i;

	/* Request/response between two stacks, many more than 8 times. */
	assert_int_equal(mctp_init(&f->other,
				   &(struct mctp_config){
					   .eid = PEER_EID,
				   }),
			 0);
	harness_link_init(&f->other_link, MCTP_MAX_MTU);
	assert_int_equal(mctp_bus_register(&f->other, &f->other_link.binding),
			 0);
	assert_int_equal(mctp_register_handler(&f->other, MCTP_MSG_TYPE_PLDM,
					       &harness_sink_ops,
					       &f->other_sink),
			 0);
	f->other_sink.echo = true;
	for (i = 0; i < 3 * MCTP_TAGS_PER_PEER; i++) {
		memset(msg, (int)i, sizeof(msg));
		msg[0] = MCTP_MSG_TYPE_PLDM;
		assert_in_range(mctp_request_tx(&f->dut, PEER_EID, msg,
						sizeof(msg)),
				0, 7);
		harness_link_deliver_all(&f->link, &f->other_link.binding);
		assert_int_equal(f->other_sink.echo_result, 0);
		harness_link_deliver_all(&f->other_link, &f->link.binding);
		assert_int_equal(f->sink.last_len, sizeof(msg));
		assert_memory_equal(f->sink.last, msg, sizeof(msg));
	}
	assert_int_equal(f->sink.count, 3 * MCTP_TAGS_PER_PEER);
	assert_int_equal(mctp_get_counters(&f->dut)->rx_drop_unexpected, 0);
}

/* mctp_next_deadline(): nothing timed, then the earliest of the tag
 * expiries and the reassembly timeouts, and nothing again once they are
 * over. */
static void test_next_deadline(void **state)
{
	struct fixture *f = *state;
	/* a first packet must carry a whole baseline MTU */
	uint8_t pkt[4 + MCTP_BASELINE_MTU] = {0};
	uint32_t dl = 0x5A5A5A5Au;

	assert_int_equal(mctp_next_deadline(NULL, &dl), -EINVAL);
	assert_int_equal(mctp_next_deadline(&f->dut, NULL), -EINVAL);
	mctp_poll(&f->dut, 0xFFFFFF00u);
	assert_int_equal(mctp_next_deadline(&f->dut, &dl), 0);
	assert_int_equal(dl, 0x5A5A5A5Au); /* untouched */

	/* A request at 0xFFFFFF00 expires at 0xFFFFFF00 + TAG_TIMEOUT, past
	 * the wrap. */
	assert_in_range(req(f, PEER_EID, MCTP_MSG_TYPE_PLDM), 0, 7);
	assert_int_equal(mctp_next_deadline(&f->dut, &dl), 1);
	assert_int_equal(dl, 0xFFFFFF00u + TAG_TIMEOUT);

	/* A later request does not move it; a reassembly started later
	 * (first packet of a request from the peer, no EOM) ends at
	 * start + the reassembly timeout, which is later still. */
	mctp_poll(&f->dut, 0xFFFFFF00u + 10);
	assert_in_range(req(f, PEER_EID, MCTP_MSG_TYPE_SPDM), 0, 7);
	harness_make_hdr(pkt, OUR_EID, PEER_EID, true, false, 0, true, 1);
	pkt[4] = MCTP_MSG_TYPE_PLDM;
	mctp_bus_rx(&f->link.binding, pkt, sizeof(pkt));
	assert_int_equal(mctp_next_deadline(&f->dut, &dl), 1);
	assert_int_equal(dl, 0xFFFFFF00u + TAG_TIMEOUT);

	/* The first tag expires: the second one is next. */
	mctp_poll(&f->dut, 0xFFFFFF00u + TAG_TIMEOUT);
	assert_int_equal(mctp_next_deadline(&f->dut, &dl), 1);
	assert_int_equal(dl, 0xFFFFFF00u + 10 + TAG_TIMEOUT);

	/* Both tags gone: the reassembly is what is left, then nothing. */
	mctp_poll(&f->dut, 0xFFFFFF00u + 10 + TAG_TIMEOUT);
	assert_int_equal(mctp_next_deadline(&f->dut, &dl), 1);
	assert_int_equal(dl,
			 0xFFFFFF00u + 10 + MCTP_DEFAULT_REASSEMBLY_TIMEOUT_MS);
	mctp_poll(&f->dut, dl);
	assert_int_equal(mctp_next_deadline(&f->dut, &dl), 0);
}

#define T(fn) cmocka_unit_test_setup(fn, setup)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_eight_tags_per_peer),
		T(test_response_releases_tag),
		T(test_unexpected_responses),
		T(test_response_of_other_type_keeps_tag),
		T(test_response_releases_only_its_peer),
		T(test_null_eid_request),
		T(test_null_eid_tags_exhaust),
		T(test_init_time),
		T(test_expiry),
		T(test_next_deadline),
		T(test_expiry_goes_to_request_type),
		T(test_expiry_ic_request),
		T(test_each_tag_own_deadline),
		T(test_answered_request_does_not_expire),
		T(test_default_timeout),
		T(test_clock_wraps),
		T(test_clock_wraps_before_request),
		T(test_expiry_without_timeout_op),
		T(test_tx_error_releases_tag),
		T(test_peer_slots),
		T(test_peer_slot_freed_by_timeout),
		T(test_responses_need_no_tag),
		T(test_exchange_releases),
	};

	return cmocka_run_group_tests_name("mctp-tags", tests, NULL, NULL);
}
