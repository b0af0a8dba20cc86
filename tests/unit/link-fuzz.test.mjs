// Fuzzing the link parser (www/sharing/url-state.js) with fast-check, against the engine's real
// catalog (the wasm package, as the page loads it): arbitrary and mutated query strings never
// throw, every error names a parameter the link knows and is worded in both languages, and valid
// links round-trip through toQuery. Needs www/pkg (bash scripts/build.sh).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';

// A fixed seed keeps the suite deterministic; FC_SEED=… explores others (print it to replay).
const SEED = Number(process.env.FC_SEED ?? 20_261_128);
fc.configureGlobal({ seed: SEED });
console.log(`link fuzz seed: ${SEED}`);

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
// The page fetches its locale files; here they come from the disk.
const realFetch = globalThis.fetch;
globalThis.fetch = async (url, ...rest) => {
  const u = new URL(String(url));
  if (u.protocol !== 'file:') return realFetch(url, ...rest);
  try { return new Response(readFileSync(fileURLToPath(u)), { status: 200 }); } catch { return new Response('', { status: 404 }); }
};
const { default: init, catalog } = await import('../../www/pkg/kafka_election.js');
await init({ module_or_path: readFileSync(`${ROOT}www/pkg/kafka_election_bg.wasm`) });
const { loadLocales, setLang } = await import('../../www/lib/i18n.js');
const { readLink, toQuery, DEFAULT } = await import('../../www/sharing/url-state.js');
await loadLocales();
const CAT = catalog();

const RUNS = 2000;
const CORE = ['profile', 'event', 'partitions', 'brokers', 'rf', 'layout', 'victim', 'controller', 'vic', 'unclean', 'restart', 'rebalance', 'sole', 'rstop'];
const VIEW = ['lang', 'log', 't', 'sel', 'steps'];
const KNOWN = new Set([...CORE, ...VIEW, ...CAT.parameters.map((p) => p.name)]);
let runs = 0;

/** readLink in both languages: same fields, a real text in each (no raw key, no placeholder). */
function readBoth(search) {
  const braces = /[{}]|%7b|%7d/i.test(search);
  setLang('en');
  const en = readLink(search, CAT);
  setLang('ko');
  const ko = readLink(search, CAT);
  setLang('en');
  assert.deepEqual(ko.errors.map((e) => e.field), en.errors.map((e) => e.field));
  assert.deepEqual(ko.cfg, en.cfg);
  for (const [lang, r] of [['en', en], ['ko', ko]]) {
    for (const e of r.errors) {
      assert.ok(KNOWN.has(e.field), `an error names ${JSON.stringify(e.field)}, not a known parameter`);
      assert.ok(typeof e.text === 'string' && e.text.length > 0, `${lang}: an error without text`);
      // No raw key, no unfilled placeholder (unless the link's own value brought the braces).
      assert.ok(!/^err\./.test(e.text) && (braces || !/\{\w+\}/.test(e.text)), `${lang}: untranslated error text ${e.text}`);
      assert.ok(e.text.length < 2000, `${lang}: an error text of ${e.text.length} characters (long values are shortened)`);
    }
  }
  for (const k of en.unknown) assert.ok(!KNOWN.has(k));
  return en;
}

const key = fc.oneof(fc.constantFrom(...KNOWN), fc.string({ maxLength: 8 }));
const value = fc.oneof(
  fc.string({ maxLength: 12 }), fc.integer().map(String), fc.double().map(String),
  fc.constantFrom('', ' ', '1', '0', 'true', 'false', '-1', '1e9', 'NaN', 'Infinity', '0x10', '１', '%', '&', '=', '\u0000', 'crash', 'kafka'),
  fc.constantFrom(...CAT.profiles.map((p) => p.name)),
  fc.string({ unit: 'grapheme', maxLength: 6 }),
);
const pairs = fc.array(fc.tuple(key, value), { maxLength: 12 });
const toSearch = (ps) => '?' + ps.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');

/** A valid config and view (what the page itself writes into its address). */
const validLink = fc.record({
  profile: fc.constantFrom(...CAT.profiles.map((p) => p.name)),
  event: fc.constantFrom(...(CAT.events ?? CAT.faults)),
  restart: fc.option(fc.integer({ min: 0, max: CAT.restart_limits.max_after_ms }), { nil: null }),
  rebalance: fc.constantFrom(...CAT.leader_rebalance),
  sole: fc.option(fc.integer({ min: 0, max: 1000 }).map((x) => x / 1000), { nil: null }),
  rstop: fc.constantFrom('controlled-shutdown', 'crash'),
  partitions: fc.integer({ min: 1, max: CAT.limits.max_partitions }),
  brokers: fc.integer({ min: 2, max: CAT.limits.max_brokers }),
  layout: fc.constantFrom('led-by', 'kafka'),
  vic: fc.boolean(), unclean: fc.boolean(),
  pick: fc.tuple(fc.nat(), fc.nat(), fc.nat(), fc.nat()),
  params: fc.uniqueArray(fc.constantFrom(...CAT.parameters), { maxLength: 4, selector: (p) => p.name }),
  paramPick: fc.array(fc.nat(), { minLength: 4, maxLength: 4 }),
  view: fc.record({ lang: fc.constantFrom('en', 'ko'), log: fc.boolean(), t: fc.integer({ min: 0, max: 1e9 }).map((x) => x / 1000), sel: fc.nat(), steps: fc.option(fc.nat(), { nil: null }) }),
}).map((r) => {
  const nb = r.brokers;
  const params = {};
  // In the catalog's order, as readLink reads them (toQuery writes them in the config's order).
  const order = (p) => CAT.parameters.indexOf(p);
  [...r.params].sort((a, b) => order(a) - order(b)).forEach((p, i) => {
    const n = r.paramPick[i];
    if (p.unit === 'choice') params[p.name] = p.choices[n % p.choices.length];
    else if (p.unit === 'ms') params[p.name] = p.min + (n % (Math.floor(p.max - p.min) + 1));
    else params[p.name] = p.min + (n % (p.max - p.min + 1));
  });
  const cfg = {
    profile: r.profile, event: r.event, partitions: r.partitions, brokers: nb, rf: 1 + (r.pick[0] % nb), layout: r.layout,
    victim: 1 + (r.pick[1] % nb), controller: 1 + (r.pick[2] % nb), vic: r.vic, unclean: r.unclean, params,
  };
  // The broker's return: in the config only when not at its default (as readLink leaves it).
  if (r.restart != null) cfg.restart = r.restart;
  if (r.rebalance !== 'auto') cfg.rebalance = r.rebalance;
  if (r.sole != null) cfg.sole = r.sole;
  if (r.rstop !== 'controlled-shutdown') cfg.rstop = r.rstop;
  return { cfg, view: { ...r.view, sel: r.view.sel % r.partitions } };
});

test(`arbitrary and mutated query strings never throw; errors name known parameters, in both languages (${RUNS} runs each)`, () => {
  fc.assert(fc.property(pairs, (ps) => { runs++; readBoth(toSearch(ps)); }), { numRuns: RUNS });
  fc.assert(fc.property(fc.string({ maxLength: 80 }), (s) => { runs++; readBoth(s); readBoth('?' + s); }), { numRuns: RUNS });
  // Mutations of a valid link: a value replaced, a key dropped or doubled, bytes spliced in.
  const mutated = fc.tuple(validLink, fc.nat(), fc.nat(), value, fc.constantFrom('replace', 'drop', 'double', 'splice')).map(([l, i, j, v, how]) => {
    const ps = [...new URLSearchParams(toQuery(l.cfg, l.view))];
    const at = i % ps.length;
    if (how === 'replace') ps[at] = [ps[at][0], v];
    else if (how === 'drop') ps.splice(at, 1);
    else if (how === 'double') ps.push([ps[at][0], v]);
    const s = toSearch(ps);
    if (how !== 'splice') return s;
    const k = j % s.length;
    return s.slice(0, k) + v + s.slice(k);
  });
  fc.assert(fc.property(mutated, (s) => { runs++; readBoth(s); }), { numRuns: RUNS });
  // A very long value: a shortened quote in the message, never the whole value.
  const long = readBoth(`?partitions=${'9'.repeat(200_000)}&profile=${'x'.repeat(200_000)}`);
  assert.equal(long.errors.length, 2);
  console.log(`link fuzz: ${runs} query strings read in both languages`);
});

test(`valid links round-trip: toQuery(readLink(x)) === x (${RUNS} runs)`, () => {
  let n = 0;
  fc.assert(fc.property(validLink, ({ cfg, view }) => {
    n++;
    const q = toQuery(cfg, view);
    const r = readBoth(q);
    const bad = r.cfg.vic && r.cfg.brokers === 1; // never generated (brokers ≥ 2)
    assert.ok(!bad);
    assert.deepEqual(r.errors, [], `a valid link was refused: ${q}: ${JSON.stringify(r.errors)}`);
    assert.deepEqual(r.unknown, []);
    assert.deepEqual(r.cfg, cfg);
    assert.equal(toQuery(r.cfg, { ...r.view, lang: r.view.lang }), q);
  }), { numRuns: RUNS });
  // Found by this test: a link naming one broker and no rf read as valid, then wrote rf=2.
  const one = readBoth('?brokers=1');
  assert.deepEqual(one.errors, []);
  assert.equal(readBoth(toQuery(one.cfg, { ...one.view, lang: 'en' })).errors.length, 0);
  // And a link the page would not write itself, read then written, reads back the same.
  fc.assert(fc.property(pairs, (ps) => {
    n++;
    const r = readBoth(toSearch(ps));
    if (r.errors.length) return;
    const q = toQuery(r.cfg, { ...r.view, lang: r.view.lang ?? 'en' });
    const again = readBoth(q);
    assert.deepEqual(again.errors, []);
    assert.deepEqual(again.cfg, r.cfg);
    assert.equal(toQuery(again.cfg, again.view), q);
  }), { numRuns: RUNS });
  console.log(`link round-trip: ${n} links`);
  assert.equal(DEFAULT.partitions, 10_000);
});
