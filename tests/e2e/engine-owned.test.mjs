// What the engine owns, the page shows as the engine says it: the crash/shutdown ratio is the
// engine's comparison, the limits are the engine's (a 2,000,000-partition link is accepted), a
// one-broker cluster is said to have its only broker as controller, and the rule explorer takes
// Kafka's -1 ("no leader") as the current leader.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  HANGUL, LOAD_TIMEOUT, TEST_TIMEOUT, closePage, engineCall, openPage, pageScenario, readFigures, setup, teardown, tid,
} from './helpers.mjs';

let ctx;
before(async () => { ctx = await setup(); });
after(async () => { await teardown(ctx); });

for (const [query, cfg] of [
  ['?lang=en', {}],
  ['?profile=kafka-1.1&partitions=2000&lang=en', { profile: 'kafka-1.1', partitions: 2000 }],
  ['?profile=kraft&partitions=500&brokers=4&rf=3&lang=en', { profile: 'kraft', partitions: 500, brokers: 4, rf: 3 }],
]) {
  test(`${query}: the ratio shown is the engine's compare() last_partition_downtime_ratio`, { timeout: TEST_TIMEOUT }, async () => {
    const page = await openPage(ctx, query);
    const cmp = await engineCall(page, 'compare', pageScenario(cfg));
    assert.equal(typeof cmp.last_partition_downtime_ratio, 'number', `the engine gives no ratio: ${JSON.stringify(cmp)}`);
    const figs = await readFigures(page);
    assert.equal(Number(figs.ratio), cmp.last_partition_downtime_ratio, `the page shows ${figs.ratio}, compare() says ${cmp.last_partition_downtime_ratio}`);
    // The summaries beside it are the same comparison's.
    assert.equal(Number(figs.crash['last-downtime']), cmp.crash.last_partition_downtime_ms);
    assert.equal(Number(figs.shutdown['last-downtime']), cmp.controlled_shutdown.last_partition_downtime_ms);
    assert.match(figs.ratioText, /×/, `the ratio's text: ${figs.ratioText}`);
    await closePage(page);
  });
}

test('brokers=1: no ratio when the engine has none, and the one-broker notice in English and Korean', { timeout: TEST_TIMEOUT }, async () => {
  const cfg = { brokers: 1, rf: 1, controller: 1, partitions: 20 };
  for (const lang of ['en', 'ko']) {
    const page = await openPage(ctx, `?brokers=1&rf=1&controller=1&victim=1&partitions=20&lang=${lang}`);
    const cmp = await engineCall(page, 'compare', pageScenario(cfg));
    assert.equal(cmp.last_partition_downtime_ratio, null);
    assert.equal((await readFigures(page)).ratio, '', 'the page shows a ratio the engine does not have');
    const note = page.locator(tid('single-broker'));
    assert.ok(await note.isVisible(), `${lang}: the one-broker notice is not visible`);
    // Its words, not its rendering: the live view below the first screen is laid out only once
    // it comes near the screen (content-visibility: auto), and innerText is '' until then.
    const text = (await note.textContent()).replace(/\s+/g, ' ');
    // Beside the cluster view, and the cluster view is described by it for screen readers.
    assert.ok(await page.locator('.cluster-card').locator(tid('single-broker')).count(), 'the notice is not in the cluster card');
    assert.match(await page.locator(tid('cluster-view')).getAttribute('aria-describedby'), /single-broker/);
    assert.match(text, new RegExp(`\\b${cmp.crash.controller}\\b`), `${lang}: the notice does not name broker ${cmp.crash.controller}: ${text}`);
    assert.match(text, new RegExp(`\\b${cmp.crash.partitions_without_leader}\\b`), `${lang}: the notice does not give the engine's count: ${text}`);
    if (lang === 'en') assert.match(text, /controller/, text);
    else { assert.match(text, HANGUL, text); assert.match(text, /컨트롤러/, text); }
    await closePage(page);
  }
  // Two or more brokers: no notice.
  const page = await openPage(ctx, '?partitions=20&lang=en');
  assert.equal(await page.locator(tid('single-broker')).isVisible(), false, 'the one-broker notice shows for three brokers');
  await closePage(page);
});

test('the rule explorer takes -1 in the current-leader field as Kafka\'s "no leader" and sends it to elect', { timeout: TEST_TIMEOUT }, async () => {
  const page = await openPage(ctx, '?partitions=1&lang=en');
  const form = page.locator('#rules-form');
  const out = page.locator('#rules-out');
  await form.locator('select[name=mode]').selectOption('kraft');
  await form.locator('select[name=strategy]').selectOption('online');
  await form.locator('input[name=assignment]').fill('1, 3');
  await form.locator('input[name=isr]').fill('1, 3');
  await form.locator('input[name=live]').fill('3');
  await form.locator('input[name=current_leader]').fill('-1');
  const truth = await engineCall(page, 'elect', { mode: 'kraft', strategy: 'online', assignment: [1, 3], isr: [1, 3], live: [3], current_leader: -1, elr_enabled: false });
  const text = await out.innerText();
  assert.equal(await out.evaluate((e) => e.classList.contains('err')), false, `-1 is shown as an error: ${text}`);
  assert.match(text, new RegExp(`broker ${truth.leader}\\b`), `the page says ${text}; elect says leader ${truth.leader}`);
  assert.match(text, new RegExp(`ISR \\[${truth.isr.join(', ')}\\]`), `the page says ${text}; elect says ISR ${truth.isr}`);
  // Anything else that is not a broker id is still refused, in the reader's language.
  await page.locator(tid('language-switch')).selectOption('ko');
  await form.locator('input[name=current_leader]').fill('-2');
  assert.equal(await out.evaluate((e) => e.classList.contains('err')), true);
  assert.match(await out.innerText(), HANGUL);
  assert.match(await out.innerText(), /-1/);
  await closePage(page);
});

// Acceptance only: the page may take its time with two million partitions on a slow machine.
test('a link with 2,000,000 partitions (the engine\'s limit) is accepted, not refused by a page limit', { timeout: TEST_TIMEOUT * 2 }, async () => {
  const page = await openPage(ctx, '?partitions=2000000&lang=en', { wait: false });
  const limits = (await engineCall(page, 'catalog')).limits;
  assert.equal(limits.max_partitions, 2_000_000);
  await page.waitForFunction(() => document.querySelector('[data-testid="crash-partitions-affected"]')?.getAttribute('data-value') === '2000000',
    null, { timeout: LOAD_TIMEOUT * 3, polling: 500 });
  assert.equal(await page.locator(tid('error-banner')).isVisible(), false, `the page refused the link: ${await page.locator(tid('error-banner')).innerText()}`);
  assert.equal(await page.locator(tid('partitions-input')).inputValue(), '2000000');
  // One more than the engine allows is refused, and the message gives the engine's limit.
  await page.locator(tid('partitions-input')).fill(String(limits.max_partitions + 1));
  await page.locator(tid('partitions-input')).press('Enter');
  const banner = page.locator(tid('error-banner'));
  await banner.waitFor({ state: 'visible', timeout: 10_000 });
  assert.match(await banner.innerText(), /2,000,000/);
  await closePage(page);
});

test('the parameter table shows what the engine says each mode reads, and keeps a parameter the link sets for the other mode', { timeout: TEST_TIMEOUT }, async () => {
  for (const profile of ['kafka-1.1', 'kraft']) {
    // zk_session_timeout_ms is read by ZooKeeper mode only (the engine's `modes`): under kraft the link still sets it.
    const page = await openPage(ctx, `?profile=${profile}&partitions=10&zk_session_timeout_ms=7000&lang=en`);
    const cat = await engineCall(page, 'catalog');
    const mode = cat.profiles.find((p) => p.name === profile).mode;
    const shown = await page.evaluate(() => [...document.querySelectorAll('#params-body [data-param]')].map((e) => e.dataset.param));
    const want = cat.parameters.filter((p) => p.modes.includes(mode) || p.name === 'zk_session_timeout_ms').map((p) => p.name);
    assert.deepEqual(shown, want, `${profile}: the table's parameters differ from the engine's modes`);
    assert.equal(await page.locator('[data-param=zk_session_timeout_ms]').inputValue(), '7000');
    assert.match(page.url(), /zk_session_timeout_ms=7000/, `${profile}: the link lost the parameter: ${page.url()}`);
    await closePage(page);
  }
});

test('the engine\'s refusal names its field (validateScenario\'s {field, message}), in both languages', { timeout: TEST_TIMEOUT }, async () => {
  const bad = { cluster: { brokers: 3, topics: [{ partitions: 10, replication_factor: 9 }] } };
  for (const lang of ['en', 'ko']) {
    const page = await openPage(ctx, `?partitions=20&lang=${lang}`);
    const problem = await engineCall(page, 'validateScenario', bad);
    assert.equal(problem.field, 'cluster.topics[0].replication_factor', JSON.stringify(problem));
    await page.locator(tid('scenario-file')).setInputFiles({ name: 'bad.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(bad)) });
    const banner = page.locator(tid('error-banner'));
    await banner.waitFor({ state: 'visible', timeout: 10_000 });
    const text = await banner.innerText();
    assert.ok(text.includes(`${problem.field}: ${problem.message}`), `${lang}: the banner does not name the engine's field: ${text}`);
    if (lang === 'ko') assert.match(text, HANGUL);
    await closePage(page);
  }
});
