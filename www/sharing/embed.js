// Embed mode: `?embed=timeline|cluster|isr|map|summary` (plus the usual scenario parameters) shows
// one view for an iframe on someone else's page. The page's own chrome is hidden by CSS keyed on
// <html data-embed>, which a one-line script in index.html sets before the first paint (a module
// runs too late to avoid a flash of the full page).
//
// Talking to the host page (window.parent) with postMessage:
//   out: { type: 'kafka-election:height', height, embed, frame } on every size change of the
//        content and after every scenario/time change; `frame` is the `frame=` parameter (or
//        null), so a host with several embeds can tell them apart.
//   in:  { type: 'kafka-election:request-height' } and { type: 'kafka-election:seek', t } (ms),
//        accepted only from window.parent and only from the target origin.
// The target origin is `origin=` if given, else the parent's origin as the browser reports it
// (location.ancestorOrigins, then document.referrer); never '*', so the heights (and, through
// them, what the reader looks at) go to the embedding page and nowhere else.
import { api, onChange } from '../lib/app-api.js';
import { t, applyDom, onLang } from '../lib/i18n.js';
import { FEATURE_KEYS } from './url-state.js';

export const VIEWS = ['timeline', 'cluster', 'isr', 'map', 'summary'];
const MSG = 'kafka-election:';
const MAX_FRAME = 100;

// Registered at import time, before app.js reads the link, so these keys are not "unknown".
for (const k of ['embed', 'origin', 'frame']) FEATURE_KEYS.add(k);

const q = new URLSearchParams(location.search);
const framed = window.parent !== window;

/** The embed parameters and what is wrong with them (as functions: re-rendered per language). */
function readParams() {
  const errors = [];
  const raw = q.get('embed');
  const view = VIEWS.includes(raw) ? raw : null;
  if (q.has('embed') && !view) errors.push(() => t('embed.err.view', { value: raw, allowed: VIEWS.join(', ') }));
  let origin = null;
  if (q.has('origin')) {
    origin = parseOrigin(q.get('origin'));
    if (!origin) errors.push(() => t('embed.err.origin', { value: q.get('origin') }));
  } else if (framed) {
    origin = parentOrigin();
  }
  let frame = q.get('frame');
  if (frame != null && frame.length > MAX_FRAME) {
    errors.push(() => t('embed.err.frame', { max: MAX_FRAME }));
    frame = frame.slice(0, MAX_FRAME);
  }
  // A parent we can see that is not the origin we were told to talk to: the host's messages
  // would be dropped by the browser; say so instead of failing silently.
  const seen = location.ancestorOrigins?.[0];
  if (view && framed && q.has('origin') && origin && seen && seen !== 'null' && seen !== origin) {
    errors.push(() => t('embed.err.mismatch', { origin, parent: seen }));
  }
  return { view, origin: framed ? origin : null, frame, errors };
}

/** "https://docs.example.org" → itself; anything with a path, query or other scheme → null. */
function parseOrigin(v) {
  try {
    const u = new URL(v);
    const bare = v.replace(/\/$/, '');
    return (u.protocol === 'https:' || u.protocol === 'http:') && u.origin === bare ? u.origin : null;
  } catch { return null; }
}

function parentOrigin() {
  const anc = location.ancestorOrigins?.[0];
  // A sandboxed parent has an opaque origin ("null"), which postMessage cannot target.
  if (anc && anc !== 'null') return anc;
  try { return document.referrer ? new URL(document.referrer).origin : null; } catch { return null; }
}

const params = readParams();
// The script in index.html only knows the names; a wrong one must show the full page.
if (!params.view) delete document.documentElement.dataset.embed;

let ready = null;
const whenReady = new Promise((resolve) => { ready = resolve; });

// Listening from import time: a host may ask for the height before the engine has loaded.
if (params.view && params.origin) {
  window.addEventListener('message', async (e) => {
    if (e.source !== window.parent || e.origin !== params.origin) return;
    const d = e.data;
    if (!d || typeof d !== 'object' || typeof d.type !== 'string' || !d.type.startsWith(MSG)) return;
    await whenReady;
    if (d.type === MSG + 'request-height') postHeight(true);
    else if (d.type === MSG + 'seek' && typeof d.t === 'number' && Number.isFinite(d.t) && d.t >= 0) {
      await api.ready();
      api.seek(d.t);
    }
  });
}

let lastHeight = -1;
/** The content's height: the body's box, which does not stretch with the iframe (no vh in embeds). */
const contentHeight = () => Math.ceil(document.body.getBoundingClientRect().height);

function postHeight(force) {
  if (!params.origin) return;
  const height = contentHeight();
  if (!force && height === lastHeight) return;
  lastHeight = height;
  window.parent.postMessage({ type: MSG + 'height', height, embed: params.view, frame: params.frame }, params.origin);
}

/** Shows what is wrong with the embed keys, beside (not instead of) the link's other problems. */
function report(texts) {
  if (document.getElementById('error-banner').hidden) { api.showError(() => texts.map((f) => f())); return; }
  const add = () => {
    const list = document.getElementById('error-list');
    for (const li of list.querySelectorAll('li[data-embed-error]')) li.remove();
    for (const f of texts) Object.assign(list.appendChild(document.createElement('li')), { textContent: f() }).dataset.embedError = '';
  };
  add();
  onLang(add); // after app.js has rebuilt the list in the new language
}

/**
 * Sets up embed mode if the link asks for it (after the page has run its scenario); returns true
 * when the page is an embed. A malformed embed link shows what is wrong and the full page.
 */
export function initEmbed() {
  if (params.errors.length) report(params.errors);
  if (!params.view) return false;
  document.documentElement.dataset.embed = params.view;

  const bar = document.createElement('p');
  bar.className = 'embed-bar';
  bar.innerHTML = '<a target="_blank" rel="noopener" data-testid="embed-full-link">'
    + '<span data-i18n="embed.open"></span> <span aria-hidden="true">↗</span>'
    + '<span class="sr" data-i18n="embed.newtab"></span></a>';
  document.body.append(bar);
  applyDom(bar);
  const link = bar.querySelector('a');

  // One update per frame at most: playback changes the time every frame.
  let queued = false;
  const update = () => {
    if (queued) return;
    queued = true;
    requestAnimationFrame(() => {
      queued = false;
      link.href = api.link();
      // While playing only the time moves: re-post only if that changed the height.
      postHeight(document.getElementById('play-button')?.getAttribute('aria-pressed') !== 'true');
    });
  };
  onChange(update);
  new ResizeObserver(() => postHeight(true)).observe(document.body);
  link.href = api.link();
  ready();
  postHeight(true);
  return true;
}
