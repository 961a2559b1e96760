/* SPDX-License-Identifier: Apache-2.0 */
/*
 * prot-pkg info: validate a DSP0267 package with libpldm-fw's parser and
 * print every field, as text or as JSON whose keys are those of the
 * create --config format (see prot-pkg.c).
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "pldm/fw-package.h"
#include "prot-pkg.h"

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

int pkg_cmd_info(int argc, char **argv)
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
			pkg_usage(stderr);
			return EXIT_USAGE;
		} else {
			path = argv[i];
		}
	}
	if (!path) {
		pkg_usage(stderr);
		return EXIT_USAGE;
	}
	if (pkg_read_file(path, &data, &len))
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
