// The page's thread never runs a simulation: every Simulation (the two full runs, the live one,
// the scratch runs of the tour, the book-vs-code table and the event log's "ISR before") and every
// RollingRestart lives in the engine worker. The modules the page's thread loads — everything
// index.html's scripts import, statically or with import() — may take from the wasm bindings only
// what answers at once: the module's init, the catalog, one election rule (elect) and the
// scenario check (validateScenario). The worker's modules are those reachable from the file
// `new Worker(new URL(…))` starts.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BINDINGS = join(ROOT, 'www/pkg/kafka_election.js');
const ALLOWED = new Set(['default', 'catalog', 'elect', 'validateScenario']);

/** A module's imports: [{ path, names }] (names null for a dynamic import or a re-export). */
function imports(file) {
  const text = readFileSync(file, 'utf8');
  const out = [];
  const at = (spec) => resolve(dirname(file), spec);
  for (const [, clause, spec] of text.matchAll(/^\s*import\s+([^;]*?)\s+from\s+['"]([^'"]+)['"]/gm)) {
    const named = clause.match(/\{([^}]*)\}/)?.[1] ?? '';
    const def = clause.replace(/\{[^}]*\}/, '').replace(/,/g, '').trim();
    const names = named.split(',').map((x) => x.trim().split(/\s+as\s+/)[0]).filter(Boolean);
    if (def) names.push(def.startsWith('*') ? '*' : 'default');
    out.push({ path: at(spec), names });
  }
  for (const [, spec] of text.matchAll(/^\s*import\s+['"]([^'"]+)['"]/gm)) out.push({ path: at(spec), names: [] });
  for (const [, spec] of text.matchAll(/^\s*export\s+[^;]*?\s+from\s+['"]([^'"]+)['"]/gm)) out.push({ path: at(spec), names: null });
  for (const [, spec] of text.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)) out.push({ path: at(spec), names: null });
  return out;
}

/** Every module reachable from `entries`, and what each takes from the bindings. */
function graph(entries) {
  const seen = new Set();
  const uses = [];
  const stack = [...entries];
  while (stack.length) {
    const f = stack.pop();
    if (seen.has(f)) continue;
    seen.add(f);
    for (const { path, names } of imports(f)) {
      if (path === BINDINGS) { uses.push({ from: relative(ROOT, f), names: names ?? ['*'] }); continue; }
      if (path.includes(`${join('www', 'pkg')}`) || path.includes(`${join('www', 'vendor')}`)) continue;
      assert.ok(existsSync(path), `${relative(ROOT, f)} imports ${relative(ROOT, path)}, which does not exist`);
      stack.push(path);
    }
  }
  return { modules: seen, uses };
}

const html = readFileSync(join(ROOT, 'index.html'), 'utf8');
const PAGE = [...html.matchAll(/<script[^>]*\bsrc="([^"]+)"/g)].map(([, src]) => join(ROOT, src));
const page = graph(PAGE);
const workers = [...page.modules].flatMap((f) => [...readFileSync(f, 'utf8').matchAll(/new Worker\(\s*new URL\(\s*['"]([^'"]+)['"]/g)]
  .map(([, spec]) => resolve(dirname(f), spec)));
const worker = graph(workers);

test('the page\'s thread imports nothing from the engine that runs a simulation', () => {
  assert.ok(page.modules.has(join(ROOT, 'www/app.js')) && page.modules.has(join(ROOT, 'www/views/learn.js')), 'the page graph misses app.js or views/learn.js');
  const bad = page.uses.flatMap(({ from, names }) => names.filter((n) => !ALLOWED.has(n)).map((n) => `${from}: ${n}`));
  assert.deepEqual(bad, []);
});

test('the engine worker is where the simulations are', () => {
  assert.ok(workers.some((f) => f.endsWith(join('www', 'engine', 'engine-worker.js'))), 'no new Worker() starts engine-worker.js');
  const names = new Set(worker.uses.flatMap((u) => u.names));
  assert.ok(names.has('Simulation'), 'the worker imports no Simulation: the check reads no import');
});
