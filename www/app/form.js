// The scenario form: reading it, filling it, the ranges it shows (the engine's limits), and
// submitting it: applied when valid, else the banner says what is wrong and the input is kept.
import { validateScenario } from '../pkg/kafka_election.js';
import { t, fmtNum } from '../lib/i18n.js';
import { catalog } from '../lib/catalog.js';
import { scenarioFor, parseConfig } from '../sharing/url-state.js';
import { state, $ } from './state.js';
import { showErrors, hideErrors, markInvalid, reflagInvalid, engineError } from './errors.js';
import { apply } from './results.js';
import { fillRestart } from '../views/restart-view.js';

export const formGet = (k) => {
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
    case 'restart': return $('restart-input').value;
    case 'rebalance': return $('rebalance-select').value;
    case 'sole': return $('sole-input').value;
    case 'rstop': return $('rstop-select').value;
    default: return state.draftParams[k] ?? null;
  }
};

export function fillForm(cfg, raw) {
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
  fillRestart(cfg, raw ? get : null);
  updateMax();
  for (const chip of document.querySelectorAll('[data-partitions]')) chip.setAttribute('aria-pressed', String(Number(chip.dataset.partitions) === cfg.partitions));
}

/** The fields' allowed ranges (the engine's limits); broker-numbered fields go up to the broker count being typed. */
export function updateMax() {
  const { max_brokers: maxBrokers, max_partitions: maxPartitions } = catalog().limits;
  const n = Number($('brokers-input').value);
  const max = Number.isInteger(n) && n > 0 && n <= maxBrokers ? n : maxBrokers;
  for (const id of ['rf-input', 'victim-input', 'controller-input']) $(id).title = t('field.range', { min: 1, max });
  $('partitions-input').title = t('field.range', { min: 1, max: fmtNum(maxPartitions) });
  $('brokers-input').title = t('field.range', { min: 1, max: maxBrokers });
}

/** The page's checks, then the engine's (validateScenario: null or { field, message }) for both events. */
function check() {
  const { cfg, errors } = parseConfig(formGet, catalog());
  if (errors.length) return { cfg, errors };
  const problem = validateScenario(scenarioFor(cfg, 'crash')) ?? validateScenario(scenarioFor(cfg, 'controlled-shutdown')) ??
    (cfg.event === 'rolling-restart' ? validateScenario(scenarioFor(cfg, 'rolling-restart')) : null);
  return { cfg, errors: problem ? [engineError(problem)] : [] };
}

/** Reads the whole form; applies it when valid, else shows what is wrong and keeps the input. */
export function submitForm() {
  const { cfg, errors } = check();
  markInvalid(errors);
  if (errors.length) { showErrors(() => check().errors.map((e) => e.text), 'err.keep'); return; }
  hideErrors();
  state.urlError = false;
  apply(cfg);
}

/**
 * The profile panel as the form holds it (the chosen profile, the parameters as typed), not as
 * last applied: re-rendering it (a language switch) must not replace what the user typed.
 */
export function renderProfileDraft() {
  state.views.profile.render({ ...state.cfg, profile: $('profile-select').value || state.cfg.profile, params: { ...state.draftParams } });
  reflagInvalid();
}

/** Wires the form: selects and checkboxes apply at once, numbers on change (blur or Enter). */
export function initForm() {
  const form = $('cluster-form');
  form.addEventListener('change', () => { updateMax(); submitForm(); });
  form.addEventListener('submit', (e) => { e.preventDefault(); submitForm(); });
  form.addEventListener('keydown', (e) => { if (e.key === 'Enter' && e.target.tagName === 'INPUT') { e.preventDefault(); submitForm(); } });
  for (const chip of document.querySelectorAll('[data-partitions]')) {
    chip.addEventListener('click', () => { $('partitions-input').value = chip.dataset.partitions; submitForm(); });
  }
}
