/**
 * The offsets a realtime record has applied above its settled floor, as a sorted array of safe
 * integers, and their compact stored form. Pure: no I/O.
 *
 * Stored as base64 of unsigned LEB128 varints of the gaps: the first offset minus the floor, then
 * each offset minus the one before (every gap ≥ 1). Offsets of one key in an unsettled window sit
 * close together, so most gaps take one byte — a JSON array of decimals would take six or more.
 */

/** Index of the first element > offset (binary search over ascending `offsets`). */
function firstAbove(offsets: readonly number[], offset: number): number {
  let low = 0;
  let high = offsets.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (offsets[middle]! <= offset) low = middle + 1;
    else high = middle;
  }
  return low;
}

export function hasOffset(offsets: readonly number[], offset: number): boolean {
  const at = firstAbove(offsets, offset);
  return at > 0 && offsets[at - 1] === offset;
}

/** Inserts `offset` in place, keeping the array ascending; it must not be present. */
export function insertOffset(offsets: number[], offset: number): void {
  offsets.splice(firstAbove(offsets, offset), 0, offset);
}

/** The offsets above `floor` (the same array when none is at or below it). */
export function offsetsAbove(offsets: number[], floor: number): number[] {
  const at = firstAbove(offsets, floor);
  return at === 0 ? offsets : offsets.slice(at);
}

export function encodeOffsetsAbove(floor: number, offsets: readonly number[]): string {
  const bytes: number[] = [];
  let previous = floor;
  for (const offset of offsets) {
    let gap = offset - previous;
    previous = offset;
    // Division, not bit shifts: gaps may exceed 32 bits.
    while (gap >= 0x80) {
      bytes.push((gap % 0x80) | 0x80);
      gap = Math.floor(gap / 0x80);
    }
    bytes.push(gap);
  }
  return Buffer.from(bytes).toString('base64');
}

/** The offsets, or a reason they do not decode (a gap < 1, an overlong varint, a truncated one). */
export function decodeOffsetsAbove(floor: number, base64: string): number[] | string {
  const bytes = Buffer.from(base64, 'base64');
  const offsets: number[] = [];
  let previous = floor;
  let gap = 0;
  let scale = 1;
  for (const byte of bytes) {
    gap += (byte & 0x7f) * scale;
    if (!Number.isSafeInteger(gap)) return 'offset gap beyond a safe integer';
    if (byte & 0x80) {
      scale *= 0x80;
      continue;
    }
    if (gap < 1) return 'offsets not increasing';
    previous += gap;
    if (!Number.isSafeInteger(previous)) return 'offset beyond a safe integer';
    offsets.push(previous);
    gap = 0;
    scale = 1;
  }
  if (scale !== 1) return 'truncated offset gap';
  return offsets;
}
