/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A/B metadata store (prot/meta.h) on the flash simulator.
 *
 * Golden bytes of a copy, worked out by hand from docs/metadata-format.md
 * (CRC values from an independent CRC-32); refusals and reports; then the
 * power-cut sweep: for every geometry, from three starting states (fresh,
 * one copy, two copies), a commit is run clean to count its operations and
 * then once per cut point (cut before, cut after, torn program with and
 * without a partial byte, half erase with and without garbage); after each,
 * load() must give exactly the old or the new record, and a recovery commit
 * is itself cut at each of its cut points, after which load() must give
 * what it gave before or the recovery record, and one more commit must
 * work. The number of cut points covered is printed.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "flash-sim.h"
#include "prot/meta.h"

#define MAX_BLOCK 65536u
#define MAX_FLASH (6u * MAX_BLOCK)
#define REC 37u

static uint8_t mem[MAX_FLASH];
static uint8_t snap1[4u * MAX_BLOCK];
static uint8_t snap2[4u * MAX_BLOCK];

static void fill(uint8_t *rec, size_t len, unsigned int tag)
{
	size_t i;

	for (i = 0; i < len; i++)
		rec[i] = (uint8_t)(tag * 31u + i * 7u + 1u);
}

struct rig {
	struct flash_sim sim;
	struct prot_meta_config cfg;
	struct prot_meta meta;
};

/* Flash: [guard][copy 0][copy 1][guard], copies of @blocks erase blocks. */
static void rig_init(struct rig *r, uint32_t bs, uint32_t p, uint8_t erased,
		     uint32_t blocks, uint32_t rec)
{
	uint32_t size = (2u + 2u * blocks) * bs;

	assert_true(size <= MAX_FLASH);
	assert_int_equal(flash_sim_init(&r->sim, mem, size, bs, p, erased), 0);
	/* Guards hold a pattern the store must never touch. */
	memset(mem, 0x5c, bs);
	memset(mem + size - bs, 0x3a, bs);
	r->cfg.flash = &r->sim.ops;
	r->cfg.offset = bs;
	r->cfg.copy_size = blocks * bs;
	r->cfg.record_size = rec;
	assert_int_equal(prot_meta_init(&r->meta, &r->cfg), 0);
}

static void check_guards(const struct rig *r)
{
	uint32_t bs = r->sim.ops.erase_size, size = r->sim.ops.size, i;

	for (i = 0; i < bs; i++) {
		assert_int_equal(mem[i], 0x5c);
		assert_int_equal(mem[size - bs + i], 0x3a);
	}
}

/* A reboot: a new store instance on the same flash. */
static void reboot(struct rig *r)
{
	flash_sim_power_restore(&r->sim);
	flash_sim_reset_count(&r->sim);
	assert_int_equal(prot_meta_init(&r->meta, &r->cfg), 0);
}

/* Load and say which tag the record has (0: -ENOENT). Fails otherwise. */
static unsigned int load_tag(struct rig *r, unsigned int a, unsigned int b)
{
	uint8_t got[REC], want[REC];
	struct prot_meta_status st;
	int rc;

	rc = prot_meta_load(&r->meta, got, &st);
	if (rc == -ENOENT) {
		assert_int_equal(st.current, -1);
		if (a != 0 && b != 0)
			fail_msg("load: -ENOENT, want record %u or %u", a, b);
		return 0;
	}
	if (rc)
		fail_msg("load: %d, want record %u or %u", rc, a, b);
	assert_true(st.current == 0 || st.current == 1);
	assert_int_equal(st.copy[st.current], PROT_META_COPY_VALID);
	if (a) {
		fill(want, REC, a);
		if (!memcmp(got, want, REC))
			return a;
	}
	if (b) {
		fill(want, REC, b);
		if (!memcmp(got, want, REC))
			return b;
	}
	fail_msg("load: a record that is neither %u nor %u", a, b);
	return 0;
}

static int commit_tag(struct rig *r, unsigned int tag)
{
	uint8_t rec[REC];

	fill(rec, REC, tag);
	return prot_meta_commit(&r->meta, rec);
}

/* ---- golden bytes ---------------------------------------------------- */

static void test_golden_p1(void **state)
{
	static const uint8_t want[] = {
		0x50, 0x4d, 0x45, 0x54, 0x01, 0x00, 0x05, 0x00, /* */
		0x01, 0x00, 0x00, 0x00, 0xea, 0x1c, 0x7f, 0x34, /* */
		0x10, 0x11, 0x12, 0x13, 0x14,                   /* */
		0xa5, 0xa5, 0xa5, 0xa5, 0xff,
	};
	const uint8_t rec[5] = {0x10, 0x11, 0x12, 0x13, 0x14};
	uint8_t got[5];
	struct rig r;

	(void)state;
	rig_init(&r, 4096, 1, 0xff, 1, 5);
	assert_int_equal(prot_meta_copy_bytes(5, 1), 25);
	assert_int_equal(prot_meta_load(&r.meta, got, NULL), -ENOENT);
	assert_int_equal(prot_meta_commit(&r.meta, rec), 0);
	assert_memory_equal(mem + 4096, want, sizeof(want));
	/* Copy 1 untouched by the first commit. */
	assert_int_equal(mem[8192], 0xff);
	assert_int_equal(prot_meta_load(&r.meta, got, NULL), 0);
	assert_memory_equal(got, rec, 5);
}

static void test_golden_p32_erased00(void **state)
{
	const uint8_t rec[5] = {0x10, 0x11, 0x12, 0x13, 0x14};
	static const uint8_t hdr[16] = {
		0x50, 0x4d, 0x45, 0x54, 0x01, 0x00, 0x05, 0x00,
		0x07, 0x00, 0x00, 0x00, 0x60, 0x65, 0x65, 0x47,
	};
	uint8_t erased[32], marker[32], got[5];
	uint8_t *copy1 = mem + 2 * 4096;
	struct rig r;
	int i;

	(void)state;
	memset(erased, 0, sizeof(erased));
	memset(marker, 0xa5, sizeof(marker));
	rig_init(&r, 4096, 32, 0x00, 1, 5);
	assert_int_equal(prot_meta_copy_bytes(5, 32), 96);
	/* Six commits: seq 1..6, copies 0,1,0,1,0,1; the seventh (seq 7)
	 * lands in copy 0, the eighth in copy 1. */
	for (i = 0; i < 6; i++)
		assert_int_equal(prot_meta_commit(&r.meta, rec), 0);
	assert_int_equal(mem[4096 + 8], 5);
	assert_int_equal(copy1[8], 6);
	assert_int_equal(prot_meta_commit(&r.meta, rec), 0);
	assert_memory_equal(mem + 4096, hdr, 16);
	/* Header padded to 32 with the erased value, record at 32, padded,
	 * marker at 64, 32 bytes. */
	assert_memory_equal(mem + 4096 + 16, erased, 16);
	assert_memory_equal(mem + 4096 + 32, rec, 5);
	assert_memory_equal(mem + 4096 + 37, erased, 27);
	assert_memory_equal(mem + 4096 + 64, marker, 32);
	assert_memory_equal(mem + 4096 + 96, erased, 32);
	reboot(&r);
	assert_int_equal(prot_meta_load(&r.meta, got, NULL), 0);
	assert_int_equal(prot_meta_commit(&r.meta, rec), 0);
	assert_int_equal(copy1[8], 8);
}

/* Write copy @idx by hand for a 5-byte record (P = 1, erased 0xff). */
static uint32_t crc32_bitwise(const uint8_t *p, size_t len)
{
	uint32_t crc = 0xffffffffu;
	int k;

	while (len--) {
		crc ^= *p++;
		for (k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1u)));
	}
	return ~crc;
}

static void put_copy(uint8_t *copy, uint32_t seq, const uint8_t *rec)
{
	uint8_t buf[17];
	uint32_t crc;

	memset(copy, 0xff, 4096);
	copy[0] = 0x50;
	copy[1] = 0x4d;
	copy[2] = 0x45;
	copy[3] = 0x54;
	copy[4] = 1;
	copy[5] = 0;
	copy[6] = 5;
	copy[7] = 0;
	copy[8] = (uint8_t)seq;
	copy[9] = (uint8_t)(seq >> 8);
	copy[10] = (uint8_t)(seq >> 16);
	copy[11] = (uint8_t)(seq >> 24);
	memcpy(copy + 16, rec, 5);
	memcpy(buf, copy, 12);
	memcpy(buf + 12, rec, 5);
	crc = crc32_bitwise(buf, 17);
	copy[12] = (uint8_t)crc;
	copy[13] = (uint8_t)(crc >> 8);
	copy[14] = (uint8_t)(crc >> 16);
	copy[15] = (uint8_t)(crc >> 24);
	memset(copy + 21, 0xa5, 4);
}

static void test_sequence_wrap(void **state)
{
	const uint8_t a[5] = {1, 2, 3, 4, 5}, b[5] = {6, 7, 8, 9, 10};
	const uint8_t c[5] = {11, 12, 13, 14, 15};
	struct prot_meta_status st;
	uint8_t got[5];
	struct rig r;

	(void)state;
	rig_init(&r, 4096, 1, 0xff, 1, 5);
	/* 0xffffffff then 0: the copy holding 0 is the newer. */
	put_copy(mem + 4096, 0xffffffffu, a);
	put_copy(mem + 8192, 0, b);
	assert_int_equal(prot_meta_load(&r.meta, got, &st), 0);
	assert_memory_equal(got, b, 5);
	assert_int_equal(st.current, 1);
	assert_int_equal(st.seq[0], 0xffffffffu);
	assert_int_equal(st.seq[1], 0);
	/* The next commit replaces the older copy with sequence 1. */
	assert_int_equal(prot_meta_commit(&r.meta, c), 0);
	assert_int_equal(mem[4096 + 8], 1);
	assert_int_equal(mem[4096 + 11], 0);
	reboot(&r);
	assert_int_equal(prot_meta_load(&r.meta, got, &st), 0);
	assert_memory_equal(got, c, 5);
	assert_int_equal(st.current, 0);

	/* The other way round: 0x7fffffff then 0x80000000. */
	put_copy(mem + 4096, 0x80000000u, a);
	put_copy(mem + 8192, 0x7fffffffu, b);
	assert_int_equal(prot_meta_load(&r.meta, got, &st), 0);
	assert_memory_equal(got, a, 5);
}

/* ---- refusals and reports ------------------------------------------- */

static void test_init_refusals(void **state)
{
	struct rig r;
	struct prot_meta m;
	struct prot_meta_config c;
	uint8_t rec[4] = {0};

	(void)state;
	rig_init(&r, 4096, 8, 0xff, 1, REC);
	c = r.cfg;
	assert_int_equal(prot_meta_init(NULL, &c), -EINVAL);
	assert_int_equal(prot_meta_init(&m, NULL), -EINVAL);
	c.offset = 100;
	assert_int_equal(prot_meta_init(&m, &c), -EINVAL);
	c = r.cfg;
	c.copy_size = 0;
	assert_int_equal(prot_meta_init(&m, &c), -EINVAL);
	c.copy_size = 6000;
	assert_int_equal(prot_meta_init(&m, &c), -EINVAL);
	c = r.cfg;
	c.offset = 3 * 4096; /* copy 1 would run past the end */
	assert_int_equal(prot_meta_init(&m, &c), -EINVAL);
	c.offset = 5 * 4096;
	assert_int_equal(prot_meta_init(&m, &c), -EINVAL);
	c = r.cfg;
	c.record_size = 0;
	assert_int_equal(prot_meta_init(&m, &c), -EINVAL);
	c.record_size = 0x10000;
	assert_int_equal(prot_meta_init(&m, &c), -EINVAL);
	c.record_size = 4096 - 16 - 8 + 1;
	assert_int_equal(prot_meta_init(&m, &c), -EMSGSIZE);
	c.record_size = 4096 - 16 - 8;
	assert_int_equal(prot_meta_init(&m, &c), 0);
	c = r.cfg;
	r.sim.ops.erased_value = 0x7f;
	assert_int_equal(prot_meta_init(&m, &c), -EINVAL);
	r.sim.ops.erased_value = 0xff;
	assert_int_equal(prot_meta_load(&r.meta, NULL, NULL), -EINVAL);
	assert_int_equal(prot_meta_commit(&r.meta, NULL), -EINVAL);
	assert_int_equal(prot_meta_commit(NULL, rec), -EINVAL);
	assert_int_equal(prot_meta_copy_bytes(5, 3), 0);
	assert_int_equal(prot_meta_copy_bytes(0, 4), 0);
	assert_int_equal(prot_meta_copy_bytes(5, 64), 0);
}

static void test_fresh_and_blank_reports(void **state)
{
	uint8_t got[REC];
	struct prot_meta_status st;
	struct rig r;

	(void)state;
	rig_init(&r, 4096, 4, 0x00, 1, REC);
	memset(got, 0x77, sizeof(got));
	assert_int_equal(prot_meta_load(&r.meta, got, &st), -ENOENT);
	assert_int_equal(st.copy[0], PROT_META_COPY_BLANK);
	assert_int_equal(st.copy[1], PROT_META_COPY_BLANK);
	assert_int_equal(st.current, -1);
	assert_int_equal(got[0], 0);
	/* All-ones on a 0x00-erased part is not blank and holds no marker:
	 * torn, still no record. */
	memset(mem + 4096, 0xff, 2 * 4096);
	assert_int_equal(prot_meta_load(&r.meta, got, &st), -ENOENT);
	assert_int_equal(st.copy[0], PROT_META_COPY_TORN);
	assert_int_equal(st.copy[1], PROT_META_COPY_TORN);
	/* A commit over it works (the copy is erased first). */
	assert_int_equal(commit_tag(&r, 3), 0);
	assert_int_equal(load_tag(&r, 3, 0), 3);
	assert_int_equal(r.sim.violations, 0);
}

static void test_corruption(void **state)
{
	uint8_t got[REC];
	struct prot_meta_status st;
	struct rig r;
	uint32_t rec0 = 4096 + 16, rec1 = 8192 + 16;

	(void)state;
	rig_init(&r, 4096, 1, 0xff, 1, REC);
	assert_int_equal(commit_tag(&r, 1), 0); /* copy 0, seq 1 */
	assert_int_equal(commit_tag(&r, 2), 0); /* copy 1, seq 2 */
	assert_int_equal(prot_meta_load(&r.meta, got, &st), 0);
	assert_int_equal(st.copy[0], PROT_META_COPY_VALID);
	assert_int_equal(st.copy[1], PROT_META_COPY_VALID);
	assert_int_equal(st.seq[0], 1);
	assert_int_equal(st.seq[1], 2);
	assert_int_equal(st.current, 1);

	/* One bit of the newest record flips: the older copy is used. */
	mem[rec1 + 10] ^= 0x04;
	assert_int_equal(load_tag(&r, 1, 0), 1);
	assert_int_equal(prot_meta_load(&r.meta, got, &st), 0);
	assert_int_equal(st.copy[1], PROT_META_COPY_CORRUPT);
	assert_int_equal(st.current, 0);

	/* Both damaged: -EBADMSG, not -ENOENT, and no record. */
	mem[rec0] ^= 0x80;
	memset(got, 0x55, sizeof(got));
	assert_int_equal(prot_meta_load(&r.meta, got, &st), -EBADMSG);
	assert_int_equal(st.copy[0], PROT_META_COPY_CORRUPT);
	assert_int_equal(st.current, -1);
	assert_int_equal(got[3], 0);
	/* The caller may start over. */
	assert_int_equal(commit_tag(&r, 4), 0);
	assert_int_equal(load_tag(&r, 4, 0), 4);

	/* Header damage (sequence field) and a wrong magic are caught. */
	mem[8192 + 9] ^= 0x01;
	assert_int_equal(load_tag(&r, 4, 0), 4);
	assert_int_equal(prot_meta_load(&r.meta, got, &st), 0);
	assert_int_equal(st.copy[1], PROT_META_COPY_CORRUPT);
}

static void test_record_size_change(void **state)
{
	uint8_t got[REC];
	struct prot_meta_status st;
	struct rig r;

	(void)state;
	rig_init(&r, 4096, 2, 0xff, 1, REC);
	assert_int_equal(commit_tag(&r, 1), 0);
	assert_int_equal(commit_tag(&r, 2), 0);
	/* Same region read with another record size: the length field and
	 * the marker position disagree, so nothing is taken for valid. */
	r.cfg.record_size = REC - 1;
	assert_int_equal(prot_meta_init(&r.meta, &r.cfg), 0);
	assert_true(prot_meta_load(&r.meta, got, &st) < 0);
	assert_int_equal(st.current, -1);
	assert_true(st.copy[0] != PROT_META_COPY_VALID);
	assert_true(st.copy[1] != PROT_META_COPY_VALID);
}

static void test_repair_and_alternation(void **state)
{
	uint8_t got[REC];
	struct prot_meta_status st;
	struct flash_sim_fault f = {.kind = FLASH_SIM_TORN, .keep = 0};
	struct rig r;

	(void)state;
	rig_init(&r, 4096, 4, 0xff, 1, REC);
	assert_int_equal(commit_tag(&r, 1), 0);
	assert_int_equal(commit_tag(&r, 2), 0);
	/* Cut the marker of the third commit (op 4: erase, header,
	 * record, tail, marker). */
	flash_sim_reset_count(&r.sim);
	f.at_op = 4;
	f.partial = 0x0f;
	flash_sim_arm(&r.sim, &f);
	assert_int_equal(commit_tag(&r, 3), FLASH_SIM_EPOWER);
	assert_int_equal(r.sim.log[4].op, FLASH_SIM_OP_PROGRAM);
	reboot(&r);
	assert_int_equal(prot_meta_load(&r.meta, got, &st), 0);
	assert_int_equal(st.copy[0], PROT_META_COPY_TORN);
	assert_int_equal(st.current, 1);
	/* Repair: commit what was loaded; both copies valid again. */
	assert_int_equal(prot_meta_commit(&r.meta, got), 0);
	assert_int_equal(prot_meta_load(&r.meta, got, &st), 0);
	assert_int_equal(st.copy[0], PROT_META_COPY_VALID);
	assert_int_equal(st.copy[1], PROT_META_COPY_VALID);
	assert_int_equal(st.seq[0], 3);
	assert_int_equal(st.seq[1], 2);
	assert_int_equal(load_tag(&r, 2, 0), 2);
	assert_int_equal(r.sim.violations, 0);
}

static void test_commit_failure_rescans(void **state)
{
	struct flash_sim_fault f = {.kind = FLASH_SIM_CUT_AFTER};
	struct rig r;

	(void)state;
	rig_init(&r, 4096, 8, 0xff, 1, REC);
	assert_int_equal(commit_tag(&r, 1), 0);
	assert_int_equal(commit_tag(&r, 2), 0);
	/* The marker of commit 3 lands but the call fails; without a
	 * reboot, commit 4 must not overwrite the copy holding 3. */
	flash_sim_reset_count(&r.sim);
	f.at_op = 4;
	flash_sim_arm(&r.sim, &f);
	assert_int_equal(commit_tag(&r, 3), FLASH_SIM_EPOWER);
	flash_sim_power_restore(&r.sim);
	flash_sim_reset_count(&r.sim);
	f.kind = FLASH_SIM_CUT_BEFORE;
	f.at_op = 0;
	flash_sim_arm(&r.sim, &f);
	assert_int_equal(commit_tag(&r, 4), FLASH_SIM_EPOWER);
	/* The erase of commit 4 hit copy 1 (holding 2), not copy 0. */
	assert_int_equal(r.sim.log[0].addr, 8192);
	reboot(&r);
	assert_int_equal(load_tag(&r, 3, 0), 3);
}

/* A read op that changes the record on its second reading (the one that
 * fills the caller's buffer in one go: len == REC). */
struct flaky {
	struct flash_sim *sim;
	struct prot_flash_ops ops;
};

static int flaky_read(void *ctx, uint32_t addr, void *buf, size_t len)
{
	struct flaky *fl = ctx;
	int rc = fl->sim->ops.read(fl->sim, addr, buf, len);

	if (!rc && len == REC)
		((uint8_t *)buf)[3] ^= 0x20;
	return rc;
}

static void test_read_errors(void **state)
{
	struct prot_meta_status st;
	struct prot_meta_config c;
	struct prot_meta m;
	struct flaky fl;
	uint8_t got[REC];
	struct rig r;

	(void)state;
	rig_init(&r, 4096, 4, 0xff, 1, REC);
	assert_int_equal(commit_tag(&r, 1), 0);
	/* The flash fails: its error comes back, no record. */
	r.sim.powered = false;
	assert_int_equal(prot_meta_load(&r.meta, got, &st), FLASH_SIM_EPOWER);
	assert_int_equal(commit_tag(&r, 2), FLASH_SIM_EPOWER);
	r.sim.powered = true;
	assert_int_equal(load_tag(&r, 1, 0), 1);

	/* The copy reads differently the second time: -EIO, no record. */
	fl.sim = &r.sim;
	fl.ops = r.sim.ops;
	fl.ops.ctx = &fl;
	fl.ops.read = flaky_read;
	c = r.cfg;
	c.flash = &fl.ops;
	assert_int_equal(prot_meta_init(&m, &c), 0);
	memset(got, 0x55, sizeof(got));
	assert_int_equal(prot_meta_load(&m, got, &st), -EIO);
	assert_int_equal(st.current, -1);
	assert_int_equal(got[0], 0);

	/* A missing op is refused up front. */
	fl.ops.read = NULL;
	assert_int_equal(prot_flash_check(&fl.ops), -EINVAL);
	assert_int_equal(prot_meta_init(&m, &c), -EINVAL);
}

/* ---- the power-cut sweep -------------------------------------------- */

struct geometry {
	uint32_t bs, p, blocks;
	uint8_t erased;
};

struct sweep {
	struct rig r;
	uint32_t region, rlen;
	unsigned long single, second;
};

static void save(struct sweep *s, uint8_t *snap)
{
	memcpy(snap, mem + s->region, s->rlen);
}

static void restore(struct sweep *s, const uint8_t *snap)
{
	memcpy(mem + s->region, snap, s->rlen);
	flash_sim_arm(&s->r.sim, NULL);
	reboot(&s->r);
}

/* The fault variants for operation @n of a clean run (@op, @len). */
static unsigned int variants(uint32_t n, uint8_t op, uint32_t len,
			     struct flash_sim_fault *v)
{
	unsigned int i, k = 0;

	memset(v, 0, 7 * sizeof(*v));
	v[k++].kind = FLASH_SIM_CUT_BEFORE;
	v[k++].kind = FLASH_SIM_CUT_AFTER;
	if (op == FLASH_SIM_OP_PROGRAM) {
		v[k].kind = FLASH_SIM_TORN;
		v[k++].partial = 0x3c; /* nothing whole, part of byte 0 */
		v[k].kind = FLASH_SIM_TORN;
		v[k++].keep = len / 2;
		if (len > 1) {
			v[k].kind = FLASH_SIM_TORN;
			v[k].keep = len - 1;
			v[k++].partial = 0xc3;
		}
	} else {
		/* Erased from the start: header gone, marker left. */
		v[k].kind = FLASH_SIM_TORN;
		v[k++].keep = 16;
		v[k].kind = FLASH_SIM_TORN;
		v[k].keep = len / 2;
		v[k++].garbage = true;
		v[k].kind = FLASH_SIM_TORN;
		v[k].keep = 0;
		v[k++].garbage = true;
		/* Uneven: a few record bytes erased, header and marker
		 * intact (only the CRC sees it). */
		v[k].kind = FLASH_SIM_TORN;
		v[k].from = 40;
		v[k++].keep = 44;
		/* Uneven, over the sequence number: the old copy would
		 * look newer but for the CRC. */
		v[k].kind = FLASH_SIM_TORN;
		v[k].from = 8;
		v[k++].keep = 10;
	}
	for (i = 0; i < k; i++)
		v[i].at_op = n;
	return k;
}

/* Whether @f, in a commit of @ops operations, let the marker land. */
static bool done(uint32_t ops, const struct flash_sim_fault *f)
{
	return f->at_op == ops - 1 && f->kind == FLASH_SIM_CUT_AFTER;
}

static void second_cut(struct sweep *s, unsigned int before, unsigned int tag)
{
	struct flash_sim_fault v[7];
	struct flash_sim_log_entry log[FLASH_SIM_LOG];
	uint32_t ops, n;
	unsigned int k, i, got;

	/* Clean run of the recovery commit from the state in snap2. */
	restore(s, snap2);
	assert_int_equal(load_tag(&s->r, before, before), before);
	flash_sim_reset_count(&s->r.sim);
	assert_int_equal(commit_tag(&s->r, tag), 0);
	ops = s->r.sim.ops_done;
	assert_true(ops <= FLASH_SIM_LOG);
	memcpy(log, s->r.sim.log, sizeof(log));
	for (n = 0; n < ops; n++) {
		k = variants(n, log[n].op, log[n].len, v);
		for (i = 0; i < k; i++) {
			restore(s, snap2);
			assert_int_equal(load_tag(&s->r, before, before),
					 before);
			flash_sim_reset_count(&s->r.sim);
			flash_sim_arm(&s->r.sim, &v[i]);
			assert_int_equal(commit_tag(&s->r, tag),
					 FLASH_SIM_EPOWER);
			reboot(&s->r);
			got = load_tag(&s->r, before, tag);
			/* Exactly: new only once the marker is complete. */
			assert_int_equal(got, done(ops, &v[i]) ? tag : before);
			assert_int_equal(commit_tag(&s->r, tag + 1), 0);
			assert_int_equal(load_tag(&s->r, tag + 1, tag + 1),
					 tag + 1);
			assert_int_equal(s->r.sim.violations, 0);
			s->second++;
		}
	}
}

static void sweep_from(struct sweep *s, unsigned int old, unsigned int tag)
{
	struct flash_sim_fault v[7];
	struct flash_sim_log_entry log[FLASH_SIM_LOG];
	uint32_t ops, n;
	unsigned int k, i, got;

	/* snap1 holds the starting state, whose record is @old. */
	restore(s, snap1);
	assert_int_equal(load_tag(&s->r, old, old), old);
	flash_sim_reset_count(&s->r.sim);
	assert_int_equal(commit_tag(&s->r, tag), 0);
	ops = s->r.sim.ops_done;
	assert_true(ops <= FLASH_SIM_LOG);
	memcpy(log, s->r.sim.log, sizeof(log));
	for (n = 0; n < ops; n++) {
		k = variants(n, log[n].op, log[n].len, v);
		for (i = 0; i < k; i++) {
			restore(s, snap1);
			assert_int_equal(load_tag(&s->r, old, old), old);
			flash_sim_reset_count(&s->r.sim);
			flash_sim_arm(&s->r.sim, &v[i]);
			assert_int_equal(commit_tag(&s->r, tag),
					 FLASH_SIM_EPOWER);
			reboot(&s->r);
			got = load_tag(&s->r, old, tag);
			assert_int_equal(got, done(ops, &v[i]) ? tag : old);
			assert_int_equal(s->r.sim.violations, 0);
			s->single++;
			/* Recovery commit, itself cut everywhere. */
			save(s, snap2);
			second_cut(s, got, tag + 1);
		}
	}
}

static void sweep_geometry(struct sweep *s, const struct geometry *g)
{
	uint32_t bs = g->bs;

	rig_init(&s->r, bs, g->p, g->erased, g->blocks, REC);
	s->region = bs;
	s->rlen = 2 * g->blocks * bs;

	/* Fresh device: old is "no record". */
	save(s, snap1);
	sweep_from(s, 0, 10);
	/* One copy valid. */
	restore(s, snap1);
	assert_int_equal(commit_tag(&s->r, 20), 0);
	save(s, snap1);
	sweep_from(s, 20, 30);
	/* Both copies valid. */
	restore(s, snap1);
	assert_int_equal(commit_tag(&s->r, 40), 0);
	save(s, snap1);
	sweep_from(s, 40, 50);
	check_guards(&s->r);
}

static void test_power_cut_sweep(void **state)
{
	static const uint32_t ps[] = {1, 2, 4, 8, 16, 32};
	static const uint32_t bss[] = {4096, 65536};
	static const uint8_t erased[] = {0xff, 0x00};
	static struct sweep s;
	struct geometry g;
	unsigned int geos = 0, b, p, e;

	(void)state;
	memset(&s, 0, sizeof(s));
	for (b = 0; b < 2; b++) {
		for (p = 0; p < 6; p++) {
			for (e = 0; e < 2; e++) {
				g.bs = bss[b];
				g.p = ps[p];
				g.erased = erased[e];
				g.blocks = 1;
				sweep_geometry(&s, &g);
				geos++;
			}
		}
	}
	/* Copies of two erase blocks each. */
	for (e = 0; e < 2; e++) {
		g.bs = 4096;
		g.p = 8;
		g.erased = erased[e];
		g.blocks = 2;
		sweep_geometry(&s, &g);
		geos++;
	}
	printf("meta: %lu power-cut points covered (%lu in a commit, %lu "
	       "more in the recovery commit after one), %u geometries\n",
	       s.single + s.second, s.single, s.second, geos);
	fflush(stdout);
	assert_true(s.single > 0 && s.second > s.single);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_golden_p1),
		cmocka_unit_test(test_golden_p32_erased00),
		cmocka_unit_test(test_sequence_wrap),
		cmocka_unit_test(test_init_refusals),
		cmocka_unit_test(test_fresh_and_blank_reports),
		cmocka_unit_test(test_corruption),
		cmocka_unit_test(test_record_size_change),
		cmocka_unit_test(test_repair_and_alternation),
		cmocka_unit_test(test_commit_failure_rescans),
		cmocka_unit_test(test_read_errors),
		cmocka_unit_test(test_power_cut_sweep),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
