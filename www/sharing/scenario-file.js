// A scenario file (the CLI's `--scenario` schema) → the page's flat config. The page holds one
// topic with a generated layout; the CLI's schema can say more (several topics, explicit replica
// lists and ISRs, other broker ids). Those files are refused here with a message that says what
// the page cannot show and that the command line runs them, rather than being shown half-right.
import { t, fmtNum } from '../lib/i18n.js';
import { parseConfig, scenarioFor, TOPIC } from './url-state.js';
import { shellQuote } from '../lib/text.js';

const TOP = ['profile', 'parameters', 'event', 'victim', 'victim_is_controller', 'unclean', 'cluster', 'restart'];
const CLUSTER = ['brokers', 'broker_ids', 'controller', 'topics'];
const TOPIC_KEYS = ['name', 'partitions', 'replication_factor', 'layout', 'led_by', 'start_index', 'replica_shift', 'assignment', 'isr', 'sole_isr_fraction'];

const isObj = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
const given = (v) => v !== undefined && v !== null;

/**
 * Reads `text` (the file's contents). Returns { cfg, notes } when the page can show it, else
 * { problems, cliRuns }: problems are texts in the current language; cliRuns says whether the
 * command line would run the file (it refuses what its parser or the engine refuses).
 * `validate(scenario)` is the engine's validateScenario: null or { field, message }; `catalog` the
 * engine's catalog().
 */
export function fromScenario(text, catalog, validate) {
  let s;
  try { s = JSON.parse(text); } catch (e) { return refuse([t('scen.err.json', { msg: e.message })], false); }
  if (!isObj(s)) return refuse([t('scen.err.object')], false);

  // The schema first: what the CLI refuses too (unknown fields, wrong shapes).
  const unknown = [];
  const extra = (obj, allowed, where) => {
    for (const k of Object.keys(obj)) if (!allowed.includes(k)) unknown.push(t('scen.err.unknown', { field: where + k, allowed: allowed.join(', ') }));
  };
  extra(s, TOP, '');
  const cluster = s.cluster ?? {};
  if (!isObj(cluster)) return refuse([t('scen.err.shape', { field: 'cluster', want: t('scen.want.object') })], false);
  extra(cluster, CLUSTER, 'cluster.');
  const topics = cluster.topics ?? [{ partitions: 10_000 }];
  if (!Array.isArray(topics)) return refuse([t('scen.err.shape', { field: 'cluster.topics', want: t('scen.want.list') })], false);
  topics.forEach((tp, i) => {
    if (isObj(tp)) extra(tp, TOPIC_KEYS, `cluster.topics[${i}].`);
    else unknown.push(t('scen.err.shape', { field: `cluster.topics[${i}]`, want: t('scen.want.object') }));
  });
  if (s.parameters !== undefined && !isObj(s.parameters)) unknown.push(t('scen.err.shape', { field: 'parameters', want: t('scen.want.object') }));
  if (unknown.length) return refuse(unknown, false);
  // The file's own field path names the problem: the file speaks the CLI's schema.
  const engine = validate(s);
  if (engine) return refuse([t('scen.err.engine', { field: engine.field || '—', msg: engine.message })], false);

  // A valid scenario: can the page's flat config hold it?
  const cant = [];
  if (topics.length !== 1) cant.push(t('scen.err.topics', { n: topics.length }));
  const topic = topics[0] ?? {};
  topics.forEach((tp, i) => {
    if (given(tp.assignment) || given(tp.isr)) cant.push(t('scen.err.assignment', { field: `cluster.topics[${i}]` }));
  });
  const nb = cluster.brokers ?? 3;
  if (given(cluster.broker_ids)) {
    const plain = cluster.broker_ids.length === nb && cluster.broker_ids.every((id, i) => id === i + 1);
    if (!plain) cant.push(t('scen.err.broker_ids', { ids: cluster.broker_ids.join(', ') }));
  }
  const victim = s.victim ?? 1;
  if (given(topic.led_by) && topic.led_by !== victim && (topic.layout ?? 'led-by') === 'led-by') {
    cant.push(t('scen.err.led_by', { led: topic.led_by, victim }));
  }
  if ((topic.start_index ?? 0) !== 0 || (topic.replica_shift ?? 0) !== 0) cant.push(t('scen.err.kafka_offsets'));
  if (topics.length === 1 && !given(topic.partitions) && !given(topic.assignment)) cant.push(t('scen.err.partitions'));
  const names = catalog.parameters.map((p) => p.name);
  for (const k of Object.keys(s.parameters ?? {})) if (!names.includes(k)) cant.push(t('scen.err.param', { name: k }));
  if (cant.length) return refuse(cant, true);

  // Through the same checks as a link, so the messages match the form's.
  const flat = {
    profile: s.profile, event: s.event, partitions: topic.partitions, brokers: cluster.brokers,
    rf: topic.replication_factor, layout: topic.layout, victim: s.victim, controller: cluster.controller,
    vic: s.victim_is_controller, unclean: s.unclean, ...s.parameters,
    restart: s.restart?.after_ms, rebalance: s.restart?.leader_rebalance, rstop: s.restart?.rolling_stop, sole: topic.sole_isr_fraction,
  };
  const get = (k) => {
    const v = flat[k];
    if (!given(v)) return null;
    return typeof v === 'boolean' ? (v ? '1' : '0') : String(v);
  };
  const { cfg, errors } = parseConfig(get, catalog);
  if (errors.length) return refuse(errors.map((e) => e.text), true);
  for (const ev of ['crash', 'controlled-shutdown']) {
    const problem = validate(scenarioFor(cfg, ev));
    if (problem) return refuse([t('scen.err.engine', { field: problem.field || '—', msg: problem.message })], true);
  }
  const notes = [];
  if (given(topic.name) && topic.name !== TOPIC) notes.push(t('scen.note.name', { name: topic.name, topic: TOPIC }));
  return { cfg, notes };
}

function refuse(problems, cliRuns) { return { problems, cliRuns }; }

/** The last lines of a refusal: what the page supports, and the command that runs the file. */
export function supportLines(file, cliRuns, catalog) {
  const lines = [t('scen.supports', { topic: TOPIC, max: fmtNum(catalog.limits.max_partitions) })];
  if (cliRuns) lines.push(t('scen.cli', { cmd: cliCommand(file) }));
  return lines;
}

/** The command that runs a scenario file, its name shell-quoted. */
export const cliCommand = (file) => `kafka-election run --scenario ${shellQuote(file)}`;
