/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Optional logging of the requester and the responder (the spdm_log
 * option; off: the library holds no log code at all and ignores the log
 * fields of the configs).
 *
 * The library never formats text: it calls the op with a fixed
 * printf-style format and its arguments, and the sink formats them on its
 * own side. The formats use only %u, %x and %d, with unsigned int and int
 * arguments: state numbers, request and error codes, errno values. No
 * message bytes, nonces, keys, digests or signatures are ever passed. The
 * op is called from inside spdm_* calls and must not call back into the
 * instance.
 */
#ifndef SPDM_LOG_H
#define SPDM_LOG_H

#ifdef __cplusplus
extern "C" {
#endif

/** Log levels, as syslog. */
enum spdm_log_level {
	SPDM_LOG_ERR = 3,
	SPDM_LOG_WARNING = 4,
	SPDM_LOG_NOTICE = 5,
	SPDM_LOG_INFO = 6,  /* connection state changes */
	SPDM_LOG_DEBUG = 7, /* refusals: ERROR responses sent or received */
};

/** Optional log sink. Const; may live in ROM. */
struct spdm_log_ops {
	void (*log)(void *ctx, enum spdm_log_level level, const char *fmt, ...);
};

#ifdef __cplusplus
}
#endif

#endif /* SPDM_LOG_H */
