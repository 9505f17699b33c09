/* token: HS256 JWTs for the load generator's members, built with OpenSSL's
 * HMAC-SHA256. Called by the dialects when a member authenticates. */
#include "token.h"

#include <stdio.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

static const char b64url[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/* Base64url without padding of len bytes at in into out (cap bytes).
 * Returns the length written, or -1 when it does not fit. */
static int encode(const unsigned char *in, size_t len, char *out, size_t cap)
{
    size_t o = 0;
    for (size_t i = 0; i < len; i += 3) {
        unsigned v = (unsigned)in[i] << 16;
        size_t n = len - i < 3 ? len - i : 3;
        if (n > 1)
            v |= (unsigned)in[i + 1] << 8;
        if (n > 2)
            v |= in[i + 2];
        if (o + n + 1 >= cap)
            return -1;
        out[o++] = b64url[(v >> 18) & 63];
        out[o++] = b64url[(v >> 12) & 63];
        if (n > 1)
            out[o++] = b64url[(v >> 6) & 63];
        if (n > 2)
            out[o++] = b64url[v & 63];
    }
    out[o] = '\0';
    return (int)o;
}

int token_mint(const char *secret, size_t secret_len, const char *sub,
               long long exp, char *out, size_t cap)
{
    return token_mint_as(secret, secret_len, sub, "entrepreneur", exp, out,
                         cap);
}

int token_mint_as(const char *secret, size_t secret_len, const char *sub,
                  const char *role, long long exp, char *out, size_t cap)
{
    static const char header[] = "{\"alg\":\"HS256\",\"typ\":\"JWT\"}";
    char claims[512];
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned mac_len = 0;
    int n = snprintf(claims, sizeof(claims),
                     "{\"sub\":\"%s\",\"name\":\"Bench %s\","
                     "\"role\":\"%s\",\"sessions\":\"*\","
                     "\"iss\":\"kopa\",\"aud\":\"kopa\",\"exp\":%lld}",
                     sub, sub, role, exp);
    if (n < 0 || (size_t)n >= sizeof(claims))
        return -1;
    int h = encode((const unsigned char *)header, sizeof(header) - 1, out, cap);
    if (h < 0 || (size_t)h + 2 >= cap)
        return -1;
    out[h] = '.';
    int c = encode((const unsigned char *)claims, (size_t)n, out + h + 1,
                   cap - (size_t)h - 1);
    if (c < 0)
        return -1;
    size_t signed_len = (size_t)h + 1 + (size_t)c;
    if (HMAC(EVP_sha256(), secret, (int)secret_len, (unsigned char *)out,
             signed_len, mac, &mac_len) == NULL)
        return -1;
    if (signed_len + 2 >= cap)
        return -1;
    out[signed_len] = '.';
    int s = encode(mac, mac_len, out + signed_len + 1, cap - signed_len - 1);
    if (s < 0)
        return -1;
    return (int)(signed_len + 1 + (size_t)s);
}
