/* SPDX-License-Identifier: Apache-2.0 */
/*
 * POSIX port: NOR flash and OTP (prot/platform.h) backed by files, for the
 * emulated PRoT (prot-device) and tests. The rules of the parts are
 * enforced as the RAM simulator of the tests does:
 *
 *   flash: erase sets one erase block to the erased value; program needs
 *     address and length aligned to program_size and only moves bits away
 *     from the erased value (a program that would need an erase is refused
 *     with -EPERM before anything is written); everything inside the size.
 *   OTP: program ORs the given bits into the file; nothing moves back.
 *
 * Every write goes straight to the file (pwrite, no cache of ours): a
 * process killed at any point leaves the file as a power cut would leave
 * the part, with the operation in flight done in whole or not at all (the
 * kernel's page cache; no torn writes are emulated).
 */
#ifndef PROT_POSIX_FLASH_FILE_H
#define PROT_POSIX_FLASH_FILE_H

#include <stdbool.h>
#include <stdint.h>

#include "prot/platform.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A file-backed flash; ops.ctx points to the struct. */
struct prot_posix_flash_file {
	struct prot_flash_ops ops;
	int fd;
};

/**
 * prot_posix_flash_file_open() - open the flash file at @path.
 * @size, @erase_size, @program_size, @erased_value: the geometry (checked
 *     with prot_flash_check()).
 * @create: true: create the file (it must not exist: O_EXCL) filled with
 *     the erased value; false: open an existing file, whose size must be
 *     @size.
 * Returns 0; -EINVAL (bad geometry or arguments); -EFBIG (the existing
 * file is not @size bytes); or the negative errno of open/read/write
 * (-EEXIST, -ENOENT...). Nothing is written when opening an existing file.
 */
int prot_posix_flash_file_open(struct prot_posix_flash_file *f,
			       const char *path, uint32_t size,
			       uint32_t erase_size, uint32_t program_size,
			       uint8_t erased_value, bool create);

/** prot_posix_flash_file_close() - close the file (idempotent). */
void prot_posix_flash_file_close(struct prot_posix_flash_file *f);

/** A file-backed OTP; ops.ctx points to the struct. */
struct prot_posix_otp_file {
	struct prot_otp_ops ops;
	int fd;
};

/**
 * prot_posix_otp_file_open() - open the OTP file at @path of @size bytes
 * (at least PROT_OTP_LAYOUT_SIZE). @create: create it (O_EXCL) with every
 * bit unprogrammed (0); else open an existing file of exactly @size bytes.
 * Returns 0, -EINVAL, -EFBIG (size differs) or a negative errno.
 */
int prot_posix_otp_file_open(struct prot_posix_otp_file *f, const char *path,
			     uint32_t size, bool create);

/** prot_posix_otp_file_close() - close the file (idempotent). */
void prot_posix_otp_file_close(struct prot_posix_otp_file *f);

#ifdef __cplusplus
}
#endif

#endif /* PROT_POSIX_FLASH_FILE_H */
