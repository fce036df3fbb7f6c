import { describe, expect, it } from '@jest/globals';
import { createTuple } from '../core/topology/api/tuple.js';
import { RecordingBasicCollector } from '../core/topology/testing/component-harness.js';
import { LineWordDeltasBolt } from './line-word-deltas-bolt.js';

const record = (partition: unknown, offset: unknown, value: unknown) => createTuple('lines', 'default', ['partition', 'offset', 'key', 'value'], [partition, offset, null, value]);

describe('LineWordDeltasBolt', () => {
  it('emits one delta per distinct word of the line, counting repeats, at the record position', () => {
    const bolt = new LineWordDeltasBolt({ topic: 'raven' });
    const collector = new RecordingBasicCollector();
    bolt.execute(record(2, 41, 'Nevermore, quoth the Raven, nevermore!'), collector);
    expect(collector.emitted.map((emit) => emit.values)).toEqual([
      ['nevermore', 2, 'raven-2', 41],
      ['quoth', 1, 'raven-2', 41],
      ['the', 1, 'raven-2', 41],
      ['raven', 1, 'raven-2', 41],
    ]);
  });

  it('emits nothing for an empty line and refuses a record without a position', () => {
    const bolt = new LineWordDeltasBolt({ topic: 'raven' });
    const collector = new RecordingBasicCollector();
    bolt.execute(record(0, 7, ''), collector);
    expect(collector.emitted).toEqual([]);
    expect(() => bolt.execute(record('zero', 7, 'x'), collector)).toThrow(/field 'partition'/);
    expect(() => bolt.execute(record(0, -0.5, 'x'), collector)).toThrow(/field 'offset'/);
  });
});
