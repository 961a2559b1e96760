/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Test helper: signed images and a simulated device (image-sign.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "image-sign.h"

#ifndef PROT_TEST_PKI_DIR
#error "PROT_TEST_PKI_DIR must name tests/pki"
#endif

static int read_file(const char *rel, uint8_t *buf, size_t len)
{
	char path[512];
	FILE *f;
	int rc = 0;

	snprintf(path, sizeof(path), "%s/%s", PROT_TEST_PKI_DIR, rel);
	f = fopen(path, "rb");
	if (!f)
		return -1;
	if (fread(buf, 1, len, f) != len || fgetc(f) != EOF)
		rc = -1;
	fclose(f);
	return rc;
}

static int memo_verify(void *ctx, enum spdm_asym_alg alg, const uint8_t *pubkey,
		       size_t pubkey_len, const uint8_t *digest,
		       size_t digest_len, const uint8_t *sig, size_t sig_len)
{
	struct signer *s = ctx;
	uint8_t key[sizeof(s->memo[0].key)];
	struct sign_memo *m;
	unsigned int i;

	if (pubkey_len != PROT_IMAGE_PUBKEY_SIZE ||
	    digest_len != PROT_IMAGE_DIGEST_SIZE ||
	    sig_len != PROT_IMAGE_SIG_SIZE)
		return prot_crypto_ops.verify(ctx, alg, pubkey, pubkey_len,
					      digest, digest_len, sig, sig_len);
	memcpy(key, pubkey, pubkey_len);
	memcpy(key + pubkey_len, digest, digest_len);
	memcpy(key + pubkey_len + digest_len, sig, sig_len);
	for (i = 0; i < SIGN_MEMO; i++)
		if (s->memo[i].used &&
		    !memcmp(s->memo[i].key, key, sizeof(key)))
			return s->memo[i].result;
	m = &s->memo[s->memo_next++ % SIGN_MEMO];
	m->result = prot_crypto_ops.verify(ctx, alg, pubkey, pubkey_len, digest,
					   digest_len, sig, sig_len);
	s->verifies++;
	memcpy(m->key, key, sizeof(key));
	m->used = true;
	return m->result;
}

int signer_init(struct signer *s)
{
	char path[512];
	struct spdm_hash_state hs;

	memset(s, 0, sizeof(*s));
	s->ops = prot_crypto_ops;
	s->ops.verify = memo_verify;
	if (prot_crypto_init(&s->pc))
		return -1;
	snprintf(path, sizeof(path), "%s/p384/leaf.key.pem", PROT_TEST_PKI_DIR);
	if (prot_crypto_load_slot_key_file(&s->pc, SIGN_SLOT_VENDOR, path))
		return -1;
	snprintf(path, sizeof(path), "%s/other/leaf.key.pem",
		 PROT_TEST_PKI_DIR);
	if (prot_crypto_load_slot_key_file(&s->pc, SIGN_SLOT_OTHER, path))
		return -1;
	if (read_file("p384/leaf.pub.bin", s->vendor_pub,
		      sizeof(s->vendor_pub)) ||
	    read_file("other/leaf.pub.bin", s->other_pub, sizeof(s->other_pub)))
		return -1;
	return prot_image_key_hash(&prot_crypto_ops, s, &hs, s->vendor_pub,
				   s->vendor_hash)
		       ? -1
		       : 0;
}

void signer_free(struct signer *s)
{
	prot_crypto_free(&s->pc);
}

size_t image_build(struct signer *s, const struct image_spec *spec,
		   uint8_t *out, size_t cap)
{
	struct spdm_hash_state hs;
	struct prot_image_header h;
	const uint8_t *pub = spec->other_key ? s->other_pub : s->vendor_pub;
	uint8_t key_hash[PROT_IMAGE_KEY_HASH_SIZE];
	uint8_t digest[PROT_IMAGE_DIGEST_SIZE];
	size_t len = PROT_IMAGE_PAYLOAD_OFFSET + (size_t)spec->payload_size;
	size_t hl = PROT_IMAGE_HEADER_SIZE, i;

	if (len > cap)
		return 0;
	memset(&h, 0, sizeof(h));
	h.component_id = spec->component_id;
	h.version_major = (uint8_t)(spec->stamp >> 24);
	h.version_minor = (uint8_t)(spec->stamp >> 16);
	h.version_patch = (uint16_t)spec->stamp;
	h.comparison_stamp = spec->stamp;
	h.svn = spec->svn;
	h.payload_size = spec->payload_size;
	memset(out, 0, PROT_IMAGE_PAYLOAD_OFFSET);
	for (i = 0; i < spec->payload_size; i++)
		out[PROT_IMAGE_PAYLOAD_OFFSET + i] =
			(uint8_t)(i * 13u + spec->seed + (i >> 9));
	if (prot_crypto_ops.hash_init(s, &hs, SPDM_HASH_SHA384) ||
	    prot_crypto_ops.hash_update(s, &hs, out + PROT_IMAGE_PAYLOAD_OFFSET,
					spec->payload_size) ||
	    prot_crypto_ops.hash_final(s, &hs, h.payload_digest) ||
	    prot_image_key_hash(&prot_crypto_ops, s, &hs, pub, key_hash))
		return 0;
	memcpy(h.key_id, key_hash, PROT_IMAGE_KEY_ID_SIZE);
	if (prot_image_header_encode(&h, out, &hl))
		return 0;
	memcpy(out + PROT_IMAGE_PUBKEY_OFFSET, pub, PROT_IMAGE_PUBKEY_SIZE);
	if (prot_image_signed_digest(&prot_crypto_ops, s, &hs, out,
				     out + PROT_IMAGE_PUBKEY_OFFSET, digest) ||
	    prot_crypto_ops.sign(
		    s, spec->other_key ? SIGN_SLOT_OTHER : SIGN_SLOT_VENDOR,
		    SPDM_ASYM_ECDSA_P384, digest, sizeof(digest),
		    out + PROT_IMAGE_SIG_OFFSET, PROT_IMAGE_SIG_SIZE))
		return 0;
	return len;
}

int device_init(struct device *d, struct signer *s, const struct geometry *g,
		unsigned int n_components, bool key)
{
	uint32_t meta_copy = g->erase_size, size, off, i;

	memset(d, 0, sizeof(*d));
	while (meta_copy < 1024)
		meta_copy *= 2;
	size = 2 * meta_copy + n_components * 2 * g->bank_size;
	d->mem = malloc(size);
	if (!d->mem || flash_sim_init(&d->sim, d->mem, size, g->erase_size,
				      g->program_size, g->erased_value))
		return -1;
	otp_sim_init(&d->otp);
	if (key && prot_otp_key_hash_program(&d->otp.ops, s->vendor_hash))
		return -1;
	d->cfg.flash = &d->sim.ops;
	d->cfg.otp = &d->otp.ops;
	d->cfg.crypto = &s->ops;
	d->cfg.crypto_ctx = s;
	d->cfg.bank_size = g->bank_size;
	d->cfg.meta_offset = 0;
	d->cfg.meta_copy_size = meta_copy;
	d->cfg.max_trial_boots = 1;
	d->cfg.n_components = (uint8_t)n_components;
	off = 2 * meta_copy;
	for (i = 0; i < n_components; i++) {
		d->cfg.components[i].component_id = (uint16_t)(0x100u + i);
		d->cfg.components[i].otp_index = (uint8_t)i;
		d->cfg.components[i].bank_offset[0] = off;
		d->cfg.components[i].bank_offset[1] = off + g->bank_size;
		off += 2 * g->bank_size;
	}
	return prot_update_init(&d->up, &d->cfg) ? -1 : 0;
}

void device_free(struct device *d)
{
	free(d->mem);
	d->mem = NULL;
}

void device_factory(struct device *d, unsigned int i, unsigned int bank,
		    const uint8_t *img, size_t len)
{
	memcpy(d->mem + d->cfg.components[i].bank_offset[bank], img, len);
}

int device_reboot(struct device *d)
{
	int rc = prot_update_init(&d->up, &d->cfg);

	if (rc)
		return rc;
	return prot_boot(&d->up, &d->rep);
}

int device_download(struct device *d, unsigned int i, const uint8_t *img,
		    size_t len, size_t chunk)
{
	size_t off, n;
	int rc = prot_update_start(&d->up, i);

	for (off = 0; !rc && off < len; off += n) {
		n = len - off < chunk ? len - off : chunk;
		rc = prot_update_write(&d->up, i, (uint32_t)off, img + off, n);
	}
	return rc ? rc : prot_update_finish(&d->up, i);
}

bool device_runs(const struct device *d, unsigned int i, const uint8_t *img,
		 size_t len)
{
	int b = d->rep.comp[i].bank;

	if (b < 0 || d->rep.status != PROT_BOOT_OK)
		return false;
	return !memcmp(d->mem + d->cfg.components[i].bank_offset[b], img, len);
}
