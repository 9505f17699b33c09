/* session: one meeting with its rooms (the main room, later breakouts),
 * its members (everyone who joined, online or not) and their channels.
 * Pure: the server passes in identities, epochs and offsets. */
#ifndef KOPA_ROOMS_SESSION_H
#define KOPA_ROOMS_SESSION_H

#include <stddef.h>
#include <stdint.h>

#include "rooms/channel.h"
#include "rooms/dedup.h"
#include "rooms/perm.h"

#define SESSION_ID_MAX 64
#define SESSION_EPOCH_MAX 32
#define MEMBER_NAME_MAX 128
#define MEMBER_LANGS_MAX 8
#define SESSION_MAIN_ROOM "main"

typedef enum session_error {
    SESSION_OK = 0,
    SESSION_ERR_NOMEM,
    SESSION_ERR_BAD_ID,
    SESSION_ERR_NO_ROOM,
    SESSION_ERR_NO_MEMBER,
    SESSION_ERR_FULL,
} session_error;

typedef struct member_info {
    char id[SESSION_ID_MAX + 1];
    char name[MEMBER_NAME_MAX + 1];
    role role;
    char country[3];
    char langs[MEMBER_LANGS_MAX][9];
    int nlangs;
} member_info;

typedef struct member {
    member_info info;
    char room[SESSION_ID_MAX + 1]; /* the room the member is in */
    int online;                    /* open connections (tabs) */
    int known;                     /* 1 once info came from a token */
    channel *inbox;                /* "user:<id>", private messages */
    void *user;                    /* the server's data; not touched here */
} member;

typedef enum room_kind { ROOM_MAIN = 0, ROOM_BREAKOUT } room_kind;

typedef struct room {
    char id[SESSION_ID_MAX + 1];
    room_kind kind;
    channel *log; /* "room:<id>" */
} room;

typedef struct session {
    char id[SESSION_ID_MAX + 1];
    char epoch[SESSION_EPOCH_MAX + 1];
    char prev_epoch[SESSION_EPOCH_MAX + 1]; /* "" when none */
    member **members;
    size_t nmembers, members_cap;
    room **rooms;
    size_t nrooms, rooms_cap;
    dedup *dedup;
    size_t ring_cap;
    size_t online; /* members with at least one connection */
} session;

/* Returns a new session with its main room, whose channels keep ring_cap
 * recent events; NULL when out of memory or id is not a valid id. The
 * caller frees it with session_free(). */
session *session_new(const char *id, const char *epoch, size_t ring_cap);
void session_free(session *s);

/* Sets the top offset a channel starts from (what storage holds) before
 * the channel is used. "room:<id>" creates the room when missing (as a
 * breakout unless it is the main room); "user:<id>" creates a member that
 * is known but offline. Returns SESSION_ERR_BAD_ID for other names. */
session_error session_restore_top(session *s, const char *channel_name,
                                  int64_t top);

/* Records that info's member opened a connection: adds the member (in the
 * main room) or updates its identity, and counts the connection. *first is
 * set to 1 when the member was offline. Returns the member via *out. */
session_error session_connect(session *s, const member_info *info, member **out,
                              int *first);

/* Records that a connection of m closed; returns 1 when m is now offline. */
int session_disconnect(session *s, member *m);

/* Lookups; NULL when absent. */
member *session_member(const session *s, const char *id);
room *session_room(const session *s, const char *id);

/* Returns the channel named name ("room:<id>" or "user:<id>"), or NULL. */
channel *session_channel(const session *s, const char *name);

/* Whether m may read the channel: its current room's log or its own
 * private channel. */
int session_may_read(const session *s, const member *m, const char *name);

/* Whether m is in the room with this id. */
int session_in_room(const member *m, const char *room_id);

const char *session_strerror(session_error e);

#endif
