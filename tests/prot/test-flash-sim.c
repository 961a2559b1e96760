/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The flash and OTP simulators themselves: NOR rules, alignment and bounds,
 * operation numbering, and each kind of fault. The store's power-cut tests
 * are only as good as this.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "flash-sim.h"

#define BLK 4096u
#define SIZE (4u * BLK)

static uint8_t mem[SIZE];

static void setup_sim(struct flash_sim *sim, uint32_t p, uint8_t erased)
{
	assert_int_equal(flash_sim_init(sim, mem, SIZE, BLK, p, erased), 0);
}

static void test_geometry_refused(void **state)
{
	struct flash_sim sim;

	(void)state;
	assert_int_equal(flash_sim_init(&sim, mem, SIZE, BLK, 4, 0x7f),
			 -EINVAL);
	assert_int_equal(flash_sim_init(&sim, mem, SIZE, BLK, 3, 0xff),
			 -EINVAL);
	assert_int_equal(flash_sim_init(&sim, mem, SIZE, BLK, 64, 0xff),
			 -EINVAL);
	assert_int_equal(flash_sim_init(&sim, mem, SIZE, 3000, 4, 0xff),
			 -EINVAL);
	assert_int_equal(flash_sim_init(&sim, mem, SIZE + 1, BLK, 4, 0xff),
			 -EINVAL);
	assert_int_equal(flash_sim_init(&sim, NULL, SIZE, BLK, 4, 0xff),
			 -EINVAL);
	assert_int_equal(flash_sim_init(&sim, mem, SIZE, BLK, 32, 0x00), 0);
}

static void test_nor_rules_ff(void **state)
{
	struct flash_sim sim;
	uint8_t a = 0x0f, b = 0xf0, c = 0x05, out;

	(void)state;
	setup_sim(&sim, 1, 0xff);
	assert_int_equal(mem[0], 0xff);
	assert_int_equal(sim.ops.program(&sim, 0, &a, 1), 0);
	assert_int_equal(mem[0], 0x0f);
	/* 0x0f -> 0xf0 needs bits set back to 1: refused, nothing written. */
	assert_int_equal(sim.ops.program(&sim, 0, &b, 1), -EPERM);
	assert_int_equal(mem[0], 0x0f);
	assert_int_equal(sim.violations, 1);
	/* Clearing more bits is allowed. */
	assert_int_equal(sim.ops.program(&sim, 0, &c, 1), 0);
	assert_int_equal(sim.ops.read(&sim, 0, &out, 1), 0);
	assert_int_equal(out, 0x05);
	assert_int_equal(sim.ops.erase(&sim, 0), 0);
	assert_int_equal(mem[0], 0xff);
	assert_int_equal(mem[BLK - 1], 0xff);
}

static void test_nor_rules_00(void **state)
{
	struct flash_sim sim;
	uint8_t a = 0xf0, b = 0x0f, c = 0xf5;

	(void)state;
	setup_sim(&sim, 1, 0x00);
	assert_int_equal(mem[5], 0x00);
	assert_int_equal(sim.ops.program(&sim, 5, &a, 1), 0);
	assert_int_equal(sim.ops.program(&sim, 5, &b, 1), -EPERM);
	assert_int_equal(mem[5], 0xf0);
	assert_int_equal(sim.ops.program(&sim, 5, &c, 1), 0);
	assert_int_equal(mem[5], 0xf5);
	assert_int_equal(sim.ops.erase(&sim, 0), 0);
	assert_int_equal(mem[5], 0x00);
}

static void test_alignment_bounds(void **state)
{
	struct flash_sim sim;
	uint8_t buf[8] = {0};

	(void)state;
	setup_sim(&sim, 4, 0xff);
	assert_int_equal(sim.ops.program(&sim, 2, buf, 4), -EINVAL);
	assert_int_equal(sim.ops.program(&sim, 4, buf, 3), -EINVAL);
	assert_int_equal(sim.ops.program(&sim, SIZE - 4, buf, 8), -ERANGE);
	assert_int_equal(sim.ops.erase(&sim, 100), -EINVAL);
	assert_int_equal(sim.ops.erase(&sim, SIZE), -ERANGE);
	assert_int_equal(sim.ops.read(&sim, SIZE - 1, buf, 2), -ERANGE);
	assert_int_equal(sim.violations, 6);
	/* Refused calls are not operations. */
	assert_int_equal(sim.ops_done, 0);
	assert_int_equal(sim.ops.program(&sim, SIZE - 8, buf, 8), 0);
	assert_int_equal(sim.ops_done, 1);
}

static void test_counter_and_log(void **state)
{
	struct flash_sim sim;
	uint8_t buf[4] = {1, 2, 3, 4};

	(void)state;
	setup_sim(&sim, 4, 0xff);
	assert_int_equal(sim.ops.program(&sim, 8, buf, 4), 0);
	assert_int_equal(sim.ops.erase(&sim, BLK), 0);
	assert_int_equal(sim.ops.read(&sim, 0, buf, 4), 0);
	assert_int_equal(sim.ops_done, 2);
	assert_int_equal(sim.reads, 1);
	assert_int_equal(sim.log[0].op, FLASH_SIM_OP_PROGRAM);
	assert_int_equal(sim.log[0].addr, 8);
	assert_int_equal(sim.log[0].len, 4);
	assert_int_equal(sim.log[1].op, FLASH_SIM_OP_ERASE);
	assert_int_equal(sim.log[1].addr, BLK);
	flash_sim_reset_count(&sim);
	assert_int_equal(sim.ops_done, 0);
	assert_int_equal(sim.log[0].op, 0);
}

static void test_cut_before(void **state)
{
	struct flash_sim sim;
	struct flash_sim_fault f = {.kind = FLASH_SIM_CUT_BEFORE, .at_op = 1};
	uint8_t a[4] = {0x11, 0x22, 0x33, 0x44}, out[4];

	(void)state;
	setup_sim(&sim, 4, 0xff);
	flash_sim_arm(&sim, &f);
	assert_int_equal(sim.ops.program(&sim, 0, a, 4), 0);
	assert_int_equal(sim.ops.program(&sim, 4, a, 4), FLASH_SIM_EPOWER);
	assert_int_equal(mem[4], 0xff);
	assert_false(sim.powered);
	assert_int_equal(sim.cuts, 1);
	/* Everything fails until power comes back. */
	assert_int_equal(sim.ops.read(&sim, 0, out, 4), FLASH_SIM_EPOWER);
	assert_int_equal(sim.ops.erase(&sim, 0), FLASH_SIM_EPOWER);
	assert_int_equal(sim.ops.program(&sim, 8, a, 4), FLASH_SIM_EPOWER);
	assert_int_equal(mem[0], 0x11);
	flash_sim_power_restore(&sim);
	assert_int_equal(sim.ops.read(&sim, 0, out, 4), 0);
	assert_memory_equal(out, a, 4);
	/* The fault fired once: op 1 again does not cut. */
	assert_int_equal(sim.fault.kind, FLASH_SIM_FAULT_NONE);
	flash_sim_reset_count(&sim);
	assert_int_equal(sim.ops.program(&sim, 8, a, 4), 0);
	assert_int_equal(sim.ops.program(&sim, 12, a, 4), 0);
}

static void test_cut_after(void **state)
{
	struct flash_sim sim;
	struct flash_sim_fault f = {.kind = FLASH_SIM_CUT_AFTER, .at_op = 0};
	uint8_t a[4] = {0x11, 0x22, 0x33, 0x44};

	(void)state;
	setup_sim(&sim, 4, 0xff);
	flash_sim_arm(&sim, &f);
	assert_int_equal(sim.ops.program(&sim, 0, a, 4), FLASH_SIM_EPOWER);
	assert_memory_equal(mem, a, 4);
	assert_false(sim.powered);
}

static void test_torn_program(void **state)
{
	struct flash_sim sim;
	struct flash_sim_fault f = {
		.kind = FLASH_SIM_TORN, .at_op = 0, .keep = 3, .partial = 0x0f};
	uint8_t a[8] = {0x00, 0x01, 0x02, 0x30, 0x04, 0x05, 0x06, 0x07};

	(void)state;
	setup_sim(&sim, 8, 0xff);
	flash_sim_arm(&sim, &f);
	assert_int_equal(sim.ops.program(&sim, 0, a, 8), FLASH_SIM_EPOWER);
	assert_memory_equal(mem, a, 3);
	/* 0xff -> 0x30: of the bits to clear (0xcf), only the low nibble
	 * moved. */
	assert_int_equal(mem[3], 0xf0);
	assert_int_equal(mem[4], 0xff);
	assert_int_equal(mem[7], 0xff);

	/* Same on a 0x00-erased part: bits set, only in the mask. */
	setup_sim(&sim, 8, 0x00);
	f.partial = 0xf0;
	flash_sim_arm(&sim, &f);
	assert_int_equal(sim.ops.program(&sim, 0, a, 8), FLASH_SIM_EPOWER);
	assert_memory_equal(mem, a, 3);
	assert_int_equal(mem[3], 0x30);
	assert_int_equal(mem[4], 0x00);
}

static void test_half_erase(void **state)
{
	struct flash_sim sim;
	struct flash_sim_fault f = {
		.kind = FLASH_SIM_TORN, .at_op = 1, .keep = BLK / 2};
	uint8_t a[8] = {0};
	uint32_t i, same = 0;

	(void)state;
	setup_sim(&sim, 8, 0xff);
	assert_int_equal(sim.ops.program(&sim, 0, a, 8), 0);
	assert_int_equal(sim.ops.program(&sim, BLK - 8, a, 8), 0);
	flash_sim_reset_count(&sim);
	f.at_op = 0;
	flash_sim_arm(&sim, &f);
	assert_int_equal(sim.ops.erase(&sim, 0), FLASH_SIM_EPOWER);
	assert_int_equal(mem[0], 0xff);
	assert_int_equal(mem[BLK / 2 - 1], 0xff);
	/* The tail of the block was not reached. */
	assert_int_equal(mem[BLK - 1], 0x00);
	assert_int_equal(mem[BLK / 2], 0xff);

	/* With garbage: the tail is neither erased nor the old data. */
	flash_sim_power_restore(&sim);
	flash_sim_reset_count(&sim);
	f.garbage = true;
	flash_sim_arm(&sim, &f);
	assert_int_equal(sim.ops.erase(&sim, BLK), FLASH_SIM_EPOWER);
	assert_int_equal(mem[BLK], 0xff);
	for (i = BLK + BLK / 2; i < 2 * BLK; i++)
		same += mem[i] == 0xff;
	assert_true(same < BLK / 8);

	/* An uneven erase: only a window [from, keep) got erased. */
	flash_sim_power_restore(&sim);
	flash_sim_reset_count(&sim);
	memset(mem + 2 * BLK, 0x00, BLK);
	f.garbage = false;
	f.from = 8;
	f.keep = 10;
	flash_sim_arm(&sim, &f);
	assert_int_equal(sim.ops.erase(&sim, 2 * BLK), FLASH_SIM_EPOWER);
	assert_int_equal(mem[2 * BLK + 7], 0x00);
	assert_int_equal(mem[2 * BLK + 8], 0xff);
	assert_int_equal(mem[2 * BLK + 9], 0xff);
	assert_int_equal(mem[2 * BLK + 10], 0x00);
}

static void test_otp_sim(void **state)
{
	struct otp_sim otp;
	uint8_t a[4] = {0x01, 0x02, 0x04, 0x08}, b[4] = {0x10, 0, 0, 0};
	uint8_t out[4];

	(void)state;
	otp_sim_init(&otp);
	assert_int_equal(otp.ops.program(otp.ops.ctx, 4, a, 4), 0);
	assert_int_equal(otp.ops.program(otp.ops.ctx, 4, b, 4), 0);
	assert_int_equal(otp.ops.read(otp.ops.ctx, 4, out, 4), 0);
	/* Bits only accumulate: programming zeros clears nothing. */
	assert_int_equal(out[0], 0x11);
	assert_int_equal(out[3], 0x08);
	assert_int_equal(otp.ops.read(otp.ops.ctx, OTP_SIM_SIZE - 2, out, 4),
			 -ERANGE);
	otp_sim_arm(&otp, 2, 1);
	assert_int_equal(otp.ops.program(otp.ops.ctx, 8, a, 4),
			 FLASH_SIM_EPOWER);
	assert_int_equal(otp.ops.read(otp.ops.ctx, 8, out, 4),
			 FLASH_SIM_EPOWER);
	otp_sim_power_restore(&otp);
	assert_int_equal(otp.ops.read(otp.ops.ctx, 8, out, 4), 0);
	assert_int_equal(out[0], 0x01);
	assert_int_equal(out[1], 0x00);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_geometry_refused),
		cmocka_unit_test(test_nor_rules_ff),
		cmocka_unit_test(test_nor_rules_00),
		cmocka_unit_test(test_alignment_bounds),
		cmocka_unit_test(test_counter_and_log),
		cmocka_unit_test(test_cut_before),
		cmocka_unit_test(test_cut_after),
		cmocka_unit_test(test_torn_program),
		cmocka_unit_test(test_half_erase),
		cmocka_unit_test(test_otp_sim),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
