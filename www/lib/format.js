// Human text for the engine's numbers (always ms in, localized text out). Raw numbers stay in
// data-value attributes; these strings are only for reading.
import { t, fmtNum } from './i18n.js';

/** A duration, compact: "300 ms", "6.3 s", "33 min 26 s", "2 h 05 min". Null → "—". */
export function duration(ms) {
  if (ms == null || ms < 0 || !Number.isFinite(ms)) return '—';
  if (ms === 0) return t('unit.s', { v: '0' });
  if (ms < 1) return t('unit.ms', { v: fmtNum(ms, 3) });
  if (ms < 1000) return t('unit.ms', { v: fmtNum(ms, ms < 10 ? 2 : 1) });
  const s = ms / 1000;
  if (s < 60) return t('unit.s', { v: fmtNum(s, s < 10 ? 2 : 1) });
  const total = Math.round(s);
  if (total < 3600) {
    return total % 60 ? t('unit.min_s', { m: Math.floor(total / 60), s: String(total % 60).padStart(2, '0') }) : t('unit.min', { v: total / 60 });
  }
  const h = Math.floor(total / 3600);
  return t('unit.h_min', { h, m: String(Math.round((total % 3600) / 60)).padStart(2, '0') });
}

/** Seconds with at most one decimal (or ms when below a second): the breakdown's words. */
export function seconds(ms) {
  if (ms == null) return '—';
  if (ms !== 0 && ms < 100) return t('unit.ms', { v: fmtNum(ms, ms < 10 ? 3 : 1) });
  return t('unit.s', { v: fmtNum(ms / 1000, ms < 1000 ? 2 : 1) });
}

/** An axis tick label: short, no decimals noise. */
export function tick(ms) {
  if (ms === 0) return '0';
  if (ms < 1000) return t('unit.ms', { v: fmtNum(ms, 2) });
  const s = ms / 1000;
  if (s < 60 || s % 60 !== 0) return t('unit.s', { v: fmtNum(s, 1) });
  const m = s / 60;
  if (m < 60 || m % 60 !== 0) return t('unit.min', { v: fmtNum(m, 1) });
  return t('unit.h', { v: fmtNum(m / 60, 1) });
}

export const int = (n) => (n == null ? '—' : fmtNum(n));

/** A ratio: "6,687×", "81×", "2.5×". */
export function ratio(r) {
  if (r == null || !Number.isFinite(r)) return '—';
  return t('unit.times', { v: fmtNum(r, r >= 100 ? 0 : 1) });
}

/** Broker ids as "1, 3"; empty list → "—". */
export const ids = (list) => (list && list.length ? list.join(', ') : '—');
