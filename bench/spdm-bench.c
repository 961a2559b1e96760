/* SPDX-License-Identifier: Apache-2.0 */
/*
 * One full SPDM attestation between libspdm-lite's requester and
 * responder in one process, with the POSIX port's mbedTLS crypto ops and
 * the committed P-384 test PKI (tests/pki/p384): VCA, GET_DIGESTS, the
 * whole certificate chain (verified), CHALLENGE (when built with
 * -DBENCH_CHALLENGE) and all measurements, signed and verified.
 *
 *   spdm-bench all   PKI_DIR   callgrind counts everything in the
 *                              attestation
 *   spdm-bench ours  PKI_DIR   callgrind counts everything except the
 *                              crypto ops: each op is wrapped and the
 *                              wrapper turns collection off around the
 *                              real op (CALLGRIND_TOGGLE_COLLECT)
 *   spdm-bench stack PKI_DIR   no callgrind: the stack high-water mark of
 *                              each spdm_responder_handle() call (stack
 *                              painting, see stack_paint())
 *
 * Under valgrind --tool=callgrind --collect-atstart=no --instr-atstart=no
 * only the measured attestation is counted; a first, identical attestation
 * warms up mbedTLS (PSA start-up, lazy tables) and is not counted. The
 * program checks every verdict and exits non-zero if one is not given.
 * It prints the number of calls of each crypto op.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <valgrind/callgrind.h>

#include "prot-posix/crypto.h"
#include "spdm/requester.h"
#include "spdm/responder.h"
#ifdef BENCH_CHALLENGE
#include "spdm/challenge.h"
#endif

enum bench_mode { MODE_ALL, MODE_OURS, MODE_STACK };

enum bench_op {
	OP_HASH_INIT,
	OP_HASH_UPDATE,
	OP_HASH_FINAL,
	OP_HASH_ABORT,
	OP_SIGN,
	OP_VERIFY,
	OP_CHAIN_VERIFY,
	OP_RANDOM,
	OP_COUNT
};

static const char *const op_names[OP_COUNT] = {"hash_init",    "hash_update",
					       "hash_final",   "hash_abort",
					       "sign",         "verify",
					       "chain_verify", "random"};

static enum bench_mode mode;
static bool measuring;
static unsigned long op_calls[OP_COUNT];

/* ---- wrapped crypto ops ---- */

static void crypto_enter(enum bench_op op)
{
	if (!measuring)
		return;
	op_calls[op]++;
	if (mode == MODE_OURS)
		CALLGRIND_TOGGLE_COLLECT;
}

static void crypto_leave(void)
{
	if (measuring && mode == MODE_OURS)
		CALLGRIND_TOGGLE_COLLECT;
}

static uint32_t w_hash_algos(void *ctx)
{
	return prot_crypto_ops.hash_algos(ctx);
}

static uint32_t w_asym_algos(void *ctx)
{
	return prot_crypto_ops.asym_algos(ctx);
}

static int w_hash_init(void *ctx, struct spdm_hash_state *state,
		       enum spdm_hash_alg alg)
{
	int err;

	crypto_enter(OP_HASH_INIT);
	err = prot_crypto_ops.hash_init(ctx, state, alg);
	crypto_leave();
	return err;
}

static int w_hash_update(void *ctx, struct spdm_hash_state *state,
			 const uint8_t *data, size_t len)
{
	int err;

	crypto_enter(OP_HASH_UPDATE);
	err = prot_crypto_ops.hash_update(ctx, state, data, len);
	crypto_leave();
	return err;
}

static int w_hash_final(void *ctx, struct spdm_hash_state *state,
			uint8_t *digest)
{
	int err;

	crypto_enter(OP_HASH_FINAL);
	err = prot_crypto_ops.hash_final(ctx, state, digest);
	crypto_leave();
	return err;
}

static void w_hash_abort(void *ctx, struct spdm_hash_state *state)
{
	crypto_enter(OP_HASH_ABORT);
	prot_crypto_ops.hash_abort(ctx, state);
	crypto_leave();
}

static int w_sign(void *ctx, uint8_t slot, enum spdm_asym_alg alg,
		  const uint8_t *digest, size_t digest_len, uint8_t *sig,
		  size_t sig_len)
{
	int err;

	crypto_enter(OP_SIGN);
	err = prot_crypto_ops.sign(ctx, slot, alg, digest, digest_len, sig,
				   sig_len);
	crypto_leave();
	return err;
}

static int w_verify(void *ctx, enum spdm_asym_alg alg, const uint8_t *pubkey,
		    size_t pubkey_len, const uint8_t *digest, size_t digest_len,
		    const uint8_t *sig, size_t sig_len)
{
	int err;

	crypto_enter(OP_VERIFY);
	err = prot_crypto_ops.verify(ctx, alg, pubkey, pubkey_len, digest,
				     digest_len, sig, sig_len);
	crypto_leave();
	return err;
}

static int w_chain_verify(void *ctx, const uint8_t *certs, size_t len,
			  uint8_t *pubkey, size_t *pubkey_len)
{
	int err;

	crypto_enter(OP_CHAIN_VERIFY);
	err = prot_crypto_ops.chain_verify(ctx, certs, len, pubkey, pubkey_len);
	crypto_leave();
	return err;
}

static int w_random(void *ctx, uint8_t *out, size_t len)
{
	int err;

	crypto_enter(OP_RANDOM);
	err = prot_crypto_ops.random(ctx, out, len);
	crypto_leave();
	return err;
}

static const struct spdm_crypto_ops bench_crypto = {
	.hash_algos = w_hash_algos,
	.asym_algos = w_asym_algos,
	.hash_init = w_hash_init,
	.hash_update = w_hash_update,
	.hash_final = w_hash_final,
	.hash_abort = w_hash_abort,
	.sign = w_sign,
	.verify = w_verify,
	.chain_verify = w_chain_verify,
	.random = w_random,
};

/* ---- the device's measurements: four digests and an SVN ---- */

static int dev_count(void *ctx)
{
	(void)ctx;
	return 5;
}

static int dev_block(void *ctx, uint8_t index, enum spdm_hash_alg hash,
		     uint8_t *type, bool *raw, uint8_t *value,
		     size_t *value_len)
{
	static const uint8_t types[] = {SPDM_MEAS_TYPE_IMMUTABLE_ROM,
					SPDM_MEAS_TYPE_MUTABLE_FIRMWARE,
					SPDM_MEAS_TYPE_HARDWARE_CONFIG,
					SPDM_MEAS_TYPE_FIRMWARE_CONFIG};
	size_t n = spdm_hash_size(hash);

	(void)ctx;
	if (index >= 1 && index <= 4) {
		/* digests the device already holds (measured at boot) */
		if (*value_len < n)
			return -EMSGSIZE;
		memset(value, 0x10 * index, n);
		*type = types[index - 1];
		*raw = false;
	} else if (index == 5) {
		n = 8;
		if (*value_len < n)
			return -EMSGSIZE;
		memset(value, 0, n);
		value[0] = 3;
		*type = SPDM_MEAS_TYPE_SECURITY_VERSION;
		*raw = true;
	} else {
		return -ENOENT;
	}
	*value_len = n;
	return 0;
}

static const struct spdm_measurement_ops dev_ops = {dev_count, dev_block};

/* ---- stack painting ---- */

#define STACK_PAINT_SIZE (256u * 1024u)
#define STACK_PAINT_BYTE 0xA5u

/* Lowest painted address, kept as a number: it is meant to outlive the
 * frame that painted it. */
static uintptr_t paint_low;

/* Fill STACK_PAINT_SIZE bytes just below the caller's frame with a
 * pattern: the frames of the next call the caller makes land there. */
static __attribute__((noinline)) void stack_paint(void)
{
	volatile uint8_t area[STACK_PAINT_SIZE];
	size_t i;

	for (i = 0; i < sizeof(area); i++)
		area[i] = STACK_PAINT_BYTE;
	paint_low = (uintptr_t)area;
}

/* Bytes of the painted area written since stack_paint(), counted from
 * its top (the stack grows down on x86-64): the deepest frame reached.
 * Reads dead stack below the caller on purpose; this function's own
 * frame is far shallower than what it looks for. */
static __attribute__((noinline)) size_t stack_used(void)
{
	const volatile uint8_t *low = (const volatile uint8_t *)paint_low;
	size_t i;

	for (i = 0; i < STACK_PAINT_SIZE; i++)
		if (low[i] != STACK_PAINT_BYTE)
			break;
	return STACK_PAINT_SIZE - i;
}

/* ---- one requester and one responder ---- */

struct bench {
	struct prot_crypto rc, qc;
	struct spdm_responder r;
	struct spdm_requester q;
	struct spdm_responder_config rcfg;
	struct spdm_requester_config qcfg;
	uint8_t chain[SPDM_MAX_CERT_CHAIN_SIZE];
	size_t chain_len;
	uint8_t req[SPDM_REQUESTER_REQ_SIZE];
	uint8_t rsp[SPDM_MAX_MSG_SIZE];
	size_t max_stack;
	unsigned int exchanges;
	unsigned int blocks;
};

static struct bench b;

static const uint8_t versions[] = {SPDM_VERSION_10, SPDM_VERSION_11,
				   SPDM_VERSION_12, SPDM_VERSION_13};

static int pump(void)
{
	size_t req_len, rsp_len, used;
	int err;

	do {
		req_len = sizeof(b.req);
		err = spdm_requester_next(&b.q, b.req, &req_len);
		if (err)
			return err;
		rsp_len = sizeof(b.rsp);
		if (mode == MODE_STACK) {
			stack_paint();
			err = spdm_responder_handle(&b.r, b.req, req_len, b.rsp,
						    &rsp_len);
			used = stack_used();
			if (used > b.max_stack)
				b.max_stack = used;
		} else {
			err = spdm_responder_handle(&b.r, b.req, req_len, b.rsp,
						    &rsp_len);
		}
		if (err)
			return err;
		b.exchanges++;
		err = spdm_requester_rx(&b.q, b.rsp, rsp_len);
	} while (err == -EAGAIN);
	return err;
}

static void on_block(void *ctx, const struct spdm_measurement_block *blk)
{
	(void)ctx;
	(void)blk;
	b.blocks++;
}

static int fail(const char *what, int err)
{
	fprintf(stderr, "spdm-bench: %s: %d\n", what, err);
	return 1;
}

static int attest(void)
{
	struct spdm_measurement_result res;
	int err;

	b.blocks = 0;
	err = spdm_requester_connect(&b.q);
	if (!err)
		err = pump();
	if (err)
		return fail("connect", err);
	err = spdm_requester_get_certificate(&b.q, 0, 0);
	if (!err)
		err = pump();
	if (err || spdm_requester_cert_verdict(&b.q) != SPDM_VERIFIED)
		return fail("certificate", err);
#ifdef BENCH_CHALLENGE
	err = spdm_requester_challenge(&b.q, 0, SPDM_CHAL_SUMMARY_ALL);
	if (!err)
		err = pump();
	if (err || spdm_requester_attestation(&b.q) != SPDM_ATTESTED)
		return fail("challenge", err);
#endif
	err = spdm_requester_measurements(&b.q, SPDM_MEAS_OP_ALL,
					  SPDM_MEAS_ATTR_SIGNATURE, 0, on_block,
					  NULL);
	if (!err)
		err = pump();
	if (err)
		return fail("measurements", err);
	err = spdm_requester_measurement_result(&b.q, &res);
	if (err || res.verdict != SPDM_MEAS_VERDICT_VERIFIED || b.blocks != 5)
		return fail("measurement verdict", err);
	return 0;
}

static int load(const char *dir, const char *name, uint8_t *buf, size_t cap,
		size_t *len)
{
	char path[1024];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "rb");
	if (!f)
		return -errno;
	*len = fread(buf, 1, cap, f);
	fclose(f);
	return *len && *len < cap ? 0 : -EMSGSIZE;
}

static int setup(const char *pki)
{
	char path[1024];
	uint8_t root[4096];
	size_t root_len;
	int err;

	if (prot_crypto_init(&b.rc) || prot_crypto_init(&b.qc))
		return fail("prot_crypto_init", -EIO);
	snprintf(path, sizeof(path), "%s/p384/leaf.key.pem", pki);
	err = prot_crypto_load_slot_key_file(&b.rc, 0, path);
	if (err)
		return fail(path, err);
	err = load(pki, "p384/root.cert.der", root, sizeof(root), &root_len);
	if (!err)
		err = prot_crypto_add_trust_anchor(&b.qc, root, root_len);
	if (err)
		return fail("trust anchor", err);
	err = load(pki, "p384/chain-sha384.bin", b.chain, sizeof(b.chain),
		   &b.chain_len);
	if (err)
		return fail("chain-sha384.bin", err);

	b.rcfg = (struct spdm_responder_config){
		.versions = versions,
		.n_versions = sizeof(versions),
		.ct_exponent = 14,
		.flags = SPDM_RSP_CERT_CAP | SPDM_RSP_CHAL_CAP |
			 SPDM_RSP_MEAS_CAP_SIG,
		.data_transfer_size = SPDM_MAX_MSG_SIZE,
		.max_spdm_msg_size = SPDM_MAX_MSG_SIZE,
		.measurement_specification = SPDM_MEASUREMENT_SPEC_DMTF,
		.measurement_hash_algo = SPDM_MEAS_HASH_SHA_384,
		.base_asym_algo = SPDM_ASYM_ALGO_ECDSA_P384,
		.base_hash_algo = SPDM_HASH_ALGO_SHA_384,
		.cert_slots = {{b.chain, b.chain_len}},
		.cert_chain_hash_algo = SPDM_HASH_ALGO_SHA_384,
		.measurement_ops = &dev_ops,
	};
	b.qcfg = (struct spdm_requester_config){
		.versions = versions,
		.n_versions = sizeof(versions),
		.ct_exponent = 14,
		.flags = SPDM_REQ_CERT_CAP | SPDM_REQ_CHAL_CAP,
		.data_transfer_size = SPDM_MAX_MSG_SIZE,
		.max_spdm_msg_size = SPDM_MAX_MSG_SIZE,
		.measurement_specification = SPDM_MEASUREMENT_SPEC_DMTF,
		.base_asym_algo = SPDM_ASYM_ALGO_ECDSA_P384,
		.base_hash_algo = SPDM_HASH_ALGO_SHA_384,
	};
	err = spdm_responder_init(&b.r, &b.rcfg, &bench_crypto, &b.rc);
	if (err)
		return fail("spdm_responder_init", err);
	err = spdm_requester_init(&b.q, &b.qcfg, &bench_crypto, &b.qc);
	if (err)
		return fail("spdm_requester_init", err);
	return 0;
}

int main(int argc, char **argv)
{
	const struct spdm_connection_info *conn;
	int i;

	if (argc != 3 || (strcmp(argv[1], "all") && strcmp(argv[1], "ours") &&
			  strcmp(argv[1], "stack"))) {
		fprintf(stderr, "usage: spdm-bench all|ours|stack PKI_DIR\n");
		return 2;
	}
	mode = !strcmp(argv[1], "all")    ? MODE_ALL
	       : !strcmp(argv[1], "ours") ? MODE_OURS
					  : MODE_STACK;
	if (setup(argv[2]))
		return 1;
	/* Warm-up, not counted. */
	if (attest())
		return 1;
	b.exchanges = 0;
	b.max_stack = 0;

	measuring = true;
	CALLGRIND_START_INSTRUMENTATION;
	CALLGRIND_TOGGLE_COLLECT;
	if (attest())
		return 1;
	CALLGRIND_TOGGLE_COLLECT;
	CALLGRIND_STOP_INSTRUMENTATION;
	measuring = false;

	conn = spdm_requester_connection(&b.q);
	printf("attestation: SPDM %u.%u, %u exchanges, chain %zu bytes, "
	       "%u measurement blocks, challenge %s\n",
	       conn ? conn->version >> 4 : 0u, conn ? conn->version & 0xFu : 0u,
	       b.exchanges, b.chain_len, b.blocks,
#ifdef BENCH_CHALLENGE
	       "yes"
#else
	       "no"
#endif
	);
	printf("crypto op calls:");
	for (i = 0; i < OP_COUNT; i++)
		printf(" %s %lu", op_names[i], op_calls[i]);
	printf("\n");
	if (mode == MODE_STACK)
		printf("responder stack high-water mark: %zu bytes\n",
		       b.max_stack);
	prot_crypto_free(&b.rc);
	prot_crypto_free(&b.qc);
	return 0;
}
