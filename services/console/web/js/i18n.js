// Every label, error and empty state of the console, in Simplified Chinese
// (the default) and English. Pages never hold literal text: they ask t().
//
// Each area's pages keep their text in text/<area>.js; this module merges
// them into one table per language.
import shell from './text/shell.js';
import audit from './text/audit.js';
import members from './text/members.js';
import awards from './text/awards.js';
import violations from './text/violations.js';

const AREAS = [shell, audit, members, awards, violations];
const messages = Object.fromEntries(['zh-CN', 'en'].map((name) => [
  name, Object.assign({}, ...AREAS.map((area) => area[name])),
]));

export const LANGUAGES = Object.keys(messages);
// (globalThis: the unit test imports this table under node, which has no
// localStorage.)
const saved = globalThis.localStorage?.getItem('uh_lang');
let current = saved in messages ? saved : 'zh-CN';

export function lang() { return current; }

export function setLang(next) {
  if (!(next in messages)) return;
  current = next;
  localStorage.setItem('uh_lang', next);
  document.documentElement.lang = next;
}

// The text for `key` with {name} placeholders filled; the key itself when
// missing, so a gap shows up in the tests rather than as an empty label.
export function t(key, vars = {}) {
  const text = messages[current][key] ?? messages['zh-CN'][key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => String(vars[name] ?? ''));
}

// Every key of `lang`, for tests that compare the two tables.
export function keys(name) { return Object.keys(messages[name]); }
