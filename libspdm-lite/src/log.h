/* SPDX-License-Identifier: Apache-2.0 */
/* Logging through the optional log op of a configuration (cfg->log_ops,
 * log_ctx, log_level); compiled out entirely when the spdm_log option is
 * off. */
#ifndef SPDM_SRC_LOG_H
#define SPDM_SRC_LOG_H

#include "spdm/config.h"
#include "spdm/log.h"

#if SPDM_LOG_ENABLED
/* log_level 0 (a zeroed config) passes every level. */
#define spdm_log(cfg, level, ...)                                              \
	do {                                                                   \
		if ((cfg)->log_ops && (cfg)->log_ops->log &&                   \
		    (!(cfg)->log_level || (level) <= (cfg)->log_level))        \
			(cfg)->log_ops->log((cfg)->log_ctx, (level),           \
					    __VA_ARGS__);                      \
	} while (0)
#else
#define spdm_log(cfg, level, ...) ((void)(cfg))
#endif

#endif
