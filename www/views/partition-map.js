// Every affected partition as a cell, in election order, coloured by rowStates(t). Up to 40,000
// rows get a cell each (10,000 → 100 × 100); beyond that a cell stands for a run of rows and
// shows their most common state. Drawn at one pixel per cell, then scaled up without smoothing.
import { t, fmtNum } from '../lib/i18n.js';
import { stateColors, stateOrder } from '../lib/palette.js';
import { stateName } from '../lib/catalog.js';
import { TOPIC } from '../sharing/url-state.js';

const MAX_CELLS = 40_000;

export class PartitionMap {
  constructor(canvas, { onPick }) {
    this.canvas = canvas;
    this.tip = canvas.parentElement.querySelector('.tip');
    this.small = document.createElement('canvas');
    this.rows = 0;
    this.colors = [];
    // The wrapper's width as the last resize reported it: reading clientWidth while the page is
    // being built would lay the whole page out in the middle of a script (a forced layout).
    this.wrapWidth = 0;
    new ResizeObserver(([entry]) => {
      const w = entry.contentRect.width;
      if (w === this.wrapWidth) return;
      this.wrapWidth = w;
      this.layout();
    }).observe(canvas.parentElement);
    const cellAt = (e) => {
      const r = canvas.getBoundingClientRect();
      const cx = Math.floor(((e.clientX - r.left) / r.width) * this.cols);
      const cy = Math.floor(((e.clientY - r.top) / r.height) * this.gridRows);
      const cell = cy * this.cols + cx;
      return cx >= 0 && cx < this.cols && cell < this.cells ? { cell, r, e } : null;
    };
    canvas.addEventListener('click', (e) => { const c = cellAt(e); if (c) onPick(c.cell * this.group); });
    canvas.addEventListener('pointermove', (e) => this.hover(cellAt(e)));
    canvas.addEventListener('pointerleave', () => { this.tip.hidden = true; });
  }

  /** rows: affected partitions; partitionOfRow(row) → partition index. */
  setRows(rows, partitionOfRow) {
    this.rows = rows;
    this.partitionOfRow = partitionOfRow;
    this.group = Math.max(1, Math.ceil(rows / MAX_CELLS));
    this.cells = Math.ceil(rows / this.group);
    this.cols = Math.max(1, Math.ceil(Math.sqrt(this.cells)));
    this.gridRows = Math.max(1, Math.ceil(this.cells / this.cols));
    this.small.width = this.cols;
    this.small.height = this.gridRows;
    this.img = new ImageData(this.cols, this.gridRows);
    this.own = new Uint8Array(rows);
    this.drawn = false;
    this.layout();
  }

  layout() {
    if (!this.cols) return;
    const css = Math.min(this.wrapWidth || 300, 440);
    // Cells stay square; a handful of partitions do not become giant tiles.
    const cell = Math.min(28, css / this.cols);
    const w = Math.max(1, Math.round(cell * this.cols));
    const h = Math.max(1, Math.round(cell * this.gridRows));
    this.canvas.style.width = `${w}px`;
    this.canvas.style.height = `${h}px`;
    const dpr = Math.min(window.devicePixelRatio || 1, 2);
    this.canvas.width = Math.round(w * dpr);
    this.canvas.height = Math.round(h * dpr);
    this.gaps = (w / this.cols) * dpr >= 5;
    if (this.drawn) this.paint();
  }

  refreshColors() { this.colors = []; if (this.drawn) this.paint(); }

  /** states: the Uint8Array view from rowStates(t), copied at once (views go stale). */
  draw(states) {
    if (!this.rows) { this.clear(); return; }
    this.own.set(states.subarray(0, this.rows));
    this.drawn = true;
    this.paint();
  }

  paint() {
    const states = this.own;
    if (!this.colors.length) {
      this.colors = stateColors().map((h) => { const v = parseInt(h.slice(1), 16); return 0xff000000 | ((v & 0xff) << 16) | (v & 0xff00) | (v >> 16); });
    }
    const px = new Uint32Array(this.img.data.buffer);
    const n = this.colors.length; // one per engine state code
    const counts = new Uint32Array(n);
    this.counts = new Uint32Array(n);
    for (let c = 0; c < this.cells; c++) {
      let s;
      if (this.group === 1) s = states[c];
      else {
        counts.fill(0);
        const end = Math.min(this.rows, (c + 1) * this.group);
        for (let r = c * this.group; r < end; r++) counts[states[r]]++;
        s = 0;
        for (let k = 1; k < n; k++) if (counts[k] > counts[s]) s = k;
      }
      px[c] = this.colors[s];
    }
    for (let r = 0; r < this.rows; r++) this.counts[states[r]]++;
    this.small.getContext('2d').putImageData(this.img, 0, 0);
    const ctx = this.canvas.getContext('2d');
    ctx.imageSmoothingEnabled = false;
    ctx.clearRect(0, 0, this.canvas.width, this.canvas.height);
    ctx.drawImage(this.small, 0, 0, this.canvas.width, this.canvas.height);
    if (this.gaps) {
      // Thin gaps between cells keep individual partitions countable.
      ctx.fillStyle = getComputedStyle(this.canvas.closest('.card')).backgroundColor;
      const cw = this.canvas.width / this.cols;
      const ch = this.canvas.height / this.gridRows;
      for (let i = 1; i < this.cols; i++) ctx.fillRect(Math.round(i * cw) - 0.5, 0, 1, this.canvas.height);
      for (let j = 1; j < this.gridRows; j++) ctx.fillRect(0, Math.round(j * ch) - 0.5, this.canvas.width, 1);
    }
  }

  clear() {
    const ctx = this.canvas.getContext('2d');
    ctx.clearRect(0, 0, this.canvas.width, this.canvas.height);
    this.counts = new Uint32Array(stateColors().length);
  }

  /** A text alternative: how many partitions are in each state now. */
  describe() {
    if (!this.counts) return '';
    return stateOrder().filter((s) => this.counts[s] > 0)
      .map((s) => `${t('map.state.' + stateName(s))}: ${fmtNum(this.counts[s])}`).join('; ');
  }

  hover(c) {
    if (!c || !this.rows) { this.tip.hidden = true; return; }
    const first = c.cell * this.group;
    const last = Math.min(this.rows, first + this.group) - 1;
    const p = this.partitionOfRow(first);
    this.tip.innerHTML = this.group === 1
      ? `<b>${TOPIC}-${p}</b> · ${t('map.row', { row: fmtNum(first + 1) })}`
      : t('map.rows', { from: fmtNum(first + 1), to: fmtNum(last + 1) });
    this.tip.hidden = false;
    const wrap = this.canvas.parentElement.getBoundingClientRect();
    this.tip.style.left = `${Math.min(wrap.width - this.tip.offsetWidth, c.e.clientX - wrap.left + 12)}px`;
    this.tip.style.top = `${c.e.clientY - wrap.top + 14}px`;
  }
}
