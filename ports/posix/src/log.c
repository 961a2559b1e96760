/* SPDX-License-Identifier: Apache-2.0 */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stdio.h>

#include "prot-posix/log.h"

static const char *const level_names[] = {
	[MCTP_LOG_ERR] = "error",     [MCTP_LOG_WARNING] = "warning",
	[MCTP_LOG_NOTICE] = "notice", [MCTP_LOG_INFO] = "info",
	[MCTP_LOG_DEBUG] = "debug",
};

__attribute__((format(printf, 3, 4))) static void
posix_log(void *ctx, enum mctp_log_level level, const char *fmt, ...)
{
	const char *name = ctx ? ctx : "mctp";
	const char *lvl = "log";
	va_list ap;

	if ((unsigned int)level <
		    sizeof(level_names) / sizeof(level_names[0]) &&
	    level_names[level])
		lvl = level_names[level];
	/* One fprintf per piece is fine: stderr is unbuffered and a line
	 * from two processes interleaving is only cosmetic. */
	fprintf(stderr, "%s: %s: ", name, lvl);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

const struct mctp_log_ops prot_posix_log_ops = {
	.log = posix_log,
};
