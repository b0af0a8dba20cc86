// The live procedure: one stepping simulation of the chosen event. Stepping, stepping back,
// playback, seeking (coalesced per frame, behind the busy indicator when slow), the selected
// partition, every view that follows the live time, and the address that records the moment.
import { Simulation } from '../pkg/kafka_election.js';
import { t, getLang, fmtNum } from '../lib/i18n.js';
import { notifyChange } from '../lib/app-api.js';
import { scenarioFor, toQuery, featureQuery, fieldLabel } from '../sharing/url-state.js';
import { state, $, liveRun, liveEnd, nextPaint } from './state.js';
import { showErrors, hideErrors, markInvalid, errorKind, busy } from './errors.js';

const SHOW = 40; // steps listed after a jump (the rest are summarized in one line)
let lastFrame = 0;

export function rebuildLive() {
  state.live?.sim.free();
  state.live = { sim: new Simulation(scenarioFor(state.cfg, state.cfg.event)), last: null, maxChapter: 0 };
  state.views.log.clear(state.profile.mode);
  state.view.t = 0;
}

function consume(fresh, total) {
  const live = state.live;
  for (const s of fresh) if (s.chapter_step > live.maxChapter) live.maxChapter = s.chapter_step;
  if (fresh.length) live.last = fresh[fresh.length - 1];
  const show = fresh.slice(-(state.playing ? 12 : SHOW));
  state.views.log.append(show, total - show.length);
}

/** Forward to `target` ms. */
export function runTo(target) {
  const sim = state.live.sim;
  const before = sim.stepsTaken;
  sim.runUntil(target);
  const n = sim.stepsTaken - before;
  if (n > 0) consume(sim.recentSteps().filter((s) => s.seq >= before), n);
  state.view.t = target;
  renderLive();
}

/**
 * A link's moment when several steps share its instant (or steps were taken at t = 0): every step
 * before `target`, then single steps at `target` until `steps` have been taken.
 */
export function restoreSteps(target, steps) {
  const sim = state.live.sim;
  if (target > 0) sim.runUntil(target - 0.001);
  while (sim.stepsTaken < steps && sim.nextMs != null && sim.nextMs <= target) sim.step();
  const n = sim.stepsTaken;
  if (n > 0) consume(sim.recentSteps(), n);
  state.view.t = target;
  renderLive();
}

/** The view for links: `steps` only when running to t would take a different number of steps. */
export function linkView() {
  const s = state.live?.sim;
  const t = state.view.t;
  const partial = s && (t > 0 ? s.nextMs != null && s.nextMs <= t : s.stepsTaken > 0);
  return { ...state.view, steps: partial ? s.stepsTaken : null };
}

export function seek(target) {
  if (state.applyBusy) return;
  target = Math.max(0, Math.min(Number(target) || 0, state.axisEnd));
  const sim = state.live.sim;
  if (target < sim.nowMs || (target === 0 && sim.stepsTaken > 0)) {
    rebuildLive();
    if (target > 0) runTo(target); else renderLive();
  } else runTo(target);
  writeUrl();
}

/** Roughly how many engine steps a seek to `target` replays (a backward seek starts over). */
export function seekCost(target) {
  const s = liveRun().summary;
  const from = target < state.view.t ? 0 : state.view.t;
  return (s.steps * Math.max(0, target - from)) / Math.max(1, s.end_ms) + (from === 0 ? state.cfg.partitions : 0);
}

/** Runs `fn` now, or behind the busy indicator when it is big enough to be felt. */
export async function maybeBusy(cost, fn) {
  if (cost < 300_000) { fn(); return; }
  busy(true, t('busy.seek'));
  await nextPaint();
  try { fn(); } finally { busy(false); }
}

// Scrubbing and dragging coalesce to one seek per frame; a slow one (a million partitions) runs
// behind the busy indicator and takes only the latest position when it is done.
let pendingSeek = null;
let seeking = false;
export function requestSeek(ms) {
  const first = pendingSeek == null;
  pendingSeek = ms;
  if (!first || seeking) return;
  requestAnimationFrame(async () => {
    seeking = true;
    while (pendingSeek != null) {
      const v = pendingSeek;
      pendingSeek = null;
      await maybeBusy(seekCost(v), () => seek(v));
    }
    seeking = false;
  });
}
/** A seek that should land now (the scrubber's change), unless one is running: then it goes next. */
export function seekNow(ms) {
  if (seeking) { pendingSeek = ms; return; }
  pendingSeek = null;
  maybeBusy(seekCost(ms), () => seek(ms));
}

export function stepOnce() {
  if (state.applyBusy) return;
  pause();
  const s = state.live.sim.step();
  if (!s) { $('sim-time').title = t('live.ended'); return; }
  consume([s], 1);
  state.view.t = state.live.sim.nowMs;
  renderLive();
  writeUrl();
}

/** One step back: rebuild and replay to just before the previous step's time, then step. */
export function stepBack() {
  if (state.applyBusy) return;
  pause();
  const n = state.live.sim.stepsTaken;
  if (n === 0) return;
  maybeBusy(state.cfg.partitions + n, () => replayTo(n));
}
function replayTo(n) {
  const prev = state.live.sim.recentSteps().find((s) => s.seq === n - 2);
  rebuildLive();
  const sim = state.live.sim;
  if (n > 1 && prev) {
    if (prev.time_us > 0) sim.runUntil((prev.time_us - 1) / 1000);
    while (sim.stepsTaken < n - 1 && sim.step());
    consume(sim.recentSteps(), n - 1);
    state.view.t = sim.nowMs;
  }
  renderLive();
  writeUrl();
}

export function restart() {
  if (state.applyBusy) return;
  pause();
  rebuildLive();
  renderLive();
  writeUrl();
}

/**
 * The live event changed (crash ↔ controlled shutdown): the other procedure from its beginning (the
 * same moment would land far into it, with its earlier steps summarised away).
 */
export function switchEvent(ev, setLiveRun) {
  if (!state.cfg || state.applyBusy) return;
  state.cfg.event = ev;
  pause();
  setLiveRun();
  rebuildLive();
  renderLive();
  writeUrl(true);
}

export function play() {
  if (state.applyBusy) return;
  if (state.live.sim.done && state.view.t >= liveEnd()) rebuildLive();
  state.playing = true;
  state.views.controls.setPlaying(true);
  // Playback adds dozens of steps a second: a live region would drown a screen reader in them.
  // The log stays readable; it is announced again once paused (or stepped by hand).
  $('event-log').setAttribute('aria-live', 'off');
  lastFrame = performance.now();
  requestAnimationFrame(frame);
}
export function pause() {
  if (!state.playing) return;
  state.playing = false;
  state.views.controls?.setPlaying(false);
  $('event-log').setAttribute('aria-live', 'polite');
  writeUrl(true);
}
function frame(now) {
  if (!state.playing) return;
  const dt = Math.min(100, Math.max(0, now - lastFrame));
  lastFrame = now;
  const end = liveEnd();
  const target = Math.min(end, Math.round((state.view.t + dt * state.views.controls.factor) * 1000) / 1000);
  runTo(target);
  writeUrl();
  if (target >= end) { pause(); return; }
  requestAnimationFrame(frame);
}

/** Every view that follows the live time. */
export function renderLive() {
  const { views, live } = state;
  const tNow = state.view.t;
  views.controls.setTime(tNow, state.axisEnd);
  views.crash.setTime(tNow);
  views.shutdown.setTime(tNow);
  const cluster = live.sim.cluster();
  views.cluster.render(cluster, live.last);
  $('cluster-text').textContent = views.cluster.text;
  const sel = state.view.sel;
  const p = live.sim.partition(sel);
  const run = liveRun();
  const row = run.sim.partition(sel).row;
  const detail = row != null ? run.sim.rowDetail(row) : null;
  // Before the first step nothing has happened yet, even at t = 0 where the full run has the fault.
  const statesView = live.sim.stepsTaken === 0 ? new Uint8Array(run.rows) : run.sim.rowStates(tNow); // a view: read before any other engine call
  const now = row != null ? statesView[row] : null;
  views.map.draw(statesView);
  const brokerStates = new Map(cluster.brokers.map((b) => [b.id, b.state]));
  views.isr.render({ p, states: brokerStates, detail, now, step: live.last, victim: state.cfg.victim });
  $('map-text').textContent = views.map.describe();
  renderChapter();
  notifyChange();
}

function renderChapter() {
  const crash = state.cfg.event === 'crash';
  const n = crash ? 5 : 6;
  const ol = $('chapter-steps');
  const key = crash ? 'chapter.crash.' : 'chapter.shutdown.';
  if (ol.dataset.key !== key + getLang() || ol.children.length !== n) {
    ol.dataset.key = key + getLang();
    ol.innerHTML = Array.from({ length: n }, (_, i) => `<li data-n="${i + 1}">${t(key + (i + 1))}</li>`).join('');
  }
  const cur = state.live.last?.chapter_step;
  [...ol.children].forEach((li, i) => {
    li.classList.toggle('done', i + 1 <= state.live.maxChapter);
    li.classList.toggle('now', i + 1 === cur);
    if (i + 1 === cur) li.setAttribute('aria-current', 'step'); else li.removeAttribute('aria-current');
  });
  $('chapter-note').textContent = t(state.profile.mode === 'kraft' ? 'chapter.note.kraft' : 'chapter.note');
}

/** Shows one partition in the ISR view; a number outside the topic is refused with a message. */
export function select(raw) {
  if (state.applyBusy) return;
  const v = String(raw).trim();
  const max = state.cfg.partitions - 1;
  if (!/^\d+$/.test(v) || Number(v) > max) {
    const err = () => [t(/^\d+$/.test(v) ? 'err.range' : (v ? 'err.int' : 'err.empty'), { field: fieldLabel('sel'), value: v, min: 0, max: fmtNum(max) })];
    markInvalid([{ field: 'sel' }]);
    showErrors(err, 'err.keep', 'sel');
    return;
  }
  $('isr-partition-input').removeAttribute('aria-invalid');
  if (errorKind() === 'sel') hideErrors();
  state.view.sel = Number(v);
  renderLive();
  writeUrl(true);
}

// ---------------------------------------------------------------- the address

let urlTimer = 0;
let urlLast = 0;
export function writeUrl(now) {
  if (state.urlError || !state.cfg) return;
  const write = () => {
    urlLast = performance.now();
    try { history.replaceState(null, '', toQuery(state.cfg, linkView()) + featureQuery(location.search) + location.hash); } catch { /* a sandboxed frame */ }
  };
  clearTimeout(urlTimer);
  // Browsers throttle replaceState; while playing or scrubbing write at most about once a second.
  if (now || performance.now() - urlLast > 1000) write();
  else urlTimer = setTimeout(write, 300);
}
