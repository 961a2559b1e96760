/* SPDX-License-Identifier: Apache-2.0 */
/* NOR flash and OTP simulators with fault injection (see flash-sim.h). */
#include <string.h>

#include "flash-sim.h"

static uint8_t next_random(struct flash_sim *sim)
{
	/* xorshift32: deterministic garbage, seeded at init. */
	uint32_t x = sim->rng;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	sim->rng = x;
	return (uint8_t)(x >> 24);
}

static bool in_bounds(const struct flash_sim *sim, uint32_t addr, size_t len)
{
	return addr <= sim->ops.size && len <= sim->ops.size - addr;
}

static int sim_read(void *ctx, uint32_t addr, void *buf, size_t len)
{
	struct flash_sim *sim = ctx;

	if (!sim->powered)
		return FLASH_SIM_EPOWER;
	if (!in_bounds(sim, addr, len)) {
		sim->violations++;
		return -ERANGE;
	}
	sim->reads++;
	memcpy(buf, sim->mem + addr, len);
	return 0;
}

/* The fault for the operation about to run, if armed for it. */
static const struct flash_sim_fault *take_fault(struct flash_sim *sim,
						enum flash_sim_op op,
						uint32_t addr, uint32_t len)
{
	uint32_t n = sim->ops_done++;

	if (n < FLASH_SIM_LOG) {
		sim->log[n].op = (uint8_t)op;
		sim->log[n].addr = addr;
		sim->log[n].len = len;
	}
	if (sim->fault.kind != FLASH_SIM_FAULT_NONE && sim->fault.at_op == n)
		return &sim->fault;
	return NULL;
}

static int power_cut(struct flash_sim *sim)
{
	sim->powered = false;
	sim->cuts++;
	return FLASH_SIM_EPOWER;
}

/* Move the bits of @v that differ from the erased value into @cell. */
static uint8_t program_byte(uint8_t cell, uint8_t v, uint8_t erased)
{
	return erased ? (uint8_t)(cell & v) : (uint8_t)(cell | v);
}

static int sim_program(void *ctx, uint32_t addr, const void *buf, size_t len)
{
	struct flash_sim *sim = ctx;
	const uint8_t *src = buf;
	uint8_t erased = sim->ops.erased_value;
	const struct flash_sim_fault *f;
	size_t i, n;

	if (!sim->powered)
		return FLASH_SIM_EPOWER;
	if (!in_bounds(sim, addr, len)) {
		sim->violations++;
		return -ERANGE;
	}
	if (addr % sim->ops.program_size || len % sim->ops.program_size) {
		sim->violations++;
		return -EINVAL;
	}
	/* NOR: a bit can only leave the erased value. */
	for (i = 0; i < len; i++) {
		if (program_byte(sim->mem[addr + i], src[i], erased) !=
		    src[i]) {
			sim->violations++;
			return -EPERM;
		}
	}
	f = take_fault(sim, FLASH_SIM_OP_PROGRAM, addr, (uint32_t)len);
	if (f && f->kind == FLASH_SIM_CUT_BEFORE)
		return power_cut(sim);
	n = len;
	if (f && f->kind == FLASH_SIM_TORN && f->keep < len)
		n = f->keep;
	for (i = 0; i < n; i++)
		sim->mem[addr + i] = src[i];
	if (n < len && f->partial) {
		/* Some of the bits of the next byte moved, not all. */
		uint8_t cell = sim->mem[addr + n];
		uint8_t moving = (uint8_t)((cell ^ src[n]) & f->partial);

		sim->mem[addr + n] = (uint8_t)(cell ^ moving);
	}
	if (f)
		return power_cut(sim);
	return 0;
}

static int sim_erase(void *ctx, uint32_t addr)
{
	struct flash_sim *sim = ctx;
	uint32_t bs = sim->ops.erase_size;
	const struct flash_sim_fault *f;
	uint32_t i;

	if (!sim->powered)
		return FLASH_SIM_EPOWER;
	if (!in_bounds(sim, addr, bs)) {
		sim->violations++;
		return -ERANGE;
	}
	if (addr % bs) {
		sim->violations++;
		return -EINVAL;
	}
	f = take_fault(sim, FLASH_SIM_OP_ERASE, addr, bs);
	if (f && f->kind == FLASH_SIM_CUT_BEFORE)
		return power_cut(sim);
	if (f && f->kind == FLASH_SIM_TORN) {
		uint32_t from = f->from < bs ? f->from : bs;
		uint32_t to = f->keep < bs ? f->keep : bs;

		for (i = 0; i < bs; i++) {
			if (i >= from && i < to)
				sim->mem[addr + i] = sim->ops.erased_value;
			else if (f->garbage)
				sim->mem[addr + i] = next_random(sim);
		}
	} else {
		memset(sim->mem + addr, sim->ops.erased_value, bs);
	}
	if (f)
		return power_cut(sim);
	return 0;
}

int flash_sim_init(struct flash_sim *sim, uint8_t *mem, uint32_t size,
		   uint32_t erase_size, uint32_t program_size,
		   uint8_t erased_value)
{
	memset(sim, 0, sizeof(*sim));
	sim->ops.ctx = sim;
	sim->ops.read = sim_read;
	sim->ops.program = sim_program;
	sim->ops.erase = sim_erase;
	sim->ops.size = size;
	sim->ops.erase_size = erase_size;
	sim->ops.program_size = program_size;
	sim->ops.erased_value = erased_value;
	if (!mem || prot_flash_check(&sim->ops))
		return -EINVAL;
	sim->mem = mem;
	sim->powered = true;
	sim->rng = 0x9e3779b9u;
	memset(mem, erased_value, size);
	return 0;
}

void flash_sim_arm(struct flash_sim *sim, const struct flash_sim_fault *fault)
{
	if (fault)
		sim->fault = *fault;
	else
		memset(&sim->fault, 0, sizeof(sim->fault));
}

void flash_sim_power_restore(struct flash_sim *sim)
{
	if (!sim->powered)
		memset(&sim->fault, 0, sizeof(sim->fault));
	sim->powered = true;
}

void flash_sim_reset_count(struct flash_sim *sim)
{
	sim->ops_done = 0;
	memset(sim->log, 0, sizeof(sim->log));
}

static int otp_read(void *ctx, uint32_t offset, void *buf, size_t len)
{
	struct otp_sim *sim = ctx;

	if (!sim->powered)
		return FLASH_SIM_EPOWER;
	if (offset > OTP_SIM_SIZE || len > OTP_SIM_SIZE - offset)
		return -ERANGE;
	memcpy(buf, sim->mem + offset, len);
	return 0;
}

static int otp_program(void *ctx, uint32_t offset, const void *buf, size_t len)
{
	struct otp_sim *sim = ctx;
	const uint8_t *src = buf;
	size_t i, n = len;
	bool cut;

	if (!sim->powered)
		return FLASH_SIM_EPOWER;
	if (offset > OTP_SIM_SIZE || len > OTP_SIM_SIZE - offset)
		return -ERANGE;
	cut = sim->cut_at >= 0 && (uint32_t)sim->cut_at == sim->programs;
	sim->programs++;
	if (cut && sim->keep < len)
		n = sim->keep;
	/* One-way: OR in the new bits. */
	for (i = 0; i < n; i++)
		sim->mem[offset + i] |= src[i];
	if (cut) {
		sim->powered = false;
		sim->cut_at = -1;
		return FLASH_SIM_EPOWER;
	}
	return 0;
}

void otp_sim_init(struct otp_sim *sim)
{
	memset(sim, 0, sizeof(*sim));
	sim->ops.ctx = sim;
	sim->ops.read = otp_read;
	sim->ops.program = otp_program;
	sim->ops.size = OTP_SIM_SIZE;
	sim->powered = true;
	sim->cut_at = -1;
}

void otp_sim_arm(struct otp_sim *sim, int32_t at, uint32_t keep)
{
	sim->cut_at = at;
	sim->keep = keep;
}

void otp_sim_power_restore(struct otp_sim *sim)
{
	sim->powered = true;
}
