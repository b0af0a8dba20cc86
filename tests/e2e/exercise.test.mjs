// Classroom exercises: a file loads, hides the results, takes an answer, reveals the run and
// grades it against the engine (checked here against the CLI's JSON), in English and Korean;
// malformed files and links give a message and leave the page working; a teacher's export
// round-trips.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import {
  HANGUL, ROOT, TEST_TIMEOUT, cliJson, closePage, exerciseInState as inState, openPage, readIsr, readFigures, setup, teardown, tid, waitForFigures,
} from './helpers.mjs';

let ctx;
before(async () => { ctx = await setup({ cli: true }); });
after(async () => { await teardown(ctx); });

const exercise = (name) => JSON.parse(readFileSync(join(ROOT, 'exercises', name), 'utf8'));
const panel = (page) => page.locator(tid('exercise-panel'));

/** The results are hidden while the question is open, and shown after the answer. */
async function resultsVisible(page) {
  return page.evaluate(() => ['timeline-crash', 'summary-crash', 'summary-shutdown', 'downtime-ratio', 'isr-view']
    .map((id) => { const el = document.querySelector(`[data-testid="${id}"]`); return !!el && el.getClientRects().length > 0; }));
}

async function answerNumber(page, text) {
  await page.locator(tid('exercise-input')).fill(text);
  await page.locator(tid('exercise-submit')).click();
}

/** The result's data attributes: correct, value, given, off, offPct. */
const result = (page) => page.locator(tid('exercise-result')).evaluate((el) => ({ ...el.dataset, text: el.innerText }));

/** The page still works: its figures are there and a step adds to the event log. */
async function pageWorks(page, what) {
  await waitForFigures(page);
  const figs = await readFigures(page);
  assert.ok(Number(figs.crash['last-downtime']) > 0, `${what}: the crash figures are missing`);
  const before = await page.locator(`${tid('event-log')} li`).count();
  await page.locator(tid('step-button')).click();
  await page.waitForFunction((b) => document.querySelectorAll('[data-testid="event-log"] li').length > b, before, { timeout: 10_000 })
    .catch(() => { throw new Error(`${what}: stepping does not work any more`); });
}

test('a number exercise: hidden results, a right answer graded correct, then the run', { timeout: TEST_TIMEOUT }, async () => {
  const cli = await cliJson(['run', '--profile', 'book', '--partitions', '10000']);
  const value = cli.last_partition_downtime_ms / 60_000; // the file asks in minutes
  const page = await openPage(ctx, '?exercise=exercises/book-last-partition.json');
  await inState(page, 'asking');
  const ex = exercise('book-last-partition.json');
  assert.equal(await page.locator(tid('exercise-title')).innerText(), ex.title.en);
  assert.equal(await page.locator(tid('exercise-question')).innerText(), ex.question.en);
  assert.equal(await page.locator(tid('exercise-unit')).innerText(), 'min');
  assert.deepEqual(await resultsVisible(page), [false, false, false, false, false], 'results show before the answer');
  assert.equal(await page.locator(tid('exercise-explanation')).isVisible(), false, 'the explanation shows before the answer');
  assert.equal(new URL(page.url()).searchParams.get('exercise'), 'exercises/book-last-partition.json', 'the link lost its exercise');
  assert.equal(await page.locator(tid('error-banner')).isVisible(), false);

  const given = Math.round(value * 0.95 * 10) / 10; // 5 % low: inside the 10 % tolerance
  await answerNumber(page, String(given));
  await inState(page, 'revealed');
  const r = await result(page);
  assert.equal(r.correct, '1', `${given} min should be graded correct against ${value}: ${r.text}`);
  assert.ok(Math.abs(Number(r.value) - value) < 1e-9, `the engine's value ${r.value} differs from the CLI's ${value}`);
  assert.ok(Math.abs(Number(r.off) - (given - value)) < 1e-9, `off by ${r.off}, expected ${given - value}`);
  assert.match(r.text, /Correct/);
  assert.deepEqual(await resultsVisible(page), [true, true, true, true, true], 'the run is not revealed after the answer');
  assert.ok(await page.locator(tid('exercise-explanation')).isVisible(), 'no explanation after the answer');
  assert.match(await page.locator(tid('exercise-explanation')).innerText(), new RegExp(ex.explanation.en.slice(0, 30).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
  // The reveal selects the partition the file names.
  assert.equal(await page.locator(tid('isr-partition-input')).inputValue(), String(ex.reveal.sel));
  await closePage(page);
});

test('a wrong number is graded incorrect with the right "off by"', { timeout: TEST_TIMEOUT }, async () => {
  const cli = await cliJson(['run', '--profile', 'book', '--partitions', '10000']);
  const value = cli.last_partition_downtime_ms / 60_000;
  const page = await openPage(ctx, '?exercise=exercises/book-last-partition.json');
  await inState(page, 'asking');
  await answerNumber(page, '20');
  await inState(page, 'revealed');
  const r = await result(page);
  assert.equal(r.correct, '0', `20 min should be graded incorrect against ${value}`);
  const off = 20 - value;
  assert.ok(Math.abs(Number(r.off) - off) < 1e-9, `off ${r.off}, expected ${off}`);
  assert.ok(Math.abs(Number(r.offPct) - (off / value) * 100) < 1e-9, `off % ${r.offPct}, expected ${(off / value) * 100}`);
  assert.match(r.text, /too low/, r.text);
  // The text shows the engine's value, the distance and the percentage, rounded for reading.
  const shown = (re) => Number(r.text.match(re)?.[1]);
  assert.ok(Math.abs(shown(/computes ([\d.]+) min/) - value) < 0.01, `the engine's value is not in ${r.text}`);
  assert.ok(Math.abs(shown(/is ([\d.]+) min too low/) + off) < 0.01, `the distance is not in ${r.text}`);
  assert.ok(Math.abs(shown(/\(([\d.]+) %\)/) - Math.abs(off / value) * 100) < 0.01, `the percentage is not in ${r.text}`);
  await closePage(page);
});

test('in Korean: the 6 s Kafka 1.1 crash, graded against the CLI', { timeout: TEST_TIMEOUT }, async () => {
  const cli = await cliJson(['run', '--profile', 'kafka-1.1', '--partitions', '10000', '--zk-session-timeout-ms', '6000']);
  const value = cli.last_partition_downtime_ms / 1000;
  const page = await openPage(ctx, '?lang=ko&exercise=exercises/kafka-1.1-crash-last-partition.json');
  await inState(page, 'asking');
  const ex = exercise('kafka-1.1-crash-last-partition.json');
  assert.equal(await page.locator(tid('exercise-title')).innerText(), ex.title.ko);
  assert.equal(await page.locator(tid('exercise-question')).innerText(), ex.question.ko);
  assert.equal(await page.locator(tid('exercise-unit')).innerText(), '초');
  // A right answer typed with a comma as the thousands separator is not needed here; a plain one.
  await answerNumber(page, (value * 1.08).toFixed(2));
  await inState(page, 'revealed');
  let r = await result(page);
  assert.equal(r.correct, '1', r.text);
  assert.match(r.text, HANGUL);
  assert.match(r.text, /정답입니다/);
  assert.match(r.text, /더 큽니다/, `8 % high should say so: ${r.text}`);
  assert.match(await page.locator(tid('exercise-explanation')).innerText(), HANGUL);
  // The same page in English after the language switch.
  await page.locator(tid('language-switch')).selectOption('en');
  await page.waitForFunction(() => /Correct/.test(document.querySelector('[data-testid="exercise-result"]').innerText));
  r = await result(page);
  assert.equal(await page.locator(tid('exercise-title')).innerText(), ex.title.en);
  await closePage(page);

  // And a wrong answer in Korean.
  const p2 = await openPage(ctx, '?lang=ko&exercise=exercises/kafka-2.5-session-timeout.json');
  await inState(p2, 'asking');
  const cli25 = await cliJson(['run', '--profile', 'kafka-2.5', '--partitions', '10000', '--zk-session-timeout-ms', '18000']);
  await answerNumber(p2, '9');
  await inState(p2, 'revealed');
  const r2 = await result(p2);
  assert.equal(r2.correct, '0');
  assert.ok(Math.abs(Number(r2.off) - (9 - cli25.last_partition_downtime_ms / 1000)) < 1e-9, `off ${r2.off}`);
  assert.match(r2.text, /아쉽지만/);
  assert.match(r2.text, /더 작습니다/);
  await closePage(p2);
});

test('a choice exercise, right and wrong; the reveal shows the new leader', { timeout: TEST_TIMEOUT }, async () => {
  const ex = exercise('peter-test02-new-leader.json');
  for (const pick of [ex.answer.correct, 0]) {
    const page = await openPage(ctx, '?exercise=exercises/peter-test02-new-leader.json');
    await inState(page, 'asking');
    assert.equal(await page.locator('input[name=ex-choice]').count(), ex.answer.choices.length);
    // Submitting nothing asks for a choice and grades nothing.
    await page.locator(tid('exercise-submit')).click();
    assert.match(await page.locator(tid('exercise-input-error')).innerText(), /Pick/);
    assert.equal(await panel(page).getAttribute('data-state'), 'asking');
    await page.locator(tid(`exercise-choice-${pick}`)).check();
    await page.locator(tid('exercise-submit')).click();
    await inState(page, 'revealed');
    const r = await result(page);
    assert.equal(r.correct, pick === ex.answer.correct ? '1' : '0');
    assert.equal(r.chosen, String(pick));
    assert.equal(r.answer, String(ex.answer.correct));
    if (pick !== ex.answer.correct) assert.ok(r.text.includes(ex.answer.choices[ex.answer.correct].en), r.text);
    const isr = await readIsr(page);
    assert.deepEqual([isr.leader, isr.members], [3, [3]], `after the reveal the ISR view shows ${JSON.stringify(isr.raw)}`);
    await closePage(page);
  }
});

test('the ratio exercise is graded against compare --json; bad input is refused inline', { timeout: TEST_TIMEOUT }, async () => {
  const cmp = await cliJson(['compare', '--profile', 'book', '--partitions', '10000']);
  const page = await openPage(ctx, '?exercise=exercises/crash-vs-shutdown-ratio.json');
  await inState(page, 'asking');
  for (const bad of ['', 'lots', '12a']) {
    await answerNumber(page, bad);
    const msg = await page.locator(tid('exercise-input-error')).innerText();
    assert.ok(msg.length > 0, `no message for ${JSON.stringify(bad)}`);
    assert.equal(await page.locator(tid('exercise-input')).getAttribute('aria-invalid'), 'true');
    assert.equal(await panel(page).getAttribute('data-state'), 'asking', `${JSON.stringify(bad)} was graded`);
  }
  const given = Math.round(cmp.last_partition_downtime_ratio * 1.05);
  await answerNumber(page, given.toLocaleString('en-US'));
  await inState(page, 'revealed');
  const r = await result(page);
  assert.equal(r.correct, '1', r.text);
  assert.ok(Math.abs(Number(r.value) - cmp.last_partition_downtime_ratio) < 1e-6, `${r.value} vs ${cmp.last_partition_downtime_ratio}`);
  assert.ok(Math.abs(Number(r.given) - given) < 1e-9);
  await closePage(page);
});

// ------------------------------------------------------------------------------- malformed files

const GOOD = exercise('book-last-partition.json');
const BAD = {
  'bad-json': ['{"format": "kafka-election-exercise/1", ', [/JSON/]],
  missing: [JSON.stringify({ format: GOOD.format, id: 'x', title: GOOD.title }), [/question/, /scenario/, /answer/, /explanation/]],
  metric: [JSON.stringify({ ...GOOD, answer: { ...GOOD.answer, metric: 'crash.coffee_breaks' } }), [/answer\.metric/, /crash\.coffee_breaks/]],
  types: [JSON.stringify({ ...GOOD, scenario: { ...GOOD.scenario, partitions: '10000' }, title: 'T', answer: { ...GOOD.answer, tolerance: '10%' } }),
    [/scenario\.partitions/, /title/, /answer\.tolerance/]],
  stored: [JSON.stringify({ ...GOOD, answer: { ...GOOD.answer, value: 33.4 } }), [/answer\.value/, /never stores/]],
  array: ['[1, 2]', [/JSON object/]],
};

test('malformed exercise files give a clear message and the page keeps working', { timeout: TEST_TIMEOUT }, async () => {
  for (const [name, [body, patterns]] of Object.entries(BAD)) {
    // The default page first (fully loaded), then the link: nothing of the first load is cut off.
    const page = await openPage(ctx, '');
    await page.route(`**/exercises/test-${name}.json`, (route) => route.fulfill({ status: 200, contentType: 'application/json', body }));
    await page.goto(`${ctx.url}?exercise=exercises/test-${name}.json`);
    const banner = page.locator(tid('error-banner'));
    await banner.waitFor({ state: 'visible', timeout: 60_000 });
    const text = await banner.innerText();
    assert.match(text, new RegExp(`exercises/test-${name}\\.json`), `${name}: the message does not name the file: ${text}`);
    for (const p of patterns) assert.match(text, p, `${name}: the message lacks ${p}: ${text}`);
    assert.equal(await panel(page).isVisible(), false, `${name}: the exercise started anyway`);
    assert.deepEqual(await resultsVisible(page), [true, true, true, true, true], `${name}: the results stay hidden`);
    await pageWorks(page, name);
    await closePage(page, name);
  }
});

test('the same through the file picker, in Korean', { timeout: TEST_TIMEOUT }, async () => {
  const page = await openPage(ctx, '?lang=ko');
  await page.locator(tid('exercise-menu')).click();
  await page.locator(tid('exercise-file')).setInputFiles({ name: 'mine.json', mimeType: 'application/json', buffer: Buffer.from(BAD.metric[0]) });
  const banner = page.locator(tid('error-banner'));
  await banner.waitFor({ state: 'visible' });
  const text = await banner.innerText();
  assert.match(text, /mine\.json/);
  assert.match(text, /answer\.metric/);
  assert.match(text, HANGUL, `the message is not in Korean: ${text}`);
  await pageWorks(page, 'file picker, bad file');
  // A good file through the picker starts the exercise and clears the message.
  await page.locator(tid('exercise-menu')).click();
  await page.locator(tid('exercise-file')).setInputFiles({ name: 'good.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(GOOD)) });
  await inState(page, 'asking');
  assert.equal(await banner.isVisible(), false, 'the old message stayed');
  assert.equal(await page.locator(tid('exercise-title')).innerText(), GOOD.title.ko);
  await closePage(page);
});

test('bad exercise links are refused with a message, and nothing is fetched from elsewhere', { timeout: TEST_TIMEOUT }, async () => {
  const cases = [
    ['https://evil.example/x.json', /only a relative path/],
    ['//evil.example/x.json', /only a relative path/],
    ['/exercises/book-last-partition.json', /only a relative path/],
    ['../x.json', /“\.\.”/],
    ['exercises/book-last-partition.txt', /\.json/],
    ['exercises/a b.json', /allowed characters/],
    ['', /empty/],
    ['exercises/missing.json', /HTTP 404/],
  ];
  for (const [value, pattern] of cases) {
    const page = await openPage(ctx, '');
    const foreign = [];
    page.on('request', (r) => { if (!r.url().startsWith(ctx.url)) foreign.push(r.url()); });
    await page.goto(`${ctx.url}?exercise=${encodeURIComponent(value)}`);
    const banner = page.locator(tid('error-banner'));
    await banner.waitFor({ state: 'visible', timeout: 60_000 });
    const text = await banner.innerText();
    assert.match(text, pattern, `?exercise=${value}: ${text}`);
    assert.match(text, /exercise/, `?exercise=${value}: the message does not name the parameter: ${text}`);
    assert.deepEqual(foreign, [], `?exercise=${value} made requests elsewhere`);
    await pageWorks(page, `?exercise=${value}`);
    // The 404 is the expected outcome of the missing file: the browser logs it.
    if (value === 'exercises/missing.json') page.errors = page.errors.filter((e) => !/404|missing\.json/.test(e));
    await closePage(page, `?exercise=${value}`);
  }
});

test('the shipped list, and a teacher\'s export that round-trips', { timeout: TEST_TIMEOUT }, async () => {
  const index = JSON.parse(readFileSync(join(ROOT, 'exercises', 'index.json'), 'utf8'));
  const page = await openPage(ctx, '?profile=kafka-1.1&partitions=2000&zk_session_timeout_ms=9000');
  await page.locator(tid('exercise-menu')).click();
  const links = page.locator(`${tid('exercise-list')} a`);
  await links.first().waitFor();
  assert.equal(await links.count(), index.exercises.length);
  const titles = await links.allInnerTexts();
  assert.ok(titles.every((s) => s.length > 3 && !s.endsWith('.json')), `titles: ${titles}`);

  await page.locator('.ex-export > summary').click();
  const form = page.locator(tid('exercise-export-form'));
  await form.locator('select[name=metric]').selectOption('crash.first_partition_downtime_ms');
  await form.locator('input[name=id]').fill('teacher-test');
  await form.locator('input[name=tolerance]').fill('5');
  await form.locator('textarea[name=question_en]').fill('How long is the first partition down?');
  assert.match(await form.locator('textarea[name=question_ko]').inputValue(), HANGUL, 'no Korean question template');
  // An invalid id is refused in the form, naming the field.
  await form.locator('input[name=id]').fill('Bad Id');
  await page.locator(tid('exercise-export-download')).click();
  assert.match(await page.locator(tid('exercise-export-errors')).innerText(), /id/);
  await form.locator('input[name=id]').fill('teacher-test');

  const [download] = await Promise.all([page.waitForEvent('download'), page.locator(tid('exercise-export-download')).click()]);
  assert.equal(download.suggestedFilename(), 'teacher-test.json');
  const file = JSON.parse(readFileSync(await download.path(), 'utf8'));
  assert.equal(file.format, 'kafka-election-exercise/1');
  assert.deepEqual(file.scenario, { profile: 'kafka-1.1', partitions: 2000, zk_session_timeout_ms: 9000 });
  assert.deepEqual(file.answer, { type: 'number', metric: 'crash.first_partition_downtime_ms', unit: 's', tolerance: 0.05 });
  assert.equal(file.question.en, 'How long is the first partition down?');
  assert.ok(!('value' in file.answer), 'the export stored the number');

  // The downloaded file works as an exercise, graded against the CLI.
  const cli = await cliJson(['run', '--profile', 'kafka-1.1', '--partitions', '2000', '--zk-session-timeout-ms', '9000']);
  await page.locator(tid('exercise-file')).setInputFiles({ name: 'teacher-test.json', mimeType: 'application/json', buffer: readFileSync(await download.path()) });
  await inState(page, 'asking');
  await answerNumber(page, String(cli.first_partition_downtime_ms / 1000));
  await inState(page, 'revealed');
  const r = await result(page);
  assert.equal(r.correct, '1', r.text);
  assert.equal(Number(r.off), 0);
  await page.locator(tid('exercise-exit')).click();
  assert.equal(await panel(page).isVisible(), false);
  await closePage(page);
});
