// The engine in its Web Worker (www/engine/): a million-partition link loads behind a progress bar
// while the main thread keeps painting, with the engine's figures; Cancel stops a run and keeps
// what was asked for; "Open scenario…" refuses a file over its size cap before reading it and
// quotes file names for the shell; a 200,000-character link value neither throws nor stretches
// the page; and the page and every embed view run under their Content-Security-Policy.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import {
  ROOT, TEST_TIMEOUT, assertFiguresEqual, cliJson, closePage, openPage, readFigures, setup, teardown, tid, waitForFigures, waitForReady,
} from './helpers.mjs';

let ctx;
before(async () => { ctx = await setup({ cli: true }); });
after(async () => { await teardown(ctx); });

/** Records requestAnimationFrame gaps and CSP violations from before the page's scripts run. */
const PROBE = () => {
  window.__gaps = [];
  window.__csp = [];
  let last = performance.now();
  const beat = (now) => { window.__gaps.push(now - last); last = now; requestAnimationFrame(beat); };
  requestAnimationFrame(beat);
  document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
};

test('a 1,000,000-partition link loads with the progress bar while the main thread keeps painting, with the engine\'s figures', { timeout: TEST_TIMEOUT * 2 }, async () => {
  const cli = await cliJson(['compare', '--partitions', '1000000']);
  const page = await openPage(ctx, '?partitions=1000000&t=500000', { wait: false, initScript: PROBE });
  await page.waitForSelector(`${tid('busy-progress')}:not([hidden])`, { timeout: 60_000 });
  assert.ok(await page.locator(tid('busy-cancel')).isVisible(), 'no Cancel button beside the progress bar');
  // The page stays usable meanwhile: typing into a field works while the engine runs.
  await page.locator(tid('isr-partition-input')).fill('123');
  assert.equal(await page.locator(tid('isr-partition-input')).inputValue(), '123');
  await waitForFigures(page, 240_000);
  await waitForReady(page, 240_000);
  assertFiguresEqual(await readFigures(page), cli, '?partitions=1000000');
  assert.equal(await page.locator(tid('sim-time')).getAttribute('data-value'), '500000', 'the link\'s moment was not restored');
  // Step back and forth at a million: still no long frame gap.
  await page.evaluate(() => { window.__gaps = []; });
  await page.locator(tid('step-button')).click();
  await page.keyboard.press('ArrowLeft');
  await waitForReady(page, 120_000);
  const gaps = await page.evaluate(() => window.__gaps);
  const worst = Math.max(...(await page.evaluate(() => window.__gaps)));
  assert.ok(gaps.length > 0 && worst < 250, `a main-thread gap of ${worst.toFixed(0)} ms between frames`);
  await closePage(page);
});

test('the main thread never stalls while a 1,000,000-partition link loads', { timeout: TEST_TIMEOUT * 2 }, async () => {
  const page = await openPage(ctx, '?partitions=1000000', { wait: false, initScript: PROBE });
  await page.waitForFunction(() => document.documentElement.dataset.ready === '1'
    && document.querySelector('[data-testid="crash-partitions-affected"]')?.getAttribute('data-value'), null, { timeout: 240_000 });
  // From the first frame (after the scripts are parsed) to idle: no frame gap over ~200 ms.
  const gaps = (await page.evaluate(() => window.__gaps)).slice(3);
  const worst = Math.max(...gaps);
  assert.ok(gaps.length > 10, `only ${gaps.length} frames while loading`);
  assert.ok(worst < 250, `a main-thread gap of ${worst.toFixed(0)} ms between frames while loading`);
  assert.equal(await page.locator(tid('crash-partitions-affected')).getAttribute('data-value'), '1000000');
  await closePage(page);
});

test('Cancel stops a 2,000,000-partition run, shows the previous scenario and keeps what was typed', { timeout: TEST_TIMEOUT }, async () => {
  const page = await openPage(ctx, '?partitions=1000');
  const before = await readFigures(page);
  await page.locator(tid('partitions-input')).fill('2000000');
  await page.locator(tid('partitions-input')).press('Enter');
  await page.waitForSelector(`${tid('busy-cancel')}:not([hidden])`, { timeout: 30_000 });
  // Keyboard-operable: focus the button and press Enter.
  await page.locator(tid('busy-cancel')).focus();
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.documentElement.dataset.ready === '1' && document.getElementById('busy').hidden, null, { timeout: 60_000 });
  await page.waitForTimeout(300);
  assert.deepEqual(await readFigures(page), before, 'the figures after Cancel are not the previous scenario\'s');
  assert.equal(await page.locator(tid('partitions-input')).inputValue(), '2000000', 'the typed value was lost');
  const banner = await page.locator('#error-banner').innerText();
  assert.match(banner, /cancelled/i);
  // In Korean too.
  await page.locator(tid('language-switch')).selectOption('ko').catch(() => page.selectOption('#language-switch', 'ko'));
  assert.match(await page.locator('#error-banner').innerText(), /취소/);
  await closePage(page);
});

test('Open scenario refuses a file over its size cap before reading it, in both languages, and quotes names for the shell', { timeout: TEST_TIMEOUT }, async () => {
  const page = await openPage(ctx, '?partitions=100');
  await page.locator(tid('partitions-input')).fill('123');
  const big = Buffer.alloc(3 * 1024 * 1024, 0x20);
  await page.locator(tid('scenario-file')).setInputFiles({ name: "it's huge.json", mimeType: 'application/json', buffer: big });
  await page.waitForSelector('#error-banner:not([hidden])');
  const en = await page.locator('#error-banner').innerText();
  assert.match(en, /up to 1 MB/, `the banner does not state the cap: ${en}`);
  assert.ok(en.includes("kafka-election run --scenario 'it'\\''s huge.json'"), `the command is not shell-quoted: ${en}`);
  assert.equal(await page.locator(tid('partitions-input')).inputValue(), '123', 'the typed value was lost');
  await page.selectOption('#language-switch', 'ko');
  assert.match(await page.locator('#error-banner').innerText(), /1MB까지/);
  // A file the page cannot show but the command line runs: the suggested command is quoted too.
  await page.selectOption('#language-switch', 'en');
  const multi = { cluster: { brokers: 3, topics: [{ name: 'a', partitions: 10 }, { name: 'b', partitions: 10 }] } };
  await page.locator(tid('scenario-file')).setInputFiles({ name: 'two topics; rm -rf.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(multi)) });
  await page.waitForFunction(() => document.getElementById('error-banner').innerText.includes('two topics'));
  assert.ok((await page.locator('#error-banner').innerText()).includes("--scenario 'two topics; rm -rf.json'"));
  await closePage(page);
});

test('a 200,000-character link value is refused with a shortened quote and does not stretch the page', { timeout: TEST_TIMEOUT }, async () => {
  const long = 'x'.repeat(200_000);
  // The test server (like many) refuses a request line this long; the browser is given the page
  // for it instead, so the page reads the full 200,000-character value from its address.
  const context = await ctx.browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.route((u) => u.search.length > 10_000, (route) => route.fulfill({ contentType: 'text/html', body: readFileSync(join(ROOT, 'index.html')) }));
  const page = await context.newPage();
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(String(e)));
  await page.goto(`${ctx.url}?profile=${long}&partitions=${'9'.repeat(1000)}`);
  await waitForFigures(page);
  const banner = await page.locator('#error-banner').innerText();
  assert.ok(banner.length < 3000, `the banner quotes ${banner.length} characters`);
  assert.match(banner, /…/, 'a shortened value has no ellipsis');
  const size = await page.evaluate(() => ({ sw: document.documentElement.scrollWidth, cw: document.documentElement.clientWidth }));
  assert.ok(size.sw <= size.cw, `the page is ${size.sw} px wide in a ${size.cw} px window`);
  await closePage(page);
});

test('the page and every embed view run under the Content-Security-Policy; an injected inline script is blocked', { timeout: TEST_TIMEOUT * 2 }, async () => {
  for (const q of ['', '?embed=timeline', '?embed=cluster', '?embed=isr', '?embed=map', '?embed=summary']) {
    const page = await openPage(ctx, q, { initScript: PROBE });
    const csp = await page.evaluate(() => document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.content);
    assert.match(csp ?? '', /script-src 'self' 'wasm-unsafe-eval'/);
    await waitForReady(page);
    await page.waitForTimeout(300);
    assert.deepEqual(await page.evaluate(() => window.__csp), [], `${q || 'the page'}: CSP violations`);
    if (!q) {
      const r = await page.evaluate(async () => {
        const s = document.createElement('script');
        s.textContent = 'window.__x = 1';
        document.body.append(s);
        const d = document.createElement('div');
        d.innerHTML = '<span style="color:red">x</span>';
        document.body.append(d);
        await new Promise((ok) => setTimeout(ok, 200));
        return { x: window.__x, csp: window.__csp };
      });
      assert.equal(r.x, undefined, 'an injected inline script ran');
      assert.ok(r.csp.some((v) => v.startsWith('script-src')), `no script-src violation reported: ${JSON.stringify(r.csp)}`);
      assert.ok(r.csp.some((v) => v.startsWith('style-src')), `no style-src violation reported: ${JSON.stringify(r.csp)}`);
      // The page reports those two as console errors; they are the test's own.
      page.errors = page.errors.filter((e) => !/Content Security Policy/.test(e));
    }
    await closePage(page, q || 'the page');
  }
});
