import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { HintTooLargeError } from './errors.js';
import { HintQueue } from './hinted-handoff.js';
import { lwwArbitrary } from './test-support.js';
import { equals, liveValue, lwwWrite, merge, type VersionedValue } from './versioned-value.js';

const value = (wallMs: number, text = 'v'): VersionedValue => lwwWrite({ wallMs, logical: 0 }, 'w', liveValue(Buffer.from(text)));

describe('hint queue', () => {
  it('keeps one hint per intended node and key, merging newer writes into it', () => {
    const queue = new HintQueue();
    const first = queue.add('b', 'k', value(1, 'old'), 100);
    const second = queue.add('b', 'k', value(2, 'new'), 200);
    expect(queue.hintsFor('b')).toEqual([second]);
    expect(second.id).not.toBe(first.id);
    expect(second.storedAtMs).toBe(100);
    expect(equals(second.value, value(2, 'new'))).toBe(true);
    expect(queue.stats()).toMatchObject({ hints: 1, mergedHints: 1, totalBytes: second.sizeBytes });
  });

  it('drops the oldest hints of a target past maxHintsPerTarget, counting them', () => {
    const queue = new HintQueue({ maxHintsPerTarget: 2 });
    queue.add('b', 'k1', value(1), 0);
    queue.add('c', 'k1', value(1), 0);
    queue.add('b', 'k2', value(1), 0);
    queue.add('b', 'k3', value(1), 0);
    expect(queue.hintsFor('b').map((hint) => hint.key.toString())).toEqual(['k2', 'k3']);
    expect(queue.hintsFor('c')).toHaveLength(1);
    expect(queue.stats().droppedHints).toBe(1);
  });

  it('drops the oldest hints overall past maxTotalBytes and refuses a hint larger than the budget', () => {
    const size = new HintQueue().add('b', 'k0', value(1), 0).sizeBytes;
    const queue = new HintQueue({ maxTotalBytes: size * 2 });
    queue.add('b', 'k0', value(1), 0);
    queue.add('c', 'k1', value(1), 0);
    queue.add('b', 'k2', value(1), 0);
    expect(queue.stats()).toMatchObject({ hints: 2, droppedHints: 1, droppedBytes: size, totalBytes: size * 2 });
    expect(queue.hintsFor('b').map((hint) => hint.key.toString())).toEqual(['k2']);
    expect(() => queue.add('b', 'big', value(1, 'x'.repeat(size * 2)), 0)).toThrow(HintTooLargeError);
  });

  it('replays oldest first in bounded batches, re-offering only after a timeout or a failure', () => {
    const queue = new HintQueue({ replayBatchHints: 2, replayTimeoutMs: 50 });
    const [h1, h2, h3] = ['k1', 'k2', 'k3'].map((key) => queue.add('b', key, value(1), 0)) as [ReturnType<HintQueue['add']>, ReturnType<HintQueue['add']>, ReturnType<HintQueue['add']>];
    expect(queue.replay('b', 10)).toEqual([h1, h2]);
    expect(queue.replay('b', 10)).toEqual([h3]);
    expect(queue.replay('b', 20)).toEqual([]);
    queue.replayFailed(h2.id);
    expect(queue.acknowledge(h1.id)).toBe(true);
    expect(queue.replay('b', 20)).toEqual([h2]);
    expect(queue.replay('b', 60)).toEqual([h3]);
    expect(queue.acknowledge(h1.id)).toBe(false);
  });

  it('keeps a hint merged while its older form was being replayed', () => {
    const queue = new HintQueue();
    const sent = queue.add('b', 'k', value(1), 0);
    expect(queue.replay('b', 0)).toEqual([sent]);
    const merged = queue.add('b', 'k', value(2), 1);
    expect(queue.acknowledge(sent.id)).toBe(false);
    expect(queue.replay('b', 2)).toEqual([merged]);
  });

  it('expires hints older than maxHintAgeMs', () => {
    const queue = new HintQueue({ maxHintAgeMs: 100 });
    queue.add('b', 'k1', value(1), 0);
    queue.add('b', 'k2', value(1), 50);
    expect(queue.expire(120)).toBe(1);
    expect(queue.hintsFor('b').map((hint) => hint.key.toString())).toEqual(['k2']);
    expect(queue.targets()).toEqual(['b']);
  });

  /** Simulated outage: writes for a down replica pile up as hints; once it is up, replay with lost
   * acknowledgements and failures still leaves it with exactly the merge of every write. */
  it('hands every write back to a recovered replica despite lost acks (simulated)', () => {
    const writeArbitrary = fc.record({ key: fc.constantFrom('a', 'b', 'c', 'd'), value: lwwArbitrary });
    const fateArbitrary = fc.constantFrom('ack', 'lost', 'fail');
    fc.assert(
      fc.property(fc.array(writeArbitrary, { maxLength: 30 }), fc.infiniteStream(fateArbitrary), (writes, fates) => {
        const queue = new HintQueue({ replayBatchHints: 3, replayTimeoutMs: 10 });
        const expected = new Map<string, VersionedValue>();
        for (const write of writes) {
          queue.add('r', write.key, write.value, 0);
          const previous = expected.get(write.key);
          expected.set(write.key, previous === undefined ? write.value : merge(previous, write.value));
        }
        const replica = new Map<string, VersionedValue>();
        const fate = fates[Symbol.iterator]();
        for (let nowMs = 0; queue.stats().hints > 0; nowMs += 5) {
          expect(nowMs).toBeLessThan(10_000);
          for (const hint of queue.replay('r', nowMs)) {
            const outcome = fate.next().value as string;
            if (outcome === 'fail') {
              queue.replayFailed(hint.id);
              continue;
            }
            const key = hint.key.toString();
            const held = replica.get(key);
            replica.set(key, held === undefined ? hint.value : merge(held, hint.value));
            if (outcome === 'ack') queue.acknowledge(hint.id);
          }
        }
        expect([...replica.keys()].sort()).toEqual([...expected.keys()].sort());
        for (const [key, merged] of expected) expect(equals(replica.get(key) as VersionedValue, merged)).toBe(true);
        expect(queue.stats()).toMatchObject({ totalBytes: 0, droppedHints: 0 });
      }),
      { numRuns: 100 },
    );
  });
});
