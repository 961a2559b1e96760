/* SPDX-License-Identifier: Apache-2.0 */
/* The shared bodies of codec.h's reads and writes. */
#include "codec.h"

const uint8_t *pldm_read_bytes(struct pldm_reader *r, size_t n)
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

uint8_t pldm_read_u8(struct pldm_reader *r)
{
	const uint8_t *p = pldm_read_bytes(r, 1);

	return p ? p[0] : 0;
}

uint16_t pldm_read_le16(struct pldm_reader *r)
{
	const uint8_t *p = pldm_read_bytes(r, 2);

	if (!p)
		return 0;
	return (uint16_t)((unsigned int)p[1] << 8 | p[0]);
}

uint32_t pldm_read_le32(struct pldm_reader *r)
{
	const uint8_t *p = pldm_read_bytes(r, 4);

	if (!p)
		return 0;
	return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[1] << 8 | p[0];
}

uint8_t *pldm_write_space(struct pldm_writer *w, size_t n)
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

void pldm_write_u8(struct pldm_writer *w, uint8_t v)
{
	uint8_t *p = pldm_write_space(w, 1);

	if (p)
		p[0] = v;
}

void pldm_write_le16(struct pldm_writer *w, uint16_t v)
{
	uint8_t *p = pldm_write_space(w, 2);

	if (p) {
		p[0] = (uint8_t)v;
		p[1] = (uint8_t)(v >> 8);
	}
}

void pldm_write_le32(struct pldm_writer *w, uint32_t v)
{
	uint8_t *p = pldm_write_space(w, 4);

	if (p) {
		p[0] = (uint8_t)v;
		p[1] = (uint8_t)(v >> 8);
		p[2] = (uint8_t)(v >> 16);
		p[3] = (uint8_t)(v >> 24);
	}
}

void pldm_write_bytes(struct pldm_writer *w, const uint8_t *src, size_t n)
{
	uint8_t *p = pldm_write_space(w, n);

	if (p && n)
		memcpy(p, src, n);
}
