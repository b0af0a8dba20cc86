// 8. Screenshots of the main views into test-artifacts/: default, mid-run, Korean, dark mode,
// error banner, phone width. Each view is also checked for what makes it that view.
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { after, before, test } from 'node:test';
import {
  HANGUL, TEST_TIMEOUT, assertCanvasesDrawn, closePage, openPage, screenshot, setup, teardown, tid,
} from './helpers.mjs';

let ctx;
before(async () => { ctx = await setup(); });
after(async () => { await teardown(ctx); });

async function shoot(page, name) {
  const path = await screenshot(page, name);
  const { size } = statSync(path);
  assert.ok(size > 5_000, `${path} is only ${size} bytes`);
}

const background = (page) => page.evaluate(() => {
  const bg = (e) => getComputedStyle(e).backgroundColor;
  const b = bg(document.body);
  return b === 'rgba(0, 0, 0, 0)' || b === 'transparent' ? bg(document.documentElement) : b;
});
const luminance = (rgb) => {
  const [r, g, b] = rgb.match(/[\d.]+/g).map(Number);
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
};

test('default view', { timeout: TEST_TIMEOUT }, async () => {
  const page = await openPage(ctx, '');
  await assertCanvasesDrawn(page, 'default');
  await shoot(page, 'default');
  await closePage(page);
});

test('mid-run view (?t=1000000: 1,000 s into the crash)', { timeout: TEST_TIMEOUT }, async () => {
  const page = await openPage(ctx, '?t=1000000');
  await assertCanvasesDrawn(page, 'mid-run', { mixedMap: true });
  const t = Number(await page.locator(tid('sim-time')).getAttribute('data-value'));
  assert.equal(t, 1_000_000, `?t=1000000 should put the clock at 1,000,000 ms; sim-time says ${t}`);
  await shoot(page, 'mid-run');
  await closePage(page);
});

test('Korean view', { timeout: TEST_TIMEOUT }, async () => {
  const page = await openPage(ctx, '?lang=ko');
  assert.match(await page.evaluate(() => document.body.innerText), HANGUL);
  await shoot(page, 'korean');
  await closePage(page);
});

test('dark mode (prefers-color-scheme: dark) has a dark background', { timeout: TEST_TIMEOUT }, async () => {
  const light = await openPage(ctx, '');
  const lightBg = await background(light);
  await closePage(light);
  const page = await openPage(ctx, '', { colorScheme: 'dark' });
  await page.emulateMedia({ colorScheme: 'dark' });
  await assertCanvasesDrawn(page, 'dark');
  await shoot(page, 'dark');
  const darkBg = await background(page);
  assert.ok(luminance(darkBg) < luminance(lightBg) && luminance(darkBg) < 100,
    `the dark-mode background (${darkBg}) is not dark (light mode: ${lightBg})`);
  await closePage(page);
});

test('error banner view', { timeout: TEST_TIMEOUT }, async () => {
  const page = await openPage(ctx, '?profile=nope');
  assert.ok(await page.locator(tid('error-banner')).isVisible(), 'the error banner is not visible');
  await shoot(page, 'error-banner');
  await closePage(page, '?profile=nope');
});

test('phone width (390 px) fits without horizontal scrolling', { timeout: TEST_TIMEOUT }, async () => {
  const page = await openPage(ctx, '', { viewport: { width: 390, height: 844 } });
  await assertCanvasesDrawn(page, 'phone');
  await shoot(page, 'phone-390');
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 391, `at 390 px wide the page is ${width} px wide: it scrolls sideways`);
  await closePage(page);
});
