/* SPDX-License-Identifier: Apache-2.0 */
/*
 * prot-pkg: read and write DSP0267 firmware update packages with
 * libpldm-fw's parser and writer.
 *
 *   prot-pkg info [--json] FILE
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

enum {
	EXIT_IO = 1,
	EXIT_USAGE = 2,
	EXIT_BAD_PACKAGE = 3,
	EXIT_BAD_CONFIG = 4,
	EXIT_WRITE = 5,
};

static void usage(FILE *f)
{
	fputs("usage:\n"
	      "  prot-pkg info [--json] FILE\n"
	      "  prot-pkg create --config CONFIG.json --out FILE\n"
	      "                  [--format-revision N] [--release-date-time "
	      "DATE]\n"
	      "                  IMAGE...\n"
	      "\n"
	      "info: validate FILE (lengths, offsets, header and payload "
	      "checksums) and\n"
	      "  print every field; --json prints them as JSON with the keys "
	      "of the\n"
	      "  config format.\n"
	      "create: write a package from CONFIG.json (the JSON metadata "
	      "format of\n"
	      "  OpenBMC's pldm_fwup_pkg_creator.py) and one IMAGE per entry "
	      "of\n"
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
	      "\n"
	      "exit status: 0 success, 1 file error (read or write), 2 usage "
	      "error,\n"
	      "  3 invalid package (the parser's reason is printed), 4 invalid "
	      "config,\n"
	      "  5 the writer refused the package described (reason "
	      "printed).\n",
	      f);
}

/* ---- files ---- */

static int read_file(const char *path, uint8_t **data, size_t *len)
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

/* ---- names ---- */

static const char *string_type_name(uint8_t type)
{
	static const char *const names[] = {"Unknown", "ASCII",    "UTF-8",
					    "UTF-16",  "UTF-16LE", "UTF-16BE"};

	return type < 6 ? names[type] : "reserved";
}

static const char *descriptor_type_name(uint16_t type)
{
	switch (type) {
	case 0x0000:
		return "PCI Vendor ID";
	case 0x0001:
		return "IANA Enterprise ID";
	case 0x0002:
		return "UUID";
	case 0x0003:
		return "PnP Vendor ID";
	case 0x0004:
		return "ACPI Vendor ID";
	case 0x0005:
		return "IEEE Assigned Company ID";
	case 0x0006:
		return "SCSI Vendor ID";
	case 0x0100:
		return "PCI Device ID";
	case 0x0101:
		return "PCI Subsystem Vendor ID";
	case 0x0102:
		return "PCI Subsystem ID";
	case 0x0103:
		return "PCI Revision ID";
	case 0x0104:
		return "PnP Product Identifier";
	case 0x0105:
		return "ACPI Product Identifier";
	case 0x0106:
		return "ASCII Model Number (Long String)";
	case 0x0107:
		return "ASCII Model Number (Short String)";
	case 0x0108:
		return "SCSI Product ID";
	case 0x0109:
		return "UBM Controller Device Code";
	case 0xffff:
		return "Vendor Defined";
	default:
		return "unknown type";
	}
}

static const char *classification_name(uint16_t c)
{
	static const char *const names[] = {
		"Unknown",
		"Other",
		"Driver",
		"Configuration Software",
		"Application Software",
		"Instrumentation",
		"Firmware/BIOS",
		"Diagnostic Software",
		"Operating System",
		"Middleware",
		"Firmware",
		"BIOS/FCode",
		"Support/Service Pack",
		"Software Bundle",
	};

	if (c < sizeof(names) / sizeof(names[0]))
		return names[c];
	if (c == 0xffff)
		return "Downstream Device";
	if (c >= 0x8000)
		return "vendor defined";
	return "reserved";
}

static const char *const activation_bits[] = {
	"automatic",
	"self-contained",
	"medium-specific reset",
	"system reboot",
	"DC power cycle",
	"AC power cycle",
	"activate pending image",
	"activate pending image set",
};

static const char *const component_option_bits[] = {
	"force update",
	"use component comparison stamp",
};

/* ---- info, text ---- */

static void print_bytes_hex(const uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		printf("%02X", p[i]);
}

/* Printable ASCII only: anything else would make a string ambiguous. */
static bool printable(const uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i] < 0x20 || p[i] > 0x7e)
			return false;
	return true;
}

static void print_string(const char *indent, const char *name,
			 const struct pldm_package_string *s)
{
	size_t i;

	printf("%s%s: %s (%u), %u bytes, ", indent, name,
	       string_type_name(s->type), s->type, s->length);
	if (printable(s->ptr, s->length)) {
		putchar('"');
		for (i = 0; i < s->length; i++) {
			if (s->ptr[i] == '"' || s->ptr[i] == '\\')
				putchar('\\');
			putchar(s->ptr[i]);
		}
		puts("\"");
	} else {
		fputs("hex ", stdout);
		print_bytes_hex(s->ptr, s->length);
		putchar('\n');
	}
}

static void print_span(const char *indent, const char *name,
		       const struct pldm_package_span *s)
{
	printf("%s%s: %zu bytes", indent, name, s->length);
	if (s->length) {
		fputs(", hex ", stdout);
		print_bytes_hex(s->ptr, s->length);
	}
	putchar('\n');
}

static void print_bits(const char *indent, const char *name, uint32_t value,
		       unsigned int width, const char *const *names,
		       size_t named)
{
	unsigned int bit;

	printf("%s%s: 0x%0*" PRIX32, indent, name, (int)(width / 4), value);
	for (bit = 0; bit < width; bit++) {
		if (!(value & (UINT32_C(1) << bit)))
			continue;
		printf(bit < named ? " [bit %u: %s]" : " [bit %u%s]", bit,
		       bit < named ? names[bit] : ": reserved");
	}
	putchar('\n');
}

static void print_applicable(const char *indent,
			     const struct pldm_package_span *bitmap)
{
	uint16_t i;

	printf("%sApplicableComponents (bitmap ", indent);
	print_bytes_hex(bitmap->ptr, bitmap->length);
	fputs("):", stdout);
	for (i = 0; i < bitmap->length * 8u; i++)
		if (pldm_package_applicable(bitmap, i))
			printf(" %u", i);
	putchar('\n');
}

static void print_descriptors(const struct pldm_package *pkg,
			      const struct pldm_package_span *span,
			      uint8_t count)
{
	struct pldm_package_descriptor d;
	struct pldm_package_iter it;
	unsigned int i = 0;

	printf("    DescriptorCount: %u\n", count);
	pldm_package_descriptors(pkg, span, count, &it);
	while (pldm_package_descriptor_next(&it, &d) == 1) {
		printf("    Descriptor %u: DescriptorType 0x%04X (%s), "
		       "DescriptorLength %zu\n",
		       i++, d.descriptor_type,
		       descriptor_type_name(d.descriptor_type),
		       d.descriptor_data.length);
		if (d.descriptor_type !=
		    PLDM_PACKAGE_DESCRIPTOR_VENDOR_DEFINED) {
			print_span("      ", "DescriptorData",
				   &d.descriptor_data);
			continue;
		}
		print_string("      ", "VendorDefinedDescriptorTitleString",
			     &d.vendor_defined_descriptor_title_string);
		print_span("      ", "VendorDefinedDescriptorData",
			   &d.vendor_defined_descriptor_data);
	}
}

static void print_uuid(const uint8_t *u)
{
	int i;

	for (i = 0; i < 16; i++)
		printf(i == 4 || i == 6 || i == 8 || i == 10 ? "-%02x" : "%02x",
		       u[i]);
}

static void info_text(const struct pldm_package *pkg)
{
	const struct pldm_timestamp104 *t = &pkg->package_release_date_time;
	struct pldm_package_component comp;
	struct pldm_package_fd_record fd;
	struct pldm_package_dd_record dd;
	struct pldm_package_iter it;
	unsigned int n;

	puts("PackageHeaderInformation:");
	fputs("  PackageHeaderIdentifier: ", stdout);
	print_uuid(pkg->package_header_identifier);
	printf("\n  PackageHeaderFormatRevision: 0x%02X (DSP0267 1.%u)\n",
	       pkg->package_header_format_revision,
	       pkg->package_header_format_revision - 1u);
	printf("  PackageHeaderSize: %u\n", pkg->package_header_size);
	printf("  PackageReleaseDateTime: %04u-%02u-%02u %02u:%02u:%02u."
	       "%06" PRIu32 " UTC offset %d min, UTC and time resolution "
	       "0x%02X\n",
	       t->year, t->month, t->day, t->hour, t->minute, t->second,
	       t->microsecond, t->utc_offset, t->utc_and_time_resolution);
	printf("  ComponentBitmapBitLength: %u\n",
	       pkg->component_bitmap_bit_length);
	print_string("  ", "PackageVersionString",
		     &pkg->package_version_string);

	printf("FirmwareDeviceIdentificationArea: %u record(s)\n",
	       pkg->device_id_record_count);
	pldm_package_fd_records(pkg, &it);
	for (n = 0; pldm_package_fd_record_next(&it, &fd) == 1; n++) {
		printf("  FirmwareDeviceIDRecord %u:\n", n);
		print_bits("    ", "DeviceUpdateOptionFlags",
			   fd.device_update_option_flags, 32,
			   (const char *const[]){"continue component updates "
						 "after failure"},
			   1);
		print_string("    ", "ComponentImageSetVersionString",
			     &fd.component_image_set_version_string);
		print_applicable("    ", &fd.applicable_components);
		print_descriptors(pkg, &fd.record_descriptors,
				  fd.descriptor_count);
		print_span("    ", "FirmwareDevicePackageData",
			   &fd.firmware_device_package_data);
		if (pkg->package_header_format_revision >= 4)
			print_span("    ", "ReferenceManifestData",
				   &fd.reference_manifest_data);
	}

	if (pkg->package_header_format_revision < 2) {
		puts("DownstreamDeviceIdentificationArea: not in format "
		     "revision 0x01");
	} else {
		printf("DownstreamDeviceIdentificationArea: %u record(s)\n",
		       pkg->downstream_device_id_record_count);
	}
	pldm_package_dd_records(pkg, &it);
	for (n = 0; pldm_package_dd_record_next(&it, &dd) == 1; n++) {
		printf("  DownstreamDeviceIDRecord %u:\n", n);
		print_bits("    ", "DownstreamDeviceUpdateOptionFlags",
			   dd.update_option_flags, 32,
			   (const char *const[]){"self-contained activation "
						 "minimum version present"},
			   1);
		print_string("    ", "SelfContainedActivationMinVersionString",
			     &dd.self_contained_activation_min_version_string);
		if (dd.has_self_contained_activation_min_version_comparison_stamp)
			printf("    SelfContainedActivationMinVersionComparison"
			       "Stamp: 0x%08" PRIX32 "\n",
			       dd.self_contained_activation_min_version_comparison_stamp);
		print_applicable("    ", &dd.applicable_components);
		print_descriptors(pkg, &dd.record_descriptors,
				  dd.descriptor_count);
		print_span("    ", "DownstreamDevicePackageData",
			   &dd.downstream_device_package_data);
		if (pkg->package_header_format_revision >= 4)
			print_span("    ", "ReferenceManifestData",
				   &dd.reference_manifest_data);
	}

	printf("ComponentImageInformationArea: %u component(s)\n",
	       pkg->component_image_count);
	pldm_package_components(pkg, &it);
	while (pldm_package_component_next(&it, &comp) == 1) {
		printf("  Component %u:\n", comp.index);
		printf("    ComponentClassification: 0x%04X (%s)\n",
		       comp.component_classification,
		       classification_name(comp.component_classification));
		printf("    ComponentIdentifier: 0x%04X\n",
		       comp.component_identifier);
		printf("    ComponentComparisonStamp: 0x%08" PRIX32 "\n",
		       comp.component_comparison_stamp);
		print_bits("    ", "ComponentOptions", comp.component_options,
			   16, component_option_bits, 2);
		print_bits("    ", "RequestedComponentActivationMethod",
			   comp.requested_component_activation_method, 16,
			   activation_bits, 8);
		printf("    ComponentLocationOffset: %" PRIu32 "\n",
		       comp.component_location_offset);
		printf("    ComponentSize: %" PRIu32 "\n", comp.component_size);
		print_string("    ", "ComponentVersionString",
			     &comp.component_version_string);
		if (pkg->package_header_format_revision >= 3)
			print_span("    ", "ComponentOpaqueData",
				   &comp.component_opaque_data);
	}
	printf("PackageHeaderChecksum: 0x%08" PRIX32 " (checked: matches)\n",
	       pkg->package_header_checksum);
	if (pkg->has_payload_checksum)
		printf("PackagePayloadChecksum: 0x%08" PRIX32
		       " (checked: matches)\n",
		       pkg->package_payload_checksum);
}

/* ---- info, JSON ---- */

static json_object *json_hex(const uint8_t *p, size_t n)
{
	static const char digits[] = "0123456789ABCDEF";
	json_object *o;
	char *s = malloc(2 * n + 1);
	size_t i;

	if (!s)
		return NULL;
	for (i = 0; i < n; i++) {
		s[2 * i] = digits[p[i] >> 4];
		s[2 * i + 1] = digits[p[i] & 15];
	}
	s[2 * n] = '\0';
	o = json_object_new_string(s);
	free(s);
	return o;
}

static void add(json_object *o, const char *key, json_object *v)
{
	json_object_object_add(o, key, v);
}

static void add_int(json_object *o, const char *key, int64_t v)
{
	add(o, key, json_object_new_int64(v));
}

static void add_u32_hex(json_object *o, const char *key, uint32_t v)
{
	char s[16];

	snprintf(s, sizeof(s), "0x%08" PRIX32, v);
	add(o, key, json_object_new_string(s));
}

/* KEY (text) or KEYHex (bytes), and KEYType. */
static void add_string(json_object *o, const char *key,
		       const struct pldm_package_string *s)
{
	char name[128];

	snprintf(name, sizeof(name), "%sType", key);
	add_int(o, name, s->type);
	if (printable(s->ptr, s->length)) {
		add(o, key,
		    json_object_new_string_len((const char *)s->ptr,
					       (int)s->length));
	} else {
		snprintf(name, sizeof(name), "%sHex", key);
		add(o, name, json_hex(s->ptr, s->length));
	}
}

static json_object *bit_list(uint32_t value, unsigned int width)
{
	json_object *a = json_object_new_array();
	unsigned int bit;

	for (bit = 0; bit < width; bit++)
		if (value & (UINT32_C(1) << bit))
			json_object_array_add(a, json_object_new_int((int)bit));
	return a;
}

static json_object *applicable_list(const struct pldm_package_span *bitmap)
{
	json_object *a = json_object_new_array();
	uint16_t i;

	for (i = 0; i < bitmap->length * 8u; i++)
		if (pldm_package_applicable(bitmap, i))
			json_object_array_add(a, json_object_new_int(i));
	return a;
}

static json_object *descriptors_json(const struct pldm_package *pkg,
				     const struct pldm_package_span *span,
				     uint8_t count)
{
	json_object *a = json_object_new_array(), *o;
	struct pldm_package_descriptor d;
	struct pldm_package_iter it;

	pldm_package_descriptors(pkg, span, count, &it);
	while (pldm_package_descriptor_next(&it, &d) == 1) {
		o = json_object_new_object();
		add_int(o, "DescriptorType", d.descriptor_type);
		add(o, "DescriptorTypeName",
		    json_object_new_string(
			    descriptor_type_name(d.descriptor_type)));
		if (d.descriptor_type ==
		    PLDM_PACKAGE_DESCRIPTOR_VENDOR_DEFINED) {
			add_string(o, "VendorDefinedDescriptorTitleString",
				   &d.vendor_defined_descriptor_title_string);
			add(o, "VendorDefinedDescriptorData",
			    json_hex(d.vendor_defined_descriptor_data.ptr,
				     d.vendor_defined_descriptor_data.length));
		} else {
			add(o, "DescriptorData",
			    json_hex(d.descriptor_data.ptr,
				     d.descriptor_data.length));
		}
		json_object_array_add(a, o);
	}
	return a;
}

static void info_json(const struct pldm_package *pkg)
{
	const struct pldm_timestamp104 *t = &pkg->package_release_date_time;
	const struct pldm_package_span *s;
	json_object *root, *hdr, *area, *o;
	struct pldm_package_component comp;
	struct pldm_package_fd_record fd;
	struct pldm_package_dd_record dd;
	struct pldm_package_iter it;
	uint8_t rev = pkg->package_header_format_revision;
	char date[64];

	root = json_object_new_object();
	hdr = json_object_new_object();
	add(hdr, "PackageHeaderIdentifier",
	    json_hex(pkg->package_header_identifier, PLDM_PACKAGE_UUID_LEN));
	add_int(hdr, "PackageHeaderFormatVersion", rev);
	add_int(hdr, "PackageHeaderSize", pkg->package_header_size);
	snprintf(date, sizeof(date), "%04u-%02u-%02u %02u:%02u:%02u", t->year,
		 t->month, t->day, t->hour, t->minute, t->second);
	add(hdr, "PackageReleaseDateTime", json_object_new_string(date));
	add_int(hdr, "PackageReleaseDateTimeMicrosecond", t->microsecond);
	add_int(hdr, "PackageReleaseDateTimeUTCOffset", t->utc_offset);
	add_int(hdr, "PackageReleaseDateTimeUTCAndTimeResolution",
		t->utc_and_time_resolution);
	add_int(hdr, "ComponentBitmapBitLength",
		pkg->component_bitmap_bit_length);
	add_string(hdr, "PackageVersionString", &pkg->package_version_string);
	add_u32_hex(hdr, "PackageHeaderChecksum", pkg->package_header_checksum);
	if (pkg->has_payload_checksum)
		add_u32_hex(hdr, "PackagePayloadChecksum",
			    pkg->package_payload_checksum);
	add(hdr, "ChecksumsVerified", json_object_new_boolean(1));
	add(root, "PackageHeaderInformation", hdr);

	area = json_object_new_array();
	pldm_package_fd_records(pkg, &it);
	while (pldm_package_fd_record_next(&it, &fd) == 1) {
		o = json_object_new_object();
		add(o, "DeviceUpdateOptionFlags",
		    bit_list(fd.device_update_option_flags, 32));
		add_string(o, "ComponentImageSetVersionString",
			   &fd.component_image_set_version_string);
		add(o, "ApplicableComponents",
		    applicable_list(&fd.applicable_components));
		add(o, "Descriptors",
		    descriptors_json(pkg, &fd.record_descriptors,
				     fd.descriptor_count));
		s = &fd.firmware_device_package_data;
		add(o, "FirmwareDevicePackageData",
		    json_hex(s->ptr, s->length));
		if (rev >= 4) {
			s = &fd.reference_manifest_data;
			add(o, "ReferenceManifestData",
			    json_hex(s->ptr, s->length));
		}
		json_object_array_add(area, o);
	}
	add(root, "FirmwareDeviceIdentificationArea", area);

	if (rev >= 2) {
		area = json_object_new_array();
		pldm_package_dd_records(pkg, &it);
		while (pldm_package_dd_record_next(&it, &dd) == 1) {
			o = json_object_new_object();
			add(o, "DownstreamDeviceUpdateOptionFlags",
			    bit_list(dd.update_option_flags, 32));
			add_string(
				o,
				"DownstreamDeviceSelfContainedActivationMinVersionString",
				&dd.self_contained_activation_min_version_string);
			if (dd.has_self_contained_activation_min_version_comparison_stamp)
				add_int(o,
					"DownstreamDeviceSelfContainedActivation"
					"MinVersionComparisonStamp",
					dd.self_contained_activation_min_version_comparison_stamp);
			add(o, "ApplicableComponents",
			    applicable_list(&dd.applicable_components));
			add(o, "Descriptors",
			    descriptors_json(pkg, &dd.record_descriptors,
					     dd.descriptor_count));
			s = &dd.downstream_device_package_data;
			add(o, "DownstreamDevicePackageData",
			    json_hex(s->ptr, s->length));
			if (rev >= 4) {
				s = &dd.reference_manifest_data;
				add(o, "DownstreamDeviceReferenceManifestData",
				    json_hex(s->ptr, s->length));
			}
			json_object_array_add(area, o);
		}
		add(root, "DownstreamDeviceIdentificationArea", area);
	}

	area = json_object_new_array();
	pldm_package_components(pkg, &it);
	while (pldm_package_component_next(&it, &comp) == 1) {
		o = json_object_new_object();
		add_int(o, "ComponentClassification",
			comp.component_classification);
		add(o, "ComponentClassificationName",
		    json_object_new_string(classification_name(
			    comp.component_classification)));
		add_int(o, "ComponentIdentifier", comp.component_identifier);
		add_u32_hex(o, "ComponentComparisonStamp",
			    comp.component_comparison_stamp);
		add(o, "ComponentOptions",
		    bit_list(comp.component_options, 16));
		add(o, "RequestedComponentActivationMethod",
		    bit_list(comp.requested_component_activation_method, 16));
		add_int(o, "ComponentLocationOffset",
			comp.component_location_offset);
		add_int(o, "ComponentSize", comp.component_size);
		add_string(o, "ComponentVersionString",
			   &comp.component_version_string);
		if (rev >= 3)
			add(o, "ComponentOpaqueData",
			    json_hex(comp.component_opaque_data.ptr,
				     comp.component_opaque_data.length));
		json_object_array_add(area, o);
	}
	add(root, "ComponentImageInformationArea", area);

	puts(json_object_to_json_string_ext(
		root, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
			      JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(root);
}

static int cmd_info(int argc, char **argv)
{
	struct pldm_package pkg;
	const char *path = NULL;
	bool json = false;
	uint8_t *data;
	size_t len;
	int i, rc;

	for (i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--json")) {
			json = true;
		} else if (argv[i][0] == '-' || path) {
			usage(stderr);
			return EXIT_USAGE;
		} else {
			path = argv[i];
		}
	}
	if (!path) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (read_file(path, &data, &len))
		return EXIT_IO;
	rc = pldm_package_parse(&pkg, data, len);
	if (rc) {
		fprintf(stderr, "prot-pkg: %s: invalid package: %s (%s)\n",
			path, pldm_package_reason_name(pkg.reason),
			strerror(-rc));
		free(data);
		return EXIT_BAD_PACKAGE;
	}
	if (json)
		info_json(&pkg);
	else
		info_text(&pkg);
	free(data);
	return fflush(stdout) ? EXIT_IO : 0;
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
static int parse_date(const char *s, struct pldm_timestamp104 *t)
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
static int default_date(struct pldm_timestamp104 *t)
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
		if (parse_date(args->date, t)) {
			fprintf(stderr, "prot-pkg: --release-date-time: not "
					"'YYYY-MM-DD HH:MM:SS'\n");
			return -1;
		}
	} else if (v) {
		if (!json_object_is_type(v, json_type_string) ||
		    parse_date(json_object_get_string(v), t))
			return bad(c, where, "PackageReleaseDateTime",
				   "not 'YYYY-MM-DD HH:MM:SS'");
	} else if (default_date(t)) {
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

static int write_out(const char *path, const uint8_t *data, size_t len)
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

		if (read_file(args->images[i], &data, &n))
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
			rc = write_out(args->out, out, len) ? EXIT_IO : 0;
			goto done;
		}
	}
	fprintf(stderr, "prot-pkg: cannot write the package: %s",
		pldm_package_write_reason_name(st.reason));
	if (st.area != PLDM_PACKAGE_WRITE_AREA_HEADER)
		fprintf(stderr, " (%s[%zu]", area_name(st.area), st.index);
	if (st.reason == PLDM_PACKAGE_WRITE_ERR_DESCRIPTOR_LENGTH ||
	    st.reason == PLDM_PACKAGE_WRITE_ERR_INITIAL_DESCRIPTOR)
		fprintf(stderr, ".Descriptors[%zu]", st.descriptor_index);
	fputs(st.area != PLDM_PACKAGE_WRITE_AREA_HEADER ? ")\n" : "\n", stderr);

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

	for (i = 0; i < argc; i++) {
		const char *opt = argv[i];

		if (opt[0] != '-')
			break;
		if (i + 1 >= argc) {
			usage(stderr);
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
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (!args.config || !args.out || i >= argc) {
		usage(stderr);
		return EXIT_USAGE;
	}
	args.images = argv + i;
	args.image_count = (size_t)(argc - i);
	return create(&args);
}

int main(int argc, char **argv)
{
	if (argc >= 2 && !strcmp(argv[1], "info"))
		return cmd_info(argc - 2, argv + 2);
	if (argc >= 2 && !strcmp(argv[1], "create"))
		return cmd_create(argc - 2, argv + 2);
	if (argc >= 2 &&
	    (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		usage(stdout);
		return 0;
	}
	usage(stderr);
	return EXIT_USAGE;
}
