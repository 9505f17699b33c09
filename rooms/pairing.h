/* pairing: the breakout pairing engine and the pair history. Pure and
 * deterministic: the same request (people in the same order, same
 * history, same seed) always gives the same plan.
 *
 * Scoring. Every two people i, j get a soft score
 *   s(i,j) = topic term + cross_country [countries known and different]
 *            + jitter(seed, ids) - repeat * met(i,j)
 * where the topic term is topic * (number of topics where one needs what
 * the other offers, counted in both directions) in COMPLEMENTARY mode,
 * topic * (number of topics both marked) in SHARED_INTEREST mode, and a
 * seeded uniform value in [0, topic * PROFILE_TOPIC_COUNT) in RANDOM mode.
 * met(i,j) counts earlier meetings (capped at 1000); jitter is a seeded
 * value in [0, jitter) that breaks ties.
 *
 * Hard constraint: everyone in a group shares at least one language.
 * Two people without one are never paired while another way exists.
 *
 * Pairs (group_size 2) are optimal: a maximum-cardinality, maximum-weight
 * matching (rooms/matching.h) over the pairs with a common language, with
 * edge weight 1 + (s - s_min) + A [never met], A = (n/2 + 1)(s_max - s_min
 * + 1). A is larger than the whole soft total of any matching, so:
 *   1. as many people as possible are paired with a common language;
 *   2. among those matchings, one with the fewest repeated pairs is
 *      chosen: no pair repeats while a non-repeating one exists;
 *   3. then the soft score total is maximal.
 * (weights.strict_no_repeat = false drops A: repeats only cost `repeat`.)
 * An odd person out joins the pair, among those it shares a language
 * with, where it has the fewest repeats and the best score (a group of 3).
 * Cost: O(n^3) at worst; about 10-20 ms for 200 people on the development
 * machine, 1-2 s for 1,000 (plan such sizes off the event loop).
 *
 * Groups (group_size 3 or 4): k = n / size groups (rounded to nearest,
 * sizes kept in 2..4) of balanced sizes, filled greedily (people with the
 * fewest possible partners first, seeded order), then improved by moves
 * and swaps until no step helps or max_passes passes. Compared in order:
 * groups without a common language, repeated pairs, then the sum over
 * people of their mean soft score with their group minus balance * (sum
 * of squared sizes - its minimum).
 *
 * Someone who cannot be placed with a common language is, by default
 * (PAIRING_UNPLACED_LEAST_BAD), kept in a group anyway: in pair mode the
 * group (of 2, else 3) where the most members share a language with them,
 * then the smallest, then the best score; in group modes wherever the
 * search left them. The group gets a NO_COMMON_LANGUAGE reason and the
 * plan a warning naming them (those not speaking the group's majority
 * language). PAIRING_UNPLACED_LEAVE_OUT instead leaves them unassigned
 * with a warning (cause NO_COMMON_LANGUAGE). We chose least-bad as the
 * default because a person alone in the main room during a breakout is
 * worse than a group a coordinator can join or fix with an edit. One
 * person alone is always unassigned (cause ALONE). Nobody is dropped
 * silently: everyone unassigned has an UNASSIGNED warning. */
#ifndef KOPA_ROOMS_PAIRING_H
#define KOPA_ROOMS_PAIRING_H

#include "rooms/profile.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PAIRING_MAX_PEOPLE 2048
#define PAIRING_GROUP_MAX 16 /* members in one group (manual plans) */
#define PAIRING_WEIGHT_MAX 10000

typedef enum pairing_error {
    PAIRING_OK = 0,
    PAIRING_ERR_INVALID,   /* NULL, bad size, index or weight */
    PAIRING_ERR_PROFILE,   /* a profile fails profile_validate() */
    PAIRING_ERR_DUPLICATE, /* the same user id twice in one request */
    PAIRING_ERR_TOO_MANY,  /* more than PAIRING_MAX_PEOPLE */
    PAIRING_ERR_MANUAL,    /* manual assignment out of range or too big */
    PAIRING_ERR_FULL,      /* the target group has PAIRING_GROUP_MAX */
    PAIRING_ERR_NO_MEMORY
} pairing_error;

typedef enum pairing_mode {
    PAIRING_MODE_COMPLEMENTARY,   /* needs against offers, both ways */
    PAIRING_MODE_SHARED_INTEREST, /* the same topics marked */
    PAIRING_MODE_RANDOM,          /* seeded chance, constraints kept */
    PAIRING_MODE_MANUAL           /* the coordinator's assignment */
} pairing_mode;

typedef enum pairing_unplaced {
    PAIRING_UNPLACED_LEAST_BAD, /* join the least-bad group, with warning */
    PAIRING_UNPLACED_LEAVE_OUT  /* stay unassigned, with warning */
} pairing_unplaced;

/* Soft-term weights, each 0..PAIRING_WEIGHT_MAX. */
typedef struct pairing_weights {
    int32_t topic;         /* per matching topic */
    int32_t cross_country; /* bonus for different countries */
    int32_t repeat;        /* penalty per earlier meeting of the two */
    int32_t balance;       /* groups: penalty per unit of size imbalance */
    int32_t jitter;        /* seeded tie-break range */
    bool strict_no_repeat; /* pairs: never repeat while avoidable */
} pairing_weights;

typedef struct pairing_history pairing_history;

typedef struct pairing_request {
    const profile *people; /* borrowed; indices below refer to it */
    size_t n_people;
    const pairing_history *history; /* borrowed, may be NULL */
    pairing_mode mode;
    uint32_t group_size; /* 2, 3 or 4 */
    pairing_weights weights;
    uint64_t seed;
    pairing_unplaced unplaced;
    const int32_t *manual; /* MANUAL: group per person (0..n_people-1,
                              at most PAIRING_GROUP_MAX each), -1 = none */
    uint32_t max_passes;   /* local-search bound; 0 = 50 */
} pairing_request;

typedef enum pairing_reason_kind {
    PAIRING_REASON_COMPLEMENT,         /* a needs topic, b offers it */
    PAIRING_REASON_SHARED_INTEREST,    /* a and b both marked topic */
    PAIRING_REASON_CROSS_COUNTRY,      /* a and b from different countries */
    PAIRING_REASON_SAME_COUNTRY,       /* a and b from the same country */
    PAIRING_REASON_SHARED_LANGUAGE,    /* the group speaks `language` */
    PAIRING_REASON_NO_COMMON_LANGUAGE, /* a does not speak the group's
                                          language: constraint not met */
    PAIRING_REASON_REPEAT,             /* a and b met before */
    PAIRING_REASON_RANDOM,             /* drawn by chance (random mode) */
    PAIRING_REASON_ODD_COUNT,          /* a group of 3 in pair mode */
    PAIRING_REASON_MANUAL              /* set by the coordinator */
} pairing_reason_kind;

/* One structured reason; a and b are indices into the request's people
 * (-1 when unused), so the server renders names and countries. */
typedef struct pairing_reason {
    pairing_reason_kind kind;
    int32_t topic; /* profile_topic, or -1 */
    int32_t a, b;
    char language[4];
    uint32_t met_count; /* REPEAT: earlier meetings */
    int32_t last_round; /* REPEAT: round of the latest one */
    int64_t last_at_ms; /* REPEAT: its time */
} pairing_reason;

typedef enum pairing_warning_kind {
    PAIRING_WARN_NO_COMMON_LANGUAGE, /* person placed in group without one */
    PAIRING_WARN_UNASSIGNED,         /* person in no group; see cause */
    PAIRING_WARN_REPEAT,             /* person and other meet again */
    PAIRING_WARN_GROUP_SIZE,         /* group outside 2..4 members */
    PAIRING_WARN_NO_LANGUAGES        /* person's profile lists none */
} pairing_warning_kind;

typedef enum pairing_cause {
    PAIRING_CAUSE_NONE,
    PAIRING_CAUSE_ALONE,              /* the only person */
    PAIRING_CAUSE_NO_COMMON_LANGUAGE, /* no group shares a language */
    PAIRING_CAUSE_MANUAL              /* left out by the coordinator */
} pairing_cause;

typedef struct pairing_warning {
    pairing_warning_kind kind;
    pairing_cause cause;
    int32_t person, other, group; /* -1 when unused */
} pairing_warning;

typedef struct pairing_group {
    uint32_t n_members;
    int32_t members[PAIRING_GROUP_MAX]; /* person indices */
    int64_t score;                      /* sum of s() over its pairs */
    bool language_ok;
    char language[4];               /* first common language, "" if none */
    size_t first_reason, n_reasons; /* slice of plan->reasons */
} pairing_group;

/* A plan. Callers read the fields and change it only through the
 * functions below. */
typedef struct pairing_plan {
    pairing_mode mode;
    uint32_t group_size;
    size_t n_people;
    int32_t *group_of;    /* per person: group index or -1 */
    pairing_cause *cause; /* per person: why unassigned (NONE if not) */
    pairing_group *groups;
    size_t n_groups, cap_groups;
    pairing_reason *reasons;
    size_t n_reasons, cap_reasons;
    pairing_warning *warnings;
    size_t n_warnings, cap_warnings;
    int64_t total_score; /* sum of the group scores */
} pairing_plan;

/* Cross-country share: counts over the pairs inside groups (a plan) or
 * over the history (distinct pairs, and meetings counted with repeats). */
typedef struct pairing_share {
    uint64_t pairs, cross_pairs, unknown_pairs; /* unknown: no country */
    uint64_t meetings, cross_meetings;
} pairing_share;

/* A history entry; the ids point into the history and stay valid until
 * it is changed or freed. */
typedef struct pairing_meeting {
    const char *a, *b; /* user ids, a < b (strcmp) */
    char country_a[3], country_b[3];
    uint32_t count;
    int32_t first_round, last_round;
    int64_t last_at_ms;
} pairing_meeting;

const char *pairing_strerror(pairing_error e);

/* The default weights: topic 100, cross_country 150, repeat 50, balance
 * 200, jitter 10, strict_no_repeat on. */
pairing_weights pairing_weights_default(void);

/* Builds a plan for req (see the top of this file). Borrows req for the
 * call. On success returns PAIRING_OK and a new plan in *out that the
 * caller frees with pairing_plan_free(); on error *out is NULL. */
pairing_error pairing_plan_make(const pairing_request *req, pairing_plan **out);

void pairing_plan_free(pairing_plan *plan);

/* Edits: move person to group (0..n_groups-1, n_groups opens a new group,
 * -1 unassigns), or swap two people's groups (either may be unassigned);
 * then re-explain. Groups left empty are kept (indices stay stable). req
 * must be the request the plan was made from (its people and history).
 * On PAIRING_ERR_INVALID or PAIRING_ERR_FULL the plan is unchanged; on
 * PAIRING_ERR_NO_MEMORY the edit may be applied with empty reasons (call
 * pairing_plan_explain() again). */
pairing_error pairing_plan_move(pairing_plan *plan, const pairing_request *req,
                                int32_t person, int32_t group);
pairing_error pairing_plan_swap(pairing_plan *plan, const pairing_request *req,
                                int32_t a, int32_t b);

/* Recomputes every group's score, language, reasons, and the warnings,
 * from the current assignment. On error (no memory) the reasons and
 * warnings are empty. */
pairing_error pairing_plan_explain(pairing_plan *plan,
                                   const pairing_request *req);

/* Returns the soft score s(a, b) used by plans (see above), or 0 when an
 * index is out of range. */
int64_t pairing_pair_score(const pairing_request *req, int32_t a, int32_t b);

/* A group of an open round, as indices into a request's people. */
typedef struct pairing_late_group_view {
    const int32_t *members;
    uint32_t n_members;
} pairing_late_group_view;

/* Chooses the group a late joiner `who` (an index into req->people) joins,
 * among groups[0..n_groups): first those whose every member shares a
 * language with who (someone with no language shares every one), then the
 * smallest, then the highest mean pair score (pairing_pair_score: needs
 * against offers, countries, earlier meetings), then the first. Empty
 * groups are skipped. Returns the group's index, or -1 when no group has
 * members or an argument is invalid. Pure; borrows everything. */
int32_t pairing_late_group(const pairing_request *req, int32_t who,
                           const pairing_late_group_view *groups,
                           size_t n_groups);

/* Counts cross-country pairs inside the plan's groups. */
pairing_share pairing_plan_share(const pairing_plan *plan,
                                 const profile *people);

/* Returns a new, empty history, or NULL when out of memory. */
pairing_history *pairing_history_new(void);
void pairing_history_free(pairing_history *h);

/* Records one meeting of a and b in round `round` at at_ms (ids and the
 * countries are copied; a person's latest country wins). */
pairing_error pairing_history_add(pairing_history *h, const profile *a,
                                  const profile *b, int32_t round,
                                  int64_t at_ms);

/* Records every pair inside every group of plan (made from people). On
 * error the pairs before the failing one stay recorded. */
pairing_error pairing_history_add_plan(pairing_history *h,
                                       const pairing_plan *plan,
                                       const profile *people, int32_t round,
                                       int64_t at_ms);

/* Returns how often a and b (matched by user id) met; fills *out (if not
 * NULL) when > 0. A NULL history has no meetings. */
uint32_t pairing_history_met(const pairing_history *h, const profile *a,
                             const profile *b, pairing_meeting *out);

/* Number of distinct pairs, and the i-th of them (insertion order);
 * pairing_history_at() returns false when i is out of range. */
size_t pairing_history_size(const pairing_history *h);
bool pairing_history_at(const pairing_history *h, size_t i,
                        pairing_meeting *out);

/* Who met whom: out[i * n + j] = meetings of people[i] and people[j]
 * (0 on the diagonal). out holds n * n entries. */
void pairing_history_matrix(const pairing_history *h, const profile *people,
                            size_t n, uint32_t *out);

/* Cross-country share of everything recorded. */
pairing_share pairing_history_share(const pairing_history *h);

#endif
