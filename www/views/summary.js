// The summary figures beside each timeline. Every number is the engine's summary of the run on
// screen; data-value keeps the raw number (ms for times) for tests and embedders.
import { t, fmtNum } from '../lib/i18n.js';
import { duration, ratio } from '../lib/format.js';

const FIGURES = [
  ['partitions-affected', 'partitions_affected', 'count'],
  ['detection', 'detection_ms', 'ms'],
  ['controller-work', 'controller_work_ms', 'ms'],
  ['first-downtime', 'first_partition_downtime_ms', 'ms'],
  ['median-downtime', 'median_downtime_ms', 'ms'],
  ['p99-downtime', 'p99_downtime_ms', 'ms'],
  ['last-downtime', 'last_partition_downtime_ms', 'ms', 'key'],
  ['max-downtime', 'max_downtime_ms', 'ms'],
  ['unavailable-seconds', 'unavailable_partition_seconds', 'num'],
  ['over-delivery-timeout', 'partitions_over_delivery_timeout', 'count', 'warn'],
];
// Shown only when they say something (non-zero).
const EXTRAS = [['partitions_without_leader', 'warn'], ['unclean_elections', 'warn'], ['isr_shrinks', '']];

function text(kind, v) {
  if (v == null) return '—';
  if (kind === 'ms') return duration(v);
  if (kind === 'num') return fmtNum(v, v < 100 ? 1 : 0);
  return fmtNum(v);
}

/** Fills one summary panel (`prefix` is crash or shutdown). */
export function renderSummary(panel, prefix, s) {
  const dl = panel.querySelector('dl');
  const rows = FIGURES.map(([id, field, kind, cls]) => {
    const v = s[field];
    const warn = cls === 'warn' && v > 0 ? ' warn' : '';
    const key = cls === 'key' ? ' key' : '';
    const hint = id === 'over-delivery-timeout' ? ` title="${t('fig.over.title', { v: duration(s.delivery_timeout_ms) })}"` : '';
    return `<dt class="${key}"${hint}>${t('fig.' + id)}</dt><dd class="${key}${warn}" data-testid="${prefix}-${id}" data-value="${v ?? ''}">${text(kind, v)}</dd>`;
  });
  for (const [field, cls] of EXTRAS) {
    if (s[field] > 0) rows.push(`<dt>${t('fig.' + field)}</dt><dd class="${cls}">${fmtNum(s[field])}</dd>`);
  }
  dl.innerHTML = rows.join('');
}

/**
 * The headline: how much longer the last partition waits after a crash. `cmp` is the engine's
 * comparison (compareRuns): the ratio is its last_partition_downtime_ratio, never divided here.
 */
export function renderRatio(el, cmp) {
  const crash = cmp.crash;
  const a = crash.last_partition_downtime_ms;
  const b = cmp.controlled_shutdown.last_partition_downtime_ms;
  const r = cmp.last_partition_downtime_ratio;
  if (crash.partitions_affected === 0) {
    el.dataset.value = '';
    el.textContent = t('ratio.nothing', { broker: crash.victim });
    return;
  }
  if (r == null) {
    el.dataset.value = '';
    el.innerHTML = t(a == null && b == null ? 'ratio.both_never' : a == null ? 'ratio.crash_never' : b == null ? 'ratio.shutdown_never' : 'ratio.none',
      { crash: duration(a), shutdown: duration(b) });
    return;
  }
  el.dataset.value = String(r);
  el.innerHTML = t(r >= 1 ? 'ratio.text' : 'ratio.text_less', {
    r: `<b>${ratio(r >= 1 ? r : 1 / r)}</b>`, crash: `<b>${duration(a)}</b>`, shutdown: `<b>${duration(b)}</b>`,
  });
}
