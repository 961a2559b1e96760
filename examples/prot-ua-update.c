/* SPDX-License-Identifier: Apache-2.0 */
/*
 * prot-ua update: the libpldm-fw Update Agent over the PLDM-over-MCTP glue
 * (prot/pldm-mctp.h), on an MCTP stack set up by the caller. Progress: a
 * bar on a terminal, plain lines otherwise (each phase change and every
 * 10% of a component's download).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "prot-ua-update.h"

#define SLICE_MS 100u
#define BAR_WIDTH 30

int prot_ua_package_load(const char *path, uint8_t **buf, size_t *len,
			 struct pldm_package *pkg, char *err, size_t errlen)
{
	struct stat st;
	FILE *f;
	size_t n;
	int rc;

	*buf = NULL;
	*len = 0;
	f = fopen(path, "rb");
	if (!f) {
		snprintf(err, errlen, "package %s: %s", path, strerror(errno));
		return PROT_UA_EXIT_BAD_PACKAGE;
	}
	if (fstat(fileno(f), &st) || !S_ISREG(st.st_mode) || st.st_size <= 0 ||
	    st.st_size > 256 * 1024 * 1024) {
		fclose(f);
		snprintf(err, errlen,
			 "package %s: not a regular file of 1 "
			 "byte to 256 MiB",
			 path);
		return PROT_UA_EXIT_BAD_PACKAGE;
	}
	*buf = malloc((size_t)st.st_size);
	if (!*buf) {
		fclose(f);
		snprintf(err, errlen, "package %s: out of memory", path);
		return PROT_UA_EXIT_BAD_PACKAGE;
	}
	n = fread(*buf, 1, (size_t)st.st_size, f);
	fclose(f);
	if (n != (size_t)st.st_size) {
		snprintf(err, errlen, "package %s: short read", path);
		return PROT_UA_EXIT_BAD_PACKAGE;
	}
	*len = n;
	rc = pldm_package_parse(pkg, *buf, n);
	if (rc) {
		snprintf(err, errlen,
			 "package %s: not a valid DSP0267 package: "
			 "%s",
			 path, pldm_package_reason_name(pkg->reason));
		return PROT_UA_EXIT_BAD_PACKAGE;
	}
	return PROT_UA_EXIT_OK;
}

const char *prot_ua_fw_command_name(uint8_t cmd)
{
	switch (cmd) {
	case PLDM_FW_QUERY_DEVICE_IDENTIFIERS:
		return "QueryDeviceIdentifiers";
	case PLDM_FW_GET_FIRMWARE_PARAMETERS:
		return "GetFirmwareParameters";
	case 0x10:
		return "RequestUpdate";
	case 0x11:
		return "GetPackageData";
	case 0x12:
		return "GetDeviceMetaData";
	case 0x13:
		return "PassComponentTable";
	case 0x14:
		return "UpdateComponent";
	case 0x15:
		return "RequestFirmwareData";
	case 0x16:
		return "TransferComplete";
	case 0x17:
		return "VerifyComplete";
	case 0x18:
		return "ApplyComplete";
	case 0x19:
		return "GetMetaData";
	case 0x1A:
		return "ActivateFirmware";
	case PLDM_FW_GET_STATUS:
		return "GetStatus";
	case 0x1C:
		return "CancelUpdateComponent";
	case 0x1D:
		return "CancelUpdate";
	default:
		return "unknown";
	}
}

static int result_exit(enum pldm_ua_result r)
{
	switch (r) {
	case PLDM_UA_RESULT_SUCCESS:
		return PROT_UA_EXIT_OK;
	case PLDM_UA_RESULT_REFUSED:
	case PLDM_UA_RESULT_NOT_UPDATABLE:
	case PLDM_UA_RESULT_TRANSFER_FAILED:
	case PLDM_UA_RESULT_VERIFY_FAILED:
	case PLDM_UA_RESULT_APPLY_FAILED:
	case PLDM_UA_RESULT_CANCELLED_BY_FD:
		return PROT_UA_EXIT_REFUSED;
	case PLDM_UA_RESULT_NO_MATCHING_RECORD:
		return PROT_UA_EXIT_BAD_PACKAGE;
	case PLDM_UA_RESULT_PROTOCOL_ERROR:
	case PLDM_UA_RESULT_METADATA_TOO_LARGE:
		return PROT_UA_EXIT_PROTOCOL;
	case PLDM_UA_RESULT_TIMEOUT:
	case PLDM_UA_RESULT_CANCELLED:
	default:
		return PROT_UA_EXIT_TRANSPORT;
	}
}

static void bar_close(struct prot_ua_update *u)
{
	if (u->bar_open)
		fputc('\n', u->o->progress);
	u->bar_open = false;
}

static void progress(void *ctx, const struct pldm_ua_progress *p)
{
	struct prot_ua_update *u = ctx;
	FILE *f = u->o->progress;
	int pct = -1;

	if (p->component < PLDM_UA_MAX_COMPONENTS &&
	    p->bytes_served > u->served[p->component])
		u->served[p->component] = p->bytes_served;
	if (!f)
		return;
	if (p->phase == PLDM_UA_PHASE_DOWNLOAD && p->component_size) {
		uint64_t b = p->bytes_served < p->component_size
				     ? p->bytes_served
				     : p->component_size;

		pct = (int)(b * 100u / p->component_size);
	}
	if (p->phase != u->phase || p->component != u->comp) {
		bar_close(u);
		u->phase = p->phase;
		u->comp = p->component;
		u->last_pct = -1;
		if (p->component_count &&
		    (p->phase == PLDM_UA_PHASE_PASS_COMPONENT_TABLE ||
		     p->phase == PLDM_UA_PHASE_UPDATE_COMPONENT ||
		     p->phase == PLDM_UA_PHASE_DOWNLOAD ||
		     p->phase == PLDM_UA_PHASE_VERIFY ||
		     p->phase == PLDM_UA_PHASE_APPLY))
			fprintf(f, "update: %s (component %u/%u)\n",
				pldm_ua_phase_name(p->phase), p->component + 1u,
				p->component_count);
		else
			fprintf(f, "update: %s\n",
				pldm_ua_phase_name(p->phase));
	}
	if (pct < 0)
		return;
	if (u->o->tty) {
		int fill = pct * BAR_WIDTH / 100;

		if (pct == u->last_pct)
			return;
		fprintf(f, "\r  [%.*s%*s] %3d%% %u/%u bytes", fill,
			"##############################", BAR_WIDTH - fill, "",
			pct,
			p->bytes_served < p->component_size ? p->bytes_served
							    : p->component_size,
			p->component_size);
		fflush(f);
		u->bar_open = true;
		u->last_pct = pct;
	} else if (pct / 10 > u->last_pct / 10 || u->last_pct < 0) {
		pct = pct / 10 * 10;
		if (pct == u->last_pct)
			return;
		fprintf(f, "update: download %d%% (%u of %u bytes)\n", pct,
			p->bytes_served < p->component_size ? p->bytes_served
							    : p->component_size,
			p->component_size);
		u->last_pct = pct;
	}
}

/* Turn the loop once: the agent's time, then the wire until its next
 * deadline (at most SLICE_MS). */
static int turn(struct prot_ua_update *u)
{
	uint32_t now = u->link->now_ms(u->link->ctx), dl = 0, wait = SLICE_MS;
	int rc = prot_pldm_mctp_agent_poll(&u->ag, now, &dl);

	if (rc == 1) {
		int32_t d = (int32_t)(dl - now);

		wait = d <= 0                   ? 0u
		       : (uint32_t)d < SLICE_MS ? (uint32_t)d
						: SLICE_MS;
	}
	return u->link->service(u->link->ctx, wait);
}

static int fail(struct prot_ua_update_report *r, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(struct prot_ua_update_report *r, int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(r->error, sizeof(r->error), fmt, ap);
	va_end(ap);
	r->exit_code = code;
	return code;
}

static const char *crc_name(uint8_t code)
{
	static const char *const n[] = {
		"can be updated",
		"comparison stamp identical to the active one",
		"comparison stamp lower than the active one",
		"invalid comparison stamp",
		"conflict",
		"prerequisites not met",
		"not supported",
		"security restrictions (e.g. SVN below the device's floor)",
		"incomplete component image set",
		"active image not updateable / information does not match",
		"version string identical",
		"version string lower",
	};

	return code < sizeof(n) / sizeof(n[0]) ? n[code] : "other reason";
}

/* The name of a TransferResult, VerifyResult or ApplyResult (DSP0267),
 * for the completion request @command that carried it. */
static const char *completion_result_name(uint8_t command, uint8_t raw)
{
	switch (command) {
	case PLDM_FW_TRANSFER_COMPLETE:
		switch (raw) {
		case PLDM_FW_TRANSFER_ERROR_IMAGE_CORRUPT:
			return "image corrupt";
		case PLDM_FW_TRANSFER_ERROR_VERSION_MISMATCH:
			return "version mismatch";
		case PLDM_FW_TRANSFER_FD_ABORTED:
			return "aborted by the device";
		case PLDM_FW_TRANSFER_TIMEOUT:
			return "timeout";
		case PLDM_FW_TRANSFER_FD_ABORTED_STORAGE_ISSUE:
			return "storage issue";
		case PLDM_FW_TRANSFER_FD_ABORTED_SECURITY_REVISION:
			return "security revision (SVN) not allowed";
		default:
			break;
		}
		break;
	case PLDM_FW_VERIFY_COMPLETE:
		switch (raw) {
		case PLDM_FW_VERIFY_ERROR_VERIFICATION_FAILURE:
			return "verification failure";
		case PLDM_FW_VERIFY_ERROR_VERSION_MISMATCH:
			return "version mismatch";
		case PLDM_FW_VERIFY_FAILED_FD_SECURITY_CHECKS:
			return "failed the device's security checks "
			       "(signature or signer)";
		case PLDM_FW_VERIFY_ERROR_IMAGE_INCOMPLETE:
			return "image incomplete";
		case PLDM_FW_VERIFY_TIMEOUT:
			return "timeout";
		case PLDM_FW_VERIFY_FAILURE_SECURITY_REVISION:
			return "security revision (SVN) below the device's floor";
		default:
			break;
		}
		break;
	case PLDM_FW_APPLY_COMPLETE:
		switch (raw) {
		case PLDM_FW_APPLY_FAILURE_MEMORY_ISSUE:
			return "memory issue";
		case PLDM_FW_APPLY_TIMEOUT:
			return "timeout";
		case PLDM_FW_APPLY_FAILURE_SECURITY_REVISION:
			return "security revision (SVN) not allowed";
		default:
			break;
		}
		break;
	default:
		return "status";
	}
	return raw == 0x0A ? "generic error" : "other reason";
}

/* A sentence for the failed end in r->outcome. */
static void explain(const struct prot_ua_update *u,
		    struct prot_ua_update_report *r)
{
	const struct pldm_ua_outcome *oc = &r->outcome;
	const char *cmd = prot_ua_fw_command_name(oc->command);
	uint16_t n = 0;
	const struct pldm_ua_component *c = pldm_ua_components(&u->ua, &n);
	char comp[40] = "";

	if (c && oc->component < n)
		snprintf(comp, sizeof(comp), " (component 0x%04x)",
			 c[oc->component].identifier);
	switch (r->result) {
	case PLDM_UA_RESULT_NO_MATCHING_RECORD:
		snprintf(r->error, sizeof(r->error),
			 "no record of the package matches the device's "
			 "identifiers (QueryDeviceIdentifiers)");
		break;
	case PLDM_UA_RESULT_NOT_UPDATABLE:
		snprintf(r->error, sizeof(r->error),
			 "the device will not update%s: %s (%s code 0x%02x)",
			 comp, crc_name(oc->raw), cmd, oc->raw);
		break;
	case PLDM_UA_RESULT_REFUSED:
		snprintf(r->error, sizeof(r->error),
			 "the device refused %s%s: completion code 0x%02x", cmd,
			 comp, oc->raw);
		break;
	case PLDM_UA_RESULT_TRANSFER_FAILED:
	case PLDM_UA_RESULT_VERIFY_FAILED:
	case PLDM_UA_RESULT_APPLY_FAILED:
		snprintf(r->error, sizeof(r->error),
			 "the device reports the image %s failed%s: %s "
			 "result 0x%02x (%s)",
			 r->result == PLDM_UA_RESULT_TRANSFER_FAILED
				 ? "transfer"
			 : r->result == PLDM_UA_RESULT_VERIFY_FAILED
				 ? "verification"
				 : "apply",
			 comp, cmd, oc->raw,
			 completion_result_name(oc->command, oc->raw));
		break;
	case PLDM_UA_RESULT_CANCELLED_BY_FD:
		snprintf(r->error, sizeof(r->error),
			 "the device cancelled the update%s: reason %u", comp,
			 oc->raw);
		break;
	case PLDM_UA_RESULT_TIMEOUT:
		snprintf(r->error, sizeof(r->error),
			 "timed out: no answer from the device to %s%s", cmd,
			 comp);
		break;
	case PLDM_UA_RESULT_PROTOCOL_ERROR:
		snprintf(r->error, sizeof(r->error),
			 "malformed answer to %s from the device", cmd);
		break;
	default:
		snprintf(r->error, sizeof(r->error),
			 "update %s: %s, code "
			 "0x%02x%s",
			 pldm_ua_result_name(r->result), cmd, oc->raw, comp);
		break;
	}
}

static int discover(struct prot_ua_update *u, struct prot_ua_update_report *r)
{
	uint8_t tid = 0, types[8];
	int rc = prot_pldm_mctp_agent_discover(&u->ag);

	if (rc)
		return fail(r, PROT_UA_EXIT_PROTOCOL, "PLDM discovery: %s",
			    strerror(-rc));
	while ((rc = prot_pldm_mctp_agent_discovery(&u->ag, &tid, types)) ==
	       -EINPROGRESS) {
		int lrc = turn(u);

		if (lrc < 0)
			return fail(r, PROT_UA_EXIT_TRANSPORT, "link: %s",
				    strerror(-lrc));
	}
	if (rc == -ETIMEDOUT)
		return fail(r, PROT_UA_EXIT_TRANSPORT,
			    "PLDM discovery: no answer to GetTID/GetPLDMTypes");
	if (rc)
		return fail(r, PROT_UA_EXIT_PROTOCOL, "PLDM discovery: %s",
			    strerror(-rc));
	if (!(types[PLDM_TYPE_FW_UPDATE / 8] &
	      (1u << (PLDM_TYPE_FW_UPDATE % 8))))
		return fail(r, PROT_UA_EXIT_PROTOCOL,
			    "the device does not support PLDM firmware update "
			    "(type 5)");
	if (u->o->progress)
		fprintf(u->o->progress,
			"update: PLDM terminus TID %u, firmware "
			"update supported\n",
			tid);
	return PROT_UA_EXIT_OK;
}

int prot_ua_update_run(struct prot_ua_update *u, struct mctp *mctp,
		       const struct prot_ua_link *link,
		       const struct prot_ua_update_options *o,
		       const struct pldm_package *pkg,
		       struct prot_ua_update_report *r)
{
	uint32_t xfer = o->max_transfer ? o->max_transfer : 512u;
	uint32_t t0;
	int rc;

	memset(u, 0, sizeof(*u));
	memset(r, 0, sizeof(*r));
	u->o = o;
	u->link = link;
	u->last_pct = -1;
	if (xfer < PLDM_FW_BASELINE_TRANSFER_SIZE || xfer > PROT_UA_MAX_XFER)
		return fail(r, PROT_UA_EXIT_USAGE,
			    "transfer size %u not in "
			    "%u..%u",
			    xfer, PLDM_FW_BASELINE_TRANSFER_SIZE,
			    PROT_UA_MAX_XFER);
	t0 = link->now_ms(link->ctx);
	u->ua_cfg = (struct pldm_ua_config){
		.max_transfer_size = xfer,
		.response_timeout_ms = o->pt1_ms ? o->pt1_ms : 1000u,
		.retries = o->retries,
		.skip_not_updatable = false,
		.self_contained_activation = o->self_contained,
		.progress = progress,
		.ctx = u,
	};
	u->acfg = (struct prot_pldm_mctp_agent_config){
		.ua = &u->ua,
		.fd_eid = o->fd_eid,
		.base_timeout_ms = u->ua_cfg.response_timeout_ms,
		.base_retries = o->retries,
		.buf = u->abuf,
		.buf_size = sizeof(u->abuf),
	};
	rc = pldm_ua_init(&u->ua, &u->ua_cfg);
	if (!rc)
		rc = prot_pldm_mctp_agent_init(&u->ag, mctp, &u->acfg, t0);
	if (rc)
		return fail(r, PROT_UA_EXIT_USAGE, "PLDM agent setup: %s",
			    strerror(-rc));
	if (o->discover && discover(u, r))
		goto out;
	rc = pldm_ua_start(&u->ua, pkg, link->now_ms(link->ctx));
	if (rc) {
		fail(r, PROT_UA_EXIT_BAD_PACKAGE,
		     "the package cannot be used: "
		     "%s",
		     strerror(-rc));
		goto out;
	}
	while (pldm_ua_result(&u->ua, NULL) == PLDM_UA_RESULT_NONE) {
		rc = turn(u);
		if (rc < 0) {
			fail(r, PROT_UA_EXIT_TRANSPORT, "link: %s",
			     strerror(-rc));
			goto out;
		}
	}
	r->result = pldm_ua_result(&u->ua, &r->outcome);
	r->exit_code = result_exit(r->result);
	if (r->exit_code)
		explain(u, r);
out:
	if (o->progress)
		bar_close(u);
	(void)pldm_ua_components(&u->ua, &r->n_components);
	for (size_t i = 0; i < PLDM_UA_MAX_COMPONENTS; i++)
		r->bytes += u->served[i];
	r->seconds = (double)(uint32_t)(link->now_ms(link->ctx) - t0) / 1000.0;
	return r->exit_code;
}

void prot_ua_update_json(FILE *f, const struct prot_ua_update_report *r)
{
	fprintf(f,
		"\"update\":{\"result\":\"%s\",\"raw\":%u,\"command\":\"%s\","
		"\"command_code\":%u,\"component\":%u,\"components\":%u,"
		"\"bytes\":%llu,\"seconds\":%.3f}",
		r->result == PLDM_UA_RESULT_NONE
			? "none"
			: pldm_ua_result_name(r->result),
		r->outcome.raw,
		r->result == PLDM_UA_RESULT_NONE
			? ""
			: prot_ua_fw_command_name(r->outcome.command),
		r->outcome.command, r->outcome.component, r->n_components,
		(unsigned long long)r->bytes, r->seconds);
}
