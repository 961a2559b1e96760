/* SPDX-License-Identifier: Apache-2.0 */
/*
 * DSP0267 package writer: a small 0x04 package against golden bytes laid
 * out by hand from the DSP0267 tables (checksums computed independently
 * with python3 zlib.crc32), every error reason, the parse(write(x)) and
 * write(parse(pkg)) round trips on the shared vectors, and all four format
 * revisions through the parser.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "pldm/fw-package.h"

#ifndef PLDM_VECTOR_DIR
#error "PLDM_VECTOR_DIR must be set by the build"
#endif

#define MAX_FILE 4096
#define MAX_ITEMS 8

struct file {
	uint8_t data[MAX_FILE];
	size_t len;
};

static struct file v10, v13;

static void load(struct file *f, const char *name)
{
	char path[512];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s", PLDM_VECTOR_DIR, name);
	fp = fopen(path, "rb");
	if (!fp)
		fail_msg("missing vector %s", path);
	f->len = fread(f->data, 1, sizeof(f->data), fp);
	fclose(fp);
	assert_true(f->len > 0 && f->len < sizeof(f->data));
}

static int setup(void **state)
{
	(void)state;
	load(&v10, "sample-v1.0.pldm");
	load(&v13, "sample-v1.3.pldm");
	return 0;
}

#define STR(t, s)                                                              \
	{                                                                      \
		(t), (const uint8_t *)(s), sizeof(s) - 1                       \
	}
#define SPAN(a)                                                                \
	{                                                                      \
		(a), sizeof(a)                                                 \
	}

static const uint8_t iana[] = {0x47, 0x16, 0x00, 0x00};
static const uint8_t vendor_data[] = {0xab};
static const uint8_t fd_package_data[] = {0xd0, 0xd1};
static const uint8_t fd_manifest[] = {0xe0};
static const uint8_t pci_vendor[] = {0x86, 0x80};
static const uint8_t opaque[] = {0x0f};
static const uint8_t image[] = {0xaa, 0xbb};
static const uint8_t bit0[] = {0x01};

static const struct pldm_package_write_descriptor fd_descriptors[] = {
	{.descriptor_type = PLDM_PACKAGE_DESCRIPTOR_IANA_ENTERPRISE_ID,
	 .descriptor_data = SPAN(iana)},
	{.descriptor_type = PLDM_PACKAGE_DESCRIPTOR_VENDOR_DEFINED,
	 .vendor_defined_descriptor_title_string = STR(1, "T"),
	 .vendor_defined_descriptor_data = SPAN(vendor_data)},
};

static const struct pldm_package_write_descriptor dd_descriptors[] = {
	{.descriptor_type = PLDM_PACKAGE_DESCRIPTOR_PCI_VENDOR_ID,
	 .descriptor_data = SPAN(pci_vendor)},
};

/* The small package of the golden test; tests copy and spoil it. */
struct small {
	struct pldm_package_description desc;
	struct pldm_package_write_fd_record fd[MAX_ITEMS];
	struct pldm_package_write_dd_record dd[MAX_ITEMS];
	struct pldm_package_write_component comp[MAX_ITEMS];
	struct pldm_package_write_descriptor descs[MAX_ITEMS];
};

static void small_init(struct small *s)
{
	memset(s, 0, sizeof(*s));
	s->desc.package_header_format_revision = PLDM_PACKAGE_FORMAT_1_3;
	s->desc.package_release_date_time.utc_offset = -60;
	s->desc.package_release_date_time.microsecond = 0x010203;
	s->desc.package_release_date_time.second = 5;
	s->desc.package_release_date_time.minute = 4;
	s->desc.package_release_date_time.hour = 3;
	s->desc.package_release_date_time.day = 2;
	s->desc.package_release_date_time.month = 1;
	s->desc.package_release_date_time.year = 2025;
	s->desc.package_release_date_time.utc_and_time_resolution = 1;
	s->desc.package_version_string =
		(struct pldm_package_write_string)STR(1, "P1");

	memcpy(s->descs, fd_descriptors, sizeof(fd_descriptors));
	s->fd[0].device_update_option_flags = 1;
	s->fd[0].component_image_set_version_string =
		(struct pldm_package_write_string)STR(1, "S");
	s->fd[0].applicable_components = (struct pldm_package_span)SPAN(bit0);
	s->fd[0].descriptors = s->descs;
	s->fd[0].descriptor_count = 2;
	s->fd[0].firmware_device_package_data =
		(struct pldm_package_span)SPAN(fd_package_data);
	s->fd[0].reference_manifest_data =
		(struct pldm_package_span)SPAN(fd_manifest);
	s->desc.fd_records = s->fd;
	s->desc.fd_record_count = 1;

	s->dd[0].update_option_flags = 1;
	s->dd[0].self_contained_activation_min_version_string =
		(struct pldm_package_write_string)STR(1, "M");
	s->dd[0].self_contained_activation_min_version_comparison_stamp =
		0x12345678;
	s->dd[0].applicable_components = (struct pldm_package_span)SPAN(bit0);
	s->dd[0].descriptors = dd_descriptors;
	s->dd[0].descriptor_count = 1;
	s->desc.dd_records = s->dd;
	s->desc.dd_record_count = 1;

	s->comp[0].component_classification = 0x000a;
	s->comp[0].component_identifier = 0x0001;
	s->comp[0].component_comparison_stamp = 0x00000002;
	s->comp[0].component_options = 0x0002;
	s->comp[0].requested_component_activation_method = 0x0001;
	s->comp[0].component_version_string =
		(struct pldm_package_write_string)STR(1, "C");
	s->comp[0].component_opaque_data =
		(struct pldm_package_span)SPAN(opaque);
	s->comp[0].image = (struct pldm_package_span)SPAN(image);
	s->desc.components = s->comp;
	s->desc.component_count = 1;
}

/* DSP0267 1.3 Table 3 (package header) onwards, field by field. */
static const uint8_t golden[] = {
	/* PackageHeaderIdentifier: the 1.3 UUID 7B291C99-6DB6-4208-801B-
	 * 02026E463C78 */
	0x7b, 0x29, 0x1c, 0x99, 0x6d, 0xb6, 0x42, 0x08, 0x80, 0x1b, 0x02, 0x02,
	0x6e, 0x46, 0x3c, 0x78, 0x04, /* PackageHeaderFormatRevision */
	0x8d, 0x00, /* PackageHeaderSize: 141 (through both checksums) */
	/* PackageReleaseDateTime, timestamp104 (DSP0240): UTC offset -60
	 * (0xFFC4), microsecond 0x010203 (3 bytes), second 5, minute 4, hour
	 * 3, day 2, month 1, year 2025 (0x07E9), UTC and resolution 0x01 */
	0xc4, 0xff, 0x03, 0x02, 0x01, 0x05, 0x04, 0x03, 0x02, 0x01, 0xe9, 0x07,
	0x01, 0x08,
	0x00,           /* ComponentBitmapBitLength: 8 (1 component, rounded) */
	0x01, 0x02,     /* PackageVersionStringType ASCII, length 2 */
	'P', '1', 0x01, /* DeviceIDRecordCount */
	/* FirmwareDeviceIDRecord (Table 4) */
	0x24, 0x00,             /* RecordLength: 36 */
	0x02,                   /* DescriptorCount */
	0x01, 0x00, 0x00, 0x00, /* DeviceUpdateOptionFlags */
	0x01, 0x01,             /* ComponentImageSetVersionString type, len */
	0x02, 0x00,             /* FirmwareDevicePackageDataLength */
	0x01, 0x00, 0x00, 0x00, /* ReferenceManifestLength (1.3) */
	0x01,                   /* ApplicableComponents: bit 0 */
	'S',                    /* ComponentImageSetVersionString */
	/* RecordDescriptors: IANA Enterprise ID, type 0x0001, length 4 */
	0x01, 0x00, 0x04, 0x00, 0x47, 0x16, 0x00, 0x00,
	/* vendor defined, type 0xFFFF, length 4: title ASCII, length 1, "T",
	 * data 0xAB */
	0xff, 0xff, 0x04, 0x00, 0x01, 0x01, 'T', 0xab, 0xd0,
	0xd1, /* FirmwareDevicePackageData */
	0xe0, /* ReferenceManifestData */
	0x01, /* DownstreamDeviceIDRecordCount */
	/* DownstreamDeviceIDRecord (Table 5) */
	0x1b, 0x00,             /* RecordLength: 27 */
	0x01,                   /* DescriptorCount */
	0x01, 0x00, 0x00, 0x00, /* update option flags: bit 0, self-contained
				   activation, so the stamp follows */
	0x01, 0x01,             /* SelfContainedActivationMinVersionString
				   type, length */
	0x00, 0x00,             /* DownstreamDevicePackageDataLength */
	0x00, 0x00, 0x00, 0x00, /* ReferenceManifestLength (1.3) */
	0x01,                   /* ApplicableComponents */
	'M', 0x78, 0x56, 0x34, 0x12, /* ...MinVersionComparisonStamp */
	/* RecordDescriptors: PCI Vendor ID, type 0x0000, length 2 */
	0x00, 0x00, 0x02, 0x00, 0x86, 0x80, 0x01,
	0x00, /* ComponentImageCount */
	/* ComponentImageInformation (Table 6) */
	0x0a, 0x00,             /* ComponentClassification: firmware */
	0x01, 0x00,             /* ComponentIdentifier */
	0x02, 0x00, 0x00, 0x00, /* ComponentComparisonStamp */
	0x02, 0x00,             /* ComponentOptions: use the stamp */
	0x01, 0x00,             /* RequestedComponentActivationMethod */
	0x8d, 0x00, 0x00, 0x00, /* ComponentLocationOffset: 141 */
	0x02, 0x00, 0x00, 0x00, /* ComponentSize */
	0x01, 0x01, 'C',        /* ComponentVersionString type, length, "C" */
	0x01, 0x00, 0x00, 0x00, /* ComponentOpaqueDataLength (1.2+) */
	0x0f,                   /* ComponentOpaqueData */
	0x37, 0x56, 0xfc, 0x40, /* PackageHeaderChecksum: CRC-32 of 0..132 */
	0x98, 0x2c, 0x82, 0x49, /* PackagePayloadChecksum: CRC-32 of AA BB */
	0xaa, 0xbb,             /* the component image */
};

static void test_golden(void **state)
{
	struct pldm_package_write_status st;
	uint8_t out[sizeof(golden) + 8];
	struct small s;
	size_t len;

	(void)state;
	small_init(&s);

	/* Size query. */
	len = 0;
	assert_int_equal(pldm_package_write(&s.desc, NULL, &len, &st), 0);
	assert_int_equal(len, sizeof(golden));
	assert_int_equal(st.header_size, 141);
	assert_int_equal(st.package_size, sizeof(golden));

	/* A larger buffer: only the package is written. */
	memset(out, 0x5a, sizeof(out));
	len = sizeof(out);
	assert_int_equal(pldm_package_write(&s.desc, out, &len, &st), 0);
	assert_int_equal(st.reason, PLDM_PACKAGE_WRITE_OK);
	assert_int_equal(len, sizeof(golden));
	assert_memory_equal(out, golden, sizeof(golden));
	assert_int_equal(out[sizeof(golden)], 0x5a);

	/* Exactly the size. */
	len = sizeof(golden);
	assert_int_equal(pldm_package_write(&s.desc, out, &len, NULL), 0);
	assert_memory_equal(out, golden, sizeof(golden));
}

static void test_buffer_too_small(void **state)
{
	struct pldm_package_write_status st;
	uint8_t out[sizeof(golden)];
	struct small s;
	size_t len;

	(void)state;
	small_init(&s);
	len = sizeof(golden) - 1;
	assert_int_equal(pldm_package_write(&s.desc, out, &len, &st),
			 -EMSGSIZE);
	assert_int_equal(st.reason, PLDM_PACKAGE_WRITE_ERR_BUFFER_TOO_SMALL);
	assert_int_equal(len, sizeof(golden));
	assert_int_equal(st.package_size, sizeof(golden));
	len = 0;
	assert_int_equal(pldm_package_write(&s.desc, out, &len, NULL),
			 -EMSGSIZE);
	assert_int_equal(len, sizeof(golden));
}

/* parse(write(x)) gives back every field of x. */
static void test_parse_back(void **state)
{
	struct pldm_package_component comp;
	struct pldm_package_descriptor d;
	struct pldm_package_fd_record fd;
	struct pldm_package_dd_record dd;
	struct pldm_package_iter it, dit;
	struct pldm_package pkg;
	uint8_t out[sizeof(golden)];
	struct small s;
	size_t len = sizeof(out);

	(void)state;
	small_init(&s);
	assert_int_equal(pldm_package_write(&s.desc, out, &len, NULL), 0);
	assert_int_equal(pldm_package_parse(&pkg, out, len), 0);
	assert_int_equal(pkg.package_header_format_revision, 4);
	assert_memory_equal(&pkg.package_release_date_time,
			    &s.desc.package_release_date_time,
			    sizeof(pkg.package_release_date_time));
	assert_int_equal(pkg.component_bitmap_bit_length, 8);
	assert_int_equal(pkg.package_version_string.type, 1);
	assert_int_equal(pkg.package_version_string.length, 2);
	assert_memory_equal(pkg.package_version_string.ptr, "P1", 2);

	pldm_package_fd_records(&pkg, &it);
	assert_int_equal(pldm_package_fd_record_next(&it, &fd), 1);
	assert_int_equal(fd.device_update_option_flags, 1);
	assert_int_equal(fd.component_image_set_version_string.length, 1);
	assert_int_equal(fd.component_image_set_version_string.ptr[0], 'S');
	assert_int_equal(fd.applicable_components.length, 1);
	assert_int_equal(fd.applicable_components.ptr[0], 1);
	assert_int_equal(fd.firmware_device_package_data.length, 2);
	assert_memory_equal(fd.firmware_device_package_data.ptr,
			    fd_package_data, 2);
	assert_int_equal(fd.reference_manifest_data.length, 1);
	assert_int_equal(fd.reference_manifest_data.ptr[0], 0xe0);
	assert_int_equal(fd.descriptor_count, 2);
	pldm_package_descriptors(&pkg, &fd.record_descriptors,
				 fd.descriptor_count, &dit);
	assert_int_equal(pldm_package_descriptor_next(&dit, &d), 1);
	assert_int_equal(d.descriptor_type, 1);
	assert_int_equal(d.descriptor_data.length, 4);
	assert_memory_equal(d.descriptor_data.ptr, iana, 4);
	assert_int_equal(pldm_package_descriptor_next(&dit, &d), 1);
	assert_int_equal(d.descriptor_type, 0xffff);
	assert_int_equal(d.vendor_defined_descriptor_title_string.type, 1);
	assert_int_equal(d.vendor_defined_descriptor_title_string.length, 1);
	assert_int_equal(d.vendor_defined_descriptor_title_string.ptr[0], 'T');
	assert_int_equal(d.vendor_defined_descriptor_data.length, 1);
	assert_int_equal(d.vendor_defined_descriptor_data.ptr[0], 0xab);
	assert_int_equal(pldm_package_descriptor_next(&dit, &d), 0);

	pldm_package_dd_records(&pkg, &it);
	assert_int_equal(pldm_package_dd_record_next(&it, &dd), 1);
	assert_int_equal(dd.update_option_flags, 1);
	assert_true(
		dd.has_self_contained_activation_min_version_comparison_stamp);
	assert_int_equal(
		dd.self_contained_activation_min_version_comparison_stamp,
		0x12345678);
	assert_int_equal(dd.self_contained_activation_min_version_string.ptr[0],
			 'M');
	assert_int_equal(dd.descriptor_count, 1);
	assert_int_equal(dd.downstream_device_package_data.length, 0);
	assert_int_equal(pldm_package_dd_record_next(&it, &dd), 0);

	pldm_package_components(&pkg, &it);
	assert_int_equal(pldm_package_component_next(&it, &comp), 1);
	assert_int_equal(comp.component_classification, 0x000a);
	assert_int_equal(comp.component_identifier, 1);
	assert_int_equal(comp.component_comparison_stamp, 2);
	assert_int_equal(comp.component_options, 2);
	assert_int_equal(comp.requested_component_activation_method, 1);
	assert_int_equal(comp.component_version_string.ptr[0], 'C');
	assert_int_equal(comp.component_opaque_data.length, 1);
	assert_int_equal(comp.component_opaque_data.ptr[0], 0x0f);
	assert_int_equal(comp.image.length, 2);
	assert_memory_equal(comp.image.ptr, image, 2);
	assert_int_equal(pldm_package_component_next(&it, &comp), 0);
}

/* Every revision writes a package its parser accepts, fields in place. */
static void test_revisions(void **state)
{
	struct pldm_package_component comp;
	struct pldm_package_iter it;
	struct pldm_package pkg;
	uint8_t out[256];
	struct small s;
	uint8_t rev;
	size_t len;

	(void)state;
	for (rev = 1; rev <= 4; rev++) {
		small_init(&s);
		s.desc.package_header_format_revision = rev;
		if (rev < 4) {
			s.fd[0].reference_manifest_data.length = 0;
			s.fd[0].reference_manifest_data.ptr = NULL;
		}
		if (rev < 3)
			s.comp[0].component_opaque_data.length = 0;
		if (rev < 2)
			s.desc.dd_record_count = 0;
		len = sizeof(out);
		assert_int_equal(pldm_package_write(&s.desc, out, &len, NULL),
				 0);
		assert_int_equal(pldm_package_parse(&pkg, out, len), 0);
		assert_int_equal(pkg.package_header_format_revision, rev);
		assert_memory_equal(pkg.package_header_identifier,
				    pldm_package_header_identifier(rev), 16);
		assert_int_equal(pkg.has_payload_checksum, rev == 4);
		assert_int_equal(pkg.downstream_device_id_record_count,
				 rev >= 2 ? 1 : 0);
		pldm_package_components(&pkg, &it);
		assert_int_equal(pldm_package_component_next(&it, &comp), 1);
		assert_int_equal(comp.component_opaque_data.length,
				 rev >= 3 ? 1 : 0);
		assert_int_equal(comp.image.length, 2);
		assert_int_equal(comp.component_location_offset,
				 pkg.package_header_size);
	}
	assert_null(pldm_package_header_identifier(0));
	assert_null(pldm_package_header_identifier(5));
}

/*
 * write(parse(pkg)): the description filled from the parser's view only,
 * then written again, must give back the vector's bytes.
 */
struct from_parse {
	struct pldm_package_description desc;
	struct pldm_package_write_fd_record fd[MAX_ITEMS];
	struct pldm_package_write_dd_record dd[MAX_ITEMS];
	struct pldm_package_write_component comp[MAX_ITEMS];
	struct pldm_package_write_descriptor descs[2 * MAX_ITEMS][MAX_ITEMS];
};

static void copy_string(struct pldm_package_write_string *w,
			const struct pldm_package_string *s)
{
	w->type = s->type;
	w->ptr = s->ptr;
	w->length = s->length;
}

static size_t copy_descriptors(const struct pldm_package *pkg,
			       const struct pldm_package_span *span,
			       uint8_t count,
			       struct pldm_package_write_descriptor *out)
{
	struct pldm_package_descriptor d;
	struct pldm_package_iter it;
	size_t n = 0;

	pldm_package_descriptors(pkg, span, count, &it);
	while (pldm_package_descriptor_next(&it, &d) == 1) {
		assert_true(n < MAX_ITEMS);
		out[n].descriptor_type = d.descriptor_type;
		out[n].descriptor_data = d.descriptor_data;
		copy_string(&out[n].vendor_defined_descriptor_title_string,
			    &d.vendor_defined_descriptor_title_string);
		out[n].vendor_defined_descriptor_data =
			d.vendor_defined_descriptor_data;
		n++;
	}
	return n;
}

static void from_parse(struct from_parse *f, const struct pldm_package *pkg)
{
	struct pldm_package_component comp;
	struct pldm_package_fd_record fd;
	struct pldm_package_dd_record dd;
	struct pldm_package_iter it;
	size_t n;

	memset(f, 0, sizeof(*f));
	f->desc.package_header_format_revision =
		pkg->package_header_format_revision;
	f->desc.package_release_date_time = pkg->package_release_date_time;
	f->desc.component_bitmap_bit_length = pkg->component_bitmap_bit_length;
	copy_string(&f->desc.package_version_string,
		    &pkg->package_version_string);

	pldm_package_fd_records(pkg, &it);
	for (n = 0; pldm_package_fd_record_next(&it, &fd) == 1; n++) {
		struct pldm_package_write_fd_record *w = &f->fd[n];

		assert_true(n < MAX_ITEMS);
		w->device_update_option_flags = fd.device_update_option_flags;
		copy_string(&w->component_image_set_version_string,
			    &fd.component_image_set_version_string);
		w->applicable_components = fd.applicable_components;
		w->descriptors = f->descs[n];
		w->descriptor_count =
			copy_descriptors(pkg, &fd.record_descriptors,
					 fd.descriptor_count, f->descs[n]);
		w->firmware_device_package_data =
			fd.firmware_device_package_data;
		w->reference_manifest_data = fd.reference_manifest_data;
	}
	f->desc.fd_records = f->fd;
	f->desc.fd_record_count = n;

	pldm_package_dd_records(pkg, &it);
	for (n = 0; pldm_package_dd_record_next(&it, &dd) == 1; n++) {
		struct pldm_package_write_dd_record *w = &f->dd[n];

		assert_true(n < MAX_ITEMS);
		w->update_option_flags = dd.update_option_flags;
		copy_string(&w->self_contained_activation_min_version_string,
			    &dd.self_contained_activation_min_version_string);
		w->self_contained_activation_min_version_comparison_stamp =
			dd.self_contained_activation_min_version_comparison_stamp;
		w->applicable_components = dd.applicable_components;
		w->descriptors = f->descs[MAX_ITEMS + n];
		w->descriptor_count = copy_descriptors(pkg,
						       &dd.record_descriptors,
						       dd.descriptor_count,
						       f->descs[MAX_ITEMS + n]);
		w->downstream_device_package_data =
			dd.downstream_device_package_data;
		w->reference_manifest_data = dd.reference_manifest_data;
	}
	f->desc.dd_records = f->dd;
	f->desc.dd_record_count = n;

	pldm_package_components(pkg, &it);
	for (n = 0; pldm_package_component_next(&it, &comp) == 1; n++) {
		struct pldm_package_write_component *w = &f->comp[n];

		assert_true(n < MAX_ITEMS);
		w->component_classification = comp.component_classification;
		w->component_identifier = comp.component_identifier;
		w->component_comparison_stamp = comp.component_comparison_stamp;
		w->component_options = comp.component_options;
		w->requested_component_activation_method =
			comp.requested_component_activation_method;
		copy_string(&w->component_version_string,
			    &comp.component_version_string);
		w->component_opaque_data = comp.component_opaque_data;
		w->image = comp.image;
	}
	f->desc.components = f->comp;
	f->desc.component_count = n;
}

static void check_rewrite(const struct file *v)
{
	static struct from_parse f;
	static uint8_t out[MAX_FILE];
	struct pldm_package pkg;
	size_t len = sizeof(out);

	assert_int_equal(pldm_package_parse(&pkg, v->data, v->len), 0);
	from_parse(&f, &pkg);
	assert_int_equal(pldm_package_write(&f.desc, out, &len, NULL), 0);
	assert_int_equal(len, v->len);
	assert_memory_equal(out, v->data, v->len);
}

static void test_rewrite_v10(void **state)
{
	(void)state;
	check_rewrite(&v10);
}

static void test_rewrite_v13(void **state)
{
	(void)state;
	check_rewrite(&v13);
}

/* The golden package, too, survives parse then write unchanged. */
static void test_rewrite_golden(void **state)
{
	struct file g;

	(void)state;
	memcpy(g.data, golden, sizeof(golden));
	g.len = sizeof(golden);
	check_rewrite(&g);
}

/* One spoiled description: expected errno, reason, area and index. */
static void expect(const struct small *s, int rc,
		   enum pldm_package_write_reason reason,
		   enum pldm_package_write_area area, size_t index)
{
	struct pldm_package_write_status st;
	size_t len = 0;

	assert_int_equal(pldm_package_write(&s->desc, NULL, &len, &st), rc);
	assert_int_equal(st.reason, reason);
	assert_int_equal(st.area, area);
	assert_int_equal(st.index, index);
	assert_string_not_equal(pldm_package_write_reason_name(reason),
				"unknown");
}

#define HDR PLDM_PACKAGE_WRITE_AREA_HEADER
#define FD PLDM_PACKAGE_WRITE_AREA_FD_RECORD
#define DD PLDM_PACKAGE_WRITE_AREA_DD_RECORD
#define COMP PLDM_PACKAGE_WRITE_AREA_COMPONENT

static void test_err_args(void **state)
{
	struct pldm_package_write_status st;
	struct small s;
	size_t len = 0;

	(void)state;
	small_init(&s);
	assert_int_equal(pldm_package_write(NULL, NULL, &len, &st), -EINVAL);
	assert_int_equal(st.reason, PLDM_PACKAGE_WRITE_ERR_ARGS);
	assert_int_equal(pldm_package_write(&s.desc, NULL, NULL, &st), -EINVAL);
	assert_int_equal(st.reason, PLDM_PACKAGE_WRITE_ERR_ARGS);

	/* A NULL pointer with a length. */
	small_init(&s);
	s.desc.package_version_string.ptr = NULL;
	expect(&s, -EINVAL, PLDM_PACKAGE_WRITE_ERR_ARGS, HDR, 0);
	small_init(&s);
	s.comp[0].image.ptr = NULL;
	expect(&s, -EINVAL, PLDM_PACKAGE_WRITE_ERR_ARGS, COMP, 0);
	small_init(&s);
	s.fd[0].firmware_device_package_data.ptr = NULL;
	expect(&s, -EINVAL, PLDM_PACKAGE_WRITE_ERR_ARGS, FD, 0);
	small_init(&s);
	s.desc.fd_records = NULL;
	expect(&s, -EINVAL, PLDM_PACKAGE_WRITE_ERR_ARGS, HDR, 0);
	small_init(&s);
	s.desc.components = NULL;
	expect(&s, -EINVAL, PLDM_PACKAGE_WRITE_ERR_ARGS, HDR, 0);
	small_init(&s);
	s.descs[0].descriptor_data.ptr = NULL;
	expect(&s, -EINVAL, PLDM_PACKAGE_WRITE_ERR_ARGS, FD, 0);
}

static void test_err_revision(void **state)
{
	struct small s;

	(void)state;
	small_init(&s);
	s.desc.package_header_format_revision = 0;
	expect(&s, -ENOTSUP, PLDM_PACKAGE_WRITE_ERR_FORMAT_REVISION, HDR, 0);
	s.desc.package_header_format_revision = 5;
	expect(&s, -ENOTSUP, PLDM_PACKAGE_WRITE_ERR_FORMAT_REVISION, HDR, 0);

	/* Fields a revision does not have. */
	small_init(&s);
	s.desc.package_header_format_revision = 3;
	expect(&s, -EINVAL, PLDM_PACKAGE_WRITE_ERR_NOT_IN_REVISION, FD, 0);
	s.fd[0].reference_manifest_data.length = 0;
	s.desc.package_header_format_revision = 2;
	expect(&s, -EINVAL, PLDM_PACKAGE_WRITE_ERR_NOT_IN_REVISION, COMP, 0);
	s.comp[0].component_opaque_data.length = 0;
	s.desc.package_header_format_revision = 1;
	expect(&s, -EINVAL, PLDM_PACKAGE_WRITE_ERR_NOT_IN_REVISION, DD, 0);
	s.desc.dd_record_count = 0;
	expect(&s, 0, PLDM_PACKAGE_WRITE_OK, HDR, 0);
	/* Downstream record manifest before 0x04. */
	small_init(&s);
	s.desc.package_header_format_revision = 3;
	s.fd[0].reference_manifest_data.length = 0;
	s.dd[0].reference_manifest_data =
		(struct pldm_package_span)SPAN(fd_manifest);
	expect(&s, -EINVAL, PLDM_PACKAGE_WRITE_ERR_NOT_IN_REVISION, DD, 0);
}

static void test_err_timestamp(void **state)
{
	struct small s;

	(void)state;
	small_init(&s);
	s.desc.package_release_date_time.microsecond = 0x1000000;
	expect(&s, -EINVAL, PLDM_PACKAGE_WRITE_ERR_TIMESTAMP, HDR, 0);
	s.desc.package_release_date_time.microsecond = 0xffffff;
	expect(&s, 0, PLDM_PACKAGE_WRITE_OK, HDR, 0);
}

static void test_err_strings(void **state)
{
	static const uint8_t long_text[256] = {'x'};
	struct small s;

	(void)state;
	small_init(&s);
	s.desc.package_version_string.type = 6;
	expect(&s, -EINVAL, PLDM_PACKAGE_WRITE_ERR_STRING_TYPE, HDR, 0);
	small_init(&s);
	s.desc.package_version_string.length = 0;
	expect(&s, -EINVAL, PLDM_PACKAGE_WRITE_ERR_STRING_EMPTY, HDR, 0);
	small_init(&s);
	s.fd[0].component_image_set_version_string.length = 0;
	expect(&s, -EINVAL, PLDM_PACKAGE_WRITE_ERR_STRING_EMPTY, FD, 0);
	small_init(&s);
	s.comp[0].component_version_string.length = 0;
	expect(&s, -EINVAL, PLDM_PACKAGE_WRITE_ERR_STRING_EMPTY, COMP, 0);
	/* The downstream string may be empty. */
	small_init(&s);
	s.dd[0].self_contained_activation_min_version_string.length = 0;
	expect(&s, 0, PLDM_PACKAGE_WRITE_OK, HDR, 0);

	small_init(&s);
	s.desc.package_version_string.ptr = long_text;
	s.desc.package_version_string.length = 255;
	expect(&s, 0, PLDM_PACKAGE_WRITE_OK, HDR, 0);
	s.desc.package_version_string.length = 256;
	expect(&s, -EOVERFLOW, PLDM_PACKAGE_WRITE_ERR_STRING_TOO_LONG, HDR, 0);
	small_init(&s);
	s.comp[0].component_version_string.ptr = long_text;
	s.comp[0].component_version_string.length = 256;
	expect(&s, -EOVERFLOW, PLDM_PACKAGE_WRITE_ERR_STRING_TOO_LONG, COMP, 0);
	small_init(&s);
	s.descs[1].vendor_defined_descriptor_title_string.ptr = long_text;
	s.descs[1].vendor_defined_descriptor_title_string.length = 256;
	expect(&s, -EOVERFLOW, PLDM_PACKAGE_WRITE_ERR_STRING_TOO_LONG, FD, 0);
}

static void test_err_counts(void **state)
{
	struct pldm_package_write_status st;
	struct small s;
	size_t len = 0;

	(void)state;
	small_init(&s);
	s.desc.fd_record_count = 0;
	expect(&s, -EINVAL, PLDM_PACKAGE_WRITE_ERR_RECORD_COUNT, HDR, 0);
	s.desc.fd_record_count = 256;
	expect(&s, -EINVAL, PLDM_PACKAGE_WRITE_ERR_RECORD_COUNT, HDR, 0);
	small_init(&s);
	s.desc.dd_record_count = 256;
	expect(&s, -EINVAL, PLDM_PACKAGE_WRITE_ERR_RECORD_COUNT, DD, 0);

	small_init(&s);
	s.fd[0].descriptor_count = 0;
	expect(&s, -EINVAL, PLDM_PACKAGE_WRITE_ERR_DESCRIPTOR_COUNT, FD, 0);
	s.fd[0].descriptor_count = 256;
	expect(&s, -EINVAL, PLDM_PACKAGE_WRITE_ERR_DESCRIPTOR_COUNT, FD, 0);

	small_init(&s);
	s.desc.component_count = 0;
	expect(&s, -EINVAL, PLDM_PACKAGE_WRITE_ERR_COMPONENT_COUNT, HDR, 0);
	s.desc.component_count = 65536;
	expect(&s, -EINVAL, PLDM_PACKAGE_WRITE_ERR_COMPONENT_COUNT, HDR, 0);

	/* The second record is the bad one: the status says which. */
	small_init(&s);
	s.fd[1] = s.fd[0];
	s.fd[1].descriptor_count = 0;
	s.desc.fd_record_count = 2;
	assert_int_equal(pldm_package_write(&s.desc, NULL, &len, &st), -EINVAL);
	assert_int_equal(st.area, FD);
	assert_int_equal(st.index, 1);
}

static void test_err_descriptors(void **state)
{
	static const uint8_t big[65536];
	struct pldm_package_write_status st;
	struct small s;
	size_t len = 0;

	(void)state;
	/* IANA Enterprise ID is 4 bytes: 3 is wrong. */
	small_init(&s);
	s.descs[0].descriptor_data.length = 3;
	expect(&s, -EINVAL, PLDM_PACKAGE_WRITE_ERR_DESCRIPTOR_LENGTH, FD, 0);
	/* In the downstream record, descriptor 0. */
	small_init(&s);
	s.descs[2] = dd_descriptors[0];
	s.descs[2].descriptor_data.length = 1;
	s.dd[0].descriptors = &s.descs[2];
	assert_int_equal(pldm_package_write(&s.desc, NULL, &len, &st), -EINVAL);
	assert_int_equal(st.reason, PLDM_PACKAGE_WRITE_ERR_DESCRIPTOR_LENGTH);
	assert_int_equal(st.area, DD);
	/* Second descriptor: the status names it. */
	small_init(&s);
	s.descs[1].descriptor_type = PLDM_PACKAGE_DESCRIPTOR_UUID;
	s.descs[1].descriptor_data = (struct pldm_package_span)SPAN(iana);
	assert_int_equal(pldm_package_write(&s.desc, NULL, &len, &st), -EINVAL);
	assert_int_equal(st.reason, PLDM_PACKAGE_WRITE_ERR_DESCRIPTOR_LENGTH);
	assert_int_equal(st.descriptor_index, 1);

	/* The first one must be an identifier type (0x0000-0x0006). */
	small_init(&s);
	s.descs[0].descriptor_type = PLDM_PACKAGE_DESCRIPTOR_PCI_DEVICE_ID;
	s.descs[0].descriptor_data.length = 2;
	expect(&s, -EINVAL, PLDM_PACKAGE_WRITE_ERR_INITIAL_DESCRIPTOR, FD, 0);

	/* An unknown type is written as given, up to 65535 bytes. */
	small_init(&s);
	s.descs[1].descriptor_type = 0x8000;
	s.descs[1].descriptor_data.ptr = big;
	s.descs[1].descriptor_data.length = 65536;
	expect(&s, -EOVERFLOW, PLDM_PACKAGE_WRITE_ERR_DATA_TOO_LONG, FD, 0);
	/* Vendor-defined: 2 + title + data must fit 16 bits. */
	small_init(&s);
	s.descs[1].vendor_defined_descriptor_data.ptr = big;
	s.descs[1].vendor_defined_descriptor_data.length = 65535 - 2;
	expect(&s, -EOVERFLOW, PLDM_PACKAGE_WRITE_ERR_DATA_TOO_LONG, FD, 0);
}

static void test_err_lengths(void **state)
{
	static const uint8_t big[65536];
	static struct pldm_package_write_component many[300];
	static const uint8_t text[255];
	struct small s;
	size_t i;

	(void)state;
	small_init(&s);
	s.fd[0].firmware_device_package_data.ptr = big;
	s.fd[0].firmware_device_package_data.length = 65536;
	expect(&s, -EOVERFLOW, PLDM_PACKAGE_WRITE_ERR_DATA_TOO_LONG, FD, 0);
	/* Package data fits its field, but not the record. */
	s.fd[0].firmware_device_package_data.length = 65535;
	expect(&s, -EOVERFLOW, PLDM_PACKAGE_WRITE_ERR_RECORD_TOO_LONG, FD, 0);

	/* 300 components of 277+ bytes each: header past 65535. */
	small_init(&s);
	for (i = 0; i < 300; i++) {
		many[i] = s.comp[0];
		many[i].component_version_string.ptr = text;
		many[i].component_version_string.length = sizeof(text);
	}
	s.desc.components = many;
	s.desc.component_count = 300;
	s.fd[0].applicable_components.length = 0;
	s.dd[0].applicable_components.length = 0;
	expect(&s, -EOVERFLOW, PLDM_PACKAGE_WRITE_ERR_HEADER_TOO_LONG, HDR, 0);
	s.desc.component_count = 200;
	expect(&s, 0, PLDM_PACKAGE_WRITE_OK, HDR, 0);

	/* Images must end within 32 bits: the second one does not. */
	small_init(&s);
	s.comp[1] = s.comp[0];
	s.comp[0].image.length = 0x7fffffff;
	s.comp[1].image.length = 0x7fffffff;
	s.desc.component_count = 2;
	expect(&s, -EOVERFLOW, PLDM_PACKAGE_WRITE_ERR_PACKAGE_TOO_LARGE, COMP,
	       1);
}

static void test_err_components(void **state)
{
	static const uint8_t bit1[] = {0x02};
	static const uint8_t two[] = {0x01, 0x00};
	struct small s;
	size_t i;

	(void)state;
	small_init(&s);
	s.comp[0].component_classification = 0x000e;
	expect(&s, -EINVAL, PLDM_PACKAGE_WRITE_ERR_CLASSIFICATION, COMP, 0);
	s.comp[0].component_classification = 0x7fff;
	expect(&s, -EINVAL, PLDM_PACKAGE_WRITE_ERR_CLASSIFICATION, COMP, 0);
	s.comp[0].component_classification = 0x8000; /* vendor range */
	expect(&s, 0, PLDM_PACKAGE_WRITE_OK, HDR, 0);

	small_init(&s);
	s.comp[0].image.length = 0;
	expect(&s, -EINVAL, PLDM_PACKAGE_WRITE_ERR_COMPONENT_EMPTY, COMP, 0);

	/* Bitmap lengths: not 8*n, fewer bits than components. */
	small_init(&s);
	s.desc.component_bitmap_bit_length = 12;
	expect(&s, -EINVAL, PLDM_PACKAGE_WRITE_ERR_BITMAP_LENGTH, HDR, 0);
	small_init(&s);
	for (i = 1; i < MAX_ITEMS; i++)
		s.comp[i] = s.comp[0];
	s.desc.component_count = MAX_ITEMS;
	s.desc.component_bitmap_bit_length = 8;
	expect(&s, 0, PLDM_PACKAGE_WRITE_OK, HDR, 0);
	s.desc.component_bitmap_bit_length = 0; /* automatic: 8 */
	expect(&s, 0, PLDM_PACKAGE_WRITE_OK, HDR, 0);
	/* 9 components need 16 bits; 8 given is too few. */
	{
		static struct pldm_package_write_component nine[9];

		for (i = 0; i < 9; i++)
			nine[i] = s.comp[0];
		s.desc.components = nine;
		s.desc.component_count = 9;
		s.desc.component_bitmap_bit_length = 8;
		expect(&s, -EINVAL, PLDM_PACKAGE_WRITE_ERR_BITMAP_LENGTH, HDR,
		       0);
		s.desc.component_bitmap_bit_length = 0;
		expect(&s, 0, PLDM_PACKAGE_WRITE_OK, HDR, 0);
	}

	/* Applicable components: a bit for no component, too long. */
	small_init(&s);
	s.fd[0].applicable_components = (struct pldm_package_span)SPAN(bit1);
	expect(&s, -EINVAL, PLDM_PACKAGE_WRITE_ERR_APPLICABLE_COMPONENTS, FD,
	       0);
	small_init(&s);
	s.dd[0].applicable_components = (struct pldm_package_span)SPAN(two);
	expect(&s, -EINVAL, PLDM_PACKAGE_WRITE_ERR_APPLICABLE_COMPONENTS, DD,
	       0);
}

/* A short bitmap is padded with zero bytes up to the bit length. */
static void test_bitmap_padding(void **state)
{
	struct pldm_package_fd_record fd;
	struct pldm_package_iter it;
	struct pldm_package pkg;
	uint8_t out[256];
	struct small s;
	size_t len = sizeof(out);

	(void)state;
	small_init(&s);
	s.desc.component_bitmap_bit_length = 24;
	assert_int_equal(pldm_package_write(&s.desc, out, &len, NULL), 0);
	assert_int_equal(pldm_package_parse(&pkg, out, len), 0);
	assert_int_equal(pkg.component_bitmap_bit_length, 24);
	pldm_package_fd_records(&pkg, &it);
	assert_int_equal(pldm_package_fd_record_next(&it, &fd), 1);
	assert_int_equal(fd.applicable_components.length, 3);
	assert_int_equal(fd.applicable_components.ptr[0], 0x01);
	assert_int_equal(fd.applicable_components.ptr[1], 0x00);
	assert_int_equal(fd.applicable_components.ptr[2], 0x00);
}

#define T(fn) cmocka_unit_test(fn)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_golden),          T(test_buffer_too_small),
		T(test_parse_back),      T(test_revisions),
		T(test_rewrite_v10),     T(test_rewrite_v13),
		T(test_rewrite_golden),  T(test_err_args),
		T(test_err_revision),    T(test_err_timestamp),
		T(test_err_strings),     T(test_err_counts),
		T(test_err_descriptors), T(test_err_lengths),
		T(test_err_components),  T(test_bitmap_padding),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
