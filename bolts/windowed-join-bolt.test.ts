import { describe, expect, it } from '@jest/globals';
import { createTuple, type Tuple } from '../core/topology/api/tuple.js';
import { createTestContext, RecordingOutputCollector } from '../core/topology/testing/component-harness.js';
import { InvalidWindowConfigError, windowed } from '../core/topology/windowing/index.js';
import { WindowedJoinBolt, type WindowedJoinOptions } from './windowed-join-bolt.js';

const order = (id: number, userId: string, amount: number): Tuple => createTuple('orders', 'default', ['orderId', 'userId', 'amount'], [id, userId, amount]);
const user = (id: string, name: string): Tuple => createTuple('users', 'default', ['id', 'name'], [id, name]);

const options: WindowedJoinOptions = {
  by: 'component',
  left: { source: 'orders', keyField: 'userId' },
  right: { source: 'users', keyField: 'id' },
  select: ['orderId', 'name', 'orders:amount'],
};

async function runWindow(bolt: WindowedJoinBolt, tuples: readonly Tuple[]): Promise<RecordingOutputCollector> {
  const executor = windowed(bolt.withTumblingWindow({ count: tuples.length }));
  const collector = new RecordingOutputCollector();
  const context = createTestContext(executor, { componentId: 'join' });
  await executor.prepare(context.config, context, collector);
  for (const tuple of tuples) await executor.execute(tuple);
  return collector;
}

describe('windowed join bolt', () => {
  it('inner-joins the two inputs by key within a window, anchoring each pair to its two tuples', async () => {
    const ada = user('u1', 'Ada');
    const first = order(1, 'u1', 10);
    const tuples = [first, ada, order(2, 'u2', 20), order(3, 'u1', 30), user('u3', 'Cy')];
    const collector = await runWindow(new WindowedJoinBolt(options), tuples);
    expect(collector.emitted.map((emit) => emit.values)).toEqual([
      [1, 'Ada', 10],
      [3, 'Ada', 30],
    ]);
    expect(collector.emitted[0]?.anchors).toEqual([first, ada]);
    expect(collector.acked).toHaveLength(tuples.length);
  });

  it('left-joins with nulls for unmatched left tuples, and joins every match of a key', async () => {
    const tuples = [order(1, 'u1', 10), user('u1', 'Ada'), user('u1', 'Ada L.'), order(2, 'u2', 20)];
    const collector = await runWindow(new WindowedJoinBolt({ ...options, type: 'left' }), tuples);
    expect(collector.emitted.map((emit) => emit.values)).toEqual([
      [1, 'Ada', 10],
      [1, 'Ada L.', 10],
      [2, null, 20],
    ]);
    expect(collector.emitted[2]?.anchors).toEqual([tuples[3]]);
  });

  it('tells inputs apart by stream id when asked, and ignores other inputs', async () => {
    const byStream = new WindowedJoinBolt({ by: 'stream', left: { source: 'clicks', keyField: 'k' }, right: { source: 'views', keyField: 'k' }, select: ['k', 'clicks:n', 'views:seen'] });
    const tuple = (stream: string, k: string, n: number): Tuple => createTuple('events', stream, ['k', stream === 'views' ? 'seen' : 'n'], [k, n]);
    const collector = await runWindow(byStream, [tuple('clicks', 'a', 1), tuple('views', 'a', 2), tuple('other', 'a', 3)]);
    expect(collector.emitted.map((emit) => emit.values)).toEqual([['a', 1, 2]]);
  });

  it('does not join tuples of different windows', async () => {
    const executor = windowed(new WindowedJoinBolt(options).withTumblingWindow({ count: 2 }));
    const collector = new RecordingOutputCollector();
    const context = createTestContext(executor, { componentId: 'join' });
    await executor.prepare(context.config, context, collector);
    for (const tuple of [order(1, 'u1', 10), user('u9', 'Nobody'), user('u1', 'Ada'), order(2, 'u9', 5)]) await executor.execute(tuple);
    expect(collector.emitted).toEqual([]);
  });

  it('declares the selected fields and refuses unusable selections', () => {
    expect(createTestContext(windowed(new WindowedJoinBolt(options).withWindow({ count: 2 }))).outputFields()).toEqual(['orderId', 'name', 'amount']);
    expect(() => new WindowedJoinBolt({ ...options, select: ['payments:amount'] })).toThrow(InvalidWindowConfigError);
    expect(() => new WindowedJoinBolt({ ...options, select: ['name', 'users:name'] })).toThrow(InvalidWindowConfigError);
    expect(() => new WindowedJoinBolt({ ...options, right: { source: 'orders', keyField: 'id' } })).toThrow(InvalidWindowConfigError);
  });
});
