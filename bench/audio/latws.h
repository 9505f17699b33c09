/* latws: one blocking-then-polled WebSocket client connection for
 * kopa_audio_latency, built on the load generator's framing (wsc.h): a
 * blocking connect and upgrade, then a non-blocking socket the caller
 * polls. Messages are explicit-length buffers, never C strings. Loopback
 * addresses only. */
#ifndef KOPA_BENCH_LATWS_H
#define KOPA_BENCH_LATWS_H

#include <stddef.h>
#include <stdint.h>

typedef struct latws {
    int fd;
    uint8_t *in; /* bytes read, not parsed yet */
    size_t in_len, in_cap;
    size_t in_off; /* start of the unparsed part of in */
    uint8_t *msg;  /* a fragmented message being reassembled */
    size_t msg_len, msg_cap;
    int msg_op;   /* its opcode while one is open, else 0 */
    uint8_t *out; /* scratch for building frames */
    size_t out_cap;
    uint32_t rng;
} latws;

/* Connects to host (a 127.x.y.z address):port, asks for path with
 * subprotocol, and checks the 101 answer, waiting at most timeout_ms.
 * Leaves the socket non-blocking. Returns 0, or -1 (with a message on
 * stderr; w holds nothing then). */
int latws_open(latws *w, const char *host, int port, const char *path,
               const char *subprotocol, int timeout_ms);

/* Closes the socket and frees what w holds; a closed w is a no-op. */
void latws_close(latws *w);

/* Sends one final frame of opcode with len bytes of p (masked), waiting
 * for the socket when it is full. Returns 0, or -1 when the socket
 * failed. */
int latws_send(latws *w, int opcode, const void *p, size_t len);

/* Reads whatever the socket holds now. Returns the bytes read (0 when
 * none), or -1 when the server closed the connection or it failed. */
long latws_read(latws *w);

/* Takes the next complete message read so far into *opcode, *data, *len
 * (data valid until the next latws_read or latws_next on w), answering
 * pings on the way. Returns 1, 0 when no whole message is there, or -1
 * on a malformed frame or a close frame. */
int latws_next(latws *w, int *opcode, const uint8_t **data, size_t *len);

#endif
