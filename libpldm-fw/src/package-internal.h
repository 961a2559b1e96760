/* SPDX-License-Identifier: Apache-2.0 */
/* What the package parser and writer share (fw-package.c defines it). */
#ifndef PLDM_SRC_PACKAGE_INTERNAL_H
#define PLDM_SRC_PACKAGE_INTERNAL_H

#include <stdint.h>

/* DescriptorLength DSP0267 fixes for a descriptor type; 0 for the types
 * whose length is not fixed (vendor defined, unknown). */
uint16_t pldm_package_descriptor_length(uint16_t type);

#endif /* PLDM_SRC_PACKAGE_INTERNAL_H */
