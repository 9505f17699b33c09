/* agenda_round: what the agenda knows of breakout rounds (rooms/agenda.h):
 * a breakout item's settings for the round it proposes, the round linked
 * to an item, and whether the current item still waits for its round. The
 * server (app/round_agenda.c, handle_agenda.c) calls it live and when the
 * agenda's ops are replayed. */
#include "rooms/agenda.h"

#include <stddef.h>

static struct agenda_item *find(struct agenda *a, uint32_t id)
{
    for (uint32_t i = 0; i < a->count; i++)
        if (a->items[i].id == id)
            return &a->items[i];
    return NULL;
}

agenda_err agenda_breakout_check(int mode, int size)
{
    if (mode < 0 || mode > AGENDA_BREAKOUT_MODES ||
        (size != 0 &&
         (size < AGENDA_BREAKOUT_SIZE_MIN || size > AGENDA_BREAKOUT_SIZE_MAX)))
        return AGENDA_ERR_BREAKOUT;
    return AGENDA_OK;
}

agenda_err agenda_set_breakout(struct agenda *a, uint32_t id, int mode,
                               int size)
{
    struct agenda_item *it = find(a, id);
    if (it == NULL)
        return AGENDA_ERR_NO_SUCH_ITEM;
    agenda_err e = agenda_breakout_check(mode, size);
    if (e != AGENDA_OK)
        return e;
    it->breakout_mode = (uint8_t)mode;
    it->breakout_size = (uint8_t)size;
    return AGENDA_OK;
}

agenda_err agenda_set_round(struct agenda *a, uint32_t id, int64_t round)
{
    struct agenda_item *it = find(a, id);
    if (it == NULL)
        return AGENDA_ERR_NO_SUCH_ITEM;
    if (round < 0)
        return AGENDA_ERR_INVALID;
    it->round = round;
    return AGENDA_OK;
}

bool agenda_breakout_due(const struct agenda *a, int64_t last_round,
                         uint32_t *id_out)
{
    const struct agenda_item *it = agenda_current(a);
    if (it == NULL || it->kind != AGENDA_KIND_BREAKOUT ||
        (it->round != 0 && it->round <= last_round))
        return false;
    if (id_out)
        *id_out = it->id;
    return true;
}
