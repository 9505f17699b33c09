/* perm: the role x action table. Generated from rooms/actions.def so that
 * adding a feature's actions is one line each; the app checks every
 * message against perm_allows() before it touches any state. */
#include "rooms/perm.h"

#include <string.h>

static const char *const role_names[ROLE_COUNT] = {"entrepreneur", "expert",
                                                   "coordinator"};

static const struct {
    const char *name;
    unsigned char allowed[ROLE_COUNT];
} actions[ACTION_COUNT] = {
#define ACTION(name, str, e, x, c) {str, {e, x, c}},
#include "rooms/actions.def"
#undef ACTION
};

const char *perm_role_name(role r)
{
    if ((unsigned)r >= ROLE_COUNT)
        return "unknown";
    return role_names[r];
}

int perm_role_parse(const char *s, size_t len, role *out)
{
    for (int i = 0; i < ROLE_COUNT; i++) {
        if (strlen(role_names[i]) == len &&
            memcmp(s, role_names[i], len) == 0) {
            *out = (role)i;
            return 0;
        }
    }
    return -1;
}

const char *perm_action_name(action a)
{
    if ((unsigned)a >= ACTION_COUNT)
        return "unknown";
    return actions[a].name;
}

int perm_allows(role r, action a)
{
    if ((unsigned)r >= ROLE_COUNT || (unsigned)a >= ACTION_COUNT)
        return 0;
    return actions[a].allowed[r];
}
