/**
 * Retention of the logs this broker holds (Kafka's log retention thread): every
 * RETENTION_CHECK_INTERVAL_MS each partition log of a delete-policy topic drops its whole old
 * segments beyond the broker's retention.ms / retention.bytes (PartitionLog.applyRetention; never
 * the active segment), or beyond the topic's own `retention.ms` / `retention.bytes` overrides
 * (read from coord each pass, so an AlterConfigs applies from the next pass). Compacted topics are left to the cleaner: `__consumer_offsets` and
 * compact topics keep their latest value per key however old it is. (cleanup.policy
 * "compact,delete" counts as compacted here: its old segments are not deleted by time or size.)
 *
 * Leaders and followers each apply retention to their own copy, as in Kafka. A failure on one
 * partition (a topic deleted meanwhile, a disk error) is logged and retried on the next pass.
 */
import type { Logger } from 'pino';
import { silentLogger } from '../../telemetry/logger.js';
import { NOT_COMPACTED, type CleanableTopics, type CleanupPolicy } from '../cleaner/log-cleaner.js';
import { RETENTION_BYTES, RETENTION_MS, type TopicConfigs } from '../controller/topic-configs.js';

/** Kafka's log.retention.check.interval.ms default (5 minutes). */
export const RETENTION_CHECK_INTERVAL_MS = 5 * 60 * 1000;

export interface LogRetentionOptions {
  /** Between passes (default RETENTION_CHECK_INTERVAL_MS). */
  intervalMs?: number;
  logger?: Logger;
}

export class LogRetention {
  private timer: NodeJS.Timeout | undefined;
  private pass: Promise<number> | undefined;
  private readonly intervalMs: number;
  private readonly logger: Logger;

  constructor(
    private readonly topics: CleanableTopics,
    private readonly policyOf: (topic: string) => Promise<CleanupPolicy>,
    private readonly configsOf: (topic: string) => Promise<TopicConfigs>,
    options: LogRetentionOptions = {},
  ) {
    this.intervalMs = options.intervalMs ?? RETENTION_CHECK_INTERVAL_MS;
    this.logger = options.logger ?? silentLogger();
  }

  start(): void {
    if (this.timer !== undefined) return;
    this.timer = setInterval(() => void this.runPass().catch((error: unknown) => this.logger.error({ err: error }, 'log retention pass failed')), this.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.pass?.catch(() => undefined);
  }

  /** One pass over every delete-policy partition; resolves to the number of segments deleted.
   * A pass already running is joined, not doubled. */
  runPass(): Promise<number> {
    this.pass ??= this.passOnce().finally(() => (this.pass = undefined));
    return this.pass;
  }

  private async passOnce(): Promise<number> {
    let deleted = 0;
    for (const topic of this.topics.names()) {
      // A policy that cannot be read counts as compacted: deleting is the step that cannot be undone.
      const policy = await this.policyOf(topic).catch(() => ({ ...NOT_COMPACTED, compact: true }));
      if (policy.compact) continue;
      const overrides = overridesOf(await this.configsOf(topic).catch(() => ({})));
      for (const index of this.topics.partitionIndexes(topic)) {
        const log = this.topics.partition(topic, index);
        if (log === undefined) continue;
        try {
          const segments = await log.applyRetention(overrides);
          if (segments > 0) this.logger.info({ topic, partition: index, segments, logStartOffset: log.logStartOffset }, 'old segments deleted by retention');
          deleted += segments;
        } catch (error) {
          this.logger.warn({ err: error, topic, partition: index }, 'retention failed; retrying on a later pass');
        }
      }
    }
    return deleted;
  }
}

function overridesOf(configs: TopicConfigs): { retentionMs?: number; retentionBytes?: number } {
  const retentionMs = configs[RETENTION_MS];
  const retentionBytes = configs[RETENTION_BYTES];
  return { ...(retentionMs !== undefined ? { retentionMs: Number(retentionMs) } : {}), ...(retentionBytes !== undefined ? { retentionBytes: Number(retentionBytes) } : {}) };
}
