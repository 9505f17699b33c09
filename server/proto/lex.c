/* lex.c: the strict lexical check of a raw client frame, run by proto_parse
 * before cJSON sees it, and the UTF-8 rules of the module. cJSON 1.7.15 is
 * lenient (it skips any control byte as whitespace, keeps raw control bytes
 * and NULs in strings, accepts "0123", "1." and a BOM, cuts numbers at 63
 * characters, and truncates strings at \u0000); this file makes the frame
 * plain RFC 8259 JSON text before cJSON builds the tree, so that what cJSON
 * gives back is exactly what the client sent. */
#include "server/proto/proto_int.h"

#include <string.h>

#define NUMBER_MAX 63 /* cJSON copies at most 63 characters of a number */

size_t proto__utf8_seq(const unsigned char *s, size_t n)
{
    unsigned char c = s[0];
    size_t need;
    unsigned char lo = 0x80, hi = 0xBF; /* allowed range of s[1] */

    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF) {
        need = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
        need = 3;
        if (c == 0xE0)
            lo = 0xA0; /* overlong */
        else if (c == 0xED)
            hi = 0x9F; /* surrogates */
    } else if (c >= 0xF0 && c <= 0xF4) {
        need = 4;
        if (c == 0xF0)
            lo = 0x90; /* overlong */
        else if (c == 0xF4)
            hi = 0x8F; /* above U+10FFFF */
    } else {
        return 0;
    }
    if (n < need || s[1] < lo || s[1] > hi)
        return 0;
    for (size_t i = 2; i < need; i++)
        if ((s[i] & 0xC0) != 0x80)
            return 0;
    return need;
}

int proto_valid_utf8(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;

    while (i < len) {
        size_t n = p[i] < 0x80 ? 1 : proto__utf8_seq(p + i, len - i);
        if (n == 0)
            return 0;
        i += n;
    }
    return 1;
}

static int is_ws(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static int is_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

static int hex4(const unsigned char *p, unsigned *out)
{
    unsigned v = 0;

    for (int i = 0; i < 4; i++) {
        unsigned char c = p[i];
        unsigned d;
        if (is_digit(c))
            d = c - '0';
        else if (c >= 'a' && c <= 'f')
            d = c - 'a' + 10u;
        else if (c >= 'A' && c <= 'F')
            d = c - 'A' + 10u;
        else
            return 0;
        v = v * 16 + d;
    }
    *out = v;
    return 1;
}

/* The lexer's position and findings. */
typedef struct lexer {
    const unsigned char *p;
    size_t len;
    size_t i;
    proto__lexinfo *info;
    size_t key_off, key_len; /* the last object key seen */
    int have_key;
} lexer;

static int lex_error(lexer *lx, size_t off, const char *why)
{
    lx->info->err = why;
    lx->info->err_off = off;
    return -1;
}

/* A \uXXXX escape at lx->i (the backslash); advances past it (and its low
 * surrogate). Sets *nul when it is \u0000. */
static int lex_unicode(lexer *lx, int *nul)
{
    size_t at = lx->i;
    unsigned v, w;

    if (lx->len - at < 6 || !hex4(lx->p + at + 2, &v))
        return lex_error(lx, at, "bad \\u escape");
    lx->i = at + 6;
    if (v == 0)
        *nul = 1;
    if (v >= 0xDC00 && v <= 0xDFFF)
        return lex_error(lx, at, "lone low surrogate in a \\u escape");
    if (v < 0xD800 || v > 0xDBFF)
        return 0;
    if (lx->len - lx->i < 6 || lx->p[lx->i] != '\\' ||
        lx->p[lx->i + 1] != 'u' || !hex4(lx->p + lx->i + 2, &w) || w < 0xDC00 ||
        w > 0xDFFF)
        return lex_error(lx, at, "lone high surrogate in a \\u escape");
    lx->i += 6;
    return 0;
}

/* A string starting at the quote at lx->i; advances past its end. */
static int lex_string(lexer *lx)
{
    size_t start = lx->i++;
    int nul = 0;

    for (;;) {
        if (lx->i >= lx->len)
            return lex_error(lx, start, "unterminated string");
        unsigned char c = lx->p[lx->i];
        if (c == '"')
            break;
        if (c < 0x20)
            return lex_error(lx, lx->i, "control character in a string");
        if (c >= 0x80) {
            size_t n = proto__utf8_seq(lx->p + lx->i, lx->len - lx->i);
            if (n == 0)
                return lex_error(lx, lx->i, "invalid UTF-8 in a string");
            lx->i += n;
            continue;
        }
        if (c != '\\') {
            lx->i++;
            continue;
        }
        if (lx->i + 1 >= lx->len)
            return lex_error(lx, start, "unterminated string");
        c = lx->p[lx->i + 1];
        if (c == 'u') {
            if (lex_unicode(lx, &nul) < 0)
                return -1;
        } else if (c && strchr("\"\\/bfnrt", c)) {
            lx->i += 2;
        } else {
            return lex_error(lx, lx->i, "bad escape in a string");
        }
    }
    lx->i++; /* closing quote */

    /* Is this string an object key? Then the next token is ':'. */
    size_t j = lx->i;
    while (j < lx->len && is_ws(lx->p[j]))
        j++;
    int is_key = j < lx->len && lx->p[j] == ':';
    if (nul && !lx->info->nul) {
        lx->info->nul = 1;
        lx->info->nul_off = start;
        lx->info->nul_in_key = is_key;
        if (!is_key && lx->have_key) {
            lx->info->nul_key = (const char *)lx->p + lx->key_off;
            lx->info->nul_key_len = lx->key_len;
        }
    }
    if (is_key) {
        lx->key_off = start + 1;
        lx->key_len = lx->i - start - 2;
        lx->have_key = 1;
    }
    return 0;
}

/* Whether a number or literal may end before byte i. */
static int at_delimiter(const lexer *lx, size_t i)
{
    return i >= lx->len || is_ws(lx->p[i]) || lx->p[i] == ',' ||
           lx->p[i] == ']' || lx->p[i] == '}';
}

static size_t digits(const lexer *lx, size_t i)
{
    while (i < lx->len && is_digit(lx->p[i]))
        i++;
    return i;
}

/* A number of the JSON grammar: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
 */
static int lex_number(lexer *lx)
{
    size_t start = lx->i, i = lx->i, d;

    if (lx->p[i] == '-')
        i++;
    if (i < lx->len && lx->p[i] == '0')
        i++;
    else if (i < lx->len && is_digit(lx->p[i]))
        i = digits(lx, i);
    else
        return lex_error(lx, start, "bad number");
    if (i < lx->len && lx->p[i] == '.') {
        d = digits(lx, i + 1);
        if (d == i + 1)
            return lex_error(lx, start, "bad number");
        i = d;
    }
    if (i < lx->len && (lx->p[i] == 'e' || lx->p[i] == 'E')) {
        i++;
        if (i < lx->len && (lx->p[i] == '+' || lx->p[i] == '-'))
            i++;
        d = digits(lx, i);
        if (d == i)
            return lex_error(lx, start, "bad number");
        i = d;
    }
    if (!at_delimiter(lx, i))
        return lex_error(lx, start, "bad number");
    if (i - start > NUMBER_MAX)
        return lex_error(lx, start, "number longer than 63 characters");
    lx->i = i;
    return 0;
}

static int lex_literal(lexer *lx)
{
    static const char *const words[] = {"true", "false", "null"};

    for (size_t w = 0; w < sizeof(words) / sizeof(words[0]); w++) {
        size_t n = strlen(words[w]);
        if (lx->len - lx->i >= n && !memcmp(lx->p + lx->i, words[w], n) &&
            at_delimiter(lx, lx->i + n)) {
            lx->i += n;
            return 0;
        }
    }
    return lex_error(lx, lx->i, "unexpected characters");
}

/* One token (or whitespace byte) at lx->i; advances past it. */
static int lex_token(lexer *lx, long *depth)
{
    unsigned char c = lx->p[lx->i];

    if (c == '{' || c == '[') {
        if (++*depth > PROTO_MAX_DEPTH)
            return lex_error(lx, lx->i, "nested too deeply");
        lx->i++;
        return 0;
    }
    if (c == '}' || c == ']') {
        --*depth;
        lx->i++;
        return 0;
    }
    if (is_ws(c) || c == ':' || c == ',') {
        lx->i++;
        return 0;
    }
    if (c == '"')
        return lex_string(lx);
    if (c == '-' || is_digit(c))
        return lex_number(lx);
    if (c == 't' || c == 'f' || c == 'n')
        return lex_literal(lx);
    if (c < 0x20 || c >= 0x7F)
        return lex_error(lx, lx->i, "unexpected byte");
    return lex_error(lx, lx->i, "unexpected character");
}

int proto__lex(const char *buf, size_t len, proto__lexinfo *info)
{
    lexer lx = {(const unsigned char *)buf, len, 0, info, 0, 0, 0};
    long depth = 0; /* opened minus closed; the structure is cJSON's job */

    memset(info, 0, sizeof(*info));
    while (lx.i < len)
        if (lex_token(&lx, &depth) < 0)
            return -1;
    return 0;
}
