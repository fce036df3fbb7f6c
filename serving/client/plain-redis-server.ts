/**
 * The Keyspace over a plain Redis (7.0 or later, for PEXPIRETIME). Redis is one process, so every
 * single command is atomic and linearizable; what needs care is reading value and expiry together
 * and compareAndSet:
 *
 * - get is MULTI GET PEXPIRETIME EXEC on the shared connection (ioredis sends the transaction's
 *   commands back to back, so nothing multiplexed interleaves).
 * - compareAndSet, on a dedicated connection (WatchConnectionPool): WATCH key, GET, PEXPIRETIME,
 *   compare, then MULTI SET|DEL EXEC when equal, or an empty MULTI EXEC when not. An EXEC that
 *   succeeds proves the key did not change since WATCH, so the read it decided on was current at
 *   that EXEC: refusals are as linearizable as writes. An aborted EXEC (a concurrent write) starts
 *   over from WATCH; with a changed entry, that next round reports the refusal.
 * - consistency is ignored: a single Redis has no replicas to ask.
 * - size is DBSIZE when no key has a TTL; otherwise DBSIZE would count expired keys Redis has not
 *   reclaimed yet, so live keys are counted with SCAN (which skips them): O(keys).
 */
import type { Redis } from 'ioredis';
import type { CompareAndSetResult, Consistency, Entry, Keyspace, ScanPage } from '../keyspace/keyspace.js';
import { entriesEqual } from '../keyspace/keyspace.js';
import { CompareAndSetContentionError, ContractViolationError } from './errors.js';
import { MAX_WATCH_ATTEMPTS } from './limits.js';
import { bufferReply, entryOf, integerReply, isAlreadyExpired, scanPageReply, setArguments } from './replies.js';
import { WatchConnectionPool } from './watch-pool.js';

/** PEXPIRETIME's answers besides a time. */
const NO_EXPIRY = -1;
const NO_KEY = -2;
const SIZE_SCAN_COUNT = 1_000;

/** Value and PEXPIRETIME read together, or 'torn' when the key vanished between them (it expired
 * in between, or a concurrent write did it outside a transaction). */
function entryFromReads(value: unknown, expiry: unknown): Entry | undefined | 'torn' {
  const bytes = bufferReply('GET', value);
  const expiresAtMs = integerReply('PEXPIRETIME', expiry);
  if (bytes === undefined) return undefined;
  if (expiresAtMs === NO_KEY) return 'torn';
  if (expiresAtMs !== NO_EXPIRY && expiresAtMs < 0) throw new ContractViolationError('PEXPIRETIME', expiry, 'a Unix time in ms, -1 or -2');
  return entryOf(bytes, expiresAtMs === NO_EXPIRY ? undefined : expiresAtMs);
}

function execResults(results: Array<[Error | null, unknown]> | null): unknown[] | null {
  if (results === null) return null;
  for (const [error] of results) if (error) throw error;
  return results.map(([, result]) => result);
}

export class PlainRedisKeyspace implements Keyspace {
  private readonly pool: WatchConnectionPool;

  constructor(
    private readonly client: Redis,
    openConnection: () => Promise<Redis>,
    private readonly database: number,
  ) {
    this.pool = new WatchConnectionPool(openConnection);
  }

  async get(key: Buffer): Promise<Entry | undefined> {
    const results = execResults(await this.client.multi().getBuffer(key).call('PEXPIRETIME', key).exec());
    if (results === null) throw new ContractViolationError('EXEC', results, 'the results of an unwatched transaction');
    const found = entryFromReads(results[0], results[1]);
    // Inside one transaction the key cannot vanish between the two reads.
    if (found === 'torn') throw new ContractViolationError('MULTI GET PEXPIRETIME EXEC', results, 'an expiry for a key that has a value');
    return found;
  }

  async getAll(key: Buffer): Promise<Entry[]> {
    const entry = await this.get(key);
    return entry === undefined ? [] : [entry];
  }

  async set(key: Buffer, entry: Entry): Promise<void> {
    if (isAlreadyExpired(entry)) return this.delete(key);
    await this.client.callBuffer('SET', ...setArguments(key, entry));
  }

  async delete(key: Buffer): Promise<void> {
    await this.client.del(key);
  }

  compareAndSet(key: Buffer, expected: Entry | undefined, next: Entry | undefined, _consistency?: Consistency): Promise<CompareAndSetResult> {
    return this.pool.with(async (connection) => {
      for (let attempt = 1; attempt <= MAX_WATCH_ATTEMPTS; attempt += 1) {
        await connection.watch(key);
        const [value, expiry] = await Promise.all([connection.getBuffer(key), connection.call('PEXPIRETIME', key)]);
        const current = entryFromReads(value, expiry);
        const transaction = connection.multi();
        const write = current !== 'torn' && entriesEqual(current, expected) && !entriesEqual(next, expected);
        if (write && (next === undefined || isAlreadyExpired(next))) transaction.del(key);
        else if (write) transaction.callBuffer('SET', ...setArguments(key, next!));
        // A torn read ends in an empty transaction too: it clears the WATCH, and the next round
        // reads again.
        const committed = execResults(await transaction.exec());
        if (committed === null || current === 'torn') continue;
        return entriesEqual(current, expected) ? { written: true } : { written: false, current };
      }
      throw new CompareAndSetContentionError(key, MAX_WATCH_ATTEMPTS);
    });
  }

  async scan(cursor: string, count: number): Promise<ScanPage> {
    return scanPageReply(await this.client.callBuffer('SCAN', cursor, 'COUNT', String(count)));
  }

  async size(): Promise<number> {
    const info = String(await this.client.info('keyspace'));
    const line = new RegExp(`^db${this.database}:keys=(\\d+),expires=(\\d+)`, 'm').exec(info);
    if (line === null) return 0;
    if (Number(line[2]) === 0) return Number(line[1]);
    let live = 0;
    let cursor = '0';
    do {
      const page = await this.scan(cursor, SIZE_SCAN_COUNT);
      live += page.keys.length;
      cursor = page.cursor;
    } while (cursor !== '0');
    return live;
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}
