// Colours: the Okabe–Ito palette (safe for the common colour-vision deficiencies), keyed by the
// engine's names for downtime parts and partition states (catalog().downtime_parts,
// partition_states), so the engine owns the order and the codes and this file only the look.
// Every colour is also named in a legend.
import { catalog } from './catalog.js';

export const PART_HEX = {
  detection: '#E69F00', controller_failover: '#CC79A7', waiting: '#D55E00', election: '#0072B2',
  persistence: '#56B4E9', propagation: '#009E73', client_discovery: '#F0E442',
};
// A part or state the engine adds before it gets a colour here still draws, in a visible grey.
const UNKNOWN = '#999999';

const darkQuery = matchMedia('(prefers-color-scheme: dark)');
export const isDark = () => darkQuery.matches;
export const onScheme = (f) => darkQuery.addEventListener('change', f);

/** The downtime parts in the engine's order (the timeline's colours and breakdowns follow it). */
export const parts = () => catalog().downtime_parts;

/**
 * The timeline colours as CSS hex: the parts in the engine's order, then "no leader", then "still
 * served by the old leader while it waits to be moved" (not downtime: the same pale blue as the
 * partition map's); paintTimeline takes them in this order.
 */
// The `restart` part (waiting for the failed broker's return) has no colour of its own: the engine
// paints it with "no leader" (timeline.rs NO_LEADER_PART), so it takes no palette entry here.
export const paintedParts = () => parts().filter((p) => p !== 'restart');
export const partColors = () => [...paintedParts().map((p) => PART_HEX[p] ?? UNKNOWN), isDark() ? '#EDEDED' : '#1B1F24', stateHex(isDark()).served_while_moving];

/** The same as 0xRRGGBBAA for paintTimeline. */
export const paletteU32 = () =>
  Uint32Array.from(partColors(), (hex) => ((parseInt(hex.slice(1), 16) << 8) | 0xff) >>> 0);

/**
 * Partition-map colours by state name: down states borrow the colour of the timeline part they
 * match; the up states are told apart by hue as well as lightness (a quiet neutral while the old
 * leader serves, a pale blue while it serves during the move, a muted green once back on the new
 * leader), chosen so that every pair stays at least 12 CIEDE2000 apart with normal vision and
 * simulated protanopia, deuteranopia and tritanopia, in both themes (tests/unit/palette.test.mjs).
 */
export function stateHex(d) {
  return {
    served_by_old_leader: d ? '#2c3138' : '#ddddcc',
    waiting: PART_HEX.waiting, // in line (or waiting for detection)
    being_elected: PART_HEX.election,
    recorded: PART_HEX.persistence,
    published: PART_HEX.client_discovery, // clients not back yet
    back_on_new_leader: d ? '#778866' : '#667755',
    no_leader: d ? '#EDEDED' : '#1B1F24',
    served_while_moving: d ? '#004477' : '#bbddee',
  };
}

/** rowStates(t) code → colour, indexed by the engine's codes. */
export function stateColors() {
  const hex = stateHex(isDark());
  return catalog().partition_states.map((s) => hex[s.name] ?? UNKNOWN);
}

// The legend reads from "still served" through the down states to "back".
const LEGEND = ['served_by_old_leader', 'served_while_moving', 'waiting', 'being_elected', 'recorded', 'published', 'back_on_new_leader', 'no_leader'];
/** The engine's state codes in legend order (states the engine adds come last). */
export function stateOrder() {
  const states = catalog().partition_states;
  const rank = (s) => { const i = LEGEND.indexOf(s.name); return i < 0 ? LEGEND.length + s.code : i; };
  return [...states].sort((a, b) => rank(a) - rank(b)).map((s) => s.code);
}
