// The teaching features' entry point: the guided tour (tour.js) and classroom exercises
// (exercise.js). app.js imports this module and calls initTeach() once its api is filled.
//
// Links: ?tour=<stop-id> and ?exercise=<relative path> sit beside the scenario's parameters. They
// are registered as feature keys (url-state.js), so the link reader leaves them to this module and
// the page keeps them in its address whenever it rewrites the scenario's part.
import { t, onLang } from '../lib/i18n.js';
import { api } from '../lib/app-api.js';
import { FEATURE_KEYS } from '../sharing/url-state.js';
import { Tour, STOPS } from './tour.js';
import { Exercises } from './exercise.js';

const KEYS = ['tour', 'exercise'];
for (const k of KEYS) FEATURE_KEYS.add(k);
const initial = new URLSearchParams(location.search);
/** The teaching parameters the page was opened with: { tour?, exercise? }. */
const linked = Object.fromEntries(KEYS.filter((k) => initial.has(k)).map((k) => [k, initial.get(k)]));

/** Sets (or, with value null, clears) the one teaching parameter the address carries. */
export function setTeachParam(key, value) {
  const u = new URL(location.href);
  for (const k of KEYS) u.searchParams.delete(k);
  if (value != null) u.searchParams.set(key, value);
  try { history.replaceState(history.state, '', u.pathname + u.search + u.hash); } catch { /* a sandboxed frame */ }
}

/** The help dialog's key table is rebuilt by app.js on each language change: add the tour's keys. */
function helpKeys() {
  const body = document.getElementById('help-keys');
  if (!body) return;
  const add = () => {
    if (body.querySelector('[data-teach]')) return;
    const rows = [['PageDown', 'N', 'tour.key.next'], ['PageUp', 'P', 'tour.key.prev'], ['Esc', null, 'tour.key.exit']];
    for (const [a, b, key] of rows) {
      const tr = body.insertRow();
      tr.dataset.teach = '1';
      tr.innerHTML = `<td><kbd>${a}</kbd>${b ? ` / <kbd>${b}</kbd>` : ''}</td><td></td>`;
      tr.cells[1].textContent = t(key);
    }
  };
  new MutationObserver(add).observe(body, { childList: true });
  add();
}

export function initTeach() {
  const root = document.getElementById('teach-root');
  // Embedded views (www/sharing/embed.js) show one figure, without the teaching features.
  if (!root || !api.apply || document.documentElement.hasAttribute('data-embed')) return;
  root.classList.add('teach-root');
  root.innerHTML = `
    <section class="teach-bar" aria-labelledby="teach-h">
      <h2 id="teach-h" class="teach-h" data-i18n="teach.h"></h2>
      <p class="hint teach-hint" data-i18n="teach.hint"></p>
      <div class="teach-actions">
        <button type="button" class="btn primary" data-testid="tour-start" id="tour-start" data-i18n="tour.start"></button>
        <span class="teach-ex" id="teach-ex"></span>
      </div>
      <div class="ex-menu-body card" id="ex-menu-body" hidden></div>
    </section>
    <div id="ex-panel-slot"></div>`;
  const tour = new Tour(root, { setParam: (id) => setTeachParam('tour', id) });
  const exercises = new Exercises(root, { setParam: (path) => setTeachParam('exercise', path) });
  // One teaching mode at a time.
  tour.onStart = () => exercises.exit();
  exercises.onStart = () => tour.exit();
  document.getElementById('tour-start').addEventListener('click', () => tour.start(0));
  const relabel = () => {
    for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
    for (const el of root.querySelectorAll('[data-i18n-aria]')) el.setAttribute('aria-label', t(el.dataset.i18nAria));
  };
  relabel();
  onLang(() => { relabel(); tour.relabel(); exercises.relabel(); });
  helpKeys();
  if (linked.exercise != null) exercises.openLink(linked.exercise);
  else if (linked.tour != null) {
    const i = STOPS.findIndex((s) => s.id === linked.tour);
    if (i >= 0) tour.start(i);
    else {
      setTeachParam('tour', null);
      api.showError(() => [t('tour.err.stop', { value: linked.tour, allowed: STOPS.map((s) => s.id).join(', ') })]);
    }
  }
}
