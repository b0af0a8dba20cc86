// The transport (step, play/pause, speed, restart, scrubber) and the keyboard map.
import { t, fmtNum } from '../lib/i18n.js';
import { duration } from '../lib/format.js';

/** Speeds in simulated time per real time: a log scale from 1× to 10,000×. */
export const SPEEDS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000];
export const DEFAULT_SPEED = 3;

const $ = (id) => document.getElementById(id);

export class Controls {
  constructor(h) {
    this.h = h;
    this.play = $('play-button');
    this.scrub = $('scrubber');
    this.time = $('sim-time');
    this.speed = $('speed-input');
    this.speedOut = $('speed-out');
    this.speed.value = DEFAULT_SPEED;
    this.showSpeed();
    $('step-button').addEventListener('click', () => h.onStep());
    $('back-button').addEventListener('click', () => h.onBack());
    $('restart-button').addEventListener('click', () => h.onRestart());
    this.play.addEventListener('click', () => h.onPlay());
    $('live-event-select').addEventListener('change', (e) => h.onEvent(e.target.value));
    this.speed.addEventListener('input', () => this.showSpeed());
    this.scrub.addEventListener('input', () => h.onSeek(Number(this.scrub.value)));
    // The end of a drag (or a programmatic change) lands at once, not at the next frame.
    this.scrub.addEventListener('change', () => h.onSeekNow(Number(this.scrub.value)));
    $('log-scale-input').addEventListener('change', (e) => h.onLog(e.target.checked));
    $('help-button').addEventListener('click', () => h.onHelp());
    document.addEventListener('keydown', (e) => this.key(e));
  }

  get factor() { return SPEEDS[Number(this.speed.value)]; }
  showSpeed() {
    this.speedOut.textContent = t('unit.times', { v: fmtNum(this.factor) });
    this.speed.setAttribute('aria-valuetext', t('live.speed.text', { v: fmtNum(this.factor) }));
  }
  nudgeSpeed(d) {
    this.speed.value = String(Math.max(0, Math.min(SPEEDS.length - 1, Number(this.speed.value) + d)));
    this.showSpeed();
  }

  setPlaying(on) {
    this.play.setAttribute('aria-pressed', String(on));
    this.play.setAttribute('aria-label', t(on ? 'live.pause' : 'live.play'));
    this.play.title = t(on ? 'live.pause.key' : 'live.play.key');
  }

  setTime(ms, end) {
    this.scrub.max = String(end);
    if (document.activeElement !== this.scrub || Math.abs(Number(this.scrub.value) - ms) > end / 1000) this.scrub.value = String(ms);
    this.scrub.setAttribute('aria-valuetext', duration(ms));
    this.time.textContent = duration(ms);
    this.time.dataset.value = String(Math.round(ms * 1000) / 1000);
  }

  key(e) {
    if (e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented) return;
    const el = e.target;
    if (document.querySelector('dialog[open]')) return;
    const tag = el.tagName;
    // Fields keep the keys they use themselves: text and selects all of them, a slider its
    // arrows and Home/End, a checkbox its Space. The rest still drive the page.
    if (tag === 'SELECT' || tag === 'TEXTAREA' || el.isContentEditable) return;
    if (tag === 'INPUT') {
      const own = el.type === 'range' ? ['ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown', 'Home', 'End', 'PageUp', 'PageDown']
        : el.type === 'checkbox' ? [' '] : null;
      if (!own || own.includes(e.key)) return;
    }
    const activates = tag === 'BUTTON' || tag === 'SUMMARY' || tag === 'A' || el.getAttribute?.('role') === 'button';
    const h = this.h;
    switch (e.key) {
      case ' ': if (activates) return; h.onPlay(); break;
      case 'ArrowRight': h.onStep(); break;
      case 'ArrowLeft': h.onBack(); break;
      case 'Home': h.onRestart(); break;
      case '[': this.nudgeSpeed(-1); break;
      case ']': this.nudgeSpeed(1); break;
      case 'l': case 'L': {
        const box = $('log-scale-input');
        box.checked = !box.checked;
        h.onLog(box.checked);
        break;
      }
      case '?': h.onHelp(); break;
      default: return;
    }
    e.preventDefault();
  }
}

/** The help dialog's key table. */
export function renderHelp() {
  const keys = [['Space', 'help.k.play'], ['→', 'help.k.step'], ['←', 'help.k.back'], ['Home', 'help.k.restart'],
    ['[ ]', 'help.k.speed'], ['L', 'help.k.log'], ['?', 'help.k.help'], ['Esc', 'help.k.close'], ['Tab', 'help.k.tab'],
    ['Enter', 'help.k.broker']];
  $('help-keys').innerHTML = keys.map(([k, d]) => `<tr><td>${k.split(' ').map((x) => `<kbd>${x}</kbd>`).join(' ')}</td><td>${t(d)}</td></tr>`).join('');
}
