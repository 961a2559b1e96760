/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libmctp core, single packets: the transport header (DSP0236, MCTP packet
 * fields) as sent and as received, every per-packet drop reason, and the
 * argument checks of the set-up functions.
 *
 * Golden bytes are worked out by hand from the field layout:
 *   byte 0: reserved (7:4), header version (3:0) = 0x01
 *   byte 1: destination EID, byte 2: source EID
 *   byte 3: SOM(7) EOM(6) pkt_seq(5:4) TO(3) msg_tag(2:0)
 * e.g. SOM|EOM|TO with tag 3 = 0x80|0x40|0x08|0x03 = 0xCB.
 *
 * The sequence number of a message's first packet may be any value
 * (DSP0236: only the packets after it must count up from it, mod 4), so the
 * transmit goldens take it from the first packet.
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

struct fixture {
	struct mctp mctp;
	struct harness_link link;
	struct harness_sink sink;  /* type 1 (PLDM) */
	struct harness_sink sink5; /* type 5 (SPDM) */
	struct mctp_counters want;
};

static struct fixture fixture_storage;

static int setup(void **state)
{
	struct fixture *f = &fixture_storage;

	memset(f, 0, sizeof(*f));
	assert_int_equal(mctp_init(&f->mctp,
				   &(struct mctp_config){
					   .eid = OUR_EID,
				   }),
			 0);
	harness_link_init(&f->link, MCTP_MAX_MTU);
	assert_int_equal(mctp_bus_register(&f->mctp, &f->link.binding), 0);
	assert_int_equal(mctp_register_handler(&f->mctp, MCTP_MSG_TYPE_PLDM,
					       &harness_sink_ops, &f->sink),
			 0);
	assert_int_equal(mctp_register_handler(&f->mctp, MCTP_MSG_TYPE_SPDM,
					       &harness_sink_ops, &f->sink5),
			 0);
	f->want = *mctp_get_counters(&f->mctp);
	*state = f;
	return 0;
}

static void rx(struct fixture *f, const uint8_t *pkt, size_t len)
{
	mctp_bus_rx(&f->link.binding, pkt, len);
}

static void check_counters(struct fixture *f)
{
	assert_int_equal(harness_counters_check(mctp_get_counters(&f->mctp),
						&f->want),
			 0);
}

/* One packet that must be dropped, and must count in @field only. */
#define EXPECT_DROP(f, pkt, len, field)                                        \
	do {                                                                   \
		rx((f), (pkt), (len));                                         \
		(f)->want.rx_packets++;                                        \
		(f)->want.field++;                                             \
		check_counters(f);                                             \
		assert_int_equal((f)->sink.count + (f)->sink5.count, 0);       \
	} while (0)

/* ---- set-up functions and their argument checks ---- */

static void test_init_defaults(void **state)
{
	static struct mctp m;
	static const struct mctp_counters zero;

	(void)state;
	memset(&m, 0xA5, sizeof(m));
	assert_int_equal(mctp_init(&m, NULL), 0);
	assert_int_equal(mctp_get_eid(&m), MCTP_EID_NULL);
	assert_int_equal(harness_counters_check(mctp_get_counters(&m), &zero),
			 0);
	assert_int_equal(mctp_get_types(&m, NULL, 0), 0);
}

static void test_init_errors(void **state)
{
	static struct mctp m;
	unsigned eid;

	(void)state;
	assert_int_equal(mctp_init(NULL, NULL), -EINVAL);
	assert_int_equal(mctp_init(&m, &(struct mctp_config){.eid = 0xFF}),
			 -EINVAL);
	for (eid = 1; eid < MCTP_EID_FIRST_VALID; eid++)
		assert_int_equal(
			mctp_init(&m,
				  &(struct mctp_config){.eid = (uint8_t)eid}),
			-EINVAL);
	assert_int_equal(mctp_init(&m, &(struct mctp_config){.eid = 0x08}), 0);
	assert_int_equal(mctp_get_eid(&m), 0x08);
	assert_int_equal(mctp_init(&m, &(struct mctp_config){.eid = 0xFE}), 0);
	assert_int_equal(mctp_get_eid(&m), 0xFE);
}

static void test_set_eid(void **state)
{
	struct fixture *f = *state;
	unsigned eid;

	assert_int_equal(mctp_set_eid(&f->mctp, MCTP_EID_BROADCAST), -EINVAL);
	assert_int_equal(mctp_get_eid(&f->mctp), OUR_EID);
	for (eid = 1; eid < MCTP_EID_FIRST_VALID; eid++) {
		assert_int_equal(mctp_set_eid(&f->mctp, (uint8_t)eid), -EINVAL);
		assert_int_equal(mctp_get_eid(&f->mctp), OUR_EID);
	}
	assert_int_equal(mctp_set_eid(&f->mctp, 0x42), 0);
	assert_int_equal(mctp_get_eid(&f->mctp), 0x42);
	assert_int_equal(mctp_set_eid(&f->mctp, MCTP_EID_NULL), 0);
	assert_int_equal(mctp_get_eid(&f->mctp), MCTP_EID_NULL);
}

static void test_register_handler_errors(void **state)
{
	static const struct mctp_handler_ops no_rx = {.rx = NULL};
	static struct mctp m;
	static struct harness_sink s;
	uint8_t types[MCTP_MAX_HANDLERS + 1];
	unsigned i;

	(void)state;
	assert_int_equal(mctp_init(&m, NULL), 0);
	assert_int_equal(mctp_register_handler(&m, 0x80, &harness_sink_ops, &s),
			 -EINVAL);
	assert_int_equal(mctp_register_handler(&m, 0xFF, &harness_sink_ops, &s),
			 -EINVAL);
	assert_int_equal(mctp_register_handler(&m, 1, NULL, &s), -EINVAL);
	assert_int_equal(mctp_register_handler(&m, 1, &no_rx, &s), -EINVAL);
	assert_int_equal(mctp_get_types(&m, types, sizeof(types)), 0);

	/* Fill the table in descending order: get_types must sort. */
	for (i = 0; i < MCTP_MAX_HANDLERS; i++)
		assert_int_equal(mctp_register_handler(&m,
						       (uint8_t)(0x7F - 2 * i),
						       &harness_sink_ops, &s),
				 0);
	assert_int_equal(mctp_register_handler(&m, 0x00, &harness_sink_ops, &s),
			 -ENOSPC);
	/* Replacing a registered type needs no new entry. */
	assert_int_equal(mctp_register_handler(&m, 0x7F, &harness_sink_ops, &s),
			 0);

	memset(types, 0xEE, sizeof(types));
	assert_int_equal(mctp_get_types(&m, types, sizeof(types)),
			 MCTP_MAX_HANDLERS);
	for (i = 0; i < MCTP_MAX_HANDLERS; i++)
		assert_int_equal(types[i],
				 0x7F - 2 * (MCTP_MAX_HANDLERS - 1 - i));
	assert_int_equal(types[MCTP_MAX_HANDLERS], 0xEE);

	/* A short buffer gets the first entries and the full count. */
	memset(types, 0xEE, sizeof(types));
	assert_int_equal(mctp_get_types(&m, types, 1), MCTP_MAX_HANDLERS);
	assert_int_equal(types[0], 0x7F - 2 * (MCTP_MAX_HANDLERS - 1));
	assert_int_equal(types[1], 0xEE);
}

static void test_handler_replace(void **state)
{
	struct fixture *f = *state;
	static struct harness_sink other;
	static const uint8_t pkt[] = {0x01, OUR_EID, PEER_EID, 0xC8, 0x01};

	harness_sink_reset(&other);
	assert_int_equal(mctp_register_handler(&f->mctp, MCTP_MSG_TYPE_PLDM,
					       &harness_sink_ops, &other),
			 0);
	rx(f, pkt, sizeof(pkt));
	assert_int_equal(other.count, 1);
	assert_int_equal(f->sink.count, 0);
}

static void test_bus_register_errors(void **state)
{
	static struct mctp m;
	static struct harness_link links[MCTP_MAX_BUSES + 1];
	static struct harness_link bad;
	unsigned i;

	(void)state;
	assert_int_equal(mctp_init(&m, NULL), 0);

	harness_link_init(&bad, 64);
	bad.binding.ops = NULL;
	assert_int_equal(mctp_bus_register(&m, &bad.binding), -EINVAL);
	harness_link_init(&bad, 64);
	bad.binding.tx_pkt = NULL;
	assert_int_equal(mctp_bus_register(&m, &bad.binding), -EINVAL);
	harness_link_init(&bad, 64);
	bad.binding.max_mtu = 0;
	assert_int_equal(mctp_bus_register(&m, &bad.binding), -EINVAL);

	for (i = 0; i < MCTP_MAX_BUSES; i++) {
		harness_link_init(&links[i], 64);
		assert_int_equal(mctp_bus_register(&m, &links[i].binding),
				 (int)i);
		assert_ptr_equal(links[i].binding.mctp, &m);
		assert_int_equal(links[i].binding.bus, i);
	}
	harness_link_init(&links[MCTP_MAX_BUSES], 64);
	assert_int_equal(mctp_bus_register(&m, &links[MCTP_MAX_BUSES].binding),
			 -ENOSPC);
}

static void test_binding_set_mtu(void **state)
{
	struct fixture *f = *state;
	struct mctp_binding *b = &f->link.binding;

	assert_int_equal(b->mtu, MCTP_BASELINE_MTU);
	assert_int_equal(mctp_binding_set_mtu(b, 63), -EINVAL);
	assert_int_equal(mctp_binding_set_mtu(b, 0), -EINVAL);
	assert_int_equal(mctp_binding_set_mtu(b, (uint16_t)(MCTP_MAX_MTU + 1)),
			 -EINVAL);
	assert_int_equal(b->mtu, MCTP_BASELINE_MTU);
	assert_int_equal(mctp_binding_set_mtu(b, (uint16_t)MCTP_MAX_MTU), 0);
	assert_int_equal(b->mtu, MCTP_MAX_MTU);
	assert_int_equal(mctp_binding_set_mtu(b, 64), 0);
	assert_int_equal(b->mtu, 64);
}

/* ---- transmit: header golden bytes ---- */

/* The sequence number field of a sent packet, in place (bits 5:4). */
static uint8_t seq_bits(const struct harness_pkt *p)
{
	return (uint8_t)(p->data[3] & 0x30);
}

static void test_tx_request_golden(void **state)
{
	struct fixture *f = *state;
	static const uint8_t msg[] = {0x01, 0xAA, 0xBB};
	int tag;

	tag = mctp_request_tx(&f->mctp, PEER_EID, msg, sizeof(msg));
	assert_in_range(tag, 0, 7);
	assert_int_equal(f->link.count, 1);
	{
		/* SOM|EOM|TO = 0xC8, plus the tag. */
		const uint8_t want[] = {
			0x01,
			PEER_EID,
			OUR_EID,
			(uint8_t)(0xC8 | seq_bits(&f->link.queue[0]) | tag),
			0x01,
			0xAA,
			0xBB};

		assert_int_equal(f->link.queue[0].len, sizeof(want));
		assert_memory_equal(f->link.queue[0].data, want, sizeof(want));
	}
	f->want.tx_packets = 1;
	f->want.tx_messages = 1;
	check_counters(f);
}

static void test_tx_response_golden(void **state)
{
	struct fixture *f = *state;
	static const uint8_t msg[] = {0x05, 0x10, 0x84};
	static const uint8_t want[] = {0x01, 0x21, OUR_EID, 0xC5,
				       0x05, 0x10, 0x84};
	const struct mctp_msg_info req = {
		.src_eid = 0x21,
		.dest_eid = OUR_EID,
		.tag = 5,
		.tag_owner = true,
		.type = MCTP_MSG_TYPE_SPDM,
		.bus = 0,
	};

	/* Tag owner clear, tag 5: SOM|EOM|5 = 0xC5. */
	assert_int_equal(mctp_response_tx(&f->mctp, &req, msg, sizeof(msg)), 0);
	assert_int_equal(f->link.count, 1);
	assert_int_equal(f->link.queue[0].len, sizeof(want));
	f->link.queue[0].data[3] &= (uint8_t)~0x30; /* any first seq */
	assert_memory_equal(f->link.queue[0].data, want, sizeof(want));
}

static void test_tx_unassigned_source(void **state)
{
	struct fixture *f = *state;
	static const uint8_t msg[] = {0x01};
	int tag;

	/* Before a bus owner assigns an EID we send with the null EID. */
	assert_int_equal(mctp_set_eid(&f->mctp, MCTP_EID_NULL), 0);
	tag = mctp_request_tx(&f->mctp, PEER_EID, msg, sizeof(msg));
	assert_in_range(tag, 0, 7);
	assert_int_equal(f->link.count, 1);
	assert_int_equal(f->link.queue[0].len, 5);
	assert_int_equal(f->link.queue[0].data[0], 0x01);
	assert_int_equal(f->link.queue[0].data[1], PEER_EID);
	assert_int_equal(f->link.queue[0].data[2], 0x00);
	assert_int_equal(f->link.queue[0].data[3],
			 0xC8 | seq_bits(&f->link.queue[0]) | tag);
	assert_int_equal(f->link.queue[0].data[4], 0x01);
}

static void test_tx_two_packets_golden(void **state)
{
	struct fixture *f = *state;
	uint8_t msg[100];
	size_t i;
	int tag;
	uint8_t s0;

	for (i = 0; i < sizeof(msg); i++)
		msg[i] = (uint8_t)(i + 1);
	msg[0] = MCTP_MSG_TYPE_PLDM;
	tag = mctp_request_tx(&f->mctp, PEER_EID, msg, sizeof(msg));
	assert_in_range(tag, 0, 7);
	assert_int_equal(f->link.count, 2);
	/* First: SOM, seq s0, TO: 0x80|0x08. 64 payload bytes at MTU 64. */
	assert_int_equal(f->link.queue[0].len, 4 + 64);
	assert_int_equal(f->link.queue[0].data[0], 0x01);
	assert_int_equal(f->link.queue[0].data[1], PEER_EID);
	assert_int_equal(f->link.queue[0].data[2], OUR_EID);
	s0 = seq_bits(&f->link.queue[0]);
	assert_int_equal(f->link.queue[0].data[3], 0x88 | s0 | tag);
	assert_memory_equal(&f->link.queue[0].data[4], msg, 64);
	/* Last: EOM, seq s0 + 1, TO: 0x40|0x08 = 0x48; 36 bytes left. */
	assert_int_equal(f->link.queue[1].len, 4 + 36);
	assert_int_equal(f->link.queue[1].data[0], 0x01);
	assert_int_equal(f->link.queue[1].data[1], PEER_EID);
	assert_int_equal(f->link.queue[1].data[2], OUR_EID);
	assert_int_equal(f->link.queue[1].data[3],
			 0x48 | ((s0 + 0x10) & 0x30) | tag);
	assert_memory_equal(&f->link.queue[1].data[4], msg + 64, 36);
	f->want.tx_packets = 2;
	f->want.tx_messages = 1;
	check_counters(f);
}

static void test_tx_seq_wraps(void **state)
{
	struct fixture *f = *state;
	/* 5 packets at MTU 64: SOM|TO, TO, TO, TO, EOM|TO; the sequence
	 * counts s0, s0+1, s0+2, s0+3, s0 (mod 4). */
	static const uint8_t flags[5] = {0x88, 0x08, 0x08, 0x08, 0x48};
	uint8_t msg[4 * 64 + 1];
	size_t i;
	int tag;

	memset(msg, 0x5A, sizeof(msg));
	msg[0] = MCTP_MSG_TYPE_PLDM;
	tag = mctp_request_tx(&f->mctp, PEER_EID, msg, sizeof(msg));
	assert_in_range(tag, 0, 7);
	assert_int_equal(f->link.count, 5);
	for (i = 0; i < 5; i++) {
		assert_int_equal(
			f->link.queue[i].data[3],
			flags[i] | tag |
				((seq_bits(&f->link.queue[0]) + 0x10 * i) &
				 0x30));
		assert_int_equal(f->link.queue[i].len, i < 4 ? 4 + 64 : 4 + 1);
	}
}

static void test_tx_ic_bit_kept(void **state)
{
	struct fixture *f = *state;
	static const uint8_t msg[] = {0x81, 0x00, 0x11, 0x22, 0x33};

	assert_in_range(mctp_request_tx(&f->mctp, PEER_EID, msg, sizeof(msg)),
			0, 7);
	assert_int_equal(f->link.count, 1);
	assert_memory_equal(&f->link.queue[0].data[4], msg, sizeof(msg));
}

static void test_tx_argument_errors(void **state)
{
	struct fixture *f = *state;
	static uint8_t big[MCTP_MAX_MESSAGE_SIZE + 1];
	static const uint8_t msg[] = {0x01, 0x02};
	struct mctp_msg_info resp = {
		.src_eid = PEER_EID,
		.dest_eid = OUR_EID,
		.tag = 1,
		.tag_owner = false,
		.type = 1,
	};

	big[0] = MCTP_MSG_TYPE_PLDM;
	assert_int_equal(mctp_request_tx(&f->mctp, PEER_EID, msg, 0), -EINVAL);
	assert_int_equal(mctp_request_tx(&f->mctp, PEER_EID, big, sizeof(big)),
			 -EINVAL);
	/* Answering something that was not a request. */
	assert_int_equal(mctp_response_tx(&f->mctp, &resp, msg, sizeof(msg)),
			 -EINVAL);
	resp.tag_owner = true;
	assert_int_equal(mctp_response_tx(&f->mctp, &resp, msg, 0), -EINVAL);
	assert_int_equal(mctp_response_tx(&f->mctp, &resp, big, sizeof(big)),
			 -EINVAL);
	assert_int_equal(f->link.count, 0);
	assert_int_equal(f->link.tx_calls, 0);
	check_counters(f);

	/* The largest message is accepted. */
	assert_int_equal(mctp_response_tx(&f->mctp, &resp, big,
					  MCTP_MAX_MESSAGE_SIZE),
			 0);
}

static void test_tx_reserved_dest(void **state)
{
	struct fixture *f = *state;
	static const uint8_t msg[] = {0x01, 0x02};
	unsigned eid;

	/* DSP0236 special EIDs: EIDs 1..7 are reserved, never an endpoint; the
	 * header calls them "bad EID" for mctp_request_tx(). */
	for (eid = 1; eid < MCTP_EID_FIRST_VALID; eid++)
		assert_int_equal(mctp_request_tx(&f->mctp, (uint8_t)eid, msg,
						 sizeof(msg)),
				 -EINVAL);
	assert_int_equal(f->link.tx_calls, 0);
}

static void test_tx_binding_error(void **state)
{
	struct fixture *f = *state;
	static const uint8_t msg[] = {0x01, 0x02};
	const struct mctp_msg_info req = {
		.src_eid = PEER_EID,
		.dest_eid = OUR_EID,
		.tag = 2,
		.tag_owner = true,
		.type = 1,
	};

	f->link.tx_error = -EIO;
	assert_int_equal(mctp_request_tx(&f->mctp, PEER_EID, msg, sizeof(msg)),
			 -EIO);
	assert_int_equal(mctp_response_tx(&f->mctp, &req, msg, sizeof(msg)),
			 -EIO);
	f->want.tx_errors = 2;
	check_counters(f);
}

/* ---- receive: header decode ---- */

static void test_rx_decode_request(void **state)
{
	struct fixture *f = *state;
	/* SOM|EOM|TO, tag 3: 0xCB. */
	static const uint8_t pkt[] = {0x01, OUR_EID, PEER_EID, 0xCB,
				      0x01, 0xDE,    0xAD};

	rx(f, pkt, sizeof(pkt));
	assert_int_equal(f->sink.count, 1);
	assert_int_equal(f->sink.msgs[0].info.src_eid, PEER_EID);
	assert_int_equal(f->sink.msgs[0].info.dest_eid, OUR_EID);
	assert_int_equal(f->sink.msgs[0].info.tag, 3);
	assert_true(f->sink.msgs[0].info.tag_owner);
	assert_int_equal(f->sink.msgs[0].info.type, MCTP_MSG_TYPE_PLDM);
	assert_false(f->sink.msgs[0].info.ic);
	assert_int_equal(f->sink.msgs[0].info.bus, 0);
	assert_int_equal(f->sink.msgs[0].len, 3);
	assert_memory_equal(f->sink.msgs[0].head, pkt + 4, 3);
	f->want.rx_packets = 1;
	f->want.rx_messages = 1;
	check_counters(f);
}

static void test_rx_type_only_message(void **state)
{
	struct fixture *f = *state;
	/* Header plus one byte is the shortest valid packet. Tag 7. */
	static const uint8_t pkt[] = {0x01, OUR_EID, 0x33, 0xCF, 0x05};

	rx(f, pkt, sizeof(pkt));
	assert_int_equal(f->sink5.count, 1);
	assert_int_equal(f->sink5.msgs[0].len, 1);
	assert_int_equal(f->sink5.msgs[0].head[0], 0x05);
	assert_int_equal(f->sink5.msgs[0].info.tag, 7);
	assert_int_equal(f->sink5.msgs[0].info.src_eid, 0x33);
	assert_int_equal(f->sink.count, 0);
}

static void test_rx_reserved_bits_ignored(void **state)
{
	struct fixture *f = *state;
	/* DSP0236: reserved fields are ignored by the receiver; the header
	 * version is bits 3:0 only. */
	static const uint8_t pkt[] = {0xF1, OUR_EID, PEER_EID, 0xC8, 0x01};

	rx(f, pkt, sizeof(pkt));
	assert_int_equal(f->sink.count, 1);
}

static void test_rx_dest_null_and_broadcast(void **state)
{
	struct fixture *f = *state;
	static const uint8_t to_null[] = {0x01, 0x00, PEER_EID, 0xC9, 0x01};
	static const uint8_t to_bcast[] = {0x01, 0xFF, PEER_EID, 0xCA, 0x01};

	rx(f, to_null, sizeof(to_null));
	rx(f, to_bcast, sizeof(to_bcast));
	assert_int_equal(f->sink.count, 2);
	assert_int_equal(f->sink.msgs[0].info.dest_eid, 0x00);
	assert_int_equal(f->sink.msgs[0].info.tag, 1);
	assert_int_equal(f->sink.msgs[1].info.dest_eid, 0xFF);
	assert_int_equal(f->sink.msgs[1].info.tag, 2);
}

static void test_rx_src_null_accepted(void **state)
{
	struct fixture *f = *state;
	/* An endpoint without an EID yet talks with the null source EID. */
	static const uint8_t pkt[] = {0x01, OUR_EID, 0x00, 0xC8, 0x01};

	rx(f, pkt, sizeof(pkt));
	assert_int_equal(f->sink.count, 1);
	assert_int_equal(f->sink.msgs[0].info.src_eid, 0x00);
}

static void test_rx_unassigned_eid(void **state)
{
	struct fixture *f = *state;
	static const uint8_t to_8[] = {0x01, 0x08, 0x20, 0xC8, 0x01};
	static const uint8_t to_null[] = {0x01, 0x00, 0x20, 0xC8, 0x01};

	assert_int_equal(mctp_set_eid(&f->mctp, MCTP_EID_NULL), 0);
	EXPECT_DROP(f, to_8, sizeof(to_8), rx_drop_not_ours);
	rx(f, to_null, sizeof(to_null));
	assert_int_equal(f->sink.count, 1);
}

static void test_rx_ic_passthrough(void **state)
{
	struct fixture *f = *state;
	static const uint8_t pkt[] = {0x01, OUR_EID, PEER_EID,
				      0xC8, 0x81,    0x42};

	rx(f, pkt, sizeof(pkt));
	assert_int_equal(f->sink.count, 1);
	assert_int_equal(f->sink.msgs[0].info.type, MCTP_MSG_TYPE_PLDM);
	assert_true(f->sink.msgs[0].info.ic);
	assert_int_equal(f->sink.msgs[0].head[0], 0x81);
	assert_int_equal(f->sink.msgs[0].head[1], 0x42);
}

static void test_rx_dispatch_by_type(void **state)
{
	struct fixture *f = *state;
	static const uint8_t pldm[] = {0x01, OUR_EID, PEER_EID, 0xC8, 0x01};
	static const uint8_t spdm[] = {0x01, OUR_EID, PEER_EID, 0xC9, 0x85};

	rx(f, spdm, sizeof(spdm));
	rx(f, pldm, sizeof(pldm));
	assert_int_equal(f->sink5.count, 1);
	assert_true(f->sink5.msgs[0].info.ic);
	assert_int_equal(f->sink5.msgs[0].info.type, 5);
	assert_int_equal(f->sink.count, 1);
	assert_false(f->sink.msgs[0].info.ic);
}

/* ---- receive: one test per drop reason ---- */

static void test_drop_version(void **state)
{
	struct fixture *f = *state;
	uint8_t pkt[] = {0x00, OUR_EID, PEER_EID, 0xC8, 0x01};

	EXPECT_DROP(f, pkt, sizeof(pkt), rx_drop_version);
	pkt[0] = 0x02;
	EXPECT_DROP(f, pkt, sizeof(pkt), rx_drop_version);
	pkt[0] = 0x0F;
	EXPECT_DROP(f, pkt, sizeof(pkt), rx_drop_version);
	pkt[0] = 0x10; /* reserved bit set, version 0 */
	EXPECT_DROP(f, pkt, sizeof(pkt), rx_drop_version);
}

static void test_drop_short(void **state)
{
	struct fixture *f = *state;
	static const uint8_t pkt[] = {0x01, OUR_EID, PEER_EID, 0xC8, 0x01};

	EXPECT_DROP(f, pkt, 4, rx_drop_short);
	EXPECT_DROP(f, pkt, 3, rx_drop_short);
	EXPECT_DROP(f, pkt, 1, rx_drop_short);
	EXPECT_DROP(f, pkt, 0, rx_drop_short);
}

static void test_drop_src_broadcast(void **state)
{
	struct fixture *f = *state;
	static const uint8_t pkt[] = {0x01, OUR_EID, 0xFF, 0xC8, 0x01};

	EXPECT_DROP(f, pkt, sizeof(pkt), rx_drop_src_eid);
}

static void test_drop_not_ours(void **state)
{
	struct fixture *f = *state;
	static const uint8_t pkt[] = {0x01, 0x20, PEER_EID, 0xC8, 0x01};
	static const uint8_t next[] = {0x01, OUR_EID + 1, PEER_EID, 0xC8, 0x01};

	EXPECT_DROP(f, pkt, sizeof(pkt), rx_drop_not_ours);
	EXPECT_DROP(f, next, sizeof(next), rx_drop_not_ours);
}

static void test_drop_no_som(void **state)
{
	struct fixture *f = *state;
	/* EOM only, seq 1: 0x40|0x10|0x08 = 0x58. Middle, seq 2: 0x28. */
	static const uint8_t eom[] = {0x01, OUR_EID, PEER_EID, 0x58, 0x01};
	static const uint8_t mid[] = {0x01, OUR_EID, PEER_EID, 0x28, 0x01};

	EXPECT_DROP(f, eom, sizeof(eom), rx_drop_no_som);
	EXPECT_DROP(f, mid, sizeof(mid), rx_drop_no_som);
}

static void test_drop_no_handler(void **state)
{
	struct fixture *f = *state;
	static const uint8_t pkt[] = {0x01, OUR_EID, PEER_EID, 0xC8, 0x7E};
	/* The IC bit must not turn type 0x7E into something else. */
	static const uint8_t ic[] = {0x01, OUR_EID, PEER_EID, 0xC8, 0xFE};

	EXPECT_DROP(f, pkt, sizeof(pkt), rx_drop_no_handler);
	EXPECT_DROP(f, ic, sizeof(ic), rx_drop_no_handler);
}

static void test_drop_unexpected_response(void **state)
{
	struct fixture *f = *state;
	/* Tag owner clear, tag 0: SOM|EOM = 0xC0. No request was sent. */
	static const uint8_t pkt[] = {0x01, OUR_EID, PEER_EID, 0xC0, 0x01};

	EXPECT_DROP(f, pkt, sizeof(pkt), rx_drop_unexpected);
}

static void test_good_after_drops(void **state)
{
	struct fixture *f = *state;
	static const uint8_t bad_ver[] = {0x02, OUR_EID, PEER_EID, 0xC8, 0x01};
	static const uint8_t bad_src[] = {0x01, OUR_EID, 0xFF, 0xC8, 0x01};
	static const uint8_t good[] = {0x01, OUR_EID, PEER_EID,
				       0xC8, 0x01,    0x77};

	rx(f, bad_ver, sizeof(bad_ver));
	rx(f, bad_src, 3);
	rx(f, bad_src, sizeof(bad_src));
	rx(f, good, sizeof(good));
	assert_int_equal(f->sink.count, 1);
	assert_int_equal(f->sink.msgs[0].len, 2);
	assert_int_equal(f->sink.msgs[0].head[1], 0x77);
	f->want.rx_packets = 4;
	f->want.rx_messages = 1;
	f->want.rx_drop_version = 1;
	f->want.rx_drop_short = 1;
	f->want.rx_drop_src_eid = 1;
	check_counters(f);
}

#define T(fn) cmocka_unit_test_setup(fn, setup)

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_init_defaults),
		cmocka_unit_test(test_init_errors),
		T(test_set_eid),
		cmocka_unit_test(test_register_handler_errors),
		T(test_handler_replace),
		cmocka_unit_test(test_bus_register_errors),
		T(test_binding_set_mtu),
		T(test_tx_request_golden),
		T(test_tx_response_golden),
		T(test_tx_unassigned_source),
		T(test_tx_two_packets_golden),
		T(test_tx_seq_wraps),
		T(test_tx_ic_bit_kept),
		T(test_tx_argument_errors),
		T(test_tx_reserved_dest),
		T(test_tx_binding_error),
		T(test_rx_decode_request),
		T(test_rx_type_only_message),
		T(test_rx_reserved_bits_ignored),
		T(test_rx_dest_null_and_broadcast),
		T(test_rx_src_null_accepted),
		T(test_rx_unassigned_eid),
		T(test_rx_ic_passthrough),
		T(test_rx_dispatch_by_type),
		T(test_drop_version),
		T(test_drop_short),
		T(test_drop_src_broadcast),
		T(test_drop_not_ours),
		T(test_drop_no_som),
		T(test_drop_no_handler),
		T(test_drop_unexpected_response),
		T(test_good_after_drops),
	};

	return cmocka_run_group_tests_name("mctp-packet", tests, NULL, NULL);
}
