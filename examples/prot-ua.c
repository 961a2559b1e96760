/* SPDX-License-Identifier: Apache-2.0 */
/*
 * prot-ua: the update agent and verifier.
 *
 *   prot-ua discover --smbus PATH [options]
 *   prot-ua attest --smbus PATH --root FILE [--slot N] [--expect HEX[,HEX]]
 *   prot-ua measurements --smbus PATH --root FILE [--slot N] [...]
 *   prot-ua update PACKAGE --smbus PATH [--json] [--self-contained]
 *   prot-ua status --smbus PATH [--root FILE] [--json]
 *
 * discover: as a bus owner (like a BMC), assign the device's EID with Set
 *     Endpoint ID sent to the null EID, then read Get Endpoint ID, Get
 *     Endpoint UUID, Get MCTP Version Support (base and control) and Get
 *     Message Type Support.
 * attest: discover, then over SPDM over MCTP (DSP0275): GET_VERSION,
 *     GET_CAPABILITIES, NEGOTIATE_ALGORITHMS; GET_DIGESTS and
 *     GET_CERTIFICATE for the slot, the chain verified against the --root
 *     trust anchor(s); CHALLENGE (when this build has it) signed by the
 *     certified key, with the summary of all measurements; GET_MEASUREMENTS
 *     of all blocks, signed by the same key; --expect compares the mutable
 *     firmware measurement with the digest(s) given.
 * measurements: attest without the CHALLENGE.
 * update: discover, then the DSP0267 firmware update of the device from
 *     PACKAGE with the libpldm-fw update agent over PLDM over MCTP
 *     (prot-ua-update.c), ending with ActivateFirmware.
 * status: discover, then QueryDeviceIdentifiers, GetFirmwareParameters
 *     and GetStatus (prot-ua-status.c); with --root, also the signed
 *     measurements (as "measurements").
 * attest and measurements take --spdm-emu HOST:PORT instead of --smbus:
 *     SPDM over the spdm-emu TCP protocol (transport MCTP), to prot-device
 *     --spdm-emu-listen or DMTF's spdm_responder_emu; no MCTP discovery.
 *
 * Exit status (EXIT_* below): 0 authenticated (every check passed), 1
 * transport failure (link, timeout, MCTP discovery), 2 usage error, 3
 * SPDM protocol error (ERROR response, malformed response, a capability or
 * algorithm missing), 4 verification failure (certificate chain,
 * signature), 5 measurement mismatch (--expect, or the challenge's
 * measurement summary against the measurements), 6 update refused by the
 * device, 7 bad package (unreadable, not a valid package, or no record
 * matching the device).
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <mbedtls/x509_crt.h>

#include "mctp/control.h"
#include "mctp/mctp.h"
#include "mctp/smbus.h"
#include "prot-posix/clock.h"
#include "prot-posix/crypto.h"
#include "prot-posix/log.h"
#include "prot-posix/smbus.h"
#include "prot-posix/spdm-emu-spdm.h"
#include "prot/spdm-mctp.h"
#include "spdm/requester.h"

#if PROT_UA_PLDM
#include "prot-ua-update.h"
#endif

/* CHALLENGE came with spdm/challenge.h (included by spdm/requester.h). */
#ifdef SPDM_CHAL_VERDICT_VERIFIED
#define HAVE_CHALLENGE 1
#else
#define HAVE_CHALLENGE 0
#endif

#define EXIT_OK 0
#define EXIT_TRANSPORT 1
#define EXIT_USAGE 2
#define EXIT_PROTOCOL 3
#define EXIT_VERIFY 4
#define EXIT_MISMATCH 5
#define EXIT_REFUSED 6
#define EXIT_BAD_PACKAGE 7

#define SLICE_MS 100
#define RETRY_MS 50
#define MAX_LIST 16
#define MAX_EXPECT 8
#define MAX_BLOCKS 32
#define MAX_VALUE 128 /* bytes of a block value kept for printing */
#define MAX_SUBJECT 160

/* The largest SPDM message one MCTP message can carry. */
#define SPDM_SIZE                                                              \
	(MCTP_MAX_MESSAGE_SIZE - 1u < SPDM_MAX_MSG_SIZE                        \
		 ? MCTP_MAX_MESSAGE_SIZE - 1u                                  \
		 : SPDM_MAX_MSG_SIZE)

enum command {
	CMD_DISCOVER,
	CMD_ATTEST,
	CMD_MEASUREMENTS,
	CMD_UPDATE,
	CMD_STATUS,
};

struct digest {
	uint8_t len;
	uint8_t b[SPDM_MAX_HASH_SIZE];
};

struct options {
	enum command cmd;
	const char *smbus_path;
	const char *emu_host; /* --spdm-emu HOST:PORT, else NULL */
	uint16_t emu_port;
	char emu_host_buf[64];
	const char *root;
	unsigned int slot;
	unsigned int eid;
	unsigned int device_eid;
	unsigned int addr;
	unsigned int device_addr;
	unsigned int timeout_s;
	size_t n_expect;
	struct digest expect[MAX_EXPECT];
	bool json;
	bool verbose;
	const char *package; /* update */
	bool self_contained;
	unsigned int xfer;
};

/* What discovery learnt. */
struct discovery {
	uint8_t eid;
	uint8_t endpoint_type;
	uint8_t eid_type;
	uint8_t uuid[16];
	size_t n_base, n_control, n_types;
	uint32_t base_versions[MAX_LIST];
	uint32_t control_versions[MAX_LIST];
	uint8_t types[MAX_LIST];
};

/* One measurement block, as received (value cut at MAX_VALUE bytes). */
struct block {
	uint8_t index;
	uint8_t type;
	bool raw;
	uint16_t len;
	uint8_t value[MAX_VALUE];
};

/* What the SPDM part learnt and checked; each flag set only after the
 * check passed. */
struct attestation {
	bool connected;
	bool chain_verified;
	size_t chain_len;
	size_t n_subjects;
	char subjects[PROT_CRYPTO_MAX_CHAIN_CERTS][MAX_SUBJECT];
	bool challenged;
	struct digest summary; /* MeasurementSummaryHash (challenge) */
	bool measured;
	bool meas_signed;
	size_t n_blocks;
	bool blocks_overflow;
	struct block blocks[MAX_BLOCKS];
	bool summary_checked; /* summary recomputed from the blocks */
	bool expect_checked;
	bool expect_matched;
};

struct agent {
	const struct options *o;
	uint32_t deadline;
	struct mctp mctp;
	struct mctp_ctrl ctrl;
	struct mctp_smbus smbus;
	struct prot_posix_smbus port;
	struct prot_crypto crypto;
	struct spdm_requester requester;
	struct prot_spdm_mctp spdm;
	struct prot_spdm_emu_requester emu;
	int emu_fd;

	bool have_rsp;
	struct mctp_ctrl_response rsp;
	uint8_t rsp_data[256];

	struct discovery disc;
	struct attestation att;
	struct spdm_hash_state hs;
#if PROT_UA_PLDM
	struct prot_ua_link link;
	struct pldm_package pkg;
	uint8_t *pkg_buf;
	size_t pkg_len;
	bool updated; /* the update ran (upd is valid) */
	struct prot_ua_update_report upd;
	char *status_text; /* status --json: the "pldm" member */
	size_t status_len;
#endif
	int status;      /* EXIT_* once decided */
	char error[200]; /* why we failed, for --json */
};

static void say(const struct agent *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Progress for people; silent with --json (stdout is the JSON then). */
static void say(const struct agent *a, const char *fmt, ...)
{
	va_list ap;

	if (a->o->json)
		return;
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
}

static bool fail(struct agent *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Record and print an error; returns false for "return fail(...)". */
static bool fail(struct agent *a, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(a->error, sizeof(a->error), fmt, ap);
	va_end(ap);
	fprintf(stderr, "prot-ua: %s\n", a->error);
	return false;
}

static void ctrl_response(void *ctx, const struct mctp_ctrl_response *rsp)
{
	struct agent *a = ctx;
	size_t len = rsp->len < sizeof(a->rsp_data) ? rsp->len
						    : sizeof(a->rsp_data);

	/* rsp->data is valid only during the call. */
	a->rsp = *rsp;
	if (rsp->data && len)
		memcpy(a->rsp_data, rsp->data, len);
	a->rsp.data = a->rsp_data;
	a->rsp.len = len;
	a->have_rsp = true;
}

static const struct mctp_ctrl_ops ctrl_ops = {
	.response = ctrl_response,
};

static bool expired(const struct agent *a)
{
	return (int32_t)(prot_posix_now_ms() - a->deadline) >= 0;
}

/* Turn the event loop until @done(a) holds; false on timeout or a dead
 * link. */
static bool wait_until(struct agent *a, bool (*done)(const struct agent *))
{
	while (!done(a)) {
		int rc;

		if (expired(a))
			return fail(a, "timed out waiting for the device");
		rc = prot_posix_smbus_service(&a->port, &a->smbus, SLICE_MS);
		if (rc < 0)
			return fail(a, "link: %s", strerror(-rc));
	}
	return true;
}

static bool have_rsp(const struct agent *a)
{
	return a->have_rsp;
}

static bool spdm_idle(const struct agent *a)
{
	return !prot_spdm_mctp_busy(&a->spdm);
}

/* Wait for the answer to the control request just sent (@rc: what
 * sending returned); check the completion code, then decode (@decoded). */
static bool ctrl_done(struct agent *a, int rc, const char *what)
{
	if (rc)
		return fail(a, "%s: cannot send: %s", what, strerror(-rc));
	a->have_rsp = false;
	if (!wait_until(a, have_rsp))
		return false;
	if (a->rsp.status)
		return fail(a, "%s: no valid response: %s", what,
			    strerror(-a->rsp.status));
	if (a->rsp.completion_code != MCTP_CTRL_CC_SUCCESS)
		return fail(a, "%s: completion code 0x%02x", what,
			    a->rsp.completion_code);
	return true;
}

static bool decoded(struct agent *a, int rc, const char *what)
{
	if (rc)
		return fail(a, "%s: malformed response: %s", what,
			    strerror(-rc));
	return true;
}

static unsigned int bcd(uint8_t b)
{
	/* 0xFn is the single digit n; otherwise two BCD digits. */
	if ((b & 0xF0u) == 0xF0u)
		return b & 0x0Fu;
	return (unsigned int)(b >> 4) * 10u + (b & 0x0Fu);
}

static void format_version(uint32_t v, char *buf, size_t cap)
{
	uint8_t update = (uint8_t)(v >> 8), alpha = (uint8_t)v;
	int n = snprintf(buf, cap, "%u.%u", bcd((uint8_t)(v >> 24)),
			 bcd((uint8_t)(v >> 16)));

	if (n > 0 && (size_t)n < cap && update != 0xFFu)
		n += snprintf(buf + n, cap - (size_t)n, ".%u", bcd(update));
	/* An alpha byte is shown only when printable. */
	if (n > 0 && (size_t)n < cap && alpha >= 0x21 && alpha <= 0x7E)
		snprintf(buf + n, cap - (size_t)n, "%c", alpha);
}

static const char *type_name(uint8_t type)
{
	switch (type) {
	case MCTP_MSG_TYPE_CONTROL:
		return "control";
	case MCTP_MSG_TYPE_PLDM:
		return "PLDM";
	case MCTP_MSG_TYPE_SPDM:
		return "SPDM";
	case MCTP_MSG_TYPE_SECURED_SPDM:
		return "secured SPDM";
	case MCTP_MSG_TYPE_VENDOR_PCI:
		return "vendor defined, PCI";
	case MCTP_MSG_TYPE_VENDOR_IANA:
		return "vendor defined, IANA";
	default:
		return "other";
	}
}

static void format_uuid(const uint8_t uuid[16], char buf[37])
{
	size_t n = 0;

	for (size_t i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			buf[n++] = '-';
		snprintf(buf + n, 3, "%02x", uuid[i]);
		n += 2;
	}
	buf[n] = '\0';
}

static void say_versions(const struct agent *a, const uint32_t *v, size_t n)
{
	char s[24];

	for (size_t i = 0; i < n; i++) {
		format_version(v[i], s, sizeof(s));
		say(a, "%s%s", i ? ", " : "  versions ", s);
	}
	say(a, "\n");
}

static bool discover(struct agent *a)
{
	const uint8_t eid = (uint8_t)a->o->device_eid;
	struct discovery *d = &a->disc;
	struct mctp_ctrl_set_eid_rsp set;
	struct mctp_ctrl_get_eid_rsp get;
	char uuid[37];
	bool has_spdm = false, has_pldm = false;

	say(a, "Set Endpoint ID (to the null EID):\n");
	if (!ctrl_done(a,
		       mctp_ctrl_set_eid(&a->ctrl, MCTP_EID_NULL,
					 MCTP_CTRL_SET_EID_SET, eid),
		       "Set Endpoint ID") ||
	    !decoded(a, mctp_ctrl_decode_set_eid(&a->rsp, &set),
		     "Set Endpoint ID"))
		return false;
	if (set.assignment_status != MCTP_CTRL_SET_EID_ACCEPTED ||
	    set.eid != eid)
		return fail(a,
			    "Set Endpoint ID: EID %u not accepted (device "
			    "has EID %u)",
			    eid, set.eid);
	say(a, "  accepted, EID now %u\n", set.eid);

	say(a, "Get Endpoint ID:\n");
	if (!ctrl_done(a, mctp_ctrl_get_eid(&a->ctrl, eid),
		       "Get Endpoint ID") ||
	    !decoded(a, mctp_ctrl_decode_get_eid(&a->rsp, &get),
		     "Get Endpoint ID"))
		return false;
	if (get.eid != eid)
		return fail(a, "Get Endpoint ID: device reports EID %u, not %u",
			    get.eid, eid);
	d->eid = get.eid;
	d->endpoint_type = get.endpoint_type;
	d->eid_type = get.eid_type;
	say(a, "  EID %u, %s endpoint, %s EID\n", get.eid,
	    get.endpoint_type == MCTP_CTRL_ENDPOINT_TYPE_BRIDGE ? "bridge"
								: "simple",
	    get.eid_type == MCTP_CTRL_EID_TYPE_DYNAMIC ? "dynamic" : "static");

	say(a, "Get Endpoint UUID:\n");
	if (!ctrl_done(a, mctp_ctrl_get_uuid(&a->ctrl, eid),
		       "Get Endpoint UUID") ||
	    !decoded(a, mctp_ctrl_decode_uuid(&a->rsp, d->uuid),
		     "Get Endpoint UUID"))
		return false;
	format_uuid(d->uuid, uuid);
	say(a, "  UUID %s\n", uuid);

	say(a, "Get MCTP Version Support (base specification):\n");
	if (!ctrl_done(a,
		       mctp_ctrl_get_version(&a->ctrl, eid,
					     MCTP_CTRL_VERSION_BASE),
		       "Get MCTP Version Support") ||
	    !decoded(a,
		     mctp_ctrl_decode_versions(&a->rsp, d->base_versions,
					       MAX_LIST, &d->n_base),
		     "Get MCTP Version Support"))
		return false;
	if (d->n_base > MAX_LIST)
		d->n_base = MAX_LIST;
	say_versions(a, d->base_versions, d->n_base);

	say(a, "Get MCTP Version Support (control protocol):\n");
	if (!ctrl_done(a,
		       mctp_ctrl_get_version(&a->ctrl, eid,
					     MCTP_MSG_TYPE_CONTROL),
		       "Get MCTP Version Support") ||
	    !decoded(a,
		     mctp_ctrl_decode_versions(&a->rsp, d->control_versions,
					       MAX_LIST, &d->n_control),
		     "Get MCTP Version Support"))
		return false;
	if (d->n_control > MAX_LIST)
		d->n_control = MAX_LIST;
	say_versions(a, d->control_versions, d->n_control);

	say(a, "Get Message Type Support:\n");
	if (!ctrl_done(a, mctp_ctrl_get_types(&a->ctrl, eid),
		       "Get Message Type Support") ||
	    !decoded(a,
		     mctp_ctrl_decode_types(&a->rsp, d->types, MAX_LIST,
					    &d->n_types),
		     "Get Message Type Support"))
		return false;
	if (d->n_types > MAX_LIST)
		d->n_types = MAX_LIST;
	for (size_t i = 0; i < d->n_types; i++) {
		say(a, "  0x%02x %s\n", d->types[i], type_name(d->types[i]));
		has_spdm |= d->types[i] == MCTP_MSG_TYPE_SPDM;
		has_pldm |= d->types[i] == MCTP_MSG_TYPE_PLDM;
	}
	if ((a->o->cmd == CMD_UPDATE || a->o->cmd == CMD_STATUS) && !has_pldm) {
		a->status = EXIT_PROTOCOL;
		return fail(a, "the device does not list PLDM (message type "
			       "0x01)");
	}
	if ((a->o->cmd == CMD_ATTEST || a->o->cmd == CMD_MEASUREMENTS ||
	     (a->o->cmd == CMD_STATUS && a->o->root)) &&
	    !has_spdm)
		return fail(a, "the device does not list SPDM (message type "
			       "0x05)");
	return true;
}

static const uint8_t spdm_versions[] = {SPDM_VERSION_10, SPDM_VERSION_11,
					SPDM_VERSION_12, SPDM_VERSION_13};

static const struct spdm_requester_config spdm_cfg = {
	.versions = spdm_versions,
	.n_versions = sizeof(spdm_versions),
	.ct_exponent = 12,
	.flags = 0,
	.data_transfer_size = SPDM_SIZE,
	.max_spdm_msg_size = SPDM_SIZE,
	.measurement_specification = SPDM_MEASUREMENT_SPEC_DMTF,
	.base_asym_algo = SPDM_ASYM_ALGO_ECDSA_P384 | SPDM_ASYM_ALGO_ECDSA_P256,
	.base_hash_algo = SPDM_HASH_ALGO_SHA_384 | SPDM_HASH_ALGO_SHA_256 |
			  SPDM_HASH_ALGO_SHA_512,
};

static const char *hash_name(uint32_t bit)
{
	switch (bit) {
	case SPDM_HASH_ALGO_SHA_256:
		return "SHA-256";
	case SPDM_HASH_ALGO_SHA_384:
		return "SHA-384";
	case SPDM_HASH_ALGO_SHA_512:
		return "SHA-512";
	case SPDM_HASH_ALGO_SHA3_256:
		return "SHA3-256";
	case SPDM_HASH_ALGO_SHA3_384:
		return "SHA3-384";
	case SPDM_HASH_ALGO_SHA3_512:
		return "SHA3-512";
	case 0:
		return "none";
	default:
		return "other";
	}
}

static const char *asym_name(uint32_t bit)
{
	switch (bit) {
	case SPDM_ASYM_ALGO_ECDSA_P256:
		return "ECDSA P-256";
	case SPDM_ASYM_ALGO_ECDSA_P384:
		return "ECDSA P-384";
	case 0:
		return "none";
	default:
		return "other";
	}
}

static void json_versions(const char *name, const uint32_t *v, size_t n)
{
	char s[24];

	printf("\"%s\":[", name);
	for (size_t i = 0; i < n; i++) {
		format_version(v[i], s, sizeof(s));
		printf("%s\"%s\"", i ? "," : "", s);
	}
	printf("]");
}

/* One JSON object on one line. @disc_ok / @spdm_ok: which parts to
 * include. The error text is ours (no quotes or backslashes from the
 * wire: numbers only), so it needs no escaping beyond what is done. */

static const char *meas_type_name(uint8_t type)
{
	switch (type & 0x7Fu) {
	case SPDM_MEAS_TYPE_IMMUTABLE_ROM:
		return "immutable ROM";
	case SPDM_MEAS_TYPE_MUTABLE_FIRMWARE:
		return "mutable firmware";
	case SPDM_MEAS_TYPE_HARDWARE_CONFIG:
		return "hardware config";
	case SPDM_MEAS_TYPE_FIRMWARE_CONFIG:
		return "firmware config";
	case SPDM_MEAS_TYPE_MANIFEST:
		return "manifest";
	case SPDM_MEAS_TYPE_DEVICE_MODE:
		return "device mode";
	case SPDM_MEAS_TYPE_VERSION:
		return "version";
	case SPDM_MEAS_TYPE_SECURITY_VERSION:
		return "security version";
	default:
		return "other";
	}
}

static const char *cert_reason_name(enum spdm_cert_reason r)
{
	switch (r) {
	case SPDM_CERT_REASON_NONE:
		return "verified";
	case SPDM_CERT_REASON_INCOMPLETE:
		return "certificate flow incomplete";
	case SPDM_CERT_REASON_MALFORMED:
		return "malformed DIGESTS or CERTIFICATE";
	case SPDM_CERT_REASON_SLOT_NOT_PROVISIONED:
		return "slot not provisioned";
	case SPDM_CERT_REASON_PORTION_TOO_LONG:
		return "PortionLength above the Length asked";
	case SPDM_CERT_REASON_REMAINDER_MISMATCH:
		return "RemainderLength inconsistent";
	case SPDM_CERT_REASON_CHAIN_TOO_LARGE:
		return "chain too large";
	case SPDM_CERT_REASON_CHAIN_TOO_SHORT:
		return "chain too short";
	case SPDM_CERT_REASON_LENGTH_FIELD:
		return "chain Length field wrong";
	case SPDM_CERT_REASON_DIGEST_MISMATCH:
		return "chain digest differs from DIGESTS";
	case SPDM_CERT_REASON_BAD_CERT:
		return "a certificate is not DER";
	case SPDM_CERT_REASON_ROOT_HASH_MISMATCH:
		return "RootHash differs from the root certificate";
	case SPDM_CERT_REASON_UNTRUSTED:
		return "chain not trusted (root not a trust anchor, or the "
		       "X.509 path does not verify)";
	case SPDM_CERT_REASON_KEY_MISMATCH:
		return "leaf key not of the negotiated algorithm";
	case SPDM_CERT_REASON_CRYPTO:
		return "a hash operation failed";
	default:
		return "unknown";
	}
}

/* Certificate flow reasons that mean "the identity is not proven" (as
 * opposed to a protocol fault). */
static bool cert_reason_is_verification(enum spdm_cert_reason r)
{
	return r == SPDM_CERT_REASON_DIGEST_MISMATCH ||
	       r == SPDM_CERT_REASON_BAD_CERT ||
	       r == SPDM_CERT_REASON_ROOT_HASH_MISMATCH ||
	       r == SPDM_CERT_REASON_UNTRUSTED ||
	       r == SPDM_CERT_REASON_KEY_MISMATCH;
}

/* The exit status for a flow that ended with @rc. */
static int flow_status(const struct agent *a, int rc, bool cert_flow)
{
	switch (rc) {
	case -ETIMEDOUT:
	case -ENETUNREACH:
	case -ECONNRESET:
	case -EPIPE:
	case -EIO:
		return EXIT_TRANSPORT;
	case -EPERM:
		return EXIT_VERIFY;
	case -EBADMSG:
		if (cert_flow &&
		    cert_reason_is_verification(
			    spdm_requester_cert_reason(&a->requester)))
			return EXIT_VERIFY;
		return EXIT_PROTOCOL;
	default:
		return EXIT_PROTOCOL;
	}
}

/* Drive the flow that @start_rc (0) says was started to its end. Returns
 * true when it completed; otherwise the status and error are set. */
static bool run_flow(struct agent *a, int start_rc, const char *what,
		     bool cert_flow)
{
	uint8_t code, data;
	int rc = start_rc;

	if (!rc && a->o->emu_host) {
		rc = prot_spdm_emu_requester_run(&a->emu, &a->requester);
		if (!rc)
			return true;
		if (prot_spdm_emu_requester_io_error(&a->emu)) {
			a->status = EXIT_TRANSPORT;
			return fail(a, "%s: spdm-emu connection: %s", what,
				    strerror(-rc));
		}
		goto result;
	}
	if (!rc)
		rc = prot_spdm_mctp_start(&a->spdm, (uint8_t)a->o->device_eid);
	if (rc) {
		a->status = rc == -ENETUNREACH || rc == -EIO ? EXIT_TRANSPORT
							     : EXIT_PROTOCOL;
		return fail(a, "%s: cannot start: %s%s", what, strerror(-rc),
			    rc == -EOPNOTSUPP ? " (the device lacks the "
						"capability)"
					      : "");
	}
	if (!wait_until(a, spdm_idle)) {
		a->status = EXIT_TRANSPORT;
		return false;
	}
	rc = prot_spdm_mctp_result(&a->spdm);
	if (!rc)
		return true;
result:
	a->status = flow_status(a, rc, cert_flow);
	if (rc == -EPROTO && spdm_requester_error(&a->requester, &code, &data))
		return fail(a,
			    "%s: the device answered ERROR 0x%02x (data "
			    "0x%02x)",
			    what, code, data);
	if (cert_flow && a->status == EXIT_VERIFY)
		return fail(a, "%s not verified: %s", what,
			    cert_reason_name(
				    spdm_requester_cert_reason(&a->requester)));
	if (cert_flow)
		return fail(a, "%s failed: %s (%s)", what, strerror(-rc),
			    cert_reason_name(
				    spdm_requester_cert_reason(&a->requester)));
	return fail(a, "%s failed: %s", what, strerror(-rc));
}

static void say_hex(const struct agent *a, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		say(a, "%02x", p[i]);
}

static bool spdm_connect(struct agent *a)
{
	const struct spdm_connection_info *c;

	say(a,
	    "SPDM over %s: GET_VERSION, GET_CAPABILITIES, "
	    "NEGOTIATE_ALGORITHMS:\n",
	    a->o->emu_host ? "spdm-emu (transport MCTP)" : "MCTP");
	if (!run_flow(a, spdm_requester_connect(&a->requester), "SPDM connect",
		      false))
		return false;
	c = spdm_requester_connection(&a->requester);
	if (!c) {
		a->status = EXIT_PROTOCOL;
		return fail(a, "SPDM: no connection after the flow");
	}
	a->att.connected = true;
	say(a,
	    "  SPDM %u.%u; hash %s, signature %s, measurement hash %s; "
	    "device capabilities 0x%08x\n",
	    c->version >> 4, c->version & 0xFu, hash_name(c->base_hash_algo),
	    asym_name(c->base_asym_algo),
	    hash_name(spdm_hash_alg_to_wire(c->measurement_hash)),
	    c->peer_flags);
	return true;
}

/* Subject names of the verified chain (informative only). */
static void chain_subjects(struct agent *a)
{
	const struct spdm_connection_info *c =
		spdm_requester_connection(&a->requester);
	size_t len, off;
	const uint8_t *chain = spdm_requester_cert_chain(&a->requester, &len);

	if (!chain || !c)
		return;
	a->att.chain_len = len;
	off = SPDM_CERT_CHAIN_HEADER_SIZE + spdm_hash_size(c->hash);
	while (off < len && a->att.n_subjects < PROT_CRYPTO_MAX_CHAIN_CERTS) {
		mbedtls_x509_crt crt;
		char *s = a->att.subjects[a->att.n_subjects];

		mbedtls_x509_crt_init(&crt);
		if (mbedtls_x509_crt_parse_der(&crt, chain + off, len - off) ||
		    !crt.raw.len) {
			mbedtls_x509_crt_free(&crt);
			break;
		}
		if (mbedtls_x509_dn_gets(s, MAX_SUBJECT, &crt.subject) < 0)
			snprintf(s, MAX_SUBJECT, "?");
		off += crt.raw.len;
		a->att.n_subjects++;
		mbedtls_x509_crt_free(&crt);
	}
}

static bool get_chain(struct agent *a)
{
	const uint8_t slot = (uint8_t)a->o->slot;

	say(a,
	    "GET_DIGESTS, GET_CERTIFICATE (slot %u), chain verified "
	    "against %s:\n",
	    slot, a->o->root);
	if (!run_flow(a, spdm_requester_get_certificate(&a->requester, slot, 0),
		      "certificate chain", true))
		return false;
	if (spdm_requester_cert_verdict(&a->requester) != SPDM_VERIFIED) {
		a->status = EXIT_VERIFY;
		return fail(a, "certificate chain not verified: %s",
			    cert_reason_name(
				    spdm_requester_cert_reason(&a->requester)));
	}
	a->att.chain_verified = true;
	chain_subjects(a);
	say(a, "  chain of %zu bytes verified (%zu certificates):\n",
	    a->att.chain_len, a->att.n_subjects);
	for (size_t i = 0; i < a->att.n_subjects; i++)
		say(a, "    %s: %s\n",
		    i == 0                       ? "root"
		    : i + 1 == a->att.n_subjects ? "leaf"
						 : "intermediate",
		    a->att.subjects[i]);
	return true;
}

#if HAVE_CHALLENGE
static bool challenge(struct agent *a)
{
	const uint8_t slot = (uint8_t)a->o->slot;
	struct spdm_challenge_result res;

	say(a, "CHALLENGE (slot %u, summary of all measurements):\n", slot);
	if (!run_flow(a,
		      spdm_requester_challenge(&a->requester, slot,
					       SPDM_CHAL_SUMMARY_ALL),
		      "CHALLENGE", false))
		return false;
	if (spdm_requester_challenge_result(&a->requester, &res) ||
	    res.verdict != SPDM_CHAL_VERDICT_VERIFIED || res.slot != slot ||
	    spdm_requester_attestation(&a->requester) != SPDM_ATTESTED) {
		a->status = EXIT_VERIFY;
		return fail(a, "CHALLENGE_AUTH not verified");
	}
	a->att.challenged = true;
	a->att.summary.len = res.summary_len;
	memcpy(a->att.summary.b, res.summary, res.summary_len);
	say(a, "  CHALLENGE_AUTH signature verified with the certified key; "
	       "measurement summary ");
	say_hex(a, res.summary, res.summary_len);
	say(a, "\n");
	return true;
}
#endif

static void on_block(void *ctx, const struct spdm_measurement_block *b)
{
	struct agent *a = ctx;
	struct block *k;

	if (a->att.n_blocks >= MAX_BLOCKS) {
		a->att.blocks_overflow = true;
		return;
	}
	k = &a->att.blocks[a->att.n_blocks++];
	k->index = b->index;
	k->type = b->type;
	k->raw = b->raw;
	k->len = b->value_len;
	memcpy(k->value, b->value,
	       b->value_len < MAX_VALUE ? b->value_len : MAX_VALUE);
}

static bool measure(struct agent *a)
{
	const uint8_t slot = (uint8_t)a->o->slot;
	struct spdm_measurement_result res;

	say(a, "GET_MEASUREMENTS (all blocks, signed by slot %u):\n", slot);
	a->att.n_blocks = 0;
	if (!run_flow(a,
		      spdm_requester_measurements(
			      &a->requester, SPDM_MEAS_OP_ALL,
			      SPDM_MEAS_ATTR_SIGNATURE, slot, on_block, a),
		      "GET_MEASUREMENTS", false))
		return false;
	if (spdm_requester_measurement_result(&a->requester, &res) ||
	    res.verdict != SPDM_MEAS_VERDICT_VERIFIED || res.slot != slot) {
		a->status = EXIT_VERIFY;
		return fail(a, "MEASUREMENTS signature not verified");
	}
	a->att.measured = true;
	a->att.meas_signed = true;
	say(a, "  %zu blocks, signature verified with the certified key:\n",
	    a->att.n_blocks);
	for (size_t i = 0; i < a->att.n_blocks; i++) {
		const struct block *k = &a->att.blocks[i];

		say(a, "    index %-3u type 0x%02x %-17s %s ", k->index,
		    k->type, meas_type_name(k->type),
		    k->raw ? "raw   " : "digest");
		say_hex(a, k->value, k->len < MAX_VALUE ? k->len : MAX_VALUE);
		say(a, "%s\n", k->len > MAX_VALUE ? "..." : "");
	}
	if (a->att.blocks_overflow) {
		a->status = EXIT_PROTOCOL;
		return fail(a, "more than %d measurement blocks", MAX_BLOCKS);
	}
	return true;
}

/* The challenge's MeasurementSummaryHash (type "all") is H of every block
 * as GET_MEASUREMENTS sent it: recompute it from the signed blocks. */
static bool check_summary(struct agent *a)
{
	const struct spdm_connection_info *c =
		spdm_requester_connection(&a->requester);
	struct spdm_hash_state *hs = &a->hs;
	uint8_t dg[SPDM_MAX_HASH_SIZE];
	int rc;

	if (!a->att.challenged)
		return true;
	if (!c)
		return false;
	rc = prot_crypto_ops.hash_init(&a->crypto, hs, c->hash);
	for (size_t i = 0; !rc && i < a->att.n_blocks; i++) {
		const struct block *k = &a->att.blocks[i];
		uint8_t h[7] = {k->index,
				SPDM_MEASUREMENT_SPEC_DMTF,
				(uint8_t)(k->len + 3u),
				(uint8_t)((k->len + 3u) >> 8),
				k->type,
				(uint8_t)k->len,
				(uint8_t)(k->len >> 8)};

		if (k->len > MAX_VALUE) {
			prot_crypto_ops.hash_abort(&a->crypto, hs);
			say(a, "  (measurement summary not recomputed: a block "
			       "is too long to keep)\n");
			return true;
		}
		rc = prot_crypto_ops.hash_update(&a->crypto, hs, h, sizeof(h));
		if (!rc)
			rc = prot_crypto_ops.hash_update(&a->crypto, hs,
							 k->value, k->len);
	}
	if (rc) {
		prot_crypto_ops.hash_abort(&a->crypto, hs);
	} else {
		rc = prot_crypto_ops.hash_final(&a->crypto, hs, dg);
	}
	if (rc) {
		a->status = EXIT_TRANSPORT;
		return fail(a, "hash: %s", strerror(-rc));
	}
	if (a->att.summary.len != spdm_hash_size(c->hash) ||
	    memcmp(dg, a->att.summary.b, a->att.summary.len)) {
		a->status = EXIT_MISMATCH;
		return fail(a, "the challenge's measurement summary does not "
			       "match the signed measurements");
	}
	a->att.summary_checked = true;
	say(a, "  measurement summary of the challenge matches the signed "
	       "measurements\n");
	return true;
}

static const struct block *firmware_block(const struct agent *a)
{
	for (size_t i = 0; i < a->att.n_blocks; i++)
		if ((a->att.blocks[i].type & 0x7Fu) ==
		    SPDM_MEAS_TYPE_MUTABLE_FIRMWARE)
			return &a->att.blocks[i];
	return NULL;
}

static bool check_expect(struct agent *a)
{
	const struct block *k = firmware_block(a);

	if (!a->o->n_expect)
		return true;
	a->att.expect_checked = true;
	for (size_t i = 0; k && !k->raw && i < a->o->n_expect; i++) {
		const struct digest *e = &a->o->expect[i];

		if (e->len == k->len && !memcmp(e->b, k->value, e->len)) {
			a->att.expect_matched = true;
			say(a,
			    "  mutable firmware (index %u) matches --expect "
			    "digest %zu\n",
			    k->index, i + 1);
			return true;
		}
	}
	a->status = EXIT_MISMATCH;
	if (!k)
		return fail(a, "--expect: the device has no mutable firmware "
			       "measurement");
	return fail(a,
		    "--expect: the mutable firmware measurement (index "
		    "%u) matches none of the %zu expected digests",
		    k->index, a->o->n_expect);
}

/* Every check again, from the requester's own verdicts, before saying
 * "authenticated". */
static bool final_verdict(const struct agent *a)
{
	struct spdm_measurement_result res;

	if (spdm_requester_cert_verdict(&a->requester) != SPDM_VERIFIED ||
	    spdm_requester_measurement_result(&a->requester, &res) ||
	    res.verdict != SPDM_MEAS_VERDICT_VERIFIED)
		return false;
#if HAVE_CHALLENGE
	if (a->o->cmd == CMD_ATTEST &&
	    (!a->att.challenged ||
	     spdm_requester_attestation(&a->requester) != SPDM_ATTESTED))
		return false;
#endif
	return a->att.chain_verified && a->att.meas_signed &&
	       (!a->o->n_expect || a->att.expect_matched);
}

static int attest(struct agent *a)
{
	if (!spdm_connect(a) || !get_chain(a))
		return a->status;
#if HAVE_CHALLENGE
	if (a->o->cmd == CMD_ATTEST && !challenge(a))
		return a->status;
#endif
	if (!measure(a) || !check_summary(a) || !check_expect(a))
		return a->status;
	if (!final_verdict(a)) {
		a->status = EXIT_VERIFY;
		fail(a, "final re-check of the verdicts failed");
		return a->status;
	}
	return EXIT_OK;
}

static void json_str(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;

		if (ch == '"' || ch == '\\')
			printf("\\%c", ch);
		else if (ch < 0x20)
			printf("\\u%04x", ch);
		else
			putchar(ch);
	}
	putchar('"');
}

static void json_hex(const uint8_t *p, size_t n)
{
	putchar('"');
	for (size_t i = 0; i < n; i++)
		printf("%02x", p[i]);
	putchar('"');
}

static const char *command_name(enum command c)
{
	switch (c) {
	case CMD_ATTEST:
		return "attest";
	case CMD_MEASUREMENTS:
		return "measurements";
	case CMD_UPDATE:
		return "update";
	case CMD_STATUS:
		return "status";
	default:
		return "discover";
	}
}

static const char *status_name(int status)
{
	switch (status) {
	case EXIT_OK:
		return "ok";
	case EXIT_TRANSPORT:
		return "transport failure";
	case EXIT_PROTOCOL:
		return "SPDM protocol error";
	case EXIT_VERIFY:
		return "verification failure";
	case EXIT_MISMATCH:
		return "measurement mismatch";
	case EXIT_REFUSED:
		return "update refused by the device";
	case EXIT_BAD_PACKAGE:
		return "bad package";
	default:
		return "usage error";
	}
}

static void json_spdm(const struct agent *a)
{
	const struct attestation *t = &a->att;
	const struct spdm_connection_info *c =
		spdm_requester_connection(&a->requester);

	if (t->connected && c)
		printf(",\"spdm\":{\"version\":\"%u.%u\",\"base_hash_algo\":"
		       "\"%s\",\"base_asym_algo\":\"%s\","
		       "\"measurement_hash_algo\":\"%s\","
		       "\"peer_capabilities\":%u}",
		       c->version >> 4, c->version & 0xFu,
		       hash_name(c->base_hash_algo),
		       asym_name(c->base_asym_algo),
		       hash_name(spdm_hash_alg_to_wire(c->measurement_hash)),
		       c->peer_flags);
	if (!t->connected)
		return;
	printf(",\"certificate\":{\"slot\":%u,\"verified\":%s", a->o->slot,
	       t->chain_verified ? "true" : "false");
	if (t->chain_verified) {
		printf(",\"chain_bytes\":%zu,\"subjects\":[", t->chain_len);
		for (size_t i = 0; i < t->n_subjects; i++) {
			printf("%s", i ? "," : "");
			json_str(t->subjects[i]);
		}
		printf("]");
	} else {
		printf(",\"reason\":");
		json_str(cert_reason_name(
			spdm_requester_cert_reason(&a->requester)));
	}
	printf("}");
	if (a->o->cmd == CMD_ATTEST) {
		printf(",\"challenge\":{\"available\":%s,\"verified\":%s",
		       HAVE_CHALLENGE ? "true" : "false",
		       t->challenged ? "true" : "false");
		if (t->challenged) {
			printf(",\"measurement_summary\":");
			json_hex(t->summary.b, t->summary.len);
			printf(",\"summary_matches_measurements\":%s",
			       t->summary_checked ? "true" : "false");
		}
		printf("}");
	}
	if (t->measured) {
		printf(",\"measurements\":{\"signed\":%s,\"verified\":true,"
		       "\"blocks\":[",
		       t->meas_signed ? "true" : "false");
		for (size_t i = 0; i < t->n_blocks; i++) {
			const struct block *k = &t->blocks[i];

			printf("%s{\"index\":%u,\"type\":%u,\"type_name\":"
			       "\"%s\",\"raw\":%s,\"value\":",
			       i ? "," : "", k->index, k->type & 0x7Fu,
			       meas_type_name(k->type),
			       k->raw ? "true" : "false");
			json_hex(k->value,
				 k->len < MAX_VALUE ? k->len : MAX_VALUE);
			printf(",\"value_bytes\":%u}", k->len);
		}
		printf("]}");
	}
	if (t->expect_checked)
		printf(",\"expect\":{\"matched\":%s}",
		       t->expect_matched ? "true" : "false");
}

/* One JSON object on one line. */
static void print_json(const struct agent *a, bool disc_ok, int status)
{
	const struct discovery *d = &a->disc;
	char uuid[37];

	printf("{\"command\":\"%s\",\"status\":%d,\"result\":\"%s\"",
	       command_name(a->o->cmd), status, status_name(status));
	if (a->o->cmd == CMD_ATTEST || a->o->cmd == CMD_MEASUREMENTS ||
	    (a->o->cmd == CMD_STATUS && a->o->root))
		printf(",\"authenticated\":%s",
		       a->att.meas_signed && status == EXIT_OK ? "true"
							       : "false");
#if PROT_UA_PLDM
	if (a->o->cmd == CMD_UPDATE && a->o->package) {
		printf(",\"package\":");
		json_str(a->o->package);
	}
	if (a->updated) {
		printf(",");
		prot_ua_update_json(stdout, &a->upd);
	}
	if (a->status_text && a->status_len)
		fwrite(a->status_text, 1, a->status_len, stdout);
#endif
	if (disc_ok && a->o->emu_host)
		json_spdm(a);
	if (disc_ok && !a->o->emu_host) {
		format_uuid(d->uuid, uuid);
		printf(",\"device\":{\"eid\":%u,\"endpoint_type\":\"%s\","
		       "\"eid_type\":\"%s\",\"uuid\":\"%s\",",
		       d->eid,
		       d->endpoint_type == MCTP_CTRL_ENDPOINT_TYPE_BRIDGE
			       ? "bridge"
			       : "simple",
		       d->eid_type == MCTP_CTRL_EID_TYPE_DYNAMIC ? "dynamic"
								 : "static",
		       uuid);
		json_versions("mctp_versions", d->base_versions, d->n_base);
		printf(",");
		json_versions("control_versions", d->control_versions,
			      d->n_control);
		printf(",\"message_types\":[");
		for (size_t i = 0; i < d->n_types; i++)
			printf("%s%u", i ? "," : "", d->types[i]);
		printf("]}");
		json_spdm(a);
	}
	if (a->error[0]) {
		printf(",\"error\":");
		json_str(a->error);
	}
	printf("}\n");
}

/* --spdm-emu: a TCP connection to an spdm-emu responder (ours, or
 * DMTF's spdm_responder_emu) instead of MCTP; no discovery. */
static bool emu_setup(struct agent *a)
{
	const struct options *o = a->o;
	int rc;

	rc = spdm_requester_init(&a->requester, &spdm_cfg, &prot_crypto_ops,
				 &a->crypto);
	if (rc)
		return fail(a, "SPDM setup: %s", strerror(-rc));
	/* The responder may still be starting: retry until the deadline. */
	while ((rc = prot_spdm_emu_connect(o->emu_host, o->emu_port,
					   SLICE_MS * 10)) == -ECONNREFUSED) {
		if (expired(a))
			break;
		usleep(RETRY_MS * 1000);
	}
	if (rc < 0)
		return fail(a, "spdm-emu %s:%u: %s", o->emu_host, o->emu_port,
			    strerror(-rc));
	a->emu_fd = rc;
	rc = prot_spdm_emu_requester_init(&a->emu, a->emu_fd,
					  PROT_SPDM_EMU_TRANSPORT_MCTP, 0);
	if (!rc)
		rc = prot_spdm_emu_requester_hello(&a->emu);
	if (rc)
		return fail(a, "spdm-emu %s:%u: %s", o->emu_host, o->emu_port,
			    strerror(-rc));
	say(a, "== %s spdm-emu %s:%u (transport MCTP) ==\n",
	    command_name(o->cmd), o->emu_host, o->emu_port);
	return true;
}

static bool agent_setup(struct agent *a)
{
	static const struct mctp_ctrl_config ctrl_cfg = {
		/* The agent answers control requests too. */
		.uuid = {0x2d, 0x81, 0x4e, 0x07, 0xc3, 0x5a, 0x4b, 0x92, 0xa1,
			 0x3f, 0x60, 0xd4, 0x18, 0x7b, 0xe2, 0x55},
		.endpoint_type = MCTP_CTRL_ENDPOINT_TYPE_SIMPLE,
	};
	const struct options *o = a->o;
	struct mctp_config cfg = {
		.eid = (uint8_t)o->eid,
		.now_ms = prot_posix_now_ms(),
		/* SPDM retries a lost request three times: keep the total
		 * well within --timeout. */
		.tag_timeout_ms = 1000,
		.log_ops = &prot_posix_log_ops,
		.log_ctx = "prot-ua",
		.log_level = o->verbose ? MCTP_LOG_DEBUG : MCTP_LOG_WARNING,
	};
	int rc;

	a->deadline = prot_posix_now_ms() + o->timeout_s * 1000u;
	rc = prot_crypto_init(&a->crypto);
	if (rc < 0)
		return fail(a, "crypto: %s", strerror(-rc));
	if (o->root) {
		rc = prot_crypto_add_trust_anchor_file(&a->crypto, o->root);
		if (rc < 0) {
			a->status = EXIT_USAGE;
			return fail(a, "--root %s: %s", o->root,
				    rc == -EBADMSG ? "not a PEM or DER "
						     "certificate"
						   : strerror(-rc));
		}
	}
	if (o->emu_host)
		return emu_setup(a);
	rc = mctp_init(&a->mctp, &cfg);
	if (!rc)
		rc = mctp_ctrl_init(&a->ctrl, &a->mctp, &ctrl_cfg, &ctrl_ops,
				    a);
	if (!rc)
		rc = spdm_requester_init(&a->requester, &spdm_cfg,
					 &prot_crypto_ops, &a->crypto);
	if (!rc)
		rc = prot_spdm_mctp_init(&a->spdm, &a->mctp, NULL,
					 &a->requester, NULL, NULL);
	if (rc)
		return fail(a, "stack setup: %s", strerror(-rc));

	/* The device may still be starting: retry until the deadline. */
	while ((rc = prot_posix_smbus_connect(o->smbus_path)) == -ENOENT ||
	       rc == -ECONNREFUSED) {
		if (expired(a))
			break;
		usleep(RETRY_MS * 1000);
	}
	if (rc < 0)
		return fail(a, "%s: %s", o->smbus_path, strerror(-rc));
	a->port.fd = rc;
	rc = mctp_smbus_init(&a->smbus, &prot_posix_smbus_ops, &a->port,
			     (uint8_t)o->addr);
	if (!rc)
		rc = mctp_bus_register(&a->mctp, &a->smbus.binding);
	/* Set Endpoint ID goes to the null EID: the neighbour table says
	 * which address that is; later traffic uses the assigned EID. */
	if (rc >= 0)
		rc = mctp_smbus_set_neighbour(&a->smbus, MCTP_EID_NULL,
					      (uint8_t)o->device_addr);
	if (!rc)
		rc = mctp_smbus_set_neighbour(&a->smbus, (uint8_t)o->device_eid,
					      (uint8_t)o->device_addr);
	if (rc < 0)
		return fail(a, "SMBus binding: %s", strerror(-rc));
	mctp_poll(&a->mctp, prot_posix_now_ms());
	say(a,
	    "== %s %s: we are EID %u at 0x%02x; device at 0x%02x gets "
	    "EID %u ==\n",
	    command_name(o->cmd), o->smbus_path, o->eid, o->addr,
	    o->device_addr, o->device_eid);
	return true;
}

#if PROT_UA_PLDM
static uint32_t link_now(void *ctx)
{
	(void)ctx;
	return prot_posix_now_ms();
}

static int link_service(void *ctx, uint32_t wait_ms)
{
	struct agent *a = ctx;
	int rc = prot_posix_smbus_service(&a->port, &a->smbus, (int)wait_ms);

	return rc < 0 ? rc : 0;
}

/* update: the PLDM firmware update (prot-ua-update.c). */
static int do_update(struct agent *a)
{
	/* Large (the UA and its buffers): static. */
	static struct prot_ua_update u;
	const struct options *o = a->o;
	const struct prot_ua_update_options uo = {
		.fd_eid = (uint8_t)o->device_eid,
		.max_transfer = o->xfer,
		.retries = 3,
		.self_contained = o->self_contained,
		.discover = true,
		.progress = o->json ? NULL : stdout,
		.tty = isatty(STDOUT_FILENO) == 1,
	};
	int rc;

	say(a, "PLDM firmware update from %s (%u bytes):\n", o->package,
	    (unsigned int)a->pkg_len);
	rc = prot_ua_update_run(&u, &a->mctp, &a->link, &uo, &a->pkg, &a->upd);
	a->updated = true;
	if (rc) {
		a->status = rc;
		fail(a, "%s", a->upd.error);
		return rc;
	}
	say(a,
	    "  %u component(s) updated, %llu bytes in %.1f s; "
	    "ActivateFirmware answered 0x%02x\n",
	    a->upd.n_components, (unsigned long long)a->upd.bytes,
	    a->upd.seconds, a->upd.outcome.raw);
	return EXIT_OK;
}

/* status: PLDM inventory and state (prot-ua-status.c), then with --root
 * the signed measurements. */
static int do_status(struct agent *a)
{
	FILE *out = stdout;
	int rc;

	if (a->o->json) {
		out = open_memstream(&a->status_text, &a->status_len);
		if (!out) {
			a->status = EXIT_USAGE;
			fail(a, "memory stream: %s", strerror(errno));
			return a->status;
		}
	}
	rc = prot_ua_status_run(&a->mctp, &a->link, (uint8_t)a->o->device_eid,
				a->o->timeout_s * 1000u, a->o->json, out,
				a->error, sizeof(a->error));
	if (out != stdout)
		fclose(out);
	if (rc) {
		a->status = rc;
		fprintf(stderr, "prot-ua: %s\n", a->error);
		return rc;
	}
	if (!a->o->root)
		return EXIT_OK;
	/* SPDM after PLDM: a fresh deadline for it. */
	a->deadline = prot_posix_now_ms() + a->o->timeout_s * 1000u;
	return attest(a);
}
#endif

static void usage(FILE *f)
{
	fprintf(f,
		"usage: prot-ua discover --smbus PATH [options]\n"
		"       prot-ua attest --smbus PATH --root FILE [options]\n"
		"       prot-ua attest --spdm-emu HOST:PORT --root FILE "
		"[options]\n"
		"       prot-ua measurements --smbus PATH --root FILE "
		"[options]\n"
		"       prot-ua update PACKAGE --smbus PATH [--json] "
		"[--self-contained]\n"
		"       prot-ua status --smbus PATH [--root FILE] [--json]\n"
		"Update agent and verifier.\n\n"
		"  discover      assign the device's EID (Set Endpoint ID to "
		"the null EID),\n"
		"                then read its EID, UUID, MCTP versions and "
		"message types\n"
		"  attest        discover, then SPDM over MCTP: connect "
		"(version,\n"
		"                capabilities, algorithms), certificate chain "
		"of the slot\n"
		"                verified against --root, CHALLENGE%s, all "
		"measurements\n"
		"                signed by the certified key, --expect\n"
		"  measurements  attest without the CHALLENGE\n"
		"  update        discover, then update the device from the "
		"DSP0267 PACKAGE\n"
		"                (PLDM firmware update over MCTP, the device "
		"asking for the\n"
		"                image data), then ActivateFirmware; a progress "
		"bar on a\n"
		"                terminal, plain lines otherwise%s\n"
		"  status        discover, then PLDM QueryDeviceIdentifiers, "
		"GetFirmware-\n"
		"                Parameters and GetStatus; with --root also "
		"the signed\n"
		"                measurements\n\n"
		"  --smbus PATH       the device's SMBus wire (its socket at "
		"PATH)\n"
		"  --spdm-emu H:P     instead of --smbus (attest, "
		"measurements): SPDM over\n"
		"                     the spdm-emu TCP protocol, transport "
		"MCTP, to the\n"
		"                     responder at numeric address H, port P "
		"(prot-device\n"
		"                     --spdm-emu-listen, or DMTF's "
		"spdm_responder_emu)\n"
		"  --root FILE        trusted root certificate(s), PEM or DER "
		"(attest,\n"
		"                     measurements)\n"
		"  --slot N           certificate slot to use (default 0)\n"
		"  --expect HEX[,HEX] accepted digests of the mutable firmware "
		"measurement\n"
		"                     (32, 48 or 64 bytes in hex)\n"
		"  --eid E            our EID (default 8)\n"
		"  --device-eid E     EID to assign to the device (default 9)\n"
		"  --addr A           our 7-bit SMBus address (default 0x10)\n"
		"  --device-addr A    the device's SMBus address (default "
		"0x1d)\n"
		"  --timeout S        give up after S seconds (default 10) "
		"waiting for the\n"
		"                     device to answer (connection, "
		"discovery, SPDM);\n"
		"                     the update itself runs to its end with "
		"the PLDM\n"
		"                     timeouts and retries\n"
		"  --self-contained   update: ask for self-contained "
		"activation\n"
		"  --transfer-size N  update: largest firmware data part, "
		"32..1024 (512)\n"
		"  --json             print one JSON object on stdout instead "
		"of the\n"
		"                     progress text (errors still go to "
		"stderr)\n"
		"  -v, --verbose      log libmctp debug messages to stderr\n"
		"  -h, --help         show this help\n\n"
		"Exit status:\n"
		"  0  discover succeeded; attest/measurements: authenticated, "
		"every check\n"
		"     passed\n"
		"  1  transport failure: link, timeout, MCTP discovery, "
		"spdm-emu connection\n"
		"  2  usage error (bad option, unreadable --root)\n"
		"  3  SPDM protocol error: ERROR response, malformed response, "
		"missing\n"
		"     capability or algorithm\n"
		"  4  verification failure: certificate chain or signature\n"
		"  5  measurement mismatch: --expect, or the challenge's "
		"summary\n"
		"  6  update refused by the device (an error completion code, "
		"a component\n"
		"     not updatable, transfer, verify or apply failed, the "
		"device cancelled)\n"
		"  7  bad package: missing, unreadable, not a valid DSP0267 "
		"package, or\n"
		"     no record of it matches the device\n",
		HAVE_CHALLENGE ? "" : " (not in this build)",
		PROT_UA_PLDM ? "" : " (not in this build)");
}
static bool valid_eid(unsigned int eid)
{
	return eid >= MCTP_EID_FIRST_VALID && eid < MCTP_EID_BROADCAST;
}

static int parse_uint(const char *s, unsigned long min, unsigned long max,
		      unsigned int *out)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 0);
	if (errno || end == s || *end || v < min || v > max)
		return -1;
	*out = (unsigned int)v;
	return 0;
}

static int parse_expect(struct options *o, const char *arg)
{
	const char *p = arg;

	while (*p) {
		struct digest *d;
		size_t n = 0;

		if (o->n_expect >= MAX_EXPECT)
			return -1;
		d = &o->expect[o->n_expect++];
		while (p[n] && p[n] != ',')
			n++;
		if (n != 64 && n != 96 && n != 128)
			return -1;
		for (size_t i = 0; i < n; i += 2) {
			char byte[3] = {p[i], p[i + 1], 0};

			if (!isxdigit((unsigned char)p[i]) ||
			    !isxdigit((unsigned char)p[i + 1]))
				return -1;
			d->b[i / 2] = (uint8_t)strtoul(byte, NULL, 16);
		}
		d->len = (uint8_t)(n / 2);
		p += n;
		if (*p == ',' && *++p == '\0')
			return -1;
	}
	return o->n_expect ? 0 : -1;
}

/* HOST:PORT, HOST a numeric IPv4 address or [IPv6]. */
static int parse_host_port(struct options *o, const char *arg)
{
	const char *colon = strrchr(arg, ':');
	size_t n = colon ? (size_t)(colon - arg) : 0;
	unsigned int port;

	if (!colon || parse_uint(colon + 1, 1, 65535, &port))
		return -1;
	if (n >= 2 && arg[0] == '[' && arg[n - 1] == ']') {
		arg++;
		n -= 2;
	}
	if (!n || n >= sizeof(o->emu_host_buf))
		return -1;
	memcpy(o->emu_host_buf, arg, n);
	o->emu_host_buf[n] = '\0';
	o->emu_host = o->emu_host_buf;
	o->emu_port = (uint16_t)port;
	return 0;
}

static int parse_args(int argc, char **argv, struct options *o)
{
	static const struct option longopts[] = {
		{"smbus", required_argument, NULL, 's'},
		{"spdm-emu", required_argument, NULL, 'm'},
		{"root", required_argument, NULL, 'r'},
		{"slot", required_argument, NULL, 'S'},
		{"expect", required_argument, NULL, 'x'},
		{"eid", required_argument, NULL, 'e'},
		{"device-eid", required_argument, NULL, 'E'},
		{"addr", required_argument, NULL, 'a'},
		{"device-addr", required_argument, NULL, 'A'},
		{"timeout", required_argument, NULL, 't'},
		{"json", no_argument, NULL, 'j'},
		{"self-contained", no_argument, NULL, 'C'},
		{"transfer-size", required_argument, NULL, 'X'},
		{"verbose", no_argument, NULL, 'v'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	int c, idx = 0, bad = 0;

	if (argc >= 2 &&
	    (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		usage(stdout);
		exit(EXIT_OK);
	}
	if (argc < 2) {
		fprintf(stderr, "prot-ua: no command (discover, attest, "
				"measurements, update or status; see "
				"--help)\n");
		return -1;
	}
	if (!strcmp(argv[1], "discover")) {
		o->cmd = CMD_DISCOVER;
	} else if (!strcmp(argv[1], "attest")) {
		o->cmd = CMD_ATTEST;
	} else if (!strcmp(argv[1], "measurements")) {
		o->cmd = CMD_MEASUREMENTS;
	} else if (!strcmp(argv[1], "update")) {
		o->cmd = CMD_UPDATE;
	} else if (!strcmp(argv[1], "status")) {
		o->cmd = CMD_STATUS;
	} else {
		fprintf(stderr,
			"prot-ua: unknown command '%s' (discover, attest, "
			"measurements, update or status; see --help)\n",
			argv[1]);
		return -1;
	}
	optind = 2;
	while ((c = getopt_long(argc, argv, "vh", longopts, &idx)) != -1) {
		switch (c) {
		case 's':
			o->smbus_path = optarg;
			break;
		case 'm':
			bad = parse_host_port(o, optarg);
			break;
		case 'r':
			o->root = optarg;
			break;
		case 'S':
			bad = parse_uint(optarg, 0, SPDM_SLOT_COUNT - 1,
					 &o->slot);
			break;
		case 'x':
			bad = parse_expect(o, optarg);
			break;
		case 'e':
			bad = parse_uint(optarg, 0, 0xFF, &o->eid) ||
			      !valid_eid(o->eid);
			break;
		case 'E':
			bad = parse_uint(optarg, 0, 0xFF, &o->device_eid) ||
			      !valid_eid(o->device_eid);
			break;
		case 'a':
			bad = parse_uint(optarg, 0x08, 0x77, &o->addr);
			break;
		case 'A':
			bad = parse_uint(optarg, 0x08, 0x77, &o->device_addr);
			break;
		case 't':
			bad = parse_uint(optarg, 1, 3600, &o->timeout_s);
			break;
		case 'j':
			o->json = true;
			break;
		case 'C':
			o->self_contained = true;
			break;
		case 'X':
			bad = parse_uint(optarg, 32, 1024, &o->xfer);
			break;
		case 'v':
			o->verbose = true;
			break;
		case 'h':
			usage(stdout);
			exit(EXIT_OK);
		default:
			fprintf(stderr, "prot-ua: see --help\n");
			return -1;
		}
		if (bad) {
			fprintf(stderr,
				"prot-ua: bad value '%s' for --%s (see "
				"--help)\n",
				optarg, longopts[idx].name);
			return -1;
		}
	}
	if (o->cmd == CMD_UPDATE && optind < argc)
		o->package = argv[optind++];
	if (optind < argc) {
		fprintf(stderr, "prot-ua: unexpected argument '%s'\n",
			argv[optind]);
		return -1;
	}
	if ((o->cmd == CMD_UPDATE || o->cmd == CMD_STATUS) && !PROT_UA_PLDM) {
		fprintf(stderr,
			"prot-ua: %s needs PLDM, not in this build "
			"(libpldm-fw)\n",
			argv[1]);
		return -1;
	}
	if (o->cmd == CMD_UPDATE && !o->package) {
		fprintf(stderr, "prot-ua: update needs the PACKAGE (see "
				"--help)\n");
		return -1;
	}
	if (o->cmd != CMD_UPDATE && (o->self_contained || o->xfer)) {
		fprintf(stderr, "prot-ua: --self-contained and "
				"--transfer-size are for update only\n");
		return -1;
	}
	if (!o->smbus_path == !o->emu_host) {
		fprintf(stderr, "prot-ua: give one of --smbus PATH and "
				"--spdm-emu HOST:PORT (see --help)\n");
		return -1;
	}
	if (o->emu_host && (o->cmd == CMD_DISCOVER || o->cmd == CMD_UPDATE ||
			    o->cmd == CMD_STATUS)) {
		fprintf(stderr, "prot-ua: %s is MCTP only (--smbus)\n",
			argv[1]);
		return -1;
	}
	if ((o->cmd == CMD_ATTEST || o->cmd == CMD_MEASUREMENTS) && !o->root) {
		fprintf(stderr,
			"prot-ua: %s needs --root FILE, the trusted "
			"root certificate (see --help)\n",
			argv[1]);
		return -1;
	}
	if (o->eid == o->device_eid || o->addr == o->device_addr) {
		fprintf(stderr, "prot-ua: our EID and address must differ "
				"from the device's\n");
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	/* Large (reassembly and message buffers): static. */
	static struct agent agent;
	struct options o = {
		.eid = 8,
		.device_eid = 9,
		.addr = 0x10,
		.device_addr = 0x1d,
		.timeout_s = 10,
	};
	struct agent *a = &agent;
	bool disc_ok = false;
	int status;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (parse_args(argc, argv, &o))
		return EXIT_USAGE;
	a->o = &o;
	a->port.fd = -1;
	a->emu_fd = -1;
	a->status = EXIT_TRANSPORT;
#if PROT_UA_PLDM
	a->link = (struct prot_ua_link){
		.now_ms = link_now,
		.service = link_service,
		.ctx = a,
	};
	/* A bad package is refused before the device is touched. */
	if (o.cmd == CMD_UPDATE) {
		a->status = prot_ua_package_load(o.package, &a->pkg_buf,
						 &a->pkg_len, &a->pkg, a->error,
						 sizeof(a->error));
		if (a->status)
			fprintf(stderr, "prot-ua: %s\n", a->error);
		else
			a->status = EXIT_TRANSPORT;
	}
	if (a->status == EXIT_TRANSPORT && agent_setup(a))
#else
	if (agent_setup(a))
#endif
		disc_ok = o.emu_host ? true : discover(a);
	status = a->status;
	if (disc_ok && o.cmd == CMD_DISCOVER)
		status = EXIT_OK;
	if (disc_ok && (o.cmd == CMD_ATTEST || o.cmd == CMD_MEASUREMENTS))
		status = attest(a);
#if PROT_UA_PLDM
	if (disc_ok && o.cmd == CMD_UPDATE)
		status = do_update(a);
	if (disc_ok && o.cmd == CMD_STATUS)
		status = do_status(a);
#endif
	if (o.json) {
		print_json(a, disc_ok, status);
	} else if (o.cmd == CMD_DISCOVER || o.cmd == CMD_UPDATE ||
		   o.cmd == CMD_STATUS) {
		printf("== %s: %s ==\n", command_name(o.cmd),
		       status ? "FAILED" : "OK");
		if (status && o.cmd != CMD_DISCOVER)
			printf("%s: %s (exit status %d)\n", status_name(status),
			       a->error, status);
	} else if (status == EXIT_OK) {
		printf("VERDICT: AUTHENTICATED: chain verified against %s, "
		       "%s%zu measurements signed by the certified key%s "
		       "(exit status 0)\n",
		       o.root, a->att.challenged ? "CHALLENGE_AUTH and " : "",
		       a->att.n_blocks,
		       o.n_expect ? ", firmware digest as expected" : "");
	} else {
		printf("VERDICT: NOT AUTHENTICATED: %s: %s (exit status "
		       "%d)\n",
		       status_name(status), a->error, status);
	}
	if (a->port.fd >= 0)
		close(a->port.fd);
	if (a->emu_fd >= 0) {
		/* Leave the responder running for the next requester. */
		(void)prot_spdm_emu_requester_end(&a->emu,
						  PROT_SPDM_EMU_CMD_CONTINUE);
		close(a->emu_fd);
	}
	prot_crypto_free(&a->crypto);
#if PROT_UA_PLDM
	free(a->pkg_buf);
	free(a->status_text);
#endif
	return status;
}
