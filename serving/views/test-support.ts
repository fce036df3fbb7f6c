/**
 * Helpers of the views' tests: a model of the log (records per partition, recounts, aligned
 * cut-offs) and a keyspace whose every operation waits for fast-check's scheduler, so that
 * property tests explore interleavings of writers, publishes and readers.
 */
import fc from 'fast-check';
import type { CompareAndSetResult, Consistency, Entry, Keyspace, ScanPage } from '../keyspace/keyspace.js';
import { alignCutOff, cutOffOf, type CutOffs } from './log-position.js';
import type { Monoid } from './monoids/monoid.js';

export const MODEL_KEYS = ['a', 'b', 'c', 'd'];

export interface LogRecord {
  key: string;
  delta: unknown;
}

/** Monoids under test, with deltas of each. */
export const MODEL_MONOIDS: Array<[string, fc.Arbitrary<unknown>]> = [
  ['sum', fc.integer({ min: -2, max: 5 })],
  ['max', fc.integer({ min: -50, max: 50 })],
  ['set', fc.constantFrom('x', 'y', 'z', 'w')],
  ['topn:2', fc.array(fc.constantFrom('p', 'q', 'r'), { minLength: 1, maxLength: 2 })],
];

export const modelPartition = (index: number): string => `log-${index}`;

/** 1 to 3 partitions of up to `maxLength` records each. */
export function logsArbitrary(delta: fc.Arbitrary<unknown>, partitions: number, maxLength = 24): fc.Arbitrary<LogRecord[][]> {
  const record = fc.record({ key: fc.constantFrom(...MODEL_KEYS), delta });
  return fc.array(fc.array(record, { maxLength }), { minLength: partitions, maxLength: partitions });
}

export class LogModel {
  constructor(
    readonly monoid: Monoid<unknown>,
    readonly logs: LogRecord[][],
    readonly bucketOffsets: number,
  ) {}

  /** Combined deltas of `key` at offsets up to `offsets` per partition (absent: none). */
  recount(key: string, offsets: CutOffs): unknown {
    let value = this.monoid.zero;
    this.logs.forEach((log, partition) => {
      const upTo = Math.min(cutOffOf(offsets, modelPartition(partition)), log.length - 1);
      for (let offset = 0; offset <= upTo; offset += 1) {
        if (log[offset]!.key === key) value = this.monoid.combine(value, this.monoid.from(log[offset]!.delta));
      }
    });
    return value;
  }

  /** Aligned cut-offs at or above `floor`, chosen by `picks`. */
  cutOffs(floor: CutOffs, picks: readonly number[]): CutOffs {
    return Object.fromEntries(
      this.logs.map((log, partition) => {
        const low = cutOffOf(floor, modelPartition(partition));
        const high = Math.max(low, alignCutOff(log.length - 1, this.bucketOffsets));
        const steps = (high - low) / this.bucketOffsets;
        return [modelPartition(partition), low + ((picks[partition] ?? 0) % (steps + 1)) * this.bucketOffsets];
      }),
    );
  }

  /** Highest offset of a record of `key` in `partition` at or below `upTo`, or -1. */
  lastOffsetOf(key: string, partition: number, upTo: number): number {
    return this.logs[partition]!.slice(0, upTo + 1).findLastIndex((record) => record.key === key);
  }
}

/** Every operation first waits its turn on the scheduler, then runs on `inner`. */
export class ScheduledKeyspace implements Keyspace {
  constructor(
    private readonly inner: Keyspace,
    private readonly scheduler: fc.Scheduler,
  ) {}

  private async turn(label: string): Promise<void> {
    await this.scheduler.schedule(Promise.resolve(), label);
  }

  async get(key: Buffer, consistency?: Consistency): Promise<Entry | undefined> {
    await this.turn(`get ${key.toString('latin1')}`);
    return this.inner.get(key, consistency);
  }

  async getAll(key: Buffer, consistency?: Consistency): Promise<Entry[]> {
    await this.turn(`getAll ${key.toString('latin1')}`);
    return this.inner.getAll(key, consistency);
  }

  async set(key: Buffer, entry: Entry, consistency?: Consistency): Promise<void> {
    await this.turn(`set ${key.toString('latin1')}`);
    return this.inner.set(key, entry, consistency);
  }

  async delete(key: Buffer, consistency?: Consistency): Promise<void> {
    await this.turn(`delete ${key.toString('latin1')}`);
    return this.inner.delete(key, consistency);
  }

  async compareAndSet(key: Buffer, expected: Entry | undefined, next: Entry | undefined, consistency?: Consistency): Promise<CompareAndSetResult> {
    await this.turn(`cas ${key.toString('latin1')}`);
    return this.inner.compareAndSet(key, expected, next, consistency);
  }

  async scan(cursor: string, count: number): Promise<ScanPage> {
    await this.turn(`scan ${cursor}`);
    return this.inner.scan(cursor, count);
  }

  async size(): Promise<number> {
    await this.turn('size');
    return this.inner.size();
  }
}
