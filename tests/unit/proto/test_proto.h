/* Shared helpers of the proto unit tests (main.c) and the test groups. */
#ifndef KOPA_TEST_PROTO_H
#define KOPA_TEST_PROTO_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "server/proto/encode.h"
#include "server/proto/proto.h"

/* Parses len bytes of s from an exact-size heap copy (no NUL after it, so
 * the sanitizer catches any read past the end). detail may be NULL. */
proto_error parse_n(const char *s, size_t len, proto_msg *m, char *detail,
                    size_t detail_size);
/* parse_n on a C string (the NUL is not part of the frame). */
proto_error parse_s(const char *s, proto_msg *m, char *detail,
                    size_t detail_size);
/* Asserts that frame s parses to exactly the error code, with a detail
 * that contains needle (when not NULL). */
void expect_error(const char *s, proto_error code, const char *needle);
/* Same for a frame of len bytes. */
void expect_error_n(const char *s, size_t len, proto_error code,
                    const char *needle);
/* Asserts that frame s parses cleanly, into *m (caller frees it). */
void expect_ok(const char *s, proto_msg *m);

/* Checks an encoder's result against the golden text (printing both when
 * they differ) and frees it. len is read after the encoder ran: it is a
 * pointer because argument evaluation order is unspecified. */
void golden(char *got, const size_t *len, const char *want);

/* Returns a new C string: a, then n copies of b, then c. */
char *repeat3(const char *a, const char *b, size_t n, const char *c);

int run_parse_tests(void);
int run_error_tests(void);
int run_frame_tests(void);
int run_encode_tests(void);
int run_session_tests(void);
int run_breakout_tests(void);

#endif
