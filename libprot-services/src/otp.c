/* SPDX-License-Identifier: Apache-2.0 */
/*
 * OTP layout helpers: vendor key hash, unary SVN floors, unary lifecycle.
 * See include/prot/platform.h for the layout and docs/metadata-format.md.
 */
#include <errno.h>
#include <string.h>

#include "prot/platform.h"

int prot_otp_check(const struct prot_otp_ops *otp)
{
	if (!otp || !otp->read || !otp->program ||
	    otp->size < PROT_OTP_LAYOUT_SIZE)
		return -EINVAL;
	return 0;
}

/* Value of a unary field: index of its highest set bit, plus one. */
static uint32_t unary_value(const uint8_t *field, size_t len)
{
	size_t i = len;

	while (i > 0) {
		uint8_t b = field[--i];
		uint32_t bit = 8;

		if (!b)
			continue;
		while (!(b & (1u << (bit - 1))))
			bit--;
		return (uint32_t)(i * 8u) + bit;
	}
	return 0;
}

/* Bits 0..value-1 set: a unary field holding @value. */
static void unary_fill(uint8_t *field, size_t len, uint32_t value)
{
	size_t i;

	for (i = 0; i < len; i++) {
		uint32_t done = (uint32_t)i * 8u;

		if (value >= done + 8u)
			field[i] = 0xff;
		else if (value > done)
			field[i] = (uint8_t)((1u << (value - done)) - 1u);
		else
			field[i] = 0;
	}
}

/*
 * Raise a unary field at @offset of @len bytes to @value: program the
 * target pattern (OR semantics make already-set bits harmless) and check
 * the read-back.
 */
static int unary_raise(const struct prot_otp_ops *otp, uint32_t offset,
		       size_t len, uint32_t value)
{
	uint8_t field[PROT_OTP_SVN_BYTES];
	int rc;

	unary_fill(field, len, value);
	rc = otp->program(otp->ctx, offset, field, len);
	if (rc)
		return rc;
	rc = otp->read(otp->ctx, offset, field, len);
	if (rc)
		return rc;
	return unary_value(field, len) >= value ? 0 : -EIO;
}

static bool all_zero(const uint8_t *p, size_t len)
{
	uint8_t acc = 0;

	while (len--)
		acc |= *p++;
	return acc == 0;
}

int prot_otp_key_hash_read(const struct prot_otp_ops *otp, uint8_t *hash)
{
	uint8_t commit;
	int rc;

	if (!hash)
		return -EINVAL;
	memset(hash, 0, PROT_OTP_KEY_HASH_SIZE);
	if (prot_otp_check(otp))
		return -EINVAL;
	rc = otp->read(otp->ctx, PROT_OTP_KEY_COMMIT_OFFSET, &commit, 1);
	if (rc)
		return rc;
	if (commit != 0xff)
		return -ENOENT;
	rc = otp->read(otp->ctx, PROT_OTP_KEY_HASH_OFFSET, hash,
		       PROT_OTP_KEY_HASH_SIZE);
	if (rc)
		memset(hash, 0, PROT_OTP_KEY_HASH_SIZE);
	return rc;
}

int prot_otp_key_hash_program(const struct prot_otp_ops *otp,
			      const uint8_t *hash)
{
	uint8_t cur[PROT_OTP_KEY_HASH_SIZE];
	uint8_t commit, full = 0xff;
	size_t i;
	int rc;

	if (prot_otp_check(otp) || !hash ||
	    all_zero(hash, PROT_OTP_KEY_HASH_SIZE))
		return -EINVAL;
	rc = otp->read(otp->ctx, PROT_OTP_KEY_COMMIT_OFFSET, &commit, 1);
	if (rc)
		return rc;
	rc = otp->read(otp->ctx, PROT_OTP_KEY_HASH_OFFSET, cur, sizeof(cur));
	if (rc)
		return rc;
	if (commit == 0xff)
		return memcmp(cur, hash, sizeof(cur)) ? -EEXIST : -EALREADY;
	/* Bits set that the new hash lacks: another hash was started. */
	for (i = 0; i < sizeof(cur); i++)
		if (cur[i] & (uint8_t)~hash[i])
			return -EEXIST;
	rc = otp->program(otp->ctx, PROT_OTP_KEY_HASH_OFFSET, hash,
			  PROT_OTP_KEY_HASH_SIZE);
	if (rc)
		return rc;
	rc = otp->read(otp->ctx, PROT_OTP_KEY_HASH_OFFSET, cur, sizeof(cur));
	if (rc)
		return rc;
	if (memcmp(cur, hash, sizeof(cur)))
		return -EIO;
	rc = otp->program(otp->ctx, PROT_OTP_KEY_COMMIT_OFFSET, &full, 1);
	if (rc)
		return rc;
	rc = otp->read(otp->ctx, PROT_OTP_KEY_COMMIT_OFFSET, &commit, 1);
	if (rc)
		return rc;
	return commit == 0xff ? 0 : -EIO;
}

static uint32_t svn_offset(unsigned int component)
{
	return PROT_OTP_SVN_OFFSET + component * PROT_OTP_SVN_BYTES;
}

int prot_otp_svn_read(const struct prot_otp_ops *otp, unsigned int component,
		      uint32_t *floor)
{
	uint8_t field[PROT_OTP_SVN_BYTES];
	int rc;

	if (prot_otp_check(otp) || !floor ||
	    component >= PROT_OTP_SVN_COMPONENTS)
		return -EINVAL;
	rc = otp->read(otp->ctx, svn_offset(component), field, sizeof(field));
	if (rc)
		return rc;
	*floor = unary_value(field, sizeof(field));
	return 0;
}

int prot_otp_svn_raise(const struct prot_otp_ops *otp, unsigned int component,
		       uint32_t floor)
{
	uint32_t cur;
	int rc;

	if (prot_otp_check(otp) || component >= PROT_OTP_SVN_COMPONENTS)
		return -EINVAL;
	if (floor > PROT_OTP_SVN_MAX)
		return -ERANGE;
	rc = prot_otp_svn_read(otp, component, &cur);
	if (rc)
		return rc;
	if (floor < cur)
		return -EPERM;
	if (floor == cur)
		return 0;
	return unary_raise(otp, svn_offset(component), PROT_OTP_SVN_BYTES,
			   floor);
}

int prot_otp_lifecycle_read(const struct prot_otp_ops *otp,
			    enum prot_lifecycle *state)
{
	uint8_t b;
	uint32_t v;
	int rc;

	if (prot_otp_check(otp) || !state)
		return -EINVAL;
	rc = otp->read(otp->ctx, PROT_OTP_LIFECYCLE_OFFSET, &b, 1);
	if (rc)
		return rc;
	v = unary_value(&b, 1);
	if (v > PROT_LIFECYCLE_DECOMMISSIONED)
		return -EBADMSG;
	*state = (enum prot_lifecycle)v;
	return 0;
}

int prot_otp_lifecycle_advance(const struct prot_otp_ops *otp,
			       enum prot_lifecycle state)
{
	enum prot_lifecycle cur;
	int rc;

	if ((unsigned int)state > PROT_LIFECYCLE_DECOMMISSIONED)
		return -EINVAL;
	rc = prot_otp_lifecycle_read(otp, &cur);
	if (rc)
		return rc;
	if (state < cur)
		return -EPERM;
	if (state == cur)
		return 0;
	return unary_raise(otp, PROT_OTP_LIFECYCLE_OFFSET, 1, (uint32_t)state);
}
