/* SPDX-License-Identifier: Apache-2.0 */
/* The POSIX port's file-backed flash and OTP (prot-posix/flash-file.h). */
#define _GNU_SOURCE
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "prot-posix/flash-file.h"

struct tmp {
	char dir[64];
	char path[96];
};

static int setup(void **state)
{
	static struct tmp t;

	snprintf(t.dir, sizeof(t.dir), "/tmp/test-flash-file-XXXXXX");
	if (!mkdtemp(t.dir))
		return -1;
	snprintf(t.path, sizeof(t.path), "%s/f.bin", t.dir);
	*state = &t;
	return 0;
}

static int teardown(void **state)
{
	struct tmp *t = *state;

	(void)unlink(t->path);
	(void)rmdir(t->dir);
	return 0;
}

static off_t file_size(const char *path)
{
	struct stat st;

	return stat(path, &st) ? -1 : st.st_size;
}

static void test_flash_create_erased(void **state)
{
	struct tmp *t = *state;
	struct prot_posix_flash_file f;
	uint8_t buf[64];

	assert_int_equal(prot_posix_flash_file_open(&f, t->path, 8192, 4096, 8,
						    0xFF, true),
			 0);
	assert_int_equal(file_size(t->path), 8192);
	assert_int_equal(f.ops.read(f.ops.ctx, 8192 - 64, buf, 64), 0);
	for (size_t i = 0; i < sizeof(buf); i++)
		assert_int_equal(buf[i], 0xFF);
	prot_posix_flash_file_close(&f);
	/* Creating again refuses: nothing is overwritten. */
	assert_int_equal(prot_posix_flash_file_open(&f, t->path, 8192, 4096, 8,
						    0xFF, true),
			 -EEXIST);
}

static void test_flash_program_rules(void **state)
{
	struct tmp *t = *state;
	struct prot_posix_flash_file f;
	uint8_t a[16], b[16], rd[16];

	memset(a, 0xA5, sizeof(a));
	memset(b, 0x5A, sizeof(b));
	assert_int_equal(prot_posix_flash_file_open(&f, t->path, 8192, 4096, 8,
						    0xFF, true),
			 0);
	/* Alignment and bounds. */
	assert_int_equal(f.ops.program(f.ops.ctx, 4, a, 8), -EINVAL);
	assert_int_equal(f.ops.program(f.ops.ctx, 0, a, 12), -EINVAL);
	assert_int_equal(f.ops.program(f.ops.ctx, 8192 - 8, a, 16), -ERANGE);
	assert_int_equal(f.ops.erase(f.ops.ctx, 100), -EINVAL);
	assert_int_equal(f.ops.erase(f.ops.ctx, 8192), -ERANGE);
	assert_int_equal(f.ops.read(f.ops.ctx, 8190, rd, 4), -ERANGE);

	assert_int_equal(f.ops.program(f.ops.ctx, 16, a, 16), 0);
	assert_int_equal(f.ops.read(f.ops.ctx, 16, rd, 16), 0);
	assert_memory_equal(rd, a, 16);
	/* Clearing more bits is allowed (0xA5 -> 0x05)... */
	memset(rd, 0x05, sizeof(rd));
	assert_int_equal(f.ops.program(f.ops.ctx, 16, rd, 8), 0);
	/* ...setting one back is not, and changes nothing. */
	assert_int_equal(f.ops.program(f.ops.ctx, 16, b, 16), -EPERM);
	assert_int_equal(f.ops.read(f.ops.ctx, 24, rd, 8), 0);
	assert_memory_equal(rd, a, 8);
	/* Erase brings the block back to 0xFF; then b programs. */
	assert_int_equal(f.ops.erase(f.ops.ctx, 0), 0);
	assert_int_equal(f.ops.read(f.ops.ctx, 16, rd, 16), 0);
	for (size_t i = 0; i < sizeof(rd); i++)
		assert_int_equal(rd[i], 0xFF);
	assert_int_equal(f.ops.program(f.ops.ctx, 16, b, 16), 0);
	prot_posix_flash_file_close(&f);

	/* Persistent: reopened, the data is there. */
	assert_int_equal(prot_posix_flash_file_open(&f, t->path, 8192, 4096, 8,
						    0xFF, false),
			 0);
	assert_int_equal(f.ops.read(f.ops.ctx, 16, rd, 16), 0);
	assert_memory_equal(rd, b, 16);
	prot_posix_flash_file_close(&f);
	/* A different size is refused, the file untouched. */
	assert_int_equal(prot_posix_flash_file_open(&f, t->path, 4096, 4096, 8,
						    0xFF, false),
			 -EFBIG);
	assert_int_equal(file_size(t->path), 8192);
}

static void test_flash_erased_zero(void **state)
{
	struct tmp *t = *state;
	struct prot_posix_flash_file f;
	uint8_t one = 0x01, two = 0x02, rd;

	assert_int_equal(prot_posix_flash_file_open(&f, t->path, 4096, 4096, 1,
						    0x00, true),
			 0);
	assert_int_equal(f.ops.program(f.ops.ctx, 3, &one, 1), 0);
	assert_int_equal(f.ops.program(f.ops.ctx, 3, &two, 1), -EPERM);
	assert_int_equal(f.ops.read(f.ops.ctx, 3, &rd, 1), 0);
	assert_int_equal(rd, 0x01);
	prot_posix_flash_file_close(&f);
}

static void test_flash_bad_args(void **state)
{
	struct tmp *t = *state;
	struct prot_posix_flash_file f;

	assert_int_equal(prot_posix_flash_file_open(&f, t->path, 8192, 3000, 8,
						    0xFF, true),
			 -EINVAL);
	assert_int_equal(prot_posix_flash_file_open(&f, t->path, 8192, 4096, 64,
						    0xFF, true),
			 -EINVAL);
	assert_int_equal(prot_posix_flash_file_open(&f, t->path, 5000, 4096, 8,
						    0xFF, true),
			 -EINVAL);
	assert_int_equal(prot_posix_flash_file_open(&f, t->path, 8192, 4096, 8,
						    0x55, true),
			 -EINVAL);
	assert_int_equal(file_size(t->path), -1);
	assert_int_equal(prot_posix_flash_file_open(&f, t->path, 8192, 4096, 8,
						    0xFF, false),
			 -ENOENT);
}

static void test_otp_or(void **state)
{
	struct tmp *t = *state;
	struct prot_posix_otp_file o;
	uint8_t hash[PROT_OTP_KEY_HASH_SIZE], rd[4];
	uint8_t x = 0x0F, y = 0xF0, z = 0x00;

	memset(hash, 0x3C, sizeof(hash));
	assert_int_equal(prot_posix_otp_file_open(&o, t->path, 16, true),
			 -EINVAL);
	assert_int_equal(prot_posix_otp_file_open(&o, t->path, 256, true), 0);
	assert_int_equal(o.ops.read(o.ops.ctx, 0, rd, 4), 0);
	assert_int_equal(rd[0] | rd[1] | rd[2] | rd[3], 0);
	assert_int_equal(o.ops.program(o.ops.ctx, 255, &x, 1), 0);
	assert_int_equal(o.ops.program(o.ops.ctx, 255, &y, 1), 0);
	assert_int_equal(o.ops.program(o.ops.ctx, 255, &z, 1), 0);
	assert_int_equal(o.ops.read(o.ops.ctx, 255, rd, 1), 0);
	assert_int_equal(rd[0], 0xFF);
	assert_int_equal(o.ops.program(o.ops.ctx, 255, &x, 2), -ERANGE);
	assert_int_equal(o.ops.read(o.ops.ctx, 256, rd, 1), -ERANGE);
	prot_posix_otp_file_close(&o);
	assert_int_equal(prot_posix_otp_file_open(&o, t->path, 256, false), 0);
	assert_int_equal(o.ops.read(o.ops.ctx, 255, rd, 1), 0);
	assert_int_equal(rd[0], 0xFF);
	prot_posix_otp_file_close(&o);
	assert_int_equal(prot_posix_otp_file_open(&o, t->path, 512, false),
			 -EFBIG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_flash_create_erased, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_flash_program_rules, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_flash_erased_zero, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_flash_bad_args, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_otp_or, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
