/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The responder's request handlers. A handler decodes the request, writes
 * the whole response through @w and only then commits: on any error it
 * returns a negative errno (mapped to the ERROR response by
 * spdm_errno_to_error_code()) and leaves @r untouched.
 */
#ifndef SPDM_SRC_RESPONDER_INTERNAL_H
#define SPDM_SRC_RESPONDER_INTERNAL_H

#include "codec.h"
#include "spdm/responder.h"

void spdm_responder_set_state(struct spdm_responder *r,
			      enum spdm_responder_state state);

int spdm_rsp_get_version(struct spdm_responder *r, const uint8_t *req,
			 size_t req_len, struct spdm_writer *w);
int spdm_rsp_get_capabilities(struct spdm_responder *r, const uint8_t *req,
			      size_t req_len, struct spdm_writer *w);
int spdm_rsp_negotiate_algorithms(struct spdm_responder *r, const uint8_t *req,
				  size_t req_len, struct spdm_writer *w);

#endif
