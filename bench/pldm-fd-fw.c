/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The smallest firmware that is a PLDM firmware-update device with
 * libpldm-fw: the PLDM base responder (GetTID, SetTID, GetPLDMVersion,
 * GetPLDMTypes, GetPLDMCommands) and the DSP0267 Firmware Device (every
 * UA->FD command, the FD's own requests, the state machine).
 * bench/run.sh links it for Cortex-M4 with --gc-sections and counts only
 * the input sections that come from libpldm-fw.a (read from the linker
 * map); the device's ops below are stubs defined in THIS file and are not
 * counted, nor is libc (memcpy, memset, memcmp).
 *
 * Not meant to run: messages arrive in a volatile buffer so that nothing
 * is folded away.
 */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pldm/base.h"
#include "pldm/fw-device.h"

#define FW_MSG 1100u

struct fw {
	struct pldm_base base;
	struct pldm_fd fd;
	volatile uint8_t rx[FW_MSG];
	volatile size_t rx_len;
	volatile uint8_t tx[FW_MSG];
	volatile size_t tx_len;
	volatile uint32_t now;
	volatile uint8_t sink;
};

static struct fw fw;

/* ---- device ops: stubs, not counted ---- */

static int fw_write(void *ctx, uint16_t index, uint32_t offset,
		    const uint8_t *data, size_t len)
{
	(void)ctx;
	(void)index;
	(void)offset;
	fw.sink = len ? data[0] : 0;
	return 0;
}

static int fw_verify(void *ctx, uint16_t index)
{
	(void)ctx;
	(void)index;
	return fw.sink;
}

static int fw_apply(void *ctx, uint16_t index, uint16_t *mod)
{
	(void)ctx;
	(void)index;
	(void)mod;
	return fw.sink;
}

static int fw_activate(void *ctx, bool self_contained, uint16_t *est)
{
	(void)ctx;
	(void)self_contained;
	*est = 0;
	return fw.sink;
}

static const struct pldm_fd_ops fw_ops = {
	.write = fw_write,
	.verify = fw_verify,
	.apply = fw_apply,
	.activate = fw_activate,
};

/* ---- configuration (rodata of this file: not counted) ---- */

static const uint8_t fw_iana[] = {0x47, 0x16, 0x00, 0x00};
static const struct pldm_fd_descriptor fw_descs[] = {
	{0x0001, sizeof(fw_iana), fw_iana},
};
static const uint8_t fw_ver[] = "1.0.0";
static const struct pldm_fd_component fw_comps[] = {
	{
		.classification = PLDM_FW_CLASS_FIRMWARE,
		.identifier = 1,
		.active_comparison_stamp = 1,
		.active_version = {PLDM_FD_STRING_ASCII, 5, fw_ver},
		.pending_comparison_stamp = PLDM_FW_NO_COMPARISON_STAMP,
		.activation_methods = PLDM_FW_ACTIVATION_SELF_CONTAINED,
	},
};
static const struct pldm_fd_config fw_cfg = {
	.descriptors = fw_descs,
	.n_descriptors = 1,
	.components = fw_comps,
	.n_components = 1,
	.active_image_set_version = {PLDM_FD_STRING_ASCII, 5, fw_ver},
	.max_transfer_size = 1024,
};

static const uint32_t fw_base_versions[] = {PLDM_VER32(1, 1, 0)};
static const uint32_t fw_fwup_versions[] = {PLDM_VER32(1, 3, 0)};
static const uint8_t fw_base_cmds[32] = {0x3E};
/* 0x01 0x02 0x10 0x12 0x13 0x14 0x1A 0x1B 0x1C 0x1D: what the FD serves */
static const uint8_t fw_fwup_cmds[32] = {0x06, 0x00, 0x1D, 0x3C};
static const struct pldm_base_type fw_types[] = {
	{PLDM_TYPE_BASE, fw_base_versions, 1, fw_base_cmds},
	{PLDM_TYPE_FW_UPDATE, fw_fwup_versions, 1, fw_fwup_cmds},
};
static const struct pldm_base_config fw_base_cfg = {
	.types = fw_types,
	.n_types = 2,
};

int main(void)
{
	uint8_t in[FW_MSG], out[FW_MSG];

	pldm_base_init(&fw.base, &fw_base_cfg);
	pldm_fd_init(&fw.fd, &fw_cfg, &fw_ops);
	for (;;) {
		size_t len = fw.rx_len, out_len = sizeof(out);
		uint32_t now = fw.now;

		if (len > sizeof(in))
			len = sizeof(in);
		for (size_t i = 0; i < len; i++)
			in[i] = fw.rx[i];
		if (len >= PLDM_HDR_LEN && (in[1] & PLDM_HDR_TYPE_MASK) == 0) {
			if (pldm_base_handle(&fw.base, in, len, out, &out_len))
				out_len = 0;
		} else if (len >= PLDM_HDR_LEN && (in[0] & PLDM_HDR_RQ)) {
			if (pldm_fd_handle(&fw.fd, now, in, len, out, &out_len))
				out_len = 0;
		} else {
			pldm_fd_handle_response(&fw.fd, now, in, len);
			out_len = sizeof(out);
			if (pldm_fd_poll(&fw.fd, now, out, &out_len))
				out_len = 0;
		}
		for (size_t i = 0; i < out_len; i++)
			fw.tx[i] = out[i];
		fw.tx_len = out_len;
	}
}
