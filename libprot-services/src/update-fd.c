/* SPDX-License-Identifier: Apache-2.0 */
/*
 * PLDM Firmware Device ops over the update service (prot/update-fd.h).
 */
#include <errno.h>
#include <string.h>

#include "prot/update-fd.h"

static enum prot_update_state state_of(const struct prot_update *up,
				       unsigned int i)
{
	struct prot_update_info info;

	if (prot_update_query(up, i, &info))
		return PROT_UPDATE_FAILED;
	return info.state;
}

static bool install_pending(const struct prot_update *up)
{
	unsigned int i;

	for (i = 0; i < up->cfg.n_components; i++) {
		enum prot_update_state s = state_of(up, i);

		if (s == PROT_UPDATE_STAGED || s == PROT_UPDATE_TRIAL ||
		    s == PROT_UPDATE_REJECTED)
			return true;
	}
	return false;
}

/* Back to READY from wherever a previous attempt left component @i. */
static int make_ready(struct prot_update *up, unsigned int i)
{
	enum prot_update_state s = state_of(up, i);
	int rc = 0;

	if (s == PROT_UPDATE_WRITING || s == PROT_UPDATE_CANDIDATE)
		rc = prot_update_cancel(up, i);
	s = state_of(up, i);
	if (!rc && (s == PROT_UPDATE_FAILED || s == PROT_UPDATE_UPDATED))
		rc = prot_update_clean(up, i);
	return rc;
}

static uint8_t fd_component(void *ctx,
			    const struct pldm_fd_component_request *req,
			    bool update)
{
	struct prot_update_fd *fd = ctx;
	struct prot_update *up = fd->up;
	int rc;

	if (req->index >= up->cfg.n_components)
		return PLDM_FW_CRC_NOT_SUPPORTED;
	if (install_pending(up))
		return PLDM_FW_CRC_CONFLICT;
	if (req->image_size > up->cfg.bank_size)
		return PLDM_FW_CRC_NOT_SUPPORTED;
	if (!update)
		return PLDM_FW_CRC_CAN_BE_UPDATED;
	rc = make_ready(up, req->index);
	if (!rc)
		rc = prot_update_start(up, req->index);
	fd->last_error = rc;
	if (rc == -EBUSY)
		return PLDM_FW_CRC_CONFLICT;
	return rc ? PLDM_FW_CRC_PREREQUISITES_NOT_MET
		  : PLDM_FW_CRC_CAN_BE_UPDATED;
}

static int fd_write(void *ctx, uint16_t index, uint32_t offset,
		    const uint8_t *data, size_t len)
{
	struct prot_update_fd *fd = ctx;
	int rc = prot_update_write(fd->up, index, offset, data, len);

	fd->last_error = rc;
	switch (rc) {
	case 0:
		return 0;
	case -ENOSPC: /* more than a bank */
		return PLDM_FW_TRANSFER_ERROR_IMAGE_CORRUPT;
	case -EINVAL:
	case -EBUSY:
	case -ESPIPE:
	case -EOVERFLOW:
		return rc;
	default: /* the flash failed */
		return PLDM_FW_TRANSFER_FD_ABORTED_STORAGE_ISSUE;
	}
}

uint8_t prot_update_fd_verify_result(int err)
{
	switch (err) {
	case 0:
		return PLDM_FW_VERIFY_SUCCESS;
	case -EPERM:
	case -EILSEQ:
	case -EBADMSG:
	case -EPROTONOSUPPORT:
	case -EFBIG:
		return PLDM_FW_VERIFY_ERROR_VERIFICATION_FAILURE;
	case -EACCES:
	case -ENOENT:
	case -EPROTO:
		return PLDM_FW_VERIFY_FAILED_FD_SECURITY_CHECKS;
	case -ESTALE:
		return PLDM_FW_VERIFY_FAILURE_SECURITY_REVISION;
	case -ENODATA:
		return PLDM_FW_VERIFY_ERROR_IMAGE_INCOMPLETE;
	case -ENODEV:
		return PLDM_FW_VERIFY_ERROR_VERSION_MISMATCH;
	default:
		return PLDM_FW_VERIFY_GENERIC_ERROR;
	}
}

static int fd_verify(void *ctx, uint16_t index)
{
	struct prot_update_fd *fd = ctx;
	int rc = prot_update_finish(fd->up, index);

	fd->last_error = rc;
	if (rc && state_of(fd->up, index) == PROT_UPDATE_WRITING)
		return rc < 0 ? rc : -EIO; /* flash failure: generic */
	return prot_update_fd_verify_result(rc);
}

static int fd_apply(void *ctx, uint16_t index,
		    uint16_t *activation_methods_modification)
{
	struct prot_update_fd *fd = ctx;

	(void)activation_methods_modification;
	if (state_of(fd->up, index) != PROT_UPDATE_CANDIDATE)
		return PLDM_FW_APPLY_GENERIC_ERROR;
	return PLDM_FW_APPLY_SUCCESS;
}

static int fd_activate(void *ctx, bool self_contained,
		       uint16_t *estimated_time_s)
{
	struct prot_update_fd *fd = ctx;
	int rc;

	(void)self_contained; /* the trial always needs a restart */
	rc = prot_update_install(fd->up);
	fd->last_error = rc;
	if (rc)
		return rc < 0 ? rc : -EIO;
	fd->reset_pending = true;
	if (estimated_time_s)
		*estimated_time_s = 0;
	return 0;
}

static uint64_t fd_cancel(void *ctx, int index, bool whole_update)
{
	struct prot_update_fd *fd = ctx;
	unsigned int i;

	for (i = 0; i < fd->up->cfg.n_components; i++) {
		enum prot_update_state s = state_of(fd->up, i);

		if (!whole_update && (int)i != index)
			continue;
		if (s == PROT_UPDATE_WRITING || s == PROT_UPDATE_CANDIDATE ||
		    s == PROT_UPDATE_FAILED)
			fd->last_error = make_ready(fd->up, i);
	}
	/* The running images are never touched: everything functions. */
	return 0;
}

int prot_update_fd_init(struct prot_update_fd *fd, struct prot_update *up,
			struct pldm_fd_ops *ops)
{
	if (!fd || !up || !ops)
		return -EINVAL;
	memset(fd, 0, sizeof(*fd));
	fd->up = up;
	memset(ops, 0, sizeof(*ops));
	ops->ctx = fd;
	ops->component = fd_component;
	ops->write = fd_write;
	ops->verify = fd_verify;
	ops->apply = fd_apply;
	ops->activate = fd_activate;
	ops->cancel = fd_cancel;
	return 0;
}

bool prot_update_fd_reset_pending(const struct prot_update_fd *fd)
{
	return fd && fd->reset_pending;
}
