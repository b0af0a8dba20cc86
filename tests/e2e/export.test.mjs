// Exports: each run's per-partition CSV (one line per affected partition, the last line's
// downtime = the CLI's last_partition_downtime_ms, the same bytes as `run --csv`), PNGs of the
// timelines (at the canvases' resolution × devicePixelRatio) and of the cluster, the scenario
// JSON (runs in the CLI with the page's summary, and opens again in the page), and scenario files
// the page cannot show (a clear message; the page keeps working).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import {
  CLI, FIGURES, HANGUL, LOAD_TIMEOUT, ROOT, TEST_TIMEOUT, assertNumberEqual, cliJson, closePage, hookValue, openPage,
  readFigures, setup, teardown, tid, waitForFigures, waitForReady,
} from './helpers.mjs';

let ctx;
let dir;
before(async () => { ctx = await setup({ cli: true }); dir = mkdtempSync(join(tmpdir(), 'kafka-election-export-')); });
after(async () => { await teardown(ctx); rmSync(dir, { recursive: true, force: true }); });

// Not the chapter's defaults anywhere the flat config reaches, so a lost setting shows.
const QUERY = '?profile=kafka-1.1&partitions=2000&brokers=4&rf=3&layout=kafka&victim=2&controller=3&zk_session_timeout_ms=9000&lang=en';
const CLI_ARGS = ['run', '--profile', 'kafka-1.1', '--partitions', '2000', '--brokers', '4', '--replication-factor', '3',
  '--layout', 'kafka', '--victim', '2', '--controller', '3', '--zk-session-timeout-ms', '9000'];
const BASE = 'kafka-election-kafka-1.1-2000';
const EVENTS = { crash: 'crash', shutdown: 'controlled-shutdown' };

const run = promisify(execFile);

/** Clicks an export button (from the keyboard: focus + Enter) and returns { name, path, bytes }. */
async function download(page, id) {
  const button = page.locator(tid(id));
  assert.equal(await button.count(), 1, `no element with data-testid="${id}"`);
  assert.ok(await button.isVisible(), `${id} is not visible`);
  await button.focus();
  const [d] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Enter')]);
  const path = join(dir, d.suggestedFilename());
  await d.saveAs(path);
  return { name: d.suggestedFilename(), path, bytes: readFileSync(path) };
}

/** A page with devicePixelRatio 2 (openPage uses 1), capturing errors as openPage does. */
async function openAt2x(query) {
  const context = await ctx.browser.newContext({ viewport: { width: 1200, height: 900 }, deviceScaleFactor: 2 });
  const page = await context.newPage();
  page.setDefaultTimeout(LOAD_TIMEOUT);
  page.errors = [];
  page.on('console', (m) => { if (m.type() === 'error') page.errors.push(`console.error: ${m.text()}`); });
  page.on('pageerror', (e) => page.errors.push(`pageerror: ${e.stack ?? e.message}`));
  await page.goto(ctx.url + query, { waitUntil: 'load' });
  await waitForFigures(page);
  return page;
}

/** { width, height } from a PNG's IHDR, after checking its signature. */
function pngSize(bytes, what) {
  assert.ok(bytes.length > 24, `${what}: ${bytes.length} bytes is not a PNG`);
  assert.deepEqual([...bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], `${what}: no PNG signature`);
  assert.equal(bytes.toString('latin1', 12, 16), 'IHDR', `${what}: no IHDR chunk first`);
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

/** Decodes a PNG in the page and counts its distinct colours (a blank or one-colour image fails). */
const pngColours = (page, bytes) => page.evaluate(async (b64) => {
  // Not fetch(data:…): the page's Content-Security-Policy (connect-src 'self') refuses it.
  const blob = new Blob([Uint8Array.from(atob(b64), (ch) => ch.charCodeAt(0))], { type: 'image/png' });
  const bmp = await createImageBitmap(blob);
  const c = new OffscreenCanvas(bmp.width, bmp.height);
  const g = c.getContext('2d');
  g.drawImage(bmp, 0, 0);
  const d = g.getImageData(0, 0, bmp.width, bmp.height).data;
  const seen = new Set();
  for (let i = 0; i < d.length && seen.size < 200; i += 4 * 7) seen.add((d[i] << 16) | (d[i + 1] << 8) | d[i + 2]);
  return seen.size;
}, bytes.toString('base64'));

/** Page figures of one timeline against a CLI summary. */
function sameFigures(figs, key, summary, what) {
  for (const [f, field] of Object.entries(FIGURES)) assertNumberEqual(figs[key][f], summary[field], `${what}: ${key}-${f}`);
}

test('the CSV of each run has a line per affected partition and ends with the last partition the CLI reports', { timeout: TEST_TIMEOUT }, async () => {
  const page = await openPage(ctx, QUERY);
  await waitForReady(page);
  for (const [key, event] of Object.entries(EVENTS)) {
    const file = await download(page, `export-csv-${key}`);
    assert.equal(file.name, `${BASE}-${event}.csv`, `the ${event} CSV is named ${file.name}`);
    const summary = await cliJson([...CLI_ARGS, '--event', event]);
    const lines = file.bytes.toString('utf8').trimEnd().split('\n');
    const header = lines[0].split(',');
    const rows = lines.slice(1);
    assert.equal(rows.length, summary.partitions_affected, `${file.name}: ${rows.length} lines, the CLI says ${summary.partitions_affected} partitions affected`);
    assert.equal(String(rows.length), await hookValue(page, `${key}-partitions-affected`), `${file.name}: not as many lines as the page's partitions affected`);
    const col = header.indexOf('downtime_ms');
    assert.ok(col > 0, `${file.name}: no downtime_ms column in ${lines[0]}`);
    assertNumberEqual(rows.at(-1).split(',')[col], summary.last_partition_downtime_ms, `${file.name}: the last line's downtime_ms`);
    // The same bytes as the command line's --csv.
    const { stdout } = await run(CLI, [...CLI_ARGS, '--event', event, '--csv'], { cwd: ROOT, maxBuffer: 64 << 20 });
    assert.equal(file.bytes.toString('utf8'), stdout, `${file.name} differs from kafka-election run --csv`);
  }
  assert.match(await page.locator(tid('export-status')).textContent(), /controlled-shutdown\.csv/, 'the status line does not say what was saved');
  await closePage(page);
});

test('the PNGs are real images: the timelines at canvas × devicePixelRatio, the cluster view', { timeout: TEST_TIMEOUT }, async () => {
  const page = await openAt2x(QUERY);
  await waitForReady(page);
  await page.locator(tid('step-button')).click();
  await page.locator(tid('step-button')).click();
  const canvas = await page.evaluate(() => {
    const c = document.querySelector('[data-testid=timeline-crash]');
    return { width: c.width, height: c.height, cssWidth: c.getBoundingClientRect().width, dpr: devicePixelRatio };
  });
  assert.equal(canvas.dpr, 2, 'the test page does not have devicePixelRatio 2');
  assert.equal(canvas.width, Math.round(canvas.cssWidth * 2), `the timeline canvas is ${canvas.width} px for ${canvas.cssWidth} css px`);

  const tl = await download(page, 'export-png-timeline');
  assert.equal(tl.name, `${BASE}-timeline.png`);
  const tlSize = pngSize(tl.bytes, tl.name);
  assert.equal(tlSize.width, Math.round(canvas.cssWidth * canvas.dpr), `${tl.name}: ${tlSize.width} px wide, the canvas is ${canvas.cssWidth} css px × ${canvas.dpr}`);
  assert.ok(tlSize.height > 2 * canvas.height, `${tl.name}: ${tlSize.height} px high cannot hold two ${canvas.height} px timelines with their labels`);
  assert.ok(tl.bytes.length > 20_000, `${tl.name}: only ${tl.bytes.length} bytes`);
  assert.ok(await pngColours(page, tl.bytes) >= 8, `${tl.name}: too few colours for two timelines with a legend`);

  const cl = await download(page, 'export-png-cluster');
  assert.match(cl.name, new RegExp(`^${BASE}-cluster-crash-\\d+ms\\.png$`), `the cluster PNG is named ${cl.name}`);
  const clSize = pngSize(cl.bytes, cl.name);
  const svgWidth = await page.evaluate(() => document.querySelector('[data-testid=cluster-view]').getBoundingClientRect().width);
  assert.equal(clSize.width, Math.round(svgWidth * 2), `${cl.name}: ${clSize.width} px wide for a ${svgWidth} css px cluster view`);
  assert.ok(cl.bytes.length > 10_000, `${cl.name}: only ${cl.bytes.length} bytes`);
  assert.ok(await pngColours(page, cl.bytes) >= 6, `${cl.name}: too few colours for the cluster drawing`);
  await closePage(page);
});

test('the scenario JSON runs in the CLI with the summary the page shows, and opens again in the page', { timeout: TEST_TIMEOUT }, async () => {
  const page = await openPage(ctx, QUERY);
  await waitForReady(page);
  const figs = await readFigures(page);
  const files = {};
  for (const [key, event] of Object.entries(EVENTS)) {
    await page.locator(tid('live-event-select')).selectOption(event);
    await waitForReady(page);
    const file = await download(page, 'export-scenario');
    assert.equal(file.name, `${BASE}-${event}.json`, `the ${event} scenario is named ${file.name}`);
    const json = JSON.parse(file.bytes.toString('utf8'));
    assert.equal(json.event, event, `${file.name}: event is ${json.event}`);
    const summary = await cliJson(['run', '--scenario', file.path]);
    sameFigures(figs, key, summary, `kafka-election run --scenario ${file.name}`);
    files[key] = file;
  }
  await closePage(page);

  // A fresh page (the chapter's default) opens the file back: the same scenario and figures.
  const fresh = await openPage(ctx, '?lang=en');
  await waitForReady(fresh);
  const [chooser] = await Promise.all([fresh.waitForEvent('filechooser'), fresh.locator(tid('open-scenario')).click()]);
  await chooser.setFiles(files.shutdown.path);
  await fresh.waitForFunction(() => new URLSearchParams(location.search).get('partitions') === '2000');
  await waitForReady(fresh);
  await waitForFigures(fresh);
  const again = await readFigures(fresh);
  for (const key of Object.keys(EVENTS)) {
    for (const f of Object.keys(FIGURES)) assert.equal(again[key][f], figs[key][f], `reopened: ${key}-${f} is ${again[key][f]}, was ${figs[key][f]}`);
  }
  const q = new URL(fresh.url()).searchParams;
  for (const [k, v] of [['profile', 'kafka-1.1'], ['event', 'controlled-shutdown'], ['brokers', '4'], ['rf', '3'], ['layout', 'kafka'], ['victim', '2'], ['controller', '3'], ['zk_session_timeout_ms', '9000']]) {
    assert.equal(q.get(k), v, `reopened: the address has ${k}=${q.get(k)}, expected ${v}`);
  }
  assert.equal(await fresh.locator(tid('live-event-select')).inputValue(), 'controlled-shutdown', 'reopened: the live event is not the file\'s');
  assert.equal(await fresh.locator(tid('error-banner')).isVisible(), false, 'reopened: an error banner shows');
  assert.match(await fresh.locator(tid('export-status')).textContent(), /Opened/, 'reopened: the status line does not say the file was opened');
  await closePage(fresh);
});

test('scenario files the page cannot show give a clear message and leave the page working', { timeout: TEST_TIMEOUT }, async () => {
  const write = (name, text) => { const p = join(dir, name); writeFileSync(p, text); return p; };
  const cases = [
    { path: write('broken.json', '{"profile": "book", '), expect: [/not valid JSON/], cli: false },
    { path: write('unknown-field.json', '{"profile": "book", "colour": "red"}'), expect: [/colour/, /refuses it too/], cli: false },
    { path: write('two-topics.json', JSON.stringify({ cluster: { topics: [{ partitions: 10 }, { name: 'orders', partitions: 5 }] } })), expect: [/2 topics/, /exactly one/], cli: true },
    { path: join(ROOT, 'scenarios', 'kafka-1.1-lagging-follower-crash.json'), expect: [/assignment/], cli: true },
    { path: write('too-many-brokers.json', JSON.stringify({ cluster: { brokers: 200 } })), expect: [/brokers/], cli: false },
  ];
  const page = await openPage(ctx, '?profile=kafka-1.1&partitions=300&lang=en');
  await waitForReady(page);
  const before = JSON.stringify(await readFigures(page));
  const address = page.url();
  for (const c of cases) {
    const name = c.path.split('/').at(-1);
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.locator(tid('open-scenario')).click()]);
    await chooser.setFiles(c.path);
    const banner = page.locator(tid('error-banner'));
    await banner.waitFor({ state: 'visible' });
    await page.waitForFunction((n) => document.querySelector('[data-testid=error-banner]').innerText.includes(n), name);
    const text = await banner.innerText();
    for (const re of c.expect) assert.match(text, re, `${name}: the message does not say what is wrong:\n${text}`);
    assert.match(text, /supports one topic/, `${name}: the message does not say what the page supports:\n${text}`);
    if (c.cli) assert.match(text, new RegExp(`kafka-election run --scenario ${name.replace('.', '\\.')}`), `${name}: the message does not point to the CLI:\n${text}`);
    else assert.doesNotMatch(text, /--scenario/, `${name}: the CLI refuses this file, but the message offers it:\n${text}`);
    assert.equal(JSON.stringify(await readFigures(page)), before, `${name}: the figures changed`);
    assert.equal(page.url(), address, `${name}: the address changed`);
    await page.locator('#error-close').click();
  }
  // In Korean the message is regenerated in Korean.
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.locator(tid('open-scenario')).click()]);
  await chooser.setFiles(cases[2].path);
  await page.locator(tid('error-banner')).waitFor({ state: 'visible' });
  await page.locator(tid('language-switch')).selectOption('ko');
  await page.waitForFunction(() => /[\uAC00-\uD7A3]/.test(document.getElementById('error-list').innerText));
  assert.match(await page.locator('#error-list').innerText(), HANGUL);
  // Still working: a step lands in the event log and the file picker still opens a good file.
  await page.locator(tid('step-button')).click();
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=event-log] li').length > 0);
  const good = write('good.json', JSON.stringify({ profile: 'kraft', cluster: { brokers: 5, topics: [{ partitions: 40 }] } }));
  const [again] = await Promise.all([page.waitForEvent('filechooser'), page.locator(tid('open-scenario')).click()]);
  await again.setFiles(good);
  await page.waitForFunction(() => new URLSearchParams(location.search).get('profile') === 'kraft');
  await waitForReady(page);
  assert.equal(await page.locator(tid('error-banner')).isVisible(), false, 'a good file after bad ones still shows the old message');
  assertNumberEqual(await hookValue(page, 'crash-partitions-affected'), (await cliJson(['run', '--scenario', good])).partitions_affected, 'good.json: partitions affected');
  await closePage(page);
});
