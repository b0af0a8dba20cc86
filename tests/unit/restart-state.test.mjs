// The broker's return in the page's config (www/sharing/restart-state.js): the link's keys, the
// engine's scenario, the scenario file read back, and the field errors, in both languages.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const realFetch = globalThis.fetch;
globalThis.fetch = async (url, ...rest) => {
  const u = new URL(String(url));
  if (u.protocol !== 'file:') return realFetch(url, ...rest);
  try { return new Response(readFileSync(fileURLToPath(u)), { status: 200 }); } catch { return new Response('', { status: 404 }); }
};
const { default: init, catalog, validateScenario } = await import('../../www/pkg/kafka_election.js');
await init({ module_or_path: readFileSync(`${ROOT}www/pkg/kafka_election_bg.wasm`) });
const { loadLocales, setLang } = await import('../../www/lib/i18n.js');
const { readLink, toQuery, scenarioFor, engineProblem } = await import('../../www/sharing/url-state.js');
const { fromScenario } = await import('../../www/sharing/scenario-file.js');
await loadLocales();
const CAT = catalog();
const VIEW = { lang: 'en', log: false, t: 0, sel: 0, steps: null };

test('a restart link reads, runs in the engine, writes back the same, and survives the scenario file', () => {
  for (const q of [
    '?profile=kafka-2.5&event=crash&partitions=1000&brokers=3&rf=2&layout=led-by&victim=1&controller=2&vic=0&unclean=0&restart=60000&sole=0.1',
    '?profile=kraft&event=controlled-shutdown&partitions=1000&brokers=3&rf=2&layout=led-by&victim=1&controller=2&vic=0&unclean=0&restart=0&rebalance=immediate',
    '?profile=kafka-2.5&event=rolling-restart&partitions=1000&brokers=3&rf=2&layout=led-by&victim=1&controller=2&vic=0&unclean=0&rebalance=off&rstop=crash',
  ]) {
    const { cfg, errors } = readLink(q, CAT);
    assert.deepEqual(errors, [], q);
    assert.equal(toQuery(cfg, VIEW).split('&lang=')[0], q);
    const sc = scenarioFor(cfg, cfg.event);
    assert.equal(validateScenario(sc), null, JSON.stringify(sc));
    if (cfg.restart != null) assert.equal(sc.restart.after_ms, cfg.restart);
    if (cfg.sole != null) assert.equal(sc.cluster.topics[0].sole_isr_fraction, cfg.sole);
    if (cfg.rebalance) assert.equal(sc.restart.leader_rebalance, cfg.rebalance);
    if (cfg.rstop) assert.equal(sc.restart.rolling_stop, cfg.rstop);
    const back = fromScenario(JSON.stringify(sc), CAT, validateScenario);
    assert.equal(back.problems, undefined, JSON.stringify(back));
    // A rolling restart without its own delay gets the engine's default one in the file.
    const want = cfg.event === 'rolling-restart' && cfg.restart == null ? { ...cfg, restart: CAT.restart_limits.default_rolling_after_ms } : cfg;
    assert.deepEqual(back.cfg, want);
  }
  // Without the new keys, nothing changes: no restart in the scenario, none in the link.
  const plain = readLink('?profile=book', CAT).cfg;
  assert.equal(scenarioFor(plain, 'crash').restart, undefined);
  assert.ok(!/restart|sole|rebalance|rstop/.test(toQuery(plain, VIEW)));
});

test('bad restart values name the field, in English and Korean, as the engine does', () => {
  for (const lang of ['en', 'ko']) {
    setLang(lang);
    const { errors } = readLink('?restart=-5&sole=2&rebalance=sometimes&rstop=nap&event=roll', CAT);
    assert.deepEqual(errors.map((e) => e.field).sort(), ['event', 'rebalance', 'restart', 'rstop', 'sole'].sort());
    for (const e of errors) assert.ok(e.text.length > 10);
    if (lang === 'ko') assert.ok(errors.every((e) => /[\uAC00-\uD7A3]/.test(e.text)));
  }
  setLang('en');
  // The engine's own refusal maps to the page's field.
  const cfg = readLink('?profile=book', CAT).cfg;
  const p = validateScenario(scenarioFor({ ...cfg, restart: 1e12 }, 'crash'));
  assert.equal(engineProblem(p).page, 'restart');
  const q = validateScenario(scenarioFor({ ...cfg, sole: 5 }, 'crash'));
  assert.equal(engineProblem(q).page, 'sole');
});
