// Translations: every language has exactly the keys of English, none empty,
// with the same placeholders; language choice and Intl formatting.
import test from 'node:test';
import assert from 'node:assert/strict';
import { DICTIONARIES, LANGUAGE_NAMES } from '../../web-client/i18n/index.js';
import { LANGUAGES, formatters, localeFor, pickLanguage, translator } from '../../web-client/lib/i18n.js';

const placeholders = (s) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

test('the five languages are all there', () => {
  assert.deepEqual(LANGUAGES, ['en', 'sv', 'et', 'lv', 'lt']);
  assert.deepEqual(Object.keys(DICTIONARIES).sort(), [...LANGUAGES].sort());
  assert.deepEqual(Object.keys(LANGUAGE_NAMES).sort(), [...LANGUAGES].sort());
});

for (const lang of ['sv', 'et', 'lv', 'lt']) {
  test(`${lang} has every English key, non-empty, with the same placeholders, and nothing extra`, () => {
    const en = DICTIONARIES.en;
    const other = DICTIONARIES[lang];
    const missing = Object.keys(en).filter((k) => typeof other[k] !== 'string' || other[k].trim() === '');
    const extra = Object.keys(other).filter((k) => !(k in en));
    assert.deepEqual(missing, [], `${lang} lacks or leaves empty: ${missing.join(', ')}`);
    assert.deepEqual(extra, [], `${lang} has keys English does not: ${extra.join(', ')}`);
    for (const k of Object.keys(en)) {
      assert.deepEqual(placeholders(other[k]), placeholders(en[k]), `${lang} ${k} placeholders`);
    }
  });
}

test('English itself has no empty strings', () => {
  for (const [k, v] of Object.entries(DICTIONARIES.en)) assert.ok(typeof v === 'string' && v.trim() !== '', k);
});

test('every protocol error code has a message', () => {
  const codes = ['bad_json', 'bad_message', 'unknown_type', 'missing_field', 'wrong_type', 'bad_value', 'too_long',
    'too_many', 'unsupported_version', 'not_authenticated', 'already_authenticated', 'bad_token', 'token_expired',
    'session_not_allowed', 'not_joined', 'forbidden', 'not_in_room', 'forbidden_channel', 'unknown_member',
    'rate_limited', 'store_unavailable', 'internal'];
  for (const c of codes) assert.ok(DICTIONARIES.en[`error.${c}`], c);
});

test('the language follows a stored choice, then navigator.languages, then English', () => {
  assert.equal(pickLanguage(null, ['lv-LV', 'en']), 'lv');
  assert.equal(pickLanguage(null, ['de-DE', 'sv-FI', 'et']), 'sv');
  assert.equal(pickLanguage('lt', ['lv-LV']), 'lt');
  assert.equal(pickLanguage('de', ['ET']), 'et', 'an unknown stored value is ignored');
  assert.equal(pickLanguage(null, ['ru-RU']), 'en');
  assert.equal(pickLanguage(null, undefined), 'en');
  assert.equal(localeFor('sv', ['de', 'sv-FI']), 'sv-FI');
  assert.equal(localeFor('lt', ['en-GB']), 'lt');
});

test('t fills placeholders and falls back to English, then to the key', () => {
  const t = translator({ hello: 'Sveiki, {name}!', empty: '' }, { hello: 'Hello, {name}!', empty: 'Fallback', only: 'Only en' });
  assert.equal(t('hello', { name: 'Rasa' }), 'Sveiki, Rasa!');
  assert.equal(t('hello'), 'Sveiki, {name}!');
  assert.equal(t('hello', { other: 1 }), 'Sveiki, {name}!');
  assert.equal(t('empty'), 'Fallback');
  assert.equal(t('only'), 'Only en');
  assert.equal(t('nope'), 'nope');
  const real = translator(DICTIONARIES.lv, DICTIONARIES.en);
  assert.equal(real('members.heading', { count: 3 }), 'Dalībnieki (3)');
});

test('times use the locale and time zone: today shows the time only', () => {
  const now = Date.UTC(2026, 10, 29, 12, 0); // 29 Nov 2026 12:00 UTC
  const riga = formatters('lv', 'Europe/Riga');
  const stockholm = formatters('sv-SE', 'Europe/Stockholm');
  const ts = Date.UTC(2026, 10, 29, 9, 5);
  assert.equal(riga.when(ts, now), '11:05', 'Riga is UTC+2 in November');
  assert.equal(stockholm.when(ts, now), '10:05', 'Stockholm is one hour behind Riga');
  // 22:30 UTC on the 28th is already the 29th in Riga, but still the 28th in Stockholm.
  const lateUtc = Date.UTC(2026, 10, 28, 22, 30);
  assert.equal(riga.when(lateUtc, now), '00:30', 'after midnight in Riga: today');
  assert.notEqual(stockholm.when(lateUtc, now), '23:30', 'yesterday in Stockholm: not a bare time');
  const old = formatters('en-GB', 'UTC').when(Date.UTC(2026, 0, 3, 8, 0), now);
  assert.match(old, /2026/);
  assert.equal(riga.when(NaN, now), '');
  assert.match(formatters('en-GB', 'UTC').full(ts), /2026/);
});

test('country names come from Intl in the chosen language', () => {
  assert.equal(formatters('en').country('LV'), 'Latvia');
  assert.equal(formatters('sv').country('LV'), 'Lettland');
  assert.equal(formatters('en').country('lv'), '', 'only two upper-case letters');
  assert.equal(formatters('en').country(undefined), '');
});
