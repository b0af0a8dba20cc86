// 6. A malformed URL shows the error banner with a message naming the problem, and the page
// still works: it falls back to the default scenario, draws it and steps.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  TEST_TIMEOUT, assertCanvasesDrawn, assertFiguresEqual, cliJson, closePage, markLogSeen,
  newLogItems, openPage, readFigures, setup, teardown, tid,
} from './helpers.mjs';

let ctx;
let defaults;
before(async () => {
  ctx = await setup({ cli: true });
  defaults = await cliJson(['compare']);
});
after(async () => { await teardown(ctx); });

// [query, what the message must name]
const CASES = [
  ['?profile=nope', /profile/i],
  ['?partitions=-5', /partitions/i],
  ['?rf=9', /\brf\b|replication/i],
  ['?zk_session_timeout_ms=abc', /zk_session_timeout_ms|zk-session-timeout-ms|session[ _-]timeout/i],
];

for (const [query, names] of CASES) {
  test(`${query} shows the error banner naming the problem and falls back to the default`, { timeout: TEST_TIMEOUT }, async () => {
    const page = await openPage(ctx, query);
    const banner = page.locator(tid('error-banner'));
    assert.equal(await banner.count(), 1, 'no element with data-testid="error-banner"');
    await banner.waitFor({ state: 'visible', timeout: 10_000 }).catch(() => {});
    assert.ok(await banner.isVisible(), `${query}: the error banner is not visible`);
    const text = (await banner.innerText()).trim();
    assert.match(text, names, `${query}: the banner does not name the problem: ${JSON.stringify(text)}`);
    // The page still works: the default scenario, drawn, with the default's figures.
    await assertCanvasesDrawn(page, query);
    assertFiguresEqual(await readFigures(page), defaults, `${query} (fallback to the default)`);
    await markLogSeen(page);
    await page.locator(tid('step-button')).click();
    await page.waitForTimeout(200);
    assert.ok((await newLogItems(page)).length > 0, `${query}: step-button does nothing after the error`);
    await closePage(page, query);
  });
}
