/* wsc: the client side of RFC 6455 as the load generator needs it: the
 * upgrade request and its answer, parsing server frames and building masked
 * client frames. No I/O: lg.c owns the sockets. Frames are explicit-length
 * buffers, never C strings. */
#ifndef KOPA_BENCH_WSC_H
#define KOPA_BENCH_WSC_H

#include <stddef.h>
#include <stdint.h>

enum {
    WSC_CONT = 0,
    WSC_TEXT = 1,
    WSC_BINARY = 2,
    WSC_CLOSE = 8,
    WSC_PING = 9,
    WSC_PONG = 10
};

/* The longest header wsc_frame_build writes. */
#define WSC_MAX_HEADER 14

typedef struct wsc_frame {
    int fin;
    int opcode;
    uint8_t *payload; /* inside the parsed buffer */
    size_t len;
} wsc_frame;

/* Writes a fresh Sec-WebSocket-Key (24 characters and a NUL) into key,
 * drawing from *rng. */
void wsc_make_key(uint32_t *rng, char key[25]);

/* Writes the upgrade request for path on host:port, offering subprotocol
 * when it is not NULL. Returns its length, or -1 when cap is too small. */
int wsc_request(char *buf, size_t cap, const char *host, int port,
                const char *path, const char *subprotocol, const char *key);

/* Looks at the server's answer in buf. Returns the length of a complete
 * "101 Switching Protocols" header with the right Sec-WebSocket-Accept for
 * key, 0 when the header is not complete yet, or -1 when the server refused
 * or answered wrongly. */
long wsc_response(const char *buf, size_t len, const char *key);

/* Parses the frame at the start of buf (len bytes), unmasking a masked
 * payload in place. Returns the frame's total length, 0 when it is not all
 * there yet, or -1 when it is malformed or its payload is over max. */
long wsc_parse(uint8_t *buf, size_t len, size_t max, wsc_frame *f);

/* Writes a final client frame of opcode carrying len bytes of payload,
 * masked with mask, into out, which must hold len + WSC_MAX_HEADER bytes.
 * Returns the frame's length. */
size_t wsc_frame_build(uint8_t *out, int opcode, const void *payload,
                       size_t len, uint32_t mask);

#endif
