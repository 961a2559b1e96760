/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The smallest firmware that is an SPDM attestation responder with
 * libspdm-lite: one certificate slot (a 2 KiB chain), signed measurements,
 * ECDSA P-384 with SHA-384, SPDM 1.0 to 1.3. bench/run.sh links it for
 * Cortex-M4 with --gc-sections and counts only the input sections that
 * come from libspdm-lite.a (read from the linker map): what a vendor's
 * responder image carries of the library, whatever else the archive holds
 * (the requester side is dropped by the linker).
 *
 * Crypto is excluded: the crypto ops and the measurement source below are
 * stubs defined in THIS file, so their code is in bench/spdm-responder-fw.o
 * and is not counted; a real port would put mbedTLS (or a hardware engine)
 * behind the same ops. libc routines the library calls (memcpy, memset,
 * memcmp) come from libc.a and are not counted either.
 *
 * Not meant to run: requests arrive in a volatile buffer, so that the
 * compiler cannot fold anything away.
 */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "spdm/responder.h"

#define FW_CHAIN_SIZE 2048u

struct fw {
	struct spdm_responder rsp;
	volatile uint8_t rx[SPDM_MAX_MSG_SIZE];
	volatile size_t rx_len;
	volatile uint8_t tx[SPDM_MAX_MSG_SIZE];
	volatile size_t tx_len;
	volatile uint8_t sink;
};

static struct fw fw;

/* The chain lives in flash; its bytes do not matter here. */
static const uint8_t fw_chain[FW_CHAIN_SIZE] = {
	(uint8_t)(FW_CHAIN_SIZE & 0xFFu), (uint8_t)(FW_CHAIN_SIZE >> 8)};

/* ---- stub crypto ops (not counted: this object) ---- */

static uint32_t fw_hash_algos(void *ctx)
{
	(void)ctx;
	return 1u << SPDM_HASH_SHA384;
}

static uint32_t fw_asym_algos(void *ctx)
{
	(void)ctx;
	return 1u << SPDM_ASYM_ECDSA_P384;
}

static int fw_hash_init(void *ctx, struct spdm_hash_state *state,
			enum spdm_hash_alg alg)
{
	(void)ctx;
	state->opaque[0] = (uint8_t)alg;
	return 0;
}

static int fw_hash_update(void *ctx, struct spdm_hash_state *state,
			  const uint8_t *data, size_t len)
{
	struct fw *f = ctx;
	size_t i;

	for (i = 0; i < len; i++)
		state->opaque[1] = (uint8_t)(state->opaque[1] ^ data[i]);
	f->sink = state->opaque[1];
	return 0;
}

static int fw_hash_final(void *ctx, struct spdm_hash_state *state,
			 uint8_t *digest)
{
	size_t i;

	(void)ctx;
	for (i = 0; i < 48; i++)
		digest[i] = state->opaque[1];
	return 0;
}

static void fw_hash_abort(void *ctx, struct spdm_hash_state *state)
{
	(void)ctx;
	state->opaque[0] = 0;
}

static int fw_sign(void *ctx, uint8_t slot, enum spdm_asym_alg alg,
		   const uint8_t *digest, size_t digest_len, uint8_t *sig,
		   size_t sig_len)
{
	size_t i;

	(void)ctx;
	(void)alg;
	for (i = 0; i < sig_len; i++)
		sig[i] = (uint8_t)(digest[i % digest_len] ^ slot);
	return 0;
}

static int fw_random(void *ctx, uint8_t *out, size_t len)
{
	struct fw *f = ctx;
	size_t i;

	for (i = 0; i < len; i++)
		out[i] = f->sink;
	return 0;
}

static const struct spdm_crypto_ops fw_crypto = {
	.hash_algos = fw_hash_algos,
	.asym_algos = fw_asym_algos,
	.hash_init = fw_hash_init,
	.hash_update = fw_hash_update,
	.hash_final = fw_hash_final,
	.hash_abort = fw_hash_abort,
	.sign = fw_sign,
	.random = fw_random,
};

/* ---- stub measurement source: ROM and firmware digests ---- */

static int fw_meas_count(void *ctx)
{
	(void)ctx;
	return 2;
}

static int fw_meas_block(void *ctx, uint8_t index, enum spdm_hash_alg hash,
			 uint8_t *type, bool *raw, uint8_t *value,
			 size_t *value_len)
{
	struct fw *f = ctx;
	size_t i, n = spdm_hash_size(hash);

	if (index < 1 || index > 2 || *value_len < n)
		return -ENOENT;
	for (i = 0; i < n; i++)
		value[i] = (uint8_t)(f->sink + index);
	*type = (uint8_t)(index == 1 ? SPDM_MEAS_TYPE_IMMUTABLE_ROM
				     : SPDM_MEAS_TYPE_MUTABLE_FIRMWARE);
	*raw = false;
	*value_len = n;
	return 0;
}

static const struct spdm_measurement_ops fw_meas = {
	.count = fw_meas_count,
	.block = fw_meas_block,
};

static const uint8_t fw_versions[] = {SPDM_VERSION_10, SPDM_VERSION_11,
				      SPDM_VERSION_12, SPDM_VERSION_13};

static const struct spdm_responder_config fw_cfg = {
	.versions = fw_versions,
	.n_versions = sizeof(fw_versions),
	.ct_exponent = 14,
	.flags = SPDM_RSP_CERT_CAP | SPDM_RSP_CHAL_CAP | SPDM_RSP_MEAS_CAP_SIG,
	.data_transfer_size = SPDM_MAX_MSG_SIZE,
	.max_spdm_msg_size = SPDM_MAX_MSG_SIZE,
	.measurement_specification = SPDM_MEASUREMENT_SPEC_DMTF,
	.measurement_hash_algo = SPDM_MEAS_HASH_SHA_384,
	.base_asym_algo = SPDM_ASYM_ALGO_ECDSA_P384,
	.base_hash_algo = SPDM_HASH_ALGO_SHA_384,
	.cert_slots = {{fw_chain, FW_CHAIN_SIZE}},
	.cert_chain_hash_algo = SPDM_HASH_ALGO_SHA_384,
	.measurement_ops = &fw_meas,
	.measurement_ctx = &fw,
};

int main(void)
{
	uint8_t req[SPDM_MAX_MSG_SIZE], rsp[SPDM_MAX_MSG_SIZE];
	size_t i, len, rsp_len;

	if (spdm_responder_init(&fw.rsp, &fw_cfg, &fw_crypto, &fw))
		return 1;
	for (;;) {
		len = fw.rx_len;
		if (len > sizeof(req))
			len = sizeof(req);
		for (i = 0; i < len; i++)
			req[i] = fw.rx[i];
		rsp_len = sizeof(rsp);
		if (spdm_responder_handle(&fw.rsp, req, len, rsp, &rsp_len))
			continue;
		for (i = 0; i < rsp_len; i++)
			fw.tx[i] = rsp[i];
		fw.tx_len = rsp_len;
	}
}
