/* SPDX-License-Identifier: Apache-2.0 */
/* GET_MEASUREMENTS helpers both roles share: request size, the L1/L2
 * running hash and the signed digest (DSP0274 "Signature generation"). */
#include <errno.h>
#include <string.h>

#include "cert-internal.h"
#include "codec.h"
#include "meas-internal.h"

static const char meas_context[] = "responder-measurements signing";

size_t spdm_meas_request_size(uint8_t version, uint8_t attributes)
{
	size_t n = SPDM_HEADER_SIZE;

	if (attributes & SPDM_MEAS_ATTR_SIGNATURE)
		n += SPDM_NONCE_SIZE + (version >= SPDM_VERSION_11 ? 1u : 0u);
	if (version >= SPDM_VERSION_13)
		n += SPDM_REQUESTER_CONTEXT_SIZE;
	return n;
}

void spdm_meas_l_reset(const struct spdm_crypto_ops *c, void *ctx, bool *active,
		       struct spdm_hash_state *l)
{
	if (*active && c->hash_abort)
		c->hash_abort(ctx, l);
	*active = false;
}

int spdm_meas_l_add(const struct spdm_crypto_ops *c, void *ctx, bool *active,
		    struct spdm_hash_state *l, enum spdm_hash_alg alg,
		    uint8_t version, const struct spdm_transcript *vca,
		    const uint8_t *a, size_t a_len, const uint8_t *b,
		    size_t b_len)
{
	int err = 0;

	if (!c->hash_init || !c->hash_update || !c->hash_final ||
	    !c->hash_abort)
		return -EIO;
	if (!*active) {
		err = c->hash_init(ctx, l, alg);
		if (err)
			return err;
		*active = true;
		if (version >= SPDM_VERSION_12)
			err = c->hash_update(ctx, l, vca->buf, vca->len);
	}
	if (!err)
		err = c->hash_update(ctx, l, a, a_len);
	if (!err)
		err = c->hash_update(ctx, l, b, b_len);
	if (err)
		spdm_meas_l_reset(c, ctx, active, l);
	return err;
}

int spdm_signing_digest(const struct spdm_crypto_ops *c, void *ctx,
			enum spdm_hash_alg alg, uint8_t version,
			const char *context, const uint8_t *th, uint8_t *out)
{
	uint8_t buf[SPDM_SIGNING_CONTEXT_SIZE + SPDM_MAX_HASH_SIZE];
	size_t hlen = spdm_hash_size(alg), clen = strlen(context);
	unsigned int i;

	if (!hlen ||
	    clen > SPDM_SIGNING_CONTEXT_SIZE - SPDM_SIGNING_PREFIX_SIZE)
		return -EIO;
	if (version < SPDM_VERSION_12) {
		memmove(out, th, hlen);
		return 0;
	}
	for (i = 0; i < 4; i++) {
		memcpy(buf + 16 * i, "dmtf-spdm-v1.0.*", 16);
		buf[16 * i + 13] = (uint8_t)('0' + (version & 0x0Fu));
	}
	memset(buf + SPDM_SIGNING_PREFIX_SIZE, 0,
	       SPDM_SIGNING_CONTEXT_SIZE - SPDM_SIGNING_PREFIX_SIZE - clen);
	memcpy(buf + SPDM_SIGNING_CONTEXT_SIZE - clen, context, clen);
	memcpy(buf + SPDM_SIGNING_CONTEXT_SIZE, th, hlen);
	return spdm_hash_buf(c, ctx, alg, buf, SPDM_SIGNING_CONTEXT_SIZE + hlen,
			     out);
}

int spdm_meas_signed_digest(const struct spdm_crypto_ops *c, void *ctx,
			    bool *active, struct spdm_hash_state *l,
			    enum spdm_hash_alg alg, uint8_t version,
			    uint8_t *out)
{
	uint8_t th[SPDM_MAX_HASH_SIZE];
	int err;

	if (!*active || !spdm_hash_size(alg))
		return -EIO;
	*active = false;
	err = c->hash_final(ctx, l, th);
	if (err)
		return err;
	return spdm_signing_digest(c, ctx, alg, version, meas_context, th, out);
}

bool spdm_opaque_fmt1_valid(const uint8_t *p, size_t len)
{
	struct spdm_reader rd;
	unsigned int n;
	size_t start, elem;
	const uint8_t *pad;

	if (!p || len < 4u || (len & 3u))
		return false;
	spdm_reader_init(&rd, p, len);
	n = spdm_read_u8(&rd); /* TotalElements */
	spdm_read_skip(&rd, 3);
	if (!n)
		return false;
	while (n--) {
		start = rd.pos;
		if (spdm_read_u8(&rd) > SPDM_OPAQUE_REGISTRY_ID_MAX)
			return false;
		spdm_read_skip(&rd, spdm_read_u8(&rd)); /* VendorID */
		spdm_read_skip(&rd, spdm_read_le16(&rd));
		elem = rd.pos - start;
		pad = spdm_read_bytes(&rd, (4u - (elem & 3u)) & 3u);
		if (spdm_reader_status(&rd))
			return false;
		while (elem++ & 3u)
			if (*pad++)
				return false;
	}
	return spdm_reader_left(&rd) == 0;
}

int spdm_opaque_check(const struct spdm_connection_info *c, const uint8_t *p,
		      size_t len)
{
	if (len > SPDM_MAX_OPAQUE_SIZE)
		return -EBADMSG;
	if (len && c->version >= SPDM_VERSION_12 &&
	    (c->other_params & SPDM_OPAQUE_DATA_FMT_MASK) ==
		    SPDM_OPAQUE_DATA_FMT_1 &&
	    !spdm_opaque_fmt1_valid(p, len))
		return -EBADMSG;
	return 0;
}

size_t spdm_opaque_to_send(const struct spdm_connection_info *c, uint8_t format,
			   size_t len)
{
	if (c->version >= SPDM_VERSION_12 &&
	    (c->other_params & SPDM_OPAQUE_DATA_FMT_MASK) != format)
		return 0;
	return len;
}
