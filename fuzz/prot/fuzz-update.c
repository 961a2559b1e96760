/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libFuzzer harness: sequences of update service calls (prot/update.h)
 * with a fuzzed flash fault schedule, on tests/prot's flash and OTP
 * simulators, with cheap fake crypto (a signature is accepted only if it
 * is the signed digest twice, so tampered images stay refused).
 *
 * Input: byte 0 picks the geometry (erase 1 or 2 KiB, program 1..32
 * bytes, erased 0xFF or 0x00); then each byte is an operation (value % 12)
 * taking its arguments from the following bytes: start, write a chunk of
 * the selected image (sometimes at a wrong offset), finish, cancel,
 * clean, install, accept, reject, restart, arm a fault (cut before/after,
 * torn program or erase) a few operations ahead, select the image (old,
 * new, tampered, lower SVN), write past the bank.
 *
 * After every restart (and after every power loss, which forces one):
 * prot_boot() succeeds and runs exactly the old or the new image, never
 * the tampered or rolled-back one and never nothing; the OTP floor never
 * exceeds the SVN of what runs; the simulator saw no NOR rule broken.
 */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "flash-sim.h"
#include "prot/image.h"
#include "prot/update.h"

#define BANK 4096u
#define META_COPY 2048u
#define FLASH_SIZE (2u * META_COPY + 2u * BANK)
#define COMP 0x0042u

/* ---- fake crypto ---- */

struct fake_hash {
	uint8_t acc[PROT_IMAGE_DIGEST_SIZE];
	uint32_t n;
};

_Static_assert(sizeof(struct fake_hash) <= SPDM_HASH_STATE_SIZE,
	       "fits the hash state");

static uint32_t fk_hash_algos(void *ctx)
{
	(void)ctx;
	return 1u << SPDM_HASH_SHA384;
}

static uint32_t fk_asym_algos(void *ctx)
{
	(void)ctx;
	return 1u << SPDM_ASYM_ECDSA_P384;
}

static int fk_hash_init(void *ctx, struct spdm_hash_state *s,
			enum spdm_hash_alg alg)
{
	(void)ctx;
	(void)alg;
	memset(s->opaque, 0, sizeof(struct fake_hash));
	return 0;
}

static int fk_hash_update(void *ctx, struct spdm_hash_state *s,
			  const uint8_t *data, size_t len)
{
	struct fake_hash *h = (struct fake_hash *)(void *)s->opaque;
	size_t i;

	(void)ctx;
	for (i = 0; i < len; i++, h->n++) {
		uint8_t *a = &h->acc[h->n % PROT_IMAGE_DIGEST_SIZE];

		*a = (uint8_t)(*a * 31u + data[i] + 1u + (h->n >> 6));
	}
	return 0;
}

static int fk_hash_final(void *ctx, struct spdm_hash_state *s, uint8_t *d)
{
	struct fake_hash *h = (struct fake_hash *)(void *)s->opaque;

	(void)ctx;
	memcpy(d, h->acc, sizeof(h->acc));
	d[0] ^= (uint8_t)h->n;
	d[1] ^= (uint8_t)(h->n >> 8);
	return 0;
}

static void fk_hash_abort(void *ctx, struct spdm_hash_state *s)
{
	(void)ctx;
	(void)s;
}

static int fk_verify(void *ctx, enum spdm_asym_alg alg, const uint8_t *pub,
		     size_t pub_len, const uint8_t *digest, size_t digest_len,
		     const uint8_t *sig, size_t sig_len)
{
	(void)ctx;
	(void)alg;
	(void)pub;
	(void)pub_len;
	if (sig_len != 2 * digest_len || memcmp(sig, digest, digest_len) ||
	    memcmp(sig + digest_len, digest, digest_len))
		return -EPERM;
	return 0;
}

static const struct spdm_crypto_ops fk_ops = {
	.hash_algos = fk_hash_algos,
	.asym_algos = fk_asym_algos,
	.hash_init = fk_hash_init,
	.hash_update = fk_hash_update,
	.hash_final = fk_hash_final,
	.hash_abort = fk_hash_abort,
	.verify = fk_verify,
};

static void fk_digest(const uint8_t *p, size_t len, uint8_t *out)
{
	struct spdm_hash_state s;

	fk_hash_init(NULL, &s, SPDM_HASH_SHA384);
	fk_hash_update(NULL, &s, p, len);
	fk_hash_final(NULL, &s, out);
}

/* ---- images ---- */

enum { IMG_OLD, IMG_NEW, IMG_TAMPERED, IMG_LOW, IMG_N };

struct image {
	uint8_t b[BANK];
	uint32_t len;
};

static struct image imgs[IMG_N];
static uint8_t pubkey[PROT_IMAGE_PUBKEY_SIZE];
static uint8_t key_hash[PROT_IMAGE_KEY_HASH_SIZE];

static void build(struct image *im, uint32_t svn, uint32_t payload,
		  uint8_t seed)
{
	struct prot_image_header h;
	struct spdm_hash_state s;
	uint8_t digest[PROT_IMAGE_DIGEST_SIZE];
	size_t hl = PROT_IMAGE_HEADER_SIZE;
	uint32_t i;

	memset(im->b, 0, sizeof(im->b));
	memset(&h, 0, sizeof(h));
	h.component_id = COMP;
	h.svn = svn;
	h.comparison_stamp = svn;
	h.payload_size = payload;
	for (i = 0; i < payload; i++)
		im->b[PROT_IMAGE_PAYLOAD_OFFSET + i] =
			(uint8_t)(i * 7u + seed + (i >> 8));
	fk_digest(im->b + PROT_IMAGE_PAYLOAD_OFFSET, payload, h.payload_digest);
	memcpy(h.key_id, key_hash, PROT_IMAGE_KEY_ID_SIZE);
	if (prot_image_header_encode(&h, im->b, &hl))
		abort();
	memcpy(im->b + PROT_IMAGE_PUBKEY_OFFSET, pubkey, sizeof(pubkey));
	if (prot_image_signed_digest(&fk_ops, NULL, &s, im->b,
				     im->b + PROT_IMAGE_PUBKEY_OFFSET, digest))
		abort();
	memcpy(im->b + PROT_IMAGE_SIG_OFFSET, digest, sizeof(digest));
	memcpy(im->b + PROT_IMAGE_SIG_OFFSET + sizeof(digest), digest,
	       sizeof(digest));
	im->len = PROT_IMAGE_PAYLOAD_OFFSET + payload;
}

static void build_images(void)
{
	unsigned int i;

	for (i = 0; i < sizeof(pubkey); i++)
		pubkey[i] = (uint8_t)(i * 3u + 1u);
	fk_digest(pubkey, sizeof(pubkey), key_hash);
	build(&imgs[IMG_OLD], 2, 1500, 1);
	build(&imgs[IMG_NEW], 4, BANK - PROT_IMAGE_PAYLOAD_OFFSET, 2);
	imgs[IMG_TAMPERED] = imgs[IMG_NEW];
	imgs[IMG_TAMPERED].b[PROT_IMAGE_PAYLOAD_OFFSET + 100] ^= 1;
	build(&imgs[IMG_LOW], 1, 900, 3);
}

/* ---- the device ---- */

static uint8_t mem[FLASH_SIZE];
static struct flash_sim sim;
static struct otp_sim otp;
static struct prot_update up;
static struct prot_update_config cfg;
static struct prot_boot_report rep;

static void check_running(void)
{
	const uint8_t *run;
	uint32_t floor;
	int b = rep.comp[0].bank;

	if (rep.status != PROT_BOOT_OK || b < 0)
		abort(); /* nothing authentic to run: must never happen */
	run = mem + cfg.components[0].bank_offset[b];
	if (memcmp(run, imgs[IMG_OLD].b, imgs[IMG_OLD].len) &&
	    memcmp(run, imgs[IMG_NEW].b, imgs[IMG_NEW].len))
		abort(); /* neither the old nor the new image */
	if (prot_otp_svn_read(&otp.ops, 0, &floor) ||
	    floor > rep.comp[0].header.svn)
		abort();
	if (sim.violations)
		abort();
}

/* Restart until a boot completes (it must within a few). */
static void restart(void)
{
	int i;

	for (i = 0; i < 8; i++) {
		flash_sim_power_restore(&sim);
		otp_sim_power_restore(&otp);
		if (prot_update_init(&up, &cfg))
			abort();
		if (prot_boot(&up, &rep) == 0) {
			check_running();
			return;
		}
		if (sim.powered && otp.powered)
			abort(); /* a boot fails only by losing power */
	}
	abort();
}

static bool setup(uint8_t g)
{
	static const uint32_t prog[] = {1, 2, 4, 8, 16, 32, 1, 4};
	uint32_t es = (g & 1u) ? 2048u : 1024u;

	if (flash_sim_init(&sim, mem, FLASH_SIZE, es, prog[(g >> 1) & 7u],
			   (g & 0x10u) ? 0x00 : 0xff))
		return false;
	otp_sim_init(&otp);
	otp_sim_arm(&otp, -1, 0);
	if (prot_otp_key_hash_program(&otp.ops, key_hash) ||
	    prot_otp_svn_raise(&otp.ops, 0, 2))
		abort();
	memset(&cfg, 0, sizeof(cfg));
	cfg.flash = &sim.ops;
	cfg.otp = &otp.ops;
	cfg.crypto = &fk_ops;
	cfg.bank_size = BANK;
	cfg.meta_offset = 0;
	cfg.meta_copy_size = META_COPY;
	cfg.max_trial_boots = (uint8_t)(1u + ((g >> 5) & 1u));
	cfg.n_components = 1;
	cfg.components[0].component_id = COMP;
	cfg.components[0].bank_offset[0] = 2 * META_COPY;
	cfg.components[0].bank_offset[1] = 2 * META_COPY + BANK;
	memcpy(mem + cfg.components[0].bank_offset[0], imgs[IMG_OLD].b,
	       imgs[IMG_OLD].len);
	restart();
	return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool ready;
	const struct image *im = &imgs[IMG_NEW];
	uint32_t off = 0;
	size_t i = 1;

	if (!ready) {
		build_images();
		ready = true;
	}
	if (size < 1 || size > 512 || !setup(data[0]))
		return 0;
	while (i < size) {
		uint8_t op = data[i++] % 12u;
		uint8_t arg = i < size ? data[i] : 0;
		int rc = 0;

		switch (op) {
		case 0:
			rc = prot_update_start(&up, 0);
			if (rc == 0)
				off = 0;
			break;
		case 1: {
			uint32_t n = 64u + (uint32_t)arg * 16u;

			i++;
			if (off >= im->len)
				break;
			if (n > im->len - off)
				n = im->len - off;
			rc = prot_update_write(&up, 0, off, im->b + off, n);
			if (rc == 0)
				off += n;
			break;
		}
		case 2:
			rc = prot_update_finish(&up, 0);
			break;
		case 3:
			rc = prot_update_cancel(&up, 0);
			break;
		case 4:
			rc = prot_update_clean(&up, 0);
			break;
		case 5:
			rc = prot_update_install(&up);
			break;
		case 6:
			rc = prot_update_accept(&up);
			break;
		case 7:
			rc = prot_update_reject(&up);
			break;
		case 8:
			restart();
			break;
		case 9: {
			struct flash_sim_fault f = {0};

			i++;
			f.kind = (enum flash_sim_fault_kind)(1u + arg % 3u);
			f.at_op = sim.ops_done + (arg >> 2);
			f.keep = (uint32_t)(arg & 0x0fu) * 97u;
			f.partial = arg;
			f.garbage = arg & 0x40u;
			flash_sim_arm(&sim, &f);
			break;
		}
		case 10:
			i++;
			im = &imgs[arg % IMG_N];
			break;
		default: {
			uint8_t b = 0;

			/* Wrong offsets: past the bank, wrapping, behind. */
			rc = prot_update_write(&up, 0, BANK - (arg & 3u), &b,
					       8);
			if (rc == 0)
				abort();
			rc = prot_update_write(&up, 0, UINT32_MAX, &b, 2);
			if (rc == 0)
				abort();
			rc = 0;
			break;
		}
		}
		if (rc && (!sim.powered || !otp.powered))
			restart();
	}
	flash_sim_arm(&sim, NULL);
	restart();
	return 0;
}
