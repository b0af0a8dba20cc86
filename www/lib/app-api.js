// The page's actions for features built beside app.js (the tour, exercises, embedding, exports):
// app.js fills `api` once it is running, the feature modules call it. This keeps those modules out
// of app.js's internals and lets them be added or removed with one import each.
//
//   api.cfg()                  the current flat config (a copy; see url-state.js)
//   api.view()                 { lang, log, t, sel } (a copy)
//   api.apply(cfg, view?)      run a config; view may set t (ms), sel, and the live `event`
//   api.seek(ms)               move the playhead (the live simulation follows)
//   api.select(partition)      show one partition in the ISR view
//   api.step(n = 1)            take n live steps from where the playhead is (a promise)
//   api.pause()
//   api.runs()                 { crash, shutdown }: { key, summary, rows, profile, lastDetail } of the
//                              two full runs (their Simulations live in the engine worker)
//   api.comparison()           the engine's compareRuns(crash, shutdown) of those runs (ratios included)
//   api.live()                 { last, stepsTaken, nowMs, nextMs, done, snap }: the stepping
//                              simulation's last reply from the worker
//   api.partition(i)           a promise of the live simulation's partition(i)
//   api.runSummary(scenario), api.stepsThrough(scenario, n), api.compare(scenario),
//   api.rollingSummary(scenario) (a rolling restart run to the end), api.csv(which),
//   api.readScenario(file)     engine work done in the worker (promises; see engine/engine-worker.js)
//   api.link()                 the absolute URL of the current scenario, time and selection
//   api.showError(textFn), api.hideError()
//   api.ready()                a promise that resolves once the page is idle
//   api.onChange(fn)           fn() after every applied scenario, seek or step
export const api = {};

const listeners = new Set();
export const onChange = (fn) => { listeners.add(fn); return () => listeners.delete(fn); };
export const notifyChange = () => { for (const fn of listeners) fn(); };
