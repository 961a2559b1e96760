/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Optional logging of the update service and prot_boot() (the prot_log
 * option; off: the library holds no log code and ignores the log fields
 * of struct prot_update_config).
 *
 * The library never formats text: it calls the op with a fixed
 * printf-style format and its arguments, and the sink formats them on its
 * own side. The formats use only %u, %d and %s, with unsigned int, int
 * and NUL-terminated const string arguments. Nothing secret is ever
 * passed: no key, digest, signature or image byte, only component
 * indexes, banks, states, SVNs and error numbers. The op is called from
 * inside prot_* calls and must not call back into the service.
 */
#ifndef PROT_LOG_H
#define PROT_LOG_H

#ifdef __cplusplus
extern "C" {
#endif

/** Log levels, as syslog. */
enum prot_log_level {
	PROT_LOG_ERR = 3,     /* a bug (forbidden transition), boot failed */
	PROT_LOG_WARNING = 4, /* revert, restore, fallback, recovery mode */
	PROT_LOG_NOTICE = 5,  /* trial started, install, accept, SVN raised */
	PROT_LOG_INFO = 6,    /* each state transition */
	PROT_LOG_DEBUG = 7,
};

/** Optional log sink. Const; may live in ROM. */
struct prot_log_ops {
	void (*log)(void *ctx, enum prot_log_level level, const char *fmt, ...);
};

#ifdef __cplusplus
}
#endif

#endif /* PROT_LOG_H */
