/* SPDX-License-Identifier: Apache-2.0 */
/*
 * prot-pkg: vendor keys, signed images and DSP0267 firmware update
 * packages (libpldm-fw's parser and writer). This file: main, the usage
 * and create --config; the other subcommands are in prot-pkg-*.c.
 *
 *   prot-pkg create --config CONFIG.json --out FILE [options] IMAGE...
 *
 * The config is the JSON metadata of the OpenBMC package generator
 * (pldm_fwup_pkg_creator.py; the format of the shared vectors' .json
 * files), read as that generator does: ApplicableComponents are component
 * indices; option and flag lists are bit numbers; ComponentComparisonStamp
 * is used only when ComponentOptions has 1 (else 0xFFFFFFFF); strings are
 * ASCII (type 1); the downstream minimum version string and stamp only
 * with flag bit 0. Unlike it, any bit number of the field's width is
 * accepted (reserved bits pass through, as the parser hands them on).
 *
 * Optional keys beyond that format (all printed by `info --json`, so its
 * output is a config that gives the same package back):
 *   PackageHeaderInformation: PackageReleaseDateTimeMicrosecond,
 *     PackageReleaseDateTimeUTCOffset (minutes),
 *     PackageReleaseDateTimeUTCAndTimeResolution, ComponentBitmapBitLength;
 *   FD records: FirmwareDevicePackageData (hex);
 *   downstream records: DownstreamDevicePackageData (hex);
 *   components: ComponentOpaqueData (hex, format 0x03+);
 *   any string KEY: KEYType (0-5) and KEYHex (bytes, instead of KEY).
 * Keys printed by `info --json` only (create ignores them):
 * PackageHeaderSize, the checksums, ChecksumsVerified, *Name,
 * ComponentLocationOffset, ComponentSize.
 *
 * See usage() for the command line and the exit codes.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>

#include "pldm/fw-package.h"
#include "prot-pkg.h"

void pkg_usage(FILE *f)
{
	fputs("usage:\n"
	      "  prot-pkg keygen --out-key KEY.pem [--out-pub PUB.pem] "
	      "[--force]\n"
	      "  prot-pkg sign --key KEY.pem --component ID --version "
	      "MAJ.MIN.PATCH[.BUILD]\n"
	      "                --svn N [--stamp N] --in BIN --out IMG\n"
	      "  prot-pkg verify [--pub PUB.pem] [--json] FILE\n"
	      "  prot-pkg create --out PKG --descriptor TYPE=HEX... "
	      "--image IMG...\n"
	      "                  [--version-string S] [--pub PUB.pem] "
	      "[--no-verify]\n"
	      "                  [--format-revision N] [--release-date-time "
	      "DATE]\n"
	      "  prot-pkg create --config CONFIG.json --out FILE\n"
	      "                  [--format-revision N] [--release-date-time "
	      "DATE]\n"
	      "                  IMAGE...\n"
	      "  prot-pkg info [--json] FILE\n"
	      "  prot-pkg COMMAND --help\n"
	      "\n"
	      "keygen: make an ECDSA P-384 key pair: KEY.pem (private, SEC1 "
	      "PEM, mode 0600)\n"
	      "  and PUB.pem (public, SubjectPublicKeyInfo PEM). Existing "
	      "files are kept\n"
	      "  (exit 1) unless --force.\n"
	      "sign: make a signed image (docs/image-format.md) of BIN for "
	      "component ID\n"
	      "  (0-65535), version MAJ.MIN.PATCH[.BUILD], security version "
	      "N; the\n"
	      "  comparison stamp defaults to MAJ<<24 | MIN<<16 | PATCH. The "
	      "signer's\n"
	      "  public key is embedded; the image is verified before it is "
	      "written.\n"
	      "verify: FILE is a signed image (header, signature with the "
	      "embedded key,\n"
	      "  payload digest) or a package (header and payload checksums, "
	      "then every\n"
	      "  component that is a signed image, whose identifier must be "
	      "the\n"
	      "  package's). --pub: the signing key must also be PUB.pem. "
	      "--json: the\n"
	      "  verdict, reason and header fields of each image as JSON "
	      "(also when\n"
	      "  refused).\n"
	      "create with --image: a DSP0267 package (format revision 4, "
	      "1.3, unless\n"
	      "  --format-revision) with one FD record holding the "
	      "descriptors (the first\n"
	      "  of an initial type, e.g. 0x0001=D5B40000 for IANA enterprise "
	      "46549),\n"
	      "  TYPE in decimal or 0x hex; vendor defined (0xFFFF) as "
	      "0xFFFF=TITLE:HEX.\n"
	      "  One component per IMG, classification 0x000A (Firmware), "
	      "identifier,\n"
	      "  comparison stamp and version string from the image header. "
	      "Each image\n"
	      "  is verified first (with --pub against that key) unless "
	      "--no-verify.\n"
	      "  --version-string: PackageVersionString and "
	      "ComponentImageSetVersionString\n"
	      "  (default: the first image's version).\n"
	      "create with --config: write a package from CONFIG.json (the "
	      "JSON metadata\n"
	      "  format of OpenBMC's pldm_fwup_pkg_creator.py) and one IMAGE "
	      "per entry of\n"
	      "  ComponentImageInformationArea, in that order.\n"
	      "  --format-revision N      1-4; overrides "
	      "PackageHeaderFormatVersion\n"
	      "  --release-date-time DATE 'YYYY-MM-DD HH:MM:SS' (also "
	      "YYYY-MM-DDTHH:MM:SS,\n"
	      "                           'DD/MM/YYYY HH:MM:SS'); overrides\n"
	      "                           PackageReleaseDateTime. Without "
	      "either, the\n"
	      "                           time is SOURCE_DATE_EPOCH or now, "
	      "in UTC.\n"
	      "info: validate FILE (lengths, offsets, header and payload "
	      "checksums) and\n"
	      "  print every field; --json prints them as JSON with the keys "
	      "of the\n"
	      "  config format.\n"
	      "\n"
	      "exit status: 0 success, 1 file error (read or write), 2 usage "
	      "error,\n"
	      "  3 invalid package, or a file that is neither a package nor "
	      "an image\n"
	      "  (the parser's reason is printed), 4 invalid config, key or "
	      "input,\n"
	      "  5 the writer refused the package described (reason "
	      "printed),\n"
	      "  6 verification failed: bad signature or digest, a key that "
	      "is not\n"
	      "  PUB.pem, a malformed or truncated image, a component "
	      "identifier that is\n"
	      "  not the image's.\n",
	      f);
}

/* ---- files ---- */

int pkg_read_file(const char *path, uint8_t **data, size_t *len)
{
	size_t cap = 4096, n = 0, got;
	uint8_t *buf = malloc(cap), *grown;
	FILE *fp = fopen(path, "rb");

	if (!fp || !buf) {
		fprintf(stderr, "prot-pkg: %s: %s\n", path, strerror(errno));
		free(buf);
		if (fp)
			fclose(fp);
		return -1;
	}
	for (;;) {
		if (n == cap) {
			grown = realloc(buf, cap * 2);
			if (!grown) {
				fprintf(stderr, "prot-pkg: %s: out of memory\n",
					path);
				free(buf);
				fclose(fp);
				return -1;
			}
			buf = grown;
			cap *= 2;
		}
		got = fread(buf + n, 1, cap - n, fp);
		n += got;
		if (got == 0)
			break;
	}
	if (ferror(fp)) {
		fprintf(stderr, "prot-pkg: %s: read error\n", path);
		free(buf);
		fclose(fp);
		return -1;
	}
	fclose(fp);
	*data = buf;
	*len = n;
	return 0;
}

/* ---- create: the config ---- */

/* Everything create allocates, freed at once. */
struct arena {
	void **ptrs;
	size_t count;
	size_t cap;
};

/* Take p over (freed with the arena); on failure free it, return NULL. */
static void *arena_adopt(struct arena *a, void *p)
{
	size_t cap = a->cap ? a->cap * 2 : 64;
	void **grown;

	if (p && a->count == a->cap) {
		grown = realloc(a->ptrs, cap * sizeof(*grown));
		if (!grown) {
			free(p);
			return NULL;
		}
		a->ptrs = grown;
		a->cap = cap;
	}
	if (p)
		a->ptrs[a->count++] = p;
	return p;
}

static void *arena_alloc(struct arena *a, size_t n, size_t size)
{
	return arena_adopt(a, calloc(n ? n : 1, size ? size : 1));
}

static void arena_free(struct arena *a)
{
	size_t i;

	for (i = 0; i < a->count; i++)
		free(a->ptrs[i]);
	free(a->ptrs);
}

struct config {
	struct arena arena;
	const char *path;
	uint16_t bitmap_bits;
	size_t components;
};

/* Report a config error about field `what` of item `where`. */
static int bad(const struct config *c, const char *where, const char *what,
	       const char *why)
{
	fprintf(stderr, "prot-pkg: %s: %s%s%s: %s\n", c->path, where,
		*where ? "." : "", what, why);
	return -1;
}

static json_object *member(json_object *o, const char *key)
{
	json_object *v = NULL;

	if (!json_object_is_type(o, json_type_object) ||
	    !json_object_object_get_ex(o, key, &v))
		return NULL;
	return v;
}

static int get_int(const struct config *c, json_object *o, const char *where,
		   const char *key, int64_t min, int64_t max, int64_t *out)
{
	json_object *v = member(o, key);

	if (!v)
		return bad(c, where, key, "missing");
	if (!json_object_is_type(v, json_type_int))
		return bad(c, where, key, "not an integer");
	*out = json_object_get_int64(v);
	if (*out < min || *out > max)
		return bad(c, where, key, "out of range");
	return 0;
}

/* An integer, or a string of hex digits with or without 0x. */
static int get_u32(const struct config *c, json_object *o, const char *where,
		   const char *key, uint32_t *out)
{
	json_object *v = member(o, key);
	unsigned long long x;
	const char *s;
	char *end;
	int64_t i;

	if (v && json_object_is_type(v, json_type_string)) {
		s = json_object_get_string(v);
		errno = 0;
		x = strtoull(s, &end, 16);
		if (!*s || *end || errno || x > UINT32_MAX || s[0] == '-' ||
		    s[0] == '+' || s[0] == ' ')
			return bad(c, where, key, "not a 32-bit hex number");
		*out = (uint32_t)x;
		return 0;
	}
	if (get_int(c, o, where, key, 0, UINT32_MAX, &i))
		return -1;
	*out = (uint32_t)i;
	return 0;
}

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

/* Hex digits, whitespace allowed between bytes (as Python's fromhex). */
static int parse_hex(struct config *c, const char *s, const char *where,
		     const char *key, struct pldm_package_span *out)
{
	size_t n = 0, len = strlen(s);
	uint8_t *buf = arena_alloc(&c->arena, len / 2 + 1, 1);
	int hi, lo;

	if (!buf)
		return bad(c, where, key, "out of memory");
	while (*s) {
		if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r') {
			s++;
			continue;
		}
		hi = hex_digit(s[0]);
		lo = hi < 0 ? -1 : hex_digit(s[1]);
		if (lo < 0)
			return bad(c, where, key, "not hex bytes");
		buf[n++] = (uint8_t)(hi << 4 | lo);
		s += 2;
	}
	out->ptr = buf;
	out->length = n;
	return 0;
}

/* An optional hex-bytes field: absent means empty. */
static int get_hex(struct config *c, json_object *o, const char *where,
		   const char *key, bool required,
		   struct pldm_package_span *out)
{
	json_object *v = member(o, key);

	out->ptr = NULL;
	out->length = 0;
	if (!v)
		return required ? bad(c, where, key, "missing") : 0;
	if (!json_object_is_type(v, json_type_string))
		return bad(c, where, key, "not a string of hex bytes");
	return parse_hex(c, json_object_get_string(v), where, key, out);
}

/*
 * A string field: KEY (text, written as its bytes) or KEYHex (bytes), and
 * KEYType (default 1, ASCII, the only type the reference generator
 * writes).
 */
static int get_string(struct config *c, json_object *o, const char *where,
		      const char *key, bool required,
		      struct pldm_package_write_string *out)
{
	struct pldm_package_span bytes;
	char name[128];
	json_object *v = member(o, key);
	int64_t type = PLDM_PACKAGE_STRING_ASCII;

	snprintf(name, sizeof(name), "%sType", key);
	if (member(o, name) && get_int(c, o, where, name, 0, 255, &type))
		return -1;
	out->type = (uint8_t)type;
	out->ptr = NULL;
	out->length = 0;
	if (v) {
		if (!json_object_is_type(v, json_type_string))
			return bad(c, where, key, "not a string");
		out->ptr = (const uint8_t *)json_object_get_string(v);
		out->length = (size_t)json_object_get_string_len(v);
		return 0;
	}
	snprintf(name, sizeof(name), "%sHex", key);
	if (member(o, name)) {
		if (get_hex(c, o, where, name, true, &bytes))
			return -1;
		out->ptr = bytes.ptr;
		out->length = bytes.length;
		return 0;
	}
	return required ? bad(c, where, key, "missing") : 0;
}

/* A list of bit numbers below width, as a value. */
static int get_bits(const struct config *c, json_object *o, const char *where,
		    const char *key, unsigned int width, uint32_t *out)
{
	json_object *v = member(o, key), *e;
	size_t i, n;
	int64_t bit;

	*out = 0;
	if (!v)
		return bad(c, where, key, "missing");
	if (!json_object_is_type(v, json_type_array))
		return bad(c, where, key, "not a list of bit numbers");
	n = json_object_array_length(v);
	for (i = 0; i < n; i++) {
		e = json_object_array_get_idx(v, i);
		if (!json_object_is_type(e, json_type_int))
			return bad(c, where, key, "not a list of bit numbers");
		bit = json_object_get_int64(e);
		if (bit < 0 || bit >= width)
			return bad(c, where, key, "bit number out of range");
		*out |= UINT32_C(1) << bit;
	}
	return 0;
}

/* ApplicableComponents: component indices, as a bitmap. */
static int get_applicable(struct config *c, json_object *o, const char *where,
			  struct pldm_package_span *out)
{
	json_object *v = member(o, "ApplicableComponents"), *e;
	size_t i, n, bytes = c->bitmap_bits / 8u;
	uint8_t *map = arena_alloc(&c->arena, bytes, 1);
	int64_t index;

	if (!map)
		return bad(c, where, "ApplicableComponents", "out of memory");
	out->ptr = map;
	out->length = bytes;
	if (!v)
		return bad(c, where, "ApplicableComponents", "missing");
	if (!json_object_is_type(v, json_type_array))
		return bad(c, where, "ApplicableComponents",
			   "not a list of component indices");
	n = json_object_array_length(v);
	for (i = 0; i < n; i++) {
		e = json_object_array_get_idx(v, i);
		if (!json_object_is_type(e, json_type_int))
			return bad(c, where, "ApplicableComponents",
				   "not a list of component indices");
		index = json_object_get_int64(e);
		if (index < 0 || (uint64_t)index >= c->components)
			return bad(c, where, "ApplicableComponents",
				   "index of no component");
		map[index / 8] |= (uint8_t)(1u << (index % 8));
	}
	return 0;
}

static int get_descriptors(struct config *c, json_object *o, const char *where,
			   const struct pldm_package_write_descriptor **out,
			   size_t *count)
{
	struct pldm_package_write_descriptor *d;
	json_object *v = member(o, "Descriptors"), *e;
	char here[256];
	int64_t type;
	size_t i, n;

	if (!v)
		return bad(c, where, "Descriptors", "missing");
	if (!json_object_is_type(v, json_type_array))
		return bad(c, where, "Descriptors", "not a list");
	n = json_object_array_length(v);
	d = arena_alloc(&c->arena, n, sizeof(*d));
	if (!d)
		return bad(c, where, "Descriptors", "out of memory");
	for (i = 0; i < n; i++) {
		e = json_object_array_get_idx(v, i);
		snprintf(here, sizeof(here), "%s.Descriptors[%zu]", where, i);
		if (get_int(c, e, here, "DescriptorType", 0, 0xffff, &type))
			return -1;
		d[i].descriptor_type = (uint16_t)type;
		if (type != PLDM_PACKAGE_DESCRIPTOR_VENDOR_DEFINED) {
			if (get_hex(c, e, here, "DescriptorData", true,
				    &d[i].descriptor_data))
				return -1;
			continue;
		}
		if (get_string(c, e, here, "VendorDefinedDescriptorTitleString",
			       true,
			       &d[i].vendor_defined_descriptor_title_string) ||
		    get_hex(c, e, here, "VendorDefinedDescriptorData", true,
			    &d[i].vendor_defined_descriptor_data))
			return -1;
	}
	*out = d;
	*count = n;
	return 0;
}

static int get_fd_records(struct config *c, json_object *root,
			  struct pldm_package_description *desc)
{
	struct pldm_package_write_fd_record *r;
	json_object *v = member(root, "FirmwareDeviceIdentificationArea"), *e;
	char here[128];
	size_t i, n;

	if (!v || !json_object_is_type(v, json_type_array))
		return bad(c, "", "FirmwareDeviceIdentificationArea",
			   "missing or not a list");
	n = json_object_array_length(v);
	r = arena_alloc(&c->arena, n, sizeof(*r));
	if (!r)
		return bad(c, "", "FirmwareDeviceIdentificationArea",
			   "out of memory");
	for (i = 0; i < n; i++) {
		e = json_object_array_get_idx(v, i);
		snprintf(here, sizeof(here),
			 "FirmwareDeviceIdentificationArea[%zu]", i);
		if (get_bits(c, e, here, "DeviceUpdateOptionFlags", 32,
			     &r[i].device_update_option_flags) ||
		    get_string(c, e, here, "ComponentImageSetVersionString",
			       true,
			       &r[i].component_image_set_version_string) ||
		    get_applicable(c, e, here, &r[i].applicable_components) ||
		    get_descriptors(c, e, here, &r[i].descriptors,
				    &r[i].descriptor_count) ||
		    get_hex(c, e, here, "FirmwareDevicePackageData", false,
			    &r[i].firmware_device_package_data) ||
		    get_hex(c, e, here, "ReferenceManifestData", false,
			    &r[i].reference_manifest_data))
			return -1;
	}
	desc->fd_records = r;
	desc->fd_record_count = n;
	return 0;
}

#define DD_PREFIX "DownstreamDeviceSelfContainedActivationMinVersion"

static int get_dd_records(struct config *c, json_object *root,
			  struct pldm_package_description *desc)
{
	struct pldm_package_write_dd_record *r;
	json_object *v = member(root, "DownstreamDeviceIdentificationArea"), *e;
	char here[128];
	size_t i, n;

	if (!v)
		return 0;
	if (!json_object_is_type(v, json_type_array))
		return bad(c, "", "DownstreamDeviceIdentificationArea",
			   "not a list");
	n = json_object_array_length(v);
	r = arena_alloc(&c->arena, n, sizeof(*r));
	if (!r)
		return bad(c, "", "DownstreamDeviceIdentificationArea",
			   "out of memory");
	for (i = 0; i < n; i++) {
		e = json_object_array_get_idx(v, i);
		snprintf(here, sizeof(here),
			 "DownstreamDeviceIdentificationArea[%zu]", i);
		if (get_bits(c, e, here, "DownstreamDeviceUpdateOptionFlags",
			     32, &r[i].update_option_flags))
			return -1;
		/*
		 * As the reference generator: the minimum version string and
		 * stamp only with bit 0 (else string type 0, empty).
		 */
		if (r[i].update_option_flags & 1u) {
			if (get_string(
				    c, e, here, DD_PREFIX "String", true,
				    &r[i].self_contained_activation_min_version_string) ||
			    get_u32(c, e, here, DD_PREFIX "ComparisonStamp",
				    &r[i].self_contained_activation_min_version_comparison_stamp))
				return -1;
		}
		if (get_applicable(c, e, here, &r[i].applicable_components) ||
		    get_descriptors(c, e, here, &r[i].descriptors,
				    &r[i].descriptor_count) ||
		    get_hex(c, e, here, "DownstreamDevicePackageData", false,
			    &r[i].downstream_device_package_data) ||
		    get_hex(c, e, here, "DownstreamDeviceReferenceManifestData",
			    false, &r[i].reference_manifest_data))
			return -1;
	}
	desc->dd_records = r;
	desc->dd_record_count = n;
	return 0;
}

static int get_components(struct config *c, json_object *area,
			  struct pldm_package_description *desc)
{
	struct pldm_package_write_component *w;
	uint32_t options, activation;
	json_object *e;
	char here[128];
	int64_t x;
	size_t i;

	w = arena_alloc(&c->arena, c->components, sizeof(*w));
	if (!w)
		return bad(c, "", "ComponentImageInformationArea",
			   "out of memory");
	for (i = 0; i < c->components; i++) {
		e = json_object_array_get_idx(area, i);
		snprintf(here, sizeof(here),
			 "ComponentImageInformationArea[%zu]", i);
		if (get_int(c, e, here, "ComponentClassification", 0, 0xffff,
			    &x))
			return -1;
		w[i].component_classification = (uint16_t)x;
		if (get_int(c, e, here, "ComponentIdentifier", 0, 0xffff, &x))
			return -1;
		w[i].component_identifier = (uint16_t)x;
		if (get_bits(c, e, here, "ComponentOptions", 16, &options) ||
		    get_bits(c, e, here, "RequestedComponentActivationMethod",
			     16, &activation))
			return -1;
		w[i].component_options = (uint16_t)options;
		w[i].requested_component_activation_method =
			(uint16_t)activation;
		/* The stamp is used only with option bit 1, else all ones. */
		w[i].component_comparison_stamp = UINT32_MAX;
		if (options &
		    PLDM_PACKAGE_COMPONENT_OPTION_USE_COMPARISON_STAMP) {
			if (get_u32(c, e, here, "ComponentComparisonStamp",
				    &w[i].component_comparison_stamp))
				return -1;
		} else if (member(e, "ComponentComparisonStamp")) {
			uint32_t ignored;

			if (get_u32(c, e, here, "ComponentComparisonStamp",
				    &ignored))
				return -1;
			if (ignored != UINT32_MAX)
				fprintf(stderr,
					"prot-pkg: %s: %s.ComponentComparison"
					"Stamp: ignored without ComponentOptions "
					"bit 1 (0xFFFFFFFF written)\n",
					c->path, here);
		}
		if (get_string(c, e, here, "ComponentVersionString", true,
			       &w[i].component_version_string) ||
		    get_hex(c, e, here, "ComponentOpaqueData", false,
			    &w[i].component_opaque_data))
			return -1;
	}
	desc->components = w;
	desc->component_count = c->components;
	return 0;
}

/* The date formats of the reference generator; 0 or -1. */
int pkg_parse_date(const char *s, struct pldm_timestamp104 *t)
{
	unsigned int y, mo, d, h, mi, sec;
	char sep;
	int end = -1;

	if (sscanf(s, "%4u-%2u-%2u%c%2u:%2u:%2u%n", &y, &mo, &d, &sep, &h, &mi,
		   &sec, &end) == 7 &&
	    (sep == 'T' || sep == ' ') && end >= 0 && !s[end]) {
		/* ISO order */
	} else if (end = -1, sscanf(s, "%2u/%2u/%4u %2u:%2u:%2u%n", &d, &mo, &y,
				    &h, &mi, &sec, &end) == 6 &&
				     end >= 0 && !s[end]) {
		/* day first */
	} else {
		return -1;
	}
	if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 ||
	    sec > 60 || y < 1 || y > 9999)
		return -1;
	t->year = (uint16_t)y;
	t->month = (uint8_t)mo;
	t->day = (uint8_t)d;
	t->hour = (uint8_t)h;
	t->minute = (uint8_t)mi;
	t->second = (uint8_t)sec;
	return 0;
}

/* No date given: SOURCE_DATE_EPOCH (reproducible builds) or now, UTC. */
int pkg_default_date(struct pldm_timestamp104 *t)
{
	const char *epoch = getenv("SOURCE_DATE_EPOCH");
	time_t now = time(NULL);
	struct tm tm;
	char *end;

	if (epoch) {
		now = (time_t)strtoll(epoch, &end, 10);
		if (!*epoch || *end) {
			fputs("prot-pkg: SOURCE_DATE_EPOCH is not a number\n",
			      stderr);
			return -1;
		}
	}
	if (!gmtime_r(&now, &tm))
		return -1;
	t->year = (uint16_t)(tm.tm_year + 1900);
	t->month = (uint8_t)(tm.tm_mon + 1);
	t->day = (uint8_t)tm.tm_mday;
	t->hour = (uint8_t)tm.tm_hour;
	t->minute = (uint8_t)tm.tm_min;
	t->second = (uint8_t)tm.tm_sec;
	return 0;
}

struct create_args {
	const char *config;
	const char *out;
	const char *date;
	int revision; /* 0: from the config */
	char **images;
	size_t image_count;
};

static int get_header(struct config *c, json_object *root,
		      const struct create_args *args,
		      struct pldm_package_description *desc)
{
	static const char where[] = "PackageHeaderInformation";
	struct pldm_timestamp104 *t = &desc->package_release_date_time;
	json_object *h = member(root, where), *v;
	struct pldm_package_span uuid;
	const uint8_t *want;
	int64_t x;

	if (!h || !json_object_is_type(h, json_type_object))
		return bad(c, "", where, "missing or not an object");
	if (args->revision) {
		x = args->revision;
	} else if (get_int(c, h, where, "PackageHeaderFormatVersion", 1, 4,
			   &x)) {
		return -1;
	}
	desc->package_header_format_revision = (uint8_t)x;
	want = pldm_package_header_identifier((uint8_t)x);

	/* The identifier follows from the revision; a given one must agree. */
	v = member(h, "PackageHeaderIdentifier");
	if (v && !args->revision) {
		if (!json_object_is_type(v, json_type_string))
			return bad(c, where, "PackageHeaderIdentifier",
				   "not a string");
		if (parse_hex(c, json_object_get_string(v), where,
			      "PackageHeaderIdentifier", &uuid))
			return -1;
		if (uuid.length != PLDM_PACKAGE_UUID_LEN ||
		    memcmp(uuid.ptr, want, PLDM_PACKAGE_UUID_LEN))
			return bad(c, where, "PackageHeaderIdentifier",
				   "not the identifier of "
				   "PackageHeaderFormatVersion");
	}

	v = member(h, "PackageReleaseDateTime");
	if (args->date) {
		if (pkg_parse_date(args->date, t)) {
			fprintf(stderr, "prot-pkg: --release-date-time: not "
					"'YYYY-MM-DD HH:MM:SS'\n");
			return -1;
		}
	} else if (v) {
		if (!json_object_is_type(v, json_type_string) ||
		    pkg_parse_date(json_object_get_string(v), t))
			return bad(c, where, "PackageReleaseDateTime",
				   "not 'YYYY-MM-DD HH:MM:SS'");
	} else if (pkg_default_date(t)) {
		return -1;
	}
	/* What the reference generator always writes as 0. */
	if (member(h, "PackageReleaseDateTimeMicrosecond")) {
		if (get_int(c, h, where, "PackageReleaseDateTimeMicrosecond", 0,
			    999999, &x))
			return -1;
		t->microsecond = (uint32_t)x;
	}
	if (member(h, "PackageReleaseDateTimeUTCOffset")) {
		if (get_int(c, h, where, "PackageReleaseDateTimeUTCOffset",
			    INT16_MIN, INT16_MAX, &x))
			return -1;
		t->utc_offset = (int16_t)x;
	}
	if (member(h, "PackageReleaseDateTimeUTCAndTimeResolution")) {
		if (get_int(c, h, where,
			    "PackageReleaseDateTimeUTCAndTimeResolution", 0,
			    255, &x))
			return -1;
		t->utc_and_time_resolution = (uint8_t)x;
	}
	if (member(h, "ComponentBitmapBitLength")) {
		if (get_int(c, h, where, "ComponentBitmapBitLength", 8, 0xfff8,
			    &x))
			return -1;
		desc->component_bitmap_bit_length = (uint16_t)x;
	}
	return get_string(c, h, where, "PackageVersionString", true,
			  &desc->package_version_string);
}

static int load_config(struct config *c, json_object *root,
		       const struct create_args *args,
		       struct pldm_package_description *desc)
{
	json_object *area = member(root, "ComponentImageInformationArea");

	if (!json_object_is_type(root, json_type_object))
		return bad(c, "", "(top)", "not a JSON object");
	if (!area || !json_object_is_type(area, json_type_array))
		return bad(c, "", "ComponentImageInformationArea",
			   "missing or not a list");
	c->components = json_object_array_length(area);
	if (c->components != args->image_count) {
		fprintf(stderr,
			"prot-pkg: %zu image(s) given for %zu component(s) in "
			"ComponentImageInformationArea\n",
			args->image_count, c->components);
		return -1;
	}
	if (get_header(c, root, args, desc))
		return -1;
	c->bitmap_bits = desc->component_bitmap_bit_length;
	if (!c->bitmap_bits)
		c->bitmap_bits = (uint16_t)((c->components + 7u) / 8u * 8u);
	if (c->components > 0xfff8 || c->bitmap_bits < c->components)
		return bad(c, "PackageHeaderInformation",
			   "ComponentBitmapBitLength",
			   "fewer bits than components");
	return get_fd_records(c, root, desc) || get_dd_records(c, root, desc) ||
			       get_components(c, area, desc)
		       ? -1
		       : 0;
}

static const char *area_name(enum pldm_package_write_area area)
{
	switch (area) {
	case PLDM_PACKAGE_WRITE_AREA_FD_RECORD:
		return "FirmwareDeviceIdentificationArea";
	case PLDM_PACKAGE_WRITE_AREA_DD_RECORD:
		return "DownstreamDeviceIdentificationArea";
	case PLDM_PACKAGE_WRITE_AREA_COMPONENT:
		return "ComponentImageInformationArea";
	default:
		return "PackageHeaderInformation";
	}
}

int pkg_write_out(const char *path, const uint8_t *data, size_t len)
{
	FILE *fp = fopen(path, "wb");

	if (!fp) {
		fprintf(stderr, "prot-pkg: %s: %s\n", path, strerror(errno));
		return -1;
	}
	if (fwrite(data, 1, len, fp) != len || fclose(fp)) {
		fprintf(stderr, "prot-pkg: %s: write error\n", path);
		remove(path);
		return -1;
	}
	return 0;
}

void pkg_print_write_error(const struct pldm_package_write_status *st)
{
	fprintf(stderr, "prot-pkg: cannot write the package: %s",
		pldm_package_write_reason_name(st->reason));
	if (st->area != PLDM_PACKAGE_WRITE_AREA_HEADER)
		fprintf(stderr, " (%s[%zu]", area_name(st->area), st->index);
	if (st->reason == PLDM_PACKAGE_WRITE_ERR_DESCRIPTOR_LENGTH ||
	    st->reason == PLDM_PACKAGE_WRITE_ERR_INITIAL_DESCRIPTOR)
		fprintf(stderr, ".Descriptors[%zu]", st->descriptor_index);
	fputs(st->area != PLDM_PACKAGE_WRITE_AREA_HEADER ? ")\n" : "\n",
	      stderr);
}

static int create(const struct create_args *args)
{
	struct pldm_package_description desc;
	struct pldm_package_write_status st;
	struct config c = {.path = args->config};
	struct pldm_package_write_component *w;
	json_object *root;
	uint8_t *out = NULL;
	size_t i, len = 0;
	int rc = EXIT_BAD_CONFIG;

	memset(&desc, 0, sizeof(desc));
	root = json_object_from_file(args->config);
	if (!root) {
		fprintf(stderr, "prot-pkg: %s: %s", args->config,
			json_util_get_last_err());
		return EXIT_BAD_CONFIG;
	}
	if (load_config(&c, root, args, &desc))
		goto done;

	/* The images, in component order. */
	rc = EXIT_IO;
	w = (struct pldm_package_write_component *)desc.components;
	for (i = 0; i < args->image_count; i++) {
		uint8_t *data;
		size_t n;

		if (pkg_read_file(args->images[i], &data, &n))
			goto done;
		if (!arena_adopt(&c.arena, data))
			goto done;
		w[i].image.ptr = data;
		w[i].image.length = n;
	}

	rc = EXIT_WRITE;
	if (pldm_package_write(&desc, NULL, &len, &st) == 0) {
		out = malloc(len ? len : 1);
		if (!out) {
			rc = EXIT_IO;
			goto done;
		}
		if (pldm_package_write(&desc, out, &len, &st) == 0) {
			rc = pkg_write_out(args->out, out, len) ? EXIT_IO : 0;
			goto done;
		}
	}
	pkg_print_write_error(&st);

done:
	free(out);
	arena_free(&c.arena);
	json_object_put(root);
	return rc;
}

static int cmd_create(int argc, char **argv)
{
	struct create_args args = {0};
	char *end;
	int i;

	/* Without --config: the package is made from signed images. */
	for (i = 0; i < argc && strcmp(argv[i], "--config"); i++)
		;
	if (i == argc)
		return pkg_cmd_create_images(argc, argv);

	for (i = 0; i < argc; i++) {
		const char *opt = argv[i];

		if (opt[0] != '-')
			break;
		if (i + 1 >= argc) {
			pkg_usage(stderr);
			return EXIT_USAGE;
		}
		if (!strcmp(opt, "--config")) {
			args.config = argv[++i];
		} else if (!strcmp(opt, "--out")) {
			args.out = argv[++i];
		} else if (!strcmp(opt, "--release-date-time")) {
			args.date = argv[++i];
		} else if (!strcmp(opt, "--format-revision")) {
			args.revision = (int)strtol(argv[++i], &end, 0);
			if (*end || args.revision < 1 || args.revision > 4) {
				fputs("prot-pkg: --format-revision: 1 to 4\n",
				      stderr);
				return EXIT_USAGE;
			}
		} else {
			pkg_usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (!args.config || !args.out || i >= argc) {
		pkg_usage(stderr);
		return EXIT_USAGE;
	}
	args.images = argv + i;
	args.image_count = (size_t)(argc - i);
	return create(&args);
}

static bool is_help(const char *arg)
{
	return !strcmp(arg, "--help") || !strcmp(arg, "-h");
}

int main(int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*run)(int argc, char **argv);
	} commands[] = {
		{"info", pkg_cmd_info},     {"create", cmd_create},
		{"keygen", pkg_cmd_keygen}, {"sign", pkg_cmd_sign},
		{"verify", pkg_cmd_verify},
	};
	size_t i;
	int j;

	for (i = 0; argc >= 2 && i < sizeof(commands) / sizeof(commands[0]);
	     i++) {
		if (strcmp(argv[1], commands[i].name))
			continue;
		for (j = 2; j < argc; j++) {
			if (is_help(argv[j])) {
				pkg_usage(stdout);
				return fflush(stdout) ? EXIT_IO : 0;
			}
		}
		return commands[i].run(argc - 2, argv + 2);
	}
	if (argc >= 2 && is_help(argv[1])) {
		pkg_usage(stdout);
		return 0;
	}
	pkg_usage(stderr);
	return EXIT_USAGE;
}
