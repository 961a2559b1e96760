/* SPDX-License-Identifier: Apache-2.0 */
/*
 * DSP0267 package parser. pldm_package_parse() runs every decoder below
 * once over the whole header to validate it; the iterators run the same
 * decoders again, so they can never disagree with what was validated.
 */
#include <errno.h>
#include <string.h>

#include "codec.h"
#include "package-internal.h"
#include "pldm/fw-package.h"

/* Header identifiers of format revisions 0x01..0x04, in wire order. */
static const uint8_t package_uuids[4][PLDM_PACKAGE_UUID_LEN] = {
	{0xf0, 0x18, 0x87, 0x8c, 0xcb, 0x7d, 0x49, 0x43, 0x98, 0x00, 0xa0, 0x2f,
	 0x05, 0x9a, 0xca, 0x02},
	{0x12, 0x44, 0xd2, 0x64, 0x8d, 0x7d, 0x47, 0x18, 0xa0, 0x30, 0xfc, 0x8a,
	 0x56, 0x58, 0x7d, 0x5a},
	{0x31, 0x19, 0xce, 0x2f, 0xe8, 0x0a, 0x4a, 0x99, 0xaf, 0x6d, 0x46, 0xf8,
	 0xb1, 0x21, 0xf6, 0xbf},
	{0x7b, 0x29, 0x1c, 0x99, 0x6d, 0xb6, 0x42, 0x08, 0x80, 0x1b, 0x02, 0x02,
	 0x6e, 0x46, 0x3c, 0x78},
};

/* Identifier, revision, header size: what must be read before anything. */
#define PACKAGE_FIXED_LEN (PLDM_PACKAGE_UUID_LEN + 1 + 2)
#define TIMESTAMP104_LEN 13

static const int reason_errno[] = {
	[PLDM_PACKAGE_OK] = 0,
	[PLDM_PACKAGE_ERR_ARGS] = -EINVAL,
	[PLDM_PACKAGE_ERR_TRUNCATED] = -EBADMSG,
	[PLDM_PACKAGE_ERR_UUID] = -ENOTSUP,
	[PLDM_PACKAGE_ERR_FORMAT_REVISION] = -ENOTSUP,
	[PLDM_PACKAGE_ERR_UUID_MISMATCH] = -EPROTO,
	[PLDM_PACKAGE_ERR_HEADER_SIZE] = -EBADMSG,
	[PLDM_PACKAGE_ERR_BITMAP_LENGTH] = -EPROTO,
	[PLDM_PACKAGE_ERR_STRING_TYPE] = -EPROTO,
	[PLDM_PACKAGE_ERR_STRING_LENGTH] = -EPROTO,
	[PLDM_PACKAGE_ERR_RECORD_COUNT] = -EPROTO,
	[PLDM_PACKAGE_ERR_RECORD_LENGTH] = -EBADMSG,
	[PLDM_PACKAGE_ERR_DESCRIPTOR_COUNT] = -EPROTO,
	[PLDM_PACKAGE_ERR_DESCRIPTOR_LENGTH] = -EPROTO,
	[PLDM_PACKAGE_ERR_INITIAL_DESCRIPTOR] = -EPROTO,
	[PLDM_PACKAGE_ERR_APPLICABLE_COMPONENTS] = -EPROTO,
	[PLDM_PACKAGE_ERR_COMPONENT_COUNT] = -EPROTO,
	[PLDM_PACKAGE_ERR_CLASSIFICATION] = -EPROTO,
	[PLDM_PACKAGE_ERR_COMPONENT_EMPTY] = -EPROTO,
	[PLDM_PACKAGE_ERR_COMPONENT_OVERFLOW] = -EBADMSG,
	[PLDM_PACKAGE_ERR_COMPONENT_IN_HEADER] = -EBADMSG,
	[PLDM_PACKAGE_ERR_COMPONENT_OUTSIDE] = -EBADMSG,
	[PLDM_PACKAGE_ERR_COMPONENT_OVERLAP] = -EBADMSG,
	[PLDM_PACKAGE_ERR_HEADER_CHECKSUM] = -EILSEQ,
	[PLDM_PACKAGE_ERR_PAYLOAD_CHECKSUM] = -EILSEQ,
};

static const char *const reason_names[] = {
	[PLDM_PACKAGE_OK] = "ok",
	[PLDM_PACKAGE_ERR_ARGS] = "invalid arguments",
	[PLDM_PACKAGE_ERR_TRUNCATED] = "truncated",
	[PLDM_PACKAGE_ERR_UUID] = "unknown header identifier",
	[PLDM_PACKAGE_ERR_FORMAT_REVISION] = "unknown format revision",
	[PLDM_PACKAGE_ERR_UUID_MISMATCH] = "identifier of another revision",
	[PLDM_PACKAGE_ERR_HEADER_SIZE] = "header size inconsistent",
	[PLDM_PACKAGE_ERR_BITMAP_LENGTH] = "bad component bitmap length",
	[PLDM_PACKAGE_ERR_STRING_TYPE] = "reserved string type",
	[PLDM_PACKAGE_ERR_STRING_LENGTH] = "empty mandatory string",
	[PLDM_PACKAGE_ERR_RECORD_COUNT] = "no device record",
	[PLDM_PACKAGE_ERR_RECORD_LENGTH] = "record length inconsistent",
	[PLDM_PACKAGE_ERR_DESCRIPTOR_COUNT] = "record without descriptor",
	[PLDM_PACKAGE_ERR_DESCRIPTOR_LENGTH] = "bad descriptor length",
	[PLDM_PACKAGE_ERR_INITIAL_DESCRIPTOR] = "bad initial descriptor",
	[PLDM_PACKAGE_ERR_APPLICABLE_COMPONENTS] = "bit for no component",
	[PLDM_PACKAGE_ERR_COMPONENT_COUNT] = "no component",
	[PLDM_PACKAGE_ERR_CLASSIFICATION] = "reserved classification",
	[PLDM_PACKAGE_ERR_COMPONENT_EMPTY] = "empty component",
	[PLDM_PACKAGE_ERR_COMPONENT_OVERFLOW] = "component past 4 GiB",
	[PLDM_PACKAGE_ERR_COMPONENT_IN_HEADER] = "component in header",
	[PLDM_PACKAGE_ERR_COMPONENT_OUTSIDE] = "component past end",
	[PLDM_PACKAGE_ERR_COMPONENT_OVERLAP] = "components overlap",
	[PLDM_PACKAGE_ERR_HEADER_CHECKSUM] = "header checksum",
	[PLDM_PACKAGE_ERR_PAYLOAD_CHECKSUM] = "payload checksum",
};

const char *pldm_package_reason_name(enum pldm_package_reason reason)
{
	if ((size_t)reason >= sizeof(reason_names) / sizeof(reason_names[0]))
		return "unknown";
	return reason_names[reason];
}

static int fail(struct pldm_package *pkg, enum pldm_package_reason reason)
{
	pkg->reason = reason;
	return reason_errno[reason];
}

static bool string_type_valid(uint8_t type)
{
	return type <= PLDM_PACKAGE_STRING_UTF16BE;
}

/* The fixed length of a standard descriptor type; 0 when not fixed. */
uint16_t pldm_package_descriptor_length(uint16_t type)
{
	switch (type) {
	case PLDM_PACKAGE_DESCRIPTOR_PCI_VENDOR_ID:
	case PLDM_PACKAGE_DESCRIPTOR_PCI_DEVICE_ID:
	case PLDM_PACKAGE_DESCRIPTOR_PCI_SUBSYSTEM_VENDOR_ID:
	case PLDM_PACKAGE_DESCRIPTOR_PCI_SUBSYSTEM_ID:
		return 2;
	case PLDM_PACKAGE_DESCRIPTOR_PCI_REVISION_ID:
		return 1;
	case PLDM_PACKAGE_DESCRIPTOR_PNP_VENDOR_ID:
	case PLDM_PACKAGE_DESCRIPTOR_IEEE_ASSIGNED_COMPANY_ID:
		return 3;
	case PLDM_PACKAGE_DESCRIPTOR_IANA_ENTERPRISE_ID:
	case PLDM_PACKAGE_DESCRIPTOR_ACPI_VENDOR_ID:
	case PLDM_PACKAGE_DESCRIPTOR_PNP_PRODUCT_IDENTIFIER:
	case PLDM_PACKAGE_DESCRIPTOR_ACPI_PRODUCT_IDENTIFIER:
	case PLDM_PACKAGE_DESCRIPTOR_UBM_CONTROLLER_DEVICE_CODE:
		return 4;
	case PLDM_PACKAGE_DESCRIPTOR_SCSI_VENDOR_ID:
		return 8;
	case PLDM_PACKAGE_DESCRIPTOR_ASCII_MODEL_NUMBER_SHORT:
		return 10;
	case PLDM_PACKAGE_DESCRIPTOR_UUID:
	case PLDM_PACKAGE_DESCRIPTOR_SCSI_PRODUCT_ID:
		return 16;
	case PLDM_PACKAGE_DESCRIPTOR_ASCII_MODEL_NUMBER_LONG:
		return 40;
	default:
		return 0;
	}
}

static enum pldm_package_reason
decode_descriptor(struct pldm_reader *r, struct pldm_package_descriptor *d)
{
	struct pldm_reader v;
	uint16_t length, fixed;

	memset(d, 0, sizeof(*d));
	d->descriptor_type = pldm_read_le16(r);
	length = pldm_read_le16(r);
	d->descriptor_data.ptr = pldm_read_bytes(r, length);
	d->descriptor_data.length = length;
	if (pldm_reader_status(r))
		return PLDM_PACKAGE_ERR_RECORD_LENGTH;

	if (d->descriptor_type != PLDM_PACKAGE_DESCRIPTOR_VENDOR_DEFINED) {
		fixed = pldm_package_descriptor_length(d->descriptor_type);
		if (fixed && length != fixed)
			return PLDM_PACKAGE_ERR_DESCRIPTOR_LENGTH;
		return PLDM_PACKAGE_OK;
	}

	/* Vendor defined: title string type, length, title, then data. */
	pldm_reader_init(&v, d->descriptor_data.ptr, length);
	d->vendor_defined_descriptor_title_string.type = pldm_read_u8(&v);
	d->vendor_defined_descriptor_title_string.length = pldm_read_u8(&v);
	d->vendor_defined_descriptor_title_string.ptr = pldm_read_bytes(
		&v, d->vendor_defined_descriptor_title_string.length);
	if (pldm_reader_status(&v))
		return PLDM_PACKAGE_ERR_DESCRIPTOR_LENGTH;
	if (!string_type_valid(d->vendor_defined_descriptor_title_string.type))
		return PLDM_PACKAGE_ERR_STRING_TYPE;
	d->vendor_defined_descriptor_data.length = pldm_reader_left(&v);
	d->vendor_defined_descriptor_data.ptr =
		pldm_read_bytes(&v, d->vendor_defined_descriptor_data.length);
	return PLDM_PACKAGE_OK;
}

static enum pldm_package_reason
check_descriptors(const struct pldm_package_span *span, uint8_t count)
{
	struct pldm_package_descriptor d;
	enum pldm_package_reason why;
	struct pldm_reader r;
	unsigned int i;

	if (count == 0)
		return PLDM_PACKAGE_ERR_DESCRIPTOR_COUNT;
	pldm_reader_init(&r, span->ptr, span->length);
	for (i = 0; i < count; i++) {
		why = decode_descriptor(&r, &d);
		if (why)
			return why;
		if (i == 0 &&
		    d.descriptor_type > PLDM_PACKAGE_DESCRIPTOR_SCSI_VENDOR_ID)
			return PLDM_PACKAGE_ERR_INITIAL_DESCRIPTOR;
	}
	if (pldm_reader_left(&r))
		return PLDM_PACKAGE_ERR_RECORD_LENGTH;
	return PLDM_PACKAGE_OK;
}

/*
 * Cut a record of record_length bytes out of the header reader; the record
 * reader rr then covers exactly the record.
 */
static enum pldm_package_reason record_start(struct pldm_reader *r,
					     struct pldm_reader *rr)
{
	size_t start = r->pos;
	uint16_t record_length = pldm_read_le16(r);
	const uint8_t *p;

	if (pldm_reader_status(r))
		return PLDM_PACKAGE_ERR_HEADER_SIZE;
	r->pos = start;
	p = pldm_read_bytes(r, record_length);
	if (!p)
		return PLDM_PACKAGE_ERR_HEADER_SIZE;
	pldm_reader_init(rr, p, record_length);
	(void)pldm_read_le16(rr);
	return PLDM_PACKAGE_OK;
}

/*
 * The tail of FD and downstream records: descriptors up to the package
 * data and reference manifest, which end the record.
 */
static enum pldm_package_reason
record_tail(struct pldm_reader *rr, uint16_t package_data_length,
	    uint32_t reference_manifest_length,
	    struct pldm_package_span *descriptors,
	    struct pldm_package_span *package_data,
	    struct pldm_package_span *reference_manifest)
{
	size_t left = pldm_reader_left(rr);
	size_t tail = (size_t)package_data_length + reference_manifest_length;

	if (pldm_reader_status(rr) || tail > left)
		return PLDM_PACKAGE_ERR_RECORD_LENGTH;
	descriptors->length = left - tail;
	descriptors->ptr = pldm_read_bytes(rr, descriptors->length);
	package_data->length = package_data_length;
	package_data->ptr = pldm_read_bytes(rr, package_data_length);
	reference_manifest->length = reference_manifest_length;
	reference_manifest->ptr =
		pldm_read_bytes(rr, reference_manifest_length);
	return PLDM_PACKAGE_OK;
}

/* The fields FD and downstream records share, up to the version string. */
struct record_head {
	uint8_t descriptor_count;
	uint32_t option_flags;
	uint16_t package_data_length;
	uint32_t manifest_length; /* 0 before 0x04 */
	struct pldm_package_span applicable_components;
};

/*
 * Start a record: its length (record_start), then DescriptorCount, the
 * option flags, the string's type and length, the package data length,
 * (0x04) ReferenceManifestLength, ApplicableComponents and the string.
 * FirmwareDevicePackageDataLength is there from 0x01 on (the 1.0 vector's
 * record length counts it). *@rr reads the rest of the record.
 */
static enum pldm_package_reason record_head(const struct pldm_package *pkg,
					    struct pldm_reader *r,
					    struct pldm_reader *rr,
					    struct record_head *h,
					    struct pldm_package_string *s)
{
	enum pldm_package_reason why;

	memset(h, 0, sizeof(*h));
	why = record_start(r, rr);
	if (why)
		return why;
	h->descriptor_count = pldm_read_u8(rr);
	h->option_flags = pldm_read_le32(rr);
	s->type = pldm_read_u8(rr);
	s->length = pldm_read_u8(rr);
	h->package_data_length = pldm_read_le16(rr);
	if (pkg->package_header_format_revision >= PLDM_PACKAGE_FORMAT_1_3)
		h->manifest_length = pldm_read_le32(rr);
	h->applicable_components.length = pkg->component_bitmap_bit_length / 8u;
	h->applicable_components.ptr =
		pldm_read_bytes(rr, h->applicable_components.length);
	s->ptr = pldm_read_bytes(rr, s->length);
	return PLDM_PACKAGE_OK;
}

static enum pldm_package_reason
decode_fd_record(const struct pldm_package *pkg, struct pldm_reader *r,
		 struct pldm_package_fd_record *rec)
{
	struct pldm_package_string *s =
		&rec->component_image_set_version_string;
	enum pldm_package_reason why;
	struct record_head h;
	struct pldm_reader rr;

	memset(rec, 0, sizeof(*rec));
	why = record_head(pkg, r, &rr, &h, s);
	if (why)
		return why;
	rec->descriptor_count = h.descriptor_count;
	rec->device_update_option_flags = h.option_flags;
	rec->applicable_components = h.applicable_components;
	why = record_tail(&rr, h.package_data_length, h.manifest_length,
			  &rec->record_descriptors,
			  &rec->firmware_device_package_data,
			  &rec->reference_manifest_data);
	if (why)
		return why;
	if (!string_type_valid(s->type))
		return PLDM_PACKAGE_ERR_STRING_TYPE;
	if (s->length == 0)
		return PLDM_PACKAGE_ERR_STRING_LENGTH;
	return check_descriptors(&rec->record_descriptors,
				 rec->descriptor_count);
}

static enum pldm_package_reason
decode_dd_record(const struct pldm_package *pkg, struct pldm_reader *r,
		 struct pldm_package_dd_record *rec)
{
	struct pldm_package_string *s =
		&rec->self_contained_activation_min_version_string;
	enum pldm_package_reason why;
	struct record_head h;
	struct pldm_reader rr;

	memset(rec, 0, sizeof(*rec));
	why = record_head(pkg, r, &rr, &h, s);
	if (why)
		return why;
	rec->descriptor_count = h.descriptor_count;
	rec->update_option_flags = h.option_flags;
	rec->applicable_components = h.applicable_components;
	/* The stamp exists only when bit 0 (self-contained activation). */
	if (rec->update_option_flags & 1u) {
		rec->has_self_contained_activation_min_version_comparison_stamp =
			true;
		rec->self_contained_activation_min_version_comparison_stamp =
			pldm_read_le32(&rr);
	}
	why = record_tail(&rr, h.package_data_length, h.manifest_length,
			  &rec->record_descriptors,
			  &rec->downstream_device_package_data,
			  &rec->reference_manifest_data);
	if (why)
		return why;
	if (!string_type_valid(s->type))
		return PLDM_PACKAGE_ERR_STRING_TYPE;
	return check_descriptors(&rec->record_descriptors,
				 rec->descriptor_count);
}

static enum pldm_package_reason
decode_component(const struct pldm_package *pkg, struct pldm_reader *r,
		 struct pldm_package_component *c)
{
	struct pldm_package_string *s = &c->component_version_string;
	uint16_t cls;
	uint64_t end;

	memset(c, 0, sizeof(*c));
	c->component_classification = pldm_read_le16(r);
	c->component_identifier = pldm_read_le16(r);
	c->component_comparison_stamp = pldm_read_le32(r);
	c->component_options = pldm_read_le16(r);
	c->requested_component_activation_method = pldm_read_le16(r);
	c->component_location_offset = pldm_read_le32(r);
	c->component_size = pldm_read_le32(r);
	s->type = pldm_read_u8(r);
	s->length = pldm_read_u8(r);
	s->ptr = pldm_read_bytes(r, s->length);
	if (pkg->package_header_format_revision >= PLDM_PACKAGE_FORMAT_1_2) {
		c->component_opaque_data.length = pldm_read_le32(r);
		c->component_opaque_data.ptr =
			pldm_read_bytes(r, c->component_opaque_data.length);
	}
	if (pldm_reader_status(r))
		return PLDM_PACKAGE_ERR_HEADER_SIZE;
	if (!string_type_valid(s->type))
		return PLDM_PACKAGE_ERR_STRING_TYPE;
	if (s->length == 0)
		return PLDM_PACKAGE_ERR_STRING_LENGTH;
	cls = c->component_classification;
	if (cls > 0x000d && cls < 0x8000)
		return PLDM_PACKAGE_ERR_CLASSIFICATION;
	if (c->component_size == 0)
		return PLDM_PACKAGE_ERR_COMPONENT_EMPTY;
	end = (uint64_t)c->component_location_offset + c->component_size;
	if (end > 0xffffffffu)
		return PLDM_PACKAGE_ERR_COMPONENT_OVERFLOW;
	if (c->component_location_offset < pkg->package_header_size)
		return PLDM_PACKAGE_ERR_COMPONENT_IN_HEADER;
	if (end > pkg->len)
		return PLDM_PACKAGE_ERR_COMPONENT_OUTSIDE;
	c->image.ptr = pkg->buf + c->component_location_offset;
	c->image.length = c->component_size;
	return PLDM_PACKAGE_OK;
}

static void reader_at(struct pldm_reader *r, const struct pldm_package *pkg,
		      size_t pos)
{
	pldm_reader_init(r, pkg->buf, pkg->fields_end);
	r->pos = pos;
}

/* Any pair of images sharing a byte. Quadratic, but n <= 2978. */
static enum pldm_package_reason check_overlaps(const struct pldm_package *pkg)
{
	struct pldm_package_component a, b;
	struct pldm_reader ra, rb;
	unsigned int i, j;

	reader_at(&ra, pkg, pkg->component_area);
	for (i = 0; i < pkg->component_image_count; i++) {
		(void)decode_component(pkg, &ra, &a);
		rb = ra;
		for (j = i + 1; j < pkg->component_image_count; j++) {
			(void)decode_component(pkg, &rb, &b);
			if (a.component_location_offset <
				    b.component_location_offset +
					    b.component_size &&
			    b.component_location_offset <
				    a.component_location_offset +
					    a.component_size)
				return PLDM_PACKAGE_ERR_COMPONENT_OVERLAP;
		}
	}
	return PLDM_PACKAGE_OK;
}

/* No bit at or past the component count may be set. */
static bool bitmap_consistent(const struct pldm_package *pkg,
			      const struct pldm_package_span *bitmap)
{
	size_t bit;

	for (bit = pkg->component_image_count; bit < bitmap->length * 8u; bit++)
		if (bitmap->ptr[bit / 8] & (1u << (bit % 8)))
			return false;
	return true;
}

static enum pldm_package_reason parse_areas(struct pldm_package *pkg,
					    struct pldm_reader *r)
{
	struct pldm_package_component comp;
	struct pldm_package_fd_record fd;
	struct pldm_package_dd_record dd;
	enum pldm_package_reason why;
	unsigned int i;

	pkg->device_id_record_count = pldm_read_u8(r);
	pkg->fd_area = r->pos;
	if (pldm_reader_status(r))
		return PLDM_PACKAGE_ERR_HEADER_SIZE;
	if (pkg->device_id_record_count == 0)
		return PLDM_PACKAGE_ERR_RECORD_COUNT;
	for (i = 0; i < pkg->device_id_record_count; i++) {
		why = decode_fd_record(pkg, r, &fd);
		if (why)
			return why;
	}

	if (pkg->package_header_format_revision >= PLDM_PACKAGE_FORMAT_1_1) {
		pkg->downstream_device_id_record_count = pldm_read_u8(r);
		pkg->dd_area = r->pos;
		for (i = 0; i < pkg->downstream_device_id_record_count; i++) {
			why = decode_dd_record(pkg, r, &dd);
			if (why)
				return why;
		}
	}

	pkg->component_image_count = pldm_read_le16(r);
	pkg->component_area = r->pos;
	if (pldm_reader_status(r))
		return PLDM_PACKAGE_ERR_HEADER_SIZE;
	if (pkg->component_image_count == 0)
		return PLDM_PACKAGE_ERR_COMPONENT_COUNT;
	if (pkg->component_image_count > pkg->component_bitmap_bit_length)
		return PLDM_PACKAGE_ERR_BITMAP_LENGTH;
	for (i = 0; i < pkg->component_image_count; i++) {
		why = decode_component(pkg, r, &comp);
		if (why)
			return why;
	}
	if (pldm_reader_left(r))
		return PLDM_PACKAGE_ERR_HEADER_SIZE;

	/* Now that the component count is known: the bitmaps. */
	reader_at(r, pkg, pkg->fd_area);
	for (i = 0; i < pkg->device_id_record_count; i++) {
		(void)decode_fd_record(pkg, r, &fd);
		if (!bitmap_consistent(pkg, &fd.applicable_components))
			return PLDM_PACKAGE_ERR_APPLICABLE_COMPONENTS;
	}
	reader_at(r, pkg, pkg->dd_area);
	for (i = 0; i < pkg->downstream_device_id_record_count; i++) {
		(void)decode_dd_record(pkg, r, &dd);
		if (!bitmap_consistent(pkg, &dd.applicable_components))
			return PLDM_PACKAGE_ERR_APPLICABLE_COMPONENTS;
	}
	return check_overlaps(pkg);
}

static void decode_timestamp104(const uint8_t *p, struct pldm_timestamp104 *t)
{
	t->utc_offset = (int16_t)(uint16_t)(p[0] | (unsigned int)p[1] << 8);
	t->microsecond = p[2] | (uint32_t)p[3] << 8 | (uint32_t)p[4] << 16;
	t->second = p[5];
	t->minute = p[6];
	t->hour = p[7];
	t->day = p[8];
	t->month = p[9];
	t->year = (uint16_t)(p[10] | (unsigned int)p[11] << 8);
	t->utc_and_time_resolution = p[12];
}

const uint8_t *pldm_package_header_identifier(uint8_t format_revision)
{
	if (format_revision < PLDM_PACKAGE_FORMAT_1_0 ||
	    format_revision > PLDM_PACKAGE_FORMAT_1_3)
		return NULL;
	return package_uuids[format_revision - 1];
}

static int match_uuid(const uint8_t *uuid)
{
	int i;

	for (i = 0; i < 4; i++)
		if (!memcmp(uuid, package_uuids[i], PLDM_PACKAGE_UUID_LEN))
			return i + 1;
	return 0;
}

int pldm_package_parse(struct pldm_package *pkg, const uint8_t *buf, size_t len)
{
	struct pldm_package_string *s;
	enum pldm_package_reason why;
	struct pldm_reader r, c;
	size_t checksums;
	const uint8_t *p;
	int uuid_revision;

	if (!pkg)
		return -EINVAL;
	memset(pkg, 0, sizeof(*pkg));
	if (!buf)
		return fail(pkg, PLDM_PACKAGE_ERR_ARGS);
	pkg->buf = buf;
	pkg->len = len;

	pldm_reader_init(&r, buf, len);
	pkg->package_header_identifier =
		pldm_read_bytes(&r, PLDM_PACKAGE_UUID_LEN);
	pkg->package_header_format_revision = pldm_read_u8(&r);
	pkg->package_header_size = pldm_read_le16(&r);
	if (pldm_reader_status(&r))
		return fail(pkg, PLDM_PACKAGE_ERR_TRUNCATED);
	uuid_revision = match_uuid(pkg->package_header_identifier);
	if (!uuid_revision)
		return fail(pkg, PLDM_PACKAGE_ERR_UUID);
	if (pkg->package_header_format_revision < PLDM_PACKAGE_FORMAT_1_0 ||
	    pkg->package_header_format_revision > PLDM_PACKAGE_FORMAT_1_3)
		return fail(pkg, PLDM_PACKAGE_ERR_FORMAT_REVISION);
	if (uuid_revision != pkg->package_header_format_revision)
		return fail(pkg, PLDM_PACKAGE_ERR_UUID_MISMATCH);

	/* The header ends with its checksum, then (0x04) the payload's. */
	pkg->has_payload_checksum = pkg->package_header_format_revision >=
				    PLDM_PACKAGE_FORMAT_1_3;
	checksums = pkg->has_payload_checksum ? 8 : 4;
	if (pkg->package_header_size > len)
		return fail(pkg, PLDM_PACKAGE_ERR_TRUNCATED);
	if (pkg->package_header_size < PACKAGE_FIXED_LEN + checksums)
		return fail(pkg, PLDM_PACKAGE_ERR_HEADER_SIZE);
	pkg->fields_end = pkg->package_header_size - checksums;

	pldm_reader_init(&c, buf + pkg->fields_end, checksums);
	pkg->package_header_checksum = pldm_read_le32(&c);
	if (pkg->has_payload_checksum)
		pkg->package_payload_checksum = pldm_read_le32(&c);
	if (pldm_crc32(buf, pkg->fields_end) != pkg->package_header_checksum)
		return fail(pkg, PLDM_PACKAGE_ERR_HEADER_CHECKSUM);
	if (pkg->has_payload_checksum &&
	    pldm_crc32(buf + pkg->package_header_size,
		       len - pkg->package_header_size) !=
		    pkg->package_payload_checksum)
		return fail(pkg, PLDM_PACKAGE_ERR_PAYLOAD_CHECKSUM);

	/* From here on, read only the header's fields. */
	pldm_reader_init(&r, buf, pkg->fields_end);
	r.pos = PACKAGE_FIXED_LEN;
	p = pldm_read_bytes(&r, TIMESTAMP104_LEN);
	if (p)
		decode_timestamp104(p, &pkg->package_release_date_time);
	pkg->component_bitmap_bit_length = pldm_read_le16(&r);
	s = &pkg->package_version_string;
	s->type = pldm_read_u8(&r);
	s->length = pldm_read_u8(&r);
	s->ptr = pldm_read_bytes(&r, s->length);
	if (pldm_reader_status(&r))
		return fail(pkg, PLDM_PACKAGE_ERR_HEADER_SIZE);
	if (pkg->component_bitmap_bit_length == 0 ||
	    pkg->component_bitmap_bit_length % 8)
		return fail(pkg, PLDM_PACKAGE_ERR_BITMAP_LENGTH);
	if (!string_type_valid(s->type))
		return fail(pkg, PLDM_PACKAGE_ERR_STRING_TYPE);
	if (s->length == 0)
		return fail(pkg, PLDM_PACKAGE_ERR_STRING_LENGTH);

	why = parse_areas(pkg, &r);
	if (why)
		return fail(pkg, why);
	pkg->reason = PLDM_PACKAGE_OK;
	return 0;
}

static bool parsed(const struct pldm_package *pkg)
{
	return pkg && pkg->buf && pkg->reason == PLDM_PACKAGE_OK;
}

static void iter_start(const struct pldm_package *pkg,
		       struct pldm_package_iter *it, size_t pos,
		       unsigned int count)
{
	memset(it, 0, sizeof(*it));
	if (!parsed(pkg))
		return;
	it->pkg = pkg;
	it->ptr = pkg->buf;
	it->len = pkg->fields_end;
	it->pos = pos;
	it->left = count;
}

/* Common step: 0 at the end, -EINVAL if not started on a parsed package. */
static int iter_step(struct pldm_package_iter *it, struct pldm_reader *r)
{
	if (!it || !parsed(it->pkg))
		return -EINVAL;
	if (it->left == 0)
		return 0;
	pldm_reader_init(r, it->ptr, it->len);
	if (it->pos > it->len)
		return -EBADMSG;
	r->pos = it->pos;
	return 1;
}

static int iter_done(struct pldm_package_iter *it, struct pldm_reader *r,
		     enum pldm_package_reason why)
{
	if (why) {
		it->left = 0;
		return -EBADMSG;
	}
	it->pos = r->pos;
	it->left--;
	return 1;
}

void pldm_package_fd_records(const struct pldm_package *pkg,
			     struct pldm_package_iter *it)
{
	iter_start(pkg, it, pkg ? pkg->fd_area : 0,
		   pkg ? pkg->device_id_record_count : 0);
}

int pldm_package_fd_record_next(struct pldm_package_iter *it,
				struct pldm_package_fd_record *rec)
{
	struct pldm_reader r;
	int rc = iter_step(it, &r);

	if (rc <= 0)
		return rc;
	return iter_done(it, &r, decode_fd_record(it->pkg, &r, rec));
}

void pldm_package_dd_records(const struct pldm_package *pkg,
			     struct pldm_package_iter *it)
{
	iter_start(pkg, it, pkg ? pkg->dd_area : 0,
		   pkg ? pkg->downstream_device_id_record_count : 0);
}

int pldm_package_dd_record_next(struct pldm_package_iter *it,
				struct pldm_package_dd_record *rec)
{
	struct pldm_reader r;
	int rc = iter_step(it, &r);

	if (rc <= 0)
		return rc;
	return iter_done(it, &r, decode_dd_record(it->pkg, &r, rec));
}

void pldm_package_descriptors(const struct pldm_package *pkg,
			      const struct pldm_package_span *record_descriptors,
			      uint8_t descriptor_count,
			      struct pldm_package_iter *it)
{
	iter_start(pkg, it, 0, descriptor_count);
	if (!it->pkg)
		return;
	if (!record_descriptors || !record_descriptors->ptr) {
		it->left = 0;
		return;
	}
	it->ptr = record_descriptors->ptr;
	it->len = record_descriptors->length;
}

int pldm_package_descriptor_next(struct pldm_package_iter *it,
				 struct pldm_package_descriptor *desc)
{
	struct pldm_reader r;
	int rc = iter_step(it, &r);

	if (rc <= 0)
		return rc;
	return iter_done(it, &r, decode_descriptor(&r, desc));
}

void pldm_package_components(const struct pldm_package *pkg,
			     struct pldm_package_iter *it)
{
	iter_start(pkg, it, pkg ? pkg->component_area : 0,
		   pkg ? pkg->component_image_count : 0);
}

int pldm_package_component_next(struct pldm_package_iter *it,
				struct pldm_package_component *comp)
{
	struct pldm_reader r;
	uint16_t index;
	int rc = iter_step(it, &r);

	if (rc <= 0)
		return rc;
	index = (uint16_t)(it->pkg->component_image_count - it->left);
	rc = iter_done(it, &r, decode_component(it->pkg, &r, comp));
	if (rc > 0)
		comp->index = index;
	return rc;
}

bool pldm_package_applicable(const struct pldm_package_span *bitmap,
			     uint16_t index)
{
	if (!bitmap || !bitmap->ptr || index / 8u >= bitmap->length)
		return false;
	return (bitmap->ptr[index / 8u] >> (index % 8u)) & 1u;
}
