/* SPDX-License-Identifier: Apache-2.0 */
/*
 * prot-ua status: QueryDeviceIdentifiers, GetFirmwareParameters and
 * GetStatus (DSP0267 1.3), each a hand-encoded one-shot PLDM request over
 * MCTP (DSP0241: type byte 0x01, then the PLDM message) with its response
 * decoded here, bounds-checked.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <string.h>

#include "pldm/base.h"
#include "pldm/fw-update.h"
#include "prot-ua-update.h"

#define SLICE_MS 100u
#define RSP_MAX 2048u
#define MAX_DESC 16
#define MAX_COMP 16

struct oneshot {
	uint8_t eid;
	int tag; /* of the request in flight, -1: none */
	uint8_t iid;
	uint8_t cmd;
	bool have;
	uint8_t rsp[RSP_MAX];
	FILE *out;
	size_t len;
};

static void os_rx(void *ctx, struct mctp *mctp,
		  const struct mctp_msg_info *info, const uint8_t *msg,
		  size_t len)
{
	struct oneshot *s = ctx;
	struct pldm_header h;

	(void)mctp;
	/* Only the answer to our request: from the FD, our tag, a PLDM
	 * response to our instance and command. */
	if (info->tag_owner || info->src_eid != s->eid || s->tag < 0 ||
	    info->tag != (uint8_t)s->tag || len < 1 + PLDM_HDR_LEN ||
	    (msg[0] & MCTP_MSG_TYPE_IC) || len - 1 > RSP_MAX ||
	    pldm_header_decode(msg + 1, len - 1, &h) || h.request ||
	    h.instance_id != s->iid || h.type != PLDM_TYPE_FW_UPDATE ||
	    h.command != s->cmd)
		return;
	memcpy(s->rsp, msg + 1, len - 1);
	s->len = len - 1;
	s->have = true;
}

static const struct mctp_handler_ops os_ops = {.rx = os_rx};

/* Send @cmd with @payload and wait for its answer (3 tries). On success
 * s->rsp holds the PLDM response after the header... check CC by caller. */
static int request(struct oneshot *s, struct mctp *mctp,
		   const struct prot_ua_link *link, uint8_t cmd,
		   uint32_t timeout_ms, char *err, size_t errlen)
{
	uint8_t msg[1 + PLDM_HDR_LEN];
	struct pldm_header h = {
		.request = true,
		.type = PLDM_TYPE_FW_UPDATE,
		.command = cmd,
	};

	for (int attempt = 0; attempt < 3; attempt++) {
		uint32_t start = link->now_ms(link->ctx);
		int rc;

		s->iid = (uint8_t)((s->iid + 1u) & PLDM_HDR_INSTANCE_MASK);
		h.instance_id = s->iid;
		s->cmd = cmd;
		s->have = false;
		msg[0] = MCTP_MSG_TYPE_PLDM;
		(void)pldm_header_encode(&h, msg + 1, PLDM_HDR_LEN);
		mctp_poll(mctp, start);
		rc = mctp_request_tx(mctp, s->eid, msg, sizeof(msg));
		if (rc < 0) {
			snprintf(err, errlen, "%s: cannot send: %s",
				 prot_ua_fw_command_name(cmd), strerror(-rc));
			return PROT_UA_EXIT_TRANSPORT;
		}
		s->tag = rc;
		while (!s->have && (uint32_t)(link->now_ms(link->ctx) - start) <
					   timeout_ms) {
			rc = link->service(link->ctx, SLICE_MS);
			if (rc < 0) {
				snprintf(err, errlen, "link: %s",
					 strerror(-rc));
				return PROT_UA_EXIT_TRANSPORT;
			}
		}
		s->tag = -1;
		if (s->have)
			break;
	}
	if (!s->have) {
		snprintf(err, errlen, "%s: no answer from EID %u",
			 prot_ua_fw_command_name(cmd), s->eid);
		return PROT_UA_EXIT_TRANSPORT;
	}
	if (s->len < PLDM_HDR_LEN + 1) {
		snprintf(err, errlen, "%s: malformed answer (%zu bytes)",
			 prot_ua_fw_command_name(cmd), s->len);
		return PROT_UA_EXIT_PROTOCOL;
	}
	if (s->rsp[PLDM_HDR_LEN] != 0) {
		snprintf(err, errlen, "%s: completion code 0x%02x",
			 prot_ua_fw_command_name(cmd), s->rsp[PLDM_HDR_LEN]);
		return PROT_UA_EXIT_REFUSED;
	}
	return PROT_UA_EXIT_OK;
}

/* ---- Bounds-checked reading --------------------------------------------- */

struct rd {
	const uint8_t *p;
	size_t len, off;
	bool bad;
};

static const uint8_t *take(struct rd *r, size_t n)
{
	const uint8_t *p;

	if (r->bad || n > r->len - r->off) {
		r->bad = true;
		return NULL;
	}
	p = r->p + r->off;
	r->off += n;
	return p;
}

static uint32_t le(struct rd *r, size_t n)
{
	const uint8_t *p = take(r, n);
	uint32_t v = 0;

	for (size_t i = 0; p && i < n; i++)
		v |= (uint32_t)p[i] << (8 * i);
	return v;
}

/* ---- Output -------------------------------------------------------------- */

static void put_str(FILE *f, bool json, const uint8_t *s, size_t n)
{
	if (json)
		fputc('"', f);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = s[i];

		if (c < 0x20 || c > 0x7E)
			fprintf(f, json ? "\\u%04x" : "\\x%02x", c);
		else if (json && (c == '"' || c == '\\'))
			fprintf(f, "\\%c", c);
		else
			fputc(c, f);
	}
	if (json)
		fputc('"', f);
}

static void put_hex(FILE *f, bool json, const uint8_t *p, size_t n)
{
	if (json)
		fputc('"', f);
	for (size_t i = 0; i < n; i++)
		fprintf(f, "%02x", p[i]);
	if (json)
		fputc('"', f);
}

static const char *desc_name(uint16_t t)
{
	switch (t) {
	case 0x0000:
		return "PCI vendor ID";
	case 0x0001:
		return "IANA enterprise ID";
	case 0x0002:
		return "UUID";
	case 0x0003:
		return "PnP vendor ID";
	case 0x0004:
		return "ACPI vendor ID";
	case 0x0100:
		return "PCI device ID";
	case 0xFFFF:
		return "vendor defined";
	default:
		return "other";
	}
}

static const char *state_name(uint8_t s)
{
	static const char *const n[] = {
		"IDLE",  "LEARN COMPONENTS", "READY XFER", "DOWNLOAD", "VERIFY",
		"APPLY", "ACTIVATE",
	};

	return s < sizeof(n) / sizeof(n[0]) ? n[s] : "unknown";
}

static int decode_identifiers(const struct oneshot *s, bool json, char *err,
			      size_t errlen)
{
	struct rd r = {s->rsp, s->len, PLDM_HDR_LEN + 1, false};
	uint32_t total = le(&r, 4);
	uint8_t count = (uint8_t)le(&r, 1);

	if (r.bad || total != r.len - r.off || count == 0) {
		snprintf(err, errlen,
			 "QueryDeviceIdentifiers: malformed "
			 "answer");
		return PROT_UA_EXIT_PROTOCOL;
	}
	fprintf(s->out, json ? ",\"descriptors\":[" : "Device identifiers:\n");
	for (unsigned int i = 0; i < count; i++) {
		uint16_t type = (uint16_t)le(&r, 2);
		uint16_t len = (uint16_t)le(&r, 2);
		const uint8_t *v = take(&r, len);

		if (r.bad) {
			snprintf(err, errlen,
				 "QueryDeviceIdentifiers: "
				 "descriptor %u runs past the answer",
				 i);
			return PROT_UA_EXIT_PROTOCOL;
		}
		if (json) {
			fprintf(s->out,
				"%s{\"type\":%u,\"name\":\"%s\",\"value\":",
				i ? "," : "", type, desc_name(type));
			put_hex(s->out, true, v, len);
			fprintf(s->out, "}");
		} else {
			fprintf(s->out, "  0x%04x %-18s ", type,
				desc_name(type));
			put_hex(s->out, false, v, len);
			if (type == 0xFFFF && len >= 2 && v[1] + 2u <= len) {
				fprintf(s->out, " (");
				put_str(s->out, false, v + 2, v[1]);
				fprintf(s->out, ")");
			}
			fprintf(s->out, "\n");
		}
	}
	if (json)
		fprintf(s->out, "]");
	return PROT_UA_EXIT_OK;
}

static int decode_parameters(const struct oneshot *s, bool json, char *err,
			     size_t errlen)
{
	struct rd r = {s->rsp, s->len, PLDM_HDR_LEN + 1, false};
	uint32_t caps = le(&r, 4);
	uint16_t count = (uint16_t)le(&r, 2);
	uint8_t at, al, pt, pl;
	const uint8_t *as, *ps;

	at = (uint8_t)le(&r, 1);
	al = (uint8_t)le(&r, 1);
	pt = (uint8_t)le(&r, 1);
	pl = (uint8_t)le(&r, 1);
	as = take(&r, al);
	ps = take(&r, pl);
	(void)at;
	(void)pt;
	if (r.bad)
		goto bad;
	if (json) {
		fprintf(s->out,
			",\"capabilities\":%u,\"active_image_set\":", caps);
		put_str(s->out, true, as, al);
		fprintf(s->out, ",\"pending_image_set\":");
		put_str(s->out, true, ps, pl);
		fprintf(s->out, ",\"components\":[");
	} else {
		fprintf(s->out,
			"Firmware parameters (capabilities 0x%08x):\n  image "
			"set: active \"",
			caps);
		put_str(s->out, false, as, al);
		fprintf(s->out, "\", pending \"");
		put_str(s->out, false, ps, pl);
		fprintf(s->out, "\"\n");
	}
	for (unsigned int i = 0; i < count; i++) {
		uint16_t cls = (uint16_t)le(&r, 2);
		uint16_t id = (uint16_t)le(&r, 2);
		uint8_t idx = (uint8_t)le(&r, 1);
		uint32_t astamp = le(&r, 4);
		uint8_t avl, pvl;
		uint32_t pstamp, methods, ccaps;
		const uint8_t *av, *pv;

		(void)le(&r, 1);
		avl = (uint8_t)le(&r, 1);
		(void)take(&r, 8);
		pstamp = le(&r, 4);
		(void)le(&r, 1);
		pvl = (uint8_t)le(&r, 1);
		(void)take(&r, 8);
		methods = le(&r, 2);
		ccaps = le(&r, 4);
		av = take(&r, avl);
		pv = take(&r, pvl);
		if (r.bad)
			goto bad;
		if (json) {
			fprintf(s->out,
				"%s{\"classification\":%u,\"identifier\":%u,"
				"\"classification_index\":%u,"
				"\"active_stamp\":%u,\"active_version\":",
				i ? "," : "", cls, id, idx, astamp);
			put_str(s->out, true, av, avl);
			fprintf(s->out,
				",\"pending_stamp\":%u,\"pending_version\":",
				pstamp);
			put_str(s->out, true, pv, pvl);
			fprintf(s->out,
				",\"activation_methods\":%u,\"capabilities\":%u}",
				methods, ccaps);
		} else {
			fprintf(s->out,
				"  component 0x%04x (class 0x%04x): active "
				"\"",
				id, cls);
			put_str(s->out, false, av, avl);
			fprintf(s->out, "\" stamp 0x%08x", astamp);
			if (pvl) {
				fprintf(s->out, ", pending \"");
				put_str(s->out, false, pv, pvl);
				fprintf(s->out, "\" stamp 0x%08x", pstamp);
			}
			fprintf(s->out, "\n");
		}
	}
	if (json)
		fprintf(s->out, "]");
	return PROT_UA_EXIT_OK;
bad:
	snprintf(err, errlen, "GetFirmwareParameters: malformed answer");
	return PROT_UA_EXIT_PROTOCOL;
}

static int decode_status(const struct oneshot *s, bool json, char *err,
			 size_t errlen)
{
	struct rd r = {s->rsp, s->len, PLDM_HDR_LEN + 1, false};
	uint8_t cur = (uint8_t)le(&r, 1), prev = (uint8_t)le(&r, 1);
	uint8_t aux = (uint8_t)le(&r, 1), aux_st = (uint8_t)le(&r, 1);
	uint8_t pct = (uint8_t)le(&r, 1), reason = (uint8_t)le(&r, 1);
	uint32_t flags = le(&r, 4);

	if (r.bad) {
		snprintf(err, errlen, "GetStatus: malformed answer");
		return PROT_UA_EXIT_PROTOCOL;
	}
	if (json)
		fprintf(s->out,
			",\"state\":\"%s\",\"previous_state\":\"%s\","
			"\"aux_state\":%u,\"aux_state_status\":%u,"
			"\"progress\":%u,\"reason\":%u,\"update_flags\":%u",
			state_name(cur), state_name(prev), aux, aux_st, pct,
			reason, flags);
	else
		fprintf(s->out,
			"Status: state %s (previous %s), aux state %u status "
			"0x%02x, progress %s%u, reason %u\n",
			state_name(cur), state_name(prev), aux, aux_st,
			pct == PLDM_FW_PROGRESS_UNSUPPORTED ? "n/a " : "", pct,
			reason);
	return PROT_UA_EXIT_OK;
}

int prot_ua_status_run(struct mctp *mctp, const struct prot_ua_link *link,
		       uint8_t fd_eid, uint32_t timeout_ms, bool json,
		       FILE *out, char *err, size_t errlen)
{
	static struct oneshot s;
	int rc;

	memset(&s, 0, sizeof(s));
	s.eid = fd_eid;
	s.tag = -1;
	s.out = out;
	rc = mctp_register_handler(mctp, MCTP_MSG_TYPE_PLDM, &os_ops, &s);
	if (rc) {
		snprintf(err, errlen, "PLDM handler: %s", strerror(-rc));
		return PROT_UA_EXIT_USAGE;
	}
	if (json)
		fprintf(out, ",\"pldm\":{");
	/* The first member must not start with a comma: open with the EID. */
	if (json)
		fprintf(out, "\"eid\":%u", fd_eid);
	rc = request(&s, mctp, link, PLDM_FW_QUERY_DEVICE_IDENTIFIERS,
		     timeout_ms, err, errlen);
	if (!rc)
		rc = decode_identifiers(&s, json, err, errlen);
	if (!rc)
		rc = request(&s, mctp, link, PLDM_FW_GET_FIRMWARE_PARAMETERS,
			     timeout_ms, err, errlen);
	if (!rc)
		rc = decode_parameters(&s, json, err, errlen);
	if (!rc)
		rc = request(&s, mctp, link, PLDM_FW_GET_STATUS, timeout_ms,
			     err, errlen);
	if (!rc)
		rc = decode_status(&s, json, err, errlen);
	if (json)
		fprintf(out, "}");
	return rc;
}
