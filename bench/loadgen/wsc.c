/* wsc: WebSocket handshake and framing for the load generator's client
 * connections (called by lg.c). The accept check uses OpenSSL's SHA-1. */
#include "wsc.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <openssl/evp.h>

static const char b64[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static uint32_t next_rand(uint32_t *s)
{
    uint32_t x = *s ? *s : 0x9e3779b9u;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return *s = x;
}

/* Standard base64 with padding; out must hold 4 * ((len + 2) / 3) + 1. */
static void base64(const unsigned char *in, size_t len, char *out)
{
    size_t o = 0;
    for (size_t i = 0; i < len; i += 3) {
        unsigned v = (unsigned)in[i] << 16;
        if (i + 1 < len)
            v |= (unsigned)in[i + 1] << 8;
        if (i + 2 < len)
            v |= in[i + 2];
        out[o++] = b64[(v >> 18) & 63];
        out[o++] = b64[(v >> 12) & 63];
        out[o++] = i + 1 < len ? b64[(v >> 6) & 63] : '=';
        out[o++] = i + 2 < len ? b64[v & 63] : '=';
    }
    out[o] = '\0';
}

void wsc_make_key(uint32_t *rng, char key[25])
{
    unsigned char raw[16];
    for (int i = 0; i < 16; i += 4) {
        uint32_t r = next_rand(rng);
        memcpy(raw + i, &r, 4);
    }
    base64(raw, sizeof(raw), key);
}

int wsc_request(char *buf, size_t cap, const char *host, int port,
                const char *path, const char *subprotocol, const char *key)
{
    int n = snprintf(buf, cap,
                     "GET %s HTTP/1.1\r\n"
                     "Host: %s:%d\r\n"
                     "Upgrade: websocket\r\n"
                     "Connection: Upgrade\r\n"
                     "Sec-WebSocket-Key: %s\r\n"
                     "Sec-WebSocket-Version: 13\r\n"
                     "%s%s%s"
                     "\r\n",
                     path, host, port, key,
                     subprotocol ? "Sec-WebSocket-Protocol: " : "",
                     subprotocol ? subprotocol : "", subprotocol ? "\r\n" : "");
    return n < 0 || (size_t)n >= cap ? -1 : n;
}

/* The value of header name in the header block [p, end), or NULL; its
 * length in *vlen. */
static const char *header_value(const char *p, const char *end,
                                const char *name, size_t *vlen)
{
    size_t nlen = strlen(name);
    while (p < end) {
        const char *eol = memchr(p, '\n', (size_t)(end - p));
        if (eol == NULL)
            eol = end;
        if ((size_t)(eol - p) > nlen && p[nlen] == ':' &&
            strncasecmp(p, name, nlen) == 0) {
            const char *v = p + nlen + 1;
            while (v < eol && (*v == ' ' || *v == '\t'))
                v++;
            const char *ve = eol;
            while (ve > v && (ve[-1] == '\r' || ve[-1] == ' '))
                ve--;
            *vlen = (size_t)(ve - v);
            return v;
        }
        p = eol + 1;
    }
    return NULL;
}

long wsc_response(const char *buf, size_t len, const char *key)
{
    static const char guid[] = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    const char *end = NULL;
    for (size_t i = 3; i < len; i++) {
        if (buf[i] == '\n' && buf[i - 1] == '\r' && buf[i - 2] == '\n' &&
            buf[i - 3] == '\r') {
            end = buf + i + 1;
            break;
        }
    }
    if (end == NULL)
        return len > 8192 ? -1 : 0;
    if (len < 12 || memcmp(buf, "HTTP/1.1 101", 12) != 0)
        return -1;
    char joined[128], want[64];
    unsigned char sha[EVP_MAX_MD_SIZE];
    unsigned sha_len = 0;
    snprintf(joined, sizeof(joined), "%s%s", key, guid);
    if (!EVP_Digest(joined, strlen(joined), sha, &sha_len, EVP_sha1(), NULL))
        return -1;
    base64(sha, sha_len, want);
    size_t vlen = 0;
    const char *v = header_value(buf, end, "Sec-WebSocket-Accept", &vlen);
    if (v == NULL || vlen != strlen(want) || memcmp(v, want, vlen) != 0)
        return -1;
    return (long)(end - buf);
}

long wsc_parse(uint8_t *buf, size_t len, size_t max, wsc_frame *f)
{
    if (len < 2)
        return 0;
    size_t hdr = 2;
    uint64_t plen = buf[1] & 0x7f;
    int masked = (buf[1] & 0x80) != 0;
    if (plen == 126) {
        if (len < 4)
            return 0;
        plen = ((uint64_t)buf[2] << 8) | buf[3];
        hdr = 4;
    } else if (plen == 127) {
        if (len < 10)
            return 0;
        plen = 0;
        for (int i = 0; i < 8; i++)
            plen = (plen << 8) | buf[2 + i];
        hdr = 10;
    }
    if (plen > max || (buf[0] & 0x70) != 0)
        return -1;
    if (masked)
        hdr += 4;
    if (len < hdr + plen)
        return 0;
    f->fin = (buf[0] & 0x80) != 0;
    f->opcode = buf[0] & 0x0f;
    f->payload = buf + hdr;
    f->len = (size_t)plen;
    if (masked) {
        const uint8_t *m = buf + hdr - 4;
        for (size_t i = 0; i < f->len; i++)
            f->payload[i] ^= m[i & 3];
    }
    return (long)(hdr + plen);
}

size_t wsc_frame_build(uint8_t *out, int opcode, const void *payload,
                       size_t len, uint32_t mask)
{
    size_t h = 2;
    out[0] = (uint8_t)(0x80 | (opcode & 0x0f));
    if (len < 126) {
        out[1] = (uint8_t)(0x80 | len);
    } else if (len <= 0xffff) {
        out[1] = 0x80 | 126;
        out[2] = (uint8_t)(len >> 8);
        out[3] = (uint8_t)len;
        h = 4;
    } else {
        out[1] = 0x80 | 127;
        for (int i = 0; i < 8; i++)
            out[2 + i] = (uint8_t)((uint64_t)len >> (56 - 8 * i));
        h = 10;
    }
    uint8_t m[4];
    memcpy(m, &mask, 4);
    memcpy(out + h, m, 4);
    h += 4;
    const uint8_t *src = payload;
    for (size_t i = 0; i < len; i++)
        out[h + i] = src[i] ^ m[i & 3];
    return h + len;
}
