/* encode_util.c: the cJSON builders every encoder of server/proto uses
 * (see encode_int.h): strings made well-formed UTF-8, integers written
 * exactly as raw numbers, raw pieces verbatim, objects in the order fields
 * are put. Out of memory aborts. */
#include "server/proto/encode_int.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static cJSON *need(cJSON *x)
{
    return proto__need(x);
}

cJSON *proto__jstr_n(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    char *copy, *o;
    cJSON *node;

    if (s == NULL)
        return need(cJSON_CreateString(""));
    if (len > (SIZE_MAX - 1) / 3)
        proto__need(NULL);
    copy = o = proto__need(malloc(3 * len + 1));
    for (size_t i = 0; i < len;) {
        size_t n = p[i] ? proto__utf8_seq(p + i, len - i) : 0;
        if (n == 0) {
            memcpy(o, "\xEF\xBF\xBD", 3);
            o += 3;
            i++;
        } else {
            memcpy(o, p + i, n);
            o += n;
            i += n;
        }
    }
    *o = '\0';
    node = need(cJSON_CreateString(copy));
    free(copy);
    return node;
}

cJSON *proto__jstr(const char *s)
{
    size_t len = s ? strlen(s) : 0;

    if (s != NULL && proto_valid_utf8(s, len))
        return need(cJSON_CreateString(s));
    return proto__jstr_n(s, len);
}

cJSON *proto__jint(int64_t v)
{
    char buf[24];

    snprintf(buf, sizeof(buf), "%" PRId64, v);
    return need(cJSON_CreateRaw(buf));
}

cJSON *proto__jbool(int v)
{
    return need(cJSON_CreateBool(v != 0));
}

cJSON *proto__jraw(const proto_raw *r)
{
    char *copy = proto__need(malloc(r->len + 1));
    cJSON *node;

    if (r->len > 0)
        memcpy(copy, r->json, r->len);
    copy[r->len] = '\0';
    node = need(cJSON_CreateRaw(copy));
    free(copy);
    return node;
}

cJSON *proto__jobject(void)
{
    return need(cJSON_CreateObject());
}

cJSON *proto__jarray(void)
{
    return need(cJSON_CreateArray());
}

cJSON *proto__jstrings(const char *const *s, size_t n)
{
    cJSON *arr = proto__jarray();

    for (size_t i = 0; s != NULL && i < n; i++)
        proto__jpush(arr, proto__jstr(s[i]));
    return arr;
}

cJSON *proto__jfrom(const proto_member *m)
{
    cJSON *obj = proto__jobject();

    proto__jput(obj, "id", proto__jstr(m ? m->id : NULL));
    proto__jput(obj, "name", proto__jstr(m ? m->name : NULL));
    proto__jput(obj, "role", proto__jstr(m ? m->role : NULL));
    return obj;
}

void proto__jput(cJSON *obj, const char *key, cJSON *item)
{
    if (!cJSON_AddItemToObjectCS(obj, key, item))
        proto__need(NULL);
}

void proto__jput_key(cJSON *obj, const char *key, cJSON *item)
{
    cJSON *k = proto__jstr(key);

    if (!cJSON_AddItemToObject(obj, k->valuestring, item))
        proto__need(NULL);
    cJSON_Delete(k);
}

void proto__jput_str(cJSON *obj, const char *key, const char *s)
{
    if (s != NULL && s[0] != '\0')
        proto__jput(obj, key, proto__jstr(s));
}

void proto__jpush(cJSON *arr, cJSON *item)
{
    if (!cJSON_AddItemToArray(arr, item))
        proto__need(NULL);
}

cJSON *proto__jreply(const char *type, const char *ref)
{
    cJSON *obj = proto__jobject();

    proto__jput(obj, "type", need(cJSON_CreateStringReference(type)));
    proto__jput_str(obj, "ref", ref);
    return obj;
}

cJSON *proto__jmessage(const char *type, const char *channel, int64_t offset,
                       const char *id, const proto_member *from)
{
    cJSON *obj = proto__jreply(type, NULL);

    proto__jput(obj, "channel", proto__jstr(channel));
    proto__jput(obj, "offset", proto__jint(offset));
    proto__jput(obj, "id", proto__jstr(id));
    proto__jput(obj, "from", proto__jfrom(from));
    return obj;
}

char *proto__jfinish(cJSON *obj, size_t *len)
{
    char *out = proto__need(cJSON_PrintUnformatted(obj));

    cJSON_Delete(obj);
    if (len != NULL)
        *len = strlen(out);
    return out;
}
