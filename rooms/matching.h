/* matching: maximum-weight matching on a general (non-bipartite) graph,
 * Edmonds' blossom algorithm in its primal-dual form, O(n^3) time and
 * O(n + m) memory, integer weights only (so results are exact and
 * deterministic). Pure: no I/O, allocation failures are returned. */
#ifndef KOPA_ROOMS_MATCHING_H
#define KOPA_ROOMS_MATCHING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Largest accepted number of vertices; blossoms nest at most n/2 deep and
 * the expansion recursion follows that nesting. */
#define MATCHING_MAX_VERTICES 32768
/* Largest accepted |weight|: keeps every dual value and slack in int64. */
#define MATCHING_WEIGHT_MAX ((int64_t)1 << 50)

typedef enum matching_error {
    MATCHING_OK = 0,
    MATCHING_ERR_INVALID,  /* NULL argument, self-loop, vertex out of range */
    MATCHING_ERR_WEIGHT,   /* |weight| above MATCHING_WEIGHT_MAX */
    MATCHING_ERR_TOO_BIG,  /* too many vertices or edges */
    MATCHING_ERR_NO_MEMORY /* an allocation failed; nothing leaked */
} matching_error;

/* An undirected edge u-v of weight w. Parallel edges are allowed (the
 * best one wins); self-loops are not. */
typedef struct matching_edge {
    int32_t u, v;
    int64_t w;
} matching_edge;

/* Returns a static message for e. */
const char *matching_strerror(matching_error e);

/* Computes a matching of the graph with n vertices (0..n-1) and the given
 * edges that maximises the total weight. With max_cardinality it first
 * maximises the number of matched edges, then the weight among those
 * (edges of weight <= 0 may then be used); without it, edges of weight
 * <= 0 are never chosen. Borrows edges for the call. Writes mate[v] = the
 * vertex matched to v, or -1, for every v < n (mate holds n entries).
 * The result depends only on the input (including the order of edges).
 * On error mate is left unspecified. */
matching_error matching_solve(size_t n, const matching_edge *edges,
                              size_t n_edges, bool max_cardinality,
                              int32_t *mate);

#endif
