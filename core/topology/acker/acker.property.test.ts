/**
 * Property tests of the acker against a model of Storm tuple trees: random fan-out and depth, each
 * bolt anchoring its emits to its input and acking that input, acker messages delivered in random
 * interleavings across several trees (never duplicated: Storm does not tolerate duplicate acks).
 */
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { Acker, type AckerEvent } from './acker.js';
import { mulberry32 } from '../../random/mulberry32.js';
import { createTupleIdGenerator, xorIds, xorTupleIds, type RandomSource, type TupleId } from './tuple-id.js';

/** Deterministic ids from mulberry32, so a shrunk counterexample replays exactly. */
function seededSource(seed: number): RandomSource {
  const random = mulberry32(seed);
  return (target) => {
    for (let i = 0; i < target.length; i++) target[i] = Math.floor(random() * 2 ** 32);
  };
}

type Mode = 'ack-all' | 'drop-some' | 'fail-one';

interface TreeSpec {
  /** parents[i] = the tuple tuple i is anchored to, or -1 for an edge emitted by the spout. */
  readonly parents: readonly number[];
  readonly mode: Mode;
  readonly picks: readonly number[];
  readonly spoutTaskId: number;
}

interface Message {
  readonly tree: number;
  readonly rootId: TupleId;
  readonly spoutTaskId: number;
  readonly kind: 'init' | 'ack' | 'fail';
  readonly xor: number;
}

const parentsArbitrary = fc
  .array(fc.nat(), { minLength: 1, maxLength: 25 })
  .map((raw) => raw.map((value, i) => (i === 0 ? -1 : (value % (i + 1)) - 1)));

const treeArbitrary: fc.Arbitrary<TreeSpec> = fc.record({
  parents: parentsArbitrary,
  mode: fc.constantFrom<Mode>('ack-all', 'drop-some', 'fail-one'),
  picks: fc.array(fc.nat(), { minLength: 1, maxLength: 5 }),
  spoutTaskId: fc.nat(64),
});

/** The acker messages of one tree: the spout's init, then per tuple the ack of the bolt that
 * consumed it (its id XOR its children's ids) — or a fail, or nothing, as the mode says. */
function messagesOf(spec: TreeSpec, tree: number, nextId: () => TupleId): Message[] {
  const rootId = nextId();
  const ids = spec.parents.map(() => nextId());
  const childrenXor = (parent: number): number =>
    xorTupleIds(ids.filter((_, i) => spec.parents[i] === parent));
  const dropped = new Set(spec.mode === 'drop-some' ? spec.picks.map((p) => p % ids.length) : []);
  const failed = spec.mode === 'fail-one' ? (spec.picks[0] ?? 0) % ids.length : -1;
  const { spoutTaskId } = spec;
  const messages: Message[] = [{ tree, rootId, spoutTaskId, kind: 'init', xor: childrenXor(-1) }];
  ids.forEach((id, i) => {
    if (i === failed) messages.push({ tree, rootId, spoutTaskId, kind: 'fail', xor: 0 });
    else if (!dropped.has(i)) messages.push({ tree, rootId, spoutTaskId, kind: 'ack', xor: xorIds(id, childrenXor(i)) });
  });
  return messages;
}

const scenarioArbitrary = fc
  .record({ trees: fc.array(treeArbitrary, { minLength: 1, maxLength: 5 }), seed: fc.nat() })
  .chain(({ trees, seed }) => {
    const nextId = createTupleIdGenerator(seededSource(seed));
    const messages = trees.flatMap((spec, tree) => messagesOf(spec, tree, nextId));
    const indices = messages.map((_, i) => i);
    return fc.record({
      trees: fc.constant(trees),
      messages: fc.constant(messages),
      order: fc.shuffledSubarray(indices, { minLength: indices.length, maxLength: indices.length }),
      stepsMs: fc.array(fc.nat(5), { minLength: indices.length, maxLength: indices.length }),
    });
  });

interface Delivered {
  readonly event: AckerEvent;
  readonly position: number;
}

/** Delivers the messages in `order`, checking the acker's invariants after each one. */
function deliver(messages: readonly Message[], order: readonly number[], stepsMs: readonly number[]) {
  const acker = new Acker({ timeoutBucketWidthMs: 3 });
  const events: Delivered[] = [];
  const timesMs: number[] = [];
  let nowMs = 0;
  order.forEach((index, position) => {
    nowMs += stepsMs[position] ?? 0;
    timesMs.push(nowMs);
    const message = messages[index];
    if (message === undefined) throw new Error(`no message ${index}`);
    const out =
      message.kind === 'init'
        ? acker.init(message.rootId, message.spoutTaskId, message.xor, nowMs)
        : message.kind === 'ack'
          ? acker.ack(message.rootId, message.xor, nowMs)
          : acker.fail(message.rootId);
    for (const event of out) events.push({ event, position });
    acker.checkInvariants();
  });
  return { acker, events, timesMs };
}

describe('acker on random tuple trees in random interleavings', () => {
  it('completes a fully acked tree exactly once, on its last message; others never complete; a failed tree fails once', () => {
    fc.assert(
      fc.property(scenarioArbitrary, ({ trees, messages, order, stepsMs }) => {
        const { acker, events, timesMs } = deliver(messages, order, stepsMs);
        trees.forEach((spec, tree) => {
          const positions = order.flatMap((index, position) => (messages[index]?.tree === tree ? [position] : []));
          const initPosition = order.findIndex((index) => messages[index]?.tree === tree && messages[index]?.kind === 'init');
          const rootId = messages.find((message) => message.tree === tree)?.rootId;
          const own = events.filter(({ event }) => event.rootId === rootId);
          const lastPosition = Math.max(...positions);
          if (spec.mode === 'ack-all') {
            expect(own).toEqual([
              {
                event: {
                  kind: 'complete',
                  rootId,
                  spoutTaskId: spec.spoutTaskId,
                  latencyMs: (timesMs[lastPosition] ?? 0) - (timesMs[initPosition] ?? 0),
                },
                position: lastPosition,
              },
            ]);
            expect(acker.has(rootId ?? 0)).toBe(false);
          } else if (spec.mode === 'drop-some') {
            expect(own).toEqual([]);
            expect(acker.has(rootId ?? 0)).toBe(true);
          } else {
            const failPosition = order.findIndex((index) => messages[index]?.tree === tree && messages[index]?.kind === 'fail');
            expect(own).toEqual([
              {
                event: { kind: 'failed', rootId, spoutTaskId: spec.spoutTaskId, reason: 'fail' },
                position: Math.max(initPosition, failPosition),
              },
            ]);
          }
        });
      }),
      { numRuns: 300 },
    );
  });
});

describe('acker timeouts', () => {
  const entryArbitrary = fc.record({
    gapMs: fc.nat(40),
    earlyAckLeadMs: fc.option(fc.nat(40), { nil: undefined }),
    completes: fc.boolean(),
    expireAfter: fc.boolean(),
  });

  it('fail exactly the pending trees older than the timeout, each once', () => {
    fc.assert(
      fc.property(
        fc.array(entryArbitrary, { maxLength: 40 }),
        fc.integer({ min: 1, max: 100 }),
        fc.nat(200),
        fc.nat(),
        fc.nat(300),
        (entries, bucketWidthMs, timeoutMs, seed, finalGapMs) => {
          const acker = new Acker({ timeoutBucketWidthMs: bucketWidthMs });
          const nextId = createTupleIdGenerator(seededSource(seed));
          const pending = new Map<TupleId, number>(); // root → init time, for trees not yet done
          let nowMs = 0;
          const expireAndCheck = (): void => {
            const failed = acker.expire(nowMs, timeoutMs);
            const expected = [...pending].filter(([, initMs]) => nowMs - initMs > timeoutMs).map(([root]) => root);
            expect(failed.map((event) => event.kind === 'failed' && event.reason === 'timeout')).not.toContain(false);
            expect(new Set(failed.map((event) => event.rootId))).toEqual(new Set(expected));
            expect(failed).toHaveLength(expected.length);
            for (const root of expected) pending.delete(root);
            acker.checkInvariants();
          };
          for (const entry of entries) {
            const rootId = nextId();
            const edge = nextId();
            const child = entry.completes ? 0 : nextId();
            nowMs += entry.gapMs;
            if (entry.earlyAckLeadMs !== undefined) {
              expect(acker.ack(rootId, xorIds(edge, child), nowMs)).toEqual([]);
              nowMs += entry.earlyAckLeadMs; // the age counts from init, not from this ack
            }
            const onInit = acker.init(rootId, 7, edge, nowMs);
            if (entry.earlyAckLeadMs === undefined) onInit.push(...acker.ack(rootId, xorIds(edge, child), nowMs));
            expect(onInit.map((event) => event.kind)).toEqual(entry.completes ? ['complete'] : []);
            if (!entry.completes) pending.set(rootId, nowMs);
            if (entry.expireAfter) expireAndCheck();
          }
          nowMs += finalGapMs;
          expireAndCheck();
          nowMs += timeoutMs + 1;
          expireAndCheck();
          expect(pending.size).toBe(0);
          expect(acker.pendingTrees).toBe(0);
        },
      ),
      { numRuns: 300 },
    );
  });
});
