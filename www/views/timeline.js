// One timeline: rows = the affected partitions in election order, time across. The engine paints
// the bitmap (aggregated per pixel row) only when data, size, scale or colours change; the
// playhead lives on an overlay canvas so moving it never repaints the 10,000 rows.
import { t, fmtNum } from '../lib/i18n.js';
import { duration, seconds, tick, int } from '../lib/format.js';
import { paletteU32, parts, isDark } from '../lib/palette.js';
import { TOPIC } from '../sharing/url-state.js';
import { call } from '../engine/engine-client.js';

const MAX_PX = 16384;
const STEPS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1e3, 2e3, 5e3, 1e4, 2e4, 3e4, 6e4, 12e4, 3e5, 6e5, 9e5,
  18e5, 36e5, 72e5, 144e5, 288e5, 864e5, 1728e5, 432e6];

// Bitmaps that arrive together go on screen one per frame: each is a few ms of putImageData,
// labels and axis, and two in one frame (both timelines after every run) make a long one.
// A timeline waits with its newest bitmap only: a hidden page renders no frames, and the bitmaps
// of many runs would pile up until it is shown.
const inTurn = [];
function nextFrameInTurn(owner, fn) {
  const waiting = inTurn.find((e) => e.owner === owner);
  if (waiting) { waiting.fn = fn; return; }
  inTurn.push({ owner, fn });
  if (inTurn.length === 1) requestAnimationFrame(flushTurn);
}
function flushTurn() {
  try { inTurn[0].fn(); } finally {
    inTurn.shift();
    if (inTurn.length) requestAnimationFrame(flushTurn);
  }
}

/** "waited 6 s for detection + 1,999.8 s in line + …" from a breakdown in ms. */
export function breakdownWords(b) {
  if (!b) return '';
  return parts().filter((p) => b[p] > 0).map((p) => t('part.words.' + p, { v: seconds(b[p]) })).join(' + ');
}

export class Timeline {
  constructor(row, { onSeek, onPick }) {
    this.row = row;
    this.event = row.dataset.event;
    this.base = row.querySelector('canvas[data-testid]');
    this.overlay = row.querySelector('canvas.overlay');
    this.axisEl = row.querySelector('.axis');
    this.lastEl = row.querySelector('.tl-last');
    this.textEl = row.querySelector('.tl-text');
    this.tip = row.querySelector('.tip');
    this.run = null;
    this.end = 1;
    this.log = false;
    this.time = 0;
    this.dirty = true;
    this.paintSeq = 0;
    this.hoverSeq = 0;
    // The canvas's size in CSS px as the last resize reported it: reading it from the layout
    // while the page changes would lay the page out in the middle of a script (a forced layout).
    this.cssW = 0;
    this.cssH = 0;
    // A million rows take the engine a few hundred ms to paint: wait for the resize to settle.
    let timer = 0;
    new ResizeObserver(([entry]) => {
      this.cssW = entry.contentRect.width;
      this.cssH = entry.contentRect.height;
      clearTimeout(timer);
      if ((this.run?.rows ?? 0) > 100_000) timer = setTimeout(() => this.invalidate(), 200);
      else this.invalidate();
    }).observe(this.base);
    let dragging = false;
    const at = (e) => {
      const r = this.overlay.getBoundingClientRect();
      return { fx: Math.min(1, Math.max(0, (e.clientX - r.left) / r.width)), fy: Math.min(0.9999, Math.max(0, (e.clientY - r.top) / r.height)), r, e };
    };
    this.overlay.addEventListener('pointerdown', (e) => {
      if (!this.run) return;
      dragging = true;
      this.overlay.setPointerCapture(e.pointerId);
      const p = at(e);
      const row = this.rowAt(p.fy);
      if (row != null) onPick(this.run.partitionOfRow(row));
      onSeek(this.timeAt(p.fx));
    });
    this.overlay.addEventListener('pointermove', (e) => {
      const p = at(e);
      if (dragging) onSeek(this.timeAt(p.fx));
      this.hover(p);
    });
    const stop = () => { dragging = false; };
    this.overlay.addEventListener('pointerup', stop);
    this.overlay.addEventListener('pointercancel', stop);
    this.overlay.addEventListener('pointerleave', () => { this.hoverSeq++; this.tip.hidden = true; });
  }

  /** run: {sim, summary, rows, partitionOfRow(row)}; end: the shared axis end in ms. */
  setRun(run, end) { this.run = run; this.end = Math.max(end, 1); this.invalidate(); }
  setLog(log) { if (log !== this.log) { this.log = log; this.invalidate(); } }
  /** Repaint at the next frame (several invalidations in one task paint once). */
  invalidate() {
    this.dirty = true;
    if (!this.queued) { this.queued = true; requestAnimationFrame(() => { this.queued = false; this.draw(); }); }
  }
  setTime(ms) { if (ms !== this.time) { this.time = ms; this.drawOverlay(); } }

  x(ms, w) {
    const tt = Math.min(Math.max(ms, 0), this.end);
    return (this.log ? Math.log10(1 + tt) / Math.log10(1 + this.end) : tt / this.end) * w;
  }
  timeAt(fx) { return this.log ? Math.pow(10, fx * Math.log10(1 + this.end)) - 1 : fx * this.end; }
  rowAt(fy) { const n = this.run?.rows ?? 0; return n ? Math.min(n - 1, Math.floor(fy * n)) : null; }

  /** Repaints the bitmap if anything changed, then the overlay. */
  draw() {
    if (!this.run) return;
    if (!this.cssW || !this.cssH) return; // not laid out yet: the first resize report draws
    const dpr = Math.min(window.devicePixelRatio || 1, 2);
    const w = Math.min(MAX_PX, Math.max(1, Math.round(this.cssW * dpr)));
    const h = Math.min(MAX_PX, Math.max(1, Math.round(this.cssH * dpr)));
    if (this.base.width !== w || this.base.height !== h) { this.base.width = w; this.base.height = h; this.dirty = true; }
    if (this.overlay.width !== w || this.overlay.height !== h) { this.overlay.width = w; this.overlay.height = h; }
    if (this.dirty) {
      this.dirty = false;
      const t0 = performance.now();
      const run = this.run;
      const req = ++this.paintSeq;
      const finish = (img) => {
        // A newer paint (or another run) was asked for meanwhile: this one is stale.
        if (req !== this.paintSeq || run !== this.run || this.base.width !== w || this.base.height !== h) return;
        const ctx = this.base.getContext('2d');
        ctx.clearRect(0, 0, w, h);
        if (img) ctx.putImageData(new ImageData(img.data, img.width, img.height), 0, 0);
        this.decorate(ctx, w, h, dpr);
        this.base.dataset.paintMs = (performance.now() - t0).toFixed(2);
        this.renderAxis(w);
        this.drawOverlay();
      };
      // The engine paints in its worker; the pixels come back transferred.
      if (run.rows > 0) {
        // Drawn in a frame (where the style the labels' font needs is computed anyway), in turn.
        call('paint', { key: run.key, width: w, height: h, end: this.end, log: this.log, palette: paletteU32() })
          .then((img) => nextFrameInTurn(this, () => finish(img)), (e) => { if (!e?.cancelled) console.error(e); });
      } else finish(null);
    }
    this.drawOverlay();
  }

  /** Static marks on the bitmap: the producer's delivery.timeout.ms and the last partition. */
  decorate(ctx, w, h, dpr) {
    const s = this.run.summary;
    const ink = isDark() ? '#e9e6df' : '#1b1f24';
    const bg = isDark() ? 'rgba(24,27,32,.85)' : 'rgba(255,254,251,.88)';
    ctx.font = `600 ${11 * dpr}px system-ui, sans-serif`;
    ctx.textBaseline = 'top';
    const label = (text, x, y, right) => {
      const m = ctx.measureText(text).width + 8 * dpr;
      const lx = right ? Math.max(0, x - m) : Math.min(w - m, x);
      ctx.fillStyle = bg;
      ctx.fillRect(lx, y, m, 16 * dpr);
      ctx.fillStyle = ink;
      ctx.fillText(text, lx + 4 * dpr, y + 2.5 * dpr);
    };
    if (this.run.rows === 0) {
      label(t('tl.none', { broker: s.victim }), 8 * dpr, 8 * dpr, false);
      return;
    }
    const dt = s.delivery_timeout_ms;
    if (dt <= this.end) {
      const x = Math.round(this.x(dt, w)) + 0.5;
      ctx.strokeStyle = ink;
      ctx.lineWidth = Math.max(1, dpr);
      ctx.setLineDash([4 * dpr, 3 * dpr]);
      ctx.beginPath(); ctx.moveTo(x, 0); ctx.lineTo(x, h); ctx.stroke();
      ctx.setLineDash([]);
      const text = t('tl.delivery', { v: duration(dt), n: int(s.partitions_over_delivery_timeout) });
      label(text, x + 3 * dpr, 4 * dpr, x > w * 0.62);
    } else {
      label(t('tl.delivery_beyond', { v: duration(dt) }), w, 4 * dpr, true);
    }
    // The last partition: a marker where it comes back (or where the axis ends, if never).
    const last = this.run.lastDetail;
    const back = last?.client_ms;
    const x = this.x(back ?? this.end, w);
    const y = h - 1;
    ctx.fillStyle = ink;
    ctx.beginPath();
    ctx.moveTo(x, y - 9 * dpr); ctx.lineTo(x - 6 * dpr, y - 18 * dpr); ctx.lineTo(x + 6 * dpr, y - 18 * dpr); ctx.closePath(); ctx.fill();
    const text = back == null ? t('tl.last_never') : t('tl.last_mark', { v: duration(last.downtime_ms) });
    label(text, x - 10 * dpr, y - 38 * dpr, true);
  }

  renderAxis(w) {
    const ticks = [];
    if (this.log) {
      ticks.push(0);
      for (let v = 1; v <= this.end; v *= 10) ticks.push(v);
    } else {
      const narrow = this.cssW < 500;
      const step = STEPS.find((s) => this.end / s <= (narrow ? 4 : 7)) ?? STEPS.at(-1);
      for (let v = 0; v <= this.end + 1e-9; v += step) ticks.push(v);
    }
    const minGap = 56; // css px between labels
    let lastX = -Infinity;
    const spans = [];
    const cw = this.cssW;
    for (const v of ticks) {
      const x = (this.x(v, w) / w) * cw;
      if (x - lastX < minGap || cw - x < 18) continue;
      lastX = x;
      // Positioned through the CSSOM: the page's Content-Security-Policy blocks style="" in markup.
      const span = document.createElement('span');
      span.style.left = `${((x / cw) * 100).toFixed(3)}%`;
      if (v === 0) span.className = 'first';
      span.textContent = tick(v);
      spans.push(span);
    }
    this.axisEl.replaceChildren(...spans);
  }

  drawOverlay() {
    const c = this.overlay;
    if (!c.width) return;
    const ctx = c.getContext('2d');
    ctx.clearRect(0, 0, c.width, c.height);
    if (!this.run) return;
    const dpr = c.width / Math.max(1, this.cssW);
    const x = Math.round(this.x(this.time, c.width)) + 0.5;
    ctx.strokeStyle = isDark() ? '#8ab4f8' : '#1d4e89';
    ctx.fillStyle = ctx.strokeStyle;
    ctx.lineWidth = 2 * dpr;
    ctx.beginPath(); ctx.moveTo(x, 0); ctx.lineTo(x, c.height); ctx.stroke();
    ctx.beginPath(); ctx.moveTo(x - 6 * dpr, 0); ctx.lineTo(x + 6 * dpr, 0); ctx.lineTo(x, 8 * dpr); ctx.closePath(); ctx.fill();
  }

  hover(at) {
    if (!this.run || !this.run.rows) { this.tip.hidden = true; return; }
    const row = this.rowAt(at.fy);
    const run = this.run;
    const seq = ++this.hoverSeq;
    call('rowDetail', { key: run.key, row }).then((d) => {
      if (seq === this.hoverSeq && run === this.run) this.showTip(at, d);
    }, () => {});
  }

  showTip({ fx, r, e }, d) {
    const name = `${TOPIC}-${d.partition}`;
    const lines = [`<b>${name}</b> · ${t('tl.tip.at', { v: duration(this.timeAt(fx)) })}`];
    if (d.downtime_ms == null) lines.push(t('tl.tip.never'));
    else lines.push(t('tl.tip.down', { v: duration(d.downtime_ms) }), breakdownWords(d.breakdown_ms));
    if (d.new_leader != null) lines.push(t('tl.tip.leader', { b: d.new_leader }) + (d.unclean ? ' ' + t('tl.tip.unclean') : ''));
    this.tip.innerHTML = lines.join('<br>');
    this.tip.hidden = false;
    const px = e.clientX - r.left;
    const py = e.clientY - r.top;
    const tw = this.tip.offsetWidth;
    this.tip.style.left = `${Math.max(0, Math.min(r.width - tw, px + 12))}px`;
    this.tip.style.top = `${py + 14}px`;
  }

  /** The words under the canvas: the last partition, and a text alternative for screen readers. */
  describe(victim) {
    const s = this.run.summary;
    const last = this.run.lastDetail;
    if (!this.run.rows) {
      this.lastEl.textContent = '';
      this.textEl.textContent = t('tl.none', { broker: victim });
      this.base.setAttribute('aria-label', t(`ev.${this.event}.title`));
      return;
    }
    const name = `${TOPIC}-${last.partition}`;
    this.lastEl.innerHTML = last.downtime_ms == null
      ? t('tl.last_none_sentence', { name })
      : t('tl.last_sentence', { name, total: `<b>${duration(last.downtime_ms)}</b>`, parts: breakdownWords(last.breakdown_ms) });
    // A controlled shutdown's partitions do not all go down at once: its own wording.
    const key = (s.partitions_recovered === 0 ? 'tl.text_none' : 'tl.text') + (this.event === 'shutdown' ? '.shutdown' : '');
    this.textEl.textContent = t(key, {
      n: s.partitions_affected, broker: s.victim, first: duration(s.first_partition_downtime_ms),
      median: duration(s.median_downtime_ms), last: duration(s.last_partition_downtime_ms),
      over: s.partitions_over_delivery_timeout, dt: duration(s.delivery_timeout_ms),
      lost: s.partitions_without_leader,
    });
    this.base.setAttribute('aria-label', `${t(`ev.${this.event}.title`)}: ${t('tl.aria', { n: fmtNum(s.partitions_affected) })}`);
  }
}
