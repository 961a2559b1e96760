/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Serial binding (DMTF DSP0253).
 *
 * Frame: 0x7E | revision 0x01 | byte_count | packet (escaped) | FCS hi |
 *        FCS lo | 0x7E
 *
 * byte_count is the length of the unescaped MCTP packet. Inside the packet
 * 0x7E and 0x7D are sent as 0x7D followed by the byte XOR 0x20; the
 * revision, byte count and FCS are sent as they are (as Linux, openbmc
 * libmctp and mctp-rs do). The FCS is the CRC-16 of RFC 1662's table
 * (reflected polynomial 0x8408, initial value 0xFFFF) WITHOUT the final
 * complement, over revision, byte count and the unescaped packet, sent high
 * byte first.
 *
 * The receiver is a byte-stream state machine: the port pushes whatever
 * chunks arrive; it resynchronises on the next 0x7E after any error.
 */
#ifndef MCTP_SERIAL_H
#define MCTP_SERIAL_H

#include <stddef.h>
#include <stdint.h>

#include "mctp/mctp.h"

#ifdef __cplusplus
extern "C" {
#endif

#define MCTP_SERIAL_FLAG 0x7Eu
#define MCTP_SERIAL_ESCAPE 0x7Du
#define MCTP_SERIAL_REVISION 0x01u
#define MCTP_SERIAL_FCS_INIT 0xFFFFu
/* byte_count is one byte: at most 255 - 4 payload bytes. */
#define MCTP_SERIAL_MAX_MTU 251u
#define MCTP_SERIAL_PKT_MAX                                                    \
	(MCTP_HEADER_SIZE + (MCTP_MAX_MTU < MCTP_SERIAL_MAX_MTU                \
				     ? MCTP_MAX_MTU                            \
				     : MCTP_SERIAL_MAX_MTU))

/**
 * Bus operations (const, may live in ROM).
 * write: send @len bytes on the line. Called several times per frame with
 *     consecutive pieces of it. Returns 0 once all bytes are accepted, or a
 *     negative errno (the frame is then abandoned).
 */
struct mctp_serial_ops {
	int (*write)(void *ctx, const uint8_t *buf, size_t len);
};

struct mctp_serial_counters {
	uint32_t rx_frames; /* good frames handed to the core */
	uint32_t rx_bad_fcs;
	uint32_t rx_bad_revision;
	uint32_t rx_bad_length; /* byte count too small or above the MTU */
	uint32_t rx_bad_escape; /* 0x7D followed by something other than 0x5D/0x5E */
	uint32_t rx_bad_end; /* no closing flag where one was due */
	uint32_t rx_aborted; /* frame cut short by a flag (or 0x7D 0x7E) */
	uint32_t rx_garbage; /* bytes skipped while looking for a flag */
	uint32_t tx_frames;
	uint32_t tx_errors;
};

struct mctp_serial {
	struct mctp_binding binding; /* first */
	const struct mctp_serial_ops *ops;
	void *ctx;
	struct mctp_serial_counters counters;
	uint8_t rx_state;
	uint8_t rx_count; /* byte count of the frame being received */
	uint16_t rx_pos;
	uint16_t rx_fcs;    /* running FCS */
	uint16_t rx_fcs_rx; /* FCS read from the frame */
	uint8_t rx_pkt[MCTP_SERIAL_PKT_MAX];
	uint8_t tx_pkt[MCTP_SERIAL_PKT_MAX];
};

/**
 * Initialise @serial with its bus ops. Then attach it with
 * mctp_bus_register(). Returns 0 or -EINVAL (NULL pointers, no write op).
 */
int mctp_serial_init(struct mctp_serial *serial,
		     const struct mctp_serial_ops *ops, void *ctx);

/**
 * Bytes received from the line, in any chunking. Complete good frames are
 * handed to the core during the call. Never fails: bad frames are counted
 * and dropped.
 */
void mctp_serial_rx(struct mctp_serial *serial, const uint8_t *buf, size_t len);

/** DSP0253 FCS: CRC-16 (reflected 0x8408) from @fcs over @len bytes, no
 * final complement. Start with MCTP_SERIAL_FCS_INIT. */
uint16_t mctp_serial_fcs(uint16_t fcs, const uint8_t *data, size_t len);

#ifdef __cplusplus
}
#endif

#endif /* MCTP_SERIAL_H */
