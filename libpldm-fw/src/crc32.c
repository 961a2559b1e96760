/* SPDX-License-Identifier: Apache-2.0 */
/*
 * CRC-32 as DSP0267 uses it for package checksums (and DSP0240 for the
 * version CRC): IEEE 802.3 polynomial, reflected (0xEDB88320), initial
 * value and final XOR 0xFFFFFFFF. A 16-entry nibble table: 64 bytes of
 * ROM, twice as fast as the bitwise loop.
 */
#include "pldm/fw-package.h"

#include "crc32.h"

static const uint32_t crc32_nibble[16] = {
	0x00000000, 0x1db71064, 0x3b6e20c8, 0x26d930ac, 0x76dc4190, 0x6b6b51f4,
	0x4db26158, 0x5005713c, 0xedb88320, 0xf00f9344, 0xd6d6a3e8, 0xcb61b38c,
	0x9b64c2b0, 0x86d3d2d4, 0xa00ae278, 0xbdbdf21c,
};

uint32_t pldm_crc32_update(uint32_t crc, const uint8_t *buf, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		crc ^= buf[i];
		crc = (crc >> 4) ^ crc32_nibble[crc & 0xf];
		crc = (crc >> 4) ^ crc32_nibble[crc & 0xf];
	}
	return crc;
}

uint32_t pldm_crc32(const uint8_t *buf, size_t len)
{
	return pldm_crc32_update(PLDM_CRC32_INIT, buf, len) ^ 0xffffffffu;
}
