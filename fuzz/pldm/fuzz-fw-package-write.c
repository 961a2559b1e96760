/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libFuzzer harness: the DSP0267 package writer against the parser.
 *
 * Input: a package; its checksums are made right (as in fuzz-fw-package)
 * so that mutations reach the fields. When the parser accepts it, the
 * parsed view becomes a writer description and is written again.
 *
 * Oracle: the writer accepts every description taken from a package the
 * parser accepted; what it writes parses; parse(write(x)) gives back every
 * field of x; and when the input's images lie back to back in component
 * order right after the header up to its end (the only layout the writer
 * produces), write(parse(pkg)) is pkg byte for byte.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pldm/fw-package.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_INPUT 65536
#define MAX_OUTPUT (4 * MAX_INPUT)
#define MAX_DESCRIPTORS 8192
#define MAX_COMPONENTS 4096

struct view {
	struct pldm_package_description desc;
	struct pldm_package_write_fd_record fd[255];
	struct pldm_package_write_dd_record dd[255];
	struct pldm_package_write_component comp[MAX_COMPONENTS];
	struct pldm_package_write_descriptor descs[MAX_DESCRIPTORS];
	size_t used;
	bool contiguous;
};

static uint8_t copy[MAX_INPUT];
static uint8_t out[MAX_OUTPUT];
static struct view first, second;

static void string_of(struct pldm_package_write_string *w,
		      const struct pldm_package_string *s)
{
	w->type = s->type;
	w->ptr = s->ptr;
	w->length = s->length;
}

/* The descriptors of one record, from the view's pool. */
static bool descriptors_of(struct view *v, const struct pldm_package *pkg,
			   const struct pldm_package_span *span, uint8_t count,
			   const struct pldm_package_write_descriptor **list)
{
	struct pldm_package_write_descriptor *w = &v->descs[v->used];
	struct pldm_package_descriptor d;
	struct pldm_package_iter it;
	size_t n = 0;

	if (MAX_DESCRIPTORS - v->used < count)
		return false;
	pldm_package_descriptors(pkg, span, count, &it);
	while (pldm_package_descriptor_next(&it, &d) == 1) {
		w[n].descriptor_type = d.descriptor_type;
		w[n].descriptor_data = d.descriptor_data;
		string_of(&w[n].vendor_defined_descriptor_title_string,
			  &d.vendor_defined_descriptor_title_string);
		w[n].vendor_defined_descriptor_data =
			d.vendor_defined_descriptor_data;
		n++;
	}
	if (n != count)
		abort(); /* the parser validated them */
	v->used += n;
	*list = w;
	return true;
}

/* The writer's description of a parsed package; false if too large. */
static bool view_of(struct view *v, const struct pldm_package *pkg)
{
	struct pldm_package_component c;
	struct pldm_package_fd_record fd;
	struct pldm_package_dd_record dd;
	struct pldm_package_iter it;
	uint64_t next = pkg->package_header_size;
	size_t n;

	memset(&v->desc, 0, sizeof(v->desc));
	v->used = 0;
	v->contiguous = true;
	v->desc.package_header_format_revision =
		pkg->package_header_format_revision;
	v->desc.package_release_date_time = pkg->package_release_date_time;
	v->desc.component_bitmap_bit_length = pkg->component_bitmap_bit_length;
	string_of(&v->desc.package_version_string,
		  &pkg->package_version_string);

	pldm_package_fd_records(pkg, &it);
	for (n = 0; pldm_package_fd_record_next(&it, &fd) == 1; n++) {
		struct pldm_package_write_fd_record *w = &v->fd[n];

		w->device_update_option_flags = fd.device_update_option_flags;
		string_of(&w->component_image_set_version_string,
			  &fd.component_image_set_version_string);
		w->applicable_components = fd.applicable_components;
		w->descriptor_count = fd.descriptor_count;
		if (!descriptors_of(v, pkg, &fd.record_descriptors,
				    fd.descriptor_count, &w->descriptors))
			return false;
		w->firmware_device_package_data =
			fd.firmware_device_package_data;
		w->reference_manifest_data = fd.reference_manifest_data;
	}
	v->desc.fd_records = v->fd;
	v->desc.fd_record_count = n;

	pldm_package_dd_records(pkg, &it);
	for (n = 0; pldm_package_dd_record_next(&it, &dd) == 1; n++) {
		struct pldm_package_write_dd_record *w = &v->dd[n];

		w->update_option_flags = dd.update_option_flags;
		string_of(&w->self_contained_activation_min_version_string,
			  &dd.self_contained_activation_min_version_string);
		w->self_contained_activation_min_version_comparison_stamp =
			dd.self_contained_activation_min_version_comparison_stamp;
		w->applicable_components = dd.applicable_components;
		w->descriptor_count = dd.descriptor_count;
		if (!descriptors_of(v, pkg, &dd.record_descriptors,
				    dd.descriptor_count, &w->descriptors))
			return false;
		w->downstream_device_package_data =
			dd.downstream_device_package_data;
		w->reference_manifest_data = dd.reference_manifest_data;
	}
	v->desc.dd_records = v->dd;
	v->desc.dd_record_count = n;

	if (pkg->component_image_count > MAX_COMPONENTS)
		return false;
	pldm_package_components(pkg, &it);
	for (n = 0; pldm_package_component_next(&it, &c) == 1; n++) {
		struct pldm_package_write_component *w = &v->comp[n];

		w->component_classification = c.component_classification;
		w->component_identifier = c.component_identifier;
		w->component_comparison_stamp = c.component_comparison_stamp;
		w->component_options = c.component_options;
		w->requested_component_activation_method =
			c.requested_component_activation_method;
		string_of(&w->component_version_string,
			  &c.component_version_string);
		w->component_opaque_data = c.component_opaque_data;
		w->image = c.image;
		if (c.component_location_offset != next)
			v->contiguous = false;
		next = (uint64_t)c.component_location_offset + c.component_size;
	}
	if (next != pkg->len)
		v->contiguous = false;
	v->desc.components = v->comp;
	v->desc.component_count = n;
	return true;
}

static void same_bytes(const void *a, size_t alen, const void *b, size_t blen)
{
	if (alen != blen || (alen && memcmp(a, b, alen)))
		abort();
}

static void same_string(const struct pldm_package_write_string *a,
			const struct pldm_package_write_string *b)
{
	if (a->type != b->type)
		abort();
	same_bytes(a->ptr, a->length, b->ptr, b->length);
}

static void same_span(const struct pldm_package_span *a,
		      const struct pldm_package_span *b)
{
	same_bytes(a->ptr, a->length, b->ptr, b->length);
}

static void same_descriptors(const struct pldm_package_write_descriptor *a,
			     const struct pldm_package_write_descriptor *b,
			     size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (a[i].descriptor_type != b[i].descriptor_type)
			abort();
		same_span(&a[i].descriptor_data, &b[i].descriptor_data);
		same_string(&a[i].vendor_defined_descriptor_title_string,
			    &b[i].vendor_defined_descriptor_title_string);
		same_span(&a[i].vendor_defined_descriptor_data,
			  &b[i].vendor_defined_descriptor_data);
	}
}

/* parse(write(x)) == x, field by field (contents, not pointers). */
static void same_view(const struct view *a, const struct view *b)
{
	const struct pldm_package_description *x = &a->desc, *y = &b->desc;
	size_t i;

	if (x->package_header_format_revision !=
		    y->package_header_format_revision ||
	    memcmp(&x->package_release_date_time, &y->package_release_date_time,
		   sizeof(x->package_release_date_time)) ||
	    x->component_bitmap_bit_length != y->component_bitmap_bit_length ||
	    x->fd_record_count != y->fd_record_count ||
	    x->dd_record_count != y->dd_record_count ||
	    x->component_count != y->component_count)
		abort();
	same_string(&x->package_version_string, &y->package_version_string);
	for (i = 0; i < x->fd_record_count; i++) {
		const struct pldm_package_write_fd_record *p = &a->fd[i],
							  *q = &b->fd[i];

		if (p->device_update_option_flags !=
			    q->device_update_option_flags ||
		    p->descriptor_count != q->descriptor_count)
			abort();
		same_string(&p->component_image_set_version_string,
			    &q->component_image_set_version_string);
		same_span(&p->applicable_components, &q->applicable_components);
		same_descriptors(p->descriptors, q->descriptors,
				 p->descriptor_count);
		same_span(&p->firmware_device_package_data,
			  &q->firmware_device_package_data);
		same_span(&p->reference_manifest_data,
			  &q->reference_manifest_data);
	}
	for (i = 0; i < x->dd_record_count; i++) {
		const struct pldm_package_write_dd_record *p = &a->dd[i],
							  *q = &b->dd[i];

		if (p->update_option_flags != q->update_option_flags ||
		    p->self_contained_activation_min_version_comparison_stamp !=
			    q->self_contained_activation_min_version_comparison_stamp ||
		    p->descriptor_count != q->descriptor_count)
			abort();
		same_string(&p->self_contained_activation_min_version_string,
			    &q->self_contained_activation_min_version_string);
		same_span(&p->applicable_components, &q->applicable_components);
		same_descriptors(p->descriptors, q->descriptors,
				 p->descriptor_count);
		same_span(&p->downstream_device_package_data,
			  &q->downstream_device_package_data);
		same_span(&p->reference_manifest_data,
			  &q->reference_manifest_data);
	}
	for (i = 0; i < x->component_count; i++) {
		const struct pldm_package_write_component *p = &a->comp[i],
							  *q = &b->comp[i];

		if (p->component_classification !=
			    q->component_classification ||
		    p->component_identifier != q->component_identifier ||
		    p->component_comparison_stamp !=
			    q->component_comparison_stamp ||
		    p->component_options != q->component_options ||
		    p->requested_component_activation_method !=
			    q->requested_component_activation_method)
			abort();
		same_string(&p->component_version_string,
			    &q->component_version_string);
		same_span(&p->component_opaque_data, &q->component_opaque_data);
		same_span(&p->image, &q->image);
	}
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
	struct pldm_package pkg, again;
	size_t header_size, fields, len = 0;
	bool rev4;

	if (size < 19 || size > sizeof(copy))
		return 0;
	memcpy(copy, data, size);
	header_size = (size_t)copy[17] | (size_t)copy[18] << 8;
	rev4 = copy[16] == 4;
	if (header_size <= size && header_size >= (rev4 ? 8u : 4u)) {
		fields = header_size - (rev4 ? 8u : 4u);
		put_le32(copy + fields, pldm_crc32(copy, fields));
		if (rev4)
			put_le32(copy + fields + 4,
				 pldm_crc32(copy + header_size,
					    size - header_size));
	}
	if (pldm_package_parse(&pkg, copy, size))
		return 0;
	if (!view_of(&first, &pkg))
		return 0;

	/* Size query first: the writer must accept what the parser did. */
	if (pldm_package_write(&first.desc, NULL, &len, NULL))
		abort();
	if (len > sizeof(out))
		return 0;
	if (pldm_package_write(&first.desc, out, &len, NULL))
		abort();
	if (pldm_package_parse(&again, out, len))
		abort();
	if (!view_of(&second, &again) || !second.contiguous)
		abort();
	same_view(&first, &second);
	if (first.contiguous)
		same_bytes(out, len, copy, size);
	return 0;
}
