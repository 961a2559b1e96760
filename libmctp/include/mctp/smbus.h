/* SPDX-License-Identifier: Apache-2.0 */
/*
 * SMBus/I2C binding (DMTF DSP0237).
 *
 * Frame on the wire (every byte covered by the PEC except the PEC itself):
 *
 *   dest_addr<<1 | 0 | 0x0F | byte_count | src_addr<<1 | 1 | MCTP packet | PEC
 *
 * byte_count counts the source address byte, the MCTP header and the
 * payload (not the PEC): at most 255, so at most 250 payload bytes. The PEC
 * is the SMBus CRC-8 (polynomial x^8 + x^2 + x + 1, initial 0) over every
 * byte from the destination address byte on.
 *
 * The port hands every received frame to mctp_smbus_rx() starting with the
 * destination address byte (a target-mode controller that strips it must
 * put it back: the PEC covers it), and sends frames through
 * mctp_smbus_ops.tx, whose first byte carries the target address.
 */
#ifndef MCTP_SMBUS_H
#define MCTP_SMBUS_H

#include <stddef.h>
#include <stdint.h>

#include "mctp/mctp.h"

#ifdef __cplusplus
extern "C" {
#endif

#define MCTP_SMBUS_COMMAND_CODE 0x0Fu
/* dest, command, byte count, source, then the packet, then PEC. */
#define MCTP_SMBUS_FRAME_OVERHEAD 5u
#define MCTP_SMBUS_MAX_MTU 250u
#define MCTP_SMBUS_FRAME_MAX                                                   \
	(MCTP_SMBUS_FRAME_OVERHEAD + MCTP_HEADER_SIZE +                        \
	 (MCTP_MAX_MTU < MCTP_SMBUS_MAX_MTU ? MCTP_MAX_MTU                     \
					    : MCTP_SMBUS_MAX_MTU))

/**
 * Bus operations (const, may live in ROM).
 * tx: write one frame as an I2C controller transaction. frame[0] is the
 *     destination address byte (7-bit address << 1, write bit 0); the port
 *     sends frame[1..len-1] to that address. Returns 0 or a negative errno.
 */
struct mctp_smbus_ops {
	int (*tx)(void *ctx, const uint8_t *frame, size_t len);
};

/* Each dropped frame counts once, under the first check it fails. */
struct mctp_smbus_counters {
	uint32_t rx_frames; /* good frames handed to the core */
	uint32_t rx_bad_pec;
	uint32_t rx_bad_length;  /* too short, or byte count disagrees */
	uint32_t rx_bad_command; /* command code not 0x0F */
	uint32_t rx_bad_address; /* not addressed to us, or bad source byte */
	uint32_t tx_frames;
	uint32_t tx_no_address; /* no address known for the destination */
	uint32_t tx_errors;     /* the bus op failed, or packet too large */
};

/* EID-to-address table entry. */
struct mctp_smbus_neighbour {
	uint8_t eid;
	uint8_t addr;  /* 7-bit */
	uint8_t flags; /* MCTP_SMBUS_NEIGH_* */
};
#define MCTP_SMBUS_NEIGH_VALID 0x01u
#define MCTP_SMBUS_NEIGH_STATIC 0x02u

struct mctp_smbus {
	struct mctp_binding binding; /* first */
	const struct mctp_smbus_ops *ops;
	void *ctx;
	uint8_t own_addr;
	uint8_t next_victim;
	struct mctp_smbus_neighbour neigh[MCTP_SMBUS_NEIGHBOURS];
	struct mctp_smbus_counters counters;
	uint8_t frame[MCTP_SMBUS_FRAME_MAX];
};

/**
 * Initialise @smbus with our 7-bit address @own_addr (0x00..0x7F) and the
 * bus ops. Sets binding.max_mtu to min(MCTP_MAX_MTU, 250) and binding.mtu
 * to the 64-byte baseline. Then attach it with mctp_bus_register().
 * Returns 0 or -EINVAL (NULL pointers, missing tx op, address above 0x7F).
 *
 * Sending: the destination address is the route's physical address hint
 * when it has one, else the table entry for the packet's destination EID;
 * with neither, the core gets -EHOSTUNREACH (counted in tx_no_address).
 * Frames are built in @smbus->frame and handed to mctp_smbus_ops.tx.
 */
int mctp_smbus_init(struct mctp_smbus *smbus, const struct mctp_smbus_ops *ops,
		    void *ctx, uint8_t own_addr);

/**
 * Pin @eid to 7-bit address @addr. Static entries are never replaced by
 * learned ones; when the table is full a learned entry is evicted. The
 * null EID 0 is a valid key: a bus owner uses it to reach an endpoint that
 * has no EID yet. Returns 0, -EINVAL (address above 0x7F, broadcast EID)
 * or -ENOSPC (table full of static entries).
 */
int mctp_smbus_set_neighbour(struct mctp_smbus *smbus, uint8_t eid,
			     uint8_t addr);

/** Look up the address for @eid. Returns the 7-bit address or -ENOENT. */
int mctp_smbus_get_neighbour(const struct mctp_smbus *smbus, uint8_t eid);

/**
 * A frame received from the bus, starting with the destination address
 * byte and ending with the PEC; @frame is only read during the call (it
 * must not be @smbus->frame, which a handler's reply overwrites).
 * Call only after mctp_bus_register() (before it, the core discards the
 * packet).
 *
 * The checks, in order, each counted when it fails: at least one payload
 * byte (rx_bad_length), destination byte is our address with the write
 * bit clear (rx_bad_address, -EADDRNOTAVAIL), command code 0x0F
 * (rx_bad_command), byte count equal to @len - 4 (rx_bad_length), PEC
 * (rx_bad_pec), source byte with bit 0 set (rx_bad_address, -EBADMSG).
 * A good frame teaches the table the sender's address for the packet's
 * source EID (not for broadcast; static entries win; a full table evicts
 * learned entries round robin), then goes to the core.
 *
 * Returns 0 when the packet went to the core (which may still drop it and
 * count that in struct mctp_counters), or -EBADMSG / -EADDRNOTAVAIL as
 * above.
 */
int mctp_smbus_rx(struct mctp_smbus *smbus, const uint8_t *frame, size_t len);

/**
 * SMBus PEC (CRC-8, poly 0x07, MSB first, no final xor) over @len bytes,
 * starting from @crc (0 for a new frame; pass a previous result to
 * continue over split buffers).
 */
uint8_t mctp_smbus_pec(uint8_t crc, const uint8_t *data, size_t len);

#ifdef __cplusplus
}
#endif

#endif /* MCTP_SMBUS_H */
