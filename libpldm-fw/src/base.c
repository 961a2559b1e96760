/* SPDX-License-Identifier: Apache-2.0 */
/*
 * PLDM base (DSP0240): header, completion codes, the Type 0 responder,
 * requester codecs and the instance-ID tracker.
 */
#include <errno.h>
#include <string.h>

#include "codec.h"
#include "crc32.h"
#include "pldm/base.h"

int pldm_header_encode(const struct pldm_header *hdr, uint8_t *buf, size_t len)
{
	if (!hdr || !buf || hdr->instance_id > PLDM_INSTANCE_MAX ||
	    hdr->type > PLDM_HDR_TYPE_MASK)
		return -EINVAL;
	if (len < PLDM_HDR_LEN)
		return -EMSGSIZE;
	buf[0] =
		(uint8_t)((hdr->request ? PLDM_HDR_RQ : 0u) |
			  (hdr->datagram ? PLDM_HDR_D : 0u) | hdr->instance_id);
	/* header version 00 in bits 7:6 */
	buf[1] = hdr->type;
	buf[2] = hdr->command;
	return 0;
}

int pldm_header_decode(const uint8_t *buf, size_t len, struct pldm_header *hdr)
{
	struct pldm_reader r;
	uint8_t b0, b1;

	if (!buf || !hdr)
		return -EINVAL;
	pldm_reader_init(&r, buf, len);
	b0 = pldm_read_u8(&r);
	b1 = pldm_read_u8(&r);
	hdr->command = pldm_read_u8(&r);
	if (pldm_reader_status(&r) || (b1 >> 6) != 0)
		return -EBADMSG;
	hdr->request = (b0 & PLDM_HDR_RQ) != 0;
	hdr->datagram = (b0 & PLDM_HDR_D) != 0;
	hdr->instance_id = b0 & PLDM_HDR_INSTANCE_MASK;
	hdr->type = b1 & PLDM_HDR_TYPE_MASK;
	return 0;
}

int pldm_cc_to_errno(uint8_t cc)
{
	switch (cc) {
	case PLDM_CC_SUCCESS:
		return 0;
	case PLDM_CC_ERROR_INVALID_DATA:
		return -EINVAL;
	case PLDM_CC_ERROR_INVALID_LENGTH:
		return -EBADMSG;
	case PLDM_CC_ERROR_NOT_READY:
		return -EAGAIN;
	case PLDM_CC_ERROR_UNSUPPORTED_PLDM_CMD:
		return -EOPNOTSUPP;
	case PLDM_CC_ERROR_INVALID_PLDM_TYPE:
		return -EPROTONOSUPPORT;
	default:
		return -EIO;
	}
}

uint8_t pldm_errno_to_cc(int err)
{
	switch (err) {
	case 0:
		return PLDM_CC_SUCCESS;
	case -EINVAL:
		return PLDM_CC_ERROR_INVALID_DATA;
	case -EBADMSG:
	case -EMSGSIZE:
		return PLDM_CC_ERROR_INVALID_LENGTH;
	case -EAGAIN:
	case -EBUSY:
		return PLDM_CC_ERROR_NOT_READY;
	case -EOPNOTSUPP:
		return PLDM_CC_ERROR_UNSUPPORTED_PLDM_CMD;
	case -EPROTONOSUPPORT:
		return PLDM_CC_ERROR_INVALID_PLDM_TYPE;
	default:
		return PLDM_CC_ERROR;
	}
}

static void ver32_bytes(uint32_t v, uint8_t out[4])
{
	out[0] = (uint8_t)v;
	out[1] = (uint8_t)(v >> 8);
	out[2] = (uint8_t)(v >> 16);
	out[3] = (uint8_t)(v >> 24);
}

/* ---- Responder ---------------------------------------------------------- */

static const struct pldm_base_type *
find_type(const struct pldm_base_config *cfg, uint8_t type)
{
	size_t i;

	for (i = 0; i < cfg->n_types; i++)
		if (cfg->types[i].type == type)
			return &cfg->types[i];
	return NULL;
}

int pldm_base_init(struct pldm_base *b, const struct pldm_base_config *cfg)
{
	size_t i, j;

	if (!b || !cfg || !cfg->types || cfg->n_types == 0 ||
	    cfg->n_types > PLDM_MAX_TYPES || cfg->tid == PLDM_TID_RESERVED)
		return -EINVAL;
	for (i = 0; i < cfg->n_types; i++) {
		const struct pldm_base_type *t = &cfg->types[i];

		if (t->type > PLDM_HDR_TYPE_MASK || !t->versions ||
		    !t->commands || t->n_versions == 0 ||
		    t->n_versions > PLDM_BASE_MAX_VERSIONS)
			return -EINVAL;
		for (j = 0; j < i; j++)
			if (cfg->types[j].type == t->type)
				return -EINVAL;
	}
	if (!find_type(cfg, PLDM_TYPE_BASE))
		return -EINVAL;
	b->cfg = cfg;
	b->tid = cfg->tid;
	b->xfer_active = false;
	b->xfer_type = 0;
	b->xfer_last = 0;
	b->xfer_next = 0;
	return 0;
}

uint8_t pldm_base_tid(const struct pldm_base *b)
{
	return b->tid;
}

static bool command_supported(const struct pldm_base_type *t, uint8_t cmd)
{
	return (t->commands[cmd / 8u] >> (cmd % 8u)) & 1u;
}

/* Byte @i of the type's version data: ver32 entries, then their CRC-32. */
static uint8_t version_data_byte(const struct pldm_base_type *t, uint32_t i)
{
	uint8_t e[4];
	uint32_t crc = PLDM_CRC32_INIT;
	uint8_t k;

	if (i < 4u * t->n_versions) {
		ver32_bytes(t->versions[i / 4u], e);
		return e[i % 4u];
	}
	for (k = 0; k < t->n_versions; k++) {
		ver32_bytes(t->versions[k], e);
		crc = pldm_crc32_update(crc, e, 4);
	}
	ver32_bytes(crc ^ 0xFFFFFFFFu, e);
	return e[(i - 4u * t->n_versions) % 4u];
}

static uint8_t get_version(struct pldm_base *b, struct pldm_reader *r,
			   struct pldm_writer *w)
{
	const struct pldm_base_type *t;
	uint32_t handle, total, offset, part, cap, i;
	uint8_t op, type, flag;

	handle = pldm_read_le32(r);
	op = pldm_read_u8(r);
	type = pldm_read_u8(r);
	if (pldm_reader_status(r) || pldm_reader_left(r) != 0)
		return PLDM_CC_ERROR_INVALID_LENGTH;
	if (op == PLDM_TRANSFER_OP_GET_FIRST_PART) {
		offset = 0;
	} else if (op == PLDM_TRANSFER_OP_GET_NEXT_PART) {
		/* the handle last returned, or the one before it again when
		 * the requester lost our response and retries */
		if (!b->xfer_active || b->xfer_type != type || handle == 0 ||
		    (handle != b->xfer_next && handle != b->xfer_last))
			return PLDM_CC_INVALID_DATA_TRANSFER_HANDLE;
		offset = handle;
	} else {
		return PLDM_CC_INVALID_TRANSFER_OPERATION_FLAG;
	}
	t = find_type(b->cfg, type);
	if (!t) {
		/* a failed GetFirstPart ends any transfer in progress */
		b->xfer_active = false;
		return PLDM_CC_INVALID_PLDM_TYPE_IN_REQUEST_DATA;
	}
	total = 4u * t->n_versions + 4u;
	if (offset >= total) /* past the last part */
		return PLDM_CC_INVALID_DATA_TRANSFER_HANDLE;
	/* room after header, completion code, handle and flag */
	cap = (uint32_t)(w->cap - w->pos - 6u);
	part = total - offset;
	if (b->cfg->version_part_size && part > b->cfg->version_part_size)
		part = b->cfg->version_part_size;
	if (part > cap)
		part = cap;
	if (offset == 0)
		flag = offset + part == total ? PLDM_TRANSFER_FLAG_START_AND_END
					      : PLDM_TRANSFER_FLAG_START;
	else
		flag = offset + part == total ? PLDM_TRANSFER_FLAG_END
					      : PLDM_TRANSFER_FLAG_MIDDLE;
	pldm_write_u8(w, PLDM_CC_SUCCESS);
	pldm_write_le32(w, offset + part == total ? 0 : offset + part);
	pldm_write_u8(w, flag);
	for (i = 0; i < part; i++)
		pldm_write_u8(w, version_data_byte(t, offset + i));
	b->xfer_active = true;
	b->xfer_type = type;
	b->xfer_last = offset;
	b->xfer_next = offset + part;
	return PLDM_CC_SUCCESS;
}

static uint8_t get_commands(struct pldm_base *b, struct pldm_reader *r,
			    struct pldm_writer *w)
{
	const struct pldm_base_type *t;
	uint32_t version;
	uint8_t type, k;

	type = pldm_read_u8(r);
	version = pldm_read_le32(r);
	if (pldm_reader_status(r) || pldm_reader_left(r) != 0)
		return PLDM_CC_ERROR_INVALID_LENGTH;
	t = find_type(b->cfg, type);
	if (!t)
		return PLDM_CC_INVALID_PLDM_TYPE_IN_REQUEST_DATA;
	for (k = 0; k < t->n_versions; k++)
		if (t->versions[k] == version)
			break;
	if (k == t->n_versions)
		return PLDM_CC_INVALID_PLDM_VERSION_IN_REQUEST_DATA;
	pldm_write_u8(w, PLDM_CC_SUCCESS);
	pldm_write_bytes(w, t->commands, 32);
	return PLDM_CC_SUCCESS;
}

static uint8_t dispatch(struct pldm_base *b, uint8_t command,
			struct pldm_reader *r, struct pldm_writer *w)
{
	const struct pldm_base_type *base;
	uint8_t types[8];
	uint8_t tid;
	size_t i;

	base = find_type(b->cfg, PLDM_TYPE_BASE);
	if (!command_supported(base, command))
		return PLDM_CC_ERROR_UNSUPPORTED_PLDM_CMD;
	switch (command) {
	case PLDM_BASE_CMD_GET_TID:
		if (pldm_reader_left(r) != 0)
			return PLDM_CC_ERROR_INVALID_LENGTH;
		pldm_write_u8(w, PLDM_CC_SUCCESS);
		pldm_write_u8(w, b->tid);
		return PLDM_CC_SUCCESS;
	case PLDM_BASE_CMD_SET_TID:
		tid = pldm_read_u8(r);
		if (pldm_reader_status(r) || pldm_reader_left(r) != 0)
			return PLDM_CC_ERROR_INVALID_LENGTH;
		if (tid == PLDM_TID_UNASSIGNED || tid == PLDM_TID_RESERVED)
			return PLDM_CC_ERROR_INVALID_DATA;
		b->tid = tid;
		pldm_write_u8(w, PLDM_CC_SUCCESS);
		return PLDM_CC_SUCCESS;
	case PLDM_BASE_CMD_GET_PLDM_VERSION:
		return get_version(b, r, w);
	case PLDM_BASE_CMD_GET_PLDM_TYPES:
		if (pldm_reader_left(r) != 0)
			return PLDM_CC_ERROR_INVALID_LENGTH;
		memset(types, 0, sizeof(types));
		for (i = 0; i < b->cfg->n_types; i++) {
			uint8_t t = b->cfg->types[i].type;

			types[t / 8u] =
				(uint8_t)(types[t / 8u] | 1u << (t % 8u));
		}
		pldm_write_u8(w, PLDM_CC_SUCCESS);
		pldm_write_bytes(w, types, sizeof(types));
		return PLDM_CC_SUCCESS;
	case PLDM_BASE_CMD_GET_PLDM_COMMANDS:
		return get_commands(b, r, w);
	default:
		/* in the bitmap but not implemented here */
		return PLDM_CC_ERROR_UNSUPPORTED_PLDM_CMD;
	}
}

int pldm_base_handle(struct pldm_base *b, const uint8_t *req, size_t len,
		     uint8_t *rsp, size_t *rsp_len)
{
	struct pldm_header hdr;
	struct pldm_reader r;
	struct pldm_writer w;
	uint8_t cc;
	int rc;

	if (!b || !req || !rsp || !rsp_len)
		return -EINVAL;
	if (*rsp_len < PLDM_BASE_RSP_MIN_CAPACITY) {
		*rsp_len = 0;
		return -EMSGSIZE;
	}
	pldm_writer_init(&w, rsp, *rsp_len);
	*rsp_len = 0;
	rc = pldm_header_decode(req, len, &hdr);
	if (rc)
		return rc;
	if (!hdr.request)
		return -EBADMSG;
	if (hdr.datagram)
		return -ENOMSG;

	hdr.request = false;
	(void)pldm_header_encode(&hdr, pldm_write_space(&w, PLDM_HDR_LEN),
				 PLDM_HDR_LEN);
	pldm_reader_init(&r, req + PLDM_HDR_LEN, len - PLDM_HDR_LEN);
	if (hdr.type != PLDM_TYPE_BASE)
		cc = PLDM_CC_ERROR_INVALID_PLDM_TYPE;
	else
		cc = dispatch(b, hdr.command, &r, &w);
	if (cc != PLDM_CC_SUCCESS) {
		w.pos = PLDM_HDR_LEN;
		pldm_write_u8(&w, cc);
	}
	rc = pldm_writer_status(&w);
	if (rc)
		return rc;
	*rsp_len = w.pos;
	return 0;
}

/* ---- Requester ---------------------------------------------------------- */

static int encode_req(uint8_t instance_id, uint8_t command,
		      const uint8_t *payload, size_t payload_len, uint8_t *buf,
		      size_t *len)
{
	struct pldm_header hdr = {
		.request = true,
		.instance_id = instance_id,
		.type = PLDM_TYPE_BASE,
		.command = command,
	};
	int rc;

	if (!buf || !len)
		return -EINVAL;
	rc = pldm_header_encode(&hdr, buf, *len);
	if (rc)
		return rc;
	if (*len - PLDM_HDR_LEN < payload_len)
		return -EMSGSIZE;
	if (payload_len)
		memcpy(buf + PLDM_HDR_LEN, payload, payload_len);
	*len = PLDM_HDR_LEN + payload_len;
	return 0;
}

int pldm_base_encode_get_tid_req(uint8_t instance_id, uint8_t *buf, size_t *len)
{
	return encode_req(instance_id, PLDM_BASE_CMD_GET_TID, NULL, 0, buf,
			  len);
}

int pldm_base_encode_set_tid_req(uint8_t instance_id, uint8_t tid, uint8_t *buf,
				 size_t *len)
{
	if (tid == PLDM_TID_UNASSIGNED || tid == PLDM_TID_RESERVED)
		return -EINVAL;
	return encode_req(instance_id, PLDM_BASE_CMD_SET_TID, &tid, 1, buf,
			  len);
}

int pldm_base_encode_get_version_req(uint8_t instance_id,
				     uint32_t transfer_handle, uint8_t op,
				     uint8_t type, uint8_t *buf, size_t *len)
{
	uint8_t p[6];

	if (op > PLDM_TRANSFER_OP_GET_FIRST_PART || type > PLDM_HDR_TYPE_MASK)
		return -EINVAL;
	ver32_bytes(transfer_handle, p);
	p[4] = op;
	p[5] = type;
	return encode_req(instance_id, PLDM_BASE_CMD_GET_PLDM_VERSION, p,
			  sizeof(p), buf, len);
}

int pldm_base_encode_get_types_req(uint8_t instance_id, uint8_t *buf,
				   size_t *len)
{
	return encode_req(instance_id, PLDM_BASE_CMD_GET_PLDM_TYPES, NULL, 0,
			  buf, len);
}

int pldm_base_encode_get_commands_req(uint8_t instance_id, uint8_t type,
				      uint32_t version, uint8_t *buf,
				      size_t *len)
{
	uint8_t p[5];

	if (type > PLDM_HDR_TYPE_MASK)
		return -EINVAL;
	p[0] = type;
	ver32_bytes(version, p + 1);
	return encode_req(instance_id, PLDM_BASE_CMD_GET_PLDM_COMMANDS, p,
			  sizeof(p), buf, len);
}

/*
 * Common response checks; on return 0, @r is positioned after the
 * completion code. *@cc is set whenever a completion code was read.
 */
static int decode_rsp(const uint8_t *msg, size_t len, uint8_t command,
		      uint8_t *cc, struct pldm_reader *r)
{
	struct pldm_header hdr;
	int rc;

	if (!msg || !cc)
		return -EINVAL;
	rc = pldm_header_decode(msg, len, &hdr);
	if (rc)
		return rc;
	if (hdr.request || hdr.datagram || hdr.type != PLDM_TYPE_BASE ||
	    hdr.command != command)
		return -EBADMSG;
	pldm_reader_init(r, msg + PLDM_HDR_LEN, len - PLDM_HDR_LEN);
	*cc = pldm_read_u8(r);
	return pldm_reader_status(r);
}

/* After a successful completion code, every byte must have been used. */
static int decode_end(const struct pldm_reader *r)
{
	if (pldm_reader_status(r) || pldm_reader_left(r) != 0)
		return -EBADMSG;
	return 0;
}

int pldm_base_decode_get_tid_rsp(const uint8_t *msg, size_t len, uint8_t *cc,
				 uint8_t *tid)
{
	struct pldm_reader r;
	uint8_t v;
	int rc;

	if (!tid)
		return -EINVAL;
	rc = decode_rsp(msg, len, PLDM_BASE_CMD_GET_TID, cc, &r);
	if (rc || *cc != PLDM_CC_SUCCESS)
		return rc;
	v = pldm_read_u8(&r);
	rc = decode_end(&r);
	if (rc)
		return rc;
	*tid = v;
	return 0;
}

int pldm_base_decode_set_tid_rsp(const uint8_t *msg, size_t len, uint8_t *cc)
{
	struct pldm_reader r;
	int rc;

	rc = decode_rsp(msg, len, PLDM_BASE_CMD_SET_TID, cc, &r);
	if (rc || *cc != PLDM_CC_SUCCESS)
		return rc;
	return decode_end(&r);
}

int pldm_base_decode_get_version_rsp(const uint8_t *msg, size_t len,
				     uint8_t *cc, uint32_t *next_handle,
				     uint8_t *transfer_flag,
				     const uint8_t **data, size_t *data_len)
{
	struct pldm_reader r;
	uint32_t handle;
	uint8_t flag;
	int rc;

	if (!next_handle || !transfer_flag || !data || !data_len)
		return -EINVAL;
	rc = decode_rsp(msg, len, PLDM_BASE_CMD_GET_PLDM_VERSION, cc, &r);
	if (rc || *cc != PLDM_CC_SUCCESS)
		return rc;
	handle = pldm_read_le32(&r);
	flag = pldm_read_u8(&r);
	rc = pldm_reader_status(&r);
	if (rc)
		return rc;
	if (flag != PLDM_TRANSFER_FLAG_START &&
	    flag != PLDM_TRANSFER_FLAG_MIDDLE &&
	    flag != PLDM_TRANSFER_FLAG_END &&
	    flag != PLDM_TRANSFER_FLAG_START_AND_END)
		return -EBADMSG;
	*next_handle = handle;
	*transfer_flag = flag;
	*data_len = pldm_reader_left(&r);
	*data = pldm_read_bytes(&r, *data_len);
	return 0;
}

int pldm_base_decode_get_types_rsp(const uint8_t *msg, size_t len, uint8_t *cc,
				   uint8_t types[8])
{
	struct pldm_reader r;
	const uint8_t *p;
	int rc;

	if (!types)
		return -EINVAL;
	rc = decode_rsp(msg, len, PLDM_BASE_CMD_GET_PLDM_TYPES, cc, &r);
	if (rc || *cc != PLDM_CC_SUCCESS)
		return rc;
	p = pldm_read_bytes(&r, 8);
	rc = decode_end(&r);
	if (rc)
		return rc;
	memcpy(types, p, 8);
	return 0;
}

int pldm_base_decode_get_commands_rsp(const uint8_t *msg, size_t len,
				      uint8_t *cc, uint8_t commands[32])
{
	struct pldm_reader r;
	const uint8_t *p;
	int rc;

	if (!commands)
		return -EINVAL;
	rc = decode_rsp(msg, len, PLDM_BASE_CMD_GET_PLDM_COMMANDS, cc, &r);
	if (rc || *cc != PLDM_CC_SUCCESS)
		return rc;
	p = pldm_read_bytes(&r, 32);
	rc = decode_end(&r);
	if (rc)
		return rc;
	memcpy(commands, p, 32);
	return 0;
}

int pldm_base_version_data_parse(const uint8_t *data, size_t len,
				 uint32_t *versions, size_t max, size_t *n)
{
	struct pldm_reader r;
	size_t count, i;
	uint32_t crc;

	if (!data || !n || (max && !versions))
		return -EINVAL;
	if (len < 8 || len % 4 != 0)
		return -EBADMSG;
	count = len / 4 - 1;
	crc = pldm_crc32_update(PLDM_CRC32_INIT, data, len - 4) ^ 0xFFFFFFFFu;
	pldm_reader_init(&r, data + len - 4, 4);
	if (pldm_read_le32(&r) != crc)
		return -EBADMSG;
	if (count > max)
		return -ENOSPC;
	pldm_reader_init(&r, data, len - 4);
	for (i = 0; i < count; i++)
		versions[i] = pldm_read_le32(&r);
	*n = count;
	return pldm_reader_status(&r);
}

/* ---- Instance-ID tracker ------------------------------------------------ */

int pldm_instance_init(struct pldm_instance_tracker *t,
		       struct pldm_instance_tid *slots, size_t n_slots)
{
	if (!t || !slots || n_slots == 0)
		return -EINVAL;
	memset(slots, 0, n_slots * sizeof(*slots));
	t->slots = slots;
	t->n_slots = n_slots;
	return 0;
}

static struct pldm_instance_tid *find_tid(struct pldm_instance_tracker *t,
					  uint8_t tid)
{
	size_t i;

	for (i = 0; i < t->n_slots; i++)
		if (t->slots[i].used && t->slots[i].tid == tid)
			return &t->slots[i];
	return NULL;
}

int pldm_instance_alloc(struct pldm_instance_tracker *t, uint8_t tid,
			uint8_t *instance_id)
{
	struct pldm_instance_tid *s;
	unsigned int k, id;
	size_t i;

	if (!t || !instance_id || !t->slots)
		return -EINVAL;
	s = find_tid(t, tid);
	if (!s) {
		/* a free slot, or one with nothing outstanding to reuse */
		for (i = 0; i < t->n_slots && !s; i++)
			if (!t->slots[i].used)
				s = &t->slots[i];
		for (i = 0; i < t->n_slots && !s; i++)
			if (t->slots[i].outstanding == 0)
				s = &t->slots[i];
		if (!s)
			return -ENOSPC;
		memset(s, 0, sizeof(*s));
		s->used = true;
		s->tid = tid;
	}
	for (k = 0; k <= PLDM_INSTANCE_MAX; k++) {
		id = (s->next + k) & PLDM_INSTANCE_MAX;
		if (!(s->outstanding & (1u << id))) {
			s->outstanding |= 1u << id;
			s->answered &= ~(1u << id);
			s->next = (uint8_t)((id + 1u) & PLDM_INSTANCE_MAX);
			*instance_id = (uint8_t)id;
			return 0;
		}
	}
	return -EAGAIN;
}

int pldm_instance_response(struct pldm_instance_tracker *t, uint8_t tid,
			   uint8_t instance_id)
{
	struct pldm_instance_tid *s;
	uint32_t bit;

	if (!t || instance_id > PLDM_INSTANCE_MAX)
		return -EINVAL;
	s = find_tid(t, tid);
	if (!s)
		return -ESTALE;
	bit = 1u << instance_id;
	if (s->outstanding & bit) {
		s->outstanding &= ~bit;
		s->answered |= bit;
		return 0;
	}
	return (s->answered & bit) ? -EALREADY : -ESTALE;
}

int pldm_instance_release(struct pldm_instance_tracker *t, uint8_t tid,
			  uint8_t instance_id)
{
	struct pldm_instance_tid *s;
	uint32_t bit;

	if (!t || instance_id > PLDM_INSTANCE_MAX)
		return -EINVAL;
	s = find_tid(t, tid);
	bit = 1u << instance_id;
	if (!s || !(s->outstanding & bit))
		return -ENOENT;
	s->outstanding &= ~bit;
	s->answered &= ~bit;
	return 0;
}
