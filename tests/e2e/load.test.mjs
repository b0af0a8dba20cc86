// 1. The default page loads with no console error or page error, shows no error banner, and
// 2. draws its canvases (timelines and partition map) and the cluster view.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  TEST_TIMEOUT, assertCanvasesDrawn, assertNoErrors, closePage, openPage, setup, teardown, tid,
} from './helpers.mjs';

let ctx;
before(async () => { ctx = await setup(); });
after(async () => { await teardown(ctx); });

test('the default page loads with no console error or page error', { timeout: TEST_TIMEOUT }, async () => {
  const page = await openPage(ctx, '');
  // Let the first frames and any deferred work run, then check the log.
  await page.waitForTimeout(1500);
  assertNoErrors(page, 'the default page');
  assert.ok(await page.title(), 'the page has no <title>');
  // No error: the banner is absent or hidden.
  const banner = page.locator(tid('error-banner'));
  assert.equal(await banner.count(), 1, 'no element with data-testid="error-banner"');
  assert.equal(await banner.isVisible(), false,
    `the error banner is visible on the default page: ${JSON.stringify(await banner.textContent())}`);
  await closePage(page, 'the default page');
});

test('the default scenario draws non-blank canvases', { timeout: TEST_TIMEOUT }, async () => {
  const page = await openPage(ctx, '');
  await assertCanvasesDrawn(page, 'the default page');
  await closePage(page);
});

test('the default scenario shows the chapter\'s cluster: 3 brokers, controller 2, 10,000 partitions', { timeout: TEST_TIMEOUT }, async () => {
  const page = await openPage(ctx, '');
  const view = page.locator(tid('cluster-view'));
  assert.equal(await view.count(), 1, 'no element with data-testid="cluster-view"');
  assert.equal(await view.evaluate((e) => e.tagName.toLowerCase()), 'svg', 'cluster-view is not an <svg>');
  for (const id of [1, 2, 3]) {
    assert.equal(await page.locator(tid(`broker-${id}`)).count(), 1, `no broker-${id} in the cluster view`);
  }
  assert.equal(await page.locator(tid('broker-4')).count(), 0, 'a broker-4 is drawn, but the default cluster has 3 brokers');
  assert.equal(await page.locator(tid('partitions-input')).inputValue(), '10000', 'partitions-input');
  assert.equal(await page.locator(tid('brokers-input')).inputValue(), '3', 'brokers-input');
  assert.equal(await page.locator(tid('rf-input')).inputValue(), '2', 'rf-input');
  assert.equal(await page.locator(tid('profile-select')).inputValue(), 'book', 'profile-select');
  await closePage(page);
});
