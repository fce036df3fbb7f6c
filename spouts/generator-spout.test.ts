import { describe, expect, it } from '@jest/globals';
import { readFile } from 'node:fs/promises';
import { InvalidConfigError } from '../core/topology/api/errors.js';
import { createTestContext, RecordingSpoutCollector } from '../core/topology/testing/component-harness.js';
import { DEFAULT_SENTENCES, GeneratorSpout, GeneratorStats, sentencesOf, type GeneratorSpoutOptions } from './generator-spout.js';

function openTask(options: GeneratorSpoutOptions, taskIndex = 0, tasks = 1): { spout: GeneratorSpout; collector: RecordingSpoutCollector } {
  const spout = new GeneratorSpout(options);
  const collector = new RecordingSpoutCollector();
  const taskIds = Array.from({ length: tasks }, (_, index) => index + 1);
  const context = createTestContext(spout, { componentTaskIds: taskIds, taskId: taskIds[taskIndex]! });
  spout.open(context.config, context, collector);
  return { spout, collector };
}

function drain(spout: GeneratorSpout, calls = 1_000): void {
  for (let call = 0; call < calls && !spout.exhausted; call += 1) spout.nextTuple();
}

const bySequence = (collector: RecordingSpoutCollector) => new Map(collector.emitted.map((emit) => [emit.messageId as number, emit.values]));

describe('generator spout', () => {
  it('emits a seeded, repeatable stream of sentences and stops at the total', () => {
    const first = openTask({ seed: 7, total: 200 });
    const second = openTask({ seed: 7, total: 200 });
    drain(first.spout);
    drain(second.spout);
    expect(first.collector.emitted).toHaveLength(200);
    expect(first.collector.emitted.map((emit) => emit.values)).toEqual(second.collector.emitted.map((emit) => emit.values));
    expect(first.collector.emitted.map((emit) => emit.messageId)).toEqual(Array.from({ length: 200 }, (_, index) => index));
    for (const emit of first.collector.emitted) expect(DEFAULT_SENTENCES).toContain(emit.values[0]);
    // Not one sentence over and over: the seed spreads the choices.
    expect(new Set(first.collector.emitted.map((emit) => emit.values[0])).size).toBe(DEFAULT_SENTENCES.length);
    const other = openTask({ seed: 8, total: 200 });
    drain(other.spout);
    expect(other.collector.emitted.map((emit) => emit.values)).not.toEqual(first.collector.emitted.map((emit) => emit.values));
  });

  it('splits the sequence across tasks by task index: together they emit what one task would', () => {
    const single = openTask({ seed: 3, total: 101 });
    drain(single.spout);
    const stats = new GeneratorStats();
    const tasks = [0, 1, 2].map((index) => openTask({ seed: 3, total: 101, stats }, index, 3));
    for (const task of tasks) drain(task.spout);
    const union = new Map(tasks.flatMap((task) => [...bySequence(task.collector)]));
    expect(union).toEqual(bySequence(single.collector));
    expect(tasks.map((task) => task.collector.emitted.length)).toEqual([34, 34, 33]);
    expect(stats.emitted).toBe(101);
  });

  it('emits a failed tuple again with the same values and message id, and counts acks and fails', () => {
    const stats = new GeneratorStats();
    const { spout, collector } = openTask({ seed: 1, total: 10, stats });
    drain(spout);
    const original = bySequence(collector);
    for (const sequence of [0, 1, 2, 4, 5, 6, 7, 8, 9]) spout.ack(sequence);
    spout.fail(3);
    expect(spout.exhausted).toBe(false);
    spout.nextTuple();
    const replay = collector.emitted[10]!;
    expect(replay.messageId).toBe(3);
    expect(replay.values).toEqual(original.get(3));
    spout.ack(3);
    spout.nextTuple();
    expect(collector.emitted).toHaveLength(11);
    expect(stats).toMatchObject({ emitted: 11, replayed: 1, acked: 10, failed: 1 });
  });

  it('paces first emits to the rate limit', () => {
    let nowMs = 0;
    const { spout, collector } = openTask({ ratePerSecond: 1_000, now: () => nowMs });
    spout.nextTuple();
    expect(collector.emitted).toHaveLength(0);
    for (let tick = 0; tick < 50; tick += 1) {
      nowMs += 2;
      spout.nextTuple();
    }
    expect(collector.emitted).toHaveLength(100);
    // A long pause buys at most the burst (100 ms worth), not the whole pause.
    nowMs += 10_000;
    for (let call = 0; call < 10; call += 1) spout.nextTuple();
    expect(collector.emitted).toHaveLength(200);
  });

  it('emits values of a user function with its own fields, and lines of a poem', async () => {
    const { spout, collector } = openTask({ total: 5, fields: ['n', 'square'], generate: (sequence) => [sequence, sequence * sequence] });
    drain(spout);
    expect(collector.emitted.map((emit) => emit.values)).toEqual([[0, 0], [1, 1], [2, 4], [3, 9], [4, 16]]);
    const raven = sentencesOf(await readFile(new URL('../examples/wordcount/poems/raven.txt', import.meta.url), 'utf8'));
    const poem = openTask({ total: 50, sentences: raven });
    drain(poem.spout);
    for (const emit of poem.collector.emitted) expect(raven).toContain(emit.values[0]);
  });

  it('refuses bad options with the option named', () => {
    expect(() => new GeneratorSpout({ total: -1 })).toThrow(InvalidConfigError);
    expect(() => new GeneratorSpout({ ratePerSecond: 0 })).toThrow(/GeneratorSpout.ratePerSecond/);
  });
});
