// The guided tour: the chapter in order, one stop per idea. Each stop sets up its scenario through
// the page's api (and steps the live simulation where the chapter numbers steps), points at the
// part of the page to look at, and narrates it with numbers taken from the engine's runs at that
// moment: the texts in locales/teach.*.json only hold {placeholders}, never figures of their own
// (published figures are quoted as citations and labelled as such).
import { api } from '../lib/app-api.js';
import { t, fmtNum } from '../lib/i18n.js';
import { duration, ids, ratio, seconds } from '../lib/format.js';
import { DEFAULT, cloneCfg, scenarioFor } from '../sharing/url-state.js';

const reduced = matchMedia('(prefers-reduced-motion: reduce)');

// ------------------------------------------------------------------------------ values and scenarios

// A value shown in a stop's text: the raw engine number (kept in data-value for tests and screen
// readers' context) and how to write it in the current language.
const ms = (v) => ({ raw: v, text: () => duration(v) });
/** The book speaks of 0.2 s, not 200 ms: a per-partition cost in seconds. */
const sec = (v) => ({ raw: v, text: () => seconds(v) });
const num = (v) => ({ raw: v, text: () => fmtNum(v) });
const list = (v) => ({ raw: v.join(','), text: () => ids(v) });
const times = (v) => ({ raw: v, text: () => ratio(v) });
/** A sentence-sized value (a translated clause): shown as plain text, not as a figure. */
const clause = (fn) => ({ raw: '', plain: true, text: fn });

const cfgOf = (over = {}, params = {}) => ({ ...cloneCfg(DEFAULT), ...over, params });
/** The chapter's peter-test02: one partition, replicas [1, 3], led by broker 1. */
const peterCfg = () => cfgOf({ partitions: 1 });

/**
 * The chapter's step n in the engine's own numbering: runs a scratch simulation and returns how
 * many steps from the start reach the last step numbered n (before any numbered higher), and the
 * steps themselves.
 */
const stepsThrough = (cfg, event, n) => api.stepsThrough(scenarioFor(cfg, event), n); // in the engine worker

/** Thrown when the tour moved on (or exited) while a stop was being set up. */
class Superseded extends Error {}
let generation = 0;
/** Applies a scenario for the stop being set up; stops there if the tour has moved on meanwhile. */
async function applyFor(cfg, view) {
  const gen = generation;
  await api.apply(cfg, view);
  if (gen !== generation) throw new Superseded();
}

/** Sets up the one-partition case and steps the live simulation through the chapter's step n. */
async function peterAt(event, n) {
  const cfg = peterCfg();
  await applyFor(cfg, { event, t: 0, sel: 0 });
  const before = await api.partition(0);
  const { count, steps } = await stepsThrough(cfg, event, n);
  await api.step(count);
  const live = api.live();
  const runs = api.runs();
  return { before, now: await api.partition(0), last: live.last, steps, runs, at: (kind) => steps.find((s) => s.kind === kind) };
}

const summaries = () => ({ crash: api.runs().crash.summary, shutdown: api.runs().shutdown.summary });

// ------------------------------------------------------------------------------ the stops

/**
 * id (the link's ?tour=), target (what to look at), setup() → values for the text's placeholders,
 * rows (optional): [label key, value name] pairs shown as a small table under the text.
 */
export const STOPS = [
  {
    id: 'controller', target: '.cluster-card',
    async setup() {
      await applyFor(peterCfg(), { event: 'crash', t: 0, sel: 0 });
      const p = await api.partition(0);
      const s = summaries().crash;
      return { controller: num(s.controller), replicas: list(p.replicas), leader: num(p.leader), isr: list(p.isr) };
    },
  },
  ...[1, 2, 3, 4, 5].map((n) => ({
    id: `crash-${n}`, target: n <= 2 ? '.cluster-card' : n === 4 ? '#isr-view' : '.log-card', chapter: ['crash', n],
    async setup() {
      const r = await peterAt('crash', n);
      const s = r.runs.crash.summary;
      const v = {
        victim: num(s.victim), at: ms(r.last.time_us / 1000), leader: num(r.now.leader), isr: list(r.now.isr), epoch: num(r.now.epoch),
        old_leader: num(r.before.leader), old_isr: list(r.before.isr), detection: ms(s.detection_ms),
      };
      if (n === 3) Object.assign(v, { new_leader: num(r.last.leader), new_isr: list(r.last.isr) });
      if (n === 5) Object.assign(v, { down: ms(s.last_partition_downtime_ms), client: ms(s.last_partition_breakdown_ms.client_discovery) });
      return v;
    },
  })),
  {
    id: 'arithmetic', target: '.tl-row[data-event=crash]',
    async setup() {
      await applyFor(cfgOf(), { event: 'crash', t: 0, sel: 0 });
      const run = api.runs().crash;
      const s = run.summary;
      return {
        per: sec(run.profile.parameters.controller_per_partition_ms), victim: num(s.victim), partitions_affected: num(s.partitions_affected),
        controller_work_ms: ms(s.controller_work_ms), last_partition_downtime_ms: ms(s.last_partition_downtime_ms),
        first_partition_downtime_ms: ms(s.first_partition_downtime_ms), detection_ms: ms(s.detection_ms),
      };
    },
  },
  ...['kafka-1.0', 'kafka-1.1'].map((profile) => ({
    id: profile, target: '[data-testid=summary-shutdown]',
    rows: [['tour.published', 'published'], ['tour.engine_run', 'controller_work_ms']],
    async setup() {
      await applyFor(cfgOf({ profile }), { event: 'controlled-shutdown', t: 0, sel: 0 });
      const { crash, shutdown } = summaries();
      return {
        partitions_affected: num(shutdown.partitions_affected), controller_work_ms: ms(shutdown.controller_work_ms),
        inflight: num(api.runs().shutdown.profile.parameters.zk_max_in_flight),
        crash_last: ms(crash.last_partition_downtime_ms), crash_detection: ms(crash.detection_ms),
        published: { raw: '', text: () => t(`tour.${profile}.published`) },
      };
    },
  })),
  ...[[1, 2], [3, 4], [5, 6]].map(([from, n]) => ({
    id: `shutdown-${from}-${n}`, target: n === 2 ? '.cluster-card' : n === 4 ? '#isr-view' : '.log-card', chapter: ['controlled-shutdown', n],
    async setup() {
      const r = await peterAt('controlled-shutdown', n);
      const s = r.runs.shutdown.summary;
      const v = { victim: num(s.victim), leader: num(r.now.leader), isr: list(r.now.isr), epoch: num(r.now.epoch), old_leader: num(r.before.leader), at: ms(r.last.time_us / 1000) };
      if (n === 4) {
        Object.assign(v, { down: ms(s.last_partition_downtime_ms), how: clause(() => t('honest.shutdown.' + r.runs.shutdown.profile.parameters.shutdown_unavailability)) });
      }
      if (n === 6) Object.assign(v, { reply: ms(r.at('shutdown_replied').time_us / 1000), exit: ms(r.at('broker_exited').time_us / 1000) });
      return v;
    },
  })),
  {
    id: 'timelines', target: '#timelines',
    async setup() {
      await applyFor(cfgOf(), { event: 'crash', t: 0, sel: 0 });
      const { crash, shutdown } = api.runs();
      const last = crash.lastDetail;
      // The playhead where the crash's last partition is back, and that partition selected.
      if (last?.client_ms != null) await api.seek(last.client_ms);
      if (last) await api.select(last.partition);
      return {
        partitions_affected: num(crash.summary.partitions_affected), crash_last: ms(crash.summary.last_partition_downtime_ms),
        shutdown_last: ms(shutdown.summary.last_partition_downtime_ms),
        last_name: { raw: last?.partition ?? '', text: () => `peter-test02-${last?.partition}` },
        ratio: times(api.comparison().last_partition_downtime_ratio), // the engine's ratio (compareRuns)
      };
    },
  },
  {
    id: 'book-vs-code', target: '.book-card',
    async setup() {
      const cfg = cfgOf({ profile: 'kafka-1.0' }, { crash_publication: 'per_batch' });
      await applyFor(cfg, { event: 'crash', t: 0, sel: 0 });
      const code = api.runs().crash.summary;
      // The book's one-by-one publication on the same cluster: one more engine run.
      const book = await api.runSummary(scenarioFor({ ...cfg, params: { crash_publication: 'per_partition' } }, 'crash'));
      return {
        partitions_affected: num(code.partitions_affected), code_work: ms(code.controller_work_ms), book_work: ms(book.controller_work_ms),
        code_first: ms(code.first_partition_downtime_ms), code_last: ms(code.last_partition_downtime_ms),
        book_first: ms(book.first_partition_downtime_ms), book_last: ms(book.last_partition_downtime_ms),
      };
    },
  },
  {
    // The clean exit's second benefit, live: the default cluster under Kafka 2.5 with the broker
    // back a minute after it went down; the restart panel shows both returns.
    id: 'clean-exit', target: '#restart-panel',
    async setup() {
      await applyFor(cfgOf({ profile: 'kafka-2.5', restart: 60_000 }), { event: 'controlled-shutdown', t: 0, sel: 0 });
      const { crash, shutdown } = summaries();
      const [c, k] = [crash.restart, shutdown.restart];
      return {
        victim: num(crash.victim), after: ms(c.restart_after_ms), partitions: num(c.partitions_hosted),
        data: num(api.runs().crash.profile.parameters.partition_data_mib), mib: num(Math.round(c.log_recovered_mib)),
        crash_log: ms(c.log_recovery_ms), clean_log: ms(k.log_recovery_ms),
        crash_serving: ms(c.broker_serving_ms), clean_serving: ms(k.broker_serving_ms),
      };
    },
  },
];

// ------------------------------------------------------------------------------ the panel

/**
 * Scrolls the window to `top` and resolves when it is there: at the scroll's end (scrollend), or
 * after at most 1.5 s (a browser without scrollend, or a scroll the user interrupted).
 */
function scrollTo(top, behavior) {
  if (Math.abs(window.scrollY - top) < 1) return Promise.resolve();
  return new Promise((resolve) => {
    let timer = 0;
    const done = () => { clearTimeout(timer); window.removeEventListener('scrollend', done); resolve(); };
    timer = setTimeout(done, 1500);
    window.addEventListener('scrollend', done);
    window.scrollTo({ top, behavior });
  });
}

const esc = (s) => String(s).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }[c]));

export class Tour {
  constructor(root, { setParam }) {
    this.setParam = setParam;
    this.i = -1;
    this.active = false;
    this.want = null;
    this.running = false;
    this.vars = null;
    this.spot = null;
    this.onStart = () => {};
    const panel = document.createElement('section');
    panel.className = 'tour-panel';
    panel.hidden = true;
    panel.tabIndex = -1;
    panel.dataset.testid = 'tour-panel';
    panel.setAttribute('aria-labelledby', 'tour-title');
    panel.innerHTML = `
      <div class="tour-head">
        <p class="tour-count" data-testid="tour-count" id="tour-count"></p>
        <h2 class="tour-title" data-testid="tour-title" id="tour-title"></h2>
      </div>
      <div class="tour-body" data-testid="tour-text" id="tour-text" aria-live="polite"></div>
      <div class="tour-nav">
        <button type="button" class="btn" data-testid="tour-back" id="tour-back"></button>
        <button type="button" class="btn primary" data-testid="tour-next" id="tour-next"></button>
        <button type="button" class="btn" data-testid="tour-exit" id="tour-exit"></button>
        <span class="hint tour-keys" id="tour-keys"></span>
      </div>`;
    // A region landmark with a name: screen readers list it and can jump to it.
    panel.setAttribute('role', 'region');
    root.appendChild(panel);
    this.panel = panel;
    this.$ = (id) => panel.querySelector('#' + id);
    this.$('tour-back').addEventListener('click', () => this.prev());
    this.$('tour-next').addEventListener('click', () => (this.i >= STOPS.length - 1 ? this.exit() : this.next()));
    this.$('tour-exit').addEventListener('click', () => this.exit());
    document.addEventListener('keydown', (e) => this.key(e));
    // The panel floats over the page's bottom edge: keep the page scrollable past it.
    new ResizeObserver(() => this.pad()).observe(panel);
    this.relabel();
  }

  start(i = 0) {
    this.onStart();
    this.active = true;
    this.panel.hidden = false;
    document.documentElement.classList.add('touring');
    this.go(i);
  }
  next() { if (this.active && this.target() < STOPS.length - 1) this.go(this.target() + 1); }
  prev() { if (this.active && this.target() > 0) this.go(this.target() - 1); }
  target() { return this.want ?? this.i; }

  exit() {
    if (!this.active) return;
    this.active = false;
    this.want = null;
    this.panel.hidden = true;
    this.panel.dataset.ready = '0';
    document.documentElement.classList.remove('touring');
    document.body.style.removeProperty('--tour-h');
    this.highlight(null);
    this.setParam(null);
    this.i = -1;
    generation++;
    document.getElementById('tour-start')?.focus();
  }

  /** Moves to stop i; requests made while a stop is being set up collapse into the latest. */
  async go(i) {
    this.want = i;
    if (this.running) return;
    this.running = true;
    try {
      while (this.want != null && this.active) {
        const idx = this.want;
        this.want = null;
        await this.show(idx);
      }
    } finally { this.running = false; }
  }

  async show(idx) {
    const stop = STOPS[idx];
    const panel = this.panel;
    panel.dataset.ready = '0';
    panel.dataset.stop = stop.id;
    panel.setAttribute('aria-busy', 'true');
    this.i = idx;
    this.vars = null;
    this.setParam(stop.id);
    this.renderHead();
    generation++;
    let vars;
    try {
      vars = await stop.setup();
    } catch (e) {
      if (e instanceof Superseded) return;
      vars = null;
      this.$('tour-text').textContent = t('tour.err.setup', { msg: e.message });
    }
    if (this.want != null || !this.active) return; // superseded: the next stop is on its way
    this.vars = vars;
    if (vars) this.renderText();
    panel.removeAttribute('aria-busy');
    // Focus goes to the panel unless it is already inside it (on Next, say): the stop's title is
    // the region's name and its text is a live region, so a screen reader hears both.
    if (!panel.contains(document.activeElement) || document.activeElement.disabled) panel.focus({ preventScroll: true });
    // Ready once what to look at is in place: a smooth scroll takes a moment to land.
    await this.highlight(document.querySelector(stop.target));
    if (this.want != null || !this.active) return;
    panel.dataset.ready = '1';
  }

  renderHead() {
    const stop = STOPS[this.i];
    if (!stop) return;
    this.$('tour-count').textContent = t('tour.count', { n: this.i + 1, total: STOPS.length });
    this.$('tour-title').textContent = t(`tour.${stop.id}.title`);
    const back = this.$('tour-back');
    back.disabled = this.i === 0;
    this.$('tour-next').textContent = t(this.i === STOPS.length - 1 ? 'tour.finish' : 'tour.next');
  }

  renderText() {
    const stop = STOPS[this.i];
    const vars = this.vars;
    const html = Object.fromEntries(Object.entries(vars).map(([k, v]) =>
      [k, v.plain ? esc(v.text()) : `<b class="tour-num" data-var="${k}" data-value="${esc(v.raw)}">${esc(v.text())}</b>`]));
    let out = `<p>${t(`tour.${stop.id}.text`, html)}</p>`;
    if (stop.rows) {
      out += `<table class="tour-rows"><tbody>${stop.rows.map(([label, k]) =>
        `<tr><th scope="row">${esc(t(label, { profile: stop.id }))}</th><td>${html[k]}</td></tr>`).join('')}</tbody></table>`;
    }
    if (stop.chapter) out += `<p class="hint tour-step-note">${esc(t('tour.stepped', { n: this.stepLabel(stop) }))}</p>`;
    this.$('tour-text').innerHTML = out;
  }

  stepLabel(stop) {
    const [event, n] = stop.chapter;
    return t(event === 'crash' ? 'tour.event.crash' : 'tour.event.shutdown', { n });
  }

  relabel() {
    this.$('tour-back').textContent = t('tour.back');
    this.$('tour-exit').textContent = t('tour.exit');
    this.$('tour-keys').textContent = t('tour.keys');
    this.panel.setAttribute('aria-roledescription', t('tour.role'));
    if (this.i < 0) { this.$('tour-next').textContent = t('tour.next'); return; }
    this.renderHead();
    if (this.vars) this.renderText();
  }

  /**
   * Outlines what to look at and scrolls it into the part of the window the panel leaves free;
   * resolves once the scroll has landed. If the page's layout moved meanwhile (a view above it
   * re-rendered with a worker's late reply), it scrolls again to where the spot now is.
   */
  async highlight(el) {
    this.spot?.classList.remove('tour-spot');
    this.spot?.removeAttribute('data-tour-spot');
    this.spot = el;
    if (!el) return;
    el.classList.add('tour-spot');
    el.setAttribute('data-tour-spot', '1');
    this.pad();
    let want = this.spotTop(el);
    await scrollTo(want, reduced.matches ? 'auto' : 'smooth');
    // Only a moved layout scrolls again (the spot's place changed), never a window the reader
    // scrolled meanwhile.
    for (let i = 0; i < 3 && this.spot === el; i++) {
      const top = this.spotTop(el);
      if (Math.abs(top - want) < 2) break;
      want = top;
      await scrollTo(top, 'auto');
    }
  }

  /** The window's scroll position that puts `el` in the free part (clamped to what can scroll). */
  spotTop(el) {
    // The live section's step controls stick to the window's top: the free part starts below them.
    const bar = el.closest('#live') ? document.querySelector('#live .transport') : null;
    const barH = bar && getComputedStyle(bar).position === 'sticky' ? bar.offsetHeight : 0;
    const free = window.innerHeight - this.panel.offsetHeight - 16 - barH;
    const r = el.getBoundingClientRect();
    // Too tall for the free part: its end (where a panel says what is happening now) may matter as
    // much as its head, so up to half of it may scroll away above to show its bottom.
    const over = r.height + 24 - free;
    const top = window.scrollY + r.top - barH - (over <= 0 ? (free - r.height) / 2 : 12 - Math.min(over, r.height / 2));
    const max = document.documentElement.scrollHeight - window.innerHeight;
    return Math.round(Math.max(0, Math.min(top, max)));
  }

  pad() {
    if (this.active) document.body.style.setProperty('--tour-h', `${this.panel.offsetHeight + 16}px`);
  }

  key(e) {
    if (!this.active || e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented) return;
    if (document.querySelector('dialog[open]')) return;
    const el = e.target;
    const tag = el.tagName;
    // Fields keep their own keys: a slider its PageUp/PageDown, text fields their letters.
    const typing = tag === 'TEXTAREA' || tag === 'SELECT' || el.isContentEditable || (tag === 'INPUT' && !['checkbox', 'radio', 'button'].includes(el.type));
    const own = typing && (tag !== 'INPUT' || el.type === 'range' || tag === 'SELECT');
    switch (e.key) {
      case 'PageDown': if (own) return; this.next(); break;
      case 'PageUp': if (own) return; this.prev(); break;
      case 'n': case 'N': if (typing) return; this.next(); break;
      case 'p': case 'P': if (typing) return; this.prev(); break;
      case 'Escape': if (tag === 'SELECT') return; this.exit(); break;
      default: return;
    }
    e.preventDefault();
  }
}
