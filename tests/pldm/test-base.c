/* SPDX-License-Identifier: Apache-2.0 */
/*
 * PLDM base (DSP0240 1.1.0, Type 0): header, completion codes, responder,
 * requester codecs, instance-ID tracker.
 *
 * Golden bytes are written by hand from the DSP0240 1.1.0 message tables
 * (cited by the command clause, "PLDM message common fields" for the
 * header; the table numbers were not at hand), not from this code's output.
 * Every numeric value was cross-checked against openbmc/libpldm's
 * include/libpldm/base.h and control.h:
 *   header: Rq(7) D(6) rsvd(5) instance(4:0) | hdr ver(7:6)=00
 *     type(5:0) | command; so a request with instance 2 starts 82 00;
 *   completion codes: SUCCESS 00, ERROR 01, INVALID_DATA 02,
 *     INVALID_LENGTH 03, NOT_READY 04, UNSUPPORTED_PLDM_CMD 05,
 *     INVALID_PLDM_TYPE 20;
 *   SetTID: req TID; rsp cc.  GetTID: rsp cc, TID;
 *   GetPLDMVersion: req DataTransferHandle (uint32 LE),
 *     TransferOperationFlag (0 GetNextPart, 1 GetFirstPart), PLDMType;
 *     rsp cc, NextDataTransferHandle (uint32 LE), TransferFlag (1 Start,
 *     2 Middle, 4 End, 5 StartAndEnd), version data = ver32 entries then
 *     a CRC-32 of them; codes 80 INVALID_DATA_TRANSFER_HANDLE,
 *     81 INVALID_TRANSFER_OPERATION_FLAG, 83 INVALID_PLDM_TYPE_IN_REQUEST_DATA;
 *   GetPLDMTypes: rsp cc, 8 bytes, bit n%8 of byte n/8 = type n;
 *   GetPLDMCommands: req PLDMType, ver32; rsp cc, 32 bytes,
 *     bit n%8 of byte n/8 = command n; codes 83, 84
 *     INVALID_PLDM_VERSION_IN_REQUEST_DATA;
 *   ver32 (DSP0240 data types): uint32 0xMMmmuuaa, little-endian:
 *     1.1.0 = F1F1F000 -> 00 F0 F1 F1; 1.0.0 -> 00 F0 F0 F1;
 *     1.3.0 -> 00 F0 F3 F1. libpldm's control test pairs 0xF1F1F000 with
 *     the CRC 0x539DBEBA = zlib.crc32(bytes.fromhex('00f0f1f1')), which
 *     confirms both the byte order and the CRC coverage (entries only).
 * CRC-32 values were computed independently with python3 zlib.crc32:
 *   zlib.crc32(bytes.fromhex('00f0f1f1' '00f0f0f1')) = 0xC1040606
 *     -> 06 06 04 C1
 *   zlib.crc32(bytes.fromhex('00f0f3f1')) = 0x61ABDC38 -> 38 DC AB 61
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "pldm/base.h"

static const uint32_t base_versions[] = {0xF1F1F000u, 0xF1F0F000u};
static const uint32_t fw_versions[] = {0xF1F3F000u};
/* Type 0: commands 1..5 (bits 1-5 of byte 0 = 0x3E). */
static const uint8_t base_commands[32] = {0x3E};
/* Type 5: commands 0x01, 0x02 and 0x10 (byte 2 bit 0). */
static const uint8_t fw_commands[32] = {0x06, 0x00, 0x01};

static const struct pldm_base_type types[] = {
	{.type = PLDM_TYPE_BASE,
	 .versions = base_versions,
	 .n_versions = 2,
	 .commands = base_commands},
	{.type = PLDM_TYPE_FW_UPDATE,
	 .versions = fw_versions,
	 .n_versions = 1,
	 .commands = fw_commands},
};

static const struct pldm_base_config cfg = {
	.types = types,
	.n_types = 2,
	.version_part_size = 0,
	.tid = 0,
};

struct exch {
	uint8_t rsp[64];
	size_t len;
	int rc;
};

static void run(struct pldm_base *b, const uint8_t *req, size_t req_len,
		struct exch *x)
{
	x->len = sizeof(x->rsp);
	x->rc = pldm_base_handle(b, req, req_len, x->rsp, &x->len);
}

#define RUN(b, x, ...)                                                         \
	do {                                                                   \
		static const uint8_t req_[] = {__VA_ARGS__};                   \
		run((b), req_, sizeof(req_), (x));                             \
	} while (0)

#define EXPECT(x, ...)                                                         \
	do {                                                                   \
		static const uint8_t want_[] = {__VA_ARGS__};                  \
		assert_int_equal((x)->rc, 0);                                  \
		assert_int_equal((x)->len, sizeof(want_));                     \
		assert_memory_equal((x)->rsp, want_, sizeof(want_));           \
	} while (0)

static void init(struct pldm_base *b)
{
	assert_int_equal(pldm_base_init(b, &cfg), 0);
}

/* ---- header and completion codes --------------------------------------- */

static void test_header(void **state)
{
	struct pldm_header h = {.request = true,
				.datagram = false,
				.instance_id = 0x0A,
				.type = 5,
				.command = 0x15};
	uint8_t buf[3];
	static const uint8_t want[] = {0x8A, 0x05, 0x15};
	static const uint8_t rsp[] = {0x5F, 0x3F, 0xFF};  /* D, id 31, OEM */
	static const uint8_t rsvd[] = {0x21, 0x00, 0x02}; /* reserved bit */
	static const uint8_t badver[] = {0x80, 0x40, 0x02};

	(void)state;
	assert_int_equal(pldm_header_encode(&h, buf, sizeof(buf)), 0);
	assert_memory_equal(buf, want, 3);
	memset(&h, 0, sizeof(h));
	assert_int_equal(pldm_header_decode(want, 3, &h), 0);
	assert_true(h.request);
	assert_false(h.datagram);
	assert_int_equal(h.instance_id, 0x0A);
	assert_int_equal(h.type, 5);
	assert_int_equal(h.command, 0x15);

	assert_int_equal(pldm_header_decode(rsp, 3, &h), 0);
	assert_false(h.request);
	assert_true(h.datagram);
	assert_int_equal(h.instance_id, 31);
	assert_int_equal(h.type, 0x3F);
	assert_int_equal(h.command, 0xFF);

	assert_int_equal(pldm_header_decode(rsvd, 3, &h), 0);
	assert_int_equal(h.instance_id, 1);
	assert_int_equal(pldm_header_decode(badver, 3, &h), -EBADMSG);
	assert_int_equal(pldm_header_decode(want, 2, &h), -EBADMSG);
	assert_int_equal(pldm_header_decode(NULL, 3, &h), -EINVAL);

	h.instance_id = 32;
	assert_int_equal(pldm_header_encode(&h, buf, 3), -EINVAL);
	h.instance_id = 0;
	h.type = 64;
	assert_int_equal(pldm_header_encode(&h, buf, 3), -EINVAL);
	h.type = 0;
	assert_int_equal(pldm_header_encode(&h, buf, 2), -EMSGSIZE);
}

static void test_completion_codes(void **state)
{
	(void)state;
	assert_int_equal(pldm_cc_to_errno(0x00), 0);
	assert_int_equal(pldm_cc_to_errno(0x01), -EIO);
	assert_int_equal(pldm_cc_to_errno(0x02), -EINVAL);
	assert_int_equal(pldm_cc_to_errno(0x03), -EBADMSG);
	assert_int_equal(pldm_cc_to_errno(0x04), -EAGAIN);
	assert_int_equal(pldm_cc_to_errno(0x05), -EOPNOTSUPP);
	assert_int_equal(pldm_cc_to_errno(0x20), -EPROTONOSUPPORT);
	assert_int_equal(pldm_cc_to_errno(0x80), -EIO);
	assert_int_equal(pldm_cc_to_errno(0x84), -EIO);

	assert_int_equal(pldm_errno_to_cc(0), 0x00);
	assert_int_equal(pldm_errno_to_cc(-EINVAL), 0x02);
	assert_int_equal(pldm_errno_to_cc(-EBADMSG), 0x03);
	assert_int_equal(pldm_errno_to_cc(-EMSGSIZE), 0x03);
	assert_int_equal(pldm_errno_to_cc(-EAGAIN), 0x04);
	assert_int_equal(pldm_errno_to_cc(-EBUSY), 0x04);
	assert_int_equal(pldm_errno_to_cc(-EOPNOTSUPP), 0x05);
	assert_int_equal(pldm_errno_to_cc(-EPROTONOSUPPORT), 0x20);
	assert_int_equal(pldm_errno_to_cc(-EIO), 0x01);
	assert_int_equal(pldm_errno_to_cc(-ENOMEM), 0x01);

	/* the enum carries the DSP0240 values */
	assert_int_equal(PLDM_CC_ERROR_INVALID_PLDM_TYPE, 0x20);
	assert_int_equal(PLDM_CC_INVALID_DATA_TRANSFER_HANDLE, 0x80);
	assert_int_equal(PLDM_CC_INVALID_TRANSFER_OPERATION_FLAG, 0x81);
	assert_int_equal(PLDM_CC_INVALID_PLDM_TYPE_IN_REQUEST_DATA, 0x83);
	assert_int_equal(PLDM_CC_INVALID_PLDM_VERSION_IN_REQUEST_DATA, 0x84);
	assert_int_equal(PLDM_VER32(1, 1, 0), 0xF1F1F000u);
}

/* ---- responder ---------------------------------------------------------- */

static void test_init_errors(void **state)
{
	struct pldm_base b;
	struct pldm_base_config c = cfg;
	struct pldm_base_type t[2] = {types[0], types[1]};

	(void)state;
	assert_int_equal(pldm_base_init(NULL, &cfg), -EINVAL);
	assert_int_equal(pldm_base_init(&b, NULL), -EINVAL);
	c.n_types = 0;
	assert_int_equal(pldm_base_init(&b, &c), -EINVAL);
	c = cfg;
	c.tid = 0xFF;
	assert_int_equal(pldm_base_init(&b, &c), -EINVAL);
	/* type 0 missing */
	c = cfg;
	c.types = &types[1];
	c.n_types = 1;
	assert_int_equal(pldm_base_init(&b, &c), -EINVAL);
	/* duplicate type */
	c = cfg;
	c.types = t;
	t[1].type = 0;
	assert_int_equal(pldm_base_init(&b, &c), -EINVAL);
	t[1] = types[1];
	t[1].type = 64;
	assert_int_equal(pldm_base_init(&b, &c), -EINVAL);
	t[1] = types[1];
	t[1].n_versions = 0;
	assert_int_equal(pldm_base_init(&b, &c), -EINVAL);
	t[1] = types[1];
	t[1].commands = NULL;
	assert_int_equal(pldm_base_init(&b, &c), -EINVAL);
	t[1] = types[1];
	assert_int_equal(pldm_base_init(&b, &c), 0);
}

static void test_tid(void **state)
{
	struct pldm_base b;
	struct exch x;

	(void)state;
	init(&b);
	/* GetTID before SetTID: unassigned (0) */
	RUN(&b, &x, 0x80, 0x00, 0x02);
	EXPECT(&x, 0x00, 0x00, 0x02, 0x00, 0x00);
	/* SetTID 0x22, instance 1 */
	RUN(&b, &x, 0x81, 0x00, 0x01, 0x22);
	EXPECT(&x, 0x01, 0x00, 0x01, 0x00);
	assert_int_equal(pldm_base_tid(&b), 0x22);
	RUN(&b, &x, 0x9F, 0x00, 0x02);
	EXPECT(&x, 0x1F, 0x00, 0x02, 0x00, 0x22);
	/* TID 0 and 0xFF are invalid and change nothing */
	RUN(&b, &x, 0x82, 0x00, 0x01, 0x00);
	EXPECT(&x, 0x02, 0x00, 0x01, 0x02);
	RUN(&b, &x, 0x83, 0x00, 0x01, 0xFF);
	EXPECT(&x, 0x03, 0x00, 0x01, 0x02);
	assert_int_equal(pldm_base_tid(&b), 0x22);
	/* lengths */
	RUN(&b, &x, 0x84, 0x00, 0x01);
	EXPECT(&x, 0x04, 0x00, 0x01, 0x03);
	RUN(&b, &x, 0x85, 0x00, 0x01, 0x10, 0x00);
	EXPECT(&x, 0x05, 0x00, 0x01, 0x03);
	RUN(&b, &x, 0x86, 0x00, 0x02, 0x00);
	EXPECT(&x, 0x06, 0x00, 0x02, 0x03);
	assert_int_equal(pldm_base_tid(&b), 0x22);
}

static void test_get_version_single(void **state)
{
	struct pldm_base b;
	struct exch x;

	(void)state;
	init(&b);
	/* GetFirstPart for type 0, handle ignored */
	RUN(&b, &x, 0x82, 0x00, 0x03, 0x78, 0x56, 0x34, 0x12, 0x01, 0x00);
	EXPECT(&x, 0x02, 0x00, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x05, 0x00,
	       0xF0, 0xF1, 0xF1, 0x00, 0xF0, 0xF0, 0xF1, 0x06, 0x06, 0x04,
	       0xC1);
	/* type 5 */
	RUN(&b, &x, 0x83, 0x00, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01, 0x05);
	EXPECT(&x, 0x03, 0x00, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x05, 0x00,
	       0xF0, 0xF3, 0xF1, 0x38, 0xDC, 0xAB, 0x61);
}

static void test_get_version_multipart(void **state)
{
	struct pldm_base_config c = cfg;
	struct pldm_base b;
	struct exch x;

	(void)state;
	c.version_part_size = 5;
	assert_int_equal(pldm_base_init(&b, &c), 0);
	/* 12 bytes of data in parts of 5: Start, Middle, End. */
	RUN(&b, &x, 0x81, 0x00, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00);
	EXPECT(&x, 0x01, 0x00, 0x03, 0x00, 0x05, 0x00, 0x00, 0x00, 0x01, 0x00,
	       0xF0, 0xF1, 0xF1, 0x00);
	/* a wrong handle is rejected and the transfer survives */
	RUN(&b, &x, 0x82, 0x00, 0x03, 0x06, 0x00, 0x00, 0x00, 0x00, 0x00);
	EXPECT(&x, 0x02, 0x00, 0x03, 0x80);
	/* GetNextPart naming another type */
	RUN(&b, &x, 0x82, 0x00, 0x03, 0x05, 0x00, 0x00, 0x00, 0x00, 0x05);
	EXPECT(&x, 0x02, 0x00, 0x03, 0x80);
	RUN(&b, &x, 0x82, 0x00, 0x03, 0x05, 0x00, 0x00, 0x00, 0x00, 0x00);
	EXPECT(&x, 0x02, 0x00, 0x03, 0x00, 0x0A, 0x00, 0x00, 0x00, 0x02, 0xF0,
	       0xF0, 0xF1, 0x06, 0x06);
	/* the Middle response was lost: retried with the same handle */
	RUN(&b, &x, 0x82, 0x00, 0x03, 0x05, 0x00, 0x00, 0x00, 0x00, 0x00);
	EXPECT(&x, 0x02, 0x00, 0x03, 0x00, 0x0A, 0x00, 0x00, 0x00, 0x02, 0xF0,
	       0xF0, 0xF1, 0x06, 0x06);
	RUN(&b, &x, 0x83, 0x00, 0x03, 0x0A, 0x00, 0x00, 0x00, 0x00, 0x00);
	EXPECT(&x, 0x03, 0x00, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x04, 0x04,
	       0xC1);
	/* the End response was lost: the same GetNextPart gets it again */
	RUN(&b, &x, 0x84, 0x00, 0x03, 0x0A, 0x00, 0x00, 0x00, 0x00, 0x00);
	EXPECT(&x, 0x04, 0x00, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x04, 0x04,
	       0xC1);
	/* past the end, handle 0, an older part: nothing to continue */
	RUN(&b, &x, 0x84, 0x00, 0x03, 0x0C, 0x00, 0x00, 0x00, 0x00, 0x00);
	EXPECT(&x, 0x04, 0x00, 0x03, 0x80);
	RUN(&b, &x, 0x84, 0x00, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00);
	EXPECT(&x, 0x04, 0x00, 0x03, 0x80);
	RUN(&b, &x, 0x84, 0x00, 0x03, 0x05, 0x00, 0x00, 0x00, 0x00, 0x00);
	EXPECT(&x, 0x04, 0x00, 0x03, 0x80);
	/* type 5 fits in 8 bytes of parts of 5: Start then End */
	RUN(&b, &x, 0x85, 0x00, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01, 0x05);
	EXPECT(&x, 0x05, 0x00, 0x03, 0x00, 0x05, 0x00, 0x00, 0x00, 0x01, 0x00,
	       0xF0, 0xF3, 0xF1, 0x38);
	/* a new GetFirstPart restarts */
	RUN(&b, &x, 0x86, 0x00, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01, 0x05);
	EXPECT(&x, 0x06, 0x00, 0x03, 0x00, 0x05, 0x00, 0x00, 0x00, 0x01, 0x00,
	       0xF0, 0xF3, 0xF1, 0x38);
	RUN(&b, &x, 0x87, 0x00, 0x03, 0x05, 0x00, 0x00, 0x00, 0x00, 0x05);
	EXPECT(&x, 0x07, 0x00, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x04, 0xDC,
	       0xAB, 0x61);
}

static void test_get_version_errors(void **state)
{
	struct pldm_base b;
	struct exch x;

	(void)state;
	init(&b);
	/* TransferOperationFlag 2 */
	RUN(&b, &x, 0x80, 0x00, 0x03, 0x00, 0x00, 0x00, 0x00, 0x02, 0x00);
	EXPECT(&x, 0x00, 0x00, 0x03, 0x81);
	/* type 3 not supported */
	RUN(&b, &x, 0x80, 0x00, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01, 0x03);
	EXPECT(&x, 0x00, 0x00, 0x03, 0x83);
	/* GetNextPart with no transfer */
	RUN(&b, &x, 0x80, 0x00, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00);
	EXPECT(&x, 0x00, 0x00, 0x03, 0x80);
	/* short and long */
	RUN(&b, &x, 0x80, 0x00, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01);
	EXPECT(&x, 0x00, 0x00, 0x03, 0x03);
	RUN(&b, &x, 0x80, 0x00, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00);
	EXPECT(&x, 0x00, 0x00, 0x03, 0x03);
}

static void test_get_types(void **state)
{
	struct pldm_base b;
	struct exch x;

	(void)state;
	init(&b);
	/* types 0 and 5: byte 0 = 0x21 */
	RUN(&b, &x, 0x8C, 0x00, 0x04);
	EXPECT(&x, 0x0C, 0x00, 0x04, 0x00, 0x21, 0x00, 0x00, 0x00, 0x00, 0x00,
	       0x00, 0x00);
	RUN(&b, &x, 0x8C, 0x00, 0x04, 0x00);
	EXPECT(&x, 0x0C, 0x00, 0x04, 0x03);
}

static void test_get_commands(void **state)
{
	struct pldm_base b;
	struct exch x;

	(void)state;
	init(&b);
	/* type 0, version 1.0.0 (the second listed) */
	RUN(&b, &x, 0x80, 0x00, 0x05, 0x00, 0x00, 0xF0, 0xF0, 0xF1);
	EXPECT(&x, 0x00, 0x00, 0x05, 0x00, 0x3E, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	       0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
	/* type 5, version 1.3.0 */
	RUN(&b, &x, 0x81, 0x00, 0x05, 0x05, 0x00, 0xF0, 0xF3, 0xF1);
	EXPECT(&x, 0x01, 0x00, 0x05, 0x00, 0x06, 0x00, 0x01, 0, 0, 0, 0, 0, 0,
	       0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	       0);
	/* type 5, version 1.1.0 not listed for it */
	RUN(&b, &x, 0x82, 0x00, 0x05, 0x05, 0x00, 0xF0, 0xF1, 0xF1);
	EXPECT(&x, 0x02, 0x00, 0x05, 0x84);
	/* version bytes in the wrong order (big-endian) are not 1.1.0 */
	RUN(&b, &x, 0x82, 0x00, 0x05, 0x00, 0xF1, 0xF1, 0xF0, 0x00);
	EXPECT(&x, 0x02, 0x00, 0x05, 0x84);
	/* type 2 not supported */
	RUN(&b, &x, 0x83, 0x00, 0x05, 0x02, 0x00, 0xF0, 0xF1, 0xF1);
	EXPECT(&x, 0x03, 0x00, 0x05, 0x83);
	RUN(&b, &x, 0x83, 0x00, 0x05, 0x00, 0x00, 0xF0, 0xF1);
	EXPECT(&x, 0x03, 0x00, 0x05, 0x03);
}

static void test_dispatch_errors(void **state)
{
	static const uint8_t only_get_tid[32] = {0x04};
	struct pldm_base_type t = types[0];
	struct pldm_base_config c = cfg;
	struct pldm_base b;
	struct exch x;
	uint8_t small[PLDM_BASE_RSP_MIN_CAPACITY - 1];
	static const uint8_t get_tid[] = {0x80, 0x00, 0x02};
	size_t len;

	(void)state;
	init(&b);
	/* unknown commands */
	RUN(&b, &x, 0x80, 0x00, 0x06);
	EXPECT(&x, 0x00, 0x00, 0x06, 0x05);
	RUN(&b, &x, 0x80, 0x00, 0x00);
	EXPECT(&x, 0x00, 0x00, 0x00, 0x05);
	RUN(&b, &x, 0x80, 0x00, 0xFF, 0x01, 0x02);
	EXPECT(&x, 0x00, 0x00, 0xFF, 0x05);
	/* another PLDM type in the header */
	RUN(&b, &x, 0x80, 0x02, 0x02);
	EXPECT(&x, 0x00, 0x02, 0x02, 0x20);
	RUN(&b, &x, 0x80, 0x05, 0x01);
	EXPECT(&x, 0x00, 0x05, 0x01, 0x20);
	/* no response: not a request, datagram, short, header version */
	RUN(&b, &x, 0x00, 0x00, 0x02);
	assert_int_equal(x.rc, -EBADMSG);
	assert_int_equal(x.len, 0);
	RUN(&b, &x, 0xC0, 0x00, 0x01, 0x33);
	assert_int_equal(x.rc, -ENOMSG);
	assert_int_equal(x.len, 0);
	assert_int_equal(pldm_base_tid(&b), 0);
	RUN(&b, &x, 0x80, 0x00);
	assert_int_equal(x.rc, -EBADMSG);
	assert_int_equal(x.len, 0);
	RUN(&b, &x, 0x80, 0x80, 0x02);
	assert_int_equal(x.rc, -EBADMSG);
	assert_int_equal(x.len, 0);
	len = sizeof(small);
	assert_int_equal(pldm_base_handle(&b, get_tid, 3, small, &len),
			 -EMSGSIZE);
	assert_int_equal(len, 0);
	assert_int_equal(pldm_base_handle(&b, NULL, 3, small, &len), -EINVAL);

	/* a command left out of the type 0 bitmap is unsupported */
	t.commands = only_get_tid;
	c.types = &t;
	c.n_types = 1;
	assert_int_equal(pldm_base_init(&b, &c), 0);
	RUN(&b, &x, 0x80, 0x00, 0x01, 0x22);
	EXPECT(&x, 0x00, 0x00, 0x01, 0x05);
	RUN(&b, &x, 0x80, 0x00, 0x02);
	EXPECT(&x, 0x00, 0x00, 0x02, 0x00, 0x00);
}

/* ---- requester codecs --------------------------------------------------- */

static void test_encoders(void **state)
{
	uint8_t buf[16];
	size_t len;
	static const uint8_t get_tid[] = {0x85, 0x00, 0x02};
	static const uint8_t set_tid[] = {0x86, 0x00, 0x01, 0x09};
	static const uint8_t get_ver[] = {0x87, 0x00, 0x03, 0x0A, 0x00,
					  0x00, 0x00, 0x00, 0x05};
	static const uint8_t get_types[] = {0x88, 0x00, 0x04};
	static const uint8_t get_cmds[] = {0x9F, 0x00, 0x05, 0x05,
					   0x00, 0xF0, 0xF3, 0xF1};

	(void)state;
	len = sizeof(buf);
	assert_int_equal(pldm_base_encode_get_tid_req(5, buf, &len), 0);
	assert_int_equal(len, sizeof(get_tid));
	assert_memory_equal(buf, get_tid, len);
	len = sizeof(buf);
	assert_int_equal(pldm_base_encode_set_tid_req(6, 9, buf, &len), 0);
	assert_int_equal(len, sizeof(set_tid));
	assert_memory_equal(buf, set_tid, len);
	len = sizeof(buf);
	assert_int_equal(pldm_base_encode_get_version_req(
				 7, 10, PLDM_TRANSFER_OP_GET_NEXT_PART, 5, buf,
				 &len),
			 0);
	assert_int_equal(len, sizeof(get_ver));
	assert_memory_equal(buf, get_ver, len);
	len = sizeof(buf);
	assert_int_equal(pldm_base_encode_get_types_req(8, buf, &len), 0);
	assert_int_equal(len, sizeof(get_types));
	assert_memory_equal(buf, get_types, len);
	len = sizeof(buf);
	assert_int_equal(pldm_base_encode_get_commands_req(
				 31, 5, PLDM_VER32(1, 3, 0), buf, &len),
			 0);
	assert_int_equal(len, sizeof(get_cmds));
	assert_memory_equal(buf, get_cmds, len);

	/* errors */
	len = sizeof(buf);
	assert_int_equal(pldm_base_encode_get_tid_req(32, buf, &len), -EINVAL);
	assert_int_equal(pldm_base_encode_set_tid_req(0, 0, buf, &len),
			 -EINVAL);
	assert_int_equal(pldm_base_encode_set_tid_req(0, 0xFF, buf, &len),
			 -EINVAL);
	assert_int_equal(pldm_base_encode_get_version_req(0, 0, 2, 0, buf,
							  &len),
			 -EINVAL);
	assert_int_equal(pldm_base_encode_get_version_req(0, 0, 1, 64, buf,
							  &len),
			 -EINVAL);
	assert_int_equal(pldm_base_encode_get_commands_req(0, 64, 0, buf, &len),
			 -EINVAL);
	assert_int_equal(pldm_base_encode_get_types_req(0, NULL, &len),
			 -EINVAL);
	len = 8;
	assert_int_equal(pldm_base_encode_get_version_req(0, 0, 1, 0, buf,
							  &len),
			 -EMSGSIZE);
	len = 2;
	assert_int_equal(pldm_base_encode_get_tid_req(0, buf, &len), -EMSGSIZE);
}

static void test_decoders(void **state)
{
	static const uint8_t tid_ok[] = {0x05, 0x00, 0x02, 0x00, 0x22};
	static const uint8_t tid_err[] = {0x05, 0x00, 0x02, 0x04};
	static const uint8_t tid_short[] = {0x05, 0x00, 0x02, 0x00};
	static const uint8_t tid_long[] = {0x05, 0x00, 0x02, 0x00, 0x22, 0x00};
	static const uint8_t tid_rq[] = {0x85, 0x00, 0x02, 0x00, 0x22};
	static const uint8_t tid_d[] = {0x45, 0x00, 0x02, 0x00, 0x22};
	static const uint8_t tid_type[] = {0x05, 0x05, 0x02, 0x00, 0x22};
	static const uint8_t no_cc[] = {0x05, 0x00, 0x02};
	static const uint8_t set_ok[] = {0x06, 0x00, 0x01, 0x00};
	static const uint8_t set_err[] = {0x06, 0x00, 0x01, 0x02};
	static const uint8_t set_long[] = {0x06, 0x00, 0x01, 0x00, 0x00};
	static const uint8_t ver_mid[] = {0x07, 0x00, 0x03, 0x00, 0x0A, 0x00,
					  0x00, 0x00, 0x02, 0xF0, 0xF0};
	static const uint8_t ver_flag[] = {0x07, 0x00, 0x03, 0x00, 0x00,
					   0x00, 0x00, 0x00, 0x03};
	static const uint8_t ver_short[] = {0x07, 0x00, 0x03, 0x00,
					    0x00, 0x00, 0x00, 0x00};
	static const uint8_t ver_err[] = {0x07, 0x00, 0x03, 0x83};
	static const uint8_t types_ok[] = {0x08, 0x00, 0x04, 0x00, 0x21, 0x00,
					   0x00, 0x00, 0x00, 0x00, 0x00, 0x80};
	static const uint8_t cmds_err[] = {0x1F, 0x00, 0x05, 0x84};
	uint8_t cmds_ok[3 + 33] = {0x1F, 0x00, 0x05, 0x00, 0x3E};
	uint8_t cc, tid = 0, bits[32], flag;
	uint32_t next;
	const uint8_t *data;
	size_t data_len;

	(void)state;
	assert_int_equal(pldm_base_decode_get_tid_rsp(tid_ok, sizeof(tid_ok),
						      &cc, &tid),
			 0);
	assert_int_equal(cc, 0);
	assert_int_equal(tid, 0x22);
	tid = 0;
	assert_int_equal(pldm_base_decode_get_tid_rsp(tid_err, sizeof(tid_err),
						      &cc, &tid),
			 0);
	assert_int_equal(cc, 0x04);
	assert_int_equal(tid, 0);
	assert_int_equal(pldm_base_decode_get_tid_rsp(
				 tid_short, sizeof(tid_short), &cc, &tid),
			 -EBADMSG);
	assert_int_equal(pldm_base_decode_get_tid_rsp(
				 tid_long, sizeof(tid_long), &cc, &tid),
			 -EBADMSG);
	assert_int_equal(pldm_base_decode_get_tid_rsp(tid_rq, sizeof(tid_rq),
						      &cc, &tid),
			 -EBADMSG);
	assert_int_equal(pldm_base_decode_get_tid_rsp(tid_d, sizeof(tid_d), &cc,
						      &tid),
			 -EBADMSG);
	assert_int_equal(pldm_base_decode_get_tid_rsp(
				 tid_type, sizeof(tid_type), &cc, &tid),
			 -EBADMSG);
	assert_int_equal(pldm_base_decode_get_tid_rsp(no_cc, sizeof(no_cc), &cc,
						      &tid),
			 -EBADMSG);
	/* right bytes, wrong decoder: command mismatch */
	assert_int_equal(pldm_base_decode_set_tid_rsp(tid_ok, sizeof(tid_ok),
						      &cc),
			 -EBADMSG);

	assert_int_equal(
		pldm_base_decode_set_tid_rsp(set_ok, sizeof(set_ok), &cc), 0);
	assert_int_equal(cc, 0);
	assert_int_equal(
		pldm_base_decode_set_tid_rsp(set_err, sizeof(set_err), &cc), 0);
	assert_int_equal(cc, 0x02);
	assert_int_equal(pldm_base_decode_set_tid_rsp(set_long,
						      sizeof(set_long), &cc),
			 -EBADMSG);

	assert_int_equal(pldm_base_decode_get_version_rsp(
				 ver_mid, sizeof(ver_mid), &cc, &next, &flag,
				 &data, &data_len),
			 0);
	assert_int_equal(cc, 0);
	assert_int_equal(next, 10);
	assert_int_equal(flag, PLDM_TRANSFER_FLAG_MIDDLE);
	assert_int_equal(data_len, 2);
	assert_ptr_equal(data, ver_mid + 9);
	assert_int_equal(pldm_base_decode_get_version_rsp(
				 ver_flag, sizeof(ver_flag), &cc, &next, &flag,
				 &data, &data_len),
			 -EBADMSG);
	assert_int_equal(pldm_base_decode_get_version_rsp(
				 ver_short, sizeof(ver_short), &cc, &next,
				 &flag, &data, &data_len),
			 -EBADMSG);
	assert_int_equal(pldm_base_decode_get_version_rsp(
				 ver_err, sizeof(ver_err), &cc, &next, &flag,
				 &data, &data_len),
			 0);
	assert_int_equal(cc, 0x83);

	assert_int_equal(pldm_base_decode_get_types_rsp(
				 types_ok, sizeof(types_ok), &cc, bits),
			 0);
	assert_int_equal(bits[0], 0x21);
	assert_int_equal(bits[7], 0x80);
	assert_int_equal(pldm_base_decode_get_types_rsp(
				 types_ok, sizeof(types_ok) - 1, &cc, bits),
			 -EBADMSG);

	assert_int_equal(pldm_base_decode_get_commands_rsp(
				 cmds_ok, sizeof(cmds_ok), &cc, bits),
			 0);
	assert_int_equal(bits[0], 0x3E);
	assert_int_equal(bits[31], 0);
	assert_int_equal(pldm_base_decode_get_commands_rsp(
				 cmds_ok, sizeof(cmds_ok) - 1, &cc, bits),
			 -EBADMSG);
	assert_int_equal(pldm_base_decode_get_commands_rsp(
				 cmds_err, sizeof(cmds_err), &cc, bits),
			 0);
	assert_int_equal(cc, 0x84);
	assert_int_equal(pldm_base_decode_get_commands_rsp(NULL, 4, &cc, bits),
			 -EINVAL);
}

static void test_version_data_parse(void **state)
{
	uint8_t data[] = {0x00, 0xF0, 0xF1, 0xF1, 0x00, 0xF0,
			  0xF0, 0xF1, 0x06, 0x06, 0x04, 0xC1};
	uint32_t v[2];
	size_t n = 0;

	(void)state;
	assert_int_equal(
		pldm_base_version_data_parse(data, sizeof(data), v, 2, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(v[0], 0xF1F1F000u);
	assert_int_equal(v[1], 0xF1F0F000u);
	assert_int_equal(pldm_base_version_data_parse(data, sizeof(data), v, 1,
						      &n),
			 -ENOSPC);
	assert_int_equal(pldm_base_version_data_parse(data, 4, v, 2, &n),
			 -EBADMSG);
	assert_int_equal(pldm_base_version_data_parse(data, 11, v, 2, &n),
			 -EBADMSG);
	data[11] ^= 0x01;
	assert_int_equal(pldm_base_version_data_parse(data, sizeof(data), v, 2,
						      &n),
			 -EBADMSG);
	data[11] ^= 0x01;
	data[0] = 0x01; /* entry changed, CRC not */
	assert_int_equal(pldm_base_version_data_parse(data, sizeof(data), v, 2,
						      &n),
			 -EBADMSG);
}

/* ---- instance-ID tracker ------------------------------------------------ */

static void test_instance_tracker(void **state)
{
	struct pldm_instance_tid slots[2];
	struct pldm_instance_tracker t;
	uint8_t id, first, ids[32];
	unsigned int i;

	(void)state;
	assert_int_equal(pldm_instance_init(&t, slots, 0), -EINVAL);
	assert_int_equal(pldm_instance_init(&t, slots, 2), 0);

	assert_int_equal(pldm_instance_alloc(&t, 8, &first), 0);
	assert_int_equal(first, 0);
	assert_int_equal(pldm_instance_alloc(&t, 8, &id), 0);
	assert_int_equal(id, 1);
	/* answered once, then a duplicate */
	assert_int_equal(pldm_instance_response(&t, 8, 0), 0);
	assert_int_equal(pldm_instance_response(&t, 8, 0), -EALREADY);
	/* never allocated, and another TID's ID */
	assert_int_equal(pldm_instance_response(&t, 8, 5), -ESTALE);
	assert_int_equal(pldm_instance_response(&t, 9, 1), -ESTALE);
	assert_int_equal(pldm_instance_response(&t, 8, 32), -EINVAL);
	/* timed out: a late answer is stale */
	assert_int_equal(pldm_instance_release(&t, 8, 1), 0);
	assert_int_equal(pldm_instance_release(&t, 8, 1), -ENOENT);
	assert_int_equal(pldm_instance_response(&t, 8, 1), -ESTALE);
	/* round robin: the freed 0 and 1 come last */
	assert_int_equal(pldm_instance_alloc(&t, 8, &id), 0);
	assert_int_equal(id, 2);
	/* a reallocated ID is no longer a duplicate */
	for (i = 0; i < 29; i++)
		assert_int_equal(pldm_instance_alloc(&t, 8, &ids[i]), 0);
	assert_int_equal(ids[28], 31);
	assert_int_equal(pldm_instance_alloc(&t, 8, &id), 0);
	assert_int_equal(id, 0);
	assert_int_equal(pldm_instance_alloc(&t, 8, &id), 0);
	assert_int_equal(id, 1);
	/* all 32 outstanding */
	assert_int_equal(pldm_instance_alloc(&t, 8, &id), -EAGAIN);
	assert_int_equal(pldm_instance_response(&t, 8, 17), 0);
	assert_int_equal(pldm_instance_alloc(&t, 8, &id), 0);
	assert_int_equal(id, 17);

	/* a second TID has its own IDs */
	assert_int_equal(pldm_instance_alloc(&t, 9, &id), 0);
	assert_int_equal(id, 0);
	/* a third TID: both slots busy */
	assert_int_equal(pldm_instance_alloc(&t, 10, &id), -ENOSPC);
	/* once TID 9 has nothing outstanding its slot is reused */
	assert_int_equal(pldm_instance_response(&t, 9, 0), 0);
	assert_int_equal(pldm_instance_alloc(&t, 10, &id), 0);
	assert_int_equal(id, 0);
	assert_int_equal(pldm_instance_response(&t, 9, 0), -ESTALE);
	assert_int_equal(pldm_instance_alloc(NULL, 8, &id), -EINVAL);
}

/* ---- requester against responder --------------------------------------- */

static void test_requester_responder(void **state)
{
	struct pldm_base_config c = cfg;
	struct pldm_instance_tid slots[1];
	struct pldm_instance_tracker t;
	struct pldm_header h;
	struct pldm_base b;
	uint8_t req[16], rsp[64], cc, tid, bits[32], cmds[32], flag, id, type;
	uint8_t data[64];
	size_t req_len, rsp_len, data_len, got = 0, n;
	uint32_t handle, versions[4];
	const uint8_t *part;
	int parts = 0;

	(void)state;
	c.version_part_size = 3;
	assert_int_equal(pldm_base_init(&b, &c), 0);
	assert_int_equal(pldm_instance_init(&t, slots, 1), 0);

	/* SetTID then GetTID */
	assert_int_equal(pldm_instance_alloc(&t, 0, &id), 0);
	req_len = sizeof(req);
	assert_int_equal(pldm_base_encode_set_tid_req(id, 0x42, req, &req_len),
			 0);
	rsp_len = sizeof(rsp);
	assert_int_equal(pldm_base_handle(&b, req, req_len, rsp, &rsp_len), 0);
	assert_int_equal(pldm_header_decode(rsp, rsp_len, &h), 0);
	assert_int_equal(pldm_instance_response(&t, 0, h.instance_id), 0);
	assert_int_equal(pldm_base_decode_set_tid_rsp(rsp, rsp_len, &cc), 0);
	assert_int_equal(cc, 0);
	/* the same response again is a duplicate */
	assert_int_equal(pldm_instance_response(&t, 0, h.instance_id),
			 -EALREADY);

	assert_int_equal(pldm_instance_alloc(&t, 0x42, &id), 0);
	req_len = sizeof(req);
	assert_int_equal(pldm_base_encode_get_tid_req(id, req, &req_len), 0);
	rsp_len = sizeof(rsp);
	assert_int_equal(pldm_base_handle(&b, req, req_len, rsp, &rsp_len), 0);
	assert_int_equal(pldm_header_decode(rsp, rsp_len, &h), 0);
	assert_int_equal(h.instance_id, id);
	assert_int_equal(pldm_instance_response(&t, 0x42, id), 0);
	assert_int_equal(pldm_base_decode_get_tid_rsp(rsp, rsp_len, &cc, &tid),
			 0);
	assert_int_equal(tid, 0x42);

	/* GetPLDMTypes, then for each type its versions and commands */
	req_len = sizeof(req);
	assert_int_equal(pldm_base_encode_get_types_req(3, req, &req_len), 0);
	rsp_len = sizeof(rsp);
	assert_int_equal(pldm_base_handle(&b, req, req_len, rsp, &rsp_len), 0);
	assert_int_equal(
		pldm_base_decode_get_types_rsp(rsp, rsp_len, &cc, bits), 0);
	assert_int_equal(bits[0], 0x21);

	for (type = 0; type < 8; type++) {
		if (!(bits[0] & (1u << type)))
			continue;
		got = 0;
		parts = 0;
		handle = 0;
		flag = 0;
		do {
			req_len = sizeof(req);
			assert_int_equal(
				pldm_base_encode_get_version_req(
					(uint8_t)parts, handle,
					parts ? PLDM_TRANSFER_OP_GET_NEXT_PART
					      : PLDM_TRANSFER_OP_GET_FIRST_PART,
					type, req, &req_len),
				0);
			rsp_len = sizeof(rsp);
			assert_int_equal(pldm_base_handle(&b, req, req_len, rsp,
							  &rsp_len),
					 0);
			assert_int_equal(pldm_base_decode_get_version_rsp(
						 rsp, rsp_len, &cc, &handle,
						 &flag, &part, &data_len),
					 0);
			assert_int_equal(cc, 0);
			assert_true(data_len <= 3);
			assert_true(got + data_len <= sizeof(data));
			memcpy(data + got, part, data_len);
			got += data_len;
			parts++;
		} while (flag != PLDM_TRANSFER_FLAG_END &&
			 flag != PLDM_TRANSFER_FLAG_START_AND_END);
		assert_int_equal(handle, 0);
		assert_int_equal(pldm_base_version_data_parse(data, got,
							      versions, 4, &n),
				 0);
		if (type == 0) {
			assert_int_equal(parts, 4); /* 12 bytes in 3s */
			assert_int_equal(n, 2);
			assert_int_equal(versions[1], 0xF1F0F000u);
		} else {
			assert_int_equal(parts, 3); /* 8 bytes in 3s */
			assert_int_equal(n, 1);
			assert_int_equal(versions[0], 0xF1F3F000u);
		}
		req_len = sizeof(req);
		assert_int_equal(pldm_base_encode_get_commands_req(
					 4, type, versions[0], req, &req_len),
				 0);
		rsp_len = sizeof(rsp);
		assert_int_equal(
			pldm_base_handle(&b, req, req_len, rsp, &rsp_len), 0);
		assert_int_equal(pldm_base_decode_get_commands_rsp(rsp, rsp_len,
								   &cc, cmds),
				 0);
		assert_int_equal(cc, 0);
		assert_memory_equal(
			cmds, type == 0 ? base_commands : fw_commands, 32);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_header),
		cmocka_unit_test(test_completion_codes),
		cmocka_unit_test(test_init_errors),
		cmocka_unit_test(test_tid),
		cmocka_unit_test(test_get_version_single),
		cmocka_unit_test(test_get_version_multipart),
		cmocka_unit_test(test_get_version_errors),
		cmocka_unit_test(test_get_types),
		cmocka_unit_test(test_get_commands),
		cmocka_unit_test(test_dispatch_errors),
		cmocka_unit_test(test_encoders),
		cmocka_unit_test(test_decoders),
		cmocka_unit_test(test_version_data_parse),
		cmocka_unit_test(test_instance_tracker),
		cmocka_unit_test(test_requester_responder),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
