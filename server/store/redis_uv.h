/* redis_uv: attaches a hiredis async context to a libuv loop with one
 * uv_poll handle. Part of kopa_store; used by redis_client.c only.
 *
 * Unlike hiredis 0.14's own adapters/libuv.h, a poll error (a refused or
 * reset connection) is handed to hiredis, so its connect or disconnect
 * callback fires instead of the connection hanging forever. */
#ifndef KOPA_STORE_REDIS_UV_H
#define KOPA_STORE_REDIS_UV_H

#include <hiredis/async.h>
#include <uv.h>

/* Attaches ac to loop: hiredis's read/write hooks start and stop a uv_poll
 * handle on ac's socket. Call it right after redisAsyncConnect() and before
 * redisAsyncSetConnectCallback(). hiredis owns the attachment from then on:
 * when ac is freed (redisAsyncFree or a disconnect), the handle is closed
 * and its memory is released by the close callback, so the loop must run
 * once more before uv_loop_close(). Returns 0, or -1 if ac already has an
 * event library or the socket cannot be polled (ac is left untouched; the
 * caller frees it). Aborts when out of memory. */
int redis_uv_attach(redisAsyncContext *ac, uv_loop_t *loop);

#endif
