/* SPDX-License-Identifier: Apache-2.0 */
/* Responder: GET_VERSION, GET_CAPABILITIES and NEGOTIATE_ALGORITHMS
 * (DSP0274 "GET_VERSION request and VERSION response", "GET_CAPABILITIES
 * request and CAPABILITIES response", "NEGOTIATE_ALGORITHMS request and
 * ALGORITHMS response"). */
#include <errno.h>
#include <string.h>

#include "internal.h"
#include "responder-internal.h"

/* Append the request and the response just written to message A. Both
 * always fit: see SPDM_VCA_MAX_SIZE. */
static int vca_append(struct spdm_responder *r, const uint8_t *req,
		      size_t req_len, const struct spdm_writer *w)
{
	if (req_len + w->pos > sizeof(r->vca.buf) - r->vca.len)
		return -EMSGSIZE;
	spdm_transcript_append(&r->vca, req, req_len);
	spdm_transcript_append(&r->vca, w->buf, w->pos);
	return 0;
}

int spdm_rsp_get_version(struct spdm_responder *r, const uint8_t *req,
			 size_t req_len, struct spdm_writer *w)
{
	unsigned int i, n = 0;
	int err;

	/* GET_VERSION is always sent at version 1.0. */
	if (req[0] != SPDM_VERSION_10)
		return -EPROTO;
	if (req_len != SPDM_GET_VERSION_SIZE)
		return -EBADMSG;
	for (i = 0; i < SPDM_VERSION_COUNT; i++)
		n += (r->version_mask >> i) & 1u;
	spdm_write_u8(w, SPDM_VERSION_10);
	spdm_write_u8(w, SPDM_VERSION);
	spdm_write_zero(w, 3); /* Param1, Param2, Reserved */
	spdm_write_u8(w, (uint8_t)n);
	for (i = 0; i < SPDM_VERSION_COUNT; i++)
		if (r->version_mask & (1u << i))
			spdm_write_le16(
				w, SPDM_VERSION_ENTRY(SPDM_VERSION_10 + i));
	err = spdm_writer_status(w);
	if (err)
		return err;
	/* A new connection: whatever was negotiated is gone. */
	spdm_transcript_reset(&r->vca);
	spdm_responder_set_state(r, SPDM_RESPONDER_STATE_AFTER_VERSION);
	return vca_append(r, req, req_len, w);
}

static size_t capabilities_size(uint8_t version)
{
	if (version == SPDM_VERSION_10)
		return SPDM_CAPABILITIES_SIZE_10;
	if (version == SPDM_VERSION_11)
		return SPDM_CAPABILITIES_SIZE_11;
	return SPDM_CAPABILITIES_SIZE_12;
}

/* The 1.3 Supported Algorithms block (DSP0274 1.3 "Supported Algorithms
 * Block"): laid out as NEGOTIATE_ALGORITHMS after its version and code:
 * Param1 = number of algorithm structures, Param2 0, Length (the block),
 * MeasurementSpecification, OtherParamsSupport, BaseAsymAlgo,
 * BaseHashAlgo, Reserved (12), ExtAsymCount 0, ExtHashCount 0, Reserved,
 * MELspecification, then one structure per configured type, in type
 * order. What it lists is what ALGORITHMS may select. */
static void write_supported_algs(struct spdm_responder *r,
				 struct spdm_writer *w)
{
	const struct spdm_responder_config *cfg = r->cfg;
	const uint16_t algs[4] = {cfg->dhe_named_group, cfg->aead_cipher_suite,
				  r->offer_req_asym, cfg->key_schedule};
	unsigned int i, n = 0;

	for (i = 0; i < 4; i++)
		n += algs[i] != 0;
	spdm_write_u8(w, (uint8_t)n);
	spdm_write_u8(w, 0);
	spdm_write_le16(w, (uint16_t)(SPDM_SUPPORTED_ALGS_FIXED_SIZE +
				      n * SPDM_ALG_STRUCT_SIZE));
	spdm_write_u8(w, cfg->measurement_specification);
	/* The selection echoes either opaque data format. */
	spdm_write_u8(w, SPDM_OPAQUE_DATA_FMT_0 | SPDM_OPAQUE_DATA_FMT_1);
	spdm_write_le32(w, r->offer_asym);
	spdm_write_le32(w, r->offer_hash);
	spdm_write_zero(w, 16); /* up to MELspecification: no MEL_CAP */
	for (i = 0; i < 4; i++) {
		if (!algs[i])
			continue;
		spdm_write_u8(w, (uint8_t)(SPDM_ALG_TYPE_DHE + i));
		spdm_write_u8(w, SPDM_ALG_COUNT_FIXED_2);
		spdm_write_le16(w, algs[i]);
	}
}

int spdm_rsp_get_capabilities(struct spdm_responder *r, const uint8_t *req,
			      size_t req_len, struct spdm_writer *w)
{
	const struct spdm_responder_config *cfg = r->cfg;
	struct spdm_reader rd;
	uint8_t version = req[0], ct_exponent = 0;
	uint32_t flags = 0, dts = 0, mms = 0;
	bool algs = false;
	int err;

	if (r->state != SPDM_RESPONDER_STATE_AFTER_VERSION)
		return -EPERM;
	if (!spdm_version_known(version) ||
	    !(r->version_mask & (1u << (version - SPDM_VERSION_10))))
		return -EPROTO;
	if (req_len != capabilities_size(version))
		return -EBADMSG;
	spdm_reader_init(&rd, req, req_len);
	spdm_read_skip(&rd, SPDM_HEADER_SIZE);
	if (version >= SPDM_VERSION_11) {
		spdm_read_skip(&rd, 1);
		ct_exponent = spdm_read_u8(&rd);
		spdm_read_skip(&rd, 2);
		flags = spdm_read_le32(&rd) & spdm_req_flags_mask(version);
		if (!spdm_flags_valid(flags, version, false))
			return -EBADMSG;
	}
	if (version >= SPDM_VERSION_12) {
		dts = spdm_read_le32(&rd);
		mms = spdm_read_le32(&rd);
		if (dts < SPDM_MIN_DATA_TRANSFER_SIZE || mms < dts ||
		    (!(flags & SPDM_REQ_CHUNK_CAP) && dts != mms))
			return -EBADMSG;
	}
	err = spdm_reader_status(&rd);
	if (err)
		return err;
	/* 1.3 Param1 bit 0 asks for the Supported Algorithms block. As in
	 * DMTF's libspdm, only a requester with CHUNK_CAP may ask
	 * (InvalidRequest otherwise); as this responder cannot chunk, the
	 * block is sent only when the whole response fits the requester's
	 * DataTransferSize (else Param1 bit 0 stays clear, no block). */
	if (version >= SPDM_VERSION_13 &&
	    (req[2] & SPDM_CAP_PARAM1_SUPPORTED_ALGS)) {
		if (!(flags & SPDM_REQ_CHUNK_CAP))
			return -EBADMSG;
		algs = SPDM_CAPABILITIES_SIZE_12 +
			       SPDM_SUPPORTED_ALGS_MAX_SIZE <=
		       dts;
	}
	spdm_write_u8(w, version);
	spdm_write_u8(w, SPDM_CAPABILITIES);
	spdm_write_u8(w, algs ? SPDM_CAP_PARAM1_SUPPORTED_ALGS : 0);
	spdm_write_zero(w, 2); /* Param2, Reserved */
	spdm_write_u8(w, cfg->ct_exponent);
	spdm_write_zero(w, 2);
	spdm_write_le32(w, cfg->flags & spdm_rsp_flags_mask(version));
	if (version >= SPDM_VERSION_12) {
		spdm_write_le32(w, cfg->data_transfer_size);
		spdm_write_le32(w, cfg->max_spdm_msg_size);
	}
	if (algs)
		write_supported_algs(r, w);
	err = spdm_writer_status(w);
	if (err)
		return err;
	err = vca_append(r, req, req_len, w);
	if (err)
		return err;
	r->conn.version = version;
	r->conn.peer_ct_exponent = ct_exponent;
	r->conn.peer_flags = flags;
	r->conn.peer_data_transfer_size = dts;
	r->conn.peer_max_spdm_msg_size = mms;
	spdm_responder_set_state(r, SPDM_RESPONDER_STATE_AFTER_CAPABILITIES);
	return 0;
}

/* One requested algorithm structure and our answer to it. */
struct alg_struct {
	uint8_t type;
	uint16_t selected;
};

struct neg_request {
	uint8_t measurement_specification;
	uint8_t other_params;
	uint8_t mel_specification;
	uint32_t base_asym_algo;
	uint32_t base_hash_algo;
	uint8_t n_structs;
	struct alg_struct structs[4];
	uint16_t supported[4];
};

static int parse_negotiate(const uint8_t *req, size_t req_len, uint8_t version,
			   struct neg_request *n)
{
	struct spdm_reader rd;
	unsigned int ext, i, count, type, alg_count, prev = 0;
	uint16_t length;

	spdm_reader_init(&rd, req, req_len);
	spdm_read_skip(&rd, 2);
	count = spdm_read_u8(&rd); /* Param1: structures (1.1 and later) */
	spdm_read_skip(&rd, 1);
	length = spdm_read_le16(&rd);
	n->measurement_specification = spdm_read_u8(&rd);
	n->other_params = spdm_read_u8(&rd);
	n->base_asym_algo = spdm_read_le32(&rd);
	n->base_hash_algo = spdm_read_le32(&rd);
	spdm_read_skip(&rd, 12);
	ext = spdm_read_u8(&rd);
	ext += spdm_read_u8(&rd);
	spdm_read_skip(&rd, 1);
	n->mel_specification = spdm_read_u8(&rd);
	spdm_read_skip(&rd, 4u * ext);
	if (version == SPDM_VERSION_10)
		count = 0;
	if (count > 4)
		return -EBADMSG;
	n->n_structs = (uint8_t)count;
	for (i = 0; i < count; i++) {
		type = spdm_read_u8(&rd);
		alg_count = spdm_read_u8(&rd);

		n->supported[i] = spdm_read_le16(&rd);
		spdm_read_skip(&rd, 4u * (alg_count & 0x0Fu));
		ext += alg_count & 0x0Fu;
		/* AlgType values are 2..5, in increasing order, each with
		 * two fixed bytes. */
		if (type < SPDM_ALG_TYPE_DHE ||
		    type > SPDM_ALG_TYPE_KEY_SCHEDULE || type <= prev ||
		    (alg_count & 0xF0u) != SPDM_ALG_COUNT_FIXED_2)
			return -EBADMSG;
		prev = type;
		n->structs[i].type = (uint8_t)type;
	}
	if (spdm_reader_status(&rd) || spdm_reader_left(&rd) != 0 ||
	    length != req_len)
		return -EBADMSG;
	if (version == SPDM_VERSION_10
		    ? (length > SPDM_NEGOTIATE_ALGORITHMS_MAX_SIZE_10 ||
		       ext > SPDM_MAX_EXT_ALG_10)
		    : (length > SPDM_NEGOTIATE_ALGORITHMS_MAX_SIZE ||
		       ext > SPDM_MAX_EXT_ALG_11))
		return -EBADMSG;
	if (version < SPDM_VERSION_12)
		n->other_params = 0;
	/* At most one opaque data format may be offered. */
	if ((n->other_params & SPDM_OPAQUE_DATA_FMT_MASK) >
	    SPDM_OPAQUE_DATA_FMT_1)
		return -EBADMSG;
	if (version < SPDM_VERSION_13)
		n->mel_specification = 0;
	return 0;
}

/* Our choice for one requested structure: 0 when nothing is in common. */
static uint16_t select_struct(const struct spdm_responder *r, uint8_t type,
			      uint16_t supported)
{
	const struct spdm_responder_config *cfg = r->cfg;

	switch (type) {
	case SPDM_ALG_TYPE_DHE:
		return (uint16_t)spdm_pick(supported & cfg->dhe_named_group,
					   SPDM_PREF_DHE);
	case SPDM_ALG_TYPE_AEAD:
		return (uint16_t)spdm_pick(supported & cfg->aead_cipher_suite,
					   SPDM_PREF_AEAD);
	case SPDM_ALG_TYPE_REQ_BASE_ASYM_ALG:
		return (uint16_t)spdm_pick(supported & r->offer_req_asym,
					   SPDM_PREF_ASYM);
	default: /* SPDM_ALG_TYPE_KEY_SCHEDULE */
		return (uint16_t)spdm_pick(supported & cfg->key_schedule,
					   SPDM_PREF_LOWEST);
	}
}

int spdm_rsp_negotiate_algorithms(struct spdm_responder *r, const uint8_t *req,
				  size_t req_len, struct spdm_writer *w)
{
	const struct spdm_responder_config *cfg = r->cfg;
	struct spdm_connection_info c = r->conn;
	struct neg_request n;
	uint32_t ours = cfg->flags & spdm_rsp_flags_mask(c.version);
	unsigned int i;
	int err;

	if (r->state != SPDM_RESPONDER_STATE_AFTER_CAPABILITIES)
		return -EPERM;
	if (req[0] != c.version)
		return -EPROTO;
	err = parse_negotiate(req, req_len, c.version, &n);
	if (err)
		return err;

	if ((ours & SPDM_RSP_MEAS_CAP_MASK) && n.measurement_specification) {
		c.measurement_specification = n.measurement_specification &
					      cfg->measurement_specification &
					      SPDM_MEASUREMENT_SPEC_DMTF;
		c.measurement_hash_algo =
			spdm_pick(r->offer_meas_hash, SPDM_PREF_MEAS_HASH);
		if (!c.measurement_specification)
			return -EBADMSG;
	}
	c.base_asym_algo =
		spdm_pick(n.base_asym_algo & r->offer_asym, SPDM_PREF_ASYM);
	c.base_hash_algo =
		spdm_pick(n.base_hash_algo & r->offer_hash, SPDM_PREF_HASH);
	for (i = 0; i < n.n_structs; i++) {
		uint16_t sel =
			select_struct(r, n.structs[i].type, n.supported[i]);

		n.structs[i].selected = sel;
		spdm_conn_set_struct(&c, n.structs[i].type, sel);
	}
	c.other_params = n.other_params & SPDM_OPAQUE_DATA_FMT_MASK;
	if (ours & SPDM_RSP_MEL_CAP)
		c.mel_specification = n.mel_specification & SPDM_MEL_SPEC_DMTF;
	err = spdm_check_selection(&c, ours, c.peer_flags);
	if (err)
		return err;
	c.hash = spdm_hash_alg_from_wire(c.base_hash_algo);
	c.asym = spdm_asym_alg_from_wire(c.base_asym_algo);
	c.measurement_hash = spdm_meas_hash_alg(c.measurement_hash_algo);

	/* ALGORITHMS response (DSP0274 "Successful ALGORITHMS response"). */
	spdm_write_u8(w, c.version);
	spdm_write_u8(w, SPDM_ALGORITHMS);
	spdm_write_u8(w, n.n_structs);
	spdm_write_u8(w, 0);
	spdm_write_le16(w, (uint16_t)(SPDM_ALGORITHMS_FIXED_SIZE +
				      SPDM_ALG_STRUCT_SIZE * n.n_structs));
	spdm_write_u8(w, c.measurement_specification);
	spdm_write_u8(w, c.other_params);
	spdm_write_le32(w, c.measurement_hash_algo);
	spdm_write_le32(w, c.base_asym_algo);
	spdm_write_le32(w, c.base_hash_algo);
	spdm_write_zero(w, 11);
	spdm_write_u8(w, c.mel_specification);
	spdm_write_zero(w, 4); /* ExtAsymSelCount, ExtHashSelCount, Reserved */
	for (i = 0; i < n.n_structs; i++) {
		spdm_write_u8(w, n.structs[i].type);
		spdm_write_u8(w, SPDM_ALG_COUNT_FIXED_2);
		spdm_write_le16(w, n.structs[i].selected);
	}
	err = spdm_writer_status(w);
	if (err)
		return err;
	err = vca_append(r, req, req_len, w);
	if (err)
		return err;
	r->conn = c;
	spdm_responder_set_state(r, SPDM_RESPONDER_STATE_NEGOTIATED);
	return 0;
}
