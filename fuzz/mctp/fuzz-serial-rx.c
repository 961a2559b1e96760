/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libFuzzer harness: the serial (DSP0253) byte-stream receiver, through
 * the core to a handler that answers every request.
 *
 * Input: byte 0 chooses how the rest is cut into chunks: its value modulo
 * 64 is the largest chunk (0: all in one chunk, 1: byte by byte) and the
 * sizes come from a xorshift sequence seeded from it. Bytes 1.. are the
 * line.
 * Time advances with every chunk so reassembly and tag timeouts run too.
 *
 * Oracle besides the sanitizers: the receiver's verdicts must not depend
 * on the chunking, so a second stack fed the whole line at once must end
 * with the same serial receive counters.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mctp/mctp.h"
#include "mctp/serial.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct fuzz_stack {
	struct mctp mctp;
	struct mctp_serial serial;
};

static int discard_write(void *ctx, const uint8_t *buf, size_t len)
{
	(void)ctx;
	(void)buf;
	(void)len;
	return 0;
}

static const struct mctp_serial_ops discard_ops = {
	.write = discard_write,
};

static void answer_rx(void *ctx, struct mctp *mctp,
		      const struct mctp_msg_info *info, const uint8_t *msg,
		      size_t len)
{
	(void)ctx;
	if (info->tag_owner)
		(void)mctp_response_tx(mctp, info, msg, len);
}

static const struct mctp_handler_ops answer_ops = {
	.rx = answer_rx,
};

static void stack_init(struct fuzz_stack *s)
{
	static const uint8_t types[] = {
		MCTP_MSG_TYPE_CONTROL,    MCTP_MSG_TYPE_PLDM,
		MCTP_MSG_TYPE_SPDM,       MCTP_MSG_TYPE_SECURED_SPDM,
		MCTP_MSG_TYPE_VENDOR_PCI, MCTP_MSG_TYPE_VENDOR_IANA,
	};
	struct mctp_config cfg = {.eid = 9};

	if (mctp_init(&s->mctp, &cfg) ||
	    mctp_serial_init(&s->serial, &discard_ops, NULL) ||
	    mctp_bus_register(&s->mctp, &s->serial.binding) < 0)
		abort();
	/* -ENOSPC past MCTP_MAX_HANDLERS is fine: fewer types answered. */
	for (size_t i = 0; i < sizeof(types); i++)
		(void)mctp_register_handler(&s->mctp, types[i], &answer_ops,
					    NULL);
}

static uint32_t next_rand(uint32_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 17;
	*x ^= *x << 5;
	return *x;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* Large (reassembly buffers): static, reset for every input. */
	static struct fuzz_stack chunked, whole;
	struct mctp_serial_counters a, b;
	uint32_t now = 0;
	uint32_t seed;
	size_t max_chunk;
	size_t off = 0;

	if (!size)
		return 0;
	seed = data[0];
	max_chunk = (size_t)(seed % 64u);
	seed = seed * 0x9E3779B9u + 1; /* xorshift must not start at 0 */
	data++;
	size--;

	stack_init(&chunked);
	stack_init(&whole);
	while (off < size) {
		size_t n = size - off;

		if (max_chunk) {
			size_t c = (size_t)(next_rand(&seed) % max_chunk) + 1;

			n = c < n ? c : n;
		}
		mctp_serial_rx(&chunked.serial, data + off, n);
		off += n;
		now += (uint32_t)n * 50u;
		mctp_poll(&chunked.mctp, now);
	}
	mctp_serial_rx(&whole.serial, data, size);
	mctp_poll(&whole.mctp, now);

	a = chunked.serial.counters;
	b = whole.serial.counters;
	/* tx depends on core state that time changes; rx must not. */
	a.tx_frames = b.tx_frames = 0;
	a.tx_errors = b.tx_errors = 0;
	if (memcmp(&a, &b, sizeof(a)))
		abort();
	return 0;
}
