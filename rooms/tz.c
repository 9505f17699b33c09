/* tz.c: shape check of IANA time zone names (rooms/tz.h). Called by the
 * programme when a session is added or edited, and by anyone else storing
 * a zone name. */
#include "rooms/tz.h"

#include <string.h>

static bool is_alpha(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

static bool is_part_char(char c)
{
    return is_alpha(c) || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
           c == '+' || c == '.';
}

bool tz_name_valid(const char *name)
{
    if (!name)
        return false;
    size_t n = strnlen(name, TZ_NAME_MAX + 1);
    if (n == 0 || n > TZ_NAME_MAX)
        return false;
    size_t parts = 1, part_len = 0;
    for (size_t i = 0; i < n; i++) {
        char c = name[i];
        if (c == '/') {
            if (part_len == 0 || ++parts > TZ_PARTS_MAX)
                return false;
            part_len = 0;
            continue;
        }
        if (part_len == 0 ? !is_alpha(c) : !is_part_char(c))
            return false;
        if (++part_len > TZ_PART_MAX)
            return false;
    }
    return part_len > 0;
}
