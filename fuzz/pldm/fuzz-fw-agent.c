/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libFuzzer harness: the DSP0267 Update Agent driving an update from
 * sample-v1.3.pldm (or sample-v1.0.pldm), fed a sequence of FD messages
 * with time steps.
 *
 * Input: one config byte (bit 0 skip_not_updatable, bit 1 force_update,
 * bit 2 self-contained activation, bit 3 the v1.0 package, bit 4
 * retries 0, bit 5 cancel at the 4th step, bit 6 storage of 100 bytes
 * for GetDeviceMetaData (served back to GetMetaData), bit 7 a second
 * update after the first ends, with the rest of the records), then
 * records:
 *   dt (uint16 LE, ms to advance), flags (bit 0: make a response's
 *   instance ID and command those of the UA's outstanding request, so that
 *   mutations get past the matching), len (uint8), len message bytes.
 * Before each record and after each message the UA is polled.
 *
 * Oracle besides the sanitizers: every output fits its buffer and, for a
 * request, PLDM_UA_REQ_MAX_LEN; an answer to an FD request echoes its
 * instance ID and command with Rq clear and carries at most
 * max_transfer_size data bytes; the result is NONE exactly while the
 * update runs; a finished UA stays finished and sends nothing; the device
 * metadata read is either none or within the storage given.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pldm/fw-agent.h"

#ifndef PLDM_VECTOR_DIR
#error "PLDM_VECTOR_DIR must be set by the build"
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_FILE 4096
#define MAX_TRANSFER 64u

struct file {
	uint8_t data[MAX_FILE];
	size_t len;
	bool loaded;
};

static struct file v10, v13;

static void load(struct file *f, const char *name)
{
	char path[512];
	FILE *fp;

	if (f->loaded)
		return;
	snprintf(path, sizeof(path), "%s/%s", PLDM_VECTOR_DIR, name);
	fp = fopen(path, "rb");
	if (!fp)
		abort();
	f->len = fread(f->data, 1, sizeof(f->data), fp);
	fclose(fp);
	f->loaded = true;
}

static void check(bool ok)
{
	if (!ok)
		abort();
}

static void poll_ua(struct pldm_ua *ua, uint32_t now)
{
	uint8_t out[PLDM_UA_REQ_MAX_LEN + 8];
	size_t len = sizeof(out);
	bool done = pldm_ua_phase(ua) == PLDM_UA_PHASE_DONE;

	check(pldm_ua_poll(ua, now, out, &len) == 0);
	check(len <= PLDM_UA_REQ_MAX_LEN);
	if (len) {
		check(!done);
		check(len >= PLDM_HDR_LEN && (out[0] & PLDM_HDR_RQ) &&
		      out[1] == PLDM_TYPE_FW_UPDATE);
	}
	check((pldm_ua_result(ua, NULL) == PLDM_UA_RESULT_NONE) ==
	      (pldm_ua_phase(ua) != PLDM_UA_PHASE_DONE));
}

static void check_metadata(const struct pldm_ua *ua, const uint8_t *store)
{
	const uint8_t *md;
	size_t len;

	md = pldm_ua_device_metadata(ua, &len);
	check((md == NULL) == (len == 0));
	check(!md || (store && md == store && len <= 100));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pldm_ua_config cfg;
	struct pldm_package pkg;
	struct pldm_ua ua;
	uint8_t msg[256], out[PLDM_HDR_LEN + 1u + MAX_TRANSFER + 8u];
	const struct file *f;
	size_t pos = 1, len, out_len;
	uint32_t now = 0xFFFFF000u; /* wraps during the run */
	unsigned int step = 0;
	uint8_t store[100];
	bool again = data && size && (data[0] & 0x80);
	uint8_t flags;
	int rc;

	if (size < 1)
		return 0;
	load(&v10, "sample-v1.0.pldm");
	load(&v13, "sample-v1.3.pldm");
	f = (data[0] & 0x08) ? &v10 : &v13;
	if (pldm_package_parse(&pkg, f->data, f->len) != 0)
		abort();
	memset(&cfg, 0, sizeof(cfg));
	cfg.tid = 1;
	cfg.max_transfer_size = MAX_TRANSFER;
	cfg.response_timeout_ms = 100;
	cfg.retries = (data[0] & 0x10) ? 0 : 2;
	cfg.fd_silence_ms = 1000;
	cfg.status_probes = 2;
	cfg.retry_request_update_ms = 200;
	cfg.request_update_retries = 2;
	cfg.skip_not_updatable = data[0] & 0x01;
	cfg.force_update = data[0] & 0x02;
	cfg.self_contained_activation = data[0] & 0x04;
	if (data[0] & 0x40) {
		cfg.device_metadata = store;
		cfg.device_metadata_capacity = sizeof(store);
	}
	check(pldm_ua_init(&ua, &cfg) == 0);
	check(pldm_ua_start(&ua, &pkg, now) == 0);
	poll_ua(&ua, now);

	while (size - pos >= 4) {
		now += (uint32_t)(data[pos] | data[pos + 1] << 8);
		flags = data[pos + 2];
		len = data[pos + 3];
		pos += 4;
		if (len > size - pos)
			len = size - pos;
		memcpy(msg, data + pos, len);
		pos += len;
		if (++step == 4 && (data[0] & 0x20))
			(void)pldm_ua_cancel(&ua, now);
		poll_ua(&ua, now);
		if ((flags & 1) && len >= PLDM_HDR_LEN &&
		    !(msg[0] & PLDM_HDR_RQ)) {
			msg[0] = (uint8_t)((msg[0] & ~PLDM_HDR_INSTANCE_MASK) |
					   ua.req_instance);
			msg[1] = PLDM_TYPE_FW_UPDATE;
			msg[2] = ua.req_cmd;
		}
		out_len = sizeof(out);
		rc = pldm_ua_rx(&ua, now, msg, len, out, &out_len);
		check(out_len <= sizeof(out));
		if (rc == 0 && len >= PLDM_HDR_LEN && (msg[0] & PLDM_HDR_RQ)) {
			check(out_len >= PLDM_HDR_LEN + 1u);
			check(out_len <= PLDM_HDR_LEN + 1u + 5u + MAX_TRANSFER);
			check(out[0] == (msg[0] & PLDM_HDR_INSTANCE_MASK));
			check(out[1] == PLDM_TYPE_FW_UPDATE &&
			      out[2] == msg[2]);
		} else if (rc == 0) {
			check(out_len == 0);
		}
		poll_ua(&ua, now);
		check_metadata(&ua, cfg.device_metadata);
		/* the next update, as after the FD's activation */
		if (again && pldm_ua_phase(&ua) == PLDM_UA_PHASE_DONE) {
			again = false;
			check(pldm_ua_start(&ua, &pkg, now) == 0);
			poll_ua(&ua, now);
		}
	}
	/* Run out the clock: every update ends. */
	for (step = 0; step < 64 && pldm_ua_phase(&ua) != PLDM_UA_PHASE_DONE;
	     step++) {
		now += 2000;
		poll_ua(&ua, now);
	}
	check(pldm_ua_phase(&ua) == PLDM_UA_PHASE_DONE);
	check_metadata(&ua, cfg.device_metadata);
	(void)pldm_ua_result_name(pldm_ua_result(&ua, NULL));
	return 0;
}
