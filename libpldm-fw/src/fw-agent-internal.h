/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Shared between fw-agent.c (the Update Agent's state machine) and
 * fw-agent-serve.c (its answers to the FD's requests). Not installed.
 */
#ifndef PLDM_SRC_FW_AGENT_INTERNAL_H
#define PLDM_SRC_FW_AGENT_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "codec.h"
#include "pldm/fw-agent.h"

/* An update is running: started and not done. */
bool pldm_ua_running(const struct pldm_ua *ua);

/* Call the progress callback with the current state. */
void pldm_ua_notify(struct pldm_ua *ua);

/* Abandon the request awaiting its answer (its ID is freed). */
void pldm_ua_drop_outstanding(struct pldm_ua *ua);

/* Enter @phase waiting for the FD's requests (GetStatus on silence). */
void pldm_ua_wait_fd(struct pldm_ua *ua, enum pldm_ua_phase phase);

/* Decide the outcome; CancelUpdate follows when the FD is in update mode. */
void pldm_ua_fail(struct pldm_ua *ua, enum pldm_ua_result result, uint8_t raw,
		  uint8_t command);

/* UpdateComponent for the next component from @from on, or
 * ActivateFirmware after the last. */
void pldm_ua_next_component(struct pldm_ua *ua, uint16_t from);

/* PassComponentTable from the first component. */
void pldm_ua_start_pass_table(struct pldm_ua *ua);

/* Answer one FD request (header @h already decoded, @r over its data)
 * into @out. Returns 0 or -EMSGSIZE. */
int pldm_ua_handle_fd_request(struct pldm_ua *ua, const struct pldm_header *h,
			      struct pldm_reader *r, uint8_t *out,
			      size_t *out_len);

#endif /* PLDM_SRC_FW_AGENT_INTERNAL_H */
