/**
 * Opens the segments of a partition log and decides what to do with bytes past the last valid
 * batch of each. The rule (docs/log.md, "Recovery after a crash or corruption"): no valid later
 * segment is ever dropped.
 *
 * - The last segment is the only one a crash can tear (older ones were fsynced when rolled): its
 *   tail past the last valid batch is cut, as Kafka's recovery of the unflushed segments does.
 * - An older (sealed) segment with bytes past its end cannot come from a crash. When its valid
 *   batches still reach the next segment's base offset, the extra bytes hold nothing the log
 *   lacks — a partial batch, or whole batches a refused append left at offsets given out again
 *   — and are cut, reported at error level. When they do not, records in the middle of the log
 *   are unreadable: cutting would leave a hole that no replica refills, so the log refuses to
 *   open (LogSegmentCorruptError) and changes no .log file — unless every later segment is
 *   empty, when this segment is in effect the log's tail and is cut like one.
 */
import type { Logger } from 'pino';
import { LogSegmentCorruptError } from './errors.js';
import { LogSegment, type SegmentConfig } from './segment.js';

interface OpenedSegment {
  segment: LogSegment;
  invalidTailBytes: number;
}

/** Opens the segments at `baseOffsets` (ascending, at least one), repaired as the header says. */
export async function openSegments(dir: string, baseOffsets: readonly number[], config: SegmentConfig, logger: Logger): Promise<LogSegment[]> {
  const opened: OpenedSegment[] = [];
  try {
    for (const [i, baseOffset] of baseOffsets.entries()) opened.push(await LogSegment.open(dir, baseOffset, config, i === baseOffsets.length - 1));
    const kept = await repairSealedSegments(opened, logger);
    const last = kept.at(-1)!;
    if (last.invalidTailBytes > 0) {
      await last.segment.cutInvalidTail();
      logger.warn({ path: last.segment.logPath, validBytes: last.segment.sizeBytes, cutBytes: last.invalidTailBytes }, 'cut the torn tail of the newest log segment (a crash during an append)');
    }
    return kept.map(({ segment }) => segment);
  } catch (error) {
    await Promise.all(opened.map(({ segment }) => segment.close().catch(() => undefined)));
    throw error;
  }
}

/** Checks every segment but the last against the next one's base offset; returns those kept. */
async function repairSealedSegments(opened: OpenedSegment[], logger: Logger): Promise<OpenedSegment[]> {
  for (let i = 0; i < opened.length - 1; i++) {
    const { segment, invalidTailBytes } = opened[i]!;
    const nextBaseOffset = opened[i + 1]!.segment.baseOffset;
    const fileBytes = segment.sizeBytes + invalidTailBytes;
    const report = { path: segment.logPath, fileBytes, nextSegmentBaseOffset: nextBaseOffset };
    if (segment.nextOffset > nextBaseOffset) {
      // Valid batches at offsets the next segment holds: never acknowledged from here.
      await segment.truncateTo(nextBaseOffset);
      await segment.flush();
      logger.error({ ...report, validBytes: segment.sizeBytes, cutBytes: fileBytes - segment.sizeBytes }, 'cut batches past the end of a sealed log segment that overlap the next segment');
      opened[i] = { segment, invalidTailBytes: 0 };
    } else if (invalidTailBytes > 0 && segment.nextOffset === nextBaseOffset) {
      await segment.cutInvalidTail();
      logger.error({ ...report, validBytes: segment.sizeBytes, cutBytes: invalidTailBytes }, 'cut bytes that are no valid batch past the end of a sealed log segment; no record was lost');
      opened[i] = { segment, invalidTailBytes: 0 };
    } else if (invalidTailBytes > 0) {
      const later = opened.slice(i + 1);
      if (!later.every(({ segment: next }) => next.isEmpty())) {
        throw new LogSegmentCorruptError(segment.logPath, segment.sizeBytes, fileBytes, segment.nextOffset, nextBaseOffset);
      }
      for (const { segment: empty } of later) await empty.delete();
      await segment.cutInvalidTail();
      logger.error({ ...report, validBytes: segment.sizeBytes, cutBytes: invalidTailBytes, lostFromOffset: segment.nextOffset }, 'a sealed log segment followed only by empty ones had a torn tail: it is the log end now');
      return [...opened.slice(0, i), { segment, invalidTailBytes: 0 }];
    }
  }
  return opened;
}
