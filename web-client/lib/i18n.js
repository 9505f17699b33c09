// Translations and locale-aware formatting. Every UI string comes from one of
// the dictionaries in i18n/, all with the same keys (a unit test checks).
// The language follows navigator.languages unless the user picked one; the
// pick is stored by app.js. Dates and times use Intl in the user's time zone.

export const LANGUAGES = ['en', 'sv', 'et', 'lv', 'lt'];
export const STORAGE_KEY = 'kopa.lang';

/** The language to use: a stored choice if valid, else the first match in navigator.languages, else English. */
export function pickLanguage(stored, navLanguages, available = LANGUAGES) {
  if (stored && available.includes(stored)) return stored;
  for (const tag of navLanguages || []) {
    const base = String(tag).toLowerCase().split('-')[0];
    if (available.includes(base)) return base;
  }
  return available.includes('en') ? 'en' : available[0];
}

/** The locale for Intl: the user's own tag for that language (sv-FI stays sv-FI), else the bare code. */
export function localeFor(lang, navLanguages) {
  for (const tag of navLanguages || []) {
    if (String(tag).toLowerCase().split('-')[0] === lang) return String(tag);
  }
  return lang;
}

/** Returns t(key, params): the string for key with {name} placeholders filled; missing keys fall back to English, then to the key. */
export function translator(dict, fallback) {
  return (key, params) => {
    let s = dict[key];
    if (typeof s !== 'string' || s === '') s = fallback ? fallback[key] : undefined;
    if (typeof s !== 'string') return key;
    if (!params) return s;
    return s.replace(/\{(\w+)\}/g, (m, name) => (name in params ? String(params[name]) : m));
  };
}

/**
 * Formatters for one locale (timeZone is for tests; the default is the user's).
 * when(ts, now): time only for today, weekday and time within a week, else date and time.
 * full(ts): the complete date and time, for a tooltip.
 * country(code): the region's name in this locale, or the code.
 */
export function formatters(locale, timeZone) {
  const tz = timeZone ? { timeZone } : {};
  const day = new Intl.DateTimeFormat(locale, { year: 'numeric', month: '2-digit', day: '2-digit', ...tz });
  const time = new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', ...tz });
  const week = new Intl.DateTimeFormat(locale, { weekday: 'short', hour: '2-digit', minute: '2-digit', ...tz });
  const other = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', ...tz });
  const full = new Intl.DateTimeFormat(locale, { dateStyle: 'full', timeStyle: 'medium', ...tz });
  let regions = null;
  try {
    regions = new Intl.DisplayNames([locale], { type: 'region' });
  } catch (e) {
    regions = null;
  }
  return {
    when(ts, now) {
      if (!Number.isFinite(ts)) return '';
      const d = new Date(ts);
      if (day.format(d) === day.format(new Date(now))) return time.format(d);
      if (Math.abs(now - ts) < 6 * 86400000) return week.format(d);
      return other.format(d);
    },
    full(ts) {
      return Number.isFinite(ts) ? full.format(new Date(ts)) : '';
    },
    country(code) {
      if (typeof code !== 'string' || !/^[A-Z]{2}$/.test(code)) return '';
      try {
        return (regions && regions.of(code)) || code;
      } catch (e) {
        return code;
      }
    },
  };
}
