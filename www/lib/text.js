// Small text helpers for messages and suggested commands.

/** `s` cut to `max` characters with an ellipsis in the middle, so both ends stay readable. */
export function clip(s, max = 120) {
  const v = String(s);
  if (v.length <= max) return v;
  const head = Math.ceil((max - 1) * 0.6);
  return `${v.slice(0, head)}…${v.slice(v.length - (max - 1 - head))}`;
}

/** `s` as one POSIX shell word: single quotes, each ' written as '\'' (plain words stay bare). */
export function shellQuote(s) {
  const v = String(s);
  return /^[A-Za-z0-9_./:=@%+,-]+$/.test(v) ? v : `'${v.replace(/'/g, "'\\''")}'`;
}
