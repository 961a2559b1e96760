/* SPDX-License-Identifier: Apache-2.0 */
/*
 * prot-ua's PLDM parts (examples only, not a library API): the firmware
 * update driver (prot-ua-update.c) and the status queries
 * (prot-ua-status.c). Both run on an MCTP stack the caller has set up
 * (our EID, a bus, the device's EID reachable) and reach the wire through
 * a small link ops struct, so that the same code runs over the SMBus
 * socket in prot-ua and over an in-process link in the tests.
 */
#ifndef PROT_UA_UPDATE_H
#define PROT_UA_UPDATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "mctp/mctp.h"
#include "pldm/fw-agent.h"
#include "pldm/fw-package.h"
#include "prot/pldm-mctp.h"

/* Exit codes of prot-ua (documented in its --help). */
#define PROT_UA_EXIT_OK 0
#define PROT_UA_EXIT_TRANSPORT 1
#define PROT_UA_EXIT_USAGE 2
#define PROT_UA_EXIT_PROTOCOL 3
#define PROT_UA_EXIT_VERIFY 4
#define PROT_UA_EXIT_MISMATCH 5
#define PROT_UA_EXIT_REFUSED 6
#define PROT_UA_EXIT_BAD_PACKAGE 7

/* Largest MaximumTransferSize offered (RequestFirmwareData data bytes). */
#define PROT_UA_MAX_XFER 1024u

/* The wire. now_ms: a monotonic millisecond clock. service: wait up to
 * @wait_ms for traffic and hand what arrived to the MCTP stack (it may
 * return earlier); returns >= 0, or a negative errno when the link is
 * dead. */
struct prot_ua_link {
	uint32_t (*now_ms)(void *ctx);
	int (*service)(void *ctx, uint32_t wait_ms);
	void *ctx;
};

struct prot_ua_update_options {
	uint8_t fd_eid;
	uint32_t max_transfer; /* 0: 512 */
	uint32_t pt1_ms;       /* UA response timeout, 0: 1000 */
	uint8_t retries;       /* UA retries of a request */
	bool self_contained;   /* ActivateFirmware request */
	bool discover;         /* GetTID + GetPLDMTypes first */
	FILE *progress;        /* NULL: silent */
	bool tty;              /* progress as a bar (else plain lines) */
};

/* What happened; filled by prot_ua_update_run(). */
struct prot_ua_update_report {
	int exit_code;                  /* PROT_UA_EXIT_* */
	enum pldm_ua_result result;     /* NONE when it never ended */
	struct pldm_ua_outcome outcome; /* valid when result != NONE */
	uint64_t bytes;                 /* image bytes served */
	double seconds;
	uint16_t n_components;
	char error[200]; /* empty on success */
};

/* Everything the driver needs; caller-owned (large: make it static). */
struct prot_ua_update {
	const struct prot_ua_update_options *o;
	const struct prot_ua_link *link;
	struct pldm_ua_config ua_cfg;
	struct pldm_ua ua;
	struct prot_pldm_mctp_agent_config acfg;
	struct prot_pldm_mctp_agent ag;
	uint8_t abuf[PROT_PLDM_MCTP_AGENT_BUF_SIZE(PROT_UA_MAX_XFER)];
	/* progress */
	enum pldm_ua_phase phase;
	uint16_t comp;
	int last_pct; /* -1: none shown for this component */
	bool bar_open;
	uint32_t served[PLDM_UA_MAX_COMPONENTS];
};

/*
 * Read and parse the package at @path into @buf (malloc'd, the caller
 * frees it) and @pkg. Returns PROT_UA_EXIT_OK, or PROT_UA_EXIT_BAD_PACKAGE
 * with @err set (missing, unreadable, empty, or refused by the parser).
 */
int prot_ua_package_load(const char *path, uint8_t **buf, size_t *len,
			 struct pldm_package *pkg, char *err, size_t errlen);

/*
 * Update the FD at o->fd_eid from @pkg (parsed) over @mctp: registers the
 * PLDM (type 0x01) handler on @mctp, optionally discovers the FD's PLDM
 * types, runs the libpldm-fw update agent to its end (activation
 * included) and fills @r. Returns r->exit_code.
 */
int prot_ua_update_run(struct prot_ua_update *u, struct mctp *mctp,
		       const struct prot_ua_link *link,
		       const struct prot_ua_update_options *o,
		       const struct pldm_package *pkg,
		       struct prot_ua_update_report *r);

/* Name of a PLDM firmware update command ("RequestUpdate", ...). */
const char *prot_ua_fw_command_name(uint8_t cmd);

/* The update's result as one JSON object member list (no braces). */
void prot_ua_update_json(FILE *f, const struct prot_ua_update_report *r);

/*
 * Status: QueryDeviceIdentifiers, GetFirmwareParameters and GetStatus of
 * the FD at @fd_eid, printed on @out as text (@json false) or as JSON
 * members (",\"pldm\":{...}"). Registers its own type 0x01 handler on @mctp.
 * Returns a PROT_UA_EXIT_* code, @err set when not OK.
 */
int prot_ua_status_run(struct mctp *mctp, const struct prot_ua_link *link,
		       uint8_t fd_eid, uint32_t timeout_ms, bool json,
		       FILE *out, char *err, size_t errlen);

#endif /* PROT_UA_UPDATE_H */
