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

/* req-cert.c: the certificate flow's steps; forget M1 after a request
 * that ends it; forget M1 and the verdict when the connection ends. */
int spdm_req_cert_build(struct spdm_requester *q, struct spdm_writer *w);
int spdm_req_cert_parse(struct spdm_requester *q, const uint8_t *rsp,
			size_t rsp_len);
void spdm_req_cert_on_request(struct spdm_requester *q, uint8_t code);
void spdm_req_cert_forget(struct spdm_requester *q);

/* req-meas.c: the measurements flow's steps. */
int spdm_req_meas_build(struct spdm_requester *q, struct spdm_writer *w);
int spdm_req_meas_parse(struct spdm_requester *q, const uint8_t *rsp,
			size_t rsp_len);

/* Copy the opaque data of a verified response to the caller's buffer
 * (spdm_requester_set_opaque_buffer()), as much as fits. */
void spdm_req_copy_opaque(struct spdm_requester *q, const uint8_t *p,
			  size_t len);

/* req-challenge.c: the challenge flow's steps; forget what a connection
 * taught (given chain digest, verdict) when it ends. */
int spdm_req_chal_build(struct spdm_requester *q, struct spdm_writer *w);
int spdm_req_chal_parse(struct spdm_requester *q, const uint8_t *rsp,
			size_t rsp_len);
void spdm_req_chal_forget(struct spdm_requester *q);

#endif
