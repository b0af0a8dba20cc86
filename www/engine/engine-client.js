// The page's side of the engine worker (engine-worker.js): a promise per request, matched by id.
// `cancel()` stops whatever the worker is doing by terminating it and starting a fresh one (the
// engine's calls are single wasm calls that cannot be interrupted); every request still pending
// then rejects with a CancelledError, and the worker holds no runs until the page applies again.
export class CancelledError extends Error {
  constructor() { super('cancelled'); this.cancelled = true; }
}

let worker = null;
let wasmModule = null; // the page's compiled engine, which every worker instantiates
let nextId = 1;
const pending = new Map(); // id → { resolve, reject, onProgress }
let generation = 0;
let intlWarm;
const intl = new Promise((resolve) => { intlWarm = resolve; });

function start() {
  worker = new Worker(new URL('./engine-worker.js', import.meta.url), { type: 'module' });
  worker.onmessage = (e) => {
    const m = e.data;
    if (m.intl) { intlWarm(); return; }
    const p = pending.get(m.id);
    if (!p) return;
    if (m.progress) { p.onProgress?.(m.progress); return; }
    pending.delete(m.id);
    if (m.ok) p.resolve(m.value);
    else p.reject(Object.assign(new Error(m.error.message), { event: m.error.event }));
  };
  worker.onerror = (e) => {
    // A worker that failed to load (or died): every request fails with the reason.
    intlWarm(); // the page then loads the number-format data itself
    const err = new Error(e.message || 'the engine worker failed');
    for (const p of pending.values()) p.reject(err);
    pending.clear();
  };
  if (wasmModule) worker.postMessage({ wasm: wasmModule });
}

/**
 * Starts the worker now, if it is not running, so that it loads its modules and its wasm while the
 * page is still starting up instead of at the first request.
 */
export function warm() {
  if (!worker) start();
}

/**
 * Hands the worker (this one and any started after a cancel) the engine the page has compiled, so
 * that it instantiates it instead of fetching and compiling it again. A worker asked to work before
 * it has one fetches its own.
 */
export function shareEngine(module) {
  if (!(module instanceof WebAssembly.Module) || wasmModule) return;
  wasmModule = module;
  worker?.postMessage({ wasm: module });
}

/**
 * Resolves once the worker has loaded the browser's number-format data (engine-worker.js), which
 * the whole page process shares; or once the worker has failed, when the page loads it itself.
 */
export const intlReady = () => intl;

/** Sends `op` with `args` (and `transfer`); resolves with the worker's value. */
export function call(op, args = {}, { onProgress, transfer = [] } = {}) {
  if (!worker) start();
  const id = nextId++;
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject, onProgress });
    worker.postMessage({ id, op, args }, transfer);
  });
}

/** Stops the worker and every pending request; the next call starts a new worker. */
export function cancel() {
  generation++;
  worker?.terminate();
  worker = null;
  const err = new CancelledError();
  for (const p of pending.values()) p.reject(err);
  pending.clear();
}

/** How many times the worker has been cancelled (a token for work that must not outlive one). */
export const engineGeneration = () => generation;
/** Requests in flight. */
export const inFlight = () => pending.size;
