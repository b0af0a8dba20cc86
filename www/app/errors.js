// The error banner (what is wrong and what is allowed, re-worded on a language switch), the
// fields flagged as invalid, and the busy indicator.
import { t } from '../lib/i18n.js';
import { engineProblem } from '../sharing/url-state.js';
import { $, setReady } from './state.js';

let errorSource = null; // () => [text]: regenerates the banner's messages in the current language
let kind = null; // what raised the banner: url, form, sel, feature
let invalid = []; // the fields markInvalid last flagged: re-flagged when a re-render replaces them

export const errorKind = () => kind;

export function showErrors(source, fallbackKey, k = 'form') {
  errorSource = source;
  kind = k;
  const texts = source();
  if (!texts.length) { hideErrors(); return; }
  $('error-list').innerHTML = '';
  for (const text of texts) $('error-list').appendChild(document.createElement('li')).textContent = text;
  $('error-fallback').textContent = fallbackKey ? t(fallbackKey) : '';
  $('error-fallback').dataset.key = fallbackKey ?? '';
  $('error-banner').hidden = false;
}

export function hideErrors() {
  errorSource = null;
  kind = null;
  invalid = [];
  $('error-banner').hidden = true;
  for (const el of document.querySelectorAll('[aria-invalid=true]')) el.removeAttribute('aria-invalid');
}

/** After a language switch: the banner's messages again, in the new language. */
export function relabelErrors() {
  if (errorSource) showErrors(errorSource, $('error-fallback').dataset.key || null, kind);
}

const FIELD_EL = {
  partitions: 'partitions-input', brokers: 'brokers-input', rf: 'rf-input', victim: 'victim-input', controller: 'controller-input',
  vic: 'victim-controller-input', unclean: 'unclean-input', profile: 'profile-select', layout: 'layout-select', event: 'live-event-select',
  sel: 'isr-partition-input', crash_publication: 'publication-select',
  restart: 'restart-input', rebalance: 'rebalance-select', sole: 'sole-input', rstop: 'rstop-select',
};

/** Flags the fields of `errors` ([{field}]: form keys or parameter names) as invalid. */
export function markInvalid(errors) {
  invalid = errors;
  for (const el of document.querySelectorAll('[aria-invalid=true]')) el.removeAttribute('aria-invalid');
  for (const e of errors) {
    const el = FIELD_EL[e.field] ? $(FIELD_EL[e.field]) : e.field ? document.querySelector(`[data-param="${e.field}"]`) : null;
    el?.setAttribute('aria-invalid', 'true');
    if (!FIELD_EL[e.field] && el) $('params').open = true;
  }
}
/** Re-flags the last invalid fields (a re-render replaced their elements). */
export const reflagInvalid = () => markInvalid(invalid);
export const setInvalid = (errors) => { invalid = errors; };

/**
 * The engine's refusal (validateScenario's { field, message }, or a thrown Error with the problem
 * from validateScenario when there is one) as a banner entry: { field, text } naming the field as
 * the form does.
 */
export function engineError(problem) {
  const p = engineProblem(problem);
  return { field: p.page ?? '', text: t('err.engine', { field: p.label, msg: p.message }) };
}

/**
 * The busy indicator. With `cancel` it is a progress bar (see progress()) and a Cancel button
 * (also Escape) for a run that may take long; the page stays usable meanwhile (the engine runs in
 * its worker).
 */
let onCancel = null;
export function busy(on, text, { cancel } = {}) {
  $('busy').hidden = !on;
  $('busy-text').textContent = text ?? '';
  onCancel = on && cancel ? cancel : null;
  $('busy-cancel').hidden = !onCancel;
  $('busy-progress').hidden = !onCancel;
  $('busy-progress').value = 0;
  setReady(!on);
}
/** The progress bar: `done` of `total` parts of the run finished. */
export function progress(done, total) {
  const bar = $('busy-progress');
  bar.max = total;
  bar.value = done;
  bar.setAttribute('aria-valuetext', t('worker.progress', { done, total }));
}
function cancelBusy() {
  const f = onCancel;
  if (!f) return;
  $('busy-text').textContent = t('worker.cancelling');
  f();
}
export function initBusy() {
  $('busy-cancel').addEventListener('click', cancelBusy);
  document.addEventListener('keydown', (e) => { if (e.key === 'Escape' && onCancel) { e.preventDefault(); cancelBusy(); } });
}
