/* fuzz_proto_parse.c: libFuzzer harness for proto_parse (built with
 * -DKOPA_FUZZ=ON and clang). Every input must either fail with a code and
 * a detail, or give a message whose fields keep the documented rules; and
 * whatever the parser accepts, the encoders turn back into valid UTF-8.
 * Run: fuzz_proto_parse -max_len=70000 [corpus dir] */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "server/proto/encode.h"
#include "server/proto/proto.h"
#include "fuzz_session.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(x)                                                               \
    do {                                                                       \
        if (!(x))                                                              \
            abort();                                                           \
    } while (0)

static void check_text(const char *text, size_t len)
{
    CHECK(text != NULL && len >= 1 && len <= PROTO_MAX_TEXT);
    CHECK(strlen(text) == len && proto_valid_utf8(text, len));
}

static void check_message(const proto_msg *m)
{
    CHECK(strlen(m->ref) <= PROTO_MAX_ID);
    CHECK(proto_valid_utf8(m->ref, strlen(m->ref)));
    switch (m->type) {
    case PROTO_AUTH:
        CHECK(m->u.auth.v == PROTO_VERSION);
        CHECK(m->u.auth.token_len >= 1 &&
              m->u.auth.token_len <= PROTO_MAX_TOKEN);
        CHECK(strlen(m->u.auth.token) == m->u.auth.token_len);
        break;
    case PROTO_JOIN:
        CHECK(m->u.join.nsince >= 0 && m->u.join.nsince <= PROTO_MAX_SINCE);
        for (int i = 0; i < m->u.join.nsince; i++) {
            const proto_since *s = &m->u.join.since[i];
            CHECK(proto_valid_channel(s->channel, strlen(s->channel)));
            CHECK(proto_valid_epoch(s->epoch, strlen(s->epoch)));
            CHECK(s->offset >= 0);
        }
        break;
    case PROTO_CHAT:
        CHECK(proto_valid_id(m->u.chat.id, strlen(m->u.chat.id)));
        CHECK(m->u.chat.room[0] == '\0' ||
              proto_valid_id(m->u.chat.room, strlen(m->u.chat.room)));
        check_text(m->u.chat.text, m->u.chat.text_len);
        break;
    case PROTO_DM:
        CHECK(proto_valid_id(m->u.dm.id, strlen(m->u.dm.id)));
        CHECK(proto_valid_id(m->u.dm.to, strlen(m->u.dm.to)));
        check_text(m->u.dm.text, m->u.dm.text_len);
        break;
    case PROTO_HISTORY:
        CHECK(proto_valid_channel(m->u.history.channel,
                                  strlen(m->u.history.channel)));
        CHECK(m->u.history.before >= 1);
        CHECK(m->u.history.limit >= 1 &&
              m->u.history.limit <= PROTO_HISTORY_MAX);
        break;
    case PROTO_PING:
        break;
    default:
        if (fuzz_check_session(m))
            break;
        abort(); /* a parsed message always has a known type */
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    proto_msg m;
    char detail[160];
    proto_error e =
        proto_parse((const char *)data, size, &m, detail, sizeof(detail));

    if (e != PROTO_OK) {
        CHECK(e > PROTO_OK && e < PROTO_ERROR_COUNT);
        CHECK(detail[0] != '\0');
        size_t len;
        char *out = proto_encode_error(e, detail, m.ref, NULL, &len);
        CHECK(proto_valid_utf8(out, len));
        free(out);
    } else {
        check_message(&m);
        if (m.type == PROTO_PROGRAMME)
            fuzz_check_programme((const char *)data, size, &m);
        if (m.type == PROTO_CHAT) {
            proto_member from = {.id = "u", .name = "n", .role = "r"};
            size_t len;
            char *out =
                proto_encode_chat("room:m", 1, m.u.chat.id, &from,
                                  m.u.chat.text, m.u.chat.text_len, 0, &len);
            CHECK(proto_valid_utf8(out, len));
            free(out);
        }
    }
    proto_msg_free(&m);
    return 0;
}
