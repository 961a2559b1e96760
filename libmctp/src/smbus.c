/* SPDX-License-Identifier: Apache-2.0 */
/*
 * SMBus/I2C binding (DMTF DSP0237): frames MCTP packets for SMBus block
 * writes, checks the PEC of received frames and keeps the EID-to-address
 * table.
 */
#include <errno.h>
#include <string.h>

#include "mctp/smbus.h"

#include "codec.h"

#define SMBUS_ADDR_MAX 0x7Fu
/* Smallest frame we accept: framing, MCTP header and one payload byte. */
#define SMBUS_FRAME_MIN (MCTP_SMBUS_FRAME_OVERHEAD + MCTP_HEADER_SIZE + 1u)
/* Offsets of the EIDs inside the MCTP header (DSP0236 table 1). */
#define SMBUS_PKT_DEST_EID 1u
#define SMBUS_PKT_SRC_EID 2u

/*
 * CRC-8, polynomial 0x07, MSB first, bit by bit. A 16-entry nibble table
 * is about three times faster but costs 22 more bytes on Cortex-M4 -Os,
 * and a 256-entry table 256; at SMBus speeds (90 us per byte at 100 kHz)
 * the loop's ~40 cycles per byte are noise, while flash is the budget.
 */
uint8_t mctp_smbus_pec(uint8_t crc, const uint8_t *data, size_t len)
{
	unsigned int i;

	while (len--) {
		crc ^= *data++;
		for (i = 0; i < 8u; i++)
			crc = (uint8_t)(crc & 0x80u ? crc << 1 ^ 0x07
						    : crc << 1);
	}
	return crc;
}

/* Takes const and returns non-const, like strchr(), so that both the
 * lookup and the update path can share it. */
static struct mctp_smbus_neighbour *smbus_find(const struct mctp_smbus *smbus,
					       uint8_t eid)
{
	const struct mctp_smbus_neighbour *n = smbus->neigh;

	for (; n < smbus->neigh + MCTP_SMBUS_NEIGHBOURS; n++)
		if ((n->flags & MCTP_SMBUS_NEIGH_VALID) && n->eid == eid)
			return (struct mctp_smbus_neighbour *)n;
	return NULL;
}

/*
 * Record @eid at @addr. An existing entry for @eid is updated unless it is
 * static and the new one is not; otherwise a free entry is used, else a
 * learned one taken round robin so that a chatty bus cannot keep evicting
 * the same victim.
 */
static int smbus_store(struct mctp_smbus *smbus, uint8_t eid, uint8_t addr,
		       uint8_t flags)
{
	struct mctp_smbus_neighbour *n = smbus_find(smbus, eid);
	unsigned int i;

	if (n && (n->flags & ~flags & MCTP_SMBUS_NEIGH_STATIC))
		return 0;
	for (i = 0; !n && i < MCTP_SMBUS_NEIGHBOURS; i++)
		if (!(smbus->neigh[i].flags & MCTP_SMBUS_NEIGH_VALID))
			n = &smbus->neigh[i];
	for (i = 0; !n && i < MCTP_SMBUS_NEIGHBOURS; i++) {
		n = &smbus->neigh[smbus->next_victim];
		smbus->next_victim = (uint8_t)((smbus->next_victim + 1u) %
					       MCTP_SMBUS_NEIGHBOURS);
		if (n->flags & MCTP_SMBUS_NEIGH_STATIC)
			n = NULL;
	}
	if (!n)
		return -ENOSPC;
	n->eid = eid;
	n->addr = addr;
	n->flags = flags;
	return 0;
}

int mctp_smbus_set_neighbour(struct mctp_smbus *smbus, uint8_t eid,
			     uint8_t addr)
{
	if (!smbus || addr > SMBUS_ADDR_MAX || eid == MCTP_EID_BROADCAST)
		return -EINVAL;
	return smbus_store(smbus, eid, addr,
			   MCTP_SMBUS_NEIGH_VALID | MCTP_SMBUS_NEIGH_STATIC);
}

int mctp_smbus_get_neighbour(const struct mctp_smbus *smbus, uint8_t eid)
{
	const struct mctp_smbus_neighbour *n = smbus_find(smbus, eid);

	return n ? n->addr : -ENOENT;
}

static int smbus_tx(struct mctp_binding *binding, size_t len, uint8_t phys)
{
	/* binding is the first member of struct mctp_smbus. */
	struct mctp_smbus *smbus = (struct mctp_smbus *)binding;
	struct mctp_writer w;
	uint8_t *frame;
	int addr = phys;
	int rc;

	if (phys == MCTP_PHYS_ANY)
		addr = mctp_smbus_get_neighbour(
			smbus, binding->tx_pkt[SMBUS_PKT_DEST_EID]);
	/* Also catches a route whose hint is no 7-bit address. */
	if (addr < 0 || addr > (int)SMBUS_ADDR_MAX) {
		smbus->counters.tx_no_address++;
		return -EHOSTUNREACH;
	}

	/* The core has already written the packet at tx_pkt: claim the
	 * whole frame at once. A packet that cannot fit also rules out a
	 * byte count above 255. */
	mctp_writer_init(&w, smbus->frame, sizeof(smbus->frame));
	frame = mctp_write_space(&w, len + MCTP_SMBUS_FRAME_OVERHEAD);
	if (!frame) {
		rc = mctp_writer_status(&w);
	} else {
		frame[0] = (uint8_t)(addr << 1);
		frame[1] = MCTP_SMBUS_COMMAND_CODE;
		frame[2] = (uint8_t)(len + 1u);
		frame[3] = (uint8_t)(smbus->own_addr << 1 | 1);
		frame[w.pos - 1u] = mctp_smbus_pec(0, frame, w.pos - 1u);
		rc = smbus->ops->tx(smbus->ctx, frame, w.pos);
	}
	if (rc < 0) {
		smbus->counters.tx_errors++;
		return rc;
	}
	smbus->counters.tx_frames++;
	return 0;
}

static const struct mctp_binding_ops smbus_binding_ops = {
	.tx = smbus_tx,
};

int mctp_smbus_init(struct mctp_smbus *smbus, const struct mctp_smbus_ops *ops,
		    void *ctx, uint8_t own_addr)
{
	if (!smbus || !ops || !ops->tx || own_addr > SMBUS_ADDR_MAX)
		return -EINVAL;
	memset(smbus, 0, sizeof(*smbus));
	smbus->binding.ops = &smbus_binding_ops;
	smbus->binding.tx_pkt = smbus->frame + MCTP_SMBUS_FRAME_OVERHEAD - 1u;
	smbus->binding.max_mtu =
		(uint16_t)(sizeof(smbus->frame) - MCTP_SMBUS_FRAME_OVERHEAD -
			   MCTP_HEADER_SIZE);
	smbus->binding.mtu = MCTP_BASELINE_MTU;
	smbus->ops = ops;
	smbus->ctx = ctx;
	smbus->own_addr = own_addr;
	return 0;
}

int mctp_smbus_rx(struct mctp_smbus *smbus, const uint8_t *frame, size_t len)
{
	struct mctp_reader r;
	const uint8_t *hdr, *pkt;
	size_t pkt_len;

	if (len < SMBUS_FRAME_MIN) {
		smbus->counters.rx_bad_length++;
		return -EBADMSG;
	}
	mctp_reader_init(&r, frame, len);
	hdr = mctp_read_bytes(&r, MCTP_SMBUS_FRAME_OVERHEAD - 1u);
	if (hdr[0] != (uint8_t)(smbus->own_addr << 1)) {
		smbus->counters.rx_bad_address++;
		return -EADDRNOTAVAIL;
	}
	if (hdr[1] != MCTP_SMBUS_COMMAND_CODE) {
		smbus->counters.rx_bad_command++;
		return -EBADMSG;
	}
	/* The byte count covers the source byte and the packet; only the
	 * PEC may follow. A count of 0 wraps to a huge length, which the
	 * reader rejects as an overrun. */
	pkt_len = (size_t)hdr[2] - 1u;
	pkt = mctp_read_bytes(&r, pkt_len);
	if (!pkt || mctp_reader_left(&r) != 1u) {
		smbus->counters.rx_bad_length++;
		return -EBADMSG;
	}
	/* A CRC without final xor run over data and its own CRC is 0. */
	if (mctp_smbus_pec(0, frame, len)) {
		smbus->counters.rx_bad_pec++;
		return -EBADMSG;
	}
	if (!(hdr[3] & 1u)) {
		smbus->counters.rx_bad_address++;
		return -EBADMSG;
	}

	/* Learn the sender before dispatch so a handler can answer at once.
	 * The broadcast EID names no one; a full table of static entries
	 * leaves nothing to learn into, which only costs a lookup miss. */
	if (pkt[SMBUS_PKT_SRC_EID] != MCTP_EID_BROADCAST)
		(void)smbus_store(smbus, pkt[SMBUS_PKT_SRC_EID],
				  (uint8_t)(hdr[3] >> 1),
				  MCTP_SMBUS_NEIGH_VALID);

	smbus->counters.rx_frames++;
	mctp_bus_rx(&smbus->binding, pkt, pkt_len);
	return 0;
}
