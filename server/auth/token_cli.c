/* token_cli.c: `kopa token`, the coordinator's way to hand out join links.
 * The server's main.c dispatches `kopa token ...` here. It turns flags and
 * environment variables into a jwt_keyring and jwt_claims, refuses anything
 * jwt_verify would refuse, and prints the token and a link that carries it
 * in the URL fragment (fragments are never sent to the server). */
#include "server/auth/token_cli.h"
#include "server/auth/jwt.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_TTL (10LL * 366 * 86400) /* ten years */

typedef struct cli_opts {
    const char *secret, *secret_file, *issuer, *audience, *sub, *name;
    const char *role, *country, *langs, *url;
    const char *sessions[JWT_MAX_SESSIONS];
    int nsessions;
    long long ttl;
} cli_opts;

static const char usage[] =
    "usage: kopa token --role ROLE --sub ID [options]\n"
    "Mints a signed join token and prints it, then a join link.\n"
    "  --secret S        HMAC secret, at least 32 bytes (visible in ps;\n"
    "                    prefer --secret-file or KOPA_SECRET)\n"
    "  --secret-file F   read the secret from F (trailing newlines dropped)\n"
    "  --issuer I        iss claim (default $KOPA_ISSUER or kopa)\n"
    "  --audience A      aud claim (default $KOPA_AUDIENCE or kopa)\n"
    "  --sub ID          user id, [A-Za-z0-9_.-]{1,64} (required)\n"
    "  --name NAME       display name, UTF-8, 1..128 bytes (default: sub)\n"
    "  --role ROLE       coordinator, expert or entrepreneur (required)\n"
    "  --country CC      ISO 3166 alpha-2, uppercase (SE, EE, LV, LT)\n"
    "  --langs L1,L2     ISO 639 codes, lowercase, at most 8 (sv,en)\n"
    "  --session ID      a session the holder may join; repeatable, at\n"
    "                    most 16 (default: * meaning any session)\n"
    "  --ttl SECONDS     lifetime (default 86400)\n"
    "  --url BASE        base of the join link (default $KOPA_PUBLIC_URL or\n"
    "                    http://127.0.0.1:8080)\n"
    "  --help            show this help\n";

static const struct option longopts[] = {
    {"secret", required_argument, NULL, 's'},
    {"secret-file", required_argument, NULL, 'f'},
    {"issuer", required_argument, NULL, 'i'},
    {"audience", required_argument, NULL, 'a'},
    {"sub", required_argument, NULL, 'u'},
    {"name", required_argument, NULL, 'n'},
    {"role", required_argument, NULL, 'r'},
    {"country", required_argument, NULL, 'c'},
    {"langs", required_argument, NULL, 'l'},
    {"session", required_argument, NULL, 'S'},
    {"ttl", required_argument, NULL, 't'},
    {"url", required_argument, NULL, 'U'},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

static const char *env_or(const char *name, const char *fallback)
{
    const char *v = getenv(name);
    return v != NULL && v[0] != '\0' ? v : fallback;
}

static int fail(FILE *err, const char *what, const char *detail)
{
    fprintf(err, "kopa token: %s%s%s\n", what, detail ? ": " : "",
            detail ? detail : "");
    fprintf(err, "Try 'kopa token --help'.\n");
    return 2;
}

/* Parses a whole decimal number in 1..MAX_TTL. Returns 0 or -1. */
static int parse_ttl(const char *s, long long *out)
{
    char *end = NULL;
    long long v;

    errno = 0;
    v = strtoll(s, &end, 10);
    if (errno != 0 || end == s || *end != '\0' || v < 1 || v > MAX_TTL)
        return -1;
    *out = v;
    return 0;
}

/* Returns where the value of a plain string flag goes, or NULL. */
static const char **string_slot(cli_opts *o, int ch)
{
    switch (ch) {
    case 's':
        return &o->secret;
    case 'f':
        return &o->secret_file;
    case 'i':
        return &o->issuer;
    case 'a':
        return &o->audience;
    case 'u':
        return &o->sub;
    case 'n':
        return &o->name;
    case 'r':
        return &o->role;
    case 'c':
        return &o->country;
    case 'l':
        return &o->langs;
    case 'U':
        return &o->url;
    }
    return NULL;
}

/* Fills *o from argv. Returns 0 to go on, 1 after --help, 2 on bad flags. */
static int parse_args(int argc, char **argv, cli_opts *o, FILE *out, FILE *err)
{
    const char **slot;
    int ch;

    optind = 0; /* glibc: full reinitialisation, so repeat calls work */
    opterr = 0;
    while ((ch = getopt_long(argc, argv, ":", longopts, NULL)) != -1) {
        if ((slot = string_slot(o, ch)) != NULL) {
            *slot = optarg;
        } else if (ch == 'S') {
            if (o->nsessions == JWT_MAX_SESSIONS)
                return fail(err, "too many --session flags", NULL);
            o->sessions[o->nsessions++] = optarg;
        } else if (ch == 't') {
            if (parse_ttl(optarg, &o->ttl) != 0)
                return fail(err,
                            "--ttl must be a whole number of seconds "
                            "from 1 to ten years",
                            optarg);
        } else if (ch == 'h') {
            fputs(usage, out);
            return 1;
        } else {
            return fail(err, ch == ':' ? "missing value for" : "unknown option",
                        argv[optind - 1]);
        }
    }
    if (optind < argc)
        return fail(err, "unexpected argument", argv[optind]);
    return 0;
}

/* Copies the C string s into dst[cap]; returns -1 if it does not fit. */
static int put(char *dst, size_t cap, const char *s)
{
    size_t n = strlen(s);

    if (n >= cap)
        return -1;
    memcpy(dst, s, n + 1);
    return 0;
}

/* Fills c->langs from a comma-separated list. Returns 0 or -1. */
static int split_langs(const char *s, jwt_claims *c)
{
    while (*s != '\0') {
        size_t n = strcspn(s, ",");
        if (c->nlangs == JWT_MAX_LANGS || n == 0 || n >= sizeof(c->langs[0]))
            return -1;
        memcpy(c->langs[c->nlangs], s, n);
        c->langs[c->nlangs++][n] = '\0';
        s += n;
        if (*s == ',' && *++s == '\0')
            return -1; /* trailing comma */
    }
    return 0;
}

/* Builds and checks the claims. Returns 0, or 2 after printing why not. */
static int build_claims(const cli_opts *o, int64_t now, jwt_claims *c,
                        FILE *err)
{
    memset(c, 0, sizeof(*c));
    if (o->sub == NULL || o->role == NULL)
        return fail(err, "--sub and --role are required", NULL);
    if (put(c->sub, sizeof(c->sub), o->sub) ||
        put(c->name, sizeof(c->name), o->name ? o->name : o->sub) ||
        put(c->role, sizeof(c->role), o->role) ||
        put(c->country, sizeof(c->country), o->country ? o->country : "") ||
        (o->langs != NULL && split_langs(o->langs, c)))
        goto bad;
    for (int i = 0; i < o->nsessions; i++)
        if (put(c->sessions[i], sizeof(c->sessions[0]), o->sessions[i]) ||
            strcmp(o->sessions[i], "*") == 0)
            return fail(err, "bad --session (or * mixed with ids)",
                        o->sessions[i]);
    c->nsessions = o->nsessions;
    if (c->nsessions == 0) {
        memcpy(c->sessions[0], "*", 2);
        c->nsessions = 1;
    }
    c->iat = now;
    c->exp = now + o->ttl;
    if (jwt_claims_check(c) != JWT_OK)
        goto bad;
    return 0;
bad:
    return fail(err,
                "invalid claims (check --sub, --name, --role, "
                "--country, --langs and --session against --help)",
                NULL);
}

/* Reads the secret from --secret, --secret-file or KOPA_SECRET into *k
 * along with the issuer and audience. Returns 0, or 2 after printing why. */
static int load_keys(const cli_opts *o, jwt_keyring *k, FILE *err)
{
    unsigned char buf[JWT_SECRET_MAX + 2];
    size_t n = 0;
    const char *s = o->secret;
    int rc = 2;

    if (o->secret != NULL && o->secret_file != NULL)
        return fail(err, "give only one of --secret and --secret-file", NULL);
    if (o->secret_file != NULL) {
        FILE *f = fopen(o->secret_file, "rb");
        if (f == NULL)
            return fail(err, "cannot read --secret-file", strerror(errno));
        n = fread(buf, 1, sizeof(buf), f);
        fclose(f);
        if (n == sizeof(buf))
            n = JWT_SECRET_MAX + 1; /* too long: refused below */
        while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
            n--;
    } else {
        if (s == NULL)
            s = getenv("KOPA_SECRET");
        if (s == NULL)
            return fail(err,
                        "no secret: use --secret-file, --secret or "
                        "KOPA_SECRET",
                        NULL);
        n = strlen(s);
        if (n > JWT_SECRET_MAX)
            n = JWT_SECRET_MAX + 1;
        memcpy(buf, s, n);
    }
    if (jwt_keyring_init(k, buf, n, o->issuer, o->audience) == 0)
        rc = 0;
    else
        fail(err,
             "bad keys: the secret must be 32 to 512 bytes and the "
             "issuer and audience 1 to 255 bytes",
             NULL);
    memset(buf, 0, sizeof(buf));
    return rc;
}

int token_cli_main(int argc, char **argv, FILE *out, FILE *err)
{
    cli_opts o = {0};
    jwt_keyring keys;
    jwt_claims c;
    const char *url;
    size_t url_len;
    char *token = NULL;
    int rc;

    o.issuer = env_or("KOPA_ISSUER", "kopa");
    o.audience = env_or("KOPA_AUDIENCE", "kopa");
    o.url = env_or("KOPA_PUBLIC_URL", "http://127.0.0.1:8080");
    o.ttl = 86400;
    rc = parse_args(argc, argv, &o, out, err);
    if (rc != 0)
        return rc == 1 ? 0 : rc;
    if ((rc = build_claims(&o, (int64_t)time(NULL), &c, err)) != 0)
        return rc;
    if ((rc = load_keys(&o, &keys, err)) != 0)
        return rc;
    token = jwt_mint(&keys, &c);
    jwt_keyring_wipe(&keys);
    if (token == NULL)
        return fail(err, "could not mint the token", NULL);
    url = o.url;
    url_len = strlen(url);
    while (url_len > 0 && url[url_len - 1] == '/')
        url_len--;
    rc = fprintf(out, "%s\n%.*s/#session=%s&token=%s\n", token, (int)url_len,
                 url, strcmp(c.sessions[0], "*") ? c.sessions[0] : "demo",
                 token) < 0 ||
         fflush(out) != 0;
    free(token);
    return rc;
}
