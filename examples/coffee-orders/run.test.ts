/** run.ts end to end, embedded (its own coord and broker): a morning's books balance and the views equal the ledger. */
import { describe, expect, it } from '@jest/globals';
import { parseMorningOptions, runMorning, RunUsageError } from './run.js';

describe('run.ts', () => {
  it('runs a morning on an embedded log and prints views equal to the ledger', async () => {
    const lines: string[] = [];
    const report = await runMorning(parseMorningOptions(['--orders', '120', '--seed', '9']), (line) => lines.push(line));
    expect(report.books.violations).toEqual([]);
    expect(report.books.delivered + report.books.cancelled + report.books.rejected).toBe(120);
    for (const [drink, figures] of report.revenue) expect({ drink, view: figures.view }).toEqual({ drink, view: figures.ledger });
    expect([...report.revenue.values()].some((figures) => figures.ledger > 0)).toBe(true);
    expect(lines.some((line) => line.includes('MISMATCH'))).toBe(false);
    expect(lines).toContain(`books: ${report.books.delivered} delivered, ${report.books.cancelled} cancelled, ${report.books.rejected} rejected records, ${report.books.writeOffs} drinks written off (${report.books.writeOffCents} cents), 0 broken promises`);
  }, 60_000);

  it('says which option is wrong', () => {
    expect(() => parseMorningOptions(['--orders', '0'])).toThrow(RunUsageError);
    expect(() => parseMorningOptions(['--seed', 'x'])).toThrow('--seed is "x"; expected an integer from 0');
  });
});
