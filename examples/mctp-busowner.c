/* SPDX-License-Identifier: Apache-2.0 */
/*
 * mctp-busowner: the bus owner side of the MCTP demo (what a BMC does).
 * On each link it is given (an SMBus wire, then a serial line) it:
 *
 *   1. assigns the endpoint's EID with Set Endpoint ID, sent to the null
 *      EID (on SMBus, EID 0 is mapped to the endpoint's address);
 *   2. reads back Get Endpoint ID, Get Endpoint UUID, Get MCTP Version
 *      Support (base specification and control protocol), Get Message
 *      Type Support and Get Vendor Defined Message Support;
 *   3. sends a vendor-defined (PCI, type 0x7E) message of --size bytes,
 *      split into packets, and checks the echoed reply byte for byte.
 *
 * Exit status: 0 when every step passed on every link, 1 on any failure
 * or timeout, 2 on a usage error.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mctp/control.h"
#include "mctp/mctp.h"
#include "mctp/serial.h"
#include "mctp/smbus.h"
#include "prot-posix/clock.h"
#include "prot-posix/log.h"
#include "prot-posix/serial.h"
#include "prot-posix/smbus.h"

/* Must match mctp-endpoint. */
#define DEMO_VENDOR_ID 0xFFFFu
/* Sliced service calls, so the overall deadline is checked often. */
#define SLICE_MS 100
#define RETRY_MS 50

struct options {
	const char *smbus_path;
	const char *serial_path;
	unsigned int own_eid;
	unsigned int endpoint_eid;
	unsigned int addr;
	unsigned int endpoint_addr;
	unsigned int size;
	unsigned int timeout_s;
	bool verbose;
};

/* One link's stack and what has come back on it. */
struct link {
	const char *name;
	char log_name[32];
	/* Turn the event loop once: the binding's service helper. */
	int (*service)(struct link *link, int timeout_ms);
	uint32_t deadline;
	struct mctp mctp;
	struct mctp_ctrl ctrl;

	bool have_rsp;
	struct mctp_ctrl_response rsp;
	uint8_t rsp_data[256];

	bool echo_done; /* the reply or the tag timeout came */
	bool have_echo;
	size_t echo_len;
	uint8_t echo[MCTP_MAX_MESSAGE_SIZE];
};

struct smbus_link {
	struct link link; /* first */
	struct prot_posix_smbus port;
	struct mctp_smbus smbus;
};

struct serial_link {
	struct link link; /* first */
	struct prot_posix_serial port;
	struct mctp_serial serial;
};

static int smbus_service(struct link *link, int timeout_ms)
{
	struct smbus_link *s = (struct smbus_link *)(void *)link;

	return prot_posix_smbus_service(&s->port, &s->smbus, timeout_ms);
}

static int serial_service(struct link *link, int timeout_ms)
{
	struct serial_link *s = (struct serial_link *)(void *)link;

	return prot_posix_serial_service(&s->port, &s->serial, timeout_ms);
}

static void ctrl_response(void *ctx, const struct mctp_ctrl_response *rsp)
{
	struct link *l = ctx;
	size_t len = rsp->len < sizeof(l->rsp_data) ? rsp->len
						    : sizeof(l->rsp_data);

	/* rsp->data is valid only during the call. A response longer than
	 * our copy is cut short; the decoders then see a malformed one. */
	l->rsp = *rsp;
	if (rsp->data && len)
		memcpy(l->rsp_data, rsp->data, len);
	l->rsp.data = l->rsp_data;
	l->rsp.len = len;
	l->have_rsp = true;
}

static const struct mctp_ctrl_ops ctrl_ops = {
	.response = ctrl_response,
};

static void echo_rx(void *ctx, struct mctp *mctp,
		    const struct mctp_msg_info *info, const uint8_t *msg,
		    size_t len)
{
	struct link *l = ctx;

	(void)mctp;
	/* We serve no requests of this type. */
	if (info->tag_owner || len > sizeof(l->echo))
		return;
	l->echo_len = len;
	memcpy(l->echo, msg, len);
	l->have_echo = true;
	l->echo_done = true;
}

static void echo_timeout(void *ctx, struct mctp *mctp, uint8_t eid, uint8_t tag)
{
	struct link *l = ctx;

	(void)mctp;
	(void)eid;
	(void)tag;
	l->echo_done = true;
}

static const struct mctp_handler_ops echo_ops = {
	.rx = echo_rx,
	.timeout = echo_timeout,
};

static bool expired(const struct link *l)
{
	return (int32_t)(prot_posix_now_ms() - l->deadline) >= 0;
}

/* Run the link until *flag is set; false on timeout or a dead link. */
static bool wait_for(struct link *l, const bool *flag)
{
	while (!*flag) {
		int rc;

		if (expired(l)) {
			printf("  FAIL: timed out waiting for the endpoint\n");
			return false;
		}
		rc = l->service(l, SLICE_MS);
		if (rc < 0) {
			printf("  FAIL: link: %s\n", strerror(-rc));
			return false;
		}
	}
	return true;
}

/*
 * Wait for the response to the control request just sent (@rc is what
 * sending it returned) and check its completion code.
 */
static bool ctrl_done(struct link *l, int rc, const char *what)
{
	printf("%s:\n", what);
	if (rc) {
		printf("  FAIL: cannot send: %s\n", strerror(-rc));
		return false;
	}
	if (!wait_for(l, &l->have_rsp))
		return false;
	l->have_rsp = false;
	if (l->rsp.status) {
		printf("  FAIL: no response: %s\n", strerror(-l->rsp.status));
		return false;
	}
	if (l->rsp.completion_code != MCTP_CTRL_CC_SUCCESS) {
		printf("  FAIL: completion code 0x%02x\n",
		       l->rsp.completion_code);
		return false;
	}
	return true;
}

static bool check(int rc, const char *what)
{
	if (rc)
		printf("  FAIL: %s: %s\n", what, strerror(-rc));
	return !rc;
}

static unsigned int bcd(uint8_t b)
{
	/* 0xFn is the single digit n; otherwise two BCD digits. */
	if ((b & 0xF0u) == 0xF0u)
		return b & 0x0Fu;
	return (unsigned int)(b >> 4) * 10u + (b & 0x0Fu);
}

static void print_versions(const uint32_t *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		uint8_t update = (uint8_t)(v[i] >> 8);
		uint8_t alpha = (uint8_t)v[i];

		printf("%s%u.%u", i ? ", " : "  versions ",
		       bcd((uint8_t)(v[i] >> 24)), bcd((uint8_t)(v[i] >> 16)));
		if (update != 0xFFu)
			printf(".%u", bcd(update));
		if (alpha)
			printf("%c", alpha);
	}
	printf("\n");
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

/* Steps 1 and 2: EID assignment and discovery. */
static bool discover(struct link *l, const struct options *o)
{
	const uint8_t eid = (uint8_t)o->endpoint_eid;
	struct mctp_ctrl_set_eid_rsp set;
	struct mctp_ctrl_get_eid_rsp get;
	uint8_t uuid[16], types[16];
	uint32_t versions[16];
	struct mctp_ctrl_vendor_rsp vendor;
	size_t n;
	bool has_vendor = false;

	if (!ctrl_done(l,
		       mctp_ctrl_set_eid(&l->ctrl, MCTP_EID_NULL,
					 MCTP_CTRL_SET_EID_SET, eid),
		       "Set Endpoint ID (to the null EID)") ||
	    !check(mctp_ctrl_decode_set_eid(&l->rsp, &set), "decode"))
		return false;
	printf("  assignment %s, EID now %u\n",
	       set.assignment_status == MCTP_CTRL_SET_EID_ACCEPTED ? "accepted"
								   : "REJECTED",
	       set.eid);
	if (set.assignment_status != MCTP_CTRL_SET_EID_ACCEPTED ||
	    set.eid != eid) {
		printf("  FAIL: expected EID %u accepted\n", eid);
		return false;
	}

	if (!ctrl_done(l, mctp_ctrl_get_eid(&l->ctrl, eid),
		       "Get Endpoint ID") ||
	    !check(mctp_ctrl_decode_get_eid(&l->rsp, &get), "decode"))
		return false;
	printf("  EID %u, %s endpoint, %s EID\n", get.eid,
	       get.endpoint_type == MCTP_CTRL_ENDPOINT_TYPE_BRIDGE ? "bridge"
								   : "simple",
	       get.eid_type == MCTP_CTRL_EID_TYPE_DYNAMIC ? "dynamic"
							  : "static");
	if (get.eid != eid) {
		printf("  FAIL: expected EID %u\n", eid);
		return false;
	}

	if (!ctrl_done(l, mctp_ctrl_get_uuid(&l->ctrl, eid),
		       "Get Endpoint UUID") ||
	    !check(mctp_ctrl_decode_uuid(&l->rsp, uuid), "decode"))
		return false;
	printf("  UUID ");
	for (size_t i = 0; i < sizeof(uuid); i++)
		printf("%s%02x",
		       i == 4 || i == 6 || i == 8 || i == 10 ? "-" : "",
		       uuid[i]);
	printf("\n");

	if (!ctrl_done(l,
		       mctp_ctrl_get_version(&l->ctrl, eid,
					     MCTP_CTRL_VERSION_BASE),
		       "Get MCTP Version Support (base specification)") ||
	    !check(mctp_ctrl_decode_versions(&l->rsp, versions, 16, &n),
		   "decode"))
		return false;
	print_versions(versions, n < 16 ? n : 16);
	if (!ctrl_done(l,
		       mctp_ctrl_get_version(&l->ctrl, eid,
					     MCTP_MSG_TYPE_CONTROL),
		       "Get MCTP Version Support (control protocol)") ||
	    !check(mctp_ctrl_decode_versions(&l->rsp, versions, 16, &n),
		   "decode"))
		return false;
	print_versions(versions, n < 16 ? n : 16);

	if (!ctrl_done(l, mctp_ctrl_get_types(&l->ctrl, eid),
		       "Get Message Type Support") ||
	    !check(mctp_ctrl_decode_types(&l->rsp, types, 16, &n), "decode"))
		return false;
	for (size_t i = 0; i < n && i < 16; i++) {
		printf("  0x%02x %s\n", types[i], type_name(types[i]));
		has_vendor |= types[i] == MCTP_MSG_TYPE_VENDOR_PCI;
	}
	if (!has_vendor) {
		printf("  FAIL: no vendor-defined (PCI) message type\n");
		return false;
	}

	if (!ctrl_done(l, mctp_ctrl_get_vendor_support(&l->ctrl, eid, 0),
		       "Get Vendor Defined Message Support") ||
	    !check(mctp_ctrl_decode_vendor_support(&l->rsp, &vendor), "decode"))
		return false;
	printf("  %s vendor 0x%04x, command set 0x%04x\n",
	       vendor.set.format == MCTP_CTRL_VENDOR_FORMAT_PCI ? "PCI"
								: "IANA",
	       vendor.set.vendor_id, vendor.set.command_set);
	if (vendor.set.format != MCTP_CTRL_VENDOR_FORMAT_PCI ||
	    vendor.set.vendor_id != DEMO_VENDOR_ID) {
		printf("  FAIL: expected PCI vendor 0x%04x\n", DEMO_VENDOR_ID);
		return false;
	}
	return true;
}

/* Step 3: a multi-packet message, echoed back. */
static bool echo(struct link *l, const struct options *o)
{
	static uint8_t msg[MCTP_MAX_MESSAGE_SIZE];
	const size_t mtu = MCTP_BASELINE_MTU;
	uint32_t x = 0x12345678u, start;
	size_t i;
	int rc;

	msg[0] = MCTP_MSG_TYPE_VENDOR_PCI;
	msg[1] = (uint8_t)(DEMO_VENDOR_ID >> 8);
	msg[2] = (uint8_t)DEMO_VENDOR_ID;
	/* xorshift32: every byte value shows up, including the serial
	 * framing's flag and escape bytes. */
	for (i = 3; i < o->size; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		msg[i] = (uint8_t)x;
	}

	printf("Vendor-defined echo (%u bytes, %zu packets of up to %zu "
	       "bytes):\n",
	       o->size, (o->size + mtu - 1) / mtu, mtu);
	l->have_echo = l->echo_done = false;
	start = prot_posix_now_ms();
	rc = mctp_request_tx(&l->mctp, (uint8_t)o->endpoint_eid, msg, o->size);
	if (rc < 0) {
		printf("  FAIL: cannot send: %s\n", strerror(-rc));
		return false;
	}
	if (!wait_for(l, &l->echo_done))
		return false;
	if (!l->have_echo) {
		printf("  FAIL: no reply before the tag timeout\n");
		return false;
	}
	if (l->echo_len != o->size) {
		printf("  FAIL: reply is %zu bytes\n", l->echo_len);
		return false;
	}
	for (i = 0; i < o->size; i++) {
		if (l->echo[i] != msg[i]) {
			printf("  FAIL: reply differs at byte %zu "
			       "(0x%02x, sent 0x%02x)\n",
			       i, l->echo[i], msg[i]);
			return false;
		}
	}
	printf("  reply identical, %u bytes, in %u ms\n", o->size,
	       prot_posix_now_ms() - start);
	return true;
}

static bool link_init(struct link *l, const char *name, const struct options *o)
{
	static const struct mctp_ctrl_config ctrl_cfg = {
		/* The bus owner answers control requests too. */
		.uuid = {0x6b, 0x1e, 0x0c, 0x4d, 0x27, 0x85, 0x4f, 0x30, 0x9a,
			 0x61, 0xd2, 0x0e, 0x7c, 0x3b, 0x58, 0x14},
		.endpoint_type = MCTP_CTRL_ENDPOINT_TYPE_SIMPLE,
	};
	struct mctp_config cfg = {
		.eid = (uint8_t)o->own_eid,
		.now_ms = prot_posix_now_ms(),
		.log_ops = &prot_posix_log_ops,
		.log_ctx = l->log_name,
		.log_level = o->verbose ? MCTP_LOG_DEBUG : MCTP_LOG_WARNING,
	};
	int rc;

	l->name = name;
	snprintf(l->log_name, sizeof(l->log_name), "bus-owner[%s]", name);
	l->deadline = prot_posix_now_ms() + o->timeout_s * 1000u;
	rc = mctp_init(&l->mctp, &cfg);
	if (!rc)
		rc = mctp_ctrl_init(&l->ctrl, &l->mctp, &ctrl_cfg, &ctrl_ops,
				    l);
	if (!rc)
		rc = mctp_register_handler(&l->mctp, MCTP_MSG_TYPE_VENDOR_PCI,
					   &echo_ops, l);
	return check(rc, "stack setup");
}

/* Start the stack's clock, then steps 1 to 3. */
static bool run(struct link *l, const struct options *o)
{
	mctp_poll(&l->mctp, prot_posix_now_ms());
	return discover(l, o) && echo(l, o);
}

static bool run_smbus(struct smbus_link *s, const struct options *o)
{
	bool ok;
	int rc;

	printf("== SMBus link: socket %s; we are EID %u at address 0x%02x, "
	       "the endpoint is at 0x%02x ==\n",
	       o->smbus_path, o->own_eid, o->addr, o->endpoint_addr);
	if (!link_init(&s->link, "smbus", o))
		return false;
	s->link.service = smbus_service;
	/* The endpoint may still be starting: retry until the deadline. */
	while ((rc = prot_posix_smbus_connect(o->smbus_path)) == -ENOENT ||
	       rc == -ECONNREFUSED) {
		if (expired(&s->link))
			break;
		usleep(RETRY_MS * 1000);
	}
	if (!check(rc < 0 ? rc : 0, "connect"))
		return false;
	s->port.fd = rc;
	rc = mctp_smbus_init(&s->smbus, &prot_posix_smbus_ops, &s->port,
			     (uint8_t)o->addr);
	if (!rc)
		rc = mctp_bus_register(&s->link.mctp, &s->smbus.binding);
	/* A Set Endpoint ID to the null EID still needs an address on the
	 * wire: the neighbour table says where EID 0 lives. Later traffic
	 * goes to the assigned EID at the same address. */
	if (rc >= 0)
		rc = mctp_smbus_set_neighbour(&s->smbus, MCTP_EID_NULL,
					      (uint8_t)o->endpoint_addr);
	if (!rc)
		rc = mctp_smbus_set_neighbour(&s->smbus,
					      (uint8_t)o->endpoint_eid,
					      (uint8_t)o->endpoint_addr);
	ok = check(rc, "SMBus binding") && run(&s->link, o);
	if (ok)
		printf("SMBus: %u frames out, %u in, %u bad PEC\n",
		       s->smbus.counters.tx_frames, s->smbus.counters.rx_frames,
		       s->smbus.counters.rx_bad_pec);
	close(s->port.fd);
	return ok;
}

static bool run_serial(struct serial_link *s, const struct options *o)
{
	bool ok;
	int rc;

	printf("== Serial link: %s; we are EID %u ==\n", o->serial_path,
	       o->own_eid);
	if (!link_init(&s->link, "serial", o))
		return false;
	s->link.service = serial_service;
	while ((rc = prot_posix_tty_open(o->serial_path)) == -ENOENT) {
		if (expired(&s->link))
			break;
		usleep(RETRY_MS * 1000);
	}
	if (!check(rc < 0 ? rc : 0, "open"))
		return false;
	s->port.fd = rc;
	rc = mctp_serial_init(&s->serial, &prot_posix_serial_ops, &s->port);
	if (!rc)
		rc = mctp_bus_register(&s->link.mctp, &s->serial.binding);
	ok = check(rc < 0 ? rc : 0, "serial binding") && run(&s->link, o);
	if (ok)
		printf("serial: %u frames out, %u in, %u bad FCS\n",
		       s->serial.counters.tx_frames,
		       s->serial.counters.rx_frames,
		       s->serial.counters.rx_bad_fcs);
	close(s->port.fd);
	return ok;
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: mctp-busowner [--smbus PATH] [--serial TTY] "
		"[options]\n"
		"MCTP bus owner for the demo: assigns the endpoint's EID, "
		"discovers it,\nand checks a multi-packet echo, on each link "
		"given.\n\n"
		"  --smbus PATH      SMBus wire: the endpoint's socket at "
		"PATH\n"
		"  --serial TTY      serial line: the terminal (pty slave) at "
		"TTY\n"
		"  --eid E           our EID (default 8)\n"
		"  --endpoint-eid E  EID to assign to the endpoint (default "
		"9)\n"
		"  --addr A          our 7-bit SMBus address (default 0x10)\n"
		"  --endpoint-addr A the endpoint's SMBus address (default "
		"0x1d)\n"
		"  --size N          echo message size in bytes, 3..%u "
		"(default 1024)\n"
		"  --timeout S       give up on a link after S seconds "
		"(default 10)\n"
		"  -v, --verbose     log libmctp debug messages to stderr\n"
		"  -h, --help        show this help\n\n"
		"Exits 0 when every check passed, 1 on any failure or "
		"timeout, 2 on\nusage errors.\n",
		(unsigned int)MCTP_MAX_MESSAGE_SIZE);
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
		{"serial", required_argument, NULL, 'l'},
		{"eid", required_argument, NULL, 'e'},
		{"endpoint-eid", required_argument, NULL, 'E'},
		{"addr", required_argument, NULL, 'a'},
		{"endpoint-addr", required_argument, NULL, 'A'},
		{"size", required_argument, NULL, 'n'},
		{"timeout", required_argument, NULL, 't'},
		{"verbose", no_argument, NULL, 'v'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	int c, idx = 0, bad = 0;

	while ((c = getopt_long(argc, argv, "vh", longopts, &idx)) != -1) {
		switch (c) {
		case 's':
			o->smbus_path = optarg;
			break;
		case 'l':
			o->serial_path = optarg;
			break;
		case 'e':
			bad = parse_uint(optarg, 0, 0xFF, &o->own_eid) ||
			      !valid_eid(o->own_eid);
			break;
		case 'E':
			bad = parse_uint(optarg, 0, 0xFF, &o->endpoint_eid) ||
			      !valid_eid(o->endpoint_eid);
			break;
		case 'a':
			bad = parse_uint(optarg, 0, 0x7F, &o->addr);
			break;
		case 'A':
			bad = parse_uint(optarg, 0, 0x7F, &o->endpoint_addr);
			break;
		case 'n':
			bad = parse_uint(optarg, 3, MCTP_MAX_MESSAGE_SIZE,
					 &o->size);
			break;
		case 't':
			bad = parse_uint(optarg, 1, 3600, &o->timeout_s);
			break;
		case 'v':
			o->verbose = true;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		default:
			usage(stderr);
			return -1;
		}
		if (bad) {
			fprintf(stderr,
				"mctp-busowner: bad value '%s' for "
				"--%s (see --help)\n",
				optarg, longopts[idx].name);
			return -1;
		}
	}
	if (optind < argc || (!o->smbus_path && !o->serial_path)) {
		fprintf(stderr, "mctp-busowner: give --smbus and/or --serial "
				"(see --help)\n");
		return -1;
	}
	if (o->own_eid == o->endpoint_eid || o->addr == o->endpoint_addr) {
		fprintf(stderr, "mctp-busowner: our EID and address must "
				"differ from the endpoint's\n");
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	/* Large (reassembly buffers): static, not on the stack. */
	static struct smbus_link smbus;
	static struct serial_link serial;
	struct options o = {
		.own_eid = 8,
		.endpoint_eid = 9,
		.addr = 0x10,
		.endpoint_addr = 0x1d,
		.size = 1024,
		.timeout_s = 10,
	};
	bool ok = true;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (parse_args(argc, argv, &o))
		return 2;
	if (o.smbus_path)
		ok = run_smbus(&smbus, &o) && ok;
	if (o.serial_path)
		ok = run_serial(&serial, &o) && ok;
	printf("== %s ==\n", ok ? "PASS" : "FAIL");
	return ok ? 0 : 1;
}
