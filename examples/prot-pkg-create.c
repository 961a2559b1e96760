/* SPDX-License-Identifier: Apache-2.0 */
/*
 * prot-pkg create --image: a DSP0267 package made from signed images
 * (prot/image.h). Each image's header gives its component's identifier,
 * comparison stamp and version string; the device descriptors come from
 * the command line. One firmware device record applies to every
 * component.
 */
#define _POSIX_C_SOURCE 200809L

#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pldm/fw-package.h"
#include "prot/image.h"
#include "prot-pkg.h"

/* DSP0267 ComponentClassification "Firmware". */
#define CLASSIFICATION_FIRMWARE 0x000Au
/* Bytes of a version string "255.255.65535.4294967295". */
#define VERSION_STRING_MAX 32u

struct image_args {
	const char *out;
	const char *date;
	const char *version_string;
	const char *pub;
	int revision;
	bool no_verify;
	char **descriptors;
	size_t descriptor_count;
	char **images;
	size_t image_count;
};

struct component {
	uint8_t *data;
	size_t len;
	struct prot_image_header hdr;
	char version[VERSION_STRING_MAX];
};

static int hex_digit(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

/* Hex bytes (no separators) into a new buffer: 0 or -1. */
static int parse_hex(const char *s, struct pldm_package_span *out)
{
	size_t n = strlen(s), i;
	uint8_t *buf;
	int hi, lo;

	if (!n || n % 2)
		return -1;
	buf = malloc(n / 2);
	if (!buf)
		return -1;
	for (i = 0; i < n / 2; i++) {
		hi = hex_digit(s[2 * i]);
		lo = hex_digit(s[2 * i + 1]);
		if (hi < 0 || lo < 0) {
			free(buf);
			return -1;
		}
		buf[i] = (uint8_t)(hi << 4 | lo);
	}
	out->ptr = buf;
	out->length = n / 2;
	return 0;
}

/* TYPE=HEX, or 0xFFFF=TITLE:HEX for a vendor-defined descriptor. */
static int parse_descriptor(const char *arg,
			    struct pldm_package_write_descriptor *d)
{
	const char *eq = strchr(arg, '='), *colon;
	unsigned long type;
	char *end;

	memset(d, 0, sizeof(*d));
	if (!eq || eq == arg || arg[0] == '-')
		return -1;
	type = strtoul(arg, &end, 0);
	if (end != eq || type > 0xffff)
		return -1;
	d->descriptor_type = (uint16_t)type;
	if (type != PLDM_PACKAGE_DESCRIPTOR_VENDOR_DEFINED)
		return parse_hex(eq + 1, &d->descriptor_data);
	colon = strchr(eq + 1, ':');
	if (!colon || colon == eq + 1)
		return -1;
	d->vendor_defined_descriptor_title_string.type =
		PLDM_PACKAGE_STRING_ASCII;
	d->vendor_defined_descriptor_title_string.ptr =
		(const uint8_t *)(eq + 1);
	d->vendor_defined_descriptor_title_string.length =
		(size_t)(colon - eq - 1);
	return parse_hex(colon + 1, &d->vendor_defined_descriptor_data);
}

static void free_descriptors(struct pldm_package_write_descriptor *d, size_t n)
{
	size_t i;

	for (i = 0; d && i < n; i++) {
		free((void *)d[i].descriptor_data.ptr);
		free((void *)d[i].vendor_defined_descriptor_data.ptr);
	}
	free(d);
}

/* Read, check and decode each image. */
static int load_images(const struct image_args *a, struct component *comps)
{
	uint8_t pub[PKG_PUBKEY_SIZE];
	enum prot_image_reason reason;
	size_t i, j;
	int rc;

	if (a->pub) {
		rc = pkg_load_pub(a->pub, pub);
		if (rc)
			return rc;
	}
	for (i = 0; i < a->image_count; i++) {
		struct component *c = &comps[i];

		if (pkg_read_file(a->images[i], &c->data, &c->len))
			return EXIT_IO;
		if (!pkg_is_image(c->data, c->len)) {
			fprintf(stderr, "prot-pkg: %s: not a signed image\n",
				a->images[i]);
			return EXIT_BAD_CONFIG;
		}
		if (a->no_verify) {
			if (prot_image_parse_header(c->data, c->len, &c->hdr,
						    &reason)) {
				fprintf(stderr,
					"prot-pkg: %s: bad header: %s\n",
					a->images[i],
					prot_image_reason_str(reason));
				return EXIT_BAD_CONFIG;
			}
		} else {
			rc = pkg_check_image(a->images[i], c->data, c->len,
					     a->pub ? pub : NULL, &c->hdr);
			if (rc)
				return rc;
		}
		/* As sign's --version took it: .BUILD only when not 0. */
		snprintf(c->version, sizeof(c->version), "%u.%u.%u",
			 c->hdr.version_major, c->hdr.version_minor,
			 c->hdr.version_patch);
		if (c->hdr.version_build)
			snprintf(c->version + strlen(c->version),
				 sizeof(c->version) - strlen(c->version),
				 ".%" PRIu32, c->hdr.version_build);
		for (j = 0; j < i; j++) {
			if (comps[j].hdr.component_id == c->hdr.component_id) {
				fprintf(stderr,
					"prot-pkg: %s and %s are both for "
					"component 0x%04X\n",
					a->images[j], a->images[i],
					c->hdr.component_id);
				return EXIT_BAD_CONFIG;
			}
		}
	}
	return 0;
}

static void set_string(struct pldm_package_write_string *s, const char *text)
{
	s->type = PLDM_PACKAGE_STRING_ASCII;
	s->ptr = (const uint8_t *)text;
	s->length = strlen(text);
}

static int write_package(const struct image_args *a, struct component *comps,
			 const struct pldm_package_write_descriptor *descs)
{
	struct pldm_package_write_component *w;
	struct pldm_package_write_fd_record fd;
	struct pldm_package_description desc;
	struct pldm_package_write_status st;
	const char *version;
	uint8_t *bitmap, *out = NULL;
	size_t i, len = 0;
	int rc = EXIT_IO;

	memset(&desc, 0, sizeof(desc));
	memset(&fd, 0, sizeof(fd));
	w = calloc(a->image_count, sizeof(*w));
	bitmap = calloc((a->image_count + 7) / 8, 1);
	if (!w || !bitmap)
		goto done;
	desc.package_header_format_revision =
		(uint8_t)(a->revision ? a->revision : 4);
	rc = EXIT_USAGE;
	if (a->date ? pkg_parse_date(a->date, &desc.package_release_date_time)
		    : pkg_default_date(&desc.package_release_date_time)) {
		if (a->date)
			fputs("prot-pkg: --release-date-time: not "
			      "'YYYY-MM-DD HH:MM:SS'\n",
			      stderr);
		goto done;
	}
	version = a->version_string ? a->version_string : comps[0].version;
	set_string(&desc.package_version_string, version);
	for (i = 0; i < a->image_count; i++) {
		w[i].component_classification = CLASSIFICATION_FIRMWARE;
		w[i].component_identifier = comps[i].hdr.component_id;
		w[i].component_comparison_stamp = comps[i].hdr.comparison_stamp;
		w[i].component_options =
			PLDM_PACKAGE_COMPONENT_OPTION_USE_COMPARISON_STAMP;
		set_string(&w[i].component_version_string, comps[i].version);
		w[i].image.ptr = comps[i].data;
		w[i].image.length = comps[i].len;
		bitmap[i / 8] |= (uint8_t)(1u << (i % 8));
	}
	set_string(&fd.component_image_set_version_string, version);
	fd.applicable_components.ptr = bitmap;
	fd.applicable_components.length = (a->image_count + 7) / 8;
	fd.descriptors = descs;
	fd.descriptor_count = a->descriptor_count;
	desc.fd_records = &fd;
	desc.fd_record_count = 1;
	desc.components = w;
	desc.component_count = a->image_count;

	rc = EXIT_WRITE;
	if (pldm_package_write(&desc, NULL, &len, &st) == 0) {
		out = malloc(len);
		if (!out) {
			rc = EXIT_IO;
			goto done;
		}
		if (pldm_package_write(&desc, out, &len, &st) == 0) {
			rc = pkg_write_out(a->out, out, len) ? EXIT_IO : 0;
			if (!rc)
				printf("%s: %zu bytes, %zu component(s)\n",
				       a->out, len, a->image_count);
			goto done;
		}
	}
	pkg_print_write_error(&st);
done:
	free(out);
	free(bitmap);
	free(w);
	return rc;
}

static int create_images(const struct image_args *a)
{
	struct pldm_package_write_descriptor *descs;
	struct component *comps;
	size_t i;
	int rc = EXIT_IO;

	descs = calloc(a->descriptor_count, sizeof(*descs));
	comps = calloc(a->image_count, sizeof(*comps));
	if (!descs || !comps)
		goto done;
	for (i = 0; i < a->descriptor_count; i++) {
		if (parse_descriptor(a->descriptors[i], &descs[i])) {
			fprintf(stderr,
				"prot-pkg: --descriptor %s: not TYPE=HEX "
				"(or 0xFFFF=TITLE:HEX)\n",
				a->descriptors[i]);
			rc = EXIT_USAGE;
			goto done;
		}
	}
	rc = load_images(a, comps);
	if (!rc)
		rc = write_package(a, comps, descs);
done:
	for (i = 0; comps && i < a->image_count; i++)
		free(comps[i].data);
	free(comps);
	free_descriptors(descs, a->descriptor_count);
	return rc;
}

static int usage_error(const char *why)
{
	if (why)
		fprintf(stderr, "prot-pkg: %s\n", why);
	pkg_usage(stderr);
	return EXIT_USAGE;
}

int pkg_cmd_create_images(int argc, char **argv)
{
	struct image_args a;
	char *end;
	int i, rc;

	memset(&a, 0, sizeof(a));
	a.descriptors = calloc((size_t)argc + 1, sizeof(char *));
	a.images = calloc((size_t)argc + 1, sizeof(char *));
	if (!a.descriptors || !a.images) {
		rc = EXIT_IO;
		goto done;
	}
	rc = EXIT_USAGE;
	for (i = 0; i < argc; i++) {
		const char *opt = argv[i];
		char *val = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(opt, "--no-verify")) {
			a.no_verify = true;
			continue;
		}
		if (!val) {
			rc = usage_error(NULL);
			goto done;
		}
		i++;
		if (!strcmp(opt, "--out")) {
			a.out = val;
		} else if (!strcmp(opt, "--descriptor")) {
			a.descriptors[a.descriptor_count++] = val;
		} else if (!strcmp(opt, "--image")) {
			a.images[a.image_count++] = val;
		} else if (!strcmp(opt, "--version-string")) {
			a.version_string = val;
		} else if (!strcmp(opt, "--pub")) {
			a.pub = val;
		} else if (!strcmp(opt, "--release-date-time")) {
			a.date = val;
		} else if (!strcmp(opt, "--format-revision")) {
			a.revision = (int)strtol(val, &end, 0);
			if (*end || a.revision < 1 || a.revision > 4) {
				rc = usage_error("--format-revision: 1 to 4");
				goto done;
			}
		} else {
			rc = usage_error(NULL);
			goto done;
		}
	}
	if (!a.out || !a.image_count || !a.descriptor_count) {
		rc = usage_error("create: --out, --descriptor and --image "
				 "are required (or --config)");
		goto done;
	}
	if (a.pub && a.no_verify) {
		rc = usage_error("create: --pub needs the images verified "
				 "(not with --no-verify)");
		goto done;
	}
	rc = create_images(&a);
done:
	free(a.descriptors);
	free(a.images);
	return rc;
}
