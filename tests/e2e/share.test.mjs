// "Copy link": the link copied for a moment (scenario, profile parameters, time position and
// selected partition) restores that same moment in a fresh page: the same figures, the live
// simulation at the same time with the same steps taken, and the same ISR view. Once through
// the clipboard (permission granted), once through the fallback field (no clipboard).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  TEST_TIMEOUT, HANGUL, closePage, hookValue, openPage, readFigures, readIsr, setup, teardown, tid, waitForReady,
} from './helpers.mjs';

let ctx;
before(async () => { ctx = await setup(); });
after(async () => { await teardown(ctx); });

/** Everything a restored link must reproduce. */
async function moment(page) {
  const isr = await readIsr(page);
  return {
    time: await hookValue(page, 'sim-time'),
    isr: isr.raw,
    partition: await page.locator(tid('isr-partition-input')).inputValue(),
    isrName: await page.locator('#isr-name').textContent(),
    logItems: await page.locator(`${tid('event-log')} li`).count(),
    event: await page.locator(tid('live-event-select')).inputValue(),
    profile: await page.locator(tid('profile-select')).inputValue(),
    partitions: await page.locator(tid('partitions-input')).inputValue(),
    brokers: await page.locator(tid('brokers-input')).inputValue(),
    victim: await page.locator(tid('victim-input')).inputValue(),
    figures: JSON.stringify(await readFigures(page)),
  };
}

/** Clicks "Copy link" from the keyboard (focus + Enter): it must be reachable that way. */
async function pressCopy(page) {
  const button = page.locator(tid('copy-link'));
  assert.equal(await button.count(), 1, 'no element with data-testid="copy-link"');
  assert.ok(await button.isVisible(), 'the Copy link button is not visible');
  await button.focus();
  await page.keyboard.press('Enter');
}

/** Opens `link` (an absolute URL on the test server) in a fresh page and waits for it to settle. */
async function openLink(link) {
  assert.ok(link.startsWith(ctx.url), `the link ${link} is not on this page's server ${ctx.url}`);
  const page = await openPage(ctx, link.slice(ctx.url.length));
  await waitForReady(page);
  return page;
}

test('a copied link restores the scenario, the time position and the selected partition', { timeout: TEST_TIMEOUT * 2 }, async () => {
  // Few partitions and a per-partition controller cost that is not the profile's: several steps
  // share one instant here, the hardest moments to restore.
  const query = '?profile=book&partitions=6&brokers=4&rf=3&victim=2&controller=3&controller_per_partition_ms=150&lang=en';
  const page = await openPage(ctx, query);
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(ctx.url).origin });
  const input = page.locator(tid('isr-partition-input'));
  await input.fill('1');
  await input.press('Enter');
  let sawSteps = false;
  let sawLeaderChange = false;
  for (let k = 1; k <= 12; k++) {
    await page.locator(tid('step-button')).click();
    // Empty clipboard and status first: what is read next is this click's doing.
    await page.evaluate(() => {
      document.querySelector('[data-testid=share-status]').textContent = '';
      return navigator.clipboard.writeText('');
    });
    await pressCopy(page);
    await page.waitForFunction(() => document.querySelector('[data-testid=share-status]').textContent !== '');
    const link = await page.evaluate(() => navigator.clipboard.readText());
    const status = await page.locator(tid('share-status')).textContent();
    assert.match(status, /copied/i, `after ${k} steps: the screen-reader confirmation says ${JSON.stringify(status)}`);
    assert.match(await page.locator(tid('copy-link')).textContent(), /copied/i, 'the button does not show that the link was copied');
    const url = new URL(link);
    for (const [k2, v] of [['profile', 'book'], ['partitions', '6'], ['brokers', '4'], ['victim', '2'], ['controller_per_partition_ms', '150'], ['sel', '1']]) {
      assert.equal(url.searchParams.get(k2), v, `the link ${link} has ${k2}=${url.searchParams.get(k2)}, expected ${v}`);
    }
    assert.equal(url.searchParams.get('t'), await hookValue(page, 'sim-time'), `the link's t is not the time on screen: ${link}`);
    sawSteps ||= url.searchParams.has('steps');
    const want = await moment(page);
    sawLeaderChange ||= want.isr.leader !== '2';
    const fresh = await openLink(link);
    const got = await moment(fresh);
    assert.deepEqual(got, want, `after ${k} steps, the link ${link} restored a different moment`);
    await closePage(fresh, `the page opened from ${link}`);
  }
  // The loop must have covered what makes restoring hard, or it proved little.
  assert.ok(sawSteps, 'no copied link needed the steps parameter: no moment had several steps at one instant');
  assert.ok(sawLeaderChange, 'partition 1 never got a new leader while stepping: the ISR view was never put to the test');
  await closePage(page);
});

test('without a clipboard the link is shown selected in a field, and it restores the moment', { timeout: TEST_TIMEOUT }, async () => {
  const query = '?profile=kafka-1.1&partitions=300&brokers=4&rf=3&layout=kafka&victim=2&controller=3&zk_session_timeout_ms=9000&lang=ko';
  const page = await openPage(ctx, query, {
    initScript: () => Object.defineProperty(Navigator.prototype, 'clipboard', { get: () => undefined, configurable: true }),
  });
  // Scrub to a moment, follow one partition, switch to the log scale.
  await page.evaluate(() => {
    const s = document.querySelector('[data-testid=scrubber]');
    s.value = String(Number(s.max) * 0.97);
    s.dispatchEvent(new Event('change', { bubbles: true }));
  });
  await page.waitForFunction(() => Number(document.querySelector('[data-testid=sim-time]').dataset.value) > 0);
  const input = page.locator(tid('isr-partition-input'));
  await input.fill('57');
  await input.press('Enter');
  await page.locator(tid('log-scale-input')).check();
  await waitForReady(page);
  const field = page.locator(tid('share-link-field'));
  assert.equal(await field.isVisible(), false, 'the fallback field shows before anything was copied');
  await pressCopy(page);
  await field.waitFor({ state: 'visible' });
  const link = await field.inputValue();
  const selected = await page.evaluate(() => {
    const el = document.activeElement;
    return el?.dataset.testid === 'share-link-field' ? el.value.slice(el.selectionStart, el.selectionEnd) : null;
  });
  assert.equal(selected, link, 'the fallback field is not focused with the whole link selected');
  await page.waitForFunction(() => document.querySelector('[data-testid=share-status]').textContent !== '');
  assert.match(await page.locator(tid('share-status')).textContent(), HANGUL, 'the screen-reader message is not in Korean (lang=ko)');
  const url = new URL(link);
  assert.equal(url.searchParams.get('log'), '1', `the link ${link} lost the log scale`);
  assert.equal(url.searchParams.get('lang'), 'ko', `the link ${link} lost the language`);
  const want = await moment(page);
  assert.ok(Number(want.time) > 0, 'the scrubber did not move the time');
  const fresh = await openLink(link);
  assert.deepEqual(await moment(fresh), want, `the link ${link} restored a different moment`);
  assert.equal(await fresh.locator(tid('log-scale-input')).isChecked(), true, 'the log scale was not restored');
  assert.equal(await fresh.evaluate(() => document.documentElement.lang), 'ko', 'the language was not restored');
  // Escape closes the field and gives the focus back to the button.
  await field.press('Escape');
  assert.equal(await field.isVisible(), false, 'Escape did not close the fallback field');
  assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), 'copy-link', 'the focus did not return to Copy link');
  await closePage(fresh, `the page opened from ${link}`);
  await closePage(page);
});
