/* SPDX-License-Identifier: Apache-2.0 */
/*
 * prot-device: the emulated Platform Root of Trust.
 *
 *   prot-device provision --state DIR --vendor-pub PUB --image IMG...
 *                   [--pki DIR] [--bank-size N]
 *   prot-device run --state DIR --smbus PATH [--addr N] [--log LEVEL]
 *
 * With a state directory the device is the update service's (prot/
 * update.h) on file-backed flash and OTP (prot-posix/flash-file.h):
 * provision creates DIR/flash.bin (metadata, banks A/B per component),
 * DIR/otp.bin (vendor key hash, lifecycle, SVN floors), DIR/identity
 * (SPDM slot 0 chain and key) and DIR/layout (written last), and installs
 * each image through the update API. run boots with prot_boot(), accepts
 * a trial image at its first successful start, measures the booted
 * images, and also serves PLDM (base, and the firmware device of
 * prot/update-fd.h over prot/pldm-mctp.h); after ActivateFirmware it
 * boots again from the flash, in process, so the new image answers next.
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
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <mbedtls/pk.h>
#include <mbedtls/x509_crt.h>

#include "mctp/control.h"
#include "mctp/mctp.h"
#include "mctp/smbus.h"
#include "prot-posix/clock.h"
#include "prot-posix/crypto.h"
#include "prot-posix/flash-file.h"
#include "prot-posix/log.h"
#include "prot-posix/smbus.h"
#include "prot-posix/spdm-emu-spdm.h"
#include "prot/image.h"
#include "prot/spdm-mctp.h"
#include "prot/update.h"
#include "spdm/responder.h"
#ifdef PROT_DEVICE_PLDM
#include "pldm/base.h"
#include "pldm/fw-device.h"
#include "pldm/log.h"
#include "prot/pldm-mctp.h"
#include "prot/update-fd.h"
#endif

#ifndef PROT_DEVICE_PKI
#define PROT_DEVICE_PKI "tests/pki/p384"
#endif

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

enum command { CMD_RUN, CMD_PROVISION };

struct options {
	enum command cmd;
	const char *state_dir;
	const char *vendor_pub;
	const char *images[PROT_UPDATE_MAX_COMPONENTS];
	unsigned int n_images;
	const char *pki;        /* provision: identity source */
	unsigned int bank_size; /* provision: 0 for the default */
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

struct state;

/* The emulated device's measured state. */
struct emulated_fw {
	const struct state *st; /* --state: the booted images */
	struct prot_crypto *crypto;
	const uint8_t *image;
	size_t image_len;
	struct spdm_hash_state hs;
};

/* ---- Device state (--state DIR): flash, OTP, identity ---------------- */

/* Flash geometry of the emulated part. */
#define STATE_ERASE_SIZE 4096u
#define STATE_PROGRAM_SIZE 8u
#define STATE_META_COPY STATE_ERASE_SIZE
/* Banks: --bank-size, else twice the largest provisioned image (room for
 * a bigger update) rounded up to erase blocks, at least
 * STATE_DEFAULT_BANK. */
#define STATE_MIN_BANK (16u * 1024u)
#define STATE_DEFAULT_BANK (256u * 1024u)
#define STATE_MAX_BANK (16u * 1024u * 1024u)
#define STATE_OTP_SIZE 256u
#define STATE_LAYOUT_MAGIC "prot-device-state 1"

struct state {
	char dir[PATH_MAX];
	struct prot_posix_flash_file flash;
	struct prot_posix_otp_file otp;
	struct prot_update_config cfg;
	struct prot_update up;
	struct prot_boot_report rep;
	struct prot_crypto *crypto;
	/* SPDM blocks: index 2 + i is runnable component run[i]. */
	unsigned int n_run;
	unsigned int run[PROT_UPDATE_MAX_COMPONENTS];
};

static enum prot_log_level log_level = PROT_LOG_NOTICE;

static const char *level_name(int level)
{
	static const char *const names[] = {"emerg", "alert",   "crit",
					    "error", "warning", "notice",
					    "info",  "debug"};

	return level >= 0 && level <= 7 ? names[level] : "?";
}

/* Every library's log lines: "prot-device: <lib> <level>: message". */
__attribute__((format(printf, 3, 0))) static void
log_v(const char *who, int level, const char *fmt, va_list ap)
{
	if (level > (int)log_level)
		return;
	fprintf(stderr, "prot-device: %s %s: ", who, level_name(level));
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

__attribute__((format(printf, 3, 4))) static void
prot_log_sink(void *ctx, enum prot_log_level level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_v(ctx ? ctx : "update", (int)level, fmt, ap);
	va_end(ap);
}

static const struct prot_log_ops prot_log = {.log = prot_log_sink};

static int state_path(char *out, size_t cap, const char *dir, const char *name)
{
	return (size_t)snprintf(out, cap, "%s/%s", dir, name) < cap ? 0 : -1;
}

static void layout_setup(struct state *s, uint32_t bank_size,
			 const uint16_t *ids, unsigned int n)
{
	struct prot_update_config *c = &s->cfg;

	memset(c, 0, sizeof(*c));
	c->flash = &s->flash.ops;
	c->otp = &s->otp.ops;
	c->crypto = &prot_crypto_ops;
	c->crypto_ctx = s->crypto;
	c->bank_size = bank_size;
	c->meta_offset = 0;
	c->meta_copy_size = STATE_META_COPY;
	c->max_trial_boots = 1;
	c->n_components = (uint8_t)n;
	for (unsigned int i = 0; i < n; i++) {
		uint32_t base = 2u * STATE_META_COPY + 2u * i * bank_size;

		c->components[i].component_id = ids[i];
		c->components[i].otp_index = (uint8_t)i;
		c->components[i].bank_offset[0] = base;
		c->components[i].bank_offset[1] = base + bank_size;
	}
	c->log_ops = &prot_log;
	c->log_ctx = "update";
	c->log_level = log_level;
}

static uint32_t layout_flash_size(const struct state *s)
{
	return 2u * STATE_META_COPY +
	       2u * s->cfg.n_components * s->cfg.bank_size;
}

/* DIR/layout: the geometry, so that `run` opens what `provision` made. */
static int layout_write(const struct state *s)
{
	char path[PATH_MAX + 16];
	FILE *f;
	int fd;

	if (state_path(path, sizeof(path), s->dir, "layout"))
		return -ENAMETOOLONG;
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	f = fdopen(fd, "w");
	if (!f) {
		close(fd);
		return -ENOMEM;
	}
	fprintf(f, "%s\nbank_size %u\ncomponents %u\n", STATE_LAYOUT_MAGIC,
		s->cfg.bank_size, s->cfg.n_components);
	for (unsigned int i = 0; i < s->cfg.n_components; i++)
		fprintf(f, "component %u\n", s->cfg.components[i].component_id);
	return fclose(f) ? -EIO : 0;
}

/* Reads DIR/layout strictly. Returns 0, -ENOENT or -EBADMSG. */
static int layout_read(struct state *s)
{
	char path[PATH_MAX + 16], line[64];
	uint16_t ids[PROT_UPDATE_MAX_COMPONENTS];
	unsigned int bank, n, id;
	FILE *f;
	int rc = -EBADMSG;

	if (state_path(path, sizeof(path), s->dir, "layout"))
		return -ENAMETOOLONG;
	f = fopen(path, "r");
	if (!f)
		return -errno;
	if (!fgets(line, sizeof(line), f) ||
	    strcmp(line, STATE_LAYOUT_MAGIC "\n") ||
	    fscanf(f, "bank_size %u\ncomponents %u\n", &bank, &n) != 2 ||
	    bank < STATE_MIN_BANK || bank > STATE_MAX_BANK ||
	    bank % STATE_ERASE_SIZE || n < 1 || n > PROT_UPDATE_MAX_COMPONENTS)
		goto out;
	for (unsigned int i = 0; i < n; i++) {
		if (fscanf(f, "component %u\n", &id) != 1 || id > 0xFFFFu)
			goto out;
		ids[i] = (uint16_t)id;
	}
	if (fgetc(f) != EOF)
		goto out;
	layout_setup(s, bank, ids, n);
	rc = 0;
out:
	fclose(f);
	return rc;
}

/* The vendor public key as the 97-byte uncompressed P-384 point, from a
 * PEM/DER public key, a certificate, or the raw point. */
static int read_vendor_pub(const char *path, uint8_t *point)
{
	unsigned char der[256];
	mbedtls_pk_context pk;
	mbedtls_x509_crt crt;
	FILE *f;
	int len = -1;

	f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "prot-device: %s: %s\n", path, strerror(errno));
		return -1;
	}
	if (fread(der, 1, sizeof(der), f) == PROT_IMAGE_PUBKEY_SIZE &&
	    der[0] == 0x04) {
		fclose(f);
		memcpy(point, der, PROT_IMAGE_PUBKEY_SIZE);
		return 0;
	}
	fclose(f);
	mbedtls_pk_init(&pk);
	mbedtls_x509_crt_init(&crt);
	if (!mbedtls_pk_parse_public_keyfile(&pk, path))
		len = mbedtls_pk_write_pubkey_der(&pk, der, sizeof(der));
	else if (!mbedtls_x509_crt_parse_file(&crt, path))
		len = mbedtls_pk_write_pubkey_der(&crt.pk, der, sizeof(der));
	mbedtls_pk_free(&pk);
	mbedtls_x509_crt_free(&crt);
	/* SubjectPublicKeyInfo of P-384: the BIT STRING (unused bits 0)
	 * ending the DER is the uncompressed point. */
	if (len != 120 ||
	    der[sizeof(der) - PROT_IMAGE_PUBKEY_SIZE - 1] != 0x00 ||
	    der[sizeof(der) - PROT_IMAGE_PUBKEY_SIZE] != 0x04) {
		fprintf(stderr,
			"prot-device: %s: not an ECDSA P-384 public key "
			"(PEM or DER public key, certificate, or the raw "
			"97-byte point)\n",
			path);
		return -1;
	}
	memcpy(point, der + sizeof(der) - PROT_IMAGE_PUBKEY_SIZE,
	       PROT_IMAGE_PUBKEY_SIZE);
	return 0;
}

/* Read a whole file into @buf (@cap bytes). Returns its length or -1. */
static long read_file(const char *path, uint8_t *buf, size_t cap)
{
	FILE *f = fopen(path, "rb");
	size_t n;

	if (!f) {
		fprintf(stderr, "prot-device: %s: %s\n", path, strerror(errno));
		return -1;
	}
	n = fread(buf, 1, cap, f);
	if (ferror(f) || !feof(f) || n == 0) {
		fprintf(stderr,
			"prot-device: %s: unreadable, empty or larger than "
			"%zu bytes\n",
			path, cap);
		fclose(f);
		return -1;
	}
	fclose(f);
	return (long)n;
}

static int copy_file(const char *from, const char *to)
{
	static uint8_t buf[64 * 1024];
	long n = read_file(from, buf, sizeof(buf));
	FILE *f;
	int fd;

	if (n < 0)
		return -1;
	fd = open(to, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0 || !(f = fdopen(fd, "wb"))) {
		fprintf(stderr, "prot-device: %s: %s\n", to, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	if (fwrite(buf, 1, (size_t)n, f) != (size_t)n || fclose(f)) {
		fprintf(stderr, "prot-device: %s: write failed\n", to);
		return -1;
	}
	return 0;
}

static const char *const identity_files[] = {"root.cert.pem", "inter.cert.pem",
					     "leaf.cert.pem", "leaf.key.pem"};

static const char *const state_files[] = {"flash.bin", "otp.bin", "layout"};

/* Remove what a failed provisioning created (only those files). */
static void state_remove(const char *dir)
{
	char p[PATH_MAX + 32];

	for (size_t i = 0; i < sizeof(state_files) / sizeof(state_files[0]);
	     i++)
		if (!state_path(p, sizeof(p), dir, state_files[i]))
			(void)unlink(p);
	for (size_t i = 0;
	     i < sizeof(identity_files) / sizeof(identity_files[0]); i++) {
		char q[PATH_MAX + 48];

		if ((size_t)snprintf(q, sizeof(q), "%s/identity/%s", dir,
				     identity_files[i]) < sizeof(q))
			(void)unlink(q);
	}
	if (!state_path(p, sizeof(p), dir, "identity"))
		(void)rmdir(p);
}

static void print_hex(const uint8_t *p, size_t n);

static void say_component(const struct state *s, unsigned int i)
{
	const struct prot_boot_component *b = &s->rep.comp[i];
	const struct prot_image_header *h = &b->header;

	if (b->bank < 0) {
		printf("prot-device: component 0x%04x: no authentic image "
		       "(recovery)\n",
		       s->cfg.components[i].component_id);
		return;
	}
	printf("prot-device: component 0x%04x: bank %c, version "
	       "%u.%u.%u.%u, SVN %u, digest ",
	       h->component_id, b->bank ? 'B' : 'A', h->version_major,
	       h->version_minor, h->version_patch, h->version_build, h->svn);
	print_hex(h->payload_digest, sizeof(h->payload_digest));
	printf("\n");
}

/* Boot from flash; accept a trial at once (policy: a trial image that
 * booted is accepted on its first successful start) and return the
 * components that ran to READY. Fills s->run. Returns 0 or -1. */
static int state_boot(struct state *s)
{
	bool trial = false;
	int rc;

	rc = prot_update_init(&s->up, &s->cfg);
	if (!rc)
		rc = prot_boot(&s->up, &s->rep);
	if (rc) {
		fprintf(stderr, "prot-device: boot from %s/flash.bin: %s\n",
			s->dir, strerror(-rc));
		return -1;
	}
	s->n_run = 0;
	for (unsigned int i = 0; i < s->cfg.n_components; i++) {
		struct prot_update_info info;

		if (!prot_update_query(&s->up, i, &info) &&
		    info.state == PROT_UPDATE_TRIAL)
			trial = true;
		if (s->rep.comp[i].bank >= 0)
			s->run[s->n_run++] = i;
	}
	if (trial) {
		rc = prot_update_accept(&s->up);
		if (rc)
			fprintf(stderr,
				"prot-device: accepting the trial image: %s "
				"(it is reverted at the next start)\n",
				strerror(-rc));
		else
			printf("prot-device: trial image started: accepted\n");
	}
	for (unsigned int i = 0; i < s->cfg.n_components; i++) {
		struct prot_update_info info;

		if (!prot_update_query(&s->up, i, &info) &&
		    (info.state == PROT_UPDATE_UPDATED ||
		     info.state == PROT_UPDATE_FAILED))
			(void)prot_update_clean(&s->up, i);
		say_component(s, i);
	}
	if (s->rep.status != PROT_BOOT_OK)
		printf("prot-device: RECOVERY mode: some component has no "
		       "authentic image; waiting for an update\n");
	return 0;
}

/* No component in the middle of an update (all READY). */
static bool state_idle(const struct state *s)
{
	for (unsigned int i = 0; i < s->cfg.n_components; i++) {
		struct prot_update_info info;

		if (prot_update_query(&s->up, i, &info) ||
		    info.state != PROT_UPDATE_READY)
			return false;
	}
	return true;
}

/* Open an existing state directory and boot it. Returns 0 or -1. */
static int state_open(struct state *s, const char *dir)
{
	char p[PATH_MAX + 16];
	int rc;

	if ((size_t)snprintf(s->dir, sizeof(s->dir), "%s", dir) >=
	    sizeof(s->dir))
		return -1;
	rc = layout_read(s);
	if (rc) {
		fprintf(stderr,
			"prot-device: %s/layout: %s (not a provisioned state "
			"directory: run 'prot-device provision' first)\n",
			dir,
			rc == -EBADMSG ? "corrupt or of another version"
				       : strerror(-rc));
		return -1;
	}
	if (state_path(p, sizeof(p), dir, "flash.bin"))
		return -1;
	rc = prot_posix_flash_file_open(&s->flash, p, layout_flash_size(s),
					STATE_ERASE_SIZE, STATE_PROGRAM_SIZE,
					0xFF, false);
	if (rc) {
		fprintf(stderr, "prot-device: %s: %s\n", p,
			rc == -EFBIG ? "not the size the layout says (corrupt)"
				     : strerror(-rc));
		return -1;
	}
	if (state_path(p, sizeof(p), dir, "otp.bin"))
		return -1;
	rc = prot_posix_otp_file_open(&s->otp, p, STATE_OTP_SIZE, false);
	if (rc) {
		fprintf(stderr, "prot-device: %s: %s\n", p,
			rc == -EFBIG ? "not the size of the OTP (corrupt)"
				     : strerror(-rc));
		prot_posix_flash_file_close(&s->flash);
		return -1;
	}
	return state_boot(s);
}

static void state_close(struct state *s)
{
	prot_posix_flash_file_close(&s->flash);
	prot_posix_otp_file_close(&s->otp);
}

/* Write @img through the update API into component @i. */
static int install_image(struct state *s, unsigned int i, const uint8_t *img,
			 size_t len, const char *path)
{
	size_t off = 0;
	int rc = prot_update_start(&s->up, i);

	while (!rc && off < len) {
		size_t n = len - off < 4096u ? len - off : 4096u;

		rc = prot_update_write(&s->up, i, (uint32_t)off, img + off, n);
		off += n;
	}
	if (!rc)
		rc = prot_update_finish(&s->up, i);
	if (rc) {
		struct prot_update_info info;

		fprintf(stderr, "prot-device: %s: refused: %s\n", path,
			rc == -EACCES   ? "not signed by the vendor key"
			: rc == -EPERM  ? "bad signature"
			: rc == -EILSEQ ? "payload digest mismatch (tampered)"
			: rc == -ESTALE ? "SVN below the floor"
					: strerror(-rc));
		if (!prot_update_query(&s->up, i, &info) &&
		    info.state == PROT_UPDATE_WRITING)
			(void)prot_update_cancel(&s->up, i);
		return -1;
	}
	return 0;
}

#define MAX_PROVISION_IMAGE (STATE_MAX_BANK / 2u)

static int provision(const struct options *o, struct prot_crypto *crypto)
{
	static uint8_t img[PROT_UPDATE_MAX_COMPONENTS][MAX_PROVISION_IMAGE];
	static struct state s;
	static struct spdm_hash_state hs;
	uint8_t pub[PROT_IMAGE_PUBKEY_SIZE], hash[PROT_IMAGE_KEY_HASH_SIZE];
	uint16_t ids[PROT_UPDATE_MAX_COMPONENTS];
	size_t len[PROT_UPDATE_MAX_COMPONENTS], max = 0;
	char p[PATH_MAX + 48], q[PATH_MAX + 48];
	uint32_t bank;
	struct stat st;
	bool created = false, made_dir = false;
	int rc;

	s.crypto = crypto;
	s.flash.fd = -1;
	s.otp.fd = -1;
	if ((size_t)snprintf(s.dir, sizeof(s.dir), "%s", o->state_dir) >=
	    sizeof(s.dir))
		return 2;
	/* Check every input before touching the directory. */
	if (read_vendor_pub(o->vendor_pub, pub))
		return 1;
	for (unsigned int i = 0; i < o->n_images; i++) {
		struct prot_image_header h;
		long n = read_file(o->images[i], img[i], sizeof(img[i]));

		if (n < 0)
			return 1;
		len[i] = (size_t)n;
		if (prot_image_parse_header(img[i], len[i], &h, NULL)) {
			fprintf(stderr,
				"prot-device: %s: not a signed image (see "
				"prot-pkg sign)\n",
				o->images[i]);
			return 1;
		}
		for (unsigned int j = 0; j < i; j++) {
			if (ids[j] == h.component_id) {
				fprintf(stderr,
					"prot-device: %s: component 0x%04x "
					"given twice\n",
					o->images[i], h.component_id);
				return 1;
			}
		}
		ids[i] = h.component_id;
		if (len[i] > max)
			max = len[i];
	}
	bank = (uint32_t)(2u * max + STATE_ERASE_SIZE - 1u) &
	       ~(STATE_ERASE_SIZE - 1u);
	if (bank < STATE_DEFAULT_BANK)
		bank = STATE_DEFAULT_BANK;
	if (o->bank_size) {
		if (o->bank_size < max) {
			fprintf(stderr,
				"prot-device: --bank-size %u: an image has "
				"%zu bytes\n",
				o->bank_size, max);
			return 1;
		}
		bank = o->bank_size;
	}
	layout_setup(&s, bank, ids, o->n_images);
	rc = prot_image_key_hash(&prot_crypto_ops, crypto, &hs, pub, hash);
	if (rc) {
		fprintf(stderr, "prot-device: vendor key hash: %s\n",
			strerror(-rc));
		return 1;
	}

	if (!mkdir(o->state_dir, 0700)) {
		made_dir = true;
	} else if (errno != EEXIST) {
		fprintf(stderr, "prot-device: %s: %s\n", o->state_dir,
			strerror(errno));
		return 1;
	}
	for (size_t i = 0; i < sizeof(state_files) / sizeof(state_files[0]);
	     i++) {
		if (state_path(p, sizeof(p), o->state_dir, state_files[i]))
			return 1;
		if (!lstat(p, &st)) {
			fprintf(stderr,
				"prot-device: %s exists: %s is already "
				"provisioned (nothing changed; remove the "
				"directory to start over)\n",
				p, o->state_dir);
			return 1;
		}
	}
	if (state_path(p, sizeof(p), o->state_dir, "identity") ||
	    !lstat(p, &st)) {
		fprintf(stderr, "prot-device: %s exists (nothing changed)\n",
			p);
		return 1;
	}
	created = true;
	/* The layout file is written last: it marks the directory as
	 * complete (run refuses a directory without it). */
	state_path(p, sizeof(p), o->state_dir, "flash.bin");
	rc = prot_posix_flash_file_open(&s.flash, p, layout_flash_size(&s),
					STATE_ERASE_SIZE, STATE_PROGRAM_SIZE,
					0xFF, true);
	if (rc) {
		fprintf(stderr, "prot-device: %s: %s\n", p, strerror(-rc));
		goto fail;
	}
	state_path(p, sizeof(p), o->state_dir, "otp.bin");
	rc = prot_posix_otp_file_open(&s.otp, p, STATE_OTP_SIZE, true);
	if (rc) {
		fprintf(stderr, "prot-device: %s: %s\n", p, strerror(-rc));
		goto fail;
	}
	rc = prot_otp_key_hash_program(&s.otp.ops, hash);
	if (!rc)
		rc = prot_otp_lifecycle_advance(&s.otp.ops,
						PROT_LIFECYCLE_PRODUCTION);
	if (rc) {
		fprintf(stderr, "prot-device: OTP: %s\n", strerror(-rc));
		goto fail;
	}
	printf("prot-device: OTP: vendor key hash ");
	print_hex(hash, sizeof(hash));
	printf(" committed, lifecycle production\n");
	rc = prot_update_init(&s.up, &s.cfg);
	if (!rc)
		rc = prot_boot(&s.up, &s.rep);
	if (rc) {
		fprintf(stderr, "prot-device: update service: %s\n",
			strerror(-rc));
		goto fail;
	}
	for (unsigned int i = 0; i < o->n_images; i++)
		if (install_image(&s, i, img[i], len[i], o->images[i]))
			goto fail;
	rc = prot_update_install(&s.up);
	if (rc) {
		fprintf(stderr, "prot-device: install: %s\n", strerror(-rc));
		goto fail;
	}
	/* First boot of the factory images: trial, accepted at once. */
	if (state_boot(&s) || s.rep.status != PROT_BOOT_OK)
		goto fail;
	/* Identity: the SPDM slot 0 chain and key. */
	state_path(p, sizeof(p), o->state_dir, "identity");
	if (mkdir(p, 0700) < 0) {
		fprintf(stderr, "prot-device: %s: %s\n", p, strerror(errno));
		goto fail;
	}
	for (size_t i = 0;
	     i < sizeof(identity_files) / sizeof(identity_files[0]); i++) {
		snprintf(p, sizeof(p), "%s/%s", o->pki, identity_files[i]);
		snprintf(q, sizeof(q), "%s/identity/%s", o->state_dir,
			 identity_files[i]);
		if (copy_file(p, q))
			goto fail;
	}
	if (layout_write(&s)) {
		fprintf(stderr, "prot-device: %s/layout: cannot write\n",
			o->state_dir);
		goto fail;
	}
	state_close(&s);
	printf("prot-device: %s provisioned: %u component(s), banks of %u "
	       "bytes, identity from %s\n",
	       o->state_dir, o->n_images, bank, o->pki);
	return 0;
fail:
	state_close(&s);
	if (created)
		state_remove(o->state_dir);
	if (made_dir)
		(void)rmdir(o->state_dir);
	fprintf(stderr,
		"prot-device: provisioning failed; %s left as it "
		"was\n",
		o->state_dir);
	return 1;
}

#ifdef PROT_DEVICE_PLDM
/* ---- PLDM: base (types 0 and 5) and the firmware device ---------------- */

/* DSP0240 1.1.0 and DSP0267 1.3.0 (ver32, alpha 0). */
static const uint32_t pldm_base_versions[] = {0xF1F1F000u};
static const uint32_t pldm_fw_versions[] = {0xF1F3F000u};
/* SetTID..GetPLDMCommands. */
static const uint8_t pldm_base_commands[32] = {0x3E};
/* QueryDeviceIdentifiers, GetFirmwareParameters, RequestUpdate ..
 * CancelUpdate (0x10..0x1D). */
static const uint8_t pldm_fw_commands[32] = {0x06, 0x00, 0xFF, 0x3F};
static const struct pldm_base_type pldm_types[] = {
	{.type = PLDM_TYPE_BASE,
	 .versions = pldm_base_versions,
	 .n_versions = 1,
	 .commands = pldm_base_commands},
	{.type = PLDM_TYPE_FW_UPDATE,
	 .versions = pldm_fw_versions,
	 .n_versions = 1,
	 .commands = pldm_fw_commands},
};
static const struct pldm_base_config pldm_base_cfg = {
	.types = pldm_types,
	.n_types = 2,
	.tid = PLDM_TID_UNASSIGNED,
};

/* IANA enterprise ID 0x0000B4D5, little endian on the wire. */
static const uint8_t fd_iana[] = {0xD5, 0xB4, 0x00, 0x00};
/* Vendor defined: title string type ASCII, length, "prot-device", data
 * (format 1). */
static const uint8_t fd_vendor[] = {PLDM_FD_STRING_ASCII,
				    11,
				    'p',
				    'r',
				    'o',
				    't',
				    '-',
				    'd',
				    'e',
				    'v',
				    'i',
				    'c',
				    'e',
				    0x01};

/* Largest RequestFirmwareData the device asks for. */
#define FD_MAX_TRANSFER 1024u

struct pldm_side {
	struct pldm_base base;
	struct pldm_fd fd;
	struct prot_update_fd ufd;
	struct pldm_fd_ops ops;
	struct pldm_fd_descriptor desc[2];
	struct pldm_fd_component comp[PROT_UPDATE_MAX_COMPONENTS];
	char version[PROT_UPDATE_MAX_COMPONENTS][32];
	char set_version[40];
	struct pldm_fd_config cfg;
	struct prot_pldm_mctp_device dev;
	struct prot_pldm_mctp_device_config dcfg;
	uint8_t buf[FD_MAX_TRANSFER + 64u];
};

__attribute__((format(printf, 3, 4))) static void
pldm_log_sink(void *ctx, enum pldm_log_level level, const char *fmt, ...)
{
	va_list ap;

	(void)ctx;
	va_start(ap, fmt);
	log_v("pldm", (int)level, fmt, ap);
	va_end(ap);
}

static const struct pldm_log_ops pldm_log = {.log = pldm_log_sink};

/* The FD's description from the boot report. */
static void pldm_fd_describe(struct pldm_side *p, const struct state *s)
{
	const struct prot_image_header *first = NULL;

	p->desc[0] =
		(struct pldm_fd_descriptor){0x0001, sizeof(fd_iana), fd_iana};
	p->desc[1] = (struct pldm_fd_descriptor){0xFFFF, sizeof(fd_vendor),
						 fd_vendor};
	for (unsigned int i = 0; i < s->cfg.n_components; i++) {
		const struct prot_boot_component *b = &s->rep.comp[i];
		struct pldm_fd_component *c = &p->comp[i];
		int n;

		memset(c, 0, sizeof(*c));
		c->classification = PLDM_FW_CLASS_FIRMWARE;
		c->identifier = s->cfg.components[i].component_id;
		c->pending_comparison_stamp = PLDM_FW_NO_COMPARISON_STAMP;
		c->activation_methods = PLDM_FW_ACTIVATION_AUTOMATIC |
					PLDM_FW_ACTIVATION_SELF_CONTAINED;
		if (b->bank < 0) {
			/* Recovery: any image of the component is newer. */
			c->active_comparison_stamp = 0;
			n = snprintf(p->version[i], sizeof(p->version[i]),
				     "none");
		} else {
			const struct prot_image_header *h = &b->header;

			if (!first)
				first = h;
			c->active_comparison_stamp = h->comparison_stamp;
			n = snprintf(p->version[i], sizeof(p->version[i]),
				     "%u.%u.%u", h->version_major,
				     h->version_minor, h->version_patch);
		}
		c->active_version = (struct pldm_fd_string){
			PLDM_FD_STRING_ASCII, (uint8_t)n,
			(const uint8_t *)p->version[i]};
	}
	snprintf(p->set_version, sizeof(p->set_version), "prot-device %u.%u.%u",
		 first ? first->version_major : 0u,
		 first ? first->version_minor : 0u,
		 first ? first->version_patch : 0u);
	p->cfg = (struct pldm_fd_config){
		.descriptors = p->desc,
		.n_descriptors = 2,
		.components = p->comp,
		.n_components = s->cfg.n_components,
		.active_image_set_version = {PLDM_FD_STRING_ASCII,
					     (uint8_t)strlen(p->set_version),
					     (const uint8_t *)p->set_version},
		.max_transfer_size = FD_MAX_TRANSFER,
		.log_ops = &pldm_log,
		.log_level = (enum pldm_log_level)log_level,
	};
}

/* (Re)start the PLDM side over the booted state, on @mctp. */
static int pldm_setup(struct pldm_side *p, struct state *s, struct mctp *mctp)
{
	int rc;

	pldm_fd_describe(p, s);
	rc = prot_update_fd_init(&p->ufd, &s->up, &p->ops);
	if (!rc)
		rc = pldm_fd_init(&p->fd, &p->cfg, &p->ops);
	if (!rc)
		rc = pldm_base_init(&p->base, &pldm_base_cfg);
	if (rc)
		return rc;
	p->dcfg = (struct prot_pldm_mctp_device_config){
		.base = &p->base,
		.fd = &p->fd,
		.buf = p->buf,
		.buf_size = sizeof(p->buf),
	};
	return prot_pldm_mctp_device_init(&p->dev, mctp, &p->dcfg,
					  prot_posix_now_ms());
}
#endif

struct device {
	struct state *st; /* --state, else NULL */
#ifdef PROT_DEVICE_PLDM
	struct pldm_side pldm;
#endif
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
	const struct emulated_fw *fw = ctx;

	/* ROM, firmware (one per booted component), configuration. */
	return fw->st ? 2 + 3 * (int)fw->st->n_run : 3;
}

static int meas_block(void *ctx, uint8_t index, enum spdm_hash_alg hash,
		      uint8_t *type, bool *raw, uint8_t *value,
		      size_t *value_len)
{
	struct emulated_fw *fw = ctx;
	const void *data;
	size_t len, h;

	if (fw->st) {
		/* n booted images: 2 .. 1+n their payload digests (SHA-384,
		 * the only measurement hash offered with --state; the digest
		 * itself when the requester asks for raw values), 2+n .. 1+2n
		 * their versions (ASCII), 2+2n .. 1+3n their SVNs (8 bytes,
		 * little endian), then the configuration. */
		const struct state *st = fw->st;
		unsigned int n = st->n_run, k;

		if (index >= 2 && index < 2 + 3 * n) {
			const struct prot_image_header *hd;
			char ver[32];

			k = (index - 2u) % n;
			hd = &st->rep.comp[st->run[k]].header;
			if (index < 2 + n) {
				if (hash != SPDM_HASH_SHA384 &&
				    hash != SPDM_HASH_NONE)
					return -ENOTSUP;
				if (*value_len < PROT_IMAGE_DIGEST_SIZE)
					return -EMSGSIZE;
				*type = SPDM_MEAS_TYPE_MUTABLE_FIRMWARE;
				*raw = hash == SPDM_HASH_NONE;
				*value_len = PROT_IMAGE_DIGEST_SIZE;
				memcpy(value, hd->payload_digest,
				       PROT_IMAGE_DIGEST_SIZE);
				return 0;
			}
			*raw = true;
			if (index < 2 + 2 * n) {
				int m = snprintf(
					ver, sizeof(ver), "%u.%u.%u.%u",
					hd->version_major, hd->version_minor,
					hd->version_patch,
					(unsigned int)hd->version_build);

				if (*value_len < (size_t)m)
					return -EMSGSIZE;
				*type = SPDM_MEAS_TYPE_VERSION;
				memcpy(value, ver, (size_t)m);
				*value_len = (size_t)m;
				return 0;
			}
			if (*value_len < 8)
				return -EMSGSIZE;
			*type = SPDM_MEAS_TYPE_SECURITY_VERSION;
			memset(value, 0, 8);
			for (unsigned int b = 0; b < 4; b++)
				value[b] = (uint8_t)(hd->svn >> (8 * b));
			*value_len = 8;
			return 0;
		}
		if (index == 2 + 3 * n)
			index = 3;
		else if (index != 1)
			return -ENOENT;
	}
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
		.log_level = o->verbose ? MCTP_LOG_DEBUG
					: (enum mctp_log_level)log_level,
	};
	int rc;

	/* A new update agent finds the device as after a reset: a download
	 * the previous one left half done is dropped (boot again). */
	if (d->st && !state_idle(d->st) && state_boot(d->st))
		return -EIO;
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
#ifdef PROT_DEVICE_PLDM
	if (!rc && d->st)
		rc = pldm_setup(&d->pldm, d->st, &d->mctp);
#endif
	mctp_poll(&d->mctp, prot_posix_now_ms());
	return rc;
}

#ifdef PROT_DEVICE_PLDM
/* ActivateFirmware staged the new images: restart in process as the
 * hardware would (boot from the flash state: the trial starts and, as it
 * booted, is accepted), then answer with the new image: PLDM and SPDM
 * start afresh, the MCTP link and EID are kept. */
static int restart(struct device *d)
{
	int rc;

	printf("prot-device: ActivateFirmware: restarting (boot from "
	       "flash)\n");
	if (state_boot(d->st))
		return -EIO;
	rc = spdm_responder_init(&d->responder, &spdm_cfg, &prot_crypto_ops,
				 &d->crypto);
	if (!rc)
		rc = pldm_setup(&d->pldm, d->st, &d->mctp);
	d->last_version = 0;
	return rc;
}
#endif

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
		int rc, timeout = 100;

		if (stop_signal || expired(start, o))
			return 1;
#ifdef PROT_DEVICE_PLDM
		if (d->st) {
			uint32_t now = prot_posix_now_ms(), dl;

			if (prot_pldm_mctp_device_poll(&d->pldm.dev, now,
						       &dl) == 1) {
				int32_t left = (int32_t)(dl - now);

				timeout = left < 0     ? 0
					  : left < 100 ? left
						       : 100;
			}
		}
#endif
		rc = prot_posix_smbus_service(&d->port, &d->smbus, timeout);
		report_spdm(d);
#ifdef PROT_DEVICE_PLDM
		if (d->st && prot_update_fd_reset_pending(&d->pldm.ufd)) {
			int err = restart(d);

			if (err < 0) {
				fprintf(stderr,
					"prot-device: restart failed: %s\n",
					strerror(-err));
				return 1;
			}
		}
#endif
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

	if (d->st) {
		unsigned int n = d->st->n_run;

		printf("prot-device: measurements: 1 ROM, 2..%u the booted "
		       "images' SHA-384 payload digests (above), %u..%u their "
		       "versions, %u..%u their SVNs, %u configuration\n",
		       1u + n, 2u + n, 1u + 2u * n, 2u + 2u * n, 1u + 3u * n,
		       2u + 3u * n);
		return;
	}
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
		"usage: prot-device provision --state DIR --vendor-pub PUB "
		"--image IMG... [--pki DIR]\n"
		"       prot-device run --state DIR --smbus PATH [--addr N] "
		"[--log LEVEL]\n"
		"       prot-device run --smbus PATH [options]\n"
		"       prot-device run --spdm-emu-listen PORT [options]\n"
		"The emulated Platform Root of Trust. Serves, on an SMBus "
		"wire, the MCTP\ncontrol protocol and SPDM over MCTP "
		"(DSP0275): version, capabilities,\nalgorithms, digests and "
		"certificates of the slots given a chain, and\n"
		"measurements of the emulated firmware (signed when a slot "
		"has a key).\n\n"
		"provision: create the device state in DIR (created if "
		"missing; refused,\n"
		"nothing changed, if it already holds a state): "
		"DIR/flash.bin (banks A\n"
		"and B per component, metadata), DIR/otp.bin (vendor key "
		"hash, SVN\n"
		"floors, lifecycle), DIR/identity (SPDM slot 0 chain and "
		"key), DIR/layout;\n"
		"each image is written, verified and accepted through the "
		"update service.\n"
		"  --state DIR           the device state directory\n"
		"  --vendor-pub FILE     the vendor's ECDSA P-384 public key "
		"(PEM or DER key,\n"
		"                        certificate, or the raw 97-byte "
		"point)\n"
		"  --image IMG           a signed image (prot-pkg sign); one "
		"per component,\n"
		"                        up to %u\n"
		"  --bank-size N         bytes per bank, a multiple of 4096 "
		"(default: twice\n"
		"                        the largest image, at least 256 "
		"KiB)\n"
		"  --pki DIR             identity: DIR/root.cert.pem, "
		"inter.cert.pem,\n"
		"                        leaf.cert.pem, leaf.key.pem "
		"(default:\n"
		"                        %s)\n\n"
		"run --state DIR: boot the images of DIR through prot_boot, "
		"then serve MCTP\n"
		"control, SPDM (slot 0 = DIR/identity, measurements: 1 ROM, "
		"2.. the booted\n"
		"images' SHA-384 payload digests, their versions, their "
		"SVNs, then the\n"
		"configuration) and PLDM base and\n"
		"firmware update (type 5); after ActivateFirmware the device "
		"boots again\n"
		"from its flash (trial of the new image, accepted at its "
		"first start).\n"
		"  --log LEVEL           error, warning, notice (default), "
		"info or debug:\n"
		"                        the libraries' log lines on "
		"stderr\n\n"
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
		"Exit status: provision: 0 provisioned, 1 error (nothing "
		"changed), 2 usage\nerror. run: "
		"0 stopped by a signal or --timeout, 1 error "
		"(socket,\ncertificate, key or firmware file), 2 usage "
		"error.\n",
		PROT_UPDATE_MAX_COMPONENTS, PROT_DEVICE_PKI,
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
		{"state", required_argument, NULL, 'S'},
		{"vendor-pub", required_argument, NULL, 'K'},
		{"image", required_argument, NULL, 'I'},
		{"log", required_argument, NULL, 'l'},
		{"bank-size", required_argument, NULL, 'Z'},
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
	if (argc >= 2 && !strcmp(argv[1], "provision"))
		o->cmd = CMD_PROVISION;
	else if (argc < 2 || strcmp(argv[1], "run")) {
		fprintf(stderr,
			"prot-device: %s%s (commands: 'provision', "
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
			o->pki = optarg;
			bad = pki_dir(o, optarg);
			break;
		case 'S':
			o->state_dir = optarg;
			break;
		case 'K':
			o->vendor_pub = optarg;
			break;
		case 'I':
			if (o->n_images >= PROT_UPDATE_MAX_COMPONENTS) {
				fprintf(stderr,
					"prot-device: more than %u --image\n",
					PROT_UPDATE_MAX_COMPONENTS);
				return -1;
			}
			o->images[o->n_images++] = optarg;
			break;
		case 'Z':
			bad = parse_uint(optarg, STATE_MIN_BANK, STATE_MAX_BANK,
					 &o->bank_size) ||
			      o->bank_size % STATE_ERASE_SIZE;
			break;
		case 'l':
			if (!strcmp(optarg, "error"))
				log_level = PROT_LOG_ERR;
			else if (!strcmp(optarg, "warning"))
				log_level = PROT_LOG_WARNING;
			else if (!strcmp(optarg, "notice"))
				log_level = PROT_LOG_NOTICE;
			else if (!strcmp(optarg, "info"))
				log_level = PROT_LOG_INFO;
			else if (!strcmp(optarg, "debug"))
				log_level = PROT_LOG_DEBUG;
			else
				bad = 1;
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
	if (o->cmd == CMD_PROVISION) {
		if (!o->state_dir || !o->vendor_pub || !o->n_images) {
			fprintf(stderr,
				"prot-device: provision needs --state DIR, "
				"--vendor-pub FILE and at least one --image "
				"(see --help)\n");
			return -1;
		}
		if (o->smbus_path || o->emu_port >= 0) {
			fprintf(stderr, "prot-device: provision serves "
					"nothing: no --smbus or "
					"--spdm-emu-listen\n");
			return -1;
		}
		if (!o->pki)
			o->pki = PROT_DEVICE_PKI;
		return 0;
	}
	if (o->n_images || o->vendor_pub || o->bank_size) {
		fprintf(stderr, "prot-device: --image, --vendor-pub and "
				"--bank-size are provision options\n");
		return -1;
	}
	if (o->state_dir && o->firmware) {
		fprintf(stderr, "prot-device: --firmware and --state exclude "
				"each other (the state has the firmware)\n");
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
	static struct state st;
	static char identity[PATH_MAX];
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
	if (o.cmd == CMD_PROVISION) {
		status = provision(&o, &dev.crypto);
		goto out_crypto;
	}
	dev.fw.crypto = &dev.crypto;
	if (o.state_dir) {
		st.crypto = &dev.crypto;
		st.flash.fd = st.otp.fd = -1;
		if (state_open(&st, o.state_dir))
			goto out_crypto;
		dev.st = &st;
		dev.fw.st = &st;
		/* The payload digests are SHA-384. */
		spdm_cfg.measurement_hash_algo = SPDM_MEAS_HASH_SHA_384;
		if (!o.certs[0]) {
			if ((size_t)snprintf(identity, sizeof(identity),
					     "%s/identity",
					     o.state_dir) >= sizeof(identity) ||
			    pki_dir(&o, identity)) {
				fprintf(stderr, "prot-device: --state: path "
						"too long\n");
				goto out_crypto;
			}
		}
	}
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
	if (dev.st)
		state_close(dev.st);
	prot_crypto_free(&dev.crypto);
	return status;
}
