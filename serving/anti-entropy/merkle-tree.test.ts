import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { HASH_SPACE_END, HashRing, hashKey, rangeContains, type HashRange } from '../ring/index.js';
import { AntiEntropyError, IncomparableTreesError, InvalidTreeShapeError, KeyOutsideRangeError } from './errors.js';
import { childIndices, compareLevel, decodeMerkleLevel, diff, encodeMerkleLevel, levelOf, type MerkleLevel } from './merkle-exchange.js';
import { MerkleTree } from './merkle-tree.js';

const digest = (text: string): Buffer => Buffer.from(text);
const RANGE: HashRange = { start: 1000n, end: 1000n + 4096n * 7n + 3n };
const SHAPE = { fanout: 4, depth: 3 };

/** Diff as two nodes would run it: every level message encoded and decoded on the way. */
function diffOverTheWire(a: MerkleTree, b: MerkleTree): number[] {
  let differing = [0];
  for (let level = 0; level <= a.depth && differing.length > 0; level++) {
    const message: MerkleLevel = decodeMerkleLevel(encodeMerkleLevel(levelOf(b, level, differing)));
    differing = compareLevel(a, message);
    if (level < a.depth) differing = childIndices(a, differing);
  }
  return differing;
}

describe('merkle tree', () => {
  it('gives equal roots for equal contents whatever the order of puts', () => {
    const entries: [bigint, Buffer][] = [
      [1000n, digest('a')],
      [5000n, digest('b')],
      [29000n, digest('c')],
    ];
    const forward = MerkleTree.build(RANGE, entries, SHAPE);
    const backward = MerkleTree.build(RANGE, [...entries].reverse(), SHAPE);
    expect(forward.rootHash().equals(backward.rootHash())).toBe(true);
    expect(diff(forward, backward)).toEqual([]);
    expect(forward.size).toBe(3);
  });

  it('finds the one leaf whose key changed, and returns to the old root when the change is undone', () => {
    const a = MerkleTree.build(RANGE, [[1000n, digest('a')], [5000n, digest('b')]], SHAPE);
    const b = MerkleTree.build(RANGE, [[1000n, digest('a')], [5000n, digest('b')]], SHAPE);
    const before = b.rootHash();
    b.put(5000n, digest('b2'));
    const differences = diff(a, b);
    expect(differences).toEqual([{ leaf: a.leafOf(5000n), range: a.leafRange(a.leafOf(5000n)) }]);
    expect(rangeContains(differences[0]?.range as HashRange, 5000n)).toBe(true);
    expect(b.keysInLeaf(a.leafOf(5000n))).toEqual([5000n]);
    b.put(5000n, digest('b'));
    expect(b.rootHash().equals(before)).toBe(true);
    b.put(6000n, digest('x'));
    expect(b.remove(6000n)).toBe(true);
    expect(b.remove(6000n)).toBe(false);
    expect(b.rootHash().equals(before)).toBe(true);
  });

  it('splits its range into contiguous leaf ranges and puts each key in the leaf covering it', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: HASH_SPACE_END - 65536n }), fc.bigInt({ min: 64n, max: HASH_SPACE_END }), fc.array(fc.bigInt({ min: 0n, max: HASH_SPACE_END }), { maxLength: 20 }), (start, width, probes) => {
        const end = start + width > HASH_SPACE_END ? HASH_SPACE_END : start + width;
        const tree = new MerkleTree({ start, end }, { fanout: 4, depth: 3 });
        let previousEnd = start;
        for (let leaf = 0; leaf < tree.leafCount; leaf++) {
          const range = tree.leafRange(leaf);
          expect(range.start).toBe(previousEnd);
          expect(range.end).toBeGreaterThan(range.start);
          previousEnd = range.end;
        }
        expect(previousEnd).toBe(end);
        for (const probe of probes) {
          const keyHash = start + (probe % (end - start));
          expect(rangeContains(tree.leafRange(tree.leafOf(keyHash)), keyHash)).toBe(true);
        }
      }),
      { numRuns: 100 },
    );
  });

  it('builds comparable trees over a ring partition', () => {
    const ring = HashRing.fromMembers(['n1', 'n2', 'n3'], { vnodesPerNode: 8, maxNodes: 4 });
    const partition = ring.partitionOfKey('user:1');
    const a = new MerkleTree(ring.partitionRange(partition));
    const b = new MerkleTree(ring.partitionRange(partition));
    a.put(hashKey('user:1'), digest('v1'));
    expect(diff(a, b).map((difference) => difference.leaf)).toEqual([a.leafOf(hashKey('user:1'))]);
  });

  it('refuses keys outside its range, bad shapes and comparisons with another shape', () => {
    const tree = new MerkleTree(RANGE, SHAPE);
    expect(() => tree.put(999n, digest('a'))).toThrow(KeyOutsideRangeError);
    expect(() => tree.put(RANGE.end, digest('a'))).toThrow(KeyOutsideRangeError);
    expect(() => new MerkleTree(RANGE, { fanout: 1 })).toThrow(InvalidTreeShapeError);
    expect(() => new MerkleTree({ start: 0n, end: 10n }, SHAPE)).toThrow(/wide/);
    expect(() => new MerkleTree(RANGE, { fanout: 256, depth: 3 })).toThrow(/leaves/);
    expect(() => diff(tree, new MerkleTree(RANGE, { fanout: 4, depth: 2 }))).toThrow(IncomparableTreesError);
  });
});

describe('merkle tree anti-entropy (properties)', () => {
  const keyArbitrary = fc.bigInt({ min: RANGE.start, max: RANGE.end - 1n });
  const opArbitrary = fc.record({ key: keyArbitrary, value: fc.constantFrom('a', 'b', 'c'), remove: fc.boolean() });
  type Op = { key: bigint; value: string; remove: boolean };
  const apply = (tree: MerkleTree, contents: Map<bigint, string>, op: Op): void => {
    if (op.remove) {
      tree.remove(op.key);
      contents.delete(op.key);
    } else {
      tree.put(op.key, digest(op.value));
      contents.set(op.key, op.value);
    }
  };

  it('finds exactly the leaves whose contents differ; syncing their keys makes the roots equal', () => {
    fc.assert(
      fc.property(fc.array(opArbitrary, { maxLength: 40 }), fc.array(opArbitrary, { maxLength: 15 }), fc.array(opArbitrary, { maxLength: 15 }), (shared, onlyA, onlyB) => {
        const [a, b] = [new MerkleTree(RANGE, SHAPE), new MerkleTree(RANGE, SHAPE)];
        const [contentsA, contentsB] = [new Map<bigint, string>(), new Map<bigint, string>()];
        for (const op of shared) {
          apply(a, contentsA, op);
          apply(b, contentsB, op);
        }
        onlyA.forEach((op) => apply(a, contentsA, op));
        a.rootHash(); // hashes computed mid-way must be refreshed by later puts
        onlyB.forEach((op) => apply(b, contentsB, op));
        const expected = new Set<number>();
        for (const key of new Set([...contentsA.keys(), ...contentsB.keys()])) {
          if (contentsA.get(key) !== contentsB.get(key)) expected.add(a.leafOf(key));
        }
        const found = diff(a, b).map((difference) => difference.leaf);
        expect(found).toEqual([...expected].sort((x, y) => x - y));
        expect(diffOverTheWire(a, b)).toEqual(found);
        // Sync: for every key of a differing leaf, both take the larger value (a stand-in for merge).
        for (const leaf of found) {
          for (const key of new Set([...a.keysInLeaf(leaf), ...b.keysInLeaf(leaf)])) {
            const candidates = [contentsA.get(key), contentsB.get(key)].filter((value): value is string => value !== undefined).sort();
            const winner = candidates[candidates.length - 1] as string;
            apply(a, contentsA, { key, value: winner, remove: false });
            apply(b, contentsB, { key, value: winner, remove: false });
          }
        }
        expect(a.rootHash().equals(b.rootHash())).toBe(true);
        expect(diff(a, b)).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });

  it('decodes only well-formed level messages; garbage gets a typed error', () => {
    const tree = MerkleTree.build(RANGE, [[1000n, digest('a')]], SHAPE);
    const message = levelOf(tree, 2, [1, 5, 9]);
    const decoded = decodeMerkleLevel(encodeMerkleLevel(message));
    expect(decoded).toEqual(message);
    fc.assert(
      fc.property(fc.nat(), fc.integer({ min: 0, max: 255 }), fc.nat(), fc.uint8Array({ maxLength: 60 }), (position, byte, cut, garbage) => {
        const bytes = encodeMerkleLevel(message);
        bytes[position % bytes.length] = byte;
        for (const candidate of [bytes, bytes.subarray(0, cut % (bytes.length + 1)), Buffer.from(garbage)]) {
          try {
            decodeMerkleLevel(candidate);
          } catch (error) {
            expect(error).toBeInstanceOf(AntiEntropyError);
          }
        }
      }),
      { numRuns: 500 },
    );
  });
});
