// Korean particles: every Korean message renders without "(를)"/"(은)"/"(이)"-style fallbacks and
// without a hand-written particle that ignores the value before it, for numbers, broker ids, names
// and durations, through the page's own t() (www/lib/i18n.js) and es-hangul (www/vendor/, copied
// there by scripts/build.sh).
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const LOCALES = fileURLToPath(new URL('../../www/locales/', import.meta.url));
// i18n.js fetches its locale files and fills the document: give it the files and a bare document.
globalThis.fetch = async (url) => ({ ok: true, status: 200, json: async () => JSON.parse(readFileSync(fileURLToPath(url), 'utf8')) });
globalThis.document ??= { documentElement: {}, querySelectorAll: () => [], title: '' };
const { loadLocales, setLang, t } = await import('../../www/lib/i18n.js');
const { pick, reading } = await import('../../www/lib/josa.js');
await loadLocales();
setLang('ko');

const koFiles = readdirSync(LOCALES).filter((f) => /(^|\.)ko\.json$/.test(f));
const templates = Object.assign({}, ...koFiles.map((f) => JSON.parse(readFileSync(LOCALES + f, 'utf8'))));

// Values the page inserts: numbers as it formats them, broker ids, partition names, profile names,
// durations, ISR lists, field names, quoted input.
const VALUES = [0, 1, 2, 3, 6, 10, 100, 10000, '1', '2', '3', '1,000,000', '2.5', '6.3초', '396초', '300ms', '33분 26초', '1, 3', '3', '[1, 3]',
  'peter-test02-0', 'peter-test02-1', 'kafka-1.0', '책의 모델', '카프카 1.1 (주키퍼, 비동기 방식)', 'ISR', 'partitions', 'abc', '리더 에포크', '브로커'];
const FALLBACK = /(?:은|는|이|가|을|를|과|와)\((?:은|는|이|가|을|를|과|와)\)|\(으\)로|\{(?:은|는|이|가|을|를|과|와|으로|로|이란|란)\/[^}]*\}/;
const PLACEHOLDERS = (s) => [...new Set([...s.matchAll(/\{(\w+)[},]/g)].map((m) => m[1]))];

test('no Korean template writes a fallback particle or a fixed particle right after a value', () => {
  const bad = [];
  for (const [k, s] of Object.entries(templates)) {
    if (/(?:은|는|이|가|을|를|과|와)\((?:은|는|이|가|을|를|과|와)\)|\(으\)로/.test(s)) bad.push(`${k}: fallback particle in ${s}`);
    // "{value}를", "[{isr}]가", "“{name}”은": the particle must be a token chosen from the value.
    const m = s.match(/\{\w+\}[\]”’)]*(?:으로|은|는|이|가|을|를|와|과|로)(?![가-힣])/);
    if (m) bad.push(`${k}: fixed particle after a value: …${m[0]}`);
  }
  assert.deepEqual(bad, []);
});

test('every Korean message renders without particle fallbacks, for numbers, ids and names', () => {
  const bad = [];
  for (const k of Object.keys(templates)) {
    const names = PLACEHOLDERS(templates[k]);
    for (const v of VALUES) {
      const out = t(k, Object.fromEntries(names.map((n) => [n, v])));
      if (FALLBACK.test(out)) { bad.push(`${k} with ${JSON.stringify(v)}: ${out}`); break; }
    }
  }
  assert.deepEqual(bad, []);
});

test('particles follow how the inserted value is read', () => {
  const cases = [
    ['event.session_expired', { broker: 1 }, '/brokers/ids/1을'],
    ['event.session_expired', { broker: 2 }, '/brokers/ids/2를'],
    ['event.session_expired', { broker: 3 }, '/brokers/ids/3을'],
    ['tour.crash-3.text', { old_isr: '1, 3', new_leader: '3', new_isr: '3', leader: '1' }, '새 ISR은 [3]이'],
    ['tour.crash-3.text', { old_isr: '1, 2', new_leader: '2', new_isr: '2', leader: '1' }, '새 ISR은 [2]가'],
    ['ex.result.high', { given: '396초', off: '1초', pct: '3' }, '396초는'],
    ['ex.result.high', { given: '10', off: '1', pct: '3' }, '10은'],
    ['ex.result.choice_right', { chosen: '마지막 파티션' }, '“마지막 파티션”을'],
    ['ex.result.choice_right', { chosen: '컨트롤러' }, '“컨트롤러”를'],
    ['err.range', { field: '파티션 수', value: '0', min: 1, max: 10 }, '0은'],
    ['learn.follow.note', { name: 'peter-test02-2' }, 'peter-test02-2를'],
    ['learn.follow.note', { name: 'peter-test02-10000' }, 'peter-test02-10000을'],
  ];
  for (const [k, vars, want] of cases) assert.ok(t(k, vars).includes(want), `${k} ${JSON.stringify(vars)}: ${t(k, vars)} lacks ${want}`);
});

test('"none" reads as none: no "0개는" for a zero count', () => {
  const out = t('tl.text', { n: 10000, broker: 1, first: '1초', median: '2초', last: '3초', over: 0, dt: '2분', lost: 0 });
  assert.ok(!/0개/.test(out.replace(/10,000개/, '')), out);
  assert.match(out, /하나도 없습니다/);
  setLang('en');
  assert.match(t('tl.text', { n: 3, broker: 1, first: '1 s', median: '2 s', last: '3 s', over: 0, dt: '2 min' }), /none stayed down/);
  assert.match(t('tl.text', { n: 3, broker: 1, first: '1 s', median: '2 s', last: '3 s', over: 2, dt: '2 min' }), /; 2 stayed down/);
  setLang('ko');
});

test('the reading of a value: numbers as Korean reads them, Latin letters by name, brackets and asides skipped', () => {
  assert.equal(reading('1'), '일');
  assert.equal(reading('2'), '이');
  assert.equal(reading('10,000'), '일만');
  assert.equal(reading('2.5'), '오');
  assert.equal(reading('[3]'), '삼');
  assert.equal(reading('<b>6</b>'), '육');
  assert.equal(pick('ISR', '을/를'), '을');
  assert.equal(pick('kafka-1.0', '으로/로'), '으로');
  assert.equal(pick('브로커(1)', '이/가'), '가');
});
