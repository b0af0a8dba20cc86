// Every UI string lives in locales/<lang>.json (flat keys), with the strings of the teaching
// features (tour, exercises) in locales/teach.<lang>.json and of sharing (embeds, exports, links)
// in locales/share.<lang>.json and of the newcomer's help (model statement, glossary, first-visit
// pointer) in locales/learn.<lang>.json, merged into one dictionary per language. Templates take
// {name} placeholders and a small ICU-like plural form: {count, plural, =0 {none} one {# partition}
// other {# partitions}} (=0 and one are optional). Korean particles after a value are tokens,
// {을/를}, {이/가}, {은/는}, …, chosen from the text actually inserted before them (lib/josa.js).
import { resolve as resolveJosa } from './josa.js';

export const LANGS = ['en', 'ko'];
const FILES = ['', 'teach.', 'share.', 'worker.', 'learn.', 'restart.'];
const dicts = {};
const loading = {};
let lang = 'en';
const listeners = [];

/**
 * Loads the strings of `langs` (default: every language), each language's files once. The page
 * loads the language it shows (and English, every string's fallback) before anything else and the
 * other one beside the rest of its start-up; `setLang` needs the language loaded.
 */
export function loadLocales(langs = LANGS) {
  return Promise.all(langs.map((l) => (loading[l] ??= (async () => {
    const parts = await Promise.all(FILES.map(async (f) => {
      const r = await fetch(new URL(`../locales/${f}${l}.json`, import.meta.url));
      if (!r.ok) throw new Error(`locales/${f}${l}.json: HTTP ${r.status}`);
      return r.json();
    }));
    dicts[l] = Object.assign({}, ...parts);
  })().catch((e) => { delete loading[l]; throw e; }))));
}
/** Whether the strings of language `l` are loaded. */
export const loaded = (l) => l in dicts;

export const getLang = () => lang;
export const locale = () => (lang === 'ko' ? 'ko-KR' : 'en-US');

/** The language to start in when the link names none: the browser's, if we have it. */
export function preferredLang() {
  for (const l of navigator.languages ?? [navigator.language]) {
    const base = String(l).slice(0, 2).toLowerCase();
    if (LANGS.includes(base)) return base;
  }
  return 'en';
}

export function setLang(l) {
  lang = LANGS.includes(l) ? l : 'en';
  if (typeof document === 'undefined') return; // the engine worker words scenario-file messages too
  document.documentElement.lang = lang;
  applyDom(document);
  listeners.forEach((f) => f(lang));
}
export const onLang = (f) => listeners.push(f);

let nfCache = new Map();
function nf(opts) {
  const k = lang + JSON.stringify(opts);
  if (!nfCache.has(k)) nfCache.set(k, new Intl.NumberFormat(locale(), opts));
  return nfCache.get(k);
}
export const fmtNum = (v, maxFrac = 0, minFrac = 0) =>
  nf({ maximumFractionDigits: maxFrac, minimumFractionDigits: minFrac }).format(v);

let pr = null;
const plural = () => (pr?.lang === lang ? pr.rules : (pr = { lang, rules: new Intl.PluralRules(locale()) }).rules);

export function has(key) { return key in (dicts[lang] ?? {}) || key in (dicts.en ?? {}); }

export function t(key, vars) {
  let s = dicts[lang]?.[key] ?? dicts.en?.[key] ?? key;
  if (!vars) return resolveJosa(s);
  s = s.replace(/\{(\w+), plural, ((?:(?:=\d+|zero|one|two|few|many|other) \{[^}]*\} ?)+)\}/g, (_, name, body) => {
    const n = Number(vars[name]);
    const forms = Object.fromEntries([...body.matchAll(/(=\d+|\w+) \{([^}]*)\}/g)].map((m) => [m[1], m[2]]));
    const form = forms['=' + n] ?? forms[plural().select(n)] ?? forms.other ?? '';
    return form.replace('#', fmtNum(n));
  });
  // An empty value takes the space before it along ("1 to 64 ." → "1 to 64.": a count has no unit).
  s = s.replace(/( ?)\{(\w+)\}/g, (m, space, name) => {
    if (!(name in vars)) return m;
    const v = vars[name];
    const text = typeof v === 'number' ? fmtNum(v, 3) : String(v);
    return text === '' ? '' : space + text;
  });
  return resolveJosa(s);
}

/** Fills [data-i18n] text and [data-i18n-aria] / [data-i18n-title] attributes under `root`. */
export function applyDom(root) {
  // Only what changes is written: an unchanged text would still be laid out again.
  for (const el of root.querySelectorAll('[data-i18n]')) { const v = t(el.dataset.i18n); if (el.textContent !== v) el.textContent = v; }
  for (const el of root.querySelectorAll('[data-i18n-aria]')) el.setAttribute('aria-label', t(el.dataset.i18nAria));
  for (const el of root.querySelectorAll('[data-i18n-title]')) el.title = t(el.dataset.i18nTitle);
  for (const el of root.querySelectorAll('[data-i18n-empty]')) el.dataset.empty = t(el.dataset.i18nEmpty);
  document.title = t('app.doctitle');
}
