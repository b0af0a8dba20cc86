// What the reader typed survives a re-render, and the words around the engine's numbers say
// what the numbers are: a parameter typed wrong (in the form or in a link) stays in its field
// across a language switch; the controlled shutdown's text alternative does not claim every
// partition went down; an embedded summary names the model its figures come from; the rule
// explorer does not call a preferred election that finds nobody "offline"; a count's message has
// no dangling unit; the event log stops being a live region while playing; the page opened from
// the disk says why it cannot start instead of staying blank.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, test } from 'node:test';
import {
  HANGUL, ROOT, TEST_TIMEOUT, closePage, openPage, setup, teardown, tid,
} from './helpers.mjs';

let ctx;
before(async () => { ctx = await setup(); });
after(async () => { await teardown(ctx); });

const param = (page, name) => page.locator(`[data-param="${name}"]`);
const banner = (page) => page.locator(tid('error-banner'));

test('a wrongly typed parameter stays in its field, flagged, across a language switch', { timeout: TEST_TIMEOUT }, async () => {
  const page = await openPage(ctx, '?partitions=100&lang=en');
  await page.evaluate(() => { document.getElementById('params').open = true; });
  await param(page, 'zk_session_timeout_ms').fill('abc');
  await param(page, 'zk_session_timeout_ms').press('Tab');
  await banner(page).waitFor({ state: 'visible' });
  assert.match(await banner(page).innerText(), /zk_session_timeout_ms/);
  await page.locator(tid('language-switch')).selectOption('ko');
  await page.waitForFunction(() => document.documentElement.lang === 'ko');
  assert.equal(await param(page, 'zk_session_timeout_ms').inputValue(), 'abc', 'the typed text was replaced by the applied value');
  assert.equal(await param(page, 'zk_session_timeout_ms').getAttribute('aria-invalid'), 'true', 'the field lost its invalid mark');
  assert.match(await banner(page).innerText(), HANGUL);
  // Correcting it applies it.
  await param(page, 'zk_session_timeout_ms').fill('7000');
  await param(page, 'zk_session_timeout_ms').press('Tab');
  await page.waitForFunction(() => new URLSearchParams(location.search).get('zk_session_timeout_ms') === '7000');
  assert.equal(await banner(page).isVisible(), false, 'the banner stayed after the fix');
  await closePage(page);
});

test('a malformed link shows its own values in the fields it flags, the parameters included', { timeout: TEST_TIMEOUT }, async () => {
  const page = await openPage(ctx, '?profile=kraft&kraft_max_records_per_batch=0&partitions=5x');
  const text = await banner(page).innerText();
  assert.match(text, /kraft_max_records_per_batch/);
  // A count has no unit: no space is left where one would be.
  assert.doesNotMatch(text, / \./, `a dangling unit space in ${JSON.stringify(text)}`);
  assert.equal(await page.locator(tid('partitions-input')).inputValue(), '5x');
  assert.equal(await page.locator(tid('profile-select')).inputValue(), 'kraft', 'the link\'s valid profile was dropped from the form');
  assert.equal(await param(page, 'kraft_max_records_per_batch').inputValue(), '0', 'the link\'s parameter is not in its field');
  assert.equal(await param(page, 'kraft_max_records_per_batch').getAttribute('aria-invalid'), 'true');
  assert.equal(await page.locator(tid('live-event-select')).inputValue(), 'crash', 'the live control does not show what runs');
  await closePage(page);
});

test('the KRaft publication hint quotes the batch size in use', { timeout: TEST_TIMEOUT }, async () => {
  const page = await openPage(ctx, '?profile=kraft&partitions=100&kraft_max_records_per_batch=500');
  assert.match(await page.locator('#pub-hint').innerText(), /\b500\b/);
  assert.doesNotMatch(await page.locator('#pub-hint').innerText(), /10,000/);
  await closePage(page);
});

test('the controlled shutdown\'s text alternative does not say every partition went down', { timeout: TEST_TIMEOUT }, async () => {
  const page = await openPage(ctx, '?partitions=1&lang=en');
  const crash = await page.locator('#tl-text-crash').innerText();
  const shutdown = await page.locator('#tl-text-shutdown').innerText();
  assert.match(crash, /^1 partition led by broker 1 went down/, crash);
  assert.doesNotMatch(shutdown, /went down/, shutdown);
  assert.match(shutdown, /old leader/, shutdown);
  await closePage(page);
});

test('an embedded summary names the timing profile and keeps the honesty note', { timeout: TEST_TIMEOUT }, async () => {
  const page = await openPage(ctx, '?embed=summary&partitions=100');
  const note = page.locator('#honesty-note');
  assert.ok(await note.isVisible(), 'the honesty note is hidden in the summary embed');
  assert.match(await note.innerText(), /The book's model/);
  await closePage(page);
  // The full page has the profile card: the note does not repeat it there.
  const full = await openPage(ctx, '?partitions=100');
  assert.doesNotMatch(await full.locator('#honesty-note').innerText(), /Timing profile/);
  await closePage(full);
});

test('the rule explorer: a preferred election that finds nobody leaves the leader, not "offline"', { timeout: TEST_TIMEOUT }, async () => {
  const page = await openPage(ctx, '?partitions=1&lang=en');
  const form = page.locator('#rules-form');
  await form.locator('select[name=strategy]').selectOption('preferred');
  await form.locator('input[name=isr]').fill('3');
  await form.locator('input[name=live]').fill('1, 3');
  const out = page.locator('#rules-out');
  await page.waitForFunction(() => /No election/.test(document.getElementById('rules-out').textContent));
  assert.doesNotMatch(await out.innerText(), /offline/);
  await form.locator('select[name=strategy]').selectOption('offline');
  await form.locator('input[name=live]').fill('2');
  await page.waitForFunction(() => /offline/.test(document.getElementById('rules-out').textContent));
  await closePage(page);
});

test('the rule explorer words bad input in the reader\'s language, not the engine\'s English', { timeout: TEST_TIMEOUT }, async () => {
  const page = await openPage(ctx, '?partitions=1&lang=ko');
  const form = page.locator('#rules-form');
  const out = page.locator('#rules-out');
  for (const [field, value] of [['assignment', '1, 1'], ['assignment', ''], ['isr', '2'], ['live', '500']]) {
    await form.locator('input[name=assignment]').fill('1, 3');
    await form.locator('input[name=isr]').fill('1, 3');
    await form.locator('input[name=live]').fill('2, 3');
    await form.locator(`input[name=${field}]`).fill(value);
    const text = await out.innerText();
    assert.match(text, HANGUL, `${field} = "${value}": ${text}`);
    assert.doesNotMatch(text, /appears twice|empty; give|must be in|out of range/, `${field} = "${value}": the engine's English: ${text}`);
    assert.equal(await out.evaluate((e) => e.classList.contains('err')), true, `${field} = "${value}" is not shown as an error`);
  }
  await closePage(page);
});

test('the event log is not a live region while playing', { timeout: TEST_TIMEOUT }, async () => {
  const page = await openPage(ctx, '?partitions=100');
  const live = () => page.locator(tid('event-log')).getAttribute('aria-live');
  assert.equal(await live(), 'polite');
  await page.locator(tid('play-button')).click();
  assert.equal(await live(), 'off');
  await page.locator(tid('play-button')).click();
  assert.equal(await live(), 'polite');
  await closePage(page);
});

test('opened from the disk, the page says why it cannot start, in both languages', { timeout: TEST_TIMEOUT }, async () => {
  const context = await ctx.browser.newContext();
  const page = await context.newPage();
  try {
    await page.goto(pathToFileURL(join(ROOT, 'index.html')).href, { waitUntil: 'load' });
    const b = banner(page);
    await b.waitFor({ state: 'visible', timeout: 10_000 });
    const text = await b.innerText();
    assert.match(text, /http\.server/, text);
    assert.match(text, HANGUL, text);
    await page.locator('#error-close').click();
    assert.equal(await b.isVisible(), false, 'the banner cannot be dismissed');
  } finally {
    await context.close();
  }
});
