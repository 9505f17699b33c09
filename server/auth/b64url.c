/* b64url.c: the base64url codec behind JWT segments. It owns nothing but
 * the alphabet; jwt.c calls it to decode untrusted token segments and to
 * encode minted ones, so decoding is strict and never reads past n. */
#include "server/auth/b64url.h"

#include <stdint.h>

static const char alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

size_t b64url_encoded_len(size_t n)
{
    return n / 3 * 4 + (n % 3 ? n % 3 + 1 : 0);
}

size_t b64url_decoded_max(size_t n)
{
    return n / 4 * 3 + (n % 4 ? n % 4 - 1 : 0);
}

size_t b64url_encode(const void *src, size_t n, char *dst, size_t cap)
{
    const unsigned char *s = src;
    size_t need = b64url_encoded_len(n);
    size_t o = 0;

    if (cap < need + 1)
        return 0;
    for (size_t i = 0; i < n; i += 3) {
        uint32_t v = (uint32_t)s[i] << 16;
        size_t left = n - i;
        if (left > 1)
            v |= (uint32_t)s[i + 1] << 8;
        if (left > 2)
            v |= s[i + 2];
        dst[o++] = alphabet[(v >> 18) & 63];
        dst[o++] = alphabet[(v >> 12) & 63];
        if (left > 1)
            dst[o++] = alphabet[(v >> 6) & 63];
        if (left > 2)
            dst[o++] = alphabet[v & 63];
    }
    dst[o] = '\0';
    return o;
}

/* Returns the 6-bit value of an alphabet character, or -1. */
static int sextet(unsigned char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '-')
        return 62;
    if (c == '_')
        return 63;
    return -1;
}

int b64url_decode(const char *src, size_t n, unsigned char *dst, size_t cap,
                  size_t *out_len)
{
    uint32_t acc = 0;
    int bits = 0;
    size_t o = 0;

    if (n % 4 == 1 || cap < b64url_decoded_max(n))
        return -1;
    for (size_t i = 0; i < n; i++) {
        int v = sextet((unsigned char)src[i]);
        if (v < 0)
            return -1;
        acc = (acc << 6) | (uint32_t)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            dst[o++] = (unsigned char)(acc >> bits);
            acc &= (1u << bits) - 1;
        }
    }
    if (acc != 0) /* non-canonical: unused trailing bits must be zero */
        return -1;
    *out_len = o;
    return 0;
}
