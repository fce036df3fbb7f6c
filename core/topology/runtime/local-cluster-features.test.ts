import { afterEach, describe, expect, it } from '@jest/globals';
import type { OutputCollector } from '../api/bolt.js';
import type { SpoutOutputCollector } from '../api/spout.js';
import type { ResolvedConfig } from '../api/config.js';
import type { TopologyContext } from '../api/context.js';
import { isTickTuple, type Tuple } from '../api/tuple.js';
import type { OutputFieldsDeclarer } from '../builder/components.js';
import { TopologyBuilder } from '../builder/topology-builder.js';
import { until } from '../../../test/support/until.js';
import { LocalCluster } from './local-cluster.js';
import { CountBolt, Ledger, SentenceSpout, SplitBolt } from './test-components.js';

const SENTENCES = Array.from({ length: 40 }, (_, index) => `w${index % 4} x${index % 5}`);

/** Records (taskId, tuple kind) pairs in a shared list. */
class Recorder {
  readonly events: { taskId: number; tick: boolean; values: readonly unknown[] }[] = [];
}

class RecordingBolt {
  readonly autoAck = true as const;
  private taskId = 0;

  constructor(private readonly recorder: Recorder) {}

  declareOutputFields(): void {}

  prepare(_config: ResolvedConfig, context: TopologyContext): void {
    this.taskId = context.taskId;
  }

  execute(input: Tuple): void {
    this.recorder.events.push({ taskId: this.taskId, tick: isTickTuple(input), values: input.values });
  }
}

/** Sends each word directly to task (length of word) mod n of the receivers. */
class DirectRouter {
  private collector!: OutputCollector;
  private receivers: readonly number[] = [];

  declareOutputFields(declarer: OutputFieldsDeclarer): void {
    declarer.declare(['word'], { direct: true });
  }

  prepare(_config: ResolvedConfig, context: TopologyContext, collector: OutputCollector): void {
    this.collector = collector;
    this.receivers = context.taskIdsOf('sink');
  }

  execute(input: Tuple): void {
    const word = input.getStringByField('word');
    this.collector.emitDirect(this.receivers[word.length % this.receivers.length] as number, input, [word]);
    this.collector.ack(input);
  }
}

let cluster: LocalCluster;
afterEach(async () => {
  await cluster.shutdown();
});

describe('LocalCluster features', () => {
  it('delivers tick tuples to every task of a component configured with a tick frequency', async () => {
    cluster = new LocalCluster();
    const recorder = new Recorder();
    const builder = new TopologyBuilder();
    builder.setSpout('sentences', new SentenceSpout([], new Ledger()));
    builder.setBolt('ticked', new RecordingBolt(recorder), 2).shuffleGrouping('sentences').addConfiguration('topology.tick.tuple.freq.secs', 0.02);
    await cluster.submitTopology('ticks', {}, builder.createTopology());
    await until('two ticks on each task', () => [1, 2].every((task) => recorder.events.filter((event) => event.tick && event.taskId === task + 1).length >= 2));
    expect(recorder.events.every((event) => event.tick)).toBe(true);
  });

  it('routes emitDirect tuples to the chosen task only', async () => {
    cluster = new LocalCluster();
    const recorder = new Recorder();
    const ledger = new Ledger();
    const builder = new TopologyBuilder();
    builder.setSpout('sentences', new SentenceSpout(['a bb ccc dddd', 'ee f'], ledger));
    builder.setBolt('split', new SplitBolt()).shuffleGrouping('sentences');
    builder.setBolt('router', new DirectRouter()).shuffleGrouping('split');
    builder.setBolt('sink', new RecordingBolt(recorder), 3).directGrouping('router');
    const topology = builder.createTopology();
    await cluster.submitTopology('direct', {}, topology);
    await until('both sentences acked', () => ledger.acked.size === 2);
    const sinkTasks = topology.components.find((component) => component.id === 'sink')?.taskIds ?? [];
    for (const event of recorder.events) {
      const word = String(event.values[0]);
      expect(event.taskId).toBe(sinkTasks[word.length % sinkTasks.length]);
    }
    expect(recorder.events.map((event) => event.values[0]).sort()).toEqual(['a', 'bb', 'ccc', 'dddd', 'ee', 'f']);
  });

  it('keeps at most topology.max.spout.pending trees in flight per spout task', async () => {
    cluster = new LocalCluster();
    const ledger = new Ledger();
    const sentences = Array.from({ length: 300 }, (_, index) => `s${index}`);
    let inFlight = 0;
    let maxInFlight = 0;
    const builder = new TopologyBuilder();
    builder.setSpout('sentences', new SentenceSpout(sentences, ledger)).setMaxSpoutPending(7);
    builder.setBolt('slow', {
      autoAck: true as const,
      declareOutputFields: () => undefined,
      execute: async () => {
        maxInFlight = Math.max(maxInFlight, ++inFlight);
        await new Promise((resolve) => setTimeout(resolve, 0));
        inFlight--;
      },
    }).shuffleGrouping('sentences');
    await cluster.submitTopology('pending', {}, builder.createTopology());
    const probe = setInterval(() => {
      maxInFlight = Math.max(maxInFlight, cluster.pendingTrees('pending'));
    }, 1);
    await until('all acked', () => ledger.acked.size === sentences.length, 30_000);
    clearInterval(probe);
    expect(maxInFlight).toBeLessThanOrEqual(7);
    expect(maxInFlight).toBeGreaterThan(1);
  });

  it('stops emitting while deactivated and resumes on activate', async () => {
    cluster = new LocalCluster();
    const ledger = new Ledger();
    const builder = new TopologyBuilder();
    builder.setSpout('sentences', new SentenceSpout(SENTENCES, ledger));
    builder.setBolt('split', new SplitBolt()).shuffleGrouping('sentences');
    await cluster.submitTopology('pause', {}, builder.createTopology(), { inactive: true });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(ledger.emitted).toBe(0);
    cluster.activate('pause');
    await until('all acked', () => ledger.acked.size === SENTENCES.length);
    cluster.deactivate('pause');
    expect(cluster.getStats('pause').find((stats) => stats.componentId === 'sentences')?.emitted).toBe(SENTENCES.length);
  });

  it('rebalances to a new parallelism and keeps processing', async () => {
    cluster = new LocalCluster();
    const ledger = new Ledger();
    const builder = new TopologyBuilder();
    builder.setSpout('sentences', new SentenceSpout(SENTENCES, ledger));
    builder.setBolt('split', new SplitBolt()).shuffleGrouping('sentences');
    builder.setBolt('count', new CountBolt(ledger), 2).fieldsGrouping('split', ['word']);
    await cluster.submitTopology('rebalance', {}, builder.createTopology());
    await until('all acked', () => ledger.acked.size === SENTENCES.length);
    await cluster.rebalance('rebalance', { parallelism: { count: 4, split: 3 } });
    // The restarted spout is a fresh copy: it emits its whole list again, through 3 splitters and 4 counters.
    await until('list acked again', () => [...ledger.acked.values()].every((times) => times === 2));
    const stats = cluster.getStats('rebalance');
    expect(stats.find((entry) => entry.componentId === 'count')?.executed).toBe(SENTENCES.length * 2);
    expect(ledger.countOf('w0')).toBe((SENTENCES.length / 4) * 2);
  });

  it('exports per-component figures in the Prometheus text format', async () => {
    cluster = new LocalCluster();
    const ledger = new Ledger();
    const builder = new TopologyBuilder();
    builder.setSpout('sentences', new SentenceSpout(SENTENCES, ledger));
    builder.setBolt('split', new SplitBolt(), 2).shuffleGrouping('sentences');
    await cluster.submitTopology('metrics', {}, builder.createTopology());
    await until('all acked', () => ledger.acked.size === SENTENCES.length);
    const text = await cluster.registry.metrics();
    const sample = (name: string, component: string): string | undefined =>
      text.split('\n').find((line) => line.startsWith(`${name}{topology="metrics",component="${component}"`))?.split(' ')[1];
    expect(sample('barista_topology_acked_total', 'sentences')).toBe(String(SENTENCES.length));
    expect(sample('barista_topology_executed_total', 'split')).toBe(String(SENTENCES.length));
    expect(sample('barista_topology_emitted_total', 'split')).toBe(String(SENTENCES.length * 2));
    expect(text).toMatch(/barista_topology_complete_latency_ms\{topology="metrics",component="sentences",quantile="0.99",service="topology"\} [0-9.e-]+/);
  });
});

describe('LocalCluster shutdown', () => {
  it('lets a bolt ack in cleanup and an async nextTuple finish before spouts close', async () => {
    cluster = new LocalCluster();
    const log: string[] = [];
    class SlowSpout {
      private collector!: SpoutOutputCollector;
      private emitted = 0;
      declareOutputFields(declarer: OutputFieldsDeclarer): void {
        declarer.declare(['n']);
      }
      open(_config: ResolvedConfig, _context: TopologyContext, collector: SpoutOutputCollector): void {
        this.collector = collector;
      }
      async nextTuple(): Promise<void> {
        await new Promise((resolve) => setTimeout(resolve, 20));
        if (this.emitted < 3) this.collector.emit([this.emitted], this.emitted++);
      }
      ack(id: number): void {
        log.push(`ack ${id}`);
      }
      close(): void {
        log.push('close');
      }
    }
    /** Holds its inputs and acks them only in cleanup, like a sink flushing a batch. */
    class HoldingSink {
      private collector!: OutputCollector;
      private held: Tuple[] = [];
      declareOutputFields(): void {}
      prepare(_config: ResolvedConfig, _context: TopologyContext, collector: OutputCollector): void {
        this.collector = collector;
        this.held = [];
      }
      execute(input: Tuple): void {
        this.held.push(input);
      }
      cleanup(): void {
        for (const tuple of this.held) this.collector.ack(tuple);
        log.push('cleanup');
      }
    }
    const builder = new TopologyBuilder();
    builder.setSpout('numbers', new SlowSpout());
    builder.setBolt('sink', new HoldingSink()).shuffleGrouping('numbers');
    await cluster.submitTopology('stop', {}, builder.createTopology());
    await until('three emitted', () => cluster.getStats('stop').find((stats) => stats.componentId === 'numbers')?.emitted === 3);
    await cluster.killTopology('stop');
    expect(log).toEqual(['cleanup', 'ack 0', 'ack 1', 'ack 2', 'close']);
  });
});
