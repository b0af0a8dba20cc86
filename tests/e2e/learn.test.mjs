// 16. Help for a reader new to Kafka (issue 10), in English and in Korean, with screenshots in
// test-artifacts/learn-*.png: the model statement and its switch, the glossary, the first-visit
// pointer to the tour, the event log's ISR before and after an election, the followed partition,
// switching the live event, Korean particles through the whole tour, the visual fixes, and an axe
// audit of every main state (no serious or critical violation).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import {
  ROOT, TEST_TIMEOUT, closePage, openPage, readFigures, readLog, screenshot, setup, teardown, tid, waitForFigures, waitForReady,
} from './helpers.mjs';

let ctx;
before(async () => { ctx = await setup(); });
after(async () => { await teardown(ctx); });

const LANGS = ['en', 'ko'];
const FALLBACK = /(?:은|는|이|가|을|를|과|와)\((?:은|는|이|가|을|를|과|와)\)|\(으\)로|\{(?:은|는|이|가|을|를|과|와|으로|로)\/[^}]*\}/;
const idle = (page) => waitForReady(page, 60_000);
// A first visit: the pointer's dismissal forgotten once per tab (a reload keeps what was stored since).
const forget = () => {
  try {
    if (sessionStorage.getItem('e2e-forgot')) return;
    localStorage.removeItem('kafka-election.welcome-dismissed');
    sessionStorage.setItem('e2e-forgot', '1');
  } catch { /* about:blank */ }
};

async function atStop(page, id) {
  await page.waitForFunction((id) => {
    const p = document.querySelector('[data-testid="tour-panel"]');
    return p && !p.hidden && p.dataset.stop === id && p.dataset.ready === '1';
  }, id, { timeout: 60_000 });
}

/** axe-core in the page: the serious and critical violations, as "id: target" lines. */
async function audit(page, what) {
  // From the page's own origin: its Content-Security-Policy allows no inline script.
  await page.addScriptTag({ url: new URL('node_modules/axe-core/axe.min.js', page.url()).href });
  const res = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, { resultTypes: ['violations'] });
    return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.impact} ${v.id}: ${v.nodes.slice(0, 4).map((n) => n.target.join(' ')).join(' | ')} — ${v.help}`);
  });
  assert.deepEqual(res, [], `${what}: axe found serious or critical violations`);
}

for (const lang of LANGS) {
  test(`model statement: always visible, names the model, one click switches (${lang})`, { timeout: TEST_TIMEOUT }, async () => {
    const page = await openPage(ctx, `?lang=${lang}`);
    const banner = page.locator(tid('model-banner'));
    assert.ok(await banner.isVisible(), 'no model statement');
    assert.equal(await banner.getAttribute('data-profile'), 'book', 'the page does not open on the book\'s model');
    assert.equal(await banner.getAttribute('data-publication'), 'per_partition');
    const bookName = (await page.locator(tid('model-name')).innerText()).trim();
    assert.ok((await page.locator(tid('ratio-model')).innerText()).includes(bookName), 'the ratio does not name the model');
    const before = await readFigures(page);
    await screenshot(page, `learn-model-book-${lang}`);
    await page.locator(tid('model-switch')).click();
    await page.waitForFunction(() => document.querySelector('[data-testid="model-banner"]')?.dataset.profile === 'kafka-2.5', null, { timeout: 60_000 });
    await waitForFigures(page);
    assert.equal(await banner.getAttribute('data-publication'), 'per_batch', 'Kafka 2.5\'s code publishes per batch');
    const codeName = (await page.locator(tid('model-name')).innerText()).trim();
    assert.notEqual(codeName, bookName);
    assert.ok((await page.locator(tid('ratio-model')).innerText()).includes(codeName), 'the ratio does not name the new model');
    assert.notEqual((await readFigures(page)).ratio, before.ratio, 'the ratio did not change with the model');
    assert.equal(await page.locator(tid('profile-select')).inputValue(), 'kafka-2.5');
    await screenshot(page, `learn-model-code-${lang}`);
    await page.locator(tid('model-switch')).click();
    await page.waitForFunction(() => document.querySelector('[data-testid="model-banner"]')?.dataset.profile === 'book', null, { timeout: 60_000 });
    await waitForFigures(page);
    assert.equal((await readFigures(page)).ratio, before.ratio, 'back to the book: the headline ratio is not the book\'s again');
    await closePage(page);
  });

  test(`glossary: terms defined where they appear, keyboard operable (${lang})`, { timeout: TEST_TIMEOUT }, async () => {
    const page = await openPage(ctx, `?lang=${lang}`);
    // Every required term has an entry.
    const terms = await page.locator('#gloss-list dt').allInnerTexts();
    assert.ok(terms.length >= 15, `only ${terms.length} glossary entries`);
    for (const id of ['isr', 'leader_and_isr', 'update_metadata', 'leader_epoch', 'p99', 'partition_seconds', 'delivery_timeout', 'kraft', 'controller', 'zk_session']) {
      assert.equal(await page.locator(`#gloss-${id}`).count(), 1, `no glossary entry for ${id}`);
    }
    // "?" buttons next to first appearances: ISR in the partition view, p99 in the summary.
    for (const term of ['isr', 'p99', 'partition_seconds', 'delivery_timeout', 'leader_epoch', 'controller']) {
      assert.ok(await page.locator(`.gloss-q[data-term="${term}"]`).count() >= 1, `no "?" for ${term}`);
    }
    // Keyboard: focus the ISR "?", Enter opens the definition, Escape closes it and returns focus.
    const q = page.locator('.gloss-q[data-term="isr"]');
    await q.focus();
    await page.keyboard.press('Enter');
    const pop = page.locator(tid('gloss-pop'));
    await pop.waitFor({ state: 'visible' });
    assert.equal(await q.getAttribute('aria-expanded'), 'true');
    const def = await pop.innerText();
    assert.ok(def.includes('ISR') && def.length > 40, `the popover says: ${def}`);
    await screenshot(page, `learn-glossary-pop-${lang}`);
    await page.keyboard.press('Escape');
    await pop.waitFor({ state: 'hidden' });
    assert.equal(await page.evaluate(() => document.activeElement?.dataset.term), 'isr', 'focus did not return to the "?"');
    // A term in the model statement (LeaderAndIsr), then "all terms" moves to its glossary entry.
    await page.locator('.gloss-term[data-term="leader_and_isr"]').click();
    await pop.waitFor({ state: 'visible' });
    await page.locator('#gloss-pop-all').click();
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'gloss-leader_and_isr');
    await closePage(page);
  });

  test(`first screen points to the tour; dismissed for good; not in embeds or tour links (${lang})`, { timeout: TEST_TIMEOUT }, async () => {
    const page = await openPage(ctx, `?lang=${lang}`, { initScript: forget });
    const w = page.locator(tid('welcome'));
    assert.ok(await w.isVisible(), 'no pointer to the tour on the first visit');
    const box = await w.boundingBox();
    assert.ok(box && box.y + box.height <= 900, 'the pointer is not on the first screen');
    await screenshot(page, `learn-welcome-${lang}`);
    await page.locator(tid('welcome-dismiss')).click();
    assert.equal(await w.count(), 0);
    await page.reload();
    await waitForFigures(page);
    await idle(page);
    assert.equal(await page.locator(tid('welcome')).count(), 0, 'the dismissed pointer came back after a reload');
    await closePage(page);
    for (const q of ['?embed=timeline', '?tour=controller', '?exercise=exercises/book-last-partition.json']) {
      const p = await openPage(ctx, `${q}&lang=${lang}`, { initScript: forget });
      await idle(p);
      assert.equal(await p.locator(tid('welcome')).count(), 0, `the pointer shows with ${q}`);
      await closePage(p);
    }
    // "Take the tour" from the pointer starts the tour.
    const p2 = await openPage(ctx, `?lang=${lang}`, { initScript: forget });
    await p2.locator(tid('welcome-start')).click();
    await atStop(p2, 'controller');
    await closePage(p2);
  });

  test(`event log names the ISR before and after the election (${lang})`, { timeout: TEST_TIMEOUT }, async () => {
    const page = await openPage(ctx, `?lang=${lang}&tour=crash-3`);
    await atStop(page, 'crash-3');
    const log = await readLog(page);
    const elected = log.find((i) => i.kind === 'leaders_elected');
    assert.ok(elected, 'no election in the log');
    // The engine's registration before the step and the step's new ISR.
    const truth = await page.evaluate(async () => {
      const m = await import(new URL('www/pkg/kafka_election.js', document.baseURI).href);
      const sim = new m.Simulation({ profile: 'book', event: 'crash', cluster: { brokers: 3, controller: 2, topics: [{ name: 'peter-test02', partitions: 1, replication_factor: 2, layout: 'led-by' }] } });
      let before = sim.partition(0).isr;
      let s;
      while ((s = sim.step()) && s.kind !== 'leaders_elected') before = sim.partition(0).isr;
      sim.free();
      return { before, after: s.isr };
    });
    assert.ok(elected.text.includes(`[${truth.before.join(', ')}]`), `the log does not name the ISR before, [${truth.before}]: ${elected.text}`);
    assert.ok(elected.text.includes(`[${truth.after.join(', ')}]`), `the log does not name the new ISR, [${truth.after}]: ${elected.text}`);
    const tourText = await page.locator(tid('tour-text')).innerText();
    assert.ok(tourText.includes(`[${truth.before.join(', ')}]`) && tourText.includes(`[${truth.after.join(', ')}]`), 'the tour and the log disagree');
    assert.doesNotMatch(elected.text + tourText, FALLBACK);
    await page.locator('.log-card').screenshot({ path: join(ROOT, 'test-artifacts', `learn-log-isr-${lang}.png`) });
    await closePage(page);
  });

  test(`the followed partition: said, and a way back to partition 0; live event starts over (${lang})`, { timeout: TEST_TIMEOUT }, async () => {
    const page = await openPage(ctx, `?lang=${lang}&t=7000`);
    const note = page.locator(tid('follow-note'));
    assert.ok(!(await note.isVisible()), 'the note shows while partition 0 is followed');
    // Clicking the crash timeline's lower half picks another partition.
    await page.locator(tid('timeline-crash')).scrollIntoViewIfNeeded();
    const c = await page.locator(tid('timeline-crash')).boundingBox();
    await page.mouse.click(c.x + c.width * 0.5, c.y + c.height * 0.8);
    await page.waitForFunction(() => document.querySelector('[data-testid="isr-partition-input"]').value !== '0', null, { timeout: 20_000 });
    await note.waitFor({ state: 'visible' });
    const sel = await page.locator(tid('isr-partition-input')).inputValue();
    assert.ok((await note.innerText()).includes(`peter-test02-${sel}`), 'the note does not name the followed partition');
    await page.locator('.steps-card').screenshot({ path: join(ROOT, 'test-artifacts', `learn-follow-${lang}.png`) });
    await page.locator(tid('follow-back')).click();
    await page.waitForFunction(() => document.querySelector('[data-testid="isr-partition-input"]').value === '0');
    await note.waitFor({ state: 'hidden' });
    // Switching the live event starts the other procedure from its beginning.
    await page.locator(tid('live-event-select')).selectOption('controlled-shutdown');
    await idle(page);
    assert.equal(Number(await page.locator(tid('sim-time')).getAttribute('data-value')), 0, 'the new event did not start at 0');
    const log = await readLog(page);
    assert.ok(!log.some((i) => i.kind === 'skipped'), 'the log summarises earlier steps after the switch');
    await closePage(page);
  });

  test(`visual: the highlighted panel is below the sticky controls and "Now:" is above the tour card (${lang})`, { timeout: TEST_TIMEOUT }, async () => {
    const page = await openPage(ctx, `?lang=${lang}&tour=crash-4`);
    await atStop(page, 'crash-4');
    await page.waitForTimeout(400);
    const geo = await page.evaluate(() => {
      const r = (el) => el.getBoundingClientRect();
      return { bar: r(document.querySelector('#live .transport')), spot: r(document.querySelector('[data-tour-spot]')),
        story: r(document.getElementById('isr-story')), panel: r(document.querySelector('[data-testid="tour-panel"]')) };
    });
    assert.ok(geo.spot.top >= geo.bar.bottom - 1, `the highlighted panel's top (${geo.spot.top}) is under the sticky bar (bottom ${geo.bar.bottom})`);
    assert.ok(geo.story.bottom <= geo.panel.top, `the partition's "Now:" text (bottom ${geo.story.bottom}) is under the tour card (top ${geo.panel.top})`);
    await page.screenshot({ path: join(ROOT, 'test-artifacts', `learn-tour-spot-${lang}.png`) });
    // The replica layout select shows its whole option.
    const cut = await page.evaluate(() => { const s = document.getElementById('layout-select'); return s.scrollWidth - s.clientWidth; });
    assert.ok(cut <= 0, `the layout select is ${cut} px too narrow for its text`);
    await closePage(page);
  });
}

for (const lang of LANGS) {
  test(`visual: replica tiles of a broker that is down stay readable, light and dark (${lang})`, { timeout: TEST_TIMEOUT }, async () => {
    for (const colorScheme of ['light', 'dark']) {
      const page = await openPage(ctx, `?lang=${lang}&tour=crash-3`, { colorScheme });
      await atStop(page, 'crash-3');
      // Each tile's text and number against the tile's own fill (computed colours, in the page).
      const tiles = await page.evaluate(() => {
        const rgb = (c) => {
          const m = c.match(/^rgba?\(([^)]+)\)$/);
          if (m) { const [r, g, b, a = 1] = m[1].split(/[\s,/]+/).filter(Boolean).map(Number); return { r, g, b, a }; }
          const s = c.match(/^color\(srgb ([^)]+)\)$/);
          if (s) { const [r, g, b, a = 1] = s[1].split(/[\s/]+/).filter(Boolean).map(Number); return { r: r * 255, g: g * 255, b: b * 255, a }; }
          throw new Error(`colour ${c}`);
        };
        const lum = ({ r, g, b }) => [r, g, b].map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; })
          .reduce((s, v, i) => s + v * [0.2126, 0.7152, 0.0722][i], 0);
        const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
        return [...document.querySelectorAll('#isr-replicas .rep')].map((el) => {
          const st = getComputedStyle(el);
          const bg = rgb(st.backgroundColor);
          let opacity = 1;
          for (let e = el; e; e = e.parentElement) opacity *= Number(getComputedStyle(e).opacity);
          return {
            cls: el.className.trim().split(/\s+/).sort().join(' '), filled: bg.a === 1, opacity,
            text: ratio(rgb(st.color), bg), number: ratio(rgb(getComputedStyle(el.querySelector('b')).color), bg),
          };
        });
      });
      const leaderDown = tiles.find((x) => x.cls.includes('leader') && x.cls.includes('down'));
      assert.ok(leaderDown, `at the chapter's step 3 the dead broker is still the registered leader: ${JSON.stringify(tiles)}`);
      for (const x of tiles.filter((y) => y.cls.includes('down') || y.cls.includes('leader'))) {
        assert.ok(x.filled, `${colorScheme}: the ${x.cls} tile has no opaque fill`);
        assert.equal(x.opacity, 1, `${colorScheme}: the ${x.cls} tile is drawn at opacity ${x.opacity}`);
        assert.ok(x.text >= 4.5 && x.number >= 4.5, `${colorScheme}: the ${x.cls} tile's contrast is ${x.text.toFixed(2)}:1 (text), ${x.number.toFixed(2)}:1 (number)`);
      }
      await page.locator('.isr-card').screenshot({ path: join(ROOT, 'test-artifacts', `learn-tiles-${lang}-${colorScheme}.png`) });
      await closePage(page);
    }
  });
}

test('Korean: rule explorer modes, field titles and the teacher form are translated', { timeout: TEST_TIMEOUT }, async () => {
  const page = await openPage(ctx, '?lang=en');
  await page.locator(tid('language-switch')).selectOption('ko');
  await idle(page);
  const title = await page.locator(tid('partitions-input')).getAttribute('title');
  assert.match(title, /허용 범위/, `the partitions field's title is still: ${title}`);
  // textContent: the rule explorer is below the first screen, not yet laid out (innerText '').
  const modes = (await page.locator('#rules-form select[name=mode] option').allTextContents()).map((s) => s.trim());
  assert.ok(modes.includes('주키퍼'), `rule explorer modes: ${modes}`);
  await closePage(page);
});

test('Korean: the whole tour renders without particle fallbacks', { timeout: TEST_TIMEOUT * 2 }, async () => {
  const page = await openPage(ctx, '?lang=ko&tour=controller');
  await atStop(page, 'controller');
  const ids = await page.evaluate(async () => (await import(new URL('www/teaching/tour.js', document.baseURI).href)).STOPS.map((s) => s.id));
  for (let i = 0; i < ids.length; i++) {
    await atStop(page, ids[i]);
    const text = await page.locator(tid('tour-text')).innerText();
    const log = (await readLog(page)).map((x) => x.text).join('\n');
    const rest = await page.evaluate(() => document.body.innerText);
    for (const [what, s] of [['tour', text], ['event log', log], ['page', rest]]) {
      const m = s.match(FALLBACK);
      assert.ok(!m, `stop ${ids[i]}: the ${what} has the fallback “${m?.[0]}”`);
    }
    if (i < ids.length - 1) await page.locator(tid('tour-next')).click();
  }
  await screenshot(page, 'learn-tour-ko-last');
  await closePage(page);
});

// ------------------------------------------------------------------------------ accessibility

const STATES = [
  ['default', '?lang=en', {}],
  ['default-ko', '?lang=ko', {}],
  ['dark', '?lang=en', { colorScheme: 'dark' }],
  ['dark-ko', '?lang=ko', { colorScheme: 'dark' }],
  ['tour', '?lang=en&tour=crash-3', {}, 'crash-3'],
  ['tour-ko', '?lang=ko&tour=timelines', {}, 'timelines'],
  // The chapter's step 3: the Partition panel shows the dead broker still registered as leader.
  ['tour-isr-ko', '?lang=ko&tour=crash-3', {}, 'crash-3'],
  ['tour-isr-dark', '?lang=en&tour=crash-3', { colorScheme: 'dark' }, 'crash-3'],
  ['exercise', '?lang=en&exercise=exercises/book-last-partition.json', {}],
  ...['timeline', 'cluster', 'isr', 'map', 'summary'].map((v) => [`embed-${v}`, `?embed=${v}&lang=en`, {}]),
];
for (const [name, q, opts, stop] of STATES) {
  test(`axe: no serious or critical violations (${name})`, { timeout: TEST_TIMEOUT }, async () => {
    const page = await openPage(ctx, q, { ...opts, initScript: forget });
    if (opts.colorScheme) await page.emulateMedia({ colorScheme: opts.colorScheme });
    if (stop) await atStop(page, stop);
    await idle(page);
    if (name.startsWith('exercise')) await page.locator('[data-testid=exercise-panel], .ex-panel').first().waitFor({ timeout: 30_000 }).catch(() => {});
    await screenshot(page, `learn-axe-${name}`);
    await audit(page, name);
    await closePage(page);
  });
}
