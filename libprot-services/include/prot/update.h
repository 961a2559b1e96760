/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Firmware update service and boot: dual banks per component, signed
 * images (prot/image.h), anti-rollback floors in OTP (prot/platform.h),
 * state kept in the tear-proof A/B record store (prot/meta.h).
 *
 * The API follows the PSA Firmware Update API's component states:
 *
 *   READY --start--> WRITING --write...--> WRITING --finish--> CANDIDATE
 *   WRITING/CANDIDATE --cancel--> FAILED --clean--> READY
 *   finish refusing the image --> FAILED
 *   CANDIDATE --install (all candidates together)--> STAGED
 *   STAGED --reject--> FAILED
 *   STAGED --reboot (prot_boot)--> TRIAL (the new bank runs)
 *   TRIAL --accept (all together)--> UPDATED --clean--> READY
 *   TRIAL --reject--> REJECTED --reboot--> FAILED (the old bank runs)
 *   TRIAL --reboot before accept--> FAILED (the old bank runs: revert)
 *
 * Every call in a state that does not allow it returns -EBUSY and changes
 * nothing. The layout, the record and every cut point are described in
 * docs/update-service.md.
 *
 * Usage at every start: prot_update_init(), then prot_boot() (which loads
 * the metadata, verifies the banks, decides what runs), then the update
 * calls. No heap; the caller owns struct prot_update (a few KiB: give it
 * static storage).
 */
#ifndef PROT_UPDATE_H
#define PROT_UPDATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "prot/image.h"
#include "prot/log.h"
#include "prot/meta.h"
#include "prot/platform.h"
#include "spdm/crypto.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Components one instance manages (each also indexes an OTP SVN floor). */
#ifndef PROT_UPDATE_MAX_COMPONENTS
#define PROT_UPDATE_MAX_COMPONENTS 4u
#endif

/* Record format version (docs/update-service.md). */
#define PROT_UPDATE_RECORD_FORMAT 1u

/* Bank states, persisted per bank. */
enum prot_update_bank_state {
	PROT_UPDATE_BANK_EMPTY = 0,   /* nothing known (fresh device) */
	PROT_UPDATE_BANK_WRITTEN = 1, /* a download started: contents unknown */
	PROT_UPDATE_BANK_CANDIDATE = 2, /* reserved: candidates live in RAM */
	PROT_UPDATE_BANK_STAGED = 3,    /* installed, waiting for the reboot */
	PROT_UPDATE_BANK_TRIAL = 4,     /* running on trial */
	PROT_UPDATE_BANK_VALID = 5,     /* accepted (or found at first boot) */
	PROT_UPDATE_BANK_INVALID = 6,   /* rejected or reverted: never run */
};

/* Component states (PSA Firmware Update). */
enum prot_update_state {
	PROT_UPDATE_READY = 0,
	PROT_UPDATE_WRITING = 1,
	PROT_UPDATE_CANDIDATE = 2,
	PROT_UPDATE_STAGED = 3,
	PROT_UPDATE_TRIAL = 4,
	PROT_UPDATE_REJECTED = 5,
	PROT_UPDATE_FAILED = 6,
	PROT_UPDATE_UPDATED = 7,
};

/* One bank as the record keeps it (16 bytes). */
struct prot_update_bank_record {
	uint32_t comparison_stamp; /* image's version stamp */
	uint32_t svn;
	uint32_t image_size; /* header + payload */
	uint8_t state;       /* enum prot_update_bank_state */
	uint8_t reserved[3];
};

/* One component as the record keeps it (48 bytes). */
struct prot_update_component_record {
	struct prot_update_bank_record bank[2];
	uint16_t component_id;
	uint8_t active;      /* accepted bank: 0 (A) or 1 (B) */
	uint8_t state;       /* enum prot_update_state, persisted ones */
	uint8_t trial_boots; /* boots of the trial bank so far */
	uint8_t svn_pending; /* accept done, OTP floor raise to finish */
	uint16_t reserved;
	uint32_t install_seq; /* install number that staged the trial */
	uint32_t restores;    /* corrupted active bank restored */
};

/*
 * The metadata record (prot_meta record bytes, host byte order: little
 * endian on every supported target). Fixed layout without padding.
 */
struct prot_update_record {
	uint32_t format; /* PROT_UPDATE_RECORD_FORMAT */
	uint32_t install_seq;
	uint32_t recovery_events; /* restores, reverts, metadata rebuilt */
	uint8_t n_components;
	uint8_t reserved[3];
	struct prot_update_component_record comp[PROT_UPDATE_MAX_COMPONENTS];
};

/**
 * One component of the layout.
 * @component_id: what the image header must name.
 * @otp_index: index of its SVN floor in OTP (0..PROT_OTP_SVN_COMPONENTS-1).
 * @bank_offset: start of bank A ([0]) and bank B ([1]) in the flash,
 *     multiples of erase_size; each bank is bank_size bytes.
 */
struct prot_update_component {
	uint16_t component_id;
	uint8_t otp_index;
	uint32_t bank_offset[2];
};

/**
 * The service's configuration (copied by prot_update_init()).
 * @flash, @otp: platform ops; must outlive the instance.
 * @crypto, @crypto_ctx: SHA-384 and ECDSA P-384 (libspdm-lite ops).
 * @bank_size: bytes per bank, a non-zero multiple of erase_size.
 * @meta_offset, @meta_copy_size: the prot_meta region (2 copies).
 * @max_trial_boots: boots a trial image gets before it is reverted
 *     (1..255; 0 means 1: a reboot before accept reverts).
 * @n_components, @components: the layout; regions must not overlap.
 * @log_ops, @log_ctx, @log_level: optional (prot/log.h; NULL: no logging):
 *     each component state transition at PROT_LOG_INFO; boot decisions:
 *     trial started, install, accept, SVN floor raised at NOTICE; revert,
 *     restore, fallback, metadata rebuilt, recovery mode at WARNING; a
 *     forbidden transition (a bug) and a failed boot at ERR. Levels above
 *     @log_level are not passed (0: every level). @log_ops must outlive
 *     the instance. Ignored when built with -Dprot_log=false.
 */
struct prot_update_config {
	const struct prot_flash_ops *flash;
	const struct prot_otp_ops *otp;
	const struct spdm_crypto_ops *crypto;
	void *crypto_ctx;
	uint32_t bank_size;
	uint32_t meta_offset;
	uint32_t meta_copy_size;
	uint8_t max_trial_boots;
	uint8_t n_components;
	struct prot_update_component components[PROT_UPDATE_MAX_COMPONENTS];
	const struct prot_log_ops *log_ops;
	void *log_ctx;
	enum prot_log_level log_level;
};

/* Per component RAM state (private). */
struct prot_update_slot {
	uint8_t state;    /* enum prot_update_state */
	int8_t run_bank;  /* bank prot_boot() chose, -1: none */
	uint32_t written; /* bytes received by write() */
	uint32_t erased;  /* bytes of the target bank erased */
	uint8_t pend[PROT_FLASH_MAX_PROGRAM_SIZE]; /* partial program unit */
	uint32_t pend_len;
	int last_error;               /* finish verdict or last refusal */
	struct prot_image_header hdr; /* candidate's header */
};

/* The service; caller-owned, fields private. */
struct prot_update {
	struct prot_update_config cfg;
	struct prot_meta meta;
	struct prot_update_record rec;
	struct prot_update_slot slot[PROT_UPDATE_MAX_COMPONENTS];
	bool booted;
	struct prot_image_work work;
	struct prot_image_result result;
	uint8_t copy_buf[256];
};

/**
 * prot_update_init() - check @cfg and set @up up. Touches no flash.
 * Returns 0 or -EINVAL (NULL, bad flash/OTP description, missing crypto,
 * bad geometry, misaligned or overlapping regions, regions outside the
 * device, n_components 0 or above PROT_UPDATE_MAX_COMPONENTS, an
 * otp_index out of range, duplicate component ids), -EMSGSIZE (the record
 * does not fit a metadata copy).
 */
int prot_update_init(struct prot_update *up,
		     const struct prot_update_config *cfg);

/* prot_boot() verdicts. */
enum prot_boot_status {
	PROT_BOOT_OK = 0,       /* every component has an image to run */
	PROT_BOOT_RECOVERY = 1, /* some component has no authentic image */
};

/* What prot_boot() did to a component (bits of .events). */
#define PROT_BOOT_EV_TRIAL_STARTED 0x01u /* STAGED -> TRIAL */
#define PROT_BOOT_EV_REVERTED 0x02u      /* trial not accepted: old bank */
#define PROT_BOOT_EV_RESTORED 0x04u      /* active bank copied back */
#define PROT_BOOT_EV_FALLBACK 0x08u      /* runs the backup bank as is */
#define PROT_BOOT_EV_META_REBUILT 0x10u  /* metadata lost: banks scanned */
#define PROT_BOOT_EV_SVN_RAISED 0x20u    /* finished an accept's raise */

/**
 * One component's boot decision.
 * @bank: the bank to run (0 A, 1 B), -1 in recovery mode.
 * @offset: flash offset of that bank; the image header starts there.
 * @header: its header (authentic when @bank >= 0).
 * @events: PROT_BOOT_EV_* bits.
 */
struct prot_boot_component {
	int bank;
	uint32_t offset;
	struct prot_image_header header;
	uint32_t events;
};

struct prot_boot_report {
	enum prot_boot_status status;
	struct prot_boot_component comp[PROT_UPDATE_MAX_COMPONENTS];
};

/**
 * prot_boot() - decide what runs; call at every start, before any other
 * call.
 *
 * Loads the metadata (either copy; when none is readable, scans the banks
 * and keeps the authentic ones as VALID, preferring the higher SVN, then
 * bank A), finishes an interrupted accept (OTP floor raise), turns STAGED
 * components into TRIAL (all together), reverts a TRIAL that used up its
 * boots or whose image no longer verifies (all together), turns REJECTED
 * into FAILED, verifies the bank each component runs and, when it does
 * not verify, restores it from the other bank if that one is VALID and
 * authentic (copy, re-verify; else run the other bank as is). Every
 * image is verified against the OTP key hash and SVN floor: nothing
 * unverified is ever reported as runnable.
 *
 * Returns 0 with @report filled (status OK or RECOVERY); -EINVAL; or a
 * flash/OTP error (power loss): call again after restart. @report is
 * filled with every bank -1 on error.
 */
int prot_boot(struct prot_update *up, struct prot_boot_report *report);

/**
 * prot_update_start() - begin a download for component @index (not the
 * id: its position in the config) into its inactive bank.
 * The component must be READY and no component may be STAGED, TRIAL or
 * REJECTED. Records the inactive bank as WRITTEN (it stops being a backup)
 * before anything is erased. Returns 0, -EINVAL, -EBUSY (state), or a
 * flash error.
 */
int prot_update_start(struct prot_update *up, unsigned int index);

/**
 * prot_update_write() - store @len bytes of the image at @offset (@data
 * read during the call). Writes come in order: @offset must equal the
 * bytes written so far. Erases bank blocks as the image reaches them.
 * Returns 0; -EINVAL (NULL with len > 0, bad index); -EBUSY (not
 * WRITING); -EOVERFLOW (@offset + @len wraps 32 bits); -ENOSPC (past the
 * bank's end); -ESPIPE (out of order); or a flash error (the component
 * stays WRITING; cancel and start again). A refused write changes
 * nothing.
 */
int prot_update_write(struct prot_update *up, unsigned int index,
		      uint32_t offset, const uint8_t *data, size_t len);

/**
 * prot_update_finish() - the image is complete: verify it in the bank.
 * WRITING -> CANDIDATE when authentic (signature, OTP key hash, component
 * id, size <= bank, SVN >= OTP floor); -> FAILED otherwise.
 * Returns 0; -EBUSY; -ENOENT (OTP key hash not provisioned); the image
 * errno of prot_image_verify() (-ENODATA truncated, -EBADMSG, -EPROTO,
 * -EPROTONOSUPPORT, -ENODEV wrong component, -EFBIG oversized, -EACCES
 * wrong key, -EPERM signature, -EILSEQ digest, -ESTALE SVN, -EIO); or a
 * flash error (component stays WRITING).
 */
int prot_update_finish(struct prot_update *up, unsigned int index);

/**
 * prot_update_cancel() - abandon a download: WRITING or CANDIDATE ->
 * FAILED. Returns 0, -EINVAL, -EBUSY.
 */
int prot_update_cancel(struct prot_update *up, unsigned int index);

/**
 * prot_update_clean() - FAILED or UPDATED -> READY (persisted). The bank
 * is left as it is (the next start erases it; an UPDATED component keeps
 * its previous image as recovery copy). Returns 0, -EINVAL, -EBUSY or a
 * flash error.
 */
int prot_update_clean(struct prot_update *up, unsigned int index);

/**
 * prot_update_install() - every CANDIDATE component -> STAGED in one
 * metadata commit, after verifying each again (with the current floor).
 * The trial starts at the next prot_boot(). Returns 0; -EBUSY (no
 * candidate, a component WRITING, or a trial/staged install present); an
 * image errno if a candidate no longer verifies (it becomes FAILED,
 * nothing is staged); or a flash error.
 */
int prot_update_install(struct prot_update *up);

/**
 * prot_update_accept() - confirm the running trial: every TRIAL component
 * -> UPDATED (its bank becomes the active one), then the OTP SVN floor is
 * raised to each image's SVN. The trial banks are verified again first.
 * Returns 0; -EBUSY (no TRIAL component); an image errno (nothing
 * accepted); or a flash/OTP error (prot_boot() finishes the raise).
 */
int prot_update_accept(struct prot_update *up);

/**
 * prot_update_reject() - STAGED components -> FAILED, or TRIAL components
 * -> REJECTED (the next boot runs the previous images), all together.
 * Returns 0, -EBUSY (none staged or on trial), or a flash error.
 */
int prot_update_reject(struct prot_update *up);

/** What prot_update_query() reports. */
struct prot_update_info {
	enum prot_update_state state;
	uint8_t active;   /* accepted bank */
	int run_bank;     /* bank running now, -1: none */
	uint32_t written; /* bytes received (WRITING) */
	int last_error;   /* last finish/install verdict */
	struct prot_update_component_record record;
};

/**
 * prot_update_query() - state of component @index. Returns 0 or -EINVAL.
 */
int prot_update_query(const struct prot_update *up, unsigned int index,
		      struct prot_update_info *info);

/**
 * prot_update_transition_allowed() - whether a component may go from state
 * @from to state @to (enum prot_update_state): the const table every
 * state change of the service and of prot_boot() is checked against.
 *
 *   READY -> WRITING (start); WRITING -> CANDIDATE | FAILED (finish,
 *   cancel); CANDIDATE -> STAGED | FAILED (install, cancel); STAGED ->
 *   TRIAL (boot) | FAILED (reject, revert) | UPDATED (boot keeps the new
 *   image when the old one is gone); TRIAL -> UPDATED (accept) | REJECTED
 *   (reject) | FAILED (revert); REJECTED -> FAILED (boot); FAILED,
 *   UPDATED -> READY (clean). Staying (a further trial boot) is allowed.
 *
 * A change not in the table is a bug: it asserts in debug builds and is
 * refused (the state stays) otherwise. Loading the states from the record
 * at boot and restoring the record after a failed commit are not
 * transitions.
 */
bool prot_update_transition_allowed(enum prot_update_state from,
				    enum prot_update_state to);

/** A short fixed name for a state ("ready", "writing", ...). */
const char *prot_update_state_name(enum prot_update_state state);

#ifdef __cplusplus
}
#endif

#endif /* PROT_UPDATE_H */
