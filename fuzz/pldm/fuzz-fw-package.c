/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libFuzzer harness: the DSP0267 package parser and every iterator.
 *
 * Input: a package. It is parsed as given, then once more from a copy
 * whose header checksum (and, for format 0x04, payload checksum) has been
 * made right, so that mutations get past the checksums into the fields.
 *
 * Oracle besides the sanitizers: every pointer the parser or an iterator
 * hands out, with its length, lies inside the input buffer; a component
 * image lies after the header; a refused package yields no record; an
 * accepted one yields exactly the counts it announced.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pldm/fw-package.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_INPUT 65536

static uint8_t copy[MAX_INPUT];

static void inside(const uint8_t *buf, size_t len, const uint8_t *p, size_t n)
{
	if (n == 0 && !p)
		return;
	if (!p || p < buf || n > len || (size_t)(p - buf) > len - n)
		abort();
}

static void span(const uint8_t *buf, size_t len,
		 const struct pldm_package_span *s)
{
	inside(buf, len, s->ptr, s->length);
}

static void string(const uint8_t *buf, size_t len,
		   const struct pldm_package_string *s)
{
	inside(buf, len, s->ptr, s->length);
}

static void descriptors(const struct pldm_package *pkg,
			const struct pldm_package_span *s, uint8_t count)
{
	struct pldm_package_descriptor d;
	struct pldm_package_iter it;
	unsigned int n = 0;
	int rc;

	pldm_package_descriptors(pkg, s, count, &it);
	while ((rc = pldm_package_descriptor_next(&it, &d)) == 1) {
		n++;
		inside(s->ptr, s->length, d.descriptor_data.ptr,
		       d.descriptor_data.length);
		if (d.descriptor_type ==
		    PLDM_PACKAGE_DESCRIPTOR_VENDOR_DEFINED) {
			string(d.descriptor_data.ptr, d.descriptor_data.length,
			       &d.vendor_defined_descriptor_title_string);
			span(d.descriptor_data.ptr, d.descriptor_data.length,
			     &d.vendor_defined_descriptor_data);
		}
	}
	if (rc != 0 || n != count)
		abort();
}

static void check(const uint8_t *buf, size_t len)
{
	struct pldm_package_component comp;
	struct pldm_package_fd_record fd;
	struct pldm_package_dd_record dd;
	struct pldm_package_iter it;
	struct pldm_package pkg;
	unsigned int n;
	int rc;

	rc = pldm_package_parse(&pkg, buf, len);
	if ((rc == 0) != (pkg.reason == PLDM_PACKAGE_OK))
		abort();
	if (rc) {
		pldm_package_components(&pkg, &it);
		if (pldm_package_component_next(&it, &comp) >= 0)
			abort();
		return;
	}
	inside(buf, len, pkg.package_header_identifier, 16);
	string(buf, len, &pkg.package_version_string);
	if (pkg.package_header_size > len)
		abort();

	n = 0;
	pldm_package_fd_records(&pkg, &it);
	while ((rc = pldm_package_fd_record_next(&it, &fd)) == 1) {
		n++;
		string(buf, pkg.package_header_size,
		       &fd.component_image_set_version_string);
		span(buf, pkg.package_header_size, &fd.applicable_components);
		span(buf, pkg.package_header_size, &fd.record_descriptors);
		span(buf, pkg.package_header_size,
		     &fd.firmware_device_package_data);
		span(buf, pkg.package_header_size, &fd.reference_manifest_data);
		descriptors(&pkg, &fd.record_descriptors, fd.descriptor_count);
	}
	if (rc != 0 || n != pkg.device_id_record_count)
		abort();

	n = 0;
	pldm_package_dd_records(&pkg, &it);
	while ((rc = pldm_package_dd_record_next(&it, &dd)) == 1) {
		n++;
		string(buf, pkg.package_header_size,
		       &dd.self_contained_activation_min_version_string);
		span(buf, pkg.package_header_size, &dd.applicable_components);
		span(buf, pkg.package_header_size, &dd.record_descriptors);
		span(buf, pkg.package_header_size,
		     &dd.downstream_device_package_data);
		span(buf, pkg.package_header_size, &dd.reference_manifest_data);
		descriptors(&pkg, &dd.record_descriptors, dd.descriptor_count);
	}
	if (rc != 0 || n != pkg.downstream_device_id_record_count)
		abort();

	n = 0;
	pldm_package_components(&pkg, &it);
	while ((rc = pldm_package_component_next(&it, &comp)) == 1) {
		n++;
		string(buf, pkg.package_header_size,
		       &comp.component_version_string);
		span(buf, pkg.package_header_size, &comp.component_opaque_data);
		span(buf, len, &comp.image);
		if (comp.image.length == 0 ||
		    comp.image.ptr < buf + pkg.package_header_size)
			abort();
	}
	if (rc != 0 || n != pkg.component_image_count)
		abort();
}

static void put_le32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t header_size, fields;
	bool rev4;

	check(data, size);

	if (size < 19 || size > sizeof(copy))
		return 0;
	memcpy(copy, data, size);
	header_size = (size_t)copy[17] | (size_t)copy[18] << 8;
	rev4 = copy[16] == 4;
	if (header_size > size || header_size < (rev4 ? 8u : 4u))
		return 0;
	fields = header_size - (rev4 ? 8u : 4u);
	put_le32(copy + fields, pldm_crc32(copy, fields));
	if (rev4)
		put_le32(copy + fields + 4,
			 pldm_crc32(copy + header_size, size - header_size));
	check(copy, size);
	return 0;
}
