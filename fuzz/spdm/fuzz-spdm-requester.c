/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libFuzzer harness: responses fed to an SPDM requester in its connect
 * flow.
 *
 * Input: byte 0 selects the configuration (bits 0-3: the versions
 * accepted, bit n = 1.n, none meaning all four; bit 4: no algorithm
 * structures offered; bit 5: after each completed connect, the
 * certificate flow for slot 0, asking 64-byte portions with bit 6, else
 * as much as fits, and after it the challenge flow for slot 0 (summary
 * of all measurements when the responder has MEAS_CAP, else none), or,
 * when the responder has PUB_KEY_ID_CAP, the challenge flow for slot 0xFF
 * with a fake provisioned key; bit 7:
 * after each completed connect, certificate or challenge flow, the
 * measurements flow for all blocks, signed when the responder
 * can, with a fake key: the fake verify accepts signatures starting with
 * 0x11). Then records of one length byte and that many
 * response bytes; a record of length 0 is a timeout. Each record answers
 * the request the requester wrote last; when a flow ends it starts again.
 * The hash is a fake (FNV-1a) and chain_verify accepts certificates that
 * start with a DER SEQUENCE tag, so that the fuzzer can reach every check.
 *
 * Oracle besides the sanitizers: next() always gives a request while a
 * flow runs, at a version we accept and with a request code; rx() and
 * timeout() return only the documented values; a completed flow has one
 * of our versions and selects only single algorithms we offered; after an
 * error nothing is negotiated; message A never exceeds its bound; a
 * completed certificate flow has the SPDM_VERIFIED verdict and a key, a
 * failed one neither; a completed challenge flow has the VERIFIED
 * challenge verdict and the SPDM_ATTESTED attestation (slot 0xFF: the
 * verdict, never the attestation), a failed one neither; a completed
 * measurements flow has the UNSIGNED or VERIFIED verdict, a content
 * changed field of 00b, 01b or 10b (00b unsigned) and, as every
 * completed flow, an OpaqueDataLength of at most 1024 whose first bytes
 * were copied to the opaque buffer; a failed one NONE. Opaque data is
 * reached with 12 bytes of format-1 data at the end of a 1.2 response.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz-fake-hash.h"
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

/* Accept a chain starting with a SEQUENCE tag; the key size follows the
 * parity of the length (P-256 odd, P-384 even). */
static int chain_verify(void *ctx, const uint8_t *certs, size_t len,
			uint8_t *pubkey, size_t *pubkey_len)
{
	size_t n = len % 2 ? 65 : 97;

	(void)ctx;
	if (!len || certs[0] != 0x30)
		return -EPERM;
	if (*pubkey_len < n)
		return -EMSGSIZE;
	memset(pubkey, 0x04, n);
	*pubkey_len = n;
	return 0;
}

static int fake_random(void *ctx, uint8_t *out, size_t len)
{
	(void)ctx;
	memset(out, 0x5A, len);
	return 0;
}

static int fake_verify(void *ctx, enum spdm_asym_alg alg, const uint8_t *pubkey,
		       size_t pubkey_len, const uint8_t *digest,
		       size_t digest_len, const uint8_t *sig, size_t sig_len)
{
	(void)ctx;
	(void)alg;
	(void)pubkey;
	(void)pubkey_len;
	(void)digest;
	(void)digest_len;
	return sig_len && sig[0] == 0x11 ? 0 : -EPERM;
}

static const struct spdm_crypto_ops ops = {
	.hash_algos = hash_algos,
	.asym_algos = asym_algos,
	.hash_init = hash_init,
	.hash_update = hash_update,
	.hash_final = hash_final,
	.hash_abort = hash_abort,
	.chain_verify = chain_verify,
	.random = fake_random,
	.verify = fake_verify,
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
	size_t n = 0, i, len, req_len, key_len;
	const uint8_t *key;
	uint8_t sel;
	int err, cert = 0, meas = 0, chal = 0;
	struct spdm_measurement_result res;
	struct spdm_challenge_result cres;
	uint8_t fake_key[SPDM_MAX_PUBKEY_SIZE] = {0x04};
	uint8_t opaque[16];

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
	check(spdm_requester_set_opaque_buffer(&q, opaque, sizeof(opaque)) ==
	      0);
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
			check(spdm_requester_measurement_result(&q, &res) == 0);
			check(!meas ||
			      res.verdict == SPDM_MEAS_VERDICT_UNSIGNED ||
			      res.verdict == SPDM_MEAS_VERDICT_VERIFIED);
			check(!meas ||
			      (res.content_changed != 0x30 &&
			       !(res.content_changed & ~0x30) &&
			       (res.verdict == SPDM_MEAS_VERDICT_VERIFIED ||
				!res.content_changed) &&
			       res.opaque_len <= 1024));
			check(spdm_requester_challenge_result(&q, &cres) == 0);
			check(!chal ||
			      (cres.verdict == SPDM_CHAL_VERDICT_VERIFIED &&
			       cres.opaque_len <= 1024 &&
			       (spdm_requester_attestation(&q) ==
				SPDM_ATTESTED) == (chal == 1)));
			if (cert) {
				check(spdm_requester_cert_verdict(&q) ==
				      SPDM_VERIFIED);
				check(spdm_requester_peer_pubkey(
					      &q, &key, &key_len) == 0);
			}
		} else if (err == -ECONNRESET) {
			/* RequestResynch cut a flow short: connected again,
			 * and nothing the cut flow would have vouched for. */
			check(c != NULL);
			check(cert || meas || chal);
			check(spdm_requester_attestation(&q) != SPDM_ATTESTED);
		} else if (err != -EAGAIN) {
			check(c == NULL);
			check(err == -EBADMSG || err == -EPROTO ||
			      err == -EBUSY || err == -ENOTSUP ||
			      err == -ETIMEDOUT ||
			      ((cert || meas || chal) && err == -EPERM) ||
			      ((meas || chal) && err == -EIO));
			check(spdm_requester_cert_verdict(&q) != SPDM_VERIFIED);
			check(spdm_requester_attestation(&q) != SPDM_ATTESTED);
			check(spdm_requester_peer_pubkey(&q, &key, &key_len) ==
			      -EPERM);
		}
		if (err == 0 && !cert && !chal && (sel & 0x20) &&
		    (c->peer_flags & SPDM_RSP_PUB_KEY_ID_CAP) &&
		    (c->peer_flags & SPDM_RSP_CHAL_CAP)) {
			check(spdm_requester_set_peer_pubkey(
				      &q, c->asym, fake_key,
				      c->asym == SPDM_ASYM_ECDSA_P256
					      ? 65
					      : 97) == 0);
			check(spdm_requester_challenge(&q, 0xFF, 0) == 0);
			chal = 2;
		} else if (err == 0 && !cert && (sel & 0x20) &&
			   (c->peer_flags & SPDM_RSP_CERT_CAP)) {
			check(spdm_requester_get_certificate(
				      &q, 0, sel & 0x40 ? 64 : 0) == 0);
			cert = 1;
		} else if (err == 0 && cert == 1 && !chal &&
			   (c->peer_flags & SPDM_RSP_CHAL_CAP)) {
			check(spdm_requester_challenge(
				      &q, 0,
				      c->peer_flags & SPDM_RSP_MEAS_CAP_MASK
					      ? SPDM_CHAL_SUMMARY_ALL
					      : SPDM_CHAL_SUMMARY_NONE) == 0);
			chal = 1;
		} else if (err == 0 && !meas && (sel & 0x80) &&
			   (c->peer_flags & SPDM_RSP_MEAS_CAP_MASK) &&
			   c->measurement_specification) {
			bool sig = c->peer_flags & SPDM_RSP_MEAS_CAP_SIG;

			check(spdm_requester_set_peer_pubkey(
				      &q, c->asym, fake_key,
				      c->asym == SPDM_ASYM_ECDSA_P256
					      ? 65
					      : 97) == 0);
			/* A key set by hand clears the chain's verdict. */
			check(spdm_requester_cert_verdict(&q) != SPDM_VERIFIED);
			cert = 0;
			chal = 0;
			check(spdm_requester_measurements(
				      &q, 0xFF,
				      sig ? SPDM_MEAS_ATTR_SIGNATURE : 0,
				      sig && c->version >= 0x11 &&
						      (c->peer_flags &
						       SPDM_RSP_PUB_KEY_ID_CAP)
					      ? 0xFF
					      : 0,
				      NULL, NULL) == 0);
			meas = 1;
		} else if (err != -EAGAIN) {
			if (err) {
				check(spdm_requester_measurement_result(
					      &q, &res) == 0);
				check(res.verdict == SPDM_MEAS_VERDICT_NONE);
			}
			check(spdm_requester_connect(&q) == 0);
			cert = 0;
			meas = 0;
			chal = 0;
		}
		data += len;
		size -= len;
	}
	return 0;
}
