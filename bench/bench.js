// The engine's wasm API timed in the browser: new Simulation + run, and the timeline repaint.
// bench/browser.mjs calls these through window.bench.
import init, { Simulation } from '../www/pkg/kafka_election.js';

await init();

const now = () => performance.now();
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** The CLI's default cluster (3 brokers, controller 2, one topic led by broker 1). */
export function scenario(profile, event, partitions) {
  return { profile, event, cluster: { topics: [{ partitions }] } };
}

/** Median ms of `reps` runs of new Simulation(s) + run(), after `warm` untimed runs. */
export function timeRun(s, reps, warm = 1) {
  const times = [];
  let summary;
  let memory = 0;
  for (let i = 0; i < warm + reps; i++) {
    const t0 = now();
    const sim = new Simulation(s);
    summary = sim.run();
    const t1 = now();
    memory = sim.memoryBytes;
    sim.free();
    if (i >= warm) times.push(t1 - t0);
  }
  return { median: median(times), min: Math.min(...times), max: Math.max(...times), reps, memory, summary };
}

const PALETTE = [0xd62728ff, 0xff7f0eff, 0xbcbd22ff, 0x2ca02cff, 0x17becfff, 0x1f77b4ff, 0x9467bdff, 0x000000ff];

/** Median ms of paintTimeline(w×h) + putImageData over `reps` repaints of the finished run. */
export function timeRepaint(s, w, h, reps, log = false) {
  const canvas = document.getElementById('c');
  canvas.width = w;
  canvas.height = h;
  const g = canvas.getContext('2d');
  const sim = new Simulation(s);
  const summary = sim.run();
  const end = summary.end_ms;
  const times = [];
  for (let i = 0; i < reps + 2; i++) {
    const t0 = now();
    const img = sim.paintTimeline(w, h, end, log, PALETTE);
    g.putImageData(img, 0, 0);
    const t1 = now();
    if (i >= 2) times.push(t1 - t0);
  }
  // Force the canvas to be rasterised at least once so that the numbers are about real work.
  const ink = g.getImageData(0, 0, w, h).data.some((v, i) => i % 4 === 3 && v > 0);
  const memory = sim.memoryBytes;
  sim.free();
  return { median: median(times), min: Math.min(...times), max: Math.max(...times), reps, ink, memory };
}

window.bench = { scenario, timeRun, timeRepaint, isolated: self.crossOriginIsolated };
document.getElementById('out').textContent = 'ready';
window.benchReady = true;
