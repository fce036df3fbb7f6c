import { describe, expect, it } from '@jest/globals';
import { RuntimeTuple, StreamSchema } from '../api/tuple.js';
import { AckerMessageKind } from '../runtime/messages.js';
import { WireFormatError } from './errors.js';
import { StreamTable, TransferDecoder, TransferEncoder, TransferKind } from './wire.js';
import wordCount from './test-topologies/word-count.js';
import { evenAssignment, tasksOf, checkAssignment } from './assignment.js';
import { InvalidAssignmentError } from './errors.js';

const { topology } = wordCount({});
const streams = new StreamTable(topology);
const encoder = new TransferEncoder(streams);
const encodeTuples = (taskId: number, tuples: RuntimeTuple[]): Buffer => encoder.frame([encoder.tuples(taskId, tuples)]);

describe('worker wire format', () => {
  it('round-trips tuples with their stream, source task and tuple-tree ids', () => {
    const tuple = new RuntimeTuple(new StreamSchema('split', 'default', ['word']), ['raven'], 3);
    tuple.roots = [2 ** 51 + 5, 17];
    tuple.edges = [99, 2 ** 52 - 1];
    const plain = new RuntimeTuple(new StreamSchema('count', 'default', ['word', 'count']), ['the', 4n], 5);
    const [decoded] = new TransferDecoder(streams).decode(encodeTuples(7, [tuple, plain]));
    expect(decoded?.kind).toBe(TransferKind.Tuples);
    expect(decoded?.taskId).toBe(7);
    const [first, second] = decoded?.items as RuntimeTuple[];
    expect([first?.sourceComponent, first?.getValueByField('word'), first?.sourceTask, first?.roots, first?.edges]).toEqual(['split', 'raven', 3, [2 ** 51 + 5, 17], [99, 2 ** 52 - 1]]);
    expect([second?.getValueByField('count'), second?.roots]).toEqual([4n, []]);
  });

  it('round-trips acker messages and spout verdicts, several batches in one frame', () => {
    const decoder = new TransferDecoder(streams);
    const message = { kind: AckerMessageKind.Ack, rootId: 12345, xor: 2 ** 40, spoutTaskId: 0 };
    const event = { kind: 'failed' as const, rootId: 9, reason: 'timeout' as const };
    expect(decoder.decode(encoder.frame([encoder.ackerMessages(1_000_000, [message]), encoder.spoutEvents(2, [event])]))).toEqual([
      { kind: TransferKind.AckerMessages, taskId: 1_000_000, items: [message] },
      { kind: TransferKind.SpoutEvents, taskId: 2, items: [event] },
    ]);
  });

  it('refuses garbage and tuples of streams the topology does not have', () => {
    const decoder = new TransferDecoder(streams);
    expect(() => decoder.decode(Buffer.from([0, 0, 0, 1, 0xff, 0x00, 0x13]))).toThrow(WireFormatError);
    const stranger = new RuntimeTuple(new StreamSchema('elsewhere', 'default', ['x']), [1], 1);
    expect(() => encodeTuples(1, [stranger])).toThrow(/no stream 'default' of component 'elsewhere'/);
    expect(() => decoder.decode(encoder.frame([[0, 1, [[99, 1, [], [], []]]]]))).toThrow(/stream 99 is not one of/);
  });
});

describe('even assignment', () => {
  it('deals every task, ackers included, round-robin over the workers', () => {
    const workers = { a: { host: '127.0.0.1', port: 1 }, b: { host: '127.0.0.1', port: 2 }, c: { host: '127.0.0.1', port: 3 } };
    const assignment = evenAssignment(topology, [1_000_000], workers);
    const sizes = ['a', 'b', 'c'].map((worker) => tasksOf(assignment, worker).size);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(topology.taskCount + 1);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    expect(() => checkAssignment(topology, [1_000_000, 1_000_001], assignment)).toThrow(InvalidAssignmentError);
  });
});
