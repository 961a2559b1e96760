/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libpldm-fw's one bounds-checked reader and writer. Every byte from the
 * wire or from a package is read through a struct pldm_reader; an overrun
 * sets a sticky error, so a decoder can read all its fields and check once
 * at the end. PLDM fields are little-endian.
 */
#ifndef PLDM_SRC_CODEC_H
#define PLDM_SRC_CODEC_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct pldm_reader {
	const uint8_t *buf;
	size_t len;
	size_t pos;
	bool overrun;
};

struct pldm_writer {
	uint8_t *buf;
	size_t cap;
	size_t pos;
	bool overrun;
};

static inline void pldm_reader_init(struct pldm_reader *r, const uint8_t *buf,
				    size_t len)
{
	r->buf = buf;
	r->len = len;
	r->pos = 0;
	r->overrun = false;
}

static inline size_t pldm_reader_left(const struct pldm_reader *r)
{
	return r->overrun ? 0 : r->len - r->pos;
}

static inline const uint8_t *pldm_read_bytes(struct pldm_reader *r, size_t n)
{
	const uint8_t *p;

	if (r->overrun || n > r->len - r->pos) {
		r->overrun = true;
		return NULL;
	}
	p = r->buf + r->pos;
	r->pos += n;
	return p;
}

static inline uint8_t pldm_read_u8(struct pldm_reader *r)
{
	const uint8_t *p = pldm_read_bytes(r, 1);

	return p ? p[0] : 0;
}

static inline uint16_t pldm_read_le16(struct pldm_reader *r)
{
	const uint8_t *p = pldm_read_bytes(r, 2);

	if (!p)
		return 0;
	return (uint16_t)((unsigned int)p[1] << 8 | p[0]);
}

static inline uint32_t pldm_read_le32(struct pldm_reader *r)
{
	const uint8_t *p = pldm_read_bytes(r, 4);

	if (!p)
		return 0;
	return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[1] << 8 | p[0];
}

/* 0 when every read fitted, -EBADMSG after any overrun. */
static inline int pldm_reader_status(const struct pldm_reader *r)
{
	return r->overrun ? -EBADMSG : 0;
}

static inline void pldm_writer_init(struct pldm_writer *w, uint8_t *buf,
				    size_t cap)
{
	w->buf = buf;
	w->cap = cap;
	w->pos = 0;
	w->overrun = false;
}

static inline uint8_t *pldm_write_space(struct pldm_writer *w, size_t n)
{
	uint8_t *p;

	if (w->overrun || n > w->cap - w->pos) {
		w->overrun = true;
		return NULL;
	}
	p = w->buf + w->pos;
	w->pos += n;
	return p;
}

static inline void pldm_write_u8(struct pldm_writer *w, uint8_t v)
{
	uint8_t *p = pldm_write_space(w, 1);

	if (p)
		p[0] = v;
}

static inline void pldm_write_le16(struct pldm_writer *w, uint16_t v)
{
	uint8_t *p = pldm_write_space(w, 2);

	if (p) {
		p[0] = (uint8_t)v;
		p[1] = (uint8_t)(v >> 8);
	}
}

static inline void pldm_write_le32(struct pldm_writer *w, uint32_t v)
{
	uint8_t *p = pldm_write_space(w, 4);

	if (p) {
		p[0] = (uint8_t)v;
		p[1] = (uint8_t)(v >> 8);
		p[2] = (uint8_t)(v >> 16);
		p[3] = (uint8_t)(v >> 24);
	}
}

static inline void pldm_write_bytes(struct pldm_writer *w, const uint8_t *src,
				    size_t n)
{
	uint8_t *p = pldm_write_space(w, n);

	if (p && n)
		memcpy(p, src, n);
}

/* 0 when every write fitted, -EMSGSIZE after any overrun. */
static inline int pldm_writer_status(const struct pldm_writer *w)
{
	return w->overrun ? -EMSGSIZE : 0;
}

#endif /* PLDM_SRC_CODEC_H */
