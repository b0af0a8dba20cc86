// Help for a reader new to Kafka, beside the page rather than inside its views:
//  - the model statement: which model the numbers on screen come from (the profile in use and its
//    parameters, read from the engine's profile()), with a one-click switch between the book's
//    model and Kafka 2.5's code, and the same model named after the headline ratio;
//  - the glossary: a section at the end of the page, and "?" buttons / dotted terms where a term
//    first appears, each opening its definition in a small non-modal popover (keyboard: Enter or
//    Space opens, Escape closes and returns focus);
//  - a first-visit pointer to the guided tour (dismissed for good in localStorage; never in an
//    embed or when the link opens a tour stop or an exercise);
//  - a note in the chapter's steps when the views follow a partition other than the chapter's
//    partition 0, with a way back. (The event log's ISR before an election comes with the steps
//    from the engine worker: the page's thread never runs the engine.)
// Every string is in locales/learn.<lang>.json. app.js calls initLearn() once its api is filled.
import { t, onLang, fmtNum } from '../lib/i18n.js';
import { api, onChange } from '../lib/app-api.js';
import { catalog } from '../lib/catalog.js';
import { duration, seconds } from '../lib/format.js';
import { TOPIC } from '../sharing/url-state.js';
import { profileText } from './profile-panel.js';
import { updateMax } from '../app/form.js';
import { state } from '../app/state.js';

const WELCOME_KEY = 'kafka-election.welcome-dismissed';
const BOOK = 'book';
const CODE = 'kafka-2.5';

/** The glossary's terms, in reading order. */
export const TERMS = [
  'broker', 'controller', 'leader', 'isr', 'leader_epoch', 'preferred', 'crash', 'controlled_shutdown', 'zookeeper', 'zk_session',
  'kraft', 'leader_and_isr', 'update_metadata', 'median', 'p99', 'partition_seconds', 'delivery_timeout', 'unclean',
];

// Where a term first appears in the page's own views: a "?" button goes after that element.
// `at` returns the element (or null while it is not rendered).
const ANCHORS = [
  { term: 'controller', at: () => document.querySelector('.cluster-card > h3') },
  { term: 'crash', at: () => document.querySelector('.tl-row[data-event=crash] .tl-title') },
  { term: 'controlled_shutdown', at: () => document.querySelector('.tl-row[data-event=shutdown] .tl-title') },
  { term: 'median', at: () => document.querySelector('[data-testid=crash-median-downtime]')?.previousElementSibling },
  { term: 'p99', at: () => document.querySelector('[data-testid=crash-p99-downtime]')?.previousElementSibling },
  { term: 'partition_seconds', at: () => document.querySelector('[data-testid=crash-unavailable-seconds]')?.previousElementSibling },
  { term: 'delivery_timeout', at: () => document.querySelector('[data-testid=crash-over-delivery-timeout]')?.previousElementSibling },
  { term: 'isr', at: () => document.querySelector('#isr-view dt[data-i18n="isr.members"]') },
  { term: 'leader_epoch', at: () => document.querySelector('#isr-view dt[data-i18n="isr.epoch"]') },
];
// Terms the model statement names: wrapped where its sentence says them.
const BANNER_TERMS = ['zk_session', 'kraft', 'leader_and_isr', 'update_metadata', 'controlled_shutdown'];

const esc = (s) => String(s).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }[c]));
const $ = (id) => document.getElementById(id);

function storageGet(k) { try { return localStorage.getItem(k); } catch { return null; } }
function storageSet(k, v) { try { localStorage.setItem(k, v); } catch { /* storage refused: the pointer just comes back */ } }

// ------------------------------------------------------------------------------ the model

/** The profile in use (the engine's, with the scenario's parameters applied). */
const profileInUse = () => api.runs().crash?.profile; // the engine's profile(), from the worker

/** The model's short name: the book, Kafka's code (which version), or KRaft. */
export function modelName(p = profileInUse()) {
  if (!p) return '';
  if (p.name === BOOK) return t('learn.model.book');
  const entry = catalog().profiles.find((x) => x.name === p.name);
  return t(p.mode === 'kraft' ? 'learn.model.kraft' : 'learn.model.kafka', { title: entry ? profileText(entry, 'title') : p.name });
}

/** Wraps the first occurrence of each term's name in `html` (already escaped) in a term button. */
function wrapTerms(html, terms) {
  for (const id of terms) {
    const word = esc(t('learn.term.' + id));
    const i = html.toLowerCase().indexOf(word.toLowerCase());
    if (i < 0) continue;
    // Not inside a tag or a button made already.
    const before = html.slice(0, i);
    if (before.lastIndexOf('<') > before.lastIndexOf('>') || /<button[^>]*>[^<]*$/.test(before)) continue;
    html = `${before}<button type="button" class="gloss-term" data-term="${id}" aria-expanded="false" aria-controls="gloss-pop">${html.slice(i, i + word.length)}</button>${html.slice(i + word.length)}`;
  }
  return html;
}

function renderModel() {
  const el = $('model-banner');
  const p = profileInUse();
  if (!el || !p) return;
  const v = p.parameters;
  const sentences = [];
  if (p.mode === 'kraft') {
    sentences.push(t('learn.model.kraft_mode', { session: duration(v.broker_session_timeout_ms), batch: fmtNum(v.kraft_max_records_per_batch) }));
  } else {
    sentences.push(t('learn.model.zk', { session: duration(v.zk_session_timeout_ms) }));
    sentences.push(t('learn.model.crash.' + v.crash_publication, { per: seconds(v.controller_per_partition_ms) }));
    sentences.push(t('learn.model.shutdown.' + v.shutdown_publication));
  }
  const toBook = p.name !== BOOK;
  el.dataset.profile = p.name;
  el.dataset.publication = p.mode === 'kraft' ? '' : v.crash_publication;
  el.querySelector('.model-name').textContent = modelName(p);
  el.querySelector('.model-text').innerHTML = wrapTerms(esc(sentences.join(' ')), BANNER_TERMS);
  const b = el.querySelector('.model-switch');
  b.textContent = t(toBook ? 'learn.model.to_book' : 'learn.model.to_code');
  b.dataset.to = toBook ? BOOK : CODE;
}

async function switchModel(to) {
  const cfg = { ...api.cfg(), profile: to, params: {} };
  await api.apply(cfg);
  $('model-status').textContent = t('learn.model.changed', { model: modelName() });
}

/** The headline ratio names the model its numbers come from. */
function renderRatioModel() {
  const r = document.querySelector('[data-testid=downtime-ratio]');
  if (!r || !profileInUse()) return;
  let span = r.querySelector('.ratio-model');
  if (!span) {
    span = document.createElement('span');
    span.className = 'ratio-model';
    span.dataset.testid = 'ratio-model';
    r.append(' ', span);
  }
  span.textContent = t('learn.model.ratio', { model: modelName() });
}

// ------------------------------------------------------------------------------ the glossary

let pop = null;
let opener = null;

function buildGlossary() {
  const main = document.querySelector('main');
  const sec = document.createElement('section');
  sec.className = 'panel glossary';
  sec.id = 'glossary';
  sec.setAttribute('aria-labelledby', 'glossary-h');
  sec.innerHTML = '<div class="panel-head"><h2 id="glossary-h"></h2><p class="hint" id="glossary-hint"></p></div><dl class="gloss-list" id="gloss-list" data-testid="glossary"></dl>';
  main.appendChild(sec);

  pop = document.createElement('div');
  pop.className = 'gloss-pop';
  pop.id = 'gloss-pop';
  pop.hidden = true;
  pop.setAttribute('role', 'dialog');
  pop.setAttribute('aria-labelledby', 'gloss-pop-term');
  pop.dataset.testid = 'gloss-pop';
  pop.innerHTML = '<p class="gloss-pop-term" id="gloss-pop-term"></p><p class="gloss-pop-def" id="gloss-pop-def"></p>' +
    '<p class="gloss-pop-nav"><a href="#glossary" id="gloss-pop-all"></a> <button type="button" class="btn" id="gloss-pop-close"></button></p>';
  document.body.appendChild(pop);
  $('gloss-pop-close').addEventListener('click', () => closePop(true));
  $('gloss-pop-all').addEventListener('click', (e) => {
    e.preventDefault();
    const id = pop.dataset.term;
    closePop(false);
    const dt = $('gloss-' + id);
    dt?.scrollIntoView({ block: 'center', behavior: matchMedia('(prefers-reduced-motion: reduce)').matches ? 'auto' : 'smooth' });
    dt?.focus({ preventScroll: true });
  });
  pop.addEventListener('keydown', (e) => { if (e.key === 'Escape') { e.preventDefault(); e.stopPropagation(); closePop(true); } });
  document.addEventListener('click', (e) => {
    const b = e.target.closest?.('[data-term]');
    if (b && (b.classList.contains('gloss-q') || b.classList.contains('gloss-term'))) { togglePop(b); return; }
    if (!pop.hidden && !pop.contains(e.target)) closePop(false);
  });

  // A header button to the glossary.
  const tools = document.querySelector('.masthead .tools');
  if (tools) {
    const a = document.createElement('a');
    a.className = 'btn gloss-open';
    a.href = '#glossary';
    a.id = 'gloss-open';
    a.dataset.testid = 'glossary-open';
    tools.insertBefore(a, $('help-button'));
  }
}

function renderGlossary() {
  $('glossary-h').textContent = t('learn.gloss.h');
  $('glossary-hint').textContent = t('learn.gloss.hint');
  $('gloss-list').innerHTML = TERMS.map((id) =>
    `<dt id="gloss-${id}" tabindex="-1">${esc(t('learn.term.' + id))}</dt><dd>${esc(t('learn.def.' + id))}</dd>`).join('');
  const open = $('gloss-open');
  if (open) open.textContent = t('learn.gloss.open');
  $('gloss-pop-all').textContent = t('learn.gloss.all');
  $('gloss-pop-close').textContent = t('learn.gloss.close');
  if (!pop.hidden) fillPop(pop.dataset.term);
}

function fillPop(id) {
  pop.dataset.term = id;
  $('gloss-pop-term').textContent = t('learn.term.' + id);
  $('gloss-pop-def').textContent = t('learn.def.' + id);
}

function togglePop(button) {
  if (!pop.hidden && opener === button) { closePop(true); return; }
  closePop(false);
  opener = button;
  fillPop(button.dataset.term);
  pop.hidden = false;
  button.setAttribute('aria-expanded', 'true');
  const r = button.getBoundingClientRect();
  const w = Math.min(360, window.innerWidth - 16);
  pop.style.width = `${w}px`;
  pop.style.left = `${Math.max(8, Math.min(window.scrollX + r.left, window.scrollX + window.innerWidth - w - 8))}px`;
  pop.style.top = `${window.scrollY + r.bottom + 6}px`;
  $('gloss-pop-close').focus({ preventScroll: true });
}

function closePop(refocus) {
  if (!pop || pop.hidden) return;
  pop.hidden = true;
  opener?.setAttribute('aria-expanded', 'false');
  if (refocus) opener?.focus();
  opener = null;
}

/** The "?" buttons after the first appearances of terms (re-added when a view re-renders). */
function placeAnchors() {
  for (const { term, at } of ANCHORS) {
    const el = at();
    if (!el) continue;
    let b = el.nextElementSibling?.classList.contains('gloss-q') ? el.nextElementSibling : el.querySelector(':scope > .gloss-q');
    if (!b) {
      b = document.createElement('button');
      b.type = 'button';
      b.className = 'gloss-q';
      b.dataset.term = term;
      b.textContent = '?';
      b.setAttribute('aria-expanded', 'false');
      b.setAttribute('aria-controls', 'gloss-pop');
      // At the end of a heading, a <dt> or a title: never inside a <label> (a button may not be there).
      el.append(' ', b);
    }
    b.setAttribute('aria-label', t('learn.gloss.what', { term: t('learn.term.' + term) }));
  }
}

// ------------------------------------------------------------------------------ first visit

function buildWelcome() {
  const q = new URLSearchParams(location.search);
  if (q.has('tour') || q.has('exercise') || storageGet(WELCOME_KEY) === '1') return;
  const box = document.createElement('aside');
  box.className = 'welcome card';
  box.id = 'welcome';
  box.dataset.testid = 'welcome';
  box.setAttribute('aria-labelledby', 'welcome-h');
  box.innerHTML = '<h2 id="welcome-h"></h2><p id="welcome-text"></p><div class="welcome-actions">' +
    '<button type="button" class="btn primary" id="welcome-start" data-testid="welcome-start"></button>' +
    '<button type="button" class="btn" id="welcome-dismiss" data-testid="welcome-dismiss"></button></div>';
  const root = $('teach-root');
  root.parentNode.insertBefore(box, root);
  const dismiss = () => { storageSet(WELCOME_KEY, '1'); box.remove(); };
  $('welcome-start').addEventListener('click', () => { dismiss(); $('tour-start')?.click(); });
  $('welcome-dismiss').addEventListener('click', () => { dismiss(); $('tour-start')?.focus(); });
  // Starting the tour any other way also means the pointer has done its job.
  $('tour-start')?.addEventListener('click', () => { if (box.isConnected) dismiss(); });
}

function renderWelcome() {
  if (!$('welcome')) return;
  $('welcome-h').textContent = t('learn.welcome.h');
  $('welcome-text').textContent = t('learn.welcome.text');
  $('welcome-start').textContent = t('learn.welcome.start');
  $('welcome-dismiss').textContent = t('learn.welcome.dismiss');
}

// ------------------------------------------------------------------------------ the followed partition

function buildFollow() {
  const note = $('chapter-note');
  if (!note) return;
  const p = document.createElement('p');
  p.className = 'hint follow-note';
  p.id = 'follow-note';
  p.dataset.testid = 'follow-note';
  p.hidden = true;
  p.innerHTML = '<span id="follow-text"></span> <button type="button" class="btn small" id="follow-back" data-testid="follow-back"></button>';
  note.after(p);
  // The button hides once partition 0 is followed again: focus moves to the partition field,
  // which shows 0 when the worker's reply arrives (see IsrView.render).
  $('follow-back').addEventListener('click', () => { api.select(0); $('isr-partition-input')?.focus(); });
}

function renderFollow() {
  const p = $('follow-note');
  if (!p) return;
  const sel = api.view().sel ?? 0;
  p.hidden = sel === 0;
  if (sel === 0) return;
  $('follow-text').textContent = t('learn.follow.note', { name: `${TOPIC}-${sel}` });
  $('follow-back').textContent = t('learn.follow.back');
}

// ------------------------------------------------------------------------------ the live event

function watchEvent() {
  const sel = $('live-event-select');
  const note = document.createElement('p');
  note.className = 'sr';
  note.id = 'event-status';
  note.setAttribute('role', 'status');
  sel?.closest('.transport')?.after(note);
  sel?.addEventListener('change', () => {
    note.textContent = t('learn.switch.note', { event: t(sel.value === 'crash' ? 'learn.event.crash' : 'learn.event.shutdown') });
  });
}

// ------------------------------------------------------------------------------ start

function relabel() {
  renderModel();
  renderRatioModel();
  renderGlossary();
  placeAnchors();
  renderWelcome();
  renderFollow();
  // Titles set from the engine's limits when the form was filled: again, in the new language.
  updateMax();
  if (state.cfg) state.views?.isr.setRange(state.cfg.partitions);
}

export function initLearn() {
  // Embedded views show one figure: none of this.
  if (document.documentElement.hasAttribute('data-embed') || !api.apply) return;
  const main = document.querySelector('main');
  const banner = document.createElement('section');
  banner.className = 'model-banner';
  banner.id = 'model-banner';
  banner.dataset.testid = 'model-banner';
  banner.setAttribute('aria-labelledby', 'model-label');
  banner.innerHTML = '<p class="model-line"><span class="model-label" id="model-label"></span> <strong class="model-name" data-testid="model-name"></strong>' +
    ' <button type="button" class="btn small model-switch" data-testid="model-switch"></button></p><p class="model-text"></p>' +
    '<p class="sr" id="model-status" role="status"></p>';
  main.insertBefore(banner, main.firstChild);
  banner.querySelector('.model-switch').addEventListener('click', (e) => switchModel(e.currentTarget.dataset.to));
  buildWelcome();
  buildGlossary();
  buildFollow();
  watchEvent();
  const label = () => { $('model-label').textContent = t('learn.model.label'); };
  label();
  relabel();
  onLang(() => { label(); relabel(); });
  onChange(() => { renderModel(); renderRatioModel(); placeAnchors(); renderFollow(); });
}
