/* SPDX-License-Identifier: Apache-2.0 */
/* Logging through the optional log op of a configuration (cfg->log_ops,
 * log_ctx, log_level); compiled out entirely when the prot_log option is
 * off. */
#ifndef PROT_SRC_LOG_H
#define PROT_SRC_LOG_H

#include "prot/config.h"
#include "prot/log.h"

#if PROT_LOG_ENABLED
/* log_level 0 (a zeroed config) passes every level. */
#define prot_log(cfg, level, ...)                                              \
	do {                                                                   \
		if ((cfg)->log_ops && (cfg)->log_ops->log &&                   \
		    (!(cfg)->log_level || (level) <= (cfg)->log_level))        \
			(cfg)->log_ops->log((cfg)->log_ctx, (level),           \
					    __VA_ARGS__);                      \
	} while (0)
#else
#define prot_log(cfg, level, ...) ((void)(cfg))
#endif

#endif
