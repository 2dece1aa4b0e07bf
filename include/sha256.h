/*
 * sha256: the SHA-256 of everything subgate stores (each message, each
 * attachment), computed as the bytes are written.  Through GnuTLS, that
 * is nettle with the processor's SHA extensions where it has them: about
 * 1.3 GB/s on a 2020s x86 server against 0.28 GB/s for GLib's GChecksum,
 * which made hashing half the processor time of a large submission.
 *
 *	struct sha256 s;
 *	if (sha256_init(&s, &error) < 0) ...
 *	sha256_update(&s, buf, n); ...
 *	sha256_final_hex(&s, hex);	(or sha256_abort(&s))
 *
 * Every initialised context ends in exactly one of the two.
 */
#ifndef SUBGATE_SHA256_H
#define SUBGATE_SHA256_H

#include <stddef.h>

#include <gnutls/crypto.h>

/* Characters of a digest in hex, with its NUL. */
#define SHA256_HEX_SIZE	65

struct sha256 {
	gnutls_hash_hd_t hd;
};

/* 0, or <0 with *error_r (GnuTLS refused: out of memory). */
int sha256_init(struct sha256 *s, char **error_r);
void sha256_update(struct sha256 *s, const void *data, size_t len);
/* The digest as 64 lowercase hex digits; ends the context. */
void sha256_final_hex(struct sha256 *s, char hex_r[SHA256_HEX_SIZE]);
/* Ends the context without a digest (the write failed). */
void sha256_abort(struct sha256 *s);

#endif
