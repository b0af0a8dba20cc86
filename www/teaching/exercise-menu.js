// The exercises' menu: a disclosure button in the teaching bar and, under it, the shipped
// exercises (exercises/index.json, each a link a teacher can copy), the file picker and the slot
// for the teacher's form (exercise-export.js).
import { t, getLang } from '../lib/i18n.js';
import { parseExercise } from './exercise-schema.js';

const INDEX = 'exercises/index.json';
const esc = (s) => String(s).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }[c]));
const local = (text) => text?.[getLang()] ?? text?.en ?? '';

export class ExerciseMenu {
  /** handlers: onLink(path), onFile(file); catalog: the engine's catalog() (to validate the list). */
  constructor(root, catalog, { onLink, onFile }) {
    this.catalog = catalog;
    // A disclosure button and a full-width region under the bar: the list, the file picker and
    // the teacher's form.
    const host = root.querySelector('#ex-menu-body');
    root.querySelector('#teach-ex').innerHTML = `<button type="button" class="btn ex-toggle" id="ex-menu-toggle" data-testid="exercise-menu"
      aria-expanded="false" aria-controls="ex-menu-body"><span data-i18n="ex.menu"></span></button>`;
    host.innerHTML = `
      <h3 data-i18n="ex.list.h"></h3>
      <ul class="ex-list" id="ex-list" data-testid="exercise-list"></ul>
      <label class="field ex-file"><span data-i18n="ex.file"></span>
        <input type="file" accept=".json,application/json" data-testid="exercise-file" id="ex-file"></label>
      <details class="ex-export" id="ex-export">
        <summary data-i18n="ex.export.h"></summary>
        <form class="ex-export-form" id="ex-export-form" data-testid="exercise-export-form" novalidate></form>
      </details>`;
    this.toggle = root.querySelector('#ex-menu-toggle');
    this.host = host;
    this.toggle.addEventListener('click', () => this.show(host.hidden));
    host.querySelector('#ex-file').addEventListener('change', (e) => {
      const file = e.target.files?.[0];
      e.target.value = '';
      if (file) onFile(file);
    });
    host.querySelector('#ex-list').addEventListener('click', (e) => {
      const a = e.target.closest('a[data-path]');
      if (!a) return;
      e.preventDefault();
      onLink(a.dataset.path);
    });
  }

  /** The teacher's form and its disclosure, for exercise-export.js. */
  get exportForm() { return this.host.querySelector('#ex-export-form'); }
  get exportDetails() { return this.host.querySelector('#ex-export'); }

  show(open) {
    this.host.hidden = !open;
    this.toggle.setAttribute('aria-expanded', String(open));
    if (open) this.loadList();
  }

  /** The shipped exercises, fetched once, each validated so a broken file is marked as such. */
  async loadList() {
    const ul = this.host.querySelector('#ex-list');
    if (this.listLoaded) { this.renderList(); return; }
    this.listLoaded = true;
    ul.innerHTML = `<li class="hint">${esc(t('ex.list.loading'))}</li>`;
    try {
      const r = await fetch(new URL(INDEX, location.href));
      if (!r.ok) throw new Error(`HTTP ${r.status}`);
      const files = (await r.json()).exercises ?? [];
      this.items = await Promise.all(files.map(async (f) => {
        const path = `exercises/${f}`;
        try {
          const res = await fetch(new URL(path, location.href));
          const p = parseExercise(await res.text(), this.catalog);
          return { path, ex: p.exercise };
        } catch { return { path, ex: null }; }
      }));
    } catch (e) {
      this.items = [];
      this.listError = e.message;
    }
    this.renderList();
  }

  renderList() {
    const ul = this.host.querySelector('#ex-list');
    if (!this.items) return;
    if (!this.items.length) { ul.innerHTML = `<li class="hint">${esc(t('ex.list.none', { msg: this.listError ?? '' }))}</li>`; return; }
    ul.innerHTML = this.items.map(({ path, ex }) => {
      const href = `?exercise=${encodeURIComponent(path)}&lang=${getLang()}`;
      return `<li><a href="${esc(href)}" data-path="${esc(path)}">${esc(ex ? local(ex.title) : path)}</a>${ex ? '' : ` <span class="hint">${esc(t('ex.list.invalid'))}</span>`}</li>`;
    }).join('');
  }

  relabel() { if (this.items) this.renderList(); }
}
