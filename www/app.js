// The page: loads the engine and the strings, reads the link, runs the two full timelines and the
// live stepping simulation, and keeps every view in step with them. Rust computes, JS draws.
import init, { Simulation, profiles, elect, validateScenario } from './pkg/kafka_election.js';
import { loadLocales, setLang, getLang, preferredLang, t, has, onLang, fmtNum } from './i18n.js';
import { duration } from './format.js';
import { DEFAULT, cloneCfg, scenarioFor, parseConfig, readLink, toQuery, fieldLabel, featureQuery } from './url-state.js';
import { Timeline } from './timeline.js';
import { renderSummary, renderRatio } from './summary.js';
import { ClusterView } from './cluster-view.js';
import { IsrView } from './isr-view.js';
import { PartitionMap } from './partition-map.js';
import { EventLog } from './event-log.js';
import { Controls, renderHelp } from './controls.js';
import { RuleExplorer } from './rule-explorer.js';
import { ProfilePanel, profileText } from './profile-panel.js';
import { PARTS, partColors, stateColors, STATE_ORDER, onScheme } from './palette.js';
import { api, notifyChange } from './app-api.js';
import { initShare } from './share.js';
import { initTeach } from './teach.js';

const $ = (id) => document.getElementById(id);
const BIG = 100_000; // from here a run takes long enough to deserve the busy indicator
const ALT_MAX = 200_000; // the book-vs-code comparison run is skipped above this size
const SHOW = 40; // steps listed after a jump (the rest are summarized in one line)

const state = { cfg: null, view: { lang: 'en', log: false, t: 0, sel: 0, steps: null }, urlError: false, profile: null };
const runs = { crash: null, shutdown: null };
let live = null; // { sim, last, maxChapter }
let axisEnd = 1;
let playing = false;
let lastFrame = 0;
let catalog;
let draftParams = {};
let errorSource = null; // () => [text]: regenerates the banner's messages in the current language
let errorKind = null; // what raised the banner: url, form, sel
let views;

const liveKey = () => (state.cfg.event === 'crash' ? 'crash' : 'shutdown');
const liveRun = () => runs[liveKey()];
const liveEnd = () => liveRun().summary.end_ms;
const nextPaint = () => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));

// ---------------------------------------------------------------- errors and busy

function showErrors(source, fallbackKey, kind = 'form') {
  errorSource = source;
  errorKind = kind;
  const texts = source();
  if (!texts.length) { hideErrors(); return; }
  $('error-list').innerHTML = '';
  for (const text of texts) $('error-list').appendChild(document.createElement('li')).textContent = text;
  $('error-fallback').textContent = fallbackKey ? t(fallbackKey) : '';
  $('error-fallback').dataset.key = fallbackKey ?? '';
  $('error-banner').hidden = false;
}
function hideErrors() {
  errorSource = null;
  errorKind = null;
  invalid = [];
  $('error-banner').hidden = true;
  for (const el of document.querySelectorAll('[aria-invalid=true]')) el.removeAttribute('aria-invalid');
}
const FIELD_EL = {
  partitions: 'partitions-input', brokers: 'brokers-input', rf: 'rf-input', victim: 'victim-input', controller: 'controller-input',
  vic: 'victim-controller-input', unclean: 'unclean-input', profile: 'profile-select', layout: 'layout-select', event: 'live-event-select',
  sel: 'isr-partition-input', crash_publication: 'publication-select',
};
let invalid = []; // the fields markInvalid last flagged: re-flagged when a re-render replaces them
function markInvalid(errors) {
  invalid = errors;
  for (const el of document.querySelectorAll('[aria-invalid=true]')) el.removeAttribute('aria-invalid');
  for (const e of errors) {
    const el = FIELD_EL[e.field] ? $(FIELD_EL[e.field]) : document.querySelector(`[data-param="${e.field}"]`);
    el?.setAttribute('aria-invalid', 'true');
    if (!FIELD_EL[e.field] && el) $('params').open = true;
  }
}
function busy(on, text) {
  $('busy').hidden = !on;
  $('busy-text').textContent = text ?? '';
  setReady(!on);
}
/** <html data-ready="1"> when the page is idle and every view shows the current scenario. */
const setReady = (on) => { document.documentElement.dataset.ready = on ? '1' : '0'; };

// ---------------------------------------------------------------- the form

const formGet = (k) => {
  switch (k) {
    case 'profile': return $('profile-select').value;
    case 'event': return $('live-event-select').value;
    case 'partitions': return $('partitions-input').value;
    case 'brokers': return $('brokers-input').value;
    case 'rf': return $('rf-input').value;
    case 'victim': return $('victim-input').value;
    case 'controller': return $('controller-input').value;
    case 'layout': return $('layout-select').value;
    case 'vic': return $('victim-controller-input').checked ? '1' : '0';
    case 'unclean': return $('unclean-input').checked ? '1' : '0';
    default: return draftParams[k] ?? null;
  }
};

function fillForm(cfg, raw) {
  const get = raw ?? ((k) => String(cfg[k]));
  const set = (id, k) => { const v = get(k); if (v != null) $(id).value = v; };
  set('partitions-input', 'partitions');
  set('brokers-input', 'brokers');
  set('rf-input', 'rf');
  set('victim-input', 'victim');
  set('controller-input', 'controller');
  $('profile-select').value = cfg.profile;
  $('layout-select').value = cfg.layout;
  $('live-event-select').value = cfg.event;
  $('victim-controller-input').checked = cfg.vic;
  $('unclean-input').checked = cfg.unclean;
  updateMax();
  for (const chip of document.querySelectorAll('[data-partitions]')) chip.setAttribute('aria-pressed', String(Number(chip.dataset.partitions) === cfg.partitions));
}

/** Broker-numbered fields allow up to the broker count being typed. */
function updateMax() {
  const n = Number($('brokers-input').value);
  const max = Number.isInteger(n) && n > 0 && n <= 64 ? n : 64;
  for (const id of ['rf-input', 'victim-input', 'controller-input']) $(id).title = t('field.range', { min: 1, max });
  $('partitions-input').title = t('field.range', { min: 1, max: fmtNum(1_000_000) });
  $('brokers-input').title = t('field.range', { min: 1, max: 64 });
}

/** Reads the whole form; applies it when valid, else shows what is wrong and keeps the input. */
function submitForm() {
  const check = () => {
    const { cfg, errors } = parseConfig(formGet, catalog);
    if (errors.length) return { cfg, errors };
    const msg = validateScenario(scenarioFor(cfg, 'crash')) ?? validateScenario(scenarioFor(cfg, 'controlled-shutdown'));
    return { cfg, errors: msg ? [{ field: '', text: t('err.engine', { msg }) }] : [] };
  };
  const { cfg, errors } = check();
  markInvalid(errors);
  if (errors.length) { showErrors(() => check().errors.map((e) => e.text), 'err.keep'); return; }
  hideErrors();
  state.urlError = false;
  apply(cfg);
}

// ---------------------------------------------------------------- runs

function makeRun(cfg, event) {
  const sim = new Simulation(scenarioFor(cfg, event));
  const summary = sim.run();
  const rows = sim.rowCount;
  // rowDetail on demand (hover, click) instead of copying rowTimes: at a million rows that view
  // is 80 MB of wasm memory.
  return { sim, summary, rows, partitionOfRow: (r) => sim.rowDetail(r).partition, lastDetail: rows ? sim.rowDetail(rows - 1) : null };
}

let applying = 0; // how many scenarios have been applied (a token for deferred work)
let applyBusy = false; // while true, live actions wait: the runs and views are being swapped
let applyQueue = null;

/** Applies a valid config; calls made meanwhile collapse into one run of the latest config. */
async function apply(cfg) {
  applyQueue = cfg;
  if (applyBusy) return;
  applyBusy = true;
  try {
    while (applyQueue) { const c = applyQueue; applyQueue = null; await applyNow(c); }
  } finally { applyBusy = false; }
}

async function applyNow(cfg) {
  const token = ++applying;
  pause();
  setReady(false);
  const big = cfg.partitions >= BIG;
  // Big runs go in several tasks behind the busy indicator, so the page keeps painting.
  const yieldIfBig = () => (big ? nextPaint() : null);
  if (big) busy(true, t('busy.run', { n: fmtNum(cfg.partitions) }));
  await yieldIfBig();
  const t0 = performance.now();
  let crash;
  let shutdown;
  try {
    crash = makeRun(cfg, 'crash');
    await yieldIfBig();
    shutdown = makeRun(cfg, 'controlled-shutdown');
  } catch (e) {
    crash?.sim.free();
    busy(false);
    showErrors(() => [t('err.engine', { msg: e.message })], 'err.keep');
    return;
  }
  document.documentElement.dataset.runMs = (performance.now() - t0).toFixed(1);
  const old = [runs.crash, runs.shutdown];
  runs.crash = crash;
  runs.shutdown = shutdown;
  state.cfg = cloneCfg(cfg);
  draftParams = Object.fromEntries(Object.entries(cfg.params).map(([k, v]) => [k, String(v)]));
  state.profile = crash.sim.profile();
  axisEnd = Math.max(crash.summary.end_ms, shutdown.summary.end_ms, 1);
  if (state.view.sel >= cfg.partitions) state.view.sel = 0;
  views.isr.setRange(cfg.partitions);
  fillForm(state.cfg);
  views.profile.render(state.cfg);
  views.crash.setRun(crash, axisEnd);
  views.shutdown.run = shutdown; // no view may keep a run that is about to be freed
  for (const r of old) r?.sim.free();
  await yieldIfBig();
  views.shutdown.setRun(shutdown, axisEnd);
  renderResults();
  await yieldIfBig();
  setLiveRun();
  const target = Math.min(state.view.t, axisEnd);
  const steps = state.view.steps; // a link's exact moment, applied once
  state.view.steps = null;
  rebuildLive();
  if (steps != null) restoreSteps(target, steps);
  else if (target > 0) runTo(target); else renderLive();
  writeUrl(true);
  busy(false);
  setReady(true);
  setTimeout(() => compareModels(token), 0);
}

function setLiveRun() {
  const run = liveRun();
  views.map.setRows(run.rows, run.partitionOfRow);
  $('map-hint').textContent = t('map.hint', { n: fmtNum(run.rows), group: fmtNum(views.map.group) }) +
    (views.map.group > 1 ? ' ' + t('map.hint.group', { group: fmtNum(views.map.group) }) : '');
}

/** Everything that depends only on the two full runs and the language. */
function renderResults() {
  const c = runs.crash.summary;
  const s = runs.shutdown.summary;
  renderSummary(document.querySelector('[data-testid=summary-crash]'), 'crash', c);
  renderSummary(document.querySelector('[data-testid=summary-shutdown]'), 'shutdown', s);
  renderRatio($('downtime-ratio'), c, s);
  views.crash.describe(state.cfg.victim);
  views.shutdown.describe(state.cfg.victim);
  const p = state.profile.parameters;
  const kraft = state.profile.mode === 'kraft';
  const notes = [];
  if (!kraft) notes.push(t('honest.crash.' + p.crash_publication));
  notes.push(t('honest.shutdown.' + p.shutdown_unavailability));
  notes.push(t(kraft ? 'honest.kraft' : 'honest.estimates'));
  // An embedded view has no profile card: the note names the model its numbers come from.
  const model = t('honest.profile', { title: profileText(state.profile, 'title'), summary: profileText(state.profile, 'summary') });
  $('honesty-note').innerHTML = `<span class="embed-only">${esc(model)} </span>${esc(notes.join(' '))}`;
}

/** The book's one-by-one publication beside Kafka's batch, on the same cluster (crash only). */
let altCache = { token: -1, summary: null };
function compareModels(token) {
  const el = $('pub-compare');
  if (token !== applying || !state.cfg) return;
  if (state.profile.mode === 'kraft') { el.textContent = ''; return; }
  if (state.cfg.partitions > ALT_MAX) { el.textContent = t('pub.compare.skipped', { n: fmtNum(ALT_MAX) }); return; }
  const current = state.profile.parameters.crash_publication;
  const other = current === 'per_partition' ? 'per_batch' : 'per_partition';
  let alt = altCache.token === token ? altCache.summary : null;
  if (!alt) {
    try {
      const sim = new Simulation(scenarioFor({ ...state.cfg, params: { ...state.cfg.params, crash_publication: other } }, 'crash'));
      alt = sim.run();
      sim.free();
      altCache = { token, summary: alt };
    } catch { el.textContent = ''; return; }
  }
  // A small table: the two models side by side, the one on screen marked.
  const cell = (v) => `<td>${esc(v)}</td>`;
  const row = (model, s) => `<tr${model === current ? ' class="on"' : ''}><th scope="row">${esc(t('pub.short.' + model))}${model === current ? ' ●' : ''}</th>` +
    cell(duration(s.first_partition_downtime_ms)) + cell(duration(s.median_downtime_ms)) + cell(duration(s.last_partition_downtime_ms)) +
    cell(fmtNum(s.partitions_over_delivery_timeout)) + '</tr>';
  const sums = { [current]: runs.crash.summary, [other]: alt };
  el.innerHTML = `<table class="compare"><caption>${esc(t('pub.compare.h'))}</caption><thead><tr><th></th><th>${esc(t('pub.compare.first'))}</th><th>${esc(t('pub.compare.median'))}</th><th>${esc(t('pub.compare.last'))}</th><th>${esc(t('pub.compare.over'))}</th></tr></thead><tbody>` +
    row('per_partition', sums.per_partition) + row('per_batch', sums.per_batch) + `</tbody></table><p class="hint">${esc(t('pub.compare.on_screen'))}</p>`;
}
const esc = (s) => String(s).replace(/[&<>]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' }[c]));

// ---------------------------------------------------------------- the live simulation

function rebuildLive() {
  live?.sim.free();
  live = { sim: new Simulation(scenarioFor(state.cfg, state.cfg.event)), last: null, maxChapter: 0 };
  views.log.clear(state.profile.mode);
  state.view.t = 0;
}

function consume(fresh, total) {
  for (const s of fresh) if (s.chapter_step > live.maxChapter) live.maxChapter = s.chapter_step;
  if (fresh.length) live.last = fresh[fresh.length - 1];
  const show = fresh.slice(-(playing ? 12 : SHOW));
  views.log.append(show, total - show.length);
}

/** Forward to `target` ms. */
function runTo(target) {
  const before = live.sim.stepsTaken;
  live.sim.runUntil(target);
  const n = live.sim.stepsTaken - before;
  if (n > 0) consume(live.sim.recentSteps().filter((s) => s.seq >= before), n);
  state.view.t = target;
  renderLive();
}

/**
 * A link's moment when several steps share its instant (or steps were taken at t = 0): every step
 * before `target`, then single steps at `target` until `steps` have been taken.
 */
function restoreSteps(target, steps) {
  if (target > 0) live.sim.runUntil(target - 0.001);
  while (live.sim.stepsTaken < steps && live.sim.nextMs != null && live.sim.nextMs <= target) live.sim.step();
  const n = live.sim.stepsTaken;
  if (n > 0) consume(live.sim.recentSteps(), n);
  state.view.t = target;
  renderLive();
}
/** The view for links: `steps` only when running to t would take a different number of steps. */
function linkView() {
  const s = live?.sim;
  const t = state.view.t;
  const partial = s && (t > 0 ? s.nextMs != null && s.nextMs <= t : s.stepsTaken > 0);
  return { ...state.view, steps: partial ? s.stepsTaken : null };
}

function seek(target) {
  if (applyBusy) return;
  target = Math.max(0, Math.min(Number(target) || 0, axisEnd));
  if (target < live.sim.nowMs || (target === 0 && live.sim.stepsTaken > 0)) {
    rebuildLive();
    if (target > 0) runTo(target); else renderLive();
  } else runTo(target);
  writeUrl();
}
/** Roughly how many engine steps a seek to `target` replays (a backward seek starts over). */
function seekCost(target) {
  const s = liveRun().summary;
  const from = target < state.view.t ? 0 : state.view.t;
  return (s.steps * Math.max(0, target - from)) / Math.max(1, s.end_ms) + (from === 0 ? state.cfg.partitions : 0);
}
/** Runs `fn` now, or behind the busy indicator when it is big enough to be felt. */
async function maybeBusy(cost, fn) {
  if (cost < 300_000) { fn(); return; }
  busy(true, t('busy.seek'));
  await nextPaint();
  try { fn(); } finally { busy(false); }
}
// Scrubbing and dragging coalesce to one seek per frame; a slow one (a million partitions) runs
// behind the busy indicator and takes only the latest position when it is done.
let pendingSeek = null;
let seeking = false;
function requestSeek(ms) {
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

function stepOnce() {
  if (applyBusy) return;
  pause();
  const s = live.sim.step();
  if (!s) { $('sim-time').title = t('live.ended'); return; }
  consume([s], 1);
  state.view.t = live.sim.nowMs;
  renderLive();
  writeUrl();
}

/** One step back: rebuild and replay to just before the previous step's time, then step. */
function stepBack() {
  if (applyBusy) return;
  pause();
  const n = live.sim.stepsTaken;
  if (n === 0) return;
  maybeBusy(state.cfg.partitions + n, () => replayTo(n));
}
function replayTo(n) {
  const prev = live.sim.recentSteps().find((s) => s.seq === n - 2);
  rebuildLive();
  if (n > 1 && prev) {
    if (prev.time_us > 0) live.sim.runUntil((prev.time_us - 1) / 1000);
    while (live.sim.stepsTaken < n - 1 && live.sim.step());
    const recent = live.sim.recentSteps();
    consume(recent, n - 1);
    state.view.t = live.sim.nowMs;
  }
  renderLive();
  writeUrl();
}

function restart() {
  if (applyBusy) return;
  pause();
  rebuildLive();
  renderLive();
  writeUrl();
}

function play() {
  if (applyBusy) return;
  if (live.sim.done && state.view.t >= liveEnd()) { rebuildLive(); }
  playing = true;
  views.controls.setPlaying(true);
  // Playback adds dozens of steps a second: a live region would drown a screen reader in them.
  // The log stays readable; it is announced again once paused (or stepped by hand).
  $('event-log').setAttribute('aria-live', 'off');
  lastFrame = performance.now();
  requestAnimationFrame(frame);
}
function pause() {
  if (!playing) return;
  playing = false;
  views.controls?.setPlaying(false);
  $('event-log').setAttribute('aria-live', 'polite');
  writeUrl(true);
}
function frame(now) {
  if (!playing) return;
  const dt = Math.min(100, Math.max(0, now - lastFrame));
  lastFrame = now;
  const end = liveEnd();
  const target = Math.min(end, Math.round((state.view.t + dt * views.controls.factor) * 1000) / 1000);
  runTo(target);
  writeUrl();
  if (target >= end) { pause(); return; }
  requestAnimationFrame(frame);
}

/** Every view that follows the live time. */
function renderLive() {
  const tNow = state.view.t;
  views.controls.setTime(tNow, axisEnd);
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
  const cur = live.last?.chapter_step;
  [...ol.children].forEach((li, i) => {
    li.classList.toggle('done', i + 1 <= live.maxChapter);
    li.classList.toggle('now', i + 1 === cur);
    if (i + 1 === cur) li.setAttribute('aria-current', 'step'); else li.removeAttribute('aria-current');
  });
  $('chapter-note').textContent = t(state.profile.mode === 'kraft' ? 'chapter.note.kraft' : 'chapter.note');
}

// ---------------------------------------------------------------- URL

let urlTimer = 0;
let urlLast = 0;
function writeUrl(now) {
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

// ---------------------------------------------------------------- selection, legends, language

function select(raw, input) {
  if (applyBusy) return;
  const v = String(raw).trim();
  const max = state.cfg.partitions - 1;
  if (!/^\d+$/.test(v) || Number(v) > max) {
    const err = () => [t(/^\d+$/.test(v) ? 'err.range' : (v ? 'err.int' : 'err.empty'), { field: fieldLabel('sel'), value: v, min: 0, max: fmtNum(max) })];
    markInvalid([{ field: 'sel' }]);
    showErrors(err, 'err.keep', 'sel');
    return;
  }
  $('isr-partition-input').removeAttribute('aria-invalid');
  if (errorKind === 'sel') hideErrors();
  state.view.sel = Number(v);
  renderLive();
  writeUrl(true);
}

function renderLegends() {
  const pc = partColors();
  const parts = PARTS.map((p, i) => `<li><span class="sw" style="background:${pc[i]}"></span>${t('part.' + p)}</li>`);
  parts.push(`<li><span class="sw" style="background:${pc[7]}"></span>${t('part.no_leader')}</li>`);
  parts.push(`<li><span class="sw" style="background:${pc[8]}"></span>${t('part.served_waiting')}</li>`);
  $('tl-legend').innerHTML = parts.join('');
  const sc = stateColors();
  $('map-legend').innerHTML = STATE_ORDER.map((s) => `<li><span class="sw" style="background:${sc[s]}"></span>${t('map.state.' + s)}</li>`).join('');
}

/**
 * The profile panel as the form holds it (the chosen profile, the parameters as typed), not as
 * last applied: re-rendering it (a language switch) must not replace what the user typed.
 */
function renderProfileDraft() {
  views.profile.render({ ...state.cfg, profile: $('profile-select').value || state.cfg.profile, params: { ...draftParams } });
  markInvalid(invalid);
}

function relabel() {
  renderLegends();
  renderHelp();
  views.controls.showSpeed();
  views.controls.setPlaying(playing);
  views.rules.relabel();
  if (!state.cfg || applyBusy) return;
  renderProfileDraft();
  renderResults();
  views.crash.invalidate();
  views.shutdown.invalidate();
  setLiveRun();
  views.log.mode = state.profile.mode;
  views.log.rerender();
  renderLive();
  compareModels(applying);
  if (errorSource) showErrors(errorSource, $('error-fallback').dataset.key || null, errorKind);
}

// ---------------------------------------------------------------- start

async function main() {
  setReady(false);
  await Promise.all([init(), loadLocales()]);
  catalog = profiles();
  const q = new URLSearchParams(location.search);
  setLang(['en', 'ko'].includes(q.get('lang')) ? q.get('lang') : preferredLang());
  state.view.lang = getLang();

  views = {
    crash: new Timeline(document.querySelector('.tl-row[data-event=crash]'), { onSeek: requestSeek, onPick: (p) => select(p) }),
    shutdown: new Timeline(document.querySelector('.tl-row[data-event=shutdown]'), { onSeek: requestSeek, onPick: (p) => select(p) }),
    cluster: new ClusterView($('cluster-view'), { onPick: (id) => { $('victim-input').value = String(id); submitForm(); } }),
    isr: new IsrView($('isr-view'), { onSelect: select }),
    map: new PartitionMap($('partition-map'), { onPick: (row) => select(liveRun().partitionOfRow(row)) }),
    log: new EventLog($('event-log')),
    rules: new RuleExplorer($('rules-form'), elect),
    profile: new ProfilePanel(catalog, {
      onProfile: () => { draftParams = {}; submitForm(); },
      onParam: (name, raw) => {
        const def = catalog.profiles.find((p) => p.name === $('profile-select').value)?.parameters[name];
        if (String(def) === String(raw).trim()) delete draftParams[name]; else draftParams[name] = String(raw);
        submitForm();
      },
      onReset: () => { draftParams = {}; submitForm(); },
    }),
    controls: new Controls({
      onStep: stepOnce, onBack: stepBack, onRestart: restart, onSeek: requestSeek,
      onSeekNow: (ms) => { if (seeking) { pendingSeek = ms; return; } pendingSeek = null; maybeBusy(seekCost(ms), () => seek(ms)); },
      onPlay: () => (playing ? pause() : play()),
      onEvent: (ev) => {
        if (!state.cfg || applyBusy) return;
        state.cfg.event = ev;
        pause();
        setLiveRun();
        const target = Math.min(state.view.t, axisEnd);
        rebuildLive();
        if (target > 0) runTo(target); else renderLive();
        writeUrl(true);
      },
      onLog: (on) => { state.view.log = on; views.crash.setLog(on); views.shutdown.setLog(on); writeUrl(true); },
      onHelp: () => { const d = $('help-dialog'); if (!d.open) d.showModal(); },
    }),
  };

  // The form: selects and checkboxes apply at once, numbers on change (blur or Enter).
  const form = $('cluster-form');
  form.addEventListener('change', () => { updateMax(); submitForm(); });
  form.addEventListener('submit', (e) => { e.preventDefault(); submitForm(); });
  form.addEventListener('keydown', (e) => { if (e.key === 'Enter' && e.target.tagName === 'INPUT') { e.preventDefault(); submitForm(); } });
  for (const chip of document.querySelectorAll('[data-partitions]')) {
    chip.addEventListener('click', () => { $('partitions-input').value = chip.dataset.partitions; submitForm(); });
  }
  $('language-switch').value = getLang();
  $('language-switch').addEventListener('change', (e) => { setLang(e.target.value); state.view.lang = getLang(); writeUrl(true); });
  onLang(() => { $('language-switch').value = getLang(); if (views) relabel(); });
  $('error-close').addEventListener('click', hideErrors);
  onScheme(() => { renderLegends(); views.map.refreshColors(); views.crash.invalidate(); views.shutdown.invalidate(); });
  relabel();

  // The link: a valid one restores the scenario; a malformed one shows why and runs the default.
  const link = readLink(location.search, catalog);
  const unknownText = () => (link.unknown.length ? [t('err.unknown', { keys: link.unknown.join(', ') })] : []);
  state.view.log = link.view.log;
  $('log-scale-input').checked = state.view.log;
  views.crash.log = views.shutdown.log = state.view.log;
  let cfg = link.cfg;
  if (link.errors.length) {
    cfg = cloneCfg(DEFAULT);
    state.urlError = true;
    fillForm(link.cfg, (k) => q.get(k) ?? String(link.cfg[k]));
    markInvalid(link.errors);
    showErrors(() => [...readLink(location.search, catalog).errors.map((e) => e.text), ...unknownText()], 'err.fallback', 'url');
  } else {
    state.view.t = link.view.t;
    state.view.sel = link.view.sel;
    state.view.steps = link.view.steps;
    if (link.unknown.length) showErrors(unknownText, null, 'url');
  }
  await apply(cfg);
  if (state.urlError) {
    // Keep what the link said in the form (apply() filled in the defaults it ran), the
    // parameters included, so the fields flagged as wrong show the link's values.
    fillForm(link.cfg, (k) => q.get(k) ?? String(link.cfg[k]));
    $('live-event-select').value = state.cfg.event; // the live control shows what runs
    draftParams = Object.fromEntries(catalog.parameters.filter((p) => q.has(p.name)).map((p) => [p.name, q.get(p.name)]));
    invalid = link.errors;
    renderProfileDraft();
  }
  exposeApi();
  initShare();
  initTeach();
  setReady(true);
}

/** Fills the registry the feature modules use (see app-api.js). */
function exposeApi() {
  Object.assign(api, {
    cfg: () => cloneCfg(state.cfg),
    view: () => ({ ...state.view }),
    apply: async (cfg, view = {}) => {
      const c = cloneCfg(cfg);
      if (view.event) c.event = view.event;
      if (view.t != null) state.view.t = Number(view.t);
      if (view.sel != null) state.view.sel = Number(view.sel);
      state.view.steps = view.steps ?? null;
      state.urlError = false;
      if (errorKind === 'url') hideErrors();
      await apply(c);
      await api.ready();
    },
    seek: (ms) => seek(ms),
    select: (p) => select(p),
    step: (n = 1) => { for (let i = 0; i < n; i++) stepOnce(); },
    pause,
    runs: () => ({ ...runs }),
    live: () => live,
    link: () => new URL(toQuery(state.cfg, linkView()), location.href).href,
    showError: (textFn) => showErrors(textFn, null, 'feature'),
    hideError: hideErrors,
    ready: () => new Promise((resolve) => {
      const check = () => (document.documentElement.dataset.ready === '1' && !applyBusy ? resolve() : requestAnimationFrame(check));
      check();
    }),
  });
}

main().catch((e) => {
  // Never a blank page: say what failed. Without the locale files (they failed to load) the
  // banner's title falls back to both languages, as index.html's start-up check does.
  console.error(e);
  const b = $('error-banner');
  const known = has('err.start');
  const title = b.querySelector('strong');
  if (!title.textContent) title.textContent = known ? t('err.title') : 'The page could not start · 페이지를 시작하지 못했습니다';
  $('error-list').innerHTML = '';
  $('error-list').appendChild(document.createElement('li')).textContent = known ? t('err.start', { msg: e.message }) : `${e.message}`;
  b.hidden = false;
  busy(false);
});

