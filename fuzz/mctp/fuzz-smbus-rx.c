/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libFuzzer harness: SMBus (DSP0237) frames into mctp_smbus_rx(), through
 * the core to a handler that answers every request, on an endpoint with
 * two SMBus buses and a route between them (so forwarding runs too).
 *
 * Input: byte 0 holds flags, then records until the input ends:
 *   0xFF t      advance the clock by t * 16 ms and call mctp_poll()
 *   0xFE        switch the bus the next frames arrive on
 *   0xFD n ...  a frame of 0xFD + n bytes (up to 508: oversize frames)
 *   h ...       a frame of h bytes (h < 0xFD); short at the end of input
 * Flags: bit 0 fix each frame's PEC, bit 1 fix its byte count, bit 2 fix
 * its destination address (so the fuzzer gets past the frame checks and
 * into the core), bit 3 raise both buses to their largest MTU, bit 4 make
 * the bus op fail.
 *
 * Oracle besides the sanitizers: mctp_smbus_rx() must accept exactly the
 * frames that an independent check of the DSP0237 rules accepts, return
 * only its documented errors, and count every frame exactly once.
 */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mctp/mctp.h"
#include "mctp/smbus.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define OWN_EID 0x09u
#define FLAG_FIX_PEC 0x01u
#define FLAG_FIX_COUNT 0x02u
#define FLAG_FIX_ADDR 0x04u
#define FLAG_MAX_MTU 0x08u
#define FLAG_TX_FAIL 0x10u
#define FRAME_BUF 512u

struct fuzz_state {
	struct mctp mctp;
	struct mctp_smbus smbus[2];
	int tx_rc;
	uint8_t frame[FRAME_BUF];
};

static const uint8_t own_addr[2] = {0x10, 0x11};

static int sink_tx(void *ctx, const uint8_t *frame, size_t len)
{
	const struct fuzz_state *st = ctx;

	/* What the binding built must be a well-formed frame. */
	if (len < MCTP_SMBUS_FRAME_OVERHEAD || len > MCTP_SMBUS_FRAME_MAX ||
	    frame[1] != MCTP_SMBUS_COMMAND_CODE || frame[2] != len - 4 ||
	    mctp_smbus_pec(0, frame, len) != 0)
		abort();
	return st->tx_rc;
}

static const struct mctp_smbus_ops sink_ops = {
	.tx = sink_tx,
};

static void answer_rx(void *ctx, struct mctp *mctp,
		      const struct mctp_msg_info *info, const uint8_t *msg,
		      size_t len)
{
	(void)ctx;
	if (info->tag_owner)
		(void)mctp_response_tx(mctp, info, msg, len);
	else if ((msg[0] & MCTP_MSG_TYPE_MASK) == MCTP_MSG_TYPE_VENDOR_IANA)
		(void)mctp_request_tx(mctp, info->src_eid, msg, len);
}

static const struct mctp_handler_ops answer_ops = {
	.rx = answer_rx,
};

static void state_init(struct fuzz_state *st, uint8_t flags)
{
	static const uint8_t types[] = {
		MCTP_MSG_TYPE_CONTROL,    MCTP_MSG_TYPE_PLDM,
		MCTP_MSG_TYPE_SPDM,       MCTP_MSG_TYPE_SECURED_SPDM,
		MCTP_MSG_TYPE_VENDOR_PCI, MCTP_MSG_TYPE_VENDOR_IANA,
	};
	struct mctp_config cfg = {.eid = OWN_EID};
	size_t buses = MCTP_MAX_BUSES < 2 ? 1 : 2;

	st->tx_rc = (flags & FLAG_TX_FAIL) ? -EIO : 0;
	if (mctp_init(&st->mctp, &cfg))
		abort();
	for (size_t i = 0; i < buses; i++) {
		struct mctp_binding *b = &st->smbus[i].binding;

		if (mctp_smbus_init(&st->smbus[i], &sink_ops, st,
				    own_addr[i]) ||
		    mctp_bus_register(&st->mctp, b) != (int)i)
			abort();
		if ((flags & FLAG_MAX_MTU) &&
		    mctp_binding_set_mtu(b, b->max_mtu))
			abort();
	}
	/* EIDs 0x20..0x2F live behind the last bus; one of them and one
	 * peer on the first bus have pinned addresses. */
	if ((MCTP_MAX_ROUTES > 0 &&
	     mctp_route_add(&st->mctp, 0x20, 0x2F, (uint8_t)(buses - 1),
			    MCTP_PHYS_ANY, 0)) ||
	    mctp_smbus_set_neighbour(&st->smbus[buses - 1], 0x21, 0x51) ||
	    mctp_smbus_set_neighbour(&st->smbus[0], 0x08, 0x50))
		abort();
	/* -ENOSPC past MCTP_MAX_HANDLERS is fine: fewer types answered. */
	for (size_t i = 0; i < sizeof(types); i++)
		(void)mctp_register_handler(&st->mctp, types[i], &answer_ops,
					    NULL);
}

/* DSP0237 acceptance, written out independently of smbus.c. */
static int expected_rc(const uint8_t *f, size_t len, uint8_t addr)
{
	if (len < 10)
		return -EBADMSG;
	if (f[0] != (uint8_t)(addr << 1))
		return -EADDRNOTAVAIL;
	if (f[1] != 0x0F || f[2] != len - 4 || mctp_smbus_pec(0, f, len) ||
	    !(f[3] & 1))
		return -EBADMSG;
	return 0;
}

static uint32_t counted(const struct mctp_smbus_counters *c)
{
	return c->rx_frames + c->rx_bad_pec + c->rx_bad_length +
	       c->rx_bad_command + c->rx_bad_address;
}

static void feed(struct fuzz_state *st, size_t bus, const uint8_t *data,
		 size_t len, uint8_t flags)
{
	struct mctp_smbus *smbus = &st->smbus[bus];
	uint8_t *f = st->frame;
	uint32_t before = counted(&smbus->counters);
	int rc;

	memcpy(f, data, len);
	if ((flags & FLAG_FIX_ADDR) && len > 0)
		f[0] = (uint8_t)(own_addr[bus] << 1);
	if ((flags & FLAG_FIX_COUNT) && len > 4)
		f[2] = (uint8_t)(len - 4);
	if ((flags & FLAG_FIX_PEC) && len > 0)
		f[len - 1] = mctp_smbus_pec(0, f, len - 1);

	rc = mctp_smbus_rx(smbus, f, len);
	if (rc != expected_rc(f, len, own_addr[bus]) ||
	    counted(&smbus->counters) != before + 1)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct fuzz_state st;
	uint32_t now = 0;
	size_t bus = 0, pos = 1;
	uint8_t flags;

	if (!size)
		return 0;
	flags = data[0];
	state_init(&st, flags);

	while (pos < size) {
		uint8_t h = data[pos++];
		size_t len;

		if (h == 0xFF) {
			now += (pos < size ? data[pos++] : 0) * 16u;
			mctp_poll(&st.mctp, now);
			continue;
		}
		if (h == 0xFE) {
			bus = MCTP_MAX_BUSES < 2 ? 0 : bus ^ 1u;
			continue;
		}
		len = h;
		if (h == 0xFD)
			len += pos < size ? data[pos++] : 0;
		if (len > size - pos)
			len = size - pos;
		feed(&st, bus, data + pos, len, flags);
		pos += len;
	}
	/* Let everything still pending time out. */
	mctp_poll(&st.mctp, now + MCTP_DEFAULT_TAG_TIMEOUT_MS);
	return 0;
}
