/* pairing_explain.c: the structured reasons of every group of a plan
 * and the plan's warnings (pairing_plan_explain(), rooms/pairing.h).
 * Called when a plan is made and after every coordinator edit, and by the
 * app layer to re-explain a plan. */
#include "rooms/pairing_int.h"

#include <string.h>

static int push_reason(pairing_plan *pl, pairing_reason_kind kind,
                       int32_t topic, int32_t a, int32_t b)
{
    if (pairing__reserve(&pl->reasons, sizeof(*pl->reasons), pl->n_reasons,
                         &pl->cap_reasons))
        return -1;
    pl->reasons[pl->n_reasons++] =
        (pairing_reason){.kind = kind, .topic = topic, .a = a, .b = b};
    return 0;
}

static int warn(pairing_plan *pl, pairing_warning_kind kind,
                pairing_cause cause, int32_t person, int32_t other,
                int32_t group)
{
    if (pairing__reserve(&pl->warnings, sizeof(*pl->warnings), pl->n_warnings,
                         &pl->cap_warnings))
        return -1;
    pl->warnings[pl->n_warnings++] =
        (pairing_warning){kind, cause, person, other, group};
    return 0;
}

static int explain_topics(pairing_plan *pl, const pairing_request *req,
                          int32_t a, int32_t b)
{
    const profile *pa = &req->people[a], *pb = &req->people[b];
    int rc = 0;
    for (int t = 0; t < PROFILE_TOPIC_COUNT && rc == 0; t++) {
        unsigned ma = pa->marks[t], mb = pb->marks[t];
        if (req->mode == PAIRING_MODE_SHARED_INTEREST) {
            if (ma && mb)
                rc = push_reason(pl, PAIRING_REASON_SHARED_INTEREST, t, a, b);
            continue;
        }
        if ((ma & PROFILE_MARK_NEED) && (mb & PROFILE_MARK_OFFER))
            rc = push_reason(pl, PAIRING_REASON_COMPLEMENT, t, a, b);
        if (rc == 0 && (mb & PROFILE_MARK_NEED) && (ma & PROFILE_MARK_OFFER))
            rc = push_reason(pl, PAIRING_REASON_COMPLEMENT, t, b, a);
    }
    return rc;
}

static int explain_pair(pairing_plan *pl, const pairing_request *req, int32_t g,
                        int32_t a, int32_t b)
{
    const profile *pa = &req->people[a], *pb = &req->people[b];
    pairing_meeting mt;
    uint32_t met = pairing_history_met(req->history, pa, pb, &mt);
    pl->groups[g].score += pairing__score(req, a, b, met);
    if (pa->country[0] && pb->country[0] &&
        push_reason(pl,
                    pairing__cross_country(pa, pb)
                        ? PAIRING_REASON_CROSS_COUNTRY
                        : PAIRING_REASON_SAME_COUNTRY,
                    -1, a, b))
        return -1;
    if (met > 0) {
        if (push_reason(pl, PAIRING_REASON_REPEAT, -1, a, b) ||
            warn(pl, PAIRING_WARN_REPEAT, PAIRING_CAUSE_NONE, a, b, g))
            return -1;
        pairing_reason *r = &pl->reasons[pl->n_reasons - 1];
        r->met_count = met;
        r->last_round = mt.last_round;
        r->last_at_ms = mt.last_at_ms;
    }
    return req->mode == PAIRING_MODE_RANDOM ? 0 : explain_topics(pl, req, a, b);
}

static int explain_language(pairing_plan *pl, const pairing_request *req,
                            int32_t g)
{
    pairing_group *G = &pl->groups[g];
    const profile *first = &req->people[G->members[0]];
    G->language_ok = true;
    G->language[0] = '\0';
    if (G->n_members < 2)
        return 0;
    for (unsigned l = 0; l < first->n_languages; l++) {
        uint32_t i = 1;
        while (i < G->n_members && pairing__speaks(&req->people[G->members[i]],
                                                   first->languages[l]))
            i++;
        if (i == G->n_members) {
            memcpy(G->language, first->languages[l], sizeof(G->language));
            if (push_reason(pl, PAIRING_REASON_SHARED_LANGUAGE, -1, -1, -1))
                return -1;
            memcpy(pl->reasons[pl->n_reasons - 1].language, G->language,
                   sizeof(G->language));
            return 0;
        }
    }
    G->language_ok = false;
    const char *lang = pairing__majority_language(req, G);
    for (uint32_t i = 0; i < G->n_members; i++) {
        int32_t m = G->members[i];
        if (lang && pairing__speaks(&req->people[m], lang))
            continue;
        if (push_reason(pl, PAIRING_REASON_NO_COMMON_LANGUAGE, -1, m, -1) ||
            warn(pl, PAIRING_WARN_NO_COMMON_LANGUAGE, PAIRING_CAUSE_NONE, m, -1,
                 g))
            return -1;
        if (lang)
            memcpy(pl->reasons[pl->n_reasons - 1].language, lang, 4);
    }
    return 0;
}

static int explain_group(pairing_plan *pl, const pairing_request *req,
                         int32_t g)
{
    pairing_group *G = &pl->groups[g];
    G->first_reason = pl->n_reasons;
    G->n_reasons = 0;
    G->score = 0;
    G->language_ok = true;
    G->language[0] = '\0';
    if (G->n_members == 0)
        return 0;
    if (explain_language(pl, req, g))
        return -1;
    if ((G->n_members == 1 || G->n_members > 4) &&
        warn(pl, PAIRING_WARN_GROUP_SIZE, PAIRING_CAUSE_NONE, -1, -1, g))
        return -1;
    pairing_reason_kind kind = req->mode == PAIRING_MODE_MANUAL
                                   ? PAIRING_REASON_MANUAL
                                   : PAIRING_REASON_RANDOM;
    if (req->mode == PAIRING_MODE_MANUAL || req->mode == PAIRING_MODE_RANDOM)
        if (push_reason(pl, kind, -1, -1, -1))
            return -1;
    if (req->mode != PAIRING_MODE_MANUAL && pl->group_size == 2 &&
        G->n_members == 3 &&
        push_reason(pl, PAIRING_REASON_ODD_COUNT, -1, G->members[2], -1))
        return -1;
    for (uint32_t i = 0; i < G->n_members; i++)
        for (uint32_t j = i + 1; j < G->n_members; j++)
            if (explain_pair(pl, req, g, G->members[i], G->members[j]))
                return -1;
    G->n_reasons = pl->n_reasons - G->first_reason;
    pl->total_score += G->score;
    return 0;
}

pairing_error pairing_plan_explain(pairing_plan *plan,
                                   const pairing_request *req)
{
    if (plan == NULL || req == NULL || req->n_people != plan->n_people ||
        (req->n_people > 0 && req->people == NULL))
        return PAIRING_ERR_INVALID;
    plan->n_reasons = plan->n_warnings = 0;
    plan->total_score = 0;
    int rc = 0;
    for (size_t p = 0; p < plan->n_people && rc == 0; p++)
        if (req->people[p].n_languages == 0)
            rc = warn(plan, PAIRING_WARN_NO_LANGUAGES, PAIRING_CAUSE_NONE,
                      (int32_t)p, -1, -1);
    for (size_t g = 0; g < plan->n_groups && rc == 0; g++)
        rc = explain_group(plan, req, (int32_t)g);
    for (size_t p = 0; p < plan->n_people && rc == 0; p++)
        if (plan->group_of[p] < 0)
            rc = warn(plan, PAIRING_WARN_UNASSIGNED, plan->cause[p], (int32_t)p,
                      -1, -1);
    if (rc == 0)
        return PAIRING_OK;
    plan->n_reasons = plan->n_warnings = 0;
    for (size_t g = 0; g < plan->n_groups; g++)
        plan->groups[g].first_reason = plan->groups[g].n_reasons = 0;
    return PAIRING_ERR_NO_MEMORY;
}
