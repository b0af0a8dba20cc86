// What the page's modules share: the scenario on screen, its two full runs and the engine's
// comparison of them, the live stepping simulation, and the views. One object, so the modules
// that split app.js (form, results, live, errors) read and write the same state.
import { simEvent } from '../sharing/restart-state.js';

export const state = {
  cfg: null, // the applied flat config (see sharing/url-state.js)
  view: { lang: 'en', log: false, t: 0, sel: 0, steps: null },
  urlError: false, // the link was malformed: the default runs, the address is left alone
  profile: null, // the profile in use (Simulation.profile())
  runs: { crash: null, shutdown: null }, // { sim, summary, rows, partitionOfRow, lastDetail }
  comparison: null, // the engine's compareRuns(crash, shutdown)
  live: null, // { sim, last, maxChapter }
  axisEnd: 1,
  playing: false,
  draftParams: {}, // profile parameters as typed in the form, applied or not
  applying: 0, // how many scenarios have been applied (a token for deferred work)
  applyBusy: false, // while true, live actions wait: the runs and views are being swapped
  starting: true, // until app.js's main() is done: the page is not ready before
  views: null,
};

export const $ = (id) => document.getElementById(id);
export const liveKey = () => (simEvent(state.cfg) === 'crash' ? 'crash' : 'shutdown');
export const liveRun = () => state.runs[liveKey()];
export const liveEnd = () => liveRun().summary.end_ms;
export const nextPaint = () => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
/**
 * Resolves in a new task: long work awaits it between its parts, so that no single task holds the
 * main thread for long (the page's budget: none over 50 ms) and input and paint run in between.
 * scheduler.yield() where there is one (its continuation goes before other queued tasks), else a
 * message to ourselves (unlike setTimeout, never clamped to 4 ms).
 */
export function yieldTask() {
  if (globalThis.scheduler?.yield) return globalThis.scheduler.yield();
  return new Promise((resolve) => {
    const { port1, port2 } = new MessageChannel();
    port1.onmessage = () => { port1.close(); resolve(); };
    port2.postMessage(null);
  });
}
/**
 * Resolves once the browser has laid out and painted what changed so far (nextPaint), or after
 * 100 ms when no frame comes (a hidden page renders none). Work that changes much of the page
 * awaits it between its parts: each part's layout is then a frame of its own, instead of one long
 * frame laying out all of them (text is shaped the first time it is laid out: a few ms per hundred
 * elements).
 */
export const yieldFrame = () => Promise.race([nextPaint(), new Promise((r) => setTimeout(r, 100))]);
export const esc = (s) => String(s).replace(/[&<>]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' }[c]));
/** <html data-ready="1"> when the page is idle and every view shows the current scenario. */
export const setReady = (on) => { document.documentElement.dataset.ready = on && !state.starting ? '1' : '0'; };
