/* SPDX-License-Identifier: Apache-2.0 */
/*
 * DSP0267 Update Agent: answers to the FD's requests (GetPackageData,
 * GetMetaData, RequestFirmwareData, Transfer/Verify/ApplyComplete). The
 * state machine they drive is in fw-agent.c.
 */
#include <errno.h>
#include <string.h>

#include "codec.h"
#include "fw-agent-internal.h"
#include "pldm/fw-agent.h"

/*
 * GetPackageData / GetMetaData: DataTransferHandle is the byte offset of
 * the part; GetFirstPart ignores it. Parts are at most @part_max bytes;
 * NextDataTransferHandle is 0 after the last one.
 */
static uint8_t serve_multipart(struct pldm_reader *r, struct pldm_writer *w,
			       const uint8_t *data, size_t len, size_t part_max,
			       bool *last)
{
	uint32_t handle = pldm_read_le32(r); /* DataTransferHandle */
	uint8_t op = pldm_read_u8(r);        /* TransferOperationFlag */
	size_t n;
	uint8_t flag;

	*last = false;
	if (pldm_reader_status(r) || pldm_reader_left(r) != 0)
		return PLDM_CC_ERROR_INVALID_LENGTH;
	if (op == PLDM_TRANSFER_OP_GET_FIRST_PART)
		handle = 0;
	else if (op != PLDM_TRANSFER_OP_GET_NEXT_PART)
		return PLDM_FW_CC_INVALID_TRANSFER_OPERATION_FLAG;
	else if (handle == 0 || handle >= len)
		return PLDM_FW_CC_INVALID_TRANSFER_HANDLE;
	n = len - handle;
	if (n > part_max)
		n = part_max;
	*last = handle + n == len;
	if (handle == 0)
		flag = *last ? PLDM_FW_TRANSFER_FLAG_START_AND_END
			     : PLDM_FW_TRANSFER_FLAG_START;
	else
		flag = *last ? PLDM_FW_TRANSFER_FLAG_END
			     : PLDM_FW_TRANSFER_FLAG_MIDDLE;
	pldm_write_u8(w, PLDM_CC_SUCCESS);
	pldm_write_le32(w, *last ? 0u : (uint32_t)(handle + n)); /* Next... */
	pldm_write_u8(w, flag); /* TransferFlag */
	pldm_write_bytes(w, data + handle, n);
	return PLDM_CC_SUCCESS;
}

static size_t part_limit(const struct pldm_ua *ua, const struct pldm_writer *w,
			 uint32_t fd_max)
{
	/* room after header, cc, handle and flag */
	size_t n = w->cap > w->pos + 6u ? w->cap - w->pos - 6u : 0;

	if (n > ua->cfg->max_transfer_size)
		n = ua->cfg->max_transfer_size;
	if (fd_max && n > fd_max)
		n = fd_max;
	return n;
}

static uint8_t fd_get_package_data(struct pldm_ua *ua, struct pldm_reader *r,
				   struct pldm_writer *w)
{
	const struct pldm_package_span *d =
		&ua->record.firmware_device_package_data;
	bool last;
	uint8_t cc;

	if (!ua->update_mode || ua->phase == PLDM_UA_PHASE_CANCEL)
		return PLDM_FW_CC_COMMAND_NOT_EXPECTED;
	if (d->length == 0)
		return PLDM_FW_CC_NO_PACKAGE_DATA;
	cc = serve_multipart(r, w, d->ptr, d->length,
			     part_limit(ua, w, ua->package_data_max_transfer),
			     &last);
	if (cc == PLDM_CC_SUCCESS && last) {
		ua->package_data_done = true;
		if (ua->phase == PLDM_UA_PHASE_PACKAGE_DATA)
			pldm_ua_start_pass_table(ua);
	}
	return cc;
}

static uint8_t fd_get_meta_data(struct pldm_ua *ua, struct pldm_reader *r,
				struct pldm_writer *w)
{
	const uint8_t *md = ua->cfg->metadata;
	size_t len = ua->cfg->metadata_len;
	bool last;
	uint8_t cc;

	if (!md) { /* what GetDeviceMetaData read */
		md = ua->cfg->device_metadata;
		len = ua->device_metadata_len;
	}
	if (!md || len == 0 || !pldm_ua_running(ua))
		return PLDM_FW_CC_COMMAND_NOT_EXPECTED;
	/* A part served: the FD works through its GetMetaData before taking
	 * UpdateComponent (ERROR_NOT_READY meanwhile): it is progressing,
	 * and UpdateComponent waits until it has been quiet for twice
	 * state_retry_ms (longer than the FD's own retry time, FD_T2 by
	 * default, so that a GetMetaData sent again after a lost answer
	 * comes first: retrying both at the same pace could keep them in
	 * lockstep on a link that loses every other message). */
	cc = serve_multipart(r, w, md, len, part_limit(ua, w, 0), &last);
	if (cc != PLDM_CC_SUCCESS)
		return cc;
	ua->state_retries = 0;
	if (ua->retry_wait && ua->phase == PLDM_UA_PHASE_UPDATE_COMPONENT)
		ua->retry_ms =
			ua->now_ms + 2u * (ua->cfg->state_retry_ms
						   ? ua->cfg->state_retry_ms
						   : PLDM_FW_FD_T2_RETRY_MS);
	return cc;
}

/*
 * RequestFirmwareData: Offset and Length (uint32 each). A read that starts
 * inside the image and runs past its end is padded with zeros to Length
 * (DSP0267: the UA pads the last transfer so that every response carries
 * Length bytes); a read starting at or after the end is DATA_OUT_OF_RANGE.
 */
static uint8_t fd_request_firmware_data(struct pldm_ua *ua,
					struct pldm_reader *r,
					struct pldm_writer *w)
{
	const struct pldm_ua_component *c;
	uint32_t offset = pldm_read_le32(r);
	uint32_t length = pldm_read_le32(r);
	size_t size, n;
	uint8_t *p;

	if (pldm_reader_status(r) || pldm_reader_left(r) != 0)
		return PLDM_CC_ERROR_INVALID_LENGTH;
	/* Also while UpdateComponent awaits its answer: the FD may start
	 * asking before that answer reaches the UA, or when it was lost. */
	if (ua->phase != PLDM_UA_PHASE_DOWNLOAD &&
	    !(ua->phase == PLDM_UA_PHASE_UPDATE_COMPONENT && ua->outstanding))
		return PLDM_FW_CC_COMMAND_NOT_EXPECTED;
	c = &ua->comps[ua->cur]; /* cur < n_comps in these phases */
	size = c->image.length;
	if (length == 0 || length > ua->cfg->max_transfer_size)
		return PLDM_FW_CC_INVALID_TRANSFER_LENGTH;
	if (offset >= size)
		return PLDM_FW_CC_DATA_OUT_OF_RANGE;
	pldm_write_u8(w, PLDM_CC_SUCCESS);
	p = pldm_write_space(w, length);
	if (!p)
		return PLDM_CC_SUCCESS; /* writer overrun: -EMSGSIZE */
	n = size - offset < length ? size - offset : length;
	memcpy(p, c->image.ptr + offset, n);
	memset(p + n, 0, length - n);
	if (offset + n > ua->bytes_served)
		ua->bytes_served = (uint32_t)(offset + n);
	ua->fd_heard_ms = ua->now_ms;
	ua->probes = 0;
	pldm_ua_notify(ua);
	return PLDM_CC_SUCCESS;
}

/* TransferComplete / VerifyComplete / ApplyComplete: the phase each is
 * expected in, the phase after success, and the result on failure. */
struct completion_step {
	uint8_t cmd;
	uint8_t length; /* request data bytes */
	enum pldm_ua_phase phase;
	enum pldm_ua_phase next;
	enum pldm_ua_result failure;
};

static const struct completion_step completion_steps[] = {
	{PLDM_FW_TRANSFER_COMPLETE, 1, PLDM_UA_PHASE_DOWNLOAD,
	 PLDM_UA_PHASE_VERIFY, PLDM_UA_RESULT_TRANSFER_FAILED},
	{PLDM_FW_VERIFY_COMPLETE, 1, PLDM_UA_PHASE_VERIFY, PLDM_UA_PHASE_APPLY,
	 PLDM_UA_RESULT_VERIFY_FAILED},
	/* ApplyResult, ComponentActivationMethodsModification (bitfield16) */
	{PLDM_FW_APPLY_COMPLETE, 3, PLDM_UA_PHASE_APPLY, PLDM_UA_PHASE_DONE,
	 PLDM_UA_RESULT_APPLY_FAILED},
};

/* Order of the steps of one component, -1 outside them. UpdateComponent
 * counts once sent: the FD may start before its answer arrives. */
static int phase_rank_of(enum pldm_ua_phase phase)
{
	switch (phase) {
	case PLDM_UA_PHASE_DOWNLOAD:
		return 1;
	case PLDM_UA_PHASE_VERIFY:
		return 2;
	case PLDM_UA_PHASE_APPLY:
		return 3;
	default:
		return -1;
	}
}

static int phase_rank(const struct pldm_ua *ua)
{
	if (ua->phase == PLDM_UA_PHASE_UPDATE_COMPONENT)
		return ua->outstanding &&
				       ua->req_cmd == PLDM_FW_UPDATE_COMPONENT
			       ? 0
			       : -1;
	return phase_rank_of(ua->phase);
}

static uint8_t fd_completion(struct pldm_ua *ua,
			     const struct completion_step *s,
			     struct pldm_reader *r, struct pldm_writer *w)
{
	uint8_t result = pldm_read_u8(r);
	int rank;
	bool ok;

	(void)pldm_read_bytes(r, s->length - 1u);
	if (pldm_reader_status(r) || pldm_reader_left(r) != 0)
		return PLDM_CC_ERROR_INVALID_LENGTH;
	/* The FD reports a step only after the earlier ones succeeded, so a
	 * completion ahead of the UA's phase (a lost UpdateComponent answer,
	 * a lost completion) takes the UA there. */
	rank = phase_rank(ua);
	if (rank < 0 || rank > phase_rank_of(s->phase))
		return PLDM_FW_CC_COMMAND_NOT_EXPECTED;
	if (ua->phase == PLDM_UA_PHASE_UPDATE_COMPONENT) {
		pldm_ua_drop_outstanding(ua); /* its late answer is stale */
		ua->comps[ua->cur].compatibility_response =
			PLDM_FW_COMPATIBILITY_CAN_BE_UPDATED;
	}
	pldm_write_u8(w, PLDM_CC_SUCCESS);
	ok = result == PLDM_FW_TRANSFER_SUCCESS ||
	     (s->cmd == PLDM_FW_APPLY_COMPLETE &&
	      result == PLDM_FW_APPLY_SUCCESS_WITH_ACTIVATION_METHOD);
	if (!ok) {
		pldm_ua_fail(ua, s->failure, result, s->cmd);
	} else if (s->next != PLDM_UA_PHASE_DONE) {
		pldm_ua_wait_fd(ua, s->next);
	} else {
		ua->comps[ua->cur].updated = true;
		pldm_ua_next_component(ua, (uint16_t)(ua->cur + 1u));
	}
	return PLDM_CC_SUCCESS;
}

int pldm_ua_handle_fd_request(struct pldm_ua *ua, const struct pldm_header *h,
			      struct pldm_reader *r, uint8_t *out,
			      size_t *out_len)
{
	struct pldm_header rh = {
		.type = PLDM_TYPE_FW_UPDATE,
		.instance_id = h->instance_id,
		.command = h->command,
	};
	const struct completion_step *step = NULL;
	struct pldm_writer w;
	uint8_t cc;
	size_t i;

	if (*out_len < PLDM_HDR_LEN + 1u)
		return -EMSGSIZE;
	for (i = 0; i < sizeof(completion_steps) / sizeof(completion_steps[0]);
	     i++)
		if (completion_steps[i].cmd == h->command)
			step = &completion_steps[i];
	/* A retry of the completion last answered: same instance ID
	 * (DSP0240), or the same result under a new one (some FDs allocate a
	 * new ID per retry). */
	if (step && ua->last_valid && ua->last_cmd == h->command &&
	    (ua->last_instance == h->instance_id ||
	     (pldm_reader_left(r) >= 1 && r->buf[0] == ua->last_result))) {
		(void)pldm_header_encode(&rh, out, *out_len);
		out[PLDM_HDR_LEN] = ua->last_cc;
		*out_len = PLDM_HDR_LEN + 1u;
		return 0;
	}
	pldm_writer_init(&w, out, *out_len);
	(void)pldm_header_encode(&rh, out, *out_len);
	(void)pldm_write_space(&w, PLDM_HDR_LEN);
	if (step) {
		cc = fd_completion(ua, step, r, &w);
		if (cc == PLDM_CC_SUCCESS) {
			ua->last_valid = true;
			ua->last_cmd = h->command;
			ua->last_instance = h->instance_id;
			ua->last_result = r->buf[0];
			ua->last_cc = cc;
		}
	} else {
		switch (h->command) {
		case PLDM_FW_REQUEST_FIRMWARE_DATA:
			cc = fd_request_firmware_data(ua, r, &w);
			break;
		case PLDM_FW_GET_PACKAGE_DATA:
			cc = fd_get_package_data(ua, r, &w);
			break;
		case PLDM_FW_GET_META_DATA:
			cc = fd_get_meta_data(ua, r, &w);
			break;
		default:
			cc = PLDM_CC_ERROR_UNSUPPORTED_PLDM_CMD;
			break;
		}
	}
	if (pldm_writer_status(&w))
		return -EMSGSIZE;
	if (cc != PLDM_CC_SUCCESS) {
		out[PLDM_HDR_LEN] = cc;
		w.pos = PLDM_HDR_LEN + 1u;
	}
	*out_len = w.pos;
	return 0;
}
