/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The requester's flow steps. build writes the request of the current
 * state; parse consumes its (non-ERROR) response and returns 0 when the
 * flow is complete, -EAGAIN when the state has moved to the next request,
 * or an error that ends the flow.
 */
#ifndef SPDM_SRC_REQUESTER_INTERNAL_H
#define SPDM_SRC_REQUESTER_INTERNAL_H

#include "codec.h"
#include "spdm/requester.h"

void spdm_requester_set_state(struct spdm_requester *q,
			      enum spdm_requester_state state);

int spdm_req_vca_build(struct spdm_requester *q, struct spdm_writer *w);
int spdm_req_vca_parse(struct spdm_requester *q, const uint8_t *rsp,
		       size_t rsp_len);

#endif
