/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libspdm-lite's one bounds-checked reader and writer. Every byte from the
 * wire is read through a struct spdm_reader; an overrun sets a sticky
 * error, so a decoder can read all its fields and check once at the end.
 * SPDM fields are little-endian.
 */
#ifndef SPDM_SRC_CODEC_H
#define SPDM_SRC_CODEC_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct spdm_reader {
	const uint8_t *buf;
	size_t len;
	size_t pos;
	bool overrun;
};

struct spdm_writer {
	uint8_t *buf;
	size_t cap;
	size_t pos;
	size_t want; /* bytes asked for, fitting or not */
	bool overrun;
};

static inline void spdm_reader_init(struct spdm_reader *r, const uint8_t *buf,
				    size_t len)
{
	r->buf = buf;
	r->len = len;
	r->pos = 0;
	r->overrun = false;
}

static inline size_t spdm_reader_left(const struct spdm_reader *r)
{
	return r->overrun ? 0 : r->len - r->pos;
}

static inline const uint8_t *spdm_read_bytes(struct spdm_reader *r, size_t n)
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

static inline void spdm_read_skip(struct spdm_reader *r, size_t n)
{
	(void)spdm_read_bytes(r, n);
}

static inline uint8_t spdm_read_u8(struct spdm_reader *r)
{
	const uint8_t *p = spdm_read_bytes(r, 1);

	return p ? p[0] : 0;
}

static inline uint16_t spdm_read_le16(struct spdm_reader *r)
{
	const uint8_t *p = spdm_read_bytes(r, 2);

	if (!p)
		return 0;
	return (uint16_t)((unsigned int)p[1] << 8 | p[0]);
}

static inline uint32_t spdm_read_le32(struct spdm_reader *r)
{
	const uint8_t *p = spdm_read_bytes(r, 4);

	if (!p)
		return 0;
	return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[1] << 8 | p[0];
}

/* 0 when every read fitted, -EBADMSG after any overrun. */
static inline int spdm_reader_status(const struct spdm_reader *r)
{
	return r->overrun ? -EBADMSG : 0;
}

static inline void spdm_writer_init(struct spdm_writer *w, uint8_t *buf,
				    size_t cap)
{
	w->buf = buf;
	w->cap = cap;
	w->pos = 0;
	w->want = 0;
	w->overrun = false;
}

static inline uint8_t *spdm_write_space(struct spdm_writer *w, size_t n)
{
	uint8_t *p;

	w->want += n;
	if (w->overrun || n > w->cap - w->pos) {
		w->overrun = true;
		return NULL;
	}
	p = w->buf + w->pos;
	w->pos += n;
	return p;
}

static inline void spdm_write_u8(struct spdm_writer *w, uint8_t v)
{
	uint8_t *p = spdm_write_space(w, 1);

	if (p)
		p[0] = v;
}

static inline void spdm_write_le16(struct spdm_writer *w, uint16_t v)
{
	uint8_t *p = spdm_write_space(w, 2);

	if (p) {
		p[0] = (uint8_t)v;
		p[1] = (uint8_t)(v >> 8);
	}
}

static inline void spdm_write_le32(struct spdm_writer *w, uint32_t v)
{
	uint8_t *p = spdm_write_space(w, 4);

	if (p) {
		p[0] = (uint8_t)v;
		p[1] = (uint8_t)(v >> 8);
		p[2] = (uint8_t)(v >> 16);
		p[3] = (uint8_t)(v >> 24);
	}
}

static inline void spdm_write_zero(struct spdm_writer *w, size_t n)
{
	uint8_t *p = spdm_write_space(w, n);

	if (p && n)
		memset(p, 0, n);
}

static inline void spdm_write_bytes(struct spdm_writer *w, const uint8_t *src,
				    size_t n)
{
	uint8_t *p = spdm_write_space(w, n);

	if (p && n)
		memcpy(p, src, n);
}

/* Overwrite a 16-bit field written earlier at @pos (a length known only
 * at the end). */
static inline void spdm_writer_patch_le16(struct spdm_writer *w, size_t pos,
					  uint16_t v)
{
	if (!w->overrun && pos + 2 <= w->pos) {
		w->buf[pos] = (uint8_t)v;
		w->buf[pos + 1] = (uint8_t)(v >> 8);
	}
}

/* 0 when every write fitted, -EMSGSIZE after any overrun. */
static inline int spdm_writer_status(const struct spdm_writer *w)
{
	return w->overrun ? -EMSGSIZE : 0;
}

#endif /* SPDM_SRC_CODEC_H */
