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

/** Every table printed in this process, for bench/REPORT.md (`npm run bench` with no name). */
export const printedTables: Array<{ title: string; rows: Comparison[] }> = [];

export function ratioOf(row: Comparison): number {
  return row.lowerIsBetter ? row.baseline / row.barista : row.barista / row.baseline;
}

export function printComparisons(title: string, rows: Comparison[]): void {
  printedTables.push({ title, rows });
  console.log(`\n${title}`);
  const header = ['case', 'barista', 'baseline', 'ratio', 'goal'];
  const lines = rows.map((row) => {
    const ratio = ratioOf(row);
    const verdict = row.goal === undefined ? '' : `${ratio >= row.goal ? 'met' : 'MISSED'} (>= ${row.goal.toFixed(2)})`;
    return [row.case, `${format(row.barista)} ${row.unit}`, `${format(row.baseline)} ${row.unit} (${row.baselineName})`, `${ratio.toFixed(2)}x`, verdict];
  });
  const widths = header.map((_, column) => Math.max(header[column]!.length, ...lines.map((line) => line[column]!.length)));
  const render = (cells: string[]) => cells.map((cell, column) => cell.padEnd(widths[column]!)).join('  ');
  console.log(render(header));
  for (const line of lines) console.log(render(line));
}

/** bench/REPORT.md: the machine, then every table with its ratios and goals. */
export function reportMarkdown(machine: string, benchmarks: readonly string[], tables: ReadonlyArray<{ title: string; rows: Comparison[] }>): string {
  const lines = ['# Benchmark report', '', `Written by \`npm run bench\` (all benchmarks: ${benchmarks.join(', ')}). Every figure is next to a baseline measured in the same run; the ratio is Barista / baseline (baseline / Barista for latencies and times), so above 1 is better than the baseline.`, '', machine, ''];
  for (const { title, rows } of tables) {
    lines.push(`## ${title}`, '', '| case | barista | baseline | ratio | goal |', '|---|---|---|---|---|');
    for (const row of rows) {
      const ratio = ratioOf(row);
      const goal = row.goal === undefined ? '' : `${ratio >= row.goal ? 'met' : 'missed'} (≥ ${row.goal.toFixed(2)})`;
      lines.push(`| ${row.case} | ${format(row.barista)} ${row.unit} | ${format(row.baseline)} ${row.unit} (${row.baselineName}) | ${ratio.toFixed(2)}x | ${goal} |`);
    }
    lines.push('');
  }
  return `${lines.join('\n')}\n`;
}
