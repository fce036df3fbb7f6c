/**
 * Read-modify-write over the keyspace: read the entry, decide the next one and the reply, and
 * write it with compareAndSet; when another client changed the key in between, decide again from
 * the entry compareAndSet found, up to MAX_COMPARE_AND_SET_ATTEMPTS times (then ContentionError,
 * "-ERR too much contention ..."). Outcomes that write nothing (SET NX on an existing key, INCR of
 * a non-number) are confirmed the same way, with the current entry as `next`, so that every
 * answer of INCR, SET NX/XX/GET/KEEPTTL, EXPIRE and PERSIST is linearizable.
 */
import type { Entry } from '../../keyspace/keyspace.js';
import { ContentionError } from '../errors.js';
import { MAX_COMPARE_AND_SET_ATTEMPTS } from '../limits.js';
import type { Reply } from '../reply.js';
import type { CommandContext } from './types.js';

export interface Decision {
  /** The entry to leave (undefined = delete); the current one to change nothing. */
  next: Entry | undefined;
  reply: Reply;
}

/** Decides from the current entry (undefined = absent) and the time of this attempt. */
export type Decide = (current: Entry | undefined, nowMs: number) => Decision;

export async function readModifyWrite(context: CommandContext, key: Buffer, decide: Decide): Promise<Reply> {
  const { keyspace, consistency } = context;
  let current = await keyspace.get(key, consistency);
  for (let attempt = 1; attempt <= MAX_COMPARE_AND_SET_ATTEMPTS; attempt += 1) {
    const decision = decide(current, context.nowMs());
    const outcome = await keyspace.compareAndSet(key, current, decision.next, consistency);
    if (outcome.written) return decision.reply;
    current = outcome.current;
  }
  throw new ContentionError(key, MAX_COMPARE_AND_SET_ATTEMPTS);
}

/** A decision that leaves the entry as it is. */
export function unchanged(current: Entry | undefined, reply: Reply): Decision {
  return { next: current, reply };
}

/** The entry with another expiry (undefined = none). */
export function withExpiry(entry: Entry, expiresAtMs: number | undefined): Entry {
  return expiresAtMs === undefined ? { value: entry.value } : { value: entry.value, expiresAtMs };
}
