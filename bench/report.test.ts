import { describe, expect, it } from '@jest/globals';
import { ratioOf, reportMarkdown } from './report.js';

describe('benchmark report', () => {
  it('turns latencies and times into baseline / barista, throughputs into barista / baseline', () => {
    expect(ratioOf({ case: 'rate', unit: 'ops/s', barista: 50, baseline: 100, baselineName: 'loop' })).toBe(0.5);
    expect(ratioOf({ case: 'p99', unit: 'ms', barista: 20, baseline: 10, baselineName: 'zk', lowerIsBetter: true })).toBe(0.5);
  });

  it('writes the machine and one table per benchmark with goals met or missed', () => {
    const markdown = reportMarkdown('Machine: test', ['net', 'batch'], [
      { title: 'net', rows: [{ case: 'echo', unit: 'req/s', barista: 900, baseline: 1000, baselineName: 'raw socket', goal: 0.8 }] },
      { title: 'batch', rows: [{ case: 'count', unit: 's', barista: 2, baseline: 1, baselineName: 'plain loop', lowerIsBetter: true, goal: 1 }] },
    ]);
    expect(markdown).toContain('Machine: test');
    expect(markdown).toContain('| echo | 900 req/s | 1,000 req/s (raw socket) | 0.90x | met (≥ 0.80) |');
    expect(markdown).toContain('| count | 2.00 s | 1.00 s (plain loop) | 0.50x | missed (≥ 1.00) |');
    expect(markdown.indexOf('## net')).toBeLessThan(markdown.indexOf('## batch'));
  });
});
