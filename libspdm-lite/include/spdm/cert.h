/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libspdm-lite: certificate slots, GET_DIGESTS / DIGESTS and
 * GET_CERTIFICATE / CERTIFICATE (DSP0274 1.0 to 1.3), the types both roles
 * use for them, and the requester's verification verdict.
 *
 * SPDM certificate chain (DSP0274 "Certificate chain format"): Length (2
 * bytes, little-endian: the whole chain, this header included), Reserved
 * (2), RootHash (the digest of the root certificate's DER with the
 * negotiated BaseHashAlgo, H bytes), then one or more DER certificates,
 * root (or a certificate signed by it) first and leaf last. Its digest in
 * DIGESTS is H(whole chain).
 *
 * Transcript M1/M2 (for CHALLENGE_AUTH): message A, then every
 * GET_DIGESTS, DIGESTS, GET_CERTIFICATE and CERTIFICATE exchanged, in
 * order (only successful exchanges: a request answered with ERROR is not
 * part of it). Both roles keep it as a running hash (struct
 * spdm_running_hash), started with message A at the first of these
 * messages after ALGORITHMS. It is discarded by GET_VERSION (a new
 * connection) and, as DSP0274 asks when CHALLENGE was skipped, by any
 * GET_MEASUREMENTS, KEY_EXCHANGE, FINISH, PSK_EXCHANGE, PSK_FINISH,
 * KEY_UPDATE, HEARTBEAT, GET_ENCAPSULATED_REQUEST,
 * DELIVER_ENCAPSULATED_RESPONSE or END_SESSION request. CHALLENGE
 * (spdm/challenge.h) finishes it; a GET_DIGESTS or CHALLENGE after that
 * starts a new one from message A.
 */
#ifndef SPDM_CERT_H
#define SPDM_CERT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "spdm/config.h"
#include "spdm/crypto.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Message sizes (DSP0274 GET_DIGESTS, GET_CERTIFICATE, CERTIFICATE). */
#define SPDM_GET_DIGESTS_SIZE 4u
#define SPDM_GET_CERTIFICATE_SIZE 8u
#define SPDM_CERTIFICATE_FIXED_SIZE 8u
/* Chain header: Length (2), Reserved (2); RootHash follows. */
#define SPDM_CERT_CHAIN_HEADER_SIZE 4u
/* SPDM has eight slots (SlotID 0..7). */
#define SPDM_SLOT_COUNT 8u
/* GET_CERTIFICATE Param1: SlotID in bits 3:0. Param2 (1.3):
 * SlotSizeRequested. */
#define SPDM_CERT_SLOT_ID_MASK 0x0Fu
#define SPDM_GET_CERT_SLOT_SIZE_REQUESTED 0x01u

/* The verdict of a verified certificate chain. Any other value means not
 * verified. */
#define SPDM_VERIFIED 0x5A5AA5A5u

/* Why the requester's certificate flow did not verify (or NONE). */
enum spdm_cert_reason {
	SPDM_CERT_REASON_NONE = 0,   /* verified */
	SPDM_CERT_REASON_INCOMPLETE, /* flow not run or not finished (an
					 * ERROR response, a timeout) */
	SPDM_CERT_REASON_MALFORMED,  /* a DIGESTS or CERTIFICATE response
					 * that breaks its DSP0274 table */
	SPDM_CERT_REASON_SLOT_NOT_PROVISIONED, /* slot not in DIGESTS mask */
	SPDM_CERT_REASON_PORTION_TOO_LONG,   /* PortionLength > Length asked */
	SPDM_CERT_REASON_REMAINDER_MISMATCH, /* offset + PortionLength +
					      * RemainderLength changed */
	SPDM_CERT_REASON_CHAIN_TOO_LARGE,    /* > SPDM_MAX_CERT_CHAIN_SIZE */
	SPDM_CERT_REASON_CHAIN_TOO_SHORT,    /* no room for a certificate */
	SPDM_CERT_REASON_LENGTH_FIELD,    /* chain Length != bytes received */
	SPDM_CERT_REASON_DIGEST_MISMATCH, /* H(chain) != digest in DIGESTS */
	SPDM_CERT_REASON_BAD_CERT,        /* a certificate that is not DER */
	SPDM_CERT_REASON_ROOT_HASH_MISMATCH, /* RootHash != H(first cert) */
	SPDM_CERT_REASON_UNTRUSTED, /* crypto chain_verify refused the path */
	SPDM_CERT_REASON_KEY_MISMATCH, /* leaf key not of the negotiated
					* BaseAsymAlgo */
	SPDM_CERT_REASON_CRYPTO,       /* a hash op failed */
};

/**
 * One certificate slot of a responder: the whole SPDM certificate chain
 * (format above), @len bytes, NULL/0 for an empty slot. Its Length field
 * must equal @len (at most 65535).
 */
struct spdm_cert_slot {
	const uint8_t *chain;
	size_t len;
};

/** A transcript kept as a running hash (M1/M2). */
struct spdm_running_hash {
	struct spdm_hash_state state;
	bool started;
};

/** Responder side of the certificate exchanges (rsp-cert.c). */
struct spdm_rsp_cert {
	uint8_t provisioned; /* slot mask */
	struct spdm_running_hash m1;
};

/** Requester side of the certificate flow (req-cert.c). */
struct spdm_req_cert {
	uint8_t slot;      /* slot being fetched */
	uint8_t slot_mask; /* from DIGESTS */
	uint16_t portion;  /* Length asked per GET_CERTIFICATE (0: max) */
	uint16_t asked;    /* Length of the request in flight */
	uint32_t offset;   /* bytes of the chain received */
	uint32_t total;    /* chain size announced (0: not yet known) */
	uint32_t verdict;  /* SPDM_VERIFIED or not */
	enum spdm_cert_reason reason;
	uint8_t digest[SPDM_MAX_HASH_SIZE];   /* the slot's digest (DIGESTS) */
	uint8_t pubkey[SPDM_MAX_PUBKEY_SIZE]; /* leaf key once verified */
	uint8_t pubkey_len;
	struct spdm_running_hash m1;
	uint8_t chain[SPDM_MAX_CERT_CHAIN_SIZE];
};

#ifdef __cplusplus
}
#endif

#endif /* SPDM_CERT_H */
