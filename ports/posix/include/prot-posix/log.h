/* SPDX-License-Identifier: Apache-2.0 */
/* POSIX port: a libmctp log sink that writes one line per message to
 * stderr. */
#ifndef PROT_POSIX_LOG_H
#define PROT_POSIX_LOG_H

#include "mctp/mctp.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Log ops for struct mctp_config.log_ops. The log context
 * (mctp_config.log_ctx) is a NUL-terminated name printed before each line,
 * or NULL.
 */
extern const struct mctp_log_ops prot_posix_log_ops;

#ifdef __cplusplus
}
#endif

#endif /* PROT_POSIX_LOG_H */
