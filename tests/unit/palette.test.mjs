// The page's colours stay distinguishable: every pair of partition-map state colours, and the
// timeline's colours, compared with CIEDE2000 as seen with normal vision and with simulated
// protanopia, deuteranopia and tritanopia (Machado et al. 2009), in the light and the dark theme.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { VISIONS, de2000, hexRgb, lab, simulate } from './colors.mjs';

// palette.js reads the colour scheme at load: Node has no matchMedia.
globalThis.matchMedia ??= () => ({ matches: false, addEventListener() {} });
const { PART_HEX, stateHex } = await import('../../www/lib/palette.js');

const NEUTRAL = new Set(['served_by_old_leader', 'served_while_moving', 'back_on_new_leader', 'no_leader']);
const MIN_NEUTRAL = 12; // a pair with a neutral (up) state: the states the fix made distinct
const MIN_ANY = 10; // Okabe–Ito's parts among themselves (their closest pair is about 11)

function pairs(named) {
  const out = [];
  const e = Object.entries(named);
  for (const v of VISIONS) {
    for (let i = 0; i < e.length; i++) {
      for (let j = i + 1; j < e.length; j++) {
        out.push({ v, a: e[i][0], b: e[j][0], de: de2000(lab(simulate(hexRgb(e[i][1]), v)), lab(simulate(hexRgb(e[j][1]), v))) });
      }
    }
  }
  return out;
}

test('CIEDE2000 matches Sharma et al.\'s reference pairs', () => {
  assert.ok(Math.abs(de2000([50, 2.6772, -79.7751], [50, 0, -82.7485]) - 2.0425) < 1e-3);
  assert.ok(Math.abs(de2000([50, 2.5, 0], [73, 25, -18]) - 27.1492) < 1e-3);
  assert.ok(Math.abs(de2000([2.0776, 0.0795, -1.135], [0.9033, -0.0636, -0.5514]) - 0.9082) < 1e-3);
});

for (const dark of [false, true]) {
  const theme = dark ? 'dark' : 'light';
  test(`partition-map states are distinguishable (${theme} theme, ${VISIONS.join(', ')})`, () => {
    const bad = pairs(stateHex(dark)).filter((p) => p.de < ((NEUTRAL.has(p.a) || NEUTRAL.has(p.b)) ? MIN_NEUTRAL : MIN_ANY));
    assert.deepEqual(bad.map((p) => `${p.v}: ${p.a} vs ${p.b} ΔE00 ${p.de.toFixed(1)}`), []);
  });
  test(`"served by the old leader" and "back, on the new leader" differ clearly (${theme})`, () => {
    const s = stateHex(dark);
    for (const v of VISIONS) {
      const de = de2000(lab(simulate(hexRgb(s.served_by_old_leader), v)), lab(simulate(hexRgb(s.back_on_new_leader), v)));
      assert.ok(de >= 20, `${v}: ΔE00 ${de.toFixed(1)}`);
    }
  });
  test(`timeline colours are distinguishable (${theme} theme)`, () => {
    const s = stateHex(dark);
    const named = { ...PART_HEX, no_leader: s.no_leader, served_while_moving: s.served_while_moving };
    const bad = pairs(named).filter((p) => p.de < ((NEUTRAL.has(p.a) || NEUTRAL.has(p.b)) ? MIN_NEUTRAL : MIN_ANY));
    assert.deepEqual(bad.map((p) => `${p.v}: ${p.a} vs ${p.b} ΔE00 ${p.de.toFixed(1)}`), []);
  });
}
