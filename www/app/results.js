// Applying a scenario: the two full runs (crash, controlled shutdown), the engine's comparison of
// them, and everything drawn from them alone: summaries, ratio, honesty notes, legends, the
// one-broker notice and the book-vs-code table.
import { Simulation, compareRuns, validateScenario } from '../pkg/kafka_election.js';
import { t, fmtNum } from '../lib/i18n.js';
import { duration } from '../lib/format.js';
import { partColors, stateColors, stateOrder, parts } from '../lib/palette.js';
import { stateName } from '../lib/catalog.js';
import { cloneCfg, scenarioFor } from '../sharing/url-state.js';
import { renderSummary, renderRatio } from '../views/summary.js';
import { profileText } from '../views/profile-panel.js';
import { state, $, esc, nextPaint, setReady, liveRun } from './state.js';
import { showErrors, busy, engineError } from './errors.js';
import { fillForm } from './form.js';
import { pause, rebuildLive, restoreSteps, runTo, renderLive, writeUrl } from './live.js';

const BIG = 100_000; // from here a run takes long enough to deserve the busy indicator
const ALT_MAX = 200_000; // the book-vs-code comparison run is skipped above this size

function makeRun(cfg, event) {
  const sim = new Simulation(scenarioFor(cfg, event));
  const summary = sim.run();
  const rows = sim.rowCount;
  // rowDetail on demand (hover, click) instead of copying rowTimes: at a million rows that view
  // is 80 MB of wasm memory.
  return { sim, summary, rows, partitionOfRow: (r) => sim.rowDetail(r).partition, lastDetail: rows ? sim.rowDetail(rows - 1) : null };
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
}

async function applyNow(cfg) {
  const token = ++state.applying;
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
    // A thrown Error carries only a message: the field comes from validateScenario when it knows it.
    const problem = () => validateScenario(scenarioFor(cfg, crash ? 'controlled-shutdown' : 'crash')) ?? { field: '', message: e.message };
    showErrors(() => [engineError(problem()).text], 'err.keep');
    return;
  }
  document.documentElement.dataset.runMs = (performance.now() - t0).toFixed(1);
  const old = [state.runs.crash, state.runs.shutdown];
  state.runs.crash = crash;
  state.runs.shutdown = shutdown;
  state.comparison = compareRuns(crash.sim, shutdown.sim);
  state.cfg = cloneCfg(cfg);
  state.draftParams = Object.fromEntries(Object.entries(cfg.params).map(([k, v]) => [k, String(v)]));
  state.profile = crash.sim.profile();
  state.axisEnd = Math.max(crash.summary.end_ms, shutdown.summary.end_ms, 1);
  if (state.view.sel >= cfg.partitions) state.view.sel = 0;
  const { views } = state;
  views.isr.setRange(cfg.partitions);
  fillForm(state.cfg);
  views.profile.render(state.cfg);
  views.crash.setRun(crash, state.axisEnd);
  views.shutdown.run = shutdown; // no view may keep a run that is about to be freed
  for (const r of old) r?.sim.free();
  await yieldIfBig();
  views.shutdown.setRun(shutdown, state.axisEnd);
  renderResults();
  await yieldIfBig();
  setLiveRun();
  const target = Math.min(state.view.t, state.axisEnd);
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
export function compareModels(token) {
  const el = $('pub-compare');
  if (token !== state.applying || !state.cfg) return;
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
  const sums = { [current]: state.runs.crash.summary, [other]: alt };
  el.innerHTML = `<table class="compare"><caption>${esc(t('pub.compare.h'))}</caption><thead><tr><th></th><th>${esc(t('pub.compare.first'))}</th><th>${esc(t('pub.compare.median'))}</th><th>${esc(t('pub.compare.last'))}</th><th>${esc(t('pub.compare.over'))}</th></tr></thead><tbody>` +
    row('per_partition', sums.per_partition) + row('per_batch', sums.per_batch) + `</tbody></table><p class="hint">${esc(t('pub.compare.on_screen'))}</p>`;
}

/** The timeline's and the partition map's legends: the engine's parts and states, named. */
export function renderLegends() {
  const pc = partColors();
  const ps = parts();
  const items = ps.map((p, i) => `<li><span class="sw" style="background:${pc[i]}"></span>${t('part.' + p)}</li>`);
  items.push(`<li><span class="sw" style="background:${pc[ps.length]}"></span>${t('part.no_leader')}</li>`);
  items.push(`<li><span class="sw" style="background:${pc[ps.length + 1]}"></span>${t('part.served_waiting')}</li>`);
  $('tl-legend').innerHTML = items.join('');
  const sc = stateColors();
  $('map-legend').innerHTML = stateOrder().map((s) => `<li><span class="sw" style="background:${sc[s]}"></span>${t('map.state.' + stateName(s))}</li>`).join('');
}
