/* SPDX-License-Identifier: Apache-2.0 */
/*
 * prot-pkg keygen, sign and verify: vendor keys and signed images
 * (libprot-services' prot/image.h, docs/image-format.md). Hashing,
 * signing and verifying go through the POSIX port's crypto ops
 * (prot-posix/crypto.h, mbedTLS); keygen uses mbedTLS's pk module to
 * generate the key and write it as PEM. Nothing here does crypto itself.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <json-c/json.h>
#include <mbedtls/ctr_drbg.h>
#include <mbedtls/ecp.h>
#include <mbedtls/entropy.h>
#include <mbedtls/pk.h>
#include <mbedtls/platform_util.h>

#include "pldm/fw-package.h"
#include "prot-posix/crypto.h"
#include "prot/image.h"
#include "prot-pkg.h"

/* Room for a P-384 key in PEM (about 300 bytes) with margin. */
#define PEM_MAX 2048u

static int usage_error(const char *why)
{
	if (why)
		fprintf(stderr, "prot-pkg: %s\n", why);
	pkg_usage(stderr);
	return EXIT_USAGE;
}

/* A number in decimal or 0x hex, at most @max. */
static int parse_u32(const char *s, uint32_t max, uint32_t *out)
{
	unsigned long long x;
	char *end;

	if (!*s || *s == '-' || *s == '+' || *s == ' ')
		return -1;
	errno = 0;
	x = strtoull(s, &end, 0);
	if (*end || errno || x > max)
		return -1;
	*out = (uint32_t)x;
	return 0;
}

static void print_hex(FILE *f, const uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		fprintf(f, "%02x", p[i]);
}

static int crypto_start(struct prot_crypto *c)
{
	int rc = prot_crypto_init(c);

	if (rc)
		fprintf(stderr, "prot-pkg: crypto set-up failed: %s\n",
			strerror(-rc));
	return rc ? EXIT_IO : 0;
}

/* ---- keygen ---- */

/* Create @path with @mode, refusing to replace a file unless @force. */
static int write_new(const char *path, const uint8_t *data, size_t len,
		     mode_t mode, bool force)
{
	int fd = open(path, O_WRONLY | O_CREAT | (force ? O_TRUNC : O_EXCL),
		      mode);
	size_t done = 0;
	ssize_t n;

	if (fd < 0) {
		fprintf(stderr, "prot-pkg: %s: %s%s\n", path, strerror(errno),
			errno == EEXIST ? " (use --force to replace it)" : "");
		return -1;
	}
	if (fchmod(fd, mode)) {
		fprintf(stderr, "prot-pkg: %s: %s\n", path, strerror(errno));
		close(fd);
		return -1;
	}
	while (done < len) {
		n = write(fd, data + done, len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		done += (size_t)n;
	}
	if (close(fd) || done < len) {
		fprintf(stderr, "prot-pkg: %s: write error\n", path);
		unlink(path);
		return -1;
	}
	return 0;
}

/* The point of an EC public key in @pk, into @pub (PKG_PUBKEY_SIZE). */
static int pk_point(mbedtls_pk_context *pk, uint8_t *pub)
{
	uint8_t der[256], *p = der + sizeof(der);
	int n;

	if (mbedtls_pk_get_type(pk) != MBEDTLS_PK_ECKEY ||
	    mbedtls_pk_get_bitlen(pk) != 384)
		return -ENOTSUP;
	n = mbedtls_pk_write_pubkey(&p, der, pk);
	if (n != (int)PKG_PUBKEY_SIZE || p[0] != 0x04)
		return -ENOTSUP;
	memcpy(pub, p, PKG_PUBKEY_SIZE);
	return 0;
}

/* Print the key hash to program in OTP and the key id of the images. */
static int print_key_hash(const uint8_t *pub)
{
	static struct spdm_hash_state state;
	uint8_t hash[PROT_IMAGE_KEY_HASH_SIZE];
	struct prot_crypto c;
	int rc;

	rc = crypto_start(&c);
	if (rc)
		return rc;
	rc = prot_image_key_hash(&prot_crypto_ops, &c, &state, pub, hash);
	prot_crypto_free(&c);
	if (rc) {
		fprintf(stderr, "prot-pkg: key hash: %s\n", strerror(-rc));
		return EXIT_IO;
	}
	fputs("key-hash: ", stdout);
	print_hex(stdout, hash, sizeof(hash));
	fputs("\nkey-id: ", stdout);
	print_hex(stdout, hash, PROT_IMAGE_KEY_ID_SIZE);
	putchar('\n');
	return 0;
}

static int keygen(const char *key_path, const char *pub_path, bool force)
{
	static const char personal[] = "prot-pkg keygen";
	unsigned char key_pem[PEM_MAX], pub_pem[PEM_MAX];
	uint8_t pub[PKG_PUBKEY_SIZE];
	mbedtls_entropy_context entropy;
	mbedtls_ctr_drbg_context drbg;
	mbedtls_pk_context pk;
	int rc = EXIT_IO;

	/* Nothing is written if either file would be refused. */
	if (!force && (!access(key_path, F_OK) ||
		       (pub_path && !access(pub_path, F_OK)))) {
		fprintf(stderr,
			"prot-pkg: %s exists (use --force to replace "
			"it)\n",
			!access(key_path, F_OK) ? key_path : pub_path);
		return EXIT_IO;
	}
	mbedtls_entropy_init(&entropy);
	mbedtls_ctr_drbg_init(&drbg);
	mbedtls_pk_init(&pk);
	if (mbedtls_ctr_drbg_seed(&drbg, mbedtls_entropy_func, &entropy,
				  (const unsigned char *)personal,
				  sizeof(personal) - 1) ||
	    mbedtls_pk_setup(&pk,
			     mbedtls_pk_info_from_type(MBEDTLS_PK_ECKEY)) ||
	    mbedtls_ecp_gen_key(MBEDTLS_ECP_DP_SECP384R1, mbedtls_pk_ec(pk),
				mbedtls_ctr_drbg_random, &drbg) ||
	    mbedtls_pk_write_key_pem(&pk, key_pem, sizeof(key_pem)) ||
	    mbedtls_pk_write_pubkey_pem(&pk, pub_pem, sizeof(pub_pem)) ||
	    pk_point(&pk, pub)) {
		fputs("prot-pkg: key generation failed (mbedTLS)\n", stderr);
		goto done;
	}
	if (write_new(key_path, key_pem, strlen((char *)key_pem), 0600, force))
		goto done;
	if (pub_path && write_new(pub_path, pub_pem, strlen((char *)pub_pem),
				  0644, force)) {
		unlink(key_path);
		goto done;
	}
	rc = print_key_hash(pub);
done:
	mbedtls_platform_zeroize(key_pem, sizeof(key_pem));
	mbedtls_pk_free(&pk);
	mbedtls_ctr_drbg_free(&drbg);
	mbedtls_entropy_free(&entropy);
	return rc;
}

int pkg_cmd_keygen(int argc, char **argv)
{
	const char *key = NULL, *pub = NULL;
	bool force = false;
	int i;

	for (i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--force")) {
			force = true;
		} else if (i + 1 < argc && !strcmp(argv[i], "--out-key")) {
			key = argv[++i];
		} else if (i + 1 < argc && !strcmp(argv[i], "--out-pub")) {
			pub = argv[++i];
		} else {
			return usage_error(NULL);
		}
	}
	if (!key)
		return usage_error("keygen: --out-key is required");
	if (pub && !strcmp(key, pub))
		return usage_error("keygen: --out-key and --out-pub are the "
				   "same file");
	return keygen(key, pub, force);
}

/* ---- public keys and image checks ---- */

int pkg_load_pub(const char *path, uint8_t *pub)
{
	mbedtls_pk_context pk;
	uint8_t *data, *text;
	size_t len;
	int rc;

	if (pkg_read_file(path, &data, &len))
		return EXIT_IO;
	/* mbedTLS wants PEM with its NUL counted. */
	text = malloc(len + 1);
	if (!text) {
		free(data);
		return EXIT_IO;
	}
	memcpy(text, data, len);
	text[len] = '\0';
	free(data);
	mbedtls_pk_init(&pk);
	rc = mbedtls_pk_parse_public_key(&pk, text, len + 1);
	if (rc)
		rc = mbedtls_pk_parse_public_key(&pk, text, len);
	if (rc) {
		fprintf(stderr, "prot-pkg: %s: not a public key (PEM or DER)\n",
			path);
		rc = EXIT_BAD_CONFIG;
	} else if (pk_point(&pk, pub)) {
		fprintf(stderr, "prot-pkg: %s: not an ECDSA P-384 key\n", path);
		rc = EXIT_BAD_CONFIG;
	}
	mbedtls_pk_free(&pk);
	free(text);
	return rc;
}

int pkg_is_image(const uint8_t *data, size_t len)
{
	return len >= 4 && data[0] == 0x50 && data[1] == 0x52 &&
	       data[2] == 0x49 && data[3] == 0x4D;
}

static void print_header(FILE *f, const struct prot_image_header *h)
{
	fprintf(f,
		"component 0x%04X, version %u.%u.%u.%" PRIu32 ", svn %" PRIu32
		", stamp 0x%08" PRIX32 ", %" PRIu32 " payload bytes, key id ",
		h->component_id, h->version_major, h->version_minor,
		h->version_patch, h->version_build, h->svn, h->comparison_stamp,
		h->payload_size);
	print_hex(f, h->key_id, sizeof(h->key_id));
	fputs(", payload sha384 ", f);
	print_hex(f, h->payload_digest, sizeof(h->payload_digest));
}

static json_object *json_hex(const uint8_t *p, size_t n)
{
	char s[2 * PROT_IMAGE_DIGEST_SIZE + 1];
	size_t i;

	for (i = 0; i < n && i < PROT_IMAGE_DIGEST_SIZE; i++)
		snprintf(s + 2 * i, 3, "%02x", p[i]);
	s[2 * i] = '\0';
	return json_object_new_string(s);
}

/* verify --json: the verdict and, if the header parsed, its fields. */
static void report(json_object *o, bool verified, const char *reason,
		   const struct prot_image_header *h)
{
	char s[32];

	if (!o)
		return;
	json_object_object_add(o, "Verified",
			       json_object_new_boolean(verified));
	json_object_object_add(o, "Reason", json_object_new_string(reason));
	if (!h)
		return;
	json_object_object_add(o, "ImageComponentIdentifier",
			       json_object_new_int(h->component_id));
	snprintf(s, sizeof(s), "%u.%u.%u.%" PRIu32, h->version_major,
		 h->version_minor, h->version_patch, h->version_build);
	json_object_object_add(o, "ImageVersion", json_object_new_string(s));
	snprintf(s, sizeof(s), "0x%08" PRIX32, h->comparison_stamp);
	json_object_object_add(o, "ImageComparisonStamp",
			       json_object_new_string(s));
	json_object_object_add(o, "ImageSVN", json_object_new_int64(h->svn));
	json_object_object_add(o, "ImagePayloadSize",
			       json_object_new_int64(h->payload_size));
	json_object_object_add(o, "ImagePayloadDigest",
			       json_hex(h->payload_digest,
					sizeof(h->payload_digest)));
	json_object_object_add(o, "ImageKeyId",
			       json_hex(h->key_id, sizeof(h->key_id)));
}

/*
 * Verify one image; print the verdict (the success line only without
 * @json) and add it to @json if not NULL.
 */
static int check_image(struct prot_crypto *c, const char *name,
		       const uint8_t *data, size_t len,
		       const uint8_t *expect_pub, struct prot_image_header *out,
		       json_object *json)
{
	static struct prot_image_work work;
	static struct spdm_hash_state state;
	uint8_t key_hash[PROT_IMAGE_KEY_HASH_SIZE];
	struct prot_image_span span = {data, len};
	struct prot_image_source src = {prot_image_span_read, &span, 0};
	struct prot_image_policy policy;
	struct prot_image_result res;
	struct prot_image_header hdr;
	enum prot_image_reason reason;
	size_t size;
	int rc;

	rc = prot_image_parse_header(data, len, &hdr, &reason);
	if (!rc && len < PROT_IMAGE_PAYLOAD_OFFSET)
		reason = PROT_IMAGE_ERR_TRUNCATED;
	if (rc || len < PROT_IMAGE_PAYLOAD_OFFSET || len > UINT32_MAX) {
		fprintf(stderr, "%s: REFUSED: %s\n", name,
			prot_image_reason_str(reason));
		report(json, false, prot_image_reason_str(reason),
		       rc ? NULL : &hdr);
		return EXIT_VERIFY;
	}
	/* The key to trust: the expected one, or the image's own. */
	rc = prot_image_key_hash(&prot_crypto_ops, c, &state,
				 expect_pub ? expect_pub
					    : data + PROT_IMAGE_PUBKEY_OFFSET,
				 key_hash);
	if (rc) {
		fprintf(stderr, "%s: key hash failed: %s\n", name,
			strerror(-rc));
		return EXIT_IO;
	}
	src.len = (uint32_t)len;
	policy.key_hash = key_hash;
	/* No bank here: a short file is "truncated", not "oversized". */
	policy.max_image_size = UINT32_MAX;
	policy.svn_floor = 0;
	policy.component_id = hdr.component_id;
	rc = prot_image_verify(&prot_crypto_ops, c, &src, &policy, &work, &res);
	if (rc || res.verdict != PROT_IMAGE_VERDICT_AUTHENTIC) {
		fprintf(stderr, "%s: REFUSED: %s%s\n", name,
			prot_image_reason_str(res.reason),
			res.reason == PROT_IMAGE_ERR_KEY_MISMATCH
				? " (not signed by the --pub key)"
				: "");
		report(json, false, prot_image_reason_str(res.reason), &hdr);
		return EXIT_VERIFY;
	}
	/* Bytes past the image are covered by no signature. */
	size = PROT_IMAGE_PAYLOAD_OFFSET + (size_t)res.header.payload_size;
	if (size != len) {
		fprintf(stderr,
			"%s: REFUSED: %zu bytes after the image's end "
			"(unsigned)\n",
			name, len - size);
		report(json, false, "bytes after the image's end", &hdr);
		return EXIT_VERIFY;
	}
	if (json) {
		report(json, true, prot_image_reason_str(PROT_IMAGE_OK),
		       &res.header);
	} else {
		printf("%s: authentic: ", name);
		print_header(stdout, &res.header);
		putchar('\n');
	}
	if (out)
		*out = res.header;
	return 0;
}

int pkg_check_image(const char *name, const uint8_t *data, size_t len,
		    const uint8_t *expect_pub, struct prot_image_header *hdr)
{
	struct prot_crypto c;
	int rc = crypto_start(&c);

	if (rc)
		return rc;
	rc = check_image(&c, name, data, len, expect_pub, hdr, NULL);
	prot_crypto_free(&c);
	return rc;
}

/* ---- sign ---- */

struct sign_args {
	const char *key;
	const char *in;
	const char *out;
	struct prot_image_header hdr;
	bool have_component, have_version, have_svn, have_stamp;
};

/* MAJ.MIN.PATCH[.BUILD] */
static int parse_version(const char *s, struct prot_image_header *h)
{
	static const uint32_t max[] = {UINT8_MAX, UINT8_MAX, UINT16_MAX,
				       UINT32_MAX};
	uint32_t v[4] = {0};
	char part[16];
	size_t i, n;

	for (i = 0; i < 4; i++) {
		n = strcspn(s, ".");
		if (!n || n >= sizeof(part))
			return -1;
		memcpy(part, s, n);
		part[n] = '\0';
		if (part[0] < '0' || part[0] > '9' ||
		    parse_u32(part, max[i], &v[i]))
			return -1;
		s += n;
		if (!*s)
			break;
		s++;
	}
	if (i < 2 || i == 4 || *s)
		return -1;
	h->version_major = (uint8_t)v[0];
	h->version_minor = (uint8_t)v[1];
	h->version_patch = (uint16_t)v[2];
	h->version_build = v[3];
	return 0;
}

static int sign_image(struct prot_crypto *c, struct sign_args *a,
		      const uint8_t *payload, size_t len, uint8_t *img)
{
	static struct spdm_hash_state state;
	uint8_t digest[PROT_IMAGE_DIGEST_SIZE], hash[PROT_IMAGE_KEY_HASH_SIZE];
	uint8_t *pub = img + PROT_IMAGE_PUBKEY_OFFSET;
	size_t n = PKG_PUBKEY_SIZE;
	int rc;

	rc = prot_crypto_load_slot_key_file(c, 0, a->key);
	if (rc) {
		fprintf(stderr, "prot-pkg: %s: %s\n", a->key,
			rc == -EBADMSG   ? "not a private key (PEM or DER, "
					   "unencrypted)"
			: rc == -ENOTSUP ? "not an EC key"
					 : strerror(-rc));
		return rc == -EBADMSG || rc == -ENOTSUP ? EXIT_BAD_CONFIG
							: EXIT_IO;
	}
	if (prot_crypto_export_slot_public(c, 0, pub, &n) ||
	    n != PKG_PUBKEY_SIZE) {
		fprintf(stderr, "prot-pkg: %s: not an ECDSA P-384 key\n",
			a->key);
		return EXIT_BAD_CONFIG;
	}
	a->hdr.payload_size = (uint32_t)len;
	rc = prot_crypto_ops.hash_init(c, &state, SPDM_HASH_SHA384);
	if (!rc)
		rc = prot_crypto_ops.hash_update(c, &state, payload, len);
	if (!rc)
		rc = prot_crypto_ops.hash_final(c, &state,
						a->hdr.payload_digest);
	if (!rc)
		rc = prot_image_key_hash(&prot_crypto_ops, c, &state, pub,
					 hash);
	if (rc) {
		fprintf(stderr, "prot-pkg: hashing failed: %s\n",
			strerror(-rc));
		return EXIT_IO;
	}
	memcpy(a->hdr.key_id, hash, PROT_IMAGE_KEY_ID_SIZE);
	n = PROT_IMAGE_HEADER_SIZE;
	rc = prot_image_header_encode(&a->hdr, img, &n);
	if (rc) {
		fprintf(stderr, "prot-pkg: cannot encode the header: %s\n",
			strerror(-rc));
		return EXIT_BAD_CONFIG;
	}
	rc = prot_image_signed_digest(&prot_crypto_ops, c, &state, img, pub,
				      digest);
	if (!rc)
		rc = prot_crypto_ops.sign(c, 0, SPDM_ASYM_ECDSA_P384, digest,
					  sizeof(digest),
					  img + PROT_IMAGE_SIG_OFFSET,
					  PROT_IMAGE_SIG_SIZE);
	if (rc) {
		fprintf(stderr, "prot-pkg: signing failed: %s\n",
			strerror(-rc));
		return EXIT_IO;
	}
	memcpy(img + PROT_IMAGE_PAYLOAD_OFFSET, payload, len);
	return 0;
}

static int sign(struct sign_args *a)
{
	uint8_t *payload = NULL, *img = NULL;
	struct prot_crypto c;
	size_t len = 0, size;
	int rc;

	if (pkg_read_file(a->in, &payload, &len))
		return EXIT_IO;
	if (!len || len > PROT_IMAGE_MAX_PAYLOAD_SIZE) {
		fprintf(stderr, "prot-pkg: %s: %s\n", a->in,
			len ? "too large for an image" : "empty");
		free(payload);
		return EXIT_BAD_CONFIG;
	}
	size = PROT_IMAGE_PAYLOAD_OFFSET + len;
	img = calloc(1, size);
	rc = img ? crypto_start(&c) : EXIT_IO;
	if (rc) {
		free(img);
		free(payload);
		return rc;
	}
	rc = sign_image(&c, a, payload, len, img);
	/* Fail closed: what is written must verify. */
	if (!rc)
		rc = check_image(&c, a->out, img, size, NULL, NULL, NULL);
	if (!rc)
		rc = pkg_write_out(a->out, img, size) ? EXIT_IO : 0;
	prot_crypto_free(&c);
	free(img);
	free(payload);
	return rc;
}

int pkg_cmd_sign(int argc, char **argv)
{
	struct sign_args a;
	uint32_t x;
	int i;

	memset(&a, 0, sizeof(a));
	for (i = 0; i < argc; i++) {
		const char *opt = argv[i],
			   *val = i + 1 < argc ? argv[i + 1] : NULL;

		if (!val)
			return usage_error(NULL);
		i++;
		if (!strcmp(opt, "--key")) {
			a.key = val;
		} else if (!strcmp(opt, "--in")) {
			a.in = val;
		} else if (!strcmp(opt, "--out")) {
			a.out = val;
		} else if (!strcmp(opt, "--component")) {
			if (parse_u32(val, UINT16_MAX, &x))
				return usage_error("sign: --component: 0 to "
						   "65535");
			a.hdr.component_id = (uint16_t)x;
			a.have_component = true;
		} else if (!strcmp(opt, "--version")) {
			if (parse_version(val, &a.hdr))
				return usage_error("sign: --version: "
						   "MAJ.MIN.PATCH[.BUILD] "
						   "(MAJ, MIN <= 255, PATCH "
						   "<= 65535)");
			a.have_version = true;
		} else if (!strcmp(opt, "--svn")) {
			if (parse_u32(val, UINT32_MAX, &a.hdr.svn))
				return usage_error("sign: --svn: a 32-bit "
						   "number");
			a.have_svn = true;
		} else if (!strcmp(opt, "--stamp")) {
			if (parse_u32(val, UINT32_MAX, &a.hdr.comparison_stamp))
				return usage_error("sign: --stamp: a 32-bit "
						   "number");
			a.have_stamp = true;
		} else {
			return usage_error(NULL);
		}
	}
	if (!a.key || !a.in || !a.out || !a.have_component || !a.have_version ||
	    !a.have_svn)
		return usage_error("sign: --key, --component, --version, "
				   "--svn, --in and --out are required");
	if (!a.have_stamp)
		a.hdr.comparison_stamp = (uint32_t)a.hdr.version_major << 24 |
					 (uint32_t)a.hdr.version_minor << 16 |
					 a.hdr.version_patch;
	return sign(&a);
}

/* ---- verify ---- */

/* One component of a package: 0, EXIT_VERIFY or EXIT_IO. */
static int verify_component(struct prot_crypto *c, const char *name,
			    const struct pldm_package_component *comp,
			    const uint8_t *expect_pub, json_object *json,
			    unsigned int *signed_count)
{
	struct prot_image_header hdr;
	char label[512];
	int rc;

	snprintf(label, sizeof(label), "%s: component %u (0x%04X)", name,
		 comp->index, comp->component_identifier);
	if (json) {
		json_object_object_add(json, "Index",
				       json_object_new_int(comp->index));
		json_object_object_add(
			json, "ComponentIdentifier",
			json_object_new_int(comp->component_identifier));
	}
	if (!pkg_is_image(comp->image.ptr, comp->image.length)) {
		if (json) {
			json_object_object_add(json, "Signed",
					       json_object_new_boolean(0));
			report(json, false, "not a signed image", NULL);
		} else {
			printf("%s: not a signed image (checksum only)\n",
			       label);
		}
		return 0;
	}
	(*signed_count)++;
	if (json)
		json_object_object_add(json, "Signed",
				       json_object_new_boolean(1));
	rc = check_image(c, label, comp->image.ptr, comp->image.length,
			 expect_pub, &hdr, json);
	if (!rc && hdr.component_id != comp->component_identifier) {
		fprintf(stderr,
			"%s: REFUSED: the image is for component 0x%04X\n",
			label, hdr.component_id);
		report(json, false, "image of another component", &hdr);
		rc = EXIT_VERIFY;
	}
	return rc;
}

static int verify_package(const char *name, const uint8_t *data, size_t len,
			  const uint8_t *expect_pub, json_object *json)
{
	struct pldm_package_component comp;
	struct pldm_package_iter it;
	struct pldm_package pkg;
	struct prot_crypto c;
	unsigned int signed_count = 0, failed = 0;
	json_object *list = NULL, *o = NULL;
	int rc;

	rc = pldm_package_parse(&pkg, data, len);
	if (rc) {
		fprintf(stderr,
			"prot-pkg: %s: neither a signed image nor a valid "
			"package: %s (%s)\n",
			name, pldm_package_reason_name(pkg.reason),
			strerror(-rc));
		if (json)
			json_object_object_add(
				json, "Type",
				json_object_new_string("unknown"));
		report(json, false, pldm_package_reason_name(pkg.reason), NULL);
		return EXIT_BAD_PACKAGE;
	}
	if (json) {
		json_object_object_add(json, "Type",
				       json_object_new_string("package"));
		json_object_object_add(json, "ChecksumsVerified",
				       json_object_new_boolean(1));
		json_object_object_add(
			json, "PackageHeaderFormatVersion",
			json_object_new_int(
				pkg.package_header_format_revision));
		list = json_object_new_array();
		json_object_object_add(json, "Components", list);
	} else {
		printf("%s: package checksums match (format revision 0x%02X, "
		       "%u component(s))\n",
		       name, pkg.package_header_format_revision,
		       pkg.component_image_count);
	}
	rc = crypto_start(&c);
	if (rc)
		return rc;
	pldm_package_components(&pkg, &it);
	while (pldm_package_component_next(&it, &comp) == 1) {
		if (list) {
			o = json_object_new_object();
			json_object_array_add(list, o);
		}
		rc = verify_component(&c, name, &comp, expect_pub, o,
				      &signed_count);
		if (rc == EXIT_IO)
			break;
		if (rc)
			failed++;
		rc = 0;
	}
	prot_crypto_free(&c);
	if (rc)
		return rc;
	if (failed) {
		fprintf(stderr, "%s: %u of %u signed component(s) REFUSED\n",
			name, failed, signed_count);
		report(json, false, "a component does not verify", NULL);
		return EXIT_VERIFY;
	}
	report(json, true, "ok", NULL);
	if (!json)
		printf("%s: verified (%u signed component(s))\n", name,
		       signed_count);
	return 0;
}

static int verify_file(const char *path, const uint8_t *expect_pub,
		       json_object *json)
{
	struct prot_crypto c;
	uint8_t *data;
	size_t len;
	int rc;

	if (pkg_read_file(path, &data, &len))
		return EXIT_IO;
	if (json)
		json_object_object_add(json, "File",
				       json_object_new_string(path));
	if (!pkg_is_image(data, len)) {
		rc = verify_package(path, data, len, expect_pub, json);
	} else {
		if (json)
			json_object_object_add(json, "Type",
					       json_object_new_string("image"));
		rc = crypto_start(&c);
		if (!rc) {
			rc = check_image(&c, path, data, len, expect_pub, NULL,
					 json);
			prot_crypto_free(&c);
		}
	}
	free(data);
	return rc;
}

int pkg_cmd_verify(int argc, char **argv)
{
	uint8_t pub[PKG_PUBKEY_SIZE];
	const char *path = NULL, *pub_path = NULL;
	json_object *json = NULL;
	bool want_json = false;
	int i, rc;

	for (i = 0; i < argc; i++) {
		if (i + 1 < argc && !strcmp(argv[i], "--pub"))
			pub_path = argv[++i];
		else if (!strcmp(argv[i], "--json"))
			want_json = true;
		else if (argv[i][0] == '-' || path)
			return usage_error(NULL);
		else
			path = argv[i];
	}
	if (!path)
		return usage_error("verify: FILE is required");
	if (pub_path) {
		rc = pkg_load_pub(pub_path, pub);
		if (rc)
			return rc;
	}
	if (want_json) {
		json = json_object_new_object();
		if (!json)
			return EXIT_IO;
	}
	rc = verify_file(path, pub_path ? pub : NULL, json);
	/* A file that cannot be read gets no JSON: nothing was checked. */
	if (json && rc != EXIT_IO) {
		json_object_object_add(
			json, "KeyChecked",
			json_object_new_string(pub_path ? "--pub"
							: "embedded"));
		puts(json_object_to_json_string_ext(
			json, JSON_C_TO_STRING_PRETTY |
				      JSON_C_TO_STRING_SPACED |
				      JSON_C_TO_STRING_NOSLASHESCAPE));
	}
	json_object_put(json);
	if (fflush(stdout) && !rc)
		rc = EXIT_IO;
	return rc;
}
