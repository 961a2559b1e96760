/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Internals shared by update.c and boot.c (not installed).
 */
#ifndef PROT_UPDATE_INT_H
#define PROT_UPDATE_INT_H

#include "prot/update.h"

uint32_t prot_upd_bank_addr(const struct prot_update *up, unsigned int i,
			    unsigned int bank);

/*
 * Verify the image in @bank of component @i, reading at most @len bytes
 * (the bank size, or what a download wrote), against the OTP key hash and
 * the component's current floor. Fills *@hdr on success. Returns 0 only
 * when the verdict is PROT_IMAGE_VERDICT_AUTHENTIC.
 */
int prot_upd_verify(struct prot_update *up, unsigned int i, unsigned int bank,
		    uint32_t len, struct prot_image_header *hdr);

int prot_upd_commit(struct prot_update *up);

/* @rc of prot_upd_verify() is a flash or OTP failure (give up, retry
 * after restart), not a verdict on the image. */
bool prot_upd_io_error(const struct prot_update *up, int rc);

/*
 * The one place a component's state changes: *@state is the slot's
 * (update.c) or the record's (prot_boot()) state of component @i. Checks
 * @to against prot_update_transition_allowed() and logs it. Returns false
 * (state unchanged) for a forbidden transition, after an assert in debug
 * builds.
 */
bool prot_upd_set_state(const struct prot_update *up, unsigned int i,
			uint8_t *state, enum prot_update_state to);

/* Raise component @i's OTP floor to @svn if it is below. */
int prot_upd_raise_floor(struct prot_update *up, unsigned int i, uint32_t svn);

#endif /* PROT_UPDATE_INT_H */
