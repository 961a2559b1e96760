/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Optional logging of the FD and the UA (the pldm_log option; off: the
 * library holds no log code and ignores the log fields of the configs).
 *
 * The library never formats text: it calls the op with a fixed
 * printf-style format and its arguments, and the sink formats them (or
 * not) on its own side. The formats use only %u, %d and %s, with unsigned
 * int, int and NUL-terminated const string arguments. The op is called
 * from inside pldm_fd_* / pldm_ua_* calls, must not call back into the
 * instance, and never receives image or metadata bytes.
 */
#ifndef PLDM_LOG_H
#define PLDM_LOG_H

#ifdef __cplusplus
extern "C" {
#endif

/** Log levels, as syslog. */
enum pldm_log_level {
	PLDM_LOG_ERR = 3,     /* a bug: a forbidden state transition */
	PLDM_LOG_WARNING = 4, /* an update failed or was cancelled */
	PLDM_LOG_NOTICE = 5,  /* an update started, ended */
	PLDM_LOG_INFO = 6,    /* each state / phase transition */
	PLDM_LOG_DEBUG = 7,
};

/** Optional log sink. Const; may live in ROM. */
struct pldm_log_ops {
	void (*log)(void *ctx, enum pldm_log_level level, const char *fmt, ...);
};

#ifdef __cplusplus
}
#endif

#endif /* PLDM_LOG_H */
