/* profile: a person's self-assessment. A fixed taxonomy of topics, each
 * marked need / offer / both / none, plus country, spoken languages and
 * free text. It is retaken at the start, middle and end of the programme;
 * every version is a separate profile value (the store keeps them all).
 * Pure: setters copy with explicit lengths, nothing is allocated. */
#ifndef KOPA_ROOMS_PROFILE_H
#define KOPA_ROOMS_PROFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PROFILE_ID_MAX 64     /* user id, bytes */
#define PROFILE_NAME_MAX 128  /* display name, bytes of UTF-8 */
#define PROFILE_LANGS_MAX 8   /* spoken languages */
#define PROFILE_TEXT_MAX 1000 /* free text, bytes of UTF-8 */

/* The topic taxonomy. Values are stable: stored data uses the string keys
 * ("financing", ...), never the numbers. */
typedef enum profile_topic {
    PROFILE_TOPIC_FINANCING,          /* "financing" */
    PROFILE_TOPIC_IMPACT_INVESTMENT,  /* "impact_investment" */
    PROFILE_TOPIC_PUBLIC_SECTOR,      /* "public_sector" (and procurement) */
    PROFILE_TOPIC_CORPORATE,          /* "corporate" partnerships */
    PROFILE_TOPIC_VISIBILITY,         /* "visibility" and marketing */
    PROFILE_TOPIC_IMPACT_MEASUREMENT, /* "impact_measurement" */
    PROFILE_TOPIC_TEAM_CAPACITY,      /* "team_capacity" building */
    PROFILE_TOPIC_LEGAL_GOVERNANCE,   /* "legal_governance" */
    PROFILE_TOPIC_DIGITAL_TOOLS,      /* "digital_tools" */
    PROFILE_TOPIC_NEW_MARKETS,        /* "new_markets" */
    PROFILE_TOPIC_COUNT
} profile_topic;

/* A mark is a bit set: NEED | OFFER == BOTH. */
typedef enum profile_mark {
    PROFILE_MARK_NONE = 0,  /* "none" */
    PROFILE_MARK_NEED = 1,  /* "need" */
    PROFILE_MARK_OFFER = 2, /* "offer" */
    PROFILE_MARK_BOTH = 3   /* "both" */
} profile_mark;

typedef enum profile_stage {
    PROFILE_STAGE_START,  /* "start" */
    PROFILE_STAGE_MIDDLE, /* "middle" */
    PROFILE_STAGE_END,    /* "end" */
    PROFILE_STAGE_COUNT
} profile_stage;

typedef enum profile_error {
    PROFILE_OK = 0,
    PROFILE_ERR_ID,        /* user id empty, too long or not printable ASCII */
    PROFILE_ERR_NAME,      /* display name too long, bad UTF-8 or control */
    PROFILE_ERR_COUNTRY,   /* country is not two ASCII letters */
    PROFILE_ERR_LANGUAGE,  /* a language code is not 2-3 ASCII letters */
    PROFILE_ERR_LANG_DUP,  /* the same language listed twice */
    PROFILE_ERR_LANG_FULL, /* more than PROFILE_LANGS_MAX languages */
    PROFILE_ERR_TOPIC,     /* topic out of range or unknown key */
    PROFILE_ERR_MARK,      /* mark out of range */
    PROFILE_ERR_TEXT,      /* free text too long, bad UTF-8 or control */
    PROFILE_ERR_STAGE,     /* stage out of range */
    PROFILE_ERR_TIME       /* updated_at_ms is negative */
} profile_error;

/* Plain value; all strings are NUL-terminated inside their arrays. An
 * empty country means "unknown". Languages are lowercase codes in the
 * person's order of preference; countries are uppercase. */
typedef struct profile {
    char user_id[PROFILE_ID_MAX + 1];
    char name[PROFILE_NAME_MAX + 1];
    char country[3];
    char languages[PROFILE_LANGS_MAX][4];
    uint8_t n_languages;
    uint8_t marks[PROFILE_TOPIC_COUNT]; /* profile_mark values */
    char text[PROFILE_TEXT_MAX + 1];
    profile_stage stage;
    int64_t updated_at_ms;
} profile;

/* Per-topic change between two versions of one person's profile. */
typedef struct profile_change {
    uint32_t needs_met;  /* needed before, no longer needed after */
    uint32_t needs_new;  /* needed after, not before */
    uint32_t offers_new; /* offered after, not before */
    uint8_t before[PROFILE_TOPIC_COUNT], after[PROFILE_TOPIC_COUNT];
} profile_change;

/* Returns a static message for e ("unknown error" when out of range). */
const char *profile_strerror(profile_error e);

/* Key <-> value for topics, marks and stages. *_key() returns a static
 * string, or NULL when out of range; *_from_key() borrows key[0..len) (no
 * NUL needed) and returns false when it is not an exact key. */
const char *profile_topic_key(profile_topic t);
bool profile_topic_from_key(const char *key, size_t len, profile_topic *out);
const char *profile_mark_key(profile_mark m);
bool profile_mark_from_key(const char *key, size_t len, profile_mark *out);
const char *profile_stage_key(profile_stage s);
bool profile_stage_from_key(const char *key, size_t len, profile_stage *out);

/* Resets p to an empty, valid-but-anonymous profile (stage START). */
void profile_init(profile *p);

/* Setters copy s[0..len) into p after checking it; p is unchanged on
 * error. Country is stored uppercase, languages lowercase. */
profile_error profile_set_user_id(profile *p, const char *s, size_t len);
profile_error profile_set_name(profile *p, const char *s, size_t len);
profile_error profile_set_country(profile *p, const char *s, size_t len);
profile_error profile_add_language(profile *p, const char *s, size_t len);
profile_error profile_set_mark(profile *p, profile_topic t, profile_mark m);
profile_error profile_set_text(profile *p, const char *s, size_t len);

/* Checks every field (a profile filled by hand or loaded from storage):
 * a non-empty id, strings terminated inside their arrays and valid UTF-8,
 * codes well-formed, no duplicate language, marks and stage in range.
 * Returns the first problem found, or PROFILE_OK. */
profile_error profile_validate(const profile *p);

/* True when p's mark for t includes NEED / OFFER (false for a bad t). */
bool profile_needs(const profile *p, profile_topic t);
bool profile_offers(const profile *p, profile_topic t);

/* Returns the index in a->languages of a's most preferred language that b
 * also speaks, or -1 when they share none. */
int profile_shared_language(const profile *a, const profile *b);

/* Fills *out with the per-topic change from before to after (two versions
 * of one person, e.g. START and END), for impact reporting. */
void profile_compare(const profile *before, const profile *after,
                     profile_change *out);

#endif
