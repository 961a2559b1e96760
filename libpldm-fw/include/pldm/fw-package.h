/* SPDX-License-Identifier: Apache-2.0 */
/*
 * DSP0267 firmware update package parser (read side): package header
 * format revisions 0x01 to 0x04 (DSP0267 1.0 to 1.3). The writer
 * (pldm_package_write()) is declared after the parser, at the end.
 *
 * pldm_package_parse() validates the whole package up front: every length
 * and offset against the buffer and against each other, the header
 * checksum and (0x04) the payload checksum. Only after it returns 0 may the
 * iterators be used; they hand out pointers into the caller's buffer, which
 * must stay valid and unchanged for as long as the package is used. Nothing
 * is copied and nothing is allocated.
 *
 * Policy on reserved and inconsistent values (each rejection has its own
 * enum pldm_package_reason, readable from pkg->reason):
 * - enumerations are checked: a format revision other than 0x01-0x04, a
 *   header identifier UUID that is not the one of its revision, a string
 *   type above 5 (UTF-16BE), and a component classification in the
 *   reserved range 0x000E-0x7FFF are rejected;
 * - reserved bits of bitfields (update option flags, component options,
 *   requested activation method) are ignored, as DSP0267 asks of
 *   receivers, and handed through unchanged;
 * - descriptor types outside the DSP0267 table are kept as opaque TLVs (an
 *   FD matches descriptors by equality, so an unknown type simply never
 *   matches); a known type with the wrong length is rejected;
 * - the first descriptor of a record must be one of the identifiers
 *   DSP0267 allows first (types 0x0000-0x0006);
 * - the release date-time is handed through, not checked.
 */
#ifndef PLDM_FW_PACKAGE_H
#define PLDM_FW_PACKAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define PLDM_PACKAGE_UUID_LEN 16

enum pldm_package_format_revision {
	PLDM_PACKAGE_FORMAT_1_0 = 0x01,
	PLDM_PACKAGE_FORMAT_1_1 = 0x02,
	PLDM_PACKAGE_FORMAT_1_2 = 0x03,
	PLDM_PACKAGE_FORMAT_1_3 = 0x04,
};

enum pldm_package_string_type {
	PLDM_PACKAGE_STRING_UNKNOWN = 0,
	PLDM_PACKAGE_STRING_ASCII = 1,
	PLDM_PACKAGE_STRING_UTF8 = 2,
	PLDM_PACKAGE_STRING_UTF16 = 3,
	PLDM_PACKAGE_STRING_UTF16LE = 4,
	PLDM_PACKAGE_STRING_UTF16BE = 5,
};

enum pldm_package_descriptor_type {
	PLDM_PACKAGE_DESCRIPTOR_PCI_VENDOR_ID = 0x0000,
	PLDM_PACKAGE_DESCRIPTOR_IANA_ENTERPRISE_ID = 0x0001,
	PLDM_PACKAGE_DESCRIPTOR_UUID = 0x0002,
	PLDM_PACKAGE_DESCRIPTOR_PNP_VENDOR_ID = 0x0003,
	PLDM_PACKAGE_DESCRIPTOR_ACPI_VENDOR_ID = 0x0004,
	PLDM_PACKAGE_DESCRIPTOR_IEEE_ASSIGNED_COMPANY_ID = 0x0005,
	PLDM_PACKAGE_DESCRIPTOR_SCSI_VENDOR_ID = 0x0006,
	PLDM_PACKAGE_DESCRIPTOR_PCI_DEVICE_ID = 0x0100,
	PLDM_PACKAGE_DESCRIPTOR_PCI_SUBSYSTEM_VENDOR_ID = 0x0101,
	PLDM_PACKAGE_DESCRIPTOR_PCI_SUBSYSTEM_ID = 0x0102,
	PLDM_PACKAGE_DESCRIPTOR_PCI_REVISION_ID = 0x0103,
	PLDM_PACKAGE_DESCRIPTOR_PNP_PRODUCT_IDENTIFIER = 0x0104,
	PLDM_PACKAGE_DESCRIPTOR_ACPI_PRODUCT_IDENTIFIER = 0x0105,
	PLDM_PACKAGE_DESCRIPTOR_ASCII_MODEL_NUMBER_LONG = 0x0106,
	PLDM_PACKAGE_DESCRIPTOR_ASCII_MODEL_NUMBER_SHORT = 0x0107,
	PLDM_PACKAGE_DESCRIPTOR_SCSI_PRODUCT_ID = 0x0108,
	PLDM_PACKAGE_DESCRIPTOR_UBM_CONTROLLER_DEVICE_CODE = 0x0109,
	PLDM_PACKAGE_DESCRIPTOR_VENDOR_DEFINED = 0xFFFF,
};

/* Why pldm_package_parse() refused a package (pkg->reason). */
enum pldm_package_reason {
	PLDM_PACKAGE_OK = 0,
	PLDM_PACKAGE_ERR_ARGS,             /* -EINVAL: NULL pointer */
	PLDM_PACKAGE_ERR_TRUNCATED,        /* -EBADMSG: a field runs past the
					      buffer or past the header */
	PLDM_PACKAGE_ERR_UUID,             /* -ENOTSUP: unknown identifier */
	PLDM_PACKAGE_ERR_FORMAT_REVISION,  /* -ENOTSUP: not 0x01-0x04 */
	PLDM_PACKAGE_ERR_UUID_MISMATCH,    /* -EPROTO: UUID of another rev */
	PLDM_PACKAGE_ERR_HEADER_SIZE,      /* -EBADMSG: size != fields */
	PLDM_PACKAGE_ERR_BITMAP_LENGTH,    /* -EPROTO: 0 or not 8*n bits, or
					      fewer bits than components */
	PLDM_PACKAGE_ERR_STRING_TYPE,      /* -EPROTO: reserved string type */
	PLDM_PACKAGE_ERR_STRING_LENGTH,    /* -EPROTO: mandatory string empty */
	PLDM_PACKAGE_ERR_RECORD_COUNT,     /* -EPROTO: no FD record */
	PLDM_PACKAGE_ERR_RECORD_LENGTH,    /* -EBADMSG: length != fields */
	PLDM_PACKAGE_ERR_DESCRIPTOR_COUNT, /* -EPROTO: record without one */
	PLDM_PACKAGE_ERR_DESCRIPTOR_LENGTH,  /* -EPROTO: wrong for its type */
	PLDM_PACKAGE_ERR_INITIAL_DESCRIPTOR, /* -EPROTO: first one not an ID */
	PLDM_PACKAGE_ERR_APPLICABLE_COMPONENTS, /* -EPROTO: bit for a
						   component that does not
						   exist */
	PLDM_PACKAGE_ERR_COMPONENT_COUNT,       /* -EPROTO: no component */
	PLDM_PACKAGE_ERR_CLASSIFICATION,        /* -EPROTO: reserved value */
	PLDM_PACKAGE_ERR_COMPONENT_EMPTY,       /* -EPROTO: size 0 */
	PLDM_PACKAGE_ERR_COMPONENT_OVERFLOW,    /* -EBADMSG: offset + size
						   beyond 32 bits */
	PLDM_PACKAGE_ERR_COMPONENT_IN_HEADER,   /* -EBADMSG: starts inside the
						   header */
	PLDM_PACKAGE_ERR_COMPONENT_OUTSIDE,     /* -EBADMSG: ends past the
						   buffer */
	PLDM_PACKAGE_ERR_COMPONENT_OVERLAP,     /* -EBADMSG: two images share
						   bytes */
	PLDM_PACKAGE_ERR_HEADER_CHECKSUM,       /* -EILSEQ */
	PLDM_PACKAGE_ERR_PAYLOAD_CHECKSUM,      /* -EILSEQ (0x04 only) */
};

/* A string field: type, length and bytes (not NUL-terminated). */
struct pldm_package_string {
	uint8_t type;
	uint8_t length;
	const uint8_t *ptr;
};

/* timestamp104 (DSP0240): decoded, not validated. */
struct pldm_timestamp104 {
	int16_t utc_offset; /* minutes */
	uint32_t microsecond;
	uint8_t second;
	uint8_t minute;
	uint8_t hour;
	uint8_t day;
	uint8_t month;
	uint16_t year;
	uint8_t utc_and_time_resolution;
};

/* A span of the caller's buffer. */
struct pldm_package_span {
	const uint8_t *ptr;
	size_t length;
};

/* Filled by pldm_package_parse(); read the fields, do not write them. */
struct pldm_package {
	const uint8_t *buf;
	size_t len;
	enum pldm_package_reason reason;

	const uint8_t *package_header_identifier; /* 16 bytes */
	uint8_t package_header_format_revision;
	uint16_t package_header_size;
	struct pldm_timestamp104 package_release_date_time;
	uint16_t component_bitmap_bit_length;
	struct pldm_package_string package_version_string;
	uint8_t device_id_record_count;
	uint8_t downstream_device_id_record_count; /* 0 before 0x02 */
	uint16_t component_image_count;
	uint32_t package_header_checksum;
	bool has_payload_checksum; /* 0x04 */
	uint32_t package_payload_checksum;

	/* Private: where each area starts (after its count). */
	size_t fd_area;
	size_t dd_area;
	size_t component_area;
	size_t fields_end; /* where the header checksum starts */
};

struct pldm_package_fd_record {
	uint8_t descriptor_count;
	uint32_t device_update_option_flags;
	struct pldm_package_string component_image_set_version_string;
	struct pldm_package_span applicable_components; /* bitmap bytes */
	struct pldm_package_span record_descriptors;
	struct pldm_package_span firmware_device_package_data;
	struct pldm_package_span reference_manifest_data; /* 0x04 */
};

struct pldm_package_dd_record {
	uint8_t descriptor_count;
	uint32_t update_option_flags;
	struct pldm_package_string self_contained_activation_min_version_string;
	/* Present when update_option_flags bit 0 is set. */
	bool has_self_contained_activation_min_version_comparison_stamp;
	uint32_t self_contained_activation_min_version_comparison_stamp;
	struct pldm_package_span applicable_components;
	struct pldm_package_span record_descriptors;
	struct pldm_package_span downstream_device_package_data;
	struct pldm_package_span reference_manifest_data; /* 0x04 */
};

struct pldm_package_descriptor {
	uint16_t descriptor_type;
	struct pldm_package_span descriptor_data;
	/* Vendor-defined (0xFFFF) only: */
	struct pldm_package_string vendor_defined_descriptor_title_string;
	struct pldm_package_span vendor_defined_descriptor_data;
};

#define PLDM_PACKAGE_COMPONENT_OPTION_FORCE_UPDATE (1u << 0)
#define PLDM_PACKAGE_COMPONENT_OPTION_USE_COMPARISON_STAMP (1u << 1)

struct pldm_package_component {
	uint16_t index; /* bit number in applicable_components */
	uint16_t component_classification;
	uint16_t component_identifier;
	uint32_t component_comparison_stamp;
	uint16_t component_options;
	uint16_t requested_component_activation_method;
	uint32_t component_location_offset;
	uint32_t component_size;
	struct pldm_package_string component_version_string;
	struct pldm_package_span component_opaque_data; /* 0x03+ */
	struct pldm_package_span image; /* the component's bytes */
};

/* Iterator over records, descriptors or components: opaque. */
struct pldm_package_iter {
	const struct pldm_package *pkg;
	const uint8_t *ptr;
	size_t len;
	size_t pos;
	unsigned int left;
};

/*
 * Parse and validate a whole package in buf[0..len). The buffer is
 * borrowed: pkg points into it. Returns 0, or a negative errno (see enum
 * pldm_package_reason for which) with pkg->reason telling why; on failure
 * the iterators yield nothing.
 */
int pldm_package_parse(struct pldm_package *pkg, const uint8_t *buf,
		       size_t len);

/* A short fixed name for a reason (for logs and tools). */
const char *pldm_package_reason_name(enum pldm_package_reason reason);

/*
 * Iterators. *_iter_init() starts one; *_next() fills the record and
 * returns 1, returns 0 after the last one, or a negative errno if the
 * package was not parsed successfully (or changed since).
 */
void pldm_package_fd_records(const struct pldm_package *pkg,
			     struct pldm_package_iter *it);
int pldm_package_fd_record_next(struct pldm_package_iter *it,
				struct pldm_package_fd_record *rec);

void pldm_package_dd_records(const struct pldm_package *pkg,
			     struct pldm_package_iter *it);
int pldm_package_dd_record_next(struct pldm_package_iter *it,
				struct pldm_package_dd_record *rec);

/* Descriptors of one FD or downstream record. */
void pldm_package_descriptors(const struct pldm_package *pkg,
			      const struct pldm_package_span *record_descriptors,
			      uint8_t descriptor_count,
			      struct pldm_package_iter *it);
int pldm_package_descriptor_next(struct pldm_package_iter *it,
				 struct pldm_package_descriptor *desc);

void pldm_package_components(const struct pldm_package *pkg,
			     struct pldm_package_iter *it);
int pldm_package_component_next(struct pldm_package_iter *it,
				struct pldm_package_component *comp);

/* Whether bit index is set in an applicable components bitmap. */
bool pldm_package_applicable(const struct pldm_package_span *bitmap,
			     uint16_t index);

/* CRC-32 (IEEE 802.3, reflected 0xEDB88320, init and final XOR ~0). */
uint32_t pldm_crc32(const uint8_t *buf, size_t len);

/*
 * Package writer (DSP0267 header format revisions 0x01 to 0x04).
 *
 * The caller describes a package with the structs below (all pointers are
 * borrowed for the duration of the call only) and pldm_package_write()
 * lays it out into ONE caller buffer: the header, then the component
 * images back to back in component order, right after the header. The
 * writer computes every length and count, the header size, each
 * ComponentLocationOffset and ComponentSize, (if asked) the
 * ComponentBitmapBitLength, the header checksum and, for 0x04, the payload
 * checksum. The header identifier is the one of the format revision.
 *
 * Size query: call with out == NULL; *out_len is set to the package size
 * and 0 is returned (the whole description is validated all the same).
 *
 * Lengths in the description are size_t so that a value too large for its
 * wire field is reported (PLDM_PACKAGE_WRITE_ERR_*_TOO_LONG) instead of
 * being silently truncated.
 *
 * What the writer cannot express: images that are not contiguous in
 * component order after the header (a gap, another order, or shared
 * bytes); such packages parse, but write(parse(pkg)) does not give their
 * bytes back.
 */

/* Why pldm_package_write() refused a description (status->reason). */
enum pldm_package_write_reason {
	PLDM_PACKAGE_WRITE_OK = 0,
	PLDM_PACKAGE_WRITE_ERR_ARGS,              /* -EINVAL: NULL pointer, or a
						   NULL ptr with a length */
	PLDM_PACKAGE_WRITE_ERR_FORMAT_REVISION,   /* -ENOTSUP: not 0x01-0x04 */
	PLDM_PACKAGE_WRITE_ERR_NOT_IN_REVISION,   /* -EINVAL: downstream records
						   before 0x02, opaque data
						   before 0x03, reference
						   manifest before 0x04 */
	PLDM_PACKAGE_WRITE_ERR_TIMESTAMP,         /* -EINVAL: microsecond does
						   not fit its 24 bits */
	PLDM_PACKAGE_WRITE_ERR_STRING_TYPE,       /* -EINVAL: above 5 */
	PLDM_PACKAGE_WRITE_ERR_STRING_EMPTY,      /* -EINVAL: mandatory string
						   of length 0 */
	PLDM_PACKAGE_WRITE_ERR_STRING_TOO_LONG,   /* -EOVERFLOW: > 255 bytes */
	PLDM_PACKAGE_WRITE_ERR_RECORD_COUNT,      /* -EINVAL: no FD record, or
						   more than 255 records */
	PLDM_PACKAGE_WRITE_ERR_DESCRIPTOR_COUNT,  /* -EINVAL: 0 or > 255 */
	PLDM_PACKAGE_WRITE_ERR_DESCRIPTOR_LENGTH, /* -EINVAL: wrong length for
						     its fixed-size type */
	PLDM_PACKAGE_WRITE_ERR_INITIAL_DESCRIPTOR, /* -EINVAL: first one not
						      of type 0x0000-0x0006 */
	PLDM_PACKAGE_WRITE_ERR_DATA_TOO_LONG,      /* -EOVERFLOW: descriptor or
						   package data > 65535,
						   opaque data or reference
						   manifest > 2^32-1 */
	PLDM_PACKAGE_WRITE_ERR_RECORD_TOO_LONG, /* -EOVERFLOW: record > 65535 */
	PLDM_PACKAGE_WRITE_ERR_HEADER_TOO_LONG, /* -EOVERFLOW: header > 65535 */
	PLDM_PACKAGE_WRITE_ERR_COMPONENT_COUNT, /* -EINVAL: 0 or > 65535 */
	PLDM_PACKAGE_WRITE_ERR_BITMAP_LENGTH,   /* -EINVAL: not a multiple of
						   8, or fewer bits than
						   components */
	PLDM_PACKAGE_WRITE_ERR_APPLICABLE_COMPONENTS, /* -EINVAL: bitmap longer
							 than the bit length,
							 or a bit for no
							 component */
	PLDM_PACKAGE_WRITE_ERR_CLASSIFICATION,    /* -EINVAL: 0x000E-0x7FFF */
	PLDM_PACKAGE_WRITE_ERR_COMPONENT_EMPTY,   /* -EINVAL: image of size 0 */
	PLDM_PACKAGE_WRITE_ERR_PACKAGE_TOO_LARGE, /* -EOVERFLOW: an image ends
						     past 2^32-1 */
	PLDM_PACKAGE_WRITE_ERR_BUFFER_TOO_SMALL,  /* -EMSGSIZE */
};

/* A string to write: type (enum pldm_package_string_type) and bytes. */
struct pldm_package_write_string {
	uint8_t type;
	const uint8_t *ptr;
	size_t length;
};

/*
 * One descriptor. All types but vendor-defined (0xFFFF) take
 * descriptor_data (its length is checked for the types DSP0267 fixes;
 * other types are written as given). Vendor-defined takes the title
 * string (type checked; may be empty, as the parser accepts) and
 * vendor_defined_descriptor_data instead.
 */
struct pldm_package_write_descriptor {
	uint16_t descriptor_type;
	struct pldm_package_span descriptor_data;
	struct pldm_package_write_string vendor_defined_descriptor_title_string;
	struct pldm_package_span vendor_defined_descriptor_data;
};

/*
 * applicable_components: the bitmap bytes (bit n = component n, LSB
 * first); shorter than component_bitmap_bit_length / 8 is padded with
 * zero bytes, longer is an error.
 */
struct pldm_package_write_fd_record {
	uint32_t device_update_option_flags;
	struct pldm_package_write_string component_image_set_version_string;
	struct pldm_package_span applicable_components;
	const struct pldm_package_write_descriptor *descriptors;
	size_t descriptor_count;
	struct pldm_package_span firmware_device_package_data;
	struct pldm_package_span reference_manifest_data; /* 0x04 only */
};

/* The comparison stamp is written when update_option_flags bit 0 is set. */
struct pldm_package_write_dd_record {
	uint32_t update_option_flags;
	struct pldm_package_write_string
		self_contained_activation_min_version_string; /* may be empty */
	uint32_t self_contained_activation_min_version_comparison_stamp;
	struct pldm_package_span applicable_components;
	const struct pldm_package_write_descriptor *descriptors;
	size_t descriptor_count;
	struct pldm_package_span downstream_device_package_data;
	struct pldm_package_span reference_manifest_data; /* 0x04 only */
};

/* ComponentLocationOffset and ComponentSize come from where image lands. */
struct pldm_package_write_component {
	uint16_t component_classification;
	uint16_t component_identifier;
	uint32_t component_comparison_stamp;
	uint16_t component_options;
	uint16_t requested_component_activation_method;
	struct pldm_package_write_string component_version_string;
	struct pldm_package_span component_opaque_data; /* 0x03+ only */
	struct pldm_package_span image;
};

struct pldm_package_description {
	uint8_t package_header_format_revision;             /* 0x01-0x04 */
	struct pldm_timestamp104 package_release_date_time; /* as given */
	/* 0: the smallest multiple of 8 that holds component_count bits. */
	uint16_t component_bitmap_bit_length;
	struct pldm_package_write_string package_version_string;
	const struct pldm_package_write_fd_record *fd_records;
	size_t fd_record_count;
	const struct pldm_package_write_dd_record *dd_records; /* 0x02+ */
	size_t dd_record_count;
	const struct pldm_package_write_component *components;
	size_t component_count;
};

/* Where a writer failure was found (status->area). */
enum pldm_package_write_area {
	PLDM_PACKAGE_WRITE_AREA_HEADER = 0, /* header fields, counts, sizes */
	PLDM_PACKAGE_WRITE_AREA_FD_RECORD,
	PLDM_PACKAGE_WRITE_AREA_DD_RECORD,
	PLDM_PACKAGE_WRITE_AREA_COMPONENT,
};

/*
 * What pldm_package_write() found: on failure the reason and where (area;
 * index of the record or component in its area, and of the descriptor
 * within its record; 0 when not about one); on success (and on
 * PLDM_PACKAGE_WRITE_ERR_BUFFER_TOO_SMALL) the sizes.
 */
struct pldm_package_write_status {
	enum pldm_package_write_reason reason;
	enum pldm_package_write_area area;
	size_t index;
	size_t descriptor_index;
	size_t header_size;
	size_t package_size;
};

/*
 * Write the package described by desc into out[0..*out_len). *out_len is
 * the capacity on entry and the package size on return (also when the
 * buffer is too small, and for a size query with out == NULL). status may
 * be NULL. Returns 0, or a negative errno as listed in enum
 * pldm_package_write_reason; out may have been written to on failure.
 */
int pldm_package_write(const struct pldm_package_description *desc,
		       uint8_t *out, size_t *out_len,
		       struct pldm_package_write_status *status);

/* A short fixed name for a writer reason (for logs and tools). */
const char *pldm_package_write_reason_name(enum pldm_package_write_reason r);

/* The 16-byte header identifier of a format revision; NULL if unknown. */
const uint8_t *pldm_package_header_identifier(uint8_t format_revision);

#ifdef __cplusplus
}
#endif

#endif /* PLDM_FW_PACKAGE_H */
