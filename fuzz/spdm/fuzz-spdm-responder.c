/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libFuzzer harness: a sequence of requests fed to one SPDM responder.
 *
 * Input: byte 0 selects the configuration (bits 0-3: the versions offered,
 * bit n = 1.n, none meaning all four; bit 4: crypto with P-256/SHA-256
 * only; bit 5: a responder without MEAS_CAP, KEY_EX_CAP and the session
 * flags; bit 6: slot 0 holds a 1500-byte certificate chain, made for
 * SHA-256 with bit 4, else SHA-384, hashed by a fake non-cryptographic
 * hash; bit 7: a measurement source (blocks 1, 2 and 5, a generation
 * counter that moves at every request) and a signer that is busy every
 * other call). Without bit 6 but with bit 5, the responder has a
 * provisioned public key (PUB_KEY_ID_CAP, SlotID 0xFF) instead of
 * CERT_CAP. Every configuration has 12 bytes of format-1 opaque data for
 * CHALLENGE_AUTH and 20 for MEASUREMENTS. Then records of one length byte
 * and that many request bytes.
 *
 * Oracle besides the sanitizers: every request gets a response of at
 * least 4 bytes whose version is one we speak; an ERROR is exactly 4
 * bytes (8 for ResponseTooLarge); any other response has the request's code with bit 7 clear, the
 * request's version (1.0 for VERSION), and the state it leaves matches it
 * (VERSION: AFTER_VERSION, CAPABILITIES: AFTER_CAPABILITIES, ALGORITHMS:
 * NEGOTIATED with exactly one offered hash and signature algorithm); an
 * ERROR never moves the state forward; message A never exceeds its bound;
 * DIGESTS has one digest per provisioned slot; CERTIFICATE carries
 * PortionLength bytes and never runs past the chain; MEASUREMENTS (also
 * for RESPOND_IF_READY) comes only when NEGOTIATED and holds at least its
 * fixed fields, an OpaqueDataLength of 0 or the configured data (0 when
 * 1.2+ ALGORITHMS did not select format 1), Param2 bits 7:6 clear and
 * bits 5:4 never 11b (00b before 1.2); CHALLENGE_AUTH (also for
 * RESPOND_IF_READY) comes only when NEGOTIATED, holds at least its fixed
 * fields and a signature, its slot in Param1 (0xF only with the
 * provisioned key), and leaves M1 ended; ResponseNotReady is 8 bytes.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz-fake-hash.h"
#include "spdm/responder.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct fuzz_crypto {
	uint32_t hash;
	uint32_t asym;
	unsigned int signs;
};

static uint32_t hash_algos(void *ctx)
{
	return ((struct fuzz_crypto *)ctx)->hash;
}

static uint32_t asym_algos(void *ctx)
{
	return ((struct fuzz_crypto *)ctx)->asym;
}

static int fake_random(void *ctx, uint8_t *out, size_t len)
{
	(void)ctx;
	memset(out, 0x5A, len);
	return 0;
}

static int fake_sign(void *ctx, uint8_t slot, enum spdm_asym_alg alg,
		     const uint8_t *digest, size_t digest_len, uint8_t *sig,
		     size_t sig_len)
{
	struct fuzz_crypto *c = ctx;

	(void)slot;
	(void)alg;
	(void)digest;
	(void)digest_len;
	if (c->signs++ % 2 == 0)
		return -EAGAIN;
	memset(sig, 0x11, sig_len);
	return 0;
}

static const struct spdm_crypto_ops ops = {
	.hash_algos = hash_algos,
	.asym_algos = asym_algos,
	.hash_init = hash_init,
	.hash_update = hash_update,
	.hash_final = hash_final,
	.hash_abort = hash_abort,
	.sign = fake_sign,
	.random = fake_random,
};

static int meas_count(void *ctx)
{
	(void)ctx;
	return 3;
}

static int meas_block(void *ctx, uint8_t index, enum spdm_hash_alg hash,
		      uint8_t *type, bool *raw, uint8_t *value,
		      size_t *value_len)
{
	size_t n = index == 2 ? spdm_hash_size(hash) : 40u;

	(void)ctx;
	if (index != 1 && index != 2 && index != 5)
		return -ENOENT;
	if (!n || *value_len < n)
		return -EMSGSIZE;
	memset(value, index, n);
	*value_len = n;
	*type = index;
	*raw = index != 2;
	return 0;
}

static const struct spdm_measurement_ops meas_ops = {meas_count, meas_block};

static uint32_t generation;

static uint32_t meas_generation(void *ctx)
{
	(void)ctx;
	return generation;
}

/* General opaque data (format 1): one DMTF element "abc" + 1 pad byte;
 * two elements (PCI-SIG vendor 0x8086, no data; IANA CBOR, 4 bytes). */
static const uint8_t opaque_chal[12] = {1, 0, 0,   0,   0,   0,
					3, 0, 'a', 'b', 'c', 0};
static const uint8_t opaque_meas[20] = {2,    0, 0,    0,    3,    2,    0x86,
					0x80, 0, 0,    0,    0,    0x0A, 0,
					4,    0, 0xDE, 0xAD, 0xBE, 0xEF};
static const uint8_t pubkey[97] = {0x04, 0x01};

/* OpaqueDataLength of a MEASUREMENTS response: 0 or the configured one
 * (the response was checked to hold its fixed fields). */
static int meas_opaque_ok(const uint8_t *rsp, size_t len)
{
	size_t rec = rsp[5] | (size_t)rsp[6] << 8 | (size_t)rsp[7] << 16;
	size_t at = 8 + rec + SPDM_NONCE_SIZE, olen;

	if (at + 2 > len)
		return 0;
	olen = rsp[at] | (size_t)rsp[at + 1] << 8;
	if (olen == 0)
		return 1;
	return olen == sizeof(opaque_meas) && at + 2 + olen <= len &&
	       !memcmp(rsp + at + 2, opaque_meas, olen);
}

#define CHAIN_LEN 1500u

static void check(int ok)
{
	if (!ok)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t all[] = {0x10, 0x11, 0x12, 0x13};
	uint8_t versions[4], rsp[SPDM_MAX_MSG_SIZE], chain[CHAIN_LEN];
	struct fuzz_crypto crypto = {
		(1u << SPDM_HASH_SHA256) | (1u << SPDM_HASH_SHA384),
		(1u << SPDM_ASYM_ECDSA_P256) | (1u << SPDM_ASYM_ECDSA_P384), 0};
	struct spdm_responder_config cfg = {
		.ct_exponent = 12,
		.flags = SPDM_RSP_CERT_CAP | SPDM_RSP_CHAL_CAP |
			 SPDM_RSP_MEAS_CAP_SIG | SPDM_RSP_KEY_EX_CAP |
			 SPDM_RSP_ENCRYPT_CAP | SPDM_RSP_MAC_CAP |
			 SPDM_RSP_MUT_AUTH_CAP,
		.data_transfer_size = 1024,
		.max_spdm_msg_size = 1024,
		.measurement_specification = SPDM_MEASUREMENT_SPEC_DMTF,
		.measurement_hash_algo = SPDM_MEAS_HASH_SHA_256 |
					 SPDM_MEAS_HASH_SHA_384,
		.base_asym_algo = SPDM_ASYM_ALGO_ECDSA_P256 |
				  SPDM_ASYM_ALGO_ECDSA_P384,
		.base_hash_algo = SPDM_HASH_ALGO_SHA_256 |
				  SPDM_HASH_ALGO_SHA_384,
		.dhe_named_group = SPDM_DHE_SECP256R1 | SPDM_DHE_SECP384R1,
		.aead_cipher_suite = SPDM_AEAD_AES_256_GCM,
		.req_base_asym_alg = SPDM_ASYM_ALGO_ECDSA_P384,
		.key_schedule = SPDM_KEY_SCHEDULE_SPDM,
	};
	struct spdm_responder r;
	enum spdm_responder_state before;
	const struct spdm_connection_info *c;
	size_t n = 0, i, len, rsp_len;
	uint8_t sel;

	if (size < 1)
		return 0;
	sel = data[0];
	for (i = 0; i < 4; i++)
		if (sel & (1u << i))
			versions[n++] = all[i];
	if (n == 0) {
		memcpy(versions, all, 4);
		n = 4;
	}
	cfg.versions = versions;
	cfg.n_versions = n;
	if (sel & 0x10) {
		crypto.hash = 1u << SPDM_HASH_SHA256;
		crypto.asym = 1u << SPDM_ASYM_ECDSA_P256;
	}
	if (sel & 0x20)
		cfg.flags = SPDM_RSP_CERT_CAP | SPDM_RSP_CHAL_CAP;
	if (sel & 0x40) {
		memset(chain, 0xA5, sizeof(chain));
		chain[0] = (uint8_t)CHAIN_LEN;
		chain[1] = (uint8_t)(CHAIN_LEN >> 8);
		cfg.cert_slots[0].chain = chain;
		cfg.cert_slots[0].len = CHAIN_LEN;
		cfg.cert_chain_hash_algo = sel & 0x10 ? SPDM_HASH_ALGO_SHA_256
						      : SPDM_HASH_ALGO_SHA_384;
	}
	if (sel & 0x80) {
		cfg.measurement_ops = &meas_ops;
		cfg.measurement_generation = meas_generation;
	}
	if ((sel & 0x60) == 0x20) {
		cfg.flags = SPDM_RSP_PUB_KEY_ID_CAP | SPDM_RSP_CHAL_CAP |
			    SPDM_RSP_MEAS_CAP_SIG;
		cfg.provisioned_pubkey = pubkey;
		cfg.provisioned_pubkey_len = sizeof(pubkey);
	}
	cfg.opaque_challenge_auth = opaque_chal;
	cfg.opaque_challenge_auth_len = sizeof(opaque_chal);
	cfg.opaque_measurements = opaque_meas;
	cfg.opaque_measurements_len = sizeof(opaque_meas);
	cfg.opaque_data_format = SPDM_OPAQUE_DATA_FMT_1;
	generation = 0;
	check(spdm_responder_init(&r, &cfg, &ops, &crypto) == 0);

	data++;
	size--;
	while (size > 0) {
		len = data[0];
		data++;
		size--;
		if (len > size)
			len = size;
		before = r.state;
		generation++;
		rsp_len = sizeof(rsp);
		check(spdm_responder_handle(&r, data, len, rsp, &rsp_len) == 0);
		check(rsp_len >= 4 && rsp_len <= sizeof(rsp));
		check(rsp[0] >= 0x10 && rsp[0] <= 0x13);
		check(r.vca.len <= SPDM_VCA_MAX_SIZE);
		if (rsp[1] == SPDM_ERROR) {
			bool long_error =
				rsp[2] == SPDM_ERROR_RESPONSE_TOO_LARGE ||
				rsp[2] == SPDM_ERROR_RESPONSE_NOT_READY;

			check(rsp_len == (long_error ? 8u : 4u));
			check(r.state == before);
		} else {
			check(len >= 4 && (rsp[1] == (data[1] & 0x7F) ||
					   (data[1] == SPDM_RESPOND_IF_READY &&
					    (rsp[1] == SPDM_MEASUREMENTS ||
					     rsp[1] == SPDM_CHALLENGE_AUTH))));
			check(rsp[0] == data[0]);
			switch (rsp[1]) {
			case SPDM_VERSION:
				check(r.state ==
				      SPDM_RESPONDER_STATE_AFTER_VERSION);
				break;
			case SPDM_CAPABILITIES:
				check(r.state ==
				      SPDM_RESPONDER_STATE_AFTER_CAPABILITIES);
				check(r.conn.version == rsp[0]);
				break;
			case SPDM_ALGORITHMS:
				c = spdm_responder_connection(&r);
				check(c != NULL);
				check(c->hash != SPDM_HASH_NONE &&
				      c->asym != SPDM_ASYM_NONE);
				check((c->base_hash_algo &
				       (c->base_hash_algo - 1)) == 0);
				check((c->base_asym_algo & r.offer_asym) ==
				      c->base_asym_algo);
				break;
			case SPDM_DIGESTS:
				check(r.state ==
				      SPDM_RESPONDER_STATE_NEGOTIATED);
				check(rsp[3] == 0x01 &&
				      rsp_len ==
					      4 + spdm_hash_size(r.conn.hash));
				check(r.cert.m1.started);
				break;
			case SPDM_MEASUREMENTS:
				check(r.state ==
				      SPDM_RESPONDER_STATE_NEGOTIATED);
				check(rsp_len >= 8u + SPDM_NONCE_SIZE + 2u);
				check(meas_opaque_ok(rsp, rsp_len));
				check(!(rsp[3] & 0xC0) &&
				      (rsp[3] & 0x30) != 0x30);
				check(rsp[0] >= 0x12 || !(rsp[3] & 0x30));
				break;
			case SPDM_CHALLENGE_AUTH:
				check(r.state ==
				      SPDM_RESPONDER_STATE_NEGOTIATED);
				check(rsp_len >=
				      4u + spdm_hash_size(r.conn.hash) +
					      SPDM_NONCE_SIZE + 2u +
					      spdm_sig_size(r.conn.asym));
				check(!r.cert.m1.started);
				check((rsp[2] & 0x0F) != 0x0F ||
				      cfg.provisioned_pubkey);
				break;
			case SPDM_CERTIFICATE:
				check(r.state ==
				      SPDM_RESPONDER_STATE_NEGOTIATED);
				check(rsp_len >= 8 &&
				      rsp_len == 8u + (rsp[4] | rsp[5] << 8));
				check((size_t)(rsp[4] | rsp[5] << 8) +
					      (size_t)(rsp[6] | rsp[7] << 8) <=
				      CHAIN_LEN);
				break;
			default:
				check(0);
			}
		}
		data += len;
		size -= len;
	}
	return 0;
}
