/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Two libmctp stacks in one process exchange a request and its echoed
 * response of every size from 1 byte to MCTP_MAX_MESSAGE_SIZE, over the
 * real SMBus (DSP0237) and serial (DSP0253) bindings, at the 64-byte
 * baseline MTU and at the binding maximum. Every byte must arrive and no
 * counter may show a drop.
 *
 * The frames are also checked on the wire with checksums computed here bit
 * by bit from their definitions (not with the bindings' own functions):
 *   SMBus PEC: CRC-8, poly x^8+x^2+x+1 (0x07), init 0, MSB first;
 *     catalogue check value CRC-8/SMBUS("123456789") = 0xF4.
 *   Serial FCS: CRC-16, reflected poly 0x8408, init 0xFFFF, no final
 *     complement (CRC-16/MCRF4XX); check value ("123456789") = 0x6F91.
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
#include "mctp/serial.h"
#include "mctp/smbus.h"

#define A_EID 0x08u
#define B_EID 0x09u
#define A_ADDR 0x10u
#define B_ADDR 0x20u

#define MAX_PKTS (MCTP_MAX_MESSAGE_SIZE / MCTP_BASELINE_MTU + 2)

static uint8_t ref_crc8(uint8_t crc, const uint8_t *d, size_t n)
{
	size_t i;
	int bit;

	for (i = 0; i < n; i++) {
		crc ^= d[i];
		for (bit = 0; bit < 8; bit++)
			crc = (uint8_t)(crc & 0x80 ? (crc << 1) ^ 0x07
						   : crc << 1);
	}
	return crc;
}

static uint16_t ref_crc16(uint16_t crc, const uint8_t *d, size_t n)
{
	size_t i;
	int bit;

	for (i = 0; i < n; i++) {
		crc ^= d[i];
		for (bit = 0; bit < 8; bit++)
			crc = (uint16_t)(crc & 1 ? (crc >> 1) ^ 0x8408
						 : crc >> 1);
	}
	return crc;
}

struct frame_queue {
	size_t count;
	int error;
	size_t len[MAX_PKTS];
	uint8_t frame[MAX_PKTS][MCTP_SMBUS_FRAME_MAX];
};

/* Worst case: every packet byte escaped, plus framing, per packet. */
#define STREAM_MAX (2 * MCTP_MAX_MESSAGE_SIZE + 16 * MAX_PKTS)

struct byte_stream {
	size_t len;
	int error;
	uint8_t data[STREAM_MAX];
};

struct side {
	struct mctp mctp;
	struct mctp_smbus smbus;
	struct mctp_serial serial;
	struct frame_queue frames;
	struct byte_stream stream;
	struct harness_sink sink;
};

struct fixture {
	struct side a, b;
	uint8_t msg[MCTP_MAX_MESSAGE_SIZE];
};

static struct fixture fixture_storage;

static int smbus_tx(void *ctx, const uint8_t *frame, size_t len)
{
	struct frame_queue *q = ctx;

	if (q->count >= MAX_PKTS || len > MCTP_SMBUS_FRAME_MAX) {
		q->error = -ENOBUFS;
		return -ENOBUFS;
	}
	memcpy(q->frame[q->count], frame, len);
	q->len[q->count++] = len;
	return 0;
}

static const struct mctp_smbus_ops smbus_ops = {.tx = smbus_tx};

static int serial_write(void *ctx, const uint8_t *buf, size_t len)
{
	struct byte_stream *s = ctx;

	if (len > sizeof(s->data) - s->len) {
		s->error = -ENOBUFS;
		return -ENOBUFS;
	}
	memcpy(s->data + s->len, buf, len);
	s->len += len;
	return 0;
}

static const struct mctp_serial_ops serial_ops = {.write = serial_write};

static void init_side(struct side *s, uint8_t eid, bool smbus, uint8_t addr)
{
	memset(s, 0, sizeof(*s));
	assert_int_equal(mctp_init(&s->mctp,
				   &(struct mctp_config){
					   .eid = eid,
				   }),
			 0);
	if (smbus) {
		assert_int_equal(mctp_smbus_init(&s->smbus, &smbus_ops,
						 &s->frames, addr),
				 0);
		assert_int_equal(mctp_bus_register(&s->mctp, &s->smbus.binding),
				 0);
	} else {
		assert_int_equal(mctp_serial_init(&s->serial, &serial_ops,
						  &s->stream),
				 0);
		assert_int_equal(
			mctp_bus_register(&s->mctp, &s->serial.binding), 0);
	}
	assert_int_equal(mctp_register_handler(&s->mctp, MCTP_MSG_TYPE_PLDM,
					       &harness_sink_ops, &s->sink),
			 0);
}

static int setup_smbus(void **state)
{
	struct fixture *f = &fixture_storage;

	init_side(&f->a, A_EID, true, A_ADDR);
	init_side(&f->b, B_EID, true, B_ADDR);
	assert_int_equal(mctp_smbus_set_neighbour(&f->a.smbus, B_EID, B_ADDR),
			 0);
	assert_int_equal(mctp_smbus_set_neighbour(&f->b.smbus, A_EID, A_ADDR),
			 0);
	f->b.sink.echo = true;
	*state = f;
	return 0;
}

static int setup_serial(void **state)
{
	struct fixture *f = &fixture_storage;

	init_side(&f->a, A_EID, false, 0);
	init_side(&f->b, B_EID, false, 0);
	f->b.sink.echo = true;
	*state = f;
	return 0;
}

static void fill(uint8_t *msg, size_t len)
{
	size_t i;

	/* Covers every byte value, the serial flag and escape included. */
	for (i = 0; i < len; i++)
		msg[i] = (uint8_t)(len * 3u + i * 7u);
	msg[0] = MCTP_MSG_TYPE_PLDM;
}

/* ---- SMBus ---- */

/* Check each queued frame on the wire, then hand it to @to. */
static void smbus_deliver(struct side *from, struct side *to, uint8_t dest_addr,
			  uint8_t src_addr, size_t want_frames, size_t mtu,
			  size_t msg_len)
{
	struct frame_queue *q = &from->frames;
	size_t i;

	assert_int_equal(q->error, 0);
	assert_int_equal(q->count, want_frames);
	for (i = 0; i < q->count; i++) {
		const uint8_t *fr = q->frame[i];
		size_t len = q->len[i];
		size_t payload = i + 1 < q->count ? mtu : msg_len - i * mtu;

		assert_int_equal(len, MCTP_SMBUS_FRAME_OVERHEAD +
					      MCTP_HEADER_SIZE + payload);
		assert_int_equal(fr[0], dest_addr << 1);
		assert_int_equal(fr[1], MCTP_SMBUS_COMMAND_CODE);
		/* Source address byte, header and payload. */
		assert_int_equal(fr[2], 1 + MCTP_HEADER_SIZE + payload);
		assert_int_equal(fr[3], (src_addr << 1) | 1);
		assert_int_equal(fr[len - 1], ref_crc8(0, fr, len - 1));
		assert_int_equal(mctp_smbus_rx(&to->smbus, fr, len), 0);
	}
	q->count = 0;
}

static void smbus_exchange_all(struct fixture *f, uint16_t mtu)
{
	size_t len;

	for (len = 1; len <= MCTP_MAX_MESSAGE_SIZE; len++) {
		size_t n = (len + mtu - 1) / mtu;
		int tag;

		fill(f->msg, len);
		tag = mctp_request_tx(&f->a.mctp, B_EID, f->msg, len);
		assert_in_range(tag, 0, 7);
		smbus_deliver(&f->a, &f->b, B_ADDR, A_ADDR, n, mtu, len);
		assert_int_equal(f->b.sink.last_len, len);
		assert_memory_equal(f->b.sink.last, f->msg, len);
		assert_int_equal(f->b.sink.echo_result, 0);
		smbus_deliver(&f->b, &f->a, A_ADDR, B_ADDR, n, mtu, len);
		assert_int_equal(f->a.sink.last_len, len);
		assert_memory_equal(f->a.sink.last, f->msg, len);
		assert_int_equal(f->a.sink.count, len);
	}
}

static void check_clean(struct side *s, bool smbus)
{
	const struct mctp_counters *c = mctp_get_counters(&s->mctp);
	struct mctp_counters want = *c;

	want.tx_errors = 0;
	want.forwarded = 0;
	want.rx_drop_short = 0;
	want.rx_drop_version = 0;
	want.rx_drop_src_eid = 0;
	want.rx_drop_not_ours = 0;
	want.rx_drop_route = 0;
	want.rx_drop_no_som = 0;
	want.rx_drop_seq = 0;
	want.rx_drop_size = 0;
	want.rx_drop_too_large = 0;
	want.rx_drop_no_context = 0;
	want.rx_drop_restarted = 0;
	want.rx_drop_timeout = 0;
	want.rx_drop_no_handler = 0;
	want.rx_drop_unexpected = 0;
	want.tag_timeouts = 0;
	want.rx_messages = MCTP_MAX_MESSAGE_SIZE;
	want.tx_messages = MCTP_MAX_MESSAGE_SIZE;
	want.rx_packets = c->tx_packets; /* the echo is the same size */
	assert_int_equal(harness_counters_check(c, &want), 0);
	if (smbus) {
		const struct mctp_smbus_counters *sc = &s->smbus.counters;

		assert_int_equal(sc->rx_bad_pec + sc->rx_bad_length +
					 sc->rx_bad_command +
					 sc->rx_bad_address + sc->tx_errors +
					 sc->tx_no_address,
				 0);
		assert_int_equal(sc->rx_frames, c->rx_packets);
		assert_int_equal(sc->tx_frames, c->tx_packets);
	} else {
		const struct mctp_serial_counters *sc = &s->serial.counters;

		assert_int_equal(sc->rx_bad_fcs + sc->rx_bad_revision +
					 sc->rx_bad_length + sc->rx_bad_escape +
					 sc->rx_bad_end + sc->rx_aborted +
					 sc->rx_garbage + sc->tx_errors,
				 0);
		assert_int_equal(sc->rx_frames, c->rx_packets);
		assert_int_equal(sc->tx_frames, c->tx_packets);
	}
}

static void test_checksum_references(void **state)
{
	static const uint8_t check[] = "123456789";

	(void)state;
	/* The bit-by-bit references against the catalogue values first. */
	assert_int_equal(ref_crc8(0, check, 9), 0xF4);
	assert_int_equal(ref_crc16(0xFFFF, check, 9), 0x6F91);
	assert_int_equal(mctp_smbus_pec(0, check, 9), 0xF4);
	assert_int_equal(mctp_serial_fcs(MCTP_SERIAL_FCS_INIT, check, 9),
			 0x6F91);
}

static void test_smbus_baseline(void **state)
{
	struct fixture *f = *state;

	smbus_exchange_all(f, MCTP_BASELINE_MTU);
	check_clean(&f->a, true);
	check_clean(&f->b, true);
}

static void test_smbus_max_mtu(void **state)
{
	struct fixture *f = *state;
	uint16_t mtu = f->a.smbus.binding.max_mtu;

	assert_int_equal(mtu, MCTP_MAX_MTU < MCTP_SMBUS_MAX_MTU
				      ? MCTP_MAX_MTU
				      : MCTP_SMBUS_MAX_MTU);
	assert_int_equal(mctp_binding_set_mtu(&f->a.smbus.binding, mtu), 0);
	assert_int_equal(mctp_binding_set_mtu(&f->b.smbus.binding, mtu), 0);
	smbus_exchange_all(f, mtu);
	check_clean(&f->a, true);
	check_clean(&f->b, true);
}

/* ---- serial ---- */

/*
 * Parse the byte stream as DSP0253 frames (flag, revision, byte count,
 * escaped packet, FCS high, FCS low, flag), check each FCS with the
 * reference CRC and each packet's length. Returns the number of frames.
 */
static size_t serial_parse(const struct byte_stream *s, size_t mtu,
			   size_t msg_len)
{
	size_t pos = 0, frames = 0, total = 0;

	while (pos < s->len) {
		uint8_t pkt[2 + 256];
		size_t count, n = 0;
		uint16_t fcs;

		assert_int_equal(s->data[pos++], MCTP_SERIAL_FLAG);
		assert_true(pos + 2 <= s->len);
		pkt[n++] = s->data[pos++];
		assert_int_equal(pkt[0], MCTP_SERIAL_REVISION);
		count = s->data[pos];
		pkt[n++] = s->data[pos++];
		while (n < 2 + count) {
			uint8_t c;

			assert_true(pos < s->len);
			c = s->data[pos++];
			assert_int_not_equal(c, MCTP_SERIAL_FLAG);
			if (c == MCTP_SERIAL_ESCAPE) {
				assert_true(pos < s->len);
				c = (uint8_t)(s->data[pos++] ^ 0x20);
				assert_true(c == 0x7E || c == 0x7D);
			}
			pkt[n++] = c;
		}
		assert_true(pos + 3 <= s->len);
		fcs = (uint16_t)(s->data[pos] << 8 | s->data[pos + 1]);
		pos += 2;
		assert_int_equal(fcs, ref_crc16(0xFFFF, pkt, n));
		assert_int_equal(s->data[pos++], MCTP_SERIAL_FLAG);
		assert_true(count > MCTP_HEADER_SIZE);
		assert_true(count - MCTP_HEADER_SIZE <= mtu);
		total += count - MCTP_HEADER_SIZE;
		frames++;
	}
	assert_int_equal(total, msg_len);
	return frames;
}

/* Feed the stream to @to in pieces of changing size. */
static void serial_feed(struct byte_stream *s, struct side *to)
{
	static const size_t chunks[] = {1, 2, 3, 5, 8, 13, 64, 255, 1000};
	static size_t next;
	size_t pos = 0;

	assert_int_equal(s->error, 0);
	while (pos < s->len) {
		size_t n =
			chunks[next++ % (sizeof(chunks) / sizeof(chunks[0]))];

		if (n > s->len - pos)
			n = s->len - pos;
		mctp_serial_rx(&to->serial, s->data + pos, n);
		pos += n;
	}
	s->len = 0;
}

static void serial_exchange_all(struct fixture *f, uint16_t mtu)
{
	size_t len;

	for (len = 1; len <= MCTP_MAX_MESSAGE_SIZE; len++) {
		size_t n = (len + mtu - 1) / mtu;
		int tag;

		fill(f->msg, len);
		tag = mctp_request_tx(&f->a.mctp, B_EID, f->msg, len);
		assert_in_range(tag, 0, 7);
		assert_int_equal(serial_parse(&f->a.stream, mtu, len), n);
		serial_feed(&f->a.stream, &f->b);
		assert_int_equal(f->b.sink.last_len, len);
		assert_memory_equal(f->b.sink.last, f->msg, len);
		assert_int_equal(f->b.sink.echo_result, 0);
		assert_int_equal(serial_parse(&f->b.stream, mtu, len), n);
		serial_feed(&f->b.stream, &f->a);
		assert_int_equal(f->a.sink.last_len, len);
		assert_memory_equal(f->a.sink.last, f->msg, len);
		assert_int_equal(f->a.sink.count, len);
	}
}

static void test_serial_baseline(void **state)
{
	struct fixture *f = *state;

	serial_exchange_all(f, MCTP_BASELINE_MTU);
	check_clean(&f->a, false);
	check_clean(&f->b, false);
}

static void test_serial_max_mtu(void **state)
{
	struct fixture *f = *state;
	uint16_t mtu = f->a.serial.binding.max_mtu;

	assert_int_equal(mtu, MCTP_MAX_MTU < MCTP_SERIAL_MAX_MTU
				      ? MCTP_MAX_MTU
				      : MCTP_SERIAL_MAX_MTU);
	assert_int_equal(mctp_binding_set_mtu(&f->a.serial.binding, mtu), 0);
	assert_int_equal(mctp_binding_set_mtu(&f->b.serial.binding, mtu), 0);
	serial_exchange_all(f, mtu);
	check_clean(&f->a, false);
	check_clean(&f->b, false);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_checksum_references),
		cmocka_unit_test_setup(test_smbus_baseline, setup_smbus),
		cmocka_unit_test_setup(test_smbus_max_mtu, setup_smbus),
		cmocka_unit_test_setup(test_serial_baseline, setup_serial),
		cmocka_unit_test_setup(test_serial_max_mtu, setup_serial),
	};

	return cmocka_run_group_tests_name("mctp-exchange", tests, NULL, NULL);
}
