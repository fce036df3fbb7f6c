/**
 * Semantic checks of incoming messages beyond their types, so a buggy or hostile peer's message
 * is dropped instead of tripping an invariant assertion inside the log.
 */
import { MAX_ENTRIES_PER_MESSAGE, MAX_ENTRY_DATA_BYTES, MAX_RAFT_INDEX, MAX_SNAPSHOT_BYTES } from './limits.js';
import type { Entry, Message, Snapshot } from './types.js';

function isIndex(value: unknown): value is number {
  return Number.isInteger(value) && (value as number) >= 0 && (value as number) <= MAX_RAFT_INDEX;
}

function isValidEntry(entry: Entry, expectedIndex: number, minTerm: number, maxTerm: number): boolean {
  return (
    entry.index === expectedIndex &&
    Number.isInteger(entry.term) &&
    entry.term >= Math.max(1, minTerm) &&
    entry.term <= maxTerm &&
    (entry.kind === 'normal' || entry.kind === 'noop') &&
    entry.data instanceof Uint8Array &&
    entry.data.byteLength <= MAX_ENTRY_DATA_BYTES
  );
}

/** Entries contiguous after prevLogIndex, terms non-decreasing and not above the sender's term. */
export function isValidAppend(message: Extract<Message, { type: 'AppendEntries' }>): boolean {
  const { prevLogIndex, prevLogTerm, entries, commit } = message;
  if (!isIndex(prevLogIndex) || !isIndex(commit) || !Number.isInteger(prevLogTerm) || prevLogTerm < 0 || prevLogTerm > message.term) return false;
  if (!Array.isArray(entries) || entries.length > MAX_ENTRIES_PER_MESSAGE || prevLogIndex + entries.length > MAX_RAFT_INDEX) return false;
  let previousTerm = prevLogTerm;
  for (const [offset, entry] of entries.entries()) {
    if (!isValidEntry(entry, prevLogIndex + 1 + offset, previousTerm, message.term)) return false;
    previousTerm = entry.term;
  }
  return true;
}

export function isValidSnapshot(snapshot: Snapshot, messageTerm: number): boolean {
  return (
    isIndex(snapshot.index) &&
    snapshot.index > 0 &&
    Number.isInteger(snapshot.term) &&
    snapshot.term > 0 &&
    snapshot.term <= messageTerm &&
    snapshot.data instanceof Uint8Array &&
    snapshot.data.byteLength <= MAX_SNAPSHOT_BYTES
  );
}
