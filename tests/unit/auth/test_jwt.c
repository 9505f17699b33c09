/* Unit tests for kopa_auth: base64url, HS256 verification and minting,
 * claim rules and the `kopa token` command. Hostile tokens are built here
 * with OpenSSL's HMAC directly, not with jwt_mint, so the tests do not trust
 * the code under test to sign them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "server/auth/b64url.h"
#include "server/auth/jwt.h"
#include "server/auth/token_cli.h"

#define SECRET "kopa-test-secret-0123456789abcdef"
#define NOW 1700000000LL
#define ISSAUD "\"iss\":\"kopa\",\"aud\":\"kopa\""
#define WHO "\"sub\":\"u1\",\"name\":\"Ann\",\"role\":\"expert\""
#define GOOD "{" ISSAUD "," WHO ",\"sessions\":\"*\",\"exp\":1700003600}"
#define HS256 "{\"alg\":\"HS256\",\"typ\":\"JWT\"}"

/* Computed independently with Python's hmac/hashlib/base64 and json.dumps
 * (separators=(',', ':'), ensure_ascii=False) for SECRET and the claims in
 * kat_claims(); the signature was cross-checked with openssl dgst. */
static const char kat_token[] =
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9."
    "eyJpc3MiOiJrb3BhIiwiYXVkIjoia29wYSIsInN1YiI6InUtMTciLCJuYW1lIjoiTMSrZ2Eg"
    "QsSTcnppxYZhIiwicm9sZSI6ImVudHJlcHJlbmV1ciIsImNvdW50cnkiOiJMViIsImxhbmdz"
    "IjpbImx2IiwiZW4iXSwic2Vzc2lvbnMiOlsicmlnYS0yMDI1LTAzIiwiczQyIl0sImlhdCI6"
    "MTcwMDAwMDAwMCwiZXhwIjoxNzAwMDg2NDAwfQ."
    "ERtXfJEh89dSkDt-3FlrI_a_OvZLfU7JndVUX7dHbdA";

static char tok[3 * JWT_MAX_TOKEN];

static jwt_keyring keys(void)
{
    jwt_keyring k;
    assert_int_equal(
        jwt_keyring_init(&k, SECRET, strlen(SECRET), "kopa", "kopa"), 0);
    return k;
}

static void enc(const void *src, size_t n, char *dst)
{
    size_t cap = b64url_encoded_len(n) + 1;
    assert_int_equal(b64url_encode(src, n, dst, cap), cap - 1);
}

/* Writes "hseg.pseg.<sig>" into tok, signing with md and key. */
static const char *sign_segs(const char *hseg, const char *pseg,
                             const EVP_MD *md, const char *key)
{
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int mac_len = 0;
    size_t n;

    n = (size_t)snprintf(tok, sizeof(tok), "%s.%s", hseg, pseg);
    assert_true(n + 200 < sizeof(tok));
    assert_non_null(HMAC(md, key, (int)strlen(key), (unsigned char *)tok, n,
                         mac, &mac_len));
    tok[n++] = '.';
    enc(mac, mac_len, tok + n);
    return tok;
}

/* Builds a token from raw header and payload bytes, signed with SECRET. */
static const char *make(const char *header, const char *payload)
{
    static char h[JWT_MAX_TOKEN * 2], p[JWT_MAX_TOKEN * 2];
    enc(header, strlen(header), h);
    enc(payload, strlen(payload), p);
    return sign_segs(h, p, EVP_sha256(), SECRET);
}

static jwt_error verify_str(const char *t, jwt_claims *c)
{
    jwt_keyring k = keys();
    return jwt_verify(&k, t, strlen(t), NOW, c);
}

static jwt_error verify_json(const char *header, const char *payload)
{
    jwt_claims c;
    return verify_str(make(header, payload), &c);
}

/* Verifies a HS256 token whose payload is GOOD with `field` added. */
static jwt_error verify_with(const char *field)
{
    char p[JWT_MAX_TOKEN * 2];
    snprintf(p, sizeof(p), "{" ISSAUD ",%s,\"exp\":1700003600}", field);
    return verify_json(HS256, p);
}

static jwt_claims kat_claims(void)
{
    jwt_claims c;
    memset(&c, 0, sizeof(c));
    strcpy(c.sub, "u-17");
    strcpy(c.name, "L\xc4\xab"
                   "ga B\xc4\x93rzi\xc5\x86"
                   "a");
    strcpy(c.role, "entrepreneur");
    strcpy(c.country, "LV");
    strcpy(c.langs[0], "lv");
    strcpy(c.langs[1], "en");
    c.nlangs = 2;
    strcpy(c.sessions[0], "riga-2025-03");
    strcpy(c.sessions[1], "s42");
    c.nsessions = 2;
    c.iat = 1700000000;
    c.exp = 1700086400;
    return c;
}

static void test_b64url_vectors(void **state)
{
    static const char *in[] = {"", "f", "fo", "foo", "foob", "fooba", "foobar"};
    static const char *out[] = {"",       "Zg",      "Zm8",     "Zm9v",
                                "Zm9vYg", "Zm9vYmE", "Zm9vYmFy"};
    char buf[16];
    unsigned char raw[16], bytes[64];
    size_t n;

    for (size_t i = 0; i < 7; i++) {
        enc(in[i], strlen(in[i]), buf);
        assert_string_equal(buf, out[i]);
        assert_int_equal(
            b64url_decode(out[i], strlen(out[i]), raw, sizeof(raw), &n), 0);
        assert_int_equal(n, strlen(in[i]));
        assert_memory_equal(raw, in[i], n);
    }
    for (size_t i = 0; i < sizeof(bytes); i++)
        bytes[i] = (unsigned char)(i * 37 + 250);
    enc(bytes, sizeof(bytes), (char *)tok);
    assert_null(strchr(tok, '+'));
    assert_null(strchr(tok, '/'));
    assert_int_equal(b64url_encode("foo", 3, buf, 4), 0); /* no room */
    (void)state;
}

static void test_b64url_strict(void **state)
{
    /* padding, '+' and '/', whitespace, length 1 mod 4, non-zero unused
     * trailing bits ("Zh" and "Zm9" would otherwise alias "Zg" and "Zm8") */
    static const char *bad[] = {"Zg==", "Zm9v+", "Zm9/", "Zm 9", "Z",    "Zh",
                                "Zm9",  "Zm8\n", "Zm8=", "A",    "AAAAA"};
    unsigned char raw[16];
    size_t n;

    assert_int_equal(b64url_decode("Zm8", 3, raw, sizeof(raw), &n), 0);
    assert_int_equal(b64url_decode("Zg", 2, raw, sizeof(raw), &n), 0);
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        assert_int_equal(
            b64url_decode(bad[i], strlen(bad[i]), raw, sizeof(raw), &n), -1);
    assert_int_equal(b64url_decode("Zm9v", 4, raw, 2, &n), -1); /* cap */
    (void)state;
}

static void test_round_trip(void **state)
{
    jwt_keyring k = keys();
    jwt_claims c = kat_claims(), got;
    char *t;

    c.nbf = 1699999990;
    t = jwt_mint(&k, &c);
    assert_non_null(t);
    assert_int_equal(jwt_verify(&k, t, strlen(t), NOW + 10, &got), JWT_OK);
    assert_memory_equal(&c, &got, sizeof(c));
    free(t);

    memset(c.sessions, 0, sizeof(c.sessions));
    strcpy(c.sessions[0], "*");
    c.nsessions = 1;
    c.nlangs = 0;
    memset(c.langs, 0, sizeof(c.langs));
    memset(c.country, 0, sizeof(c.country));
    t = jwt_mint(&k, &c);
    assert_non_null(t);
    assert_int_equal(jwt_verify(&k, t, strlen(t), NOW + 10, &got), JWT_OK);
    assert_memory_equal(&c, &got, sizeof(c));
    free(t);
    (void)state;
}

static void test_known_answer(void **state)
{
    jwt_keyring k = keys();
    jwt_claims want = kat_claims(), got;
    char *t;

    assert_int_equal(
        jwt_verify(&k, kat_token, strlen(kat_token), NOW + 60, &got), JWT_OK);
    assert_memory_equal(&want, &got, sizeof(want));
    t = jwt_mint(&k, &want);
    assert_non_null(t);
    assert_string_equal(t, kat_token);
    free(t);
    (void)state;
}

static void test_alg(void **state)
{
    char h[64], p[1024];

    assert_int_equal(verify_json("{\"alg\":\"none\",\"typ\":\"JWT\"}", GOOD),
                     JWT_BAD_ALG);
    assert_int_equal(verify_json("{\"typ\":\"JWT\"}", GOOD), JWT_BAD_ALG);
    assert_int_equal(verify_json("{\"alg\":\"hs256\"}", GOOD), JWT_BAD_ALG);
    assert_int_equal(verify_json("{\"alg\":256}", GOOD), JWT_BAD_ALG);
    assert_int_equal(verify_json("{\"alg\":null}", GOOD), JWT_BAD_ALG);
    assert_int_equal(verify_json("{\"alg\":\"HS256\"}", GOOD), JWT_OK);
    /* alg none with the empty signature of an unsecured JWT */
    enc("{\"alg\":\"none\"}", 14, h);
    enc(GOOD, strlen(GOOD), p);
    snprintf(tok, sizeof(tok), "%s.%s.", h, p);
    assert_int_equal(verify_str(tok, &(jwt_claims){0}), JWT_BAD_ALG);
    /* HS512, correctly signed with the same secret */
    enc("{\"alg\":\"HS512\",\"typ\":\"JWT\"}", 27, h);
    sign_segs(h, p, EVP_sha512(), SECRET);
    assert_int_equal(verify_str(tok, &(jwt_claims){0}), JWT_BAD_ALG);
    (void)state;
}

static void test_header_rules(void **state)
{
    assert_int_equal(verify_json("{\"alg\":\"HS256\",\"typ\":\"JWS\"}", GOOD),
                     JWT_MALFORMED);
    assert_int_equal(verify_json("{\"alg\":\"HS256\",\"typ\":1}", GOOD),
                     JWT_MALFORMED);
    assert_int_equal(
        verify_json("{\"alg\":\"HS256\",\"crit\":[\"exp\"],\"exp\":1}", GOOD),
        JWT_MALFORMED);
    assert_int_equal(verify_json("{\"alg\":\"HS256\",\"alg\":\"none\"}", GOOD),
                     JWT_MALFORMED);
    assert_int_equal(verify_json("{\"alg\":\"HS256\",\"kid\":\"k1\"}", GOOD),
                     JWT_OK);
    (void)state;
}

static void test_bad_signature(void **state)
{
    jwt_claims c;
    jwt_keyring k = keys();
    char h[64], p[1024], t2[2048];
    unsigned char raw[1024];
    size_t n;
    const char *t = make(HS256, GOOD);

    assert_int_equal(verify_str(t, &c), JWT_OK);
    strcpy(t2, t);
    /* one flipped bit in the signature */
    char *sig = strrchr(t2, '.') + 1;
    assert_int_equal(b64url_decode(sig, strlen(sig), raw, sizeof(raw), &n), 0);
    raw[5] ^= 0x10;
    enc(raw, n, sig);
    assert_int_equal(verify_str(t2, &c), JWT_BAD_SIGNATURE);
    raw[5] ^= 0x10;
    raw[n - 1] ^= 0x01; /* the very last bit of the MAC counts too */
    enc(raw, n, sig);
    assert_int_equal(verify_str(t2, &c), JWT_BAD_SIGNATURE);
    raw[n - 1] ^= 0x01;
    enc(raw, n, sig);
    assert_int_equal(verify_str(t2, &c), JWT_OK);
    /* one flipped bit in the payload, old signature kept */
    strcpy(t2, t);
    enc(HS256, strlen(HS256), h);
    memcpy(raw, GOOD, strlen(GOOD));
    raw[30] ^= 0x01;
    enc(raw, strlen(GOOD), p);
    snprintf(t2, sizeof(t2), "%s.%s.%s", h, p, strrchr(t, '.') + 1);
    assert_int_equal(verify_str(t2, &c), JWT_BAD_SIGNATURE);
    /* wrong secret, truncated and empty signatures */
    sign_segs(h, p, EVP_sha256(), SECRET "x");
    assert_int_equal(verify_str(tok, &c), JWT_BAD_SIGNATURE);
    t = make(HS256, GOOD);
    strcpy(t2, t);
    t2[strlen(t2) - 1] = '\0';
    assert_int_equal(verify_str(t2, &c), JWT_BAD_SIGNATURE);
    *(strrchr(t2, '.') + 1) = '\0';
    assert_int_equal(verify_str(t2, &c), JWT_BAD_SIGNATURE);
    /* a keyring that was never initialised verifies nothing */
    memset(&k, 0, sizeof(k));
    assert_int_equal(jwt_verify(&k, t, strlen(t), NOW, &c), JWT_BAD_SIGNATURE);
    (void)state;
}

static void test_time_window(void **state)
{
    jwt_keyring k = keys();
    jwt_claims c;
    char p[512];

    /* exp + leeway <= now means expired */
    snprintf(p, sizeof(p),
             "{" ISSAUD "," WHO ",\"sessions\":\"*\","
             "\"exp\":%lld}",
             NOW - 30);
    assert_int_equal(verify_json(HS256, p), JWT_EXPIRED);
    snprintf(p, sizeof(p),
             "{" ISSAUD "," WHO ",\"sessions\":\"*\","
             "\"exp\":%lld}",
             NOW - 29);
    assert_int_equal(verify_json(HS256, p), JWT_OK);
    const char *t = make(HS256, p);
    k.leeway_s = 0;
    assert_int_equal(jwt_verify(&k, t, strlen(t), NOW, &c), JWT_EXPIRED);
    assert_int_equal(jwt_verify(&k, t, strlen(t), NOW - 30, &c), JWT_OK);
    snprintf(p, sizeof(p),
             "{" ISSAUD "," WHO ",\"sessions\":\"*\","
             "\"exp\":%lld,\"nbf\":%lld}",
             NOW + 3600, NOW + 31);
    assert_int_equal(verify_json(HS256, p), JWT_NOT_YET_VALID);
    snprintf(p, sizeof(p),
             "{" ISSAUD "," WHO ",\"sessions\":\"*\","
             "\"exp\":%lld,\"nbf\":%lld}",
             NOW + 3600, NOW + 30);
    assert_int_equal(verify_json(HS256, p), JWT_OK);
    /* exp is required, and must be an integral NumericDate */
    assert_int_equal(
        verify_json(HS256, "{" ISSAUD "," WHO ",\"sessions\":\"*\"}"),
        JWT_BAD_CLAIMS);
    assert_int_equal(verify_json(HS256, "{" ISSAUD "," WHO
                                        ",\"sessions\":\"*\",\"exp\":\"9\"}"),
                     JWT_BAD_CLAIMS);
    assert_int_equal(verify_json(HS256,
                                 "{" ISSAUD "," WHO ",\"sessions\":\"*\","
                                 "\"exp\":1700003600.5}"),
                     JWT_BAD_CLAIMS);
    assert_int_equal(verify_json(HS256, "{" ISSAUD "," WHO
                                        ",\"sessions\":\"*\",\"exp\":1e300}"),
                     JWT_BAD_CLAIMS);
    (void)state;
}

static void test_issuer_audience(void **state)
{
    const char *tail = "," WHO ",\"sessions\":\"*\",\"exp\":1700003600}";
    char p[512];
    struct {
        const char *head;
        jwt_error want;
    } cases[] = {
        {"{\"iss\":\"other\",\"aud\":\"kopa\"", JWT_BAD_ISSUER},
        {"{\"aud\":\"kopa\"", JWT_BAD_ISSUER},
        {"{\"iss\":7,\"aud\":\"kopa\"", JWT_BAD_ISSUER},
        {"{\"iss\":\"kopa\",\"iss\":\"kopa\",\"aud\":\"kopa\"", JWT_BAD_ISSUER},
        {"{\"iss\":\"kopa\",\"aud\":\"other\"", JWT_BAD_AUDIENCE},
        {"{\"iss\":\"kopa\"", JWT_BAD_AUDIENCE},
        {"{\"iss\":\"kopa\",\"aud\":[\"a\",\"b\"]", JWT_BAD_AUDIENCE},
        {"{\"iss\":\"kopa\",\"aud\":[]", JWT_BAD_AUDIENCE},
        {"{\"iss\":\"kopa\",\"aud\":[1,\"kopa\"]", JWT_BAD_AUDIENCE},
        {"{\"iss\":\"kopa\",\"aud\":{\"kopa\":1}", JWT_BAD_AUDIENCE},
        {"{\"iss\":\"kopa\",\"aud\":[\"a\",\"kopa\"]", JWT_OK},
        {"{\"iss\":\"kopa\",\"aud\":[\"kopa\"]", JWT_OK},
    };

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        snprintf(p, sizeof(p), "%s%s", cases[i].head, tail);
        assert_int_equal(verify_json(HS256, p), cases[i].want);
    }
    (void)state;
}

static void test_malformed(void **state)
{
    static const char *bad[] = {"",   "abc", "a.b",       "a.b.c.d",
                                "..", "...", "eyJ9.e30.", " "};
    jwt_claims c;
    char t2[2048];
    const char *t = make(HS256, GOOD);

    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        assert_int_equal(verify_str(bad[i], &c), JWT_MALFORMED);
    snprintf(t2, sizeof(t2), "%s.", t); /* four segments */
    assert_int_equal(verify_str(t2, &c), JWT_MALFORMED);
    snprintf(t2, sizeof(t2), "%s=", t); /* padding */
    assert_int_equal(verify_str(t2, &c), JWT_MALFORMED);
    strcpy(t2, t);
    t2[40] = '+'; /* standard base64, not base64url */
    assert_int_equal(verify_str(t2, &c), JWT_MALFORMED);
    strcpy(t2, t);
    t2[40] = '/';
    assert_int_equal(verify_str(t2, &c), JWT_MALFORMED);
    /* a NUL inside the stated length */
    jwt_keyring k = keys();
    strcpy(t2, t);
    t2[20] = '\0';
    assert_int_equal(jwt_verify(&k, t2, strlen(t), NOW, &c), JWT_MALFORMED);
    /* explicit length: trailing bytes past len are ignored */
    snprintf(t2, sizeof(t2), "%s.garbage", t);
    assert_int_equal(jwt_verify(&k, t2, strlen(t), NOW, &c), JWT_OK);
    /* payload of length 1 mod 4 (signed, so only the decoder can object) */
    char h[64];
    enc(HS256, strlen(HS256), h);
    sign_segs(h, "e30xx", EVP_sha256(), SECRET);
    assert_int_equal(verify_str(tok, &c), JWT_MALFORMED);
    sign_segs(h, "e31", EVP_sha256(), SECRET); /* non-zero trailing bits */
    assert_int_equal(verify_str(tok, &c), JWT_MALFORMED);
    sign_segs(h, "", EVP_sha256(), SECRET); /* empty payload */
    assert_int_equal(verify_str(tok, &c), JWT_MALFORMED);
    (void)state;
}

static void test_not_json_object(void **state)
{
    static const char *bad[] = {"hello",    "[]",           "123",
                                "\"x\"",    "null",         "{} x",
                                "{\"a\":1", "{\"a\":\x01}", ""};

    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        assert_int_equal(verify_json(HS256, bad[i]), JWT_MALFORMED);
        assert_int_equal(verify_json(bad[i], GOOD), JWT_MALFORMED);
    }
    assert_int_equal(verify_json("[\"HS256\"]", GOOD), JWT_MALFORMED);
    /* a raw control byte inside a string must not reach C string code */
    assert_int_equal(verify_with(WHO ",\"sessions\":\"*\",\"x\":\"a\x01\""),
                     JWT_MALFORMED);
    (void)state;
}

static void test_claim_types(void **state)
{
    static const char *bad[] = {
        "\"sub\":\"u1\",\"name\":\"Ann\",\"role\":42,\"sessions\":\"*\"",
        "\"sub\":\"u1\",\"name\":\"Ann\",\"role\":\"admin\",\"sessions\":\"*\"",
        "\"sub\":\"u1\",\"name\":\"Ann\",\"role\":\"Expert\",\"sessions\":\"*"
        "\"",
        "\"sub\":\"u1\",\"name\":\"Ann\",\"sessions\":\"*\"",
        WHO ",\"sessions\":\"x\"",
        WHO ",\"sessions\":[\"*\"]",
        WHO ",\"sessions\":[]",
        WHO ",\"sessions\":[1]",
        WHO ",\"sessions\":[\"a b\"]",
        WHO ",\"sessions\":{}",
        WHO,
        WHO ",\"sessions\":[\"a\",\"b\",\"c\",\"d\",\"e\",\"f\",\"g\",\"h\","
            "\"i\",\"j\",\"k\",\"l\",\"m\",\"n\",\"o\",\"p\",\"q\"]",
        WHO ",\"sessions\":\"*\",\"country\":\"se\"",
        WHO ",\"sessions\":\"*\",\"country\":\"SWE\"",
        WHO ",\"sessions\":\"*\",\"country\":46",
        WHO ",\"sessions\":\"*\",\"langs\":\"sv\"",
        WHO ",\"sessions\":\"*\",\"langs\":[\"EN\"]",
        WHO ",\"sessions\":\"*\",\"langs\":[\"e\"]",
        WHO ",\"sessions\":\"*\",\"langs\":[\"abcdefghi\"]",
        WHO ",\"sessions\":\"*\",\"iat\":-5",
        WHO ",\"sessions\":\"*\",\"nbf\":true",
        WHO ",\"sessions\":\"*\",\"sub\":\"u2\"",
        "\"sub\":\"u/1\",\"name\":\"Ann\",\"role\":\"expert\","
        "\"sessions\":\"*\"",
        "\"sub\":\"\",\"name\":\"Ann\",\"role\":\"expert\",\"sessions\":\"*\"",
        "\"sub\":1,\"name\":\"Ann\",\"role\":\"expert\",\"sessions\":\"*\"",
        "\"sub\":\"u1\",\"name\":\"\",\"role\":\"expert\",\"sessions\":\"*\"",
        "\"sub\":\"u1\",\"name\":\"A\\u0007\",\"role\":\"expert\","
        "\"sessions\":\"*\"",
        "\"sub\":\"u1\",\"name\":\"A\xff\",\"role\":\"expert\","
        "\"sessions\":\"*\"",
        "\"sub\":\"u1\",\"name\":\"A\xc2\x85\",\"role\":\"expert\","
        "\"sessions\":\"*\"",
        "\"sub\":\"u1\",\"name\":\"A\x7f\",\"role\":\"expert\","
        "\"sessions\":\"*\"",
        "\"sub\":\"u1\",\"name\":\"\xe0\x80\xaf\",\"role\":\"expert\","
        "\"sessions\":\"*\"",
        "\"sub\":\"u1\",\"name\":\"\xf0\x80\x80\xaf\",\"role\":\"expert\","
        "\"sessions\":\"*\"",
        "\"sub\":\"u1\",\"name\":\"\xf4\x90\x80\x80\",\"role\":\"expert\","
        "\"sessions\":\"*\"",
        "\"sub\":\"u1\",\"name\":\"A\xe2\x82\",\"role\":\"expert\","
        "\"sessions\":\"*\"",
        "\"sub\":\"u1\",\"name\":\"\xc0\xaf\",\"role\":\"expert\","
        "\"sessions\":\"*\"",
        "\"sub\":\"u1\",\"name\":\"\xed\xa0\x80\",\"role\":\"expert\","
        "\"sessions\":\"*\"",
    };

    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        if (verify_with(bad[i]) != JWT_BAD_CLAIMS)
            fail_msg("case %zu (%s) not refused", i, bad[i]);
    }
    assert_int_equal(verify_with(WHO ",\"sessions\":[\"s-1\",\"s_2\"],"
                                     "\"langs\":[\"sv\",\"en\"],"
                                     "\"country\":\"SE\",\"extra\":[1,{}]"),
                     JWT_OK);
    (void)state;
}

static void test_lengths(void **state)
{
    char f[1024], big[JWT_MAX_TOKEN + 64];
    jwt_claims c;
    jwt_keyring k = keys();

    memset(big, 'a', sizeof(big));
    snprintf(f, sizeof(f),
             "\"sub\":\"%.64s\",\"name\":\"%.128s\","
             "\"role\":\"expert\",\"sessions\":\"*\"",
             big, big);
    assert_int_equal(verify_with(f), JWT_OK);
    snprintf(f, sizeof(f),
             "\"sub\":\"%.65s\",\"name\":\"Ann\","
             "\"role\":\"expert\",\"sessions\":\"*\"",
             big);
    assert_int_equal(verify_with(f), JWT_BAD_CLAIMS);
    snprintf(f, sizeof(f),
             "\"sub\":\"u1\",\"name\":\"%.129s\","
             "\"role\":\"expert\",\"sessions\":\"*\"",
             big);
    assert_int_equal(verify_with(f), JWT_BAD_CLAIMS);
    snprintf(f, sizeof(f), WHO ",\"sessions\":[\"%.65s\"]", big);
    assert_int_equal(verify_with(f), JWT_BAD_CLAIMS);
    /* over 4096 bytes: refused before anything else, signed or not */
    assert_int_equal(jwt_verify(&k, big, JWT_MAX_TOKEN + 1, NOW, &c),
                     JWT_TOO_LONG);
    memset(big, 'p', 3100);
    big[3100] = '\0';
    char *field = malloc(sizeof(big) + 64);
    assert_non_null(field);
    snprintf(field, sizeof(big) + 64, WHO ",\"sessions\":\"*\",\"pad\":\"%s\"",
             big);
    assert_int_equal(verify_with(field), JWT_TOO_LONG);
    free(field);
    (void)state;
}

static void test_sessions(void **state)
{
    jwt_claims c = kat_claims();

    assert_true(jwt_claims_allows_session(&c, "s42", 3));
    assert_true(jwt_claims_allows_session(&c, "s42xyz", 3)); /* explicit len */
    assert_true(jwt_claims_allows_session(&c, "riga-2025-03", 12));
    assert_false(jwt_claims_allows_session(&c, "s4", 2));
    assert_false(jwt_claims_allows_session(&c, "s421", 4));
    assert_false(jwt_claims_allows_session(&c, "riga-2025-04", 12));
    assert_false(jwt_claims_allows_session(&c, "", 0));
    assert_false(jwt_claims_allows_session(&c, "*", 1));
    memset(c.sessions, 0, sizeof(c.sessions));
    strcpy(c.sessions[0], "*");
    c.nsessions = 1;
    assert_true(jwt_claims_allows_session(&c, "anything-1", 10));
    assert_false(jwt_claims_allows_session(&c, "*", 1));
    assert_false(jwt_claims_allows_session(&c, "a/b", 3));
    assert_false(jwt_claims_allows_session(&c, "a\0b", 3));
    assert_false(jwt_claims_allows_session(&c, NULL, 0));
    (void)state;
}

static void test_mint_refuses(void **state)
{
    jwt_keyring k = keys();
    jwt_claims c = kat_claims();

    strcpy(c.role, "admin");
    assert_null(jwt_mint(&k, &c));
    c = kat_claims();
    c.exp = 0;
    assert_null(jwt_mint(&k, &c));
    c = kat_claims();
    c.nsessions = 0;
    assert_null(jwt_mint(&k, &c));
    c = kat_claims();
    memset(c.name, 'x', sizeof(c.name)); /* no NUL */
    assert_null(jwt_mint(&k, &c));
    c = kat_claims();
    c.nlangs = 9;
    assert_null(jwt_mint(&k, &c));
    assert_int_equal(jwt_keyring_init(&k, "short", 5, "kopa", "kopa"), -1);
    assert_int_equal(jwt_keyring_init(&k, SECRET, strlen(SECRET), "", "kopa"),
                     -1);
    assert_int_equal(k.secret_len, 0);
    assert_null(jwt_mint(&k, &(jwt_claims){0}));
    (void)state;
}

static void test_strerror(void **state)
{
    for (int e = JWT_OK; e <= JWT_TOO_LONG; e++) {
        assert_non_null(jwt_strerror((jwt_error)e));
        assert_string_not_equal(jwt_strerror((jwt_error)e), "unknown error");
    }
    assert_string_equal(jwt_strerror((jwt_error)99), "unknown error");
    (void)state;
}

/* Runs token_cli_main on a NULL-terminated argument list. The output goes
 * to *out (first two lines), errors to *err. Returns the exit code. */
static int run_cli(char *out, size_t out_cap, char *err, size_t err_cap, ...)
{
    char *argv[40];
    int argc = 0, rc;
    va_list ap;
    FILE *fo = tmpfile(), *fe = tmpfile();

    assert_non_null(fo);
    assert_non_null(fe);
    va_start(ap, err_cap);
    while ((argv[argc] = va_arg(ap, char *)) != NULL)
        argc++;
    va_end(ap);
    rc = token_cli_main(argc, argv, fo, fe);
    rewind(fo);
    rewind(fe);
    out[fread(out, 1, out_cap - 1, fo)] = '\0';
    err[fread(err, 1, err_cap - 1, fe)] = '\0';
    fclose(fo);
    fclose(fe);
    return rc;
}

static void clear_env(void)
{
    unsetenv("KOPA_SECRET");
    unsetenv("KOPA_ISSUER");
    unsetenv("KOPA_AUDIENCE");
    unsetenv("KOPA_PUBLIC_URL");
}

static void test_cli_mints(void **state)
{
    char out[8192], err[1024], link[8192];
    jwt_keyring k = keys();
    jwt_claims c;
    char *nl;

    clear_env();
    assert_int_equal(run_cli(out, sizeof(out), err, sizeof(err), "token",
                             "--secret", SECRET, "--sub", "anna.k", "--name",
                             "Anna K", "--role", "coordinator", "--country",
                             "SE", "--langs", "sv,en", "--session", "s1",
                             "--session", "riga-03", "--ttl", "600", "--url",
                             "https://kopa.example/", NULL),
                     0);
    assert_string_equal(err, "");
    nl = strchr(out, '\n');
    assert_non_null(nl);
    *nl = '\0';
    assert_int_equal(jwt_verify(&k, out, strlen(out), (int64_t)time(NULL), &c),
                     JWT_OK);
    assert_string_equal(c.sub, "anna.k");
    assert_string_equal(c.name, "Anna K");
    assert_string_equal(c.role, "coordinator");
    assert_string_equal(c.country, "SE");
    assert_int_equal(c.nlangs, 2);
    assert_string_equal(c.langs[1], "en");
    assert_int_equal(c.nsessions, 2);
    assert_string_equal(c.sessions[1], "riga-03");
    assert_int_equal(c.exp - c.iat, 600);
    snprintf(link, sizeof(link), "https://kopa.example/#session=s1&token=%s\n",
             out);
    assert_string_equal(nl + 1, link);
    /* the token has expired for a verifier ten minutes and a leeway later */
    assert_int_equal(jwt_verify(&k, out, strlen(out), c.exp + 30, &c),
                     JWT_EXPIRED);
    (void)state;
}

static void test_cli_env_and_file(void **state)
{
    char out[8192], err[1024], path[] = "/tmp/kopa-secret-XXXXXX";
    jwt_keyring k;
    jwt_claims c;
    int fd;

    clear_env();
    setenv("KOPA_SECRET", SECRET, 1);
    setenv("KOPA_ISSUER", "kopa-se", 1);
    setenv("KOPA_AUDIENCE", "kopa-rooms", 1);
    setenv("KOPA_PUBLIC_URL", "https://k.example", 1);
    assert_int_equal(run_cli(out, sizeof(out), err, sizeof(err), "token",
                             "--sub", "u1", "--role", "expert", NULL),
                     0);
    *strchr(out, '\n') = '\0';
    assert_int_equal(
        jwt_keyring_init(&k, SECRET, strlen(SECRET), "kopa-se", "kopa-rooms"),
        0);
    assert_int_equal(jwt_verify(&k, out, strlen(out), (int64_t)time(NULL), &c),
                     JWT_OK);
    assert_string_equal(c.name, "u1"); /* defaults to sub */
    assert_true(jwt_claims_allows_session(&c, "any", 3));
    assert_non_null(strstr(out + strlen(out) + 1,
                           "https://k.example/#session=demo&token="));
    assert_int_equal(c.exp - c.iat, 86400);

    clear_env();
    fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, SECRET "\n", strlen(SECRET) + 1),
                     (ssize_t)strlen(SECRET) + 1);
    close(fd);
    assert_int_equal(run_cli(out, sizeof(out), err, sizeof(err), "token",
                             "--secret-file", path, "--sub", "u1", "--role",
                             "entrepreneur", NULL),
                     0);
    unlink(path);
    *strchr(out, '\n') = '\0';
    k = keys();
    assert_int_equal(jwt_verify(&k, out, strlen(out), (int64_t)time(NULL), &c),
                     JWT_OK);
    assert_non_null(strstr(out + strlen(out) + 1,
                           "http://127.0.0.1:8080/#session=demo&token="));
    (void)state;
}

static void test_cli_bad_flags(void **state)
{
    char out[8192], err[1024];
#define BAD(...)                                                               \
    do {                                                                       \
        assert_int_equal(run_cli(out, sizeof(out), err, sizeof(err), "token",  \
                                 __VA_ARGS__, NULL),                           \
                         2);                                                   \
        assert_string_equal(out, "");                                          \
        assert_non_null(strstr(err, "kopa token: "));                          \
    } while (0)

    clear_env();
    BAD("--sub", "u1", "--role", "expert"); /* no secret */
    BAD("--secret", "short", "--sub", "u1", "--role", "expert");
    BAD("--secret", SECRET, "--secret-file", "/nonexistent", "--sub", "u1",
        "--role", "expert");
    BAD("--secret-file", "/nonexistent/kopa", "--sub", "u1", "--role",
        "expert");
    BAD("--secret", SECRET, "--sub", "u1", "--role", "admin");
    BAD("--secret", SECRET, "--sub", "u1");
    BAD("--secret", SECRET, "--role", "expert");
    BAD("--secret", SECRET, "--sub", "u/1", "--role", "expert");
    BAD("--secret", SECRET, "--sub", "u1", "--role", "expert", "--bogus");
    BAD("--secret", SECRET, "--sub", "u1", "--role", "expert", "stray");
    BAD("--secret", SECRET, "--sub", "u1", "--role", "expert", "--ttl", "abc");
    BAD("--secret", SECRET, "--sub", "u1", "--role", "expert", "--ttl", "0");
    BAD("--secret", SECRET, "--sub", "u1", "--role", "expert", "--ttl", "-5");
    BAD("--secret", SECRET, "--sub", "u1", "--role", "expert", "--country",
        "se");
    BAD("--secret", SECRET, "--sub", "u1", "--role", "expert", "--langs",
        "sv,");
    BAD("--secret", SECRET, "--sub", "u1", "--role", "expert", "--langs",
        "sv,en,lv,lt,et,ru,fi,no,da");
    BAD("--secret", SECRET, "--sub", "u1", "--role", "expert", "--session", "*",
        "--session", "s1");
    BAD("--secret", SECRET, "--sub", "u1", "--role", "expert", "--session",
        "a b");
    BAD("--secret", SECRET, "--sub", "u1", "--role", "expert", "--issuer", "");
    BAD("--secret", SECRET, "--sub", "u1", "--role", "expert", "--ttl");
#undef BAD
    assert_int_equal(
        run_cli(out, sizeof(out), err, sizeof(err), "token", "--help", NULL),
        0);
    assert_non_null(strstr(out, "usage: kopa token"));
    (void)state;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_b64url_vectors),
        cmocka_unit_test(test_b64url_strict),
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_known_answer),
        cmocka_unit_test(test_alg),
        cmocka_unit_test(test_header_rules),
        cmocka_unit_test(test_bad_signature),
        cmocka_unit_test(test_time_window),
        cmocka_unit_test(test_issuer_audience),
        cmocka_unit_test(test_malformed),
        cmocka_unit_test(test_not_json_object),
        cmocka_unit_test(test_claim_types),
        cmocka_unit_test(test_lengths),
        cmocka_unit_test(test_sessions),
        cmocka_unit_test(test_mint_refuses),
        cmocka_unit_test(test_strerror),
        cmocka_unit_test(test_cli_mints),
        cmocka_unit_test(test_cli_env_and_file),
        cmocka_unit_test(test_cli_bad_flags),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
