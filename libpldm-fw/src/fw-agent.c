/* SPDX-License-Identifier: Apache-2.0 */
/*
 * DSP0267 1.3 Update Agent. Message layouts follow the DSP0267 1.3 tables;
 * the one 1.3 change on this side is RequestUpdate's response, which adds
 * GetPackageDataMaximumTransferSize (uint32) when
 * FDWillSendGetPackageDataCommand is 0x02. This file is the state machine
 * and the UA's requests; fw-agent-serve.c answers the FD's requests.
 */
#include <assert.h>
#include <errno.h>
#include <string.h>

#include "codec.h"
#include "fw-agent-internal.h"
#include "log.h"
#include "pldm/fw-agent.h"

/* FDWillSendGetPackageDataCommand values (DSP0267 1.3). */
#define FD_PKG_DATA_NO 0x00u
#define FD_PKG_DATA_YES 0x01u
#define FD_PKG_DATA_YES_WITH_MAX 0x02u

/* Wrap-safe "a is at or after b" for the millisecond counter. */
static bool time_reached(uint32_t now, uint32_t at)
{
	return (int32_t)(now - at) >= 0;
}

static uint32_t cfg_or(uint32_t v, uint32_t dflt)
{
	return v ? v : dflt;
}

bool pldm_ua_running(const struct pldm_ua *ua)
{
	return ua->phase != PLDM_UA_PHASE_IDLE &&
	       ua->phase != PLDM_UA_PHASE_DONE;
}

void pldm_ua_notify(struct pldm_ua *ua)
{
	struct pldm_ua_progress p;
	const struct pldm_ua_component *c;

	if (!ua->cfg->progress)
		return;
	memset(&p, 0, sizeof(p));
	p.phase = ua->phase;
	p.component = ua->cur;
	p.component_count = ua->n_comps;
	if (ua->cur < ua->n_comps) {
		c = &ua->comps[ua->cur];
		p.component_size = (uint32_t)c->image.length;
	}
	p.bytes_served = ua->bytes_served;
	ua->cfg->progress(ua->cfg->ctx, &p);
}

#define PH(p) (1u << PLDM_UA_PHASE_##p)
/* Where every phase of an update may end: the outcome is decided
 * (CancelUpdate first once the FD is in update mode). */
#define PH_END (PH(CANCEL) | PH(DONE))
/* After a component: the next one, or ActivateFirmware. */
#define PH_NEXT (PH(UPDATE_COMPONENT) | PH(ACTIVATE))

/*
 * The UA's phase graph: bit n of row p set when the UA may go from phase
 * p to phase n. A completion from the FD ahead of the UA's phase (a lost
 * UpdateComponent answer or completion) skips forward within a
 * component; IDENTIFY and GET_PARAMETERS end without CancelUpdate (the FD
 * is not in update mode yet), but are listed with it all the same.
 */
static const uint16_t ua_transitions[] = {
	[PLDM_UA_PHASE_IDLE] = PH(IDENTIFY),
	[PLDM_UA_PHASE_IDENTIFY] = PH(GET_PARAMETERS) | PH_END,
	[PLDM_UA_PHASE_GET_PARAMETERS] = PH(REQUEST_UPDATE) | PH_END,
	[PLDM_UA_PHASE_REQUEST_UPDATE] = PH(PACKAGE_DATA) |
					 PH(DEVICE_METADATA) |
					 PH(PASS_COMPONENT_TABLE) | PH_END,
	[PLDM_UA_PHASE_PACKAGE_DATA] = PH(DEVICE_METADATA) |
				       PH(PASS_COMPONENT_TABLE) | PH_END,
	[PLDM_UA_PHASE_DEVICE_METADATA] = PH(PASS_COMPONENT_TABLE) | PH_END,
	[PLDM_UA_PHASE_PASS_COMPONENT_TABLE] = PH_NEXT | PH_END,
	[PLDM_UA_PHASE_UPDATE_COMPONENT] = PH(DOWNLOAD) | PH(VERIFY) |
					   PH(APPLY) | PH_NEXT | PH_END,
	[PLDM_UA_PHASE_DOWNLOAD] = PH(VERIFY) | PH(APPLY) | PH_NEXT | PH_END,
	[PLDM_UA_PHASE_VERIFY] = PH(APPLY) | PH_NEXT | PH_END,
	[PLDM_UA_PHASE_APPLY] = PH_NEXT | PH_END,
	[PLDM_UA_PHASE_ACTIVATE] = PH_END,
	[PLDM_UA_PHASE_CANCEL] = PH(DONE),
	[PLDM_UA_PHASE_DONE] = PH(IDENTIFY),
};

bool pldm_ua_transition_allowed(enum pldm_ua_phase from, enum pldm_ua_phase to)
{
	if ((unsigned int)from >=
		    sizeof(ua_transitions) / sizeof(ua_transitions[0]) ||
	    (unsigned int)to >= 16u)
		return false;
	return from == to || ((ua_transitions[from] >> to) & 1u);
}

/* The one place the phase changes. */
static void set_phase(struct pldm_ua *ua, enum pldm_ua_phase phase)
{
	if (!pldm_ua_transition_allowed(ua->phase, phase)) {
		pldm_log(ua->cfg, PLDM_LOG_ERR, "UA: phase %s -> %s refused",
			 pldm_ua_phase_name(ua->phase),
			 pldm_ua_phase_name(phase));
		assert(false); /* a forbidden phase change is a bug */
		return;
	}
	if (ua->phase != phase)
		pldm_log(ua->cfg, PLDM_LOG_INFO, "UA: phase %s -> %s",
			 pldm_ua_phase_name(ua->phase),
			 pldm_ua_phase_name(phase));
	ua->phase = phase;
	pldm_ua_notify(ua);
}

void pldm_ua_drop_outstanding(struct pldm_ua *ua)
{
	if (ua->outstanding)
		(void)pldm_instance_release(&ua->tracker, ua->cfg->tid,
					    ua->req_instance);
	ua->outstanding = false;
	ua->pending = false;
}

/* Queue this phase's request for the next poll. A request still
 * outstanding (a GetStatus probe) is abandoned: one at a time. */
static void request(struct pldm_ua *ua, enum pldm_ua_phase phase, uint8_t cmd)
{
	pldm_ua_drop_outstanding(ua);
	ua->pending = true;
	ua->req_cmd = cmd;
	ua->tries = 0;
	ua->state_retries = 0;
	set_phase(ua, phase);
}

/* Wait for the FD's requests; its silence leads to GetStatus. */
void pldm_ua_wait_fd(struct pldm_ua *ua, enum pldm_ua_phase phase)
{
	ua->fd_heard_ms = ua->now_ms;
	ua->probes = 0;
	set_phase(ua, phase);
}

static void finish(struct pldm_ua *ua)
{
	pldm_ua_drop_outstanding(ua);
	ua->retry_wait = false;
	ua->ended = true;
	set_phase(ua, PLDM_UA_PHASE_DONE);
	pldm_log(ua->cfg,
		 ua->outcome.result == PLDM_UA_RESULT_SUCCESS
			 ? PLDM_LOG_NOTICE
			 : PLDM_LOG_WARNING,
		 "UA: update ended: %s",
		 pldm_ua_result_name(ua->outcome.result));
}

/*
 * Decide the outcome. Once the FD is in update mode it is told with
 * CancelUpdate, whose answer ends the update; the outcome stays.
 */
void pldm_ua_fail(struct pldm_ua *ua, enum pldm_ua_result result, uint8_t raw,
		  uint8_t command)
{
	ua->outcome.result = result;
	ua->outcome.raw = raw;
	ua->outcome.command = command;
	ua->outcome.component = ua->cur;
	pldm_ua_drop_outstanding(ua);
	ua->retry_wait = false;
	if (ua->update_mode && result != PLDM_UA_RESULT_CANCELLED_BY_FD)
		request(ua, PLDM_UA_PHASE_CANCEL, PLDM_FW_CANCEL_UPDATE);
	else
		finish(ua);
}

/* ---- Component selection ------------------------------------------------ */

/* Whether each of the record's descriptors is among the FD's (@fd: the
 * QueryDeviceIdentifiers descriptors, already checked well formed). */
static bool record_matches(const struct pldm_ua *ua,
			   const struct pldm_package_fd_record *rec,
			   const uint8_t *fd, size_t fd_len, uint8_t fd_count)
{
	struct pldm_package_iter it;
	struct pldm_package_descriptor d;
	struct pldm_reader r;
	uint16_t type, length;
	const uint8_t *data;
	bool found;
	unsigned int i;
	int rc;

	pldm_package_descriptors(ua->pkg, &rec->record_descriptors,
				 rec->descriptor_count, &it);
	while ((rc = pldm_package_descriptor_next(&it, &d)) == 1) {
		found = false;
		pldm_reader_init(&r, fd, fd_len);
		for (i = 0; i < fd_count && !found; i++) {
			type = pldm_read_le16(&r);
			length = pldm_read_le16(&r);
			data = pldm_read_bytes(&r, length);
			found = data && type == d.descriptor_type &&
				length == d.descriptor_data.length &&
				memcmp(data, d.descriptor_data.ptr, length) ==
					0;
		}
		if (!found)
			return false;
	}
	return rc == 0;
}

/* Component parameter table entry (DSP0267 "Component parameter table
 * entries"): the fields the UA uses. */
struct fd_component {
	uint16_t classification;
	uint16_t identifier;
	uint8_t classification_index;
	uint32_t active_comparison_stamp;
};

static void read_fd_component(struct pldm_reader *r, struct fd_component *c)
{
	uint8_t active_len, pending_len;

	c->classification = pldm_read_le16(r);     /* ComponentClassification */
	c->identifier = pldm_read_le16(r);         /* ComponentIdentifier */
	c->classification_index = pldm_read_u8(r); /* ...ClassificationIndex */
	c->active_comparison_stamp = pldm_read_le32(r); /* Active...Stamp */
	(void)pldm_read_u8(r);         /* Active...StringType */
	active_len = pldm_read_u8(r);  /* Active...StringLength */
	(void)pldm_read_bytes(r, 8);   /* ActiveComponentReleaseDate */
	(void)pldm_read_le32(r);       /* Pending...Stamp */
	(void)pldm_read_u8(r);         /* Pending...StringType */
	pending_len = pldm_read_u8(r); /* Pending...StringLength */
	(void)pldm_read_bytes(r, 8);   /* PendingComponentReleaseDate */
	(void)pldm_read_le16(r);       /* ComponentActivationMethods */
	(void)pldm_read_le32(r);       /* CapabilitiesDuringUpdate */
	(void)pldm_read_bytes(r, active_len);
	(void)pldm_read_bytes(r, pending_len);
}

static bool find_fd_component(const uint8_t *table, size_t len, uint16_t count,
			      uint16_t classification, uint16_t identifier,
			      struct fd_component *out)
{
	struct pldm_reader r;
	unsigned int i;

	pldm_reader_init(&r, table, len);
	for (i = 0; i < count; i++) {
		read_fd_component(&r, out);
		if (!pldm_reader_status(&r) &&
		    out->classification == classification &&
		    out->identifier == identifier)
			return true;
	}
	return false;
}

/* The components both the record and the FD know, in package order. */
static int select_components(struct pldm_ua *ua, const uint8_t *table,
			     size_t len, uint16_t count)
{
	struct pldm_package_iter it;
	struct pldm_package_component pc;
	struct pldm_ua_component *c;
	struct fd_component fc;
	int rc;

	ua->n_comps = 0;
	pldm_package_components(ua->pkg, &it);
	while ((rc = pldm_package_component_next(&it, &pc)) == 1) {
		if (!pldm_package_applicable(&ua->record.applicable_components,
					     pc.index) ||
		    !find_fd_component(table, len, count,
				       pc.component_classification,
				       pc.component_identifier, &fc))
			continue;
		if (ua->n_comps >= PLDM_UA_MAX_COMPONENTS)
			return -ENOSPC;
		c = &ua->comps[ua->n_comps++];
		memset(c, 0, sizeof(*c));
		c->package_index = pc.index;
		c->classification = pc.component_classification;
		c->identifier = pc.component_identifier;
		c->classification_index = fc.classification_index;
		c->comparison_stamp = pc.component_comparison_stamp;
		c->options = pc.component_options;
		c->fd_active_comparison_stamp = fc.active_comparison_stamp;
		c->version = pc.component_version_string;
		c->image = pc.image;
	}
	return rc;
}

/* The next component from @from on to send UpdateComponent for, or
 * ActivateFirmware after the last; a component the FD will not update is
 * skipped or ends the update, per the config. */
void pldm_ua_next_component(struct pldm_ua *ua, uint16_t from)
{
	struct pldm_ua_component *c;
	uint16_t i, updated = 0;

	for (i = from; i < ua->n_comps; i++) {
		c = &ua->comps[i];
		if (c->component_response == PLDM_FW_COMPONENT_CAN_BE_UPDATED ||
		    ua->cfg->force_update)
			break;
		if (!ua->cfg->skip_not_updatable) {
			ua->cur = i;
			pldm_ua_fail(ua, PLDM_UA_RESULT_NOT_UPDATABLE,
				     c->component_response_code,
				     PLDM_FW_PASS_COMPONENT_TABLE);
			return;
		}
		c->skipped = true;
	}
	ua->cur = i;
	ua->bytes_served = 0;
	if (i < ua->n_comps) {
		request(ua, PLDM_UA_PHASE_UPDATE_COMPONENT,
			PLDM_FW_UPDATE_COMPONENT);
		return;
	}
	for (i = 0; i < ua->n_comps; i++)
		updated = (uint16_t)(updated + ua->comps[i].updated);
	if (updated == 0) {
		/* every component skipped: report the last one's code */
		c = &ua->comps[ua->n_comps - 1u];
		ua->cur = (uint16_t)(ua->n_comps - 1u);
		if (c->compatibility_response ==
		    PLDM_FW_COMPATIBILITY_CANNOT_BE_UPDATED)
			pldm_ua_fail(ua, PLDM_UA_RESULT_NOT_UPDATABLE,
				     c->compatibility_response_code,
				     PLDM_FW_UPDATE_COMPONENT);
		else
			pldm_ua_fail(ua, PLDM_UA_RESULT_NOT_UPDATABLE,
				     c->component_response_code,
				     PLDM_FW_PASS_COMPONENT_TABLE);
		return;
	}
	request(ua, PLDM_UA_PHASE_ACTIVATE, PLDM_FW_ACTIVATE_FIRMWARE);
}

/* ---- Requests ----------------------------------------------------------- */

static void write_string(struct pldm_writer *w,
			 const struct pldm_package_string *s)
{
	pldm_write_u8(w, s->type);
	pldm_write_u8(w, s->length);
	pldm_write_bytes(w, s->ptr, s->length);
}

static void encode_payload(const struct pldm_ua *ua, struct pldm_writer *w)
{
	/* cur < n_comps for PassComponentTable and UpdateComponent */
	const struct pldm_ua_component *c =
		&ua->comps[ua->cur < ua->n_comps ? ua->cur : 0];
	uint8_t flag;

	switch (ua->req_cmd) {
	case PLDM_FW_REQUEST_UPDATE:
		pldm_write_le32(
			w,
			ua->cfg->max_transfer_size); /* MaximumTransferSize */
		pldm_write_le16(w, ua->n_comps);     /* NumberOfComponents */
		pldm_write_u8(w, 1); /* MaximumOutstandingTransferRequests */
		pldm_write_le16(
			w, (uint16_t)ua->record.firmware_device_package_data
				   .length); /* PackageDataLength */
		write_string(w, &ua->record.component_image_set_version_string);
		break;
	case PLDM_FW_PASS_COMPONENT_TABLE:
		if (ua->n_comps == 1)
			flag = PLDM_FW_TRANSFER_FLAG_START_AND_END;
		else if (ua->cur == 0)
			flag = PLDM_FW_TRANSFER_FLAG_START;
		else if (ua->cur + 1u == ua->n_comps)
			flag = PLDM_FW_TRANSFER_FLAG_END;
		else
			flag = PLDM_FW_TRANSFER_FLAG_MIDDLE;
		pldm_write_u8(w, flag); /* TransferFlag */
		pldm_write_le16(
			w, c->classification);     /* ComponentClassification */
		pldm_write_le16(w, c->identifier); /* ComponentIdentifier */
		pldm_write_u8(
			w,
			c->classification_index); /* ...ClassificationIndex */
		pldm_write_le32(w,
				c->comparison_stamp); /* ...ComparisonStamp */
		write_string(w, &c->version); /* ComponentVersionString */
		break;
	case PLDM_FW_UPDATE_COMPONENT:
		pldm_write_le16(w, c->classification);
		pldm_write_le16(w, c->identifier);
		pldm_write_u8(w, c->classification_index);
		pldm_write_le32(w, c->comparison_stamp);
		pldm_write_le32(
			w, (uint32_t)c->image.length); /* ComponentImageSize */
		pldm_write_le32(w,
				(ua->cfg->force_update ||
				 (c->options &
				  PLDM_PACKAGE_COMPONENT_OPTION_FORCE_UPDATE))
					? PLDM_FW_UPDATE_OPTION_FORCE_UPDATE
					: 0u); /* UpdateOptionFlags */
		write_string(w, &c->version);
		break;
	case PLDM_FW_GET_DEVICE_META_DATA:
		pldm_write_le32(w, ua->md_handle); /* DataTransferHandle */
		pldm_write_u8(w, ua->md_got ? PLDM_TRANSFER_OP_GET_NEXT_PART
					    : PLDM_TRANSFER_OP_GET_FIRST_PART);
		break;
	case PLDM_FW_ACTIVATE_FIRMWARE:
		/* SelfContainedActivationRequest */
		pldm_write_u8(w, ua->cfg->self_contained_activation ? 1 : 0);
		break;
	default:
		/* QueryDeviceIdentifiers, GetFirmwareParameters, GetStatus,
		 * CancelUpdate: no request data */
		break;
	}
}

static int send_request(struct pldm_ua *ua, uint8_t *out, size_t *out_len,
			bool retry)
{
	struct pldm_header hdr = {
		.request = true,
		.type = PLDM_TYPE_FW_UPDATE,
		.command = ua->req_cmd,
	};
	struct pldm_writer w;
	uint8_t instance = ua->req_instance;
	int rc;

	if (!retry) {
		rc = pldm_instance_alloc(&ua->tracker, ua->cfg->tid, &instance);
		if (rc)
			return rc;
	}
	hdr.instance_id = instance;
	pldm_writer_init(&w, out, *out_len);
	if (pldm_header_encode(&hdr, out, *out_len) == 0)
		(void)pldm_write_space(&w, PLDM_HDR_LEN);
	else
		w.overrun = true;
	encode_payload(ua, &w);
	rc = pldm_writer_status(&w);
	if (rc) {
		if (!retry)
			(void)pldm_instance_release(&ua->tracker, ua->cfg->tid,
						    instance);
		return rc;
	}
	ua->req_instance = instance;
	if (ua->req_cmd == PLDM_FW_REQUEST_UPDATE)
		ua->update_mode = true; /* the FD may enter it on receipt */
	ua->pending = false;
	ua->outstanding = true;
	ua->sent_ms = ua->now_ms;
	if (retry)
		ua->tries++;
	*out_len = w.pos;
	return 0;
}

/* ---- Responses ---------------------------------------------------------- */

static void rsp_query_device_identifiers(struct pldm_ua *ua,
					 struct pldm_reader *r)
{
	struct pldm_package_iter it;
	struct pldm_package_fd_record rec;
	struct pldm_reader d;
	const uint8_t *fd;
	uint32_t length;
	uint8_t count;
	unsigned int i;
	int rc;

	length = pldm_read_le32(r); /* DeviceIdentifiersLength */
	count = pldm_read_u8(r);    /* DescriptorCount */
	fd = pldm_read_bytes(r, length);
	if (pldm_reader_status(r) || pldm_reader_left(r) != 0 || count == 0) {
		pldm_ua_fail(ua, PLDM_UA_RESULT_PROTOCOL_ERROR, 0, ua->req_cmd);
		return;
	}
	/* Descriptors: Type (uint16), Length (uint16), Data; exactly
	 * DeviceIdentifiersLength bytes. */
	pldm_reader_init(&d, fd, length);
	for (i = 0; i < count; i++) {
		(void)pldm_read_le16(&d);
		(void)pldm_read_bytes(&d, pldm_read_le16(&d));
	}
	if (pldm_reader_status(&d) || pldm_reader_left(&d) != 0) {
		pldm_ua_fail(ua, PLDM_UA_RESULT_PROTOCOL_ERROR, 0, ua->req_cmd);
		return;
	}
	pldm_package_fd_records(ua->pkg, &it);
	while ((rc = pldm_package_fd_record_next(&it, &rec)) == 1) {
		if (record_matches(ua, &rec, fd, length, count)) {
			ua->record = rec;
			request(ua, PLDM_UA_PHASE_GET_PARAMETERS,
				PLDM_FW_GET_FIRMWARE_PARAMETERS);
			return;
		}
	}
	pldm_ua_fail(ua, PLDM_UA_RESULT_NO_MATCHING_RECORD, 0, ua->req_cmd);
}

static void rsp_get_firmware_parameters(struct pldm_ua *ua,
					struct pldm_reader *r)
{
	struct fd_component fc;
	const uint8_t *table;
	uint16_t count, i;
	uint8_t active_len, pending_len;
	size_t start;

	(void)pldm_read_le32(r);   /* CapabilitiesDuringUpdate */
	count = pldm_read_le16(r); /* ComponentCount */
	(void)pldm_read_u8(r); /* ActiveComponentImageSetVersionStringType */
	active_len = pldm_read_u8(r);
	(void)pldm_read_u8(r); /* PendingComponentImageSetVersionStringType */
	pending_len = pldm_read_u8(r);
	(void)pldm_read_bytes(r, active_len);
	(void)pldm_read_bytes(r, pending_len);
	start = r->pos;
	for (i = 0; i < count; i++)
		read_fd_component(r, &fc);
	if (pldm_reader_status(r) || pldm_reader_left(r) != 0) {
		pldm_ua_fail(ua, PLDM_UA_RESULT_PROTOCOL_ERROR, 0, ua->req_cmd);
		return;
	}
	table = r->buf + start;
	if (select_components(ua, table, r->pos - start, count) != 0) {
		pldm_ua_fail(ua, PLDM_UA_RESULT_PROTOCOL_ERROR, 0, ua->req_cmd);
		return;
	}
	if (ua->n_comps == 0) {
		pldm_ua_fail(ua, PLDM_UA_RESULT_NOT_UPDATABLE,
			     PLDM_FW_CRC_NOT_SUPPORTED, ua->req_cmd);
		return;
	}
	ua->request_update_retries = 0;
	request(ua, PLDM_UA_PHASE_REQUEST_UPDATE, PLDM_FW_REQUEST_UPDATE);
}

void pldm_ua_start_pass_table(struct pldm_ua *ua)
{
	ua->cur = 0;
	/* DSP0267: GetDeviceMetaData in LEARN COMPONENTS, before
	 * PassComponentTable */
	if (ua->md_want)
		request(ua, PLDM_UA_PHASE_DEVICE_METADATA,
			PLDM_FW_GET_DEVICE_META_DATA);
	else
		request(ua, PLDM_UA_PHASE_PASS_COMPONENT_TABLE,
			PLDM_FW_PASS_COMPONENT_TABLE);
}

/* One part of GetDeviceMetaData: NextDataTransferHandle, TransferFlag,
 * PortionOfDeviceMetaData. The parts must come in order (Start or
 * StartAndEnd first, then Middle or End), fill exactly the announced
 * FirmwareDeviceMetaDataLength, and a part before the End may not be
 * empty (it would never finish). */
static void rsp_get_device_meta_data(struct pldm_ua *ua, struct pldm_reader *r)
{
	uint32_t next = pldm_read_le32(r); /* NextDataTransferHandle */
	uint8_t flag = pldm_read_u8(r);    /* TransferFlag */
	size_t n = pldm_reader_left(r);
	size_t room = ua->fd_metadata_len - ua->md_got;
	bool end = (flag & PLDM_FW_TRANSFER_FLAG_END) != 0;
	bool ok;

	if (ua->md_got == 0) /* Start (1) or StartAndEnd (5) */
		ok = (flag | PLDM_FW_TRANSFER_FLAG_END) ==
		     PLDM_FW_TRANSFER_FLAG_START_AND_END;
	else
		ok = flag == PLDM_FW_TRANSFER_FLAG_MIDDLE ||
		     flag == PLDM_FW_TRANSFER_FLAG_END;
	if (pldm_reader_status(r) || !ok || (end ? n != room : n >= room) ||
	    n == 0) {
		pldm_ua_fail(ua, PLDM_UA_RESULT_PROTOCOL_ERROR, 0, ua->req_cmd);
		return;
	}
	memcpy(ua->cfg->device_metadata + ua->md_got, pldm_read_bytes(r, n), n);
	ua->md_got += (uint32_t)n;
	ua->md_handle = next;
	if (!end) {
		request(ua, PLDM_UA_PHASE_DEVICE_METADATA,
			PLDM_FW_GET_DEVICE_META_DATA);
		return;
	}
	ua->md_want = false;
	ua->device_metadata_len = ua->md_got;
	pldm_ua_start_pass_table(ua);
}

static void rsp_request_update(struct pldm_ua *ua, struct pldm_reader *r)
{
	uint8_t will_send;

	ua->fd_metadata_len =
		pldm_read_le16(r);   /* FirmwareDeviceMetaDataLength */
	will_send = pldm_read_u8(r); /* FDWillSendGetPackageDataCommand */
	ua->package_data_max_transfer = 0;
	if (will_send == FD_PKG_DATA_YES_WITH_MAX) /* 1.3 */
		ua->package_data_max_transfer = pldm_read_le32(r);
	if (pldm_reader_status(r) || pldm_reader_left(r) != 0 ||
	    will_send > FD_PKG_DATA_YES_WITH_MAX) {
		pldm_ua_fail(ua, PLDM_UA_RESULT_PROTOCOL_ERROR, 0, ua->req_cmd);
		return;
	}
	ua->fd_will_send_package_data = will_send;
	if (ua->fd_metadata_len && ua->cfg->device_metadata &&
	    ua->cfg->device_metadata_capacity) {
		if (ua->fd_metadata_len > ua->cfg->device_metadata_capacity) {
			pldm_ua_fail(ua, PLDM_UA_RESULT_METADATA_TOO_LARGE, 0,
				     ua->req_cmd);
			return;
		}
		/* the storage is about to be overwritten */
		ua->device_metadata_len = 0;
		ua->md_want = true;
	}
	if (will_send != FD_PKG_DATA_NO &&
	    ua->record.firmware_device_package_data.length &&
	    !ua->package_data_done)
		pldm_ua_wait_fd(ua, PLDM_UA_PHASE_PACKAGE_DATA);
	else
		pldm_ua_start_pass_table(ua);
}

static void rsp_pass_component_table(struct pldm_ua *ua, struct pldm_reader *r)
{
	struct pldm_ua_component *c = &ua->comps[ua->cur];
	uint8_t response, code;

	response = pldm_read_u8(r); /* ComponentResponse */
	code = pldm_read_u8(r);     /* ComponentResponseCode */
	if (pldm_reader_status(r) || pldm_reader_left(r) != 0 ||
	    response > PLDM_FW_COMPONENT_MAY_BE_UPDATEABLE) {
		pldm_ua_fail(ua, PLDM_UA_RESULT_PROTOCOL_ERROR, 0, ua->req_cmd);
		return;
	}
	c->component_response = response;
	c->component_response_code = code;
	if (ua->cur + 1u < ua->n_comps) {
		ua->cur++;
		request(ua, PLDM_UA_PHASE_PASS_COMPONENT_TABLE,
			PLDM_FW_PASS_COMPONENT_TABLE);
		return;
	}
	pldm_ua_next_component(ua, 0);
}

static void rsp_update_component(struct pldm_ua *ua, struct pldm_reader *r)
{
	struct pldm_ua_component *c = &ua->comps[ua->cur];
	uint8_t response, code;

	response = pldm_read_u8(r); /* ComponentCompatibilityResponse */
	code = pldm_read_u8(r);     /* ComponentCompatibilityResponseCode */
	(void)pldm_read_le32(r);    /* UpdateOptionFlagsEnabled */
	(void)pldm_read_le16(r);    /* EstimatedTimeUntilUpdateComponent */
	if (pldm_reader_status(r) || pldm_reader_left(r) != 0 ||
	    response > PLDM_FW_COMPATIBILITY_CANNOT_BE_UPDATED) {
		pldm_ua_fail(ua, PLDM_UA_RESULT_PROTOCOL_ERROR, 0, ua->req_cmd);
		return;
	}
	c->compatibility_response = response;
	c->compatibility_response_code = code;
	if (response == PLDM_FW_COMPATIBILITY_CAN_BE_UPDATED) {
		ua->bytes_served = 0;
		ua->last_valid = false;
		pldm_ua_wait_fd(ua, PLDM_UA_PHASE_DOWNLOAD);
		return;
	}
	if (!ua->cfg->skip_not_updatable) {
		pldm_ua_fail(ua, PLDM_UA_RESULT_NOT_UPDATABLE, code,
			     ua->req_cmd);
		return;
	}
	c->skipped = true;
	pldm_ua_next_component(ua, (uint16_t)(ua->cur + 1u));
}

static void rsp_activate_firmware(struct pldm_ua *ua, struct pldm_reader *r,
				  uint8_t cc)
{
	if (cc == PLDM_CC_SUCCESS) {
		(void)pldm_read_le16(
			r); /* EstimatedTimeForSelfContainedActivation */
		if (pldm_reader_status(r) || pldm_reader_left(r) != 0) {
			pldm_ua_fail(ua, PLDM_UA_RESULT_PROTOCOL_ERROR, 0,
				     ua->req_cmd);
			return;
		}
	}
	ua->update_mode = false;
	ua->outcome.result = PLDM_UA_RESULT_SUCCESS;
	ua->outcome.raw = cc;
	ua->outcome.command = ua->req_cmd;
	ua->outcome.component = ua->cur;
	finish(ua);
}

static enum pldm_ua_result failure_of_phase(enum pldm_ua_phase phase)
{
	switch (phase) {
	case PLDM_UA_PHASE_VERIFY:
		return PLDM_UA_RESULT_VERIFY_FAILED;
	case PLDM_UA_PHASE_APPLY:
		return PLDM_UA_RESULT_APPLY_FAILED;
	default:
		return PLDM_UA_RESULT_TRANSFER_FAILED;
	}
}

static void rsp_get_status(struct pldm_ua *ua, struct pldm_reader *r)
{
	uint8_t current, previous, aux, aux_status, reason;

	current = pldm_read_u8(r);    /* CurrentState */
	previous = pldm_read_u8(r);   /* PreviousState */
	aux = pldm_read_u8(r);        /* AuxState */
	aux_status = pldm_read_u8(r); /* AuxStateStatus */
	(void)pldm_read_u8(r);        /* ProgressPercent */
	reason = pldm_read_u8(r);     /* ReasonCode */
	(void)pldm_read_le32(r);      /* UpdateOptionFlagsEnabled */
	if (pldm_reader_status(r) || pldm_reader_left(r) != 0 ||
	    current > PLDM_FW_STATE_ACTIVATE) {
		pldm_ua_fail(ua, PLDM_UA_RESULT_PROTOCOL_ERROR, 0, ua->req_cmd);
		return;
	}
	if (current == PLDM_FW_STATE_IDLE) {
		ua->update_mode = false;
		pldm_ua_fail(ua, PLDM_UA_RESULT_CANCELLED_BY_FD, reason,
			     ua->req_cmd);
		return;
	}
	if (aux == PLDM_FW_AUX_OPERATION_FAILED) {
		pldm_ua_fail(ua, failure_of_phase(ua->phase), aux_status,
			     ua->req_cmd);
		return;
	}
	/* Back in READY_XFER straight from APPLY: the component was applied
	 * (the FD leaves APPLY that way only on success) and the UA missed
	 * some of its completions. The FD accepted this component's
	 * UpdateComponent, so that is not an older one. */
	if (current == PLDM_FW_STATE_READY_XFER &&
	    previous == PLDM_FW_STATE_APPLY &&
	    (ua->phase == PLDM_UA_PHASE_DOWNLOAD ||
	     ua->phase == PLDM_UA_PHASE_VERIFY ||
	     ua->phase == PLDM_UA_PHASE_APPLY)) {
		ua->comps[ua->cur].updated = true;
		pldm_ua_next_component(ua, (uint16_t)(ua->cur + 1u));
		return;
	}
	if (++ua->probes >=
	    cfg_or(ua->cfg->status_probes, PLDM_UA_DEFAULT_STATUS_PROBES)) {
		pldm_ua_fail(ua, PLDM_UA_RESULT_TIMEOUT, PLDM_FW_GET_STATUS,
			     PLDM_FW_GET_STATUS);
		return;
	}
	ua->fd_heard_ms = ua->now_ms;
}

static void handle_response(struct pldm_ua *ua, struct pldm_reader *r)
{
	uint8_t cc = pldm_read_u8(r);
	uint8_t cmd = ua->req_cmd;

	if (pldm_reader_status(r)) {
		pldm_ua_fail(ua, PLDM_UA_RESULT_PROTOCOL_ERROR, 0, cmd);
		return;
	}
	if (cmd == PLDM_FW_CANCEL_UPDATE) {
		/* Any answer ends it: SUCCESS, NOT_IN_UPDATE_MODE, or an
		 * error the UA can do nothing more about. */
		uint8_t indication =
			pldm_read_u8(r); /* NonFunctioning...Indication */
		uint32_t lo = pldm_read_le32(r); /* NonFunctioning...Bitmap */
		uint32_t hi = pldm_read_le32(r);

		if (cc == PLDM_CC_SUCCESS && !pldm_reader_status(r) &&
		    pldm_reader_left(r) == 0) {
			ua->outcome.non_functioning = indication;
			ua->outcome.non_functioning_bitmap =
				(uint64_t)hi << 32 | lo;
		}
		ua->update_mode = false;
		finish(ua);
		return;
	}
	if (cmd == PLDM_FW_REQUEST_UPDATE &&
	    cc == PLDM_FW_CC_RETRY_REQUEST_UPDATE &&
	    ua->request_update_retries < ua->cfg->request_update_retries) {
		ua->request_update_retries++;
		ua->update_mode = false;
		ua->retry_wait = true;
		ua->retry_ms = ua->now_ms +
			       cfg_or(ua->cfg->retry_request_update_ms,
				      PLDM_UA_DEFAULT_RETRY_REQUEST_UPDATE_MS);
		return;
	}
	/* The FD may still be in APPLY, waiting for the UA's answer to its
	 * ApplyComplete that got lost: it will send it again, and leave
	 * APPLY once answered; or still busy with its GetPackageData /
	 * GetMetaData (ERROR_NOT_READY: then wait twice as long, longer
	 * than the FD's own retry time FD_T2, so that its retried requests
	 * and our retries do not fall into a lockstep a lossy link could
	 * keep losing the same one of). Ask again a little later. */
	if ((cmd == PLDM_FW_UPDATE_COMPONENT ||
	     cmd == PLDM_FW_ACTIVATE_FIRMWARE) &&
	    (cc == PLDM_FW_CC_INVALID_STATE_FOR_COMMAND ||
	     cc == PLDM_CC_ERROR_NOT_READY) &&
	    ua->state_retries < ua->cfg->retries) {
		ua->state_retries++;
		ua->retry_wait = true;
		ua->retry_ms =
			ua->now_ms +
			cfg_or(ua->cfg->state_retry_ms,
			       PLDM_FW_FD_T2_RETRY_MS) *
				(cc == PLDM_CC_ERROR_NOT_READY ? 2u : 1u);
		return;
	}
	if (cmd == PLDM_FW_ACTIVATE_FIRMWARE &&
	    (cc == PLDM_CC_SUCCESS ||
	     cc == PLDM_FW_CC_ACTIVATION_NOT_REQUIRED)) {
		rsp_activate_firmware(ua, r, cc);
		return;
	}
	if (cc != PLDM_CC_SUCCESS) {
		/* an FD that refuses RequestUpdate or says it is not in
		 * update mode needs no CancelUpdate */
		if (cmd == PLDM_FW_REQUEST_UPDATE ||
		    cc == PLDM_FW_CC_NOT_IN_UPDATE_MODE)
			ua->update_mode = false;
		pldm_ua_fail(ua, PLDM_UA_RESULT_REFUSED, cc, cmd);
		return;
	}
	switch (cmd) {
	case PLDM_FW_QUERY_DEVICE_IDENTIFIERS:
		rsp_query_device_identifiers(ua, r);
		break;
	case PLDM_FW_GET_FIRMWARE_PARAMETERS:
		rsp_get_firmware_parameters(ua, r);
		break;
	case PLDM_FW_REQUEST_UPDATE:
		rsp_request_update(ua, r);
		break;
	case PLDM_FW_GET_DEVICE_META_DATA:
		rsp_get_device_meta_data(ua, r);
		break;
	case PLDM_FW_PASS_COMPONENT_TABLE:
		rsp_pass_component_table(ua, r);
		break;
	case PLDM_FW_UPDATE_COMPONENT:
		rsp_update_component(ua, r);
		break;
	case PLDM_FW_GET_STATUS:
		rsp_get_status(ua, r);
		break;
	default:
		pldm_ua_fail(ua, PLDM_UA_RESULT_PROTOCOL_ERROR, 0, cmd);
		break;
	}
}

/* ---- Public API --------------------------------------------------------- */

int pldm_ua_init(struct pldm_ua *ua, const struct pldm_ua_config *cfg)
{
	if (!ua || !cfg ||
	    cfg->max_transfer_size < PLDM_FW_BASELINE_TRANSFER_SIZE)
		return -EINVAL;
	memset(ua, 0, sizeof(*ua));
	ua->cfg = cfg;
	return pldm_instance_init(&ua->tracker, &ua->tid_slot, 1);
}

int pldm_ua_start(struct pldm_ua *ua, const struct pldm_package *pkg,
		  uint32_t now_ms)
{
	struct pldm_package_iter it;
	struct pldm_package_fd_record rec;
	int rc;

	if (!ua || !ua->cfg || !pkg)
		return -EINVAL;
	if (pldm_ua_running(ua))
		return -EBUSY;
	pldm_package_fd_records(pkg, &it);
	rc = pldm_package_fd_record_next(&it, &rec);
	if (rc < 0)
		return rc;
	if (pkg->component_image_count > PLDM_UA_MAX_COMPONENTS)
		return -ENOSPC;
	/* Keep the instance-ID tracker: IDs keep rotating across updates. */
	memset(&ua->record, 0, sizeof(*ua) - offsetof(struct pldm_ua, record));
	ua->pkg = pkg;
	ua->now_ms = now_ms;
	pldm_log(ua->cfg, PLDM_LOG_NOTICE, "UA: update started");
	request(ua, PLDM_UA_PHASE_IDENTIFY, PLDM_FW_QUERY_DEVICE_IDENTIFIERS);
	return 0;
}

int pldm_ua_poll(struct pldm_ua *ua, uint32_t now_ms, uint8_t *out,
		 size_t *out_len)
{
	uint32_t pt1;
	uint8_t cmd;

	if (!ua || !ua->cfg || !out || !out_len)
		return -EINVAL;
	ua->now_ms = now_ms;
	pt1 = cfg_or(ua->cfg->response_timeout_ms, PLDM_FW_PT1_MS);
	if (ua->outstanding && time_reached(now_ms, ua->sent_ms + pt1)) {
		if (ua->tries < ua->cfg->retries)
			return send_request(ua, out, out_len, true);
		cmd = ua->req_cmd;
		if (cmd == PLDM_FW_CANCEL_UPDATE) {
			/* The outcome is known; only a UA cancel turns into a
			 * timeout. */
			if (ua->outcome.result == PLDM_UA_RESULT_CANCELLED) {
				ua->outcome.result = PLDM_UA_RESULT_TIMEOUT;
				ua->outcome.raw = cmd;
				ua->outcome.command = cmd;
			}
			finish(ua);
		} else {
			pldm_ua_fail(ua, PLDM_UA_RESULT_TIMEOUT, cmd, cmd);
		}
	}
	if (ua->retry_wait && time_reached(now_ms, ua->retry_ms)) {
		ua->retry_wait = false;
		ua->pending = true;
		ua->tries = 0;
	}
	if (!ua->pending && !ua->outstanding && !ua->retry_wait &&
	    (ua->phase == PLDM_UA_PHASE_PACKAGE_DATA ||
	     ua->phase == PLDM_UA_PHASE_DOWNLOAD ||
	     ua->phase == PLDM_UA_PHASE_VERIFY ||
	     ua->phase == PLDM_UA_PHASE_APPLY) &&
	    time_reached(now_ms,
			 ua->fd_heard_ms +
				 cfg_or(ua->cfg->fd_silence_ms,
					PLDM_UA_DEFAULT_FD_SILENCE_MS))) {
		ua->pending = true;
		ua->req_cmd = PLDM_FW_GET_STATUS;
		ua->tries = 0;
	}
	if (ua->pending)
		return send_request(ua, out, out_len, false);
	*out_len = 0;
	return 0;
}

int pldm_ua_rx(struct pldm_ua *ua, uint32_t now_ms, const uint8_t *msg,
	       size_t len, uint8_t *out, size_t *out_len)
{
	struct pldm_header h;
	struct pldm_reader r;
	int rc;

	if (!ua || !ua->cfg || !msg || !out || !out_len)
		return -EINVAL;
	if (pldm_header_decode(msg, len, &h) || h.type != PLDM_TYPE_FW_UPDATE)
		return -EBADMSG;
	ua->now_ms = now_ms;
	pldm_reader_init(&r, msg + PLDM_HDR_LEN, len - PLDM_HDR_LEN);
	if (h.request) {
		if (h.datagram)
			return -ENOMSG;
		return pldm_ua_handle_fd_request(ua, &h, &r, out, out_len);
	}
	*out_len = 0;
	if (!pldm_ua_running(ua))
		return -ENOMSG;
	if (ua->outstanding && h.instance_id == ua->req_instance &&
	    h.command != ua->req_cmd)
		return -EBADMSG;
	rc = pldm_instance_response(&ua->tracker, ua->cfg->tid, h.instance_id);
	if (rc)
		return rc;
	ua->outstanding = false;
	handle_response(ua, &r);
	return 0;
}

int pldm_ua_next_deadline(const struct pldm_ua *ua, uint32_t *deadline_ms)
{
	uint32_t t;

	if (!ua || !ua->cfg || !deadline_ms)
		return -EINVAL;
	if (!pldm_ua_running(ua))
		return 0;
	if (ua->pending)
		t = ua->now_ms;
	else if (ua->outstanding)
		t = ua->sent_ms +
		    cfg_or(ua->cfg->response_timeout_ms, PLDM_FW_PT1_MS);
	else if (ua->retry_wait)
		t = ua->retry_ms;
	else
		t = ua->fd_heard_ms + cfg_or(ua->cfg->fd_silence_ms,
					     PLDM_UA_DEFAULT_FD_SILENCE_MS);
	*deadline_ms = t;
	return 1;
}

int pldm_ua_cancel(struct pldm_ua *ua, uint32_t now_ms)
{
	if (!ua || !ua->cfg)
		return -EINVAL;
	if (!pldm_ua_running(ua) || ua->phase == PLDM_UA_PHASE_CANCEL)
		return -EALREADY;
	ua->now_ms = now_ms;
	pldm_ua_fail(ua, PLDM_UA_RESULT_CANCELLED, 0, PLDM_FW_CANCEL_UPDATE);
	return 0;
}

enum pldm_ua_phase pldm_ua_phase(const struct pldm_ua *ua)
{
	return ua ? ua->phase : PLDM_UA_PHASE_IDLE;
}

enum pldm_ua_result pldm_ua_result(const struct pldm_ua *ua,
				   struct pldm_ua_outcome *outcome)
{
	if (!ua || !ua->ended)
		return PLDM_UA_RESULT_NONE;
	if (outcome)
		*outcome = ua->outcome;
	return ua->outcome.result;
}

static const char *const result_names[] = {
	[PLDM_UA_RESULT_NONE] = "none",
	[PLDM_UA_RESULT_SUCCESS] = "success",
	[PLDM_UA_RESULT_TIMEOUT] = "timeout",
	[PLDM_UA_RESULT_REFUSED] = "refused",
	[PLDM_UA_RESULT_NO_MATCHING_RECORD] = "no-matching-record",
	[PLDM_UA_RESULT_NOT_UPDATABLE] = "not-updatable",
	[PLDM_UA_RESULT_TRANSFER_FAILED] = "transfer-failed",
	[PLDM_UA_RESULT_VERIFY_FAILED] = "verify-failed",
	[PLDM_UA_RESULT_APPLY_FAILED] = "apply-failed",
	[PLDM_UA_RESULT_CANCELLED] = "cancelled",
	[PLDM_UA_RESULT_CANCELLED_BY_FD] = "cancelled-by-fd",
	[PLDM_UA_RESULT_PROTOCOL_ERROR] = "protocol-error",
	[PLDM_UA_RESULT_METADATA_TOO_LARGE] = "metadata-too-large",
};

const char *pldm_ua_result_name(enum pldm_ua_result result)
{
	if ((unsigned int)result >=
	    sizeof(result_names) / sizeof(result_names[0]))
		return "unknown";
	return result_names[result];
}

static const char *const phase_names[] = {
	[PLDM_UA_PHASE_IDLE] = "idle",
	[PLDM_UA_PHASE_IDENTIFY] = "identify",
	[PLDM_UA_PHASE_GET_PARAMETERS] = "get-parameters",
	[PLDM_UA_PHASE_REQUEST_UPDATE] = "request-update",
	[PLDM_UA_PHASE_PACKAGE_DATA] = "package-data",
	[PLDM_UA_PHASE_PASS_COMPONENT_TABLE] = "pass-component-table",
	[PLDM_UA_PHASE_UPDATE_COMPONENT] = "update-component",
	[PLDM_UA_PHASE_DOWNLOAD] = "download",
	[PLDM_UA_PHASE_VERIFY] = "verify",
	[PLDM_UA_PHASE_APPLY] = "apply",
	[PLDM_UA_PHASE_ACTIVATE] = "activate",
	[PLDM_UA_PHASE_CANCEL] = "cancel",
	[PLDM_UA_PHASE_DONE] = "done",
	[PLDM_UA_PHASE_DEVICE_METADATA] = "device-metadata",
};

const char *pldm_ua_phase_name(enum pldm_ua_phase phase)
{
	if ((unsigned int)phase >= sizeof(phase_names) / sizeof(phase_names[0]))
		return "unknown";
	return phase_names[phase];
}

const uint8_t *pldm_ua_device_metadata(const struct pldm_ua *ua, size_t *len)
{
	size_t n = ua && ua->cfg ? ua->device_metadata_len : 0;

	if (len)
		*len = n;
	return n ? ua->cfg->device_metadata : NULL;
}

const struct pldm_ua_component *pldm_ua_components(const struct pldm_ua *ua,
						   uint16_t *count)
{
	if (!ua) {
		if (count)
			*count = 0;
		return NULL;
	}
	if (count)
		*count = ua->n_comps;
	return ua->comps;
}
