// Pictures of what is on screen, as PNG blobs: the two timelines (painted bitmaps, playhead,
// axes and labels composed into one canvas at the canvases' own resolution) and the cluster view
// (its SVG with the computed styles inlined, drawn into a canvas). Colours come from the page's
// computed styles, so a dark page gives a dark picture.
import { t } from '../lib/i18n.js';

const css = (name, el = document.documentElement) => getComputedStyle(el).getPropertyValue(name).trim();
const toBlob = (canvas) => new Promise((ok, fail) => canvas.toBlob((b) => (b ? ok(b) : fail(new Error('toBlob failed'))), 'image/png'));

/** Greedy word wrap; a word wider than the line (a long URL, a CJK run) is broken by characters. */
function wrap(ctx, text, width) {
  const lines = [];
  let line = '';
  for (const word of String(text).trim().split(/\s+/)) {
    const next = line ? `${line} ${word}` : word;
    if (ctx.measureText(next).width <= width) { line = next; continue; }
    if (line) lines.push(line);
    line = '';
    let piece = '';
    for (const ch of word) {
      if (ctx.measureText(piece + ch).width > width && piece) { lines.push(piece); piece = ''; }
      piece += ch;
    }
    line = piece;
  }
  if (line) lines.push(line);
  return lines;
}

/**
 * A column of blocks laid out once to find the height, then drawn: each block is
 * { h(ctx) → height, draw(ctx, y) }.
 */
async function compose(width, blocks, bg) {
  const probe = document.createElement('canvas').getContext('2d');
  const heights = blocks.map((b) => Math.ceil(b.h(probe)));
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = heights.reduce((a, b) => a + b, 0);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = bg;
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  let y = 0;
  blocks.forEach((b, i) => { b.draw(ctx, y); y += heights[i]; });
  return canvas;
}

/** A paragraph block: `font` is a CSS font without the family. */
function textBlock({ text, font, family, color, x, width, lh, before = 0, after = 0 }) {
  let lines = [];
  const set = (ctx) => { ctx.font = `${font} ${family}`; ctx.textBaseline = 'top'; };
  return {
    h: (ctx) => { set(ctx); lines = text ? wrap(ctx, text, width) : []; return before + lines.length * lh + after; },
    draw: (ctx, y) => {
      set(ctx);
      ctx.fillStyle = color;
      lines.forEach((l, i) => ctx.fillText(l, x, y + before + i * lh + lh * 0.12));
    },
  };
}

const space = (h) => ({ h: () => h, draw: () => {} });

/** Both timelines with the legend, captions, axes and the sentence under each, as one PNG. */
export async function timelinePng(scenarioLine) {
  const section = document.getElementById('timelines');
  const rows = [...section.querySelectorAll('.tl-row')];
  const first = rows[0].querySelector('canvas[data-testid]');
  if (!first.width || !first.clientWidth) throw new Error(t('export.err.hidden'));
  // The canvases' own resolution (the timeline caps devicePixelRatio at 2): the picture is
  // exactly as wide as their bitmaps, so they are copied pixel for pixel.
  const W = first.width;
  const u = W / first.clientWidth;
  const sans = getComputedStyle(document.body).fontFamily;
  const serif = css('--serif') || 'serif';
  const ink = css('--ink');
  const muted = css('--muted');
  const soft = css('--soft');
  const x = 4 * u;
  const tw = W - 2 * x;
  const para = (text, size, opts = {}) => textBlock({
    text, font: `${opts.weight ?? 400} ${size * u}px`, family: opts.family ?? sans, color: opts.color ?? ink,
    x, width: tw, lh: size * 1.4 * u, before: (opts.before ?? 0) * u, after: (opts.after ?? 0) * u,
  });

  const blocks = [space(10 * u)];
  blocks.push(para(section.querySelector('h2').textContent, 18, { family: serif, weight: 600 }));
  blocks.push(para(scenarioLine, 12.5, { color: muted, after: 6 }));
  blocks.push(legendBlock(section.querySelector('.legend'), { u, x, tw, sans, ink }));
  for (const row of rows) {
    const base = row.querySelector('canvas[data-testid]');
    const overlay = row.querySelector('canvas.overlay');
    blocks.push(para(row.querySelector('.tl-title').textContent, 15, { family: serif, weight: 600, before: 10 }));
    blocks.push(para(row.querySelector('.tl-sub').textContent, 12.5, { color: muted, after: 4 }));
    blocks.push({
      h: () => base.height,
      draw: (ctx, y) => {
        ctx.fillStyle = soft;
        ctx.fillRect(0, y, W, base.height);
        ctx.drawImage(base, 0, y);
        if (overlay.width === base.width && overlay.height === base.height) ctx.drawImage(overlay, 0, y);
      },
    });
    blocks.push(axisBlock(row.querySelector('.axis'), { u, W, sans, muted }));
    blocks.push(para(row.querySelector('.tl-last').textContent, 13, { after: 4 }));
  }
  blocks.push(para(document.getElementById('downtime-ratio').textContent, 15, { family: serif, before: 8 }));
  blocks.push(para('kafka-election', 11, { color: muted, before: 6, after: 10 }));
  return toBlob(await compose(W, blocks, css('--panel')));
}

/** The legend's swatches and names, flowed into lines like the page's. */
function legendBlock(list, { u, x, tw, sans, ink }) {
  const items = [...list.querySelectorAll('li')].map((li) => ({ color: li.querySelector('.sw')?.style.background || ink, text: li.textContent.trim() }));
  const size = 12 * u;
  const lh = 18 * u;
  const sw = 11 * u;
  let placed = [];
  const font = (ctx) => { ctx.font = `400 ${size}px ${sans}`; ctx.textBaseline = 'middle'; };
  return {
    h: (ctx) => {
      font(ctx);
      placed = [];
      let cx = x;
      let line = 0;
      for (const it of items) {
        const w = sw + 5 * u + ctx.measureText(it.text).width;
        if (cx > x && cx + w > x + tw) { cx = x; line++; }
        placed.push({ ...it, cx, line });
        cx += w + 14 * u;
      }
      return (line + 1) * lh + 2 * u;
    },
    draw: (ctx, y) => {
      font(ctx);
      for (const p of placed) {
        const cy = y + p.line * lh + lh / 2;
        ctx.fillStyle = p.color;
        ctx.fillRect(p.cx, cy - sw / 2, sw, sw);
        ctx.fillStyle = ink;
        ctx.fillText(p.text, p.cx + sw + 5 * u, cy);
      }
    },
  };
}

/** The axis under a timeline: the page's own tick labels at their positions. */
function axisBlock(axis, { u, W, sans, muted }) {
  const ticks = [...axis.querySelectorAll('span')].map((s) => ({ at: parseFloat(s.style.left) / 100, text: s.textContent, first: s.classList.contains('first') }));
  return {
    h: () => 20 * u,
    draw: (ctx, y) => {
      ctx.font = `400 ${11 * u}px ${sans}`;
      ctx.textBaseline = 'top';
      ctx.fillStyle = muted;
      ctx.strokeStyle = muted;
      ctx.lineWidth = Math.max(1, u);
      for (const tk of ticks) {
        const px = Math.round(tk.at * W) + 0.5;
        ctx.beginPath(); ctx.moveTo(px, y); ctx.lineTo(px, y + 4 * u); ctx.stroke();
        const w = ctx.measureText(tk.text).width;
        const left = tk.first ? px : Math.min(W - w, Math.max(0, px - w / 2));
        ctx.fillText(tk.text, left, y + 6 * u);
      }
    },
  };
}

// What an SVG needs to look the same outside the page (the page's stylesheet does not travel).
const SVG_PROPS = ['fill', 'stroke', 'stroke-width', 'stroke-dasharray', 'stroke-linecap', 'stroke-linejoin', 'paint-order',
  'font-family', 'font-size', 'font-weight', 'font-style', 'letter-spacing', 'text-anchor', 'font-variant-numeric'];

/** The cluster view as a PNG, under a title (what and when) and a line saying which scenario. */
export async function clusterPng(title, sub) {
  const svg = document.getElementById('cluster-view');
  const box = svg.getBoundingClientRect();
  if (!box.width || !box.height) throw new Error(t('export.err.hidden'));
  const clone = svg.cloneNode(true);
  const from = [svg, ...svg.querySelectorAll('*')];
  const to = [clone, ...clone.querySelectorAll('*')];
  const drop = [];
  from.forEach((el, i) => {
    const cs = getComputedStyle(el);
    if (cs.display === 'none') { drop.push(to[i]); return; }
    // Through the CSSOM: the page's Content-Security-Policy blocks setting the style attribute.
    for (const p of SVG_PROPS) to[i].style.setProperty(p, cs.getPropertyValue(p));
  });
  // The moving message dots are mid-flight animations: a still picture shows the arrows only.
  for (const a of clone.querySelectorAll('animateMotion')) drop.push(a.parentNode);
  for (const el of drop) el.remove();
  clone.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  clone.setAttribute('width', String(box.width));
  clone.setAttribute('height', String(box.height));
  const url = URL.createObjectURL(new Blob([new XMLSerializer().serializeToString(clone)], { type: 'image/svg+xml' }));
  try {
    const img = new Image();
    img.src = url;
    await img.decode();
    const u = Math.max(2, window.devicePixelRatio || 1); // crisp enough to print or project
    const W = Math.round(box.width * u);
    const H = Math.round(box.height * u);
    const sans = getComputedStyle(document.body).fontFamily;
    const text = (str, size, weight, color, before = 0) => textBlock({
      text: str, font: `${weight} ${size * u}px`, family: sans, color, x: 8 * u, width: W - 16 * u, lh: size * 1.4 * u, before: before * u,
    });
    const picture = { h: () => H, draw: (ctx, y) => ctx.drawImage(img, 0, y, W, H) };
    const canvas = await compose(W, [text(title, 14, 600, css('--ink'), 8), text(sub, 12, 400, css('--muted')), picture], css('--panel'));
    return await toBlob(canvas);
  } finally {
    URL.revokeObjectURL(url);
  }
}
