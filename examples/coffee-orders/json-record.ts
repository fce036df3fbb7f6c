/**
 * Read-decide-write of one JSON record in a serving Keyspace, with its linearizable
 * compareAndSet: the payment gateway and the stock room keep one record per order or per drink
 * and change it only through here, so two tasks (or a task and its replay) deciding at once
 * cannot both win. A decision that writes nothing costs no compare-and-set.
 */
import type { Consistency, Entry, Keyspace } from '../../serving/keyspace/keyspace.js';
import { CorruptRecordError, RecordContentionError } from './errors.js';
import { MAX_RECORD_UPDATE_ATTEMPTS } from './limits.js';

export interface RecordStore {
  readonly keyspace: Keyspace;
  readonly consistency?: Consistency;
}

export type RecordDecision<T, R> = { readonly write: T; readonly result: R } | { readonly keep: true; readonly result: R };

export function decodeRecord<T>(what: string, entry: Entry | undefined, isRecord: (value: unknown) => value is T): T | undefined {
  if (entry === undefined) return undefined;
  const text = entry.value.toString('utf8');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new CorruptRecordError(what, text);
  }
  if (!isRecord(parsed)) throw new CorruptRecordError(what, text);
  return parsed;
}

export async function readRecord<T>(store: RecordStore, key: string, what: string, isRecord: (value: unknown) => value is T): Promise<T | undefined> {
  return decodeRecord(what, await store.keyspace.get(Buffer.from(key), store.consistency), isRecord);
}

export async function updateRecord<T, R>(store: RecordStore, key: string, what: string, isRecord: (value: unknown) => value is T, decide: (current: T | undefined) => RecordDecision<T, R>): Promise<R> {
  const { keyspace, consistency } = store;
  const keyBytes = Buffer.from(key);
  let current = await keyspace.get(keyBytes, consistency);
  for (let attempt = 1; attempt <= MAX_RECORD_UPDATE_ATTEMPTS; attempt += 1) {
    const decision = decide(decodeRecord(what, current, isRecord));
    if ('keep' in decision) return decision.result;
    const outcome = await keyspace.compareAndSet(keyBytes, current, { value: Buffer.from(JSON.stringify(decision.write)) }, consistency);
    if (outcome.written) return decision.result;
    current = outcome.current;
  }
  throw new RecordContentionError(what, MAX_RECORD_UPDATE_ATTEMPTS);
}
