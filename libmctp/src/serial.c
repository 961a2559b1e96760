/* SPDX-License-Identifier: Apache-2.0 */
/*
 * MCTP serial binding (DMTF DSP0253): HDLC-like framing with byte stuffing
 * inside the packet and an FCS-16 per frame. See mctp/serial.h for the
 * frame layout.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "mctp/serial.h"

#include "codec.h"

#define SERIAL_ESCAPE_XOR 0x20u
/* Reflected form of x^16 + x^12 + x^5 + 1 (RFC 1662). */
#define SERIAL_FCS_POLY 0x8408u

/* revision + byte count before the packet; FCS + closing flag after it. */
#define SERIAL_HEAD_LEN 3u
#define SERIAL_TAIL_LEN 3u

enum serial_rx_state {
	SERIAL_RX_SYNC,     /* looking for an opening flag */
	SERIAL_RX_REVISION, /* after a flag */
	SERIAL_RX_COUNT,
	SERIAL_RX_DATA,
	SERIAL_RX_ESCAPE, /* after 0x7D inside the packet */
	SERIAL_RX_FCS_HIGH,
	SERIAL_RX_FCS_LOW,
	SERIAL_RX_END, /* the closing flag is due */
};

/*
 * Bitwise rather than table-driven: serial links run at UART speeds, so the
 * eight shifts per byte cost nothing that matters, while RFC 1662's
 * 512-byte table would be a large share of the library's size budget.
 */
static uint16_t fcs_byte(uint16_t fcs, uint8_t c)
{
	unsigned int i;

	fcs ^= c;
	for (i = 0; i < 8; i++)
		fcs = (uint16_t)((fcs & 1u) ? (fcs >> 1) ^ SERIAL_FCS_POLY
					    : fcs >> 1);
	return fcs;
}

uint16_t mctp_serial_fcs(uint16_t fcs, const uint8_t *data, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		fcs = fcs_byte(fcs, data[i]);
	return fcs;
}

static struct mctp_serial *to_serial(struct mctp_binding *binding)
{
	/* binding is the first member (serial.h), so both share an address
	 * and, both holding pointers, an alignment. */
	return (struct mctp_serial *)binding;
}

static int serial_write(struct mctp_serial *serial, const uint8_t *buf,
			size_t len)
{
	int rc = serial->ops->write(serial->ctx, buf, len);

	/* The op returns 0 or -errno; a positive value is not an error code
	 * the core could pass on, so it counts as success. */
	return rc < 0 ? rc : 0;
}

/*
 * Escaping is done on the fly: unescaped runs go out straight from tx_pkt
 * and each escape pair from a two-byte local, so no second, frame-sized
 * buffer is needed.
 */
static int serial_tx_frame(struct mctp_serial *serial, const uint8_t *pkt,
			   size_t len)
{
	uint8_t head[SERIAL_HEAD_LEN];
	uint8_t tail[SERIAL_TAIL_LEN];
	uint8_t pair[2];
	uint16_t fcs;
	size_t run = 0;
	size_t i;
	int rc;

	head[0] = MCTP_SERIAL_FLAG;
	head[1] = MCTP_SERIAL_REVISION;
	head[2] = (uint8_t)len;
	fcs = mctp_serial_fcs(MCTP_SERIAL_FCS_INIT, &head[1], 2);
	fcs = mctp_serial_fcs(fcs, pkt, len);

	rc = serial_write(serial, head, sizeof(head));
	for (i = 0; i < len && !rc; i++) {
		if (pkt[i] != MCTP_SERIAL_FLAG && pkt[i] != MCTP_SERIAL_ESCAPE)
			continue;
		if (i > run)
			rc = serial_write(serial, &pkt[run], i - run);
		if (!rc) {
			pair[0] = MCTP_SERIAL_ESCAPE;
			pair[1] = (uint8_t)(pkt[i] ^ SERIAL_ESCAPE_XOR);
			rc = serial_write(serial, pair, sizeof(pair));
		}
		run = i + 1;
	}
	if (!rc && len > run)
		rc = serial_write(serial, &pkt[run], len - run);
	if (!rc) {
		/* Header and FCS are sent unescaped, as every deployed
		 * implementation does. */
		tail[0] = (uint8_t)(fcs >> 8);
		tail[1] = (uint8_t)fcs;
		tail[2] = MCTP_SERIAL_FLAG;
		rc = serial_write(serial, tail, sizeof(tail));
	}
	return rc;
}

static int serial_tx(struct mctp_binding *binding, size_t len, uint8_t phys)
{
	struct mctp_serial *serial = to_serial(binding);
	int rc;

	(void)phys; /* point to point: there is no address */
	if (len <= MCTP_HEADER_SIZE ||
	    len > MCTP_HEADER_SIZE + (size_t)binding->max_mtu ||
	    len > sizeof(serial->tx_pkt)) {
		serial->counters.tx_errors++;
		return -EMSGSIZE;
	}
	rc = serial_tx_frame(serial, serial->tx_pkt, len);
	if (rc) {
		serial->counters.tx_errors++;
		return rc;
	}
	serial->counters.tx_frames++;
	return 0;
}

static const struct mctp_binding_ops serial_binding_ops = {
	.tx = serial_tx,
};

int mctp_serial_init(struct mctp_serial *serial,
		     const struct mctp_serial_ops *ops, void *ctx)
{
	if (!serial || !ops || !ops->write)
		return -EINVAL;
	memset(serial, 0, sizeof(*serial));
	serial->binding.ops = &serial_binding_ops;
	serial->binding.tx_pkt = serial->tx_pkt;
	serial->binding.max_mtu =
		(uint16_t)(sizeof(serial->tx_pkt) - MCTP_HEADER_SIZE);
	serial->binding.mtu = MCTP_BASELINE_MTU;
	serial->ops = ops;
	serial->ctx = ctx;
	serial->rx_state = SERIAL_RX_SYNC;
	return 0;
}

/* Largest byte count we accept: the binding's MTU, capped by the buffer in
 * case a caller raised max_mtu behind our back. */
static size_t serial_rx_limit(const struct mctp_serial *serial)
{
	size_t limit = MCTP_HEADER_SIZE + (size_t)serial->binding.max_mtu;

	return limit < sizeof(serial->rx_pkt) ? limit : sizeof(serial->rx_pkt);
}

static void serial_rx_store(struct mctp_serial *serial, uint8_t c)
{
	/* rx_count was checked against the buffer in SERIAL_RX_COUNT and
	 * rx_pos stops at rx_count; this keeps the store safe on its own. */
	if (serial->rx_pos >= sizeof(serial->rx_pkt)) {
		serial->rx_state = SERIAL_RX_SYNC;
		return;
	}
	serial->rx_pkt[serial->rx_pos++] = c;
	serial->rx_fcs = fcs_byte(serial->rx_fcs, c);
	if (serial->rx_pos == serial->rx_count)
		serial->rx_state = SERIAL_RX_FCS_HIGH;
}

static void serial_rx_end(struct mctp_serial *serial)
{
	serial->rx_state = SERIAL_RX_SYNC;
	if (serial->rx_fcs != serial->rx_fcs_rx) {
		serial->counters.rx_bad_fcs++;
		return;
	}
	serial->counters.rx_frames++;
	mctp_bus_rx(&serial->binding, serial->rx_pkt, serial->rx_count);
}

static void serial_rx_byte(struct mctp_serial *serial, uint8_t c)
{
	switch (serial->rx_state) {
	case SERIAL_RX_SYNC:
		if (c == MCTP_SERIAL_FLAG)
			serial->rx_state = SERIAL_RX_REVISION;
		else
			serial->counters.rx_garbage++;
		break;
	case SERIAL_RX_REVISION:
		/* A second flag: the closing flag of the previous frame
		 * followed by our opening one, or idle fill. */
		if (c == MCTP_SERIAL_FLAG)
			break;
		if (c != MCTP_SERIAL_REVISION) {
			serial->counters.rx_bad_revision++;
			serial->rx_state = SERIAL_RX_SYNC;
			break;
		}
		serial->rx_fcs = fcs_byte(MCTP_SERIAL_FCS_INIT, c);
		serial->rx_state = SERIAL_RX_COUNT;
		break;
	case SERIAL_RX_COUNT:
		/* A packet carries the header and at least one byte. The
		 * count is never escaped, so even 0x7E here is a count. */
		if (c <= MCTP_HEADER_SIZE || c > serial_rx_limit(serial)) {
			serial->counters.rx_bad_length++;
			serial->rx_state = SERIAL_RX_SYNC;
			break;
		}
		serial->rx_count = c;
		serial->rx_pos = 0;
		serial->rx_fcs = fcs_byte(serial->rx_fcs, c);
		serial->rx_state = SERIAL_RX_DATA;
		break;
	case SERIAL_RX_DATA:
		if (c == MCTP_SERIAL_FLAG) {
			serial->counters.rx_aborted++;
			serial->rx_state = SERIAL_RX_REVISION;
		} else if (c == MCTP_SERIAL_ESCAPE) {
			serial->rx_state = SERIAL_RX_ESCAPE;
		} else {
			serial_rx_store(serial, c);
		}
		break;
	case SERIAL_RX_ESCAPE:
		if (c == (MCTP_SERIAL_FLAG ^ SERIAL_ESCAPE_XOR) ||
		    c == (MCTP_SERIAL_ESCAPE ^ SERIAL_ESCAPE_XOR)) {
			serial->rx_state = SERIAL_RX_DATA;
			serial_rx_store(serial,
					(uint8_t)(c ^ SERIAL_ESCAPE_XOR));
		} else if (c == MCTP_SERIAL_FLAG) {
			/* 0x7D 0x7E is RFC 1662's abort sequence. */
			serial->counters.rx_aborted++;
			serial->rx_state = SERIAL_RX_REVISION;
		} else {
			serial->counters.rx_bad_escape++;
			serial->rx_state = SERIAL_RX_SYNC;
		}
		break;
	case SERIAL_RX_FCS_HIGH:
		/* Raw byte: 0x7E here is FCS, not a flag. */
		serial->rx_fcs_rx = (uint16_t)(c << 8);
		serial->rx_state = SERIAL_RX_FCS_LOW;
		break;
	case SERIAL_RX_FCS_LOW:
		serial->rx_fcs_rx = (uint16_t)(serial->rx_fcs_rx | c);
		serial->rx_state = SERIAL_RX_END;
		break;
	case SERIAL_RX_END:
		if (c == MCTP_SERIAL_FLAG) {
			serial_rx_end(serial);
		} else {
			serial->counters.rx_bad_end++;
			serial->rx_state = SERIAL_RX_SYNC;
		}
		break;
	default:
		/* Only reachable if the struct was corrupted. */
		serial->rx_state = SERIAL_RX_SYNC;
		break;
	}
}

void mctp_serial_rx(struct mctp_serial *serial, const uint8_t *buf, size_t len)
{
	struct mctp_reader r;

	if (!serial || !buf)
		return;
	mctp_reader_init(&r, buf, len);
	while (mctp_reader_left(&r))
		serial_rx_byte(serial, mctp_read_u8(&r));
}
