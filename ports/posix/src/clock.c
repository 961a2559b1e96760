/* SPDX-License-Identifier: Apache-2.0 */
#define _GNU_SOURCE
#include <stdint.h>
#include <time.h>

#include "prot-posix/clock.h"

uint32_t prot_posix_now_ms(void)
{
	struct timespec ts;

	/* CLOCK_MONOTONIC cannot fail on Linux with a valid pointer; the
	 * cores need a clock that never steps back when the wall clock is
	 * set. */
	(void)clock_gettime(CLOCK_MONOTONIC, &ts);
	/* Truncation to 32 bits is the intended wrap-around. */
	return (uint32_t)((uint64_t)ts.tv_sec * 1000u +
			  (uint64_t)ts.tv_nsec / 1000000u);
}
