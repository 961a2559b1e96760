/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The update service under power cuts (prot/update.h on tests/prot's
 * flash and OTP simulators). Each flow (download + install + trial boot +
 * accept; download + install + reject; download + install + reboot
 * without accept; restore of a corrupted bank) runs clean once to count
 * its flash operations, then again with a cut at every one of them: before
 * it, after it, a torn program or half erase, an erase leaving garbage.
 * After each cut the device restarts, itself with a second cut at the
 * operations of that restart, and then:
 *   - prot_boot() reports an image that is byte for byte the old or the
 *     new one (never anything else, never nothing);
 *   - the metadata loads, and the OTP floor never exceeds what runs;
 *   - driving the update on from whatever state it is in completes.
 * The accept flow is also cut at every OTP program of the floor raise.
 * Geometries: erase blocks of 1, 2 and 4 KiB, program sizes 1 to 32,
 * erased value 0xFF and 0x00, new images of exactly the bank size; and
 * two components installed together, which must always both run their
 * old or both their new image.
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

#define MAX_BANK (16u * 1024u)
#define OLD_SVN 3u
#define NEW_SVN 5u

enum flow {
	FLOW_ACCEPT,
	FLOW_REJECT,
	FLOW_REVERT,
	FLOW_RECOVER,
};

static const char *const flow_name[] = {"accept", "reject", "revert",
					"recover"};

static struct signer *sg;
static unsigned long covered;

struct pc {
	struct device d;
	struct geometry g;
	enum flow flow;
	unsigned int n; /* components, updated together */
	uint8_t old_img[2][MAX_BANK];
	size_t old_len[2];
	uint8_t new_img[2][MAX_BANK];
	size_t new_len[2];
	uint8_t *base_mem; /* flash at the start of the flow */
	uint8_t *cut_mem;  /* flash right after the first cut */
	struct otp_sim base_otp, cut_otp;
	size_t size;
	uint32_t new_svn;
};

static struct pc *p;

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
	printf("update: %lu power-cut points covered (update, install, "
	       "trial, accept, reject, revert, restore, OTP floor raise; "
	       "second cut during the restart)\n",
	       covered);
	return 0;
}

static bool powered(void)
{
	return p->d.sim.powered && p->d.otp.powered;
}

static void power_on(void)
{
	flash_sim_power_restore(&p->d.sim);
	otp_sim_power_restore(&p->d.otp);
	flash_sim_arm(&p->d.sim, NULL);
	otp_sim_arm(&p->d.otp, -1, 0);
}

/* The state of the update: components of one install are STAGED, TRIAL
 * or REJECTED together; cleaning is per component, so READY, FAILED and
 * UPDATED may mix (the one still to clean is returned). */
static enum prot_update_state st(void)
{
	struct prot_update_info info;
	enum prot_update_state s[2];
	unsigned int i;
	bool pending = false;

	for (i = 0; i < p->n; i++) {
		assert_int_equal(prot_update_query(&p->d.up, i, &info), 0);
		s[i] = info.state;
		pending |= s[i] == PROT_UPDATE_STAGED ||
			   s[i] == PROT_UPDATE_TRIAL ||
			   s[i] == PROT_UPDATE_REJECTED;
	}
	for (i = 0; i < p->n; i++) {
		if (pending)
			assert_int_equal(s[i], s[0]);
		if (s[i] != PROT_UPDATE_READY)
			return s[i];
	}
	return PROT_UPDATE_READY;
}

static int clean_each(void)
{
	unsigned int i;
	int rc = 0;

	for (i = 0; i < p->n && !rc; i++) {
		struct prot_update_info info;

		assert_int_equal(prot_update_query(&p->d.up, i, &info), 0);
		if (info.state != PROT_UPDATE_READY)
			rc = prot_update_clean(&p->d.up, i);
	}
	return rc;
}

/* Every floor is OLD_SVN or NEW_SVN; returns true if one is NEW_SVN. */
static bool floor_raised(void)
{
	uint32_t floor;
	bool raised = false;
	unsigned int i;

	for (i = 0; i < p->n; i++) {
		assert_int_equal(prot_otp_svn_read(&p->d.otp.ops, i, &floor),
				 0);
		assert_true(floor == OLD_SVN || floor == p->new_svn);
		raised |= floor != OLD_SVN;
	}
	return raised;
}

static bool runs_old(void)
{
	unsigned int i;

	for (i = 0; i < p->n; i++)
		if (!device_runs(&p->d, i, p->old_img[i], p->old_len[i]))
			return false;
	return true;
}

static bool runs_new(void)
{
	unsigned int i;

	for (i = 0; i < p->n; i++)
		if (!device_runs(&p->d, i, p->new_img[i], p->new_len[i]))
			return false;
	return true;
}

/* Download every component's new image (start, writes, finish). */
static int download_all(size_t chunk)
{
	unsigned int i;
	int rc = 0;

	for (i = 0; i < p->n && !rc; i++)
		rc = device_download(&p->d, i, p->new_img[i], p->new_len[i],
				     chunk);
	return rc;
}

static void save(uint8_t *mem, struct otp_sim *otp)
{
	memcpy(mem, p->d.mem, p->size);
	*otp = p->d.otp;
}

static void load(const uint8_t *mem, const struct otp_sim *otp)
{
	memcpy(p->d.mem, mem, p->size);
	p->d.otp = *otp;
	p->d.otp.ops.ctx = &p->d.otp;
	power_on();
}

/* Set the device up at the start of @flow and keep a copy of it. */
static void setup(const struct geometry *g, enum flow flow, bool exact,
		  unsigned int n)
{
	unsigned int i;
	struct image_spec old = {0x100, OLD_SVN, 0x01000000, 3000, 1, false};
	struct image_spec nw = {0x100, NEW_SVN, 0x02000000, 5000, 2, false};

	p = calloc(1, sizeof(*p));
	assert_non_null(p);
	p->g = *g;
	p->flow = flow;
	if (exact)
		nw.payload_size = g->bank_size - PROT_IMAGE_PAYLOAD_OFFSET;
	if (flow == FLOW_RECOVER)
		nw.svn = OLD_SVN; /* the old image stays a recovery copy */
	p->new_svn = nw.svn;
	p->n = n;
	for (i = 0; i < n; i++) {
		old.component_id = nw.component_id = (uint16_t)(0x100u + i);
		old.seed = (uint8_t)(1u + 16u * i);
		nw.seed = (uint8_t)(2u + 16u * i);
		p->old_len[i] = image_build(sg, &old, p->old_img[i],
					    sizeof(p->old_img[i]));
		p->new_len[i] = image_build(sg, &nw, p->new_img[i],
					    sizeof(p->new_img[i]));
		assert_true(p->old_len[i] > 0 && p->new_len[i] > 0);
	}
	assert_int_equal(device_init(&p->d, sg, g, n, true), 0);
	p->size = p->d.sim.ops.size;
	p->base_mem = malloc(p->size);
	p->cut_mem = malloc(p->size);
	assert_non_null(p->base_mem);
	assert_non_null(p->cut_mem);
	for (i = 0; i < n; i++) {
		device_factory(&p->d, i, 0, p->old_img[i], p->old_len[i]);
		assert_int_equal(prot_otp_svn_raise(&p->d.otp.ops, i, OLD_SVN),
				 0);
	}
	assert_int_equal(device_reboot(&p->d), 0);
	assert_true(runs_old());
	if (flow == FLOW_RECOVER) {
		/* New image accepted, then its bank is damaged. */
		assert_int_equal(download_all(1024), 0);
		assert_int_equal(prot_update_install(&p->d.up), 0);
		assert_int_equal(device_reboot(&p->d), 0);
		assert_int_equal(prot_update_accept(&p->d.up), 0);
		assert_int_equal(prot_update_clean(&p->d.up, 0), 0);
		p->d.mem[p->d.cfg.components[0].bank_offset[1] + 1000] ^= 0x20;
	}
	save(p->base_mem, &p->base_otp);
}

static void teardown_pc(void)
{
	device_free(&p->d);
	free(p->base_mem);
	free(p->cut_mem);
	free(p);
	p = NULL;
}

/* One step of the flow; false when the power went. */
static bool step(int rc)
{
	if (rc == 0)
		return true;
	assert_false(powered());
	return false;
}

/* The flow from the start state; returns false at a cut. */
static bool run_flow(void)
{
	switch (p->flow) {
	case FLOW_ACCEPT:
		return step(download_all(333)) &&
		       step(prot_update_install(&p->d.up)) &&
		       step(device_reboot(&p->d)) &&
		       step(prot_update_accept(&p->d.up)) &&
		       step(clean_each()) && step(device_reboot(&p->d));
	case FLOW_REJECT:
		return step(download_all(333)) &&
		       step(prot_update_install(&p->d.up)) &&
		       step(device_reboot(&p->d)) &&
		       step(prot_update_reject(&p->d.up)) &&
		       step(device_reboot(&p->d)) && step(clean_each());
	case FLOW_REVERT:
		return step(download_all(333)) &&
		       step(prot_update_install(&p->d.up)) &&
		       step(device_reboot(&p->d)) &&
		       step(device_reboot(&p->d)) && step(clean_each());
	case FLOW_RECOVER:
		return step(device_reboot(&p->d));
	}
	return false;
}

/* After a restart: what the device runs and what its metadata says. */
static void check_invariants(void)
{
	struct prot_update_record rec;
	struct prot_meta m = p->d.up.meta;
	bool raised = floor_raised();

	assert_int_equal(p->d.rep.status, PROT_BOOT_OK);
	/* All components old, or all new: never a mix, never anything else. */
	assert_true(runs_old() || runs_new());
	assert_int_equal(prot_meta_load(&m, &rec, NULL), 0);
	assert_memory_equal(&rec, &p->d.up.rec, sizeof(rec));
	(void)st(); /* components in the same state */
	if (p->flow == FLOW_ACCEPT && raised)
		assert_true(runs_new());
	if (p->flow != FLOW_ACCEPT)
		assert_false(raised && p->new_svn != OLD_SVN);
	if (p->flow == FLOW_REJECT || p->flow == FLOW_REVERT) {
		/* Only the trial boot ever runs the new image. */
		if (runs_new())
			assert_int_equal(st(), PROT_UPDATE_TRIAL);
	}
	if (p->flow == FLOW_RECOVER)
		assert_true(runs_old());
}

/* Restart after the cut, until a boot completes. */
static void restart(void)
{
	int tries;

	for (tries = 0; tries < 4; tries++) {
		power_on();
		if (device_reboot(&p->d) == 0)
			return;
		assert_false(powered());
	}
	fail_msg("boot does not complete");
}

/* Drive the interrupted update on to its end and check the end. */
static void resume(void)
{
	int i;

	for (i = 0; i < 12; i++) {
		enum prot_update_state s = st();

		if (p->flow == FLOW_ACCEPT) {
			if (s == PROT_UPDATE_READY && runs_new())
				break;
			if (s == PROT_UPDATE_READY) {
				assert_int_equal(download_all(333), 0);
				assert_int_equal(prot_update_install(&p->d.up),
						 0);
				assert_int_equal(device_reboot(&p->d), 0);
			} else if (s == PROT_UPDATE_TRIAL) {
				assert_int_equal(prot_update_accept(&p->d.up),
						 0);
			} else if (s == PROT_UPDATE_STAGED ||
				   s == PROT_UPDATE_REJECTED) {
				assert_int_equal(device_reboot(&p->d), 0);
			} else {
				assert_int_equal(clean_each(), 0);
			}
			continue;
		}
		if (s == PROT_UPDATE_READY && runs_old())
			break;
		if (s == PROT_UPDATE_STAGED || s == PROT_UPDATE_TRIAL)
			assert_int_equal(prot_update_reject(&p->d.up), 0);
		else if (s == PROT_UPDATE_REJECTED)
			assert_int_equal(device_reboot(&p->d), 0);
		else
			assert_int_equal(clean_each(), 0);
	}
	assert_int_equal(st(), PROT_UPDATE_READY);
	if (p->flow == FLOW_ACCEPT) {
		unsigned int c;

		assert_true(runs_new());
		for (c = 0; c < p->n; c++) {
			uint32_t floor;

			assert_int_equal(
				prot_otp_svn_read(&p->d.otp.ops, c, &floor), 0);
			assert_int_equal(floor, NEW_SVN);
		}
	} else {
		assert_true(runs_old());
	}
	/* And one more restart changes nothing. */
	assert_int_equal(device_reboot(&p->d), 0);
	assert_true(p->flow == FLOW_ACCEPT ? runs_new() : runs_old());
	assert_int_equal(p->d.sim.violations, 0);
}

/* Back to the start of the flow (for the restore flow, the boot itself
 * is the flow). */
static void prepare(void)
{
	load(p->base_mem, &p->base_otp);
	if (p->flow != FLOW_RECOVER)
		assert_int_equal(device_reboot(&p->d), 0);
	flash_sim_reset_count(&p->d.sim);
}

static uint32_t count_flow(void)
{
	prepare();
	assert_true(run_flow());
	return p->d.sim.ops_done;
}

static struct flash_sim_fault fault_kind(unsigned int k, uint32_t at)
{
	struct flash_sim_fault f = {0};

	f.at_op = at;
	switch (k) {
	case 0:
		f.kind = FLASH_SIM_CUT_BEFORE;
		break;
	case 1:
		f.kind = FLASH_SIM_CUT_AFTER;
		break;
	case 2: /* torn program: 3 bytes and some bits of the 4th */
		f.kind = FLASH_SIM_TORN;
		f.keep = 3;
		f.partial = 0x5a;
		break;
	default: /* half erase, the other half garbage */
		f.kind = FLASH_SIM_TORN;
		f.keep = p->g.erase_size / 2;
		f.garbage = true;
		break;
	}
	return f;
}

#define KINDS 4u

/* The first cut at @at of kind @k, then a second cut at every operation
 * of the restart that follows it. */
static void cut_once(uint32_t at, unsigned int k)
{
	struct flash_sim_fault f = fault_kind(k, at);
	uint32_t m, j;

	prepare();
	flash_sim_arm(&p->d.sim, &f);
	if (run_flow())
		fail_msg("%s: no cut at op %u", flow_name[p->flow],
			 (unsigned int)at);
	covered++;
	/* The restart, clean, to count its operations. */
	power_on();
	save(p->cut_mem, &p->cut_otp);
	flash_sim_reset_count(&p->d.sim);
	restart();
	m = p->d.sim.ops_done;
	check_invariants();
	resume();
	for (j = 0; j < m; j++) {
		struct flash_sim_fault f2;

		f2 = fault_kind((k + j) % KINDS, j);
		load(p->cut_mem, &p->cut_otp);
		flash_sim_reset_count(&p->d.sim);
		flash_sim_arm(&p->d.sim, &f2);
		assert_int_not_equal(device_reboot(&p->d), 0);
		covered++;
		restart();
		check_invariants();
		resume();
	}
}

/* Cuts at every OTP program of the accept (floor raise). */
static void otp_cuts(void)
{
	uint32_t base, n, k, keep;

	load(p->base_mem, &p->base_otp);
	assert_int_equal(device_reboot(&p->d), 0);
	base = p->d.otp.programs;
	assert_true(run_flow());
	n = p->d.otp.programs - base;
	assert_true(n > 0);
	for (k = 0; k < n; k++) {
		for (keep = 0; keep < 2; keep++) {
			load(p->base_mem, &p->base_otp);
			assert_int_equal(device_reboot(&p->d), 0);
			otp_sim_arm(&p->d.otp, (int32_t)(p->d.otp.programs + k),
				    keep);
			assert_false(run_flow());
			covered++;
			restart();
			check_invariants();
			resume();
		}
	}
}

static void run_geometry(const struct geometry *g, bool exact,
			 unsigned int comps)
{
	enum flow f;

	for (f = FLOW_ACCEPT; f <= FLOW_RECOVER; f++) {
		uint32_t n, at;
		unsigned int k;

		if (f == FLOW_RECOVER && comps > 1)
			break; /* one corrupted component: see test-update */
		setup(g, f, exact, comps);
		n = count_flow();
		assert_true(n > 0);
		for (at = 0; at < n; at++)
			for (k = 0; k < KINDS; k++)
				cut_once(at, k);
		if (f == FLOW_ACCEPT)
			otp_cuts();
		teardown_pc();
	}
}

static void test_erase1k_prog1_ff_exact(void **state)
{
	const struct geometry g = {1024, 1, 0xff, 8 * 1024};

	(void)state;
	run_geometry(&g, true, 1);
}

static void test_erase4k_prog32_00(void **state)
{
	const struct geometry g = {4096, 32, 0x00, 8 * 1024};

	(void)state;
	run_geometry(&g, false, 1);
}

static void test_erase1k_prog8_00_exact(void **state)
{
	const struct geometry g = {1024, 8, 0x00, 4 * 1024};

	(void)state;
	run_geometry(&g, true, 1);
}

static void test_erase2k_prog4_ff(void **state)
{
	const struct geometry g = {2048, 4, 0xff, 8 * 1024};

	(void)state;
	run_geometry(&g, false, 1);
}

static void test_erase4k_prog16_ff_exact(void **state)
{
	const struct geometry g = {4096, 16, 0xff, 16 * 1024};

	(void)state;
	run_geometry(&g, true, 1);
}

/* Two components installed, tried, accepted or reverted together. */
static void test_two_components_erase2k_prog2_00(void **state)
{
	const struct geometry g = {2048, 2, 0x00, 8 * 1024};

	(void)state;
	run_geometry(&g, false, 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_erase1k_prog1_ff_exact),
		cmocka_unit_test(test_erase4k_prog32_00),
		cmocka_unit_test(test_erase1k_prog8_00_exact),
		cmocka_unit_test(test_erase2k_prog4_ff),
		cmocka_unit_test(test_erase4k_prog16_ff_exact),
		cmocka_unit_test(test_two_components_erase2k_prog2_00),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
