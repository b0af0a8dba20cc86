// 5. Switching the language changes the page's visible text, <html lang> and the event log's
// text; the Korean text is Hangul.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  HANGUL, TEST_TIMEOUT, closePage, openPage, readLog, setup, teardown, tid, visibleText,
} from './helpers.mjs';

let ctx;
before(async () => { ctx = await setup(); });
after(async () => { await teardown(ctx); });

const headings = (page) => page.evaluate(() => [...document.querySelectorAll('h1, h2, h3')]
  .filter((h) => h.offsetParent !== null).map((h) => h.textContent.trim()).filter(Boolean));

async function stepLog(page, n) {
  for (let i = 0; i < n; i++) await page.locator(tid('step-button')).click();
  await page.waitForTimeout(200);
}

test('language-switch turns the page and the event log into Korean and back', { timeout: TEST_TIMEOUT }, async () => {
  const page = await openPage(ctx, '?partitions=1');
  const sw = page.locator(tid('language-switch'));
  assert.equal(await sw.count(), 1, 'no element with data-testid="language-switch"');
  assert.equal(await sw.evaluate((e) => e.tagName), 'SELECT', 'language-switch is not a <select>');
  assert.equal(await sw.inputValue(), 'en', 'the default language is not en');
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'en', '<html lang> is not en by default');

  await stepLog(page, 4);
  const enLog = await readLog(page);
  assert.ok(enLog?.length >= 2, `the event log has ${enLog?.length} items after 4 steps`);
  const enHeadings = await headings(page);
  assert.ok(enHeadings.length > 0, 'the page has no visible heading');
  const enText = await visibleText(page);
  assert.doesNotMatch(enHeadings.join(' '), HANGUL, `English headings contain Hangul: ${enHeadings}`);

  await sw.selectOption('ko');
  await page.waitForFunction(() => document.documentElement.lang === 'ko', null, { timeout: 10_000 })
    .catch(() => {});
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'ko', '<html lang> did not become ko');
  const koHeadings = await headings(page);
  assert.notDeepEqual(koHeadings, enHeadings, 'the headings did not change');
  assert.match(koHeadings.join(' '), HANGUL, `the Korean headings contain no Hangul: ${koHeadings}`);
  const koText = await visibleText(page);
  assert.notEqual(koText, enText);
  const hangulChars = (koText.match(/[\uAC00-\uD7A3]/g) ?? []).length;
  assert.ok(hangulChars > 50, `the Korean page shows only ${hangulChars} Hangul characters`);

  const koLog = await readLog(page);
  assert.equal(koLog.length, enLog.length, 'switching language changed the number of event log items');
  assert.notDeepEqual(koLog.map((i) => i.text), enLog.map((i) => i.text), 'the event log\'s text did not change');
  for (const i of koLog) {
    if (i.step) assert.match(i.text, HANGUL, `a Korean event log item has no Hangul: ${JSON.stringify(i.text)}`);
  }
  assert.deepEqual(koLog.map((i) => [i.kind, i.step]), enLog.map((i) => [i.kind, i.step]),
    'switching language changed the event log\'s kinds or steps');
  assert.match(page.url(), /lang=ko/, `the URL does not record the language: ${page.url()}`);

  await sw.selectOption('en');
  await page.waitForTimeout(300);
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'en', '<html lang> did not return to en');
  assert.deepEqual(await headings(page), enHeadings, 'switching back to en did not restore the headings');
  assert.deepEqual((await readLog(page)).map((i) => i.text), enLog.map((i) => i.text),
    'switching back to en did not restore the event log');
  await closePage(page);
});

test('?lang=ko opens the page in Korean', { timeout: TEST_TIMEOUT }, async () => {
  const page = await openPage(ctx, '?lang=ko');
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'ko');
  assert.equal(await page.locator(tid('language-switch')).inputValue(), 'ko');
  assert.match((await headings(page)).join(' '), HANGUL, 'the headings of ?lang=ko contain no Hangul');
  await closePage(page);
});
