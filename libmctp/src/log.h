/* SPDX-License-Identifier: Apache-2.0 */
/* Per-instance logging through the optional log op; compiled out entirely
 * when the mctp_log option is off. */
#ifndef MCTP_SRC_LOG_H
#define MCTP_SRC_LOG_H

#include "mctp/mctp.h"

#if MCTP_LOG_ENABLED
#define mctp_log(mctp, level, ...)                                             \
	do {                                                                   \
		if ((mctp)->log_ops && (mctp)->log_ops->log &&                 \
		    (level) <= (mctp)->log_level)                              \
			(mctp)->log_ops->log((mctp)->log_ctx, (level),         \
					     __VA_ARGS__);                     \
	} while (0)
#else
#define mctp_log(mctp, level, ...) ((void)(mctp))
#endif

#endif
