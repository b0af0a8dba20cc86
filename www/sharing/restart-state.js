// The broker's return and the rolling restart in the page's flat config, its link and the
// engine's scenario (docs/model.md, "After the fault: the broker's return" and "Rolling restart"):
//   restart    ms from the fault until the operator starts the broker again (null: no restart)
//   rebalance  the leadership's return: auto | immediate | off (catalog().leader_rebalance)
//   sole       the fraction of partitions whose only in-sync replica is the victim (null: none)
//   rstop      how a rolling restart stops each broker: controlled-shutdown | crash
// Absent from a link (and from the config) when at their defaults, so the links made before stay
// as they were.
import { catalog as engineCatalog } from '../lib/catalog.js';
import { t, fmtNum } from '../lib/i18n.js';

export const RESTART_DEFAULT = Object.freeze({ restart: null, rebalance: 'auto', sole: null, rstop: 'controlled-shutdown' });
export const RESTART_KEYS = Object.keys(RESTART_DEFAULT);
/** validateScenario's field paths → the page's keys (see url-state.js engineProblem). */
export const RESTART_FIELDS = [
  [/^restart\.after_ms$/, 'restart'], [/^restart\.leader_rebalance$/, 'rebalance'], [/^restart\.rolling_stop$/, 'rstop'],
  [/^cluster\.topics\[0\]\.sole_isr_fraction$/, 'sole'], [/^restart$/, 'restart'],
];
export const ROLLING_STOPS = ['controlled-shutdown', 'crash'];

/** Reads the four keys from `get` into `cfg`; `err(field, key, vars)` reports what is wrong. */
export function parseRestart(get, cfg, err, catalog, { NUM, NEG }) {
  const maxAfter = catalog.restart_limits?.max_after_ms ?? Infinity;
  const r = get('restart');
  if (r != null && r.trim() !== '') {
    if (!(NUM.test(r) || NEG.test(r))) err('restart', 'err.num', { value: r, min: 0, max: fmtMax(maxAfter), unit: t('unitword.ms') });
    else if (Number(r) < 0 || Number(r) > maxAfter) err('restart', 'err.param_range', { value: r, min: 0, max: fmtMax(maxAfter), unit: t('unitword.ms') });
    else cfg.restart = Number(r);
  }
  const rb = get('rebalance');
  const rebalances = catalog.leader_rebalance ?? ['auto', 'immediate', 'off'];
  if (rb != null && rb !== '') {
    if (rebalances.includes(rb)) { if (rb !== RESTART_DEFAULT.rebalance) cfg.rebalance = rb; }
    else err('rebalance', 'err.choice', { value: rb, allowed: rebalances.join(', ') });
  }
  const s = get('sole');
  if (s != null && s.trim() !== '') {
    if (!(NUM.test(s) || NEG.test(s))) err('sole', 'err.num', { value: s, min: 0, max: 1, unit: '' });
    else if (Number(s) < 0 || Number(s) > 1) err('sole', 'err.param_range', { value: s, min: 0, max: 1, unit: '' });
    else cfg.sole = Number(s);
  }
  const st = get('rstop');
  if (st != null && st !== '') {
    if (ROLLING_STOPS.includes(st)) { if (st !== RESTART_DEFAULT.rstop) cfg.rstop = st; }
    else err('rstop', 'err.choice', { value: st, allowed: ROLLING_STOPS.join(', ') });
  }
}
const fmtMax = (v) => (Number.isFinite(v) ? fmtNum(v) : '∞');

/** Adds the keys that differ from their defaults to the query `q`. */
export function restartQuery(cfg, q) {
  if (cfg.restart != null) q.set('restart', cfg.restart);
  if (cfg.rebalance && cfg.rebalance !== RESTART_DEFAULT.rebalance) q.set('rebalance', cfg.rebalance);
  if (cfg.sole != null) q.set('sole', cfg.sole);
  if (cfg.rstop && cfg.rstop !== RESTART_DEFAULT.rstop) q.set('rstop', cfg.rstop);
}

/** Whether the scenario's single fault has a return (the restart panel shows only then). */
export const hasRestart = (cfg) => cfg?.restart != null;
/** The event the live Simulation runs: a rolling restart steps its stops as a RollingRestart does. */
export const simEvent = (cfg) => (cfg.event === 'rolling-restart' ? cfg.rstop ?? 'controlled-shutdown' : cfg.event);

/** The engine's scenario `sc` for `event` with the return and the sole-ISR fraction added. */
export function restartScenario(cfg, event, sc) {
  const rolling = event === 'rolling-restart';
  const rebalance = cfg.rebalance ?? RESTART_DEFAULT.rebalance;
  const rstop = cfg.rstop ?? RESTART_DEFAULT.rstop;
  if (cfg.restart != null || (rolling && (rebalance !== RESTART_DEFAULT.rebalance || rstop !== RESTART_DEFAULT.rstop))) {
    const after = cfg.restart ?? engineCatalog().restart_limits.default_rolling_after_ms;
    sc.restart = { after_ms: after, leader_rebalance: rebalance, rolling_stop: rstop };
  }
  if (cfg.sole != null) sc.cluster.topics[0].sole_isr_fraction = cfg.sole;
  return sc;
}
