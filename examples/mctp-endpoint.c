/* SPDX-License-Identifier: Apache-2.0 */
/*
 * mctp-endpoint: an MCTP endpoint for the demo. It waits for a bus owner
 * on an SMBus wire (UNIX socket) and/or a serial line (pseudo-terminal),
 * answers MCTP control requests (Set/Get Endpoint ID, UUID, versions,
 * message types, vendor support) and echoes vendor-defined (PCI, type
 * 0x7E) messages back to their sender.
 *
 * Each link has its own MCTP stack: two separate networks, each with an
 * EID assigned by the bus owner on that link.
 *
 * Exit status: 0 once the bus owner has hung up on every link (or on
 * SIGINT/SIGTERM), 1 on an error or timeout, 2 on a usage error.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mctp/control.h"
#include "mctp/mctp.h"
#include "mctp/serial.h"
#include "mctp/smbus.h"
#include "prot-posix/clock.h"
#include "prot-posix/log.h"
#include "prot-posix/serial.h"
#include "prot-posix/smbus.h"

/* PCI vendor ID 0xFFFF belongs to nobody: fine for a demo service. */
#define DEMO_VENDOR_ID 0xFFFFu
#define DEMO_COMMAND_SET 0x0001u

struct endpoint {
	const char *name;
	char log_name[32];
	struct mctp mctp;
	struct mctp_ctrl ctrl;
	unsigned long echoed;
	bool done;
};

struct smbus_endpoint {
	struct endpoint ep;
	int listen_fd;
	bool created; /* the socket file at --smbus is ours to remove */
	struct prot_posix_smbus port;
	struct mctp_smbus smbus;
};

struct serial_endpoint {
	struct endpoint ep;
	/* Our own handle on the pty slave until the bus owner has opened
	 * it: with no slave open, a pty master may report a hang-up. */
	int hold_fd;
	bool created; /* the link at --serial is ours to remove */
	struct prot_posix_serial port;
	struct mctp_serial serial;
};

struct options {
	const char *smbus_path;
	const char *serial_link;
	unsigned int addr;
	unsigned int timeout_s;
	bool verbose;
	struct mctp_ctrl_config ctrl_cfg;
};

static volatile sig_atomic_t stop_signal;

static void on_signal(int sig)
{
	stop_signal = sig;
}

static void echo_rx(void *ctx, struct mctp *mctp,
		    const struct mctp_msg_info *info, const uint8_t *msg,
		    size_t len)
{
	struct endpoint *ep = ctx;
	int rc;

	/* We send no requests, so only requests can reach us here. */
	if (len < 3 || (unsigned int)(msg[1] << 8 | msg[2]) != DEMO_VENDOR_ID) {
		printf("endpoint[%s]: ignored a %zu-byte vendor message from "
		       "EID %u: not our vendor ID\n",
		       ep->name, len, info->src_eid);
		return;
	}
	rc = mctp_response_tx(mctp, info, msg, len);
	printf("endpoint[%s]: echo request, %zu bytes from EID %u (tag %u): "
	       "%s\n",
	       ep->name, len, info->src_eid, info->tag,
	       rc ? strerror(-rc) : "echoed");
	if (!rc)
		ep->echoed++;
}

static const struct mctp_handler_ops echo_ops = {
	.rx = echo_rx,
};

static void eid_changed(void *ctx, uint8_t eid)
{
	const struct endpoint *ep = ctx;

	printf("endpoint[%s]: bus owner set our EID to %u\n", ep->name, eid);
}

static const struct mctp_ctrl_ops ctrl_ops = {
	.eid_changed = eid_changed,
};

/* Everything but the binding: the stack, control responder and echo. */
static int endpoint_init(struct endpoint *ep, const char *name,
			 const struct options *o)
{
	struct mctp_config cfg = {
		.eid = MCTP_EID_NULL,
		.now_ms = prot_posix_now_ms(),
		.log_ops = &prot_posix_log_ops,
		.log_ctx = ep->log_name,
		.log_level = o->verbose ? MCTP_LOG_DEBUG : MCTP_LOG_WARNING,
	};
	int rc;

	ep->name = name;
	snprintf(ep->log_name, sizeof(ep->log_name), "endpoint[%s]", name);
	rc = mctp_init(&ep->mctp, &cfg);
	if (!rc)
		rc = mctp_ctrl_init(&ep->ctrl, &ep->mctp, &o->ctrl_cfg,
				    &ctrl_ops, ep);
	if (!rc)
		rc = mctp_register_handler(&ep->mctp, MCTP_MSG_TYPE_VENDOR_PCI,
					   &echo_ops, ep);
	mctp_poll(&ep->mctp, prot_posix_now_ms());
	return rc;
}

static int smbus_open(struct smbus_endpoint *s, const struct options *o)
{
	int rc = endpoint_init(&s->ep, "smbus", o);

	s->port.fd = -1;
	if (!rc)
		rc = mctp_smbus_init(&s->smbus, &prot_posix_smbus_ops, &s->port,
				     (uint8_t)o->addr);
	if (!rc)
		rc = mctp_bus_register(&s->ep.mctp, &s->smbus.binding);
	if (rc < 0)
		return rc;
	s->listen_fd = prot_posix_smbus_listen(o->smbus_path);
	if (s->listen_fd < 0)
		return s->listen_fd;
	s->created = true;
	printf("endpoint[smbus]: listening on %s, SMBus address 0x%02x\n",
	       o->smbus_path, o->addr);
	return 0;
}

static int serial_open(struct serial_endpoint *s, const struct options *o)
{
	char name[128];
	struct stat st;
	int rc = endpoint_init(&s->ep, "serial", o);

	s->hold_fd = -1;
	s->port.fd = -1;
	if (!rc)
		rc = mctp_serial_init(&s->serial, &prot_posix_serial_ops,
				      &s->port);
	if (!rc)
		rc = mctp_bus_register(&s->ep.mctp, &s->serial.binding);
	if (rc < 0)
		return rc;
	s->port.fd = prot_posix_pty_open(name, sizeof(name));
	if (s->port.fd < 0)
		return s->port.fd;
	s->hold_fd = prot_posix_tty_open(name);
	if (s->hold_fd < 0)
		return s->hold_fd;
	/* The link is for the bus owner to find the line; replace only a
	 * stale link, never a real file. */
	if (!lstat(o->serial_link, &st) && S_ISLNK(st.st_mode))
		(void)unlink(o->serial_link);
	if (symlink(name, o->serial_link) < 0)
		return -errno;
	s->created = true;
	printf("endpoint[serial]: line %s, linked from %s\n", name,
	       o->serial_link);
	return 0;
}

static void smbus_turn(struct smbus_endpoint *s)
{
	int rc;

	if (s->ep.done)
		return;
	if (s->port.fd < 0) {
		rc = prot_posix_smbus_accept(s->listen_fd, 0);
		if (rc == -ETIMEDOUT)
			return;
		if (rc < 0) {
			fprintf(stderr, "endpoint[smbus]: accept: %s\n",
				strerror(-rc));
			s->ep.done = true;
			return;
		}
		s->port.fd = rc;
		/* One bus owner per run. */
		close(s->listen_fd);
		s->listen_fd = -1;
		printf("endpoint[smbus]: bus owner connected\n");
	}
	rc = prot_posix_smbus_service(&s->port, &s->smbus, 0);
	if (rc < 0) {
		if (rc != -ECONNRESET)
			fprintf(stderr, "endpoint[smbus]: %s\n", strerror(-rc));
		printf("endpoint[smbus]: bus owner hung up\n");
		s->ep.done = true;
	}
}

static void serial_turn(struct serial_endpoint *s)
{
	int rc;

	if (s->ep.done)
		return;
	rc = prot_posix_serial_service(&s->port, &s->serial, 0);
	if (rc > 0 && s->hold_fd >= 0) {
		/* The bus owner has the slave open now; from here on its
		 * close shows as a hang-up on the master. */
		close(s->hold_fd);
		s->hold_fd = -1;
	}
	if (rc < 0) {
		if (rc != -ECONNRESET)
			fprintf(stderr, "endpoint[serial]: %s\n",
				strerror(-rc));
		printf("endpoint[serial]: bus owner hung up\n");
		s->ep.done = true;
	}
}

static uint32_t drops(const struct mctp_counters *c)
{
	return c->rx_drop_short + c->rx_drop_version + c->rx_drop_src_eid +
	       c->rx_drop_not_ours + c->rx_drop_route + c->rx_drop_no_som +
	       c->rx_drop_seq + c->rx_drop_size + c->rx_drop_too_large +
	       c->rx_drop_no_context + c->rx_drop_restarted +
	       c->rx_drop_timeout + c->rx_drop_no_handler +
	       c->rx_drop_unexpected;
}

static void report(const struct endpoint *ep)
{
	const struct mctp_counters *c = mctp_get_counters(&ep->mctp);

	printf("endpoint[%s]: EID %u; %u packets and %u messages in, %u "
	       "packets out, %u dropped; %lu echoes\n",
	       ep->name, mctp_get_eid(&ep->mctp), c->rx_packets, c->rx_messages,
	       c->tx_packets, drops(c), ep->echoed);
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: mctp-endpoint [--smbus PATH] [--serial LINK] "
		"[options]\n"
		"MCTP endpoint for the demo: answers control requests and "
		"echoes\nvendor-defined (PCI 0x%04X) messages.\n\n"
		"  --smbus PATH    wait for a bus owner on an SMBus wire: a "
		"UNIX\n"
		"                  SOCK_SEQPACKET socket created at PATH\n"
		"  --serial LINK   create a pseudo-terminal for a serial line "
		"and make\n"
		"                  LINK a symbolic link to its slave side\n"
		"  --addr A        our 7-bit SMBus address (default 0x1d)\n"
		"  --uuid UUID     our endpoint UUID (32 hex digits, dashes "
		"allowed)\n"
		"  --timeout S     give up after S seconds (default 30)\n"
		"  -v, --verbose   log libmctp debug messages to stderr\n"
		"  -h, --help      show this help\n\n"
		"Exits 0 once the bus owner has hung up on every link, 1 on "
		"errors or\ntimeout, 2 on usage errors.\n",
		DEMO_VENDOR_ID);
}

static int parse_uint(const char *s, unsigned long max, unsigned int *out)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 0);
	if (errno || end == s || *end || v > max)
		return -1;
	*out = (unsigned int)v;
	return 0;
}

static int parse_uuid(const char *s, uint8_t uuid[16])
{
	unsigned int n = 0, hi = 0;

	for (; *s; s++) {
		int v;

		if (*s == '-')
			continue;
		if (*s >= '0' && *s <= '9')
			v = *s - '0';
		else if ((*s | 0x20) >= 'a' && (*s | 0x20) <= 'f')
			v = (*s | 0x20) - 'a' + 10;
		else
			return -1;
		if (n >= 32)
			return -1;
		if (n % 2)
			uuid[n / 2] = (uint8_t)(hi << 4 | (unsigned int)v);
		else
			hi = (unsigned int)v;
		n++;
	}
	return n == 32 ? 0 : -1;
}

static int parse_args(int argc, char **argv, struct options *o)
{
	static const struct option longopts[] = {
		{"smbus", required_argument, NULL, 's'},
		{"serial", required_argument, NULL, 'l'},
		{"addr", required_argument, NULL, 'a'},
		{"uuid", required_argument, NULL, 'u'},
		{"timeout", required_argument, NULL, 't'},
		{"verbose", no_argument, NULL, 'v'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	int c;

	while ((c = getopt_long(argc, argv, "vh", longopts, NULL)) != -1) {
		switch (c) {
		case 's':
			o->smbus_path = optarg;
			break;
		case 'l':
			o->serial_link = optarg;
			break;
		case 'a':
			if (parse_uint(optarg, 0x7F, &o->addr)) {
				fprintf(stderr,
					"mctp-endpoint: bad address "
					"'%s' (0..0x7f)\n",
					optarg);
				return -1;
			}
			break;
		case 'u':
			if (parse_uuid(optarg, o->ctrl_cfg.uuid)) {
				fprintf(stderr,
					"mctp-endpoint: bad UUID "
					"'%s'\n",
					optarg);
				return -1;
			}
			break;
		case 't':
			if (parse_uint(optarg, 3600, &o->timeout_s) ||
			    !o->timeout_s) {
				fprintf(stderr,
					"mctp-endpoint: bad timeout "
					"'%s' (1..3600 s)\n",
					optarg);
				return -1;
			}
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
	}
	if (optind < argc || (!o->smbus_path && !o->serial_link)) {
		fprintf(stderr, "mctp-endpoint: give --smbus and/or --serial "
				"(see --help)\n");
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	static const struct mctp_ctrl_vendor_set vendor_sets[] = {
		{.format = MCTP_CTRL_VENDOR_FORMAT_PCI,
		 .vendor_id = DEMO_VENDOR_ID,
		 .command_set = DEMO_COMMAND_SET},
	};
	/* Large (reassembly buffers): static, not on the stack. */
	static struct smbus_endpoint smbus_ep;
	static struct serial_endpoint serial_ep;
	/* An arbitrary version 4 UUID for the demo device. */
	static const uint8_t default_uuid[16] = {
		0x0f, 0x3c, 0x6a, 0x52, 0x9d, 0x1e, 0x4b, 0x7a,
		0x8c, 0x55, 0x2e, 0x4f, 0x1a, 0x6b, 0x9d, 0x03,
	};
	struct options o = {.addr = 0x1d, .timeout_s = 30};
	struct sigaction sa = {.sa_handler = on_signal};
	uint32_t start;
	int rc = 0, status = 1;

	memcpy(o.ctrl_cfg.uuid, default_uuid, sizeof(default_uuid));
	o.ctrl_cfg.endpoint_type = MCTP_CTRL_ENDPOINT_TYPE_SIMPLE;
	o.ctrl_cfg.vendor_sets = vendor_sets;
	o.ctrl_cfg.n_vendor_sets = 1;
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (parse_args(argc, argv, &o))
		return 2;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	smbus_ep.listen_fd = smbus_ep.port.fd = -1;
	serial_ep.hold_fd = serial_ep.port.fd = -1;
	smbus_ep.ep.done = !o.smbus_path;
	serial_ep.ep.done = !o.serial_link;
	if (o.smbus_path && (rc = smbus_open(&smbus_ep, &o)) < 0) {
		fprintf(stderr, "mctp-endpoint: SMBus link %s: %s\n",
			o.smbus_path, strerror(-rc));
		goto out;
	}
	if (o.serial_link && (rc = serial_open(&serial_ep, &o)) < 0) {
		fprintf(stderr, "mctp-endpoint: serial link %s: %s\n",
			o.serial_link, strerror(-rc));
		goto out;
	}

	start = prot_posix_now_ms();
	while (!smbus_ep.ep.done || !serial_ep.ep.done) {
		struct pollfd fds[2];
		nfds_t n = 0;

		if (stop_signal) {
			printf("endpoint: stopped by signal %d\n",
			       (int)stop_signal);
			status = 0;
			goto out;
		}
		if (prot_posix_now_ms() - start >= o.timeout_s * 1000u) {
			fprintf(stderr, "mctp-endpoint: timed out after %u s\n",
				o.timeout_s);
			goto out;
		}
		if (!smbus_ep.ep.done)
			fds[n++] = (struct pollfd){
				.fd = smbus_ep.port.fd >= 0
					      ? smbus_ep.port.fd
					      : smbus_ep.listen_fd,
				.events = POLLIN,
			};
		if (!serial_ep.ep.done)
			fds[n++] = (struct pollfd){.fd = serial_ep.port.fd,
						   .events = POLLIN};
		/* Wake at least every 100 ms for timeouts and signals. */
		(void)poll(fds, n, 100);
		smbus_turn(&smbus_ep);
		serial_turn(&serial_ep);
	}
	status = 0;
out:
	if (o.smbus_path) {
		report(&smbus_ep.ep);
		printf("endpoint[smbus]: %u frames in, %u bad PEC, %u not for "
		       "us\n",
		       smbus_ep.smbus.counters.rx_frames,
		       smbus_ep.smbus.counters.rx_bad_pec,
		       smbus_ep.smbus.counters.rx_bad_address);
		if (smbus_ep.listen_fd >= 0)
			close(smbus_ep.listen_fd);
		if (smbus_ep.port.fd >= 0)
			close(smbus_ep.port.fd);
		if (smbus_ep.created)
			(void)unlink(o.smbus_path);
	}
	if (o.serial_link) {
		report(&serial_ep.ep);
		printf("endpoint[serial]: %u frames in, %u bad FCS\n",
		       serial_ep.serial.counters.rx_frames,
		       serial_ep.serial.counters.rx_bad_fcs);
		if (serial_ep.hold_fd >= 0)
			close(serial_ep.hold_fd);
		if (serial_ep.port.fd >= 0)
			close(serial_ep.port.fd);
		if (serial_ep.created)
			(void)unlink(o.serial_link);
	}
	return status;
}
