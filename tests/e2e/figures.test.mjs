// 3. Every figure the page shows for both timelines equals the CLI's JSON for the same scenario
// (`kafka-election compare --json`), for the default view, per profile and for URL parameters.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  TEST_TIMEOUT, assertFiguresEqual, cliJson, closePage, openPage, readFigures, setup, teardown, tid,
} from './helpers.mjs';

let ctx;
before(async () => { ctx = await setup({ cli: true }); });
after(async () => { await teardown(ctx); });

// [URL query, CLI arguments, the controls that must reflect the URL]
const CASES = [
  ['', [], { 'profile-select': 'book', 'partitions-input': '10000' }],
  ['?profile=kafka-1.1', ['--profile', 'kafka-1.1'], { 'profile-select': 'kafka-1.1' }],
  ['?profile=kraft', ['--profile', 'kraft'], { 'profile-select': 'kraft' }],
  ['?profile=kafka-1.0', ['--profile', 'kafka-1.0'], { 'profile-select': 'kafka-1.0' }],
  ['?profile=kafka-2.5', ['--profile', 'kafka-2.5'], { 'profile-select': 'kafka-2.5' }],
  ['?partitions=1', ['--partitions', '1'], { 'partitions-input': '1' }],
  ['?profile=kafka-1.1&partitions=1000&brokers=5&rf=3&victim=2&controller=4&layout=kafka',
    ['--profile', 'kafka-1.1', '--partitions', '1000', '--brokers', '5', '--replication-factor', '3',
      '--victim', '2', '--controller', '4', '--layout', 'kafka'],
    { 'partitions-input': '1000', 'brokers-input': '5', 'rf-input': '3', 'victim-input': '2' }],
  ['?zk_session_timeout_ms=18000&crash_publication=per_batch',
    ['--zk-session-timeout-ms', '18000', '--crash-publication', 'per_batch'], { 'publication-select': 'per_batch' }],
  ['?profile=kraft&vic=1&partitions=2000', ['--profile', 'kraft', '--victim-is-controller', '--partitions', '2000'],
    { 'profile-select': 'kraft', 'partitions-input': '2000', 'victim-controller-input': true, 'unclean-input': false }],
  // No replica left: every downtime is null (never recovers), shown as an empty data-value.
  ['?profile=kafka-1.0&unclean=1&rf=1&partitions=500',
    ['--profile', 'kafka-1.0', '--unclean', '--replication-factor', '1', '--partitions', '500'],
    { 'rf-input': '1', 'partitions-input': '500', 'unclean-input': true, 'victim-controller-input': false }],
];

for (const [query, args, controls] of CASES) {
  test(`figures equal \`kafka-election compare ${args.join(' ')} --json\` for ${query || 'the default view'}`,
    { timeout: TEST_TIMEOUT }, async () => {
      const cli = await cliJson(['compare', ...args]);
      const page = await openPage(ctx, query);
      const figs = await readFigures(page);
      assertFiguresEqual(figs, cli, query || 'the default view');
      for (const [id, want] of Object.entries(controls)) {
        const el = page.locator(tid(id));
        assert.equal(await el.count(), 1, `no element with data-testid="${id}"`);
        const got = typeof want === 'boolean' ? await el.isChecked() : await el.inputValue();
        assert.equal(got, want, `${id} does not reflect ${query || 'the default'}`);
      }
      await closePage(page);
    });
}

test('changing the profile control re-runs the scenario and shows that profile\'s figures', { timeout: TEST_TIMEOUT }, async () => {
  const cli = await cliJson(['compare', '--profile', 'kraft']);
  const page = await openPage(ctx, '');
  const before = await readFigures(page);
  await page.locator(tid('profile-select')).selectOption('kraft');
  await page.waitForFunction((v) => document.querySelector('[data-testid="crash-last-downtime"]')?.getAttribute('data-value') !== v,
    before.crash['last-downtime'], { timeout: 60_000 }).catch(() => {});
  await page.waitForTimeout(500);
  assertFiguresEqual(await readFigures(page), cli, 'after choosing kraft in profile-select');
  // The URL carries the state (every state has a URL).
  assert.match(page.url(), /profile=kraft/, `the URL does not record the profile: ${page.url()}`);
  await closePage(page);
});

test('changing partitions-input re-runs the scenario with that many partitions', { timeout: TEST_TIMEOUT }, async () => {
  const cli = await cliJson(['compare', '--partitions', '250']);
  const page = await openPage(ctx, '');
  const input = page.locator(tid('partitions-input'));
  await input.fill('250');
  await input.press('Enter');
  await input.dispatchEvent('change');
  await page.waitForFunction(() => document.querySelector('[data-testid="crash-partitions-affected"]')?.getAttribute('data-value') === '250',
    null, { timeout: 60_000 }).catch(() => {});
  await page.waitForTimeout(500);
  assertFiguresEqual(await readFigures(page), cli, 'after setting partitions-input to 250');
  await closePage(page);
});

test('publication-select switches the crash to per-batch publication (Kafka\'s code) and the figures follow', { timeout: TEST_TIMEOUT }, async () => {
  const cli = await cliJson(['compare', '--crash-publication', 'per_batch']);
  const page = await openPage(ctx, '');
  const sel = page.locator(tid('publication-select'));
  assert.equal(await sel.inputValue(), 'per_partition', 'the book profile should publish per partition by default');
  await sel.selectOption('per_batch');
  await page.waitForFunction((v) => document.querySelector('[data-testid="crash-first-downtime"]')?.getAttribute('data-value') === String(v),
    cli.crash.first_partition_downtime_ms, { timeout: 60_000 }).catch(() => {});
  await page.waitForTimeout(500);
  assertFiguresEqual(await readFigures(page), cli, 'after choosing per_batch in publication-select');
  assert.match(page.url(), /crash_publication=per_batch/, `the URL does not record the publication: ${page.url()}`);
  await closePage(page);
});
