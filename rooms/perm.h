/* perm: roles and the role x action table (rooms/actions.def). Pure. */
#ifndef KOPA_ROOMS_PERM_H
#define KOPA_ROOMS_PERM_H

#include <stddef.h>

typedef enum role {
    ROLE_ENTREPRENEUR = 0,
    ROLE_EXPERT,
    ROLE_COORDINATOR,
    ROLE_COUNT
} role;

typedef enum action {
#define ACTION(name, str, e, x, c) ACTION_##name,
#include "rooms/actions.def"
#undef ACTION
    ACTION_COUNT
} action;

/* Returns the wire name of r ("entrepreneur", ...), or "unknown". */
const char *perm_role_name(role r);

/* Parses a role name of len bytes into *out. Returns 0, or -1 when the name
 * is not a role (then *out is unchanged). */
int perm_role_parse(const char *s, size_t len, role *out);

/* Returns the name of a ("chat", ...), or "unknown". */
const char *perm_action_name(action a);

/* Returns 1 when role r may perform action a, 0 otherwise (also for
 * out-of-range values). */
int perm_allows(role r, action a);

#endif
