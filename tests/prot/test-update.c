/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Update service and boot (prot/update.h): the PSA-style state machine,
 * every call refused in every state that does not allow it, every image
 * refusal with its own errno and the running image untouched, several
 * components together, the SVN floor raised only on accept, and boot:
 * first start, trial, revert, restore of a corrupted bank, recovery mode.
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

#define BANK (8u * 1024u)
#define OLD_SVN 3u
#define NEW_SVN 5u

static struct signer *sg;

struct env {
	struct device d;
	uint8_t old_img[BANK];
	size_t old_len;
	uint8_t new_img[2 * BANK];
	size_t new_len;
	uint8_t bank0[BANK];
};

static struct env *e;

static const struct geometry geo = {1024, 8, 0xff, BANK};

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

static size_t build(uint8_t *out, size_t cap, uint16_t comp, uint32_t svn,
		    uint32_t stamp, uint32_t payload, uint8_t seed)
{
	struct image_spec sp = {comp, svn, stamp, payload, seed, false};
	size_t n = image_build(sg, &sp, out, cap);

	assert_true(n > 0);
	return n;
}

/* A device with one (or @n) components running the old image from bank A,
 * floor OLD_SVN. */
static void setup_dev(unsigned int n, bool key)
{
	unsigned int i;

	e = calloc(1, sizeof(*e));
	assert_non_null(e);
	assert_int_equal(device_init(&e->d, sg, &geo, n, key), 0);
	for (i = 0; i < n; i++) {
		e->old_len = build(e->old_img, sizeof(e->old_img),
				   (uint16_t)(0x100u + i), OLD_SVN, 0x01000000,
				   3000, 1);
		device_factory(&e->d, i, 0, e->old_img, e->old_len);
		assert_int_equal(prot_otp_svn_raise(&e->d.otp.ops, i, OLD_SVN),
				 0);
	}
	e->new_len = build(e->new_img, sizeof(e->new_img), 0x100, NEW_SVN,
			   0x02000000, 5000, 2);
	if (key) {
		assert_int_equal(device_reboot(&e->d), 0);
		assert_int_equal(e->d.rep.status, PROT_BOOT_OK);
	}
	memcpy(e->bank0, e->d.mem + e->d.cfg.components[0].bank_offset[0],
	       BANK);
}

static int teardown(void **state)
{
	(void)state;
	if (e) {
		device_free(&e->d);
		free(e);
		e = NULL;
	}
	return 0;
}

static enum prot_update_state st(unsigned int i)
{
	struct prot_update_info info;

	assert_int_equal(prot_update_query(&e->d.up, i, &info), 0);
	return info.state;
}

static uint32_t floor_of(unsigned int i)
{
	uint32_t f;

	assert_int_equal(prot_otp_svn_read(&e->d.otp.ops, i, &f), 0);
	return f;
}

static bool bank0_untouched(void)
{
	return !memcmp(e->bank0,
		       e->d.mem + e->d.cfg.components[0].bank_offset[0], BANK);
}

/* ---- boot ---- */

static void test_first_boot_scans_banks(void **state)
{
	struct prot_update_info info;

	(void)state;
	setup_dev(1, true);
	assert_int_equal(e->d.rep.comp[0].bank, 0);
	assert_true(e->d.rep.comp[0].events & PROT_BOOT_EV_META_REBUILT);
	assert_int_equal(e->d.rep.comp[0].header.svn, OLD_SVN);
	assert_int_equal(e->d.rep.comp[0].offset,
			 e->d.cfg.components[0].bank_offset[0]);
	assert_int_equal(prot_update_query(&e->d.up, 0, &info), 0);
	assert_int_equal(info.state, PROT_UPDATE_READY);
	assert_int_equal(info.record.bank[0].state, PROT_UPDATE_BANK_VALID);
	assert_int_equal(info.record.bank[1].state, PROT_UPDATE_BANK_EMPTY);
	assert_int_equal(info.record.bank[0].image_size, e->old_len);
	/* The second boot reads the record: nothing rebuilt. */
	assert_int_equal(device_reboot(&e->d), 0);
	assert_int_equal(e->d.rep.comp[0].events, 0);
	assert_int_equal(e->d.rep.comp[0].bank, 0);
}

static void test_blank_device_is_recovery(void **state)
{
	(void)state;
	setup_dev(1, false);
	assert_int_equal(
		prot_otp_key_hash_program(&e->d.otp.ops, sg->vendor_hash), 0);
	memset(e->d.mem + e->d.cfg.components[0].bank_offset[0], 0xff, BANK);
	assert_int_equal(device_reboot(&e->d), 0);
	assert_int_equal(e->d.rep.status, PROT_BOOT_RECOVERY);
	assert_int_equal(e->d.rep.comp[0].bank, -1);
}

static void test_unprogrammed_key_is_recovery(void **state)
{
	(void)state;
	/* An authentic image but no key hash in OTP: nothing runs. */
	setup_dev(1, false);
	assert_int_equal(device_reboot(&e->d), 0);
	assert_int_equal(e->d.rep.status, PROT_BOOT_RECOVERY);
	assert_int_equal(e->d.rep.comp[0].bank, -1);
	/* And a download is refused with its own error. */
	assert_int_equal(device_download(&e->d, 0, e->new_img, e->new_len, 512),
			 -ENOENT);
	assert_int_equal(st(0), PROT_UPDATE_FAILED);
}

/* ---- the update flows ---- */

static void install_new(void)
{
	assert_int_equal(device_download(&e->d, 0, e->new_img, e->new_len, 333),
			 0);
	assert_int_equal(st(0), PROT_UPDATE_CANDIDATE);
	assert_int_equal(prot_update_install(&e->d.up), 0);
	assert_int_equal(st(0), PROT_UPDATE_STAGED);
	assert_true(bank0_untouched());
	assert_int_equal(floor_of(0), OLD_SVN);
}

static void test_update_accept(void **state)
{
	struct prot_update_info info;

	(void)state;
	setup_dev(1, true);
	install_new();
	/* Still the old image until the reboot. */
	assert_int_equal(device_reboot(&e->d), 0);
	assert_true(e->d.rep.comp[0].events & PROT_BOOT_EV_TRIAL_STARTED);
	assert_int_equal(e->d.rep.comp[0].bank, 1);
	assert_true(device_runs(&e->d, 0, e->new_img, e->new_len));
	assert_int_equal(st(0), PROT_UPDATE_TRIAL);
	assert_int_equal(floor_of(0), OLD_SVN); /* not before accept */
	assert_int_equal(prot_update_accept(&e->d.up), 0);
	assert_int_equal(st(0), PROT_UPDATE_UPDATED);
	assert_int_equal(floor_of(0), NEW_SVN);
	assert_int_equal(prot_update_query(&e->d.up, 0, &info), 0);
	assert_int_equal(info.active, 1);
	assert_int_equal(info.record.bank[1].state, PROT_UPDATE_BANK_VALID);
	assert_int_equal(info.record.svn_pending, 0);
	assert_int_equal(info.record.install_seq, 1);
	assert_int_equal(prot_update_clean(&e->d.up, 0), 0);
	assert_int_equal(st(0), PROT_UPDATE_READY);
	assert_int_equal(device_reboot(&e->d), 0);
	assert_int_equal(e->d.rep.comp[0].bank, 1);
	assert_int_equal(e->d.rep.comp[0].events, 0);
	assert_int_equal(st(0), PROT_UPDATE_READY);
	/* The next download goes to bank A. */
	assert_int_equal(prot_update_start(&e->d.up, 0), 0);
	assert_int_equal(prot_update_query(&e->d.up, 0, &info), 0);
	assert_int_equal(info.record.bank[0].state, PROT_UPDATE_BANK_WRITTEN);
}

static void test_accept_cut_at_floor_raise(void **state)
{
	(void)state;
	setup_dev(1, true);
	install_new();
	assert_int_equal(device_reboot(&e->d), 0);
	/* Power goes at the first OTP program: the acceptance is recorded,
	 * the floor is not raised yet. */
	otp_sim_arm(&e->d.otp, (int32_t)e->d.otp.programs, 0);
	assert_int_not_equal(prot_update_accept(&e->d.up), 0);
	otp_sim_power_restore(&e->d.otp);
	assert_int_equal(floor_of(0), OLD_SVN);
	assert_int_equal(device_reboot(&e->d), 0);
	assert_true(e->d.rep.comp[0].events & PROT_BOOT_EV_SVN_RAISED);
	assert_int_equal(floor_of(0), NEW_SVN);
	assert_int_equal(e->d.rep.comp[0].bank, 1);
	assert_int_equal(st(0), PROT_UPDATE_UPDATED);
	assert_int_equal(e->d.up.rec.comp[0].svn_pending, 0);
	/* A forged record cannot raise the floor past the image's SVN. */
	e->d.up.rec.comp[0].svn_pending = 1;
	e->d.up.rec.comp[0].bank[1].svn = 100;
	assert_int_equal(prot_meta_commit(&e->d.up.meta, &e->d.up.rec), 0);
	assert_int_equal(device_reboot(&e->d), 0);
	assert_int_equal(floor_of(0), NEW_SVN);
	assert_int_equal(e->d.rep.comp[0].bank, 1);
}

static void test_reject_in_trial(void **state)
{
	(void)state;
	setup_dev(1, true);
	install_new();
	assert_int_equal(device_reboot(&e->d), 0);
	assert_int_equal(prot_update_reject(&e->d.up), 0);
	assert_int_equal(st(0), PROT_UPDATE_REJECTED);
	assert_int_equal(prot_update_accept(&e->d.up), -EBUSY);
	assert_int_equal(device_reboot(&e->d), 0);
	assert_int_equal(e->d.rep.comp[0].bank, 0);
	assert_true(device_runs(&e->d, 0, e->old_img, e->old_len));
	assert_int_equal(st(0), PROT_UPDATE_FAILED);
	assert_int_equal(floor_of(0), OLD_SVN);
	assert_int_equal(prot_update_clean(&e->d.up, 0), 0);
	assert_int_equal(device_reboot(&e->d), 0);
	assert_int_equal(st(0), PROT_UPDATE_READY);
	assert_int_equal(e->d.rep.comp[0].bank, 0);
}

static void test_reject_staged(void **state)
{
	(void)state;
	setup_dev(1, true);
	install_new();
	assert_int_equal(prot_update_reject(&e->d.up), 0);
	assert_int_equal(st(0), PROT_UPDATE_FAILED);
	assert_int_equal(device_reboot(&e->d), 0);
	assert_int_equal(e->d.rep.comp[0].bank, 0);
	assert_int_equal(e->d.rep.comp[0].events, 0);
	assert_int_equal(st(0), PROT_UPDATE_FAILED);
}

static void test_reboot_before_accept_reverts(void **state)
{
	struct prot_update_info info;

	(void)state;
	setup_dev(1, true);
	install_new();
	assert_int_equal(device_reboot(&e->d), 0);
	assert_int_equal(e->d.rep.comp[0].bank, 1);
	assert_int_equal(device_reboot(&e->d), 0);
	assert_true(e->d.rep.comp[0].events & PROT_BOOT_EV_REVERTED);
	assert_int_equal(e->d.rep.comp[0].bank, 0);
	assert_int_equal(st(0), PROT_UPDATE_FAILED);
	assert_int_equal(floor_of(0), OLD_SVN);
	assert_int_equal(prot_update_query(&e->d.up, 0, &info), 0);
	assert_int_equal(info.record.bank[1].state, PROT_UPDATE_BANK_INVALID);
	assert_int_equal(e->d.up.rec.recovery_events, 1);
}

static void test_trial_boot_budget(void **state)
{
	(void)state;
	setup_dev(1, true);
	e->d.cfg.max_trial_boots = 3;
	install_new();
	assert_int_equal(device_reboot(&e->d), 0);
	assert_int_equal(e->d.rep.comp[0].bank, 1);
	assert_int_equal(device_reboot(&e->d), 0);
	assert_int_equal(e->d.rep.comp[0].bank, 1);
	assert_int_equal(device_reboot(&e->d), 0);
	assert_int_equal(e->d.rep.comp[0].bank, 1);
	assert_int_equal(e->d.up.rec.comp[0].trial_boots, 3);
	assert_int_equal(device_reboot(&e->d), 0);
	assert_int_equal(e->d.rep.comp[0].bank, 0);
	assert_true(e->d.rep.comp[0].events & PROT_BOOT_EV_REVERTED);
}

static void test_corrupt_trial_image_reverts(void **state)
{
	(void)state;
	setup_dev(1, true);
	install_new();
	e->d.mem[e->d.cfg.components[0].bank_offset[1] + 600] ^= 0x10;
	assert_int_equal(device_reboot(&e->d), 0);
	assert_int_equal(e->d.rep.comp[0].bank, 0);
	assert_int_equal(st(0), PROT_UPDATE_FAILED);
	assert_int_equal(e->d.rep.comp[0].events & PROT_BOOT_EV_TRIAL_STARTED,
			 0);
}

static void test_restore_corrupted_active(void **state)
{
	uint8_t same[BANK];
	size_t n;

	(void)state;
	setup_dev(1, true);
	/* A newer image with the same SVN keeps the old one authentic. */
	n = build(same, sizeof(same), 0x100, OLD_SVN, 0x01010000, 4000, 9);
	assert_int_equal(device_download(&e->d, 0, same, n, 1000), 0);
	assert_int_equal(prot_update_install(&e->d.up), 0);
	assert_int_equal(device_reboot(&e->d), 0);
	assert_int_equal(prot_update_accept(&e->d.up), 0);
	assert_int_equal(device_reboot(&e->d), 0);
	assert_int_equal(e->d.rep.comp[0].bank, 1);
	/* Corrupt the running image: boot restores it from bank A. */
	e->d.mem[e->d.cfg.components[0].bank_offset[1] + 700] ^= 0x01;
	assert_int_equal(device_reboot(&e->d), 0);
	assert_true(e->d.rep.comp[0].events & PROT_BOOT_EV_RESTORED);
	assert_int_equal(e->d.rep.comp[0].bank, 1);
	assert_true(device_runs(&e->d, 0, e->old_img, e->old_len));
	assert_int_equal(e->d.up.rec.comp[0].restores, 1);
	assert_true(e->d.up.rec.recovery_events >= 1);
	/* Both corrupted: recovery mode, nothing runs. */
	e->d.mem[e->d.cfg.components[0].bank_offset[0] + 100] ^= 0x01;
	e->d.mem[e->d.cfg.components[0].bank_offset[1] + 100] ^= 0x01;
	assert_int_equal(device_reboot(&e->d), 0);
	assert_int_equal(e->d.rep.status, PROT_BOOT_RECOVERY);
	assert_int_equal(e->d.rep.comp[0].bank, -1);
}

static void test_no_restore_below_floor(void **state)
{
	(void)state;
	setup_dev(1, true);
	install_new();
	assert_int_equal(device_reboot(&e->d), 0);
	assert_int_equal(prot_update_accept(&e->d.up), 0);
	/* The old image (SVN 3 < floor 5) is no recovery source. */
	e->d.mem[e->d.cfg.components[0].bank_offset[1] + 700] ^= 0x01;
	assert_int_equal(device_reboot(&e->d), 0);
	assert_int_equal(e->d.rep.status, PROT_BOOT_RECOVERY);
	assert_true(bank0_untouched());
}

static void test_metadata_lost(void **state)
{
	(void)state;
	setup_dev(1, true);
	/* Both copies damaged after a commit: scanned again, never trusted
	 * blindly; the authentic image runs. */
	e->d.mem[20] ^= 0xff;
	e->d.mem[e->d.cfg.meta_copy_size + 20] ^= 0xff;
	assert_int_equal(device_reboot(&e->d), 0);
	assert_true(e->d.rep.comp[0].events & PROT_BOOT_EV_META_REBUILT);
	assert_int_equal(e->d.rep.comp[0].bank, 0);
	assert_int_equal(e->d.up.rec.recovery_events, 1);
}

/* ---- refusals ---- */

static void test_write_refusals(void **state)
{
	struct prot_update_info a, b;
	uint8_t buf[16] = {0};

	(void)state;
	setup_dev(1, true);
	assert_int_equal(prot_update_start(&e->d.up, 0), 0);
	assert_int_equal(prot_update_write(&e->d.up, 0, 0, e->new_img, 100), 0);
	assert_int_equal(prot_update_query(&e->d.up, 0, &a), 0);
	assert_int_equal(prot_update_write(&e->d.up, 0, 101, buf, 16), -ESPIPE);
	assert_int_equal(prot_update_write(&e->d.up, 0, 99, buf, 16), -ESPIPE);
	assert_int_equal(prot_update_write(&e->d.up, 0, 0, buf, 16), -ESPIPE);
	assert_int_equal(prot_update_write(&e->d.up, 0, UINT32_MAX - 4, buf,
					   16),
			 -EOVERFLOW);
	assert_int_equal(prot_update_write(&e->d.up, 0, 100, buf,
					   (size_t)UINT32_MAX),
			 -EOVERFLOW);
	assert_int_equal(prot_update_write(&e->d.up, 0, BANK - 8, buf, 16),
			 -ENOSPC);
	assert_int_equal(prot_update_write(&e->d.up, 0, 100, NULL, 16),
			 -EINVAL);
	assert_int_equal(prot_update_write(&e->d.up, 7, 100, buf, 16), -EINVAL);
	assert_int_equal(prot_update_query(&e->d.up, 0, &b), 0);
	assert_int_equal(b.written, 100);
	assert_int_equal(b.state, PROT_UPDATE_WRITING);
	/* It goes on where it was. */
	assert_int_equal(prot_update_write(&e->d.up, 0, 100, e->new_img + 100,
					   e->new_len - 100),
			 0);
	assert_int_equal(prot_update_finish(&e->d.up, 0), 0);
	assert_true(bank0_untouched());
}

struct refusal {
	const char *what;
	int err;
};

static void expect_refusal(const uint8_t *img, size_t len, int err)
{
	assert_int_equal(device_download(&e->d, 0, img, len, 256), err);
	assert_int_equal(st(0), PROT_UPDATE_FAILED);
	assert_int_equal(prot_update_install(&e->d.up), -EBUSY);
	assert_true(bank0_untouched());
	assert_int_equal(device_reboot(&e->d), 0);
	assert_int_equal(e->d.rep.comp[0].bank, 0);
	assert_true(device_runs(&e->d, 0, e->old_img, e->old_len));
	assert_int_equal(floor_of(0), OLD_SVN);
	assert_int_equal(st(0), PROT_UPDATE_READY);
}

static void test_image_refusals(void **state)
{
	static uint8_t img[2 * BANK];
	struct image_spec sp = {0x100, NEW_SVN, 0x02000000, 5000, 2, false};
	size_t n;

	(void)state;
	setup_dev(1, true);
	/* Bit flips in the header, the payload, the signature. */
	memcpy(img, e->new_img, e->new_len);
	img[0x18] ^= 0x02; /* svn field: the signature no longer matches */
	expect_refusal(img, e->new_len, -EPERM);
	memcpy(img, e->new_img, e->new_len);
	img[0] ^= 0x01; /* magic */
	expect_refusal(img, e->new_len, -EBADMSG);
	memcpy(img, e->new_img, e->new_len);
	img[PROT_IMAGE_PAYLOAD_OFFSET + 4321] ^= 0x80;
	expect_refusal(img, e->new_len, -EILSEQ);
	memcpy(img, e->new_img, e->new_len);
	img[PROT_IMAGE_SIG_OFFSET + 50] ^= 0x04;
	expect_refusal(img, e->new_len, -EPERM);
	/* Unknown key id in the header. */
	memcpy(img, e->new_img, e->new_len);
	img[0x50] ^= 0x01;
	expect_refusal(img, e->new_len, -EPROTO);
	/* Signed by a key that is not the vendor's. */
	sp.other_key = true;
	n = image_build(sg, &sp, img, sizeof(img));
	expect_refusal(img, n, -EACCES);
	/* Lower SVN than the floor. */
	sp.other_key = false;
	sp.svn = OLD_SVN - 1;
	n = image_build(sg, &sp, img, sizeof(img));
	expect_refusal(img, n, -ESTALE);
	/* Wrong component. */
	sp.svn = NEW_SVN;
	sp.component_id = 0x999;
	n = image_build(sg, &sp, img, sizeof(img));
	expect_refusal(img, n, -ENODEV);
	/* Truncated. */
	expect_refusal(e->new_img, e->new_len - 1, -ENODATA);
	expect_refusal(e->new_img, 100, -ENODATA);
	/* Declares more than the bank holds. */
	sp.component_id = 0x100;
	sp.payload_size = BANK - PROT_IMAGE_PAYLOAD_OFFSET + 1;
	n = image_build(sg, &sp, img, sizeof(img));
	assert_int_equal(n, BANK + 1);
	expect_refusal(img, BANK, -EFBIG);
	/* ... and an image of exactly the bank size is fine. */
	sp.payload_size = BANK - PROT_IMAGE_PAYLOAD_OFFSET;
	n = image_build(sg, &sp, img, sizeof(img));
	assert_int_equal(device_download(&e->d, 0, img, n, 1000), 0);
	assert_int_equal(prot_update_install(&e->d.up), 0);
	assert_int_equal(device_reboot(&e->d), 0);
	assert_true(device_runs(&e->d, 0, img, n));
}

/* Every call outside its states: -EBUSY, nothing changes (no flash
 * operation, same state). */
static void check_refused(int rc)
{
	assert_int_equal(rc, -EBUSY);
}

static void refuse_all_but(unsigned int allowed)
{
	uint32_t ops = e->d.sim.ops_done;
	enum prot_update_state s = st(0);
	uint8_t b = 0;

	if (!(allowed & 1u))
		check_refused(prot_update_start(&e->d.up, 0));
	if (!(allowed & 2u))
		check_refused(prot_update_write(&e->d.up, 0, 0, &b, 1));
	if (!(allowed & 4u))
		check_refused(prot_update_finish(&e->d.up, 0));
	if (!(allowed & 8u))
		check_refused(prot_update_cancel(&e->d.up, 0));
	if (!(allowed & 16u))
		check_refused(prot_update_clean(&e->d.up, 0));
	if (!(allowed & 32u))
		check_refused(prot_update_install(&e->d.up));
	if (!(allowed & 64u))
		check_refused(prot_update_accept(&e->d.up));
	if (!(allowed & 128u))
		check_refused(prot_update_reject(&e->d.up));
	assert_int_equal(e->d.sim.ops_done, ops);
	assert_int_equal(st(0), s);
}

#define A_START 1u
#define A_WRITE 2u
#define A_FINISH 4u
#define A_CANCEL 8u
#define A_CLEAN 16u
#define A_INSTALL 32u
#define A_ACCEPT 64u
#define A_REJECT 128u

static void test_wrong_state_calls(void **state)
{
	(void)state;
	setup_dev(1, true);
	refuse_all_but(A_START); /* READY */
	assert_int_equal(prot_update_start(&e->d.up, 0), 0);
	refuse_all_but(A_WRITE | A_FINISH | A_CANCEL); /* WRITING */
	assert_int_equal(prot_update_cancel(&e->d.up, 0), 0);
	refuse_all_but(A_CLEAN); /* FAILED */
	assert_int_equal(prot_update_clean(&e->d.up, 0), 0);
	assert_int_equal(
		device_download(&e->d, 0, e->new_img, e->new_len, 4096), 0);
	refuse_all_but(A_CANCEL | A_INSTALL); /* CANDIDATE */
	assert_int_equal(prot_update_install(&e->d.up), 0);
	refuse_all_but(A_REJECT); /* STAGED */
	assert_int_equal(device_reboot(&e->d), 0);
	refuse_all_but(A_ACCEPT | A_REJECT); /* TRIAL */
	assert_int_equal(prot_update_reject(&e->d.up), 0);
	refuse_all_but(0); /* REJECTED */
	assert_int_equal(device_reboot(&e->d), 0);
	refuse_all_but(A_CLEAN); /* FAILED (persisted) */
	assert_int_equal(prot_update_clean(&e->d.up, 0), 0);
	assert_int_equal(
		device_download(&e->d, 0, e->new_img, e->new_len, 4096), 0);
	assert_int_equal(prot_update_install(&e->d.up), 0);
	assert_int_equal(device_reboot(&e->d), 0);
	assert_int_equal(prot_update_accept(&e->d.up), 0);
	refuse_all_but(A_CLEAN); /* UPDATED */
	/* Before prot_boot(): nothing at all. */
	assert_int_equal(prot_update_init(&e->d.up, &e->d.cfg), 0);
	assert_int_equal(prot_update_start(&e->d.up, 0), -EINVAL);
	assert_int_equal(prot_update_install(&e->d.up), -EINVAL);
}

static void test_several_components_together(void **state)
{
	uint8_t img1[BANK];
	size_t n1;

	(void)state;
	setup_dev(2, true);
	n1 = build(img1, sizeof(img1), 0x101, NEW_SVN, 0x02000000, 2000, 7);
	assert_int_equal(device_download(&e->d, 0, e->new_img, e->new_len, 500),
			 0);
	/* Install waits for every download to finish. */
	assert_int_equal(prot_update_start(&e->d.up, 1), 0);
	assert_int_equal(prot_update_install(&e->d.up), -EBUSY);
	assert_int_equal(prot_update_write(&e->d.up, 1, 0, img1, n1), 0);
	assert_int_equal(prot_update_finish(&e->d.up, 1), 0);
	assert_int_equal(prot_update_install(&e->d.up), 0);
	assert_int_equal(st(0), PROT_UPDATE_STAGED);
	assert_int_equal(st(1), PROT_UPDATE_STAGED);
	assert_int_equal(e->d.up.rec.comp[0].install_seq,
			 e->d.up.rec.comp[1].install_seq);
	assert_int_equal(device_reboot(&e->d), 0);
	assert_int_equal(e->d.rep.comp[0].bank, 1);
	assert_int_equal(e->d.rep.comp[1].bank, 1);
	/* Not accepted: both go back together. */
	assert_int_equal(device_reboot(&e->d), 0);
	assert_int_equal(e->d.rep.comp[0].bank, 0);
	assert_int_equal(e->d.rep.comp[1].bank, 0);
	assert_int_equal(floor_of(0), OLD_SVN);
	assert_int_equal(floor_of(1), OLD_SVN);
	/* One trial image corrupt: both revert at once. */
	assert_int_equal(prot_update_clean(&e->d.up, 0), 0);
	assert_int_equal(prot_update_clean(&e->d.up, 1), 0);
	assert_int_equal(device_download(&e->d, 0, e->new_img, e->new_len, 500),
			 0);
	assert_int_equal(device_download(&e->d, 1, img1, n1, 500), 0);
	assert_int_equal(prot_update_install(&e->d.up), 0);
	e->d.mem[e->d.cfg.components[1].bank_offset[1] + 900] ^= 0x40;
	assert_int_equal(device_reboot(&e->d), 0);
	assert_int_equal(e->d.rep.comp[0].bank, 0);
	assert_int_equal(e->d.rep.comp[1].bank, 0);
	assert_int_equal(st(0), PROT_UPDATE_FAILED);
	assert_int_equal(st(1), PROT_UPDATE_FAILED);
	/* Accepted together: both floors raised. */
	assert_int_equal(prot_update_clean(&e->d.up, 0), 0);
	assert_int_equal(prot_update_clean(&e->d.up, 1), 0);
	assert_int_equal(device_download(&e->d, 0, e->new_img, e->new_len, 500),
			 0);
	assert_int_equal(device_download(&e->d, 1, img1, n1, 500), 0);
	assert_int_equal(prot_update_install(&e->d.up), 0);
	assert_int_equal(device_reboot(&e->d), 0);
	assert_int_equal(prot_update_accept(&e->d.up), 0);
	assert_int_equal(st(0), PROT_UPDATE_UPDATED);
	assert_int_equal(st(1), PROT_UPDATE_UPDATED);
	assert_int_equal(floor_of(0), NEW_SVN);
	assert_int_equal(floor_of(1), NEW_SVN);
	assert_int_equal(device_reboot(&e->d), 0);
	assert_true(device_runs(&e->d, 0, e->new_img, e->new_len));
	assert_true(device_runs(&e->d, 1, img1, n1));
}

static void test_init_refusals(void **state)
{
	struct prot_update_config c;

	(void)state;
	setup_dev(2, true);
	c = e->d.cfg;
	c.components[1].bank_offset[0] = c.components[0].bank_offset[1];
	assert_int_equal(prot_update_init(&e->d.up, &c), -EINVAL);
	c = e->d.cfg;
	c.components[0].bank_offset[0] += 512;
	assert_int_equal(prot_update_init(&e->d.up, &c), -EINVAL);
	c = e->d.cfg;
	c.components[1].bank_offset[1] = e->d.sim.ops.size;
	assert_int_equal(prot_update_init(&e->d.up, &c), -EINVAL);
	c = e->d.cfg;
	c.components[1].component_id = c.components[0].component_id;
	assert_int_equal(prot_update_init(&e->d.up, &c), -EINVAL);
	c = e->d.cfg;
	c.n_components = 0;
	assert_int_equal(prot_update_init(&e->d.up, &c), -EINVAL);
	c = e->d.cfg;
	c.components[0].otp_index = PROT_OTP_SVN_COMPONENTS;
	assert_int_equal(prot_update_init(&e->d.up, &c), -EINVAL);
	c = e->d.cfg;
	c.crypto = NULL;
	assert_int_equal(prot_update_init(&e->d.up, &c), -EINVAL);
	assert_int_equal(prot_update_init(&e->d.up, &e->d.cfg), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_first_boot_scans_banks,
					  teardown),
		cmocka_unit_test_teardown(test_blank_device_is_recovery,
					  teardown),
		cmocka_unit_test_teardown(test_unprogrammed_key_is_recovery,
					  teardown),
		cmocka_unit_test_teardown(test_update_accept, teardown),
		cmocka_unit_test_teardown(test_accept_cut_at_floor_raise,
					  teardown),
		cmocka_unit_test_teardown(test_reject_in_trial, teardown),
		cmocka_unit_test_teardown(test_reject_staged, teardown),
		cmocka_unit_test_teardown(test_reboot_before_accept_reverts,
					  teardown),
		cmocka_unit_test_teardown(test_trial_boot_budget, teardown),
		cmocka_unit_test_teardown(test_corrupt_trial_image_reverts,
					  teardown),
		cmocka_unit_test_teardown(test_restore_corrupted_active,
					  teardown),
		cmocka_unit_test_teardown(test_no_restore_below_floor,
					  teardown),
		cmocka_unit_test_teardown(test_metadata_lost, teardown),
		cmocka_unit_test_teardown(test_write_refusals, teardown),
		cmocka_unit_test_teardown(test_image_refusals, teardown),
		cmocka_unit_test_teardown(test_wrong_state_calls, teardown),
		cmocka_unit_test_teardown(test_several_components_together,
					  teardown),
		cmocka_unit_test_teardown(test_init_refusals, teardown),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
