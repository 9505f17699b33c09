/* pairing_late: where a person who arrives while a round is open goes.
 * The groups are already open rooms, so nothing is re-planned: the person
 * joins the group that suits them best by the same terms a plan uses.
 * Called by the server when a late joiner is placed. */
#include "rooms/pairing.h"

#include <string.h>

/* Whether a and b share a language (someone with none shares all). */
static bool share_language(const profile *a, const profile *b)
{
    if (a->n_languages == 0 || b->n_languages == 0)
        return true;
    for (uint8_t i = 0; i < a->n_languages; i++)
        for (uint8_t j = 0; j < b->n_languages; j++)
            if (strcmp(a->languages[i], b->languages[j]) == 0)
                return true;
    return false;
}

typedef struct late_rank {
    bool language_ok;
    uint32_t size;
    int64_t mean;
} late_rank;

/* Whether x ranks before y. */
static bool better(const late_rank *x, const late_rank *y)
{
    if (x->language_ok != y->language_ok)
        return x->language_ok;
    if (x->size != y->size)
        return x->size < y->size;
    return x->mean > y->mean;
}

int32_t pairing_late_group(const pairing_request *req, int32_t who,
                           const pairing_late_group_view *groups,
                           size_t n_groups)
{
    if (req == NULL || groups == NULL || who < 0 ||
        (size_t)who >= req->n_people)
        return -1;
    int32_t best = -1;
    late_rank best_rank = {false, 0, 0};
    for (size_t g = 0; g < n_groups; g++) {
        const pairing_late_group_view *v = &groups[g];
        if (v->n_members == 0 || v->members == NULL)
            continue;
        late_rank rank = {true, v->n_members, 0};
        int64_t sum = 0;
        for (uint32_t k = 0; k < v->n_members; k++) {
            int32_t m = v->members[k];
            if (m < 0 || (size_t)m >= req->n_people)
                return -1;
            rank.language_ok =
                rank.language_ok &&
                share_language(&req->people[who], &req->people[m]);
            sum += pairing_pair_score(req, who, m);
        }
        rank.mean = sum / (int64_t)v->n_members;
        if (best < 0 || better(&rank, &best_rank)) {
            best = (int32_t)g;
            best_rank = rank;
        }
    }
    return best;
}
