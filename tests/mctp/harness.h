/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Test harness for libmctp: an in-memory packet link and a message sink.
 *
 * struct harness_link is a binding (struct mctp_binding first) whose tx op
 * copies each packet the core writes at binding->tx_pkt into a bounded
 * queue. Nothing moves until the test says so: harness_link_deliver_all()
 * hands the queued packets to another stack's binding with mctp_bus_rx(),
 * and the harness_link_drop/duplicate/swap/truncate/corrupt functions edit
 * the queue in between to inject faults.
 *
 * struct harness_sink is a handler context whose ops (harness_sink_ops)
 * record every message delivered to it and every tag timeout.
 *
 * Both structs are large (sized from mctp/config.h): give them static
 * storage in tests, not the stack. No allocation anywhere.
 */
#ifndef MCTP_TESTS_HARNESS_H
#define MCTP_TESTS_HARNESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mctp/mctp.h"

#define HARNESS_PKT_MAX (MCTP_HEADER_SIZE + MCTP_MAX_MTU)
/* Enough for one largest message at the baseline MTU, plus slack for
 * duplicates and a few unrelated packets. */
#define HARNESS_QUEUE_LEN                                                      \
	((MCTP_MAX_MESSAGE_SIZE + MCTP_BASELINE_MTU - 1) / MCTP_BASELINE_MTU + \
	 16)

struct harness_pkt {
	size_t len;
	uint8_t phys; /* the physical address hint the core passed to tx */
	uint8_t data[HARNESS_PKT_MAX];
};

struct harness_link {
	struct mctp_binding binding; /* first */
	/* When non-zero, tx returns it and queues nothing. */
	int tx_error;
	/* Every tx call, including failed and overflowing ones. */
	size_t tx_calls;
	/* Packets refused because the queue was full (tx returned
	 * -ENOBUFS). */
	size_t overflows;
	size_t count;
	struct harness_pkt queue[HARNESS_QUEUE_LEN];
	uint8_t tx_buf[HARNESS_PKT_MAX];
};

/**
 * Set up @link as a binding with maximum payload @max_mtu (64 ..
 * MCTP_MAX_MTU; larger is clamped) and the default mtu at the 64-byte
 * baseline. The caller then attaches it with mctp_bus_register().
 */
void harness_link_init(struct harness_link *link, uint16_t max_mtu);

/** Forget every queued packet (counters are kept). */
void harness_link_clear(struct harness_link *link);

/**
 * Append a hand-made packet to the queue, as if the core had sent it.
 * Returns 0, or -EINVAL (@len above HARNESS_PKT_MAX) / -ENOBUFS.
 */
int harness_link_push(struct harness_link *link, const uint8_t *pkt,
		      size_t len);

/**
 * Hand the packets queued now, in order, to @peer with mctp_bus_rx() and
 * remove them from the queue. Packets the peer causes to be sent on this
 * same link while they are delivered stay queued. Returns how many were
 * delivered.
 */
size_t harness_link_deliver_all(struct harness_link *link,
				struct mctp_binding *peer);

/** Deliver only the first queued packet. Returns 1, or 0 if empty. */
size_t harness_link_deliver_one(struct harness_link *link,
				struct mctp_binding *peer);

/*
 * Fault injection on queued packets, by index (0 = oldest). Each returns 0
 * or -EINVAL for an index (or offset/length) out of range.
 */
int harness_link_drop(struct harness_link *link, size_t i);
/* Insert a copy of packet @i right after it. */
int harness_link_duplicate(struct harness_link *link, size_t i);
int harness_link_swap(struct harness_link *link, size_t i, size_t j);
/* Cut packet @i down to @len bytes (@len <= its length). */
int harness_link_truncate(struct harness_link *link, size_t i, size_t len);
/* XOR byte @offset of packet @i with @mask. */
int harness_link_corrupt(struct harness_link *link, size_t i, size_t offset,
			 uint8_t mask);

/**
 * Write a 4-byte MCTP transport header (DSP0236, MCTP packet fields) into
 * @hdr, computed field by field from the spec layout, independently of the
 * core.
 */
void harness_make_hdr(uint8_t *hdr, uint8_t dest, uint8_t src, bool som,
		      bool eom, uint8_t seq, bool tag_owner, uint8_t tag);

/**
 * Compare every field of two counter sets; print each difference (name,
 * got, want) to stderr. Returns how many fields differ.
 */
int harness_counters_check(const struct mctp_counters *got,
			   const struct mctp_counters *want);

#define HARNESS_SINK_MSGS 32
#define HARNESS_SINK_HEAD 64
#define HARNESS_SINK_TIMEOUTS 64

struct harness_sink_msg {
	struct mctp_msg_info info;
	size_t len;
	uint8_t head[HARNESS_SINK_HEAD]; /* first bytes of the message */
};

struct harness_sink {
	/* Messages received; records are kept for the first
	 * HARNESS_SINK_MSGS only. */
	size_t count;
	struct harness_sink_msg msgs[HARNESS_SINK_MSGS];
	/* Full copy of the most recent message. */
	size_t last_len;
	uint8_t last[MCTP_MAX_MESSAGE_SIZE];
	/* Timeout op calls, recorded for the first HARNESS_SINK_TIMEOUTS. */
	size_t timeouts;
	uint8_t timeout_eid[HARNESS_SINK_TIMEOUTS];
	uint8_t timeout_tag[HARNESS_SINK_TIMEOUTS];
	/* When set, every request received (tag owner set) is answered with
	 * mctp_response_tx() echoing the message; the result goes here. */
	bool echo;
	int echo_result;
};

/* Handler ops recording into the struct harness_sink given as ctx. */
extern const struct mctp_handler_ops harness_sink_ops;

/** Zero @sink (records and echo setting). */
void harness_sink_reset(struct harness_sink *sink);

#endif
