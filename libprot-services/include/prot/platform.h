/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Platform operations the update service consumes: NOR flash, a
 * millisecond clock and one-way OTP bits. A port implements them (the
 * POSIX port with files, the AST1060 port with its SPI and OTP
 * controllers; the tests with tests/prot/flash-sim.h).
 *
 * Every op takes the port's context pointer first and returns 0 or a
 * negative errno. The library treats any error as "the operation may or
 * may not have happened, in whole or in part" and never assumes more.
 * Buffers handed to an op have no alignment requirement and are only used
 * during the call.
 */
#ifndef PROT_PLATFORM_H
#define PROT_PLATFORM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Largest program granularity the library supports (bytes). */
#define PROT_FLASH_MAX_PROGRAM_SIZE 32u

/**
 * NOR flash: one device or one partition of it, addressed from 0.
 *
 * ctx: handed to every op.
 * read: copy @len bytes at @addr to @buf. Any address and length inside
 *     the device.
 * program: write @len bytes at @addr. @addr and @len are multiples of
 *     program_size. NOR rule: programming only moves bits away from the
 *     erased value (a 0xFF-erased part clears bits); the library never
 *     programs a unit twice between erases, so a port may refuse that.
 * erase: set the erase block starting at @addr (a multiple of erase_size)
 *     to the erased value; one block per call.
 * size: bytes in the device, a multiple of erase_size.
 * erase_size: erase block size, a power of two (4 KiB, 64 KiB...).
 * program_size: program granularity (write size and alignment), a power
 *     of two from 1 to PROT_FLASH_MAX_PROGRAM_SIZE.
 * erased_value: what an erased byte reads as: 0xFF or 0x00.
 *
 * Errors the ops return: -EINVAL (bad alignment), -ERANGE (outside the
 * device), -EIO (the device failed); a port may return others, which the
 * library passes on.
 */
struct prot_flash_ops {
	void *ctx;
	int (*read)(void *ctx, uint32_t addr, void *buf, size_t len);
	int (*program)(void *ctx, uint32_t addr, const void *buf, size_t len);
	int (*erase)(void *ctx, uint32_t addr);
	uint32_t size;
	uint32_t erase_size;
	uint32_t program_size;
	uint8_t erased_value;
};

/**
 * prot_flash_check() - check a flash description before use.
 *
 * Returns 0, or -EINVAL: @flash is NULL, an op is missing, erase_size or
 * program_size is zero or not a power of two, program_size exceeds
 * erase_size or PROT_FLASH_MAX_PROGRAM_SIZE, size is zero or not a
 * multiple of erase_size, or erased_value is neither 0xFF nor 0x00.
 */
int prot_flash_check(const struct prot_flash_ops *flash);

/**
 * Clock: milliseconds since an arbitrary origin, wrapping at 2^32 (compare
 * times by unsigned difference). The library never reads the clock on its
 * own initiative: it is read only inside calls the caller makes.
 */
struct prot_clock_ops {
	void *ctx;
	uint32_t (*now_ms)(void *ctx);
};

/**
 * OTP (fuses): one-way bits, addressed in bytes from 0.
 *
 * The library's view: an unprogrammed bit reads 0, a programmed bit 1
 * (a port whose hardware is the other way round inverts in its ops).
 *
 * read: copy @len bytes at @offset to @buf.
 * program: program every bit that is 1 in @buf (@len bytes at @offset);
 *     bits that are 0 in @buf are left as they are. The result is the OR of
 *     the old contents and @buf: nothing can ever move a bit back to 0.
 *     Any offset and length; a port whose fuses are programmed in words
 *     must read-modify-write the word itself (and must not be used for
 *     these fields if its words can be programmed only once).
 * size: bytes of OTP available to the library (at least
 *     PROT_OTP_LAYOUT_SIZE, see below).
 *
 * Errors: -ERANGE (outside size), -EIO (the device failed).
 */
struct prot_otp_ops {
	void *ctx;
	int (*read)(void *ctx, uint32_t offset, void *buf, size_t len);
	int (*program)(void *ctx, uint32_t offset, const void *buf, size_t len);
	uint32_t size;
};

/*
 * OTP layout used by the helpers below (byte offsets; docs/
 * metadata-format.md has the table):
 *
 *   0x00..0x2f  vendor public key hash, SHA-384 (48 bytes)
 *   0x30        key hash commit byte: 0xff once the hash is complete
 *   0x31        lifecycle state, unary: state N has bits 0..N-1 set
 *   0x32..0x3f  reserved (never programmed)
 *   0x40..      per-component SVN floors, PROT_OTP_SVN_BYTES each, unary:
 *               floor N has bits 0..N-1 of the field set (bit i is bit
 *               i % 8 of byte i / 8)
 *
 * Unary (thermometer) fields make raising the only possible change: a
 * lower value would need a bit cleared. Readers take the highest set bit
 * (value = its index + 1), so a torn raise reads at least the old value
 * and a gap in the bits never reads lower than a raise reached.
 */
#define PROT_OTP_KEY_HASH_SIZE 48u
#define PROT_OTP_KEY_HASH_OFFSET 0x00u
#define PROT_OTP_KEY_COMMIT_OFFSET 0x30u
#define PROT_OTP_LIFECYCLE_OFFSET 0x31u
#define PROT_OTP_SVN_OFFSET 0x40u
#define PROT_OTP_SVN_COMPONENTS 8u
#define PROT_OTP_SVN_BYTES 16u
/* Highest floor a field can hold. */
#define PROT_OTP_SVN_MAX (PROT_OTP_SVN_BYTES * 8u)
#define PROT_OTP_LAYOUT_SIZE                                                   \
	(PROT_OTP_SVN_OFFSET + PROT_OTP_SVN_COMPONENTS * PROT_OTP_SVN_BYTES)

/* Lifecycle states, in the only order they can be reached. */
enum prot_lifecycle {
	/* Nothing provisioned: manufacturing test, keys not yet written. */
	PROT_LIFECYCLE_BLANK = 0,
	/* Keys being provisioned; debug still open. */
	PROT_LIFECYCLE_PROVISIONING = 1,
	/* Production: debug closed, only signed firmware. */
	PROT_LIFECYCLE_PRODUCTION = 2,
	/* End of life: secrets unusable, nothing boots but recovery. */
	PROT_LIFECYCLE_DECOMMISSIONED = 3,
};

/**
 * prot_otp_check() - check an OTP description: ops present and size at
 * least PROT_OTP_LAYOUT_SIZE. Returns 0 or -EINVAL.
 */
int prot_otp_check(const struct prot_otp_ops *otp);

/**
 * prot_otp_key_hash_read() - the vendor key hash, if it was committed.
 *
 * @hash: receives PROT_OTP_KEY_HASH_SIZE bytes; zeroed on any error.
 * Returns 0; -ENOENT when the hash was never committed (a blank part, or a
 * provisioning step that was cut: verification must then refuse every
 * image); -EINVAL; or the read op's error.
 */
int prot_otp_key_hash_read(const struct prot_otp_ops *otp, uint8_t *hash);

/**
 * prot_otp_key_hash_program() - provision the vendor key hash, once.
 *
 * Programs the hash, reads it back, then programs the commit byte. A call
 * cut by a power loss can be repeated with the same hash and completes.
 * Returns 0; -EALREADY if this very hash is already committed; -EEXIST if
 * a different hash is committed or bits of another one are present (the
 * part cannot take this hash any more); -EINVAL for an all-zero hash
 * (indistinguishable from blank fuses) or bad arguments; -EIO if the
 * read-back differs; or an op's error.
 */
int prot_otp_key_hash_program(const struct prot_otp_ops *otp,
			      const uint8_t *hash);

/**
 * prot_otp_svn_read() - the anti-rollback floor of @component
 * (0..PROT_OTP_SVN_COMPONENTS-1) into @floor (0..PROT_OTP_SVN_MAX).
 * Returns 0, -EINVAL, or the read op's error.
 */
int prot_otp_svn_read(const struct prot_otp_ops *otp, unsigned int component,
		      uint32_t *floor);

/**
 * prot_otp_svn_raise() - raise the floor of @component to @floor.
 *
 * Programs the missing unary bits and reads the field back. Returns 0 (also
 * when the floor already is @floor); -EPERM when @floor is below the
 * current floor (nothing is written: lowering is impossible); -ERANGE when
 * @floor exceeds PROT_OTP_SVN_MAX; -EINVAL; -EIO if the read-back is below
 * @floor; or an op's error. After a cut, the floor reads between the old
 * and the new value; calling again completes the raise.
 */
int prot_otp_svn_raise(const struct prot_otp_ops *otp, unsigned int component,
		       uint32_t floor);

/**
 * prot_otp_lifecycle_read() - the lifecycle state into @state.
 * Returns 0; -EBADMSG if bits beyond PROT_LIFECYCLE_DECOMMISSIONED are
 * programmed (treat as tampered: fail closed); -EINVAL; or the read op's
 * error.
 */
int prot_otp_lifecycle_read(const struct prot_otp_ops *otp,
			    enum prot_lifecycle *state);

/**
 * prot_otp_lifecycle_advance() - move the lifecycle forward to @state
 * (skipping states is allowed). Returns 0 (also when already there);
 * -EPERM when @state is behind the current state; -EINVAL for an unknown
 * state or bad arguments; -EBADMSG as for the read; -EIO if the read-back
 * differs; or an op's error.
 */
int prot_otp_lifecycle_advance(const struct prot_otp_ops *otp,
			       enum prot_lifecycle state);

#ifdef __cplusplus
}
#endif

#endif /* PROT_PLATFORM_H */
