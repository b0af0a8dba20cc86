// The classroom exercise format (kafka-election-exercise/1): validation, the metric an answer is
// graded against, unit conversion and grading. Pure: no DOM, no engine, importable from Node.
//
// Errors are { field, key, vars }: `key` names a message in locales/teach.<lang>.json, so the same
// error reads in English and Korean; formatMessage() fills a template for callers without i18n.js.
// The correct number of a "number" answer is never stored in a file: the page computes it with the
// engine from the file's scenario when it grades, so a file cannot drift from the engine.

export const FORMAT = 'kafka-election-exercise/1';
export const LANGS = ['en', 'ko'];
export const EVENTS = ['crash', 'controlled-shutdown'];
/** Every event a scenario may name (catalog().events): the single faults and the rolling restart. */
export const SCENARIO_EVENTS = [...EVENTS, 'rolling-restart'];
export const LAYOUTS = ['led-by', 'kafka'];
export const UNITS = ['ms', 's', 'min', 'count'];
export const MAX_BYTES = 64 * 1024;
export const MAX_TEXT = 4000;
export const CHOICES_MIN = 2;
export const CHOICES_MAX = 8;

const TOP = ['format', 'id', 'title', 'question', 'scenario', 'answer', 'explanation', 'reveal'];
const REQUIRED = ['format', 'id', 'title', 'question', 'scenario', 'answer', 'explanation'];
const NUMBER_KEYS = ['type', 'metric', 'unit', 'tolerance'];
const CHOICE_KEYS = ['type', 'choices', 'correct'];
const REVEAL_KEYS = ['t', 'sel', 'event'];
// Keys that would store the answer's number: refused with their own message (see above).
const STORED = ['value', 'expected', 'correct_value', 'answer'];
const ID = /^[a-z0-9][a-z0-9._-]{0,63}$/;

/** The engine summary's numbers an answer may ask for: time (ms in the summary) or plain. */
export const SUMMARY_FIELDS = {
  partitions_affected: 'plain', partitions_recovered: 'plain', partitions_without_leader: 'plain',
  unclean_elections: 'plain', isr_shrinks: 'plain', partitions_over_delivery_timeout: 'plain', steps: 'plain',
  unavailable_partition_seconds: 'plain',
  detection_ms: 'time', controller_work_ms: 'time', first_partition_downtime_ms: 'time', median_downtime_ms: 'time',
  p99_downtime_ms: 'time', last_partition_downtime_ms: 'time', max_downtime_ms: 'time', delivery_timeout_ms: 'time',
  end_ms: 'time',
};
export const BREAKDOWN_PARTS = ['detection', 'controller_failover', 'waiting', 'election', 'persistence', 'propagation', 'client_discovery', 'restart'];
/** The return's numbers (a scenario with `restart`): `crash.restart.<field>`, `controlled_shutdown.restart.<field>`. */
export const RESTART_FIELDS = {
  restart_after_ms: 'time', log_recovery_ms: 'time', broker_serving_ms: 'time', under_replicated_until_ms: 'time',
  leadership_balanced_ms: 'time', log_recovered_mib: 'plain', under_replicated_partition_seconds: 'plain',
  partitions_waiting_for_return: 'plain', preferred_leaders_moved: 'plain', restart_partition_seconds: 'plain',
  switch_over_partition_seconds: 'plain',
};
/** A rolling restart's numbers (scenario event `rolling-restart`): `rolling.<field>`. */
export const ROLLING_FIELDS = {
  rolling_restart_ms: 'time', leadership_balanced_ms: 'time', unavailable_partition_seconds: 'plain',
  under_replicated_partition_seconds: 'plain', partitions_over_delivery_timeout: 'plain',
};
export const RUNS = { crash: 'crash', controlled_shutdown: 'controlled-shutdown' };

/** Every metric an answer may name, in a stable order (for messages and the teacher's form). */
export const METRICS = [
  ...Object.keys(RUNS).flatMap((run) => [
    ...Object.keys(SUMMARY_FIELDS).map((f) => `${run}.${f}`),
    ...BREAKDOWN_PARTS.map((p) => `${run}.last_partition_breakdown_ms.${p}`),
    ...Object.keys(RESTART_FIELDS).map((f) => `${run}.restart.${f}`),
  ]),
  ...Object.keys(ROLLING_FIELDS).map((f) => `rolling.${f}`),
  'ratio',
];

/** Whether a metric is a rolling restart's (its exercise's scenario is a rolling restart). */
export const isRollingMetric = (metric) => typeof metric === 'string' && metric.startsWith('rolling.');

/** 'time' (the engine gives ms; answer in ms, s or min) or 'plain' (answer unit 'count'); null if unknown. */
export function metricKind(metric) {
  if (metric === 'ratio') return 'plain';
  if (typeof metric !== 'string') return null;
  const [run, field, part, ...rest] = metric.split('.');
  if (run === 'rolling') return part === undefined ? ROLLING_FIELDS[field] ?? null : null;
  if (!(run in RUNS) || rest.length) return null;
  if (field === 'last_partition_breakdown_ms') return BREAKDOWN_PARTS.includes(part) ? 'time' : null;
  if (field === 'restart') return RESTART_FIELDS[part] ?? null;
  return part === undefined ? SUMMARY_FIELDS[field] ?? null : null;
}
export const unitsFor = (metric) => (metricKind(metric) === 'time' ? ['ms', 's', 'min'] : ['count']);

/**
 * The metric's value from the engine's comparison (compare/compareRuns: { crash,
 * controlled_shutdown, last_partition_downtime_ratio }), in the engine's unit (ms for times).
 * "ratio" is the engine's last_partition_downtime_ratio. Null when the engine has no value (a
 * partition that never gets a leader).
 */
export function metricValue(metric, summaries) {
  if (metric === 'ratio') {
    const r = summaries.last_partition_downtime_ratio;
    return typeof r === 'number' && Number.isFinite(r) ? r : null;
  }
  const [run, field, part] = metric.split('.');
  const s = summaries[run];
  const v = part ? s?.[field]?.[part] : s?.[field];
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

const PER = { ms: 1, s: 1000, min: 60_000, count: 1 };
/** An engine value (ms for times) in an answer's unit. */
export const toUnit = (v, unit) => (v == null ? null : v / PER[unit]);

/**
 * A student's number: digits with an optional sign and decimal point; commas as thousands
 * separators (1,234.5) and spaces are allowed. Null when it is not a number.
 */
export function parseAnswerNumber(text) {
  const s = String(text ?? '').replace(/[\s\u00a0]/g, '');
  if (!/^[+-]?((\d{1,3}(,\d{3})+|\d+)(\.\d*)?|\.\d+)$/.test(s)) return null;
  return Number(s.replace(/,/g, ''));
}

/**
 * Grades a number: correct when |given − value| ≤ tolerance × |value| (a tiny allowance absorbs
 * floating-point rounding). `off` is given − value in the answer's unit, `offPct` relative to value.
 */
export function grade(given, value, tolerance) {
  const off = given - value;
  const slack = tolerance * Math.abs(value) + 1e-9 * Math.max(1, Math.abs(value));
  return { correct: Math.abs(off) <= slack, off, offPct: value === 0 ? null : (off / Math.abs(value)) * 100 };
}

// ------------------------------------------------------------------------------------- validation

const isObj = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
const typeOf = (v) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);
const isInt = (v) => typeof v === 'number' && Number.isInteger(v);

/**
 * Checks a parsed exercise. `catalog` is the engine's catalog() ({ profiles: [{name}],
 * parameters: [{name, unit, min, max, choices}], limits: {max_brokers, max_partitions} }): scenario
 * keys and values are checked against it.
 * Returns { ok, errors: [{ field, key, vars }] }.
 */
export function validateExercise(ex, catalog) {
  const errors = [];
  const err = (field, key, vars = {}) => errors.push({ field, key, vars: { field, ...vars } });
  if (!isObj(ex)) { err('(file)', 'ex.err.root', { type: typeOf(ex) }); return { ok: false, errors }; }

  for (const k of Object.keys(ex)) if (!TOP.includes(k)) err(k, 'ex.err.unknown', { allowed: TOP.join(', ') });
  for (const k of REQUIRED) if (!(k in ex)) err(k, 'ex.err.missing');

  if ('format' in ex && ex.format !== FORMAT) err('format', 'ex.err.format', { value: String(ex.format), allowed: FORMAT });
  if ('id' in ex && (typeof ex.id !== 'string' || !ID.test(ex.id))) err('id', 'ex.err.id', { value: String(ex.id) });
  for (const k of ['title', 'question', 'explanation']) if (k in ex) checkText(ex[k], k, err);
  if ('scenario' in ex) checkScenario(ex.scenario, catalog, err);
  if ('answer' in ex) checkAnswer(ex.answer, err);
  // A rolling restart's number needs a rolling restart, and the return's a restart.
  const metric = isObj(ex.answer) ? ex.answer.metric : null;
  const sc = isObj(ex.scenario) ? ex.scenario : {};
  if (metricKind(metric) && isRollingMetric(metric) !== (sc.event === 'rolling-restart')) {
    err('answer.metric', 'ex.err.metric_event', { value: show(metric), event: show(sc.event ?? 'crash') });
  } else if (metricKind(metric) && String(metric).split('.')[1] === 'restart' && typeof sc.restart !== 'number') {
    err('answer.metric', 'ex.err.metric_restart', { value: show(metric) });
  }
  if ('reveal' in ex) checkReveal(ex.reveal, isObj(ex.scenario) && isInt(ex.scenario.partitions) ? ex.scenario.partitions : 10_000, err);
  return { ok: errors.length === 0, errors };
}

/** { en, ko }: both present, non-empty strings, nothing else. */
function checkText(v, field, err) {
  if (!isObj(v)) { err(field, 'ex.err.text_type', { type: typeOf(v) }); return; }
  for (const k of Object.keys(v)) if (!LANGS.includes(k)) err(`${field}.${k}`, 'ex.err.unknown', { allowed: LANGS.join(', ') });
  for (const l of LANGS) {
    const f = `${field}.${l}`;
    if (!(l in v)) err(f, 'ex.err.missing');
    else if (typeof v[l] !== 'string') err(f, 'ex.err.string', { type: typeOf(v[l]) });
    else if (!v[l].trim()) err(f, 'ex.err.empty');
    else if (v[l].length > MAX_TEXT) err(f, 'ex.err.long', { max: MAX_TEXT, n: v[l].length });
  }
}

/** The page's flat config, URL-state keys (see url-state.js), values as JSON numbers/strings/booleans. */
function checkScenario(sc, catalog, err) {
  if (!isObj(sc)) { err('scenario', 'ex.err.object', { type: typeOf(sc) }); return; }
  const specs = new Map((catalog?.parameters ?? []).map((p) => [p.name, p]));
  const profiles = (catalog?.profiles ?? []).map((p) => p.name);
  const core = ['profile', 'event', 'partitions', 'brokers', 'rf', 'layout', 'victim', 'controller', 'vic', 'unclean', 'restart', 'rebalance', 'sole', 'rstop'];
  const { max_brokers: maxBrokers, max_partitions: maxPartitions } = catalog.limits;
  const brokers = isInt(sc.brokers) && sc.brokers >= 1 && sc.brokers <= maxBrokers ? sc.brokers : 3;
  const f = (k) => `scenario.${k}`;
  const choice = (k, allowed) => {
    if (typeof sc[k] !== 'string' || !allowed.includes(sc[k])) err(f(k), 'ex.err.choice', { value: show(sc[k]), allowed: allowed.join(', ') });
  };
  const int = (k, min, max, key = 'ex.err.int') => {
    if (!isInt(sc[k]) || sc[k] < min || sc[k] > max) err(f(k), key, { value: show(sc[k]), min, max });
  };
  for (const [k, v] of Object.entries(sc)) {
    switch (k) {
      case 'profile': choice(k, profiles); break;
      case 'event': choice(k, catalog.events ?? SCENARIO_EVENTS); break;
      case 'restart': {
        const max = catalog.restart_limits?.max_after_ms ?? Infinity;
        if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > max) err(f(k), 'ex.err.param_range', { value: show(v), min: 0, max, unit: 'ms' });
        break;
      }
      case 'sole':
        if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > 1) err(f(k), 'ex.err.param_range', { value: show(v), min: 0, max: 1, unit: '' });
        break;
      case 'rebalance': choice(k, catalog.leader_rebalance ?? ['auto', 'immediate', 'off']); break;
      case 'rstop': choice(k, EVENTS); break;
      case 'layout': choice(k, LAYOUTS); break;
      case 'partitions': int(k, 1, maxPartitions); break;
      case 'brokers': int(k, 1, maxBrokers); break;
      case 'rf': int(k, 1, brokers, 'ex.err.rf'); break;
      case 'victim': case 'controller': int(k, 1, brokers, 'ex.err.broker'); break;
      case 'vic': case 'unclean': if (typeof v !== 'boolean') err(f(k), 'ex.err.bool', { value: show(v) }); break;
      default: {
        const spec = specs.get(k);
        if (!spec) { err(f(k), 'ex.err.scenario_key', { allowed: core.join(', ') }); break; }
        if (spec.unit === 'choice') choice(k, spec.choices);
        else if (typeof v !== 'number' || !Number.isFinite(v) || (spec.unit !== 'ms' && !Number.isInteger(v))) {
          err(f(k), spec.unit === 'ms' ? 'ex.err.param_num' : 'ex.err.param_int', { value: show(v), min: spec.min, max: spec.max, unit: spec.unit === 'ms' ? 'ms' : '' });
        } else if (v < spec.min || v > spec.max) err(f(k), 'ex.err.param_range', { value: show(v), min: spec.min, max: spec.max, unit: spec.unit === 'ms' ? 'ms' : '' });
      }
    }
  }
}

function checkAnswer(a, err) {
  if (!isObj(a)) { err('answer', 'ex.err.object', { type: typeOf(a) }); return; }
  for (const k of STORED) if (k in a) err(`answer.${k}`, 'ex.err.stored_value');
  if (a.type !== 'number' && a.type !== 'choice') { err('answer.type', 'ex.err.choice', { value: show(a.type), allowed: 'number, choice' }); return; }
  const keys = a.type === 'number' ? NUMBER_KEYS : CHOICE_KEYS;
  for (const k of Object.keys(a)) if (!keys.includes(k) && !STORED.includes(k)) err(`answer.${k}`, 'ex.err.unknown_for', { type: a.type, allowed: keys.join(', ') });
  for (const k of keys) if (!(k in a)) err(`answer.${k}`, 'ex.err.missing');
  if (a.type === 'number') {
    if ('metric' in a && !metricKind(a.metric)) {
      err('answer.metric', 'ex.err.metric', { value: show(a.metric), allowed: 'crash.<field>, controlled_shutdown.<field>, crash.restart.<field>, controlled_shutdown.restart.<field>, rolling.<field>, ratio', fields: [...Object.keys(SUMMARY_FIELDS), ...Object.keys(RESTART_FIELDS).map((x) => `restart.${x}`), ...Object.keys(ROLLING_FIELDS).map((x) => `rolling.${x}`)].join(', ') });
    }
    if ('unit' in a) {
      if (!UNITS.includes(a.unit)) err('answer.unit', 'ex.err.choice', { value: show(a.unit), allowed: UNITS.join(', ') });
      else if (metricKind(a.metric) && !unitsFor(a.metric).includes(a.unit)) err('answer.unit', 'ex.err.unit_metric', { value: a.unit, metric: a.metric, allowed: unitsFor(a.metric).join(', ') });
    }
    if ('tolerance' in a && (typeof a.tolerance !== 'number' || !Number.isFinite(a.tolerance) || a.tolerance < 0 || a.tolerance > 1)) {
      err('answer.tolerance', 'ex.err.tolerance', { value: show(a.tolerance) });
    }
  } else {
    if ('choices' in a) {
      if (!Array.isArray(a.choices) || a.choices.length < CHOICES_MIN || a.choices.length > CHOICES_MAX) {
        err('answer.choices', 'ex.err.choices', { min: CHOICES_MIN, max: CHOICES_MAX, value: Array.isArray(a.choices) ? a.choices.length : typeOf(a.choices) });
      } else a.choices.forEach((c, i) => checkText(c, `answer.choices[${i}]`, err));
    }
    if ('correct' in a) {
      const n = Array.isArray(a.choices) ? a.choices.length : 0;
      if (!isInt(a.correct) || a.correct < 0 || (n && a.correct >= n)) err('answer.correct', 'ex.err.correct', { value: show(a.correct), max: Math.max(0, n - 1) });
    }
  }
}

function checkReveal(r, partitions, err) {
  if (!isObj(r)) { err('reveal', 'ex.err.object', { type: typeOf(r) }); return; }
  for (const k of Object.keys(r)) if (!REVEAL_KEYS.includes(k)) err(`reveal.${k}`, 'ex.err.unknown', { allowed: REVEAL_KEYS.join(', ') });
  if ('t' in r && (typeof r.t !== 'number' || !Number.isFinite(r.t) || r.t < 0)) err('reveal.t', 'ex.err.time', { value: show(r.t) });
  if ('sel' in r && (!isInt(r.sel) || r.sel < 0 || r.sel >= partitions)) err('reveal.sel', 'ex.err.int', { value: show(r.sel), min: 0, max: partitions - 1 });
  if ('event' in r && !SCENARIO_EVENTS.includes(r.event)) err('reveal.event', 'ex.err.choice', { value: show(r.event), allowed: SCENARIO_EVENTS.join(', ') });
}

const show = (v) => (typeof v === 'string' ? v : JSON.stringify(v) ?? String(v));

/** Parses a file's text: JSON errors and oversized files become validation errors too. */
export function parseExercise(text, catalog) {
  if (typeof text !== 'string' || text.length > MAX_BYTES) {
    return { ok: false, errors: [{ field: '(file)', key: 'ex.err.size', vars: { field: '(file)', max: MAX_BYTES / 1024 } }] };
  }
  let ex;
  try { ex = JSON.parse(text); } catch (e) {
    return { ok: false, errors: [{ field: '(file)', key: 'ex.err.json', vars: { field: '(file)', msg: e.message } }] };
  }
  const r = validateExercise(ex, catalog);
  return { ...r, exercise: r.ok ? ex : null };
}

/**
 * The `exercise` link parameter: only a relative path to a .json file on the page's own site
 * (letters, digits, . _ - /; no "..", no scheme, no leading slash). Returns { url } or { error }.
 */
export function checkExercisePath(raw, base) {
  const e = (key) => ({ error: { field: 'exercise', key, vars: { field: 'exercise', value: String(raw ?? '') } } });
  const p = String(raw ?? '').trim();
  if (!p) return e('ex.url.empty');
  if (/^[a-z][a-z0-9+.-]*:/i.test(p) || p.startsWith('//') || p.startsWith('/') || p.startsWith('\\')) return e('ex.url.absolute');
  if (p.split(/[/\\]/).includes('..')) return e('ex.url.dotdot');
  if (!/^[A-Za-z0-9._/-]+$/.test(p)) return e('ex.url.chars');
  if (!p.endsWith('.json')) return e('ex.url.ext');
  const url = new URL(p, base);
  if (url.origin !== new URL(base).origin) return e('ex.url.absolute');
  return { url: url.href, path: p };
}

/** Fills a message template ({name} placeholders) from a flat dictionary; the key if it is missing. */
export function formatMessage(err, dict) {
  const s = dict[err.key] ?? err.key;
  return s.replace(/\{(\w+)\}/g, (m, k) => (k in err.vars ? String(err.vars[k]) : m));
}

/** Every message key this module can produce (the locale files must have each, in both languages). */
export const MESSAGE_KEYS = [
  'ex.err.root', 'ex.err.unknown', 'ex.err.missing', 'ex.err.format', 'ex.err.id', 'ex.err.text_type', 'ex.err.string',
  'ex.err.empty', 'ex.err.long', 'ex.err.object', 'ex.err.choice', 'ex.err.int', 'ex.err.rf', 'ex.err.broker', 'ex.err.bool',
  'ex.err.scenario_key', 'ex.err.param_num', 'ex.err.param_int', 'ex.err.param_range', 'ex.err.stored_value',
  'ex.err.unknown_for', 'ex.err.metric', 'ex.err.metric_event', 'ex.err.metric_restart', 'ex.err.unit_metric', 'ex.err.tolerance', 'ex.err.choices', 'ex.err.correct',
  'ex.err.time', 'ex.err.size', 'ex.err.json',
  'ex.url.empty', 'ex.url.absolute', 'ex.url.dotdot', 'ex.url.chars', 'ex.url.ext',
];
