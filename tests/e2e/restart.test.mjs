// The broker's return and the rolling restart on the page (issue 9), in English and Korean:
// a link with a restart steps through log recovery and the ISR's expansion in the event log, and
// the restart panel's figures equal the CLI's `restart` object for both events; a rolling-restart
// link shows the engine's per-broker turns and totals, and its own transport steps the roll.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  HANGUL, TEST_TIMEOUT, LOAD_TIMEOUT, assertNoErrors, assertNumberEqual, cliJson, closePage, openPage, readIsr, readLog, setup, teardown, tid,
} from './helpers.mjs';

let ctx;
before(async () => { ctx = await setup({ cli: true }); });
after(async () => { await teardown(ctx); });

const SCEN = ['--profile', 'kafka-2.5', '--partitions', '1000'];
const RESTART = [...SCEN, '--restart-after-ms', '60000', '--sole-isr-fraction', '0.1'];
const RESTART_LINK = '?profile=kafka-2.5&partitions=1000&restart=60000&sole=0.1';
const FIGS = [
  'restart_after_ms', 'log_recovery_ms', 'broker_serving_ms', 'under_replicated_until_ms', 'under_replicated_partition_seconds',
  'leadership_balanced_ms', 'preferred_leaders_moved', 'partitions_waiting_for_return', 'restart_partition_seconds',
];

for (const lang of ['en', 'ko']) {
  test(`${lang}: a restart link steps through log recovery and the ISR's expansion; the restart figures are the engine's`, { timeout: TEST_TIMEOUT }, async () => {
    const [crash, shutdown] = await Promise.all([
      cliJson(['run', ...RESTART, '--event', 'crash']),
      cliJson(['run', ...RESTART, '--event', 'controlled-shutdown']),
    ]);
    const page = await openPage(ctx, `${RESTART_LINK}&lang=${lang}`);
    // The form holds the link's values.
    assert.equal(await page.locator(tid('restart-input')).inputValue(), '60000');
    assert.equal(await page.locator(tid('sole-input')).inputValue(), '0.1');
    await page.waitForSelector(`${tid('restart-panel')}:not([hidden])`, { timeout: LOAD_TIMEOUT });
    for (const [run, sum] of [['crash', crash], ['shutdown', shutdown]]) {
      for (const f of FIGS) {
        const v = await page.locator(tid(`rs-${f}-${run}`)).getAttribute('data-value');
        assertNumberEqual(v, sum.restart[f], `rs-${f}-${run}`);
      }
      const bar = page.locator(tid(`restart-phases-${run}`)).locator('svg');
      const label = await bar.getAttribute('aria-label');
      assert.ok(label && label.length > 10, `restart-phases-${run} has no accessible description`);
      if (lang === 'ko') assert.match(label, HANGUL);
    }
    // Step until the log recovery and the ISR's expansion are in the event log.
    const step = page.locator(tid('step-button'));
    let kinds = [];
    let recovering = null; // the cluster view while the broker recovers its logs
    let isrAway = null; // partition 0 in the ISR view meanwhile: broker 1 out of its ISR
    for (let i = 0; i < 80; i++) {
      await step.click();
      await page.waitForTimeout(40);
      kinds = (await readLog(page)).map((x) => x.kind);
      if (recovering == null && kinds.includes('broker_restarted') && !kinds.includes('logs_recovered')) {
        recovering = await page.locator('#cluster-view').evaluate((svg) => [...svg.querySelectorAll('[aria-label]')].map((g) => g.getAttribute('aria-label')).join(' | '));
        isrAway = await readIsr(page);
      }
      // Two leaders (brokers 2 and 3) take broker 1 back into their ISRs, each in its own step.
      if (kinds.includes('logs_recovered') && kinds.filter((k) => k === 'isr_expanded').length >= 2) break;
    }
    assert.ok(kinds.includes('logs_recovered'), `no logs_recovered step in the log: ${kinds.join(', ')}`);
    assert.ok(kinds.includes('isr_expanded'), `no isr_expanded step in the log: ${kinds.join(', ')}`);
    // The ISR view: partition 0 (replicas 1 and 3) lost broker 1 from its ISR while it was away,
    // and has it back once its follower caught up.
    assert.deepEqual(isrAway?.members, [3], `partition 0's ISR while broker 1 recovers: ${JSON.stringify(isrAway?.raw)}`);
    const isrBack = await readIsr(page);
    assert.deepEqual([...isrBack.members].sort(), [1, 3], `partition 0's ISR after the expansion: ${JSON.stringify(isrBack.raw)}`);
    assert.equal(isrBack.leader, 3, 'leadership is still on broker 3 until the preferred election');
    // While it recovers its logs the victim says so (its lifecycle, not the controller's view).
    assert.ok(recovering?.includes(lang === 'ko' ? '로그 복구 중' : 'recovering logs'), `the cluster view during log recovery: ${recovering}`);
    const items = await readLog(page);
    for (const k of ['broker_restarted', 'logs_recovered', 'isr_expanded']) {
      const it = items.find((x) => x.kind === k);
      assert.ok(it, `no ${k} in the log`);
      assert.ok(!it.text.includes('event.'), `${k} is not narrated: ${it.text}`);
      if (lang === 'ko') assert.match(it.text, HANGUL, `${k} is not in Korean: ${it.text}`);
    }
    // The cluster view's under-replicated count is the engine's (a number is shown).
    const urp = page.locator(tid('cluster-urp'));
    assert.equal(await urp.isHidden(), false);
    assert.ok(Number.isInteger(Number(await urp.getAttribute('data-value'))));
    // The link keeps the restart.
    const url = new URL(page.url());
    assert.equal(url.searchParams.get('restart'), '60000');
    assert.equal(url.searchParams.get('sole'), '0.1');
    assertNoErrors(page);
    await closePage(page, `restart ${lang}`);
  });

  test(`${lang}: a rolling-restart link shows the engine's turns and totals, and its steps`, { timeout: TEST_TIMEOUT }, async () => {
    const roll = await cliJson(['run', ...SCEN, '--event', 'rolling-restart']);
    const page = await openPage(ctx, `?profile=kafka-2.5&partitions=1000&event=rolling-restart&lang=${lang}`);
    const view = page.locator(tid('rolling-view'));
    await page.waitForSelector(`${tid('rolling-view')}[data-ready="1"]`, { timeout: LOAD_TIMEOUT });
    const rows = await view.locator(tid('rr-row')).evaluateAll((trs) => trs.map((tr) => ({
      broker: Number(tr.dataset.broker),
      cells: Object.fromEntries([...tr.querySelectorAll('td')].map((td) => [td.dataset.testid.replace(/^rr-|-\d+$/g, ''), td.dataset.value])),
    })));
    assert.deepEqual(rows.map((r) => r.broker), roll.per_broker.map((b) => b.broker), 'the brokers in the roll\'s order');
    rows.forEach((r, i) => {
      for (const k of ['stopped_ms', 'serving_ms', 'in_sync_ms', 'partitions_led', 'max_downtime_ms']) {
        assertNumberEqual(r.cells[k], roll.per_broker[i][k], `broker ${r.broker} ${k}`);
      }
    });
    for (const k of ['rolling_restart_ms', 'unavailable_partition_seconds', 'under_replicated_partition_seconds', 'partitions_over_delivery_timeout']) {
      assertNumberEqual(await view.locator(tid(`rr-fig-${k}`)).getAttribute('data-value'), roll[k], `rr-fig-${k}`);
    }
    // Step the roll: its steps are narrated in its own log; then run it to the end.
    for (let i = 0; i < 3; i++) await view.locator(tid('rr-step')).click();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="rr-log"] li').length >= 3);
    const first = await view.locator(tid('rr-log')).locator('li').first().textContent();
    assert.ok(!first.includes('event.'), `the roll's first step is not narrated: ${first}`);
    if (lang === 'ko') assert.match(first, HANGUL);
    await view.locator(tid('rr-run')).click();
    await page.waitForSelector(`${tid('rolling-view')}[data-done="1"]`);
    assert.equal(new URL(page.url()).searchParams.get('event'), 'rolling-restart');
    assertNoErrors(page);
    await closePage(page, `rolling ${lang}`);
  });
}

test('a bad restart value is refused with the field named, and the input kept', { timeout: TEST_TIMEOUT }, async () => {
  const page = await openPage(ctx, '?restart=-5&sole=2&lang=en', { wait: false });
  await page.waitForSelector(`${tid('error-banner')}:not([hidden]), #error-banner:not([hidden])`, { timeout: LOAD_TIMEOUT });
  const text = await page.locator('#error-list').textContent();
  assert.match(text, /Restart after/);
  assert.match(text, /Sole-ISR fraction/);
  assert.equal(await page.locator(tid('restart-input')).getAttribute('aria-invalid'), 'true');
  assert.equal(await page.locator(tid('sole-input')).getAttribute('aria-invalid'), 'true');
  await closePage(page, 'a link with a bad restart value');
});

/** axe-core on the new parts only (the rest of the page is audited by learn.test.mjs). */
async function audit(page, include) {
  await page.addScriptTag({ url: new URL('node_modules/axe-core/axe.min.js', page.url()).href });
  return page.evaluate(async (inc) => {
    // eslint-disable-next-line no-undef
    const r = await axe.run({ include: inc.map((s) => [s]) }, { resultTypes: ['violations'] });
    return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.impact} ${v.id}: ${v.nodes.slice(0, 4).map((n) => n.target.join(' ')).join(' | ')} — ${v.help}`);
  }, include);
}

test('axe: the restart fields, the restart panel and the rolling view have no serious or critical violations', { timeout: TEST_TIMEOUT }, async () => {
  const page = await openPage(ctx, `${RESTART_LINK}&lang=en`);
  await page.waitForSelector(`${tid('restart-panel')}:not([hidden])`, { timeout: LOAD_TIMEOUT });
  assert.deepEqual(await audit(page, ['#restart-fields', '#restart-panel', '#cluster-urp']), []);
  await closePage(page, 'axe restart');
  const roll = await openPage(ctx, '?profile=kafka-2.5&partitions=1000&event=rolling-restart&lang=ko');
  await roll.waitForSelector(`${tid('rolling-view')}[data-ready="1"]`, { timeout: LOAD_TIMEOUT });
  await roll.locator(tid('rr-step')).click();
  await roll.waitForFunction(() => document.querySelectorAll('[data-testid="rr-log"] li').length >= 1);
  assert.deepEqual(await audit(roll, ['#rolling-view']), []);
  await closePage(roll, 'axe rolling');
});
