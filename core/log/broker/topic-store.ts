/**
 * The topics and partitions this broker holds: one PartitionLog per partition directory
 * (`<topic>-<partition>`, as Kafka lays them out), opened at start-up, created when this broker
 * becomes one of the partition's replicas.
 */
import { mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { PartitionLog, type PartitionLogOptions } from '../storage/index.js';

/** Kafka's legal topic names: 1..249 characters of [a-zA-Z0-9._-], not "." or "..". */
const TOPIC_NAME = /^[a-zA-Z0-9._-]{1,249}$/;
export const MAX_PARTITIONS_PER_TOPIC = 10_000;

export function isValidTopicName(name: string): boolean {
  return TOPIC_NAME.test(name) && name !== '.' && name !== '..';
}

export class TopicStore {
  private readonly topics = new Map<string, Map<number, PartitionLog>>();
  private readonly opening = new Map<string, Promise<PartitionLog>>();
  private readonly appendListeners = new Set<() => void>();

  private constructor(
    private readonly dataDir: string,
    private readonly logOptions: PartitionLogOptions,
  ) {}

  static async open(dataDir: string, logOptions: PartitionLogOptions = {}): Promise<TopicStore> {
    await mkdir(dataDir, { recursive: true });
    const store = new TopicStore(dataDir, logOptions);
    for (const entry of await readdir(dataDir)) {
      const match = /^(.+)-(\d+)$/.exec(entry);
      if (!match || !isValidTopicName(match[1]!)) continue;
      await store.ensurePartition(match[1]!, Number(match[2]));
    }
    return store;
  }

  names(): string[] {
    return [...this.topics.keys()].sort();
  }

  /** The partition indexes held here for a topic, ascending. */
  partitionIndexes(topic: string): number[] {
    return [...(this.topics.get(topic)?.keys() ?? [])].sort((a, b) => a - b);
  }

  partition(topic: string, index: number): PartitionLog | undefined {
    return this.topics.get(topic)?.get(index);
  }

  /** The partition's log, opened (created if new) on first use; concurrent callers share one open. */
  ensurePartition(topic: string, index: number): Promise<PartitionLog> {
    const existing = this.partition(topic, index);
    if (existing) return Promise.resolve(existing);
    const key = `${topic}-${index}`;
    const pending = this.opening.get(key);
    if (pending) return pending;
    const opened = PartitionLog.open(join(this.dataDir, key), this.logOptions)
      .then((log) => {
        const partitions = this.topics.get(topic) ?? new Map<number, PartitionLog>();
        partitions.set(index, log);
        this.topics.set(topic, partitions);
        return log;
      })
      .finally(() => this.opening.delete(key));
    this.opening.set(key, opened);
    return opened;
  }

  /**
   * Removes a topic's local logs: forgets them first (so no new request finds them), then
   * closes them and deletes their directories. False when none are held here.
   */
  async delete(topic: string): Promise<boolean> {
    const logs = this.topics.get(topic);
    if (!logs) return false;
    this.topics.delete(topic);
    await Promise.all([...logs.values()].map((log) => log.close()));
    await Promise.all([...logs.values()].map((log) => rm(log.dir, { recursive: true, force: true })));
    return true;
  }

  /** Fetches waiting for data (long polling) are woken by every append and high watermark move. */
  onAppend(listener: () => void): () => void {
    this.appendListeners.add(listener);
    return () => this.appendListeners.delete(listener);
  }

  notifyAppend(): void {
    for (const listener of [...this.appendListeners]) listener();
  }

  async close(): Promise<void> {
    await Promise.all([...this.opening.values()].map((opening) => opening.catch(() => undefined)));
    await Promise.all([...this.topics.values()].flatMap((logs) => [...logs.values()]).map((log) => log.close()));
  }
}
