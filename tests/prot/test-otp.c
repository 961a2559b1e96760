/* SPDX-License-Identifier: Apache-2.0 */
/*
 * OTP layout helpers (prot/platform.h) on the OTP simulator: golden fuse
 * bytes for each field, one-way behaviour, refusals, and a power cut at
 * every program call (with torn writes) of provisioning and raising.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "flash-sim.h"
#include "prot/platform.h"

static void hash_of(uint8_t *h, uint8_t seed)
{
	unsigned int i;

	for (i = 0; i < PROT_OTP_KEY_HASH_SIZE; i++)
		h[i] = (uint8_t)(seed + i * 13u);
	h[0] |= 1; /* never all zero */
}

static void test_check(void **state)
{
	struct otp_sim otp;

	(void)state;
	otp_sim_init(&otp);
	assert_int_equal(prot_otp_check(&otp.ops), 0);
	assert_int_equal(PROT_OTP_LAYOUT_SIZE, 0xc0);
	otp.ops.size = PROT_OTP_LAYOUT_SIZE - 1;
	assert_int_equal(prot_otp_check(&otp.ops), -EINVAL);
	otp.ops.size = OTP_SIM_SIZE;
	otp.ops.program = NULL;
	assert_int_equal(prot_otp_check(&otp.ops), -EINVAL);
	assert_int_equal(prot_otp_check(NULL), -EINVAL);
}

static void test_key_hash(void **state)
{
	struct otp_sim otp;
	uint8_t h[PROT_OTP_KEY_HASH_SIZE], other[PROT_OTP_KEY_HASH_SIZE];
	uint8_t got[PROT_OTP_KEY_HASH_SIZE], zero[PROT_OTP_KEY_HASH_SIZE];

	(void)state;
	otp_sim_init(&otp);
	hash_of(h, 0x21);
	hash_of(other, 0x42);
	memset(zero, 0, sizeof(zero));
	memset(got, 0xee, sizeof(got));
	assert_int_equal(prot_otp_key_hash_read(&otp.ops, got), -ENOENT);
	assert_memory_equal(got, zero, sizeof(zero));
	assert_int_equal(prot_otp_key_hash_program(&otp.ops, zero), -EINVAL);
	assert_int_equal(prot_otp_key_hash_program(&otp.ops, h), 0);
	/* Golden: hash at 0x00, commit byte 0xff at 0x30, nothing else. */
	assert_memory_equal(otp.mem, h, sizeof(h));
	assert_int_equal(otp.mem[0x30], 0xff);
	assert_int_equal(otp.mem[0x31], 0x00);
	assert_int_equal(prot_otp_key_hash_read(&otp.ops, got), 0);
	assert_memory_equal(got, h, sizeof(h));
	assert_int_equal(prot_otp_key_hash_program(&otp.ops, h), -EALREADY);
	assert_int_equal(prot_otp_key_hash_program(&otp.ops, other), -EEXIST);
	assert_memory_equal(otp.mem, h, sizeof(h));
}

static void test_key_hash_cuts(void **state)
{
	uint8_t h[PROT_OTP_KEY_HASH_SIZE], other[PROT_OTP_KEY_HASH_SIZE];
	uint8_t got[PROT_OTP_KEY_HASH_SIZE];
	static const uint32_t keeps[] = {0, 1, 24, 47, 48};
	struct otp_sim otp;
	int32_t at;
	unsigned int k;
	int rc;

	(void)state;
	hash_of(h, 0x21);
	hash_of(other, 0x42);
	/* Program calls: 0 the hash, 1 the commit byte. */
	for (at = 0; at < 2; at++) {
		for (k = 0; k < 5; k++) {
			otp_sim_init(&otp);
			otp_sim_arm(&otp, at, keeps[k]);
			assert_int_equal(prot_otp_key_hash_program(&otp.ops, h),
					 FLASH_SIM_EPOWER);
			otp_sim_power_restore(&otp);
			/* Never a partial hash taken for committed. */
			rc = prot_otp_key_hash_read(&otp.ops, got);
			assert_true(rc == -ENOENT || rc == 0);
			if (rc == 0)
				assert_memory_equal(got, h, sizeof(h));
			/* A different hash cannot be slipped in once any bit
			 * of the first landed... */
			if (at > 0 || keeps[k] > 0)
				assert_int_equal(prot_otp_key_hash_program(
							 &otp.ops, other),
						 -EEXIST);
			/* ...and the same one completes. */
			rc = prot_otp_key_hash_program(&otp.ops, h);
			assert_true(rc == 0 || rc == -EALREADY);
			assert_int_equal(prot_otp_key_hash_read(&otp.ops, got),
					 0);
			assert_memory_equal(got, h, sizeof(h));
		}
	}
}

static void test_svn(void **state)
{
	struct otp_sim otp;
	uint32_t floor;
	unsigned int c;

	(void)state;
	otp_sim_init(&otp);
	for (c = 0; c < PROT_OTP_SVN_COMPONENTS; c++) {
		assert_int_equal(prot_otp_svn_read(&otp.ops, c, &floor), 0);
		assert_int_equal(floor, 0);
	}
	assert_int_equal(prot_otp_svn_raise(&otp.ops, 2, 11), 0);
	/* Golden: component 2 at 0x60, 11 bits: ff 07. */
	assert_int_equal(otp.mem[0x60], 0xff);
	assert_int_equal(otp.mem[0x61], 0x07);
	assert_int_equal(otp.mem[0x62], 0x00);
	assert_int_equal(otp.mem[0x5f], 0x00);
	assert_int_equal(prot_otp_svn_read(&otp.ops, 2, &floor), 0);
	assert_int_equal(floor, 11);
	assert_int_equal(prot_otp_svn_read(&otp.ops, 1, &floor), 0);
	assert_int_equal(floor, 0);
	/* Lowering refused, nothing written; same value is a no-op. */
	assert_int_equal(prot_otp_svn_raise(&otp.ops, 2, 10), -EPERM);
	assert_int_equal(prot_otp_svn_raise(&otp.ops, 2, 11), 0);
	assert_int_equal(otp.programs, 1);
	assert_int_equal(prot_otp_svn_raise(&otp.ops, 2, PROT_OTP_SVN_MAX + 1),
			 -ERANGE);
	assert_int_equal(prot_otp_svn_raise(&otp.ops, PROT_OTP_SVN_COMPONENTS,
					    1),
			 -EINVAL);
	assert_int_equal(prot_otp_svn_read(&otp.ops, 8, &floor), -EINVAL);
	assert_int_equal(prot_otp_svn_raise(&otp.ops, 7, PROT_OTP_SVN_MAX), 0);
	assert_int_equal(prot_otp_svn_read(&otp.ops, 7, &floor), 0);
	assert_int_equal(floor, PROT_OTP_SVN_MAX);
	assert_int_equal(otp.mem[0x40 + 7 * 16 + 15], 0xff);
	/* A stray high bit reads as the higher floor (fail closed). */
	otp.mem[0x40 + 3] = 0x10; /* bit 28 of component 0 */
	assert_int_equal(prot_otp_svn_read(&otp.ops, 0, &floor), 0);
	assert_int_equal(floor, 29);
}

static void test_svn_cuts(void **state)
{
	static const uint32_t keeps[] = {0, 1, 2, 3};
	struct otp_sim otp;
	uint32_t floor;
	unsigned int k;

	(void)state;
	for (k = 0; k < 4; k++) {
		otp_sim_init(&otp);
		assert_int_equal(prot_otp_svn_raise(&otp.ops, 0, 5), 0);
		otp_sim_arm(&otp, 1, keeps[k]);
		assert_int_equal(prot_otp_svn_raise(&otp.ops, 0, 20),
				 FLASH_SIM_EPOWER);
		otp_sim_power_restore(&otp);
		assert_int_equal(prot_otp_svn_read(&otp.ops, 0, &floor), 0);
		/* Between old and new, never below the old. */
		assert_true(floor >= 5 && floor <= 20);
		assert_int_equal(prot_otp_svn_raise(&otp.ops, 0, 20), 0);
		assert_int_equal(prot_otp_svn_read(&otp.ops, 0, &floor), 0);
		assert_int_equal(floor, 20);
	}
}

static void test_lifecycle(void **state)
{
	struct otp_sim otp;
	enum prot_lifecycle lc;

	(void)state;
	otp_sim_init(&otp);
	assert_int_equal(prot_otp_lifecycle_read(&otp.ops, &lc), 0);
	assert_int_equal(lc, PROT_LIFECYCLE_BLANK);
	assert_int_equal(prot_otp_lifecycle_advance(
				 &otp.ops, PROT_LIFECYCLE_PROVISIONING),
			 0);
	assert_int_equal(otp.mem[0x31], 0x01);
	assert_int_equal(prot_otp_lifecycle_advance(&otp.ops,
						    PROT_LIFECYCLE_PRODUCTION),
			 0);
	assert_int_equal(otp.mem[0x31], 0x03);
	assert_int_equal(prot_otp_lifecycle_read(&otp.ops, &lc), 0);
	assert_int_equal(lc, PROT_LIFECYCLE_PRODUCTION);
	assert_int_equal(prot_otp_lifecycle_advance(
				 &otp.ops, PROT_LIFECYCLE_PROVISIONING),
			 -EPERM);
	assert_int_equal(prot_otp_lifecycle_advance(&otp.ops,
						    PROT_LIFECYCLE_PRODUCTION),
			 0);
	assert_int_equal(prot_otp_lifecycle_advance(&otp.ops,
						    (enum prot_lifecycle)4),
			 -EINVAL);
	assert_int_equal(otp.mem[0x31], 0x03);
	assert_int_equal(prot_otp_lifecycle_advance(
				 &otp.ops, PROT_LIFECYCLE_DECOMMISSIONED),
			 0);
	assert_int_equal(otp.mem[0x31], 0x07);
	/* Bits past the last state: tampered, refused. */
	otp.mem[0x31] = 0x17;
	assert_int_equal(prot_otp_lifecycle_read(&otp.ops, &lc), -EBADMSG);
	assert_int_equal(prot_otp_lifecycle_advance(
				 &otp.ops, PROT_LIFECYCLE_DECOMMISSIONED),
			 -EBADMSG);
}

static void test_read_errors(void **state)
{
	struct otp_sim otp;
	uint8_t h[PROT_OTP_KEY_HASH_SIZE];
	uint32_t floor;
	enum prot_lifecycle lc;

	(void)state;
	otp_sim_init(&otp);
	hash_of(h, 3);
	otp.powered = false;
	assert_int_equal(prot_otp_key_hash_read(&otp.ops, h), FLASH_SIM_EPOWER);
	assert_int_equal(prot_otp_svn_read(&otp.ops, 0, &floor),
			 FLASH_SIM_EPOWER);
	assert_int_equal(prot_otp_lifecycle_read(&otp.ops, &lc),
			 FLASH_SIM_EPOWER);
	hash_of(h, 3);
	assert_int_equal(prot_otp_key_hash_program(&otp.ops, h),
			 FLASH_SIM_EPOWER);
	assert_int_equal(prot_otp_svn_raise(&otp.ops, 0, 1), FLASH_SIM_EPOWER);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_check),
		cmocka_unit_test(test_key_hash),
		cmocka_unit_test(test_key_hash_cuts),
		cmocka_unit_test(test_svn),
		cmocka_unit_test(test_svn_cuts),
		cmocka_unit_test(test_lifecycle),
		cmocka_unit_test(test_read_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
