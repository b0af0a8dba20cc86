// The page's thread never runs a simulation: every Simulation (the two full runs, the live one,
// the scratch runs of the tour, the book-vs-code table and the event log's "ISR before") lives in
// the engine worker (www/engine/engine-worker.js). The page's own modules may import from the
// wasm bindings only what answers at once: the module's init, the catalog, one election rule
// (elect) and the scenario check (validateScenario).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';

const WWW = fileURLToPath(new URL('../../www/', import.meta.url));
const WORKER = 'engine/engine-worker.js';
const ALLOWED = new Set(['default', 'catalog', 'elect', 'validateScenario']);

function sources(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return ['pkg', 'vendor'].includes(e.name) && dir === WWW ? [] : sources(p);
    return e.name.endsWith('.js') ? [p] : [];
  });
}

/** The names a module imports from the wasm bindings (static imports; dynamic ones are refused). */
function engineImports(text) {
  const names = [];
  for (const [, clause] of text.matchAll(/import\s+([^;]*?)\s+from\s+['"][^'"]*pkg\/kafka_election\.js['"]/g)) {
    const [def, named] = [clause.replace(/\{[^}]*\}/, '').replace(/,/g, '').trim(), clause.match(/\{([^}]*)\}/)?.[1] ?? ''];
    if (def) names.push(def.startsWith('* as') ? '*' : 'default');
    for (const n of named.split(',').map((x) => x.trim().split(/\s+as\s+/)[0]).filter(Boolean)) names.push(n);
  }
  if (/import\(\s*[^)]*kafka_election/.test(text)) names.push('import()');
  return names;
}

test('only the engine worker imports Simulation (or anything else that runs the engine)', () => {
  const files = sources(WWW);
  assert.ok(files.some((f) => relative(WWW, f) === WORKER), 'no engine worker');
  const bad = [];
  for (const f of files) {
    const rel = relative(WWW, f);
    if (rel === WORKER) continue;
    for (const n of engineImports(readFileSync(f, 'utf8'))) if (!ALLOWED.has(n)) bad.push(`${rel}: ${n}`);
  }
  assert.deepEqual(bad, []);
  assert.ok(engineImports(readFileSync(join(WWW, WORKER), 'utf8')).includes('Simulation'), 'the check reads no import: the worker imports Simulation');
});
