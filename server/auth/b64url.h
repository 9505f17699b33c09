/* b64url: unpadded base64url (RFC 4648 section 5), as used by JWS compact
 * serialisation (RFC 7515 section 2). Part of kopa_auth. */
#ifndef KOPA_AUTH_B64URL_H
#define KOPA_AUTH_B64URL_H

#include <stddef.h>

/* Returns the number of characters b64url_encode() writes for n input bytes
 * (no padding, no terminating NUL counted). */
size_t b64url_encoded_len(size_t n);

/* Returns the largest number of bytes that n encoded characters decode to. */
size_t b64url_decoded_max(size_t n);

/* Encodes n bytes of src into dst without padding and NUL-terminates it.
 * Borrows src and dst for the call. Returns the number of characters written
 * (excluding the NUL), or 0 with nothing written if cap is smaller than
 * b64url_encoded_len(n) + 1. */
size_t b64url_encode(const void *src, size_t n, char *dst, size_t cap);

/* Decodes n characters of src (not a C string; no NUL needed) into dst.
 * Strict: only [A-Za-z0-9_-], no padding, no whitespace, a length that is
 * not 1 mod 4, and zero unused trailing bits (so each byte string has exactly
 * one accepted encoding). Writes the decoded length to *out_len.
 * Returns 0 on success, -1 on any invalid input or if cap is too small. */
int b64url_decode(const char *src, size_t n, unsigned char *dst, size_t cap,
                  size_t *out_len);

#endif
