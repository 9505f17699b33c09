/* jwt: HS256 JSON Web Tokens (RFC 7519, JWS compact form of RFC 7515) that
 * say who a member is, which role they hold and which sessions they may join.
 * Part of kopa_auth. Pure functions: no clock (callers pass now_s), no
 * globals, safe to call from any thread. */
#ifndef KOPA_AUTH_JWT_H
#define KOPA_AUTH_JWT_H

#include <stddef.h>
#include <stdint.h>

#define JWT_MAX_TOKEN 4096    /* bytes; longer tokens are JWT_TOO_LONG */
#define JWT_SECRET_MIN 32     /* bytes; RFC 7518 3.2: at least the hash size */
#define JWT_SECRET_MAX 512    /* bytes */
#define JWT_NAME_MAX 255      /* bytes of iss / aud */
#define JWT_DEFAULT_LEEWAY 30 /* seconds of clock skew allowed */
#define JWT_MAX_LEEWAY 3600   /* larger leeways are clamped to this */
#define JWT_MAX_TIME 253402300799LL /* 9999-12-31T23:59:59Z */
#define JWT_MAX_LANGS 8
#define JWT_MAX_SESSIONS 16

typedef enum {
    JWT_OK = 0,
    JWT_MALFORMED,     /* not three base64url segments of JSON objects */
    JWT_BAD_ALG,       /* alg missing or not "HS256" */
    JWT_BAD_SIGNATURE, /* HMAC does not match (or wrong length) */
    JWT_EXPIRED,       /* exp + leeway <= now */
    JWT_NOT_YET_VALID, /* nbf - leeway > now */
    JWT_BAD_ISSUER,    /* iss missing, not a string or not the expected one */
    JWT_BAD_AUDIENCE,  /* aud missing or does not contain the expected one */
    JWT_BAD_CLAIMS,    /* a claim has the wrong type or is out of range */
    JWT_TOO_LONG       /* token longer than JWT_MAX_TOKEN */
} jwt_error;

/* What a token says about its holder. Fixed size, no heap; every string is
 * NUL-terminated. iat and nbf are 0 when absent. sessions is either a list
 * of session ids or exactly one entry "*" meaning any session. */
typedef struct jwt_claims {
    char sub[65];    /* user id, [A-Za-z0-9_.-]{1,64} */
    char name[129];  /* display name, UTF-8, 1..128 bytes, no controls */
    char role[16];   /* "coordinator", "expert" or "entrepreneur" */
    char country[3]; /* ISO 3166 alpha-2 uppercase, or "" */
    char langs[JWT_MAX_LANGS][9]; /* ISO 639 codes, [a-z]{2,8} */
    int nlangs;
    char sessions[JWT_MAX_SESSIONS][65]; /* [A-Za-z0-9_-]{1,64}, or "*" */
    int nsessions;                       /* 1..JWT_MAX_SESSIONS */
    int64_t iat, exp, nbf; /* seconds since the epoch; exp is required */
} jwt_claims;

/* The secret and the expected issuer and audience. Plain data: copy it
 * freely; wipe it with jwt_keyring_wipe() when done. */
typedef struct jwt_keyring {
    unsigned char secret[JWT_SECRET_MAX];
    size_t secret_len;
    char issuer[JWT_NAME_MAX + 1];
    char audience[JWT_NAME_MAX + 1];
    int64_t leeway_s; /* 0..JWT_MAX_LEEWAY, JWT_DEFAULT_LEEWAY after init */
} jwt_keyring;

/* Returns a static description of err (never NULL). */
const char *jwt_strerror(jwt_error err);

/* Fills *k with a copy of the secret (secret_len bytes, JWT_SECRET_MIN ..
 * JWT_SECRET_MAX), issuer and audience (C strings, 1..JWT_NAME_MAX bytes)
 * and the default leeway. Borrows the arguments for the call. Returns 0, or
 * -1 (leaving *k zeroed) if any of them is out of range. */
int jwt_keyring_init(jwt_keyring *k, const void *secret, size_t secret_len,
                     const char *issuer, const char *audience);

/* Overwrites *k with zeros in a way the compiler cannot elide. */
void jwt_keyring_wipe(jwt_keyring *k);

/* Verifies token (len bytes, not necessarily NUL-terminated) at time now_s
 * and, on JWT_OK, fills *out. Checks, in order: length, three strict
 * base64url segments, a header that is a JSON object with alg "HS256" (typ,
 * if present, "JWT"; no crit), the HMAC-SHA256 signature in constant time,
 * and only then the payload: iss, aud (a string or an array containing the
 * audience), claim types and ranges (as jwt_claims_check), exp and nbf with
 * the keyring's leeway. Unknown claims are ignored; duplicate known claims
 * are rejected. Borrows everything for the call. On failure *out is zeroed
 * and the first failed check is returned. */
jwt_error jwt_verify(const jwt_keyring *keys, const char *token, size_t len,
                     int64_t now_s, jwt_claims *out);

/* Signs c as an HS256 token with keys->issuer as iss and keys->audience as
 * aud (iat and nbf are written only when non-zero). Returns a new
 * NUL-terminated token; the caller frees it with free(). Returns NULL if
 * jwt_claims_check(c) fails or the secret is out of range. Aborts on
 * out-of-memory. */
char *jwt_mint(const jwt_keyring *keys, const jwt_claims *c);

/* Checks every field of *c against the rules in the struct comment (exp
 * in 1..JWT_MAX_TIME, iat and nbf in 0..JWT_MAX_TIME). Returns JWT_OK or
 * JWT_BAD_CLAIMS. The same rules guard jwt_verify and jwt_mint. */
jwt_error jwt_claims_check(const jwt_claims *c);

/* Returns 1 if the holder of c may join the session whose id is the len
 * bytes at session_id (not a C string), else 0. "*" allows any valid id;
 * an invalid id (empty, too long, bad characters) is never allowed. */
int jwt_claims_allows_session(const jwt_claims *c, const char *session_id,
                              size_t len);

#endif
