/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Test helper for the prot-device CLI test: write a signed image (the
 * update service tests' image-sign.c, keys of tests/pki) to a file.
 *
 *   mkimage OUT COMPONENT SVN STAMP PAYLOAD_SIZE SEED [other]
 *
 * STAMP is the comparison stamp; the version is its bytes
 * (major.minor.patch). "other" signs with tests/pki/other (a key the
 * device does not trust).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "image-sign.h"

int main(int argc, char **argv)
{
	static struct signer sg;
	static uint8_t img[1u << 20];
	struct image_spec sp = {0};
	size_t len;
	FILE *f;

	if (argc != 7 && argc != 8) {
		fprintf(stderr, "usage: mkimage OUT COMPONENT SVN STAMP "
				"PAYLOAD_SIZE SEED [other]\n");
		return 2;
	}
	sp.component_id = (uint16_t)strtoul(argv[2], NULL, 0);
	sp.svn = (uint32_t)strtoul(argv[3], NULL, 0);
	sp.stamp = (uint32_t)strtoul(argv[4], NULL, 0);
	sp.payload_size = (uint32_t)strtoul(argv[5], NULL, 0);
	sp.seed = (uint8_t)strtoul(argv[6], NULL, 0);
	sp.other_key = argc == 8 && !strcmp(argv[7], "other");
	if (signer_init(&sg)) {
		fprintf(stderr, "mkimage: keys of the test PKI\n");
		return 1;
	}
	len = image_build(&sg, &sp, img, sizeof(img));
	signer_free(&sg);
	if (!len) {
		fprintf(stderr, "mkimage: image_build failed\n");
		return 1;
	}
	f = fopen(argv[1], "wb");
	if (!f || fwrite(img, 1, len, f) != len || fclose(f)) {
		fprintf(stderr, "mkimage: %s: write failed\n", argv[1]);
		return 1;
	}
	return 0;
}
