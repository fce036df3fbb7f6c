import { describe, expect, it } from '@jest/globals';
import { createTickTuple, createTuple, type Tuple } from '../core/topology/api/tuple.js';
import { createTestContext, RecordingOutputCollector } from '../core/topology/testing/component-harness.js';
import { windowed } from '../core/topology/windowing/index.js';
import { WindowedWordCountBolt } from './windowed-word-count-bolt.js';

const word = (text: string, ts = 0): Tuple => createTuple('split', 'default', ['word', 'ts'], [text, ts]);

async function start(bolt: WindowedWordCountBolt, clock: () => number = () => 0) {
  const executor = windowed(bolt, { clock });
  const collector = new RecordingOutputCollector();
  const context = createTestContext(executor, { componentId: 'count' });
  await executor.prepare(context.config, context, collector);
  return { executor, collector };
}

describe('windowed word count bolt', () => {
  it('counts words per tumbling count window, anchoring each count to its words', async () => {
    const { executor, collector } = await start(new WindowedWordCountBolt().withTumblingWindow({ count: 4 }));
    const tuples = ['the', 'cat', 'the', 'hat', 'the'].map((text) => word(text));
    for (const tuple of tuples) await executor.execute(tuple);
    expect(collector.emitted.map((emit) => emit.values.slice(0, 2))).toEqual([
      ['the', 2],
      ['cat', 1],
      ['hat', 1],
    ]);
    expect(collector.emitted[0]?.anchors).toEqual([tuples[0], tuples[2]]);
    expect(collector.acked).toEqual(tuples.slice(0, 4));
  });

  it('counts over sliding event-time windows and stamps each count with its window end', async () => {
    const bolt = new WindowedWordCountBolt().withWindow({ durationMs: 20 }, { durationMs: 10 }).withTimestampField('ts');
    const { executor, collector } = await start(bolt);
    for (const [text, ts] of [['a', 1], ['b', 12], ['a', 15], ['z', 40]] as const) await executor.execute(word(text, ts));
    await executor.execute(createTickTuple()); // watermark 40
    expect(collector.emitted.map((emit) => emit.values)).toEqual([
      ['a', 1, 10],
      ['a', 2, 20],
      ['b', 1, 20],
      ['b', 1, 30],
      ['a', 1, 30],
    ]);
  });

  it('declares (word, count, windowEnd)', () => {
    expect(createTestContext(windowed(new WindowedWordCountBolt().withWindow({ count: 2 }))).outputFields()).toEqual(['word', 'count', 'windowEnd']);
  });
});
