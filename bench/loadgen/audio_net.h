/* audio_net: the audio scenario of the load generator, through a real Kopa
 * server: rooms of members where a few speak 20 ms Opus packets at the
 * real pace and everyone counts the frames the server sends back, and one
 * workshop whose host (and stage) speak to a large audience. The server's
 * CPU from /proc, its own audio counters from GET /metrics. */
#ifndef KOPA_BENCH_AUDIO_NET_H
#define KOPA_BENCH_AUDIO_NET_H

#include "lg.h"
#include "scenario.h"

/* The most speakers in a room or on a workshop's stage. */
#define AUDIO_NET_MAX_SPEAKERS 8

/* Runs o->rooms rooms (sessions) of o->members with o->speakers speaking
 * (none when rooms is 0), then one workshop with o->listeners listening
 * and o->stage speaking, its host included (none when listeners is 0),
 * each for o->warmup + o->seconds after everyone joined and enabled
 * audio, writing one CSV row per case to o->csv. lo must speak Kopa's
 * protocol. Returns 0 when every case ran, every member that should hear
 * something received frames and nothing failed; 1 when a case ran but
 * that did not hold; 2 when it could not run (another dialect, Opus
 * failed, members could not join, the deadline passed). */
int audio_net_run(const scenario_opts *o, const lg_opts *lo);

#endif
