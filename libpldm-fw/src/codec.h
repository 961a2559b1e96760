/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libpldm-fw's one bounds-checked reader and writer. Every byte from the
 * wire or from a package is read through a struct pldm_reader; an overrun
 * sets a sticky error, so a decoder can read all its fields and check once
 * at the end. PLDM fields are little-endian.
 *
 * The reads and writes are functions (codec.c), not inlines: each decoder
 * calls them dozens of times, and one shared copy keeps the library small
 * on a microcontroller.
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

const uint8_t *pldm_read_bytes(struct pldm_reader *r, size_t n);
uint8_t pldm_read_u8(struct pldm_reader *r);
uint16_t pldm_read_le16(struct pldm_reader *r);
uint32_t pldm_read_le32(struct pldm_reader *r);
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

uint8_t *pldm_write_space(struct pldm_writer *w, size_t n);
void pldm_write_u8(struct pldm_writer *w, uint8_t v);
void pldm_write_le16(struct pldm_writer *w, uint16_t v);
void pldm_write_le32(struct pldm_writer *w, uint32_t v);
void pldm_write_bytes(struct pldm_writer *w, const uint8_t *src, size_t n);
/* 0 when every write fitted, -EMSGSIZE after any overrun. */
static inline int pldm_writer_status(const struct pldm_writer *w)
{
	return w->overrun ? -EMSGSIZE : 0;
}

#endif /* PLDM_SRC_CODEC_H */
