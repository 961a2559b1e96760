/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The smallest firmware that is an SPDM attestation requester with
 * libspdm-lite (e.g. a PRoT that attests the devices behind it): connect
 * (VCA), the certificate flow with chain verification, CHALLENGE (when
 * built with -DBENCH_CHALLENGE: bench/run.sh sets it when requester.h has
 * spdm_requester_challenge()), signed measurements (all blocks), ECDSA P-384 with SHA-384. bench/run.sh links
 * it for Cortex-M4 with --gc-sections and counts only the input sections
 * that come from libspdm-lite.a (read from the linker map), so the
 * responder side of the archive, which this firmware never calls, is not
 * counted.
 *
 * Crypto is excluded: the crypto ops below are stubs defined in THIS file
 * (not counted); libc routines come from libc.a (not counted).
 *
 * Not meant to run: responses arrive in a volatile buffer.
 */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "spdm/requester.h"

struct fw {
	struct spdm_requester req;
	volatile uint8_t rx[SPDM_MAX_MSG_SIZE];
	volatile size_t rx_len;
	volatile uint8_t tx[SPDM_REQUESTER_REQ_SIZE];
	volatile size_t tx_len;
	volatile bool timed_out;
	volatile uint8_t sink;
};

static struct fw fw;

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

static int fw_verify(void *ctx, enum spdm_asym_alg alg, const uint8_t *pubkey,
		     size_t pubkey_len, const uint8_t *digest,
		     size_t digest_len, const uint8_t *sig, size_t sig_len)
{
	struct fw *f = ctx;

	(void)alg;
	(void)pubkey_len;
	(void)digest_len;
	(void)sig_len;
	return (pubkey[1] ^ digest[0] ^ sig[0]) == f->sink ? 0 : -EPERM;
}

static int fw_chain_verify(void *ctx, const uint8_t *certs, size_t len,
			   uint8_t *pubkey, size_t *pubkey_len)
{
	size_t i;

	(void)ctx;
	if (*pubkey_len < 97 || len < 97)
		return -EMSGSIZE;
	for (i = 0; i < 97; i++)
		pubkey[i] = certs[len - 97 + i];
	*pubkey_len = 97;
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
	.verify = fw_verify,
	.chain_verify = fw_chain_verify,
	.random = fw_random,
};

static const uint8_t fw_versions[] = {SPDM_VERSION_10, SPDM_VERSION_11,
				      SPDM_VERSION_12, SPDM_VERSION_13};

static const struct spdm_requester_config fw_cfg = {
	.versions = fw_versions,
	.n_versions = sizeof(fw_versions),
	.ct_exponent = 14,
	.flags = SPDM_REQ_CERT_CAP | SPDM_REQ_CHAL_CAP,
	.data_transfer_size = SPDM_MAX_MSG_SIZE,
	.max_spdm_msg_size = SPDM_MAX_MSG_SIZE,
	.measurement_specification = SPDM_MEASUREMENT_SPEC_DMTF,
	.base_asym_algo = SPDM_ASYM_ALGO_ECDSA_P384,
	.base_hash_algo = SPDM_HASH_ALGO_SHA_384,
};

static void fw_on_block(void *ctx, const struct spdm_measurement_block *b)
{
	struct fw *f = ctx;

	f->sink = (uint8_t)(b->value_len ? b->value[0] : b->index);
}

/* Drive the flow that was just started until it ends. */
static int fw_run(struct fw *f)
{
	uint8_t req[SPDM_REQUESTER_REQ_SIZE], rsp[SPDM_MAX_MSG_SIZE];
	size_t i, len;
	int err;

	do {
		len = sizeof(req);
		err = spdm_requester_next(&f->req, req, &len);
		if (err)
			return err;
		for (i = 0; i < len; i++)
			f->tx[i] = req[i];
		f->tx_len = len;
		if (f->timed_out) {
			err = spdm_requester_timeout(&f->req);
			continue;
		}
		len = f->rx_len;
		if (len > sizeof(rsp))
			len = sizeof(rsp);
		for (i = 0; i < len; i++)
			rsp[i] = f->rx[i];
		err = spdm_requester_rx(&f->req, rsp, len);
	} while (err == -EAGAIN);
	return err;
}

int main(void)
{
	struct spdm_measurement_result res;

	if (spdm_requester_init(&fw.req, &fw_cfg, &fw_crypto, &fw))
		return 1;
	for (;;) {
		if (spdm_requester_connect(&fw.req) || fw_run(&fw))
			continue;
		if (spdm_requester_get_certificate(&fw.req, 0, 0) ||
		    fw_run(&fw) ||
		    spdm_requester_cert_verdict(&fw.req) != SPDM_VERIFIED)
			continue;
#ifdef BENCH_CHALLENGE
		if (spdm_requester_challenge(&fw.req, 0,
					     SPDM_CHAL_SUMMARY_ALL) ||
		    fw_run(&fw) ||
		    spdm_requester_attestation(&fw.req) != SPDM_ATTESTED)
			continue;
#endif
		if (spdm_requester_measurements(&fw.req, SPDM_MEAS_OP_ALL,
						SPDM_MEAS_ATTR_SIGNATURE, 0,
						fw_on_block, &fw) ||
		    fw_run(&fw))
			continue;
		if (spdm_requester_measurement_result(&fw.req, &res) == 0)
			fw.sink = (uint8_t)res.verdict;
	}
}
