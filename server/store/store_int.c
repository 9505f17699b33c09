/* store_int: the request plumbing, key format and number parsing shared
 * by session_store.c, session_state.c and breakout_store.c (see
 * store_int.h). */
#include "server/store/store_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void store__key(char *out, const char *tag, const char *id, const char *suffix)
{
    snprintf(out, STORE__KEY_MAX, "kopa:{%s%s}:%s", tag, id, suffix);
}

store__request *store__request_new(void *cb, void *data)
{
    store__request *r = malloc(sizeof(*r));
    if (r == NULL)
        abort();
    r->cb = cb;
    r->data = data;
    return r;
}

void *store__take(void *request, void **cb_data)
{
    store__request *req = request;
    void *cb = req->cb;
    *cb_data = req->data;
    free(req);
    return cb;
}

const char *store__reply_error(const redisReply *r, const char *err)
{
    if (err)
        return err;
    if (r->type == REDIS_REPLY_ERROR)
        return "redis error";
    return NULL;
}

const char *store__reply_array(const redisReply *r, const char *err, size_t n,
                               size_t first)
{
    const char *e = store__reply_error(r, err);

    if (e != NULL)
        return e;
    if (r->type != REDIS_REPLY_ARRAY || (n != 0 && r->elements != n))
        return "unexpected reply";
    for (size_t i = first; i < n; i++)
        if (r->element[i]->type != REDIS_REPLY_ARRAY)
            return "unexpected reply";
    return NULL;
}

void store__done_reply_cb(redis_client *c, const redisReply *r, const char *err,
                          void *data)
{
    void *cb_data;
    store__done_cb cb = (store__done_cb)store__take(data, &cb_data);
    if (cb)
        cb(store__reply_error(r, err), cb_data);
    (void)c;
}

int store__read(redis_client *c, redis_client_reply_cb done, void *cb,
                void *data, int argc, const char **argv, const size_t *lens)
{
    store__request *req = store__request_new(cb, data);
    if (redis_client_read(c, done, req, argc, argv, lens) != 0) {
        free(req);
        return -1;
    }
    return 0;
}

int store__write(redis_client *c, redis_client_reply_cb done, void *cb,
                 void *data, int argc, const char **argv, const size_t *lens)
{
    store__request *req = store__request_new(cb, data);
    if (redis_client_write(c, done, req, argc, argv, lens) != 0) {
        free(req);
        return -1;
    }
    return 0;
}

int store__strtoll(const char *s, size_t len, long long *v, char *stop)
{
    char buf[32];
    if (len == 0 || len >= sizeof(buf))
        return -1;
    memcpy(buf, s, len);
    buf[len] = '\0';
    char *end;
    *v = strtoll(buf, &end, 10);
    *stop = *end;
    return 0;
}
