/* Internals shared by jwt.c and jwt_claims.c; not for other modules. */
#ifndef KOPA_AUTH_JWT_INT_H
#define KOPA_AUTH_JWT_INT_H

#include <cjson/cJSON.h>

#include "server/auth/jwt.h"

/* Sets *item to the member of obj named key (NULL if absent). Returns 0, or
 * -1 if the name occurs more than once (a duplicate-key token is refused,
 * RFC 7515 section 5.2). Borrows obj. */
int jwt__member(const cJSON *obj, const char *key, const cJSON **item);

/* Reads sub, name, role, country, langs, sessions, iat, exp and nbf from the
 * payload object into *c (zeroed first) and runs jwt_claims_check. iss and
 * aud are the caller's business. Returns JWT_OK or JWT_BAD_CLAIMS. */
jwt_error jwt__claims_from_json(const cJSON *payload, jwt_claims *c);

/* Adds the claims of c (already checked) to the object obj. Aborts on
 * out-of-memory. */
void jwt__claims_to_json(const jwt_claims *c, cJSON *obj);

/* Returns x, or aborts if it is NULL (cJSON's out-of-memory signal). */
void *jwt__need(void *x);

#endif
