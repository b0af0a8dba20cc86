// The profile selector and the parameter editor: every parameter with its unit, range, Kafka
// config name and the profile's source for its value, estimates marked as estimates.
import { t, has, getLang, fmtNum } from '../lib/i18n.js';


/** A profile's title/summary/source in the reader's language (the engine's English otherwise). */
export function profileText(p, field) {
  const key = `profile.${p.name}.${field}`;
  return getLang() !== 'en' && has(key) ? t(key) : p[field];
}
// Sources are translated by their English text, so a changed engine text falls back to English.
const sourceText = (s) => (getLang() !== 'en' && has('src.' + s.text) ? t('src.' + s.text) : s.text);
const docText = (spec) => (getLang() !== 'en' && has('param.' + spec.name) ? t('param.' + spec.name) : spec.doc);

export class ProfilePanel {
  constructor(catalog, handlers) {
    this.catalog = catalog;
    this.h = handlers;
    this.select = document.getElementById('profile-select');
    this.tbody = document.getElementById('params-body');
    this.pub = document.getElementById('publication-select');
    this.select.addEventListener('change', () => handlers.onProfile(this.select.value));
    // Every profile one click away.
    this.chips = document.getElementById('profile-chips');
    this.chips.addEventListener('click', (e) => {
      const b = e.target.closest('[data-profile]');
      if (!b || b.dataset.profile === this.select.value) return;
      this.select.value = b.dataset.profile;
      handlers.onProfile(b.dataset.profile);
    });
    this.pub.addEventListener('change', () => handlers.onParam('crash_publication', this.pub.value, this.pub));
    this.tbody.addEventListener('change', (e) => {
      const name = e.target.dataset.param;
      if (name) handlers.onParam(name, e.target.value, e.target);
    });
    document.getElementById('params-reset').addEventListener('click', () => handlers.onReset());
  }

  /**
   * cfg: the config on screen, or the form's draft (its params may then hold text as typed, valid
   * or not); keepInputs: leave the table's inputs alone.
   */
  render(cfg, keepInputs = false) {
    const profile = this.catalog.profiles.find((p) => p.name === cfg.profile) ?? this.catalog.profiles[0];
    this.select.innerHTML = this.catalog.profiles.map((p) => `<option value="${p.name}">${profileText(p, 'title')}</option>`).join('');
    this.select.value = profile.name;
    this.chips.innerHTML = this.catalog.profiles.map((p) =>
      `<button type="button" class="chip" data-profile="${p.name}" aria-pressed="${p.name === profile.name}" title="${esc(profileText(p, 'title'))}">${t('profile.short.' + p.name)}</button>`).join('');
    document.getElementById('profile-mode').textContent = t('mode.' + profile.mode);
    document.getElementById('profile-summary').textContent = profileText(profile, 'summary');
    const kraft = profile.mode === 'kraft';
    const value = (name) => cfg.params[name] ?? profile.parameters[name];
    this.pub.options[0].textContent = t('pub.per_partition');
    this.pub.options[1].textContent = t('pub.per_batch');
    this.pub.value = value('crash_publication');
    // Only the modes whose controller reads crash_publication may change it (the engine's `modes`).
    this.pub.disabled = !this.catalog.parameters.find((p) => p.name === 'crash_publication')?.modes.includes(profile.mode);
    // KRaft's batch size is a parameter like any other: the hint quotes the value in use.
    const batch = num(value('kraft_max_records_per_batch'));
    document.getElementById('pub-hint').textContent = t(kraft ? 'pub.hint.kraft' : 'pub.hint.' + this.pub.value,
      { n: batch == null ? value('kraft_max_records_per_batch') : fmtNum(batch) });
    const sources = new Map(profile.sources.map((s) => [s.param, s]));
    // The few numbers that decide the story, at a glance (all of them are in the table below).
    const keys = kraft ? ['broker_session_timeout_ms', 'kraft_max_records_per_batch', 'kraft_commit_ms', 'controller_failover_ms']
      : ['zk_session_timeout_ms', 'controller_per_partition_ms', 'zk_max_in_flight', 'shutdown_publication'];
    document.getElementById('profile-keys').innerHTML = keys.map((k) => {
      const spec = this.catalog.parameters.find((p) => p.name === k);
      const v = value(k);
      // A typed value not applied yet may be any text: show it as typed.
      const n = num(v);
      const shown = n == null ? esc(v) : spec?.unit === 'ms' ? `${fmtNum(n, 3)} ms` : fmtNum(n);
      const est = sources.get(k)?.estimate ? ` <span class="badge est">${t('params.estimate')}</span>` : '';
      return `<dt>${spec?.kafka_config && !spec.kafka_config.includes(' ') ? spec.kafka_config : k}</dt><dd>${shown}${k in cfg.params ? ' *' : ''}${est}</dd>`;
    }).join('');
    const rows = [];
    let changed = 0;
    for (const spec of this.catalog.parameters) {
      const over = spec.name in cfg.params;
      if (over) changed++;
      // A parameter the profile's controller does not read (the engine's `modes`) is hidden,
      // unless the link or the form sets it: then it stays, so the value is neither lost nor hidden.
      if (!over && !spec.modes.includes(profile.mode)) continue;
      const v = value(spec.name);
      let input;
      if (spec.unit === 'choice') {
        input = `<select data-param="${spec.name}" aria-label="${spec.name}">${spec.choices.map((c) => `<option value="${c}"${c === v ? ' selected' : ''}>${c}</option>`).join('')}</select>`;
      } else if (spec.unit === 'flag') {
        input = `<select data-param="${spec.name}" aria-label="${spec.name}"><option value="0"${num(v) === 0 ? ' selected' : ''}>${t('params.off')}</option><option value="1"${num(v) === 1 ? ' selected' : ''}>${t('params.on')}</option></select>`;
      } else {
        const step = spec.unit === 'ms' ? 'any' : '1';
        input = `<input type="text" inputmode="${step === 'any' ? 'decimal' : 'numeric'}" autocomplete="off" spellcheck="false" data-param="${spec.name}" aria-label="${spec.name}" value="${esc(v)}"> <span class="unit">${spec.unit === 'ms' ? 'ms' : ''}</span>` +
          `<span class="range">${fmtNum(spec.min)} – ${fmtNum(spec.max)}</span>`;
      }
      const src = sources.get(spec.name);
      const srcHtml = src ? `${esc(sourceText(src))}${src.estimate ? ` <span class="badge est">${t('params.estimate')}</span>` : ''}` : `<span class="hint">${t('params.nosource')}</span>`;
      const def = over ? `<span class="range">${t('params.default', { v: profile.parameters[spec.name] })}</span>` : '';
      rows.push(`<tr class="${over ? 'changed' : ''}"><td><span class="pname">${spec.name}</span>${spec.kafka_config ? `<span class="cfg">${esc(spec.kafka_config)}</span>` : ''}<span class="doc">${esc(docText(spec))}</span></td><td>${input}${def}</td><td>${srcHtml}</td></tr>`);
    }
    if (!keepInputs) this.tbody.innerHTML = rows.join('');
    const badge = document.getElementById('params-changed');
    badge.hidden = changed === 0;
    badge.textContent = t('params.changed', { n: changed });
  }
}

/** A parameter value as a number, or null when it is text that is not one (a draft being typed). */
const num = (v) => (typeof v === 'number' ? v : String(v).trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : null);
const esc = (s) => String(s).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }[c]));
