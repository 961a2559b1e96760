/* SPDX-License-Identifier: Apache-2.0 */
/*
 * SMBus/I2C binding (DSP0237): framing, PEC, receive checks and their
 * counters, the EID-to-address table, fragmentation at the binding MTU.
 *
 * Golden frames are written out from the DSP0237 frame layout by hand; their
 * PECs come from this independent bitwise CRC-8 (python3), not from the
 * library:
 *
 *   python3 -c "
 *   def pec(d):
 *     c = 0
 *     for b in d:
 *       c ^= b
 *       for _ in range(8): c = (c << 1 ^ 7 if c & 128 else c << 1) & 255
 *     return c
 *   print(hex(pec(bytes.fromhex('400f0621010908c37e'))))"   # -> 0x1f
 *
 * Other frames built at run time get their PEC from ref_pec() below, a
 * serial-input shift register written apart from the library's code and
 * itself checked against the golden values.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "harness.h"
#include "mctp/mctp.h"
#include "mctp/smbus.h"

/* Endpoint A is the stack under test; B is its peer (or a second stack). */
#define ADDR_A 0x10u
#define ADDR_B 0x20u
#define EID_A 0x08u
#define EID_B 0x09u
#define TYPE_TEST MCTP_MSG_TYPE_VENDOR_PCI

#define SMBUS_MTU_MAX                                                          \
	(MCTP_MAX_MTU < MCTP_SMBUS_MAX_MTU ? MCTP_MAX_MTU : MCTP_SMBUS_MAX_MTU)
/* A message that spans several packets at any MTU, within the maximum. */
#define MID_MSG (MCTP_MAX_MESSAGE_SIZE < 1000 ? MCTP_MAX_MESSAGE_SIZE : 1000)
/* Enough frames for one largest message at the baseline MTU. */
#define FAKE_FRAMES                                                            \
	((MCTP_MAX_MESSAGE_SIZE + MCTP_BASELINE_MTU - 1) / MCTP_BASELINE_MTU + \
	 4)

/* Records every frame the binding hands to the bus. */
struct fake_bus {
	int error; /* returned by tx when non-zero, nothing recorded */
	size_t calls;
	size_t count;
	size_t len[FAKE_FRAMES];
	uint8_t frame[FAKE_FRAMES][MCTP_SMBUS_FRAME_MAX];
};

static int fake_tx(void *ctx, const uint8_t *frame, size_t len)
{
	struct fake_bus *bus = ctx;

	bus->calls++;
	if (bus->error)
		return bus->error;
	assert_true(len <= MCTP_SMBUS_FRAME_MAX);
	assert_true(bus->count < FAKE_FRAMES);
	memcpy(bus->frame[bus->count], frame, len);
	bus->len[bus->count++] = len;
	return 0;
}

static const struct mctp_smbus_ops fake_ops = {
	.tx = fake_tx,
};

struct endpoint {
	struct mctp mctp;
	struct mctp_smbus smbus;
	struct fake_bus bus;
	struct harness_sink sink;
	int bus_index;
};

static struct endpoint ep_a, ep_b;
static uint8_t big_msg[MCTP_MAX_MESSAGE_SIZE];

static void endpoint_init(struct endpoint *ep, uint8_t eid, uint8_t addr)
{
	struct mctp_config cfg = {.eid = eid};

	memset(ep, 0, sizeof(*ep));
	assert_int_equal(mctp_init(&ep->mctp, &cfg), 0);
	assert_int_equal(mctp_smbus_init(&ep->smbus, &fake_ops, &ep->bus, addr),
			 0);
	ep->bus_index = mctp_bus_register(&ep->mctp, &ep->smbus.binding);
	assert_int_equal(ep->bus_index, 0);
	assert_int_equal(mctp_register_handler(&ep->mctp, TYPE_TEST,
					       &harness_sink_ops, &ep->sink),
			 0);
	assert_int_equal(mctp_register_handler(&ep->mctp, MCTP_MSG_TYPE_PLDM,
					       &harness_sink_ops, &ep->sink),
			 0);
}

static int setup(void **state)
{
	(void)state;
	endpoint_init(&ep_a, EID_A, ADDR_A);
	endpoint_init(&ep_b, EID_B, ADDR_B);
	return 0;
}

/* CRC-8 poly 0x07 as a serial-input shift register, one data bit at a
 * time: a different formulation from the library's, for cross-checking. */
static uint8_t ref_pec(const uint8_t *data, size_t len)
{
	unsigned int reg = 0;

	for (size_t i = 0; i < len; i++) {
		for (int bit = 7; bit >= 0; bit--) {
			unsigned int in = (data[i] >> bit) & 1u;
			unsigned int top = (reg >> 7) & 1u;

			reg = (reg << 1) & 0xFFu;
			if (top ^ in)
				reg ^= 0x07u;
		}
	}
	return (uint8_t)reg;
}

/* A DSP0237 frame around a one-packet message, PEC from ref_pec(). */
static size_t make_frame(uint8_t *buf, uint8_t dest_addr, uint8_t src_addr,
			 uint8_t dest_eid, uint8_t src_eid, uint8_t flags,
			 const uint8_t *payload, size_t payload_len)
{
	size_t len = 4 + MCTP_HEADER_SIZE + payload_len;

	buf[0] = (uint8_t)(dest_addr << 1);
	buf[1] = 0x0F;
	buf[2] = (uint8_t)(1 + MCTP_HEADER_SIZE + payload_len);
	buf[3] = (uint8_t)(src_addr << 1 | 1);
	buf[4] = 0x01;
	buf[5] = dest_eid;
	buf[6] = src_eid;
	buf[7] = flags;
	memcpy(buf + 8, payload, payload_len);
	buf[len] = ref_pec(buf, len);
	return len + 1;
}

/* A request from @src_eid at @src_addr to A carrying one byte of type. */
static int rx_hello(uint8_t src_eid, uint8_t src_addr)
{
	static const uint8_t payload[] = {TYPE_TEST, 0x5A};
	uint8_t frame[32];
	size_t len = make_frame(frame, ADDR_A, src_addr, EID_A, src_eid,
				0xC8 /* SOM EOM TO tag 0 */, payload,
				sizeof(payload));

	return mctp_smbus_rx(&ep_a.smbus, frame, len);
}

static struct mctp_msg_info request_from(uint8_t eid, uint8_t tag)
{
	struct mctp_msg_info info = {
		.src_eid = eid,
		.dest_eid = EID_A,
		.tag = tag,
		.tag_owner = true,
		.type = TYPE_TEST,
	};

	return info;
}

static void test_pec_check_value(void **state)
{
	/* CRC-8/SMBUS in the CRC catalogue: check value of "123456789". */
	static const uint8_t check[] = "123456789";

	(void)state;
	assert_int_equal(mctp_smbus_pec(0, check, 9), 0xF4);
	/* Continuing from a previous result covers split buffers. */
	assert_int_equal(mctp_smbus_pec(mctp_smbus_pec(0, check, 4), check + 4,
					5),
			 0xF4);
	assert_int_equal(mctp_smbus_pec(0x5A, check, 0), 0x5A);
	assert_int_equal(ref_pec(check, 9), 0xF4);
}

static void test_init(void **state)
{
	static const struct mctp_smbus_ops no_tx = {0};
	static struct mctp_smbus s;

	(void)state;
	assert_int_equal(mctp_smbus_init(NULL, &fake_ops, NULL, 0x10), -EINVAL);
	assert_int_equal(mctp_smbus_init(&s, NULL, NULL, 0x10), -EINVAL);
	assert_int_equal(mctp_smbus_init(&s, &no_tx, NULL, 0x10), -EINVAL);
	assert_int_equal(mctp_smbus_init(&s, &fake_ops, NULL, 0x80), -EINVAL);
	assert_int_equal(mctp_smbus_init(&s, &fake_ops, NULL, 0x7F), 0);

	assert_non_null(s.binding.ops);
	assert_non_null(s.binding.ops->tx);
	assert_ptr_equal(s.binding.tx_pkt, s.frame + 4);
	assert_int_equal(s.binding.max_mtu, SMBUS_MTU_MAX);
	assert_int_equal(s.binding.mtu, MCTP_BASELINE_MTU);
	assert_int_equal(mctp_smbus_get_neighbour(&s, EID_B), -ENOENT);
}

static void test_tx_golden_one_byte(void **state)
{
	/* dest 0x20<<1, command, count 6, src 0x10<<1|1, header (version 1,
	 * dest 9, src 8, SOM EOM tag 3), payload, PEC. */
	static const uint8_t golden[] = {0x40, 0x0F, 0x06, 0x21, 0x01,
					 0x09, 0x08, 0xC3, 0x7E, 0x1F};
	static const uint8_t msg[] = {0x7E};
	struct mctp_msg_info req = request_from(EID_B, 3);

	(void)state;
	assert_int_equal(mctp_smbus_set_neighbour(&ep_a.smbus, EID_B, ADDR_B),
			 0);
	assert_int_equal(mctp_response_tx(&ep_a.mctp, &req, msg, sizeof(msg)),
			 0);
	assert_int_equal(ep_a.bus.count, 1);
	assert_int_equal(ep_a.bus.len[0], sizeof(golden));
	assert_memory_equal(ep_a.bus.frame[0], golden, sizeof(golden));
	assert_int_equal(ep_a.smbus.counters.tx_frames, 1);
	assert_int_equal(ep_a.smbus.counters.tx_errors, 0);
}

static void test_tx_golden_64_bytes(void **state)
{
	/* Count 0x45 = source byte + 4 header + 64 payload; PEC 0xD3 from
	 * the python above over these 72 bytes. */
	static const uint8_t head[] = {0x40, 0x0F, 0x45, 0x21,
				       0x01, 0x09, 0x08, 0xC3};
	struct mctp_msg_info req = request_from(EID_B, 3);
	uint8_t msg[64];
	const uint8_t *f = ep_a.bus.frame[0];

	(void)state;
	for (size_t i = 0; i < sizeof(msg); i++)
		msg[i] = (uint8_t)(i + 1);
	assert_int_equal(mctp_smbus_set_neighbour(&ep_a.smbus, EID_B, ADDR_B),
			 0);
	assert_int_equal(mctp_response_tx(&ep_a.mctp, &req, msg, sizeof(msg)),
			 0);
	assert_int_equal(ep_a.bus.count, 1);
	assert_int_equal(ep_a.bus.len[0], 73);
	assert_memory_equal(f, head, sizeof(head));
	assert_memory_equal(f + 8, msg, sizeof(msg));
	assert_int_equal(f[72], 0xD3);
}

static void test_tx_golden_two_packets(void **state)
{
	/* 65 bytes at the 64-byte baseline: SOM seq 0 (0x83) with bytes
	 * 1..64, then EOM seq 1 (0x53) with byte 65; PECs 0x87 and 0x43. */
	static const uint8_t head0[] = {0x40, 0x0F, 0x45, 0x21,
					0x01, 0x09, 0x08, 0x83};
	static const uint8_t golden1[] = {0x40, 0x0F, 0x06, 0x21, 0x01,
					  0x09, 0x08, 0x53, 0x41, 0x43};
	struct mctp_msg_info req = request_from(EID_B, 3);
	uint8_t msg[65];

	(void)state;
	if (MCTP_MAX_MESSAGE_SIZE < sizeof(msg))
		skip();
	for (size_t i = 0; i < sizeof(msg); i++)
		msg[i] = (uint8_t)(i + 1);
	assert_int_equal(mctp_smbus_set_neighbour(&ep_a.smbus, EID_B, ADDR_B),
			 0);
	assert_int_equal(mctp_response_tx(&ep_a.mctp, &req, msg, sizeof(msg)),
			 0);
	assert_int_equal(ep_a.bus.count, 2);
	assert_int_equal(ep_a.bus.len[0], 73);
	assert_memory_equal(ep_a.bus.frame[0], head0, sizeof(head0));
	assert_memory_equal(ep_a.bus.frame[0] + 8, msg, 64);
	assert_int_equal(ep_a.bus.frame[0][72], 0x87);
	assert_int_equal(ep_a.bus.len[1], sizeof(golden1));
	assert_memory_equal(ep_a.bus.frame[1], golden1, sizeof(golden1));
	assert_int_equal(ep_a.smbus.counters.tx_frames, 2);
}

/* B (0x20, EID 9) sends A (0x10, EID 8) a request, tag 2, type 0x7E. */
static const uint8_t golden_rx[] = {0x20, 0x0F, 0x08, 0x41, 0x01, 0x08,
				    0x09, 0xCA, 0x7E, 0x11, 0x22, 0x8B};

static void test_rx_golden(void **state)
{
	const struct harness_sink_msg *m = &ep_a.sink.msgs[0];

	(void)state;
	assert_int_equal(ref_pec(golden_rx, sizeof(golden_rx) - 1), 0x8B);
	assert_int_equal(
		mctp_smbus_rx(&ep_a.smbus, golden_rx, sizeof(golden_rx)), 0);
	assert_int_equal(ep_a.smbus.counters.rx_frames, 1);
	assert_int_equal(ep_a.sink.count, 1);
	assert_int_equal(m->len, 3);
	assert_memory_equal(m->head, golden_rx + 8, 3);
	assert_int_equal(m->info.src_eid, EID_B);
	assert_int_equal(m->info.dest_eid, EID_A);
	assert_int_equal(m->info.tag, 2);
	assert_true(m->info.tag_owner);
	assert_int_equal(m->info.type, TYPE_TEST);
	/* The sender's address was learned and a reply goes back to it. */
	assert_int_equal(mctp_smbus_get_neighbour(&ep_a.smbus, EID_B), ADDR_B);
	assert_int_equal(mctp_response_tx(&ep_a.mctp, &m->info, m->head, 1), 0);
	assert_int_equal(ep_a.bus.count, 1);
	assert_int_equal(ep_a.bus.frame[0][0], ADDR_B << 1);
	assert_int_equal(ep_a.bus.frame[0][7], 0xC2); /* SOM EOM tag 2 */
}

struct bad_frame {
	const char *what;
	uint8_t frame[16];
	size_t len;
	int rc;
	/* offsetof the one counter that must move */
	size_t counter;
};

#define CNT(field) offsetof(struct mctp_smbus_counters, field)

/* Each differs from golden_rx in one respect; PECs recomputed with the
 * python above, so only the named defect is present. */
static const struct bad_frame bad_frames[] = {
	{"bad PEC",
	 {0x20, 0x0F, 0x08, 0x41, 0x01, 0x08, 0x09, 0xCA, 0x7E, 0x11, 0x22,
	  0x8A},
	 12,
	 -EBADMSG,
	 CNT(rx_bad_pec)},
	{"no payload byte",
	 {0x20, 0x0F, 0x05, 0x41, 0x01, 0x08, 0x09, 0xCA, 0x32},
	 9,
	 -EBADMSG,
	 CNT(rx_bad_length)},
	{"empty", {0}, 0, -EBADMSG, CNT(rx_bad_length)},
	{"truncated PEC",
	 {0x20, 0x0F, 0x08, 0x41, 0x01, 0x08, 0x09, 0xCA, 0x7E, 0x11, 0x22},
	 11,
	 -EBADMSG,
	 CNT(rx_bad_length)},
	{"byte count one too many",
	 {0x20, 0x0F, 0x09, 0x41, 0x01, 0x08, 0x09, 0xCA, 0x7E, 0x11, 0x22,
	  0xF2},
	 12,
	 -EBADMSG,
	 CNT(rx_bad_length)},
	{"byte count one too few",
	 {0x20, 0x0F, 0x07, 0x41, 0x01, 0x08, 0x09, 0xCA, 0x7E, 0x11, 0x22,
	  0x22},
	 12,
	 -EBADMSG,
	 CNT(rx_bad_length)},
	{"byte count zero",
	 {0x20, 0x0F, 0x00, 0x41, 0x01, 0x08, 0x09, 0xCA, 0x7E, 0x11, 0x22,
	  0x4A},
	 12,
	 -EBADMSG,
	 CNT(rx_bad_length)},
	{"command code 0x0E",
	 {0x20, 0x0E, 0x08, 0x41, 0x01, 0x08, 0x09, 0xCA, 0x7E, 0x11, 0x22,
	  0xE3},
	 12,
	 -EBADMSG,
	 CNT(rx_bad_command)},
	{"other target address",
	 {0x22, 0x0F, 0x08, 0x41, 0x01, 0x08, 0x09, 0xCA, 0x7E, 0x11, 0x22,
	  0xB5},
	 12,
	 -EADDRNOTAVAIL,
	 CNT(rx_bad_address)},
	{"our address with the read bit",
	 {0x21, 0x0F, 0x08, 0x41, 0x01, 0x08, 0x09, 0xCA, 0x7E, 0x11, 0x22,
	  0x94},
	 12,
	 -EADDRNOTAVAIL,
	 CNT(rx_bad_address)},
	{"source byte without bit 0",
	 {0x20, 0x0F, 0x08, 0x40, 0x01, 0x08, 0x09, 0xCA, 0x7E, 0x11, 0x22,
	  0x98},
	 12,
	 -EBADMSG,
	 CNT(rx_bad_address)},
};

static void test_rx_bad_frames(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(bad_frames) / sizeof(bad_frames[0]);
	     i++) {
		const struct bad_frame *b = &bad_frames[i];
		struct mctp_smbus_counters want = ep_a.smbus.counters;
		uint32_t rx_packets = mctp_get_counters(&ep_a.mctp)->rx_packets;

		print_message("%s\n", b->what);
		/* Every frame carries a PEC right for its bytes, so only the
		 * named defect can trip, except: the bad-PEC one, the empty
		 * one and the one cut before its PEC. */
		if (b->len && b->len != 11 && b->counter != CNT(rx_bad_pec))
			assert_int_equal(ref_pec(b->frame, b->len - 1),
					 b->frame[b->len - 1]);
		*(uint32_t *)(void *)((uint8_t *)&want + b->counter) += 1;
		assert_int_equal(mctp_smbus_rx(&ep_a.smbus, b->frame, b->len),
				 b->rc);
		assert_memory_equal(&ep_a.smbus.counters, &want, sizeof(want));
		assert_int_equal(mctp_get_counters(&ep_a.mctp)->rx_packets,
				 rx_packets);
		assert_int_equal(ep_a.sink.count, 0);
		assert_int_equal(mctp_smbus_get_neighbour(&ep_a.smbus, EID_B),
				 -ENOENT);
	}
	/* The frame they were derived from is fine. */
	assert_int_equal(
		mctp_smbus_rx(&ep_a.smbus, golden_rx, sizeof(golden_rx)), 0);
	assert_int_equal(ep_a.sink.count, 1);
}

static void test_rx_oversize_frame(void **state)
{
	/* One byte more than the largest byte count can describe. */
	uint8_t frame[MCTP_SMBUS_FRAME_OVERHEAD + MCTP_HEADER_SIZE +
		      MCTP_SMBUS_MAX_MTU + 1];
	uint8_t payload[MCTP_SMBUS_MAX_MTU + 1];

	(void)state;
	memset(payload, 0xA5, sizeof(payload));
	payload[0] = TYPE_TEST;
	make_frame(frame, ADDR_A, ADDR_B, EID_A, EID_B, 0xC8, payload,
		   sizeof(payload));
	assert_int_equal(mctp_smbus_rx(&ep_a.smbus, frame, sizeof(frame)),
			 -EBADMSG);
	assert_int_equal(ep_a.smbus.counters.rx_bad_length, 1);
	assert_int_equal(ep_a.sink.count, 0);
}

static void test_learn_and_replace(void **state)
{
	(void)state;
	assert_int_equal(rx_hello(EID_B, 0x20), 0);
	assert_int_equal(mctp_smbus_get_neighbour(&ep_a.smbus, EID_B), 0x20);
	/* The endpoint moved (or the first one was stale): latest wins. */
	assert_int_equal(rx_hello(EID_B, 0x31), 0);
	assert_int_equal(mctp_smbus_get_neighbour(&ep_a.smbus, EID_B), 0x31);
	assert_int_equal(ep_a.sink.count, 2);
	/* Null EID sources are learned too: a bus owner answers them. */
	assert_int_equal(rx_hello(MCTP_EID_NULL, 0x44), 0);
	assert_int_equal(mctp_smbus_get_neighbour(&ep_a.smbus, MCTP_EID_NULL),
			 0x44);
}

static void test_no_learning_from_broadcast(void **state)
{
	(void)state;
	/* A good frame (the binding accepts it) whose packet the core then
	 * rejects for its broadcast source EID. */
	assert_int_equal(rx_hello(MCTP_EID_BROADCAST, 0x20), 0);
	assert_int_equal(ep_a.smbus.counters.rx_frames, 1);
	assert_int_equal(mctp_get_counters(&ep_a.mctp)->rx_drop_src_eid, 1);
	assert_int_equal(mctp_smbus_get_neighbour(&ep_a.smbus,
						  MCTP_EID_BROADCAST),
			 -ENOENT);
	for (size_t i = 0; i < MCTP_SMBUS_NEIGHBOURS; i++)
		assert_int_equal(ep_a.smbus.neigh[i].flags, 0);
}

static void test_static_wins(void **state)
{
	struct mctp_msg_info req = request_from(EID_B, 1);
	static const uint8_t msg[] = {TYPE_TEST};

	(void)state;
	/* Pinning replaces a learned entry... */
	assert_int_equal(rx_hello(EID_B, 0x20), 0);
	assert_int_equal(mctp_smbus_set_neighbour(&ep_a.smbus, EID_B, 0x50), 0);
	assert_int_equal(mctp_smbus_get_neighbour(&ep_a.smbus, EID_B), 0x50);
	/* ...and traffic from elsewhere does not move it back. */
	assert_int_equal(rx_hello(EID_B, 0x20), 0);
	assert_int_equal(mctp_smbus_get_neighbour(&ep_a.smbus, EID_B), 0x50);
	assert_int_equal(mctp_response_tx(&ep_a.mctp, &req, msg, sizeof(msg)),
			 0);
	assert_int_equal(ep_a.bus.frame[0][0], 0x50 << 1);
	/* Re-pinning a static entry is allowed. */
	assert_int_equal(mctp_smbus_set_neighbour(&ep_a.smbus, EID_B, 0x51), 0);
	assert_int_equal(mctp_smbus_get_neighbour(&ep_a.smbus, EID_B), 0x51);
}

static void test_set_neighbour_args(void **state)
{
	(void)state;
	assert_int_equal(mctp_smbus_set_neighbour(&ep_a.smbus, EID_B, 0x80),
			 -EINVAL);
	assert_int_equal(mctp_smbus_set_neighbour(&ep_a.smbus,
						  MCTP_EID_BROADCAST, 0x20),
			 -EINVAL);
	assert_int_equal(mctp_smbus_get_neighbour(&ep_a.smbus, EID_B), -ENOENT);
	/* The null EID is a key: how a bus owner reaches a new endpoint. */
	assert_int_equal(
		mctp_smbus_set_neighbour(&ep_a.smbus, MCTP_EID_NULL, 0x33), 0);
	assert_int_equal(mctp_smbus_get_neighbour(&ep_a.smbus, MCTP_EID_NULL),
			 0x33);
}

static void test_tx_to_null_eid(void **state)
{
	static const uint8_t msg[] = {MCTP_MSG_TYPE_CONTROL, 0x80, 0x02};

	(void)state;
	assert_int_equal(
		mctp_smbus_set_neighbour(&ep_a.smbus, MCTP_EID_NULL, 0x33), 0);
	assert_true(mctp_request_tx(&ep_a.mctp, MCTP_EID_NULL, msg,
				    sizeof(msg)) >= 0);
	assert_int_equal(ep_a.bus.count, 1);
	assert_int_equal(ep_a.bus.frame[0][0], 0x33 << 1);
	assert_int_equal(ep_a.bus.frame[0][5], MCTP_EID_NULL);
}

static void test_eviction_round_robin(void **state)
{
	const uint8_t first = 0x10;

	(void)state;
	for (uint8_t i = 0; i < MCTP_SMBUS_NEIGHBOURS; i++)
		assert_int_equal(
			rx_hello((uint8_t)(first + i), (uint8_t)(0x30 + i)), 0);
	for (uint8_t i = 0; i < MCTP_SMBUS_NEIGHBOURS; i++)
		assert_int_equal(mctp_smbus_get_neighbour(&ep_a.smbus,
							  (uint8_t)(first + i)),
				 0x30 + i);

	/* Full: each newcomer evicts a different learned entry. */
	assert_int_equal(rx_hello(0x60, 0x70), 0);
	assert_int_equal(mctp_smbus_get_neighbour(&ep_a.smbus, 0x60), 0x70);
	assert_int_equal(mctp_smbus_get_neighbour(&ep_a.smbus, first), -ENOENT);
	if (MCTP_SMBUS_NEIGHBOURS < 2)
		return;
	assert_int_equal(rx_hello(0x61, 0x71), 0);
	assert_int_equal(mctp_smbus_get_neighbour(&ep_a.smbus, 0x61), 0x71);
	assert_int_equal(mctp_smbus_get_neighbour(&ep_a.smbus, 0x60), 0x70);
	assert_int_equal(mctp_smbus_get_neighbour(&ep_a.smbus, first + 1),
			 -ENOENT);
	for (uint8_t i = 2; i < MCTP_SMBUS_NEIGHBOURS; i++)
		assert_int_equal(mctp_smbus_get_neighbour(&ep_a.smbus,
							  (uint8_t)(first + i)),
				 0x30 + i);
}

static void test_eviction_spares_static(void **state)
{
	(void)state;
	for (uint8_t i = 0; i + 1u < MCTP_SMBUS_NEIGHBOURS; i++)
		assert_int_equal(mctp_smbus_set_neighbour(&ep_a.smbus,
							  (uint8_t)(0x20 + i),
							  (uint8_t)(0x40 + i)),
				 0);
	/* One free slot left: learned entries (EIDs 0x80 on, clear of the
	 * static ones) take turns in it. */
	assert_int_equal(rx_hello(0x80, 0x30), 0);
	assert_int_equal(mctp_smbus_get_neighbour(&ep_a.smbus, 0x80), 0x30);
	for (uint8_t e = 0x81; e < 0x91; e++) {
		assert_int_equal(rx_hello(e, 0x31), 0);
		assert_int_equal(mctp_smbus_get_neighbour(&ep_a.smbus, e),
				 0x31);
		assert_int_equal(mctp_smbus_get_neighbour(&ep_a.smbus,
							  (uint8_t)(e - 1)),
				 -ENOENT);
	}
	for (uint8_t i = 0; i + 1u < MCTP_SMBUS_NEIGHBOURS; i++)
		assert_int_equal(mctp_smbus_get_neighbour(&ep_a.smbus,
							  (uint8_t)(0x20 + i)),
				 0x40 + i);

	/* A static entry takes the last learned slot... */
	assert_int_equal(mctp_smbus_set_neighbour(&ep_a.smbus, 0x70, 0x7F), 0);
	assert_int_equal(mctp_smbus_get_neighbour(&ep_a.smbus, 0x70), 0x7F);
	/* ...and then the table is full of static entries. */
	assert_int_equal(mctp_smbus_set_neighbour(&ep_a.smbus, 0x71, 0x7E),
			 -ENOSPC);
	assert_int_equal(rx_hello(0x72, 0x32), 0);
	assert_int_equal(mctp_smbus_get_neighbour(&ep_a.smbus, 0x72), -ENOENT);
	assert_int_equal(mctp_smbus_get_neighbour(&ep_a.smbus, 0x70), 0x7F);
	/* Updating an existing static entry still works when full. */
	assert_int_equal(mctp_smbus_set_neighbour(&ep_a.smbus, 0x70, 0x7D), 0);
	assert_int_equal(mctp_smbus_get_neighbour(&ep_a.smbus, 0x70), 0x7D);
}

static void test_tx_no_address(void **state)
{
	struct mctp_msg_info req = request_from(EID_B, 0);
	static const uint8_t msg[] = {TYPE_TEST, 1};

	(void)state;
	assert_int_equal(mctp_response_tx(&ep_a.mctp, &req, msg, sizeof(msg)),
			 -EHOSTUNREACH);
	assert_int_equal(ep_a.smbus.counters.tx_no_address, 1);
	assert_int_equal(ep_a.smbus.counters.tx_frames, 0);
	assert_int_equal(ep_a.bus.calls, 0);
}

#if MCTP_MAX_ROUTES > 0 /* routing compiled in */
static void test_route_phys_overrides_table(void **state)
{
	struct mctp_msg_info req = request_from(EID_B, 0);
	static const uint8_t msg[] = {TYPE_TEST, 1};

	(void)state;
	assert_int_equal(mctp_smbus_set_neighbour(&ep_a.smbus, EID_B, ADDR_B),
			 0);
	assert_int_equal(mctp_route_add(&ep_a.mctp, EID_B, EID_B,
					(uint8_t)ep_a.bus_index, 0x31, 0),
			 0);
	assert_int_equal(mctp_response_tx(&ep_a.mctp, &req, msg, sizeof(msg)),
			 0);
	assert_int_equal(ep_a.bus.frame[0][0], 0x31 << 1);

	/* A route without a hint falls back to the table. */
	mctp_route_clear(&ep_a.mctp);
	assert_int_equal(mctp_route_add(&ep_a.mctp, EID_B, EID_B,
					(uint8_t)ep_a.bus_index, MCTP_PHYS_ANY,
					0),
			 0);
	assert_int_equal(mctp_response_tx(&ep_a.mctp, &req, msg, sizeof(msg)),
			 0);
	assert_int_equal(ep_a.bus.frame[1][0], ADDR_B << 1);

	/* A hint that is no 7-bit address reaches no one. */
	mctp_route_clear(&ep_a.mctp);
	assert_int_equal(mctp_route_add(&ep_a.mctp, EID_B, EID_B,
					(uint8_t)ep_a.bus_index, 0x80, 0),
			 0);
	assert_int_equal(mctp_response_tx(&ep_a.mctp, &req, msg, sizeof(msg)),
			 -EHOSTUNREACH);
	assert_int_equal(ep_a.bus.count, 2);
	assert_int_equal(ep_a.smbus.counters.tx_no_address, 1);
}

#endif

static void test_tx_bus_error(void **state)
{
	struct mctp_msg_info req = request_from(EID_B, 0);
	static const uint8_t msg[] = {TYPE_TEST, 1};

	(void)state;
	assert_int_equal(mctp_smbus_set_neighbour(&ep_a.smbus, EID_B, ADDR_B),
			 0);
	ep_a.bus.error = -EIO;
	assert_int_equal(mctp_response_tx(&ep_a.mctp, &req, msg, sizeof(msg)),
			 -EIO);
	assert_int_equal(ep_a.smbus.counters.tx_errors, 1);
	assert_int_equal(ep_a.smbus.counters.tx_frames, 0);
	assert_int_equal(ep_a.bus.calls, 1);
}

static void test_tx_packet_too_large(void **state)
{
	struct mctp_binding *b = &ep_a.smbus.binding;

	(void)state;
	/* Only a broken core would ask this; the frame buffer must hold. */
	assert_int_equal(b->ops->tx(b, MCTP_HEADER_SIZE + b->max_mtu + 1u,
				    0x20),
			 -EMSGSIZE);
	assert_int_equal(ep_a.smbus.counters.tx_errors, 1);
	assert_int_equal(ep_a.bus.calls, 0);
	/* The largest packet fits, with a byte count of at most 255. */
	memset(b->tx_pkt, 0, MCTP_HEADER_SIZE + b->max_mtu);
	assert_int_equal(b->ops->tx(b, MCTP_HEADER_SIZE + b->max_mtu, 0x20), 0);
	assert_int_equal(ep_a.bus.len[0], MCTP_SMBUS_FRAME_OVERHEAD +
						  MCTP_HEADER_SIZE +
						  b->max_mtu);
	assert_int_equal(ep_a.bus.frame[0][2],
			 1 + MCTP_HEADER_SIZE + b->max_mtu);
}

/*
 * Send @len bytes A -> B as a response with tag 5 and check every frame
 * against the DSP0237 layout: sizes at @mtu, SOM/EOM/sequence, byte count,
 * PEC from ref_pec(), payload.
 */
static void check_fragmentation(size_t len, uint16_t mtu)
{
	struct mctp_msg_info req = request_from(EID_B, 5);
	size_t frames = (len + mtu - 1) / mtu;
	size_t off = 0;

	for (size_t i = 0; i < len; i++)
		big_msg[i] = (uint8_t)(i * 13 + 7);
	big_msg[0] = TYPE_TEST;
	ep_a.bus.count = 0;
	assert_int_equal(mctp_response_tx(&ep_a.mctp, &req, big_msg, len), 0);
	assert_int_equal(ep_a.bus.count, frames);

	for (size_t i = 0; i < frames; i++) {
		const uint8_t *f = ep_a.bus.frame[i];
		size_t flen = ep_a.bus.len[i];
		size_t chunk = len - off < mtu ? len - off : mtu;
		uint8_t flags = (uint8_t)(((i & 3u) << 4) | 5u);

		if (i == 0)
			flags |= 0x80;
		if (i == frames - 1)
			flags |= 0x40;
		assert_int_equal(flen, 4 + MCTP_HEADER_SIZE + chunk + 1);
		assert_int_equal(f[0], ADDR_B << 1);
		assert_int_equal(f[1], 0x0F);
		assert_true(flen - 4 <= 255);
		assert_int_equal(f[2], flen - 4);
		assert_int_equal(f[3], ADDR_A << 1 | 1);
		assert_int_equal(f[4], 0x01);
		assert_int_equal(f[5], EID_B);
		assert_int_equal(f[6], EID_A);
		assert_int_equal(f[7], flags);
		assert_memory_equal(f + 8, big_msg + off, chunk);
		assert_int_equal(f[flen - 1], ref_pec(f, flen - 1));
		off += chunk;
	}
	assert_int_equal(off, len);
}

static void test_fragmentation_baseline(void **state)
{
	(void)state;
	assert_int_equal(mctp_smbus_set_neighbour(&ep_a.smbus, EID_B, ADDR_B),
			 0);
	check_fragmentation(MID_MSG, MCTP_BASELINE_MTU);
	check_fragmentation(MCTP_MAX_MESSAGE_SIZE, MCTP_BASELINE_MTU);
}

static void test_fragmentation_raised_mtu(void **state)
{
	struct mctp_binding *b = &ep_a.smbus.binding;

	(void)state;
	assert_int_equal(mctp_smbus_set_neighbour(&ep_a.smbus, EID_B, ADDR_B),
			 0);
	assert_int_equal(mctp_binding_set_mtu(b, (uint16_t)(b->max_mtu + 1)),
			 -EINVAL);
	assert_int_equal(mctp_binding_set_mtu(b, b->max_mtu), 0);
	check_fragmentation(MID_MSG, b->max_mtu);
	check_fragmentation(MCTP_MAX_MESSAGE_SIZE, b->max_mtu);
	/* At 250 a full frame's byte count is exactly the SMBus limit. */
	if (b->max_mtu == MCTP_SMBUS_MAX_MTU)
		assert_int_equal(ep_a.bus.frame[0][2], 255);

	/* A route's unit wins over the binding default. */
	if (b->max_mtu < 128 || MCTP_MAX_ROUTES == 0)
		return;
	assert_int_equal(mctp_route_add(&ep_a.mctp, EID_B, EID_B,
					(uint8_t)ep_a.bus_index, MCTP_PHYS_ANY,
					128),
			 0);
	check_fragmentation(MID_MSG, 128);
}

static void deliver(struct endpoint *from, struct endpoint *to)
{
	size_t n = from->bus.count;

	for (size_t i = 0; i < n; i++)
		assert_int_equal(mctp_smbus_rx(&to->smbus, from->bus.frame[i],
					       from->bus.len[i]),
				 0);
	assert_int_equal(from->bus.count, n);
	from->bus.count = 0;
}

/* Request A -> B, echoed back, at each MTU, for sizes around the edges. */
static void exchange(uint16_t mtu)
{
	static const size_t sizes[] = {1,
				       2,
				       63,
				       64,
				       65,
				       127,
				       128,
				       249,
				       250,
				       251,
				       500,
				       1000,
				       1024,
				       MCTP_MAX_MESSAGE_SIZE - 1,
				       MCTP_MAX_MESSAGE_SIZE};

	assert_int_equal(mctp_binding_set_mtu(&ep_a.smbus.binding, mtu), 0);
	assert_int_equal(mctp_binding_set_mtu(&ep_b.smbus.binding, mtu), 0);
	ep_b.sink.echo = true;
	/* B learns A's address from the request; A needs B's up front. */
	assert_int_equal(mctp_smbus_set_neighbour(&ep_a.smbus, EID_B, ADDR_B),
			 0);

	for (size_t s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
		size_t len = sizes[s];
		size_t a_count = ep_a.sink.count;
		size_t b_count = ep_b.sink.count;

		if (len > MCTP_MAX_MESSAGE_SIZE)
			continue;
		for (size_t i = 0; i < len; i++)
			big_msg[i] = (uint8_t)(i ^ (i >> 8) ^ len);
		big_msg[0] = MCTP_MSG_TYPE_PLDM;
		assert_true(mctp_request_tx(&ep_a.mctp, EID_B, big_msg, len) >=
			    0);
		deliver(&ep_a, &ep_b);
		assert_int_equal(ep_b.sink.count, b_count + 1);
		assert_int_equal(ep_b.sink.echo_result, 0);
		assert_int_equal(ep_b.sink.last_len, len);
		assert_memory_equal(ep_b.sink.last, big_msg, len);
		deliver(&ep_b, &ep_a);
		assert_int_equal(ep_a.sink.count, a_count + 1);
		assert_int_equal(ep_a.sink.last_len, len);
		assert_memory_equal(ep_a.sink.last, big_msg, len);
	}
	assert_int_equal(mctp_smbus_get_neighbour(&ep_b.smbus, EID_A), ADDR_A);
	assert_int_equal(ep_a.smbus.counters.rx_bad_pec +
				 ep_b.smbus.counters.rx_bad_pec,
			 0);
}

static void test_exchange_baseline(void **state)
{
	(void)state;
	exchange(MCTP_BASELINE_MTU);
}

static void test_exchange_max_mtu(void **state)
{
	(void)state;
	exchange(ep_a.smbus.binding.max_mtu);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pec_check_value),
		cmocka_unit_test(test_init),
		cmocka_unit_test_setup(test_tx_golden_one_byte, setup),
		cmocka_unit_test_setup(test_tx_golden_64_bytes, setup),
		cmocka_unit_test_setup(test_tx_golden_two_packets, setup),
		cmocka_unit_test_setup(test_rx_golden, setup),
		cmocka_unit_test_setup(test_rx_bad_frames, setup),
		cmocka_unit_test_setup(test_rx_oversize_frame, setup),
		cmocka_unit_test_setup(test_learn_and_replace, setup),
		cmocka_unit_test_setup(test_no_learning_from_broadcast, setup),
		cmocka_unit_test_setup(test_static_wins, setup),
		cmocka_unit_test_setup(test_set_neighbour_args, setup),
		cmocka_unit_test_setup(test_tx_to_null_eid, setup),
		cmocka_unit_test_setup(test_eviction_round_robin, setup),
		cmocka_unit_test_setup(test_eviction_spares_static, setup),
		cmocka_unit_test_setup(test_tx_no_address, setup),
#if MCTP_MAX_ROUTES > 0
		cmocka_unit_test_setup(test_route_phys_overrides_table, setup),
#endif
		cmocka_unit_test_setup(test_tx_bus_error, setup),
		cmocka_unit_test_setup(test_tx_packet_too_large, setup),
		cmocka_unit_test_setup(test_fragmentation_baseline, setup),
		cmocka_unit_test_setup(test_fragmentation_raised_mtu, setup),
		cmocka_unit_test_setup(test_exchange_baseline, setup),
		cmocka_unit_test_setup(test_exchange_max_mtu, setup),
	};

	return cmocka_run_group_tests_name("smbus", tests, NULL, NULL);
}
