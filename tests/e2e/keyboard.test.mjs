// 7. Keyboard control: Space plays and pauses, ArrowRight steps, ArrowLeft steps back, Home
// restarts, l toggles the log scale, ? opens the help.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  TEST_TIMEOUT, blur, closePage, hookValue, markLogSeen, newLogItems, openPage, readLog, setup,
  teardown, tid,
} from './helpers.mjs';

let ctx;
before(async () => { ctx = await setup(); });
after(async () => { await teardown(ctx); });

const simTime = async (page) => {
  const v = await hookValue(page, 'sim-time');
  assert.notEqual(v, undefined, 'no element with data-testid="sim-time"');
  const n = Number(await page.locator(tid('sim-time')).getAttribute('data-value'));
  assert.ok(Number.isFinite(n), `sim-time's data-value is not a number: ${JSON.stringify(v)}`);
  return n;
};
const playState = (page) => page.locator(tid('play-button')).evaluate((b) => JSON.stringify({
  pressed: b.getAttribute('aria-pressed'), label: b.getAttribute('aria-label'), text: b.textContent.trim(),
  title: b.getAttribute('title'), state: b.dataset.state ?? b.dataset.playing ?? null,
}));
const key = async (page, k) => { await blur(page); await page.keyboard.press(k); };

test('Space plays and pauses the default run', { timeout: TEST_TIMEOUT }, async () => {
  const page = await openPage(ctx, '');
  assert.equal(await page.locator(tid('play-button')).count(), 1, 'no element with data-testid="play-button"');
  const paused = await playState(page);
  const t0 = await simTime(page);
  await key(page, ' ');
  await page.waitForFunction((t) => Number(document.querySelector('[data-testid="sim-time"]')?.getAttribute('data-value')) > t,
    t0, { timeout: 20_000 }).catch(() => {});
  const t1 = await simTime(page);
  assert.ok(t1 > t0, `Space did not start playing: sim-time stayed at ${t0}`);
  assert.notEqual(await playState(page), paused, 'the play button looks the same while playing as when paused');

  await key(page, ' ');
  await page.waitForTimeout(300);
  const t2 = await simTime(page);
  await page.waitForTimeout(1500);
  const t3 = await simTime(page);
  assert.equal(t3, t2, `Space did not pause: sim-time went on from ${t2} to ${t3}`);
  assert.equal(await playState(page), paused, 'after pausing, the play button does not look paused again');
  await closePage(page);
});

test('ArrowRight steps, ArrowLeft steps back, Home restarts', { timeout: TEST_TIMEOUT }, async () => {
  const page = await openPage(ctx, '?partitions=1');
  await key(page, 'Home');
  await page.waitForTimeout(200);
  assert.equal(await simTime(page), 0, 'after Home sim-time is not 0');
  await markLogSeen(page);
  await key(page, 'ArrowRight');
  await page.waitForTimeout(200);
  const first = await newLogItems(page);
  assert.ok(first.length > 0, 'ArrowRight added nothing to the event log');
  assert.equal(first[0].kind, 'broker_crashed', `the first step is ${first[0].kind}`);
  for (let i = 0; i < 3; i++) await key(page, 'ArrowRight');
  await page.waitForTimeout(200);
  const tAhead = await simTime(page);
  const nAhead = (await readLog(page)).length;
  assert.ok(tAhead > 0, `after 4 steps sim-time is ${tAhead}`);

  await key(page, 'ArrowLeft');
  await page.waitForTimeout(300);
  const tBack = await simTime(page);
  const nBack = (await readLog(page)).length;
  assert.ok(tBack < tAhead || nBack < nAhead,
    `ArrowLeft did not step back: sim-time ${tAhead} → ${tBack}, event log ${nAhead} → ${nBack} items`);

  await key(page, 'Home');
  await page.waitForTimeout(300);
  assert.equal(await simTime(page), 0, 'Home did not restart: sim-time is not 0');
  await closePage(page);
});

test('? opens the help dialog and l toggles the log scale', { timeout: TEST_TIMEOUT }, async () => {
  const page = await openPage(ctx, '');
  const help = page.locator(tid('help-dialog'));
  assert.equal(await help.count(), 1, 'no element with data-testid="help-dialog"');
  assert.equal(await help.isVisible(), false, 'the help dialog is open before ? is pressed');
  await key(page, '?');
  await help.waitFor({ state: 'visible', timeout: 5_000 }).catch(() => {});
  assert.ok(await help.isVisible(), '? did not open the help dialog');
  const text = await help.innerText();
  assert.match(text, /space/i, `the help does not list the Space key: ${JSON.stringify(text.slice(0, 200))}`);
  await page.keyboard.press('Escape');
  await page.waitForTimeout(200);
  // Whatever Escape did, close the help so that the next key reaches the page.
  await help.evaluate((d) => { if (d.open && typeof d.close === 'function') d.close(); });

  const log = page.locator(tid('log-scale-input'));
  assert.equal(await log.count(), 1, 'no element with data-testid="log-scale-input"');
  const was = await log.isChecked();
  await key(page, 'l');
  await page.waitForTimeout(300);
  assert.equal(await log.isChecked(), !was, 'l did not toggle log-scale-input');
  await closePage(page);
});
