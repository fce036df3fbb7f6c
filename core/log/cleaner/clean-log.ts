/**
 * One cleaning of one partition log (Kafka's Cleaner.doClean, one segment at a time):
 *   1. map key -> latest offset over the closed segments, oldest first, stopping before a
 *      segment whose keys would overflow the map (MAX_OFFSET_MAP_KEYS);
 *   2. rewrite each mapped segment that loses something into `<base>.log.cleaned` (plan.ts decides
 *      which records survive, batch-rewrite.ts builds the batches);
 *   3. hand it to the log, which swaps it in crash-safely (storage/compaction/segment-swap.ts) or
 *      discards it if the segment changed meanwhile.
 * Steps 1-2 read only closed segments, outside the log's mutation queue: produce and fetch go on.
 * The active segment is never touched.
 */
import { writeCleanedLog } from '../storage/compaction/segment-swap.js';
import type { ClosedSegment, PartitionLog } from '../storage/index.js';
import { decodeBatchRecords } from '../records/record-decoder.js';
import { isControlBatch, plannedRecordOf, rewriteBatch } from './batch-rewrite.js';
import { MAX_OFFSET_MAP_KEYS } from './limits.js';
import { addToOffsetMap, survives, type OffsetMap } from './plan.js';
import { segmentBatches } from './segment-batches.js';

export interface CleanOptions {
  /** Tombstones older than nowMs - deleteRetentionMs are removed. */
  deleteRetentionMs: number;
  nowMs: number;
  maxOffsetMapKeys?: number;
}

export interface CleanResult {
  /** Segments replaced by their cleaned version. */
  segmentsCleaned: number;
  /** Bytes of the closed segments before and after. */
  bytesBefore: number;
  bytesAfter: number;
  /** The end of the range the offset map covered: everything below is clean. */
  cleanedUpToOffset: number;
}

/** Maps the keys of segments oldest first; returns the segments wholly mapped. */
async function buildMap(segments: readonly ClosedSegment[], maxKeys: number): Promise<{ map: OffsetMap; mapped: ClosedSegment[] }> {
  const map: OffsetMap = new Map();
  const mapped: ClosedSegment[] = [];
  for (const segment of segments) {
    const segmentMap: OffsetMap = new Map();
    for await (const { bytes, header } of segmentBatches(segment.logPath, segment.sizeBytes)) {
      if (isControlBatch(header)) continue;
      for (const record of decodeBatchRecords(bytes)) addToOffsetMap(segmentMap, plannedRecordOf(record, header));
    }
    let newKeys = 0;
    for (const key of segmentMap.keys()) if (!map.has(key)) newKeys++;
    if (map.size + newKeys > maxKeys && mapped.length > 0) break;
    for (const [key, offset] of segmentMap) addToOffsetMap(map, { key, offset });
    mapped.push(segment);
  }
  return { map, mapped };
}

/** The cleaned batches of one segment, or undefined when cleaning would change nothing. */
async function cleanSegment(log: PartitionLog, segment: ClosedSegment, map: OffsetMap, deleteHorizonMs: number): Promise<Buffer[] | undefined> {
  const cleaned: Buffer[] = [];
  let changed = false;
  for await (const { bytes, header } of segmentBatches(segment.logPath, segment.sizeBytes)) {
    const lastOfProducer = header.producerId >= 0 && log.producerState.entry(header.producerId)?.batches.at(-1)?.lastOffset === header.lastOffset;
    const kept = rewriteBatch(bytes, header, (record) => survives(record, map, deleteHorizonMs), lastOfProducer);
    if (kept !== bytes) changed = true;
    // A copy: a slice of the reader's window would keep the whole read-ahead buffer alive.
    if (kept !== undefined) cleaned.push(kept === bytes ? Buffer.from(bytes) : kept);
  }
  return changed ? cleaned : undefined;
}

export async function cleanLog(log: PartitionLog, options: CleanOptions): Promise<CleanResult> {
  const segments = log.closedSegments();
  const bytesBefore = segments.reduce((sum, segment) => sum + segment.sizeBytes, 0);
  const { map, mapped } = await buildMap(segments, options.maxOffsetMapKeys ?? MAX_OFFSET_MAP_KEYS);
  const deleteHorizonMs = options.nowMs - options.deleteRetentionMs;
  let segmentsCleaned = 0;
  let saved = 0;
  for (const segment of mapped) {
    const cleaned = await cleanSegment(log, segment, map, deleteHorizonMs);
    if (cleaned === undefined) continue;
    await writeCleanedLog(log.dir, segment.baseOffset, cleaned);
    if (await log.replaceWithCleaned(segment)) {
      segmentsCleaned++;
      saved += segment.sizeBytes - cleaned.reduce((sum, batch) => sum + batch.length, 0);
    }
  }
  return { segmentsCleaned, bytesBefore, bytesAfter: bytesBefore - saved, cleanedUpToOffset: mapped.at(-1)?.nextOffset ?? log.logStartOffset };
}
