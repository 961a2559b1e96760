/* SPDX-License-Identifier: Apache-2.0 */
/* POSIX port: the millisecond clock the protocol cores are given. */
#ifndef PROT_POSIX_CLOCK_H
#define PROT_POSIX_CLOCK_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Milliseconds on CLOCK_MONOTONIC, truncated to 32 bits. It wraps after
 * about 49 days; the cores compare times with wrap-around arithmetic, so
 * pass it to mctp_poll() as it is. Never fails.
 *
 * Give it to the core at init too (struct mctp_config.now_ms), so that a
 * request sent before the first mctp_poll() times out from now.
 */
uint32_t prot_posix_now_ms(void);

#ifdef __cplusplus
}
#endif

#endif /* PROT_POSIX_CLOCK_H */
