/* SPDX-License-Identifier: Apache-2.0 */
/*
 * MCTP control protocol (DMTF DSP0236 section 12): a responder for an
 * endpoint, and a requester for a bus owner that assigns EIDs and learns
 * what an endpoint supports.
 *
 * mctp_ctrl_init() registers the handler for message type 0x00 on the
 * core. Requests are answered at once from inside mctp_bus_rx(); responses
 * to our own requests are decoded and handed to ops->response.
 *
 * The two roles are built apart (meson option mctp_control, reflected in
 * MCTP_CONTROL_RESPONDER and MCTP_CONTROL_REQUESTER in mctp/config.h): the
 * requester functions and decoders below exist only when
 * MCTP_CONTROL_REQUESTER is 1, so that an endpoint carries the responder
 * alone. Without the responder, requests to us go unanswered.
 *
 * Control message header (after the MCTP message type byte 0x00):
 *   byte 1: Rq (bit 7) | D (bit 6) | reserved (bit 5) | instance ID (4:0)
 *   byte 2: command code
 *   byte 3: completion code (responses only)
 */
#ifndef MCTP_CONTROL_H
#define MCTP_CONTROL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mctp/mctp.h"

#ifdef __cplusplus
extern "C" {
#endif

enum mctp_ctrl_command {
	MCTP_CTRL_CMD_SET_ENDPOINT_ID = 0x01,
	MCTP_CTRL_CMD_GET_ENDPOINT_ID = 0x02,
	MCTP_CTRL_CMD_GET_ENDPOINT_UUID = 0x03,
	MCTP_CTRL_CMD_GET_VERSION_SUPPORT = 0x04,
	MCTP_CTRL_CMD_GET_MESSAGE_TYPE_SUPPORT = 0x05,
	MCTP_CTRL_CMD_GET_VENDOR_MESSAGE_SUPPORT = 0x06,
	MCTP_CTRL_CMD_RESOLVE_ENDPOINT_ID = 0x07,
	MCTP_CTRL_CMD_ALLOCATE_ENDPOINT_IDS = 0x08,
	MCTP_CTRL_CMD_ROUTING_INFO_UPDATE = 0x09,
	MCTP_CTRL_CMD_GET_ROUTING_TABLE_ENTRIES = 0x0A,
	MCTP_CTRL_CMD_PREPARE_ENDPOINT_DISCOVERY = 0x0B,
	MCTP_CTRL_CMD_ENDPOINT_DISCOVERY = 0x0C,
	MCTP_CTRL_CMD_DISCOVERY_NOTIFY = 0x0D,
	MCTP_CTRL_CMD_GET_NETWORK_ID = 0x0E,
	MCTP_CTRL_CMD_QUERY_HOP = 0x0F,
	MCTP_CTRL_CMD_RESOLVE_UUID = 0x10,
	MCTP_CTRL_CMD_QUERY_RATE_LIMIT = 0x11,
	MCTP_CTRL_CMD_REQUEST_TX_RATE_LIMIT = 0x12,
	MCTP_CTRL_CMD_UPDATE_RATE_LIMIT = 0x13,
	MCTP_CTRL_CMD_QUERY_SUPPORTED_INTERFACES = 0x14,
};

enum mctp_ctrl_completion_code {
	MCTP_CTRL_CC_SUCCESS = 0x00,
	MCTP_CTRL_CC_ERROR = 0x01,
	MCTP_CTRL_CC_ERROR_INVALID_DATA = 0x02,
	MCTP_CTRL_CC_ERROR_INVALID_LENGTH = 0x03,
	MCTP_CTRL_CC_ERROR_NOT_READY = 0x04,
	MCTP_CTRL_CC_ERROR_UNSUPPORTED_CMD = 0x05,
	/* Get MCTP Version Support: message type number not supported. */
	MCTP_CTRL_CC_MESSAGE_TYPE_NOT_SUPPORTED = 0x80,
};

#define MCTP_CTRL_HDR_RQ 0x80u
#define MCTP_CTRL_HDR_D 0x40u
#define MCTP_CTRL_HDR_INSTANCE_MASK 0x1Fu

/* Set Endpoint ID operation (request byte 1, bits 1:0). */
enum mctp_ctrl_set_eid_op {
	MCTP_CTRL_SET_EID_SET = 0x0,
	MCTP_CTRL_SET_EID_FORCE = 0x1,
	MCTP_CTRL_SET_EID_RESET = 0x2,
	MCTP_CTRL_SET_EID_SET_DISCOVERED = 0x3,
};
/* Set Endpoint ID response byte 2, EID assignment status (bits 5:4). */
#define MCTP_CTRL_SET_EID_ACCEPTED 0x0u
#define MCTP_CTRL_SET_EID_REJECTED 0x1u

/* Get Endpoint ID response byte 2. */
#define MCTP_CTRL_ENDPOINT_TYPE_SIMPLE 0x0u /* bits 5:4 */
#define MCTP_CTRL_ENDPOINT_TYPE_BRIDGE 0x1u
#define MCTP_CTRL_EID_TYPE_DYNAMIC 0x0u /* bits 1:0 */
#define MCTP_CTRL_EID_TYPE_STATIC 0x1u
#define MCTP_CTRL_EID_TYPE_STATIC_MATCH 0x2u
#define MCTP_CTRL_EID_TYPE_STATIC_MISMATCH 0x3u

/* Get MCTP Version Support: 0xFF asks for the base specification. */
#define MCTP_CTRL_VERSION_BASE 0xFFu
/* Version entries are 32-bit big-endian: major, minor, update, alpha, the
 * first three as 0xF0 | BCD digit (0xFF: not present). */
#define MCTP_CTRL_VERSION(major, minor, update)                                \
	((uint32_t)(0xF0u | (major)) << 24 |                                   \
	 (uint32_t)(0xF0u | (minor)) << 16 |                                   \
	 (uint32_t)(0xF0u | (update)) << 8)
/* A version without an update number, e.g. 1.0 is F1 F0 FF 00. */
#define MCTP_CTRL_VERSION_NO_UPDATE(major, minor)                              \
	((uint32_t)(0xF0u | (major)) << 24 |                                   \
	 (uint32_t)(0xF0u | (minor)) << 16 | (uint32_t)0xFFu << 8)
/* Most versions one type may list: the response (4-byte header, entry
 * count, 4 bytes per entry) is built in a 64-byte buffer on the stack. */
#define MCTP_CTRL_MAX_VERSIONS 14u

/* Get Vendor Defined Message Support vendor ID formats. */
#define MCTP_CTRL_VENDOR_FORMAT_PCI 0x00u  /* 16-bit PCI vendor ID */
#define MCTP_CTRL_VENDOR_FORMAT_IANA 0x01u /* 32-bit IANA enterprise number */
#define MCTP_CTRL_VENDOR_SELECTOR_END 0xFFu

/** Versions offered for one message type. */
struct mctp_ctrl_version_set {
	uint8_t type; /* message type, or MCTP_CTRL_VERSION_BASE */
	uint8_t count;
	const uint32_t *versions;
};

/** One vendor ID set for Get Vendor Defined Message Support. */
struct mctp_ctrl_vendor_set {
	uint8_t format;     /* MCTP_CTRL_VENDOR_FORMAT_* */
	uint32_t vendor_id; /* 16 bits used for PCI */
	uint16_t command_set;
};

/**
 * Responder configuration; must stay valid as long as the instance.
 * The base specification (0xFF) and control (0x00) versions 1.0, 1.1, 1.2
 * and 1.3.3 are built in unless @versions lists those types itself; any
 * other type gets completion code 0x80 unless @versions lists it. Each
 * set holds at most MCTP_CTRL_MAX_VERSIONS entries; @vendor_sets at most
 * 255 (the selector is one byte and 0xFF ends the list).
 * @static_eid should also be the EID given to mctp_init(): the responder
 * reports it and returns to it, but does not apply it at init.
 */
struct mctp_ctrl_config {
	uint8_t uuid[16];
	uint8_t endpoint_type; /* MCTP_CTRL_ENDPOINT_TYPE_* */
	/* Static EID to report and to return to on a Reset EID operation;
	 * MCTP_EID_NULL: the EID is dynamic only. */
	uint8_t static_eid;
	const struct mctp_ctrl_version_set *versions;
	size_t n_versions;
	const struct mctp_ctrl_vendor_set *vendor_sets;
	size_t n_vendor_sets;
};

/** A response to one of our requests, or its timeout. */
struct mctp_ctrl_response {
	/* 0; -ETIMEDOUT: no response in time; -EBADMSG: the response that
	 * used the request's tag was malformed or did not match (instance ID,
	 * command, Rq/D/IC bits). The core has spent the tag on it, so no
	 * valid answer can follow; ask again. Only eid and command are valid
	 * when status is not 0. */
	int status;
	uint8_t eid; /* who answered (or whom we asked, on timeout) */
	uint8_t command;
	uint8_t completion_code;
	const uint8_t *data; /* bytes after the completion code */
	size_t len;
};

struct mctp_ctrl_ops {
	/* A response arrived or the request timed out. Optional. */
	void (*response)(void *ctx, const struct mctp_ctrl_response *rsp);
	/* A Set Endpoint ID request (set, force or reset) was accepted and
	 * our EID is now @eid (possibly the same value as before). Called
	 * after the response has been sent. Optional. */
	void (*eid_changed)(void *ctx, uint8_t eid);
};

struct mctp_ctrl {
	struct mctp *mctp;
	const struct mctp_ctrl_config *cfg;
	const struct mctp_ctrl_ops *ops;
	void *ctx;
	uint8_t bus_owner_eid; /* who assigned our EID */
	bool assigned;
#if MCTP_CONTROL_REQUESTER
	/* requester: one request outstanding at a time */
	bool pending;
	uint8_t pending_eid;
	uint8_t pending_tag;
	uint8_t pending_instance;
	uint8_t pending_command;
	uint8_t next_instance;
	uint32_t pending_since_ms; /* core time when the request was sent */
#endif
};

/**
 * Initialise and register the type 0x00 handler on @mctp. @cfg may be
 * NULL: the responder then reports an all-zero UUID, a simple endpoint
 * with a dynamic EID and only the built-in versions. @ops/@ctx may be
 * NULL. Returns 0, -EINVAL (NULL @ctrl/@mctp, or a @cfg field out of
 * range: endpoint type above 1, reserved static EID, a version set with no
 * entries or too many, a vendor set with an unknown format, a PCI vendor ID
 * above 0xFFFF, more than 255 vendor sets), or the error of
 * mctp_register_handler(). Without the responder (MCTP_CONTROL_RESPONDER
 * 0), @cfg is neither read nor checked.
 *
 * The responder answers every request (tag owner set, Rq set) at once.
 * It drops without an answer: control messages with the IC bit set
 * (DSP0236 forbids an integrity check on control messages), datagrams (D
 * set: never answered, and no control datagram is supported), messages
 * shorter than the 3-byte header, and tag-owner messages with Rq clear.
 * Request data must have exactly the length of its DSP0236 table: shorter
 * or longer gets ERROR_INVALID_LENGTH. Set Endpoint ID: set and force
 * refuse EIDs 0x00, 0x01-0x07 and 0xFF with ERROR_INVALID_DATA; set is
 * accepted while no bus owner has assigned our EID (a static EID does not
 * count) or when it comes from the EID that assigned it, otherwise it is
 * answered with status rejected and the current EID; force is always
 * accepted; reset returns to @cfg->static_eid (ERROR_INVALID_DATA without
 * one) and forgets the bus owner; set discovered flag gets
 * ERROR_INVALID_DATA, as DSP0236 asks of bindings without a discovered
 * flag (SMBus and serial have none). Our EID pool size is always 0.
 */
int mctp_ctrl_init(struct mctp_ctrl *ctrl, struct mctp *mctp,
		   const struct mctp_ctrl_config *cfg,
		   const struct mctp_ctrl_ops *ops, void *ctx);

#if MCTP_CONTROL_REQUESTER

/**
 * Send a control request @command with @len bytes of request data to
 * @dest (MCTP_EID_NULL for a physically addressed endpoint; its answer may
 * come from the EID it has just been given). The answer comes through
 * ops->response; it is matched by tag, peer, instance ID and command. The
 * instance ID increments (mod 32) with every request. A request whose tag
 * the core released for a message that never reached us (say a response
 * with its tag but another message type) is ended with -ETIMEDOUT here,
 * once a tag timeout has passed since it was sent. Returns 0, -EBUSY (a
 * request is already outstanding, or no tag), -EINVAL (NULL data with a
 * length, @len above 61, broadcast @dest), or a transmit error.
 */
int mctp_ctrl_request(struct mctp_ctrl *ctrl, uint8_t dest, uint8_t command,
		      const uint8_t *data, size_t len);

/* Convenience requests for a bus owner (same returns as above).
 * Send Set Endpoint ID to MCTP_EID_NULL (physical addressing): an endpoint
 * answers it from its new EID, which the core matches only to a request
 * sent to the null EID; sent to the old EID, the answer is dropped and the
 * request times out. */
int mctp_ctrl_set_eid(struct mctp_ctrl *ctrl, uint8_t dest,
		      enum mctp_ctrl_set_eid_op op, uint8_t eid);
int mctp_ctrl_get_eid(struct mctp_ctrl *ctrl, uint8_t dest);
int mctp_ctrl_get_uuid(struct mctp_ctrl *ctrl, uint8_t dest);
int mctp_ctrl_get_version(struct mctp_ctrl *ctrl, uint8_t dest, uint8_t type);
int mctp_ctrl_get_types(struct mctp_ctrl *ctrl, uint8_t dest);
int mctp_ctrl_get_vendor_support(struct mctp_ctrl *ctrl, uint8_t dest,
				 uint8_t selector);

/* Decoded responses. Each decoder returns 0; rsp->status when that is
 * not 0; -EINVAL when @rsp answers another command; -EPROTO when the
 * completion code is not success; -EBADMSG when the data is malformed,
 * including any byte past the fields of the DSP0236 table. */
struct mctp_ctrl_set_eid_rsp {
	uint8_t assignment_status; /* MCTP_CTRL_SET_EID_ACCEPTED/REJECTED */
	uint8_t allocation_status;
	uint8_t eid;
	uint8_t pool_size;
};
int mctp_ctrl_decode_set_eid(const struct mctp_ctrl_response *rsp,
			     struct mctp_ctrl_set_eid_rsp *out);

struct mctp_ctrl_get_eid_rsp {
	uint8_t eid;
	uint8_t endpoint_type;
	uint8_t eid_type;
	uint8_t medium_specific;
};
int mctp_ctrl_decode_get_eid(const struct mctp_ctrl_response *rsp,
			     struct mctp_ctrl_get_eid_rsp *out);

int mctp_ctrl_decode_uuid(const struct mctp_ctrl_response *rsp,
			  uint8_t uuid[16]);

/* Writes up to @cap entries; *count gets the number the response holds. */
int mctp_ctrl_decode_versions(const struct mctp_ctrl_response *rsp,
			      uint32_t *versions, size_t cap, size_t *count);
int mctp_ctrl_decode_types(const struct mctp_ctrl_response *rsp, uint8_t *types,
			   size_t cap, size_t *count);

struct mctp_ctrl_vendor_rsp {
	uint8_t next_selector; /* MCTP_CTRL_VENDOR_SELECTOR_END: last set */
	struct mctp_ctrl_vendor_set set;
};
int mctp_ctrl_decode_vendor_support(const struct mctp_ctrl_response *rsp,
				    struct mctp_ctrl_vendor_rsp *out);
#endif /* MCTP_CONTROL_REQUESTER */

#ifdef __cplusplus
}
#endif

#endif /* MCTP_CONTROL_H */
