/* token_cli: the `kopa token` command, which mints a signed join token and
 * prints a join link for it. Part of kopa_auth. */
#ifndef KOPA_AUTH_TOKEN_CLI_H
#define KOPA_AUTH_TOKEN_CLI_H

#include <stdio.h>

/* Runs `kopa token` with argv[0] == "token" (run `kopa token --help` for
 * the flags). Reads the environment variables KOPA_SECRET, KOPA_ISSUER,
 * KOPA_AUDIENCE and KOPA_PUBLIC_URL, and the clock. On success prints the
 * token on the first line of out and the join link
 * BASE/#session=<first session or demo>&token=<token> on the second, and
 * returns 0. On bad flags or claims that jwt_verify would refuse, prints a
 * message to err and returns 2; returns 1 if out cannot be written. Borrows
 * argv, out and err; resets getopt's global state (optind), so it is not
 * thread-safe and may be called repeatedly. */
int token_cli_main(int argc, char **argv, FILE *out, FILE *err);

#endif
