/* SPDX-License-Identifier: Apache-2.0 */
/*
 * prot_boot(): what runs after every start. Every decision is committed to
 * the metadata before the image it picks is reported, so a cut anywhere
 * leads the next boot to the same or a later decision, never to an image
 * that was not verified. docs/update-service.md walks the cut points.
 */
#include <errno.h>
#include <string.h>

#include "log.h"
#include "prot/update.h"
#include "update-int.h"

static bool record_ok(const struct prot_update *up)
{
	const struct prot_update_record *r = &up->rec;
	unsigned int i, b;

	if (r->format != PROT_UPDATE_RECORD_FORMAT ||
	    r->n_components != up->cfg.n_components)
		return false;
	for (i = 0; i < r->n_components; i++) {
		const struct prot_update_component_record *c = &r->comp[i];

		if (c->component_id != up->cfg.components[i].component_id ||
		    c->active > 1 || c->state > PROT_UPDATE_UPDATED ||
		    c->state == PROT_UPDATE_WRITING ||
		    c->state == PROT_UPDATE_CANDIDATE)
			return false;
		for (b = 0; b < 2; b++)
			if (c->bank[b].state > PROT_UPDATE_BANK_INVALID)
				return false;
	}
	return true;
}

static void bank_from_header(struct prot_update_bank_record *b,
			     const struct prot_image_header *h, uint8_t state)
{
	memset(b, 0, sizeof(*b));
	b->comparison_stamp = h->comparison_stamp;
	b->svn = h->svn;
	b->image_size = PROT_IMAGE_PAYLOAD_OFFSET + h->payload_size;
	b->state = state;
}

/* No readable metadata: keep what verifies, prefer the higher SVN. */
static int rebuild(struct prot_update *up, bool corrupt,
		   struct prot_boot_report *rep)
{
	struct prot_image_header h[2];
	unsigned int i;

	prot_log(&up->cfg, PROT_LOG_WARNING, "boot: metadata %s: banks scanned",
		 corrupt ? "corrupt" : "missing");
	memset(&up->rec, 0, sizeof(up->rec));
	up->rec.format = PROT_UPDATE_RECORD_FORMAT;
	up->rec.n_components = up->cfg.n_components;
	up->rec.recovery_events = corrupt ? 1u : 0u;
	for (i = 0; i < up->cfg.n_components; i++) {
		struct prot_update_component_record *c = &up->rec.comp[i];
		int rc0 = prot_upd_verify(up, i, 0, up->cfg.bank_size, &h[0]);
		bool ok0 = rc0 == 0;
		int rc1;
		bool ok1;

		if (prot_upd_io_error(up, rc0))
			return rc0;
		rc1 = prot_upd_verify(up, i, 1, up->cfg.bank_size, &h[1]);
		if (prot_upd_io_error(up, rc1))
			return rc1;
		ok1 = rc1 == 0;

		c->component_id = up->cfg.components[i].component_id;
		c->state = PROT_UPDATE_READY;
		if (ok1 && (!ok0 || h[1].svn > h[0].svn))
			c->active = 1;
		if (ok0 || ok1)
			bank_from_header(&c->bank[c->active], &h[c->active],
					 PROT_UPDATE_BANK_VALID);
		rep->comp[i].events |= PROT_BOOT_EV_META_REBUILT;
	}
	return prot_upd_commit(up);
}

/* Copy the image of bank @from over bank @to of component @i. */
static int restore(struct prot_update *up, unsigned int i, unsigned int from,
		   const struct prot_image_header *h)
{
	const struct prot_flash_ops *f = up->cfg.flash;
	uint32_t src = prot_upd_bank_addr(up, i, from);
	uint32_t dst = prot_upd_bank_addr(up, i, from ^ 1u);
	uint32_t size = PROT_IMAGE_PAYLOAD_OFFSET + h->payload_size;
	uint32_t off, n;
	int rc;

	size = (size + f->program_size - 1) & ~(f->program_size - 1);
	for (off = 0; off < size; off += f->erase_size) {
		rc = f->erase(f->ctx, dst + off);
		if (rc)
			return rc;
	}
	for (off = 0; off < size; off += n) {
		n = size - off;
		if (n > sizeof(up->copy_buf))
			n = sizeof(up->copy_buf);
		rc = f->read(f->ctx, src + off, up->copy_buf, n);
		if (rc)
			return rc;
		rc = f->program(f->ctx, dst + off, up->copy_buf, n);
		if (rc)
			return rc;
	}
	return 0;
}

static int do_trials(struct prot_update *up, struct prot_boot_report *rep,
		     bool *dirty)
{
	struct prot_image_header h;
	unsigned int i, n = up->cfg.n_components;
	bool staged = false, trial = false, bad = false, used_up = false;
	int rc;

	for (i = 0; i < n; i++) {
		struct prot_update_component_record *c = &up->rec.comp[i];

		if (c->state == PROT_UPDATE_REJECTED) {
			(void)prot_upd_set_state(up, i, &c->state,
						 PROT_UPDATE_FAILED);
			*dirty = true;
		}
		if (c->state != PROT_UPDATE_STAGED &&
		    c->state != PROT_UPDATE_TRIAL)
			continue;
		staged |= c->state == PROT_UPDATE_STAGED;
		trial |= c->state == PROT_UPDATE_TRIAL;
		if (c->state == PROT_UPDATE_TRIAL &&
		    c->trial_boots >= up->cfg.max_trial_boots)
			used_up = true;
		rc = prot_upd_verify(up, i, c->active ^ 1u, up->cfg.bank_size,
				     &h);
		if (prot_upd_io_error(up, rc))
			return rc;
		if (rc)
			bad = true;
	}
	if (!staged && !trial)
		return 0;
	*dirty = true;
	for (i = 0; i < n; i++) {
		struct prot_update_component_record *c = &up->rec.comp[i];
		unsigned int t = c->active ^ 1u;

		if (c->state != PROT_UPDATE_STAGED &&
		    c->state != PROT_UPDATE_TRIAL)
			continue;
		if (!bad && !used_up) {
			(void)prot_upd_set_state(up, i, &c->state,
						 PROT_UPDATE_TRIAL);
			c->bank[t].state = PROT_UPDATE_BANK_TRIAL;
			if (c->trial_boots < 255)
				c->trial_boots++;
			prot_log(&up->cfg, PROT_LOG_NOTICE,
				 "boot: component %u: trial boot %u of bank %u",
				 i, (unsigned int)c->trial_boots, t);
			if (c->trial_boots == 1)
				rep->comp[i].events |=
					PROT_BOOT_EV_TRIAL_STARTED;
			continue;
		}
		/* Revert. If the previous image is gone and the trial image
		 * verifies, keeping it beats running nothing; its floor is
		 * left for a later accept of a newer image. */
		rc = prot_upd_verify(up, i, c->active, up->cfg.bank_size, &h);
		if (prot_upd_io_error(up, rc))
			return rc;
		up->rec.recovery_events++;
		if (rc && !bad) {
			prot_log(&up->cfg, PROT_LOG_WARNING,
				 "boot: component %u: previous image gone, "
				 "keeping bank %u",
				 i, t);
			c->active = (uint8_t)t;
			c->bank[t].state = PROT_UPDATE_BANK_VALID;
			(void)prot_upd_set_state(up, i, &c->state,
						 PROT_UPDATE_UPDATED);
			rep->comp[i].events |= PROT_BOOT_EV_FALLBACK;
		} else {
			prot_log(&up->cfg, PROT_LOG_WARNING,
				 "boot: component %u: %s, reverted to bank %u",
				 i,
				 bad ? "trial image not authentic"
				     : "trial not accepted",
				 (unsigned int)c->active);
			c->bank[t].state = PROT_UPDATE_BANK_INVALID;
			(void)prot_upd_set_state(up, i, &c->state,
						 PROT_UPDATE_FAILED);
			rep->comp[i].events |= PROT_BOOT_EV_REVERTED;
		}
		c->trial_boots = 0;
	}
	return 0;
}

/* Pick and check the bank component @i runs. */
static int choose(struct prot_update *up, unsigned int i,
		  struct prot_boot_report *rep, bool *dirty)
{
	struct prot_update_component_record *c = &up->rec.comp[i];
	struct prot_boot_component *rc_ = &rep->comp[i];
	struct prot_image_header h;
	unsigned int b = c->active, o = b ^ 1u;
	int rc;

	if (c->state == PROT_UPDATE_TRIAL)
		b = o, o = b ^ 1u;
	rc = prot_upd_verify(up, i, b, up->cfg.bank_size, &h);
	if (prot_upd_io_error(up, rc))
		return rc;
	if (rc && c->state != PROT_UPDATE_TRIAL &&
	    c->bank[o].state == PROT_UPDATE_BANK_VALID) {
		rc = prot_upd_verify(up, i, o, up->cfg.bank_size, &h);
		if (prot_upd_io_error(up, rc))
			return rc;
		if (rc == 0) {
			/* The backup is authentic: copy it back and check
			 * the copy; if the copy does not verify, run the
			 * backup as it is. */
			up->rec.recovery_events++;
			*dirty = true;
			rc = restore(up, i, o, &h);
			if (rc)
				return rc;
			rc = prot_upd_verify(up, i, b, up->cfg.bank_size, &h);
			if (prot_upd_io_error(up, rc))
				return rc;
			if (rc == 0) {
				prot_log(&up->cfg, PROT_LOG_WARNING,
					 "boot: component %u: bank %u restored "
					 "from bank %u",
					 i, b, o);
				c->restores++;
				bank_from_header(&c->bank[b], &h,
						 PROT_UPDATE_BANK_VALID);
				rc_->events |= PROT_BOOT_EV_RESTORED;
			} else {
				rc = prot_upd_verify(up, i, o,
						     up->cfg.bank_size, &h);
				if (rc)
					return prot_upd_io_error(up, rc) ? rc
									 : -EIO;
				prot_log(&up->cfg, PROT_LOG_WARNING,
					 "boot: component %u: restore failed, "
					 "running bank %u",
					 i, o);
				c->active = (uint8_t)o;
				b = o;
				rc_->events |= PROT_BOOT_EV_FALLBACK;
			}
		}
	}
	if (rc) {
		prot_log(&up->cfg, PROT_LOG_WARNING,
			 "boot: component %u: no authentic image, recovery "
			 "mode",
			 i);
		return 0; /* recovery mode for this component */
	}
	rc_->bank = (int)b;
	rc_->offset = prot_upd_bank_addr(up, i, b);
	rc_->header = h;
	return 0;
}

int prot_boot(struct prot_update *up, struct prot_boot_report *report)
{
	struct prot_image_header h;
	unsigned int i, n;
	bool dirty = false;
	int rc;

	if (!up || !report)
		return -EINVAL;
	memset(report, 0, sizeof(*report));
	for (i = 0; i < PROT_UPDATE_MAX_COMPONENTS; i++)
		report->comp[i].bank = -1;
	report->status = PROT_BOOT_RECOVERY;
	up->booted = false;
	n = up->cfg.n_components;
	memset(up->slot, 0, sizeof(up->slot));

	rc = prot_meta_load(&up->meta, &up->rec, NULL);
	if (rc == 0 && !record_ok(up))
		rc = -EBADMSG;
	if (rc == -ENOENT || rc == -EBADMSG)
		rc = rebuild(up, rc == -EBADMSG, report);
	if (rc)
		goto fail;

	/* An accept cut between its commit and the OTP floor raise. */
	for (i = 0; i < n; i++) {
		struct prot_update_component_record *c = &up->rec.comp[i];

		if (!c->svn_pending)
			continue;
		/* The floor comes from the authenticated header, not from
		 * the (unauthenticated) record. */
		rc = prot_upd_verify(up, i, c->active, up->cfg.bank_size, &h);
		if (prot_upd_io_error(up, rc))
			goto fail;
		if (rc == 0) {
			rc = prot_upd_raise_floor(up, i, h.svn);
			if (rc)
				goto fail;
			report->comp[i].events |= PROT_BOOT_EV_SVN_RAISED;
		}
		c->svn_pending = 0;
		dirty = true;
	}
	rc = do_trials(up, report, &dirty);
	if (rc)
		goto fail;
	/* The decision is on flash before anything runs. */
	if (dirty) {
		rc = prot_upd_commit(up);
		if (rc)
			goto fail;
		dirty = false;
	}
	for (i = 0; i < n; i++) {
		rc = choose(up, i, report, &dirty);
		if (rc)
			goto fail;
	}
	if (dirty) {
		rc = prot_upd_commit(up);
		if (rc)
			goto fail;
	}
	report->status = PROT_BOOT_OK;
	for (i = 0; i < n; i++) {
		up->slot[i].state = up->rec.comp[i].state;
		up->slot[i].run_bank = (int8_t)report->comp[i].bank;
		if (report->comp[i].bank < 0)
			report->status = PROT_BOOT_RECOVERY;
	}
	up->booted = true;
	return 0;
fail:
	prot_log(&up->cfg, PROT_LOG_ERR, "boot: failed (%d): recovery mode",
		 rc);
	for (i = 0; i < PROT_UPDATE_MAX_COMPONENTS; i++)
		report->comp[i].bank = -1;
	report->status = PROT_BOOT_RECOVERY;
	return rc;
}
