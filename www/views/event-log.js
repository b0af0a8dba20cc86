// The event log: each step in plain words, numbered like the chapter, newest at the bottom. It
// keeps the raw steps (not the text) so a language switch re-narrates them.
import { t, has } from '../lib/i18n.js';
import { duration, ids } from '../lib/format.js';
import { TOPIC } from '../sharing/url-state.js';

const KEEP = 200;

// The ISR a partition had before an election: the engine worker sends each election step with
// the partition's registration when the live simulation started (`isr_before`, absent above
// 200,000 partitions); steps that record a new registration (state_written) update it as the log
// goes.

/** One step as a sentence in the current language; `isrBefore`: the partition's ISR before this step, when known. */
export function narrate(step, mode, isrBefore = null) {
  const k = 'event.' + step.kind;
  const one = step.partition != null;
  const before = one && isrBefore && has(`${k}.isr_before`) ? `${k}.isr_before` : null;
  const key = before ?? [one && `${k}.${mode}.one`, one && `${k}.one`, `${k}.${mode}`, k].find((x) => x && has(x));
  return t(key, {
    isr_before: isrBefore ? ids(isrBefore) : '—',
    broker: step.broker ?? '—', count: step.count, requests: step.requests,
    partition: step.partition != null ? `${TOPIC}-${step.partition}` : '—',
    leader: step.leader ?? t('isr.none'), isr: step.isr ? ids(step.isr) : '—', epoch: step.epoch ?? '—',
  });
}

export class EventLog {
  constructor(ol) {
    this.ol = ol;
    this.items = []; // {step} or {skipped: n}
    this.mode = 'zookeeper';
  }

  clear(mode) { this.items = []; this.registrations = new Map(); this.mode = mode ?? this.mode; this.ol.replaceChildren(); }

  /** Appends steps; `skipped` earlier steps are summarized in one line (after a jump). */
  append(steps, skipped = 0) {
    const add = [];
    if (skipped > 0) add.push({ skipped });
    this.registrations ??= new Map();
    for (const s of steps) {
      const it = { step: s };
      if (s.partition != null && s.kind === 'leaders_elected') it.isrBefore = this.registrations.get(s.partition) ?? s.isr_before ?? null;
      if (s.partition != null && s.isr && s.kind === 'state_written') this.registrations.set(s.partition, s.isr);
      add.push(it);
    }
    if (!add.length) return;
    this.items.push(...add);
    const frag = document.createDocumentFragment();
    for (const it of add) frag.appendChild(this.li(it));
    this.ol.appendChild(frag);
    while (this.items.length > KEEP) { this.items.shift(); this.ol.firstElementChild?.remove(); }
    this.scroll();
  }

  /** Newest at the bottom: keep it in view (at the next frame, so no layout is forced here). */
  scroll() {
    if (this.queued) return;
    this.queued = true;
    requestAnimationFrame(() => { this.queued = false; this.ol.scrollTop = this.ol.scrollHeight; });
  }

  li(it) {
    const li = document.createElement('li');
    if (it.skipped) {
      li.className = 'more';
      li.dataset.kind = 'skipped';
      li.dataset.chapterStep = '';
      li.innerHTML = `<span class="when"></span><span class="n"></span><span>${t('log.skipped', { n: it.skipped })}</span>`;
      return li;
    }
    const s = it.step;
    li.dataset.kind = s.kind;
    li.dataset.chapterStep = s.chapter_step ?? '';
    const when = document.createElement('span');
    when.className = 'when';
    when.textContent = duration(s.time_us / 1000);
    const n = document.createElement('span');
    n.className = 'n';
    n.textContent = s.chapter_step ?? '';
    if (s.chapter_step != null) n.title = t('log.chapter_step', { n: s.chapter_step });
    const text = document.createElement('span');
    text.textContent = narrate(s, this.mode, it.isrBefore);
    li.append(when, n, text);
    return li;
  }

  rerender() {
    this.ol.replaceChildren(...this.items.map((it) => this.li(it)));
    this.scroll();
  }
}
