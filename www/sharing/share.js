// Sharing: "Copy link" for the moment on screen, plus the entry point for the exports and embed
// mode. app.js calls initShare() once its api (app-api.js) is filled.
import { api, onChange } from '../lib/app-api.js';
import { t, applyDom } from '../lib/i18n.js';
import { initEmbed } from './embed.js';
import { initExport } from './export.js';

const $ = (id) => document.getElementById(id);
const CONFIRM_MS = 2500;

export function initShare() {
  // An embed has no page chrome to put the buttons in; it gets its own "open full page" link.
  if (initEmbed()) return;
  initCopyLink();
  initExport();
}

function initCopyLink() {
  const button = $('copy-link');
  if (!button) return;
  const status = $('share-status'); // visually hidden live region: what a screen reader hears
  const pop = $('share-fallback');
  const field = $('share-link-field');
  const label = button.querySelector('[data-i18n]');
  let timer = 0;

  const copied = () => {
    pop.hidden = true;
    button.classList.add('done');
    label.dataset.i18n = 'share.copied';
    applyDom(button);
    say(t('share.copied.sr'));
    clearTimeout(timer);
    timer = setTimeout(() => {
      button.classList.remove('done');
      label.dataset.i18n = 'share.copy';
      applyDom(button);
    }, CONFIRM_MS);
  };
  // No clipboard (an insecure origin, a denied permission, an old browser): hand the link over
  // selected in a field, so Ctrl+C / ⌘C or a long press copies it.
  const fallback = (link) => {
    field.value = link;
    pop.hidden = false;
    field.focus();
    field.select();
    say(t('share.fallback.sr'));
  };
  const say = (text) => {
    // Clearing first makes a repeated message be announced again.
    status.textContent = '';
    requestAnimationFrame(() => { status.textContent = text; });
  };

  button.addEventListener('click', async () => {
    const link = api.link();
    try {
      if (!navigator.clipboard?.writeText) throw new Error('no clipboard');
      await navigator.clipboard.writeText(link);
      copied();
    } catch {
      fallback(link);
    }
  });
  // The field follows the page while it is open, so what it holds is still "this moment".
  onChange(() => {
    if (pop.hidden) return;
    field.value = api.link();
    if (document.activeElement === field) field.select();
  });
  $('share-fallback-close').addEventListener('click', () => { pop.hidden = true; button.focus(); });
  pop.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') { e.preventDefault(); pop.hidden = true; button.focus(); }
  });
  button.hidden = false;
}
