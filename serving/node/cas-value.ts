/**
 * The value a Paxos round chooses for a key: the LWW write it commits — payload (a value with its
 * expiry, or a tombstone), the HLC timestamp and the writer. The timestamp is taken when the
 * proposer evaluates its condition, after it has seen the newest stored copy, so the commit is
 * newer than everything the condition read and wins every LWW merge against it; re-proposals
 * of the same choice carry the same timestamp, so replicas converge on one copy.
 */
import { decodeVersionedValue, encodeVersionedValue, type LwwValue } from '../quorum/index.js';

export function encodeCasValue(value: LwwValue): Buffer {
  return encodeVersionedValue(value);
}

export function decodeCasValue(bytes: Buffer): LwwValue {
  const value = decodeVersionedValue(bytes);
  if (value.mode !== 'lww') throw new TypeError('a compare-and-set value must be a last-write-wins copy');
  return value;
}
