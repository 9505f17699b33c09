/* scenario: the load the bench puts on a server, measured. Each scenario
 * opens its connections through lg.c, drives them, reads the server's CPU
 * time and memory from /proc before and after, and writes CSV rows. */
#ifndef KOPA_BENCH_SCENARIO_H
#define KOPA_BENCH_SCENARIO_H

#include <stdint.h>
#include <stdio.h>

#include "lg.h"

#define SCENARIO_MAX_STEPS 32

typedef struct scenario_opts {
    const char *name;  /* fanout, rooms, idle, storm or audio */
    const char *label; /* the server's name in the CSV */
    int rooms;         /* rooms (sessions for Kopa) */
    int members;       /* members per room */
    int writers;       /* storm: members per room that only send */
    int speakers;      /* audio: members per room who speak */
    int listeners;     /* audio: the workshop's audience (0: no workshop) */
    int stage;         /* audio: who speak in the workshop, host included */
    double rate;       /* chats per second per sender */
    double steps[SCENARIO_MAX_STEPS]; /* fanout: rates tried in turn */
    int nsteps;
    double seconds;   /* measured time per step */
    double warmup;    /* unmeasured time before it */
    double drain;     /* stop waiting for late deliveries after this quiet */
    int window;       /* chats a sender may have in flight */
    int concurrency;  /* connections opening at once */
    double saturated; /* delivered/offered below this means saturated */
    int server_pid, redis_pid;
    FILE *csv;           /* rows are appended here (may be NULL) */
    int64_t deadline_us; /* lg_now_us() by which everything stops */
} scenario_opts;

/* Runs scenario o->name against the server lo describes. Returns 0 when it
 * ran and nothing was lost, 1 when it ran but chats were lost, connections
 * failed or Kopa did not recover a member, 2 when it could not run (an
 * unknown scenario, the deadline passed, nothing was delivered). */
int scenario_run(const scenario_opts *o, const lg_opts *lo);

#endif
