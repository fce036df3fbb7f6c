/**
 * The broker's log cleaner (Kafka's LogCleaner, one thread's worth): every CLEANER_INTERVAL_MS it
 * looks at each partition of the compacted topics this broker holds and cleans those whose dirty
 * ratio — bytes of closed segments written since the last cleaning over all closed bytes —
 * reaches MIN_CLEANABLE_DIRTY_RATIO. One partition is cleaned at a time, in the background:
 * produce and fetch go on (clean-log.ts). A failed cleaning (a topic deleted meanwhile, a disk
 * error) is logged and retried on a later pass; it never harms the log (segment-swap.ts).
 *
 * Progress (the first dirty offset) is kept in memory only: after a restart every closed segment
 * counts as dirty, so the first pass cleans again what was clean — wasted work, never wrong.
 */
import type { Logger } from 'pino';
import { silentLogger } from '../../telemetry/logger.js';
import type { PartitionLog } from '../storage/index.js';
import { cleanLog, type CleanResult } from './clean-log.js';
import { CLEANER_INTERVAL_MS, DEFAULT_DELETE_RETENTION_MS, MIN_CLEANABLE_DIRTY_RATIO } from './limits.js';

export interface CleanupPolicy {
  compact: boolean;
  deleteRetentionMs: number;
}

/** What the cleaner needs of the broker's topics (TopicStore has it). */
export interface CleanableTopics {
  names(): string[];
  partitionIndexes(topic: string): number[];
  partition(topic: string, index: number): PartitionLog | undefined;
}

export interface LogCleanerOptions {
  /** Between passes (default CLEANER_INTERVAL_MS). */
  intervalMs?: number;
  /** Clean a partition from this dirty ratio on (default MIN_CLEANABLE_DIRTY_RATIO). */
  minCleanableDirtyRatio?: number;
  now?: () => number;
  logger?: Logger;
}

export const NOT_COMPACTED: CleanupPolicy = { compact: false, deleteRetentionMs: DEFAULT_DELETE_RETENTION_MS };

export class LogCleaner {
  private readonly firstDirtyOffsets = new WeakMap<PartitionLog, number>();
  private timer: NodeJS.Timeout | undefined;
  private pass: Promise<number> | undefined;
  private readonly intervalMs: number;
  private readonly minDirtyRatio: number;
  private readonly now: () => number;
  private readonly logger: Logger;

  constructor(
    private readonly topics: CleanableTopics,
    private readonly policyOf: (topic: string) => Promise<CleanupPolicy>,
    options: LogCleanerOptions = {},
  ) {
    this.intervalMs = options.intervalMs ?? CLEANER_INTERVAL_MS;
    this.minDirtyRatio = options.minCleanableDirtyRatio ?? MIN_CLEANABLE_DIRTY_RATIO;
    this.now = options.now ?? Date.now;
    this.logger = options.logger ?? silentLogger();
  }

  start(): void {
    if (this.timer !== undefined) return;
    this.timer = setInterval(() => void this.runPass().catch((error: unknown) => this.logger.error({ err: error }, 'log cleaner pass failed')), this.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.pass?.catch(() => undefined);
  }

  /** The share of the closed segments' bytes not yet cleaned (0 without closed segments). */
  dirtyRatio(log: PartitionLog): number {
    const firstDirty = this.firstDirtyOffsets.get(log) ?? -1;
    let total = 0;
    let dirty = 0;
    for (const segment of log.closedSegments()) {
      total += segment.sizeBytes;
      if (segment.nextOffset > firstDirty) dirty += segment.sizeBytes;
    }
    return total === 0 ? 0 : dirty / total;
  }

  /** One pass over every compacted partition; `force` cleans regardless of the dirty ratio.
   * Resolves to the number of segments cleaned. A pass already running is joined, not doubled. */
  runPass(force = false): Promise<number> {
    this.pass ??= this.passOnce(force).finally(() => (this.pass = undefined));
    return this.pass;
  }

  private async passOnce(force: boolean): Promise<number> {
    let cleaned = 0;
    for (const topic of this.topics.names()) {
      const policy = await this.policyOf(topic).catch(() => NOT_COMPACTED);
      if (!policy.compact) continue;
      for (const index of this.topics.partitionIndexes(topic)) {
        const log = this.topics.partition(topic, index);
        if (log === undefined || (!force && this.dirtyRatio(log) < this.minDirtyRatio)) continue;
        try {
          const result = await cleanLog(log, { deleteRetentionMs: policy.deleteRetentionMs, nowMs: this.now() });
          this.firstDirtyOffsets.set(log, result.cleanedUpToOffset);
          cleaned += result.segmentsCleaned;
          this.report(topic, index, result);
        } catch (error) {
          this.logger.warn({ err: error, topic, partition: index }, 'cleaning failed; retrying on a later pass');
        }
      }
    }
    return cleaned;
  }

  private report(topic: string, partition: number, result: CleanResult): void {
    if (result.segmentsCleaned === 0) return;
    this.logger.info({ topic, partition, segments: result.segmentsCleaned, bytesBefore: result.bytesBefore, bytesAfter: result.bytesAfter }, 'partition cleaned');
  }
}
