/* SPDX-License-Identifier: Apache-2.0 */
/*
 * prot-ua's update and status code (examples/prot-ua-update.c,
 * examples/prot-ua-status.c), the very functions the program runs, driven
 * in one process against a libpldm-fw Firmware Device with a PLDM base
 * responder behind the PLDM-over-MCTP glue, the two MCTP stacks joined by
 * the libmctp test harness link, on a virtual clock.
 *
 * The package is the shared vector sample-v1.3.pldm (two components,
 * IANA 0x1647, PCI device 0x1234 and a vendor descriptor "Demo"); the
 * device's images are compared with the vector's component files. Exit
 * codes checked: 0 success, 6 refused (transfer and verify failures, a
 * RequestUpdate refused), 7 no matching record, 1 a silent device.
 */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "mctp/mctp.h"
#include "pldm/base.h"
#include "pldm/fw-device.h"
#include "prot-ua-update.h"

#ifndef PLDM_VECTOR_DIR
#error "PLDM_VECTOR_DIR must be set by the build"
#endif

#define UA_EID 0x08u
#define FD_EID 0x09u
#define TID 0x2Au
#define MAX_IMG 4096u

struct file {
	uint8_t buf[8192];
	size_t len;
};

static void load(struct file *f, const char *name)
{
	char path[512];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s", PLDM_VECTOR_DIR, name);
	fp = fopen(path, "rb");
	if (!fp)
		fail_msg("cannot open %s", path);
	f->len = fread(f->buf, 1, sizeof(f->buf), fp);
	fclose(fp);
	assert_true(f->len > 0 && f->len < sizeof(f->buf));
}

/* ---- The device ------------------------------------------------------------ */

struct dev {
	uint8_t img[2][MAX_IMG];
	uint32_t len[2];
	int write_error;  /* TransferResult to return from write */
	int verify_error; /* VerifyResult */
	unsigned int activates;
	bool self_contained;
};

static int dev_write(void *ctx, uint16_t index, uint32_t offset,
		     const uint8_t *data, size_t len)
{
	struct dev *d = ctx;

	if (d->write_error)
		return d->write_error;
	if (index > 1 || offset != d->len[index] || offset + len > MAX_IMG)
		return PLDM_FW_TRANSFER_GENERIC_ERROR;
	memcpy(&d->img[index][offset], data, len);
	d->len[index] += (uint32_t)len;
	return 0;
}

static int dev_verify(void *ctx, uint16_t index)
{
	struct dev *d = ctx;

	(void)index;
	return d->verify_error ? d->verify_error : PLDM_FW_VERIFY_SUCCESS;
}

static int dev_apply(void *ctx, uint16_t index, uint16_t *mod)
{
	(void)ctx;
	(void)index;
	(void)mod;
	return PLDM_FW_APPLY_SUCCESS;
}

static int dev_activate(void *ctx, bool self_contained, uint16_t *est)
{
	struct dev *d = ctx;

	d->self_contained = self_contained;
	*est = 0;
	d->activates++;
	return 0;
}

static const uint8_t iana[] = {0x47, 0x16, 0x00, 0x00};
static const uint8_t other_iana[] = {0xD5, 0xB4, 0x00, 0x00};
static const uint8_t pci_dev[] = {0x34, 0x12};
static const uint8_t vendor[] = {0x01, 0x04, 'D', 'e', 'm', 'o', 0xCA, 0xFE};
static const uint8_t v_active[] = "active-1";
static const uint8_t v_set[] = "set-1";

static const uint32_t base_versions[] = {0xF1F1F000u};
static const uint32_t fw_versions[] = {0xF1F3F000u};
static const uint8_t base_commands[32] = {0x3E};
static const uint8_t fw_commands[32] = {0xFF, 0xFF, 0xFF, 0xFF};
static const struct pldm_base_type base_types[] = {
	{.type = PLDM_TYPE_BASE,
	 .versions = base_versions,
	 .n_versions = 1,
	 .commands = base_commands},
	{.type = PLDM_TYPE_FW_UPDATE,
	 .versions = fw_versions,
	 .n_versions = 1,
	 .commands = fw_commands},
};
static const struct pldm_base_config base_cfg = {
	.types = base_types,
	.n_types = 2,
	.tid = TID,
};

/* ---- Two stacks on the harness link, virtual time --------------------------- */

struct env {
	struct mctp ua_mctp, fd_mctp;
	struct harness_link link_ua, link_fd;
	bool fd_silent; /* the device never answers */

	struct dev dev;
	struct pldm_fd_descriptor descs[3];
	struct pldm_fd_component comps[2];
	struct pldm_fd_config fd_cfg;
	struct pldm_fd_ops fd_ops;
	struct pldm_fd fd;
	struct pldm_base base;
	struct prot_pldm_mctp_device_config dcfg;
	struct prot_pldm_mctp_device dv;
	uint8_t dbuf[1024];

	uint32_t now;
	struct prot_ua_link link;
	struct prot_ua_update u;
	struct prot_ua_update_report rep;
	struct pldm_package pkg;
};

static struct env env;
static struct file v13, comp0, comp1;

static uint32_t vnow(void *ctx)
{
	return ((struct env *)ctx)->now;
}

/* The device's turn: its time, then the links both ways until quiet. */
static int vservice(void *ctx, uint32_t wait_ms)
{
	struct env *e = ctx;
	uint32_t dl;

	e->now += wait_ms ? wait_ms : 1u;
	mctp_poll(&e->ua_mctp, e->now);
	if (e->fd_silent) {
		harness_link_clear(&e->link_ua);
		return 0;
	}
	assert_true(prot_pldm_mctp_device_poll(&e->dv, e->now, &dl) >= 0);
	for (int i = 0; i < 1000; i++) {
		size_t n = harness_link_deliver_all(&e->link_ua,
						    &e->link_fd.binding);

		n += harness_link_deliver_all(&e->link_fd, &e->link_ua.binding);
		if (!n)
			return 0;
	}
	fail_msg("links never went quiet");
	return -EIO;
}

static void env_setup(const uint8_t *first_desc)
{
	struct env *e = &env;
	struct mctp_config ca = {.eid = UA_EID, .tag_timeout_ms = 1000};
	struct mctp_config cb = {.eid = FD_EID, .tag_timeout_ms = 1000};

	memset(e, 0, sizeof(*e));
	e->now = 0xFFFFF000u; /* the clock wraps during the update */
	ca.now_ms = cb.now_ms = e->now;
	assert_int_equal(mctp_init(&e->ua_mctp, &ca), 0);
	assert_int_equal(mctp_init(&e->fd_mctp, &cb), 0);
	harness_link_init(&e->link_ua, MCTP_BASELINE_MTU);
	harness_link_init(&e->link_fd, MCTP_BASELINE_MTU);
	assert_int_equal(mctp_bus_register(&e->ua_mctp, &e->link_ua.binding),
			 0);
	assert_int_equal(mctp_bus_register(&e->fd_mctp, &e->link_fd.binding),
			 0);

	e->descs[0] = (struct pldm_fd_descriptor){0x0001, 4, first_desc};
	e->descs[1] =
		(struct pldm_fd_descriptor){0x0100, sizeof(pci_dev), pci_dev};
	e->descs[2] =
		(struct pldm_fd_descriptor){0xFFFF, sizeof(vendor), vendor};
	for (unsigned int i = 0; i < 2; i++) {
		struct pldm_fd_component *c = &e->comps[i];

		c->classification = PLDM_FW_CLASS_FIRMWARE;
		c->identifier = (uint16_t)(i + 1);
		c->active_version = (struct pldm_fd_string){
			PLDM_FD_STRING_ASCII, sizeof(v_active) - 1, v_active};
		c->pending_comparison_stamp = PLDM_FW_NO_COMPARISON_STAMP;
		c->activation_methods = PLDM_FW_ACTIVATION_AUTOMATIC;
	}
	e->comps[0].active_comparison_stamp = 1;
	e->fd_cfg = (struct pldm_fd_config){
		.descriptors = e->descs,
		.n_descriptors = 3,
		.components = e->comps,
		.n_components = 2,
		.active_image_set_version = {PLDM_FD_STRING_ASCII,
					     sizeof(v_set) - 1, v_set},
		.max_transfer_size = 1024,
	};
	e->fd_ops = (struct pldm_fd_ops){
		.ctx = &e->dev,
		.write = dev_write,
		.verify = dev_verify,
		.apply = dev_apply,
		.activate = dev_activate,
	};
	assert_int_equal(pldm_fd_init(&e->fd, &e->fd_cfg, &e->fd_ops), 0);
	assert_int_equal(pldm_base_init(&e->base, &base_cfg), 0);
	e->dcfg = (struct prot_pldm_mctp_device_config){
		.base = &e->base,
		.fd = &e->fd,
		.buf = e->dbuf,
		.buf_size = sizeof(e->dbuf),
	};
	assert_int_equal(prot_pldm_mctp_device_init(&e->dv, &e->fd_mctp,
						    &e->dcfg, e->now),
			 0);
	e->link = (struct prot_ua_link){vnow, vservice, e};
	assert_int_equal(pldm_package_parse(&e->pkg, v13.buf, v13.len), 0);
}

static int run(const struct prot_ua_update_options *o)
{
	return prot_ua_update_run(&env.u, &env.ua_mctp, &env.link, o, &env.pkg,
				  &env.rep);
}

static bool contains(const char *hay, const char *needle)
{
	return hay && strstr(hay, needle) != NULL;
}

/* ---- Tests ------------------------------------------------------------------ */

static int setup_vectors(void **state)
{
	(void)state;
	load(&v13, "sample-v1.3.pldm");
	load(&comp0, "fw_comp0.bin");
	load(&comp1, "fw_comp1.bin");
	return 0;
}

/* The whole update, plain progress lines (not a terminal), JSON. */
static void test_update_ok_lines(void **state)
{
	struct prot_ua_update_options o = {
		.fd_eid = FD_EID,
		.max_transfer = 32, /* 100 bytes: 32, 64, 96, 100 */
		.retries = 2,
		.discover = true,
		.self_contained = true,
	};
	char *text = NULL;
	size_t len = 0;

	(void)state;
	env_setup(iana);
	o.progress = open_memstream(&text, &len);
	assert_non_null(o.progress);
	assert_int_equal(run(&o), PROT_UA_EXIT_OK);
	fclose(o.progress);

	assert_int_equal(env.rep.exit_code, PROT_UA_EXIT_OK);
	assert_int_equal(env.rep.result, PLDM_UA_RESULT_SUCCESS);
	assert_int_equal(env.rep.outcome.command, 0x1A); /* Activate */
	assert_int_equal(env.rep.n_components, 2);
	assert_string_equal(env.rep.error, "");
	assert_true(env.rep.bytes >= comp0.len + comp1.len);
	assert_true(env.rep.seconds > 0.0);
	assert_true(env.dev.len[0] >= comp0.len);
	assert_true(env.dev.len[1] >= comp1.len);
	assert_memory_equal(env.dev.img[0], comp0.buf, comp0.len);
	assert_memory_equal(env.dev.img[1], comp1.buf, comp1.len);
	assert_int_equal(env.dev.activates, 1);
	assert_true(env.dev.self_contained);

	/* Discovery, each phase once per component, 10% steps, no bar. */
	assert_true(contains(text, "PLDM terminus TID 42"));
	assert_true(contains(text, "update: download (component 1/2)\n"));
	assert_true(contains(text, "update: download (component 2/2)\n"));
	assert_true(contains(text, "update: pass-component-table (component "
				   "2/2)\n"));
	assert_true(contains(text, "update: download 0% (0 of 100 bytes)\n"
				   "update: download 30% (32 of 100 bytes)\n"
				   "update: download 60% (64 of 100 bytes)\n"
				   "update: download 90% (96 of 100 bytes)\n"
				   "update: download 100% (100 of 100 bytes)\n"
				   "update: verify (component 1/2)\n"));
	assert_true(contains(text, "update: download 50% (27 of 54 bytes)"
				   "\n") ||
		    contains(text, "update: download 50% (32 of 54 bytes)"
				   "\n"));
	assert_true(contains(text, "update: activate\n"));
	assert_false(contains(text, "\r"));
	assert_false(contains(text, "download 32%"));
	free(text);

	/* JSON members: result name, raw code, command, bytes, seconds. */
	text = NULL;
	{
		FILE *f = open_memstream(&text, &len);
		char want[64];

		assert_non_null(f);
		prot_ua_update_json(f, &env.rep);
		fclose(f);
		assert_true(contains(text, "\"update\":{\"result\":\"success\","
					   "\"raw\":0,\"command\":"
					   "\"ActivateFirmware\","));
		snprintf(want, sizeof(want), "\"bytes\":%llu,",
			 (unsigned long long)env.rep.bytes);
		assert_true(contains(text, want));
		assert_true(contains(text, "\"seconds\":"));
	}
	free(text);
}

/* On a terminal: a redrawn bar. */
static void test_update_ok_bar(void **state)
{
	struct prot_ua_update_options o = {
		.fd_eid = FD_EID,
		.max_transfer = 64,
		.retries = 2,
		.tty = true,
	};
	char *text = NULL;
	size_t len = 0;

	(void)state;
	env_setup(iana);
	o.progress = open_memstream(&text, &len);
	assert_non_null(o.progress);
	assert_int_equal(run(&o), PROT_UA_EXIT_OK);
	fclose(o.progress);
	assert_false(env.dev.self_contained);
	assert_true(contains(text, "\r  [###"));
	assert_true(contains(text, "] 100% "));
	assert_false(contains(text, "update: download 50%"));
	free(text);
}

/* The device's refusals: exit 6, with its code and command. */
static void test_update_refused(void **state)
{
	const struct prot_ua_update_options o = {
		.fd_eid = FD_EID,
		.max_transfer = 128,
		.retries = 2,
	};

	(void)state;
	env_setup(iana);
	env.dev.write_error = PLDM_FW_TRANSFER_GENERIC_ERROR;
	assert_int_equal(run(&o), PROT_UA_EXIT_REFUSED);
	assert_int_equal(env.rep.result, PLDM_UA_RESULT_TRANSFER_FAILED);
	assert_int_equal(env.rep.outcome.raw, PLDM_FW_TRANSFER_GENERIC_ERROR);
	assert_string_equal(env.rep.error,
			    "the device reports the image transfer failed "
			    "(component 0x0001): TransferComplete result 0x0a "
			    "(generic error)");
	assert_int_equal(env.dev.activates, 0);

	env_setup(iana);
	env.dev.verify_error = PLDM_FW_VERIFY_ERROR_VERIFICATION_FAILURE;
	assert_int_equal(run(&o), PROT_UA_EXIT_REFUSED);
	assert_int_equal(env.rep.result, PLDM_UA_RESULT_VERIFY_FAILED);
	assert_int_equal(env.rep.outcome.raw,
			 PLDM_FW_VERIFY_ERROR_VERIFICATION_FAILURE);
	assert_int_equal(env.dev.activates, 0);

	/* The FD already in update mode (another UA): RequestUpdate is
	 * answered ALREADY_IN_UPDATE_MODE. */
	env_setup(iana);
	{
		static const uint8_t ru[] = {0x01, 0x81, 0x05, 0x10, 0x00, 0x04,
					     0x00, 0x00, 0x01, 0x00, 0x01, 0x00,
					     0x00, 0x01, 0x01, 'x'};

		assert_true(mctp_request_tx(&env.ua_mctp, FD_EID, ru,
					    sizeof(ru)) >= 0);
		assert_true(vservice(&env, 1) == 0);
		assert_int_equal(pldm_fd_state(&env.fd),
				 PLDM_FW_STATE_LEARN_COMPONENTS);
	}
	assert_int_equal(run(&o), PROT_UA_EXIT_REFUSED);
	assert_int_equal(env.rep.result, PLDM_UA_RESULT_REFUSED);
	assert_int_equal(env.rep.outcome.command, 0x10);
	assert_int_equal(env.rep.outcome.raw,
			 PLDM_FW_CC_ALREADY_IN_UPDATE_MODE);
}

/* A package for another device: exit 7. */
static void test_update_no_record(void **state)
{
	const struct prot_ua_update_options o = {
		.fd_eid = FD_EID,
		.retries = 2,
		.discover = true,
	};

	(void)state;
	env_setup(other_iana);
	assert_int_equal(run(&o), PROT_UA_EXIT_BAD_PACKAGE);
	assert_int_equal(env.rep.result, PLDM_UA_RESULT_NO_MATCHING_RECORD);
	assert_true(contains(env.rep.error, "no record of the package"));
	assert_int_equal(env.dev.len[0] + env.dev.len[1], 0);
}

/* A silent device: exit 1 (the UA's timeout, or discovery's). */
static void test_update_silent(void **state)
{
	struct prot_ua_update_options o = {
		.fd_eid = FD_EID,
		.retries = 1,
		.pt1_ms = 200,
	};

	(void)state;
	env_setup(iana);
	env.fd_silent = true;
	assert_int_equal(run(&o), PROT_UA_EXIT_TRANSPORT);
	assert_int_equal(env.rep.result, PLDM_UA_RESULT_TIMEOUT);
	assert_int_equal(env.rep.outcome.command, 0x01); /* QueryDevIds */
	assert_string_equal(env.rep.error, "timed out: no answer from the "
					   "device to QueryDeviceIdentifiers");
	assert_true(env.rep.seconds >= 0.4 && env.rep.seconds < 5.0);

	env_setup(iana);
	env.fd_silent = true;
	o.discover = true;
	assert_int_equal(run(&o), PROT_UA_EXIT_TRANSPORT);
	assert_int_equal(env.rep.result, PLDM_UA_RESULT_NONE);
	assert_true(contains(env.rep.error, "GetTID"));
}

/* Bad options: exit 2 before anything is sent. */
static void test_update_bad_options(void **state)
{
	const struct prot_ua_update_options o = {
		.fd_eid = FD_EID,
		.max_transfer = PROT_UA_MAX_XFER + 1,
	};

	(void)state;
	env_setup(iana);
	assert_int_equal(run(&o), PROT_UA_EXIT_USAGE);
	assert_int_equal(env.link_ua.count, 0);
}

/* status: the FD's identifiers, parameters and state, text and JSON; a
 * silent device. */
static void test_status(void **state)
{
	char err[200] = "";
	char *text = NULL;
	size_t len = 0;
	FILE *f;

	(void)state;
	env_setup(iana);
	f = open_memstream(&text, &len);
	assert_non_null(f);
	assert_int_equal(prot_ua_status_run(&env.ua_mctp, &env.link, FD_EID,
					    1000, false, f, err, sizeof(err)),
			 PROT_UA_EXIT_OK);
	fclose(f);
	assert_string_equal(err, "");
	assert_true(contains(text, "0x0001 IANA enterprise ID 47160000\n"));
	assert_true(contains(text, "0x0100 PCI device ID "));
	assert_true(contains(text, " 3412\n"));
	assert_true(contains(text, " 010444656d6fcafe (Demo)\n"));
	assert_true(contains(text, "image set: active \"set-1\""));
	assert_true(contains(text, "component 0x0001 (class 0x000a): active "
				   "\"active-1\" stamp 0x00000001\n"));
	assert_true(contains(text, "component 0x0002 (class 0x000a)"));
	assert_true(contains(text, "Status: state IDLE (previous IDLE)"));
	free(text);

	text = NULL;
	f = open_memstream(&text, &len);
	assert_non_null(f);
	assert_int_equal(prot_ua_status_run(&env.ua_mctp, &env.link, FD_EID,
					    1000, true, f, err, sizeof(err)),
			 PROT_UA_EXIT_OK);
	fclose(f);
	assert_true(contains(text, ",\"pldm\":{\"eid\":9,\"descriptors\":[{"
				   "\"type\":1,\"name\":\"IANA enterprise "
				   "ID\",\"value\":\"47160000\"}"));
	assert_true(contains(text, "\"active_image_set\":\"set-1\""));
	assert_true(contains(text, "\"identifier\":2,"));
	assert_true(contains(text, "\"state\":\"IDLE\""));
	assert_int_equal(text[len - 1], '}');
	free(text);

	/* A silent device: exit 1 after the retries. */
	env.fd_silent = true;
	text = NULL;
	f = open_memstream(&text, &len);
	assert_non_null(f);
	assert_int_equal(prot_ua_status_run(&env.ua_mctp, &env.link, FD_EID,
					    300, false, f, err, sizeof(err)),
			 PROT_UA_EXIT_TRANSPORT);
	fclose(f);
	assert_true(contains(err, "QueryDeviceIdentifiers: no answer"));
	free(text);
}

/* The package loader: missing, corrupt, valid. */
static void test_package_load(void **state)
{
	char path[512], err[200];
	struct pldm_package pkg;
	uint8_t *buf;
	size_t len;
	FILE *f;

	(void)state;
	assert_int_equal(prot_ua_package_load("/nonexistent/x.pldm", &buf, &len,
					      &pkg, err, sizeof(err)),
			 PROT_UA_EXIT_BAD_PACKAGE);
	assert_true(contains(err, "No such file"));
	free(buf);

	snprintf(path, sizeof(path), "%s/sample-v1.3.pldm", PLDM_VECTOR_DIR);
	assert_int_equal(prot_ua_package_load(path, &buf, &len, &pkg, err,
					      sizeof(err)),
			 PROT_UA_EXIT_OK);
	assert_int_equal(len, v13.len);
	free(buf);

	/* One payload byte flipped: the checksum refuses it. */
	snprintf(path, sizeof(path), "test-prot-ua-corrupt.pldm");
	f = fopen(path, "wb");
	assert_non_null(f);
	v13.buf[v13.len - 1] ^= 0x01u;
	assert_int_equal(fwrite(v13.buf, 1, v13.len, f), v13.len);
	v13.buf[v13.len - 1] ^= 0x01u;
	fclose(f);
	assert_int_equal(prot_ua_package_load(path, &buf, &len, &pkg, err,
					      sizeof(err)),
			 PROT_UA_EXIT_BAD_PACKAGE);
	assert_true(contains(err, "not a valid DSP0267 package"));
	free(buf);
	remove(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_update_ok_lines),
		cmocka_unit_test(test_update_ok_bar),
		cmocka_unit_test(test_update_refused),
		cmocka_unit_test(test_update_no_record),
		cmocka_unit_test(test_update_silent),
		cmocka_unit_test(test_update_bad_options),
		cmocka_unit_test(test_status),
		cmocka_unit_test(test_package_load),
	};

	return cmocka_run_group_tests(tests, setup_vectors, NULL);
}
