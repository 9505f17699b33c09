/* jwt.c: HS256 token verification and minting. The app calls jwt_verify
 * when a member joins; `kopa token` calls jwt_mint. It owns the compact
 * serialisation (three base64url segments), the header rules and the
 * HMAC-SHA256 signature; the claim rules live in jwt_claims.c. Untrusted
 * input is handled with explicit lengths, and the payload is not even
 * decoded until its signature has been checked. */
#include "server/auth/jwt_int.h"
#include "server/auth/b64url.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stdlib.h>
#include <string.h>

#define SIG_LEN 32 /* HMAC-SHA256 output */

const char *jwt_strerror(jwt_error err)
{
    switch (err) {
    case JWT_OK:
        return "ok";
    case JWT_MALFORMED:
        return "malformed token";
    case JWT_BAD_ALG:
        return "unsupported or missing algorithm (only HS256 is accepted)";
    case JWT_BAD_SIGNATURE:
        return "bad signature";
    case JWT_EXPIRED:
        return "token expired";
    case JWT_NOT_YET_VALID:
        return "token not yet valid";
    case JWT_BAD_ISSUER:
        return "wrong or missing issuer";
    case JWT_BAD_AUDIENCE:
        return "wrong or missing audience";
    case JWT_BAD_CLAIMS:
        return "invalid claims";
    case JWT_TOO_LONG:
        return "token too long";
    }
    return "unknown error";
}

int jwt_keyring_init(jwt_keyring *k, const void *secret, size_t secret_len,
                     const char *issuer, const char *audience)
{
    size_t ni = issuer ? strlen(issuer) : 0;
    size_t na = audience ? strlen(audience) : 0;

    memset(k, 0, sizeof(*k));
    if (secret == NULL || secret_len < JWT_SECRET_MIN ||
        secret_len > JWT_SECRET_MAX || ni < 1 || ni > JWT_NAME_MAX || na < 1 ||
        na > JWT_NAME_MAX)
        return -1;
    memcpy(k->secret, secret, secret_len);
    k->secret_len = secret_len;
    memcpy(k->issuer, issuer, ni + 1);
    memcpy(k->audience, audience, na + 1);
    k->leeway_s = JWT_DEFAULT_LEEWAY;
    return 0;
}

void jwt_keyring_wipe(jwt_keyring *k)
{
    OPENSSL_cleanse(k, sizeof(*k));
}

/* HMAC-SHA256 of the n bytes at data with the keyring's secret. */
static void sign(const jwt_keyring *k, const char *data, size_t n,
                 unsigned char mac[SIG_LEN])
{
    unsigned int mac_len = 0;

    if (HMAC(EVP_sha256(), k->secret, (int)k->secret_len,
             (const unsigned char *)data, n, mac, &mac_len) == NULL ||
        mac_len != SIG_LEN)
        abort(); /* only fails on out-of-memory */
}

/* Decodes one segment and parses it as a JSON object. Raw control bytes
 * (invalid in JSON, and a way to hide a NUL from C string code) and
 * trailing bytes are refused. Returns a new object the caller frees with
 * cJSON_Delete(), or NULL if the segment is not a JSON object. */
static cJSON *parse_segment(const char *seg, size_t n)
{
    unsigned char buf[JWT_MAX_TOKEN];
    const char *end = NULL;
    size_t len = 0;
    cJSON *obj;

    if (b64url_decode(seg, n, buf, sizeof(buf), &len) != 0 || len == 0)
        return NULL;
    for (size_t i = 0; i < len; i++)
        if (buf[i] < 0x20 && buf[i] != '\t' && buf[i] != '\n' && buf[i] != '\r')
            return NULL;
    obj = cJSON_ParseWithLengthOpts((const char *)buf, len, &end, 0);
    if (obj == NULL || end != (const char *)buf + len || !cJSON_IsObject(obj)) {
        cJSON_Delete(obj);
        return NULL;
    }
    return obj;
}

/* Checks the protected header: alg "HS256", typ absent or "JWT", no crit
 * (we understand no extensions, RFC 7515 section 4.1.11). */
static jwt_error check_header(const char *seg, size_t n)
{
    const cJSON *alg, *typ, *crit;
    jwt_error err = JWT_MALFORMED;
    cJSON *h = parse_segment(seg, n);

    if (h == NULL)
        return JWT_MALFORMED;
    if (jwt__member(h, "alg", &alg) || jwt__member(h, "typ", &typ) ||
        jwt__member(h, "crit", &crit))
        goto done;
    err = JWT_BAD_ALG;
    if (!cJSON_IsString(alg) || strcmp(alg->valuestring, "HS256") != 0)
        goto done;
    err = JWT_MALFORMED;
    if (crit != NULL || (typ != NULL && (!cJSON_IsString(typ) ||
                                         strcmp(typ->valuestring, "JWT") != 0)))
        goto done;
    err = JWT_OK;
done:
    cJSON_Delete(h);
    return err;
}

/* Checks the signature segment against the signing input token[0..n). */
static jwt_error check_signature(const jwt_keyring *k, const char *token,
                                 size_t n, const char *seg, size_t seg_len)
{
    unsigned char want[SIG_LEN], got[SIG_LEN];
    size_t got_len = 0;
    jwt_error err = JWT_BAD_SIGNATURE;

    if (k->secret_len < JWT_SECRET_MIN || k->secret_len > JWT_SECRET_MAX ||
        seg_len != b64url_encoded_len(SIG_LEN))
        return JWT_BAD_SIGNATURE;
    if (b64url_decode(seg, seg_len, got, sizeof(got), &got_len) != 0)
        return JWT_MALFORMED;
    sign(k, token, n, want);
    if (got_len == SIG_LEN && CRYPTO_memcmp(want, got, SIG_LEN) == 0)
        err = JWT_OK;
    OPENSSL_cleanse(want, sizeof(want));
    return err;
}

/* Checks aud: the expected audience as a string, or in an array of
 * strings. */
static jwt_error check_audience(const cJSON *aud, const char *want)
{
    const cJSON *it;
    int found = 0;

    if (cJSON_IsString(aud))
        return strcmp(aud->valuestring, want) == 0 ? JWT_OK : JWT_BAD_AUDIENCE;
    if (!cJSON_IsArray(aud))
        return JWT_BAD_AUDIENCE;
    cJSON_ArrayForEach(it, aud)
    {
        if (!cJSON_IsString(it))
            return JWT_BAD_AUDIENCE;
        found |= strcmp(it->valuestring, want) == 0;
    }
    return found ? JWT_OK : JWT_BAD_AUDIENCE;
}

/* Reads the (already authenticated) payload into *c and checks iss, aud,
 * the claim rules and the validity window. */
static jwt_error check_payload(const jwt_keyring *k, const char *seg, size_t n,
                               int64_t now, jwt_claims *c)
{
    const cJSON *iss, *aud;
    int64_t leeway = k->leeway_s;
    jwt_error err = JWT_BAD_ISSUER;
    cJSON *p = parse_segment(seg, n);

    if (p == NULL)
        return JWT_MALFORMED;
    if (jwt__member(p, "iss", &iss) || !cJSON_IsString(iss) ||
        strcmp(iss->valuestring, k->issuer) != 0)
        goto done;
    err = JWT_BAD_AUDIENCE;
    if (jwt__member(p, "aud", &aud) || aud == NULL)
        goto done;
    if ((err = check_audience(aud, k->audience)) != JWT_OK)
        goto done;
    if ((err = jwt__claims_from_json(p, c)) != JWT_OK)
        goto done;
    leeway = leeway < 0 ? 0 : leeway > JWT_MAX_LEEWAY ? JWT_MAX_LEEWAY : leeway;
    if (c->exp + leeway <= now)
        err = JWT_EXPIRED;
    else if (c->nbf != 0 && c->nbf - leeway > now)
        err = JWT_NOT_YET_VALID;
done:
    cJSON_Delete(p);
    return err;
}

/* Returns 1 if all n bytes are base64url characters or dots. */
static int is_token_charset(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (!((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') ||
              (ch >= '0' && ch <= '9') || ch == '-' || ch == '_' || ch == '.'))
            return 0;
    }
    return 1;
}

jwt_error jwt_verify(const jwt_keyring *keys, const char *token, size_t len,
                     int64_t now_s, jwt_claims *out)
{
    const char *dot1, *dot2;
    jwt_claims c;
    jwt_error err;

    memset(out, 0, sizeof(*out));
    if (len > JWT_MAX_TOKEN)
        return JWT_TOO_LONG;
    if (token == NULL || len == 0 || !is_token_charset(token, len))
        return JWT_MALFORMED;
    dot1 = memchr(token, '.', len);
    dot2 =
        dot1 ? memchr(dot1 + 1, '.', len - (size_t)(dot1 + 1 - token)) : NULL;
    if (dot2 == NULL || memchr(dot2 + 1, '.', len - (size_t)(dot2 + 1 - token)))
        return JWT_MALFORMED;
    err = check_header(token, (size_t)(dot1 - token));
    if (err != JWT_OK)
        return err;
    err = check_signature(keys, token, (size_t)(dot2 - token), dot2 + 1,
                          len - (size_t)(dot2 + 1 - token));
    if (err != JWT_OK)
        return err;
    err = check_payload(keys, dot1 + 1, (size_t)(dot2 - dot1 - 1), now_s, &c);
    if (err == JWT_OK)
        *out = c;
    return err;
}

/* Appends the base64url form of n bytes to dst at *pos (cap bounds it). */
static int append_b64(char *dst, size_t cap, size_t *pos, const void *src,
                      size_t n)
{
    size_t w = b64url_encode(src, n, dst + *pos, cap - *pos);

    if (w == 0 && n != 0)
        return -1;
    *pos += w;
    return 0;
}

char *jwt_mint(const jwt_keyring *keys, const jwt_claims *c)
{
    static const char header[] = "{\"alg\":\"HS256\",\"typ\":\"JWT\"}";
    unsigned char mac[SIG_LEN];
    char *token = NULL, *payload = NULL;
    size_t pos = 0;
    cJSON *o;

    if (jwt_claims_check(c) != JWT_OK || keys->secret_len < JWT_SECRET_MIN ||
        keys->secret_len > JWT_SECRET_MAX)
        return NULL;
    o = jwt__need(cJSON_CreateObject());
    jwt__need(cJSON_AddStringToObject(o, "iss", keys->issuer));
    jwt__need(cJSON_AddStringToObject(o, "aud", keys->audience));
    jwt__claims_to_json(c, o);
    payload = jwt__need(cJSON_PrintUnformatted(o));
    cJSON_Delete(o);
    token = jwt__need(malloc(JWT_MAX_TOKEN + 1));
    if (append_b64(token, JWT_MAX_TOKEN + 1, &pos, header,
                   sizeof(header) - 1) ||
        pos + 1 >= JWT_MAX_TOKEN)
        goto fail;
    token[pos++] = '.';
    if (append_b64(token, JWT_MAX_TOKEN + 1, &pos, payload, strlen(payload)) ||
        pos + 1 >= JWT_MAX_TOKEN)
        goto fail;
    sign(keys, token, pos, mac);
    token[pos++] = '.';
    if (append_b64(token, JWT_MAX_TOKEN + 1, &pos, mac, sizeof(mac)))
        goto fail;
    cJSON_free(payload);
    OPENSSL_cleanse(mac, sizeof(mac));
    return token;
fail:
    cJSON_free(payload);
    free(token);
    return NULL;
}
