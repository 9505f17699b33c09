/* dialect_plain: the load generator's side of the ws peer
 * (bench/peers/ws-server.mjs): join a room with a token, send chats, count
 * the chat events. */
#include <stdio.h>
#include <string.h>

#include "dialect.h"

static void plain_path(const lg *g, const conn *c, char *buf, size_t cap)
{
    (void)g;
    (void)c;
    snprintf(buf, cap, "/");
}

static void plain_opened(lg *g, conn *c)
{
    char token[1024], room[96], msg[1300];
    lg_room_name(g, c->room, room, sizeof(room));
    if (lg_token(g, c, token, sizeof(token)) < 0) {
        lg_fail(g, c, "cannot mint a token", NULL, 0);
        return;
    }
    int n = snprintf(msg, sizeof(msg),
                     "{\"type\":\"join\",\"room\":\"%s\",\"token\":\"%s\"}",
                     room, token);
    lg_send_text(g, c, msg, (size_t)n);
}

static int starts(const char *p, size_t len, const char *prefix)
{
    size_t n = strlen(prefix);
    return len >= n && memcmp(p, prefix, n) == 0;
}

static void plain_text(lg *g, conn *c, const char *p, size_t len)
{
    if (starts(p, len, "{\"type\":\"chat\""))
        lg_scan(g, c, p, len, 0);
    else if (starts(p, len, "{\"type\":\"joined\""))
        lg_joined(g, c);
    else
        lg_fail(g, c, "unexpected message", p, len);
    if (c->state == CONN_JOINING && !starts(p, len, "{\"type\":\"joined\""))
        lg_drop(g, c); /* refused: it will not join */
}

static void plain_chat(lg *g, conn *c, const char *id, const char *text,
                       size_t len)
{
    char msg[4400];
    int n = snprintf(msg, sizeof(msg),
                     "{\"type\":\"chat\",\"id\":\"%s\",\"text\":\"%.*s\"}", id,
                     (int)len, text);
    lg_send_text(g, c, msg, (size_t)n);
}

const dialect dialect_plain = {
    .name = "plain",
    .subprotocol = NULL,
    .path = plain_path,
    .opened = plain_opened,
    .text = plain_text,
    .chat = plain_chat,
};
