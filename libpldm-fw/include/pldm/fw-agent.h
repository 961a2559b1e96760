/* SPDX-License-Identifier: Apache-2.0 */
/*
 * DSP0267 1.3 Update Agent (UA): a sans-I/O state machine that updates one
 * Firmware Device (FD) from a package parsed by pldm_package_parse().
 *
 * The flow, one request outstanding at a time:
 *   QueryDeviceIdentifiers -> pick the first FD identification record all
 *   of whose descriptors the FD reports -> GetFirmwareParameters -> the
 *   components to update are those the record applies to and the FD lists
 *   (same classification and identifier) -> RequestUpdate (answering
 *   GetPackageData if the FD asks) -> GetDeviceMetaData, multipart, when
 *   the FD reports FirmwareDeviceMetaDataLength > 0 and the config gives
 *   storage (still in LEARN COMPONENTS, so before PassComponentTable) ->
 *   PassComponentTable, one component per request (answering GetMetaData
 *   if the FD asks, see pldm_ua_config.metadata) -> for each component:
 *   UpdateComponent, then serve
 *   RequestFirmwareData until TransferComplete, VerifyComplete and
 *   ApplyComplete -> ActivateFirmware.
 * A failure after RequestUpdate ends with CancelUpdate; the result keeps
 * the FD's code. When the FD is silent for too long while the UA waits for
 * it, the UA asks GetStatus to learn whether it failed, went idle, or
 * finished the component (READY_XFER straight from APPLY).
 *
 * Driving it: pldm_ua_start(), then loop: send what pldm_ua_poll() writes
 * (call it after every pldm_ua_rx() and by pldm_ua_next_deadline() at the
 * latest), feed every message from the FD to pldm_ua_rx() and send what it
 * writes back, until pldm_ua_result() is not PLDM_UA_RESULT_NONE.
 *
 * Nothing is allocated or copied: the package bytes, the config and the UA
 * belong to the caller and must outlive the update. Times are any
 * monotonic millisecond counter (wrapping uint32_t, like libmctp).
 */
#ifndef PLDM_FW_AGENT_H
#define PLDM_FW_AGENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pldm/base.h"
#include "pldm/fw-package.h"
#include "pldm/fw-update.h"
#include "pldm/log.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Most components one update handles (package components, not only those
 * applicable). */
#ifndef PLDM_UA_MAX_COMPONENTS
#define PLDM_UA_MAX_COMPONENTS 16u
#endif

/* Defaults for config fields left 0. */
#define PLDM_UA_DEFAULT_FD_SILENCE_MS 5000u
#define PLDM_UA_DEFAULT_STATUS_PROBES 3u
#define PLDM_UA_DEFAULT_RETRY_REQUEST_UPDATE_MS 1000u

/* Largest request the UA sends: header, RequestUpdate's or
 * UpdateComponent's fixed fields, a version string of up to 255 bytes. */
#define PLDM_UA_REQ_MAX_LEN (PLDM_HDR_LEN + 19u + 255u)

/* Where the update is (progress callback, pldm_ua_phase()). */
enum pldm_ua_phase {
	PLDM_UA_PHASE_IDLE = 0,       /* not started */
	PLDM_UA_PHASE_IDENTIFY,       /* QueryDeviceIdentifiers */
	PLDM_UA_PHASE_GET_PARAMETERS, /* GetFirmwareParameters */
	PLDM_UA_PHASE_REQUEST_UPDATE, /* RequestUpdate (and its retries) */
	PLDM_UA_PHASE_PACKAGE_DATA,   /* waiting for GetPackageData */
	PLDM_UA_PHASE_PASS_COMPONENT_TABLE,
	PLDM_UA_PHASE_UPDATE_COMPONENT, /* UpdateComponent */
	PLDM_UA_PHASE_DOWNLOAD,         /* serving RequestFirmwareData */
	PLDM_UA_PHASE_VERIFY,           /* waiting for VerifyComplete */
	PLDM_UA_PHASE_APPLY,            /* waiting for ApplyComplete */
	PLDM_UA_PHASE_ACTIVATE,         /* ActivateFirmware */
	PLDM_UA_PHASE_CANCEL,           /* CancelUpdate */
	PLDM_UA_PHASE_DONE,             /* see pldm_ua_result() */
	/* GetDeviceMetaData, between PACKAGE_DATA and PASS_COMPONENT_TABLE
	 * in time (numbered last so that the earlier values stay) */
	PLDM_UA_PHASE_DEVICE_METADATA,
};

/*
 * How the update ended. The outcome's raw code is, per result: SUCCESS:
 * ActivateFirmware's completion code (00, or 8B ACTIVATION_NOT_REQUIRED);
 * TIMEOUT: the command that got no response after every retry (or
 * GetStatus when the FD kept reporting no progress); REFUSED: the FD's
 * completion code (command: the request it answered); NOT_UPDATABLE: the
 * ComponentResponseCode / ComponentCompatibilityResponseCode (06 when no
 * component of the record is listed by the FD); TRANSFER_FAILED,
 * VERIFY_FAILED, APPLY_FAILED: the TransferResult / VerifyResult /
 * ApplyResult, or GetStatus's AuxStateStatus when found through
 * GetStatus (command then GetStatus); CANCELLED_BY_FD: GetStatus's
 * ReasonCode; PROTOCOL_ERROR: 0 (command: the malformed response's);
 * METADATA_TOO_LARGE: 0 (command: RequestUpdate, whose response announced
 * more FirmwareDeviceMetaDataLength than device_metadata_capacity).
 */
enum pldm_ua_result {
	PLDM_UA_RESULT_NONE = 0, /* still running, or not started */
	PLDM_UA_RESULT_SUCCESS,
	PLDM_UA_RESULT_TIMEOUT,
	PLDM_UA_RESULT_REFUSED,
	PLDM_UA_RESULT_NO_MATCHING_RECORD,
	PLDM_UA_RESULT_NOT_UPDATABLE,
	PLDM_UA_RESULT_TRANSFER_FAILED,
	PLDM_UA_RESULT_VERIFY_FAILED,
	PLDM_UA_RESULT_APPLY_FAILED,
	PLDM_UA_RESULT_CANCELLED,          /* pldm_ua_cancel() */
	PLDM_UA_RESULT_CANCELLED_BY_FD,    /* FD went back to IDLE */
	PLDM_UA_RESULT_PROTOCOL_ERROR,     /* malformed response */
	PLDM_UA_RESULT_METADATA_TOO_LARGE, /* device metadata > storage */
};

/** Details of the result. */
struct pldm_ua_outcome {
	enum pldm_ua_result result;
	uint8_t raw;        /* see enum pldm_ua_result */
	uint8_t command;    /* the command the result comes from */
	uint16_t component; /* index into the UA's component list */
	/* From CancelUpdate's answer, when the update ended with one:
	 * NonFunctioningComponentIndication and its bitmap (bit n: the
	 * FD's component n is not functioning). */
	uint8_t non_functioning;
	uint64_t non_functioning_bitmap;
};

/** Handed to the progress callback on each phase change and each
 * RequestFirmwareData served. */
struct pldm_ua_progress {
	enum pldm_ua_phase phase;
	uint16_t component;       /* index into the UA's component list */
	uint16_t component_count; /* components passed to the FD */
	uint32_t bytes_served;    /* highest image byte served + 1 */
	uint32_t component_size;
};

/**
 * Configuration; must stay valid (unchanged) for the UA's lifetime. Time
 * fields left 0 take the default named beside them.
 */
struct pldm_ua_config {
	/* The FD's TID, used to key instance IDs (any value). */
	uint8_t tid;
	/* MaximumTransferSize offered in RequestUpdate and the most bytes
	 * served per RequestFirmwareData: at least
	 * PLDM_FW_BASELINE_TRANSFER_SIZE. */
	uint32_t max_transfer_size;
	/* PT1: wait for a response before a retry (PLDM_FW_PT1_MS). */
	uint32_t response_timeout_ms;
	/* PN1: retries of an unanswered request (taken as is, 0 allowed;
	 * PLDM_FW_PN1_RETRIES is the DSP0240 value). */
	uint8_t retries;
	/* Silence of the FD, while the UA waits for one of its requests,
	 * before a GetStatus (PLDM_UA_DEFAULT_FD_SILENCE_MS). */
	uint32_t fd_silence_ms;
	/* GetStatus answers in a row showing the FD still busy, with no
	 * request from it in between, before giving up with TIMEOUT
	 * (PLDM_UA_DEFAULT_STATUS_PROBES). */
	uint8_t status_probes;
	/* RETRY_REQUEST_UPDATE: wait before retrying
	 * (PLDM_UA_DEFAULT_RETRY_REQUEST_UPDATE_MS), and how many retries
	 * (taken as is) before REFUSED. */
	uint32_t retry_request_update_ms;
	uint8_t request_update_retries;
	/* INVALID_STATE_FOR_COMMAND in answer to UpdateComponent or
	 * ActivateFirmware: the FD may still wait in APPLY for the UA's
	 * answer to its ApplyComplete, lost on the way (it sends it again and
	 * moves on once answered). The request is sent again (new instance
	 * ID) after this wait (PLDM_FW_FD_T2_RETRY_MS), up to `retries`
	 * times, before REFUSED. */
	uint32_t state_retry_ms;
	/* UpdateOptionFlags bit 0 in every UpdateComponent (otherwise only
	 * where the package's ComponentOptions bit 0 asks for it); also try
	 * UpdateComponent on a component PassComponentTable said "may be
	 * updateable". */
	bool force_update;
	/* A component the FD says it will not or cannot update is skipped
	 * (true) or ends the update with NOT_UPDATABLE (false). If every
	 * component is skipped the result is NOT_UPDATABLE. */
	bool skip_not_updatable;
	/* ActivateFirmware SelfContainedActivationRequest. */
	bool self_contained_activation;
	/* Device metadata served to GetMetaData. NULL: the metadata kept
	 * from the last completed GetDeviceMetaData (pldm_ua_device_metadata(),
	 * kept across pldm_ua_start() so that the update after the FD's
	 * activation and reset hands it back; an update whose FD announces
	 * metadata again overwrites it first); with none either, GetMetaData
	 * is answered COMMAND_NOT_EXPECTED. */
	const uint8_t *metadata;
	size_t metadata_len;
	/* Storage for the FD's metadata read with GetDeviceMetaData (caller
	 * owned, must outlive the UA). NULL or capacity 0: GetDeviceMetaData
	 * is not sent. A FirmwareDeviceMetaDataLength above the capacity ends
	 * the update with METADATA_TOO_LARGE (after CancelUpdate). */
	uint8_t *device_metadata;
	size_t device_metadata_capacity;
	/* Optional: called from pldm_ua_* with the progress. */
	void (*progress)(void *ctx, const struct pldm_ua_progress *p);
	void *ctx;
	/* Optional (pldm/log.h; NULL: no logging): each phase change at
	 * PLDM_LOG_INFO, the start and a successful end at NOTICE, a failed
	 * or cancelled end at WARNING, a forbidden phase change (a bug) at
	 * ERR. Levels above log_level are not passed (0: every level).
	 * Ignored when the library is built with -Dpldm_log=false. */
	const struct pldm_log_ops *log_ops;
	void *log_ctx;
	enum pldm_log_level log_level;
};

/** One component the UA passes to the FD. Read-only for callers. */
struct pldm_ua_component {
	uint16_t package_index; /* bit in ApplicableComponents */
	uint16_t classification;
	uint16_t identifier;
	uint8_t classification_index; /* the FD's, from its parameter table */
	uint32_t comparison_stamp;
	uint16_t options; /* package ComponentOptions */
	uint32_t fd_active_comparison_stamp;
	struct pldm_package_string version;
	struct pldm_package_span image;
	uint8_t component_response; /* PassComponentTable */
	uint8_t component_response_code;
	uint8_t compatibility_response; /* UpdateComponent */
	uint8_t compatibility_response_code;
	bool updated; /* ApplyComplete succeeded */
	bool skipped;
};

/** The UA. Caller-owned; its fields are private. */
struct pldm_ua {
	const struct pldm_ua_config *cfg;
	const struct pldm_package *pkg;
	struct pldm_instance_tracker tracker;
	struct pldm_instance_tid tid_slot;
	enum pldm_ua_phase phase;
	/* Length of the device metadata in cfg->device_metadata from the
	 * last completed GetDeviceMetaData (kept across updates). */
	size_t device_metadata_len;
	struct pldm_package_fd_record record;

	struct pldm_ua_component comps[PLDM_UA_MAX_COMPONENTS];
	uint16_t n_comps;
	uint16_t cur;

	/* The request for this phase: not sent yet (pending), or sent and
	 * awaiting its response (outstanding). */
	bool pending;
	bool outstanding;
	uint8_t req_cmd;
	uint8_t req_instance;
	uint8_t tries;
	uint32_t sent_ms;

	uint32_t now_ms;
	bool update_mode; /* RequestUpdate accepted: cancel needs a message */
	bool retry_wait;  /* RETRY_REQUEST_UPDATE */
	uint8_t request_update_retries;
	uint8_t state_retries;
	uint32_t retry_ms;
	uint32_t fd_heard_ms; /* last FD request, or start of the wait */
	uint8_t probes;

	/* GetDeviceMetaData: wanted in this update, bytes received, handle
	 * to ask for next */
	bool md_want;
	uint32_t md_got;
	uint32_t md_handle;

	uint8_t fd_will_send_package_data;
	uint32_t package_data_max_transfer; /* 0: not given */
	uint16_t fd_metadata_len;
	bool package_data_done;
	uint32_t bytes_served;

	/* Last Transfer/Verify/ApplyComplete answered, to answer a retry of
	 * it the same way. */
	bool last_valid;
	uint8_t last_cmd;
	uint8_t last_instance;
	uint8_t last_result;
	uint8_t last_cc;

	struct pldm_ua_outcome outcome; /* set when the end is decided */
	bool ended;                     /* outcome is final (DONE) */
};

/**
 * Initialise @ua with @cfg. Returns 0 or -EINVAL (NULL pointer,
 * max_transfer_size below PLDM_FW_BASELINE_TRANSFER_SIZE).
 */
int pldm_ua_init(struct pldm_ua *ua, const struct pldm_ua_config *cfg);

/**
 * Start an update of the FD from @pkg (parsed successfully; it and its
 * buffer must outlive the update). Returns 0 (poll to send the first
 * request), -EINVAL (NULL pointer, not initialised), -EBUSY (an update is
 * running), -ENOSPC (more than PLDM_UA_MAX_COMPONENTS components), or the
 * iterator's error for a package that was not parsed.
 */
int pldm_ua_start(struct pldm_ua *ua, const struct pldm_package *pkg,
		  uint32_t now_ms);

/**
 * Give the UA time and take the next request to send, if any: @out with
 * capacity *@out_len (PLDM_UA_REQ_MAX_LEN is always enough); on return
 * *@out_len is the request's length, 0 when there is nothing to send.
 * A request unanswered after response_timeout_ms is sent again (same
 * instance ID) up to `retries` times, then the update ends with TIMEOUT.
 * Returns 0, -EINVAL (NULL pointer), -EMSGSIZE (@out too small: nothing
 * sent, try again with more room).
 */
int pldm_ua_poll(struct pldm_ua *ua, uint32_t now_ms, uint8_t *out,
		 size_t *out_len);

/**
 * Consume one message from the FD (@msg, @len bytes, PLDM header first).
 *
 * A request from the FD (GetPackageData, GetMetaData,
 * RequestFirmwareData, TransferComplete, VerifyComplete, ApplyComplete)
 * is answered into @out (capacity *@out_len on entry, at least 4 +
 * max_transfer_size for RequestFirmwareData; response length on return).
 * RequestFirmwareData is served while downloading (and while
 * UpdateComponent awaits its answer): Length 1..max_transfer_size, else
 * INVALID_TRANSFER_LENGTH; Offset at or past the image end:
 * DATA_OUT_OF_RANGE; a read running past the end is padded with zeros to
 * Length. GetPackageData / GetMetaData parts are at most
 * max_transfer_size bytes (and the FD's GetPackageDataMaximumTransferSize);
 * DataTransferHandle is the byte offset of the part.
 * A request the UA does not expect in its phase is answered
 * COMMAND_NOT_EXPECTED, another command UNSUPPORTED_PLDM_CMD, a bad length
 * ERROR_INVALID_LENGTH. A retry of the last Transfer/Verify/ApplyComplete
 * (same instance ID, or same command and result) gets the same answer
 * again and changes nothing. A completion ahead of the UA's phase
 * (TransferComplete while UpdateComponent awaits its answer,
 * VerifyComplete while downloading, ...) is accepted: the FD reports a
 * step only after the earlier ones succeeded.
 *
 * A response is matched to the outstanding request by instance ID and
 * command. *@out_len is 0 on return for a response.
 *
 * Returns 0 (consumed: call pldm_ua_poll() next, then check
 * pldm_ua_result()), or, with the message ignored and nothing changed:
 * -EINVAL (NULL pointer), -EBADMSG (shorter than a header, header version
 * not 00, not PLDM type 5, a response with our instance ID to another
 * command), -EALREADY (a duplicate of a response already consumed),
 * -ESTALE (a response to no outstanding request: late after a timeout,
 * or unknown), -ENOMSG (no update running and the message is a
 * response, or an unacknowledged request (Rq and D set)), -EMSGSIZE
 * (@out too small for the answer).
 */
int pldm_ua_rx(struct pldm_ua *ua, uint32_t now_ms, const uint8_t *msg,
	       size_t len, uint8_t *out, size_t *out_len);

/**
 * When pldm_ua_poll() must be called next: returns 1 with *@deadline_ms
 * set (at or before "now" when a request waits to be sent), 0 when
 * nothing is timed (not started or done), -EINVAL (NULL pointer).
 */
int pldm_ua_next_deadline(const struct pldm_ua *ua, uint32_t *deadline_ms);

/**
 * Cancel the running update: when the FD is in update mode the next poll
 * sends CancelUpdate and the update ends CANCELLED when it is answered (or
 * TIMEOUT if it never is); before that, it ends CANCELLED at once. An
 * outstanding request is abandoned (a late response to it is stale).
 * Returns 0, -EINVAL (NULL pointer), -EALREADY (not running, or already
 * cancelling or ending).
 */
int pldm_ua_cancel(struct pldm_ua *ua, uint32_t now_ms);

/** The current phase. */
enum pldm_ua_phase pldm_ua_phase(const struct pldm_ua *ua);

/**
 * The result: PLDM_UA_RESULT_NONE until the update is over. @outcome
 * (optional) receives the details.
 */
enum pldm_ua_result pldm_ua_result(const struct pldm_ua *ua,
				   struct pldm_ua_outcome *outcome);

/** A short fixed name for a result ("success", "timeout", ...). */
const char *pldm_ua_result_name(enum pldm_ua_result result);

/** A short fixed name for a phase. */
const char *pldm_ua_phase_name(enum pldm_ua_phase phase);

/**
 * Whether the UA may go from phase @from to phase @to: the const table of
 * the UA's phase graph every phase change is checked against (staying in
 * a phase, e.g. a retried request, is always allowed). A change not in it
 * is a bug: it asserts in debug builds and is refused (the phase stays)
 * otherwise.
 */
bool pldm_ua_transition_allowed(enum pldm_ua_phase from, enum pldm_ua_phase to);

/**
 * The FD's metadata read with GetDeviceMetaData: a pointer into
 * pldm_ua_config.device_metadata and its length in *@len, or NULL (*@len
 * 0) when none was read completely. Stays valid after the update (and
 * across pldm_ua_start()) until a later update's GetDeviceMetaData
 * starts overwriting it; copy it to keep it longer. @len may be NULL.
 */
const uint8_t *pldm_ua_device_metadata(const struct pldm_ua *ua, size_t *len);

/** The components passed to the FD (valid after GetFirmwareParameters). */
const struct pldm_ua_component *pldm_ua_components(const struct pldm_ua *ua,
						   uint16_t *count);

#ifdef __cplusplus
}
#endif

#endif /* PLDM_FW_AGENT_H */
