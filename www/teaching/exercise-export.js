// The teacher's form: the page's current scenario plus a question, an answer (a metric of the
// engine's summary with unit and tolerance, or a multiple choice) and texts in both languages,
// validated like any exercise file, then downloaded or tried at once.
import { api } from '../lib/app-api.js';
import { t } from '../lib/i18n.js';
import { DEFAULT } from '../sharing/url-state.js';
import { FORMAT, METRICS, parseAnswerNumber, unitsFor, validateExercise, formatMessage } from './exercise-schema.js';

const esc = (s) => String(s).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }[c]));


/** A metric's field in words: a summary field, a part of the last partition's downtime, one of the
 * return's figures (`crash.restart.*`) or a rolling restart's (`rolling.*`). */
function metricField(m, tr) {
  const [run, field, part] = m.split('.');
  if (run === 'rolling') return tr('ex.rolling.' + field);
  if (field === 'restart') return `${tr('ex.field.restart')}: ${tr('ex.rfield.' + part)}`;
  if (part) return `${tr('ex.field.last_partition_breakdown_ms')}: ${tr('ex.part.' + part)}`;
  return tr('ex.field.' + field);
}
export class ExerciseExport {
  /** form: the (empty) <form>; details: its disclosure; onTry(ex): start the exercise now. */
  constructor(form, details, catalog, { onTry }) {
    this.form = form;
    this.catalog = catalog;
    this.onTry = onTry;
    details.addEventListener('toggle', (e) => { if (e.target.open && !form.childElementCount) this.build(); });
    form.addEventListener('change', (e) => {
      if (e.target.name === 'type' || e.target.name === 'metric') { this.sync(); this.fillTemplates(true); }
    });
    form.addEventListener('input', (e) => { if (e.target.name) e.target.dataset.edited = '1'; });
    form.addEventListener('click', (e) => {
      const b = e.target.closest('[data-action]');
      if (b) this.action(b.dataset.action);
    });
  }

  relabel() { if (this.form.childElementCount) this.build(true); }

  /** Both languages' templates (the locale files), for a form that fills in en and ko at once. */
  async dicts() {
    if (!this.dictCache) {
      const get = async (l) => (await fetch(new URL(`../locales/teach.${l}.json`, import.meta.url))).json();
      const [en, ko] = await Promise.all([get('en'), get('ko')]);
      this.dictCache = { en, ko };
    }
    return this.dictCache;
  }

  async build(keep = false) {
    const form = this.form;
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
          <optgroup label="${esc(t('ex.run.rolling'))}">${metricOpts('rolling')}</optgroup>
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
    this.sync();
    if (old) {
      for (const [k, v] of Object.entries(old)) { const f = el(k); if (f && f.type !== 'checkbox') f.value = v; else if (f) f.checked = v === 'on'; }
      this.sync();
      if (old.unit) el('unit').value = old.unit;
    } else await this.fillTemplates();
  }

  /** Shows the fields of the chosen answer type; offers the units the chosen metric allows. */
  sync() {
    const el = (n) => this.form.elements.namedItem(n);
    const type = el('type').value;
    for (const f of this.form.querySelectorAll('[data-for]')) f.hidden = f.dataset.for !== type;
    const prev = el('unit').value;
    const units = unitsFor(el('metric').value);
    el('unit').innerHTML = units.map((u) => `<option value="${u}">${esc(t('ex.unit.' + u))}</option>`).join('');
    el('unit').value = units.includes(prev) ? prev : units.includes('s') ? 's' : units[0];
  }

  metricName(m, dict) {
    const tr = dict ? (k) => dict[k] ?? k : (k) => t(k);
    if (m === 'ratio') return `${tr('ex.metric.ratio')} (ratio)`;
    return `${tr('ex.run.' + m.split('.')[0])} · ${metricField(m, tr)} (${m})`;
  }

  /** Fills the texts the teacher has not edited with templates describing the current page. */
  async fillTemplates(onlyUnedited = false) {
    const form = this.form;
    const dicts = await this.dicts();
    const cfg = api.cfg();
    const m = form.elements.namedItem('metric').value;
    const choice = form.elements.namedItem('type').value === 'choice';
    for (const l of ['en', 'ko']) {
      const d = dicts[l];
      const [run] = m.split('.');
      const vars = {
        profile: cfg.profile, partitions: cfg.partitions.toLocaleString('en-US'), victim: cfg.victim,
        run: d['ex.tpl.run.' + run] ?? '', field: metricField(m, (k) => d[k] ?? ''),
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
  exercise() {
    const f = Object.fromEntries(new FormData(this.form));
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

  action(action) {
    const ex = this.exercise();
    const { errors } = validateExercise(ex, this.catalog);
    const ul = this.form.querySelector('.ex-export-errors');
    ul.innerHTML = errors.map((e) => `<li>${esc(t(e.key, e.vars))}</li>`).join('');
    if (errors.length) return;
    if (action === 'try') { this.onTry(ex); return; }
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
