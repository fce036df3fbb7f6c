/**
 * The Keyspace over a Barista serving node: every operation is one command executed by the node's
 * own keyspace (QuorumKeyspace in `barista serve`), so its guarantees are the node's. compareAndSet
 * is BARISTA.CAS, i.e. the node's Paxos round; get is BARISTA.GETENTRY (value and expiry read
 * together).
 *
 * Consistency travels as BARISTA.CONSISTENCY, which is connection state: an operation with a
 * consistency (its own merged over the client's default) is sent as a pipeline of
 * BARISTA.CONSISTENCY, the command, BARISTA.CONSISTENCY DEFAULT. ioredis writes a pipeline's
 * commands back to back and the node reads each command's consistency when it dispatches it, so
 * other operations multiplexed on the connection are not affected.
 */
import type { Redis } from 'ioredis';
import type { CompareAndSetResult, Consistency, Entry, Keyspace, ScanPage } from '../keyspace/keyspace.js';
import { ContractViolationError } from './errors.js';
import { bufferReply, entryOf, entryPairReply, expiryReply, integerReply, isAlreadyExpired, scanPageReply, setArguments } from './replies.js';

type Argument = Buffer | string;

function consistencyArguments(consistency: Consistency): string[] {
  const out: string[] = [];
  for (const field of ['r', 'w', 'n'] as const) {
    const value = consistency[field];
    if (value !== undefined) out.push(field.toUpperCase(), String(value));
  }
  return out;
}

function entryArguments(entry: Entry): Argument[] {
  return entry.expiresAtMs === undefined ? [entry.value] : [entry.value, 'PXAT', String(entry.expiresAtMs)];
}

/** BARISTA.CAS arguments after the key. */
export function casArguments(expected: Entry | undefined, next: Entry | undefined): Argument[] {
  const condition: Argument[] = expected === undefined ? ['NX'] : ['EQ', ...entryArguments(expected)];
  const action: Argument[] = next === undefined || isAlreadyExpired(next) ? ['DEL'] : ['SET', ...entryArguments(next)];
  return [...condition, ...action];
}

export class BaristaServerKeyspace implements Keyspace {
  constructor(
    private readonly client: Redis,
    private readonly defaultConsistency: Consistency | undefined,
  ) {}

  async get(key: Buffer, consistency?: Consistency): Promise<Entry | undefined> {
    const reply = await this.run(consistency, 'BARISTA.GETENTRY', key);
    return reply === null ? undefined : entryPairReply('BARISTA.GETENTRY', reply);
  }

  async getAll(key: Buffer, consistency?: Consistency): Promise<Entry[]> {
    const reply = await this.run(consistency, 'BARISTA.GETALL', key, 'WITHEXPIRY');
    if (!Array.isArray(reply)) throw new ContractViolationError('BARISTA.GETALL', reply, 'an array of [value, expiry] pairs');
    return reply.map((pair) => entryPairReply('BARISTA.GETALL', pair));
  }

  async set(key: Buffer, entry: Entry, consistency?: Consistency): Promise<void> {
    if (isAlreadyExpired(entry)) return this.delete(key, consistency);
    await this.run(consistency, 'SET', ...setArguments(key, entry));
  }

  async delete(key: Buffer, consistency?: Consistency): Promise<void> {
    await this.run(consistency, 'DEL', key);
  }

  async compareAndSet(key: Buffer, expected: Entry | undefined, next: Entry | undefined, consistency?: Consistency): Promise<CompareAndSetResult> {
    const reply = await this.run(consistency, 'BARISTA.CAS', key, ...casArguments(expected, next));
    if (reply === 1) return { written: true };
    if (!Array.isArray(reply) || reply.length !== 3 || reply[0] !== 0) throw new ContractViolationError('BARISTA.CAS', reply, '1, or [0, current value, current expiry]');
    const value = bufferReply('BARISTA.CAS', reply[1]);
    const expiresAtMs = expiryReply('BARISTA.CAS', reply[2]);
    if (value === undefined && expiresAtMs !== undefined) throw new ContractViolationError('BARISTA.CAS', reply, 'no expiry for an absent key');
    return { written: false, current: value === undefined ? undefined : entryOf(value, expiresAtMs) };
  }

  async scan(cursor: string, count: number): Promise<ScanPage> {
    return scanPageReply(await this.client.callBuffer('SCAN', cursor, 'COUNT', String(count)));
  }

  async size(): Promise<number> {
    return integerReply('DBSIZE', await this.client.call('DBSIZE'));
  }

  private async run(consistency: Consistency | undefined, command: string, ...args: Argument[]): Promise<unknown> {
    const effective = consistencyArguments({ ...this.defaultConsistency, ...consistency });
    if (effective.length === 0) return this.client.callBuffer(command, ...args);
    const results = await this.client.pipeline().call('BARISTA.CONSISTENCY', ...effective).callBuffer(command, ...args).call('BARISTA.CONSISTENCY', 'DEFAULT').exec();
    if (results === null || results.length !== 3) throw new ContractViolationError(command, results, 'one reply per pipelined command');
    for (const [error] of results) if (error) throw error;
    return results[1]![1];
  }
}
