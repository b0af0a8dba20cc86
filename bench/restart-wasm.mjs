// The broker's return in wasm (the page's engine, run here in Node): the restart cycle at
// 10,000 and 1,000,000 partitions, and rolling restarts, with native figures from
// `cargo bench --bench restart` for comparison. Run: `node bench/restart-wasm.mjs` after
// `bash scripts/build.sh`. Prints medians; asserts nothing about time.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const wasm = await import(`${root}www/pkg/kafka_election.js`);
await wasm.default({ module_or_path: readFileSync(`${root}www/pkg/kafka_election_bg.wasm`) });

const restart = (profile, event, partitions) => ({
  profile, event,
  cluster: { brokers: 3, controller: 2, topics: [{ partitions, replication_factor: 2, sole_isr_fraction: 0.1 }] },
  restart: { after_ms: 60000 },
});
const rolling = (brokers, partitions) => ({
  profile: 'kafka-2.5', event: 'rolling-restart',
  cluster: { brokers, controller: 2, topics: [{ partitions, replication_factor: Math.min(3, brokers), layout: 'kafka' }] },
});

// Each run frees its engine object at once (as the page's worker does): left to the garbage
// collector, wasm memory grows run after run and the growth is measured instead of the engine.
const once = (make) => () => {
  const o = make();
  o.run();
  o.free();
};

function median(f, n) {
  const t = [];
  for (let i = 0; i < n; i++) {
    const s = performance.now();
    f();
    t.push(performance.now() - s);
  }
  t.sort((a, b) => a - b);
  return t[Math.floor(t.length / 2)];
}

const lines = [];
for (const profile of ['kafka-2.5', 'kraft']) {
  const ms10k = median(() => {
    for (const e of ['crash', 'controlled-shutdown']) once(() => new wasm.Simulation(restart(profile, e, 10000)))();
  }, 15);
  lines.push(`restart cycle, crash + clean, 10,000 partitions, ${profile}: ${ms10k.toFixed(1)} ms`);
  for (const e of ['crash', 'controlled-shutdown']) {
    const ms = median(once(() => new wasm.Simulation(restart(profile, e, 1000000))), 3);
    lines.push(`restart cycle, ${e}, 1,000,000 partitions, ${profile}: ${ms.toFixed(0)} ms`);
  }
}
for (const [brokers, partitions, n] of [[3, 10000, 9], [6, 10000, 9], [12, 10000, 9], [3, 1000000, 3]]) {
  const ms = median(once(() => new wasm.RollingRestart(rolling(brokers, partitions))), n);
  lines.push(`rolling restart, ${partitions.toLocaleString('en')} partitions on ${brokers} brokers: ${ms.toFixed(1)} ms`);
}
// Interactivity: the longest single step of a 10,000-partition roll on 6 brokers.
const roll = new wasm.RollingRestart(rolling(6, 10000));
let worst = 0;
let steps = 0;
for (;;) {
  const s = performance.now();
  const step = roll.step();
  worst = Math.max(worst, performance.now() - s);
  if (step === null) break;
  steps++;
}
roll.free();
lines.push(`rolling restart, 10,000 partitions on 6 brokers, stepped: ${steps} steps, longest step ${worst.toFixed(2)} ms`);
console.log(lines.join('\n'));
