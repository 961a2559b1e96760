/* SPDX-License-Identifier: Apache-2.0 */
/* The library's one CRC-32 (IEEE 802.3, reflected 0xEDB88320), shared by
 * the package checksums (DSP0267) and the version data CRC (DSP0240). */
#ifndef PLDM_SRC_CRC32_H
#define PLDM_SRC_CRC32_H

#include <stddef.h>
#include <stdint.h>

#define PLDM_CRC32_INIT 0xFFFFFFFFu

/* Continue a CRC over @len more bytes: start from PLDM_CRC32_INIT and XOR
 * the end result with 0xFFFFFFFF (pldm_crc32() does both). */
uint32_t pldm_crc32_update(uint32_t crc, const uint8_t *buf, size_t len);

#endif
