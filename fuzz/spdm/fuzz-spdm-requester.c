/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libFuzzer harness: responses fed to an SPDM requester in its connect
 * flow.
 *
 * Input: byte 0 selects the configuration (bits 0-3: the versions
 * accepted, bit n = 1.n, none meaning all four; bit 4: no algorithm
 * structures offered). Then records of one length byte and that many
 * response bytes; a record of length 0 is a timeout. Each record answers
 * the request the requester wrote last; when a flow ends it starts again.
 *
 * Oracle besides the sanitizers: next() always gives a request while a
 * flow runs, at a version we accept and with a request code; rx() and
 * timeout() return only the documented values; a completed flow has one
 * of our versions and selects only single algorithms we offered; after an
 * error nothing is negotiated; message A never exceeds its bound.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "spdm/requester.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint32_t hash_algos(void *ctx)
{
	(void)ctx;
	return (1u << SPDM_HASH_SHA256) | (1u << SPDM_HASH_SHA384);
}

static uint32_t asym_algos(void *ctx)
{
	(void)ctx;
	return (1u << SPDM_ASYM_ECDSA_P256) | (1u << SPDM_ASYM_ECDSA_P384);
}

static const struct spdm_crypto_ops ops = {
	.hash_algos = hash_algos,
	.asym_algos = asym_algos,
};

static void check(int ok)
{
	if (!ok)
		abort();
}

static int single_of(uint32_t sel, uint32_t offered)
{
	return sel == 0 || ((sel & (sel - 1)) == 0 && (sel & offered) == sel);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t all[] = {0x10, 0x11, 0x12, 0x13};
	uint8_t versions[4], req[SPDM_REQUESTER_REQ_SIZE];
	struct spdm_requester_config cfg = {
		.ct_exponent = 10,
		.flags = SPDM_REQ_CERT_CAP | SPDM_REQ_CHAL_CAP |
			 SPDM_REQ_KEY_EX_CAP | SPDM_REQ_ENCRYPT_CAP |
			 SPDM_REQ_MAC_CAP,
		.data_transfer_size = 1024,
		.max_spdm_msg_size = 1024,
		.measurement_specification = SPDM_MEASUREMENT_SPEC_DMTF,
		.other_params_support = SPDM_OPAQUE_DATA_FMT_1,
		.base_asym_algo = SPDM_ASYM_ALGO_ECDSA_P256 |
				  SPDM_ASYM_ALGO_ECDSA_P384,
		.base_hash_algo = SPDM_HASH_ALGO_SHA_256 |
				  SPDM_HASH_ALGO_SHA_384,
		.dhe_named_group = SPDM_DHE_SECP256R1 | SPDM_DHE_SECP384R1,
		.aead_cipher_suite = SPDM_AEAD_AES_256_GCM,
		.req_base_asym_alg = SPDM_ASYM_ALGO_ECDSA_P384,
		.key_schedule = SPDM_KEY_SCHEDULE_SPDM,
	};
	struct spdm_requester q;
	const struct spdm_connection_info *c;
	size_t n = 0, i, len, req_len;
	uint8_t sel;
	int err;

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
		cfg.dhe_named_group = 0;
		cfg.aead_cipher_suite = 0;
		cfg.req_base_asym_alg = 0;
		cfg.key_schedule = 0;
		cfg.flags = SPDM_REQ_CERT_CAP | SPDM_REQ_CHAL_CAP;
	}
	check(spdm_requester_init(&q, &cfg, &ops, NULL) == 0);
	check(spdm_requester_connect(&q) == 0);

	data++;
	size--;
	while (size > 0) {
		len = data[0];
		data++;
		size--;
		if (len > size)
			len = size;
		req_len = sizeof(req);
		check(spdm_requester_next(&q, req, &req_len) == 0);
		check(req_len >= 4 && (req[1] & 0x80));
		check(req[0] >= 0x10 && req[0] <= 0x13);
		err = len ? spdm_requester_rx(&q, data, len)
			  : spdm_requester_timeout(&q);
		check(q.vca.len <= SPDM_VCA_MAX_SIZE);
		c = spdm_requester_connection(&q);
		if (err == 0) {
			check(c != NULL);
			check(c->version >= 0x10 && c->version <= 0x13);
			check(single_of(c->base_hash_algo, q.offer_hash));
			check(single_of(c->base_asym_algo, q.offer_asym));
			check(single_of(c->dhe_named_group,
					cfg.dhe_named_group));
			check(single_of(c->aead_cipher_suite,
					cfg.aead_cipher_suite));
		} else {
			check(c == NULL);
			check(err == -EAGAIN || err == -EBADMSG ||
			      err == -EPROTO || err == -EBUSY ||
			      err == -ENOTSUP || err == -ETIMEDOUT);
		}
		if (err != -EAGAIN)
			check(spdm_requester_connect(&q) == 0);
		data += len;
		size -= len;
	}
	return 0;
}
