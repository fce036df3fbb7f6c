import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { HashRing } from '../ring/index.js';
import { isStrict, planTargets, ReadRequest, validateQuorum, WriteRequest, type QuorumSettings, type ReplicaReply, type RequestOptions } from './coordinator.js';
import { InvalidQuorumError, InvalidReplicaListError } from './errors.js';
import { compareLww, liveValue, lwwWrite, merge, type LwwValue, type VersionedValue } from './versioned-value.js';

const Q322: QuorumSettings = { n: 3, r: 2, w: 2 };
const NONE = new Set<string>();
const ok: ReplicaReply = { kind: 'ok' };
const v = (wallMs: number, text: string): LwwValue => lwwWrite({ wallMs, logical: 0 }, 'w', liveValue(Buffer.from(text)));

function options(overrides: Partial<RequestOptions> = {}): RequestOptions {
  return { preferenceList: ['a', 'b', 'c'], fallbacks: ['d', 'e'], down: NONE, quorum: Q322, startedAtMs: 0, timeoutMs: 100, ...overrides };
}

describe('quorum settings', () => {
  it('accepts 1 ≤ R,W ≤ N ≤ replicas available and says whether R + W > N', () => {
    expect(validateQuorum({ n: 3, r: 1, w: 1 }, 3)).toEqual({ n: 3, r: 1, w: 1 });
    expect(isStrict({ n: 3, r: 1, w: 1 })).toBe(false);
    expect(isStrict(Q322)).toBe(true);
  });

  it.each([
    [{ n: 3, r: 4, w: 1 }, 5, /R exceeds N/],
    [{ n: 3, r: 1, w: 0 }, 5, /W must be a positive integer/],
    [{ n: 4, r: 1, w: 1 }, 3, /N exceeds the replicas available/],
    [{ n: 2.5, r: 1, w: 1 }, 3, /N must be/],
  ])('refuses %j with %i replicas, carrying the values', (quorum, available, message) => {
    expect(() => validateQuorum(quorum, available)).toThrow(message);
    try {
      validateQuorum(quorum, available);
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidQuorumError);
      expect(error).toMatchObject({ code: 'INVALID_QUORUM', n: quorum.n, r: quorum.r, w: quorum.w, replicasAvailable: available });
    }
  });
});

describe('target planning', () => {
  it('sends to the preference list when every replica is up', () => {
    expect(planTargets(options())).toEqual([{ node: 'a' }, { node: 'b' }, { node: 'c' }]);
  });

  it('replaces each down replica by the next live fallback, with a hint naming it', () => {
    const targets = planTargets(options({ down: new Set(['b', 'd']) }));
    expect(targets).toEqual([{ node: 'a' }, { node: 'e', hintFor: 'b' }, { node: 'c' }]);
  });

  it('skips a down replica when no fallback is left, and never uses fallbacks without sloppy quorum', () => {
    expect(planTargets(options({ down: new Set(['a', 'b', 'c']), fallbacks: ['d'] }))).toEqual([{ node: 'd', hintFor: 'a' }]);
    expect(planTargets(options({ down: new Set(['b']), sloppy: false }))).toEqual([{ node: 'a' }, { node: 'c' }]);
  });

  it('refuses overlapping or repeated nodes', () => {
    expect(() => planTargets(options({ fallbacks: ['c'] }))).toThrow(InvalidReplicaListError);
  });

  it('works with the ring’s preference list and fallbacks', () => {
    const ring = HashRing.fromMembers(['n1', 'n2', 'n3', 'n4', 'n5'], { vnodesPerNode: 8, maxNodes: 8 });
    const preferenceList = ring.preferenceList('user:42', 3);
    const fallbacks = ring.fallbacks('user:42', 3);
    const down = new Set([preferenceList[0] as string]);
    const targets = planTargets({ preferenceList, fallbacks, down, quorum: Q322 });
    expect(targets[0]).toEqual({ node: fallbacks[0], hintFor: preferenceList[0] });
    expect(targets.slice(1)).toEqual(preferenceList.slice(1).map((node) => ({ node })));
  });
});

describe('write request', () => {
  it('succeeds at W acknowledgements and keeps the decision when later replies fail', () => {
    const write = new WriteRequest(options());
    expect(write.receive('a', ok)).toBe(true);
    expect(write.status).toBe('pending');
    write.receive('c', ok);
    expect(write.status).toBe('succeeded');
    write.receive('b', { kind: 'error', code: 'DISK_FULL' });
    expect(write.status).toBe('succeeded');
    expect(write.isComplete).toBe(true);
  });

  it('fails as soon as W acknowledgements are impossible, reporting why', () => {
    const write = new WriteRequest(options());
    write.receive('a', { kind: 'error', code: 'DISK_FULL' });
    expect(write.status).toBe('pending');
    write.receive('b', { kind: 'timeout' });
    expect(write.status).toBe('failed');
    expect(write.failure).toEqual({
      reason: 'too-few-replies',
      required: 2,
      succeeded: 0,
      errors: [
        { node: 'a', code: 'DISK_FULL' },
        { node: 'b', code: 'TIMEOUT' },
      ],
    });
  });

  it('fails at once when too few targets are reachable', () => {
    const write = new WriteRequest(options({ down: new Set(['a', 'b', 'd', 'e']) }));
    expect(write.status).toBe('failed');
    expect(write.failure?.reason).toBe('too-few-targets');
  });

  it('counts hinted acknowledgements towards W and reports them', () => {
    const write = new WriteRequest(options({ down: new Set(['a']) }));
    write.receive('d', ok);
    write.receive('b', ok);
    expect(write.status).toBe('succeeded');
    expect(write.hintedAcks).toBe(1);
    expect(write.isStrict).toBe(false);
  });

  it('ignores replies from strangers and duplicates, and times out the silent at the deadline', () => {
    const write = new WriteRequest(options());
    expect(write.receive('z', ok)).toBe(false);
    write.receive('a', ok);
    expect(write.receive('a', { kind: 'error', code: 'X' })).toBe(false);
    write.tick(99);
    expect(write.outstanding).toEqual(['b', 'c']);
    write.tick(100);
    expect(write.status).toBe('failed');
    expect(write.isComplete).toBe(true);
  });
});

describe('read request', () => {
  it('succeeds at R answers (not found is an answer) and returns the merged winner', () => {
    const read = new ReadRequest(options());
    read.receive('a', { kind: 'ok' });
    read.receive('b', { kind: 'ok', value: v(5, 'new') });
    expect(read.status).toBe('succeeded');
    expect(read.result(0)).toMatchObject({ mode: 'lww', value: { value: Buffer.from('new') } });
  });

  it('repairs replicas that answered with an older or no copy, not those that failed', () => {
    const read = new ReadRequest(options({ down: new Set(['c']) }));
    read.receive('a', { kind: 'ok', value: v(1, 'old') });
    read.receive('b', { kind: 'ok', value: v(5, 'new') });
    read.receive('d', { kind: 'ok' });
    expect(read.readRepairs()).toEqual([{ node: 'a' }, { node: 'd', hintFor: 'c' }]);
    const failed = new ReadRequest(options());
    failed.receive('a', { kind: 'error', code: 'IO' });
    failed.receive('b', { kind: 'ok', value: v(5, 'new') });
    failed.receive('c', { kind: 'ok', value: v(5, 'new') });
    expect(failed.readRepairs()).toEqual([]);
  });
});

/**
 * Simulated network: replicas hold copies; a write reaches each replica or not and its ack arrives,
 * fails or times out; a later read gets a random subset of answers. With R + W > N and no sloppy
 * substitution, a successful read after a successful write always returns that write (or newer).
 */
describe('quorum overlap (simulated network)', () => {
  type Fate = 'ok' | 'error' | 'lost-ack' | 'lost-request';
  const fateArbitrary = fc.constantFrom<Fate>('ok', 'error', 'lost-ack', 'lost-request');
  const settingsArbitrary = fc
    .integer({ min: 1, max: 5 })
    .chain((n) => fc.record({ n: fc.constant(n), r: fc.integer({ min: 1, max: n }), w: fc.integer({ min: 1, max: n }) }));

  it('never loses an acknowledged write to a strict quorum read', () => {
    fc.assert(
      fc.property(settingsArbitrary, fc.array(fateArbitrary, { minLength: 5, maxLength: 5 }), fc.array(fateArbitrary, { minLength: 5, maxLength: 5 }), (quorum, writeFates, readFates) => {
        fc.pre(isStrict(quorum));
        const replicas = ['r0', 'r1', 'r2', 'r3', 'r4'].slice(0, quorum.n);
        const stored = new Map<string, VersionedValue>(replicas.map((node) => [node, v(1, 'old')]));
        const written = v(2, 'new');
        const write = new WriteRequest({ preferenceList: replicas, fallbacks: [], down: NONE, quorum, startedAtMs: 0, timeoutMs: 10 });
        replicas.forEach((node, i) => {
          const fate = writeFates[i] ?? 'ok';
          if (fate === 'ok' || fate === 'lost-ack') stored.set(node, merge(stored.get(node) as VersionedValue, written));
          if (fate === 'ok') write.receive(node, ok);
          if (fate === 'error') write.receive(node, { kind: 'error', code: 'IO' });
        });
        write.tick(10);
        expect(write.status).not.toBe('pending');
        const read = new ReadRequest({ preferenceList: replicas, fallbacks: [], down: NONE, quorum, startedAtMs: 20, timeoutMs: 10 });
        replicas.forEach((node, i) => {
          const fate = readFates[i] ?? 'ok';
          if (fate === 'ok') read.receive(node, { kind: 'ok', value: stored.get(node) });
          if (fate === 'error') read.receive(node, { kind: 'error', code: 'IO' });
        });
        read.tick(30);
        if (write.status === 'succeeded' && read.status === 'succeeded') {
          expect(compareLww(read.merged() as LwwValue, written)).toBeGreaterThanOrEqual(0);
          for (const target of read.readRepairs()) stored.set(target.node, merge(stored.get(target.node) as VersionedValue, read.merged() as VersionedValue));
          for (const [node, reply] of [...replicas.entries()].map(([i, node]) => [node, readFates[i]] as const)) {
            if (reply === 'ok') expect(compareLww(stored.get(node) as LwwValue, written)).toBe(0);
          }
        }
      }),
      { numRuns: 400 },
    );
  });
});
