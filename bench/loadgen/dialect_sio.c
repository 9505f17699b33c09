/* dialect_sio: Socket.IO as its own clients speak it over a WebSocket:
 * engine.io v4 packets ("0" open, "2" ping, "3" pong, "4" message) holding
 * socket.io packets ("40" connect, "42" event), for the Socket.IO peer
 * (bench/peers/socketio-server.mjs). */
#include <stdio.h>
#include <string.h>

#include "dialect.h"

static void sio_path(const lg *g, const conn *c, char *buf, size_t cap)
{
    (void)g;
    (void)c;
    snprintf(buf, cap, "/socket.io/?EIO=4&transport=websocket");
}

static void sio_opened(lg *g, conn *c)
{
    (void)g;
    c->step = 0; /* wait for the engine.io open packet */
}

static int starts(const char *p, size_t len, const char *prefix)
{
    size_t n = strlen(prefix);
    return len >= n && memcmp(p, prefix, n) == 0;
}

static void send_join(lg *g, conn *c)
{
    char token[1024], room[96], msg[1300];
    lg_room_name(g, c->room, room, sizeof(room));
    if (lg_token(g, c, token, sizeof(token)) < 0) {
        lg_fail(g, c, "cannot mint a token", NULL, 0);
        return;
    }
    int n = snprintf(msg, sizeof(msg),
                     "42[\"join\",{\"room\":\"%s\",\"token\":\"%s\"}]", room,
                     token);
    lg_send_text(g, c, msg, (size_t)n);
}

static void sio_text(lg *g, conn *c, const char *p, size_t len)
{
    if (starts(p, len, "42[\"chat\"")) {
        lg_scan(g, c, p, len, 0);
    } else if (len == 1 && p[0] == '2') {
        lg_send_text(g, c, "3", 1);
    } else if (starts(p, len, "0{") && c->step == 0) {
        c->step = 1;
        lg_send_text(g, c, "40", 2);
    } else if (starts(p, len, "40") && c->step == 1) {
        c->step = 2;
        send_join(g, c);
    } else if (starts(p, len, "42[\"joined\"") && c->step == 2) {
        c->step = 3;
        lg_joined(g, c);
    } else {
        lg_fail(g, c, "unexpected packet", p, len);
        if (c->state == CONN_JOINING)
            lg_drop(g, c); /* refused: it will not join */
    }
}

static void sio_chat(lg *g, conn *c, const char *id, const char *text,
                     size_t len)
{
    char msg[4400];
    int n = snprintf(msg, sizeof(msg),
                     "42[\"chat\",{\"id\":\"%s\",\"text\":\"%.*s\"}]", id,
                     (int)len, text);
    lg_send_text(g, c, msg, (size_t)n);
}

const dialect dialect_sio = {
    .name = "sio",
    .subprotocol = NULL,
    .path = sio_path,
    .opened = sio_opened,
    .text = sio_text,
    .chat = sio_chat,
};
