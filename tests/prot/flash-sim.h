/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Test library: a NOR flash and an OTP simulator behind the platform ops of
 * prot/platform.h, with fault injection, for the cmocka tests and the fuzz
 * harnesses of libprot-services.
 *
 * Flash rules enforced (a breach returns an error and counts a violation):
 * bounds (-ERANGE), program alignment to program_size and erase alignment to
 * erase_size (-EINVAL), and programming only moves bits away from the
 * erased value (-EPERM, nothing written).
 *
 * Operations are the program and erase calls, numbered from 0 in call
 * order (reads are not numbered). A fault is armed for one operation
 * number:
 *   CUT_BEFORE   the operation does nothing; power is lost
 *   CUT_AFTER    the operation completes; power is lost before it returns
 *   TORN         program: only the first `keep` bytes land, then the bits
 *                of `partial` in the next byte move (as far as they need
 *                to); erase: bytes [from, keep) of the block are
 *                erased (from is usually 0: an erase cut part-way), the
 *                rest keeps its contents or, with `garbage`, becomes
 *                pseudo-random; power is lost
 * Once power is lost, every call (reads too) fails with FLASH_SIM_EPOWER
 * until flash_sim_power_restore().
 */
#ifndef PROT_TEST_FLASH_SIM_H
#define PROT_TEST_FLASH_SIM_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "prot/platform.h"

/* What a call returns once power is lost (distinct from every rule). */
#define FLASH_SIM_EPOWER (-ESHUTDOWN)

enum flash_sim_fault_kind {
	FLASH_SIM_FAULT_NONE = 0,
	FLASH_SIM_CUT_BEFORE,
	FLASH_SIM_CUT_AFTER,
	FLASH_SIM_TORN,
};

struct flash_sim_fault {
	enum flash_sim_fault_kind kind;
	uint32_t at_op;  /* operation number the fault hits */
	uint32_t keep;   /* TORN: bytes that land (program) / erase */
	uint32_t from;   /* TORN erase: erased bytes are [from, keep) */
	uint8_t partial; /* TORN program: bits of byte `keep` that move */
	bool garbage;    /* TORN erase: rest of the block pseudo-random */
};

enum flash_sim_op {
	FLASH_SIM_OP_PROGRAM = 1,
	FLASH_SIM_OP_ERASE,
};

#define FLASH_SIM_LOG 64u

struct flash_sim_log_entry {
	uint8_t op; /* enum flash_sim_op */
	uint32_t addr;
	uint32_t len;
};

struct flash_sim {
	struct prot_flash_ops ops; /* ctx points at this struct */
	uint8_t *mem;              /* caller-owned, ops.size bytes */
	uint32_t ops_done;         /* operations numbered so far */
	uint32_t reads;
	uint32_t violations; /* calls that broke a rule */
	uint32_t cuts;       /* power losses so far */
	bool powered;
	uint32_t rng;
	struct flash_sim_fault fault;
	/* The first FLASH_SIM_LOG operations since the last reset_count. */
	struct flash_sim_log_entry log[FLASH_SIM_LOG];
};

/*
 * Set up @sim over @mem (@size bytes, erased here) with the given geometry.
 * Returns 0 or -EINVAL (geometry refused by prot_flash_check()).
 */
int flash_sim_init(struct flash_sim *sim, uint8_t *mem, uint32_t size,
		   uint32_t erase_size, uint32_t program_size,
		   uint8_t erased_value);

/* Arm @fault (replacing any armed one); FLASH_SIM_FAULT_NONE disarms. */
void flash_sim_arm(struct flash_sim *sim, const struct flash_sim_fault *fault);

/* Restore power; the armed fault (if it already fired) is disarmed. */
void flash_sim_power_restore(struct flash_sim *sim);

/* Restart operation numbering (and the log) at 0. */
void flash_sim_reset_count(struct flash_sim *sim);

/* OTP simulator: @size bytes, unprogrammed (0) at init. */
#define OTP_SIM_SIZE 256u

struct otp_sim {
	struct prot_otp_ops ops;
	uint8_t mem[OTP_SIM_SIZE];
	uint32_t programs; /* program calls numbered so far */
	bool powered;
	/* Fault: program call number `at` lands only its first `keep`
	 * bytes (keep >= len: all), then power is lost. -1: none. */
	int32_t cut_at;
	uint32_t keep;
};

void otp_sim_init(struct otp_sim *sim);
void otp_sim_arm(struct otp_sim *sim, int32_t at, uint32_t keep);
void otp_sim_power_restore(struct otp_sim *sim);

#endif /* PROT_TEST_FLASH_SIM_H */
