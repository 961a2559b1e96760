/* SPDX-License-Identifier: Apache-2.0 */
/* Helpers of the certificate exchanges both roles share (cert-common.c). */
#ifndef SPDM_SRC_CERT_INTERNAL_H
#define SPDM_SRC_CERT_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "spdm/cert.h"
#include "spdm/crypto.h"
#include "spdm/spdm.h"

/* Add a request and its response to the running hash @h, starting it
 * first (with @alg, then message @a) if it is not running. On a crypto
 * failure the hash is abandoned and the op's error returned. */
int spdm_running_hash_add(const struct spdm_crypto_ops *c, void *ctx,
			  struct spdm_running_hash *h, enum spdm_hash_alg alg,
			  const struct spdm_transcript *a, const uint8_t *req,
			  size_t req_len, const uint8_t *rsp, size_t rsp_len);

/* Abandon @h (nothing if it is not running). */
void spdm_running_hash_reset(const struct spdm_crypto_ops *c, void *ctx,
			     struct spdm_running_hash *h);

/* true for the request codes after which DSP0274 discards M1/M2 (see
 * spdm/cert.h), GET_VERSION included. */
bool spdm_code_resets_m1(uint8_t code);

/* One-shot hash of @len bytes into @out. */
int spdm_hash_buf(const struct spdm_crypto_ops *c, void *ctx,
		  enum spdm_hash_alg alg, const uint8_t *data, size_t len,
		  uint8_t *out);

/* Size of the DER element (tag, length, contents) at @p, which must be a
 * SEQUENCE that fits in @len bytes; -EBADMSG otherwise. */
int spdm_der_seq_size(const uint8_t *p, size_t len, size_t *size);

#endif
