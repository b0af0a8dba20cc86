// Embed mode: `?embed=VIEW` shows one view without the page's chrome, sized by its container;
// examples/embed.html hosts two views side by side and sizes each iframe from the height the
// embed posts; messages from another origin or another window are ignored on both sides;
// malformed embed parameters say what is wrong and leave the page working.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  TEST_TIMEOUT, HANGUL, canvasInk, closePage, hookValue, openPage, setup, teardown, tid, waitForReady,
} from './helpers.mjs';

let ctx;
before(async () => { ctx = await setup(); });
after(async () => { await teardown(ctx); });

const VIEWS = {
  timeline: ['timeline-crash', 'timeline-shutdown', 'summary-crash'],
  summary: ['summary-crash', 'summary-shutdown', 'downtime-ratio'],
  cluster: ['cluster-view', 'scrubber'],
  isr: ['isr-view', 'isr-leader', 'scrubber'],
  map: ['partition-map', 'scrubber'],
};
// What each view must not show (another view's main element).
const OTHERS = { timeline: 'cluster-view', summary: 'timeline-crash', cluster: 'isr-view', isr: 'partition-map', map: 'cluster-view' };
const CHROME = ['header.masthead', '#scenario', 'footer.foot', '#rules', tid('copy-link'), '#export-bar'];

const ready = (target) => target.waitForFunction(() => document.documentElement.dataset.ready === '1' && !!document.querySelector('.embed-bar a[href]'));

/** Every height message the host page received: { origin, data }; recorded from before load. */
function recordMessages() {
  if (window !== window.top) return;
  window.__messages = [];
  window.addEventListener('message', (e) => window.__messages.push({ origin: e.origin, data: e.data }));
}
const heights = (page, frame) => page.evaluate((f) => window.__messages.filter((m) => m.data?.type === 'kafka-election:height' && m.data.frame === f), frame);
const iframeHeight = (page, frame) => page.evaluate((f) => document.querySelector(`iframe[src*="frame=${f}"]`).getBoundingClientRect().height, frame);

/** Waits until the iframe of `frame` has the height of its latest message (and at least `min` messages). */
async function settled(page, frame, min = 1) {
  await page.waitForFunction(({ f, min }) => {
    const got = window.__messages.filter((m) => m.data?.type === 'kafka-election:height' && m.data.frame === f);
    const el = document.querySelector(`iframe[src*="frame=${f}"]`);
    return got.length >= min && Math.abs(el.getBoundingClientRect().height - got.at(-1).data.height) < 0.5;
  }, { f: frame, min });
  const list = await heights(page, frame);
  return list.at(-1).data.height;
}

test('embed mode shows one view without the page chrome, sized to its container', { timeout: TEST_TIMEOUT * 2 }, async () => {
  for (const [view, ids] of Object.entries(VIEWS)) {
    for (const width of [340, 900]) {
      const page = await openPage(ctx, `?embed=${view}&profile=kafka-1.1&partitions=400&t=6100&sel=3&lang=ko`, { viewport: { width, height: 700 } });
      await ready(page);
      const what = `embed=${view} at ${width} px`;
      assert.equal(await page.evaluate(() => document.documentElement.dataset.embed), view, `${what}: <html data-embed> is not set`);
      for (const sel of CHROME) assert.equal(await page.locator(sel).first().isVisible(), false, `${what}: ${sel} is visible`);
      for (const id of ids) assert.ok(await page.locator(tid(id)).first().isVisible(), `${what}: ${id} is not visible`);
      assert.equal(await page.locator(tid(OTHERS[view])).isVisible(), false, `${what}: ${OTHERS[view]} (another view) is visible`);
      assert.equal(await page.locator(tid('error-banner')).isVisible(), false, `${what}: an error banner shows (are embed, origin, frame "unknown"?)`);
      const scroll = await page.evaluate(() => ({ sw: document.documentElement.scrollWidth, cw: document.documentElement.clientWidth }));
      assert.ok(scroll.sw <= scroll.cw, `${what}: scrolls sideways (${scroll.sw} > ${scroll.cw} px)`);
      // The language follows lang=.
      assert.match(await page.locator('main').innerText(), HANGUL, `${what}: no Korean text with lang=ko`);
      // "Open the full page": a new tab on the same scenario and moment, without the embed keys.
      const a = page.locator(tid('embed-full-link'));
      assert.ok(await a.isVisible(), `${what}: no visible "open the full page" link`);
      assert.equal(await a.getAttribute('target'), '_blank', `${what}: the full-page link does not open a new tab`);
      assert.match(await a.getAttribute('rel') ?? '', /\bnoopener\b/, `${what}: the full-page link has no rel=noopener`);
      assert.match(await a.innerText(), HANGUL, `${what}: the full-page link is not in Korean`);
      const href = new URL(await a.getAttribute('href'));
      assert.equal(href.origin + href.pathname, new URL(ctx.url).origin + '/', `${what}: the full-page link goes to ${href}`);
      for (const [k, v] of [['profile', 'kafka-1.1'], ['partitions', '400'], ['t', '6100'], ['sel', '3'], ['lang', 'ko']]) {
        assert.equal(href.searchParams.get(k), v, `${what}: the full-page link has ${k}=${href.searchParams.get(k)}`);
      }
      assert.equal(href.searchParams.has('embed'), false, `${what}: the full-page link keeps embed=`);
      // The page's own address keeps the embed keys (a reload stays an embed).
      assert.equal(new URL(page.url()).searchParams.get('embed'), view, `${what}: the address lost embed= (${page.url()})`);
      if (view === 'timeline') {
        const ink = await canvasInk(page, 'timeline-crash');
        assert.ok(ink.ink > 0 && ink.colours >= 2, `${what}: the crash timeline is not drawn (${JSON.stringify(ink)})`);
      }
      await closePage(page, what);
    }
  }
});

test('embed mode stays keyboard-operable and labelled', { timeout: TEST_TIMEOUT }, async () => {
  const page = await openPage(ctx, '?embed=cluster&profile=book&partitions=50&lang=en', { viewport: { width: 600, height: 700 } });
  await ready(page);
  // Tab reaches the step button; Enter on it takes a step.
  let reached = false;
  for (let i = 0; i < 25 && !reached; i++) {
    await page.keyboard.press('Tab');
    reached = await page.evaluate(() => document.activeElement?.dataset.testid === 'step-button');
  }
  assert.ok(reached, 'Tab never reached the step button in embed=cluster');
  const before = await page.locator(`${tid('event-log')} li`).count();
  await page.keyboard.press('Enter');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => Number(document.querySelector('[data-testid=sim-time]').dataset.value) > 0);
  assert.ok(Number(await hookValue(page, 'sim-time')) > 0, 'Enter on the step button did not advance the time');
  assert.equal(before, 0, 'the event log was not empty before stepping');
  // Brokers are named for screen readers; the full-page link says it opens a new tab.
  const label = await page.locator(tid('broker-1')).getAttribute('aria-label');
  assert.ok(label && /1/.test(label), `broker-1 has no useful aria-label: ${label}`);
  assert.match(await page.locator(tid('embed-full-link')).innerText(), /new tab/, 'the full-page link does not say it opens a new tab');
  // The timeline embed: its canvases carry their text alternative; the arrow keys still step.
  const tl = await openPage(ctx, '?embed=timeline&profile=book&partitions=50&lang=en', { viewport: { width: 600, height: 700 } });
  await ready(tl);
  assert.ok((await tl.locator(tid('timeline-crash')).getAttribute('aria-label'))?.length > 10, 'the crash timeline has no aria-label');
  await tl.locator('body').click({ position: { x: 3, y: 3 } });
  await tl.keyboard.press('ArrowRight');
  await tl.keyboard.press('ArrowRight');
  await tl.waitForFunction(() => Number(document.querySelector('[data-testid=sim-time]').dataset.value) > 0);
  await closePage(tl, 'embed=timeline');
  await closePage(page, 'embed=cluster');
});

test('the example host page sizes two embeds from their postMessage heights and ignores strangers', { timeout: TEST_TIMEOUT * 2 }, async () => {
  const host = await openPage(ctx, 'examples/embed.html', { wait: false, initScript: recordMessages, viewport: { width: 1280, height: 900 } });
  const frames = ['timeline', 'cluster'];
  assert.equal(await host.locator('iframe[data-kafka-election]').count(), 2, 'the example does not embed two views');
  // The example's starting height (its stylesheet's), which the messages must replace.
  const start = await host.evaluate(() => [...document.styleSheets[0].cssRules].find((r) => r.selectorText === 'iframe[data-kafka-election]')?.style.height);
  assert.equal(start, '360px', 'the example no longer starts its iframes at 360px: update this test');
  const first = {};
  for (const f of frames) first[f] = await settled(host, f);
  const origin = new URL(ctx.url).origin;
  for (const f of frames) {
    const msgs = await heights(host, f);
    for (const m of msgs) {
      assert.equal(m.origin, origin, `frame ${f}: a height message came from ${m.origin}`);
      assert.deepEqual(Object.keys(m.data).sort(), ['embed', 'frame', 'height', 'type'], `frame ${f}: message shape ${JSON.stringify(m.data)}`);
      assert.equal(m.data.embed, f, `frame ${f}: the message says embed=${m.data.embed}`);
      assert.ok(Number.isInteger(m.data.height) && m.data.height > 100, `frame ${f}: height ${m.data.height}`);
    }
    const h = await iframeHeight(host, f);
    assert.equal(h, first[f], `frame ${f}: the iframe is ${h} px, the embed reported ${first[f]}`);
    assert.notEqual(`${h}px`, start, `frame ${f}: the iframe kept its starting height ${start}`);
  }
  const tlFrame = host.frames().find((fr) => fr.url().includes('frame=timeline'));
  const clFrame = host.frames().find((fr) => fr.url().includes('frame=cluster'));
  assert.ok(tlFrame && clFrame, 'the two embed frames were not found');
  await ready(tlFrame);
  await ready(clFrame);
  // The embed's content fits its iframe exactly: no scrollbar either way.
  for (const fr of [tlFrame, clFrame]) {
    const s = await fr.evaluate(() => ({ sh: document.documentElement.scrollHeight, ch: document.documentElement.clientHeight, sw: document.documentElement.scrollWidth, cw: document.documentElement.clientWidth }));
    assert.ok(s.sh <= s.ch && s.sw <= s.cw, `${fr.url()}: the content does not fit its iframe: ${JSON.stringify(s)}`);
    assert.equal(await fr.locator('header.masthead').isVisible(), false, `${fr.url()}: the masthead shows in the embed`);
  }
  assert.ok(await tlFrame.locator(tid('timeline-shutdown')).isVisible(), 'the timeline embed does not show the controlled-shutdown timeline');
  assert.ok(await clFrame.locator(tid('cluster-view')).isVisible(), 'the cluster embed does not show the cluster');

  // The host's seek buttons move both embeds (kafka-election:seek), and each re-posts its height.
  const before = { timeline: (await heights(host, 'timeline')).length, cluster: (await heights(host, 'cluster')).length };
  await host.getByRole('button', { name: '33 min 26 s' }).click();
  for (const fr of [tlFrame, clFrame]) {
    await fr.waitForFunction(() => document.querySelector('[data-testid=sim-time]').dataset.value === '2006100');
  }
  for (const f of frames) await settled(host, f, before[f] + 1);

  // Strangers: a sandboxed frame (origin "null") posts a fake height to the host and a seek to the
  // timeline embed; the cluster embed (right origin, but not the parent) posts a seek too.
  await tlFrame.evaluate(() => {
    window.__seen = 0;
    window.addEventListener('message', (e) => { if (e.data?.type === 'kafka-election:seek') window.__seen++; });
  });
  await host.evaluate(() => {
    window.__strangers = 0;
    window.addEventListener('message', (e) => { if (e.origin === 'null') window.__strangers++; });
    const f = document.createElement('iframe');
    f.setAttribute('sandbox', 'allow-scripts');
    f.srcdoc = `<script>
      parent.postMessage({ type: 'kafka-election:height', height: 77, embed: 'timeline', frame: 'timeline' }, '*');
      parent.frames[0].postMessage({ type: 'kafka-election:seek', t: 1234 }, '*');
    <\/script>`;
    document.body.append(f);
  });
  await clFrame.evaluate((o) => parent.frames[0].postMessage({ type: 'kafka-election:seek', t: 4321 }, o), origin);
  await host.waitForFunction(() => window.__strangers >= 1);
  await tlFrame.waitForFunction(() => window.__seen >= 2);
  // A request from the real parent is answered; by then the strangers' messages were long handled.
  const n = (await heights(host, 'timeline')).length;
  await host.evaluate((o) => document.querySelector('iframe[src*="frame=timeline"]').contentWindow.postMessage({ type: 'kafka-election:request-height' }, o), origin);
  await host.waitForFunction((n) => window.__messages.filter((m) => m.data?.frame === 'timeline' && m.data.type === 'kafka-election:height').length > n, n);
  assert.equal(await hookValue(tlFrame, 'sim-time'), '2006100', 'the timeline embed obeyed a seek from a stranger');
  assert.notEqual(await iframeHeight(host, 'timeline'), 77, 'the host obeyed a height message from another origin');
  assert.equal(await iframeHeight(host, 'timeline'), (await heights(host, 'timeline')).at(-1).data.height, 'the timeline iframe lost its reported height');

  // A real embed from another origin (127.0.0.1 instead of localhost), told to talk to this
  // host: its height messages arrive, and the host must ignore them.
  const other = origin.replace('localhost', '127.0.0.1');
  await host.evaluate(({ other, origin }) => {
    const f = document.createElement('iframe');
    f.dataset.kafkaElection = '';
    f.src = `${other}/index.html?embed=summary&partitions=50&frame=stranger&origin=${encodeURIComponent(origin)}`;
    document.querySelector('.embeds').append(f);
  }, { other, origin });
  await host.waitForFunction((o) => window.__messages.some((m) => m.origin === o && m.data?.frame === 'stranger'), other);
  assert.equal(await iframeHeight(host, 'stranger'), 360, 'the host sized an iframe from a message of another origin');
  await host.evaluate(() => document.querySelector('iframe[src*="frame=stranger"]').remove());

  // A narrower host: the views stack, their widths change, and each iframe follows its new height.
  const wide = await settled(host, 'timeline');
  const count = (await heights(host, 'timeline')).length;
  await host.setViewportSize({ width: 700, height: 900 });
  const narrow = await settled(host, 'timeline', count + 1);
  assert.notEqual(narrow, wide, 'the timeline embed reported the same height after its width changed');
  await settled(host, 'cluster');
  await closePage(host, 'examples/embed.html');
});

test('malformed embed parameters say what is wrong and leave the page working', { timeout: TEST_TIMEOUT }, async () => {
  const page = await openPage(ctx, '?embed=bogus&partitions=50&lang=en');
  await waitForReady(page);
  const banner = page.locator(tid('error-banner'));
  assert.ok(await banner.isVisible(), 'embed=bogus shows no message');
  const text = await banner.innerText();
  assert.match(text, /embed/, `the message does not name the embed parameter: ${text}`);
  assert.match(text, /timeline, cluster, isr, map, summary/, `the message does not list the allowed views: ${text}`);
  assert.ok(await page.locator('header.masthead').isVisible(), 'embed=bogus does not show the full page');
  assert.equal(await page.evaluate(() => 'embed' in document.documentElement.dataset), false, 'embed=bogus still set data-embed');
  // Still working: a step lands in the event log.
  await page.locator(tid('step-button')).click();
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=event-log] li').length > 0);
  await closePage(page, 'embed=bogus');

  const bad = await openPage(ctx, '?embed=timeline&origin=ftp://example.org/path&partitions=50&lang=ko');
  await waitForReady(bad);
  const t2 = await bad.locator(tid('error-banner')).innerText();
  assert.match(t2, /origin/, `a bad origin= gives no message naming it: ${t2}`);
  assert.match(t2, HANGUL, `the message is not in Korean (lang=ko): ${t2}`);
  assert.equal(await bad.locator('header.masthead').isVisible(), false, 'a bad origin= turned off embed mode');
  assert.ok(await bad.locator(tid('timeline-crash')).isVisible(), 'the timeline is not shown');
  await bad.locator('body').click({ position: { x: 3, y: 3 } });
  await bad.keyboard.press('ArrowRight');
  await bad.waitForFunction(() => document.querySelectorAll('[data-testid=event-log] li').length > 0);
  await closePage(bad, 'embed=timeline&origin=ftp://…');
});
