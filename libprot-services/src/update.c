/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Update service: the PSA-style state machine over dual banks.
 * docs/update-service.md has the layout, the record and the cut points.
 */
#include <assert.h>
#include <errno.h>
#include <string.h>

#include "log.h"
#include "prot/update.h"
#include "update-int.h"

_Static_assert(sizeof(struct prot_update_bank_record) == 16,
	       "bank record layout");
_Static_assert(sizeof(struct prot_update_component_record) == 48,
	       "component record layout");
_Static_assert(sizeof(struct prot_update_record) ==
		       16 + 48 * PROT_UPDATE_MAX_COMPONENTS,
	       "record layout");

#define ST(s) (1u << PROT_UPDATE_##s)

/*
 * The component state machine (PSA FWU-like): bit n of row s set when a
 * component may go from state s to state n; prot/update.h lists the
 * events. WRITING and CANDIDATE live in RAM only; the record keeps the
 * others: update.c writes the record's copy of a new state ahead of its
 * commit and moves the slot through prot_upd_set_state() once committed;
 * prot_boot() moves the record's states through it.
 */
static const uint8_t transitions[] = {
	[PROT_UPDATE_READY] = ST(WRITING),
	[PROT_UPDATE_WRITING] = ST(CANDIDATE) | ST(FAILED),
	[PROT_UPDATE_CANDIDATE] = ST(STAGED) | ST(FAILED),
	[PROT_UPDATE_STAGED] = ST(TRIAL) | ST(FAILED) | ST(UPDATED),
	[PROT_UPDATE_TRIAL] = ST(UPDATED) | ST(REJECTED) | ST(FAILED),
	[PROT_UPDATE_REJECTED] = ST(FAILED),
	[PROT_UPDATE_FAILED] = ST(READY),
	[PROT_UPDATE_UPDATED] = ST(READY),
};

static const char *const state_names[] = {
	[PROT_UPDATE_READY] = "ready",
	[PROT_UPDATE_WRITING] = "writing",
	[PROT_UPDATE_CANDIDATE] = "candidate",
	[PROT_UPDATE_STAGED] = "staged",
	[PROT_UPDATE_TRIAL] = "trial",
	[PROT_UPDATE_REJECTED] = "rejected",
	[PROT_UPDATE_FAILED] = "failed",
	[PROT_UPDATE_UPDATED] = "updated",
};

bool prot_update_transition_allowed(enum prot_update_state from,
				    enum prot_update_state to)
{
	if ((unsigned int)from >= sizeof(transitions) ||
	    (unsigned int)to >= sizeof(transitions))
		return false;
	return from == to || ((transitions[from] >> to) & 1u);
}

const char *prot_update_state_name(enum prot_update_state state)
{
	if ((unsigned int)state >= sizeof(state_names) / sizeof(state_names[0]))
		return "unknown";
	return state_names[state];
}

bool prot_upd_set_state(const struct prot_update *up, unsigned int i,
			uint8_t *state, enum prot_update_state to)
{
	enum prot_update_state from = (enum prot_update_state)state[0];

	(void)i; /* only logged */
	if (!prot_update_transition_allowed(from, to)) {
		prot_log(&up->cfg, PROT_LOG_ERR,
			 "update: component %u: %s -> %s refused", i,
			 prot_update_state_name(from),
			 prot_update_state_name(to));
		assert(false); /* a forbidden transition is a bug */
		return false;
	}
	if (from != to)
		prot_log(&up->cfg, PROT_LOG_INFO,
			 "update: component %u: %s -> %s", i,
			 prot_update_state_name(from),
			 prot_update_state_name(to));
	*state = (uint8_t)to;
	return true;
}

static bool pow2(uint32_t v)
{
	return v && !(v & (v - 1));
}

uint32_t prot_upd_bank_addr(const struct prot_update *up, unsigned int i,
			    unsigned int bank)
{
	return up->cfg.components[i].bank_offset[bank & 1u];
}

struct bank_src {
	const struct prot_flash_ops *flash;
	uint32_t base;
};

static int bank_read(void *ctx, uint32_t offset, uint8_t *buf, size_t len)
{
	const struct bank_src *s = ctx;

	return s->flash->read(s->flash->ctx, s->base + offset, buf, len);
}

int prot_upd_verify(struct prot_update *up, unsigned int i, unsigned int bank,
		    uint32_t len, struct prot_image_header *hdr)
{
	const struct prot_update_component *c = &up->cfg.components[i];
	uint8_t key_hash[PROT_OTP_KEY_HASH_SIZE];
	struct bank_src bs = {up->cfg.flash, prot_upd_bank_addr(up, i, bank)};
	struct prot_image_source src = {bank_read, &bs, len};
	struct prot_image_policy pol;
	uint32_t floor;
	int rc;

	memset(&up->result, 0, sizeof(up->result));
	rc = prot_otp_key_hash_read(up->cfg.otp, key_hash);
	if (rc)
		return rc; /* -ENOENT: no vendor key provisioned */
	rc = prot_otp_svn_read(up->cfg.otp, c->otp_index, &floor);
	if (rc)
		return rc;
	pol.key_hash = key_hash;
	pol.max_image_size = up->cfg.bank_size;
	pol.svn_floor = floor;
	pol.component_id = c->component_id;
	rc = prot_image_verify(up->cfg.crypto, up->cfg.crypto_ctx, &src, &pol,
			       &up->work, &up->result);
	if (rc == 0 && up->result.verdict != PROT_IMAGE_VERDICT_AUTHENTIC)
		rc = -EPERM; /* fail closed on an inconsistent verdict */
	if (rc == 0 && hdr)
		*hdr = up->result.header;
	return rc;
}

bool prot_upd_io_error(const struct prot_update *up, int rc)
{
	/* A read failure, or an OTP failure (no result at all) other than
	 * the missing key hash. */
	return rc && (up->result.reason == PROT_IMAGE_ERR_READ ||
		      (!up->result.header_valid &&
		       up->result.reason == PROT_IMAGE_OK && rc != -ENOENT));
}

int prot_upd_commit(struct prot_update *up)
{
	return prot_meta_commit(&up->meta, &up->rec);
}

int prot_upd_raise_floor(struct prot_update *up, unsigned int i, uint32_t svn)
{
	unsigned int idx = up->cfg.components[i].otp_index;
	uint32_t floor;
	int rc;

	rc = prot_otp_svn_read(up->cfg.otp, idx, &floor);
	if (rc)
		return rc;
	if (svn <= floor)
		return 0;
	if (svn > PROT_OTP_SVN_MAX)
		svn = PROT_OTP_SVN_MAX;
	prot_log(&up->cfg, PROT_LOG_NOTICE,
		 "update: component %u: SVN floor %u -> %u", i,
		 (unsigned int)floor, (unsigned int)svn);
	return prot_otp_svn_raise(up->cfg.otp, idx, svn);
}

static bool overlap(uint32_t a, uint32_t alen, uint32_t b, uint32_t blen)
{
	return a < b + blen && b < a + alen;
}

static int check_layout(const struct prot_update_config *cfg)
{
	const struct prot_flash_ops *f = cfg->flash;
	uint32_t reg[2 * PROT_UPDATE_MAX_COMPONENTS + 1][2];
	unsigned int n = 0, i, j;

	if (!pow2(f->erase_size) || cfg->bank_size == 0 ||
	    cfg->bank_size % f->erase_size || cfg->meta_copy_size == 0 ||
	    cfg->meta_copy_size > f->size / 2)
		return -EINVAL;
	reg[n][0] = cfg->meta_offset;
	reg[n++][1] = 2 * cfg->meta_copy_size;
	for (i = 0; i < cfg->n_components; i++) {
		const struct prot_update_component *c = &cfg->components[i];

		if (c->otp_index >= PROT_OTP_SVN_COMPONENTS)
			return -EINVAL;
		for (j = 0; j < i; j++)
			if (cfg->components[j].component_id == c->component_id)
				return -EINVAL;
		for (j = 0; j < 2; j++) {
			reg[n][0] = c->bank_offset[j];
			reg[n++][1] = cfg->bank_size;
		}
	}
	for (i = 0; i < n; i++) {
		if (reg[i][0] % f->erase_size || reg[i][0] > f->size ||
		    reg[i][1] > f->size - reg[i][0])
			return -EINVAL;
		for (j = 0; j < i; j++)
			if (overlap(reg[i][0], reg[i][1], reg[j][0], reg[j][1]))
				return -EINVAL;
	}
	return 0;
}

int prot_update_init(struct prot_update *up,
		     const struct prot_update_config *cfg)
{
	struct prot_meta_config mc;
	int rc;

	if (!up || !cfg || prot_flash_check(cfg->flash) ||
	    prot_otp_check(cfg->otp) || !cfg->crypto ||
	    cfg->n_components == 0 ||
	    cfg->n_components > PROT_UPDATE_MAX_COMPONENTS)
		return -EINVAL;
	rc = check_layout(cfg);
	if (rc)
		return rc;
	memset(up, 0, sizeof(*up));
	up->cfg = *cfg;
	if (up->cfg.max_trial_boots == 0)
		up->cfg.max_trial_boots = 1;
	mc.flash = cfg->flash;
	mc.offset = cfg->meta_offset;
	mc.copy_size = cfg->meta_copy_size;
	mc.record_size = sizeof(struct prot_update_record);
	rc = prot_meta_init(&up->meta, &mc);
	if (rc)
		return rc;
	return 0;
}

static struct prot_update_slot *slot_of(struct prot_update *up,
					unsigned int index)
{
	if (!up || !up->booted || index >= up->cfg.n_components)
		return NULL;
	return &up->slot[index];
}

/* A staged, trial or rejected install exists: no new download. */
static bool install_pending(const struct prot_update *up)
{
	unsigned int i;

	for (i = 0; i < up->cfg.n_components; i++) {
		uint8_t s = up->slot[i].state;

		if (s == PROT_UPDATE_STAGED || s == PROT_UPDATE_TRIAL ||
		    s == PROT_UPDATE_REJECTED)
			return true;
	}
	return false;
}

int prot_update_start(struct prot_update *up, unsigned int index)
{
	struct prot_update_slot *s = slot_of(up, index);
	struct prot_update_component_record *cr;
	unsigned int t;
	int rc;

	if (!s)
		return -EINVAL;
	if (s->state != PROT_UPDATE_READY || install_pending(up))
		return -EBUSY;
	cr = &up->rec.comp[index];
	t = cr->active ^ 1u;
	/* The target stops being a recovery copy before it is touched. */
	if (cr->bank[t].state != PROT_UPDATE_BANK_WRITTEN) {
		struct prot_update_bank_record old = cr->bank[t];

		memset(&cr->bank[t], 0, sizeof(cr->bank[t]));
		cr->bank[t].state = PROT_UPDATE_BANK_WRITTEN;
		rc = prot_upd_commit(up);
		if (rc) {
			cr->bank[t] = old;
			return rc;
		}
	}
	(void)prot_upd_set_state(up, index, &s->state, PROT_UPDATE_WRITING);
	s->written = 0;
	s->erased = 0;
	s->pend_len = 0;
	s->last_error = 0;
	return 0;
}

/* Program @len (a multiple of program_size) bytes at bank offset @off,
 * erasing the blocks the range reaches first. */
static int bank_program(struct prot_update *up, unsigned int index,
			uint32_t off, const uint8_t *data, uint32_t len)
{
	const struct prot_flash_ops *f = up->cfg.flash;
	struct prot_update_slot *s = &up->slot[index];
	uint32_t base =
		prot_upd_bank_addr(up, index, up->rec.comp[index].active ^ 1u);
	int rc;

	while (s->erased < off + len) {
		rc = f->erase(f->ctx, base + s->erased);
		if (rc)
			return rc;
		s->erased += f->erase_size;
	}
	return f->program(f->ctx, base + off, data, len);
}

int prot_update_write(struct prot_update *up, unsigned int index,
		      uint32_t offset, const uint8_t *data, size_t len)
{
	struct prot_update_slot *s = slot_of(up, index);
	uint32_t ps, n;
	int rc;

	if (!s || (!data && len))
		return -EINVAL;
	if (s->state != PROT_UPDATE_WRITING)
		return -EBUSY;
	if (len > UINT32_MAX || offset > UINT32_MAX - (uint32_t)len)
		return -EOVERFLOW;
	if (offset + (uint32_t)len > up->cfg.bank_size)
		return -ENOSPC;
	if (offset != s->written)
		return -ESPIPE;
	ps = up->cfg.flash->program_size;
	while (len) {
		uint32_t unit_off = s->written - s->pend_len;

		if (s->pend_len == 0 && len >= ps) {
			/* Whole units straight from the caller's buffer, up to
			 * the end of the erase block (bounded op size). */
			uint32_t es = up->cfg.flash->erase_size;

			n = (uint32_t)len - (uint32_t)len % ps;
			if (n > es - unit_off % es)
				n = es - unit_off % es;
			rc = bank_program(up, index, unit_off, data, n);
			if (rc)
				return rc;
		} else {
			n = ps - s->pend_len;
			if (n > len)
				n = (uint32_t)len;
			memcpy(s->pend + s->pend_len, data, n);
			s->pend_len += n;
			if (s->pend_len == ps) {
				rc = bank_program(up, index, unit_off, s->pend,
						  ps);
				if (rc) {
					s->pend_len -= n;
					return rc;
				}
				s->pend_len = 0;
			}
		}
		s->written += n;
		data += n;
		len -= n;
	}
	return 0;
}

int prot_update_finish(struct prot_update *up, unsigned int index)
{
	struct prot_update_slot *s = slot_of(up, index);
	uint32_t ps;
	int rc;

	if (!s)
		return -EINVAL;
	if (s->state != PROT_UPDATE_WRITING)
		return -EBUSY;
	ps = up->cfg.flash->program_size;
	if (s->pend_len) {
		uint8_t unit[PROT_FLASH_MAX_PROGRAM_SIZE];

		memset(unit, up->cfg.flash->erased_value, sizeof(unit));
		memcpy(unit, s->pend, s->pend_len);
		rc = bank_program(up, index, s->written - s->pend_len, unit,
				  ps);
		if (rc)
			return rc;
		s->pend_len = 0;
	}
	rc = prot_upd_verify(up, index, up->rec.comp[index].active ^ 1u,
			     s->written, &s->hdr);
	if (prot_upd_io_error(up, rc))
		return rc; /* the flash failed, not the image: stay WRITING */
	s->last_error = rc;
	(void)prot_upd_set_state(up, index, &s->state,
				 rc ? PROT_UPDATE_FAILED
				    : PROT_UPDATE_CANDIDATE);
	return rc;
}

int prot_update_cancel(struct prot_update *up, unsigned int index)
{
	struct prot_update_slot *s = slot_of(up, index);

	if (!s)
		return -EINVAL;
	if (s->state != PROT_UPDATE_WRITING &&
	    s->state != PROT_UPDATE_CANDIDATE)
		return -EBUSY;
	(void)prot_upd_set_state(up, index, &s->state, PROT_UPDATE_FAILED);
	s->last_error = -ECANCELED;
	return 0;
}

int prot_update_clean(struct prot_update *up, unsigned int index)
{
	struct prot_update_slot *s = slot_of(up, index);
	struct prot_update_component_record *cr;
	int rc;

	if (!s)
		return -EINVAL;
	if (s->state != PROT_UPDATE_FAILED && s->state != PROT_UPDATE_UPDATED)
		return -EBUSY;
	cr = &up->rec.comp[index];
	if (cr->state != PROT_UPDATE_READY) {
		uint8_t old = cr->state;

		cr->state = PROT_UPDATE_READY;
		rc = prot_upd_commit(up);
		if (rc) {
			cr->state = old;
			return rc;
		}
	}
	(void)prot_upd_set_state(up, index, &s->state, PROT_UPDATE_READY);
	return 0;
}

int prot_update_install(struct prot_update *up)
{
	struct prot_update_record saved;
	unsigned int i, n = 0, t;
	int rc;

	if (!up || !up->booted)
		return -EINVAL;
	for (i = 0; i < up->cfg.n_components; i++) {
		if (up->slot[i].state == PROT_UPDATE_WRITING)
			return -EBUSY;
		if (up->slot[i].state == PROT_UPDATE_CANDIDATE)
			n++;
	}
	if (n == 0 || install_pending(up))
		return -EBUSY;
	/* Security verdicts are re-checked right before the commit. */
	for (i = 0; i < up->cfg.n_components; i++) {
		struct prot_update_slot *s = &up->slot[i];

		if (s->state != PROT_UPDATE_CANDIDATE)
			continue;
		rc = prot_upd_verify(up, i, up->rec.comp[i].active ^ 1u,
				     s->written, &s->hdr);
		if (prot_upd_io_error(up, rc))
			return rc;
		if (rc) {
			(void)prot_upd_set_state(up, i, &s->state,
						 PROT_UPDATE_FAILED);
			s->last_error = rc;
			return rc;
		}
	}
	saved = up->rec;
	up->rec.install_seq++;
	for (i = 0; i < up->cfg.n_components; i++) {
		struct prot_update_slot *s = &up->slot[i];
		struct prot_update_component_record *cr = &up->rec.comp[i];

		if (s->state != PROT_UPDATE_CANDIDATE)
			continue;
		t = cr->active ^ 1u;
		cr->bank[t].comparison_stamp = s->hdr.comparison_stamp;
		cr->bank[t].svn = s->hdr.svn;
		cr->bank[t].image_size =
			PROT_IMAGE_PAYLOAD_OFFSET + s->hdr.payload_size;
		cr->bank[t].state = PROT_UPDATE_BANK_STAGED;
		cr->state = PROT_UPDATE_STAGED;
		cr->trial_boots = 0;
		cr->install_seq = up->rec.install_seq;
	}
	rc = prot_upd_commit(up);
	if (rc) {
		up->rec = saved;
		return rc;
	}
	prot_log(&up->cfg, PROT_LOG_NOTICE, "update: install %u committed",
		 (unsigned int)up->rec.install_seq);
	for (i = 0; i < up->cfg.n_components; i++)
		if (up->slot[i].state == PROT_UPDATE_CANDIDATE)
			(void)prot_upd_set_state(up, i, &up->slot[i].state,
						 PROT_UPDATE_STAGED);
	return 0;
}

int prot_update_accept(struct prot_update *up)
{
	struct prot_update_record saved;
	unsigned int i, n = 0;
	int rc;

	if (!up || !up->booted)
		return -EINVAL;
	for (i = 0; i < up->cfg.n_components; i++)
		if (up->slot[i].state == PROT_UPDATE_TRIAL)
			n++;
	if (n == 0)
		return -EBUSY;
	/* Re-check before the irreversible floor raise. */
	for (i = 0; i < up->cfg.n_components; i++) {
		if (up->slot[i].state != PROT_UPDATE_TRIAL)
			continue;
		rc = prot_upd_verify(up, i, up->rec.comp[i].active ^ 1u,
				     up->cfg.bank_size, NULL);
		if (rc)
			return rc;
	}
	saved = up->rec;
	for (i = 0; i < up->cfg.n_components; i++) {
		struct prot_update_component_record *cr = &up->rec.comp[i];

		if (up->slot[i].state != PROT_UPDATE_TRIAL)
			continue;
		cr->active ^= 1u;
		cr->bank[cr->active].state = PROT_UPDATE_BANK_VALID;
		cr->state = PROT_UPDATE_UPDATED;
		cr->trial_boots = 0;
		cr->svn_pending = 1;
	}
	rc = prot_upd_commit(up);
	if (rc) {
		up->rec = saved;
		return rc;
	}
	for (i = 0; i < up->cfg.n_components; i++) {
		if (up->slot[i].state != PROT_UPDATE_TRIAL)
			continue;
		prot_log(&up->cfg, PROT_LOG_NOTICE,
			 "update: component %u: bank %u accepted", i,
			 (unsigned int)up->rec.comp[i].active);
		(void)prot_upd_set_state(up, i, &up->slot[i].state,
					 PROT_UPDATE_UPDATED);
		up->slot[i].run_bank = (int8_t)up->rec.comp[i].active;
	}
	/* Only now, with the acceptance recorded, the floors move. A cut
	 * here is finished by prot_boot() (svn_pending). */
	for (i = 0; i < up->cfg.n_components; i++) {
		struct prot_update_component_record *cr = &up->rec.comp[i];

		if (!cr->svn_pending)
			continue;
		rc = prot_upd_raise_floor(up, i, cr->bank[cr->active].svn);
		if (rc)
			return rc;
	}
	saved = up->rec;
	for (i = 0; i < up->cfg.n_components; i++)
		up->rec.comp[i].svn_pending = 0;
	rc = prot_upd_commit(up);
	if (rc)
		up->rec = saved;
	return rc;
}

int prot_update_reject(struct prot_update *up)
{
	struct prot_update_record saved;
	unsigned int i, staged = 0, trial = 0;
	int rc;

	if (!up || !up->booted)
		return -EINVAL;
	for (i = 0; i < up->cfg.n_components; i++) {
		staged += up->slot[i].state == PROT_UPDATE_STAGED;
		trial += up->slot[i].state == PROT_UPDATE_TRIAL;
	}
	if (!staged && !trial)
		return -EBUSY;
	saved = up->rec;
	for (i = 0; i < up->cfg.n_components; i++) {
		struct prot_update_component_record *cr = &up->rec.comp[i];
		uint8_t st = up->slot[i].state;

		if (st != PROT_UPDATE_STAGED && st != PROT_UPDATE_TRIAL)
			continue;
		cr->bank[cr->active ^ 1u].state = PROT_UPDATE_BANK_INVALID;
		cr->state = st == PROT_UPDATE_STAGED ? PROT_UPDATE_FAILED
						     : PROT_UPDATE_REJECTED;
	}
	rc = prot_upd_commit(up);
	if (rc) {
		up->rec = saved;
		return rc;
	}
	for (i = 0; i < up->cfg.n_components; i++)
		if (up->slot[i].state == PROT_UPDATE_STAGED ||
		    up->slot[i].state == PROT_UPDATE_TRIAL)
			(void)prot_upd_set_state(
				up, i, &up->slot[i].state,
				(enum prot_update_state)up->rec.comp[i].state);
	return 0;
}

int prot_update_query(const struct prot_update *up, unsigned int index,
		      struct prot_update_info *info)
{
	const struct prot_update_slot *s;

	if (!up || !info || index >= up->cfg.n_components)
		return -EINVAL;
	s = &up->slot[index];
	memset(info, 0, sizeof(*info));
	info->state = (enum prot_update_state)s->state;
	info->active = up->rec.comp[index].active;
	info->run_bank = up->booted ? s->run_bank : -1;
	info->written = s->written;
	info->last_error = s->last_error;
	info->record = up->rec.comp[index];
	return 0;
}
