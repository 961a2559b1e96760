/* SPDX-License-Identifier: Apache-2.0 */
/*
 * DSP0267 1.3 Firmware Device: the UA->FD command responder, the FD's own
 * requests (one outstanding at a time) and the state machine. Message
 * layouts follow DSP0267 1.3; where 1.3 added optional trailing fields
 * (RequestUpdate GetPackageDataMaximumTransferSize, present only when
 * FDWillSendGetPackageDataCommand is 0x02; UpdateComponent
 * GetComponentOpaqueDataMaximumTransferSize, present only with the
 * component-opaque-data option enabled) this FD never selects the option,
 * so the fields are absent.
 *
 * GetMetaData (FD -> UA, 1.1+) reuses the GetPackageData machinery: same
 * request (DataTransferHandle, TransferOperationFlag) and response
 * (NextDataTransferHandle, TransferFlag, data) layouts; see
 * pldm_fd_ops.meta_data for when it is sent.
 */
#include <assert.h>
#include <errno.h>
#include <string.h>

#include "codec.h"
#include "crc32.h"
#include "log.h"
#include "pldm/base.h"
#include "pldm/fw-device.h"

#define ST(s) (1u << PLDM_FW_STATE_##s)
#define ALL_STATES 0x7Fu
#define BUSY_STATES (ST(DOWNLOAD) | ST(VERIFY) | ST(APPLY))
#define UPDATE_STATES (ST(LEARN_COMPONENTS) | ST(READY_XFER) | BUSY_STATES)
#define GENERIC_ERROR 0x0Au /* Transfer/Verify/ApplyResult and AuxStateStatus */
#define BAD_IMAGE_SIZE 0xFFu /* check_component(): not a response code */

/* Transfer flags in order: Start or StartAndEnd first, then Middle or
 * End (PassComponentTable, GetPackageData). */
static bool flag_ok(bool first, uint8_t flag)
{
	if (first) /* Start (1) or StartAndEnd (5) */
		return (flag | PLDM_FW_TRANSFER_FLAG_END) ==
		       PLDM_FW_TRANSFER_FLAG_START_AND_END;
	return flag == PLDM_FW_TRANSFER_FLAG_MIDDLE ||
	       flag == PLDM_FW_TRANSFER_FLAG_END;
}

static bool due(uint32_t now, uint32_t at)
{
	return (int32_t)(now - at) >= 0;
}

static bool string_ok(const struct pldm_fd_string *s)
{
	return s->type <= PLDM_FD_STRING_UTF16BE && (s->length == 0 || s->data);
}

int pldm_fd_init(struct pldm_fd *fd, const struct pldm_fd_config *cfg,
		 const struct pldm_fd_ops *ops)
{
	size_t i;

	if (!fd || !cfg || !ops || !ops->write || !ops->verify || !ops->apply ||
	    !ops->activate || !cfg->descriptors || !cfg->n_descriptors ||
	    !cfg->components || !cfg->n_components ||
	    cfg->n_components > PLDM_FD_MAX_COMPONENTS ||
	    (cfg->max_transfer_size &&
	     cfg->max_transfer_size < PLDM_FW_BASELINE_TRANSFER_SIZE) ||
	    (cfg->device_metadata_length && !cfg->device_metadata) ||
	    !string_ok(&cfg->active_image_set_version) ||
	    !string_ok(&cfg->pending_image_set_version))
		return -EINVAL;
	for (i = 0; i < cfg->n_descriptors; i++)
		if (cfg->descriptors[i].length && !cfg->descriptors[i].data)
			return -EINVAL;
	for (i = 0; i < cfg->n_components; i++)
		if (!string_ok(&cfg->components[i].active_version) ||
		    !string_ok(&cfg->components[i].pending_version))
			return -EINVAL;
	memset(fd, 0, sizeof(*fd));
	fd->cfg = cfg;
	fd->ops = ops;
	fd->comp = -1;
	fd->t1 = cfg->fd_t1_ms ? cfg->fd_t1_ms : PLDM_FW_FD_T1_IDLE_MS;
	fd->t2 = cfg->fd_t2_ms ? cfg->fd_t2_ms : PLDM_FW_FD_T2_RETRY_MS;
	fd->req_iid = PLDM_INSTANCE_MAX; /* the first request uses 0 */
	fd->last_iid = 0xFF;
	return 0;
}

uint8_t pldm_fd_state(const struct pldm_fd *fd)
{
	return fd->state;
}

/*
 * DSP0267's FD state machine: bit n of row s set when the FD may go from
 * state s to state n. Update mode (LEARN COMPONENTS .. APPLY) falls back
 * to IDLE on CancelUpdate or an FD_T1 timeout; DOWNLOAD, VERIFY and APPLY
 * fall back to READY XFER on CancelUpdateComponent, APPLY also once its
 * ApplyComplete is answered.
 */
static const uint8_t fd_transitions[] = {
	[PLDM_FW_STATE_IDLE] = ST(LEARN_COMPONENTS),
	[PLDM_FW_STATE_LEARN_COMPONENTS] = ST(READY_XFER) | ST(IDLE),
	[PLDM_FW_STATE_READY_XFER] = ST(DOWNLOAD) | ST(ACTIVATE) | ST(IDLE),
	[PLDM_FW_STATE_DOWNLOAD] = ST(VERIFY) | ST(READY_XFER) | ST(IDLE),
	[PLDM_FW_STATE_VERIFY] = ST(APPLY) | ST(READY_XFER) | ST(IDLE),
	[PLDM_FW_STATE_APPLY] = ST(READY_XFER) | ST(IDLE),
	[PLDM_FW_STATE_ACTIVATE] = ST(IDLE),
};

bool pldm_fd_transition_allowed(uint8_t from, uint8_t to)
{
	return from < sizeof(fd_transitions) && to < 8u &&
	       (fd_transitions[from] >> to) & 1u;
}

/* The one place the state changes (staying put is not a change). */
static void set_state(struct pldm_fd *fd, uint8_t state)
{
	if (fd->state == state)
		return;
	if (!pldm_fd_transition_allowed(fd->state, state)) {
		pldm_log(fd->cfg, PLDM_LOG_ERR, "FD: state %u -> %u refused",
			 (unsigned int)fd->state, (unsigned int)state);
		assert(false); /* a forbidden transition is a bug */
		return;
	}
	pldm_log(fd->cfg, PLDM_LOG_INFO, "FD: state %u -> %u",
		 (unsigned int)fd->state, (unsigned int)state);
	fd->prev_state = fd->state;
	fd->state = state;
}

static void drop_req(struct pldm_fd *fd)
{
	fd->req_state = PLDM_FD_REQ_NONE;
	fd->req_cmd = 0;
	fd->due_at = fd->now; /* a GetMetaData waiting for the slot is due */
}

static void go_idle(struct pldm_fd *fd, uint8_t reason)
{
	if (fd->state != PLDM_FW_STATE_IDLE)
		pldm_log(fd->cfg,
			 reason == PLDM_FW_REASON_ACTIVATE_FW
				 ? PLDM_LOG_NOTICE
				 : PLDM_LOG_WARNING,
			 "FD: update mode left, reason %u",
			 (unsigned int)reason);
	set_state(fd, PLDM_FW_STATE_IDLE);
	fd->reason = reason;
	fd->comp = -1;
	fd->md_active = false;
	fd->md_want = false;
	drop_req(fd);
}

/* ApplyComplete (success) answered: the component is done. */
static void applied(struct pldm_fd *fd)
{
	fd->applied |= 1u << fd->comp;
	fd->comp = -1;
	drop_req(fd);
	set_state(fd, PLDM_FW_STATE_READY_XFER);
}

/* Tell the device the component (or whole update) is off; returns the
 * device's NonFunctioningComponentBitmap. */
static uint64_t cancel_op(struct pldm_fd *fd, bool whole_update)
{
	uint64_t map = 0;

	if (fd->ops->cancel)
		map = fd->ops->cancel(fd->ops->ctx, fd->comp, whole_update);
	fd->comp = -1;
	drop_req(fd);
	return map;
}

/* FD_T1: no message from the UA for that long in update mode (not
 * counting time the device itself spends verifying or applying). */
static void check_timeout(struct pldm_fd *fd, uint32_t now)
{
	uint8_t s = fd->state;

	fd->now = now;
	if (fd->activity_stale) {
		fd->activity_at = now;
		fd->activity_stale = false;
	}
	if (s == PLDM_FW_STATE_IDLE || s == PLDM_FW_STATE_ACTIVATE ||
	    fd->req_state == PLDM_FD_REQ_BUSY ||
	    !due(now, fd->activity_at + fd->t1))
		return;
	cancel_op(fd, true);
	fd->dup_len = 0; /* a late retry is a new request now */
	/* TIMEOUT_LEARN_COMPONENT (3) .. TIMEOUT_APPLY (7) follow the
	 * states LEARN COMPONENTS (1) .. APPLY (5) */
	go_idle(fd, (uint8_t)(s + 2u));
}

/* Queue the FD request @cmd carrying @result, due now. */
static void queue(struct pldm_fd *fd, uint8_t cmd, uint8_t result)
{
	fd->req_cmd = cmd;
	fd->req_result = result;
	fd->req_state = PLDM_FD_REQ_READY;
	fd->due_at = fd->now;
}

/* The UA answered but did not take the request (busy, or not expecting
 * it yet): ask again, with a new instance ID, after FD_T2. */
static void retry_later(struct pldm_fd *fd)
{
	queue(fd, fd->req_cmd, fd->req_result);
	fd->due_at = fd->now + fd->t2;
}

/* The queued Complete reports success (ApplyResult 1 is success with a
 * changed activation method). */
static bool result_ok(const struct pldm_fd *fd)
{
	return fd->req_result == 0 ||
	       (fd->req_cmd == PLDM_FW_APPLY_COMPLETE &&
		fd->req_result == PLDM_FW_APPLY_SUCCESS_WITH_ACTIVATION_METHOD);
}

static uint8_t op_result(int rc)
{
	return (rc < 0 || rc > 0xFF) ? GENERIC_ERROR : (uint8_t)rc;
}

/* Start verify or apply (@cmd: the Complete command that reports it). */
static void run_local(struct pldm_fd *fd, uint8_t cmd)
{
	uint16_t mod = 0;
	uint16_t index = (uint16_t)fd->comp;
	int rc;

	fd->req_cmd = cmd;
	fd->req_state = PLDM_FD_REQ_BUSY;
	if (cmd == PLDM_FW_VERIFY_COMPLETE)
		rc = fd->ops->verify(fd->ops->ctx, index);
	else
		rc = fd->ops->apply(fd->ops->ctx, index, &mod);
	if (rc == -EINPROGRESS)
		return;
	fd->activation_mod = mod;
	queue(fd, cmd, op_result(rc));
}

static int local_done(struct pldm_fd *fd, uint8_t state, uint8_t result,
		      uint16_t mod)
{
	if (!fd)
		return -EINVAL;
	if (fd->state != state || fd->req_state != PLDM_FD_REQ_BUSY)
		return -EPERM;
	fd->activation_mod = mod;
	queue(fd, fd->req_cmd, result);
	fd->activity_stale = true;
	return 0;
}

int pldm_fd_verify_done(struct pldm_fd *fd, uint8_t result)
{
	return local_done(fd, PLDM_FW_STATE_VERIFY, result, 0);
}

int pldm_fd_apply_done(struct pldm_fd *fd, uint8_t result,
		       uint16_t activation_methods_modification)
{
	return local_done(fd, PLDM_FW_STATE_APPLY, result,
			  activation_methods_modification);
}

int pldm_fd_activate_done(struct pldm_fd *fd)
{
	if (!fd)
		return -EINVAL;
	if (fd->state != PLDM_FW_STATE_ACTIVATE)
		return -EPERM;
	go_idle(fd, PLDM_FW_REASON_ACTIVATE_FW);
	return 0;
}

/* ---- UA -> FD commands --------------------------------------------------- */

static void put_str_hdr(struct pldm_writer *w, const struct pldm_fd_string *s)
{
	pldm_write_u8(w, s->type);
	pldm_write_u8(w, s->length);
}

static void put_str(struct pldm_writer *w, const struct pldm_fd_string *s)
{
	pldm_write_bytes(w, s->data, s->length);
}

/*
 * PassComponentTable / UpdateComponent: find the component, check the
 * comparison stamp (unless force update), then ask the device. Returns a
 * ComponentResponseCode; q->index is set when the component is known.
 */
static uint8_t check_component(struct pldm_fd *fd, struct pldm_reader *r,
			       struct pldm_fd_component_request *q, bool update)
{
	const struct pldm_fd_component *c;
	uint16_t classification, identifier, i;
	uint8_t classification_index;
	uint32_t active;

	classification = pldm_read_le16(r);
	identifier = pldm_read_le16(r);
	classification_index = pldm_read_u8(r);
	q->comparison_stamp = pldm_read_le32(r);
	if (update) {
		q->image_size = pldm_read_le32(r);
		q->update_option_flags = pldm_read_le32(r);
	}
	q->version.type = pldm_read_u8(r);
	q->version.length = pldm_read_u8(r);
	q->version.data = pldm_read_bytes(r, q->version.length);
	if (update && !q->image_size)
		return BAD_IMAGE_SIZE;
	for (i = 0; i < fd->cfg->n_components; i++) {
		c = &fd->cfg->components[i];
		if (c->classification == classification &&
		    c->identifier == identifier &&
		    c->classification_index == classification_index)
			break;
	}
	if (i == fd->cfg->n_components)
		return PLDM_FW_CRC_NOT_SUPPORTED;
	c = &fd->cfg->components[i];
	q->index = i;
	if (update && !(fd->listed & (1u << i)))
		return PLDM_FW_CRC_INFO_NO_MATCH;
	fd->listed |= 1u << i;
	active = c->active_comparison_stamp;
	if (!(q->update_option_flags & PLDM_FW_UPDATE_OPTION_FORCE_UPDATE) &&
	    active != PLDM_FW_NO_COMPARISON_STAMP &&
	    q->comparison_stamp != PLDM_FW_NO_COMPARISON_STAMP) {
		if (q->comparison_stamp == active)
			return PLDM_FW_CRC_COMPARISON_STAMP_IDENTICAL;
		if (q->comparison_stamp < active)
			return PLDM_FW_CRC_COMPARISON_STAMP_LOWER;
	}
	if (!fd->ops->component)
		return PLDM_FW_CRC_CAN_BE_UPDATED;
	return fd->ops->component(fd->ops->ctx, q, update);
}

static uint8_t query_device_identifiers(struct pldm_fd *fd,
					struct pldm_reader *r,
					struct pldm_writer *w)
{
	const struct pldm_fd_descriptor *d = fd->cfg->descriptors;
	uint8_t i, n = fd->cfg->n_descriptors;
	uint32_t total = 0;

	(void)r;
	for (i = 0; i < n; i++)
		total += 4u + d[i].length;
	pldm_write_le32(w, total);
	pldm_write_u8(w, n);
	for (i = 0; i < n; i++) {
		pldm_write_le16(w, d[i].type);
		pldm_write_le16(w, d[i].length);
		pldm_write_bytes(w, d[i].data, d[i].length);
	}
	return PLDM_CC_SUCCESS;
}

static uint8_t get_firmware_parameters(struct pldm_fd *fd,
				       struct pldm_reader *r,
				       struct pldm_writer *w)
{
	const struct pldm_fd_config *cfg = fd->cfg;
	const struct pldm_fd_component *c;
	uint16_t i;

	(void)r;
	pldm_write_le32(w, cfg->capabilities_during_update);
	pldm_write_le16(w, cfg->n_components);
	put_str_hdr(w, &cfg->active_image_set_version);
	put_str_hdr(w, &cfg->pending_image_set_version);
	put_str(w, &cfg->active_image_set_version);
	put_str(w, &cfg->pending_image_set_version);
	for (i = 0; i < cfg->n_components; i++) {
		c = &cfg->components[i];
		pldm_write_le16(w, c->classification);
		pldm_write_le16(w, c->identifier);
		pldm_write_u8(w, c->classification_index);
		pldm_write_le32(w, c->active_comparison_stamp);
		put_str_hdr(w, &c->active_version);
		pldm_write_bytes(w, c->active_release_date, 8);
		pldm_write_le32(w, c->pending_comparison_stamp);
		put_str_hdr(w, &c->pending_version);
		pldm_write_bytes(w, c->pending_release_date, 8);
		pldm_write_le16(w, c->activation_methods);
		pldm_write_le32(w, c->capabilities_during_update);
		put_str(w, &c->active_version);
		put_str(w, &c->pending_version);
	}
	return PLDM_CC_SUCCESS;
}

static uint8_t get_device_meta_data(struct pldm_fd *fd, struct pldm_reader *r,
				    struct pldm_writer *w)
{
	uint32_t handle = pldm_read_le32(r);
	uint8_t op = pldm_read_u8(r);
	uint32_t total = fd->cfg->device_metadata_length;
	uint32_t off, part, room;
	uint8_t flag;

	if (!total)
		return PLDM_FW_CC_NO_DEVICE_METADATA;
	if (op == PLDM_TRANSFER_OP_GET_FIRST_PART) {
		off = 0;
	} else if (op == PLDM_TRANSFER_OP_GET_NEXT_PART) {
		/* the handle last returned, or the previous one to retry */
		if (!fd->md_active || handle == 0 ||
		    (handle != fd->md_next && handle != fd->md_last))
			return PLDM_FW_CC_INVALID_TRANSFER_HANDLE;
		off = handle;
	} else {
		return PLDM_FW_CC_INVALID_TRANSFER_OPERATION_FLAG;
	}
	if (off >= total)
		return PLDM_FW_CC_INVALID_TRANSFER_HANDLE;
	room = (uint32_t)(w->cap - w->pos - 5u);
	part = total - off;
	if (part > fd->max_transfer)
		part = fd->max_transfer;
	if (part > room)
		part = room;
	flag = off == 0 ? PLDM_FW_TRANSFER_FLAG_START
			: PLDM_FW_TRANSFER_FLAG_MIDDLE;
	if (off + part == total)
		flag = (uint8_t)(flag == PLDM_FW_TRANSFER_FLAG_START
					 ? PLDM_FW_TRANSFER_FLAG_START_AND_END
					 : PLDM_FW_TRANSFER_FLAG_END);
	pldm_write_le32(w, off + part == total ? 0 : off + part);
	pldm_write_u8(w, flag);
	pldm_write_bytes(w, fd->cfg->device_metadata + off, part);
	fd->md_active = true;
	fd->md_last = off;
	fd->md_next = off + part;
	return PLDM_CC_SUCCESS;
}

/* GetPackageData / GetMetaData: the FD's multipart read of at most @len
 * bytes from the UA, first part first. */
static void start_multipart(struct pldm_fd *fd, uint8_t cmd, uint32_t len)
{
	fd->pkg_len = len;
	fd->pkg_offset = 0;
	fd->pkg_handle = 0;
	fd->pkg_first = true;
	queue(fd, cmd, 0);
}

/* GetMetaData is wanted: start it when the request slot is free. */
static void meta_kick(struct pldm_fd *fd)
{
	if (fd->md_want && fd->req_state == PLDM_FD_REQ_NONE) {
		fd->md_want = false;
		/* FirmwareDeviceMetaDataLength is 16 bits */
		start_multipart(fd, PLDM_FW_GET_META_DATA, 0xFFFFu);
	}
}

static uint8_t request_update(struct pldm_fd *fd, struct pldm_reader *r,
			      struct pldm_writer *w)
{
	uint32_t max = pldm_read_le32(r);
	uint16_t n_components = pldm_read_le16(r);
	uint8_t max_outstanding = pldm_read_u8(r);
	uint16_t package_len = pldm_read_le16(r);
	uint32_t own = fd->cfg->max_transfer_size;
	bool pkg = package_len && fd->ops->package_data;
	struct pldm_fd_string ver;
	uint8_t cc;

	ver.type = pldm_read_u8(r); /* ComponentImageSetVersionStringType */
	ver.length = pldm_read_u8(r);
	ver.data = pldm_read_bytes(r, ver.length);
	if (!n_components || !max_outstanding)
		return PLDM_CC_ERROR_INVALID_DATA;
	if (max < PLDM_FW_BASELINE_TRANSFER_SIZE)
		return PLDM_FW_CC_INVALID_TRANSFER_LENGTH;
	if (fd->ops->request_update) {
		cc = fd->ops->request_update(fd->ops->ctx, &ver, package_len);
		if (cc)
			return cc;
	}
	if (!own)
		own = PLDM_FW_BASELINE_TRANSFER_SIZE;
	fd->max_transfer = max < own ? max : own;
	fd->listed = fd->passed = fd->applied = 0;
	fd->pct_flag = 0;
	fd->comp = -1;
	fd->md_active = false;
	drop_req(fd);
	if (pkg)
		start_multipart(fd, PLDM_FW_GET_PACKAGE_DATA, package_len);
	pldm_log(fd->cfg, PLDM_LOG_NOTICE, "FD: update mode entered");
	set_state(fd, PLDM_FW_STATE_LEARN_COMPONENTS);
	pldm_write_le16(w, fd->cfg->device_metadata_length);
	pldm_write_u8(w, pkg ? 1u : 0u); /* FDWillSendGetPackageDataCommand */
	return PLDM_CC_SUCCESS;
}

static uint8_t pass_component_table(struct pldm_fd *fd, struct pldm_reader *r,
				    struct pldm_writer *w)
{
	struct pldm_fd_component_request q = {0};
	uint8_t flag = pldm_read_u8(r);
	uint8_t code;

	if (!flag_ok(fd->pct_flag == 0, flag))
		return PLDM_CC_ERROR_INVALID_DATA;
	code = check_component(fd, r, &q, false);
	if (code == PLDM_FW_CRC_CAN_BE_UPDATED)
		fd->passed |= 1u << q.index;
	pldm_write_u8(w, code == PLDM_FW_CRC_CAN_BE_UPDATED
				 ? PLDM_FW_COMPONENT_CAN_BE_UPDATED
				 : PLDM_FW_COMPONENT_MAY_BE_UPDATEABLE);
	pldm_write_u8(w, code);
	fd->pct_flag = flag;
	if (flag & PLDM_FW_TRANSFER_FLAG_END) {
		set_state(fd, PLDM_FW_STATE_READY_XFER);
		/* GetMetaData once GetPackageData (if running) is over */
		fd->md_want = fd->cfg->get_meta_data && fd->ops->meta_data;
		meta_kick(fd);
	}
	return PLDM_CC_SUCCESS;
}

static uint8_t update_component(struct pldm_fd *fd, struct pldm_reader *r,
				struct pldm_writer *w)
{
	struct pldm_fd_component_request q = {0};
	uint32_t enabled;
	uint8_t code;

	/* the request slot is still busy with GetPackageData or
	 * GetMetaData, or GetMetaData has yet to start */
	if (fd->req_state != PLDM_FD_REQ_NONE || fd->md_want)
		return PLDM_CC_ERROR_NOT_READY;
	code = check_component(fd, r, &q, true);
	if (code == BAD_IMAGE_SIZE)
		return PLDM_CC_ERROR_INVALID_DATA;
	enabled = q.update_option_flags & PLDM_FW_UPDATE_OPTION_FORCE_UPDATE;
	pldm_write_u8(w, code == PLDM_FW_CRC_CAN_BE_UPDATED
				 ? PLDM_FW_COMPATIBILITY_CAN_BE_UPDATED
				 : PLDM_FW_COMPATIBILITY_CANNOT_BE_UPDATED);
	pldm_write_u8(w, code);
	pldm_write_le32(w, enabled);
	pldm_write_le16(w, fd->cfg->time_before_request_fw_data);
	if (code == PLDM_FW_CRC_CAN_BE_UPDATED) {
		fd->comp = (int16_t)q.index;
		fd->image_size = q.image_size;
		fd->offset = 0;
		fd->update_flags = enabled;
		queue(fd, PLDM_FW_REQUEST_FIRMWARE_DATA, 0);
		set_state(fd, PLDM_FW_STATE_DOWNLOAD);
	}
	return PLDM_CC_SUCCESS;
}

static uint8_t activate_firmware(struct pldm_fd *fd, struct pldm_reader *r,
				 struct pldm_writer *w)
{
	uint8_t self_contained = pldm_read_u8(r);
	uint8_t cc = PLDM_FW_CC_ACTIVATION_NOT_REQUIRED;
	uint16_t estimated = 0;
	int rc = 0;

	if (self_contained > 1)
		return PLDM_CC_ERROR_INVALID_DATA;
	if (fd->passed & ~fd->applied)
		return PLDM_FW_CC_INCOMPLETE_UPDATE;
	/* with nothing applied there is nothing to activate, and the
	 * update ends here all the same */
	if (fd->applied) {
		rc = fd->ops->activate(fd->ops->ctx, self_contained != 0,
				       &estimated);
		if (rc > 0)
			return (uint8_t)rc;
		if (rc < 0 && rc != -EINPROGRESS)
			return PLDM_CC_ERROR;
		pldm_write_le16(w, estimated);
		cc = PLDM_CC_SUCCESS;
	}
	set_state(fd, PLDM_FW_STATE_ACTIVATE);
	if (rc == 0)
		go_idle(fd, PLDM_FW_REASON_ACTIVATE_FW);
	return cc;
}

static uint8_t get_status(struct pldm_fd *fd, struct pldm_reader *r,
			  struct pldm_writer *w)
{
	uint8_t s = fd->state,
		aux = PLDM_FW_AUX_IDLE_LEARN_COMPONENTS_READ_XFER;
	uint8_t status = 0, pct = PLDM_FW_PROGRESS_UNSUPPORTED, res;
	uint32_t size = fd->image_size, off = fd->offset;
	bool busy = (1u << s) & BUSY_STATES;

	(void)r;
	if (s == PLDM_FW_STATE_ACTIVATE)
		aux = PLDM_FW_AUX_OPERATION_IN_PROGRESS;
	if (busy) {
		aux = PLDM_FW_AUX_OPERATION_IN_PROGRESS;
		res = fd->req_result;
		/* the operation's outcome is known once its Complete request
		 * is queued */
		if (fd->req_cmd != PLDM_FW_REQUEST_FIRMWARE_DATA &&
		    fd->req_state != PLDM_FD_REQ_BUSY) {
			if (result_ok(fd)) {
				aux = PLDM_FW_AUX_OPERATION_SUCCESSFUL;
			} else {
				aux = PLDM_FW_AUX_OPERATION_FAILED;
				status = res == PLDM_FW_AUX_STATUS_TIMEOUT
						 ? PLDM_FW_AUX_STATUS_TIMEOUT
						 : GENERIC_ERROR;
			}
		}
	}
	if (s == PLDM_FW_STATE_DOWNLOAD) {
		/* off <= size; keep off * 100 within 32 bits */
		while (size >> 25) {
			size >>= 1;
			off >>= 1;
		}
		pct = (uint8_t)(off * 100u / size);
	}
	pldm_write_u8(w, s);
	pldm_write_u8(w, fd->prev_state);
	pldm_write_u8(w, aux);
	pldm_write_u8(w, status);
	pldm_write_u8(w, pct);
	pldm_write_u8(w, s == PLDM_FW_STATE_IDLE ? fd->reason : 0);
	pldm_write_le32(w, busy ? fd->update_flags : 0);
	return PLDM_CC_SUCCESS;
}

static uint8_t cancel_update_component(struct pldm_fd *fd,
				       struct pldm_reader *r,
				       struct pldm_writer *w)
{
	(void)r;
	(void)w;
	cancel_op(fd, false);
	set_state(fd, PLDM_FW_STATE_READY_XFER);
	return PLDM_CC_SUCCESS;
}

static uint8_t cancel_update(struct pldm_fd *fd, struct pldm_reader *r,
			     struct pldm_writer *w)
{
	uint64_t map = cancel_op(fd, true);

	(void)r;
	pldm_write_u8(w, map ? PLDM_FW_COMPONENTS_NOT_FUNCTIONING
			     : PLDM_FW_COMPONENTS_FUNCTIONING);
	pldm_write_le32(w, (uint32_t)map);
	pldm_write_le32(w, (uint32_t)(map >> 32));
	go_idle(fd, PLDM_FW_REASON_CANCEL_UPDATE);
	return PLDM_CC_SUCCESS;
}

/*
 * The UA->FD commands: request length before the version string (with a
 * string, its type and length are the last two fixed bytes), the states
 * the command is valid in, and its handler, called once length and state
 * are right with the SUCCESS code already written. Every other command
 * code is unsupported.
 */
struct fd_cmd {
	uint8_t cmd;
	uint8_t fixed;
	uint8_t has_str;
	uint8_t states;
	uint8_t (*handler)(struct pldm_fd *fd, struct pldm_reader *r,
			   struct pldm_writer *w);
};

static const struct fd_cmd fd_cmds[] = {
	{PLDM_FW_QUERY_DEVICE_IDENTIFIERS, 0, 0, ALL_STATES,
	 query_device_identifiers},
	{PLDM_FW_GET_FIRMWARE_PARAMETERS, 0, 0, ALL_STATES,
	 get_firmware_parameters},
	{PLDM_FW_REQUEST_UPDATE, 11, 1, ST(IDLE), request_update},
	{PLDM_FW_GET_DEVICE_META_DATA, 5, 0, ST(LEARN_COMPONENTS),
	 get_device_meta_data},
	{PLDM_FW_PASS_COMPONENT_TABLE, 12, 1, ST(LEARN_COMPONENTS),
	 pass_component_table},
	{PLDM_FW_UPDATE_COMPONENT, 19, 1, ST(READY_XFER), update_component},
	{PLDM_FW_ACTIVATE_FIRMWARE, 1, 0, ST(READY_XFER), activate_firmware},
	{PLDM_FW_GET_STATUS, 0, 0, ALL_STATES, get_status},
	{PLDM_FW_CANCEL_UPDATE_COMPONENT, 0, 0, BUSY_STATES,
	 cancel_update_component},
	{PLDM_FW_CANCEL_UPDATE, 0, 0, UPDATE_STATES, cancel_update},
};

static uint8_t dispatch(struct pldm_fd *fd, uint8_t command,
			struct pldm_reader *r, struct pldm_writer *w)
{
	const struct fd_cmd *d = NULL;
	size_t i, need;

	for (i = 0; i < sizeof(fd_cmds) / sizeof(fd_cmds[0]); i++)
		if (fd_cmds[i].cmd == command)
			d = &fd_cmds[i];
	if (!d)
		return PLDM_CC_ERROR_UNSUPPORTED_PLDM_CMD;
	need = d->fixed;
	if (d->has_str && r->len >= need)
		need += r->buf[d->fixed - 1u];
	if (r->len != need)
		return PLDM_CC_ERROR_INVALID_LENGTH;
	if (d->has_str && r->buf[d->fixed - 2u] > PLDM_FD_STRING_UTF16BE)
		return PLDM_CC_ERROR_INVALID_DATA;
	/*
	 * A successful ApplyComplete is out but its answer has not come
	 * back: a command the UA may only send after receiving that
	 * ApplyComplete (the next UpdateComponent, ActivateFirmware) shows
	 * the answer was lost on the way, so the component is done.
	 */
	if (d->states == ST(READY_XFER) &&
	    fd->req_cmd == PLDM_FW_APPLY_COMPLETE &&
	    fd->req_state == PLDM_FD_REQ_SENT && result_ok(fd))
		applied(fd);
	if (!(d->states & (1u << fd->state))) {
		if (fd->state == PLDM_FW_STATE_IDLE)
			return PLDM_FW_CC_NOT_IN_UPDATE_MODE;
		return command == PLDM_FW_REQUEST_UPDATE
			       ? PLDM_FW_CC_ALREADY_IN_UPDATE_MODE
			       : PLDM_FW_CC_INVALID_STATE_FOR_COMMAND;
	}
	pldm_write_u8(w, PLDM_CC_SUCCESS);
	return d->handler(fd, r, w);
}

int pldm_fd_handle(struct pldm_fd *fd, uint32_t now_ms, const uint8_t *req,
		   size_t len, uint8_t *rsp, size_t *rsp_len)
{
	struct pldm_header hdr;
	struct pldm_reader r;
	struct pldm_writer w;
	uint32_t crc;
	uint8_t cc;
	int rc;

	if (!fd || !req || !rsp || !rsp_len)
		return -EINVAL;
	if (*rsp_len < PLDM_FD_RSP_MIN_CAPACITY) {
		*rsp_len = 0;
		return -EMSGSIZE;
	}
	pldm_writer_init(&w, rsp, *rsp_len);
	*rsp_len = 0;
	rc = pldm_header_decode(req, len, &hdr);
	if (rc)
		return rc;
	if (!hdr.request)
		return -EBADMSG;
	if (hdr.datagram)
		return -ENOMSG;
	check_timeout(fd, now_ms);
	fd->activity_at = now_ms;
	/*
	 * DSP0240: a request repeating the previous one (instance ID
	 * included) is the UA's retry after a lost response: answer it as
	 * before instead of acting twice (a second RequestUpdate would get
	 * ALREADY_IN_UPDATE_MODE). The CRC covers header and body.
	 */
	crc = pldm_crc32_update(PLDM_CRC32_INIT, req, len);
	if (fd->dup_len && crc == fd->dup_crc && len == fd->dup_req_len) {
		memcpy(rsp, fd->dup_rsp, fd->dup_len);
		*rsp_len = fd->dup_len;
		return 0;
	}

	hdr.request = false;
	(void)pldm_header_encode(&hdr, pldm_write_space(&w, PLDM_HDR_LEN),
				 PLDM_HDR_LEN);
	pldm_reader_init(&r, req + PLDM_HDR_LEN, len - PLDM_HDR_LEN);
	if (hdr.type != PLDM_TYPE_FW_UPDATE)
		cc = PLDM_CC_ERROR_INVALID_PLDM_TYPE;
	else
		cc = dispatch(fd, hdr.command, &r, &w);
	if (w.overrun) /* only the variable-length inventory answers */
		cc = PLDM_CC_ERROR;
	if (cc != PLDM_CC_SUCCESS) {
		w.overrun = false;
		w.pos = PLDM_HDR_LEN;
		pldm_write_u8(&w, cc);
	}
	/* keep the short answers (all the state-changing commands') for a
	 * retry; GetStatus and the inventory are simply answered again */
	fd->dup_len = 0;
	if (w.pos <= sizeof(fd->dup_rsp)) {
		memcpy(fd->dup_rsp, rsp, w.pos);
		fd->dup_len = (uint8_t)w.pos;
		fd->dup_crc = crc;
		fd->dup_req_len = len;
	}
	*rsp_len = w.pos;
	return 0;
}

/* ---- FD -> UA requests --------------------------------------------------- */

static uint32_t chunk(const struct pldm_fd *fd)
{
	uint32_t left = fd->image_size - fd->offset;

	return left < fd->max_transfer ? left : fd->max_transfer;
}

int pldm_fd_poll(struct pldm_fd *fd, uint32_t now_ms, uint8_t *out,
		 size_t *out_len)
{
	struct pldm_writer w;
	size_t cap;

	if (!fd || !out || !out_len)
		return -EINVAL;
	cap = *out_len;
	*out_len = 0;
	if (cap < PLDM_FD_REQ_MIN_CAPACITY)
		return -EMSGSIZE;
	check_timeout(fd, now_ms);
	meta_kick(fd);
	if ((fd->req_state != PLDM_FD_REQ_READY &&
	     fd->req_state != PLDM_FD_REQ_SENT) ||
	    !due(now_ms, fd->due_at))
		return 0;
	/* a new request takes the next instance ID, a retry keeps its own */
	if (fd->req_state == PLDM_FD_REQ_READY)
		fd->req_iid = (uint8_t)((fd->req_iid + 1u) & PLDM_INSTANCE_MAX);
	pldm_writer_init(&w, out, cap);
	pldm_write_u8(&w, (uint8_t)(PLDM_HDR_RQ | fd->req_iid));
	pldm_write_u8(&w, PLDM_TYPE_FW_UPDATE); /* header version 00 */
	pldm_write_u8(&w, fd->req_cmd);
	switch (fd->req_cmd) {
	case PLDM_FW_GET_PACKAGE_DATA:
	case PLDM_FW_GET_META_DATA:
		/* DataTransferHandle, TransferOperationFlag */
		pldm_write_le32(&w, fd->pkg_handle);
		pldm_write_u8(&w, fd->pkg_first
					  ? PLDM_TRANSFER_OP_GET_FIRST_PART
					  : PLDM_TRANSFER_OP_GET_NEXT_PART);
		break;
	case PLDM_FW_REQUEST_FIRMWARE_DATA:
		pldm_write_le32(&w, fd->offset);
		pldm_write_le32(&w, chunk(fd));
		break;
	default: /* Transfer/Verify/ApplyComplete */
		pldm_write_u8(&w, fd->req_result);
		if (fd->req_cmd == PLDM_FW_APPLY_COMPLETE)
			pldm_write_le16(&w, fd->activation_mod);
	}
	fd->req_state = PLDM_FD_REQ_SENT;
	fd->due_at = now_ms + fd->t2;
	*out_len = w.pos;
	return 0;
}

static int package_data_rsp(struct pldm_fd *fd, struct pldm_reader *r)
{
	uint32_t next = pldm_read_le32(r);
	uint8_t flag = pldm_read_u8(r);
	size_t n = pldm_reader_left(r);
	bool last = (flag & PLDM_FW_TRANSFER_FLAG_END) != 0;
	int (*op)(void *ctx, uint32_t offset, const uint8_t *data, size_t len,
		  bool last) = fd->req_cmd == PLDM_FW_GET_META_DATA
				       ? fd->ops->meta_data
				       : fd->ops->package_data;
	int rc;

	if (pldm_reader_status(r) || n > fd->pkg_len - fd->pkg_offset ||
	    !flag_ok(fd->pkg_first, flag))
		return -EBADMSG;
	rc = op(fd->ops->ctx, fd->pkg_offset, pldm_read_bytes(r, n), n, last);
	fd->pkg_offset += (uint32_t)n;
	fd->pkg_handle = next;
	fd->pkg_first = false;
	if (last || rc < 0)
		drop_req(fd);
	else
		queue(fd, fd->req_cmd, 0);
	return 0;
}

static int firmware_data_rsp(struct pldm_fd *fd, uint8_t cc,
			     struct pldm_reader *r)
{
	size_t n = pldm_reader_left(r);
	int rc;

	if (cc == PLDM_FW_CC_RETRY_REQUEST_FW_DATA) {
		retry_later(fd);
		return 0;
	}
	if (cc != PLDM_CC_SUCCESS) {
		queue(fd, PLDM_FW_TRANSFER_COMPLETE,
		      PLDM_FW_TRANSFER_FD_ABORTED);
		return 0;
	}
	if (n != chunk(fd))
		return -EBADMSG;
	rc = fd->ops->write(fd->ops->ctx, (uint16_t)fd->comp, fd->offset,
			    pldm_read_bytes(r, n), n);
	if (rc) {
		queue(fd, PLDM_FW_TRANSFER_COMPLETE, op_result(rc));
		return 0;
	}
	fd->offset += (uint32_t)n;
	if (fd->offset == fd->image_size)
		queue(fd, PLDM_FW_TRANSFER_COMPLETE, PLDM_FW_TRANSFER_SUCCESS);
	else
		queue(fd, PLDM_FW_REQUEST_FIRMWARE_DATA, 0);
	return 0;
}

int pldm_fd_handle_response(struct pldm_fd *fd, uint32_t now_ms,
			    const uint8_t *rsp, size_t len)
{
	struct pldm_header hdr;
	struct pldm_reader r;
	uint8_t cc;
	int rc;

	if (!fd || !rsp)
		return -EINVAL;
	check_timeout(fd, now_ms);
	rc = pldm_header_decode(rsp, len, &hdr);
	if (rc)
		return rc;
	if (hdr.request || hdr.datagram || hdr.type != PLDM_TYPE_FW_UPDATE ||
	    len < PLDM_HDR_LEN + 1u)
		return -EBADMSG;
	if (fd->req_state != PLDM_FD_REQ_SENT ||
	    hdr.instance_id != fd->req_iid || hdr.command != fd->req_cmd)
		return (hdr.instance_id == fd->last_iid &&
			hdr.command == fd->last_cmd)
			       ? -EALREADY
			       : -ESTALE;
	pldm_reader_init(&r, rsp + PLDM_HDR_LEN, len - PLDM_HDR_LEN);
	cc = pldm_read_u8(&r);
	if (hdr.command == PLDM_FW_GET_PACKAGE_DATA ||
	    hdr.command == PLDM_FW_GET_META_DATA) {
		if (cc != PLDM_CC_SUCCESS)
			drop_req(fd); /* no package data / metadata after all */
		else
			rc = package_data_rsp(fd, &r);
	} else if (hdr.command == PLDM_FW_REQUEST_FIRMWARE_DATA) {
		rc = firmware_data_rsp(fd, cc, &r);
	} else {
		/* Transfer/Verify/ApplyComplete: a bare completion code */
		if (pldm_reader_left(&r) != 0)
			return -EBADMSG;
		if (cc != PLDM_CC_SUCCESS)
			retry_later(fd);
		else if (!result_ok(fd)) {
			/* failed: wait for the UA to cancel */
			fd->req_state = PLDM_FD_REQ_NONE;
		} else if (hdr.command != PLDM_FW_APPLY_COMPLETE) {
			/* TransferComplete: DOWNLOAD -> VERIFY, VerifyComplete
			 * reported next; VerifyComplete: VERIFY -> APPLY */
			set_state(fd, (uint8_t)(fd->state + 1u));
			run_local(fd, (uint8_t)(hdr.command + 1u));
		} else {
			applied(fd);
		}
	}
	if (rc)
		return rc;
	fd->last_iid = hdr.instance_id;
	fd->last_cmd = hdr.command;
	fd->activity_at = now_ms;
	return 0;
}

int pldm_fd_next_deadline(const struct pldm_fd *fd, uint32_t *deadline_ms)
{
	uint32_t t;
	bool have = false;

	if (!fd || !deadline_ms)
		return -EINVAL;
	/* (GetMetaData waiting for the free slot: due_at is when it was
	 * freed, see drop_req()) */
	if (fd->req_state == PLDM_FD_REQ_READY ||
	    fd->req_state == PLDM_FD_REQ_SENT || fd->md_want) {
		*deadline_ms = fd->due_at;
		have = true;
	}
	if (((1u << fd->state) & UPDATE_STATES) &&
	    fd->req_state != PLDM_FD_REQ_BUSY) {
		t = (fd->activity_stale ? fd->now : fd->activity_at) + fd->t1;
		if (!have || (int32_t)(t - *deadline_ms) < 0)
			*deadline_ms = t;
		have = true;
	}
	return have ? 0 : -ENOENT;
}
