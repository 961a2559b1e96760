/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Shared between control.c (mctp_ctrl_init, the type 0x00 handler and the
 * responder) and control-requester.c. The handler reaches the requester
 * only through these hooks, and only when MCTP_CONTROL_REQUESTER is 1, so
 * a responder-only build links no requester code.
 */
#ifndef MCTP_SRC_CONTROL_INTERNAL_H
#define MCTP_SRC_CONTROL_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "mctp/control.h"

#define MCTP_CTRL_HDR_SIZE 3u     /* type, Rq/D/instance, command */
#define MCTP_CTRL_RSP_HDR_SIZE 4u /* ... and the completion code */
/* Every control message we build fits here: the largest is Get MCTP
 * Version Support with MCTP_CTRL_MAX_VERSIONS entries (4 + 1 + 56). */
#define MCTP_CTRL_MSG_MAX 64u

_Static_assert(MCTP_CTRL_MSG_MAX <= MCTP_MAX_MESSAGE_SIZE,
	       "control messages must fit the core's maximum message");

#if MCTP_CONTROL_REQUESTER
/* A message with tag owner clear that the core matched to a type 0x00
 * request of ours (or of someone else sharing the core). */
void mctp_ctrl_rx_response(struct mctp_ctrl *ctrl,
			   const struct mctp_msg_info *info, const uint8_t *msg,
			   size_t len);
/* The handler's timeout op. */
void mctp_ctrl_tag_timeout(void *ctx, struct mctp *mctp, uint8_t eid,
			   uint8_t tag);
#endif

#endif /* MCTP_SRC_CONTROL_INTERNAL_H */
