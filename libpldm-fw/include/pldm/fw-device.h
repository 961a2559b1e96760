/* SPDX-License-Identifier: Apache-2.0 */
/*
 * PLDM for Firmware Update (DMTF DSP0267 1.3), Firmware Device (FD) side.
 *
 * A sans-I/O state machine: the caller owns struct pldm_fd, passes every
 * Type 5 request from the Update Agent (UA) to pldm_fd_handle(), every
 * response from the UA to pldm_fd_handle_response(), and calls
 * pldm_fd_poll() (by pldm_fd_next_deadline() at the latest) for the
 * requests the FD sends itself (GetPackageData, GetMetaData,
 * RequestFirmwareData, TransferComplete, VerifyComplete, ApplyComplete). Time is given as
 * now_ms, any monotonic millisecond count (it may wrap). The device
 * (flash writer, verifier...) is reached only through struct pldm_fd_ops.
 *
 * States (GetStatus CurrentState): IDLE -> RequestUpdate -> LEARN
 * COMPONENTS -> PassComponentTable(End) -> READY XFER (GetMetaData first
 * when pldm_fd_config.get_meta_data asks for it) -> UpdateComponent
 * -> DOWNLOAD -> TransferComplete answered -> VERIFY -> VerifyComplete
 * answered -> APPLY -> ApplyComplete answered -> READY XFER ... ->
 * ActivateFirmware -> ACTIVATE -> IDLE. CancelUpdateComponent goes back
 * to READY XFER, CancelUpdate and the FD_T1 idle timeout to IDLE.
 *
 * Completion codes for requests in the wrong state (the state is never
 * changed by a refused request): in IDLE every update command but
 * RequestUpdate gets NOT_IN_UPDATE_MODE; RequestUpdate outside IDLE gets
 * ALREADY_IN_UPDATE_MODE; any other command outside the states where
 * it is valid gets INVALID_STATE_FOR_COMMAND. QueryDeviceIdentifiers,
 * GetFirmwareParameters and GetStatus are valid in every state.
 *
 * Lost messages: a repeated request (same instance ID, command, length
 * and CRC-32 of its bytes) is answered as before without acting again (see pldm_fd_handle()); the
 * FD's own requests are sent again after FD_T2; and while a successful
 * ApplyComplete waits for its answer, an UpdateComponent or
 * ActivateFirmware (which the UA can only send after receiving that
 * ApplyComplete) completes the APPLY -> READY XFER step first.
 */
#ifndef PLDM_FW_DEVICE_H
#define PLDM_FW_DEVICE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pldm/fw-update.h"
#include "pldm/log.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Most components in the parameter table (bitmaps are 32 bits). */
#define PLDM_FD_MAX_COMPONENTS 32u
/* Smallest response buffer pldm_fd_handle() accepts (CancelUpdate, the
 * largest fixed-size response, is 13 bytes). */
#define PLDM_FD_RSP_MIN_CAPACITY 16u
/* Smallest buffer pldm_fd_poll() accepts (RequestFirmwareData, the
 * longest FD request, is 11 bytes). */
#define PLDM_FD_REQ_MIN_CAPACITY 12u

/* Version string types (DSP0267 "string type" values 0..5). */
enum pldm_fd_string_type {
	PLDM_FD_STRING_UNKNOWN = 0,
	PLDM_FD_STRING_ASCII = 1,
	PLDM_FD_STRING_UTF8 = 2,
	PLDM_FD_STRING_UTF16 = 3,
	PLDM_FD_STRING_UTF16LE = 4,
	PLDM_FD_STRING_UTF16BE = 5,
};

/** A version string: @length bytes at @data (not NUL-terminated). */
struct pldm_fd_string {
	uint8_t type; /* enum pldm_fd_string_type */
	uint8_t length;
	const uint8_t *data; /* may be NULL when length is 0 */
};

/**
 * One descriptor of QueryDeviceIdentifiers: @type (0x0000 PCI vendor ID,
 * 0x0001 IANA enterprise ID, 0x0002 UUID, ..., 0xFFFF vendor defined) and
 * its value bytes exactly as they go on the wire (for a vendor-defined
 * descriptor: title string type, title length, title, data).
 */
struct pldm_fd_descriptor {
	uint16_t type;
	uint16_t length;
	const uint8_t *data;
};

/** One entry of the component parameter table (GetFirmwareParameters). */
struct pldm_fd_component {
	uint16_t classification; /* enum pldm_fw_component_classification */
	uint16_t identifier;
	uint8_t classification_index;
	/* PLDM_FW_NO_COMPARISON_STAMP: no stamp, no stamp comparison */
	uint32_t active_comparison_stamp;
	struct pldm_fd_string active_version;
	uint8_t active_release_date[8]; /* "YYYYMMDD", or all zero */
	uint32_t pending_comparison_stamp;
	struct pldm_fd_string pending_version;
	uint8_t pending_release_date[8];
	uint16_t activation_methods; /* PLDM_FW_ACTIVATION_* bits */
	uint32_t capabilities_during_update;
};

/**
 * The device's fixed description. Must stay valid as long as the
 * instance; the library reads it on every request, so the device may
 * update pending versions in its own (non-const) copy between calls.
 */
struct pldm_fd_config {
	const struct pldm_fd_descriptor *descriptors;
	uint8_t n_descriptors; /* at least 1 (DSP0267 requires one) */
	const struct pldm_fd_component *components;
	uint16_t n_components; /* 1..PLDM_FD_MAX_COMPONENTS */
	struct pldm_fd_string active_image_set_version;
	struct pldm_fd_string pending_image_set_version;
	uint32_t capabilities_during_update; /* device level */
	/* Largest RequestFirmwareData length the FD asks for; the UA's
	 * MaximumTransferSize caps it. 0: PLDM_FW_BASELINE_TRANSFER_SIZE. At
	 * least 32 otherwise. Also caps GetDeviceMetaData parts. */
	uint32_t max_transfer_size;
	uint32_t fd_t1_ms; /* update mode idle timeout; 0: PLDM_FW_FD_T1_IDLE_MS */
	uint32_t fd_t2_ms; /* FD request retry time; 0: PLDM_FW_FD_T2_RETRY_MS */
	/* UpdateComponent TimeBeforeRequestFWData, seconds */
	uint16_t time_before_request_fw_data;
	/* Device metadata for GetDeviceMetaData (NULL/0: none, the FD
	 * answers NO_DEVICE_METADATA and RequestUpdate reports length 0). */
	const uint8_t *device_metadata;
	uint16_t device_metadata_length;
	/* Ask the UA for the metadata it kept (GetMetaData) in this update:
	 * set it after a reset that lost the metadata (ops->meta_data must
	 * be set too; see there). */
	bool get_meta_data;
	/* Optional (pldm/log.h; NULL: no logging): each state transition at
	 * PLDM_LOG_INFO, entering and leaving update mode at NOTICE (WARNING
	 * for a cancel or timeout), a forbidden transition (a bug) at ERR.
	 * Levels above log_level are not passed (0: every level). Ignored
	 * when the library is built with -Dpldm_log=false. */
	const struct pldm_log_ops *log_ops;
	void *log_ctx;
	enum pldm_log_level log_level;
};

/** What the UA asked for in PassComponentTable / UpdateComponent. */
struct pldm_fd_component_request {
	uint16_t index; /* into pldm_fd_config.components */
	uint32_t comparison_stamp;
	uint32_t image_size;           /* UpdateComponent only, else 0 */
	uint32_t update_option_flags;  /* UpdateComponent only, else 0 */
	struct pldm_fd_string version; /* points into the request */
};

/**
 * The device. Every op takes @ctx first. Ops marked optional may be NULL.
 * A component is named by its index in pldm_fd_config.components.
 */
struct pldm_fd_ops {
	void *ctx;
	/*
	 * Optional. PassComponentTable (@update false) or UpdateComponent
	 * (@update true) for a component the library found in the table and
	 * whose comparison stamp it checked (higher than the active one, or
	 * force update). Returns a ComponentResponseCode
	 * (PLDM_FW_CRC_CAN_BE_UPDATED or a refusal, e.g.
	 * PLDM_FW_CRC_SECURITY_RESTRICTIONS). For @update true and
	 * CAN_BE_UPDATED the device must be ready for write(). NULL: always
	 * PLDM_FW_CRC_CAN_BE_UPDATED.
	 */
	uint8_t (*component)(void *ctx,
			     const struct pldm_fd_component_request *req,
			     bool update);
	/*
	 * Store @len bytes of the image at byte @offset (chunks come in
	 * order, without gaps). Returns 0, a TransferResult above 0 to abort
	 * the transfer with (e.g. PLDM_FW_TRANSFER_FD_ABORTED_STORAGE_ISSUE),
	 * or a negative errno (reported as PLDM_FW_TRANSFER_GENERIC_ERROR).
	 */
	int (*write)(void *ctx, uint16_t index, uint32_t offset,
		     const uint8_t *data, size_t len);
	/*
	 * Verify the received image. Returns PLDM_FW_VERIFY_SUCCESS (0), a
	 * VerifyResult above 0, -EINPROGRESS (the device will call
	 * pldm_fd_verify_done()) or another negative errno (reported as
	 * PLDM_FW_VERIFY_GENERIC_ERROR).
	 */
	int (*verify)(void *ctx, uint16_t index);
	/*
	 * Apply the verified image (e.g. mark the inactive bank pending).
	 * Returns PLDM_FW_APPLY_SUCCESS (0),
	 * PLDM_FW_APPLY_SUCCESS_WITH_ACTIVATION_METHOD with
	 * *@activation_methods_modification set, another ApplyResult,
	 * -EINPROGRESS (the device will call pldm_fd_apply_done()) or a
	 * negative errno (PLDM_FW_APPLY_GENERIC_ERROR).
	 */
	int (*apply)(void *ctx, uint16_t index,
		     uint16_t *activation_methods_modification);
	/*
	 * ActivateFirmware, once every component that could be updated has
	 * been applied. @self_contained: the UA's SelfContainedActivation-
	 * Request. Set *@estimated_time_s (EstimatedTimeForSelfContained-
	 * Activation). Returns 0 (activation accepted: the FD goes through
	 * ACTIVATE to IDLE), -EINPROGRESS (the FD stays in ACTIVATE until
	 * pldm_fd_activate_done()), a Type 5 completion code above 0 to
	 * refuse with (e.g. PLDM_FW_CC_SELF_CONTAINED_ACTIVATION_NOT_PERMITTED;
	 * the state is unchanged) or another negative errno (PLDM ERROR).
	 */
	int (*activate)(void *ctx, bool self_contained,
			uint16_t *estimated_time_s);
	/*
	 * Optional. The update of component @index (-1: none in progress) is
	 * cancelled: by CancelUpdateComponent (@whole_update false), by
	 * CancelUpdate or the FD_T1 timeout (@whole_update true). For
	 * CancelUpdate, returns the NonFunctioningComponentBitmap (bit n:
	 * component n no longer functions); ignored otherwise.
	 */
	uint64_t (*cancel)(void *ctx, int index, bool whole_update);
	/*
	 * Optional: when set and RequestUpdate announces package data, the FD
	 * fetches it with GetPackageData and hands it over in order. @last on
	 * the final part. A negative return stops the transfer.
	 */
	int (*package_data)(void *ctx, uint32_t offset, const uint8_t *data,
			    size_t len, bool last);
	/*
	 * Optional: the metadata the UA kept from GetDeviceMetaData, fetched
	 * with GetMetaData when pldm_fd_config.get_meta_data is set, handed
	 * over in order like package_data (at most 65535 bytes in all:
	 * FirmwareDeviceMetaDataLength is 16 bits). A negative return stops
	 * the transfer; an error answer from the UA (COMMAND_NOT_EXPECTED:
	 * it holds none) ends it without a @last call.
	 *
	 * When (DSP0267 1.3 as read from public implementations; the
	 * RequestUpdate response has no field announcing it, the 1.3
	 * FDWillSendGetPackageDataCommand values 0x00-0x02 are about
	 * GetPackageData only): the FD sends GetMetaData in READY XFER, right
	 * after the PassComponentTable End (after its GetPackageData, if
	 * any), i.e. in the first update after the activation and reset that
	 * made it lose its state. Until the transfer is over, UpdateComponent
	 * is answered ERROR_NOT_READY (the UA asks again later).
	 */
	int (*meta_data)(void *ctx, uint32_t offset, const uint8_t *data,
			 size_t len, bool last);
	/*
	 * Optional: RequestUpdate is about to be accepted (IDLE -> LEARN
	 * COMPONENTS). @image_set_version is its ComponentImageSetVersion-
	 * String (the data points into the request: copy what you keep),
	 * @package_data_length its PackageDataLength. Returns 0 to accept,
	 * or a completion code to refuse with (e.g.
	 * PLDM_FW_CC_RETRY_REQUEST_UPDATE, PLDM_FW_CC_UNABLE_TO_INITIATE_UPDATE;
	 * the FD stays in IDLE).
	 */
	uint8_t (*request_update)(void *ctx,
				  const struct pldm_fd_string *image_set_version,
				  uint16_t package_data_length);
};

/* The FD's own request (internal). */
enum pldm_fd_req_state {
	PLDM_FD_REQ_NONE = 0, /* nothing to send */
	PLDM_FD_REQ_READY,    /* to send once due_at is reached */
	PLDM_FD_REQ_SENT,     /* outstanding: sent again at due_at */
	PLDM_FD_REQ_BUSY,     /* waiting for the device (verify/apply) */
};

/** FD instance, owned by the caller; treat the fields as private. */
struct pldm_fd {
	const struct pldm_fd_config *cfg;
	const struct pldm_fd_ops *ops;
	uint8_t state, prev_state, reason;
	/* own request: command, state, instance ID, result it carries */
	uint8_t req_cmd, req_state, req_iid, req_result;
	uint8_t last_cmd, last_iid; /* last answered, for duplicates */
	uint8_t pct_flag;           /* last PassComponentTable flag */
	bool pkg_first;
	bool md_want; /* GetMetaData to start once the request slot is free */
	bool activity_stale; /* restart FD_T1 at the next now_ms */
	uint16_t activation_mod;
	int16_t comp;    /* component being updated, or -1 */
	uint32_t t1, t2; /* FD_T1, FD_T2 in ms */
	uint32_t now, due_at, activity_at;
	uint32_t max_transfer;
	uint32_t image_size, offset, update_flags;
	uint32_t listed;  /* components PassComponentTable named */
	uint32_t passed;  /* ... of which it said "can be updated" */
	uint32_t applied; /* components applied in this update */
	uint32_t pkg_len, pkg_offset, pkg_handle;
	uint32_t md_last, md_next; /* GetDeviceMetaData handles */
	bool md_active;
	/* the last request (CRC-32 of its bytes, length) and its answer
	 * when short, to answer a retry the same way */
	uint8_t dup_len;
	uint8_t dup_rsp[13];
	uint32_t dup_crc;
	size_t dup_req_len;
};

/**
 * Initialise @fd in IDLE (reason INITIALIZATION). @cfg and @ops must
 * outlive it. Returns 0 or -EINVAL: NULL pointer, write/verify/apply/
 * activate op missing, no descriptor, a descriptor or device metadata
 * with a length and no data, no component or more than
 * PLDM_FD_MAX_COMPONENTS, max_transfer_size between 1 and 31, a version
 * string with a type above 5 or a length and no data.
 */
int pldm_fd_init(struct pldm_fd *fd, const struct pldm_fd_config *cfg,
		 const struct pldm_fd_ops *ops);

/**
 * Handle one request @req (@len bytes, header included) from the UA and
 * write the response to @rsp: *@rsp_len is its capacity on entry (at
 * least PLDM_FD_RSP_MIN_CAPACITY) and the response length on return.
 *
 * Returns 0 with a response to send, or a negative errno with *@rsp_len
 * = 0 and nothing to send: -EINVAL (NULL pointer), -EMSGSIZE (capacity
 * below the minimum), -EBADMSG (shorter than a header, header version
 * not 00, not a request: give responses to pldm_fd_handle_response()),
 * -ENOMSG (Rq and D set: unacknowledged requests are ignored).
 *
 * A request equal to the previous one (same instance ID, command, length
 * and CRC-32 of its bytes: the FD keeps the CRC, not the bytes) is a retry
 * after a lost response (DSP0240): it gets the previous response again and
 * changes nothing. A different request colliding on all four would get
 * the previous answer, never a state change. Only responses of up to 13
 * bytes are kept for this (every state-changing command's); a repeated
 * GetStatus, QueryDeviceIdentifiers or GetFirmwareParameters is simply
 * answered again.
 *
 * Answers besides the state rules above: type other than 5 ->
 * ERROR_INVALID_PLDM_TYPE; a command code the FD does not serve
 * (downstream-device commands 0x03-0x05 and 0x20, 0x1E, 0x1F, 0x21,
 * 0x22, the FD->UA commands, unknown codes) -> ERROR_UNSUPPORTED_PLDM_CMD;
 * a request whose length is not exactly the command's (including its
 * version string) -> ERROR_INVALID_LENGTH; a field out of range
 * (transfer flag, string type, NumberOfComponents or MaximumOutstanding-
 * TransferRequests 0, SelfContainedActivationRequest above 1, image size
 * 0) or a PassComponentTable transfer flag out of order ->
 * ERROR_INVALID_DATA; RequestUpdate with MaximumTransferSize below 32 ->
 * INVALID_TRANSFER_LENGTH; GetDeviceMetaData without metadata ->
 * NO_DEVICE_METADATA, with an operation flag other than 0/1 ->
 * INVALID_TRANSFER_OPERATION_FLAG, with a handle other than the one last
 * returned (or the one before, to retry) -> INVALID_TRANSFER_HANDLE;
 * UpdateComponent while GetPackageData or GetMetaData is still running
 * (or GetMetaData is yet to start) -> ERROR_NOT_READY; RequestUpdate
 * refused by ops->request_update -> that op's code;
 * ActivateFirmware with a component accepted by PassComponentTable but
 * not applied -> INCOMPLETE_UPDATE, with none applied ->
 * ACTIVATION_NOT_REQUIRED (the update ends: IDLE); a response that does
 * not fit in @rsp -> ERROR. Every error response is the completion code
 * alone and changes no state (beyond the APPLY -> READY XFER step for a
 * lost ApplyComplete answer described above).
 */
int pldm_fd_handle(struct pldm_fd *fd, uint32_t now_ms, const uint8_t *req,
		   size_t len, uint8_t *rsp, size_t *rsp_len);

/**
 * The next request the FD must send, if any: written to @out (*@out_len
 * capacity on entry, at least PLDM_FD_REQ_MIN_CAPACITY; length on return,
 * 0 when there is nothing to send). A request not answered within FD_T2
 * is sent again, with the same instance ID. Also applies the FD_T1 idle
 * timeout. Returns 0, -EINVAL (NULL pointer), -EMSGSIZE (capacity too
 * small; nothing sent, nothing changed).
 */
int pldm_fd_poll(struct pldm_fd *fd, uint32_t now_ms, uint8_t *out,
		 size_t *out_len);

/**
 * A response @rsp (@len bytes, header included) from the UA. The
 * completion code decides: for RequestFirmwareData, SUCCESS with exactly
 * the requested bytes goes to write(), RETRY_REQUEST_FW_DATA asks again
 * after FD_T2, any other code ends the transfer (TransferComplete with
 * FD_ABORTED); for a Transfer/Verify/ApplyComplete, SUCCESS moves on and
 * any other code (e.g. COMMAND_NOT_EXPECTED) sends it again after FD_T2;
 * for GetPackageData and GetMetaData, an error code ends the transfer.
 * Returns 0
 * (it answered the outstanding request and was acted on), -EALREADY (a
 * duplicate of the response last acted on), -ESTALE (no outstanding
 * request has its instance ID and command: late, after a cancel, or
 * never sent), -EBADMSG (not a Type 5 response, or malformed for its
 * command: ignored, the request will be sent again after FD_T2),
 * -EINVAL (NULL pointer). Only a 0 return changes state.
 */
int pldm_fd_handle_response(struct pldm_fd *fd, uint32_t now_ms,
			    const uint8_t *rsp, size_t len);

/**
 * When the caller must call pldm_fd_poll() next: *@deadline_ms (compare
 * with wrap-around: (int32_t)(now - deadline) >= 0 means due). Returns 0,
 * -ENOENT (nothing timed: IDLE, or ACTIVATE/a device operation pending
 * without a timer), -EINVAL.
 */
int pldm_fd_next_deadline(const struct pldm_fd *fd, uint32_t *deadline_ms);

/**
 * Completion of an asynchronous verify (the op returned -EINPROGRESS):
 * @result is a VerifyResult (PLDM_FW_VERIFY_SUCCESS...). Returns 0,
 * -EINVAL (NULL), -EPERM (no verify pending, e.g. it was cancelled).
 * VerifyComplete goes out at the next pldm_fd_poll().
 */
int pldm_fd_verify_done(struct pldm_fd *fd, uint8_t result);

/** The same for apply; @activation_methods_modification is used with
 * PLDM_FW_APPLY_SUCCESS_WITH_ACTIVATION_METHOD. */
int pldm_fd_apply_done(struct pldm_fd *fd, uint8_t result,
		       uint16_t activation_methods_modification);

/** A self-contained activation that returned -EINPROGRESS finished:
 * ACTIVATE -> IDLE (reason ACTIVATE_FW). Returns 0, -EINVAL, -EPERM. */
int pldm_fd_activate_done(struct pldm_fd *fd);

/** Current state (enum pldm_fw_state). */
uint8_t pldm_fd_state(const struct pldm_fd *fd);

/**
 * Whether the FD may move from state @from to state @to (enum
 * pldm_fw_state), per DSP0267's FD state machine: the const table every
 * state change is checked against. A change not in it is a bug: it
 * asserts in debug builds and is refused (the state stays) otherwise.
 */
bool pldm_fd_transition_allowed(uint8_t from, uint8_t to);

#ifdef __cplusplus
}
#endif

#endif /* PLDM_FW_DEVICE_H */
