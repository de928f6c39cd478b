// HTTP Range requests, one rule for every server here (browser mode, the desktop app's media://,
// the sandbox's result URLs).

export type ByteRange = { start: number; end: number };

/**
 * One `bytes=` range of a representation of `size` bytes (multiple ranges are answered with the
 * whole file, as RFC 9110 allows): undefined for none, 'unsatisfiable' for a 416. A suffix longer
 * than the file is the whole file (RFC 9110 §14.1.2).
 */
export function parseRange(header: string | null | undefined, size: number): ByteRange | 'unsatisfiable' | undefined {
  const m = header && /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return undefined;
  if (m[1] === '') {
    const n = Number(m[2]);
    return n === 0 || size === 0 ? 'unsatisfiable' : { start: Math.max(0, size - n), end: size - 1 };
  }
  const start = Number(m[1]);
  const end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  return start >= size || start > end ? 'unsatisfiable' : { start, end };
}
