/* sha256: see include/sha256.h. */
#include <glib.h>

#include "sha256.h"

int
sha256_init(struct sha256 *s, char **error_r)
{
	int r = gnutls_hash_init(&s->hd, GNUTLS_DIG_SHA256);

	if (r < 0) {
		*error_r = g_strdup_printf("SHA-256: %s", gnutls_strerror(r));
		return -1;
	}
	return 0;
}

void
sha256_update(struct sha256 *s, const void *data, size_t len)
{
	/* Only a failed init makes GnuTLS's update fail. */
	(void)gnutls_hash(s->hd, data, len);
}

void
sha256_final_hex(struct sha256 *s, char hex_r[SHA256_HEX_SIZE])
{
	static const char digits[] = "0123456789abcdef";
	unsigned char digest[32];
	size_t i;

	gnutls_hash_deinit(s->hd, digest);
	s->hd = NULL;
	for (i = 0; i < sizeof(digest); i++) {
		hex_r[2 * i] = digits[digest[i] >> 4];
		hex_r[2 * i + 1] = digits[digest[i] & 15];
	}
	hex_r[64] = '\0';
}

void
sha256_abort(struct sha256 *s)
{
	gnutls_hash_deinit(s->hd, NULL);
	s->hd = NULL;
}
