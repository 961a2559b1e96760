/* SPDX-License-Identifier: Apache-2.0 */
/*
 * PLDM base (DMTF DSP0240, PLDM Type 0): the message header, completion
 * codes, a sans-I/O responder for the discovery commands, requester
 * encoders and decoders, and an instance-ID tracker.
 *
 * Message header (DSP0240 "PLDM message common fields"), 3 bytes:
 *   byte 0: Rq (bit 7) | D (bit 6) | reserved (bit 5) | instance ID (4:0)
 *   byte 1: header version (bits 7:6, 00) | PLDM type (5:0)
 *   byte 2: command code
 * A response carries its completion code in the byte after the header.
 * Multi-byte fields are little-endian. A ver32 (major, minor, update,
 * alpha; each of the first three 0xF0 | BCD digit, 0xFF when absent) is
 * held here as the uint32 0xMMmmuuaa and travels little-endian, so 1.1.0
 * (0xF1F1F000) is the bytes 00 F0 F1 F1.
 */
#ifndef PLDM_BASE_H
#define PLDM_BASE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define PLDM_HDR_LEN 3u
#define PLDM_HDR_RQ 0x80u
#define PLDM_HDR_D 0x40u
#define PLDM_HDR_INSTANCE_MASK 0x1Fu
#define PLDM_HDR_TYPE_MASK 0x3Fu
#define PLDM_INSTANCE_MAX 31u

/* PLDM types (DSP0245). */
enum pldm_type {
	PLDM_TYPE_BASE = 0x00,
	PLDM_TYPE_SMBIOS = 0x01,
	PLDM_TYPE_PLATFORM = 0x02,
	PLDM_TYPE_BIOS = 0x03,
	PLDM_TYPE_FRU = 0x04,
	PLDM_TYPE_FW_UPDATE = 0x05,
	PLDM_TYPE_OEM = 0x3F,
};
#define PLDM_MAX_TYPES 64u

/* Type 0 commands (DSP0240 "PLDM messaging control and discovery"). */
enum pldm_base_command {
	PLDM_BASE_CMD_SET_TID = 0x01,
	PLDM_BASE_CMD_GET_TID = 0x02,
	PLDM_BASE_CMD_GET_PLDM_VERSION = 0x03,
	PLDM_BASE_CMD_GET_PLDM_TYPES = 0x04,
	PLDM_BASE_CMD_GET_PLDM_COMMANDS = 0x05,
};

/* Completion codes (DSP0240 generic ones and, from 0x80, those of
 * GetPLDMVersion and GetPLDMCommands). */
enum pldm_completion_code {
	PLDM_CC_SUCCESS = 0x00,
	PLDM_CC_ERROR = 0x01,
	PLDM_CC_ERROR_INVALID_DATA = 0x02,
	PLDM_CC_ERROR_INVALID_LENGTH = 0x03,
	PLDM_CC_ERROR_NOT_READY = 0x04,
	PLDM_CC_ERROR_UNSUPPORTED_PLDM_CMD = 0x05,
	PLDM_CC_ERROR_INVALID_PLDM_TYPE = 0x20,
	/* GetPLDMVersion / GetPLDMCommands */
	PLDM_CC_INVALID_DATA_TRANSFER_HANDLE = 0x80,
	PLDM_CC_INVALID_TRANSFER_OPERATION_FLAG = 0x81,
	PLDM_CC_INVALID_PLDM_TYPE_IN_REQUEST_DATA = 0x83,
	PLDM_CC_INVALID_PLDM_VERSION_IN_REQUEST_DATA = 0x84,
};

/* GetPLDMVersion TransferOperationFlag (request). */
enum pldm_transfer_operation_flag {
	PLDM_TRANSFER_OP_GET_NEXT_PART = 0x00,
	PLDM_TRANSFER_OP_GET_FIRST_PART = 0x01,
};

/* GetPLDMVersion TransferFlag (response). */
enum pldm_transfer_flag {
	PLDM_TRANSFER_FLAG_START = 0x01,
	PLDM_TRANSFER_FLAG_MIDDLE = 0x02,
	PLDM_TRANSFER_FLAG_END = 0x04,
	PLDM_TRANSFER_FLAG_START_AND_END = 0x05,
};

#define PLDM_TID_UNASSIGNED 0x00u
#define PLDM_TID_RESERVED 0xFFu

/* ver32 from its digits, e.g. PLDM_VER32(1, 1, 0) is 0xF1F1F000. */
#define PLDM_VER32(major, minor, update)                                       \
	((uint32_t)(0xF0u | (major)) << 24 |                                   \
	 (uint32_t)(0xF0u | (minor)) << 16 |                                   \
	 (uint32_t)(0xF0u | (update)) << 8)

/* Largest fixed-size base response: header, completion code, 32-byte
 * command bitmap. pldm_base_handle() needs at least this much room. */
#define PLDM_BASE_RSP_MIN_CAPACITY (PLDM_HDR_LEN + 1u + 32u)

/** A decoded message header. */
struct pldm_header {
	bool request;        /* Rq */
	bool datagram;       /* D */
	uint8_t instance_id; /* 0..31 */
	uint8_t type;        /* 0..63 */
	uint8_t command;
};

/**
 * Write the 3-byte header to @buf (capacity @len). Returns 0, -EINVAL
 * (NULL pointer, instance ID above 31, type above 63), -EMSGSIZE (@len
 * below 3).
 */
int pldm_header_encode(const struct pldm_header *hdr, uint8_t *buf, size_t len);

/**
 * Read the header at the start of @buf. Returns 0, -EINVAL (NULL
 * pointer), -EBADMSG (fewer than 3 bytes, or a header version other than
 * 00). The reserved bit is ignored.
 */
int pldm_header_decode(const uint8_t *buf, size_t len, struct pldm_header *hdr);

/**
 * Translate a completion code into this library's errors: SUCCESS -> 0,
 * ERROR_INVALID_DATA -> -EINVAL, ERROR_INVALID_LENGTH -> -EBADMSG,
 * ERROR_NOT_READY -> -EAGAIN, ERROR_UNSUPPORTED_PLDM_CMD -> -EOPNOTSUPP,
 * ERROR_INVALID_PLDM_TYPE -> -EPROTONOSUPPORT, ERROR and every other code
 * (command-specific ones included) -> -EIO.
 */
int pldm_cc_to_errno(uint8_t cc);

/**
 * The reverse, for a responder that must answer an internal error:
 * 0 -> SUCCESS, -EINVAL -> ERROR_INVALID_DATA, -EBADMSG and -EMSGSIZE ->
 * ERROR_INVALID_LENGTH, -EAGAIN and -EBUSY -> ERROR_NOT_READY,
 * -EOPNOTSUPP -> ERROR_UNSUPPORTED_PLDM_CMD, -EPROTONOSUPPORT ->
 * ERROR_INVALID_PLDM_TYPE, anything else -> ERROR.
 */
uint8_t pldm_errno_to_cc(int err);

/* ---- Responder ---------------------------------------------------------- */

/** One PLDM type the terminus supports. */
struct pldm_base_type {
	uint8_t type; /* 0..63 */
	/* ver32 values (0xMMmmuuaa), 1..PLDM_BASE_MAX_VERSIONS of them,
	 * in the order GetPLDMVersion reports them. */
	const uint32_t *versions;
	uint8_t n_versions;
	/* 32 bytes: bit (n % 8) of byte n / 8 set when command n is
	 * supported, as GetPLDMCommands reports it (all versions share it). */
	const uint8_t *commands;
};
#define PLDM_BASE_MAX_VERSIONS 64u

/**
 * Responder configuration; must stay valid as long as the instance. Type
 * 0 must be listed (at least with SetTID..GetPLDMCommands in its bitmap).
 */
struct pldm_base_config {
	const struct pldm_base_type *types;
	size_t n_types; /* 1..64, no type twice */
	/* Most version-data bytes per GetPLDMVersion response (at least 1);
	 * 0: as many as the response buffer holds. */
	uint16_t version_part_size;
	uint8_t tid; /* initial TID, PLDM_TID_UNASSIGNED until SetTID */
};

/** Responder instance, owned by the caller. */
struct pldm_base {
	const struct pldm_base_config *cfg;
	uint8_t tid;
	/* Last GetPLDMVersion transfer: its type, and the offsets into its
	 * version data (versions then CRC-32) of the part last sent and of
	 * the part after it (the total length once the last part is sent). */
	bool xfer_active;
	uint8_t xfer_type;
	uint32_t xfer_last;
	uint32_t xfer_next;
};

/**
 * Initialise @b with @cfg. Returns 0 or -EINVAL (NULL pointer, no types,
 * more than 64, a type above 63 or listed twice, a type without versions
 * or commands, more than PLDM_BASE_MAX_VERSIONS versions, type 0 missing,
 * a TID of 0xFF).
 */
int pldm_base_init(struct pldm_base *b, const struct pldm_base_config *cfg);

/** The current TID (as set by SetTID). */
uint8_t pldm_base_tid(const struct pldm_base *b);

/**
 * Handle one request @req (@len bytes, header included) and write the
 * response to @rsp: *@rsp_len is its capacity on entry (at least
 * PLDM_BASE_RSP_MIN_CAPACITY) and the response length on return.
 *
 * Returns 0 with a response to send (*@rsp_len > 0), or a negative errno
 * with *@rsp_len = 0 and nothing to send: -EINVAL (NULL pointer),
 * -EMSGSIZE (@rsp capacity too small), -EBADMSG (shorter than a header,
 * header version not 00, Rq clear: not a request), -ENOMSG (Rq and D both
 * set: an unacknowledged request; none of the base commands is one, so
 * it is ignored and changes nothing).
 *
 * Answers: a PLDM type other than 0 -> ERROR_INVALID_PLDM_TYPE; an
 * unknown or unsupported command -> ERROR_UNSUPPORTED_PLDM_CMD; a request
 * of the wrong length -> ERROR_INVALID_LENGTH; SetTID 0 or 0xFF ->
 * ERROR_INVALID_DATA; GetPLDMVersion/GetPLDMCommands for a type not
 * configured -> INVALID_PLDM_TYPE_IN_REQUEST_DATA; GetPLDMCommands for a
 * version the type does not list -> INVALID_PLDM_VERSION_IN_REQUEST_DATA;
 * GetPLDMVersion with an operation flag other than GetFirstPart or
 * GetNextPart -> INVALID_TRANSFER_OPERATION_FLAG; GetNextPart without a
 * transfer started by GetFirstPart, for another type, or with a handle
 * other than the one last returned (or, to retry a lost response, the one
 * before it; after the last part only that retry is left) ->
 * INVALID_DATA_TRANSFER_HANDLE. Error responses carry the completion code
 * only and change no state, except that a GetFirstPart for a type not
 * configured ends the transfer.
 *
 * GetPLDMVersion's data is the type's ver32 entries followed by the
 * CRC-32 (IEEE 802.3: reflected 0xEDB88320, initial value and final XOR
 * 0xFFFFFFFF) of those entries' bytes, little-endian, split into parts of
 * version_part_size bytes. A handle is the byte offset of the part it
 * names; the last part's NextDataTransferHandle is 0.
 */
int pldm_base_handle(struct pldm_base *b, const uint8_t *req, size_t len,
		     uint8_t *rsp, size_t *rsp_len);

/* ---- Requester ---------------------------------------------------------- */

/*
 * Encoders write the whole request (header with Rq set, type 0) to @buf:
 * *@len is the capacity on entry and the length on return. They return 0,
 * -EINVAL (NULL pointer, instance ID above 31, a field out of range) or
 * -EMSGSIZE.
 */
int pldm_base_encode_get_tid_req(uint8_t instance_id, uint8_t *buf,
				 size_t *len);
/* @tid: 1..0xFE */
int pldm_base_encode_set_tid_req(uint8_t instance_id, uint8_t tid, uint8_t *buf,
				 size_t *len);
/* @op: PLDM_TRANSFER_OP_*; @type 0..63 */
int pldm_base_encode_get_version_req(uint8_t instance_id,
				     uint32_t transfer_handle, uint8_t op,
				     uint8_t type, uint8_t *buf, size_t *len);
int pldm_base_encode_get_types_req(uint8_t instance_id, uint8_t *buf,
				   size_t *len);
int pldm_base_encode_get_commands_req(uint8_t instance_id, uint8_t type,
				      uint32_t version, uint8_t *buf,
				      size_t *len);

/*
 * Decoders take a whole response (header included). They check that it is
 * a type 0 response (Rq and D clear) to the decoder's command and read its
 * completion code into *@cc. When *@cc is not SUCCESS they return 0 and
 * leave the other outputs alone; otherwise the response must have the
 * command's exact length. Returns 0, -EINVAL (NULL pointer) or -EBADMSG
 * (malformed, wrong command/type, Rq set, bad length, TransferFlag value
 * not defined). Use pldm_header_decode() for the instance ID.
 */
int pldm_base_decode_get_tid_rsp(const uint8_t *msg, size_t len, uint8_t *cc,
				 uint8_t *tid);
int pldm_base_decode_set_tid_rsp(const uint8_t *msg, size_t len, uint8_t *cc);
/* *@data points into @msg: @data_len bytes of this part's version data. */
int pldm_base_decode_get_version_rsp(const uint8_t *msg, size_t len,
				     uint8_t *cc, uint32_t *next_handle,
				     uint8_t *transfer_flag,
				     const uint8_t **data, size_t *data_len);
/* @types: 8 bytes, bit (n % 8) of byte n / 8 for type n */
int pldm_base_decode_get_types_rsp(const uint8_t *msg, size_t len, uint8_t *cc,
				   uint8_t types[8]);
/* @commands: 32 bytes, bit (n % 8) of byte n / 8 for command n */
int pldm_base_decode_get_commands_rsp(const uint8_t *msg, size_t len,
				      uint8_t *cc, uint8_t commands[32]);

/**
 * Check a reassembled GetPLDMVersion version data (@data, @len: the parts
 * concatenated) and extract its ver32 entries into @versions (room for
 * @max). Returns 0 with *@n set, -EINVAL (NULL pointer), -EBADMSG (not
 * one or more 4-byte entries plus the CRC-32, or the CRC-32 does not
 * match), -ENOSPC (more than @max entries).
 */
int pldm_base_version_data_parse(const uint8_t *data, size_t len,
				 uint32_t *versions, size_t max, size_t *n);

/* ---- Instance-ID tracker ------------------------------------------------ */

/** Instance IDs towards one TID; caller-owned storage for the tracker. */
struct pldm_instance_tid {
	bool used;
	uint8_t tid;
	uint8_t next;         /* where the next allocation search starts */
	uint32_t outstanding; /* bit n: a request with ID n awaits its answer */
	uint32_t answered;    /* bit n: answered, ID not reallocated since */
};

struct pldm_instance_tracker {
	struct pldm_instance_tid *slots;
	size_t n_slots;
};

/**
 * Initialise with caller storage for @n_slots TIDs (cleared here).
 * Returns 0 or -EINVAL (NULL pointer or no slots).
 */
int pldm_instance_init(struct pldm_instance_tracker *t,
		       struct pldm_instance_tid *slots, size_t n_slots);

/**
 * Allocate an instance ID (0..31) for a request to @tid. IDs go round
 * robin so a just-freed ID is the last to be reused, which keeps a late
 * answer to it recognisable. Returns 0, -EINVAL (NULL pointer), -ENOSPC
 * (@tid is new and every slot holds another TID with requests
 * outstanding), -EAGAIN (all 32 IDs to @tid are outstanding).
 */
int pldm_instance_alloc(struct pldm_instance_tracker *t, uint8_t tid,
			uint8_t *instance_id);

/**
 * A response from @tid with @instance_id arrived. Returns 0 (it answers an
 * outstanding request, whose ID is now free), -EALREADY (a duplicate: that
 * request was already answered), -ESTALE (no request with that ID is
 * outstanding: released, never sent, or unknown TID), -EINVAL (NULL
 * pointer, ID above 31).
 */
int pldm_instance_response(struct pldm_instance_tracker *t, uint8_t tid,
			   uint8_t instance_id);

/**
 * Give up on an outstanding request (timeout): its ID is freed and a late
 * response to it will be reported as stale. Returns 0, -EINVAL, -ENOENT
 * (not outstanding).
 */
int pldm_instance_release(struct pldm_instance_tracker *t, uint8_t tid,
			  uint8_t instance_id);

#ifdef __cplusplus
}
#endif

#endif /* PLDM_BASE_H */
