/* SPDX-License-Identifier: Apache-2.0 */
/*
 * DSP0267 package parser against the shared vectors (made by an independent
 * public generator; expected values hand-transcribed from the .json files
 * beside them), and corrupted variants of them, each rejected with its
 * reason. The vector directory comes from meson (PLDM_VECTOR_DIR); a
 * missing vector fails the test.
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

struct file {
	uint8_t data[MAX_FILE];
	size_t len;
};

static struct file v10, v13, comp0, comp1;

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
	load(&comp0, "fw_comp0.bin");
	load(&comp1, "fw_comp1.bin");
	return 0;
}

static void assert_string(const struct pldm_package_string *s, uint8_t type,
			  const char *want)
{
	assert_int_equal(s->type, type);
	assert_int_equal(s->length, strlen(want));
	assert_memory_equal(s->ptr, want, strlen(want));
}

static void assert_inside(const struct file *f, const void *p, size_t n)
{
	const uint8_t *q = p;

	assert_true(q >= f->data && q + n <= f->data + f->len);
}

static void le32_put(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static void le16_put(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

/*
 * The two vectors share everything but the fields their revision adds; the
 * expected values are those of sample-v1.0.json / sample-v1.3.json.
 */
static void check_sample(const struct file *f, uint8_t revision)
{
	static const uint8_t uuid10[16] = {0xF0, 0x18, 0x87, 0x8C, 0xCB, 0x7D,
					   0x49, 0x43, 0x98, 0x00, 0xA0, 0x2F,
					   0x05, 0x9A, 0xCA, 0x02};
	static const uint8_t uuid13[16] = {0x7B, 0x29, 0x1C, 0x99, 0x6D, 0xB6,
					   0x42, 0x08, 0x80, 0x1B, 0x02, 0x02,
					   0x6E, 0x46, 0x3C, 0x78};
	static const uint8_t iana[] = {0x47, 0x16, 0x00, 0x00};
	static const uint8_t pci_device[] = {0x34, 0x12};
	static const uint8_t cafe[] = {0xCA, 0xFE};
	struct pldm_package_component comp;
	struct pldm_package_descriptor desc;
	struct pldm_package_fd_record fd;
	struct pldm_package_dd_record dd;
	struct pldm_package_iter it, dit;
	struct pldm_package pkg;

	assert_int_equal(pldm_package_parse(&pkg, f->data, f->len), 0);
	assert_int_equal(pkg.reason, PLDM_PACKAGE_OK);

	/* PackageHeaderInformation */
	assert_memory_equal(pkg.package_header_identifier,
			    revision == 1 ? uuid10 : uuid13, 16);
	assert_int_equal(pkg.package_header_format_revision, revision);
	assert_int_equal(pkg.package_release_date_time.year, 2025);
	assert_int_equal(pkg.package_release_date_time.month, 1);
	assert_int_equal(pkg.package_release_date_time.day, 2);
	assert_int_equal(pkg.package_release_date_time.hour, 3);
	assert_int_equal(pkg.package_release_date_time.minute, 4);
	assert_int_equal(pkg.package_release_date_time.second, 5);
	assert_int_equal(pkg.package_release_date_time.microsecond, 0);
	assert_int_equal(pkg.package_release_date_time.utc_offset, 0);
	assert_string(&pkg.package_version_string, PLDM_PACKAGE_STRING_ASCII,
		      "demo-pkg-1.0");
	assert_int_equal(pkg.component_bitmap_bit_length, 8);
	assert_int_equal(pkg.has_payload_checksum, revision == 4);

	/* FirmwareDeviceIdentificationArea: one record */
	assert_int_equal(pkg.device_id_record_count, 1);
	pldm_package_fd_records(&pkg, &it);
	assert_int_equal(pldm_package_fd_record_next(&it, &fd), 1);
	assert_int_equal(fd.device_update_option_flags, 1u << 0);
	assert_string(&fd.component_image_set_version_string,
		      PLDM_PACKAGE_STRING_ASCII, "demo-fw-1.0");
	assert_int_equal(fd.applicable_components.length, 1);
	assert_true(pldm_package_applicable(&fd.applicable_components, 0));
	assert_true(pldm_package_applicable(&fd.applicable_components, 1));
	assert_false(pldm_package_applicable(&fd.applicable_components, 2));
	assert_int_equal(fd.firmware_device_package_data.length, 0);
	assert_int_equal(fd.reference_manifest_data.length, 0);
	assert_int_equal(fd.descriptor_count, 3);
	assert_inside(f, fd.record_descriptors.ptr,
		      fd.record_descriptors.length);

	pldm_package_descriptors(&pkg, &fd.record_descriptors,
				 fd.descriptor_count, &dit);
	assert_int_equal(pldm_package_descriptor_next(&dit, &desc), 1);
	assert_int_equal(desc.descriptor_type, 1);
	assert_int_equal(desc.descriptor_data.length, sizeof(iana));
	assert_memory_equal(desc.descriptor_data.ptr, iana, sizeof(iana));
	assert_int_equal(pldm_package_descriptor_next(&dit, &desc), 1);
	assert_int_equal(desc.descriptor_type, 256);
	assert_int_equal(desc.descriptor_data.length, sizeof(pci_device));
	assert_memory_equal(desc.descriptor_data.ptr, pci_device, 2);
	assert_int_equal(pldm_package_descriptor_next(&dit, &desc), 1);
	assert_int_equal(desc.descriptor_type, 65535);
	assert_string(&desc.vendor_defined_descriptor_title_string,
		      PLDM_PACKAGE_STRING_ASCII, "Demo");
	assert_int_equal(desc.vendor_defined_descriptor_data.length, 2);
	assert_memory_equal(desc.vendor_defined_descriptor_data.ptr, cafe, 2);
	assert_int_equal(pldm_package_descriptor_next(&dit, &desc), 0);
	assert_int_equal(pldm_package_fd_record_next(&it, &fd), 0);

	/* DownstreamDeviceIdentificationArea: empty (absent in 1.0) */
	assert_int_equal(pkg.downstream_device_id_record_count, 0);
	pldm_package_dd_records(&pkg, &it);
	assert_int_equal(pldm_package_dd_record_next(&it, &dd), 0);

	/* ComponentImageInformationArea */
	assert_int_equal(pkg.component_image_count, 2);
	pldm_package_components(&pkg, &it);
	assert_int_equal(pldm_package_component_next(&it, &comp), 1);
	assert_int_equal(comp.index, 0);
	assert_int_equal(comp.component_classification, 10);
	assert_int_equal(comp.component_identifier, 1);
	assert_int_equal(comp.component_comparison_stamp, 0x00000002);
	assert_int_equal(comp.component_options, 1u << 1);
	assert_int_equal(comp.requested_component_activation_method, 1u << 0);
	assert_string(&comp.component_version_string, PLDM_PACKAGE_STRING_ASCII,
		      "comp0-v2");
	assert_int_equal(comp.component_opaque_data.length, 0);
	assert_int_equal(comp.image.length, comp0.len);
	assert_memory_equal(comp.image.ptr, comp0.data, comp0.len);
	assert_int_equal(comp.component_location_offset,
			 pkg.package_header_size);

	assert_int_equal(pldm_package_component_next(&it, &comp), 1);
	assert_int_equal(comp.index, 1);
	assert_int_equal(comp.component_classification, 10);
	assert_int_equal(comp.component_identifier, 2);
	/* No comparison stamp in use: options bit 1 clear. */
	assert_int_equal(comp.component_options, 0);
	assert_int_equal(comp.requested_component_activation_method, 0);
	assert_string(&comp.component_version_string, PLDM_PACKAGE_STRING_ASCII,
		      "comp1-v1");
	assert_int_equal(comp.image.length, comp1.len);
	assert_memory_equal(comp.image.ptr, comp1.data, comp1.len);
	assert_int_equal(pldm_package_component_next(&it, &comp), 0);
	assert_int_equal(pldm_package_component_next(&it, &comp), 0);
}

static void test_sample_v10(void **state)
{
	(void)state;
	check_sample(&v10, 1);
}

static void test_sample_v13(void **state)
{
	(void)state;
	check_sample(&v13, 4);
}

/* The CRC-32 check value of "123456789" (IEEE 802.3). */
static void test_crc32_check_value(void **state)
{
	static const uint8_t digits[] = "123456789";

	(void)state;
	assert_int_equal(pldm_crc32(digits, 9), 0xCBF43926u);
	assert_int_equal(pldm_crc32(digits, 0), 0);
}

static void check_truncations(const struct file *f)
{
	struct pldm_package pkg;
	size_t n;

	for (n = 0; n < f->len; n++) {
		assert_true(pldm_package_parse(&pkg, f->data, n) < 0);
		assert_int_not_equal(pkg.reason, PLDM_PACKAGE_OK);
	}
}

static void test_truncations(void **state)
{
	(void)state;
	check_truncations(&v10);
	check_truncations(&v13);
}

/* A copy of a vector, edited, with its checksums made right again. */
static struct file work;

static void edit_start(const struct file *f)
{
	work = *f;
}

static void fix_checksums(void)
{
	uint16_t header_size = (uint16_t)(work.data[17] | work.data[18] << 8);
	bool rev4 = work.data[16] == 4;
	size_t fields = header_size - (rev4 ? 8u : 4u);

	le32_put(work.data + fields, pldm_crc32(work.data, fields));
	if (rev4)
		le32_put(work.data + fields + 4,
			 pldm_crc32(work.data + header_size,
				    work.len - header_size));
}

static void expect(enum pldm_package_reason reason, int err)
{
	struct pldm_package_component comp;
	struct pldm_package_fd_record fd;
	struct pldm_package_iter it;
	struct pldm_package pkg;

	assert_int_equal(pldm_package_parse(&pkg, work.data, work.len), err);
	assert_int_equal(pkg.reason, reason);
	if (err) {
		/* A refused package yields nothing. */
		pldm_package_components(&pkg, &it);
		assert_true(pldm_package_component_next(&it, &comp) < 0);
		pldm_package_fd_records(&pkg, &it);
		assert_true(pldm_package_fd_record_next(&it, &fd) < 0);
	}
}

static void expect_fixed(enum pldm_package_reason reason, int err)
{
	fix_checksums();
	expect(reason, err);
}

/* Offsets in sample-v1.0.pldm (see the layout in the .json's order). */
#define V10_BITMAP_BITS 0x20
#define V10_PKG_STRING_TYPE 0x22
#define V10_FD_COUNT 0x30
#define V10_FD_RECORD_LENGTH 0x31
#define V10_FD_DESCRIPTOR_COUNT 0x33
#define V10_FD_BITMAP 0x3C
#define V10_FD_DESC0_TYPE 0x48
#define V10_COMP_COUNT 0x62
#define V10_COMP0 0x64
#define V10_COMP1 0x82
/* Within a component entry. */
#define COMP_CLASSIFICATION 0
#define COMP_OFFSET 12
#define COMP_SIZE 16

static void test_checksums(void **state)
{
	(void)state;
	/* Flipped header checksum, both revisions. */
	edit_start(&v10);
	work.data[160] ^= 0x01;
	expect(PLDM_PACKAGE_ERR_HEADER_CHECKSUM, -EILSEQ);
	edit_start(&v13);
	work.data[0xAD] ^= 0x80;
	expect(PLDM_PACKAGE_ERR_HEADER_CHECKSUM, -EILSEQ);
	/* A flipped header byte. */
	edit_start(&v10);
	work.data[0x25] ^= 0x20;
	expect(PLDM_PACKAGE_ERR_HEADER_CHECKSUM, -EILSEQ);
	/* Flipped payload checksum, and a flipped payload byte (1.3). */
	edit_start(&v13);
	work.data[0xB1] ^= 0x01;
	expect(PLDM_PACKAGE_ERR_PAYLOAD_CHECKSUM, -EILSEQ);
	edit_start(&v13);
	work.data[v13.len - 1] ^= 0x01;
	expect(PLDM_PACKAGE_ERR_PAYLOAD_CHECKSUM, -EILSEQ);
	/* Unchanged after a round of fixing: the fixer is right. */
	edit_start(&v13);
	expect_fixed(PLDM_PACKAGE_OK, 0);
}

static void test_identifier(void **state)
{
	(void)state;
	edit_start(&v10);
	work.data[3] ^= 0x01;
	expect(PLDM_PACKAGE_ERR_UUID, -ENOTSUP);
	edit_start(&v13);
	work.data[16] = 5;
	expect(PLDM_PACKAGE_ERR_FORMAT_REVISION, -ENOTSUP);
	edit_start(&v13);
	work.data[16] = 0;
	expect(PLDM_PACKAGE_ERR_FORMAT_REVISION, -ENOTSUP);
	edit_start(&v13);
	work.data[16] = 1;
	expect(PLDM_PACKAGE_ERR_UUID_MISMATCH, -EPROTO);
	edit_start(&v10);
	work.data[16] = 4;
	expect(PLDM_PACKAGE_ERR_UUID_MISMATCH, -EPROTO);
}

static void test_header_size(void **state)
{
	(void)state;
	edit_start(&v10);
	le16_put(work.data + 17, 19 + 3);
	expect(PLDM_PACKAGE_ERR_HEADER_SIZE, -EBADMSG);
	edit_start(&v10);
	le16_put(work.data + 17, (uint16_t)(v10.len + 1));
	expect(PLDM_PACKAGE_ERR_TRUNCATED, -EBADMSG);
	/* One more byte of header than the fields: comp0 now in header. */
	edit_start(&v10);
	le16_put(work.data + 17, 165);
	expect_fixed(PLDM_PACKAGE_ERR_COMPONENT_IN_HEADER, -EBADMSG);
	/* ... and with the components moved past it, the extra byte. */
	edit_start(&v10);
	le16_put(work.data + 17, 165);
	le32_put(work.data + V10_COMP0 + COMP_OFFSET, 165);
	le32_put(work.data + V10_COMP0 + COMP_SIZE, 99);
	expect_fixed(PLDM_PACKAGE_ERR_HEADER_SIZE, -EBADMSG);
}

static void test_component_layout(void **state)
{
	(void)state;
	/* comp1 starting inside comp0 */
	edit_start(&v10);
	le32_put(work.data + V10_COMP1 + COMP_OFFSET, 164 + 50);
	expect_fixed(PLDM_PACKAGE_ERR_COMPONENT_OVERLAP, -EBADMSG);
	/* comp0 grown into comp1 */
	edit_start(&v10);
	le32_put(work.data + V10_COMP0 + COMP_SIZE, 101);
	expect_fixed(PLDM_PACKAGE_ERR_COMPONENT_OVERLAP, -EBADMSG);
	/* the same image twice */
	edit_start(&v13);
	memcpy(work.data + 0x8B + 12, work.data + 0x69 + 12, 8);
	expect_fixed(PLDM_PACKAGE_ERR_COMPONENT_OVERLAP, -EBADMSG);
	/* offset + size past 2^32 */
	edit_start(&v10);
	le32_put(work.data + V10_COMP1 + COMP_OFFSET, 0xFFFFFFF0u);
	expect_fixed(PLDM_PACKAGE_ERR_COMPONENT_OVERFLOW, -EBADMSG);
	edit_start(&v10);
	le32_put(work.data + V10_COMP1 + COMP_SIZE, 0xFFFFFFFFu);
	expect_fixed(PLDM_PACKAGE_ERR_COMPONENT_OVERFLOW, -EBADMSG);
	/* inside the header */
	edit_start(&v10);
	le32_put(work.data + V10_COMP0 + COMP_OFFSET, 100);
	expect_fixed(PLDM_PACKAGE_ERR_COMPONENT_IN_HEADER, -EBADMSG);
	edit_start(&v10);
	le32_put(work.data + V10_COMP0 + COMP_OFFSET, 0);
	expect_fixed(PLDM_PACKAGE_ERR_COMPONENT_IN_HEADER, -EBADMSG);
	/* one byte past the end */
	edit_start(&v10);
	le32_put(work.data + V10_COMP1 + COMP_SIZE, 55);
	expect_fixed(PLDM_PACKAGE_ERR_COMPONENT_OUTSIDE, -EBADMSG);
	/* empty */
	edit_start(&v10);
	le32_put(work.data + V10_COMP1 + COMP_SIZE, 0);
	expect_fixed(PLDM_PACKAGE_ERR_COMPONENT_EMPTY, -EPROTO);
	/* a gap between images is fine */
	edit_start(&v10);
	le32_put(work.data + V10_COMP0 + COMP_SIZE, 99);
	expect_fixed(PLDM_PACKAGE_OK, 0);
}

static void test_reserved_values(void **state)
{
	(void)state;
	/* Classifications: 0x000E-0x7FFF reserved; vendor and 0xFFFF ok. */
	edit_start(&v10);
	le16_put(work.data + V10_COMP0 + COMP_CLASSIFICATION, 0x000E);
	expect_fixed(PLDM_PACKAGE_ERR_CLASSIFICATION, -EPROTO);
	edit_start(&v10);
	le16_put(work.data + V10_COMP1 + COMP_CLASSIFICATION, 0x7FFF);
	expect_fixed(PLDM_PACKAGE_ERR_CLASSIFICATION, -EPROTO);
	edit_start(&v10);
	le16_put(work.data + V10_COMP1 + COMP_CLASSIFICATION, 0x8000);
	expect_fixed(PLDM_PACKAGE_OK, 0);
	edit_start(&v10);
	le16_put(work.data + V10_COMP1 + COMP_CLASSIFICATION, 0xFFFF);
	expect_fixed(PLDM_PACKAGE_OK, 0);
	edit_start(&v10);
	le16_put(work.data + V10_COMP1 + COMP_CLASSIFICATION, 0x000D);
	expect_fixed(PLDM_PACKAGE_OK, 0);
	/* String types 6-255 reserved. */
	edit_start(&v10);
	work.data[V10_PKG_STRING_TYPE] = 6;
	expect_fixed(PLDM_PACKAGE_ERR_STRING_TYPE, -EPROTO);
	edit_start(&v10);
	work.data[V10_PKG_STRING_TYPE] = 5;
	expect_fixed(PLDM_PACKAGE_OK, 0);
	edit_start(&v10);
	work.data[V10_COMP1 + 20] = 0xFF;
	expect_fixed(PLDM_PACKAGE_ERR_STRING_TYPE, -EPROTO);
	/* Vendor-defined title string type (descriptor 3, at 0x5A). */
	edit_start(&v10);
	work.data[0x5A] = 0x07;
	expect_fixed(PLDM_PACKAGE_ERR_STRING_TYPE, -EPROTO);
	/* Reserved bits of bitfields are ignored. */
	edit_start(&v10);
	work.data[V10_FD_RECORD_LENGTH + 6] = 0x80;
	le16_put(work.data + V10_COMP1 + 8, 0xFFFC);
	le16_put(work.data + V10_COMP1 + 10, 0xFF80);
	expect_fixed(PLDM_PACKAGE_OK, 0);
}

static void test_bitmaps_and_counts(void **state)
{
	(void)state;
	edit_start(&v10);
	le16_put(work.data + V10_BITMAP_BITS, 7);
	expect_fixed(PLDM_PACKAGE_ERR_BITMAP_LENGTH, -EPROTO);
	edit_start(&v10);
	le16_put(work.data + V10_BITMAP_BITS, 0);
	expect_fixed(PLDM_PACKAGE_ERR_BITMAP_LENGTH, -EPROTO);
	/* A bit for component 2 of 2. */
	edit_start(&v10);
	work.data[V10_FD_BITMAP] = 0x07;
	expect_fixed(PLDM_PACKAGE_ERR_APPLICABLE_COMPONENTS, -EPROTO);
	edit_start(&v10);
	work.data[V10_FD_BITMAP] = 0x80;
	expect_fixed(PLDM_PACKAGE_ERR_APPLICABLE_COMPONENTS, -EPROTO);
	edit_start(&v10);
	work.data[V10_FD_BITMAP] = 0x00;
	expect_fixed(PLDM_PACKAGE_OK, 0);
	/* Counts. */
	edit_start(&v10);
	work.data[V10_FD_COUNT] = 0;
	expect_fixed(PLDM_PACKAGE_ERR_RECORD_COUNT, -EPROTO);
	edit_start(&v10);
	work.data[V10_FD_COUNT] = 2;
	expect_fixed(PLDM_PACKAGE_ERR_RECORD_LENGTH, -EBADMSG);
	edit_start(&v10);
	le16_put(work.data + V10_COMP_COUNT, 0);
	expect_fixed(PLDM_PACKAGE_ERR_COMPONENT_COUNT, -EPROTO);
	edit_start(&v10);
	le16_put(work.data + V10_COMP_COUNT, 9);
	expect_fixed(PLDM_PACKAGE_ERR_BITMAP_LENGTH, -EPROTO);
	edit_start(&v10);
	le16_put(work.data + V10_COMP_COUNT, 3);
	expect_fixed(PLDM_PACKAGE_ERR_HEADER_SIZE, -EBADMSG);
	edit_start(&v10);
	le16_put(work.data + V10_COMP_COUNT, 1);
	expect_fixed(PLDM_PACKAGE_ERR_HEADER_SIZE, -EBADMSG);
}

static void test_records_and_descriptors(void **state)
{
	(void)state;
	edit_start(&v10);
	le16_put(work.data + V10_FD_RECORD_LENGTH, 0x31 + 1);
	expect_fixed(PLDM_PACKAGE_ERR_RECORD_LENGTH, -EBADMSG);
	edit_start(&v10);
	le16_put(work.data + V10_FD_RECORD_LENGTH, 0x31 - 1);
	expect_fixed(PLDM_PACKAGE_ERR_RECORD_LENGTH, -EBADMSG);
	edit_start(&v10);
	le16_put(work.data + V10_FD_RECORD_LENGTH, 0xFFFF);
	expect_fixed(PLDM_PACKAGE_ERR_HEADER_SIZE, -EBADMSG);
	edit_start(&v10);
	le16_put(work.data + V10_FD_RECORD_LENGTH, 3);
	expect_fixed(PLDM_PACKAGE_ERR_RECORD_LENGTH, -EBADMSG);
	edit_start(&v10);
	work.data[V10_FD_DESCRIPTOR_COUNT] = 0;
	expect_fixed(PLDM_PACKAGE_ERR_DESCRIPTOR_COUNT, -EPROTO);
	edit_start(&v10);
	work.data[V10_FD_DESCRIPTOR_COUNT] = 2;
	expect_fixed(PLDM_PACKAGE_ERR_RECORD_LENGTH, -EBADMSG);
	edit_start(&v10);
	work.data[V10_FD_DESCRIPTOR_COUNT] = 4;
	expect_fixed(PLDM_PACKAGE_ERR_RECORD_LENGTH, -EBADMSG);
	/* IANA (4 bytes) relabelled PCI vendor ID (2 bytes). */
	edit_start(&v10);
	le16_put(work.data + V10_FD_DESC0_TYPE, 0x0000);
	expect_fixed(PLDM_PACKAGE_ERR_DESCRIPTOR_LENGTH, -EPROTO);
	/* A 4-byte type that may not come first. */
	edit_start(&v10);
	le16_put(work.data + V10_FD_DESC0_TYPE, 0x0109);
	expect_fixed(PLDM_PACKAGE_ERR_INITIAL_DESCRIPTOR, -EPROTO);
	/* An unknown type is an opaque TLV, but not first. */
	edit_start(&v10);
	le16_put(work.data + V10_FD_DESC0_TYPE + 8, 0x0200);
	expect_fixed(PLDM_PACKAGE_OK, 0);
	/* Vendor-defined title longer than the descriptor. */
	edit_start(&v10);
	work.data[0x5B] = 7;
	expect_fixed(PLDM_PACKAGE_ERR_DESCRIPTOR_LENGTH, -EPROTO);
	/* Empty mandatory string. */
	edit_start(&v10);
	work.data[V10_COMP1 + 21] = 0;
	expect_fixed(PLDM_PACKAGE_ERR_STRING_LENGTH, -EPROTO);
}

/*
 * A hand-laid 0x04 package for what the vectors lack: FD package data, a
 * downstream device record with its comparison stamp, reference manifests
 * and component opaque data. Field order from DSP0267 1.3 (package header
 * information, FD record, downstream device record, component image
 * information); the checksums are filled in by fix_checksums().
 */
static const uint8_t synthetic[] = {
	/* PackageHeaderIdentifier, FormatRevision 0x04, HeaderSize 153 */
	0x7B,
	0x29,
	0x1C,
	0x99,
	0x6D,
	0xB6,
	0x42,
	0x08,
	0x80,
	0x1B,
	0x02,
	0x02,
	0x6E,
	0x46,
	0x3C,
	0x78,
	0x04,
	153,
	0x00,
	/* PackageReleaseDateTime: UTC offset -60, 7 us, 2024-12-31 23:59:58 */
	0xC4,
	0xFF,
	0x07,
	0x00,
	0x00,
	58,
	59,
	23,
	31,
	12,
	0xE8,
	0x07,
	0x00,
	/* ComponentBitmapBitLength 8, version string ASCII "P" */
	0x08,
	0x00,
	0x01,
	0x01,
	'P',
	/* DeviceIDRecordCount 1; record length 42, 1 descriptor, flags 0,
	 * string ASCII len 1, package data 2, manifest 3, bitmap 0x01, "F" */
	0x01,
	42,
	0x00,
	0x01,
	0x00,
	0x00,
	0x00,
	0x00,
	0x01,
	0x01,
	0x02,
	0x00,
	0x03,
	0x00,
	0x00,
	0x00,
	0x01,
	'F',
	/* UUID descriptor */
	0x02,
	0x00,
	0x10,
	0x00,
	0x00,
	0x11,
	0x22,
	0x33,
	0x44,
	0x55,
	0x66,
	0x77,
	0x88,
	0x99,
	0xAA,
	0xBB,
	0xCC,
	0xDD,
	0xEE,
	0xFF,
	/* FirmwareDevicePackageData, ReferenceManifestData */
	0xAA,
	0xBB,
	0x11,
	0x22,
	0x33,
	/* DownstreamDeviceIDRecordCount 1; record length 33, 1 descriptor,
	 * flags bit 0, string ASCII len 2, package data 1, manifest 2,
	 * bitmap 0x01, "MV", comparison stamp 0x12345678 */
	0x01,
	33,
	0x00,
	0x01,
	0x01,
	0x00,
	0x00,
	0x00,
	0x01,
	0x02,
	0x01,
	0x00,
	0x02,
	0x00,
	0x00,
	0x00,
	0x01,
	'M',
	'V',
	0x78,
	0x56,
	0x34,
	0x12,
	/* IANA descriptor, package data, manifest */
	0x01,
	0x00,
	0x04,
	0x00,
	0x01,
	0x02,
	0x03,
	0x04,
	0xCC,
	0xDD,
	0xEE,
	/* ComponentImageCount 1: classification 0x000A, identifier 5,
	 * stamp 0, options 0, activation 0, offset 153, size 3, "C",
	 * opaque data 2 bytes */
	0x01,
	0x00,
	0x0A,
	0x00,
	0x05,
	0x00,
	0x00,
	0x00,
	0x00,
	0x00,
	0x00,
	0x00,
	0x00,
	0x00,
	153,
	0x00,
	0x00,
	0x00,
	0x03,
	0x00,
	0x00,
	0x00,
	0x01,
	0x01,
	'C',
	0x02,
	0x00,
	0x00,
	0x00,
	0x5A,
	0x5B,
	/* PackageHeaderChecksum, PackagePayloadChecksum */
	0x00,
	0x00,
	0x00,
	0x00,
	0x00,
	0x00,
	0x00,
	0x00,
	/* the component image */
	'x',
	'y',
	'z',
};

static void test_synthetic_v13(void **state)
{
	static const uint8_t fd_data[] = {0xAA, 0xBB};
	static const uint8_t fd_manifest[] = {0x11, 0x22, 0x33};
	static const uint8_t dd_data[] = {0xCC};
	static const uint8_t dd_manifest[] = {0xDD, 0xEE};
	static const uint8_t opaque[] = {0x5A, 0x5B};
	struct pldm_package_component comp;
	struct pldm_package_descriptor desc;
	struct pldm_package_fd_record fd;
	struct pldm_package_dd_record dd;
	struct pldm_package_iter it, dit;
	struct pldm_package pkg;

	(void)state;
	assert_int_equal(sizeof(synthetic), 156);
	memcpy(work.data, synthetic, sizeof(synthetic));
	work.len = sizeof(synthetic);
	fix_checksums();
	assert_int_equal(pldm_package_parse(&pkg, work.data, work.len), 0);
	assert_int_equal(pkg.package_header_size, 153);
	assert_int_equal(pkg.package_release_date_time.utc_offset, -60);
	assert_int_equal(pkg.package_release_date_time.microsecond, 7);
	assert_int_equal(pkg.package_release_date_time.year, 2024);
	assert_int_equal(pkg.package_release_date_time.month, 12);
	assert_int_equal(pkg.package_release_date_time.day, 31);
	assert_int_equal(pkg.package_release_date_time.hour, 23);
	assert_int_equal(pkg.package_release_date_time.minute, 59);
	assert_int_equal(pkg.package_release_date_time.second, 58);

	pldm_package_fd_records(&pkg, &it);
	assert_int_equal(pldm_package_fd_record_next(&it, &fd), 1);
	assert_string(&fd.component_image_set_version_string,
		      PLDM_PACKAGE_STRING_ASCII, "F");
	assert_int_equal(fd.firmware_device_package_data.length, 2);
	assert_memory_equal(fd.firmware_device_package_data.ptr, fd_data, 2);
	assert_int_equal(fd.reference_manifest_data.length, 3);
	assert_memory_equal(fd.reference_manifest_data.ptr, fd_manifest, 3);
	pldm_package_descriptors(&pkg, &fd.record_descriptors,
				 fd.descriptor_count, &dit);
	assert_int_equal(pldm_package_descriptor_next(&dit, &desc), 1);
	assert_int_equal(desc.descriptor_type, PLDM_PACKAGE_DESCRIPTOR_UUID);
	assert_int_equal(desc.descriptor_data.length, 16);
	assert_memory_equal(desc.descriptor_data.ptr, synthetic + 59, 16);
	assert_int_equal(pldm_package_descriptor_next(&dit, &desc), 0);
	assert_int_equal(pldm_package_fd_record_next(&it, &fd), 0);

	assert_int_equal(pkg.downstream_device_id_record_count, 1);
	pldm_package_dd_records(&pkg, &it);
	assert_int_equal(pldm_package_dd_record_next(&it, &dd), 1);
	assert_int_equal(dd.update_option_flags, 1);
	assert_string(&dd.self_contained_activation_min_version_string,
		      PLDM_PACKAGE_STRING_ASCII, "MV");
	assert_true(
		dd.has_self_contained_activation_min_version_comparison_stamp);
	assert_int_equal(
		dd.self_contained_activation_min_version_comparison_stamp,
		0x12345678);
	assert_true(pldm_package_applicable(&dd.applicable_components, 0));
	assert_int_equal(dd.downstream_device_package_data.length, 1);
	assert_memory_equal(dd.downstream_device_package_data.ptr, dd_data, 1);
	assert_int_equal(dd.reference_manifest_data.length, 2);
	assert_memory_equal(dd.reference_manifest_data.ptr, dd_manifest, 2);
	pldm_package_descriptors(&pkg, &dd.record_descriptors,
				 dd.descriptor_count, &dit);
	assert_int_equal(pldm_package_descriptor_next(&dit, &desc), 1);
	assert_int_equal(desc.descriptor_type,
			 PLDM_PACKAGE_DESCRIPTOR_IANA_ENTERPRISE_ID);
	assert_int_equal(desc.descriptor_data.length, 4);
	assert_int_equal(pldm_package_descriptor_next(&dit, &desc), 0);
	assert_int_equal(pldm_package_dd_record_next(&it, &dd), 0);

	pldm_package_components(&pkg, &it);
	assert_int_equal(pldm_package_component_next(&it, &comp), 1);
	assert_int_equal(comp.component_identifier, 5);
	assert_string(&comp.component_version_string, PLDM_PACKAGE_STRING_ASCII,
		      "C");
	assert_int_equal(comp.component_opaque_data.length, 2);
	assert_memory_equal(comp.component_opaque_data.ptr, opaque, 2);
	assert_int_equal(comp.image.length, 3);
	assert_memory_equal(comp.image.ptr, "xyz", 3);
	assert_int_equal(pldm_package_component_next(&it, &comp), 0);

	/* Without flag bit 0 the stamp is absent: the record is 4 long. */
	work.data[84] = 0x00;
	expect_fixed(PLDM_PACKAGE_ERR_RECORD_LENGTH, -EBADMSG);
	/* DD bitmap naming component 1 of 1. */
	memcpy(work.data, synthetic, sizeof(synthetic));
	work.data[96] = 0x03;
	expect_fixed(PLDM_PACKAGE_ERR_APPLICABLE_COMPONENTS, -EPROTO);
	/* Opaque data length past the header. */
	memcpy(work.data, synthetic, sizeof(synthetic));
	work.data[139] = 0x03;
	expect_fixed(PLDM_PACKAGE_ERR_HEADER_SIZE, -EBADMSG);
	/* Every truncation. */
	memcpy(work.data, synthetic, sizeof(synthetic));
	fix_checksums();
	check_truncations(&work);
}

static void test_args(void **state)
{
	struct pldm_package_iter it;
	struct pldm_package_component comp;
	struct pldm_package pkg;

	(void)state;
	assert_int_equal(pldm_package_parse(NULL, v10.data, v10.len), -EINVAL);
	assert_int_equal(pldm_package_parse(&pkg, NULL, 10), -EINVAL);
	assert_int_equal(pkg.reason, PLDM_PACKAGE_ERR_ARGS);
	pldm_package_components(NULL, &it);
	assert_int_equal(pldm_package_component_next(&it, &comp), -EINVAL);
	assert_string_equal(pldm_package_reason_name(PLDM_PACKAGE_OK), "ok");
	assert_string_equal(
		pldm_package_reason_name((enum pldm_package_reason)1000),
		"unknown");
}

#define T(fn) cmocka_unit_test(fn)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_sample_v10),
		T(test_sample_v13),
		T(test_crc32_check_value),
		T(test_truncations),
		T(test_checksums),
		T(test_identifier),
		T(test_header_size),
		T(test_component_layout),
		T(test_reserved_values),
		T(test_bitmaps_and_counts),
		T(test_records_and_descriptors),
		T(test_synthetic_v13),
		T(test_args),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
