// The broker's return in the classroom: the exercises on log recovery after a crash, partitions
// whose only in-sync replica crashed, and a rolling restart's total time load, hide the results,
// and grade answers against the engine (checked here against the CLI's JSON), in English and Korean.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { HANGUL, ROOT, TEST_TIMEOUT, cliJson, closePage, exerciseInState as inState, openPage, setup, teardown, tid } from './helpers.mjs';

let ctx;
before(async () => { ctx = await setup({ cli: true }); });
after(async () => { await teardown(ctx); });

const exercise = (name) => JSON.parse(readFileSync(join(ROOT, 'exercises', name), 'utf8'));

const CASES = [
  {
    file: 'restart-log-recovery.json',
    cli: ['run', '--profile', 'kafka-2.5', '--partitions', '10000', '--restart-after-ms', '60000', '--json'],
    value: (j) => j.restart.log_recovery_ms / 60_000,
  },
  {
    file: 'sole-isr-offline.json',
    cli: ['run', '--profile', 'kafka-2.5', '--partitions', '10000', '--restart-after-ms', '60000', '--sole-isr-fraction', '0.1', '--json'],
    value: (j) => j.max_downtime_ms / 60_000,
  },
  {
    file: 'rolling-restart-total.json',
    cli: ['run', '--event', 'rolling-restart', '--profile', 'kafka-2.5', '--partitions', '10000', '--layout', 'kafka', '--json'],
    value: (j) => j.rolling_restart_ms / 1000,
  },
];

for (const lang of ['en', 'ko']) {
  for (const c of CASES) {
    test(`${c.file} (${lang}): graded against the engine's value, right and wrong`, { timeout: TEST_TIMEOUT }, async () => {
      const value = c.value(await cliJson(c.cli));
      assert.ok(value > 0, `${c.file}: the CLI gives ${value}`);
      const ex = exercise(c.file);
      for (const [given, correct] of [[value * 1.05, '1'], [value * 2, '0']]) {
        const page = await openPage(ctx, `?lang=${lang}&exercise=exercises/${c.file}`);
        await inState(page, 'asking');
        assert.equal(await page.locator(tid('exercise-question')).innerText(), ex.question[lang]);
        if (lang === 'ko') assert.match(await page.locator(tid('exercise-question')).innerText(), HANGUL);
        await page.locator(tid('exercise-input')).fill(given.toFixed(3));
        await page.locator(tid('exercise-submit')).click();
        await inState(page, 'revealed');
        const r = await page.locator(tid('exercise-result')).evaluate((el) => ({ ...el.dataset, text: el.innerText }));
        assert.equal(r.correct, correct, `${c.file}: ${given} against ${value}: ${r.text}`);
        assert.ok(Math.abs(Number(r.value) - value) < 1e-9 * Math.max(1, value), `${c.file}: the page's ${r.value}, the CLI's ${value}`);
        assert.equal(await page.locator(tid('error-banner')).isVisible(), false);
        await closePage(page);
      }
    });
  }
}
