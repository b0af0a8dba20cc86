// The scenario as the page holds it (a flat config), its query-string form, and the checks that
// turn a link or the form into either a valid config or messages saying what is wrong and what is
// allowed. The engine checks again (validateScenario); these checks exist so the messages can be
// in the reader's language and name the field as the form and the link call it.
import { t, fmtNum } from '../lib/i18n.js';
import { clip } from '../lib/text.js';
import { RESTART_KEYS, RESTART_FIELDS, parseRestart, restartQuery, restartScenario } from './restart-state.js';

export const TOPIC = 'peter-test02';
export const LAYOUTS = ['led-by', 'kafka'];

/** The chapter's case: book profile, 3 brokers, controller 2, peter-test02 × 10,000, RF 2, victim 1. */
export const DEFAULT = Object.freeze({
  profile: 'book', event: 'crash', partitions: 10_000, brokers: 3, rf: 2, layout: 'led-by',
  victim: 1, controller: 2, vic: false, unclean: false, params: {},
});
const CORE = ['profile', 'event', 'partitions', 'brokers', 'rf', 'layout', 'victim', 'controller', 'vic', 'unclean', ...RESTART_KEYS];
const VIEW = ['lang', 'log', 't', 'sel', 'steps'];
/**
 * Keys that belong to feature modules (embed mode's embed, origin, frame; they add their own at
 * import time): readLink leaves them to their module and the page keeps them in its own address.
 */
export const FEATURE_KEYS = new Set();
/** The feature keys of `search` as '&k=v…', to follow toQuery's output in the page's address. */
export function featureQuery(search) {
  const q = new URLSearchParams(search);
  const out = new URLSearchParams();
  for (const [k, v] of q) if (FEATURE_KEYS.has(k)) out.append(k, v);
  const s = out.toString();
  return s ? '&' + s : '';
}

export const cloneCfg = (c) => ({ ...c, params: { ...c.params } });

/** The engine's scenario object for one event. */
export function scenarioFor(cfg, event) {
  return restartScenario(cfg, event, {
    profile: cfg.profile, parameters: { ...cfg.params }, event, victim: cfg.victim,
    victim_is_controller: cfg.vic, unclean: cfg.unclean,
    cluster: {
      brokers: cfg.brokers, controller: cfg.controller,
      topics: [{ name: TOPIC, partitions: cfg.partitions, replication_factor: cfg.rf, layout: cfg.layout }],
    },
  });
}

const INT = /^\s*\+?\d+\s*$/;
const NUM = /^\s*\+?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/;
const NEG = /^\s*-(\d+\.?\d*|\.\d+)\s*$/;
/**
 * validateScenario's { field, message } as the page names it: field is the scenario path the
 * engine reports (cluster.topics[0].replication_factor, parameters.zk_session_timeout_ms, …);
 * `page` is the form's/link's key for it (null when the page has none) and `label` its label.
 */
export function engineProblem(problem) {
  const path = String(problem?.field ?? '');
  const page = ENGINE_FIELDS.find(([re]) => re.test(path))?.[1] ?? (path.match(/^parameters\.(\w+)$/)?.[1] ?? null);
  return { page, label: page ? fieldLabel(page) : path || '—', message: String(problem?.message ?? problem ?? '') };
}
const ENGINE_FIELDS = [
  [/^profile$/, 'profile'], [/^event$/, 'event'], [/^victim$/, 'victim'], [/^victim_is_controller$/, 'vic'], [/^unclean$/, 'unclean'],
  [/^cluster\.brokers$/, 'brokers'], [/^cluster\.controller$/, 'controller'], [/^cluster\.topics\[0\]\.partitions$/, 'partitions'],
  [/^cluster\.topics\[0\]\.replication_factor$/, 'rf'], [/^cluster\.topics\[0\]\.layout$/, 'layout'], ...RESTART_FIELDS,
];
/** A value quoted in a message, shortened (a link can carry 200,000 characters in one value). */
const clipValue = (vars) => (vars && 'value' in vars ? { ...vars, value: clip(vars.value) } : vars);
export const fieldLabel = (f) => (CORE.includes(f) || VIEW.includes(f) ? `${t('field.' + f)} (${f})` : f);

/**
 * Reads a config from `get(key) → string | null` (a link or the form), checked against the
 * engine's catalog (profiles, parameters, limits). Returns the config (defaults where a key is
 * absent or wrong) and a list of {field, text} errors in the current language.
 */
export function parseConfig(get, catalog) {
  const cfg = cloneCfg(DEFAULT);
  const errors = [];
  const err = (field, key, vars) => errors.push({ field, text: t(key, { field: fieldLabel(field), ...clipValue(vars) }) });
  const choice = (f, allowed) => {
    const v = get(f);
    if (v == null) return;
    if (allowed.includes(v)) cfg[f] = v;
    else err(f, 'err.choice', { value: v, allowed: allowed.join(', ') });
  };
  const int = (f, min, max, extra = 'err.range') => {
    const v = get(f);
    if (v == null) return undefined;
    if (v.trim() === '') { err(f, 'err.empty', { min: fmtNum(min), max: fmtNum(max) }); return null; }
    if (!INT.test(v) && !NEG.test(v)) { err(f, 'err.int', { value: v, min: fmtNum(min), max: fmtNum(max) }); return null; }
    const n = Number(v);
    if (n < min || n > max) { err(f, extra, { value: v, min: fmtNum(min), max: fmtNum(max) }); return null; }
    cfg[f] = n;
    return n;
  };
  const flag = (f) => {
    const v = get(f);
    if (v == null) return;
    if (v === '1' || v === 'true') cfg[f] = true;
    else if (v === '0' || v === 'false') cfg[f] = false;
    else err(f, 'err.flag', { value: v });
  };
  choice('profile', catalog.profiles.map((p) => p.name));
  choice('event', catalog.events ?? catalog.faults); // the engine's events: crash, controlled-shutdown, rolling-restart
  int('partitions', 1, catalog.limits.max_partitions);
  const brokersOk = int('brokers', 1, catalog.limits.max_brokers) !== null;
  const nb = cfg.brokers;
  if (brokersOk) {
    // Like the controller below: a link that leaves rf out gets the default, as far as the
    // brokers allow (a one-broker link is valid on its own).
    if (get('rf') == null) cfg.rf = Math.min(DEFAULT.rf, nb);
    else int('rf', 1, nb, 'err.rf');
    int('victim', 1, nb, 'err.broker');
    if (get('controller') == null) cfg.controller = nb > 1 ? 2 : 1;
    else int('controller', 1, nb, 'err.broker');
  }
  choice('layout', LAYOUTS);
  flag('vic');
  flag('unclean');
  parseRestart(get, cfg, err, catalog, { INT, NUM, NEG });
  for (const spec of catalog.parameters) {
    const v = get(spec.name);
    if (v == null || v === '') continue;
    const range = { min: fmtNum(spec.min), max: fmtNum(spec.max), unit: t('unitword.' + spec.unit) };
    if (spec.unit === 'choice') {
      if (spec.choices.includes(v)) cfg.params[spec.name] = v;
      else err(spec.name, 'err.choice', { value: v, allowed: spec.choices.join(', ') });
    } else if (!(NUM.test(v) || NEG.test(v)) || (spec.unit !== 'ms' && !INT.test(v) && !NEG.test(v))) {
      err(spec.name, spec.unit === 'ms' ? 'err.num' : 'err.int', { value: v, ...range });
    } else if (Number(v) < spec.min || Number(v) > spec.max) {
      err(spec.name, 'err.param_range', { value: v, ...range });
    } else cfg.params[spec.name] = Number(v);
  }
  const mode = catalog.profiles.find((p) => p.name === cfg.profile)?.mode;
  if (cfg.vic && cfg.brokers === 1 && mode === 'zookeeper') err('vic', 'err.vic_one', {});
  return { cfg, errors };
}

/** Reads the link: the config, the view (lang, log, t, sel), errors, and unknown keys (ignored). */
export function readLink(search, catalog) {
  const q = new URLSearchParams(search);
  const get = (k) => (q.has(k) ? q.get(k) : null);
  const { cfg, errors } = parseConfig(get, catalog);
  const view = { lang: null, log: false, t: 0, sel: 0, steps: null };
  const err = (field, key, vars) => errors.push({ field, text: t(key, { field: fieldLabel(field), ...clipValue(vars) }) });
  if (q.has('lang')) {
    if (['en', 'ko'].includes(q.get('lang'))) view.lang = q.get('lang');
    else err('lang', 'err.choice', { value: q.get('lang'), allowed: 'en, ko' });
  }
  if (q.has('log')) {
    const v = q.get('log');
    if (v === '1' || v === '0') view.log = v === '1';
    else err('log', 'err.flag', { value: v });
  }
  if (q.has('t')) {
    const v = q.get('t');
    if (NUM.test(v)) view.t = Number(v);
    else err('t', 'err.time', { value: v });
  }
  if (q.has('sel')) {
    const v = q.get('sel');
    const max = cfg.partitions - 1;
    if (INT.test(v) && Number(v) <= max) view.sel = Number(v);
    else err('sel', INT.test(v) ? 'err.range' : 'err.int', { value: v, min: 0, max: fmtNum(max) });
  }
  // Several steps can share one instant: `steps` says how many of them had been taken at t.
  if (q.has('steps')) {
    const v = q.get('steps');
    if (INT.test(v)) view.steps = Number(v);
    else err('steps', 'err.int', { value: v, min: 0, max: '∞' });
  }
  const known = new Set([...CORE, ...VIEW, ...FEATURE_KEYS, ...catalog.parameters.map((p) => p.name)]);
  const unknown = [...q.keys()].filter((k) => !known.has(k));
  return { cfg, view, errors, unknown };
}

/** The query string for a config and view; parameters only when overridden. */
export function toQuery(cfg, view) {
  const q = new URLSearchParams();
  q.set('profile', cfg.profile);
  q.set('event', cfg.event);
  q.set('partitions', cfg.partitions);
  q.set('brokers', cfg.brokers);
  q.set('rf', cfg.rf);
  q.set('layout', cfg.layout);
  q.set('victim', cfg.victim);
  q.set('controller', cfg.controller);
  q.set('vic', cfg.vic ? 1 : 0);
  q.set('unclean', cfg.unclean ? 1 : 0);
  restartQuery(cfg, q);
  for (const [k, v] of Object.entries(cfg.params)) q.set(k, v);
  q.set('lang', view.lang);
  if (view.log) q.set('log', 1);
  q.set('t', Math.round(view.t * 1000) / 1000);
  q.set('sel', view.sel);
  if (view.steps != null) q.set('steps', view.steps);
  return '?' + q.toString();
}
