/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The log op of the update service and prot_boot(): the transition table
 * against the PSA FWU-like machine written out here, the transitions and
 * boot decisions of an update (accepted), of a revert and of recovery
 * mode logged at their levels, each logged transition allowed by the
 * table and chained from the previous one; nothing logged with no op or
 * above log_level. With -Dprot_log=false the op is never called.
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
#include "prot/config.h"

#define BANK (8u * 1024u)
#define MAX_LOG 64u

static struct signer *sg;

struct entry {
	enum prot_log_level level;
	char text[128];
};

struct sink {
	struct entry e[MAX_LOG];
	unsigned int n;
	bool overflow;
};

__attribute__((format(printf, 3, 4))) static void
sink_log(void *ctx, enum prot_log_level level, const char *fmt, ...)
{
	struct sink *s = ctx;
	va_list ap;

	if (s->n == MAX_LOG) {
		s->overflow = true;
		return;
	}
	s->e[s->n].level = level;
	va_start(ap, fmt);
	vsnprintf(s->e[s->n].text, sizeof(s->e[s->n].text), fmt, ap);
	va_end(ap);
	s->n++;
}

static const struct prot_log_ops sink_ops = {.log = sink_log};

struct env {
	struct device d;
	struct sink log;
	uint8_t old_img[BANK];
	size_t old_len;
	uint8_t new_img[BANK];
	size_t new_len;
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

static void setup_dev(bool with_log)
{
	struct image_spec old = {0x100, 3, 0x01000000, 3000, 1, false};
	struct image_spec new = {0x100, 5, 0x02000000, 5000, 2, false};

	e = calloc(1, sizeof(*e));
	assert_non_null(e);
	assert_int_equal(device_init(&e->d, sg, &geo, 1, true), 0);
	e->old_len = image_build(sg, &old, e->old_img, sizeof(e->old_img));
	e->new_len = image_build(sg, &new, e->new_img, sizeof(e->new_img));
	assert_true(e->old_len > 0 && e->new_len > 0);
	device_factory(&e->d, 0, 0, e->old_img, e->old_len);
	assert_int_equal(prot_otp_svn_raise(&e->d.otp.ops, 0, 3), 0);
	if (with_log) {
		e->d.cfg.log_ops = &sink_ops;
		e->d.cfg.log_ctx = &e->log;
	}
	assert_int_equal(device_reboot(&e->d), 0);
	assert_int_equal(e->d.rep.status, PROT_BOOT_OK);
	/* the first boot finds no metadata */
	if (with_log && PROT_LOG_ENABLED) {
		assert_int_equal(e->log.n, 1);
		assert_int_equal(e->log.e[0].level, PROT_LOG_WARNING);
		assert_string_equal(e->log.e[0].text,
				    "boot: metadata missing: banks scanned");
	}
	e->log.n = 0;
	/* a plain boot logs nothing */
	assert_int_equal(device_reboot(&e->d), 0);
	assert_int_equal(e->log.n, 0);
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

static unsigned int count(enum prot_log_level level, const char *text)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < e->log.n; i++)
		n += e->log.e[i].level == level &&
		     !strcmp(e->log.e[i].text, text);
	return n;
}

/* The INFO lines are "update: component 0: <from> -> <to>"; each is
 * allowed by the table and starts where the previous one ended. */
static unsigned int check_chain(enum prot_update_state start)
{
	enum prot_update_state cur = start;
	unsigned int n = 0;

	assert_false(e->log.overflow);
	for (unsigned int i = 0; i < e->log.n; i++) {
		char from[16], to[16];
		enum prot_update_state f = 99, t = 99;

		if (e->log.e[i].level != PROT_LOG_INFO)
			continue;
		assert_int_equal(sscanf(e->log.e[i].text,
					"update: component 0: %15s -> %15s",
					from, to),
				 2);
		for (unsigned int s = 0; s <= PROT_UPDATE_UPDATED; s++) {
			if (!strcmp(from, prot_update_state_name(s)))
				f = s;
			if (!strcmp(to, prot_update_state_name(s)))
				t = s;
		}
		assert_int_equal(f, cur);
		assert_true(prot_update_transition_allowed(f, t));
		cur = t;
		n++;
	}
	return n;
}

/* ---- the table ---- */

static void test_table(void **state)
{
	/* from: READY WRITING CANDIDATE STAGED TRIAL REJECTED FAILED UPDATED
	 * (R W C S T J F U) */
	static const char *const next[] = {
		"RW", "WCF", "CSF", "STFU", "TUJF", "JF", "FR", "UR",
	};
	static const char names[] = "RWCSTJFU";

	(void)state;
	for (unsigned int f = 0; f < 10; f++)
		for (unsigned int t = 0; t < 10; t++) {
			bool want = f < 8 && t < 8 &&
				    strchr(next[f], names[t]) != NULL;

			if (prot_update_transition_allowed(f, t) != want)
				fail_msg("%u -> %u", f, t);
		}
	assert_string_equal(prot_update_state_name(PROT_UPDATE_TRIAL), "trial");
	assert_string_equal(prot_update_state_name(42), "unknown");
}

/* ---- logged flows ---- */

static void test_log_update_accepted(void **state)
{
	(void)state;
	setup_dev(true);
	assert_int_equal(device_download(&e->d, 0, e->new_img, e->new_len, 500),
			 0);
	assert_int_equal(prot_update_install(&e->d.up), 0);
	assert_int_equal(device_reboot(&e->d), 0);
	assert_int_equal(prot_update_accept(&e->d.up), 0);
	assert_int_equal(prot_update_clean(&e->d.up, 0), 0);
	if (!PROT_LOG_ENABLED) {
		assert_int_equal(e->log.n, 0);
		return;
	}
	/* ready -> writing -> candidate -> staged (RAM); the reboot loads
	 * staged from the record; staged -> trial; trial -> updated ->
	 * ready */
	assert_int_equal(check_chain(PROT_UPDATE_READY), 6);
	assert_int_equal(count(PROT_LOG_INFO,
			       "update: component 0: staged -> trial"),
			 1);
	assert_int_equal(count(PROT_LOG_NOTICE, "update: install 1 committed"),
			 1);
	assert_int_equal(count(PROT_LOG_NOTICE,
			       "boot: component 0: trial boot 1 of bank 1"),
			 1);
	assert_int_equal(count(PROT_LOG_NOTICE,
			       "update: component 0: bank 1 accepted"),
			 1);
	assert_int_equal(count(PROT_LOG_NOTICE,
			       "update: component 0: SVN floor 3 -> 5"),
			 1);
	assert_int_equal(e->log.n, 10); /* and nothing else */
	teardown(NULL);

	/* log_level NOTICE: the transitions are not passed */
	setup_dev(true);
	e->d.cfg.log_level = PROT_LOG_NOTICE;
	assert_int_equal(device_reboot(&e->d), 0); /* the config is copied */
	assert_int_equal(device_download(&e->d, 0, e->new_img, e->new_len, 500),
			 0);
	assert_int_equal(prot_update_install(&e->d.up), 0);
	assert_int_equal(device_reboot(&e->d), 0);
	for (unsigned int i = 0; i < e->log.n; i++)
		assert_int_equal(e->log.e[i].level, PROT_LOG_NOTICE);
	if (PROT_LOG_ENABLED)
		assert_int_equal(e->log.n, 2);
	assert_int_equal(count(PROT_LOG_NOTICE,
			       "boot: component 0: trial boot 1 of bank 1"),
			 1);
	assert_int_equal(count(PROT_LOG_INFO,
			       "update: component 0: staged -> trial"),
			 0);
}

static void test_log_revert_and_recovery(void **state)
{
	(void)state;
	setup_dev(true);
	assert_int_equal(device_download(&e->d, 0, e->new_img, e->new_len, 500),
			 0);
	assert_int_equal(prot_update_install(&e->d.up), 0);
	assert_int_equal(device_reboot(&e->d), 0);
	assert_int_equal(prot_update_reject(&e->d.up), 0);
	assert_int_equal(device_reboot(&e->d), 0);
	if (PROT_LOG_ENABLED) {
		assert_int_equal(
			count(PROT_LOG_INFO,
			      "update: component 0: trial -> rejected"),
			1);
		assert_int_equal(count(PROT_LOG_INFO,
				       "update: component 0: rejected -> "
				       "failed"),
				 1);
	}
	/* a trial not accepted before the next boot is reverted */
	assert_int_equal(prot_update_clean(&e->d.up, 0), 0);
	e->log.n = 0;
	assert_int_equal(device_download(&e->d, 0, e->new_img, e->new_len, 500),
			 0);
	assert_int_equal(prot_update_install(&e->d.up), 0);
	assert_int_equal(device_reboot(&e->d), 0);
	assert_int_equal(device_reboot(&e->d), 0);
	assert_true(e->d.rep.comp[0].events & PROT_BOOT_EV_REVERTED);
	if (PROT_LOG_ENABLED) {
		assert_int_equal(count(PROT_LOG_WARNING,
				       "boot: component 0: trial not "
				       "accepted, reverted to bank 0"),
				 1);
		assert_int_equal(count(PROT_LOG_INFO,
				       "update: component 0: trial -> failed"),
				 1);
	}
	/* both banks corrupted: recovery mode */
	e->log.n = 0;
	e->d.mem[e->d.cfg.components[0].bank_offset[0] + 100] ^= 0x01;
	e->d.mem[e->d.cfg.components[0].bank_offset[1] + 100] ^= 0x01;
	assert_int_equal(device_reboot(&e->d), 0);
	assert_int_equal(e->d.rep.status, PROT_BOOT_RECOVERY);
	if (PROT_LOG_ENABLED) {
		assert_int_equal(count(PROT_LOG_WARNING,
				       "boot: component 0: no authentic image, "
				       "recovery mode"),
				 1);
		assert_int_equal(e->log.n, 1);
	} else {
		assert_int_equal(e->log.n, 0);
	}
}

static void test_log_restore(void **state)
{
	struct image_spec same = {0x100, 3, 0x01010000, 4000, 9, false};
	static uint8_t img[BANK];
	size_t n;

	(void)state;
	setup_dev(true);
	n = image_build(sg, &same, img, sizeof(img));
	assert_true(n > 0);
	assert_int_equal(device_download(&e->d, 0, img, n, 1000), 0);
	assert_int_equal(prot_update_install(&e->d.up), 0);
	assert_int_equal(device_reboot(&e->d), 0);
	assert_int_equal(prot_update_accept(&e->d.up), 0);
	assert_int_equal(device_reboot(&e->d), 0);
	e->log.n = 0;
	e->d.mem[e->d.cfg.components[0].bank_offset[1] + 700] ^= 0x01;
	assert_int_equal(device_reboot(&e->d), 0);
	assert_true(e->d.rep.comp[0].events & PROT_BOOT_EV_RESTORED);
	if (PROT_LOG_ENABLED) {
		assert_int_equal(
			count(PROT_LOG_WARNING,
			      "boot: component 0: bank 1 restored from bank 0"),
			1);
		assert_int_equal(e->log.n, 1);
	} else {
		assert_int_equal(e->log.n, 0);
	}
}

static void test_no_log_op(void **state)
{
	static const struct prot_log_ops empty = {0};

	(void)state;
	setup_dev(false);
	assert_int_equal(device_download(&e->d, 0, e->new_img, e->new_len, 500),
			 0);
	assert_int_equal(prot_update_install(&e->d.up), 0);
	assert_int_equal(device_reboot(&e->d), 0);
	assert_int_equal(prot_update_accept(&e->d.up), 0);
	assert_int_equal(e->log.n, 0);
	/* an ops table without a function: no call either */
	e->d.cfg.log_ops = &empty;
	e->d.cfg.log_ctx = &e->log;
	assert_int_equal(device_reboot(&e->d), 0);
	assert_int_equal(prot_update_clean(&e->d.up, 0), 0);
	assert_int_equal(e->log.n, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test_teardown(test_log_update_accepted, teardown),
		cmocka_unit_test_teardown(test_log_revert_and_recovery,
					  teardown),
		cmocka_unit_test_teardown(test_log_restore, teardown),
		cmocka_unit_test_teardown(test_no_log_op, teardown),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
