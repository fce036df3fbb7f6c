/**
 * The one read-modify-write loop of the views: read an entry, decide, and write with the
 * keyspace's linearizable compareAndSet; when another writer got there first, decide again from
 * the entry compareAndSet returns, at most MAX_VIEW_COMPARE_AND_SET_ATTEMPTS times, then
 * ViewContentionError. A decision may also write nothing (a duplicate delta, an existing
 * definition), which costs no compare-and-set.
 */
import type { Consistency, Entry, Keyspace } from '../keyspace/keyspace.js';
import { ViewContentionError } from './errors.js';
import { MAX_VIEW_COMPARE_AND_SET_ATTEMPTS } from './limits.js';

export type Decision<R> = { write: Entry | undefined; result: R } | { keep: true; result: R };

export interface UpdateTarget {
  keyspace: Keyspace;
  consistency?: Consistency;
  key: Buffer;
  /** For the contention error: "realtime record of view 'words' key 'the'". */
  what: string;
}

export interface UpdateOutcome<R> {
  result: R;
  /** Compare-and-sets tried (0 when the first decision wrote nothing). */
  attempts: number;
}

export async function updateEntry<R>(target: UpdateTarget, decide: (current: Entry | undefined) => Decision<R>, maxAttempts = MAX_VIEW_COMPARE_AND_SET_ATTEMPTS): Promise<UpdateOutcome<R>> {
  const { keyspace, consistency, key } = target;
  let current = await keyspace.get(key, consistency);
  for (let attempt = 1; attempt <= maxAttempts; attempt += 1) {
    const decision = decide(current);
    if ('keep' in decision) return { result: decision.result, attempts: attempt - 1 };
    const outcome = await keyspace.compareAndSet(key, current, decision.write, consistency);
    if (outcome.written) return { result: decision.result, attempts: attempt };
    current = outcome.current;
  }
  throw new ViewContentionError(target.what, maxAttempts);
}
