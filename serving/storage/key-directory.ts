/**
 * The key directory (Bitcask's "keydir"): for every live key, where its newest record lies. It is
 * the whole index: a get is one lookup here plus one positioned read. Keys are Buffers; the map is
 * keyed by their latin1 decoding, which maps bytes to strings one to one.
 *
 * Loading decides which record of a key is the newest by sequence number, not by file order,
 * and keeps tombstones while loading so that a delete in any file hides older puts in all others.
 */
import type { LocatedRecord } from './hint-file.js';
import { RECORD_HEADER_BYTES } from './record.js';

export interface KeyDirectoryEntry {
  readonly fileId: number;
  readonly position: number;
  readonly recordSizeBytes: number;
  readonly seq: number;
  readonly writtenAtMs: number;
  /** Absolute expiry in ms; undefined: never expires. */
  readonly expiresAtMs: number | undefined;
}

export type KeyDirectory = Map<string, KeyDirectoryEntry>;

export function keyIdOf(key: Buffer): string {
  return key.toString('latin1');
}

export function keyOfId(keyId: string): Buffer {
  return Buffer.from(keyId, 'latin1');
}

export function isExpired(entry: KeyDirectoryEntry, nowMs: number): boolean {
  return entry.expiresAtMs !== undefined && entry.expiresAtMs <= nowMs;
}

export function valueSizeOf(entry: KeyDirectoryEntry, key: Buffer): number {
  return entry.recordSizeBytes - RECORD_HEADER_BYTES - key.length;
}

export function entryOf(fileId: number, record: LocatedRecord): KeyDirectoryEntry {
  return { fileId, position: record.position, recordSizeBytes: record.recordSizeBytes, seq: record.seq, writtenAtMs: record.writtenAtMs, expiresAtMs: record.expiresAtMs };
}

/** Collects the records of all files, in any order, and keeps the newest per key. */
export class KeyDirectoryBuilder {
  private readonly newest = new Map<string, { entry: KeyDirectoryEntry; tombstone: boolean }>();
  /** Largest sequence number seen, tombstones and overwritten records included. */
  maxSeq = 0;

  add(fileId: number, record: LocatedRecord): void {
    this.maxSeq = Math.max(this.maxSeq, record.seq);
    const keyId = keyIdOf(record.key);
    const current = this.newest.get(keyId);
    // Equal sequence numbers are copies of one record (by a merge); either copy will do.
    if (current === undefined || record.seq > current.entry.seq) this.newest.set(keyId, { entry: entryOf(fileId, record), tombstone: record.tombstone });
  }

  /** The key directory: newest records that are puts and not expired at `nowMs`. */
  build(nowMs: number): KeyDirectory {
    const directory: KeyDirectory = new Map();
    for (const [keyId, { entry, tombstone }] of this.newest) {
      if (!tombstone && !isExpired(entry, nowMs)) directory.set(keyId, entry);
    }
    return directory;
  }
}
