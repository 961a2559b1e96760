/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The update service as a PLDM Firmware Device (prot/update-fd.h): the
 * libpldm-fw Update Agent, in the same process, updates a simulated
 * device from a DSP0267 package carrying a signed image. Good path:
 * download into the inactive bank, VerifyComplete success, ApplyComplete,
 * ActivateFirmware staging the image, then the trial boot and accept. Bad
 * paths: a tampered image, a foreign key, a lower SVN, a truncated image
 * and an image for another component each end with their DSP0267
 * VerifyResult at the agent and the running image untouched.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "image-sign.h"
#include "pldm/fw-agent.h"
#include "pldm/fw-device.h"
#include "pldm/fw-package.h"
#include "prot/update-fd.h"

#define BANK (16u * 1024u)
#define OLD_SVN 3u
#define NEW_SVN 5u
#define MAX_MSG 1100u

static const uint8_t iana[] = {0x47, 0x16, 0x00, 0x00};
static const uint8_t ver[] = "prot-2";

static struct signer *sg;

struct world {
	struct device d;
	struct prot_update_fd ufd;
	struct pldm_fd_ops ops;
	struct pldm_fd_descriptor desc;
	struct pldm_fd_component comp;
	struct pldm_fd_config cfg;
	struct pldm_fd fd;
	struct pldm_ua_config ua_cfg;
	struct pldm_ua ua;
	struct pldm_package pkg;
	uint8_t pkg_buf[BANK + 1024];
	uint8_t old_img[BANK];
	size_t old_len;
	uint8_t img[BANK + 16];
	size_t img_len;
	uint8_t bank0[BANK];
	uint32_t now;
};

static struct world *w;

static int group_setup(void **state)
{
	(void)state;
	sg = calloc(1, sizeof(*sg));
	return sg && signer_init(sg) == 0 ? 0 : -1;
}

static int group_teardown(void **state)
{
	(void)state;
	signer_free(sg);
	free(sg);
	return 0;
}

static int setup(void **state)
{
	const struct geometry g = {4096, 8, 0xff, BANK};
	struct image_spec old = {0x100, OLD_SVN, 0x01000000, 3000, 1, false};

	(void)state;
	w = calloc(1, sizeof(*w));
	if (!w || device_init(&w->d, sg, &g, 1, true))
		return -1;
	w->old_len = image_build(sg, &old, w->old_img, sizeof(w->old_img));
	device_factory(&w->d, 0, 0, w->old_img, w->old_len);
	if (prot_otp_svn_raise(&w->d.otp.ops, 0, OLD_SVN) ||
	    device_reboot(&w->d))
		return -1;
	memcpy(w->bank0, w->d.mem + w->d.cfg.components[0].bank_offset[0],
	       BANK);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	device_free(&w->d);
	free(w);
	return 0;
}

static void build(struct image_spec sp)
{
	w->img_len = image_build(sg, &sp, w->img, sizeof(w->img));
	assert_true(w->img_len > 0);
}

/* The FD over the service, and a UA with a package holding @len bytes of
 * w->img. */
static void start(size_t len)
{
	static const uint8_t applicable[] = {0x01};
	struct pldm_package_write_descriptor pd = {
		.descriptor_type = 0x0001,
		.descriptor_data = {iana, sizeof(iana)},
	};
	struct pldm_package_write_fd_record rec = {
		.component_image_set_version_string = {1, ver, 6},
		.applicable_components = {applicable, 1},
		.descriptors = &pd,
		.descriptor_count = 1,
	};
	struct pldm_package_write_component c = {
		.component_classification = PLDM_FW_CLASS_FIRMWARE,
		.component_identifier = 0x100,
		.component_comparison_stamp = 0x02000000,
		.component_options =
			PLDM_PACKAGE_COMPONENT_OPTION_USE_COMPARISON_STAMP,
		.component_version_string = {1, ver, 6},
		.image = {w->img, len},
	};
	struct pldm_package_description desc = {
		.package_header_format_revision = PLDM_PACKAGE_FORMAT_1_2,
		.package_version_string = {1, ver, 6},
		.fd_records = &rec,
		.fd_record_count = 1,
		.components = &c,
		.component_count = 1,
	};
	size_t plen = sizeof(w->pkg_buf);

	assert_int_equal(pldm_package_write(&desc, w->pkg_buf, &plen, NULL), 0);
	assert_int_equal(pldm_package_parse(&w->pkg, w->pkg_buf, plen), 0);

	assert_int_equal(prot_update_fd_init(&w->ufd, &w->d.up, &w->ops), 0);
	w->desc = (struct pldm_fd_descriptor){0x0001, sizeof(iana), iana};
	w->comp.classification = PLDM_FW_CLASS_FIRMWARE;
	w->comp.identifier = 0x100;
	w->comp.active_comparison_stamp = 0x01000000;
	w->comp.pending_comparison_stamp = PLDM_FW_NO_COMPARISON_STAMP;
	w->comp.activation_methods = PLDM_FW_ACTIVATION_AUTOMATIC;
	w->cfg.descriptors = &w->desc;
	w->cfg.n_descriptors = 1;
	w->cfg.components = &w->comp;
	w->cfg.n_components = 1;
	w->cfg.max_transfer_size = 512;
	assert_int_equal(pldm_fd_init(&w->fd, &w->cfg, &w->ops), 0);
	w->ua_cfg.tid = 1;
	w->ua_cfg.max_transfer_size = 512;
	w->ua_cfg.retries = PLDM_FW_PN1_RETRIES;
	assert_int_equal(pldm_ua_init(&w->ua, &w->ua_cfg), 0);
	assert_int_equal(pldm_ua_start(&w->ua, &w->pkg, w->now), 0);
}

/* Pass messages both ways until the agent has a result. */
static enum pldm_ua_result run(struct pldm_ua_outcome *o)
{
	uint8_t a[MAX_MSG], b[MAX_MSG];
	size_t al, bl;
	unsigned int i;

	for (i = 0; i < 20000; i++) {
		w->now += 5;
		al = sizeof(a);
		assert_int_equal(pldm_ua_poll(&w->ua, w->now, a, &al), 0);
		if (al) {
			bl = sizeof(b);
			assert_int_equal(pldm_fd_handle(&w->fd, w->now, a, al,
							b, &bl),
					 0);
			al = sizeof(a);
			assert_int_equal(
				pldm_ua_rx(&w->ua, w->now, b, bl, a, &al), 0);
		}
		bl = sizeof(b);
		assert_int_equal(pldm_fd_poll(&w->fd, w->now, b, &bl), 0);
		if (bl) {
			al = sizeof(a);
			assert_int_equal(
				pldm_ua_rx(&w->ua, w->now, b, bl, a, &al), 0);
			if (al)
				assert_int_equal(pldm_fd_handle_response(
							 &w->fd, w->now, a, al),
						 0);
		}
		if (pldm_ua_result(&w->ua, o) != PLDM_UA_RESULT_NONE)
			break;
	}
	return pldm_ua_result(&w->ua, o);
}

static void test_pldm_update_good(void **state)
{
	struct pldm_ua_outcome o;
	struct image_spec sp = {0x100, NEW_SVN, 0x02000000, 9000, 2, false};
	struct prot_update_info info;
	uint32_t floor;

	(void)state;
	build(sp);
	start(w->img_len);
	assert_int_equal(run(&o), PLDM_UA_RESULT_SUCCESS);
	assert_true(prot_update_fd_reset_pending(&w->ufd));
	assert_int_equal(prot_update_query(&w->d.up, 0, &info), 0);
	assert_int_equal(info.state, PROT_UPDATE_STAGED);
	assert_int_equal(info.record.bank[1].state, PROT_UPDATE_BANK_STAGED);
	assert_int_equal(info.record.bank[1].svn, NEW_SVN);
	assert_memory_equal(w->d.mem + w->d.cfg.components[0].bank_offset[1],
			    w->img, w->img_len);
	/* The restart: trial of the new image, accepted by the platform. */
	assert_int_equal(device_reboot(&w->d), 0);
	assert_true(device_runs(&w->d, 0, w->img, w->img_len));
	assert_int_equal(prot_otp_svn_read(&w->d.otp.ops, 0, &floor), 0);
	assert_int_equal(floor, OLD_SVN);
	assert_int_equal(prot_update_accept(&w->d.up), 0);
	assert_int_equal(prot_otp_svn_read(&w->d.otp.ops, 0, &floor), 0);
	assert_int_equal(floor, NEW_SVN);
	/* A second PLDM update after that one works (UPDATED is cleaned). */
	sp.svn = NEW_SVN + 1;
	sp.seed = 5;
	build(sp);
	start(w->img_len);
	assert_int_equal(run(&o), PLDM_UA_RESULT_SUCCESS);
	assert_int_equal(device_reboot(&w->d), 0);
	assert_true(device_runs(&w->d, 0, w->img, w->img_len));
	assert_int_equal(w->d.rep.comp[0].bank, 0);
}

static void expect_verify_failure(size_t len, uint8_t verify_result)
{
	struct pldm_ua_outcome o;

	start(len);
	assert_int_equal(run(&o), PLDM_UA_RESULT_VERIFY_FAILED);
	assert_int_equal(o.raw, verify_result);
	assert_false(prot_update_fd_reset_pending(&w->ufd));
	assert_memory_equal(w->bank0,
			    w->d.mem + w->d.cfg.components[0].bank_offset[0],
			    BANK);
	assert_int_equal(device_reboot(&w->d), 0);
	assert_int_equal(w->d.rep.comp[0].bank, 0);
	assert_true(device_runs(&w->d, 0, w->old_img, w->old_len));
}

static void test_pldm_tampered(void **state)
{
	struct image_spec sp = {0x100, NEW_SVN, 0x02000000, 9000, 2, false};

	(void)state;
	build(sp);
	w->img[PROT_IMAGE_PAYLOAD_OFFSET + 17] ^= 1;
	expect_verify_failure(w->img_len,
			      PLDM_FW_VERIFY_ERROR_VERIFICATION_FAILURE);
	build(sp);
	w->img[PROT_IMAGE_SIG_OFFSET + 3] ^= 1;
	expect_verify_failure(w->img_len,
			      PLDM_FW_VERIFY_ERROR_VERIFICATION_FAILURE);
}

static void test_pldm_wrong_key(void **state)
{
	struct image_spec sp = {0x100, NEW_SVN, 0x02000000, 9000, 2, true};

	(void)state;
	build(sp);
	expect_verify_failure(w->img_len,
			      PLDM_FW_VERIFY_FAILED_FD_SECURITY_CHECKS);
}

static void test_pldm_lower_svn(void **state)
{
	struct image_spec sp = {0x100, OLD_SVN - 1, 0x02000000, 9000, 2, false};

	(void)state;
	build(sp);
	expect_verify_failure(w->img_len,
			      PLDM_FW_VERIFY_FAILURE_SECURITY_REVISION);
}

static void test_pldm_truncated(void **state)
{
	struct image_spec sp = {0x100, NEW_SVN, 0x02000000, 9000, 2, false};

	(void)state;
	build(sp);
	expect_verify_failure(w->img_len - 100,
			      PLDM_FW_VERIFY_ERROR_IMAGE_INCOMPLETE);
}

static void test_pldm_wrong_component(void **state)
{
	struct image_spec sp = {0x101, NEW_SVN, 0x02000000, 9000, 2, false};

	(void)state;
	build(sp);
	expect_verify_failure(w->img_len,
			      PLDM_FW_VERIFY_ERROR_VERSION_MISMATCH);
}

static void test_verify_result_map(void **state)
{
	(void)state;
	assert_int_equal(prot_update_fd_verify_result(0),
			 PLDM_FW_VERIFY_SUCCESS);
	assert_int_equal(prot_update_fd_verify_result(-EPERM),
			 PLDM_FW_VERIFY_ERROR_VERIFICATION_FAILURE);
	assert_int_equal(prot_update_fd_verify_result(-EILSEQ),
			 PLDM_FW_VERIFY_ERROR_VERIFICATION_FAILURE);
	assert_int_equal(prot_update_fd_verify_result(-EACCES),
			 PLDM_FW_VERIFY_FAILED_FD_SECURITY_CHECKS);
	assert_int_equal(prot_update_fd_verify_result(-ENOENT),
			 PLDM_FW_VERIFY_FAILED_FD_SECURITY_CHECKS);
	assert_int_equal(prot_update_fd_verify_result(-ESTALE),
			 PLDM_FW_VERIFY_FAILURE_SECURITY_REVISION);
	assert_int_equal(prot_update_fd_verify_result(-ENODATA),
			 PLDM_FW_VERIFY_ERROR_IMAGE_INCOMPLETE);
	assert_int_equal(prot_update_fd_verify_result(-ENODEV),
			 PLDM_FW_VERIFY_ERROR_VERSION_MISMATCH);
	assert_int_equal(prot_update_fd_verify_result(-EIO),
			 PLDM_FW_VERIFY_GENERIC_ERROR);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_pldm_update_good, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_pldm_tampered, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_pldm_wrong_key, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_pldm_lower_svn, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_pldm_truncated, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_pldm_wrong_component,
						setup, teardown),
		cmocka_unit_test(test_verify_result_map),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
