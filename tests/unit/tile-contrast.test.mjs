// The Partition panel's replica tiles (www/styles.css, .rep): every tile's text keeps WCAG AA
// contrast (4.5:1) on its fill, and the fills of a leader, a leader that is down and a replica
// that is down stay apart for normal vision and simulated protanopia, deuteranopia and tritanopia
// (CIEDE2000, as tests/unit/palette.test.mjs does for the timeline and the partition map), in the
// light and the dark theme. The colours are read from the stylesheet's custom properties.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { VISIONS, de2000, hexRgb, lab, simulate } from './colors.mjs';

const css = readFileSync(new URL('../../www/styles.css', import.meta.url), 'utf8');

/** The custom properties of :root, light, and with the dark theme's overrides. */
function themes() {
  const blocks = [...css.matchAll(/(@media\s*\(prefers-color-scheme:\s*dark\)\s*\{\s*)?:root\s*\{([^}]*)\}/g)];
  const props = (body) => [...body.matchAll(/(--[\w-]+)\s*:\s*([^;]+);?/g)].map(([, name, value]) => [name, value.trim()]);
  const light = Object.fromEntries(blocks.filter(([, dark]) => !dark).flatMap(([, , body]) => props(body)));
  const dark = { ...light, ...Object.fromEntries(blocks.filter(([, dark]) => dark).flatMap(([, , body]) => props(body))) };
  return { light, dark };
}

function resolve(vars, value, depth = 0) {
  assert.ok(depth < 10, `var() loop at ${value}`);
  const m = /^var\((--[\w-]+)\)$/.exec(value.trim());
  if (m) {
    assert.ok(m[1] in vars, `${m[1]} is not defined`);
    return resolve(vars, vars[m[1]], depth + 1);
  }
  assert.match(value, /^#(?:[0-9a-fA-F]{3}){1,2}$/, `not a #rgb or #rrggbb colour: ${value}`);
  const hex = value.toLowerCase();
  return hex.length === 4 ? `#${[...hex.slice(1)].map((c) => c + c).join('')}` : hex;
}

const luminance = (hex) => {
  const [r, g, b] = hexRgb(hex).map((c) => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
};
const contrast = (a, b) => {
  const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
  return (x + 0.05) / (y + 0.05);
};
const minDe = (a, b) => Math.min(...VISIONS.map((v) => de2000(lab(simulate(hexRgb(a), v)), lab(simulate(hexRgb(b), v)))));

// [tile, text property, fill property]: the rules of .rep, .rep.leader, .rep.down, .rep.leader.down.
const TILES = [
  ['leader', '--accent-ink', '--accent'],
  ['down', '--muted', '--rep-down-bg'],
  ['leader, down', '--ink', '--rep-leader-down'],
];

test('the stylesheet gives the down tiles solid colours (no opacity that would wash their text out)', () => {
  const rules = [...css.matchAll(/\.rep\.[\w.]*down[^{]*\{([^}]*)\}/g)].map((m) => m[1]);
  assert.ok(rules.length >= 2, 'no .rep.down rules');
  for (const r of rules) assert.doesNotMatch(r, /opacity/, `a down tile sets opacity: ${r}`);
  assert.match(css, /\.rep\.down\s*\{[^}]*background:\s*var\(--rep-down-bg\)[^}]*color:\s*var\(--muted\)/);
  assert.match(css, /\.rep\.leader\.down\s*\{[^}]*background:\s*var\(--rep-leader-down\)[^}]*color:\s*var\(--ink\)/);
});

for (const [theme, vars] of Object.entries(themes())) {
  test(`replica tiles: text contrast at least 4.5:1 (${theme} theme)`, () => {
    const bad = TILES.map(([tile, fg, bg]) => [tile, contrast(resolve(vars, vars[fg]), resolve(vars, vars[bg]))])
      .filter(([, c]) => c < 4.5).map(([tile, c]) => `${tile}: ${c.toFixed(2)}:1`);
    assert.deepEqual(bad, []);
  });
  test(`replica tiles: leader, leader down and down fills are told apart (${theme} theme, ${VISIONS.join(', ')})`, () => {
    const fill = (p) => resolve(vars, vars[p]);
    const pairs = [['leader', '--accent', 'leader, down', '--rep-leader-down', 20], ['leader, down', '--rep-leader-down', 'down', '--rep-down-bg', 10]];
    const bad = pairs.map(([a, pa, b, pb, min]) => [a, b, minDe(fill(pa), fill(pb)), min])
      .filter(([, , de, min]) => de < min).map(([a, b, de, min]) => `${a} vs ${b}: ΔE00 ${de.toFixed(1)} < ${min}`);
    assert.deepEqual(bad, []);
  });
}
