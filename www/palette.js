// Colours: the Okabe–Ito palette (safe for the common colour-vision deficiencies), one per
// downtime part in the engine's order, then "no leader". Every colour is also named in a legend.
export const PARTS = ['detection', 'controller_failover', 'waiting', 'election', 'persistence', 'propagation', 'client_discovery'];
const PART_HEX = ['#E69F00', '#CC79A7', '#D55E00', '#0072B2', '#56B4E9', '#009E73', '#F0E442'];

const darkQuery = matchMedia('(prefers-color-scheme: dark)');
export const isDark = () => darkQuery.matches;
export const onScheme = (f) => darkQuery.addEventListener('change', f);

/**
 * The 9 timeline colours as CSS hex: the parts, then "no leader", then "still served by the old
 * leader while it waits to be moved" (not downtime: the same pale blue as the partition map's).
 */
export const partColors = () => [...PART_HEX, isDark() ? '#EDEDED' : '#1B1F24', isDark() ? '#2f5878' : '#a9cbe6'];

/** The same as 0xRRGGBBAA for paintTimeline. */
export const paletteU32 = () =>
  Uint32Array.from(partColors(), (hex) => ((parseInt(hex.slice(1), 16) << 8) | 0xff) >>> 0);

/**
 * rowStates(t) values → colour. Up states (0 old leader, 5 new leader, 7 being moved while
 * served) are quiet neutrals; down states borrow the colour of the timeline part they match.
 */
export const STATE_ORDER = [0, 7, 1, 2, 3, 4, 5, 6];
export function stateColors() {
  const d = isDark();
  return [
    d ? '#39424d' : '#d5dbe2', // 0 served by the old leader
    '#D55E00', // 1 down, waiting in line (or for detection)
    '#0072B2', // 2 down, being elected
    '#56B4E9', // 3 down, recorded
    '#F0E442', // 4 down, published; clients not back yet
    d ? '#7e93a8' : '#8196ab', // 5 back, on the new leader
    d ? '#EDEDED' : '#1B1F24', // 6 no leader at all
    d ? '#2f5878' : '#a9cbe6', // 7 still served by the old leader while being moved
  ];
}
