/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Instruction counts of a whole DSP0267 update, Update Agent to Firmware
 * Device in one process, for callgrind (valgrind --tool=callgrind
 * --collect-atstart=no --instr-atstart=no). A package with one component
 * of BENCH_IMAGE bytes is written with pldm_package_write() and parsed
 * (not counted); then everything from pldm_ua_start() to the UA's SUCCESS
 * is counted: both state machines, every encode and decode, the UA
 * copying image bytes into RequestFirmwareData responses. The FD's write
 * op stores nothing (the copy into flash is excluded, as the issue asks)
 * and messages go straight from one side's buffer to the other.
 *
 *   pldm-bench TRANSFER_SIZE
 * prints the bytes moved and the number of RequestFirmwareData exchanges.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <valgrind/callgrind.h>

#include "pldm/fw-agent.h"
#include "pldm/fw-device.h"
#include "pldm/fw-package.h"

#define BENCH_IMAGE (256u * 1024u)
#define MSG_MAX (PLDM_HDR_LEN + 1u + 4096u + 16u)

static uint8_t image[BENCH_IMAGE];
static uint8_t package[BENCH_IMAGE + 1024u];
static unsigned long written, chunks;

static int b_write(void *ctx, uint16_t index, uint32_t offset,
		   const uint8_t *data, size_t len)
{
	(void)ctx;
	(void)index;
	(void)offset;
	(void)data;
	written += len;
	chunks++;
	return 0;
}

static int b_verify(void *ctx, uint16_t index)
{
	(void)ctx;
	(void)index;
	return 0;
}

static int b_apply(void *ctx, uint16_t index, uint16_t *mod)
{
	(void)ctx;
	(void)index;
	(void)mod;
	return 0;
}

static int b_activate(void *ctx, bool self_contained, uint16_t *est)
{
	(void)ctx;
	(void)self_contained;
	*est = 0;
	return 0;
}

static const uint8_t iana[] = {0x47, 0x16, 0x00, 0x00};
static const uint8_t ver[] = "bench";

int main(int argc, char **argv)
{
	static struct pldm_fd fd;
	static struct pldm_ua ua;
	static struct pldm_package pkg;
	static uint8_t a[MSG_MAX], b[MSG_MAX];
	const struct pldm_fd_ops ops = {
		.write = b_write,
		.verify = b_verify,
		.apply = b_apply,
		.activate = b_activate,
	};
	const struct pldm_fd_descriptor fd_desc = {0x0001, 4, iana};
	const struct pldm_fd_component comp = {
		.classification = PLDM_FW_CLASS_FIRMWARE,
		.identifier = 1,
		.active_comparison_stamp = 1,
		.active_version = {PLDM_FD_STRING_ASCII, 5, ver},
		.pending_comparison_stamp = PLDM_FW_NO_COMPARISON_STAMP,
		.activation_methods = PLDM_FW_ACTIVATION_SELF_CONTAINED,
	};
	uint32_t xfer = argc > 1 ? (uint32_t)strtoul(argv[1], NULL, 0) : 1024;
	const struct pldm_fd_config cfg = {
		.descriptors = &fd_desc,
		.n_descriptors = 1,
		.components = &comp,
		.n_components = 1,
		.active_image_set_version = {PLDM_FD_STRING_ASCII, 5, ver},
		.max_transfer_size = xfer,
	};
	const struct pldm_ua_config ua_cfg = {
		.tid = 1,
		.max_transfer_size = xfer,
		.retries = PLDM_FW_PN1_RETRIES,
	};
	const struct pldm_package_write_descriptor desc = {
		.descriptor_type = 0x0001,
		.descriptor_data = {iana, 4},
	};
	const uint8_t applicable = 1;
	const struct pldm_package_write_fd_record rec = {
		.component_image_set_version_string = {1, ver, 5},
		.applicable_components = {&applicable, 1},
		.descriptors = &desc,
		.descriptor_count = 1,
	};
	const struct pldm_package_write_component pc = {
		.component_classification = PLDM_FW_CLASS_FIRMWARE,
		.component_identifier = 1,
		.component_comparison_stamp = 2,
		.component_options =
			PLDM_PACKAGE_COMPONENT_OPTION_USE_COMPARISON_STAMP,
		.component_version_string = {1, ver, 5},
		.image = {image, sizeof(image)},
	};
	const struct pldm_package_description pd = {
		.package_header_format_revision = PLDM_PACKAGE_FORMAT_1_3,
		.package_version_string = {1, ver, 5},
		.fd_records = &rec,
		.fd_record_count = 1,
		.components = &pc,
		.component_count = 1,
	};
	size_t pkg_len = sizeof(package), alen, blen;
	uint32_t now = 0;
	enum pldm_ua_result res;

	if (xfer < 32 || xfer > 4096) {
		fprintf(stderr, "usage: pldm-bench [32..4096]\n");
		return 2;
	}
	for (size_t i = 0; i < sizeof(image); i++)
		image[i] = (uint8_t)(i * 7u);
	if (pldm_package_write(&pd, package, &pkg_len, NULL) ||
	    pldm_package_parse(&pkg, package, pkg_len) ||
	    pldm_fd_init(&fd, &cfg, &ops) || pldm_ua_init(&ua, &ua_cfg)) {
		fprintf(stderr, "pldm-bench: setup failed\n");
		return 1;
	}

	CALLGRIND_START_INSTRUMENTATION;
	CALLGRIND_TOGGLE_COLLECT;
	pldm_ua_start(&ua, &pkg, now);
	for (unsigned guard = 0; guard < 10000000u; guard++) {
		/* UA -> FD */
		alen = sizeof(a);
		pldm_ua_poll(&ua, now, a, &alen);
		if (alen) {
			blen = sizeof(b);
			if (pldm_fd_handle(&fd, now, a, alen, b, &blen) == 0) {
				alen = sizeof(a);
				pldm_ua_rx(&ua, now, b, blen, a, &alen);
			}
		}
		/* FD -> UA, and the UA's answer back */
		blen = sizeof(b);
		pldm_fd_poll(&fd, now, b, &blen);
		if (blen) {
			alen = sizeof(a);
			if (pldm_ua_rx(&ua, now, b, blen, a, &alen) == 0 &&
			    alen)
				pldm_fd_handle_response(&fd, now, a, alen);
		}
		if (pldm_ua_result(&ua, NULL) != PLDM_UA_RESULT_NONE)
			break;
		now++;
	}
	CALLGRIND_TOGGLE_COLLECT;
	CALLGRIND_STOP_INSTRUMENTATION;

	res = pldm_ua_result(&ua, NULL);
	printf("transfer size %u: %lu bytes in %lu RequestFirmwareData, "
	       "result %s\n",
	       (unsigned)xfer, written, chunks, pldm_ua_result_name(res));
	return res == PLDM_UA_RESULT_SUCCESS && written == BENCH_IMAGE ? 0 : 1;
}
