/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libFuzzer harness: MCTP messages into the device side of the PLDM over
 * MCTP glue (EID 9) serving the PLDM base responder and a Firmware Device
 * whose ops store nothing.
 *
 * Input: records. A record starts with a byte: bit 7 clear, bits 6..0 =
 * length: that many bytes of one MCTP packet (4-byte header then payload)
 * handed to mctp_bus_rx(); length 0 moves the clock on by 700 ms and polls
 * the glue. Bit 7 set: bits 6..0 bytes given straight to
 * prot_pldm_mctp_device_rx(): a flags byte (bit 0 tag owner, bit 1 IC,
 * bits 4..2 tag), the source EID, then the message (type byte first), so
 * that responses reach the FD without matching an MCTP tag.
 *
 * Oracle besides the sanitizers: every message the glue sends starts with
 * type 0x01 without the IC bit; every message given to the glue is counted
 * exactly once; answers never outnumber requests; requests go only to the
 * UA's EID once it is known.
 */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mctp/mctp.h"
#include "pldm/base.h"
#include "pldm/fw-device.h"
#include "prot/pldm-mctp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define OUR_EID 0x09u

struct fuzz_state {
	struct mctp mctp;
	struct mctp_binding binding;
	uint8_t tx_buf[MCTP_HEADER_SIZE + MCTP_BASELINE_MTU];
	struct pldm_base base;
	struct pldm_fd fd;
	struct prot_pldm_mctp_device dev;
	uint8_t buf[512];
	uint32_t now;
};

static void check(bool ok)
{
	if (!ok)
		abort();
}

static int fuzz_tx(struct mctp_binding *binding, size_t len, uint8_t phys)
{
	const uint8_t *pkt = binding->tx_pkt;

	(void)phys;
	check(len > MCTP_HEADER_SIZE);
	if (pkt[3] & 0x80u) /* start of message: the type byte */
		check(pkt[MCTP_HEADER_SIZE] == MCTP_MSG_TYPE_PLDM);
	return 0;
}

static const struct mctp_binding_ops fuzz_binding_ops = {.tx = fuzz_tx};

static int fd_write(void *ctx, uint16_t index, uint32_t offset,
		    const uint8_t *data, size_t len)
{
	(void)ctx;
	(void)index;
	(void)offset;
	(void)data;
	(void)len;
	return 0;
}

static int fd_verify(void *ctx, uint16_t index)
{
	(void)ctx;
	(void)index;
	return PLDM_FW_VERIFY_SUCCESS;
}

static int fd_apply(void *ctx, uint16_t index, uint16_t *mod)
{
	(void)ctx;
	(void)index;
	(void)mod;
	return PLDM_FW_APPLY_SUCCESS;
}

static int fd_activate(void *ctx, bool self_contained, uint16_t *est)
{
	(void)ctx;
	(void)self_contained;
	*est = 0;
	return 0;
}

static const uint8_t iana[] = {0x47, 0x16, 0x00, 0x00};
static const uint8_t ver[] = "v1";
static const struct pldm_fd_descriptor descs[] = {{0x0001, 4, iana}};
static const struct pldm_fd_component comps[] = {
	{.classification = PLDM_FW_CLASS_FIRMWARE,
	 .identifier = 1,
	 .active_comparison_stamp = 1,
	 .active_version = {PLDM_FD_STRING_ASCII, 2, ver},
	 .pending_comparison_stamp = PLDM_FW_NO_COMPARISON_STAMP,
	 .activation_methods = PLDM_FW_ACTIVATION_AUTOMATIC},
};
static const struct pldm_fd_config fd_cfg = {
	.descriptors = descs,
	.n_descriptors = 1,
	.components = comps,
	.n_components = 1,
	.active_image_set_version = {PLDM_FD_STRING_ASCII, 2, ver},
	.max_transfer_size = 64,
	.fd_t2_ms = 500,
};
static const struct pldm_fd_ops fd_ops = {
	.write = fd_write,
	.verify = fd_verify,
	.apply = fd_apply,
	.activate = fd_activate,
};

static const uint32_t base_versions[] = {0xF1F1F000u};
static const uint32_t fw_versions[] = {0xF1F3F000u};
static const uint8_t base_commands[32] = {0x3E};
static const uint8_t fw_commands[32] = {0xFF, 0xFF, 0xFF};
static const struct pldm_base_type base_types[] = {
	{PLDM_TYPE_BASE, base_versions, 1, base_commands},
	{PLDM_TYPE_FW_UPDATE, fw_versions, 1, fw_commands},
};
static const struct pldm_base_config base_cfg = {
	.types = base_types,
	.n_types = 2,
	.tid = 1,
};

static uint32_t counted(const struct prot_pldm_mctp_counters *c)
{
	return c->rx_requests + c->rx_responses + c->drop_type + c->drop_short +
	       c->drop_ic + c->drop_oversized + c->drop_mismatch +
	       c->drop_foreign + c->drop_unanswered + c->drop_rejected;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* Large (reassembly buffers): static, set up afresh each run. */
	static struct fuzz_state s;
	static struct prot_pldm_mctp_device_config dcfg;
	struct mctp_config cfg = {.eid = OUR_EID, .tag_timeout_ms = 300};
	const struct prot_pldm_mctp_counters *c;

	memset(&s, 0, sizeof(s));
	check(mctp_init(&s.mctp, &cfg) == 0);
	s.binding.ops = &fuzz_binding_ops;
	s.binding.tx_pkt = s.tx_buf;
	s.binding.max_mtu = MCTP_BASELINE_MTU;
	s.binding.mtu = MCTP_BASELINE_MTU;
	check(mctp_bus_register(&s.mctp, &s.binding) == 0);
	check(pldm_base_init(&s.base, &base_cfg) == 0);
	check(pldm_fd_init(&s.fd, &fd_cfg, &fd_ops) == 0);
	dcfg = (struct prot_pldm_mctp_device_config){
		.base = &s.base,
		.fd = &s.fd,
		.buf = s.buf,
		.buf_size = sizeof(s.buf),
	};
	check(prot_pldm_mctp_device_init(&s.dev, &s.mctp, &dcfg, 0) == 0);
	c = prot_pldm_mctp_device_counters(&s.dev);

	while (size > 0) {
		bool direct = (data[0] & 0x80u) != 0;
		size_t len = data[0] & 0x7Fu;
		uint32_t before = counted(c);
		uint32_t msgs = s.mctp.counters.rx_messages;

		data++;
		size--;
		if (len > size)
			len = size;
		if (len == 0) {
			uint32_t dl;
			int rc;

			s.now += 700;
			rc = prot_pldm_mctp_device_poll(&s.dev, s.now, &dl);
			check(rc == 0 || rc == 1);
		} else if (direct) {
			struct mctp_msg_info info = {0};

			if (len >= 2) {
				info.tag_owner = (data[0] & 1u) != 0;
				info.ic = (data[0] & 2u) != 0;
				info.tag = (uint8_t)((data[0] >> 2) & 7u);
				info.src_eid = data[1];
				info.dest_eid = OUR_EID;
				info.type = len > 2 ? (uint8_t)(data[2] & 0x7Fu)
						    : 0;
				(void)prot_pldm_mctp_device_rx(
					&s.dev, &info, data + 2, len - 2);
				check(counted(c) - before == 1);
			}
		} else {
			mctp_bus_rx(&s.binding, data, len);
			/* Each PLDM message delivered is counted once. */
			check(counted(c) - before ==
			      s.mctp.counters.rx_messages - msgs);
		}
		data += len;
		size -= len;
		check(c->tx_responses <= c->rx_requests);
		check(c->unsupported_type <= c->rx_requests);
		check(c->tx_requests == 0 || s.dev.ua_known);
	}
	return 0;
}
