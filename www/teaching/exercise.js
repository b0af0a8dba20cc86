// Classroom exercises: a JSON file (see exercise-schema.js and exercises/README.md) asks a question
// about a scenario. The page sets the scenario up with its results hidden, takes the student's
// answer, then reveals the run and grades the answer against the engine's own value, computed
// here from the file's scenario (the file never stores the number). This module loads and runs
// an exercise; the menu, the grading panel and the teacher's form are their own modules.
import { validateScenario } from '../pkg/kafka_election.js';
import { api } from '../lib/app-api.js';
import { t } from '../lib/i18n.js';
import { catalog } from '../lib/catalog.js';
import { parseConfig, scenarioFor, engineProblem } from '../sharing/url-state.js';
import { RUNS, MAX_BYTES, checkExercisePath, isRollingMetric, metricValue, parseExercise, toUnit } from './exercise-schema.js';
import { ExerciseMenu } from './exercise-menu.js';
import { ExercisePanel } from './exercise-panel.js';
import { ExerciseExport } from './exercise-export.js';

/** The file's flat scenario as the page's config; errors as texts (the page's own checks, then the engine's). */
function toConfig(sc, cat) {
  const get = (k) => (!(k in sc) ? null : typeof sc[k] === 'boolean' ? (sc[k] ? '1' : '0') : String(sc[k]));
  const { cfg, errors } = parseConfig(get, cat);
  // Read again on each call, so a language switch re-words the message.
  const texts = errors.map((e, i) => () => parseConfig(get, cat).errors[i]?.text ?? e.text);
  if (!texts.length) {
    const events = cfg.event === 'rolling-restart' ? [...Object.values(RUNS), 'rolling-restart'] : Object.values(RUNS);
    for (const ev of events) {
      const problem = validateScenario(scenarioFor(cfg, ev));
      if (problem) {
        // The file names its fields scenario.<key>: the engine's field as the file calls it.
        const p = engineProblem(problem);
        texts.push(() => t('ex.err.engine', { field: p.page ? `scenario.${p.page}` : p.label, msg: p.message }));
        break;
      }
    }
  }
  return { cfg, texts };
}

export class Exercises {
  constructor(root, { setParam }) {
    this.setParam = setParam;
    this.catalog = catalog();
    this.cur = null; // { ex, cfg, source, path, value, answered }
    this.onStart = () => {};
    this.menu = new ExerciseMenu(root, this.catalog, { onLink: (p) => this.openLink(p), onFile: (f) => this.openFile(f) });
    this.panel = new ExercisePanel(root.querySelector('#ex-panel-slot'), { onSubmit: () => this.submit(), onExit: () => this.exit() });
    this.teacher = new ExerciseExport(this.menu.exportForm, this.menu.exportDetails, this.catalog, { onTry: (ex) => this.begin(ex, t('ex.export.source'), null) });
  }

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
    let comparison;
    // Both runs and their ratio, as the engine compares them (compare --json); a rolling
    // restart's numbers from the engine's roll (run --event rolling-restart --json).
    try {
      comparison = ex.answer.type === 'number' && isRollingMetric(ex.answer.metric)
        ? { rolling: await api.rollingSummary(scenarioFor(cfg, 'rolling-restart')) }
        : await api.compare(scenarioFor(cfg, 'crash'));
    } catch (e) { // in the engine worker
      this.fail(source, [() => t('ex.err.engine', { field: '—', msg: e.message })]);
      return;
    }
    if (ex.answer.type === 'number') {
      value = toUnit(metricValue(ex.answer.metric, comparison), ex.answer.unit);
      if (value == null) { this.fail(source, [() => t('ex.err.no_value', { metric: ex.answer.metric })]); return; }
    }
    api.hideError();
    this.onStart();
    this.cur = { ex, cfg, source, path, value, answered: null };
    this.setParam(path);
    this.menu.show(false);
    document.documentElement.classList.add('ex-hiding');
    const panel = this.panel.el;
    this.panel.render(this.cur);
    panel.hidden = false;
    panel.dataset.state = 'asking';
    await api.apply(cfg, { event: ex.scenario.event ?? 'crash', t: 0, sel: 0 });
    panel.dataset.ready = '1';
    panel.scrollIntoView({ block: 'start', behavior: matchMedia('(prefers-reduced-motion: reduce)').matches ? 'auto' : 'smooth' });
    panel.focus({ preventScroll: true });
  }

  /** A file that cannot be used: say why in the page's error area; everything else keeps working. */
  fail(source, texts) {
    this.setParam(this.cur?.path ?? null);
    api.showError(() => [t('ex.err.head', { source }), ...texts.map((f) => f())]);
  }

  exit() {
    if (!this.cur) return;
    this.cur = null;
    const panel = this.panel.el;
    panel.hidden = true;
    panel.dataset.state = '';
    panel.dataset.ready = '0';
    document.documentElement.classList.remove('ex-hiding');
    this.setParam(null);
    this.menu.toggle.focus();
  }

  async submit() {
    const cur = this.cur;
    if (!cur || cur.answered) return;
    const answered = this.panel.readAnswer(cur);
    if (!answered) return;
    cur.answered = answered;
    // The reveal: the normal page with the exercise's scenario, at the moment the file points to.
    const panel = this.panel.el;
    panel.dataset.ready = '0';
    document.documentElement.classList.remove('ex-hiding');
    const r = cur.ex.reveal ?? {};
    await api.apply(cur.cfg, { event: r.event ?? cur.ex.scenario.event ?? 'crash', t: r.t ?? 0, sel: r.sel ?? 0 });
    if (this.cur !== cur) return;
    panel.dataset.state = 'revealed';
    this.panel.render(cur);
    panel.querySelector('#ex-result').focus?.();
    panel.dataset.ready = '1';
  }

  relabel() {
    if (this.cur) this.panel.render(this.cur);
    this.menu.relabel();
    this.teacher.relabel();
  }
}
