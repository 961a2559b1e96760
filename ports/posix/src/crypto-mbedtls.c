/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libspdm-lite crypto ops on mbedTLS: PSA Crypto for hashes, ECDSA and
 * random numbers, the X.509 module for certificate chains. The only code
 * that differs between mbedTLS 2.28 and 3.6 is how a parsed key (pk
 * module) reaches PSA: pk_parse() and pk_import() below.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <mbedtls/asn1.h>
#include <mbedtls/pk.h>
#include <mbedtls/platform_util.h>
#include <mbedtls/version.h>
#include <mbedtls/x509_crt.h>
#include <psa/crypto.h>

#include "crypto-ext.h"
#include "prot-posix/crypto.h"

#if MBEDTLS_VERSION_NUMBER >= 0x03060000
#define PROT_MBEDTLS_3 1
#elif MBEDTLS_VERSION_NUMBER >= 0x021C0000 &&                                  \
	MBEDTLS_VERSION_NUMBER < 0x03000000
#define PROT_MBEDTLS_3 0
#else
#error "the POSIX crypto port needs mbedTLS 2.28.x or 3.6 or later"
#endif

/* Marks a hash state started by hash_init, so that update/final on a
 * state that is not running fail instead of using garbage. */
#define HASH_MAGIC 0x48415348u

struct hash_ctx {
	uint32_t magic;
	uint32_t alg; /* enum spdm_hash_alg */
	psa_hash_operation_t op;
};

_Static_assert(sizeof(struct hash_ctx) <= SPDM_HASH_STATE_SIZE,
	       "psa_hash_operation_t does not fit struct spdm_hash_state: "
	       "raise the spdm_hash_state_size option");
_Static_assert(_Alignof(struct hash_ctx) <= _Alignof(struct spdm_hash_state),
	       "struct spdm_hash_state is not aligned enough for PSA");

static struct hash_ctx *hash_ctx(struct spdm_hash_state *state)
{
	/* The alignment is checked above; the void cast tells the compiler
	 * so. */
	return (struct hash_ctx *)(void *)state->opaque;
}

struct prot_crypto *prot_crypto_ready(void *ctx)
{
	struct prot_crypto *c = ctx;

	return c && c->ready ? c : NULL;
}

static struct prot_crypto *ready_ctx(void *ctx)
{
	return prot_crypto_ready(ctx);
}

/* The key and curve of slot @slot (0 .. SPDM_MAX_SLOTS - 1 or 0xFF), NULL
 * for any other slot number. */
static mbedtls_svc_key_id_t *slot_ref(struct prot_crypto *c, uint8_t slot,
				      enum spdm_asym_alg **alg)
{
	if (slot == PROT_CRYPTO_SLOT_PROVISIONED) {
		*alg = &c->prov_alg;
		return &c->prov_key;
	}
	if (slot >= SPDM_MAX_SLOTS)
		return NULL;
	*alg = &c->slot_alg[slot];
	return &c->slot_key[slot];
}

static psa_algorithm_t psa_hash_of(enum spdm_hash_alg alg)
{
	switch (alg) {
	case SPDM_HASH_SHA256:
		return PSA_ALG_SHA_256;
	case SPDM_HASH_SHA384:
		return PSA_ALG_SHA_384;
	case SPDM_HASH_SHA512:
		return PSA_ALG_SHA_512;
#if defined(PSA_WANT_ALG_SHA3_256)
	case SPDM_HASH_SHA3_256:
		return PSA_ALG_SHA3_256;
#endif
#if defined(PSA_WANT_ALG_SHA3_384)
	case SPDM_HASH_SHA3_384:
		return PSA_ALG_SHA3_384;
#endif
#if defined(PSA_WANT_ALG_SHA3_512)
	case SPDM_HASH_SHA3_512:
		return PSA_ALG_SHA3_512;
#endif
	default:
		return 0;
	}
}

/* ECDSA hashes nothing itself here: the algorithm only tells PSA the
 * digest size, and SPDM pairs any BaseHashAlgo with any BaseAsymAlgo. */
static psa_algorithm_t ecdsa_alg_for(size_t digest_len)
{
	switch (digest_len) {
	case 32:
		return PSA_ALG_ECDSA(PSA_ALG_SHA_256);
	case 48:
		return PSA_ALG_ECDSA(PSA_ALG_SHA_384);
	case 64:
		return PSA_ALG_ECDSA(PSA_ALG_SHA_512);
	default:
		return 0;
	}
}

static uint32_t crypto_hash_algos(void *ctx)
{
	uint32_t m = 0;

	if (!ready_ctx(ctx))
		return 0;
	for (int a = SPDM_HASH_SHA256; a <= SPDM_HASH_SHA3_512; a++)
		if (psa_hash_of((enum spdm_hash_alg)a))
			m |= 1u << a;
	return m;
}

static uint32_t crypto_asym_algos(void *ctx)
{
	if (!ready_ctx(ctx))
		return 0;
	return 1u << SPDM_ASYM_ECDSA_P256 | 1u << SPDM_ASYM_ECDSA_P384;
}

static int crypto_hash_init(void *ctx, struct spdm_hash_state *state,
			    enum spdm_hash_alg alg)
{
	struct hash_ctx *h;
	psa_algorithm_t palg;
	psa_status_t st;

	if (!ready_ctx(ctx) || !state)
		return -EINVAL;
	if (alg <= SPDM_HASH_NONE || alg > SPDM_HASH_SHA3_512)
		return -EINVAL;
	palg = psa_hash_of(alg);
	if (!palg)
		return -ENOTSUP;

	/* Whatever @state held is dead (finished, aborted or never used). */
	h = hash_ctx(state);
	memset(h, 0, sizeof(*h));
	h->op = psa_hash_operation_init();
	st = psa_hash_setup(&h->op, palg);
	if (st != PSA_SUCCESS) {
		psa_hash_abort(&h->op);
		return st == PSA_ERROR_NOT_SUPPORTED ? -ENOTSUP : -EIO;
	}
	h->alg = (uint32_t)alg;
	h->magic = HASH_MAGIC;
	return 0;
}

static struct hash_ctx *running(struct spdm_hash_state *state)
{
	struct hash_ctx *h;

	if (!state)
		return NULL;
	h = hash_ctx(state);
	return h->magic == HASH_MAGIC ? h : NULL;
}

static void hash_release(struct hash_ctx *h)
{
	psa_hash_abort(&h->op);
	memset(h, 0, sizeof(*h));
}

static int crypto_hash_update(void *ctx, struct spdm_hash_state *state,
			      const uint8_t *data, size_t len)
{
	struct hash_ctx *h = running(state);

	if (!ready_ctx(ctx) || !h || (!data && len))
		return -EINVAL;
	if (!len)
		return 0;
	if (psa_hash_update(&h->op, data, len) != PSA_SUCCESS) {
		hash_release(h);
		return -EIO;
	}
	return 0;
}

static int crypto_hash_final(void *ctx, struct spdm_hash_state *state,
			     uint8_t *digest)
{
	struct hash_ctx *h = running(state);
	size_t size, out_len = 0;
	psa_status_t st;

	if (!h)
		return -EINVAL;
	if (!ready_ctx(ctx) || !digest) {
		hash_release(h);
		return -EINVAL;
	}
	size = spdm_hash_size((enum spdm_hash_alg)h->alg);
	st = psa_hash_finish(&h->op, digest, size, &out_len);
	hash_release(h);
	if (st != PSA_SUCCESS || out_len != size)
		return -EIO;
	return 0;
}

static void crypto_hash_abort(void *ctx, struct spdm_hash_state *state)
{
	struct hash_ctx *h = running(state);

	(void)ctx;
	if (h)
		hash_release(h);
}

static int crypto_sign(void *ctx, uint8_t slot, enum spdm_asym_alg alg,
		       const uint8_t *digest, size_t digest_len, uint8_t *sig,
		       size_t sig_len)
{
	struct prot_crypto *c = ready_ctx(ctx);
	psa_algorithm_t palg = ecdsa_alg_for(digest_len);
	mbedtls_svc_key_id_t *key;
	enum spdm_asym_alg *key_alg;
	size_t out_len = 0;
	psa_status_t st;

	if (!c || !digest || !sig || !palg)
		return -EINVAL;
	key = slot_ref(c, slot, &key_alg);
	if (!key || mbedtls_svc_key_id_is_null(*key) || *key_alg != alg ||
	    sig_len != spdm_sig_size(alg))
		return -EINVAL;
	st = psa_sign_hash(*key, palg, digest, digest_len, sig, sig_len,
			   &out_len);
	if (st != PSA_SUCCESS || out_len != sig_len) {
		memset(sig, 0, sig_len);
		return -EIO;
	}
	return 0;
}

/* A volatile PSA key for the public point @pubkey (0x04 || X || Y). */
static int import_public(const uint8_t *pubkey, size_t pubkey_len,
			 mbedtls_svc_key_id_t *id)
{
	psa_key_attributes_t attr = PSA_KEY_ATTRIBUTES_INIT;
	psa_status_t st;

	psa_set_key_type(&attr,
			 PSA_KEY_TYPE_ECC_PUBLIC_KEY(PSA_ECC_FAMILY_SECP_R1));
	psa_set_key_bits(&attr, (pubkey_len - 1) / 2 * 8);
	psa_set_key_usage_flags(&attr, PSA_KEY_USAGE_VERIFY_HASH);
	psa_set_key_algorithm(&attr, PSA_ALG_ECDSA(PSA_ALG_ANY_HASH));
	st = psa_import_key(&attr, pubkey, pubkey_len, id);
	psa_reset_key_attributes(&attr);
	if (st == PSA_SUCCESS)
		return 0;
	return st == PSA_ERROR_INVALID_ARGUMENT || st == PSA_ERROR_NOT_SUPPORTED
		       ? -EBADMSG
		       : -EIO;
}

static int crypto_verify(void *ctx, enum spdm_asym_alg alg,
			 const uint8_t *pubkey, size_t pubkey_len,
			 const uint8_t *digest, size_t digest_len,
			 const uint8_t *sig, size_t sig_len)
{
	psa_algorithm_t palg = ecdsa_alg_for(digest_len);
	size_t size = spdm_sig_size(alg);
	mbedtls_svc_key_id_t id = MBEDTLS_SVC_KEY_ID_INIT;
	psa_status_t st;
	int rc;

	if (!ready_ctx(ctx) || !pubkey || !digest || !sig || !palg || !size)
		return -EINVAL;
	if (pubkey_len != 1 + size || sig_len != size)
		return -EINVAL;
	if (pubkey[0] != 0x04)
		return -EBADMSG;
	rc = import_public(pubkey, pubkey_len, &id);
	if (rc)
		return rc;
	st = psa_verify_hash(id, palg, digest, digest_len, sig, sig_len);
	psa_destroy_key(id);
	if (st == PSA_SUCCESS)
		return 0;
	return st == PSA_ERROR_INVALID_SIGNATURE ? -EPERM : -EIO;
}

#if PROT_MBEDTLS_3
/* mbedTLS 3.6: key parsing wants a random generator (for blinding), and
 * the pk module exports keys to PSA itself. */
static int pk_rng(void *p, unsigned char *out, size_t len)
{
	(void)p;
	return psa_generate_random(out, len) == PSA_SUCCESS ? 0 : -1;
}

static int pk_parse(mbedtls_pk_context *pk, const uint8_t *buf, size_t len)
{
	return mbedtls_pk_parse_key(pk, buf, len, NULL, 0, pk_rng, NULL);
}

static enum spdm_asym_alg asym_of_bits(size_t bits)
{
	switch (bits) {
	case 256:
		return SPDM_ASYM_ECDSA_P256;
	case 384:
		return SPDM_ASYM_ECDSA_P384;
	default:
		return SPDM_ASYM_NONE;
	}
}

static int pk_import(const mbedtls_pk_context *pk, psa_key_usage_t usage,
		     psa_algorithm_t palg, mbedtls_svc_key_id_t *id,
		     enum spdm_asym_alg *alg)
{
	psa_key_attributes_t attr = PSA_KEY_ATTRIBUTES_INIT;
	psa_key_type_t type;
	int rc = 0;

	if (!mbedtls_pk_can_do(pk, MBEDTLS_PK_ECDSA))
		return -ENOTSUP;
	if (mbedtls_pk_get_psa_attributes(pk, usage, &attr))
		return -EBADMSG;
	type = psa_get_key_type(&attr);
	*alg = asym_of_bits(psa_get_key_bits(&attr));
	if (PSA_KEY_TYPE_ECC_GET_FAMILY(type) != PSA_ECC_FAMILY_SECP_R1 ||
	    *alg == SPDM_ASYM_NONE) {
		rc = -ENOTSUP;
		goto out;
	}
	psa_set_key_usage_flags(&attr, usage);
	psa_set_key_algorithm(&attr, palg);
	if (mbedtls_pk_import_into_psa(pk, &attr, id))
		rc = -EIO;
out:
	psa_reset_key_attributes(&attr);
	return rc;
}
#else
/* mbedTLS 2.28: the key is read from the ecp_keypair (public fields in
 * 2.x) and imported in the PSA formats: the raw private scalar, or the
 * uncompressed point. */
static int pk_parse(mbedtls_pk_context *pk, const uint8_t *buf, size_t len)
{
	return mbedtls_pk_parse_key(pk, buf, len, NULL, 0);
}

static int pk_import(const mbedtls_pk_context *pk, psa_key_usage_t usage,
		     psa_algorithm_t palg, mbedtls_svc_key_id_t *id,
		     enum spdm_asym_alg *alg)
{
	psa_key_attributes_t attr = PSA_KEY_ATTRIBUTES_INIT;
	const mbedtls_ecp_keypair *ec;
	uint8_t buf[1 + 2 * 48];
	size_t size, len;
	psa_status_t st;
	int rc = 0;

	if (!mbedtls_pk_can_do(pk, MBEDTLS_PK_ECDSA))
		return -ENOTSUP;
	ec = mbedtls_pk_ec(*pk);
	if (ec->grp.id == MBEDTLS_ECP_DP_SECP256R1)
		*alg = SPDM_ASYM_ECDSA_P256;
	else if (ec->grp.id == MBEDTLS_ECP_DP_SECP384R1)
		*alg = SPDM_ASYM_ECDSA_P384;
	else
		return -ENOTSUP;
	size = spdm_sig_size(*alg) / 2;

	if (usage & (PSA_KEY_USAGE_SIGN_HASH | PSA_KEY_USAGE_DERIVE)) {
		len = size;
		if (mbedtls_mpi_write_binary(&ec->d, buf, len))
			rc = -EBADMSG;
		psa_set_key_type(&attr, PSA_KEY_TYPE_ECC_KEY_PAIR(
						PSA_ECC_FAMILY_SECP_R1));
	} else {
		if (mbedtls_ecp_point_write_binary(&ec->grp, &ec->Q,
						   MBEDTLS_ECP_PF_UNCOMPRESSED,
						   &len, buf, sizeof(buf)))
			rc = -EBADMSG;
		psa_set_key_type(&attr, PSA_KEY_TYPE_ECC_PUBLIC_KEY(
						PSA_ECC_FAMILY_SECP_R1));
	}
	if (!rc) {
		psa_set_key_bits(&attr, size * 8);
		psa_set_key_usage_flags(&attr, usage);
		psa_set_key_algorithm(&attr, palg);
		st = psa_import_key(&attr, buf, len, id);
		if (st != PSA_SUCCESS)
			rc = st == PSA_ERROR_INVALID_ARGUMENT ? -EBADMSG : -EIO;
	}
	psa_reset_key_attributes(&attr);
	mbedtls_platform_zeroize(buf, sizeof(buf));
	return rc;
}
#endif

/* Offsets and sizes of the DER certificates in @certs; each must be a
 * complete SEQUENCE, and together they must cover every byte. */
static int split_chain(const uint8_t *certs, size_t len, size_t *off,
		       size_t *size, size_t *count)
{
	const uint8_t *end;
	size_t pos = 0, n = 0, body;
	unsigned char *p;

	if (!len)
		return -EBADMSG;
	end = certs + len;
	while (pos < len) {
		if (n == PROT_CRYPTO_MAX_CHAIN_CERTS)
			return -EBADMSG;
		p = (unsigned char *)(uintptr_t)(certs + pos);
		if (mbedtls_asn1_get_tag(&p, end, &body,
					 MBEDTLS_ASN1_CONSTRUCTED |
						 MBEDTLS_ASN1_SEQUENCE))
			return -EBADMSG;
		off[n] = pos;
		size[n] = (size_t)(p - (certs + pos)) + body;
		pos += size[n];
		n++;
	}
	*count = n;
	return 0;
}

static bool is_anchor(const struct prot_crypto *c, const uint8_t *der,
		      size_t len)
{
	for (const mbedtls_x509_crt *a = &c->anchors; a; a = a->next)
		if (a->raw.p && a->raw.len == len &&
		    !memcmp(a->raw.p, der, len))
			return true;
	return false;
}

static int leaf_pubkey(const mbedtls_x509_crt *leaf, uint8_t *pubkey,
		       size_t *pubkey_len)
{
	mbedtls_svc_key_id_t id = MBEDTLS_SVC_KEY_ID_INIT;
	enum spdm_asym_alg alg;
	size_t need, out_len = 0;
	psa_status_t st;
	int rc;

	rc = pk_import(&leaf->pk, PSA_KEY_USAGE_VERIFY_HASH,
		       PSA_ALG_ECDSA(PSA_ALG_ANY_HASH), &id, &alg);
	if (rc)
		return rc;
	need = 1 + spdm_sig_size(alg);
	if (*pubkey_len < need) {
		psa_destroy_key(id);
		return -EMSGSIZE;
	}
	st = psa_export_public_key(id, pubkey, *pubkey_len, &out_len);
	psa_destroy_key(id);
	if (st != PSA_SUCCESS || out_len != need)
		return -EIO;
	*pubkey_len = out_len;
	return 0;
}

static int crypto_chain_verify(void *ctx, const uint8_t *certs, size_t len,
			       uint8_t *pubkey, size_t *pubkey_len)
{
	struct prot_crypto *c = ready_ctx(ctx);
	size_t off[PROT_CRYPTO_MAX_CHAIN_CERTS];
	size_t size[PROT_CRYPTO_MAX_CHAIN_CERTS];
	mbedtls_x509_crt chain, root;
	size_t n = 0;
	uint32_t flags = 0;
	int rc;

	if (!c || (!certs && len) || !pubkey || !pubkey_len)
		return -EINVAL;
	if (!c->anchor_count)
		return -EINVAL;
	rc = split_chain(certs, len, off, size, &n);
	if (rc)
		return rc;
	if (!is_anchor(c, certs, size[0]))
		return -EPERM;

	/* The trust list holds only the chain's own root, so the path found
	 * must start there; mbedTLS wants the leaf first, then the
	 * intermediates towards the root. */
	mbedtls_x509_crt_init(&chain);
	mbedtls_x509_crt_init(&root);
	rc = -EBADMSG;
	if (mbedtls_x509_crt_parse_der(&root, certs, size[0]))
		goto out;
	for (size_t i = n; i-- > (n > 1 ? 1u : 0u);)
		if (mbedtls_x509_crt_parse_der(&chain, certs + off[i], size[i]))
			goto out;

	rc = -EPERM;
	if (mbedtls_x509_crt_verify(&chain, &root, NULL, NULL, &flags, NULL,
				    NULL) != 0 ||
	    flags != 0)
		goto out;
	if (mbedtls_x509_crt_check_key_usage(&chain,
					     MBEDTLS_X509_KU_DIGITAL_SIGNATURE))
		goto out;
	rc = leaf_pubkey(&chain, pubkey, pubkey_len);
out:
	mbedtls_x509_crt_free(&chain);
	mbedtls_x509_crt_free(&root);
	return rc;
}

static int crypto_random(void *ctx, uint8_t *out, size_t len)
{
	if (!ready_ctx(ctx) || (!out && len))
		return -EINVAL;
	if (!len)
		return 0;
	return psa_generate_random(out, len) == PSA_SUCCESS ? 0 : -EIO;
}

const struct spdm_crypto_ops prot_crypto_ops = {
	.hash_algos = crypto_hash_algos,
	.asym_algos = crypto_asym_algos,
	.hash_init = crypto_hash_init,
	.hash_update = crypto_hash_update,
	.hash_final = crypto_hash_final,
	.hash_abort = crypto_hash_abort,
	.sign = crypto_sign,
	.verify = crypto_verify,
	.chain_verify = crypto_chain_verify,
	.random = crypto_random,
	.dhe_groups = prot_crypto_dhe_groups,
	.dhe_generate = prot_crypto_dhe_generate,
	.dhe_compute = prot_crypto_dhe_compute,
	.dhe_compute_key = prot_crypto_dhe_compute_key,
	.dhe_free = prot_crypto_dhe_free,
	.hmac = prot_crypto_hmac,
	.hkdf_extract = prot_crypto_hkdf_extract,
	.hkdf_expand = prot_crypto_hkdf_expand,
	.aead_encrypt = prot_crypto_aead_encrypt,
	.aead_decrypt = prot_crypto_aead_decrypt,
	.zeroize = prot_crypto_zeroize,
};

int prot_crypto_init(struct prot_crypto *c)
{
	if (!c)
		return -EINVAL;
	memset(c, 0, sizeof(*c));
	mbedtls_x509_crt_init(&c->anchors);
	if (psa_crypto_init() != PSA_SUCCESS)
		return -EIO;
	c->ready = true;
	return 0;
}

void prot_crypto_free(struct prot_crypto *c)
{
	if (!c)
		return;
	for (unsigned int i = 0; i < SPDM_MAX_SLOTS; i++)
		if (!mbedtls_svc_key_id_is_null(c->slot_key[i]))
			psa_destroy_key(c->slot_key[i]);
	if (!mbedtls_svc_key_id_is_null(c->prov_key))
		psa_destroy_key(c->prov_key);
	for (unsigned int i = 0; i < PROT_CRYPTO_MAX_DHE_KEYS; i++)
		if (!mbedtls_svc_key_id_is_null(c->dhe_key[i]))
			psa_destroy_key(c->dhe_key[i]);
	mbedtls_x509_crt_free(&c->anchors);
	memset(c, 0, sizeof(*c));
}

/* PEM input, as mbedTLS recognises it: text with a BEGIN line. */
static bool is_pem(const uint8_t *buf, size_t len)
{
	static const char tag[] = "-----BEGIN ";

	for (size_t i = 0; i + sizeof(tag) - 1 <= len; i++)
		if (!memcmp(buf + i, tag, sizeof(tag) - 1))
			return true;
	return false;
}

/* A heap copy of @data with a NUL after it when it is PEM (mbedTLS takes
 * PEM only NUL-terminated, its length counting the NUL). */
static uint8_t *parse_copy(const uint8_t *data, size_t len, size_t *out_len)
{
	uint8_t *buf = malloc(len + 1);

	if (!buf)
		return NULL;
	memcpy(buf, data, len);
	buf[len] = 0;
	*out_len = len;
	if (is_pem(data, len) && data[len - 1] != 0)
		*out_len = len + 1;
	return buf;
}

static void wipe_free(uint8_t *buf, size_t len)
{
	if (!buf)
		return;
	mbedtls_platform_zeroize(buf, len);
	free(buf);
}

/* Parse the PEM or DER private key @key and import it into PSA with
 * @usage and @palg. */
static int load_private(const uint8_t *key, size_t len, psa_key_usage_t usage,
			psa_algorithm_t palg, mbedtls_svc_key_id_t *id,
			enum spdm_asym_alg *alg)
{
	mbedtls_pk_context pk;
	size_t parse_len;
	uint8_t *buf;
	int rc;

	if (!len)
		return -EBADMSG;
	if (len > PROT_CRYPTO_MAX_FILE_SIZE)
		return -EFBIG;
	buf = parse_copy(key, len, &parse_len);
	if (!buf)
		return -ENOMEM;
	mbedtls_pk_init(&pk);
	rc = pk_parse(&pk, buf, parse_len) ? -EBADMSG : 0;
	if (!rc)
		rc = pk_import(&pk, usage, palg, id, alg);
	mbedtls_pk_free(&pk);
	wipe_free(buf, len + 1);
	return rc;
}

int prot_crypto_load_slot_key(struct prot_crypto *c, uint8_t slot,
			      const uint8_t *key, size_t len)
{
	mbedtls_svc_key_id_t id = MBEDTLS_SVC_KEY_ID_INIT;
	enum spdm_asym_alg alg = SPDM_ASYM_NONE, *key_alg;
	mbedtls_svc_key_id_t *ref;
	int rc;

	if (!c || !c->ready || (!key && len))
		return -EINVAL;
	ref = slot_ref(c, slot, &key_alg);
	if (!ref)
		return -EINVAL;
	rc = load_private(key, len, PSA_KEY_USAGE_SIGN_HASH,
			  PSA_ALG_ECDSA(PSA_ALG_ANY_HASH), &id, &alg);
	if (rc)
		return rc;
	if (!mbedtls_svc_key_id_is_null(*ref))
		psa_destroy_key(*ref);
	*ref = id;
	*key_alg = alg;
	return 0;
}

int prot_crypto_export_slot_public(struct prot_crypto *c, uint8_t slot,
				   uint8_t *pubkey, size_t *pubkey_len)
{
	enum spdm_asym_alg *key_alg;
	mbedtls_svc_key_id_t *ref;
	size_t out_len = 0;
	psa_status_t st;

	if (!c || !c->ready || !pubkey || !pubkey_len)
		return -EINVAL;
	ref = slot_ref(c, slot, &key_alg);
	if (!ref || mbedtls_svc_key_id_is_null(*ref))
		return -EINVAL;
	if (*pubkey_len < 1 + spdm_sig_size(*key_alg))
		return -EMSGSIZE;
	st = psa_export_public_key(*ref, pubkey, *pubkey_len, &out_len);
	if (st != PSA_SUCCESS)
		return -EIO;
	*pubkey_len = out_len;
	return 0;
}

static enum spdm_dhe_group group_of(enum spdm_asym_alg alg)
{
	return alg == SPDM_ASYM_ECDSA_P256   ? SPDM_DHE_SECP256R1
	       : alg == SPDM_ASYM_ECDSA_P384 ? SPDM_DHE_SECP384R1
					     : SPDM_DHE_NONE;
}

static void set_dhe_key(struct prot_crypto *c, uint8_t key_id,
			mbedtls_svc_key_id_t id, enum spdm_dhe_group group)
{
	if (!mbedtls_svc_key_id_is_null(c->dhe_key[key_id]))
		psa_destroy_key(c->dhe_key[key_id]);
	c->dhe_key[key_id] = id;
	c->dhe_group[key_id] = group;
}

int prot_crypto_load_dhe_key(struct prot_crypto *c, uint8_t key_id,
			     const uint8_t *key, size_t len)
{
	mbedtls_svc_key_id_t id = MBEDTLS_SVC_KEY_ID_INIT;
	enum spdm_asym_alg alg = SPDM_ASYM_NONE;
	int rc;

	if (!c || !c->ready || key_id >= PROT_CRYPTO_MAX_DHE_KEYS ||
	    (!key && len))
		return -EINVAL;
	rc = load_private(key, len, PSA_KEY_USAGE_DERIVE, PSA_ALG_ECDH, &id,
			  &alg);
	if (rc)
		return rc;
	set_dhe_key(c, key_id, id, group_of(alg));
	return 0;
}

int prot_crypto_load_dhe_key_raw(struct prot_crypto *c, uint8_t key_id,
				 enum spdm_dhe_group group, const uint8_t *d,
				 size_t len)
{
	mbedtls_svc_key_id_t id = MBEDTLS_SVC_KEY_ID_INIT;
	psa_key_attributes_t attr = PSA_KEY_ATTRIBUTES_INIT;
	size_t size = prot_crypto_dhe_size(group);
	psa_status_t st;

	if (!c || !c->ready || key_id >= PROT_CRYPTO_MAX_DHE_KEYS || !d ||
	    !size || len != size)
		return -EINVAL;
	psa_set_key_type(&attr,
			 PSA_KEY_TYPE_ECC_KEY_PAIR(PSA_ECC_FAMILY_SECP_R1));
	psa_set_key_bits(&attr, size * 8);
	psa_set_key_usage_flags(&attr, PSA_KEY_USAGE_DERIVE);
	psa_set_key_algorithm(&attr, PSA_ALG_ECDH);
	st = psa_import_key(&attr, d, len, &id);
	psa_reset_key_attributes(&attr);
	if (st != PSA_SUCCESS)
		return st == PSA_ERROR_INVALID_ARGUMENT ? -EBADMSG : -EIO;
	set_dhe_key(c, key_id, id, group);
	return 0;
}

int prot_crypto_export_dhe_public(struct prot_crypto *c, uint8_t key_id,
				  uint8_t *pubkey, size_t *pubkey_len)
{
	size_t out_len = 0;
	psa_status_t st;

	if (!c || !c->ready || !pubkey || !pubkey_len)
		return -EINVAL;
	if (key_id >= PROT_CRYPTO_MAX_DHE_KEYS ||
	    mbedtls_svc_key_id_is_null(c->dhe_key[key_id]))
		return -ENOENT;
	if (*pubkey_len < 1 + 2 * prot_crypto_dhe_size(c->dhe_group[key_id]))
		return -EMSGSIZE;
	st = psa_export_public_key(c->dhe_key[key_id], pubkey, *pubkey_len,
				   &out_len);
	if (st != PSA_SUCCESS)
		return -EIO;
	*pubkey_len = out_len;
	return 0;
}

int prot_crypto_add_trust_anchor(struct prot_crypto *c, const uint8_t *cert,
				 size_t len)
{
	mbedtls_x509_crt tmp;
	unsigned int added = 0;
	size_t parse_len;
	uint8_t *buf;
	int rc = 0;

	if (!c || !c->ready || !cert || !len)
		return -EINVAL;
	if (len > PROT_CRYPTO_MAX_FILE_SIZE)
		return -EFBIG;
	buf = parse_copy(cert, len, &parse_len);
	if (!buf)
		return -ENOMEM;
	/* Parse everything aside first: a bundle with one bad certificate
	 * adds nothing. */
	mbedtls_x509_crt_init(&tmp);
	if (mbedtls_x509_crt_parse(&tmp, buf, parse_len) != 0)
		rc = -EBADMSG;
	for (const mbedtls_x509_crt *t = &tmp; !rc && t && t->raw.p;
	     t = t->next) {
		if (mbedtls_x509_crt_parse_der(&c->anchors, t->raw.p,
					       t->raw.len))
			rc = -EIO;
		else
			added++;
	}
	mbedtls_x509_crt_free(&tmp);
	free(buf);
	if (!rc && !added)
		rc = -EBADMSG;
	c->anchor_count += added;
	return rc;
}

/* The whole file at @path, in a heap buffer for the caller to wipe and
 * free. */
static int read_file(const char *path, uint8_t **out, size_t *out_len)
{
	struct stat st;
	uint8_t *buf;
	size_t len = 0;
	ssize_t n;
	int fd, rc = 0;

	if (!path)
		return -EINVAL;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0) {
		rc = -errno;
		close(fd);
		return rc;
	}
	if (!S_ISREG(st.st_mode) || st.st_size > PROT_CRYPTO_MAX_FILE_SIZE) {
		close(fd);
		return S_ISREG(st.st_mode) ? -EFBIG : -EINVAL;
	}
	buf = malloc((size_t)st.st_size + 1);
	if (!buf) {
		close(fd);
		return -ENOMEM;
	}
	while (len < (size_t)st.st_size) {
		n = read(fd, buf + len, (size_t)st.st_size - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			rc = -errno;
			break;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	if (rc) {
		wipe_free(buf, (size_t)st.st_size + 1);
		return rc;
	}
	*out = buf;
	*out_len = len;
	return 0;
}

int prot_crypto_load_slot_key_file(struct prot_crypto *c, uint8_t slot,
				   const char *path)
{
	uint8_t *buf = NULL;
	size_t len = 0;
	int rc;

	if (!c || !c->ready ||
	    (slot >= SPDM_MAX_SLOTS && slot != PROT_CRYPTO_SLOT_PROVISIONED))
		return -EINVAL;
	rc = read_file(path, &buf, &len);
	if (rc)
		return rc;
	rc = len ? prot_crypto_load_slot_key(c, slot, buf, len) : -EBADMSG;
	wipe_free(buf, len);
	return rc;
}

int prot_crypto_add_trust_anchor_file(struct prot_crypto *c, const char *path)
{
	uint8_t *buf = NULL;
	size_t len = 0;
	int rc;

	if (!c || !c->ready)
		return -EINVAL;
	rc = read_file(path, &buf, &len);
	if (rc)
		return rc;
	rc = len ? prot_crypto_add_trust_anchor(c, buf, len) : -EBADMSG;
	free(buf);
	return rc;
}

int prot_crypto_load_dhe_key_file(struct prot_crypto *c, uint8_t key_id,
				  const char *path)
{
	uint8_t *buf = NULL;
	size_t len = 0;
	int rc;

	if (!c || !c->ready || key_id >= PROT_CRYPTO_MAX_DHE_KEYS)
		return -EINVAL;
	rc = read_file(path, &buf, &len);
	if (rc)
		return rc;
	rc = len ? prot_crypto_load_dhe_key(c, key_id, buf, len) : -EBADMSG;
	wipe_free(buf, len);
	return rc;
}
