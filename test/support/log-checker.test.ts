import { describe, expect, it } from '@jest/globals';
import { checkPartitionHistory } from './log-checker.js';

const log = (...values: string[]) => values.map((value, offset) => ({ value, offset }));

describe('replicated log history checker', () => {
  it('accepts a log holding every acknowledged record in order, plus unacknowledged ones', () => {
    expect(checkPartitionHistory([{ value: 'a', offset: 0 }, { value: 'c', offset: 2 }], log('a', 'b', 'c'))).toEqual([]);
  });

  it('reports a lost acknowledged record', () => {
    expect(checkPartitionHistory([{ value: 'a', offset: 0 }, { value: 'b', offset: 1 }], log('a'))).toEqual(['acknowledged value b (offset 1) is lost']);
  });

  it('reports duplicates, divergent offsets and reordering', () => {
    const violations = checkPartitionHistory([{ value: 'b', offset: 0 }, { value: 'a', offset: 1 }], log('a', 'b', 'a'));
    expect(violations).toEqual(expect.arrayContaining([expect.stringMatching(/appears twice/), expect.stringMatching(/divergent/), expect.stringMatching(/out of acknowledgement order/)]));
  });

  it('reports gaps in the offsets', () => {
    expect(checkPartitionHistory([], [{ value: 'a', offset: 0 }, { value: 'b', offset: 2 }])).toEqual(['offset 2 at position 1: the log has a gap or a repeat']);
  });
});
