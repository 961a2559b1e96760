/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Tear-proof A/B record store on NOR flash.
 *
 * The caller keeps one fixed-size record (its own bytes: bank states,
 * counters...) in a flash region of two equal copies, each one or more
 * whole erase blocks. Every commit writes the other copy than the one
 * holding the newest record, with a sequence number, a CRC-32 and, last, a
 * commit marker. Whatever instant power is lost (between operations, in
 * the middle of a program, half-way through an erase), load() afterwards
 * returns either the record as it was before the commit or the new one,
 * never a mix, and the next commit works. docs/metadata-format.md has the
 * byte layout and the argument for every cut point.
 *
 * Usage: prot_meta_init() once, prot_meta_load() at start, then
 * prot_meta_commit() for each change. No heap; the caller owns the
 * struct prot_meta and the record buffers.
 */
#ifndef PROT_META_H
#define PROT_META_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "prot/platform.h"

#ifdef __cplusplus
extern "C" {
#endif

/* On-flash constants (docs/metadata-format.md). */
#define PROT_META_MAGIC 0x54454d50u /* "PMET" little endian */
#define PROT_META_VERSION 1u
#define PROT_META_HEADER_SIZE 16u
#define PROT_META_MARKER_BYTE 0xa5u
#define PROT_META_MARKER_MIN 4u
#define PROT_META_MAX_RECORD 0xffffu

/**
 * Where the store lives.
 *
 * flash: the device (checked with prot_flash_check()); must outlive the
 *     store.
 * offset: start of the region, a multiple of erase_size.
 * copy_size: bytes per copy, a non-zero multiple of erase_size; the region
 *     is 2 * copy_size bytes: copy 0 at offset, copy 1 right after it.
 * record_size: bytes of the caller's record, 1..PROT_META_MAX_RECORD; it
 *     must fit a copy (see prot_meta_copy_bytes()).
 */
struct prot_meta_config {
	const struct prot_flash_ops *flash;
	uint32_t offset;
	uint32_t copy_size;
	uint32_t record_size;
};

/* The store; caller-owned, fields private. */
struct prot_meta {
	struct prot_meta_config cfg;
	uint32_t seq;    /* sequence number of the newest valid copy */
	uint8_t current; /* which copy holds it */
	bool have_current;
	bool scanned; /* the fields above reflect the flash */
};

/* What load() found in one copy. */
enum prot_meta_copy_state {
	/* A complete record (marker, header and CRC right). */
	PROT_META_COPY_VALID = 0,
	/* Header and marker read as erased: never written, or erased. */
	PROT_META_COPY_BLANK,
	/* No complete commit marker: a commit or an erase was cut short.
	 * Expected after a power loss; the next commit overwrites it. */
	PROT_META_COPY_TORN,
	/* A complete commit marker over a bad header or CRC: a committed
	 * record was damaged (or an erase was cut before reaching the
	 * marker). Worth logging. */
	PROT_META_COPY_CORRUPT,
};

/**
 * Report of a load.
 *
 * copy: the state of each copy.
 * seq: sequence number of each copy (meaningful only when VALID).
 * current: index of the copy returned, or -1 when none was.
 */
struct prot_meta_status {
	enum prot_meta_copy_state copy[2];
	uint32_t seq[2];
	int current;
};

/**
 * prot_meta_copy_bytes() - bytes one copy uses for a record of
 * @record_size on a flash of @program_size granularity (header, record and
 * marker, each padded to program_size). Returns 0 if @program_size is not a
 * power of two in 1..PROT_FLASH_MAX_PROGRAM_SIZE or @record_size is out of
 * range.
 */
uint32_t prot_meta_copy_bytes(uint32_t record_size, uint32_t program_size);

/**
 * prot_meta_init() - set up @meta for @cfg (copied). Touches no flash.
 *
 * Returns 0; -EINVAL for a NULL argument, a bad flash description, an
 * offset or copy_size not aligned to erase blocks, a region outside the
 * device, or a record_size out of range; -EMSGSIZE when the record does not
 * fit in a copy.
 */
int prot_meta_init(struct prot_meta *meta, const struct prot_meta_config *cfg);

/**
 * prot_meta_load() - read the newest valid record.
 *
 * @record: receives record_size bytes; zeroed when no record is returned.
 * @status: optional (may be NULL); filled on every return but -EINVAL.
 *
 * Picks the valid copy with the higher sequence number (serial number
 * arithmetic, so the counter may wrap).
 * Returns 0 with the record; -ENOENT when neither copy holds a committed
 * record and no commit marker is present (a fresh device, or its first
 * commit was cut: use defaults); -EBADMSG when neither copy is valid but a
 * commit marker shows that a record had been committed (corruption: the
 * caller decides, fail closed); -EIO when the copy changed between two
 * reads; -EINVAL; or the flash read op's error.
 */
int prot_meta_load(struct prot_meta *meta, void *record,
		   struct prot_meta_status *status);

/**
 * prot_meta_commit() - store @record (record_size bytes, read during the
 * call only) as the new newest record.
 *
 * Erases the copy that does not hold the newest valid record, programs the
 * header, the record and the marker, and reads the copy back. The first
 * commit after init (or after a failed commit) scans the flash first, as
 * load() does. After a 0 return, load() gives @record. After an error,
 * load() gives either @record or the record that was newest before the
 * call, and commit may simply be called again. Committing the loaded
 * record again rewrites the other copy: use it to repair a copy load()
 * reported TORN or CORRUPT.
 *
 * Returns 0; -EINVAL; -EIO when the read-back does not show the new
 * record; or a flash op's error.
 */
int prot_meta_commit(struct prot_meta *meta, const void *record);

#ifdef __cplusplus
}
#endif

#endif /* PROT_META_H */
