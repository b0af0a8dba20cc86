// Shared harness for the end-to-end tests: a static server for the repo root, headless Chromium
// through playwright-core, console/page-error capture for every page, the page's test hooks
// (data-testid), and the release CLI whose JSON the page's figures must equal.
//
// Every test file runs in its own process (node --test), so each one calls `setup()` once in a
// `before` hook and `teardown()` in an `after` hook.
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { chromium } from 'playwright-core';
import { serve } from '../../scripts/serve.mjs';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const ARTIFACTS = join(ROOT, 'test-artifacts');
export const CLI = join(ROOT, 'target', 'release', 'kafka-election');

/** Generous: the default scenario has 10,000 partitions and these machines are slow and shared. */
export const LOAD_TIMEOUT = 90_000;
export const TEST_TIMEOUT = 240_000;

export const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--disable-quic', '--no-first-run',
];

/** The summary figures the page shows per timeline, and the CLI summary field each one equals. */
export const FIGURES = {
  'partitions-affected': 'partitions_affected',
  detection: 'detection_ms',
  'controller-work': 'controller_work_ms',
  'first-downtime': 'first_partition_downtime_ms',
  'median-downtime': 'median_downtime_ms',
  'p99-downtime': 'p99_downtime_ms',
  'last-downtime': 'last_partition_downtime_ms',
  'max-downtime': 'max_downtime_ms',
  'unavailable-seconds': 'unavailable_partition_seconds',
  'over-delivery-timeout': 'partitions_over_delivery_timeout',
};
export const TIMELINES = { crash: 'crash', shutdown: 'controlled_shutdown' };
export const CANVASES = ['timeline-crash', 'timeline-shutdown', 'partition-map'];

export const HANGUL = /[\uAC00-\uD7A3]/;

export const tid = (id) => `[data-testid="${id}"]`;

// ---------------------------------------------------------------------------------------------
// Set-up: the CLI, the server, the browser

let cliBuilt = false;
/** Builds the release CLI (quick when up to date). */
export function buildCli() {
  if (cliBuilt) return;
  execFileSync('cargo', ['build', '--release', '--locked', '--bin', 'kafka-election'], {
    cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'],
  });
  assert.ok(existsSync(CLI), `the CLI was not built at ${CLI}`);
  cliBuilt = true;
}

const run = promisify(execFile);
/** Runs the CLI with `args` plus --json and returns the parsed output. */
export async function cliJson(args) {
  const { stdout } = await run(CLI, [...args, '--json'], { cwd: ROOT, maxBuffer: 256 << 20 });
  return JSON.parse(stdout);
}

/**
 * Starts the static server and the browser. Returns a context object used by the other helpers:
 * { server, url, browser, pages: [] }.
 */
export async function setup({ cli = false } = {}) {
  mkdirSync(ARTIFACTS, { recursive: true });
  if (cli) buildCli();
  assert.ok(existsSync(join(ROOT, 'www', 'pkg', 'kafka_election.js')),
    'www/pkg/ is missing: run `bash scripts/build.sh` first');
  assert.ok(existsSync(join(ROOT, 'index.html')), 'index.html is missing: the page is not there');
  const { server, url } = await serve({ root: ROOT, port: 0 });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
  });
  return { server, url, browser, pages: [] };
}

export async function teardown(ctx) {
  if (!ctx) return;
  await ctx.browser?.close().catch(() => {});
  await new Promise((ok) => (ctx.server ? ctx.server.close(ok) : ok()));
}

// ---------------------------------------------------------------------------------------------
// Pages

/**
 * Opens a new page (own browser context) at `query` ('' or '?a=b'), capturing console errors and
 * page errors into `page.errors`. Options: viewport, colorScheme, initScript, wait (default true:
 * wait until the figures are shown).
 */
export async function openPage(ctx, query = '', opts = {}) {
  const context = await ctx.browser.newContext({
    viewport: opts.viewport ?? { width: 1280, height: 900 },
    colorScheme: opts.colorScheme ?? 'light',
    deviceScaleFactor: 1,
  });
  const page = await context.newPage();
  page.setDefaultTimeout(LOAD_TIMEOUT);
  page.errors = [];
  page.on('console', (m) => {
    if (m.type() === 'error') {
      const loc = m.location();
      page.errors.push(`console.error: ${m.text()}${loc?.url ? ` (${loc.url}:${loc.lineNumber})` : ''}`);
    }
  });
  page.on('pageerror', (e) => page.errors.push(`pageerror: ${e.stack ?? e.message ?? e}`));
  // ERR_ABORTED is the browser cancelling a request because the test navigated or closed the page
  // (the favicon, typically), not a request the page got wrong.
  page.on('requestfailed', (r) => {
    const why = r.failure()?.errorText ?? '';
    if (why !== 'net::ERR_ABORTED') page.errors.push(`request failed: ${r.url()} ${why}`);
  });
  page.on('response', (r) => {
    if (r.status() >= 400) page.errors.push(`HTTP ${r.status()}: ${r.url()}`);
  });
  if (opts.initScript) await page.addInitScript(opts.initScript);
  ctx.pages.push(page);
  await page.goto(ctx.url + query, { waitUntil: 'load', timeout: LOAD_TIMEOUT });
  if (opts.wait !== false) {
    await waitForFigures(page);
    // The figures come before the feature modules (glossary, tour, share, …) start, each in a
    // frame of its own; data-ready is set once all of them have.
    await waitForReady(page);
  }
  return page;
}

/** Fails with every console error and page error the page has logged so far. */
export function assertNoErrors(page, what = 'the page') {
  assert.deepEqual(page.errors, [], `${what} logged errors:\n${page.errors.join('\n')}`);
}

/** Waits for <html data-ready="1">: the page is idle and every view shows the current scenario. */
export function waitForReady(page, timeout = LOAD_TIMEOUT) {
  return page.waitForFunction(() => document.documentElement.dataset.ready === '1', null, { timeout });
}

/** Closes the page's context after checking it logged no error. */
export async function closePage(page, what) {
  try {
    assertNoErrors(page, what ?? page.url());
  } finally {
    await page.context().close().catch(() => {});
  }
}

/**
 * Waits until both summaries show a last-downtime figure (the page has run its scenario) and the
 * figures stop changing between two reads.
 */
export async function waitForFigures(page, timeout = LOAD_TIMEOUT) {
  await page.waitForFunction(
    (ids) => ids.every((id) => {
      const el = document.querySelector(`[data-testid="${id}"]`);
      return el && el.hasAttribute('data-value') && el.getAttribute('data-value') !== '';
    }),
    ['crash-partitions-affected', 'shutdown-partitions-affected'],
    { timeout, polling: 100 },
  ).catch((e) => {
    throw new Error(`the page did not show its figures within ${timeout} ms `
      + `(crash-partitions-affected / shutdown-partitions-affected with a data-value); `
      + `errors so far: ${JSON.stringify(page.errors)}\n${e.message}`);
  });
  let last = JSON.stringify(await readFigures(page));
  for (let i = 0; i < 50; i++) {
    await page.waitForTimeout(100);
    const now = JSON.stringify(await readFigures(page));
    if (now === last) return;
    last = now;
  }
}

/**
 * Every figure's data-value: { crash: { 'last-downtime': '2006100', … }, shutdown: {…}, ratio }.
 * A missing element reads as undefined; a missing attribute as null.
 */
export async function readFigures(page) {
  return page.evaluate(({ figures, timelines }) => {
    const out = {};
    for (const t of timelines) {
      out[t] = {};
      const box = document.querySelector(`[data-testid="summary-${t}"]`);
      for (const f of figures) {
        const el = (box ?? document).querySelector(`[data-testid="${t}-${f}"]`);
        out[t][f] = el ? el.getAttribute('data-value') : undefined;
        out[t][`${f}:text`] = el ? el.textContent.trim() : undefined;
        out[t][`${f}:inSummary`] = !!(box && el && box.contains(el));
      }
    }
    const r = document.querySelector('[data-testid="downtime-ratio"]');
    out.ratio = r ? r.getAttribute('data-value') : undefined;
    out.ratioText = r ? r.textContent.trim() : undefined;
    return out;
  }, { figures: Object.keys(FIGURES), timelines: Object.keys(TIMELINES) });
}

/** Counts pixels with alpha > 0 and distinct colours on a canvas (by data-testid). */
export async function canvasInk(page, id) {
  return page.evaluate((id) => {
    const c = document.querySelector(`[data-testid="${id}"]`);
    if (!c) return { missing: true };
    if (!(c instanceof HTMLCanvasElement)) return { notCanvas: c.tagName };
    if (!c.width || !c.height) return { width: c.width, height: c.height, ink: 0, colours: 0 };
    const g = c.getContext('2d');
    const d = g.getImageData(0, 0, c.width, c.height).data;
    let ink = 0;
    const colours = new Set();
    for (let i = 0; i < d.length; i += 4) {
      if (d[i + 3] > 0) {
        ink++;
        if (colours.size < 64) colours.add((d[i] << 16) | (d[i + 1] << 8) | d[i + 2]);
      }
    }
    return { width: c.width, height: c.height, ink, colours: colours.size, total: d.length / 4 };
  }, id);
}

/** Waits until a canvas has drawn pixels of at least `minColours` colours; returns canvasInk's result. */
export async function waitForInk(page, id, timeout = LOAD_TIMEOUT, minColours = 2) {
  const deadline = Date.now() + timeout;
  let r;
  for (;;) {
    r = await canvasInk(page, id);
    if (r.ink > 0 && r.colours >= minColours) return r;
    if (Date.now() > deadline) return r;
    await page.waitForTimeout(200);
  }
}

/**
 * Asserts that the three canvases are drawn: some non-transparent pixels on each, and on the
 * timelines (axes, bars) more than one colour. The partition map may be one colour: at t = 0
 * every partition is in the same state. `mixedMap` also asks it for more than one colour.
 */
export async function assertCanvasesDrawn(page, what = 'the page', { mixedMap = false } = {}) {
  for (const id of CANVASES) {
    const minColours = id === 'partition-map' && !mixedMap ? 1 : 2;
    const r = await waitForInk(page, id, 30_000, minColours);
    assert.ok(!r.missing, `${what}: no canvas with data-testid="${id}"`);
    assert.ok(!r.notCanvas, `${what}: data-testid="${id}" is a <${r.notCanvas}>, not a <canvas>`);
    assert.ok(r.width > 0 && r.height > 0, `${what}: canvas ${id} is ${r.width}×${r.height}`);
    assert.ok(r.ink > 0, `${what}: canvas ${id} (${r.width}×${r.height}) is blank: no non-transparent pixel`);
    assert.ok(r.colours >= minColours, `${what}: canvas ${id} has pixels of only ${r.colours} colour(s): nothing is drawn on it`);
  }
}

/** A test hook's value: its data-value if it has one, else its value (inputs), else its text. */
export async function hookValue(page, id) {
  return page.evaluate((id) => {
    const el = document.querySelector(`[data-testid="${id}"]`);
    if (!el) return undefined;
    if (el.hasAttribute('data-value')) return el.getAttribute('data-value');
    if ('value' in el && typeof el.value === 'string' && el.tagName !== 'LI' && el.tagName !== 'BUTTON') return el.value;
    return el.textContent.trim();
  }, id);
}

/** The ISR view: { leader, members: [ids], epoch } (numbers; leader null when none). */
export async function readIsr(page) {
  const leader = await hookValue(page, 'isr-leader');
  const members = await hookValue(page, 'isr-members');
  const epoch = await hookValue(page, 'isr-epoch');
  assert.notEqual(leader, undefined, 'no element with data-testid="isr-leader"');
  assert.notEqual(members, undefined, 'no element with data-testid="isr-members"');
  assert.notEqual(epoch, undefined, 'no element with data-testid="isr-epoch"');
  const num = (s) => {
    const m = String(s).match(/-?\d+/);
    return m ? Number(m[0]) : null;
  };
  return {
    raw: { leader, members, epoch },
    leader: num(leader),
    members: String(members).split(/[^0-9]+/).filter(Boolean).map(Number),
    epoch: num(epoch),
  };
}

/** The event log's items in DOM order: [{ kind, step, text }]. */
export async function readLog(page) {
  return page.evaluate(() => {
    const log = document.querySelector('[data-testid="event-log"]');
    if (!log) return null;
    return [...log.querySelectorAll('li')].map((li) => ({
      kind: li.getAttribute('data-kind'),
      step: li.getAttribute('data-chapter-step'),
      text: li.textContent.trim(),
      seen: li.dataset.e2eSeen === '1',
    }));
  });
}

/** Marks the event log's current items as seen (so the next read can tell new items apart). */
export async function markLogSeen(page) {
  await page.evaluate(() => {
    for (const li of document.querySelectorAll('[data-testid="event-log"] li')) li.dataset.e2eSeen = '1';
  });
}

/**
 * The items an action added to the event log, oldest first, whether the page appends new items
 * at the bottom or prepends them at the top.
 */
export async function newLogItems(page) {
  const items = await readLog(page);
  assert.ok(items, 'no element with data-testid="event-log"');
  const fresh = items.filter((i) => !i.seen);
  if (!fresh.length) return [];
  const firstFresh = items.findIndex((i) => !i.seen);
  const firstSeen = items.findIndex((i) => i.seen);
  // Newest first: the new items sit above the old ones.
  const newestFirst = firstSeen > firstFresh && firstSeen !== -1 && items.slice(firstSeen).every((i) => i.seen);
  return newestFirst ? fresh.reverse() : fresh;
}

/** Removes focus from any control so that key presses go to the page's keyboard handler. */
export async function blur(page) {
  await page.evaluate(() => document.activeElement?.blur?.());
  await page.mouse.click(2, 2).catch(() => {});
  await page.evaluate(() => document.activeElement?.blur?.());
}

/** Selects an option of a <select> hook and waits for the page to settle. */
export async function choose(page, id, value) {
  await page.locator(tid(id)).selectOption(value);
}

/** The visible-text snapshot used by the language test. */
export async function visibleText(page) {
  return page.evaluate(() => document.body.innerText);
}

export function assertNumberEqual(actual, expected, msg) {
  if (expected === null || expected === undefined) {
    assert.ok(actual === '' || actual === null, `${msg}: expected empty (null), page shows ${JSON.stringify(actual)}`);
    return;
  }
  assert.ok(actual !== null && actual !== undefined && actual !== '',
    `${msg}: expected ${expected}, page shows ${JSON.stringify(actual)}`);
  const a = Number(actual);
  assert.ok(Number.isFinite(a), `${msg}: data-value ${JSON.stringify(actual)} is not a number (expected ${expected})`);
  const tol = 1e-9 * Math.max(1, Math.abs(expected));
  assert.ok(Math.abs(a - expected) <= tol, `${msg}: page shows ${actual}, the CLI says ${expected}`);
}

/** Asserts that every figure on the page equals the CLI's `compare --json` output. */
export function assertFiguresEqual(figs, cli, what) {
  const problems = [];
  for (const [t, key] of Object.entries(TIMELINES)) {
    for (const [f, field] of Object.entries(FIGURES)) {
      const id = `${t}-${f}`;
      if (figs[t][f] === undefined) { problems.push(`${id}: no element with data-testid="${id}"`); continue; }
      if (!figs[t][`${f}:inSummary`]) problems.push(`${id}: not inside data-testid="summary-${t}"`);
      try {
        assertNumberEqual(figs[t][f], cli[key][field], `${id} (${key}.${field})`);
      } catch (e) { problems.push(e.message); }
      if (cli[key][field] !== null && !figs[t][`${f}:text`]) problems.push(`${id}: shows no text`);
    }
  }
  // The ratio of the crash's last partition downtime to the controlled shutdown's.
  if (figs.ratio === undefined) {
    problems.push('downtime-ratio: no element with data-testid="downtime-ratio"');
  } else {
    const want = [cli.last_partition_downtime_ratio, cli.crash_last_over_shutdown_max_ratio];
    const a = figs.ratio === null || figs.ratio === '' ? null : Number(figs.ratio);
    const ok = want.some((w) => (w === null ? a === null
      : a !== null && Math.abs(a - w) <= 1e-6 * Math.max(1, Math.abs(w))));
    if (!ok) problems.push(`downtime-ratio: page data-value ${JSON.stringify(figs.ratio)} (text ${JSON.stringify(figs.ratioText)}), `
      + `the CLI says last_partition_downtime_ratio ${want[0]} / crash_last_over_shutdown_max_ratio ${want[1]}`);
  }
  assert.deepEqual(problems, [], `${what}: the page's figures differ from the CLI's:\n  ${problems.join('\n  ')}`);
}

/** Saves a full-page screenshot into test-artifacts/. */
export async function screenshot(page, name) {
  const path = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/**
 * Ground truth from the engine itself, inside the page: imports www/pkg (the instance the page
 * already initialised) and returns `new Simulation(scenario).partition(index)`.
 */
export async function enginePartition(page, scenario, index) {
  return page.evaluate(async ({ scenario, index }) => {
    const m = await import(new URL('www/pkg/kafka_election.js', document.baseURI).href);
    await m.default();
    const sim = new m.Simulation(scenario);
    const p = sim.partition(index);
    sim.free();
    return p;
  }, { scenario, index });
}

/**
 * Ground truth from the engine itself, inside the page: `compare(scenario)` through the page's own
 * www/pkg (as `kafka-election compare --json`), or the catalog, or one `elect` case.
 */
export async function engineCall(page, fn, arg) {
  return page.evaluate(async ({ fn, arg }) => {
    const m = await import(new URL('www/pkg/kafka_election.js', document.baseURI).href);
    await m.default();
    return m[fn](arg);
  }, { fn, arg });
}

/** The page's scenario for a link's flat config (the one topic the page shows, led by the victim). */
export function pageScenario({ profile = 'book', partitions = 10_000, brokers = 3, rf = 2, victim = 1, controller = brokers > 1 ? 2 : 1, params = {} } = {}) {
  return {
    profile, parameters: params, event: 'crash', victim, victim_is_controller: false, unclean: false,
    cluster: { brokers, controller, topics: [{ name: 'peter-test02', partitions, replication_factor: rf, layout: 'led-by' }] },
  };
}

/** Waits for the exercise panel in a given state ('asking' or 'revealed'), set up. */
export async function exerciseInState(page, state) {
  await page.waitForFunction((state) => {
    const p = document.querySelector('[data-testid="exercise-panel"]');
    return p && !p.hidden && p.dataset.state === state && p.dataset.ready === '1';
  }, state, { timeout: 60_000 }).catch(async (e) => {
    const banner = await page.locator(tid('error-banner')).innerText().catch(() => '');
    throw new Error(`the exercise did not reach "${state}"; banner: ${banner}; errors: ${JSON.stringify(page.errors)}\n${e.message}`);
  });
}
