import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { MalformedRingError } from './errors.js';
import { ringFromJson, ringToJson, type RingJson } from './ring-codec.js';
import { HashRing } from './ring.js';

describe('ring codec', () => {
  const ring = HashRing.fromMembers(['alpha', 'beta', 'gamma', 'delta'], { seed: 42 });

  it('round-trips through JSON text, routing every key the same way', () => {
    const restored = ringFromJson(JSON.parse(JSON.stringify(ringToJson(ring))));
    expect(restored.nodes).toEqual(ring.nodes);
    expect(restored.settings).toEqual(ring.settings);
    expect(restored.ownerTable()).toEqual(ring.ownerTable());
    for (const key of ['a', 'b', 'user:99']) expect(restored.preferenceList(key, 3)).toEqual(ring.preferenceList(key, 3));
    // The restored ring keeps evolving exactly like the original.
    expect(restored.withNode('epsilon').ownerTable()).toEqual(ring.withNode('epsilon').ownerTable());
  });

  it('fits a znode comfortably', () => {
    expect(JSON.stringify(ringToJson(ring)).length).toBeLessThan(16 * 1024);
  });

  it('round-trips the empty ring', () => {
    const empty = ringFromJson(ringToJson(HashRing.empty()));
    expect(empty.size).toBe(0);
  });

  it('refuses malformed stored rings', () => {
    const good = ringToJson(ring);
    const owners = Buffer.from(good.owners, 'base64');
    const withOwner = (index: number): string => {
      const copy = Buffer.from(owners);
      copy.writeUInt16BE(index, 0);
      return copy.toString('base64');
    };
    const bad: unknown[] = [
      null,
      'ring',
      { ...good, format: 2 },
      { ...good, seed: '42' },
      { ...good, nodes: 'alpha' },
      { ...good, nodes: ['alpha', 'alpha', 'gamma', 'delta'] },
      { ...good, nodes: ['alpha', 'beta', 'gamma', ''] },
      { ...good, owners: '!!' },
      { ...good, owners: owners.subarray(0, owners.length - 1).toString('base64') },
      { ...good, owners: owners.subarray(0, owners.length / 2).toString('base64') },
      { ...good, owners: withOwner(9) },
      { ...good, owners: Buffer.alloc(owners.length).toString('base64') },
      { ...good, vnodesPerNode: 0 },
      { ...good, maxNodes: 3 },
    ];
    for (const json of bad) expect(() => ringFromJson(json)).toThrow(MalformedRingError);
  });

  it('never crashes on garbage: a ring or MalformedRingError', () => {
    // Found by this property (seed 4183410): String() of such a value throws a TypeError itself.
    expect(() => ringFromJson({ format: [{ toString: null }] })).toThrow(MalformedRingError);
    const good = ringToJson(HashRing.fromMembers(['a', 'b'], { vnodesPerNode: 2, maxNodes: 2 }));
    const mutated = fc.record(
      {
        format: fc.oneof(fc.constant(good.format), fc.jsonValue()),
        seed: fc.oneof(fc.constant(good.seed), fc.jsonValue()),
        vnodesPerNode: fc.oneof(fc.constant(good.vnodesPerNode), fc.jsonValue()),
        maxNodes: fc.oneof(fc.constant(good.maxNodes), fc.jsonValue()),
        distinctWindow: fc.oneof(fc.constant(good.distinctWindow), fc.jsonValue()),
        nodes: fc.oneof(fc.constant(good.nodes), fc.jsonValue()),
        owners: fc.oneof(fc.constant(good.owners), fc.base64String({ maxLength: 24 }), fc.jsonValue()),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(fc.oneof(mutated, fc.jsonValue()), (json) => {
        try {
          const decoded = ringFromJson(json as RingJson);
          expect(ringToJson(decoded)).toEqual(json);
        } catch (error) {
          expect(error).toBeInstanceOf(MalformedRingError);
        }
      }),
    );
  });
});
