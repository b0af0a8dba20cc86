// The exercise format's validator and grading helpers (www/teaching/exercise-schema.js), rule by rule, and
// the shipped exercises in exercises/ against the engine's real catalog.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { test, describe } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  BREAKDOWN_PARTS, EVENTS, FORMAT, METRICS, MESSAGE_KEYS, MAX_BYTES, checkExercisePath, formatMessage, grade, metricKind, metricValue, parseAnswerNumber,
  parseExercise, toUnit, unitsFor, validateExercise,
} from '../../www/teaching/exercise-schema.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const dict = (l) => JSON.parse(readFileSync(`${ROOT}www/locales/teach.${l}.json`, 'utf8'));
const EN = dict('en');
const KO = dict('ko');

/** A catalog of the engine's shape (catalog(): names; parameters with unit, range, choices; limits). */
const CATALOG = {
  profiles: [{ name: 'book' }, { name: 'kafka-1.1' }],
  limits: { max_brokers: 64, max_partitions: 2_000_000, max_topics: 1000, max_broker_id: 127, max_topic_name: 249 },
  parameters: [
    { name: 'zk_session_timeout_ms', unit: 'ms', min: 0, max: 3_600_000, choices: [] },
    { name: 'zk_max_in_flight', unit: 'count', min: 1, max: 1000, choices: [] },
    { name: 'eligible_leader_replicas', unit: 'flag', min: 0, max: 1, choices: [] },
    { name: 'crash_publication', unit: 'choice', min: 0, max: 0, choices: ['per_partition', 'per_batch'] },
  ],
};

const both = (s) => ({ en: s, ko: s + ' (ko)' });
const NUMBER = () => ({
  format: FORMAT, id: 'book-last', title: both('T'), question: both('Q'),
  scenario: { profile: 'book', partitions: 10000, zk_session_timeout_ms: 6000 },
  answer: { type: 'number', metric: 'crash.last_partition_downtime_ms', unit: 'min', tolerance: 0.1 },
  explanation: both('E'),
});
const CHOICE = () => ({
  ...NUMBER(), id: 'choice',
  answer: { type: 'choice', choices: [both('a'), both('b'), both('c')], correct: 1 },
});

/** Validates `ex` and returns its errors as [field, key] pairs. */
const errs = (ex) => validateExercise(ex, CATALOG).errors.map((e) => [e.field, e.key]);
/** Asserts that `ex` gives exactly one error, on `field` with message `key`. */
function only(ex, field, key) {
  assert.deepEqual(errs(ex), [[field, key]]);
}
const withTop = (k, v) => ({ ...NUMBER(), [k]: v });
const withScenario = (over) => ({ ...NUMBER(), scenario: { ...NUMBER().scenario, ...over } });
const withAnswer = (over, base = NUMBER) => ({ ...base(), answer: { ...base().answer, ...over } });
const without = (obj, k) => { const o = { ...obj }; delete o[k]; return o; };

describe('valid exercises', () => {
  test('a number exercise and a choice exercise pass', () => {
    assert.deepEqual(errs(NUMBER()), []);
    assert.deepEqual(errs(CHOICE()), []);
    assert.equal(validateExercise(NUMBER(), CATALOG).ok, true);
  });
  test('every optional part at its allowed edges passes', () => {
    const ex = {
      ...NUMBER(),
      scenario: { profile: 'kafka-1.1', event: 'controlled-shutdown', partitions: CATALOG.limits.max_partitions, brokers: 64, rf: 64, layout: 'kafka', victim: 64, controller: 1,
        vic: true, unclean: false, zk_session_timeout_ms: 0.5, zk_max_in_flight: 1000, eligible_leader_replicas: 1, crash_publication: 'per_batch' },
      answer: { type: 'number', metric: 'ratio', unit: 'count', tolerance: 0 },
      reveal: { t: 0, sel: 999_999, event: 'crash' },
    };
    assert.deepEqual(errs(ex), []);
    assert.deepEqual(errs(withAnswer({ tolerance: 1 })), []);
  });
});

describe('the file', () => {
  test('the root must be an object', () => {
    for (const v of [[], null, 'x', 3, true]) only(v, '(file)', 'ex.err.root');
  });
  test('unknown top-level fields are refused', () => only(withTop('answers', {}), 'answers', 'ex.err.unknown'));
  test('every required field is required', () => {
    for (const k of ['format', 'id', 'title', 'question', 'scenario', 'answer', 'explanation']) only(without(NUMBER(), k), k, 'ex.err.missing');
  });
  test('format must be kafka-election-exercise/1', () => {
    for (const v of ['kafka-election-exercise/2', '', 1]) only(withTop('format', v), 'format', 'ex.err.format');
  });
  test('id: lower-case letters, digits, . _ -, 1 to 64, not starting with punctuation', () => {
    for (const v of ['', 'Upper', '-dash', 'a b', 'x'.repeat(65), 7, null]) only(withTop('id', v), 'id', 'ex.err.id');
    for (const v of ['a', '0', 'kafka-1.1_x', 'x'.repeat(64)]) assert.deepEqual(errs(withTop('id', v)), []);
  });
});

describe('texts (title, question, explanation, choices)', () => {
  for (const k of ['title', 'question', 'explanation']) {
    test(`${k} must be an object with en and ko`, () => {
      only(withTop(k, 'text'), k, 'ex.err.text_type');
      only(withTop(k, ['a']), k, 'ex.err.text_type');
      only(withTop(k, { en: 'x' }), `${k}.ko`, 'ex.err.missing');
      only(withTop(k, { ko: 'x' }), `${k}.en`, 'ex.err.missing');
      only(withTop(k, { en: 'x', ko: 3 }), `${k}.ko`, 'ex.err.string');
      only(withTop(k, { en: '  ', ko: 'x' }), `${k}.en`, 'ex.err.empty');
      only(withTop(k, { en: 'x'.repeat(4001), ko: 'x' }), `${k}.en`, 'ex.err.long');
      only(withTop(k, { en: 'x', ko: 'y', ja: 'z' }), `${k}.ja`, 'ex.err.unknown');
    });
  }
});

describe('scenario', () => {
  test('must be an object', () => {
    only(withTop('scenario', []), 'scenario', 'ex.err.object');
    only(withTop('scenario', 'book'), 'scenario', 'ex.err.object');
  });
  test('profile: a profile the engine has', () => only(withScenario({ profile: 'kafka-9' }), 'scenario.profile', 'ex.err.choice'));
  test('event and layout: their choices', () => {
    only(withScenario({ event: 'kill' }), 'scenario.event', 'ex.err.choice');
    only(withScenario({ layout: 'random' }), 'scenario.layout', 'ex.err.choice');
  });
  test('partitions: a whole number, 1 to the engine\'s limit (catalog().limits.max_partitions)', () => {
    for (const v of [0, CATALOG.limits.max_partitions + 1, 2.5, '10000', null]) only(withScenario({ partitions: v }), 'scenario.partitions', 'ex.err.int');
  });
  test('brokers: a whole number, 1 to the engine\'s limit (catalog().limits.max_brokers)', () => {
    for (const v of [0, CATALOG.limits.max_brokers + 1, '3']) only(withScenario({ brokers: v }), 'scenario.brokers', 'ex.err.int');
  });
  test('rf, victim and controller: up to the broker count (3 by default)', () => {
    only(withScenario({ rf: 4 }), 'scenario.rf', 'ex.err.rf');
    only(withScenario({ rf: 0 }), 'scenario.rf', 'ex.err.rf');
    only(withScenario({ victim: 4 }), 'scenario.victim', 'ex.err.broker');
    only(withScenario({ controller: 0 }), 'scenario.controller', 'ex.err.broker');
    assert.deepEqual(errs(withScenario({ brokers: 5, rf: 5, victim: 5, controller: 4 })), []);
  });
  test('vic and unclean: booleans', () => {
    only(withScenario({ vic: 1 }), 'scenario.vic', 'ex.err.bool');
    only(withScenario({ unclean: 'true' }), 'scenario.unclean', 'ex.err.bool');
  });
  test('keys other than the config and the profile parameters are refused', () => {
    only(withScenario({ params: {} }), 'scenario.params', 'ex.err.scenario_key');
    only(withScenario({ zk_timeout: 1 }), 'scenario.zk_timeout', 'ex.err.scenario_key');
  });
  test('parameters: numbers in range (ms may be fractional), integers otherwise, choices from their list', () => {
    only(withScenario({ zk_session_timeout_ms: '6000' }), 'scenario.zk_session_timeout_ms', 'ex.err.param_num');
    only(withScenario({ zk_session_timeout_ms: -1 }), 'scenario.zk_session_timeout_ms', 'ex.err.param_range');
    only(withScenario({ zk_session_timeout_ms: 3_600_001 }), 'scenario.zk_session_timeout_ms', 'ex.err.param_range');
    only(withScenario({ zk_max_in_flight: 1.5 }), 'scenario.zk_max_in_flight', 'ex.err.param_int');
    only(withScenario({ zk_max_in_flight: 0 }), 'scenario.zk_max_in_flight', 'ex.err.param_range');
    only(withScenario({ eligible_leader_replicas: 2 }), 'scenario.eligible_leader_replicas', 'ex.err.param_range');
    only(withScenario({ crash_publication: 'per_broker' }), 'scenario.crash_publication', 'ex.err.choice');
  });
});

describe('answer', () => {
  test('must be an object with type number or choice', () => {
    only(withTop('answer', 42), 'answer', 'ex.err.object');
    only(withAnswer({ type: 'text' }), 'answer.type', 'ex.err.choice');
  });
  test('the correct number is never stored', () => {
    for (const k of ['value', 'expected', 'correct_value', 'answer']) only(withAnswer({ [k]: 2006 }), `answer.${k}`, 'ex.err.stored_value');
  });
  test('fields of the other type are refused', () => {
    only(withAnswer({ correct: 1 }), 'answer.correct', 'ex.err.unknown_for');
    only(withAnswer({ unit: 's' }, CHOICE), 'answer.unit', 'ex.err.unknown_for');
  });
  test('every field of each type is required', () => {
    for (const k of ['metric', 'unit', 'tolerance']) only({ ...NUMBER(), answer: without(NUMBER().answer, k) }, `answer.${k}`, 'ex.err.missing');
    for (const k of ['choices', 'correct']) {
      const e = errs({ ...CHOICE(), answer: without(CHOICE().answer, k) });
      assert.deepEqual(e[0], [`answer.${k}`, 'ex.err.missing']);
    }
  });
  test('metric: crash.<field>, controlled_shutdown.<field>, a breakdown part, or ratio', () => {
    for (const m of ['crash.nope', 'shutdown.controller_work_ms', 'crash', 'crash.last_partition_breakdown_ms', 'crash.last_partition_breakdown_ms.nope',
      'crash.controller_work_ms.x', 'ratio.x', 3]) {
      const e = errs(withAnswer({ metric: m }));
      assert.deepEqual(e, [['answer.metric', 'ex.err.metric']], `metric ${JSON.stringify(m)}`);
    }
    for (const m of ['controlled_shutdown.controller_work_ms', 'crash.last_partition_breakdown_ms.detection']) assert.deepEqual(errs(withAnswer({ metric: m })), []);
  });
  test('unit: ms, s, min or count, and one that fits the metric', () => {
    only(withAnswer({ unit: 'h' }), 'answer.unit', 'ex.err.choice');
    only(withAnswer({ unit: 'count' }), 'answer.unit', 'ex.err.unit_metric');
    only(withAnswer({ metric: 'ratio', unit: 's' }), 'answer.unit', 'ex.err.unit_metric');
    only(withAnswer({ metric: 'crash.partitions_affected', unit: 'ms' }), 'answer.unit', 'ex.err.unit_metric');
  });
  test('tolerance: a number from 0 to 1', () => {
    for (const v of [-0.1, 1.5, '0.1', null, 10]) only(withAnswer({ tolerance: v }), 'answer.tolerance', 'ex.err.tolerance');
  });
  test('choices: 2 to 8, each a text in both languages', () => {
    only(withAnswer({ choices: [both('a')], correct: 0 }, CHOICE), 'answer.choices', 'ex.err.choices');
    only(withAnswer({ choices: Array(9).fill(both('a')), correct: 0 }, CHOICE), 'answer.choices', 'ex.err.choices');
    only(withAnswer({ choices: 'a, b' }, CHOICE), 'answer.choices', 'ex.err.choices');
    only(withAnswer({ choices: [both('a'), { en: 'b' }] }, CHOICE), 'answer.choices[1].ko', 'ex.err.missing');
  });
  test('correct: the index of a choice', () => {
    for (const v of [3, -1, 1.5, '1']) only(withAnswer({ correct: v }, CHOICE), 'answer.correct', 'ex.err.correct');
  });
});

describe('reveal', () => {
  test('an object of t, sel and event', () => {
    only(withTop('reveal', 5), 'reveal', 'ex.err.object');
    only(withTop('reveal', { time: 5 }), 'reveal.time', 'ex.err.unknown');
  });
  test('t: milliseconds, 0 or more', () => {
    for (const v of [-1, '5', null]) only(withTop('reveal', { t: v }), 'reveal.t', 'ex.err.time');
  });
  test('sel: a partition of the scenario', () => {
    only(withTop('reveal', { sel: 10000 }), 'reveal.sel', 'ex.err.int');
    only(withTop('reveal', { sel: 1.5 }), 'reveal.sel', 'ex.err.int');
    assert.deepEqual(errs(withTop('reveal', { sel: 9999 })), []);
  });
  test('event: crash or controlled-shutdown', () => only(withTop('reveal', { event: 'both' }), 'reveal.event', 'ex.err.choice'));
});

describe('parseExercise', () => {
  test('bad JSON names the problem', () => {
    const r = parseExercise('{"format": ', CATALOG);
    assert.equal(r.ok, false);
    assert.deepEqual(r.errors.map((e) => e.key), ['ex.err.json']);
    assert.ok(r.errors[0].vars.msg.length > 0);
  });
  test('oversized files are refused before parsing', () => {
    const r = parseExercise(' '.repeat(MAX_BYTES + 1), CATALOG);
    assert.deepEqual(r.errors.map((e) => e.key), ['ex.err.size']);
  });
  test('a valid file comes back parsed', () => {
    const r = parseExercise(JSON.stringify(NUMBER()), CATALOG);
    assert.equal(r.ok, true);
    assert.deepEqual(r.exercise, NUMBER());
  });
  test('an invalid file comes back without an exercise', () => {
    const r = parseExercise(JSON.stringify(withTop('id', 'Bad')), CATALOG);
    assert.equal(r.ok, false);
    assert.equal(r.exercise, null);
  });
});

describe('checkExercisePath', () => {
  const BASE = 'https://example.org/kafka-election/index.html?x=1';
  const key = (p) => checkExercisePath(p, BASE).error?.key ?? null;
  test('a relative .json path on the same site resolves against the page', () => {
    assert.deepEqual(checkExercisePath('exercises/book-last-partition.json', BASE),
      { url: 'https://example.org/kafka-election/exercises/book-last-partition.json', path: 'exercises/book-last-partition.json' });
    assert.equal(key('./exercises/a.json'), null);
  });
  test('each refusal has its own message', () => {
    assert.equal(key(''), 'ex.url.empty');
    assert.equal(key('   '), 'ex.url.empty');
    assert.equal(key(null), 'ex.url.empty');
    for (const p of ['https://evil.example/x.json', 'HTTP://x/x.json', '//evil.example/x.json', '/exercises/a.json', 'javascript:alert(1).json', 'data:application/json,{}', '\\\\host\\x.json']) {
      assert.equal(key(p), 'ex.url.absolute', p);
    }
    for (const p of ['../secret.json', 'exercises/../../x.json', 'a\\..\\b.json']) assert.equal(key(p), 'ex.url.dotdot', p);
    for (const p of ['exercises/a b.json', 'exercises/a.json?x=1', 'exercises/a.json#x', 'exercises/ä.json']) assert.equal(key(p), 'ex.url.chars', p);
    for (const p of ['exercises/a.txt', 'exercises/', 'exercises/a.json.js']) assert.equal(key(p), 'ex.url.ext', p);
  });
  test('errors name the field and keep the value', () => {
    const e = checkExercisePath('https://evil.example/x.json', BASE).error;
    assert.equal(e.field, 'exercise');
    assert.equal(e.vars.value, 'https://evil.example/x.json');
  });
});

describe('metrics, units and grading', () => {
  // The engine's comparison (compare / compareRuns): both summaries and the ratio it computed.
  const summaries = {
    crash: { last_partition_downtime_ms: 2_006_100, partitions_affected: 10_000, last_partition_breakdown_ms: { detection: 6000 } },
    controlled_shutdown: { last_partition_downtime_ms: 300, first_partition_downtime_ms: null },
    last_partition_downtime_ratio: 2_006_100 / 300,
  };
  test('metricValue reads a summary field, a breakdown part, or the engine\'s ratio; null when missing', () => {
    assert.equal(metricValue('crash.last_partition_downtime_ms', summaries), 2_006_100);
    assert.equal(metricValue('crash.last_partition_breakdown_ms.detection', summaries), 6000);
    assert.equal(metricValue('ratio', summaries), 2_006_100 / 300);
    assert.equal(metricValue('controlled_shutdown.first_partition_downtime_ms', summaries), null);
    // The engine's null (a divisor of 0, a partition that never gets a leader) stays null.
    assert.equal(metricValue('ratio', { crash: summaries.crash, controlled_shutdown: { last_partition_downtime_ms: 0 }, last_partition_downtime_ratio: null }), null);
    assert.equal(metricValue('ratio', { crash: { last_partition_downtime_ms: null }, controlled_shutdown: summaries.controlled_shutdown, last_partition_downtime_ratio: null }), null);
    // The ratio is read, never recomputed here: a comparison without it has none.
    assert.equal(metricValue('ratio', { crash: summaries.crash, controlled_shutdown: summaries.controlled_shutdown }), null);
  });
  test('metricKind and unitsFor', () => {
    assert.equal(metricKind('crash.controller_work_ms'), 'time');
    assert.equal(metricKind('controlled_shutdown.partitions_affected'), 'plain');
    assert.equal(metricKind('ratio'), 'plain');
    assert.equal(metricKind('crash.nope'), null);
    assert.deepEqual(unitsFor('crash.end_ms'), ['ms', 's', 'min']);
    assert.deepEqual(unitsFor('ratio'), ['count']);
    assert.ok(METRICS.every((m) => metricKind(m) !== null));
    assert.ok(METRICS.includes('ratio') && METRICS.includes('controlled_shutdown.max_downtime_ms'));
  });
  test('toUnit converts the engine\'s ms', () => {
    assert.equal(toUnit(2_006_100, 'ms'), 2_006_100);
    assert.equal(toUnit(2_006_100, 's'), 2006.1);
    assert.equal(toUnit(120_000, 'min'), 2);
    assert.equal(toUnit(42, 'count'), 42);
    assert.equal(toUnit(null, 's'), null);
  });
  test('parseAnswerNumber accepts plain and grouped numbers only', () => {
    assert.equal(parseAnswerNumber('33.4'), 33.4);
    assert.equal(parseAnswerNumber(' 2,006.1 '), 2006.1);
    assert.equal(parseAnswerNumber('1 000'), 1000);
    assert.equal(parseAnswerNumber('.5'), 0.5);
    assert.equal(parseAnswerNumber('-3'), -3);
    assert.equal(parseAnswerNumber('6687'), 6687);
    for (const s of ['', 'abc', '1,23', '12a', '1.2.3', '1e3', 'Infinity', null]) assert.equal(parseAnswerNumber(s), null, String(s));
  });
  test('grade: within the relative tolerance is correct; off and offPct are signed', () => {
    assert.deepEqual(grade(33, 33.435, 0.1), { correct: true, off: 33 - 33.435, offPct: ((33 - 33.435) / 33.435) * 100 });
    const g = grade(30, 33.435, 0.1);
    assert.equal(g.correct, false);
    assert.ok(Math.abs(g.off + 3.435) < 1e-9);
    assert.ok(Math.abs(g.offPct + 10.2736) < 1e-3);
    assert.equal(grade(40, 33.435, 0.1).correct, false);
    assert.ok(grade(40, 33.435, 0.1).off > 0);
    assert.equal(grade(110, 100, 0.1).correct, true, 'the edge counts as correct');
    assert.equal(grade(110.01, 100, 0.1).correct, false);
    assert.equal(grade(0.3, 0.1 + 0.2, 0).correct, true, 'floating-point rounding is absorbed');
    assert.deepEqual(grade(0, 0, 0), { correct: true, off: 0, offPct: null });
  });
});

describe('messages', () => {
  test('every message key exists in English and Korean, with the same placeholders', () => {
    const ph = (s) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const k of MESSAGE_KEYS) {
      assert.ok(k in EN, `teach.en.json lacks ${k}`);
      assert.ok(k in KO, `teach.ko.json lacks ${k}`);
      assert.deepEqual(ph(KO[k]), ph(EN[k]), `${k}: placeholders differ`);
      assert.ok(/[\uAC00-\uD7A3]/.test(KO[k]), `${k}: the Korean text has no Hangul`);
    }
    assert.deepEqual(Object.keys(KO).sort(), Object.keys(EN).sort(), 'teach.en.json and teach.ko.json have different keys');
  });
  test('every error the validator produced above is a known key, and its text names the field', () => {
    const samples = [
      [], withTop('x', 1), without(NUMBER(), 'id'), withTop('format', 'x'), withTop('id', 'X'), withTop('title', 1), withTop('title', { en: 1, ko: '' }),
      withTop('title', { en: 'x'.repeat(5000), ko: 'k' }), withTop('scenario', 1), withScenario({ profile: 'x', partitions: 0, rf: 9, victim: 9, vic: 1, foo: 1 }),
      withScenario({ zk_session_timeout_ms: 'x', zk_max_in_flight: 0.5, eligible_leader_replicas: 5 }), withAnswer({ value: 1, metric: 'x', tolerance: 5 }),
      withAnswer({ unit: 'count' }), withAnswer({ unit: 'h' }), withAnswer({ choices: [] }, CHOICE), withAnswer({ correct: 9 }, CHOICE),
      withAnswer({ correct: 1 }), withAnswer({ type: 'x' }),
      withTop('reveal', { t: -1, sel: -1, event: 'x', y: 1 }),
      withAnswer({ metric: 'rolling.rolling_restart_ms', unit: 's' }), withAnswer({ metric: 'crash.restart.log_recovery_ms', unit: 's' }),
    ];
    const seen = new Set();
    for (const ex of samples) {
      for (const e of validateExercise(ex, CATALOG).errors) {
        seen.add(e.key);
        assert.ok(MESSAGE_KEYS.includes(e.key), `${e.key} is not in MESSAGE_KEYS`);
        for (const d of [EN, KO]) {
          const text = formatMessage(e, d);
          assert.ok(text.includes(e.field), `${e.key} does not name ${e.field}: ${text}`);
          assert.ok(!/\{\w+\}/.test(text), `${e.key} left a placeholder unfilled: ${text}`);
        }
      }
    }
    const validatorKeys = MESSAGE_KEYS.filter((k) => k.startsWith('ex.err.') && !['ex.err.size', 'ex.err.json'].includes(k));
    assert.deepEqual(validatorKeys.filter((k) => !seen.has(k)), [], 'these validator messages were never produced by the samples');
  });
  test('formatMessage keeps unknown placeholders and falls back to the key', () => {
    assert.equal(formatMessage({ key: 'nope', vars: {} }, EN), 'nope');
    assert.equal(formatMessage({ key: 'k', vars: { a: 1 } }, { k: '{a} {b}' }), '1 {b}');
  });
});

describe('the shipped exercises', () => {
  const dir = `${ROOT}exercises/`;
  const files = readdirSync(dir).filter((f) => f.endsWith('.json') && f !== 'index.json').sort();
  let catalog;
  test('the engine\'s catalog loads (www/pkg is built)', async () => {
    assert.ok(existsSync(`${ROOT}www/pkg/kafka_election_bg.wasm`), 'www/pkg is missing: run `bash scripts/build.sh` first');
    const m = await import('../../www/pkg/kafka_election.js');
    await m.default({ module_or_path: readFileSync(`${ROOT}www/pkg/kafka_election_bg.wasm`) });
    catalog = m.catalog();
    assert.ok(catalog.profiles.length > 0);
    assert.ok(catalog.limits.max_partitions > 0 && catalog.limits.max_brokers > 0);
  });
  test('at least six, each valid, its id matching its file name, both answer types present', () => {
    assert.ok(files.length >= 6, `only ${files.length} exercises`);
    const types = new Set();
    for (const f of files) {
      const r = parseExercise(readFileSync(dir + f, 'utf8'), catalog);
      assert.deepEqual(r.errors, [], `${f} is not valid`);
      assert.equal(`${r.exercise.id}.json`, f);
      types.add(r.exercise.answer.type);
      assert.ok(checkExercisePath(`exercises/${f}`, 'http://x/').url, `${f}: its name is not a valid link path`);
    }
    assert.deepEqual([...types].sort(), ['choice', 'number']);
  });
  test('the answer metrics name the engine\'s downtime parts (catalog().downtime_parts), and its events are the engine\'s faults', () => {
    assert.deepEqual(BREAKDOWN_PARTS, catalog.downtime_parts);
    assert.deepEqual(EVENTS, catalog.faults);
  });
  test('index.json lists exactly the exercise files', () => {
    const index = JSON.parse(readFileSync(dir + 'index.json', 'utf8'));
    assert.deepEqual([...index.exercises].sort(), files);
  });
});

describe('the broker\'s return and rolling restarts', () => {
  const ROLL = () => ({ ...NUMBER(), scenario: { profile: 'book', event: 'rolling-restart', partitions: 100, rstop: 'crash' }, answer: { type: 'number', metric: 'rolling.rolling_restart_ms', unit: 's', tolerance: 0.1 } });
  const RESTART = () => ({ ...NUMBER(), scenario: { profile: 'book', partitions: 100, restart: 60000, sole: 0.1, rebalance: 'immediate' }, answer: { type: 'number', metric: 'crash.restart.log_recovery_ms', unit: 'min', tolerance: 0.1 } });
  test('restart and rolling metrics are known, with their kinds and units', () => {
    assert.equal(metricKind('crash.restart.log_recovery_ms'), 'time');
    assert.equal(metricKind('controlled_shutdown.restart.under_replicated_partition_seconds'), 'plain');
    assert.equal(metricKind('rolling.rolling_restart_ms'), 'time');
    assert.equal(metricKind('rolling.partitions_over_delivery_timeout'), 'plain');
    assert.equal(metricKind('crash.last_partition_breakdown_ms.restart'), 'time');
    for (const bad of ['crash.restart', 'crash.restart.nope', 'rolling.nope', 'rolling.rolling_restart_ms.x']) assert.equal(metricKind(bad), null, bad);
    assert.ok(METRICS.includes('rolling.rolling_restart_ms') && METRICS.includes('controlled_shutdown.restart.broker_serving_ms'));
    assert.deepEqual(unitsFor('rolling.unavailable_partition_seconds'), ['count']);
  });
  test('a rolling metric needs a rolling restart, a restart metric a restart; the new scenario keys are checked', () => {
    assert.deepEqual(validateExercise(ROLL(), CATALOG).errors, []);
    assert.deepEqual(validateExercise(RESTART(), CATALOG).errors, []);
    const keys = (ex) => validateExercise(ex, CATALOG).errors.map((e) => `${e.field}:${e.key}`);
    assert.deepEqual(keys({ ...ROLL(), scenario: { profile: 'book', event: 'crash' } }), ['answer.metric:ex.err.metric_event']);
    assert.deepEqual(keys({ ...RESTART(), scenario: { profile: 'book' } }), ['answer.metric:ex.err.metric_restart']);
    assert.deepEqual(keys({ ...RESTART(), scenario: { profile: 'book', restart: -1, sole: 2, rebalance: 'x', rstop: 'y' } }), [
      'scenario.restart:ex.err.param_range', 'scenario.sole:ex.err.param_range', 'scenario.rebalance:ex.err.choice', 'scenario.rstop:ex.err.choice',
    ]);
  });
  test('the values come from the engine\'s summaries, nested', () => {
    assert.equal(metricValue('crash.restart.log_recovery_ms', { crash: { restart: { log_recovery_ms: 1234 } } }), 1234);
    assert.equal(metricValue('rolling.rolling_restart_ms', { rolling: { rolling_restart_ms: 42 } }), 42);
    assert.equal(metricValue('crash.restart.log_recovery_ms', { crash: {} }), null);
  });
});
