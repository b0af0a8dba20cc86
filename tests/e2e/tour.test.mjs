// The guided tour: every stop in both languages, the peter-test02 stops' leader and ISR, the
// numbers against the CLI, deep links (?tour=<stop>), and the keyboard.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  HANGUL, TEST_TIMEOUT, cliJson, closePage, openPage, readIsr, readLog, setup, teardown, tid,
} from './helpers.mjs';

let ctx;
before(async () => { ctx = await setup({ cli: true }); });
after(async () => { await teardown(ctx); });

/** The stops in the chapter's order, and what each one points at. */
const STOPS = [
  ['controller', '.cluster-card'], ['crash-1', '.cluster-card'], ['crash-2', '.cluster-card'], ['crash-3', '.log-card'],
  ['crash-4', '#isr-view'], ['crash-5', '.log-card'], ['arithmetic', '.tl-row[data-event=crash]'],
  ['kafka-1.0', '[data-testid=summary-shutdown]'], ['kafka-1.1', '[data-testid=summary-shutdown]'],
  ['shutdown-1-2', '.cluster-card'], ['shutdown-3-4', '#isr-view'], ['shutdown-5-6', '.log-card'], ['timelines', '#timelines'],
  ['book-vs-code', '.book-card'], ['clean-exit', '#restart-panel'],
];
const IDS = STOPS.map(([id]) => id);

const panel = (page) => page.locator(tid('tour-panel'));

/** Waits until the tour shows stop `id`, fully set up. */
async function atStop(page, id) {
  await page.waitForFunction((id) => {
    const p = document.querySelector('[data-testid="tour-panel"]');
    return p && !p.hidden && p.dataset.stop === id && p.dataset.ready === '1';
  }, id, { timeout: 60_000 }).catch(async (e) => {
    const now = await page.evaluate(() => ({ ...document.querySelector('[data-testid="tour-panel"]')?.dataset }));
    throw new Error(`the tour did not reach stop ${id}; panel: ${JSON.stringify(now)}; errors: ${JSON.stringify(page.errors)}\n${e.message}`);
  });
}

/** The stop's values by placeholder name: { name: data-value }. */
const values = (page) => page.evaluate(() => Object.fromEntries(
  [...document.querySelectorAll('[data-testid="tour-text"] [data-var]')].map((b) => [b.dataset.var, b.dataset.value])));

/** Asserts the stop's panel, text and highlight; returns the panel's texts. */
async function checkStop(page, i, lang) {
  const [id, target] = STOPS[i];
  await atStop(page, id);
  const texts = await page.evaluate(() => {
    const p = document.querySelector('[data-testid="tour-panel"]');
    return {
      title: p.querySelector('[data-testid="tour-title"]').textContent.trim(),
      text: p.querySelector('[data-testid="tour-text"]').textContent.trim(),
      count: p.querySelector('[data-testid="tour-count"]').textContent.trim(),
      label: document.getElementById(p.getAttribute('aria-labelledby'))?.textContent.trim(),
      role: p.getAttribute('role'),
      live: p.querySelector('[data-testid="tour-text"]').getAttribute('aria-live'),
    };
  });
  const what = `${lang} stop ${i + 1} (${id})`;
  assert.ok(texts.title.length > 3, `${what}: empty title`);
  assert.ok(texts.text.length > 80, `${what}: text too short: ${JSON.stringify(texts.text)}`);
  assert.doesNotMatch(texts.text, /\{\w+\}/, `${what}: an unfilled placeholder: ${texts.text}`);
  assert.match(texts.count, new RegExp(`\\b${i + 1}\\b`), `${what}: the counter ${JSON.stringify(texts.count)} does not say ${i + 1}`);
  assert.match(texts.count, new RegExp(`\\b${STOPS.length}\\b`), `${what}: the counter ${JSON.stringify(texts.count)} does not say ${STOPS.length}`);
  assert.equal(texts.role, 'region', `${what}: the panel is not a region`);
  assert.equal(texts.label, texts.title, `${what}: the region is not labelled by its title`);
  assert.equal(texts.live, 'polite', `${what}: the text is not aria-live`);
  if (lang === 'ko') {
    assert.match(texts.title, HANGUL, `${what}: the title is not Korean: ${texts.title}`);
    assert.match(texts.text, HANGUL, `${what}: the text is not Korean`);
  } else assert.doesNotMatch(texts.title + texts.text, HANGUL, `${what}: Korean in the English tour`);

  // Exactly one highlighted element: the stop's target, visible and scrolled into the window.
  const spots = await page.evaluate(() => [...document.querySelectorAll('[data-tour-spot]')].length);
  assert.equal(spots, 1, `${what}: ${spots} highlighted elements`);
  const isTarget = await page.evaluate((sel) => document.querySelector(sel)?.hasAttribute('data-tour-spot') ?? null, target);
  assert.equal(isTarget, true, `${what}: ${target} is not the highlighted element`);
  assert.ok(await page.locator(`${target}`).first().isVisible(), `${what}: ${target} is not visible`);
  await page.waitForFunction(() => {
    const r = document.querySelector('[data-tour-spot]').getBoundingClientRect();
    const free = innerHeight - document.querySelector('[data-testid="tour-panel"]').offsetHeight;
    return r.bottom > 0 && r.top < free && r.width > 0 && r.height > 0;
  }, null, { timeout: 10_000 }).catch(() => { throw new Error(`${what}: the highlighted ${target} is not in the window above the panel`); });

  const url = new URL(page.url());
  assert.equal(url.searchParams.get('tour'), id, `${what}: the address does not carry tour=${id}: ${page.url()}`);
  assert.ok(url.searchParams.has('profile') && url.searchParams.has('partitions'), `${what}: the scenario's parameters left the address: ${page.url()}`);
  return texts;
}

for (const lang of ['en', 'ko']) {
  test(`the tour walks through every stop (${lang})`, { timeout: TEST_TIMEOUT }, async () => {
    const page = await openPage(ctx, `?lang=${lang}`);
    const start = page.locator(tid('tour-start'));
    assert.equal(await start.count(), 1, 'no tour-start button');
    assert.equal(await panel(page).isVisible(), false, 'the tour panel shows before the tour starts');
    await start.click();
    const titles = new Set();
    for (let i = 0; i < STOPS.length; i++) {
      const texts = await checkStop(page, i, lang);
      titles.add(texts.title);
      // Focus is in the panel after each stop (on the panel itself or on its Next button).
      assert.ok(await page.evaluate(() => document.querySelector('[data-testid="tour-panel"]').contains(document.activeElement)),
        `${lang} stop ${i + 1}: focus is not in the tour panel`);
      assert.equal(await page.locator(tid('tour-back')).isDisabled(), i === 0, `stop ${i + 1}: Back enabled state`);
      await page.locator(tid('tour-next')).click();
    }
    assert.equal(titles.size, STOPS.length, 'two stops share a title');
    // Next on the last stop finishes the tour.
    await panel(page).waitFor({ state: 'hidden', timeout: 10_000 });
    assert.equal(await page.evaluate(() => document.querySelectorAll('[data-tour-spot]').length), 0, 'a highlight stayed after the tour');
    assert.equal(new URL(page.url()).searchParams.has('tour'), false, `the tour parameter stayed in the address: ${page.url()}`);
    await closePage(page);
  });
}

test('the peter-test02 stops show leader 1 → 3 and ISR 1,3 → 3 at the right steps', { timeout: TEST_TIMEOUT }, async () => {
  const page = await openPage(ctx, '?tour=controller');
  const expect = {
    controller: [1, [1, 3], 0, null], 'crash-1': [1, [1, 3], 0, 1], 'crash-2': [1, [1, 3], 0, 2], 'crash-3': [1, [1, 3], 0, 3],
    'crash-4': [3, [3], 1, 4], 'crash-5': [3, [3], 1, 5],
  };
  for (const [id, [leader, isr, epoch, step]] of Object.entries(expect)) {
    await atStop(page, id);
    const got = await readIsr(page);
    assert.equal(got.leader, leader, `${id}: the ISR view's leader is ${JSON.stringify(got.raw)}`);
    assert.deepEqual(got.members, isr, `${id}: the ISR view's ISR is ${JSON.stringify(got.raw)}`);
    assert.equal(got.epoch, epoch, `${id}: the ISR view's epoch is ${JSON.stringify(got.raw)}`);
    const log = await readLog(page);
    const steps = log.map((l) => l.step).filter((s) => s !== '' && s != null).map(Number);
    if (step == null) assert.deepEqual(steps, [], `${id}: the event log is not empty: ${JSON.stringify(log)}`);
    else assert.equal(steps[steps.length - 1], step, `${id}: the event log's last chapter step is ${steps[steps.length - 1]}, not ${step}`);
    const v = await values(page);
    if (id === 'crash-3') assert.equal(v.new_leader, '3', `crash-3 names the elected leader: ${JSON.stringify(v)}`);
    if (id === 'crash-4') assert.deepEqual([v.old_leader, v.leader, v.old_isr, v.isr], ['1', '3', '1,3', '3'], `crash-4 text: ${JSON.stringify(v)}`);
    await page.locator(tid('tour-next')).click();
  }
  // The controlled shutdown: the old leader serves until step 3-4 moves it.
  await page.goto(ctx.url + '?tour=shutdown-1-2');
  await atStop(page, 'shutdown-1-2');
  let got = await readIsr(page);
  assert.deepEqual([got.leader, got.members], [1, [1, 3]], `shutdown-1-2: ${JSON.stringify(got.raw)}`);
  await page.locator(tid('tour-next')).click();
  await atStop(page, 'shutdown-3-4');
  got = await readIsr(page);
  assert.deepEqual([got.leader, got.members], [3, [3]], `shutdown-3-4: ${JSON.stringify(got.raw)}`);
  await closePage(page);
});

test('the numbers equal the CLI\'s JSON', { timeout: TEST_TIMEOUT }, async () => {
  const num = (v) => Number(v);
  const close = (a, b, what) => assert.ok(Math.abs(num(a) - b) <= 1e-9 * Math.max(1, Math.abs(b)), `${what}: the tour shows ${a}, the CLI says ${b}`);
  const page = await openPage(ctx, '?tour=arithmetic');
  await atStop(page, 'arithmetic');
  const book = await cliJson(['run', '--profile', 'book', '--partitions', '10000']);
  let v = await values(page);
  for (const f of ['controller_work_ms', 'last_partition_downtime_ms', 'first_partition_downtime_ms', 'partitions_affected', 'detection_ms']) {
    assert.ok(f in v, `the arithmetic stop does not show ${f}: ${JSON.stringify(v)}`);
    close(v[f], book[f], `arithmetic ${f}`);
  }
  const profiles = await cliJson(['profiles']);
  close(v.per, profiles.profiles.find((p) => p.name === 'book').parameters.controller_per_partition_ms, 'arithmetic per-partition cost');

  for (const profile of ['kafka-1.0', 'kafka-1.1']) {
    await page.locator(tid('tour-next')).click();
    await atStop(page, profile);
    v = await values(page);
    const cs = await cliJson(['run', '--profile', profile, '--event', 'controlled-shutdown', '--partitions', '10000']);
    close(v.controller_work_ms, cs.controller_work_ms, `${profile} controlled-shutdown controller work`);
    // The published figure is labelled as such, beside the engine's.
    const rows = await page.locator(`${tid('tour-text')} table`).innerText();
    assert.match(rows, /Published/, `${profile}: no row labelled published: ${rows}`);
    assert.match(rows, /This engine's run/, `${profile}: no row labelled as the engine's run: ${rows}`);
    assert.match(rows, profile === 'kafka-1.0' ? /6\.5 min/ : /3 s/, `${profile}: the published figure is missing: ${rows}`);
  }

  await page.goto(ctx.url + '?tour=timelines');
  await atStop(page, 'timelines');
  v = await values(page);
  const cmp = await cliJson(['compare', '--profile', 'book', '--partitions', '10000']);
  close(v.ratio, cmp.last_partition_downtime_ratio, 'timelines ratio');
  close(v.crash_last, cmp.crash.last_partition_downtime_ms, 'timelines crash last');
  close(v.shutdown_last, cmp.controlled_shutdown.last_partition_downtime_ms, 'timelines shutdown last');

  await page.locator(tid('tour-next')).click();
  await atStop(page, 'book-vs-code');
  v = await values(page);
  const code = await cliJson(['run', '--profile', 'kafka-1.0', '--partitions', '10000', '--crash-publication', 'per_batch']);
  const bookModel = await cliJson(['run', '--profile', 'kafka-1.0', '--partitions', '10000', '--crash-publication', 'per_partition']);
  close(v.code_first, code.first_partition_downtime_ms, 'book-vs-code: code first');
  close(v.book_first, bookModel.first_partition_downtime_ms, 'book-vs-code: book first');
  close(v.code_last, code.last_partition_downtime_ms, 'book-vs-code: code last');
  close(v.book_last, bookModel.last_partition_downtime_ms, 'book-vs-code: book last');
  assert.ok(num(v.code_first) > 10 * num(v.book_first), 'the code\'s first partition should wait for the whole batch');
  assert.equal(new URL(page.url()).searchParams.get('crash_publication'), 'per_batch', 'the page does not show the code\'s model');
  await closePage(page);
});

test('?tour=<stop> opens that stop; an unknown stop says what is allowed', { timeout: TEST_TIMEOUT }, async () => {
  for (const [id] of [STOPS[4], STOPS[13], STOPS[14]]) {
    const page = await openPage(ctx, `?profile=kafka-1.1&partitions=500&tour=${id}`);
    await atStop(page, id);
    assert.equal(await page.locator(tid('error-banner')).isVisible(), false, `?tour=${id}: an error banner shows`);
    await checkStop(page, IDS.indexOf(id), 'en');
    await closePage(page);
  }
  const page = await openPage(ctx, '?tour=nope');
  const banner = page.locator(tid('error-banner'));
  await banner.waitFor({ state: 'visible', timeout: 10_000 });
  const text = await banner.innerText();
  assert.match(text, /tour/, `the message does not name the parameter: ${text}`);
  assert.match(text, /nope/, `the message does not repeat the value: ${text}`);
  assert.match(text, /crash-4/, `the message does not list the allowed stops: ${text}`);
  assert.equal(await panel(page).isVisible(), false, 'the tour started on an unknown stop');
  // The page still works: a step adds to the live simulation's event log.
  const before = (await readLog(page)).length;
  await page.locator(tid('step-button')).click();
  await page.waitForFunction((b) => document.querySelectorAll('[data-testid="event-log"] li').length > b, before, { timeout: 10_000 });
  page.errors = page.errors.filter((e) => !/tour/.test(e));
  await closePage(page);
});

test('the keyboard drives the tour: PageDown/N, PageUp/P, Escape; the help lists the keys', { timeout: TEST_TIMEOUT }, async () => {
  const page = await openPage(ctx, '');
  await page.locator(tid('tour-start')).click();
  await atStop(page, IDS[0]);
  assert.ok(await page.evaluate(() => document.activeElement === document.querySelector('[data-testid="tour-panel"]')),
    'focus did not move to the tour panel');
  await page.keyboard.press('PageDown');
  await atStop(page, IDS[1]);
  await page.keyboard.press('n');
  await atStop(page, IDS[2]);
  await page.keyboard.press('N');
  await atStop(page, IDS[3]);
  await page.keyboard.press('PageUp');
  await atStop(page, IDS[2]);
  await page.keyboard.press('p');
  await atStop(page, IDS[1]);
  // Letters typed into a field stay in the field.
  await page.locator(tid('isr-partition-input')).focus();
  await page.keyboard.press('n');
  await page.waitForTimeout(300);
  assert.equal(await panel(page).getAttribute('data-stop'), IDS[1], 'typing n in a field moved the tour');
  await page.locator(tid('tour-panel')).focus();
  await page.keyboard.press('Escape');
  await panel(page).waitFor({ state: 'hidden', timeout: 10_000 });
  assert.ok(await page.evaluate(() => document.activeElement?.dataset.testid === 'tour-start'), 'focus did not return to the tour button');
  await page.keyboard.press('PageDown');
  await page.waitForTimeout(300);
  assert.equal(await panel(page).isVisible(), false, 'PageDown restarted an exited tour');

  await page.locator('#help-button').click();
  const help = page.locator(tid('help-dialog'));
  await help.waitFor({ state: 'visible' });
  const text = await help.innerText();
  assert.match(text, /PageDown/, `the help does not list PageDown: ${text}`);
  assert.match(text, /tour/i, `the help does not mention the tour: ${text}`);
  await page.keyboard.press('Escape');
  await closePage(page);
});

test('switching the language mid-tour re-narrates the stop with the same numbers', { timeout: TEST_TIMEOUT }, async () => {
  const page = await openPage(ctx, '?tour=arithmetic');
  await atStop(page, 'arithmetic');
  const en = await values(page);
  await page.locator(tid('language-switch')).selectOption('ko');
  await page.waitForFunction(() => /[\uAC00-\uD7A3]/.test(document.querySelector('[data-testid="tour-title"]').textContent));
  assert.match(await page.locator(tid('tour-text')).innerText(), HANGUL);
  assert.deepEqual(await values(page), en, 'the numbers changed with the language');
  assert.equal(await panel(page).getAttribute('data-stop'), 'arithmetic');
  await closePage(page);
});

test('the clean-exit stop gives the engine\'s restart figures (crash recovery vs clean load), as the CLI does', { timeout: TEST_TIMEOUT }, async () => {
  const args = ['run', '--profile', 'kafka-2.5', '--partitions', '10000', '--restart-after-ms', '60000', '--json'];
  const crash = (await cliJson([...args, '--event', 'crash'])).restart;
  const clean = (await cliJson([...args, '--event', 'controlled-shutdown'])).restart;
  for (const lang of ['en', 'ko']) {
    const page = await openPage(ctx, `?lang=${lang}&tour=clean-exit`);
    await atStop(page, 'clean-exit');
    const v = await values(page);
    assert.equal(Number(v.crash_log), crash.log_recovery_ms);
    assert.equal(Number(v.clean_log), clean.log_recovery_ms);
    assert.equal(Number(v.crash_serving), crash.broker_serving_ms);
    assert.equal(Number(v.clean_serving), clean.broker_serving_ms);
    assert.equal(Number(v.mib), Math.round(crash.log_recovered_mib));
    assert.ok(Number(v.crash_log) > 100 * Number(v.clean_log), `recovery ${v.crash_log} vs loading ${v.clean_log}`);
    assert.ok(await page.locator('#restart-panel').isVisible(), 'the restart panel is not shown');
    await closePage(page);
  }
});
