import { describe, expect, it } from '@jest/globals';
import { lastWriteBefore } from './read-write-lock.js';
import { immediatePredecessor, parseSequentialNode, sortedContenders } from './sequential-nodes.js';

const GUID_A = '0f8fad5b-d9cb-469f-a165-70867728950e';
const GUID_B = '7c9e6679-7425-40de-944b-e07fc1f90ae7';

describe('sequential node names', () => {
  it('parses <guid>-<prefix><10-digit sequence>', () => {
    expect(parseSequentialNode(`${GUID_A}-lock-0000000042`)).toEqual({ name: `${GUID_A}-lock-0000000042`, guid: GUID_A, prefix: 'lock-', sequence: 42 });
    expect(parseSequentialNode(`${GUID_A}-n_0000000000`)?.prefix).toBe('n_');
  });

  it('ignores nodes that are not contenders', () => {
    for (const name of ['ready', 'lock-0000000001', `${GUID_A}-lock-42`, `${GUID_A}-lock-00000000x1`]) expect(parseSequentialNode(name)).toBeUndefined();
  });

  it('orders by sequence number, not by name (the GUID comes first)', () => {
    const children = [`${GUID_A}-lock-0000000003`, `${GUID_B}-lock-0000000001`, 'ready', `${GUID_A}-read-0000000002`];
    expect(sortedContenders(children, ['lock-']).map((node) => node.sequence)).toEqual([1, 3]);
    expect(sortedContenders(children, ['lock-', 'read-']).map((node) => node.sequence)).toEqual([1, 2, 3]);
  });
});

describe('predecessor rules', () => {
  const queue = sortedContenders(
    ['write-', 'read-', 'read-', 'write-', 'read-'].map((prefix, index) => `${GUID_A}-${prefix}000000000${index}`),
    ['read-', 'write-'],
  );

  it('has an exclusive contender wait on the node just before it', () => {
    expect(immediatePredecessor(queue, 0)).toBeUndefined();
    expect(immediatePredecessor(queue, 3)?.sequence).toBe(2);
  });

  it('has a reader wait on the last write before it, and ignore readers', () => {
    expect(lastWriteBefore(queue, 1)?.sequence).toBe(0);
    expect(lastWriteBefore(queue, 2)?.sequence).toBe(0);
    expect(lastWriteBefore(queue, 4)?.sequence).toBe(3);
    expect(lastWriteBefore(queue.slice(1), 1)).toBeUndefined();
  });
});
