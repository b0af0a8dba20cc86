// The exercise panel: the question, the student's answer (a number in the answer's unit or one of
// the choices), and after the reveal the grading against the engine's value: how far off, the
// tolerance, the right choice marked in words as well as colour, and the explanation.
import { t, getLang, fmtNum } from '../lib/i18n.js';
import { duration } from '../lib/format.js';
import { grade, metricKind, parseAnswerNumber } from './exercise-schema.js';

const esc = (s) => String(s).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }[c]));
const local = (text) => text?.[getLang()] ?? text?.en ?? '';

/** A number in an answer's unit, to about four significant digits. */
export function fmtValue(v) {
  const a = Math.abs(v);
  const dec = a === 0 ? 0 : Math.min(4, Math.max(0, 3 - Math.floor(Math.log10(a))));
  return fmtNum(v, dec);
}
const unitLabel = (metric, unit) => (metric === 'ratio' ? '×' : unit === 'count' ? '' : t('ex.unit.' + unit));
const withUnit = (v, metric, unit) => `${fmtValue(v)}${unitLabel(metric, unit) ? (metric === 'ratio' ? '' : ' ') + unitLabel(metric, unit) : ''}`;

export class ExercisePanel {
  /** handlers: onSubmit(), onExit(). */
  constructor(host, { onSubmit, onExit }) {
    const panel = document.createElement('section');
    panel.className = 'panel ex-panel';
    panel.hidden = true;
    panel.tabIndex = -1;
    panel.dataset.testid = 'exercise-panel';
    panel.setAttribute('aria-labelledby', 'ex-title');
    host.appendChild(panel);
    this.el = panel;
    panel.addEventListener('submit', (e) => { e.preventDefault(); onSubmit(); });
    panel.addEventListener('click', (e) => { if (e.target.closest('[data-action=exit]')) onExit(); });
  }

  /** cur: { ex, source, value, answered }. */
  render(cur) {
    const { ex, source, answered } = cur;
    const a = ex.answer;
    const input = a.type === 'number'
      ? `<label class="field ex-answer"><span>${esc(t('ex.answer.label'))}</span>
           <span class="ex-num"><input type="text" inputmode="decimal" autocomplete="off" spellcheck="false" id="ex-input" data-testid="exercise-input" aria-describedby="ex-input-err"${answered ? ' disabled' : ''} value="${esc(answered?.text ?? '')}">
           <span class="ex-unit" data-testid="exercise-unit">${esc(unitLabel(a.metric, a.unit) || t('ex.unit.count'))}</span></span></label>`
      : `<fieldset class="ex-choices"${answered ? ' disabled' : ''}><legend>${esc(t('ex.answer.choose'))}</legend>${a.choices.map((c, i) =>
        `<label class="check"><input type="radio" name="ex-choice" value="${i}" data-testid="exercise-choice-${i}"${answered?.choice === i ? ' checked' : ''}> <span>${esc(local(c))}</span>${answered ? mark(cur, i) : ''}</label>`).join('')}</fieldset>`;
    this.el.innerHTML = `
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
    if (answered) this.renderResult(cur);
  }

  /**
   * The student's answer graded, or null after saying (inline, focused) what is missing or not a
   * number. cur: { ex, value }.
   */
  readAnswer(cur) {
    const a = cur.ex.answer;
    const errEl = this.el.querySelector('#ex-input-err');
    let answered;
    if (a.type === 'number') {
      const input = this.el.querySelector('#ex-input');
      const n = parseAnswerNumber(input.value);
      if (n == null) {
        input.setAttribute('aria-invalid', 'true');
        errEl.textContent = t(input.value.trim() ? 'ex.answer.not_number' : 'ex.answer.empty', { value: input.value, unit: unitLabel(a.metric, a.unit) || t('ex.unit.count') });
        input.focus();
        return null;
      }
      input.removeAttribute('aria-invalid');
      answered = { text: input.value, given: n, ...grade(n, cur.value, a.tolerance) };
    } else {
      const picked = this.el.querySelector('input[name=ex-choice]:checked');
      if (!picked) { errEl.textContent = t('ex.answer.pick'); this.el.querySelector('input[name=ex-choice]')?.focus(); return null; }
      const choice = Number(picked.value);
      answered = { choice, correct: choice === a.correct };
    }
    errEl.textContent = '';
    return answered;
  }

  renderResult({ ex, answered, value }) {
    const a = ex.answer;
    const el = this.el.querySelector('#ex-result');
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
}

/** After the answer: the right choice, and the student's if it was wrong, marked in words too. */
function mark(cur, i) {
  const a = cur.ex.answer;
  if (i === a.correct) return ` <span class="ex-mark ok">✓ ${esc(t('ex.mark.right'))}</span>`;
  if (i === cur.answered.choice) return ` <span class="ex-mark no">✗ ${esc(t('ex.mark.yours'))}</span>`;
  return '';
}
