/**
 * Brings a partition's leader epoch cache in line with its segments when the log opens. The
 * segments are the truth — every batch header carries the epoch that wrote it — so a missing or
 * malformed checkpoint is rebuilt from them, and entries the segments no longer back are trimmed.
 */
import { LeaderEpochCache, type EpochEntry } from './leader-epoch-cache.js';
import type { PositionedBatch } from './record-batch.js';
import type { LogSegment } from './segment.js';

/** The (epoch, start) a batch stands for; a negative epoch (none) is ignored by the cache. */
export function epochStartOf({ header }: PositionedBatch): EpochEntry {
  return { epoch: header.partitionLeaderEpoch, startOffset: header.baseOffset };
}

/**
 * The epoch cache, consistent with the recovered segments: rebuilt from the batch headers if its
 * checkpoint is missing or malformed (the batches carry their epochs), then trimmed to the log —
 * a crash may have lost batches whose epoch was already checkpointed, or segments deleted by
 * retention before the checkpoint followed.
 */
export async function loadEpochCache(dir: string, segments: LogSegment[]): Promise<LeaderEpochCache> {
  const cache = await LeaderEpochCache.load(dir);
  const logStartOffset = segments[0]!.baseOffset;
  const logEndOffset = segments.at(-1)!.nextOffset;
  if (!cache.loadedFromCheckpoint && logEndOffset > logStartOffset) await cache.rebuild(await scanEpochStarts(segments));
  await cache.truncateFromEnd(logEndOffset);
  await cache.truncateFromStart(logStartOffset);
  return cache;
}

/** The first batch of every run of batches with the same epoch, reading headers only. */
async function scanEpochStarts(segments: LogSegment[]): Promise<EpochEntry[]> {
  const starts: EpochEntry[] = [];
  for (const segment of segments) {
    await segment.scanHeaders((batch) => {
      const start = epochStartOf(batch);
      if (start.epoch !== starts.at(-1)?.epoch) starts.push(start);
    });
  }
  return starts;
}
