/* SPDX-License-Identifier: Apache-2.0 */
/* In-memory link and message sink for the libmctp tests (see harness.h). */
#include "harness.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static int harness_link_tx(struct mctp_binding *binding, size_t len,
			   uint8_t phys)
{
	/* binding is the first member, so this is the enclosing link. */
	struct harness_link *link = (struct harness_link *)(void *)binding;
	struct harness_pkt *pkt;

	link->tx_calls++;
	if (link->tx_error)
		return link->tx_error;
	if (len > HARNESS_PKT_MAX)
		return -EMSGSIZE;
	if (link->count >= HARNESS_QUEUE_LEN) {
		link->overflows++;
		return -ENOBUFS;
	}
	pkt = &link->queue[link->count++];
	pkt->len = len;
	pkt->phys = phys;
	memcpy(pkt->data, binding->tx_pkt, len);
	return 0;
}

static const struct mctp_binding_ops harness_link_ops = {
	.tx = harness_link_tx,
};

void harness_link_init(struct harness_link *link, uint16_t max_mtu)
{
	memset(link, 0, sizeof(*link));
	if (max_mtu > MCTP_MAX_MTU)
		max_mtu = (uint16_t)MCTP_MAX_MTU;
	link->binding.ops = &harness_link_ops;
	link->binding.tx_pkt = link->tx_buf;
	link->binding.max_mtu = max_mtu;
	link->binding.mtu = MCTP_BASELINE_MTU;
}

void harness_link_clear(struct harness_link *link)
{
	link->count = 0;
}

int harness_link_push(struct harness_link *link, const uint8_t *pkt, size_t len)
{
	struct harness_pkt *p;

	if (len > HARNESS_PKT_MAX)
		return -EINVAL;
	if (link->count >= HARNESS_QUEUE_LEN)
		return -ENOBUFS;
	p = &link->queue[link->count++];
	p->len = len;
	p->phys = MCTP_PHYS_ANY;
	memcpy(p->data, pkt, len);
	return 0;
}

static void harness_link_remove(struct harness_link *link, size_t i, size_t n)
{
	memmove(&link->queue[i], &link->queue[i + n],
		(link->count - i - n) * sizeof(link->queue[0]));
	link->count -= n;
}

size_t harness_link_deliver_all(struct harness_link *link,
				struct mctp_binding *peer)
{
	/* Only what is queued now: a reply the peer sends back on this same
	 * link (a loopback set-up) must not be delivered in the same sweep. */
	size_t n = link->count;
	size_t i;

	for (i = 0; i < n; i++)
		mctp_bus_rx(peer, link->queue[i].data, link->queue[i].len);
	harness_link_remove(link, 0, n);
	return n;
}

size_t harness_link_deliver_one(struct harness_link *link,
				struct mctp_binding *peer)
{
	struct harness_pkt pkt;

	if (!link->count)
		return 0;
	/* Copy first: the peer may queue more packets here during rx. */
	pkt = link->queue[0];
	harness_link_remove(link, 0, 1);
	mctp_bus_rx(peer, pkt.data, pkt.len);
	return 1;
}

int harness_link_drop(struct harness_link *link, size_t i)
{
	if (i >= link->count)
		return -EINVAL;
	harness_link_remove(link, i, 1);
	return 0;
}

int harness_link_duplicate(struct harness_link *link, size_t i)
{
	if (i >= link->count || link->count >= HARNESS_QUEUE_LEN)
		return -EINVAL;
	memmove(&link->queue[i + 1], &link->queue[i],
		(link->count - i) * sizeof(link->queue[0]));
	link->count++;
	return 0;
}

int harness_link_swap(struct harness_link *link, size_t i, size_t j)
{
	struct harness_pkt tmp;

	if (i >= link->count || j >= link->count)
		return -EINVAL;
	tmp = link->queue[i];
	link->queue[i] = link->queue[j];
	link->queue[j] = tmp;
	return 0;
}

int harness_link_truncate(struct harness_link *link, size_t i, size_t len)
{
	if (i >= link->count || len > link->queue[i].len)
		return -EINVAL;
	link->queue[i].len = len;
	return 0;
}

int harness_link_corrupt(struct harness_link *link, size_t i, size_t offset,
			 uint8_t mask)
{
	if (i >= link->count || offset >= link->queue[i].len)
		return -EINVAL;
	link->queue[i].data[offset] ^= mask;
	return 0;
}

void harness_make_hdr(uint8_t *hdr, uint8_t dest, uint8_t src, bool som,
		      bool eom, uint8_t seq, bool tag_owner, uint8_t tag)
{
	/* DSP0236 packet fields: byte 0 is reserved (7:4) and header
	 * version (3:0); byte 3 is SOM(7) EOM(6) pkt_seq(5:4) TO(3)
	 * tag(2:0). */
	hdr[0] = 0x01;
	hdr[1] = dest;
	hdr[2] = src;
	hdr[3] = (uint8_t)((som ? 0x80 : 0) | (eom ? 0x40 : 0) |
			   ((seq & 3u) << 4) | (tag_owner ? 0x08 : 0) |
			   (tag & 7u));
}

#define HARNESS_COUNTER(f)                                                     \
	{                                                                      \
#f, offsetof(struct mctp_counters, f)                          \
	}
static const struct {
	const char *name;
	size_t offset;
} harness_counter_fields[] = {
	HARNESS_COUNTER(rx_packets),
	HARNESS_COUNTER(rx_messages),
	HARNESS_COUNTER(tx_packets),
	HARNESS_COUNTER(tx_messages),
	HARNESS_COUNTER(tx_errors),
	HARNESS_COUNTER(forwarded),
	HARNESS_COUNTER(rx_drop_short),
	HARNESS_COUNTER(rx_drop_version),
	HARNESS_COUNTER(rx_drop_src_eid),
	HARNESS_COUNTER(rx_drop_not_ours),
	HARNESS_COUNTER(rx_drop_route),
	HARNESS_COUNTER(rx_drop_no_som),
	HARNESS_COUNTER(rx_drop_seq),
	HARNESS_COUNTER(rx_drop_size),
	HARNESS_COUNTER(rx_drop_too_large),
	HARNESS_COUNTER(rx_drop_no_context),
	HARNESS_COUNTER(rx_drop_restarted),
	HARNESS_COUNTER(rx_drop_timeout),
	HARNESS_COUNTER(rx_drop_no_handler),
	HARNESS_COUNTER(rx_drop_unexpected),
	HARNESS_COUNTER(tag_timeouts),
};

int harness_counters_check(const struct mctp_counters *got,
			   const struct mctp_counters *want)
{
	const size_t n = sizeof(harness_counter_fields) /
			 sizeof(harness_counter_fields[0]);
	int bad = 0;
	size_t i;

	/* A field added to mctp.h but not listed here would go unchecked. */
	if (n * sizeof(uint32_t) != sizeof(struct mctp_counters)) {
		fprintf(stderr, "harness: counter list out of date\n");
		return 1;
	}
	for (i = 0; i < n; i++) {
		uint32_t g, w;

		memcpy(&g,
		       (const uint8_t *)got + harness_counter_fields[i].offset,
		       sizeof(g));
		memcpy(&w,
		       (const uint8_t *)want + harness_counter_fields[i].offset,
		       sizeof(w));
		if (g != w) {
			fprintf(stderr, "counter %s: got %u, want %u\n",
				harness_counter_fields[i].name, (unsigned)g,
				(unsigned)w);
			bad++;
		}
	}
	return bad;
}

static void harness_sink_rx(void *ctx, struct mctp *mctp,
			    const struct mctp_msg_info *info,
			    const uint8_t *msg, size_t len)
{
	struct harness_sink *sink = ctx;

	if (sink->count < HARNESS_SINK_MSGS) {
		struct harness_sink_msg *rec = &sink->msgs[sink->count];

		rec->info = *info;
		rec->len = len;
		memcpy(rec->head, msg,
		       len < HARNESS_SINK_HEAD ? len : HARNESS_SINK_HEAD);
	}
	sink->count++;
	sink->last_len = len < sizeof(sink->last) ? len : sizeof(sink->last);
	memcpy(sink->last, msg, sink->last_len);
	if (sink->echo && info->tag_owner)
		sink->echo_result = mctp_response_tx(mctp, info, msg, len);
}

static void harness_sink_timeout(void *ctx, struct mctp *mctp, uint8_t eid,
				 uint8_t tag)
{
	struct harness_sink *sink = ctx;

	(void)mctp;
	if (sink->timeouts < HARNESS_SINK_TIMEOUTS) {
		sink->timeout_eid[sink->timeouts] = eid;
		sink->timeout_tag[sink->timeouts] = tag;
	}
	sink->timeouts++;
}

const struct mctp_handler_ops harness_sink_ops = {
	.rx = harness_sink_rx,
	.timeout = harness_sink_timeout,
};

void harness_sink_reset(struct harness_sink *sink)
{
	memset(sink, 0, sizeof(*sink));
}
