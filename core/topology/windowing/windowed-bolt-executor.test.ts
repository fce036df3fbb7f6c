import { describe, expect, it } from '@jest/globals';
import type { OutputCollector } from '../api/bolt.js';
import type { TopologyConfig } from '../api/config.js';
import { createTickTuple, createTuple, type Tuple } from '../api/tuple.js';
import type { OutputFieldsDeclarer } from '../builder/components.js';
import { createTestContext, RecordingOutputCollector } from '../testing/component-harness.js';
import { InvalidTimestampError, InvalidWindowConfigError, WindowExceedsTimeoutError, WindowExecuteError, WindowOverflowError } from './errors.js';
import { LATE_TUPLE_FIELDS } from './limits.js';
import type { TupleWindow } from './window.js';
import { copyComponent } from '../runtime/component-copy.js';
import { BaseWindowedBolt } from './windowed-bolt.js';
import { windowed, type WindowedBoltExecutor } from './windowed-bolt-executor.js';

/** Emits the window's values (field 'n') joined by commas, unanchored by default (so anchored to the window). */
class ListingBolt extends BaseWindowedBolt {
  readonly windows: TupleWindow[] = [];
  failOn: ((window: TupleWindow) => boolean) | undefined;
  declareOutputFields(declarer: OutputFieldsDeclarer): void {
    declarer.declare(['items', 'end']);
  }
  execute(window: TupleWindow, collector: OutputCollector): void {
    this.windows.push(window);
    if (this.failOn?.(window)) throw new Error('boom');
    collector.emit(null, [window.get().map((tuple) => tuple.getValueByField('n')).join(','), window.endTimestamp]);
  }
}

class FakeClock {
  nowMs = 0;
  readonly read = (): number => this.nowMs;
}

const number = (n: number, ts = n, sourceTask = 1): Tuple => createTuple('spout', 'default', ['n', 'ts'], [n, ts], sourceTask);

async function start(bolt: ListingBolt, config: TopologyConfig = {}): Promise<{ executor: WindowedBoltExecutor; collector: RecordingOutputCollector; clock: FakeClock }> {
  const clock = new FakeClock();
  const executor = windowed(bolt, { clock: clock.read });
  const collector = new RecordingOutputCollector();
  const context = createTestContext(executor, { componentId: 'windows', config });
  await executor.prepare(context.config, context, collector);
  return { executor, collector, clock };
}

const values = (n: readonly Tuple[]): unknown[] => n.map((tuple) => tuple.getValueByField('n'));

describe('windowed bolt executor', () => {
  it('fires processing-time sliding windows on ticks and acks each tuple only once it left every window', async () => {
    const bolt = new ListingBolt().withWindow({ durationMs: 1_000 }, { durationMs: 500 });
    const { executor, collector, clock } = await start(bolt);
    const tuples = [number(1), number(2), number(3)];
    clock.nowMs = 100;
    await executor.execute(tuples[0] as Tuple);
    clock.nowMs = 600;
    await executor.execute(tuples[1] as Tuple);
    await executor.execute(createTickTuple());
    expect(collector.emitted.map((emit) => emit.values)).toEqual([['1', 500]]);
    clock.nowMs = 1_100;
    await executor.execute(tuples[2] as Tuple);
    await executor.execute(createTickTuple());
    expect(collector.emitted.map((emit) => emit.values)).toEqual([['1', 500], ['1,2', 1_000]]);
    expect(collector.acked).toEqual([tuples[0]]); // 1 is in no window ending after 1000
    clock.nowMs = 2_000;
    await executor.execute(createTickTuple());
    expect(collector.emitted.map((emit) => emit.values).slice(2)).toEqual([['2,3', 1_500], ['3', 2_000]]);
    expect(collector.acked).toEqual(tuples); // 3 (at 1100) was in the windows ending 1500 and 2000, both fired
    expect(collector.failed).toEqual([]);
  });

  it('anchors unanchored emits to every tuple of the window, and keeps explicit anchors', async () => {
    class Anchoring extends ListingBolt {
      override execute(window: TupleWindow, collector: OutputCollector): void {
        collector.emit(null, ['all', 0]);
        collector.emit(window.get()[0] ?? null, ['first', 0]);
        collector.emit([], ['none', 0]);
      }
    }
    const { executor, collector } = await start(new Anchoring().withTumblingWindow({ count: 2 }));
    const tuples = [number(1), number(2)];
    for (const tuple of tuples) await executor.execute(tuple);
    expect(collector.emitted.map((emit) => emit.anchors)).toEqual([tuples, [tuples[0]], []]);
  });

  it('asks for ticks at a quarter slide for processing time and every watermark interval for event time', () => {
    const own = { 'my.setting': 1 };
    class Configured extends ListingBolt {
      override getComponentConfiguration(): TopologyConfig {
        return own;
      }
    }
    expect(windowed(new Configured().withWindow({ durationMs: 8_000 }, { durationMs: 2_000 })).getComponentConfiguration()).toEqual({ 'my.setting': 1, 'topology.tick.tuple.freq.secs': 0.5 });
    const eventTime = new Configured().withTumblingWindow({ durationMs: 5_000 }).withTimestampField('ts').withWatermarkInterval(250);
    expect(windowed(eventTime).getComponentConfiguration()).toMatchObject({ 'topology.tick.tuple.freq.secs': 0.25 });
    expect(windowed(new Configured().withWindow({ count: 3 })).getComponentConfiguration()).toBe(own);
  });

  it('count windows fire on tuples and ack what slid out', async () => {
    const { executor, collector } = await start(new ListingBolt().withWindow({ count: 3 }, { count: 1 }));
    const tuples = [1, 2, 3, 4].map((n) => number(n));
    for (const tuple of tuples) await executor.execute(tuple);
    expect(collector.emitted.map((emit) => emit.values[0])).toEqual(['1', '1,2', '1,2,3', '2,3,4']);
    expect(collector.acked).toEqual(tuples.slice(0, 2));
  });

  it('fires event-time windows when the watermark, computed at ticks, passes their end', async () => {
    const bolt = new ListingBolt().withTumblingWindow({ durationMs: 10 }).withTimestampField('ts').withLag(2);
    const { executor, collector } = await start(bolt);
    for (const [n, ts] of [[1, 3], [2, 11], [3, 12]] as const) await executor.execute(number(n, ts));
    expect(collector.emitted).toEqual([]); // no tick yet: the watermark has not moved
    await executor.execute(createTickTuple()); // watermark 12 − 2 = 10
    expect(collector.emitted.map((emit) => emit.values)).toEqual([['1', 10]]);
    expect(values(collector.acked)).toEqual([1]);
  });

  it('routes late tuples to the late-tuple stream and acks them', async () => {
    const bolt = new ListingBolt().withTumblingWindow({ durationMs: 10 }).withTimestampField('ts').withLateTupleStream('late');
    const { executor, collector } = await start(bolt);
    await executor.execute(number(1, 50));
    await executor.execute(createTickTuple()); // watermark 50
    const late = number(2, 49);
    await executor.execute(late);
    expect(collector.emitted).toEqual([{ streamId: 'late', values: ['spout', 'default', [2, 49], 49], anchors: [late] }]);
    expect(collector.acked).toEqual([late]);
    expect(executor.stats).toMatchObject({ lateEmitted: 1, lateDropped: 0 });
    expect(createTestContext(executor).outputFields('late')).toEqual(LATE_TUPLE_FIELDS);
  });

  it('acks and counts late tuples when no late-tuple stream is set', async () => {
    const { executor, collector } = await start(new ListingBolt().withTumblingWindow({ durationMs: 10 }).withTimestampField('ts'));
    await executor.execute(number(1, 50));
    await executor.execute(createTickTuple());
    await executor.execute(number(2, 10));
    expect(values(collector.acked)).toEqual([2]);
    expect(collector.emitted).toEqual([]);
    expect(executor.stats.lateDropped).toBe(1);
  });

  it('fails a tuple without a usable timestamp and reports it', async () => {
    const bolt = new ListingBolt().withTumblingWindow({ durationMs: 10 }).withTimestampExtractor((tuple) => Number(tuple.getValueByField('ts')));
    const { executor, collector } = await start(bolt);
    const bad = createTuple('spout', 'default', ['n', 'ts'], [1, 'yesterday']);
    await executor.execute(bad);
    expect(collector.failed).toEqual([bad]);
    expect(collector.errors[0]).toBeInstanceOf(InvalidTimestampError);
  });

  it('fails the oldest tuples beyond the buffer bound and reports the overflow', async () => {
    const { executor, collector, clock } = await start(new ListingBolt().withTumblingWindow({ durationMs: 1_000 }).withMaxBufferedTuples(2));
    const tuples = [1, 2, 3].map((n) => number(n));
    for (const tuple of tuples) {
      clock.nowMs += 1;
      await executor.execute(tuple);
    }
    expect(collector.failed).toEqual([tuples[0]]);
    expect(collector.errors[0]).toBeInstanceOf(WindowOverflowError);
    expect(executor.bufferedTuples).toBe(2);
  });

  it('fails a window’s tuples on expiry when execute throws, and reports the error', async () => {
    const bolt = new ListingBolt().withWindow({ count: 2 }, { count: 1 });
    bolt.failOn = (window) => window.get().length === 1;
    const { executor, collector } = await start(bolt);
    for (const n of [1, 2, 3]) await executor.execute(number(n));
    expect(values(collector.failed)).toEqual([1]);
    expect(values(collector.acked)).toEqual([2]);
    expect(collector.errors[0]).toBeInstanceOf(WindowExecuteError);
  });

  it('waits for an async execute before acking', async () => {
    const order: string[] = [];
    class Slow extends ListingBolt {
      override async execute(window: TupleWindow): Promise<void> {
        await new Promise((resolve) => setImmediate(resolve));
        order.push(`window ${window.get().length}`);
      }
    }
    const { executor, collector } = await start(new Slow().withTumblingWindow({ count: 2 }));
    const originalAck = collector.ack.bind(collector);
    collector.ack = (tuple) => {
      order.push('ack');
      originalAck(tuple);
    };
    await executor.execute(number(1));
    const pending = executor.execute(number(2));
    expect(pending).toBeInstanceOf(Promise);
    await pending;
    expect(order).toEqual(['window 2', 'ack', 'ack']);
  });

  it('refuses at prepare a time window a tuple would outlive its message timeout in, naming the component', async () => {
    const bolt = new ListingBolt().withWindow({ durationMs: 20_000 }, { durationMs: 10_000 });
    await expect(start(bolt)).rejects.toThrow(WindowExceedsTimeoutError);
    await expect(start(bolt)).rejects.toThrow(/'windows'/);
    await expect(start(bolt, { 'topology.message.timeout.secs': 31 })).resolves.toBeDefined();
  });

  it('refuses inconsistent settings at prepare and bad arguments at once', async () => {
    await expect(start(new ListingBolt())).rejects.toThrow(InvalidWindowConfigError);
    await expect(start(new ListingBolt().withWindow({ count: 3 }).withTimestampField('ts'))).rejects.toThrow(/count windows/);
    await expect(start(new ListingBolt().withWindow({ count: 10 }), { 'topology.max.spout.pending': 5 })).rejects.toThrow(/max.spout.pending/);
    expect(() => new ListingBolt().withWindow({ count: 0 })).toThrow(InvalidWindowConfigError);
    expect(() => new ListingBolt().withLag(-1)).toThrow(InvalidWindowConfigError);
    expect(() => new ListingBolt().withWindow({ durationMs: 10 }, { durationMs: 20 })).not.toThrow();
    await expect(start(new ListingBolt().withWindow({ durationMs: 10 }, { durationMs: 20 }))).rejects.toThrow(/no longer than the length/);
  });

  it('gives every task its own copy of the bolt, even when the runtime shares the bolt between task copies', async () => {
    class TaskNamed extends ListingBolt {
      taskId = 0;
      override prepare(_config: unknown, context: { taskId: number }): void {
        this.taskId = context.taskId;
      }
      override execute(_window: TupleWindow, collector: OutputCollector): void {
        collector.emit(null, [this.taskId, 0]);
      }
    }
    const template = windowed(new TaskNamed().withTumblingWindow({ count: 1 }));
    const collectors = [new RecordingOutputCollector(), new RecordingOutputCollector()];
    const tasks = [1, 2].map(() => copyComponent(template));
    for (const [index, task] of tasks.entries()) {
      const context = createTestContext(task, { componentId: 'windows', taskId: index + 1, componentTaskIds: [1, 2] });
      await task.prepare(context.config, context, collectors[index] as RecordingOutputCollector);
    }
    for (const task of tasks) await task.execute(number(1));
    expect(collectors.map((collector) => collector.emitted[0]?.values[0])).toEqual([1, 2]);
  });
});
