// The engine worker's side of the rolling restart (event "rolling-restart"): a RollingRestart the
// page steps (its own transport in views/rolling-view.js) and a scratch one run to the end for the
// summary, the order and the samples the rolling view draws. The live Simulation meanwhile runs
// the stop of the first broker (see sharing/restart-state.js simEvent).
import { RollingRestart } from '../pkg/kafka_election.js';
import { scenarioFor } from '../sharing/url-state.js';
export { simEvent } from '../sharing/restart-state.js';

let cfg = null;
let rolling = null; // the stepping roll, when the event is rolling-restart
let built = ''; // the config it was built for: the main transport's rebuilds leave the roll alone

/** After the worker's rebuild(): a roll for a rolling restart (kept while the config is the same), none otherwise. */
export function rebuildRolling(c, force = false) {
  const k = JSON.stringify(c);
  if (!force && k === built && (rolling != null) === (c.event === 'rolling-restart')) return;
  built = k;
  cfg = c;
  rolling?.free();
  rolling = null;
  if (c.event === 'rolling-restart') rolling = new RollingRestart(scenarioFor(c, 'rolling-restart'));
}

function where(step) {
  return { step, current: rolling.current(), done: rolling.done, nowMs: rolling.nowMs, summary: rolling.summary() };
}

export const rollingOps = {
  /** A roll of `scenario` run to the end, its summary (an exercise's numbers); nothing kept. */
  rollingSummary({ scenario }) {
    const r = new RollingRestart(scenario);
    try { return { value: r.run() }; } finally { r.free(); }
  },
  /** The whole roll (a scratch run): summary, order, samples [time_ms, broker, urp, unavailable]*. */
  rollingInfo() {
    if (!rolling) return { value: null };
    rebuildRolling(cfg, true);
    const r = new RollingRestart(scenarioFor(cfg, 'rolling-restart'));
    try {
      const summary = r.run();
      const samples = r.samples().slice();
      const value = { summary, order: Array.from(r.order()), samples, live: where(null) };
      return { value, transfer: [samples.buffer] };
    } finally { r.free(); }
  },
  rollingStep() {
    if (!rolling) return { value: null };
    return { value: where(rolling.step()) };
  },
  rollingRun() {
    if (!rolling) return { value: null };
    rolling.run();
    return { value: where(null) };
  },
  rollingReset() {
    if (!rolling) return { value: null };
    rebuildRolling(cfg, true);
    return { value: where(null) };
  },
};
