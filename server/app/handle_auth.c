/* handle_auth: the auth and ping messages. A token is verified once, its
 * claims become the connection's identity, and roles never come from a
 * message body afterwards. */
#include "server/app/app_internal.h"

#include <stdio.h>
#include <string.h>

static proto_error auth_error(jwt_error e)
{
    switch (e) {
    case JWT_EXPIRED:
    case JWT_NOT_YET_VALID:
        return PROTO_ERR_TOKEN_EXPIRED;
    default:
        return PROTO_ERR_BAD_TOKEN;
    }
}

static void refuse(conn *c, proto_error e, const char *why, const char *ref)
{
    app__send_error(c, e, why, ref, NULL);
    c->app->m.closes_4003++;
    app__close(c, 4003, "authentication failed");
}

static void claims_to_info(const jwt_claims *cl, member_info *info)
{
    memset(info, 0, sizeof(*info));
    snprintf(info->id, sizeof(info->id), "%s", cl->sub);
    snprintf(info->name, sizeof(info->name), "%s", cl->name);
    perm_role_parse(cl->role, strlen(cl->role), &info->role);
    snprintf(info->country, sizeof(info->country), "%s", cl->country);
    info->nlangs =
        cl->nlangs < MEMBER_LANGS_MAX ? cl->nlangs : MEMBER_LANGS_MAX;
    for (int i = 0; i < info->nlangs; i++)
        snprintf(info->langs[i], sizeof(info->langs[i]), "%s", cl->langs[i]);
}

void app__handle_auth(conn *c, proto_msg *msg)
{
    app *a = c->app;
    if (c->state != CONN_NEW) {
        app__send_error(c, PROTO_ERR_ALREADY_AUTHENTICATED,
                        "this connection is already authenticated", msg->ref,
                        NULL);
        return;
    }
    int64_t now_s = app__wall_ms() / 1000;
    jwt_claims claims; /* only while authenticating: 1.3 KB */
    jwt_error e = jwt_verify(&a->cfg.keys, msg->u.auth.token,
                             msg->u.auth.token_len, now_s, &claims);
    if (e != JWT_OK) {
        refuse(c, auth_error(e), jwt_strerror(e), msg->ref);
        return;
    }
    if (!jwt_claims_allows_session(&claims, c->sid, strlen(c->sid))) {
        refuse(c, PROTO_ERR_SESSION_NOT_ALLOWED,
               "the token does not allow this session", msg->ref);
        return;
    }
    claims_to_info(&claims, &c->info);
    c->state = CONN_AUTHED;
    member m = {.info = c->info, .online = 1};
    snprintf(m.room, sizeof(m.room), "%s", SESSION_MAIN_ROOM);
    const char *langs[MEMBER_LANGS_MAX];
    proto_member me = app__member(&m, langs);
    size_t len;
    char *buf = proto_encode_welcome(c->sid, &me, app__wall_ms(),
                                     a->cfg.node_id, msg->ref, &len);
    app__send_buf(c, buf, len);
}

void app__handle_ping(conn *c, proto_msg *msg)
{
    size_t len;
    char *buf = proto_encode_pong(msg->ref, app__wall_ms(), &len);
    app__send_buf(c, buf, len);
}
