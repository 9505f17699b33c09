/* tz: the shape of IANA time zone names. Pure.
 *
 * Kopa stores a zone name next to each UTC time and lets the browser
 * (Intl.DateTimeFormat) display local times, so the server never needs the
 * tz database: it only checks that a name looks like one. */
#ifndef KOPA_ROOMS_TZ_H
#define KOPA_ROOMS_TZ_H

#include <stdbool.h>

#define TZ_NAME_MAX 64 /* bytes, without the NUL */
#define TZ_PART_MAX 30 /* bytes of one '/'-separated part */
#define TZ_PARTS_MAX 4

/* Returns true when name (NUL-terminated) has the shape of an IANA zone
 * name: 1..TZ_NAME_MAX bytes; 1..TZ_PARTS_MAX parts separated by single
 * '/'; each part 1..TZ_PART_MAX bytes, starting with an ASCII letter and
 * made of ASCII letters, digits, '_', '-', '+' and '.'. So "UTC",
 * "Europe/Riga", "Etc/GMT-2" and "America/Argentina/Buenos_Aires" pass;
 * "", "/x", "Europe//Riga", "../x" and "+02:00" do not. It does not check
 * that the zone exists. NULL gives false. */
bool tz_name_valid(const char *name);

#endif
