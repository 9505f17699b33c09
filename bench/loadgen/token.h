/* token: mints the HS256 join tokens the bench members present, signed
 * with the server's secret (docs/protocol.md section 3). */
#ifndef KOPA_BENCH_TOKEN_H
#define KOPA_BENCH_TOKEN_H

#include <stddef.h>

/* Writes a NUL-terminated token for user sub (name "Bench <sub>", role
 * entrepreneur, every session, iss and aud "kopa", expiring at exp seconds
 * since the epoch) into out. Borrows everything for the call. Returns the
 * token's length, or -1 when cap is too small or HMAC fails. */
int token_mint(const char *secret, size_t secret_len, const char *sub,
               long long exp, char *out, size_t cap);

/* As token_mint, with role instead of entrepreneur (no characters that
 * need JSON escaping). */
int token_mint_as(const char *secret, size_t secret_len, const char *sub,
                  const char *role, long long exp, char *out, size_t cap);

#endif
