/* SPDX-License-Identifier: Apache-2.0 */
/* Logging through the optional log op of a configuration (cfg->log_ops,
 * log_ctx, log_level); compiled out entirely when the pldm_log option is
 * off. */
#ifndef PLDM_SRC_LOG_H
#define PLDM_SRC_LOG_H

#include "pldm/config.h"
#include "pldm/log.h"

#if PLDM_LOG_ENABLED
/* log_level 0 (a zeroed config) passes every level. */
#define pldm_log(cfg, level, ...)                                              \
	do {                                                                   \
		if ((cfg)->log_ops && (cfg)->log_ops->log &&                   \
		    (!(cfg)->log_level || (level) <= (cfg)->log_level))        \
			(cfg)->log_ops->log((cfg)->log_ctx, (level),           \
					    __VA_ARGS__);                      \
	} while (0)
#else
#define pldm_log(cfg, level, ...) ((void)(cfg))
#endif

#endif
