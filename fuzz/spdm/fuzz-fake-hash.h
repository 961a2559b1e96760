/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The fake hash ops shared by the SPDM fuzz harnesses: FNV-1a, not
 * cryptographic. The harnesses check framing and state, not digests, and
 * a cheap deterministic hash keeps the fuzzer fast.
 */
#ifndef FUZZ_SPDM_FAKE_HASH_H
#define FUZZ_SPDM_FAKE_HASH_H

#include <errno.h>
#include <stddef.h>
#include <stdint.h>

#include "spdm/crypto.h"

struct fake_hash {
	uint64_t v;
	size_t size;
};

static int hash_init(void *ctx, struct spdm_hash_state *state,
		     enum spdm_hash_alg alg)
{
	struct fake_hash *h = (struct fake_hash *)(void *)state->opaque;

	(void)ctx;
	h->v = 0xcbf29ce484222325u;
	h->size = spdm_hash_size(alg);
	return h->size ? 0 : -ENOTSUP;
}

static int hash_update(void *ctx, struct spdm_hash_state *state,
		       const uint8_t *data, size_t len)
{
	struct fake_hash *h = (struct fake_hash *)(void *)state->opaque;
	size_t i;

	(void)ctx;
	for (i = 0; i < len; i++)
		h->v = (h->v ^ data[i]) * 0x100000001b3u;
	return 0;
}

static int hash_final(void *ctx, struct spdm_hash_state *state, uint8_t *digest)
{
	struct fake_hash *h = (struct fake_hash *)(void *)state->opaque;
	size_t i;

	(void)ctx;
	for (i = 0; i < h->size; i++)
		digest[i] = (uint8_t)(h->v >> (8 * (i % 8)));
	return 0;
}

static void hash_abort(void *ctx, struct spdm_hash_state *state)
{
	(void)ctx;
	(void)state;
}

#endif
