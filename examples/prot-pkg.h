/* SPDX-License-Identifier: Apache-2.0 */
/*
 * prot-pkg: what its source files share. prot-pkg.c holds main, the
 * usage and create --config; prot-pkg-info.c info; prot-pkg-sign.c
 * keygen, sign and verify; prot-pkg-create.c create from signed images
 * (--image/--descriptor).
 */
#ifndef PROT_PKG_H
#define PROT_PKG_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "pldm/fw-package.h"

/* Exit status of every subcommand (usage() documents them). */
enum {
	EXIT_IO = 1,          /* a file cannot be read or written */
	EXIT_USAGE = 2,       /* bad command line */
	EXIT_BAD_PACKAGE = 3, /* not a valid package (or image) */
	EXIT_BAD_CONFIG = 4,  /* invalid config, key or input */
	EXIT_WRITE = 5,       /* the package writer refused */
	EXIT_VERIFY = 6,      /* a signature, digest or key check failed */
};

/* Print the usage and the exit codes to @f. */
void pkg_usage(FILE *f);

/* Read the whole file at @path into *@data (malloc'd; free it), *@len
 * bytes. Prints the error and returns -1 on failure. */
int pkg_read_file(const char *path, uint8_t **data, size_t *len);

/* Write @len bytes to @path (mode 0644 less umask); prints the error and
 * removes a partial file on failure (-1). */
int pkg_write_out(const char *path, const uint8_t *data, size_t len);

/* 'YYYY-MM-DD HH:MM:SS' (also with T, or 'DD/MM/YYYY HH:MM:SS'): 0 or -1. */
int pkg_parse_date(const char *s, struct pldm_timestamp104 *t);

/* SOURCE_DATE_EPOCH or now, in UTC: 0 or -1 (message printed). */
int pkg_default_date(struct pldm_timestamp104 *t);

/* Print why pldm_package_write() refused (one line on stderr). */
void pkg_print_write_error(const struct pldm_package_write_status *st);

/* The subcommands beyond info and create --config; @argc/@argv after the
 * subcommand name. Each returns an exit status. */
int pkg_cmd_info(int argc, char **argv);
int pkg_cmd_keygen(int argc, char **argv);
int pkg_cmd_sign(int argc, char **argv);
int pkg_cmd_verify(int argc, char **argv);
int pkg_cmd_create_images(int argc, char **argv);

struct prot_image_header;

/* Bytes of a P-384 public key point (0x04 || X || Y). */
#define PKG_PUBKEY_SIZE 97u

/* Load the P-384 public key of the PEM (or DER) file @path as a point
 * into @pub. Returns 0 or an exit status (message printed). */
int pkg_load_pub(const char *path, uint8_t *pub);

/*
 * Verify the signed image @data (@len bytes, exactly the image) named
 * @name with prot_image_verify(): against its embedded key, or against
 * @expect_pub (PKG_PUBKEY_SIZE bytes) if not NULL. Prints one line (to
 * stdout if it verifies, else to stderr). Fills @hdr (may be NULL) when
 * it verifies. Returns 0, EXIT_VERIFY or EXIT_IO (crypto set-up).
 */
int pkg_check_image(const char *name, const uint8_t *data, size_t len,
		    const uint8_t *expect_pub, struct prot_image_header *hdr);

/* Does @data start like a signed image (its magic)? */
int pkg_is_image(const uint8_t *data, size_t len);

#endif /* PROT_PKG_H */
