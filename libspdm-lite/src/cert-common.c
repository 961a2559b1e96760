/* SPDX-License-Identifier: Apache-2.0 */
/* Certificate exchanges: what both roles share (the M1/M2 running hash,
 * one-shot hashes, the DER framing of a certificate). */
#include <errno.h>
#include <string.h>

#include "cert-internal.h"

void spdm_running_hash_reset(const struct spdm_crypto_ops *c, void *ctx,
			     struct spdm_running_hash *h)
{
	if (h->started && c && c->hash_abort)
		c->hash_abort(ctx, &h->state);
	h->started = false;
}

int spdm_running_hash_add(const struct spdm_crypto_ops *c, void *ctx,
			  struct spdm_running_hash *h, enum spdm_hash_alg alg,
			  const struct spdm_transcript *a, const uint8_t *req,
			  size_t req_len, const uint8_t *rsp, size_t rsp_len)
{
	int err;

	if (!h->started) {
		err = c->hash_init(ctx, &h->state, alg);
		if (err)
			return err;
		h->started = true;
		err = c->hash_update(ctx, &h->state, a->buf, a->len);
		if (err)
			goto fail;
	}
	err = c->hash_update(ctx, &h->state, req, req_len);
	if (!err)
		err = c->hash_update(ctx, &h->state, rsp, rsp_len);
	if (!err)
		return 0;
fail:
	spdm_running_hash_reset(c, ctx, h);
	return err;
}

bool spdm_code_resets_m1(uint8_t code)
{
	switch (code) {
	case SPDM_GET_VERSION:
	case SPDM_GET_MEASUREMENTS:
	case SPDM_KEY_EXCHANGE:
	case SPDM_FINISH:
	case SPDM_PSK_EXCHANGE:
	case SPDM_PSK_FINISH:
	case SPDM_KEY_UPDATE:
	case SPDM_HEARTBEAT:
	case SPDM_GET_ENCAPSULATED_REQUEST:
	case SPDM_DELIVER_ENCAPSULATED_RESPONSE:
	case SPDM_END_SESSION:
		return true;
	default:
		return false;
	}
}

int spdm_hash_buf(const struct spdm_crypto_ops *c, void *ctx,
		  enum spdm_hash_alg alg, const uint8_t *data, size_t len,
		  uint8_t *out)
{
	struct spdm_hash_state s;
	int err = c->hash_init(ctx, &s, alg);

	if (err)
		return err;
	err = c->hash_update(ctx, &s, data, len);
	if (err) {
		c->hash_abort(ctx, &s);
		return err;
	}
	return c->hash_final(ctx, &s, out);
}

int spdm_der_seq_size(const uint8_t *p, size_t len, size_t *size)
{
	size_t n, body = 0, i;

	if (len < 2 || p[0] != 0x30)
		return -EBADMSG;
	if (p[1] < 0x80) {
		body = p[1];
		n = 2;
	} else {
		/* Long form: 1 to 3 length bytes, minimal (DER). */
		n = p[1] & 0x7Fu;
		if (n == 0 || n > 3 || len < 2 + n || p[2] == 0)
			return -EBADMSG;
		for (i = 0; i < n; i++)
			body = body << 8 | p[2 + i];
		if (body < 0x80)
			return -EBADMSG;
		n += 2;
	}
	if (body > len - n)
		return -EBADMSG;
	*size = n + body;
	return 0;
}
