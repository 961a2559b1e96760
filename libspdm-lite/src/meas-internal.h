/* SPDX-License-Identifier: Apache-2.0 */
/* What both roles share for GET_MEASUREMENTS (meas-common.c): the L1/L2
 * running hash and the digest a measurement signature covers. */
#ifndef SPDM_SRC_MEAS_INTERNAL_H
#define SPDM_SRC_MEAS_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "spdm/crypto.h"
#include "spdm/measurements.h"
#include "spdm/spdm.h"

/* DSP0274 1.2 signing: "dmtf-spdm-v1.X.*" four times (64 bytes), zero
 * padding, then the context string, 100 bytes in all. */
#define SPDM_SIGNING_PREFIX_SIZE 64u
#define SPDM_SIGNING_CONTEXT_SIZE 100u

/* Size of a GET_MEASUREMENTS request at @version with Param1 @attributes. */
size_t spdm_meas_request_size(uint8_t version, uint8_t attributes);

/* Add @a and @b to L1/L2 in @l, starting it first when !*@active (with
 * message @vca when @version is 1.2 or later). On failure the hash is
 * abandoned (*@active false) and the op's error returned. */
int spdm_meas_l_add(const struct spdm_crypto_ops *c, void *ctx, bool *active,
		    struct spdm_hash_state *l, enum spdm_hash_alg alg,
		    uint8_t version, const struct spdm_transcript *vca,
		    const uint8_t *a, size_t a_len, const uint8_t *b,
		    size_t b_len);

/* Abandon L1/L2 (nothing if not running). */
void spdm_meas_l_reset(const struct spdm_crypto_ops *c, void *ctx, bool *active,
		       struct spdm_hash_state *l);

/* Finish L1/L2 (which must be running; it is not afterwards) and write to
 * @out (spdm_hash_size(@alg) bytes) the digest the signature is over:
 * H(L1) before 1.2; from 1.2 H(prefix || H(L1)) with the prefix of
 * @version and the context "responder-measurements signing". */
int spdm_meas_signed_digest(const struct spdm_crypto_ops *c, void *ctx,
			    bool *active, struct spdm_hash_state *l,
			    enum spdm_hash_alg alg, uint8_t version,
			    uint8_t *out);

/* The digest a signature covers, from @th = H(transcript): @th itself
 * before 1.2; from 1.2 H(prefix || @th) with the prefix of @version and
 * @context (a NUL-terminated string of at most 36 characters). @out may
 * be @th. */
int spdm_signing_digest(const struct spdm_crypto_ops *c, void *ctx,
			enum spdm_hash_alg alg, uint8_t version,
			const char *context, const uint8_t *th, uint8_t *out);

/* Requester: -EBADMSG when received opaque data of @len bytes is over
 * SPDM_MAX_OPAQUE_SIZE, or breaks format 1 when 1.2+ ALGORITHMS selected
 * it; else 0. */
int spdm_opaque_check(const struct spdm_connection_info *c, const uint8_t *p,
		      size_t len);

/* Responder: how many of the @len configured opaque bytes of @format go
 * into a response on connection @c (all, or 0 when 1.2+ ALGORITHMS did
 * not select @format). */
size_t spdm_opaque_to_send(const struct spdm_connection_info *c, uint8_t format,
			   size_t len);

#endif
