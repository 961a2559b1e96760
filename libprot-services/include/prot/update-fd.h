/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The update service (prot/update.h) as a PLDM Firmware Device
 * (libpldm-fw's struct pldm_fd_ops, DSP0267): an Update Agent's
 * UpdateComponent starts a download into the component's inactive bank,
 * RequestFirmwareData chunks are written in order, VerifyComplete carries
 * the signature, key and SVN verdict, ActivateFirmware installs every
 * verified component together for a trial boot.
 *
 *   component (UpdateComponent)  clean a FAILED/UPDATED component, then
 *                                prot_update_start()
 *   write                        prot_update_write()
 *   verify                       prot_update_finish(), verdict mapped by
 *                                prot_update_fd_verify_result()
 *   apply                        checks the component is CANDIDATE
 *   activate                     prot_update_install() of every applied
 *                                component at once; the device must then
 *                                restart (prot_update_fd_reset_pending())
 *                                and prot_boot() starts the trial
 *   cancel                       prot_update_cancel() + clean
 *
 * Install happens at ActivateFirmware rather than at each ApplyComplete
 * so that the components of one PLDM update are staged, tried, accepted
 * or reverted together (the update service refuses a new download while
 * an install is staged). Accepting the trial is the platform's call
 * (prot_update_accept() after its own health checks), not the UA's.
 *
 * PLDM component index n is prot_update component n: the pldm_fd_config
 * component table must list the update service's components in order.
 */
#ifndef PROT_UPDATE_FD_H
#define PROT_UPDATE_FD_H

#include <stdbool.h>
#include <stdint.h>

#include "pldm/fw-device.h"
#include "prot/update.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * The adapter; caller-owned, fields read-only for the caller.
 * @up: the update service (booted).
 * @reset_pending: ActivateFirmware staged the images; restart the device
 *     once the response has gone out.
 * @last_error: the update service's last error (0 if none), for logs.
 */
struct prot_update_fd {
	struct prot_update *up;
	bool reset_pending;
	int last_error;
};

/**
 * prot_update_fd_init() - set @fd up over @up and fill @ops (its ctx is
 * @fd) for pldm_fd_init(). Returns 0 or -EINVAL (NULL pointer).
 */
int prot_update_fd_init(struct prot_update_fd *fd, struct prot_update *up,
			struct pldm_fd_ops *ops);

/**
 * prot_update_fd_verify_result() - the DSP0267 VerifyResult for an error
 * of prot_update_finish():
 *   0                                  PLDM_FW_VERIFY_SUCCESS
 *   -EPERM, -EILSEQ (signature, digest), -EBADMSG, -EPROTONOSUPPORT,
 *   -EFBIG (not an image for this bank)
 *                                      VERIFY_ERROR_VERIFICATION_FAILURE
 *   -EACCES (wrong key), -ENOENT (no key provisioned), -EPROTO (key id
 *   or header fields)                  VERIFY_FAILED_FD_SECURITY_CHECKS
 *   -ESTALE (SVN below the floor)      VERIFY_FAILURE_SECURITY_REVISION
 *   -ENODATA (truncated)               VERIFY_ERROR_IMAGE_INCOMPLETE
 *   -ENODEV (other component)          VERIFY_ERROR_VERSION_MISMATCH
 *   anything else                      VERIFY_GENERIC_ERROR
 */
uint8_t prot_update_fd_verify_result(int err);

/** prot_update_fd_reset_pending() - see struct prot_update_fd. */
bool prot_update_fd_reset_pending(const struct prot_update_fd *fd);

#ifdef __cplusplus
}
#endif

#endif /* PROT_UPDATE_FD_H */
