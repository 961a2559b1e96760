/* SPDX-License-Identifier: Apache-2.0 */
/*
 * DSP0267 package writer. Two passes over the description: the first
 * checks every field against its wire width and the rules the parser
 * enforces (so what is written always parses) and adds up the sizes in 64
 * bits; the second writes through the bounds-checked writer into a buffer
 * already known to be large enough.
 */
#include <errno.h>
#include <string.h>

#include "codec.h"
#include "package-internal.h"
#include "crc32.h"
#include "pldm/fw-package.h"

/* Identifier, revision, size, timestamp104, bitmap length, string type and
 * length: the fixed part before the package version string. */
#define HEADER_FIXED_LEN (PLDM_PACKAGE_UUID_LEN + 1 + 2 + 13 + 2 + 1 + 1)
/* Record length, descriptor count, option flags, string type and length,
 * package data length. */
#define RECORD_FIXED_LEN (2 + 1 + 4 + 1 + 1 + 2)
/* Classification through version string length. */
#define COMPONENT_FIXED_LEN (2 + 2 + 4 + 2 + 2 + 4 + 4 + 1 + 1)
#define MAX_U16 0xffffu
#define MAX_U32 0xffffffffu

static const int write_errno[] = {
	[PLDM_PACKAGE_WRITE_OK] = 0,
	[PLDM_PACKAGE_WRITE_ERR_ARGS] = -EINVAL,
	[PLDM_PACKAGE_WRITE_ERR_FORMAT_REVISION] = -ENOTSUP,
	[PLDM_PACKAGE_WRITE_ERR_NOT_IN_REVISION] = -EINVAL,
	[PLDM_PACKAGE_WRITE_ERR_TIMESTAMP] = -EINVAL,
	[PLDM_PACKAGE_WRITE_ERR_STRING_TYPE] = -EINVAL,
	[PLDM_PACKAGE_WRITE_ERR_STRING_EMPTY] = -EINVAL,
	[PLDM_PACKAGE_WRITE_ERR_STRING_TOO_LONG] = -EOVERFLOW,
	[PLDM_PACKAGE_WRITE_ERR_RECORD_COUNT] = -EINVAL,
	[PLDM_PACKAGE_WRITE_ERR_DESCRIPTOR_COUNT] = -EINVAL,
	[PLDM_PACKAGE_WRITE_ERR_DESCRIPTOR_LENGTH] = -EINVAL,
	[PLDM_PACKAGE_WRITE_ERR_INITIAL_DESCRIPTOR] = -EINVAL,
	[PLDM_PACKAGE_WRITE_ERR_DATA_TOO_LONG] = -EOVERFLOW,
	[PLDM_PACKAGE_WRITE_ERR_RECORD_TOO_LONG] = -EOVERFLOW,
	[PLDM_PACKAGE_WRITE_ERR_HEADER_TOO_LONG] = -EOVERFLOW,
	[PLDM_PACKAGE_WRITE_ERR_COMPONENT_COUNT] = -EINVAL,
	[PLDM_PACKAGE_WRITE_ERR_BITMAP_LENGTH] = -EINVAL,
	[PLDM_PACKAGE_WRITE_ERR_APPLICABLE_COMPONENTS] = -EINVAL,
	[PLDM_PACKAGE_WRITE_ERR_CLASSIFICATION] = -EINVAL,
	[PLDM_PACKAGE_WRITE_ERR_COMPONENT_EMPTY] = -EINVAL,
	[PLDM_PACKAGE_WRITE_ERR_PACKAGE_TOO_LARGE] = -EOVERFLOW,
	[PLDM_PACKAGE_WRITE_ERR_BUFFER_TOO_SMALL] = -EMSGSIZE,
};

static const char *const write_names[] = {
	[PLDM_PACKAGE_WRITE_OK] = "ok",
	[PLDM_PACKAGE_WRITE_ERR_ARGS] = "invalid arguments",
	[PLDM_PACKAGE_WRITE_ERR_FORMAT_REVISION] = "unknown format revision",
	[PLDM_PACKAGE_WRITE_ERR_NOT_IN_REVISION] = "field not in this revision",
	[PLDM_PACKAGE_WRITE_ERR_TIMESTAMP] = "bad release date-time",
	[PLDM_PACKAGE_WRITE_ERR_STRING_TYPE] = "reserved string type",
	[PLDM_PACKAGE_WRITE_ERR_STRING_EMPTY] = "empty mandatory string",
	[PLDM_PACKAGE_WRITE_ERR_STRING_TOO_LONG] = "string too long",
	[PLDM_PACKAGE_WRITE_ERR_RECORD_COUNT] = "bad record count",
	[PLDM_PACKAGE_WRITE_ERR_DESCRIPTOR_COUNT] = "bad descriptor count",
	[PLDM_PACKAGE_WRITE_ERR_DESCRIPTOR_LENGTH] = "bad descriptor length",
	[PLDM_PACKAGE_WRITE_ERR_INITIAL_DESCRIPTOR] = "bad initial descriptor",
	[PLDM_PACKAGE_WRITE_ERR_DATA_TOO_LONG] = "data too long",
	[PLDM_PACKAGE_WRITE_ERR_RECORD_TOO_LONG] = "record too long",
	[PLDM_PACKAGE_WRITE_ERR_HEADER_TOO_LONG] = "header too long",
	[PLDM_PACKAGE_WRITE_ERR_COMPONENT_COUNT] = "bad component count",
	[PLDM_PACKAGE_WRITE_ERR_BITMAP_LENGTH] = "bad component bitmap length",
	[PLDM_PACKAGE_WRITE_ERR_APPLICABLE_COMPONENTS] = "bit for no component",
	[PLDM_PACKAGE_WRITE_ERR_CLASSIFICATION] = "reserved classification",
	[PLDM_PACKAGE_WRITE_ERR_COMPONENT_EMPTY] = "empty component",
	[PLDM_PACKAGE_WRITE_ERR_PACKAGE_TOO_LARGE] = "package past 4 GiB",
	[PLDM_PACKAGE_WRITE_ERR_BUFFER_TOO_SMALL] = "buffer too small",
};

const char *pldm_package_write_reason_name(enum pldm_package_write_reason r)
{
	if ((size_t)r >= sizeof(write_names) / sizeof(write_names[0]))
		return "unknown";
	return write_names[r];
}

/* The pass-one state: sizes so far and where a failure was found. */
struct layout {
	const struct pldm_package_description *desc;
	uint8_t rev;
	uint16_t bitmap_bits;
	uint64_t header_size;
	uint64_t package_size;
	enum pldm_package_write_reason reason;
	enum pldm_package_write_area area;
	size_t index;
	size_t descriptor_index;
};

static bool span_ok(const struct pldm_package_span *s)
{
	return s->ptr || s->length == 0;
}

static enum pldm_package_write_reason
check_string(const struct pldm_package_write_string *s, bool mandatory)
{
	if (!s->ptr && s->length)
		return PLDM_PACKAGE_WRITE_ERR_ARGS;
	if (s->type > PLDM_PACKAGE_STRING_UTF16BE)
		return PLDM_PACKAGE_WRITE_ERR_STRING_TYPE;
	if (s->length > 0xff)
		return PLDM_PACKAGE_WRITE_ERR_STRING_TOO_LONG;
	if (mandatory && s->length == 0)
		return PLDM_PACKAGE_WRITE_ERR_STRING_EMPTY;
	return PLDM_PACKAGE_WRITE_OK;
}

/* DescriptorLength of one descriptor (its data), or a reason. */
static enum pldm_package_write_reason
descriptor_length(const struct pldm_package_write_descriptor *d, size_t first,
		  uint64_t *length)
{
	const struct pldm_package_write_string *title =
		&d->vendor_defined_descriptor_title_string;
	enum pldm_package_write_reason why;
	size_t fixed;

	if (first &&
	    d->descriptor_type > PLDM_PACKAGE_DESCRIPTOR_SCSI_VENDOR_ID)
		return PLDM_PACKAGE_WRITE_ERR_INITIAL_DESCRIPTOR;
	if (d->descriptor_type != PLDM_PACKAGE_DESCRIPTOR_VENDOR_DEFINED) {
		if (!span_ok(&d->descriptor_data))
			return PLDM_PACKAGE_WRITE_ERR_ARGS;
		fixed = pldm_package_descriptor_length(d->descriptor_type);
		if (fixed && d->descriptor_data.length != fixed)
			return PLDM_PACKAGE_WRITE_ERR_DESCRIPTOR_LENGTH;
		*length = d->descriptor_data.length;
	} else {
		why = check_string(title, false);
		if (why)
			return why;
		if (!span_ok(&d->vendor_defined_descriptor_data))
			return PLDM_PACKAGE_WRITE_ERR_ARGS;
		/* Type and length bytes of the title, the title, the data. */
		*length = 2u + (uint64_t)title->length +
			  d->vendor_defined_descriptor_data.length;
	}
	if (*length > MAX_U16)
		return PLDM_PACKAGE_WRITE_ERR_DATA_TOO_LONG;
	return PLDM_PACKAGE_WRITE_OK;
}

/* Sum of the descriptor TLVs of one record. */
static enum pldm_package_write_reason
descriptors_size(struct layout *l,
		 const struct pldm_package_write_descriptor *d, size_t count,
		 uint64_t *size)
{
	enum pldm_package_write_reason why;
	uint64_t length;
	size_t i;

	if (count == 0 || count > 0xff)
		return PLDM_PACKAGE_WRITE_ERR_DESCRIPTOR_COUNT;
	if (!d)
		return PLDM_PACKAGE_WRITE_ERR_ARGS;
	*size = 0;
	for (i = 0; i < count; i++) {
		l->descriptor_index = i;
		why = descriptor_length(&d[i], i == 0, &length);
		if (why)
			return why;
		*size += 4u + length;
	}
	l->descriptor_index = 0;
	return PLDM_PACKAGE_WRITE_OK;
}

/* The applicable components bitmap fits and names only components. */
static enum pldm_package_write_reason
check_bitmap(const struct layout *l, const struct pldm_package_span *bitmap)
{
	size_t bit;

	if (!span_ok(bitmap))
		return PLDM_PACKAGE_WRITE_ERR_ARGS;
	if (bitmap->length > l->bitmap_bits / 8u)
		return PLDM_PACKAGE_WRITE_ERR_APPLICABLE_COMPONENTS;
	for (bit = l->desc->component_count; bit < bitmap->length * 8u; bit++)
		if (bitmap->ptr[bit / 8u] & (1u << (bit % 8u)))
			return PLDM_PACKAGE_WRITE_ERR_APPLICABLE_COMPONENTS;
	return PLDM_PACKAGE_WRITE_OK;
}

/*
 * What FD and downstream records share: everything but the option flags'
 * meaning, the downstream comparison stamp and which string is mandatory.
 */
struct record_view {
	const struct pldm_package_write_string *string;
	bool string_mandatory;
	const struct pldm_package_span *applicable_components;
	const struct pldm_package_write_descriptor *descriptors;
	size_t descriptor_count;
	const struct pldm_package_span *package_data;
	const struct pldm_package_span *reference_manifest_data;
	bool has_stamp;
};

static void fd_view(const struct pldm_package_write_fd_record *r,
		    struct record_view *v)
{
	v->string = &r->component_image_set_version_string;
	v->string_mandatory = true;
	v->applicable_components = &r->applicable_components;
	v->descriptors = r->descriptors;
	v->descriptor_count = r->descriptor_count;
	v->package_data = &r->firmware_device_package_data;
	v->reference_manifest_data = &r->reference_manifest_data;
	v->has_stamp = false;
}

static void dd_view(const struct pldm_package_write_dd_record *r,
		    struct record_view *v)
{
	v->string = &r->self_contained_activation_min_version_string;
	v->string_mandatory = false;
	v->applicable_components = &r->applicable_components;
	v->descriptors = r->descriptors;
	v->descriptor_count = r->descriptor_count;
	v->package_data = &r->downstream_device_package_data;
	v->reference_manifest_data = &r->reference_manifest_data;
	v->has_stamp = r->update_option_flags & 1u;
}

static enum pldm_package_write_reason
record_size(struct layout *l, const struct record_view *v, uint64_t *size)
{
	enum pldm_package_write_reason why;
	uint64_t descriptors;

	why = check_string(v->string, v->string_mandatory);
	if (why)
		return why;
	why = check_bitmap(l, v->applicable_components);
	if (why)
		return why;
	why = descriptors_size(l, v->descriptors, v->descriptor_count,
			       &descriptors);
	if (why)
		return why;
	if (!span_ok(v->package_data) || !span_ok(v->reference_manifest_data))
		return PLDM_PACKAGE_WRITE_ERR_ARGS;
	if (v->package_data->length > MAX_U16 ||
	    v->reference_manifest_data->length > MAX_U32)
		return PLDM_PACKAGE_WRITE_ERR_DATA_TOO_LONG;
	if (l->rev < PLDM_PACKAGE_FORMAT_1_3 &&
	    v->reference_manifest_data->length)
		return PLDM_PACKAGE_WRITE_ERR_NOT_IN_REVISION;

	*size = RECORD_FIXED_LEN + (uint64_t)l->bitmap_bits / 8u +
		v->string->length + descriptors + v->package_data->length +
		v->reference_manifest_data->length;
	if (l->rev >= PLDM_PACKAGE_FORMAT_1_3)
		*size += 4; /* ReferenceManifestLength */
	if (v->has_stamp)
		*size += 4;
	if (*size > MAX_U16)
		return PLDM_PACKAGE_WRITE_ERR_RECORD_TOO_LONG;
	return PLDM_PACKAGE_WRITE_OK;
}

static enum pldm_package_write_reason
component_size(const struct layout *l,
	       const struct pldm_package_write_component *c, uint64_t *size)
{
	enum pldm_package_write_reason why;
	uint16_t cls = c->component_classification;

	why = check_string(&c->component_version_string, true);
	if (why)
		return why;
	if (!span_ok(&c->component_opaque_data) || !span_ok(&c->image))
		return PLDM_PACKAGE_WRITE_ERR_ARGS;
	if (c->component_opaque_data.length > MAX_U32)
		return PLDM_PACKAGE_WRITE_ERR_DATA_TOO_LONG;
	if (l->rev < PLDM_PACKAGE_FORMAT_1_2 && c->component_opaque_data.length)
		return PLDM_PACKAGE_WRITE_ERR_NOT_IN_REVISION;
	if (cls > 0x000d && cls < 0x8000)
		return PLDM_PACKAGE_WRITE_ERR_CLASSIFICATION;
	if (c->image.length == 0)
		return PLDM_PACKAGE_WRITE_ERR_COMPONENT_EMPTY;
	if (c->image.length > MAX_U32)
		return PLDM_PACKAGE_WRITE_ERR_PACKAGE_TOO_LARGE;
	*size = COMPONENT_FIXED_LEN +
		(uint64_t)c->component_version_string.length;
	if (l->rev >= PLDM_PACKAGE_FORMAT_1_2)
		*size += 4u + (uint64_t)c->component_opaque_data.length;
	return PLDM_PACKAGE_WRITE_OK;
}

static enum pldm_package_write_reason layout_bitmap(struct layout *l)
{
	const struct pldm_package_description *d = l->desc;
	uint64_t bits = d->component_bitmap_bit_length;

	if (d->component_count == 0 || d->component_count > MAX_U16)
		return PLDM_PACKAGE_WRITE_ERR_COMPONENT_COUNT;
	if (!d->components)
		return PLDM_PACKAGE_WRITE_ERR_ARGS;
	if (bits == 0)
		bits = ((uint64_t)d->component_count + 7u) / 8u * 8u;
	if (bits > MAX_U16 || bits % 8u || bits < d->component_count)
		return PLDM_PACKAGE_WRITE_ERR_BITMAP_LENGTH;
	l->bitmap_bits = (uint16_t)bits;
	return PLDM_PACKAGE_WRITE_OK;
}

static enum pldm_package_write_reason layout_records(struct layout *l)
{
	const struct pldm_package_description *d = l->desc;
	enum pldm_package_write_reason why;
	struct record_view v;
	uint64_t size;
	size_t i;

	if (d->fd_record_count == 0 || d->fd_record_count > 0xff)
		return PLDM_PACKAGE_WRITE_ERR_RECORD_COUNT;
	if (!d->fd_records)
		return PLDM_PACKAGE_WRITE_ERR_ARGS;
	l->header_size += 1; /* DeviceIDRecordCount */
	l->area = PLDM_PACKAGE_WRITE_AREA_FD_RECORD;
	for (i = 0; i < d->fd_record_count; i++) {
		l->index = i;
		fd_view(&d->fd_records[i], &v);
		why = record_size(l, &v, &size);
		if (why)
			return why;
		l->header_size += size;
	}

	l->index = 0;
	l->area = PLDM_PACKAGE_WRITE_AREA_DD_RECORD;
	if (l->rev < PLDM_PACKAGE_FORMAT_1_1) {
		if (d->dd_record_count)
			return PLDM_PACKAGE_WRITE_ERR_NOT_IN_REVISION;
		return PLDM_PACKAGE_WRITE_OK;
	}
	if (d->dd_record_count > 0xff)
		return PLDM_PACKAGE_WRITE_ERR_RECORD_COUNT;
	if (d->dd_record_count && !d->dd_records)
		return PLDM_PACKAGE_WRITE_ERR_ARGS;
	l->header_size += 1; /* DownstreamDeviceIDRecordCount */
	for (i = 0; i < d->dd_record_count; i++) {
		l->index = i;
		dd_view(&d->dd_records[i], &v);
		why = record_size(l, &v, &size);
		if (why)
			return why;
		l->header_size += size;
	}
	l->index = 0;
	l->area = PLDM_PACKAGE_WRITE_AREA_HEADER;
	return PLDM_PACKAGE_WRITE_OK;
}

static enum pldm_package_write_reason layout_package(struct layout *l)
{
	const struct pldm_package_description *d = l->desc;
	enum pldm_package_write_reason why;
	uint64_t size;
	size_t i;

	l->rev = d->package_header_format_revision;
	if (!pldm_package_header_identifier(l->rev))
		return PLDM_PACKAGE_WRITE_ERR_FORMAT_REVISION;
	if (d->package_release_date_time.microsecond > 0xffffffu)
		return PLDM_PACKAGE_WRITE_ERR_TIMESTAMP;
	why = check_string(&d->package_version_string, true);
	if (why)
		return why;
	why = layout_bitmap(l);
	if (why)
		return why;

	l->header_size = HEADER_FIXED_LEN + d->package_version_string.length;
	why = layout_records(l);
	if (why)
		return why;

	l->header_size += 2; /* ComponentImageCount */
	l->area = PLDM_PACKAGE_WRITE_AREA_COMPONENT;
	for (i = 0; i < d->component_count; i++) {
		l->index = i;
		why = component_size(l, &d->components[i], &size);
		if (why)
			return why;
		l->header_size += size;
	}
	l->index = 0;
	l->area = PLDM_PACKAGE_WRITE_AREA_HEADER;
	l->header_size += l->rev >= PLDM_PACKAGE_FORMAT_1_3 ? 8u : 4u;
	if (l->header_size > MAX_U16)
		return PLDM_PACKAGE_WRITE_ERR_HEADER_TOO_LONG;

	/* Every image must end within 32 bits (offset + size). */
	l->package_size = l->header_size;
	l->area = PLDM_PACKAGE_WRITE_AREA_COMPONENT;
	for (i = 0; i < d->component_count; i++) {
		l->index = i;
		l->package_size += d->components[i].image.length;
		if (l->package_size > MAX_U32)
			return PLDM_PACKAGE_WRITE_ERR_PACKAGE_TOO_LARGE;
	}
	l->index = 0;
	l->area = PLDM_PACKAGE_WRITE_AREA_HEADER;
	return PLDM_PACKAGE_WRITE_OK;
}

static void put_string(struct pldm_writer *w,
		       const struct pldm_package_write_string *s)
{
	pldm_write_bytes(w, s->ptr, s->length);
}

static void put_span(struct pldm_writer *w, const struct pldm_package_span *s)
{
	pldm_write_bytes(w, s->ptr, s->length);
}

static void put_timestamp104(struct pldm_writer *w,
			     const struct pldm_timestamp104 *t)
{
	pldm_write_le16(w, (uint16_t)t->utc_offset);
	pldm_write_u8(w, (uint8_t)t->microsecond);
	pldm_write_u8(w, (uint8_t)(t->microsecond >> 8));
	pldm_write_u8(w, (uint8_t)(t->microsecond >> 16));
	pldm_write_u8(w, t->second);
	pldm_write_u8(w, t->minute);
	pldm_write_u8(w, t->hour);
	pldm_write_u8(w, t->day);
	pldm_write_u8(w, t->month);
	pldm_write_le16(w, t->year);
	pldm_write_u8(w, t->utc_and_time_resolution);
}

static void put_descriptors(struct pldm_writer *w,
			    const struct pldm_package_write_descriptor *d,
			    size_t count)
{
	const struct pldm_package_write_string *title;
	uint64_t length = 0;
	size_t i;

	for (i = 0; i < count; i++) {
		(void)descriptor_length(&d[i], 0, &length);
		pldm_write_le16(w, d[i].descriptor_type);
		pldm_write_le16(w, (uint16_t)length);
		if (d[i].descriptor_type !=
		    PLDM_PACKAGE_DESCRIPTOR_VENDOR_DEFINED) {
			put_span(w, &d[i].descriptor_data);
			continue;
		}
		title = &d[i].vendor_defined_descriptor_title_string;
		pldm_write_u8(w, title->type);
		pldm_write_u8(w, (uint8_t)title->length);
		put_string(w, title);
		put_span(w, &d[i].vendor_defined_descriptor_data);
	}
}

/*
 * One record, FD or downstream: RecordLength, DescriptorCount, option
 * flags, string type and length, package data length, (0x04) reference
 * manifest length, the bitmap, the string, (downstream with flag bit 0)
 * the comparison stamp, descriptors, package data, reference manifest.
 */
static void put_record(struct pldm_writer *w, struct layout *l,
		       const struct record_view *v, uint32_t flags,
		       uint32_t stamp)
{
	size_t bitmap_bytes = l->bitmap_bits / 8u;
	uint64_t size = 0;

	(void)record_size(l, v, &size);
	pldm_write_le16(w, (uint16_t)size);
	pldm_write_u8(w, (uint8_t)v->descriptor_count);
	pldm_write_le32(w, flags);
	pldm_write_u8(w, v->string->type);
	pldm_write_u8(w, (uint8_t)v->string->length);
	pldm_write_le16(w, (uint16_t)v->package_data->length);
	if (l->rev >= PLDM_PACKAGE_FORMAT_1_3)
		pldm_write_le32(w,
				(uint32_t)v->reference_manifest_data->length);
	put_span(w, v->applicable_components);
	/* The zero padding of a short bitmap. */
	while (bitmap_bytes-- > v->applicable_components->length)
		pldm_write_u8(w, 0);
	put_string(w, v->string);
	if (v->has_stamp)
		pldm_write_le32(w, stamp);
	put_descriptors(w, v->descriptors, v->descriptor_count);
	put_span(w, v->package_data);
	put_span(w, v->reference_manifest_data);
}

static void put_component(struct pldm_writer *w, const struct layout *l,
			  const struct pldm_package_write_component *c,
			  uint32_t offset)
{
	pldm_write_le16(w, c->component_classification);
	pldm_write_le16(w, c->component_identifier);
	pldm_write_le32(w, c->component_comparison_stamp);
	pldm_write_le16(w, c->component_options);
	pldm_write_le16(w, c->requested_component_activation_method);
	pldm_write_le32(w, offset);
	pldm_write_le32(w, (uint32_t)c->image.length);
	pldm_write_u8(w, c->component_version_string.type);
	pldm_write_u8(w, (uint8_t)c->component_version_string.length);
	put_string(w, &c->component_version_string);
	if (l->rev >= PLDM_PACKAGE_FORMAT_1_2) {
		pldm_write_le32(w, (uint32_t)c->component_opaque_data.length);
		put_span(w, &c->component_opaque_data);
	}
}

static void put_le32_at(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static int put_package(struct layout *l, uint8_t *out)
{
	const struct pldm_package_description *d = l->desc;
	size_t header_size = (size_t)l->header_size;
	size_t fields_end, i;
	struct record_view v;
	struct pldm_writer w;
	uint32_t offset;
	uint8_t *sums;

	pldm_writer_init(&w, out, (size_t)l->package_size);
	pldm_write_bytes(&w, pldm_package_header_identifier(l->rev),
			 PLDM_PACKAGE_UUID_LEN);
	pldm_write_u8(&w, l->rev);
	pldm_write_le16(&w, (uint16_t)header_size);
	put_timestamp104(&w, &d->package_release_date_time);
	pldm_write_le16(&w, l->bitmap_bits);
	pldm_write_u8(&w, d->package_version_string.type);
	pldm_write_u8(&w, (uint8_t)d->package_version_string.length);
	put_string(&w, &d->package_version_string);

	pldm_write_u8(&w, (uint8_t)d->fd_record_count);
	for (i = 0; i < d->fd_record_count; i++) {
		fd_view(&d->fd_records[i], &v);
		put_record(&w, l, &v,
			   d->fd_records[i].device_update_option_flags, 0);
	}
	if (l->rev >= PLDM_PACKAGE_FORMAT_1_1) {
		pldm_write_u8(&w, (uint8_t)d->dd_record_count);
		for (i = 0; i < d->dd_record_count; i++) {
			const struct pldm_package_write_dd_record *r =
				&d->dd_records[i];

			dd_view(r, &v);
			put_record(
				&w, l, &v, r->update_option_flags,
				r->self_contained_activation_min_version_comparison_stamp);
		}
	}

	pldm_write_le16(&w, (uint16_t)d->component_count);
	offset = (uint32_t)header_size;
	for (i = 0; i < d->component_count; i++) {
		put_component(&w, l, &d->components[i], offset);
		offset += (uint32_t)d->components[i].image.length;
	}

	fields_end = w.pos;
	sums = pldm_write_space(&w, l->rev >= PLDM_PACKAGE_FORMAT_1_3 ? 8 : 4);
	for (i = 0; i < d->component_count; i++)
		put_span(&w, &d->components[i].image);
	/* Pass one sized the buffer exactly: anything else is a bug here. */
	if (pldm_writer_status(&w) || w.pos != l->package_size ||
	    fields_end + (l->rev >= PLDM_PACKAGE_FORMAT_1_3 ? 8u : 4u) !=
		    header_size)
		return -EFAULT;

	put_le32_at(sums, pldm_crc32(out, fields_end));
	if (l->rev >= PLDM_PACKAGE_FORMAT_1_3)
		put_le32_at(sums + 4,
			    pldm_crc32(out + header_size, w.pos - header_size));
	return 0;
}

int pldm_package_write(const struct pldm_package_description *desc,
		       uint8_t *out, size_t *out_len,
		       struct pldm_package_write_status *status)
{
	struct layout l;
	int rc;

	memset(&l, 0, sizeof(l));
	l.desc = desc;
	if (!desc || !out_len)
		l.reason = PLDM_PACKAGE_WRITE_ERR_ARGS;
	else
		l.reason = layout_package(&l);
	if (l.reason == PLDM_PACKAGE_WRITE_OK) {
		size_t capacity = *out_len;

		*out_len = (size_t)l.package_size;
		if (out && capacity < l.package_size)
			l.reason = PLDM_PACKAGE_WRITE_ERR_BUFFER_TOO_SMALL;
	}
	if (status) {
		memset(status, 0, sizeof(*status));
		status->reason = l.reason;
		status->area = l.area;
		status->index = l.index;
		status->descriptor_index = l.descriptor_index;
		status->header_size = (size_t)l.header_size;
		status->package_size = (size_t)l.package_size;
	}
	if (l.reason)
		return write_errno[l.reason];
	if (!out)
		return 0;
	rc = put_package(&l, out);
	return rc;
}
