// 4. Stepping advances the event log through the chapter's numbered steps in order and moves
// partition 0 (replicas [1,3], the chapter's peter-test02) from leader 1, ISR 1,3 to leader 3,
// ISR 3, with a higher leader epoch.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  TEST_TIMEOUT, blur, cliJson, closePage, enginePartition, hookValue, markLogSeen, newLogItems, openPage, readIsr, readLog,
  setup, teardown, tid,
} from './helpers.mjs';

let ctx;
before(async () => { ctx = await setup({ cli: true }); });
after(async () => { await teardown(ctx); });

/** Consecutive duplicates collapsed, items without a chapter step left out. */
function chapterSequence(items) {
  const seq = [];
  for (const i of items) {
    if (i.step === null || i.step === '') continue;
    const n = Number(i.step);
    if (seq[seq.length - 1] !== n) seq.push(n);
  }
  return seq;
}

/** Selects partition 0 in the ISR view (typing into isr-partition-input). */
async function selectPartition0(page) {
  const input = page.locator(tid('isr-partition-input'));
  assert.equal(await input.count(), 1, 'no element with data-testid="isr-partition-input"');
  if ((await input.inputValue()) !== '0') {
    await input.fill('0');
    await input.press('Enter');
    await input.dispatchEvent('change');
  }
  assert.equal(await input.inputValue(), '0');
}

/**
 * Steps with `advance` until the chapter step `last` appears in the event log (at most `max`
 * actions); returns every new log item, oldest first, and the ISR view seen after each action.
 */
async function stepThrough(page, advance, last, max = 80) {
  await markLogSeen(page);
  const items = [];
  const isrs = [];
  for (let i = 0; i < max; i++) {
    await advance();
    // Let the page render the step.
    await page.waitForTimeout(60);
    const fresh = await newLogItems(page);
    await markLogSeen(page);
    items.push(...fresh);
    isrs.push({ after: fresh.map((f) => f.kind), isr: await readIsr(page) });
    if (items.some((x) => Number(x.step) === last)) break;
  }
  return { items, isrs };
}

async function restart(page) {
  const btn = page.locator(tid('restart-button'));
  assert.equal(await btn.count(), 1, 'no element with data-testid="restart-button"');
  await btn.click();
  await page.waitForTimeout(200);
}

async function checkCrashStepping(page, advance, what) {
  await restart(page);
  await selectPartition0(page);
  const start = await readIsr(page);
  assert.equal(start.leader, 1, `${what}: before the crash partition 0's leader should be 1; ISR view shows ${JSON.stringify(start.raw)}`);
  assert.deepEqual(start.members, [1, 3], `${what}: before the crash partition 0's ISR should be 1,3; ISR view shows ${JSON.stringify(start.raw)}`);
  assert.ok(Number.isFinite(start.epoch), `${what}: isr-epoch is not a number: ${JSON.stringify(start.raw)}`);
  const simBefore = Number(await hookValue(page, 'sim-time'));

  const { items } = await stepThrough(page, advance, 5);
  const seq = chapterSequence(items);
  assert.ok(items.length > 0, `${what}: stepping added nothing to the event log`);
  assert.deepEqual(seq.slice(0, 5), [1, 2, 3, 4, 5],
    `${what}: the event log's chapter steps came in this order: ${JSON.stringify(seq)} `
    + `(items: ${JSON.stringify(items.map((i) => [i.kind, i.step]))})`);
  const kinds = items.map((i) => i.kind);
  assert.equal(kinds[0], 'broker_crashed', `${what}: the first step is ${kinds[0]}, not broker_crashed`);
  for (const k of ['session_expired', 'leaders_elected', 'state_written']) {
    assert.ok(kinds.includes(k), `${what}: no ${k} item in the event log: ${JSON.stringify(kinds)}`);
  }
  for (const i of items) assert.ok(i.text.length > 0, `${what}: an event log item (${i.kind}) has no text`);

  const end = await readIsr(page);
  assert.equal(end.leader, 3, `${what}: after step 5 partition 0's leader should be 3; ISR view shows ${JSON.stringify(end.raw)}`);
  assert.deepEqual(end.members, [3], `${what}: after step 5 partition 0's ISR should be 3; ISR view shows ${JSON.stringify(end.raw)}`);
  assert.ok(end.epoch > start.epoch, `${what}: the leader epoch did not rise: ${start.epoch} → ${end.epoch}`);
  const simAfter = Number(await hookValue(page, 'sim-time'));
  assert.ok(simAfter > simBefore, `${what}: sim-time did not advance while stepping: ${simBefore} → ${simAfter}`);
}

test('step-button walks the 1-partition crash through the chapter\'s steps 1–5 and re-elects partition 0', { timeout: TEST_TIMEOUT }, async () => {
  const page = await openPage(ctx, '?partitions=1');
  const btn = page.locator(tid('step-button'));
  assert.equal(await btn.count(), 1, 'no element with data-testid="step-button"');
  await checkCrashStepping(page, () => btn.click(), '?partitions=1, step-button');
  await closePage(page);
});

test('ArrowRight walks the 1-partition crash the same way', { timeout: TEST_TIMEOUT }, async () => {
  const page = await openPage(ctx, '?partitions=1');
  await checkCrashStepping(page, async () => { await blur(page); await page.keyboard.press('ArrowRight'); },
    '?partitions=1, ArrowRight');
  await closePage(page);
});

test('step-button walks the default 10,000-partition crash through steps 1–5 and re-elects partition 0', { timeout: TEST_TIMEOUT }, async () => {
  const page = await openPage(ctx, '');
  await checkCrashStepping(page, () => page.locator(tid('step-button')).click(), 'the default view, step-button');
  await closePage(page);
});

test('the 1-partition controlled shutdown steps through the chapter\'s steps 1–6 in order', { timeout: TEST_TIMEOUT }, async () => {
  const page = await openPage(ctx, '?partitions=1&event=controlled-shutdown');
  const sel = page.locator(tid('live-event-select'));
  assert.equal(await sel.count(), 1, 'no element with data-testid="live-event-select"');
  assert.equal(await sel.inputValue(), 'controlled-shutdown', 'live-event-select does not reflect ?event=controlled-shutdown');
  await restart(page);
  await selectPartition0(page);
  const start = await readIsr(page);
  assert.equal(start.leader, 1, `before the shutdown partition 0's leader should be 1: ${JSON.stringify(start.raw)}`);
  assert.deepEqual(start.members, [1, 3], `before the shutdown partition 0's ISR should be 1,3: ${JSON.stringify(start.raw)}`);
  const { items } = await stepThrough(page, () => page.locator(tid('step-button')).click(), 6);
  const seq = chapterSequence(items);
  assert.deepEqual(seq.slice(0, 6), [1, 2, 3, 4, 5, 6],
    `controlled shutdown: the event log's chapter steps came in this order: ${JSON.stringify(seq)} `
    + `(items: ${JSON.stringify(items.map((i) => [i.kind, i.step]))})`);
  const kinds = items.map((i) => i.kind);
  assert.equal(kinds[0], 'shutdown_signal', `the first step is ${kinds[0]}, not shutdown_signal`);
  assert.ok(kinds.includes('broker_exited'), `no broker_exited item: ${JSON.stringify(kinds)}`);
  const end = await readIsr(page);
  assert.equal(end.leader, 3, `after the shutdown partition 0's leader should be 3: ${JSON.stringify(end.raw)}`);
  assert.deepEqual(end.members, [3], `after the shutdown partition 0's ISR should be 3: ${JSON.stringify(end.raw)}`);
  assert.ok(end.epoch > start.epoch, `the leader epoch did not rise: ${start.epoch} → ${end.epoch}`);
  await closePage(page);
});

test('switching live-event-select to controlled-shutdown changes what stepping shows', { timeout: TEST_TIMEOUT }, async () => {
  const page = await openPage(ctx, '?partitions=1');
  await page.locator(tid('live-event-select')).selectOption('controlled-shutdown');
  await page.waitForTimeout(500);
  await restart(page);
  const { items } = await stepThrough(page, () => page.locator(tid('step-button')).click(), 2, 10);
  assert.equal(items[0]?.kind, 'shutdown_signal',
    `after choosing controlled-shutdown the first step is ${items[0]?.kind}: ${JSON.stringify(items.map((i) => i.kind))}`);
  const log = await readLog(page);
  assert.ok(log.length > 0);
  await closePage(page);
});

test('?sel=1 shows partition 1 (replicas [1,2]) in the ISR view, as the engine has it', { timeout: TEST_TIMEOUT }, async () => {
  const page = await openPage(ctx, '?sel=1');
  assert.equal(await page.locator(tid('isr-partition-input')).inputValue(), '1', 'isr-partition-input does not reflect ?sel=1');
  await restart(page);
  const truth = await enginePartition(page, { profile: 'book', cluster: { topics: [{ partitions: 10000 }] } }, 1);
  assert.deepEqual(truth.replicas, [1, 2], `the engine's partition 1: ${JSON.stringify(truth)}`);
  const isr = await readIsr(page);
  assert.equal(isr.leader, truth.leader, `ISR view leader ${JSON.stringify(isr.raw)} vs the engine's ${truth.leader}`);
  assert.deepEqual(isr.members, truth.isr, `ISR view members ${JSON.stringify(isr.raw)} vs the engine's ${truth.isr}`);
  assert.equal(isr.epoch, truth.epoch, `ISR view epoch ${JSON.stringify(isr.raw)} vs the engine's ${truth.epoch}`);
  await closePage(page);
});

for (const event of ['crash', 'controlled-shutdown']) {
  test(`stepping a whole 1-partition ${event} lists the CLI's events (kafka-election run --events) in order`, { timeout: TEST_TIMEOUT }, async () => {
    const cli = await cliJson(['run', '--partitions', '1', '--event', event, '--events']);
    const want = cli.events.map((e) => [e.kind, e.chapter_step === null ? null : String(e.chapter_step)]);
    const page = await openPage(ctx, `?partitions=1&event=${event}`);
    await restart(page);
    await markLogSeen(page);
    const items = [];
    for (let i = 0, idle = 0; i < 60 && idle < 3; i++) {
      await page.locator(tid('step-button')).click();
      await page.waitForTimeout(50);
      const fresh = await newLogItems(page);
      await markLogSeen(page);
      items.push(...fresh);
      idle = fresh.length ? 0 : idle + 1;
    }
    const got = items.map((i) => [i.kind, i.step === '' ? null : i.step]);
    assert.deepEqual(got, want, `the event log (kind, chapter step) differs from \`kafka-election run --partitions 1 --event ${event} --events\``);
    const t = Number(await page.locator(tid('sim-time')).getAttribute('data-value'));
    assert.equal(t, cli.end_ms, `after the last step sim-time is ${t}, the run ends at ${cli.end_ms} ms`);
    await closePage(page);
  });
}

test('play runs the 1-partition crash to its end', { timeout: TEST_TIMEOUT }, async () => {
  const cli = await cliJson(['run', '--partitions', '1', '--events']);
  const page = await openPage(ctx, '?partitions=1');
  await restart(page);
  await page.locator(tid('play-button')).click();
  await page.waitForFunction((end) => Number(document.querySelector('[data-testid="sim-time"]')?.getAttribute('data-value')) >= end,
    cli.end_ms, { timeout: 90_000 }).catch(() => {});
  const t = Number(await page.locator(tid('sim-time')).getAttribute('data-value'));
  assert.ok(t >= cli.end_ms, `after playing, sim-time is ${t} ms; the run ends at ${cli.end_ms} ms`);
  const kinds = (await readLog(page)).map((i) => i.kind);
  assert.deepEqual(kinds.slice(-cli.events.length), cli.events.map((e) => e.kind),
    'after playing to the end the event log does not end with the run\'s events');
  const isr = await readIsr(page);
  assert.equal(isr.leader, 3, `after the run partition 0's leader is ${JSON.stringify(isr.raw)}`);
  await closePage(page);
});
