// All dictionaries, and each language's name in that language (for the switch).
import en from './en.js';
import sv from './sv.js';
import et from './et.js';
import lv from './lv.js';
import lt from './lt.js';

export const DICTIONARIES = { en, sv, et, lv, lt };

export const LANGUAGE_NAMES = {
  en: 'English',
  sv: 'Svenska',
  et: 'Eesti',
  lv: 'Latviešu',
  lt: 'Lietuvių',
};
