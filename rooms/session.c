/* session: the members, rooms and channels of one meeting. The app calls
 * it on connect, disconnect and every kept event; storage loading calls
 * session_restore_top() to continue offsets where storage left them. */
#include "rooms/session.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Recent client ids kept in memory per session (about 300 B each); older
 * resends after a reconnect are checked in Redis. */
#define DEDUP_CAP 1024

static int valid_id(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > SESSION_ID_MAX)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                 (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.';
        if (!ok)
            return 0;
    }
    return 1;
}

static int grow(void **arr, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return 0;
    size_t ncap = *cap ? *cap * 2 : 8;
    while (ncap < need)
        ncap *= 2;
    void *p = realloc(*arr, ncap * elem);
    if (p == NULL)
        return -1;
    *arr = p;
    *cap = ncap;
    return 0;
}

static room *add_room(session *s, const char *id, room_kind kind, int64_t top)
{
    char name[CHANNEL_NAME_MAX + 1];
    if (!valid_id(id))
        return NULL;
    if (grow((void **)&s->rooms, &s->rooms_cap, s->nrooms + 1,
             sizeof(*s->rooms)) != 0)
        return NULL;
    room *r = calloc(1, sizeof(*r));
    if (r == NULL)
        return NULL;
    snprintf(r->id, sizeof(r->id), "%s", id);
    snprintf(name, sizeof(name), "room:%s", id);
    r->kind = kind;
    r->log = channel_new(name, top, s->ring_cap);
    if (r->log == NULL) {
        free(r);
        return NULL;
    }
    s->rooms[s->nrooms++] = r;
    return r;
}

static member *add_member(session *s, const char *id, int64_t top)
{
    char name[CHANNEL_NAME_MAX + 1];
    if (!valid_id(id))
        return NULL;
    if (grow((void **)&s->members, &s->members_cap, s->nmembers + 1,
             sizeof(*s->members)) != 0)
        return NULL;
    member *m = calloc(1, sizeof(*m));
    if (m == NULL)
        return NULL;
    snprintf(m->info.id, sizeof(m->info.id), "%s", id);
    snprintf(m->room, sizeof(m->room), "%s", SESSION_MAIN_ROOM);
    snprintf(name, sizeof(name), "user:%s", id);
    m->inbox = channel_new(name, top, s->ring_cap);
    if (m->inbox == NULL) {
        free(m);
        return NULL;
    }
    s->members[s->nmembers++] = m;
    return m;
}

session *session_new(const char *id, const char *epoch, size_t ring_cap)
{
    if (!valid_id(id) || ring_cap == 0)
        return NULL;
    session *s = calloc(1, sizeof(*s));
    if (s == NULL)
        return NULL;
    snprintf(s->id, sizeof(s->id), "%s", id);
    snprintf(s->epoch, sizeof(s->epoch), "%s", epoch);
    s->ring_cap = ring_cap;
    s->dedup = dedup_new(DEDUP_CAP);
    if (s->dedup == NULL ||
        add_room(s, SESSION_MAIN_ROOM, ROOM_MAIN, 0) == NULL) {
        session_free(s);
        return NULL;
    }
    return s;
}

void session_free(session *s)
{
    if (s == NULL)
        return;
    for (size_t i = 0; i < s->nrooms; i++) {
        channel_free(s->rooms[i]->log);
        free(s->rooms[i]);
    }
    for (size_t i = 0; i < s->nmembers; i++) {
        channel_free(s->members[i]->inbox);
        free(s->members[i]);
    }
    free(s->rooms);
    free(s->members);
    dedup_free(s->dedup);
    free(s);
}

session_error session_restore_top(session *s, const char *name, int64_t top)
{
    if (strncmp(name, "room:", 5) == 0) {
        room *r = session_room(s, name + 5);
        if (r == NULL) {
            room_kind kind = strcmp(name + 5, SESSION_MAIN_ROOM) == 0
                                 ? ROOM_MAIN
                                 : ROOM_BREAKOUT;
            r = add_room(s, name + 5, kind, top);
            return r ? SESSION_OK : SESSION_ERR_BAD_ID;
        }
        r->log->top = top > r->log->top ? top : r->log->top;
        r->log->base = r->log->top;
        return SESSION_OK;
    }
    if (strncmp(name, "user:", 5) == 0) {
        member *m = session_member(s, name + 5);
        if (m == NULL) {
            m = add_member(s, name + 5, top);
            return m ? SESSION_OK : SESSION_ERR_BAD_ID;
        }
        m->inbox->top = top > m->inbox->top ? top : m->inbox->top;
        m->inbox->base = m->inbox->top;
        return SESSION_OK;
    }
    return SESSION_ERR_BAD_ID;
}

session_error session_connect(session *s, const member_info *info, member **out,
                              int *first)
{
    member *m = session_member(s, info->id);
    if (m == NULL && (m = add_member(s, info->id, 0)) == NULL)
        return valid_id(info->id) ? SESSION_ERR_NOMEM : SESSION_ERR_BAD_ID;
    m->info = *info;
    m->known = 1;
    *first = m->online == 0;
    if (m->online++ == 0)
        s->online++;
    *out = m;
    return SESSION_OK;
}

int session_disconnect(session *s, member *m)
{
    if (m->online == 0)
        return 0;
    if (--m->online > 0)
        return 0;
    s->online--;
    return 1;
}

member *session_member(const session *s, const char *id)
{
    for (size_t i = 0; i < s->nmembers; i++)
        if (strcmp(s->members[i]->info.id, id) == 0)
            return s->members[i];
    return NULL;
}

room *session_room(const session *s, const char *id)
{
    for (size_t i = 0; i < s->nrooms; i++)
        if (strcmp(s->rooms[i]->id, id) == 0)
            return s->rooms[i];
    return NULL;
}

channel *session_channel(const session *s, const char *name)
{
    if (strncmp(name, "room:", 5) == 0) {
        room *r = session_room(s, name + 5);
        return r ? r->log : NULL;
    }
    if (strncmp(name, "user:", 5) == 0) {
        member *m = session_member(s, name + 5);
        return m ? m->inbox : NULL;
    }
    return NULL;
}

int session_may_read(const session *s, const member *m, const char *name)
{
    (void)s;
    if (strncmp(name, "room:", 5) == 0)
        return session_in_room(m, name + 5);
    if (strncmp(name, "user:", 5) == 0)
        return strcmp(name + 5, m->info.id) == 0;
    return 0;
}

int session_in_room(const member *m, const char *room_id)
{
    return strcmp(m->room, room_id) == 0;
}

const char *session_strerror(session_error e)
{
    switch (e) {
    case SESSION_OK:
        return "ok";
    case SESSION_ERR_NOMEM:
        return "out of memory";
    case SESSION_ERR_BAD_ID:
        return "invalid id";
    case SESSION_ERR_NO_ROOM:
        return "no such room";
    case SESSION_ERR_NO_MEMBER:
        return "no such member";
    case SESSION_ERR_FULL:
        return "session is full";
    }
    return "unknown error";
}
