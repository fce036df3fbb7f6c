import { describe, expect, it } from '@jest/globals';
import { createTickTuple, createTuple } from '../core/topology/api/index.js';
import { DEFAULT_STREAM_ID } from '../core/topology/builder/limits.js';
import { copyComponent } from '../core/topology/runtime/component-copy.js';
import { createTestContext } from '../core/topology/testing/component-harness.js';
import { CollectedTuples, CollectSink } from './collect-sink.js';
import { CollectionFullError, CollectTimeoutError, InvalidBoltOptionError } from './errors.js';

const count = (word: string, n: number) => createTuple('counter', DEFAULT_STREAM_ID, ['word', 'count'], [word, n], 7);

function preparedCopy(template: CollectSink, taskId: number): CollectSink {
  const copy = copyComponent(template);
  const context = createTestContext(copy, { taskId, componentTaskIds: [3, 4] });
  copy.prepare(context.config, context);
  return copy;
}

describe('collect sink', () => {
  it('collects what every task copy receives into the one shared store, skipping ticks', () => {
    const store = new CollectedTuples();
    const template = new CollectSink(store);
    const [first, second] = [preparedCopy(template, 3), preparedCopy(template, 4)];
    first.execute(count('a', 1));
    second.execute(count('b', 1));
    first.execute(createTickTuple());
    expect(store.values()).toEqual([['a', 1], ['b', 1]]);
    expect(store.all().map((tuple) => [tuple.sinkTaskId, tuple.sourceComponent, tuple.sourceTask, tuple.fields])).toEqual([
      [3, 'counter', 7, ['word', 'count']],
      [4, 'counter', 7, ['word', 'count']],
    ]);
  });

  it('resolves waiters once enough tuples (or the awaited ones) arrive', async () => {
    const store = new CollectedTuples();
    const sink = preparedCopy(new CollectSink(store), 3);
    const two = store.waitFor(2);
    const seenB = store.waitUntil('b', (tuples) => tuples.some((tuple) => tuple.values[0] === 'b'));
    sink.execute(count('a', 1));
    sink.execute(count('b', 1));
    expect((await two).length).toBe(2);
    expect((await seenB).map((tuple) => tuple.values[0])).toEqual(['a', 'b']);
    expect(await store.waitFor(1)).toHaveLength(2);
  });

  it('times out a wait with a typed error naming what it waited for', async () => {
    const store = new CollectedTuples();
    await expect(store.waitFor(1, 20)).rejects.toThrow(CollectTimeoutError);
  });

  it('fails tuples beyond its capacity', () => {
    const store = new CollectedTuples(1);
    const sink = preparedCopy(new CollectSink(store), 3);
    sink.execute(count('a', 1));
    expect(() => sink.execute(count('b', 1))).toThrow(CollectionFullError);
    store.clear();
    sink.execute(count('c', 1));
    expect(store.values()).toEqual([['c', 1]]);
    expect(() => new CollectedTuples(0)).toThrow(InvalidBoltOptionError);
  });
});
