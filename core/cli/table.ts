/** Aligned plain-text tables for the admin commands: a header row, then one row per item. */

/** Between columns; two spaces keep a column of numbers readable next to a column of names. */
const COLUMN_GAP = '  ';

/** Each column padded to its widest cell; trailing spaces dropped so that lines end at their last word. */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const lines = [header, ...rows];
  for (const line of rows) {
    if (line.length !== header.length) throw new RangeError(`table row has ${line.length} cells, the header ${header.length}`);
  }
  const widths = header.map((_, column) => Math.max(...lines.map((line) => line[column]!.length)));
  return lines.map((line) => line.map((cell, column) => cell.padEnd(widths[column]!)).join(COLUMN_GAP).trimEnd()).join('\n');
}
