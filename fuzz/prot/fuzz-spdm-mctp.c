/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libFuzzer harness: MCTP packets into a stack (EID 8) whose SPDM-over-MCTP
 * glue serves both roles: a responder for any peer, and a requester that
 * has started the connect flow against EID 9.
 *
 * Input: records of one length byte and that many bytes of one MCTP packet
 * (4-byte header then payload), handed to mctp_bus_rx(); a record of
 * length 0 moves the clock past the tag timeout (mctp_poll()). When the
 * requester's flow ends it is started again.
 *
 * Oracle besides the sanitizers: every message the glue sends is type 0x05
 * without the IC bit; a request is sent only while a flow runs and the
 * glue reports busy; every type-5 message delivered to the glue is counted
 * exactly once; the done callback comes once per flow, with 0 only when
 * the requester has a connection.
 */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mctp/mctp.h"
#include "prot/spdm-mctp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define OUR_EID 0x08u
#define PEER_EID 0x09u
#define TAG_TIMEOUT_MS 100u

struct fuzz_state {
	struct mctp mctp;
	struct mctp_binding binding;
	uint8_t tx_buf[MCTP_HEADER_SIZE + MCTP_BASELINE_MTU];
	struct spdm_requester q;
	struct spdm_responder r;
	struct prot_spdm_mctp sm;
	unsigned int flows, done_calls;
	uint32_t now;
};

static void check(bool ok)
{
	if (!ok)
		abort();
}

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

static const struct spdm_crypto_ops crypto_ops = {
	.hash_algos = hash_algos,
	.asym_algos = asym_algos,
};

static int fuzz_tx(struct mctp_binding *binding, size_t len, uint8_t phys)
{
	const uint8_t *pkt = binding->tx_pkt;

	(void)phys;
	check(len > MCTP_HEADER_SIZE);
	/* A first packet carries the message type: ours is always SPDM. */
	if (pkt[3] & 0x80u)
		check(pkt[MCTP_HEADER_SIZE] == MCTP_MSG_TYPE_SPDM);
	return 0;
}

static const struct mctp_binding_ops fuzz_binding_ops = {.tx = fuzz_tx};

static void on_done(void *ctx, struct prot_spdm_mctp *sm, uint8_t eid,
		    int result)
{
	struct fuzz_state *s = ctx;

	check(eid == PEER_EID);
	check(!prot_spdm_mctp_busy(sm));
	check(result != -EAGAIN);
	check((result == 0) == (spdm_requester_connection(&s->q) != NULL));
	s->done_calls++;
}

static const struct prot_spdm_mctp_ops done_ops = {.done = on_done};

static uint32_t delivered(const struct prot_spdm_mctp_counters *c)
{
	return c->rx_requests + c->rx_responses + c->drop_ic + c->drop_no_role +
	       c->drop_unexpected;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t versions[] = {0x10, 0x11, 0x12, 0x13};
	static const struct spdm_requester_config qcfg = {
		.versions = versions,
		.n_versions = sizeof(versions),
		.ct_exponent = 10,
		.flags = SPDM_REQ_CERT_CAP | SPDM_REQ_CHAL_CAP,
		.data_transfer_size = 1024,
		.max_spdm_msg_size = 1024,
		.base_asym_algo = SPDM_ASYM_ALGO_ECDSA_P256 |
				  SPDM_ASYM_ALGO_ECDSA_P384,
		.base_hash_algo = SPDM_HASH_ALGO_SHA_256 |
				  SPDM_HASH_ALGO_SHA_384,
	};
	static const struct spdm_responder_config rcfg = {
		.versions = versions,
		.n_versions = sizeof(versions),
		.ct_exponent = 10,
		.data_transfer_size = 1024,
		.max_spdm_msg_size = 1024,
		.base_asym_algo = SPDM_ASYM_ALGO_ECDSA_P256 |
				  SPDM_ASYM_ALGO_ECDSA_P384,
		.base_hash_algo = SPDM_HASH_ALGO_SHA_256 |
				  SPDM_HASH_ALGO_SHA_384,
	};
	/* Large (reassembly buffers): static, set up afresh each run. */
	static struct fuzz_state s;
	struct mctp_config cfg = {.eid = OUR_EID,
				  .tag_timeout_ms = TAG_TIMEOUT_MS};

	memset(&s, 0, sizeof(s));
	check(mctp_init(&s.mctp, &cfg) == 0);
	s.binding.ops = &fuzz_binding_ops;
	s.binding.tx_pkt = s.tx_buf;
	s.binding.max_mtu = MCTP_BASELINE_MTU;
	s.binding.mtu = MCTP_BASELINE_MTU;
	check(mctp_bus_register(&s.mctp, &s.binding) == 0);
	check(spdm_requester_init(&s.q, &qcfg, &crypto_ops, NULL) == 0);
	check(spdm_responder_init(&s.r, &rcfg, &crypto_ops, NULL) == 0);
	check(prot_spdm_mctp_init(&s.sm, &s.mctp, &s.r, &s.q, &done_ops, &s) ==
	      0);

	while (size > 0) {
		size_t len = data[0];
		uint32_t before = delivered(&s.sm.counters);
		uint32_t msgs = s.mctp.counters.rx_messages;

		data++;
		size--;
		if (len > size)
			len = size;
		if (!prot_spdm_mctp_busy(&s.sm)) {
			check(prot_spdm_mctp_connect(&s.sm, PEER_EID) == 0);
			s.flows++;
		}
		if (len == 0) {
			s.now += TAG_TIMEOUT_MS + 1;
			mctp_poll(&s.mctp, s.now);
		} else {
			mctp_bus_rx(&s.binding, data, len);
			/* Each message delivered (all go to the glue: it is
			 * the only handler) is counted once by it. */
			check(delivered(&s.sm.counters) - before ==
			      s.mctp.counters.rx_messages - msgs);
		}
		data += len;
		size -= len;
		check(s.done_calls ==
		      s.flows - (prot_spdm_mctp_busy(&s.sm) ? 1u : 0u));
	}
	return 0;
}
