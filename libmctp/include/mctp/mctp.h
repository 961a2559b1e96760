/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libmctp core: MCTP (DMTF DSP0236 1.3) packets, fragmentation and
 * reassembly, message tags, dispatch by message type and static routing.
 *
 * The core is sans-I/O: it never blocks, sleeps or reads a clock. Bytes come
 * in through a binding (mctp_bus_rx), go out through the binding's ops, and
 * time is handed in with mctp_poll(). It never allocates: the caller owns
 * struct mctp and every binding, sized at build time (mctp/config.h).
 *
 * Errors are negative errno values. Protocol completion codes (control
 * protocol) are kept apart, in mctp/control.h.
 */
#ifndef MCTP_MCTP_H
#define MCTP_MCTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mctp/config.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Endpoint IDs (DSP0236 8.2). */
#define MCTP_EID_NULL 0x00u
#define MCTP_EID_BROADCAST 0xFFu
/* 0x01..0x07 are reserved; the first assignable EID is 0x08. */
#define MCTP_EID_FIRST_VALID 0x08u

#define MCTP_HEADER_VERSION 0x1u
#define MCTP_HEADER_SIZE 4u
/* Baseline transmission unit: every binding and endpoint supports it. */
#define MCTP_BASELINE_MTU 64u

/* Message type byte: bit 7 is the integrity check (IC) bit. */
#define MCTP_MSG_TYPE_IC 0x80u
#define MCTP_MSG_TYPE_MASK 0x7Fu
#define MCTP_MSG_TYPE_CONTROL 0x00u
#define MCTP_MSG_TYPE_PLDM 0x01u
#define MCTP_MSG_TYPE_SPDM 0x05u
#define MCTP_MSG_TYPE_SECURED_SPDM 0x06u
#define MCTP_MSG_TYPE_VENDOR_PCI 0x7Eu
#define MCTP_MSG_TYPE_VENDOR_IANA 0x7Fu

/* Physical address hint meaning "let the binding resolve it". */
#define MCTP_PHYS_ANY 0xFFu

#define MCTP_TAGS_PER_PEER 8u

struct mctp;
struct mctp_binding;

/** Log levels, as syslog. */
enum mctp_log_level {
	MCTP_LOG_ERR = 3,
	MCTP_LOG_WARNING = 4,
	MCTP_LOG_NOTICE = 5,
	MCTP_LOG_INFO = 6,
	MCTP_LOG_DEBUG = 7,
};

/**
 * Operations a binding gives the core. Const; may live in ROM.
 *
 * tx: send one MCTP packet (4-byte header then payload, @len bytes). The
 *     packet has been written by the core at binding->tx_pkt; the binding
 *     frames it and hands the frame to its bus. @phys is a binding-specific
 *     physical address hint from the routing table (MCTP_PHYS_ANY: resolve
 *     from the destination EID). Returns 0 once the frame is handed over,
 *     or a negative errno (-EHOSTUNREACH when no address is known, or the
 *     bus op's error). Must not block for longer than one frame.
 */
struct mctp_binding_ops {
	int (*tx)(struct mctp_binding *binding, size_t len, uint8_t phys);
};

/**
 * The part common to every binding, embedded first in each binding struct
 * (struct mctp_smbus, struct mctp_serial). Filled in by the binding's init
 * function; the core fills in @mctp and @bus at mctp_bus_register().
 */
struct mctp_binding {
	const struct mctp_binding_ops *ops;
	/* Where the core writes the packet to send: MCTP_HEADER_SIZE +
	 * max_mtu bytes, owned by the binding. */
	uint8_t *tx_pkt;
	/* Largest payload per packet this binding can carry (<= MCTP_MAX_MTU). */
	uint16_t max_mtu;
	/* Payload per packet used when no route gives one; starts at the
	 * baseline 64 and can be raised with mctp_binding_set_mtu(). */
	uint16_t mtu;
	struct mctp *mctp;
	uint8_t bus;
};

/** What the core tells a handler about a received message. */
struct mctp_msg_info {
	uint8_t src_eid;
	uint8_t dest_eid;
	uint8_t tag;    /* 0..7 */
	bool tag_owner; /* true: a request (or unsolicited message) */
	uint8_t type;   /* message type, IC bit removed */
	bool ic;        /* integrity check bit as received */
	uint8_t bus;    /* bus index it arrived on */
};

/**
 * Message handler for one message type.
 *
 * rx: a complete message. @msg starts with the message type byte (IC bit
 *     included, as received) and is valid only during the call. A response
 *     (tag_owner false) is delivered only when it matches a request sent
 *     with mctp_request_tx() (same peer, tag and message type), whose tag
 *     is then released. The handler may
 *     call mctp_response_tx()/mctp_request_tx() from inside the call.
 * timeout: optional; a request of this type to @eid with @tag got no
 *     response before the tag timeout (the tag has been released).
 */
struct mctp_handler_ops {
	void (*rx)(void *ctx, struct mctp *mctp,
		   const struct mctp_msg_info *info, const uint8_t *msg,
		   size_t len);
	void (*timeout)(void *ctx, struct mctp *mctp, uint8_t eid, uint8_t tag);
};

/** Optional log sink. @fmt is printf-style; never called with secrets. */
struct mctp_log_ops {
	void (*log)(void *ctx, enum mctp_log_level level, const char *fmt, ...);
};

/** Configuration handed to mctp_init(). Zero fields take the defaults. */
struct mctp_config {
	/* Initial EID: MCTP_EID_NULL until a bus owner assigns one, or a
	 * static EID. */
	uint8_t eid;
	/* The time now, on the clock later given to mctp_poll(): requests
	 * sent before the first poll time out from here. */
	uint32_t now_ms;
	/* A reassembly not completed within this time is dropped by
	 * mctp_poll(). Default MCTP_DEFAULT_REASSEMBLY_TIMEOUT_MS. */
	uint32_t reassembly_timeout_ms;
	/* A request tag with no response within this time is released by
	 * mctp_poll() and the handler's timeout op called. Default
	 * MCTP_DEFAULT_TAG_TIMEOUT_MS. */
	uint32_t tag_timeout_ms;
	const struct mctp_log_ops *log_ops;
	void *log_ctx;
	enum mctp_log_level log_level;
};

#define MCTP_DEFAULT_REASSEMBLY_TIMEOUT_MS 1000u
#define MCTP_DEFAULT_TAG_TIMEOUT_MS 5000u

/**
 * Counters, one per reason. Every packet that is received either ends up
 * in a delivered message, a forwarded packet, or exactly one rx_drop_*
 * counter (a reassembly that is abandoned counts once, on the packet or
 * poll that abandoned it; the packets already in it are not recounted).
 */
struct mctp_counters {
	/* Packets handed in by bindings. */
	uint32_t rx_packets;
	/* Messages delivered to handlers. */
	uint32_t rx_messages;
	uint32_t tx_packets;
	uint32_t tx_messages;
	/* Messages whose send failed. */
	uint32_t tx_errors;
	/* Packets routed to another bus. */
	uint32_t forwarded;
	/* Shorter than a header and one payload byte. */
	uint32_t rx_drop_short;
	/* Header version not 1. */
	uint32_t rx_drop_version;
	/* Broadcast EID as the source. */
	uint32_t rx_drop_src_eid;
	/* Not for us, and no route. */
	uint32_t rx_drop_not_ours;
	/* Route back to the bus it came from, or too big for the next bus. */
	uint32_t rx_drop_route;
	/* A continuation without a reassembly. */
	uint32_t rx_drop_no_som;
	/* Wrong packet sequence number. */
	uint32_t rx_drop_seq;
	/* Packet size not the transmission unit: the first of several
	 * packets under 64 bytes, a middle one not the first's size, or a
	 * last one larger. */
	uint32_t rx_drop_size;
	/* Message larger than MCTP_MAX_MESSAGE_SIZE. */
	uint32_t rx_drop_too_large;
	/* Every reassembly context busy. */
	uint32_t rx_drop_no_context;
	/* A start of message while the same message was being assembled. */
	uint32_t rx_drop_restarted;
	/* Reassembly stalled, dropped by mctp_poll(). */
	uint32_t rx_drop_timeout;
	/* No handler for the message type. */
	uint32_t rx_drop_no_handler;
	/* A response matching no request (peer, tag and message type). */
	uint32_t rx_drop_unexpected;
	/* Request tags expired by mctp_poll(). */
	uint32_t tag_timeouts;
};

/* Internal state: callers allocate it but must not touch it. */
struct mctp_reassembly {
	uint8_t in_use;
	uint8_t hdr[MCTP_HEADER_SIZE]; /* the first packet's header */
	uint8_t next_seq;
	uint8_t bus;
	uint16_t unit; /* payload size of the first packet */
	uint32_t len;
	uint32_t start_ms;
	uint8_t buf[MCTP_MAX_MESSAGE_SIZE];
};

struct mctp_route {
	uint8_t first_eid;
	uint8_t last_eid; /* 0: unused entry */
	uint8_t bus;
	uint8_t phys;
	uint16_t mtu;
};

struct mctp_handler {
	const struct mctp_handler_ops *ops; /* NULL: unused entry */
	void *ctx;
	uint8_t type;
};

struct mctp_tag_peer {
	uint8_t eid;
	uint8_t used; /* bit n: tag n outstanding */
	uint8_t next; /* round-robin start */
	uint8_t type[MCTP_TAGS_PER_PEER];
	uint32_t deadline[MCTP_TAGS_PER_PEER];
};

struct mctp {
	/* Small, often-used fields first: on Thumb-2 they are reached with
	 * 16-bit loads, which keeps the code small. */
	uint8_t eid;
	uint8_t n_buses;
	uint32_t now_ms;
	uint32_t reassembly_timeout_ms;
	uint32_t tag_timeout_ms;
	struct mctp_counters counters;
	struct mctp_binding *buses[MCTP_MAX_BUSES];
#if MCTP_LOG_ENABLED
	const struct mctp_log_ops *log_ops;
	void *log_ctx;
	enum mctp_log_level log_level;
#endif
	struct mctp_handler handlers[MCTP_MAX_HANDLERS];
#if MCTP_MAX_ROUTES > 0
	struct mctp_route routes[MCTP_MAX_ROUTES];
#endif
	struct mctp_tag_peer peers[MCTP_TAG_PEERS];
	struct mctp_reassembly reasm[MCTP_REASSEMBLY_CONTEXTS];
};

/**
 * Initialise @mctp. @cfg may be NULL for all defaults.
 * Returns 0, or -EINVAL for a NULL @mctp or an EID that cannot be ours
 * (broadcast, reserved 1..7).
 */
int mctp_init(struct mctp *mctp, const struct mctp_config *cfg);

/**
 * Attach an initialised binding as the next bus. Returns the bus index
 * (0, 1, ...), -EINVAL for a binding without ops, tx_pkt or MTU, or
 * -ENOSPC when MCTP_MAX_BUSES are attached.
 */
int mctp_bus_register(struct mctp *mctp, struct mctp_binding *binding);

/**
 * Set the default transmission unit of a binding. Returns 0, or -EINVAL
 * when @mtu is below the 64-byte baseline or above the binding's maximum.
 */
int mctp_binding_set_mtu(struct mctp_binding *binding, uint16_t mtu);

/** Our EID (MCTP_EID_NULL until assigned). */
uint8_t mctp_get_eid(const struct mctp *mctp);

/**
 * Set our EID. Returns 0, or -EINVAL for broadcast and reserved 1..7
 * (MCTP_EID_NULL is allowed and means "unassigned").
 */
int mctp_set_eid(struct mctp *mctp, uint8_t eid);

/**
 * Register the handler for message @type (0..0x7F, IC bit excluded).
 * @ops must stay valid as long as @mctp is used. Registering a type again
 * replaces its handler. Returns 0, -EINVAL (bad type, NULL ops or rx) or
 * -ENOSPC.
 */
int mctp_register_handler(struct mctp *mctp, uint8_t type,
			  const struct mctp_handler_ops *ops, void *ctx);

/**
 * Write the registered message types into @types (capacity @cap), in
 * ascending order. Returns how many there are (may exceed @cap: only @cap
 * were written).
 */
size_t mctp_get_types(const struct mctp *mctp, uint8_t *types, size_t cap);

/**
 * Add a static route: EIDs @first..@last are reached through @bus, with
 * physical address hint @phys (MCTP_PHYS_ANY: the binding resolves it) and
 * transmission unit @mtu (0: the binding's default). Packets received for
 * those EIDs on another bus are forwarded unchanged; messages we send to
 * them use this bus. Returns 0, -EINVAL (bad range, unknown bus, @mtu
 * outside 64..binding maximum), -ENOSPC, or -ENOTSUP when routing is
 * compiled out (mctp_max_routes=0).
 */
int mctp_route_add(struct mctp *mctp, uint8_t first, uint8_t last, uint8_t bus,
		   uint8_t phys, uint16_t mtu);

/** Remove every route. */
void mctp_route_clear(struct mctp *mctp);

/**
 * Send a request (tag owner set) of @len bytes to @dest; @msg starts with
 * the message type byte. A tag is allocated for the peer and held until the
 * response arrives or the tag timeout passes. The message leaves on the
 * bus of the route to @dest, or on bus 0 when there is none.
 * Returns the tag (0..7), or -EINVAL (empty, too large, broadcast or
 * reserved 1..7 destination), -ENETUNREACH (no bus), -EBUSY
 * (all 8 tags for this peer, or every peer slot, in use), or the binding's
 * error (the tag is then released).
 */
int mctp_request_tx(struct mctp *mctp, uint8_t dest, const uint8_t *msg,
		    size_t len);

/**
 * Send a response to the request described by @req (to its source, with
 * its tag, tag owner clear), through the route to that source or else back
 * on the bus the request came in on. Returns 0, -EINVAL (empty or too large, or
 * @req was not a request) or the binding's error.
 */
int mctp_response_tx(struct mctp *mctp, const struct mctp_msg_info *req,
		     const uint8_t *msg, size_t len);

/**
 * Give the core the time. Drops stalled reassemblies and expires request
 * tags (calling the handler's timeout op). @now_ms is any monotonic
 * millisecond count; wrap-around is handled.
 */
void mctp_poll(struct mctp *mctp, uint32_t now_ms);

/**
 * When mctp_poll() next has work: the earliest reassembly timeout or
 * request-tag expiry. Returns 1 with *@deadline_ms set (compare
 * wrap-safely: (int32_t)(now - deadline) >= 0 means due), 0 when nothing
 * is timed, -EINVAL (NULL pointer). For a main loop that sleeps until the
 * next event.
 */
int mctp_next_deadline(const struct mctp *mctp, uint32_t *deadline_ms);

/** The counters (valid as long as @mctp). */
const struct mctp_counters *mctp_get_counters(const struct mctp *mctp);

/**
 * For bindings: a received, unframed packet (header + payload) from
 * @binding. @pkt is only read during the call.
 */
void mctp_bus_rx(struct mctp_binding *binding, const uint8_t *pkt, size_t len);

#ifdef __cplusplus
}
#endif

#endif /* MCTP_MCTP_H */
