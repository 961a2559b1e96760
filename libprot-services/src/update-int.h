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

/* Raise component @i's OTP floor to @svn if it is below. */
int prot_upd_raise_floor(struct prot_update *up, unsigned int i, uint32_t svn);

#endif /* PROT_UPDATE_INT_H */
