// The engine's thread: a module Web Worker that owns every Simulation the page runs (the two full
// runs of the scenario on screen, the live stepping one, scratch runs for the tour and the
// book-vs-code table) and reads scenario files. The page talks to it through engine-client.js:
// { id, op, args } in, { id, ok, value } or { id, ok: false, error } out, and { id, progress }
// while a long request runs. Bulk arrays leave as copies of the wasm views whose ArrayBuffers are
// transferred (no structured-clone copy); everything else is small plain objects. The page also
// sends { wasm } first, the engine it compiled itself, so the wasm is compiled once, not twice.
import init, { Simulation, compareRuns, compare, validateScenario, catalog } from '../pkg/kafka_election.js';
import { rollingOps, rebuildRolling, simEvent } from './rolling-worker.js';
import { loadLocales, setLang, getLang } from '../lib/i18n.js';
import { scenarioFor } from '../sharing/url-state.js';
import { fromScenario, supportLines } from '../sharing/scenario-file.js';

// The browser's number-format data (ICU) loads once per page process, at the first Intl object:
// 15–40 ms of one thread's time. It is paid here, off the page's thread; the page waits for this
// message before it formats its first number (app.js), which then takes 0.1 ms.
for (const l of ['en-US', 'ko-KR']) { new Intl.NumberFormat(l).format(0); new Intl.PluralRules(l).select(0); }
self.postMessage({ intl: true });

let ready = null; // the engine's init(): from the page's compiled module, else fetched here
const engine = (module) => (ready ??= init(module ? { module_or_path: module } : undefined));
let locales = null; // loaded on the first scenario file
let cfg = null; // the applied config (the live event included)
const runs = { crash: null, shutdown: null }; // Simulation handles of the two full runs
let live = null; // the stepping Simulation
let sel = 0; // the partition the ISR view shows

const liveKey = () => (simEvent(cfg) === 'crash' ? 'crash' : 'shutdown');

function fullRun(c, event) {
  const sim = new Simulation(scenarioFor(c, event));
  try {
    const summary = sim.run();
    const rows = sim.rowCount;
    const lastDetail = rows ? sim.rowDetail(rows - 1) : null;
    const partitions = sim.rowPartitions().slice(); // a copy of the view; its buffer is transferred
    return { sim, info: { summary, rows, lastDetail, partitions, profile: sim.profile(), restart: sim.restart() } };
  } catch (e) { sim.free(); throw e; }
}

function rebuild() {
  live?.free();
  live = new Simulation(scenarioFor(cfg, simEvent(cfg)));
  rebuildRolling(cfg); // a rolling restart steps in its own RollingRestart (rolling-worker.js)
}

/** Forward to `target` ms: the steps taken (as the page's event log wants them) and their count. */
function runTo(target) {
  const before = live.stepsTaken;
  live.runUntil(target);
  const n = live.stepsTaken - before;
  return { fresh: n > 0 ? live.recentSteps().filter((s) => s.seq >= before) : [], total: n, t: target };
}

/** A link's moment when several steps share its instant (see app/live.js). */
function restoreSteps(target, steps) {
  if (target > 0) live.runUntil(target - 0.001);
  while (live.stepsTaken < steps && live.nextMs != null && live.nextMs <= target) live.step();
  const n = live.stepsTaken;
  return { fresh: n > 0 ? live.recentSteps() : [], total: n, t: target };
}

// The ISR a partition had when the live run started, for the event log's "ISR before" an
// election (views/event-log.js): read from a scratch run of the live scenario that is never
// stepped, kept until the scenario or the live event changes. Above REGISTRATION_MAX partitions
// it would be a second large simulation: left out, and the log names only the new ISR.
const REGISTRATION_MAX = 200_000;
let start = { key: null, sim: null };
function isrAtStart(partition) {
  const scenario = cfg.partitions > REGISTRATION_MAX ? null : scenarioFor(cfg, cfg.event);
  const key = scenario && JSON.stringify(scenario);
  if (start.key !== key) {
    start.sim?.free();
    start = { key, sim: scenario && new Simulation(scenario) };
  }
  return start.sim?.partition(partition).isr ?? null;
}
/** Each election step the page is sent carries `isr_before` (see isrAtStart). */
function withIsrBefore(steps) {
  for (const s of steps) if (s.kind === 'leaders_elected' && s.partition != null) s.isr_before = isrAtStart(s.partition);
  return steps;
}

/** What the page draws for the live moment: one reply, the partition-map states transferred. */
function snapshot(move, t) {
  withIsrBefore(move.fresh ?? []);
  const run = runs[liveKey()];
  const cluster = live.cluster();
  const p = live.partition(sel);
  const row = run.partition(sel).row;
  const detail = row != null ? run.rowDetail(row) : null;
  // Before the first step nothing has happened yet, even at t = 0 where the full run has the fault.
  const states = live.stepsTaken === 0 ? new Uint8Array(run.rowCount) : run.rowStates(t).slice();
  const value = {
    ...move, t, sel, cluster, p, row, detail, states,
    stepsTaken: live.stepsTaken, nowMs: live.nowMs, nextMs: live.nextMs, done: live.done,
  };
  return { value, transfer: [states.buffer] };
}

const ops = {
  ...rollingOps,
  /** Both full runs of `c`, their comparison, then the live run at the view's moment. */
  apply({ cfg: c, view }, progress) {
    progress(0, 3);
    const crash = fullRun(c, 'crash');
    let shutdown;
    progress(1, 3);
    try { shutdown = fullRun(c, 'controlled-shutdown'); } catch (e) { crash.sim.free(); throw Object.assign(e, { event: 'controlled-shutdown' }); }
    progress(2, 3);
    const comparison = compareRuns(crash.sim, shutdown.sim);
    runs.crash?.free();
    runs.shutdown?.free();
    runs.crash = crash.sim;
    runs.shutdown = shutdown.sim;
    cfg = { ...c, params: { ...c.params } };
    const axisEnd = Math.max(crash.info.summary.end_ms, shutdown.info.summary.end_ms, 1);
    sel = view.sel >= c.partitions ? 0 : view.sel;
    rebuild();
    const target = Math.min(view.t, axisEnd);
    let move = { fresh: [], total: 0, t: 0 };
    if (view.steps != null) move = restoreSteps(target, view.steps);
    else if (target > 0) move = runTo(target);
    const snap = snapshot({ ...move, reset: true }, move.t);
    progress(3, 3);
    return {
      value: { crash: crash.info, shutdown: shutdown.info, comparison, live: snap.value },
      transfer: [crash.info.partitions.buffer, shutdown.info.partitions.buffer, ...snap.transfer],
    };
  },
  seek({ target }) {
    if (target < live.nowMs || (target === 0 && live.stepsTaken > 0)) {
      rebuild();
      const move = target > 0 ? runTo(target) : { fresh: [], total: 0, t: 0 };
      return snapshot({ ...move, reset: true }, move.t);
    }
    const move = runTo(target);
    return snapshot(move, move.t);
  },
  step() {
    const s = live.step();
    if (!s) return { value: { ended: true } };
    return snapshot({ fresh: [s], total: 1 }, live.nowMs);
  },
  /** One step back: rebuild and replay to just before the previous step's time, then step. */
  stepBack() {
    const n = live.stepsTaken;
    if (n === 0) return { value: { none: true } };
    const prev = live.recentSteps().find((s) => s.seq === n - 2);
    rebuild();
    let move = { fresh: [], total: 0, t: 0, reset: true };
    if (n > 1 && prev) {
      if (prev.time_us > 0) live.runUntil((prev.time_us - 1) / 1000);
      while (live.stepsTaken < n - 1 && live.step());
      move = { fresh: live.recentSteps(), total: n - 1, t: live.nowMs, reset: true };
    }
    return snapshot(move, move.t);
  },
  restart() { rebuild(); return snapshot({ fresh: [], total: 0, reset: true }, 0); },
  switchEvent({ event, target }) {
    cfg.event = event;
    rebuild();
    const move = target > 0 ? runTo(target) : { fresh: [], total: 0, t: 0 };
    return snapshot({ ...move, reset: true }, move.t);
  },
  select({ sel: s, t }) { sel = s; return snapshot({ fresh: [], total: 0 }, t); },
  /** The timeline's bitmap (see timeline.rs), its pixels transferred. */
  paint({ key, width, height, end, log, palette }) {
    const img = runs[key].paintTimeline(width, height, end, log, palette);
    const data = new Uint8ClampedArray(img.data); // ImageData's buffer is ours to transfer
    return { value: { width, height, data }, transfer: [data.buffer] };
  },
  rowDetail({ key, row }) { return { value: runs[key].rowDetail(row) }; },
  livePartition({ index }) { return { value: live.partition(index) }; },
  csv({ key }) {
    const bytes = new TextEncoder().encode(runs[key].csv());
    return { value: bytes, transfer: [bytes.buffer] };
  },
  /** A scratch run to the end: its summary. */
  runSummary({ scenario }) {
    const sim = new Simulation(scenario);
    try { return { value: sim.run() }; } finally { sim.free(); }
  },
  /** The chapter's step n in the engine's numbering (see teaching/tour.js). */
  stepsThrough({ scenario, n }) {
    const sim = new Simulation(scenario);
    const steps = [];
    let count = 0;
    try {
      for (let s = sim.step(); s; s = sim.step()) {
        if (s.chapter_step != null && s.chapter_step > n) break;
        steps.push(s);
        if (s.chapter_step === n) count = steps.length;
      }
    } finally { sim.free(); }
    return { value: { count, steps: steps.slice(0, count) } };
  },
  compare({ scenario }) { return { value: compare(scenario) }; },
  /**
   * A scenario file (already size-checked by the page): read, parsed and validated here, with the
   * outcome worded in both languages so a language switch re-words it without reading it again.
   */
  async readScenario({ file, name }) {
    locales ??= loadLocales();
    await locales;
    const text = await file.text();
    const cat = catalog();
    const was = getLang();
    const out = {};
    try {
      for (const lang of ['en', 'ko']) {
        setLang(lang);
        const r = fromScenario(text, cat, validateScenario);
        out[lang] = { ...r, support: r.problems ? supportLines(name, r.cliRuns, cat) : [] };
      }
    } finally { setLang(was); }
    return { value: out };
  },
};

self.onmessage = async (e) => {
  if (e.data.wasm) { engine(e.data.wasm); return; }
  const { id, op, args } = e.data;
  try {
    await engine();
    const fn = ops[op];
    if (!fn) throw new Error(`engine worker: no operation ${op}`);
    const progress = (done, total) => self.postMessage({ id, progress: { done, total } });
    const r = await fn(args ?? {}, progress);
    self.postMessage({ id, ok: true, value: r.value }, r.transfer ?? []);
  } catch (err) {
    self.postMessage({ id, ok: false, error: { message: String(err?.message ?? err), event: err?.event ?? null } });
  }
};
