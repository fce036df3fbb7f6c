import { describe, expect, it } from '@jest/globals';
import { createGrouping, UndeclaredFieldError } from '../groupings/index.js';
import type { OutputFieldsDeclarer } from './components.js';
import {
  BoltWithoutInputsError,
  DirectGroupingMismatchError,
  DuplicateComponentError,
  DuplicateSubscriptionError,
  InvalidGroupingError,
  InvalidIdError,
  InvalidParallelismError,
  InvalidStreamDeclarationError,
  SpoutAsBoltError,
  type TopologyError,
  UnknownSourceComponentError,
  UnknownStreamError,
} from './errors.js';
import { MAX_PARALLELISM } from './limits.js';
import { TopologyBuilder } from './topology-builder.js';
import type { Bolt } from '../api/bolt.js';
import type { Spout } from '../api/spout.js';
import { componentOfTask, groupingTargetOf, subscribersOf } from './topology-definition.js';

/** A component declaring the given streams: { streamId: fields }, `!` suffix on a stream id = direct. */
function emitting(streams: Record<string, string[]>): Spout & Bolt {
  return {
    open: () => undefined,
    nextTuple: () => undefined,
    prepare: () => undefined,
    execute: () => undefined,
    declareOutputFields(declarer: OutputFieldsDeclarer) {
      for (const [streamId, fields] of Object.entries(streams)) {
        const direct = streamId.endsWith('!');
        declarer.declareStream(direct ? streamId.slice(0, -1) : streamId, fields, { direct });
      }
    },
  };
}

function wordCount(): TopologyBuilder {
  const builder = new TopologyBuilder();
  builder.setSpout('sentences', emitting({ default: ['sentence'] }), 2);
  builder.setBolt('split', emitting({ default: ['word'] }), 3).shuffleGrouping('sentences');
  builder.setBolt('count', emitting({ default: ['word', 'count'] }), 2).fieldsGrouping('split', ['word']);
  return builder;
}

function expectTopologyError(build: () => unknown, type: abstract new (...args: never[]) => TopologyError, componentId: string): TopologyError {
  try {
    build();
  } catch (error) {
    expect(error).toBeInstanceOf(type);
    expect((error as TopologyError).componentId).toBe(componentId);
    expect((error as Error).message).toContain(`'${componentId}'`);
    return error as TopologyError;
  }
  throw new Error('expected a topology error');
}

describe('topology builder', () => {
  it('builds a frozen definition with task ids 1..n assigned in component id order', () => {
    const topology = wordCount().createTopology();
    expect(topology.components.map((component) => [component.id, component.taskIds])).toEqual([
      ['count', [1, 2]],
      ['sentences', [3, 4]],
      ['split', [5, 6, 7]],
    ]);
    expect(topology.taskCount).toBe(7);
    expect(Object.isFrozen(topology) && Object.isFrozen(topology.components) && Object.isFrozen(topology.components[0])).toBe(true);
    expect(componentOfTask(topology, 6)?.id).toBe('split');
    const count = topology.components[0];
    expect(count?.kind === 'bolt' && count.inputs).toEqual([{ sourceComponentId: 'split', streamId: 'default', grouping: { kind: 'fields', fields: ['word'] } }]);
  });

  it('assigns the same task ids whatever order components are declared in', () => {
    const reversed = new TopologyBuilder();
    reversed.setBolt('count', emitting({ default: ['word', 'count'] }), 2).fieldsGrouping('split', ['word']);
    reversed.setBolt('split', emitting({ default: ['word'] }), 3).shuffleGrouping('sentences');
    reversed.setSpout('sentences', emitting({ default: ['sentence'] }), 2);
    const taskIds = (builder: TopologyBuilder): unknown => builder.createTopology().components.map((component) => component.taskIds);
    expect(taskIds(reversed)).toEqual(taskIds(wordCount()));
  });

  it('finds the subscribers of a stream and prepares their groupings', () => {
    const topology = wordCount().createTopology();
    const [subscriber, ...others] = subscribersOf(topology, 'split', 'default');
    expect(others).toEqual([]);
    if (subscriber === undefined) throw new Error('expected a subscriber');
    const target = groupingTargetOf(topology, subscriber);
    expect(target).toMatchObject({ componentId: 'count', targetTasks: [1, 2], sourceFields: ['word'] });
    const grouping = createGrouping(subscriber.subscription.grouping, target);
    expect(grouping.chooseTasks(['raven'], 5)).toEqual(grouping.chooseTasks(['raven'], 7));
  });

  it('records every kind of grouping, on named streams too', () => {
    const builder = new TopologyBuilder();
    builder.setSpout('source', emitting({ default: ['key'], errors: ['reason'], 'targeted!': ['key'] }));
    builder
      .setBolt('sink', emitting({}))
      .shuffleGrouping('source')
      .allGrouping('source', 'errors')
      .directGrouping('source', 'targeted');
    builder.setBolt('b1', emitting({ default: ['key'] })).globalGrouping('source');
    builder.setBolt('b2', emitting({})).localOrShuffleGrouping('b1').partialKeyGrouping('source', ['key']);
    builder.setBolt('b3', emitting({})).customGrouping('b1', (_values, _source, tasks) => tasks);
    const kinds = builder.createTopology().components.flatMap((component) => (component.kind === 'bolt' ? component.inputs.map((input) => input.grouping.kind) : []));
    expect(kinds.sort()).toEqual(['all', 'custom', 'direct', 'global', 'localOrShuffle', 'partialKey', 'shuffle']);
  });

  it('allows cycles among bolts, a bolt feeding itself included', () => {
    const builder = wordCount();
    builder.setBolt('retry', emitting({ default: ['word'] })).shuffleGrouping('split').shuffleGrouping('retry').shuffleGrouping('again');
    builder.setBolt('again', emitting({ default: ['word'] })).shuffleGrouping('retry');
    expect(builder.createTopology().components).toHaveLength(5);
  });
});

describe('topology validation', () => {
  it('refuses a duplicate component id', () => {
    const builder = wordCount();
    expectTopologyError(() => builder.setBolt('split', emitting({})), DuplicateComponentError, 'split');
    expectTopologyError(() => builder.setSpout('count', emitting({})), DuplicateComponentError, 'count');
  });

  it('refuses parallelism that is not a positive integer within the limit', () => {
    for (const parallelism of [0, -1, 1.5, Number.NaN, MAX_PARALLELISM + 1]) {
      const error = expectTopologyError(() => new TopologyBuilder().setSpout('spout', emitting({}), parallelism), InvalidParallelismError, 'spout');
      expect(error.code).toBe('INVALID_PARALLELISM');
    }
    expect(() => new TopologyBuilder().setSpout('spout', emitting({}), MAX_PARALLELISM)).not.toThrow();
  });

  it('refuses empty and reserved ids', () => {
    expect(() => new TopologyBuilder().setSpout('', emitting({}))).toThrow(InvalidIdError);
    expectTopologyError(() => new TopologyBuilder().setBolt('__acker', emitting({})), InvalidIdError, '__acker');
  });

  it('refuses a subscription to an unknown component or stream', () => {
    const unknownSource = wordCount();
    unknownSource.setBolt('print', emitting({})).shuffleGrouping('splitter');
    expect(expectTopologyError(() => unknownSource.createTopology(), UnknownSourceComponentError, 'print').message).toContain("'splitter'");
    const unknownStream = wordCount();
    unknownStream.setBolt('print', emitting({})).shuffleGrouping('split', 'errors');
    expect(expectTopologyError(() => unknownStream.createTopology(), UnknownStreamError, 'print').message).toMatch(/'errors' of 'split'.*\[default\]/);
  });

  it('refuses a grouping on an undeclared field, naming component, stream and field', () => {
    const builder = wordCount();
    builder.setBolt('lemmas', emitting({}), 2).partialKeyGrouping('split', ['lemma']);
    const error = expectTopologyError(() => builder.createTopology(), InvalidGroupingError, 'lemmas');
    expect(error.cause).toBeInstanceOf(UndeclaredFieldError);
    expect(error.message).toMatch(/stream 'default' of 'split'.*'lemma'/);
  });

  it('refuses a bolt with no inputs', () => {
    const builder = wordCount();
    builder.setBolt('orphan', emitting({}));
    expectTopologyError(() => builder.createTopology(), BoltWithoutInputsError, 'orphan');
  });

  it('refuses a spout object registered as a bolt, so nothing ever flows into a spout', () => {
    const spout = emitting({ default: ['x'] });
    const builder = new TopologyBuilder();
    builder.setSpout('spout', spout);
    expectTopologyError(() => builder.setBolt('loop', spout), SpoutAsBoltError, 'loop');
  });

  it('refuses direct grouping on a non-direct stream and other groupings on a direct one', () => {
    const builder = wordCount();
    builder.setBolt('direct', emitting({})).directGrouping('split');
    expectTopologyError(() => builder.createTopology(), DirectGroupingMismatchError, 'direct');
    const onDirect = new TopologyBuilder();
    onDirect.setSpout('spout', emitting({ 'default!': ['x'] }));
    onDirect.setBolt('bolt', emitting({})).shuffleGrouping('spout');
    expect(expectTopologyError(() => onDirect.createTopology(), DirectGroupingMismatchError, 'bolt').message).toContain('declared direct');
  });

  it('refuses subscribing twice to the same stream, and bad stream declarations', () => {
    const twice = wordCount();
    twice.setBolt('twice', emitting({})).shuffleGrouping('split').allGrouping('split');
    expectTopologyError(() => twice.createTopology(), DuplicateSubscriptionError, 'twice');
    const badFields = new TopologyBuilder();
    badFields.setSpout('spout', emitting({ default: ['x', 'x'] }));
    expectTopologyError(() => badFields.createTopology(), InvalidStreamDeclarationError, 'spout');
  });
});
