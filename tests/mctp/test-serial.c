/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Serial binding (DSP0253): framing, escaping, FCS, the streaming receiver
 * and its resynchronisation.
 *
 * Golden frames were computed outside this code base with a bitwise CRC in
 * Python (reflected polynomial 0x8408, initial 0xFFFF, no final xor), fcs
 * over revision, byte count and the unescaped packet, sent high byte first:
 *
 *   python3 -c "from functools import reduce as r;
 *     f=lambda d,i=0xFFFF: r(lambda c,b: r(lambda c,_: c>>1^(0x8408 if c&1
 *     else 0), range(8), c^b), d, i); print(hex(f(bytes([1,7,1,9,8,0xc8,
 *     1,2,3]))))"                                  -> 0xfa9b
 *
 * and the escaping done by hand (0x7E -> 7D 5E, 0x7D -> 7D 5D, packet
 * only). The same f() gives 0x6f91 for "123456789" (X-25's 0x906e without
 * its final complement).
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
#include "mctp/serial.h"

#define EID_A 0x08u
#define EID_B 0x09u
#define LINE_CAP 8192u
#define PIECES_CAP 64u

/* One endpoint: a core, its serial binding and a fake line that collects
 * everything the binding writes. */
struct endpoint {
	struct mctp mctp;
	struct mctp_serial serial;
	struct harness_sink sink;
	uint8_t line[LINE_CAP];
	size_t line_len;
	size_t writes;
	size_t pieces[PIECES_CAP]; /* length of each write, first PIECES_CAP */
	size_t fail_at;            /* 1-based write call to fail, 0: none */
	int fail_rc;
};

/* Large (two reassembly buffers of the maximum message size each): static,
 * as harness.h asks, and reset by setup() before every test. */
static struct endpoint endpoints[2];

static int line_write(void *ctx, const uint8_t *buf, size_t len)
{
	struct endpoint *ep = ctx;

	ep->writes++;
	if (ep->fail_at && ep->writes == ep->fail_at)
		return ep->fail_rc;
	if (ep->writes <= PIECES_CAP)
		ep->pieces[ep->writes - 1] = len;
	if (len > LINE_CAP - ep->line_len)
		return -ENOSPC;
	memcpy(&ep->line[ep->line_len], buf, len);
	ep->line_len += len;
	return 0;
}

static const struct mctp_serial_ops line_ops = {
	.write = line_write,
};

static void endpoint_init(struct endpoint *ep, uint8_t eid)
{
	struct mctp_config cfg = {.eid = eid};

	memset(ep, 0, sizeof(*ep));
	assert_int_equal(mctp_init(&ep->mctp, &cfg), 0);
	assert_int_equal(mctp_serial_init(&ep->serial, &line_ops, ep), 0);
	assert_int_equal(mctp_bus_register(&ep->mctp, &ep->serial.binding), 0);
	harness_sink_reset(&ep->sink);
	assert_int_equal(mctp_register_handler(&ep->mctp, MCTP_MSG_TYPE_PLDM,
					       &harness_sink_ops, &ep->sink),
			 0);
	assert_int_equal(mctp_register_handler(&ep->mctp,
					       MCTP_MSG_TYPE_VENDOR_PCI,
					       &harness_sink_ops, &ep->sink),
			 0);
	assert_int_equal(mctp_register_handler(&ep->mctp,
					       MCTP_MSG_TYPE_VENDOR_IANA,
					       &harness_sink_ops, &ep->sink),
			 0);
}

static int setup(void **state)
{
	endpoint_init(&endpoints[0], EID_A);
	endpoint_init(&endpoints[1], EID_B);
	*state = endpoints;
	return 0;
}

/* Golden frames. Every packet goes from EID 8 to EID 9 with SOM, EOM, TO
 * set and tag 0 (flags byte 0xC8), unless said otherwise. */

/* Request, type 0x01, data 02 03: no byte needs escaping. FCS 0xFA9B. */
static const uint8_t pkt_plain[] = {0x01, 0x09, 0x08, 0xC8, 0x01, 0x02, 0x03};
static const uint8_t frame_plain[] = {
	0x7E, 0x01, 0x07, 0x01, 0x09, 0x08, 0xC8,
	0x01, 0x02, 0x03, 0xFA, 0x9B, 0x7E,
};

/* Type 0x7E (vendor PCI), data 7D 7E 55: three escapes. FCS 0xDBBF. */
static const uint8_t pkt_escaped[] = {0x01, 0x09, 0x08, 0xC8,
				      0x7E, 0x7D, 0x7E, 0x55};
static const uint8_t frame_escaped[] = {
	0x7E, 0x01, 0x08, 0x01, 0x09, 0x08, 0xC8, 0x7D, 0x5E,
	0x7D, 0x5D, 0x7D, 0x5E, 0x55, 0xDB, 0xBF, 0x7E,
};

/* Type 0x7F, data F2: the FCS is 0x7EA0 and its high byte goes out raw. */
static const uint8_t pkt_fcs_flag[] = {0x01, 0x09, 0x08, 0xC8, 0x7F, 0xF2};
static const uint8_t frame_fcs_flag[] = {
	0x7E, 0x01, 0x06, 0x01, 0x09, 0x08, 0xC8, 0x7F, 0xF2, 0x7E, 0xA0, 0x7E,
};

/* pkt_plain with the FCS computed from initial value 0 (0xB483): the bug
 * Linux once had. Must be rejected. */
static const uint8_t frame_fcs_init0[] = {
	0x7E, 0x01, 0x07, 0x01, 0x09, 0x08, 0xC8,
	0x01, 0x02, 0x03, 0xB4, 0x83, 0x7E,
};

/* The response to pkt_plain echoed by EID 9: 9 -> 8, SOM EOM, TO clear,
 * tag 0 (0xC0). FCS 0x102C. */
static const uint8_t frame_echo[] = {
	0x7E, 0x01, 0x07, 0x01, 0x08, 0x09, 0xC0,
	0x01, 0x02, 0x03, 0x10, 0x2C, 0x7E,
};

static void rx(struct endpoint *ep, const uint8_t *buf, size_t len)
{
	mctp_serial_rx(&ep->serial, buf, len);
}

static void assert_msg(const struct harness_sink *sink, size_t i,
		       const uint8_t *pkt, size_t pkt_len)
{
	const struct harness_sink_msg *m = &sink->msgs[i];

	assert_true(i < sink->count);
	assert_int_equal(m->info.dest_eid, pkt[1]);
	assert_int_equal(m->info.src_eid, pkt[2]);
	assert_int_equal(m->info.tag, pkt[3] & 7u);
	assert_int_equal(m->info.tag_owner, (pkt[3] & 8u) != 0);
	assert_int_equal(m->len, pkt_len - MCTP_HEADER_SIZE);
	assert_memory_equal(m->head, pkt + MCTP_HEADER_SIZE, m->len);
}

/* Every receive error counter is zero except @name, which is @expect. */
#define assert_rx_errors(c, name, expect)                                      \
	do {                                                                   \
		struct mctp_serial_counters want_ = {0};                       \
		struct mctp_serial_counters got_ = (c);                        \
		got_.rx_frames = 0;                                            \
		got_.rx_garbage = 0;                                           \
		got_.tx_frames = 0;                                            \
		got_.tx_errors = 0;                                            \
		want_.name = (expect);                                         \
		assert_memory_equal(&got_, &want_, sizeof(want_));             \
	} while (0)

/* A deterministic PRNG for chunk sizes (xorshift32). */
static uint32_t next_rand(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

static void rx_chunked(struct endpoint *ep, const uint8_t *buf, size_t len,
		       uint32_t seed, size_t max_chunk)
{
	size_t off = 0;

	while (off < len) {
		size_t n = 1 + next_rand(&seed) % max_chunk;

		if (n > len - off)
			n = len - off;
		rx(ep, buf + off, n);
		off += n;
	}
}

static void test_fcs_check_value(void **state)
{
	static const uint8_t check[] = "123456789";
	uint16_t fcs;

	(void)state;
	assert_int_equal(mctp_serial_fcs(MCTP_SERIAL_FCS_INIT, check, 9),
			 0x6F91);
	/* Incremental use gives the same result. */
	fcs = mctp_serial_fcs(MCTP_SERIAL_FCS_INIT, check, 4);
	assert_int_equal(mctp_serial_fcs(fcs, check + 4, 5), 0x6F91);
	/* The header and pkt_plain: the FCS in frame_plain. */
	fcs = mctp_serial_fcs(MCTP_SERIAL_FCS_INIT, frame_plain + 1, 2);
	assert_int_equal(mctp_serial_fcs(fcs, pkt_plain, sizeof(pkt_plain)),
			 0xFA9B);
}

static void test_init(void **state)
{
	struct endpoint *ep = *state;
	struct mctp_serial *s = &ep->serial;
	static const struct mctp_serial_ops no_write = {.write = NULL};
	uint16_t want_max = MCTP_MAX_MTU < 251 ? MCTP_MAX_MTU : 251;

	assert_int_equal(mctp_serial_init(NULL, &line_ops, ep), -EINVAL);
	assert_int_equal(mctp_serial_init(s, NULL, ep), -EINVAL);
	assert_int_equal(mctp_serial_init(s, &no_write, ep), -EINVAL);

	assert_int_equal(mctp_serial_init(s, &line_ops, ep), 0);
	assert_non_null(s->binding.ops);
	assert_non_null(s->binding.ops->tx);
	assert_ptr_equal(s->binding.tx_pkt, s->tx_pkt);
	assert_int_equal(s->binding.max_mtu, want_max);
	assert_int_equal(s->binding.mtu, MCTP_BASELINE_MTU);
	assert_int_equal(s->counters.rx_frames, 0);
}

static int tx_pkt(struct endpoint *ep, const uint8_t *pkt, size_t len)
{
	struct mctp_binding *b = &ep->serial.binding;

	memcpy(b->tx_pkt, pkt, len);
	return b->ops->tx(b, len, MCTP_PHYS_ANY);
}

static void test_tx_plain(void **state)
{
	struct endpoint *ep = *state;

	assert_int_equal(tx_pkt(ep, pkt_plain, sizeof(pkt_plain)), 0);
	assert_int_equal(ep->line_len, sizeof(frame_plain));
	assert_memory_equal(ep->line, frame_plain, sizeof(frame_plain));
	/* Header, one unescaped run, trailer. */
	assert_int_equal(ep->writes, 3);
	assert_int_equal(ep->pieces[0], 3);
	assert_int_equal(ep->pieces[1], sizeof(pkt_plain));
	assert_int_equal(ep->pieces[2], 3);
	assert_int_equal(ep->serial.counters.tx_frames, 1);
	assert_int_equal(ep->serial.counters.tx_errors, 0);
}

static void test_tx_escaped(void **state)
{
	struct endpoint *ep = *state;
	static const size_t want[] = {3, 4, 2, 2, 2, 1, 3};

	assert_int_equal(tx_pkt(ep, pkt_escaped, sizeof(pkt_escaped)), 0);
	assert_int_equal(ep->line_len, sizeof(frame_escaped));
	assert_memory_equal(ep->line, frame_escaped, sizeof(frame_escaped));
	/* Runs straight from the packet and one write per escape pair: no
	 * frame-sized staging buffer. */
	assert_int_equal(ep->writes, 7);
	for (size_t i = 0; i < 7; i++)
		assert_int_equal(ep->pieces[i], want[i]);
}

static void test_tx_fcs_not_escaped(void **state)
{
	struct endpoint *ep = *state;

	assert_int_equal(tx_pkt(ep, pkt_fcs_flag, sizeof(pkt_fcs_flag)), 0);
	assert_int_equal(ep->line_len, sizeof(frame_fcs_flag));
	assert_memory_equal(ep->line, frame_fcs_flag, sizeof(frame_fcs_flag));
}

static void test_tx_bad_length(void **state)
{
	struct endpoint *ep = *state;
	struct mctp_binding *b = &ep->serial.binding;

	assert_int_equal(b->ops->tx(b, MCTP_HEADER_SIZE, MCTP_PHYS_ANY),
			 -EMSGSIZE);
	assert_int_equal(b->ops->tx(b, MCTP_HEADER_SIZE + b->max_mtu + 1u,
				    MCTP_PHYS_ANY),
			 -EMSGSIZE);
	assert_int_equal(ep->writes, 0);
	assert_int_equal(ep->serial.counters.tx_errors, 2);
	assert_int_equal(ep->serial.counters.tx_frames, 0);
}

/* The core's response to a received request comes out as golden bytes. */
static void test_tx_response_through_core(void **state)
{
	struct endpoint *b = &((struct endpoint *)*state)[1];

	b->sink.echo = true;
	rx(b, frame_plain, sizeof(frame_plain));
	assert_int_equal(b->sink.count, 1);
	assert_int_equal(b->sink.echo_result, 0);
	assert_int_equal(b->line_len, sizeof(frame_echo));
	assert_memory_equal(b->line, frame_echo, sizeof(frame_echo));
}

static void test_tx_write_error(void **state)
{
	struct endpoint *ep = *state;
	static const uint8_t msg[] = {0x01, 0x7E, 0x02};

	/* Header write fails. */
	ep->fail_at = 1;
	ep->fail_rc = -EIO;
	assert_int_equal(tx_pkt(ep, pkt_plain, sizeof(pkt_plain)), -EIO);
	assert_int_equal(ep->writes, 1);
	assert_int_equal(ep->serial.counters.tx_errors, 1);
	assert_int_equal(ep->serial.counters.tx_frames, 0);

	/* The first escape pair fails: nothing more is written. */
	ep->writes = 0;
	ep->line_len = 0;
	ep->fail_at = 3;
	ep->fail_rc = -EAGAIN;
	assert_int_equal(tx_pkt(ep, pkt_escaped, sizeof(pkt_escaped)), -EAGAIN);
	assert_int_equal(ep->writes, 3);
	assert_int_equal(ep->line_len, 3 + 4);
	assert_int_equal(ep->serial.counters.tx_errors, 2);

	/* The trailer of the first packet fails: the core passes the error
	 * on from mctp_request_tx(). */
	ep->writes = 0;
	ep->fail_at = 3;
	ep->fail_rc = -EIO;
	assert_int_equal(mctp_request_tx(&ep->mctp, EID_B, msg, sizeof(msg)),
			 -EIO);
	assert_int_equal(ep->writes, 3);
	assert_int_equal(ep->serial.counters.tx_errors, 3);
	assert_int_equal(ep->serial.counters.tx_frames, 0);

	/* A port that returns a byte count (write(2) style) has not failed. */
	ep->writes = 0;
	ep->fail_at = 1;
	ep->fail_rc = 3;
	assert_int_equal(tx_pkt(ep, pkt_plain, sizeof(pkt_plain)), 0);
	assert_int_equal(ep->writes, 3);
	assert_int_equal(ep->serial.counters.tx_frames, 1);
}

static void test_rx_golden(void **state)
{
	struct endpoint *ep = &((struct endpoint *)*state)[1];

	rx(ep, frame_plain, sizeof(frame_plain));
	assert_int_equal(ep->sink.count, 1);
	assert_msg(&ep->sink, 0, pkt_plain, sizeof(pkt_plain));
	assert_int_equal(ep->sink.msgs[0].info.type, MCTP_MSG_TYPE_PLDM);

	rx(ep, frame_escaped, sizeof(frame_escaped));
	assert_int_equal(ep->sink.count, 2);
	assert_msg(&ep->sink, 1, pkt_escaped, sizeof(pkt_escaped));
	assert_int_equal(ep->sink.msgs[1].info.type, MCTP_MSG_TYPE_VENDOR_PCI);

	rx(ep, frame_fcs_flag, sizeof(frame_fcs_flag));
	assert_int_equal(ep->sink.count, 3);
	assert_msg(&ep->sink, 2, pkt_fcs_flag, sizeof(pkt_fcs_flag));

	assert_int_equal(ep->serial.counters.rx_frames, 3);
	assert_rx_errors(ep->serial.counters, rx_garbage, 0);
	assert_int_equal(ep->serial.counters.rx_garbage, 0);
	assert_int_equal(mctp_get_counters(&ep->mctp)->rx_messages, 3);
}

static void test_rx_fcs_init_zero_rejected(void **state)
{
	struct endpoint *ep = &((struct endpoint *)*state)[1];

	rx(ep, frame_fcs_init0, sizeof(frame_fcs_init0));
	assert_int_equal(ep->sink.count, 0);
	assert_int_equal(ep->serial.counters.rx_frames, 0);
	assert_rx_errors(ep->serial.counters, rx_bad_fcs, 1);

	rx(ep, frame_plain, sizeof(frame_plain));
	assert_int_equal(ep->sink.count, 1);
}

/* A stream with garbage, back-to-back frames and one frame whose FCS holds
 * a flag value. */
static size_t build_stream(uint8_t *buf, size_t cap)
{
	static const uint8_t garbage[] = {0x00, 0x7D, 0x5E, 0xFF};
	static const uint8_t fill[] = {0x7E, 0x7E};
	const struct {
		const uint8_t *p;
		size_t n;
	} parts[] = {
		{garbage, sizeof(garbage)},
		{frame_plain, sizeof(frame_plain)},
		{frame_escaped, sizeof(frame_escaped)},
		{garbage, sizeof(garbage)},
		{frame_fcs_flag, sizeof(frame_fcs_flag)},
		{fill, sizeof(fill)},
		{frame_escaped, sizeof(frame_escaped)},
		{frame_plain, sizeof(frame_plain)},
	};
	size_t len = 0;

	for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
		assert_true(parts[i].n <= cap - len);
		memcpy(buf + len, parts[i].p, parts[i].n);
		len += parts[i].n;
	}
	return len;
}

static void assert_stream_result(const struct endpoint *ep)
{
	assert_int_equal(ep->sink.count, 5);
	assert_msg(&ep->sink, 0, pkt_plain, sizeof(pkt_plain));
	assert_msg(&ep->sink, 1, pkt_escaped, sizeof(pkt_escaped));
	assert_msg(&ep->sink, 2, pkt_fcs_flag, sizeof(pkt_fcs_flag));
	assert_msg(&ep->sink, 3, pkt_escaped, sizeof(pkt_escaped));
	assert_msg(&ep->sink, 4, pkt_plain, sizeof(pkt_plain));
	assert_int_equal(ep->serial.counters.rx_frames, 5);
	assert_int_equal(ep->serial.counters.rx_garbage, 8);
	assert_rx_errors(ep->serial.counters, rx_garbage, 0);
}

static void test_rx_chunking(void **state)
{
	struct endpoint *ep = &((struct endpoint *)*state)[1];
	uint8_t stream[256];
	size_t len = build_stream(stream, sizeof(stream));

	rx(ep, stream, len);
	assert_stream_result(ep);

	endpoint_init(ep, EID_B);
	for (size_t i = 0; i < len; i++)
		rx(ep, &stream[i], 1);
	assert_stream_result(ep);

	for (uint32_t seed = 1; seed <= 32; seed++) {
		endpoint_init(ep, EID_B);
		rx_chunked(ep, stream, len, seed * 0x9E3779B9u, 1 + seed % 20);
		assert_stream_result(ep);
	}
}

static void test_rx_truncated_then_good(void **state)
{
	struct endpoint *ep = &((struct endpoint *)*state)[1];

	/* Cut inside the packet: the next frame's opening flag aborts it. */
	rx(ep, frame_plain, 6);
	rx(ep, frame_escaped, sizeof(frame_escaped));
	assert_int_equal(ep->sink.count, 1);
	assert_msg(&ep->sink, 0, pkt_escaped, sizeof(pkt_escaped));
	assert_rx_errors(ep->serial.counters, rx_aborted, 1);

	/* Cut right after an escape byte: 7D 7E is an abort too. */
	rx(ep, frame_escaped, 8);
	rx(ep, frame_plain, sizeof(frame_plain));
	assert_int_equal(ep->sink.count, 2);
	assert_msg(&ep->sink, 1, pkt_plain, sizeof(pkt_plain));
	assert_rx_errors(ep->serial.counters, rx_aborted, 2);
	assert_int_equal(ep->serial.counters.rx_garbage, 0);
}

/* Bad revision 0x02 (FCS computed over it, so only the revision is bad). */
static const uint8_t frame_bad_revision[] = {
	0x7E, 0x02, 0x07, 0x01, 0x09, 0x08, 0xC8,
	0x01, 0x02, 0x03, 0x2C, 0x9C, 0x7E,
};
/* Byte counts 0 and 4 (header only), with their FCS. */
static const uint8_t frame_len0[] = {0x7E, 0x01, 0x00, 0xE9, 0x60, 0x7E};
static const uint8_t frame_len4[] = {
	0x7E, 0x01, 0x04, 0x01, 0x09, 0x08, 0xC8, 0x25, 0x6A, 0x7E,
};
/* 0x7D 0x41 inside the packet. */
static const uint8_t frame_bad_escape[] = {
	0x7E, 0x01, 0x07, 0x01, 0x09, 0x08, 0xC8,
	0x7D, 0x41, 0x02, 0x03, 0xFA, 0x9B, 0x7E,
};
/* frame_plain with 0x00 where the closing flag belongs. */
static const uint8_t frame_no_end[] = {
	0x7E, 0x01, 0x07, 0x01, 0x09, 0x08, 0xC8,
	0x01, 0x02, 0x03, 0xFA, 0x9B, 0x00,
};
/* frame_plain with the low FCS bit flipped. */
static const uint8_t frame_bad_fcs[] = {
	0x7E, 0x01, 0x07, 0x01, 0x09, 0x08, 0xC8,
	0x01, 0x02, 0x03, 0xFA, 0x9A, 0x7E,
};

#define ERROR_CASE(frame, counter)                                             \
	{                                                                      \
#frame, frame, sizeof(frame),                                  \
		{                                                              \
			.counter = 1                                           \
		}                                                              \
	}

static void test_rx_errors(void **state)
{
	struct endpoint *ep = &((struct endpoint *)*state)[1];
	const struct {
		const char *name;
		const uint8_t *frame;
		size_t len;
		struct mctp_serial_counters want;
	} cases[] = {
		ERROR_CASE(frame_bad_revision, rx_bad_revision),
		ERROR_CASE(frame_len0, rx_bad_length),
		ERROR_CASE(frame_len4, rx_bad_length),
		ERROR_CASE(frame_bad_escape, rx_bad_escape),
		ERROR_CASE(frame_no_end, rx_bad_end),
		ERROR_CASE(frame_bad_fcs, rx_bad_fcs),
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct mctp_serial_counters c;

		print_message("case %s\n", cases[i].name);
		endpoint_init(ep, EID_B);
		rx(ep, cases[i].frame, cases[i].len);
		assert_int_equal(ep->sink.count, 0);
		rx(ep, frame_plain, sizeof(frame_plain));
		assert_int_equal(ep->sink.count, 1);
		assert_msg(&ep->sink, 0, pkt_plain, sizeof(pkt_plain));

		c = ep->serial.counters;
		assert_int_equal(c.rx_frames, 1);
		c.rx_frames = 0;
		c.rx_garbage = 0;
		assert_memory_equal(&c, &cases[i].want, sizeof(c));
	}
}

static void test_rx_length_above_mtu(void **state)
{
	struct endpoint *ep = &((struct endpoint *)*state)[1];
	size_t count = MCTP_HEADER_SIZE + ep->serial.binding.max_mtu + 1u;
	uint8_t frame[3 + 255 + 3] = {0x7E, 0x01};

	if (count > 255)
		skip(); /* MCTP_MAX_MTU 251: every byte count fits */
	/* The packet bytes are zero and the FCS is irrelevant: the byte
	 * count alone must make the receiver drop it. */
	frame[2] = (uint8_t)count;
	frame[3 + count + 2] = 0x7E;
	rx(ep, frame, 3 + count + 3);
	rx(ep, frame_plain, sizeof(frame_plain));
	assert_int_equal(ep->sink.count, 1);
	assert_rx_errors(ep->serial.counters, rx_bad_length, 1);
	assert_int_equal(ep->serial.counters.rx_garbage, count + 2);

	/* One less is the largest packet and passes the length check (it then
	 * fails only on its made-up FCS). */
	endpoint_init(ep, EID_B);
	frame[2] = (uint8_t)(count - 1);
	frame[3 + count + 1] = 0x7E;
	rx(ep, frame, 3 + count + 2);
	assert_rx_errors(ep->serial.counters, rx_bad_fcs, 1);
}

/* A carries a message to B over the serial line and B's echo comes back. */
static void exchange(struct endpoint *a, struct endpoint *b, size_t len,
		     uint32_t seed)
{
	static uint8_t msg[MCTP_MAX_MESSAGE_SIZE];
	size_t mtu_a = a->serial.binding.mtu;
	uint32_t frames_a = a->serial.counters.tx_frames;
	uint32_t frames_b = b->serial.counters.rx_frames;
	int tag;

	msg[0] = MCTP_MSG_TYPE_VENDOR_IANA;
	/* Every byte value, so flags and escapes land all over the frames. */
	for (size_t i = 1; i < len; i++)
		msg[i] = (uint8_t)(i * 7u + 0x7Eu);

	a->line_len = 0;
	b->line_len = 0;
	b->sink.count = 0;
	a->sink.count = 0;
	b->sink.echo = true;

	tag = mctp_request_tx(&a->mctp, EID_B, msg, len);
	assert_true(tag >= 0);
	assert_int_equal(a->serial.counters.tx_frames - frames_a,
			 (len + mtu_a - 1) / mtu_a);
	/* The first frame is a full one, its byte count unescaped. */
	assert_int_equal(a->line[2],
			 MCTP_HEADER_SIZE + (len < mtu_a ? len : mtu_a));

	rx_chunked(b, a->line, a->line_len, seed, 97);
	assert_int_equal(b->serial.counters.rx_frames - frames_b,
			 (len + mtu_a - 1) / mtu_a);
	assert_int_equal(b->sink.count, 1);
	assert_int_equal(b->sink.last_len, len);
	assert_memory_equal(b->sink.last, msg, len);
	assert_int_equal(b->sink.msgs[0].info.tag, tag);

	assert_int_equal(b->sink.echo_result, 0);
	rx_chunked(a, b->line, b->line_len, seed + 1, 13);
	assert_int_equal(a->sink.count, 1);
	assert_int_equal(a->sink.last_len, len);
	assert_memory_equal(a->sink.last, msg, len);
	assert_false(a->sink.msgs[0].info.tag_owner);
}

static void test_multi_packet(void **state)
{
	struct endpoint *a = &((struct endpoint *)*state)[0];
	struct endpoint *b = &((struct endpoint *)*state)[1];
	size_t big = MCTP_MAX_MESSAGE_SIZE < 1000 ? MCTP_MAX_MESSAGE_SIZE
						  : 1000;
	uint16_t max = a->serial.binding.max_mtu;

	exchange(a, b, 1, 1);
	exchange(a, b, MCTP_BASELINE_MTU, 2);
	exchange(a, b, MCTP_BASELINE_MTU + 1, 3);
	exchange(a, b, big, 4);

	/* The largest transmission unit the byte count allows (251 when
	 * MCTP_MAX_MTU permits; the build's maximum otherwise). */
	assert_int_equal(mctp_binding_set_mtu(&a->serial.binding,
					      (uint16_t)(max + 1)),
			 -EINVAL);
	assert_int_equal(mctp_binding_set_mtu(&a->serial.binding, max), 0);
	assert_int_equal(mctp_binding_set_mtu(&b->serial.binding, max), 0);
	exchange(a, b, max, 5);
	/* A byte count of 0x7E (122 payload bytes) is a count, not a flag:
	 * the header is never escaped. */
	exchange(a, b, 0x7E - MCTP_HEADER_SIZE, 8);
	exchange(a, b, max + 1u, 6);
	exchange(a, b, big, 7);
	assert_int_equal(a->serial.counters.tx_errors, 0);
	assert_rx_errors(a->serial.counters, rx_garbage, 0);
	assert_rx_errors(b->serial.counters, rx_garbage, 0);
	assert_int_equal(a->serial.counters.rx_garbage, 0);
	assert_int_equal(b->serial.counters.rx_garbage, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_fcs_check_value, setup),
		cmocka_unit_test_setup(test_init, setup),
		cmocka_unit_test_setup(test_tx_plain, setup),
		cmocka_unit_test_setup(test_tx_escaped, setup),
		cmocka_unit_test_setup(test_tx_fcs_not_escaped, setup),
		cmocka_unit_test_setup(test_tx_bad_length, setup),
		cmocka_unit_test_setup(test_tx_response_through_core, setup),
		cmocka_unit_test_setup(test_tx_write_error, setup),
		cmocka_unit_test_setup(test_rx_golden, setup),
		cmocka_unit_test_setup(test_rx_fcs_init_zero_rejected, setup),
		cmocka_unit_test_setup(test_rx_chunking, setup),
		cmocka_unit_test_setup(test_rx_truncated_then_good, setup),
		cmocka_unit_test_setup(test_rx_errors, setup),
		cmocka_unit_test_setup(test_rx_length_above_mtu, setup),
		cmocka_unit_test_setup(test_multi_packet, setup),
	};

	return cmocka_run_group_tests_name("serial", tests, NULL, NULL);
}
