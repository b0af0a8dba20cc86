// Exports beside the timelines: each run's per-partition CSV (the engine's Simulation.csv(), the
// same bytes as `kafka-election run --csv`), PNGs of the timelines and of the cluster, the
// scenario as JSON (the CLI's --scenario schema) and "Open scenario…" to load such a file back.
import { api } from '../lib/app-api.js';
import { t, applyDom, fmtNum, onLang, getLang } from '../lib/i18n.js';
import { clip } from '../lib/text.js';
import { duration } from '../lib/format.js';
import { scenarioFor } from './url-state.js';
import { timelinePng, clusterPng } from './export-png.js';
import { cliCommand } from './scenario-file.js';

const $ = (id) => document.getElementById(id);
const EVENT_FILE = { crash: 'crash', shutdown: 'controlled-shutdown' };
const nextPaint = () => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));

// [testid, label key, description key, action]
const BUTTONS = [
  ['export-csv-crash', 'export.csv.crash', 'export.csv.crash.aria', () => csv('crash')],
  ['export-csv-shutdown', 'export.csv.shutdown', 'export.csv.shutdown.aria', () => csv('shutdown')],
  ['export-png-timeline', 'export.png.timeline', 'export.png.timeline.aria', () => pngTimeline()],
  ['export-png-cluster', 'export.png.cluster', 'export.png.cluster.aria', () => pngCluster()],
  ['export-scenario', 'export.scenario', 'export.scenario.aria', () => scenarioJson()],
  ['open-scenario', 'export.open', 'export.open.aria', () => $('scenario-file').click()],
];
const ICON_DOWN = '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M12 4v11m-5-5 5 5 5-5M5 19h14"/></svg>';
const ICON_OPEN = '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M3 7h6l2 2h10v10H3zM12 17v-6m-3 3 3-3 3 3"/></svg>';

let status;

export function initExport() {
  const bar = $('export-bar');
  if (!bar) return;
  bar.innerHTML = '<span class="export-h" id="export-h" data-i18n="export.h"></span>'
    + BUTTONS.map(([id, label, aria]) => `<button type="button" class="btn export-btn" data-testid="${id}" data-i18n-title="${aria}">`
      + `${id === 'open-scenario' ? ICON_OPEN : ICON_DOWN}<span data-i18n="${label}"></span></button>`).join('')
    + '<input type="file" id="scenario-file" data-testid="scenario-file" accept=".json,application/json" hidden>'
    + '<p class="export-status" id="export-status" data-testid="export-status" role="status" aria-live="polite"></p>';
  bar.setAttribute('aria-labelledby', 'export-h');
  applyDom(bar);
  status = $('export-status');
  onLang(() => { if (sayText) status.textContent = sayText(); });
  for (const [id, , , action] of BUTTONS) {
    const b = bar.querySelector(`[data-testid="${id}"]`);
    b.addEventListener('click', async () => {
      await api.ready();
      try { await action(); } catch (e) { say('export.err.failed', { msg: e.message }); }
    });
  }
  $('scenario-file').addEventListener('change', async (e) => {
    const file = e.target.files?.[0];
    e.target.value = ''; // choosing the same file again must fire change again
    if (file) await openScenario(file);
  });
}

/** The status line under the buttons (polite live region): what just happened. */
let sayText = null;
function say(key, vars) { sayWith(() => t(key, vars)); }
function sayWith(fn) {
  sayText = fn;
  status.textContent = fn();
}

/** kafka-election-<profile>-<partitions> */
function base() {
  const c = api.cfg();
  return `kafka-election-${c.profile}-${c.partitions}`;
}

function download(blob, name) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  // Revoked later, not at once: the download reads the blob after this task.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
  say('export.saved', { name });
}

async function csv(which) {
  const run = api.runs()[which];
  // A million rows is a 100 MB string: let the status show before the engine builds it.
  if (run.rows > 100_000) { say('export.preparing'); await nextPaint(); }
  download(new Blob([await api.csv(which)], { type: 'text/csv;charset=utf-8' }), `${base()}-${EVENT_FILE[which]}.csv`); // built in the engine worker
}

/** "Book model · 10,000 partitions · 3 brokers · …" for the pictures' captions. */
function scenarioLine() {
  const c = api.cfg();
  const profile = $('profile-select')?.selectedOptions[0]?.textContent || c.profile;
  return t('export.png.scenario', {
    profile, partitions: fmtNum(c.partitions), brokers: c.brokers, rf: c.rf, victim: c.victim, controller: c.controller,
  });
}

async function pngTimeline() {
  const at = t('export.png.at', { t: duration(api.view().t) });
  download(await timelinePng(`${scenarioLine()} · ${at}`), `${base()}-timeline.png`);
}

async function pngCluster() {
  const c = api.cfg();
  const title = `${t('cluster.h')} · ${t(c.event === 'crash' ? 'ev.crash.title' : 'ev.shutdown.title')} · ${duration(api.view().t)}`;
  download(await clusterPng(title, scenarioLine()), `${base()}-cluster-${c.event}-${Math.round(api.view().t)}ms.png`);
}

function scenarioJson() {
  const c = api.cfg();
  const text = JSON.stringify(scenarioFor(c, c.event), null, 2) + '\n';
  download(new Blob([text], { type: 'application/json' }), `${base()}-${c.event}.json`);
}

/**
 * The largest scenario file the page reads. A scenario the page can show is a few hundred bytes;
 * bigger files (explicit replica lists for many partitions) are for the command line, which reads
 * any size. The size is checked before reading; reading, parsing and validating happen in the
 * engine worker, so the page never blocks on a file.
 */
export const MAX_SCENARIO_BYTES = 1024 * 1024;

function refuseFile(file, lines) {
  api.showError(lines);
  say('scen.refused', { file: clip(file.name) });
  // The banner sits at the top of the page; bring it into view (the focus stays on the button).
  const still = matchMedia('(prefers-reduced-motion: reduce)').matches;
  $('error-banner').scrollIntoView({ block: 'nearest', behavior: still ? 'auto' : 'smooth' });
}

async function openScenario(file) {
  const name = clip(file.name);
  if (file.size > MAX_SCENARIO_BYTES) {
    refuseFile(file, () => [
      t('worker.file.too_big', { file: name, size: fmtNum(file.size / 1048576, 1), max: fmtNum(MAX_SCENARIO_BYTES / 1048576) }),
      t('worker.file.allowed', { max: fmtNum(MAX_SCENARIO_BYTES / 1048576) }),
      t('scen.cli', { cmd: cliCommand(file.name) }),
    ]);
    return;
  }
  say('worker.file.reading', { file: name });
  let r;
  try { r = await api.readScenario(file); } catch (e) {
    refuseFile(file, () => [t('worker.file.failed', { file: name, msg: clip(e.message) })]);
    return;
  }
  // Worded in both languages by the worker: a language switch picks the other.
  const read = () => r[getLang()] ?? r.en;
  const first = read();
  if (first.problems) {
    refuseFile(file, () => [t('scen.err.title', { file: name }), ...read().problems, ...read().support]);
    return;
  }
  api.hideError();
  await api.apply(first.cfg, { t: 0, sel: 0 });
  sayWith(() => [t('scen.opened', { file: name, profile: first.cfg.profile, n: fmtNum(first.cfg.partitions) }), ...(read().notes ?? [])].join(' '));
}
