/* matching: Edmonds' maximum-weight matching for general graphs, in the
 * primal-dual form described by Galil ("Efficient algorithms for finding
 * maximum matching in graphs", 1986): stages that grow alternating trees
 * of S- and T-labelled blossoms over tight edges, shrink odd cycles into
 * blossoms, augment, and otherwise adjust the dual variables by the
 * smallest of four deltas. Each stage is O(n^2) with the per-blossom
 * "least slack edge" lists, and there are at most n/2 + 1 stages.
 * Called by the pairing engine (rooms/pairing.c).
 *
 * Conventions. Vertices are 0..n-1, blossom ids n..2n-1. Edge k has two
 * endpoints, 2k (at edges[k].u) and 2k+1 (at edges[k].v); ep[p] is the
 * vertex of endpoint p and p^1 is the other end. mate[v] is the endpoint
 * of v's partner (so ep[mate[v]] is the partner) or -1. labelend[b] is the
 * endpoint, in the previous blossom of the tree, of the edge that labelled
 * b; -1 for a tree root. Duals are kept so that slack(k) = dual[u] +
 * dual[v] - 2 w(k) for edges between top-level blossoms; with integer
 * weights all duals stay integers (all tree vertices share one parity). */
#include "rooms/matching.h"

#include <stdlib.h>
#include <string.h>

enum { FREE = 0, S_LABEL = 1, T_LABEL = 2, MARK = 4 };

/* One adjacency entry, laid out so a vertex's scan reads memory in order:
 * the neighbour, the endpoint at the neighbour, and the edge weight. */
typedef struct arc {
    int32_t to, p;
    int64_t w;
} arc;

typedef struct solver {
    int32_t n, m;
    const matching_edge *edges;
    int32_t *ep;         /* 2m: vertex of endpoint p */
    int32_t *adj_off;    /* n+1: CSR offsets into adj */
    arc *adj;            /* 2m: v's edges, adj_off[v]..adj_off[v+1] */
    int32_t *mate;       /* n */
    int32_t *inblossom;  /* n: top-level blossom containing v */
    int32_t *label;      /* 2n: FREE / S / T (MARK while scanning) */
    int32_t *labelend;   /* 2n */
    int32_t *parent;     /* 2n: enclosing blossom or -1 */
    int32_t *base;       /* 2n: base vertex; -1 marks an unused id */
    int32_t *bestedge;   /* 2n: least-slack edge (see scan_vertex) */
    int64_t *bestslack;  /* 2n: its slack, valid while bestepoch == epoch */
    uint32_t *bestepoch; /* 2n */
    uint32_t epoch;      /* bumped whenever the duals change */
    int64_t *dual;       /* 2n */
    int32_t **childs;    /* 2n: cycle of sub-blossoms, base child first */
    int32_t **endps;     /* 2n: endps[i] joins childs[i] and childs[i+1] */
    int32_t *nchilds;    /* 2n */
    int32_t **bests;     /* 2n: an S-blossom's least-slack edges to others */
    int32_t *nbests;     /* 2n: -1 when the list is absent */
    int32_t *unused, n_unused;
    int32_t *queue, qlen; /* S vertices waiting to be scanned */
    int32_t *leaves;      /* n: output of collect_leaves */
    int32_t *stack;       /* 2n: work stack of collect_leaves */
    int32_t *path;        /* 2n: scan_blossom / add_blossom */
    int32_t *pathend;     /* 2n */
    int32_t *bestto;      /* 2n: add_blossom, kept all -1 between calls */
} solver;

static const char *const error_text[] = {
    [MATCHING_OK] = "ok",
    [MATCHING_ERR_INVALID] = "invalid graph",
    [MATCHING_ERR_WEIGHT] = "edge weight out of range",
    [MATCHING_ERR_TOO_BIG] = "graph too large",
    [MATCHING_ERR_NO_MEMORY] = "out of memory",
};

const char *matching_strerror(matching_error e)
{
    if ((unsigned)e >= sizeof(error_text) / sizeof(error_text[0]))
        return "unknown error";
    return error_text[e];
}

static int64_t slack(const solver *st, int32_t k)
{
    const matching_edge *e = &st->edges[k];
    return st->dual[e->u] + st->dual[e->v] - 2 * e->w;
}

/* Writes the vertices inside blossom b to st->leaves; returns how many.
 * Not reentrant: callers copy what they need before the next call. */
static int32_t collect_leaves(solver *st, int32_t b)
{
    int32_t top = 0, cnt = 0;
    st->stack[top++] = b;
    while (top > 0) {
        int32_t x = st->stack[--top];
        if (x < st->n) {
            st->leaves[cnt++] = x;
            continue;
        }
        for (int32_t i = 0; i < st->nchilds[x]; i++)
            st->stack[top++] = st->childs[x][i];
    }
    return cnt;
}

/* Labels the top-level blossom of w with t, reached through endpoint p.
 * A T-blossom's base is matched, and its mate's blossom becomes S. */
static void assign_label(solver *st, int32_t w, int32_t t, int32_t p)
{
    for (;;) {
        int32_t b = st->inblossom[w];
        st->label[w] = st->label[b] = t;
        st->labelend[w] = st->labelend[b] = p;
        st->bestedge[w] = st->bestedge[b] = -1;
        if (t == S_LABEL) {
            int32_t cnt = collect_leaves(st, b);
            for (int32_t i = 0; i < cnt; i++)
                st->queue[st->qlen++] = st->leaves[i];
            return;
        }
        int32_t mb = st->mate[st->base[b]];
        w = st->ep[mb];
        t = S_LABEL;
        p = mb ^ 1;
    }
}

/* Walks up from the S-vertices v and w towards their roots, alternating,
 * and returns the base of the first blossom both paths reach (a new
 * blossom is to be made), or -1 when the roots differ (augment). */
static int32_t scan_blossom(solver *st, int32_t v, int32_t w)
{
    int32_t np = 0, found = -1;
    while (v != -1) {
        int32_t b = st->inblossom[v];
        if (st->label[b] & MARK) {
            found = st->base[b];
            break;
        }
        st->path[np++] = b;
        st->label[b] = S_LABEL | MARK;
        if (st->labelend[b] == -1) {
            v = -1;
        } else {
            v = st->ep[st->labelend[b]];
            b = st->inblossom[v];
            v = st->ep[st->labelend[b]];
        }
        if (w != -1) {
            int32_t t = v;
            v = w;
            w = t;
        }
    }
    for (int32_t i = 0; i < np; i++)
        st->label[st->path[i]] = S_LABEL;
    return found;
}

/* Keeps k in bestto[] if it is the least-slack edge seen so far from the
 * new blossom b to the S-blossom at its other end. */
static void consider_best(solver *st, int32_t b, int32_t k)
{
    int32_t j = st->edges[k].v;
    if (st->inblossom[j] == b)
        j = st->edges[k].u; /* the end outside b */
    int32_t bj = st->inblossom[j];
    if (bj != b && st->label[bj] == S_LABEL &&
        (st->bestto[bj] == -1 || slack(st, k) < slack(st, st->bestto[bj])))
        st->bestto[bj] = k;
}

/* Computes the least-slack edges from the new blossom b to every other
 * S-blossom, from its children's lists (or their raw edges). */
static int blossom_best_edges(solver *st, int32_t b)
{
    for (int32_t c = 0; c < st->nchilds[b]; c++) {
        int32_t bv = st->childs[b][c];
        if (st->nbests[bv] < 0) {
            int32_t cnt = collect_leaves(st, bv);
            for (int32_t i = 0; i < cnt; i++) {
                int32_t x = st->leaves[i];
                for (int32_t a = st->adj_off[x]; a < st->adj_off[x + 1]; a++)
                    consider_best(st, b, st->adj[a].p >> 1);
            }
        } else {
            for (int32_t i = 0; i < st->nbests[bv]; i++)
                consider_best(st, b, st->bests[bv][i]);
        }
        free(st->bests[bv]);
        st->bests[bv] = NULL;
        st->nbests[bv] = -1;
        st->bestedge[bv] = -1;
    }
    int32_t cnt = 0;
    for (int32_t x = 0; x < 2 * st->n; x++)
        if (st->bestto[x] != -1)
            st->path[cnt++] = st->bestto[x];
    int32_t *list = malloc(((size_t)cnt + 1) * sizeof(*list));
    st->bestedge[b] = -1;
    st->bestepoch[b] = 0; /* no cached slack for the new list */
    for (int32_t i = 0; i < cnt; i++) {
        int32_t k = st->path[i];
        int32_t u = st->edges[k].u, v = st->edges[k].v;
        st->bestto[st->inblossom[u] == b ? st->inblossom[v]
                                         : st->inblossom[u]] = -1;
        if (list != NULL)
            list[i] = k;
        if (st->bestedge[b] == -1 || slack(st, k) < slack(st, st->bestedge[b]))
            st->bestedge[b] = k;
    }
    if (list == NULL)
        return -1;
    st->bests[b] = list;
    st->nbests[b] = cnt;
    return 0;
}

static void reverse(int32_t *a, int32_t n)
{
    for (int32_t i = 0, j = n - 1; i < j; i++, j--) {
        int32_t t = a[i];
        a[i] = a[j];
        a[j] = t;
    }
}

/* Shrinks the odd cycle closed by edge k (both ends S, same tree) with
 * base vertex `base` into a new S-blossom. Returns -1 when out of memory. */
static int add_blossom(solver *st, int32_t base, int32_t k)
{
    int32_t v = st->edges[k].u, w = st->edges[k].v;
    int32_t bb = st->inblossom[base], bv = st->inblossom[v],
            bw = st->inblossom[w];
    int32_t b = st->unused[--st->n_unused];
    int32_t np = 0;

    while (bv != bb) { /* from v's side up to the base */
        st->path[np] = bv;
        st->pathend[np++] = st->labelend[bv];
        bv = st->inblossom[st->ep[st->labelend[bv]]];
    }
    st->path[np++] = bb;
    reverse(st->path, np);
    reverse(st->pathend, np - 1);
    st->pathend[np - 1] = 2 * k;
    while (bw != bb) { /* then down w's side */
        st->path[np] = bw;
        st->pathend[np++] = st->labelend[bw] ^ 1;
        bw = st->inblossom[st->ep[st->labelend[bw]]];
    }
    int32_t *ch = malloc((size_t)np * sizeof(*ch));
    int32_t *en = malloc((size_t)np * sizeof(*en));
    if (ch == NULL || en == NULL) {
        free(ch);
        free(en);
        st->n_unused++;
        return -1;
    }
    memcpy(ch, st->path, (size_t)np * sizeof(*ch));
    memcpy(en, st->pathend, (size_t)np * sizeof(*en));
    st->childs[b] = ch;
    st->endps[b] = en;
    st->nchilds[b] = np;
    st->base[b] = base;
    st->parent[b] = -1;
    for (int32_t i = 0; i < np; i++)
        st->parent[ch[i]] = b;
    st->label[b] = S_LABEL;
    st->labelend[b] = st->labelend[bb];
    st->dual[b] = 0;
    int32_t cnt = collect_leaves(st, b);
    for (int32_t i = 0; i < cnt; i++) {
        int32_t x = st->leaves[i];
        if (st->label[st->inblossom[x]] == T_LABEL)
            st->queue[st->qlen++] = x; /* T vertices become S */
        st->inblossom[x] = b;
    }
    return blossom_best_edges(st, b);
}

static int32_t child_index(const solver *st, int32_t b, int32_t c)
{
    int32_t i = 0;
    while (st->childs[b][i] != c)
        i++;
    return i;
}

/* After an expanded T-blossom b: label the even path of its children from
 * the entry child to the base child T,S,...,T and relabel the children
 * off that path that an S-vertex had already reached. */
static void relabel_expanded(solver *st, int32_t b)
{
    int32_t L = st->nchilds[b], *ch = st->childs[b], *en = st->endps[b];
    int32_t entry = st->inblossom[st->ep[st->labelend[b] ^ 1]];
    int32_t j = child_index(st, b, entry);
    int32_t step = (j & 1) ? 1 : L - 1; /* forward if odd, else backward */
    int32_t p = st->labelend[b];

    while (j != 0) {
        assign_label(st, st->ep[p ^ 1], T_LABEL, p);
        j = (j + step) % L; /* the S child */
        p = step == 1 ? en[j] : en[j - 1] ^ 1;
        j = (j + step) % L;
    }
    int32_t x = st->ep[p ^ 1];
    st->label[x] = st->label[ch[0]] = T_LABEL;
    st->labelend[x] = st->labelend[ch[0]] = p;
    st->bestedge[ch[0]] = -1;

    for (j = step % L; ch[j] != entry; j = (j + step) % L) {
        int32_t bv = ch[j];
        if (st->label[bv] == S_LABEL)
            continue;
        int32_t cnt = collect_leaves(st, bv), v = -1;
        for (int32_t i = 0; i < cnt && v == -1; i++)
            if (st->label[st->leaves[i]] != FREE)
                v = st->leaves[i];
        if (v != -1)
            assign_label(st, v, T_LABEL, st->labelend[v]);
    }
}

/* Dissolves blossom b into its children (recursively for zero-dual
 * sub-blossoms at the end of a stage) and recycles its id. */
static void expand_blossom(solver *st, int32_t b, bool endstage)
{
    for (int32_t i = 0; i < st->nchilds[b]; i++) {
        int32_t s = st->childs[b][i];
        st->parent[s] = -1;
        if (s < st->n) {
            st->inblossom[s] = s;
        } else if (endstage && st->dual[s] == 0) {
            expand_blossom(st, s, endstage);
        } else {
            int32_t cnt = collect_leaves(st, s);
            for (int32_t l = 0; l < cnt; l++)
                st->inblossom[st->leaves[l]] = s;
        }
    }
    if (!endstage && st->label[b] == T_LABEL)
        relabel_expanded(st, b);
    free(st->childs[b]);
    free(st->endps[b]);
    free(st->bests[b]);
    st->childs[b] = st->endps[b] = st->bests[b] = NULL;
    st->nchilds[b] = 0;
    st->nbests[b] = -1;
    st->label[b] = st->labelend[b] = -1;
    st->base[b] = st->bestedge[b] = -1;
    st->unused[st->n_unused++] = b;
}

/* Swaps matched and unmatched edges along the even path inside blossom b
 * from the child holding v to the base child, making v the new base. */
static void augment_blossom(solver *st, int32_t b, int32_t v)
{
    int32_t t = v;
    while (st->parent[t] != b)
        t = st->parent[t];
    if (t >= st->n)
        augment_blossom(st, t, v);
    int32_t L = st->nchilds[b], *ch = st->childs[b], *en = st->endps[b];
    int32_t i = child_index(st, b, t), j = i;
    int32_t step = (i & 1) ? 1 : L - 1;
    while (j != 0) {
        j = (j + step) % L;
        int32_t p = step == 1 ? en[j] : en[j - 1] ^ 1;
        if (ch[j] >= st->n)
            augment_blossom(st, ch[j], st->ep[p]);
        j = (j + step) % L;
        if (ch[j] >= st->n)
            augment_blossom(st, ch[j], st->ep[p ^ 1]);
        st->mate[st->ep[p]] = p ^ 1;
        st->mate[st->ep[p ^ 1]] = p;
    }
    /* Rotate both cycles left by i so the new base child comes first. */
    reverse(ch, i);
    reverse(ch + i, L - i);
    reverse(ch, L);
    reverse(en, i);
    reverse(en + i, L - i);
    reverse(en, L);
    st->base[b] = v;
}

/* Augments along the path root - ... - u =k= v - ... - root. */
static void augment_matching(solver *st, int32_t k)
{
    for (int side = 0; side < 2; side++) {
        int32_t s = side == 0 ? st->edges[k].u : st->edges[k].v;
        int32_t p = side == 0 ? 2 * k + 1 : 2 * k;
        for (;;) {
            int32_t bs = st->inblossom[s];
            if (bs >= st->n)
                augment_blossom(st, bs, s);
            st->mate[s] = p;
            if (st->labelend[bs] == -1)
                break; /* reached the root */
            int32_t bt = st->inblossom[st->ep[st->labelend[bs]]];
            s = st->ep[st->labelend[bt]];
            int32_t j = st->ep[st->labelend[bt] ^ 1];
            if (bt >= st->n)
                augment_blossom(st, bt, j);
            st->mate[j] = st->labelend[bt];
            p = st->labelend[bt] ^ 1;
        }
    }
}

/* Makes k (slack ks) the best edge of x if it beats the current one. The
 * current one's slack is cached until the duals next change, which keeps
 * the scan from reading a random edge for every candidate. */
static void keep_least(solver *st, int32_t x, int32_t k, int64_t ks)
{
    int32_t cur = st->bestedge[x];
    if (cur != -1) {
        int64_t cs =
            st->bestepoch[x] == st->epoch ? st->bestslack[x] : slack(st, cur);
        if (cs <= ks)
            k = cur, ks = cs;
    }
    st->bestedge[x] = k;
    st->bestslack[x] = ks;
    st->bestepoch[x] = st->epoch;
}

/* Acts on the tight edge k (endpoint p at w) seen from S-vertex v: label
 * w's blossom T, make a blossom, or augment. Returns 1 after an
 * augmentation, 0 to go on, -1 when out of memory. */
static int tight_edge(solver *st, int32_t v, int32_t w, int32_t p)
{
    int32_t k = p >> 1, lw = st->label[st->inblossom[w]];
    if (lw == FREE) {
        assign_label(st, w, T_LABEL, p ^ 1);
    } else if (lw == S_LABEL) {
        int32_t base = scan_blossom(st, v, w);
        if (base < 0) {
            augment_matching(st, k);
            return 1;
        }
        if (add_blossom(st, base, k) < 0)
            return -1;
    } else if (st->label[w] == FREE) {
        st->label[w] = T_LABEL; /* reached inside a T-blossom */
        st->labelend[w] = p ^ 1;
    }
    return 0;
}

/* Scans the edges of S-vertex v. Returns 1 after an augmentation, 0 to
 * go on, -1 when out of memory. Seen from an S-vertex, an edge's slack
 * never grows during a stage, so "tight" needs no memory between scans
 * (integer duals make the test exact). The least-slack edge to another
 * S-blossom is kept in locals and stored once, the hot path of a dense
 * graph. */
static int scan_vertex(solver *st, int32_t v)
{
    int32_t bv = st->inblossom[v], best = -1;
    int64_t dv = st->dual[v], best_slack = INT64_MAX;
    const arc *e = st->adj + st->adj_off[v],
              *end = st->adj + st->adj_off[v + 1];
    for (; e < end; e++) {
        int32_t w = e->to, bw = st->inblossom[w];
        if (bw == bv)
            continue;
        int64_t ks = dv + st->dual[w] - 2 * e->w;
        if (ks > 0) {
            bool s = st->label[bw] == S_LABEL;
            bool better = s & (ks < best_slack); /* branch-free: S or not is
                                                    a coin toss here */
            best = better ? e->p >> 1 : best;
            best_slack = better ? ks : best_slack;
            if (!s && st->label[w] == FREE)
                keep_least(st, w, e->p >> 1, ks);
            continue;
        }
        if (best != -1)
            keep_least(st, bv, best, best_slack);
        best = -1;
        best_slack = INT64_MAX;
        int r = tight_edge(st, v, w, e->p);
        if (r != 0)
            return r;
        bv = st->inblossom[v]; /* a new blossom may hold v now */
    }
    if (best != -1)
        keep_least(st, bv, best, best_slack);
    return 0;
}

/* Chooses the dual step: 1 = stop, 2 = grow a tree, 3 = an S-S edge
 * becomes tight, 4 = expand a T-blossom. Sets *delta and *what. */
static int choose_delta(solver *st, bool maxcard, int64_t *delta, int32_t *what)
{
    int type = -1;
    int64_t d = 0, mind = INT64_MAX;
    for (int32_t v = 0; v < st->n; v++)
        if (st->dual[v] < mind)
            mind = st->dual[v];
    if (!maxcard) {
        type = 1;
        d = mind;
    }
    for (int32_t v = 0; v < st->n; v++) {
        int32_t k = st->bestedge[v];
        if (st->label[st->inblossom[v]] == FREE && k != -1 &&
            (type == -1 || slack(st, k) < d)) {
            d = slack(st, k);
            type = 2;
            *what = k;
        }
    }
    for (int32_t b = 0; b < 2 * st->n; b++) {
        int32_t k = st->bestedge[b];
        if (st->parent[b] == -1 && st->label[b] == S_LABEL && k != -1 &&
            (type == -1 || slack(st, k) / 2 < d)) {
            d = slack(st, k) / 2;
            type = 3;
            *what = k;
        }
    }
    for (int32_t b = st->n; b < 2 * st->n; b++) {
        if (st->base[b] >= 0 && st->parent[b] == -1 &&
            st->label[b] == T_LABEL && (type == -1 || st->dual[b] < d)) {
            d = st->dual[b];
            type = 4;
            *what = b;
        }
    }
    if (type == -1) { /* max-cardinality: no augmenting path is left */
        type = 1;
        d = mind > 0 ? mind : 0;
    }
    *delta = d;
    return type;
}

static void apply_delta(solver *st, int64_t delta)
{
    st->epoch++;
    for (int32_t v = 0; v < st->n; v++) {
        int32_t l = st->label[st->inblossom[v]];
        if (l == S_LABEL)
            st->dual[v] -= delta;
        else if (l == T_LABEL)
            st->dual[v] += delta;
    }
    for (int32_t b = st->n; b < 2 * st->n; b++) {
        if (st->base[b] < 0 || st->parent[b] != -1)
            continue;
        if (st->label[b] == S_LABEL)
            st->dual[b] += delta;
        else if (st->label[b] == T_LABEL)
            st->dual[b] -= delta;
    }
}

static void start_stage(solver *st)
{
    for (int32_t b = 0; b < 2 * st->n; b++) {
        st->label[b] = FREE;
        st->bestedge[b] = -1;
        free(st->bests[b]);
        st->bests[b] = NULL;
        st->nbests[b] = -1;
    }
    st->qlen = 0;
    for (int32_t v = 0; v < st->n; v++)
        if (st->mate[v] == -1 && st->label[st->inblossom[v]] == FREE)
            assign_label(st, v, S_LABEL, -1);
}

/* Runs one stage. Returns 1 after an augmentation, 0 when the matching is
 * optimal, -1 when out of memory. */
static int run_stage(solver *st, bool maxcard)
{
    start_stage(st);
    for (;;) {
        while (st->qlen > 0) {
            int r = scan_vertex(st, st->queue[--st->qlen]);
            if (r != 0)
                return r;
        }
        int64_t delta;
        int32_t what = -1;
        int type = choose_delta(st, maxcard, &delta, &what);
        apply_delta(st, delta);
        if (type == 1)
            return 0;
        if (type == 4) {
            expand_blossom(st, what, false);
            continue;
        }
        int32_t u = st->edges[what].u, v = st->edges[what].v;
        if (st->label[st->inblossom[u]] != S_LABEL)
            u = v;
        st->queue[st->qlen++] = u;
    }
}

static void solver_free(solver *st)
{
    for (int32_t b = 0; b < 2 * st->n; b++) {
        if (st->bests != NULL)
            free(st->bests[b]);
        if (st->childs != NULL)
            free(st->childs[b]);
        if (st->endps != NULL)
            free(st->endps[b]);
    }
    void *arrays[] = {
        st->ep,        st->adj_off,   st->adj,    st->mate,    st->inblossom,
        st->label,     st->labelend,  st->parent, st->base,    st->bestedge,
        st->bestslack, st->bestepoch, st->dual,   st->childs,  st->endps,
        st->nchilds,   st->bests,     st->nbests, st->unused,  st->queue,
        st->leaves,    st->stack,     st->path,   st->pathend, st->bestto};
    for (size_t i = 0; i < sizeof(arrays) / sizeof(arrays[0]); i++)
        free(arrays[i]);
}

static int solver_alloc(solver *st)
{
    size_t n = (size_t)st->n, n2 = 2 * n, m2 = 2 * (size_t)st->m;
    st->ep = malloc((m2 + 1) * sizeof(int32_t));
    st->adj = malloc((m2 + 1) * sizeof(arc));
    st->adj_off = calloc(n + 1, sizeof(int32_t));
    st->mate = malloc(n * sizeof(int32_t));
    st->inblossom = malloc(n * sizeof(int32_t));
    st->leaves = malloc(n * sizeof(int32_t));
    st->dual = malloc(n2 * sizeof(int64_t));
    st->bestslack = malloc(n2 * sizeof(int64_t));
    st->bestepoch = calloc(n2, sizeof(uint32_t));
    st->childs = calloc(n2, sizeof(int32_t *));
    st->endps = calloc(n2, sizeof(int32_t *));
    st->bests = calloc(n2, sizeof(int32_t *));
    int32_t **ints[] = {&st->label,    &st->labelend, &st->parent, &st->base,
                        &st->bestedge, &st->nchilds,  &st->nbests, &st->unused,
                        &st->queue,    &st->stack,    &st->path,   &st->pathend,
                        &st->bestto};
    bool ok = st->ep && st->adj && st->adj_off && st->mate && st->inblossom &&
              st->leaves && st->dual && st->bestslack && st->bestepoch &&
              st->childs && st->endps && st->bests;
    for (size_t i = 0; i < sizeof(ints) / sizeof(ints[0]); i++) {
        *ints[i] = malloc((n2 + 1) * sizeof(int32_t));
        ok = ok && *ints[i] != NULL;
    }
    return ok ? 0 : -1;
}

static void solver_init(solver *st)
{
    int64_t maxw = 0;
    for (int32_t k = 0; k < st->m; k++) {
        const matching_edge *e = &st->edges[k];
        st->ep[2 * k] = e->u;
        st->ep[2 * k + 1] = e->v;
        st->adj_off[e->u + 1]++;
        st->adj_off[e->v + 1]++;
        if (e->w > maxw)
            maxw = e->w;
    }
    for (int32_t v = 0; v < st->n; v++)
        st->adj_off[v + 1] += st->adj_off[v];
    for (int32_t v = 0; v < st->n; v++)
        st->leaves[v] = st->adj_off[v]; /* fill cursor */
    for (int32_t k = 0; k < st->m; k++) {
        const matching_edge *e = &st->edges[k];
        st->adj[st->leaves[e->u]++] = (arc){e->v, 2 * k + 1, e->w};
        st->adj[st->leaves[e->v]++] = (arc){e->u, 2 * k, e->w};
    }
    st->n_unused = 0;
    st->epoch = 1;
    for (int32_t b = 0; b < 2 * st->n; b++) {
        bool vertex = b < st->n;
        st->parent[b] = -1;
        st->base[b] = vertex ? b : -1;
        st->dual[b] = vertex ? maxw : 0;
        st->label[b] = st->labelend[b] = st->bestedge[b] = -1;
        st->nchilds[b] = 0;
        st->nbests[b] = -1;
        st->bestto[b] = -1;
        if (vertex) {
            st->mate[b] = -1;
            st->inblossom[b] = b;
        }
    }
    for (int32_t b = 2 * st->n - 1; b >= st->n; b--)
        st->unused[st->n_unused++] = b;
}

static matching_error check_input(size_t n, const matching_edge *edges,
                                  size_t n_edges, const int32_t *mate)
{
    if ((n > 0 && mate == NULL) || (n_edges > 0 && edges == NULL))
        return MATCHING_ERR_INVALID;
    if (n > MATCHING_MAX_VERTICES || n_edges > (size_t)INT32_MAX / 4)
        return MATCHING_ERR_TOO_BIG;
    for (size_t k = 0; k < n_edges; k++) {
        const matching_edge *e = &edges[k];
        if (e->u < 0 || e->v < 0 || (size_t)e->u >= n || (size_t)e->v >= n ||
            e->u == e->v)
            return MATCHING_ERR_INVALID;
        if (e->w > MATCHING_WEIGHT_MAX || e->w < -MATCHING_WEIGHT_MAX)
            return MATCHING_ERR_WEIGHT;
    }
    return MATCHING_OK;
}

matching_error matching_solve(size_t n, const matching_edge *edges,
                              size_t n_edges, bool max_cardinality,
                              int32_t *mate)
{
    matching_error err = check_input(n, edges, n_edges, mate);
    if (err != MATCHING_OK || n == 0)
        return err;
    solver st = {.n = (int32_t)n, .m = (int32_t)n_edges, .edges = edges};
    err = MATCHING_ERR_NO_MEMORY;
    if (solver_alloc(&st) < 0)
        goto fail;
    solver_init(&st);
    for (size_t stage = 0; stage <= n; stage++) {
        int r = run_stage(&st, max_cardinality);
        if (r < 0)
            goto fail;
        if (r == 0)
            break;
        /* Zero-dual S-blossoms may dissolve now: their duals can no
         * longer grow once the trees are gone. */
        for (int32_t b = st.n; b < 2 * st.n; b++)
            if (st.parent[b] == -1 && st.base[b] >= 0 &&
                st.label[b] == S_LABEL && st.dual[b] == 0)
                expand_blossom(&st, b, true);
    }
    for (int32_t v = 0; v < st.n; v++)
        mate[v] = st.mate[v] >= 0 ? st.ep[st.mate[v]] : -1;
    err = MATCHING_OK;
fail:
    solver_free(&st);
    return err;
}
