/* SPDX-License-Identifier: Apache-2.0 */
/*
 * prot-device: the emulated Platform Root of Trust.
 *
 *   prot-device run --smbus PATH [--addr N] [--slot0-certs FILES
 *                   --slot0-key FILE] [--firmware FILE] [options]
 *
 * Serves MCTP on an SMBus wire (a UNIX SOCK_SEQPACKET socket created at
 * PATH, carrying DSP0237 frames) through the POSIX port:
 *   - the MCTP control protocol responder (Set/Get Endpoint ID, UUID,
 *     versions, message types);
 *   - SPDM over MCTP (DSP0275, message type 0x05) with the libspdm-lite
 *     responder: GET_VERSION, GET_CAPABILITIES, NEGOTIATE_ALGORITHMS,
 *     GET_DIGESTS, GET_CERTIFICATE and CHALLENGE (slots given a chain
 *     and key; CHALLENGE when this libspdm-lite has it), and
 *     GET_MEASUREMENTS, signed with the slot key when one was given.
 *
 * Certificate slots: --slotN-certs takes a comma-separated list of
 * certificate files, root (or the certificate a verifier trusts) first and
 * leaf last; each file is PEM (one or more certificates) or DER (one).
 * The SPDM certificate chain (DSP0274: Length, Reserved, RootHash, the DER
 * certificates) is built from them at start-up with the RootHash of
 * --chain-hash (SHA-384 by default): as every chain's RootHash is of that
 * hash, it is the only BaseHashAlgo the device negotiates. --slotN-key is
 * the leaf's private key (PEM or DER, P-256 or P-384); at start-up the
 * device signs a test digest with it and checks the signature with the
 * leaf certificate's key, so a key that does not match is refused.
 *
 * Measurements: the values of the EMULATED device, not of this host:
 *   index 1  immutable ROM     digest of a built-in "boot ROM" string
 *   index 2  mutable firmware  digest of --firmware FILE (default: a
 *                              built-in test image)
 *   index 3  firmware config   digest of a built-in configuration string
 * Digests use the negotiated MeasurementHashAlgo. An SVN block is not
 * served: the library sends a block either as a digest or, when the
 * requester asks, every block raw, and an SVN is only useful raw.
 *
 * One update agent at a time; when it hangs up, the device waits for the
 * next one with a fresh MCTP stack and SPDM state (as after a reset: the
 * EID is forgotten).
 *
 *   prot-device run --spdm-emu-listen PORT [--spdm-emu-addr A] [...]
 *
 * serves the same SPDM responder over the spdm-emu TCP protocol
 * (transport MCTP) instead, as DMTF's spdm_responder_emu does: one
 * requester at a time, the SPDM state kept across connections (CONTINUE),
 * stopping on SHUTDOWN. PORT 0 lets the kernel pick; the port is printed.
 *
 * Exit status: 0 on SIGINT/SIGTERM, or when --timeout expires with no
 * error; 1 on an error (socket, certificate or key file); 2 on a usage
 * error.
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
#include "spdm/responder.h"

/* CHALLENGE came with spdm/challenge.h (included by spdm/responder.h). */
#ifdef SPDM_CHAL_VERDICT_VERIFIED
#define CHAL_FLAG SPDM_RSP_CHAL_CAP
#else
#define CHAL_FLAG 0u
#endif

#define EXIT_USAGE 2

/* The largest SPDM message one MCTP message can carry. */
#define SPDM_SIZE                                                              \
	(MCTP_MAX_MESSAGE_SIZE - 1u < SPDM_MAX_MSG_SIZE                        \
		 ? MCTP_MAX_MESSAGE_SIZE - 1u                                  \
		 : SPDM_MAX_MSG_SIZE)

/* Largest --firmware image. */
#define MAX_FIRMWARE_SIZE (4u * 1024u * 1024u)
/* Certificate files in one --slotN-certs list. */
#define MAX_CERT_FILES PROT_CRYPTO_MAX_CHAIN_CERTS

struct options {
	const char *smbus_path;
	const char *certs[SPDM_MAX_SLOTS];
	const char *keys[SPDM_MAX_SLOTS];
	const char *firmware;
	const char *emu_addr; /* NULL: 127.0.0.1 */
	int emu_port;         /* -1: no spdm-emu listener */
	unsigned int addr;
	unsigned int timeout_s; /* 0: run until a signal */
	enum spdm_hash_alg chain_hash;
	bool verbose;
};

/* The emulated device's measured state. */
struct emulated_fw {
	struct prot_crypto *crypto;
	const uint8_t *image;
	size_t image_len;
	struct spdm_hash_state hs;
};

struct device {
	struct mctp mctp;
	struct mctp_ctrl ctrl;
	struct mctp_smbus smbus;
	struct prot_posix_smbus port;
	struct spdm_responder responder;
	struct prot_spdm_mctp spdm;
	struct prot_crypto crypto;
	struct emulated_fw fw;
	uint8_t last_version; /* last SPDM version reported */
	uint32_t asym_algos;  /* BaseAsymAlgo bits of the slot keys */
	uint8_t chains[SPDM_MAX_SLOTS][SPDM_MAX_CERT_CHAIN_SIZE];
	uint8_t firmware[MAX_FIRMWARE_SIZE];
};

static volatile sig_atomic_t stop_signal;

static void on_signal(int sig)
{
	stop_signal = sig;
}

/* The emulated device's built-in contents. */
static const char emulated_rom[] =
	"prot-device emulated boot ROM, immutable, revision 1";
static const char emulated_config[] =
	"prot-device emulated firmware configuration: secure-boot=on "
	"debug=off rollback-protection=on";
static const char emulated_image[] =
	"prot-device built-in test firmware image, version 1.0.0";

static const uint8_t spdm_versions[] = {SPDM_VERSION_10, SPDM_VERSION_11,
					SPDM_VERSION_12, SPDM_VERSION_13};

/* Filled in by main() from the options, then read-only. */
static struct spdm_responder_config spdm_cfg = {
	.versions = spdm_versions,
	.n_versions = sizeof(spdm_versions),
	.ct_exponent = 12,
	.data_transfer_size = SPDM_SIZE,
	.max_spdm_msg_size = SPDM_SIZE,
	.measurement_specification = SPDM_MEASUREMENT_SPEC_DMTF,
	.measurement_hash_algo = SPDM_MEAS_HASH_SHA_384 |
				 SPDM_MEAS_HASH_SHA_256 |
				 SPDM_MEAS_HASH_SHA_512,
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

static int digest_of(struct prot_crypto *c, struct spdm_hash_state *hs,
		     enum spdm_hash_alg alg, const void *data, size_t len,
		     uint8_t *out)
{
	int rc = prot_crypto_ops.hash_init(c, hs, alg);

	if (rc)
		return rc;
	rc = prot_crypto_ops.hash_update(c, hs, data, len);
	if (rc) {
		prot_crypto_ops.hash_abort(c, hs);
		return rc;
	}
	return prot_crypto_ops.hash_final(c, hs, out);
}

static int meas_count(void *ctx)
{
	(void)ctx;
	return 3;
}

static int meas_block(void *ctx, uint8_t index, enum spdm_hash_alg hash,
		      uint8_t *type, bool *raw, uint8_t *value,
		      size_t *value_len)
{
	struct emulated_fw *fw = ctx;
	const void *data;
	size_t len, h;

	switch (index) {
	case 1:
		*type = SPDM_MEAS_TYPE_IMMUTABLE_ROM;
		data = emulated_rom;
		len = sizeof(emulated_rom) - 1;
		break;
	case 2:
		*type = SPDM_MEAS_TYPE_MUTABLE_FIRMWARE;
		data = fw->image;
		len = fw->image_len;
		break;
	case 3:
		*type = SPDM_MEAS_TYPE_FIRMWARE_CONFIG;
		data = emulated_config;
		len = sizeof(emulated_config) - 1;
		break;
	default:
		return -ENOENT;
	}
	h = spdm_hash_size(hash);
	/* The image may be large: hash it here rather than hand it raw
	 * (raw only when the connection measures without a hash). */
	if (index == 2 && h) {
		if (*value_len < h)
			return -EMSGSIZE;
		*raw = false;
		*value_len = h;
		return digest_of(fw->crypto, &fw->hs, hash, data, len, value);
	}
	if (*value_len < len)
		return -EMSGSIZE;
	*raw = true;
	memcpy(value, data, len);
	*value_len = len;
	return 0;
}

static const struct spdm_measurement_ops meas_ops = {
	.count = meas_count,
	.block = meas_block,
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

static const char *hash_name(enum spdm_hash_alg alg)
{
	switch (alg) {
	case SPDM_HASH_SHA256:
		return "SHA-256";
	case SPDM_HASH_SHA384:
		return "SHA-384";
	case SPDM_HASH_SHA512:
		return "SHA-512";
	default:
		return "none";
	}
}

static void report_spdm(struct device *d)
{
	const struct spdm_connection_info *c =
		spdm_responder_connection(&d->responder);

	if (!c || c->version == d->last_version)
		return;
	d->last_version = c->version;
	printf("prot-device: SPDM %u.%u connection negotiated (hash %s, "
	       "signature %s, measurements %s)\n",
	       c->version >> 4, c->version & 0xFu, hash_name(c->hash),
	       c->asym == SPDM_ASYM_ECDSA_P384   ? "ECDSA P-384"
	       : c->asym == SPDM_ASYM_ECDSA_P256 ? "ECDSA P-256"
						 : "none",
	       hash_name(c->measurement_hash));
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

/* Append the DER certificates of @path (PEM, any number, or one DER) to
 * @chain at *@len. Returns the number added, or -1 (reported). */
static int add_cert_file(const char *path, uint8_t *chain, size_t *len)
{
	mbedtls_x509_crt crt;
	const mbedtls_x509_crt *p;
	int n = 0, rc;

	mbedtls_x509_crt_init(&crt);
	rc = mbedtls_x509_crt_parse_file(&crt, path);
	if (rc) {
		fprintf(stderr,
			"prot-device: %s: not a readable PEM or DER "
			"certificate (mbedTLS -0x%04x)\n",
			path, (unsigned int)-rc);
		mbedtls_x509_crt_free(&crt);
		return -1;
	}
	for (p = &crt; p && p->raw.len; p = p->next) {
		if (p->raw.len > SPDM_MAX_CERT_CHAIN_SIZE - *len) {
			fprintf(stderr,
				"prot-device: %s: the chain exceeds %u "
				"bytes (spdm_max_cert_chain_size)\n",
				path, SPDM_MAX_CERT_CHAIN_SIZE);
			mbedtls_x509_crt_free(&crt);
			return -1;
		}
		memcpy(chain + *len, p->raw.p, p->raw.len);
		*len += p->raw.len;
		n++;
	}
	mbedtls_x509_crt_free(&crt);
	return n;
}

/* Check the chain as a verifier that trusts its first certificate would
 * (X.509 path, key usages), then sign a test digest with the slot key and
 * verify it with the leaf's public key: a chain that does not verify or a
 * key that does not belong to the leaf is refused here rather than found
 * out by the verifier. @certs: the DER certificates, root first. */
static int check_chain_and_key(struct device *d, uint8_t slot,
			       const uint8_t *certs, size_t len,
			       size_t root_len, const char **what,
			       enum spdm_asym_alg *alg_out)
{
	static const uint8_t digest[48] = {0x70, 0x72, 0x6f, 0x74};
	static struct prot_crypto verifier;
	uint8_t sig[SPDM_MAX_SIG_SIZE], pub[SPDM_MAX_PUBKEY_SIZE];
	size_t pub_len = sizeof(pub), sig_len;
	enum spdm_asym_alg alg;
	int rc;

	*what = "the chain does not verify from its first certificate";
	rc = prot_crypto_init(&verifier);
	if (!rc)
		rc = prot_crypto_add_trust_anchor(&verifier, certs, root_len);
	if (!rc)
		rc = prot_crypto_ops.chain_verify(&verifier, certs, len, pub,
						  &pub_len);
	prot_crypto_free(&verifier);
	if (rc)
		return rc;
	*what = "the key does not match the leaf certificate";
	alg = pub_len == 97 ? SPDM_ASYM_ECDSA_P384 : SPDM_ASYM_ECDSA_P256;
	*alg_out = alg;
	sig_len = alg == SPDM_ASYM_ECDSA_P384 ? 96u : 64u;
	rc = prot_crypto_ops.sign(&d->crypto, slot, alg, digest, sizeof(digest),
				  sig, sig_len);
	if (rc)
		return rc;
	return prot_crypto_ops.verify(&d->crypto, alg, pub, pub_len, digest,
				      sizeof(digest), sig, sig_len);
}

/* Build the SPDM certificate chain of @slot from its files and load its
 * key. Returns 0 or -1 (reported). */
static int load_slot(struct device *d, uint8_t slot, const struct options *o)
{
	uint8_t *chain = d->chains[slot];
	size_t h = spdm_hash_size(o->chain_hash), len, first;
	char list[PATH_MAX * 2], *save = NULL, *path;
	const char *what = "";
	enum spdm_asym_alg alg = SPDM_ASYM_NONE;
	mbedtls_x509_crt root;
	int n = 0, rc, files = 0;

	if ((size_t)snprintf(list, sizeof(list), "%s", o->certs[slot]) >=
	    sizeof(list)) {
		fprintf(stderr, "prot-device: --slot%u-certs: too long\n",
			slot);
		return -1;
	}
	len = first = SPDM_CERT_CHAIN_HEADER_SIZE + h;
	for (path = strtok_r(list, ",", &save); path;
	     path = strtok_r(NULL, ",", &save)) {
		if (files++ >= MAX_CERT_FILES) {
			fprintf(stderr,
				"prot-device: --slot%u-certs: more than %d "
				"files\n",
				slot, MAX_CERT_FILES);
			return -1;
		}
		rc = add_cert_file(path, chain, &len);
		if (rc < 0)
			return -1;
		n += rc;
	}
	if (n < 1 || n > PROT_CRYPTO_MAX_CHAIN_CERTS || len > 0xFFFFu) {
		fprintf(stderr,
			"prot-device: slot %u: %d certificates (1 to %d, "
			"at most 65535 bytes)\n",
			slot, n, PROT_CRYPTO_MAX_CHAIN_CERTS);
		return -1;
	}
	/* Header: Length, Reserved; RootHash of the first certificate. */
	chain[0] = (uint8_t)len;
	chain[1] = (uint8_t)(len >> 8);
	chain[2] = chain[3] = 0;
	mbedtls_x509_crt_init(&root);
	rc = mbedtls_x509_crt_parse_der(&root, chain + first, len - first);
	if (!rc)
		rc = digest_of(&d->crypto, &d->fw.hs, o->chain_hash, root.raw.p,
			       root.raw.len,
			       chain + SPDM_CERT_CHAIN_HEADER_SIZE);
	if (rc) {
		mbedtls_x509_crt_free(&root);
		fprintf(stderr, "prot-device: slot %u: root hash failed\n",
			slot);
		return -1;
	}
	rc = prot_crypto_load_slot_key_file(&d->crypto, slot, o->keys[slot]);
	if (rc < 0) {
		mbedtls_x509_crt_free(&root);
		fprintf(stderr, "prot-device: %s: %s\n", o->keys[slot],
			strerror(-rc));
		return -1;
	}
	rc = check_chain_and_key(d, slot, chain + first, len - first,
				 root.raw.len, &what, &alg);
	mbedtls_x509_crt_free(&root);
	if (rc) {
		fprintf(stderr, "prot-device: slot %u: %s (%s)\n", slot, what,
			strerror(-rc));
		return -1;
	}
	spdm_cfg.cert_slots[slot].chain = chain;
	spdm_cfg.cert_slots[slot].len = len;
	/* Offer only the curves of the slot keys. */
	d->asym_algos |= spdm_asym_alg_to_wire(alg);
	printf("prot-device: slot %u: %d certificates, SPDM chain of %zu "
	       "bytes (RootHash %s); chain and key %s checked\n",
	       slot, n, len, hash_name(o->chain_hash), o->keys[slot]);
	return 0;
}

static int load_firmware(struct device *d, const char *path)
{
	FILE *f = fopen(path, "rb");
	size_t n;

	if (!f) {
		fprintf(stderr, "prot-device: %s: %s\n", path, strerror(errno));
		return -1;
	}
	n = fread(d->firmware, 1, sizeof(d->firmware), f);
	if (ferror(f) || !feof(f) || n == 0) {
		fprintf(stderr,
			"prot-device: %s: unreadable, empty or larger than "
			"%u bytes\n",
			path, MAX_FIRMWARE_SIZE);
		fclose(f);
		return -1;
	}
	fclose(f);
	d->fw.image = d->firmware;
	d->fw.image_len = n;
	return 0;
}

static void print_hex(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		printf("%02x", p[i]);
}

/* Print the emulated measurements (SHA-384) so that a verifier's
 * --expect can be checked by hand. */
static void report_measurements(struct device *d, const struct options *o)
{
	uint8_t dg[SPDM_MAX_HASH_SIZE];

	printf("prot-device: emulated firmware: %s, %zu bytes\n",
	       o->firmware ? o->firmware : "built-in test image",
	       d->fw.image_len);
	if (!digest_of(&d->crypto, &d->fw.hs, SPDM_HASH_SHA384, d->fw.image,
		       d->fw.image_len, dg)) {
		printf("prot-device: measurement 2 (mutable firmware), "
		       "SHA-384: ");
		print_hex(dg, 48);
		printf("\n");
	}
}

/* Serve requesters of the spdm-emu socket protocol (transport MCTP), as
 * DMTF's spdm_responder_emu does: one at a time, the SPDM state kept
 * across connections (CONTINUE), stopping on SHUTDOWN. */
static int run_spdm_emu(struct device *d, uint32_t start,
			const struct options *o)
{
	static struct prot_spdm_emu_responder er;
	int listen_fd, fd, rc, status = 1;

	listen_fd = prot_spdm_emu_listen(o->emu_addr, (uint16_t)o->emu_port);
	if (listen_fd < 0) {
		fprintf(stderr, "prot-device: spdm-emu listen on port %d: %s\n",
			o->emu_port, strerror(-listen_fd));
		return 1;
	}
	rc = spdm_responder_init(&d->responder, &spdm_cfg, &prot_crypto_ops,
				 &d->crypto);
	if (!rc)
		rc = prot_spdm_emu_responder_init(
			&er, &d->responder, PROT_SPDM_EMU_TRANSPORT_MCTP, 0);
	if (rc) {
		fprintf(stderr, "prot-device: spdm-emu setup: %s\n",
			strerror(-rc));
		goto out;
	}
	d->last_version = 0;
	printf("prot-device: listening for spdm-emu requesters on %s port "
	       "%d (transport MCTP)\n",
	       o->emu_addr ? o->emu_addr : "127.0.0.1",
	       prot_spdm_emu_local_port(listen_fd));
	for (;;) {
		if (stop_signal || expired(start, o))
			break;
		fd = prot_spdm_emu_accept(listen_fd, 100);
		if (fd == -ETIMEDOUT || fd == -EINTR)
			continue;
		if (fd < 0) {
			fprintf(stderr, "prot-device: accept: %s\n",
				strerror(-fd));
			goto out;
		}
		printf("prot-device: spdm-emu requester connected\n");
		do {
			rc = prot_spdm_emu_responder_serve(&er, fd, 200);
			report_spdm(d);
		} while (rc == -ETIMEDOUT && !stop_signal &&
			 !expired(start, o));
		close(fd);
		if (rc == PROT_SPDM_EMU_SERVE_SHUTDOWN) {
			printf("prot-device: SHUTDOWN received, stopping\n");
			status = 0;
			goto out;
		}
		printf("prot-device: spdm-emu requester %s (%u SPDM requests "
		       "answered so far)\n",
		       rc == PROT_SPDM_EMU_SERVE_CLOSE ? "ended with CONTINUE"
		       : rc == -ECONNRESET             ? "hung up"
						       : strerror(-rc),
		       prot_spdm_emu_responder_get_counters(&er)->requests);
	}
	if (stop_signal)
		printf("prot-device: stopped by signal %d\n", (int)stop_signal);
	else
		printf("prot-device: --timeout reached, stopping\n");
	status = 0;
out:
	close(listen_fd);
	return status;
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: prot-device run --smbus PATH [options]\n"
		"       prot-device run --spdm-emu-listen PORT [options]\n"
		"The emulated Platform Root of Trust. Serves, on an SMBus "
		"wire, the MCTP\ncontrol protocol and SPDM over MCTP "
		"(DSP0275): version, capabilities,\nalgorithms, digests and "
		"certificates of the slots given a chain, and\n"
		"measurements of the emulated firmware (signed when a slot "
		"has a key).\n\n"
		"  --smbus PATH          create the SMBus wire: a UNIX "
		"SOCK_SEQPACKET\n"
		"                        socket at PATH; update agents "
		"connect one at a time\n"
		"  --addr N              our 7-bit SMBus address (default "
		"0x1d)\n"
		"  --spdm-emu-listen P   instead of --smbus: serve SPDM over "
		"the spdm-emu\n"
		"                        TCP protocol (transport MCTP) on "
		"port P (0: any;\n"
		"                        printed), as spdm_responder_emu; "
		"SHUTDOWN stops\n"
		"  --spdm-emu-addr A     address to listen on (default "
		"127.0.0.1)\n"
		"  --slotN-certs F1,F2.. certificate chain of slot N (0 to "
		"%u): root first,\n"
		"                        leaf last; each file PEM (one or "
		"more) or DER\n"
		"  --slotN-key FILE      the leaf's private key for slot N "
		"(PEM or DER,\n"
		"                        P-256 or P-384); required with "
		"--slotN-certs\n"
		"  --pki DIR             the same as --slot0-certs "
		"DIR/root.cert.pem,\n"
		"                        DIR/inter.cert.pem,DIR/leaf.cert.pem "
		"--slot0-key\n"
		"                        DIR/leaf.key.pem\n"
		"  --chain-hash H        sha384 (default), sha256 or sha512: "
		"the RootHash\n"
		"                        of the chains, and the only hash "
		"negotiated then\n"
		"  --firmware FILE       the image measured as index 2 "
		"(default: built-in)\n"
		"  --timeout S           stop after S seconds (default: run "
		"until\n"
		"                        SIGINT/SIGTERM)\n"
		"  -v, --verbose         log libmctp debug messages to "
		"stderr\n"
		"  -h, --help            show this help\n\n"
		"Measurements (the emulated device's values): 1 immutable "
		"ROM, 2 mutable\nfirmware (--firmware), 3 firmware "
		"configuration.\n\n"
		"Exit status: 0 stopped by a signal or --timeout, 1 error "
		"(socket,\ncertificate, key or firmware file), 2 usage "
		"error.\n",
		SPDM_MAX_SLOTS - 1u);
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

/* --pki DIR: the test PKI layout of tests/pki. */
static int pki_dir(struct options *o, const char *dir)
{
	static char certs[PATH_MAX * 2], key[PATH_MAX];

	if ((size_t)snprintf(certs, sizeof(certs),
			     "%s/root.cert.pem,%s/inter.cert.pem,%s/"
			     "leaf.cert.pem",
			     dir, dir, dir) >= sizeof(certs) ||
	    (size_t)snprintf(key, sizeof(key), "%s/leaf.key.pem", dir) >=
		    sizeof(key))
		return -1;
	o->certs[0] = certs;
	o->keys[0] = key;
	return 0;
}

#define OPT_CERTS 0x100 /* + slot */
#define OPT_KEY 0x110   /* + slot */

static int parse_args(int argc, char **argv, struct options *o)
{
	static const struct option longopts[] = {
		{"smbus", required_argument, NULL, 's'},
		{"addr", required_argument, NULL, 'a'},
		{"pki", required_argument, NULL, 'p'},
		{"chain-hash", required_argument, NULL, 'H'},
		{"firmware", required_argument, NULL, 'f'},
		{"spdm-emu-listen", required_argument, NULL, 'L'},
		{"spdm-emu-addr", required_argument, NULL, 'B'},
		{"timeout", required_argument, NULL, 't'},
		{"verbose", no_argument, NULL, 'v'},
		{"help", no_argument, NULL, 'h'},
		{"slot0-certs", required_argument, NULL, OPT_CERTS + 0},
		{"slot1-certs", required_argument, NULL, OPT_CERTS + 1},
		{"slot2-certs", required_argument, NULL, OPT_CERTS + 2},
		{"slot3-certs", required_argument, NULL, OPT_CERTS + 3},
		{"slot4-certs", required_argument, NULL, OPT_CERTS + 4},
		{"slot5-certs", required_argument, NULL, OPT_CERTS + 5},
		{"slot6-certs", required_argument, NULL, OPT_CERTS + 6},
		{"slot7-certs", required_argument, NULL, OPT_CERTS + 7},
		{"slot0-key", required_argument, NULL, OPT_KEY + 0},
		{"slot1-key", required_argument, NULL, OPT_KEY + 1},
		{"slot2-key", required_argument, NULL, OPT_KEY + 2},
		{"slot3-key", required_argument, NULL, OPT_KEY + 3},
		{"slot4-key", required_argument, NULL, OPT_KEY + 4},
		{"slot5-key", required_argument, NULL, OPT_KEY + 5},
		{"slot6-key", required_argument, NULL, OPT_KEY + 6},
		{"slot7-key", required_argument, NULL, OPT_KEY + 7},
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
		if (c >= OPT_CERTS && c < OPT_KEY + 8) {
			unsigned int slot = (unsigned int)c & 0xFu;

			if (slot >= SPDM_MAX_SLOTS) {
				fprintf(stderr,
					"prot-device: --%s: this build has "
					"%u slots (spdm_max_slots)\n",
					longopts[idx].name, SPDM_MAX_SLOTS);
				return -1;
			}
			if (c < OPT_KEY)
				o->certs[slot] = optarg;
			else
				o->keys[slot] = optarg;
			continue;
		}
		switch (c) {
		case 's':
			o->smbus_path = optarg;
			break;
		case 'a':
			bad = parse_uint(optarg, 0x08, 0x77, &o->addr);
			break;
		case 'p':
			bad = pki_dir(o, optarg);
			break;
		case 'H':
			if (!strcmp(optarg, "sha384"))
				o->chain_hash = SPDM_HASH_SHA384;
			else if (!strcmp(optarg, "sha256"))
				o->chain_hash = SPDM_HASH_SHA256;
			else if (!strcmp(optarg, "sha512"))
				o->chain_hash = SPDM_HASH_SHA512;
			else
				bad = 1;
			break;
		case 'f':
			o->firmware = optarg;
			break;
		case 'L': {
			unsigned int port;

			bad = parse_uint(optarg, 0, 65535, &port);
			o->emu_port = (int)port;
			break;
		}
		case 'B':
			o->emu_addr = optarg;
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
	if (!o->smbus_path == (o->emu_port < 0)) {
		fprintf(stderr, "prot-device: give one of --smbus PATH and "
				"--spdm-emu-listen PORT (see --help)\n");
		return -1;
	}
	for (unsigned int i = 0; i < SPDM_MAX_SLOTS; i++) {
		if (!o->certs[i] != !o->keys[i]) {
			fprintf(stderr,
				"prot-device: slot %u needs both --slot%u-certs "
				"and --slot%u-key\n",
				i, i, i);
			return -1;
		}
	}
	return 0;
}

/* Capabilities from what was loaded. */
static void configure(const struct options *o)
{
	bool chains = false;

	for (unsigned int i = 0; i < SPDM_MAX_SLOTS; i++)
		chains |= o->certs[i] != NULL;
	spdm_cfg.measurement_ops = &meas_ops;
	if (chains) {
		spdm_cfg.flags = SPDM_RSP_CERT_CAP | CHAL_FLAG |
				 SPDM_RSP_MEAS_CAP_SIG;
		spdm_cfg.cert_chain_hash_algo =
			spdm_hash_alg_to_wire(o->chain_hash);
	} else {
		spdm_cfg.flags = SPDM_RSP_MEAS_CAP_NO_SIG;
	}
}

int main(int argc, char **argv)
{
	/* Large (reassembly and message buffers): static. */
	static struct device dev;
	struct options o = {
		.addr = 0x1d,
		.chain_hash = SPDM_HASH_SHA384,
		.emu_port = -1,
	};
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
	dev.fw.crypto = &dev.crypto;
	dev.fw.image = (const uint8_t *)emulated_image;
	dev.fw.image_len = sizeof(emulated_image) - 1;
	if (o.firmware && load_firmware(&dev, o.firmware) < 0)
		goto out_crypto;
	configure(&o);
	spdm_cfg.measurement_ctx = &dev.fw;
	for (uint8_t i = 0; i < SPDM_MAX_SLOTS; i++)
		if (o.certs[i] && load_slot(&dev, i, &o) < 0)
			goto out_crypto;
	if (dev.asym_algos) {
		spdm_cfg.base_asym_algo = dev.asym_algos;
		if (dev.asym_algos & (dev.asym_algos - 1u))
			printf("prot-device: slots with P-256 and P-384 keys: "
			       "ECDSA P-384 is negotiated, the P-256 slots "
			       "cannot sign then\n");
	}
	/* Check the configuration once, before anyone connects. */
	rc = spdm_responder_init(&dev.responder, &spdm_cfg, &prot_crypto_ops,
				 &dev.crypto);
	if (rc < 0) {
		fprintf(stderr, "prot-device: SPDM configuration refused: %s\n",
			strerror(-rc));
		goto out_crypto;
	}
	report_measurements(&dev, &o);
	if (o.emu_port >= 0) {
		status = run_spdm_emu(&dev, prot_posix_now_ms(), &o);
		goto out_crypto;
	}
	listen_fd = prot_posix_smbus_listen(o.smbus_path);
	if (listen_fd < 0) {
		fprintf(stderr, "prot-device: %s: %s\n", o.smbus_path,
			strerror(-listen_fd));
		goto out_crypto;
	}
	printf("prot-device: listening on %s, SMBus address 0x%02x; serving "
	       "MCTP control and SPDM (%s)\n",
	       o.smbus_path, o.addr,
	       spdm_cfg.flags & SPDM_RSP_CERT_CAP
		       ? (CHAL_FLAG ? "certificates, CHALLENGE, signed "
				      "measurements"
				    : "certificates, signed measurements")
		       : "unsigned measurements only: no certificate slot");

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
