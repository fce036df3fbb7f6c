/**
 * Test helper: runs a test's manual clock on a server whose clock is real (redis-server), by
 * translating times. Test time t maps to the real time originReal + (t - originTest) × SCALE;
 * before each operation the helper waits until the real clock has passed the mapped "now", so an
 * entry whose expiry is at or before the test's now is expired for the server too. An entry that
 * expires one test-millisecond later stays live for SCALE - 1 real milliseconds after that wait:
 * the one place where the real server's speed matters, so SCALE is generous.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { CompareAndSetResult, Consistency, Entry, Keyspace, ScanPage } from '../keyspace/keyspace.js';

/** Real milliseconds per test millisecond. */
export const REAL_MS_PER_TEST_MS = 50;

export class RealClockKeyspace implements Keyspace {
  private readonly originTestMs: number;
  private readonly originRealMs = Date.now();

  constructor(
    private readonly inner: Keyspace,
    private readonly clock: { nowMs: () => number },
  ) {
    this.originTestMs = clock.nowMs();
  }

  async get(key: Buffer, consistency?: Consistency): Promise<Entry | undefined> {
    await this.catchUp();
    return this.fromReal(await this.inner.get(key, consistency));
  }

  async getAll(key: Buffer, consistency?: Consistency): Promise<Entry[]> {
    await this.catchUp();
    return (await this.inner.getAll(key, consistency)).map((entry) => this.fromReal(entry)!);
  }

  async set(key: Buffer, entry: Entry, consistency?: Consistency): Promise<void> {
    await this.catchUp();
    await this.inner.set(key, this.toReal(entry)!, consistency);
  }

  async delete(key: Buffer, consistency?: Consistency): Promise<void> {
    await this.catchUp();
    await this.inner.delete(key, consistency);
  }

  async compareAndSet(key: Buffer, expected: Entry | undefined, next: Entry | undefined, consistency?: Consistency): Promise<CompareAndSetResult> {
    await this.catchUp();
    const outcome = await this.inner.compareAndSet(key, this.toReal(expected), this.toReal(next), consistency);
    return outcome.written ? outcome : { written: false, current: this.fromReal(outcome.current) };
  }

  async scan(cursor: string, count: number): Promise<ScanPage> {
    await this.catchUp();
    return this.inner.scan(cursor, count);
  }

  async size(): Promise<number> {
    await this.catchUp();
    return this.inner.size();
  }

  private realMs(testMs: number): number {
    return this.originRealMs + (testMs - this.originTestMs) * REAL_MS_PER_TEST_MS;
  }

  /** Redis expires a key when its clock is past the expiry, hence the + 1. */
  private async catchUp(): Promise<void> {
    const target = this.realMs(this.clock.nowMs()) + 1;
    while (Date.now() < target) await sleep(target - Date.now());
  }

  private toReal(entry: Entry | undefined): Entry | undefined {
    if (entry?.expiresAtMs === undefined) return entry;
    return { value: entry.value, expiresAtMs: this.realMs(entry.expiresAtMs) };
  }

  private fromReal(entry: Entry | undefined): Entry | undefined {
    if (entry?.expiresAtMs === undefined) return entry;
    const testMs = this.originTestMs + (entry.expiresAtMs - this.originRealMs) / REAL_MS_PER_TEST_MS;
    if (!Number.isInteger(testMs)) throw new Error(`expiry ${entry.expiresAtMs} was not written through this RealClockKeyspace`);
    return { value: entry.value, expiresAtMs: testMs };
  }
}
