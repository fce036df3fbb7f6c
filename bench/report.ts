/** Benchmark output: every figure next to its same-run baseline and the ratio between them. */

export interface Comparison {
  case: string;
  unit: string;
  barista: number;
  baseline: number;
  baselineName: string;
  /** Target ratio from the issue, if any. */
  goal?: number;
  /** For latencies: the ratio is baseline / barista, so above 1.0 still means Barista is better. */
  lowerIsBetter?: boolean;
}

function format(value: number): string {
  if (value >= 100) return Math.round(value).toLocaleString('en-US');
  return value.toFixed(2);
}

export function printComparisons(title: string, rows: Comparison[]): void {
  console.log(`\n${title}`);
  const header = ['case', 'barista', 'baseline', 'ratio', 'goal'];
  const lines = rows.map((row) => {
    const ratio = row.lowerIsBetter ? row.baseline / row.barista : row.barista / row.baseline;
    const verdict = row.goal === undefined ? '' : `${ratio >= row.goal ? 'met' : 'MISSED'} (>= ${row.goal.toFixed(2)})`;
    return [row.case, `${format(row.barista)} ${row.unit}`, `${format(row.baseline)} ${row.unit} (${row.baselineName})`, `${ratio.toFixed(2)}x`, verdict];
  });
  const widths = header.map((_, column) => Math.max(header[column]!.length, ...lines.map((line) => line[column]!.length)));
  const render = (cells: string[]) => cells.map((cell, column) => cell.padEnd(widths[column]!)).join('  ');
  console.log(render(header));
  for (const line of lines) console.log(render(line));
}
