/* names.c: the tables of the protocol: message types (generated from
 * messages.def), error codes, and the syntax of ids, channels and epochs.
 * The parser, the encoders and the app's dispatch all read them. */
#include "server/proto/proto.h"

#include <string.h>

static const struct type_row {
    const char *wire;
    int needs_auth;
    int needs_join;
} types[PROTO_TYPE_COUNT] = {
    [PROTO_NONE] = {NULL, 1, 1},
#define PROTO_MSG(name, wire, auth, join) [PROTO_##name] = {wire, auth, join},
#include "server/proto/messages.def"
#undef PROTO_MSG
};

static const struct error_row {
    const char *code;
    const char *text;
} errors[PROTO_ERROR_COUNT] = {
    [PROTO_OK] = {"ok", "no error"},
    [PROTO_ERR_BAD_JSON] = {"bad_json", "the frame is not valid JSON"},
    [PROTO_ERR_BAD_MESSAGE] = {"bad_message",
                               "the message is not an object with a type"},
    [PROTO_ERR_UNKNOWN_TYPE] = {"unknown_type", "unknown message type"},
    [PROTO_ERR_MISSING_FIELD] = {"missing_field",
                                 "a required field is missing"},
    [PROTO_ERR_WRONG_TYPE] = {"wrong_type", "a field has the wrong type"},
    [PROTO_ERR_BAD_VALUE] = {"bad_value", "a field has an invalid value"},
    [PROTO_ERR_TOO_LONG] = {"too_long", "a string is too long"},
    [PROTO_ERR_TOO_MANY] = {"too_many", "a list has too many entries"},
    [PROTO_ERR_UNSUPPORTED_VERSION] = {"unsupported_version",
                                       "unsupported protocol version"},
    [PROTO_ERR_NOT_AUTHENTICATED] = {"not_authenticated", "authenticate first"},
    [PROTO_ERR_ALREADY_AUTHENTICATED] = {"already_authenticated",
                                         "already authenticated"},
    [PROTO_ERR_BAD_TOKEN] = {"bad_token", "the token is not valid"},
    [PROTO_ERR_TOKEN_EXPIRED] = {"token_expired", "the token has expired"},
    [PROTO_ERR_SESSION_NOT_ALLOWED] = {"session_not_allowed",
                                       "the token does not allow this "
                                       "session"},
    [PROTO_ERR_NOT_JOINED] = {"not_joined", "join the session first"},
    [PROTO_ERR_FORBIDDEN] = {"forbidden", "your role may not do this"},
    [PROTO_ERR_NOT_IN_ROOM] = {"not_in_room", "you are not in that room"},
    [PROTO_ERR_FORBIDDEN_CHANNEL] = {"forbidden_channel",
                                     "you may not read that channel"},
    [PROTO_ERR_UNKNOWN_MEMBER] = {"unknown_member",
                                  "nobody by that id is in the session"},
    [PROTO_ERR_RATE_LIMITED] = {"rate_limited",
                                "too many messages; this one was dropped"},
    [PROTO_ERR_STORE_UNAVAILABLE] = {"store_unavailable",
                                     "storage is unavailable; retry later"},
    [PROTO_ERR_INTERNAL] = {"internal", "internal error"},
    [PROTO_ERR_BAD_AUDIO] = {"bad_audio", "not a valid audio packet"},
    [PROTO_ERR_AUDIO_RATE] = {"audio_rate", "too many audio packets"},
    [PROTO_ERR_NOT_SPEAKER] = {"not_speaker", "you are not heard now"},
    [PROTO_ERR_RECORDING_FAILED] = {"recording_failed",
                                    "the recording cannot be written"},
    [PROTO_ERR_BAD_STATE] = {"bad_state", "not possible in the current state"},
    [PROTO_ERR_NOT_FOUND] = {"not_found", "no such item"},
    [PROTO_ERR_NO_ROUND] = {"no_round", "no breakout round is planned or open"},
    [PROTO_ERR_ROUND_OPEN] = {"round_open", "a breakout round is open"},
    [PROTO_ERR_NOT_IN_BREAKOUT] = {"not_in_breakout",
                                   "you are not in a breakout"},
    [PROTO_ERR_UNKNOWN_ROOM] = {"unknown_room",
                                "no such breakout room in the open round"},
};

static int error_in_range(proto_error e)
{
    return (int)e >= 0 && (int)e < PROTO_ERROR_COUNT;
}

const char *proto_error_code(proto_error e)
{
    return error_in_range(e) ? errors[e].code : "internal";
}

const char *proto_strerror(proto_error e)
{
    return error_in_range(e) ? errors[e].text : "internal error";
}

static int type_in_range(proto_type t)
{
    return (int)t >= 0 && (int)t < PROTO_TYPE_COUNT;
}

const char *proto_type_name(proto_type t)
{
    return type_in_range(t) ? types[t].wire : NULL;
}

proto_type proto_type_from_name(const char *s, size_t len)
{
    for (int t = PROTO_NONE + 1; t < PROTO_TYPE_COUNT; t++)
        if (strlen(types[t].wire) == len && !memcmp(types[t].wire, s, len))
            return (proto_type)t;
    return PROTO_NONE;
}

int proto_type_needs_auth(proto_type t)
{
    return type_in_range(t) ? types[t].needs_auth : 1;
}

int proto_type_needs_join(proto_type t)
{
    return type_in_range(t) ? types[t].needs_join : 1;
}

static int id_char(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
}

int proto_valid_id(const char *s, size_t len)
{
    if (s == NULL || len < 1 || len > PROTO_MAX_ID)
        return 0;
    for (size_t i = 0; i < len; i++)
        if (!id_char((unsigned char)s[i]))
            return 0;
    return 1;
}

int proto_valid_channel(const char *s, size_t len)
{
    if (s == NULL || len < 5 ||
        (memcmp(s, "room:", 5) != 0 && memcmp(s, "user:", 5) != 0))
        return 0;
    return proto_valid_id(s + 5, len - 5);
}

int proto_valid_epoch(const char *s, size_t len)
{
    if (s == NULL || len < 1 || len > PROTO_MAX_EPOCH)
        return 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              (c >= '0' && c <= '9')))
            return 0;
    }
    return 1;
}
