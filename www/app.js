// The page's entry point: loads the engine and the strings, builds the views, reads the link and
// runs it, then hands the page's actions to the feature modules (lib/app-api.js). Rust computes,
// JS draws. The work is split under app/: form, results (the two runs), live (stepping, playback,
// the address), errors; shared state in app/state.js.
//
// Start-up never holds the main thread for long: the engine's worker starts loading at once, the
// feature modules (sharing, teaching, the newcomer's help) and the second language load beside the
// rest, and main() goes in parts of a few milliseconds, each its own task (yieldTask), and each
// part that changes much of the page laid out in a frame of its own (yieldFrame).
import init, { elect } from './pkg/kafka_election.js';
import { loadLocales, loaded, setLang, getLang, preferredLang, t, has, onLang } from './lib/i18n.js';
import { catalog } from './lib/catalog.js';
import { onScheme } from './lib/palette.js';
import { api } from './lib/app-api.js';
import { DEFAULT, cloneCfg, readLink, toQuery } from './sharing/url-state.js';
import { Timeline } from './views/timeline.js';
import { ClusterView } from './views/cluster-view.js';
import { IsrView } from './views/isr-view.js';
import { PartitionMap } from './views/partition-map.js';
import { EventLog } from './views/event-log.js';
import { Controls, renderHelp } from './views/controls.js';
import { RuleExplorer } from './views/rule-explorer.js';
import { ProfilePanel } from './views/profile-panel.js';
import { state, $, liveRun, setReady, yieldTask, yieldFrame } from './app/state.js';
import { showErrors, hideErrors, markInvalid, setInvalid, relabelErrors, errorKind, busy, initBusy } from './app/errors.js';
import { call, warm, shareEngine, intlReady } from './engine/engine-client.js';
import { clip } from './lib/text.js';
import { fillForm, submitForm, renderProfileDraft, initForm } from './app/form.js';
import { apply, renderResults, setLiveRun, compareModels, renderLegends } from './app/results.js';
import {
  requestSeek, seekNow, seek, select, stepOnce, stepBack, restart, play, pause, switchEvent, renderLive, writeUrl, linkView,
} from './app/live.js';

/** Every text after a language switch (and once at start-up). */
function relabel() {
  const { views } = state;
  renderLegends();
  renderHelp();
  views.controls.showSpeed();
  views.controls.setPlaying(state.playing);
  views.rules.relabel();
  if (!state.cfg || state.applyBusy) return;
  renderProfileDraft();
  renderResults();
  views.crash.invalidate();
  views.shutdown.invalidate();
  setLiveRun();
  views.log.mode = state.profile.mode;
  views.log.rerender();
  renderLive();
  compareModels(state.applying);
  relabelErrors();
}

function buildViews() {
  const cat = catalog();
  state.views = {
    crash: new Timeline(document.querySelector('.tl-row[data-event=crash]'), { onSeek: requestSeek, onPick: (p) => select(p) }),
    shutdown: new Timeline(document.querySelector('.tl-row[data-event=shutdown]'), { onSeek: requestSeek, onPick: (p) => select(p) }),
    cluster: new ClusterView($('cluster-view'), { onPick: (id) => { $('victim-input').value = String(id); submitForm(); } }),
    isr: new IsrView($('isr-view'), { onSelect: select }),
    map: new PartitionMap($('partition-map'), { onPick: (row) => select(liveRun().partitionOfRow(row)) }),
    log: new EventLog($('event-log')),
    rules: new RuleExplorer($('rules-form'), elect),
    profile: new ProfilePanel(cat, {
      onProfile: () => { state.draftParams = {}; submitForm(); },
      onParam: (name, raw) => {
        const def = cat.profiles.find((p) => p.name === $('profile-select').value)?.parameters[name];
        if (String(def) === String(raw).trim()) delete state.draftParams[name]; else state.draftParams[name] = String(raw);
        submitForm();
      },
      onReset: () => { state.draftParams = {}; submitForm(); },
    }),
    controls: new Controls({
      onStep: stepOnce, onBack: stepBack, onRestart: restart, onSeek: requestSeek, onSeekNow: seekNow,
      onPlay: () => (state.playing ? pause() : play()),
      onEvent: (ev) => switchEvent(ev, setLiveRun),
      onLog: (on) => { state.view.log = on; state.views.crash.setLog(on); state.views.shutdown.setLog(on); writeUrl(true); },
      onHelp: () => { const d = $('help-dialog'); if (!d.open) d.showModal(); },
    }),
  };
}

/** The engine's wasm, compiled as it downloads; the page and its worker instantiate this one module. */
async function compileEngine() {
  const url = new URL('./pkg/kafka_election_bg.wasm', import.meta.url);
  const res = await fetch(url);
  if (!res.ok) throw new Error(`failed to fetch Wasm: ${res.status} ${res.statusText} fetching '${url}'`);
  // A host that serves .wasm without its MIME type: compiled from the bytes instead.
  if (res.headers.get('content-type') !== 'application/wasm') return WebAssembly.compile(await res.arrayBuffer());
  return WebAssembly.compileStreaming(res);
}

/** Start-up phases as performance measures (the browser benchmark reports them). */
function phase(name) {
  const at = performance.now();
  performance.measure(`start-up: ${name}`, { start: phase.last ?? 0, end: at });
  phase.last = at;
}

async function main() {
  setReady(false);
  state.starting = true;
  await yieldTask(); // the modules' evaluation ends here
  phase('document and modules');
  const q = new URLSearchParams(location.search);
  const lang = ['en', 'ko'].includes(q.get('lang')) ? q.get('lang') : preferredLang();
  // Each evaluates in tasks of its own; they register their link parameters before the link is read.
  const features = Promise.all([
    import('./sharing/share.js'), import('./teaching/teach.js'), import('./views/learn.js'),
    import('./views/restart-view.js'), import('./views/rolling-view.js'),
  ]);
  features.catch(() => {}); // a failure is reported where it is awaited
  // The language on screen first (with English, every string's fallback), the other one after.
  const engine = compileEngine().then((module) => {
    shareEngine(module); // compiled once: the worker instantiates the same module
    return init({ module_or_path: module });
  });
  await Promise.all([engine, loadLocales([...new Set(['en', lang])]), intlReady()]);
  const allLangs = loadLocales();
  allLangs.catch(() => {}); // likewise
  phase('engine and strings');
  await yieldTask();
  const cat = catalog();
  await yieldTask();
  setLang(lang);
  state.view.lang = getLang();
  buildViews();
  const { views } = state;
  await yieldFrame(); // the page's text, laid out before the next part adds more

  initForm();
  initBusy();
  $('language-switch').value = getLang();
  $('language-switch').addEventListener('change', async (e) => {
    const l = e.target.value;
    if (!loaded(l)) await loadLocales([l]); // only a switch during start-up waits
    if (e.target.value !== l) return;
    setLang(l);
    state.view.lang = getLang();
    writeUrl(true);
  });
  onLang(() => { $('language-switch').value = getLang(); if (state.views) relabel(); });
  $('error-close').addEventListener('click', hideErrors);
  onScheme(() => { renderLegends(); views.map.refreshColors(); views.crash.invalidate(); views.shutdown.invalidate(); });
  relabel();
  await yieldFrame();
  const [{ initShare }, { initTeach }, { initLearn }, { initRestartViews }, { initRollingView }] = await features;
  phase('views');

  // The link: a valid one restores the scenario; a malformed one shows why and runs the default.
  const link = readLink(location.search, cat);
  const unknownText = () => (link.unknown.length ? [t('err.unknown', { keys: clip(link.unknown.map((k) => clip(k, 40)).join(', '), 400) })] : []);
  state.view.log = link.view.log;
  $('log-scale-input').checked = state.view.log;
  views.crash.log = views.shutdown.log = state.view.log;
  let cfg = link.cfg;
  if (link.errors.length) {
    cfg = cloneCfg(DEFAULT);
    state.urlError = true;
    fillForm(link.cfg, (k) => q.get(k) ?? String(link.cfg[k]));
    markInvalid(link.errors);
    showErrors(() => [...readLink(location.search, cat).errors.map((e) => e.text), ...unknownText()], 'err.fallback', 'url');
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
    state.draftParams = Object.fromEntries(cat.parameters.filter((p) => q.has(p.name)).map((p) => [p.name, q.get(p.name)]));
    setInvalid(link.errors);
    renderProfileDraft();
  }
  phase('link and first run');
  exposeApi();
  for (const initFeature of [initShare, initTeach, initLearn, initRestartViews, initRollingView]) {
    await yieldFrame();
    initFeature();
  }
  await allLangs;
  phase('features');
  state.starting = false;
  setReady(true);
}

/** Fills the registry the feature modules use (see lib/app-api.js). */
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
      if (errorKind() === 'url') hideErrors();
      await apply(c);
      await api.ready();
    },
    seek: (ms) => seek(ms),
    select: (p) => select(p),
    step: async (n = 1) => { let last; for (let i = 0; i < n; i++) last = stepOnce(); await last; },
    pause,
    runs: () => ({ ...state.runs }),
    comparison: () => state.comparison,
    live: () => state.live,
    partition: (i) => call('livePartition', { index: i }),
    runSummary: (scenario) => call('runSummary', { scenario }),
    stepsThrough: (scenario, n) => call('stepsThrough', { scenario, n }),
    compare: (scenario) => call('compare', { scenario }),
    rollingSummary: (scenario) => call('rollingSummary', { scenario }),
    csv: (which) => call('csv', { key: which }),
    readScenario: (file) => call('readScenario', { file, name: file.name }),
    link: () => new URL(toQuery(state.cfg, linkView()), location.href).href,
    showError: (textFn) => showErrors(textFn, null, 'feature'),
    hideError: hideErrors,
    ready: () => new Promise((resolve) => {
      const check = () => (document.documentElement.dataset.ready === '1' && !state.applyBusy ? resolve() : requestAnimationFrame(check));
      check();
    }),
  });
}

// The engine's worker loads its modules and its wasm while the page starts up.
warm();
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
  state.starting = false;
  busy(false);
});
