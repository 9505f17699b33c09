/* dialect: how the load generator speaks to one kind of server. lg.c calls
 * these when a connection opens and when a whole text message arrives;
 * scenario.c sends chats through them. */
#ifndef KOPA_BENCH_DIALECT_H
#define KOPA_BENCH_DIALECT_H

#include <stddef.h>
#include <stdint.h>

#include "lg.h"

struct dialect {
    const char *name;
    const char *subprotocol; /* offered at the upgrade, or NULL */
    /* Writes the request path of c's WebSocket URL into buf. */
    void (*path)(const lg *g, const conn *c, char *buf, size_t cap);
    /* The WebSocket is open: start authenticating or joining. */
    void (*opened)(lg *g, conn *c);
    /* A whole text message of len bytes arrived. */
    void (*text)(lg *g, conn *c, const char *p, size_t len);
    /* Sends one chat with this id and text (no characters that need JSON
     * escaping). */
    void (*chat)(lg *g, conn *c, const char *id, const char *text, size_t len);
    /* Asks again to join after the server said to retry (may be NULL). */
    void (*rejoin)(lg *g, conn *c);
    /* A whole binary message of len bytes arrived (may be NULL: ignored). */
    void (*binary)(lg *g, conn *c, const uint8_t *p, size_t len);
};

/* Kopa's protocol (docs/protocol.md): auth, join with since, chat, acks. */
extern const dialect dialect_kopa;
/* The ws peer (bench/peers/ws-server.mjs): join with a token, chat. */
extern const dialect dialect_plain;
/* Socket.IO (bench/peers/socketio-server.mjs) over engine.io v4 WebSocket
 * framing. */
extern const dialect dialect_sio;

#endif
