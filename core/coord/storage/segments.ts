/**
 * Log segment files: `<20-digit first index>.log`, each a run of records holding one encoded
 * entry with contiguous indexes. Recovery scans them in order and keeps the longest valid prefix
 * of the whole log: it stops at the first short, CRC-bad or out-of-sequence record, truncates that
 * file there and deletes every later segment (nothing after a torn write was ever acknowledged,
 * because persist() resolves only after everything it wrote is fsynced).
 */
import { readdir, readFile, truncate, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeEntry } from '../raft/codec.js';
import { RaftCodecError } from '../raft/errors.js';
import type { Entry } from '../raft/types.js';
import { MAX_RECORD_PAYLOAD_BYTES, RECORD_HEADER_BYTES } from './limits.js';
import { readRecord } from './records.js';

const SEGMENT_NAME = /^(\d{20})\.log$/;

export interface Segment {
  path: string;
  firstIndex: number;
  /** Byte offset of each record; record i holds index firstIndex + i. */
  offsets: number[];
  sizeBytes: number;
}

export function segmentPath(dir: string, firstIndex: number): string {
  return join(dir, `${String(firstIndex).padStart(20, '0')}.log`);
}

export function lastIndexOf(segment: Segment): number {
  return segment.firstIndex + segment.offsets.length - 1;
}

/** Segment files of `dir`, ascending by first index. */
export async function listSegments(dir: string): Promise<{ path: string; firstIndex: number }[]> {
  const names = await readdir(dir);
  return names
    .map((name) => ({ name, match: SEGMENT_NAME.exec(name) }))
    .filter((item) => item.match !== null)
    .map((item) => ({ path: join(dir, item.name), firstIndex: Number(item.match![1]) }))
    .sort((a, b) => a.firstIndex - b.firstIndex);
}

function decodeOrUndefined(payload: Buffer): Entry | undefined {
  try {
    return decodeEntry(payload);
  } catch (error) {
    if (error instanceof RaftCodecError) return undefined;
    throw error;
  }
}

/** Valid records of one segment file, stopping at the first bad one. */
async function scanSegment(path: string, firstIndex: number): Promise<{ segment: Segment; entries: Entry[]; torn: boolean }> {
  const contents = await readFile(path);
  const segment: Segment = { path, firstIndex, offsets: [], sizeBytes: 0 };
  const entries: Entry[] = [];
  let offset = 0;
  while (offset < contents.length) {
    const payload = readRecord(contents, offset, MAX_RECORD_PAYLOAD_BYTES);
    const entry = payload === undefined ? undefined : decodeOrUndefined(payload);
    if (entry === undefined || entry.index !== firstIndex + entries.length) break;
    segment.offsets.push(offset);
    entries.push(entry);
    offset += RECORD_HEADER_BYTES + payload!.length;
  }
  segment.sizeBytes = offset;
  return { segment, entries, torn: offset < contents.length };
}

/** Recovers the log: the longest valid, contiguous prefix across segments, repairing the files. */
export async function recoverSegments(dir: string): Promise<{ segments: Segment[]; entries: Entry[] }> {
  const segments: Segment[] = [];
  const entries: Entry[] = [];
  const files = await listSegments(dir);
  let stopped = false;
  for (const file of files) {
    const expectedFirst = entries.length === 0 ? file.firstIndex : entries.at(-1)!.index + 1;
    if (stopped || file.firstIndex !== expectedFirst) {
      stopped = true;
      await unlink(file.path);
      continue;
    }
    const scanned = await scanSegment(file.path, file.firstIndex);
    if (scanned.torn) {
      await truncate(file.path, scanned.segment.sizeBytes);
      stopped = true;
    }
    if (scanned.entries.length === 0) {
      await unlink(file.path);
      continue;
    }
    segments.push(scanned.segment);
    entries.push(...scanned.entries);
  }
  return { segments, entries };
}
