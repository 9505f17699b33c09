/* lg: the load generator's connections and its one epoll loop. A dialect
 * (dialect.h) speaks a server's protocol on top; scenario.c drives the
 * load. Everything runs on one thread; loopback addresses only. */
#ifndef KOPA_BENCH_LG_H
#define KOPA_BENCH_LG_H

#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>

#include "hist.h"

typedef struct dialect dialect;

typedef enum conn_state {
    CONN_IDLE,       /* no socket */
    CONN_CONNECTING, /* TCP connect under way */
    CONN_UPGRADING,  /* upgrade request sent, waiting for the 101 */
    CONN_JOINING,    /* WebSocket open; the dialect authenticates and joins */
    CONN_READY,      /* joined its room */
} conn_state;

typedef struct conn {
    int fd;
    uint32_t gen; /* bumped on every open and close */
    conn_state state;
    int room, slot, is_sender;
    int step;    /* the dialect's handshake step */
    int joins;   /* joins completed */
    uint8_t *in; /* bytes received but not parsed yet */
    size_t in_len, in_cap;
    uint8_t *msg; /* a fragmented message being reassembled */
    size_t msg_len, msg_cap;
    int msg_op, in_msg;
    uint8_t *out; /* bytes the socket did not take yet */
    size_t out_off, out_len, out_cap;
    char key[25];
    uint32_t seq;      /* chats sent */
    uint32_t inflight; /* own chats not seen back yet */
    int64_t next_send_us;
    int64_t opened_us;     /* when the last connect started */
    int64_t last_offset;   /* Kopa: last offset seen on the room channel */
    int resuming;          /* Kopa: the join under way carries since */
    uint32_t *last_seen;   /* per slot of the room: highest seq delivered */
    int coordinator;       /* Kopa: its token's role is coordinator */
    int may_speak;         /* Kopa audio: the server says it may be heard */
    int audio_have;        /* Kopa audio: an audio frame came (audio_last) */
    uint16_t audio_last;   /* Kopa audio: seq of the last frame received */
    uint32_t audio_count;  /* Kopa audio: 20 ms frames spoken (sent or not) */
    uint64_t audio_frames; /* Kopa audio: frames received */
} conn;

typedef struct lg_counts {
    uint64_t sent;          /* chats sent */
    uint64_t delivered;     /* chats received, duplicates not counted */
    uint64_t replayed;      /* of those, replayed inside a join answer */
    uint64_t dup;           /* chats received again */
    uint64_t gaps;          /* chats skipped over (seen a later one first) */
    uint64_t offset_gaps;   /* Kopa: offsets skipped on a room channel */
    uint64_t acks;          /* Kopa: acks (stored in Redis) */
    uint64_t errors;        /* protocol errors, refused connects, ... */
    uint64_t closed;        /* connections the server closed */
    uint64_t joins;         /* joins completed */
    uint64_t recovered;     /* Kopa: resuming joins answered recovered */
    uint64_t not_recovered; /* Kopa: resuming joins answered not */
    uint64_t retries;       /* joins asked again after "retry later" */
    uint64_t audio_sent;    /* Kopa audio: packets sent */
    uint64_t audio_in;      /* Kopa audio: frames received */
    uint64_t audio_gaps;    /* Kopa audio: seq numbers skipped over */
    uint64_t audio_dup;     /* Kopa audio: frames at or behind the last seq */
    uint64_t answers;       /* Kopa: answers to programme messages */
} lg_counts;

typedef struct lg_opts {
    const char *host; /* a 127.x.y.z address */
    int port;
    const dialect *d;
    const char *secret;
    size_t secret_len;
    const char *prefix; /* of room and session names */
    int text_bytes;     /* length of every chat text */
    int quiet;
    int audio;     /* Kopa: a join is complete once audio is enabled */
    int user_base; /* user ids are "u" and this plus the connection index */
} lg_opts;

typedef struct lg {
    lg_opts o;
    struct sockaddr_in addr;
    int epfd;
    conn *conns;
    int nconns, nrooms, room_size;
    int *slot_conn; /* [room * room_size + slot] -> connection index or -1 */
    char (*epochs)[40]; /* Kopa: each room's epoch */
    int64_t t0_us, now_us;
    lg_counts n;
    hist lat;  /* delivery latency of live chats */
    int busy;  /* connections opening (neither idle nor ready) */
    int ready; /* connections ready now */
    uint8_t *rbuf, *wbuf;
    size_t rbuf_cap, wbuf_cap;
    uint32_t rng;
    int errors_shown;
    struct lg_later *later; /* joins to ask again, oldest first (a ring) */
    size_t later_head, later_count, later_cap;
} lg;

/* Sets up g for nconns connections in nrooms rooms of room_size slots; the
 * caller places each with lg_place. Borrows o's strings for g's lifetime.
 * Returns 0, or -1 (with a message on stderr) when host is not loopback or
 * memory or epoll fail. */
int lg_init(lg *g, const lg_opts *o, int nconns, int nrooms, int room_size);
/* Closes every socket and frees what g holds. */
void lg_free(lg *g);

/* Puts connection i in slot of room; senders send chats. */
void lg_place(lg *g, int i, int room, int slot, int is_sender);

/* Microseconds of CLOCK_MONOTONIC. */
int64_t lg_now_us(void);

/* Starts connecting c (idle). Returns 0, or -1 on a socket error. */
int lg_open(lg *g, conn *c);
/* Closes c's socket at once, without a close frame (a dropped network). */
void lg_drop(lg *g, conn *c);
/* Waits up to timeout_ms for socket events and handles them. Returns the
 * number handled, or -1 when epoll fails. */
int lg_poll(lg *g, int timeout_ms);

/* For dialects: sends one text message of len bytes. */
void lg_send_text(lg *g, conn *c, const void *p, size_t len);
/* For dialects and scenarios: sends one binary message of len bytes. */
void lg_send_binary(lg *g, conn *c, const void *p, size_t len);
/* Sends c's next chat (through the dialect). */
void lg_send_chat(lg *g, conn *c);
/* For dialects: c has joined its room. */
void lg_joined(lg *g, conn *c);
/* For dialects: counts every chat marker in p (len bytes) as a delivery to
 * c; replay says the chats came inside a join answer. */
void lg_scan(lg *g, conn *c, const char *p, size_t len, int replay);
/* For dialects: asks c's dialect to join again after delay_us (the server
 * answered "retry later"). */
void lg_retry_join(lg *g, conn *c, int64_t delay_us);
/* For dialects: counts an error on c and shows the first few. */
void lg_fail(lg *g, conn *c, const char *what, const char *p, size_t len);
/* Writes room's name (the prefix, "-r", the number) into buf. */
void lg_room_name(const lg *g, int room, char *buf, size_t cap);
/* Writes c's token (role coordinator when c->coordinator) into buf.
 * Returns its length or -1. */
int lg_token(const lg *g, const conn *c, char *buf, size_t cap);
/* Returns the chats that some member of a room never received although
 * their sender sent them (the tail after the last one received). */
uint64_t lg_missing(const lg *g);

#endif
