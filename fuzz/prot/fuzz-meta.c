/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libFuzzer harness: the A/B metadata store (prot/meta.h) on the flash
 * simulator (tests/prot/flash-sim.h).
 *
 * Input byte 0 picks the geometry (program size 1..32, erased 0xff or
 * 0x00, copies of one or two 4 KiB blocks) and, in bit 0, the mode; byte 1
 * the record size (1..64).
 *
 * Mode 0, fault schedules: the rest is a list of 5-byte steps
 *   [action, op, keep, partial, flags]
 * action % 4: 0 load, 1 commit, 2 commit with a fault armed at operation
 * `op % 8` (kind, erase window and garbage from `flags`), 3 reboot. A
 * failed commit is followed by a reboot or, with bit 7 of the action, by
 * nothing (the next commit must rescan).
 * Oracle: the harness keeps the set of records load() may return (the last
 * one known to be there plus every commit since that failed); load() must
 * return one of them (or -ENOENT while "none" is one of them), never
 * -EBADMSG; a successful commit is then what load() returns; the simulator
 * never sees a NOR rule broken.
 *
 * Mode 1, raw flash: the rest of the input is the region's contents. load()
 * must not misbehave; a commit must then succeed and load() return it.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "flash-sim.h"
#include "prot/meta.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define BLK 4096u
#define MAX_REC 64u
#define MAX_SET 16u

static uint8_t mem[6u * BLK];

struct model {
	struct flash_sim sim;
	struct prot_meta_config cfg;
	struct prot_meta meta;
	uint32_t rec;
	/* Tags load() may return; 0 is "no record". */
	uint32_t ok[MAX_SET];
	unsigned int n_ok;
	bool overflow;
	uint32_t next_tag;
};

static void fill(uint8_t *r, uint32_t len, uint32_t tag)
{
	uint32_t i;

	for (i = 0; i < len; i++)
		r[i] = (uint8_t)(tag * 131u + i * 7u + (tag >> 8));
}

static void check(bool cond)
{
	if (!cond)
		abort();
}

static void reboot(struct model *m)
{
	flash_sim_power_restore(&m->sim);
	flash_sim_arm(&m->sim, NULL);
	flash_sim_reset_count(&m->sim);
	check(prot_meta_init(&m->meta, &m->cfg) == 0);
}

static void do_load(struct model *m)
{
	uint8_t got[MAX_REC], want[MAX_REC];
	struct prot_meta_status st;
	unsigned int i;
	int rc;

	rc = prot_meta_load(&m->meta, got, &st);
	check(rc != -EBADMSG);
	if (m->overflow) {
		/* Too many failed commits to track: only sanity. */
		check(rc == 0 || rc == -ENOENT);
		return;
	}
	for (i = 0; i < m->n_ok; i++) {
		if (m->ok[i] == 0 && rc == -ENOENT)
			break;
		if (m->ok[i] == 0 || rc)
			continue;
		fill(want, m->rec, m->ok[i]);
		if (!memcmp(got, want, m->rec))
			break;
	}
	check(i < m->n_ok);
	m->ok[0] = m->ok[i];
	m->n_ok = 1;
}

static void do_commit(struct model *m, const struct flash_sim_fault *f,
		      bool reboot_after)
{
	uint8_t r[MAX_REC];
	uint32_t tag = m->next_tag++;
	int rc;

	fill(r, m->rec, tag);
	flash_sim_reset_count(&m->sim);
	flash_sim_arm(&m->sim, f);
	rc = prot_meta_commit(&m->meta, r);
	check(m->sim.violations == 0);
	if (rc == 0) {
		flash_sim_arm(&m->sim, NULL);
		m->ok[0] = tag;
		m->n_ok = 1;
		m->overflow = false;
		return;
	}
	check(rc == FLASH_SIM_EPOWER);
	if (m->n_ok < MAX_SET)
		m->ok[m->n_ok++] = tag;
	else
		m->overflow = true;
	if (reboot_after)
		reboot(m);
	else
		flash_sim_power_restore(&m->sim);
}

static void setup(struct model *m, uint8_t geo, uint8_t rec)
{
	uint32_t blocks = 1u + ((geo >> 5) & 1u);

	check(flash_sim_init(&m->sim, mem, (2u + 2u * blocks) * BLK, BLK,
			     1u << ((geo >> 1) % 6u),
			     (geo >> 4) & 1u ? 0x00 : 0xff) == 0);
	m->rec = 1u + rec % MAX_REC;
	m->cfg.flash = &m->sim.ops;
	m->cfg.offset = BLK;
	m->cfg.copy_size = blocks * BLK;
	m->cfg.record_size = m->rec;
	check(prot_meta_init(&m->meta, &m->cfg) == 0);
	m->ok[0] = 0;
	m->n_ok = 1;
	m->overflow = false;
	m->next_tag = 1;
}

static void raw_mode(struct model *m, const uint8_t *data, size_t size)
{
	uint8_t got[MAX_REC], r[MAX_REC];
	size_t n = 2u * m->cfg.copy_size;
	int rc;

	if (size > n)
		size = n;
	memcpy(mem + BLK, data, size);
	rc = prot_meta_load(&m->meta, got, NULL);
	check(rc == 0 || rc == -ENOENT || rc == -EBADMSG);
	fill(r, m->rec, 7);
	check(prot_meta_commit(&m->meta, r) == 0);
	check(m->sim.violations == 0);
	reboot(m);
	check(prot_meta_load(&m->meta, got, NULL) == 0);
	check(!memcmp(got, r, m->rec));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct model m;
	struct flash_sim_fault f;

	if (size < 2)
		return 0;
	memset(&m, 0, sizeof(m));
	setup(&m, data[0], data[1]);
	if (data[0] & 1u) {
		raw_mode(&m, data + 2, size - 2);
		return 0;
	}
	for (data += 2, size -= 2; size >= 5; data += 5, size -= 5) {
		switch (data[0] % 4u) {
		case 0:
			do_load(&m);
			break;
		case 1:
			do_commit(&m, NULL, true);
			break;
		case 2:
			memset(&f, 0, sizeof(f));
			f.kind = (enum flash_sim_fault_kind)(1u + data[4] % 3u);
			f.at_op = data[1] % 8u;
			f.keep = (uint32_t)data[2] * 17u;
			f.partial = data[3];
			f.from = (data[4] & 0x40u) ? (uint32_t)data[3] : 0;
			f.garbage = data[4] & 0x80u;
			do_commit(&m, &f, !(data[0] & 0x80u));
			break;
		default:
			reboot(&m);
			break;
		}
	}
	do_load(&m);
	return 0;
}
