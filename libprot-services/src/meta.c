/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A/B record store. Layout and cut-point argument: docs/metadata-format.md.
 */
#include <errno.h>
#include <string.h>

#include "prot/meta.h"

/* CRC-32 (IEEE 802.3, reflected, poly 0xedb88320), half-byte table: 64 B. */
static const uint32_t crc_nibble[16] = {
	0x00000000u, 0x1db71064u, 0x3b6e20c8u, 0x26d930acu,
	0x76dc4190u, 0x6b6b51f4u, 0x4db26158u, 0x5005713cu,
	0xedb88320u, 0xf00f9344u, 0xd6d6a3e8u, 0xcb61b38cu,
	0x9b64c2b0u, 0x86d3d2d4u, 0xa00ae278u, 0xbdbdf21cu,
};

/* Running CRC without the final inversion: start with 0xffffffff. */
static uint32_t crc_add(uint32_t crc, const uint8_t *p, size_t len)
{
	while (len--) {
		crc ^= *p++;
		crc = (crc >> 4) ^ crc_nibble[crc & 0xfu];
		crc = (crc >> 4) ^ crc_nibble[crc & 0xfu];
	}
	return crc;
}

static uint32_t get_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static void put_le32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static bool pow2(uint32_t v)
{
	return v && !(v & (v - 1));
}

static uint32_t align_up(uint32_t v, uint32_t a)
{
	return (v + a - 1) & ~(a - 1);
}

int prot_flash_check(const struct prot_flash_ops *flash)
{
	if (!flash || !flash->read || !flash->program || !flash->erase)
		return -EINVAL;
	if (!pow2(flash->erase_size) || !pow2(flash->program_size) ||
	    flash->program_size > PROT_FLASH_MAX_PROGRAM_SIZE ||
	    flash->program_size > flash->erase_size)
		return -EINVAL;
	if (!flash->size || flash->size % flash->erase_size)
		return -EINVAL;
	if (flash->erased_value != 0xff && flash->erased_value != 0x00)
		return -EINVAL;
	return 0;
}

/* Offsets inside a copy, for program granularity @p. */
static uint32_t record_off(uint32_t p)
{
	return align_up(PROT_META_HEADER_SIZE, p);
}

static uint32_t marker_off(uint32_t record_size, uint32_t p)
{
	return record_off(p) + align_up(record_size, p);
}

static uint32_t marker_len(uint32_t p)
{
	return p > PROT_META_MARKER_MIN ? p : PROT_META_MARKER_MIN;
}

uint32_t prot_meta_copy_bytes(uint32_t record_size, uint32_t program_size)
{
	if (!pow2(program_size) || program_size > PROT_FLASH_MAX_PROGRAM_SIZE ||
	    !record_size || record_size > PROT_META_MAX_RECORD)
		return 0;
	return marker_off(record_size, program_size) + marker_len(program_size);
}

int prot_meta_init(struct prot_meta *meta, const struct prot_meta_config *cfg)
{
	const struct prot_flash_ops *f;
	uint32_t need;

	if (!meta || !cfg || prot_flash_check(cfg->flash))
		return -EINVAL;
	f = cfg->flash;
	if (cfg->offset % f->erase_size || !cfg->copy_size ||
	    cfg->copy_size % f->erase_size || cfg->offset > f->size ||
	    cfg->copy_size > (f->size - cfg->offset) / 2)
		return -EINVAL;
	need = prot_meta_copy_bytes(cfg->record_size, f->program_size);
	if (!need)
		return -EINVAL;
	if (need > cfg->copy_size)
		return -EMSGSIZE;
	memset(meta, 0, sizeof(*meta));
	meta->cfg = *cfg;
	return 0;
}

static uint32_t copy_base(const struct prot_meta *meta, unsigned int idx)
{
	return meta->cfg.offset + idx * meta->cfg.copy_size;
}

/* True when all @len bytes equal @v. */
static bool all_are(const uint8_t *p, size_t len, uint8_t v)
{
	while (len--)
		if (*p++ != v)
			return false;
	return true;
}

/*
 * Classify copy @idx; its sequence number goes to @seq. With @out, the
 * record is read into it (one read); without, it is streamed through a
 * small buffer just for the CRC.
 */
static int check_copy(const struct prot_meta *meta, unsigned int idx,
		      enum prot_meta_copy_state *state, uint32_t *seq,
		      uint8_t *out)
{
	const struct prot_flash_ops *f = meta->cfg.flash;
	uint32_t p = f->program_size, base = copy_base(meta, idx);
	uint32_t len = meta->cfg.record_size, done, crc;
	uint8_t hdr[PROT_META_HEADER_SIZE];
	uint8_t buf[PROT_FLASH_MAX_PROGRAM_SIZE];
	uint32_t mlen = marker_len(p);
	bool marked;
	int rc;

	*seq = 0;
	rc = f->read(f->ctx, base + marker_off(len, p), buf, mlen);
	if (rc)
		return rc;
	marked = all_are(buf, mlen, PROT_META_MARKER_BYTE);
	rc = f->read(f->ctx, base, hdr, sizeof(hdr));
	if (rc)
		return rc;
	if (!marked) {
		*state = all_are(buf, mlen, f->erased_value) &&
					 all_are(hdr, sizeof(hdr),
						 f->erased_value)
				 ? PROT_META_COPY_BLANK
				 : PROT_META_COPY_TORN;
		return 0;
	}
	*state = PROT_META_COPY_CORRUPT;
	if (get_le32(hdr) != PROT_META_MAGIC || hdr[4] != PROT_META_VERSION ||
	    hdr[5] != 0 || (uint32_t)(hdr[6] | hdr[7] << 8) != len)
		return 0;
	crc = crc_add(0xffffffffu, hdr, 12);
	if (out) {
		rc = f->read(f->ctx, base + record_off(p), out, len);
		if (rc)
			return rc;
		crc = crc_add(crc, out, len);
	} else {
		for (done = 0; done < len;) {
			uint32_t n = len - done;

			if (n > sizeof(buf))
				n = sizeof(buf);
			rc = f->read(f->ctx, base + record_off(p) + done, buf,
				     n);
			if (rc)
				return rc;
			crc = crc_add(crc, buf, n);
			done += n;
		}
	}
	if (~crc != get_le32(hdr + 12))
		return 0;
	*seq = get_le32(hdr + 8);
	*state = PROT_META_COPY_VALID;
	return 0;
}

/* Scan both copies; update the cached newest copy. */
static int scan(struct prot_meta *meta, struct prot_meta_status *st)
{
	unsigned int i;
	int rc;

	meta->scanned = false;
	meta->have_current = false;
	st->current = -1;
	for (i = 0; i < 2; i++) {
		rc = check_copy(meta, i, &st->copy[i], &st->seq[i], NULL);
		if (rc)
			return rc;
	}
	for (i = 0; i < 2; i++) {
		if (st->copy[i] != PROT_META_COPY_VALID)
			continue;
		/* Newer: a positive serial-number distance. */
		if (st->current < 0 ||
		    (int32_t)(st->seq[i] - st->seq[st->current]) > 0)
			st->current = (int)i;
	}
	if (st->current >= 0) {
		meta->current = (uint8_t)st->current;
		meta->seq = st->seq[st->current];
		meta->have_current = true;
	}
	meta->scanned = true;
	return 0;
}

int prot_meta_load(struct prot_meta *meta, void *record,
		   struct prot_meta_status *status)
{
	struct prot_meta_status local;
	struct prot_meta_status *st = status ? status : &local;
	enum prot_meta_copy_state again;
	uint32_t seq;
	int rc;

	if (!meta || !meta->cfg.flash || !record)
		return -EINVAL;
	memset(record, 0, meta->cfg.record_size);
	memset(st, 0, sizeof(*st));
	rc = scan(meta, st);
	if (rc)
		return rc;
	if (st->current < 0) {
		if (st->copy[0] == PROT_META_COPY_CORRUPT ||
		    st->copy[1] == PROT_META_COPY_CORRUPT)
			return -EBADMSG;
		return -ENOENT;
	}
	/* Read the winner into the caller's buffer and check it again. */
	rc = check_copy(meta, meta->current, &again, &seq, record);
	if (!rc && (again != PROT_META_COPY_VALID || seq != meta->seq))
		rc = -EIO;
	if (rc) {
		memset(record, 0, meta->cfg.record_size);
		meta->scanned = false;
		st->current = -1;
	}
	return rc;
}

static int write_copy(struct prot_meta *meta, unsigned int idx, uint32_t seq,
		      const uint8_t *record)
{
	const struct prot_flash_ops *f = meta->cfg.flash;
	uint32_t p = f->program_size, base = copy_base(meta, idx);
	uint32_t len = meta->cfg.record_size, whole = len & ~(p - 1);
	uint8_t buf[PROT_FLASH_MAX_PROGRAM_SIZE];
	uint32_t off;
	int rc;

	for (off = 0; off < meta->cfg.copy_size; off += f->erase_size) {
		rc = f->erase(f->ctx, base + off);
		if (rc)
			return rc;
	}

	memset(buf, f->erased_value, sizeof(buf));
	put_le32(buf, PROT_META_MAGIC);
	buf[4] = PROT_META_VERSION;
	buf[5] = 0;
	buf[6] = (uint8_t)len;
	buf[7] = (uint8_t)(len >> 8);
	put_le32(buf + 8, seq);
	put_le32(buf + 12,
		 ~crc_add(crc_add(0xffffffffu, buf, 12), record, len));
	rc = f->program(f->ctx, base, buf, record_off(p));
	if (rc)
		return rc;

	if (whole) {
		rc = f->program(f->ctx, base + record_off(p), record, whole);
		if (rc)
			return rc;
	}
	if (len > whole) {
		memset(buf, f->erased_value, p);
		memcpy(buf, record + whole, len - whole);
		rc = f->program(f->ctx, base + record_off(p) + whole, buf, p);
		if (rc)
			return rc;
	}

	/* Last: the marker that makes the copy count. */
	memset(buf, PROT_META_MARKER_BYTE, sizeof(buf));
	return f->program(f->ctx, base + marker_off(len, p), buf,
			  marker_len(p));
}

int prot_meta_commit(struct prot_meta *meta, const void *record)
{
	struct prot_meta_status st;
	enum prot_meta_copy_state state;
	unsigned int target;
	uint32_t seq, got;
	int rc;

	if (!meta || !meta->cfg.flash || !record)
		return -EINVAL;
	if (!meta->scanned) {
		rc = scan(meta, &st);
		if (rc)
			return rc;
	}
	target = meta->have_current ? 1u - meta->current : 0u;
	seq = meta->have_current ? meta->seq + 1u : 1u;
	/* Until the read-back succeeds, the cache cannot be trusted: a cut
	 * after the marker leaves the new copy valid. */
	meta->scanned = false;
	rc = write_copy(meta, target, seq, record);
	if (rc)
		return rc;
	rc = check_copy(meta, target, &state, &got, NULL);
	if (rc)
		return rc;
	if (state != PROT_META_COPY_VALID || got != seq)
		return -EIO;
	meta->current = (uint8_t)target;
	meta->seq = seq;
	meta->have_current = true;
	meta->scanned = true;
	return 0;
}
