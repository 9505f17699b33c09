/* Checks of the fuzz harness for the messages of docs/protocol.md section
 * 10 (fuzz_session.c); each aborts when a rule is broken. */
#ifndef KOPA_TEST_FUZZ_SESSION_H
#define KOPA_TEST_FUZZ_SESSION_H

#include <stddef.h>

#include "server/proto/proto.h"

/* Checks the fields of a parsed section 10 message. Returns 1 when m is
 * one, 0 for other types. */
int fuzz_check_session(const proto_msg *m);
/* Checks that the entries of an accepted programme frame read back as the
 * parse counted them. */
void fuzz_check_programme(const char *frame, size_t len, const proto_msg *m);

#endif
