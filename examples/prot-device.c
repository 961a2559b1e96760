/* SPDX-License-Identifier: Apache-2.0 */
/*
 * prot-device: the emulated Platform Root of Trust (first cut).
 *
 *   prot-device run --smbus PATH [--addr N] [--pki DIR] [--timeout S]
 *
 * Serves MCTP on an SMBus wire (a UNIX SOCK_SEQPACKET socket created at
 * PATH, carrying DSP0237 frames) through the POSIX port:
 *   - the MCTP control protocol responder (Set/Get Endpoint ID, UUID,
 *     versions, message types);
 *   - SPDM over MCTP (DSP0275, message type 0x05) with the libspdm-lite
 *     responder: GET_VERSION, GET_CAPABILITIES, NEGOTIATE_ALGORITHMS.
 * It does not serve certificates, challenges or measurements yet: the
 * capabilities it reports say so (no CERT, CHAL or MEAS flags).
 *
 * One update agent at a time; when it hangs up, the device waits for the
 * next one with a fresh MCTP stack and SPDM state (as after a reset: the
 * EID is forgotten).
 *
 * Exit status: 0 on SIGINT/SIGTERM, or when --timeout expires with no
 * error; 1 on an error (socket, key file); 2 on a usage error.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
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
#include "spdm/responder.h"

#define EXIT_USAGE 2

/* The largest SPDM message one MCTP message can carry. */
#define SPDM_SIZE                                                              \
	(MCTP_MAX_MESSAGE_SIZE - 1u < SPDM_MAX_MSG_SIZE                        \
		 ? MCTP_MAX_MESSAGE_SIZE - 1u                                  \
		 : SPDM_MAX_MSG_SIZE)

struct options {
	const char *smbus_path;
	const char *pki_dir;
	unsigned int addr;
	unsigned int timeout_s; /* 0: run until a signal */
	bool verbose;
};

struct device {
	struct mctp mctp;
	struct mctp_ctrl ctrl;
	struct mctp_smbus smbus;
	struct prot_posix_smbus port;
	struct spdm_responder responder;
	struct prot_spdm_mctp spdm;
	struct prot_crypto crypto;
	uint8_t last_version; /* last SPDM version reported */
};

static volatile sig_atomic_t stop_signal;

static void on_signal(int sig)
{
	stop_signal = sig;
}

static const uint8_t spdm_versions[] = {SPDM_VERSION_10, SPDM_VERSION_11,
					SPDM_VERSION_12, SPDM_VERSION_13};

static const struct spdm_responder_config spdm_cfg = {
	.versions = spdm_versions,
	.n_versions = sizeof(spdm_versions),
	.ct_exponent = 12,
	/* No certificate, challenge or measurement support yet. */
	.flags = 0,
	.data_transfer_size = SPDM_SIZE,
	.max_spdm_msg_size = SPDM_SIZE,
	.base_asym_algo = SPDM_ASYM_ALGO_ECDSA_P384 | SPDM_ASYM_ALGO_ECDSA_P256,
	.base_hash_algo = SPDM_HASH_ALGO_SHA_384 | SPDM_HASH_ALGO_SHA_256 |
			  SPDM_HASH_ALGO_SHA_512,
};

/* An arbitrary version 4 UUID for the emulated device. */
static const struct mctp_ctrl_config ctrl_cfg = {
	.uuid = {0x5a, 0x0e, 0x31, 0xc2, 0x7b, 0x44, 0x4d, 0x1f, 0x93, 0x6a,
		 0x0c, 0xe8, 0x52, 0x17, 0xb9, 0x4e},
	.endpoint_type = MCTP_CTRL_ENDPOINT_TYPE_SIMPLE,
};

static void eid_changed(void *ctx, uint8_t eid)
{
	(void)ctx;
	printf("prot-device: update agent set our EID to %u\n", eid);
}

static const struct mctp_ctrl_ops ctrl_ops = {
	.eid_changed = eid_changed,
};

/* A fresh stack for a new connection on @fd. */
static int device_setup(struct device *d, int fd, const struct options *o)
{
	struct mctp_config cfg = {
		.eid = MCTP_EID_NULL,
		.now_ms = prot_posix_now_ms(),
		.log_ops = &prot_posix_log_ops,
		.log_ctx = "prot-device",
		.log_level = o->verbose ? MCTP_LOG_DEBUG : MCTP_LOG_WARNING,
	};
	int rc;

	d->port.fd = fd;
	d->port.tx_timeout_ms = 0;
	d->last_version = 0;
	rc = mctp_init(&d->mctp, &cfg);
	if (!rc)
		rc = mctp_smbus_init(&d->smbus, &prot_posix_smbus_ops, &d->port,
				     (uint8_t)o->addr);
	if (!rc)
		rc = mctp_bus_register(&d->mctp, &d->smbus.binding);
	if (rc >= 0)
		rc = mctp_ctrl_init(&d->ctrl, &d->mctp, &ctrl_cfg, &ctrl_ops,
				    d);
	if (!rc)
		rc = spdm_responder_init(&d->responder, &spdm_cfg,
					 &prot_crypto_ops, &d->crypto);
	if (!rc)
		rc = prot_spdm_mctp_init(&d->spdm, &d->mctp, &d->responder,
					 NULL, NULL, NULL);
	mctp_poll(&d->mctp, prot_posix_now_ms());
	return rc;
}

static void report_spdm(struct device *d)
{
	const struct spdm_connection_info *c =
		spdm_responder_connection(&d->responder);

	if (!c || c->version == d->last_version)
		return;
	d->last_version = c->version;
	printf("prot-device: SPDM %u.%u connection negotiated (hash 0x%x, "
	       "signature 0x%x)\n",
	       c->version >> 4, c->version & 0xFu, c->base_hash_algo,
	       c->base_asym_algo);
}

static void report_counters(const struct device *d)
{
	const struct mctp_counters *m = mctp_get_counters(&d->mctp);
	const struct prot_spdm_mctp_counters *s =
		prot_spdm_mctp_get_counters(&d->spdm);

	printf("prot-device: EID %u; %u MCTP messages in; SPDM: %u requests "
	       "answered, %u dropped (IC bit set)\n",
	       mctp_get_eid(&d->mctp), m->rx_messages, s->tx_responses,
	       s->drop_ic);
}

static bool expired(uint32_t start, const struct options *o)
{
	return o->timeout_s &&
	       prot_posix_now_ms() - start >= o->timeout_s * 1000u;
}

/* Serve one connection until hang-up, signal or timeout. Returns 0 on
 * hang-up, 1 to stop (signal or timeout). */
static int serve(struct device *d, uint32_t start, const struct options *o)
{
	for (;;) {
		int rc;

		if (stop_signal || expired(start, o))
			return 1;
		rc = prot_posix_smbus_service(&d->port, &d->smbus, 100);
		report_spdm(d);
		if (rc < 0) {
			if (rc != -ECONNRESET)
				fprintf(stderr, "prot-device: link: %s\n",
					strerror(-rc));
			printf("prot-device: update agent hung up\n");
			return 0;
		}
	}
}

static int load_pki(struct device *d, const char *dir)
{
	char path[PATH_MAX];
	int rc;

	if ((size_t)snprintf(path, sizeof(path), "%s/leaf.key.pem", dir) >=
	    sizeof(path))
		return -ENAMETOOLONG;
	rc = prot_crypto_load_slot_key_file(&d->crypto, 0, path);
	if (rc < 0) {
		fprintf(stderr, "prot-device: %s: %s\n", path, strerror(-rc));
		return rc;
	}
	printf("prot-device: slot 0 key loaded from %s (not used yet: "
	       "certificates, CHALLENGE and measurements are not served)\n",
	       path);
	return 0;
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: prot-device run --smbus PATH [options]\n"
		"The emulated Platform Root of Trust (first cut). Serves, on "
		"an SMBus\nwire, the MCTP control protocol and SPDM over MCTP "
		"(DSP0275): version,\ncapabilities and algorithm negotiation "
		"only. Certificates, CHALLENGE\nand measurements are not "
		"served yet (no CERT/CHAL/MEAS capability).\n\n"
		"  --smbus PATH   create the SMBus wire: a UNIX SOCK_SEQPACKET "
		"socket at\n"
		"                 PATH; update agents connect one at a time\n"
		"  --addr N       our 7-bit SMBus address (default 0x1d)\n"
		"  --pki DIR      load the slot 0 private key from "
		"DIR/leaf.key.pem\n"
		"                 (checked and held, not used yet)\n"
		"  --timeout S    stop after S seconds (default: run until "
		"SIGINT/SIGTERM)\n"
		"  -v, --verbose  log libmctp debug messages to stderr\n"
		"  -h, --help     show this help\n\n"
		"Exit status: 0 stopped by a signal or --timeout, 1 error "
		"(socket, key\nfile), 2 usage error.\n");
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
		{"addr", required_argument, NULL, 'a'},
		{"pki", required_argument, NULL, 'p'},
		{"timeout", required_argument, NULL, 't'},
		{"verbose", no_argument, NULL, 'v'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	int c, idx = 0, bad = 0;

	if (argc >= 2 &&
	    (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		usage(stdout);
		exit(0);
	}
	if (argc < 2 || strcmp(argv[1], "run")) {
		fprintf(stderr,
			"prot-device: %s%s (the only command is "
			"'run'; see --help)\n",
			argc < 2 ? "no command" : "unknown command ",
			argc < 2 ? "" : argv[1]);
		return -1;
	}
	optind = 2;
	while ((c = getopt_long(argc, argv, "vh", longopts, &idx)) != -1) {
		switch (c) {
		case 's':
			o->smbus_path = optarg;
			break;
		case 'a':
			bad = parse_uint(optarg, 0x08, 0x77, &o->addr);
			break;
		case 'p':
			o->pki_dir = optarg;
			break;
		case 't':
			bad = parse_uint(optarg, 1, 86400, &o->timeout_s);
			break;
		case 'v':
			o->verbose = true;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		default:
			fprintf(stderr, "prot-device: see --help\n");
			return -1;
		}
		if (bad) {
			fprintf(stderr,
				"prot-device: bad value '%s' for --%s (see "
				"--help)\n",
				optarg, longopts[idx].name);
			return -1;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "prot-device: unexpected argument '%s'\n",
			argv[optind]);
		return -1;
	}
	if (!o->smbus_path) {
		fprintf(stderr, "prot-device: --smbus PATH is required (see "
				"--help)\n");
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	/* Large (reassembly and message buffers): static. */
	static struct device dev;
	struct options o = {.addr = 0x1d};
	struct sigaction sa = {.sa_handler = on_signal};
	uint32_t start;
	int listen_fd, rc, status = 1;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (parse_args(argc, argv, &o))
		return EXIT_USAGE;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	rc = prot_crypto_init(&dev.crypto);
	if (rc < 0) {
		fprintf(stderr, "prot-device: crypto: %s\n", strerror(-rc));
		return 1;
	}
	if (o.pki_dir && load_pki(&dev, o.pki_dir) < 0)
		goto out_crypto;
	listen_fd = prot_posix_smbus_listen(o.smbus_path);
	if (listen_fd < 0) {
		fprintf(stderr, "prot-device: %s: %s\n", o.smbus_path,
			strerror(-listen_fd));
		goto out_crypto;
	}
	printf("prot-device: listening on %s, SMBus address 0x%02x; serving "
	       "MCTP control and SPDM (version, capabilities, algorithms)\n",
	       o.smbus_path, o.addr);

	start = prot_posix_now_ms();
	for (;;) {
		int fd;

		if (stop_signal || expired(start, &o))
			break;
		fd = prot_posix_smbus_accept(listen_fd, 100);
		if (fd == -ETIMEDOUT || fd == -EINTR)
			continue;
		if (fd < 0) {
			fprintf(stderr, "prot-device: accept: %s\n",
				strerror(-fd));
			goto out_listen;
		}
		printf("prot-device: update agent connected\n");
		rc = device_setup(&dev, fd, &o);
		if (rc < 0) {
			fprintf(stderr, "prot-device: stack setup: %s\n",
				strerror(-rc));
			close(fd);
			goto out_listen;
		}
		rc = serve(&dev, start, &o);
		report_counters(&dev);
		close(fd);
		if (rc)
			break;
	}
	if (stop_signal)
		printf("prot-device: stopped by signal %d\n", (int)stop_signal);
	else
		printf("prot-device: --timeout reached, stopping\n");
	status = 0;
out_listen:
	close(listen_fd);
	(void)unlink(o.smbus_path);
out_crypto:
	prot_crypto_free(&dev.crypto);
	return status;
}
