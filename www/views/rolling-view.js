// The rolling restart (event "rolling-restart", docs/model.md "Rolling restart"): the brokers in
// the order they restart (the controller last), each turn's stop, serving again and back in every
// ISR, the roll's figures, a chart of under-replicated and unavailable partitions over time
// (RollingRestart.samples()), and its own transport: step, run to the end, start again, on the
// RollingRestart the engine worker keeps (engine/rolling-worker.js). Every number is the engine's.
import { t, fmtNum, onLang } from '../lib/i18n.js';
import { duration } from '../lib/format.js';
import { PART_HEX } from '../lib/palette.js';
import { onChange } from '../lib/app-api.js';
import { call } from '../engine/engine-client.js';
import { narrate } from './event-log.js';
import { state, $, esc } from '../app/state.js';

const SVG = 'http://www.w3.org/2000/svg';
const KEEP = 100;
let info = null; // { summary, order, samples, live }
let live = null; // the worker's stepping roll: { step, current, done, nowMs, summary }
let steps = [];
let key = '';
let loading = null;

const FIGS = [
  ['rolling_restart_ms', 'ms'], ['unavailable_partition_seconds', 'ps'], ['under_replicated_partition_seconds', 'ps'],
  ['partitions_over_delivery_timeout', 'n'], ['leadership_balanced_ms', 'ms'],
];
const fig = (v, unit) => (v == null ? '—' : unit === 'ms' ? duration(v) : unit === 'ps' ? fmtNum(v, 1) : fmtNum(v));

function build(root) {
  root.innerHTML = `<h3 data-i18n="rr.h">${esc(t('rr.h'))}</h3>
  <p class="hint" id="rr-hint"></p>
  <div class="buttons" role="group" data-i18n-aria="rr.h" aria-label="${esc(t('rr.h'))}">
    <button type="button" class="btn" data-testid="rr-step" id="rr-step" data-i18n="rr.step">${esc(t('rr.step'))}</button>
    <button type="button" class="btn" data-testid="rr-run" id="rr-run" data-i18n="rr.run">${esc(t('rr.run'))}</button>
    <button type="button" class="btn" data-testid="rr-reset" id="rr-reset" data-i18n="rr.reset">${esc(t('rr.reset'))}</button>
  </div>
  <p class="rr-status" data-testid="rr-status" id="rr-status" aria-live="polite"></p>
  <div class="table-wrap" id="rr-table"></div>
  <dl class="kv" data-testid="rr-figures" id="rr-figures"></dl>
  <figure class="rr-chart"><svg id="rr-chart" data-testid="rr-chart" role="img" viewBox="0 0 600 120" preserveAspectRatio="none"></svg>
    <figcaption><ul class="legend small" id="rr-legend"></ul></figcaption></figure>
  <h4 data-i18n="rr.log.h">${esc(t('rr.log.h'))}</h4>
  <ol class="event-log rr-log" data-testid="rr-log" id="rr-log" tabindex="0" aria-live="polite" aria-relevant="additions" data-i18n-aria="rr.log.h" aria-label="${esc(t('rr.log.h'))}"></ol>`;
  $('rr-step').addEventListener('click', () => act('rollingStep'));
  $('rr-run').addEventListener('click', () => act('rollingRun'));
  $('rr-reset').addEventListener('click', () => { steps = []; act('rollingReset'); });
}

async function act(op) {
  if (!info) return;
  const v = await call(op);
  if (!v) return;
  live = v;
  if (v.step) { steps.push(v.step); if (steps.length > KEEP) steps.shift(); }
  root().dataset.stepsTaken = String((Number(root().dataset.stepsTaken) || 0) + (v.step ? 1 : 0));
  if (op === 'rollingReset') root().dataset.stepsTaken = '0';
  render();
}

const root = () => $('rolling-view');

function render() {
  const el = root();
  if (!info) return;
  const s = info.summary;
  const stop = state.cfg.rstop ?? s.rolling_stop;
  $('rr-hint').textContent = t('rr.hint', { stop: t('rs.rstop.' + stop) });
  // The status: the turn now.
  const cur = live?.current;
  let status;
  if (live?.done) status = t('rr.status.done', { time: duration(live.nowMs) });
  else if (!live || (live.nowMs === 0 && !steps.length)) status = t('rr.status.start', { broker: info.order[0] });
  else status = t('rr.status', { time: duration(live.nowMs), broker: cur?.broker ?? '—', urp: fmtNum(cur?.under_replicated ?? 0) });
  $('rr-status').textContent = status;
  el.dataset.done = live?.done ? '1' : '0';
  // Per broker, in the roll's order.
  const doneTurns = new Set((live?.summary?.per_broker ?? []).filter((b) => b.in_sync_ms != null).map((b) => b.broker));
  const head = ['broker', 'stopped', 'serving', 'in_sync', 'led', 'max_down'].map((c) => `<th scope="col">${esc(t('rr.col.' + c))}</th>`).join('');
  const rows = s.per_broker.map((b) => {
    const now = !live?.done && cur?.broker === b.broker && (steps.length > 0);
    const cls = [doneTurns.has(b.broker) && live?.done ? 'done' : '', now ? 'now' : ''].filter(Boolean).join(' ');
    const td = (k, text) => `<td data-testid="rr-${k}-${b.broker}" data-value="${b[k] == null ? '' : esc(b[k])}">${esc(text)}</td>`;
    return `<tr data-testid="rr-row" data-broker="${b.broker}"${cls ? ` class="${cls}"` : ''}${now ? ' aria-current="step"' : ''}>` +
      `<th scope="row">${esc(t('cv.broker', { id: b.broker }))}</th>` +
      td('stopped_ms', duration(b.stopped_ms)) + td('serving_ms', duration(b.serving_ms)) + td('in_sync_ms', duration(b.in_sync_ms)) +
      td('partitions_led', fmtNum(b.partitions_led)) + td('max_downtime_ms', duration(b.max_downtime_ms)) + '</tr>';
  }).join('');
  $('rr-table').innerHTML = `<table class="compare rr-table"><caption>${esc(t('rr.total', { v: duration(s.rolling_restart_ms) }))}</caption><thead><tr>${head}</tr></thead><tbody>${rows}</tbody></table>`;
  const dl = $('rr-figures');
  dl.replaceChildren();
  for (const [k, unit] of FIGS) {
    dl.appendChild(document.createElement('dt')).textContent = t('rr.fig.' + k);
    const dd = dl.appendChild(document.createElement('dd'));
    dd.dataset.testid = 'rr-fig-' + k;
    dd.setAttribute('data-testid', 'rr-fig-' + k);
    dd.dataset.value = s[k] == null ? '' : String(s[k]);
    dd.textContent = fig(s[k], unit);
  }
  drawChart();
  const log = $('rr-log');
  log.replaceChildren(...steps.map((st) => {
    const li = document.createElement('li');
    li.dataset.kind = st.kind;
    const when = li.appendChild(document.createElement('span'));
    when.className = 'when';
    when.textContent = duration(st.time_us / 1000);
    li.appendChild(document.createElement('span')).className = 'n'; // the event log's column for chapter steps
    li.appendChild(document.createElement('span')).textContent = narrate(st, state.profile?.mode ?? 'zookeeper');
    return li;
  }));
  log.scrollTop = log.scrollHeight;
}

function drawChart() {
  const svg = $('rr-chart');
  const d = info.samples;
  const n = Math.floor(d.length / 4);
  const end = Math.max(info.summary.rolling_restart_ms ?? 0, n ? d[(n - 1) * 4] : 0, 1);
  let maxUrp = 0;
  let maxDown = 0;
  for (let i = 0; i < n; i++) { maxUrp = Math.max(maxUrp, d[i * 4 + 2]); maxDown = Math.max(maxDown, d[i * 4 + 3]); }
  const top = Math.max(maxUrp, maxDown, 1);
  const pts = (col) => {
    const out = [];
    for (let i = 0; i < n; i++) out.push(`${(d[i * 4] / end * 600).toFixed(1)},${(115 - d[i * 4 + col] / top * 110).toFixed(1)}`);
    return out.join(' ');
  };
  svg.replaceChildren();
  const line = (col, colour, dash) => {
    const pl = svg.appendChild(document.createElementNS(SVG, 'polyline'));
    pl.setAttribute('points', pts(col));
    pl.setAttribute('fill', 'none');
    pl.setAttribute('stroke', colour);
    pl.setAttribute('stroke-width', '2');
    pl.setAttribute('vector-effect', 'non-scaling-stroke');
    if (dash) pl.setAttribute('stroke-dasharray', '6 4');
  };
  line(2, PART_HEX.detection, false);
  line(3, PART_HEX.election, true);
  svg.setAttribute('aria-label', t('rr.chart') + '. ' + t('rr.chart.aria', { time: duration(end), urp: fmtNum(maxUrp), down: fmtNum(maxDown) }));
  const item = (colour, text) => {
    const li = document.createElement('li');
    const sw = li.appendChild(document.createElement('span'));
    sw.className = 'sw';
    sw.style.background = colour;
    li.append(text);
    return li;
  };
  $('rr-legend').replaceChildren(item(PART_HEX.detection, t('rr.urp')), item(PART_HEX.election, t('rr.unavailable')));
}

async function refresh() {
  const el = root();
  if (!el || !state.cfg) return;
  const on = state.cfg.event === 'rolling-restart';
  el.hidden = !on;
  if (!on) { info = null; live = null; key = ''; steps = []; delete el.dataset.ready; return; }
  const k = `${state.applying}|${JSON.stringify(state.cfg)}`;
  if (k === key) return;
  key = k;
  el.dataset.ready = '0';
  if (!el.firstElementChild) build(el);
  const mine = (loading = call('rollingInfo'));
  let v;
  try { v = await mine; } catch { return; }
  if (mine !== loading || !v) return;
  info = v;
  live = v.live;
  steps = [];
  el.dataset.stepsTaken = '0';
  render();
  el.dataset.ready = '1';
}

export function initRollingView() {
  onChange(() => { refresh(); });
  onLang(() => { if (info) render(); });
  refresh();
}
