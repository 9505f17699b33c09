/* http: the plain HTTP side of the server: the web client's static files
 * (with the vhost's security headers), GET /healthz and GET /metrics.
 * Called from net.c's lws protocol table. */
#include "server/net/net_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char *mime_of(const char *path)
{
    static const struct {
        const char *ext, *mime;
    } types[] = {
        {".html", "text/html; charset=utf-8"},
        {".js", "text/javascript; charset=utf-8"},
        {".mjs", "text/javascript; charset=utf-8"},
        {".css", "text/css; charset=utf-8"},
        {".json", "application/json"},
        {".svg", "image/svg+xml"},
        {".png", "image/png"},
        {".ico", "image/x-icon"},
        {".wav", "audio/wav"},
        {".webmanifest", "application/manifest+json"},
    };
    const char *dot = strrchr(path, '.');
    for (size_t i = 0; dot && i < sizeof(types) / sizeof(*types); i++)
        if (strcmp(dot, types[i].ext) == 0)
            return types[i].mime;
    return NULL;
}

/* Whether uri is a safe relative path: [A-Za-z0-9_./-] and no "..". */
static int safe_path(const char *uri)
{
    if (uri[0] != '/' || strstr(uri, "..") || strstr(uri, "//"))
        return 0;
    for (const char *s = uri; *s; s++) {
        char c = *s;
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '/' ||
              c == '-'))
            return 0;
    }
    return 1;
}

static int serve_file(struct lws *wsi, net *n, const char *uri)
{
    char path[1024];
    struct stat st;
    if (!safe_path(uri))
        return lws_return_http_status(wsi, HTTP_STATUS_NOT_FOUND, NULL) ? -1
                                                                        : 1;
    snprintf(path, sizeof(path), "%s%s%s", n->cfg.web_root, uri,
             uri[strlen(uri) - 1] == '/' ? "index.html" : "");
    const char *mime = mime_of(path);
    if (mime == NULL || stat(path, &st) != 0 || !S_ISREG(st.st_mode))
        return lws_return_http_status(wsi, HTTP_STATUS_NOT_FOUND, NULL) ? -1
                                                                        : 1;
    /* The security headers come from the vhost (net.c), on every reply. */
    int r = lws_serve_http_file(wsi, path, mime, NULL, 0);
    return r < 0 ? -1 : 0;
}

static int start_body(struct lws *wsi, http_pss *pss, int status,
                      const char *type, char *body, size_t len)
{
    unsigned char buf[LWS_PRE + 2048], *start = buf + LWS_PRE, *p = start,
                                       *end = buf + sizeof(buf) - 1;
    pss->body = body;
    pss->len = len;
    if (lws_add_http_common_headers(wsi, (unsigned)status, type, len, &p,
                                    end) ||
        lws_finalize_write_http_header(wsi, start, &p, end))
        return -1;
    lws_callback_on_writable(wsi);
    return 0;
}

int net__http_cb(struct lws *wsi, enum lws_callback_reasons reason, void *user,
                 void *in, size_t len)
{
    http_pss *pss = user;
    net *n = lws_context_user(lws_get_context(wsi));
    /* A request lws refuses before binding it to this protocol (garbage,
     * an HTTP/2 preface) still reaches CLOSED_HTTP, without a pss. */
    if (pss == NULL && reason != LWS_CALLBACK_HTTP_CONFIRM_UPGRADE &&
        reason != LWS_CALLBACK_FILTER_PROTOCOL_CONNECTION)
        return lws_callback_http_dummy(wsi, reason, user, in, len);
    switch (reason) {
    case LWS_CALLBACK_HTTP: {
        const char *uri = in;
        size_t blen;
        int status = 200;
        if (strcmp(uri, "/healthz") == 0) {
            char *body = app_render_health(n->app, &blen, &status);
            return start_body(wsi, pss, status, "application/json", body, blen);
        }
        if (strcmp(uri, "/metrics") == 0) {
            char *body = app_render_metrics(n->app, &blen);
            return start_body(wsi, pss, 200, "text/plain; version=0.0.4", body,
                              blen);
        }
        int r = serve_file(wsi, n, uri);
        if (r == 1)
            return lws_http_transaction_completed(wsi) ? -1 : 0;
        return r;
    }
    case LWS_CALLBACK_HTTP_WRITEABLE: {
        if (pss->body == NULL)
            break;
        unsigned char *buf = malloc(LWS_PRE + pss->len + 1);
        if (buf == NULL)
            abort();
        memcpy(buf + LWS_PRE, pss->body, pss->len);
        int w = lws_write(wsi, buf + LWS_PRE, pss->len, LWS_WRITE_HTTP_FINAL);
        free(buf);
        free(pss->body);
        pss->body = NULL;
        if (w < 0 || lws_http_transaction_completed(wsi))
            return -1;
        return 0;
    }
    case LWS_CALLBACK_HTTP_FILE_COMPLETION:
        return lws_http_transaction_completed(wsi) ? -1 : 0;
    case LWS_CALLBACK_CLOSED_HTTP:
        free(pss->body);
        pss->body = NULL;
        break;
    case LWS_CALLBACK_HTTP_CONFIRM_UPGRADE:
        /* Every upgrade (h2c too) is decided here, answered 403 if refused. */
        if (net__ws_confirm(wsi, n, in) == 0)
            return 0;
        if (lws_return_http_status(wsi, HTTP_STATUS_FORBIDDEN, NULL))
            return -1;
        return 1;
    case LWS_CALLBACK_FILTER_PROTOCOL_CONNECTION:
        return -1; /* a WebSocket bound to this protocol: never */
    default:
        break;
    }
    return lws_callback_http_dummy(wsi, reason, user, in, len);
}
