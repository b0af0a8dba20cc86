// Classroom exercises: a JSON file (see exercise-schema.js and exercises/README.md) asks a question
// about a scenario. The page sets the scenario up with its results hidden, takes the student's
// answer, then reveals the run and grades the answer against the engine's own value, computed
// here from the file's scenario (the file never stores the number). Teachers can export the page's
// current scenario as a new exercise file.
import { Simulation, profiles, validateScenario } from './pkg/kafka_election.js';
import { api } from './app-api.js';
import { t, getLang, fmtNum } from './i18n.js';
import { duration } from './format.js';
import { DEFAULT, parseConfig, scenarioFor } from './url-state.js';
import {
  FORMAT, METRICS, RUNS, MAX_BYTES, checkExercisePath, grade, metricKind, metricValue, parseAnswerNumber, parseExercise,
  toUnit, unitsFor, validateExercise, formatMessage,
} from './exercise-schema.js';

const esc = (s) => String(s).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }[c]));
const local = (text) => text?.[getLang()] ?? text?.en ?? '';
const INDEX = 'exercises/index.json';

/** A number in an answer's unit, to about four significant digits. */
export function fmtValue(v) {
  const a = Math.abs(v);
  const dec = a === 0 ? 0 : Math.min(4, Math.max(0, 3 - Math.floor(Math.log10(a))));
  return fmtNum(v, dec);
}
const unitLabel = (metric, unit) => (metric === 'ratio' ? '×' : unit === 'count' ? '' : t('ex.unit.' + unit));
const withUnit = (v, metric, unit) => `${fmtValue(v)}${unitLabel(metric, unit) ? (metric === 'ratio' ? '' : ' ') + unitLabel(metric, unit) : ''}`;

/** The file's flat scenario as the page's config; errors as texts (the page's own checks, then the engine's). */
function toConfig(sc, catalog) {
  const get = (k) => (!(k in sc) ? null : typeof sc[k] === 'boolean' ? (sc[k] ? '1' : '0') : String(sc[k]));
  const { cfg, errors } = parseConfig(get, catalog);
  // Read again on each call, so a language switch re-words the message.
  const texts = errors.map((e, i) => () => parseConfig(get, catalog).errors[i]?.text ?? e.text);
  if (!texts.length) {
    for (const ev of Object.values(RUNS)) {
      const msg = validateScenario(scenarioFor(cfg, ev));
      if (msg) { texts.push(() => t('ex.err.engine', { msg })); break; }
    }
  }
  return { cfg, texts };
}

/** Both engine runs of a config: { crash, controlled_shutdown } summaries. */
function runBoth(cfg) {
  const out = {};
  for (const [key, ev] of Object.entries(RUNS)) {
    const sim = new Simulation(scenarioFor(cfg, ev));
    try { out[key] = sim.run(); } finally { sim.free(); }
  }
  return out;
}

export class Exercises {
  constructor(root, { setParam }) {
    this.setParam = setParam;
    this.catalog = profiles();
    this.cur = null; // { ex, cfg, source, path, value, answered }
    this.onStart = () => {};
    this.buildMenu(root);
    this.buildPanel(root.querySelector('#ex-panel-slot'));
  }

  // -------------------------------------------------------------------------- the menu

  buildMenu(root) {
    // A disclosure button and a full-width region under the bar: the list, the file picker and
    // the teacher's form.
    const host = root.querySelector('#ex-menu-body');
    root.querySelector('#teach-ex').innerHTML = `<button type="button" class="btn ex-toggle" id="ex-menu-toggle" data-testid="exercise-menu"
      aria-expanded="false" aria-controls="ex-menu-body"><span data-i18n="ex.menu"></span></button>`;
    host.innerHTML = `
      <h3 data-i18n="ex.list.h"></h3>
      <ul class="ex-list" id="ex-list" data-testid="exercise-list"></ul>
      <label class="field ex-file"><span data-i18n="ex.file"></span>
        <input type="file" accept=".json,application/json" data-testid="exercise-file" id="ex-file"></label>
      <details class="ex-export" id="ex-export">
        <summary data-i18n="ex.export.h"></summary>
        <form class="ex-export-form" id="ex-export-form" data-testid="exercise-export-form" novalidate></form>
      </details>`;
    this.toggle = root.querySelector('#ex-menu-toggle');
    this.menu = host;
    this.toggle.addEventListener('click', () => this.showMenu(host.hidden));
    host.querySelector('#ex-file').addEventListener('change', (e) => {
      const file = e.target.files?.[0];
      e.target.value = '';
      if (file) this.openFile(file);
    });
    host.querySelector('#ex-list').addEventListener('click', (e) => {
      const a = e.target.closest('a[data-path]');
      if (!a) return;
      e.preventDefault();
      this.openLink(a.dataset.path);
    });
    this.exportForm = host.querySelector('#ex-export-form');
    host.querySelector('#ex-export').addEventListener('toggle', (e) => { if (e.target.open && !this.exportForm.childElementCount) this.buildExport(); });
    const form = this.exportForm;
    form.addEventListener('change', (e) => {
      if (e.target.name === 'type' || e.target.name === 'metric') { this.syncExport(); this.fillTemplates(true); }
    });
    form.addEventListener('input', (e) => { if (e.target.name) e.target.dataset.edited = '1'; });
    form.addEventListener('click', (e) => {
      const b = e.target.closest('[data-action]');
      if (b) this.exportAction(b.dataset.action);
    });
  }

  showMenu(open) {
    this.menu.hidden = !open;
    this.toggle.setAttribute('aria-expanded', String(open));
    if (open) this.loadList();
  }

  /** The shipped exercises (exercises/index.json), each a link a teacher can copy. */
  async loadList() {
    const ul = this.menu.querySelector('#ex-list');
    if (this.listLoaded) { this.renderList(); return; }
    this.listLoaded = true;
    ul.innerHTML = `<li class="hint">${esc(t('ex.list.loading'))}</li>`;
    try {
      const r = await fetch(new URL(INDEX, location.href));
      if (!r.ok) throw new Error(`HTTP ${r.status}`);
      const files = (await r.json()).exercises ?? [];
      this.items = await Promise.all(files.map(async (f) => {
        const path = `exercises/${f}`;
        try {
          const res = await fetch(new URL(path, location.href));
          const p = parseExercise(await res.text(), this.catalog);
          return { path, ex: p.exercise };
        } catch { return { path, ex: null }; }
      }));
    } catch (e) {
      this.items = [];
      this.listError = e.message;
    }
    this.renderList();
  }

  renderList() {
    const ul = this.menu.querySelector('#ex-list');
    if (!this.items) return;
    if (!this.items.length) { ul.innerHTML = `<li class="hint">${esc(t('ex.list.none', { msg: this.listError ?? '' }))}</li>`; return; }
    ul.innerHTML = this.items.map(({ path, ex }) => {
      const href = `?exercise=${encodeURIComponent(path)}&lang=${getLang()}`;
      return `<li><a href="${esc(href)}" data-path="${esc(path)}">${esc(ex ? local(ex.title) : path)}</a>${ex ? '' : ` <span class="hint">${esc(t('ex.list.invalid'))}</span>`}</li>`;
    }).join('');
  }

  // -------------------------------------------------------------------------- loading

  /** `?exercise=` or a list entry: a relative path on this site only. */
  async openLink(raw) {
    const checked = checkExercisePath(raw, location.href);
    if (checked.error) { this.fail(String(raw), [() => t(checked.error.key, checked.error.vars)]); return; }
    let text;
    try {
      const r = await fetch(checked.url);
      if (!r.ok) { this.fail(checked.path, [() => t('ex.err.http', { status: r.status, url: checked.path })]); return; }
      text = await r.text();
    } catch (e) {
      this.fail(checked.path, [() => t('ex.err.fetch', { msg: e.message })]);
      return;
    }
    await this.load(text, checked.path, checked.path);
  }

  async openFile(file) {
    if (file.size > MAX_BYTES) { this.fail(file.name, [() => t('ex.err.size', { field: '(file)', max: MAX_BYTES / 1024 })]); return; }
    await this.load(await file.text(), file.name, null);
  }

  /** Validates, sets the scenario up with the results hidden, and asks the question. */
  async load(text, source, path) {
    const parsed = parseExercise(text, this.catalog);
    if (!parsed.ok) { this.fail(source, parsed.errors.map((e) => () => t(e.key, e.vars))); return; }
    await this.begin(parsed.exercise, source, path);
  }

  async begin(ex, source, path) {
    const { cfg, texts } = toConfig(ex.scenario, this.catalog);
    if (texts.length) { this.fail(source, texts); return; }
    let value = null;
    let summaries;
    try { summaries = runBoth(cfg); } catch (e) { this.fail(source, [() => t('ex.err.engine', { msg: e.message })]); return; }
    if (ex.answer.type === 'number') {
      value = toUnit(metricValue(ex.answer.metric, summaries), ex.answer.unit);
      if (value == null) { this.fail(source, [() => t('ex.err.no_value', { metric: ex.answer.metric })]); return; }
    }
    api.hideError();
    this.onStart();
    this.cur = { ex, cfg, source, path, value, answered: null };
    this.setParam(path);
    this.showMenu(false);
    document.documentElement.classList.add('ex-hiding');
    this.renderPanel();
    this.panel.hidden = false;
    this.panel.dataset.state = 'asking';
    await api.apply(cfg, { event: ex.scenario.event ?? 'crash', t: 0, sel: 0 });
    this.panel.dataset.ready = '1';
    this.panel.scrollIntoView({ block: 'start', behavior: matchMedia('(prefers-reduced-motion: reduce)').matches ? 'auto' : 'smooth' });
    this.panel.focus({ preventScroll: true });
  }

  /** A file that cannot be used: say why in the page's error area; everything else keeps working. */
  fail(source, texts) {
    this.setParam(this.cur?.path ?? null);
    api.showError(() => [t('ex.err.head', { source }), ...texts.map((f) => f())]);
  }

  exit() {
    if (!this.cur) return;
    this.cur = null;
    this.panel.hidden = true;
    this.panel.dataset.state = '';
    this.panel.dataset.ready = '0';
    document.documentElement.classList.remove('ex-hiding');
    this.setParam(null);
    this.toggle.focus();
  }

  // -------------------------------------------------------------------------- the exercise panel

  buildPanel(host) {
    const panel = document.createElement('section');
    panel.className = 'panel ex-panel';
    panel.hidden = true;
    panel.tabIndex = -1;
    panel.dataset.testid = 'exercise-panel';
    panel.setAttribute('aria-labelledby', 'ex-title');
    host.appendChild(panel);
    this.panel = panel;
    panel.addEventListener('submit', (e) => { e.preventDefault(); this.submit(); });
    panel.addEventListener('click', (e) => { if (e.target.closest('[data-action=exit]')) this.exit(); });
  }

  renderPanel() {
    const { ex, source, answered } = this.cur;
    const a = ex.answer;
    const input = a.type === 'number'
      ? `<label class="field ex-answer"><span>${esc(t('ex.answer.label'))}</span>
           <span class="ex-num"><input type="text" inputmode="decimal" autocomplete="off" spellcheck="false" id="ex-input" data-testid="exercise-input" aria-describedby="ex-input-err"${answered ? ' disabled' : ''} value="${esc(answered?.text ?? '')}">
           <span class="ex-unit" data-testid="exercise-unit">${esc(unitLabel(a.metric, a.unit) || t('ex.unit.count'))}</span></span></label>`
      : `<fieldset class="ex-choices"${answered ? ' disabled' : ''}><legend>${esc(t('ex.answer.choose'))}</legend>${a.choices.map((c, i) =>
        `<label class="check"><input type="radio" name="ex-choice" value="${i}" data-testid="exercise-choice-${i}"${answered?.choice === i ? ' checked' : ''}> <span>${esc(local(c))}</span>${answered ? this.mark(i) : ''}</label>`).join('')}</fieldset>`;
    this.panel.innerHTML = `
      <div class="panel-head"><div><p class="ex-kicker">${esc(t('ex.kicker'))}</p>
        <h2 id="ex-title" data-testid="exercise-title">${esc(local(ex.title))}</h2></div>
        <button type="button" class="btn" data-action="exit" data-testid="exercise-exit">${esc(t('ex.exit'))}</button></div>
      <p class="ex-question" data-testid="exercise-question">${esc(local(ex.question))}</p>
      <p class="hint">${esc(t(answered ? 'ex.source.short' : 'ex.source', { source }))}</p>
      <form class="ex-form" novalidate>
        ${input}
        <p class="ex-input-err" id="ex-input-err" data-testid="exercise-input-error" role="alert"></p>
        <button type="submit" class="btn primary" data-testid="exercise-submit"${answered ? ' hidden' : ''}>${esc(t('ex.submit'))}</button>
      </form>
      <p class="note ex-hidden-note" data-testid="exercise-hidden-note"${answered ? ' hidden' : ''}>${esc(t('ex.hidden'))}</p>
      <div class="ex-result" id="ex-result" data-testid="exercise-result" aria-live="polite"></div>
      <div class="ex-explanation" data-testid="exercise-explanation"${answered ? '' : ' hidden'}><h3>${esc(t('ex.explanation'))}</h3><p>${esc(local(ex.explanation))}</p></div>`;
    if (answered) this.renderResult();
  }

  /** After the answer: the right choice, and the student's if it was wrong, marked in words too. */
  mark(i) {
    const a = this.cur.ex.answer;
    if (i === a.correct) return ` <span class="ex-mark ok">✓ ${esc(t('ex.mark.right'))}</span>`;
    if (i === this.cur.answered.choice) return ` <span class="ex-mark no">✗ ${esc(t('ex.mark.yours'))}</span>`;
    return '';
  }

  async submit() {
    const cur = this.cur;
    if (!cur || cur.answered) return;
    const a = cur.ex.answer;
    const errEl = this.panel.querySelector('#ex-input-err');
    let answered;
    if (a.type === 'number') {
      const input = this.panel.querySelector('#ex-input');
      const n = parseAnswerNumber(input.value);
      if (n == null) {
        input.setAttribute('aria-invalid', 'true');
        errEl.textContent = t(input.value.trim() ? 'ex.answer.not_number' : 'ex.answer.empty', { value: input.value, unit: unitLabel(a.metric, a.unit) || t('ex.unit.count') });
        input.focus();
        return;
      }
      input.removeAttribute('aria-invalid');
      answered = { text: input.value, given: n, ...grade(n, cur.value, a.tolerance) };
    } else {
      const picked = this.panel.querySelector('input[name=ex-choice]:checked');
      if (!picked) { errEl.textContent = t('ex.answer.pick'); this.panel.querySelector('input[name=ex-choice]')?.focus(); return; }
      const choice = Number(picked.value);
      answered = { choice, correct: choice === a.correct };
    }
    errEl.textContent = '';
    cur.answered = answered;
    // The reveal: the normal page with the exercise's scenario, at the moment the file points to.
    this.panel.dataset.ready = '0';
    document.documentElement.classList.remove('ex-hiding');
    const r = cur.ex.reveal ?? {};
    await api.apply(cur.cfg, { event: r.event ?? cur.ex.scenario.event ?? 'crash', t: r.t ?? 0, sel: r.sel ?? 0 });
    if (this.cur !== cur) return;
    this.panel.dataset.state = 'revealed';
    this.renderPanel();
    this.panel.querySelector('#ex-result').focus?.();
    this.panel.dataset.ready = '1';
  }

  renderResult() {
    const { ex, answered, value } = this.cur;
    const a = ex.answer;
    const el = this.panel.querySelector('#ex-result');
    el.tabIndex = -1;
    el.dataset.correct = answered.correct ? '1' : '0';
    el.className = `ex-result ${answered.correct ? 'ok' : 'no'}`;
    const head = `<p class="ex-verdict"><span aria-hidden="true">${answered.correct ? '✓' : '✗'}</span> ${esc(t(answered.correct ? 'ex.result.correct' : 'ex.result.wrong'))}</p>`;
    if (a.type === 'choice') {
      el.dataset.chosen = String(answered.choice);
      el.dataset.answer = String(a.correct);
      el.innerHTML = head + `<p>${esc(t(answered.correct ? 'ex.result.choice_right' : 'ex.result.choice_wrong', { chosen: local(a.choices[answered.choice]), answer: local(a.choices[a.correct]) }))}</p>`;
      return;
    }
    Object.assign(el.dataset, { value: String(value), given: String(answered.given), off: String(answered.off), offPct: answered.offPct == null ? '' : String(answered.offPct) });
    const timeNote = metricKind(a.metric) === 'time' && a.unit !== 'ms' ? ` (${duration(value * { s: 1000, min: 60_000 }[a.unit])})` : '';
    const lines = [t('ex.result.value', { value: withUnit(value, a.metric, a.unit) + timeNote, metric: a.metric })];
    if (answered.off === 0) lines.push(t('ex.result.exact', { given: withUnit(answered.given, a.metric, a.unit) }));
    else {
      lines.push(t(answered.off > 0 ? 'ex.result.high' : 'ex.result.low', {
        given: withUnit(answered.given, a.metric, a.unit), off: withUnit(Math.abs(answered.off), a.metric, a.unit),
        pct: answered.offPct == null ? '—' : fmtValue(Math.abs(answered.offPct)),
      }));
    }
    lines.push(t('ex.result.tolerance', { tol: fmtNum(a.tolerance * 100, 2) }));
    el.innerHTML = head + lines.map((l) => `<p>${esc(l)}</p>`).join('');
  }

  relabel() {
    if (this.cur) this.renderPanel();
    if (this.items) this.renderList();
    if (this.exportForm.childElementCount) this.buildExport(true);
  }

  // -------------------------------------------------------------------------- the teacher's export

  /** Both languages' templates (the locale files), for a form that fills in en and ko at once. */
  async dicts() {
    if (!this.dictCache) {
      const get = async (l) => (await fetch(new URL(`./locales/teach.${l}.json`, import.meta.url))).json();
      const [en, ko] = await Promise.all([get('en'), get('ko')]);
      this.dictCache = { en, ko };
    }
    return this.dictCache;
  }

  async buildExport(keep = false) {
    const form = this.exportForm;
    const old = keep ? Object.fromEntries(new FormData(form)) : null;
    const metricOpts = (run) => METRICS.filter((m) => m.startsWith(run + '.')).map((m) => `<option value="${m}">${esc(this.metricName(m))}</option>`).join('');
    form.innerHTML = `
      <p class="hint">${esc(t('ex.export.hint'))}</p>
      <div class="ex-grid">
        <label class="field"><span>${esc(t('ex.export.id'))}</span><input name="id" value="my-exercise" autocomplete="off" spellcheck="false"></label>
        <label class="field"><span>${esc(t('ex.export.type'))}</span><select name="type"><option value="number">${esc(t('ex.export.type.number'))}</option><option value="choice">${esc(t('ex.export.type.choice'))}</option></select></label>
        <label class="field ex-metric" data-for="number"><span>${esc(t('ex.export.metric'))}</span><select name="metric">
          <optgroup label="${esc(t('ev.crash.title'))}">${metricOpts('crash')}</optgroup>
          <optgroup label="${esc(t('ev.shutdown.title'))}">${metricOpts('controlled_shutdown')}</optgroup>
          <option value="ratio">${esc(this.metricName('ratio'))}</option></select></label>
        <label class="field" data-for="number"><span>${esc(t('ex.export.unit'))}</span><select name="unit"></select></label>
        <label class="field" data-for="number"><span>${esc(t('ex.export.tolerance'))}</span><input name="tolerance" value="10" inputmode="decimal" autocomplete="off"></label>
        <label class="field" data-for="choice"><span>${esc(t('ex.export.correct'))}</span><input name="correct" value="1" inputmode="numeric" autocomplete="off"></label>
      </div>
      <div class="ex-grid two">
        ${['en', 'ko'].map((l) => `
        <fieldset class="ex-lang"><legend>${esc(t('ex.export.lang.' + l))}</legend>
          <label class="field"><span>${esc(t('ex.export.title'))}</span><input name="title_${l}" lang="${l}"></label>
          <label class="field"><span>${esc(t('ex.export.question'))}</span><textarea name="question_${l}" rows="3" lang="${l}"></textarea></label>
          <label class="field" data-for="choice"><span>${esc(t('ex.export.choices'))}</span><textarea name="choices_${l}" rows="4" lang="${l}"></textarea></label>
          <label class="field"><span>${esc(t('ex.export.explanation'))}</span><textarea name="explanation_${l}" rows="3" lang="${l}"></textarea></label>
        </fieldset>`).join('')}
      </div>
      <label class="check"><input type="checkbox" name="reveal"> <span>${esc(t('ex.export.reveal'))}</span></label>
      <ul class="ex-export-errors" data-testid="exercise-export-errors" role="alert"></ul>
      <div class="ex-export-actions">
        <button type="button" class="btn primary" data-testid="exercise-export-download" data-action="download">${esc(t('ex.export.download'))}</button>
        <button type="button" class="btn" data-testid="exercise-export-try" data-action="try">${esc(t('ex.export.try'))}</button>
      </div>`;
    const el = (n) => form.elements.namedItem(n);
    el('metric').value = 'crash.last_partition_downtime_ms';
    this.syncExport();
    if (old) {
      for (const [k, v] of Object.entries(old)) { const f = el(k); if (f && f.type !== 'checkbox') f.value = v; else if (f) f.checked = v === 'on'; }
      this.syncExport();
      if (old.unit) el('unit').value = old.unit;
    } else await this.fillTemplates();
  }

  /** Shows the fields of the chosen answer type; offers the units the chosen metric allows. */
  syncExport() {
    const form = this.exportForm;
    const el = (n) => form.elements.namedItem(n);
    const type = el('type').value;
    for (const f of form.querySelectorAll('[data-for]')) f.hidden = f.dataset.for !== type;
    const prev = el('unit').value;
    const units = unitsFor(el('metric').value);
    el('unit').innerHTML = units.map((u) => `<option value="${u}">${esc(u)}</option>`).join('');
    el('unit').value = units.includes(prev) ? prev : units.includes('s') ? 's' : units[0];
  }

  metricName(m, dict) {
    const tr = dict ? (k) => dict[k] ?? k : (k) => t(k);
    if (m === 'ratio') return `${tr('ex.metric.ratio')} (ratio)`;
    const [run, field, part] = m.split('.');
    const name = part ? `${tr('ex.field.last_partition_breakdown_ms')}: ${tr('ex.part.' + part)}` : tr('ex.field.' + field);
    return `${tr('ex.run.' + run)} · ${name} (${m})`;
  }

  /** Fills the texts the teacher has not edited with templates describing the current page. */
  async fillTemplates(onlyUnedited = false) {
    const form = this.exportForm;
    const dicts = await this.dicts();
    const cfg = api.cfg();
    const m = form.elements.namedItem('metric').value;
    const choice = form.elements.namedItem('type').value === 'choice';
    for (const l of ['en', 'ko']) {
      const d = dicts[l];
      const [run, field, part] = m.split('.');
      const vars = {
        profile: cfg.profile, partitions: cfg.partitions.toLocaleString('en-US'), victim: cfg.victim,
        run: d['ex.tpl.run.' + run] ?? '', field: part ? `${d['ex.field.' + field]} (${d['ex.part.' + part]})` : d['ex.field.' + field] ?? '',
      };
      const fill = (name, key) => {
        const f = form.elements.namedItem(`${name}_${l}`);
        if (onlyUnedited && f.dataset.edited) return;
        f.value = formatMessage({ key, vars }, d);
      };
      fill('title', 'ex.export.tpl.title');
      fill('question', choice ? 'ex.export.tpl.question_choice' : m === 'ratio' ? 'ex.export.tpl.question_ratio' : 'ex.export.tpl.question');
      fill('choices', 'ex.export.tpl.choices');
      fill('explanation', 'ex.export.tpl.explanation');
    }
  }

  /** The exercise the form describes: the page's current scenario plus the teacher's texts. */
  exportObject() {
    const f = Object.fromEntries(new FormData(this.exportForm));
    const cfg = api.cfg();
    const view = api.view();
    const scenario = {};
    for (const k of ['profile', 'event', 'partitions', 'brokers', 'rf', 'layout', 'victim', 'controller', 'vic', 'unclean']) {
      if (cfg[k] !== DEFAULT[k] || ['profile', 'partitions'].includes(k)) scenario[k] = cfg[k];
    }
    Object.assign(scenario, cfg.params);
    const both = (n) => ({ en: (f[`${n}_en`] ?? '').trim(), ko: (f[`${n}_ko`] ?? '').trim() });
    const lines = (s) => s.split('\n').map((x) => x.trim()).filter(Boolean);
    let answer;
    if (f.type === 'choice') {
      const en = lines(f.choices_en ?? '');
      const ko = lines(f.choices_ko ?? '');
      const correctNum = parseAnswerNumber(f.correct);
      answer = { type: 'choice', choices: Array.from({ length: Math.max(en.length, ko.length) }, (_, i) => ({ en: en[i] ?? '', ko: ko[i] ?? '' })), correct: correctNum == null ? f.correct : correctNum - 1 };
    } else {
      const tol = parseAnswerNumber(f.tolerance);
      answer = { type: 'number', metric: f.metric, unit: f.unit, tolerance: tol == null ? f.tolerance : Math.round(tol * 1e6) / 1e8 };
    }
    const ex = { format: FORMAT, id: (f.id ?? '').trim(), title: both('title'), question: both('question'), scenario, answer, explanation: both('explanation') };
    if (f.reveal) ex.reveal = { t: view.t, sel: view.sel, event: cfg.event };
    return ex;
  }

  exportAction(action) {
    const ex = this.exportObject();
    const { errors } = validateExercise(ex, this.catalog);
    const ul = this.exportForm.querySelector('.ex-export-errors');
    ul.innerHTML = errors.map((e) => `<li>${esc(t(e.key, e.vars))}</li>`).join('');
    if (errors.length) return;
    if (action === 'try') { this.begin(ex, t('ex.export.source'), null); return; }
    const blob = new Blob([JSON.stringify(ex, null, 2) + '\n'], { type: 'application/json' });
    const a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = `${ex.id}.json`;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
  }
}
