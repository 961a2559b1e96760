/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The smallest firmware that uses libmctp as configuration (a) of
 * bench/run.sh does: an endpoint on one SMBus bus that answers the MCTP
 * control protocol. bench/run.sh links it for Cortex-M4 with
 * --gc-sections and counts the bytes that libmctp.a contributes, i.e. what
 * a vendor's responder firmware really carries (the archive also holds the
 * requester side and the response decoders, which such a firmware drops).
 *
 * Not meant to run: the "bus" is a volatile buffer so that the compiler
 * cannot fold anything away.
 */
#include <stddef.h>
#include <stdint.h>

#include "mctp/control.h"
#include "mctp/mctp.h"
#include "mctp/smbus.h"

struct fw {
	struct mctp mctp;
	struct mctp_smbus smbus;
	struct mctp_ctrl ctrl;
	volatile uint8_t rx_frame[MCTP_SMBUS_FRAME_MAX];
	volatile size_t rx_len;
	volatile uint8_t tx_frame[MCTP_SMBUS_FRAME_MAX];
	volatile uint32_t now_ms;
};

static struct fw fw;

static int fw_tx(void *ctx, const uint8_t *frame, size_t len)
{
	struct fw *f = ctx;
	size_t i;

	for (i = 0; i < len && i < sizeof(f->tx_frame); i++)
		f->tx_frame[i] = frame[i];
	return 0;
}

static const struct mctp_smbus_ops fw_smbus_ops = {.tx = fw_tx};

int main(void)
{
	uint8_t frame[MCTP_SMBUS_FRAME_MAX];
	size_t i, len;

	if (mctp_init(&fw.mctp, NULL) ||
	    mctp_smbus_init(&fw.smbus, &fw_smbus_ops, &fw, 0x1D) ||
	    mctp_bus_register(&fw.mctp, &fw.smbus.binding) < 0 ||
	    mctp_ctrl_init(&fw.ctrl, &fw.mctp, NULL, NULL, NULL))
		return 1;
	for (;;) {
		len = fw.rx_len;
		if (len > sizeof(frame))
			len = sizeof(frame);
		for (i = 0; i < len; i++)
			frame[i] = fw.rx_frame[i];
		(void)mctp_smbus_rx(&fw.smbus, frame, len);
		mctp_poll(&fw.mctp, fw.now_ms);
	}
}
