// The broker's return (docs/model.md, "After the fault: the broker's return"): the form's restart
// fields, the cluster view's under-replicated count, and the restart panel: the return's phases
// (Simulation.restart()) for the crash and the controlled-shutdown run on the timelines' time
// axis (linear or log, as the timelines), and the summary's `restart` figures side by side.
// Every number is the engine's.
import { t, fmtNum, getLang, onLang } from '../lib/i18n.js';
import { catalog } from '../lib/catalog.js';
import { duration } from '../lib/format.js';
import { PART_HEX } from '../lib/palette.js';
import { onChange } from '../lib/app-api.js';
import { hasRestart } from '../sharing/restart-state.js';
import { state, $, esc } from '../app/state.js';

const SVG = 'http://www.w3.org/2000/svg';

/** The form's restart fields from `cfg` (or from `get(key)`, a link's raw values). */
export function fillRestart(cfg, get) {
  fillRebalance();
  const raw = (k, v) => {
    if (!get) return v == null ? '' : String(v);
    const r = get(k);
    return r == null || r === 'null' ? '' : r;
  };
  $('restart-input').value = raw('restart', cfg.restart);
  $('sole-input').value = raw('sole', cfg.sole);
  $('rebalance-select').value = cfg.rebalance ?? 'auto';
  $('rstop-select').value = cfg.rstop ?? 'controlled-shutdown';
}

function fillRebalance() {
  const sel = $('rebalance-select');
  if (sel.options.length) return;
  for (const v of catalog().leader_rebalance ?? ['auto', 'immediate', 'off']) {
    const o = sel.appendChild(document.createElement('option'));
    o.value = v;
    o.dataset.i18n = 'rs.rebalance.' + v;
    o.textContent = t('rs.rebalance.' + v);
  }
}

// ------------------------------------------------------------------ the phases

const PHASES = [
  // [key, colour, from, to]: ms from the fault, Simulation.restart()'s fields.
  ['delay', PART_HEX.detection, 'down_ms', 'started_ms'],
  ['log', PART_HEX.waiting, 'started_ms', 'logs_ready_ms'],
  ['rejoin', PART_HEX.controller_failover, 'logs_ready_ms', 'serving_ms'],
  ['catch_up', PART_HEX.persistence, 'serving_ms', 'in_sync_ms'],
  ['leadership', PART_HEX.propagation, 'serving_ms', 'balanced_ms'],
];
const phaseName = (key, clean) => t('rs.phase.' + (key === 'log' ? (clean ? 'log_loading' : 'log_recovery') : key));

/** The phases of one run: [{key, name, colour, from, to}] (to null: not reached). */
export function phasesOf(r) {
  if (!r) return [];
  return PHASES.map(([key, colour, a, b]) => ({ key, name: phaseName(key, r.clean), colour, from: r[a], to: r[b] }))
    .filter((p) => p.from != null);
}

const FIGS = [
  ['restart_after_ms', 'ms'], ['log_recovery_ms', 'ms'], ['broker_serving_ms', 'ms'], ['under_replicated_until_ms', 'ms'],
  ['under_replicated_partition_seconds', 'ps'], ['leadership_balanced_ms', 'ms'], ['preferred_leaders_moved', 'n'],
  ['partitions_waiting_for_return', 'n'], ['restart_partition_seconds', 'ps'],
];
function figText(v, unit, r) {
  if (v == null) return unit === 'ms' && r?.leader_rebalance === 'off' ? t('rs.off') : '—';
  if (unit === 'ms') return duration(v);
  if (unit === 'ps') return fmtNum(v, 1);
  return fmtNum(v);
}

let drawnKey = '';

/** The restart panel: shown when the scenario has a restart. */
export function renderRestartPanel() {
  const panel = $('restart-panel');
  if (!panel || !state.cfg || !state.runs.crash) return;
  const on = hasRestart(state.cfg) && !!state.runs.crash.restart;
  panel.hidden = !on;
  if (!on) { drawnKey = ''; return; }
  const key = `${state.applying}|${getLang()}|${state.view.log}|${state.axisEnd}`;
  if (key === drawnKey) return;
  drawnKey = key;
  const end = state.axisEnd;
  const log = state.view.log;
  const x = (ms) => (log ? Math.log1p(Math.max(0, ms)) / Math.log1p(end) : Math.max(0, ms) / end) * 1000;
  const rs = state.runs.crash.summary.restart;
  $('restart-panel-hint').textContent = t('rs.panel.hint', {
    broker: state.cfg.victim, after: duration(rs?.restart_after_ms ?? state.cfg.restart), log: log ? t('rs.panel.hint.log') : '',
  });
  const box = $('restart-phases');
  box.replaceChildren();
  for (const run of ['crash', 'shutdown']) {
    const r = state.runs[run].restart;
    const phases = phasesOf(r);
    const row = box.appendChild(document.createElement('div'));
    row.className = 'rs-row';
    row.dataset.testid = `restart-phases-${run}`;
    row.setAttribute('data-testid', `restart-phases-${run}`);
    const label = row.appendChild(document.createElement('span'));
    label.className = 'rs-label';
    label.textContent = t('rs.row.' + run);
    const svg = row.appendChild(document.createElementNS(SVG, 'svg'));
    svg.setAttribute('viewBox', '0 0 1000 30');
    svg.setAttribute('preserveAspectRatio', 'none');
    svg.setAttribute('class', 'rs-bar');
    svg.setAttribute('role', 'img');
    const spans = phases.map((p) => t('rs.phase.span', { phase: p.name, from: duration(p.from), to: p.to == null ? t('rs.none') : duration(p.to) }));
    svg.setAttribute('aria-label', t('rs.bar.aria', { run: t('rs.row.' + run), list: spans.join('; ') }));
    for (const p of phases) {
      const lane = p.key === 'leadership' ? 1 : 0;
      const to = p.to ?? end;
      const rect = svg.appendChild(document.createElementNS(SVG, 'rect'));
      rect.setAttribute('x', x(p.from).toFixed(2));
      rect.setAttribute('y', lane ? 20 : 2);
      rect.setAttribute('width', Math.max(1, x(to) - x(p.from)).toFixed(2));
      rect.setAttribute('height', lane ? 8 : 16);
      rect.setAttribute('fill', p.colour);
      rect.dataset.phase = p.key;
      rect.dataset.from = p.from;
      rect.dataset.to = p.to ?? '';
      const title = rect.appendChild(document.createElementNS(SVG, 'title'));
      title.textContent = t('rs.phase.span', { phase: p.name, from: duration(p.from), to: p.to == null ? t('rs.none') : duration(p.to) });
    }
  }
  // The legend: both log phases named (recovery after a crash, loading after a clean exit).
  const legend = [];
  for (const [k, colour] of PHASES) {
    const names = k === 'log' ? [t('rs.phase.log_recovery'), t('rs.phase.log_loading')].join(' / ') : phaseName(k, false);
    const li = document.createElement('li');
    const sw = li.appendChild(document.createElement('span'));
    sw.className = 'sw';
    sw.style.background = colour;
    li.append(names);
    legend.push(li);
  }
  $('restart-legend').replaceChildren(...legend);
  // The figures, crash beside clean exit.
  const sums = { crash: state.runs.crash.summary.restart, shutdown: state.runs.shutdown.summary.restart };
  const head = `<tr><th scope="col">${esc(t('rs.fig.what'))}</th><th scope="col">${esc(t('rs.row.crash'))}</th><th scope="col">${esc(t('rs.row.shutdown'))}</th></tr>`;
  const rows = FIGS.map(([k, unit]) => `<tr><th scope="row">${esc(t('rs.fig.' + k))}</th>` +
    ['crash', 'shutdown'].map((run) => {
      const v = sums[run]?.[k];
      return `<td data-testid="rs-${k}-${run}" data-value="${v == null ? '' : esc(v)}">${esc(figText(v, unit, sums[run]))}</td>`;
    }).join('') + '</tr>').join('');
  $('restart-figures').innerHTML = `<table class="compare restart-figs"><caption>${esc(t('rs.fig.h'))}</caption><thead>${head}</thead><tbody>${rows}</tbody></table>`;
}

/** Under the cluster view: how many partitions are under-replicated now (runs with a return). */
function renderUrp() {
  const el = $('cluster-urp');
  const cl = state.live?.snap?.cluster;
  const on = !!cl && (hasRestart(state.cfg) || cl.under_replicated > 0);
  el.hidden = !on;
  if (!on) return;
  el.dataset.value = cl.under_replicated;
  el.textContent = t('cv.urp', { n: fmtNum(cl.under_replicated) });
}

export function initRestartViews() {
  fillRebalance();
  const all = () => { if (!state.cfg) return; renderRestartPanel(); renderUrp(); };
  onChange(all);
  onLang(() => { drawnKey = ''; all(); });
  $('log-scale-input')?.addEventListener('change', () => setTimeout(all, 0));
  all();
}
