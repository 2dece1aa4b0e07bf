/* sha256: the FIPS 180-2 test vectors, whole and fed in odd pieces. */
#include <string.h>

#include <glib.h>

#include "sha256.h"
#include "test.h"

static void
digest_of(const char *data, size_t len, size_t piece, char hex[SHA256_HEX_SIZE])
{
	struct sha256 s;
	g_autofree char *error = NULL;
	size_t off, n;

	hex[0] = '\0';
	if (sha256_init(&s, &error) < 0)
		return;
	for (off = 0; off < len; off += n) {
		n = MIN(piece, len - off);
		sha256_update(&s, data + off, n);
	}
	sha256_final_hex(&s, hex);
}

int
main(void)
{
	char hex[SHA256_HEX_SIZE];
	g_autofree char *million = g_malloc(1000000);
	const char *two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	struct sha256 s;
	g_autofree char *error = NULL;

	digest_of("", 0, 1, hex);
	TEST_CHECK_STR("empty", hex,
	    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	digest_of("abc", 3, 3, hex);
	TEST_CHECK_STR("abc", hex,
	    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	digest_of(two, strlen(two), 7, hex);
	TEST_CHECK_STR("two-blocks-in-pieces", hex,
	    "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
	memset(million, 'a', 1000000);
	digest_of(million, 1000000, 65536, hex);
	TEST_CHECK_STR("million-a", hex,
	    "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
	/* A context ended without a digest (a failed write) leaks nothing
	 * (the sanitizer and valgrind runs see to that). */
	TEST_CHECK("abort", sha256_init(&s, &error) == 0);
	sha256_update(&s, "abc", 3);
	sha256_abort(&s);
	return TEST_EXIT();
}
