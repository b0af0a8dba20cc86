// Applying a scenario: the two full runs (crash, controlled shutdown), the engine's comparison of
// them, and everything drawn from them alone: summaries, ratio, honesty notes, legends, the
// one-broker notice and the book-vs-code table.
import { validateScenario } from '../pkg/kafka_election.js';
import { call, cancel } from '../engine/engine-client.js';
import { t, fmtNum } from '../lib/i18n.js';
import { duration } from '../lib/format.js';
import { partColors, stateColors, stateOrder, paintedParts } from '../lib/palette.js';
import { renderRestartPanel } from '../views/restart-view.js';
import { hasRestart } from '../sharing/restart-state.js';
import { stateName } from '../lib/catalog.js';
import { DEFAULT, cloneCfg, scenarioFor } from '../sharing/url-state.js';
import { renderSummary, renderRatio } from '../views/summary.js';
import { profileText } from '../views/profile-panel.js';
import { state, $, esc, nextPaint, setReady, liveRun, yieldFrame } from './state.js';
import { showErrors, busy, engineError, progress } from './errors.js';
import { fillForm } from './form.js';
import { pause, acceptLive } from './live.js';

const BIG = 100_000; // from here a run takes long enough to deserve the busy indicator
const ALT_MAX = 200_000; // the book-vs-code comparison run is skipped above this size

/**
 * A full run as the page keeps it (the Simulation stays in the engine worker): its summary, row
 * count, profile, last row's detail and each row's partition (a transferred copy), and the key the
 * worker knows it by for paints, tooltips and CSV.
 */
function runOf(key, info) {
  const parts = info.partitions;
  return { key, summary: info.summary, rows: info.rows, profile: info.profile, lastDetail: info.lastDetail, partitionOfRow: (r) => parts[r], restart: info.restart };
}

let applyQueue = null;

/** Applies a valid config; calls made meanwhile collapse into one run of the latest config. */
export async function apply(cfg) {
  applyQueue = cfg;
  if (state.applyBusy) return;
  state.applyBusy = true;
  try {
    while (applyQueue) { const c = applyQueue; applyQueue = null; await applyNow(c); }
  } finally { state.applyBusy = false; }
  const f = afterRestore;
  afterRestore = null;
  f?.();
}
let afterRestore = null; // after a cancel: puts the user's input back once the restore has run

/** The Cancel button of the progress bar: stops the run in the worker (see applyNow). */
export function cancelRun() { cancel(); }

async function applyNow(cfg) {
  const token = ++state.applying;
  pause();
  setReady(false);
  const big = cfg.partitions >= BIG;
  // Big runs show a progress bar with a Cancel button; the page stays responsive meanwhile.
  if (big) { busy(true, t('busy.run', { n: fmtNum(cfg.partitions) }), { cancel: cancelRun }); await nextPaint(); }
  const t0 = performance.now();
  let res;
  try {
    res = await call('apply', { cfg, view: { t: state.view.t, sel: state.view.sel, steps: state.view.steps } },
      { onProgress: big ? (p) => progress(p.done, p.total) : null });
  } catch (e) {
    busy(false);
    if (e.cancelled) { cancelled(cfg); return; }
    // A thrown Error carries only a message: the field comes from validateScenario when it knows it.
    const problem = () => validateScenario(scenarioFor(cfg, e.event ?? 'crash')) ?? { field: '', message: e.message };
    showErrors(() => [engineError(problem()).text], 'err.keep');
    return;
  }
  document.documentElement.dataset.runMs = (performance.now() - t0).toFixed(1);
  state.runs.crash = runOf('crash', res.crash);
  state.runs.shutdown = runOf('shutdown', res.shutdown);
  state.comparison = res.comparison;
  state.cfg = cloneCfg(cfg);
  state.draftParams = Object.fromEntries(Object.entries(cfg.params).map(([k, v]) => [k, String(v)]));
  state.profile = res.crash.profile;
  state.axisEnd = Math.max(res.crash.summary.end_ms, res.shutdown.summary.end_ms, 1);
  if (state.view.sel >= cfg.partitions) state.view.sel = 0;
  state.view.steps = null; // a link's exact moment, applied once
  const { views } = state;
  // Drawn in a few parts, each laid out in a frame of its own (yieldFrame), so that a big change
  // is never one long task.
  views.isr.setRange(cfg.partitions);
  fillForm(state.cfg);
  views.profile.render(state.cfg);
  views.crash.setRun(state.runs.crash, state.axisEnd);
  views.shutdown.setRun(state.runs.shutdown, state.axisEnd);
  await yieldFrame();
  renderResults();
  await yieldFrame();
  setLiveRun();
  await yieldFrame();
  state.live = { last: null, maxChapter: 0 };
  await acceptLive(res.live, { url: true });
  busy(false);
  setReady(true);
  setTimeout(() => compareModels(token), 0);
}

/**
 * The run was cancelled: the worker was restarted and holds nothing, so the scenario shown before
 * runs again (the default when there was none); what the user asked for stays in the form and the
 * banner says what happened.
 */
function cancelled(cfg) {
  const prev = state.cfg ? cloneCfg(state.cfg) : null;
  const asked = cloneCfg(cfg);
  const draft = { ...state.draftParams };
  if (!prev) state.urlError = true; // the link that was cancelled stays in the address
  applyQueue = prev ?? cloneCfg(DEFAULT);
  const keep = () => {
    fillForm(asked);
    state.draftParams = Object.fromEntries(Object.entries(asked.params).map(([k, v]) => [k, String(v)]));
    if (Object.keys(draft).length) Object.assign(state.draftParams, draft);
    showErrors(() => [t('worker.cancelled', { n: fmtNum(asked.partitions) })], 'worker.cancelled.kept', 'cancel');
  };
  afterRestore = keep; // apply's loop runs applyQueue next, then this
}

/** The partition map follows the live event's run. */
export function setLiveRun() {
  const run = liveRun();
  const map = state.views.map;
  map.setRows(run.rows, run.partitionOfRow);
  $('map-hint').textContent = t('map.hint', { n: fmtNum(run.rows), group: fmtNum(map.group) }) +
    (map.group > 1 ? ' ' + t('map.hint.group', { group: fmtNum(map.group) }) : '');
}

/** Everything that depends only on the two full runs and the language. */
export function renderResults() {
  const c = state.runs.crash.summary;
  const s = state.runs.shutdown.summary;
  renderSummary(document.querySelector('[data-testid=summary-crash]'), 'crash', c);
  renderSummary(document.querySelector('[data-testid=summary-shutdown]'), 'shutdown', s);
  renderRatio($('downtime-ratio'), state.comparison);
  state.views.crash.describe(state.cfg.victim);
  state.views.shutdown.describe(state.cfg.victim);
  const p = state.profile.parameters;
  const kraft = state.profile.mode === 'kraft';
  const notes = [];
  if (!kraft) notes.push(t('honest.crash.' + p.crash_publication));
  notes.push(t('honest.shutdown.' + p.shutdown_unavailability));
  notes.push(t(kraft ? 'honest.kraft' : 'honest.estimates'));
  // An embedded view has no profile card: the note names the model its numbers come from.
  const model = t('honest.profile', { title: profileText(state.profile, 'title'), summary: profileText(state.profile, 'summary') });
  $('honesty-note').innerHTML = `<span class="embed-only">${esc(model)} </span>${esc(notes.join(' '))}`;
  renderSingleBroker();
  renderRestartPanel();
  renderLegends();
}

/**
 * One broker: it is also the controller, so the fault leaves no broker to lead its partitions or
 * to take over as controller. Said beside the cluster view; the counts are the engine's.
 */
function renderSingleBroker() {
  const el = $('single-broker');
  const one = state.cfg.brokers === 1;
  el.hidden = !one;
  if (!one) { el.textContent = ''; return; }
  const c = state.runs.crash.summary;
  el.textContent = t('cluster.single', { broker: c.controller, n: fmtNum(c.partitions_without_leader) });
}

/** The book's one-by-one publication beside Kafka's batch, on the same cluster (crash only). */
let altCache = { token: -1, summary: null };
export async function compareModels(token) {
  const el = $('pub-compare');
  if (token !== state.applying || !state.cfg) return;
  if (state.profile.mode === 'kraft') { el.textContent = ''; return; }
  if (state.cfg.partitions > ALT_MAX) { el.textContent = t('pub.compare.skipped', { n: fmtNum(ALT_MAX) }); return; }
  const current = state.profile.parameters.crash_publication;
  const other = current === 'per_partition' ? 'per_batch' : 'per_partition';
  let alt = altCache.token === token ? altCache.summary : null;
  if (!alt) {
    try {
      alt = await call('runSummary', { scenario: scenarioFor({ ...state.cfg, params: { ...state.cfg.params, crash_publication: other } }, 'crash') });
      if (token !== state.applying) return;
      altCache = { token, summary: alt };
    } catch { if (token === state.applying) el.textContent = ''; return; }
  }
  // A small table: the two models side by side, the one on screen marked.
  const cell = (v) => `<td>${esc(v)}</td>`;
  const row = (model, s) => `<tr${model === current ? ' class="on"' : ''}><th scope="row">${esc(t('pub.short.' + model))}${model === current ? ' ●' : ''}</th>` +
    cell(duration(s.first_partition_downtime_ms)) + cell(duration(s.median_downtime_ms)) + cell(duration(s.last_partition_downtime_ms)) +
    cell(fmtNum(s.partitions_over_delivery_timeout)) + '</tr>';
  const sums = { [current]: state.runs.crash.summary, [other]: alt };
  el.innerHTML = `<table class="compare"><caption>${esc(t('pub.compare.h'))}</caption><thead><tr><th></th><th>${esc(t('pub.compare.first'))}</th><th>${esc(t('pub.compare.median'))}</th><th>${esc(t('pub.compare.last'))}</th><th>${esc(t('pub.compare.over'))}</th></tr></thead><tbody>` +
    row('per_partition', sums.per_partition) + row('per_batch', sums.per_batch) + `</tbody></table><p class="hint">${esc(t('pub.compare.on_screen'))}</p>`;
}

/** The timeline's and the partition map's legends: the engine's parts and states, named. */
export function renderLegends() {
  // Swatches coloured through the CSSOM: the page's Content-Security-Policy blocks style="" in markup.
  const item = (colour, text) => {
    const li = document.createElement('li');
    const sw = li.appendChild(document.createElement('span'));
    sw.className = 'sw';
    sw.style.background = colour;
    li.append(text);
    return li;
  };
  const pc = partColors();
  const ps = paintedParts();
  const items = ps.map((p, i) => item(pc[i], t('part.' + p)));
  items.push(item(pc[ps.length], t(hasRestart(state.cfg) ? 'part.no_leader.restart' : 'part.no_leader')));
  items.push(item(pc[ps.length + 1], t('part.served_waiting')));
  $('tl-legend').replaceChildren(...items);
  const sc = stateColors();
  $('map-legend').replaceChildren(...stateOrder().map((s) => item(sc[s], t('map.state.' + stateName(s)))));
}
