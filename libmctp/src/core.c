/* SPDX-License-Identifier: Apache-2.0 */
/*
 * MCTP core (DSP0236 1.3): packetisation, reassembly, tags, dispatch and
 * static routing. See include/mctp/mctp.h for the contract.
 */
#include <errno.h>
#include <string.h>

#include "mctp/mctp.h"

#include "log.h"

/* Packet header byte 3. */
#define HDR_SOM 0x80u
#define HDR_EOM 0x40u
#define HDR_SEQ_SHIFT 4
#define HDR_SEQ_MASK 0x3u
#define HDR_TO 0x08u
#define HDR_TAG_MASK 0x07u
#define HDR_VERSION_MASK 0x0Fu

/* Reassembly context states. A context being delivered is kept apart from
 * one being assembled so that a handler which makes the peer answer
 * synchronously (loopback transports) cannot have its buffer reused. */
enum reasm_state {
	REASM_FREE = 0,
	REASM_ASSEMBLING,
	REASM_DELIVERING,
};

#define DROP(mctp, field)                                                      \
	do {                                                                   \
		(mctp)->counters.field++;                                      \
		mctp_log(mctp, MCTP_LOG_DEBUG, "drop: " #field);               \
	} while (0)

static bool eid_ours_valid(uint8_t eid)
{
	return eid == MCTP_EID_NULL ||
	       (eid >= MCTP_EID_FIRST_VALID && eid != MCTP_EID_BROADCAST);
}

int mctp_init(struct mctp *mctp, const struct mctp_config *cfg)
{
	if (!mctp || (cfg && !eid_ours_valid(cfg->eid)))
		return -EINVAL;

	memset(mctp, 0, sizeof(*mctp));
	mctp->reassembly_timeout_ms = MCTP_DEFAULT_REASSEMBLY_TIMEOUT_MS;
	mctp->tag_timeout_ms = MCTP_DEFAULT_TAG_TIMEOUT_MS;
	if (cfg) {
		mctp->eid = cfg->eid;
		mctp->now_ms = cfg->now_ms;
		if (cfg->reassembly_timeout_ms)
			mctp->reassembly_timeout_ms =
				cfg->reassembly_timeout_ms;
		if (cfg->tag_timeout_ms)
			mctp->tag_timeout_ms = cfg->tag_timeout_ms;
#if MCTP_LOG_ENABLED
		mctp->log_ops = cfg->log_ops;
		mctp->log_ctx = cfg->log_ctx;
		mctp->log_level = cfg->log_level;
#endif
	}
	return 0;
}

int mctp_bus_register(struct mctp *mctp, struct mctp_binding *binding)
{
	if (!mctp || !binding || !binding->ops || !binding->ops->tx ||
	    !binding->tx_pkt || binding->max_mtu < MCTP_BASELINE_MTU ||
	    binding->max_mtu > MCTP_MAX_MTU ||
	    binding->mtu < MCTP_BASELINE_MTU || binding->mtu > binding->max_mtu)
		return -EINVAL;
	if (mctp->n_buses >= MCTP_MAX_BUSES)
		return -ENOSPC;

	binding->mctp = mctp;
	binding->bus = mctp->n_buses;
	mctp->buses[mctp->n_buses] = binding;
	return mctp->n_buses++;
}

int mctp_binding_set_mtu(struct mctp_binding *binding, uint16_t mtu)
{
	if (!binding || mtu < MCTP_BASELINE_MTU || mtu > binding->max_mtu)
		return -EINVAL;
	binding->mtu = mtu;
	return 0;
}

uint8_t mctp_get_eid(const struct mctp *mctp)
{
	return mctp->eid;
}

int mctp_set_eid(struct mctp *mctp, uint8_t eid)
{
	if (!eid_ours_valid(eid))
		return -EINVAL;
	mctp->eid = eid;
	return 0;
}

static struct mctp_handler *find_handler(struct mctp *mctp, uint8_t type)
{
	for (size_t i = 0; i < MCTP_MAX_HANDLERS; i++) {
		struct mctp_handler *h = &mctp->handlers[i];

		if (h->ops && h->type == type)
			return h;
	}
	return NULL;
}

int mctp_register_handler(struct mctp *mctp, uint8_t type,
			  const struct mctp_handler_ops *ops, void *ctx)
{
	struct mctp_handler *h;

	if (!mctp || type > MCTP_MSG_TYPE_MASK || !ops || !ops->rx)
		return -EINVAL;

	h = find_handler(mctp, type);
	for (size_t i = 0; !h && i < MCTP_MAX_HANDLERS; i++) {
		if (!mctp->handlers[i].ops)
			h = &mctp->handlers[i];
	}
	if (!h)
		return -ENOSPC;

	h->ops = ops;
	h->ctx = ctx;
	h->type = type;
	return 0;
}

size_t mctp_get_types(const struct mctp *mctp, uint8_t *types, size_t cap)
{
	size_t n = 0;

	/* Ascending order without sorting: walk the type space. */
	for (unsigned int t = 0; t <= MCTP_MSG_TYPE_MASK; t++) {
		if (!find_handler((struct mctp *)(uintptr_t)mctp, (uint8_t)t))
			continue;
		if (n < cap)
			types[n] = (uint8_t)t;
		n++;
	}
	return n;
}

#if MCTP_MAX_ROUTES > 0
int mctp_route_add(struct mctp *mctp, uint8_t first, uint8_t last, uint8_t bus,
		   uint8_t phys, uint16_t mtu)
{
	struct mctp_binding *b;

	if (!mctp || first == MCTP_EID_NULL || last == MCTP_EID_BROADCAST ||
	    first > last || bus >= mctp->n_buses)
		return -EINVAL;
	b = mctp->buses[bus];
	if (mtu && (mtu < MCTP_BASELINE_MTU || mtu > b->max_mtu))
		return -EINVAL;

	for (size_t i = 0; i < MCTP_MAX_ROUTES; i++) {
		struct mctp_route *r = &mctp->routes[i];

		if (r->last_eid)
			continue;
		r->first_eid = first;
		r->last_eid = last;
		r->bus = bus;
		r->phys = phys;
		r->mtu = mtu;
		return 0;
	}
	return -ENOSPC;
}

void mctp_route_clear(struct mctp *mctp)
{
	memset(mctp->routes, 0, sizeof(mctp->routes));
}

static const struct mctp_route *find_route(const struct mctp *mctp, uint8_t eid)
{
	for (size_t i = 0; i < MCTP_MAX_ROUTES; i++) {
		const struct mctp_route *r = &mctp->routes[i];

		if (r->last_eid && eid >= r->first_eid && eid <= r->last_eid)
			return r;
	}
	return NULL;
}
#else
int mctp_route_add(struct mctp *mctp, uint8_t first, uint8_t last, uint8_t bus,
		   uint8_t phys, uint16_t mtu)
{
	(void)mctp;
	(void)first;
	(void)last;
	(void)bus;
	(void)phys;
	(void)mtu;
	return -ENOTSUP;
}

void mctp_route_clear(struct mctp *mctp)
{
	(void)mctp;
}

static const struct mctp_route *find_route(const struct mctp *mctp, uint8_t eid)
{
	(void)mctp;
	(void)eid;
	return NULL;
}
#endif

/* Split @msg into packets at the transmission unit of the path to @dest:
 * its route, else @bus (the bus a request came in on, for a response). */
static int tx_message(struct mctp *mctp, uint8_t dest, uint8_t bus,
		      uint8_t tag_flags, const uint8_t *msg, size_t len)
{
	const struct mctp_route *route;
	struct mctp_binding *b;
	uint8_t phys = MCTP_PHYS_ANY;
	uint8_t seq = 0;
	size_t mtu, off = 0;

	if (!msg || !len || len > MCTP_MAX_MESSAGE_SIZE ||
	    (dest != MCTP_EID_NULL && dest < MCTP_EID_FIRST_VALID))
		return -EINVAL;

	route = find_route(mctp, dest);
	if (route) {
		b = mctp->buses[route->bus];
		phys = route->phys;
		mtu = route->mtu ? route->mtu : b->mtu;
	} else {
		if (bus >= mctp->n_buses)
			return -ENETUNREACH;
		b = mctp->buses[bus];
		mtu = b->mtu;
	}

	while (off < len) {
		size_t chunk = len - off < mtu ? len - off : mtu;
		uint8_t *pkt = b->tx_pkt;
		uint8_t flags = tag_flags;
		int rc;

		if (!off)
			flags |= HDR_SOM;
		if (off + chunk == len)
			flags |= HDR_EOM;
		pkt[0] = MCTP_HEADER_VERSION;
		pkt[1] = dest;
		pkt[2] = mctp->eid;
		pkt[3] = (uint8_t)(flags | seq << HDR_SEQ_SHIFT);
		memcpy(pkt + MCTP_HEADER_SIZE, msg + off, chunk);

		rc = b->ops->tx(b, chunk + MCTP_HEADER_SIZE, phys);
		if (rc) {
			mctp->counters.tx_errors++;
			mctp_log(mctp, MCTP_LOG_WARNING, "tx to %u failed: %d",
				 dest, rc);
			return rc < 0 ? rc : -EIO;
		}
		mctp->counters.tx_packets++;
		off += chunk;
		seq = (uint8_t)((seq + 1) & HDR_SEQ_MASK);
	}
	mctp->counters.tx_messages++;
	return 0;
}

/* Tags. A peer slot is free when none of its tags is outstanding. Finds
 * the slot holding @eid's tags, else (when @alloc) a free one. */
static struct mctp_tag_peer *find_peer(struct mctp *mctp, uint8_t eid,
				       bool alloc)
{
	struct mctp_tag_peer *free_slot = NULL;

	for (size_t i = 0; i < MCTP_TAG_PEERS; i++) {
		struct mctp_tag_peer *p = &mctp->peers[i];

		if (!p->used)
			free_slot = free_slot ? free_slot : p;
		else if (p->eid == eid)
			return p;
	}
	if (alloc && free_slot)
		free_slot->eid = eid;
	return alloc ? free_slot : NULL;
}

static bool peer_awaits(const struct mctp_tag_peer *p, uint8_t tag,
			uint8_t type)
{
	return p && (p->used & (1u << tag)) && p->type[tag] == type;
}

/* Release our outstanding request @tag to @eid if the response's @type is
 * the request's: a response of another type with our tag is not the answer
 * and must not end the request. */
static bool tag_release(struct mctp *mctp, uint8_t eid, uint8_t tag,
			uint8_t type)
{
	struct mctp_tag_peer *p = find_peer(mctp, eid, false);

	/* A request to the null EID (physical addressing) is answered from
	 * whatever EID the endpoint has by then. */
	if (!peer_awaits(p, tag, type))
		p = find_peer(mctp, MCTP_EID_NULL, false);
	if (!peer_awaits(p, tag, type))
		return false;
	p->used = (uint8_t)(p->used & ~(1u << tag));
	return true;
}

int mctp_request_tx(struct mctp *mctp, uint8_t dest, const uint8_t *msg,
		    size_t len)
{
	struct mctp_tag_peer *p;
	unsigned int tag;
	int rc;

	/* tx_message() checks the rest; the tag is released if it fails. */
	if (!msg || !len || dest == MCTP_EID_BROADCAST)
		return -EINVAL;

	p = find_peer(mctp, dest, true);
	if (!p)
		return -EBUSY;

	for (unsigned int i = 0;; i++) {
		if (i == MCTP_TAGS_PER_PEER)
			return -EBUSY;
		tag = (p->next + i) % MCTP_TAGS_PER_PEER;
		if (!(p->used & (1u << tag)))
			break;
	}
	p->used = (uint8_t)(p->used | 1u << tag);
	p->next = (uint8_t)((tag + 1) % MCTP_TAGS_PER_PEER);
	p->type[tag] = msg[0] & MCTP_MSG_TYPE_MASK;
	p->deadline[tag] = mctp->now_ms + mctp->tag_timeout_ms;

	rc = tx_message(mctp, dest, 0, (uint8_t)(HDR_TO | tag), msg, len);
	if (rc) {
		p->used = (uint8_t)(p->used & ~(1u << tag));
		return rc;
	}
	return (int)tag;
}

int mctp_response_tx(struct mctp *mctp, const struct mctp_msg_info *req,
		     const uint8_t *msg, size_t len)
{
	if (!mctp || !req || !req->tag_owner || req->tag > HDR_TAG_MASK)
		return -EINVAL;
	return tx_message(mctp, req->src_eid, req->bus, req->tag, msg, len);
}

void mctp_poll(struct mctp *mctp, uint32_t now_ms)
{
	mctp->now_ms = now_ms;

	for (size_t i = 0; i < MCTP_REASSEMBLY_CONTEXTS; i++) {
		struct mctp_reassembly *r = &mctp->reasm[i];

		if (r->in_use == REASM_ASSEMBLING &&
		    now_ms - r->start_ms >= mctp->reassembly_timeout_ms) {
			r->in_use = REASM_FREE;
			DROP(mctp, rx_drop_timeout);
		}
	}

	for (size_t i = 0; i < MCTP_TAG_PEERS; i++) {
		struct mctp_tag_peer *p = &mctp->peers[i];

		for (uint8_t tag = 0; tag < MCTP_TAGS_PER_PEER; tag++) {
			const struct mctp_handler *h;

			if (!(p->used & (1u << tag)) ||
			    (int32_t)(now_ms - p->deadline[tag]) < 0)
				continue;
			/* Release before the callback: it may send again. */
			p->used = (uint8_t)(p->used & ~(1u << tag));
			mctp->counters.tag_timeouts++;
			h = find_handler(mctp, p->type[tag]);
			if (h && h->ops->timeout)
				h->ops->timeout(h->ctx, mctp, p->eid, tag);
		}
	}
}

int mctp_next_deadline(const struct mctp *mctp, uint32_t *deadline_ms)
{
	bool have = false;
	uint32_t dl = 0;

	if (!mctp || !deadline_ms)
		return -EINVAL;
	for (size_t i = 0; i < MCTP_REASSEMBLY_CONTEXTS; i++) {
		const struct mctp_reassembly *r = &mctp->reasm[i];
		uint32_t t = r->start_ms + mctp->reassembly_timeout_ms;

		if (r->in_use != REASM_ASSEMBLING)
			continue;
		if (!have || (int32_t)(t - dl) < 0)
			dl = t;
		have = true;
	}
	for (size_t i = 0; i < MCTP_TAG_PEERS; i++) {
		const struct mctp_tag_peer *p = &mctp->peers[i];

		for (uint8_t tag = 0; tag < MCTP_TAGS_PER_PEER; tag++) {
			uint32_t t = p->deadline[tag];

			if (!(p->used & (1u << tag)))
				continue;
			if (!have || (int32_t)(t - dl) < 0)
				dl = t;
			have = true;
		}
	}
	if (have)
		*deadline_ms = dl;
	return have ? 1 : 0;
}

const struct mctp_counters *mctp_get_counters(const struct mctp *mctp)
{
	return &mctp->counters;
}

static void deliver(struct mctp *mctp, const struct mctp_binding *b,
		    const uint8_t *hdr, const uint8_t *msg, size_t len)
{
	struct mctp_msg_info info;
	const struct mctp_handler *h;

	info.dest_eid = hdr[1];
	info.src_eid = hdr[2];
	info.tag = hdr[3] & HDR_TAG_MASK;
	info.tag_owner = (hdr[3] & HDR_TO) != 0;
	info.type = msg[0] & MCTP_MSG_TYPE_MASK;
	info.ic = (msg[0] & MCTP_MSG_TYPE_IC) != 0;
	info.bus = b->bus;

	if (!info.tag_owner &&
	    !tag_release(mctp, info.src_eid, info.tag, info.type)) {
		DROP(mctp, rx_drop_unexpected);
		return;
	}
	h = find_handler(mctp, info.type);
	if (!h) {
		DROP(mctp, rx_drop_no_handler);
		return;
	}
	mctp->counters.rx_messages++;
	h->ops->rx(h->ctx, mctp, &info, msg, len);
}

static void forward(struct mctp *mctp, const struct mctp_binding *from,
		    const uint8_t *pkt, size_t len)
{
	const struct mctp_route *route = find_route(mctp, pkt[1]);
	struct mctp_binding *to;

	if (!route) {
		DROP(mctp, rx_drop_not_ours);
		return;
	}
	to = mctp->buses[route->bus];
	if (route->bus == from->bus || len - MCTP_HEADER_SIZE > to->max_mtu) {
		DROP(mctp, rx_drop_route);
		return;
	}
	memcpy(to->tx_pkt, pkt, len);
	if (to->ops->tx(to, len, route->phys)) {
		mctp->counters.tx_errors++;
		return;
	}
	mctp->counters.forwarded++;
}

static struct mctp_reassembly *find_reasm(struct mctp *mctp, uint8_t src,
					  uint8_t tag_flags)
{
	for (size_t i = 0; i < MCTP_REASSEMBLY_CONTEXTS; i++) {
		struct mctp_reassembly *r = &mctp->reasm[i];

		if (r->in_use == REASM_ASSEMBLING && r->hdr[2] == src &&
		    (r->hdr[3] & (HDR_TO | HDR_TAG_MASK)) == tag_flags)
			return r;
	}
	return NULL;
}

static void reasm_start(struct mctp *mctp, const struct mctp_binding *b,
			const uint8_t *pkt, size_t plen)
{
	struct mctp_reassembly *r = NULL;

	/* A first packet must be a full transmission unit: one shorter than
	 * the baseline cannot be followed by more. */
	if (plen < MCTP_BASELINE_MTU) {
		DROP(mctp, rx_drop_size);
		return;
	}
	if (plen > MCTP_MAX_MESSAGE_SIZE) {
		DROP(mctp, rx_drop_too_large);
		return;
	}
	for (size_t i = 0; !r && i < MCTP_REASSEMBLY_CONTEXTS; i++) {
		if (mctp->reasm[i].in_use == REASM_FREE)
			r = &mctp->reasm[i];
	}
	if (!r) {
		DROP(mctp, rx_drop_no_context);
		return;
	}
	r->in_use = REASM_ASSEMBLING;
	memcpy(r->hdr, pkt, MCTP_HEADER_SIZE);
	r->next_seq = (uint8_t)(((pkt[3] >> HDR_SEQ_SHIFT) + 1) & HDR_SEQ_MASK);
	r->bus = b->bus;
	r->unit = (uint16_t)plen;
	r->len = (uint32_t)plen;
	r->start_ms = mctp->now_ms;
	memcpy(r->buf, pkt + MCTP_HEADER_SIZE, plen);
}

static void reasm_continue(struct mctp *mctp, const struct mctp_binding *b,
			   struct mctp_reassembly *r, const uint8_t *pkt,
			   size_t plen)
{
	uint8_t flags = pkt[3];

	if (((flags >> HDR_SEQ_SHIFT) & HDR_SEQ_MASK) != r->next_seq) {
		r->in_use = REASM_FREE;
		DROP(mctp, rx_drop_seq);
		return;
	}
	if ((flags & HDR_EOM) ? plen > r->unit : plen != r->unit) {
		r->in_use = REASM_FREE;
		DROP(mctp, rx_drop_size);
		return;
	}
	if (plen > MCTP_MAX_MESSAGE_SIZE - r->len) {
		r->in_use = REASM_FREE;
		DROP(mctp, rx_drop_too_large);
		return;
	}
	memcpy(r->buf + r->len, pkt + MCTP_HEADER_SIZE, plen);
	r->len += (uint32_t)plen;
	r->next_seq = (uint8_t)((r->next_seq + 1) & HDR_SEQ_MASK);
	if (!(flags & HDR_EOM))
		return;

	/* The message is described by the first packet's header (its dest
	 * may have been null or broadcast; the tag is the same throughout). */
	r->in_use = REASM_DELIVERING;
	deliver(mctp, b, r->hdr, r->buf, r->len);
	r->in_use = REASM_FREE;
}

void mctp_bus_rx(struct mctp_binding *binding, const uint8_t *pkt, size_t len)
{
	struct mctp *mctp = binding ? binding->mctp : NULL;
	struct mctp_reassembly *r;
	uint8_t dest, flags;
	size_t plen;

	if (!mctp || !pkt)
		return;
	mctp->counters.rx_packets++;

	if (len < MCTP_HEADER_SIZE + 1) {
		DROP(mctp, rx_drop_short);
		return;
	}
	if ((pkt[0] & HDR_VERSION_MASK) != MCTP_HEADER_VERSION) {
		DROP(mctp, rx_drop_version);
		return;
	}
	if (pkt[2] == MCTP_EID_BROADCAST) {
		DROP(mctp, rx_drop_src_eid);
		return;
	}
	dest = pkt[1];
	if (dest != MCTP_EID_NULL && dest != MCTP_EID_BROADCAST &&
	    (mctp->eid == MCTP_EID_NULL || dest != mctp->eid)) {
		forward(mctp, binding, pkt, len);
		return;
	}

	flags = pkt[3];
	plen = len - MCTP_HEADER_SIZE;
	r = find_reasm(mctp, pkt[2], flags & (HDR_TO | HDR_TAG_MASK));
	if (flags & HDR_SOM) {
		if (r) {
			r->in_use = REASM_FREE;
			DROP(mctp, rx_drop_restarted);
		}
		if (flags & HDR_EOM)
			deliver(mctp, binding, pkt, pkt + MCTP_HEADER_SIZE,
				plen);
		else
			reasm_start(mctp, binding, pkt, plen);
		return;
	}
	if (!r) {
		DROP(mctp, rx_drop_no_som);
		return;
	}
	reasm_continue(mctp, binding, r, pkt, plen);
}
