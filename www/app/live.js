// The live procedure: one stepping simulation of the chosen event. Stepping, stepping back,
// playback, seeking (coalesced per frame, behind the busy indicator when slow), the selected
// partition, every view that follows the live time, and the address that records the moment.
import { t, getLang, fmtNum } from '../lib/i18n.js';
import { notifyChange } from '../lib/app-api.js';
import { toQuery, featureQuery, fieldLabel } from '../sharing/url-state.js';
import { simEvent } from '../sharing/restart-state.js';
import { call } from '../engine/engine-client.js';
import { state, $, liveRun, liveEnd, nextPaint, setReady, yieldTask } from './state.js';
import { showErrors, hideErrors, markInvalid, errorKind, busy } from './errors.js';

// The live simulation lives in the engine worker (engine/engine-worker.js). Every action is one
// request that moves it and returns what the views draw (the cluster, the selected partition, the
// partition map's states); the page keeps the last reply in state.live (steps taken, the clock,
// the next step's time) for what it needs synchronously. Requests run one after another.

const SHOW = 40; // steps listed after a jump (the rest are summarized in one line)
let lastFrame = 0;
let queue = Promise.resolve();
let queued = 0;

/** The live run starts over (the worker rebuilt it): an empty log, nothing reached yet. */
function resetLive() {
  state.live = { ...state.live, last: null, maxChapter: 0 };
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

/**
 * Takes a worker reply for the live run: the log, the clock, the address if `url` is given
 * (writeUrl(url): true now, false soon), then every view that follows it, the partition map (up to
 * a million partitions to colour) in a task of its own. The address goes before the views:
 * history.replaceState after them would recalculate their styles in the same task. Resolves once
 * everything is drawn.
 */
export async function acceptLive(snap, { url } = {}) {
  if (snap.reset) resetLive();
  if (snap.total > 0) consume(snap.fresh, snap.total);
  Object.assign(state.live, {
    stepsTaken: snap.stepsTaken, nowMs: snap.nowMs, nextMs: snap.nextMs, done: snap.done, snap,
  });
  state.view.t = snap.t;
  if (url !== undefined) writeUrl(url);
  renderLive({ map: false });
  await yieldTask();
  renderMap();
}

/**
 * Runs a live request after those before it. `fn` returns the worker's promise; the reply is
 * dropped if a new scenario was applied meanwhile. The page is not "ready" while any is pending.
 */
function liveOp(fn, after) {
  const token = state.applying;
  queued++;
  setReady(false);
  const run = async () => {
    try {
      if (state.applyBusy || token !== state.applying) return;
      const snap = await fn();
      if (token !== state.applying || !snap) return;
      await after(snap);
    } catch (e) {
      if (!e?.cancelled) console.error(e);
    } finally {
      if (--queued === 0 && !state.applyBusy && $('busy').hidden) setReady(true);
    }
  };
  queue = queue.then(run);
  return queue;
}

/** Forward to `target` ms. */
export const runTo = (target) => liveOp(() => call('seek', { target }), acceptLive);

/** The view for links: `steps` only when running to t would take a different number of steps. */
export function linkView() {
  const s = state.live;
  const t = state.view.t;
  const partial = s && (t > 0 ? s.nextMs != null && s.nextMs <= t : s.stepsTaken > 0);
  return { ...state.view, steps: partial ? s.stepsTaken : null };
}

export function seek(target) {
  if (state.applyBusy) return Promise.resolve();
  target = Math.max(0, Math.min(Number(target) || 0, state.axisEnd));
  return liveOp(() => call('seek', { target }), (snap) => acceptLive(snap, { url: false }));
}

/** Roughly how many engine steps a seek to `target` replays (a backward seek starts over). */
export function seekCost(target) {
  const s = liveRun().summary;
  const from = target < state.view.t ? 0 : state.view.t;
  return (s.steps * Math.max(0, target - from)) / Math.max(1, s.end_ms) + (from === 0 ? state.cfg.partitions : 0);
}

/** Runs `fn` (a promise) behind the busy indicator when it is big enough to be felt. */
export async function maybeBusy(cost, fn) {
  if (cost < 300_000) { await fn(); return; }
  busy(true, t('busy.seek'));
  await nextPaint();
  try { await fn(); } finally { busy(false); if (queued > 0) setReady(false); }
}

// Scrubbing and dragging coalesce: while one seek is in the worker, only the latest position
// waits; a slow one (a million partitions) runs behind the busy indicator.
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
  if (state.applyBusy) return Promise.resolve();
  pause();
  return liveOp(() => call('step'), (snap) => {
    if (snap.ended) { $('sim-time').title = t('live.ended'); return; }
    return acceptLive(snap, { url: false });
  });
}

/** One step back: the worker rebuilds and replays to just before the previous step's time, then steps. */
export function stepBack() {
  if (state.applyBusy) return Promise.resolve();
  pause();
  if (!state.live.stepsTaken) return Promise.resolve();
  return maybeBusy(state.cfg.partitions + state.live.stepsTaken, () => liveOp(() => call('stepBack'), (snap) => {
    if (snap.none) return;
    return acceptLive(snap, { url: false });
  }));
}

export function restart() {
  if (state.applyBusy) return Promise.resolve();
  pause();
  return liveOp(() => call('restart'), (snap) => acceptLive(snap, { url: false }));
}

/**
 * The live event changed (crash ↔ controlled shutdown): the other procedure from its beginning (the
 * same moment would land far into it, with its earlier steps summarised away).
 */
export function switchEvent(ev, setLiveRun) {
  if (!state.cfg || state.applyBusy) return Promise.resolve();
  state.cfg.event = ev;
  pause();
  setLiveRun();
  // From its beginning (target 0), not at the old event's moment.
  return liveOp(() => call('switchEvent', { event: ev, target: 0 }), (snap) => acceptLive(snap, { url: true }));
}

export function play() {
  if (state.applyBusy) return;
  if (state.live.done && state.view.t >= liveEnd()) liveOp(() => call('restart'), acceptLive);
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
let framePending = false;
function frame(now) {
  if (!state.playing) return;
  // One seek in the worker at a time: frames that come while it works add their time to the next.
  if (framePending) { requestAnimationFrame(frame); return; }
  const dt = Math.min(100, Math.max(0, now - lastFrame));
  lastFrame = now;
  const end = liveEnd();
  const target = Math.min(end, Math.round((state.view.t + dt * state.views.controls.factor) * 1000) / 1000);
  framePending = true;
  liveOp(() => call('seek', { target }), (snap) => acceptLive(snap, { url: false })).finally(() => { framePending = false; });
  if (target >= end) { pause(); return; }
  requestAnimationFrame(frame);
}

/** Every view that follows the live time (from the worker's last reply); the map unless `map` is false. */
export function renderLive({ map = true } = {}) {
  const { views, live } = state;
  const snap = live?.snap;
  const tNow = state.view.t;
  views.controls.setTime(tNow, state.axisEnd);
  views.crash.setTime(tNow);
  views.shutdown.setTime(tNow);
  if (!snap) return;
  const { cluster, p, detail } = snap;
  views.cluster.render(cluster, live.last);
  $('cluster-text').textContent = views.cluster.text;
  const now = snap.row != null ? snap.states[snap.row] : null;
  if (map) renderMap();
  const brokerStates = new Map(cluster.brokers.map((b) => [b.id, b.state]));
  views.isr.render({ p, states: brokerStates, detail, now, step: live.last, victim: state.cfg.victim });
  renderChapter();
  notifyChange();
}

/** The partition map at the live moment (the worker's last reply). */
function renderMap() {
  const snap = state.live?.snap;
  if (!snap) return;
  state.views.map.draw(snap.states);
  $('map-text').textContent = state.views.map.describe();
}

function renderChapter() {
  const crash = simEvent(state.cfg) === 'crash';
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
  return liveOp(() => call('select', { sel: Number(v), t: state.view.t }), (snap) => acceptLive(snap, { url: true }));
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
