/* SPDX-License-Identifier: Apache-2.0 */
/*
 * prot-ua: the update agent and verifier (first cut).
 *
 *   prot-ua discover --smbus PATH [options]
 *   prot-ua attest --smbus PATH [options]
 *
 * discover: as a bus owner (like a BMC), assign the device's EID with Set
 *     Endpoint ID sent to the null EID, then read Get Endpoint ID, Get
 *     Endpoint UUID, Get MCTP Version Support (base and control) and Get
 *     Message Type Support.
 * attest: discover, then open an SPDM connection over MCTP (DSP0275):
 *     GET_VERSION, GET_CAPABILITIES, NEGOTIATE_ALGORITHMS, and print what
 *     was negotiated. Certificate chain, CHALLENGE and measurement
 *     verification are NOT implemented yet: attest says so and exits with
 *     status 3, never 0, so that no script takes it for an attestation.
 *
 * Exit status: 0 discover succeeded; 1 failure (link, timeout, protocol
 * error, no SPDM); 2 usage error; 3 attest: SPDM connection negotiated
 * but the device was not verified (not implemented yet).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mctp/control.h"
#include "mctp/mctp.h"
#include "mctp/smbus.h"
#include "prot-posix/clock.h"
#include "prot-posix/crypto.h"
#include "prot-posix/log.h"
#include "prot-posix/smbus.h"
#include "prot/spdm-mctp.h"
#include "spdm/requester.h"

#define EXIT_OK 0
#define EXIT_FAIL 1
#define EXIT_USAGE 2
#define EXIT_NOT_VERIFIED 3

#define SLICE_MS 100
#define RETRY_MS 50
#define MAX_LIST 16

/* The largest SPDM message one MCTP message can carry. */
#define SPDM_SIZE                                                              \
	(MCTP_MAX_MESSAGE_SIZE - 1u < SPDM_MAX_MSG_SIZE                        \
		 ? MCTP_MAX_MESSAGE_SIZE - 1u                                  \
		 : SPDM_MAX_MSG_SIZE)

enum command { CMD_DISCOVER, CMD_ATTEST };

struct options {
	enum command cmd;
	const char *smbus_path;
	unsigned int eid;
	unsigned int device_eid;
	unsigned int addr;
	unsigned int device_addr;
	unsigned int timeout_s;
	bool json;
	bool verbose;
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

	bool have_rsp;
	struct mctp_ctrl_response rsp;
	uint8_t rsp_data[256];

	struct discovery disc;
	char error[160]; /* why we failed, for --json */
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
	bool has_spdm = false;

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
	}
	if (a->o->cmd == CMD_ATTEST && !has_spdm)
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

static bool spdm_connect(struct agent *a)
{
	const struct spdm_connection_info *c;
	uint8_t code, data;
	int rc;

	say(a, "SPDM over MCTP: GET_VERSION, GET_CAPABILITIES, "
	       "NEGOTIATE_ALGORITHMS:\n");
	rc = prot_spdm_mctp_connect(&a->spdm, (uint8_t)a->o->device_eid);
	if (rc < 0)
		return fail(a, "SPDM: cannot send: %s", strerror(-rc));
	if (!wait_until(a, spdm_idle))
		return false;
	rc = prot_spdm_mctp_result(&a->spdm);
	if (rc == -EPROTO && spdm_requester_error(&a->requester, &code, &data))
		return fail(a,
			    "SPDM: the device answered ERROR 0x%02x (data "
			    "0x%02x)",
			    code, data);
	if (rc < 0)
		return fail(a, "SPDM connection failed: %s", strerror(-rc));
	c = spdm_requester_connection(&a->requester);
	if (!c)
		return fail(a, "SPDM: no connection after the flow");
	say(a,
	    "  SPDM %u.%u; hash %s, signature %s; device capabilities "
	    "0x%08x\n",
	    c->version >> 4, c->version & 0xFu, hash_name(c->base_hash_algo),
	    asym_name(c->base_asym_algo), c->peer_flags);
	return true;
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
static void print_json(const struct agent *a, bool disc_ok, bool spdm_ok,
		       int status)
{
	const struct discovery *d = &a->disc;
	char uuid[37];

	printf("{\"command\":\"%s\",\"status\":%d",
	       a->o->cmd == CMD_ATTEST ? "attest" : "discover", status);
	if (disc_ok) {
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
	}
	if (spdm_ok) {
		const struct spdm_connection_info *c =
			spdm_requester_connection(&a->requester);

		printf(",\"spdm\":{\"version\":\"%u.%u\",\"base_hash_algo\":"
		       "\"%s\",\"base_asym_algo\":\"%s\","
		       "\"peer_capabilities\":%u}",
		       c->version >> 4, c->version & 0xFu,
		       hash_name(c->base_hash_algo),
		       asym_name(c->base_asym_algo), c->peer_flags);
	}
	if (a->o->cmd == CMD_ATTEST)
		printf(",\"verified\":false,\"attestation\":\"certificate, "
		       "challenge and measurement verification not "
		       "implemented\"");
	if (a->error[0]) {
		printf(",\"error\":\"");
		for (const char *p = a->error; *p; p++)
			if (*p != '"' && *p != '\\')
				putchar(*p);
		printf("\"");
	}
	printf("}\n");
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
	    o->cmd == CMD_ATTEST ? "attest" : "discover", o->smbus_path, o->eid,
	    o->addr, o->device_addr, o->device_eid);
	return true;
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: prot-ua discover --smbus PATH [options]\n"
		"       prot-ua attest --smbus PATH [options]\n"
		"Update agent and verifier (first cut).\n\n"
		"  discover  assign the device's EID (Set Endpoint ID to the "
		"null EID),\n"
		"            then read its EID, UUID, MCTP versions and "
		"message types\n"
		"  attest    discover, then open an SPDM connection over MCTP "
		"and print\n"
		"            the negotiated version and algorithms. "
		"Certificate, challenge\n"
		"            and measurement verification are NOT implemented "
		"yet: attest\n"
		"            never reports a verified device (exit status "
		"3)\n\n"
		"  --smbus PATH      the device's SMBus wire (its socket at "
		"PATH)\n"
		"  --eid E           our EID (default 8)\n"
		"  --device-eid E    EID to assign to the device (default 9)\n"
		"  --addr A          our 7-bit SMBus address (default 0x10)\n"
		"  --device-addr A   the device's SMBus address (default "
		"0x1d)\n"
		"  --timeout S       give up after S seconds (default 10)\n"
		"  --json            print one JSON object on stdout instead "
		"of the\n"
		"                    progress text (errors still go to "
		"stderr)\n"
		"  -v, --verbose     log libmctp debug messages to stderr\n"
		"  -h, --help        show this help\n\n"
		"Exit status:\n"
		"  0  discover succeeded\n"
		"  1  failure: link, timeout, protocol error, no SPDM\n"
		"  2  usage error\n"
		"  3  attest: SPDM connection negotiated, device NOT verified "
		"(not\n"
		"     implemented yet)\n");
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

static int parse_args(int argc, char **argv, struct options *o)
{
	static const struct option longopts[] = {
		{"smbus", required_argument, NULL, 's'},
		{"eid", required_argument, NULL, 'e'},
		{"device-eid", required_argument, NULL, 'E'},
		{"addr", required_argument, NULL, 'a'},
		{"device-addr", required_argument, NULL, 'A'},
		{"timeout", required_argument, NULL, 't'},
		{"json", no_argument, NULL, 'j'},
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
		fprintf(stderr, "prot-ua: no command (discover or attest; "
				"see --help)\n");
		return -1;
	}
	if (!strcmp(argv[1], "discover")) {
		o->cmd = CMD_DISCOVER;
	} else if (!strcmp(argv[1], "attest")) {
		o->cmd = CMD_ATTEST;
	} else {
		fprintf(stderr,
			"prot-ua: unknown command '%s' (discover or attest; "
			"see --help)\n",
			argv[1]);
		return -1;
	}
	optind = 2;
	while ((c = getopt_long(argc, argv, "vh", longopts, &idx)) != -1) {
		switch (c) {
		case 's':
			o->smbus_path = optarg;
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
	if (optind < argc) {
		fprintf(stderr, "prot-ua: unexpected argument '%s'\n",
			argv[optind]);
		return -1;
	}
	if (!o->smbus_path) {
		fprintf(stderr,
			"prot-ua: --smbus PATH is required (see --help)\n");
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
	bool disc_ok = false, spdm_ok = false;
	int status = EXIT_FAIL;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (parse_args(argc, argv, &o))
		return EXIT_USAGE;
	a->o = &o;
	a->port.fd = -1;
	if (agent_setup(a))
		disc_ok = discover(a);
	if (disc_ok && o.cmd == CMD_DISCOVER)
		status = EXIT_OK;
	if (disc_ok && o.cmd == CMD_ATTEST) {
		spdm_ok = spdm_connect(a);
		if (spdm_ok) {
			status = EXIT_NOT_VERIFIED;
			say(a,
			    "NOT VERIFIED: certificate chain, CHALLENGE and "
			    "measurement verification are not implemented "
			    "yet; the device's identity and firmware were "
			    "not checked (exit status %d)\n",
			    EXIT_NOT_VERIFIED);
		}
	}
	if (o.json)
		print_json(a, disc_ok, spdm_ok, status);
	else if (status == EXIT_OK)
		printf("== discover: OK ==\n");
	else if (status == EXIT_FAIL)
		printf("== %s: FAILED ==\n",
		       o.cmd == CMD_ATTEST ? "attest" : "discover");
	if (a->port.fd >= 0)
		close(a->port.fd);
	prot_crypto_free(&a->crypto);
	return status;
}
