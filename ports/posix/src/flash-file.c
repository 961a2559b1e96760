/* SPDX-License-Identifier: Apache-2.0 */
/* POSIX port: file-backed NOR flash and OTP (prot-posix/flash-file.h). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "prot-posix/flash-file.h"

/* Bytes moved per pread/pwrite. */
#define CHUNK 4096u

static bool in_bounds(uint32_t size, uint32_t addr, size_t len)
{
	return addr <= size && len <= size - addr;
}

static int full_pread(int fd, void *buf, size_t len, off_t off)
{
	uint8_t *p = buf;

	while (len) {
		ssize_t n = pread(fd, p, len, off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return -EIO; /* the file shrank under us */
		p += n;
		len -= (size_t)n;
		off += n;
	}
	return 0;
}

static int full_pwrite(int fd, const void *buf, size_t len, off_t off)
{
	const uint8_t *p = buf;

	while (len) {
		ssize_t n = pwrite(fd, p, len, off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		p += n;
		len -= (size_t)n;
		off += n;
	}
	return 0;
}

/* Fill @len bytes at 0 with @value. */
static int fill(int fd, uint8_t value, uint32_t len)
{
	uint8_t buf[CHUNK];
	uint32_t off = 0;

	memset(buf, value, sizeof(buf));
	while (off < len) {
		uint32_t n = len - off < CHUNK ? len - off : CHUNK;
		int rc = full_pwrite(fd, buf, n, (off_t)off);

		if (rc)
			return rc;
		off += n;
	}
	return 0;
}

/* Open (or create, filled with @value) a file of exactly @size bytes. */
static int open_sized(const char *path, uint32_t size, bool create,
		      uint8_t value)
{
	struct stat st;
	int fd, rc;

	if (create)
		fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	else
		fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (create) {
		rc = fill(fd, value, size);
		if (rc) {
			close(fd);
			(void)unlink(path);
			return rc;
		}
		return fd;
	}
	if (fstat(fd, &st) < 0) {
		rc = -errno;
		close(fd);
		return rc;
	}
	if (!S_ISREG(st.st_mode) || st.st_size != (off_t)size) {
		close(fd);
		return -EFBIG;
	}
	return fd;
}

static bool pow2(uint32_t v)
{
	return v && !(v & (v - 1u));
}

static int flash_read(void *ctx, uint32_t addr, void *buf, size_t len)
{
	struct prot_posix_flash_file *f = ctx;

	if (!in_bounds(f->ops.size, addr, len))
		return -ERANGE;
	if (!len)
		return 0;
	return full_pread(f->fd, buf, len, (off_t)addr) ? -EIO : 0;
}

/* NOR: the result of programming @v over @cell must be @v. */
static bool programmable(uint8_t cell, uint8_t v, uint8_t erased)
{
	uint8_t res = erased ? (uint8_t)(cell & v) : (uint8_t)(cell | v);

	return res == v;
}

static int flash_program(void *ctx, uint32_t addr, const void *buf, size_t len)
{
	struct prot_posix_flash_file *f = ctx;
	const uint8_t *src = buf;
	uint8_t cur[CHUNK];
	size_t done;

	if (!in_bounds(f->ops.size, addr, len))
		return -ERANGE;
	if (addr % f->ops.program_size || len % f->ops.program_size)
		return -EINVAL;
	/* Check the whole range first: a refused program writes nothing. */
	for (done = 0; done < len;) {
		size_t n = len - done < CHUNK ? len - done : CHUNK;

		if (full_pread(f->fd, cur, n, (off_t)(addr + done)))
			return -EIO;
		for (size_t i = 0; i < n; i++)
			if (!programmable(cur[i], src[done + i],
					  f->ops.erased_value))
				return -EPERM;
		done += n;
	}
	return full_pwrite(f->fd, src, len, (off_t)addr) ? -EIO : 0;
}

static int flash_erase(void *ctx, uint32_t addr)
{
	struct prot_posix_flash_file *f = ctx;
	uint8_t buf[CHUNK];
	uint32_t bs = f->ops.erase_size, done;

	if (!in_bounds(f->ops.size, addr, bs))
		return -ERANGE;
	if (addr % bs)
		return -EINVAL;
	memset(buf, f->ops.erased_value, sizeof(buf));
	for (done = 0; done < bs;) {
		uint32_t n = bs - done < CHUNK ? bs - done : CHUNK;

		if (full_pwrite(f->fd, buf, n, (off_t)(addr + done)))
			return -EIO;
		done += n;
	}
	return 0;
}

int prot_posix_flash_file_open(struct prot_posix_flash_file *f,
			       const char *path, uint32_t size,
			       uint32_t erase_size, uint32_t program_size,
			       uint8_t erased_value, bool create)
{
	int fd;

	if (!f || !path)
		return -EINVAL;
	f->fd = -1;
	if (!pow2(erase_size) || !pow2(program_size) ||
	    program_size > erase_size ||
	    program_size > PROT_FLASH_MAX_PROGRAM_SIZE || !size ||
	    size % erase_size || (erased_value != 0xFFu && erased_value != 0))
		return -EINVAL;
	fd = open_sized(path, size, create, erased_value);
	if (fd < 0)
		return fd;
	f->fd = fd;
	f->ops.ctx = f;
	f->ops.read = flash_read;
	f->ops.program = flash_program;
	f->ops.erase = flash_erase;
	f->ops.size = size;
	f->ops.erase_size = erase_size;
	f->ops.program_size = program_size;
	f->ops.erased_value = erased_value;
	return 0;
}

void prot_posix_flash_file_close(struct prot_posix_flash_file *f)
{
	if (f && f->fd >= 0) {
		close(f->fd);
		f->fd = -1;
	}
}

static int otp_read(void *ctx, uint32_t offset, void *buf, size_t len)
{
	struct prot_posix_otp_file *f = ctx;

	if (!in_bounds(f->ops.size, offset, len))
		return -ERANGE;
	if (!len)
		return 0;
	return full_pread(f->fd, buf, len, (off_t)offset) ? -EIO : 0;
}

static int otp_program(void *ctx, uint32_t offset, const void *buf, size_t len)
{
	struct prot_posix_otp_file *f = ctx;
	const uint8_t *src = buf;
	uint8_t cur[CHUNK];
	size_t done;

	if (!in_bounds(f->ops.size, offset, len))
		return -ERANGE;
	for (done = 0; done < len;) {
		size_t n = len - done < CHUNK ? len - done : CHUNK;

		if (full_pread(f->fd, cur, n, (off_t)(offset + done)))
			return -EIO;
		for (size_t i = 0; i < n; i++)
			cur[i] = (uint8_t)(cur[i] | src[done + i]);
		if (full_pwrite(f->fd, cur, n, (off_t)(offset + done)))
			return -EIO;
		done += n;
	}
	return 0;
}

int prot_posix_otp_file_open(struct prot_posix_otp_file *f, const char *path,
			     uint32_t size, bool create)
{
	int fd;

	if (!f || !path)
		return -EINVAL;
	f->fd = -1;
	if (size < PROT_OTP_LAYOUT_SIZE)
		return -EINVAL;
	fd = open_sized(path, size, create, 0);
	if (fd < 0)
		return fd;
	f->fd = fd;
	f->ops.ctx = f;
	f->ops.read = otp_read;
	f->ops.program = otp_program;
	f->ops.size = size;
	return 0;
}

void prot_posix_otp_file_close(struct prot_posix_otp_file *f)
{
	if (f && f->fd >= 0) {
		close(f->fd);
		f->fd = -1;
	}
}
