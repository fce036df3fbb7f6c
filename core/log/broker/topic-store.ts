/**
 * The topics and partitions this broker holds: one PartitionLog per partition directory
 * (`<topic>-<partition>`, as Kafka lays them out), opened at start-up, created on demand.
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
  private readonly topics = new Map<string, PartitionLog[]>();
  private readonly appendListeners = new Set<() => void>();

  private constructor(
    private readonly dataDir: string,
    private readonly logOptions: PartitionLogOptions,
  ) {}

  static async open(dataDir: string, logOptions: PartitionLogOptions = {}): Promise<TopicStore> {
    await mkdir(dataDir, { recursive: true });
    const store = new TopicStore(dataDir, logOptions);
    const found = new Map<string, number[]>();
    for (const entry of await readdir(dataDir)) {
      const match = /^(.+)-(\d+)$/.exec(entry);
      if (!match || !isValidTopicName(match[1]!)) continue;
      found.set(match[1]!, [...(found.get(match[1]!) ?? []), Number(match[2])]);
    }
    for (const [topic, partitions] of found) {
      const count = Math.max(...partitions) + 1;
      store.topics.set(topic, await Promise.all(Array.from({ length: count }, (_, p) => PartitionLog.open(join(dataDir, `${topic}-${p}`), logOptions))));
    }
    return store;
  }

  names(): string[] {
    return [...this.topics.keys()].sort();
  }

  partitions(topic: string): PartitionLog[] | undefined {
    return this.topics.get(topic);
  }

  partition(topic: string, index: number): PartitionLog | undefined {
    return this.topics.get(topic)?.[index];
  }

  async create(topic: string, partitionCount: number): Promise<PartitionLog[]> {
    const existing = this.topics.get(topic);
    if (existing) return existing;
    const logs = await Promise.all(Array.from({ length: partitionCount }, (_, p) => PartitionLog.open(join(this.dataDir, `${topic}-${p}`), this.logOptions)));
    this.topics.set(topic, logs);
    return logs;
  }

  /**
   * Removes a topic: forgets it first (so no new request finds it), then closes its partition
   * logs and deletes their directories. False when there is no such topic.
   */
  async delete(topic: string): Promise<boolean> {
    const logs = this.topics.get(topic);
    if (!logs) return false;
    this.topics.delete(topic);
    await Promise.all(logs.map((log) => log.close()));
    await Promise.all(logs.map((log) => rm(log.dir, { recursive: true, force: true })));
    return true;
  }

  /** Fetches waiting for data (long polling) are woken by every append. */
  onAppend(listener: () => void): () => void {
    this.appendListeners.add(listener);
    return () => this.appendListeners.delete(listener);
  }

  notifyAppend(): void {
    for (const listener of [...this.appendListeners]) listener();
  }

  async close(): Promise<void> {
    await Promise.all([...this.topics.values()].flat().map((log) => log.close()));
  }
}
