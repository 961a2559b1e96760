/* SPDX-License-Identifier: Apache-2.0 */
/* Requester, connect flow: GET_VERSION, GET_CAPABILITIES and
 * NEGOTIATE_ALGORITHMS, and the checks on their responses (DSP0274 tables
 * of the VERSION, CAPABILITIES and ALGORITHMS responses). */
#include <errno.h>
#include <string.h>

#include "internal.h"
#include "requester-internal.h"

/* The 1.1+ algorithm structures we send, in AlgType order: their type and
 * the mask offered (structures with an empty mask are not sent). */
static unsigned int offered_structs(const struct spdm_requester *q,
				    uint8_t types[4], uint16_t masks[4])
{
	const struct spdm_requester_config *cfg = q->cfg;
	const uint16_t all[4] = {cfg->dhe_named_group, cfg->aead_cipher_suite,
				 q->offer_req_asym, cfg->key_schedule};
	unsigned int i, n = 0;

	for (i = 0; i < 4; i++) {
		if (!all[i])
			continue;
		types[n] = (uint8_t)(SPDM_ALG_TYPE_DHE + i);
		masks[n] = all[i];
		n++;
	}
	return n;
}

static void build_negotiate(struct spdm_requester *q, struct spdm_writer *w)
{
	const struct spdm_requester_config *cfg = q->cfg;
	uint8_t v = q->conn.version, types[4];
	uint16_t masks[4];
	unsigned int i, n = 0;

	if (v >= SPDM_VERSION_11)
		n = offered_structs(q, types, masks);
	spdm_write_u8(w, v);
	spdm_write_u8(w, SPDM_NEGOTIATE_ALGORITHMS);
	spdm_write_u8(w, (uint8_t)n);
	spdm_write_u8(w, 0);
	spdm_write_le16(w, (uint16_t)(SPDM_NEGOTIATE_ALGORITHMS_FIXED_SIZE +
				      SPDM_ALG_STRUCT_SIZE * n));
	spdm_write_u8(w, cfg->measurement_specification);
	spdm_write_u8(w, v >= SPDM_VERSION_12 ? cfg->other_params_support : 0);
	spdm_write_le32(w, q->offer_asym);
	spdm_write_le32(w, q->offer_hash);
	/* Reserved (12), ExtAsymCount, ExtHashCount, Reserved,
	 * MELspecification (1.3; none offered). */
	spdm_write_zero(w, 16);
	for (i = 0; i < n; i++) {
		spdm_write_u8(w, types[i]);
		spdm_write_u8(w, SPDM_ALG_COUNT_FIXED_2);
		spdm_write_le16(w, masks[i]);
	}
}

int spdm_req_vca_build(struct spdm_requester *q, struct spdm_writer *w)
{
	const struct spdm_requester_config *cfg = q->cfg;
	uint8_t v = q->conn.version;

	switch (q->state) {
	case SPDM_REQUESTER_STATE_GET_VERSION:
		spdm_write_u8(w, SPDM_VERSION_10);
		spdm_write_u8(w, SPDM_GET_VERSION);
		spdm_write_zero(w, 2);
		break;
	case SPDM_REQUESTER_STATE_GET_CAPABILITIES:
		spdm_write_u8(w, v);
		spdm_write_u8(w, SPDM_GET_CAPABILITIES);
		spdm_write_zero(w, 2);
		if (v >= SPDM_VERSION_11) {
			spdm_write_u8(w, 0);
			spdm_write_u8(w, cfg->ct_exponent);
			spdm_write_zero(w, 2);
			spdm_write_le32(w, cfg->flags & spdm_req_flags_mask(v));
		}
		if (v >= SPDM_VERSION_12) {
			spdm_write_le32(w, cfg->data_transfer_size);
			spdm_write_le32(w, cfg->max_spdm_msg_size);
		}
		break;
	case SPDM_REQUESTER_STATE_NEGOTIATE_ALGORITHMS:
		build_negotiate(q, w);
		break;
	default:
		return -EINVAL;
	}
	return spdm_writer_status(w);
}

static int vca_append(struct spdm_requester *q, const uint8_t *rsp,
		      size_t rsp_len)
{
	int err = spdm_transcript_append(&q->vca, q->req, q->req_len);

	if (!err)
		err = spdm_transcript_append(&q->vca, rsp, rsp_len);
	return err ? -EBADMSG : 0;
}

static int parse_version(struct spdm_requester *q, const uint8_t *rsp,
			 size_t rsp_len)
{
	struct spdm_reader rd;
	unsigned int i, count, v, best = 0;
	uint16_t entry;

	if (rsp[1] != SPDM_VERSION)
		return -EBADMSG;
	spdm_reader_init(&rd, rsp, rsp_len);
	spdm_read_skip(&rd, SPDM_VERSION_FIXED_SIZE - 1);
	count = spdm_read_u8(&rd);
	if (count == 0 || count > SPDM_MAX_VERSION_ENTRIES)
		return -EBADMSG;
	for (i = 0; i < count; i++) {
		entry = spdm_read_le16(&rd);
		v = entry >> 8; /* major.minor; update and alpha ignored */
		if (spdm_version_known((uint8_t)v) &&
		    (q->version_mask & (1u << (v - SPDM_VERSION_10))) &&
		    v > best)
			best = v;
	}
	if (spdm_reader_status(&rd) || spdm_reader_left(&rd))
		return -EBADMSG;
	if (!best)
		return -ENOTSUP;
	if (vca_append(q, rsp, rsp_len))
		return -EBADMSG;
	spdm_requester_set_state(q, SPDM_REQUESTER_STATE_GET_CAPABILITIES);
	q->conn.version = (uint8_t)best;
	return -EAGAIN;
}

static int parse_capabilities(struct spdm_requester *q, const uint8_t *rsp,
			      size_t rsp_len)
{
	struct spdm_reader rd;
	uint8_t v = q->conn.version, ct_exponent;
	uint32_t flags, dts = 0, mms = 0;

	if (rsp[1] != SPDM_CAPABILITIES)
		return -EBADMSG;
	if (rsp_len != (v >= SPDM_VERSION_12 ? SPDM_CAPABILITIES_SIZE_12
					     : SPDM_CAPABILITIES_RSP_SIZE_10))
		return -EBADMSG;
	spdm_reader_init(&rd, rsp, rsp_len);
	spdm_read_skip(&rd, SPDM_HEADER_SIZE + 1);
	ct_exponent = spdm_read_u8(&rd);
	spdm_read_skip(&rd, 2);
	flags = spdm_read_le32(&rd) & spdm_rsp_flags_mask(v);
	if (v >= SPDM_VERSION_12) {
		dts = spdm_read_le32(&rd);
		mms = spdm_read_le32(&rd);
		if (dts < SPDM_MIN_DATA_TRANSFER_SIZE || mms < dts ||
		    (!(flags & SPDM_RSP_CHUNK_CAP) && dts != mms))
			return -EBADMSG;
	}
	if (spdm_reader_status(&rd) || !spdm_flags_valid(flags, v, true))
		return -EBADMSG;
	if (vca_append(q, rsp, rsp_len))
		return -EBADMSG;
	q->conn.peer_ct_exponent = ct_exponent;
	q->conn.peer_flags = flags;
	q->conn.peer_data_transfer_size = dts;
	q->conn.peer_max_spdm_msg_size = mms;
	spdm_requester_set_state(q, SPDM_REQUESTER_STATE_NEGOTIATE_ALGORITHMS);
	return -EAGAIN;
}

/* A selection is nothing, or exactly one of the bits offered. */
static bool selected_from(uint32_t sel, uint32_t offered)
{
	return sel == 0 || (spdm_single_bit(sel) && (sel & offered) == sel);
}

static int parse_algorithms(struct spdm_requester *q, const uint8_t *rsp,
			    size_t rsp_len)
{
	const struct spdm_requester_config *cfg = q->cfg;
	struct spdm_connection_info c = q->conn;
	struct spdm_reader rd;
	uint8_t types[4], type, prev = 0;
	uint16_t masks[4], length, sel;
	unsigned int i, j, n, n_offered = 0, ext;
	uint32_t ours = cfg->flags & spdm_req_flags_mask(c.version);

	if (rsp[1] != SPDM_ALGORITHMS)
		return -EBADMSG;
	if (c.version >= SPDM_VERSION_11)
		n_offered = offered_structs(q, types, masks);
	spdm_reader_init(&rd, rsp, rsp_len);
	spdm_read_skip(&rd, 2);
	n = spdm_read_u8(&rd);
	spdm_read_skip(&rd, 1);
	length = spdm_read_le16(&rd);
	c.measurement_specification = spdm_read_u8(&rd);
	c.other_params = spdm_read_u8(&rd);
	c.measurement_hash_algo = spdm_read_le32(&rd);
	c.base_asym_algo = spdm_read_le32(&rd);
	c.base_hash_algo = spdm_read_le32(&rd);
	spdm_read_skip(&rd, 11);
	c.mel_specification = spdm_read_u8(&rd);
	ext = spdm_read_u8(&rd);
	ext |= spdm_read_u8(&rd);
	spdm_read_skip(&rd, 2);
	if (c.version == SPDM_VERSION_10)
		n = 0;
	/* No extended algorithm was offered, so none may be selected; at
	 * most the structures we sent come back, in order. */
	if (ext || n > n_offered)
		return -EBADMSG;
	for (i = 0; i < n; i++) {
		type = spdm_read_u8(&rd);
		if (spdm_read_u8(&rd) != SPDM_ALG_COUNT_FIXED_2)
			return -EBADMSG;
		sel = spdm_read_le16(&rd);
		for (j = 0; j < n_offered && types[j] != type; j++)
			;
		if (j == n_offered || type <= prev ||
		    !selected_from(sel, masks[j]))
			return -EBADMSG;
		prev = type;
		spdm_conn_set_struct(&c, type, sel);
	}
	if (spdm_reader_status(&rd) || spdm_reader_left(&rd) ||
	    length != rsp_len)
		return -EBADMSG;
	if (c.version < SPDM_VERSION_12)
		c.other_params = 0;
	if (c.version < SPDM_VERSION_13)
		c.mel_specification = 0;
	c.other_params &= SPDM_OPAQUE_DATA_FMT_MASK | SPDM_MULTI_KEY_CONN;
	if (!selected_from(c.measurement_specification,
			   cfg->measurement_specification) ||
	    !selected_from(c.measurement_hash_algo, 0xFFu) ||
	    !selected_from(c.base_asym_algo, q->offer_asym) ||
	    !selected_from(c.base_hash_algo, q->offer_hash) ||
	    !selected_from(c.other_params, c.version >= SPDM_VERSION_12
						   ? cfg->other_params_support
						   : 0) ||
	    c.mel_specification)
		return -EBADMSG;
	if (spdm_check_selection(&c, c.peer_flags, ours))
		return -EBADMSG;
	if (vca_append(q, rsp, rsp_len))
		return -EBADMSG;
	c.hash = spdm_hash_alg_from_wire(c.base_hash_algo);
	c.asym = spdm_asym_alg_from_wire(c.base_asym_algo);
	c.measurement_hash = spdm_meas_hash_alg(c.measurement_hash_algo);
	q->conn = c;
	spdm_requester_set_state(q, SPDM_REQUESTER_STATE_NEGOTIATED);
	return 0;
}

int spdm_req_vca_parse(struct spdm_requester *q, const uint8_t *rsp,
		       size_t rsp_len)
{
	switch (q->state) {
	case SPDM_REQUESTER_STATE_GET_VERSION:
		return parse_version(q, rsp, rsp_len);
	case SPDM_REQUESTER_STATE_GET_CAPABILITIES:
		return parse_capabilities(q, rsp, rsp_len);
	case SPDM_REQUESTER_STATE_NEGOTIATE_ALGORITHMS:
		return parse_algorithms(q, rsp, rsp_len);
	default:
		return -EINVAL;
	}
}
